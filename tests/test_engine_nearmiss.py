"""An absent requirement still shows the nearest passages, and why they do not count."""

from compliance.engine import evaluate
from compliance.normalize import snippet_report
from compliance.rules.load import load_ruleset


def _result(text, rule_id, role="measures"):
    rep = evaluate(snippet_report(text, role=role), load_ruleset("national"))
    return next(r for r in rep.results if r.rule_id == rule_id)


def test_missing_rule_names_the_nearest_passage_and_what_it_lacks():
    r = _result("把法制宣传教育融入执法办案全过程。开展安全生产检查120次。", "TES-03")
    assert r.status == "missing"
    assert r.trace.near_misses, "a passage sharing most of the cue's wording should be shown"
    nm = r.trace.near_misses[0]
    assert "融入执法办案全过程" in nm.quote
    assert nm.reason == "只写到“全过程”，没有写到“全过程记录”"
    assert nm.line == 1


def test_unrelated_text_gives_no_similarity_near_misses():
    r = _result("开展安全生产检查120次，排查隐患36处。组织应急演练4次。", "TES-03")
    assert r.status == "missing"
    assert not [n for n in r.trace.near_misses if n.reason.startswith("只写到")]


def test_met_rule_gets_no_similarity_near_misses():
    r = _result("全面推行执法全过程记录制度，配备执法记录仪40台。", "TES-03")
    assert r.status == "met"
    assert not [n for n in r.trace.near_misses if n.reason.startswith("只写到")]
