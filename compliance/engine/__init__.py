"""The inference engine: `evaluate(report, ruleset) -> ReportResult`.

One evidence pass turns the report into typed facts (`evidence.py`); a backend decides each
rule's status from them (`durable_backend.py`, with `reference.py` as the pure-Python reference
and fallback); messages, evidence quotes, traces, fingerprints and scores are assembled here.
"""

from __future__ import annotations

import hashlib
import os
import string
from typing import TYPE_CHECKING, Any, TypeGuard

from loguru import logger

from compliance.engine.memo import per_ruleset
from compliance.models import STATUSES, Evidence, Report, ReportResult, RuleResult, RulesetRef, Status, Trace

if TYPE_CHECKING:
    from compliance.rules.load import CompiledRule, CompiledRuleset

BACKENDS = ("auto", "durable", "reference")
MAX_EVIDENCE = 5
OTHER_WARNING = (
    "该文件未被识别为法治政府建设报告（文件类型为 other，例如政府工作报告、政府信息公开年度报告或新闻稿），"
    "所有规则均不适用，不计分。如确为法治政府建设年度报告，请用 --doc-type annual_report 指定文件类型后重新检查。"
)
_durable_ok: bool | None = None


def _durable_available() -> bool:
    global _durable_ok
    if _durable_ok is None:
        try:
            import durable.engine  # noqa: F401

            _durable_ok = True
        except Exception as exc:  # ImportError, or a C-API mismatch on newer Pythons
            logger.warning("durable_rules cannot be imported ({}); using the pure-Python reference backend", exc)
            _durable_ok = False
    return _durable_ok


def resolve_backend(backend: str = "auto") -> str:
    if backend == "auto":
        backend = os.environ.get("COMPLIANCE_BACKEND", "auto") or "auto"
    if backend not in BACKENDS:
        raise ValueError(f"unknown backend {backend!r} (choose from {', '.join(BACKENDS)})")
    if backend == "auto":
        return "durable" if _durable_available() else "reference"
    if backend == "durable" and not _durable_available():
        raise RuntimeError("the durable backend was requested but durable_rules cannot be imported")
    return backend


_fallen_back: set[str] = set()


def _is_status(s: str) -> TypeGuard[Status]:
    return s in STATUSES


def _checked(st: dict[str, str]) -> dict[str, Status]:
    """A backend's statuses, each one the contract knows."""
    out: dict[str, Status] = {}
    for rid, s in st.items():
        if not _is_status(s):
            raise RuntimeError(f"the backend gave rule {rid} an unknown status {s!r}")
        out[rid] = s
    return out


def statuses(facts, rs, backend: str, fallback: bool = False) -> tuple[dict[str, str], str]:
    """(status per rule, backend used). With `fallback`, a ruleset durable_rules cannot compile
    (its C limits) is evaluated by the reference backend, with one warning per ruleset."""
    from compliance.engine import reference

    if backend == "durable":
        from compliance.engine import durable_backend as db

        if not (fallback and rs.key in _fallen_back):
            try:
                return db.evaluate_facts(rs, facts), "durable"
            except db.DurableError as exc:
                if not fallback or rs.key in db._registered:
                    raise
                logger.warning("{}; using the pure-Python reference backend for this ruleset", exc)
                _fallen_back.add(rs.key)
    return reference.evaluate_facts(rs, facts), "reference"


_GAP = "\x00"  # stands for a placeholder without a value while a message is rendered
_OPEN, _CLOSE, _SEP = "（(", "）)", "，,；;、"
_UNSTATED = "未写明"


class _Fill(dict):
    def __missing__(self, key):
        return _GAP


