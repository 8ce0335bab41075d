"""Evidence kinds, polarity and statuses on small texts, against a test ruleset written here."""

from __future__ import annotations

import datetime as dt
import json
import textwrap

import pytest

from compliance.engine import evaluate
from compliance.engine.synth import build_report
from compliance.rules.load import load_ruleset

RULESET = textwrap.dedent(
    """
    name: etest
    version: "1"
    parameters:
      hours_min: 60
      ratio_min: 0.05
      pct_min: 5
      deadline: "Y+1-03-01"
      cues_record: [全过程记录, 执法记录仪]
    markers:
      negation: [尚未, 未能, 不够, 有待, 不足]
      planned: [计划, 力争, 下一步]
    rules:
      - id: P-ANY
        family: P
        title: 执法公示
        severity: major
        points: 4
        applies_to: [annual_report, plan]
        basis: [三项制度意见]
        evidence:
          met: [{presence: {any: [执法公示, 双公示]}}]
        message: {default: 未见执法公示, met: "已落实（{found}）"}
        remediation: r
      - id: P-REC
        family: P
        title: 全过程记录
        severity: major
        points: 4
        applies_to: [annual_report, plan]
        basis: [三项制度意见]
        evidence:
          met: [{presence: {any: [$cues_record]}}]
        message: m
        remediation: r
      - id: P-NEAR
        family: P
        title: 听取法治汇报
        severity: major
        points: 3
        applies_to: [annual_report]
        basis: [b]
        evidence:
          met: [{presence: {any: [听取], near: {any: [法治], within: clause}}}]
        message: m
        remediation: r
      - id: P-NEAR-INT
        family: P
        title: 近距离
        severity: minor
        points: 1
        applies_to: [annual_report]
        basis: [b]
        evidence:
          met: [{presence: {any: [述法], near: {any: [述职], within: 6}, scope: paragraph}}]
        message: m
        remediation: r
      - id: P-NOT
        family: P
        title: 法律顾问
        severity: minor
        points: 2
        applies_to: [annual_report]
        basis: [b]
        evidence:
          met: [{presence: {any: [法律顾问], not: [送法进企]}}]
        message: m
        remediation: r
      - id: P-GROUPS
        family: P
        title: 决策程序
        severity: major
        points: 4
        applies_to: [annual_report]
        basis: [b]
        evidence:
          met: [{presence: {groups: [[公众参与], [专家论证], [风险评估], [合法性审查], [集体讨论]], min_groups: 4, scope: paragraph}}]
          partial: [{presence: {groups: [[公众参与], [专家论证], [风险评估], [合法性审查], [集体讨论]], min_groups: 2, scope: paragraph}}]
        message: m
        remediation: r
      - id: P-ALL
        family: P
        title: all
        severity: minor
        points: 1
        applies_to: [annual_report]
        basis: [b]
        evidence:
          met: [{presence: {all: [存量, 清理], scope: sentence}}]
        message: m
        remediation: r
      - id: P-HEAD
        family: P
        title: 第一责任人专述
        severity: major
        points: 4
        applies_to: [annual_report]
        basis: [b]
        evidence:
          met: [{presence: {any: [第一责任人], where: heading}}]
          partial: [{presence: {any: [第一责任人]}}]
        message: m
        remediation: r
      - id: P-COUNT
        family: P
        title: 两次以上
        severity: minor
        points: 1
        applies_to: [annual_report]
        basis: [b]
        evidence:
          met: [{presence: {any: [集体学法], min_count: 2}}]
          partial: [{presence: {any: [集体学法]}}]
        message: m
        remediation: r
      - id: Q-HOURS
        family: Q
        title: 培训学时
        severity: minor
        points: 2
        applies_to: [annual_report]
        basis: [b]
        evidence:
          met: [{quantity: {cue: [培训], unit: [学时], op: ">=", threshold: $hours_min}}]
          partial: [{quantity: {cue: [培训], unit: [学时]}}, {presence: {any: [执法培训]}}]
        message: {default: 未见培训, met: "培训{value}", partial: "培训{value}，低于{threshold}学时"}
        remediation: r
      - id: Q-RATIO
        family: Q
        title: 法制审核人员比例
        severity: minor
        points: 2
        applies_to: [annual_report]
        basis: [b]
        evidence:
          met:
            - quantity: {ratio: [{cue: [法制审核人员]}, {cue: [执法人员]}], op: ">=", threshold: $ratio_min}
            - quantity: {cue: [法制审核人员], unit: ["%"], op: ">=", threshold: $pct_min}
          partial: [{presence: {any: [法制审核人员]}}]
        message: {default: "比例{ratio}", partial: "比例{ratio}，要求{threshold}"}
        remediation: r
      - id: D-DATE
        family: D
        title: 按时报告
        severity: critical
        points: 4
        applies_to: [annual_report]
        basis: [b]
        evidence:
          met: [{date: {on_or_before: $deadline}}]
          partial: [{date: {on_or_before: "Y+1-04-01"}}, {date: {}}]
        message: {default: 未见日期, met: "{date}", partial: "{date}，逾期{delay_days}天（{deadline}）"}
        remediation: r
      - id: S-PROB
        family: S
        title: 问题
        severity: major
        points: 4
        applies_to: [annual_report]
        basis: [b]
        evidence:
          met: [{structure: {role: problems, min_items: 1}}]
        message: {default: m, met: "{count}项"}
        remediation: r
      - id: S-CAUSE
        family: S
        title: 原因
        severity: minor
        points: 2
        applies_to: [annual_report]
        basis: [b]
        evidence:
          met: [{structure: {role: problems, contains: [由于, 原因], min_hits: 1}}]
          partial: [{structure: {role: problems}}]
        message: m
        remediation: r
      - id: M-PERIOD
        family: M
        title: 报告期
        severity: minor
        points: 2
        applies_to: [annual_report]
        basis: [b]
        evidence:
          met: [{meta: {field: period}}]
        message: {default: m, met: "{found}"}
        remediation: r
      - id: W-2024
        family: W
        title: 条例
        severity: minor
        points: 3
        applies_to: [annual_report]
        when: {period_end_min: 2024}
        basis: [b]
        evidence:
          met: [{presence: {any: [公平竞争审查条例]}}]
        message: m
        remediation: r
      - id: W-ZJ
        family: W
        title: 浙江
        severity: minor
        points: 2
        applies_to: [annual_report]
        when: {province: [浙江省]}
        basis: [b]
        evidence:
          met: [{presence: {any: [公平竞争审查]}}]
        message: m
        remediation: r
      - id: AND-1
        family: W
        title: all_of
        severity: minor
        points: 1
        applies_to: [annual_report]
        basis: [b]
        evidence:
          met: [{all_of: [{presence: {any: [案卷评查]}}, {quantity: {cue: [案卷], unit: [份]}}]}]
          partial: [{presence: {any: [案卷评查]}}]
        message: m
        remediation: r
      - id: DER-ALL
        family: DER
        title: 三项制度
        severity: major
        points: 3
        applies_to: [annual_report, plan]
        basis: [b]
        derived: {from: [P-ANY, P-REC, Q-HOURS]}
        message: {default: "{found}"}
        remediation: r
      - id: DER-ANY
        family: DER
        title: any
        severity: minor
        points: 1
        applies_to: [annual_report]
        basis: [b]
        derived: {from: [P-ANY, P-REC], mode: any}
        message: m
        remediation: r
      - id: DER-WEAK
        family: DER
        title: weakest
        severity: minor
        points: 1
        applies_to: [annual_report]
        basis: [b]
        derived: {from: [P-ANY, P-REC], mode: weakest}
        message: m
        remediation: r
      - id: DER-CHAIN
        family: DER
        title: chain
        severity: minor
        points: 1
        applies_to: [annual_report]
        basis: [b]
        derived: {from: [DER-ALL, W-2024], mode: weakest}
        message: m
        remediation: r
    """
)

