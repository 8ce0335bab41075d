"""Enforcement (TES) and fair-competition (FCR): what a rule's examples cannot show. The wording
cases from the audit of reports whose whole subject is one of these duties (short paraphrased
texts) live in each rule's `examples:` in the YAML, run by tests/test_rulesets_examples.py."""

from __future__ import annotations

import pytest


@pytest.fixture(scope="module")
def loaded():
    from compliance.rules.load import load_ruleset

    return {"national": load_ruleset("national")}


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
