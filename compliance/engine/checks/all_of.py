"""`all_of`: every nested check holds (an AND; a tier's list of checks is an OR)."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from compliance.engine.checks.base import POL_RANK, RANK_POL, AddError, CheckBase, CheckCue, CheckOutcome, FieldPath

if TYPE_CHECKING:
    from compliance.engine.checks import Check
    from compliance.engine.checks.context import CheckContext


class AllOfCheck(CheckBase):
    """`all_of:` every nested check holds."""

    kind: ClassVar[str] = "all_of"
    all_of: list[Check]

    def lint(self, where: FieldPath, add: AddError, cue_ok: CheckCue) -> None:
        from compliance.engine.checks import lint_check

        if not self.all_of:
            add(where + ("all_of",), "empty all_of")
        for i, sub in enumerate(self.all_of):
            lint_check(sub, where + ("all_of", i), add, cue_ok)

    def describe(self) -> str:
        return "同时满足：" + "；".join(x.describe() for x in self.all_of)

    def evaluate(self, ctx: CheckContext) -> CheckOutcome:
        from compliance.engine.checks import evaluate

        subs = [evaluate(ctx, x) for x in self.all_of]
        o = CheckOutcome(label="", polarity=None, searched="；并且".join(s.searched for s in subs if s.searched))
        if subs and all(s.polarity is not None for s in subs):
            o.polarity = RANK_POL[min(POL_RANK[s.polarity] for s in subs if s.polarity is not None)]
            o.units = [u for s in subs for u in s.units]
        return o

    def phrases(self) -> list[str]:
        return [ph for x in self.all_of for ph in x.phrases()]
