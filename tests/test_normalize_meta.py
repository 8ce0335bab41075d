"""Metadata: title, issuer, divisions, level, type, period, date, document number."""

from __future__ import annotations

import datetime as dt

import pytest

from compliance.models import RawDocument, Report
from compliance.normalize import normalize
from compliance.normalize.gazetteer import gazetteer
from compliance.normalize.dates import parse_date
from compliance.normalize.doctype import detect_doc_type


def norm(text: str, **hints: str) -> Report:
    return normalize(RawDocument(source="t.txt", sha256="0", format="txt", lines=text.split("\n"), hints=hints))


# ----------------------------------------------------------------------------- divisions


def test_county_resolves_to_city_and_province():
    m = norm("海盐县交通运输局关于2023年度法治政府建设情况的报告\n一、主要工作\n做了工作。").meta
    assert (m.province, m.city, m.county, m.level) == ("浙江省", "嘉兴市", "海盐县", "county")


def test_short_names_resolve_where_a_place_is_expected():
    g = gazetteer()
    assert g.resolve("盘锦交通运输局")["city"].name == "盘锦市"
    assert g.resolve("海盐交通运输局")["county"].name == "海盐县"
    assert g.resolve("浙江海盐")["county"].name == "海盐县"


def test_no_match_inside_unrelated_words():
    g = gazetteer()
    assert g.resolve("坚持和平发展，推进朝阳产业") == {}
    assert g.resolve("推进城区改造") == {}
    assert g.resolve("交通运输局") == {}
    assert g.resolve("长沙市区道路")["city"].name == "长沙市"  # not 沙市区


def test_same_named_district_resolved_by_its_city():
    g = gazetteer()
    assert g.resolve("长春市朝阳区司法局")["city"].name == "长春市"
    assert g.resolve("北京市朝阳区司法局")["city"].name == "北京市"
    assert g.resolve("北京市朝阳区司法局")["province"].name == "北京市"


@pytest.mark.parametrize("name", ["西湖区", "鼓楼区", "朝阳区", "城关区", "普陀区"])
def test_a_district_name_shared_by_several_cities_gives_no_province(name):
    """No guess: the wrong province would apply the wrong province's ruleset."""
    g = gazetteer()
    got = {k: v.name for k, v in g.resolve(f"{name}交通运输局").items()}
    assert got == {"county": name}


def test_a_shared_district_name_is_settled_by_other_texts_or_the_document():
    g = gazetteer()
    assert g.resolve("西湖区交通运输局", "杭州市西湖区人民政府")["province"].name == "浙江省"
    assert g.resolve("西湖区交通运输局", context="南昌市西湖区召开会议")["province"].name == "江西省"
    m = norm("西湖区交通运输局2023年法治政府建设工作总结\n一、主要工作\n推进依法行政。").meta
    assert (m.county, m.city, m.province, m.level) == ("西湖区", None, None, "county")
    m = norm("西湖区交通运输局2023年法治政府建设工作总结\n一、主要工作\n在杭州市委的领导下推进依法行政。").meta
    assert (m.county, m.city, m.province) == ("西湖区", "杭州市", "浙江省")


def test_a_district_name_of_one_place_resolves_alone():
    g = gazetteer()
    assert {k: v.name for k, v in g.resolve("即墨区市场监督管理局").items()} == \
        {"county": "即墨区", "city": "青岛市", "province": "山东省"}


def test_province_and_city_levels():
    assert norm("浙江省交通运输厅关于2023年法治政府建设情况的报告").meta.level == "province"
    m = norm("盘锦市交通运输局关于2024年法治政府建设情况的报告").meta
    assert (m.province, m.city, m.county, m.level) == ("辽宁省", "盘锦市", None, "city")


# ----------------------------------------------------------------------------- title and issuer


