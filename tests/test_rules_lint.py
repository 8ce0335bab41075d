"""Lint: one test per error kind, each naming file, line and field; the CLI exit codes."""

from __future__ import annotations

import textwrap

from typer.testing import CliRunner

from compliance.rules.lint import lint_paths

HEAD = 'name: x\nversion: "1"\nparameters: {n: 60}\nrules:\n'
GOOD = """\
  - id: A-1
    family: A
    title: t
    severity: major
    points: 4
    applies_to: [annual_report]
    basis: [b]
    evidence:
      met:
        - presence: {any: [执法公示]}
    message: m
    remediation: r
"""


def lint(tmp_path, body: str, name="x.yaml", extra: dict | None = None):
    p = tmp_path / name
    p.write_text(body, encoding="utf-8")
    for k, v in (extra or {}).items():
        (tmp_path / k).write_text(v, encoding="utf-8")
    return lint_paths([p])


def one(errors, needle):
    hits = [e for e in errors if needle in e[3]]
    assert hits, errors
    return hits[0]


def test_clean(tmp_path):
    assert lint(tmp_path, HEAD + GOOD) == []


def test_schema_error_line_and_field(tmp_path):
    e = one(lint(tmp_path, HEAD + GOOD.replace("severity: major", "severity: huge")), "critical")
    assert e[1] == 8 and e[2] == "rules[0].severity"


def test_unknown_field(tmp_path):
    e = one(lint(tmp_path, HEAD + GOOD.replace("{any: [执法公示]}", "{any: [执法公示], anyy: [x]}")), "unknown field")
    assert e[1] == 14 and e[2] == "rules[0].evidence.met[0].presence.anyy"


def test_missing_required_field(tmp_path):
    e = one(lint(tmp_path, HEAD + GOOD.replace("    remediation: r\n", "")), "Field required")
    assert e[2] == "rules[0].remediation"


def test_yaml_syntax_error(tmp_path):
    e = one(lint(tmp_path, HEAD + GOOD.replace("[执法公示]}", "[执法公示]")), "YAML syntax")
    assert e[1] > 0


def test_duplicate_yaml_key(tmp_path):
    e = one(lint(tmp_path, HEAD + GOOD.replace("    points: 4\n", "    points: 4\n    points: 5\n")), "duplicate key")
    assert e[2] == "rules[0].points"


def test_bad_regex(tmp_path):
    e = one(lint(tmp_path, HEAD + GOOD.replace("[执法公示]", "['/执法(公示/']")), "does not compile")
    assert e[1] == 14 and e[2] == "rules[0].evidence.met[0].presence.any[0]"


def test_catastrophic_backtracking_regex(tmp_path):
    """(x+)+ on a long near-miss text can hang a check: lint refuses it with file, line and field."""
    e = one(lint(tmp_path, HEAD + GOOD.replace("[执法公示]", "['/(执法[^。]*)+公示/']")), "unbounded repeat")
    assert e[1] == 14 and e[2] == "rules[0].evidence.met[0].presence.any[0]"
    assert lint(tmp_path, HEAD + GOOD.replace("[执法公示]", "['/执法[^。]{0,20}公示/']")) == []


def test_empty_cue_set(tmp_path):
    e = one(lint(tmp_path, HEAD + GOOD.replace("{any: [执法公示]}", "{any: []}")), "empty cue set")
    assert e[2] == "rules[0].evidence.met[0].presence"


def test_empty_evidence_no_derived(tmp_path):
    body = HEAD + GOOD.replace("    evidence:\n      met:\n        - presence: {any: [执法公示]}\n", "")
    e = one(lint(tmp_path, body), "can never match")
    assert e[2] == "rules[0].evidence"


def test_check_with_two_kinds(tmp_path):
    one(lint(tmp_path, HEAD + GOOD.replace("{any: [执法公示]}", "{any: [执法公示]}\n          meta: {field: title}")), "exactly one kind")


def test_duplicate_ids(tmp_path):
    e = one(lint(tmp_path, HEAD + GOOD + GOOD), "duplicate rule id")
    assert e[1] == 17


def test_unknown_param(tmp_path):
    body = HEAD + GOOD.replace("{any: [执法公示]}", "{cue: [培训], op: '>=', threshold: $hours}").replace("presence", "quantity")
    e = one(lint(tmp_path, body), "unknown parameter $hours")
    assert e[2] == "rules[0].evidence.met[0].quantity.threshold" and e[1] == 14


def test_unknown_placeholder(tmp_path):
    e = one(lint(tmp_path, HEAD + GOOD.replace("message: m", "message: '{valeu}未达标'")), "unknown placeholder {valeu}")
    assert e[2] == "rules[0].message"


