"""The reference backend: the same compiled rules over the same facts, in plain Python.

It defines what the durable backend must produce (a differential test compares them) and is
the fallback where durable_rules cannot be imported (Python 3.13, no C compiler).
"""

from __future__ import annotations

from compliance.engine.facts import DocFact, Fact, HitFact, StatusFact, combine
from compliance.rules.discovery import province_key
from compliance.rules.load import CompiledRuleset


def doc_applies(rule, doc: DocFact) -> bool:
    """The applicability test the durable backend compiles into a condition on the doc fact."""
    if doc.doc_type not in rule.applies_to:
        return False
    w = rule.when
    if w is None:
        return True
    if w.period_end_min is not None and doc.has_period and doc.period_end < w.period_end_min:
        return False
    if w.period_end_max is not None and doc.has_period and doc.period_end > w.period_end_max:
        return False
    if w.province is not None and doc.province not in {province_key(p) for p in w.province}:
        return False
    if w.level is not None and doc.level not in w.level:
        return False
    return True


def status_from_hits(hits: list[HitFact]) -> str:
    """Precedence: met > partial > self_reported_gap > planned > missing."""
    have = {(h.tier, h.polarity) for h in hits}
    if ("met", "positive") in have:
        return "met"
    if ("partial", "positive") in have:
        return "partial"
    if any(p == "negative" for _, p in have):
        return "self_reported_gap"
    if any(p == "planned" for _, p in have):
        return "planned"
    return "missing"


def evaluate_facts(rs: CompiledRuleset, facts: list[Fact]) -> dict[str, str]:
    doc = next(f for f in facts if isinstance(f, DocFact))
    hits: dict[str, list[HitFact]] = {}
    status: dict[str, str] = {}
    for f in facts:
        if isinstance(f, HitFact):
            hits.setdefault(f.rule, []).append(f)
        elif isinstance(f, StatusFact):
            status[f.rule] = f.status
    pending = []
    for cr in rs.rules:
        if cr.id in status:
            continue
        if not doc_applies(cr.rule, doc):
            status[cr.id] = "not_applicable"
        elif cr.rule.derived is not None:
            pending.append(cr)
        else:
            status[cr.id] = status_from_hits(hits.get(cr.id, []))
    # derived rules in dependency order (the loader rejects cycles)
    while pending:
        progressed = False
        for cr in list(pending):
            derived = cr.rule.derived
            assert derived is not None  # pending holds the derived rules
            deps = derived.from_
            if all(d in status for d in deps):
                status[cr.id] = combine(derived.mode, [status[d] for d in deps])
                pending.remove(cr)
                progressed = True
        if not progressed:
            raise RuntimeError("derived rules could not be resolved: " + ", ".join(c.id for c in pending))
    return {cr.id: status[cr.id] for cr in rs.rules}
