"""The report index of the evidence pass: every sentence (and section heading) of a normalized
report with its place, and every occurrence of every cue of the ruleset, found in one scan
(one Aho-Corasick pass for the literals; each regex only on the sentences that could match)."""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING, Any, NamedTuple

from compliance.engine.memo import per_ruleset
from compliance.engine.prefilter import required_sets
from compliance.models import Metric, Report, Role, Section
from compliance.rules.cues import Cue
from compliance.text import cached_norm_map, normalize, split_clauses

if TYPE_CHECKING:
    from compliance.rules.load import CompiledRuleset

# The lead of a numbered item: 一是 / （一） / 1. / 1、 / （1） / 一、 / 第一，
ITEM_RE = re.compile(r"^\s*(?:[（(][一二三四五六七八九十\d]{1,3}[）)]|[一二三四五六七八九十]{1,3}是|\d{1,2}[.、．](?!\d)|[一二三四五六七八九十]{1,3}、|第[一二三四五六七八九十]{1,3}[，,、])")
LEAD_HEADING_MAX = 40  # an item's first sentence this short is its heading; the next one leads too
LEAD_CLAUSES = 2  # how much of an item's lead sentence leads it: its first clauses, not its closing ones
DUTY_HEADING_RE = re.compile("职责|责任")  # an item heading about duties: all of its lead sentence leads


@dataclass
class Sent:
    gi: int
    pi: int  # index into report.paragraphs, -1 for a section heading without a paragraph
    si: int
    text: str
    norm: str
    line: int
    role: Role
    section: str
    section_id: int
    heading: bool
    lead: bool
    para_offset: int  # offset of `norm` inside the paragraph's concatenated norms
    offset: int  # offset of the sentence in the paragraph text
    opens_item: bool = False  # the first body sentence of an item: where: heading accepts it too
    _clauses: list[tuple[int, int]] | None = None
    _idx: Sequence[int] | None = None

    @property
    def clauses(self) -> list[tuple[int, int]]:
        if self._clauses is None:
            self._clauses = split_clauses(self.norm)
        return self._clauses

    def clause_of(self, pos: int) -> tuple[int, int]:
        for a, b in self.clauses:
            if a <= pos < b:
                return a, b
        return 0, len(self.norm)

    def clause_index(self, pos: int) -> int:
        for i, (a, b) in enumerate(self.clauses):
            if a <= pos < b:
                return i
        return 0

    def orig_index(self, pos: int) -> int:
        """Index in `text` of normalized position `pos`."""
        if self._idx is None:
            n, idx = cached_norm_map(self.text)
            # a traditional-character text is matched on its simplified copy, which has the same length
            self._idx = idx if len(n) == len(self.norm) else []
        if 0 <= pos < len(self._idx):
            return self._idx[pos]
        return 0


class Occ(NamedTuple):
    """One cue occurrence: sentence `gi`, normalized span [start, end). A tuple: made by the
    thousand per report, and sorted in field order."""

    gi: int
    start: int
    end: int


# The near-miss search's bigram index of one report (compliance.engine.explain): postings,
# the bigrams present, and each phrase's hits.
NearIndex = tuple[dict[str, list[int]], frozenset[str], dict[tuple[str, float], list[tuple[int, float]]]]


# Per marker, in the ruleset's order, its (start, end) spans in one clause: negation, then planned.
MarkerSpans = tuple[list[list[tuple[int, int]]], list[list[tuple[int, int]]]]


