"""Whole reports written for these tests after real bureau reports (tests/data/realistic/*.txt),
each with the statuses a careful inspector gives it (*.expected.yaml), checked end to end."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

DATA = Path(__file__).parent / "data" / "realistic"
REPORTS = sorted(DATA.glob("*.txt"))


def test_every_report_has_expectations():
    assert REPORTS, "no realistic reports"
    for p in REPORTS:
        assert p.with_suffix(".expected.yaml").is_file(), p.name


@pytest.mark.parametrize("path", REPORTS, ids=[p.stem for p in REPORTS])
def test_realistic_report_statuses(path):
    from compliance.pipeline import check_report, load_report

    spec = yaml.safe_load(path.with_suffix(".expected.yaml").read_text(encoding="utf-8"))
    res = check_report(load_report(path), spec["ruleset"])
    got = {r.rule_id: r.status for r in res.results}
    wrong = {k: (got.get(k, "<absent>"), v) for k, v in spec["expected"].items() if got.get(k) != v}
    assert not wrong, f"{path.name}: " + "; ".join(f"{k} got {g}, want {w}" for k, (g, w) in wrong.items())
