"""Phenomena met in real reports outside the corpus (samples paraphrased, names invented or generic)."""

from __future__ import annotations

import datetime as dt

from compliance.models import RawDocument, Report
from compliance.normalize import normalize
from compliance.normalize.gazetteer import gazetteer
from compliance.normalize.meta import split_joint


def norm(text: str, **hints: str) -> Report:
    return normalize(RawDocument(source="t.txt", sha256="0", format="txt", lines=text.split("\n"), hints=hints))


def tops(r: Report) -> list[tuple[str, str]]:
    return [(s.heading, s.role) for s in r.sections]


# ----------------------------------------------------------------------------- headings


def test_number_space_headings():
    r = norm("某县水利局关于2022年度法治政府建设的报告\n2022年我局依法履职。\n1 强化学法用法\n全年学法6次。\n"
             "2 规范行政执法\n办理案件9件。\n3 存在的不足\n执法人员偏少。")
    assert [h for h, _ in tops(r)] == ["1 强化学法用法", "2 规范行政执法", "3 存在的不足"]
    assert tops(r)[2][1] == "problems"


def test_number_space_is_not_a_heading_before_a_measure_word():
    r = norm("某县水利局关于2022年度法治政府建设的报告\n一、主要做法\n全县共有\n3 部门参与联合检查，发现问题5个。")
    assert [h for h, _ in tops(r)] == ["一、主要做法"]


def test_long_top_heading_line_is_kept_whole():
    head = "一、坚持以法治思想为统领推动全县各部门各单位依法履职尽责法治政府建设各项工作取得明显进展形成工作合力"
    assert 40 < len(head) - 2 <= 60
    r = norm(f"某县人民政府关于2021年度法治政府建设情况的报告\n{head}\n做了大量工作。\n二、存在的不足和原因\n基层力量薄弱。")
    assert r.sections[0].heading == head
    assert r.sections[1].role == "problems"


def test_heading_and_body_on_one_line_split_at_the_space():
    r = norm("某镇2019年法治建设工作总结\n一、加强组织领导，确保工作落到实处 年初，镇党委专题研究法治工作。\n"
             "二、以主题活动为载体，抓好普法宣传 全年开展宣传活动12场。")
    assert [h for h, _ in tops(r)] == ["一、加强组织领导，确保工作落到实处", "二、以主题活动为载体，抓好普法宣传"]
    assert any(m.value == 12 for m in r.metrics)


def test_eight_system_headings_in_a_report_are_work_done():
    r = norm("某市生态环境局2022年法治政府建设工作总结\n一、健全政府机构职能体系，推动更好发挥政府作用\n做了工作。\n"
             "二、健全依法行政制度体系\n做了工作。\n三、存在问题\n不足。\n四、下一步工作打算\n计划。")
    assert [role for _, role in tops(r)] == ["measures", "measures", "problems", "plans"]


# ----------------------------------------------------------------------------- title, type


def test_title_split_into_issuer_line_and_year_line():
    r = norm("某州市场监督管理局\n2023年度法治政府建设工作报告\n2023年，我局扎实推进依法行政。\n一、主要举措\n做了工作。")
    assert r.meta.title == "某州市场监督管理局2023年度法治政府建设工作报告"
    assert r.meta.issuer == "某州市场监督管理局"


def test_signature_above_a_title_is_not_joined_to_it():
    r = norm("某市人民政府\n2024年3月1日\n2024年法治政府建设工作要点\n一、主要任务\n做好工作。")
    assert r.meta.title == "2024年法治政府建设工作要点"


def test_document_number_run_into_the_title_line():
    r = norm("永昌政发〔2022〕3号永昌县2021年度法治政府建设情况报告\n2021年，我县依法行政。\n一、主要工作\n做了工作。")
    assert r.meta.title == "永昌县2021年度法治政府建设情况报告"
    assert r.meta.doc_number == "永昌政发〔2022〕3号"


