"""Verdicts a Chinese reader can follow: Chinese traces, clean evidence, quoted dates, messages
without dangling placeholders."""

from __future__ import annotations

import hashlib
import re
import textwrap
from pathlib import Path

import pytest

from compliance.engine import _message, evaluate
from compliance.engine.explain import readable
from compliance.engine.synth import build_report
from compliance.models import STATUSES, RawDocument
from compliance.normalize import normalize, snippet_report
from compliance.rules.load import load_ruleset

CORPUS = Path(__file__).resolve().parent / "data" / "corpus"
SHIPPED = ("national", "zhejiang", "liaoning", "henan")

RULESET = textwrap.dedent(
    """
    name: xtest
    version: "1"
    markers:
      negation: [尚未, 未能]
      planned: [计划, 力争]
    rules:
      - id: X-PUB
        family: X
        title: 执法公示
        severity: major
        points: 4
        applies_to: [annual_report]
        basis: [b]
        evidence:
          met: [{presence: {any: [执法公示, 双公示, 七公示, "/(行政许可|行政处罚)[^。]{0,10}(公示|公开)/", 亮证执法],
                            not: [办事指南]}}]
        message: m
        remediation: r
      - id: X-NEAR
        family: X
        title: 执法培训
        severity: minor
        points: 1
        applies_to: [annual_report]
        basis: [b]
        evidence:
          met: [{presence: {any: [培训], near: {any: [执法], within: sentence}}}]
        message: m
        remediation: r
      - id: X-HOURS
        family: X
        title: 培训学时
        severity: minor
        points: 2
        applies_to: [annual_report]
        basis: [b]
        evidence:
          met: [{quantity: {cue: [培训], unit: [学时], op: ">=", threshold: 60}}]
        message: {default: 未见培训, met: "培训{value}"}
        remediation: r
      - id: X-HEAD
        family: X
        title: 第一责任人
        severity: minor
        points: 1
        applies_to: [annual_report]
        basis: [b]
        evidence:
          met: [{presence: {any: [第一责任人], where: heading}}]
        message: m
        remediation: r
    """
)

LATIN_WORDS = re.compile(r"\b(?:met|partial|positive|planned|negative|missing|required|cue|section|below|threshold)\b")


@pytest.fixture(scope="module")
def xrs(tmp_path_factory):
    p = tmp_path_factory.mktemp("rs") / "xtest.yaml"
    p.write_text(RULESET, encoding="utf-8")
    return load_ruleset(p)


def _rule(res, rid):
    return next(r for r in res.results if r.rule_id == rid)


def _reasons(r) -> list[str]:
    return [n.reason for n in r.trace.near_misses]


def _raw(text: str, name: str = "t.txt") -> RawDocument:
    return RawDocument(source=name, sha256=hashlib.sha256(text.encode()).hexdigest(), format="txt",
                       lines=text.splitlines())


# --------------------------------------------------------------------------- 1. Chinese trace


def test_negated_cue_names_the_marker(xrs):
    r = _rule(evaluate(build_report([(None, "measures", ["执法公示制度尚未全面落实。"])]), xrs), "X-PUB")
    assert r.status == "self_reported_gap"
    assert any("否定：“尚未”与线索在同一分句" in x for x in _reasons(r))


def test_plans_section_named_by_its_heading(xrs):
    rep = build_report([("一、主要工作", "measures", ["做好日常工作。"]),
                        ("三、下一步工作安排", "plans", ["落实双公示制度。"])])
    r = _rule(evaluate(rep, xrs), "X-PUB")
    assert r.status == "planned"
    assert any(x.startswith("位于“下一步工作安排”部分（计划）") and "双公示" in x for x in _reasons(r))


def test_below_threshold_shows_figure_and_threshold(xrs):
    r = _rule(evaluate(build_report([(None, "measures", ["执法人员人均培训40学时。"])]), xrs), "X-HOURS")
    assert r.status == "missing"
    assert "数值 40 学时低于阈值 60 学时" in _reasons(r)


def test_excluded_and_near_reasons(xrs):
    ex = _rule(evaluate(build_report([(None, "measures", ["行政许可事项在办事指南中公开。"])]), xrs), "X-PUB")
    assert ex.status == "missing" and any("含排除词“办事指南”" in x for x in _reasons(ex))
    near = _rule(evaluate(build_report([(None, "measures", ["组织全体干部培训。"])]), xrs), "X-NEAR")
    assert near.status == "missing" and "缺少同现词（需与“执法”同句）" in _reasons(near)


def test_heading_only_reason(xrs):
    r = _rule(evaluate(build_report([(None, "measures", ["局长切实履行第一责任人职责。"])]), xrs), "X-HEAD")
    assert r.status == "missing"
    assert any("“第一责任人”不在标题或条目首句中" in x for x in _reasons(r))


