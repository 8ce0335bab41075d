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
