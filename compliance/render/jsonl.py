"""`--format jsonl`: one report object per line, errors as {"source","error"} lines.

The CLI streams lines as each report finishes (`line()`); `render` gives the same text at once."""

from __future__ import annotations

import json as _json

from compliance.models import CheckResult, InputError, ReportResult


def line(item: ReportResult | InputError) -> str:
    return _json.dumps(item.model_dump(mode="json"), ensure_ascii=False, separators=(",", ":")) + "\n"


def render(result: CheckResult, **opts) -> str:
    return "".join(line(r) for r in result.reports) + "".join(line(e) for e in result.errors)
