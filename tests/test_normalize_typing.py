"""Document typing and metadata on the shapes real reports come in (issue 12), one invented
paraphrase per phenomenon: saved-page headers, traditional characters, untitled openings,
special zones, the two report types of their own, the clerk's issuer and date."""

from __future__ import annotations

import datetime as dt

import pytest

from compliance.models import RawDocument, Report
from compliance.normalize import normalize
from compliance.normalize.doctype import guess_doc_type


def norm(text: str, **hints: str) -> Report:
    return normalize(RawDocument(source="t.txt", sha256="0", format="txt", lines=text.split("\n"), hints=hints))


# ----------------------------------------------------------------------------- page headers


def test_saved_page_header_is_metadata_and_never_the_title():
    text = ("标题: 某某片区法治政府建设工作自查报告\n发布时间: 2026-03-02 09:10\n文号: \n"
            "发布机构: 平潭综合实验区某某片区管理局\n栏目: 公示公告\n"
            "2025年，我局依法履职，推进法治政府建设，具体情况如下：一、健全机构职能体系一是梳理权责清单。")
    r = norm(text)
    assert r.meta.title == "某某片区法治政府建设工作自查报告"
    assert r.meta.doc_type == "self_inspection"
    assert r.meta.issuer == "平潭综合实验区某某片区管理局"
    assert r.meta.published == dt.date(2026, 3, 2)


def test_bulleted_index_table_is_read_as_metadata():
    r = norm("- 索 引 号: ab01-2025-00003\n- 发布机构: 某某镇人民政府\n- 公文生成日期: 2025-02-07\n"
             "县委、县政府：\n2024年，我镇推进法治政府建设。现将我镇2024年法治建设工作情况报告如下：\n一、主要举措\n开展普法。")
    assert r.meta.issuer == "某某镇人民政府"
    assert r.meta.date == dt.date(2025, 2, 7)
    assert r.meta.doc_type == "annual_report"


def test_a_breadcrumb_with_junk_before_it_is_never_the_title():
    r = norm("3首页 > 政务公开 > 年度法治政府建设情况报告\n某某镇2024年法治政府建设年度报告\n"
             "2024年，我镇坚持依法行政。\n一、主要工作\n做了工作。")
    assert r.meta.title == "某某镇2024年法治政府建设年度报告"
    assert r.meta.issuer == "某某镇人民政府"  # a township titled by its name: its government


# ----------------------------------------------------------------------------- traditional characters


def test_traditional_text_is_analysed_simplified_and_shown_as_written():
    text = ("福建省某某廳2023年度法治政府部門建設情況報告\n"
            "2023年，我廳堅持依法行政，紮實推進法治政府部門建設。\n"
            "一、主要舉措\n（一）嚴格規範公正文明執法。全面推行行政執法公示制度，全年公示執法信息120條。")
    r = norm(text)
    assert r.meta.doc_type == "annual_report"
    assert r.meta.province == "福建省"
    assert r.meta.period == (2023, 2023)
    assert r.lines == text.split("\n")
    # a reader sees the report's own characters, at the same lines
    assert any("執法" in p.text for p in r.paragraphs)
    assert all("执法" not in p.text for p in r.paragraphs)
    assert any("执法" in s.norm for p in r.paragraphs for s in p.sentences)
    for p in r.paragraphs:
        for i, ch in enumerate(p.text):
            if ch.isspace():
                continue
            sp = max((s for s in p.spans if s.offset <= i), key=lambda s: s.offset)
            assert r.lines[sp.line - 1][sp.col + i - sp.offset] == ch
    assert r.sections[0].heading == "一、主要舉措"


def test_traditional_evidence_quotes_the_input():
    from compliance.engine import evaluate
    from compliance.rules.load import load_ruleset

    text = ("某某縣司法局2023年度法治政府建設情況報告\n2023年，我局堅持依法行政。\n一、主要舉措\n"
            "全面推行行政執法公示制度、執法全過程記錄制度、重大執法決定法制審核制度，全年公示執法信息56條。")
    res = evaluate(norm(text), load_ruleset("national"))
    quotes = [e.quote for r in res.results for e in r.evidence]
    assert quotes and any("執法" in q for q in quotes) and not any("执法" in q for q in quotes)