BACKENDS = ["reference", "durable"]


@pytest.fixture(scope="module")
def rs(tmp_path_factory):
    p = tmp_path_factory.mktemp("rs") / "etest.yaml"
    p.write_text(RULESET, encoding="utf-8")
    return load_ruleset(p)


def run(rs, sections, backend="reference", **kw):
    return evaluate(build_report(sections, **kw), rs, backend=backend)


def st(res, rid):
    return next(r for r in res.results if r.rule_id == rid)


@pytest.mark.parametrize("backend", BACKENDS)
def test_presence_met_with_line_of_cue_on_wrapped_paragraph(rs, backend):
    res = run(rs, [("一、主要工作", "measures", [["我局认真落实各项制度，", "全面推行行政执法公示制度。"]])], backend)
    r = st(res, "P-ANY")
    assert r.status == "met"
    assert r.message == "已落实（执法公示）"
    assert r.evidence[0].line == 4  # title 1, heading 2, paragraph lines 3-4; the cue is on line 4
    assert r.evidence[0].polarity == "positive"
    assert r.evidence[0].section == "一、主要工作"


@pytest.mark.parametrize("backend", BACKENDS)
def test_negation_of_neighbouring_duty_in_same_sentence_does_not_spread(rs, backend):
    res = run(rs, [("一、主要工作", "measures", ["建立了执法公示制度，但全过程记录尚未落实。"])], backend)
    assert st(res, "P-ANY").status == "met"
    assert st(res, "P-REC").status == "self_reported_gap"
    assert st(res, "P-REC").evidence[0].polarity == "negative"


