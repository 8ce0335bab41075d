"""Wordings met in real reports from bureaus the rules were not written on (an audit of 20 public
法治政府建设 reports of 交通、生态环境、应急、卫健、自然资源、发改、市场监管 bureaus and district
governments, 2019-2025). Each sample is paraphrased for this test: same phenomenon, new words."""

from __future__ import annotations

import pytest

CASES = [
    # (rule, text, role, expected, phenomenon)
    # AR-05: 当前和今后一个时期 is a stock phrase, not next year's plans
    ("AR-05", "召开党组会，把依法行政作为当前和今后一个时期的重点任务。", "measures", "missing", "stock phrase"),
    ("AR-05", "今后，我局将持续加强执法队伍建设。", "measures", "partial", "plans in passing still count"),
    # FRP-04: hearing/studying listed with 、; 研究 of studying the ideology is study, not FRP-04
    ("FRP-04", "全年3次组织班子成员专题听取、研究法治政府建设工作。", "measures", "met", "听取、研究"),
    ("FRP-04", "领导班子3月研究、部署依法行政重点工作。", "measures", "met", "研究、部署 with a date"),
    ("FRP-04", "领导班子研究、部署依法行政重点工作。", "measures", "partial", "研究、部署: the duty's wording, no act told"),
    ("FRP-04", "领导小组定期召开会议，研究部署全局法治建设。", "measures", "partial", "no trailing 工作/问题; 定期 is no count"),
    ("FRP-04", "领导小组听取各科室法治建设工作意见。", "measures", "met", "听取…意见"),
    ("FRP-04", "局长多次主持会议专题研究行政复议、规范性文件审核、执法监督等法治工作。", "measures", "met", "long list before 法治"),
    ("FRP-04", "召开党委会专题研究学习贯彻习近平法治思想。", "measures", "missing", "ideological study"),
    ("FRP-04", "局党组会议研究传达习近平法治思想学习纲要。", "measures", "missing", "传达 is study"),
    # FRP-10: commas inside the 同部署…同考核 series; 作为…工作实绩
    ("FRP-10", "依法行政与中心工作同部署，同推进，同检查，同考核。", "measures", "met", "commas in the series"),
    ("FRP-10", "把依法行政成效作为评价科室负责人工作实绩的重要依据。", "measures", "met", "工作实绩"),
    ("FRP-10", "推进法治建设，将安全生产纳入年度考核。", "measures", "missing", "neighbouring duty"),
    # FRP-05: the law named before 中心组; leaders 带头尊法学法
    ("FRP-05", "将宪法和民法典列入局党组理论学习中心组年度学习内容。", "measures", "met", "law before 中心组"),
    ("FRP-05", "局班子带头尊法学法守法用法。", "measures", "met", "带头学法"),
    # FRP-03: a first-responsible-person list is not the year's plan
    ("FRP-03", "制定了《局长履行推进法治建设第一责任人职责工作清单》。", "measures", "missing", "FRP duty list"),
    ("FRP-03", "将法治政府建设纳入本局党建工作总体部署和年度安排。", "measures", "met", "总体部署/年度安排"),
    # FRP-01: the principal head chairs meetings on rule-of-law work
    ("FRP-01", "局主要负责同志多次主持召开局务会研究部署依法行政工作。", "measures", "met", "head chairs"),
    ("FRP-01", "主要负责同志主持召开安全生产专题会议，推进依法治理。", "measures", "missing", "依法治理 is not 法治建设"),
    # FRP-02: a verb between 法治(工作) and 责任分工
    ("FRP-02", "对法治政府建设工作进行了责任分工。", "measures", "partial", "verb in between"),
    ("FRP-02", "进一步明确法治工作责任分工。", "measures", "partial", "法治工作"),
    # FRP-06: rule-of-law work written into the year-end 述职
    ("FRP-06", "将法治建设情况列入班子成员年终述职的内容。", "measures", "partial", "法治 before 述职"),
    # TES-04: major enforcement decisions under legal review, listed with other steps
    ("TES-04", "重大行政执法决定均依法履行调查取证、告知听证、集体讨论、合法性审查等程序。", "measures", "met", "合法性审查 after a list of steps"),
    ("TES-04", "重大行政决策出台前均经合法性审查。", "measures", "missing", "a decision, not enforcement"),
    # AR-06: the head's duty in passing, not in a heading
    ("AR-06", "（二）健全工作机制。局主要负责同志多次主持召开专题会议研究部署法治建设工作。", "measures", "partial", "in passing"),
    ("AR-06", "（二）履行第一责任，夯实法治根基。一是压实领导责任。", "measures", "met", "第一责任 abbreviated in a heading"),
    # FRP-04: 研究 directly followed by the rule-of-law work; 法治研究 (research) is not it
    ("FRP-04", "领导班子定期研究法治政府建设重点任务。", "measures", "partial", "研究法治…; no act told"),
    ("FRP-04", "与高校合作开展法治研究课题1项。", "measures", "missing", "research topic"),
    # FRP-05: a longer run between 学习 and the law
    ("FRP-05", "党组理论学习中心组先后6次集中学习党的二十大报告和习近平法治思想。", "measures", "met", "longer window"),
    # FRP-03: the year's rule-of-law work deployed, without a document name
    ("FRP-03", "对本年度的依法行政工作进行统筹部署。", "measures", "met", "年度…部署"),
    # planned marker: 拟 as an attribute (拟出台的…) names the thing, it is no intention
    ("FRP-08", "法律顾问参与本局拟出台的重大决策和规范性文件的审核。", "measures", "met", "拟出台的"),
    ("FRP-08", "拟于下半年聘请常年法律顾问。", "measures", "planned", "拟 still an intention"),
    # TES-04: 依法审批 is not 法审
    ("TES-04", "坚持依法审批，全年办理许可事项300件。", "measures", "missing", "依法审批"),
]


@pytest.fixture(scope="module")
def national():
    from compliance.rules.load import load_ruleset

    return load_ruleset("national")


@pytest.mark.parametrize("rule_id,text,role,want,why", CASES, ids=[f"{c[0]}-{c[4]}" for c in CASES])
def test_real_world_wording(national, rule_id, text, role, want, why):
    from compliance.engine import evaluate
    from compliance.normalize import snippet_report

    res = evaluate(snippet_report(text, role=role), national, backend="reference", trace=False)
    got = next(r.status for r in res.results if r.rule_id == rule_id)
    assert got == want, f"{rule_id} ({why}): {text}"
