"""`--format json`: the contract shape, byte-identical across runs (model order, no timestamps).

Streamed: the document's head comes at `start`, each report as it arrives, the errors and the
summary at `finish`, so a batch of any size is written without holding its reports (reports are
in input order in this format). The bytes are `CheckResult.model_dump_json(indent=2)`'s."""

from __future__ import annotations

from compliance.models import CheckResult, InputError, ReportResult, Summary, ToolInfo
from compliance.render import RawReport, build


def _envelope(errors: list[InputError], summary: Summary) -> tuple[str, str]:
    """The document without reports, cut where the reports go: (up to `"reports": [`, after `]`)."""
    from compliance import __version__

    text = CheckResult(tool=ToolInfo(version=__version__), reports=[], errors=errors, summary=summary).model_dump_json(indent=2) + "\n"
    head, tail = text.split('"reports": []', 1)
    return head + '"reports": [', tail


class Builder:
    takes_raw = True
    raw_indent: int | None = 2  # a worker's report as `model_dump_json(indent=2)` gives it

    def __init__(self, **opts) -> None:
        self.n = 0
        self.totals: list[float | None] = []

    def start(self) -> str:
        return _envelope([], Summary(checked=0, failed=0, mean_score=None))[0]

    def add(self, rep: ReportResult | RawReport) -> str:
        if isinstance(rep, ReportResult):
            text, total = rep.model_dump_json(indent=2), rep.score.total
        else:
            text, total = rep.text, rep.total
        self.totals.append(total)
        self.n += 1
        return ("\n    " if self.n == 1 else ",\n    ") + text.replace("\n", "\n    ")

    def error(self, err: InputError) -> str:
        return ""

    def finish(self, tool: ToolInfo | None, errors: list[InputError], summary: Summary | None = None) -> str:
        summary = summary or Summary.of(self.totals, len(errors))
        return ("\n  ]" if self.n else "]") + _envelope(errors, summary)[1]


def render(result: CheckResult, **opts) -> str:
    return build(Builder(**opts), result)  # type: ignore[return-value]