def _drop_gaps(text: str) -> str:
    """Remove the clause around each placeholder that has no value, so a message never shows a
    dangling "—": `…的比例（算出的比例：{ratio}）。` → `…的比例。`; `（算出 {ratio}，写明 5%）` →
    `（写明 5%）`. A clause is bounded by a bracket, a comma/semicolon, `。` or the text's ends."""
    for _ in range(text.count(_GAP)):
        i = text.find(_GAP)
        if i < 0:
            break
        a = i
        while a > 0 and text[a - 1] not in _OPEN + _CLOSE + _SEP + "。":
            a -= 1
        b = i + 1
        while b < len(text) and text[b] not in _OPEN + _CLOSE + _SEP + "。":
            b += 1
        left = text[a - 1] if a > 0 else ""
        right = text[b] if b < len(text) else ""
        if left and left in _OPEN and right and right in _CLOSE:
            text = text[: a - 1] + text[b + 1:]  # the whole bracket was about the missing value
        elif right and right in _SEP:
            text = text[:a] + text[b + 1:]
        elif left and left in _SEP:
            text = text[: a - 1] + text[b:]
        else:
            text = text[:a] + text[b:]
    return text if text.strip().strip("。，,；;：: ") else ""


def _message(rule, status: str, values: dict[str, Any], doc_type: str = "") -> str:
    """The rule's message for `status` (in a plan document, `planned_in_plan` for planned)."""
    m = rule.message
    variant = "planned_in_plan" if status == "planned" and doc_type == "plan" and not isinstance(m, str) and m.planned_in_plan else status
    tmpl = m if isinstance(m, str) else (getattr(m, variant, None) or m.default)
    vals = _Fill({k: v for k, v in values.items() if not k.startswith("_") and not k.endswith("_ok")})
    try:
        out = string.Formatter().vformat(tmpl, (), vals)
    except (ValueError, IndexError, KeyError):
        return tmpl
    if _GAP in out:
        dropped = _drop_gaps(out)
        out = dropped or out.replace(_GAP, _UNSTATED)
    return out


_WANT = {"met": ("positive",), "partial": ("positive",), "self_reported_gap": ("negative",), "planned": ("planned",)}


_TRAIL = "。；;，,：:！!？? \t\u3000"


def _quote_key(line: int, text: str) -> tuple[int, str]:
    """A numbered item's lead sentence is indexed twice (as the heading and as the paragraph's
    first sentence); both give this key."""
    from compliance.text import normalize

    return line, normalize(text).strip(_TRAIL)


def _evidence(status: str, rev, ix) -> list[Evidence]:
    """Quotes, best first, at most MAX_EVIDENCE, each sentence once.

    Order: quotes with the polarity the status needs before the others; within them the tier
    that decided the status first; then a heading or an item's lead sentence, then a sentence
    stating a figure, then the rest (in check order)."""
    from compliance.engine.checks.base import unit_quote

    want = _WANT.get(status)
    if not want:
        return []
    tiers = ("met", "partial") if status != "partial" else ("partial", "met")
    with_metric = ix.metric_sents
    cands: list[tuple[tuple, tuple[int, str], Evidence]] = []  # (rank, quote key, evidence)
    seen: set = set()
    n = 0
    for ti, tier in enumerate(tiers):
        for o in rev.outcomes[tier]:
            for u in o.units:
                quote, line, section, role = unit_quote(ix, u)
                k = _quote_key(line, quote)
                if k in seen or not quote:
                    continue
                seen.add(k)
                if u.gi >= 0:
                    s = ix.sents[u.gi]
                    kind = 0 if (s.heading or s.lead) else 1 if u.gi in with_metric else 2
                else:
                    kind = 0  # a metadata line (落款 date, title): the very thing checked
                rank = (0 if u.polarity in want else 1, ti, kind, n)
                n += 1
                cands.append((rank, k, Evidence(quote=quote, line=line, section=section, role=role,
                                                polarity=u.polarity, cue=u.cue or None)))
    # an item's heading ("四是发挥法律顾问作用") opening the sentence that continues it on the same
    # line ("四是发挥法律顾问作用,市局…"): keep the sentence, at the better of the two ranks
    keep: list[int] = []
    on_line: dict[int, list[int]] = {}
    for i, (_, (line, _q), _ev) in enumerate(cands):
        on_line.setdefault(line, []).append(i)
    for i, (rank, (line, nq), _ev) in enumerate(cands):
        j = next((j for j in on_line[line] if len(cands[j][1][1]) > len(nq) and cands[j][1][1].startswith(nq)), None)
        if j is None:
            keep.append(i)
        else:
            cands[j] = (min(cands[j][0], rank), cands[j][1], cands[j][2])
    out = sorted((cands[i] for i in keep), key=lambda x: x[0])
    return [ev for _, _, ev in out[:MAX_EVIDENCE]]


