"""The durable_rules backend: a CompiledRuleset compiled to a durable JSON ruleset.

The traps it avoids (see research/durable_rules.md): the host's timer threads are switched off
before the first host exists; the ruleset is registered once per process under `<name>@<hash>`;
one `sid` per report; a batch only of facts some rule joins (an unjoined fact in a batch defers
its actions); exceptions swallowed into the state are raised; the session state is deleted in
`finally`. Results are collected in Python, outside the engine.

Facts go in as: doc, begin (and status facts of disabled rules) one by one, then all hits in one
batch, then one end marker per rule in one batch. A rule's status rules join its end marker with
its applicability group's marker and use `none()` for precedence, so exactly one status fires per
rule; a status action asserts a status fact when a derived rule joins it (forward chaining).
"""

from __future__ import annotations

import itertools
import json
import threading

from loguru import logger

from compliance.engine.facts import BeginFact, EndFact, Fact, HitFact, StatusFact, combine
from compliance.engine.memo import per_ruleset
from compliance.rules.discovery import province_key
from compliance.rules.load import CompiledRule, CompiledRuleset

_lock = threading.RLock()
_host = None
_registered: set[str] = set()
_results: dict[str, dict[str, list[str]]] = {}  # sid -> rule -> statuses fired
_sids = itertools.count(1)

ERRORS = {  # src/rules/rules.h of durable_rules 2.0.28
    "106": "too many rules in one ruleset",
    "107": "a Rete node has more than 128 alpha successors",
    "108": "a Rete node has more than 256 beta successors",
    "109": "a rule condition without a name",
    "113": "a rule expression is too long",
    "302": "a fact has more than 255 properties",
    "307": "an action was completed twice (timer threads racing)",
    "309": "the session does not exist",
    "502": "a regex has too many transitions",
    "503": "a regex has too many states",
}


class DurableError(RuntimeError):
    pass


def _get_host():
    global _host
    with _lock:
        if _host is None:
            from durable import engine

            engine.Host._run = lambda self: None  # no background dispatcher threads
            _host = engine.Host()
        return _host


# --------------------------------------------------------------------------- compile


def _eq(**kv) -> list[dict]:
    return [{k: v} for k, v in kv.items()]


def _and(*terms) -> dict:
    flat = []
    for t in terms:
        flat.extend(t if isinstance(t, list) else [t])
    return {"$and": flat} if len(flat) > 1 else flat[0]


def _or(terms: list[dict]) -> dict:
    return {"$or": terms} if len(terms) > 1 else terms[0]


def applies_condition(cr: CompiledRule) -> dict:
    """The doc fact condition under which the rule applies (mirrors reference.doc_applies)."""
    r = cr.rule
    terms: list = [{"kind": "doc"}, _or([{"doc_type": d} for d in r.applies_to])]
    w = r.when
    if w is not None:
        if w.period_end_min is not None:
            terms.append(_or([{"has_period": False}, {"$gte": {"period_end": w.period_end_min}}]))
        if w.period_end_max is not None:
            terms.append(_or([{"has_period": False}, {"$lte": {"period_end": w.period_end_max}}]))
        if w.province is not None:
            terms.append(_or([{"province": province_key(p)} for p in dict.fromkeys(w.province)]))
        if w.level is not None:
            terms.append(_or([{"level": lv} for lv in w.level]))
    return _and(*terms)


def _hit(rid: str, tier: str | None = None, pol: str | None = None) -> dict:
    t = [{"kind": "hit"}, {"rule": rid}]
    if tier:
        t.append({"tier": tier})
    if pol:
        t.append({"polarity": pol})
    return _and(*t)


def _action(rs_key: str, rid: str, status: str | None, derived: CompiledRule | None = None, *, chain: bool = True):
    """A status action; with `chain`, it also asserts the status fact a derived rule joins."""
    from durable.engine import MessageNotHandledException, MessageObservedException

    spec = derived.rule.derived if derived else None
    mode = spec.mode if spec else None
    deps = spec.from_ if spec else []

    def run(c):
        sid = c.s["sid"]
        st = status
        if derived is not None:
            st = combine(mode, [getattr(c, f"d{i}")["status"] for i in range(len(deps))])
        _results.setdefault(sid, {}).setdefault(rid, []).append(st)
        if not chain:
            return
        try:
            c.assert_fact({"kind": "status", "id": f"status:{rid}", "rule": rid, "status": st, "sid": sid})
        except (MessageNotHandledException, MessageObservedException):
            pass

    return run


