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
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from compliance.rules.schema import Check, Rule, RulesetFile
from compliance.rules.messages import fill_message, merge_templates
from compliance.rules.terms import expand_cues, expand_rule, is_regex, merge_terms, resolve_terms

ErrorTuple = tuple[str, int, str, str]  # (file, line, field, message)

PARAM_RE = re.compile(r"^\$([A-Za-z_][A-Za-z0-9_]*)$")
PLACEHOLDERS = frozenset({"value", "threshold", "ratio", "count", "date", "deadline", "delay_days", "found"})


class RulesetError(Exception):
    """A ruleset that cannot be used; `.errors` lists (file, line, field, message)."""

    def __init__(self, errors: list[ErrorTuple]):
        self.errors = [(display_path(f), ln, fld, msg) for f, ln, fld, msg in errors]
        super().__init__("\n".join(format_error(e) for e in self.errors))


def display_path(path: str) -> str:
    """A path under the working directory as a relative one (`rulesets/x.yaml:42: …`)."""
    try:
        p = Path(path)
        if p.is_absolute():
            rel = p.relative_to(Path.cwd())
            return str(rel)
    except (ValueError, OSError):
        pass
    return path


def format_error(e: ErrorTuple) -> str:
    file, line, fld, msg = e
    where = f"{file}:{line}" if line else file
    return f"{where}: {fld}: {msg}" if fld else f"{where}: {msg}"


# --------------------------------------------------------------------------- cues


CUE_TIMEOUT = 1.0  # seconds one regex cue may spend on one text before it is skipped

_TIMED_OUT: list[str] = []  # regex cues that ran out of time since the last `take_timeouts()`


@dataclass(frozen=True)
class Cue:
    """A pattern as written (`raw`) and its matching form: a normalized literal or a compiled regex.

    `regex` (Python's `re`) is for analysis (pre-filter strings, gaps); matching goes through
    `matches`, which runs the same pattern on the `regex` engine with a time bound: a cue that
    backtracks for minutes on some text is stopped, noted, and treated as not found."""

    raw: str
    literal: str | None
    regex: re.Pattern | None
    bounded: Any = None  # the `regex` module's compiled pattern (takes `timeout=`)

    def matches(self, text: str):
        """Match objects of the regex in `text`, stopping (and noting the cue) past CUE_TIMEOUT."""
        rx = self.bounded or self.regex
        if rx is None or self.raw in _TIMED_OUT:  # timed out once on this report: not again per sentence
            return
        try:
            if self.bounded is not None:
                yield from self.bounded.finditer(text, timeout=CUE_TIMEOUT)
            else:
                yield from rx.finditer(text)
        except TimeoutError:
            if self.raw not in _TIMED_OUT:
                _TIMED_OUT.append(self.raw)

    def finditer(self, text: str):
        """(start, end) of every occurrence in normalized text."""
        if self.regex is not None:
            for m in self.matches(text):
                if m.end() > m.start():
                    yield m.start(), m.end()
        elif self.literal:
            i = text.find(self.literal)
            while i >= 0:
                yield i, i + len(self.literal)
                i = text.find(self.literal, i + 1)

    def search(self, text: str) -> bool:
        return next(iter(self.finditer(text)), None) is not None


def take_timeouts() -> list[str]:
    """Regex cues that timed out since the last call (the engine reports them on the report)."""
    out = list(_TIMED_OUT)
    _TIMED_OUT.clear()
    return out


