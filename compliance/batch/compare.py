"""`compliance compare OLD NEW`: two drafts, or one bureau's reports of two years.

Each side is a report file (checked now, through the cache) or a previous `--format json`
output holding one report. Shows the score change in total and per family, and every rule whose
status moved, with the quotes behind the old and the new status."""

from __future__ import annotations

import json
import sys
from enum import Enum
from pathlib import Path
from typing import Optional

from typing import TYPE_CHECKING

import typer

if TYPE_CHECKING:  # the models (pydantic) load only when the command runs
    from compliance.models import ReportResult, RuleResult

# best to worst, as in the rule language's derived rules
STATUS_ORDER = {"met": 4, "partial": 3, "self_reported_gap": 2, "planned": 1, "missing": 0}


class CompareError(Exception):
    pass


def load_side(path: str, ruleset: str = "auto", use_cache: bool = True) -> ReportResult:
    p = Path(path)
    if not p.is_file():
        raise CompareError(f"{path}: no such file")
    if p.suffix.lower() in (".json", ".jsonl"):
        try:
            text = p.read_text(encoding="utf-8").strip()
            data = json.loads(text) if p.suffix.lower() == ".json" else [json.loads(x) for x in text.splitlines() if x.strip()]
        except (OSError, json.JSONDecodeError) as e:
            raise CompareError(f"{path}: not a compliance JSON output ({e})") from e
        if isinstance(data, dict) and "reports" in data:
            reports = data["reports"]
        elif isinstance(data, list):
            reports = [d for d in data if isinstance(d, dict) and "results" in d]
        elif isinstance(data, dict) and "results" in data:
            reports = [data]
        else:
            raise CompareError(f"{path}: not a `compliance check --format json` output")
        if len(reports) != 1:
            raise CompareError(f"{path}: holds {len(reports)} reports; compare takes one report per side")
        from compliance.models import ReportResult

        try:
            return ReportResult.model_validate(reports[0])
        except Exception as e:
            raise CompareError(f"{path}: report does not match the output schema ({str(e).splitlines()[0]})") from e
    from compliance.batch.runner import Job, check_one
    from compliance.models import InputError

    item = check_one(path, Job(ruleset=ruleset, use_cache=use_cache))
    if isinstance(item, InputError):
        raise CompareError(f"{item.source}: {item.error}")
    return item


def _side(rep: ReportResult) -> dict:
    return {
        "source": rep.source,
        "issuer": rep.meta.issuer,
        "period": list(rep.meta.period) if rep.meta.period else None,
        "doc_type": rep.meta.doc_type,
        "ruleset": rep.ruleset.name,
        "total": rep.score.total,
        "grade": rep.score.grade,
    }


def _delta(a: float | None, b: float | None) -> float | None:
    return None if a is None or b is None else round(b - a, 1)


def _quotes(r: RuleResult | None) -> list[dict]:
    if r is None:
        return []
    from compliance.results import unique_evidence

    return [{"quote": e.quote, "line": e.line, "section": e.section} for e in unique_evidence(r, 3)]


def direction(old: str | None, new: str | None) -> str:
    if old in STATUS_ORDER and new in STATUS_ORDER:
        return "improved" if STATUS_ORDER[new] > STATUS_ORDER[old] else "regressed"
    return "changed"


def compare_results(old: ReportResult, new: ReportResult) -> dict:
    fams = list(dict.fromkeys(list(old.score.by_family) + list(new.score.by_family)))
    by_family = {
        f: {"old": old.score.by_family.get(f), "new": new.score.by_family.get(f),
            "delta": _delta(old.score.by_family.get(f), new.score.by_family.get(f))}
        for f in fams
    }
    o = {r.rule_id: r for r in old.results}
    n = {r.rule_id: r for r in new.results}
    changes = []
    unchanged = 0
    for rid in list(dict.fromkeys(list(o) + list(n))):
        a, b = o.get(rid), n.get(rid)
        sa, sb = (a.status if a else None), (b.status if b else None)
        if sa == sb:
            unchanged += 1
            continue
        ref = b or a
        assert ref is not None  # the id came from one of the two
        changes.append(
            {
                "rule_id": rid,
                "title": ref.title,
                "family": ref.family,
                "severity": ref.severity,
                "old_status": sa,
                "new_status": sb,
                "direction": direction(sa, sb),
                "earned_delta": round((b.earned if b else 0) - (a.earned if a else 0), 2),
                "old_evidence": _quotes(a),
                "new_evidence": _quotes(b),
            }
        )
    changes.sort(key=lambda c: (c["direction"] != "regressed", c["direction"] != "improved", c["rule_id"]))
    return {
        "old": _side(old),
        "new": _side(new),
        "total": {"old": old.score.total, "new": new.score.total, "delta": _delta(old.score.total, new.score.total)},
        "by_family": by_family,
        "changes": changes,
        "improved": sum(c["direction"] == "improved" for c in changes),
        "regressed": sum(c["direction"] == "regressed" for c in changes),
        "unchanged": unchanged,
    }


def _fmt(v) -> str:
    return "—" if v is None else f"{v:.1f}"


def _fmt_delta(v) -> str:
    return "—" if v is None else f"{v:+.1f}"