@pytest.mark.parametrize("backend", BACKENDS)
def test_roles_plans_planned_problems_gap(rs, backend):
    res = run(rs, [("一、存在问题", "problems", ["执法公示内容更新慢。"]), ("二、下一步工作", "plans", ["推广使用执法记录仪。"])], backend)
    assert st(res, "P-ANY").status == "self_reported_gap"
    assert st(res, "P-REC").status == "planned"


def test_planned_marker_in_clause(rs):
    res = run(rs, [("一、主要工作", "measures", ["计划配备执法记录仪，已开展执法公示。"])])
    assert st(res, "P-REC").status == "planned"
    assert st(res, "P-ANY").status == "met"


def test_positive_wins_over_admitted_gap(rs):
    res = run(rs, [("一、主要工作", "measures", ["推行执法公示。"]), ("二、存在问题", "problems", ["执法公示不够规范。"])])
    r = st(res, "P-ANY")
    assert r.status == "met"
    assert [e.polarity for e in r.evidence] == ["positive", "negative"]


def test_closing_section_ignored(rs):
    res = run(rs, [("一、主要工作", "measures", ["做好其他工作。"]), ("抄送", "closing", ["执法公示办公室"])])
    assert st(res, "P-ANY").status == "missing"


def test_plan_document_everything_planned_full_credit(rs):
    res = run(rs, [("一、主要任务", "measures", ["全面推行执法公示。", "配备执法记录仪。"])], doc_type="plan")
    r = st(res, "P-ANY")
    assert r.status == "planned" and r.earned == r.points
    assert st(res, "Q-HOURS").status == "not_applicable"


@pytest.mark.parametrize("backend", BACKENDS)
def test_near(rs, backend):
    ok = run(rs, [(None, "measures", ["党组会听取法治政府建设工作汇报。"])], backend)
    assert st(ok, "P-NEAR").status == "met"
    far = run(rs, [(None, "measures", ["听取信访工作汇报，推进法治宣传。"])], backend)
    r = st(far, "P-NEAR")
    assert r.status == "missing"
    assert any("缺少同现词（需与“法治”同分句）" in n.reason for n in r.trace.near_misses)


def test_near_within_characters(rs):
    assert st(run(rs, [(None, "measures", ["开展述职述法活动。"])]), "P-NEAR-INT").status == "met"
    assert st(run(rs, [(None, "measures", ["开展述职工作，年底组织全体领导干部进行述法。"])]), "P-NEAR-INT").status == "missing"


def test_not_excludes_scope(rs):
    res = run(rs, [(None, "measures", ["选派干部担任企业法律顾问，开展送法进企活动。"])])
    r = st(res, "P-NOT")
    assert r.status == "missing"
    assert any("含排除词“送法进企”" in n.reason for n in r.trace.near_misses)
    assert st(run(rs, [(None, "measures", ["聘请法律顾问2名。"])]), "P-NOT").status == "met"


