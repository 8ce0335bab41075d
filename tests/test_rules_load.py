"""Loading: extends/merge, overrides, disabled, parameters, markers, scoring, discovery."""

from __future__ import annotations

import textwrap

import pytest

from compliance.engine import evaluate
from compliance.engine.synth import build_report
from compliance.rules.load import RulesetError, available_rulesets, clear_cache, load_ruleset, ruleset_for

RULE = """
  - id: {id}
    family: {fam}
    title: {title}
    severity: major
    points: {points}
    applies_to: [annual_report]
    basis: [b]
    evidence:
      met: [{{presence: {{any: [{cue}]}}}}]
    message: m
    remediation: r
"""


def rule(id, cue, fam="A", title="t", points=4):
    return RULE.format(id=id, cue=cue, fam=fam, title=title, points=points)


@pytest.fixture
def tree(tmp_path):
    (tmp_path / "base.yaml").write_text(
        textwrap.dedent("""
        name: base
        version: "1"
        parameters: {hours: 60, keep: 1}
        markers: {negation: [尚未], planned: [计划]}
        scoring: {grades: [[90, 优秀], [60, 合格], [0, 不合格]]}
        rules:""") + rule("A-1", "执法公示") + rule("A-2", "执法记录仪") + rule("A-3", "法制审核"),
        encoding="utf-8")
    (tmp_path / "prov.yaml").write_text(
        textwrap.dedent("""
        name: prov
        version: "2"
        extends: base
        province: 浙江省
        parameters: {hours: 90}
        markers: {negation: [有待]}
        overrides:
          - id: A-1
            points: 8
            title: 新标题
          - id: A-3
            disabled: 本省另行规定
        rules:""") + rule("A-2", "音像记录", title="替换") + rule("P-1", "公平竞争审查", fam="P"),
        encoding="utf-8")
    clear_cache()
    return tmp_path


def test_extends_merge(tree):
    rs = load_ruleset(tree / "prov.yaml")
    assert rs.chain == ["base", "prov"]
    assert [r.id for r in rs.rules] == ["A-1", "A-2", "A-3", "P-1"]
    a1 = rs.rule("A-1")
    assert a1.rule.points == 8 and a1.rule.title == "新标题"
    assert a1.rule.evidence.met[0].presence.any == ["执法公示"]  # untouched fields stay
    assert rs.rule("A-2").rule.title == "替换" and rs.rule("A-2").origin == "prov"
    assert rs.rule("A-3").disabled == "本省另行规定"
    assert a1.origin == "base" and a1.overridden_in == ["prov"] and rs.rule("A-2").overridden_in == []
    assert rs.parameters == {"hours": 90, "keep": 1}
    assert rs.negation == ["尚未", "有待"] and rs.planned == ["计划"]
    assert rs.scoring["grades"][1] == (60, "合格")
    assert rs.province == "浙江省"
    assert rs.key.startswith("prov@")


def test_disabled_rule_listed_as_not_applicable(tree):
    rs = load_ruleset(tree / "prov.yaml")
    res = evaluate(build_report([(None, "measures", ["法制审核，执法公示，音像记录。"])]), rs, backend="reference")
    a3 = next(r for r in res.results if r.rule_id == "A-3")
    assert a3.status == "not_applicable" and a3.message == "本省另行规定"
    assert {r.rule_id: r.status for r in res.results}["A-2"] == "met"


def test_hash_changes_with_content_and_cache(tree):
    a = load_ruleset(tree / "prov.yaml")
    assert load_ruleset(tree / "prov.yaml") is a
    p = tree / "base.yaml"
    p.write_text(p.read_text(encoding="utf-8").replace("keep: 1", "keep: 2"), encoding="utf-8")
    import os
    st = os.stat(p)
    os.utime(p, ns=(st.st_atime_ns, st.st_mtime_ns + 10**9))
    b = load_ruleset(tree / "prov.yaml")
    assert b is not a and b.hash != a.hash


def test_param_substitution_list_splice(tmp_path):
    (tmp_path / "x.yaml").write_text(textwrap.dedent("""
        name: x
        version: "1"
        parameters: {cues: [执法公示, 双公示], deadline: "Y+1-03-01"}
        rules:""") + rule("A-1", "$cues"), encoding="utf-8")
    rs = load_ruleset(tmp_path / "x.yaml")
    assert rs.rule("A-1").rule.evidence.met[0].presence.any == ["执法公示", "双公示"]


def test_extends_cycle(tmp_path):
    (tmp_path / "a.yaml").write_text("name: a\nversion: '1'\nextends: b\n", encoding="utf-8")
    (tmp_path / "b.yaml").write_text("name: b\nversion: '1'\nextends: a\n", encoding="utf-8")
    with pytest.raises(RulesetError) as ei:
        load_ruleset(tmp_path / "a.yaml")
    assert "extends cycle" in str(ei.value)


def test_unknown_ruleset_name():
    with pytest.raises(RulesetError) as ei:
        load_ruleset("no-such-ruleset")
    assert "unknown ruleset" in str(ei.value)


def test_available_and_ruleset_for_with_env(tree, monkeypatch):
    monkeypatch.setenv("COMPLIANCE_RULESETS", str(tree))
    avail = available_rulesets()
    assert avail["prov"] == tree / "prov.yaml"
    assert ruleset_for("浙江省") == "prov"
    assert ruleset_for("浙江") == "prov"
    assert ruleset_for("西藏自治区") == "national"
    assert ruleset_for(None) == "national"
