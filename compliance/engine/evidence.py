"""The evidence pass: one scan of a normalized report for every cue of a ruleset, then each
rule's checks evaluated into typed facts (for a backend) and, kept in Python, the quotes,
near misses and figures that explain them.

Text work happens here, not in the Rete: durable_rules' regex dialect and coercions are traps,
and clause-scoped negation needs positions. A backend only decides statuses from the facts.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from compliance.engine.explain import (
    DATE_FIELD_ZH, FAIL_ZH, META_ZH, OP_ZH, ROLE_ZH, SCOPE_ZH, cue_list, per_object, readable, roles_zh,
    strip_numbering, within_zh,
)
from compliance.engine.context import TITLE_WHY, Context, blank
from compliance.engine.facts import DocFact, Fact, HitFact, StatusFact
from compliance.labels import DOC_TYPE_ZH
from compliance.labels import fmt_num as _fmt_num
from compliance.models import Metric, NearMiss, Report
from compliance.rules.load import DEADLINE_RE, CompiledRule, CompiledRuleset, Cue, _province_key
from compliance.rules.schema import Check, DateCheck, MetaCheck, Presence, Quantity, Structure
from compliance.text import cached_norm_map, split_clauses

POL_RANK = {"planned": 0, "negative": 1, "positive": 2}
RANK_POL = {v: k for k, v in POL_RANK.items()}
# The lead of a numbered item: 一是 / （一） / 1. / 1、 / （1） / 一、 / 第一，
ITEM_RE = re.compile(r"^\s*(?:[（(][一二三四五六七八九十\d]{1,3}[）)]|[一二三四五六七八九十]{1,3}是|\d{1,2}[.、．](?!\d)|[一二三四五六七八九十]{1,3}、|第[一二三四五六七八九十]{1,3}[，,、])")
MAX_NEAR_MISSES = 8
LEAD_HEADING_MAX = 40  # an item's first sentence this short is its heading; the next one leads too


# --------------------------------------------------------------------------- report index


@dataclass
class Sent:
    gi: int
    pi: int  # index into report.paragraphs, -1 for a section heading without a paragraph
    si: int
    text: str
    norm: str
    line: int
    role: str
    section: str
    section_id: int
    heading: bool
    lead: bool
    para_offset: int  # offset of `norm` inside the paragraph's concatenated norms
    offset: int  # offset of the sentence in the paragraph text
    opens_item: bool = False  # the first body sentence of an item: where: heading accepts it too
    _clauses: list | None = None
    _idx: list | None = None

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


@dataclass
class Index:
    report: Report
    sents: list[Sent]
    occ: dict[str, list[Occ]]
    plan: bool
    para_by_id: dict[int, int]
    acts: dict[tuple, bool] = field(default_factory=dict)  # paragraph/section → tells an act
    _para_sents: dict[int, list[Sent]] = field(default_factory=dict)

    def sents_of_para(self, pi: int) -> list[Sent]:
        if not self._para_sents:
            for s in self.sents:
                if s.pi >= 0:
                    self._para_sents.setdefault(s.pi, []).append(s)
        return self._para_sents.get(pi, [])

    def line_of(self, s: Sent, pos: int) -> int:
        if s.pi < 0:
            return s.line
        p = self.report.paragraphs[s.pi]
        return p.line_at(s.offset + s.orig_index(pos))


_REQUIRED: dict[re.Pattern, tuple[frozenset[str], ...]] = {}


def _required_literals(rx: re.Pattern) -> tuple[str, ...]:
    """Literal runs that every match of `rx` contains (the single-alternative requirements)."""
    return tuple(next(iter(x)) for x in _required_sets(rx) if len(x) == 1)


def _required_sets(rx: re.Pattern) -> tuple[frozenset[str], ...]:
    """What every match of `rx` must contain: for each set, at least one of its strings.

    From the top-level sequence, plain groups, repeats with min ≥ 1 and alternations whose every
    branch has a requirement (`(行政许可|行政处罚)…公示` → {行政许可, 行政处罚}, {公示}). Lets the
    evidence pass run a regex only on sentences that could match — most sentences cannot.
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


def _sre():
    from re import _parser as sre  # type: ignore[attr-defined]

    return sre


def _seq_requirements(seq) -> list[frozenset[str]]:
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


@dataclass(frozen=True)
class _Matcher:
    """What one pass over a report needs, built once per ruleset.

    `auto` finds every literal cue and every literal the regex pre-filter asks about; its payload
    is (literal id, length, cue keys). `pre` holds each regex cue with its requirement sets as
    literal ids; `wide` the regexes with no requirement (one scan over the whole text)."""

    auto: Any
    nlits: int
    pre: tuple[tuple[Cue, tuple[tuple[int, ...], ...]], ...]
    wide: tuple[Cue, ...]


def _matcher(rs: CompiledRuleset) -> _Matcher:
    m = rs._cache.get("matcher")
    if m is not None:
        return m
    import ahocorasick

    lits: dict[str, list[str]] = {}
    regs: list[Cue] = []
    for raw, cue in sorted(rs.cues.items()):
        if cue.regex is not None:
            regs.append(cue)
        elif cue.literal:
            lits.setdefault(cue.literal, []).append(raw)
    for cue in regs:  # strings the regex pre-filter looks for: found in the same pass, no cue of their own
        for x in _required_sets(cue.regex):
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
        sets = _required_sets(cue.regex)
        if sets:
            pre.append((cue, tuple(tuple(lid[lit] for lit in sorted(x)) for x in sets)))
        else:
            wide.append(cue)
    m = _Matcher(auto, len(lits), tuple(pre), tuple(wide))
    rs._cache["matcher"] = m
    return m