def test_groups_and_all(rs):
    four = run(rs, [(None, "measures", ["重大行政决策坚持公众参与、专家论证、风险评估。经合法性审查后集体讨论决定。"])])
    assert st(four, "P-GROUPS").status == "met"
    two = run(rs, [(None, "measures", ["重大行政决策坚持公众参与和专家论证。"])])
    assert st(two, "P-GROUPS").status == "partial"
    split = run(rs, [(None, "measures", ["坚持公众参与。", "开展专家论证。"])])
    assert st(split, "P-GROUPS").status == "missing"  # per paragraph: two paragraphs, one step each
    assert st(run(rs, [(None, "measures", ["开展存量政策措施清理。"])]), "P-ALL").status == "met"
    assert st(run(rs, [(None, "measures", ["开展存量审查。", "开展清理。"])]), "P-ALL").status == "missing"


def test_where_heading_and_item_lead(rs):
    head = run(rs, [("三、履行第一责任人职责情况", "frp", ["局长亲自部署。"])])
    assert st(head, "P-HEAD").status == "met"
    lead = run(rs, [("一、主要工作", "measures", ["（三）压实第一责任人职责。局长亲自部署法治工作。"])])
    assert st(lead, "P-HEAD").status == "met"
    inline = run(rs, [("一、主要工作", "measures", ["一是加强学法；二是压实第一责任人职责，局长亲自部署。"])])
    assert st(inline, "P-HEAD").status == "met"  # 二是 opens an item inside the paragraph
    body = run(rs, [("一、主要工作", "measures", ["局长亲自部署，切实履行第一责任人职责。"])])
    r = st(body, "P-HEAD")
    assert r.status == "partial"
    assert any("不在标题或条目首句中" in n.reason for n in r.trace.near_misses)


@pytest.mark.parametrize("backend", BACKENDS)
def test_item_lead_is_its_first_clauses(rs, backend):
    long_lead = "局党组成立领导小组，每季度研究部署法治工作，定期开展督促检查，严格落实主要负责人第一责任人职责。"
    # the duty closes a long lead sentence of an item on something else: in passing
    r = st(run(rs, [("一、主要工作", "measures", ["（一）加强组织领导。" + long_lead])], backend), "P-HEAD")
    assert r.status == "partial"
    assert any("条目首句的后半句" in n.reason for n in r.trace.near_misses)
    # a numbered sentence with its heading run in: the same
    glued = "（一）加强组织领导，" + long_lead
    assert st(run(rs, [("一、主要工作", "measures", [glued])], backend), "P-HEAD").status == "partial"
    # an item headed on duties: all of its lead sentence leads it
    duty = run(rs, [("一、主要工作", "measures", ["（一）压实主体责任。" + long_lead])], backend)
    assert st(duty, "P-HEAD").status == "met"
    # the duty in the lead's first clauses leads the item, however long the sentence
    early = "局长围绕职责清单，切实履行第一责任人职责，每季度研究部署法治工作，定期开展督促检查，带头学法用法。"
    assert st(run(rs, [("一、主要工作", "measures", ["（一）加强组织领导。" + early])], backend), "P-HEAD").status == "met"
    # a top part leads with its first sentence only when headed on duties (not 一、主要工作)
    assert st(run(rs, [("一、扛牢主体责任", "measures", [early])], backend), "P-HEAD").status == "met"
    assert st(run(rs, [("一、主要工作", "measures", [early])], backend), "P-HEAD").status == "partial"


def test_min_count(rs):
    assert st(run(rs, [(None, "measures", ["开展集体学法。"])]), "P-COUNT").status == "partial"
    assert st(run(rs, [(None, "measures", ["开展集体学法。", "再次集体学法。"])]), "P-COUNT").status == "met"


@pytest.mark.parametrize("backend", BACKENDS)
def test_quantity_threshold(rs, backend):
    ok = run(rs, [(None, "measures", ["执法人员人均培训64学时。"])], backend)
    assert st(ok, "Q-HOURS").status == "met"
    assert st(ok, "Q-HOURS").message == "培训64学时"
    low = run(rs, [(None, "measures", ["执法人员人均培训45学时。"])], backend)
    r = st(low, "Q-HOURS")
    assert r.status == "partial"
    assert r.message == "培训45学时，低于60学时"
    assert any("数值 45 学时低于阈值 60 学时" in n.reason for n in r.trace.near_misses)
    none = run(rs, [(None, "measures", ["组织执法培训。"])], backend)
    assert st(none, "Q-HOURS").status == "partial"


