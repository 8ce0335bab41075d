"""Shapes results into what the web templates show. Every decision (which results are findings
and their order, the ranking, pass rates, families, grade colours, where quotes sit in the text)
is `compliance.results`'s, the same as the CLI formats'; here they only become rows. Plain data
only — the templates escape every string (no markup is built here)."""

from __future__ import annotations

import re

from compliance.labels import DOC_TYPE_ZH
from compliance.models import ReportResult, RuleResult
from compliance.results import (
    Line,
    PassRates,
    Segment,
    family_name,
    findings,
    grade_level,
    highlight,
    is_finding,
    period_text,
    quote_ref,
    rank_order,
    report_level,
    ruleset_display,
)

__all__ = ["Line", "Segment", "family_bars", "families", "findings", "grade_level", "highlight", "is_finding",
           "met_rules", "not_applicable", "pass_rates", "quote_ref", "ranking", "report_level"]


def met_rules(result: ReportResult) -> list[RuleResult]:
    return [r for r in result.results if r.status == "met"]


def not_applicable(result: ReportResult) -> list[RuleResult]:
    return [r for r in result.results if r.status == "not_applicable"]


def family_bars(result: ReportResult) -> list[dict]:
    return [
        {
            "family": fam,
            "label": family_name(fam, result) or fam,
            "value": value,
            "pct": 0 if value is None else max(0, min(100, round(value))),
            "level": report_level(result, value) if value is not None else "na",
        }
        for fam, value in result.score.by_family.items()
    ]


def ranking(items: list[tuple[str, ReportResult]]) -> list[dict]:
    """The batch ranking (`results.rank_order`), one row per report with its page id."""
    rows = []
    for rank, i in rank_order([r.score.total for _, r in items]):
        rid, r = items[i]
        gaps = [x for x in r.results if is_finding(x)]
        rows.append(
            {
                "id": rid,
                "rank": rank,
                "source": r.source,
                "issuer": r.meta.issuer or "",
                "doc_type": DOC_TYPE_ZH.get(r.meta.doc_type, r.meta.doc_type),
                "period": period_text(r, none=""),
                "province": r.meta.province or "",
                "ruleset": r.ruleset.name,
                "total": r.score.total,
                "grade": r.score.grade or "—",
                "level": report_level(r),
                "gaps": len(gaps),
                "critical": sum(1 for x in gaps if x.severity == "critical"),
                "by_family": r.score.by_family,
            }
        )
    return rows


def pass_rates(results: list[ReportResult]) -> list[dict]:
    """Per rule across the batch (`results.PassRates`), lowest pass rate first; `rate` in percent."""
    counts = PassRates()
    for r in results:
        counts.add(r)
    grades = {r.ruleset.name: ruleset_display(r).grades for r in results}
    out = []
    for row in counts.rows():
        rate = None if row["rate"] is None else round(100 * row["rate"], 1)
        out.append({**row, "rate": rate, "level": grade_level(rate, grades.get(row["ruleset"], [])),
                    "family_name": family_name(row["family"], row["ruleset"]) or row["family"]})
    out.sort(key=lambda x: (x["rate"] is None, x["rate"] if x["rate"] is not None else 0, x["rule_id"]))
    return out


def families(results: list[ReportResult]) -> list[dict]:
    """Score families across the batch, first seen first, with their names."""
    seen: dict[str, str] = {}
    for r in results:
        for fam in r.score.by_family:
            seen.setdefault(fam, family_name(fam, r) or fam)
    return [{"code": f, "name": n} for f, n in seen.items()]


def ruleset_label(name: str) -> str:
    """`河南省 henan` in the app's menus and headers."""
    from compliance.rules.load import ruleset_label as label

    return label(name)


# a report's warnings are written for the command line; in the app they name its own controls
_DOC_TYPE_FLAG = re.compile(r"请用\s*--doc-type\s+(\w+)\s*指定(?:文件类型)?后重新检查")
_WEB_WORDING = (
    ("--doc-type", "“文档类型”选项"),
    ("--ruleset", "“规则集”选项"),
)


def web_warning(text: str) -> str:
    text = _DOC_TYPE_FLAG.sub(lambda m: f"请在“文档类型”中选择“{DOC_TYPE_ZH.get(m.group(1), m.group(1))}”后重新检查", text)
    for cli, web in _WEB_WORDING:
        text = text.replace(cli, web)
    return text
