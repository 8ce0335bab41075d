"""Cues written for many bureaus' wording, not one report's: varied phrasings from other
departments and the catalog's traps, each a short text written for this test."""

from __future__ import annotations

import pytest

CASES = [
    # (ruleset, rule, text, role, expected)
    ("national", "FRP-01", "局党组书记、局长认真履行推进法治建设第一责任人职责，做到重要工作亲自部署、重大问题亲自过问。", "measures", "met"),
    ("national", "FRP-01", "严格落实“一把手”抓法治责任。", "measures", "met"),
    ("national", "FRP-01", "局长作为安全生产第一责任人，亲自部署隐患排查。", "measures", "missing"),
    ("national", "FRP-02", "签订依法行政目标责任书。", "measures", "met"),
    ("national", "FRP-02", "印发年度重点工作任务清单，明确责任分工。", "measures", "missing"),
    ("national", "FRP-03", "年初印发《2023年度法治政府建设工作要点》。", "measures", "met"),
    ("national", "FRP-04", "召开党组会议3次专题研究法治政府建设工作。", "measures", "met"),
    ("national", "FRP-04", "局务会议听取依法行政工作情况汇报2次。", "measures", "met"),
    ("national", "FRP-04", "局党组专题研究道路建设项目推进工作。", "measures", "missing"),
    ("national", "FRP-05", "局党组理论学习中心组开展集体学法4次。", "measures", "met"),
    ("national", "FRP-05", "举办领导干部法治专题讲座2期。", "measures", "met"),
    ("national", "FRP-06", "持续开展述职述法，班子成员全部书面述法。", "measures", "met"),
    ("national", "FRP-07", "严格履行重大行政决策五项法定程序。", "measures", "met"),
    ("national", "FRP-08", "全面落实法律顾问制度，法律顾问审查合同45份。", "measures", "met"),
    ("national", "FRP-08", "与律师事务所签订常年法律顾问合同。", "measures", "met"),
    ("national", "FRP-08", "安排1名干部兼任物流园区企业法律顾问。", "measures", "missing"),
    ("national", "FRP-09", "全年被申请行政复议3起，均维持原行政行为。", "measures", "met"),
    ("national", "FRP-09", "行政机关负责人出庭应诉率100%。", "measures", "met"),
    ("national", "FRP-09", "未发生行政诉讼败诉案件。", "measures", "met"),
    ("national", "FRP-09", "对照新修订的行政复议法，梳理复议案件办理流程。", "measures", "partial"),
    ("national", "FRP-09", "组织学习新修订的《行政复议法》。", "measures", "missing"),
    ("national", "FRP-10", "将法治建设成效纳入局属单位年度绩效考核。", "measures", "met"),
    ("national", "FRP-10", "法治建设占年度考核分值5%。", "measures", "met"),
    ("national", "FRP-10", "我局在全市法治政府建设考核中获评优秀等次。", "measures", "missing"),
    ("national", "TES-02", "通过行政执法信息公示平台公开执法主体、人员、依据。", "measures", "met"),
    ("national", "TES-02", "落实“谁执法谁公示”，行政处罚决定在7个工作日内公示。", "measures", "met"),
    ("national", "TES-02", "在门户网站公示权责清单和办事指南。", "measures", "missing"),
    ("national", "TES-03", "推行执法全过程音视频记录。", "measures", "met"),
    ("national", "TES-04", "全年法制审核重大执法决定36件。", "measures", "met"),
    ("national", "TES-04", "对重大行政决策开展合法性审查。", "measures", "missing"),
    ("national", "TES-06", "新办理执法证件20个，年审执法证件80个。", "measures", "met"),
    ("national", "TES-07", "组织全员执法培训，人均学时达65学时。", "measures", "met"),
    ("national", "TES-07", "执法人员年均培训42学时。", "measures", "partial"),
    ("national", "TES-08", "开展卷宗评查2次。", "measures", "met"),
    ("national", "TES-08", "通过案卷评查补齐执法短板。", "measures", "met"),
    ("national", "TES-09", "修订完善行政处罚裁量权基准。", "measures", "met"),
    ("national", "FCR-01", "强化市场监管执法，维护公平竞争的市场秩序。", "measures", "missing"),
    ("national", "FCR-02", "全年对15件涉及市场主体经济活动的政策措施进行公平竞争审查。", "measures", "met"),
    ("national", "FCR-03", "集中清理妨碍统一市场和公平竞争的政策措施。", "measures", "met"),
    ("national", "AR-08", "2022年度法治政府建设情况报告已于2023年2月在局网站公开。", "measures", "met"),
    ("national", "AR-08", "按时向县委县政府报送2022年度法治政府建设年度报告，并在政府门户网站公开。", "measures", "met"),
    ("national", "TES-07", "全局干部在干部网络学院人均学习65学时。", "measures", "missing"),
    ("national", "TES-07", "每名执法人员全年培训不少于60学时。", "measures", "met"),
    ("national", "AR-04", "（二）原因分析\n一是思想认识不到位。二是执法力量不足。", "problems", "met"),
    ("national", "FRP-10", "在全市依法行政考核中获得优秀等次。", "measures", "missing"),
    ("national", "FCR-04", "对制定的3件政策措施进行公平竞争审查。", "measures", "missing"),
    ("national", "FCR-04", "在起草阶段同步开展公平竞争审查。", "measures", "met"),
    ("national", "TES-03", "部分现场执法未全程记录。", "measures", "self_reported_gap"),
    ("national", "TES-02", "“双公示”信息未及时上传。", "measures", "self_reported_gap"),
    ("national", "FRP-01", "局长切实履行推进法治建设第一责任人职责，亲自过问信访积案化解。", "measures", "met"),
    ("national", "FRP-01", "局长亲自部署安全生产大检查，推动依法治理。", "measures", "missing"),
    # a cue's window does not run across a comma into the next statement
    ("national", "TES-02", "坚持政务公开，行政许可事项全部网上办理。", "measures", "missing"),
    ("national", "FRP-03", "制定了安全生产工作要点，推进法治政府建设重点工作。", "measures", "missing"),
    ("national", "FRP-10", "推进法治建设，将安全生产纳入年度考核。", "measures", "missing"),
    # polarity: the markers are not bare 未/无/不/将/拟
    ("national", "TES-06", "执法人员全部持证上岗，无无证执法情况。", "measures", "met"),
    ("national", "FRP-10", "将依法行政纳入年度考核。", "measures", "met"),
    ("national", "TES-07", "参加执法程序模拟竞赛，执法人员培训18期。", "measures", "partial"),
    ("national", "TES-03", "下一步将全面推行执法全过程记录。", "measures", "planned"),
    ("national", "TES-03", "执法记录仪配备不足。", "measures", "self_reported_gap"),
    # in a problems section, a clause that says it was done is positive for what it names
    ("national", "TES-03", "执法全过程记录制度已全面落实，但执法记录仪配备仍然不足。", "problems", "met"),
    ("national", "TES-03", "执法全过程记录制度落实不到位。", "problems", "self_reported_gap"),
    # provinces
    ("zhejiang", "ZJ-FCR-01", "重大行政决策均履行公众参与、合法性审查和公平竞争审查程序。", "measures", "met"),
    ("zhejiang", "ZJ-TES-02", "依托“浙里执法”平台办案，掌上执法检查率95%。", "measures", "met"),
    ("liaoning", "LN-FRP-01", "局长在市委依法治市办组织的述法会上专题述法。", "measures", "met"),
    ("henan", "HA-TES-01", "重大处罚案件经法制审核后提交案审会集体讨论。", "measures", "met"),
    ("henan", "HA-TES-02", "推行服务型行政执法，开展行政指导。", "measures", "met"),
]


