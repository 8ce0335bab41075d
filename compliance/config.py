"""Project configuration for `compliance check`, as ruff and Semgrep users expect it.

Found upward from the working directory: in each folder, `compliance.toml` (the whole file) and
then `pyproject.toml` (its `[tool.compliance]` table; a pyproject.toml without one is passed
over). The first found wins; `--config FILE` names one instead. Every key is also a flag of
`check`, and a flag given on the command line wins over the file. Paths in the file are relative
to the file's folder, so the same config works from any subfolder.

```toml
[tool.compliance]
ruleset = "auto"            # auto | national | zhejiang | … | path/to/ruleset.yaml
format = "table"
fail-under = 60
fail-on = "critical"
strict = true               # a document that is not a rule-of-law report fails the gate
waivers = "compliance-waivers.yaml"
baseline = "baseline.json"
include = ["reports/"]      # what `compliance check` with no PATH checks
exclude = ["reports/drafts/**", "**/*草稿*"]
select = ["AR", "FRP", "TES", "FCR"]   # rule ids (patterns), families or severities
ignore = ["AR-07"]
```
"""

from __future__ import annotations

import fnmatch
import os
import tomllib
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

FILE_NAMES = ("compliance.toml", "pyproject.toml")


class ConfigError(Exception):
    """A config file that cannot be used: the CLI prints it and exits 2."""


class ProjectConfig(BaseModel):
    """`[tool.compliance]`: the defaults of `compliance check` for one project."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    ruleset: str | None = None
    format: str | None = None
    fail_under: float | None = Field(None, alias="fail-under", ge=0, le=100)
    fail_on: Literal["critical", "major", "minor"] | None = Field(None, alias="fail-on")
    strict: bool | None = None
    waivers: str | None = None
    baseline: str | None = None
    include: list[str] = Field(default_factory=list)
    exclude: list[str] = Field(default_factory=list)
    select: list[str] = Field(default_factory=list)
    ignore: list[str] = Field(default_factory=list)
    jobs: int | None = Field(None, ge=0)
    timeout: float | None = Field(None, ge=0)
    # where the values came from (set by `find_config`, not read from the file)
    path: Path | None = Field(None, exclude=True)

    @field_validator("format")
    @classmethod
    def _known_format(cls, v: str | None) -> str | None:
        from compliance.batch.commands import FORMAT_NAMES

        if v is not None and v not in FORMAT_NAMES:
            raise ValueError(f"unknown format {v!r} (choose from {', '.join(FORMAT_NAMES)})")
        return v

    def resolve(self, value: str | None) -> str | None:
        """A path from the file, made relative to the file's folder."""
        if value is None or self.path is None or os.path.isabs(value):
            return value
        return os.path.relpath(self.path.parent / value) if value else value


def _table(path: Path) -> dict | None:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as e:
        raise ConfigError(f"{path}: 配置文件无法读取 cannot read the config: {e}") from None
    if path.name == "pyproject.toml":
        return data.get("tool", {}).get("compliance")
    return data.get("tool", {}).get("compliance", data)


def load_config(path: Path) -> ProjectConfig:
    table = _table(path)
    if table is None:
        raise ConfigError(f"{path}: 没有 [tool.compliance] 配置 no [tool.compliance] table")
    return _model(path, table)


def _model(path: Path, table: dict) -> ProjectConfig:
    try:
        cfg = ProjectConfig.model_validate(table)
    except ValidationError as e:
        lines = [f"{path}: {'.'.join(str(x) for x in err['loc'])}: {err['msg']}" for err in e.errors()]
        raise ConfigError("配置有误 invalid config:\n" + "\n".join(lines)) from None
    cfg.path = path.resolve()
    return cfg


def find_config(start: Path | None = None) -> ProjectConfig | None:
    """The nearest config file from `start` (the working directory) upward, or None."""
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        for name in FILE_NAMES:
            p = folder / name
            if p.is_file():
                table = _table(p)
                if table is not None:
                    return _model(p, table)
    return None


def excluded(path: str, patterns: list[str], base: Path | None) -> bool:
    """Whether a file matches an `exclude` glob (relative to the config's folder, or anywhere)."""
    if not patterns:
        return False
    rel = Path(path).resolve()
    if base is not None:
        try:
            rel = rel.relative_to(base)
        except ValueError:
            pass
    s = rel.as_posix()
    for pat in patterns:
        pat = pat.rstrip("/")
        if fnmatch.fnmatchcase(s, pat) or fnmatch.fnmatchcase(s, pat + "/*") or fnmatch.fnmatchcase(Path(s).name, pat):
            return True
    return False
