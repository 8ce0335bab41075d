"""Questions an inspector asks of the records: a bureau's reports over the years, pass rates and
score distributions by rule, place, year or document type. Only each report's latest check
counts (a resubmission replaces the version before it; older versions stay for the history)."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import Engine, and_, case, func, select

from compliance.store.records import issuer_key, unpack_document
from compliance.store.schema import ReportRow, RuleResultRow, RuleTally

R = ReportRow.__table__
RR = RuleResultRow.__table__
T = RuleTally.__table__

BY = ("rule", "province", "city", "year", "doc-type")
GRADE_BANDS = ((90, "≥90"), (80, "80–89"), (70, "70–79"), (60, "60–69"), (0, "<60"))


class QueryError(Exception):
    """A question the records cannot answer as asked (unknown bureau, ambiguous name)."""


# --------------------------------------------------------------------------- history


@dataclass
class Entry:
    id: str
    issuer: str | None
    year: int | None
    period: tuple[int, int] | None
    doc_type: str
    source: str
    total: float | None
    grade: str | None
    version: int
    versions: int  # checks of this issuer+period with different text
    checked_at: str
    province: str | None = None
    city: str | None = None
    compared_to: str | None = None  # id of the earlier report this one is compared with
    change: dict | None = None  # compare_results(earlier, this), trimmed
    resubmitted: dict | None = None  # compare_results(previous version, this), for version > 1
    copied_from: dict | None = None  # {id, issuer, year, source, share}: most of its sentences stand there


def find_issuer(engine: Engine, issuer: str) -> str:
    """The issuer key for a name as typed: exact (punctuation and spaces aside), else the one
    issuer whose name contains it; several → QueryError listing them."""
    key = issuer_key(issuer)
    if key is None:
        raise QueryError("请给出发布机构名称 (give an issuer name)")
    with engine.connect() as c:
        if c.execute(select(R.c.id).where(R.c.issuer_key == key).limit(1)).first():
            return key
        like = key.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        found = c.execute(select(R.c.issuer_key, func.min(R.c.issuer)).where(R.c.issuer_key.like(f"%{like}%", escape="\\"))
                          .group_by(R.c.issuer_key).order_by(R.c.issuer_key).limit(21)).all()
    if not found:
        raise QueryError(f"记录中没有这个发布机构：{issuer} (no recorded report of this issuer)")
    if len(found) > 1:
        names = "、".join(n or k for k, n in found[:20]) + ("……" if len(found) > 20 else "")
        raise QueryError(f"“{issuer}”对应多个发布机构，请写全称：{names}")
    return found[0][0]


def _trim(c: dict) -> dict:
    """A comparison as history shows it: totals, family deltas, the rules that moved."""
    return {
        "total": c["total"],
        "improved": c["improved"],
        "regressed": c["regressed"],
        "unchanged": c["unchanged"],
        "by_family": c["by_family"],
        "changes": [{k: x[k] for k in ("rule_id", "title", "family", "old_status", "new_status", "direction", "earned_delta",
                                        "old_evidence", "new_evidence")} for x in c["changes"]],
    }


def kind(doc_type: str) -> str:
    """What a report is compared with across years: an annual report, a work summary and a
    self-inspection all account for a year's work; a plan only with a plan."""
    return "report" if doc_type in ("annual_report", "work_summary", "self_inspection") else doc_type


def history(engine: Engine, issuer: str) -> list[Entry]:
    """A bureau's reports, oldest first: each period's latest check, compared with the one
    before it of the same kind (see `kind`): what improved, what regressed."""
    from compliance.batch.compare import compare_results

    key = find_issuer(engine, issuer)
    cols = (R.c.id, R.c.issuer, R.c.year, R.c.period_start, R.c.period_end, R.c.doc_type, R.c.source, R.c.score_total,
            R.c.grade, R.c.version, R.c.previous_id, R.c.checked_at, R.c.province, R.c.city, R.c.document,
            R.c.dup_of_id, R.c.dup_share)
    with engine.connect() as c:
        got = c.execute(select(*cols).where(R.c.issuer_key == key, R.c.superseded.is_(False))
                        .order_by(R.c.year, R.c.period_start, R.c.checked_at)).all()
        prev_ids = [g.previous_id for g in got if g.previous_id]
        prev_docs = dict(c.execute(select(R.c.id, R.c.document).where(R.c.id.in_(prev_ids))).all()) if prev_ids else {}
        copies = copied_sources(c, [(g.dup_of_id, g.dup_share) for g in got])
    out: list[Entry] = []
    last_of_type: dict[str, tuple[Entry, object]] = {}
    for g in got:
        doc = unpack_document(g.document)
        e = Entry(id=g.id, issuer=g.issuer, year=g.year,
                  period=(g.period_start, g.period_end) if g.period_end is not None else None,
                  doc_type=g.doc_type, source=g.source, total=g.score_total, grade=g.grade, version=g.version,
                  versions=g.version, checked_at=g.checked_at.isoformat(timespec="seconds"), province=g.province, city=g.city)
        e.copied_from = copies.get(g.dup_of_id) and {**copies[g.dup_of_id], "share": g.dup_share}
        before = last_of_type.get(kind(g.doc_type))
        if before is not None:
            e.compared_to = before[0].id
            e.change = _trim(compare_results(before[1], doc))  # type: ignore[arg-type]
        if g.previous_id in prev_docs:
            e.resubmitted = _trim(compare_results(unpack_document(prev_docs[g.previous_id]), doc))
        last_of_type[kind(g.doc_type)] = (e, doc)
        out.append(e)
    return out


