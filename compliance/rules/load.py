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
from compliance.engine.checks.base import AddError, CheckCue, FieldPath
from compliance.engine.checks.derived import lint_derived
from compliance.engine.checks.presence import PresenceCheck
from compliance.rules.cues import CUE_TIMEOUT, Cue, compile_cue, nested_unbounded, take_timeouts
from compliance.rules.discovery import (
    RulesetDisplay, available_rulesets, display_names, province_key, resolve_ruleset, ruleset_dirs,
    ruleset_display, ruleset_for, ruleset_label,
)
from compliance.rules.base import PARAM_RE
from compliance.rules.schema import Rule
from compliance.rules.errors import ErrorTuple, RulesetError, display_path, format_error
from compliance.rules.source import data_path, fmt_path, line_for
from compliance.rules.merge import MARKER_KINDS, Defined, Merged, merge_chain
from compliance.rules.messages import fill_message
from compliance.rules.terms import expand_cues, expand_rule, resolve_terms

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


# --------------------------------------------------------------------------- compile


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


class _Compiler:
    """One ruleset chain compiled: term sets resolved, every rule substituted, expanded, linted
    and its cues compiled once; every problem collected in `errors`."""

    def __init__(self, b: Merged, errors: list[ErrorTuple]):
        self.b = b
        self.errors = errors
        self.cues: dict[str, Cue] = {}
        self.terms = resolve_terms(b.terms, self.term_err)

    def term_err(self, p: tuple[Any, ...], msg: str) -> None:
        file, ln = self.b.term_src.get(p[1], (self.b.file, 0))
        self.errors.append((file, ln, ".".join(map(str, p)), msg))

    def check_terms(self) -> None:
        for name, members in self.terms.items():
            for pat in members:
                try:
                    cue = compile_cue(pat)
                except re.error as exc:
                    self.term_err(("terms", name), f"pattern {pat} does not compile: {exc}")
                    continue
                if cue.literal == "":
                    self.term_err(("terms", name), "empty pattern can never match")

    def cue_ok(self, cue: str, add: AddError, p: FieldPath) -> None:
        """Compile a cue once; a bad, empty or catastrophic one is an error at `p`."""
        if cue in self.cues:
            return
        try:
            self.cues[cue] = compile_cue(cue)
        except re.error as exc:
            add(p, f"pattern {cue} does not compile: {exc}")
            return
        rx = self.cues[cue].regex
        if self.cues[cue].literal == "":
            add(p, "empty pattern can never match")
        elif rx is not None and nested_unbounded(rx):
            add(p, f"pattern {cue} nests an unbounded repeat inside another, as in (a+)+: on some texts "
                   "it backtracks for minutes; bound one of them, e.g. [^。]{0,20}")

    def rule(self, rid: str, d: Defined) -> CompiledRule | None:
        src = d.src

        def add(p: FieldPath, msg: str) -> None:
            full = src.prefix + tuple(p)
            self.errors.append((src.file, line_for(src.lines, full), fmt_path(full), msg))

        def cue_ok(cue: str, p: FieldPath) -> None:
            self.cue_ok(cue, add, p)

        params = self.b.params
        unknown: list[tuple[FieldPath, str]] = []
        raw = fill_message(d.rule.model_dump(by_alias=True, exclude_unset=True), self.b.messages)
        sub = _substitute(raw, params, (), unknown)
        for p, ref in unknown:
            add(p, f"unknown parameter {ref} (known: {', '.join(sorted(params)) or 'none'})")
        used: set[str] = set()
        sub = expand_rule(sub, self.terms, add, used)
        try:
            rule = Rule.model_validate(sub)
        except ValidationError as exc:
            for e in exc.errors():
                add(data_path(sub, tuple(e["loc"])), f"after parameter substitution: {e['msg']}")
            return None
        self.lint_rule(rule, add, cue_ok)
        return CompiledRule(_act_fallback(rule), d.origin, src.file, line_for(src.lines, src.prefix), d.disabled,
                            list(self.b.patched.get(rid, [])), {k: self.terms[k] for k in sorted(used)})

    def lint_rule(self, rule: Rule, add: AddError, cue_ok: CheckCue) -> None:
        families = self.b.families
        if families and rule.family not in families:
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
        if not isinstance(rule.message, str) and rule.message.default is None:
            add(("message",), "no default message: write `default:`, or give the rule a `topic:` for the ruleset's `messages:`")
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

    def derived(self, compiled: list[CompiledRule]) -> None:
        def derived_err(rid: str, p: FieldPath, msg: str) -> None:
            s = self.b.rules[rid].src
            full = s.prefix + p
            self.errors.append((s.file, line_for(s.lines, full), fmt_path(full), msg))

        lint_derived({r.id: r.rule.derived for r in compiled}, derived_err)

    def markers(self) -> dict[str, list[str]]:
        b = self.b
        out: dict[str, list[str]] = {}
        for kind in MARKER_KINDS:
            where = (b.file, line_for(b.lines, ("markers", kind)), f"markers.{kind}")

            def marker_err(p: FieldPath, msg: str, _where: tuple[str, int, str] = where) -> None:
                self.errors.append((*_where, msg))

            out[kind] = expand_cues(b.markers[kind], self.terms, (), marker_err, set())
            for cue in out[kind]:
                try:
                    self.cues.setdefault(cue, compile_cue(cue))
                except re.error as exc:
                    self.errors.append((*where, f"pattern {cue} does not compile: {exc}"))
        return out


