"""Both backends on the same facts must agree: corpus reports and generated recombinations."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from compliance.engine import evaluate
from compliance.engine.synth import random_report, sentence_pool
from compliance.rules.load import RulesetError, available_rulesets, load_ruleset

CORPUS = Path(__file__).resolve().parent / "data" / "corpus"
N_GENERATED = 40


def _rulesets():
    out = []
    for name in sorted(available_rulesets()):
        try:
            out.append(load_ruleset(name))
        except RulesetError:
            continue  # a ruleset still being written; lint tests cover it
    return out


def _statuses(rep, rs, backend):
    return {r.rule_id: r.status for r in evaluate(rep, rs, backend=backend, trace=False).results}


def _pool(rulesets) -> list[str]:
    texts = [p.read_text(encoding="utf-8") for p in sorted(CORPUS.glob("*.txt"))] if CORPUS.is_dir() else []
    for rs in rulesets:
        texts += [ex.text for cr in rs.rules for ex in cr.rule.examples]
    return sentence_pool(texts)


RULESETS = _rulesets()


@pytest.mark.skipif(not RULESETS, reason="no shipped ruleset loads yet")
@pytest.mark.parametrize("rs", RULESETS, ids=lambda r: r.name)
def test_generated_reports_agree(rs):
    pool = _pool(RULESETS)
    assert len(pool) > 20
    rng = random.Random(20241125)
    seen = set()
    for i in range(N_GENERATED):
        rep = random_report(rng, pool, i)
        a = _statuses(rep, rs, "durable")
        b = _statuses(rep, rs, "reference")
        assert a == b, f"report {i}: " + ", ".join(f"{k}: {a[k]} vs {b[k]}" for k in a if a[k] != b[k])
        seen.update(a.values())
    assert {"met", "missing", "not_applicable"} <= seen  # the generator exercises several statuses


def _normalize():
    try:
        from compliance.normalize import normalize  # noqa: F401
        from compliance.readers import read  # noqa: F401
    except ImportError:
        return None
    from compliance.pipeline import load_report

    return load_report


@pytest.mark.skipif(not RULESETS or _normalize() is None or not CORPUS.is_dir(), reason="normalization or rulesets not available yet")
@pytest.mark.parametrize("path", sorted(CORPUS.glob("*.txt")) if CORPUS.is_dir() else [], ids=lambda p: p.stem)
def test_corpus_reports_agree(path):
    rep = _normalize()(path)
    for rs in RULESETS:
        assert _statuses(rep, rs, "durable") == _statuses(rep, rs, "reference"), rs.name


def test_random_fact_sets_agree(tmp_path):
    """Status logic alone: random docs and hit sets (every tier × polarity mix) on a ruleset with
    applicability conditions, a disabled rule and chained derived rules."""
    from compliance.engine import durable_backend, reference
    from compliance.engine.facts import DocFact, HitFact, StatusFact

    rules = []
    for i in range(8):
        when = "\n    when: {period_end_min: 2024}" if i == 3 else "\n    when: {province: [浙江省], level: [city]}" if i == 4 else ""
        dis = "\n    disabled: 本省不适用" if i == 5 else ""
        rules.append(f"""
  - id: E-{i}
    family: E
    title: t
    severity: minor
    points: 1
    applies_to: [annual_report{', plan' if i % 2 else ''}]{when}{dis}
    basis: [b]
    evidence:
      met: [{{presence: {{any: [m{i}]}}}}]
      partial: [{{presence: {{any: [p{i}]}}}}]
    message: m
    remediation: r""")
    for j, (frm, mode) in enumerate([("E-0, E-1, E-2", "all"), ("E-3, E-4", "any"), ("E-5, E-6, E-7", "weakest"), ("D-0, D-1", "all"), ("D-3, E-0", "any")]):
        rules.append(f"""
  - id: D-{j}
    family: D
    title: t
    severity: minor
    points: 1
    applies_to: [annual_report]
    basis: [b]
    derived: {{from: [{frm}], mode: {mode}}}
    message: m
    remediation: r""")
    p = tmp_path / "facts.yaml"
    p.write_text('name: facts\nversion: "1"\nrules:' + "".join(rules) + "\n", encoding="utf-8")
    rs = load_ruleset(p)
    rng = random.Random(5)
    seen = set()
    for n in range(300):
        doc = DocFact(doc_type=rng.choice(["annual_report", "plan", "work_summary"]), has_period=rng.random() < 0.8,
                      period_end=rng.choice([2022, 2024]), province=rng.choice(["", "浙江", "辽宁"]),
                      level=rng.choice(["", "city"]), has_date=True, plan=False)
        facts = [doc, StatusFact(id="status:E-5", rule="E-5", status="not_applicable")]
        for i in range(8):
            for tier in ("met", "partial"):
                for pol in ("positive", "negative", "planned"):
                    if rng.random() < 0.15:
                        facts.append(HitFact(id=f"hit:E-{i}:{tier}:{pol}", rule=f"E-{i}", tier=tier, polarity=pol, count=1))
        a = durable_backend.evaluate_facts(rs, facts)
        b = reference.evaluate_facts(rs, facts)
        assert a == b, f"fact set {n}: " + ", ".join(f"{k}: {a[k]} vs {b[k]}" for k in a if a[k] != b[k])
        seen.update(a.values())
    assert seen == {"met", "partial", "self_reported_gap", "planned", "missing", "not_applicable"}
