"""Score rule verdicts on real report openings that are not in the repository.

usage: python tools/audit_rules.py [AUDIT_DIR] [--verbose] [--json OUT] [--labels FILE]

AUDIT_DIR (default: $COMPLIANCE_RULES_AUDIT_DIR) holds `labels.yaml` and `openings/*.txt`: openings
(title, header and first paragraphs) of real reports found with the search tool, kept out of the
repository (third-party text). A label gives, per opening, the type to check it as (`doc_type`,
passed like `--doc-type`, since an opening may be typed otherwise) and `rules`: for each rule
whose evidence or near-evidence appears in the opening, the statuses a careful reader accepts
(the first is the reader's own choice). A rule not listed is expected `missing`: an opening is
only part of a report, so silence is scored only where the checker claims something.

Scored pairs (opening, rule): every labelled rule, plus every unlabelled rule the checker gives
a status other than missing / not_applicable (a claim a reader did not accept). Rules decided by
the whole document (AR-01 period, AR-02 structure, AR-07 date) and the derived TES-01 are scored
only when labelled. Each opening goes through the real reader, normalizer and engine
(`compliance.pipeline.check_file`, ruleset `auto`), so the figures are those of `compliance check`.

Prints: status agreement (the checker's status is one the reader accepts); finding precision and
recall as `score_gold.py` counts them (a finding is a status other than met / not_applicable);
evidence precision and recall (the checker credits evidence — any status but missing — where
the reader accepts some evidence, and finds it where the reader's own choice is not missing);
a per-rule table; with --verbose, every miss with the checker's first quote.
"""

from __future__ import annotations

import json
import sys
from collections import Counter


WHOLE_DOCUMENT = {"AR-01", "AR-02", "AR-07", "TES-01"}  # scored only when labelled
OK_STATES = {"met", "not_applicable"}
NO_CLAIM = {"missing", "not_applicable"}


def _pairs(label: dict, results: dict[str, tuple[str, str]]) -> list[tuple[str, list[str], str, str]]:
    """(rule, accepted statuses, got status, first quote) for every scored pair of one opening."""
    want = {rid: list(v) for rid, v in (label.get("rules") or {}).items()}
    out = []
    for rid, (got, quote) in results.items():
        if rid in want:
            out.append((rid, want[rid], got, quote))
        elif got not in NO_CLAIM and rid not in WHOLE_DOCUMENT:
            out.append((rid, ["missing"], got, quote))
    for rid in want.keys() - results.keys():  # a labelled rule the ruleset does not have
        out.append((rid, want[rid], "<absent>", ""))
    return out


def main(argv: list[str] | None = None) -> int:
    from _audit import audit_args

    a, labels = audit_args(__doc__, "COMPLIANCE_RULES_AUDIT_DIR", "write every scored pair here", argv)
    from compliance.pipeline import check_file

    right = total = 0
    tp = fp = fn = 0
    cred = cred_ok = ev_want = ev_found = 0
    per_rule: Counter[str] = Counter()
    per_rule_ok: Counter[str] = Counter()
    misses: list[str] = []
    rows = []
    for lab in labels:
        path = a.audit_dir / "openings" / lab["file"]
        res = check_file(path, doc_type=lab.get("doc_type"))
        results = {r.rule_id: (r.status, r.evidence[0].quote if r.evidence else "") for r in res.results}
        for rid, accepted, got, quote in _pairs(lab, results):
            ok = got in accepted
            total += 1
            right += ok
            per_rule[rid] += 1
            per_rule_ok[rid] += ok
            gold_gap, got_gap = accepted[0] not in OK_STATES, got not in OK_STATES and got != "<absent>"
            if got_gap and gold_gap:
                tp += 1
            elif got_gap and not ok:
                fp += 1
            elif gold_gap and not got_gap and not ok:
                fn += 1
            if got not in NO_CLAIM and got != "<absent>":
                cred += 1
                cred_ok += any(s not in NO_CLAIM for s in accepted)
            if accepted[0] not in NO_CLAIM:
                ev_want += 1
                ev_found += got not in NO_CLAIM and got != "<absent>"
            if not ok:
                misses.append(f"{lab['file']} {rid}: got {got}, want {accepted}  「{quote[:70]}」")
            rows.append({"file": lab["file"], "rule": rid, "accepted": accepted, "got": got, "ok": ok, "quote": quote})

    def ratio(n: int, d: int) -> str:
        return f"{n / d:.3f}" if d else "—"

    print(f"openings: {len(labels)}  scored pairs: {total}")
    print(f"status_agreement={ratio(right, total)} ({right}/{total})  "
          f"finding_p={ratio(tp, tp + fp)} finding_r={ratio(tp, tp + fn)}  "
          f"evidence_p={ratio(cred_ok, cred)} ({cred_ok}/{cred}) evidence_r={ratio(ev_found, ev_want)} ({ev_found}/{ev_want})")
    print("\nrule     agree")
    for rid in sorted(per_rule):
        print(f"{rid:9s} {per_rule_ok[rid]:3d}/{per_rule[rid]:3d}")
    if a.verbose:
        print()
        for m in misses:
            print("  ", m)
    if a.json:
        a.json.write_text(json.dumps(rows, ensure_ascii=False, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
