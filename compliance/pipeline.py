"""One report through the whole pipeline: read → normalize → (ruleset) → evaluate.

The one way to turn a file into a result: the CLI, the batch workers and the web service all
call these functions and differ only in where the input comes from (a path or uploaded bytes)
and in how they pick a compiled ruleset (a batch keeps one per province)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Union

from compliance.models import DocType, Report, ReportResult

if TYPE_CHECKING:
    from compliance.rules.load import CompiledRuleset

# a ruleset name ("auto": by the report's province), or a chooser: province → compiled ruleset
RulesetChoice = Union[str, Callable[[Union[str, None]], "CompiledRuleset"]]


def _normalized(raw, doc_type: str | None) -> Report:
    from compliance.normalize import normalize

    report = normalize(raw, doc_type)  # type: ignore[arg-type]
    if doc_type is not None:  # normalize built the sections for it and gave no type warning
        report.meta.doc_type = doc_type  # type: ignore[assignment]
    return report


def load_report(path: str | Path, doc_type: DocType | str | None = None) -> Report:
    """Read and normalize a file; `doc_type` overrides the detected type."""
    from compliance.readers import read

    return _normalized(read(path), doc_type)


def load_bytes(data: bytes, name: str, doc_type: DocType | str | None = None) -> Report:
    """Read and normalize uploaded bytes; `name`'s extension picks the reader."""
    from compliance.readers import read_bytes

    return _normalized(read_bytes(data, name), doc_type)


def choose_ruleset(report: Report, ruleset: RulesetChoice = "auto") -> CompiledRuleset:
    from compliance.rules.load import load_ruleset, ruleset_for

    if callable(ruleset):
        return ruleset(report.meta.province)
    return load_ruleset(ruleset_for(report.meta.province) if ruleset == "auto" else ruleset)


def check_report(report: Report, ruleset: RulesetChoice = "auto") -> ReportResult:
    from compliance.engine import evaluate

    return evaluate(report, choose_ruleset(report, ruleset))


def check_file(path: str | Path, ruleset: RulesetChoice = "auto", doc_type: DocType | str | None = None) -> ReportResult:
    return check_report(load_report(path, doc_type), ruleset)


def check_bytes(data: bytes, name: str, ruleset: RulesetChoice = "auto",
                doc_type: DocType | str | None = None) -> tuple[ReportResult, list[str]]:
    """An upload checked: the result and the input lines (to show the text beside it)."""
    report = load_bytes(data, name, doc_type)
    return check_report(report, ruleset), list(report.lines)
