"""`presence`: cue phrases in a scope (any / all / groups), optionally near another cue, not with
an excluded one, in given parts of the report, and (with `act`) in a passage that tells an act.

Evaluation, step by step:
1. the main cue hits (`any`, else `all`, else the groups' cues) that are in a place the check
   accepts are grouped by scope, each with its polarity; the others become near misses;
2. the other `all` / `groups` cues are added to the scopes that already hold a main hit;
3. each scope is judged at the best polarity level where all conditions hold with hits of that
   level or better (`near`, `all`, `min_groups`); a scope with an excluded cue (`not`) fails;
4. the check holds at the best level reached by at least `min_count` scopes.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar, Literal, Union

from pydantic import ConfigDict, Field

from compliance.engine.checks.base import POL_RANK, RANK_POL, AddError, CheckBase, CheckCue, CheckOutcome, FieldPath, ScopeKey, Unit, scope_key, where_zh
from compliance.engine.checks.context import part_name
from compliance.engine.explain import SCOPE_ZH, cue_list, readable, roles_zh, within_zh
from compliance.engine.memo import per_object
from compliance.models import Role
from compliance.rules.base import Pattern, Scope, Strict

if TYPE_CHECKING:
    from compliance.engine.checks.context import CheckContext
    from compliance.engine.index import Occ, Sent


class Near(Strict):
    """Another cue that must occur within `within` of the main cue (an `any` hit, else the
    `all`/`groups` hits): the same clause/sentence/paragraph/section, or for an int, at most
    that many characters apart in the same paragraph."""

    any: list[Pattern]
    within: Scope | int = "sentence"  # an int is a distance in characters


class Presence(Strict):
    """Cue phrases: any / all / groups (count distinct groups), in a scope, optionally near another cue."""

    any: list[Pattern] = Field(default_factory=list)
    all: list[Pattern] = Field(default_factory=list)
    groups: list[list[Pattern]] = Field(default_factory=list)
    min_groups: int = 1
    near: Near | None = None
    not_: list[Pattern] = Field(default_factory=list, alias="not")  # a scope containing these does not count
    scope: Scope = "sentence"
    # heading: a section heading, or the lead of a numbered item (一是/（一）/1.): the first clauses of its
    # first sentence (of the next one when the first is a short heading); body: not a heading line
    where: Literal["any", "heading", "body"] = "any"
    roles: list[Role] | None = None  # only hits under these roles count (default: all but closing)
    min_count: int = 1  # at least this many distinct scopes must match
    # `met` needs a passage that tells an act (markers.act in the cue's paragraph, or in the body of
    # a heading's section); in a `met` tier the same check without it also counts as `partial`.
    # `act: sentence` narrows the passage to the cue's sentence and the one after it in its
    # paragraph: a count told elsewhere in a long paragraph does not back a slogan.
    act: Union[bool, Literal["sentence"]] = False
    # a cue inside a higher-level document's 《title》 counts too (the rule asks for that document to be applied)
    in_titles: bool = False

    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    @property
    def main(self) -> list[str]:
        """The cues a hit is anchored on: `any`, else `all`, else every group's."""
        return self.any or self.all or [c for g in self.groups for c in g]


