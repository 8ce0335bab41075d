"""Input lines → paragraph blocks with spans; page chrome dropped but its metadata kept.

Readers leave one paragraph per line for .docx/HTML, but PDF text and pasted web pages wrap
mid-sentence and break pages (`…理解能力` / blank / `和执行能力`). A line continues the previous
one when the previous does not end a sentence and neither is a heading, title, signature or
date. Every character of a block keeps its input line and column through `spans`.
"""

from __future__ import annotations
import re

from compliance.models import Span
from compliance.normalize import vocab
from compliance.normalize.flat import _cut_run_in_parts, _strip_page_head, _unflatten
from compliance.normalize.linetypes import (  # noqa: F401  (re-exported: structure, meta, core, tests use them from here)
    _NO, _VALUE_OK, SENT_TERM, Block, LineScan, heading_style, hnorm, is_chrome, is_date_line, is_org_line,
    is_pure_heading, parse_meta_pairs, tnorm,
)

_LONE_NUMBER = re.compile(r"^\d{1,3}$")
# Characters that mark a line as cut mid-sentence even when short.
_OPEN_END = set("，,、（(《“‘[【-—+")
_CONT_START = set("，,。、；;：:）)》”’】]%")
_STOP = re.compile("[。！？!?；;]")


def _strip(line: str) -> tuple[str, int]:
    """Line without surrounding whitespace (incl. U+3000, BOM, NBSP) and its start column."""
    start = 0
    n = len(line)
    ws = " \t\u3000\u00a0\ufeff\r\n\u200b\x0b\x0c"
    while start < n and line[start] in ws:
        start += 1
    end = n
    while end > start and line[end - 1] in ws:
        end -= 1
    return line[start:end], start