def _digest(b: Merged, markers: dict[str, list[str]], compiled: list[CompiledRule]) -> str:
    """The ruleset's identity for durable_rules: everything that can change a status."""
    context = {k: v for k, v in markers.items() if k not in ("negation", "planned") and v}
    src = {
        "name": b.name, "version": b.version, "chain": b.chain, "params": b.params,
        "negation": markers["negation"], "planned": markers["planned"], "scoring": b.scoring,
        **({"context": context} if context else {}),
        "rules": [[r.rule.model_dump(mode="json", by_alias=True), r.disabled] for r in compiled],
    }
    return hashlib.sha1(json.dumps(src, ensure_ascii=False, sort_keys=True, default=str).encode()).hexdigest()[:12]


def compile_ruleset(path: Path) -> tuple[CompiledRuleset | None, list[ErrorTuple]]:
    """Build and lint; returns (ruleset or None, errors)."""
    errors: list[ErrorTuple] = []
    b = merge_chain(path, errors)
    if b is None:
        return None, errors
    c = _Compiler(b, errors)
    c.check_terms()
    compiled = [cr for rid, d in b.rules.items() if (cr := c.rule(rid, d)) is not None]
    c.derived(compiled)
    markers = c.markers()
    if errors:
        return None, errors
    rs = CompiledRuleset(
        name=b.name, version=b.version, chain=b.chain, hash=_digest(b, markers, compiled), rules=compiled, parameters=b.params,
        negation=markers["negation"], planned=markers["planned"], scoring=b.scoring, markers=markers, province=b.province,
        description=b.description, files=b.files, cues=c.cues, display_name=b.display_name, terms=c.terms,
        families=b.families,
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
    rs, errors = _compile_prepared(path)
    if rs is None:
        raise RulesetError(errors)
    _CACHE[key] = (_mtimes(rs.files), rs)
    return rs


def _file_digest(f: str | Path) -> str | None:
    from compliance.safeio import MAX_CONFIG_BYTES, read_text_regular

    try:
        return hashlib.sha256(read_text_regular(f, MAX_CONFIG_BYTES, "ruleset").encode()).hexdigest()
    except (OSError, ValueError):
        return None


def _compile_prepared(path: Path) -> tuple[CompiledRuleset | None, list[ErrorTuple]]:
    """compile_ruleset, or the same ruleset compiled by an earlier run (compliance.prepared) when
    every file of its chain still has the bytes it was compiled from. Only rulesets without
    errors are kept."""
    from compliance import prepared

    own = _file_digest(path)
    if own is None:  # unreadable: compile_ruleset says why
        return compile_ruleset(path)
    name = prepared.digest("ruleset", [str(path), own])
    got = prepared.load(name)
    if (isinstance(got, tuple) and len(got) == 2 and isinstance(got[0], CompiledRuleset) and isinstance(got[1], dict)
            and got[1].get(str(path)) == own and all(_file_digest(f) == d for f, d in got[1].items())):
        return got[0], []
    rs, errors = compile_ruleset(path)
    if rs is not None:
        files = {f: _file_digest(f) for f in rs.files}
        if files.get(str(path)) == own:  # not edited while compiling
            prepared.store(name, (rs, files))
    return rs, errors


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
