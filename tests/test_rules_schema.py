"""The published ruleset JSON Schema: generated from the pydantic models, shipped, and true to them."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
import yaml
from typer.testing import CliRunner

from compliance.rules.schema import ruleset_json_schema, ruleset_schema_text

ROOT = Path(__file__).resolve().parent.parent
SHIPPED = ROOT / "compliance" / "schema" / "ruleset.schema.json"


@pytest.fixture(scope="module")
def validator():
    schema = ruleset_json_schema()
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


def test_shipped_file_is_current():
    assert SHIPPED.read_text(encoding="utf-8") == ruleset_schema_text(), \
        "regenerate: compliance schema --ruleset > compliance/schema/ruleset.schema.json"


def test_cli_prints_it():
    from compliance.cli import _register, app

    _register()
    r = CliRunner().invoke(app, ["schema", "--ruleset"])
    assert r.exit_code == 0 and json.loads(r.output)["title"] == "compliance ruleset"


@pytest.mark.parametrize("path", sorted((ROOT / "rulesets").glob("*.yaml")), ids=lambda p: p.stem)
def test_shipped_rulesets_validate(validator, path):
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert [e.message for e in validator.iter_errors(data)] == []


@pytest.mark.parametrize("cue, ok", [
    ("执法公示", True),
    ({"sequence": ["@法治", ["纳入", "列入"], "考核"], "max_gap": [12, 15], "within": "clause"}, True),
    ({"sequence": ["法治", "考核"], "gap": 3}, False),  # unknown field
    ({"sequence": ["法治", "考核"], "within": "paragraph"}, False),
    (42, False),
])
def test_editors_see_what_lint_sees(validator, cue, ok):
    rule = {"id": "X-1", "family": "A", "title": "t", "severity": "major", "points": 1, "applies_to": ["annual_report"],
            "basis": ["b"], "evidence": {"met": [{"presence": {"any": [cue]}}]}, "message": "m", "remediation": "r"}
    data = {"name": "x", "version": "1", "terms": {"法治": ["法治"], "考核": {"add": ["绩效"]}}, "rules": [rule]}
    assert validator.is_valid(data) is ok