# ----------------------------------------------------------------------------- types


@pytest.mark.parametrize("title, kind", [
    ("某区城管局关于2022年法治工作情况暨2023年工作要点的报告", "annual_report"),
    ("某县住建局2023年度法治建设情况报告", "annual_report"),
    ("某县人民政府2021年依法行政工作报告", "annual_report"),
    ("某县人民政府2021年依法行政工作总结", "work_summary"),
    ("某局2025年度法治政府建设情况", "annual_report"),
    ("某局法治政府部门建设自查报告", "self_inspection"),
    ("某县市场监管局2024年公平竞争审查工作总结", "fair_competition_report"),
    ("某区财政局公平竞争审查自查报告", "fair_competition_report"),
    ("某区公平竞争审查工作实施方案", "plan"),
    ("某局党组书记2024年度述法报告", "shufa_report"),
    ("某管理区关于履行推进法治建设第一责任人职责情况的报告", "shufa_report"),
    ("某市2024年政府工作报告", "other"),
    ("某局2023年政府信息公开工作年度报告", "other"),
    ("法治政府建设年度报告编制工作指引", "other"),
    ("关于2023年度各部门法治政府建设情况的通报", "other"),
    ("中国某地法治政府评估报告（2023）", "other"),
])
def test_titles_name_the_type(title, kind):
    assert guess_doc_type(title) == (kind, None)


def test_two_new_types_get_only_their_rules():
    from compliance.engine import evaluate
    from compliance.rules.load import load_ruleset

    rs = load_ruleset("national")
    fcr = evaluate(norm("某区商务局2024年公平竞争审查工作总结\n2024年，我局对12件政策措施开展公平竞争审查。"), rs)
    applicable = {r.rule_id.split("-")[0] for r in fcr.results if r.status != "not_applicable"}
    assert applicable == {"FCR"}
    shufa = evaluate(norm("某局局长2024年度述法报告\n2024年，我履行推进法治建设第一责任人职责，主持研究法治工作4次。"), rs)
    applicable = {r.rule_id.split("-")[0] for r in shufa.results if r.status != "not_applicable"}
    assert applicable == {"FRP"}


def test_untitled_opening_is_typed_from_its_year_and_duties():
    r = norm("2022年，某某部坚持依法行政，扎实推进法治政府建设，各项工作取得进展。\n一、加强党的领导\n开展学习。")
    assert r.meta.doc_type == "annual_report"
    assert r.meta.issuer == "某某部"
    assert not any("文件类型不确定" in w for w in r.warnings)


def test_untitled_outline_of_duties_is_a_report_with_a_warning():
    text = ("我们围绕中心工作开展了以下工作。\n一、主要工作开展情况\n（一）依法行政\n落实合法性审查。\n"
            "（二）行政执法\n推行执法全过程记录。\n二、存在的问题\n普法不够深入。\n三、下一步工作打算\n加强法治建设。")
    r = norm(text)
    assert r.meta.doc_type == "annual_report"
    warning = next(w for w in r.warnings if "文件类型不确定" in w)
    assert "other" in warning and "--doc-type annual_report" in warning  # what confirms the type


def test_a_type_the_user_gives_drops_the_uncertainty_warning(tmp_path):
    from compliance.pipeline import load_report

    f = tmp_path / "r.txt"
    f.write_text("我们围绕中心工作开展了以下工作。\n一、主要工作开展情况\n（一）依法行政\n落实合法性审查。\n"
                 "（二）行政执法\n推行执法全过程记录。\n二、存在的问题\n普法不够深入。\n三、下一步工作打算\n加强法治建设。",
                 encoding="utf-8")
    assert any("文件类型不确定" in w for w in load_report(f).warnings)
    given = load_report(f, "work_summary")
    assert given.meta.doc_type == "work_summary"
    assert not any("文件类型不确定" in w for w in given.warnings)


def test_a_titled_non_rule_of_law_summary_names_its_runner_up():
    text = ("某县农业局2023年工作总结\n2023年，我局推进农业生产。\n一、主要工作\n推进依法行政，落实行政执法公示，"
            "开展普法和合法性审查。\n二、存在问题\n不足。\n三、下一步打算\n继续。")
    r = norm(text)
    assert r.meta.doc_type == "other"
    assert any("work_summary" in w for w in r.warnings)


