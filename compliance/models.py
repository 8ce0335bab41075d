"""The data every stage passes on: read → normalize → evidence → infer → score → render.

Readers produce a `RawDocument`; normalization turns it into a `Report`; the engine turns a
`Report` and a ruleset into a `ReportResult`; a batch is a `CheckResult`, whose JSON is the
output contract (its JSON Schema: `compliance/schema/`). Every model forbids unknown fields so a typo in
code fails loudly instead of silently dropping data.
"""

from __future__ import annotations

import bisect

import datetime as dt
from typing import Any, Literal, TypeVar

from pydantic import BaseModel, ConfigDict, Field

DocType = Literal["annual_report", "work_summary", "self_inspection", "plan", "fair_competition_report", "shufa_report",
                  "other"]
Role = Literal["preamble", "measures", "results", "frp", "problems", "plans", "closing", "other"]
Level = Literal["province", "city", "county"]
Status = Literal["met", "partial", "planned", "self_reported_gap", "missing", "not_applicable"]
Polarity = Literal["positive", "planned", "negative"]
Severity = Literal["critical", "major", "minor"]
Format = Literal["txt", "html", "docx", "pdf", "ofd", "doc"]

DOC_TYPES: tuple[str, ...] = ("annual_report", "work_summary", "self_inspection", "plan", "fair_competition_report",
                              "shufa_report", "other")
ROLES: tuple[str, ...] = ("preamble", "measures", "results", "frp", "problems", "plans", "closing", "other")
STATUSES: tuple[str, ...] = ("met", "partial", "planned", "self_reported_gap", "missing", "not_applicable")
SEVERITIES: tuple[str, ...] = ("critical", "major", "minor")


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


# --------------------------------------------------------------------------- reading


class RawDocument(Strict):
    """A file as read: decoded lines (1-based line n is `lines[n-1]`) plus container metadata.

    `hints` carries what the container states outside the body: an HTML page's 索引号 table
    (keys: 索引号 发布机构 成文日期 发文字号 发布日期 主题分类), `<title>`, docx core properties
    (keys: title, author, created). Normalization decides what to believe.
    """

    source: str
    sha256: str
    format: Format
    encoding: str | None = None
    lines: list[str]
    hints: dict[str, str] = Field(default_factory=dict)
    warnings: list[str] = Field(default_factory=list)


# --------------------------------------------------------------------------- normalized report


class Meta(Strict):
    title: str | None = None
    issuer: str | None = None
    province: str | None = None
    city: str | None = None
    county: str | None = None
    level: Level | None = None
    doc_type: DocType = "other"
    period: tuple[int, int] | None = None
    date: dt.date | None = None
    # "month": the report's date gives only a month (落款 "2024年2月"); `date` is then the month's
    # last day, the latest the report can be dated, which is what a deadline is judged on
    date_precision: Literal["day", "month"] = "day"
    doc_number: str | None = None
    published: dt.date | None = None  # a web page's 发布日期, used when the report carries no date
    # "published": the text has no date of its own (no 落款, 成文日期 or date under the title), so
    # `date` is the page's 发布日期, which is what a clerk writes down and a deadline is judged on
    date_source: Literal["text", "published"] | None = None


class Span(Strict):
    """A run of paragraph text that came from one input line: `text[offset:]` starts at `line`:`col`."""

    offset: int
    line: int
    col: int = 0


_new = object.__new__
_set = object.__setattr__
_M = TypeVar("_M", bound=Strict)


def trusted(cls: type[_M], values: dict[str, Any]) -> _M:
    """`cls(**values)` without validation, for values the caller built with their declared types
    (every field given, in declaration order; models inside already built): normalization makes
    ~450 spans, sentences, paragraphs and metrics per report, and pydantic's validating
    constructor was ~5% of its instructions (`model_construct`, pure Python, is slower still).
    The object is the one `model_construct` would make; tests/test_reliability_fastpaths.py checks
    that a normalized report survives re-validation unchanged."""
    m = _new(cls)
    _set(m, "__dict__", values)
    _set(m, "__pydantic_fields_set__", set(values))
    _set(m, "__pydantic_extra__", None)
    _set(m, "__pydantic_private__", None)
    return m


class Sentence(Strict):
    text: str  # as written (quotes shown to users come from here)
    norm: str  # matching form: half-width, no emphasis markers or stray spaces
    offset: int  # start offset in the paragraph's text
    line: int  # input line where the sentence starts


class Metric(Strict):
    """A number with its unit and the words it measures (`subject`), e.g. 人均完成 128 学时."""

    value: float
    unit: str  # 件 个 人 次 份 家 本 台 学时 课时 万元 亿元 元 % ...
    kind: Literal["count", "hours", "money", "percent", "other"]
    per_capita: bool = False
    text: str  # the matched text as written
    subject: str  # the words before the number in its clause (normalized)
    line: int
    paragraph: int
    sentence: int  # index into the paragraph's sentences


