"""`--format jsonl`: one report object per line, errors as {"source","error"} lines.

The CLI streams lines as each report finishes (`line()`); `render` gives the same text at once."""

from __future__ import annotations

from compliance.models import CheckResult, InputError, ReportResult


def line(item: ReportResult | InputError) -> str:
    """pydantic's compact JSON: the same bytes a batch worker sends back, so a batch can stream a
    worker's result without rebuilding it (batch.runner.RawReport)."""
    return item.model_dump_json() + "\n"


def render(result: CheckResult, **opts) -> str:
    return "".join(line(r) for r in result.reports) + "".join(line(e) for e in result.errors)
