"""Paragraph joining, chrome removal, headings, items and roles on small written samples."""

from __future__ import annotations

from compliance.models import RawDocument, Report
from compliance.normalize import normalize, snippet_report


def norm(text: str, **hints: str) -> Report:
    return normalize(RawDocument(source="t.txt", sha256="0", format="txt", lines=text.split("\n"), hints=hints))


def texts(r: Report) -> list[str]:
    return [p.text for p in r.paragraphs]


def headings(r: Report) -> list[tuple[int, str, str]]:
    return [(s.level, s.heading, s.role) for s in r.iter_sections()]


# ----------------------------------------------------------------------------- joining


def test_soft_wrap_across_blank_lines_is_rejoined_with_spans():
    r = norm("一、主要工作\n我局不断提高干部依法行政的理解能力\n\n和执行能力，成效明显。")
    body = r.paragraphs[-1]
    assert body.text == "我局不断提高干部依法行政的理解能力和执行能力，成效明显。"
    assert [(s.offset, s.line) for s in body.spans] == [(0, 2), (17, 4)]
    assert body.line_at(body.text.index("和执行")) == 4
    assert body.sentences[0].line == 2


def test_number_cut_in_two_is_rejoined_and_read_as_one_metric():
    r = norm("一、主要工作\n全年办结行政处罚案件133\n\n85件，罚款金额366.\n141万元。")
    assert r.paragraphs[-1].text == "全年办结行政处罚案件13385件，罚款金额366.141万元。"
    values = [(m.value, m.unit) for m in r.metrics]
    assert (13385.0, "件") in values and (366.141, "万元") in values


def test_page_number_between_wrapped_lines_is_dropped():
    r = norm("一、主要工作\n严格落实行政执法三项制度，全面推行行政执法公示\n\n- 3 -\n\n和全过程记录。")
    assert r.paragraphs[-1].text == "严格落实行政执法三项制度，全面推行行政执法公示和全过程记录。"
    assert all("- 3 -" not in t for t in texts(r))


def test_sentence_end_and_headings_are_not_joined():
    r = norm("一、主要工作\n（一）加强学习\n（二）强化培训\n全年培训三次。\n下一段落开始。")
    assert texts(r) == ["一、主要工作", "（一）加强学习", "（二）强化培训", "全年培训三次。", "下一段落开始。"]


def test_line_ending_in_colon_is_not_joined():
    r = norm("盘锦市人民政府：\n现将我局2024年法治政府建设情况报告如下。")
    assert texts(r) == ["盘锦市人民政府：", "现将我局2024年法治政府建设情况报告如下。"]


def test_short_unterminated_line_stands_alone():
    r = norm("工作亮点\n我局创新推出非现场执法。")
    assert texts(r) == ["工作亮点", "我局创新推出非现场执法。"]


def test_signature_and_date_lines_are_separate_closing_paragraphs():
    r = norm("一、主要工作\n做了工作。\n特此报告。\n绍兴市交通运输局\n2020年1月9日")
    assert [p.role for p in r.paragraphs[-3:]] == ["closing"] * 3
    assert texts(r)[-2:] == ["绍兴市交通运输局", "2020年1月9日"]


def test_attachment_after_the_signature_is_outside_sections():
    r = norm("某局关于2023年法治政府建设情况的报告\n一、主要工作\n内容。\n特此报告。\n\n盘锦市交通运输局\n2024年1月30日\n"
             "附件：1.2023年度执法数据统计表\n序号 指标 数值\n1 执法案件 1475件")
    assert [p.role for p in r.paragraphs[3:]] == ["closing", "closing", "closing", "other", "other", "other"]
    assert r.meta.date is not None and str(r.meta.date) == "2024-01-30"
    assert r.meta.issuer == "盘锦市交通运输局"


# ----------------------------------------------------------------------------- chrome


FLAT_PAGE = """当前位置:首页
> 政务公开 > 组织机构 > 市交通运输局 > 计划总结
索引号: 113306000025772335/2020-224740 公开方式: 主动公开
发布机构: 市交通运输局 成文日期: 2020-01-09
主题分类: 公路,水运,其他 发文字号:

绍兴市交通运输2019年度法治政府部门建设工作总结

发布日期:2020-01-10 10:54 浏览次数: 字体:[ ]
分享:

一、主要工作举措

(一)严格落实法治政府建设职责。局主要领导高度重视。

【打印】【关闭】
信息来源:市交通运输局"""