def nested_unbounded(rx: re.Pattern) -> bool:
    """The shapes of catastrophic backtracking lint can recognise: an unbounded repeat (`*`, `+`,
    `{n,}`) inside another repeat, bounded or not (`(a+)+`, `(.*依){30}`), and a repeated
    alternation whose branches overlap, one starting with another (`(依|依依)*`)."""
    from re import _constants as C  # type: ignore[attr-defined]
    from re import _parser as sre  # type: ignore[attr-defined]

    repeats = {C.MAX_REPEAT, C.MIN_REPEAT} | ({C.POSSESSIVE_REPEAT} if hasattr(C, "POSSESSIVE_REPEAT") else set())

    def prefix(seq) -> str:
        out = []
        for op, av in seq:
            if op is not C.LITERAL:
                break
            out.append(chr(av))
        return "".join(out)

    def overlapping(branches) -> bool:
        heads = [prefix(b) for b in branches]
        return any(a and b and i != j and b.startswith(a) for i, a in enumerate(heads) for j, b in enumerate(heads))

    def again(first: int, rest) -> bool:
        """`(依|依依)*` is parsed as 依(?:|依)…: an optional part that starts as the body does."""
        for op, av in rest:
            if op is C.BRANCH and any(not b for b in av[1]) and any(b and b[0] == (C.LITERAL, first) for b in av[1]):
                return True
            if op in repeats and av[0] == 0 and list(av[2])[:1] == [(C.LITERAL, first)]:
                return True
        return False

    def walk(seq, inside: bool) -> bool:
        for op, av in seq:
            if op in repeats:
                unbounded = av[1] is C.MAXREPEAT
                if unbounded and inside:
                    return True
                repeated = unbounded or av[1] > 1
                body = list(av[2])
                if repeated and len(body) == 1 and body[0][0] is C.SUBPATTERN:
                    body = list(body[0][1][-1])
                if repeated and len(body) == 1 and body[0][0] is C.BRANCH and overlapping(body[0][1][1]):
                    return True
                if repeated and body and body[0][0] is C.LITERAL and again(body[0][1], body[1:]):
                    return True
                if walk(av[2], inside or repeated):
                    return True
            elif op is C.SUBPATTERN:
                if walk(av[-1], inside):
                    return True
            elif op is C.BRANCH:
                if any(walk(b, inside) for b in av[1]):
                    return True
            elif op in (C.ASSERT, C.ASSERT_NOT):
                if walk(av[1], inside):
                    return True
        return False

    try:
        return walk(sre.parse(rx.pattern, rx.flags), False)
    except Exception:
        return False


def compile_cue(p: str) -> Cue:
    """Raises re.error for a bad regex (or one the time-bounded `regex` engine cannot take)."""
    from compliance.text import normalize

    if is_regex(p):
        import regex

        rx = re.compile(p[1:-1])
        try:
            bounded = regex.compile(p[1:-1])
        except regex.error as exc:
            raise re.error(f"{exc} (regex engine)") from None
        return Cue(p, None, rx, bounded)
    return Cue(p, normalize(p), None)


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


@dataclass
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
    _cache: dict[str, Any] = field(default_factory=dict, repr=False)

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


# --------------------------------------------------------------------------- YAML with lines


def _fmt_path(path: tuple) -> str:
    out = ""
    for p in path:
        if isinstance(p, int):
            out += f"[{p}]"
        else:
            out += ("." if out else "") + str(p)
    return out


MAX_YAML_NODES = 200_000


def _expanded_size(node, memo: dict | None = None) -> int:
    """Nodes the document has once aliases are expanded: `&a [*b, *b, …]` chains (billion laughs)
    are tiny as text but hang every walk over the data."""
    memo = {} if memo is None else memo
    got = memo.get(id(node))
    if got is not None:
        return got
    memo[id(node)] = 1  # a recursive alias counts once instead of looping
    n = 1
    if isinstance(node, yaml.MappingNode):
        for k, v in node.value:
            n += _expanded_size(k, memo) + _expanded_size(v, memo)
            if n > MAX_YAML_NODES:
                break
    elif isinstance(node, yaml.SequenceNode):
        for v in node.value:
            n += _expanded_size(v, memo)
            if n > MAX_YAML_NODES:
                break
    memo[id(node)] = n
    return n


def _line_map(node, path: tuple, out: dict, dups: list):
    out[path] = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        seen: set = set()
        for k, v in node.value:
            key = k.value if isinstance(k, yaml.ScalarNode) else str(k.value)
            if key in seen:
                dups.append((path + (key,), k.start_mark.line + 1))
            seen.add(key)
            out[path + (key,)] = k.start_mark.line + 1
            if isinstance(v, (yaml.MappingNode, yaml.SequenceNode)):
                _line_map(v, path + (key,), out, dups)
            else:
                out[path + (key,)] = v.start_mark.line + 1
    elif isinstance(node, yaml.SequenceNode):
        for i, v in enumerate(node.value):
            _line_map(v, path + (i,), out, dups)


