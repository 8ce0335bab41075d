"""`--format table`: for a terminal. rich measures CJK cells as double width, so Chinese columns
line up; with `color=False` (piped output) no escape codes are written."""

from __future__ import annotations

import io
from typing import Any

from rich import box
from rich.console import Console
from rich.table import Table
from rich.text import Text

from compliance.models import CheckResult, InputError, ReportResult, Summary, ToolInfo
from compliance.render.escape import printable, printable_model
from compliance.render import Kept, build
from compliance.labels import BASELINE_ZH, DOC_TYPE_ZH, SEVERITY_ZH, fmt_num, fmt_score
from compliance.results import (
    family_label,
    findings,
    first_quote,
    issuer_text,
    one_line,
    period_text,
    rank_order,
    rank_text,
    ruleset_text,
    status_text,
)

SEV_STYLE = {"critical": "bold red", "major": "yellow", "minor": "cyan"}
STATUS_STYLE = {"missing": "red", "self_reported_gap": "magenta", "planned": "blue", "partial": "yellow"}


def _console(color: bool, width: int | None) -> tuple[Console, io.StringIO]:
    buf = io.StringIO()
    con = Console(
        file=buf,
        force_terminal=color,
        no_color=not color,
        color_system="standard" if color else None,
        width=width or 120,
        highlight=False,
        emoji=False,
        legacy_windows=False,
    )
    return con, buf


def _ranking_table(rows: list[list[str]], totals: list[float | None]) -> Table:
    t = Table(title="排名 Ranking", box=box.SIMPLE_HEAVY, title_justify="left")
    columns: list[tuple[str, dict[str, Any]]] = [
        ("#", {"justify": "right"}),
        ("得分", {"justify": "right"}),
        ("等级", {}),
        ("单位 issuer", {"overflow": "fold"}),
        ("类型", {}),
        ("年度", {}),
        ("差距", {"justify": "right"}),
        ("文件", {"overflow": "fold"}),
    ]
    for col, kw in columns:
        t.add_column(col, **kw)
    for rank, i in rank_order(totals):
        t.add_row(rank_text(rank), *rows[i])
    return t


def _ranking_row(rep: ReportResult) -> list[str]:
    gaps = findings(rep)
    open_gaps = [g for g in gaps if g.waived is None]
    gap_txt = str(len(open_gaps)) + (f"+{len(gaps) - len(open_gaps)}豁免" if len(gaps) > len(open_gaps) else "")
    return [
        fmt_score(rep.score.total),
        rep.score.grade or "—",
        issuer_text(rep),
        DOC_TYPE_ZH.get(rep.meta.doc_type, rep.meta.doc_type),
        period_text(rep),
        gap_txt,
        rep.source,
    ]


def _report_block(con: Console, rep: ReportResult, detail: bool = False) -> None:
    head = Text()
    head.append(issuer_text(rep), style="bold")
    head.append(f"  {rep.source}\n")
    head.append(
        f"得分 {fmt_score(rep.score.total)}  等级 {rep.score.grade or '—'}  "
        f"类型 {DOC_TYPE_ZH.get(rep.meta.doc_type, rep.meta.doc_type)}  年度 {period_text(rep)}  "
        f"规则集 {ruleset_text(rep)}"
    )
    if rep.score.by_family:
        fams = "  ".join(f"{family_label(f, rep)} {fmt_score(v)}" for f, v in rep.score.by_family.items())
        head.append("\n" + fams)
    con.print(head)
    for w in rep.warnings:
        con.print(Text("⚠ " + w, style="yellow"))
    gaps = findings(rep)
    if not gaps and rep.score.total is None:
        con.print(Text("未评分：没有适用的规则 Not scored: no rule applies.", style="yellow"))
    elif not gaps:
        con.print(Text("未发现差距 No gaps.", style="green"))
    else:
        t = Table(box=box.SIMPLE, show_edge=False, pad_edge=False)
        t.add_column("严重性")
        t.add_column("规则", no_wrap=True)
        t.add_column("状态")
        t.add_column("分值", justify="right")
        t.add_column("说明 / 依据行", overflow="fold", ratio=1)
        for r in gaps:
            quote, line = first_quote(r)
            if not r.message:
                msg = r.title
            elif r.message.startswith(r.title):
                msg = r.message
            else:
                msg = f"{r.title}：{r.message}"
            msg = one_line(msg)
            if line:
                msg += f"  (L{line}: {one_line(quote, 40 if r.evidence else 52)})"
            if r.waived is not None:
                msg += f"  [豁免: {one_line(r.waived.reason, 40)}]"
            if r.baseline:
                msg = f"[{BASELINE_ZH.get(r.baseline, r.baseline)}] " + msg
            if detail:  # -v: what a person needs to act on the finding
                if r.basis:
                    msg += "\n依据：" + "；".join(r.basis)
                if r.remediation:
                    msg += "\n整改建议：" + r.remediation
            t.add_row(
                Text(SEVERITY_ZH.get(r.severity, r.severity), style=SEV_STYLE.get(r.severity, "")),
                r.rule_id,
                Text(status_text(r), style=STATUS_STYLE.get(r.status, "")),
                f"{fmt_num(r.earned)}/{fmt_num(r.points)}",
                msg,
            )
        con.print(t)
    if rep.resolved:
        con.print(Text("已解决（相对基线）: " + "、".join(f"{r.rule_id} {r.title}" for r in rep.resolved), style="green"))
    con.print()


class Builder(Kept):
    """The table built report by report: each report's block is rendered to text as it comes,
    and only its ranking row and total are kept for the ranking table printed first."""

    def __init__(self, color: bool = False, width: int | None = None, detail: bool = False, **opts) -> None:
        self.color, self.width, self.detail = color, width, detail
        self.totals: list[float | None] = []
        self.rows: list[list[str]] = []
        self.blocks: list[str] = []

    def add(self, rep: ReportResult) -> str:
        rep = printable_model(rep)  # an ESC in a file name must not reach the terminal
        self.totals.append(rep.score.total)
        self.rows.append(_ranking_row(rep))
        con, buf = _console(self.color, self.width)
        _report_block(con, rep, self.detail)
        self.blocks.append(buf.getvalue())
        return ""

    def finish(self, tool: ToolInfo | None, errors: list[InputError], summary: Summary | None = None) -> str:
        s = summary or Summary.of(self.totals, len(errors))
        con, buf = _console(self.color, self.width)
        if len(self.rows) > 1:
            con.print(_ranking_table(self.rows, self.totals))
        head = buf.getvalue()
        con, buf = _console(self.color, self.width)
        if errors:
            con.print(Text(f"无法读取 {len(errors)} 个文件 (could not be read):", style="bold red"))
            for e in errors:
                con.print(Text(printable(f"  {e.source}: {e.error}")))  # a file name is not markup
        con.print(
            f"共检查 {s.checked} 份，失败 {s.failed} 份，平均得分 {fmt_score(s.mean_score)}"
            f"  (checked {s.checked}, failed {s.failed}, mean {fmt_score(s.mean_score)})"
        )
        return head + "".join(self.blocks) + buf.getvalue()


def render(result: CheckResult, **opts) -> str:
    return build(Builder(**opts), result)  # type: ignore[return-value]