def test_quantity_ratio_and_percent(rs):
    ok = run(rs, [(None, "measures", ["全局执法人员120人，法制审核人员8人。"])])
    assert st(ok, "Q-RATIO").status == "met"
    assert "6.7%" in st(ok, "Q-RATIO").message
    low = run(rs, [(None, "measures", ["全局执法人员120人，法制审核人员3人。"])])
    r = st(low, "Q-RATIO")
    assert r.status == "partial"
    assert "2.5%" in r.message and "要求5%" in r.message
    pct = run(rs, [(None, "measures", ["法制审核人员占比6%。"])])
    assert st(pct, "Q-RATIO").status == "met"


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize(
    "date,status,delay",
    [(dt.date(2025, 2, 20), "met", None), (dt.date(2025, 3, 20), "partial", 19), (dt.date(2025, 5, 1), "partial", 61), (None, "missing", None)],
)
def test_date_rule(rs, backend, date, status, delay):
    res = run(rs, [(None, "measures", ["正文。"])], backend, date=date)
    r = st(res, "D-DATE")
    assert r.status == status
    if delay is not None:
        assert f"逾期{delay}天" in r.message and "2025-03-01" in r.message


def test_date_falls_back_to_published(rs):
    res = run(rs, [(None, "measures", ["正文。"])], published=dt.date(2025, 2, 1))
    assert st(res, "D-DATE").status == "met"


def test_structure(rs):
    full = run(rs, [("二、存在问题", "problems", ["一是执法不规范，主要原因是培训不足。", "二是队伍薄弱。"])])
    assert st(full, "S-PROB").status == "met"
    assert st(full, "S-PROB").message == "2项"
    assert st(full, "S-CAUSE").status == "met"
    thin = run(rs, [("二、存在问题", "problems", ["执法不规范。"])])
    assert st(thin, "S-CAUSE").status == "partial"
    none = run(rs, [("一、主要工作", "measures", ["执法公示。"])])
    assert st(none, "S-PROB").status == "missing"
    empty = run(rs, [("二、存在问题", "problems", [])])
    assert st(empty, "S-PROB").status == "missing"


def test_meta(rs):
    assert st(run(rs, [(None, "measures", ["x。"])]), "M-PERIOD").message == "2024年"
    assert st(run(rs, [(None, "measures", ["x。"])], period=(2020, 2022)), "M-PERIOD").message == "2020—2022年"
    assert st(run(rs, [(None, "measures", ["x。"])], period=None), "M-PERIOD").status == "missing"


@pytest.mark.parametrize("backend", BACKENDS)
def test_when_period_and_province(rs, backend):
    old = run(rs, [(None, "measures", ["x。"])], backend, period=(2023, 2023))
    assert st(old, "W-2024").status == "not_applicable"
    assert st(old, "DER-CHAIN").status != "not_applicable"  # its other input still applies
    new = run(rs, [(None, "measures", ["x。"])], backend, period=(2024, 2024))
    assert st(new, "W-2024").status == "missing"
    assert st(new, "W-ZJ").status == "not_applicable"
    zj = run(rs, [(None, "measures", ["开展公平竞争审查。"])], backend, province="浙江")
    assert st(zj, "W-ZJ").status == "met"


def test_all_of(rs):
    assert st(run(rs, [(None, "measures", ["开展案卷评查，抽查案卷30份。"])]), "AND-1").status == "met"
    assert st(run(rs, [(None, "measures", ["开展案卷评查。"])]), "AND-1").status == "partial"