def test_commentary_on_a_report_is_other():
    for t in ("【政策解读】关于《某县人民政府关于2023年度法治政府建设情况的报告》的解读",
              "《某区2024年法治政府建设年度报告》文件解读"):
        r = norm(t + "\n一、起草背景\n依据规定起草。")
        assert r.meta.doc_type == "other", t
        assert all(role == "other" for _, role in tops(r))


def test_enforcement_statistics_are_other():
    assert norm("某市统计局2019年度行政执法数据统计年报\n一、许可").meta.doc_type == "other"
    assert norm("某市行政执法统计年报制度\n第一条 为规范统计").meta.doc_type == "other"


def test_work_arrangement_notice_is_a_plan():
    r = norm("某县人民政府办公室\n关于印发某县2020年度法治政府建设\n工作安排的通知\n各乡镇：\n现印发给你们。\n"
             "2020年6月1日\n某县2020年度法治政府建设工作安排\n一、依法全面履行政府职能\n做好工作。")
    assert r.meta.doc_type == "plan"
    assert r.sections[0].role == "plans"


def test_summary_report_is_a_work_summary():
    assert norm("某乡2016年依法行政工作总结报告\n一、主要工作").meta.doc_type == "work_summary"


def test_untitled_report_typed_by_its_announcing_sentence():
    r = norm("2022年，我局扎实推进法治建设。现将我局2022年法治政府建设情况报告如下：\n一、主要工作\n"
             "起草了《2022年全区法治政府建设工作要点》《法治政府建设实施方案》。")
    assert r.meta.doc_type == "annual_report"
    assert r.sections[0].role == "measures"
    r = norm("按照考评要求，我镇对本年度法治政府建设情况进行了自查，现报告如下：\n一、学法情况\n学法4次。")
    assert r.meta.doc_type == "self_inspection"


def test_untitled_news_item_is_other():
    r = norm("为营造浓厚氛围，市交通运输局在系统内开展法治宣传活动。\n一是播放宣传标语。\n二是发放倡议书300余份。")
    assert r.meta.doc_type == "other"


# ----------------------------------------------------------------------------- page chrome


def test_site_header_with_todays_date_is_chrome():
    r = norm("今天是：2019年10月31日 星期四\n工作报告\n您所在的位置：政务公开 > 工作报告\n"
             "2020年某区法治政府建设情况报告\n2020年，某区依法行政。\n一、主要举措\n做了工作。")
    assert r.meta.title == "2020年某区法治政府建设情况报告"
    assert r.meta.date is None and r.meta.period == (2020, 2020)
    r = norm("某市某区人民政府 2019年12月3日星期二\n某区2023年度法治政府建设情况报告\n一、主要举措\n做了工作。")
    assert r.meta.date is None


def test_flattened_table_with_pipes():
    r = norm("索 引 号 | 0001/2025-01 | 主题分类 | 综合 |\n发文字号 | 某政发〔2025〕12号 | 制发机构 | |\n"
             "成文日期 | 2025-05-10 | 发布日期 | 2025-05-20 |\n某市法治政府建设示范创建实施方案\n一、总体要求\n略。")
    assert r.meta.doc_number == "某政发〔2025〕12号"
    assert r.meta.published == dt.date(2025, 5, 20)
    assert r.meta.title == "某市法治政府建设示范创建实施方案"


def test_keys_glued_to_values_and_party_group_issuer():
    r = norm("发文机关中共某省交通运输厅党组\n发文日期2021年12月20日\n发文字号某交发〔2021〕60号\n"
             "关于深化交通运输法治政府部门建设的实施意见\n一、总体要求\n略。")
    assert r.meta.doc_number == "某交发〔2021〕60号"
    assert r.meta.issuer == "中共某省交通运输厅党组"
    assert r.meta.doc_type == "plan"


def test_bulleted_keys_and_values_below_them():
    r = norm("• 索引号：\n\n  0001/2024-7\n• 发文字号：\n\n  某政发〔2024〕7号\n• 发文日期：\n\n  2024年04月06日 16:40\n"
             "某县人民政府工作规则\n第一章 总则\n一、为规范工作，制定本规则。")
    assert r.meta.doc_number == "某政发〔2024〕7号"
    assert r.meta.title == "某县人民政府工作规则"
    assert r.meta.doc_type == "other"


