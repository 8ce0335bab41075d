"""Word .docx: body paragraphs and tables in document order, with automatic numbering resolved.

Headings such as 一、 or （二） that Word generates from numbering definitions are not in the
paragraph text (python-docx and every other reader drop them), yet the normalizer needs them to
find sections. `Numbering` replays Word's counters: `w:numPr` (numId, ilvl) per paragraph or via
its style, numbering.xml's `abstractNum/lvl` (start, numFmt, lvlText, lvlRestart, isLgl).
One line per paragraph; a table row is one line with its cells joined by a space.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

from loguru import logger

from compliance.models import RawDocument
from compliance.readers.base import ReadError, finish, open_zip

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
MC_FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"
_SKIP_SUBTREES = {W + "pPr", W + "rPr", W + "del", W + "moveFrom", MC_FALLBACK, W + "footnoteReference"}
_TEXT_CHILDREN = {W + "t": None, W + "tab": "\t", W + "ptab": "\t", W + "noBreakHyphen": "-", W + "softHyphen": ""}

_ZH_DIGITS = "〇一二三四五六七八九"
_ZH_UNITS = ("", "十", "百", "千")
_ZH_LEGAL_DIGITS = "零壹贰叁肆伍陆柒捌玖"
_ZH_LEGAL_UNITS = ("", "拾", "佰", "仟")
_TIANGAN = "甲乙丙丁戊己庚辛壬癸"
_DIZHI = "子丑寅卯辰巳午未申酉戌亥"
_CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"
_PAREN = "⑴⑵⑶⑷⑸⑹⑺⑻⑼⑽⑾⑿⒀⒁⒂⒃⒄⒅⒆⒇"
_FULLSTOP = "⒈⒉⒊⒋⒌⒍⒎⒏⒐⒑⒒⒓⒔⒕⒖⒗⒘⒙⒚⒛"


def _zh_counting(n: int, digits: str = _ZH_DIGITS, units: tuple[str, ...] = _ZH_UNITS, legal: bool = False) -> str:
    """1 → 一, 10 → 十, 11 → 十一, 20 → 二十, 105 → 一百零五, 10000 → 一万 (Word's chineseCounting)."""
    if n <= 0:
        return digits[0]
    if n >= 10000:
        high, low = divmod(n, 10000)
        rest = "" if low == 0 else ("零" if low < 1000 else "") + _zh_counting(low, digits, units, legal)
        return _zh_counting(high, digits, units, legal) + "万" + rest
    s = str(n)
    out: list[str] = []
    zero = False
    for i, ch in enumerate(s):
        d = int(ch)
        pos = len(s) - 1 - i
        if d == 0:
            zero = bool(out)
            continue
        if zero:
            out.append("零")
            zero = False
        out.append(digits[d] + units[pos])
    text = "".join(out)
    if not legal and text.startswith("一十"):
        text = text[1:]
    return text


def _roman(n: int) -> str:
    if n <= 0 or n >= 4000:
        return str(n)
    vals = ((1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"), (50, "L"), (40, "XL"),
            (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I"))
    out = []
    for v, r in vals:
        while n >= v:
            out.append(r)
            n -= v
    return "".join(out)


def _letter(n: int) -> str:
    """Word's letters: A…Z, then AA…ZZ, AAA…"""
    if n <= 0:
        return str(n)
    return chr(ord("A") + (n - 1) % 26) * ((n - 1) // 26 + 1)


def format_number(n: int, fmt: str) -> str:
    """A counter value in a Word `numFmt`."""
    if fmt in ("decimal", "decimalHalfWidth", "ordinal", "cardinalText", "ordinalText"):
        return str(n)
    if fmt == "decimalZero":
        return f"{n:02d}"
    if fmt in ("decimalFullWidth", "decimalFullWidth2"):
        return "".join(chr(ord(c) + 0xFEE0) if c.isdigit() else c for c in str(n))
    if fmt in ("decimalEnclosedCircle", "decimalEnclosedCircleChinese"):
        return _CIRCLED[n - 1] if 1 <= n <= 20 else str(n)
    if fmt == "decimalEnclosedParen":
        return _PAREN[n - 1] if 1 <= n <= 20 else f"({n})"
    if fmt == "decimalEnclosedFullstop":
        return _FULLSTOP[n - 1] if 1 <= n <= 20 else f"{n}."
    if fmt == "upperLetter":
        return _letter(n)
    if fmt == "lowerLetter":
        return _letter(n).lower()
    if fmt == "upperRoman":
        return _roman(n)
    if fmt == "lowerRoman":
        return _roman(n).lower()
    if fmt in ("chineseCounting", "chineseCountingThousand", "japaneseCounting", "taiwaneseCounting",
               "taiwaneseCountingThousand", "koreanCounting"):
        return _zh_counting(n)
    if fmt in ("ideographDigital", "taiwaneseDigital", "japaneseDigitalTenThousand"):
        # Word writes each digit: 10 → 一〇
        return "".join(_ZH_DIGITS[int(c)] for c in str(n))
    if fmt in ("chineseLegalSimplified", "ideographLegalTraditional", "japaneseLegal"):
        return _zh_counting(n, _ZH_LEGAL_DIGITS, _ZH_LEGAL_UNITS, legal=True)
    if fmt == "ideographTraditional":
        return _TIANGAN[(n - 1) % 10] if n >= 1 else str(n)
    if fmt == "ideographZodiac":
        return _DIZHI[(n - 1) % 12] if n >= 1 else str(n)
    if fmt in ("bullet", "none"):
        return ""
    return str(n)


@dataclass
class Level:
    start: int = 1
    fmt: str = "decimal"
    text: str = ""
    restart: int | None = None  # lvlRestart: restart after this (1-based) level; 0 = never
    legal: bool = False  # isLgl: show every level's number as decimal
    suffix: str = "tab"
    style: str | None = None  # lvl/pStyle: the paragraph style bound to this level


def _val(el, name: str) -> str | None:
    child = el.find(W + name) if el is not None else None
    return child.get(W + "val") if child is not None else None


def _int(s: str | None, default: int | None = None) -> int | None:
    try:
        return int(s) if s is not None else default
    except ValueError:
        return default


def _parse_level(lvl) -> Level:
    return Level(
        start=_int(_val(lvl, "start"), 1) or 0,
        fmt=_val(lvl, "numFmt") or "decimal",
        text=_val(lvl, "lvlText") or "",
        restart=_int(_val(lvl, "lvlRestart")),
        legal=lvl.find(W + "isLgl") is not None and (_val(lvl, "isLgl") not in ("0", "false")),
        suffix=_val(lvl, "suff") or "tab",
        style=_val(lvl, "pStyle"),
    )


class Numbering:
    """Replays Word's list counters in document order.

    Nums that share an abstractNum continue one sequence (as in Word); a num carrying
    `lvlOverride/startOverride` is a restarted list and counts on its own.
    """

    def __init__(self, numbering_el, styles_el):
        self.abstract: dict[str, dict[int, Level]] = {}
        self.style_link: dict[str, str] = {}  # abstractNumId → numStyleLink style id
        self.nums: dict[str, tuple[str, dict[int, Level], bool]] = {}
        self.styles: dict[str, tuple[str | None, str | None, str | None]] = {}  # id → (numId, ilvl, basedOn)
        self.counters: dict[str, list[int | None]] = {}
        if styles_el is not None:
            for st in styles_el.iter(W + "style"):
                sid = st.get(W + "styleId")
                ppr = st.find(W + "pPr")
                numpr = ppr.find(W + "numPr") if ppr is not None else None
                self.styles[sid] = (_val(numpr, "numId"), _val(numpr, "ilvl"), _val(st, "basedOn"))
        if numbering_el is None:
            return
        for an in numbering_el.iter(W + "abstractNum"):
            aid = an.get(W + "abstractNumId")
            self.abstract[aid] = {_int(lvl.get(W + "ilvl"), 0): _parse_level(lvl) for lvl in an.iter(W + "lvl")}
            link = _val(an, "numStyleLink")
            if link:
                self.style_link[aid] = link
        for num in numbering_el.iter(W + "num"):
            nid = num.get(W + "numId")
            aid = _val(num, "abstractNumId")
            overrides: dict[int, Level] = {}
            restarted = False
            for ov in num.iter(W + "lvlOverride"):
                ilvl = _int(ov.get(W + "ilvl"), 0)
                base = Level(**vars(self._levels(aid).get(ilvl, Level())))
                lvl = ov.find(W + "lvl")
                if lvl is not None:
                    base = _parse_level(lvl)
                so = _int(_val(ov, "startOverride"))
                if so is not None:
                    base.start = so
                    restarted = True
                overrides[ilvl] = base
            self.nums[nid] = (aid, overrides, restarted)

    def _levels(self, aid: str | None, depth: int = 0) -> dict[int, Level]:
        if aid in self.style_link and depth < 3:
            nid, _, _ = self._style_numpr(self.style_link[aid])
            if nid in self.nums:
                return self._levels(self.nums[nid][0], depth + 1)
        return self.abstract.get(aid or "", {})

    def _style_numpr(self, sid: str | None) -> tuple[str | None, str | None, str | None]:
        """(numId, ilvl, style that bound it) from a paragraph style, following basedOn."""
        seen = set()
        while sid and sid not in seen:
            seen.add(sid)
            nid, ilvl, based = self.styles.get(sid, (None, None, None))
            if nid is not None:
                return nid, ilvl, sid
            sid = based
        return None, None, None

    def label(self, p) -> str:
        """The number Word shows before paragraph `p` ("一、", "（二）", "1.1 "), or ""; advances counters."""
        ppr = p.find(W + "pPr")
        numpr = ppr.find(W + "numPr") if ppr is not None else None
        style = _val(ppr, "pStyle") if ppr is not None else None
        nid, ilvl_s = _val(numpr, "numId"), _val(numpr, "ilvl")
        bound_style = None
        if nid is None or ilvl_s is None:
            s_nid, s_ilvl, bound_style = self._style_numpr(style)
            nid = nid if nid is not None else s_nid
            ilvl_s = ilvl_s if ilvl_s is not None else s_ilvl
        if nid is None or nid == "0" or nid not in self.nums:
            return ""
        aid, overrides, restarted = self.nums[nid]
        levels = dict(self._levels(aid))
        levels.update(overrides)
        if not levels:
            return ""
        ilvl = _int(ilvl_s)
        if ilvl is None:
            ilvl = next((i for i, lv in levels.items() if lv.style and lv.style in (style, bound_style)), 0)
        if ilvl not in levels:
            return ""
        key = f"num:{nid}" if restarted else f"abs:{aid}"
        counters = self.counters.setdefault(key, [None] * 10)
        lvl = levels[ilvl]
        prev = counters[ilvl]
        counters[ilvl] = lvl.start if prev is None else prev + 1
        for deeper in range(ilvl + 1, len(counters)):
            dl = levels.get(deeper)
            if dl is not None and dl.restart == 0:
                continue
            if dl is not None and dl.restart is not None and ilvl + 1 > dl.restart:
                continue
            counters[deeper] = None
        if lvl.fmt == "bullet" or not lvl.text:
            return ""
        out = lvl.text
        for k in range(9, 0, -1):
            token = f"%{k}"
            if token not in out:
                continue
            ref = levels.get(k - 1, Level())
            seen = counters[k - 1]
            value = seen if seen is not None else ref.start
            fmt = "decimal" if (lvl.legal and k - 1 != ilvl) else ref.fmt
            out = out.replace(token, format_number(value, fmt))
        if lvl.suffix in ("tab", "space") and out and (out[-1].isalnum()):
            out += " "
        return out


# --------------------------------------------------------------------------- reading


def _runs_text(el, out: list[str], boxes: list) -> None:
    for child in el:
        tag = child.tag
        if not isinstance(tag, str) or tag in _SKIP_SUBTREES:
            continue
        if tag in _TEXT_CHILDREN:
            fixed = _TEXT_CHILDREN[tag]
            out.append(child.text or "" if fixed is None else fixed)
        elif tag in (W + "br", W + "cr"):
            out.append("\n")
        elif tag == W + "txbxContent":
            boxes.append(child)
        else:
            _runs_text(child, out, boxes)


class _Body:
    def __init__(self, numbering: Numbering):
        self.numbering = numbering

    def block(self, container) -> list[str]:
        lines: list[str] = []
        for child in container:
            tag = child.tag
            if tag == W + "p":
                lines.extend(self.paragraph(child))
            elif tag == W + "tbl":
                for tr in child.iter(W + "tr"):
                    if _ancestor(tr, W + "tbl") is not child:
                        continue  # rows of nested tables are read inside their cell
                    row = self.row(tr)
                    if row:
                        lines.append(row)
            elif tag in (W + "sdt", W + "customXml", W + "sdtContent", W + "ins", W + "moveTo"):
                lines.extend(self.block(child))
        return lines

    def row(self, tr) -> str:
        cells = []
        for tc in tr.iter(W + "tc"):
            if _ancestor(tc, W + "tr") is not tr:
                continue
            text = " ".join(s.strip() for s in self.block(tc) if s.strip())
            if text:
                cells.append(text)
        return " ".join(cells)

    def paragraph(self, p) -> list[str]:
        prefix = self.numbering.label(p)
        parts: list[str] = []
        boxes: list = []
        _runs_text(p, parts, boxes)
        text = "".join(parts)
        pieces = [s.strip(" \t\u00a0") for s in text.split("\n")]
        out: list[str] = []
        for i, piece in enumerate(pieces):
            if i == 0 and prefix and piece:
                piece = prefix + piece
            if piece:
                out.append(piece)
        for box in boxes:
            out.extend(self.block(box))
        return out


def _ancestor(el, tag: str):
    el = el.getparent()
    while el is not None and el.tag != tag:
        el = el.getparent()
    return el


def read_docx(data: bytes, source: str) -> RawDocument:
    zf = open_zip(data, source, ".docx")
    names = set(zf.namelist())
    if "word/document.xml" not in names and not any(n.endswith("/document.xml") for n in names):
        raise ReadError(source, "not a Word document: the zip package has no word/document.xml")
    import docx
    from docx.opc.exceptions import PackageNotFoundError

    try:
        document = docx.Document(io.BytesIO(data))
    except PackageNotFoundError:
        raise ReadError(source, "not a Word document (the package has no main document part)")
    except (KeyError, ValueError) as exc:
        raise ReadError(source, f"not a readable Word document ({exc})")
    except Exception as exc:  # noqa: BLE001 - lxml XMLSyntaxError on a damaged part, etc.
        raise ReadError(source, f"damaged Word document ({exc.__class__.__name__}: {exc})")

    numbering_el = styles_el = None
    try:
        numbering_el = document.part.numbering_part.element
    except (KeyError, NotImplementedError, AttributeError):
        pass
    try:
        styles_el = document.part.styles.element
    except (KeyError, NotImplementedError, AttributeError):
        pass
    body = _Body(Numbering(numbering_el, styles_el))
    lines = body.block(document.element.body)
    hints = _core_hints(document)
    logger.debug(f"{source}: {len(lines)} lines from docx")
    return finish(source, data, "docx", lines, hints=hints)


def _core_hints(document) -> dict[str, str]:
    cp = document.core_properties
    hints: dict[str, str] = {}
    # python-docx's own template stamps author "python-docx" and a 2013 date: not the report's
    template = (cp.author or "") == "python-docx" or (cp.created is not None and cp.created.isoformat().startswith("2013-12-23T23:15"))
    if cp.title and cp.title.strip():
        hints["title"] = cp.title.strip()
    if cp.author and cp.author != "python-docx":
        hints["author"] = cp.author.strip()
    if cp.created and not template:
        hints["created"] = cp.created.date().isoformat()
    return hints
