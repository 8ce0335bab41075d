"""Gold metadata and top-level sections for every corpus document."""

from __future__ import annotations

import datetime as dt
import hashlib
from pathlib import Path

import pytest
import yaml

from compliance.models import RawDocument
from compliance.normalize import normalize

CORPUS = Path(__file__).resolve().parent / "data" / "corpus"
GOLDS = sorted(CORPUS.glob("*.gold.yaml"))


def _plain(path: Path) -> RawDocument:
    data = path.read_bytes()
    return RawDocument(source=str(path), sha256=hashlib.sha256(data).hexdigest(), format="txt",
                       lines=data.decode("utf-8", errors="replace").splitlines())


def _as_gold(value):
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, tuple):
        return list(value)
    return value


@pytest.fixture(scope="module", params=GOLDS, ids=lambda p: p.name.split(".")[0])
def case(request):
    gold = yaml.safe_load(request.param.read_text(encoding="utf-8"))
    report = normalize(_plain(CORPUS / gold["file"]))
    return gold, report


def test_meta_matches_gold(case):
    """Each field is the gold's value or one of its `meta_alt` values (what a reader also accepts,
    as the readers' scoring tool scores it)."""
    gold, report = case
    alt = gold.get("meta_alt") or {}
    got = {k: _as_gold(getattr(report.meta, k)) for k in gold["meta"]}
    want = {k: (v.isoformat() if isinstance(v, dt.date) else v) for k, v in gold["meta"].items()}
    wrong = {k: (got[k], want[k]) for k in want
             if got[k] != want[k] and got[k] not in [_as_gold(x) for x in alt.get(k, [])]}
    assert not wrong


def test_top_sections_match_gold(case):
    gold, report = case
    got = [(s.heading, s.role) for s in report.sections]
    want = [(s["heading"], s["role"]) for s in gold["sections"]]
    assert [h for h, _ in got] == [h for h, _ in want]
    if gold["meta"]["doc_type"] != "plan":
        assert got == want


def test_every_paragraph_maps_back_to_its_lines(case):
    _, report = case
    for p in report.paragraphs:
        for i, ch in enumerate(p.text):
            if ch.isspace():
                continue
            sp = max((s for s in p.spans if s.offset <= i), key=lambda s: s.offset)
            line = report.lines[sp.line - 1]
            assert line[sp.col + (i - sp.offset)] == ch


def test_corpus_readable_with_readers_if_present(case):
    gold, _ = case
    from compliance.readers import read

    report = normalize(read(CORPUS / gold["file"]))
    assert [s.heading for s in report.sections] == [s["heading"] for s in gold["sections"]]
    assert report.meta.title == gold["meta"]["title"]
