"""Term sets (`terms:`, `@name`, `{@name}`) and `sequence` cues: expansion, inheritance, lint."""

from __future__ import annotations

import re
import textwrap

import pytest

from compliance.engine import evaluate
from compliance.engine.synth import build_report
from compliance.rules.lint import lint_paths
from compliance.rules.load import RulesetError, clear_cache, compile_cue, load_ruleset

HEAD = """\
name: {name}
version: "1"
{extra}
"""

RULE = """
  - id: {id}
    family: A
    title: t
    severity: major
    points: 4
    applies_to: [annual_report]
    basis: [b]
    evidence:
      met: [{check}]
    message: m
    remediation: r
"""

# Three rules that name the set three ways: a list item, inside a regex, inside a sequence.
THREE = (RULE.format(id="A-1", check="{presence: {any: ['@考核', 述职]}}")
         + RULE.format(id="A-2", check="{presence: {any: ['/法治[^。]{0,6}纳入{@考核}/']}}")
         + RULE.format(id="A-3", check="{presence: {any: [{sequence: [[依法行政, 法治建设], 列入, '@考核'], max_gap: 8}]}}"))


def write(tmp_path, name: str, extra: str, rules: str = "") -> object:
    p = tmp_path / f"{name}.yaml"
    p.write_text(HEAD.format(name=name, extra=textwrap.dedent(extra)) + ("rules:" + rules if rules else ""), encoding="utf-8")
    clear_cache()
    return p


def statuses(rs, text: str) -> dict[str, str]:
    res = evaluate(build_report([(None, "measures", [text])]), rs, backend="reference")
    return {r.rule_id: r.status for r in res.results}


def test_one_line_synonym_reaches_every_rule_that_names_the_set(tmp_path):
    text = "法治建设纳入绩效评价。依法行政工作列入年度绩效。"
    before = write(tmp_path, "t", "terms:\n  考核: [考核, 考评]\n", THREE)
    assert statuses(load_ruleset(before), text) == {"A-1": "missing", "A-2": "missing", "A-3": "missing"}
    # the acceptance criterion: one YAML line added to the set
    after = write(tmp_path, "t", "terms:\n  考核: [考核, 考评,\n    绩效]\n", THREE)
    assert statuses(load_ruleset(after), text) == {"A-1": "met", "A-2": "met", "A-3": "met"}


def test_expansion_forms(tmp_path):
    rs = load_ruleset(write(tmp_path, "t", "terms:\n  考核: [考核, '/考评(?!员)/', 'a.b']\n", THREE))
    p1 = rs.rule("A-1").rule.evidence.met[0].presence
    assert p1.any == ["考核", "/考评(?!员)/", "a.b", "述职"]  # spliced in place
    p2 = rs.rule("A-2").rule.evidence.met[0].presence
    assert p2.any == ["/法治[^。]{0,6}纳入(?:考核|考评(?!员)|a\\.b)/"]  # literals escaped, regexes as is
    p3 = rs.rule("A-3").rule.evidence.met[0].presence
    assert p3.any == ["/(?:依法行政|法治建设)[^。]{0,8}列入[^。]{0,8}(?:考核|考评(?!员)|a\\.b)/"]
    assert rs.rule("A-1").terms == {"考核": ["考核", "/考评(?!员)/", "a.b"]}
    assert rs.terms == {"考核": ["考核", "/考评(?!员)/", "a.b"]}


def test_literal_members_are_normalized_before_escaping(tmp_path):
    rs = load_ruleset(write(tmp_path, "t", "terms:\n  x: ['行政 复议（案件）']\n", RULE.format(id="A-1", check="{presence: {any: ['/{@x}/']}}")))
    lit = compile_cue("行政 复议（案件）").literal
    assert rs.rule("A-1").rule.evidence.met[0].presence.any == [f"/(?:{re.escape(lit)})/"]
    assert statuses(rs, "办理行政复议（案件）3件。")["A-1"] == "met"


