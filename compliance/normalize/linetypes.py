"""What one input line is: its matching form, heading numbering, a date or signature line, page
chrome with its `key: value` metadata; and the Block a paragraph is built in. The line scanner
(`lines`) and the flattened-page cutter (`flat`) both classify lines with these."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from compliance.models import Span, trusted
from compliance.normalize import vocab
from compliance.text import cached_norm as tnorm  # noqa: F401  (the matching form of a line)


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

# Every chrome pattern in one alternation: one C-level match per line instead of ~20.
_CHROME_ANY = re.compile("|".join(f"(?:{p})" for p in vocab.CHROME_LINE_PATTERNS))
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


# HEADING_STYLES as one alternation tried in the same order (the first style that matches wins),
# each style a named group.
_ANY_STYLE = re.compile("|".join(f"(?P<{name}>{rx.pattern})" for name, rx in HEADING_STYLES))


def heading_style(norm: str) -> tuple[str, str] | None:
    """(style, numbering) if the normalized line starts with heading numbering."""
    s = norm.lstrip("#").lstrip()
    m = _ANY_STYLE.match(s)
    if m is None:
        return None
    return m.lastgroup, m.group(0)  # type: ignore[return-value]


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
_SPACES = re.compile(r"\s+")
_KEY_SET = {k for k in vocab.META_KEYS}
# "标题某县林业局关于2024年法治政府建设情况的报告": a glued title must look like a document's title
_GLUED_TITLE_OK = re.compile(r"^[^，,。；;]{6,100}(?:报告|总结|方案|通知|意见|办法|计划|要点|情况|规定|公告|通报)$")
# "主题分类其它 发布日期2025-02-26": a flattened table row of glued pairs (two keys, no prose)
_LONG_KEY_ALT = "|".join(re.escape(k) for k in sorted((k for k in vocab.META_KEYS if len(k) >= 3), key=len, reverse=True))
_GLUED_ROW = re.compile(rf"^(?:{_LONG_KEY_ALT})[^:：，,。；;]{{0,24}}?(?:{_KEY_ALT})[^，,。；;]{{0,30}}$")
_GLUED = re.compile(rf"^(?P<key>{'|'.join(re.escape(k) for k in sorted(vocab.META_KEYS_GLUED, key=len, reverse=True))})(?P<val>[^:：\s].*)$")


def _pipe_cells(norm: str) -> list[str] | None:
    """Cells of a flattened table row `索 引 号 | 1162…/2025-48086 | 主题分类 | 金政发 |` whose
    first cell is a metadata key; None for any other line."""
    if not _PIPE.search(norm):
        return None
    cells = [_SPACES.sub("", c) for c in _PIPE.split(norm)]
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
    ok = _GLUED_TITLE_OK if field == "title" else _VALUE_OK.get(field, _NO)  # "标题…" in prose is rare, not impossible
    return (m.group("key"), val) if ok.match(val) else None


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
    if len(norm) <= 60 and _GLUED_ROW.match(norm):
        return True
    return _CHROME_ANY.match(norm) is not None


@dataclass
class Block:
    """A paragraph being built: text as written plus spans back to the input."""

    text: str = ""
    spans: list[Span] = field(default_factory=list)
    kind: str = "text"  # text | heading | title | date | org

    def add(self, piece: str, line: int, col: int) -> None:
        self.spans.append(trusted(Span, {"offset": len(self.text), "line": line, "col": col}))
        self.text += piece

    @property
    def line(self) -> int:
        return self.spans[0].line if self.spans else 0


@dataclass
class LineScan:
    blocks: list[Block]
    chrome_meta: list[tuple[str, str, int]]  # (key, value, line)
    chrome_lines: list[int]
