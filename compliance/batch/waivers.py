"""Waivers: accepted gaps that should not fail CI, with who approved them and until when.

File format (YAML; a bare list, or a mapping with a `waivers:` list)::

    - rule: FCR-01                 # a rule id; shell-style patterns allowed (FCR-*)
      issuer: 盘锦市交通运输局        # and/or  file: "reports/panjin-*.txt"  and/or  fingerprint: 3f2a…
      reason: 本局不承担涉企政策制定职能
      approved_by: 法规科
      expires: 2026-12-31

Every selector given must match. A waived finding keeps its status and stays visible
(`RuleResult.waived`); only `--fail-on` / `--fail-under` ignore it. An expired waiver is not
applied; the report gets a warning naming it instead.
"""

from __future__ import annotations

import datetime as dt
import fnmatch
from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict, ValidationError, model_validator

from compliance.batch.fingerprint import fingerprint_of
from compliance.models import ReportResult, Waived
from compliance.results import is_finding


class WaiverError(Exception):
    """A waivers file that cannot be used; the message names file:line."""


class Waiver(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=False)

    rule: str
    issuer: str | None = None
    file: str | None = None
    fingerprint: str | None = None
    reason: str
    approved_by: str | None = None
    expires: dt.date | None = None
    # where it was written, for messages (filled by the loader, not by users)
    origin: str = ""

    @model_validator(mode="after")
    def _one_selector(self) -> Waiver:
        if not (self.issuer or self.file or self.fingerprint):
            raise ValueError("needs at least one of issuer, file, fingerprint")
        if not self.reason.strip():
            raise ValueError("reason must not be empty")
        return self

    def matches(self, rep: ReportResult, rule_id: str, fingerprints: set[str]) -> bool:
        if not fnmatch.fnmatchcase(rule_id, self.rule):
            return False
        if self.issuer and self.issuer != (rep.meta.issuer or ""):
            return False
        if self.file:
            # the glob may name the path as given, or any tail of it (a file name, reports/x.txt),
            # so a waivers file works whatever directory the check is run from
            parts = rep.source.replace("\\", "/").split("/")
            tails = ["/".join(parts[k:]) for k in range(len(parts))]
            if not any(fnmatch.fnmatchcase(t, self.file) for t in tails):
                return False
        if self.fingerprint and self.fingerprint not in fingerprints:
            return False
        return True


def _node_line(node, path: tuple) -> int | None:
    """Line (1-based) of the YAML node at `path` (list indexes / mapping keys), deepest found."""
    line = node.start_mark.line + 1 if node is not None else None
    for step in path:
        if isinstance(node, yaml.SequenceNode) and isinstance(step, int) and step < len(node.value):
            node = node.value[step]
        elif isinstance(node, yaml.MappingNode):
            nxt = None
            for k, v in node.value:
                if getattr(k, "value", None) == step:
                    nxt = v
                    line = k.start_mark.line + 1
                    break
            if nxt is None:
                return line
            node = nxt
            continue
        else:
            return line
        line = node.start_mark.line + 1
    return line


def load_waivers(path: str | Path) -> list[Waiver]:
    from compliance.safeio import MAX_CONFIG_BYTES, read_text_regular, yaml_loader

    p = Path(path)
    try:  # a regular UTF-8 text file only: a FIFO, /dev/zero or a binary file is one clear line
        text = read_text_regular(p, MAX_CONFIG_BYTES, "waivers file")
    except ValueError as e:
        msg = str(e)
        where = f"{p}:{msg.split(':', 1)[0][5:]}" if msg.startswith("line ") else f"{p}:1"
        raise WaiverError(f"{where}: {msg.split(': ', 1)[1] if msg.startswith('line ') else msg}") from None
    loader = yaml_loader()(text)
    try:
        root = loader.get_single_node()
        data = loader.construct_document(root) if root is not None else None
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None)
        where = f"{p}:{mark.line + 1}" if mark else f"{p}:1"
        if isinstance(e, yaml.constructor.ConstructorError) and mark is not None:  # a bad value: name its field
            field = text.splitlines()[mark.line].split(":", 1)[0].strip().lstrip("- ").strip()
            raise WaiverError(f"{where}: {field}: {e.problem}") from None
        raise WaiverError(f"{where}: invalid YAML: {getattr(e, 'problem', None) or e}") from None
    except RecursionError:
        raise WaiverError(f"{p}:1: invalid YAML: nested too deeply") from None
    finally:
        loader.dispose()
    prefix: tuple = ()
    if isinstance(data, dict) and "waivers" in data:
        data = data["waivers"]
        prefix = ("waivers",)
    if data is None:
        return []
    if not isinstance(data, list):
        raise WaiverError(f"{p}:1: expected a list of waivers")
    out: list[Waiver] = []
    errors: list[str] = []
    for i, item in enumerate(data):
        line = _node_line(root, prefix + (i,))
        if not isinstance(item, dict):
            errors.append(f"{p}:{line}: waiver {i + 1}: expected a mapping")
            continue
        if "origin" in item:
            errors.append(f"{p}:{_node_line(root, prefix + (i, 'origin'))}: origin: unknown field")
            continue
        try:
            out.append(Waiver.model_validate({**item, "origin": f"{p}:{line}"}))
        except ValidationError as e:
            for err in e.errors():
                loc = tuple(err["loc"])
                field = ".".join(str(x) for x in loc) or "waiver"
                eline = _node_line(root, prefix + (i,) + loc) if loc else line
                errors.append(f"{p}:{eline}: {field}: {err['msg']}")
    if errors:
        raise WaiverError("\n".join(errors))
    return out


def apply_waivers(rep: ReportResult, waivers: list[Waiver], today: dt.date | None = None) -> ReportResult:
    """Mark matching findings waived (in place); warn about expired waivers that would apply."""
    today = today or dt.date.today()
    for r in rep.results:
        if not is_finding(r):
            continue
        fps = {x for x in (r.fingerprint, fingerprint_of(r)) if x}
        for w in waivers:
            if not w.matches(rep, r.rule_id, fps):
                continue
            if w.expires is not None and w.expires < today:
                msg = f"豁免已过期，未适用: {r.rule_id} 的豁免 ({w.origin}) 已于 {w.expires.isoformat()} 到期 (waiver expired, not applied)"
                if msg not in rep.warnings:
                    rep.warnings.append(msg)
                continue
            r.waived = Waived(reason=w.reason, approved_by=w.approved_by, expires=w.expires)
            break
    return rep
