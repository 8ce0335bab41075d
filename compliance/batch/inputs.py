"""Turn the PATH arguments of `check` into a sorted list of files.

Folders are walked recursively for report extensions (`scan_extensions()`: every reader's
extension except Markdown, so a folder's `README.md` or `notes.md` is not taken for a report);
arguments with glob characters are expanded (``**`` included). Hidden files and Word's `~$…`
lock files are skipped. An explicit file is taken whatever its extension, so a wrong file
shows up as a read error instead of silently vanishing.
"""

from __future__ import annotations

import glob
import os
from pathlib import Path

DEFAULT_EXTENSIONS = (".txt", ".html", ".htm", ".shtml", ".docx", ".doc", ".pdf", ".ofd")
# readable when named, but in a folder these are a person's notes, not a submitted report
NOT_SCANNED = (".md", ".markdown", ".text")


class NoInputError(Exception):
    """Nothing to check: the CLI turns this into exit 2."""


def supported_extensions() -> tuple[str, ...]:
    try:
        from compliance.readers import SUPPORTED_EXTENSIONS  # type: ignore[attr-defined]

        exts = tuple(e if e.startswith(".") else "." + e for e in SUPPORTED_EXTENSIONS)
        return tuple(e.lower() for e in exts) or DEFAULT_EXTENSIONS
    except Exception:  # the readers stage may not be importable yet
        return DEFAULT_EXTENSIONS


def scan_extensions() -> tuple[str, ...]:
    """What a folder scan (and a glob) takes: the readers' extensions but Markdown."""
    return tuple(e for e in supported_extensions() if e not in NOT_SCANNED)


def _skipped(name: str) -> bool:
    return name.startswith((".", "~$"))


def _walk(folder: Path, exts: tuple[str, ...]) -> list[Path]:
    out = []
    for root, dirs, files in os.walk(folder):
        dirs[:] = [d for d in dirs if not d.startswith(".")]  # skip .git, .compliance-cache ...
        for name in files:
            if not _skipped(name) and os.path.splitext(name)[1].lower() in exts:
                out.append(Path(root) / name)
    return out


def collect_inputs(args: list[str]) -> tuple[list[str], list[str]]:
    """Return (files, missing): files sorted and de-duplicated, missing = arguments that matched nothing."""
    exts = scan_extensions()
    found: list[Path] = []
    missing: list[str] = []
    for arg in args:
        p = Path(arg)
        if p.is_dir():
            found.extend(_walk(p, exts))
        elif p.is_file() or os.path.exists(p):  # a FIFO or device too: listed as "not a regular file"
            found.append(p)
        elif glob.has_magic(arg):
            hits = [Path(h) for h in glob.glob(arg, recursive=True)]
            # a pattern that names an extension (`*.md`) takes it; `inbox/*` takes what a scan takes
            named = os.path.splitext(arg)[1].lower()
            files = [h for h in hits if h.is_file() and not _skipped(h.name)
                     and (h.suffix.lower() in exts or h.suffix.lower() == named)]
            for d in (h for h in hits if h.is_dir()):
                files.extend(_walk(d, exts))
            if files:
                found.extend(files)
            else:
                missing.append(arg)
        else:
            missing.append(arg)
    seen: set[str] = set()
    out: list[str] = []
    for f in sorted(found, key=lambda x: x.as_posix()):
        key = os.path.realpath(f)
        if key not in seen:
            seen.add(key)
            out.append(f.as_posix())
    return out, missing
