"""The facts the evidence pass hands to a backend.

Strict pydantic models (no coercion: "60" is not 60, 1 is not True) because durable_rules
silently coerces strings and numbers; every fact carries a unique `id` because durable_rules
treats two facts with equal content as one.
"""

from __future__ import annotations

from typing import Literal, Union

from pydantic import BaseModel, ConfigDict

from compliance.models import Polarity, Status


class _Fact(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


class DocFact(_Fact):
    """What applicability (`applies_to`, `when`) looks at. Unknown strings are ""; an unknown
    period end is 0 with `has_period` False (then period conditions do not exclude the rule)."""

    kind: Literal["doc"] = "doc"
    id: str = "doc"
    doc_type: str
    has_period: bool
    period_end: int
    province: str
    level: str
    has_date: bool
    plan: bool


class HitFact(_Fact):
    """Checks of one (rule, tier) satisfied with one polarity; `count` of such checks."""

    kind: Literal["hit"] = "hit"
    id: str
    rule: str
    tier: Literal["met", "partial"]
    polarity: Polarity
    count: int


class StatusFact(_Fact):
    """A rule's status (asserted by status actions, or up front for disabled rules)."""

    kind: Literal["status"] = "status"
    id: str
    rule: str
    status: Status


class BeginFact(_Fact):
    """Asserted right after the doc fact: anchors the "no applicability class matches" rules."""

    kind: Literal["begin"] = "begin"
    id: str = "begin"


class EndFact(_Fact):
    """One per rule, after every hit: a rule's status rules fire when its end marker arrives."""

    kind: Literal["end"] = "end"
    id: str
    rule: str


Fact = Union[DocFact, BeginFact, HitFact, StatusFact, EndFact]

STATUS_ORDER: tuple[str, ...] = ("met", "partial", "self_reported_gap", "planned", "missing")


def combine(mode: str, statuses: list[str]) -> str:
    """Derived status from input statuses (not_applicable inputs are left out)."""
    st = [s for s in statuses if s != "not_applicable"]
    if not st:
        return "not_applicable"
    rank = {s: i for i, s in enumerate(STATUS_ORDER)}
    best = min(st, key=rank.__getitem__)
    worst = max(st, key=rank.__getitem__)
    if mode == "any":
        return best
    if mode == "weakest":
        return worst
    if all(s == "met" for s in st):
        return "met"
    if any(s in ("met", "partial") for s in st):
        return "partial"
    return worst
