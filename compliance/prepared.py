"""Prepared data kept between runs: what every process builds before its first report (a compiled
ruleset chain, its cue matcher, compiled regexes and cue descriptions, the gazetteer's automaton)
costs 0.1–0.3 s of CPU to build and a few milliseconds to load, which is most of a one-report
`compliance check`.

Entries are pickles in `$COMPLIANCE_PREPARED_DIR` (default: the user's cache folder,
`~/.cache/compliance/prepared`; `off` turns the cache off), named by a digest of everything they
are built from: the caller's inputs (a ruleset file's bytes, …) and the package's own files (its
version, and each source and data file's size and modification time, so an edited checkout never
loads a stale entry). Because a pickle can run code when loaded, an entry is loaded only from a
folder and a file that this user owns and nobody else can write to, through no symlink. A missing,
damaged or refused entry is rebuilt; writing is atomic (temporary file, then rename) and a
failure to write is only logged. Nothing here changes a result: outputs are the same with the
cache on, off, cold or warm.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import stat
import tempfile
from collections.abc import Callable, Iterable
from functools import lru_cache
from pathlib import Path
from typing import Any, TypeVar

from loguru import logger

T = TypeVar("T")

_PKG = Path(__file__).resolve().parent
MAX_ENTRY_BYTES = 64 * 1024 * 1024
MAX_ENTRIES = 64  # oldest entries beyond this are removed when one is written
_FORMAT = b"compliance-prepared-1"


def prepared_dir() -> Path | None:
    """Where entries live; None when the cache is turned off."""
    v = os.environ.get("COMPLIANCE_PREPARED_DIR")
    if v is not None:
        return None if v.strip().lower() in ("", "0", "off", "no", "none") else Path(v)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "compliance" / "prepared"


@lru_cache(maxsize=1)
def code_stamp() -> str:
    """The package's version and every source and data file's path, size and modification time."""
    from compliance import __version__

    h = hashlib.sha256(_FORMAT + b"\0" + __version__.encode())
    for root, dirs, files in os.walk(_PKG):
        dirs[:] = sorted(d for d in dirs if d != "__pycache__")
        for name in sorted(files):
            if name.endswith((".py", ".json", ".yaml", ".yml", ".txt", ".csv")):
                p = os.path.join(root, name)
                try:
                    st = os.stat(p)
                except OSError:
                    continue
                h.update(f"{os.path.relpath(p, _PKG)}\0{st.st_size}\0{st.st_mtime_ns}\n".encode())
    return h.hexdigest()


def digest(kind: str, parts: Iterable[bytes | str]) -> str:
    """An entry's name: its kind, the code stamp and the caller's inputs."""
    h = hashlib.sha256(f"{kind}\0{code_stamp()}\0".encode())
    for part in parts:
        b = part.encode() if isinstance(part, str) else part
        h.update(len(b).to_bytes(8, "little"))
        h.update(b)
    return f"{kind}-{h.hexdigest()[:40]}"


def _private(st: os.stat_result, kind: Callable[[int], bool]) -> bool:
    return kind(st.st_mode) and st.st_uid == os.geteuid() and not st.st_mode & (stat.S_IWGRP | stat.S_IWOTH)


def load(name: str) -> Any | None:
    """The entry `name`, or None (absent, turned off, not private to this user, or damaged)."""
    folder = prepared_dir()
    if folder is None:
        return None
    try:
        if not _private(os.lstat(folder), stat.S_ISDIR):
            return None
        fd = os.open(folder / f"{name}.pickle", os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0))
    except OSError:
        return None
    try:
        st = os.fstat(fd)
        if not _private(st, stat.S_ISREG) or st.st_size > MAX_ENTRY_BYTES:
            logger.debug("prepared cache: refusing {} (not a private regular file)", name)
            return None
        with os.fdopen(fd, "rb", closefd=False) as f:
            data = f.read(MAX_ENTRY_BYTES + 1)
        if not data.startswith(_FORMAT + b"\n"):
            return None
        return pickle.loads(data[len(_FORMAT) + 1:])
    except Exception as exc:  # damaged, or written by other code: rebuilt by the caller
        logger.debug("prepared cache: {} unreadable ({}); rebuilding", name, exc)
        return None
    finally:
        os.close(fd)


def store(name: str, value: Any) -> None:
    """Write the entry `name` atomically; a failure (read-only home, full disk) is only logged."""
    folder = prepared_dir()
    if folder is None:
        return
    tmp = None
    try:
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        if not _private(os.lstat(folder), stat.S_ISDIR):
            return
        data = _FORMAT + b"\n" + pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
        if len(data) > MAX_ENTRY_BYTES:
            return
        fd, tmp = tempfile.mkstemp(dir=folder, prefix=".tmp-", suffix=".pickle")  # mode 0600
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        os.replace(tmp, folder / f"{name}.pickle")
        tmp = None
        _prune(folder)
    except Exception as exc:
        logger.debug("prepared cache: could not write {} ({})", name, exc)
    finally:
        if tmp is not None:
            try:
                os.unlink(tmp)
            except OSError:
                pass


def _prune(folder: Path) -> None:
    entries = []
    for p in folder.glob("*.pickle"):
        try:
            entries.append((p.stat().st_mtime_ns, p))
        except OSError:
            continue
    entries.sort(reverse=True)
    for _, p in entries[MAX_ENTRIES:]:
        try:
            p.unlink()
        except OSError:
            pass


def cached(kind: str, parts: Iterable[bytes | str], build: Callable[[], T],
           valid: Callable[[T], bool] = lambda _v: True) -> T:
    """`build()`, or the entry made by an earlier run from the same inputs (if `valid` accepts it)."""
    name = digest(kind, parts)
    got = load(name)
    if got is not None and valid(got):
        return got
    value = build()
    store(name, value)
    return value
