"""Documents flattened into a few huge lines (a saved page pasted as one line, a PDF printed from
it): the page head (breadcrumb, 索引号 table) is cut off as chrome, and the text is cut before its
inline 一、二、 and （一）（二） headings and after a leading title, so the structure pass sees the
parts a normal document has on lines of their own."""

from __future__ import annotations

import re

from compliance.models import Span
from compliance.normalize import vocab
from compliance.normalize.headings import cn_int
from compliance.normalize.linetypes import _META_PAIR, Block, heading_style, hnorm
from compliance.text import cached_norm_map

RUN_IN_MIN = 1000  # a paragraph this long that runs 一、…二、… parts together is a whole report


def _cut_run_in_parts(blocks: list[Block]) -> list[Block]:
    """A page flattened into one paragraph per report, then re-wrapped (a PDF printed from the
    saved page): its wrapped lines join back into one huge block, cut here like a flattened line."""
    out: list[Block] = []
    for b in blocks:
        if b.kind != "text" or len(b.text) < RUN_IN_MIN:
            out.append(b)
            continue
        cuts = _flat_cuts(b.text, hnorm(b.text), first=False, inline=True)
        if not cuts:
            out.append(b)
            continue
        for start, end in zip([0] + cuts, cuts + [len(b.text)]):
            piece = Block(kind="text")
            for i, sp in enumerate(b.spans):
                nxt = b.spans[i + 1].offset if i + 1 < len(b.spans) else len(b.text)
                if nxt <= start or sp.offset >= end:
                    continue
                a = max(sp.offset, start)
                piece.spans.append(Span(offset=a - start, line=sp.line, col=sp.col + (a - sp.offset)))
            piece.text = b.text[start:end]
            if piece.text.strip():
                out.append(piece)
    return out


_TITLE_NOUN = re.compile(r"(?:报告|总结|计划|方案|要点|规划|情况|汇报|安排)")


# A flattened document (a whole report pasted or extracted as one line) is cut before inline
# 一、/二、 headings and after a leading title. Only a document of a few very long lines
# qualifies: an ordinary paragraph may well enumerate 一、…二、… inline.
FLAT_MIN = 120
FLAT_MAX_LINES = 5
_INLINE_CN = re.compile(r"(?:(?<=[。；;：:！!？?\s])|^)\s*(?P<num>[一二三四五六七八九十]{1,3})、")
_SENTENCE_START = re.compile(
    r"^(?:(?:19|20)(?:\d{2}|xx|XX)\s*年|今年|近年|近年来|一年来|为|根据|按照|依据|自(?:19|20)\d{2}|现将|我(?:局|县|区|市|镇|乡|委|办|厅))"
)


def _flat_cuts(text: str, norm: str, first: bool, inline: bool = True) -> list[int]:
    """Offsets in `text` where a flattened line should be cut: after a leading title (`first`
    line only) and before each inline 一、二、三、 heading, numbered in order from 一. Found on
    `norm`; mapped back to `text` only when there is a cut (most long lines have none, and the
    index of a long line with spaces is the costly part)."""
    title: int | None = None  # norm position of the title's last character
    if first:
        for m in _TITLE_NOUN.finditer(norm[:70]):
            head, rest = norm[:m.end()], norm[m.end():].lstrip()
            if 6 <= len(head) and _SENTENCE_START.match(rest) and not heading_style(head) \
                    and not _CLAUSE_MARK.search(head):
                title = m.end() - 1
                break
    inline_at: list[int] = []
    want = 1
    for m in (_INLINE_CN.finditer(norm) if inline else ()):
        if cn_int(m.group("num")) == want:
            inline_at.append(m.start("num"))
            want += 1
    if want == 2:  # a lone 一、 inside a paragraph is no outline
        inline_at.pop()
    paren_at = _paren_cuts(norm) if inline else []
    if title is None and not inline_at and not paren_at:
        return []
    _, idx = cached_norm_map(text)
    n = len(text)
    cuts = [idx[title] + 1] if title is not None and title < len(idx) else []
    cuts += [idx[k] if k < len(idx) else n for k in inline_at + paren_at]
    return sorted(set(c for c in cuts if 0 < c < n))


