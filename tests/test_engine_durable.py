"""The durable backend's guards: no timer threads, strict facts, surfaced action errors,
state freed per report, one registration per ruleset version, large rulesets compile."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from compliance.engine import durable_backend as db
from compliance.engine import evaluate, resolve_backend
from compliance.engine.facts import DocFact, HitFact
from compliance.engine.synth import build_report
from compliance.rules.load import load_ruleset

RULE = """
  - id: R-{i}
    family: F{f}
    title: t
    severity: minor
    points: 1
    applies_to: [annual_report{extra}]
    basis: [b]
    evidence:
      met: [{{presence: {{any: [cue{i}甲]}}}}]
      partial: [{{presence: {{any: [cue{i}乙]}}}}]
    message: m
    remediation: r
"""


def make(tmp_path, n=3, name="d"):
    body = f'name: {name}\nversion: "1"\nmarkers: {{negation: [尚未]}}\nrules:' + "".join(
        RULE.format(i=i, f=i % 4, extra=", plan" if i % 3 == 0 else "") for i in range(n))
    p = tmp_path / f"{name}.yaml"
    p.write_text(body, encoding="utf-8")
    return load_ruleset(p)


def test_no_timer_threads_after_host(tmp_path):
    rs = make(tmp_path)
    evaluate(build_report([(None, "measures", ["cue0甲。"])]), rs, backend="durable")
    assert db.timer_threads() == []


def test_facts_are_strict():
    with pytest.raises(ValidationError):
        HitFact(id="x", rule="R", tier="met", polarity="positive", count="1")
    with pytest.raises(ValidationError):
        DocFact(doc_type="annual_report", has_period=1, period_end=2024, province="", level="", has_date=False, plan=False)


def test_state_deleted_and_registered_once(tmp_path, monkeypatch):
    rs = make(tmp_path)
    rep = build_report([(None, "measures", ["cue1乙。"])])
    evaluate(rep, rs, backend="durable")
    evaluate(rep, rs, backend="durable")  # a second registration would raise
    assert rs.key in db._registered
    assert db._results == {}
    host = db._get_host()
    last = f"r{next(db._sids) - 1}"
    with pytest.raises(Exception):  # noqa: B017 - durable_rules raises a bare Exception (error 309)
        host.get_state(rs.key, last)  # error code 309: the session was deleted


def test_action_exception_is_surfaced(tmp_path, monkeypatch):
    rs = make(tmp_path, name="boom")

    orig = db._action

    def action(key, rid, status, derived=None, **kw):
        if status == "met":
            def run(c):
                raise ValueError("boom in action")
            return run
        return orig(key, rid, status, derived, **kw)

    monkeypatch.setattr(db, "_action", action)
    with pytest.raises(db.DurableError) as ei:
        evaluate(build_report([(None, "measures", ["cue0甲。"])]), rs, backend="durable")
    assert "boom" in str(ei.value)


def test_large_ruleset_registers_and_agrees(tmp_path):
    """300 rules: beyond the Rete's 128/256 successor caps if every rule joined one fact."""
    rs = make(tmp_path, n=300, name="big")
    rep = build_report([(None, "measures", ["cue5甲，cue7乙。", "cue9甲尚未落实。"])])
    a = evaluate(rep, rs, backend="durable")
    b = evaluate(rep, rs, backend="reference")
    sa = {r.rule_id: r.status for r in a.results}
    assert sa == {r.rule_id: r.status for r in b.results}
    assert (sa["R-5"], sa["R-7"], sa["R-9"], sa["R-11"]) == ("met", "partial", "self_reported_gap", "missing")


def test_backend_env(monkeypatch):
    monkeypatch.setenv("COMPLIANCE_BACKEND", "reference")
    assert resolve_backend("auto") == "reference"
    monkeypatch.delenv("COMPLIANCE_BACKEND")
    assert resolve_backend("auto") == "durable"
    with pytest.raises(ValueError):
        resolve_backend("drools")


def test_fallback_when_durable_missing(monkeypatch):
    import compliance.engine as eng

    monkeypatch.setattr(eng, "_durable_ok", False)
    assert resolve_backend("auto") == "reference"
    with pytest.raises(RuntimeError):
        resolve_backend("durable")


def test_uncompilable_ruleset_falls_back_only_in_auto(tmp_path, monkeypatch):
    rs = make(tmp_path, name="nocompile")

    def boom(_rs):
        raise Exception("Could not create ruleset, error code: 108")

    monkeypatch.setattr(db, "compile_ruleset", boom)
    rep = build_report([(None, "measures", ["cue0甲。"])])
    with pytest.raises(db.DurableError) as ei:
        evaluate(rep, rs, backend="durable")
    assert "256 beta successors" in str(ei.value)
    res = evaluate(rep, rs, backend="auto")
    assert res.results[0].status == "met" and res.results[0].trace.backend == "reference"
