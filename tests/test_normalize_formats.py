"""The corpus documents rebuilt as PDF and HTML pages (readers' sample builders) normalize to
the same gold metadata and sections as the plain text."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import yaml

from compliance.normalize import normalize

CORPUS = Path(__file__).resolve().parent / "data" / "corpus"
GOLDS = sorted(CORPUS.glob("*.gold.yaml"))
samples = pytest.importorskip("compliance.readers.samples")
readers = pytest.importorskip("compliance.readers")


def _build(fmt: str, lines: list[str], path: Path) -> Path:
    if fmt == "pdf":
        pytest.importorskip("reportlab")
        return samples.pdf_file(path, lines)
    path.write_text(samples.html_page(lines, title=lines[0]), encoding="utf-8")
    return path


@pytest.mark.parametrize("fmt", ["pdf", "html"])
@pytest.mark.parametrize("gold_path", GOLDS, ids=lambda p: p.name.split(".")[0])
def test_other_formats_match_gold(tmp_path, fmt, gold_path):
    gold = yaml.safe_load(gold_path.read_text(encoding="utf-8"))
    lines = (CORPUS / gold["file"]).read_text(encoding="utf-8", errors="replace").splitlines()
    report = normalize(readers.read(_build(fmt, lines, tmp_path / f"doc.{fmt}")))
    for key, want in gold["meta"].items():
        got = getattr(report.meta, key)
        got = got.isoformat() if isinstance(got, dt.date) else list(got) if isinstance(got, tuple) else got
        want = want.isoformat() if isinstance(want, dt.date) else want
        assert got == want, key
    assert [s.heading for s in report.sections] == [s["heading"] for s in gold["sections"]]
