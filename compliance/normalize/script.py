"""Traditional characters: a report is analysed as a simplified copy, quoted as written.

The patterns, the gazetteer and the rulesets are written in simplified characters, so a
traditional-character mirror (法治政府部門建設情況報告) would match none of them. `to_simplified`
converts each line with OpenCC's t2s, keeping every line's length, so offsets and line numbers
found on the copy are those of the input; `restore` then puts the input's characters back into
what a reader sees (paragraph and sentence text, headings, metric text).
"""

from __future__ import annotations

import re
from functools import lru_cache
from operator import ne

_CJK = re.compile(r"[\u4e00-\u9fff]")
_NOT_CJK = re.compile(r"[^\u4e00-\u9fff]+")
SAMPLE = 4000
MIN_CHANGED = 8
MIN_SHARE = 0.04  # a simplified text has almost no character t2s changes; a traditional one 15–30 %


@lru_cache(maxsize=1)
def _converter():
    import opencc

    return opencc.OpenCC("t2s")


@lru_cache(maxsize=4096)
def _char(ch: str) -> str:
    out = _converter().convert(ch)
    return out if len(out) == 1 else ch


def _line(line: str) -> str:
    if not _CJK.search(line):
        return line
    out = _converter().convert(line)
    if len(out) == len(line):
        return out
    # a phrase whose simplified form has another length: character by character, which keeps it
    return "".join(_char(c) for c in line)


def is_traditional(lines: list[str]) -> bool:
    """Whether enough of the text's first characters are traditional forms (the CJK characters
    among the first 2×SAMPLE; only the lines that hold those are joined)."""
    head: list[str] = []
    size = 0
    for line in lines:
        head.append(line)
        size += len(line)
        if size >= SAMPLE * 2:
            break
    sample = _NOT_CJK.sub("", "".join(head)[: SAMPLE * 2])[:SAMPLE]
    if len(sample) < 20:
        return False
    simplified = _converter().convert(sample)
    if simplified == sample:
        return False  # nothing to convert: the common case, decided without a count
    changed = sum(map(ne, sample, simplified))
    return changed >= MIN_CHANGED and changed / len(sample) >= MIN_SHARE


def to_simplified(lines: list[str]) -> list[str]:
    """Each line converted, with its length kept."""
    return [_line(x) for x in lines]


def restore(text: str, at, original: list[str], converted: list[str]) -> str:
    """`text` (read from `converted`) with the input's characters put back: `at(i)` gives the
    (line, col) character `i` came from, or None for a character the joining added."""
    chars = list(text)
    for i, ch in enumerate(chars):
        pos = at(i)
        if pos is None:
            continue
        ln, col = pos
        if 0 < ln <= len(original) and col < len(original[ln - 1]) and converted[ln - 1][col:col + 1] == ch:
            chars[i] = original[ln - 1][col]
    return "".join(chars)
