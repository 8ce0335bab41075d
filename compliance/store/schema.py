"""The store's tables (SQLAlchemy 2). The migrations in `migrations/versions` create and change
them; a change here needs a new migration (tests/test_store.py checks that they agree).

A report row is one check of one file: who issued it and for when, the ruleset, score and grade,
plus the check's full JSON (compressed, as `compliance check --format json` gives it) so a page
can be shown again exactly, quotes with their lines included. `rule_results` holds each rule's
status and points as rows to query; the report text itself is kept only when asked (`text_z`)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class Base(DeclarativeBase):
    pass


class Batch(Base):
    """One `check --record` run or one web upload; `status` stays "running" if it was cut short."""

    __tablename__ = "batches"
    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    origin: Mapped[str] = mapped_column(String(16))  # cli | web
    ruleset: Mapped[str] = mapped_column(String(200))
    started_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    finished_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    status: Mapped[str] = mapped_column(String(16))  # running | complete | interrupted
    n_reports: Mapped[int] = mapped_column(Integer, default=0)
    n_errors: Mapped[int] = mapped_column(Integer, default=0)


class InputErrorRow(Base):
    __tablename__ = "input_errors"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    batch_id: Mapped[str] = mapped_column(ForeignKey("batches.id", ondelete="CASCADE"), index=True)
    source: Mapped[str] = mapped_column(Text)
    error: Mapped[str] = mapped_column(Text)


class ReportRow(Base):
    __tablename__ = "reports"
    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    batch_id: Mapped[str | None] = mapped_column(ForeignKey("batches.id", ondelete="SET NULL"), index=True)
    seq: Mapped[int] = mapped_column(Integer, default=0)  # position in its batch
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    source: Mapped[str] = mapped_column(Text)
    title: Mapped[str | None] = mapped_column(Text)
    issuer: Mapped[str | None] = mapped_column(Text)
    issuer_key: Mapped[str | None] = mapped_column(String(200))  # issuer without spaces/punctuation
    province: Mapped[str | None] = mapped_column(String(50))
    city: Mapped[str | None] = mapped_column(String(50))
    county: Mapped[str | None] = mapped_column(String(50))
    level: Mapped[str | None] = mapped_column(String(16))
    doc_type: Mapped[str] = mapped_column(String(32))
    period_start: Mapped[int | None] = mapped_column(Integer)
    period_end: Mapped[int | None] = mapped_column(Integer)
    year: Mapped[int | None] = mapped_column(Integer)  # the period's last year, else the date's
    date: Mapped[dt.date | None] = mapped_column(Date)
    doc_number: Mapped[str | None] = mapped_column(Text)
    ruleset_name: Mapped[str] = mapped_column(String(200))
    ruleset_version: Mapped[str] = mapped_column(String(64))
    ruleset_chain: Mapped[list] = mapped_column(JSON)
    ruleset_hash: Mapped[str | None] = mapped_column(String(64))
    score_total: Mapped[float | None] = mapped_column(Float)
    grade: Mapped[str | None] = mapped_column(String(8))
    by_family: Mapped[dict] = mapped_column(JSON)
    n_applicable: Mapped[int] = mapped_column(Integer)
    n_met: Mapped[int] = mapped_column(Integer)
    n_findings: Mapped[int] = mapped_column(Integer)
    tool_version: Mapped[str] = mapped_column(String(32))
    checked_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), index=True)
    # resubmission: the same issuer and period checked before
    version: Mapped[int] = mapped_column(Integer, default=1)
    previous_id: Mapped[str | None] = mapped_column(ForeignKey("reports.id", ondelete="SET NULL"))
    same_text: Mapped[bool] = mapped_column(Boolean, default=False)  # same file as the previous check
    superseded: Mapped[bool] = mapped_column(Boolean, default=False)  # a later check of the same issuer+period exists
    document: Mapped[bytes] = mapped_column(LargeBinary)  # zstd(ReportResult JSON)
    text_z: Mapped[bytes | None] = mapped_column(LargeBinary)  # zstd(input lines), only when asked
    # copied text (migration 0002): the sentence hashes (compliance.store.digest), and the earlier
    # report of another bureau or period that shares the largest share of them, when that is high
    sentences: Mapped[bytes | None] = mapped_column(LargeBinary)
    dup_of_id: Mapped[str | None] = mapped_column(ForeignKey("reports.id", ondelete="SET NULL"))
    dup_share: Mapped[float | None] = mapped_column(Float)

    __table_args__ = (
        Index("ix_reports_issuer_period", "issuer_key", "period_end", "period_start"),
        Index("ix_reports_current", "superseded", "year"),
        # covering the stats by place, year and type (migration 0003): no read of the wide rows
        Index("ix_reports_stats", "superseded", "province", "city", "year", "doc_type", "score_total",
              "n_met", "n_applicable", "n_findings"),
    )


class SketchRow(Base):
    """The bottom-k MinHash of each report's sentences: the index that finds copy candidates."""

    __tablename__ = "sketch"
    value: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    report_id: Mapped[str] = mapped_column(ForeignKey("reports.id", ondelete="CASCADE"), primary_key=True)


class RuleTally(Base):
    """How many current reports (the latest check of each) got each status on each rule, per place,
    year and type: `stats --by rule` and the cohort page read this instead of every rule row
    (migration 0003). Kept by records.Recorder in the transaction that writes the report; '' and 0
    stand for an unknown province or year (a key column cannot be NULL). No city: that would
    multiply its rows by the cities; a city filter reads the rule rows."""

    __tablename__ = "rule_tally"
    rule_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    province: Mapped[str] = mapped_column(String(50), primary_key=True)
    year: Mapped[int] = mapped_column(Integer, primary_key=True)
    doc_type: Mapped[str] = mapped_column(String(32), primary_key=True)
    status: Mapped[str] = mapped_column(String(24), primary_key=True)
    waived: Mapped[bool] = mapped_column(Boolean, primary_key=True)
    n: Mapped[int] = mapped_column(Integer)


class RuleResultRow(Base):
    __tablename__ = "rule_results"
    report_id: Mapped[str] = mapped_column(ForeignKey("reports.id", ondelete="CASCADE"), primary_key=True)
    rule_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    family: Mapped[str] = mapped_column(String(32))
    severity: Mapped[str] = mapped_column(String(16))
    status: Mapped[str] = mapped_column(String(24))
    points: Mapped[float] = mapped_column(Float)
    earned: Mapped[float] = mapped_column(Float)
    waived: Mapped[bool] = mapped_column(Boolean, default=False)
    waiver_reason: Mapped[str | None] = mapped_column(Text)
    fingerprint: Mapped[str] = mapped_column(String(64))

    __table_args__ = (Index("ix_rule_results_rule_status", "rule_id", "status"),)
