"""`--format jsonl`: one report object per line, errors as {"source","error"} lines.

Streamed line by line, so an interrupted batch leaves only complete lines; `render` gives the
reports' lines, then the errors'."""

from __future__ import annotations

from compliance.models import CheckResult, InputError, ReportResult, Summary, ToolInfo
from compliance.render import RawReport, build


def line(item: ReportResult | InputError) -> str:
    """pydantic's compact JSON: the same bytes a batch worker sends back, so a batch can stream a
    worker's result without rebuilding it (batch.runner.RawReport)."""
    return item.model_dump_json() + "\n"


class Builder:
    takes_raw = True
    raw_indent: int | None = None  # a worker's report as compact JSON, one line

    def __init__(self, **opts) -> None:
        pass

    def start(self) -> str:
        return ""

    def add(self, rep: ReportResult | RawReport) -> str:
        return line(rep) if isinstance(rep, ReportResult) else rep.text + "\n"

    def error(self, err: InputError) -> str:
        return line(err)

    def finish(self, tool: ToolInfo | None, errors: list[InputError], summary: Summary | None = None) -> str:
        return ""


def render(result: CheckResult, **opts) -> str:
    return build(Builder(**opts), result)  # type: ignore[return-value]
