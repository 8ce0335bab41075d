"""After the engine: waivers, baselines, fingerprints, the batch envelope, the output schema."""

from __future__ import annotations

from collections.abc import Sequence

import json

from compliance import __version__
from compliance.batch.fingerprint import fingerprint_of
from compliance.models import CheckResult, InputError, ReportResult, Summary, ToolInfo


def postprocess(rep: ReportResult, waivers=None, baseline=None) -> ReportResult:
    """Per report, so jsonl can stream each one as soon as it is final."""
    for r in rep.results:
        if not r.fingerprint:
            r.fingerprint = fingerprint_of(r)
    if waivers:
        from compliance.batch.waivers import apply_waivers

        apply_waivers(rep, waivers)
    if baseline is not None:
        baseline.apply(rep)
    return rep


def build_result(items: Sequence[ReportResult | InputError]) -> CheckResult:
    reports = [i for i in items if isinstance(i, ReportResult)]
    errors = [i for i in items if isinstance(i, InputError)]
    return CheckResult(
        tool=ToolInfo(version=__version__),
        reports=reports,
        errors=errors,
        summary=Summary.of([r.score.total for r in reports], len(errors)),
    )


def output_schema() -> dict:
    schema = CheckResult.model_json_schema()
    schema = {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        **schema,
    }
    return schema


def output_schema_text() -> str:
    return json.dumps(output_schema(), ensure_ascii=False, indent=2) + "\n"
