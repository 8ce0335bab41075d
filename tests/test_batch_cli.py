"""`compliance check` through the CLI with a stand-in engine (hand-built results), so exit codes,
inputs, cache, waivers, baselines and --jobs are tested whatever state the engine is in."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

import batch_samples as S
from compliance.batch import runner
from compliance.cli import _register, app

_register()
CALLS: list[str] = []


class FakeReadError(Exception):
    pass


FakeReadError.__name__ = "ReadError"


def fake_evaluate(path: str, job, choose=None) -> object:
    """A report whose content decides the result: BROKEN → read error; 公平竞争审查 → FCR met."""
    CALLS.append(path)
    text = Path(path).read_text(encoding="utf-8")
    if "BROKEN" in text:
        raise FakeReadError(f"{path}: 无法解析的文件")
    rep = S.panjin(source=path)
    rep.sha256 = hashlib.sha256(text.encode()).hexdigest()
    if "公平竞争审查" in text:
        fcr = next(r for r in rep.results if r.rule_id == "FCR-01")
        fcr.status, fcr.earned = "met", fcr.points
        fcr.evidence = []
        rep.score.total = 80.0
        rep.score.grade = "良好"
    return rep


@pytest.fixture(autouse=True)
def fake_engine(monkeypatch, tmp_path):
    CALLS.clear()
    monkeypatch.setattr(runner, "evaluate_file", fake_evaluate)
    monkeypatch.setattr(runner, "validate_ruleset", lambda name: None)
    monkeypatch.setenv("COMPLIANCE_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.chdir(tmp_path)


def run(*args):
    return CliRunner().invoke(app, ["check", *args], catch_exceptions=False)


def corpus(tmp_path: Path) -> Path:
    d = tmp_path / "reports"
    (d / "sub").mkdir(parents=True)
    (d / "a.txt").write_text("盘锦市交通运输局关于2024年法治政府建设情况的报告\n", encoding="utf-8")
    (d / "sub" / "b.txt").write_text("某县交通运输局2024年法治政府建设工作总结\n开展公平竞争审查。\n", encoding="utf-8")
    (d / "notes.json").write_text("{}", encoding="utf-8")
    return d


def test_folder_json_sorted_and_exit_0(tmp_path):
    d = corpus(tmp_path)
    res = run(str(d), "--format", "json", "--no-cache")
    assert res.exit_code == 0, res.output
    data = json.loads(res.stdout)
    assert [r["source"] for r in data["reports"]] == [f"{d}/a.txt", f"{d}/sub/b.txt"]
    assert data["summary"] == {"checked": 2, "failed": 0, "mean_score": round((52.1 + 80.0) / 2, 1)}


def test_glob_input(tmp_path):
    d = corpus(tmp_path)
    res = run(str(d / "**" / "*.txt"), "--format", "jsonl", "--no-cache")
    assert res.exit_code == 0
    assert len(res.stdout.splitlines()) == 2


def test_no_input_is_exit_2(tmp_path):
    res = run(str(tmp_path / "nothing-here"), "--format", "json")
    assert res.exit_code == 2
    assert "file not found" in res.stderr
    (tmp_path / "empty").mkdir()
    res = run(str(tmp_path / "empty"))
    assert res.exit_code == 2
    assert "no report files in" in res.stderr


def test_bad_option_is_exit_2(tmp_path):
    d = corpus(tmp_path)
    assert run(str(d), "--format", "pdf").exit_code == 2
    assert run(str(d), "--fail-on", "fatal").exit_code == 2


def test_unknown_ruleset_is_exit_2_with_one_line(tmp_path, monkeypatch):
    def bad(name):
        raise runner.RulesetLoadError(f"{name}: unknown ruleset (available: national)")

    monkeypatch.setattr(runner, "validate_ruleset", bad)
    res = run(str(corpus(tmp_path)), "--ruleset", "atlantis")
    assert res.exit_code == 2
    assert res.stderr.strip() == "规则集无法使用 invalid ruleset: atlantis: unknown ruleset (available: national)"


def test_fail_under_and_fail_on_exit_1(tmp_path):
    d = corpus(tmp_path)
    assert run(str(d), "--fail-under", "50", "--format", "json").exit_code == 0
    res = run(str(d), "--fail-under", "60", "--format", "json")
    assert res.exit_code == 1
    assert "a.txt: score 52.1 is below --fail-under 60" in res.stderr
    # b.txt has FCR met, a.txt has a missing critical FCR-01
    assert run(str(d / "sub"), "--fail-on", "critical", "--format", "json").exit_code == 0
    res = run(str(d), "--fail-on", "critical", "--format", "json")
    assert res.exit_code == 1 and "FCR-01" in res.stderr
    assert run(str(d / "sub"), "--fail-on", "major", "--format", "json").exit_code == 1  # TES-03 planned (major)


def test_unreadable_file_is_exit_3_and_wins_over_1(tmp_path):
    d = corpus(tmp_path)
    (d / "z-broken.txt").write_text("BROKEN", encoding="utf-8")
    res = run(str(d), "--format", "json", "--fail-under", "99")
    assert res.exit_code == 3
    data = json.loads(res.stdout)
    assert data["errors"] == [{"source": f"{d}/z-broken.txt", "error": "无法解析的文件"}]
    assert data["summary"]["checked"] == 2 and data["summary"]["failed"] == 1
    # a missing explicit file next to good ones: reported, exit 3
    res = run(str(d / "a.txt"), str(d / "gone.pdf"), "--format", "json")
    assert res.exit_code == 3
    assert json.loads(res.stdout)["errors"][0]["source"].endswith("gone.pdf")


def test_cache_serves_unchanged_and_recomputes_changed(tmp_path):
    d = corpus(tmp_path)

    def run(*args):  # in this process (--timeout 0), so CALLS sees every evaluation
        return globals()["run"](*args, "--timeout", "0")

    first = run(str(d), "--format", "json")
    assert len(CALLS) == 2
    second = run(str(d), "--format", "json")
    assert len(CALLS) == 2, "unchanged files must come from the cache"
    assert first.stdout == second.stdout
    assert list((tmp_path / "cache").rglob("*.json"))
    (d / "a.txt").write_text("盘锦市交通运输局关于2024年法治政府建设情况的报告\n开展公平竞争审查。\n", encoding="utf-8")
    third = run(str(d), "--format", "json")
    assert CALLS[-1].endswith("a.txt") and len(CALLS) == 3
    assert json.loads(third.stdout)["reports"][0]["score"]["total"] == 80.0
    run(str(d), "--format", "json", "--doc-type", "plan")  # another override is another key
    assert len(CALLS) == 5
    run(str(d), "--format", "json", "--no-cache")
    assert len(CALLS) == 7


def test_cache_key_changes_with_ruleset_file(tmp_path):
    from compliance.batch.cache import ruleset_hash

    rs = tmp_path / "my.yaml"
    rs.write_text("name: mine\n", encoding="utf-8")
    h1 = ruleset_hash(str(rs))
    rs.write_text("name: mine2\n", encoding="utf-8")
    assert ruleset_hash(str(rs)) != h1
    assert ruleset_hash("national") != ruleset_hash("zhejiang")


def test_jobs_give_byte_identical_json(tmp_path):
    d = corpus(tmp_path)
    for i in range(4):
        (d / f"c{i}.txt").write_text(f"第{i}份报告\n" + ("开展公平竞争审查。\n" if i % 2 else ""), encoding="utf-8")
    one = run(str(d), "--format", "json", "--no-cache", "--jobs", "1")
    three = run(str(d), "--format", "json", "--no-cache", "--jobs", "3")
    assert one.exit_code == three.exit_code == 0
    assert one.stdout == three.stdout
    assert len(json.loads(one.stdout)["reports"]) == 6


def test_jsonl_streams_to_file(tmp_path):
    d = corpus(tmp_path)
    (d / "z-broken.txt").write_text("BROKEN", encoding="utf-8")
    out = tmp_path / "out.jsonl"
    res = run(str(d), "--format", "jsonl", "-o", str(out), "--no-cache")
    assert res.exit_code == 3
    lines = out.read_text(encoding="utf-8").splitlines()
    objs = [json.loads(x) for x in lines]
    assert [o["source"].rsplit("/", 1)[-1] for o in objs] == ["a.txt", "b.txt", "z-broken.txt"]
    assert set(objs[2]) == {"source", "error"}


def test_xlsx_to_file_and_table_default(tmp_path):
    d = corpus(tmp_path)
    out = tmp_path / "r.xlsx"
    assert run(str(d), "--format", "xlsx", "-o", str(out)).exit_code == 0
    assert out.read_bytes()[:2] == b"PK"
    res = run(str(d))
    assert res.exit_code == 0
    assert "排名" in res.stdout and "盘锦市交通运输局" in res.stdout and "\x1b[" not in res.stdout


# ----------------------------------------------------------------------------- waivers


def write(p: Path, text: str) -> Path:
    p.write_text(text, encoding="utf-8")
    return p


def test_waiver_keeps_finding_visible_and_passes_fail_on(tmp_path):
    d = corpus(tmp_path)
    future = (dt.date.today() + dt.timedelta(days=30)).isoformat()
    w = write(tmp_path / "waivers.yaml", f"""
