"""Thresholds and exit codes.

Exit codes (contract): 0 checked and thresholds held; 1 a threshold was breached; 2 usage or
configuration error; 3 at least one input could not be read. When an input failed *and* a
threshold was breached, 3 wins: an unreadable report is the more basic failure (a CI job must
not pass a batch it could not fully read, nor pretend the failure is only a low score).

Waived findings do not count: `--fail-on` skips them, and for `--fail-under` a waived finding
counts as met (its missing points are added back) — only for the comparison; the reported
score is unchanged.
"""

from __future__ import annotations

from compliance.models import CheckResult, ReportResult
from compliance.labels import SEVERITY_RANK, fmt_score
from compliance.results import is_finding

EXIT_OK, EXIT_THRESHOLD, EXIT_USAGE, EXIT_INPUT = 0, 1, 2, 3


def threshold_total(rep: ReportResult) -> float | None:
    """The total with waived findings counted as met."""
    total = rep.score.total
    if total is None:
        return None
    applicable = sum(r.points for r in rep.results if r.status != "not_applicable")
    if applicable <= 0:
        return total
    back = sum(r.points - r.earned for r in rep.results if r.waived is not None and is_finding(r))
    return min(100.0, total + 100.0 * back / applicable)


def breaches(result: CheckResult, fail_under: float | None, fail_on: str | None, strict: bool = False) -> list[str]:
    """One line per breach. `strict`: a document that is not a rule-of-law report (type other,
    no score) fails the gate too — without it, a gate passes a 政府工作报告 or an English text."""
    out: list[str] = []
    for rep in result.reports:
        if strict and (rep.meta.doc_type == "other" or rep.score.total is None):
            out.append(f"{rep.source}: 不是法治政府建设报告，未评分 not a rule-of-law report "
                       f"(document type {rep.meta.doc_type}, no score) --strict")
        if fail_under is not None:
            t = threshold_total(rep)
            if t is not None and t < fail_under:
                out.append(f"{rep.source}: score {fmt_score(t)} is below --fail-under {fail_under:g}")
        if fail_on is not None:
            limit = SEVERITY_RANK[fail_on]
            bad = [
                r for r in rep.results
                if is_finding(r) and r.waived is None and SEVERITY_RANK.get(r.severity, 9) <= limit
            ]
            if bad:
                ids = ", ".join(r.rule_id for r in bad[:8]) + (" …" if len(bad) > 8 else "")
                out.append(f"{rep.source}: {len(bad)} finding(s) of severity ≥ {fail_on}: {ids}")
    return out


def exit_code(result: CheckResult, breached: list[str]) -> int:
    if result.errors:
        return EXIT_INPUT
    if breached:
        return EXIT_THRESHOLD
    return EXIT_OK
