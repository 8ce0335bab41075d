"""Chinese first, English after, in the words typer prints itself: help panel titles, the help
option, usage errors. typer writes these in English only (its bundled click has them as fixed
strings), so the CLI adds the Chinese in front once, before the app runs. Every swap is guarded:
on a typer without the attribute the English stays, and tests/test_cli_office.py notices."""

from __future__ import annotations

HELP_OPTION = "显示帮助并退出 Show this message and exit."

# typer.rich_utils constant → its text with the Chinese in front
PANELS = {
    "ARGUMENTS_PANEL_TITLE": "参数 Arguments",
    "OPTIONS_PANEL_TITLE": "选项 Options",
    "COMMANDS_PANEL_TITLE": "命令 Commands",
    "ERRORS_PANEL_TITLE": "错误 Error",
    "ABORTED_TEXT": "已中止 Aborted.",
    "RICH_HELP": "查看帮助 Try [blue]'{command_path} {help_option}'[/] for help.",
    "DEFAULT_STRING": "[默认 default: {}]",
    "REQUIRED_LONG_STRING": "[必填 required]",
}

# usage error class → what it means in Chinese (the most specific class first)
USAGE_ERRORS = (
    ("NoSuchOption", "没有这个选项"),
    ("MissingParameter", "缺少参数"),
    ("BadParameter", "取值无效"),
    ("BadOptionUsage", "选项用法有误"),
    ("BadArgumentUsage", "参数用法有误"),
    ("UsageError", "用法有误"),
)


def _exceptions_module():
    try:
        from typer._click import exceptions  # typer ≥ 0.24 bundles its own click
    except ImportError:  # pragma: no cover - older typer on click
        from click import exceptions  # type: ignore[no-redef]
    return exceptions


def _zh_usage_error(cls, zh: str) -> None:
    original = cls.__dict__.get("format_message") or cls.format_message
    if getattr(original, "_zh", False):
        return

    def format_message(self) -> str:
        return f"{zh}：{original(self)}"

    format_message._zh = True  # type: ignore[attr-defined]
    cls.format_message = format_message


def localize() -> None:
    """Put the Chinese in front of typer's own words (idempotent)."""
    import typer.rich_utils as ru

    for name, text in PANELS.items():
        if hasattr(ru, name):
            setattr(ru, name, text)
    exc = _exceptions_module()
    for name, zh in USAGE_ERRORS:
        cls = getattr(exc, name, None)
        if cls is not None:  # subclasses before their bases: each wraps its own message once
            _zh_usage_error(cls, zh)
    try:
        from typer._click.core import Command
    except ImportError:  # pragma: no cover
        from click.core import Command  # type: ignore[no-redef,assignment]
    get = Command.get_help_option
    if getattr(get, "_zh", False):
        return

    def get_help_option(self, ctx):
        opt = get(self, ctx)
        if opt is not None:
            opt.help = HELP_OPTION
        return opt

    get_help_option._zh = True  # type: ignore[attr-defined]
    Command.get_help_option = get_help_option  # type: ignore[method-assign]
