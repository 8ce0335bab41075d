"""Chinese text primitives shared by normalization and the evidence pass.

Matching runs on a normalized form (half-width, no Markdown emphasis, no stray spaces between
Chinese characters and digits); quotes shown to users come from the text as written. `norm_map`
keeps the index of every normalized character in the original so a match can be located back.
"""

from __future__ import annotations

import re
import unicodedata

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


def norm_map(text: str) -> tuple[str, list[int]]:
    """Normalize for matching; return (norm, idx) where norm[i] came from text[idx[i]].

    Drops Markdown emphasis (`**`, `__`), and spaces that sit between a CJK character and a
    CJK character or digit (`13385 件` → `13385件`); keeps spaces between Latin words.
    """
    half = text.translate(_HALF)  # one char per char: half[i] == _half(text[i])
    if "**" not in text and "__" not in text and not _ANY_SPACE.search(half):
        return half, list(range(len(text)))  # nothing dropped: the common case
    out: list[str] = []
    idx: list[int] = []
    n = len(text)
    i = 0
    while i < n:
        ch = text[i]
        if ch in "*_" and i + 1 < n and text[i + 1] == ch:
            i += 2
            continue
        h = half[i]
        if h.isspace():
            # look at the neighbours in the original text
            j = i
            while j < n and half[j].isspace():
                j += 1
            prev = out[-1] if out else ""
            nxt = half[j] if j < n else ""
            if not prev or not nxt or _is_cjkish(prev) or _is_cjkish(nxt):
                i = j
                continue
            out.append(" ")
            idx.append(i)
            i = j
            continue
        out.append(h)
        idx.append(i)
        i += 1
    return "".join(out), idx


def _is_cjkish(ch: str) -> bool:
    return bool(re.match(f"[{_CJK}\u3000-\u303f\uff00-\uffef，。：；！？、（）《》“”‘’]", ch))


def normalize(text: str) -> str:
    return norm_map(text)[0]


def split_sentences(text: str) -> list[tuple[int, str]]:
    """Split a paragraph into (offset, sentence) pairs on Chinese sentence punctuation.

    A terminator followed by a closing quote or bracket keeps it; no text is dropped, so the
    sentences concatenate back to `text` exactly.
    """
    out: list[tuple[int, str]] = []
    start = 0
    i = 0
    n = len(text)
    while i < n:
        if text[i] in _SENT_END:
            j = i + 1
            while j < n and (text[j] in _CLOSERS or text[j] in _SENT_END):
                j += 1
            out.append((start, text[start:j]))
            start = j
            i = j
            continue
        i += 1
    if start < n:
        out.append((start, text[start:]))
    return [(o, s) for o, s in out if s.strip()] or ([(0, text)] if text else [])


def split_clauses(norm: str) -> list[tuple[int, int]]:
    """(start, end) ranges of clauses in a normalized sentence.

    Breaks at commas/colons/semicolons and before contrastive conjunctions (但/而/却 …), so
    "建立了执法公示制度,但法制审核尚未落实" yields two clauses and a negation in the second does
    not reach a cue in the first.
    """
    cuts = {0, len(norm)}
    for i, ch in enumerate(norm):
        if ch in _CLAUSE_PUNCT:
            cuts.add(i + 1)
    for m in _CONTRAST.finditer(norm):
        cuts.add(m.start())
    pts = sorted(cuts)
    return [(a, b) for a, b in zip(pts, pts[1:]) if b > a]


def clause_at(norm: str, pos: int) -> tuple[int, int]:
    for a, b in split_clauses(norm):
        if a <= pos < b:
            return a, b
    return 0, len(norm)
