"""What every view of a result shows, decided once: which results are findings and in what order,
the ranking of a batch, per-rule pass rates, score families and their names, grade colours, and
where each quote sits in the report's text. The CLI formats (`compliance.render`) and the web
pages (`compliance.web`) both use this module, so they never disagree.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from functools import lru_cache

from typing import TYPE_CHECKING

from compliance.labels import NEAR_MISS, SEVERITY_RANK, STATUS_RANK, STATUS_ZH
from compliance.models import Evidence, ReportResult, RuleResult

if TYPE_CHECKING:
    from compliance.rules.load import RulesetDisplay

# --------------------------------------------------------------------------- findings


def is_finding(r: RuleResult) -> bool:
    """A gap: anything not met and not out of scope (requirements.yaml's definition), except a
    planned item that earns full credit — in a plan document a plan is what was asked for
    (`scoring.plan_planned_credit`), not a gap."""
    return r.status not in ("met", "not_applicable") and not planned_in_full(r)


def planned_in_full(r: RuleResult) -> bool:
    """`planned` with all its points earned (a plan document's plans): not a finding anywhere."""
    return r.status == "planned" and r.points > 0 and r.earned >= r.points


def findings(rep: ReportResult) -> list[RuleResult]:
    """Gaps, worst first: severity, then status, then rule order."""
    order = {r.rule_id: i for i, r in enumerate(rep.results)}
    return sorted(
        (r for r in rep.results if is_finding(r)),
        key=lambda r: (SEVERITY_RANK.get(r.severity, 9), STATUS_RANK.get(r.status, 9), order[r.rule_id]),
    )


def status_text(r: RuleResult) -> str:
    s = STATUS_ZH.get(r.status, r.status)
    if r.waived is not None:
        s += "（已豁免）"
    return s


def unique_evidence(r: RuleResult, limit: int | None = None) -> list[Evidence]:
    """Evidence without repeats (derived rules can quote the same sentence twice)."""
    seen: set[tuple[int, str]] = set()
    out = []
    for e in r.evidence:
        k = (e.line, e.quote)
        if k not in seen:
            seen.add(k)
            out.append(e)
    return out[:limit] if limit else out


def first_quote(r: RuleResult) -> tuple[str, int | None]:
    """The quote a one-line view shows: the first evidence, else the first near miss labelled
    `相近表述（未计入）：…`."""
    if r.evidence:
        return r.evidence[0].quote, r.evidence[0].line
    if r.trace and r.trace.near_misses:
        nm = r.trace.near_misses[0]
        return f"{NEAR_MISS}：{nm.quote}", nm.line
    return "", None


# --------------------------------------------------------------------------- one report


def issuer_text(rep: ReportResult) -> str:
    return rep.meta.issuer or rep.meta.title or rep.source.rsplit("/", 1)[-1]


def period_text(rep: ReportResult, none: str = "—") -> str:
    p = rep.meta.period
    if not p:
        return none
    return f"{p[0]}" if p[0] == p[1] else f"{p[0]}–{p[1]}"


def ruleset_text(rep: ReportResult) -> str:
    """`浙江省 zhejiang 2026.11.1`: the ruleset's display name first (its YAML `display_name:`)."""
    from compliance.rules.load import ruleset_label

    return f"{ruleset_label(rep.ruleset.name)} {rep.ruleset.version}"


def one_line(text: str, limit: int = 120) -> str:
    t = " ".join(text.split())
    return t if len(t) <= limit else t[: limit - 1] + "…"


def families(rep: ReportResult) -> list[str]:
    """The report's families, in rule order (then any only in the score)."""
    seen: dict[str, None] = {}
    for r in rep.results:
        seen.setdefault(r.family, None)
    for f in rep.score.by_family:
        seen.setdefault(f, None)
    return list(seen)


def add_families(seen: dict[str, None], rep: ReportResult) -> None:
    """Add a report's families to `seen`, in first-seen order across the batch."""
    for f in families(rep):
        seen.setdefault(f, None)


@lru_cache(maxsize=64)
def _labels(name: str) -> RulesetDisplay:
    from compliance.rules.load import ruleset_display

    return ruleset_display(name)


def ruleset_display(rep: ReportResult) -> RulesetDisplay:
    """The family names and grade bands of the ruleset a result was checked against."""
    return _labels(rep.ruleset.name)


def family_name(f: str, ruleset: ReportResult | str | None = None) -> str:
    """The family's name from the `families:` of the ruleset (a result's, or one named; national
    by default); "" when it has none."""
    name = ruleset.ruleset.name if isinstance(ruleset, ReportResult) else (ruleset or "national")
    return _labels(name).families.get(f, "")


def family_label(f: str, ruleset: ReportResult | str | None = None) -> str:
    """`TES 行政执法三项制度`: the code and its name (the code alone when it has none)."""
    zh = family_name(f, ruleset)
    return f"{f} {zh}" if zh else f


# --------------------------------------------------------------------------- grades


LEVELS = "abcd"  # CSS classes lv-a (best) … lv-d (worst); lv-na when there is no score


def grade_level(value: float | None, grades: list[tuple[float, str]]) -> str:
    """The colour class of a score on the ruleset's own grade bands (`scoring.grades`, best
    first): the top band is `a`, the bottom `d`, bands between spread over `b` and `c`."""
    if value is None:
        return "na"
    bands = sorted(grades or [(90.0, ""), (80.0, ""), (60.0, ""), (0.0, "")], key=lambda g: -g[0])
    i = next((k for k, (low, _) in enumerate(bands) if value >= low), len(bands) - 1)
    n = len(bands)
    return LEVELS[0] if n == 1 else LEVELS[round(i * (len(LEVELS) - 1) / (n - 1))]


def grade_of(value: float | None, rep: ReportResult) -> str | None:
    """The grade a score (e.g. a family's) gets on the bands of the report's ruleset."""
    from compliance.engine.score import grade

    return grade(value, {"grades": ruleset_display(rep).grades} if ruleset_display(rep).grades else {})


def report_level(rep: ReportResult, value: float | None = None) -> str:
    """`grade_level` of the report's total (or of `value`, e.g. a family score) on its ruleset's bands."""
    return grade_level(rep.score.total if value is None else value, ruleset_display(rep).grades)


# --------------------------------------------------------------------------- a batch


def rank_order(totals: list[float | None]) -> list[tuple[int | None, int]]:
    """(rank, index into `totals`): reports by total score, best first; ties share a rank and
    keep input order; unscored reports (nothing applicable: not a rule-of-law report) come last
    with no rank. Views keep each report's total, not the report, to rank them."""
    order = sorted(range(len(totals)), key=lambda i: (totals[i] is None, -(totals[i] or 0.0), i))
    out: list[tuple[int | None, int]] = []
    prev: object = object()
    rank = 0
    for pos, i in enumerate(order, 1):
        if totals[i] != prev:
            rank = pos
            prev = totals[i]
        out.append((None if totals[i] is None else rank, i))
    return out


def rank_text(rank: int | None) -> str:
    return "—" if rank is None else str(rank)


class PassRates:
    """Per rule across the batch: how many reports it applies to, how many meet it (and are
    partial, gaps, waived), split by province when the batch spans several. Counters, added one
    report at a time."""

    def __init__(self) -> None:
        self._rows: dict[str, dict] = {}
        self._provinces: set[str] = set()

    def add(self, rep: ReportResult) -> None:
        prov = rep.meta.province or "未识别"
        self._provinces.add(prov)
        for r in rep.results:
            row = self._rows.setdefault(
                r.rule_id,
                {"rule_id": r.rule_id, "family": r.family, "title": r.title, "severity": r.severity,
                 "ruleset": rep.ruleset.name, "applicable": 0, "met": 0, "partial": 0, "gaps": 0, "waived": 0,
                 "by_province": defaultdict(lambda: [0, 0])},
            )
            if r.status == "not_applicable":
                continue
            row["applicable"] += 1
            row["by_province"][prov][1] += 1
            if r.status == "met":
                row["met"] += 1
                row["by_province"][prov][0] += 1
            elif r.status == "partial":
                row["partial"] += 1
            if is_finding(r):
                row["gaps"] += 1
            if r.waived is not None:
                row["waived"] += 1

    def provinces(self) -> list[str]:
        return sorted(self._provinces)

    def rows(self) -> list[dict]:
        """In first-seen rule order; `rate` is met / applicable (None when never applicable)."""
        provinces = self.provinces()
        out = []
        for row in self._rows.values():
            row = dict(row)
            row["rate"] = row["met"] / row["applicable"] if row["applicable"] else None
            row["by_province"] = {p: tuple(row["by_province"][p]) for p in provinces if p in row["by_province"]}
            out.append(row)
        return out


# --------------------------------------------------------------------------- quotes in the text


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

    @property
    def rules(self) -> list[str]:
        return sorted({r for s in self.segments for r in s.rules})


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


def locate(lines: list[str], quote: str, line: int) -> list[tuple[int, int, int]]:
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
            q_len = len(head) if pos >= 0 else 0
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


def highlight(result: ReportResult, lines: list[str], prefix: str = "") -> tuple[list[Line], dict[str, str]]:
    """Lines split into plain and marked segments (every evidence quote, and the near misses of
    rules not met), plus anchors: rule id → id of its first quote, and `"<rule>#<0|1>#<i>"` → id
    of its i-th evidence (0) or near miss (1). Quote ids are `<prefix>q<n>`."""
    marks: list[_Mark] = []
    first_anchor: dict[str, str] = {}
    counter = 0

    def add(rule: str, quote: str, line: int, kind: str) -> str | None:
        nonlocal counter
        pieces = [(ln, s, e) for ln, s, e in locate(lines, quote, line) if e > s]
        if not pieces:
            return None
        counter += 1
        anchor = f"{prefix}q{counter}"
        for ln, s, e in pieces:
            marks.append(_Mark(ln, s, e, rule, kind, anchor))
        first_anchor.setdefault(rule, anchor)
        return anchor

    quote_anchor: dict[str, str] = {}
    for r in result.results:
        for i, ev in enumerate(r.evidence):
            a = add(r.rule_id, ev.quote, ev.line, ev.polarity)
            if a:
                quote_anchor[f"{r.rule_id}#0#{i}"] = a
    for r in result.results:
        if r.trace is None or r.status == "met":
            continue
        for i, nm in enumerate(r.trace.near_misses):
            a = add(r.rule_id, nm.quote, nm.line, "near")
            if a:
                quote_anchor[f"{r.rule_id}#1#{i}"] = a
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
        for lo, hi in zip(cuts, cuts[1:]):
            if lo >= hi:
                continue
            cover = [m for m in ms if m.start <= lo and m.end >= hi]
            if not cover:
                segs.append(Segment(text[lo:hi]))
                continue
            rules = sorted({m.rule for m in cover})
            kind = min((m.kind for m in cover), key=lambda k: _KIND_RANK.get(k, 9))
            anchors = [m.anchor for m in cover if m.start == lo and m.anchor not in placed]
            placed.update(anchors)
            quotes = sorted({m.anchor for m in cover}, key=lambda q: int(q[len(prefix) + 1:]))
            segs.append(Segment(text[lo:hi], rules, kind, anchors, quotes))
        out.append(Line(no, segs, marked=True))
    return out, first_anchor | quote_anchor


def quote_ref(anchors: dict[str, str], rule_id: str, near: bool, index: int) -> str | None:
    return anchors.get(f"{rule_id}#{1 if near else 0}#{index}")
