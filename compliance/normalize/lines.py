"""Input lines → paragraph blocks with spans; page chrome dropped but its metadata kept.

Readers leave one paragraph per line for .docx/HTML, but PDF text and pasted web pages wrap
mid-sentence and break pages (`…理解能力` / blank / `和执行能力`). A line continues the previous
one when the previous does not end a sentence and neither is a heading, title, signature or
date. Every character of a block keeps its input line and column through `spans`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from compliance.models import Span
from compliance.normalize import vocab
from compliance.text import normalize as tnorm

_CHROME_RES = [re.compile(p) for p in vocab.CHROME_LINE_PATTERNS]
_KEYS_SORTED = sorted(vocab.META_KEYS, key=len, reverse=True)
_KEY_ALT = "|".join(re.escape(k) for k in _KEYS_SORTED)
_META_START = re.compile(rf"^(?:{_KEY_ALT})\s*[:：]")
_META_PAIR = re.compile(rf"(?P<key>{_KEY_ALT})\s*[:：]\s*")

# Heading numbering at the start of a (normalized) line: style name → regex. Ordered so the
# more specific forms are tried first.
HEADING_STYLES: list[tuple[str, re.Pattern[str]]] = [
    ("chapter", re.compile(r"^第[一二三四五六七八九十百零〇]+[部分章节篇](?:[、.:\s]|$)")),
    ("cn", re.compile(r"^[一二三四五六七八九十]{1,3}(?:、|[.,，](?!\d))")),
    ("cn_paren", re.compile(r"^[(\[][一二三四五六七八九十]{1,3}[)\]][、.]?")),
    ("num", re.compile(r"^\d{1,2}(?:[、]|\.(?!\d)|\s(?=[\u4e00-\u9fff]))")),
    ("num_paren", re.compile(r"^[(\[]\d{1,2}[)\]][、.]?")),
    ("circled", re.compile(r"^[\u2460-\u2473\u2776-\u277f]")),
]
SENT_TERM = set("。；;：:！!？?")
_DATE_LINE = re.compile(
    r"^\s*(?:\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日|\d{4}[-./]\d{1,2}[-./]\d{1,2}"
    r"|[〇零一二三四五六七八九○Ｏ0]{4}\s*年[一二三四五六七八九十]{1,3}月[一二三四五六七八九十]{1,3}日)\s*$"
)
_ORG_LINE = re.compile(rf"^[\u4e00-\u9fff()（）]{{2,40}}{vocab.ORG_SUFFIX}\s*(?:\d{{4}}[-./年].*)?$")
_LONE_NUMBER = re.compile(r"^\d{1,3}$")
# Characters that mark a line as cut mid-sentence even when short.
_OPEN_END = set("，,、（(《“‘[【-—+")
_CONT_START = set("，,。、；;：:）)》”’】]%")


def heading_style(norm: str) -> tuple[str, str] | None:
    """(style, numbering) if the normalized line starts with heading numbering."""
    s = norm.lstrip("#").lstrip()
    for name, rx in HEADING_STYLES:
        m = rx.match(s)
        if m:
            return name, m.group(0)
    return None


def is_pure_heading(norm: str) -> bool:
    """A numbered line that is only a heading: short, and no sentence break before its end."""
    hs = heading_style(norm)
    if not hs:
        return False
    rest = norm.lstrip("#").lstrip()[len(hs[1]):].strip()
    if not rest or len(rest) > 40:
        return False
    return not any(ch in SENT_TERM for ch in rest[:-1])


def is_date_line(norm: str) -> bool:
    return bool(_DATE_LINE.match(norm))


def is_org_line(norm: str) -> bool:
    return len(norm) <= 48 and bool(_ORG_LINE.match(norm)) and not heading_style(norm)


def parse_meta_pairs(norm: str) -> list[tuple[str, str]]:
    """`发布机构: 市交通运输局 成文日期: 2020-01-09` → [(发布机构, 市交通运输局), (成文日期, 2020-01-09)]."""
    found = list(_META_PAIR.finditer(norm))
    out = []
    for i, m in enumerate(found):
        end = found[i + 1].start() if i + 1 < len(found) else len(norm)
        out.append((m.group("key"), norm[m.end():end].strip()))
    return out


def is_chrome(norm: str) -> bool:
    if not norm:
        return False
    if len(norm) <= 160 and _META_START.match(norm):
        return True
    return any(rx.match(norm) for rx in _CHROME_RES)


@dataclass
class Block:
    """A paragraph being built: text as written plus spans back to the input."""

    text: str = ""
    spans: list[Span] = field(default_factory=list)
    kind: str = "text"  # text | heading | title | date | org

    def add(self, piece: str, line: int, col: int) -> None:
        self.spans.append(Span(offset=len(self.text), line=line, col=col))
        self.text += piece

    @property
    def line(self) -> int:
        return self.spans[0].line if self.spans else 0


@dataclass
class LineScan:
    blocks: list[Block]
    chrome_meta: list[tuple[str, str, int]]  # (key, value, line)
    chrome_lines: list[int]


def _strip(line: str) -> tuple[str, int]:
    """Line without surrounding whitespace (incl. U+3000, BOM, NBSP) and its start column."""
    start = 0
    n = len(line)
    ws = " \t\u3000\u00a0\ufeff\r\n\u200b"
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
    for i, raw in enumerate(lines, start=1):
        text, col = _strip(raw)
        if not text:
            continue
        norm = tnorm(text)
        if not norm.strip("*_#"):
            continue
        if is_chrome(norm):
            chrome_lines.append(i)
            for k, v in parse_meta_pairs(norm):
                chrome_meta.append((k, v, i))
            continue
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

    blocks: list[Block] = []
    title_done = False
    prev_norm = ""
    before_heading = True
    for lineno, text, col, norm in kept:
        kind = _kind(norm)
        cur = blocks[-1] if blocks else None
        if cur is not None and _continues(cur, prev_norm, norm, kind, before_heading):
            cur.add(text, lineno, col)
            prev_norm = norm
            continue
        b = Block(kind=kind)
        b.add(text, lineno, col)
        blocks.append(b)
        prev_norm = norm
        if heading_style(norm):
            before_heading = False
    # The first short block before any heading that names a document kind is the title; an
    # issuer line right above a "关于…" line is part of it.
    for k, b in enumerate(blocks):
        if b.kind == "heading" or heading_style(tnorm(b.text)):
            break
        if not title_done and _looks_like_title(tnorm(b.text)):
            prev = blocks[k - 1] if k > 0 else None
            if prev is not None and prev.kind == "org" and tnorm(b.text).startswith("关于"):
                for sp in b.spans:
                    prev.spans.append(Span(offset=len(prev.text) + sp.offset, line=sp.line, col=sp.col))
                prev.text += b.text
                prev.kind = "title"
                del blocks[k]
            else:
                b.kind = "title"
            title_done = True
            break
    return LineScan(blocks=blocks, chrome_meta=chrome_meta, chrome_lines=sorted(chrome_lines))


def _kind(norm: str) -> str:
    if is_pure_heading(norm):
        return "heading"
    if is_date_line(norm):
        return "date"
    if is_org_line(norm):
        return "org"
    return "text"


_TITLE_END = re.compile(
    r"(报告|总结|计划|方案|要点|规划|思路|意见|通知|情况|办法|规定|细则|通报|决定|纪要|公告|函|请示|汇报|安排|打算|清单)"
    r"\s*(?:[(\[【][^)\]】]{0,30}[)\]】])?\s*$"
)


def _looks_like_title(norm: str) -> bool:
    s = norm.strip("*#_ ")
    return 6 <= len(s) <= 90 and s[-1:] not in "。；;，," and bool(_TITLE_END.search(s)) and not heading_style(s)


def _continues(cur: Block, prev_norm: str, norm: str, kind: str, before_heading: bool) -> bool:
    """Does this line continue the block `cur` (whose last line normalized is `prev_norm`)?"""
    if cur.kind in ("heading", "date", "org", "title") or kind in ("heading", "date", "org"):
        return False
    if not prev_norm or prev_norm[-1] in SENT_TERM or prev_norm.endswith("\ufffd"):
        return False
    if heading_style(norm):
        # A new numbered item starts a paragraph — unless the "numbering" is the rest of a cut number.
        if not (prev_norm[-1].isdigit() or prev_norm[-1] == "."):
            return False
    if before_heading and len(cur.spans) <= 3:
        cur_norm = tnorm(cur.text)
        if _looks_like_title(cur_norm):
            return False  # a title line is followed by the addressee or the preamble, not its rest
        if cur_norm.startswith("关于") and len(norm) <= 40 and _looks_like_title(cur_norm + norm):
            return True  # "关于2023年度法治政府" / "建设情况的报告"
    last = prev_norm[-1]
    if last in _OPEN_END or norm[0] in _CONT_START:
        return True
    if (last.isdigit() or last == ".") and (norm[0].isdigit() or norm[0] in "万亿件个人次%."):
        return True
    if any(ch in "。！？!?；;" for ch in prev_norm[:-1]):
        return True  # a line of sentences that stops mid-sentence is cut, whatever its length
    # Soft wraps and page breaks cut full-width lines; a short unterminated line is a heading
    # or label of its own.
    return len(prev_norm) >= 15
