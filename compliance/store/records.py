"""Writing checks into the store: one transaction per report, so a batch that fails or is
interrupted leaves every report either fully recorded or absent, never half-written.

The rows of a report (`Rows`) are built where the report was checked — in a batch worker, next
to the JSON it sends back — so the main process only inserts them."""

from __future__ import annotations

import datetime as dt
import re
import secrets
import unicodedata
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from sqlalchemy import Connection, Engine, insert, select, text, update

from compliance.models import InputError, ReportResult
from compliance.store.schema import Batch, InputErrorRow, ReportRow, RuleResultRow, RuleTally, SketchRow

FINDING = ("partial", "planned", "self_reported_gap", "missing")

_B = Batch.__table__
_R = ReportRow.__table__
_RR = RuleResultRow.__table__
_IE = InputErrorRow.__table__
_SK = SketchRow.__table__
_T = RuleTally.__table__
_T_KEY = ("rule_id", "province", "year", "doc_type", "status", "waived")
COPY_SHARE = 0.5  # a report sharing at least this share of its sentences with another is flagged
_RULE_COLS = ("rule_id", "family", "severity", "status", "points", "earned", "waived", "waiver_reason", "fingerprint")


def new_id() -> str:
    return secrets.token_urlsafe(12)


def now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


# --------------------------------------------------------------------------- packing

def _zc():
    import zstandard

    return zstandard.ZstdCompressor(level=3)


def pack(data: bytes) -> bytes:
    """zstd: about three times faster than zlib on this text, at a similar size."""
    return _zc().compress(data)


def unpack(data: bytes) -> bytes:
    import zstandard

    return zstandard.ZstdDecompressor().decompress(data)


def pack_document(result: ReportResult | bytes | str) -> bytes:
    """The report as `check --format json` gives it (JSON text already made is used as is)."""
    if isinstance(result, ReportResult):
        data = result.model_dump_json().encode("utf-8")
    else:
        data = result.encode("utf-8") if isinstance(result, str) else result
    return pack(data)


def unpack_document(data: bytes) -> ReportResult:
    return ReportResult.model_validate_json(unpack(data))


def pack_text(lines: list[str] | str) -> bytes:
    return pack(("\n".join(lines) if isinstance(lines, list) else lines).encode("utf-8"))


def unpack_text(data: bytes | None) -> list[str] | None:
    return None if data is None else unpack(data).decode("utf-8").split("\n")


# --------------------------------------------------------------------------- rows

_NOT_KEY = re.compile(r"[\W_]+")


def issuer_key(issuer: str | None) -> str | None:
    """The issuer as a matching key: NFKC, no spaces or punctuation (盘锦市 交通运输局 = 盘锦市交通运输局)."""
    if not issuer:
        return None
    key = _NOT_KEY.sub("", unicodedata.normalize("NFKC", issuer))
    return key[:200] or None


@dataclass
class Rows:
    """One report's rows, without the ids and times the store gives them when it writes."""

    report: dict
    rules: list[tuple]
    extra: dict = field(default_factory=dict)  # from the text: text_z, sentences, sketch


def rows_of(result: ReportResult, json_text: bytes | str | None = None) -> Rows:
    """The rows of a checked report; `json_text` is its JSON when already made (a worker's)."""
    from compliance import __version__

    m = result.meta
    statuses = [r.status for r in result.results]
    year = m.period[1] if m.period else (m.date.year if m.date else (m.published.year if m.published else None))
    report = {
        "sha256": result.sha256,
        "source": result.source,
        "title": m.title,
        "issuer": m.issuer,
        "issuer_key": issuer_key(m.issuer),
        "province": m.province,
        "city": m.city,
        "county": m.county,
        "level": m.level,
        "doc_type": m.doc_type,
        "period_start": m.period[0] if m.period else None,
        "period_end": m.period[1] if m.period else None,
        "year": year,
        "date": m.date or m.published,
        "doc_number": m.doc_number,
        "ruleset_name": result.ruleset.name,
        "ruleset_version": result.ruleset.version,
        "ruleset_chain": list(result.ruleset.chain),
        "score_total": result.score.total,
        "grade": result.score.grade,
        "by_family": dict(result.score.by_family),
        "n_applicable": sum(s != "not_applicable" for s in statuses),
        "n_met": sum(s == "met" for s in statuses),
        "n_findings": sum(r.status in FINDING and r.waived is None for r in result.results),
        "tool_version": __version__,
        "document": pack_document(json_text if json_text is not None else result),
    }
    rules = [(r.rule_id, r.family, r.severity, r.status, r.points, r.earned, r.waived is not None,
              r.waived.reason if r.waived is not None else None, r.fingerprint) for r in result.results]
    return Rows(report, rules)


