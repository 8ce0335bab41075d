"""Renderers of a CheckResult: one module per output format, each exposing
`render(result: CheckResult, **opts) -> str | bytes`. Ordering (reports in input order, ranking
by score) is decided once, in `compliance.render.common`, so every format agrees."""

from __future__ import annotations

import importlib

FORMATS: tuple[str, ...] = ("table", "json", "jsonl", "markdown", "html", "sarif", "junit", "csv", "xlsx", "docx")
BINARY_FORMATS = frozenset({"xlsx", "docx"})


def get_renderer(fmt: str):
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r} (choose from {', '.join(FORMATS)})")
    return importlib.import_module(f"compliance.render.{fmt}").render


def render(result, fmt: str, **opts):
    return get_renderer(fmt)(result, **opts)
