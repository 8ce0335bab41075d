"""Issue 13: nothing a user or an attacker hands the tool crashes it, hangs it, exhausts it, or
corrupts what it writes. Small generated versions of every hostile class (bench/hostile.py runs
the full-size ones); each must end in a clear error or a correct result, with no traceback.
Subprocesses carry a generous timeout as a hang guard; no timing is asserted."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import xml.dom.minidom
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))
import hostile_inputs as H  # noqa: E402

from compliance.readers import ReadError, read  # noqa: E402
from compliance.readers import base as rbase  # noqa: E402

GUARD = 120  # seconds: a hang guard, not a timing assertion


def cli(*args: str, cwd: Path | None = None, env: dict | None = None) -> subprocess.CompletedProcess:
    e = dict(os.environ, **(env or {}))
    e.setdefault("COMPLIANCE_CACHE_DIR", str((cwd or ROOT) / ".hostile-cache"))
    return subprocess.run([sys.executable, "-m", "compliance.cli", *args], capture_output=True, text=True,
                          timeout=GUARD, cwd=cwd or ROOT, env=e)


class _Result:
    def __init__(self, code: int, stdout: str, stderr: str) -> None:
        self.returncode, self.stdout, self.stderr = code, stdout, stderr


def inproc(cwd: Path, *args: str, env: dict[str, str] | None = None) -> _Result:
    """`compliance …` in this process (no interpreter start: most cases here end before any
    report is checked, or check in this process with --timeout 0)."""
    from typer.testing import CliRunner

    from compliance.cli import _register, app

    _register()
    old = Path.cwd()
    os.chdir(cwd)
    env = {"COMPLIANCE_CACHE_DIR": str(cwd / ".hostile-cache"), **(env or {})}
    saved = {k: os.environ.get(k) for k in env}
    os.environ.update(env)
    try:
        r = CliRunner().invoke(app, list(args))
    finally:
        os.chdir(old)
        for k, v in saved.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v
    err = r.stderr
    if r.exception is not None and not isinstance(r.exception, SystemExit):
        import traceback

        err += "Traceback\n" + "".join(traceback.format_exception(r.exception))
    return _Result(r.exit_code, r.stdout, err)


def clean(p, code: int) -> None:
    assert "Traceback" not in p.stderr and "Traceback" not in p.stdout, p.stderr[-2000:]
    assert p.returncode == code, (p.returncode, p.stderr[-2000:])


def limit_error(path: Path) -> str:
    with pytest.raises(ReadError) as exc:
        read(path)
    assert exc.value.reason.startswith("超出限制"), exc.value.reason
    return exc.value.reason


# --------------------------------------------------------------------------- readers


def test_docx_whose_document_xml_inflates_past_the_member_limit(tmp_path, monkeypatch):
    monkeypatch.setattr(rbase, "MAX_ZIP_MEMBER_BYTES", 1024 * 1024)
    monkeypatch.setattr(rbase, "ZIP_MAX_RATIO", 10**9)  # past the header check: the counted bytes decide
    assert "document.xml" in limit_error(H.docx_big_xml(tmp_path, 3))


def test_docx_with_a_lying_zip_header_is_refused_not_inflated(tmp_path):
    with pytest.raises(ReadError) as exc:  # zipfile stops at the declared size; the CRC then fails
        read(H.docx_lying_header(tmp_path, 3))
    assert "docx" in exc.value.reason.lower() or "超出限制" in exc.value.reason


def test_zip_budget_counts_every_read_of_a_member(tmp_path, monkeypatch):
    monkeypatch.setattr(rbase, "ZIP_READ_FACTOR", 1)
    monkeypatch.setenv("COMPLIANCE_MAX_BYTES", str(64 * 1024))
    assert "超出限制" in limit_error(H.ofd_page_refs(tmp_path, 400))  # 400 pages: below the page limit


def test_ofd_naming_one_page_thousands_of_times(tmp_path):
    assert "页" in limit_error(H.ofd_page_refs(tmp_path, rbase.MAX_PAGES + 1))


def test_html_nested_past_the_depth_limit_is_refused_before_parsing(tmp_path):
    from compliance.readers.html import MAX_HTML_DEPTH

    assert "嵌套" in limit_error(H.html_nested(tmp_path, MAX_HTML_DEPTH + 10))


def test_pdf_content_stream_bomb(tmp_path):
    assert "解压" in limit_error(H.pdf_bomb(tmp_path, 17))


def test_pdf_of_millions_of_text_operators(tmp_path, monkeypatch):
    import compliance.readers.pdf as pdf

    monkeypatch.setattr(pdf, "MAX_CONTENT_STREAM", 1024 * 1024)
    assert "内容流" in limit_error(H.pdf_many_ops(tmp_path, 40_000))


def test_pdf_below_the_limits_still_reads(tmp_path):
    with pytest.raises(ReadError) as exc:  # spaces only: read fine, and found to have no text
        read(H.pdf_bomb(tmp_path, 1))
    assert "no extractable text" in exc.value.reason


def test_txt_of_too_many_lines_and_of_one_huge_line(tmp_path):
    assert "行" in limit_error(H.txt_many_lines(tmp_path, rbase.MAX_LINES + 10))
    assert "字" in limit_error(H.txt_long_line(tmp_path, 4))


def test_limit_errors_reach_the_web_wording_unchanged():
    from compliance.readers.messages import bilingual

    reason = "超出限制: 超过 50,000 行 (limit exceeded: more than 50,000 lines)"
    assert bilingual(reason) == reason


# --------------------------------------------------------------------------- paths that are not regular files


def test_fifo_and_device_symlink_in_an_input_folder_are_errors_not_hangs(tmp_path):
    d = tmp_path / "in"
    d.mkdir()
    H.report_txt(d)
    os.mkfifo(d / "fifo.txt")
    (d / "zero.txt").symlink_to("/dev/zero")
    p = cli("check", str(d), "-f", "json", "-o", str(tmp_path / "out.json"), cwd=tmp_path)
    clean(p, 3)
    doc = json.loads((tmp_path / "out.json").read_text(encoding="utf-8"))
    assert [r["source"].rsplit("/", 1)[1] for r in doc["reports"]] == ["ok.txt"]
    assert all("not a regular file" in e["error"] for e in doc["errors"]) and len(doc["errors"]) == 2


@pytest.mark.parametrize("option", ["--ruleset", "--waivers", "--baseline"])
def test_config_files_that_are_fifos_or_devices(tmp_path, option):
    H.report_txt(tmp_path)
    os.mkfifo(tmp_path / "fifo.yaml")
    for target in ("fifo.yaml", "/dev/zero"):
        p = inproc(tmp_path, "check", "ok.txt", option, target, "-q")
        clean(p, 2)
        assert "not a regular file" in p.stderr


def test_cache_entry_that_is_garbage_a_fifo_or_a_device_heals(tmp_path):
    H.report_txt(tmp_path)
    first = inproc(tmp_path, "check", "ok.txt", "-f", "json", "--timeout", "0")
    clean(first, 0)
    entries = list((tmp_path / ".hostile-cache").rglob("*.json"))
    assert len(entries) == 1
    for spoil in ("garbage", "fifo", "device"):
        entry = entries[0]
        entry.unlink()
        if spoil == "garbage":
            entry.write_bytes(b"\xff\xfe\x00garbage")
        elif spoil == "fifo":
            os.mkfifo(entry)
        else:
            entry.symlink_to("/dev/zero")
        again = inproc(tmp_path, "check", "ok.txt", "-f", "json", "--timeout", "0")
        clean(again, 0)
        assert json.loads(again.stdout)["reports"][0]["score"] == json.loads(first.stdout)["reports"][0]["score"]
        assert entry.is_file() and not entry.is_symlink()  # recomputed and written afresh


# --------------------------------------------------------------------------- corrupt state, line-cited errors


def test_impossible_dates_and_binary_files_are_line_cited(tmp_path):
    H.report_txt(tmp_path)
    (tmp_path / "r.yaml").write_text("name: t\nversion: 2026-02-30\nrules: []\n", encoding="utf-8")
    (tmp_path / "w.yaml").write_text("- rule: AR-01\n  issuer: x\n  reason: y\n  expires: 2026-02-30\n", encoding="utf-8")
    (tmp_path / "bin.yaml").write_bytes(b"\x00\x01\x02binary")
    (tmp_path / "b.json").write_bytes(b"\x89PNG\x00\x00")
    for args, want in ((("--ruleset", "r.yaml"), "r.yaml:2: version: impossible date"),
                       (("--waivers", "w.yaml"), "w.yaml:4: expires: impossible date"),
                       (("--waivers", "bin.yaml"), "bin.yaml:1: "),
                       (("--baseline", "b.json"), "b.json:1: ")):
        p = inproc(tmp_path, "check", "ok.txt", *args, "-q")
        clean(p, 2)
        assert want in p.stderr.splitlines()[0], p.stderr


def test_baseline_of_wrong_types_and_absurd_nesting(tmp_path):
    from compliance.batch.baseline import Baseline, BaselineError

    odd = tmp_path / "odd.json"
    odd.write_text(json.dumps({"reports": [{"sha256": 5, "meta": [1], "source": {}, "results": "x"}, 3,
                                           {"meta": {"issuer": {}, "period": "ab"}, "results": [1, {"rule_id": []}]}]}))
    assert len(Baseline.load(odd).reports) == 2  # read leniently: wrong types count as absent
    deep = tmp_path / "deep.json"
    deep.write_text('{"reports": ' + "[" * 100_000 + "]" * 100_000 + "}")
    with pytest.raises(BaselineError, match=r"deep.json:1: nested too deeply"):
        Baseline.load(deep)


def test_a_bad_ruleset_in_the_rulesets_folder_does_not_break_auto(tmp_path):
    H.report_txt(tmp_path)
    extra = tmp_path / "rs"
    extra.mkdir()
    (extra / "bad.yaml").write_text("name: bad\nversion: 2026-02-30\nprovince: 浙江省\n", encoding="utf-8")
    p = cli("check", "ok.txt", "-f", "json", cwd=tmp_path, env={"COMPLIANCE_RULESETS": str(extra)})
    clean(p, 0)


def test_extends_outside_the_ruleset_folders_never_echoes_the_file(tmp_path):
    H.report_txt(tmp_path)
    secret = tmp_path / "secret.yaml"
    secret.write_text("root: SECRET-VALUE\nadmin: x\n", encoding="utf-8")
    sub = tmp_path / "rules"
    sub.mkdir()
    (sub / "r.yaml").write_text("name: t\nversion: '1'\nextends: ../secret.yaml\nrules: []\n", encoding="utf-8")
    (sub / "s.yaml").write_text(f"name: t\nversion: '1'\nextends: {secret}\nrules: []\n", encoding="utf-8")
    p = inproc(tmp_path, "check", "ok.txt", "--ruleset", "rules/r.yaml", "-q")
    clean(p, 2)
    assert "r.yaml:3: extends: extends must stay inside the ruleset folders" in p.stderr
    p = inproc(tmp_path, "check", "ok.txt", "--ruleset", "rules/s.yaml", "-q")  # explicit path: allowed, not echoed
    clean(p, 2)
    assert "not a ruleset file" in p.stderr and "SECRET" not in p.stderr and "admin" not in p.stderr


# --------------------------------------------------------------------------- regexes


@pytest.mark.parametrize("cue", ["/(依|依依)*法/", "/(.*依){30}/", "/(a+)+b/"])
def test_lint_rejects_catastrophic_cue_shapes(tmp_path, cue):
    H.report_txt(tmp_path)
    (tmp_path / "r.yaml").write_text(H.catastrophic_ruleset(cue), encoding="utf-8")
    p = inproc(tmp_path, "check", "ok.txt", "--ruleset", "r.yaml", "-q")
    clean(p, 2)
    assert "backtracks" in p.stderr


def test_a_cue_that_runs_out_of_time_is_skipped_and_reported(monkeypatch):
    from compliance.rules import load

    monkeypatch.setattr(load, "CUE_TIMEOUT", 0.05)
    cue = load.compile_cue("/((a+)+)+b/")  # past lint (it is rejected there); matched directly
    load.take_timeouts()
    assert list(cue.finditer("a" * 5000 + "!")) == []
    assert load.take_timeouts() == ["/((a+)+)+b/"]
    assert load.compile_cue("/(?<=依)法/").search("依法")  # lookbehind: Python's syntax kept


# --------------------------------------------------------------------------- outputs


FORMATS = ("json", "jsonl", "csv", "html", "xlsx", "sarif", "junit", "markdown", "table")


@pytest.fixture(scope="module")
def report_dir(tmp_path_factory):
    d = tmp_path_factory.mktemp("out")
    H.report_txt(d)
    return d


def test_full_disk_exits_2_with_a_message_for_every_format(report_dir):
    for fmt in FORMATS:
        p = inproc(report_dir, "check", "ok.txt", "-f", fmt, "-o", "/dev/full", "--timeout", "0")
        clean(p, 2)
        assert "cannot write output: /dev/full: 磁盘已满 disk full" in p.stderr, fmt
    assert Path("/dev/full").is_char_device()


def test_output_to_a_device_is_written_in_place(report_dir):
    p = inproc(report_dir, "check", "ok.txt", "-f", "json", "-o", "/dev/null", "--timeout", "0")
    clean(p, 0)
    assert Path("/dev/null").is_char_device()


def test_output_to_a_fifo_is_written_in_place(tmp_path):
    H.report_txt(tmp_path)
    fifo = tmp_path / "out.fifo"
    os.mkfifo(fifo)
    proc = subprocess.Popen([sys.executable, "-m", "compliance.cli", "check", "ok.txt", "-f", "jsonl", "-o", str(fifo)],
                            cwd=tmp_path, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                            env=dict(os.environ, COMPLIANCE_CACHE_DIR=str(tmp_path / "c")))
    with open(fifo, encoding="utf-8") as fh:
        got = fh.read()
    proc.wait(GUARD)
    assert proc.returncode == 0 and fifo.is_fifo()
    assert json.loads(got.splitlines()[0])["source"] == "ok.txt"


def test_a_planted_part_symlink_is_replaced_not_followed(tmp_path):
    H.report_txt(tmp_path)
    victim = tmp_path / "victim.txt"
    victim.write_text("keep me", encoding="utf-8")
    for fmt in ("json", "html"):
        out = tmp_path / f"out.{fmt}"
        Path(str(out) + ".part").symlink_to(victim)
        p = inproc(tmp_path, "check", "ok.txt", "-f", fmt, "-o", str(out), "--timeout", "0")
        clean(p, 0)
        assert victim.read_text(encoding="utf-8") == "keep me"
        assert out.is_file() and not out.is_symlink() and not Path(str(out) + ".part").exists()


def test_a_failed_write_leaves_no_file_at_the_final_path(tmp_path, monkeypatch):
    """ENOSPC on a regular path, for the rename writer and the in-place jsonl writer."""
    import errno

    from compliance.safeio import Output, OutputError, write_output

    def full(self, data):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(Output, "write", lambda self, data: (self.abort(), full(self, data)))
    for name in ("a.html", "b.jsonl"):
        out = tmp_path / name
        with pytest.raises(OSError):
            o = Output(out, keep_partial=name.endswith("jsonl"))
            o.open()
            o.write(b"x")
        assert not out.exists() and not Path(str(out) + ".part").exists()
    monkeypatch.undo()

    import compliance.safeio as safeio

    def no_fsync(fd):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(safeio.os, "fsync", no_fsync)
    out = tmp_path / "c.xlsx"
    out.write_bytes(b"previous complete file")
    with pytest.raises(OutputError, match="disk full"):
        write_output(out, b"new bytes")
    assert out.read_bytes() == b"previous complete file" and not Path(str(out) + ".part").exists()


def test_csv_cells_cannot_start_a_formula(tmp_path):
    (tmp_path / "=HYPERLINK(1).txt").write_text("@SUM(1+1)\n" + H.REPORT, encoding="utf-8")
    p = inproc(tmp_path, "check", "=HYPERLINK(1).txt", "-f", "csv", "--no-cache", "--timeout", "0")
    clean(p, 0)
    import csv
    import io

    rows = list(csv.reader(io.StringIO(p.stdout.lstrip("\ufeff"))))
    cells = [c for row in rows[1:] for c in row]
    assert cells and not any(c.startswith(("=", "+", "@", "\t", "\r")) for c in cells)
    assert not any(c.startswith("-") and not c.lstrip("-").replace(".", "").isdigit() for c in cells)
    assert any(c.startswith("'=HYPERLINK") for c in cells)


def test_control_characters_never_reach_xml_markdown_or_the_terminal(tmp_path):
    d = tmp_path / "in"
    d.mkdir()
    (d / "a\x1b[31mred\x07.txt").write_text(H.REPORT, encoding="utf-8")
    (d / "b\x1b.txt").write_bytes(b"")  # an error entry, with ESC in its name
    for fmt in ("junit", "markdown", "table"):
        p = inproc(tmp_path, "check", str(d), "-f", fmt, "--no-cache", "--timeout", "0")
        clean(p, 3)
        assert "\x1b" not in p.stdout and "\x07" not in p.stdout, fmt
        if fmt == "junit":
            xml.dom.minidom.parseString(p.stdout.encode("utf-8"))  # well-formed


def test_file_name_with_rich_markup_is_shown_as_written(tmp_path):
    (tmp_path / "x[red]y[bold].txt").write_bytes(b"")
    p = inproc(tmp_path, "check", "x[red]y[bold].txt", "--no-cache", "--timeout", "0")
    clean(p, 3)
    assert "x[red]y[bold].txt" in p.stdout


# --------------------------------------------------------------------------- isolation


def test_a_file_past_the_time_limit_is_stopped_and_the_batch_goes_on(tmp_path):
    d = tmp_path / "in"
    d.mkdir()
    H.report_txt(d, "a.txt")
    H.report_txt(d, "b.txt")
    p = cli("check", str(d), "-f", "json", "--timeout", "0.001", "--no-cache", cwd=tmp_path)
    clean(p, 3)
    doc = json.loads(p.stdout)
    assert {e["error"].split(":")[0] for e in doc["errors"]} == {"超出限制"}


def test_the_memory_limit_turns_a_bomb_into_memory_error():
    code = ("from compliance.batch.limits import limit_memory\n"
            "limit_memory(300)\n"
            "try:\n    b = bytearray(1500 * 1024 * 1024)\nexcept MemoryError:\n    print('limited')\n")
    p = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=GUARD, cwd=ROOT)
    assert p.returncode == 0 and p.stdout.strip() == "limited", p.stderr


def test_a_memory_error_is_that_file_s_limit_error(monkeypatch):
    from compliance.batch import runner

    def bomb(path, job, choose=None):
        raise MemoryError

    monkeypatch.setattr(runner, "evaluate_file", bomb)
    item = runner.check_one("x.txt", runner.Job(use_cache=False))
    assert item.error.startswith("超出限制: 内存超过")


# --------------------------------------------------------------------------- web


def test_web_refuses_foreign_hosts_and_cross_origin_posts():
    from fastapi.testclient import TestClient

    from compliance.web.app import allowed_hosts, create_app
    from compliance.web.service import Limits

    hosts = allowed_hosts("127.0.0.1")
    assert "localhost" in hosts and "evil.example" not in hosts
    c = TestClient(create_app(Limits(allowed_hosts=("testserver",), workers=0)))
    assert c.get("/").status_code == 200
    assert c.get("/", headers={"host": "evil.example"}).status_code == 400
    files = {"files": ("a.txt", H.REPORT.encode(), "text/plain")}
    r = c.post("/api/check", files=files, headers={"origin": "http://evil.example"})
    assert r.status_code == 403 and "跨站" in r.json()["detail"]
    r = c.post("/api/check", files=files, headers={"sec-fetch-site": "cross-site"})
    assert r.status_code == 403
    # a sandboxed or opaque origin is refused; the app's own form (Referrer-Policy: no-referrer
    # makes the browser send Origin: null) is told apart by Sec-Fetch-Site
    r = c.post("/api/check", files=files, headers={"origin": "null"})
    assert r.status_code == 403
    r = c.post("/api/check", files=files, headers={"origin": "null", "sec-fetch-site": "same-origin"})
    assert r.status_code != 403


def test_web_checks_run_in_workers_that_are_replaced_after_a_timeout():
    from compliance.web.service import Upload, check_many
    from compliance.web.workers import CheckPool

    pool = CheckPool(1, timeout=60)
    try:
        done, errors = check_many([Upload("a.txt", H.REPORT.encode())], "auto", None, pool)
        assert len(done) == 1 and not errors
        pool.timeout = 0.001  # the next check overruns: its worker is killed
        done, errors = check_many([Upload("b.txt", H.REPORT.encode())], "auto", None, pool)
        assert not done and errors[0].error.startswith("b.txt: 超出限制")
        pool.timeout = 60  # a fresh worker takes the next one
        done, errors = check_many([Upload("c.txt", H.REPORT.encode()),
                                   Upload("d.txt", b"\x00\x01 binary")], "auto", None, pool)
        assert [c.name for c in done] == ["c.txt"] and errors[0].source == "d.txt"
    finally:
        pool.close()


def test_web_result_store_is_bounded_in_bytes():
    from compliance.web.service import LRU

    lru = LRU(1000, max_bytes=100)
    for i in range(10):
        lru.put(str(i), i, size=30)
    assert lru.bytes <= 100 and len(lru) == 3 and lru.get("9") == 9 and lru.get("0") is None


def test_killing_a_stuck_pool_leaves_no_manager_thread_behind():
    """A pool killed on a timeout must not leave its manager thread running: at interpreter exit
    it would write to the pool's closed wake-up pipe ("Bad file descriptor" traceback on stderr)."""
    import time
    from concurrent.futures import ProcessPoolExecutor

    from compliance.batch import runner

    pool = ProcessPoolExecutor(max_workers=1)
    pool.submit(time.sleep, 60)
    manager = pool._executor_manager_thread
    assert manager is not None and manager.is_alive()
    runner._kill(pool)
    assert not manager.is_alive()


