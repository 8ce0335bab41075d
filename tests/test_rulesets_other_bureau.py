"""Whole reports from other kinds of bureau and other provinces, written for these tests, checked
end to end: the rules must read wording they were not tuned on."""

from __future__ import annotations

import pytest

REPORT = """\
某县生态环境分局关于2023年度法治政府建设情况的报告
县委、县政府：
2023年，我局坚持以习近平法治思想为指导，深入推进依法行政，现将有关情况报告如下。
一、2023年度推进法治政府建设的主要举措和成效
（一）加强组织领导。局党组书记、局长切实履行推进法治建设第一责任人职责，全年召开党组会议4次专题研究法治建设工作，制定印发《2023年度法治政府建设工作要点》，将法治建设纳入局属单位年度目标考核。2023年2月向县委、县政府报送2022年度法治政府建设情况报告，并在县政府门户网站向社会公开。
（二）加强学法用法。坚持党组理论学习中心组集体学法，全年开展会前学法10次。组织干部职工参加年度学法考试，参考率100%。
（三）规范行政决策。严格落实重大行政决策程序，对《某县大气污染防治攻坚方案》履行公众参与、专家论证、风险评估、合法性审查、集体讨论决定程序。聘请律师事务所担任常年法律顾问，审查合同12份。
（四）严格规范公正文明执法。全面落实行政执法公示、执法全过程记录、重大执法决定法制审核制度，全年作出行政处罚决定56件，全部在7个工作日内公示。配备执法记录仪30台。重大行政处罚案件经法制审核后由局案审会集体讨论决定，全年法制审核案件21件。全局执法人员42人，法制审核人员3人。新申领执法证件5人。组织执法人员培训4期，人均完成62学时。开展案卷评查2次，评查案卷40卷。严格执行《河南省生态环境行政处罚裁量基准》。推行服务型行政执法，对轻微违法行为开展行政指导35次。
（五）化解行政争议。全年发生行政复议案件2件，行政诉讼案件1件，无败诉案件，负责人出庭应诉率100%。
（六）开展公平竞争审查。对起草的2件涉企政策文件开展公平竞争审查，未发现排除、限制竞争内容。
二、存在的不足和原因
一是执法人员专业能力不足，主要是近年新进人员较多，培训不够系统。二是部分执法案卷制作还不够规范，原因在于案卷评查结果运用不够。
三、2024年工作安排
一是持续深化学法用法。二是开展存量政策措施清理。三是推动领导干部年终述法。
某县生态环境分局
2024年2月26日
"""

EXPECTED = {
    "AR-01": "met", "AR-02": "met", "AR-03": "met", "AR-04": "met", "AR-05": "met",
    "AR-06": "met",  # the first sentence after the item's heading 加强组织领导 is the duty (readers: a dedicated item)
    "AR-07": "met", "AR-08": "met",
    "FRP-01": "met", "FRP-02": "missing", "FRP-03": "met", "FRP-04": "met", "FRP-05": "met",
    "FRP-07": "met", "FRP-08": "met", "FRP-09": "met", "FRP-10": "met",
    "TES-01": "met", "TES-02": "met", "TES-03": "met", "TES-04": "met",
    "TES-05": "met",  # 3 of 42 = 7.1% >= 5%
    "TES-06": "met", "TES-07": "met", "TES-08": "met", "TES-09": "met",
    "FCR-01": "met", "FCR-02": "met", "FCR-04": "missing",
    "FCR-05": "not_applicable",  # period 2023, before the 2024 regulation
    "HA-TES-01": "met", "HA-TES-02": "met",
}
# Items listed under the plans heading are plans, whatever verbs they start with.
PLANNED_ONLY = {"FRP-06": "planned", "FCR-03": "planned"}


@pytest.fixture(scope="module")
def result(tmp_path_factory):
    from compliance.pipeline import check_report, load_report

    p = tmp_path_factory.mktemp("other") / "shengtai-2023-report.txt"
    p.write_text(REPORT, encoding="utf-8")
    report = load_report(p)
    return report, check_report(report, "auto")


def test_picks_the_henan_ruleset(result):
    report, res = result
    assert report.meta.province == "河南省"
    assert res.ruleset.name == "henan"


def test_statuses(result):
    _, res = result
    got = {r.rule_id: r.status for r in res.results}
    wrong = {k: (got.get(k), v) for k, v in EXPECTED.items() if got.get(k) != v}
    assert not wrong, wrong


def test_items_under_the_plans_heading_are_planned(result):
    _, res = result
    got = {r.rule_id: r.status for r in res.results}
    assert {k: got.get(k) for k in PLANNED_ONLY} == PLANNED_ONLY


def test_ratio_message_shows_the_threshold(result):
    _, res = result
    r = next(x for x in res.results if x.rule_id == "TES-05")
    assert "5%" in r.message