def _depth(rid: str, rs, _seen: frozenset = frozenset()) -> int:
    """0 for evidence rules, 1 + the deepest input for derived ones (the loader rejects cycles)."""
    d = rs.rule(rid).rule.derived
    if d is None or rid in _seen:
        return 0
    return 1 + max((_depth(x, rs, _seen | {rid}) for x in d.from_ if any(c.id == x for c in rs.rules)), default=0)


@per_ruleset
def _eval_order(rs: CompiledRuleset) -> list[CompiledRule]:
    """Rules with derived ones last, so they can quote their inputs' evidence (once per ruleset)."""
    return sorted(rs.rules, key=lambda c: _depth(c.id, rs))


def _derived_evidence(inputs: list[str], done: dict[str, RuleResult]) -> list[Evidence]:
    """The inputs' best quotes, two each, in input order."""
    out: list[Evidence] = []
    seen: set = set()
    for d in inputs:
        r = done.get(d)
        if r is None:
            continue
        for e in r.evidence[:2]:
            k = _quote_key(e.line, e.quote)
            if k not in seen:
                seen.add(k)
                out.append(e)
    return out[:MAX_EVIDENCE]


def _fingerprint(rule_id: str, ev: list[Evidence]) -> str:
    from compliance.text import normalize

    if ev:
        key = f"{rule_id}|{normalize(ev[0].quote)}|{ev[0].section}"
    else:
        key = f"{rule_id}|missing"
    return hashlib.sha1(key.encode("utf-8")).hexdigest()


def _trace(rev, backend: str, status: str) -> Trace:
    """Held/failed conditions and search scopes, in Chinese: `【达标】label：满足（已落实的表述）`."""
    from compliance.engine.explain import POL_ZH, TIER_ZH

    held, failed, searched = [], [], []
    for tier in ("met", "partial"):
        for o in rev.outcomes[tier]:
            head = f"【{TIER_ZH[tier]}】{o.label}"
            if o.polarity:
                held.append(f"{head}：满足（{POL_ZH[o.polarity]}）")
            else:
                failed.append(f"{head}：未满足")
            if o.searched:
                searched.append(f"【{TIER_ZH[tier]}】{o.searched}")
    if not rev.applicable:
        failed.append(f"适用范围：{rev.na_reason}")
    reason = rev.values.get("_date_reason")
    if reason:
        failed.append(f"日期：{reason}")
    return Trace(backend=backend, held=held, failed=failed, searched=searched, near_misses=rev.near_misses[:8])


def _cue_timeouts(rs) -> list[str]:
    """A warning per regex cue that ran out of time on this report, naming the rules using it."""
    import json

    from compliance.rules.load import CUE_TIMEOUT, take_timeouts

    out = []
    for raw in take_timeouts():
        needle = json.dumps(raw, ensure_ascii=False)[1:-1]
        ids = [cr.id for cr in rs.rules if needle in cr.rule.model_dump_json()]
        out.append(f"规则 {', '.join(ids) or '?'} 的线索 {raw} 匹配超过 {CUE_TIMEOUT:g} 秒，已跳过 "
                   f"(regex cue timed out and was skipped; the rule may be judged without it)")
    return out


