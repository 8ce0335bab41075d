"""Run the `examples` embedded in rules through the same path a real report takes."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass
class ExampleResult:
    rule_id: str
    index: int
    text: str
    expect: str
    got: str
    detail: str = ""  # for a failure: the message and why near misses did not count

    @property
    def ok(self) -> bool:
        return self.got == self.expect


def _snippet(text: str, role: str | None, doc_type: str):
    """normalize.snippet_report when available; else a one-section synthetic report."""
    try:
        from compliance.normalize import snippet_report  # type: ignore[attr-defined]
    except ImportError:
        snippet_report = None
    if snippet_report is not None:
        return snippet_report(text, role, doc_type)
    from compliance.engine.synth import build_report

    heading = {"measures": "一、主要工作", "results": "二、工作成效", "problems": "二、存在问题", "plans": "三、下一步工作安排",
               "frp": "四、第一责任人履职情况"}.get(role or "", None)
    return build_report([(heading, role or "other", [text])], doc_type=doc_type)


def run_examples(rs, backend: str = "auto") -> list[ExampleResult]:
    from compliance.engine import evaluate

    out: list[ExampleResult] = []
    for cr in rs.rules:
        if cr.disabled is not None:
            continue
        for i, ex in enumerate(cr.rule.examples):
            rep = _snippet(ex.text, ex.role, ex.doc_type)
            if getattr(ex, "meta", None):  # metadata a snippet cannot carry (落款 date, no period)
                from compliance.models import Meta

                rep.meta = Meta.model_validate({**rep.meta.model_dump(), **ex.meta})
            res = evaluate(rep, rs, backend=backend, trace=True)
            rr = next(r for r in res.results if r.rule_id == cr.id)
            detail = ""
            if rr.status != ex.expect:
                why = "; ".join(n.reason for n in (rr.trace.near_misses if rr.trace else [])[:3])
                detail = rr.message + (f" [near misses: {why}]" if why else "")
            out.append(ExampleResult(cr.id, i, ex.text, ex.expect, rr.status, detail))
    return out