def test_every_cue_list_takes_term_refs(tmp_path):
    check = ("{presence: {all: ['@a'], groups: [['@a'], [乙]], near: {any: ['@b']}, not: ['@b']}}, "
             "{quantity: {cue: ['@a']}}, {quantity: {ratio: [{cue: ['@a']}, {cue: ['@b']}]}}, "
             "{structure: {role: problems, contains: ['@b']}}")
    body = RULE.format(id="A-1", check=check).replace("    remediation: r", "    negation: ['@b']\n    remediation: r")
    rs = load_ruleset(write(tmp_path, "t", "terms: {a: [甲, 丙], b: [丁]}\nmarkers: {negation: ['@b', 尚未]}\n", body))
    met = rs.rule("A-1").rule.evidence.met
    p = met[0].presence
    assert p.all == ["甲", "丙"] and p.groups == [["甲", "丙"], ["乙"]] and p.near.any == ["丁"] and p.not_ == ["丁"]
    assert met[1].quantity.cue == ["甲", "丙"]
    assert [r.cue for r in met[2].quantity.ratio] == [["甲", "丙"], ["丁"]]
    assert met[3].structure.contains == ["丁"]
    assert rs.rule("A-1").rule.negation == ["丁"]
    assert rs.negation == ["丁", "尚未"]


def test_terms_refer_to_terms(tmp_path):
    extra = "terms:\n  法治: ['/(?<!依)法治/', 依法行政]\n  法治工作: ['@法治', '/{@法治}建设/']\n"
    rs = load_ruleset(write(tmp_path, "t", extra, RULE.format(id="A-1", check="{presence: {any: ['@法治工作']}}")))
    assert rs.terms["法治工作"] == ["/(?<!依)法治/", "依法行政", "/(?:(?<!依)法治|依法行政)建设/"]


# --------------------------------------------------------------------------- extends


@pytest.fixture
def family(tmp_path):
    write(tmp_path, "base", "terms:\n  考核: [考核, 考评]\n  学法: [学法]\n", THREE)
    return tmp_path


def test_child_adds_to_inherited_set_and_parent_rules_follow(family):
    child = write(family, "child", "extends: base\nterms:\n  考核: {add: [绩效]}\n")
    rs = load_ruleset(child)
    assert rs.terms["考核"] == ["考核", "考评", "绩效"]
    assert statuses(rs, "法治建设纳入绩效评价。") == {"A-1": "met", "A-2": "met", "A-3": "missing"}
    assert load_ruleset(family / "base.yaml").terms["考核"] == ["考核", "考评"]  # the parent is untouched


def test_child_replaces_or_removes(family):
    rs = load_ruleset(write(family, "child", "extends: base\nterms:\n  考核: [绩效]\n  学法: {remove: [学法], add: [述法]}\n"))
    assert rs.terms == {"考核": ["绩效"], "学法": ["述法"]}
    assert statuses(rs, "全年考核3次。")["A-1"] == "missing"


def test_child_override_names_a_set(family):
    child = write(family, "child", "extends: base\nterms:\n  述职: [述职述法]\noverrides:\n"
                  "  - id: A-1\n    evidence: {met: [{presence: {any: ['@述职']}}]}\n")
    assert load_ruleset(child).rule("A-1").rule.evidence.met[0].presence.any == ["述职述法"]


# --------------------------------------------------------------------------- lint


def errors_of(path) -> list[tuple]:
    return lint_paths([path])


def test_unknown_term_is_a_lint_error_with_line(tmp_path):
    body = RULE.format(id="A-1", check="{presence: {any: [甲, '@考评']}}") + RULE.format(id="A-2", check="{presence: {any: ['/a{@nope}b/']}}")
    errs = errors_of(write(tmp_path, "t", "terms: {考核: [考核]}\n", body))
    assert [(e[1], e[2], e[3]) for e in errs] == [
        (14, "rules[0].evidence.met[0].presence.any[1]", "unknown term set @考评 (known: @考核)"),
        (26, "rules[1].evidence.met[0].presence.any[0]", "unknown term set @nope (known: @考核)"),
    ]
    with pytest.raises(RulesetError, match=r"t\.yaml:14: .*unknown term set @考评"):
        load_ruleset(tmp_path / "t.yaml")


def test_term_definition_errors(tmp_path):
    extra = "terms:\n  a: ['/(/']\n  b: ['@c']\n  c: ['@b']\n  'x y': [z]\n  e: []\n"
    body = RULE.format(id="A-1", check="{presence: {any: [甲, '/{@e}/']}}")
    msgs = {(e[1], e[3].split(":")[0]) for e in errors_of(write(tmp_path, "t", extra, body))}
    assert (4, "pattern /(/ does not compile") in msgs
    assert any(ln in (5, 6) and m.startswith("term sets refer to each other in a cycle") for ln, m in msgs)
    assert (7, "term set name 'x y'") in msgs
    assert any(m == "term set @e is empty" for _, m in msgs)