def test_notice_title_in_a_bulleted_table_not_its_key_line():
    r = norm("    • 内容分类：专项规划\n    • 成文日期：2011-11-25\n"
             "某市人民政府关于印发《某市依法行政五年规划(2011—2015年)》的通知\n各镇：\n现印发给你们。\n"
             "二〇一一年十一月二十五日\n一、指导思想\n略。")
    assert r.meta.title.startswith("某市人民政府关于印发")
    assert r.meta.issuer == "某市人民政府"
    assert r.meta.doc_type == "plan" and r.meta.period == (2011, 2015)
    assert r.meta.date == dt.date(2011, 11, 25)


# ----------------------------------------------------------------------------- issuer, divisions


def test_sentence_ending_in_a_bureau_is_not_a_signature():
    r = norm("现将我局2023年法治政府建设工作情况报告如下。\n一、学习法治思想。全年学法12次。")
    assert r.meta.issuer is None


def test_report_titled_by_a_division_is_its_government():
    r = norm("海盐县2020年度法治政府建设情况报告\n2020年，我县依法行政。\n一、主要举措\n做了工作。")
    assert r.meta.issuer == "海盐县人民政府"
    assert r.meta.level == "county"
    r = norm("2020年海盐县法治政府建设情况报告\n一、主要举措\n做了工作。")
    assert r.meta.issuer == "海盐县人民政府"
    # a bureau's report keeps the bureau
    assert norm("海盐县交通运输局2020年度法治政府建设情况报告").meta.issuer == "海盐县交通运输局"


def test_autonomous_prefecture_short_form():
    g = gazetteer()
    assert g.resolve("恩施州司法局")["city"].name == "恩施土家族苗族自治州"
    assert g.resolve("阿坝县人民政府")["county"].name == "阿坝县"
    m = norm("甘孜州2022年法治政府建设工作情况报告\n一、主要工作\n略。").meta
    assert (m.province, m.city, m.level) == ("四川省", "甘孜藏族自治州", "city")


def test_joint_party_and_government_issuer():
    assert split_joint("中共青田县委员会青田县人民政府") == "中共青田县委员会、青田县人民政府"
    assert split_joint("杭州市公安局西湖区分局") == "杭州市公安局西湖区分局"
    r = norm("中共青田县委员会 青田县人民政府\n关于2021年度法治政府建设情况的报告\n一、主要工作\n略。\n"
             "中共青田县委员会\n青田县人民政府\n2022年2月10日")
    assert r.meta.issuer == "中共青田县委员会、青田县人民政府"
    assert r.meta.date == dt.date(2022, 2, 10)


def test_signature_with_chinese_numeral_date_on_its_own_line():
    r = norm("关于2023年度法治政府建设情况的报告\n一、主要工作\n略。\n某某经济开发区管委会\n二〇二四年一月三十日")
    assert r.meta.issuer == "某某经济开发区管委会"
    assert r.meta.date == dt.date(2024, 1, 30)


def test_doc_number_with_di():
    r = norm("某区林业局2024年法治政府建设年度报告\n索引号：002/2025-01 文号：某林〔2025〕第3号\n一、主要做法\n略。")
    assert r.meta.doc_number == "某林〔2025〕第3号"


# ----------------------------------------------------------------------------- flattened text


def test_flattened_document_gets_title_and_headings():
    body = ("某县2025年度法治政府建设情况报告2025年，全县统筹推进依法行政各项工作，取得了明显成效，"
            "为全县高质量发展提供了法治保障，现报告如下。一、强化理论武装全年开展专题学习18次，举办培训班3期。"
            "二、压实法治责任明确年度重点任务56项，组织实地督察2轮。三、存在的不足基层执法力量仍然薄弱。")
    r = norm(body)
    assert r.meta.title == "某县2025年度法治政府建设情况报告"
    assert [h[:2] for h, _ in tops(r)] == ["一、", "二、", "三、"]
    assert tops(r)[2][1] == "problems"
    assert {m.value for m in r.metrics} >= {18, 3, 56, 2}


