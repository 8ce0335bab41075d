"""Contract scoring (spec/contract.md): earned = points × credit(status), not_applicable left out."""

from __future__ import annotations

from compliance.models import RuleResult, Score

DEFAULT_CREDITS = {"met": 1.0, "partial": 0.5, "planned": 0.25, "self_reported_gap": 0.25, "missing": 0.0}
DEFAULT_GRADES = [(90.0, "优秀"), (80.0, "良好"), (60.0, "合格"), (0.0, "不合格")]


def credits(scoring: dict, plan: bool) -> dict[str, float]:
    c = dict(DEFAULT_CREDITS)
    c.update({k: float(v) for k, v in (scoring.get("credits") or {}).items() if k != "not_applicable"})
    if plan:
        c["planned"] = float(scoring.get("plan_planned_credit", 1.0) if scoring.get("plan_planned_credit") is not None else 1.0)
    return c


def earned(points: float, status: str, cr: dict[str, float]) -> float:
    if status == "not_applicable":
        return 0.0
    return round(points * cr.get(status, 0.0), 4)


def grade(total: float | None, scoring: dict) -> str | None:
    if total is None:
        return None
    grades = sorted(((float(t), g) for t, g in (scoring.get("grades") or DEFAULT_GRADES)), reverse=True)
    for t, g in grades:
        if total >= t:
            return g
    return grades[-1][1] if grades else None


def _pct(num: float, den: float) -> float | None:
    if den <= 0:
        return None
    return round(100.0 * num / den + 1e-9, 1)


def score(results: list[RuleResult], scoring: dict) -> Score:
    tot_e = tot_p = 0.0
    fam: dict[str, list[float]] = {}
    for r in results:
        f = fam.setdefault(r.family, [0.0, 0.0])
        if r.status == "not_applicable":
            continue
        tot_e += r.earned
        tot_p += r.points
        f[0] += r.earned
        f[1] += r.points
    total = _pct(tot_e, tot_p)
    return Score(total=total, by_family={k: _pct(e, p) for k, (e, p) in fam.items()}, grade=grade(total, scoring))
