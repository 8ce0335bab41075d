"""Hand-built results with realistic Chinese content, for the batch and render tests (they do not
need the engine). Line numbers refer to the texts in SAMPLE_TEXTS."""

from __future__ import annotations

from compliance.batch.post import build_result
from compliance.models import (
    Evidence,
    Meta,
    NearMiss,
    ReportResult,
    RuleResult,
    RulesetRef,
    Score,
    Section,
    Trace,
)

PANJIN_LINES = [
    "盘锦市交通运输局关于2024年法治政府建设情况的报告",
    "盘锦市人民政府:",
    "一、主要工作开展情况",
    "(一)高位推进法治政府建设",
    "建立了法治建设“第一责任人”职责清单并在网站公示。",
    "对122个重大行政处罚案件,邀请法律顾问进行审核,前移执法监督审核关口。",
    "开展执法人员培训18次,人均完成128学时。",
    "二、存在问题",
    "部分执法人员法律知识储备不足,存在本领恐慌。",
    "三、下步重点工作安排",
    "进一步推进行政执法全过程记录,探索<script>alert(1)</script>公平竞争审查。",
    "盘锦市交通运输局",
    "2025年2月22日",
]

HAIYAN_LINES = [
    "海盐县交通运输局2020年法治政府建设工作要点",
    "一、加强组织领导",
    "主要负责人切实履行推进法治建设第一责任人职责。",
    "二、严格规范执法",
    "全面推行行政执法公示制度、执法全过程记录制度、重大执法决定法制审核制度。",
]


def _rr(rule_id, family, title, status, severity, points, earned, message, evidence=(), basis=None, trace=None):
    return RuleResult(
        rule_id=rule_id,
        family=family,
        title=title,
        status=status,
        severity=severity,
        points=points,
        earned=earned,
        message=message,
        basis=basis or ["《法治政府建设与责任落实督察工作规定》第二十五条"],
        evidence=list(evidence),
        remediation=f"补充说明{title}的具体做法和成效。",
        trace=trace,
    )


def panjin(source: str = "reports/panjin-2024-report.txt") -> ReportResult:
    ev_frp = Evidence(quote="建立了法治建设“第一责任人”职责清单并在网站公示。", line=5,
                      section="一、主要工作开展情况/(一)高位推进法治政府建设", role="measures", polarity="positive", cue="第一责任人")
    ev_tes = Evidence(quote="对122个重大行政处罚案件,邀请法律顾问进行审核", line=6,
                      section="一、主要工作开展情况/(一)高位推进法治政府建设", role="measures", polarity="positive")
    ev_train = Evidence(quote="开展执法人员培训18次,人均完成128学时。", line=7,
                        section="一、主要工作开展情况/(一)高位推进法治政府建设", role="measures", polarity="positive")
    ev_rec = Evidence(quote="进一步推进行政执法全过程记录,探索<script>alert(1)</script>公平竞争审查。", line=11,
                      section="三、下步重点工作安排", role="plans", polarity="planned")
    results = [
        _rr("AR-01", "AR", "报告期明确", "met", "minor", 2, 2, "标题载明2024年。",
            [Evidence(quote="盘锦市交通运输局关于2024年法治政府建设情况的报告", line=1, section="", role="preamble", polarity="positive")]),
        _rr("FRP-01", "FRP", "第一责任人职责清单", "met", "major", 4, 4, "已建立第一责任人职责清单。", [ev_frp]),
        _rr("TES-03", "TES", "执法全过程记录", "planned", "major", 4, 1, "仅在下一步工作中提及执法全过程记录。", [ev_rec]),
        _rr("TES-05", "TES", "执法人员培训不少于60学时", "partial", "minor", 2, 1, "有培训学时,未说明全员达标。", [ev_train]),
        _rr("TES-09", "TES", "重大执法决定法制审核", "met", "major", 4, 4, "重大行政处罚案件经法律顾问审核。", [ev_tes]),
        _rr("FCR-01", "FCR", "开展公平竞争审查", "missing", "critical", 6, 0, "报告未提及公平竞争审查。",
            basis=["《公平竞争审查条例》第八条"],
            trace=Trace(backend="durable", searched=["公平竞争审查"], near_misses=[
                NearMiss(quote="探索公平竞争审查", line=11, section="三、下步重点工作安排", role="plans", reason="only planned")])),
        _rr("AR-08", "AR", "存在问题具体", "self_reported_gap", "minor", 2, 0.5, "报告自述法律知识储备不足。",
            [Evidence(quote="部分执法人员法律知识储备不足,存在本领恐慌。", line=9, section="二、存在问题", role="problems", polarity="negative")]),
    ]
    applicable = sum(r.points for r in results)
    earned = sum(r.earned for r in results)
    by_family = {}
    for fam in ("AR", "FRP", "TES", "FCR"):
        rs = [r for r in results if r.family == fam]
        by_family[fam] = round(100 * sum(r.earned for r in rs) / sum(r.points for r in rs), 1)
    total = round(100 * earned / applicable, 1)
    return ReportResult(
        source=source,
        sha256="a" * 64,
        meta=Meta(title=PANJIN_LINES[0], issuer="盘锦市交通运输局", province="辽宁省", city="盘锦市", level="city",
                  doc_type="annual_report", period=(2024, 2024)),
        sections=[
            Section(id=1, heading="一、主要工作开展情况", number="一、", level=1, role="measures", line=3, path="一、主要工作开展情况"),
            Section(id=2, heading="二、存在问题", number="二、", level=1, role="problems", line=8, path="二、存在问题"),
            Section(id=3, heading="三、下步重点工作安排", number="三、", level=1, role="plans", line=10, path="三、下步重点工作安排"),
        ],
        ruleset=RulesetRef(name="liaoning", version="2024.1", chain=["national", "liaoning"]),
        results=results,
        score=Score(total=total, by_family=by_family, grade="合格" if total >= 60 else "不合格"),
    )