# ----------------------------------------------------------------------------- places and issuers


def test_special_zone_resolves_to_its_province():
    m = norm("平潭综合实验区某某局2023年法治政府建设工作总结\n2023年，我局坚持依法行政。\n一、主要工作\n做了工作。").meta
    assert (m.province, m.city, m.county, m.level) == ("福建省", "平潭综合实验区", None, "city")
    m = norm("某某片区2023年法治政府建设工作情况报告\n2023年，片区坚持依法行政。\n一、主要工作\n做了工作。",
             发布机构="平潭综合实验区某某片区管理局").meta
    assert (m.province, m.city, m.county, m.level) == ("福建省", "平潭综合实验区", "某某片区", "county")


def test_zone_title_names_its_administrative_committee():
    m = norm("雄安新区2023年法治政府建设情况报告\n2023年，新区坚持依法行政。\n一、主要工作\n做了工作。").meta
    assert (m.issuer, m.province) == ("雄安新区管理委员会", "河北省")


def test_full_official_name_wins_over_the_short_form():
    m = norm("海盐县交通局2023年法治政府建设工作总结\n2023年，我局坚持依法行政。\n一、主要工作\n做了工作。\n"
             "海盐县交通运输局\n2024年1月10日").meta
    assert m.issuer == "海盐县交通运输局"


def test_page_posted_by_another_body_is_not_the_issuer():
    m = norm("泽州县交通运输局2025年法治政府建设报告\n2025年，县交通运输局依法履职。\n一、主要工作\n做了工作。",
             发布机构="县司法局").meta
    assert m.issuer == "泽州县交通运输局"


def test_provincial_government_named_in_the_announcing_sentence():
    m = norm("根据有关规定，现将省政府2023年度法治政府建设情况报告如下。\n一、主要工作\n"
             "浙江省各地推进依法行政，浙江省司法厅开展执法监督。").meta
    assert m.doc_type == "annual_report"
    assert (m.issuer, m.province) == ("浙江省人民政府", "浙江省")


def test_division_as_subject_of_the_opening_is_its_government():
    m = norm("2021年，广东坚持依法行政，扎实推动法治政府建设取得新成效。\n一、加强党的领导\n做了工作。").meta
    assert (m.issuer, m.province) == ("广东省人民政府", "广东省")


# ----------------------------------------------------------------------------- periods and dates


def test_period_of_a_report_with_next_years_points_is_the_first_year():
    m = norm("某区城管局关于2022年法治工作情况暨2023年工作要点的报告\n2022年，我局依法行政。\n一、主要工作\n做了。").meta
    assert m.period == (2022, 2022) and m.doc_type == "annual_report"


def test_signature_run_into_the_last_line_dates_the_report():
    m = norm("某某局2025年法治政府建设工作自查报告\n2025年，我局依法履职。一、主要工作一是梳理清单，全年培训3次。"
             "二、普法一是开展宣传活动19场。 某某管理局 2025年12月31日", 发布时间="2026-03-11").meta
    assert m.date == dt.date(2025, 12, 31) and m.date_source == "text"
    assert m.published == dt.date(2026, 3, 11)


def test_name_and_month_line_above_the_opening_is_not_its_year():
    m = norm("某管理区关于履行推进法治建设第一责任人职责情况的报告\n某管理区管委会主任 某某\n2025年2月\n"
             "2024年，我坚持以习近平法治思想为指导。\n一、履职情况\n做了工作。").meta
    assert m.period == (2024, 2024)


def test_ar07_says_it_judged_on_the_published_date():
    from compliance.engine import evaluate
    from compliance.rules.load import load_ruleset

    r = norm("某局关于2024年法治政府建设情况的报告\n一、主要工作\n内容。", 发布日期="2025-03-20")
    res = evaluate(r, load_ruleset("national"))
    ar07 = next(x for x in res.results if x.rule_id == "AR-07")
    assert r.meta.date_source == "published"
    assert ar07.status == "partial" and "网页发布日期" in ar07.message


# ----------------------------------------------------------------------------- held-out set 2 (2026-12)