def test_derived_unknown_self_and_cycle(tmp_path):
    def der(id, frm):
        return textwrap.dedent(f"""\
          - id: {id}
            family: A
            title: t
            severity: major
            points: 1
            applies_to: [annual_report]
            basis: [b]
            derived: {{from: [{frm}]}}
            message: m
            remediation: r
        """).replace("\n", "\n  ").rstrip(" ")
    body = HEAD + GOOD + "  " + der("D-1", "D-1, ZZ") + "  " + der("D-2", "D-3") + "  " + der("D-3", "D-2")
    errs = lint(tmp_path, body)
    assert one(errs, "names itself")[2] == "rules[1].derived.from[0]"
    assert one(errs, "unknown rule ZZ")[2] == "rules[1].derived.from[1]"
    one(errs, "form a cycle")


def test_override_of_rule_parent_lacks(tmp_path):
    child = 'name: c\nversion: "1"\nextends: x\noverrides:\n  - id: NOPE\n    points: 1\n'
    e = one(lint(tmp_path, child, "c.yaml", {"x.yaml": HEAD + GOOD}), "override names an unknown rule")
    assert e[1] == 5 and e[2] == "overrides[0].id" and e[0].endswith("c.yaml")


def test_override_without_extends(tmp_path):
    body = HEAD + GOOD + "overrides:\n  - id: A-1\n    points: 1\n"
    one(lint(tmp_path, body), "no parent ruleset")


def test_unknown_extends(tmp_path):
    e = one(lint(tmp_path, 'name: c\nversion: "1"\nextends: nowhere-xyz\n'), "unknown ruleset")
    assert e[2] == "extends" and e[1] == 3


def test_cli_lint_exit_codes(tmp_path):
    from compliance.cli import _register, app

    _register()
    good = tmp_path / "g.yaml"
    good.write_text(HEAD + GOOD, encoding="utf-8")
    bad = tmp_path / "b.yaml"
    bad.write_text(HEAD + GOOD.replace("severity: major", "severity: huge"), encoding="utf-8")
    r = CliRunner().invoke(app, ["rules", "lint", str(good)])
    assert r.exit_code == 0
    r = CliRunner().invoke(app, ["rules", "lint", str(bad)])
    assert r.exit_code == 2
    assert f"{bad}:8: rules[0].severity:" in r.output


def test_cli_rules_test_examples(tmp_path):
    from compliance.cli import _register, app

    _register()
    ex = GOOD + "    examples:\n      - {text: 全面推行执法公示制度。, role: measures, expect: met}\n      - {text: 其他工作。, expect: met}\n"
    p = tmp_path / "e.yaml"
    p.write_text(HEAD + ex, encoding="utf-8")
    r = CliRunner().invoke(app, ["rules", "test", str(p)])
    assert r.exit_code == 1
    assert "got missing, wanted met" in r.output
    assert "1 passed, 1 failed" in r.output


def test_cli_list_and_show(tmp_path):
    from compliance.cli import _register, app

    _register()
    p = tmp_path / "l.yaml"
    p.write_text(HEAD + GOOD, encoding="utf-8")
    r = CliRunner().invoke(app, ["rules", "list", "--ruleset", str(p)])
    assert r.exit_code == 0 and "A-1" in r.output
    r = CliRunner().invoke(app, ["rules", "show", "A-1", "--ruleset", str(p)])
    assert r.exit_code == 0 and "执法公示" in r.output
    r = CliRunner().invoke(app, ["rules", "show", "Z-9", "--ruleset", str(p)])
    assert r.exit_code == 2


def test_union_field_error_is_one_line(tmp_path):
    errs = lint(tmp_path, HEAD + GOOD.replace("message: m", "message: [1, 2]"))
    hits = [e for e in errs if e[2] == "rules[0].message"]
    assert len(hits) == 1 and hits[0][1] == 15 and "; or " in hits[0][3]


def test_checks_that_hold_never_or_always(tmp_path):
    errs = lint(tmp_path, HEAD + GOOD.replace("{any: [执法公示]}", "{any: [执法公示], roles: []}"))
    assert one(errs, "empty roles list")[2] == "rules[0].evidence.met[0].presence.roles"
    errs = lint(tmp_path, HEAD + GOOD.replace("{any: [执法公示]}", "{any: [执法公示], min_count: 0}"))
    assert one(errs, "min_count must be at least 1")[1] == 14
    errs = lint(tmp_path, HEAD + GOOD.replace("{any: [执法公示]}", "{groups: [[a], [b]], min_groups: 3}"))
    one(errs, "exceeds the 2 groups")


def test_error_paths_relative_to_cwd(tmp_path, monkeypatch):
    d = tmp_path / "rulesets"
    d.mkdir()
    (d / "x.yaml").write_text(HEAD + GOOD.replace("severity: major", "severity: huge"), encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    errs = lint_paths([d / "x.yaml"])  # absolute in, relative out
    assert errs[0][0] == "rulesets/x.yaml"
    from compliance.rules.load import RulesetError, format_error, load_ruleset

    try:
        load_ruleset(d / "x.yaml")
    except RulesetError as exc:
        assert str(exc).startswith("rulesets/x.yaml:8: rules[0].severity: ")
        assert format_error(exc.errors[0]) == str(exc).splitlines()[0]
    else:
        raise AssertionError("expected a RulesetError")