- rule: FCR-01
  issuer: 盘锦市交通运输局
  reason: 本局不制定涉及经营者经济活动的政策措施
  approved_by: 法制科
  expires: {future}
""")
    res = run(str(d / "a.txt"), "--format", "json", "--fail-on", "critical", "--waivers", str(w))
    assert res.exit_code == 0, res.stderr
    fcr = next(r for r in json.loads(res.stdout)["reports"][0]["results"] if r["rule_id"] == "FCR-01")
    assert fcr["status"] == "missing"
    assert fcr["waived"] == {"reason": "本局不制定涉及经营者经济活动的政策措施", "approved_by": "法制科", "expires": future}
    # inspectors see everything
    res = run(str(d / "a.txt"), "--format", "json", "--fail-on", "critical", "--waivers", str(w), "--ignore-waivers")
    assert res.exit_code == 1


def test_waived_finding_counts_as_met_for_fail_under(tmp_path):
    d = corpus(tmp_path)
    w = write(tmp_path / "w.yaml", "- {rule: FCR-01, file: 'a.txt', reason: 不适用于本局}\n")
    # 52.1 + 100*6/24 = 77.1
    assert run(str(d / "a.txt"), "--format", "json", "--fail-under", "75", "--waivers", str(w)).exit_code == 0
    assert run(str(d / "a.txt"), "--format", "json", "--fail-under", "78", "--waivers", str(w)).exit_code == 1
    res = run(str(d / "a.txt"), "--format", "json", "--fail-under", "75")
    assert res.exit_code == 1
    assert json.loads(res.stdout)["reports"][0]["score"]["total"] == 52.1  # the reported score is unchanged


def test_expired_waiver_not_applied_and_reported(tmp_path):
    d = corpus(tmp_path)
    w = write(tmp_path / "w.yaml", """waivers:
  - rule: FCR-*
    issuer: 盘锦市交通运输局
    reason: 去年的豁免
    expires: 2020-12-31
