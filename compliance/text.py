"""Chinese text primitives shared by normalization and the evidence pass.

Matching runs on a normalized form (half-width, no Markdown emphasis, no stray spaces between
Chinese characters and digits); quotes shown to users come from the text as written. `norm_map`
keeps the index of every normalized character in the original so a match can be located back.
"""

from __future__ import annotations

from array import array
from collections.abc import Sequence

import re
import unicodedata
from functools import lru_cache, cache

# Sentence ends: a sentence keeps its terminator. 。！？ and their half-width forms; ；too, because
# report writers chain independent statements with it.
_SENT_END = set("。！？!?；;")
_CLOSERS = set("”’\"'）)」』】")
# Clause breaks inside a sentence: commas, colons, and contrastive conjunctions. 、 is a list
# separator and deliberately not a break, so a negation after a list covers the whole list.
_CLAUSE_PUNCT = set("，,：:；;。！？!?")
_CONTRAST = re.compile(r"(?:但是|但|然而|而且|不过|却|同时|虽然|虽|尽管|此外)")

_SPACE = re.compile(r"[ \t\u3000\u00a0]+")
_CJK = r"\u3400-\u9fff\uf900-\ufaff"


def _half(ch: str) -> str:
    """Full-width ASCII variants to half-width; anything whose NFKC form is not one char stays."""
    code = ord(ch)
    if 0xFF01 <= code <= 0xFF5E:
        return chr(code - 0xFEE0)
    if ch == "\u3000":
        return " "
    if ch in "〇":
        return ch
    n = unicodedata.normalize("NFKC", ch)
    return n if len(n) == 1 else ch


class _HalfTable(dict):
    """`str.translate` table that computes `_half` once per code point (norm_map is the hottest
    function of a batch; per-character NFKC calls dominated it)."""

    def __missing__(self, code: int) -> str:
        h = self[code] = _half(chr(code))
        return h


_HALF = _HalfTable()
_ANY_SPACE = re.compile(r"\s")

# Characters `_half` keeps as they are: ASCII, the CJK Unified Ideographs and common CJK
# punctuation (tests/test_reliability_fastpaths.py checks every one). A text made of them only
# needs no mapping; in the others, the few characters that do change are replaced one by one.
_KEEPS = "\x00-\x7f\u4e00-\u9fff" + re.escape("。、“”‘’《》〈〉【】〔〕「」『』—…·〇–―‖※×÷°•●■□◆◇○△▲☆★→←↑↓")
_MAY_CHANGE = re.compile(f"[^{_KEEPS}]")
_COMMON_CHANGES = tuple((c, _half(c)) for c in "，（）：；！？\u3000")


def half_width(text: str) -> str:
    """`text.translate(_HALF)` (each character's `_half`), ~5x faster: `translate` looks every
    character up in a dict, while most of a Chinese text's characters map to themselves and the
    rest are a handful of distinct full-width marks, each replaced in one C-level pass."""
    if not _MAY_CHANGE.search(text):
        return text
    for c, h in _COMMON_CHANGES:
        if c in text:
            text = text.replace(c, h)
    rest = {c: _HALF[ord(c)] for c in set(_MAY_CHANGE.findall(text))}
    changes = [(c, h) for c, h in rest.items() if h != c]
    if any(h in rest for _, h in changes):
        return text.translate(_HALF)  # a replacement that another would change again: never seen
    for c, h in changes:
        text = text.replace(c, h)
    return text


_MARKS = re.compile(r"\*\*|__")  # Markdown emphasis, in the text as written
_SPACE_RUN = re.compile(r"\s+")  # in the half-width form (\s is str.isspace)


