"""Load ruleset YAML into a `CompiledRuleset`: validate with line-numbered errors, resolve
`extends`, merge rules/overrides/parameters/markers/terms/scoring, substitute `$param`, expand
term sets (`@name`, `{@name}`), compile cues.

Errors are collected rather than raised one by one so `rules lint` can show every problem of a
file at once; `load_ruleset` raises `RulesetError` carrying all of them.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from compliance.engine.checks import lint_check
from compliance.engine.checks.derived import lint_derived
from compliance.engine.checks.presence import PresenceCheck
from compliance.rules.cues import CUE_TIMEOUT, Cue, compile_cue, nested_unbounded, take_timeouts
from compliance.rules.discovery import (
    RulesetDisplay, available_rulesets, confine_extends, display_names, province_key, resolve_ruleset, ruleset_dirs,
    ruleset_display, ruleset_for, ruleset_label,
)
from compliance.rules.base import PARAM_RE
from compliance.rules.schema import Rule
from compliance.rules.errors import ErrorTuple, RulesetError, display_path, format_error
from compliance.rules.source import data_path, fmt_path, line_for, parse_file
from compliance.rules.terms import expand_cues, expand_rule, merge_terms, resolve_terms

PLACEHOLDERS = frozenset({"value", "threshold", "ratio", "count", "date", "deadline", "delay_days", "found"})


# --------------------------------------------------------------------------- compiled model


@dataclass
class CompiledRule:
    rule: Rule
    origin: str  # ruleset name that defined (or last replaced) the rule
    file: str
    line: int
    disabled: str | None = None
    overridden_in: list[str] = field(default_factory=list)  # child rulesets whose `overrides` patched it
    terms: dict[str, list[str]] = field(default_factory=dict)  # term sets the rule names, as expanded

    @property
    def id(self) -> str:
        return self.rule.id


@dataclass(eq=False)  # compared (and cached beside, see compliance.engine.memo) by identity
class CompiledRuleset:
    name: str
    version: str
    chain: list[str]
    hash: str
    rules: list[CompiledRule]
    parameters: dict[str, Any]
    negation: list[str]
    planned: list[str]
    scoring: dict[str, Any]
    markers: dict[str, list[str]]  # every marker kind, negation and planned included
    province: str | None
    description: str | None
    files: list[str]
    display_name: str | None = None
    cues: dict[str, Cue] = field(default_factory=dict)
    terms: dict[str, list[str]] = field(default_factory=dict)  # name → patterns, after extends
    families: dict[str, str] = field(default_factory=dict)  # family code → name, along the chain

    @property
    def label(self) -> str:
        """`河南省 henan`: the display name first, then the name commands take."""
        return ruleset_label(self.name, self.display_name)

    @property
    def key(self) -> str:
        """Durable ruleset name and cache key: `<name>@<hash>`."""
        return f"{self.name}@{self.hash}"

    def rule(self, rule_id: str) -> CompiledRule:
        for r in self.rules:
            if r.id == rule_id:
                return r
        raise KeyError(rule_id)

    def cue(self, raw: str) -> Cue:
        c = self.cues.get(raw)
        if c is None:
            c = self.cues[raw] = compile_cue(raw)
        return c


def _placeholders(tmpl: str) -> list[str]:
    import string

    try:
        return [f for _, f, _, _ in string.Formatter().parse(tmpl) if f is not None]
    except ValueError:
        return ["<unbalanced braces>"]


def _substitute(obj: Any, params: dict, path: tuple, unknown: list) -> Any:
    if isinstance(obj, dict):
        return {k: _substitute(v, params, path + (k,), unknown) for k, v in obj.items()}
    if isinstance(obj, list):
        out = []
        for i, v in enumerate(obj):
            m = PARAM_RE.match(v) if isinstance(v, str) else None
            if m and m.group(1) in params and isinstance(params[m.group(1)], list):
                out.extend(params[m.group(1)])
            else:
                out.append(_substitute(v, params, path + (i,), unknown))
        return out
    if isinstance(obj, str):
        m = PARAM_RE.match(obj)
        if m:
            if m.group(1) in params:
                return params[m.group(1)]
            unknown.append((path, obj))
    return obj


# --------------------------------------------------------------------------- build


@dataclass
class _Source:
    file: str
    lines: dict
    prefix: tuple


def _build(path: Path, stack: list[Path], errors: list[ErrorTuple]) -> dict | None:
    """Merge a file with its parents; returns a dict of merged parts, or None on fatal errors."""
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

    def line(*p):
        return line_for(pf.lines, p)

    parent = None
    if m.extends:
        try:
            ppath = resolve_ruleset(m.extends, path.parent)
            confine_extends(m.extends, ppath, path.parent)
        except RulesetError as exc:
            errors.append((f, line("extends"), "extends", exc.errors[0][3] + f": {m.extends}"))
            return None
        parent = _build(ppath, stack + [path], errors)
        if parent is None:
            return None

    rules: dict[str, tuple[Rule, str, _Source, str | None]] = dict(parent["rules"]) if parent else {}
    params = dict(parent["params"]) if parent else {}
    params.update(m.parameters)
    markers = {k: list(v) for k, v in parent["markers"].items()} if parent else {k: [] for k in MARKER_KINDS}
    if m.markers:
        for kind in MARKER_KINDS:
            markers[kind] += [x for x in getattr(m.markers, kind) if x not in markers[kind]]
    negation, planned = markers["negation"], markers["planned"]

    def term_err(p: tuple, msg: str) -> None:
        errors.append((f, line(*p), ".".join(map(str, p)), msg))

    terms = merge_terms(parent["terms"] if parent else {}, m.terms, term_err)
    term_src = dict(parent["term_src"]) if parent else {}
    term_src.update({k: (f, line("terms", k)) for k in m.terms})
    scoring = dict(parent["scoring"]) if parent else {}
    if m.scoring:
        scoring.update(m.scoring.model_dump(exclude_none=True))
    families = {**(parent["families"] if parent else {}), **m.families}

    patched: dict[str, list[str]] = {k: list(v) for k, v in (parent["patched"] if parent else {}).items()}
    seen: dict[str, int] = {}
    for i, r in enumerate(m.rules):
        if r.id in seen:
            errors.append((f, line("rules", i, "id"), f"rules[{i}].id", f"duplicate rule id {r.id} (first at rules[{seen[r.id]}])"))
            continue
        seen[r.id] = i
        rules[r.id] = (r, m.name, _Source(f, pf.lines, ("rules", i)), r.disabled)
        patched.pop(r.id, None)  # replaced outright
    for i, o in enumerate(m.overrides):
        if parent is None or o.id not in parent["rules"]:
            why = "no parent ruleset (extends is not set)" if parent is None else f"the parent chain {'/'.join(parent['chain'])} has no rule {o.id}"
            errors.append((f, line("overrides", i, "id"), f"overrides[{i}].id", f"override names an unknown rule: {why}"))
            continue
        base, origin, src, dis = rules[o.id]
        patch = {k: getattr(o, k) for k in o.model_fields_set if k != "id"}
        new = base.model_copy(update=patch)
        rules[o.id] = (new, origin, src, o.disabled if "disabled" in o.model_fields_set else dis)
        patched.setdefault(o.id, []).append(m.name)
    chain = (parent["chain"] if parent else []) + [m.name]
    return {
        "name": m.name, "version": m.version, "chain": chain, "province": m.province if m.province is not None else (parent or {}).get("province"),
        "description": m.description, "display_name": m.display_name, "rules": rules, "params": params, "negation": negation, "planned": planned,
        "markers": markers, "terms": terms, "term_src": term_src, "scoring": scoring, "families": families, "patched": patched, "files": ((parent or {}).get("files") or []) + [f], "file": f, "lines": pf.lines,
    }


MARKER_KINDS = ("negation", "planned", "purpose", "reference", "done", "act")


def _act_fallback(rule: Rule) -> Rule:
    """A `met` check that needs an act (`presence.act`) also counts as `partial` without one: a
    slogan earns at most partial. The copy leads the partial tier."""
    ev = rule.evidence
    if ev is None:
        return rule
    copies = []
    for c in ev.met:
        if isinstance(c, PresenceCheck) and c.presence.act:
            label = (c.label or "") + "（未写明具体做法）" if c.label else None
            copies.append(c.model_copy(update={"presence": c.presence.model_copy(update={"act": False}), "label": label}))
    if not copies:
        return rule
    return rule.model_copy(update={"evidence": ev.model_copy(update={"partial": copies + list(ev.partial)})})


def compile_ruleset(path: Path) -> tuple[CompiledRuleset | None, list[ErrorTuple]]:
    """Build and lint; returns (ruleset or None, errors)."""
    errors: list[ErrorTuple] = []
    b = _build(path, [], errors)
    if b is None:
        return None, errors
    params = b["params"]
    compiled: list[CompiledRule] = []
    cues: dict[str, Cue] = {}

    def term_err(p: tuple, msg: str) -> None:
        file, ln = b["term_src"].get(p[1], (b["file"], 0))
        errors.append((file, ln, ".".join(map(str, p)), msg))

    terms = resolve_terms(b["terms"], term_err)
    for name, members in terms.items():
        for pat in members:
            try:
                cue = compile_cue(pat)
            except re.error as exc:
                term_err(("terms", name), f"pattern {pat} does not compile: {exc}")
                continue
            if cue.literal == "":
                term_err(("terms", name), "empty pattern can never match")

    for rid, (rule, origin, src, disabled) in b["rules"].items():
        def add(p: tuple, msg: str, _src=src, _rid=rid):
            full = _src.prefix + tuple(p)
            errors.append((_src.file, line_for(_src.lines, full), fmt_path(full), msg))

        unknown: list = []
        raw = rule.model_dump(by_alias=True, exclude_unset=True)
        sub = _substitute(raw, params, (), unknown)
        for p, ref in unknown:
            add(p, f"unknown parameter {ref} (known: {', '.join(sorted(params)) or 'none'})")
        used: set[str] = set()
        sub = expand_rule(sub, terms, add, used)
        try:
            rule = Rule.model_validate(sub)
        except ValidationError as exc:
            for e in exc.errors():
                dp = data_path(sub, tuple(e["loc"]))
                add(dp, f"after parameter substitution: {e['msg']}")
            continue

        def cue_ok(cue: str, p: tuple, _add=add):
            if cue in cues:
                return
            try:
                cues[cue] = compile_cue(cue)
            except re.error as exc:
                _add(p, f"pattern {cue} does not compile: {exc}")
                return
            rx = cues[cue].regex
            if cues[cue].literal == "":
                _add(p, "empty pattern can never match")
            elif rx is not None and nested_unbounded(rx):
                _add(p, f"pattern {cue} nests an unbounded repeat inside another, as in (a+)+: on some texts "
                        "it backtracks for minutes; bound one of them, e.g. [^。]{0,20}")

        if b["families"] and rule.family not in b["families"]:
            add(("family",), f"family {rule.family} has no name: add it under `families:` (e.g. {rule.family}: 中文名称)")
        ev = rule.evidence
        has_ev = ev is not None and (ev.met or ev.partial)
        if rule.derived is not None and has_ev:
            add(("derived",), "a rule takes its status either from evidence or from derived, not both")
        if rule.derived is None and not has_ev:
            add(("evidence",), "empty evidence and no derived: the rule can never match")
        if ev is not None:
            for tier in ("met", "partial"):
                for i, c in enumerate(getattr(ev, tier)):
                    lint_check(c, ("evidence", tier, i), add, cue_ok)
        for i, marker in enumerate(rule.negation):
            cue_ok(marker, ("negation", i))
        templates: list[tuple[tuple[str, ...], str]] = []
        if isinstance(rule.message, str):
            templates.append((("message",), rule.message))
        else:
            for k, v in rule.message.model_dump().items():
                if v is not None:
                    templates.append((("message", k), v))
        for p, t in templates:
            bad = [x for x in _placeholders(t) if x and x not in PLACEHOLDERS]
            if bad:
                add(p, f"unknown placeholder {{{bad[0]}}} (known: {', '.join('{' + x + '}' for x in sorted(PLACEHOLDERS))})")
        rule = _act_fallback(rule)
        compiled.append(CompiledRule(rule, origin, src.file, line_for(src.lines, src.prefix), disabled,
                                     list(b["patched"].get(rid, [])), {k: terms[k] for k in sorted(used)}))

    src_of = {rid: v[2] for rid, v in b["rules"].items()}

    def derived_err(rid: str, p: tuple, msg: str) -> None:
        s = src_of[rid]
        full = s.prefix + p
        errors.append((s.file, line_for(s.lines, full), fmt_path(full), msg))

    lint_derived({r.id: r.rule.derived for r in compiled}, derived_err)

    for kind in MARKER_KINDS:
        def marker_err(p: tuple, msg: str, _kind=kind) -> None:
            errors.append((b["file"], line_for(b["lines"], ("markers", _kind)), f"markers.{_kind}", msg))

        b["markers"][kind] = expand_cues(b["markers"][kind], terms, (), marker_err, set())
        for cue in b["markers"][kind]:
            try:
                cues.setdefault(cue, compile_cue(cue))
            except re.error as exc:
                errors.append((b["file"], line_for(b["lines"], ("markers", kind)), f"markers.{kind}", f"pattern {cue} does not compile: {exc}"))

    b["negation"], b["planned"] = b["markers"]["negation"], b["markers"]["planned"]
    if errors:
        return None, errors
    digest_src = {
        "name": b["name"], "version": b["version"], "chain": b["chain"], "params": params,
        "negation": b["negation"], "planned": b["planned"], "scoring": b["scoring"],
        **({"context": {k: v for k, v in b["markers"].items() if k not in ("negation", "planned") and v}}
           if any(b["markers"][k] for k in MARKER_KINDS if k not in ("negation", "planned")) else {}),
        "rules": [[r.rule.model_dump(mode="json", by_alias=True), r.disabled] for r in compiled],
    }
    digest = hashlib.sha1(json.dumps(digest_src, ensure_ascii=False, sort_keys=True, default=str).encode()).hexdigest()[:12]
    rs = CompiledRuleset(
        name=b["name"], version=b["version"], chain=b["chain"], hash=digest, rules=compiled, parameters=params,
        negation=b["negation"], planned=b["planned"], scoring=b["scoring"], markers=b["markers"], province=b["province"],
        description=b["description"], files=b["files"], cues=cues, display_name=b["display_name"], terms=terms,
        families=b["families"],
    )
    return rs, []


_CACHE: dict[str, tuple[tuple[int, ...], CompiledRuleset]] = {}  # path → (its files' mtimes, ruleset)


def _mtimes(files: list[str]) -> tuple[int, ...]:
    out = []
    for f in files:
        try:
            out.append(os.stat(f).st_mtime_ns)
        except OSError:
            out.append(0)
    return tuple(out)


def load_ruleset(name_or_path: str | Path) -> CompiledRuleset:
    """A compiled ruleset by name (`national`) or path; cached per process until a file changes."""
    path = resolve_ruleset(name_or_path)
    key = str(path)
    hit = _CACHE.get(key)
    if hit is not None and _mtimes(hit[1].files) == hit[0]:
        return hit[1]
    rs, errors = compile_ruleset(path)
    if rs is None:
        raise RulesetError(errors)
    _CACHE[key] = (_mtimes(rs.files), rs)
    return rs


def loaded_rulesets() -> list[CompiledRuleset]:
    """The rulesets compiled in this process."""
    return [rs for _, rs in _CACHE.values()]


def clear_cache() -> None:
    _CACHE.clear()


# the public names of finding and reading rulesets, importable from here as before
__all__ = [
    "CUE_TIMEOUT", "CompiledRule", "CompiledRuleset", "Cue", "ErrorTuple", "RulesetDisplay", "RulesetError", "available_rulesets",
    "clear_cache", "compile_cue", "compile_ruleset", "display_names", "display_path", "format_error", "load_ruleset",
    "loaded_rulesets", "province_key", "ruleset_dirs", "ruleset_display", "ruleset_for", "ruleset_label", "take_timeouts",
]
