"""Writing checks into the store: a batch that fails or is interrupted leaves every report
either fully recorded or absent, never half-written (see Recorder: reports are written a group
at a time, each group in one transaction).

The rows of a report (`Rows`) are built where the report was checked — in a batch worker, next
to the JSON it sends back — so the main process only inserts them."""

from __future__ import annotations

import datetime as dt
import secrets
import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from sqlalchemy import Connection, Engine, insert, text, update

from compliance.models import InputError, ReportResult
from compliance.store.rows import (  # noqa: F401 — the rows are built in compliance.store.rows (no SQLAlchemy there); re-exported
    FINDING,
    RULE_COLS,
    Rows,
    issuer_key,
    pack,
    pack_document,
    pack_text,
    rows_of,
    unpack,
    unpack_document,
    unpack_text,
)
from compliance.store.schema import Batch, InputErrorRow, ReportRow, RuleResultRow, RuleTally

_B = Batch.__table__
_R = ReportRow.__table__
_RR = RuleResultRow.__table__
_IE = InputErrorRow.__table__
_T = RuleTally.__table__
_T_KEY = ("rule_id", "province", "year", "doc_type", "status", "waived")
COPY_SHARE = 0.5  # a report sharing at least this share of its sentences with another is flagged
_RULE_COLS = RULE_COLS


def new_id() -> str:
    return secrets.token_urlsafe(12)


def now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


@dataclass(frozen=True)
class Recorded:
    """What recording a report found out: its id and, for a resubmission, the earlier version."""

    id: str
    version: int
    previous_id: str | None
    same_text: bool
    dup_of_id: str | None = None  # the report this one copies most of its sentences from
    dup_share: float | None = None
    source: str = ""


# --------------------------------------------------------------------------- writing

GROUP = 200  # `check --record`: at most this many reports per transaction …
GROUP_SECONDS = 1.0  # … held back at most this long (see Recorder)
COMMON = 200  # a sketch value in more reports than this is boilerplate: no evidence of a copy
_DIGESTS = 4096  # sentence hashes of recent copy candidates kept in memory (≈1 KB each)
_COMMONS = 200_000  # boilerplate sketch values remembered (a value once common stays common)


@contextmanager
def write(engine: Engine) -> Iterator[Connection]:
    """A write transaction (SQLite: BEGIN IMMEDIATE), committed when the block ends normally."""
    with engine.connect().execution_options(write=True) as conn, conn.begin():
        yield conn


_PREV = ("SELECT id, version, previous_id, sha256 FROM reports WHERE issuer_key = ? AND period_end = ? "
         "AND period_start = ? AND doc_type = ? AND superseded = ? ORDER BY checked_at DESC LIMIT 1")
_SUPERSEDE = "UPDATE reports SET superseded = ? WHERE id = ?"
_PLACE = "SELECT province, year, doc_type FROM reports WHERE id = ?"
_RULES_OF = "SELECT rule_id, status, waived FROM rule_results WHERE report_id = ?"
# copy candidates: sketch values in more than COMMON reports (counted no further than that) are
# boilerplate and left out; the rest find the reports that share at least two of them
_COMMON_OF = ("WITH v(x) AS (VALUES {values}) SELECT x FROM v WHERE "
              "(SELECT COUNT(*) FROM (SELECT 1 FROM sketch WHERE value = v.x LIMIT ?) t) > ?")
_CANDIDATES = ("SELECT report_id, COUNT(*) FROM sketch WHERE value IN ({values}) "
               "GROUP BY report_id HAVING COUNT(*) >= 2 ORDER BY COUNT(*) DESC, report_id LIMIT 10")
_OTHERS = ("SELECT id, issuer_key, period_start, period_end, sha256, sentences, checked_at FROM reports "
           "WHERE id IN ({ids})")
_INS_SKETCH = "INSERT INTO sketch (value, report_id) VALUES (?, ?)"
_INS_RULES = (f"INSERT INTO rule_results (report_id, {', '.join(_RULE_COLS)}) "
              f"VALUES ({', '.join('?' * (len(_RULE_COLS) + 1))})")
_TALLY = (f"INSERT INTO rule_tally ({', '.join(_T_KEY)}, n) VALUES ({', '.join('?' * (len(_T_KEY) + 1))}) "
          f"ON CONFLICT ({', '.join(_T_KEY)}) DO UPDATE SET n = rule_tally.n + excluded.n")
