"""Cues: a pattern as written in a rule and its matching form (a normalized literal, or a regex
run with a time bound), and the lint check for regexes that backtrack catastrophically."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from compliance.rules.terms import is_regex

CUE_TIMEOUT = 1.0  # seconds one regex cue may spend on one text before it is skipped

_TIMED_OUT: list[str] = []  # regex cues that ran out of time since the last `take_timeouts()`


@dataclass(frozen=True)
class Cue:
    """A pattern as written (`raw`) and its matching form: a normalized literal or a compiled regex.

    `regex` (Python's `re`) is for analysis (pre-filter strings, gaps); matching goes through
    `matches`, which runs the same pattern on the `regex` engine with a time bound: a cue that
    backtracks for minutes on some text is stopped, noted, and treated as not found."""

    raw: str
    literal: str | None
    regex: re.Pattern | None
    bounded: Any = None  # the `regex` module's compiled pattern (takes `timeout=`)

    def matches(self, text: str):
        """Match objects of the regex in `text`, stopping (and noting the cue) past CUE_TIMEOUT."""
        rx = self.bounded or self.regex
        if rx is None or self.raw in _TIMED_OUT:  # timed out once on this report: not again per sentence
            return
        try:
            if self.bounded is not None:
                yield from self.bounded.finditer(text, timeout=CUE_TIMEOUT)
            else:
                yield from rx.finditer(text)
        except TimeoutError:
            if self.raw not in _TIMED_OUT:
                _TIMED_OUT.append(self.raw)

    def finditer(self, text: str):
        """(start, end) of every occurrence in normalized text."""
        if self.regex is not None:
            for m in self.matches(text):
                if m.end() > m.start():
                    yield m.start(), m.end()
        elif self.literal:
            i = text.find(self.literal)
            while i >= 0:
                yield i, i + len(self.literal)
                i = text.find(self.literal, i + 1)

    def search(self, text: str) -> bool:
        return next(iter(self.finditer(text)), None) is not None


def take_timeouts() -> list[str]:
    """Regex cues that timed out since the last call (the engine reports them on the report)."""
    out = list(_TIMED_OUT)
    _TIMED_OUT.clear()
    return out


def nested_unbounded(rx: re.Pattern) -> bool:
    """The shapes of catastrophic backtracking lint can recognise: an unbounded repeat (`*`, `+`,
    `{n,}`) inside another repeat, bounded or not (`(a+)+`, `(.*依){30}`), and a repeated
    alternation whose branches overlap, one starting with another (`(依|依依)*`)."""
    from re import _constants as C  # type: ignore[attr-defined]
    from re import _parser as sre  # type: ignore[attr-defined]

    repeats = {C.MAX_REPEAT, C.MIN_REPEAT} | ({C.POSSESSIVE_REPEAT} if hasattr(C, "POSSESSIVE_REPEAT") else set())

    def prefix(seq) -> str:
        out = []
        for op, av in seq:
            if op is not C.LITERAL:
                break
            out.append(chr(av))
        return "".join(out)

    def overlapping(branches) -> bool:
        heads = [prefix(b) for b in branches]
        return any(a and b and i != j and b.startswith(a) for i, a in enumerate(heads) for j, b in enumerate(heads))

    def again(first: int, rest) -> bool:
        """`(依|依依)*` is parsed as 依(?:|依)…: an optional part that starts as the body does."""
        for op, av in rest:
            if op is C.BRANCH and any(not b for b in av[1]) and any(b and b[0] == (C.LITERAL, first) for b in av[1]):
                return True
            if op in repeats and av[0] == 0 and list(av[2])[:1] == [(C.LITERAL, first)]:
                return True
        return False

    def walk(seq, inside: bool) -> bool:
        for op, av in seq:
            if op in repeats:
                unbounded = av[1] is C.MAXREPEAT
                if unbounded and inside:
                    return True
                repeated = unbounded or av[1] > 1
                body = list(av[2])
                if repeated and len(body) == 1 and body[0][0] is C.SUBPATTERN:
                    body = list(body[0][1][-1])
                if repeated and len(body) == 1 and body[0][0] is C.BRANCH and overlapping(body[0][1][1]):
                    return True
                if repeated and body and body[0][0] is C.LITERAL and again(body[0][1], body[1:]):
                    return True
                if walk(av[2], inside or repeated):
                    return True
            elif op is C.SUBPATTERN:
                if walk(av[-1], inside):
                    return True
            elif op is C.BRANCH:
                if any(walk(b, inside) for b in av[1]):
                    return True
            elif op in (C.ASSERT, C.ASSERT_NOT):
                if walk(av[1], inside):
                    return True
        return False

    try:
        return walk(sre.parse(rx.pattern, rx.flags), False)
    except Exception:
        return False


def compile_cue(p: str) -> Cue:
    """Raises re.error for a bad regex (or one the time-bounded `regex` engine cannot take)."""
    from compliance.text import normalize

    if is_regex(p):
        import regex

        rx = re.compile(p[1:-1])
        try:
            bounded = regex.compile(p[1:-1])
        except regex.error as exc:
            raise re.error(f"{exc} (regex engine)") from None
        return Cue(p, None, rx, bounded)
    return Cue(p, normalize(p), None)