def test_chrome_lines_are_dropped_and_their_metadata_read():
    r = norm(FLAT_PAGE)
    joined = "\n".join(texts(r))
    for chrome in ("当前位置", "索引号", "浏览次数", "分享", "信息来源", "打印", "政务公开 >"):
        assert chrome not in joined
    assert r.meta.title == "绍兴市交通运输2019年度法治政府部门建设工作总结"
    assert r.meta.issuer == "绍兴市交通运输局"  # 发布机构 市交通运输局 expanded with the title's city
    assert str(r.meta.date) == "2020-01-09"  # 成文日期
    assert str(r.meta.published) == "2020-01-10"
    assert r.meta.doc_number is None  # 发文字号 empty


def test_metadata_value_on_the_next_line_is_read_and_dropped():
    r = norm("索引号:\n113306000025772335/2020-224740\n发布机构:\n市交通运输局\n成文日期:\n2020-01-09\n发文字号:\n\n"
             "绍兴市交通运输2019年度法治政府部门建设工作总结\n一、主要工作举措\n内容。")
    assert texts(r)[0] == "绍兴市交通运输2019年度法治政府部门建设工作总结"
    assert r.meta.issuer == "绍兴市交通运输局" and str(r.meta.date) == "2020-01-09" and r.meta.doc_number is None


def test_giant_flattened_line_starting_with_chrome_keeps_its_text():
    line = "当前位置:首页 > 政务公开 " + "我局全面推进依法行政，" * 50 + "成效明显。"
    r = norm(line)
    assert len(r.paragraphs) == 1 and r.paragraphs[0].text == line


def test_only_chrome_gives_an_empty_report():
    r = norm("当前位置:首页\n分享:\n- 2 -\n【打印】【关闭】")
    assert r.paragraphs == [] and r.sections == []


# ----------------------------------------------------------------------------- text forms


def test_emphasis_widths_and_spaces_in_sentence_norm():
    r = norm("一、主要工作\n**二是**全年办理案件 13385 件，ＡＢＣ持证率达１００％。")
    s = r.paragraphs[-1].sentences[0]
    assert s.text.startswith("**二是**")  # as written
    assert s.norm == "二是全年办理案件13385件,ABC持证率达100%。"
    units = {(m.value, m.unit) for m in r.metrics}
    assert (13385.0, "件") in units and (100.0, "%") in units


# ----------------------------------------------------------------------------- headings


def test_each_heading_style_and_levels_by_first_appearance():
    r = norm(
        "一、主要工作\n（一）学法\n1.领导学法\n（1）中心组学法\n2、干部学法\n(二)普法\n1．以案释法\n二、存在问题"
    )
    assert headings(r) == [
        (1, "一、主要工作", "measures"),
        (2, "（一）学法", "measures"),
        (3, "1.领导学法", "measures"),
        (4, "（1）中心组学法", "measures"),
        (3, "2、干部学法", "measures"),
        (2, "(二)普法", "measures"),
        (3, "1．以案释法", "measures"),
        (1, "二、存在问题", "problems"),
    ]


def test_right_paren_and_circled_numbers():
    r = norm("一、主要工作\n1）领导学法\n①中心组学法\n2）干部学法")
    assert [(s.level, s.heading) for s in r.iter_sections()] == [
        (1, "一、主要工作"), (2, "1）领导学法"), (3, "①中心组学法"), (2, "2）干部学法")
    ]


def test_levels_follow_the_document_not_a_fixed_order():
    # This writer puts 1. above （一）.
    r = norm("1.主要工作\n（一）学法\n（二）普法\n2.存在问题\n（一）学习不深")
    assert [(s.level, s.heading) for s in r.iter_sections()] == [
        (1, "1.主要工作"), (2, "（一）学法"), (2, "（二）普法"), (1, "2.存在问题"), (2, "（一）学习不深")
    ]


def test_preamble_list_does_not_swallow_top_headings():
    r = norm("根据要求，报告如下：\n1.总体情况良好。\n一、主要工作\n（一）学法\n二、存在问题")
    assert [s.heading for s in r.sections] == ["1.总体情况良好", "一、主要工作", "二、存在问题"]


def test_numbering_gap_is_tolerated():
    r = norm("一、总体要求\n二、主要任务\n四、工作步骤\n五、组织实施")
    assert [s.heading for s in r.sections] == ["一、总体要求", "二、主要任务", "四、工作步骤", "五、组织实施"]
    assert all(s.level == 1 for s in r.sections)


