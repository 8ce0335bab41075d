"""`structure`: a section with a role (at a level), with enough items, and optionally enough
sentences holding given cues."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from pydantic import Field

from compliance.engine.checks.base import AddError, CheckBase, CheckCue, CheckOutcome, FieldPath, Unit
from compliance.engine.explain import ROLE_ZH, cue_list
from compliance.models import Role, Section
from compliance.rules.base import Pattern, Strict

if TYPE_CHECKING:
    from compliance.engine.checks.context import CheckContext


class Structure(Strict):
    """A section with a role exists (at `level`), with at least `min_items` items, and
    optionally at least `min_hits` sentences containing `contains` cues.

    Items are the section's child sections, or if it has none its body paragraphs; `{count}`
    is that number. A structure hit is positive (planned in a plan document)."""

    role: Role
    level: int | None = None  # 1 = top level; None = any level
    min_items: int = 0  # child sections or body paragraphs
    contains: list[Pattern] = Field(default_factory=list)
    min_hits: int = 1


class StructureCheck(CheckBase):
    """`structure:` a section with a role, its items and cues."""

    kind: ClassVar[str] = "structure"
    structure: Structure

    def lint(self, where: FieldPath, add: AddError, cue_ok: CheckCue) -> None:
        for i, cue in enumerate(self.structure.contains):
            cue_ok(cue, where + ("structure", "contains", i))

    def describe(self) -> str:
        return _searched(self.structure).removeprefix("查找范围：") + "存在"

    def evaluate(self, ctx: CheckContext) -> CheckOutcome:
        st = self.structure
        ix = ctx.ix
        out = CheckOutcome(label="", polarity=None, searched=_searched(st))
        pol = "planned" if ix.plan else "positive"
        for sec in _sections(ctx, st):
            ids = {x.id for x in _subtree(sec)}
            body = [s for s in ix.sents if s.section_id in ids and not s.heading]
            items = len(sec.children) if sec.children else len({s.pi for s in body})
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


def _subtree(sec: Section) -> list[Section]:
    out, stack = [], [sec]
    while stack:
        x = stack.pop()
        out.append(x)
        stack.extend(x.children)
    return out


def _sections(ctx: CheckContext, st: Structure) -> list[Section]:
    """The outermost sections with the role (and level): a chosen section's subtree counts with it."""
    secs: list[Section] = []
    inside: set[int] = set()
    for sec in ctx.ix.report.iter_sections():
        if sec.id in inside or sec.role != st.role or (st.level is not None and sec.level != st.level):
            continue
        secs.append(sec)
        inside.update(x.id for x in _subtree(sec)[1:])
    return secs


def _searched(st: Structure) -> str:
    level = "一级" if st.level == 1 else (f"第 {st.level} 级" if st.level else "")
    extra = []
    if st.min_items:
        extra.append(f"至少 {st.min_items} 项")
    if st.contains:
        extra.append(f"至少 {st.min_hits} 句含{cue_list(st.contains, 4, quote=True)}")
    tail = "（" + "；".join(extra) + "）" if extra else ""
    return f"查找范围：“{ROLE_ZH.get(st.role, st.role)}”{level}部分{tail}"