# A Liaoning work summary full of the catalog's traps: intentions, admissions, service-information
# 公示, a company adviser, studying the 复议法, a ranking, a late date.
TRAPS = """\
某市自然资源局2024年法治政府建设工作总结
2024年，在市委、市政府的正确领导下，我局扎实推进法治政府部门建设，现将工作情况总结如下。
一、主要工作开展情况
（一）履行第一责任人职责。局主要负责人切实履行推进法治建设第一责任人职责，亲自部署年度法治工作。局主要负责人在市委全面依法治市委员会会议上进行述法。印发《2024年重点工作任务清单》，拟于明年制定第一责任人职责清单。
（二）推进公平竞争审查。严格依照《公平竞争审查条例》，对制定的3件政策措施进行公平竞争审查，均未发现排除、限制竞争内容。
（三）规范行政执法。全面公示办事指南和办事流程。执法记录仪配备不足，部分现场执法未全程记录。组织学习新修订的行政复议法。选派2名干部担任企业法律顾问，开展送法进企活动。在全省自然资源系统法治建设考核中排名第一。
二、存在问题
一是重大行政决策风险评估程序执行不够规范。二是执法人员培训不够系统。
三、下一步工作打算
一是开展执法案卷评查。二是推动法律顾问全覆盖。
某市自然资源局
2025年4月15日
"""

TRAPS_EXPECTED = {
    "AR-04": "missing",  # problems listed, no causes
    "AR-06": "met",  # an item headed 履行第一责任人职责
    "AR-07": "partial",  # dated 2025-04-15: 45 days after 03-01, also after the 04-01 publication date
    "FRP-01": "met",
    "FRP-02": "planned",  # a generic 重点工作任务清单 does not count; the duty list is only 拟
    "FRP-06": "met", "LN-FRP-01": "met",
    "FRP-07": "self_reported_gap",  # admitted in 存在问题, nothing positive
    "FRP-08": "planned",  # a cadre as a company's adviser is not the bureau's adviser
    "FRP-09": "missing",  # studying the 复议法
    "FRP-10": "missing",  # a ranking by the province
    "TES-02": "missing",  # 办事指南 公示
    "TES-03": "self_reported_gap",  # 配备不足, 未全程记录
    "TES-07": "self_reported_gap",
    "TES-08": "planned",
    "FCR-01": "met", "FCR-02": "met", "FCR-04": "missing", "FCR-05": "met",
}


def test_traps_report(tmp_path):
    from compliance.pipeline import check_report, load_report

    p = tmp_path / "ziranziyuan-2024-summary.txt"
    p.write_text(TRAPS, encoding="utf-8")
    res = check_report(load_report(p), "liaoning")
    got = {r.rule_id: r.status for r in res.results}
    wrong = {k: (got.get(k), v) for k, v in TRAPS_EXPECTED.items() if got.get(k) != v}
    assert not wrong, wrong
    ar07 = next(r for r in res.results if r.rule_id == "AR-07")
    assert "45" in ar07.message


# A Zhejiang county 综合行政执法局: the provincial rules, and the stricter 03-01 publication date.
ZHEJIANG = """\
某县综合行政执法局2023年度法治政府建设工作报告
2023年，我局在县委、县政府领导下，深入推进“大综合一体化”行政执法改革，现将有关情况报告如下。
一、主要举措和成效
（一）深化“大综合一体化”改革。承接划转执法事项128项，全部纳入综合行政执法事项统一目录。
（二）推进数字化执法。执法案件全部通过浙江省统一行政执法监管平台办理，掌上执法检查率98%。加入县级法制审核协作机制，线上协同法制审核案件15件。
（三）规范重大行政决策。《县城市容环境提升方案》作为重大行政决策，履行公众参与、专家论证、风险评估、合法性审查、公平竞争审查和集体讨论决定程序。
（四）落实三项制度。全面推行行政执法公示、执法全过程记录、重大执法决定法制审核制度。
二、存在问题
一是基层执法力量薄弱，主要原因是人员编制不足。二是数字化平台应用还不够深入，导致部分数据重复录入。
三、2024年工作思路
一是持续深化改革。二是加强执法队伍建设。
某县综合行政执法局
2024年3月10日
"""

ZHEJIANG_EXPECTED = {
    "AR-04": "met", "AR-07": "partial", "FRP-07": "met", "TES-01": "met", "FCR-01": "met",
    "ZJ-FCR-01": "met", "ZJ-TES-01": "met", "ZJ-TES-02": "met", "ZJ-TES-03": "met",
    "TES-05": "missing", "TES-07": "missing",
}


def test_zhejiang_report(tmp_path):
    from compliance.pipeline import check_report, load_report

    p = tmp_path / "zonghe-2023-report.txt"
    p.write_text(ZHEJIANG, encoding="utf-8")
    res = check_report(load_report(p), "auto")
    assert res.ruleset.name == "zhejiang"
    got = {r.rule_id: r.status for r in res.results}
    wrong = {k: (got.get(k), v) for k, v in ZHEJIANG_EXPECTED.items() if got.get(k) != v}
    assert not wrong, wrong
    ar07 = next(r for r in res.results if r.rule_id == "AR-07")
    assert "2024-03-01" in ar07.message and "9" in ar07.message