def test_numbered_paragraph_with_lead_sentence_is_an_item():
    r = norm("一、主要工作\n2.切实履行法治建设第一责任人职责。建立了职责清单并在网站公示。")
    item = r.sections[0].children[0]
    assert item.heading == "2.切实履行法治建设第一责任人职责"
    assert item.number == "2."
    assert item.role == "frp"
    p = r.paragraphs[-1]
    assert p.text.startswith("2.切实履行") and p.text.endswith("网站公示。")  # same paragraph
    assert p.section_id == item.id and not p.is_heading


def test_inline_enumeration_items_get_lead_clause_headings():
    r = norm("一、主要工作\n1.学习贯彻。把学习作为首要任务。一是建立制度保障学习。将其纳入计划。**二是**以上率下示范学习。督促学法。")
    item1 = r.sections[0].children[0]
    assert [c.heading for c in item1.children] == ["一是建立制度保障学习", "二是以上率下示范学习"]
    assert [c.number for c in item1.children] == ["一是", "二是"]
    pieces = [p.text for p in r.paragraphs if p.section_id in {c.id for c in item1.children}]
    assert pieces == ["一是建立制度保障学习。将其纳入计划。", "**二是**以上率下示范学习。督促学法。"]
    assert r.paragraphs[-1].spans[0].col == len("1.学习贯彻。把学习作为首要任务。一是建立制度保障学习。将其纳入计划。")


def test_enumeration_in_the_preamble_makes_no_top_sections():
    r = norm("今年以来，我局一是加强学习，二是强化培训。\n一、主要工作\n内容。")
    assert [s.heading for s in r.sections] == ["一、主要工作"]
    assert r.paragraphs[0].role == "preamble"


def test_yishi_inside_words_is_not_an_item():
    r = norm("一、主要工作\n坚持统一是基础，其一是说法。")
    assert r.sections[0].children == []


def test_only_headings_and_one_giant_line_and_empty_input():
    r = norm("一、主要工作\n二、存在问题\n三、下一步打算")
    assert [s.role for s in r.sections] == ["measures", "problems", "plans"]
    big = "我局" + "依法行政，" * 20000 + "成效明显。"
    r = norm(big)
    assert len(r.paragraphs) == 1 and r.paragraphs[0].text == big
    r = norm("")
    assert r.paragraphs == [] and r.sections == [] and r.meta.doc_type == "other"


# ----------------------------------------------------------------------------- roles


def test_each_role_from_heading_vocabulary():
    r = norm(
        "前言部分。\n一、2023年工作开展情况\n二、取得的成效\n三、主要负责人履行推进法治建设第一责任人职责情况\n"
        "四、存在的不足\n五、2024年工作计划\n六、其他事项\n特此报告。\n某某市司法局\n2024年1月5日"
    )
    assert [s.role for s in r.sections] == ["measures", "results", "frp", "problems", "plans", "other"]
    assert r.paragraphs[0].role == "preamble"
    assert [p.role for p in r.paragraphs[-3:]] == ["closing"] * 3


def test_role_vocabulary_variants():
    cases = {
        "一、主要举措": "measures", "一、推进情况": "measures", "一、工作亮点": "results",
        "一、存在的主要问题": "problems", "一、困难和问题": "problems", "一、短板弱项": "problems",
        "一、下步打算": "plans", "一、整改措施": "plans", "一、努力方向": "plans", "一、2025年工作思路": "plans",
    }
    for heading, role in cases.items():
        assert norm(heading).sections[0].role == role, heading


def test_children_inherit_unless_their_heading_says_otherwise():
    r = norm("一、工作情况\n（一）依法行政\n（二）普法宣传\n（三）存在的问题\n1.学习不够")
    roles = [(s.heading, s.role) for s in r.iter_sections()]
    assert roles == [
        ("一、工作情况", "measures"), ("（一）依法行政", "measures"), ("（二）普法宣传", "measures"),
        ("（三）存在的问题", "problems"), ("1.学习不够", "problems"),
    ]


def test_child_headings_that_merely_mention_a_keyword_inherit():
    r = norm("一、主要工作\n（一）严格执行年度计划\n（二）化解矛盾问题\n（三）取得的成效\n（四）下一步打算")
    assert [s.role for s in r.sections[0].children] == ["measures", "measures", "results", "plans"]


