"""Reading one ruleset file: YAML with a line for every field, validated by the schema, every
problem as (file, line, field, message) so `rules lint` can show them all at once."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from compliance.rules.errors import ErrorTuple
from compliance.rules.schema import RulesetFile

def fmt_path(path: tuple) -> str:
    out = ""
    for p in path:
        if isinstance(p, int):
            out += f"[{p}]"
        else:
            out += ("." if out else "") + str(p)
    return out


MAX_YAML_NODES = 200_000


def expanded_size(node, memo: dict | None = None) -> int:
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
            n += expanded_size(k, memo) + expanded_size(v, memo)
            if n > MAX_YAML_NODES:
                break
    elif isinstance(node, yaml.SequenceNode):
        for v in node.value:
            n += expanded_size(v, memo)
            if n > MAX_YAML_NODES:
                break
    memo[id(node)] = n
    return n


def line_map(node, path: tuple, out: dict, dups: list):
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
                line_map(v, path + (key,), out, dups)
            else:
                out[path + (key,)] = v.start_mark.line + 1
    elif isinstance(node, yaml.SequenceNode):
        for i, v in enumerate(node.value):
            line_map(v, path + (i,), out, dups)


def line_for(lines: dict, path: tuple) -> int:
    p = tuple(path)
    while p:
        if p in lines:
            return lines[p]
        p = p[:-1]
    return lines.get((), 1)


def data_path(data: Any, loc: tuple) -> tuple:
    """Drop pydantic's union/validator tags from `loc`, keeping the steps that exist in the data."""
    out: list = []
    cur = data
    for i, step in enumerate(loc):
        if isinstance(step, str) and loc[i + 1:i + 2] == (step,):
            continue  # a check's kind tag, followed by the field of the same name (`presence`)
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
    from compliance.safeio import MAX_CONFIG_BYTES, read_text_regular

    p = str(path)
    try:  # a regular UTF-8 file only; the message never quotes the file (it may not be a ruleset)
        text = read_text_regular(path, MAX_CONFIG_BYTES, "ruleset")
    except ValueError as exc:
        msg = str(exc)
        line = int(msg[5:].split(":", 1)[0]) if msg.startswith("line ") else 1
        return ParsedFile(p, None, {}, None, [(p, line, "", msg.split(": ", 1)[1] if msg.startswith("line ") else msg)])
    key = (p, text)
    got = _PARSED.get(key)
    if got is None:
        got = _parse_text(p, text)
        if len(_PARSED) >= 64:
            _PARSED.clear()
        _PARSED[key] = got
    return got


# (path, text) → its parse: a chain's files are parsed once per process (and a forked worker
# inherits them), not once for every ruleset that extends them. Nothing downstream mutates one.
_PARSED: dict[tuple[str, str], ParsedFile] = {}


def _parse_text(p: str, text: str) -> ParsedFile:
    from compliance.safeio import yaml_loader

    try:
        loader = yaml_loader()(text)  # libyaml (~20x faster start-up); impossible dates are marked errors
        node = None
        try:
            node = loader.get_single_node()  # one parse: the nodes give lines, the data comes from them
            if node is not None and expanded_size(node) > MAX_YAML_NODES:
                return ParsedFile(p, None, {}, None, [(p, 1, "", f"YAML aliases expand to more than {MAX_YAML_NODES} nodes; refusing (an alias bomb?)")])
            data = loader.construct_document(node) if node is not None else None
        finally:
            loader.dispose()
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark else 0
        if isinstance(exc, yaml.constructor.ConstructorError) and mark is not None and node is not None:
            at: dict = {}
            line_map(node, (), at, [])  # the field on that line, for `file:line: field: problem`
            fld = next((fmt_path(dp) for dp, ln in at.items() if ln == line and dp), "")
            return ParsedFile(p, None, {}, None, [(p, line, fld, getattr(exc, "problem", None) or str(exc))])
        msg = getattr(exc, "problem", None) or (str(exc).strip().splitlines() or [type(exc).__name__])[0]  # one line
        pos = getattr(exc, "position", None)
        if not mark and isinstance(pos, int):  # ReaderError: a bad character
            line = text[:pos].count("\n") + 1
        return ParsedFile(p, None, {}, None, [(p, line, "", f"YAML syntax error: {msg}")])
    except RecursionError:
        return ParsedFile(p, None, {}, None, [(p, 1, "", "YAML nested too deeply")])
    lines: dict = {}
    dups: list = []
    if node is not None:
        line_map(node, (), lines, dups)
    errors: list[ErrorTuple] = [(p, ln, fmt_path(dp), "duplicate key (the later value silently wins)") for dp, ln in dups]
    if not isinstance(data, dict) or not ({"name", "rules", "extends", "overrides"} & set(map(str, data))):
        # not a ruleset at all: say so once, and never list its keys or values (it may be any file)
        return ParsedFile(p, None, {}, None, [(p, 1, "", "not a ruleset file: a ruleset is a mapping with name, version and rules")])
    try:
        model = RulesetFile.model_validate(data)
    except ValidationError as exc:
        merged: dict[tuple, list[str]] = {}  # a union field fails once per member: one line for all
        for e in exc.errors():
            dp = data_path(data, tuple(e["loc"]))
            msg = "unknown field" if e["type"] == "extra_forbidden" else e["msg"].removeprefix("Value error, ")
            k = (line_for(lines, dp), fmt_path(dp))
            if msg not in merged.setdefault(k, []):
                merged[k].append(msg)
        errors += [(p, ln, fld, "; or ".join(msgs)) for (ln, fld), msgs in merged.items()]
        return ParsedFile(p, data, lines, None, errors)
    return ParsedFile(p, data, lines, model, errors)

