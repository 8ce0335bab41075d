"""`compliance rules list|show|terms|lint|test`."""

from __future__ import annotations

from typing import Optional

import typer

rules_app = typer.Typer(no_args_is_help=True, help="规则集：列出、查看、校验、测试 Rulesets: list, show, lint and test rules.")


def _load(ruleset: str):
    from compliance.rules.load import RulesetError, load_ruleset

    try:
        return load_ruleset(ruleset)
    except RulesetError as exc:
        typer.echo(str(exc), err=True)
        raise typer.Exit(2)


def _sev(severity: str) -> str:
    from compliance.labels import SEVERITY_ZH

    zh = SEVERITY_ZH.get(severity)
    return f"{zh} {severity}" if zh else severity


def _fam(family: str) -> str:
    from compliance.results import family_label

    return family_label(family)


@rules_app.command("list")
def list_rules(ruleset: str = typer.Option("national", "--ruleset", "-r", help="规则集名称或文件 Ruleset name or file.")) -> None:
    """列出规则 The rules in force: id, family, severity, points, title, basis."""
    from rich.console import Console
    from rich.table import Table

    from compliance.labels import SEVERITY_ZH

    rs = _load(ruleset)
    t = Table(title=f"{rs.label} {rs.version}（继承 chain: {' → '.join(rs.chain)}）")
    for col, kw in (("编号\nid", {"no_wrap": True}), ("类别\nfamily", {"no_wrap": True}), ("严重程度\nseverity", {"no_wrap": True}),
                    ("分值\npoints", {"justify": "right"}), ("名称\ntitle", {"ratio": 1}), ("依据\nbasis", {"ratio": 2})):
        t.add_column(col, overflow="fold", **kw)
    for cr in rs.rules:
        r = cr.rule
        title = r.title + (f"  [已停用 disabled: {cr.disabled}]" if cr.disabled else "")
        t.add_row(r.id, r.family, SEVERITY_ZH.get(r.severity, r.severity), f"{r.points:g}", title, "；".join(r.basis))
    Console().print(t)


def describe_check(c, indent: str = "  ") -> list[str]:
    from compliance.engine.evidence import describe

    if c.label:
        return [indent + c.label, indent + "  " + describe(c)]
    return [indent + describe(c)]


def find_rule(rule_id: str, ruleset: str | None):
    """(ruleset, rule) for `rule_id`, case-insensitive: in `ruleset` when given, else in
    national first and then every available ruleset (ZJ-TES-01 lives in zhejiang)."""
    from compliance.rules.load import available_rulesets

    want = rule_id.strip().upper()
    names = [ruleset] if ruleset else ["national", *sorted(n for n in available_rulesets() if n != "national")]
    searched = []
    for name in names:
        rs = _load(name)
        searched.append(rs.name)
        for cr in rs.rules:
            if cr.rule.id.upper() == want:
                return rs, cr
    where = "、".join(searched)
    typer.echo(f"没有规则 {rule_id}（已查找规则集 {where}）no rule {rule_id} in {', '.join(searched)}; "
               f"see `compliance rules list`", err=True)
    raise typer.Exit(2)


@rules_app.command("show")
def show(
    rule_id: str = typer.Argument(..., help="规则编号，不区分大小写 Rule id, any case (TES-07, zj-tes-01); @名称 为术语集 @name for a term set."),
    ruleset: Optional[str] = typer.Option(None, "--ruleset", "-r",
                                          help="只在此规则集中查找 Look only in this ruleset (default: every ruleset)."),
) -> None:
    """查看一条规则 One rule: what it requires, basis, what counts as evidence, examples."""
    from compliance.labels import DOC_TYPE_ZH, STATUS_ZH

    if rule_id.startswith("@"):  # a term set: `compliance rules show @考核`
        print_terms(rule_id, ruleset or "national")
        return
    rs, cr = find_rule(rule_id, ruleset)
    r = cr.rule
    applies = "、".join(DOC_TYPE_ZH.get(t, t) for t in r.applies_to)
    out = [f"{r.id}  {r.title}",
           f"规则集 ruleset {rs.label} · 类别 family {_fam(r.family)} · 严重程度 severity {_sev(r.severity)} · "
           f"分值 points {r.points:g} · 适用 applies to {applies}",
           f"定义于 defined in {cr.origin} ({cr.file}:{cr.line})"
           + (f"，被修改于 overridden in {', '.join(cr.overridden_in)}" if cr.overridden_in else "")]
    if cr.disabled:
        out.append(f"已停用 DISABLED: {cr.disabled}")
    if r.when:
        out.append("适用条件 when: " + ", ".join(f"{k}={v}" for k, v in r.when.model_dump(exclude_none=True).items()))
    out.append("依据 basis:")
    out += [f"  {b}" for b in r.basis]
    if r.derived:
        out.append(f"由以下规则推出 derived ({r.derived.mode}) from: {', '.join(r.derived.from_)}")
    if r.evidence:
        for tier, zh in (("met", "已落实"), ("partial", "部分落实")):
            checks = getattr(r.evidence, tier)
            if checks:
                out.append(f"{zh}（{tier}）满足任一即可 when any of:")
                for c in checks:
                    out += describe_check(c)
    if cr.terms:  # the term sets it names, expanded (a child ruleset may have changed them)
        out.append("terms:")
        out += [f"  @{name}: {'、'.join(members)}" for name, members in cr.terms.items()]
    msg = r.message if isinstance(r.message, str) else r.message.default
    out.append(f"说明 message: {msg}")
    out.append(f"整改建议 remediation: {r.remediation}")
    if r.examples:
        out.append("示例 examples:")
        for ex in r.examples:
            out.append(f"  [{STATUS_ZH.get(ex.expect, ex.expect)} {ex.expect}] ({ex.role or '-'}, {ex.doc_type}) {ex.text}")
    typer.echo("\n".join(out))