def build_index(report: Report, rs: CompiledRuleset) -> Index:
    sents: list[Sent] = []
    heading_lines = set()
    opened: set[int] = set()  # sections whose first body sentence has been seen
    # items (not a report's top parts such as 一、主要工作) whose first body sentence leads them
    items = {sec.id for sec in report.iter_sections() if sec.level >= 2}
    for pi, p in enumerate(report.paragraphs):
        if p.is_heading:
            heading_lines.add(p.line)
        lead_item = bool(ITEM_RE.match(p.text)) and not p.is_heading
        # The first body sentence of a numbered item leads it too: "（一）加强组织领导。局长…"
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
    from compliance.text import normalize

    for sec in report.iter_sections():
        if sec.line in heading_lines:
            continue
        nm = normalize(sec.heading)
        sents.append(Sent(
            gi=len(sents), pi=-1, si=0, text=sec.heading, norm=nm, line=sec.line, role=sec.role,
            section=sec.path or sec.heading, section_id=sec.id, heading=True, lead=False, para_offset=0, offset=0,
        ))
    mt = _matcher(rs)
    occ: dict[str, list[Occ]] = {}
    where = [0] * mt.nlits  # literal id -> bit set of the sentences holding it (for the pre-filter)
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
    regs = mt.wide  # regexes with no usable requirement: one scan over the whole text
    if regs:
        # one search per regex over all sentences joined by "\n"; a match that crosses a
        # boundary is redone sentence by sentence so nothing is lost
        starts = []
        pos = 0
        for s in sents:
            starts.append(pos)
            pos += len(s.norm) + 1
        big = "\n".join(s.norm for s in sents)
        import bisect

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
    for v in occ.values():
        v.sort()
    para_by_id = {p.id: i for i, p in enumerate(report.paragraphs)}
    return Index(report, sents, occ, report.meta.doc_type == "plan", para_by_id)


# --------------------------------------------------------------------------- results kept in Python


@dataclass
class Unit:
    """One scope that satisfied a check: where, with which polarity, quoting which sentence."""

    gi: int  # -1: not a sentence of the body (a metadata line), quoted from `line`
    pos: int
    polarity: str
    cue: str
    line: int = 0


@dataclass
class CheckOutcome:
    label: str
    polarity: str | None  # best polarity the check holds with; None = it does not hold
    units: list[Unit] = field(default_factory=list)
    searched: str = ""


@dataclass
class RuleEvidence:
    rule_id: str
    applicable: bool
    na_reason: str = ""
    outcomes: dict[str, list[CheckOutcome]] = field(default_factory=lambda: {"met": [], "partial": []})
    near_misses: list[NearMiss] = field(default_factory=list)
    values: dict[str, Any] = field(default_factory=dict)


@dataclass
class EvidenceResult:
    facts: list[Fact]
    rules: dict[str, RuleEvidence]
    index: Index
    doc: DocFact


# --------------------------------------------------------------------------- applicability


def doc_fact(report: Report) -> DocFact:
    m = report.meta
    end = 0
    has = False
    if m.period:
        end, has = int(m.period[1]), True
    elif m.date is not None:
        end, has = m.date.year - 1, True  # a report is dated in the year after its period
    return DocFact(
        doc_type=m.doc_type, has_period=has, period_end=end, province=_province_key(m.province or ""),
        level=m.level or "", has_date=(m.date or m.published) is not None, plan=m.doc_type == "plan",
    )


def applicable(cr: CompiledRule, doc: DocFact) -> tuple[bool, str]:
    """(applies, why not) — the decision itself is reference.doc_applies, shared by both backends."""
    from compliance.engine.reference import doc_applies

    r = cr.rule
    if doc_applies(r, doc):
        return True, ""
    if doc.doc_type not in r.applies_to:
        return False, f"不适用于此类文件（{DOC_TYPE_ZH.get(doc.doc_type, doc.doc_type)}）"
    w = r.when
    if w is not None:
        if w.period_end_min is not None and doc.has_period and doc.period_end < w.period_end_min:
            return False, f"仅适用于{w.period_end_min}年及以后的报告期"
        if w.period_end_max is not None and doc.has_period and doc.period_end > w.period_end_max:
            return False, f"仅适用于{w.period_end_max}年及以前的报告期"
        if w.province is not None and doc.province not in {_province_key(p) for p in w.province}:
            return False, "不适用于本省份"
        if w.level is not None and doc.level not in w.level:
            return False, "不适用于本级别"
    return False, "不适用"


# --------------------------------------------------------------------------- the pass


def _any_of(cues) -> re.Pattern:
    """One regex that matches wherever any of the cues (literals or regexes) could match."""
    parts = [c.regex.pattern if c.regex is not None else re.escape(c.literal) for c in cues if c.regex is not None or c.literal]
    return re.compile("|".join(f"(?:{p})" for p in parts)) if parts else re.compile(r"(?!)")