def test_web_api_json_from_workers_is_the_same_bytes_as_from_report_objects():
    """The JSON API splices the workers' finished report JSON into the envelope; the answer is
    the same bytes as rebuilding every report object and rendering `--format json`, and a bad
    upload is still one error entry among the good ones."""
    from compliance.web.service import Upload, check_json, check_many, make_check_result, render_download
    from compliance.web.workers import CheckPool

    root = Path(__file__).resolve().parent.parent / "reports"
    uploads = [Upload(p.name, p.read_bytes()) for p in sorted(root.glob("*.txt"))[:2]]
    uploads.insert(1, Upload("坏文件.docx", b"PK\x03\x04 truncated"))
    uploads.append(Upload("空.txt", b"  "))
    done, errors = check_many(uploads, "auto", None)  # in this process, as objects
    expected = render_download(make_check_result([c.result for c in done], errors), "json")
    assert len(done) == 2 and len(errors) == 2
    assert check_json(uploads, "auto", None) == expected  # in this process, as text
    pool = CheckPool(1, timeout=60)
    try:
        assert check_json(uploads, "auto", None, pool) == expected
    finally:
        pool.close()


def test_web_pool_hands_a_freed_worker_to_the_oldest_waiting_request(monkeypatch):
    """Requests waiting for a busy pool are served in arrival order (no polling, no overtaking),
    and closing the pool ends every wait with CheckFailed."""
    import threading

    from compliance.web.workers import CheckFailed, CheckPool, _Worker

    pool = CheckPool(1)
    monkeypatch.setattr(pool, "_spawn", lambda: _Worker(proc=None, conn=None))
    first = pool._acquire()  # the one worker, started on demand
    got: list[int] = []

    def wait(k: int) -> None:
        try:
            pool._acquire()
        except CheckFailed:
            got.append(-k)
            return
        got.append(k)
        pool._release(first)

    threads = []
    for k in range(1, 6):
        th = threading.Thread(target=wait, args=(k,))
        th.start()
        threads.append(th)
        while len(pool._waiting) < k:  # queued before the next one arrives
            threading.Event().wait(0.001)
    pool._release(first)
    for th in threads:
        th.join()
    assert got == [1, 2, 3, 4, 5]

    pool._acquire()  # busy again: a waiting request ends when the pool closes
    th = threading.Thread(target=wait, args=(9,))
    th.start()
    while not pool._waiting:
        threading.Event().wait(0.001)
    pool.close()  # no processes to stop here (none was started)
    th.join()
    assert got[-1] == -9
