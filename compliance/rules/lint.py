"""`rules lint`: every problem of every given ruleset file, as (file, line, field, message)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from compliance.rules.load import ErrorTuple, compile_ruleset, display_path, format_error


def ruleset_files(paths: Sequence[str | Path]) -> tuple[list[Path], list[ErrorTuple]]:
    files: list[Path] = []
    errors: list[ErrorTuple] = []
    for p in paths:
        p = Path(p)
        if p.is_dir():
            found = sorted(x for x in p.glob("*.y*ml") if x.suffix in (".yaml", ".yml"))
            if not found:
                errors.append((str(p), 0, "", "no ruleset files (*.yaml) in this folder"))
            files += found
        elif p.exists():
            files.append(p)
        else:
            errors.append((str(p), 0, "", "file not found"))
    return files, errors


def lint_paths(paths: Sequence[str | Path]) -> list[ErrorTuple]:
    """All errors, deduplicated (a parent's errors show up once, not once per child)."""
    files, errors = ruleset_files(paths)
    seen = set(errors)
    for f in files:
        _, errs = compile_ruleset(f.resolve())
        for e in errs:
            e = (display_path(e[0]), *e[1:])
            if e not in seen:
                seen.add(e)
                errors.append(e)
    return errors


def lint_text(errors: list[ErrorTuple]) -> str:
    return "\n".join(format_error(e) for e in errors)
