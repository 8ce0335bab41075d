"""The `compliance` command. Each stage registers its own sub-commands; heavy imports stay
inside command bodies so `compliance check` on one file starts fast."""

from __future__ import annotations

import sys

import typer

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    help="检查法治政府建设报告: read, normalize and check reports against national and provincial rulesets.",
)


@app.callback()
def _main(
    verbose: int = typer.Option(0, "--verbose", "-v", count=True, help="More log output (-vv for debug)."),
) -> None:
    from compliance.log import setup_logging

    setup_logging(verbose)


def _register() -> None:
    from compliance.normalize import commands as parse_cmds
    from compliance.rules import commands as rules_cmds
    from compliance.batch import commands as batch_cmds
    from compliance.web import commands as web_cmds

    for mod in (parse_cmds, rules_cmds, batch_cmds, web_cmds):
        mod.register(app)


def main() -> None:
    _register()
    try:
        app()
    except KeyboardInterrupt:
        sys.stderr.write("interrupted\n")
        sys.exit(130)


if __name__ == "__main__":
    main()
