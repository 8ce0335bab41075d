"""`--format csv`: a row per report per rule, UTF-8 with BOM so Excel shows the Chinese."""

from __future__ import annotations

import csv as _csv
import io

from compliance.models import CheckResult
from compliance.render.common import first_quote

HEADER = ["source", "issuer", "rule_id", "family", "severity", "status", "points", "earned", "message", "quote", "line",
          "waived", "baseline", "fingerprint"]


def rows(result: CheckResult):
    for rep in result.reports:
        for r in rep.results:
            quote, line = first_quote(r) if r.evidence else ("", None)
            yield [rep.source, rep.meta.issuer or "", r.rule_id, r.family, r.severity, r.status, f"{r.points:g}",
                   f"{r.earned:g}", r.message, quote, "" if line is None else str(line),
                   "yes" if r.waived is not None else "", r.baseline or "", r.fingerprint]


def render(result: CheckResult, **opts) -> str:
    buf = io.StringIO()
    w = _csv.writer(buf, lineterminator="\r\n")
    w.writerow(HEADER)
    w.writerows(rows(result))
    return "\ufeff" + buf.getvalue()
