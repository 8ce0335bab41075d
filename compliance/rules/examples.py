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
    """The example's text normalized as a report snippet (under a heading of its role)."""
    from compliance.normalize import snippet_report

    return snippet_report(text, role, doc_type)  # type: ignore[arg-type]


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
