"""`--format json`: the contract shape, byte-identical across runs (model order, no timestamps).

`render` writes a whole CheckResult; `Stream` writes the same bytes report by report, so a batch of
any size is written without holding its reports (reports are in input order in this format)."""

from __future__ import annotations

from typing import IO

from compliance.models import CheckResult, InputError, Summary, ToolInfo


def render(result: CheckResult, **opts) -> str:
    return result.model_dump_json(indent=2) + "\n"


def _envelope(errors: list[InputError], summary: Summary) -> tuple[str, str]:
    """The document without reports, cut where the reports go: (up to `"reports": [`, after `]`)."""
    from compliance import __version__

    text = render(CheckResult(tool=ToolInfo(version=__version__), reports=[], errors=errors, summary=summary))
    head, tail = text.split('"reports": []', 1)
    return head + '"reports": [', tail


class Stream:
    def __init__(self, fh: IO[str]) -> None:
        self.fh = fh
        self.n = 0
        fh.write(_envelope([], Summary(checked=0, failed=0, mean_score=None))[0])

    def report(self, text: str) -> None:
        """One report's JSON as `model_dump_json(indent=2)` gives it."""
        self.fh.write(("\n    " if self.n == 0 else ",\n    ") + text.replace("\n", "\n    "))
        self.n += 1

    def close(self, errors: list[InputError], summary: Summary) -> None:
        self.fh.write(("\n  ]" if self.n else "]") + _envelope(errors, summary)[1])
