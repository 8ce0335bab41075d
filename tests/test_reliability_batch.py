"""Batches stay correct around failures: broken files do not change good files' results, an
interrupted jsonl run leaves only whole lines and the cache finishes the rest, and --jobs does not
change the output by a byte."""

from __future__ import annotations

import io
import json
import os
import signal
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest
from typer.testing import CliRunner

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))
from generate import generate  # noqa: E402

TIMEOUT = 240


def _cli(*args: str, cache: Path | None = None) -> subprocess.CompletedProcess:
    env = dict(os.environ)
    if cache is not None:
        env["COMPLIANCE_CACHE_DIR"] = str(cache)
    return subprocess.run([sys.executable, "-m", "compliance.cli", *args], capture_output=True, text=True,
                          timeout=TIMEOUT, cwd=ROOT, env=env)


def _inproc(*args: str):
    from compliance.cli import _register, app

    _register()
    r = CliRunner().invoke(app, list(args))
    assert r.exception is None or isinstance(r.exception, SystemExit), repr(r.exception)
    return r


def _bomb() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("word/document.xml", b" " * (30 << 20))
    return buf.getvalue()


@pytest.fixture(scope="module")
def mixed(tmp_path_factory) -> tuple[Path, list[Path], list[Path]]:
    d = tmp_path_factory.mktemp("mixed")
    good = []
    for p in sorted((ROOT / "reports").glob("*.txt")):
        good.append(d / p.name)
        good[-1].write_bytes(p.read_bytes())
    for name, text in generate(4, seed=11):
        good.append(d / f"gen-{name}")
        good[-1].write_text(text, encoding="utf-8")
    broken = {"a-random.pdf": os.urandom(3000), "b-empty.txt": b"", "c-bomb.docx": _bomb(),
              "d-garbage.docx": b"PK\x03\x04" + os.urandom(2000), "e-nul.txt": b"\x00" * 4000}
    bad = []
    for k, v in broken.items():
        bad.append(d / k)
        bad[-1].write_bytes(v)
    return d, good, bad


@pytest.fixture(scope="module")
def mixed_jobs2(mixed) -> subprocess.CompletedProcess:
    d, _, _ = mixed
    return _cli("check", str(d), "--jobs", "2", "--no-cache", "--format", "json", "-q")


def test_broken_files_do_not_change_good_results(mixed, mixed_jobs2):
    d, good, bad = mixed
    p = mixed_jobs2
    assert p.returncode == 3 and "Traceback" not in p.stderr
    out = json.loads(p.stdout)
    assert {e["source"] for e in out["errors"]} == {str(b) for b in bad}
    by_src = {r["source"]: r for r in out["reports"]}
    assert set(by_src) == {str(g) for g in good}
    for g in good:
        alone = _inproc("check", str(g), "--no-cache", "--format", "json", "-q")
        assert alone.exit_code == 0, alone.output
        rep = json.loads(alone.stdout)["reports"]
        assert rep == [by_src[str(g)]], g


def test_jobs_do_not_change_output_bytes(mixed, mixed_jobs2):
    d, _, _ = mixed
    one = _inproc("check", str(d), "--jobs", "1", "--no-cache", "--format", "json", "-q")
    assert one.exit_code == 3
    assert one.stdout == mixed_jobs2.stdout
    assert json.loads(one.stdout)["summary"]["checked"] > 5


def _count_lines(path: Path) -> int:
    try:
        return path.read_bytes().count(b"\n")
    except FileNotFoundError:
        return 0


def _whole_lines(path: Path) -> list[dict]:
    data = path.read_bytes()
    assert not data or data.endswith(b"\n"), "a partial last line"
    rows = [json.loads(ln) for ln in data.decode("utf-8").splitlines()]
    assert all(r.get("source") for r in rows)
    return rows


@pytest.mark.parametrize("sig", ["SIGINT", "SIGTERM"])
def test_interrupted_jsonl_batch_keeps_whole_lines_and_cache_resumes(tmp_path, sig):
    n = 90
    src = tmp_path / "in"
    src.mkdir()
    for name, text in generate(n, seed=5):
        (src / name).write_text(text, encoding="utf-8")
    cache, out = tmp_path / "cache", tmp_path / "out.jsonl"
    cmd = [sys.executable, "-m", "compliance.cli", "check", str(src), "--jobs", "2", "--format", "jsonl", "-o", str(out), "-q"]
    env = dict(os.environ, COMPLIANCE_CACHE_DIR=str(cache))
    proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        t0 = time.monotonic()
        while _count_lines(out) < 5 and proc.poll() is None and time.monotonic() - t0 < TIMEOUT:
            time.sleep(0.02)
        assert proc.poll() is None, "finished before it could be interrupted"
        proc.send_signal(getattr(signal, sig))
        _, err = proc.communicate(timeout=60)  # returns only once the workers closed stderr too
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode != 0 and b"Traceback" not in err
    first = _whole_lines(out)
    assert 5 <= len(first) < n
    assert len(list(cache.rglob("*.json"))) >= len(first)

    again = _cli("check", str(src), "--jobs", "2", "--format", "jsonl", "-o", str(out), "-q", cache=cache)
    assert again.returncode == 0, again.stderr
    rows = _whole_lines(out)
    assert [r["source"] for r in rows] == sorted(str(p) for p in src.glob("*.txt"))
    assert rows[: len(first)] == first  # cached results equal the ones computed before the signal
    if sig == "SIGINT":  # …and equal fresh ones, byte for byte
        fresh = tmp_path / "fresh.jsonl"
        p = _cli("check", str(src), "--jobs", "2", "--no-cache", "--format", "jsonl", "-o", str(fresh), "-q")
        assert p.returncode == 0
        assert fresh.read_bytes() == out.read_bytes()


def test_the_html_text_view_reads_inputs_again_in_a_limited_worker(tmp_path):
    """`--format html` re-reads each input for its text view: in a worker with the checks' limits,
    so a file swapped for a FIFO (or anything unreadable) after its check costs its view only."""
    import os

    from compliance.batch.runner import LineReader

    ok = tmp_path / "r.txt"
    ok.write_text("某局2024年法治政府建设情况报告\n一、主要工作\n", encoding="utf-8")
    fifo = tmp_path / "swapped.txt"
    os.mkfifo(fifo)
    reader = LineReader(timeout=20)
    try:
        assert reader(str(ok)) == ["某局2024年法治政府建设情况报告", "一、主要工作"]
        assert reader(str(fifo)) is None
        assert reader(str(tmp_path / "gone.txt")) is None
        assert reader(str(ok)) == ["某局2024年法治政府建设情况报告", "一、主要工作"]  # the worker lives on
    finally:
        reader.close()