def test_title_is_the_document_line_not_breadcrumbs():
    r = norm("首页 > 政务公开 > 计划总结\n\n盘锦市交通运输局关于2024年法治政府建设情况的报告\n发布日期:2025-02-24\n浏览次数:\n盘锦市人民政府:")
    assert r.meta.title == "盘锦市交通运输局关于2024年法治政府建设情况的报告"
    assert r.meta.issuer == "盘锦市交通运输局"


def test_title_in_book_brackets():
    assert norm("《某市司法局2023年法治政府建设年度报告》\n一、主要工作").meta.title == "某市司法局2023年法治政府建设年度报告"


def test_title_from_hints_when_body_lacks_it():
    r = norm("一、主要工作\n做了工作。", title="某市司法局关于2023年法治政府建设情况的报告_某市人民政府网")
    assert r.meta.title == "某市司法局关于2023年法治政府建设情况的报告"


def test_issuer_from_signature_line_with_glued_date():
    m = norm("海盐县交通运输行政执法能力建设三年行动计划(2020-2022)\n一、总体要求\n内容。\n海盐县交通运输局2020-5-11").meta
    assert m.issuer == "海盐县交通运输局"
    assert m.date == dt.date(2020, 5, 11)


def test_short_issuer_expanded_with_city_from_title():
    r = norm("发布机构: 市交通运输局\n\n许昌市交通运输2023年度法治政府建设工作总结\n一、主要工作\n做了工作。")
    assert r.meta.issuer == "许昌市交通运输局"
    assert (r.meta.province, r.meta.city) == ("河南省", "许昌市")


def test_issuer_from_publisher_hint():
    r = norm("某某法治政府建设工作总结\n一、主要工作\n做了工作。", 发布机构="盘锦市交通运输局")
    assert r.meta.issuer == "盘锦市交通运输局" and r.meta.city == "盘锦市"


# ----------------------------------------------------------------------------- doc type


@pytest.mark.parametrize(
    "title, doc_type",
    [
        ("盘锦市交通运输局关于2024年法治政府建设情况的报告", "annual_report"),
        ("某市司法局2023年法治政府建设年度报告", "annual_report"),
        ("某县2023年度法治政府建设工作报告", "annual_report"),
        ("绍兴市交通运输2019年度法治政府部门建设工作总结及2020年工作思路", "work_summary"),
        ("某局2023年法治政府建设工作总结和2024年工作计划", "work_summary"),
        ("某局法治政府建设自查报告", "self_inspection"),
        ("某局2023年度法治政府建设自评报告", "self_inspection"),
        ("海盐县交通运输行政执法能力建设三年行动计划(2020-2022)", "plan"),
        ("某局法治政府建设实施方案(2021-2025年)", "plan"),
        ("某局2024年法治政府建设工作要点", "plan"),
        ("某局2024年依法行政工作计划", "plan"),
        ("某市法治政府建设规划(2021-2025年)", "plan"),
        ("某市交通运输局2023年政府信息公开工作年度报告", "other"),
        ("2024年某市人民政府政府工作报告", "other"),
        ("某县召开安全生产工作会议", "other"),
        ("我局召开2023年法治政府建设工作总结会", "other"),
        ("市交通运输局举办行政执法人员培训班", "other"),
        ("某局关于落实法治政府建设实施方案情况的报告", "annual_report"),
    ],
)
def test_doc_type_from_title(title, doc_type):
    assert detect_doc_type(title) == doc_type


def test_doc_type_flows_into_meta():
    assert norm("某市交通运输局2023年政府信息公开工作年度报告\n一、总体情况").meta.doc_type == "other"


# ----------------------------------------------------------------------------- period


