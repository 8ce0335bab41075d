"""Small `Report`s built directly from (heading, role, paragraphs) for tests, the differential
test and the benchmark, independent of the normalization stage."""

from __future__ import annotations

import datetime as dt
import hashlib
import random
import re
from typing import Any, Literal

from compliance.models import DocType, Level, Meta, Metric, Paragraph, Report, Role, Section, Sentence, Span
from compliance.text import normalize, split_clauses, split_sentences

_NUM = re.compile(r"(\d+(?:\.\d+)?)(万元|亿元|学时|课时|件|个|人次|人|次|份|家|本|台|%)")
MetricKind = Literal["count", "hours", "money", "percent", "other"]
_KIND: dict[str, MetricKind] = {"学时": "hours", "课时": "hours", "万元": "money", "亿元": "money", "元": "money", "%": "percent"}


def _metrics(norm: str, line: int, pid: int, si: int) -> list[Metric]:
    out = []
    for m in _NUM.finditer(norm):
        a = 0
        for ca, cb in split_clauses(norm):
            if ca <= m.start() < cb:
                a = ca
        subject = norm[a:m.start()]
        unit = m.group(2)
        out.append(Metric(value=float(m.group(1)), unit=unit, kind=_KIND.get(unit, "count"),
                          per_capita="人均" in subject, text=m.group(0), subject=subject, line=line,
                          paragraph=pid, sentence=si))
    return out


def build_report(
    sections: list[tuple[Any, ...]],
    *,
    doc_type: DocType = "annual_report",
    period: tuple[int, int] | None = (2024, 2024),
    date: dt.date | None = None,
    published: dt.date | None = None,
    province: str | None = None,
    level: Level | None = None,
    title: str | None = "某局2024年法治政府建设情况报告",
    source: str = "synthetic.txt",
) -> Report:
    """`sections`: (heading or None, role, paragraphs[, child sections]); a paragraph is a string
    (one line) or a list of strings (one paragraph wrapped over several lines). Headings become
    sections (children one level deeper) and heading paragraphs of their own."""
    lines: list[str] = []
    paras: list[Paragraph] = []
    secs: list[Section] = []
    metrics: list[Metric] = []
    if title:
        lines.append(title)
    counter = [0]

    def add(entries, parent: Section | None, out: list[Section]) -> None:
        for entry in entries:
            heading, role, body = entry[:3]
            children = entry[3] if len(entry) > 3 else []
            sid = parent.id if parent is not None else None
            path = parent.path if parent is not None else ""
            sec = None
            if heading is not None:
                lines.append(heading)
                sid = counter[0]
                counter[0] += 1
                path = f"{path}/{heading}" if path else heading
                sec = Section(id=sid, heading=heading, number=None, level=(parent.level + 1 if parent else 1), role=role,
                              line=len(lines), path=path)
                out.append(sec)
                paras.append(_para(len(paras), [heading], len(lines), sid, path, role, True, metrics))
            for p in body:
                parts = [p] if isinstance(p, str) else list(p)
                start = len(lines) + 1
                lines.extend(parts)
                paras.append(_para(len(paras), parts, start, sid, path, role, False, metrics))
            if children:
                add(children, sec if sec is not None else parent, sec.children if sec is not None else out)

    add(sections, None, secs)
    meta = Meta(title=title, doc_type=doc_type, period=period, date=date, published=published, province=province, level=level)
    sha = hashlib.sha256("\n".join(lines).encode()).hexdigest()
    return Report(source=source, sha256=sha, format="txt", meta=meta, sections=secs, paragraphs=paras, metrics=metrics, lines=lines)


def _para(pid: int, parts: list[str], line: int, sid: int | None, path: str, role: Role, heading: bool, metrics: list[Metric]) -> Paragraph:
    text = "".join(parts)
    spans = []
    off = 0
    for i, part in enumerate(parts):
        spans.append(Span(offset=off, line=line + i))
        off += len(part)
    p = Paragraph(id=pid, text=text, spans=spans, sentences=[], section_id=sid, section=path, role=role, is_heading=heading)
    for si, (o, s) in enumerate(split_sentences(text)):
        n = normalize(s)
        sl = p.line_at(o)
        p.sentences.append(Sentence(text=s, norm=n, offset=o, line=sl))
        if not heading:
            metrics.extend(_metrics(n, sl, pid, si))
    return p


# --------------------------------------------------------------------------- generated reports

_ROLES: tuple[Role, ...] = ("measures", "results", "frp", "problems", "plans", "other")
_HEADINGS = {"measures": "主要工作开展情况", "results": "工作成效", "frp": "第一责任人履职情况", "problems": "存在的问题和不足",
             "plans": "下一步工作安排", "other": "其他", "closing": "抄送"}
_NUMS = "一二三四五六七"
_DOC_TYPES: list[DocType] = ["annual_report", "annual_report", "work_summary", "self_inspection", "plan"]
_LEVELS: list[Level | None] = [None, "city", "county", "province"]


def sentence_pool(texts: list[str]) -> list[str]:
    """Sentences of the given texts (e.g. the corpus and rule examples), deduplicated, in order."""
    out: dict[str, None] = {}
    for t in texts:
        for line in t.splitlines():
            for _, s in split_sentences(line.strip()):
                s = s.strip()
                if 4 <= len(s) <= 200:
                    out[s] = None
    return list(out)


def random_report(rng: random.Random, pool: list[str], i: int = 0) -> Report:
    """A random recombination of pool sentences under random roles and metadata."""
    secs: list[tuple[Any, ...]] = []
    for k in range(rng.randint(1, 5)):
        role = rng.choice(_ROLES + ("measures", "measures"))
        paras = []
        for _ in range(rng.randint(0, 4)):
            paras.append("".join(rng.choice(pool) for _ in range(rng.randint(1, 3))))
        secs.append((f"{_NUMS[k]}、{_HEADINGS[role]}", role, paras))
    if rng.random() < 0.2:
        secs.append(("抄送", "closing", [rng.choice(pool)]))
    year = rng.choice([2019, 2021, 2023, 2024, 2025])
    date = dt.date(year + 1, rng.randint(1, 6), rng.randint(1, 28)) if rng.random() < 0.8 else None
    return build_report(
        secs,
        doc_type=rng.choice(_DOC_TYPES),
        period=(year, year) if rng.random() < 0.9 else None,
        date=date,
        province=rng.choice([None, "浙江省", "辽宁省", "河南省", "江苏省"]),
        level=rng.choice(_LEVELS),
        source=f"generated-{i}.txt",
    )