def copied_sources(c, pairs) -> dict[str, dict]:
    """The reports named as copy sources: id → {id, issuer, year, source}."""
    ids = [i for i, _ in pairs if i]
    if not ids:
        return {}
    got = c.execute(select(R.c.id, R.c.issuer, R.c.year, R.c.source).where(R.c.id.in_(ids))).all()
    return {g.id: dict(g._mapping) for g in got}


def versions(engine: Engine, report_id: str) -> list[dict]:
    """Every check of the same issuer, period and document type as this report, oldest first."""
    with engine.connect() as c:
        me = c.execute(select(R.c.issuer_key, R.c.period_start, R.c.period_end, R.c.doc_type).where(R.c.id == report_id)).first()
        if me is None or me.issuer_key is None or me.period_end is None:
            return []
        got = c.execute(select(R.c.id, R.c.version, R.c.same_text, R.c.score_total, R.c.grade, R.c.checked_at, R.c.source)
                        .where(R.c.issuer_key == me.issuer_key, R.c.period_start == me.period_start,
                               R.c.period_end == me.period_end, R.c.doc_type == me.doc_type)
                        .order_by(R.c.checked_at)).all()
    return [dict(g._mapping) for g in got]


# --------------------------------------------------------------------------- stats


@dataclass
class Filters:
    province: str | None = None
    city: str | None = None
    year: int | None = None
    doc_type: str | None = None
    issuer: str | None = None

    def where(self) -> list:
        w: list = [R.c.superseded.is_(False), *self.place(R)]
        if self.issuer:
            w.append(R.c.issuer_key == issuer_key(self.issuer))
        return w

    def place(self, table) -> list:
        """The province, city, year and type asked for, on a table with those columns (the tally
        has no city: a city is asked of the rule rows)."""
        w: list = []
        for name in ("province", "city", "year", "doc_type"):
            value = getattr(self, name)
            if (value is not None if name == "year" else value) and name in table.c:
                w.append(table.c[name] == value)
        return w


@dataclass
class Stats:
    by: str
    columns: list[str]
    rows: list[list] = field(default_factory=list)
    reports: int = 0  # reports counted (latest check of each)


def _rate(num, den) -> float | None:
    return round(100.0 * num / den, 1) if den else None


def stats(engine: Engine, by: str, filters: Filters | None = None) -> Stats:
    if by not in BY:
        raise QueryError(f"未知的统计维度：{by}（可选：{' | '.join(BY)}）")
    f = filters or Filters()
    with engine.connect() as c:
        n = c.execute(select(func.count()).select_from(R).where(*f.where())).scalar_one()
        if by == "rule":
            return _by_rule(c, f, n)
        col = {"province": R.c.province, "city": R.c.city, "year": R.c.year, "doc-type": R.c.doc_type}[by]
        bands = [func.sum(case((and_(R.c.score_total >= lo, R.c.score_total < hi), 1), else_=0))
                 for (lo, _), hi in zip(GRADE_BANDS, (1000, 90, 80, 70, 60))]
        q = (select(col, func.count(), func.avg(R.c.score_total), func.min(R.c.score_total), func.max(R.c.score_total),
                    func.sum(R.c.n_met), func.sum(R.c.n_applicable), func.sum(R.c.n_findings), *bands)
             .where(*f.where()).group_by(col).order_by(col))
        out = Stats(by, ["key", "reports", "mean_score", "min_score", "max_score", "pass_rate", "findings_per_report",
                         *[f"score_{label}" for _, label in GRADE_BANDS]], reports=n)
        for key, cnt, mean, lo, hi, met, appl, finds, *bs in c.execute(q):
            out.rows.append([key, cnt, None if mean is None else round(float(mean), 1), lo, hi, _rate(met or 0, appl or 0),
                             round((finds or 0) / cnt, 1) if cnt else None, *[int(b or 0) for b in bs]])
        return out


STATUS_COLS = ("met", "partial", "planned", "self_reported_gap", "missing")


def _tally_where(f: Filters) -> list:
    return [T.c.status != "not_applicable", T.c.n > 0, *f.place(T)]


