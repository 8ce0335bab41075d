"""What a check is evaluated with: the report index, the ruleset and rule, and the judgements
every kind of check shares: the polarity of a hit (done, admitted gap, planned), whether a hit is
the bureau's own act, and near misses."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import TYPE_CHECKING

from compliance.engine.checks.base import RuleEvidence
from compliance.engine.context import TITLE_WHY, Context, blank
from compliance.engine.explain import ROLE_ZH, strip_numbering
from compliance.engine.index import Index, MarkerSpans, Sent
from compliance.engine.memo import per_ruleset
from compliance.models import NearMiss
from compliance.rules.cues import Cue
from compliance.text import split_clauses

if TYPE_CHECKING:
    from compliance.rules.load import CompiledRule, CompiledRuleset

MAX_NEAR_MISSES = 8


def _any_of(cues: list[Cue]) -> re.Pattern[str]:
    """One regex that matches wherever any of the cues (literals or regexes) could match."""
    parts = [c.regex.pattern if c.regex is not None else re.escape(c.literal or "") for c in cues if c.regex is not None or c.literal]
    return re.compile("|".join(f"(?:{p})" for p in parts)) if parts else re.compile(r"(?!)")


@per_ruleset
def _markers(rs: CompiledRuleset) -> tuple[list[Cue], list[Cue]]:
    """The ruleset's negation and planned markers, compiled."""
    return [rs.cue(c) for c in rs.negation], [rs.cue(c) for c in rs.planned]


@per_ruleset
def _any_marker(rs: CompiledRuleset) -> dict[tuple[str, ...], re.Pattern[str]]:
    """Per set of a rule's own negation markers: one regex of every marker (see `_any_of`)."""
    return {}


@per_ruleset
def _context(rs: CompiledRuleset) -> Context:
    return Context(rs)


class CheckContext:
    def __init__(self, ix: Index, rs: CompiledRuleset, cr: CompiledRule, ev: RuleEvidence):
        self.ix = ix
        self.rs = rs
        self.cr = cr
        self.ev = ev
        negation, planned = _markers(rs)
        self.negation = negation + [rs.cue(c) for c in cr.rule.negation] if cr.rule.negation else negation
        self.planned = planned
        cache = _any_marker(rs)
        key = self.neg_key = tuple(cr.rule.negation)
        rx = cache.get(key)
        if rx is None:
            rx = cache[key] = _any_of(self.negation + self.planned)
        self.any_marker = rx
        self.context = _context(rs)

    def not_evidence(self, s: Sent, a: int, b: int, in_titles: bool = False) -> str | None:
        """Why the cue at `a:b` of `s` is not evidence of the bureau's own work (a purpose clause,
        a higher-level document's title unless `in_titles`), or None."""
        for x, y, why in self.context.masked(s.norm, s.clauses):
            if x <= a and b <= y and not (in_titles and why.startswith(TITLE_WHY)):
                return why
        return None

    def tells_act(self, s: Sent, narrow: bool = False) -> bool:
        """The cue's paragraph (a heading: its section's body) tells an act (markers.act); with
        `narrow`, the cue's sentence or the next one of its paragraph (a heading: still its body)."""
        key: tuple = ("p", s.pi) if s.pi >= 0 else ("s", s.section_id)
        if narrow and s.pi >= 0:
            key = ("n", s.gi)
        got = self.ix.acts.get(key)
        if got is None:
            if narrow and s.pi >= 0:
                para = self.ix.sents_of_para(s.pi)
                k = next((i for i, t in enumerate(para) if t.gi == s.gi), 0)
                texts = [t.norm for t in para[k:k + 2]]
            elif s.pi >= 0:
                texts = [t.norm for t in self.ix.sents_of_para(s.pi)]
            else:
                texts = [t.norm for t in self.ix.sents if t.section_id == s.section_id and not t.heading]
            texts = [self._unmasked(t) for t in texts]
            got = self.ix.acts[key] = self.context.tells_act(texts)
        return got

    def _unmasked(self, norm: str) -> str:
        return blank(norm, self.context.masked(norm, split_clauses(norm)))

    def near_miss(self, s: Sent, pos: int, reason: str) -> None:
        nm = self.ev.near_misses
        if len(nm) >= MAX_NEAR_MISSES * 4:
            return
        line = self.ix.line_of(s, pos)
        for x in nm:
            if x.line == line and x.reason == reason:
                return
        nm.append(NearMiss(quote=s.text.strip(), line=line, section=s.section, role=s.role, reason=reason))

    def polarity(self, s: Sent, a: int, b: int, explicit_roles: Sequence[str] | None) -> str:
        return self.polarity_why(s, a, b, explicit_roles)[0]

    def polarity_why(self, s: Sent, a: int, b: int, explicit_roles: Sequence[str] | None,
                     cue: Cue | None = None) -> tuple[str, str]:
        """(polarity, why in Chinese) of the cue at `a:b` of `s`; why is "" when positive.

        A marker inside the cue's own words (未 of 未成年人, 薄弱 of 存在薄弱环节) does not count; one in
        a regex cue's wildcard gap does ("执法人员未能按要求完成培训" matched by 执法人员[^。]{0,20}培训)."""
        if self.ix.plan:
            return "planned", "文件为计划方案（计划）"
        roles = explicit_roles or ()
        if s.role == "plans" and "plans" not in roles:
            return "planned", f"位于“{part_name(self.ix, s)}”部分（计划）"
        ca, cb = s.clause_of(a)
        clause = s.norm[ca:cb]
        spans = self._marker_spans(s, ca, cb)
        if s.role == "problems" and "problems" not in roles:
            # 制定了《…》等制度，但…仍未落实: the clause that says it was done is positive for what it names
            negated = spans is not None and any(spans[0])
            if not (self.context.done_in(clause) and not negated):
                return "negative", f"位于“{part_name(self.ix, s)}”部分（自述不足）"
        if spans is None:  # most clauses hold no marker
            return "positive", ""
        own = own_words(s.norm, a, b, cue)

        def outside(x: int, y: int) -> bool:  # the marker is not part of the cue itself
            return not any(ca + x < q and ca + y > p for p, q in own)

        negation, planned = spans
        if not self.cr.rule.ignore_negation:
            for found in negation:
                for x, y in found:
                    if outside(x, y):
                        return "negative", f"否定：“{clause[x:y]}”与线索在同一分句"
        for found in planned:
            for x, y in found:
                if outside(x, y):
                    return "planned", f"计划：“{clause[x:y]}”与线索在同一分句"
        return "positive", ""

    def _marker_spans(self, s: Sent, ca: int, cb: int) -> MarkerSpans | None:
        """Every marker's spans in the clause `ca:cb` of `s` (None: no marker there), found once per
        report and negation set: a long clause with many cue hits is scanned once, not per hit."""
        key = (self.neg_key, s.gi, ca)
        memo = self.ix.marker_spans
        if key in memo:
            return memo[key]
        clause = s.norm[ca:cb]
        got: MarkerSpans | None = None
        if self.any_marker.search(clause):  # one C-level scan decides the common case
            got = ([list(m.finditer(clause)) for m in self.negation], [list(m.finditer(clause)) for m in self.planned])
        memo[key] = got
        return got

    def role_ok(self, s: Sent, roles: Sequence[str] | None) -> bool:
        if roles is None:
            return s.role != "closing"
        return s.role in roles


