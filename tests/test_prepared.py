"""The prepared cache (compliance/prepared.py): compiled rulesets and the gazetteer kept between
runs. It may only save time: a stale, damaged or foreign entry is never used, and results are the
same with it cold, warm or off."""

from __future__ import annotations

import os
import pickle
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from compliance import prepared
from compliance.rules import load as load_mod
from compliance.rules.load import RulesetError, _compile_prepared, resolve_ruleset

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def cache(tmp_path, monkeypatch):
    d = tmp_path / "prepared"
    monkeypatch.setenv("COMPLIANCE_PREPARED_DIR", str(d))
    return d


def _no_compile(monkeypatch):
    def boom(path):
        raise AssertionError(f"compiled {path} although a prepared entry was there")

    monkeypatch.setattr(load_mod, "compile_ruleset", boom)


def _chain(tmp_path: Path) -> tuple[Path, Path]:
    """A child ruleset extending a copy of national, in a folder of their own."""
    d = tmp_path / "rules"
    d.mkdir()
    shutil.copy(resolve_ruleset("national"), d / "national.yaml")
    child = d / "child.yaml"
    child.write_text("name: child\nversion: '2026.1'\nextends: national\nparameters:\n  training_hours_min: 40\n", encoding="utf-8")
    return d / "national.yaml", child


def test_a_compiled_chain_is_reused_by_the_next_run(cache, tmp_path, monkeypatch):
    _, child = _chain(tmp_path)
    rs, errors = _compile_prepared(child)
    assert rs is not None and not errors
    assert len(list(cache.glob("ruleset-*.pickle"))) == 1
    _no_compile(monkeypatch)
    again, errors = _compile_prepared(child)
    assert again is not None and not errors
    assert again.hash == rs.hash and [r.id for r in again.rules] == [r.id for r in rs.rules]
    assert again.parameters["training_hours_min"] == 40


def test_editing_a_parent_file_makes_the_child_compile_again(cache, tmp_path, monkeypatch):
    parent, child = _chain(tmp_path)
    rs, _ = _compile_prepared(child)
    assert rs is not None
    text = parent.read_text(encoding="utf-8")
    parent.write_text(text.replace("title: 执法人员每年不少于60学时培训", "title: 执法人员培训学时"), encoding="utf-8")
    calls = []
    real = load_mod.compile_ruleset
    monkeypatch.setattr(load_mod, "compile_ruleset", lambda p: calls.append(p) or real(p))
    again, _ = _compile_prepared(child)
    assert calls == [child]
    assert again is not None and again.rule("TES-07").rule.title == "执法人员培训学时"


