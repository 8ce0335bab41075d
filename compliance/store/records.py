"""Writing checks into the store: a batch that fails or is interrupted leaves every report
either fully recorded or absent, never half-written (see Recorder: reports are written a group
at a time, each group in one transaction).

The rows of a report (`Rows`, compliance.store.rows) are built where the report was checked —
in a batch worker, next to the JSON it sends back — so the main process only finds out what the
store knows of it (earlier versions, copied sentences) and inserts them (`_Writer`)."""

from __future__ import annotations

import datetime as dt
import secrets
import time
from collections import Counter
from itertools import chain
from operator import itemgetter
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, cast

from sqlalchemy import Connection, Dialect, Engine, Table, insert, text, update
from sqlalchemy.engine.interfaces import DBAPICursor

from compliance.models import InputError, ReportResult
from compliance.store.digest import TextDigest, copied_share
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
from compliance.store.schema import Base

_TABLES = Base.metadata.tables
_B: Table = _TABLES["batches"]
_R: Table = _TABLES["reports"]
_IE: Table = _TABLES["input_errors"]
_T: Table = _TABLES["rule_tally"]
_T_KEY = ("rule_id", "province", "year", "doc_type", "status", "waived")
COPY_SHARE = 0.5  # a report sharing at least this share of its sentences with another is flagged


def new_id() -> str:
    """23 characters: the time in milliseconds (11 hexadecimal digits), then 72 random bits (12,
    base64url). Ids made later sort later, so a batch's rows go at the end of each index keyed
    by report id instead of at random places in it (once the store outgrows SQLite's page cache,
    a random place is a page read and a page written per row)."""
    return f"{time.time_ns() // 1_000_000:011x}{secrets.token_urlsafe(9)}"


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
GROUP_SECONDS = 5.0  # … held back at most this long (see Recorder)
COMMON = 200  # a sketch value in more reports than this is boilerplate: no evidence of a copy
_DIGESTS = 4096  # sentence hashes of recent copy candidates kept in memory (≈1 KB each)
_COMMONS = 200_000  # boilerplate sketch values remembered (a value once common stays common)


@contextmanager
def write(engine: Engine) -> Iterator[Connection]:
    """A write transaction (SQLite: BEGIN IMMEDIATE), committed when the block ends normally."""
    with engine.connect().execution_options(write=True) as conn, conn.begin():
        yield conn


# What a group needs to know from the store, each read once for the whole group ({keys}: the
# group's issuers, report ids or sketch values, as `IN (?, …)` or PostgreSQL's `= ANY(%s)`).
_CURRENT = ("SELECT id, version, previous_id, sha256, checked_at, issuer_key, period_end, period_start, doc_type, "
            "province, year FROM reports WHERE superseded = ? AND issuer_key {keys}")
_RULES_OF = "SELECT report_id, rule_id, status, waived FROM rule_results WHERE report_id {keys}"
# copy candidates: the reports holding each sketch value, read no further than COMMON + 1 (a value
# in more reports than COMMON is boilerplate, and a value in 50,000 reports is not read whole)
_PRESENT = "SELECT DISTINCT value FROM sketch WHERE value {keys}"
_HOLDERS = "SELECT report_id FROM sketch WHERE value = ? LIMIT ?"
_HOLDERS_PG = ("SELECT v, s.report_id FROM unnest(%s::bigint[]) AS v, "
               "LATERAL (SELECT report_id FROM sketch WHERE value = v LIMIT %s) s")
_OTHERS = "SELECT id, issuer_key, period_start, period_end, sha256, sentences, checked_at FROM reports WHERE id {keys}"
_SUPERSEDE = "UPDATE reports SET superseded = ? WHERE id = ?"
_INS_SKETCH = "INSERT INTO sketch (value, report_id) VALUES (?, ?)"
_INS_RULES = (f"INSERT INTO rule_results (report_id, {', '.join(RULE_COLS)}) "
              f"VALUES ({', '.join('?' * (len(RULE_COLS) + 1))})")
_TALLY = (f"INSERT INTO rule_tally ({', '.join(_T_KEY)}, n) VALUES ({', '.join('?' * (len(_T_KEY) + 1))}) "
          f"ON CONFLICT ({', '.join(_T_KEY)}) DO UPDATE SET n = rule_tally.n + excluded.n")
