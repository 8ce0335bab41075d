"""`compliance rules list|show|lint|test`."""

from __future__ import annotations

from typing import Optional

import typer

rules_app = typer.Typer(no_args_is_help=True, help="Rulesets: list, show, lint and test rules.")


def _load(ruleset: str):
    from compliance.rules.load import RulesetError, load_ruleset

    try:
        return load_ruleset(ruleset)
    except RulesetError as exc:
        typer.echo(str(exc), err=True)
        raise typer.Exit(2)


@rules_app.command("list")
def list_rules(ruleset: str = typer.Option("national", "--ruleset", "-r", help="Ruleset name or file.")) -> None:
    """The rules in force: id, family, severity, points, title, basis."""
    from rich.console import Console
    from rich.table import Table

    rs = _load(ruleset)
    t = Table(title=f"{rs.name} {rs.version} ({' → '.join(rs.chain)})")
    for col in ("id", "family", "severity", "points", "title", "basis"):
        t.add_column(col, overflow="fold")
    for cr in rs.rules:
        r = cr.rule
        title = r.title + (f"  [disabled: {cr.disabled}]" if cr.disabled else "")
        t.add_row(r.id, r.family, r.severity, f"{r.points:g}", title, "; ".join(r.basis))
    Console().print(t)


def describe_check(c, indent: str = "  ") -> list[str]:
    from compliance.engine.evidence import describe

    if c.label:
        return [indent + c.label, indent + "  " + describe(c)]
    return [indent + describe(c)]


@rules_app.command("show")
def show(rule_id: str, ruleset: str = typer.Option("national", "--ruleset", "-r", help="Ruleset name or file.")) -> None:
    """One rule: what it requires, basis, what counts as evidence, examples."""
    rs = _load(ruleset)
    try:
        cr = rs.rule(rule_id)
    except KeyError:
        typer.echo(f"{rs.name}: no rule {rule_id} (see `compliance rules list --ruleset {ruleset}`)", err=True)
        raise typer.Exit(2)
    r = cr.rule
    out = [f"{r.id}  {r.title}", f"family {r.family} · severity {r.severity} · points {r.points:g} · applies to {', '.join(r.applies_to)}",
           f"defined in {cr.origin} ({cr.file}:{cr.line})" + (f", overridden in {', '.join(cr.overridden_in)}" if cr.overridden_in else "")]
    if cr.disabled:
        out.append(f"DISABLED: {cr.disabled}")
    if r.when:
        out.append("when: " + ", ".join(f"{k}={v}" for k, v in r.when.model_dump(exclude_none=True).items()))
    out.append("basis:")
    out += [f"  {b}" for b in r.basis]
    if r.derived:
        out.append(f"derived ({r.derived.mode}) from: {', '.join(r.derived.from_)}")
    if r.evidence:
        for tier in ("met", "partial"):
            checks = getattr(r.evidence, tier)
            if checks:
                out.append(f"{tier} when any of:")
                for c in checks:
                    out += describe_check(c)
    if cr.terms:  # the term sets it names, expanded (a child ruleset may have changed them)
        out.append("terms:")
        out += [f"  @{name}: {'、'.join(members)}" for name, members in cr.terms.items()]
    msg = r.message if isinstance(r.message, str) else r.message.default
    out.append(f"message: {msg}")
    out.append(f"remediation: {r.remediation}")
    if r.examples:
        out.append("examples:")
        for ex in r.examples:
            out.append(f"  [{ex.expect}] ({ex.role or '-'}, {ex.doc_type}) {ex.text}")
    typer.echo("\n".join(out))


@rules_app.command("lint")
def lint(paths: list[str] = typer.Argument(..., help="Ruleset files or folders.")) -> None:
    """Validate ruleset files; every error as file:line: field: message. Exit 2 on errors."""
    from compliance.rules.lint import lint_paths, lint_text

    errors = lint_paths(paths)
    if errors:
        typer.echo(lint_text(errors), err=True)
        typer.echo(f"{len(errors)} error(s)", err=True)
        raise typer.Exit(2)
    typer.echo("ok")


@rules_app.command("test")
def test(
    path: Optional[str] = typer.Argument(None, help="A ruleset file (default: --ruleset)."),
    ruleset: str = typer.Option("national", "--ruleset", "-r", help="Ruleset name or file."),
) -> None:
    """Run each rule's embedded examples; exit 1 on any failure."""
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