class Paragraph(Strict):
    id: int
    text: str  # joined text as written (soft wraps and page breaks re-joined)
    spans: list[Span]  # map back to input lines; spans[0].offset == 0
    sentences: list[Sentence]
    section_id: int | None = None  # innermost section holding this paragraph
    section: str = ""  # section path, e.g. "一、主要工作开展情况/（二）…"
    role: Role = "other"
    is_heading: bool = False  # the paragraph is itself a heading line

    @property
    def line(self) -> int:
        return self.spans[0].line if self.spans else 0

    def line_at(self, offset: int) -> int:
        """Input line of the character at `offset` in `text`."""
        return line_at(self.spans, offset)


def line_at(spans: list[Span], offset: int) -> int:
    """Input line of the character at `offset` of a text made of `spans` (in offset order: the
    last span starting at or before `offset`; a paragraph of a flattened page has thousands)."""
    if not spans:
        return 0
    i = bisect.bisect_right(spans, offset, key=_span_offset) - 1
    return spans[max(i, 0)].line


def _span_offset(span: Span) -> int:
    return span.offset


class Section(Strict):
    id: int
    heading: str  # heading text as written, numbering included ("一、主要工作开展情况")
    number: str | None = None  # "一、" "（二）" "1." "（1）" "一是"
    level: int  # 1 = top level
    role: Role
    line: int
    path: str = ""
    children: list[Section] = Field(default_factory=list)


class Report(Strict):
    source: str
    sha256: str
    format: Format
    meta: Meta
    sections: list[Section]  # top-level sections; each holds its children
    paragraphs: list[Paragraph]
    metrics: list[Metric]
    lines: list[str]  # the input lines as read (line n is lines[n-1])
    warnings: list[str] = Field(default_factory=list)
    # meta field -> input line its value was read from (title, issuer, date, published, doc_number,
    # period), so a verdict on metadata can quote that line; a field read from outside the body
    # (a reader hint) has no entry
    meta_lines: dict[str, int] = Field(default_factory=dict)

    def iter_sections(self):
        stack = list(reversed(self.sections))
        while stack:
            s = stack.pop()
            yield s
            stack.extend(reversed(s.children))


# --------------------------------------------------------------------------- results


class Evidence(Strict):
    quote: str
    line: int
    section: str
    role: Role
    polarity: Polarity
    cue: str | None = None  # the cue that matched, normalized


class NearMiss(Strict):
    quote: str
    line: int
    section: str
    role: Role
    reason: str  # why it did not count: negated, wrong section, below threshold, excluded by ...


class Trace(Strict):
    """Why a rule got its status: conditions that held or not, what a gap searched for."""

    backend: str = ""  # durable | reference
    held: list[str] = Field(default_factory=list)
    failed: list[str] = Field(default_factory=list)
    searched: list[str] = Field(default_factory=list)
    near_misses: list[NearMiss] = Field(default_factory=list)


class Waived(Strict):
    reason: str
    approved_by: str | None = None
    expires: dt.date | None = None


class RuleResult(Strict):
    rule_id: str
    family: str
    title: str
    status: Status
    severity: Severity
    points: float
    earned: float
    message: str
    basis: list[str]
    evidence: list[Evidence] = Field(default_factory=list)
    remediation: str = ""
    trace: Trace | None = None
    fingerprint: str = ""  # stable across line moves: rule id + normalized quote/section
    waived: Waived | None = None
    baseline: Literal["new", "persisting", "resolved"] | None = None


class Score(Strict):
    total: float | None
    by_family: dict[str, float | None]
    grade: str | None


class RulesetRef(Strict):
    name: str
    version: str
    chain: list[str]


class ReportResult(Strict):
    source: str
    sha256: str
    meta: Meta
    sections: list[Section]
    ruleset: RulesetRef
    results: list[RuleResult]
    score: Score
    warnings: list[str] = Field(default_factory=list)
    # with `check --baseline`: findings of the previous run that are no longer findings now
    resolved: list[RuleResult] = Field(default_factory=list)


class InputError(Strict):
    source: str
    error: str


class ToolInfo(Strict):
    name: str = "compliance"
    version: str


class Summary(Strict):
    checked: int
    failed: int  # inputs that could not be read or parsed (they are listed in `errors`)
    mean_score: float | None

    @classmethod
    def of(cls, totals: list[float | None], failed: int) -> Summary:
        """From each checked report's total (None: nothing applicable) and the failed count."""
        import statistics

        scored = [t for t in totals if t is not None]
        mean = round(statistics.fmean(scored), 1) if scored else None
        return cls(checked=len(totals), failed=failed, mean_score=mean)


class CheckResult(Strict):
    schema_version: str = "2"
    tool: ToolInfo
    reports: list[ReportResult]
    errors: list[InputError] = Field(default_factory=list)
    summary: Summary
