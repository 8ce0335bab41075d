"""CLI commands of the store (registered by compliance.cli): `history`, `stats`, `db`.

Heavy imports stay inside the command bodies so `compliance --help` starts fast."""

from __future__ import annotations

import sys
from enum import Enum
from pathlib import Path
from typing import Optional

import typer

DB_HELP = "Store: a SQLite file or a postgresql:// URL (default: $COMPLIANCE_DB, else ~/.local/share/compliance/compliance.db)."

StatsBy = Enum("StatsBy", {n.replace("-", "_"): n for n in ("rule", "province", "city", "year", "doc-type")}, type=str)  # type: ignore[misc]
StatsFormat = Enum("StatsFormat", {n: n for n in ("table", "json", "csv", "xlsx")}, type=str)  # type: ignore[misc]
HistoryFormat = Enum("HistoryFormat", {n: n for n in ("table", "json")}, type=str)  # type: ignore[misc]

BY_ZH = {"province": "省份", "city": "城市", "year": "年度", "doc-type": "文档类型"}
COLUMN_ZH = {
    "rule_id": "规则", "title": "名称", "family": "分项", "applicable": "适用报告", "pass_rate": "达标率%",
    "met": "已落实", "partial": "部分落实", "planned": "仅有计划", "self_reported_gap": "自报差距", "missing": "缺失",
    "waived": "已豁免", "reports": "报告数", "mean_score": "平均分", "min_score": "最低分", "max_score": "最高分",
    "findings_per_report": "平均问题数",
}


def _fail(msg: str, code: int = 2) -> None:
    sys.stderr.write(msg.rstrip("\n") + "\n")
    raise typer.Exit(code)


def _engine(db: str | None):
    from compliance.store import StoreError, open_engine

    try:
        return open_engine(db)
    except StoreError as e:
        _fail(str(e))


def _value(v) -> str:
    return "—" if v is None else (f"{v:g}" if isinstance(v, float) else str(v))


def _enum(v) -> str:
    return v.value if isinstance(v, Enum) else str(v)


def _out(data: str | bytes, output: Path | None) -> None:
    if output is None:
        if isinstance(data, bytes):
            sys.stdout.buffer.write(data)
        else:
            sys.stdout.write(data)
        return
    from compliance.safeio import OutputError, write_output

    try:
        write_output(output, data)  # whole or nothing, never through a symlink
    except OutputError as e:
        _fail(str(e))


# --------------------------------------------------------------------------- history


def _status(s: str | None) -> str:
    from compliance.labels import STATUS_ZH

    return STATUS_ZH.get(s or "", s or "—")


def history_table(entries, color: bool = False) -> str:
    import io

    from rich import box
    from rich.console import Console
    from rich.table import Table

    from compliance.labels import DOC_TYPE_ZH

    buf = io.StringIO()
    con = Console(file=buf, force_terminal=color, no_color=not color, width=140, highlight=False, emoji=False)
    con.print(f"{entries[0].issuer or ''}：{len(entries)} 份报告")
    t = Table(box=box.SIMPLE)
    for h in ("年度", "类型", "得分", "等级", "变化", "改进", "退步", "版本", "检查时间", "文件"):
        t.add_column(h, overflow="fold")
    for e in entries:
        ch = e.change
        delta = "—" if not ch or ch["total"]["delta"] is None else f"{ch['total']['delta']:+.1f}"
        t.add_row(_value(e.year), DOC_TYPE_ZH.get(e.doc_type, e.doc_type), _value(e.total), e.grade or "—", delta,
                  str(ch["improved"]) if ch else "—", str(ch["regressed"]) if ch else "—",
                  f"第 {e.version} 版" if e.version > 1 else "1", e.checked_at[:16].replace("T", " "), e.source)
    con.print(t)
    for e in entries:
        if e.copied_from:
            o = e.copied_from
            con.print(f"[bold]{_value(e.year)}[/bold] 疑似雷同：{e.copied_from['share'] * 100:.0f}% 的句子与 "
                      f"{o['issuer'] or '（未识别）'} {_value(o['year'])} 年的报告（{o['source']}）相同")
        for label, c in (("与上一份相比", e.change), (f"第 {e.version} 版与上一版相比（重新提交）", e.resubmitted)):
            if not c or not c["changes"]:
                continue
            con.print(f"[bold]{_value(e.year)} {label}[/bold]：总分 {_value(c['total']['old'])} → {_value(c['total']['new'])}")
            for x in c["changes"]:
                word = {"improved": "改进", "regressed": "退步"}.get(x["direction"], "变化")
                con.print(f"  {word} {x['rule_id']} {x['title']}：{_status(x['old_status'])} → {_status(x['new_status'])}")
    return buf.getvalue()


def history(
    issuer: str = typer.Argument(..., help="发布机构 The issuer, e.g. 盘锦市交通运输局 (a unique part of the name will do)."),
    db: Optional[str] = typer.Option(None, "--db", envvar="COMPLIANCE_DB", help=DB_HELP),
    fmt: HistoryFormat = typer.Option("table", "--format", "-f", help="table | json"),  # type: ignore[valid-type]
    output: Optional[Path] = typer.Option(None, "--output", "-o", help="Write to FILE instead of stdout."),
) -> None:
    """历年报告 A bureau's recorded reports by year: score, grade, what improved and regressed."""
    import json
    from dataclasses import asdict

    from compliance.store.queries import QueryError, history as query

    try:
        entries = query(_engine(db), issuer)
    except QueryError as e:
        _fail(str(e), 1)
    if _enum(fmt) == "json":
        _out(json.dumps([asdict(e) for e in entries], ensure_ascii=False, indent=2) + "\n", output)
    else:
        _out(history_table(entries, color=output is None and sys.stdout.isatty()), output)


