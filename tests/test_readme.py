"""The README's ruleset example must stay a valid, passing ruleset (docs that cannot drift)."""

import re
from pathlib import Path

from typer.testing import CliRunner

README = Path(__file__).resolve().parent.parent / "README.md"


def _app():
    from compliance.cli import _register, app

    _register()
    return app


def test_readme_ruleset_example_lints_and_its_examples_pass(tmp_path):
    block = re.search(r"```yaml\n(.*?)```", README.read_text(encoding="utf-8"), re.S).group(1)
    path = tmp_path / "example.yaml"
    path.write_text(block, encoding="utf-8")
    runner = CliRunner()
    lint = runner.invoke(_app(), ["rules", "lint", str(path)])
    assert lint.exit_code == 0, lint.output
    test = runner.invoke(_app(), ["rules", "test", str(path)])
    assert test.exit_code == 0, test.output
    assert "ZJ-TES-02" in test.output or "passed" in test.output


def test_readme_names_the_commands_that_exist():
    text = README.read_text(encoding="utf-8")
    assert "pip install -e '.[dev]'" in text
    assert "compliance check reports/" in text
    assert "python -m pytest" in text


def _run_block() -> list[str]:
    """The command lines of the README's second `sh` block under "## Run" (the examples)."""
    text = README.read_text(encoding="utf-8")
    run = text[text.index("## Run"):]
    blocks = re.findall(r"```sh\n(.*?)```", run, re.S)
    return [ln for ln in blocks[1].splitlines() if ln.startswith("compliance ")]


def test_readme_run_examples_exit_as_documented(tmp_path, monkeypatch):
    """Every example runs as pasted in a clone and exits 0, or as its comment says (`exit 1`)."""
    import shlex

    root = README.parent
    for d in ("reports", "examples"):
        (tmp_path / d).symlink_to(root / d)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("COMPLIANCE_CACHE_DIR", str(tmp_path / "cache"))
    lines = _run_block()
    assert len(lines) >= 8
    runner = CliRunner()
    for line in lines:
        cmd, _, comment = line.partition("#")
        args = shlex.split(cmd)[1:]
        if args[0] == "serve":
            continue
        want = int(m.group(1)) if (m := re.search(r"\bexit (\d)", comment)) else 0
        res = runner.invoke(_app(), args)
        assert res.exit_code == want, (line, res.output)
        if "-o" in args:
            assert (tmp_path / args[args.index("-o") + 1]).stat().st_size > 0, line


def test_readme_and_ci_doc_never_install_the_unrelated_compliance_package():
    import tomllib

    meta = tomllib.loads((README.parent / "pyproject.toml").read_text(encoding="utf-8"))
    assert meta["project"]["name"] == "fazhi-compliance"
    assert meta["project"]["scripts"] == {"compliance": "compliance.cli:main"}
    for doc in (README, README.parent / "docs" / "ci.md"):
        assert not re.search(r"^\s*(?:- run: )?pip install compliance\b", doc.read_text(encoding="utf-8"), re.M), doc
