"""Shapes results into what the templates show: ordered findings, highlighted report lines,
family bars, a batch ranking and per-rule pass rates. Plain data only — the templates escape
every string (no markup is built here)."""

from __future__ import annotations

import re

from dataclasses import dataclass, field

from compliance.models import ReportResult, RuleResult

# One vocabulary for every rendering (CLI exports and the web pages say the same words).
from compliance.render.common import (  # noqa: E402
    DOC_TYPE_ZH,
    FAMILY_ZH,
    POLARITY_ZH,
    SEVERITY_RANK as _SEV_ORDER,
    SEVERITY_ZH,
    STATUS_RANK as _STATUS_ORDER,
    STATUS_ZH,
)

GAP_STATUSES = ("partial", "planned", "self_reported_gap", "missing")


def is_finding(r: RuleResult) -> bool:
    return r.status in GAP_STATUSES


def findings(result: ReportResult) -> list[RuleResult]:
    """Gaps, worst first: severity, then how far from met, then the points at stake."""
    gaps = [r for r in result.results if is_finding(r)]
    return sorted(gaps, key=lambda r: (_SEV_ORDER.get(r.severity, 9), _STATUS_ORDER.get(r.status, 9), -(r.points - r.earned), r.rule_id))


def met_rules(result: ReportResult) -> list[RuleResult]:
    return [r for r in result.results if r.status == "met"]


def not_applicable(result: ReportResult) -> list[RuleResult]:
    return [r for r in result.results if r.status == "not_applicable"]


def family_bars(result: ReportResult) -> list[dict]:
    bars = []
    for fam, value in result.score.by_family.items():
        bars.append(
            {
                "family": fam,
                "label": FAMILY_ZH.get(fam, fam),
                "value": value,
                "pct": 0 if value is None else max(0, min(100, round(value))),
                "level": _level(value),
            }
        )
    return bars


def _level(value: float | None) -> str:
    if value is None:
        return "na"
    if value >= 90:
        return "a"
    if value >= 80:
        return "b"
    if value >= 60:
        return "c"
    return "d"


def grade_level(value: float | None) -> str:
    return _level(value)


# --------------------------------------------------------------------------- highlighting


@dataclass
class Segment:
    text: str
    rules: list[str] = field(default_factory=list)  # rule ids whose quote covers this text
    kind: str = ""  # positive | planned | negative | near (strongest wins) ; "" = plain
    anchors: list[str] = field(default_factory=list)  # element ids of quotes starting here
    quotes: list[str] = field(default_factory=list)  # ids of every quote covering this text


@dataclass
class Line:
    no: int
    segments: list[Segment]
    marked: bool = False


@dataclass
class _Mark:
    line: int
    start: int
    end: int
    rule: str
    kind: str
    anchor: str


_KIND_RANK = {"negative": 0, "positive": 1, "planned": 2, "near": 3}
_TRAILERS = "…．.。"


def _locate(lines: list[str], quote: str, line: int) -> list[tuple[int, int, int]]:
    """Where `quote` sits in the input, starting at 1-based `line`: (line, start, end) pieces.

    Quotes come from joined paragraphs, so one may run over several input lines and differ in
    whitespace; matching ignores whitespace and maps back. A quote not found at its line is tried
    a few lines around it, then falls back to marking its whole line.
    """
    if not (1 <= line <= len(lines)):
        return []
    q = "".join(quote.split()).rstrip(_TRAILERS)
    if not q:
        return [(line, 0, len(lines[line - 1]))]
    for first in [line] + [n for d in (1, 2, 3) for n in (line - d, line + d)]:
        if not (1 <= first <= len(lines)):
            continue
        chars: list[str] = []
        where: list[tuple[int, int]] = []
        n = first
        while n <= len(lines) and len(chars) < len(q) + 2000 and n < first + 40:
            for col, ch in enumerate(lines[n - 1]):
                if not ch.isspace():
                    chars.append(ch)
                    where.append((n, col))
            n += 1
            if n > first and len(chars) >= len(q) and "".join(chars).find(q) >= 0:
                break
        hay = "".join(chars)
        # only accept a match that begins on the first line tried
        first_len = sum(1 for ln, _ in where if ln == first)
        pos = hay.find(q)
        if pos < 0 and len(q) > 24:  # a quote cut or lightly edited: its head is enough to find it
            head = q[:24]
            pos = hay.find(head)
            if pos >= 0:
                q_len = len(head)
            else:
                q_len = 0
        else:
            q_len = len(q)
        if pos < 0 or pos >= first_len:
            continue
        pieces: dict[int, list[int]] = {}
        for ln, col in where[pos : pos + q_len]:
            span = pieces.setdefault(ln, [col, col + 1])
            span[1] = col + 1
        return [(ln, s, e) for ln, (s, e) in sorted(pieces.items())]
    return [(line, 0, len(lines[line - 1]))]