@dataclass
class Index:
    report: Report
    sents: list[Sent]
    occ: dict[str, list[Occ]]
    plan: bool
    para_by_id: dict[int, int]
    acts: dict[tuple[str, int], bool] = field(default_factory=dict)  # paragraph/section/sentence pair → tells an act
    near_index: NearIndex | None = None  # built by the first near-miss search that covers the ruleset
    # (negation set, sentence, clause start) → each marker's spans in that clause, or None when the
    # clause holds no marker: every cue hit in a clause asks the same question (engine.checks.context)
    marker_spans: dict[tuple[tuple[str, ...], int, int], MarkerSpans | None] = field(default_factory=dict)
    _para_sents: dict[int, list[Sent]] = field(default_factory=dict)

    def sents_of_para(self, pi: int) -> list[Sent]:
        if not self._para_sents:
            for s in self.sents:
                if s.pi >= 0:
                    self._para_sents.setdefault(s.pi, []).append(s)
        return self._para_sents.get(pi, [])

    def lead_end(self, s: Sent) -> int:
        """End of what `where: heading` accepts in sentence `s`: all of a heading or of a short lead
        sentence; of an item's long lead sentence, its first LEAD_CLAUSES clauses, so a sentence whose
        closing clause names a duty does not lead on it ("（一）加强组织领导。成立领导小组，…，落实第一
        责任人职责") — unless the item's own heading is about duties (…职责 / …责任)."""
        n = len(s.norm)
        if s.heading or not (s.lead or s.opens_item) or n <= LEAD_HEADING_MAX:
            return n
        cl = s.clauses
        if not cl or DUTY_HEADING_RE.search(self._item_heading(s, cl[0])):
            return n
        return cl[min(LEAD_CLAUSES, len(cl)) - 1][1]

    def _item_heading(self, s: Sent, first: tuple[int, int]) -> str:
        """The heading of the item `s` leads: the short sentence before it in the same paragraph, its
        section's heading, or (a numbered sentence with its heading run in) its own first clause."""
        if s.opens_item and s.si > 0:
            return self.sents_of_para(s.pi)[0].norm
        sec = self.sections.get(s.section_id)
        if s.opens_item and sec is not None:
            return normalize(sec[0].heading)
        return s.norm[first[0]:first[1]]

    def line_of(self, s: Sent, pos: int) -> int:
        if s.pi < 0:
            return s.line
        p = self.report.paragraphs[s.pi]
        return p.line_at(s.offset + s.orig_index(pos))

    @cached_property
    def sections(self) -> dict[int, tuple[Section, int | None]]:
        """Section id → (section, parent id)."""
        secs: dict[int, tuple[Section, int | None]] = {}
        stack: list[tuple[Section, int | None]] = [(x, None) for x in self.report.sections]
        while stack:
            x, parent = stack.pop()
            secs[x.id] = (x, parent)
            stack.extend((c, x.id) for c in x.children)
        return secs

    @cached_property
    def _by_pos(self) -> dict[tuple[int, int], Sent]:
        return {(s.pi, s.si): s for s in self.sents if s.pi >= 0}

    def metric_sent(self, m: Metric) -> Sent | None:
        """The sentence a metric was read from."""
        return self._by_pos.get((self.para_by_id.get(m.paragraph, m.paragraph), m.sentence))

    @cached_property
    def metric_sents(self) -> frozenset[int]:
        """Sentences (gi) that state a figure."""
        return frozenset(s.gi for m in self.report.metrics if (s := self.metric_sent(m)) is not None)


@dataclass(frozen=True)
class Matcher:
    """What one pass over a report needs, built once per ruleset.

    `auto` finds every literal cue and every literal the regex pre-filter asks about; its payload
    is (literal id, length, cue keys). `pre` holds each regex cue with its requirement sets as
    literal ids; `wide` the regexes with no requirement (one scan over the whole text)."""

    auto: Any
    nlits: int
    pre: tuple[tuple[Cue, tuple[tuple[int, ...], ...]], ...]
    wide: tuple[Cue, ...]


@per_ruleset
def matcher(rs: CompiledRuleset) -> Matcher:
    """The ruleset's matcher, kept between runs (compliance.prepared): it is a function of the cue
    set alone, and building it (the automaton, every regex's requirement sets) is ~0.1 s."""
    from compliance import prepared
    from compliance.rules.cues import keep_compiled

    keep_compiled(rs.cues)  # the regexes compiled once, between runs too
    return prepared.cached("matcher", sorted(rs.cues), lambda: _build_matcher(rs), lambda m: isinstance(m, Matcher))


def _build_matcher(rs: CompiledRuleset) -> Matcher:
    import ahocorasick

    lits: dict[str, list[str]] = {}
    regs: list[Cue] = []
    for raw, cue in sorted(rs.cues.items()):
        if cue.source is not None:
            regs.append(cue)
        elif cue.literal:
            lits.setdefault(cue.literal, []).append(raw)
    for cue in regs:  # strings the regex pre-filter looks for: found in the same pass, no cue of their own
        assert cue.source is not None
        for x in required_sets(cue.source):
            for lit in sorted(x):
                lits.setdefault(lit, [])
    lid = {lit: i for i, lit in enumerate(lits)}
    auto = None
    if lits:
        auto = ahocorasick.Automaton()
        for lit, raws in lits.items():
            auto.add_word(lit, (lid[lit], len(lit), tuple(raws)))
        auto.make_automaton()
    pre, wide = [], []
    for cue in regs:
        assert cue.source is not None
        sets = required_sets(cue.source)
        if sets:
            pre.append((cue, tuple(tuple(lid[lit] for lit in sorted(x)) for x in sets)))
        else:
            wide.append(cue)
    return Matcher(auto, len(lits), tuple(pre), tuple(wide))


