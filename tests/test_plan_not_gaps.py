"""A plan is not a gap list: in a plan document a planned item that earns full credit is no
finding in any output (gap counts, rankings, SARIF level note, JUnit passed, --fail-on, the web
pages), and messages say only the sentence for the document's type."""

from __future__ import annotations

import io
import json
import xml.etree.ElementTree as ET

import openpyxl
import pytest

import batch_samples as S
from compliance.batch.policy import breaches
from compliance.batch.post import build_result
from compliance.models import ReportResult
from compliance.render import render
from compliance.results import findings, is_finding, planned_in_full


def _plan() -> ReportResult:
    """Haiyan's plan: FRP-01 planned with full credit (4/4), FCR-01 missing (a real gap)."""
    return S.haiyan()


def _annual_planned() -> ReportResult:
    """The same planned item in an annual report earns a quarter: there it is a gap."""
    rep = S.haiyan()
    rep.meta.doc_type = "annual_report"
    frp = next(r for r in rep.results if r.rule_id == "FRP-01")
    frp.earned = 1.0
    return rep


def test_only_planned_with_full_credit_is_exempt():
    plan, annual = _plan(), _annual_planned()
    assert [r.rule_id for r in findings(plan)] == ["FCR-01"]
    assert [r.rule_id for r in findings(annual)] == ["FCR-01", "FRP-01"]
    frp = next(r for r in plan.results if r.rule_id == "FRP-01")
    assert planned_in_full(frp) and not is_finding(frp)


def test_table_and_markdown_count_and_list_only_real_gaps():
    res = build_result([S.panjin(), _plan()])
    md = render(res, "markdown")
    row = next(ln for ln in md.splitlines() if "海盐县交通运输局" in ln and ln.startswith("|"))
    assert row.rstrip().endswith("| 1 |")  # one gap: FCR-01
    plan_part = md[md.index("### 海盐县交通运输局"):]
    assert "FCR-01" in plan_part and "FRP-01" not in plan_part
    table = render(res, "table")
    block = table[table.index("海盐县交通运输局  reports/haiyan"):]
    assert "FCR-01" in block and "FRP-01" not in block
    annual = render(build_result([S.panjin(), _annual_planned()]), "markdown")
    assert "#### FRP-01" in annual


def test_html_marks_the_plan_item_as_no_gap():
    page = render(build_result([_plan()]), "html", lines=S.lines_by_source())
    assert '<tr class="ok"><td>FRP-01</td>' in page
    assert 'id="rule-FRP-01"' not in page  # no finding block
    assert "差距 1 项" in page


def test_xlsx_findings_sheet_and_gap_count():
    wb = openpyxl.load_workbook(io.BytesIO(render(build_result([_plan()]), "xlsx")))
    gaps = [row[2] for row in wb["差距"].iter_rows(min_row=2, values_only=True)]
    assert gaps == ["FCR-01"]
    head = [c.value for c in wb["排名"][1]]
    assert wb["排名"].cell(row=2, column=head.index("差距数") + 1).value == 1


def test_sarif_gives_the_plan_item_level_note():
    log = json.loads(render(build_result([_plan()]), "sarif"))
    by_rule = {r["ruleId"]: r for r in log["runs"][0]["results"]}
    assert by_rule["FRP-01"]["level"] == "note" and by_rule["FRP-01"]["kind"] == "informational"
    assert by_rule["FCR-01"]["level"] == "error"
    annual = json.loads(render(build_result([_annual_planned()]), "sarif"))
    assert {r["ruleId"]: r["level"] for r in annual["runs"][0]["results"]}["FRP-01"] == "error"


def test_junit_passes_the_plan_item():
    root = ET.fromstring(render(build_result([_plan()]), "junit"))
    cases = {c.get("name").split()[0]: c for c in root.iter("testcase")}
    assert list(cases["FRP-01"]) == []  # passed: no failure, no skipped
    assert cases["FCR-01"].find("failure") is not None
    assert root.get("failures") == "1"


def test_fail_on_ignores_the_plan_item():
    plan = _plan()
    plan.results = [r for r in plan.results if r.rule_id != "FCR-01"]
    assert breaches(build_result([plan]), None, "minor") == []
    assert breaches(build_result([_annual_planned()]), None, "major")  # FRP-01 (major) is a gap there


def test_web_pages_agree():
    from compliance.web import view

    assert [r.rule_id for r in view.findings(_plan())] == ["FCR-01"]
    row = view.ranking([("p", _plan())])[0]
    assert row["gaps"] == 1
    rates = {r["rule_id"]: r for r in view.pass_rates([_plan()])}
    assert rates["FRP-01"]["gaps"] == 0 and rates["FCR-01"]["gaps"] == 1


@pytest.mark.parametrize("doc_type, says, not_says", [
    ("plan", "计划类文件按此计满分", "报告期内尚未落实"),
    ("annual_report", "报告期内尚未落实", "计划类文件"),
])
def test_message_is_the_sentence_for_the_document_type(doc_type, says, not_says):
    from compliance.engine import evaluate
    from compliance.normalize import normalize
    from compliance.readers import read_bytes
    from compliance.rules.load import load_ruleset

    text = ("某县司法局2024年法治政府建设工作计划\n一、工作目标\n下一步，我局将进一步加强执法人员培训。\n"
            "二、主要任务\n我局将建立健全法治建设第一责任人职责清单，明年开展专题学习。\n")
    report = normalize(read_bytes(text.encode("utf-8"), "plan.txt"))
    report.meta.doc_type = doc_type  # type: ignore[assignment]
    res = evaluate(report, load_ruleset("national"))
    planned = [r for r in res.results if r.status == "planned"]
    assert planned, "the text should give planned results"
    msgs = [r.message for r in planned if "只以计划" in r.message or "计划安排" in r.message]
    assert msgs, [r.message for r in planned]
    assert all(says in m and not_says not in m for m in msgs), msgs