def test_top_headings_that_merely_mention_a_weak_keyword_are_not_that_role():
    r = norm("某局关于2023年法治政府建设情况的报告\n一、加强执法监督\n二、深入推进矛盾问题化解\n三、问题\n四、2024年工作安排")
    assert [s.role for s in r.sections] == ["measures", "measures", "problems", "plans"]


def test_plan_task_sections_are_plans_and_frame_sections_other():
    r = norm("某县交通运输行政执法能力提升三年行动计划(2020-2022)\n一、总体要求\n二、主要任务\n三、保障措施")
    assert r.meta.doc_type == "plan"
    assert [s.role for s in r.sections] == ["other", "plans", "plans"]


def test_topic_report_sections_default_to_measures_before_problems():
    r = norm("某市司法局关于2023年法治政府建设情况的报告\n一、加强党的领导\n二、深化放管服改革\n三、存在问题\n四、其他")
    assert [s.role for s in r.sections] == ["measures", "measures", "problems", "other"]


# ----------------------------------------------------------------------------- snippets


def test_snippet_report_with_role_is_one_synthetic_section():
    r = snippet_report("全年开展培训十二次，人均完成128学时。\n一是加强学习。二是强化督查。", role="measures")
    assert [s.heading for s in r.sections] == ["（示例）"]
    root = r.sections[0]
    assert root.role == "measures" and [c.heading for c in root.children] == ["一是加强学习", "二是强化督查"]
    assert all(p.role == "measures" and p.section.startswith("（示例）") for p in r.paragraphs)
    assert r.meta.doc_type == "annual_report" and r.meta.period is not None
    assert {(m.value, m.unit, m.per_capita) for m in r.metrics} == {(12.0, "次", False), (128.0, "学时", True)}
    ids = [s.id for s in r.iter_sections()]
    assert len(set(ids)) == len(ids) and all(p.section_id in ids for p in r.paragraphs)


def test_snippet_period_is_current_year_unless_the_snippet_states_its_own():
    import datetime as dt

    year = dt.date.today().year
    assert snippet_report("依据2019年印发的《办法》开展审查。", role="measures").meta.period == (year, year)
    assert snippet_report("2022年，我局开展公平竞争审查。", role="measures").meta.period == (2022, 2022)


def test_snippet_report_keeps_doc_type_and_plain_text_without_role():
    r = snippet_report("下一步，我们将加强执法培训。", doc_type="plan")
    assert r.meta.doc_type == "plan"
    assert r.paragraphs[0].sentences[0].text == "下一步，我们将加强执法培训。"


def test_fixed_width_wrap_joins_even_at_a_sentence_end():
    lines = [
        "一、主要工作",
        "（一）加强学习。局党组高度重视法治政府建设工作，全年召开会议。",  # full width, ends in 。
        "专题研究法治政府建设工作四次，制定印发了年度工作要点和任务清单。",
        "（二）深化改革。全面推进行政执法三项制度，规范执法行为，成效明显。",
        "全年办理行政处罚案件一千二百件，罚没款五十六万元，均依法公开。",
        "全面推进综合行政执法改革工作。",
        "二、存在问题",
        "执法队伍素质有待提高，执法信息化水平不高，执法协作机制待完善。",
        "普法宣传形式单一。",
    ]
    r = norm("\n".join(lines))
    bodies = [p.text for p in r.paragraphs if not p.is_heading]
    assert bodies[0] == lines[1] + lines[2]
    assert bodies[1] == lines[3] + lines[4] + lines[5]
    assert bodies[2] == lines[7] + lines[8]


def test_one_paragraph_per_line_text_is_not_joined_at_sentence_ends():
    lines = ["一、主要工作", "我局加强学习，全年召开党组会议四次。", "全面推行行政执法三项制度，规范执法行为，成效明显可见。",
             "全年办理行政处罚案件一千二百件。", "罚没款五十六万元。"]
    r = norm("\n".join(lines))
    assert [p.text for p in r.paragraphs][1:] == lines[1:]


def test_wrapped_breadcrumb_tail_is_chrome():
    lines = [
        "当前位置:首页",
        "> 政务公开 > 组织机构 > 市政府工作部门 > 市交通运输局 > 计",
        "划总结",
        "绍兴市交通运输2019年度法治政府部门建设工作总结及2020年工作思路",
        "一、主要工作举措",
        "（一）严格落实法治政府建设职责。为进一步加强法治政府部门建设，切实强化",
        "依法治交水平，局主要领导高度重视，局领导班子多次听取法治政府建设工作汇",
        "报，制定了年度依法行政工作要点，印发了法治政府部门建设重点工作任务清单",
        "，下发了各行业的执法效能工作清单。",
    ]
    r = norm("\n".join(lines))
    assert all("划总结" != p.text for p in r.paragraphs)
    assert r.meta.title == lines[3]