def _line_for(lines: dict, path: tuple) -> int:
    p = tuple(path)
    while p:
        if p in lines:
            return lines[p]
        p = p[:-1]
    return lines.get((), 1)


def _data_path(data: Any, loc: tuple) -> tuple:
    """Drop pydantic's union/validator tags from `loc`, keeping the steps that exist in the data."""
    out: list = []
    cur = data
    for step in loc:
        if isinstance(cur, dict) and step in cur:
            out.append(step)
            cur = cur[step]
        elif isinstance(cur, list) and isinstance(step, int) and 0 <= step < len(cur):
            out.append(step)
            cur = cur[step]
        elif isinstance(cur, dict) and isinstance(step, str) and not step[:1].isupper() and "[" not in step and "-" not in step and step not in ("str", "int", "float", "bool", "list", "dict", "tuple"):
            # an unknown or missing key: name it
            out.append(step)
            cur = None
    return tuple(out)


@dataclass
class ParsedFile:
    path: str
    data: Any
    lines: dict
    model: RulesetFile | None
    errors: list[ErrorTuple]


def parse_file(path: str | Path) -> ParsedFile:
    """Read, compose and validate one ruleset file (no extends, no cross-file checks)."""
    from compliance.safeio import MAX_CONFIG_BYTES, read_text_regular, yaml_loader

    p = str(path)
    try:  # a regular UTF-8 file only; the message never quotes the file (it may not be a ruleset)
        text = read_text_regular(path, MAX_CONFIG_BYTES, "ruleset")
    except ValueError as exc:
        msg = str(exc)
        line = int(msg[5:].split(":", 1)[0]) if msg.startswith("line ") else 1
        return ParsedFile(p, None, {}, None, [(p, line, "", msg.split(": ", 1)[1] if msg.startswith("line ") else msg)])
    try:
        loader = yaml_loader()(text)  # libyaml (~20x faster start-up); impossible dates are marked errors
        node = None
        try:
            node = loader.get_single_node()  # one parse: the nodes give lines, the data comes from them
            if node is not None and _expanded_size(node) > MAX_YAML_NODES:
                return ParsedFile(p, None, {}, None, [(p, 1, "", f"YAML aliases expand to more than {MAX_YAML_NODES} nodes; refusing (an alias bomb?)")])
            data = loader.construct_document(node) if node is not None else None
        finally:
            loader.dispose()
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark else 0
        if isinstance(exc, yaml.constructor.ConstructorError) and mark is not None and node is not None:
            at: dict = {}
            _line_map(node, (), at, [])  # the field on that line, for `file:line: field: problem`
            fld = next((_fmt_path(dp) for dp, ln in at.items() if ln == line and dp), "")
            return ParsedFile(p, None, {}, None, [(p, line, fld, getattr(exc, "problem", None) or str(exc))])
        msg = getattr(exc, "problem", None) or (str(exc).strip().splitlines() or [type(exc).__name__])[0]  # one line
        if not mark and isinstance(getattr(exc, "position", None), int):  # ReaderError: a bad character
            line = text[: exc.position].count("\n") + 1
        return ParsedFile(p, None, {}, None, [(p, line, "", f"YAML syntax error: {msg}")])
    except RecursionError:
        return ParsedFile(p, None, {}, None, [(p, 1, "", "YAML nested too deeply")])
    lines: dict = {}
    dups: list = []
    if node is not None:
        _line_map(node, (), lines, dups)
    errors: list[ErrorTuple] = [(p, ln, _fmt_path(dp), "duplicate key (the later value silently wins)") for dp, ln in dups]
    if not isinstance(data, dict) or not ({"name", "rules", "extends", "overrides"} & set(map(str, data))):
        # not a ruleset at all: say so once, and never list its keys or values (it may be any file)
        return ParsedFile(p, None, {}, None, [(p, 1, "", "not a ruleset file: a ruleset is a mapping with name, version and rules")])
    try:
        model = RulesetFile.model_validate(data)
    except ValidationError as exc:
        merged: dict[tuple, list[str]] = {}  # a union field fails once per member: one line for all
        for e in exc.errors():
            dp = _data_path(data, tuple(e["loc"]))
            msg = "unknown field" if e["type"] == "extra_forbidden" else e["msg"].removeprefix("Value error, ")
            k = (_line_for(lines, dp), _fmt_path(dp))
            if msg not in merged.setdefault(k, []):
                merged[k].append(msg)
        errors += [(p, ln, fld, "; or ".join(msgs)) for (ln, fld), msgs in merged.items()]
        return ParsedFile(p, data, lines, None, errors)
    return ParsedFile(p, data, lines, model, errors)