def scan(lines: list[str]) -> LineScan:
    """Classify lines, drop chrome, re-join wrapped lines into blocks."""
    items: list[tuple[int, str, int, str]] = []  # (lineno, text, col, norm)
    chrome_meta: list[tuple[str, str, int]] = []
    chrome_lines: list[int] = []
    stripped = [_strip(raw) for raw in lines]
    norms = [hnorm(t) if t else "" for t, _c in stripped]
    width = wrap_width([" " * min(c, 4) + t if t else t for t, c in stripped], norms)  # indent counts, see _span
    prev_chrome_full = False
    prev_chrome_digit = False
    pending_key: str | None = None  # "发布机构:" with its value on the next line
    blanks = 0
    for i, (text, col) in enumerate(stripped, start=1):
        if not text:
            blanks += 1
            if blanks > 2:  # a value may sit one blank line below its key (• 发文字号: / / 镇政发〔2024〕7号)
                pending_key = None
            continue
        blanks = 0
        norm = norms[i - 1]
        if not norm.strip("*_#"):
            continue
        if pending_key and _VALUE_OK.get(vocab.META_FIELDS.get(pending_key, ""), _NO).match(norm):
            chrome_meta.append((pending_key, norm, i))
            chrome_lines.append(i)
            pending_key = None
            continue
        pending_key = None
        chrome = is_chrome(norm)
        if not chrome and prev_chrome_full and len(norm) <= 15 and norm[-1] not in SENT_TERM and not heading_style(norm):
            chrome = True  # the wrapped tail of a breadcrumb or metadata line
        if not chrome and prev_chrome_full and prev_chrome_digit and norm[0].isdigit() and len(norm) <= 40:
            chrome = True  # "…发布日期:2018-04-0" / "3 浏览次数:": a date cut by the wrap
        if chrome:
            prev_chrome_full = width is not None and _span(text, col) >= width - 1
            prev_chrome_digit = text[-1:].isdigit()
            chrome_lines.append(i)
            pairs = parse_meta_pairs(norm)
            for k, v in pairs:
                chrome_meta.append((k, v, i))
            if pairs and not pairs[-1][1]:
                pending_key = pairs[-1][0]
            continue
        prev_chrome_full = False
        items.append((i, text, col, norm))

    # A lone 1-3 digit line between sentence ends is a page number; otherwise a number cut in two.
    kept: list[tuple[int, str, int, str]] = []
    for j, it in enumerate(items):
        if _LONE_NUMBER.match(it[3]):
            prev = kept[-1][3] if kept else ""
            nxt = items[j + 1][3] if j + 1 < len(items) else ""
            cut = prev and prev[-1].isdigit() or (prev and prev[-1] not in SENT_TERM and nxt and not heading_style(nxt)
                                                  and (nxt[0].isdigit() or nxt[0] in _CONT_START or nxt[0] in "万亿件个人次%"))
            if not cut:
                chrome_lines.append(it[0])
                continue
        kept.append(it)
    kept = _strip_page_head(kept, chrome_meta)
    kept = _unflatten(kept)

    blocks: list[Block] = []
    title_done = False
    prev_norm = ""
    before_heading = True
    prev_len = 0
    for lineno, text, col, norm in kept:
        kind = _kind(norm, width is not None and _span(text, col) >= width - 1)
        cur = blocks[-1] if blocks else None
        full = width is not None and prev_len >= width - 1
        if kind in ("org", "date", "heading") and full and cur is not None and cur.kind == "text" \
                and prev_norm[-1:] not in SENT_TERM:
            kind = "text"  # "…报送至盘锦" / "市交通运输局。" / "1、…": the rest of a wrapped sentence
        if cur is not None and _continues(cur, prev_norm, norm, kind, before_heading, full):
            cur.add(text, lineno, col)
            prev_norm = norm
            prev_len = _span(text, col)
            continue
        b = Block(kind=kind)
        b.add(text, lineno, col)
        blocks.append(b)
        prev_norm = norm
        prev_len = _span(text, col)
        if heading_style(norm):
            before_heading = False
    blocks = _cut_run_in_parts(blocks)
    # The first short block before any heading that names a document kind is the title; an
    # issuer line right above a "关于…" or "2023年度…" line is part of it.
    for bi, b in enumerate(blocks):
        if b.kind == "heading" or heading_style(hnorm(b.text)):
            break
        if not title_done and _looks_like_title(tnorm(b.text)):
            org = blocks[bi - 1] if bi > 0 else None
            if org is not None and org.kind == "org" and _title_continues_org(tnorm(org.text), tnorm(b.text)):
                for sp in b.spans:
                    org.spans.append(Span(offset=len(org.text) + sp.offset, line=sp.line, col=sp.col))
                org.text += b.text
                org.kind = "title"
                del blocks[bi]
            else:
                b.kind = "title"
            title_done = True
            break
    return LineScan(blocks=blocks, chrome_meta=chrome_meta, chrome_lines=sorted(chrome_lines))


_YEAR_START = re.compile(r"^(?:19|20)\d{2}\s*年")
def _title_continues_org(org: str, title: str) -> bool:
    """`苏州市交通运输局` / `2023年度法治政府建设工作报告`: the issuer line is the title's first half.
    Not when the org line carries a date (a signature) or the title names its own issuer."""
    if re.search(r"\d", org):
        return False
    return title.startswith("关于") or bool(_YEAR_START.match(title))


def _kind(norm: str, full: bool = False) -> str:
    # A numbered line that fills the wrap width runs on (a long heading or a paragraph's first line).
    if not full and is_pure_heading(norm, full):
        return "heading"
    if is_date_line(norm):
        return "date"
    if is_org_line(norm):
        return "org"
    return "text"


_TITLE_END = re.compile(
    r"(报告|总结|计划|方案|要点|规划|思路|意见|通知|情况|办法|规定|细则|通报|决定|纪要|公告|函|请示|汇报|安排|打算|清单"
    r"|制度|解读|年报|规则|章程)"
    r"\s*(?:[(\[【][^)\]】]{0,30}[)\]】])?\s*(?:[—\-－]{1,2}\s*全文|[(（]全文[)）])?\s*$"
)


