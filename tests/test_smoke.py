from typer.testing import CliRunner


def test_cli_help_lists_app():
    from compliance.cli import _register, app

    _register()
    res = CliRunner().invoke(app, ["--help"])
    assert res.exit_code == 0
    assert "法治政府" in res.output


def test_check_alone_does_not_import_the_store_or_the_web_app():
    """`compliance check` registers only its own stage: importing SQLAlchemy and the web framework
    cost more CPU than checking one report."""
    import subprocess
    import sys

    code = ("import sys; import compliance.cli as c; c._register(['-v', 'check', 'x.txt']); "
            "names = [n for n in ('compliance.store.commands', 'compliance.web.commands', 'sqlalchemy') if n in sys.modules]; "
            "cmds = sorted(x.name for x in c.app.registered_commands); print(names, cmds)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip()
    assert out == "[] ['check', 'compare', 'schema']"


def test_help_without_a_command_lists_every_stage():
    import subprocess
    import sys

    out = subprocess.run([sys.executable, "-m", "compliance.cli", "--help"], capture_output=True, text=True,
                         check=True, env={"COLUMNS": "200", "PATH": ""}).stdout
    for name in ("parse", "check", "compare", "schema", "serve", "history", "stats", "rules", "db"):
        assert f" {name} " in out, name