# --------------------------------------------------------------------------- discovery


def ruleset_dirs() -> list[Path]:
    import compliance

    pkg = Path(compliance.__file__).parent
    dirs = []
    env = os.environ.get("COMPLIANCE_RULESETS")
    if env:
        dirs += [Path(d) for d in env.split(os.pathsep) if d]
    dirs += [pkg.parent / "rulesets", pkg / "rulesets"]
    return [d for d in dirs if d.is_dir()]


def ruleset_label(name: str, display_name: str | None = None) -> str:
    """`河南省 henan` for a person; the bare name when the ruleset has no `display_name:`."""
    if display_name is None:
        display_name = display_names().get(name)
    return f"{display_name} {name}" if display_name and display_name != name else name


def display_names() -> dict[str, str]:
    """{name: display_name} of the available rulesets, read from each file's top-level
    `display_name:` line (no full load: the web app's menus and renderers call this)."""
    out: dict[str, str] = {}
    for name, path in available_rulesets().items():
        dn = _display_name_of(str(path), path.stat().st_mtime_ns)
        if dn:
            out[name] = dn
    return out


@lru_cache(maxsize=64)
def _display_name_of(path: str, mtime: int) -> str | None:
    try:
        with open(path, encoding="utf-8") as fh:
            for line in fh:
                m = re.match(r"display_name:\s*(.+?)\s*(?:#.*)?$", line)
                if m:
                    return m.group(1).strip("\"'") or None
    except OSError:
        pass
    return None


def available_rulesets() -> dict[str, Path]:
    """{name: path}; the first directory wins (env, repo `rulesets/`, packaged copy)."""
    out: dict[str, Path] = {}
    for d in ruleset_dirs():
        for f in sorted(d.glob("*.y*ml")):
            if f.suffix in (".yaml", ".yml"):
                out.setdefault(f.stem, f)
    return out


def _resolve(name_or_path: str | Path, relative_to: Path | None = None) -> Path:
    s = str(name_or_path)
    p = Path(s)
    if p.suffix in (".yaml", ".yml") or os.sep in s or "/" in s:
        if not p.is_absolute() and relative_to is not None and (relative_to / p).exists():
            return (relative_to / p).resolve()
        if p.exists():
            return p.resolve()
        raise RulesetError([(s, 0, "", "ruleset file not found")])
    if relative_to is not None:
        for ext in (".yaml", ".yml"):
            cand = relative_to / f"{s}{ext}"
            if cand.exists():
                return cand.resolve()
    avail = available_rulesets()
    if s in avail:
        return avail[s].resolve()
    known = ", ".join(sorted(avail)) or "none found"
    raise RulesetError([(s, 0, "", f"unknown ruleset (available: {known})")])


def _confine(ref: str, resolved: Path, base: Path) -> None:
    """`extends` names a ruleset: by name (found in the ruleset folders), by an absolute path, or by
    a relative path that stays inside the extending file's folder or a ruleset folder, ending in
    .yaml/.yml. `../../../../etc/shadow` is none of these."""
    if resolved.suffix not in (".yaml", ".yml"):
        raise RulesetError([(ref, 0, "", "extends must name a .yaml/.yml ruleset file")])
    if Path(ref).is_absolute() or not ("/" in ref or os.sep in ref or Path(ref).suffix):
        return
    roots = [base.resolve(), *(d.resolve() for d in ruleset_dirs())]
    if not any(resolved == r or r in resolved.parents for r in roots):
        raise RulesetError([(ref, 0, "", "extends must stay inside the ruleset folders (or be an absolute path)")])


