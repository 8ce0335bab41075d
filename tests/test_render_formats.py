"""Every output format, on hand-built results (no engine needed)."""

from __future__ import annotations

import csv
import io
import json
import re
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path

import jsonschema
import pytest

import batch_samples as S
from compliance.batch.post import build_result, output_schema, output_schema_text
from compliance.models import Waived
from compliance.render import FORMATS, render

ROOT = Path(__file__).resolve().parent.parent
SCHEMA_FILE = ROOT / "compliance" / "schema" / "check-output.schema.json"
SARIF_SCHEMA = Path(__file__).parent / "data" / "schemas" / "sarif-schema-2.1.0.json"


@pytest.fixture
def result():
    r = S.batch()
    fcr = next(x for x in r.reports[1].results if x.rule_id == "FCR-01")
    fcr.waived = Waived(reason="本县交通运输局不制定涉企政策", approved_by="法制科")
    return r


def test_committed_schema_is_the_generated_one():
    assert SCHEMA_FILE.read_text(encoding="utf-8") == output_schema_text(), (
        "models changed: regenerate with `compliance schema > compliance/schema/check-output.schema.json`"
    )


def test_json_validates_against_published_schema_and_is_stable(result):
    text = render(result, "json")
    data = json.loads(text)
    jsonschema.validate(data, json.loads(SCHEMA_FILE.read_text(encoding="utf-8")))
    assert text == render(S.batch() if False else result, "json")
    assert "盘锦市交通运输局" in text  # ensure_ascii=False
    assert list(data) == ["schema_version", "tool", "reports", "errors", "summary"]
    assert data["reports"][0]["results"][0]["rule_id"] == "AR-01"  # model order, engine order


def test_schema_rejects_a_wrong_status(result):
    data = json.loads(render(result, "json"))
    data["reports"][0]["results"][0]["status"] = "done"
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(data, output_schema())


def test_jsonl_one_report_per_line(result):
    result.errors.append(__import__("compliance.models", fromlist=["InputError"]).InputError(source="x.pdf", error="加密的PDF"))
    lines = render(result, "jsonl").splitlines()
    assert len(lines) == 3
    objs = [json.loads(x) for x in lines]
    assert objs[0]["meta"]["issuer"] == "盘锦市交通运输局"
    assert objs[2] == {"source": "x.pdf", "error": "加密的PDF"}


def test_table_ranking_and_no_escape_codes_when_piped(result):
    out = render(result, "table", color=False)
    assert "\x1b[" not in out
    # ranking: 海盐 (57.1) before 盘锦 (52.1)
    rank_part = out.split("盘锦市交通运输局  reports")[0]
    assert rank_part.index("海盐县交通运输局") < rank_part.index("盘锦市交通运输局")
    assert "FCR-01" in out and "未体现" in out and "L11" in out
    assert "豁免" in out
    colored = render(result, "table", color=True)
    assert "\x1b[" in colored


def test_table_wide_characters_align():
    out = render(build_result([S.panjin()]), "table", color=False, width=100)
    rows = [ln for ln in out.splitlines() if re.match(r"^\s*(严重|重要|一般)\s", ln)]
    assert len(rows) >= 3
    from rich.cells import cell_len

    # the rule id column starts at the same display column on every row
    cols = [cell_len(ln[: ln.index(rid)]) for ln in rows for rid in re.findall(r"[A-Z]+-\d+", ln)[:1]]
    assert len(set(cols)) == 1


def test_markdown_has_quotes_lines_basis_and_escapes(result):
    md = render(result, "markdown")
    assert "> 第 9 行（二、存在问题）：部分执法人员法律知识储备不足" in md
    assert "依据：《公平竞争审查条例》第八条" in md
    assert "<script>" not in md and "\\<script\\>" in md
    assert "| 1 | 57.1 | 不合格 | 海盐县交通运输局 |" in md
    assert "*已豁免*：本县交通运输局不制定涉企政策" in md


class _Collect(HTMLParser):
    def __init__(self):
        super().__init__()
        self.ids, self.hrefs, self.external, self.scripts = set(), [], [], 0

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if "id" in a:
            assert a["id"] not in self.ids, f"duplicate id {a['id']}"
            self.ids.add(a["id"])
        if a.get("href"):
            self.hrefs.append(a["href"])
        for k in ("src", "href"):
            if a.get(k, "").startswith(("http:", "https:", "//")):
                self.external.append(a[k])
        if tag == "script":
            self.scripts += 1


def test_html_self_contained_and_every_evidence_link_resolves(result):
    page = render(result, "html", lines=S.lines_by_source())
    p = _Collect()
    p.feed(page)
    assert not p.external
    assert p.scripts == 1  # only our inline script; the quoted <script> is escaped
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    local = [h[1:] for h in p.hrefs if h.startswith("#")]
    assert local, "no internal links"
    missing = [h for h in local if h not in p.ids]
    assert not missing
    # evidence links point at text lines, and the highlighted line carries the quote
    ev = re.findall(r'class="ev" href="#([^"]+)"', page)
    assert "r1-L9" in ev and not any(h.startswith("r2-") for h in ev)  # the plan's only quoted item is no gap
    assert re.search(r'id="r1-L9"[^>]*>.*<mark class="k-negative"[^>]*>部分执法人员法律知识储备不足', page)
    assert "各规则达标率" in page and "辽宁省" in page and "浙江省" in page


