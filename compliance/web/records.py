"""The web app's side of the store: uploads are recorded as they are checked, a page whose
result has left the in-memory LRU (or a restarted server) is served from the store, and the
store's own pages — a bureau's 历史 with its score trend, the cohort of pass rates per rule by
province or year — each with an Excel download.

Kept apart from app.py: the app calls `Records` where it has a result, and `add_routes` adds
the pages; without a store (`create_app(records=None)`) nothing here runs."""

from __future__ import annotations

from typing import Any
from collections.abc import Callable

from fastapi import Request
from fastapi.responses import HTMLResponse
from loguru import logger
from markupsafe import Markup, escape
from sqlalchemy import Engine, select

from compliance.models import InputError
from compliance.web.service import Batch, Checked


class Records:
    def __init__(self, engine: Engine, keep_text: bool = False) -> None:
        self.engine = engine
        self.keep_text = keep_text

    # ------------------------------------------------------------------ writing

    def save(self, done: list[Checked], errors: list[InputError], ruleset: str, batch_id: str | None = None) -> None:
        """Record one upload (a self-check or a batch); each report in its own transaction."""
        from compliance.store import Recorder

        rec = Recorder(self.engine, origin="web", ruleset=ruleset, keep_text=self.keep_text, batch_id=batch_id)
        completed = False
        try:
            for c in done:
                rec.report(c.result, lines=c.lines, rid=c.id)
            for e in errors:
                rec.error(e)
            completed = True
        finally:
            rec.close(completed)

    # ------------------------------------------------------------------ reading

    def report(self, rid: str) -> Checked | None:
        from compliance.store.records import unpack_document, unpack_text
        from compliance.store.schema import ReportRow

        R = ReportRow.__table__
        with self.engine.connect() as c:
            row = c.execute(select(R.c.id, R.c.source, R.c.document, R.c.text_z, R.c.batch_id).where(R.c.id == rid)).first()
        if row is None:
            return None
        return Checked(id=row.id, name=row.source, result=unpack_document(row.document),
                       lines=unpack_text(row.text_z) or [], batch_id=row.batch_id)

    def batch(self, bid: str) -> tuple[Batch, list[Checked]] | None:
        from compliance.store.schema import Batch as BatchRow, InputErrorRow, ReportRow

        B, R, IE = BatchRow.__table__, ReportRow.__table__, InputErrorRow.__table__
        with self.engine.connect() as c:
            b = c.execute(select(B.c.id, B.c.ruleset).where(B.c.id == bid)).first()
            if b is None:
                return None
            ids = [r.id for r in c.execute(select(R.c.id).where(R.c.batch_id == bid).order_by(R.c.seq))]
            errors = [InputError(source=e.source, error=e.error)
                      for e in c.execute(select(IE.c.source, IE.c.error).where(IE.c.batch_id == bid).order_by(IE.c.id))]
        items = [self.report(i) for i in ids]
        return Batch(id=b.id, report_ids=ids, errors=errors, ruleset=b.ruleset), [i for i in items if i is not None]

    def flags(self, ids: list[str]) -> dict[str, dict]:
        """Per report id: its version (a resubmission) and the report it copies, for the batch table."""
        from compliance.store.queries import copied_sources
        from compliance.store.schema import ReportRow

        R = ReportRow.__table__
        if not ids:
            return {}
        with self.engine.connect() as c:
            got = c.execute(select(R.c.id, R.c.version, R.c.same_text, R.c.previous_id, R.c.dup_of_id, R.c.dup_share)
                            .where(R.c.id.in_(ids))).all()
            src = copied_sources(c, [(g.dup_of_id, g.dup_share) for g in got])
        out = {}
        for g in got:
            out[g.id] = {"version": g.version, "same_text": g.same_text, "previous_id": g.previous_id,
                         "dup": ({**src[g.dup_of_id], "share": g.dup_share} if g.dup_of_id in src else None)}
        return out


# --------------------------------------------------------------------------- chart


