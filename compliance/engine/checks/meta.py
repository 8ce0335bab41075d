"""`meta`: a metadata field normalization found (title, issuer, period, date…), optionally one of
given values."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any, ClassVar, Literal

from compliance.engine.checks.base import CheckBase, CheckOutcome, line_units
from compliance.engine.explain import META_ZH
from compliance.rules.base import Strict

if TYPE_CHECKING:
    from compliance.engine.checks.context import CheckContext


class MetaField(Strict):
    """A metadata field is present (and optionally one of `values`)."""

    field: Literal["title", "issuer", "province", "city", "county", "level", "doc_type", "period", "date", "doc_number"]
    values: list[Any] | None = None


class MetaCheck(CheckBase):
    """`meta:` a metadata field is present (or has given values)."""

    kind: ClassVar[str] = "meta"
    meta: MetaField

    def describe(self) -> str:
        return f"写明{META_ZH.get(self.meta.field, self.meta.field)}"

    def evaluate(self, ctx: CheckContext) -> CheckOutcome:
        mc = self.meta
        meta = ctx.ix.report.meta
        v = getattr(meta, mc.field)
        out = CheckOutcome(label="", polarity=None, searched=f"查找范围：{META_ZH.get(mc.field, mc.field)}（标题、开头或落款）")
        if v is None or v == "" or (mc.field == "doc_type" and v == "other"):
            return out
        shown = _shown(mc.field, v)
        ctx.ev.values.setdefault("found", shown)
        if mc.values is not None:
            norm = [tuple(x) if isinstance(x, list) else x for x in mc.values]
            if v not in norm and str(v) not in [str(x) for x in mc.values]:
                return out
        out.polarity = "positive"
        out.units = line_units(ctx.ix, ctx.ix.report.meta_lines.get(mc.field, 0), "positive")
        return out


def _shown(field: str, v: Any) -> str:
    """A metadata value as a drafter would write it: a period as 2023年 or 2020—2022年."""
    if field == "period":
        a, b = v
        return f"{a}年" if a == b else f"{a}—{b}年"
    return v.isoformat() if isinstance(v, dt.date) else str(v)