_CHUNK = 500  # keys per SQLite look-up (PostgreSQL takes them all as one array)

_Key = tuple[str, int, int, str]  # issuer_key, period_end, period_start, doc_type: one report and its drafts
_Digest = tuple[Any, ...]  # issuer_key, period_start, period_end, sha256, sentence hashes (frozenset), checked_at (naive UTC)
_Place = tuple[Any, Any, str]  # province, year, doc_type: where a report counts in the tally


def _utc(value: dt.datetime | str) -> dt.datetime:
    """A time as the driver returns it (SQLite: text) → naive UTC, to compare."""
    if isinstance(value, str):
        value = dt.datetime.fromisoformat(value)
    return value.astimezone(dt.UTC).replace(tzinfo=None) if value.tzinfo is not None else value


def _key(row: dict) -> _Key | None:
    """The report's issuer, period and type, when all are known (else it has no earlier versions)."""
    if row["issuer_key"] is None or row["period_end"] is None or row["period_start"] is None:
        return None
    return (row["issuer_key"], row["period_end"], row["period_start"], row["doc_type"])


def _top(counts: dict[str, int], n: int, least: int) -> list[str]:
    """The `n` keys with the highest counts of at least `least`, ties by key (as ORDER BY count
    DESC, key LIMIT n), in no particular order."""
    vals = sorted(counts.values(), reverse=True)  # in C: cheaper than a heap walked in Python
    edge = vals[n - 1] if len(vals) >= n else least  # the n-th count: all above it are in …
    if edge < least:
        edge = least
    top = [k for k, c in counts.items() if c >= edge]
    if len(top) <= n:
        return top
    above = [k for k in top if counts[k] > edge]  # … and the first keys of those at it
    return above + sorted([k for k in top if counts[k] == edge])[: n - len(above)]


def _remember(digests: dict[str, _Digest], rid: str, digest: _Digest) -> None:
    if len(digests) >= _DIGESTS:
        del digests[next(iter(digests))]
    digests[rid] = digest


class _RowInsert:
    """The INSERT of whole rows of a table as SQLAlchemy compiles it for the dialect, each value
    converted by its column type's own bind processor (JSON, dates, booleans): the rows stored
    are those `conn.execute(insert(table), row)` stores, without its work per statement (which
    was a third of the main process's time per report)."""

    def __init__(self, table: Table, dialect: Dialect) -> None:
        from sqlalchemy.sql.compiler import SQLCompiler

        compiled = cast(SQLCompiler, insert(table).compile(dialect=dialect))
        self.sql = compiled.string
        # the parameters' names in order (SQLite's ?), or None for named ones (psycopg's %(x)s)
        self.names: list[str] = list(compiled.positiontup) if compiled.positiontup is not None else [c.key for c in table.columns]
        self.named = compiled.positiontup is None
        self.get = itemgetter(*self.names)  # every column given: a missing one is an error, not a default
        self.convert: list[tuple[int, Callable[[Any], Any]]] = []
        for i, name in enumerate(self.names):
            proc = table.c[name].type.dialect_impl(dialect).bind_processor(dialect)
            if proc is not None:
                self.convert.append((i, proc))

    def write(self, cur: DBAPICursor, rows: Iterable[dict]) -> None:
        values = []
        for row in rows:
            v = list(self.get(row))
            for i, proc in self.convert:
                v[i] = proc(v[i])
            values.append(v)
        if self.named:
            cur.executemany(self.sql, [dict(zip(self.names, v)) for v in values])
        else:
            cur.executemany(self.sql, values)


@dataclass
class _Current:
    """The latest check (not superseded) of an issuer's report for a period."""

    id: str
    version: int
    previous_id: str | None
    sha256: str


_KNOWN = 100_000  # issuers' reports and sketch values `_Known` keeps between groups, each at most


