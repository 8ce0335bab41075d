"""Score metadata and document type on real report openings that are not in the repository.

usage: python tools/audit_openings.py [AUDIT_DIR] [--verbose] [--json OUT] [--labels FILE]

AUDIT_DIR (default: $COMPLIANCE_AUDIT_DIR) holds `labels.yaml` and `openings/*.txt`: openings of real
reports, notices and news found with the search tool, kept out of the repository (third-party
text). Each label gives what a careful reader writes down: `province`, `doc_type`, `year` (the
last year the document covers) and `issuer`; a list means any of its values is accepted, and a
missing or null value is not scored. Each opening goes through the real reader and normalizer
(`compliance.pipeline.load_report`), so the numbers are those of `compliance check`.

Prints accuracy per field, a confusion table of document types (rows: the reader's type, columns:
the detected type) and, with --verbose, every miss. The table is what docs/accuracy.md quotes.
"""

from __future__ import annotations

import json
import sys
from collections import Counter


FIELDS = ("province", "doc_type", "year", "issuer")


def _accepted(v) -> list[str | None] | None:
    """The values a reader accepts; a list may hold null ("no value is also right")."""
    if v is None:
        return None
    return [None if x is None else str(x) for x in v] if isinstance(v, list) else [str(v)]


def _got(report) -> dict[str, str | None]:
    m = report.meta
    return {
        "province": m.province,
        "doc_type": m.doc_type,
        "year": str(m.period[1]) if m.period else None,
        "issuer": m.issuer,
    }


def main(argv: list[str] | None = None) -> int:
    from _audit import audit_args

    a, labels = audit_args(__doc__, "COMPLIANCE_AUDIT_DIR", "write per-opening results here", argv)
    from compliance.pipeline import load_report

    right: Counter[str] = Counter()
    total: Counter[str] = Counter()
    confusion: Counter[tuple[str, str]] = Counter()
    misses: list[str] = []
    rows = []
    for lab in labels:
        path = a.audit_dir / "openings" / lab["file"]
        try:
            report = load_report(path)
            got = _got(report)
            warnings = list(report.warnings)
        except Exception as exc:  # noqa: BLE001 - an unreadable opening is a miss on every field
            got = {f: None for f in FIELDS}
            warnings = [f"error: {exc}"]
        for f in FIELDS:
            want = _accepted(lab.get(f))
            if want is None and not (f == "province" and "province" in lab):
                continue
            total[f] += 1
            ok = (got[f] is None) if want is None else (got[f] in want)
            right[f] += ok
            if not ok:
                misses.append(f"{lab['file']}: {f} got {got[f]!r}, want {want or None}")
        want_type = _accepted(lab.get("doc_type")) or ["?"]
        shown = got["doc_type"] if got["doc_type"] in want_type else want_type[0]
        confusion[(shown, got["doc_type"] or "?")] += 1
        rows.append({"file": lab["file"], "got": got, "warnings": warnings})

    print(f"openings: {len(labels)}")
    for f in FIELDS:
        print(f"{f:9s} {right[f]:3d}/{total[f]:3d}  {100 * right[f] / total[f] if total[f] else 0:5.1f}%")
    types = sorted({t for pair in confusion for t in pair})
    print("\nreader \\ detected | " + " | ".join(types))
    for t in types:
        if any(confusion[(t, d)] for d in types):
            print(f"{t} | " + " | ".join(str(confusion[(t, d)] or "·") for d in types))
    if a.verbose:
        print()
        for m in misses:
            print("  ", m)
    if a.json:
        a.json.write_text(json.dumps(rows, ensure_ascii=False, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
