"""`--format csv`: a row per report per rule, UTF-8 with BOM so Excel shows the Chinese. Errors are
not rows (they go to stderr and the exit code). Streamed: the BOM and header at `start`, each
report's rows as it arrives."""

from __future__ import annotations

import csv as _csv
import io

from compliance.models import CheckResult, InputError, ReportResult, Summary, ToolInfo
from compliance.render import build
from compliance.results import first_quote
from compliance.render.escape import csv_cell

HEADER = ["source", "issuer", "rule_id", "family", "severity", "status", "points", "earned", "message", "quote", "line",
          "waived", "baseline", "fingerprint"]


def report_rows(rep: ReportResult):
    for r in rep.results:
        quote, line = first_quote(r) if r.status != "not_applicable" else ("", None)
        yield [rep.source, rep.meta.issuer or "", r.rule_id, r.family, r.severity, r.status, f"{r.points:g}",
               f"{r.earned:g}", r.message, quote, "" if line is None else str(line),
               "yes" if r.waived is not None else "", r.baseline or "", r.fingerprint]


def _lines(rows_) -> str:
    buf = io.StringIO()
    _csv.writer(buf, lineterminator="\r\n").writerows([csv_cell(c) for c in row] for row in rows_)
    return buf.getvalue()


class Builder:
    takes_raw = False
    raw_indent: int | None = None

    def __init__(self, **opts) -> None:
        pass

    def start(self) -> str:
        """The BOM and the header row."""
        return "\ufeff" + _lines([HEADER])

    def add(self, rep: ReportResult) -> str:
        return _lines(report_rows(rep))

    def error(self, err: InputError) -> str:
        return ""

    def finish(self, tool: ToolInfo | None, errors: list[InputError], summary: Summary | None = None) -> str:
        return ""


def render(result: CheckResult, **opts) -> str:
    return build(Builder(**opts), result)  # type: ignore[return-value]
