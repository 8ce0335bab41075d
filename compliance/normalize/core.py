"""`RawDocument` → `Report`: lines → blocks → paragraphs/sections → meta → metrics."""

from __future__ import annotations

import datetime as dt
import hashlib

from loguru import logger

from compliance.models import DocType, Meta, RawDocument, Report, Role, Section
from compliance.normalize import lines as L
from compliance.normalize import dates
from compliance.normalize import doctype as D
from compliance.normalize import meta as M
from compliance.normalize import script
from compliance.normalize import structure as S
from compliance.normalize.metrics import paragraph_metrics
from compliance.normalize.lines import tnorm


def _page_values(raw: RawDocument, scan: L.LineScan) -> dict[str, str]:
    """索引号-table values: reader hints first, then what chrome lines in the body state."""
    page: dict[str, str] = {}
    for k, v in raw.hints.items():
        if v and v.strip():
            page[k] = v.strip()
    for k, v, _line in scan.chrome_meta:
        if v and k not in page:
            page[k] = v
    return page


def normalize(raw: RawDocument, doc_type: DocType | None = None) -> Report:
    """Normalize a read document. Never raises on odd text; problems go to `warnings`.

    `doc_type` (the user's `--doc-type`) replaces the detected type before the sections get
    their roles: a report the detector takes for a plan keeps its work sections as measures.

    A traditional-character text is analysed as a simplified copy of the same length (see
    `script`); the report keeps the input's lines and shows its paragraphs as written."""
    traditional = script.is_traditional(raw.lines)
    lines = script.to_simplified(raw.lines) if traditional else raw.lines
    scan = L.scan(lines)
    page = _page_values(raw, scan)
    title_block = next((b for b in scan.blocks if b.kind == "title"), None)
    title = M.squeeze(S.clean_heading(title_block.text)).lstrip("—－-– ") if title_block else None
    if title and title.startswith("《") and title.endswith("》") and title.count("《") == 1:
        title = title[1:-1]
    title = title or None
    if title:
        # "长政发〔2021〕1号长海县2020年度…报告": a document number run into the title line.
        m = M.DOC_NUMBER.match(title)
        if m and len(title) - m.end() >= 6:
            page.setdefault("文号", m.group(0).strip())
            title = title[m.end():].strip() or None
    if title:
        title = D.strip_watermark(title) or None
    if title is None:
        title = M.clean_title(raw.hints.get("title") or page.get("标题") or page.get("名称") or page.get("文件名称")
                              or page.get("信息名称"))
        if title and traditional:
            title = script.to_simplified([title])[0]
    if title is None:
        first = scan.blocks[0].text if scan.blocks else ""  # chrome is already dropped
        title = D.run_in_title(script.to_simplified([first])[0] if traditional else first)
    fallback = " ".join(b.text for b in [b for b in scan.blocks if b.kind != "title"][:4])
    headings = [b.text for b in scan.blocks if b.kind == "heading"][:12]
    guessed, runner_up = D.guess_doc_type(title, fallback, headings)
    if doc_type is None:
        doc_type = guessed
    else:
        runner_up = None  # the type is the user's, not a guess

    built = S.build(scan.blocks, doc_type)
    paras = built.paragraphs
    closing = [p.text for p in paras if p.role == "closing"]
    if not closing:
        # No clean trailing 落款 run (an attachment may follow it): look among the last short lines.
        closing = [p.text for p in paras[-12:] if len(p.text) <= 40 and not p.is_heading]
    preamble = "\n".join(p.text for p in paras if p.role == "preamble" and p.id != built.title_block)
    body = "\n".join(p.text for p in paras)
    chrome_text = [lines[i - 1] for i in scan.chrome_lines if 0 < i <= len(lines)]
    header = chrome_text + [p.text for p in paras if p.role == "preamble" and p.id != built.title_block][:6]
    # "（2024年1月15日）" under the title dates the document when no 落款 does.
    title_date = title_month = None
    if built.title_block is not None and built.title_block + 1 < len(paras):
        title_date = dates.bracketed_date(paras[built.title_block + 1].text)
        if title_date is None:
            title_month = dates.bracketed_month(paras[built.title_block + 1].text)
    warnings = list(raw.warnings)
    if runner_up is not None:
        warnings.append(D.type_warning(doc_type, runner_up))
    # Metadata and metrics are best-effort: a surprise in them must not cost the whole report.
    try:
        meta = M.build_meta(
            title_date=title_date,
            title_month=title_month,
            title=title,
            doc_type=doc_type,
            closing_lines=closing,
            preamble=preamble,
            body=body,
            page=page,
            header_lines=header,
        )
    except Exception as exc:  # pragma: no cover - defensive
        logger.exception("{}: metadata extraction failed", raw.source)
        warnings.append(f"metadata extraction failed: {exc}")
        meta = Meta(title=title, doc_type=doc_type)
    metrics = []
    for p in paras:
        try:
            metrics.extend(paragraph_metrics(p))
        except Exception as exc:  # pragma: no cover - defensive
            logger.exception("{}: metrics failed in paragraph {}", raw.source, p.id)
            warnings.append(f"metrics skipped for paragraph at line {p.line}: {exc}")
    if not paras:
        warnings.append("no text found")
    elif not built.sections:
        warnings.append("no numbered headings found; sections are empty")
    logger.debug("{}: {} paragraphs, {} sections, {} metrics", raw.source, len(paras), len(built.all_sections), len(metrics))
    meta_lines = _meta_lines(meta, lines, title_block.line if title_block else 0, scan.chrome_meta)
    if traditional:
        _as_written(paras, built.all_sections, metrics, list(raw.lines), lines)
    return Report(
        source=raw.source,
        sha256=raw.sha256,
        format=raw.format,
        meta=meta,
        sections=built.sections,
        paragraphs=paras,
        metrics=metrics,
        lines=list(raw.lines),
        warnings=warnings,
        meta_lines=meta_lines,
    )


