"""Cues: a pattern as written in a rule and its matching form (a normalized literal, or a regex
run with a time bound), and the lint check for regexes that backtrack catastrophically."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from compliance.rules.regex_syntax import INF, Assert, Branch, Group, Lit, Repeat, Seq, Unsupported, parse
from compliance.rules.terms import is_regex

CUE_TIMEOUT = 1.0  # seconds one regex cue may spend on one text before it is skipped

_TIMED_OUT: list[str] = []  # regex cues that ran out of time since the last `take_timeouts()`

# regex source → its compiled `regex` pattern as a pickle, from the prepared cache (`keep_compiled`):
# a `regex` pattern pickles with its compiled program, and loading one (~7 µs) skips the module's
# Python-level parser (~0.2–1 ms a pattern)
_KEPT: dict[str, bytes] = {}


@dataclass(frozen=True)
class Cue:
    """A pattern as written (`raw`) and its matching form: a normalized literal, or the source of
    a regex (`source`, the pattern between the slashes).

    `regex` (Python's `re`) is for analysis (gaps, markers at a sentence's start); matching goes
    through `matches`, which runs the same pattern on the `regex` engine with a time bound: a cue
    that backtracks for minutes on some text is stopped, noted, and treated as not found. Both are
    compiled on first use and never pickled, so a ruleset loaded from the prepared cache
    (compliance.prepared) compiles only the regexes a report actually reaches."""

    raw: str
    literal: str | None
    source: str | None = None

    @property
    def is_regex(self) -> bool:
        return self.source is not None

    @cached_property
    def regex(self) -> re.Pattern[str] | None:
        return re.compile(self.source) if self.source is not None else None

    @cached_property
    def bounded(self) -> Any:
        """The `regex` module's compiled pattern (takes `timeout=`), or None for a literal."""
        if self.source is None:
            return None
        kept = _KEPT.get(self.source)
        if kept is not None:
            import pickle

            try:
                return pickle.loads(kept)
            except Exception:  # noqa: BLE001 - compiled again below
                _KEPT.pop(self.source, None)
        import regex

        return regex.compile(self.source)

    def __reduce__(self) -> tuple[Any, ...]:  # the compiled patterns stay out of a pickle
        return (_revive, (self.raw, self.literal, self.source))

    def matches(self, text: str):
        """Match objects of the regex in `text`, stopping (and noting the cue) past CUE_TIMEOUT."""
        if self.source is None or self.raw in _TIMED_OUT:  # timed out once on this report: not again per sentence
            return
        try:
            yield from self.bounded.finditer(text, timeout=CUE_TIMEOUT)
        except TimeoutError:
            if self.raw not in _TIMED_OUT:
                _TIMED_OUT.append(self.raw)

    def finditer(self, text: str):
        """(start, end) of every occurrence in normalized text."""
        if self.source is not None:
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


def keep_compiled(cues: dict[str, Cue]) -> None:
    """The compiled `regex` pattern of every regex cue of a ruleset, kept between runs
    (compliance.prepared; named by the `regex` module's and Python's versions and the sources),
    so a process compiles none of the regexes a report reaches. Off with the cache."""
    from compliance import prepared

    if prepared.prepared_dir() is None:
        return
    import pickle
    import sys

    import regex

    sources = sorted({c.source for c in cues.values() if c.source is not None})

    def build() -> dict[str, bytes]:
        out = {}
        for src in sources:
            try:
                out[src] = pickle.dumps(regex.compile(src), protocol=pickle.HIGHEST_PROTOCOL)
            except Exception:  # noqa: BLE001 - compiled (and reported) when used
                continue
        return out

    def valid(v: object) -> bool:
        return isinstance(v, dict) and all(isinstance(k, str) and isinstance(b, bytes) for k, b in v.items())

    _KEPT.update(prepared.cached("regexes", [regex.__version__, sys.version, *sources], build, valid))


def take_timeouts() -> list[str]:
    """Regex cues that timed out since the last call (the engine reports them on the report)."""
    out = list(_TIMED_OUT)
    _TIMED_OUT.clear()
    return out


def nested_unbounded(rx: re.Pattern[str]) -> bool:
    """The shapes of catastrophic backtracking lint can recognise: an unbounded repeat (`*`, `+`,
    `{n,}`) inside another repeat, bounded or not (`(a+)+`, `(.*依){30}`), and a repeated
    alternation whose branches overlap, one starting with another (`(依|依依)*`)."""
    try:
        return _walk(parse(rx.pattern), False)
    except Unsupported:
        return False


def _prefix(seq: Seq) -> str:
    out = []
    for n in seq:
        if not isinstance(n, Lit):
            break
        out.append(n.ch)
    return "".join(out)


def _overlapping(branches: tuple[Seq, ...]) -> bool:
    heads = [_prefix(b) for b in branches]
    return any(a and b and i != j and b.startswith(a) for i, a in enumerate(heads) for j, b in enumerate(heads))


def _again(first: str, rest: Seq) -> bool:
    """`(依|依依)*` reads as 依(?:|依)…: an optional part that starts as the body does."""
    for n in rest:
        if isinstance(n, Branch) and any(not b for b in n.alts) and any(b and b[0] == Lit(first) for b in n.alts):
            return True
        if isinstance(n, Repeat) and n.lo == 0 and n.body[:1] == (Lit(first),):
            return True
    return False


def _walk(seq: Seq, inside: bool) -> bool:
    for n in seq:
        if isinstance(n, Repeat):
            unbounded = n.hi == INF
            if unbounded and inside:
                return True
            repeated = unbounded or n.hi > 1
            body = n.body
            if repeated and len(body) == 1 and isinstance(body[0], Group):
                body = body[0].body
            if repeated and len(body) == 1 and isinstance(body[0], Branch) and _overlapping(body[0].alts):
                return True
            if repeated and body and isinstance(body[0], Lit) and _again(body[0].ch, body[1:]):
                return True
            if _walk(n.body, inside or repeated):
                return True
        elif isinstance(n, Group):
            if _walk(n.body, inside):
                return True
        elif isinstance(n, Branch):
            if any(_walk(b, inside) for b in n.alts):
                return True
        elif isinstance(n, Assert):
            if _walk(n.body, inside):
                return True
    return False


_COMPILED: dict[str, Cue] = {}  # pattern → its cue: every ruleset of a chain shares its parent's


def compile_cue(p: str) -> Cue:
    """Raises re.error for a bad regex (or one the time-bounded `regex` engine cannot take).
    A cue is immutable, so one compiled pattern serves every ruleset in the process."""
    got = _COMPILED.get(p)
    if got is None:
        got = _COMPILED[p] = _compile_cue(p)
    return got


def _revive(raw: str, literal: str | None, source: str | None) -> Cue:
    """A pickled cue: the one this process already holds (compiled), else registered as it is."""
    got = _COMPILED.get(raw)
    if got is None or got.literal != literal or got.source != source:
        got = _COMPILED[raw] = Cue(raw, literal, source)
    return got


def _compile_cue(p: str) -> Cue:
    from compliance.text import normalize

    if is_regex(p):
        import regex

        cue = Cue(p, None, p[1:-1])
        cue.regex  # noqa: B018 — compiled now: a bad pattern is a lint error, not a failure mid-check
        try:
            cue.bounded  # noqa: B018
        except regex.error as exc:
            raise re.error(f"{exc} (regex engine)") from None
        return cue
    return Cue(p, normalize(p))

