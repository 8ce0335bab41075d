"""What a heading says: the value of its Chinese number (一…九十九) and the role its words name
(问题 → problems, 下一步 → plans …), from the keyword lists in `vocab`."""

from __future__ import annotations

from functools import lru_cache

from compliance.models import Role
from compliance.normalize import vocab

_CN_DIGIT = {c: i for i, c in enumerate("零一二三四五六七八九", start=0)}


def cn_int(s: str) -> int | None:
    """Small Chinese numerals (一…九十九) used in heading numbers."""
    if not s:
        return None
    if s == "十":
        return 10
    if "十" in s:
        a, _, b = s.partition("十")
        tens = _CN_DIGIT.get(a, 1) if a else 1
        ones = _CN_DIGIT.get(b, 0) if b else 0
        return tens * 10 + ones
    if len(s) == 1 and s in _CN_DIGIT:
        return _CN_DIGIT[s]
    return None


@lru_cache(maxsize=1)
def _keyword_automaton():
    """Every role keyword (and strong child keyword) in one Aho-Corasick automaton: a heading is
    scanned once instead of once per keyword. Payload: (keyword, roles naming it, strong roles)."""
    import ahocorasick

    words: dict[str, tuple[list[str], list[str]]] = {}
    for role, ws in vocab.ROLE_KEYWORDS.items():
        for w in ws:
            words.setdefault(w, ([], []))[0].append(role)
    for role, ws in vocab.STRONG_CHILD_KEYWORDS.items():
        for w in ws:
            words.setdefault(w, ([], []))[1].append(role)
    auto = ahocorasick.Automaton()
    for w, (roles, strong) in words.items():
        auto.add_word(w, (w, tuple(roles), tuple(strong)))
    auto.make_automaton()
    return auto


@lru_cache(maxsize=4096)
def _keywords_in(text: str) -> list[tuple[int, str, tuple[str, ...], tuple[str, ...]]]:
    """(start, keyword, roles, strong roles) of every keyword occurrence in `text`. Cached (callers
    only read it): a heading's role, strong role and keyword share each ask for the same one."""
    if not text:
        return []
    return [(end - len(w) + 1, w, roles, strong) for end, (w, roles, strong) in _keyword_automaton().iter(text)]


def role_from_heading(text: str) -> tuple[Role | None, int]:
    """Role named by a heading (earliest keyword wins; ties go to the longer keyword)."""
    best: tuple[int, int, str] | None = None
    for i, w, roles, _ in _keywords_in(text):
        if w in vocab.WEAK_KEYWORDS and len(w) / max(len(text), 1) < vocab.WEAK_MIN_SHARE:
            continue
        for role in roles:
            cand = (i, -len(w), role)
            if best is None or cand < best:
                best = cand
    if best is None:
        return None, -1
    return best[2], best[0]  # type: ignore[return-value]


def keyword_share(text: str) -> float:
    """How much of a heading its role keyword makes up: 存在的问题 1.0, 严格执行年度计划 0.25."""
    best = max((len(w) for _, w, roles, _ in _keywords_in(text) if roles), default=0)
    return best / len(text) if text else 0.0


def _strong_child_role(text: str) -> Role | None:
    found = {r for *_, strong in _keywords_in(text) for r in strong}
    for role in vocab.STRONG_CHILD_KEYWORDS:
        if role in found:
            return role  # type: ignore[return-value]
    return None