def test_searched_held_failed_are_chinese(xrs):
    res = evaluate(build_report([(None, "measures", ["全面推行执法公示。"])]), xrs)
    pub = _rule(res, "X-PUB")
    assert pub.trace.held == ["【达标】提到“执法公示”、“双公示”、“七公示”、“行政许可…公示”…：满足（肯定表述）"]
    assert pub.trace.searched[0].startswith("【达标】查找范围：全文（线索：执法公示、双公示、七公示、行政许可…公示、亮证执法")
    assert "排除“办事指南”" in pub.trace.searched[0]
    hours = _rule(res, "X-HOURS")
    assert hours.trace.failed and hours.trace.failed[0].endswith("：未满足")
    assert "不低于 60 学时" in hours.trace.searched[0]
    for r in res.results:
        t = r.trace
        for text in t.held + t.failed + t.searched + [n.reason for n in t.near_misses]:
            assert not LATIN_WORDS.search(text), text


def test_readable_regex_cues():
    assert readable("/(?<![陈转叙复口])述法(?![律规定院])/") == "述法"
    assert readable("/复议(?!法)|应诉(?!法)/") == "复议、应诉"
    assert readable(r"/(审查|审核)[^。;]{0,15}\d+(件|个)/") == "审查…N件"
    assert readable("/《[^》]{2,40}》/") == "《…》"
    assert readable("/(党政|党组)(主要)?负责人/") == "党政负责人"
    assert readable("执法公示") == "执法公示"


def test_corpus_traces_have_no_english_status_words():
    from compliance.pipeline import load_report

    rep = load_report(CORPUS / "panjin-2024-report.txt")
    for r in evaluate(rep, load_ruleset("liaoning"), backend="reference").results:
        t = r.trace
        for text in t.held + t.failed + [n.reason for n in t.near_misses]:
            assert not LATIN_WORDS.search(text), (r.rule_id, text)
        assert all("查找范围：" in x for x in t.searched), r.rule_id


# --------------------------------------------------------------------------- 2. evidence quality

REPORT = """某县交通运输局关于2024年法治政府建设情况的报告
县人民政府：
2024年，我局深入推进法治政府建设。
一、主要工作开展情况
（一）严格规范公正文明执法
1.全面推行行政执法公示制度。开展执法公示检查。在门户网站执法公示栏公示执法信息326条。
2.规范执法人员培训。执法人员人均培训40学时。
二、存在问题
执法公示尚未全面覆盖。
三、下一步工作安排
落实“双公示”制度。
某县交通运输局
2025年2月22日
"""


def test_evidence_lead_sentence_once_then_figures(xrs):
    r = _rule(evaluate(normalize(_raw(REPORT)), xrs), "X-PUB")
    assert r.status == "met"
    quotes = [e.quote for e in r.evidence]
    # the item's lead sentence is both a section heading and the paragraph's first sentence
    assert sum("全面推行行政执法公示制度" in q for q in quotes) == 1
    assert quotes[0].startswith("1.全面推行行政执法公示制度")
    assert quotes[1] == "在门户网站执法公示栏公示执法信息326条。"  # states a figure
    assert quotes[2] == "开展执法公示检查。"
    assert [e.polarity for e in r.evidence[:3]] == ["positive"] * 3
    assert len(r.evidence) <= 5


def test_evidence_heading_inside_continuing_sentence_kept_once():
    # "二是发挥法律顾问作用" becomes a section heading; the sentence it opens continues after a comma
    text = REPORT.replace("1.全面推行行政执法公示制度。开展执法公示检查。",
                          "一是推行执法公示。二是发挥法律顾问作用,市局及局属各单位均聘请了法律顾问,多次参与疑难案件研究。")
    rep = normalize(_raw(text))
    assert "二是发挥法律顾问作用" in [s.heading for s in rep.iter_sections()]
    res = evaluate(rep, load_ruleset("national"), backend="reference")
    frp08 = _rule(res, "FRP-08")
    quotes = [e.quote for e in frp08.evidence]
    assert quotes[0].startswith("二是发挥法律顾问作用,市局") and "二是发挥法律顾问作用" not in quotes[1:]
    for r in res.results:
        keys = [(e.line, e.quote.rstrip("。")) for e in r.evidence]
        for i, (line, q) in enumerate(keys):
            assert not any(j != i and l2 == line and q2.startswith(q) for j, (l2, q2) in enumerate(keys)), (r.rule_id, keys)
        assert len(r.evidence) <= 5


# --------------------------------------------------------------------------- 3. date evidence


def test_meta_lines_recorded_by_normalization():
    rep = normalize(_raw("发布日期：2025-03-05\n" + REPORT))
    assert rep.meta_lines["title"] == 2
    assert rep.meta_lines["date"] == 14 and rep.lines[13] == "2025年2月22日"
    assert rep.meta_lines["published"] == 1
    assert rep.meta_lines["period"] == 2
    assert rep.meta_lines["issuer"] == 2  # the title names the issuer


def test_ar07_quotes_the_date_line():
    res = evaluate(normalize(_raw(REPORT)), load_ruleset("national"), backend="reference")
    ar07 = _rule(res, "AR-07")
    assert ar07.status == "met"
    assert (ar07.evidence[0].quote, ar07.evidence[0].line) == ("2025年2月22日", 13)
    assert ar07.evidence[0].role == "closing"
    ar01 = _rule(res, "AR-01")
    assert ar01.evidence[0].line == 1 and "2024年" in ar01.evidence[0].quote


