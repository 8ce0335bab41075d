"""Every rule's embedded examples hold under every shipped ruleset, and the CLI agrees."""

from __future__ import annotations

from pathlib import Path

import pytest

from compliance.models import STATUSES

ROOT = Path(__file__).resolve().parent.parent
NAMES = ["national", "zhejiang", "liaoning", "henan"]
POSITIVE = {"met", "partial"}


def _example_report(ex):
    from compliance.models import Meta
    from compliance.normalize import snippet_report

    rep = snippet_report(ex.text, role=ex.role, doc_type=ex.doc_type)
    if ex.meta:
        rep.meta = Meta.model_validate({**rep.meta.model_dump(), **ex.meta})
    return rep


@pytest.mark.parametrize("name", NAMES)
def test_examples_hold(name):
    from compliance.engine import evaluate
    from compliance.rules.load import load_ruleset

    rs = load_ruleset(name)
    failures = []
    n = 0
    for cr in rs.rules:
        for i, ex in enumerate(cr.rule.examples):
            n += 1
            res = evaluate(_example_report(ex), rs, backend="reference", trace=False)
            got = next(r.status for r in res.results if r.rule_id == cr.id)
            if got != ex.expect:
                failures.append(f"{cr.id} example {i + 1}: got {got}, want {ex.expect}: {ex.text[:60]}")
    assert n >= 4 * len(rs.rules) - 4  # every rule carries examples (derived TES-01 included)
    assert not failures, "\n".join(failures)


@pytest.mark.parametrize("name", NAMES)
def test_each_own_rule_has_two_positive_and_two_negative_examples(name):
    from compliance.rules.load import load_ruleset

    rs = load_ruleset(name)
    for cr in rs.rules:
        if cr.origin != name:
            continue
        exp = [ex.expect for ex in cr.rule.examples]
        assert all(e in STATUSES for e in exp)
        pos = sum(e in POSITIVE for e in exp)
        neg = sum(e not in POSITIVE for e in exp)
        assert pos >= 2 and neg >= 2, f"{name} {cr.id}: {pos} positive, {neg} negative examples"


def test_cli_lint_and_test_pass_on_every_ruleset():
    from typer.testing import CliRunner

    from compliance.cli import _register, app

    _register()
    runner = CliRunner()
    res = runner.invoke(app, ["rules", "lint", *[str(ROOT / "rulesets" / f"{n}.yaml") for n in NAMES]])
    assert res.exit_code == 0, res.output
    for n in NAMES:
        res = runner.invoke(app, ["rules", "test", "--ruleset", n])
        assert res.exit_code == 0, f"{n}: {res.output[-2000:]}"
        assert " 0 failed" in res.output, res.output[-500:]


def test_the_wording_tables_live_in_the_rules():
    """The 131 wording cases once kept as Python tables (tests/test_rulesets_{wording,tesfcr,
    realworld}.py) are rule examples now: 127 added, 4 already were. None may be lost."""
    from compliance.rules.load import load_ruleset

    own = sum(len(cr.rule.examples) for n in NAMES for cr in load_ruleset(n).rules if cr.origin == n)
    assert own >= 354, own
    notes = [ex.note for cr in load_ruleset("national").rules for ex in cr.rule.examples if ex.note]
    assert any("依法审批" in (n or "") for n in notes)  # a phenomenon travels with its case