def test_html_single_report_uses_plain_line_anchors():
    one = build_result([S.panjin()])
    page = render(one, "html", lines={"reports/panjin-2024-report.txt": S.PANJIN_LINES})
    p = _Collect()
    p.feed(page)
    assert "L5" in p.ids and 'href="#L5"' in page
    assert all(h[1:] in p.ids for h in p.hrefs if h.startswith("#"))
    # without the text, the page still renders and has no dangling links
    bare = render(one, "html")
    q = _Collect()
    q.feed(bare)
    assert all(h[1:] in q.ids for h in q.hrefs if h.startswith("#"))


def test_junit_parses_back(result):
    root = ET.fromstring(render(result, "junit").encode("utf-8"))
    suites = root.findall("testsuite")
    assert [s.get("name") for s in suites] == ["盘锦市交通运输局", "海盐县交通运输局"]
    pj = suites[0]
    assert pj.get("tests") == "7" and pj.get("failures") == "4"
    fail = pj.find("testcase[@name='FCR-01 开展公平竞争审查']/failure")
    assert fail is not None and fail.get("message") == "报告未提及公平竞争审查。"
    hy = suites[1]
    assert hy.find("testcase[@name='AR-01 报告期明确']/skipped") is not None
    assert hy.find("testcase[@name='FCR-01 开展公平竞争审查']/skipped") is not None  # waived
    assert hy.get("skipped") == "2"
    assert {c.get("classname") for c in pj.iter("testcase")} == {"reports/panjin-2024-report.txt"}


def test_csv_bom_and_rows(result):
    text = render(result, "csv")
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text[1:])))
    assert rows[0][:11] == ["source", "issuer", "rule_id", "family", "severity", "status", "points", "earned", "message", "quote", "line"]
    assert len(rows) == 1 + 7 + 4
    tes03 = next(r for r in rows if r[2] == "TES-03")
    assert tes03[1] == "盘锦市交通运输局" and tes03[5] == "planned" and tes03[10] == "11"
    assert "<script>" in tes03[9]  # data, not markup: kept verbatim
    assert text.encode("utf-8")[:3] == b"\xef\xbb\xbf"


def test_xlsx_reopened_cell_by_cell(result, tmp_path):
    import openpyxl

    data = render(result, "xlsx")
    assert isinstance(data, bytes)
    f = tmp_path / "out.xlsx"
    f.write_bytes(data)
    wb = openpyxl.load_workbook(f)
    assert wb.sheetnames == ["排名", "差距", "规则达标率"]
    ws = wb["排名"]
    assert [c.value for c in ws[1]][:9] == ["名次", "得分", "等级", "单位", "省份", "类型", "年度", "差距数", "文件"]
    assert [c.value for c in ws[2]][:8] == [1, 57.1, "不合格", "海盐县交通运输局", "浙江省", "计划方案", "2020", 1]  # FRP-01 planned in a plan: no gap
    assert ws[3][3].value == "盘锦市交通运输局" and ws[3][1].value == pytest.approx(52.1)
    assert ws.freeze_panes == "A2"
    assert ws.auto_filter.ref is not None
    assert ws.column_dimensions["D"].width >= 16  # 8 CJK characters = 16 cells
    gaps = wb["差距"]
    assert gaps.max_row == 1 + 4 + 1  # haiyan's FRP-01 is planned in a plan: no gap
    row = [c.value for c in gaps[2]]
    assert row[2] == "FCR-01" and row[3] == "开展公平竞争审查" and row[5] == "严重"
    rates = wb["规则达标率"]
    header = [c.value for c in rates[1]]
    assert header[-2:] == ["浙江省", "辽宁省"]
    tes03 = next(r for r in rates.iter_rows(min_row=2, values_only=True) if r[0] == "TES-03")
    assert tes03[4:7] == (2, 1, 0.5)


@pytest.mark.skipif(not SARIF_SCHEMA.exists(), reason="official SARIF schema not shipped")
def test_sarif_validates_against_official_schema(result):
    log = json.loads(render(result, "sarif"))
    jsonschema.validate(log, json.loads(SARIF_SCHEMA.read_text(encoding="utf-8")))
    run = log["runs"][0]
    ids = [r["id"] for r in run["tool"]["driver"]["rules"]]
    assert len(ids) == len(set(ids)) and "FCR-01" in ids
    res = run["results"]
    assert len(res) == 6  # findings only
    fcr = next(r for r in res if r["ruleId"] == "FCR-01")
    assert fcr["level"] == "error"
    assert fcr["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "reports/panjin-2024-report.txt"
    assert fcr["locations"][0]["physicalLocation"]["region"]["startLine"] == 11
    minor = next(r for r in res if r["ruleId"] == "AR-08")
    assert minor["level"] == "warning"
    assert any("suppressions" in r for r in res)
    rule = next(r for r in run["tool"]["driver"]["rules"] if r["id"] == "FCR-01")
    assert rule["properties"] == {"family": "FCR", "severity": "critical", "points": 6, "tags": ["FCR", "critical"]}
    assert "《公平竞争审查条例》第八条" in rule["help"]["markdown"]


def test_every_format_renders_an_empty_batch():
    empty = build_result([])
    for fmt in FORMATS:
        out = render(empty, fmt)
        assert out or fmt == "jsonl"  # no report, no line


def test_repeated_evidence_is_shown_once():
    rep = S.panjin()
    tes = next(r for r in rep.results if r.rule_id == "TES-03")
    tes.evidence = tes.evidence * 3
    one = build_result([rep])
    md = render(one, "markdown")
    assert md.count("> 第 11 行") == 1
    page = render(one, "html", lines={rep.source: S.PANJIN_LINES})
    plain = render(build_result([S.panjin()]), "html", lines={rep.source: S.PANJIN_LINES})
    assert page.count('class="ev" href="#L11"') == plain.count('class="ev" href="#L11"') == 2  # evidence + FCR near miss