def _by_rule(c, f: Filters, n: int) -> Stats:
    """From the tally (see schema.RuleTally); a bureau filter needs the rule rows themselves."""
    if f.issuer or f.city:
        return _by_rule_rows(c, f, n)
    got = c.execute(select(T.c.rule_id, T.c.status, T.c.waived, func.sum(T.c.n)).where(*_tally_where(f))
                    .group_by(T.c.rule_id, T.c.status, T.c.waived)).all()
    per: dict[str, dict] = {}
    for rid, status, waived, cnt in got:
        d = per.setdefault(rid, {"n": 0, "waived": 0, **{s: 0 for s in STATUS_COLS}})
        d["n"] += int(cnt or 0)
        if status in d:
            d[status] += int(cnt or 0)
        if waived:
            d["waived"] += int(cnt or 0)
    titles = _rule_titles(c, {rid: None for rid in per})
    out = Stats("rule", ["rule_id", "title", "family", "applicable", "pass_rate", *STATUS_COLS, "waived"], reports=n)
    for rid in sorted(per):
        d = per[rid]
        title, family = titles.get(rid, ("", ""))
        out.rows.append([rid, title, family, d["n"], _rate(d["met"], d["n"]), *[d[s] for s in STATUS_COLS], d["waived"]])
    out.rows.sort(key=lambda r: (r[4] if r[4] is not None else 101, r[0]))  # weakest rules first
    return out


def _by_rule_rows(c, f: Filters, n: int) -> Stats:
    counts = [func.sum(case((RR.c.status == s, 1), else_=0)) for s in STATUS_COLS]
    q = (select(RR.c.rule_id, func.count(), func.sum(case((RR.c.waived.is_(True), 1), else_=0)), *counts, func.min(RR.c.report_id))
         .select_from(RR.join(R, R.c.id == RR.c.report_id))
         .where(RR.c.status != "not_applicable", *f.where())
         .group_by(RR.c.rule_id).order_by(RR.c.rule_id))
    got = c.execute(q).all()
    titles = _rule_titles(c, {g[0]: g[-1] for g in got})
    out = Stats("rule", ["rule_id", "title", "family", "applicable", "pass_rate", *STATUS_COLS, "waived"], reports=n)
    for rid, appl, waived, *rest in got:
        st = [int(x or 0) for x in rest[:-1]]
        title, family = titles.get(rid, ("", ""))
        out.rows.append([rid, title, family, appl, _rate(st[0], appl), *st, int(waived or 0)])
    out.rows.sort(key=lambda r: (r[4] if r[4] is not None else 101, r[0]))  # weakest rules first
    return out


def _rule_titles(c, sample: dict[str, str | None]) -> dict[str, tuple[str, str]]:
    """Rule titles as the reports were checked with them, from as few stored documents as
    possible (one that holds the rule; most rules share one)."""
    out: dict[str, tuple[str, str]] = {}
    for rid, report_id in sample.items():
        if rid in out:
            continue
        if report_id is None:
            report_id = c.execute(select(RR.c.report_id).where(RR.c.rule_id == rid).limit(1)).scalar()
            if report_id is None:
                continue
        doc = c.execute(select(R.c.document).where(R.c.id == report_id)).scalar_one()
        for r in unpack_document(doc).results:
            out.setdefault(r.rule_id, (r.title, r.family))
    return out



# --------------------------------------------------------------------------- cohort


@dataclass
class Cohort:
    by: str  # province | year
    groups: list
    rows: list[dict] = field(default_factory=list)  # {rule_id, title, family, cells: {group: (rate, n)}}


def cohort(engine: Engine, by: str = "province", filters: Filters | None = None) -> Cohort:
    """Pass rate of every rule per province or per year (latest check of each report)."""
    if by not in ("province", "year"):
        raise QueryError(f"未知的分组：{by}（可选：province | year）")
    f = filters or Filters()
    col = T.c.province if by == "province" else T.c.year
    met = func.sum(case((T.c.status == "met", T.c.n), else_=0))
    q = select(T.c.rule_id, col, func.sum(T.c.n), met).where(*_tally_where(f)).group_by(T.c.rule_id, col)
    with engine.connect() as c:
        got = [(rid, None if key in ("", 0) else key, n, m) for rid, key, n, m in c.execute(q)]
        titles = _rule_titles(c, {g[0]: None for g in got})
    groups = sorted({g[1] for g in got if g[1] is not None}) + ([None] if any(g[1] is None for g in got) else [])
    by_rule: dict[str, dict] = {}
    for rid, key, n, m in got:
        title, family = titles.get(rid, ("", ""))
        row = by_rule.setdefault(rid, {"rule_id": rid, "title": title, "family": family, "cells": {}})
        row["cells"][key] = (_rate(m or 0, n), n)
    return Cohort(by, groups, [by_rule[k] for k in sorted(by_rule)])