def test_markdown_bold_and_chapter_headings():
    r = norm("# 某市司法局2023年法治政府建设年度报告\n\n## 一、主要工作\n\n### （一）加强学习\n\n全年学习。\n\n"
             "**二、存在问题**\n\n学习不深入。")
    assert r.meta.title == "某市司法局2023年法治政府建设年度报告"
    assert headings(r) == [(1, "一、主要工作", "measures"), (2, "（一）加强学习", "measures"), (1, "二、存在问题", "problems")]
    r = norm("第一部分 工作开展情况\n（一）加强学习\n第二部分 存在的问题\n第三部分 下一步打算")
    assert [(s.level, s.heading, s.role) for s in r.iter_sections()] == [
        (1, "第一部分 工作开展情况", "measures"), (2, "（一）加强学习", "measures"),
        (1, "第二部分 存在的问题", "problems"), (1, "第三部分 下一步打算", "plans"),
    ]


def test_bare_labels_are_sections_only_without_numbered_headings():
    r = norm("某市司法局2023年法治政府建设年度报告\n主要做法\n全年学习12次。\n存在的问题\n学习不深入。\n下一步工作打算\n继续加强。")
    assert [(s.heading, s.role) for s in r.sections] == [("主要做法", "measures"), ("存在的问题", "problems"),
                                                         ("下一步工作打算", "plans")]
    r = norm("一、主要工作\n工作亮点\n全年学习12次。")
    assert [s.heading for s in r.iter_sections()] == ["一、主要工作"]


# ---------------------------------------------------------------- saved pages: a section per line
def _flat(*parts: str) -> str:
    """A report as a saved page keeps it: title, then the whole body glued into one long line."""
    return "某县农业农村局2023年法治政府建设工作情况报告\n" + "".join(parts)


def test_flattened_top_heading_ends_where_a_sentence_starts():
    r = norm(_flat(
        "一、总体情况2023年，我局围绕中心工作推进依法行政，全年办理行政许可事项三百余件，群众满意度持续提升。",
        "二、工作开展情况（一）强化组织保障，压实工作责任局党组定期研究法治建设工作，全年召开专题会议三次。",
        "（二）规范执法行为，提升执法水平县农业农村局坚持严格规范公正文明执法，全年办理行政处罚案件十二件。",
        "三、存在的主要问题今年以来虽取得一定成效，但执法人员专业素质仍有待提高，执法装备保障不足。",
        "四、下一步工作打算一是加强执法人员培训；二是完善执法装备配备，提升执法保障水平。",
    ))
    heads = [(s.heading, s.role) for s in r.sections]
    assert heads == [("一、总体情况", "other"), ("二、工作开展情况", "measures"),
                     ("三、存在的主要问题", "problems"), ("四、下一步工作打算", "plans")]
    subs = [c.heading for c in r.sections[1].children]
    assert subs == ["（一）强化组织保障，压实工作责任", "（二）规范执法行为，提升执法水平"]


def test_flattened_subheadings_need_a_run_of_two():
    r = norm(_flat(
        "一、主要做法我局依法履职，落实（一）项任务时严格按程序办理，全年未发生行政复议纠错案件，",
        "并对全部执法案卷开展评查，评查结果在局务会上通报，各执法科室逐一完成整改。",
        "二、存在问题执法力量仍然不足，信息化水平有待提高，部分执法人员对新修订法律法规掌握不够。",
    ))
    assert [s.heading for s in r.sections] == ["一、主要做法", "二、存在问题"]
    assert r.sections[0].children == []


def test_overview_heading_is_measures_when_it_is_the_only_work_section():
    r = norm(_flat(
        "一、基本情况2023年，我局组织集体学法四次，办理行政处罚案件十二件，全部按规定公示，",
        "并对全部执法案卷开展评查，评查结果在局务会上通报，各执法科室逐一完成整改。",
        "二、存在问题执法力量仍然不足，信息化水平有待提高，部分执法人员对新修订法律法规掌握不够。",
    ))
    assert [(s.heading, s.role) for s in r.sections] == [("一、基本情况", "measures"), ("二、存在问题", "problems")]
