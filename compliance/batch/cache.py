"""On-disk cache of ReportResult JSON, so re-checking an unchanged folder is instant.

Key = sha256 over (file content hash, ruleset content hash, tool version, doc-type override).
The "ruleset content hash" covers everything a result depends on besides the file: the ruleset
file given with `--ruleset FILE`, every built-in ruleset and data file, and the package's own
Python sources (so an engine change during development never serves a stale result, even at
the same version number). Entries are written atomically (temp file + rename).
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from functools import lru_cache
from pathlib import Path

from loguru import logger

from compliance.models import ReportResult

_PKG = Path(__file__).resolve().parent.parent
_SKIP_DIRS = {"render", "web", "__pycache__"}  # presentation only: never changes a ReportResult


def cache_dir() -> Path:
    return Path(os.environ.get("COMPLIANCE_CACHE_DIR") or ".compliance-cache")


@lru_cache(maxsize=1)
def _package_hash() -> str:
    h = hashlib.sha256()
    for path in sorted(_PKG.rglob("*")):
        rel = path.relative_to(_PKG)
        if not path.is_file() or rel.parts[0] in _SKIP_DIRS or "__pycache__" in rel.parts:
            continue
        if path.suffix not in (".py", ".yaml", ".yml", ".json", ".txt", ".csv"):
            continue
        h.update(rel.as_posix().encode())
        h.update(b"\0")
        h.update(path.read_bytes())
    return h.hexdigest()


def ruleset_hash(ruleset: str) -> str:
    """Content hash of what decides a result apart from the input file."""
    h = hashlib.sha256(_package_hash().encode())
    h.update(b"\0" + ruleset.encode())
    p = Path(ruleset)
    if ruleset not in ("auto",) and p.is_file():
        h.update(p.read_bytes())
    return h.hexdigest()


def file_hash(path: str | Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def cache_key(content_hash: str, rules_hash: str, version: str, doc_type: str | None) -> str:
    raw = "\0".join([content_hash, rules_hash, version, doc_type or ""])
    return hashlib.sha256(raw.encode()).hexdigest()


class ResultCache:
    def __init__(self, root: Path | None = None):
        self.root = root or cache_dir()

    def _path(self, key: str) -> Path:
        return self.root / key[:2] / f"{key}.json"

    def get(self, key: str) -> ReportResult | None:
        p = self._path(key)
        try:
            data = p.read_text(encoding="utf-8")
        except OSError:
            return None
        try:
            return ReportResult.model_validate_json(data)
        except Exception:  # an entry from an older model: ignore and overwrite later
            logger.debug("cache entry {} unreadable, ignored", p)
            return None

    def put(self, key: str, result: ReportResult) -> None:
        p = self._path(key)
        try:
            p.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=p.parent, prefix=".tmp-", suffix=".json")
            with os.fdopen(fd, "w", encoding="utf-8") as f:
                f.write(result.model_dump_json())
            os.replace(tmp, p)
        except OSError as e:  # a read-only directory must not fail the check
            logger.warning("could not write cache entry {}: {}", p, e)