@dataclass
class _Known:
    """What a batch's groups have read from the store and written to it: the current report of
    each issuer's report looked up (and where it counts in the tally), and the reports holding
    each sketch value looked up (as many as COMMON + 1). Kept up to date as reports are added.
    On SQLite it is kept from one group to the next while nothing else has written to the store:
    not another connection (PRAGMA data_version is unchanged), nor another user of the same pooled
    connection (its count of changed rows is where the last group left it). A group then reads
    only what is new to the batch; otherwise each group starts afresh."""

    dbapi: Any = None  # the driver's connection it was read on, its data_version then, and its
    version: Any = None  # total_changes when the last group committed
    changes: int = -1
    keys: set[_Key] = field(default_factory=set)  # looked up: the current report of each, if any, in `current`
    current: dict[_Key, _Current] = field(default_factory=dict)
    places: dict[str, _Place] = field(default_factory=dict)  # of the current reports
    holders: dict[int, list[str]] = field(default_factory=dict)  # sketch value → the reports holding it

    def small(self) -> bool:
        return len(self.keys) <= _KNOWN and len(self.holders) <= _KNOWN


class _Writer:
    """Writes a group of queued reports in the caller's transaction.

    What the group needs from the store — the current version of each issuer's report, the rule
    rows a resubmission takes out of the tally, the reports holding each sketch value — is read
    once at the start (`prepare`, and only what `_Known` does not hold yet), and kept up to date
    in memory as the group's reports are added, so that a report sees the group's earlier ones
    exactly as if they had been written.
    With `bulk`, the rows are then written at the end in one `executemany` per table (PostgreSQL:
    a few round trips per group instead of ten per report); without it, each report's rows as it
    comes, so a failing row is pinned on its report. The statements go to the driver's cursor as
    plain SQL with tuples: SQLAlchemy's handling of each parameter set cost more than the
    database. Tally changes are summed over the transaction and written once, in a fixed order."""

    def __init__(self, conn: Connection, ins: _RowInsert, digests: dict[str, _Digest], common: set[int],
                 bulk: bool = True, known: _Known | None = None) -> None:
        self.conn = conn
        self.cur: DBAPICursor = conn.connection.cursor()
        self.pg = conn.dialect.name == "postgresql"
        self.ins = ins
        self.bulk = bulk
        self.added: Counter[tuple] = Counter()  # tally changes, summed over the transaction
        self.removed: Counter[tuple] = Counter()
        self.digests = digests  # recent copy candidates' digests, by report id (kept across groups)
        self.common = common  # sketch values known to be boilerplate (committed)
        self.new_common: set[int] = set()  # found in this transaction: kept if it commits
        self.mine: dict[str, _Digest] = {}  # this group's digests: candidates for its later reports
        self.rules_of: dict[str, list[tuple]] = {}  # (rule, status, waived) of the group's current reports: to untally
        # with bulk: what finish() writes
        self.reports: dict[str, dict] = {}
        self.superseded: list[str] = []
        self.rule_rows: list[tuple] = []
        self.sketch_rows: list[tuple] = []
        self.errors: list[dict] = []
        if self.pg:  # one writer at a time, as SQLite's BEGIN IMMEDIATE: two groups never deadlock
            self.cur.execute("SELECT pg_advisory_xact_lock(7215013)")
            self.known = _Known()
        else:  # in the write transaction: nobody else writes until it ends
            dbapi = conn.connection.dbapi_connection
            version = self.all("PRAGMA data_version", ())[0][0]
            same = (known is not None and known.dbapi is dbapi and known.version == version
                    and known.changes == dbapi.total_changes)
            self.known = known if known is not None and same else _Known(dbapi, version)
        self.current, self.places, self.holders = self.known.current, self.known.places, self.known.holders

    # ------------------------------------------------------------------ SQL

    def sql(self, q: str) -> str:
        return q.replace("?", "%s") if self.pg else q

    def all(self, q: str, params: tuple) -> Sequence[Any]:
        self.cur.execute(self.sql(q), params)
        return self.cur.fetchall()

    def many(self, q: str, keys: Sequence[Any], before: tuple = ()) -> list[Any]:
        """Rows of `q` for many keys, in as few statements as the database allows."""
        out: list[Any] = []
        if self.pg:
            if keys:
                out += self.all(q.format(keys="= ANY(?)"), (*before, list(keys)))
            return out
        for i in range(0, len(keys), _CHUNK):
            chunk = tuple(keys[i : i + _CHUNK])
            out += self.all(q.format(keys=f"IN ({', '.join('?' * len(chunk))})"), (*before, *chunk))
        return out

    # ------------------------------------------------------------------ the group

    def prepare(self, group: Iterable[Rows]) -> None:
        """Read what the group's reports need to know of the store (see the class)."""
        group = list(group)
        mine = {k for r in group if (k := _key(r.report)) is not None}
        keys = mine - self.known.keys
        if keys:
            latest: dict[_Key, tuple] = {}
            for rid, version, previous_id, sha, at, *k, province, year in self.many(
                    _CURRENT, sorted({k[0] for k in keys}), (False,)):
                key = (k[0], k[1], k[2], k[3])
                if key in keys and (key not in latest or (_utc(at), rid) > latest[key][0]):
                    latest[key] = ((_utc(at), rid), _Current(rid, version, previous_id, sha), (province, year, key[3]))
            for key, (_, cur, place) in latest.items():
                self.current[key] = cur
                self.places[cur.id] = place
            self.known.keys |= keys
        ids = sorted(self.current[k].id for k in mine if k in self.current)
        for rid, rule_id, status, waived in self.many(_RULES_OF, ids) if ids else ():
            self.rules_of.setdefault(rid, []).append((rule_id, status, bool(waived)))
        values = sorted({v for r in group for v in r.extra.get("sketch", ())} - self.common - self.holders.keys())
        for v in values:
            self.holders[v] = []
        one: dict[str, str] = {}  # each report id as one string object: counted faster (an identity compares)
        if self.pg:
            for v, rid in self.all(_HOLDERS_PG, (values, COMMON + 1)) if values else ():
                self.holders[v].append(one.setdefault(rid, rid))
        else:
            for (v,) in self.many(_PRESENT, values):
                self.holders[v] = [one.setdefault(rid, rid) for (rid,) in self.all(_HOLDERS, (v, COMMON + 1))]

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
        sentences = TextDigest.unpack(row["sentences"]) if sketch else frozenset()
        if sketch:
            self._copied_from(row, sketch, sentences)
        if self.bulk:
            self.reports[rid] = row
            self.sketch_rows += [(v, rid) for v in sketch]
            self.rule_rows += [(rid, *r) for r in rows.rules]
        else:
            self.ins.write(self.cur, [row])
            if sketch:
                self.cur.executemany(self.sql(_INS_SKETCH), [(v, rid) for v in sketch])
            if rows.rules:
                self.cur.executemany(self.sql(_INS_RULES), [(rid, *r) for r in rows.rules])
        # what the group's later reports see of this one
        statuses = [(r[0], r[3], bool(r[6])) for r in rows.rules]
        key = _key(row)
        if key is not None:
            self.current[key] = _Current(rid, row["version"], row["previous_id"], row["sha256"])
            self.places[rid] = (row["province"], row["year"], row["doc_type"])
            self.rules_of[rid] = statuses
        for v in sketch:
            held = self.holders.get(v)
            if held is not None:
                held.append(rid)
        if sentences:
            self.mine[rid] = (row["issuer_key"], row["period_start"], row["period_end"], row["sha256"],
                              sentences, _utc(checked_at))
        self._count((row["province"], row["year"], row["doc_type"]), statuses, +1)
        return row

    def error(self, batch_id: str, err: InputError) -> None:
        e = {"batch_id": batch_id, "source": err.source, "error": err.error}
        if self.bulk:
            self.errors.append(e)
        else:
            self.conn.execute(insert(_IE), [e])

    def finish(self) -> None:
        """With bulk, the group's rows (reports first: the others refer to them); then the summed
        tally changes, in key order (two writers never wait on each other's rows in opposite
        orders)."""
        if self.reports:
            self.ins.write(self.cur, self.reports.values())
        if self.superseded:
            self.cur.executemany(self.sql(_SUPERSEDE), [(True, i) for i in self.superseded])
        if self.rule_rows:
            self.cur.executemany(self.sql(_INS_RULES), self.rule_rows)
        if self.sketch_rows:
            self.cur.executemany(self.sql(_INS_SKETCH), sorted(self.sketch_rows))  # in index order
        if self.errors:
            self.conn.execute(insert(_IE), self.errors)
        changes = sorted((k, n) for k in self.added.keys() | self.removed.keys() if (n := self.added[k] - self.removed[k]))
        if changes:
            self.cur.executemany(self.sql(_TALLY), [(*k, n) for k, n in changes])
        self.added.clear()
        self.removed.clear()
        if not self.pg:  # the commit to come changes no count of rows: the next group compares with this
            self.known.changes = self.known.dbapi.total_changes

    # ------------------------------------------------------------------ one report

    def _resubmission(self, row: dict) -> None:
        """Fill version/previous_id/same_text from the latest earlier check of the same issuer,
        period and document type, and mark that one superseded."""
        key = _key(row)
        prev = self.current.get(key) if key is not None else None
        if prev is None:
            return
        self._untally(prev.id)
        self.places.pop(prev.id, None)  # no longer current: never untallied again
        self.rules_of.pop(prev.id, None)
        if prev.sha256 == row["sha256"]:  # the same file checked again: same version
            row.update(version=prev.version, previous_id=prev.previous_id, same_text=True)
        else:
            row.update(version=prev.version + 1, previous_id=prev.id)
        queued = self.reports.get(prev.id)
        if queued is not None:  # of this group, not yet written
            queued["superseded"] = True
        elif self.bulk:
            self.superseded.append(prev.id)
        else:
            self.cur.execute(self.sql(_SUPERSEDE), (True, prev.id))

    def _copied_from(self, row: dict, sketch: Sequence[int], mine: frozenset[int]) -> None:
        """Flag a copy: the earlier report (another bureau, or another period) whose sentences make
        up the largest share of this one's, if that share reaches COPY_SHARE. Candidates share at
        least two sketch values that are not boilerplate (held by more than COMMON reports); the
        ten sharing the most (ties: by id) are compared, the share counted exactly from their
        stored sentences."""
        common, new_common, holders = self.common, self.new_common, self.holders
        values = [v for v in sketch if v not in common and v not in new_common]
        if len(values) < 2:
            return
        lists = [holders.get(v, ()) for v in values]  # the reports holding each value
        if any(len(h) > COMMON for h in lists):  # boilerplate from now on
            new_common.update(v for v, h in zip(values, lists) if len(h) > COMMON)
            lists = [h for h in lists if len(h) <= COMMON]
            if len(lists) < 2:
                return
        shared = Counter(chain.from_iterable(lists))  # one count, in C
        cand = _top(shared, 10, 2)
        if not cand:
            return
        others: dict[str, _Digest] = {}
        for c in cand:
            d = self.mine.get(c) or self.digests.get(c)
            if d is not None:
                others[c] = d
        missing = [c for c in cand if c not in others]
        for o in self.many(_OTHERS, missing) if missing else ():
            others[o[0]] = (*o[1:5], TextDigest.unpack(o[5]), _utc(o[6]))
            _remember(self.digests, o[0], others[o[0]])
        best: tuple[float, str] | None = None
        for oid in sorted(others, key=lambda i: (others[i][5], i)):  # a tie goes to the earliest recorded
            o_key, o_start, o_end, o_sha, o_sentences, _ = others[oid]
            if o_sha == row["sha256"]:
                continue  # the same file checked again is a re-check, not a copy
            if o_key is not None and o_key == row["issuer_key"] and o_end == row["period_end"] \
                    and o_start == row["period_start"]:
                continue  # an earlier draft of the same report (a resubmission)
            share = copied_share(mine, o_sentences)
            if share >= COPY_SHARE and (best is None or share > best[0]):
                best = (share, oid)
        if best is not None:
            row.update(dup_of_id=best[1], dup_share=round(best[0], 3))

    def _count(self, place: _Place, rules: list[tuple], delta: int) -> None:
        """Add `delta` to the tally of each (rule, status, waived: a bool) for this place/year/type."""
        province, year, doc_type = place[0] or "", place[1] or 0, place[2]
        (self.added if delta > 0 else self.removed).update([(r, province, year, doc_type, s, w) for r, s, w in rules])

    def _untally(self, report_id: str) -> None:
        """A report superseded by a later check no longer counts."""
        place = self.places.get(report_id)
        if place is not None:
            self._count(place, self.rules_of.get(report_id, []), -1)