_INS_REPORT = insert(_R)


def _utc(value: dt.datetime | str) -> dt.datetime:
    """A time as the driver returns it (SQLite: text) → naive UTC, to compare."""
    if isinstance(value, str):
        value = dt.datetime.fromisoformat(value)
    return value.astimezone(dt.UTC).replace(tzinfo=None) if value.tzinfo is not None else value


class _Writer:
    """The rows of queued reports, written in the caller's transaction. Apart from the report row
    itself (dates, JSON: SQLAlchemy's types), the statements go to the driver's cursor as plain
    SQL with tuples: SQLAlchemy's handling of each parameter set cost more than the database.
    Tally changes are summed over the transaction and written once, in a fixed order."""

    def __init__(self, conn: Connection, digests: dict, common: set) -> None:
        self.conn = conn
        self.cur = conn.connection.cursor()
        self.pg = conn.dialect.name == "postgresql"
        self.tally: Counter = Counter()
        self.digests = digests  # report id → (issuer_key, period_start, period_end, sha256, sentences, checked_at)
        self.common = common  # sketch values known to be boilerplate (committed)
        self.new_common: set[int] = set()  # found in this transaction: kept if it commits
        if self.pg:  # one writer at a time, as SQLite's BEGIN IMMEDIATE: two groups never deadlock
            self.cur.execute("SELECT pg_advisory_xact_lock(7215013)")

    def sql(self, q: str) -> str:
        return q.replace("?", "%s") if self.pg else q

    def one(self, q: str, params: tuple):
        self.cur.execute(self.sql(q), params)
        return self.cur.fetchone()

    def all(self, q: str, params: tuple) -> list:
        self.cur.execute(self.sql(q), params)
        return self.cur.fetchall()

    def report(self, rows: Rows, *, rid: str, batch_id: str | None, seq: int, ruleset_hash: str | None,
               checked_at: dt.datetime) -> dict:
        """All rows of one report; returns the report row."""
        extra = dict(rows.extra)
        sketch = extra.pop("sketch", ())
        row = {**rows.report, **extra, "id": rid, "batch_id": batch_id, "seq": seq, "ruleset_hash": ruleset_hash,
               "checked_at": checked_at, "version": 1, "previous_id": None, "same_text": False, "superseded": False}
        row.setdefault("text_z", None)
        row.setdefault("sentences", None)
        row.update(dup_of_id=None, dup_share=None)
        self._resubmission(row)
        if sketch:
            self._copied_from(row, sketch)
        self.conn.execute(_INS_REPORT, row)
        if sketch:
            self.cur.executemany(self.sql(_INS_SKETCH), [(v, rid) for v in sketch])
            if row["sentences"]:
                self._remember(rid, (row["issuer_key"], row["period_start"], row["period_end"], row["sha256"],
                                     row["sentences"], _utc(checked_at)))
        if rows.rules:
            self.cur.executemany(self.sql(_INS_RULES), [(rid, *r) for r in rows.rules])
            self._count(row, [(r[0], r[3], r[6]) for r in rows.rules], +1)
        return row

    def _remember(self, rid: str, digest: tuple) -> None:
        if len(self.digests) >= _DIGESTS:
            del self.digests[next(iter(self.digests))]
        self.digests[rid] = digest

    def _resubmission(self, row: dict) -> None:
        """Fill version/previous_id/same_text from the latest earlier check of the same issuer,
        period and document type, and mark that one superseded."""
        if row["issuer_key"] is None or row["period_end"] is None:
            return
        prev = self.one(_PREV, (row["issuer_key"], row["period_end"], row["period_start"], row["doc_type"], False))
        if prev is None:
            return
        prev_id, prev_version, prev_previous, prev_sha = prev
        self._untally(prev_id)
        if prev_sha == row["sha256"]:  # the same file checked again: same version
            row.update(version=prev_version, previous_id=prev_previous, same_text=True)
        else:
            row.update(version=prev_version + 1, previous_id=prev_id)
        self.cur.execute(self.sql(_SUPERSEDE), (True, prev_id))

    def _copied_from(self, row: dict, sketch) -> None:
        """Flag a copy: the earlier report (another bureau, or another period) whose sentences make
        up the largest share of this one's, if that share reaches COPY_SHARE. Candidates share at
        least two sketch values; the share is then counted exactly from the stored sentences."""
        from compliance.store.digest import TextDigest, copied_share

        values = [v for v in sketch if v not in self.common and v not in self.new_common]
        if len(values) >= 2:
            self.new_common.update(x for (x,) in self.all(
                _COMMON_OF.format(values=", ".join(["(CAST(? AS BIGINT))"] * len(values))), (*values, COMMON + 1, COMMON)))
            values = [v for v in values if v not in self.new_common]
        if len(values) < 2:
            return
        cand = self.all(_CANDIDATES.format(values=", ".join("?" * len(values))), tuple(values))
        if not cand:
            return
        others = {c[0]: self.digests[c[0]] for c in cand if c[0] in self.digests}
        missing = [c[0] for c in cand if c[0] not in others]
        if missing:
            for o in self.all(_OTHERS.format(ids=", ".join("?" * len(missing))), tuple(missing)):
                others[o[0]] = (*o[1:6], _utc(o[6]))
                self._remember(o[0], others[o[0]])
        mine = TextDigest.unpack(row["sentences"])
        best: tuple[float, str] | None = None
        for oid in sorted(others, key=lambda i: (others[i][5], i)):  # a tie goes to the earliest recorded
            o_key, o_start, o_end, o_sha, o_sentences, _ = others[oid]
            if o_sha == row["sha256"]:
                continue  # the same file checked again is a re-check, not a copy
            if o_key is not None and o_key == row["issuer_key"] and o_end == row["period_end"] \
                    and o_start == row["period_start"]:
                continue  # an earlier draft of the same report (a resubmission)
            share = copied_share(mine, TextDigest.unpack(o_sentences))
            if share >= COPY_SHARE and (best is None or share > best[0]):
                best = (share, oid)
        if best is not None:
            row.update(dup_of_id=best[1], dup_share=round(best[0], 3))

    def _count(self, place: dict, rules: list[tuple], delta: int) -> None:
        """Add `delta` to the tally of each (rule, status, waived) for this place/year/type."""
        key = (place["province"] or "", place["year"] or 0, place["doc_type"])
        for r, s, w in rules:
            self.tally[(r, *key, s, bool(w))] += delta

    def _untally(self, report_id: str) -> None:
        """A report superseded by a later check no longer counts."""
        place = self.one(_PLACE, (report_id,))
        if place is not None:
            rules = self.all(_RULES_OF, (report_id,))
            self._count(dict(zip(("province", "year", "doc_type"), place)), rules, -1)

    def finish(self) -> None:
        """The summed tally changes, in key order (two writers never wait on each other's rows
        in opposite orders)."""
        changes = sorted((k, n) for k, n in self.tally.items() if n)
        if changes:
            self.cur.executemany(self.sql(_TALLY), [(*k, n) for k, n in changes])
        self.tally.clear()