# A wildcard run in a cue regex: `[^。;]{0,20}`, `.{0,10}`, `.*` — the gap between its words
_WILDCARD = re.compile(r"(?<!\\)(?:\[\^[^\]]*\]|\.)(?:\{\d*(?:,\d*)?\}|[*+])\??")
_GAP_PATTERNS: dict[re.Pattern[str], re.Pattern[str] | None] = {}


def _gap_pattern(rx: re.Pattern[str]) -> re.Pattern[str] | None:
    """`rx` with each wildcard run captured as `_gN`, so a match tells its gaps from its words."""
    if rx in _GAP_PATTERNS:
        return _GAP_PATTERNS[rx]
    n = 0

    def wrap(m: re.Match[str]) -> str:
        nonlocal n
        n += 1
        return f"(?P<_g{n}>{m.group(0)})"

    src = _WILDCARD.sub(wrap, rx.pattern)
    try:
        got = re.compile(src, rx.flags) if n else None
    except re.error:  # an odd shape (a wildcard in a lookbehind…): no gaps, the whole match is the cue's
        got = None
    _GAP_PATTERNS[rx] = got
    return got


def own_words(norm: str, a: int, b: int, cue: Cue | None) -> list[tuple[int, int]]:
    """Spans of `norm[a:b]` (a cue occurrence) that are the cue's own words: all of it for a
    literal, everything but the wildcard gaps (`[^。]{0,20}`) for a regex."""
    gp = _gap_pattern(cue.regex) if cue is not None and cue.regex is not None else None
    m = gp.match(norm, a) if gp is not None else None
    if gp is None or m is None or m.end() != b:
        return [(a, b)]
    own: list[tuple[int, int]] = []
    pos = a
    for x, y in sorted(m.span(g) for g in gp.groupindex if m.start(g) >= 0):
        if x > pos:
            own.append((pos, x))
        pos = max(pos, y)
    if pos < b:
        own.append((pos, b))
    return own


def part_name(ix: Index, s: Sent) -> str:
    """The words of the outermost heading above `s` that gives it its role (numbering dropped),
    else the role's name: what a reader sees as "the part" a sentence sits in."""
    secs = ix.sections
    best = None
    sid = s.section_id if s.section_id >= 0 else None
    while sid is not None and sid in secs:
        sec, parent = secs[sid]
        if sec.role == s.role:
            best = sec
        sid = parent
    name = strip_numbering(best.heading) if best is not None else ""
    if not name or name.startswith("（示例") or name.startswith("(示例"):
        name = ROLE_ZH.get(s.role, s.role)
    return name
