"""Vocabulary as data: named term sets (`terms:`) and ordered `sequence` cues.

A term set is a named list of patterns (literal or /regex/) that many rules share. Rules refer
to it inside any cue list as the item `@name` (the members are spliced into the list) and inside
a /regex/ cue as `{@name}` (a non-capturing alternation of the members; literals normalized and
escaped). So one synonym added in one YAML line reaches every rule that names the set.

A `sequence` cue is an ordered list of items with bounded gaps; it is written as a mapping in a
cue list and becomes one /regex/ when the file is read (`(A|B)[^。]{0,10}C`), so the engine only
ever sees strings. Everything here runs at load time: the compiled ruleset holds plain patterns.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

TERM_NAME = re.compile(r"^[\w-]+$")
TERM_REF = re.compile(r"^@([\w-]+)$")  # a whole cue-list item
INLINE_REF = re.compile(r"(?<!\\)\{@([\w-]+)\}")  # inside a /regex/

# Cue-list fields of the rule language (presence any/all/not/groups, near.any, quantity and
# ratio cue, structure contains, a rule's negation markers): the only places `@name` is spliced.
CUE_KEYS = frozenset({"any", "all", "not", "groups", "cue", "contains", "negation"})

GAP_CLASS = {"sentence": "[^。]", "clause": "[^。;,]"}
DEFAULT_MAX_GAP = 10


def is_regex(p: str) -> bool:
    return len(p) >= 2 and p.startswith("/") and p.endswith("/")


def _literal_rx(lit: str) -> str:
    """A literal as a regex fragment: normalized like a literal cue, then escaped."""
    from compliance.text import normalize

    return re.escape(normalize(lit))


def fragment(p: str) -> str:
    """One pattern as a fragment to put inside a regex: a regex's body as is, a literal escaped;
    `@name` becomes `{@name}` (expanded with the term sets later)."""
    m = TERM_REF.match(p)
    if m:
        return "{@" + m.group(1) + "}"
    if p.startswith("$"):
        raise ValueError(f"{p}: parameters are not expanded inside a sequence; put the words in a term set (@name)")
    if is_regex(p):
        return p[1:-1]
    return _literal_rx(p)


def alternation(members: list[str]) -> str:
    """`(?:a|b|c)` of patterns; a single literal needs no group."""
    parts = [fragment(x) for x in members]
    if len(parts) == 1 and not is_regex(members[0]):  # a literal, or {@name} (a group of its own)
        return parts[0]
    return "(?:" + "|".join(parts) + ")"


# --------------------------------------------------------------------------- sequence


def sequence_regex(items: list[str | list[str]], max_gap: int | list[int], within: str) -> str:
    """`/item1 gap item2 gap …/`: each gap at most `max_gap` characters (one number, or one per
    gap) of the sentence, or of the clause with `within: clause` (no ，；。 in the gap)."""
    gaps = max_gap if isinstance(max_gap, list) else [max_gap] * (len(items) - 1)
    cls = GAP_CLASS[within]
    out = []
    for i, it in enumerate(items):
        if i:
            out.append(f"{cls}{{0,{gaps[i - 1]}}}")
        out.append(alternation(it if isinstance(it, list) else [it]))
    return "/" + "".join(out) + "/"


# --------------------------------------------------------------------------- merging


ErrFn = Callable[[tuple, str], None]  # (path in the file, message)


def merge_terms(parent: dict[str, list[str]], spec: dict[str, Any], err: ErrFn) -> dict[str, list[str]]:
    """A child's `terms:` over its parent's: a plain list defines or replaces a set; `{add: […]}`
    appends to the inherited set, `{remove: […]}` drops members from it."""
    out = {k: list(v) for k, v in parent.items()}
    for name, s in spec.items():
        if not TERM_NAME.match(name):
            err(("terms", name), f"term set name {name!r}: use letters, digits, _ or - (it is written @{name})")
            continue
        if isinstance(s, list):
            out[name] = list(dict.fromkeys(s))
            continue
        if name not in out:
            err(("terms", name), f"add/remove on term set {name}, which no parent ruleset defines; write a plain list to define it")
            continue
        cur = out[name]
        for x in s.remove:
            if x not in cur:
                err(("terms", name, "remove"), f"{x} is not in the inherited term set {name}")
        cur = [x for x in cur if x not in s.remove]
        cur += [x for x in s.add if x not in cur]
        out[name] = cur
    return out


def resolve_terms(terms: dict[str, list[str]], err: ErrFn) -> dict[str, list[str]]:
    """Term sets with references to other sets (`@name`, `{@name}`) expanded; cycles are errors."""
    done: dict[str, list[str]] = {}
    state: dict[str, int] = {}

    def get(name: str, trail: list[str]) -> list[str] | None:
        if name in done:
            return done[name]
        if name not in terms:
            return None
        if state.get(name) == 1:
            err(("terms", trail[0]), "term sets refer to each other in a cycle: " + " → ".join(trail + [name]))
            return []
        state[name] = 1
        out: list[str] = []
        lookup = _Lookup(terms, lambda n: get(n, trail + [name]))
        for x in terms[name]:
            out += expand_item(x, lookup, lambda msg: err(("terms", name), msg))
        state[name] = 2
        done[name] = list(dict.fromkeys(out))
        return done[name]

    for n in terms:
        get(n, [])
    return done


# --------------------------------------------------------------------------- expansion


def _unknown(name: str, known) -> str:
    return f"unknown term set @{name} (known: {', '.join('@' + k for k in sorted(known)) or 'none'})"


def expand_item(item: str, lookup: _Lookup, err: Callable[[str], None], used: set[str] | None = None) -> list[str]:
    """One cue-list item → the patterns it stands for."""
    m = TERM_REF.match(item)
    if m:
        got = lookup(m.group(1))
        if got is None:
            err(_unknown(m.group(1), lookup.known))
            return []
        if used is not None:
            used.add(m.group(1))
        return list(got)
    if is_regex(item) and "{@" in item:
        def sub(mm: re.Match) -> str:
            got = lookup(mm.group(1))
            if got is None:
                err(_unknown(mm.group(1), lookup.known))
                return "(?!)"
            if not got:
                err(f"term set @{mm.group(1)} is empty: {{@{mm.group(1)}}} would match everywhere")
                return "(?!)"
            if used is not None:
                used.add(mm.group(1))
            return "(?:" + "|".join(fragment(x) for x in got) + ")"

        return [INLINE_REF.sub(sub, item)]
    if INLINE_REF.search(item):
        err(f"{item}: {{@name}} works inside a /regex/ only; in a list write @name as an item of its own")
    return [item]


class _Lookup:
    """A term set's members by name (`known` names the sets for an error message)."""

    def __init__(self, terms: dict[str, list[str]], get: Callable[[str], list[str] | None] | None = None):
        self.known = terms.keys()
        self.get = get or terms.get

    def __call__(self, name: str) -> list[str] | None:
        return self.get(name)


