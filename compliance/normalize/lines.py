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
from compliance.text import cached_norm_map


def tnorm(text: str) -> str:
    return cached_norm_map(text)[0]


_CIRCLED = re.compile(r"^([#*\s]*)([\u2460-\u2473\u2776-\u277f])")
_NUM_SPACE = re.compile(r"^([#*\s]*)(\d{1,2})[ \t\u3000]+(?=[\u4e00-\u9fff])")


def hnorm(text: str) -> str:
    """`tnorm` for heading detection: keeps a leading ① (NFKC would make it a plain 1)."""
    n = tnorm(text)
    m = _CIRCLED.match(text)
    if m and n:
        k = len(n) - len(n.lstrip("#").lstrip())
        return n[:k] + m.group(2) + n[k + 1:]
    m = _NUM_SPACE.match(text)
    if m and n:
        # "1 加强学习": normalization drops the space that makes the digit a heading number.
        k = len(n) - len(n.lstrip("#*").lstrip())
        d = m.group(2)
        if n[k:k + len(d)] == d and n[k + len(d):k + len(d) + 1] not in ("", " "):
            return n[:k + len(d)] + " " + n[k + len(d):]
    return n

_CHROME_RES = [re.compile(p) for p in vocab.CHROME_LINE_PATTERNS]
_KEYS_SORTED = sorted(vocab.META_KEYS, key=len, reverse=True)
_KEY_ALT = "|".join(re.escape(k) for k in _KEYS_SORTED)
_META_START = re.compile(rf"^(?:{_KEY_ALT})\s*[:：]")
_META_PAIR = re.compile(rf"(?P<key>{_KEY_ALT})\s*[:：]\s*")
_DASH_KEY = re.compile(rf"^[-*]\s*(?=(?:{_KEY_ALT})\s*[:：])")

# Heading numbering at the start of a (normalized) line: style name → regex. Ordered so the
# more specific forms are tried first.
HEADING_STYLES: list[tuple[str, re.Pattern[str]]] = [
    ("chapter", re.compile(r"^第[一二三四五六七八九十百零〇]+(?:部分|章|节|篇)[、.:：\s]?")),
    ("cn", re.compile(r"^[一二三四五六七八九十]{1,3}(?:、|[.,，](?!\d))")),
    ("cn_paren", re.compile(r"^[(\[][一二三四五六七八九十]{1,3}[)\]][、.]?")),
    ("num", re.compile(r"^\d{1,2}(?:[、]|\.(?!\d)|\s(?=[\u4e00-\u9fff])(?![\u4e00-\u9fff]?[年月日时个次件人名项家万亿元期批部条款届级类种座所辆艘户份场篇本台处起宗例余多轮]))")),
    ("num_paren", re.compile(r"^[(\[]\d{1,2}[)\]][、.]?")),
    ("num_rparen", re.compile(r"^\d{1,2}\)(?!\d)")),
    ("circled", re.compile(r"^[\u2460-\u2473\u2776-\u277f]")),
]
SENT_TERM = set("。；;：:！!？?")
_DATE_LINE = re.compile(
    r"^\s*(?:\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日|\d{4}[-./]\d{1,2}[-./]\d{1,2}"
    r"|[〇零一二三四五六七八九○Ｏ0]{4}\s*年[一二三四五六七八九十]{1,3}月[一二三四五六七八九十]{1,3}日)\s*$"
)
# An organisation name, optionally with its signing date glued on (海盐县交通运输局2020-5-11) —
# a whole date, so "现将我局2023年…报告如下" or a title "XX局2023年…报告" is not a signature.
_GLUED_DATE = (r"(?:\d{4}\s*[-./年]\s*\d{1,2}\s*[-./月]\s*\d{1,2}\s*日?"
               r"|[〇零一二三四五六七八九]{4}年[一二三四五六七八九十]{1,2}月[一二三四五六七八九十]{1,3}日)")
_ORG_LINE = re.compile(rf"^[\u4e00-\u9fff()（）]{{2,40}}{vocab.ORG_SUFFIX}\s*(?:{_GLUED_DATE}\s*)?$")
_LONE_NUMBER = re.compile(r"^\d{1,3}$")
# Characters that mark a line as cut mid-sentence even when short.
_OPEN_END = set("，,、（(《“‘[【-—+")
_CONT_START = set("，,。、；;：:）)》”’】]%")