# --------------------------------------------------------------------------- stats


def stats_header(st) -> list[str]:
    return [BY_ZH.get(st.by, c) if c == "key" else COLUMN_ZH.get(c, c.replace("score_", "得分")) for c in st.columns]


def stats_display_rows(st) -> list[list]:
    from compliance.labels import DOC_TYPE_ZH
    from compliance.results import family_label

    rows = []
    for r in st.rows:
        r = list(r)
        if st.by == "doc-type":
            r[0] = DOC_TYPE_ZH.get(r[0], r[0])
        if st.by == "rule":
            r[2] = family_label(r[2]) if r[2] else ""
        if r[0] is None:
            r[0] = "（未识别）"
        rows.append(r)
    return rows


def stats_table(st) -> str:
    import io

    from rich import box
    from rich.console import Console
    from rich.table import Table

    buf = io.StringIO()
    con = Console(file=buf, no_color=True, width=160, highlight=False, emoji=False)
    con.print(f"统计：{st.reports} 份报告（每份取最近一次检查）")
    t = Table(box=box.SIMPLE)
    for i, h in enumerate(stats_header(st)):
        t.add_column(h, justify="left" if i < (3 if st.by == "rule" else 1) else "right", overflow="fold")
    for r in stats_display_rows(st):
        t.add_row(*[_value(v) for v in r])
    con.print(t)
    return buf.getvalue()


def stats_csv(st) -> str:
    import csv
    import io

    buf = io.StringIO()
    w = csv.writer(buf)
    w.writerow(stats_header(st))
    w.writerows(stats_display_rows(st))
    return "\ufeff" + buf.getvalue()  # BOM: Excel opens UTF-8 CSV as such


def stats_xlsx(st, sheet: str = "统计") -> bytes:
    import io

    import xlsxwriter

    from compliance.render.xlsx import cell_width

    buf = io.BytesIO()
    wb = xlsxwriter.Workbook(buf, {"in_memory": True})
    ws = wb.add_worksheet(sheet)
    head = wb.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1})
    header = stats_header(st)
    rows = stats_display_rows(st)
    ws.write_row(0, 0, header, head)
    for i, r in enumerate(rows, 1):
        ws.write_row(i, 0, ["" if v is None else v for v in r])
    for j, h in enumerate(header):
        ws.set_column(j, j, min(60, max([cell_width(h)] + [cell_width(r[j]) for r in rows]) + 2))
    ws.freeze_panes(1, 0)
    ws.autofilter(0, 0, max(len(rows), 1), len(header) - 1)
    wb.close()
    return buf.getvalue()


def stats(
    by: StatsBy = typer.Option("rule", "--by", help="rule | province | city | year | doc-type"),  # type: ignore[valid-type]
    db: Optional[str] = typer.Option(None, "--db", envvar="COMPLIANCE_DB", help=DB_HELP),
    fmt: StatsFormat = typer.Option("table", "--format", "-f", help="table | json | csv | xlsx"),  # type: ignore[valid-type]
    output: Optional[Path] = typer.Option(None, "--output", "-o", help="Write to FILE instead of stdout."),
    province: Optional[str] = typer.Option(None, "--province", help="Only this province (e.g. 辽宁省)."),
    city: Optional[str] = typer.Option(None, "--city", help="Only this city (e.g. 盘锦市)."),
    year: Optional[int] = typer.Option(None, "--year", help="Only reports of this year."),
    doc_type: Optional[str] = typer.Option(None, "--doc-type", help="Only this document type (annual_report, …)."),
) -> None:
    """统计 Pass rates and score distributions of the recorded reports, by rule, place, year or type."""
    import json

    from compliance.store.queries import Filters, stats as query

    name = _enum(fmt)
    if name == "xlsx" and output is None and sys.stdout.isatty():
        _fail("--format xlsx writes a binary workbook: give -o FILE.xlsx (or pipe stdout to a file)")
    st = query(_engine(db), _enum(by), Filters(province=province, city=city, year=year, doc_type=doc_type))
    if name == "json":
        data: str | bytes = json.dumps({"by": st.by, "reports": st.reports, "columns": st.columns, "rows": st.rows},
                                       ensure_ascii=False, indent=2) + "\n"
    elif name == "csv":
        data = stats_csv(st)
    elif name == "xlsx":
        data = stats_xlsx(st)
    else:
        data = stats_table(st)
    _out(data, output)


# --------------------------------------------------------------------------- db


def db_upgrade(db: Optional[str] = typer.Option(None, "--db", envvar="COMPLIANCE_DB", help=DB_HELP)) -> None:
    """升级数据库结构 Create the store, or bring its schema up to this version (never drops data)."""
    from sqlalchemy.engine import make_url

    from compliance.store.db import current_revision, resolve_url

    engine = _engine(db)  # opening upgrades
    typer.echo(f"{make_url(resolve_url(db)).render_as_string()}: 结构版本 schema {current_revision(engine)}")


def register(app: typer.Typer) -> None:
    """Add this stage's commands to the main app."""
    app.command("history")(history)
    app.command("stats")(stats)
    dbapp = typer.Typer(help="记录库 The store of recorded checks.", no_args_is_help=True)
    dbapp.command("upgrade")(db_upgrade)
    app.add_typer(dbapp, name="db")
