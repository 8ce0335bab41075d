"""Highlighting and batch tables of the web app, on hand-built results."""

from __future__ import annotations

from compliance.models import Evidence, Meta, NearMiss, ReportResult, RuleResult, RulesetRef, Score, Trace
from compliance.web import view
from compliance.results import locate


def _rule(rule_id, status, severity="major", evidence=(), near=(), points=4.0, earned=0.0, family="TES"):
    return RuleResult(
        rule_id=rule_id, family=family, title=f"规则{rule_id}", status=status, severity=severity, points=points,
        earned=earned, message="说明", basis=["《法治政府建设实施纲要（2021－2025年）》"], remediation="补充相关内容",
        evidence=list(evidence), trace=Trace(near_misses=list(near)) if near else None,
    )


def _ev(quote, line, polarity="positive"):
    return Evidence(quote=quote, line=line, section="一、主要工作", role="measures", polarity=polarity)


def _result(results, total=70.0, by_family=None, source="a.txt", issuer=None, doc_type="annual_report"):
    return ReportResult(
        source=source, sha256="0" * 64, meta=Meta(issuer=issuer, doc_type=doc_type, period=(2024, 2024)), sections=[],
        ruleset=RulesetRef(name="national", version="1", chain=["national"]), results=results,
        score=Score(total=total, by_family=by_family or {"TES": total}, grade=None if total is None else "合格"),
    )


LINES = [
    "某某县交通运输局2024年法治政府建设情况报告",
    "一、主要工作开展情况",
    "（一）严格落实行政执法三项制度。全面推行行政执法公示制度，",
    "  执法全过程记录制度和重大执法决定法制审核制度，全年办理案件128件。",
    "二、存在问题",
    "公平竞争审查工作尚未全面开展。",
]


def test_quote_found_within_its_line_is_marked_exactly():
    pieces = locate(LINES, "全面推行行政执法公示制度", 3)
    (line, start, end), = pieces
    assert line == 3
    assert LINES[2][start:end] == "全面推行行政执法公示制度"


def test_quote_running_over_a_soft_wrap_is_marked_on_both_lines():
    # the quote as normalization joins it: no line break, no indentation
    pieces = locate(LINES, "全面推行行政执法公示制度，执法全过程记录制度", 3)
    assert [p[0] for p in pieces] == [3, 4]
    assert LINES[2][pieces[0][1]:pieces[0][2]] == "全面推行行政执法公示制度，"
    assert LINES[3][pieces[1][1]:pieces[1][2]] == "执法全过程记录制度"


def test_quote_with_wrong_line_is_found_nearby_and_unknown_quote_marks_the_line():
    assert locate(LINES, "公平竞争审查工作尚未全面开展", 5)[0][0] == 6
    assert locate(LINES, "这句话不在报告里", 2) == [(2, 0, len(LINES[1]))]
    assert locate(LINES, "任何", 99) == []


def test_highlight_segments_cover_the_text_and_link_each_rule_to_its_first_quote():
    res = _result([
        _rule("TES-01", "partial", evidence=[_ev("全面推行行政执法公示制度", 3)]),
        _rule("FCR-01", "self_reported_gap", severity="critical", evidence=[_ev("公平竞争审查工作尚未全面开展", 6, "negative")]),
        _rule("TES-02", "missing", near=[NearMiss(quote="全年办理案件128件", line=4, section="一", role="measures", reason="below threshold")]),
    ])
    lines, anchors = view.highlight(res, LINES)
    assert ["".join(s.text for s in ln.segments) for ln in lines] == LINES  # nothing lost or added
    marked = {(ln.no, s.text, s.kind) for ln in lines for s in ln.segments if s.rules}
    assert (3, "全面推行行政执法公示制度", "positive") in marked
    assert (6, "公平竞争审查工作尚未全面开展", "negative") in marked
    assert (4, "全年办理案件128件", "near") in marked
    ids = {a for ln in lines for s in ln.segments for a in s.anchors}
    assert {anchors["TES-01"], anchors["FCR-01"], anchors["TES-02"]} <= ids
    assert anchors["FCR-01#0#0"] == anchors["FCR-01"]


def test_overlapping_quotes_split_into_segments_carrying_both_rules():
    res = _result([
        _rule("A-1", "met", evidence=[_ev("全面推行行政执法公示制度", 3)]),
        _rule("A-2", "partial", evidence=[_ev("行政执法公示制度，", 3)]),
    ])
    lines, anchors = view.highlight(res, LINES)
    segs = [s for s in lines[2].segments if s.rules]
    both = [s for s in segs if s.rules == ["A-1", "A-2"]]
    assert both and both[0].text == "行政执法公示制度"
    assert anchors["A-1"] != anchors["A-2"]
    assert set(both[0].quotes) == {anchors["A-1"], anchors["A-2"]}


def test_findings_are_gaps_ordered_by_severity_then_status():
    res = _result([
        _rule("M-1", "met", severity="critical"),
        _rule("P-1", "partial", severity="critical"),
        _rule("X-1", "missing", severity="minor"),
        _rule("X-2", "missing", severity="critical"),
        _rule("N-1", "not_applicable", severity="critical"),
        _rule("G-1", "self_reported_gap", severity="major"),
    ])
    assert [r.rule_id for r in view.findings(res)] == ["X-2", "P-1", "G-1", "X-1"]


def test_ranking_puts_unscored_reports_last_and_pass_rates_count_applicable_only():
    a = _result([_rule("R-1", "met"), _rule("R-2", "missing")], total=80.0, source="a.txt")
    b = _result([_rule("R-1", "missing"), _rule("R-2", "not_applicable")], total=40.0, source="b.txt")
    c = _result([_rule("R-1", "not_applicable"), _rule("R-2", "not_applicable")], total=None, source="c.txt", doc_type="other")
    rows = view.ranking([("b", b), ("c", c), ("a", a)])
    assert [(r["source"], r["rank"]) for r in rows] == [("a.txt", 1), ("b.txt", 2), ("c.txt", None)]
    assert rows[1]["gaps"] == 1
    rates = {r["rule_id"]: r for r in view.pass_rates([a, b, c])}
    assert (rates["R-1"]["applicable"], rates["R-1"]["met"], rates["R-1"]["rate"]) == (2, 1, 50.0)
    assert (rates["R-2"]["applicable"], rates["R-2"]["rate"]) == (1, 0.0)