# `栏目: 公示公告`, `分类：工作报告`: a page header's `key: value` line, never a title.
_KEY_VALUE = re.compile(r"^[\u4e00-\u9fff/]{1,6}\s*[:：]")


def _looks_like_title(norm: str) -> bool:
    s = norm.strip("*#_ 《》")
    if _KEY_VALUE.match(s):
        return False
    return 6 <= len(s) <= 90 and s[-1:] not in "。；;，," and "。" not in s and bool(_TITLE_END.search(s)) \
        and not heading_style(s)


def _span(text: str, col: int) -> int:
    """Width a line takes counting a paragraph indent (two full-width spaces in most PDFs), so an
    indented first line that fills the width counts as full."""
    return len(text) + min(col, 4)


def wrap_width(texts: list[str], norms: list[str] | None = None) -> int | None:
    """The fixed line width of wrapped text (PDF, OFD, fixed-width .txt), or None.

    Wrapped text has many lines of (nearly) the same maximal length; text with one paragraph
    per line has lengths all over the place. `norms`: each text's `hnorm` when known (the
    indent a text may carry here changes neither its matching form nor its numbering)."""
    if norms is None:
        norms = [hnorm(t) for t in texts]
    lens = [len(t) for t, n in zip(texts, norms) if len(t) >= 15 and not heading_style(n)]
    if len(lens) < 4:
        return None
    counts: dict[int, int] = {}
    for n in lens:
        counts[n] = counts.get(n, 0) + 1
    best = max(counts, key=lambda n: (counts[n] + counts.get(n - 1, 0), n))
    share = (counts[best] + counts.get(best - 1, 0)) / len(lens)
    if share < 0.3 or counts[best] + counts.get(best - 1, 0) < 3:
        return None
    if sum(1 for n in lens if n > best + 4) > 0.2 * len(lens):
        return None  # many longer lines: not a wrap width, just a common length
    return best


def _continues(cur: Block, prev_norm: str, norm: str, kind: str, before_heading: bool, full: bool = False) -> bool:
    """Does this line continue the block `cur` (whose last line normalized is `prev_norm`)?

    `full`: the previous line filled the document's wrap width, so even a sentence end there may
    be a wrap point rather than a paragraph end."""
    if cur.kind in ("heading", "date", "org", "title") or kind in ("heading", "date", "org"):
        return False
    if not prev_norm or prev_norm.endswith("\ufffd") or prev_norm.startswith("附件"):
        return False
    if prev_norm[-1] in SENT_TERM:
        return full and prev_norm[-1] not in ":：" and not heading_style(norm)
    if heading_style(norm):
        # A new numbered item starts a paragraph — unless the "numbering" is the rest of a cut
        # number, or the previous line filled the width mid-sentence ("…完善" / "1、2、3项").
        if not (prev_norm[-1].isdigit() or prev_norm[-1] == "." or full):
            return False
    if before_heading and len(cur.spans) <= 3:
        cur_norm = tnorm(cur.text)
        if _looks_like_title(cur_norm) and not (full and len(norm) <= 20 and _looks_like_title(cur_norm + norm)):
            return False  # a title line is followed by the addressee or the preamble, not its rest
        if cur_norm.startswith("关于") and len(norm) <= 40 and _looks_like_title(cur_norm + norm):
            return True  # "关于2023年度法治政府" / "建设情况的报告"
    last = prev_norm[-1]
    if last in _OPEN_END or norm[0] in _CONT_START:
        return True
    if (last.isdigit() or last == ".") and (norm[0].isdigit() or norm[0] in "万亿件个人次%."):
        return True
    if _STOP.search(prev_norm, 0, len(prev_norm) - 1):
        return True  # a line of sentences that stops mid-sentence is cut, whatever its length
    # Soft wraps and page breaks cut full-width lines; a short unterminated line is a heading
    # or label of its own.
    return len(prev_norm) >= 15
