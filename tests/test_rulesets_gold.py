"""The shipped rulesets on the corpus: every rule's status must be one its gold file accepts."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

CORPUS = Path(__file__).resolve().parent / "data" / "corpus"
GOLDS = sorted(CORPUS.glob("*.gold.yaml"))


def _gold_id(p: Path) -> str:
    return p.name.removesuffix(".gold.yaml")


@pytest.fixture(scope="module")
def checked():
    """Each corpus report checked once with the ruleset its gold file names."""
    from compliance.pipeline import check_report, load_report

    out = {}
    for g in GOLDS:
        gold = yaml.safe_load(g.read_text(encoding="utf-8"))
        report = load_report(CORPUS / gold["file"])
        out[g.name] = (gold, check_report(report, gold["ruleset"]))
    return out


@pytest.mark.parametrize("gold_path", GOLDS, ids=_gold_id)
def test_every_rule_status_is_accepted(checked, gold_path):
    gold, result = checked[gold_path.name]
    assert result.ruleset.name == gold["ruleset"]
    got = {r.rule_id: r.status for r in result.results}
    wrong = {rid: (got.get(rid, "<absent>"), acc) for rid, acc in gold["expected"].items() if got.get(rid) not in acc}
    assert not wrong, f"{gold['file']}: " + "; ".join(f"{k} got {v[0]}, want {v[1]}" for k, v in wrong.items())


@pytest.mark.parametrize("gold_path", GOLDS, ids=_gold_id)
def test_met_and_partial_results_quote_their_evidence(checked, gold_path):
    """A met/partial text rule must show where it found its evidence (a line in the input)."""
    gold, result = checked[gold_path.name]
    from compliance.rules.load import load_ruleset

    rs = load_ruleset(gold["ruleset"])
    text_rules = {
        cr.id
        for cr in rs.rules
        if cr.rule.evidence is not None
        and any(c.kind in ("presence", "quantity", "all_of") for c in cr.rule.evidence.met + cr.rule.evidence.partial)
    }
    n_lines = len((CORPUS / gold["file"]).read_text(encoding="utf-8").splitlines())
    for r in result.results:
        if r.rule_id in text_rules and r.status in ("met", "partial"):
            assert r.evidence, f"{r.rule_id} is {r.status} without evidence"
            assert all(1 <= e.line <= n_lines for e in r.evidence), r.rule_id


def test_messages_are_filled_in(checked):
    """No result message is left with a raw {placeholder}."""
    for _, (gold, result) in checked.items():
        for r in result.results:
            assert "{" not in r.message and "}" not in r.message, (gold["file"], r.rule_id, r.message)
            assert r.basis and r.remediation, (gold["file"], r.rule_id)