def expand_cues(items: list, terms: dict[str, list[str]], path: tuple, err: ErrFn, used: set[str]) -> list:
    lookup = _Lookup(terms)
    out: list = []
    for i, x in enumerate(items):
        if not isinstance(x, str):
            out.append(x)
            continue
        here = path + (i,)
        got = expand_item(x, lookup, lambda msg: err(here, msg), used)  # noqa: B023 - called at once
        if TERM_REF.match(x):  # spliced; a member already listed is not repeated
            got = [y for y in got if y not in out]
        out += got
    return out


def expand_rule(obj: Any, terms: dict[str, list[str]], err: ErrFn, used: set[str], path: tuple = ()) -> Any:
    """A rule (as a dict) with every cue list's term references expanded."""
    if isinstance(obj, dict):
        out = {}
        for k, v in obj.items():
            if k in CUE_KEYS and isinstance(v, list):
                if k == "groups":
                    out[k] = [expand_cues(g, terms, path + (k, gi), err, used) if isinstance(g, list) else g
                              for gi, g in enumerate(v)]
                else:
                    out[k] = expand_cues(v, terms, path + (k,), err, used)
            else:
                out[k] = expand_rule(v, terms, err, used, path + (k,))
        return out
    if isinstance(obj, (list, tuple)):  # a ratio's (numerator, denominator) dumps as a tuple
        return [expand_rule(v, terms, err, used, path + (i,)) for i, v in enumerate(obj)]
    return obj


# --------------------------------------------------------------------------- who uses a set


def refs_of(members: list[str]) -> set[str]:
    """The sets a set's members name (`@x` as a member, `{@x}` inside a /regex/ or a sequence)."""
    out: set[str] = set()
    for x in members:
        m = TERM_REF.match(x)
        if m:
            out.add(m.group(1))
        out.update(INLINE_REF.findall(x))
    return out


def term_index(rs: Any) -> list[dict[str, Any]]:
    """Every term set of a compiled ruleset: its members (expanded), where it is defined or changed
    along the `extends` chain, the sets it names, and the rules that use it, directly or through
    another set. What `compliance rules terms` prints."""
    from compliance.rules.load import _line_for, parse_file

    raw: dict[str, list[str]] = {}
    where: dict[str, list[tuple[str, str, str, int]]] = {}
    for f in rs.files:
        pf = parse_file(f)
        if pf.model is None:
            continue
        raw = merge_terms(raw, pf.model.terms, lambda p, m: None)
        for k, v in pf.model.terms.items():
            how = "defined" if isinstance(v, list) else "changed"
            where.setdefault(k, []).append((how, pf.model.name, str(f), _line_for(pf.lines, ("terms", k))))
    refs = {k: refs_of(v) for k, v in raw.items()}

    def reach(name: str, seen: set[str]) -> set[str]:
        if name in seen:
            return seen
        seen.add(name)
        for r in refs.get(name, ()):
            reach(r, seen)
        return seen

    users: dict[str, list[Any]] = {k: [] for k in rs.terms}
    for cr in rs.rules:
        named: set[str] = set()
        for t in cr.terms:
            reach(t, named)
        for t in named:
            if t in users:
                users[t].append(cr)
    return [{"name": k, "members": rs.terms[k], "where": where.get(k, []), "names": sorted(refs.get(k, ())),
             "rules": users[k]} for k in rs.terms]
