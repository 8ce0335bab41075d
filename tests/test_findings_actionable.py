"""Findings a person can act on: -v shows 依据 and 整改建议; a near-miss quote is labelled
相近表述（未计入） in every format; SARIF rules and results carry a helpUri."""

import csv
import io
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

PANJIN = str(Path(__file__).resolve().parent.parent / "reports" / "panjin-2024-report.txt")
LABEL = "相近表述（未计入）"


def _run(*args, env=None):
    from compliance.cli import _register, app

    _register()
    return CliRunner().invoke(app, list(args), env={"COLUMNS": "200", **(env or {})})


@pytest.fixture(scope="module")
def panjin():
    """TES-03 of panjin has no evidence, only near misses (a quote that did not count)."""
    from compliance.batch.post import build_result, postprocess
    from compliance.batch.runner import Job, check_one

    rep = postprocess(check_one(PANJIN, Job(use_cache=False)))
    r = next(x for x in rep.results if x.rule_id == "TES-03")
    assert not r.evidence and r.trace.near_misses
    return build_result([rep]), r


def test_verbose_table_shows_basis_and_remediation():
    plain = _run("check", PANJIN, "--no-cache", "--select", "FCR-01")
    verbose = _run("check", PANJIN, "--no-cache", "--select", "FCR-01", "-v")
    assert "依据：" not in plain.stdout and "整改建议：" not in plain.stdout
    assert "依据：《公平竞争审查条例》" in verbose.stdout and "整改建议：" in verbose.stdout


@pytest.mark.parametrize("fmt", ["table", "markdown", "html", "csv", "xlsx", "sarif", "junit"])
def test_near_miss_quotes_are_labelled_in_every_format(panjin, fmt):
    from compliance.render import render

    result, r = panjin
    nm = r.trace.near_misses[0]
    out = render(result, fmt)
    if fmt == "xlsx":
        import openpyxl

        ws = openpyxl.load_workbook(io.BytesIO(out))["差距"]
        row = next(row for row in ws.iter_rows(values_only=True) if row[2] == "TES-03")
        assert row[10].startswith(LABEL) and row[11] == nm.line
        return
    if fmt == "csv":
        row = next(x for x in csv.DictReader(io.StringIO(out.lstrip("\ufeff"))) if x["rule_id"] == "TES-03")
        assert row["quote"].startswith(LABEL) and row["line"] == str(nm.line)
        return
    assert LABEL in out
    if fmt in ("html", "sarif"):  # the html finding and the sarif result are checked by their own tests
        return
    # the finding's own part of the output quotes the near miss under its label
    at = out.index("TES-03")
    part = out[at:at + 1500].replace(" ", "").replace("\n", "").replace("│", "")
    assert LABEL in part, part[:400]


def test_sarif_rules_and_results_carry_a_help_uri(panjin, monkeypatch):
    from compliance.render import render

    result, _ = panjin
    doc = json.loads(render(result, "sarif"))
    run = doc["runs"][0]
    rule = next(x for x in run["tool"]["driver"]["rules"] if x["id"] == "FCR-01")
    assert rule["helpUri"] == "http://127.0.0.1:8000/rules?ruleset=liaoning#FCR-01"
    res = next(x for x in run["results"] if x["ruleId"] == "TES-03")
    assert res["properties"]["helpUri"].endswith("?ruleset=liaoning#TES-03")
    assert LABEL in res["message"]["text"]
    monkeypatch.setenv("COMPLIANCE_DOCS_URL", "https://fazhi.example.gov.cn/rules")
    doc = json.loads(render(result, "sarif"))
    assert doc["runs"][0]["tool"]["driver"]["rules"][0]["helpUri"].startswith("https://fazhi.example.gov.cn/rules?ruleset=")


def test_help_uri_opens_the_rule_in_the_web_app():
    from fastapi.testclient import TestClient

    from compliance.web.app import create_app

    page = TestClient(create_app()).get("/rules", params={"ruleset": "liaoning"})
    assert page.status_code == 200 and 'id="FCR-01"' in page.text and "辽宁省 liaoning" in page.text
