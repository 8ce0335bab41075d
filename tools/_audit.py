"""What the two audit scripts share: their arguments, a quiet logger and the readers' labels."""

from __future__ import annotations

import argparse
import os
from pathlib import Path

import yaml


def audit_args(doc: str | None, env: str, json_help: str, argv: list[str] | None) -> tuple[argparse.Namespace, list[dict]]:
    """Parse `AUDIT_DIR [--verbose] [--json OUT] [--labels FILE]`, silence logging, load the labels
    (`AUDIT_DIR/labels.yaml` unless --labels names another file, e.g. labels.adjudicated.yaml)."""
    ap = argparse.ArgumentParser(description=(doc or "").splitlines()[0])
    ap.add_argument("audit_dir", nargs="?", default=os.environ.get(env), type=Path)
    ap.add_argument("--verbose", action="store_true")
    ap.add_argument("--json", type=Path, help=json_help)
    ap.add_argument("--labels", type=Path, help="labels file (default: AUDIT_DIR/labels.yaml)")
    a = ap.parse_args(argv)
    if a.audit_dir is None:
        ap.error(f"give AUDIT_DIR or set {env} (the audit set is kept out of the repository)")

    from loguru import logger

    logger.remove()
    labels = yaml.safe_load((a.labels or a.audit_dir / "labels.yaml").read_text(encoding="utf-8"))
    return a, labels