def test_add_to_unknown_set_and_remove_missing_member(family):
    errs = errors_of(write(family, "child", "extends: base\nterms:\n  新词: {add: [x]}\n  考核: {remove: [绩效]}\n"))
    assert [(e[1], e[3]) for e in errs] == [
        (5, "add/remove on term set 新词, which no parent ruleset defines; write a plain list to define it"),
        (6, "绩效 is not in the inherited term set 考核"),
    ]


def test_inline_ref_in_a_literal_is_an_error(tmp_path):
    errs = errors_of(write(tmp_path, "t", "terms: {a: [甲]}\n", RULE.format(id="A-1", check="{presence: {any: ['x{@a}']}}")))
    assert "works inside a /regex/ only" in errs[0][3]


# --------------------------------------------------------------------------- sequence


def seq_rule(spec: str) -> str:
    return RULE.format(id="S-1", check="{presence: {any: [" + spec + "]}}")


@pytest.mark.parametrize("spec, text, want", [
    ("{sequence: [法治, 纳入, 考核]}", "法治建设工作纳入年度考核。", "met"),
    ("{sequence: [法治, 纳入, 考核]}", "考核纳入法治。", "missing"),  # the order counts
    ("{sequence: [法治, 考核], max_gap: 2}", "法治建设工作纳入考核。", "missing"),  # 6 characters apart
    ("{sequence: [法治, 考核], max_gap: 6}", "法治建设工作纳入考核。", "met"),
    ("{sequence: [法治, 纳入, 考核], max_gap: [6, 0]}", "法治建设工作纳入考核。", "met"),
    ("{sequence: [法治, 纳入, 考核], max_gap: [6, 0]}", "法治建设工作纳入年度考核。", "missing"),
    ("{sequence: [法治, 考核], max_gap: 20}", "法治建设。纳入考核。", "missing"),  # never across sentences
    ("{sequence: [法治, 考核], max_gap: 20, within: clause}", "法治建设，纳入考核。", "missing"),
    ("{sequence: [法治, 考核], max_gap: 20}", "法治建设，纳入考核。", "met"),
])
def test_sequence_gaps(tmp_path, spec, text, want):
    rs = load_ruleset(write(tmp_path, "t", "", seq_rule(spec)))
    assert statuses(rs, text)["S-1"] == want


def test_sequence_gap_holds_markers(tmp_path):
    """A negation marker in a sequence's gap counts (the gap is not the cue's own words)."""
    rs = load_ruleset(write(tmp_path, "t", "markers: {negation: [尚未]}\n", seq_rule("{sequence: [法治, 考核]}")))
    assert statuses(rs, "法治建设尚未纳入考核。")["S-1"] == "self_reported_gap"


@pytest.mark.parametrize("spec, needle", [
    ("{sequence: [法治]}", "at least 2 items"),
    ("{sequence: [法治, 考核, x], max_gap: [1]}", "one number per gap"),
    ("{sequence: [法治, []]}", "empty list of alternatives"),
    ("{sequence: [法治, '$p']}", "parameters are not expanded inside a sequence"),
    ("{sequence: [法治, 考核], max_gap: -1}", "greater than or equal to 0"),
    ("{sequence: [法治, 考核], gap: 3}", "unknown field"),
])
def test_sequence_lint(tmp_path, spec, needle):
    errs = errors_of(write(tmp_path, "t", "", seq_rule(spec)))
    assert errs and needle in errs[0][3] and errs[0][1] == 13, errs


def test_rules_show_lists_the_sets_a_rule_names(family):
    from typer.testing import CliRunner

    from compliance.cli import _register, app

    _register()
    child = write(family, "child", "extends: base\nterms:\n  考核: {add: [绩效]}\n")
    r = CliRunner().invoke(app, ["rules", "show", "A-1", "--ruleset", str(child)])
    assert r.exit_code == 0 and "terms:\n  @考核: 考核、考评、绩效\n" in r.output
    r = CliRunner().invoke(app, ["rules", "show", "A-1", "--ruleset", "national"])
    assert "terms:" not in r.output