@dataclass(frozen=True)
class Recorded:
    """What recording a report found out: its id and, for a resubmission, the earlier version."""

    id: str
    version: int
    previous_id: str | None
    same_text: bool
    dup_of_id: str | None = None  # the report this one copies most of its sentences from
    dup_share: float | None = None


# --------------------------------------------------------------------------- writing

@contextmanager
def write(engine: Engine) -> Iterator[Connection]:
    """A write transaction (SQLite: BEGIN IMMEDIATE), committed when the block ends normally."""
    with engine.connect().execution_options(write=True) as conn, conn.begin():
        yield conn


def _lock_key(conn: Connection, key: str) -> None:
    """PostgreSQL: serialize writers of one issuer+period (SQLite: BEGIN IMMEDIATE already does)."""
    if conn.dialect.name == "postgresql":
        conn.execute(text("SELECT pg_advisory_xact_lock(hashtext(:k))"), {"k": key})


_PREV = None


def _resubmission(conn: Connection, row: dict) -> None:
    """Fill version/previous_id/same_text from the latest earlier check of the same issuer,
    period and document type, and mark that one superseded."""
    global _PREV
    if row["issuer_key"] is None or row["period_end"] is None:
        return
    _lock_key(conn, f"{row['issuer_key']}|{row['period_start']}|{row['period_end']}|{row['doc_type']}")
    if _PREV is None:
        from sqlalchemy import bindparam

        _PREV = (select(_R.c.id, _R.c.version, _R.c.previous_id, _R.c.sha256)
                 .where(_R.c.issuer_key == bindparam("k"), _R.c.period_end == bindparam("pe"),
                        _R.c.period_start == bindparam("ps"), _R.c.doc_type == bindparam("dt"),
                        _R.c.superseded.is_(False))
                 .order_by(_R.c.checked_at.desc()).limit(1))
    prev = conn.execute(_PREV, {"k": row["issuer_key"], "pe": row["period_end"], "ps": row["period_start"],
                                "dt": row["doc_type"]}).first()
    if prev is None:
        return
    _untally(conn, prev.id)
    if prev.sha256 == row["sha256"]:  # the same file checked again: same version
        row.update(version=prev.version, previous_id=prev.previous_id, same_text=True)
    else:
        row.update(version=prev.version + 1, previous_id=prev.id)
    conn.execute(update(_R).where(_R.c.id == prev.id).values(superseded=True))


def _copied_from(conn: Connection, row: dict, sketch) -> None:
    """Flag a copy: the earlier report (another bureau, or another period) whose sentences make
    up the largest share of this one's, if that share reaches COPY_SHARE. Candidates share at
    least two sketch values; the share is then counted exactly from the stored sentences."""
    from sqlalchemy import func

    from compliance.store.digest import TextDigest, copied_share

    cand = conn.execute(
        select(_SK.c.report_id, func.count().label("n")).where(_SK.c.value.in_(list(sketch)))
        .group_by(_SK.c.report_id).having(func.count() >= 2).order_by(func.count().desc()).limit(10)
    ).all()
    if not cand:
        return
    mine = TextDigest.unpack(row["sentences"])
    best: tuple[float, str] | None = None
    others = conn.execute(select(_R.c.id, _R.c.issuer_key, _R.c.period_start, _R.c.period_end, _R.c.sha256, _R.c.sentences)
                          .where(_R.c.id.in_([c.report_id for c in cand]))).all()
    for o in others:
        if o.sha256 == row["sha256"]:
            continue  # the same file checked again is a re-check, not a copy
        if o.issuer_key is not None and o.issuer_key == row["issuer_key"] and o.period_end == row["period_end"] \
                and o.period_start == row["period_start"]:
            continue  # an earlier draft of the same report (a resubmission)
        share = copied_share(mine, TextDigest.unpack(o.sentences))
        if share >= COPY_SHARE and (best is None or share > best[0]):
            best = (share, o.id)
    if best is not None:
        row.update(dup_of_id=best[1], dup_share=round(best[0], 3))


def _tally(conn: Connection, place: dict, rules: list[tuple], delta: int) -> None:
    """Add `delta` to the tally of each (rule, status, waived) for this place/year/type."""
    if not rules:
        return
    if conn.dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert as upsert
    else:
        from sqlalchemy.dialects.sqlite import insert as upsert  # type: ignore[assignment]
    key = {"province": place["province"] or "", "year": place["year"] or 0,
           "doc_type": place["doc_type"]}
    stmt = upsert(_T)
    stmt = stmt.on_conflict_do_update(index_elements=list(_T_KEY), set_={"n": _T.c.n + stmt.excluded.n})
    conn.execute(stmt, [{**key, "rule_id": r, "status": s, "waived": bool(w), "n": delta} for r, s, w in rules])