# --------------------------------------------------------------------------- lint helpers


def _check_kinds(c: Check) -> list[str]:
    return [k for k in ("presence", "quantity", "date", "structure", "meta", "all_of") if getattr(c, k) is not None]


def _lint_check(c: Check, where: tuple, add, cue_ok) -> None:
    kinds = _check_kinds(c)
    if len(kinds) != 1:
        add(where, f"a check needs exactly one kind (presence, quantity, date, structure, meta, all_of); found {', '.join(kinds) or 'none'}")
    if c.presence is not None:
        pr = c.presence
        w = where + ("presence",)
        if not (pr.any or pr.all or any(pr.groups)):
            add(w, "empty cue set: any, all and groups are all empty, so the check can never match")
        for nm in ("any", "all", "not"):
            for i, cue in enumerate(getattr(pr, "not_" if nm == "not" else nm)):
                cue_ok(cue, w + (nm, i))
        for gi, g in enumerate(pr.groups):
            if not g:
                add(w + ("groups", gi), "empty group can never match")
            for i, cue in enumerate(g):
                cue_ok(cue, w + ("groups", gi, i))
        if pr.roles is not None and not pr.roles:
            add(w + ("roles",), "empty roles list: no hit can count, so the check can never match")
        if pr.min_count < 1:
            add(w + ("min_count",), "min_count must be at least 1 (0 would hold with no evidence at all)")
        if pr.groups and pr.min_groups < 1:
            add(w + ("min_groups",), "min_groups must be at least 1")
        if pr.groups and pr.min_groups > len(pr.groups):
            add(w + ("min_groups",), f"min_groups {pr.min_groups} exceeds the {len(pr.groups)} groups, so the check can never match")
        if pr.near is not None:
            if not pr.near.any:
                add(w + ("near", "any"), "empty cue set: the near condition can never hold")
            for i, cue in enumerate(pr.near.any):
                cue_ok(cue, w + ("near", "any", i))
    if c.quantity is not None:
        q = c.quantity
        w = where + ("quantity",)
        if q.roles is not None and not q.roles:
            add(w + ("roles",), "empty roles list: no metric can count, so the check can never match")
        if not q.cue and q.ratio is None:
            add(w, "empty cue set: a quantity needs cue or ratio")
        if (q.op is None) != (q.threshold is None):
            add(w, "op and threshold go together")
        for i, cue in enumerate(q.cue):
            cue_ok(cue, w + ("cue", i))
        if q.ratio is not None:
            for j, ref in enumerate(q.ratio):
                if not ref.cue:
                    add(w + ("ratio", j, "cue"), "empty cue set")
                for i, cue in enumerate(ref.cue):
                    cue_ok(cue, w + ("ratio", j, "cue", i))
        if q.threshold is not None and not isinstance(q.threshold, (int, float)) and not PARAM_RE.match(str(q.threshold)):
            add(w + ("threshold",), f"threshold must be a number or a $parameter, got {q.threshold!r}")
    if c.date is not None and c.date.on_or_before is not None:
        if not DEADLINE_RE.match(c.date.on_or_before):
            add(where + ("date", "on_or_before"), f"deadline must look like Y+1-03-01 or YYYY-MM-DD, got {c.date.on_or_before!r}")
    if c.structure is not None:
        for i, cue in enumerate(c.structure.contains):
            cue_ok(cue, where + ("structure", "contains", i))
    if c.all_of is not None:
        if not c.all_of:
            add(where + ("all_of",), "empty all_of")
        for i, sub in enumerate(c.all_of):
            _lint_check(sub, where + ("all_of", i), add, cue_ok)