def test_a_commentary_labelled_jiedu_with_a_colon_is_not_the_report():
    r = norm("区政府常务会议议题解读：关于2023年度法治建设工作情况的汇报\n"
             "一、议题背景\n为做好法治建设考核工作，区司法局梳理总结了本年度法治建设工作。")
    assert r.meta.doc_type == "other"


def test_a_page_saved_from_its_first_heading_is_typed_from_its_outline():
    r = norm("一、工作开展情况\n（一）认真贯彻法治政府部门建设部署。一是学习习近平法治思想，制定学法计划。"
             "二是主要负责人履行推进法治建设第一责任人职责，听取工作汇报。三是落实合法性审查，审查文件12件。")
    assert r.meta.doc_type == "annual_report"


def test_a_general_work_summary_opening_with_the_same_heading_stays_other():
    r = norm("一、工作开展情况\n（一）扎实开展党的建设。加强党性学习教育，落实从严治党主体责任。"
             "（二）提升医疗服务水平。新建两家社区医院。")
    assert r.meta.doc_type == "other"


def test_years_of_cited_documents_are_not_the_report_year():
    r = norm("根据《某省法治政府建设实施纲要（2021年—2025年）》等文件要求，现将法治政府建设工作情况报告如下。\n"
             "一、总体情况\n2023年，我局坚持依法行政，推进生态环境领域法治建设。\n二、主要做法\n集体学法4次。")
    assert r.meta.period == (2023, 2023)


def test_a_province_named_only_by_its_short_name_throughout():
    r = norm("引言\n贵州近年来在法治政府建设方面成效显著。本文介绍贵州的做法。\n一、背景\n贵州地处西南。")
    assert r.meta.province == "贵州省"


def test_a_passing_mention_of_a_province_short_name_does_not_decide():
    r = norm("引言\n近年来法治政府建设成效显著，贵州与湖南均有探索。\n一、背景\n各地情况不同。")
    assert r.meta.province is None


def test_a_title_run_into_the_addressee_on_one_line():
    r = norm("中共某某镇委员会某某镇人民政府关于报送2024年度法治政府建设情况的报告 中共某市委、某市人民政府: "
             "2024年，某某镇扎实开展法治政府建设。现将工作情况汇报如下: 一、主要措施和成效 （一）强化组织引领。")
    assert r.meta.title == "中共某某镇委员会某某镇人民政府关于报送2024年度法治政府建设情况的报告"
    assert r.meta.issuer in ("中共某某镇委员会、某某镇人民政府", "某某镇人民政府")
    assert r.meta.period == (2024, 2024)


def test_the_provincial_government_reporting_is_placed_by_the_one_province_the_text_names():
    r = norm("根据有关规定，现将省政府2024年度法治政府建设情况报告如下。\n一、主要工作\n"
             "1.坚持学习引领。在湖南普法网开设学习专栏，开展宣讲。")
    assert r.meta.province == "湖南省"
    assert r.meta.issuer == "湖南省人民政府"


def test_a_bracketed_index_table_is_metadata_not_the_title():
    r = norm("[ 索引号 ] 1150-2026-00004 [ 发文字号 ]\n[ 主题分类 ] 司法、法制 [ 体裁分类 ] 工作报告\n"
             "[ 发布机构 ] 某县某某乡人民政府 [ 有效性 ]\n[ 成文日期 ] 2026-01-22 [ 发布日期 ] 2026-02-10\n"
             "某县某某乡人民政府2025年法治政府建设情况报告\n2025年，我乡扎实推进法治政府建设。\n一、主要举措和成效\n开展普法。")
    assert r.meta.title == "某县某某乡人民政府2025年法治政府建设情况报告"
    assert r.meta.period == (2025, 2025)
    assert r.meta.published == dt.date(2026, 2, 10)


def test_the_year_announced_for_the_report_beats_an_earlier_year_in_passing():
    r = norm("我镇持续深化法治政府建设实践，在2023年工作基础上稳步提升。现将我镇2024年法治政府建设情况报告如下。\n"
             "一、压实责任\n（一）完善法治建设领导小组。")
    assert r.meta.period == (2024, 2024)


def test_a_plan_the_text_carries_out_does_not_make_it_a_plan():
    r = norm("2019年，在上级的正确领导下，某县以落实法治政府建设实施纲要为主线，狠抓落实年度法治政府建设工作要点，"
             "各项工作迈上新台阶。\n一、2019年推进法治政府建设情况\n（一）依法全面履行政府职能")
    assert r.meta.doc_type == "annual_report"