_CLAUSE_MARK = re.compile(r"[，,。；;：:！!？?]")
_INLINE_PAREN = re.compile(r"\((?P<num>[一二三四五六七八九十]{1,3})\)")


def _paren_cuts(norm: str) -> list[int]:
    """Positions in `norm` of inline （一）（二）… headings in a flattened line: each run numbered in
    order from （一） (a new run restarts under the next 一、 part); a run of one is no outline."""
    runs: list[list[int]] = []
    want = 0
    for m in _INLINE_PAREN.finditer(norm):
        val = cn_int(m.group("num"))
        k = m.start()
        if val == 1:
            runs.append([])
            want = 1
        if val != want or not runs:
            continue
        runs[-1].append(k)
        want += 1
    return [c for run in runs if len(run) >= 2 for c in run]


_PAGE_HEAD = re.compile(r"^(?:当前位置|您的位置|您现在的位置|您当前的位置|所在位置|首页|索引号)")
PAGE_HEAD_MAX = 800  # a breadcrumb plus an 索引号 table is shorter than this


def _strip_page_head(items: list[tuple[int, str, int, str]], chrome_meta: list[tuple[str, str, int]]
                     ) -> list[tuple[int, str, int, str]]:
    """A saved page flattened into one long line keeps its breadcrumb and 索引号 table in front of
    the document (当前位置：首页>… 索引号：… 发布日期：… 标题 正文…). That head is chrome: its pairs
    are metadata, and the document starts after the last pair's title (or after the last pair)."""
    out = []
    for lineno, text, col, norm in items:
        if len(norm) <= 160 or not _PAGE_HEAD.match(norm):
            out.append((lineno, text, col, norm))
            continue
        head = norm[:PAGE_HEAD_MAX]
        pairs = list(_META_PAIR.finditer(head))
        if not pairs:
            out.append((lineno, text, col, norm))
            continue
        last = pairs[-1]
        titles = [v for k, v, _ in chrome_meta if vocab.META_FIELDS.get(k) == "title" and len(v) >= 6]
        titles += [norm[m.end():pairs[i + 1].start()] if i + 1 < len(pairs) else ""
                   for i, m in enumerate(pairs) if vocab.META_FIELDS.get(m.group("key")) == "title"]
        cut = -1
        for t in (t for t in titles if len(t) >= 6):
            k = norm.find(t, last.end())
            if k >= 0:
                cut = k + len(t)
                break
        if cut < 0:  # no title repeated: the last pair's value is its first word
            m = re.match(r"[^\s\u4e00-\u9fff]*[\u4e00-\u9fff]{0,4}", norm[last.end():])
            cut = last.end() + (m.end() if m else 0)
        for m in pairs:
            nxt = next((q.start() for q in pairs if q.start() > m.start()), cut)
            chrome_meta.append((m.group("key"), norm[m.end():min(nxt, cut)].strip(), lineno))
        _, idx = cached_norm_map(text)
        at = idx[cut] if cut < len(idx) else len(text)
        rest = text[at:]
        lead = len(rest) - len(rest.lstrip())
        if rest.strip():
            out.append((lineno, rest.strip(), col + at + lead, hnorm(rest.strip())))
    return out


def _unflatten(items: list[tuple[int, str, int, str]]) -> list[tuple[int, str, int, str]]:
    few = len(items) <= FLAT_MAX_LINES
    out: list[tuple[int, str, int, str]] = []
    for j, (lineno, text, col, norm) in enumerate(items):
        # The first line may be a title run into the first sentence (any document); inline
        # headings are cut only in a document of a few very long lines.
        inline = few and len(norm) >= FLAT_MIN
        if not inline and not (j == 0 and len(norm) >= 40):
            out.append((lineno, text, col, norm))
            continue
        cuts = _flat_cuts(text, norm, first=j == 0, inline=inline)
        if not cuts:
            out.append((lineno, text, col, norm))
            continue
        start = 0
        for c in cuts + [len(text)]:
            piece = text[start:c]
            lead = len(piece) - len(piece.lstrip())
            piece = piece.strip()
            if piece:
                out.append((lineno, piece, col + start + lead, hnorm(piece)))
            start = c
    return out
