"""docs/rules.md is generated from the rulesets and committed: regenerating must reproduce it."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_committed_rules_md_matches_the_rulesets():
    from compliance.rules.docgen import render

    committed = (ROOT / "docs" / "rules.md").read_text(encoding="utf-8")
    assert committed == render(), "docs/rules.md is stale: run python -m compliance.rules.docgen"


def test_rules_md_lists_every_rule_with_its_fields():
    from compliance.rules.docgen import render
    from compliance.rules.load import load_ruleset

    text = render()
    for name in ("national", "zhejiang", "liaoning", "henan"):
        assert re.search(rf"^## \S*规则集 `{name}`$", text, re.M), name
        rs = load_ruleset(name)
        for cr in rs.rules:
            if cr.origin != name:
                continue
            r = cr.rule
            row = next((ln for ln in text.splitlines() if ln.startswith(f"| {r.id} |")), None)
            assert row is not None, r.id
            assert r.title in row and f"| {r.points:g} |" in row and r.severity in row
            assert r.basis[0].replace("|", "\\|") in row


def test_check_mode_reports_a_stale_file(tmp_path):
    from compliance.rules.docgen import main

    out = tmp_path / "rules.md"
    out.write_text("old\n", encoding="utf-8")
    assert main(["--check", "-o", str(out)]) == 1
    assert main(["-o", str(out)]) == 0
    assert main(["--check", "-o", str(out)]) == 0