# ----------------------------------------------------------------------------- untitled openings, round 4


@pytest.mark.parametrize("opening", [
    "2025年以来，在区党委的坚强领导下，某某地区扎实推进法治政府建设，各项工作取得新进展。",
    "2025年是规划收官之年，某某县交通运输局认真落实法治政府建设各项部署，依法履职。",
    "今年以来，某某县扎实推进法治政府建设，依法行政水平稳步提升。",
])
def test_an_untitled_opening_about_the_year_s_rule_of_law_work_is_a_report(opening):
    r = norm(opening + "\n一、2025年法治政府建设总体情况\n（一）加强党的领导，开展专题学习3次。")
    assert r.meta.doc_type == "annual_report"


def test_a_quoted_set_of_plans_the_text_follows_does_not_make_it_a_plan():
    r = norm("2025年是关键之年，全市税务系统对照法治建设“一规划两方案”，推动法治政府建设走在前列。\n"
             "一、深入学习贯彻习近平法治思想。一是领导带头学。6月，召开专题学习会。")
    assert r.meta.doc_type == "annual_report"


def test_the_subject_of_an_untitled_opening_is_the_issuer_even_after_a_comma():
    r = norm("2025年，在市委、市政府的正确领导下，某某市水务局，以依法行政为目标，抓好法治政府建设各项工作。"
             "现将有关工作情况报告如下：\n一、主要举措")
    assert r.meta.issuer == "某某市水务局"


def test_the_year_of_an_untitled_report_from_its_first_heading():
    r = norm("今年以来，全州各级政府深入推进法治政府建设，法治保障更加有力。现将工作情况报告如下：\n"
             "一、2025年工作回顾\n（一）坚持党的领导。\n二、2026年工作打算")
    assert r.meta.period == (2025, 2025)


def test_a_two_character_county_names_its_place_where_a_place_is_expected():
    r = norm("攸县交通运输局2024年法治政府建设情况报告\n2024年，我局推进依法行政。")
    assert (r.meta.province, r.meta.city, r.meta.county) == ("湖南省", "株洲市", "攸县")
    # ...but not inside a word: 健康县域 is no 康县, 完成县委 no 成县
    r = norm("某某局2024年法治政府建设情况报告\n2024年，我局推进健康县域建设，完成县委交办任务。")
    assert r.meta.county is None


def test_places_named_only_as_the_ends_of_a_route_do_not_place_the_report():
    r = norm("2024年，市公安局推进法治政府建设。现将情况报告如下：\n一、主要工作\n"
             "梳理“跨省通办”事项，针对本市—长沙市确定通办事项8项，针对本市—广州市确定通办事项6项。")
    assert r.meta.province is None


@pytest.mark.parametrize("opening", [
    "2024年，某某街道扎实推进法治政府建设，将述法工作作为班子成员述职的重要内容。现将某某街道办事处2024年法治政府建设年度报告如下：",
    "2024年，某某县推进法治政府建设，推进党政主要负责人述法、领导班子学法等制度落实。现将有关情况报告如下。",
])
def test_a_report_that_tells_of_shufa_among_its_duties_is_not_a_shufa_report(opening):
    r = norm(opening + "\n一、主要举措\n（一）加强党的领导，召开专题会议3次。")
    assert r.meta.doc_type == "annual_report"


def test_an_untitled_head_s_own_account_is_a_shufa_report():
    r = norm("本人作为局主要负责人，认真履行推进法治建设第一责任人职责。现将本人2024年度述法情况报告如下：\n"
             "一、履职情况\n主持召开党组会专题研究法治工作3次。")
    assert r.meta.doc_type == "shufa_report"


@pytest.mark.parametrize("title, kind", [
    ("某区卫生健康局2025年度法治政府建设述法报告", "shufa_report"),
    ("某局2024年度法治政府建设情况暨述法报告", "annual_report"),
])
def test_the_head_noun_of_a_title_decides_shufa(title, kind):
    assert guess_doc_type(title)[0] == kind


