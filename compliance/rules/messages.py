"""Ruleset-level message templates: one sentence per status, filled with each rule's `topic`.

Most rules said the same default, planned and self-reported-gap sentences with only their subject
changed. A ruleset writes those sentences once under `messages:` with a `{topic}` placeholder; a
rule gives `topic:` and writes only the sentences that are its own (met, partial, missing). A
child ruleset inherits the templates and may reword any of them. The templates are filled when
the ruleset is read, so the engine and every output see plain per-rule messages.
"""

from __future__ import annotations

from typing import Any

TOPIC = "{topic}"


def merge_templates(parent: dict[str, str], own: dict[str, str | None]) -> dict[str, str]:
    """A child's templates over its parent's, status by status."""
    return {**parent, **{k: v for k, v in own.items() if v is not None}}


def fill_message(rule: dict[str, Any], templates: dict[str, str]) -> dict[str, Any]:
    """A rule (as a dict) with its message completed from the templates and `{topic}` replaced.

    A status the rule words itself keeps the rule's sentence; a rule without `topic` is returned
    as it is (a `{topic}` left in its own message is then an unknown placeholder for lint)."""
    topic = rule.get("topic")
    msg = rule.get("message")
    if not topic or isinstance(msg, str):
        return rule
    own = {k: v for k, v in (msg or {}).items() if v is not None}
    filled = {**{k: v for k, v in templates.items() if k not in own}, **own}
    return {**rule, "message": {k: v.replace(TOPIC, topic) for k, v in filled.items()}}
