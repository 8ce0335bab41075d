"""Enforcement (TES) and fair-competition (FCR) wording from an audit of reports whose whole
subject is one of these duties: each case is a short text written for this test, paraphrasing
a phrasing or a trap seen across bureaus and provinces."""

from __future__ import annotations

import pytest

CASES = [
    # (ruleset, rule, text, role, expected)
    # TES-02: the three-stage wording of the publication duty; service 公示 is not it
    ("national", "TES-02", "严格落实事前公开、事中公示、事后公开要求。", "measures", "met"),
    ("national", "TES-02", "执法人员现场执法时全面落实事中公示。", "measures", "met"),
    ("national", "TES-02", "在门户网站公示办事指南和服务事项。", "measures", "missing"),
    # TES-03: 普法 woven into the whole process is not recording
    ("national", "TES-03", "把普法宣传融入执法全过程。", "measures", "missing"),
    # TES-05: a ratio written 1:N; counts in one sentence; a ratio below 5%
    ("national", "TES-05", "法制审核人员与执法人员之比为1:18。", "measures", "met"),
    ("national", "TES-05", "法制审核人员与执法人员之比为1:25。", "measures", "partial"),
    ("national", "TES-05", "全局执法人员150名，其中法制审核人员8名。", "measures", "met"),
    # TES-06: everyone licensed; a count of licensed staff alone is partial
    ("national", "TES-06", "执法人员全员持证。", "measures", "met"),
    ("national", "TES-06", "全局执法人员均持有行政执法证件。", "measures", "met"),
    ("national", "TES-06", "我局现有在岗行政执法持证人员212人。", "measures", "partial"),
    ("national", "TES-06", "执法时主动出示执法证件。", "measures", "missing"),
    # TES-07: drills and competitions are training; days are not hours; 课时 are hours
    ("national", "TES-07", "组织执法岗位大练兵、执法技能大比武活动。", "measures", "partial"),
    ("national", "TES-07", "组织执法队员参加集中培训3天。", "measures", "partial"),
    ("national", "TES-07", "执法人员人均完成培训64课时。", "measures", "met"),
    # TES-09: a review checklist naming the benchmark is not applying it
    ("national", "TES-09", "围绕主体是否合法、裁量标准运用是否适当等方面开展评查。", "measures", "missing"),
    ("national", "TES-09", "严格执行行政处罚裁量基准，全年适用基准办案86件。", "measures", "met"),
    # FCR-02: 个 counting member units is not a count of measures; a count under a heading on
    # fair-competition review counts, unless it is a legality review or a clean-up
    ("national", "FCR-02", "县联席会议22个成员单位负责公平竞争审查工作的专干参会。", "measures", "partial"),
    ("national", "FCR-02", "（三）落实公平竞争审查\n全年审查涉企政策措施6件，其中修改1件。", "measures", "met"),
    ("national", "FCR-02", "一是落实公平竞争审查制度。\n二是全年审查规范性文件23件。", "measures", "partial"),
    ("national", "FCR-02", "（三）公平竞争审查\n对起草的3件规范性文件进行合法性审查。", "measures", "partial"),
    ("national", "FCR-02", "（三）公平竞争审查\n组织存量文件清理，共清理86件。", "measures", "partial"),
    ("national", "FCR-02", "全年审查规范性文件23件。", "measures", "missing"),
    # FCR-03: the review's scope phrase with a clean-up; 存量清理 beside fair-competition review
    ("national", "FCR-03", "对涉及经营主体经济活动的现行有效文件开展全面清理，废止2件。", "measures", "met"),
    ("national", "FCR-03", "严格落实公平竞争审查制度，完成存量清理工作。", "measures", "met"),
    ("national", "FCR-03", "完成存量债务清理3亿元。", "measures", "missing"),
    ("national", "FCR-03", "定期组织规范性文件评估与清理，废止5个。", "measures", "partial"),
    # FCR-04: 谁制定、谁审查 is the same principle as 谁起草、谁审查
    ("national", "FCR-04", "按照“谁制定、谁审查”原则开展公平竞争审查。", "measures", "met"),
    # FCR-01: enforcement rhetoric and legality review are not fair-competition review
    ("national", "FCR-01", "查处不正当竞争案件6起，维护公平竞争的市场秩序。", "measures", "missing"),
    ("national", "FCR-01", "对起草的3件规范性文件进行合法性审查。", "measures", "missing"),
    # HA-TES-01: the legal office named as a unit (法规科, 政策法规股) is the legal review
    ("henan", "HA-TES-01", "重大执法决定经局法规科审核后，提交局案件审理委员会集体讨论决定。", "measures", "met"),
    ("henan", "HA-TES-01", "重大行政处罚案件经政策法规股审查后，由局长办公会集体研究决定。", "measures", "met"),
    ("henan", "HA-TES-01", "重大行政决策经局党组会议集体讨论决定。", "measures", "missing"),
]


@pytest.fixture(scope="module")
def loaded():
    from compliance.rules.load import load_ruleset

    return {n: load_ruleset(n) for n in {c[0] for c in CASES}}


@pytest.mark.parametrize("name,rule_id,text,role,want", CASES, ids=[f"{c[1]}-{i}" for i, c in enumerate(CASES)])
def test_tes_fcr_wording(loaded, name, rule_id, text, role, want):
    from compliance.engine import evaluate
    from compliance.normalize import snippet_report

    res = evaluate(snippet_report(text, role=role), loaded[name], backend="reference", trace=False)
    got = next(r.status for r in res.results if r.rule_id == rule_id)
    assert got == want, f"{rule_id}: {text}"


def test_fair_competition_section_counts_on_the_durable_backend_too(loaded):
    """The heading-scoped count is a rule-language feature, so both backends must agree."""
    from compliance.engine import evaluate
    from compliance.normalize import snippet_report

    text = "（三）落实公平竞争审查\n全年审查涉企政策措施6件，其中修改1件。"
    rep = snippet_report(text, role="measures")
    ref = next(r for r in evaluate(rep, loaded["national"], backend="reference").results if r.rule_id == "FCR-02")
    dur = next(r for r in evaluate(rep, loaded["national"], backend="durable").results if r.rule_id == "FCR-02")
    assert ref.status == dur.status == "met"
    assert any("6件" in e.quote for e in ref.evidence)
