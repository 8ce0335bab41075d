"""`--format json`: the contract shape, byte-identical across runs (model order, no timestamps)."""

from __future__ import annotations

import json as _json

from compliance.models import CheckResult


def render(result: CheckResult, **opts) -> str:
    return _json.dumps(result.model_dump(mode="json"), ensure_ascii=False, indent=2) + "\n"