def test_late_date_near_miss_points_at_the_line():
    late = REPORT.replace("2025年2月22日", "2025年3月20日")
    ar07 = _rule(evaluate(normalize(_raw(late)), load_ruleset("national"), backend="reference"), "AR-07")
    assert ar07.status == "partial"
    nm = next(n for n in ar07.trace.near_misses if "晚于报送期限" in n.reason)
    assert (nm.quote, nm.line) == ("2025年3月20日", 13)
    assert "2025-03-01 共 19 天" in nm.reason
    assert ar07.evidence and ar07.evidence[0].line == 13


def test_corpus_ar07_quote():
    from compliance.pipeline import load_report

    res = evaluate(load_report(CORPUS / "panjin-2024-report.txt"), load_ruleset("liaoning"))
    ev = _rule(res, "AR-07").evidence
    assert (ev[0].quote, ev[0].line) == ("2025年2月22日", 35)


# --------------------------------------------------------------------------- 4. messages

DANGLING = re.compile(r"[{}\x00]|(?<!\d)—|—(?!\d)")  # "2020—2022年" is a period, not a gap


@pytest.mark.parametrize("name", SHIPPED)
def test_every_template_renders_without_values(name):
    """Worst case: no value at all. No brace, no dash, no empty message."""
    for cr in load_ruleset(name).rules:
        for status in STATUSES:
            msg = _message(cr.rule, status, {})
            assert msg.strip() and not DANGLING.search(msg), (cr.id, status, msg)


SNIPPETS = [
    "执法人员人均培训40学时。法制审核人员3人，执法人员150人。尚未全面落实执法公示制度。",
    "执法人员人均培训80学时。法制审核人员占执法人员的8%。开展公平竞争审查12件。",
    "开展执法培训。配备法制审核人员。下一步将开展公平竞争审查。",
]


def _all_results():
    from compliance.pipeline import load_report

    reports = [snippet_report(s, role="measures") for s in SNIPPETS]
    reports.append(normalize(_raw(REPORT)))
    reports.append(normalize(_raw(REPORT.replace("2025年2月22日", "2025年5月20日"))))
    if CORPUS.is_dir():
        reports += [load_report(p) for p in sorted(CORPUS.glob("*.txt"))]
    for name in SHIPPED:
        rs = load_ruleset(name)
        for rep in reports:
            yield from evaluate(rep, rs, backend="reference").results


def test_rendered_messages_have_no_dangling_placeholder():
    seen = 0
    for r in _all_results():
        assert not DANGLING.search(r.message), (r.rule_id, r.status, r.message)
        seen += 1
    assert seen > 100


def test_partial_messages_show_figure_and_threshold():
    rep = snippet_report(SNIPPETS[0], role="measures")
    res = evaluate(rep, load_ruleset("national"), backend="reference")
    tes07 = _rule(res, "TES-07")
    assert tes07.status == "partial" and "40" in tes07.message and "60" in tes07.message
    tes05 = _rule(res, "TES-05")
    assert tes05.status == "partial" and "2.0%" in tes05.message and "5%" in tes05.message
    late = evaluate(normalize(_raw(REPORT.replace("2025年2月22日", "2025年3月20日"))), load_ruleset("national"),
                    backend="reference")
    ar07 = _rule(late, "AR-07")
    assert "2025-03-20" in ar07.message and "2025-03-01" in ar07.message and "19" in ar07.message


def test_missing_value_drops_its_clause_not_the_message():
    rep = snippet_report("开展执法培训。配备法制审核人员。", role="measures")
    res = evaluate(rep, load_ruleset("national"), backend="reference")
    tes07 = _rule(res, "TES-07")
    assert tes07.status == "partial"
    assert "学时" in tes07.message and "写明的学时" not in tes07.message and "—" not in tes07.message


def test_not_applicable_names_the_document_type_in_chinese():
    rep = build_report([("一、主要任务", "measures", ["全面推行执法公示。"])], doc_type="plan")
    ar07 = _rule(evaluate(rep, load_ruleset("national"), backend="reference"), "AR-07")
    assert ar07.status == "not_applicable" and ar07.message == "不适用于此类文件（计划方案）"
    assert ar07.trace.failed == ["适用范围：不适用于此类文件（计划方案）"]


def test_published_date_quoted_when_the_report_is_unsigned():
    text = "发布日期：2025-02-24\n" + REPORT.replace("2025年2月22日\n", "")
    rep = normalize(_raw(text))
    assert rep.meta.published is not None and rep.meta.date == rep.meta.published
    assert rep.meta.date_source == "published"
    ar07 = _rule(evaluate(rep, load_ruleset("national"), backend="reference"), "AR-07")
    assert ar07.status == "met"
    assert ar07.evidence[0].line == 1 and "2025-02-24" in ar07.evidence[0].quote
