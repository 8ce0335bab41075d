"""The evidence pass: one scan of a normalized report for every cue of a ruleset
(`compliance.engine.index`), then each rule's checks evaluated (`compliance.engine.checks`) into
typed facts (for a backend) and, kept in Python, the quotes, near misses and figures that
explain them.

Text work happens here, not in the Rete: durable_rules' regex dialect and coercions are traps,
and clause-scoped negation needs positions. A backend only decides statuses from the facts.
"""

from __future__ import annotations

from dataclasses import dataclass

from compliance.engine.checks import evaluate
from compliance.engine.checks.base import RuleEvidence
from compliance.engine.checks.context import CheckContext
from compliance.engine.facts import DocFact, Fact, HitFact, StatusFact
from compliance.engine.index import Index, build_index
from compliance.labels import DOC_TYPE_ZH
from compliance.models import Report
from compliance.rules.discovery import province_key
from compliance.rules.load import CompiledRule, CompiledRuleset


@dataclass
class EvidenceResult:
    facts: list[Fact]
    rules: dict[str, RuleEvidence]
    index: Index
    doc: DocFact


def doc_fact(report: Report) -> DocFact:
    m = report.meta
    end = 0
    has = False
    if m.period:
        end, has = int(m.period[1]), True
    elif m.date is not None:
        end, has = m.date.year - 1, True  # a report is dated in the year after its period
    return DocFact(
        doc_type=m.doc_type, has_period=has, period_end=end, province=province_key(m.province or ""),
        level=m.level or "", has_date=(m.date or m.published) is not None, plan=m.doc_type == "plan",
    )


def applicable(cr: CompiledRule, doc: DocFact) -> tuple[bool, str]:
    """(applies, why not) — the decision itself is reference.doc_applies, shared by both backends."""
    from compliance.engine.reference import doc_applies

    r = cr.rule
    if doc_applies(r, doc):
        return True, ""
    if doc.doc_type not in r.applies_to:
        return False, f"不适用于此类文件（{DOC_TYPE_ZH.get(doc.doc_type, doc.doc_type)}）"
    w = r.when
    if w is not None:
        if w.period_end_min is not None and doc.has_period and doc.period_end < w.period_end_min:
            return False, f"仅适用于{w.period_end_min}年及以后的报告期"
        if w.period_end_max is not None and doc.has_period and doc.period_end > w.period_end_max:
            return False, f"仅适用于{w.period_end_max}年及以前的报告期"
        if w.province is not None and doc.province not in {province_key(p) for p in w.province}:
            return False, "不适用于本省份"
        if w.level is not None and doc.level not in w.level:
            return False, "不适用于本级别"
    return False, "不适用"


def run_pass(report: Report, rs: CompiledRuleset) -> EvidenceResult:
    """Every rule's checks over one index of the report."""
    ix = build_index(report, rs)
    doc = doc_fact(report)
    facts: list[Fact] = [doc]
    rules: dict[str, RuleEvidence] = {}
    for cr in rs.rules:
        rid = cr.id
        if cr.disabled is not None:
            rules[rid] = RuleEvidence(rid, False, cr.disabled)
            facts.append(StatusFact(id=f"status:{rid}", rule=rid, status="not_applicable"))
            continue
        ok, why = applicable(cr, doc)
        ev = RuleEvidence(rid, ok, why)
        rules[rid] = ev
        if not ok or cr.rule.evidence is None:
            continue
        ctx = CheckContext(ix, rs, cr, ev)
        for tier in ("met", "partial"):
            counts: dict[str, int] = {}
            for c in getattr(cr.rule.evidence, tier):
                o = evaluate(ctx, c)
                ev.outcomes[tier].append(o)
                if o.polarity is not None:
                    counts[o.polarity] = counts.get(o.polarity, 0) + 1
            for pol in ("positive", "negative", "planned"):
                if counts.get(pol):
                    facts.append(HitFact(id=f"hit:{rid}:{tier}:{pol}", rule=rid, tier=tier, polarity=pol, count=counts[pol]))
    return EvidenceResult(facts, rules, ix, doc)
