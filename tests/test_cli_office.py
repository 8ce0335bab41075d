"""Daily use in an office: --version, clear "file not found", what a folder scan takes, a busy
port. Messages are Chinese first, English after."""

import re
import shutil
import socket
from pathlib import Path

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


# --------------------------------------------------------------------------- Chinese first


def test_help_is_chinese_first_in_every_command():
    for args in ([], ["check"], ["rules"], ["rules", "show"], ["serve"], ["compare"], ["parse"]):
        res = CliRunner().invoke(_app(), [*args, "--help"], env={"COLUMNS": "250"})
        assert res.exit_code == 0, args
        assert "选项 Options" in res.output and "显示帮助并退出 Show this message and exit." in res.output, args
        # every option and command says what it does in Chinese (and then in English)
        for line in res.output.splitlines():
            if re.match(r"│ (--[a-z]|[a-z]+ {2,})", line):
                assert re.search(r"[\u4e00-\u9fff]", line), (args, line)
                assert re.search(r"[A-Za-z]{4,}", line), (args, line)


def test_usage_errors_are_chinese_first():
    res = _run("check", "--bogus", "x")
    assert res.exit_code == 2
    assert "没有这个选项：No such option: --bogus" in res.output
    assert "错误 Error" in res.output
    res = _run("check", "--fail-under", "200", "x")
    assert res.exit_code == 2 and "取值无效：" in res.output


def test_rules_show_searches_every_ruleset_case_insensitively():
    res = _run("rules", "show", "zj-tes-01")
    assert res.exit_code == 0, res.output
    first, second = res.output.splitlines()[:2]
    assert first.startswith("ZJ-TES-01")
    assert "浙江省 zhejiang" in second and "严重程度 severity 一般 minor" in second
    assert "依据 basis:" in res.output and "整改建议 remediation:" in res.output
    assert _run("rules", "show", "tes-07").exit_code == 0
    # --ruleset narrows the search
    res = _run("rules", "show", "ZJ-TES-01", "--ruleset", "henan")
    assert res.exit_code == 2 and res.output.startswith("没有规则 ZJ-TES-01")


def test_rules_list_headers_and_severities_in_chinese():
    res = CliRunner().invoke(_app(), ["rules", "list", "--ruleset", "henan"], env={"COLUMNS": "160"})
    assert res.exit_code == 0
    assert "河南省 henan" in res.output
    for word in ("编号", "严重程度", "分值", "名称", "依据", "严重", "重要", "一般"):
        assert word in res.output
    assert " critical " not in res.output


def test_ruleset_display_names():
    from compliance.rules.load import display_names, load_ruleset

    assert display_names() == {"national": "全国", "zhejiang": "浙江省", "liaoning": "辽宁省", "henan": "河南省"}
    assert load_ruleset("liaoning").label == "辽宁省 liaoning"


def test_reader_errors_are_chinese_first_in_outputs(tmp_path, monkeypatch):
    import json

    monkeypatch.chdir(tmp_path)
    (tmp_path / "empty.txt").write_bytes(b"")
    shutil.copy(REPORTS / "panjin-2024-report.txt", tmp_path / "panjin.txt")
    res = _run("check", "empty.txt", "panjin.txt", "--no-cache", "--format", "json", "-o", "out.json")
    assert res.exit_code == 3
    err = json.loads((tmp_path / "out.json").read_text(encoding="utf-8"))["errors"][0]
    assert err["error"].startswith("文件为空（empty file")
    assert "empty.txt: 文件为空" in res.output
    # the table names the ruleset by its display name
    res = _run("check", "panjin.txt", "--no-cache")
    assert "规则集 辽宁省 liaoning" in res.output


def test_web_warning_speaks_of_the_apps_own_controls():
    from compliance.engine import OTHER_WARNING
    from compliance.web.view import web_warning

    assert "--doc-type" in OTHER_WARNING  # the CLI's wording names its flag
    web = web_warning(OTHER_WARNING)
    assert "--" not in web and "“文档类型”中选择“年度报告”" in web


def test_web_warning_for_an_uncertain_type_names_the_menu_choice():
    from compliance.normalize.doctype import type_warning
    from compliance.web.view import web_warning

    web = web_warning(type_warning("work_summary", "annual_report"))
    assert "--" not in web and "请在“文档类型”中选择“年度报告”后重新检查" in web