def test_a_ruleset_with_errors_is_never_kept(cache, tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("name: bad\nversion: '1'\nrules:\n  - id: X-01\n    title: t\n", encoding="utf-8")
    rs, errors = _compile_prepared(bad)
    assert rs is None and errors
    assert not list(cache.glob("*.pickle"))


@pytest.mark.parametrize("damage", ["garbage", "truncated", "foreign_pickle"])
def test_a_damaged_entry_is_rebuilt_not_an_error(cache, tmp_path, damage):
    _, child = _chain(tmp_path)
    _compile_prepared(child)
    (entry,) = cache.glob("ruleset-*.pickle")
    data = entry.read_bytes()
    if damage == "garbage":
        entry.write_bytes(b"\x00\xff" * 100)
    elif damage == "truncated":
        entry.write_bytes(data[: len(data) // 2])
    else:  # a well-formed pickle of something else under the right name
        entry.write_bytes(b"compliance-prepared-1\n" + pickle.dumps({"not": "a ruleset"}))
    rs, errors = _compile_prepared(child)
    assert rs is not None and not errors and rs.name == "child"
    assert entry.read_bytes().startswith(b"compliance-prepared-1\n") and len(entry.read_bytes()) > 1000


def test_an_entry_others_can_write_or_a_symlinked_entry_is_refused(cache, tmp_path, monkeypatch):
    _, child = _chain(tmp_path)
    _compile_prepared(child)
    (entry,) = cache.glob("ruleset-*.pickle")
    os.chmod(entry, 0o666)
    assert prepared.load(entry.stem) is None
    os.chmod(entry, 0o600)
    assert prepared.load(entry.stem) is not None
    real = tmp_path / "elsewhere.pickle"
    entry.rename(real)
    entry.symlink_to(real)
    assert prepared.load(entry.stem) is None
    entry.unlink()
    real.rename(entry)
    os.chmod(cache, 0o777)  # a folder anyone can write to: nothing in it is trusted
    try:
        assert prepared.load(entry.stem) is None
    finally:
        os.chmod(cache, 0o700)


def test_turned_off_nothing_is_written(tmp_path, monkeypatch):
    monkeypatch.setenv("COMPLIANCE_PREPARED_DIR", "off")
    _, child = _chain(tmp_path)
    rs, _ = _compile_prepared(child)
    assert rs is not None
    assert prepared.prepared_dir() is None
    assert not list(tmp_path.rglob("*.pickle"))


def test_an_unwritable_cache_folder_only_costs_time(tmp_path, monkeypatch):
    blocker = tmp_path / "file"
    blocker.write_text("x", encoding="utf-8")
    monkeypatch.setenv("COMPLIANCE_PREPARED_DIR", str(blocker / "prepared"))  # under a regular file
    _, child = _chain(tmp_path)
    rs, errors = _compile_prepared(child)
    assert rs is not None and not errors


def test_an_unreadable_ruleset_is_reported_as_before(cache, tmp_path):
    with pytest.raises(RulesetError):
        load_mod.load_ruleset(tmp_path / "missing.yaml")


def test_results_are_the_same_cold_warm_and_off(tmp_path):
    """The command line, three times: no cache entry yet, entries written by the first run, off."""
    report = ROOT / "tests" / "data" / "corpus" / "shaoxing-2019-summary.txt"
    outs = []
    for i, setting in enumerate([str(tmp_path / "p"), str(tmp_path / "p"), "off"]):
        out = tmp_path / f"out{i}.json"
        env = {**os.environ, "COMPLIANCE_PREPARED_DIR": setting}
        subprocess.run([sys.executable, "-m", "compliance.cli", "check", str(report), "--no-cache", "-q", "-f", "json", "-o", str(out)],
                       env=env, check=False, capture_output=True)
        outs.append(out.read_text(encoding="utf-8").split('"generated_at"')[0])
        if i == 0:
            kinds = sorted({p.name.split("-")[0] for p in (tmp_path / "p").glob("*.pickle")})
            assert kinds == ["descriptions", "gazetteer", "matcher", "regexes", "ruleset"]
    assert outs[0] == outs[1] == outs[2]


def test_cue_descriptions_kept_between_runs_are_the_ones_worked_out(tmp_path, monkeypatch):
    """The readable forms and near-miss vocabulary read from the cache equal those computed."""
    from compliance.engine import explain
    from compliance.rules.load import load_ruleset

    monkeypatch.setenv("COMPLIANCE_PREPARED_DIR", str(tmp_path))
    rs = load_ruleset("zhejiang")
    cold = explain._kept_descriptions(rs)  # built and written
    assert list(tmp_path.glob("descriptions-*.pickle"))
    table, vocabulary = explain._kept_descriptions(rs)  # read back
    assert (table, vocabulary) == cold
    assert set(table) == set(rs.cues)
    assert all(table[raw] == explain._readable(raw) for raw in rs.cues)
    assert vocabulary == explain._vocabulary(rs)


def test_regexes_kept_between_runs_match_as_compiled_ones(tmp_path, monkeypatch):
    """A regex cue's pattern loaded from the cache finds what the freshly compiled one finds."""
    import regex

    from compliance.rules import cues as cues_mod
    from compliance.rules.load import load_ruleset

    monkeypatch.setenv("COMPLIANCE_PREPARED_DIR", str(tmp_path))
    monkeypatch.setattr(cues_mod, "_KEPT", {})
    rs = load_ruleset("zhejiang")
    cues_mod.keep_compiled(rs.cues)  # built and written
    assert list(tmp_path.glob("regexes-*.pickle"))
    cues_mod._KEPT.clear()
    cues_mod.keep_compiled(rs.cues)  # read back
    regex_cues = [c for c in rs.cues.values() if c.source is not None]
    assert regex_cues and {c.source for c in regex_cues} == set(cues_mod._KEPT)
    text = (ROOT / "tests" / "data" / "corpus" / "shaoxing-2019-summary.txt").read_text(encoding="utf-8")
    for c in regex_cues:
        kept = cues_mod.Cue(c.raw, c.literal, c.source).bounded  # a new cue: from the table
        fresh = regex.compile(c.source)
        assert kept.pattern == fresh.pattern and kept.flags == fresh.flags
        assert [m.span() for m in kept.finditer(text)] == [m.span() for m in fresh.finditer(text)]
