"""`--select` / `--ignore`: which rules a check reports, by rule id (shell patterns: `FCR-*`),
family (`AR`, `FRP`, `TES`, `FCR`) or severity (`critical`, `major`, `minor`), case-insensitive.

Applied after the engine (so the cache holds every rule): the report keeps only the selected
rules and its score is computed again over them — a gate on `--select FCR` judges FCR alone.
`--ignore` wins over `--select`."""

from __future__ import annotations

import fnmatch

from compliance.models import SEVERITIES, ReportResult, RuleResult


class SelectionError(ValueError):
    pass


def parse(values: list[str] | None) -> list[str]:
    """`["FCR,critical", "ar-07"]` → `["FCR", "CRITICAL", "AR-07"]`."""
    out: list[str] = []
    for v in values or []:
        out += [t.strip().upper() for t in v.split(",") if t.strip()]
    return out


def _matches(r: RuleResult, token: str) -> bool:
    if token.lower() in SEVERITIES:
        return r.severity == token.lower()
    return r.family.upper() == token or fnmatch.fnmatchcase(r.rule_id.upper(), token)


def check_tokens(tokens: list[str], known: set[str]) -> None:
    """A token that names no rule, family or severity is a typo: say so (exit 2)."""
    bad = [t for t in tokens if t.lower() not in SEVERITIES
           and not any(fnmatch.fnmatchcase(k, t) for k in known)]
    if bad:
        raise SelectionError(
            f"未知的规则、类别或严重程度 unknown rule, family or severity: {', '.join(bad)}"
            f"（类别 families: AR FRP TES FCR；严重程度 severities: {' '.join(SEVERITIES)}）")


def apply(rep: ReportResult, select: list[str], ignore: list[str]) -> ReportResult:
    if not select and not ignore:
        return rep
    kept = [r for r in rep.results
            if (not select or any(_matches(r, t) for t in select)) and not any(_matches(r, t) for t in ignore)]
    if len(kept) == len(rep.results):
        return rep
    from compliance.engine.score import score

    scoring: dict = {}
    try:
        from compliance.rules.load import load_ruleset

        scoring = load_ruleset(rep.ruleset.name).scoring or {}
    except Exception:  # a ruleset given as a file: the default grades
        pass
    rep.results = kept
    if rep.score.total is not None or rep.meta.doc_type != "other":
        rep.score = score(kept, scoring)
    else:
        rep.score = rep.score.model_copy(update={"by_family": {f: v for f, v in rep.score.by_family.items()
                                                               if any(r.family == f for r in kept)}})
    return rep