""")
    res = run(str(d / "a.txt"), "--format", "json", "--fail-on", "critical", "--waivers", str(w))
    assert res.exit_code == 1
    rep = json.loads(res.stdout)["reports"][0]
    assert all(r["waived"] is None for r in rep["results"])
    assert any("FCR-01" in x and "2020-12-31" in x and "w.yaml:2" in x for x in rep["warnings"])
    table = run(str(d / "a.txt"), "--waivers", str(w))
    assert "2020-12-31" in table.stdout
    md = run(str(d / "a.txt"), "--format", "markdown", "--waivers", str(w))
    assert "已于 2020-12-31 到期" in md.stdout


def test_waiver_file_errors_name_file_and_line(tmp_path):
    d = corpus(tmp_path)
    w = write(tmp_path / "bad.yaml", """- rule: FCR-01
  issuer: 盘锦市交通运输局
  reason: ok
- rule: TES-03
  reason: 缺少选择条件
- rule: AR-01
  file: a.txt
  reason: x
  expires: 明年
  colour: red
""")
    res = run(str(d), "--waivers", str(w))
    assert res.exit_code == 2
    err = res.stderr
    assert f"{w}:4:" in err and "needs at least one of issuer, file, fingerprint" in err
    assert f"{w}:9: expires:" in err
    assert f"{w}:10: colour:" in err
    assert "Traceback" not in err


def test_waiver_by_fingerprint(tmp_path):
    d = corpus(tmp_path)
    first = json.loads(run(str(d / "a.txt"), "--format", "json").stdout)
    fp = next(r["fingerprint"] for r in first["reports"][0]["results"] if r["rule_id"] == "TES-03")
    assert fp
    w = write(tmp_path / "w.yaml", f"- {{rule: TES-03, fingerprint: '{fp}', reason: 已列入明年计划}}\n")
    data = json.loads(run(str(d / "a.txt"), "--format", "json", "--waivers", str(w)).stdout)
    tes = next(r for r in data["reports"][0]["results"] if r["rule_id"] == "TES-03")
    assert tes["waived"]["reason"] == "已列入明年计划"


# ----------------------------------------------------------------------------- baseline


def test_baseline_new_persisting_resolved(tmp_path):
    d = corpus(tmp_path)
    prev = tmp_path / "prev.json"
    prev.write_text(run(str(d), "--format", "json").stdout, encoding="utf-8")
    # a.txt gains its FCR sentence: FCR-01 resolved there; b.txt unchanged: all persisting
    (d / "a.txt").write_text("盘锦市交通运输局关于2024年法治政府建设情况的报告\n开展公平竞争审查。\n", encoding="utf-8")
    data = json.loads(run(str(d), "--format", "json", "--baseline", str(prev)).stdout)
    a, b = data["reports"]
    assert [r["rule_id"] for r in a["resolved"]] == ["FCR-01"]
    assert a["resolved"][0]["baseline"] == "resolved"
    assert {r["baseline"] for r in a["results"] if r["status"] not in ("met", "not_applicable")} == {"persisting"}
    assert b["resolved"] == []
    assert all(r["baseline"] in (None, "persisting") for r in b["results"])
    assert all(r["baseline"] is None for r in a["results"] if r["status"] == "met")


def test_baseline_bad_file_is_exit_2(tmp_path):
    d = corpus(tmp_path)
    bad = write(tmp_path / "prev.json", "{not json")
    res = run(str(d), "--baseline", str(bad))
    assert res.exit_code == 2 and "prev.json:1" in res.stderr


def test_a_dying_worker_costs_one_file(tmp_path, monkeypatch):
    import os as _os

    def crashing(path, job, choose=None):
        if "CRASH" in Path(path).read_text(encoding="utf-8"):
            _os._exit(1)
        return fake_evaluate(path, job)

    monkeypatch.setattr(runner, "evaluate_file", crashing)
    d = corpus(tmp_path)
    (d / "m-crash.txt").write_text("CRASH", encoding="utf-8")
    res = run(str(d), "--format", "json", "--no-cache", "--jobs", "2")
    assert res.exit_code == 3
    data = json.loads(res.stdout)
    assert [e["source"].rsplit("/", 1)[-1] for e in data["errors"]] == ["m-crash.txt"]
    assert data["summary"]["checked"] == 2


def test_waiver_file_glob_matches_path_tails():
    from compliance.batch.waivers import Waiver

    rep = S.panjin(source="/srv/ci/repo/reports/panjin-2024-report.txt")
    w = Waiver(rule="FCR-01", file="reports/panjin-*.txt", reason="x")
    assert w.matches(rep, "FCR-01", set())
    assert Waiver(rule="FCR-*", file="panjin-2024-report.txt", reason="x").matches(rep, "FCR-01", set())
    assert not Waiver(rule="FCR-01", file="other/panjin-*.txt", reason="x").matches(rep, "FCR-01", set())
    assert not w.matches(rep, "TES-03", set())
    assert not Waiver(rule="FCR-01", issuer="绍兴市交通运输局", file="*.txt", reason="x").matches(rep, "FCR-01", set())


def test_a_hanging_file_is_stopped_and_listed(tmp_path, monkeypatch):
    """A file the engine never finishes (say a catastrophic regex in a custom ruleset) costs that
    file, not the batch: its worker is stopped after --timeout and the rest is checked."""
    import time as _time

    def hanging(path, job, choose=None):
        if "HANG" in Path(path).read_text(encoding="utf-8"):
            _time.sleep(3600)
        return fake_evaluate(path, job)

    monkeypatch.setattr(runner, "evaluate_file", hanging)
    d = corpus(tmp_path)
    (d / "m-hang.txt").write_text("HANG", encoding="utf-8")
    t0 = _time.monotonic()
    for jobs in ("2", "1"):  # with --jobs 1, an explicit --timeout runs the files in a worker
        res = run(str(d), "--format", "json", "--no-cache", "--jobs", jobs, "--timeout", "2")
        assert res.exit_code == 3, res.output
        data = json.loads(res.stdout)
        assert [(e["source"].rsplit("/", 1)[-1], "longer than 2 s" in e["error"]) for e in data["errors"]] \
            == [("m-hang.txt", True)]
        assert data["summary"]["checked"] == 2
    assert _time.monotonic() - t0 < 60


def test_default_jobs_use_workers_only_for_a_batch(tmp_path, monkeypatch):
    from compliance.batch.limits import cpus
    from compliance.batch.runner import auto_jobs

    assert auto_jobs(1) == auto_jobs(15) == 1
    assert auto_jobs(16) == min(cpus(), 2) and auto_jobs(10_000) == min(cpus(), 8)

    seen = []
    real = runner.iter_batch

    def spy(files, job, jobs=1, raw=False):
        seen.append((len(files), jobs, job.timeout))
        return real(files, job, jobs, raw)

    monkeypatch.setattr(runner, "iter_batch", spy)
    d = corpus(tmp_path)
    assert run(str(d), "--format", "json", "--no-cache").exit_code == 0
    for i in range(16):
        (d / f"n{i:02}.txt").write_text(f"第{i}份报告\n", encoding="utf-8")
    assert run(str(d), "--format", "json", "--no-cache").exit_code == 0
    assert seen[0] == (2, 1, 20.0)  # a few files: one worker process, with the time (and memory) limit
    assert seen[1][:2] == (18, auto_jobs(18)) and seen[1][2] == 20.0


def test_no_worker_processes_falls_back_to_this_process(tmp_path, monkeypatch):
    """A machine without working semaphores (no /dev/shm) still checks every file."""
    def no_pool(*a, **k):
        raise OSError("sem_open: function not implemented")

    monkeypatch.setattr(runner, "ProcessPoolExecutor", no_pool)
    d = corpus(tmp_path)
    res = run(str(d), "--format", "json", "--no-cache", "--jobs", "2")
    assert res.exit_code == 0, res.output
    assert json.loads(res.stdout)["summary"]["checked"] == 2
