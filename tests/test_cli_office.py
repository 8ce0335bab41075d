"""Daily use in an office: --version, clear "file not found", what a folder scan takes, a busy
port. Messages are Chinese first, English after."""

import re
import shutil
import socket
from pathlib import Path

import pytest
from typer.testing import CliRunner

REPORTS = Path(__file__).resolve().parent.parent / "reports"


def _app():
    from compliance.cli import _register, app

    _register()
    return app


def _run(*args):
    return CliRunner().invoke(_app(), list(args))


def _zh_first(text: str) -> bool:
    """The first letter-like character is Chinese."""
    m = re.search(r"[A-Za-z\u4e00-\u9fff]", text)
    return bool(m) and "\u4e00" <= m.group(0) <= "\u9fff"


def test_version():
    from compliance import __version__

    res = _run("--version")
    assert res.exit_code == 0
    assert res.output.strip() == f"compliance {__version__}"


def test_a_missing_file_is_file_not_found_exit_2(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    res = _run("check", "nosuch.txt", "--no-cache")
    assert res.exit_code == 2
    assert "找不到文件 file not found: nosuch.txt" in res.output
    assert "no report files" not in res.output
    assert _zh_first(res.output)


def test_a_missing_file_beside_a_good_one_is_a_read_error_exit_3(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    shutil.copy(REPORTS / "panjin-2024-report.txt", tmp_path / "a.txt")
    res = _run("check", "a.txt", "nosuch.txt", "--no-cache", "--format", "json", "-o", "out.json")
    assert res.exit_code == 3
    assert "nosuch.txt" in res.output


def test_folder_scan_skips_notes_readme_and_word_lock_files(tmp_path, monkeypatch):
    from compliance.batch.inputs import collect_inputs

    inbox = tmp_path / "inbox"
    inbox.mkdir()
    shutil.copy(REPORTS / "panjin-2024-report.txt", inbox / "panjin.txt")
    for name in ("notes.md", "README.md", "~$panjin.docx", ".hidden.txt"):
        (inbox / name).write_text("# 笔记\n", encoding="utf-8")
    files, missing = collect_inputs([str(inbox)])
    assert [Path(f).name for f in files] == ["panjin.txt"] and not missing
    # a glob that takes what a folder scan takes, unless it names the extension
    files, _ = collect_inputs([str(inbox / "*")])
    assert [Path(f).name for f in files] == ["panjin.txt"]
    files, _ = collect_inputs([str(inbox / "*.md")])
    assert sorted(Path(f).name for f in files) == ["README.md", "notes.md"]
    # named on the command line, a .md file is read
    files, _ = collect_inputs([str(inbox / "notes.md")])
    assert [Path(f).name for f in files] == ["notes.md"]


def test_a_folder_with_only_notes_says_so(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "inbox").mkdir()
    (tmp_path / "inbox" / "notes.md").write_text("笔记\n", encoding="utf-8")
    res = _run("check", "inbox", "--no-cache")
    assert res.exit_code == 2
    assert res.output.startswith("没有可检查的报告文件 no report files in: inbox")
    assert ".docx" in res.output and "file not found" not in res.output


def test_serve_on_a_busy_port_exits_2_in_chinese():
    from compliance.web.commands import bind

    busy = socket.socket()
    busy.bind(("127.0.0.1", 0))
    busy.listen(1)
    port = busy.getsockname()[1]
    try:
        res = _run("serve", "--port", str(port))
    finally:
        busy.close()
    assert res.exit_code == 2
    assert f"端口 {port} 已被占用" in res.output and "already in use" in res.output
    assert "http://" not in res.output  # no URL printed for a server that never started
    assert _zh_first(res.output)
    sock = bind("127.0.0.1", 0)  # a free port binds
    try:
        assert sock.getsockname()[1] > 0
    finally:
        sock.close()