def test_inline_enumeration_in_a_normal_report_is_not_split():
    text = "\n".join(["某局关于2022年度法治政府建设情况的报告", "一、主要工作",
                      "我局主要抓了三件事：一、完善制度，修订了议事规则和学法制度，确保各项工作有章可循，"
                      "二、规范执法，全面推行三项制度，三、加强宣传，组织送法下乡活动，群众反响良好，效果明显，"
                      "得到上级部门肯定，并在全市作了经验交流，取得了较好的社会效果和法律效果。",
                      "二、存在问题", "不足。", "三、下步打算", "计划。", "四、其他", "无。", "五、附则", "无。"])
    r = norm(text)
    assert [h for h, _ in tops(r)] == ["一、主要工作", "二、存在问题", "三、下步打算", "四、其他", "五、附则"]


# ----------------------------------------------------------------------------- metrics


def test_metric_subject_from_the_clause_before():
    r = norm("某局2019年法治政府建设情况报告\n一、主要工作\n全省市场主体总量突破千万户，达1042.8万户。")
    m = next(x for x in r.metrics if x.value == 1042.8)
    assert m.subject == "全省市场主体总量突破千万户"


def test_metric_subject_after_number_stops_at_the_next_number():
    r = norm("某县人民政府2017年度法治政府建设情况报告\n一、主要工作\n36个行政审批单位200项审批事项完成编码化。")
    m = next(x for x in r.metrics if x.value == 36)
    assert m.subject == "行政审批单位"


def test_township_named_like_a_city_is_not_the_city():
    g = gazetteer()
    assert g.resolve("黄石街党工委、办事处全面推进法治建设") == {}
    assert g.resolve("黄石交通运输局")["city"].name == "黄石市"


def test_report_template_headings_get_their_roles():
    r = norm("某区司法局关于2023年度法治政府建设情况的报告\n一、2023年度推进法治政府建设的主要举措和成效\n做了工作。\n"
             "二、2023年度推进法治政府建设存在的困难和不足\n力量薄弱。\n"
             "三、党政主要负责人履行推进法治建设第一责任人职责情况\n带头学法。\n"
             "四、2024年度推进法治政府建设的主要安排\n继续推进。\n五、存在的短板和弱项\n短板。")
    assert [role for _, role in tops(r)] == ["measures", "problems", "frp", "plans", "problems"]


def test_slogans_and_ranges_are_not_counts():
    r = norm("某局2023年法治政府建设情况报告\n一、主要工作\n增强“四个意识”，局长履行“四个亲自”职责。每次会议学习1-2部法规，"
             "在车站、260余辆出租车播放标语。")
    assert [(m.value, m.unit) for m in r.metrics] == [(260.0, "辆")]
    assert r.metrics[0].subject.startswith("出租车")


def _wrap(paragraphs: list[str], width: int = 30) -> list[str]:
    """Fixed-width lines as PDF text extraction gives them: body paragraphs indented two
    full-width spaces, headings flush left."""
    out = []
    for t in paragraphs:
        t = t if t[0] in "一二三四五六七八九（(" else "\u3000\u3000" + t
        while len(t) > width:
            out.append(t[:width])
            t = t[width:]
        out.append(t)
    return out


def test_pdf_wrapped_long_heading_and_inline_numbers():
    paras = [
        "某市交通运输局关于2023年度法治政府建设情况的报告",
        "2023年，我局坚持依法行政，全面推进交通运输法治政府部门建设，各项工作取得了新的进展，现将有关情况报告如下。",
        "一、坚持以习近平法治思想为指导推动交通运输法治政府部门建设取得新的成效",
        "全年召开党组会议专题研究法治工作4次，组织执法人员培训班3期，参训人员达到了二百余人次，全面提升执法能力和水平，"
        "完善了1、2、3级执法事项清单。",
        "二、存在的问题和不足",
        "基层执法力量依然薄弱，执法人员年龄结构老化，信息化水平有待提高，执法装备还不能满足需要。",
        "三、2024年工作安排",
        "继续加强执法队伍建设，推进执法规范化，完善执法制度体系，提高依法行政水平，为交通运输发展提供法治保障。",
    ]
    r = norm("\n".join(_wrap(paras)))
    assert [h for h, _ in tops(r)] == [paras[2], "二、存在的问题和不足", "三、2024年工作安排"]
    assert [role for _, role in tops(r)] == ["results", "problems", "plans"]


