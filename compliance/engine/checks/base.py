"""What every check kind shares: the base model a kind extends (its YAML key, lint, evaluation
and description), the outcome of evaluating a check, and small helpers for quotes and wording."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, ClassVar

from compliance.engine.explain import roles_zh
from compliance.labels import fmt_num
from compliance.models import NearMiss, Role
from compliance.rules.base import Strict

if TYPE_CHECKING:
    from compliance.engine.checks.context import CheckContext
    from compliance.engine.index import Index, Sent

POL_RANK = {"planned": 0, "negative": 1, "positive": 2}
RANK_POL = {v: k for k, v in POL_RANK.items()}

FieldPath = tuple[Any, ...]  # a field path inside a rule: ("evidence", "met", 0, "presence", "any", 2)
AddError = Callable[[FieldPath, str], None]  # lint: report a problem at a path
CheckCue = Callable[[str, FieldPath], None]  # lint: compile a cue (and report a bad one) at a path


class CheckBase(Strict):
    """One kind of check, written in YAML as `{<kind>: {...}, label: ...}`.

    A kind is a subclass in its own module of `compliance.engine.checks`, listed in `KINDS`
    there; it says what the YAML holds (its fields), what lint rejects beyond the schema, how it
    is evaluated against a report and how it is described in Chinese."""

    kind: ClassVar[str]  # the YAML key that selects this kind
    label: str | None = None  # shown in traces; defaults to a description of the check

    def lint(self, where: FieldPath, add: AddError, cue_ok: CheckCue) -> None:
        """Problems the schema cannot see (an empty cue set, a bad pattern, a bad deadline)."""

    def evaluate(self, ctx: CheckContext) -> CheckOutcome:
        raise NotImplementedError

    def describe(self) -> str:
        """What the check looks for, from its fields (labels aside), in Chinese."""
        raise NotImplementedError

    def phrases(self) -> list[str]:
        """The cue patterns a reader would recognise the requirement by (near-miss search)."""
        return []


# --------------------------------------------------------------------------- outcomes


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


# --------------------------------------------------------------------------- places and quotes


ScopeKey = tuple[Any, ...]


def scope_key(s: Sent, pos: int, scope: str) -> ScopeKey:
    """The clause/sentence/paragraph/section that position `pos` of `s` falls in."""
    if scope == "clause":
        return ("c", s.gi, s.clause_index(pos))
    if scope == "sentence":
        return ("s", s.gi)
    if scope == "section":
        return ("S", s.section_id)
    if s.pi < 0:  # a section heading without a paragraph of its own is its own paragraph
        return ("h", s.gi)
    return ("p", s.pi)


def line_units(ix: Index, line: int, pol: str) -> list[Unit]:
    """A unit quoting input line `line` (where normalization read a metadata value)."""
    if line <= 0 or line > len(ix.report.lines):
        return []
    s = next((x for x in ix.sents if x.line == line), None)
    if s is not None and ix.line_of(s, 0) == line:
        return [Unit(s.gi, 0, pol, "", line)]
    return [Unit(-1, 0, pol, "", line)]


def unit_quote(ix: Index, u: Unit) -> tuple[str, int, str, Role]:
    """(quote, line, section, role) of a unit."""
    if u.gi >= 0:
        s = ix.sents[u.gi]
        return s.text.strip(), ix.line_of(s, u.pos), s.section, s.role
    p = next((p for p in ix.report.paragraphs if any(sp.line == u.line for sp in p.spans)), None)
    text = ix.report.lines[u.line - 1].strip()
    return text, u.line, p.section if p else "", p.role if p else "other"


# --------------------------------------------------------------------------- wording


def where_zh(roles: Sequence[str] | None, where: str = "any") -> str:
    base = roles_zh(roles) if roles else "全文"
    if where == "heading":
        return base + "的标题或条目首句"
    if where == "body":
        return base + "的正文（不含标题）"
    return base


def with_unit(v: float | None, unit: str) -> str:
    """`40 学时`, `5%`: a figure as the trace shows it."""
    if v is None:
        return "—"
    n = fmt_num(v)
    return f"{n}{unit}" if unit in ("%", "") else f"{n} {unit}"


def pct(t: float | None) -> str:
    """A ratio threshold as written in rules: a fraction (0.05) or a percentage (5)."""
    if t is None:
        return "—"
    return fmt_num(round(t * 100 if t <= 1 else t, 4)) + "%"