RECOUNT = ("SELECT rr.rule_id, COALESCE(r.province, ''), COALESCE(r.year, 0), r.doc_type, rr.status, "
           "rr.waived, COUNT(*) FROM rule_results rr JOIN reports r ON r.id = rr.report_id WHERE r.superseded = false "
           "GROUP BY rr.rule_id, COALESCE(r.province, ''), COALESCE(r.year, 0), r.doc_type, rr.status, rr.waived")


def rebuild_tally(conn: Connection) -> None:
    """The tally counted again from the rule rows (after a bulk load that bypassed write_rows)."""
    conn.execute(_T.delete())
    conn.execute(text("INSERT INTO rule_tally (rule_id, province, year, doc_type, status, waived, n) " + RECOUNT))


def _untally(conn: Connection, report_id: str) -> None:
    """A report superseded by a later check no longer counts."""
    place = conn.execute(select(_R.c.province, _R.c.year, _R.c.doc_type).where(_R.c.id == report_id)).first()
    rules = conn.execute(select(_RR.c.rule_id, _RR.c.status, _RR.c.waived).where(_RR.c.report_id == report_id)).all()
    if place is not None:
        _tally(conn, dict(place._mapping), [tuple(r) for r in rules], -1)


def write_rows(conn: Connection, rows: Rows, *, rid: str, batch_id: str | None, seq: int,
               ruleset_hash: str | None, checked_at: dt.datetime) -> dict:
    """All rows of one report, inside the caller's transaction; returns the report row."""
    extra = dict(rows.extra)
    sketch = extra.pop("sketch", ())
    row = {**rows.report, **extra, "id": rid, "batch_id": batch_id, "seq": seq, "ruleset_hash": ruleset_hash,
           "checked_at": checked_at, "version": 1, "previous_id": None, "same_text": False, "superseded": False}
    row.setdefault("text_z", None)
    row.setdefault("sentences", None)
    row.update(dup_of_id=None, dup_share=None)
    _resubmission(conn, row)
    if sketch:
        _copied_from(conn, row, sketch)
    conn.execute(insert(_R), [row])
    if sketch:
        conn.execute(insert(_SK), [{"value": v, "report_id": rid} for v in sketch])
    if rows.rules:
        conn.execute(insert(_RR), [dict(zip(_RULE_COLS, r), report_id=rid) for r in rows.rules])
        _tally(conn, row, [(r[0], r[3], r[6]) for r in rows.rules], +1)
    return row


class Recorder:
    """Records one batch: `report` and `error` as items arrive, `close` at the end."""

    def __init__(self, engine: Engine, origin: str = "cli", ruleset: str = "auto",
                 ruleset_hash: str | None = None, keep_text: bool = False, batch_id: str | None = None) -> None:
        self.engine = engine
        self.ruleset_hash = ruleset_hash
        self.keep_text = keep_text
        self.batch_id = batch_id or new_id()
        self.seq = 0
        self.n_reports = 0
        self.n_errors = 0
        with write(engine) as conn:
            conn.execute(insert(_B), [{"id": self.batch_id, "origin": origin, "ruleset": ruleset[:200],
                                       "started_at": now(), "finished_at": None, "status": "running",
                                       "n_reports": 0, "n_errors": 0}])

    def report(self, result: ReportResult | Rows, extra: dict | None = None, lines: list[str] | None = None,
               rid: str | None = None) -> Recorded:
        """Record one checked report: a ReportResult, or the Rows a worker built for it. `extra`
        carries what the worker computed from the text; `lines` is the text, kept only if asked."""
        rows = result if isinstance(result, Rows) else rows_of(result)
        if extra:
            rows.extra.update(extra)
        if lines is not None and "sentences" not in rows.extra:
            from compliance.store.digest import text_extra

            rows.extra.update(text_extra(lines, self.keep_text))
        if not self.keep_text:
            rows.extra.pop("text_z", None)
        with write(self.engine) as conn:
            row = write_rows(conn, rows, rid=rid or new_id(), batch_id=self.batch_id, seq=self.seq,
                             ruleset_hash=self.ruleset_hash, checked_at=now())
        self.seq += 1
        self.n_reports += 1
        return Recorded(row["id"], row["version"], row["previous_id"], row["same_text"], row["dup_of_id"], row["dup_share"])

    def error(self, err: InputError) -> None:
        with write(self.engine) as conn:
            conn.execute(insert(_IE), [{"batch_id": self.batch_id, "source": err.source, "error": err.error}])
        self.n_errors += 1

    def close(self, completed: bool) -> None:
        with write(self.engine) as conn:
            conn.execute(update(_B).where(_B.c.id == self.batch_id).values(
                finished_at=now(), status="complete" if completed else "interrupted",
                n_reports=self.n_reports, n_errors=self.n_errors))
