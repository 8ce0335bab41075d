"""The `compliance` command. Each stage registers its own sub-commands; heavy imports stay
inside command bodies so `compliance check` on one file starts fast."""

from __future__ import annotations

import sys

import typer

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    help="检查法治政府建设报告：读取、解析并按国家和省级规则集检查。Read, normalize and check 法治政府建设 reports against national and provincial rulesets.",
)


def _print_version(value: bool) -> None:
    if value:
        from compliance import __version__

        typer.echo(f"compliance {__version__}")
        raise typer.Exit()


@app.callback()
def _main(
    verbose: int = typer.Option(0, "--verbose", "-v", count=True, help="显示更多信息（-vv 调试）More output (-vv for debug)."),
    version: bool = typer.Option(False, "--version", callback=_print_version, is_eager=True,
                                 help="显示版本并退出 Show the version and exit."),
) -> None:
    from compliance.log import setup_logging

    setup_logging(verbose)


# Each sub-command's module, so `compliance check` imports only its own stage: importing them all
# (the store brings SQLAlchemy, the web app its framework) cost more CPU than checking a report.
_STAGES = ("normalize", "rules", "batch", "web", "store")  # in the order `--help` lists them
_COMMAND_STAGE = {"parse": "normalize", "rules": "rules", "check": "batch", "compare": "batch", "schema": "batch",
                  "serve": "web", "history": "store", "stats": "store", "db": "store"}


def _register(argv: list[str] | None = None) -> None:
    """Add the sub-commands: all of them, or with `argv` only the named command's stage (all when
    it names none, e.g. `--help`)."""
    import importlib

    from compliance.cli_text import localize

    localize()
    name = next((a for a in argv if not a.startswith("-")), None) if argv is not None else None
    stages = (_COMMAND_STAGE[name],) if name in _COMMAND_STAGE else _STAGES
    for stage in stages:
        importlib.import_module(f"compliance.{stage}.commands").register(app)


def _sigterm_as_interrupt() -> None:
    """SIGTERM (a CI timeout, `kill`) unwinds like Ctrl-C: jsonl output keeps only whole lines and
    the worker pool is shut down. Left at the default, the main process died at once and its
    --jobs workers stayed blocked forever. Workers (forked, so they inherit this) get the default."""
    import os
    import signal

    main_pid = os.getpid()

    def on_term(signum, frame):
        if os.getpid() != main_pid:
            signal.signal(signum, signal.SIG_DFL)
            os.kill(os.getpid(), signum)
            return
        raise KeyboardInterrupt

    try:
        signal.signal(signal.SIGTERM, on_term)
    except (ValueError, OSError):  # not the main thread (embedded use): leave it alone
        pass


def main() -> None:
    _register(sys.argv[1:])
    _sigterm_as_interrupt()
    try:
        app()
    except KeyboardInterrupt:
        sys.stderr.write("interrupted\n")
        sys.exit(130)


if __name__ == "__main__":
    main()