def norm_map(text: str) -> tuple[str, Sequence[int]]:
    """Normalize for matching; return (norm, idx) where norm[i] came from text[idx[i]].

    Drops Markdown emphasis (`**`, `__`), and spaces that sit between a CJK character and a
    CJK character or digit (`13385 件` → `13385件`); keeps spaces between Latin words.
    Works run by run (what lies between two drops is copied in one slice), not character by
    character: a line of a flattened table holds a few dozen spaces among thousands of characters.
    `idx` is a `range` when nothing is dropped and an int array otherwise: a list of int objects
    cost ~36 bytes a character, and the cache below holds thousands of lines (a worker grew by
    tens of MB on saved pages).
    """
    half = half_width(text)  # one char per char: half[i] == _half(text[i])
    marks = "**" in text or "__" in text
    if not marks and not _ANY_SPACE.search(half):
        return half, range(len(text))  # nothing dropped: the common case
    # (start, end, is_space) of everything that may be dropped; emphasis is never a space, so
    # the two kinds never overlap and each is found as the character loop would find it
    cuts = [(m.start(), m.end(), True) for m in _SPACE_RUN.finditer(half)]
    if marks:
        cuts += [(m.start(), m.end(), False) for m in _MARKS.finditer(text)]
        cuts.sort()
    out: list[str] = []
    idx = array("q")
    last = ""  # the last character kept
    pos = 0
    n = len(text)
    for a, b, space in cuts:
        if a > pos:
            out.append(half[pos:a])
            idx.extend(range(pos, a))
            last = half[a - 1]
        pos = b
        if space:
            nxt = half[b] if b < n else ""
            if last and nxt and not _is_cjkish(last) and not _is_cjkish(nxt):
                out.append(" ")
                idx.append(a)
                last = " "
    if pos < n:
        out.append(half[pos:])
        idx.extend(range(pos, n))
    return "".join(out), idx


_CJKISH = f"{_CJK}\u3000-\u303f\uff00-\uffef，。：；！？、（）《》“”‘’"


@cache
def _is_cjkish(ch: str) -> bool:
    return bool(re.match(f"[{_CJKISH}]", ch))


# A space run that `norm_map` keeps (as one " ") sits between two characters neither of which is
# CJK-ish; here each run is one \x00 between two non-space characters (see `norm_text`).
_KEPT_GAP = re.compile(f"\x00(?<=[^{_CJKISH}]\x00)(?=[^{_CJKISH}])")


def norm_text(text: str) -> str:
    """`norm_map(text)[0]` without the index list, which most callers never read: the space runs
    become one \x00 each (`str.split`), the kept ones a space, the rest nothing — C-level passes
    instead of a Python step per run. Emphasis marks (rare) take `norm_map`'s way."""
    if "**" in text or "__" in text:
        return norm_map(text)[0]
    half = half_width(text)
    if not _ANY_SPACE.search(half):
        return half
    if "\x00" in half:
        return norm_map(text)[0]
    return _KEPT_GAP.sub(" ", "\x00".join(half.split())).replace("\x00", "")


@lru_cache(maxsize=1024)
def cached_norm_map(text: str) -> tuple[str, Sequence[int]]:
    """`norm_map`, cached: a sentence or quote is mapped back by several passes (metrics, evidence,
    quotes). Callers must not change the returned index. Most callers want only the matching form
    (`cached_norm`), so a report's few hundred entries fit in 1,024; more kept index arrays of long
    lines alive (a worker's peak grew by ~10 MB at 4,096)."""
    return norm_map(text)


@lru_cache(maxsize=4096)
def cached_norm(text: str) -> str:
    """`norm_text`, cached: the matching form alone is what structure, metadata and the
    evidence pass ask for, most of them more than once per line or sentence."""
    return norm_text(text)


def normalize(text: str) -> str:
    return cached_norm(text)


_END_CLS = re.escape("".join(sorted(_SENT_END)))
_CLOSE_CLS = re.escape("".join(sorted(_CLOSERS)))
# a run up to a terminator, with the terminators and closing quotes that follow it; or the tail
_SENTENCE = re.compile(f"[^{_END_CLS}]*[{_END_CLS}][{_END_CLS}{_CLOSE_CLS}]*|[^{_END_CLS}]+")


def split_sentences(text: str) -> list[tuple[int, str]]:
    """Split a paragraph into (offset, sentence) pairs on Chinese sentence punctuation.

    A terminator followed by a closing quote or bracket keeps it; no text is dropped, so the
    sentences concatenate back to `text` exactly.
    """
    out = [(m.start(), m.group()) for m in _SENTENCE.finditer(text)]
    return [(o, s) for o, s in out if s.strip()] or ([(0, text)] if text else [])


