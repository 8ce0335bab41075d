"""A ruleset's problems: each as (file, line, field, message), and the error that carries them."""

from __future__ import annotations

from pathlib import Path

ErrorTuple = tuple[str, int, str, str]  # (file, line, field, message)


class RulesetError(Exception):
    """A ruleset that cannot be used; `.errors` lists (file, line, field, message)."""

    def __init__(self, errors: list[ErrorTuple]):
        self.errors = [(display_path(f), ln, fld, msg) for f, ln, fld, msg in errors]
        super().__init__("\n".join(format_error(e) for e in self.errors))


def display_path(path: str) -> str:
    """A path under the working directory as a relative one (`rulesets/x.yaml:42: …`)."""
    try:
        p = Path(path)
        if p.is_absolute():
            rel = p.relative_to(Path.cwd())
            return str(rel)
    except (ValueError, OSError):
        pass
    return path


def format_error(e: ErrorTuple) -> str:
    file, line, fld, msg = e
    where = f"{file}:{line}" if line else file
    return f"{where}: {fld}: {msg}" if fld else f"{where}: {msg}"
