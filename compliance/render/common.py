"""What every renderer shares: labels, the ranking, finding selection and ordering.

Decided here once so table, markdown, html, csv and xlsx never disagree on who ranks first or
which results count as findings.
"""

from __future__ import annotations

from collections import defaultdict

from compliance.models import ReportResult, RuleResult

STATUS_ZH = {
    "met": "已落实",
    "partial": "部分落实",
    "planned": "仅有计划",
    "self_reported_gap": "自述不足",
    "missing": "未体现",
    "not_applicable": "不适用",
}
SEVERITY_ZH = {"critical": "严重", "major": "重要", "minor": "一般"}
SEVERITY_RANK = {"critical": 0, "major": 1, "minor": 2}
STATUS_RANK = {"missing": 0, "self_reported_gap": 1, "planned": 2, "partial": 3, "met": 4, "not_applicable": 5}
DOC_TYPE_ZH = {
    "annual_report": "年度报告",
    "work_summary": "工作总结",
    "self_inspection": "自查报告",
    "plan": "计划方案",
    "fair_competition_report": "公平竞争审查工作报告",
    "shufa_report": "述法报告",
    "other": "其他",
}
FAMILY_ZH = {
    "AR": "年度报告义务",
    "FRP": "第一责任人职责",
    "TES": "行政执法三项制度",
    "FCR": "公平竞争审查",
}
BASELINE_ZH = {"new": "新增", "persisting": "持续", "resolved": "已解决"}
POLARITY_ZH = {"positive": "已做", "planned": "计划", "negative": "自述不足"}


def is_finding(r: RuleResult) -> bool:
    """A gap: anything not met and not out of scope (requirements.yaml's definition)."""
    return r.status not in ("met", "not_applicable")


def findings(rep: ReportResult) -> list[RuleResult]:
    """Gaps, worst first: severity, then status, then rule order."""
    order = {r.rule_id: i for i, r in enumerate(rep.results)}
    return sorted(
        (r for r in rep.results if is_finding(r)),
        key=lambda r: (SEVERITY_RANK.get(r.severity, 9), STATUS_RANK.get(r.status, 9), order[r.rule_id]),
    )


def rank_order(totals: list[float | None]) -> list[tuple[int, int]]:
    """(rank, index into `totals`): reports by total score, best first; unscored (not a
    rule-of-law report) last; ties share a rank and keep input order. Renderers keep each
    report's total, not the report, to rank them."""
    order = sorted(range(len(totals)), key=lambda i: (totals[i] is None, -(totals[i] or 0.0), i))
    out: list[tuple[int, int]] = []
    prev: object = object()
    rank = 0
    for pos, i in enumerate(order, 1):
        if totals[i] != prev:
            rank = pos
            prev = totals[i]
        out.append((rank, i))
    return out


def fmt_score(v: float | None) -> str:
    return "—" if v is None else f"{v:.1f}"


def fmt_num(v: float) -> str:
    return f"{v:g}"


def period_text(rep: ReportResult) -> str:
    p = rep.meta.period
    if not p:
        return "—"
    return f"{p[0]}" if p[0] == p[1] else f"{p[0]}–{p[1]}"


def ruleset_text(rep: ReportResult) -> str:
    """`浙江省 zhejiang 2026.11.1`: the ruleset's display name first (its YAML `display_name:`)."""
    from compliance.rules.load import ruleset_label

    return f"{ruleset_label(rep.ruleset.name)} {rep.ruleset.version}"


def issuer_text(rep: ReportResult) -> str:
    return rep.meta.issuer or rep.meta.title or rep.source.rsplit("/", 1)[-1]


def status_text(r: RuleResult) -> str:
    s = STATUS_ZH.get(r.status, r.status)
    if r.waived is not None:
        s += "（已豁免）"
    return s


def families(rep: ReportResult) -> list[str]:
    seen: dict[str, None] = {}
    for r in rep.results:
        seen.setdefault(r.family, None)
    for f in rep.score.by_family:
        seen.setdefault(f, None)
    return list(seen)


def add_families(seen: dict[str, None], rep: ReportResult) -> None:
    """Add a report's score families to `seen`, in first-seen order across the batch."""
    for f in families(rep):
        seen.setdefault(f, None)


def family_label(f: str) -> str:
    zh = FAMILY_ZH.get(f)
    return f"{f} {zh}" if zh else f


def one_line(text: str, limit: int = 120) -> str:
    t = " ".join(text.split())
    return t if len(t) <= limit else t[: limit - 1] + "…"


def unique_evidence(r: RuleResult, limit: int | None = None) -> list:
    """Evidence without repeats (derived rules can quote the same sentence twice)."""
    seen: set[tuple[int, str]] = set()
    out = []
    for e in r.evidence:
        k = (e.line, e.quote)
        if k not in seen:
            seen.add(k)
            out.append(e)
    return out[:limit] if limit else out


# a quote that did not count (negated, wrong section, below the threshold …): every format labels it
# so, or a reader takes it for evidence
NEAR_MISS = "相近表述（未计入）"


def first_quote(r: RuleResult) -> tuple[str, int | None]:
    """The first evidence quote, else the first near miss labelled `相近表述（未计入）：…`."""
    if r.evidence:
        return r.evidence[0].quote, r.evidence[0].line
    if r.trace and r.trace.near_misses:
        nm = r.trace.near_misses[0]
        return f"{NEAR_MISS}：{nm.quote}", nm.line
    return "", None


class PassRates:
    """Per rule across the batch: how many reports it applies to and how many meet it, split by
    province when the batch spans several. Counters, added one report at a time."""

    def __init__(self) -> None:
        self._rows: dict[str, dict] = {}
        self._provinces: set[str] = set()

    def add(self, rep: ReportResult) -> None:
        prov = rep.meta.province or "未识别"
        self._provinces.add(prov)
        for r in rep.results:
            row = self._rows.setdefault(
                r.rule_id,
                {"rule_id": r.rule_id, "family": r.family, "title": r.title, "severity": r.severity,
                 "applicable": 0, "met": 0, "waived": 0, "by_province": defaultdict(lambda: [0, 0])},
            )
            if r.status == "not_applicable":
                continue
            row["applicable"] += 1
            row["by_province"][prov][1] += 1
            if r.status == "met":
                row["met"] += 1
                row["by_province"][prov][0] += 1
            if r.waived is not None:
                row["waived"] += 1

    def provinces(self) -> list[str]:
        return sorted(self._provinces)

    def rows(self) -> list[dict]:
        provinces = self.provinces()
        out = []
        for row in self._rows.values():
            row = dict(row)
            row["rate"] = row["met"] / row["applicable"] if row["applicable"] else None
            row["by_province"] = {p: tuple(row["by_province"][p]) for p in provinces if p in row["by_province"]}
            out.append(row)
        return out