def _as_written(paras, sections, metrics, original: list[str], converted: list[str]) -> None:
    """Put the input's (traditional) characters back into what a reader sees; matching forms
    (`Sentence.norm`, metric subjects, metadata) stay simplified."""
    def locate(spans):
        def at(i: int):
            sp = None
            for s in spans:
                if s.offset > i:
                    break
                sp = s
            return (sp.line, sp.col + i - sp.offset) if sp is not None else None
        return at

    heads: dict[str, str] = {}
    for p in paras:
        at = locate(p.spans)
        conv = p.text
        p.text = script.restore(conv, at, original, converted)
        for s in p.sentences:
            s.text = script.restore(s.text, lambda j, o=s.offset: at(o + j), original, converted)
        if p.is_heading:
            heads[conv.strip()] = p.text.strip()
        for m in metrics:
            if m.paragraph == p.id:
                k = conv.find(m.text)
                if k >= 0:
                    m.text = p.text[k:k + len(m.text)]

    def heading(h: str) -> str:
        if h in heads:
            return heads[h]
        for conv, orig in heads.items():
            k = conv.find(h)
            if k >= 0 and len(orig) == len(conv):
                return orig[k:k + len(h)]
        return h

    for sec in sections:
        sec.heading = heading(sec.heading)
        sec.path = "/".join(heading(x) for x in sec.path.split("/"))
    for p in paras:
        if p.section:
            p.section = "/".join(heading(x) for x in p.section.split("/"))


def _meta_lines(meta: Meta, lines: list[str], title_line: int, chrome) -> dict[str, int]:
    try:
        return M.meta_lines(meta, lines, title_line, chrome)
    except Exception:  # pragma: no cover - defensive: quotes are a nicety, never fatal
        logger.exception("locating metadata lines failed")
        return {}


SNIPPET_HEADING = "（示例）"


def snippet_report(text: str, role: Role | None = None, doc_type: DocType = "annual_report") -> Report:
    """A Report for a rule's short example text.

    With `role`, everything sits under one synthetic section "（示例）" of that role (nested
    headings keep a role their own words name). `meta.doc_type` is `doc_type` and the period
    defaults to the current year so period-dependent rules apply.
    """
    raw = RawDocument(
        source="<snippet>",
        sha256=hashlib.sha256(text.encode("utf-8")).hexdigest(),
        format="txt",
        lines=text.splitlines(),
    )
    scan = L.scan(raw.lines)
    # A snippet has no title, addressee or 落款 to find: every block is body text.
    for b in scan.blocks:
        if b.kind == "title":
            b.kind = "text"
    built = S.build(scan.blocks, doc_type, top_items=True)
    paras = built.paragraphs
    sections = built.sections
    if role is not None:
        root = Section(id=0, heading=SNIPPET_HEADING, number=None, level=1, role=role, line=1, path=SNIPPET_HEADING)
        # renumber: the synthetic root is 0, real sections follow
        remap: dict[int, int] = {}
        for s in built.all_sections:
            remap[s.id] = s.id + 1
        by_old = {s.id: s for s in built.all_sections}

        def adopt(sec: Section, parent: Section) -> None:
            named, _ = S.role_from_heading(tnorm(sec.heading))
            sec.role = named if named and named != "closing" else parent.role
            sec.level = parent.level + 1
            sec.path = parent.path + "/" + sec.heading
            for c in sec.children:
                adopt(c, sec)

        for s in sections:
            adopt(s, root)
        for s in built.all_sections:
            s.id = remap[s.id]
        root.children = list(sections)
        sections = [root]
        for p in paras:
            if p.section_id is None:
                p.section_id, p.section, p.role = 0, root.path, role
            else:
                sec = by_old[p.section_id]
                p.section_id, p.section, p.role = sec.id, sec.path, sec.role
    body = "\n".join(p.text for p in paras)
    meta = M.build_meta(title=None, doc_type=doc_type, closing_lines=[], preamble=body[:300], body=body, page={},
                        header_lines=[])
    year = dt.date.today().year
    meta = Meta(**{**meta.model_dump(), "doc_type": doc_type, "period": dates.explicit_period(body) or (year, year)})
    metrics = [m for p in paras for m in paragraph_metrics(p)]
    return Report(
        source=raw.source,
        sha256=raw.sha256,
        format="txt",
        meta=meta,
        sections=sections,
        paragraphs=paras,
        metrics=metrics,
        lines=list(raw.lines),
    )