def _sentences(report: Report) -> list[Sent]:
    """Every sentence of the body, then every section heading that is not a paragraph of its own."""
    sents: list[Sent] = []
    heading_lines = set()
    opened: set[int] = set()  # sections whose first body sentence has been seen
    # items, and the top parts headed on duties (一、压实主体责任 — not 一、主要工作), whose first body
    # sentence leads them
    items = {sec.id for sec in report.iter_sections() if sec.level >= 2 or DUTY_HEADING_RE.search(sec.heading)}
    for pi, p in enumerate(report.paragraphs):
        if p.is_heading:
            heading_lines.add(p.line)
        lead_item = bool(ITEM_RE.match(p.text)) and not p.is_heading
        # The first body sentence of a numbered item leads it too: "（一）加强组织领导。局长…" (only the
        # first clauses of a long one count: Index.lead_end)
        first_body = -1
        if not p.is_heading and p.section_id is not None and p.section_id not in opened:
            opened.add(p.section_id)
            if lead_item and len(p.sentences) > 1 and len(p.sentences[0].norm) <= LEAD_HEADING_MAX:
                first_body = 1
            elif p.section_id in items:
                first_body = 0
        po = 0
        for si, s in enumerate(p.sentences):
            sents.append(Sent(
                gi=len(sents), pi=pi, si=si, text=s.text, norm=s.norm, line=s.line, role=p.role,
                section=p.section, section_id=p.section_id if p.section_id is not None else -1,
                heading=p.is_heading,
                lead=not p.is_heading and (lead_item and si == 0 or bool(ITEM_RE.match(s.text))),
                opens_item=si == first_body,
                para_offset=po, offset=s.offset,
            ))
            po += len(s.norm)
    for sec in report.iter_sections():
        if sec.line in heading_lines:
            continue
        nm = normalize(sec.heading)
        sents.append(Sent(
            gi=len(sents), pi=-1, si=0, text=sec.heading, norm=nm, line=sec.line, role=sec.role,
            section=sec.path or sec.heading, section_id=sec.id, heading=True, lead=False, para_offset=0, offset=0,
        ))
    return sents


def _scan_literals(mt: Matcher, sents: list[Sent], occ: dict[str, list[Occ]]) -> list[int]:
    """Literal cues by one Aho-Corasick pass; returns, per literal id, the bit set of the
    sentences holding it (for the regex pre-filter)."""
    where = [0] * mt.nlits
    if mt.auto is not None:
        it = mt.auto.iter
        for s in sents:
            if not s.norm:
                continue
            gi = s.gi
            bit = 1 << gi
            for end, (lid, n, raws) in it(s.norm):
                where[lid] |= bit
                for raw in raws:
                    occ.setdefault(raw, []).append(Occ(gi, end - n + 1, end + 1))
    return where


def _scan_prefiltered(mt: Matcher, sents: list[Sent], where: list[int], occ: dict[str, list[Occ]]) -> None:
    """Each regex cue only on the sentences that hold one string of each of its requirement sets."""
    for cue, sets in mt.pre:
        cand = -1
        for x in sets:
            u = 0
            for lid in x:
                u |= where[lid]
            cand &= u
            if not cand:
                break
        while cand > 0:  # the sentences that could match, in order
            low = cand & -cand
            cand ^= low
            gi = low.bit_length() - 1
            for a, b in cue.finditer(sents[gi].norm):
                occ.setdefault(cue.raw, []).append(Occ(gi, a, b))


def _scan_wide(regs: tuple[Cue, ...], sents: list[Sent], occ: dict[str, list[Occ]]) -> None:
    """Regexes with no usable requirement: one search per regex over all sentences joined by
    "\\n"; a match that crosses a boundary is redone sentence by sentence so nothing is lost."""
    starts = []
    pos = 0
    for s in sents:
        starts.append(pos)
        pos += len(s.norm) + 1
    big = "\n".join(s.norm for s in sents)
    for cue in regs:
        redo: set[int] = set()
        for m in cue.matches(big):  # time-bounded (a catastrophic cue is stopped and reported)
            a, b = m.start(), m.end()
            if b <= a:
                continue
            gi = bisect.bisect_right(starts, a) - 1
            st = starts[gi]
            if b <= st + len(sents[gi].norm):
                occ.setdefault(cue.raw, []).append(Occ(gi, a - st, b - st))
            else:
                redo.update(range(gi, bisect.bisect_right(starts, b - 1)))
        for gi in sorted(redo):
            have = {(o.gi, o.start) for o in occ.get(cue.raw, ())}
            for a, b in cue.finditer(sents[gi].norm):
                if (gi, a) not in have:
                    occ.setdefault(cue.raw, []).append(Occ(gi, a, b))


def build_index(report: Report, rs: CompiledRuleset) -> Index:
    sents = _sentences(report)
    mt = matcher(rs)
    occ: dict[str, list[Occ]] = {}
    where = _scan_literals(mt, sents, occ)
    _scan_prefiltered(mt, sents, where, occ)
    if mt.wide:
        _scan_wide(mt.wide, sents, occ)
    for v in occ.values():
        v.sort()
    para_by_id = {p.id: i for i, p in enumerate(report.paragraphs)}
    return Index(report, sents, occ, report.meta.doc_type == "plan", para_by_id)
