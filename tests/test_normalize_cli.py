"""`compliance parse`: JSON and outline output, one-line errors with exit 3."""

from __future__ import annotations

import json

import typer
from typer.testing import CliRunner

from compliance.normalize import commands

SAMPLE = "盘锦市交通运输局关于2024年法治政府建设情况的报告\n一、主要工作开展情况\n全年办结案件21件。\n二、存在问题\n学习不够。\n盘锦市交通运输局\n2025年2月22日\n"


def _app() -> typer.Typer:
    app = typer.Typer()

    @app.callback()
    def _main() -> None:  # keeps `parse` a sub-command
        pass

    commands.register(app)
    return app


def test_parse_json_is_the_report_model(tmp_path):
    f = tmp_path / "r.txt"
    f.write_text(SAMPLE, encoding="utf-8")
    res = CliRunner().invoke(_app(), ["parse", str(f)])
    assert res.exit_code == 0, res.output
    data = json.loads(res.stdout)
    assert data["meta"]["city"] == "盘锦市" and data["meta"]["date"] == "2025-02-22"
    assert [s["heading"] for s in data["sections"]] == ["一、主要工作开展情况", "二、存在问题"]
    assert data["metrics"][0]["value"] == 21.0


def test_parse_tree_outline(tmp_path):
    f = tmp_path / "r.txt"
    f.write_text(SAMPLE, encoding="utf-8")
    res = CliRunner().invoke(_app(), ["parse", str(f), "--format", "tree"])
    assert res.exit_code == 0, res.output
    out = res.stdout
    assert "issuer: 盘锦市交通运输局" in out
    assert "一、主要工作开展情况  [measures, line 2] — paragraphs at 2, 3" in out
    assert "二、存在问题  [problems, line 4]" in out
    assert "line 3: 全年办结案件 21件 (count)" in out
    assert "[preamble] paragraphs at 1" in out and "[closing] paragraphs at 6, 7" in out


def test_parse_bad_input_is_one_line_and_exit_3(tmp_path):
    res = CliRunner().invoke(_app(), ["parse", str(tmp_path / "missing.txt")])
    assert res.exit_code == 3
    err = res.stderr.strip()
    assert len(err.splitlines()) == 1 and "missing.txt" in err and "Traceback" not in err
    d = tmp_path / "dir.txt"
    d.mkdir()
    res = CliRunner().invoke(_app(), ["parse", str(d)])
    assert res.exit_code == 3 and "dir.txt" in res.stderr and len(res.stderr.strip().splitlines()) == 1