class _Ctx:
    def __init__(self, ix: Index, rs: CompiledRuleset, cr: CompiledRule, ev: RuleEvidence):
        self.ix = ix
        self.rs = rs
        self.cr = cr
        self.ev = ev
        base = rs._cache.get("markers")
        if base is None:
            base = rs._cache["markers"] = ([rs.cue(c) for c in rs.negation], [rs.cue(c) for c in rs.planned])
        self.negation = base[0] + [rs.cue(c) for c in cr.rule.negation] if cr.rule.negation else base[0]
        self.planned = base[1]
        key = ("any_marker", tuple(cr.rule.negation))
        rx = rs._cache.get(key)
        if rx is None:
            rx = rs._cache[key] = _any_of(self.negation + self.planned)
        self.any_marker = rx
        context = rs._cache.get("context")
        if context is None:
            context = rs._cache["context"] = Context(rs)
        self.context: Context = context

    def not_evidence(self, s: Sent, a: int, b: int, in_titles: bool = False) -> str | None:
        """Why the cue at `a:b` of `s` is not evidence of the bureau's own work (a purpose clause,
        a higher-level document's title unless `in_titles`), or None."""
        for x, y, why in self.context.masked(s.norm, s.clauses):
            if x <= a and b <= y and not (in_titles and why.startswith(TITLE_WHY)):
                return why
        return None

    def tells_act(self, s: Sent) -> bool:
        """The cue's paragraph (a heading: its section's body) tells an act (markers.act)."""
        key = ("p", s.pi) if s.pi >= 0 else ("s", s.section_id)
        got = self.ix.acts.get(key)
        if got is None:
            if s.pi >= 0:
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

    def polarity(self, s: Sent, a: int, b: int, explicit_roles: list | None) -> str:
        return self.polarity_why(s, a, b, explicit_roles)[0]

    def polarity_why(self, s: Sent, a: int, b: int, explicit_roles: list | None,
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
        if s.role == "problems" and "problems" not in roles:
            # 制定了《…》等制度，但…仍未落实: the clause that says it was done is positive for what it names
            if not (self.context.done_in(clause) and not any(m.search(clause) for m in self.negation)):
                return "negative", f"位于“{part_name(self.ix, s)}”部分（自述不足）"
        if not self.any_marker.search(clause):  # most clauses hold no marker: one C-level scan
            return "positive", ""
        own = _own_words(s.norm, a, b, cue)

        def outside(x: int, y: int) -> bool:  # the marker is not part of the cue itself
            return not any(ca + x < q and ca + y > p for p, q in own)

        if not self.cr.rule.ignore_negation:
            for marker in self.negation:
                for x, y in marker.finditer(clause):
                    if outside(x, y):
                        return "negative", f"否定：“{clause[x:y]}”与线索在同一分句"
        for marker in self.planned:
            for x, y in marker.finditer(clause):
                if outside(x, y):
                    return "planned", f"计划：“{clause[x:y]}”与线索在同一分句"
        return "positive", ""

    def role_ok(self, s: Sent, roles: list | None) -> bool:
        if roles is None:
            return s.role != "closing"
        return s.role in roles


# A wildcard run in a cue regex: `[^。;]{0,20}`, `.{0,10}`, `.*` — the gap between its words
_WILDCARD = re.compile(r"(?<!\\)(?:\[\^[^\]]*\]|\.)(?:\{\d*(?:,\d*)?\}|[*+])\??")
_GAP_PATTERNS: dict[re.Pattern, re.Pattern | None] = {}


def _gap_pattern(rx: re.Pattern) -> re.Pattern | None:
    """`rx` with each wildcard run captured as `_gN`, so a match tells its gaps from its words."""
    if rx in _GAP_PATTERNS:
        return _GAP_PATTERNS[rx]
    n = 0

    def wrap(m: re.Match) -> str:
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


def _own_words(norm: str, a: int, b: int, cue: Cue | None) -> list[tuple[int, int]]:
    """Spans of `norm[a:b]` (a cue occurrence) that are the cue's own words: all of it for a
    literal, everything but the wildcard gaps (`[^。]{0,20}`) for a regex."""
    gp = _gap_pattern(cue.regex) if cue is not None and cue.regex is not None else None
    m = gp.match(norm, a) if gp is not None else None
    if m is None or m.end() != b:
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
    secs = ix.__dict__.get("_secs")
    if secs is None:
        secs = {}
        stack = [(x, None) for x in ix.report.sections]
        while stack:
            x, parent = stack.pop()
            secs[x.id] = (x, parent)
            stack.extend((c, x.id) for c in x.children)
        ix.__dict__["_secs"] = secs
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


def _scope_key(s: Sent, pos: int, scope: str):
    if scope == "clause":
        return ("c", s.gi, s.clause_index(pos))
    if scope == "sentence":
        return ("s", s.gi)
    if scope == "section":
        return ("S", s.section_id)
    if s.pi < 0:  # a section heading without a paragraph of its own is its own paragraph
        return ("h", s.gi)
    return ("p", s.pi)


def _label(c: Check) -> str:
    return c.label or describe(c)


def _where_zh(roles, where: str = "any") -> str:
    base = roles_zh(roles) if roles else "全文"
    if where == "heading":
        return base + "的标题或条目首句"
    if where == "body":
        return base + "的正文（不含标题）"
    return base


@per_object
def _searched_presence(p: Presence) -> str:
    """What a presence check looks for, in Chinese; the same for every report, so kept per check."""
    main = p.any or p.all or [c for g in p.groups for c in g]
    extra = []
    if p.all and p.any:
        extra.append("且含" + cue_list(p.all, 3, quote=True))
    if p.groups:
        extra.append(f"至少涉及 {p.min_groups} 类")
    if p.near is not None:
        extra.append(f"需与{cue_list(p.near.any, 3, quote=True)}{within_zh(p.near.within)}")
    if p.not_:
        extra.append("排除" + cue_list(p.not_, 3, quote=True))
    if p.min_count > 1:
        extra.append(f"至少 {p.min_count} 处")
    tail = "；" + "；".join(extra) if extra else ""
    return f"查找范围：{_where_zh(p.roles, p.where)}（线索：{cue_list(main, 6)}{tail}）"


def _searched_quantity(q: Quantity, t: float | None) -> str:
    cmp = f"；{OP_ZH[q.op]} {_pct(t) if q.ratio is not None else _with_unit(t, (q.unit or [''])[0])}" if q.op and t is not None else ""
    if q.ratio is None:
        unit = "、".join(q.unit) if q.unit else "任意单位"
        who = "人均" if q.per_capita else ""
        return f"查找范围：{_where_zh(q.roles)}（{who}数值，单位：{unit}；线索：{cue_list(q.cue, 6)}{cmp}）"
    num, den = q.ratio
    return f"查找范围：{_where_zh(q.roles)}（比例：{cue_list(num.cue, 3)} ÷ {cue_list(den.cue, 3)}，须在{SCOPE_ZH.get(q.scope, q.scope)}{cmp}）"


def _searched_structure(st: Structure) -> str:
    level = "一级" if st.level == 1 else (f"第 {st.level} 级" if st.level else "")
    extra = []
    if st.min_items:
        extra.append(f"至少 {st.min_items} 项")
    if st.contains:
        extra.append(f"至少 {st.min_hits} 句含{cue_list(st.contains, 4, quote=True)}")
    tail = "（" + "；".join(extra) + "）" if extra else ""
    return f"查找范围：“{ROLE_ZH.get(st.role, st.role)}”{level}部分{tail}"


def describe(c: Check) -> str:
    """What a check looks for, from its fields (labels aside), in Chinese."""
    if c.presence is not None:
        p = c.presence
        main = p.any or p.all or [x for g in p.groups for x in g]
        what = f"提到{cue_list(main, 4, quote=True)}"
        if p.groups:
            what += f"（至少 {p.min_groups} 类）"
        if p.near is not None:
            what += f"，且与{cue_list(p.near.any, 3, quote=True)}{within_zh(p.near.within)}"
        if p.where != "any" or p.roles:
            what = f"{_where_zh(p.roles, p.where)}{what}"
        return what
    if c.quantity is not None:
        q = c.quantity
        if q.ratio is not None:
            what = f"{cue_list(q.ratio[0].cue, 2)} ÷ {cue_list(q.ratio[1].cue, 2)}的比例"
        else:
            what = f"{cue_list(q.cue, 3)}的数值"
        t = q.threshold
        if q.op and isinstance(t, (int, float)):
            what += f"{OP_ZH[q.op]} {_pct(float(t)) if q.ratio is not None else _with_unit(float(t), (q.unit or [''])[0])}"
        return what
    if c.date is not None:
        d = c.date
        return f"{DATE_FIELD_ZH.get(d.field, d.field)}" + (f"不晚于 {d.on_or_before}" if d.on_or_before else "写明")
    if c.structure is not None:
        return _searched_structure(c.structure).removeprefix("查找范围：") + "存在"
    if c.meta is not None:
        return f"写明{META_ZH.get(c.meta.field, c.meta.field)}"
    if c.all_of is not None:
        return "同时满足：" + "；".join(describe(x) for x in c.all_of)
    return "检查"


def _with_unit(v: float | None, unit: str) -> str:
    """`40 学时`, `5%`: a figure as the trace shows it."""
    if v is None:
        return "—"
    n = _fmt_num(v)
    return f"{n}{unit}" if unit in ("%", "") else f"{n} {unit}"


def _pct(t: float | None) -> str:
    """A ratio threshold as written in rules: a fraction (0.05) or a percentage (5)."""
    if t is None:
        return "—"
    return _fmt_num(round(t * 100 if t <= 1 else t, 4)) + "%"


# ---------------------------------------------------------------- presence


def eval_presence(ctx: _Ctx, p: Presence) -> CheckOutcome:
    ix = ctx.ix
    out = CheckOutcome(label="", polarity=None)

    def occs(raw: str) -> list[Occ]:
        return ix.occ.get(raw, [])

    def allowed(o: Occ) -> bool:
        s = ix.sents[o.gi]
        if not ctx.role_ok(s, p.roles):
            return False
        if p.where == "heading" and not (s.heading or s.lead or s.opens_item):
            return False
        if p.where == "body" and s.heading:
            return False
        return not context_why(o)

    def context_why(o: Occ) -> str:
        """Why a hit in the right place still does not count: not the bureau's act, or no act told."""
        s = ix.sents[o.gi]
        why = ctx.not_evidence(s, o.start, o.end, p.in_titles)
        if why is None and p.act and not ctx.tells_act(s):
            why = "只有原则性表述，同段没有写明具体做法（次数、时间、文件等）"
        return f"“{s.norm[o.start:o.end]}”位于{why}" if why and not why.startswith("只有") else (why or "")

    main = p.any or p.all or [c for g in p.groups for c in g]

    # scope -> cue -> list of (occ, polarity rank)
    scopes: dict[tuple, dict[str, list[tuple[Occ, int]]]] = {}
    order: list[tuple] = []

    def add(raw: str, o: Occ, rank: int, key: tuple):
        if key not in scopes:
            scopes[key] = {}
            order.append(key)
        scopes[key].setdefault(raw, []).append((o, rank))

    why_of: dict[Occ, str] = {}  # why an occurrence is not positive

    def rank_of(s: Sent, o: Occ, raw: str) -> int:
        pol, why = ctx.polarity_why(s, o.start, o.end, p.roles, ctx.rs.cue(raw))
        if why:
            why_of[o] = why
        return POL_RANK[pol]

    for raw in dict.fromkeys(main):
        for o in occs(raw):
            s = ix.sents[o.gi]
            if allowed(o):
                add(raw, o, rank_of(s, o, raw), _scope_key(s, o.start, p.scope))
                continue
            # a near miss: a cue hit filtered out by role/where
            if s.role == "closing" and p.roles is None:
                continue
            cue = s.norm[o.start:o.end]
            if ctx.role_ok(s, p.roles) and not (p.where == "heading" and not (s.heading or s.lead or s.opens_item)) \
                    and not (p.where == "body" and s.heading):
                why = context_why(o)
            elif p.where == "heading" and not (s.heading or s.lead or s.opens_item):
                why = f"“{cue}”不在标题或条目首句中（本项只认标题或条目首句）"
            elif p.where == "body" and s.heading:
                why = f"“{cue}”只出现在标题中（本项只认正文）"
            else:
                why = f"“{cue}”位于“{part_name(ix, s)}”部分，本项只认{roles_zh(p.roles or ())}"
            ctx.near_miss(s, o.start, why)
    if not scopes and p.min_count >= 1:  # no usable main cue: nothing below can hold (the common case of a gap)
        out.searched = _searched_presence(p)
        return out
    main_set = set(main)
    for raw in list(dict.fromkeys(p.all + [c for g in p.groups for c in g])):
        if raw in main_set:
            continue
        for o in occs(raw):
            if not allowed(o):
                continue
            s = ix.sents[o.gi]
            key = _scope_key(s, o.start, p.scope)
            if key in scopes:
                scopes[key].setdefault(raw, []).append((o, rank_of(s, o, raw)))

    # near and not cues indexed once per check: by scope key, or by paragraph for a distance
    near_keys: set = set()
    near_spans: dict[tuple, list[tuple[int, int]]] = {}
    if p.near is not None:
        w = p.near.within
        for raw in p.near.any:
            for n in occs(raw):
                t = ix.sents[n.gi]
                if isinstance(w, int):
                    near_spans.setdefault(("p", t.pi) if t.pi >= 0 else ("h", t.gi), []).append(
                        (t.para_offset + n.start, t.para_offset + n.end))
                else:
                    near_keys.add(_scope_key(t, n.start, w))
    not_keys: dict[tuple, str] = {}
    for raw in p.not_:
        for n in occs(raw):
            not_keys.setdefault(_scope_key(ix.sents[n.gi], n.start, p.scope), raw)

    def near_ok(o: Occ) -> bool:
        if p.near is None:
            return True
        s = ix.sents[o.gi]
        w = p.near.within
        if not isinstance(w, int):
            return _scope_key(s, o.start, w) in near_keys
        a1, b1 = s.para_offset + o.start, s.para_offset + o.end
        for a2, b2 in near_spans.get(("p", s.pi) if s.pi >= 0 else ("h", s.gi), ()):
            if max(a2 - b1, a1 - b2, 0) <= w:
                return True
        return False

    def excluded(key: tuple, sample: Occ) -> str | None:
        return not_keys.get(key)

    near_why = ""
    if p.near is not None:
        near_why = f"缺少同现词（需与{cue_list(p.near.any, 4, quote=True)}{within_zh(p.near.within)}）"

    units_by_rank: list[Unit] = []
    for key in order:
        cues = scopes[key]
        first = next(iter(cues.values()))[0][0]
        s0 = ix.sents[first.gi]
        bad = excluded(key, first)
        if bad is not None:
            ctx.near_miss(s0, first.start, f"含排除词“{readable(bad)}”（与线索在{SCOPE_ZH.get(p.scope, p.scope)}，不计入）")
            continue
        best_rank = -1
        best_unit = None
        fail_reason = None
        for lvl in (2, 1, 0):
            def usable(raw):
                return [(o, r) for o, r in cues.get(raw, []) if r >= lvl]

            anchor: list[Occ] = []
            ok = True
            if p.any:
                hits = [o for raw in p.any for o, _ in usable(raw)]
                hits = [o for o in hits if near_ok(o)]
                if not hits:
                    ok = False
                    if lvl == 0 and p.near is not None and any(cues.get(raw) for raw in p.any):
                        fail_reason = near_why
                anchor += hits
            if ok and p.all:
                missing = [raw for raw in p.all if not usable(raw)]
                if missing:
                    ok = False
                    if lvl == 0:
                        fail_reason = "缺少必备词：" + cue_list(missing, 4, quote=True)
                else:
                    if not p.any:
                        hits = [o for raw in p.all for o, _ in usable(raw)]
                        if p.near is not None and not any(near_ok(o) for o in hits):
                            ok = False
                            if lvl == 0:
                                fail_reason = near_why
                        anchor += hits
            if ok and p.groups:
                got = [g for g in p.groups if any(usable(raw) for raw in g)]
                if len(got) < p.min_groups:
                    ok = False
                    if lvl == 0:
                        have = []
                        for g in got:
                            o = next(o for raw in g for o, _ in cues.get(raw, []))
                            have.append(ix.sents[o.gi].norm[o.start:o.end])
                        lack = "；".join(cue_list(g, 2) for g in p.groups if g not in got)
                        fail_reason = (f"只涉及 {len(got)} 类（{'、'.join(have)}），需至少 {p.min_groups} 类；未涉及：{lack}"
                                       if have else f"所需各类均未涉及（需至少 {p.min_groups} 类：{lack}）")
                elif not p.any and not p.all:
                    hits = [o for g in got for raw in g for o, _ in usable(raw)]
                    if p.near is not None and not any(near_ok(o) for o in hits):
                        ok = False
                        if lvl == 0:
                            fail_reason = near_why
                    anchor += hits
            if ok:
                best_rank = lvl
                o = min(anchor, key=lambda x: (x.gi, x.start)) if anchor else first
                s = ix.sents[o.gi]
                best_unit = Unit(o.gi, o.start, RANK_POL[lvl], s.norm[o.start:o.end])
                break
        if best_unit is None:
            if fail_reason:
                ctx.near_miss(s0, first.start, fail_reason)
            continue
        if best_rank < 2:
            s = ix.sents[best_unit.gi]
            reason = next((why_of[o] for raw in cues for o, r in cues[raw] if r == best_rank and o in why_of), "")
            if not reason:
                reason = "否定或自述不足" if best_rank == 1 else "仅作为计划"
            ctx.near_miss(s, best_unit.pos, f"{reason}；线索：“{best_unit.cue}”")
        units_by_rank.append(best_unit)

    out.units = units_by_rank
    for lvl in (2, 1, 0):
        if sum(1 for u in units_by_rank if POL_RANK[u.polarity] >= lvl) >= p.min_count:
            out.polarity = RANK_POL[lvl]
            break
    if out.polarity is None and units_by_rank and p.min_count > 1:
        u = units_by_rank[0]
        ctx.near_miss(ix.sents[u.gi], u.pos, f"只有 {len(units_by_rank)} 处提及，需至少 {p.min_count} 处（按{SCOPE_ZH.get(p.scope, p.scope)}计）")
    out.searched = _searched_presence(p)
    return out


# ---------------------------------------------------------------- quantity


def _metric_sent(ix: Index, m: Metric) -> Sent | None:
    by = ix.__dict__.get("_by_pos")
    if by is None:
        by = ix.__dict__["_by_pos"] = {(s.pi, s.si): s for s in ix.sents if s.pi >= 0}
    return by.get((ix.para_by_id.get(m.paragraph, m.paragraph), m.sentence))


def _find_metrics(ctx: _Ctx, cues: list[str], unit: list[str], per_capita: bool | None, roles) -> list[tuple[Metric, Sent, int, str]]:
    """Metrics for the cues: subject holds a cue (strong) else its sentence does (weak)."""
    ix = ctx.ix
    strong, weak = [], []
    for m in ix.report.metrics:
        if unit and m.unit not in unit:
            continue
        if per_capita is not None and m.per_capita != per_capita:
            continue
        s = _metric_sent(ix, m)
        if s is None or not ctx.role_ok(s, roles):
            continue
        hit = None
        for raw in cues:
            cue = ctx.rs.cue(raw)
            if cue.search(m.subject):
                pos = next(iter(cue.finditer(s.norm)), (0, 0))[0]
                strong.append((m, s, pos, raw))
                hit = True
                break
        if hit:
            continue
        for raw in cues:
            loc = next(iter(ctx.rs.cue(raw).finditer(s.norm)), None)
            if loc is not None:
                weak.append((m, s, loc[0], raw))
                break
    return strong or weak


def _compare(v: float, op: str, t: float) -> bool:
    return {">=": v >= t, ">": v > t, "<=": v <= t, "<": v < t, "==": abs(v - t) < 1e-9}[op]


def eval_quantity(ctx: _Ctx, q: Quantity) -> CheckOutcome:
    out = CheckOutcome(label="", polarity=None)
    vals = ctx.ev.values
    t = float(q.threshold) if isinstance(q.threshold, (int, float)) else None
    if t is not None:
        if q.ratio is not None:
            vals.setdefault("threshold", _fmt_num(round(t * 100 if t <= 1 else t, 4)) + "%")
        else:
            vals.setdefault("threshold", _fmt_num(t))
    units: list[Unit] = []
    if q.ratio is None:
        cands = _find_metrics(ctx, q.cue, q.unit, q.per_capita, q.roles)
        for m, s, pos, _raw in cands:
            if q.op and t is not None and not _compare(m.value, q.op, t):
                vals.setdefault("value", _fmt_num(m.value) + m.unit)
                ctx.near_miss(s, pos, f"数值 {_with_unit(m.value, m.unit)}{FAIL_ZH[q.op]}阈值 {_with_unit(t, m.unit)}")
                continue
            pol = ctx.polarity(s, pos, pos + 1, q.roles)
            if not vals.get("value_ok"):
                vals["value"] = _fmt_num(m.value) + m.unit
                vals["value_ok"] = True
            units.append(Unit(s.gi, pos, pol, m.text))
        out.searched = _searched_quantity(q, t)
    else:
        num_ref, den_ref = q.ratio
        nums = _find_metrics(ctx, num_ref.cue, num_ref.unit, num_ref.per_capita, q.roles)
        dens = _find_metrics(ctx, den_ref.cue, den_ref.unit, den_ref.per_capita, q.roles)
        done = set()
        for m1, s1, pos1, _ in nums:
            for m2, s2, pos2, _ in dens:
                if m1 is m2 or m2.value == 0 or (id(m1), id(m2)) in done:
                    continue
                if _scope_key(s1, pos1, q.scope) != _scope_key(s2, pos2, q.scope):
                    continue
                done.add((id(m1), id(m2)))
                r = m1.value / m2.value
                rtxt = f"{r * 100:.1f}%"
                if q.op and t is not None:
                    tt = t / 100 if t > 1 else t
                    if not _compare(r, q.op, tt):
                        vals.setdefault("ratio", rtxt)
                        ctx.near_miss(s1, pos1, f"比例 {rtxt}（{_with_unit(m1.value, m1.unit)} ÷ {_with_unit(m2.value, m2.unit)}）"
                                                f"{FAIL_ZH[q.op]}阈值 {_pct(t)}")
                        continue
                if "ratio_ok" not in vals:
                    vals["ratio"] = rtxt
                    vals["ratio_ok"] = True
                pol = ctx.polarity(s1, pos1, pos1 + 1, q.roles)
                units.append(Unit(s1.gi, pos1, pol, m1.text))
        out.searched = _searched_quantity(q, t)
    out.units = units
    if units:
        out.polarity = RANK_POL[max(POL_RANK[u.polarity] for u in units)]
    return out


# ---------------------------------------------------------------- date, structure, meta


def _deadline(spec: str, period_end: int | None) -> dt.date | None:
    m = DEADLINE_RE.match(spec)
    if not m:
        return None
    y = m.group(1)
    if y.startswith("Y"):
        if period_end is None:
            return None
        year = period_end + (int(y[1:]) if len(y) > 1 else 0)
    else:
        year = int(y)
    try:
        return dt.date(year, int(m.group(2)), int(m.group(3)))
    except ValueError:
        return None


def eval_date(ctx: _Ctx, d: DateCheck) -> CheckOutcome:
    meta = ctx.ix.report.meta
    out = CheckOutcome(label="", polarity=None, searched=f"查找范围：{DATE_FIELD_ZH.get(d.field, d.field)}"
                       + (f"（报送期限 {d.on_or_before}，Y 为报告年度）" if d.on_or_before else ""))
    date = meta.date if d.field == "date" else meta.published if d.field == "published" else (meta.date or meta.published)
    src = "date" if date is not None and date == meta.date and d.field != "published" else "published"
    if src == "date" and meta.date_source == "published":
        src = "published"  # the text has no date of its own; `date` is the page's 发布日期
    where = ctx.ix.report.meta_lines.get(src, 0)
    vals = ctx.ev.values
    month_only = date is not None and src == "date" and meta.date_precision == "month"
    if date is not None:
        vals.setdefault("date", f"{date.year}年{date.month}月（只写到月，按月末 {date.isoformat()} 计）"
                        if month_only else f"{date.isoformat()}（正文无落款日期，按网页发布日期）"
                        if src == "published" else date.isoformat())
    if date is None:
        ctx.ev.values.setdefault("_date_reason", f"未找到{DATE_FIELD_ZH.get(d.field, d.field)}")
        return out
    if d.on_or_before is None:
        out.polarity = "positive"
        out.units = _line_units(ctx.ix, where, "positive")
        return out
    pend = meta.period[1] if meta.period else None
    dl = _deadline(d.on_or_before, pend)
    if dl is None:
        vals.setdefault("_date_reason", "报告年度不明，无法计算报送期限")
        return out
    vals.setdefault("deadline", dl.isoformat())
    delay = (date - dl).days
    if delay <= 0:
        out.polarity = "positive"
        vals.setdefault("delay_days", 0)
        out.units = _line_units(ctx.ix, where, "positive")
    else:
        vals.setdefault("delay_days", delay)
        units = _line_units(ctx.ix, where, "positive")
        q = _unit_quote(ctx.ix, units[0]) if units else None
        what = DATE_FIELD_ZH.get(src, src)
        nm = NearMiss(quote=q[0] if q else date.isoformat(), line=q[1] if q else 0, section=q[2] if q else "",
                      role=q[3] if q else "other",
                      reason=f"{what} {vals['date']} 晚于报送期限 {dl.isoformat()} 共 {delay} 天")
        if all(x.reason != nm.reason for x in ctx.ev.near_misses):
            ctx.ev.near_misses.append(nm)
    return out


def _line_units(ix: Index, line: int, pol: str) -> list[Unit]:
    """A unit quoting input line `line` (where normalization read a metadata value)."""
    if line <= 0 or line > len(ix.report.lines):
        return []
    s = next((x for x in ix.sents if x.line == line), None)
    if s is not None and ix.line_of(s, 0) == line:
        return [Unit(s.gi, 0, pol, "", line)]
    return [Unit(-1, 0, pol, "", line)]


def _unit_quote(ix: Index, u: Unit) -> tuple[str, int, str, str]:
    """(quote, line, section, role) of a unit."""
    if u.gi >= 0:
        s = ix.sents[u.gi]
        return s.text.strip(), ix.line_of(s, u.pos), s.section, s.role
    p = next((p for p in ix.report.paragraphs if any(sp.line == u.line for sp in p.spans)), None)
    text = ix.report.lines[u.line - 1].strip()
    return text, u.line, p.section if p else "", p.role if p else "other"


def eval_structure(ctx: _Ctx, st: Structure) -> CheckOutcome:
    ix = ctx.ix
    out = CheckOutcome(label="", polarity=None, searched=_searched_structure(st))
    pol = "planned" if ix.plan else "positive"
    secs = []
    inside: set[int] = set()  # ids under an already chosen section: its subtree is counted with it
    for sec in ix.report.iter_sections():
        if sec.id in inside or sec.role != st.role or (st.level is not None and sec.level != st.level):
            continue
        secs.append(sec)
        stack = list(sec.children)
        while stack:
            x = stack.pop()
            inside.add(x.id)
            stack.extend(x.children)
    if not secs:
        return out
    for sec in secs:
        ids = set()
        stack = [sec]
        while stack:
            x = stack.pop()
            ids.add(x.id)
            stack.extend(x.children)
        body = [s for s in ix.sents if s.section_id in ids and not s.heading]
        paras = {s.pi for s in body}
        items = len(sec.children) if sec.children else len(paras)
        head = next((s for s in ix.sents if s.heading and s.line == sec.line), None)
        if items < st.min_items:
            if head is not None:
                ctx.near_miss(head, 0, f"该部分只有 {items} 项，需至少 {st.min_items} 项")
            continue
        units: list[Unit] = []
        if st.contains:
            cues = [ctx.rs.cue(c) for c in st.contains]
            for s in body:
                for c in cues:
                    loc = next(iter(c.finditer(s.norm)), None)
                    if loc is not None:
                        units.append(Unit(s.gi, loc[0], pol, s.norm[loc[0]:loc[1]]))
                        break
            if len(units) < st.min_hits:
                if head is not None:
                    ctx.near_miss(head, 0, f"该部分只有 {len(units)} 句含{cue_list(st.contains, 4, quote=True)}，需至少 {st.min_hits} 句")
                continue
        elif head is not None:
            units.append(Unit(head.gi, 0, pol, ""))
        out.units = units
        out.polarity = pol
        ctx.ev.values.setdefault("count", items)
        return out
    return out


def _shown(field: str, v) -> str:
    """A metadata value as a drafter would write it: a period as 2023年 or 2020—2022年."""
    if field == "period":
        a, b = v
        return f"{a}年" if a == b else f"{a}—{b}年"
    return v.isoformat() if isinstance(v, dt.date) else str(v)


def eval_meta(ctx: _Ctx, mc: MetaCheck) -> CheckOutcome:
    meta = ctx.ix.report.meta
    v = getattr(meta, mc.field)
    out = CheckOutcome(label="", polarity=None, searched=f"查找范围：{META_ZH.get(mc.field, mc.field)}（标题、开头或落款）")
    if v is None or v == "" or (mc.field == "doc_type" and v == "other"):
        return out
    shown = _shown(mc.field, v)
    if mc.values is not None:
        norm = [tuple(x) if isinstance(x, list) else x for x in mc.values]
        if v not in norm and str(v) not in [str(x) for x in mc.values]:
            ctx.ev.values.setdefault("found", shown)
            return out
    ctx.ev.values.setdefault("found", shown)
    out.polarity = "positive"
    out.units = _line_units(ctx.ix, ctx.ix.report.meta_lines.get(mc.field, 0), "positive")
    return out


def eval_check(ctx: _Ctx, c: Check) -> CheckOutcome:
    if c.presence is not None:
        o = eval_presence(ctx, c.presence)
    elif c.quantity is not None:
        o = eval_quantity(ctx, c.quantity)
    elif c.date is not None:
        o = eval_date(ctx, c.date)
    elif c.structure is not None:
        o = eval_structure(ctx, c.structure)
    elif c.meta is not None:
        o = eval_meta(ctx, c.meta)
    elif c.all_of is not None:
        subs = [eval_check(ctx, x) for x in c.all_of]
        o = CheckOutcome(label="", polarity=None, searched="；并且".join(s.searched for s in subs if s.searched))
        if subs and all(s.polarity is not None for s in subs):
            o.polarity = RANK_POL[min(POL_RANK[s.polarity] for s in subs)]
            o.units = [u for s in subs for u in s.units]
    else:
        o = CheckOutcome(label="", polarity=None)
    o.label = _label(c)
    return o


def run_pass(report: Report, rs: CompiledRuleset) -> EvidenceResult:
    """Every rule's checks over one index of the report."""
    ix = build_index(report, rs)
    doc = doc_fact(report)
    facts: list[Fact] = [doc]
    rules: dict[str, RuleEvidence] = {}
    for cr in rs.rules:
        rid = cr.id
        if cr.disabled is not None:
            rules[rid] = RuleEvidence(rid, False, cr.disabled)
            facts.append(StatusFact(id=f"status:{rid}", rule=rid, status="not_applicable"))
            continue
        ok, why = applicable(cr, doc)
        ev = RuleEvidence(rid, ok, why)
        rules[rid] = ev
        if not ok or cr.rule.evidence is None:
            continue
        ctx = _Ctx(ix, rs, cr, ev)
        for tier in ("met", "partial"):
            counts: dict[str, int] = {}
            for c in getattr(cr.rule.evidence, tier):
                o = eval_check(ctx, c)
                ev.outcomes[tier].append(o)
                if o.polarity is not None:
                    counts[o.polarity] = counts.get(o.polarity, 0) + 1
            for pol in ("positive", "negative", "planned"):
                if counts.get(pol):
                    facts.append(HitFact(id=f"hit:{rid}:{tier}:{pol}", rule=rid, tier=tier, polarity=pol, count=counts[pol]))
    return EvidenceResult(facts, rules, ix, doc)
