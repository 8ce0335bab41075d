"""A report's text as sets of sentences, for telling a copied report from a new one.

Each sentence is normalized (punctuation and spaces dropped, every run of digits or Chinese
numerals replaced by one mark, so a copy with only its years and figures changed still matches)
and hashed to 64 bits. Short sentences (headings, 一是…, boilerplate like 现将有关情况报告如下)
are left out: they say nothing about copying.

The sketch is a bottom-k MinHash (the k smallest sentence hashes): two reports that share many
sentences share some of their smallest hashes, so the store finds candidates through an index on
the sketch values and then counts the shared sentences exactly from the full hash sets. One hash
function instead of k keeps it linear in the report's length and needs no numeric library.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from array import array
from dataclasses import dataclass

MIN_CHARS = 15  # a normalized sentence shorter than this is not evidence of copying
SKETCH = 24  # bottom-k size
MAX_SENTENCES = 20_000  # bound for a pathological input

_SPLIT = re.compile(r"[。！？；!?;]+")
_NUM = re.compile(r"[0-9０-９〇零一二三四五六七八九十百千万亿两]+")
# after NFKC: spaces and the punctuation reports use, deleted (str.translate for one sentence,
# one regex substitution for a whole text: translate looks up every character in a dict)
_DROP_CHARS = " \t\u3000\xa0,.:()[]<>\"'-_/\\、，：“”‘’（）《》【】「」『』…—·"
_DROP_TABLE = str.maketrans("", "", _DROP_CHARS)
_DROP = re.compile("[" + re.escape(_DROP_CHARS) + "]+")
# full-width ASCII and the ideographic space: NFKC makes each one ASCII character
_FULL = re.compile("[\uff01-\uff5e\u3000]")
_HALF = {chr(c): chr(c - 0xFEE0) for c in range(0xFF01, 0xFF5F)} | {"\u3000": " "}


def nfkc(text: str) -> str:
    """unicodedata.normalize("NFKC", text), faster on a report: its full-width punctuation (，：；（）)
    is what makes a Chinese text not NFKC already, and normalizing every character for a few of
    them cost more than the rest of the digest. Those are replaced by their NFKC form first — a
    text and the text with a character replaced by its compatibility decomposition have the same
    NFKD, hence the same NFKC — after which the text usually passes the quick check as it is."""
    half = _FULL.sub(lambda m: _HALF[m.group()], text)
    return half if unicodedata.is_normalized("NFKC", half) else unicodedata.normalize("NFKC", half)


# the same three steps by str.replace, a character at a time: a scan for one character runs in
# tight C, while each regex above tests every character against its class (~200-600
# instructions a character in all, on a Chinese text)
_NUM_CHARS = "0123456789０１２３４５６７８９〇零一二三四五六七八九十百千万亿两"  # _NUM's characters
_MARK = "\uffff"  # a noncharacter: stands for a numeral until the runs of them become "#"
_MARK2 = _MARK * 2
_ENDS = "！？；!?;"  # _SPLIT's characters but 。, which they become


def _sentences(text: str) -> list[str]:
    """_SPLIT.split(_DROP.sub("", _NUM.sub("#", text))) but for empty parts (a run of sentence
    ends gives one split there, str.split one per end): each run of numerals becomes "#", the
    dropped characters are deleted, the text is cut at each sentence end."""
    if _MARK in text:
        text = _NUM.sub("#", text)
    else:
        for c in _NUM_CHARS:
            if c in text:
                text = text.replace(c, _MARK)
        while _MARK2 in text:  # each run of marks halved (a regex here cost as much as _NUM)
            text = text.replace(_MARK2, _MARK)
        text = text.replace(_MARK, "#")
    for c in _DROP_CHARS:
        if c in text:
            text = text.replace(c, "")
    for c in _ENDS:
        if c in text:
            text = text.replace(c, "。")
    return text.split("。")


def normalize_sentence(s: str) -> str:
    s = unicodedata.normalize("NFKC", s)
    return _NUM.sub("#", s).translate(_DROP_TABLE)


def _h64(s: str) -> int:
    """A signed 64-bit hash (fits a BIGINT column in SQLite and PostgreSQL alike)."""
    return int.from_bytes(hashlib.blake2b(s.encode("utf-8"), digest_size=8).digest(), "little", signed=True)


@dataclass(frozen=True)
class TextDigest:
    sentences: tuple[int, ...]  # sorted distinct sentence hashes
    sketch: tuple[int, ...]  # the SKETCH smallest of them
    text: str | None = None  # the report's text, only when asked to keep it

    def packed(self) -> bytes:
        return array("q", self.sentences).tobytes()

    @staticmethod
    def unpack(data: bytes | None) -> frozenset[int]:
        if not data:
            return frozenset()
        a = array("q")
        a.frombytes(data)
        return frozenset(a)

    def to_wire(self) -> dict:
        return {"s": list(self.sentences), "t": self.text}

    @classmethod
    def from_wire(cls, data: dict) -> TextDigest:
        s = tuple(data["s"])
        return cls(s, s[:SKETCH], data.get("t"))


def digest_lines(lines: list[str], keep_text: bool = False) -> TextDigest:
    """The digest of a report's input lines (as read)."""
    hashes: set[int] = set()
    # lines joined without a break: a soft wrap (PDF, a pasted page) must not cut a sentence, so
    # the same text wrapped differently gives the same sentences; NFKC, numbers and the dropped
    # punctuation once for the whole text (none of those is a sentence end)
    for part in _sentences(nfkc("".join(line.strip() for line in lines))):
        if len(part) >= MIN_CHARS:
            hashes.add(_h64(part))
            if len(hashes) >= MAX_SENTENCES:
                break
    ordered = tuple(sorted(hashes))
    return TextDigest(ordered, ordered[:SKETCH], "\n".join(lines) if keep_text else None)


def copied_share(mine: frozenset[int] | set[int], other: frozenset[int] | set[int]) -> float:
    """Share of this report's sentences that also stand in the other one."""
    if not mine:
        return 0.0
    return len(mine & other) / len(mine)


def text_extra(lines: list[str], keep_text: bool = False) -> dict:
    """The store's columns taken from a report's text (see records._Writer.report)."""
    d = digest_lines(lines)
    out: dict = {"sentences": d.packed(), "sketch": d.sketch}
    if keep_text:
        from compliance.store.rows import pack_text

        out["text_z"] = pack_text(lines)
    return out