@pytest.mark.parametrize(
    "text, period",
    [
        ("某局2023年度法治政府建设情况报告\n一、主要工作", (2023, 2023)),
        ("某县交通运输行政执法能力建设三年行动计划(2020-2022)\n一、总体要求", (2020, 2022)),
        ("某局法治政府建设实施方案（2021—2025年）\n一、总体要求", (2021, 2025)),
        ("绍兴市交通运输2019年度法治政府部门建设工作总结及2020年工作思路\n一、主要工作", (2019, 2019)),
        ("某局法治政府建设情况的报告\n自2020年以来，我局坚持依法行政。\n一、主要工作\n特此报告。\n某局\n2023年1月10日",
         (2020, 2022)),
        ("某局法治政府建设情况的报告\n2024年,我局深入学习贯彻习近平法治思想。\n一、主要工作", (2024, 2024)),
        ("某局法治政府建设情况的报告\n一、主要工作\n做了工作。\n某市交通运输局\n2024年2月1日", (2023, 2023)),
    ],
)
def test_period_forms(text, period):
    assert norm(text).meta.period == period


# ----------------------------------------------------------------------------- dates and numbers


@pytest.mark.parametrize(
    "text, date",
    [
        ("2024年1月30日", dt.date(2024, 1, 30)),
        ("2020-01-09", dt.date(2020, 1, 9)),
        ("2020-5-11", dt.date(2020, 5, 11)),
        ("2020.5.11", dt.date(2020, 5, 11)),
        ("二〇二四年一月三十日", dt.date(2024, 1, 30)),
        ("二○二三年十二月五日", dt.date(2023, 12, 5)),
        ("2024 年 1 月 3 日", dt.date(2024, 1, 3)),
        ("2024年2月30日", None),
    ],
)
def test_date_forms(text, date):
    assert parse_date(text) == date


def test_signing_date_wins_over_published_and_written_counts():
    body = "发布日期:2025-02-24\n盘锦市交通运输局关于2024年法治政府建设情况的报告\n一、主要工作\n内容。\n盘锦市交通运输局\n2025年2月22日"
    m = norm(body).meta
    assert m.date == dt.date(2025, 2, 22) and m.published == dt.date(2025, 2, 24)
    m = norm("某局关于2024年法治政府建设情况的报告\n一、主要工作\n内容。", 成文日期="2025-01-20", 发布日期="2025-01-25").meta
    assert m.date == dt.date(2025, 1, 20) and m.published == dt.date(2025, 1, 25)
    m = norm("某局关于2024年法治政府建设情况的报告\n一、主要工作\n内容。", 发布日期="2025-01-25").meta
    # no date of its own: the page's 发布日期 is the report's date, and says where it came from
    assert m.date == m.published == dt.date(2025, 1, 25) and m.date_source == "published"


def test_bracketed_date_under_the_title_dates_the_document():
    m = norm("关于2023年法治政府建设情况的报告\n（2024年1月15日）\n一、主要工作\n内容。", 成文日期="2024-01-20").meta
    assert m.date == dt.date(2024, 1, 15)


def test_subtitle_dash_is_not_part_of_the_title():
    assert norm("——某市司法局2023年法治政府建设工作总结\n一、主要工作").meta.title == "某市司法局2023年法治政府建设工作总结"


def test_date_in_body_sentence_is_not_the_document_date():
    m = norm("某局关于2024年法治政府建设情况的报告\n一、主要工作\n2024年3月5日召开会议。").meta
    assert m.date is None


@pytest.mark.parametrize(
    "header, number",
    [
        ("绍市交〔2024〕4号", "绍市交〔2024〕4号"),
        ("朝交发 [2022] 97号", "朝交发 [2022] 97号"),
        ("盘交发[2023]12号", "盘交发[2023]12号"),
    ],
)
def test_doc_number_from_header_line(header, number):
    m = norm(f"{header}\n某局关于2023年法治政府建设情况的报告\n一、主要工作\n依据浙交〔2019〕71号文件开展工作。").meta
    assert m.doc_number == number


