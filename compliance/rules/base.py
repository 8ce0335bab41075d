"""The building blocks every part of the rule language shares: a strict model base, the cue
pattern type (a literal, a /regex/, `@term` or a `sequence` mapping), scopes and numbers.

Kept apart from `rules.schema` so each check kind (`compliance.engine.checks`) can define its
own model from them without importing the whole ruleset schema.
"""

from __future__ import annotations

import re
from typing import Annotated, Any, Literal, Union

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, NonNegativeInt, TypeAdapter, WithJsonSchema, model_validator

from compliance.rules.terms import DEFAULT_MAX_GAP, sequence_regex

Number = Union[float, int, str]  # a number or "$param"
PARAM_RE = re.compile(r"^\$([A-Za-z_][A-Za-z0-9_]*)$")  # a value that is exactly `$name`: a ruleset parameter


class Strict(BaseModel):
    """A rule-language model: unknown fields are errors (a typo never passes silently)."""

    model_config = ConfigDict(extra="forbid")


class SequenceCue(Strict):
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
