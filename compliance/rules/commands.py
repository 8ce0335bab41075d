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
    from compliance.engine.evidence import _label

    return [indent + _label(c)]


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
           f"defined in {cr.origin} ({cr.file}:{cr.line})"]
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
    from compliance.rules.examples import run_examples

    rs = _load(path or ruleset)
    results = run_examples(rs)
    failed = [x for x in results if not x.ok]
    for x in failed:
        typer.echo(f"FAIL {x.rule_id} example {x.index + 1}: got {x.got}, wanted {x.expect}: {x.text[:80]}")
    typer.echo(f"{len(results) - len(failed)} passed, {len(failed)} failed")
    if failed:
        raise typer.Exit(1)


def register(app: typer.Typer) -> None:
    app.add_typer(rules_app, name="rules")