GROUP = 16  # rules per applicability group: 8 status rules each join the group's `app` fact


def _app_groups(rs: CompiledRuleset) -> tuple[list[dict], dict[str, int]]:
    """Applicability groups: rules with the same condition, at most GROUP per group.

    The condition is decided once per group (an `app#g` or `napp#g` marker), and a rule's status
    rules join that marker directly. The Rete core caps a node's beta successors at 256, so a
    group is kept small enough for its marker to feed all its rules' status rules."""
    conds: list[dict] = []
    of: dict[str, int] = {}
    by_key: dict[str, int] = {}  # condition -> the group being filled
    size: list[int] = []
    for cr in rs.rules:
        if cr.disabled is not None:
            continue
        c = applies_condition(cr)
        k = json.dumps(c, sort_keys=True, ensure_ascii=False)
        g = by_key.get(k)
        if g is None or size[g] >= GROUP:
            g = by_key[k] = len(conds)
            conds.append(c)
            size.append(0)
        size[g] += 1
        of[cr.id] = g
    return conds, of


def compile_ruleset(rs: CompiledRuleset) -> dict:
    """{`<name>@<hash>`: {rule name: {all: [...], run: callable}}}.

    The Rete core caps a node's successors (128 alpha, 256 beta), so nothing joins one shared
    fact from every rule: applicability is decided once per group of rules with the same
    condition (`app#g` / `napp#g` markers), each rule has its own end marker, and a rule's
    status rules join its end marker with its group's marker.
    """
    key = rs.key
    out: dict = {}
    conds, grp = _app_groups(rs)
    feeds = {d for cr in rs.rules if cr.rule.derived is not None for d in cr.rule.derived.from_}  # statuses joined
    for g, cond in enumerate(conds):
        out[f"app#{g}"] = {"all": [{"d": cond}], "run": _mark({"kind": "app", "k": g, "id": f"app:{g}"})}
        out[f"napp#{g}"] = {"all": [{"b": {"kind": "begin"}}, {"n$not": cond}], "run": _mark({"kind": "napp", "k": g, "id": f"napp:{g}"})}
    for cr in rs.rules:
        if cr.disabled is not None:
            continue
        rid = cr.id
        g = grp[rid]
        chain = rid in feeds

        def rule(name: str, terms: list, status: str | None, derived: CompiledRule | None = None) -> None:
            out[f"{rid}#{name}"] = {"all": terms, "run": _action(key, rid, status, derived, chain=chain)}

        end = {"e": _and({"kind": "end"}, {"rule": rid})}
        rule("not_applicable", [end, {"a": _and({"kind": "napp"}, {"k": g})}], "not_applicable")
        go = [end, {"g": _and({"kind": "app"}, {"k": g})}]
        if cr.rule.derived is not None:
            terms = go + [{f"d{i}": _and({"kind": "status"}, {"rule": dep})} for i, dep in enumerate(cr.rule.derived.from_)]
            rule("derived", terms, None, cr)
            continue
        no_pos = {"np$not": _hit(rid, None, "positive")}
        no_neg = {"nn$not": _hit(rid, None, "negative")}
        rule("met", go + [{"h": _hit(rid, "met", "positive")}], "met")
        rule("partial", go + [{"h": _hit(rid, "partial", "positive")}, {"x$not": _hit(rid, "met", "positive")}], "partial")
        rule("gap_met", go + [{"h": _hit(rid, "met", "negative")}, no_pos], "self_reported_gap")
        rule("gap_partial", go + [{"h": _hit(rid, "partial", "negative")}, no_pos, {"x$not": _hit(rid, "met", "negative")}],
             "self_reported_gap")
        rule("planned_met", go + [{"h": _hit(rid, "met", "planned")}, no_pos, no_neg], "planned")
        rule("planned_partial", go + [{"h": _hit(rid, "partial", "planned")}, no_pos, no_neg, {"x$not": _hit(rid, "met", "planned")}],
             "planned")
        rule("missing", go + [{"x$not": _hit(rid)}], "missing")
    return {key: out}