def trend_svg(points: list[tuple[str, float | None]], width: int = 640, height: int = 220) -> Markup:
    """A small inline SVG line chart of scores (0–100) over years: no script, no CDN."""
    pts = [(label, v) for label, v in points]
    left, right, top, bottom = 40, 16, 14, 30
    w, h = width - left - right, height - top - bottom
    n = len(pts)
    def x(i: int) -> float:
        return left + (w / 2 if n == 1 else i * w / (n - 1))

    def y(v: float) -> float:
        return top + h * (1 - v / 100)

    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" class="trend" viewBox="0 0 {width} {height}" width="{width}" '
             f'height="{height}" role="img" aria-label="得分趋势">']
    for mark in (0, 60, 80, 100):
        parts.append(f'<line x1="{left}" x2="{width - right}" y1="{y(mark):.1f}" y2="{y(mark):.1f}" stroke="#ddd"/>'
                     f'<text x="{left - 6}" y="{y(mark) + 4:.1f}" font-size="11" text-anchor="end" fill="#777">{mark}</text>')
    scored = [(i, v) for i, (_, v) in enumerate(pts) if v is not None]
    if len(scored) > 1:
        line = " ".join(f"{x(i):.1f},{y(v):.1f}" for i, v in scored)
        parts.append(f'<polyline points="{line}" fill="none" stroke="#2b6cb0" stroke-width="2"/>')
    for i, (label, v) in enumerate(pts):
        parts.append(f'<text x="{x(i):.1f}" y="{height - 10}" font-size="12" text-anchor="middle" fill="#333">{escape(label)}</text>')
        if v is not None:
            parts.append(f'<circle cx="{x(i):.1f}" cy="{y(v):.1f}" r="4" fill="#2b6cb0"><title>{escape(label)}：{v:g}</title></circle>'
                         f'<text x="{x(i):.1f}" y="{y(v) - 8:.1f}" font-size="11" text-anchor="middle" fill="#2b6cb0">{v:g}</text>')
    parts.append("</svg>")
    return Markup("".join(parts))


# --------------------------------------------------------------------------- exports


def history_xlsx(entries) -> bytes:
    from compliance.labels import DOC_TYPE_ZH
    from compliance.store.commands import stats_xlsx
    from compliance.store.queries import Stats

    st = Stats("history", ["年度", "类型", "得分", "等级", "较上一份", "改进", "退步", "版本", "疑似雷同", "检查时间", "文件"])
    for e in entries:
        ch = e.change
        dup = e.copied_from
        st.rows.append([e.year, DOC_TYPE_ZH.get(e.doc_type, e.doc_type), e.total, e.grade,
                        ch["total"]["delta"] if ch else None, ch["improved"] if ch else None, ch["regressed"] if ch else None,
                        e.version, f"{dup['share'] * 100:.0f}% 同 {dup['issuer'] or ''} {dup['year'] or ''}" if dup else "",
                        e.checked_at.replace("T", " "), e.source])
    return stats_xlsx(st, "历史")


def cohort_xlsx(co) -> bytes:
    from compliance.store.commands import stats_xlsx
    from compliance.store.queries import Stats

    groups = [g if g is not None else "（未识别）" for g in co.groups]
    st = Stats("cohort", ["规则", "名称", *[f"{g} 达标率%" for g in groups]])
    for r in co.rows:
        st.rows.append([r["rule_id"], r["title"], *[(r["cells"].get(g) or (None, 0))[0] for g in co.groups]])
    return stats_xlsx(st, "达标率")


# --------------------------------------------------------------------------- pages


def add_routes(app, records: Records, page: Callable[..., Any], error_page: Callable[..., Any], attachment: Callable[..., Any]) -> None:
    from compliance.store.queries import QueryError, cohort, history

    @app.get("/history", response_class=HTMLResponse, include_in_schema=False)
    def history_page(request: Request, issuer: str = ""):
        issuer = issuer.strip()[:200]
        if not issuer:
            return page(request, "history.html", issuer="", entries=[], chart=None, error=None)
        try:
            entries = history(records.engine, issuer)
        except QueryError as exc:
            return page(request, "history.html", 404, issuer=issuer, entries=[], chart=None, error=str(exc))
        chart = trend_svg([(str(e.year or "?"), e.total) for e in entries])
        return page(request, "history.html", issuer=entries[0].issuer or issuer, entries=entries, chart=chart, error=None)

    @app.get("/history/download.xlsx", include_in_schema=False)
    def history_download(request: Request, issuer: str = ""):
        try:
            entries = history(records.engine, issuer.strip()[:200])
        except QueryError as exc:
            return error_page(request, str(exc), 404)
        return attachment(history_xlsx(entries), "xlsx", f"历史-{entries[0].issuer or 'report'}")

    @app.get("/cohort", response_class=HTMLResponse, include_in_schema=False)
    def cohort_page(request: Request, by: str = "province"):
        try:
            co = cohort(records.engine, by)
        except QueryError as exc:
            return error_page(request, str(exc), 400)
        return page(request, "cohort.html", co=co)

    @app.get("/cohort/download.xlsx", include_in_schema=False)
    def cohort_download(request: Request, by: str = "province"):
        try:
            co = cohort(records.engine, by)
        except QueryError as exc:
            return error_page(request, str(exc), 400)
        return attachment(cohort_xlsx(co), "xlsx", f"达标率-{'省份' if by == 'province' else '年度'}")

    logger.debug("web: store pages on (/history, /cohort)")


__all__ = ["Records", "add_routes", "trend_svg"]
