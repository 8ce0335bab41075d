"""Quiet by default: warnings only; -v info, -vv debug. Always to stderr."""

from __future__ import annotations

import sys

from loguru import logger


def setup_logging(verbose: int = 0) -> None:
    level = {0: "WARNING", 1: "INFO"}.get(verbose, "DEBUG")
    logger.remove()
    logger.add(sys.stderr, level=level, format="<level>{level: <7}</level> {message}")
