"""Wording that needs more than one rule's example: the province's own deadline against the
national one. The wording cases (varied phrasings from other departments and the catalog's
traps) live in each rule's `examples:` in the YAML, run by tests/test_rulesets_examples.py."""

from __future__ import annotations


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
