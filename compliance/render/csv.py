"""`--format csv`: a row per report per rule, UTF-8 with BOM so Excel shows the Chinese. Errors are
not rows (they go to stderr and the exit code). `head` + `report` per report give `render`'s bytes."""

from __future__ import annotations

import csv as _csv
import io

from compliance.models import CheckResult, ReportResult
from compliance.render.common import first_quote
from compliance.render.escape import csv_cell

HEADER = ["source", "issuer", "rule_id", "family", "severity", "status", "points", "earned", "message", "quote", "line",
          "waived", "baseline", "fingerprint"]


def report_rows(rep: ReportResult):
    for r in rep.results:
        quote, line = first_quote(r) if r.status != "not_applicable" else ("", None)
        yield [rep.source, rep.meta.issuer or "", r.rule_id, r.family, r.severity, r.status, f"{r.points:g}",
               f"{r.earned:g}", r.message, quote, "" if line is None else str(line),
               "yes" if r.waived is not None else "", r.baseline or "", r.fingerprint]


def rows(result: CheckResult):
    for rep in result.reports:
        yield from report_rows(rep)


def head() -> str:
    """The BOM and the header row: what `render` writes before the first report."""
    return "\ufeff" + _lines([HEADER])


def report(rep: ReportResult) -> str:
    """One report's rows, as `render` writes them (so a batch can write the file report by report)."""
    return _lines(report_rows(rep))


def _lines(rows_) -> str:
    buf = io.StringIO()
    _csv.writer(buf, lineterminator="\r\n").writerows([csv_cell(c) for c in row] for row in rows_)
    return buf.getvalue()


def render(result: CheckResult, **opts) -> str:
    return head() + _lines(rows(result))