def _mark(fact: dict):
    """An action that only asserts a marker fact (forward chaining inside the session)."""
    from durable.engine import MessageNotHandledException, MessageObservedException

    def run(c):
        f = dict(fact)
        f["sid"] = c.s["sid"]
        try:
            c.assert_fact(f)
        except (MessageNotHandledException, MessageObservedException):
            pass

    return run


def ensure_registered(rs: CompiledRuleset) -> str:
    key = rs.key
    with _lock:
        if key not in _registered:
            host = _get_host()
            try:
                host.register_rulesets(compile_ruleset(rs))
            except Exception as exc:
                raise DurableError(f"durable_rules cannot compile ruleset {key}: {_explain(exc)}") from exc
            _registered.add(key)
            logger.debug("durable ruleset {} registered ({} rules)", key, len(rs.rules))
    return key


# --------------------------------------------------------------------------- run


def _explain(exc: Exception) -> str:
    msg = str(exc)
    for code, why in ERRORS.items():
        if f"error code: {code}" in msg:
            return f"{msg} ({why})"
    return msg


def evaluate_facts(rs: CompiledRuleset, facts: list[Fact]) -> dict[str, str]:
    from durable.engine import MessageNotHandledException

    key = ensure_registered(rs)
    host = _get_host()
    with _lock:
        sid = f"r{next(_sids)}"
        _results[sid] = {}
        try:
            joined = _hit_joined(rs)
            singles = [f.model_dump() for f in facts if not (isinstance(f, HitFact) and f.rule in joined)]
            singles.insert(1 if singles and singles[0].get("kind") == "doc" else 0, BeginFact().model_dump())
            hits = [f.model_dump() for f in facts if isinstance(f, HitFact) and f.rule in joined]
            ends = [dict(d) for d in _end_facts(rs)]
            # doc, begin and status facts one by one (a fact nothing joins raises MessageNotHandled);
            # hits and end markers in one batch each: every one of them is joined by some rule, and
            # a batch with an unjoined fact would defer its actions (research/durable_rules.md, pitfall 2)
            for d in singles:
                _assert(host, key, sid, d, MessageNotHandledException)
            for batch in (hits, ends):
                if batch:
                    _assert(host, key, sid, batch, None)
            fired = _results.get(sid, {})
        finally:
            _results.pop(sid, None)
            try:
                host.delete_state(key, sid)
            except Exception:
                pass
    pre = {f.rule: f.status for f in facts if isinstance(f, StatusFact)}
    out: dict[str, str] = {}
    for cr in rs.rules:
        if cr.id in pre:
            out[cr.id] = pre[cr.id]
            continue
        got = fired.get(cr.id, [])
        if len(got) != 1:
            raise DurableError(f"rule {cr.id}: expected exactly one status from durable_rules, got {got}")
        out[cr.id] = got[0]
    return out


@per_ruleset
def _end_facts(rs: CompiledRuleset) -> list[dict]:
    """One end marker per enabled rule, the same for every report (copied before `sid` is set)."""
    return [EndFact(id=f"end:{cr.id}", rule=cr.id).model_dump() for cr in rs.rules if cr.disabled is None]


@per_ruleset
def _hit_joined(rs: CompiledRuleset) -> frozenset[str]:
    """Rules whose status rules join hit facts (enabled, not derived)."""
    return frozenset(cr.id for cr in rs.rules if cr.disabled is None and cr.rule.derived is None)


def _assert(host, key: str, sid: str, fact: dict | list[dict], tolerate) -> None:
    """One fact (or a batch), with durable's result checked: a swallowed action exception, or
    an unjoined fact in a batch, becomes a DurableError."""
    batch = fact if isinstance(fact, list) else [fact]
    for d in batch:
        d["sid"] = sid
    try:
        st = host.assert_facts(key, batch) if isinstance(fact, list) else host.assert_fact(key, fact)
    except Exception as exc:  # the C core reports bare codes
        if tolerate is not None and isinstance(exc, tolerate):
            return
        raise DurableError(f"durable_rules failed on a {batch[0].get('kind')} fact: {_explain(exc)}") from exc
    if isinstance(st, dict) and "exception" in st:
        raise DurableError(f"a rule action failed inside durable_rules: {st['exception']}")


def timer_threads() -> list[str]:
    """Names of threading.Timer threads alive (a guard: there must be none)."""
    return [t.name for t in threading.enumerate() if isinstance(t, threading.Timer)]
