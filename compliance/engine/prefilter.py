"""The regex pre-filter: for a regex cue, the strings every match must contain, so the evidence
pass runs the regex only on sentences that hold them (most sentences cannot match)."""

from __future__ import annotations

import re
from typing import Any

_REQUIRED: dict[re.Pattern[str], tuple[frozenset[str], ...]] = {}


def required_literals(rx: re.Pattern[str]) -> tuple[str, ...]:
    """Literal runs that every match of `rx` contains (the single-alternative requirements)."""
    return tuple(next(iter(x)) for x in required_sets(rx) if len(x) == 1)


def required_sets(rx: re.Pattern[str]) -> tuple[frozenset[str], ...]:
    """What every match of `rx` must contain: for each set, at least one of its strings.

    From the top-level sequence, plain groups, repeats with min ≥ 1 and alternations whose every
    branch has a requirement (`(行政许可|行政处罚)…公示` → {行政许可, 行政处罚}, {公示}).
    """
    got = _REQUIRED.get(rx)
    if got is not None:
        return got
    out: list[frozenset[str]] = []
    if not rx.flags & re.IGNORECASE:
        try:
            out = _seq_requirements(_sre().parse(rx.pattern, rx.flags))
        except Exception:  # an unknown parse shape: no pre-filter
            out = []
    _REQUIRED[rx] = got = tuple(dict.fromkeys(x for x in out if x and all(x)))
    return got


def _sre() -> Any:
    from re import _parser as sre  # type: ignore[attr-defined]

    return sre


def _seq_requirements(seq: Any) -> list[frozenset[str]]:
    from re import _constants as C  # type: ignore[attr-defined]

    out: list[frozenset[str]] = []
    run: list[str] = []

    def flush() -> None:
        if run:
            out.append(frozenset(["".join(run)]))
            run.clear()

    for op, av in seq:
        if op is C.LITERAL:
            run.append(chr(av))
            continue
        flush()
        if op is C.SUBPATTERN and not av[1] & re.IGNORECASE:  # (?i:…) is not literal
            out.extend(_seq_requirements(av[-1]))
        elif op in (C.MAX_REPEAT, C.MIN_REPEAT) and av[0] >= 1:
            out.extend(_seq_requirements(av[2]))
        elif op is C.BRANCH:
            alts: set[str] = set()
            for branch in av[1]:
                reqs = _seq_requirements(branch)
                if not reqs:
                    alts = set()
                    break
                # the branch's most selective requirement: fewest alternatives, longest strings
                alts |= min(reqs, key=lambda x: (len(x), -min(map(len, x))))
            if alts:
                out.append(frozenset(alts))
    flush()
    return out