def test_the_mandated_opening_of_an_information_disclosure_report_is_other():
    r = norm("本年度报告根据《中华人民共和国政府信息公开条例》的要求，由某区审计局编制。全文包括总体情况、主动公开政府信息情况等部分。"
             "本年度发布2024年度法治政府建设工作情况报告1篇。")
    assert r.meta.doc_type == "other"


@pytest.mark.parametrize("opening, issuer", [
    ("2024年，某某区商务局法治政府建设工作坚持以习近平法治思想为指导，开展普法宣传。", "某某区商务局"),
    ("一年来，某某乡在县委、县政府的正确领导下，有序推进法治政府建设工作。", "某某乡"),
    ("市委、市政府：\n2024年，在市委、市政府坚强领导下，某某高新区全面贯彻落实党的二十大精神，加快推进依法行政。", "某某高新区"),
])
def test_the_body_an_untitled_opening_is_about(opening, issuer):
    r = norm(opening + "现将有关情况报告如下。\n一、主要举措\n（一）完善制度。")
    assert r.meta.issuer == issuer


# ----------------------------------------------------------------------------- round 5 (meta7 development set)


def test_a_flattened_table_with_glued_title_and_row_is_chrome():
    text = ("当前位置:首页>政府信息公开>依法行政\n索引号000012345/2025-00001\n发文机关某县林业局 主题词\n"
            "标题某县林业局关于2024年法治政府建设情况的报告\n主题分类其它 发布日期2025-02-26\n\n"
            "某县林业局关于2024年法治政府建设情况的报告\n2024年，我局推进依法行政。")
    r = norm(text)
    assert r.meta.title == "某县林业局关于2024年法治政府建设情况的报告"
    assert r.meta.issuer == "某县林业局"


def test_news_of_a_meeting_that_deliberates_the_year_s_key_points_is_other():
    r = norm("8月20日下午，区委书记主持召开区委常委会会议，审议我区2025年法治政府建设工作要点，安排有关工作。\n"
             "会议强调，建设法治政府是推进治理现代化的重要支撑。")
    assert r.meta.doc_type == "other"


@pytest.mark.parametrize("opening, issuer", [
    ("2024年是关键之年，也是某某街道发展的重要之年。某某街道始终坚持以习近平法治思想为指导，推进法治政府建设。", "某某街道"),
    ("市委全面依法治市委员会：\n2025年，某某乡法治政府建设工作在市委的正确领导下，认真落实上级各项工作部署。", "某某乡"),
])
def test_a_local_body_named_without_a_year_or_before_its_topic(opening, issuer):
    r = norm(opening + "现将有关情况报告如下。\n一、主要举措\n（一）完善制度。")
    assert r.meta.issuer == issuer


@pytest.mark.parametrize("sentence, province", [
    ("深入学习贯彻习近平总书记考察浙江重要讲话精神，推进法治政府建设。", "浙江省"),
    ("2023年平安珠海建设考评、法治珠海建设考评均获得优秀等次。", "广东省"),
])
def test_a_province_named_only_in_passing(sentence, province):
    r = norm("2024年，高新区坚持以习近平法治思想为指导，扎实推进法治政府建设。" + sentence + "\n一、主要举措\n（一）完善制度。")
    assert r.meta.province == province


def test_a_zone_titled_by_its_name_is_the_issuer():
    r = norm("某某高新区2023年度法治政府建设情况报告\n2023年，某某高新区坚持依法行政。")
    assert r.meta.issuer == "某某高新区"


def test_a_type_given_by_the_user_decides_the_section_roles():
    # a document the detector takes for a plan: with --doc-type annual_report its work sections
    # are measures (not plans, which would make every act "planned")
    text = ("某局2025年法治政府建设工作要点\n"
            "一、加强党的领导\n将习近平法治思想纳入局党委理论学习中心组年度学习计划，5月召开党委会组织专题学习。")
    raw = RawDocument(source="t.txt", sha256="0", format="txt", lines=text.split("\n"))
    guessed = normalize(raw)
    assert guessed.meta.doc_type == "plan" and [s.role for s in guessed.sections] == ["plans"]
    given = normalize(raw, "annual_report")
    assert given.meta.doc_type == "annual_report" and [s.role for s in given.sections] == ["measures"]
    assert not any("文件类型不确定" in w for w in given.warnings)