# What a metadata value on its own line looks like, by field (see vocab.META_FIELDS).
_NO = re.compile(r"(?!)")
_VALUE_OK: dict[str, re.Pattern[str]] = {
    "published": re.compile(r"^(?:19|20)\d{2}[-./年]\d{1,2}[-./月]\d{1,2}日?(?:\s*\d{1,2}:\d{2}(?::\d{2})?)?$"),
    "written": re.compile(r"^(?:19|20)\d{2}[-./年]\d{1,2}[-./月]\d{1,2}日?(?:\s*\d{1,2}:\d{2}(?::\d{2})?)?$"),
    "publisher": re.compile(rf"^[\u4e00-\u9fff()（）]{{2,30}}{vocab.ORG_SUFFIX}$"),
    "source": re.compile(rf"^[\u4e00-\u9fff()（）]{{2,30}}{vocab.ORG_SUFFIX}$"),
    "doc_number": re.compile(r"^[\u4e00-\u9fff]{1,12}\s*[〔\[［【(（﹝]\s*(?:19|20)\d{2}\s*[〕\]］】)）﹞]\s*第?\s*\d{1,5}\s*号$"),
    "title": re.compile(r"^\S.{5,100}$"),
    "index": re.compile(r"^[0-9A-Za-z][0-9A-Za-z/_\-]{5,60}$"),
}


def heading_style(norm: str) -> tuple[str, str] | None:
    """(style, numbering) if the normalized line starts with heading numbering."""
    s = norm.lstrip("#").lstrip()
    for name, rx in HEADING_STYLES:
        m = rx.match(s)
        if m:
            return name, m.group(0)
    return None


def is_pure_heading(norm: str, full: bool = False) -> bool:
    """A numbered line that is only a heading: short, and no sentence break before its end.

    Top-level 一、/第X部分 headings may run to 60 characters (一、坚持以…为引领…取得明显成效) unless
    the line fills the wrap width (`full`), where it may be a paragraph's first line."""
    hs = heading_style(norm)
    if not hs:
        return False
    rest = norm.lstrip("#").lstrip()[len(hs[1]):].strip()
    limit = 60 if hs[0] in ("cn", "chapter") and not full else 40
    if not rest or len(rest) > limit:
        return False
    return not any(ch in SENT_TERM for ch in rest[:-1])


def is_date_line(norm: str) -> bool:
    return bool(_DATE_LINE.match(norm))


def is_org_line(norm: str) -> bool:
    return len(norm) <= 48 and bool(_ORG_LINE.match(norm)) and not heading_style(norm)


_BULLETS = "•·●▪◆■◇□○◦‣∙ \t"
_PIPE = re.compile(r"[|｜]")
_KEY_SET = {k for k in vocab.META_KEYS}
_GLUED = re.compile(rf"^(?P<key>{'|'.join(re.escape(k) for k in sorted(vocab.META_KEYS_GLUED, key=len, reverse=True))})(?P<val>[^:：\s].*)$")


def _pipe_cells(norm: str) -> list[str] | None:
    """Cells of a flattened table row `索 引 号 | 1162…/2025-48086 | 主题分类 | 金政发 |` whose
    first cell is a metadata key; None for any other line."""
    if not _PIPE.search(norm):
        return None
    cells = [re.sub(r"\s+", "", c) for c in _PIPE.split(norm)]
    while cells and not cells[0]:
        cells.pop(0)
    if not cells:
        return None
    # "颁布单位:某市人民政府 | 文号: |": key and value in one cell
    split: list[str] = []
    for c in cells:
        m = _META_PAIR.match(c)
        if m and m.start() == 0 and c[m.end():]:
            split += [m.group("key"), c[m.end():]]
        else:
            split.append(c)
    if split[0].rstrip(":：") not in _KEY_SET:
        return None
    return split


_BRACKET_KEY = re.compile(r"[\[【]\s*([\u4e00-\u9fff ]{2,8}?)\s*[\]】]")


def _glued_pair(norm: str) -> tuple[str, str] | None:
    """`发文字号皖交发〔2021〕63号`: a key glued to a value that looks like that key's value."""
    m = _GLUED.match(norm)
    if not m:
        return None
    val = m.group("val").strip()
    field = vocab.META_FIELDS.get(m.group("key"), "")
    return (m.group("key"), val) if _VALUE_OK.get(field, _NO).match(val) else None


def _unbullet(norm: str) -> str:
    """A list bullet before a header key (`• 发布机构:`, `- 索引号:`); a key in brackets
    (`[ 发布机构 ] 某乡人民政府`) read as `发布机构: …`."""
    norm = norm.lstrip(_BULLETS)
    if norm[:1] in "[【":
        norm = _BRACKET_KEY.sub(lambda m: m.group(1) + ":" if m.group(1) in _KEY_SET else m.group(0), norm)
    m = _DASH_KEY.match(norm)
    return norm[m.end():] if m else norm


