"""`quantity`: a figure the report states (a metric found by normalization) near a cue, compared
with a threshold, or the ratio of two such figures."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, ClassVar, Literal

from pydantic import Field

from compliance.engine.checks.base import RANK_POL, POL_RANK, AddError, CheckBase, CheckCue, CheckOutcome, FieldPath, Unit, pct, scope_key, where_zh, with_unit
from compliance.engine.explain import FAIL_ZH, OP_ZH, SCOPE_ZH, cue_list
from compliance.labels import fmt_num
from compliance.models import Metric, Role
from compliance.rules.base import PARAM_RE, Number, Pattern, Scope, Strict

if TYPE_CHECKING:
    from compliance.engine.checks.context import CheckContext
    from compliance.engine.index import Sent


class MetricRef(Strict):
    cue: list[Pattern]  # the metric's subject or sentence must contain one of these
    unit: list[str] = Field(default_factory=list)  # empty = any unit
    per_capita: bool | None = None


class Quantity(Strict):
    """A metric near a cue compared with a threshold, or the ratio of two metrics.

    With no `op`, any such metric satisfies the check (the figure is still reported).
    A metric that is found but fails the comparison is recorded as a near miss with its value.

    A metric matches a cue when its `subject` holds the cue; only when no metric's subject does,
    metrics whose sentence holds the cue are used. `ratio` pairs a numerator and denominator
    metric in the same `scope`; its threshold is a fraction when <= 1 (0.05) and a percentage
    when > 1 (5), and `{ratio}`/`{threshold}` are shown as percentages. `{value}` is the passing
    figure, else the first failing one.
    """

    cue: list[Pattern] = Field(default_factory=list)
    unit: list[str] = Field(default_factory=list)
    per_capita: bool | None = None
    op: Literal[">=", ">", "<=", "<", "=="] | None = None
    threshold: Number | None = None
    ratio: tuple[MetricRef, MetricRef] | None = None  # (numerator, denominator), compared as a fraction
    scope: Scope = "sentence"
    roles: list[Role] | None = None


class QuantityCheck(CheckBase):
    """`quantity:` a figure (or a ratio of two) compared with a threshold."""

    kind: ClassVar[str] = "quantity"
    quantity: Quantity

    def lint(self, where: FieldPath, add: AddError, cue_ok: CheckCue) -> None:
        q = self.quantity
        w = where + ("quantity",)
        if q.roles is not None and not q.roles:
            add(w + ("roles",), "empty roles list: no metric can count, so the check can never match")
        if not q.cue and q.ratio is None:
            add(w, "empty cue set: a quantity needs cue or ratio")
        if (q.op is None) != (q.threshold is None):
            add(w, "op and threshold go together")
        for i, cue in enumerate(q.cue):
            cue_ok(cue, w + ("cue", i))
        if q.ratio is not None:
            for j, ref in enumerate(q.ratio):
                if not ref.cue:
                    add(w + ("ratio", j, "cue"), "empty cue set")
                for i, cue in enumerate(ref.cue):
                    cue_ok(cue, w + ("ratio", j, "cue", i))
        if q.threshold is not None and not isinstance(q.threshold, (int, float)) and not PARAM_RE.match(str(q.threshold)):
            add(w + ("threshold",), f"threshold must be a number or a $parameter, got {q.threshold!r}")

    def evaluate(self, ctx: CheckContext) -> CheckOutcome:
        q = self.quantity
        t = float(q.threshold) if isinstance(q.threshold, (int, float)) else None
        if t is not None:
            ctx.ev.values.setdefault("threshold", pct(t) if q.ratio is not None else fmt_num(t))
        units = _values(ctx, q, t) if q.ratio is None else _ratios(ctx, q, t)
        out = CheckOutcome(label="", polarity=None, units=units, searched=_searched(q, t))
        if units:
            out.polarity = RANK_POL[max(POL_RANK[u.polarity] for u in units)]
        return out

    def describe(self) -> str:
        q = self.quantity
        if q.ratio is not None:
            what = f"{cue_list(q.ratio[0].cue, 2)} ÷ {cue_list(q.ratio[1].cue, 2)}的比例"
        else:
            what = f"{cue_list(q.cue, 3)}的数值"
        t = q.threshold
        if q.op and isinstance(t, (int, float)):
            what += f"{OP_ZH[q.op]} {pct(float(t)) if q.ratio is not None else with_unit(float(t), (q.unit or [''])[0])}"
        return what

    def phrases(self) -> list[str]:
        return list(self.quantity.cue)


def _searched(q: Quantity, t: float | None) -> str:
    cmp = f"；{OP_ZH[q.op]} {pct(t) if q.ratio is not None else with_unit(t, (q.unit or [''])[0])}" if q.op and t is not None else ""
    if q.ratio is None:
        unit = "、".join(q.unit) if q.unit else "任意单位"
        who = "人均" if q.per_capita else ""
        return f"查找范围：{where_zh(q.roles)}（{who}数值，单位：{unit}；线索：{cue_list(q.cue, 6)}{cmp}）"
    num, den = q.ratio
    return f"查找范围：{where_zh(q.roles)}（比例：{cue_list(num.cue, 3)} ÷ {cue_list(den.cue, 3)}，须在{SCOPE_ZH.get(q.scope, q.scope)}{cmp}）"


def _compare(v: float, op: str, t: float) -> bool:
    return {">=": v >= t, ">": v > t, "<=": v <= t, "<": v < t, "==": abs(v - t) < 1e-9}[op]


def find_metrics(ctx: CheckContext, cues: list[str], unit: list[str], per_capita: bool | None,
                 roles: Sequence[str] | None) -> list[tuple[Metric, Sent, int, str]]:
    """Metrics for the cues: subject holds a cue (strong) else its sentence does (weak)."""
    ix = ctx.ix
    strong, weak = [], []
    for m in ix.report.metrics:
        if unit and m.unit not in unit:
            continue
        if per_capita is not None and m.per_capita != per_capita:
            continue
        s = ix.metric_sent(m)
        if s is None or not ctx.role_ok(s, roles):
            continue
        hit = None
        for raw in cues:
            cue = ctx.rs.cue(raw)
            if cue.search(m.subject):
                pos = next(iter(cue.finditer(s.norm)), (0, 0))[0]
                strong.append((m, s, pos, raw))
                hit = True
                break
        if hit:
            continue
        for raw in cues:
            loc = next(iter(ctx.rs.cue(raw).finditer(s.norm)), None)
            if loc is not None:
                weak.append((m, s, loc[0], raw))
                break
    return strong or weak


def _values(ctx: CheckContext, q: Quantity, t: float | None) -> list[Unit]:
    vals = ctx.ev.values
    units: list[Unit] = []
    for m, s, pos, _raw in find_metrics(ctx, q.cue, q.unit, q.per_capita, q.roles):
        if q.op and t is not None and not _compare(m.value, q.op, t):
            vals.setdefault("value", fmt_num(m.value) + m.unit)
            ctx.near_miss(s, pos, f"数值 {with_unit(m.value, m.unit)}{FAIL_ZH[q.op]}阈值 {with_unit(t, m.unit)}")
            continue
        pol = ctx.polarity(s, pos, pos + 1, q.roles)
        if not vals.get("value_ok"):
            vals["value"] = fmt_num(m.value) + m.unit
            vals["value_ok"] = True
        units.append(Unit(s.gi, pos, pol, m.text))
    return units


def _ratios(ctx: CheckContext, q: Quantity, t: float | None) -> list[Unit]:
    assert q.ratio is not None
    vals = ctx.ev.values
    units: list[Unit] = []
    num_ref, den_ref = q.ratio
    nums = find_metrics(ctx, num_ref.cue, num_ref.unit, num_ref.per_capita, q.roles)
    dens = find_metrics(ctx, den_ref.cue, den_ref.unit, den_ref.per_capita, q.roles)
    done = set()
    for m1, s1, pos1, _ in nums:
        for m2, s2, pos2, _ in dens:
            if m1 is m2 or m2.value == 0 or (id(m1), id(m2)) in done:
                continue
            if scope_key(s1, pos1, q.scope) != scope_key(s2, pos2, q.scope):
                continue
            done.add((id(m1), id(m2)))
            r = m1.value / m2.value
            rtxt = f"{r * 100:.1f}%"
            if q.op and t is not None:
                tt = t / 100 if t > 1 else t
                if not _compare(r, q.op, tt):
                    vals.setdefault("ratio", rtxt)
                    ctx.near_miss(s1, pos1, f"比例 {rtxt}（{with_unit(m1.value, m1.unit)} ÷ {with_unit(m2.value, m2.unit)}）"
                                            f"{FAIL_ZH[q.op]}阈值 {pct(t)}")
                    continue
            if "ratio_ok" not in vals:
                vals["ratio"] = rtxt
                vals["ratio_ok"] = True
            pol = ctx.polarity(s1, pos1, pos1 + 1, q.roles)
            units.append(Unit(s1.gi, pos1, pol, m1.text))
    return units
