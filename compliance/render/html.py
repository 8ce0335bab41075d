"""`--format html`: one self-contained page (inline CSS/JS, no network assets), autoescaped.

The report's own text is shown with evidence lines highlighted and anchored (`#L<line>`, or
`#r<n>-L<line>` in a batch), and every quoted finding links there. The text is passed in as
`lines={source: [...]}` (the CLI re-reads the inputs); without it the page still renders and
simply has no text view or links.
"""

from __future__ import annotations

from collections import defaultdict

from jinja2 import Environment, PackageLoader, select_autoescape

from compliance.models import CheckResult, ReportResult
from compliance.render.common import (
    BASELINE_ZH,
    DOC_TYPE_ZH,
    SEVERITY_ZH,
    STATUS_ZH,
    family_label,
    findings,
    fmt_num,
    fmt_score,
    is_finding,
    issuer_text,
    period_text,
    provinces,
    ranking,
    rule_pass_rates,
    status_text,
    unique_evidence,
)


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


def _segments(text: str, quotes: list[str]) -> list[tuple[str, bool]]:
    """Split a line into (text, highlighted) runs where any quote (or its start) occurs."""
    marks = [False] * len(text)
    for q in quotes:
        q = q.strip()
        for probe in (q, q[:16], q[:8]):
            if len(probe) < 2:
                continue
            i = text.find(probe)
            if i >= 0:
                end = min(len(text), i + len(q))
                for k in range(i, end):
                    marks[k] = True
                break
    out: list[tuple[str, bool]] = []
    for ch, m in zip(text, marks):
        if out and out[-1][1] == m:
            out[-1] = (out[-1][0] + ch, m)
        else:
            out.append((ch, m))
    return out or [("", False)]


def _report_view(idx: int, rep: ReportResult, lines: list[str] | None, single: bool) -> dict:
    prefix = "" if single else f"r{idx}-"
    n_lines = len(lines) if lines else 0
    by_line: dict[int, list[tuple[str, str, str]]] = defaultdict(list)  # line -> (rule, status, quote)
    for r in rep.results:
        for e in r.evidence:
            by_line[e.line].append((r.rule_id, r.status, e.quote))

    def anchor(line: int | None) -> str | None:
        return f"{prefix}L{line}" if line and 1 <= line <= n_lines else None

    text_lines = []
    for no, text in enumerate(lines or [], 1):
        hits = by_line.get(no, [])
        text_lines.append(
            {
                "no": no,
                "id": f"{prefix}L{no}",
                "segments": _segments(text, [q for _, _, q in hits]) if hits else [(text, False)],
                "rules": sorted({rid for rid, _, _ in hits}),
                "cls": ("hit " + " ".join(sorted({f"st-{s}" for _, s, _ in hits}))) if hits else "",
            }
        )
    rules = []
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
        {"name": family_label(f), "score": v, "width": 0 if v is None else max(0.0, min(100.0, v))}
        for f, v in rep.score.by_family.items()
    ]
    return {
        "rep": rep,
        "id": f"report-{idx}",
        "issuer": issuer_text(rep),
        "doc_type": DOC_TYPE_ZH.get(rep.meta.doc_type, rep.meta.doc_type),
        "period": period_text(rep),
        "families": fams,
        "rules": rules,
        "findings": [by_id[r.rule_id] for r in findings(rep)],  # worst first
        "n_findings": len(findings(rep)),
        "lines": text_lines,
        "prefix": prefix,
    }


def render(result: CheckResult, lines: dict[str, list[str]] | None = None, **opts) -> str:
    lines = lines or {}
    single = len(result.reports) == 1
    reports = [_report_view(i, rep, lines.get(rep.source), single) for i, rep in enumerate(result.reports, 1)]
    idx_of = {id(rep): i for i, rep in enumerate(result.reports, 1)}
    rank_rows = [
        {"rank": rank, "rep": rep, "issuer": issuer_text(rep), "href": f"#report-{idx_of[id(rep)]}",
         "doc_type": DOC_TYPE_ZH.get(rep.meta.doc_type, rep.meta.doc_type), "period": period_text(rep),
         "gaps": len(findings(rep))}
        for rank, rep in ranking(result)
    ]
    provs = provinces(result)
    rates = rule_pass_rates(result) if len(result.reports) > 1 else []
    return _env().get_template("report.html.j2").render(
        result=result,
        reports=reports,
        ranking=rank_rows,
        rates=rates,
        provinces=provs if len(provs) > 1 else [],
        status_zh=STATUS_ZH,
        severity_zh=SEVERITY_ZH,
        batch=len(result.reports) > 1,
    )