def parse_meta_pairs(norm: str) -> list[tuple[str, str]]:
    """`发布机构: 市交通运输局 成文日期: 2020-01-09` → [(发布机构, 市交通运输局), (成文日期, 2020-01-09)]."""
    norm = _unbullet(norm)
    cells = _pipe_cells(norm)
    if cells is not None:
        out = []
        for i, c in enumerate(cells):
            k = c.rstrip(":：")
            if k in _KEY_SET and (i == 0 or cells[i - 1].rstrip(":：") not in _KEY_SET or not cells[i - 1]):
                v = cells[i + 1] if i + 1 < len(cells) else ""
                out.append((k, "" if v.rstrip(":：") in _KEY_SET else v))
        return out
    glued = _glued_pair(norm)
    if glued:
        return [glued]
    found = list(_META_PAIR.finditer(norm))
    out = []
    for i, m in enumerate(found):
        end = found[i + 1].start() if i + 1 < len(found) else len(norm)
        out.append((m.group("key"), norm[m.end():end].strip()))
    return out


def is_chrome(norm: str) -> bool:
    """Page furniture. Only short lines qualify: a flattened page in one giant line that starts
    with 当前位置 is still the document."""
    if not norm or len(norm) > 160:
        return False
    norm = _unbullet(norm)
    if _META_START.match(norm) or _pipe_cells(norm) is not None or _glued_pair(norm):
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
    width = wrap_width([" " * min(c, 4) + t if t else t for t, c in stripped])  # indent counts, see _span
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
        norm = hnorm(text)
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
    for k, b in enumerate(blocks):
        if b.kind == "heading" or heading_style(hnorm(b.text)):
            break
        if not title_done and _looks_like_title(tnorm(b.text)):
            prev = blocks[k - 1] if k > 0 else None
            if prev is not None and prev.kind == "org" and _title_continues_org(tnorm(prev.text), tnorm(b.text)):
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


_YEAR_START = re.compile(r"^(?:19|20)\d{2}\s*年")
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


def _title_continues_org(org: str, title: str) -> bool:
    """`苏州市交通运输局` / `2023年度法治政府建设工作报告`: the issuer line is the title's first half.
    Not when the org line carries a date (a signature) or the title names its own issuer."""
    if re.search(r"\d", org):
        return False
    return title.startswith("关于") or bool(_YEAR_START.match(title))


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
    line only) and before each inline 一、二、三、 heading, numbered in order from 一."""
    from compliance.normalize.structure import cn_int  # local: structure imports this module

    _, idx = cached_norm_map(text)
    cuts: list[int] = []
    if first:
        for m in _TITLE_NOUN.finditer(norm[:70]):
            head, rest = norm[:m.end()], norm[m.end():].lstrip()
            if 6 <= len(head) and _SENTENCE_START.match(rest) and not heading_style(head) \
                    and not re.search(r"[，,。；;：:！!？?]", head):
                k = m.end() - 1
                if k < len(idx):
                    cuts.append(idx[k] + 1)
                break
    want = 1
    for m in (_INLINE_CN.finditer(norm) if inline else ()):
        if cn_int(m.group("num")) == want:
            cuts.append(idx[m.start("num")] if m.start("num") < len(idx) else len(text))
            want += 1
    if want == 2:  # a lone 一、 inside a paragraph is no outline
        cuts.pop()
    if inline:
        cuts += _paren_cuts(norm, idx, len(text))
    return sorted(set(c for c in cuts if 0 < c < len(text)))


_INLINE_PAREN = re.compile(r"\((?P<num>[一二三四五六七八九十]{1,3})\)")


def _paren_cuts(norm: str, idx: list[int], n: int) -> list[int]:
    """Offsets of inline （一）（二）… headings in a flattened line: each run numbered in order
    from （一） (a new run restarts under the next 一、 part); a run of one is no outline."""
    from compliance.normalize.structure import cn_int  # local: structure imports this module

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
        runs[-1].append(idx[k] if k < len(idx) else n)
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


def wrap_width(texts: list[str]) -> int | None:
    """The fixed line width of wrapped text (PDF, OFD, fixed-width .txt), or None.

    Wrapped text has many lines of (nearly) the same maximal length; text with one paragraph
    per line has lengths all over the place."""
    lens = [len(t) for t in texts if len(t) >= 15 and not heading_style(hnorm(t))]
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
    if any(ch in "。！？!?；;" for ch in prev_norm[:-1]):
        return True  # a line of sentences that stops mid-sentence is cut, whatever its length
    # Soft wraps and page breaks cut full-width lines; a short unterminated line is a heading
    # or label of its own.
    return len(prev_norm) >= 15