def test_mirror_site_blurb_is_chrome():
    r = norm("下面是小编为大家整理的乡镇法治建设工作总结，供大家参考。\n某镇2019年法治建设工作总结\n一、主要工作\n略。")
    assert r.meta.title == "某镇2019年法治建设工作总结"
    assert not any("小编" in p.text for p in r.paragraphs)


def test_title_run_into_the_first_sentence_is_cut():
    r = norm("某乡2016年依法行政工作总结报告 2016年以来，全乡依法行政工作顺利推进，取得了明显成效，各项工作有序开展。\n"
             "一、主要工作\n略。")
    assert r.meta.title == "某乡2016年依法行政工作总结报告"
    assert r.meta.doc_type == "work_summary"


def test_pipe_table_with_key_and_value_in_one_cell():
    r = norm("颁布单位:某市人民政府 | 文号: |\n颁布日期:2012-05-21 | 失效日期: |\n效力级别:地方政府规范性文件 |\n"
             "某市人民政府关于进一步加强依法行政工作的意见\n各县区人民政府:\n现提出以下意见:\n一、充分认识重要性\n略。")
    assert r.meta.title == "某市人民政府关于进一步加强依法行政工作的意见"
    assert r.meta.date == dt.date(2012, 5, 21)


def test_untitled_text_opening_with_its_year_and_rule_of_law_work_is_a_report():
    r = norm("2017年，某部深入落实《法治政府建设实施纲要》，扎实推进生态环境领域法治政府建设工作，取得较好进展。\n"
             "一、依法全面履行政府职能\n做了工作。")
    assert r.meta.doc_type == "annual_report"
    r = norm("2018年，县环保局紧紧围绕目标任务，严格依法行政，各项重点工作成效明显。\n一、主动接受监督\n做了工作。")
    assert r.meta.doc_type == "other"  # a bureau's general work summary that mentions 依法行政 in passing


def test_signature_with_a_bracketed_second_name():
    r = norm("关于2023年度法治政府建设情况的报告\n一、主要工作\n略。\n二、存在问题\n略。\n"
             "盘锦市交通运输局\n（盘锦市交通运输综合行政执法队）\n2024年1月30日")
    assert r.meta.issuer == "盘锦市交通运输局"
    assert r.meta.date == dt.date(2024, 1, 30)
    assert [p.role for p in r.paragraphs[-3:]] == ["closing"] * 3


def test_announcing_sentence_after_title_is_preamble_not_signature():
    """"现将我局…报告如下。" names the bureau and a year but is no 落款: the sections after it keep their roles."""
    from compliance.models import RawDocument
    from compliance.normalize import normalize

    lines = ["某县交通运输局2023年法治政府建设工作情况报告", "现将我局2023年法治政府建设工作情况报告如下。",
             "一、加强学习。召开局党组会专题学习法律12次。", "二、规范执法。全年办理案件10件。"]
    rep = normalize(RawDocument(source="t.txt", sha256="0", format="txt", lines=lines))
    roles = {p.line: p.role for p in rep.paragraphs}
    assert roles[2] == "preamble"
    assert roles[3] == "measures" and roles[4] == "measures"
    assert not any(p.role == "closing" for p in rep.paragraphs)


def test_signature_with_glued_date_still_closes():
    from compliance.models import RawDocument
    from compliance.normalize import normalize

    lines = ["某县交通运输局2023年法治政府建设工作总结", "一、主要工作", "召开专题会议研究法治建设3次。",
             "某县交通运输局2024-1-30"]
    rep = normalize(RawDocument(source="t.txt", sha256="0", format="txt", lines=lines))
    assert rep.meta.date.isoformat() == "2024-01-30"
    assert [p.role for p in rep.paragraphs if p.line == 4] == ["closing"]