RECOUNT = ("SELECT rr.rule_id, COALESCE(r.province, ''), COALESCE(r.year, 0), r.doc_type, rr.status, "
           "rr.waived, COUNT(*) FROM rule_results rr JOIN reports r ON r.id = rr.report_id WHERE r.superseded = false "
           "GROUP BY rr.rule_id, COALESCE(r.province, ''), COALESCE(r.year, 0), r.doc_type, rr.status, rr.waived")


def rebuild_tally(conn: Connection) -> None:
    """The tally counted again from the rule rows (after a bulk load that bypassed the Recorder)."""
    conn.execute(_T.delete())
    conn.execute(text("INSERT INTO rule_tally (rule_id, province, year, doc_type, status, waived, n) " + RECOUNT))


@dataclass
class _Queued:
    item: Rows | InputError
    rid: str
    seq: int
    checked_at: dt.datetime


class Recorder:
    """Records one batch: `report` and `error` as items arrive, `close` at the end.

    Reports are queued and written together, `group` at a time or once the oldest has waited
    `group_seconds` (and at `flush`/`close`), in one transaction: a transaction per report cost
    the batch more than checking it. Every report is still whole or absent: a report whose
    rows fail is left out (the group is written again a report at a time, which finds it, and
    the others are kept; its error is raised); a process killed outright loses the reports it
    had not yet written, never part of one. `on_recorded(Recorded)` is called for each report
    once it is committed."""

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
        self._digests: dict[str, _Digest] = {}
        self._common: set[int] = set()
        self._known: _Known | None = None
        self._insert = _RowInsert(_R, engine.dialect)
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
        self._push(_Queued(rows, rid, self.seq, now()))
        self.seq += 1
        return rid

    def error(self, err: InputError) -> None:
        self._push(_Queued(err, "", 0, now()))

    def _push(self, item: _Queued) -> None:
        if not self._queue:
            self._since = time.monotonic()
        self._queue.append(item)
        if len(self._queue) >= self.group or time.monotonic() - self._since >= self.group_seconds:
            self.flush()

    def flush(self) -> None:
        """Write the queued reports and errors in one transaction, each table's rows at once. If
        that fails, the group is written again a report at a time: a report whose rows fail is
        dropped and the rest written again; its error is raised afterwards."""
        todo, self._queue = self._queue, []
        failed: BaseException | None = None
        bulk = True
        while todo:
            at: int | None = None
            done: list[Recorded] = []
            known, self._known = self._known, None  # what the group changes in it counts once it commits
            try:
                with write(self.engine) as conn:
                    w = _Writer(conn, self._insert, self._digests, self._common, bulk, known)
                    w.prepare(q.item for q in todo if isinstance(q.item, Rows))
                    for i, q in enumerate(todo):
                        at = i
                        if isinstance(q.item, InputError):
                            w.error(self.batch_id, q.item)
                            continue
                        row = w.report(q.item, rid=q.rid, batch_id=self.batch_id, seq=q.seq,
                                       ruleset_hash=self.ruleset_hash, checked_at=q.checked_at)
                        done.append(Recorded(row["id"], row["version"], row["previous_id"], row["same_text"],
                                             row["dup_of_id"], row["dup_share"], row["source"]))
                    at = None
                    w.finish()
            except BaseException as e:
                if not isinstance(e, Exception):  # Ctrl-C while writing: queued again, for close()
                    self._queue = todo + self._queue
                    raise
                if bulk:  # which report's rows failed: a report at a time finds it
                    bulk = False
                    continue
                if at is None:  # not one report's fault (the connection, the commit): nothing of the group is kept
                    raise
                failed = failed or e
                todo = todo[:at] + todo[at + 1:]
                continue
            if len(self._common) < _COMMONS:
                self._common.update(w.new_common)
            if not w.pg and w.known.small():
                self._known = w.known
            for rid, digest in w.mine.items():
                _remember(self._digests, rid, digest)
            self.n_reports += len(done)
            self.n_errors += sum(isinstance(q.item, InputError) for q in todo)
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
