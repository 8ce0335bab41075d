"""`--baseline PREVIOUS.json`: which findings are new, which persist, which were resolved.

Reports are matched across runs by content hash, then issuer + period, then file name; findings
by rule id + fingerprint (normalized quote + section), never by line number. The previous file
is read leniently (plain dicts) so an output from an older or newer version still works.
"""

from __future__ import annotations

import json
from pathlib import Path

from compliance.batch.fingerprint import key_of
from compliance.models import ReportResult, RuleResult
from compliance.results import is_finding


MAX_BASELINE_BYTES = 512 * 1024 * 1024  # a json output of ~5,000 reports


class BaselineError(Exception):
    """The baseline file cannot be used (exit 2)."""


def _basename(source: str) -> str:
    return source.replace("\\", "/").rsplit("/", 1)[-1]


def _period(meta: dict | None) -> tuple | None:
    p = (meta or {}).get("period")
    if not isinstance(p, list) or not all(isinstance(x, int) for x in p):
        return None
    return tuple(p) if p else None


class Baseline:
    def __init__(self, reports: list[dict], origin: str = ""):
        self.origin = origin
        self.reports = reports
        self.by_sha: dict[str, dict] = {}
        self.by_issuer: dict[tuple, dict] = {}
        self.by_name: dict[str, dict] = {}
        for rep in reports:  # read leniently: a field of the wrong type is as good as absent
            sha, source, meta = rep.get("sha256"), rep.get("source"), rep.get("meta")
            if isinstance(sha, str):
                self.by_sha.setdefault(sha, rep)
            meta = meta if isinstance(meta, dict) else {}
            issuer = meta.get("issuer")
            if isinstance(issuer, str) and issuer:
                self.by_issuer.setdefault((issuer, _period(meta)), rep)
            if isinstance(source, str):
                self.by_name.setdefault(_basename(source), rep)

    @classmethod
    def load(cls, path: str | Path) -> Baseline:
        from compliance.safeio import read_text_regular

        p = Path(path)
        try:  # a regular UTF-8 file only: a FIFO, /dev/zero or a binary file is one clear line
            text = read_text_regular(p, MAX_BASELINE_BYTES, "baseline")
        except ValueError as e:
            msg = str(e)
            if msg.startswith("line "):
                line, msg = msg[5:].split(": ", 1)
                raise BaselineError(f"{p}:{line}: {msg}") from None
            raise BaselineError(f"{p}:1: {msg}") from None
        try:
            data = json.loads(text)
        except json.JSONDecodeError as e:
            raise BaselineError(f"{p}:{e.lineno}: not a JSON file ({e.msg}); pass a previous `--format json` output") from None
        except RecursionError:
            raise BaselineError(f"{p}:1: nested too deeply; pass a previous `--format json` output") from None
        if isinstance(data, dict) and "reports" in data:
            reports = data["reports"]
        elif isinstance(data, dict) and "results" in data:  # a single report object (one jsonl line)
            reports = [data]
        else:
            raise BaselineError(f"{p}: not a `compliance check --format json` output (no \"reports\")")
        if not isinstance(reports, list):
            raise BaselineError(f"{p}: \"reports\" is not a list")
        return cls([r for r in reports if isinstance(r, dict)], str(p))  # wrong types are skipped

    def match(self, rep: ReportResult) -> dict | None:
        if rep.sha256 and rep.sha256 in self.by_sha:
            return self.by_sha[rep.sha256]
        if rep.meta.issuer:
            hit = self.by_issuer.get((rep.meta.issuer, tuple(rep.meta.period) if rep.meta.period else None))
            if hit is not None:
                return hit
        return self.by_name.get(_basename(rep.source))

    def apply(self, rep: ReportResult) -> ReportResult:
        """Mark findings new/persisting and list resolved ones (in place)."""
        prev = self.match(rep)
        prev_findings: dict[tuple[str, str], RuleResult] = {}
        results = (prev or {}).get("results")
        for d in results if isinstance(results, list) else []:
            try:
                old = RuleResult.model_validate(d)
            except Exception:
                continue
            if is_finding(old):
                prev_findings.setdefault((old.rule_id, key_of(old)), old)
        current: set[tuple[str, str]] = set()
        for r in rep.results:
            if not is_finding(r):
                r.baseline = None
                continue
            k = (r.rule_id, key_of(r))
            current.add(k)
            r.baseline = "persisting" if k in prev_findings else "new"
        rep.resolved = [
            old.model_copy(update={"baseline": "resolved", "waived": None})
            for k, old in prev_findings.items()
            if k not in current
        ]
        return rep