def split_clauses(norm: str) -> list[tuple[int, int]]:
    """(start, end) ranges of clauses in a normalized sentence.

    Breaks at commas/colons/semicolons and before contrastive conjunctions (但/而/却 …), so
    "建立了执法公示制度,但法制审核尚未落实" yields two clauses and a negation in the second does
    not reach a cue in the first.
    """
    return list(_clauses(norm))


_CLAUSE_PUNCT_RE = re.compile("[" + re.escape("".join(sorted(_CLAUSE_PUNCT))) + "]")


@lru_cache(maxsize=4096)
def _clauses(norm: str) -> tuple[tuple[int, int], ...]:
    """split_clauses, cached: metrics and the polarity checks ask again for the same sentence."""
    cuts = {0, len(norm)}
    cuts.update(m.end() for m in _CLAUSE_PUNCT_RE.finditer(norm))
    cuts.update(m.start() for m in _CONTRAST.finditer(norm))
    pts = sorted(cuts)
    return tuple((a, b) for a, b in zip(pts, pts[1:]) if b > a)


def clause_at(norm: str, pos: int) -> tuple[int, int]:
    for a, b in split_clauses(norm):
        if a <= pos < b:
            return a, b
    return 0, len(norm)


_CN_DIGIT = {"零": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_CN_UNIT = {"十": 10, "百": 100, "千": 1000}
_CN_BIG = {"万": 10_000, "亿": 100_000_000}
_NONE = 10**9  # "no unit yet in this section"


def cn_number(s: str) -> float | None:
    """Plain Chinese numerals in their standard form (十二, 三十一, 一百零五, 两千三百, 三万五千,
    十二点五) without cn2an, whose import and set-up cost ~0.2 s of a one-report run. None for
    anything else — digit strings (二〇二四), spoken short forms (三百五), mixed forms (1.5万) —
    where callers fall back to cn2an."""
    if s == "零":
        return 0.0
    if not s or len(s) > 24 or s[0] == "零" and not s.startswith("零点"):
        return None
    if "点" in s:
        whole, _, frac = s.partition("点")
        w = cn_number(whole) if whole else None
        if w is None or w >= 10_000 or not frac or any(c not in _CN_DIGIT or c == "两" for c in frac):
            return None
        return float(f"{int(w)}.{''.join(str(_CN_DIGIT[c]) for c in frac)}")
    total = section = 0
    digit: int | None = None
    last_unit, last_big = _NONE, 10**12
    gap = False  # a 零 since the last unit
    big_gap = False  # a 零 right after the last 万/亿
    prev = ""
    for c in s:
        if c == "零":
            if gap or digit is not None or not (last_unit != _NONE and last_unit > 10 or last_unit == _NONE and total and not section):
                return None
            gap = True
            big_gap = big_gap or last_unit == _NONE
        elif c in _CN_DIGIT:
            if digit is not None:  # 一二: a digit string, not a numeral
                return None
            digit = _CN_DIGIT[c]
        elif c in _CN_UNIT:
            u = _CN_UNIT[c]
            if u >= last_unit or (gap and u * 10 >= last_unit):
                return None
            if digit is None:
                if u != 10 or section or total:  # a bare 十 only leads the number (十二)
                    return None
                digit = 1
            elif u == 10 and prev == "两":
                return None
            section += digit * u
            digit, last_unit, gap = None, u, False
        elif c in _CN_BIG:
            b = _CN_BIG[c]
            if b >= last_big or gap or digit is not None and last_unit != _NONE and last_unit > 10:
                return None  # 三百二万: spoken for 三百二十万
            section += digit or 0
            if not section:
                return None
            total += section * b
            section, digit, last_unit, last_big, big_gap = 0, None, _NONE, b, False
        else:
            return None
        prev = c
    if gap and digit is None:
        return None  # ends in 零
    if last_big == 100_000_000 and (section or digit) and not big_gap:
        return None  # 四亿三千: spoken for 四亿三千万
    if digit is not None and not gap:
        if last_unit == _NONE and (total or section):
            return None  # 十万四: spoken for 十万四千
        if last_unit != _NONE and last_unit > 10:
            return None  # 三百五: spoken for 三百五十
    return float(total + section + (digit or 0))
