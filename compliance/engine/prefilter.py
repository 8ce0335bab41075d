"""The regex pre-filter: for a regex cue, the strings every match must contain, so the evidence
pass runs the regex only on sentences that hold them (most sentences cannot match)."""

from __future__ import annotations

import re

from compliance.rules.regex_syntax import Branch, Group, Lit, Repeat, Seq, Unsupported, parse

_REQUIRED: dict[tuple[str, bool], tuple[frozenset[str], ...]] = {}  # (source, read literally) →
_GLOBAL_FLAGS = re.compile(r"\(\?([aiLmsux]+)\)")


def required_literals(rx: re.Pattern[str] | str) -> tuple[str, ...]:
    """Literal runs that every match of `rx` contains (the single-alternative requirements)."""
    return tuple(next(iter(x)) for x in required_sets(rx) if len(x) == 1)


def required_sets(rx: re.Pattern[str] | str) -> tuple[frozenset[str], ...]:
    """What every match of `rx` (a pattern or its source) must contain: for each set, at least
    one of its strings.

    From the top-level sequence, plain groups, repeats with min ≥ 1 and alternations whose every
    branch has a requirement (`(行政许可|行政处罚)…公示` → {行政许可, 行政处罚}, {公示}). A pattern
    that ignores case or whitespace (`(?i)`, `(?x)`) has none.
    """
    src = rx if isinstance(rx, str) else rx.pattern
    flags = _GLOBAL_FLAGS.match(src)
    literal = not (not isinstance(rx, str) and rx.flags & (re.IGNORECASE | re.VERBOSE)) and not (
        flags is not None and ("i" in flags.group(1) or "x" in flags.group(1)))
    got = _REQUIRED.get((src, literal))
    if got is not None:
        return got
    out: list[frozenset[str]] = []
    if literal:
        try:
            out = _seq_requirements(parse(src))
        except Unsupported:  # a shape the parser does not read: no pre-filter
            out = []
    _REQUIRED[(src, literal)] = got = tuple(dict.fromkeys(x for x in out if x and all(x)))
    return got


def _seq_requirements(seq: Seq) -> list[frozenset[str]]:
    out: list[frozenset[str]] = []
    run: list[str] = []

    def flush() -> None:
        if run:
            out.append(frozenset(["".join(run)]))
            run.clear()

    for node in seq:
        if isinstance(node, Lit):
            run.append(node.ch)
            continue
        flush()
        if isinstance(node, Group) and not node.ignorecase:  # (?i:…) is not literal
            out.extend(_seq_requirements(node.body))
        elif isinstance(node, Repeat) and not node.possessive and node.lo >= 1:
            out.extend(_seq_requirements(node.body))
        elif isinstance(node, Branch):
            out.extend(_branch_requirements([_seq_requirements(b) for b in node.alts]))
    flush()
    return out


def _branch_requirements(per_branch: list[list[frozenset[str]]]) -> list[frozenset[str]]:
    """What every match of an alternation must contain, given each branch's requirement sets.

    A match satisfies one branch, so a set every branch requires is required, and so is any union of
    one set from each branch. The sets common to all branches come first; then, rank by rank, the
    union of each branch's j-th most selective remaining set (fewest alternatives, longest strings;
    a branch's last one where it has fewer): `执法.*(人均…学时)|(人均…学时).*执法` requires both
    {执法} and {人均, …}, not only {执法}, which nearly every sentence of a report holds."""
    if not per_branch or any(not reqs for reqs in per_branch):
        return []
    common = [x for x in dict.fromkeys(per_branch[0]) if all(x in reqs for reqs in per_branch[1:])]
    rest = [sorted((x for x in reqs if x not in common), key=lambda x: (len(x), -min(map(len, x))))
            for reqs in per_branch]
    out = list(common)
    if all(rest):
        for j in range(max(map(len, rest))):
            got: set[str] = set()
            for reqs in rest:
                got |= reqs[min(j, len(reqs) - 1)]
            out.append(frozenset(got))
    return out
