"""Project configuration (found upward, flags win), --select/--ignore, --strict."""

import json
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

REPORTS = Path(__file__).resolve().parent.parent / "reports"


def _run(*args):
    from compliance.cli import _register, app

    _register()
    return CliRunner().invoke(app, list(args))


@pytest.fixture
def project(tmp_path, monkeypatch):
    """A project: reports/ (three samples and a draft), a subfolder to run from."""
    root = tmp_path / "proj"
    (root / "reports" / "drafts").mkdir(parents=True)
    (root / "sub").mkdir()
    for f in REPORTS.glob("*.txt"):
        shutil.copy(f, root / "reports" / f.name)
    shutil.copy(REPORTS / "panjin-2024-report.txt", root / "reports" / "drafts" / "draft.txt")
    monkeypatch.setenv("COMPLIANCE_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.chdir(root / "sub")
    return root


def _sources(out: str) -> list[str]:
    return sorted(Path(json.loads(ln)["source"]).name for ln in out.splitlines() if ln.startswith("{"))


def test_pyproject_found_upward_with_include_exclude_and_format(project):
    (project / "pyproject.toml").write_text(
        '[project]\nname = "x"\n\n[tool.compliance]\ninclude = ["reports/"]\nexclude = ["reports/drafts/**"]\n'
        'format = "jsonl"\n', encoding="utf-8")
    res = _run("check")
    assert res.exit_code == 0, res.output
    assert _sources(res.stdout) == ["haiyan-2020-plan.txt", "panjin-2024-report.txt", "shaoxing-2019-summary.txt"]


def test_compliance_toml_wins_over_pyproject_in_the_same_folder_and_nearer_wins(project):
    (project / "pyproject.toml").write_text('[tool.compliance]\nfail-under = 10\n', encoding="utf-8")
    (project / "compliance.toml").write_text('fail-under = 60\ninclude = ["reports/panjin-2024-report.txt"]\n',
                                             encoding="utf-8")
    res = _run("check", "-f", "json", "-o", "out.json")
    assert res.exit_code == 1  # panjin scores 57.5 < 60 from compliance.toml
    assert "below --fail-under 60" in res.output
    # a config nearer the working directory wins over one further up
    (project / "sub" / "pyproject.toml").write_text('[tool.compliance]\nfail-under = 50\ninclude = ["../reports/panjin-2024-report.txt"]\n',
                                                    encoding="utf-8")
    assert _run("check", "-f", "json", "-o", "out.json").exit_code == 0


def test_flags_win_over_the_config(project):
    (project / "compliance.toml").write_text('fail-under = 60\nformat = "jsonl"\n', encoding="utf-8")
    paths = [str(project / "reports" / "panjin-2024-report.txt")]
    assert _run("check", *paths).exit_code == 1
    res = _run("check", *paths, "--fail-under", "50")
    assert res.exit_code == 0 and _sources(res.stdout) == ["panjin-2024-report.txt"]
    res = _run("check", *paths, "--fail-under", "50", "--format", "csv")
    assert not res.stdout.lstrip("\ufeff").startswith("{")


def test_pyproject_without_the_table_is_passed_over_and_a_bad_config_is_exit_2(project):
    (project / "sub" / "pyproject.toml").write_text('[project]\nname = "x"\n', encoding="utf-8")
    (project / "compliance.toml").write_text('fail-on = "severe"\n', encoding="utf-8")
    res = _run("check", str(project / "reports"))
    assert res.exit_code == 2
    assert res.output.startswith("配置有误 invalid config:") and "fail-on" in res.output
    (project / "compliance.toml").write_text('fail_unda = 3\n', encoding="utf-8")
    assert _run("check", str(project / "reports")).exit_code == 2


def test_config_paths_are_relative_to_the_config_file(project):
    (project / "waivers.yaml").write_text(
        "- rule: FCR-01\n  file: '*panjin*'\n  reason: 本局不制定相关政策措施\n", encoding="utf-8")
    (project / "compliance.toml").write_text('waivers = "waivers.yaml"\nformat = "json"\n', encoding="utf-8")
    res = _run("check", str(project / "reports" / "panjin-2024-report.txt"))
    assert res.exit_code == 0, res.output
    fcr = next(r for r in json.loads(res.stdout)["reports"][0]["results"] if r["rule_id"] == "FCR-01")
    assert fcr["waived"]["reason"] == "本局不制定相关政策措施"


def test_select_and_ignore_by_id_family_and_severity(project):
    panjin = str(project / "reports" / "panjin-2024-report.txt")
    res = _run("check", panjin, "-f", "json", "--select", "fcr", "--select", "ar-07")
    ids = [r["rule_id"] for r in json.loads(res.stdout)["reports"][0]["results"]]
    assert ids and all(i.startswith("FCR-") or i == "AR-07" for i in ids) and "AR-07" in ids
    rep = json.loads(res.stdout)["reports"][0]
    assert set(rep["score"]["by_family"]) == {"FCR", "AR"}
    res = _run("check", panjin, "-f", "json", "--select", "critical", "--ignore", "FCR-*")
    results = json.loads(res.stdout)["reports"][0]["results"]
    assert results and all(r["severity"] == "critical" and not r["rule_id"].startswith("FCR") for r in results)
    # a gate judges the selected rules only: FCR alone scores 0 for panjin
    assert _run("check", panjin, "-f", "json", "-o", "o.json", "--fail-under", "50").exit_code == 0
    assert _run("check", panjin, "-f", "json", "-o", "o.json", "--fail-under", "50", "--select", "FCR").exit_code == 1


def test_an_unknown_selector_is_exit_2(project):
    res = _run("check", str(project / "reports"), "--select", "FCX")
    assert res.exit_code == 2 and res.output.startswith("未知的规则、类别或严重程度") and "FCX" in res.output


def test_strict_fails_a_document_that_is_not_a_report(project):
    (project / "memo.txt").write_text("A short English memo.\nNothing about the rule of law here.\n", encoding="utf-8")
    memo = str(project / "memo.txt")
    res = _run("check", memo, "--fail-under", "60", "-f", "json", "-o", "o.json")
    assert res.exit_code == 0  # without --strict, a gate passes what it cannot score
    res = _run("check", memo, "--fail-under", "60", "--strict", "-f", "json", "-o", "o.json")
    assert res.exit_code == 1
    assert "不是法治政府建设报告" in res.output
    (project / "compliance.toml").write_text("strict = true\n", encoding="utf-8")
    assert _run("check", memo, "-f", "json", "-o", "o.json").exit_code == 1
    assert _run("check", memo, "-f", "json", "-o", "o.json", "--no-strict").exit_code == 0
    # an unreadable document is exit 3 with or without --strict
    (project / "empty.txt").write_bytes(b"")
    assert _run("check", str(project / "empty.txt"), "--strict", "-f", "json", "-o", "o.json").exit_code == 3


def test_no_path_and_no_include_is_exit_2_in_chinese(project):
    res = _run("check")
    assert res.exit_code == 2 and res.output.startswith("缺少要检查的文件 no PATH given")
