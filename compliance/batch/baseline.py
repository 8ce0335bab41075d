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


class BaselineError(Exception):
    """The baseline file cannot be used (exit 2)."""


def _basename(source: str) -> str:
    return source.replace("\\", "/").rsplit("/", 1)[-1]


def _period(meta: dict | None) -> tuple | None:
    p = (meta or {}).get("period")
    return tuple(p) if p else None


class Baseline:
    def __init__(self, reports: list[dict], origin: str = ""):
        self.origin = origin
        self.reports = reports
        self.by_sha: dict[str, dict] = {}
        self.by_issuer: dict[tuple, dict] = {}
        self.by_name: dict[str, dict] = {}
        for rep in reports:
            self.by_sha.setdefault(rep.get("sha256") or "", rep)
            meta = rep.get("meta") or {}
            if meta.get("issuer"):
                self.by_issuer.setdefault((meta["issuer"], _period(meta)), rep)
            self.by_name.setdefault(_basename(rep.get("source", "")), rep)

    @classmethod
    def load(cls, path: str | Path) -> Baseline:
        p = Path(path)
        try:
            data = json.loads(p.read_text(encoding="utf-8"))
        except OSError as e:
            raise BaselineError(f"{p}: cannot read baseline: {e.strerror or e}") from e
        except json.JSONDecodeError as e:
            raise BaselineError(f"{p}:{e.lineno}: not a JSON file ({e.msg}); pass a previous `--format json` output") from e
        if isinstance(data, dict) and "reports" in data:
            reports = data["reports"]
        elif isinstance(data, dict) and "results" in data:  # a single report object (one jsonl line)
            reports = [data]
        else:
            raise BaselineError(f"{p}: not a `compliance check --format json` output (no \"reports\")")
        if not isinstance(reports, list):
            raise BaselineError(f"{p}: \"reports\" is not a list")
        return cls([r for r in reports if isinstance(r, dict)], str(p))

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
        for d in (prev or {}).get("results", []) or []:
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