@pytest.fixture(scope="module")
def loaded():
    from compliance.rules.load import load_ruleset

    return {n: load_ruleset(n) for n in {c[0] for c in CASES}}


@pytest.mark.parametrize("name,rule_id,text,role,want", CASES, ids=[f"{c[1]}-{i}" for i, c in enumerate(CASES)])
def test_wording(loaded, name, rule_id, text, role, want):
    from compliance.engine import evaluate
    from compliance.normalize import snippet_report

    res = evaluate(snippet_report(text, role=role), loaded[name], backend="reference", trace=False)
    got = next(r.status for r in res.results if r.rule_id == rule_id)
    assert got == want, f"{rule_id}: {text}"


def test_zhejiang_stricter_publication_date_turns_a_march_report_late():
    """A report dated 2024-03-20 on 2023 is inside the national publication window, not Zhejiang's."""
    from compliance.engine import evaluate
    from compliance.models import Meta
    from compliance.normalize import snippet_report
    from compliance.rules.load import load_ruleset

    rep = snippet_report("我局深入推进依法行政。", role="measures")
    rep.meta = Meta.model_validate({**rep.meta.model_dump(), "period": (2023, 2023), "date": "2024-03-20"})
    nat = next(r for r in evaluate(rep, load_ruleset("national"), backend="reference").results if r.rule_id == "AR-07")
    zj = next(r for r in evaluate(rep, load_ruleset("zhejiang"), backend="reference").results if r.rule_id == "AR-07")
    assert nat.status == zj.status == "partial"
    assert "2024-03-01" in nat.message and "19" in nat.message  # filed 19 days after 03-01
    assert "2024-03-01" in zj.message
    nat_late = [n.reason for n in nat.trace.near_misses]
    assert any("晚于报送期限 2024-03-01 共 19 天" in r for r in nat_late)
