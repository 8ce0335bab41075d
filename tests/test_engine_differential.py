"""Both backends on the same facts must agree: corpus reports and generated recombinations."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from compliance.engine import evaluate
from compliance.engine.synth import random_report, sentence_pool
from compliance.rules.load import RulesetError, available_rulesets, load_ruleset

CORPUS = Path("/work/shared/corpus")
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
