from typer.testing import CliRunner


def test_cli_help_lists_app():
    from compliance.cli import _register, app

    _register()
    res = CliRunner().invoke(app, ["--help"])
    assert res.exit_code == 0
    assert "法治政府" in res.output