def test_national_demonstrations_expand_to_the_regexes_they_replace():
    """FRP-10's cues written with term sets and sequences are the same regexes as before, up to groups."""
    clear_cache()
    any_ = load_ruleset("national").rule("FRP-10").rule.evidence.met[0].presence.any
    bare = [x.replace("(?:", "(") for x in any_]
    # a sector's own name of any short form, not the culture, publicity or study of the law
    not_sector = "文化|宣传|教育|阵地|文艺|广场|公园|长廊|讲堂|思想|意识|素养|理念|思维|队伍|人才|学习"
    fazhi_jianshe = ("((?<!依)法治建设|(?<!依)法治政府(部门)?建设|依法行政|(?<!依)法治政府[(（][^()（）。]{1,12}[)）]建设|"
                     f"(?<!依)法治(?!{not_sector})[\\u4e00-\\u9fa5]{{1,4}}建设)")
    shufa = "((?<![陈转叙复口])述法(?![律规定院]))"
    assert bare[0] == (f"/({fazhi_jianshe}|(?<!依)法治工作|(?<!依)法治|{shufa})[^。;,]{{0,12}}"
                       "(纳入|列入|作为)[^。;,]{0,15}((考核|绩效|考评|考察)|政绩|目标责任|述职)/")
    assert bare[5] == "/((?<!依)法治|依法行政)[^。;,]{0,8}(考核|考评)(权重|分值|指标)/"


def test_shipped_rulesets_share_wording_through_term_sets_not_anchors():
    """A YAML anchor is a vocabulary nobody can name, extend from a province or list; term sets are."""
    from compliance.rules.load import available_rulesets

    for name, path in available_rulesets().items():
        text = path.read_text(encoding="utf-8")
        anchors = [ln for ln in text.splitlines() if re.search(r"(?:^|[\s\[,:])[&*][\w\u4e00-\u9fff]+(?=[\s,\]]|$)", ln.split("#", 1)[0])]
        assert not anchors, f"{name}: {anchors[:3]}"
    clear_cache()
    rs = load_ruleset("liaoning")
    assert rs.rule("LN-FRP-01").terms["负责人"] == rs.terms["负责人"]  # a province names the national set


def test_one_line_in_a_child_ruleset_changes_a_national_rule_and_rules_terms_shows_it(tmp_path):
    """The acceptance criterion on the shipped rules: a province adds one synonym to @考核 and
    FRP-10 reads it; `compliance rules terms` lists the members, where each ruleset set them, and
    the rules that follow."""
    from typer.testing import CliRunner

    from compliance.cli import _register, app
    from compliance.normalize import snippet_report

    child = tmp_path / "child.yaml"
    child.write_text('name: child\nversion: "1"\nextends: national\nterms:\n  考核: {add: [评比]}\n', encoding="utf-8")
    clear_cache()
    text = "将依法行政纳入年终评比。"

    def frp10(rs) -> str:
        res = evaluate(snippet_report(text, role="measures"), rs, backend="reference", trace=False)
        return next(r.status for r in res.results if r.rule_id == "FRP-10")

    assert frp10(load_ruleset("national")) == "missing"
    assert frp10(load_ruleset(child)) == "met"
    _register()
    r = CliRunner().invoke(app, ["rules", "terms", "@考核", "--ruleset", str(child)])
    assert r.exit_code == 0, r.output
    want = load_ruleset("national").terms["考核"] + ["评比"]  # the national members, then the province's
    assert f"@考核（{len(want)} 项 members）：{'、'.join(want)}" in r.output
    assert "修改于 changed in child" in r.output and "FRP-10  法治建设纳入考核" in r.output
    r = CliRunner().invoke(app, ["rules", "show", "@法治"])  # `rules show @name` is the same view
    assert r.exit_code == 0 and "引用" not in r.output.split("@法治（")[1].split("\n\n")[0]
    for rid in ("FRP-01", "FRP-04", "FRP-10"):  # through 法治, and through sets that name it
        assert f"{rid}  " in r.output
    r = CliRunner().invoke(app, ["rules", "terms", "@nope"])
    assert r.exit_code == 2 and "没有术语集 @nope" in r.output


def test_rules_terms_follows_sets_named_by_other_sets():
    from compliance.rules.terms import term_index

    clear_cache()
    idx = {t["name"]: t for t in term_index(load_ruleset("national"))}
    assert idx["主持法治会议"]["names"] == ["主要负责人", "法治"]
    users = {cr.id for cr in idx["主要负责人"]["rules"]}
    assert {"AR-06", "FRP-01"} <= users  # AR-06 names 主持法治会议, which names 主要负责人
    unused = set(idx)
    for name in ("national", "zhejiang", "liaoning", "henan"):  # every set serves some shipped rule
        unused -= {t["name"] for t in term_index(load_ruleset(name)) if t["rules"]}
    assert not unused
