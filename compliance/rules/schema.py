"""The rule language: a strict pydantic schema for ruleset YAML files.

A rule's status comes from its `evidence` tiers. Each tier (`met`, `partial`) is a list of
checks; a tier holds when any of its checks holds (use `all_of` for AND). Checks over text
(presence, quantity, structure) produce hits with a polarity taken from where and how the text
says it:

- positive: stated as done (measures, results, frp, preamble, other sections);
- planned: under a `plans` section, with a planned-only marker in the cue's clause, or anywhere
  in a `plan` document;
- negative: an admitted deficiency — a negation marker in the same clause as the cue, or the
  cue inside a `problems` section.

Status, in order of precedence: a `met` check with positive hits → met; a `partial` check with
positive hits → partial; any check satisfied only by negative hits → self_reported_gap; only
by planned hits → planned; nothing → missing. `not_applicable` when the document type is not in
`applies_to` or a `when` condition fails. Derived rules take their status from other rules.

Patterns ("cues") are strings: a literal, matched on the normalized text (half-width, no
spaces), or `/regex/` (Python `re`, on the same normalized text of one sentence; a match never
runs across sentences). Thresholds and dates may name a ruleset parameter as `$name`.

Term sets (`terms:`, see `compliance.rules.terms`): in any cue list the item `@name` stands for
the members of the ruleset's term set `name`; inside a /regex/, `{@name}` is their alternation.
A cue may also be a `sequence` mapping (ordered items, bounded gaps), read as one /regex/.

Parameters (engine semantics, as implemented by `compliance.rules.load`): any string value that
is exactly `$name` is replaced by the parameter's value after `extends` is resolved (the child's
parameters win); inside a list, a list-valued parameter is spliced in, so `any: [$frp_cues, 一把手]`
works. An unknown `$name` is a lint error.

Polarity details: a scope's polarity is the best level (positive > negative > planned) at which
its conditions all hold using only cue hits of that level or better; a negation or planned
marker that is part of the cue itself does not count. When a presence check lists `roles`
explicitly, hits under a listed `problems`/`plans` role are not made negative/planned by the
role (markers still apply). Closing sections are ignored unless `roles` names `closing`.

Applicability: a rule with `when` conditions on the period applies when the period is unknown;
the period's last year falls back to the report date's year minus one. A document of type
`other` makes every rule not_applicable.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal, Union

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, NonNegativeInt, TypeAdapter, WithJsonSchema, model_validator

from compliance.models import DocType, Level, Role, Severity, Status
from compliance.rules.terms import DEFAULT_MAX_GAP, sequence_regex

Number = Union[float, int, str]  # a number or "$param"


class _S(BaseModel):
    model_config = ConfigDict(extra="forbid")


class SequenceCue(_S):
    """Items in this order, each gap at most `max_gap` characters (one number, or one per gap)
    within the sentence (or the clause: no ，；。 in a gap). An item is a pattern, `@term` or a
    list of alternatives: `{sequence: ["@法治工作", [纳入, 列入], "@考核"], max_gap: 12}`."""

    sequence: list[Union[str, list[str]]] = Field(min_length=2)
    max_gap: Union[NonNegativeInt, list[NonNegativeInt]] = DEFAULT_MAX_GAP
    within: Literal["sentence", "clause"] = "sentence"

    @model_validator(mode="after")
    def _gaps(self) -> SequenceCue:
        if isinstance(self.max_gap, list) and len(self.max_gap) != len(self.sequence) - 1:
            raise ValueError(f"max_gap lists one number per gap: {len(self.sequence) - 1} for {len(self.sequence)} items")
        if any(isinstance(x, list) and not x for x in self.sequence):
            raise ValueError("an empty list of alternatives in a sequence can never match")
        return self

    def regex(self) -> str:
        return sequence_regex(self.sequence, self.max_gap, self.within)


def _cue(v: Any) -> Any:
    """A sequence mapping becomes its /regex/ as the file is read; other values pass to `str`."""
    if isinstance(v, dict) and "sequence" in v:
        return SequenceCue.model_validate(v).regex()
    return v


# literal, /regex/, @term (in a list) or a sequence mapping (read as a /regex/)
Pattern = Annotated[str, BeforeValidator(_cue), WithJsonSchema({"anyOf": [
    {"type": "string", "description": "a literal, a /regex/ (may hold {@term}), or @term in a list"},
    TypeAdapter(SequenceCue).json_schema(),  # one $defs entry in ruleset_json_schema
]})]


Scope = Literal["clause", "sentence", "paragraph", "section"]


class Near(_S):
    """Another cue that must occur within `within` of the main cue (an `any` hit, else the
    `all`/`groups` hits): the same clause/sentence/paragraph/section, or for an int, at most
    that many characters apart in the same paragraph."""

    any: list[Pattern]
    within: Scope | int = "sentence"  # an int is a distance in characters


class Presence(_S):
    """Cue phrases: any / all / groups (count distinct groups), in a scope, optionally near another cue."""

    any: list[Pattern] = Field(default_factory=list)
    all: list[Pattern] = Field(default_factory=list)
    groups: list[list[Pattern]] = Field(default_factory=list)
    min_groups: int = 1
    near: Near | None = None
    not_: list[Pattern] = Field(default_factory=list, alias="not")  # a scope containing these does not count
    scope: Scope = "sentence"
    where: Literal["any", "heading", "body"] = "any"  # heading: a section heading or the first sentence of a numbered item (一是/（一）/1.); body: not a heading line
    roles: list[Role] | None = None  # only hits under these roles count (default: all but closing)
    min_count: int = 1  # at least this many distinct scopes must match
    # `met` needs a passage that tells an act (markers.act in the cue's paragraph, or in the body of
    # a heading's section); in a `met` tier the same check without it also counts as `partial`.
    act: bool = False
    # a cue inside a higher-level document's 《title》 counts too (the rule asks for that document to be applied)
    in_titles: bool = False

    model_config = ConfigDict(extra="forbid", populate_by_name=True)


class MetricRef(_S):
    cue: list[Pattern]  # the metric's subject or sentence must contain one of these
    unit: list[str] = Field(default_factory=list)  # empty = any unit
    per_capita: bool | None = None


class Quantity(_S):
    """A metric near a cue compared with a threshold, or the ratio of two metrics.

    With no `op`, any such metric satisfies the check (the figure is still reported).
    A metric that is found but fails the comparison is recorded as a near miss with its value.

    A metric matches a cue when its `subject` holds the cue; only when no metric's subject does,
    metrics whose sentence holds the cue are used. `ratio` pairs a numerator and denominator
    metric in the same `scope`; its threshold is a fraction when <= 1 (0.05) and a percentage
    when > 1 (5), and `{ratio}`/`{threshold}` are shown as percentages. `{value}` is the passing
    figure, else the first failing one.
    """

    cue: list[Pattern] = Field(default_factory=list)
    unit: list[str] = Field(default_factory=list)
    per_capita: bool | None = None
    op: Literal[">=", ">", "<=", "<", "=="] | None = None
    threshold: Number | None = None
    ratio: tuple[MetricRef, MetricRef] | None = None  # (numerator, denominator), compared as a fraction
    scope: Scope = "sentence"
    roles: list[Role] | None = None


class DateCheck(_S):
    """The report's date against a deadline relative to the period's last year Y: "Y+1-03-01".

    `on_or_before: null` means any date present satisfies it. `field`: which date to use —
    `date` (签发/印发/成文/落款), `published` (the page's 发布日期), or `best` (date, else published).
    Deadlines: "Y+1-03-01", "Y-12-31" (Y = the period's last year) or a fixed "2025-03-01". A late
    date fills `{delay_days}` (days after the first date check's deadline) and `{deadline}`;
    an unknown period leaves a relative deadline unmet.
    """

    field: Literal["date", "published", "best"] = "best"
    on_or_before: str | None = None  # "Y+1-03-01" or "$report_deadline"


class Structure(_S):
    """A section with a role exists (at `level`), with at least `min_items` items, and
    optionally at least `min_hits` sentences containing `contains` cues.

    Items are the section's child sections, or if it has none its body paragraphs; `{count}`
    is that number. A structure hit is positive (planned in a plan document)."""

    role: Role
    level: int | None = None  # 1 = top level; None = any level
    min_items: int = 0  # child sections or body paragraphs
    contains: list[Pattern] = Field(default_factory=list)
    min_hits: int = 1


class MetaCheck(_S):
    """A metadata field is present (and optionally one of `values`)."""

    field: Literal["title", "issuer", "province", "city", "county", "level", "doc_type", "period", "date", "doc_number"]
    values: list[Any] | None = None


class Check(_S):
    """Exactly one kind per check; `all_of` nests an AND of checks."""

    presence: Presence | None = None
    quantity: Quantity | None = None
    date: DateCheck | None = None
    structure: Structure | None = None
    meta: MetaCheck | None = None
    all_of: list[Check] | None = None
    label: str | None = None  # shown in traces; defaults to a description of the check


class Evidence(_S):
    met: list[Check] = Field(default_factory=list)
    partial: list[Check] = Field(default_factory=list)


class Derived(_S):
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


class When(_S):
    """Conditions on metadata; all given conditions must hold for the rule to apply.

    An unknown period does not exclude the rule; an unknown province or level does (a rule
    limited to 浙江省 or to county reports does not apply to a report whose province or level
    is not known). Provinces compare without their suffix (浙江 = 浙江省)."""

    period_end_min: int | None = None  # the period's last year >= this
    period_end_max: int | None = None
    province: list[str] | None = None
    level: list[Level] | None = None


class Example(_S):
    text: str
    role: Role | None = None  # wrap the text in a section with this role
    doc_type: DocType = "annual_report"
    expect: Status
    note: str | None = None
    # Metadata the example's report carries as if normalization had found it (a snippet has no
    # title or 落款): e.g. {date: 2024-03-20, period: [2023, 2023]}; null clears a field.
    meta: dict[str, Any] | None = None


class Messages(_S):
    """Per-status message templates; `default` is used for a status without its own.

    Placeholders: {value} {threshold} {ratio} {count} {date} {deadline} {delay_days} {found}.
    A placeholder without a value drops its clause (up to a bracket, comma/semicolon or 。), or
    prints 未写明 when nothing would be left; any other name is a lint error. `{count}` is the
    number of matching scopes (or structure items), `{found}` the cues found (or the metadata value).
    """

    default: str | None = None  # required after templates: the rule's own, or the ruleset's `messages:` with its `topic`
    met: str | None = None
    partial: str | None = None
    planned: str | None = None
    # `planned` in a plan document, where a plan is what the document is for (full credit):
    # a report's `planned` sentence ("not yet done in the period") does not apply there
    planned_in_plan: str | None = None
    self_reported_gap: str | None = None
    missing: str | None = None
    not_applicable: str | None = None


class Rule(_S):
    id: str
    family: str
    title: str
    severity: Severity
    points: float
    applies_to: list[DocType]
    when: When | None = None
    basis: list[str]
    evidence: Evidence | None = None
    derived: Derived | None = None
    negation: list[Pattern] = Field(default_factory=list)  # extra negation markers for this rule
    ignore_negation: bool = False
    topic: str | None = None  # fills {topic} in the ruleset's `messages:` templates (compliance.rules.messages)
    message: str | Messages
    remediation: str
    examples: list[Example] = Field(default_factory=list)
    disabled: str | None = None  # a reason: the rule is switched off in this ruleset


class RuleOverride(_S):
    """In a ruleset that `extends` another: change fields of an inherited rule by id."""

    id: str
    title: str | None = None
    severity: Severity | None = None
    points: float | None = None
    applies_to: list[DocType] | None = None
    when: When | None = None
    basis: list[str] | None = None
    evidence: Evidence | None = None
    topic: str | None = None
    message: str | Messages | None = None
    remediation: str | None = None
    examples: list[Example] | None = None
    disabled: str | None = None


class Markers(_S):
    """Polarity vocabularies, ruleset-wide (extended, not replaced, by a child ruleset)."""

    negation: list[Pattern] = Field(default_factory=list)
    planned: list[Pattern] = Field(default_factory=list)
    # Context (compliance.engine.context): what is not evidence, and what tells an act.
    purpose: list[Pattern] = Field(default_factory=list)  # a clause opening with one says why, not what was done
    reference: list[Pattern] = Field(default_factory=list)  # before 《title》: a higher-level document
    done: list[Pattern] = Field(default_factory=list)  # a clause saying something was done (positive in problems)
    act: list[Pattern] = Field(default_factory=list)  # a count, date, frequency or own document: an act, not a slogan


class TermEdit(_S):
    """In a child ruleset: change an inherited term set instead of replacing it."""

    add: list[Pattern] = Field(default_factory=list)
    remove: list[Pattern] = Field(default_factory=list)


class Scoring(_S):
    credits: dict[Status, float] | None = None
    plan_planned_credit: float | None = None  # credit of `planned` in a plan document
    grades: list[tuple[float, str]] | None = None  # [(90, 优秀), (80, 良好), (60, 合格), (0, 不合格)]


class RulesetFile(_S):
    name: str
    version: str
    display_name: str | None = None  # what people read (河南省, 全国); `name` is what commands take
    extends: str | None = None
    province: str | None = None
    description: str | None = None
    parameters: dict[str, Any] = Field(default_factory=dict)
    markers: Markers | None = None
    # name → patterns: a plain list defines (or, in a child ruleset, replaces) the set;
    # {add: […], remove: […]} changes the inherited one. Rules write @name / {@name}.
    terms: dict[str, Union[list[Pattern], TermEdit]] = Field(default_factory=dict)
    scoring: Scoring | None = None
    # status → sentence with {topic}, for every rule that gives `topic:` and not its own sentence
    messages: Messages | None = None
    # family code → the name people read (AR: 年度报告义务); a child ruleset adds or renames
    families: dict[str, str] = Field(default_factory=dict)
    rules: list[Rule] = Field(default_factory=list)
    overrides: list[RuleOverride] = Field(default_factory=list)


Check.model_rebuild()

RuleKind = Annotated[str, "presence|quantity|date|structure|meta|derived"]


def ruleset_json_schema() -> dict[str, Any]:
    """The JSON Schema of a ruleset file, from these models (`compliance schema --ruleset`), so
    editors complete and validate YAML (`# yaml-language-server: $schema=…`)."""
    seq = TypeAdapter(SequenceCue).json_schema()

    def shared(x: Any) -> Any:  # every cue list inlines the sequence schema: refer to one copy
        if x == seq:
            return {"$ref": "#/$defs/SequenceCue"}
        if isinstance(x, dict):
            return {k: shared(v) for k, v in x.items()}
        return [shared(v) for v in x] if isinstance(x, list) else x

    out = shared(RulesetFile.model_json_schema(mode="validation"))
    out["$defs"]["SequenceCue"] = seq
    return {"$schema": "https://json-schema.org/draft/2020-12/schema",
            "$id": "https://compliance.invalid/schema/ruleset.schema.json",
            "title": "compliance ruleset", **{k: v for k, v in out.items() if k != "title"}}


def ruleset_schema_text() -> str:
    import json

    return json.dumps(ruleset_json_schema(), ensure_ascii=False, indent=2) + "\n"
