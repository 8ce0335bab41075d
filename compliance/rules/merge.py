"""Merging a ruleset file with the chain it `extends`: rules (replaced or patched by
`overrides`), parameters, markers, term sets, scoring and family names, child over parent.
Problems are collected as (file, line, field, message)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from compliance.rules.discovery import confine_extends, resolve_ruleset
from compliance.rules.errors import ErrorTuple, RulesetError
from compliance.rules.messages import merge_templates
from compliance.rules.schema import Rule
from compliance.rules.source import line_for, parse_file
from compliance.rules.terms import merge_terms

MARKER_KINDS = ("negation", "planned", "purpose", "reference", "done", "act")


@dataclass
class Source:
    """Where a rule is written: its file, the file's line map, and the rule's path in it."""

    file: str
    lines: dict[tuple[Any, ...], int]
    prefix: tuple[Any, ...]


@dataclass
class Defined:
    """A rule as the chain leaves it: the rule, the ruleset that defined it, where, and why it is disabled."""

    rule: Rule
    origin: str
    src: Source
    disabled: str | None


@dataclass
class Merged:
    """A ruleset file merged with its parents (child entries win)."""

    name: str
    version: str
    chain: list[str]
    province: str | None
    description: str | None
    display_name: str | None
    rules: dict[str, Defined]
    params: dict[str, Any]
    markers: dict[str, list[str]]  # every marker kind, as written (term sets not yet expanded)
    terms: dict[str, list[str]]
    term_src: dict[str, tuple[str, int]]  # term set → (file, line) of its last definition
    scoring: dict[str, Any]
    families: dict[str, str]
    messages: dict[str, str]  # status → template with {topic} (compliance.rules.messages)
    patched: dict[str, list[str]]  # rule id → child rulesets whose `overrides` patched it
    files: list[str]
    file: str  # this (the last) file of the chain
    lines: dict[tuple[Any, ...], int] = field(default_factory=dict)


def merge_chain(path: Path, errors: list[ErrorTuple], stack: list[Path] | None = None) -> Merged | None:
    """Merge a file with its parents; None on fatal errors (they are in `errors`)."""
    stack = stack or []
    if path in stack:
        cyc = " → ".join(p.stem for p in stack + [path])
        errors.append((str(path), 1, "extends", f"extends cycle: {cyc}"))
        return None
    pf = parse_file(path)
    errors.extend(pf.errors)
    if pf.model is None:
        return None
    m = pf.model
    f = pf.path

    def line(*p: Any) -> int:
        return line_for(pf.lines, p)

    parent = None
    if m.extends:
        try:
            ppath = resolve_ruleset(m.extends, path.parent)
            confine_extends(m.extends, ppath, path.parent)
        except RulesetError as exc:
            errors.append((f, line("extends"), "extends", exc.errors[0][3] + f": {m.extends}"))
            return None
        parent = merge_chain(ppath, errors, stack + [path])
        if parent is None:
            return None

    rules: dict[str, Defined] = dict(parent.rules) if parent else {}
    params = dict(parent.params) if parent else {}
    params.update(m.parameters)
    markers = {k: list(v) for k, v in parent.markers.items()} if parent else {k: [] for k in MARKER_KINDS}
    if m.markers:
        for kind in MARKER_KINDS:
            markers[kind] += [x for x in getattr(m.markers, kind) if x not in markers[kind]]

    def term_err(p: tuple[Any, ...], msg: str) -> None:
        errors.append((f, line(*p), ".".join(map(str, p)), msg))

    terms = merge_terms(parent.terms if parent else {}, m.terms, term_err)
    term_src = dict(parent.term_src) if parent else {}
    term_src.update({k: (f, line("terms", k)) for k in m.terms})
    scoring = dict(parent.scoring) if parent else {}
    if m.scoring:
        scoring.update(m.scoring.model_dump(exclude_none=True))
    families = {**(parent.families if parent else {}), **m.families}
    messages = merge_templates(parent.messages if parent else {}, m.messages.model_dump() if m.messages else {})

    patched: dict[str, list[str]] = {k: list(v) for k, v in (parent.patched if parent else {}).items()}
    seen: dict[str, int] = {}
    for i, r in enumerate(m.rules):
        if r.id in seen:
            errors.append((f, line("rules", i, "id"), f"rules[{i}].id", f"duplicate rule id {r.id} (first at rules[{seen[r.id]}])"))
            continue
        seen[r.id] = i
        rules[r.id] = Defined(r, m.name, Source(f, pf.lines, ("rules", i)), r.disabled)
        patched.pop(r.id, None)  # replaced outright
    for i, o in enumerate(m.overrides):
        if parent is None or o.id not in parent.rules:
            why = "no parent ruleset (extends is not set)" if parent is None else f"the parent chain {'/'.join(parent.chain)} has no rule {o.id}"
            errors.append((f, line("overrides", i, "id"), f"overrides[{i}].id", f"override names an unknown rule: {why}"))
            continue
        d = rules[o.id]
        patch = {k: getattr(o, k) for k in o.model_fields_set if k != "id"}
        rules[o.id] = Defined(d.rule.model_copy(update=patch), d.origin, d.src, o.disabled if "disabled" in o.model_fields_set else d.disabled)
        patched.setdefault(o.id, []).append(m.name)
    return Merged(
        name=m.name, version=m.version, chain=(parent.chain if parent else []) + [m.name],
        province=m.province if m.province is not None else (parent.province if parent else None),
        description=m.description, display_name=m.display_name, rules=rules, params=params, markers=markers,
        terms=terms, term_src=term_src, scoring=scoring, families=families, messages=messages, patched=patched,
        files=(parent.files if parent else []) + [f], file=f, lines=pf.lines,
    )
