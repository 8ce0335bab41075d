"""One report through the whole pipeline: read → normalize → (ruleset) → evaluate.

The narrow interface every front end uses (CLI, batch workers, web app)."""

from __future__ import annotations

from pathlib import Path

from compliance.models import DocType, Report, ReportResult


def load_report(path: str | Path, doc_type: DocType | None = None) -> Report:
    """Read and normalize a file; `doc_type` overrides the detected type."""
    from compliance.normalize import normalize
    from compliance.readers import read

    report = normalize(read(path))
    if doc_type is not None:
        report.meta.doc_type = doc_type
    return report


def check_report(report: Report, ruleset: str = "auto") -> ReportResult:
    from compliance.engine import evaluate
    from compliance.rules.load import load_ruleset, ruleset_for

    name = ruleset_for(report.meta.province) if ruleset == "auto" else ruleset
    return evaluate(report, load_ruleset(name))


def check_file(path: str | Path, ruleset: str = "auto", doc_type: DocType | None = None) -> ReportResult:
    return check_report(load_report(path, doc_type), ruleset)
