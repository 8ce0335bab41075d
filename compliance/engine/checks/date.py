"""`date`: the report's date (落款, or the page's 发布日期) against a deadline relative to the
reporting period, e.g. "Y+1-03-01"."""

from __future__ import annotations

import datetime as dt
import re
from typing import TYPE_CHECKING, ClassVar, Literal

from compliance.engine.checks.base import AddError, CheckBase, CheckCue, CheckOutcome, FieldPath, line_units, unit_quote
from compliance.engine.explain import DATE_FIELD_ZH
from compliance.models import NearMiss
from compliance.rules.base import Strict

if TYPE_CHECKING:
    from compliance.engine.checks.context import CheckContext

DEADLINE_RE = re.compile(r"^(Y(?:[+-]\d+)?|\d{4})-(\d{1,2})-(\d{1,2})$")


class ReportDate(Strict):
    """The report's date against a deadline relative to the period's last year Y: "Y+1-03-01".

    `on_or_before: null` means any date present satisfies it. `field`: which date to use —
    `date` (签发/印发/成文/落款), `published` (the page's 发布日期), or `best` (date, else published).
    Deadlines: "Y+1-03-01", "Y-12-31" (Y = the period's last year) or a fixed "2025-03-01". A late
    date fills `{delay_days}` (days after the first date check's deadline) and `{deadline}`;
    an unknown period leaves a relative deadline unmet.
    """

    field: Literal["date", "published", "best"] = "best"
    on_or_before: str | None = None  # "Y+1-03-01" or "$report_deadline"


class DateCheck(CheckBase):
    """`date:` the report's date against a deadline."""

    kind: ClassVar[str] = "date"
    date: ReportDate

    def lint(self, where: FieldPath, add: AddError, cue_ok: CheckCue) -> None:
        d = self.date
        if d.on_or_before is not None and not DEADLINE_RE.match(d.on_or_before):
            add(where + ("date", "on_or_before"), f"deadline must look like Y+1-03-01 or YYYY-MM-DD, got {d.on_or_before!r}")

    def describe(self) -> str:
        d = self.date
        return f"{DATE_FIELD_ZH.get(d.field, d.field)}" + (f"不晚于 {d.on_or_before}" if d.on_or_before else "写明")

    def evaluate(self, ctx: CheckContext) -> CheckOutcome:
        d = self.date
        meta = ctx.ix.report.meta
        out = CheckOutcome(label="", polarity=None, searched=f"查找范围：{DATE_FIELD_ZH.get(d.field, d.field)}"
                           + (f"（报送期限 {d.on_or_before}，Y 为报告年度）" if d.on_or_before else ""))
        date = meta.date if d.field == "date" else meta.published if d.field == "published" else (meta.date or meta.published)
        src = "date" if date is not None and date == meta.date and d.field != "published" else "published"
        if src == "date" and meta.date_source == "published":
            src = "published"  # the text has no date of its own; `date` is the page's 发布日期
        where = ctx.ix.report.meta_lines.get(src, 0)
        vals = ctx.ev.values
        if date is None:
            vals.setdefault("_date_reason", f"未找到{DATE_FIELD_ZH.get(d.field, d.field)}")
            return out
        month_only = src == "date" and meta.date_precision == "month"
        vals.setdefault("date", f"{date.year}年{date.month}月（只写到月，按月末 {date.isoformat()} 计）"
                        if month_only else f"{date.isoformat()}（正文无落款日期，按网页发布日期）"
                        if src == "published" else date.isoformat())
        if d.on_or_before is None:
            out.polarity = "positive"
            out.units = line_units(ctx.ix, where, "positive")
            return out
        dl = deadline(d.on_or_before, meta.period[1] if meta.period else None)
        if dl is None:
            vals.setdefault("_date_reason", "报告年度不明，无法计算报送期限")
            return out
        vals.setdefault("deadline", dl.isoformat())
        delay = (date - dl).days
        if delay <= 0:
            out.polarity = "positive"
            vals.setdefault("delay_days", 0)
            out.units = line_units(ctx.ix, where, "positive")
            return out
        vals.setdefault("delay_days", delay)
        units = line_units(ctx.ix, where, "positive")
        q = unit_quote(ctx.ix, units[0]) if units else None
        what = DATE_FIELD_ZH.get(src, src)
        nm = NearMiss(quote=q[0] if q else date.isoformat(), line=q[1] if q else 0, section=q[2] if q else "",
                      role=q[3] if q else "other",
                      reason=f"{what} {vals['date']} 晚于报送期限 {dl.isoformat()} 共 {delay} 天")
        if all(x.reason != nm.reason for x in ctx.ev.near_misses):
            ctx.ev.near_misses.append(nm)
        return out


def deadline(spec: str, period_end: int | None) -> dt.date | None:
    """The date a deadline spec names for a period ending in `period_end` (None: unknown)."""
    m = DEADLINE_RE.match(spec)
    if not m:
        return None
    y = m.group(1)
    if y.startswith("Y"):
        if period_end is None:
            return None
        year = period_end + (int(y[1:]) if len(y) > 1 else 0)
    else:
        year = int(y)
    try:
        return dt.date(year, int(m.group(2)), int(m.group(3)))
    except ValueError:
        return None