DEADLINE_RE = re.compile(r"^(Y(?:[+-]\d+)?|\d{4})-(\d{1,2})-(\d{1,2})$")


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
        return _line_for(pf.lines, p)

    parent = None
    if m.extends:
        try:
            ppath = _resolve(m.extends, path.parent)
            _confine(m.extends, ppath, path.parent)
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
    messages = merge_templates(parent["messages"] if parent else {}, m.messages.model_dump() if m.messages else {})

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
        "markers": markers, "terms": terms, "term_src": term_src, "scoring": scoring, "families": families, "messages": messages, "patched": patched, "files": ((parent or {}).get("files") or []) + [f], "file": f, "lines": pf.lines,
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
        if c.presence is not None and c.presence.act:
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
            errors.append((_src.file, _line_for(_src.lines, full), _fmt_path(full), msg))

        unknown: list = []
        raw = fill_message(rule.model_dump(by_alias=True, exclude_unset=True), b["messages"])
        sub = _substitute(raw, params, (), unknown)
        for p, ref in unknown:
            add(p, f"unknown parameter {ref} (known: {', '.join(sorted(params)) or 'none'})")
        used: set[str] = set()
        sub = expand_rule(sub, terms, add, used)
        try:
            rule = Rule.model_validate(sub)
        except ValidationError as exc:
            for e in exc.errors():
                dp = _data_path(sub, tuple(e["loc"]))
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
            if cues[cue].literal == "":
                _add(p, "empty pattern can never match")
            elif cues[cue].regex is not None and nested_unbounded(cues[cue].regex):
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
                    _lint_check(c, ("evidence", tier, i), add, cue_ok)
        for i, cue in enumerate(rule.negation):
            cue_ok(cue, ("negation", i))
        templates = []
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
        rule = _act_fallback(rule)
        compiled.append(CompiledRule(rule, origin, src.file, _line_for(src.lines, src.prefix), disabled,
                                     list(b["patched"].get(rid, [])), {k: terms[k] for k in sorted(used)}))

    ids = {r.id for r in compiled}
    deps = {r.id: (r.rule.derived.from_ if r.rule.derived else []) for r in compiled}
    src_of = {rid: v[2] for rid, v in b["rules"].items()}
    for r in compiled:
        if not r.rule.derived:
            continue
        s = src_of[r.id]
        for i, d in enumerate(r.rule.derived.from_):
            full = s.prefix + ("derived", "from", i)
            if d == r.id:
                errors.append((s.file, _line_for(s.lines, full), _fmt_path(full), f"derived rule {r.id} names itself"))
            elif d not in ids:
                errors.append((s.file, _line_for(s.lines, full), _fmt_path(full), f"derived rule names an unknown rule {d}"))
    # cycles among derived rules
    state: dict[str, int] = {}

    def visit(n: str, trail: list[str]):
        state[n] = 1
        for d in deps.get(n, []):
            if d == n or d not in deps:
                continue
            if state.get(d) == 1:
                cyc = trail[trail.index(d):] + [d] if d in trail else [n, d]
                s = src_of[n]
                full = s.prefix + ("derived", "from")
                errors.append((s.file, _line_for(s.lines, full), _fmt_path(full), f"derived rules form a cycle: {' → '.join(cyc)}"))
            elif state.get(d) is None:
                visit(d, trail + [d])
        state[n] = 2

    for rid in sorted(deps):
        if state.get(rid) is None:
            visit(rid, [rid])

    for kind in MARKER_KINDS:
        def marker_err(p: tuple, msg: str, _kind=kind) -> None:
            errors.append((b["file"], _line_for(b["lines"], ("markers", _kind)), f"markers.{_kind}", msg))

        b["markers"][kind] = expand_cues(b["markers"][kind], terms, (), marker_err, set())
        for cue in b["markers"][kind]:
            try:
                cues.setdefault(cue, compile_cue(cue))
            except re.error as exc:
                errors.append((b["file"], _line_for(b["lines"], ("markers", kind)), f"markers.{kind}", f"pattern {cue} does not compile: {exc}"))

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


_CACHE: dict[tuple, CompiledRuleset] = {}


def _mtimes(files: list[str]) -> tuple:
    out = []
    for f in files:
        try:
            out.append(os.stat(f).st_mtime_ns)
        except OSError:
            out.append(0)
    return tuple(out)