def test_doc_number_cited_in_body_or_empty_field_is_none():
    assert norm("某局关于2023年法治政府建设情况的报告\n一、主要工作\n依据《通知》(浙交〔2019〕71号)开展。").meta.doc_number is None
    assert norm("发文字号:\n某局关于2023年法治政府建设情况的报告").meta.doc_number is None
    assert norm("某局关于2023年法治政府建设情况的报告", 发文字号="绍市交〔2024〕4号").meta.doc_number == "绍市交〔2024〕4号"


# ----------------------------------------------------------------------------- month-only dates

REPORT_HEAD = "盘锦市交通运输局关于2023年度法治政府建设情况的报告\n一、主要工作\n推进依法行政。\n"


@pytest.mark.parametrize("closing, date", [
    ("盘锦市交通运输局\n2024年2月", dt.date(2024, 2, 29)),
    ("盘锦市交通运输局\n二〇二四年十二月", dt.date(2024, 12, 31)),
    ("盘锦市交通运输局\n2024 年 1 月份", dt.date(2024, 1, 31)),
    ("盘锦市交通运输局2024年3月", dt.date(2024, 3, 31)),
])
def test_a_signature_with_only_a_month_dates_the_report_at_its_end(closing, date):
    m = norm(REPORT_HEAD + closing).meta
    assert (m.date, m.date_precision) == (date, "month")
    assert m.issuer == "盘锦市交通运输局"


def test_a_full_date_beats_a_month():
    m = norm(REPORT_HEAD + "盘锦市交通运输局\n2024年2月20日").meta
    assert (m.date, m.date_precision) == (dt.date(2024, 2, 20), "day")
    m = norm(REPORT_HEAD + "盘锦市交通运输局\n2024年2月", 成文日期="2024年02月18日").meta
    assert (m.date, m.date_precision) == (dt.date(2024, 2, 18), "day")


def test_a_page_written_date_with_only_a_month():
    m = norm(REPORT_HEAD, 成文日期="2024年01月").meta
    assert (m.date, m.date_precision) == (dt.date(2024, 1, 31), "month")


def test_a_sentence_opening_with_a_month_is_no_date():
    m = norm(REPORT_HEAD + "2024年1月，我局召开专题会议。").meta
    assert m.date is None


def test_month_only_date_reaches_the_deadline_verdict():
    from compliance.engine import evaluate
    from compliance.rules.load import load_ruleset

    res = evaluate(norm(REPORT_HEAD + "盘锦市交通运输局\n2024年3月"), load_ruleset("national"))
    ar07 = next(r for r in res.results if r.rule_id == "AR-07")
    assert ar07.status == "partial"
    assert "2024年3月（只写到月" in ar07.message and "30 天" in ar07.message
    assert ar07.evidence and ar07.evidence[0].quote == "2024年3月"


@pytest.mark.parametrize("title, period", [
    ("某县交通运输局“十四五”时期法治政府建设工作总结", (2021, 2025)),
    ("某县交通运输局“十三五”法治政府建设工作总结", (2016, 2020)),
    ("某县交通运输局十一五期间法治建设工作总结", (2006, 2010)),
    ("某县交通运输局“十五五”法治政府建设规划", (2026, 2030)),
    ("某县交通运输局2025年法治政府建设五年工作总结", (2021, 2025)),
    ("某县交通运输局2023年法治政府建设工作总结", (2023, 2023)),
    ("某县交通运输局开展十五项专项整治工作总结", None),  # 十五 here is a number
])
def test_five_year_periods(title, period):
    assert norm(title + "\n一、主要工作\n推进依法行政。").meta.period == period


def test_a_bracketed_month_under_the_title():
    m = norm("盘锦市交通运输局关于2023年度法治政府建设情况的报告\n（2024年2月）\n一、主要工作\n推进依法行政。").meta
    assert (m.date, m.date_precision) == (dt.date(2024, 2, 29), "month")
    r = norm("盘锦市交通运输局关于2023年度法治政府建设情况的报告\n（2024年2月）\n一、主要工作\n推进依法行政。")
    assert r.meta_lines.get("date") == 2
