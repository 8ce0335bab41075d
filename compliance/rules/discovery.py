"""Finding rulesets: the ruleset folders, names and display names, `extends` references, the
ruleset for a province, and what renderers need (family names, grades) without compiling one."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from compliance.rules.errors import RulesetError

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


def resolve_ruleset(name_or_path: str | Path, relative_to: Path | None = None) -> Path:
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


def confine_extends(ref: str, resolved: Path, base: Path) -> None:
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



def province_key(p: str) -> str:
    p = p.strip()
    for suf in ("维吾尔自治区", "壮族自治区", "回族自治区", "自治区", "特别行政区", "省", "市"):
        if p.endswith(suf) and len(p) > len(suf) + 1:
            return p[: -len(suf)]
    return p


def ruleset_for(province: str | None) -> str:
    """The ruleset whose `province` matches (浙江 / 浙江省 alike), else "national"."""
    if not province:
        return "national"
    want = province_key(province)
    for name, path in sorted(available_rulesets().items()):
        prov = _file_province(path)
        if isinstance(prov, str) and province_key(prov) == want:
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
    from compliance.rules.load import loaded_rulesets

    for rs in loaded_rulesets():
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
                path = resolve_ruleset(ext, here.parent)
            except RulesetError:
                path = None
    return RulesetDisplay(families, grades)
