"""The output formats: one module per format, each with a `Builder` that follows one protocol.

A batch of any size is written report by report: `start()`, then `add(report)` per report and
`error(err)` per unreadable input, then `finish(tool, errors, summary)`. Each call returns the
output that is final at that point — json, jsonl and csv give their text as reports arrive
(streamed); the others keep only their own small part of each report (rows, counters, rendered
sections) and give the whole document at `finish`. `render(result, fmt)` is the same calls over
a whole CheckResult, so a streamed batch and a rendered one are the same bytes.

What the formats show (findings, ranking, pass rates, labels) is decided in `compliance.results`
and `compliance.labels`, so every format agrees with the others and with the web pages.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from compliance.models import CheckResult, InputError, ReportResult, Summary, ToolInfo

FORMATS: tuple[str, ...] = ("table", "json", "jsonl", "markdown", "html", "sarif", "junit", "csv", "xlsx", "docx")
BINARY_FORMATS = frozenset({"xlsx", "docx"})


class RawReport(Protocol):
    """A report already serialized by a worker (`batch.runner.RawReport`), read-only."""

    @property
    def text(self) -> str: ...

    @property
    def total(self) -> float | None: ...


class Builder(Protocol):
    """One output document built report by report (see the module docstring).

    `takes_raw`: `add` also accepts a worker's serialized report (`RawReport`, serialized with
    `raw_indent`), so a batch need not rebuild report objects just to write them again."""

    takes_raw: bool
    raw_indent: int | None

    def start(self) -> str: ...

    def add(self, rep: ReportResult) -> str: ...

    def error(self, err: InputError) -> str: ...

    def finish(self, tool: ToolInfo, errors: list[InputError], summary: Summary | None = None) -> str | bytes: ...


class Kept:
    """Base of the formats written whole at `finish`: nothing to write before, reports and errors
    are kept (in each format's own small form) until then."""

    takes_raw = False
    raw_indent: int | None = None

    def start(self) -> str:
        return ""

    def error(self, err: InputError) -> str:
        return ""


def builder(fmt: str, **opts: Any) -> Builder:
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r} (choose from {', '.join(FORMATS)})")
    return importlib.import_module(f"compliance.render.{fmt}").Builder(**opts)


def build(b: Builder, result: CheckResult) -> str | bytes:
    """A whole CheckResult through a builder: the same calls (and bytes) as a streamed batch."""
    parts = [b.start()]
    parts += [b.add(rep) for rep in result.reports]
    parts += [b.error(e) for e in result.errors]
    end = b.finish(result.tool, result.errors, result.summary)
    return end if isinstance(end, bytes) else "".join(parts) + end


def get_renderer(fmt: str):
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r} (choose from {', '.join(FORMATS)})")
    return importlib.import_module(f"compliance.render.{fmt}").render


def render(result: CheckResult, fmt: str, **opts: Any) -> str | bytes:
    return build(builder(fmt, **opts), result)
