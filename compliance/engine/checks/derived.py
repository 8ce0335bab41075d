"""`derived`: a rule whose status comes from other rules' statuses (forward chaining), not from
evidence. Both backends combine the inputs with `compliance.engine.facts.combine`."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Literal

from pydantic import ConfigDict, Field

from compliance.engine.checks.base import FieldPath
from compliance.labels import STATUS_ZH
from compliance.rules.base import Strict

MODE_ZH = {"all": "全部落实才算落实，部分落实算部分", "any": "取其中最好的", "weakest": "取其中最弱的"}


class Derived(Strict):
    """Status from other rules (forward chaining).

    all: met when every rule is met; partial when some are met or partial; else the weakest.
    any: the best status among them. weakest: the worst among them.
    Order, best to worst: met, partial, self_reported_gap, planned, missing.
    not_applicable (and disabled) inputs are left out; when all are, the rule is not_applicable.
    `{found}` lists the inputs with their statuses.
    """

    from_: list[str] = Field(alias="from")
    mode: Literal["all", "any", "weakest"] = "all"

    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    def found(self, statuses: Mapping[str, str]) -> str:
        """`{found}`: the inputs with their statuses, TES-01（未体现）、TES-02（已落实）."""
        return "、".join(f"{d}（{STATUS_ZH[statuses[d]]}）" for d in self.from_)

    def held(self, statuses: Mapping[str, str]) -> str:
        """The trace line of a derived rule."""
        return f"由{self.found(statuses)}综合判定（{MODE_ZH.get(self.mode, self.mode)}）"


def lint_derived(rules: dict[str, Derived | None], add: Callable[[str, FieldPath, str], None]) -> None:
    """Inputs that name the rule itself or no rule, then cycles; `add(rule id, path, message)`."""
    for rid, d in rules.items():
        if d is None:
            continue
        for i, dep in enumerate(d.from_):
            if dep == rid:
                add(rid, ("derived", "from", i), f"derived rule {rid} names itself")
            elif dep not in rules:
                add(rid, ("derived", "from", i), f"derived rule names an unknown rule {dep}")
    deps = {rid: (d.from_ if d else []) for rid, d in rules.items()}
    state: dict[str, int] = {}

    def visit(n: str, trail: list[str]) -> None:
        state[n] = 1
        for d in deps.get(n, []):
            if d == n or d not in deps:
                continue
            if state.get(d) == 1:
                cyc = trail[trail.index(d):] + [d] if d in trail else [n, d]
                add(n, ("derived", "from"), f"derived rules form a cycle: {' → '.join(cyc)}")
            elif state.get(d) is None:
                visit(d, trail + [d])
        state[n] = 2

    for rid in sorted(deps):
        if state.get(rid) is None:
            visit(rid, [rid])