def highlight(result: ReportResult, lines: list[str]) -> tuple[list[Line], dict[str, str]]:
    """Lines split into plain and marked segments, plus rule id → anchor of its first quote."""
    marks: list[_Mark] = []
    first_anchor: dict[str, str] = {}
    counter = 0

    def add(rule: str, quote: str, line: int, kind: str) -> str | None:
        nonlocal counter
        pieces = [(ln, s, e) for ln, s, e in _locate(lines, quote, line) if e > s]
        if not pieces:
            return None
        counter += 1
        anchor = f"q{counter}"
        for ln, s, e in pieces:
            marks.append(_Mark(ln, s, e, rule, kind, anchor))
        first_anchor.setdefault(rule, anchor)
        return anchor

    quote_anchor: dict[tuple[str, int, int], str] = {}
    for r in result.results:
        for i, ev in enumerate(r.evidence):
            a = add(r.rule_id, ev.quote, ev.line, ev.polarity)
            if a:
                quote_anchor[(r.rule_id, 0, i)] = a
    for r in result.results:
        if r.trace is None or r.status == "met":
            continue
        for i, nm in enumerate(r.trace.near_misses):
            a = add(r.rule_id, nm.quote, nm.line, "near")
            if a:
                quote_anchor[(r.rule_id, 1, i)] = a
    by_line: dict[int, list[_Mark]] = {}
    for m in marks:
        by_line.setdefault(m.line, []).append(m)

    out: list[Line] = []
    for no, text in enumerate(lines, start=1):
        ms = by_line.get(no)
        if not ms:
            out.append(Line(no, [Segment(text)]))
            continue
        cuts = sorted({0, len(text)} | {m.start for m in ms} | {m.end for m in ms})
        segs: list[Segment] = []
        placed: set[str] = set()
        for a, b in zip(cuts, cuts[1:]):
            if a >= b:
                continue
            cover = [m for m in ms if m.start <= a and m.end >= b]
            if not cover:
                segs.append(Segment(text[a:b]))
                continue
            rules = sorted({m.rule for m in cover})
            kind = min((m.kind for m in cover), key=lambda k: _KIND_RANK.get(k, 9))
            anchors = [m.anchor for m in cover if m.start == a and m.anchor not in placed]
            placed.update(anchors)
            quotes = sorted({m.anchor for m in cover}, key=lambda q: int(q[1:]))
            segs.append(Segment(text[a:b], rules, kind, anchors, quotes))
        out.append(Line(no, segs, marked=True))
    return out, first_anchor | {f"{k[0]}#{k[1]}#{k[2]}": v for k, v in quote_anchor.items()}


def quote_ref(anchors: dict[str, str], rule_id: str, near: bool, index: int) -> str | None:
    return anchors.get(f"{rule_id}#{1 if near else 0}#{index}")


# --------------------------------------------------------------------------- batch


def ranking(items: list[tuple[str, ReportResult]]) -> list[dict]:
    """Best score first; reports without a score (not rule-of-law reports) last."""
    rows = []
    for rid, r in items:
        gaps = [x for x in r.results if is_finding(x)]
        rows.append(
            {
                "id": rid,
                "source": r.source,
                "issuer": r.meta.issuer or "",
                "doc_type": DOC_TYPE_ZH.get(r.meta.doc_type, r.meta.doc_type),
                "period": "" if r.meta.period is None else (str(r.meta.period[0]) if r.meta.period[0] == r.meta.period[1] else f"{r.meta.period[0]}–{r.meta.period[1]}"),
                "province": r.meta.province or "",
                "ruleset": r.ruleset.name,
                "total": r.score.total,
                "grade": r.score.grade or "—",
                "level": _level(r.score.total),
                "gaps": len(gaps),
                "critical": sum(1 for x in gaps if x.severity == "critical"),
                "by_family": r.score.by_family,
            }
        )
    rows.sort(key=lambda x: (x["total"] is None, -(x["total"] or 0), x["source"]))
    rank = 0
    for row in rows:
        if row["total"] is not None:
            rank += 1
            row["rank"] = rank
        else:
            row["rank"] = None
    return rows


def pass_rates(results: list[ReportResult]) -> list[dict]:
    """Per rule across the batch: how many reports it applied to and how many met it."""
    rows: dict[str, dict] = {}
    for r in results:
        for x in r.results:
            row = rows.setdefault(
                x.rule_id,
                {"rule_id": x.rule_id, "title": x.title, "family": x.family, "severity": x.severity, "ruleset": r.ruleset.name,
                 "applicable": 0, "met": 0, "partial": 0, "gaps": 0},
            )
            if x.status == "not_applicable":
                continue
            row["applicable"] += 1
            if x.status == "met":
                row["met"] += 1
            elif x.status == "partial":
                row["partial"] += 1
            if is_finding(x):
                row["gaps"] += 1
    out = list(rows.values())
    for row in out:
        row["rate"] = None if row["applicable"] == 0 else round(100 * row["met"] / row["applicable"], 1)
        row["level"] = _level(row["rate"])
    out.sort(key=lambda x: (x["rate"] is None, x["rate"] if x["rate"] is not None else 0, x["rule_id"]))
    return out


def families(results: list[ReportResult]) -> list[str]:
    seen: list[str] = []
    for r in results:
        for fam in r.score.by_family:
            if fam not in seen:
                seen.append(fam)
    return seen


def ruleset_label(name: str) -> str:
    """`河南省 henan` in the app's menus and headers."""
    from compliance.rules.load import ruleset_label as label

    return label(name)


# a report's warnings are written for the command line; in the app they name its own controls
_DOC_TYPE_FLAG = re.compile(r"请用\s*--doc-type\s+(\w+)\s*指定(?:文件类型)?后重新检查")
_WEB_WORDING = (
    ("--doc-type", "“文档类型”选项"),
    ("--ruleset", "“规则集”选项"),
)


def web_warning(text: str) -> str:
    text = _DOC_TYPE_FLAG.sub(lambda m: f"请在“文档类型”中选择“{DOC_TYPE_ZH.get(m.group(1), m.group(1))}”后重新检查", text)
    for cli, web in _WEB_WORDING:
        text = text.replace(cli, web)
    return text