RECOUNT = ("SELECT rr.rule_id, COALESCE(r.province, ''), COALESCE(r.year, 0), r.doc_type, rr.status, "
           "rr.waived, COUNT(*) FROM rule_results rr JOIN reports r ON r.id = rr.report_id WHERE r.superseded = false "
           "GROUP BY rr.rule_id, COALESCE(r.province, ''), COALESCE(r.year, 0), r.doc_type, rr.status, rr.waived")


def rebuild_tally(conn: Connection) -> None:
    """The tally counted again from the rule rows (after a bulk load that bypassed the Recorder)."""
    conn.execute(_T.delete())
    conn.execute(text("INSERT INTO rule_tally (rule_id, province, year, doc_type, status, waived, n) " + RECOUNT))


@dataclass
class _Queued:
    rows: Rows | None
    error: InputError | None
    rid: str
    seq: int
    checked_at: dt.datetime


class Recorder:
    """Records one batch: `report` and `error` as items arrive, `close` at the end.

    Reports are queued and written together, `group` at a time or once the oldest has waited
    `group_seconds` (and at `flush`/`close`), in one transaction: a transaction per report cost
    the batch more than checking it. Every report is still whole or absent: a report whose
    rows fail is left out (the others of its group are written again without it, and its error
    raised); a process killed outright loses the reports it had not yet written, never part
    of one. `on_recorded(Recorded)` is called for each report once it is committed."""

    def __init__(self, engine: Engine, origin: str = "cli", ruleset: str = "auto",
                 ruleset_hash: str | None = None, keep_text: bool = False, batch_id: str | None = None,
                 group: int = 1, group_seconds: float = GROUP_SECONDS,
                 on_recorded: Callable[[Recorded], None] | None = None) -> None:
        self.engine = engine
        self.ruleset_hash = ruleset_hash
        self.keep_text = keep_text
        self.batch_id = batch_id or new_id()
        self.group = max(1, group)
        self.group_seconds = group_seconds
        self.on_recorded = on_recorded
        self.seq = 0
        self.n_reports = 0
        self.n_errors = 0
        self._queue: list[_Queued] = []
        self._since = 0.0
        self._digests: dict[str, tuple] = {}
        self._common: set[int] = set()
        with write(engine) as conn:
            conn.execute(insert(_B), [{"id": self.batch_id, "origin": origin, "ruleset": ruleset[:200],
                                       "started_at": now(), "finished_at": None, "status": "running",
                                       "n_reports": 0, "n_errors": 0}])

    def report(self, result: ReportResult | Rows, extra: dict | None = None, lines: list[str] | None = None,
               rid: str | None = None) -> str:
        """Queue one checked report: a ReportResult, or the Rows a worker built for it. `extra`
        carries what the worker computed from the text; `lines` is the text, kept only if asked.
        Returns the report's id (its row exists once its group is written)."""
        rows = result if isinstance(result, Rows) else rows_of(result)
        if extra:
            rows.extra.update(extra)
        if lines is not None and "sentences" not in rows.extra:
            from compliance.store.digest import text_extra

            rows.extra.update(text_extra(lines, self.keep_text))
        if not self.keep_text:
            rows.extra.pop("text_z", None)
        rid = rid or new_id()
        self._push(_Queued(rows, None, rid, self.seq, now()))
        self.seq += 1
        return rid

    def error(self, err: InputError) -> None:
        self._push(_Queued(None, err, "", 0, now()))

    def _push(self, item: _Queued) -> None:
        if not self._queue:
            self._since = time.monotonic()
        self._queue.append(item)
        if len(self._queue) >= self.group or time.monotonic() - self._since >= self.group_seconds:
            self.flush()

    def flush(self) -> None:
        """Write the queued reports and errors in one transaction. A report whose rows fail is
        dropped and the rest written again; its error is raised afterwards."""
        todo, self._queue = self._queue, []
        failed: BaseException | None = None
        while todo:
            at: int | None = None
            done: list[Recorded] = []
            try:
                with write(self.engine) as conn:
                    w = _Writer(conn, self._digests, self._common)
                    for i, q in enumerate(todo):
                        at = i
                        if q.error is not None:
                            conn.execute(insert(_IE), [{"batch_id": self.batch_id, "source": q.error.source,
                                                        "error": q.error.error}])
                            continue
                        row = w.report(q.rows, rid=q.rid, batch_id=self.batch_id, seq=q.seq,
                                       ruleset_hash=self.ruleset_hash, checked_at=q.checked_at)
                        done.append(Recorded(row["id"], row["version"], row["previous_id"], row["same_text"],
                                             row["dup_of_id"], row["dup_share"], row["source"]))
                    at = None
                    w.finish()
            except BaseException as e:
                if not isinstance(e, Exception):  # Ctrl-C while writing: queued again, for close()
                    self._queue = todo + self._queue
                    raise
                if at is None:  # not one report's fault (the connection, the commit): nothing of the group is kept
                    raise
                failed = failed or e
                todo = todo[:at] + todo[at + 1:]
                continue
            if len(self._common) < _COMMONS:
                self._common.update(w.new_common)
            self.n_reports += len(done)
            self.n_errors += sum(q.error is not None for q in todo)
            if self.on_recorded is not None:
                for r in done:
                    self.on_recorded(r)
            break
        if failed is not None:
            raise failed

    def close(self, completed: bool) -> None:
        try:
            self.flush()
        except Exception:
            completed = False
            raise
        finally:
            with write(self.engine) as conn:
                conn.execute(update(_B).where(_B.c.id == self.batch_id).values(
                    finished_at=now(), status="complete" if completed else "interrupted",
                    n_reports=self.n_reports, n_errors=self.n_errors))