def render_markdown(c: dict) -> str:
    from compliance.labels import STATUS_ZH
    from compliance.results import family_label
    from compliance.render.markdown import esc

    st = lambda s: STATUS_ZH.get(s, s or "—")  # noqa: E731
    out = ["# 报告对比", ""]
    out.append(f"- 旧：`{c['old']['source']}` {esc(c['old']['issuer'] or '')} 得分 {_fmt(c['old']['total'])}（{c['old']['grade'] or '—'}）")
    out.append(f"- 新：`{c['new']['source']}` {esc(c['new']['issuer'] or '')} 得分 {_fmt(c['new']['total'])}（{c['new']['grade'] or '—'}）")
    out.append(f"- 总分变化：**{_fmt_delta(c['total']['delta'])}**；改进 {c['improved']} 项，退步 {c['regressed']} 项，未变 {c['unchanged']} 项")
    out += ["", "| 分项 | 旧 | 新 | 变化 |", "| --- | ---: | ---: | ---: |"]
    for f, v in c["by_family"].items():
        out.append(f"| {esc(family_label(f, c['new']['ruleset']))} | {_fmt(v['old'])} | {_fmt(v['new'])} | {_fmt_delta(v['delta'])} |")
    out.append("")
    for label, key in (("退步", "regressed"), ("改进", "improved"), ("其他变化", "changed")):
        items = [x for x in c["changes"] if x["direction"] == key]
        if not items:
            continue
        out += [f"## {label}", ""]
        for x in items:
            out.append(f"### {esc(x['rule_id'])} {esc(x['title'])}：{st(x['old_status'])} → {st(x['new_status'])}")
            out.append("")
            for side, k in (("旧", "old_evidence"), ("新", "new_evidence")):
                for e in x[k]:
                    out.append(f"> {side}·第 {e['line']} 行：{esc(e['quote'])}")
                    out.append(">")
                if x[k]:
                    out.pop()
                    out.append("")
    return "\n".join(out).rstrip() + "\n"


def render_table(c: dict, color: bool = False) -> str:
    import io

    from rich import box
    from rich.console import Console
    from rich.table import Table

    from compliance.labels import STATUS_ZH
    from compliance.results import family_label, one_line

    buf = io.StringIO()
    con = Console(file=buf, force_terminal=color, no_color=not color, color_system="standard" if color else None,
                  width=120, highlight=False, emoji=False)
    con.print(f"旧 {c['old']['source']}  {c['old']['issuer'] or ''}  得分 {_fmt(c['old']['total'])}")
    con.print(f"新 {c['new']['source']}  {c['new']['issuer'] or ''}  得分 {_fmt(c['new']['total'])}")
    con.print(f"总分变化 {_fmt_delta(c['total']['delta'])}  改进 {c['improved']}  退步 {c['regressed']}  未变 {c['unchanged']}")
    t = Table(box=box.SIMPLE)
    for h in ("分项", "旧", "新", "变化"):
        t.add_column(h, justify="left" if h == "分项" else "right")
    for f, v in c["by_family"].items():
        t.add_row(family_label(f, c["new"]["ruleset"]), _fmt(v["old"]), _fmt(v["new"]), _fmt_delta(v["delta"]))
    con.print(t)
    if c["changes"]:
        t2 = Table(box=box.SIMPLE)
        for h in ("规则", "变化", "旧状态", "新状态", "依据（旧 → 新）"):
            t2.add_column(h, overflow="fold")
        for x in c["changes"]:
            oq = x["old_evidence"][0] if x["old_evidence"] else None
            nq = x["new_evidence"][0] if x["new_evidence"] else None
            q = " → ".join(
                [f"L{oq['line']} {one_line(oq['quote'], 30)}" if oq else "—", f"L{nq['line']} {one_line(nq['quote'], 30)}" if nq else "—"]
            )
            t2.add_row(f"{x['rule_id']} {x['title']}", {"improved": "改进", "regressed": "退步"}.get(x["direction"], "变化"),
                       STATUS_ZH.get(x["old_status"], x["old_status"] or "—"), STATUS_ZH.get(x["new_status"], x["new_status"] or "—"), q)
        con.print(t2)
    else:
        con.print("规则状态无变化。")
    return buf.getvalue()


CompareFormat = Enum("CompareFormat", {n: n for n in ("table", "markdown", "json")}, type=str)  # type: ignore[misc]


def compare(
    old: str = typer.Argument(..., help="旧报告（或其 JSON 输出）Old report file, or a previous --format json output."),
    new: str = typer.Argument(..., help="新报告（或其 JSON 输出）New report file, or a previous --format json output."),
    fmt: CompareFormat = typer.Option("table", "--format", "-f", help="输出格式 Output format: table | markdown | json"),  # type: ignore[valid-type]
    ruleset: str = typer.Option("auto", "--ruleset", "-r", help="规则集 Ruleset for report files (auto | name | FILE)."),
    output: Optional[Path] = typer.Option(None, "--output", "-o", help="写入文件而不是屏幕 Write to FILE instead of stdout."),
    no_cache: bool = typer.Option(False, "--no-cache", help="不使用缓存 Do not use .compliance-cache/."),
) -> None:
    """对比两份报告 Compare two reports: score change and rules that improved or regressed."""
    try:
        a = load_side(old, ruleset, not no_cache)
        b = load_side(new, ruleset, not no_cache)
    except CompareError as e:
        sys.stderr.write(f"{e}\n")
        raise typer.Exit(2) from None
    c = compare_results(a, b)
    name = fmt.value if isinstance(fmt, Enum) else str(fmt)
    if name == "json":
        text = json.dumps(c, ensure_ascii=False, indent=2) + "\n"
    elif name == "markdown":
        text = render_markdown(c)
    else:
        text = render_table(c, color=output is None and sys.stdout.isatty())
    if output is not None:
        from compliance.safeio import OutputError, write_output

        try:
            write_output(output, text)
        except OutputError as e:
            sys.stderr.write(f"{e}\n")
            raise typer.Exit(2) from None
    else:
        sys.stdout.write(text)