@pytest.mark.parametrize("backend", BACKENDS)
def test_derived_modes_and_chaining(rs, backend):
    all_met = run(rs, [(None, "measures", ["推行执法公示，配备执法记录仪，人均培训70学时。公平竞争审查条例。"])], backend)
    assert st(all_met, "DER-ALL").status == "met"
    assert st(all_met, "DER-CHAIN").status == "met"
    assert st(all_met, "DER-ALL").evidence[0].cue == "执法公示"  # derived rules quote their inputs
    assert st(all_met, "DER-CHAIN").evidence  # also through a derived input
    assert "P-ANY（已落实）" in st(all_met, "DER-ALL").message
    some = run(rs, [(None, "measures", ["推行执法公示。"])], backend)
    assert st(some, "DER-ALL").status == "partial"
    assert st(some, "DER-ANY").status == "met"
    assert st(some, "DER-WEAK").status == "missing"
    assert st(some, "DER-CHAIN").status == "missing"
    gaps = run(rs, [("二、存在问题", "problems", ["执法公示不规范。"]), ("三、下一步", "plans", ["配备执法记录仪。"])], backend)
    assert st(gaps, "DER-ALL").status == "missing"  # no input met or partial → the weakest (Q-HOURS is missing)
    assert st(gaps, "DER-ANY").status == "self_reported_gap"
    assert st(gaps, "DER-WEAK").status == "planned"


def test_other_document_not_applicable(rs):
    res = run(rs, [(None, "measures", ["推行执法公示。"])], doc_type="other")
    assert {r.status for r in res.results} == {"not_applicable"}
    assert res.score.total is None and res.score.grade is None
    assert any("--doc-type annual_report" in w for w in res.warnings)


def test_deterministic_json_and_backends_agree(rs):
    secs = [("一、主要工作", "measures", ["推行执法公示，人均培训45学时。", "听取法治工作汇报。"]), ("二、存在问题", "problems", ["由于人员不足，全过程记录不够规范。"])]
    a = run(rs, secs, "durable").model_dump_json()
    b = run(rs, secs, "durable").model_dump_json()
    assert a == b
    ra = json.loads(a)
    rb = json.loads(run(rs, secs, "reference").model_dump_json())
    for x, y in zip(ra["results"], rb["results"]):
        x["trace"]["backend"] = y["trace"]["backend"] = ""
    assert ra == rb


def test_fingerprint_stable_across_line_moves(rs):
    a = run(rs, [("一、主要工作", "measures", ["推行执法公示。"])])
    b = run(rs, [("一、主要工作", "measures", ["其他内容。", "另一段。", "推行执法公示。"])])
    fa, fb = st(a, "P-ANY"), st(b, "P-ANY")
    assert fa.evidence[0].line != fb.evidence[0].line
    assert fa.fingerprint == fb.fingerprint
    assert st(a, "P-REC").fingerprint != fa.fingerprint


def test_score(rs):
    res = run(rs, [(None, "measures", ["推行执法公示。"])], period=(2023, 2023))
    applicable = [r for r in res.results if r.status != "not_applicable"]
    want = round(100 * sum(r.earned for r in applicable) / sum(r.points for r in applicable), 1)
    assert res.score.total == want
    assert res.score.by_family["P"] is not None
    assert res.score.grade == "不合格"
    assert st(res, "P-ANY").earned == 4


def test_regex_cues_per_sentence(tmp_path):
    rx = textwrap.dedent("""\
        - id: RX
          family: X
          title: regex
          severity: minor
          points: 1
          applies_to: [annual_report]
          basis: [b]
          evidence:
            met: [{presence: {any: ['/听取.{0,12}法治.{0,6}汇报/']}}]
          message: m
          remediation: r
        """)
    body = RULESET.replace("rules:\n", "rules:\n" + textwrap.indent(rx, "  "), 1)
    p = tmp_path / "rx.yaml"
    p.write_text(body, encoding="utf-8")
    rs2 = load_ruleset(p)
    ok = run(rs2, [(None, "measures", ["党组会听取了法治建设工作汇报。"])])
    assert st(ok, "RX").status == "met" and st(ok, "RX").evidence[0].cue == "听取了法治建设工作汇报"
    # a match may not run across two sentences, but a match inside the next one still counts
    cross = run(rs2, [(None, "measures", ["会议听取意见。法治工作汇报。"]), (None, "measures", ["听取法治工作汇报。"])])
    r = st(cross, "RX")
    assert r.status == "met" and len(r.evidence) == 1 and r.evidence[0].quote == "听取法治工作汇报。"
    none = run(rs2, [(None, "measures", ["会议听取意见。法治工作汇报。"])])
    assert st(none, "RX").status == "missing"