def haiyan(source: str = "reports/haiyan-2020-plan.txt") -> ReportResult:
    results = [
        _rr("FRP-01", "FRP", "第一责任人职责清单", "planned", "major", 4, 4, "计划文件中部署第一责任人职责。",
            [Evidence(quote="主要负责人切实履行推进法治建设第一责任人职责。", line=3, section="一、加强组织领导", role="measures", polarity="planned")]),
        _rr("TES-03", "TES", "执法全过程记录", "met", "major", 4, 4, "部署了三项制度。",
            [Evidence(quote="全面推行行政执法公示制度、执法全过程记录制度、重大执法决定法制审核制度。", line=5, section="二、严格规范执法", role="measures", polarity="planned")]),
        _rr("FCR-01", "FCR", "开展公平竞争审查", "missing", "critical", 6, 0, "未部署公平竞争审查。", basis=["《公平竞争审查条例》第八条"]),
        _rr("AR-01", "AR", "报告期明确", "not_applicable", "minor", 2, 0, "计划文件不适用。"),
    ]
    return ReportResult(
        source=source,
        sha256="b" * 64,
        meta=Meta(title=HAIYAN_LINES[0], issuer="海盐县交通运输局", province="浙江省", city="嘉兴市", county="海盐县",
                  level="county", doc_type="plan", period=(2020, 2020)),
        sections=[Section(id=1, heading="一、加强组织领导", number="一、", level=1, role="measures", line=2, path="一、加强组织领导")],
        ruleset=RulesetRef(name="zhejiang", version="2024.1", chain=["national", "zhejiang"]),
        results=results,
        score=Score(total=57.1, by_family={"FRP": 100.0, "TES": 100.0, "FCR": 0.0, "AR": None}, grade="不合格"),
        warnings=["文件类型为计划（plan），计划内容按满分计入。"],
    )


def batch():
    return build_result([panjin(), haiyan()])


def lines_by_source():
    return {"reports/panjin-2024-report.txt": PANJIN_LINES, "reports/haiyan-2020-plan.txt": HAIYAN_LINES}
