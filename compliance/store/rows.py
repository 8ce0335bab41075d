"""A checked report as the store's rows, built where the report was checked (a batch worker, the
web app): no SQLAlchemy here, so a worker never imports it (half a second per process).

`document` is the report's JSON, zstd-compressed; `rules` are its rule rows in column order
(`RULE_COLS`); what is taken from the text (sentence hashes, the kept text) is in
`compliance.store.digest`."""

from __future__ import annotations

import re
import threading
import unicodedata
from dataclasses import dataclass, field

from compliance.models import ReportResult

FINDING = ("partial", "planned", "self_reported_gap", "missing")
RULE_COLS = ("rule_id", "family", "severity", "status", "points", "earned", "waived", "waiver_reason", "fingerprint")
LEVEL = 1  # zstd: level 1 compresses a report's JSON in about half the time of the default 3, 6% larger

_local = threading.local()  # a compressor per thread (one is not safe to share; making one per call cost a third more)


def pack(data: bytes) -> bytes:
    """zstd: about three times faster than zlib on this text, at a similar size."""
    zc = getattr(_local, "zc", None)
    if zc is None:
        import zstandard

        zc = _local.zc = zstandard.ZstdCompressor(level=LEVEL)
    return zc.compress(data)


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