class PresenceCheck(CheckBase):
    """`presence:` cue phrases in the report."""

    kind: ClassVar[str] = "presence"
    presence: Presence

    def lint(self, where: FieldPath, add: AddError, cue_ok: CheckCue) -> None:
        pr = self.presence
        w = where + ("presence",)
        if not (pr.any or pr.all or any(pr.groups)):
            add(w, "empty cue set: any, all and groups are all empty, so the check can never match")
        for nm in ("any", "all", "not"):
            for i, cue in enumerate(getattr(pr, "not_" if nm == "not" else nm)):
                cue_ok(cue, w + (nm, i))
        for gi, g in enumerate(pr.groups):
            if not g:
                add(w + ("groups", gi), "empty group can never match")
            for i, cue in enumerate(g):
                cue_ok(cue, w + ("groups", gi, i))
        if pr.roles is not None and not pr.roles:
            add(w + ("roles",), "empty roles list: no hit can count, so the check can never match")
        if pr.min_count < 1:
            add(w + ("min_count",), "min_count must be at least 1 (0 would hold with no evidence at all)")
        if pr.groups and pr.min_groups < 1:
            add(w + ("min_groups",), "min_groups must be at least 1")
        if pr.groups and pr.min_groups > len(pr.groups):
            add(w + ("min_groups",), f"min_groups {pr.min_groups} exceeds the {len(pr.groups)} groups, so the check can never match")
        if pr.near is not None:
            if not pr.near.any:
                add(w + ("near", "any"), "empty cue set: the near condition can never hold")
            for i, cue in enumerate(pr.near.any):
                cue_ok(cue, w + ("near", "any", i))

    def evaluate(self, ctx: CheckContext) -> CheckOutcome:
        return _Search(ctx, self.presence).run()

    def describe(self) -> str:
        p = self.presence
        what = f"提到{cue_list(p.main, 4, quote=True)}"
        if p.groups:
            what += f"（至少 {p.min_groups} 类）"
        if p.near is not None:
            what += f"，且与{cue_list(p.near.any, 3, quote=True)}{within_zh(p.near.within)}"
        if p.where != "any" or p.roles:
            what = f"{where_zh(p.roles, p.where)}{what}"
        return what

    def phrases(self) -> list[str]:
        p = self.presence
        return p.any + p.all + [x for g in p.groups for x in g]


@per_object
def searched(p: Presence) -> str:
    """What a presence check looks for, in Chinese; the same for every report, so kept per check."""
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
    return f"查找范围：{where_zh(p.roles, p.where)}（线索：{cue_list(p.main, 6)}{tail}）"


NO_ACT = "只有原则性表述，同段没有写明具体做法（次数、时间、文件等）"
Hits = dict[str, list[tuple["Occ", int]]]  # cue → its hits in one scope, each with its polarity rank


