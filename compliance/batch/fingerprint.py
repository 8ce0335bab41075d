"""A finding's identity across runs: rule id + normalized quote + section — never a line number,
so moving paragraphs around keeps it, while rewording the quoted sentence changes it."""

from __future__ import annotations

import hashlib
import re
import unicodedata

from compliance.models import RuleResult

_DROP = re.compile(r"[\s\u3000，。、；：！？“”‘’（）《》【】「」『』,.;:!?\"'()\[\]<>·…—-]+")


def norm_text(s: str) -> str:
    return _DROP.sub("", unicodedata.normalize("NFKC", s or ""))


def _section_key(section: str) -> str:
    """Section path without its numbering, so renumbering (二、→三、) keeps the identity."""
    parts = []
    for part in (section or "").split("/"):
        part = re.sub(r"^\s*([（(]?[一二三四五六七八九十百\d]+[)）]?[、.．]?|[一二三四五六七八九十]是)", "", part)
        parts.append(norm_text(part))
    return "/".join(parts)


def fingerprint_of(r: RuleResult) -> str:
    """Computed fingerprint of a result: the quotes it rests on (evidence, else near misses)."""
    quotes: list[str] = []
    if r.evidence:
        quotes = [norm_text(e.quote) + "@" + _section_key(e.section) for e in r.evidence[:3]]
    elif r.trace and r.trace.near_misses:
        quotes = [norm_text(n.quote) + "@" + _section_key(n.section) for n in r.trace.near_misses[:3]]
    raw = r.rule_id + "\0" + "\0".join(quotes)
    return hashlib.sha1(raw.encode("utf-8")).hexdigest()[:16]


def key_of(r: RuleResult) -> str:
    """The identity used for baselines: the engine's fingerprint when it gives one."""
    return r.fingerprint or fingerprint_of(r)