def print_terms(name: str | None, ruleset: str) -> None:
    """The term sets of a ruleset (or one of them): members, where defined, the rules using each."""
    from compliance.rules.load import display_path
    from compliance.rules.terms import term_index

    rs = _load(ruleset)
    sets = term_index(rs)
    if name:
        want = name.lstrip("@")
        sets = [t for t in sets if t["name"] == want]
        if not sets:
            known = "、".join("@" + t["name"] for t in term_index(rs))
            typer.echo(f"规则集 {rs.label} 没有术语集 @{want}；已有 known: {known}", err=True)
            raise typer.Exit(2)
    out = [f"术语集 term sets · 规则集 ruleset {rs.label}（{len(sets)} 个）"]
    for t in sets:
        out.append("")
        out.append(f"@{t['name']}（{len(t['members'])} 项 members）：{'、'.join(t['members'])}")
        where = "；".join(f"{'定义于 defined in' if how == 'defined' else '修改于 changed in'} {rs_name} "
                         f"({display_path(f)}:{line})" for how, rs_name, f, line in t["where"])
        if where:
            out.append(f"  {where}")
        if t["names"]:
            out.append("  引用 names: " + "、".join("@" + n for n in t["names"]))
        rules = t["rules"]
        out.append(f"  使用它的规则 used by ({len(rules)}):" + ("" if rules else " —"))
        out += [f"    {cr.id}  {cr.rule.title}" for cr in rules]
    typer.echo("\n".join(out))


@rules_app.command("terms")
def terms(
    name: Optional[str] = typer.Argument(None, help="术语集名称 A term set (@考核 or 考核); default: every set."),
    ruleset: str = typer.Option("national", "--ruleset", "-r", help="规则集名称或文件 Ruleset name or file."),
) -> None:
    """术语集：成员、定义位置和使用它的规则 Term sets: members, where defined, and the rules that use each."""
    print_terms(name, ruleset)


@rules_app.command("lint")
def lint(paths: list[str] = typer.Argument(..., help="规则集文件或文件夹 Ruleset files or folders.")) -> None:
    """校验规则集文件 Validate ruleset files; every error as file:line: field: message. Exit 2 on errors."""
    from compliance.rules.lint import lint_paths, lint_text

    errors = lint_paths(paths)
    if errors:
        typer.echo(lint_text(errors), err=True)
        typer.echo(f"{len(errors)} error(s)", err=True)
        raise typer.Exit(2)
    typer.echo("ok")


@rules_app.command("test")
def test(
    path: Optional[str] = typer.Argument(None, help="规则集文件 A ruleset file (default: --ruleset)."),
    ruleset: str = typer.Option("national", "--ruleset", "-r", help="规则集名称或文件 Ruleset name or file."),
) -> None:
    """运行规则自带的示例 Run each rule's embedded examples; exit 1 on any failure."""
    from pathlib import Path

    from compliance.rules.examples import run_examples
    from compliance.rules.lint import ruleset_files

    targets: list[str] = [path or ruleset]
    if path and Path(path).is_dir():
        files, errs = ruleset_files([path])
        if errs:
            typer.echo(f"{path}: no ruleset files", err=True)
            raise typer.Exit(2)
        targets = [str(f) for f in files]
    total = bad = 0
    seen: set[tuple] = set()
    for t in targets:
        rs = _load(t)
        for x in run_examples(rs):
            key = (x.rule_id, x.index, x.text, x.got)
            if key in seen:  # an inherited rule's examples, already run for the parent
                continue
            seen.add(key)
            total += 1
            if not x.ok:
                bad += 1
                text = x.text.replace("\n", " / ")[:80]
                typer.echo(f"FAIL {rs.name} {x.rule_id} example {x.index + 1}: got {x.got}, wanted {x.expect}: {text}")
                if x.detail:
                    typer.echo(f"     {x.detail}")
    typer.echo(f"{total - bad} passed, {bad} failed")
    if bad:
        raise typer.Exit(1)


def register(app: typer.Typer) -> None:
    app.add_typer(rules_app, name="rules")
