"""On-disk cache of ReportResult JSON, so re-checking an unchanged folder is instant.

Key = sha256 over (file content hash, ruleset content hash, tool version, doc-type override,
file name).
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
_SKIP_DIRS = {"render", "web", "store", "__pycache__"}  # presentation and records: never change a ReportResult


MAX_ENTRY_BYTES = 64 * 1024 * 1024  # a report's result is ~100 KB


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


def _ruleset_files(ruleset: str) -> list[Path]:
    """Every ruleset file a result may depend on: all discoverable rulesets (auto picks among
    them; a ruleset may extend another) and, for `--ruleset FILE`, the file and its siblings."""
    files: list[Path] = []
    try:
        from compliance.rules.load import ruleset_dirs

        dirs = ruleset_dirs()
    except Exception:
        dirs = []
    p = Path(ruleset)
    if ruleset != "auto" and p.is_file():
        files.append(p.resolve())
        dirs = [*dirs, p.resolve().parent]
    for d in dirs:
        files.extend(sorted(f.resolve() for f in d.glob("*.y*ml") if f.suffix in (".yaml", ".yml")))
    return files


@lru_cache(maxsize=64)
def _content_hash(signature: tuple) -> str:
    from compliance.safeio import MAX_CONFIG_BYTES, read_regular

    h = hashlib.sha256()
    for path, _mtime, _size in signature:
        h.update(path.encode() + b"\0")
        try:  # a FIFO or /dev/zero named *.yaml in a ruleset folder must not hang every check
            h.update(read_regular(path, MAX_CONFIG_BYTES))
        except OSError:
            h.update(b"<unreadable>")
    return h.hexdigest()


def ruleset_hash(ruleset: str) -> str:
    """Content hash of what decides a result apart from the input file."""
    sig = []
    for f in _ruleset_files(ruleset):
        try:
            st = f.stat()
            sig.append((str(f), st.st_mtime_ns, st.st_size))
        except OSError:
            sig.append((str(f), 0, 0))
    h = hashlib.sha256(_package_hash().encode())
    h.update(b"\0" + ruleset.encode() + b"\0" + _content_hash(tuple(sig)).encode())
    return h.hexdigest()


def file_hash(path: str | Path) -> str:
    """The content hash of an input: only a regular file within the input size limit (a FIFO
    would block, /dev/zero never ends); anything else raises OSError and is left to the reader."""
    from compliance.readers.base import max_bytes
    from compliance.safeio import read_regular

    return hashlib.sha256(read_regular(path, max_bytes())).hexdigest()


def cache_key(content_hash: str, rules_hash: str, version: str, doc_type: str | None, name: str = "") -> str:
    """`name` (the file name) is part of the key because readers decide the format by extension
    and may take hints from the name; the same bytes under another name are checked afresh."""
    raw = "\0".join([content_hash, rules_hash, version, doc_type or "", name])
    return hashlib.sha256(raw.encode()).hexdigest()


class ResultCache:
    def __init__(self, root: Path | None = None):
        self.root = root or cache_dir()

    def _path(self, key: str) -> Path:
        return self.root / key[:2] / f"{key}.json"

    def get(self, key: str) -> ReportResult | None:
        """The cached result, or None. An entry that is not a regular file, is too big, or does
        not parse (bad bytes, an older model, a torn write) is removed, so it is recomputed and
        written afresh instead of failing every later run."""
        from compliance.safeio import read_regular

        p = self._path(key)
        try:
            data = read_regular(p, MAX_ENTRY_BYTES)
            return ReportResult.model_validate_json(data)
        except FileNotFoundError:
            return None
        except Exception as e:  # noqa: BLE001 - whatever is wrong with it, it is only a cache
            logger.debug("cache entry {} unusable ({}), dropped", p, e)
            try:
                os.unlink(p)  # a symlink or FIFO is removed itself, never followed
            except OSError:
                pass
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
