"""`compliance compare OLD NEW` on previous JSON outputs (no engine needed) and on hand-built results."""

from __future__ import annotations

import json

from typer.testing import CliRunner

import batch_samples as S
from compliance.batch.compare import compare_results
from compliance.batch.post import build_result
from compliance.cli import _register, app
from compliance.render import render

_register()


def _improved():
    new = S.panjin()
    fcr = next(r for r in new.results if r.rule_id == "FCR-01")
    fcr.status, fcr.earned = "met", 6
    fcr.evidence = [S.Evidence(quote="全年对12件涉企政策措施开展公平竞争审查。", line=8, section="一、主要工作开展情况",
                               role="measures", polarity="positive")]
    frp = next(r for r in new.results if r.rule_id == "FRP-01")
    frp.status, frp.earned, frp.evidence = "missing", 0, []
    new.score.total, new.score.by_family["FCR"], new.score.by_family["FRP"] = 60.4, 100.0, 0.0
    return new


def test_compare_results_changes_with_quotes():
    c = compare_results(S.panjin(), _improved())
    assert c["total"] == {"old": 52.1, "new": 60.4, "delta": 8.3}
    assert c["by_family"]["FCR"] == {"old": 0.0, "new": 100.0, "delta": 100.0}
    by = {x["rule_id"]: x for x in c["changes"]}
    assert set(by) == {"FCR-01", "FRP-01"}
    assert by["FCR-01"]["direction"] == "improved" and by["FCR-01"]["old_status"] == "missing"
    assert by["FCR-01"]["new_evidence"][0]["quote"] == "全年对12件涉企政策措施开展公平竞争审查。"
    assert by["FRP-01"]["direction"] == "regressed"
    assert by["FRP-01"]["old_evidence"][0]["line"] == 5
    assert c["changes"][0]["rule_id"] == "FRP-01"  # regressions first
    assert c["improved"] == 1 and c["regressed"] == 1 and c["unchanged"] == 5


def test_compare_cli_on_json_outputs(tmp_path):
    old = tmp_path / "old.json"
    new = tmp_path / "new.json"
    old.write_text(render(build_result([S.panjin()]), "json"), encoding="utf-8")
    new.write_text(render(build_result([_improved()]), "json"), encoding="utf-8")
    r = CliRunner().invoke(app, ["compare", str(old), str(new), "--format", "json"])
    assert r.exit_code == 0, r.stderr
    data = json.loads(r.stdout)
    assert data["total"]["delta"] == 8.3
    md = CliRunner().invoke(app, ["compare", str(old), str(new), "--format", "markdown"]).stdout
    assert "### FCR-01 开展公平竞争审查：未体现 → 已落实" in md
    assert "> 新·第 8 行：全年对12件涉企政策措施开展公平竞争审查。" in md
    assert "> 旧·第 5 行：建立了法治建设“第一责任人”职责清单并在网站公示。" in md
    table = CliRunner().invoke(app, ["compare", str(old), str(new)]).stdout
    assert "总分变化 +8.3" in table and "退步" in table and "\x1b[" not in table


def test_compare_rejects_multi_report_json_and_missing_file(tmp_path):
    both = tmp_path / "both.json"
    both.write_text(render(S.batch(), "json"), encoding="utf-8")
    r = CliRunner().invoke(app, ["compare", str(both), str(both)])
    assert r.exit_code == 2 and "holds 2 reports" in r.stderr
    r = CliRunner().invoke(app, ["compare", str(tmp_path / "nope.txt"), str(both)])
    assert r.exit_code == 2 and "no such file" in r.stderr
