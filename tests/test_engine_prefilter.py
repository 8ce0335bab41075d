"""The regex pre-filter may skip work, never matches."""

import sys
from pathlib import Path

import pytest

from compliance.engine.index import build_index
from compliance.engine.prefilter import required_sets
from compliance.normalize import normalize
from compliance.models import RawDocument
from compliance.rules.load import available_rulesets, load_ruleset
from compliance.text import normalize as norm_text

ROOT = Path(__file__).resolve().parent.parent


def _texts():
    sys.path.insert(0, str(ROOT / "bench"))
    from generate import generate

    texts = [p.read_text(encoding="utf-8") for p in sorted((ROOT / "reports").glob("*.txt"))]
    return texts + [t for _, t in generate(25, seed=11)]


def test_required_sets_of_an_alternation():
    import re

    sets = required_sets(re.compile("(行政许可|行政处罚)[^。]{0,15}(公示|公开)"))

    def ok(text):
        return all(any(lit in text for lit in x) for x in sets)

    assert ok("行政处罚决定按时公开") and ok("行政许可结果公示")
    assert not ok("行政检查结果公开") and not ok("行政处罚决定书送达")
    assert required_sets(re.compile("(法治)?建设")) == (frozenset({"建设"}),)  # an optional group is no requirement
    assert required_sets(re.compile("a|.b")) == (frozenset({"a", "b"}),)  # each branch requires one
    assert required_sets(re.compile("a|[xy]")) == ()  # a branch without a literal: no pre-filter


def test_every_match_of_every_shipped_regex_meets_itsrequired_sets():
    lines = [norm_text(ln) for t in _texts() for ln in t.splitlines() if ln.strip()]
    checked = 0
    for name in available_rulesets():
        for cue in load_ruleset(name).cues.values():
            if cue.regex is None:
                continue
            sets = required_sets(cue.regex)
            for ln in lines:
                for m in cue.regex.finditer(ln):
                    checked += 1
                    assert all(any(lit in m.group() for lit in x) for x in sets), (cue.raw, sets, m.group())
    assert checked > 100


@pytest.mark.parametrize("name", sorted(available_rulesets()))
def test_index_equals_a_plain_scan_of_every_cue_over_every_sentence(name):
    rs = load_ruleset(name)
    for i, text in enumerate(_texts()[:12]):
        rep = normalize(RawDocument(source=f"t{i}.txt", sha256="0", format="txt", lines=text.splitlines()))
        ix = build_index(rep, rs)
        got = {raw: [(o.gi, o.start, o.end) for o in v] for raw, v in ix.occ.items() if v}
        want: dict[str, list] = {}
        for raw, cue in rs.cues.items():
            for s in ix.sents:
                for a, b in cue.finditer(s.norm):
                    want.setdefault(raw, []).append((s.gi, a, b))
        assert got == {k: sorted(v) for k, v in want.items()}
