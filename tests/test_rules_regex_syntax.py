"""The cue-regex parser (compliance.rules.regex_syntax) and the three readers built on it: the
pre-filter's required strings, lint's catastrophic-backtracking check, and a regex's example
phrase in traces. Expected values are what these readers gave when they walked `re`'s private
parser, so traces and lint findings did not change with the parser."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from compliance.engine.explain import readable
from compliance.engine.prefilter import required_sets
from compliance.rules.cues import nested_unbounded
from compliance.rules.regex_syntax import INF, AnyChar, Branch, Category, Class, Group, Lit, NotLit, Repeat, Unsupported, parse


def test_shared_prefix_of_an_alternation_moves_out():
    tree = parse("行政许可|行政处罚")
    assert tree[:2] == (Lit("行"), Lit("政"))
    assert isinstance(tree[2], Branch) and tree[2].alts == ((Lit("许"), Lit("可")), (Lit("处"), Lit("罚")))


def test_alternation_of_single_characters_is_a_class():
    assert parse("a|b|[cd]") == (Class((Lit("a"), Lit("b"), Lit("c"), Lit("d"))),)


def test_one_character_classes_and_categories():
    assert parse("[法]") == (Lit("法"),)
    assert parse("[^。]") == (NotLit("。"),)
    assert parse(r"\d") == (Class((Category("d"),)),)
    assert parse(".") == (AnyChar(),)


def test_plain_groups_are_spliced_and_repeats_take_their_items():
    assert parse("(?:ab)c") == (Lit("a"), Lit("b"), Lit("c"))
    (rep,) = parse("(?:ab){2,}")
    assert isinstance(rep, Repeat) and (rep.lo, rep.hi, rep.body) == (2, INF, (Lit("a"), Lit("b")))
    (grp,) = parse("(?i:ab)")
    assert isinstance(grp, Group) and grp.ignorecase


def test_escapes_and_literal_braces():
    assert parse(r"\x41\u6cd5\.") == (Lit("A"), Lit("法"), Lit("."))
    assert parse("a{") == (Lit("a"), Lit("{"))
    assert parse("(?x) a b # note") == (Lit("a"), Lit("b"))


def test_unsupported_is_reported_not_guessed():
    with pytest.raises(Unsupported):
        parse("(a")
    with pytest.raises(Unsupported):
        parse(r"\q")


@pytest.mark.parametrize("pattern, sets", [
    ("(行政许可|行政处罚)[^。]{0,15}(公示|公开)", [{"行政"}, {"许可", "处罚"}, {"公"}]),
    ("执法(人员|证件)[^。]{0,20}(培训|考试)", [{"执法"}, {"人员", "证件"}, {"培训", "考试"}]),
    (r"\d+(学时|课时)", [{"学时", "课时"}]),
    ("第[一二三]季度", [{"第"}, {"季度"}]),
    ("(?i:abc)d", [{"d"}]),
    # either order: what both branches need, then one of each branch's other needs
    ("执法.*人均[^。]{0,12}学时|人均[^。]{0,12}学时.*执法", [{"执法"}, {"人均"}, {"学时"}]),
    ("执法.*(人均|每名)[^。]{0,9}学时|培训时长.*执法", [{"执法"}, {"学时", "培训时长"}, {"人均", "每名", "培训时长"}]),
    ("(?:a|b|[cd])", []),
    ("[^。]{0,20}", []),
])
def test_required_sets(pattern, sets):
    assert [set(x) for x in required_sets(re.compile(pattern))] == sets


@pytest.mark.parametrize("pattern, bad", [
    ("(依|依依)*", True), ("(a+)+", True), ("(.*依){30}", True),
    ("执法[^。]{0,20}公示", False), (r"\d+(学时|课时)", False), ("(?=公开)公开", False),
])
def test_nested_unbounded(pattern, bad):
    assert nested_unbounded(re.compile(pattern)) is bad


@pytest.mark.parametrize("raw, shown", [
    ("/(行政许可|行政处罚)[^。]{0,15}(公示|公开)/", "行政许可…公示"),
    (r"/\d+(学时|课时)/", "N学时"),
    ("/第[一二三]季度/", "第一季度"),
    ("/(?i)执法|公示/", "执法、公示"),
    ("/[^。]{0,20}/", "/[^。]{0,20}/"),
    ("执法公示", "执法公示"),
])
def test_readable(raw, shown):
    assert readable(raw) == shown


_ATOMS = ["执法", "公示", "法", "依", "依依", ".", "[^。]", r"\d", "[法行]", "[0-9]", "a", "b"]


@st.composite
def _patterns(draw, depth=0):
    kind = draw(st.integers(0, 3)) if depth < 3 else 0
    if kind == 0:
        p = draw(st.sampled_from(_ATOMS))
    elif kind == 1:
        p = "".join(draw(st.lists(_patterns(depth + 1), min_size=2, max_size=3)))
    else:
        p = "(" + "|".join(draw(st.lists(_patterns(depth + 1), min_size=2, max_size=3))) + ")"
    quantifier = draw(st.sampled_from(["", "", "*", "+", "?", "{0,3}", "{1,2}"]))
    return f"(?:{p}){quantifier}" if quantifier else p


@settings(max_examples=300, deadline=None)
@given(_patterns(), st.lists(st.sampled_from(["执法", "公示", "法", "依", "行", "a", "b", "3", "。", "x"]), max_size=12))
def test_required_sets_never_skip_a_match(pattern, parts):
    """Every match holds one string of each required set: the pre-filter only skips work."""
    rx = re.compile(pattern)
    text = "".join(parts)
    sets = required_sets(rx)
    for m in rx.finditer(text):
        if m.end() > m.start():
            assert all(any(s in m.group(0) for s in x) for x in sets), (pattern, text, sets)