class _Search:
    """One presence check over one report (the steps in the module's docstring)."""

    def __init__(self, ctx: CheckContext, p: Presence):
        self.ctx, self.p, self.ix = ctx, p, ctx.ix
        self.scopes: dict[ScopeKey, Hits] = {}  # in the order first seen
        self.why_of: dict[Occ, str] = {}  # why an occurrence is not positive
        self.near_keys: set[ScopeKey] = set()
        self.near_spans: dict[tuple[str, int], list[tuple[int, int]]] = {}
        self.not_keys: dict[ScopeKey, str] = {}

    def run(self) -> CheckOutcome:
        p = self.p
        out = CheckOutcome(label="", polarity=None)
        self.collect_main()
        if not self.scopes and p.min_count >= 1:  # no usable main cue: nothing below can hold (the common case of a gap)
            out.searched = searched(p)
            return out
        self.collect_others()
        self.index_near_and_not()
        units = [u for key, cues in self.scopes.items() if (u := self.judge(key, cues)) is not None]
        out.units = units
        for lvl in (2, 1, 0):
            if sum(1 for u in units if POL_RANK[u.polarity] >= lvl) >= p.min_count:
                out.polarity = RANK_POL[lvl]
                break
        if out.polarity is None and units and p.min_count > 1:
            u = units[0]
            self.ctx.near_miss(self.ix.sents[u.gi], u.pos, f"只有 {len(units)} 处提及，需至少 {p.min_count} 处（按{SCOPE_ZH.get(p.scope, p.scope)}计）")
        out.searched = searched(p)
        return out

    # -- step 1 and 2: hits by scope

    def in_place(self, s: Sent, pos: int) -> bool:
        """Position `pos` of the sentence is in a part and place (heading/body) the check accepts."""
        p = self.p
        if not self.ctx.role_ok(s, p.roles):
            return False
        if p.where == "heading" and (not (s.heading or s.lead or s.opens_item) or pos >= self.ix.lead_end(s)):
            return False
        return not (p.where == "body" and s.heading)

    def context_why(self, o: Occ) -> str:
        """Why a hit in the right place still does not count: not the bureau's act, or no act told."""
        s = self.ix.sents[o.gi]
        why = self.ctx.not_evidence(s, o.start, o.end, self.p.in_titles)
        if why is None and self.p.act and not self.ctx.tells_act(s, self.p.act == "sentence"):
            why = NO_ACT
        return f"“{s.norm[o.start:o.end]}”位于{why}" if why and not why.startswith("只有") else (why or "")

    def allowed(self, o: Occ) -> bool:
        return self.in_place(self.ix.sents[o.gi], o.start) and not self.context_why(o)

    def place_why(self, s: Sent, o: Occ) -> str:
        """Why a main cue hit outside the accepted places does not count (a near miss)."""
        p = self.p
        cue = s.norm[o.start:o.end]
        if self.in_place(s, o.start):
            return self.context_why(o)
        if p.where == "heading" and not (s.heading or s.lead or s.opens_item):
            return f"“{cue}”不在标题或条目首句中（本项只认标题或条目首句）"
        if p.where == "heading" and o.start >= self.ix.lead_end(s):
            return f"“{cue}”在条目首句的后半句，不是条目的开头（本项只认标题或条目首句的开头）"
        if p.where == "body" and s.heading:
            return f"“{cue}”只出现在标题中（本项只认正文）"
        return f"“{cue}”位于“{part_name(self.ix, s)}”部分，本项只认{roles_zh(self.p.roles or ())}"

    def rank_of(self, s: Sent, o: Occ, raw: str) -> int:
        pol, why = self.ctx.polarity_why(s, o.start, o.end, self.p.roles, self.ctx.rs.cue(raw))
        if why:
            self.why_of[o] = why
        return POL_RANK[pol]

    def collect_main(self) -> None:
        p, ix = self.p, self.ix
        for raw in dict.fromkeys(p.main):
            for o in ix.occ.get(raw, []):
                s = ix.sents[o.gi]
                if self.allowed(o):
                    key = scope_key(s, o.start, p.scope)
                    self.scopes.setdefault(key, {}).setdefault(raw, []).append((o, self.rank_of(s, o, raw)))
                elif not (s.role == "closing" and p.roles is None):
                    self.ctx.near_miss(s, o.start, self.place_why(s, o))

    def collect_others(self) -> None:
        p, ix = self.p, self.ix
        main_set = set(p.main)
        for raw in list(dict.fromkeys(p.all + [c for g in p.groups for c in g])):
            if raw in main_set:
                continue
            for o in ix.occ.get(raw, []):
                if not self.allowed(o):
                    continue
                s = ix.sents[o.gi]
                key = scope_key(s, o.start, p.scope)
                if key in self.scopes:
                    self.scopes[key].setdefault(raw, []).append((o, self.rank_of(s, o, raw)))

    # -- step 3: each scope

    def index_near_and_not(self) -> None:
        """`near` and `not` cues indexed once per check: by scope key, or by paragraph for a distance."""
        p, ix = self.p, self.ix
        if p.near is not None:
            w = p.near.within
            for raw in p.near.any:
                for n in ix.occ.get(raw, []):
                    t = ix.sents[n.gi]
                    if isinstance(w, int):
                        self.near_spans.setdefault(("p", t.pi) if t.pi >= 0 else ("h", t.gi), []).append(
                            (t.para_offset + n.start, t.para_offset + n.end))
                    else:
                        self.near_keys.add(scope_key(t, n.start, w))
        for raw in p.not_:
            for n in ix.occ.get(raw, []):
                self.not_keys.setdefault(scope_key(ix.sents[n.gi], n.start, p.scope), raw)

    def near_ok(self, o: Occ) -> bool:
        p = self.p
        if p.near is None:
            return True
        s = self.ix.sents[o.gi]
        w = p.near.within
        if not isinstance(w, int):
            return scope_key(s, o.start, w) in self.near_keys
        a1, b1 = s.para_offset + o.start, s.para_offset + o.end
        for a2, b2 in self.near_spans.get(("p", s.pi) if s.pi >= 0 else ("h", s.gi), ()):
            if max(a2 - b1, a1 - b2, 0) <= w:
                return True
        return False

    def judge(self, key: ScopeKey, cues: Hits) -> Unit | None:
        """The scope's unit at its best level, with near misses for what falls short."""
        p, ix, ctx = self.p, self.ix, self.ctx
        first = next(iter(cues.values()))[0][0]
        s0 = ix.sents[first.gi]
        bad = self.not_keys.get(key)
        if bad is not None:
            ctx.near_miss(s0, first.start, f"含排除词“{readable(bad)}”（与线索在{SCOPE_ZH.get(p.scope, p.scope)}，不计入）")
            return None
        fail_reason = None
        best = {raw: max(r for _, r in hs) for raw, hs in cues.items() if hs}  # each cue's best rank
        for lvl in (2, 1, 0):
            anchor, why = self.holds_at(lvl, cues, best)
            if anchor is not None:
                o = min(anchor, key=lambda x: (x.gi, x.start)) if anchor else first
                s = ix.sents[o.gi]
                unit = Unit(o.gi, o.start, RANK_POL[lvl], s.norm[o.start:o.end])
                if lvl < 2:
                    reason = next((self.why_of[o] for raw in cues for o, r in cues[raw] if r == lvl and o in self.why_of), "")
                    if not reason:
                        reason = "否定或自述不足" if lvl == 1 else "仅作为计划"
                    ctx.near_miss(s, unit.pos, f"{reason}；线索：“{unit.cue}”")
                return unit
            fail_reason = why
        if fail_reason:
            ctx.near_miss(s0, first.start, fail_reason)
        return None

    def holds_at(self, lvl: int, cues: Hits, best: dict[str, int] | None = None) -> tuple[list[Occ] | None, str | None]:
        """(the anchor hits, or None when the conditions fail with hits of rank ≥ `lvl`; why not).
        `best`: each cue's best rank in `cues` (computed here when not given)."""
        p = self.p
        near_why = f"缺少同现词（需与{cue_list(p.near.any, 4, quote=True)}{within_zh(p.near.within)}）" if p.near is not None else ""
        if best is None:
            best = {raw: max(r for _, r in hs) for raw, hs in cues.items() if hs}

        def usable(raw: str) -> list[tuple[Occ, int]]:
            return [(o, r) for o, r in cues.get(raw, []) if r >= lvl]

        def has(raw: str) -> bool:
            return best.get(raw, -1) >= lvl

        anchor: list[Occ] = []
        if p.any:
            hits = [o for raw in p.any if has(raw) for o, _ in usable(raw) if self.near_ok(o)]
            if not hits:
                near_failed = p.near is not None and any(cues.get(raw) for raw in p.any)
                return None, near_why if near_failed else None
            anchor += hits
        if p.all:
            missing = [raw for raw in p.all if not has(raw)]
            if missing:
                return None, "缺少必备词：" + cue_list(missing, 4, quote=True)
            if not p.any:
                hits = [o for raw in p.all for o, _ in usable(raw)]
                if p.near is not None and not any(self.near_ok(o) for o in hits):
                    return None, near_why
                anchor += hits
        if p.groups:
            got = [g for g in p.groups if any(has(raw) for raw in g)]
            if len(got) < p.min_groups:
                return None, self.groups_why(got, cues)
            if not p.any and not p.all:
                hits = [o for g in got for raw in g if has(raw) for o, _ in usable(raw)]
                if p.near is not None and not any(self.near_ok(o) for o in hits):
                    return None, near_why
                anchor += hits
        return anchor, None

    def groups_why(self, got: list[list[str]], cues: Hits) -> str:
        p, ix = self.p, self.ix
        have = []
        for g in got:
            o = next(o for raw in g for o, _ in cues.get(raw, []))
            have.append(ix.sents[o.gi].norm[o.start:o.end])
        lack = "；".join(cue_list(g, 2) for g in p.groups if g not in got)
        return (f"只涉及 {len(got)} 类（{'、'.join(have)}），需至少 {p.min_groups} 类；未涉及：{lack}"
                if have else f"所需各类均未涉及（需至少 {p.min_groups} 类：{lack}）")
