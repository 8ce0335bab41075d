"""`--format html`: one self-contained page (inline CSS/JS, no network assets), autoescaped.

The report's own text is shown with evidence lines highlighted and anchored (`#L<line>`, or
`#r<n>-L<line>` in a batch), and every quoted finding links there. The text is passed in as
`lines={source: [...]}` (the CLI re-reads the inputs); without it the page still renders and
simply has no text view or links.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache
from types import SimpleNamespace
from typing import Any

from jinja2 import Environment, PackageLoader, select_autoescape
from markupsafe import Markup

from compliance.models import CheckResult, InputError, ReportResult, Summary, ToolInfo
from compliance.render import Kept, build
from compliance.labels import BASELINE_ZH, DOC_TYPE_ZH, SEVERITY_ZH, STATUS_ZH, fmt_num, fmt_score
from compliance.results import (
    PassRates,
    family_label,
    findings,
    highlight,
    is_finding,
    issuer_text,
    period_text,
    rank_order,
    ruleset_text,
    status_text,
    unique_evidence,
)


@lru_cache(maxsize=1)
def _env() -> Environment:
    env = Environment(
        loader=PackageLoader("compliance.render", "templates"),
        autoescape=select_autoescape(["html", "j2", "html.j2"]),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["score"] = fmt_score
    env.filters["num"] = fmt_num
    return env


def _report_view(idx: int, rep: ReportResult, lines: list[str] | None, single: bool) -> dict:
    prefix = "" if single else f"r{idx}-"
    n_lines = len(lines) if lines else 0
    status = {r.rule_id: r.status for r in rep.results}
    quoted = {r.rule_id for r in rep.results if r.evidence}  # a line is a hit for the rules quoting it

    def anchor(line: int | None) -> str | None:
        return f"{prefix}L{line}" if line and 1 <= line <= n_lines else None

    text_lines = []
    for ln in highlight(rep, lines, prefix)[0] if lines else []:
        hits = {rid for s in ln.segments if s.kind != "near" for rid in s.rules if rid in quoted}
        text_lines.append(
            {
                "no": ln.no,
                "id": f"{prefix}L{ln.no}",
                "segments": ln.segments,
                "rules": ln.rules,
                "cls": ("hit " + " ".join(sorted({f"st-{status[r]}" for r in hits}))) if hits else "",
            }
        )
    rules: list[dict[str, Any]] = []
    for r in rep.results:
        rules.append(
            {
                "r": r,
                "id": f"{prefix}rule-{r.rule_id}",
                "status_zh": status_text(r),
                "severity_zh": SEVERITY_ZH.get(r.severity, r.severity),
                "finding": is_finding(r),
                "baseline_zh": BASELINE_ZH.get(r.baseline or "", ""),
                "evidence": [{"e": e, "href": anchor(e.line)} for e in unique_evidence(r)],
                "near": [{"n": n, "href": anchor(n.line)} for n in (r.trace.near_misses if r.trace else [])[:3]],
            }
        )
    by_id = {x["r"].rule_id: x for x in rules}
    fams = [
        {"name": family_label(f, rep), "score": v, "width": 0 if v is None else max(0.0, min(100.0, v))}
        for f, v in rep.score.by_family.items()
    ]
    return {
        "rep": rep,
        "id": f"report-{idx}",
        "issuer": issuer_text(rep),
        "doc_type": DOC_TYPE_ZH.get(rep.meta.doc_type, rep.meta.doc_type),
        "ruleset": ruleset_text(rep),
        "period": period_text(rep),
        "families": fams,
        "rules": rules,
        "findings": [by_id[r.rule_id] for r in findings(rep)],  # worst first
        "n_findings": len(findings(rep)),
        "lines": text_lines,
        "prefix": prefix,
    }


def _section(idx: int, rep: ReportResult, lines: list[str] | None, single: bool) -> Markup:
    """One report's section of the page, rendered as soon as the report is known."""
    html = _env().get_template("_report_section.html.j2").render(
        v=_report_view(idx, rep, lines, single), status_zh=STATUS_ZH, severity_zh=SEVERITY_ZH)
    return Markup(html + "\n")  # noqa: S704 - rendered by the autoescaping environment


class Builder(Kept):
    """The page built report by report: each report's section is rendered as it comes (with its
    text view, so its lines are not kept), and only a ranking row and the pass-rate counters are
    kept. The first report waits for a second one: a page of one report has unprefixed anchors."""

    def __init__(self, lines: dict[str, list[str]] | Callable[[str], list[str] | None] | None = None, **opts) -> None:
        self._lines = lines.get if isinstance(lines, dict) else (lines or (lambda source: None))
        self.totals: list[float | None] = []
        self.rows: list[dict] = []
        self.sections: list[Markup] = []
        self.rates = PassRates()
        self._first: tuple[ReportResult, list[str] | None] | None = None
        self._issuer = ""

    def add(self, rep: ReportResult) -> str:
        i = len(self.totals) + 1
        self.totals.append(rep.score.total)
        self.rows.append({"rep": SimpleNamespace(score=rep.score, source=rep.source), "issuer": issuer_text(rep),
                          "href": f"#report-{i}", "doc_type": DOC_TYPE_ZH.get(rep.meta.doc_type, rep.meta.doc_type),
                          "period": period_text(rep), "gaps": len(findings(rep))})
        self.rates.add(rep)
        if i == 1:
            self._first, self._issuer = (rep, self._lines(rep.source)), issuer_text(rep)
            return ""
        if self._first is not None:  # a batch after all: the first report's section, prefixed
            self.sections.append(_section(1, *self._first, single=False))
            self._first = None
        self.sections.append(_section(i, rep, self._lines(rep.source), single=False))
        return ""

    def finish(self, tool: ToolInfo, errors: list[InputError], summary: Summary | None = None) -> str:
        if self._first is not None:
            self.sections.append(_section(1, *self._first, single=True))
            self._first = None
        n = len(self.totals)
        provs = self.rates.provinces()
        rank_rows = [dict(self.rows[i], rank=rank) for rank, i in rank_order(self.totals)]
        page = SimpleNamespace(tool=tool, errors=errors, summary=summary or Summary.of(self.totals, len(errors)))
        return _env().get_template("report.html.j2").render(
            result=page,
            sections=self.sections,
            single_issuer=self._issuer if n == 1 else "",
            ranking=rank_rows,
            rates=self.rates.rows() if n > 1 else [],
            provinces=provs if len(provs) > 1 else [],
            status_zh=STATUS_ZH,
            severity_zh=SEVERITY_ZH,
            batch=n > 1,
        )


def render(result: CheckResult, lines: dict[str, list[str]] | None = None, **opts) -> str:
    return build(Builder(lines=lines or {}), result)  # type: ignore[return-value]
