"""Check kinds: one module per kind, each holding its YAML model, its lint, its evaluation and
its Chinese description. `KINDS` is the registry; `Check` is the union a rule's evidence tiers
hold, told apart by the one kind key a check has (`presence:`, `quantity:` …), so the YAML
carries no separate tag. To add a kind, see CONTRIBUTING.md ("A check kind").

`derived` (a rule's status from other rules) is not a check: its model and lint live in
`compliance.engine.checks.derived` beside them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Any, Union

from pydantic import Discriminator, Tag

from compliance.engine.checks.all_of import AllOfCheck
from compliance.engine.checks.base import AddError, CheckBase, CheckCue, CheckOutcome, FieldPath
from compliance.engine.checks.date import DateCheck
from compliance.engine.checks.meta import MetaCheck
from compliance.engine.checks.presence import PresenceCheck
from compliance.engine.checks.quantity import QuantityCheck
from compliance.engine.checks.structure import StructureCheck

if TYPE_CHECKING:
    from compliance.engine.checks.context import CheckContext

KINDS: dict[str, type[CheckBase]] = {k.kind: k for k in (PresenceCheck, QuantityCheck, DateCheck, StructureCheck, MetaCheck, AllOfCheck)}
ONE_KIND = f"a check needs exactly one kind: {', '.join(KINDS)}"


def kind_of(v: Any) -> str | None:
    """The kind of a check as written (the one kind key of its mapping) or as a model."""
    if isinstance(v, dict):
        keys = [k for k in KINDS if k in v]
        return keys[0] if len(keys) == 1 else None
    return getattr(v, "kind", None)


Check = Annotated[
    Union[
        Annotated[PresenceCheck, Tag("presence")],
        Annotated[QuantityCheck, Tag("quantity")],
        Annotated[DateCheck, Tag("date")],
        Annotated[StructureCheck, Tag("structure")],
        Annotated[MetaCheck, Tag("meta")],
        Annotated[AllOfCheck, Tag("all_of")],
    ],
    Discriminator(kind_of, custom_error_type="check_kind", custom_error_message=ONE_KIND),
]
AllOfCheck.model_rebuild(_types_namespace={"Check": Check})


def evaluate(ctx: CheckContext, c: CheckBase) -> CheckOutcome:
    """The check's outcome on the report, labelled as the trace shows it."""
    o = c.evaluate(ctx)
    o.label = label(c)
    return o


def label(c: CheckBase) -> str:
    return c.label or c.describe()


def lint_check(c: CheckBase, where: FieldPath, add: AddError, cue_ok: CheckCue) -> None:
    c.lint(where, add, cue_ok)


__all__ = ["KINDS", "Check", "CheckBase", "CheckOutcome", "evaluate", "kind_of", "label", "lint_check"]