def test_structure_nested_items_counted_once(rs):
    res = run(rs, [("二、存在问题", "problems", [], [
        ("（一）执法不够规范", "problems", ["主要原因是培训不足。"]),
        ("（二）队伍建设薄弱", "problems", ["人员流动大。"]),
    ])])
    r = st(res, "S-PROB")
    assert r.status == "met" and r.message == "2项"
    assert st(res, "S-CAUSE").status == "met"
    assert r.evidence[0].line == 2 and r.evidence[0].section == "二、存在问题"
    # a subsection heading is a heading for `where: heading`, with its nested section path
    head = run(rs, [("一、主要工作", "measures", [], [("（三）落实第一责任人职责", "measures", ["局长亲自部署。"])])])
    h = st(head, "P-HEAD")
    assert h.status == "met" and h.evidence[0].section == "一、主要工作/（三）落实第一责任人职责"


def test_scoring_overrides_and_grades():
    from compliance.engine.score import credits, grade

    assert grade(85, {}) == "良好" and grade(59.9, {}) == "不合格" and grade(90, {}) == "优秀"
    assert grade(85, {"grades": [(90, "优秀"), (60, "合格"), (0, "不合格")]}) == "合格"
    assert grade(None, {}) is None
    c = credits({"credits": {"partial": 0.6}}, plan=False)
    assert c["partial"] == 0.6 and c["planned"] == 0.25 and c["met"] == 1.0
    assert credits({}, plan=True)["planned"] == 1.0
    assert credits({"plan_planned_credit": 0.8}, plan=True)["planned"] == 0.8


@pytest.mark.parametrize(
    "text,pub,rec",
    [
        ("建立了执法公示制度，但全过程记录尚未落实。", "met", "self_reported_gap"),
        ("全过程记录尚未落实，执法公示制度已经建立。", "met", "self_reported_gap"),
        ("执法公示已全面推行但执法记录仪配备不足。", "met", "self_reported_gap"),  # 但 breaks the clause without a comma
        ("执法公示、全过程记录尚未完全落实。", "self_reported_gap", "self_reported_gap"),  # 、 lists: one clause
        ("尚未建立执法公示制度；全过程记录全面推行。", "self_reported_gap", "met"),
        ("计划明年推行执法公示，执法记录仪已配备。", "planned", "met"),
    ],
)
def test_polarity_is_clause_scoped(rs, text, pub, rec):
    res = run(rs, [("一、主要工作", "measures", [text])])
    assert (st(res, "P-ANY").status, st(res, "P-REC").status) == (pub, rec)


def test_section_heading_without_heading_paragraph(rs):
    rep = build_report([("三、履行第一责任人职责情况", "frp", ["局长亲自部署。"])])
    rep.paragraphs = [p for p in rep.paragraphs if not p.is_heading]
    res = evaluate(rep, rs, backend="reference")
    r = st(res, "P-HEAD")
    assert r.status == "met" and r.evidence[0].line == 2 and r.evidence[0].quote == "三、履行第一责任人职责情况"


def test_a_marker_in_a_regex_cue_gap_counts_but_not_in_itsown_words():
    from compliance.engine.checks.context import own_words
    from compliance.rules.load import compile_cue

    text = "执法人员未能按要求完成培训"
    rx = compile_cue("/(执法人员|执法队员)[^。;]{0,20}(培训|轮训)/")
    covered = {i for a, b in own_words(text, 0, len(text), rx) for i in range(a, b)}
    assert covered == {0, 1, 2, 3, 11, 12}  # 执法人员 … 培训; 未能 (4–5) is in the gap
    lit = compile_cue("未成年人保护")
    assert own_words("加强未成年人保护", 2, 8, lit) == [(2, 8)]


def test_words_a_regex_cue_names_are_its_own_even_when_they_sound_negative():
    """存在薄弱环节 is what an AR-03 cue looks for: its 薄弱 is not a negation of the cue."""
    from compliance.engine.checks.context import own_words
    from compliance.rules.load import compile_cue

    text = "还存在薄弱环节"
    rx = compile_cue("/(还|仍|依然)存在(一些|的)?(问题|不足|薄弱环节)/")
    assert own_words(text, 0, len(text), rx) == [(0, len(text))]
