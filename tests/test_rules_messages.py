"""Ruleset-level message templates (`messages:` with {topic}) filled from each rule's `topic:`."""

from __future__ import annotations

import textwrap

from compliance.rules.lint import lint_paths
from compliance.rules.load import clear_cache, load_ruleset

BASE = """\
name: base
version: "1"
messages:
  default: "{topic}：详见引文。"
  planned: "{topic}只以计划形式出现。"
  self_reported_gap: "报告自认{topic}做得不够。"
rules:
  - id: A-1
    family: A
    title: t
    severity: major
    points: 4
    applies_to: [annual_report]
    basis: [b]
    evidence:
      met: [{presence: {any: [述法]}}]
    topic: 年度述法
    message:
      met: 报告写明开展了述法。
      planned: 述法只是计划（本规则自己的说法）。
      missing: 报告没有写{topic}。
    remediation: r
"""


def write(tmp_path, name: str, text: str):
    p = tmp_path / f"{name}.yaml"
    p.write_text(textwrap.dedent(text), encoding="utf-8")
    clear_cache()
    return p


def test_templates_fill_what_the_rule_does_not_word_itself(tmp_path):
    m = load_ruleset(write(tmp_path, "base", BASE)).rule("A-1").rule.message
    assert m.default == "年度述法：详见引文。"
    assert m.self_reported_gap == "报告自认年度述法做得不够。"
    assert m.planned == "述法只是计划（本规则自己的说法）。"  # the rule's own sentence wins
    assert m.missing == "报告没有写年度述法。"  # {topic} in the rule's own sentence too
    assert m.met == "报告写明开展了述法。"


def test_a_child_rewords_a_template_for_the_parents_rules(tmp_path):
    write(tmp_path, "base", BASE)
    child = write(tmp_path, "child", 'name: child\nversion: "1"\nextends: base\nmessages:\n  self_reported_gap: "{topic}：报告承认有差距。"\n')
    m = load_ruleset(child).rule("A-1").rule.message
    assert m.self_reported_gap == "年度述法：报告承认有差距。"
    assert m.default == "年度述法：详见引文。"  # the rest inherited
    assert load_ruleset(tmp_path / "base.yaml").rule("A-1").rule.message.self_reported_gap == "报告自认年度述法做得不够。"


def test_no_default_without_topic_is_a_lint_error(tmp_path):
    p = write(tmp_path, "base", BASE.replace("    topic: 年度述法\n", ""))
    msgs = [e[3] for e in lint_paths([p])]
    assert any("no default message" in m for m in msgs), msgs
    assert any("unknown placeholder {topic}" in m for m in msgs), msgs  # the rule's own {topic}, unfilled


def test_national_writes_the_shared_sentences_once():
    """The planned / self-reported-gap sentences live in `messages:`, not in ~30 rules."""
    from compliance.rules.load import available_rulesets

    for name, path in available_rulesets().items():
        text = path.read_text(encoding="utf-8")
        assert text.count("只以计划或打算的形式出现") <= 1 and text.count("方面做得不够") <= 1, name
    rs = load_ruleset("national")
    topical = [cr for cr in rs.rules if cr.rule.topic]
    assert len(topical) >= 29
    fr = rs.rule("FRP-06").rule.message
    assert fr.planned == "年度述法只以计划或打算的形式出现，报告期内尚未落实。"
    assert fr.planned_in_plan == "年度述法已作出计划安排（计划类文件按此计满分）。"
    assert fr.self_reported_gap == "报告自认年度述法方面做得不够（见引文），应写明整改措施和时限。"
    assert load_ruleset("henan").rule("HA-TES-02").rule.message.default == "服务型行政执法：详见引文。"
