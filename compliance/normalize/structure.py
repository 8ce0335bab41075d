"""Blocks → paragraphs and the section tree, each section with a role.

Chinese official documents number headings 一、 → （一） → 1. → （1）, but not every writer
keeps that order, so a style's rank is the order in which it first appears — except that 一、
and 第X部分, when first seen under a weaker style, are placed above it (a preamble list "1." must
not swallow the whole report). Inline enumerations 一是…二是… become item sections whose
heading is their lead clause.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from compliance.models import DocType, Paragraph, Role, Section, Sentence, Span, line_at, trusted
from compliance.normalize import vocab
from compliance.normalize.headings import _keywords_in, _strong_child_role, cn_int, keyword_share, role_from_heading
from compliance.normalize.lines import Block, heading_style, hnorm, is_date_line, is_org_line, tnorm
from compliance.text import cached_norm_map as norm_map, split_sentences

# Canonical strength of each numbering style (lower = higher level).
CANONICAL = {"md1": 0, "md2": 1, "md3": 2, "plain": 3, "chapter": 3, "cn": 4, "cn_paren": 5, "num": 6, "num_paren": 7, "num_rparen": 8, "circled": 9}
_STRONG_TOP = {"chapter", "cn", "md1", "md2"}

_SHI = re.compile(r"(?:\*\*|__)?\s*([一二三四五六七八九十]{1,3})是(?:\*\*|__)?")
_SHI_CORE = re.compile("[一二三四五六七八九十]是")  # in every _SHI match; a quick scan rules most paragraphs out
_SHI_BOUNDARY = set("。；;：:，,！!？?")
_LEAD_END_RE = re.compile("[。；;！!？?]")  # a lead sentence's end
_LEAD_SOFT_RE = re.compile("[，,：:]")  # where an over-long lead may be cut

_CLOSING_RES = [
    re.compile(p)
    for p in (
        r"^(特此|专此)(报告|汇报|说明|通知|函告)[。.]?$",
        r"^以上(报告|汇报)?[,，]?(妥否|请审阅|请审示)?.{0,10}$",
        r"^(抄送|抄报|印发|主送|附件|联系人|联系电话|联 系 人)[:：\d].*$",
        r"^.{0,30}(办公室|办公厅)?\d{4}年\d{1,2}月\d{1,2}日印发$",
        r"^[(（]此件.{0,10}[)）]$",
        r"^[(（][\u4e00-\u9fff]{2,40}[)）]$",  # a second name under the signature: (某某执法支队)
    )
]




_MD_HASHES = re.compile(r"^#+\s*")
_LEAD_HASH = re.compile(r"^#+")
_MD_HEADING = re.compile(r"^(#{1,3})\s*\S")
_ANY_SPACE = re.compile(r"\s")


def clean_heading(text: str) -> str:
    """Heading as written minus Markdown markers, surrounding space and a closing 。；."""
    t = text.strip()
    t = _MD_HASHES.sub("", t)
    t = t.replace("**", "").replace("__", "")
    return t.strip().rstrip("。；;.").strip()


def _clean_number(text: str) -> str:
    return _LEAD_HASH.sub("", text).replace("**", "").replace("__", "").strip()


_GAP = re.compile(r"(?<=[\u4e00-\u9fff”」』）)])[ \t\u3000\u00a0]+(?=[\u4e00-\u9fff“「『（(])")


def lead_clause(text: str, start: int, max_len: int, gap: bool = False) -> int:
    """End offset (exclusive, without the terminator) of the lead sentence starting at `start`.

    With `gap`, a space between CJK characters also ends it when the words before it are a
    solid run: web text often puts a heading and its body on one line
    (`一、加强组织领导 今年以来，…`); letter-spaced PDF text has no such run."""
    n = len(text)
    stop = _LEAD_END_RE.search(text, start)
    end = stop.start() if stop else n
    if gap:
        body = start + len(text[start:]) - len(text[start:].lstrip())
        m = _GAP.search(text, body, min(end, body + max_len + 1))
        if m and m.start() - body >= 4 and not _ANY_SPACE.search(text, body, m.start()):
            return m.start()
    if end - start > max_len:
        soft = _LEAD_SOFT_RE.search(text, start + 4, min(end, n))
        return soft.start() if soft else min(end, start + max_len)
    return end


# Where a heading glued to its body (a saved page flattens a section into one line) ends: at a
# nested number (（一） 一是 1.), at a word that starts a sentence (2022年，/ 今年以来 / 我局), or
# right after a section label (存在的主要问题 / 下一步工作计划) that is not joined to more (及成效).
_GLUED_NEST = re.compile(r"[(（][一二三四五六七八九十]{1,3}[)）]|[一二三四五六七八九十]{1,2}是(?=[\u4e00-\u9fff“《])|\d{1,2}[、.](?=[\u4e00-\u9fff])")
_GLUED_START = re.compile(
    r"(?:19|20)\d{2}\s*年(?![度底初末])|今年以来|今年|近年来|近年|一年来|近三年|自\s*(?:19|20)\d{2}|为了|为进一步|为切实|为全面|为深入"
    r"|按照|根据|我(?:局|区|县|市|委|办|厅|中心|镇|乡)|本(?:局|委|单位)|局(?:党组|党委|领导班子)"
    # the bureau named as the subject: 区行政审批局党组高度重视…
    r"|[区县市州旗镇乡][\u4e00-\u9fff]{1,8}?(?:局|委|办|中心)(?=党组|党委|领导班子|高度重视|始终|坚持|认真|严格|深入|全面|切实|积极)")
_LABEL_JOIN = set("及和与、,，暨以并")
_LABEL_ROLES = {"measures", "problems", "plans"}  # section labels; not topics such as 第一责任人


def glued_end(text: str, start: int, end: int) -> int:
    """End of a heading that runs on into its body without a stop (see above); `end` otherwise."""
    if end >= len(text.rstrip()) or text[end:end + 1].isspace():
        return end
    stop = _LEAD_END_RE.search(text, start)
    hard = stop.start() if stop else len(text)
    seg = text[start:min(hard, start + 60)]
    cuts = [m.start() for m in _GLUED_NEST.finditer(seg) if m.start() >= 2]
    cuts += [m.start() for m in _GLUED_START.finditer(seg) if m.start() >= 4]
    for i, w, roles, _ in _keywords_in(seg):
        k = i + len(w)
        if set(roles) & _LABEL_ROLES and 4 <= k < len(seg) and seg[k] not in _LABEL_JOIN \
                and (w not in vocab.WEAK_KEYWORDS or len(w) / k >= vocab.WEAK_MIN_SHARE):
            cuts.append(k)
    return start + min(cuts) if cuts else end


@dataclass
class _Open:
    section: Section
    rank: int  # -1 for 一是 items


@dataclass
class Built:
    paragraphs: list[Paragraph]
    sections: list[Section]
    title_block: int | None = None
    closing_from: int | None = None  # first closing paragraph id
    all_sections: list[Section] = field(default_factory=list)


class _Builder:
    def __init__(self, doc_type: DocType, top_items: bool = False):
        self.doc_type = doc_type
        self.top_items = top_items  # 一是 items outside any section (snippets) become sections
        self.order: list[str] = []
        self.stack: list[_Open] = []
        self.top: list[Section] = []
        self.all: list[Section] = []
        self.paragraphs: list[Paragraph] = []
        self.seen_tail_role = False  # a problems/plans top section was seen

    # ------------------------------------------------------------------ ranks
    def rank(self, style: str) -> int:
        if style not in self.order:
            canon = CANONICAL.get(style, 9)
            pos = len(self.order)
            if style in _STRONG_TOP:
                for k, s in enumerate(self.order):
                    if CANONICAL.get(s, 9) > canon:
                        pos = k
                        break
            self.order.insert(pos, style)
        return self.order.index(style)

    # ------------------------------------------------------------------ sections
    def open_section(self, heading: str, number: str | None, style: str | None, line: int) -> Section:
        if style is None:  # 一是 item: child of the current numbered section
            while self.stack and self.stack[-1].rank == -1:
                self.stack.pop()
            rank = -1
        else:
            rank = self.rank(style)
            while self.stack and (self.stack[-1].rank == -1 or self.stack[-1].rank >= rank):
                self.stack.pop()
        parent = self.stack[-1].section if self.stack else None
        sec = Section(
            id=len(self.all),
            heading=heading,
            number=number,
            level=len(self.stack) + 1,
            role=self._role(heading, number, parent),
            line=line,
            path=(parent.path + "/" if parent else "") + heading,
        )
        if parent is None:
            self.top.append(sec)
        else:
            parent.children.append(sec)
        self.all.append(sec)
        self.stack.append(_Open(sec, rank))
        return sec

    def _role(self, heading: str, number: str | None, parent: Section | None) -> Role:
        body = tnorm(heading)
        if number:
            nn = tnorm(number)
            body = body[len(nn):] if body.startswith(nn) else body
        named, _ = role_from_heading(body)
        if parent is not None:
            strong = _strong_child_role(body)
            if strong:
                return strong
            generic = len(body) <= vocab.CHILD_OVERRIDE_MAX_LEN and keyword_share(body) >= 0.5
            if named and generic and named not in ("closing",):
                if not (self.doc_type == "plan" and named in ("measures", "results")):
                    return named
            return parent.role
        # top level
        if self.doc_type == "plan":
            if any(w in body for w in vocab.PLAN_FRAME_KEYWORDS):
                return "other"
            if named in (None, "measures", "results", "plans"):
                return "plans"
            return named  # type: ignore[return-value]
        if named is None:
            # A report organised by topic (一、加强党的领导 …): before its problems/plans
            # part, a topic section describes work done.
            if self.doc_type in ("annual_report", "work_summary", "self_inspection") and not self.seen_tail_role:
                return "measures"
            return "other"
        if named in ("problems", "plans"):
            self.seen_tail_role = True
        return named

    def current(self) -> Section | None:
        return self.stack[-1].section if self.stack else None

    def close_items(self) -> None:
        while self.stack and self.stack[-1].rank == -1:
            self.stack.pop()

    # ------------------------------------------------------------------ paragraphs
    def add_paragraph(self, text: str, spans: list[Span], sec: Section | None, role: Role, is_heading: bool) -> Paragraph:
        pid = len(self.paragraphs)
        sentences = []
        pieces = split_sentences(text)
        # When normalizing the paragraph drops nothing (no space, no emphasis: most paragraphs), a
        # sentence's matching form is the same slice of the paragraph's (whose is mostly cached).
        whole = tnorm(text) if len(pieces) > 1 else ""
        sliced = len(whole) == len(text) and not _ANY_SPACE.search(whole)
        for off, s in pieces:
            norm = whole[off:off + len(s)] if sliced else tnorm(s)
            sentences.append(trusted(Sentence, {"text": s, "norm": norm, "offset": off, "line": line_at(spans, _first_ink(s, off))}))
        p = trusted(Paragraph, {
            "id": pid,
            "text": text,
            "spans": list(spans),  # as validation would: a list of its own
            "sentences": sentences,
            "section_id": sec.id if sec else None,
            "section": sec.path if sec else "",
            "role": role,
            "is_heading": is_heading,
        })
        self.paragraphs.append(p)
        return p


def _first_ink(s: str, off: int) -> int:
    """Offset of the first non-space character of a sentence (its line is where it starts)."""
    k = len(s) - len(s.lstrip())
    return off + (k if k < len(s) else 0)


def slice_spans(spans: list[Span], start: int, end: int) -> list[Span]:
    """Spans for text[start:end], re-based to start at 0."""
    out: list[Span] = []
    for i, sp in enumerate(spans):
        nxt = spans[i + 1].offset if i + 1 < len(spans) else 1 << 60
        if nxt <= start or sp.offset >= end:
            continue
        if sp.offset <= start:
            out.append(trusted(Span, {"offset": 0, "line": sp.line, "col": sp.col + (start - sp.offset)}))
        else:
            out.append(trusted(Span, {"offset": sp.offset - start, "line": sp.line, "col": sp.col}))
    return out


def _shi_items(text: str) -> list[tuple[int, int, str]]:
    """(start, numeral end, numeral) of 一是/二是 items that start a clause; ascending numbers,
    the first being 一 unless it opens the paragraph."""
    found: list[tuple[int, int, str]] = []
    if not _SHI_CORE.search(text):
        return found
    for m in _SHI.finditer(text):
        s = m.start()
        k = s - 1
        while k >= 0 and text[k] in " \t\u3000":
            k -= 1
        at_start = k < 0
        if not at_start and text[k] not in _SHI_BOUNDARY and text[k] not in "”’\"】)）":
            continue
        val = cn_int(m.group(1))
        if val is None:
            continue
        if found:
            if val <= cn_int(found[-1][2]):  # type: ignore[operator]
                continue
        elif not at_start and val != 1:
            continue
        found.append((s, m.end(), m.group(1)))
    if found and found[0][0] > 0 and len(found) < 2:
        return []  # a lone inline 一是 is a word, not an enumeration
    return found


def _plain_label(norm: str) -> bool:
    """An unnumbered line that is only a section label: 主要做法 / 存在的问题 / 下一步工作打算."""
    s = norm.strip("*#_ :：")
    if not 2 <= len(s) <= 16 or any(ch in s for ch in "。，,；;！!？?、"):
        return False
    role, pos = role_from_heading(s)
    return role is not None and role != "closing" and pos <= 4


def build(blocks: list[Block], doc_type: DocType, top_items: bool = False) -> Built:
    b = _Builder(doc_type, top_items)
    title_id: int | None = None
    # Documents without numbered top headings often mark parts with bare labels.
    numbered = any(
        (hs := heading_style(hnorm(blk.text))) and hs[0] in ("cn", "chapter") or blk.text.lstrip().startswith("#")
        for blk in blocks
    )
    for blk in blocks:
        text, spans = blk.text, blk.spans
        norm = hnorm(text)
        if blk.kind == "title" and title_id is None and not b.all:
            p = b.add_paragraph(text, spans, None, "preamble", True)
            title_id = p.id
            continue
        if not numbered and blk.kind == "text" and _plain_label(norm):
            sec = b.open_section(clean_heading(text), None, "plain", blk.line)
            b.add_paragraph(text, spans, sec, sec.role, True)
            continue
        hs = heading_style(norm)
        md = _MD_HEADING.match(text.strip())
        if md and not hs:
            sec = b.open_section(clean_heading(text), None, f"md{len(md.group(1))}", blk.line)
            b.add_paragraph(text, spans, sec, sec.role, True)
            continue
        if hs:
            style, number = hs
            # number as written: the same length prefix after leading markdown/space
            lead_off = _prefix_offset(text, norm, number)
            lead_end = lead_clause(text, lead_off, 40, gap=True)
            end = glued_end(text, lead_off, lead_end)
            glued = end < lead_end
            if style in ("cn", "chapter") and len(norm) <= 62 and not _LEAD_END_RE.search(text) \
                    and not text[end:end + 1].isspace():
                end = len(text.rstrip())  # a long top heading wrapped over two lines, no body
            rest = text[end:].strip()
            split_body = text[end:end + 1].isspace() and len(rest) >= 4 and rest[-1] in "。；;！!？?"
            if blk.kind == "heading" and not split_body and not glued:
                sec = b.open_section(clean_heading(text), _clean_number(text[:lead_off]) or number, style, blk.line)
                b.add_paragraph(text, spans, sec, sec.role, True)
                continue
            heading = clean_heading(text[:end])
            sec = b.open_section(heading, _clean_number(text[:lead_off]) or number, style, blk.line)
            _emit_with_items(b, text, spans, sec)
            continue
        b.close_items()
        _emit_with_items(b, text, spans, b.current())

    built = Built(paragraphs=b.paragraphs, sections=b.top, title_block=title_id, all_sections=b.all)
    _overview_is_other(built)
    _mark_preamble_and_closing(built)
    return built


def _overview_is_other(built: Built) -> None:
    """A bare overview (一、总体情况 / 基本情况 / 概况) followed by a section of the year's work
    sums up; the work itself is told in that later section, so the overview is `other`."""
    top = built.sections
    for k, sec in enumerate(top):
        body = tnorm(sec.heading)[len(tnorm(sec.number or "")):].strip("：:")
        if sec.role != "measures" or body not in vocab.OVERVIEW_HEADINGS:
            continue
        if not any(t.role == "measures" and tnorm(t.heading) != tnorm(sec.heading) for t in top[k + 1:]):
            continue
        ids = set()
        stack = [sec]
        while stack:
            t = stack.pop()
            t.role = "other"
            ids.add(t.id)
            stack.extend(t.children)
        for p in built.paragraphs:
            if p.section_id in ids:
                p.role = "other"


def _prefix_offset(text: str, norm: str, number: str) -> int:
    """Offset in `text` just past the heading number found at the start of `norm`."""
    _, idx = norm_map(text)
    nstart = len(norm) - len(norm.lstrip("#").lstrip())
    k = nstart + len(number.rstrip()) - 1  # hnorm may have put back a space after "1"
    if 0 <= k < len(idx):
        return idx[k] + 1
    return 0


def _emit_with_items(b: _Builder, text: str, spans: list[Span], sec: Section | None) -> None:
    """Emit a paragraph, split at inline 一是/二是 items (each piece under its item section)."""
    items = _shi_items(text) if (sec is not None or b.top_items) else []
    if not items:
        role = sec.role if sec else "preamble"
        b.add_paragraph(text, spans, sec, role, False)
        return
    cuts = [s for s, _, _ in items]
    if cuts[0] > 0 and text[: cuts[0]].strip():
        role = sec.role if sec else "preamble"
        b.add_paragraph(text[: cuts[0]], slice_spans(spans, 0, cuts[0]), sec, role, False)
    for k, (s, _num_end, num) in enumerate(items):
        e = cuts[k + 1] if k + 1 < len(cuts) else len(text)
        piece = text[s:e]
        end = lead_clause(text, s, 30)
        heading = clean_heading(text[s:min(end, e)])
        item = b.open_section(heading, f"{num}是", None, line_at(spans, s))
        b.add_paragraph(piece, slice_spans(spans, s, e), item, item.role, False)
    b.close_items()


def is_closing_text(norm: str) -> bool:
    n = norm.strip()
    if is_date_line(n) or is_org_line(n):
        return True
    return any(rx.match(n) for rx in _CLOSING_RES)


def _signature_block(paras: list[Paragraph]) -> tuple[int, int] | None:
    """(start, end) of the 落款 (特此报告 / signature / date) when attachments follow it."""
    lo = max(0, len(paras) - 20)
    for k in range(len(paras) - 1, lo - 1, -1):
        n = tnorm(paras[k].text).strip()
        if paras[k].is_heading or not is_org_line(n):
            continue
        glued = bool(re.search(r"\d{4}[-./年]", n))
        nxt = tnorm(paras[k + 1].text).strip() if k + 1 < len(paras) else ""
        if not glued and not is_date_line(nxt):
            continue
        start, end = k, k + (1 if glued else 2)
        while start > 0 and not paras[start - 1].is_heading and len(paras[start - 1].text) <= 60 \
                and is_closing_text(tnorm(paras[start - 1].text)):
            start -= 1
        while end < len(paras) and len(paras[end].text) <= 60 and is_closing_text(tnorm(paras[end].text)) \
                and not tnorm(paras[end].text).startswith("附件"):
            end += 1
        return start, end
    return None


def _mark_preamble_and_closing(built: Built) -> None:
    paras = built.paragraphs
    # Closing: the trailing run of signature, date, 特此报告, 抄送/印发 lines.
    k = len(paras)
    while k > 0:
        p = paras[k - 1]
        if p.is_heading or len(p.text) > 60 or not is_closing_text(tnorm(p.text)):
            break
        k -= 1
    span: tuple[int, int] | None = (k, len(paras)) if 0 < k < len(paras) else None
    if span is None or not any(is_org_line(tnorm(p.text)) or is_date_line(tnorm(p.text)) for p in paras[k:]):
        span = _signature_block(paras) or span
    if span is not None and span[0] > 0:
        built.closing_from = span[0]
        for p in paras[span[0]:span[1]]:
            p.role = "closing"
            p.section_id = None
            p.section = ""
        for p in paras[span[1]:]:  # attachments after the 落款: outside the report's sections
            p.role = "other"
            p.section_id = None
            p.section = ""
    for p in paras:
        if p.section_id is None and p.role not in ("closing", "other"):
            p.role = "preamble"