def load_ruleset(name_or_path: str | Path) -> CompiledRuleset:
    """A compiled ruleset by name (`national`) or path; cached per process until a file changes."""
    path = _resolve(name_or_path)
    key = (str(path),)
    hit = _CACHE.get(key)
    if hit is not None and _mtimes(hit.files) == hit._cache.get("mtimes"):
        return hit
    rs, errors = compile_ruleset(path)
    if rs is None:
        raise RulesetError(errors)
    rs._cache["mtimes"] = _mtimes(rs.files)
    _CACHE[key] = rs
    return rs


def clear_cache() -> None:
    _CACHE.clear()


def _province_key(p: str) -> str:
    p = p.strip()
    for suf in ("维吾尔自治区", "壮族自治区", "回族自治区", "自治区", "特别行政区", "省", "市"):
        if p.endswith(suf) and len(p) > len(suf) + 1:
            return p[: -len(suf)]
    return p


def ruleset_for(province: str | None) -> str:
    """The ruleset whose `province` matches (浙江 / 浙江省 alike), else "national"."""
    if not province:
        return "national"
    want = _province_key(province)
    for name, path in sorted(available_rulesets().items()):
        prov = _file_province(path)
        if isinstance(prov, str) and _province_key(prov) == want:
            return name
    return "national"


_HEADS: dict[str, tuple[int, dict]] = {}
_HEAD_KEYS = ("name", "extends", "province", "families", "scoring")


def _file_head(path: Path) -> dict:
    """A ruleset file's small top-level entries (name, extends, province, families, scoring),
    parsed once per file version and without its rules: batches call `ruleset_for` per report,
    and renderers need family names and grades without compiling the ruleset (~1 s)."""
    key = str(path)
    try:
        mtime = os.stat(path).st_mtime_ns
    except OSError:
        return {}
    hit = _HEADS.get(key)
    if hit is not None and hit[0] == mtime:
        return hit[1]
    from compliance.safeio import MAX_CONFIG_BYTES, read_text_regular, yaml_loader

    try:  # a broken file in a ruleset folder must not break every auto check: it just has no entries
        keep, on = [], False
        for ln in read_text_regular(path, MAX_CONFIG_BYTES, "ruleset").splitlines():
            if ln[:1] not in ("", " ", "\t", "#", "-"):  # a top-level key starts a block
                on = ln.split(":", 1)[0].strip() in _HEAD_KEYS
            if on:
                keep.append(ln)
        data = yaml.load("\n".join(keep), Loader=yaml_loader())
    except (ValueError, yaml.YAMLError, RecursionError):
        data = None
    head = data if isinstance(data, dict) else {}
    _HEADS[key] = (mtime, head)
    return head


def _file_province(path: Path) -> Any:
    return _file_head(path).get("province")


@dataclass(frozen=True)
class RulesetDisplay:
    """What a reader of results needs from a ruleset: its family names and grade bands."""

    families: dict[str, str]
    grades: list[tuple[float, str]]  # best first: (lowest score of the band, grade)


def ruleset_display(name: str) -> RulesetDisplay:
    """Family names and grades along an installed ruleset's chain, from the files' top-level
    entries (a result names its ruleset; renderers need no compiled ruleset). A ruleset compiled
    in this process (e.g. given as a file) is used as it is; an unknown name gets national's."""
    for rs in list(_CACHE.values()):
        if rs.name == name:
            return RulesetDisplay(dict(rs.families), [(float(a), str(b)) for a, b in rs.scoring.get("grades") or []])
    avail = available_rulesets()
    path = avail.get(name) or avail.get("national")
    families: dict[str, str] = {}
    grades: list = []
    seen: set[Path] = set()
    while path is not None and path not in seen:  # child first: its entries win
        seen.add(path)
        head = _file_head(path)
        fams = head.get("families")
        if isinstance(fams, dict):
            families = {**{str(k): str(v) for k, v in fams.items()}, **families}
        sc = head.get("scoring")
        if not grades and isinstance(sc, dict) and sc.get("grades"):
            grades = [(float(a), str(b)) for a, b in sc["grades"]]
        ext, here = head.get("extends"), path
        path = None
        if isinstance(ext, str):
            try:
                path = _resolve(ext, here.parent)
            except RulesetError:
                path = None
    return RulesetDisplay(families, grades)