def evaluate(report: Report, ruleset, backend: str = "auto", trace: bool = True) -> ReportResult:
    """One report against a compiled ruleset (or a ruleset name/path)."""
    from compliance.engine.evidence import run_pass
    from compliance.engine.score import credits, earned, score
    from compliance.rules.load import CompiledRuleset, load_ruleset, take_timeouts

    rs: CompiledRuleset = ruleset if isinstance(ruleset, CompiledRuleset) else load_ruleset(ruleset)
    from compliance.engine.explain import descriptions

    descriptions(rs)  # the cues' readable forms, from the prepared cache when it has them
    take_timeouts()  # only this report's
    be = resolve_backend(backend)
    auto = backend == "auto" and os.environ.get("COMPLIANCE_BACKEND", "auto") in ("", "auto")
    warnings = list(report.warnings)
    ref = RulesetRef(name=rs.name, version=rs.version, chain=list(rs.chain))
    results: list[RuleResult] = []

    if report.meta.doc_type == "other":
        warnings.append(OTHER_WARNING)
        for cr in rs.rules:
            r = cr.rule
            results.append(RuleResult(
                rule_id=r.id, family=r.family, title=r.title, status="not_applicable", severity=r.severity,
                points=r.points, earned=0.0, message=cr.disabled or "文件类型为 other，不适用", basis=list(r.basis),
                remediation=r.remediation, fingerprint=_fingerprint(r.id, []),
            ))
        return ReportResult(source=report.source, sha256=report.sha256, meta=report.meta, sections=report.sections,
                            ruleset=ref, results=results, score=score(results, rs.scoring), warnings=warnings)

    ev = run_pass(report, rs)
    got, be = statuses(ev.facts, rs, be, fallback=auto)
    st = _checked(got)
    cred = credits(rs.scoring, report.meta.doc_type == "plan")
    done: dict[str, RuleResult] = {}
    # derived rules last, so they can quote their inputs' evidence
    for cr in _eval_order(rs):
        r = cr.rule
        status = st[r.id]
        rev = ev.rules[r.id]
        evid = _evidence(status, rev, ev.index)
        tr = _trace(rev, be, status) if trace else None
        if tr is not None and status == "missing" and r.derived is None and not tr.near_misses:
            from compliance.engine.explain import rule_phrases, ruleset_vocabulary, similar_passages

            tr.near_misses = similar_passages(ev.index, rule_phrases(r), vocabulary=ruleset_vocabulary(rs))
        if cr.disabled is not None:
            msg = cr.disabled
        elif status == "not_applicable" and r.derived is None and not rev.applicable:
            msg = _message(r, status, rev.values) if not isinstance(r.message, str) and r.message.not_applicable else rev.na_reason
        else:
            if r.derived is not None:
                rev.values.setdefault("found", r.derived.found(st))
                evid = _derived_evidence(r.derived.from_, done)
                if tr is not None:
                    tr.held.append(r.derived.held(st))
            elif "found" not in rev.values:
                cues = []
                for tier in ("met", "partial"):
                    for o in rev.outcomes[tier]:
                        cues += [u.cue for u in o.units if u.cue and u.cue not in cues]
                if cues:
                    rev.values["found"] = "、".join(cues[:5])
            n = sum(len(o.units) for t in ("met", "partial") for o in rev.outcomes[t])
            rev.values.setdefault("count", n)
            msg = _message(r, status, rev.values, report.meta.doc_type)
        done[r.id] = RuleResult(
            rule_id=r.id, family=r.family, title=r.title, status=status, severity=r.severity, points=r.points,
            earned=earned(r.points, status, cred), message=msg, basis=list(r.basis), evidence=evid,
            remediation=r.remediation, trace=tr, fingerprint=_fingerprint(r.id, evid),
        )
    results = [done[cr.id] for cr in rs.rules]
    warnings.extend(_cue_timeouts(rs))
    return ReportResult(source=report.source, sha256=report.sha256, meta=report.meta, sections=report.sections,
                        ruleset=ref, results=results, score=score(results, rs.scoring), warnings=warnings)


__all__ = ["evaluate", "resolve_backend", "statuses"]
