"""Metrics: every number with its unit and subject; never years, dates, numbers or ordinals."""

from __future__ import annotations

import pytest

from compliance.models import RawDocument, Report
from compliance.normalize import normalize


def norm(text: str) -> Report:
    return normalize(RawDocument(source="t.txt", sha256="0", format="txt", lines=text.split("\n")))


def metrics(sentence: str) -> list[tuple[float, str, str, bool, str, str]]:
    r = norm("一、主要工作\n" + sentence)
    return [(m.value, m.unit, m.kind, m.per_capita, m.subject, m.text) for m in r.metrics]


@pytest.mark.parametrize(
    "sentence, expected",
    [
        ("全年受理群众来信21件。", [(21.0, "件", "count", False, "全年受理群众来信", "21件")]),
        ("开展执法人员培训18次，人均完成128学时。",
         [(18.0, "次", "count", False, "开展执法人员培训", "18次"), (128.0, "学时", "hours", True, "人均完成", "128学时")]),
        ("轮训学时不少于60课时。", [(60.0, "课时", "hours", False, "轮训学时不少于", "60课时")]),
        ("处罚金额366.141万元。", [(366.141, "万元", "money", False, "处罚金额", "366.141万元")]),
        ("投入经费1.2亿元。", [(1.2, "亿元", "money", False, "投入经费", "1.2亿元")]),
        ("罚款500元。", [(500.0, "元", "money", False, "罚款", "500元")]),
        ("应持证人员持证率达100%。", [(100.0, "%", "percent", False, "应持证人员持证率达", "100%")]),
        ("非现场执法占比55.2%。", [(55.2, "%", "percent", False, "非现场执法占比", "55.2%")]),
        ("满意度达到百分之九十五。", [(95.0, "%", "percent", False, "满意度达到", "百分之九十五")]),
        ("百分之百完成，比例达百分之一点五。",
         [(100.0, "%", "percent", False, "完成", "百分之百"), (1.5, "%", "percent", False, "比例达", "百分之一点五")]),
        ("一年六次开展督查。", [(6.0, "次", "count", False, "一年", "六次")]),
        ("办结十二件。", [(12.0, "件", "count", False, "办结", "十二件")]),
        ("受众1200余人次。", [(1200.0, "人次", "count", False, "受众", "1200余人次")]),
        ("办结 13385 件。", [(13385.0, "件", "count", False, "办结", "13385 件")]),
        ("调整后主项107个、子项170个。",
         [(107.0, "个", "count", False, "调整后主项", "107个"), (170.0, "个", "count", False, "子项", "170个")]),
        ("检查企业34家、车辆2134台、船舶12艘，发放材料300份、书籍50本，整改问题8项、隐患5条，培训骨干30名。",
         [(34.0, "家", "count", False, "检查企业", "34家"), (2134.0, "台", "count", False, "车辆", "2134台"),
          (12.0, "艘", "count", False, "船舶", "12艘"), (300.0, "份", "count", False, "发放材料", "300份"),
          (50.0, "本", "count", False, "书籍", "50本"), (8.0, "项", "count", False, "整改问题", "8项"),
          (5.0, "条", "count", False, "隐患", "5条"), (30.0, "名", "count", False, "培训骨干", "30名")]),
        ("举办培训班3期，参训120人。",
         [(3.0, "期", "count", False, "举办培训班", "3期"), (120.0, "人", "count", False, "参训", "120人")]),
    ],
)
def test_metric_forms(sentence, expected):
    assert metrics(sentence) == expected


@pytest.mark.parametrize(
    "sentence",
    [
        "2024年1月30日召开会议。",
        "根据浙交〔2019〕71号文件，落实2023年度计划。",
        "利用4.15全民国家安全教育日开展宣传。",
        "一是加强学习，二是强化督查。",
        "获评全省第一名，第3次获奖。",
        "推进开办企业一件事，实现一次到位。",
        "承办万件化访专项行动。",
        "依法处理相关案件，条例规定，处罚决定。",
    ],
)
def test_no_metric_for_years_dates_numbers_ordinals_or_idioms(sentence):
    assert metrics(sentence) == []


def test_subject_after_the_number_when_nothing_precedes_it():
    assert metrics("对122个重大行政处罚案件进行审核。")[0][4] == "重大行政处罚案件进行审核"
    assert metrics("122起重大行政执法决定聘请律师审核。")[0][4] == "重大行政执法决定聘请律师审核"


def test_metric_position_line_paragraph_sentence():
    r = norm("一、主要工作\n我局加强学习。全年培训\n\n12次，成效明显。")
    (m,) = r.metrics
    p = r.paragraphs[m.paragraph]
    assert m.line == 4 and m.sentence == 1
    assert p.sentences[m.sentence].text[p.sentences[m.sentence].text.index("12"):].startswith(m.text)


def test_running_text_is_never_converted():
    r = norm("一、主要工作\n一是开展十二次检查。")
    assert r.paragraphs[-1].text == "一是开展十二次检查。"
    assert r.paragraphs[-1].sentences[0].norm == "一是开展十二次检查。"


@pytest.mark.parametrize("sentence, expected", [
    ("法制审核人员与执法人员之比为1:15。", [(6.67, "%", "percent", "法制审核人员与执法人员之比为", "1:15")]),
    ("法制审核人员与执法人员比例达到1：20。", [(5.0, "%", "percent", "法制审核人员与执法人员比例达到", "1：20")]),
    ("按照1比25的比例配备法制审核人员。", [(4.0, "%", "percent", "按照", "1比25")]),  # found through its sentence
])
def test_one_to_n_staff_ratio_is_a_percentage(sentence, expected):
    got = [(m.value, m.unit, m.kind, m.subject, m.text) for m in norm("一、主要工作\n" + sentence).metrics]
    assert got == expected


@pytest.mark.parametrize("sentence", [
    "完成1:500比例尺地形图测绘。",  # a map scale
    "会议于11:15结束。",  # a time
    "比分为1:3。",  # no staffing or proportion
    "按1:0配置。",
])
def test_one_to_n_outside_staffing_is_no_metric(sentence):
    assert [m.text for m in norm("一、主要工作\n" + sentence).metrics if m.unit == "%"] == []


def test_reviewer_ratio_follows_the_ruleset_parameter(tmp_path):
    """TES-05 judges "1:15" by `reviewer_percent_min`, not by a number written into a pattern."""
    from compliance.engine import evaluate
    from compliance.normalize import snippet_report
    from compliance.rules.load import load_ruleset

    strict = tmp_path / "strict.yaml"
    strict.write_text("name: strict\nversion: '1'\nextends: national\nparameters:\n  reviewer_percent_min: 10\n",
                      encoding="utf-8")
    rep = snippet_report("法制审核人员与执法人员之比为1:15。", role="measures")

    def status(rs):
        return next(r.status for r in evaluate(rep, rs).results if r.rule_id == "TES-05")

    assert status(load_ruleset("national")) == "met"  # 6.67% ≥ 5%
    assert status(load_ruleset(str(strict))) == "partial"  # 6.67% < 10%


@pytest.mark.parametrize("sentence, per_capita", [
    ("全局执法人员培训均不少于60学时。", True),
    ("执法人员学时均达到64学时。", True),
    ("执法人员人人完成60学时培训。", True),
    ("人均完成128学时。", True),
    ("组织执法培训60学时。", False),
    ("累计培训120学时。", False),
])
def test_per_capita_figures(sentence, per_capita):
    got = [m.per_capita for m in norm("一、主要工作\n" + sentence).metrics if m.unit in ("学时", "课时")]
    assert got == [per_capita]
