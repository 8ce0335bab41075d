"""Chinese wording of traces: what a check looked for, why a near miss did not count.

Bureau staff read these, not rule authors, so a regex cue is shown as an example phrase
(`/(行政许可|行政处罚)[^。]{0,15}(公示|公开)/` → `行政许可…公示`) and a section by its own
heading words rather than by a role code.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from functools import lru_cache
from itertools import chain
from operator import add
from typing import TYPE_CHECKING

from compliance.engine.memo import per_object, per_ruleset
from compliance.rules.regex_syntax import AnyChar, Branch, Category, Class, ClassItem, Group, Lit, Node, NotLit, Range, Repeat, Seq, Unsupported, parse

if TYPE_CHECKING:
    from compliance.rules.load import CompiledRuleset

ROLE_ZH = {
    "preamble": "开头",
    "measures": "主要举措",
    "results": "工作成效",
    "frp": "第一责任人履职",
    "problems": "存在问题",
    "plans": "下一步工作安排",
    "closing": "落款",
    "other": "其他",
}
TIER_ZH = {"met": "达标", "partial": "部分达标"}
POL_ZH = {"positive": "肯定表述", "planned": "仅为计划", "negative": "否定或自述不足"}
SCOPE_ZH = {"clause": "同一分句", "sentence": "同一句", "paragraph": "同一段", "section": "同一部分"}
WITHIN_ZH = {"clause": "同分句", "sentence": "同句", "paragraph": "同段", "section": "同一部分"}
META_ZH = {
    "title": "标题",
    "issuer": "发文单位",
    "province": "省份",
    "city": "市",
    "county": "县（区）",
    "level": "行政级别",
    "doc_type": "文件类型",
    "period": "报告年度",
    "date": "落款日期",
    "doc_number": "文号",
    "published": "网页发布日期",
}
DATE_FIELD_ZH = {"date": "落款日期", "published": "网页发布日期", "best": "落款日期（没有时用网页发布日期）"}
OP_ZH = {">=": "不低于", ">": "高于", "<=": "不高于", "<": "低于", "==": "等于"}
# the failing side of a comparison: "数值 40 学时低于阈值 60 学时"
FAIL_ZH = {">=": "低于", ">": "未超过", "<=": "高于", "<": "未低于", "==": "不等于"}

_NUMBERING = re.compile(
    r"^\s*(?:[（(][一二三四五六七八九十\d]{1,3}[）)]|[一二三四五六七八九十]{1,3}是|\d{1,2}[.、．](?!\d)"
    r"|[一二三四五六七八九十]{1,3}[、.．]|第[一二三四五六七八九十]{1,3}[，,、部分]*)\s*"
)


def strip_numbering(heading: str) -> str:
    """`三、下步重点工作安排` → `下步重点工作安排`."""
    return _NUMBERING.sub("", heading, count=1).strip().rstrip("。:：")


# readable forms of a ruleset's cues, loaded from the prepared cache (`descriptions`): a pure
# function of the cue text, so one table serves every ruleset
_SHOWN: dict[str, str] = {}


def readable(raw: str) -> str:
    """A cue as a reader would recognise it: the literal, or one example phrase per top-level
    alternative of a regex (`…` for a gap, `N` for a number)."""
    got = _SHOWN.get(raw)
    return got if got is not None else _readable(raw)


@lru_cache(maxsize=4096)
def _readable(raw: str) -> str:
    if not (len(raw) >= 2 and raw.startswith("/") and raw.endswith("/")):
        return raw
    try:
        tree = parse(raw[1:-1])
    except Unsupported:
        return raw
    shown = []
    for a in _top_alternatives(tree):
        s = _squash(_example(a))
        if s and s not in shown:
            shown.append(s)
    return "、".join(shown) if shown else raw


def _top_alternatives(tree: Seq) -> list[Seq]:
    """The alternatives of a pattern that is one alternation, possibly wrapped in a group."""
    if len(tree) == 1:
        n = tree[0]
        if isinstance(n, Branch):
            return list(n.alts)
        if isinstance(n, Group):
            return _top_alternatives(n.body)
    return [tree]


def _is_gap(n: Node) -> bool:
    """Any character (but one, or but a class): the gap between a cue's words."""
    return isinstance(n, (AnyChar, NotLit)) or (isinstance(n, Class) and n.negated)


def _example(tree: Seq) -> str:
    out: list[str] = []
    for n in tree:
        if isinstance(n, Lit):
            out.append(n.ch)
        elif isinstance(n, Group):
            out.append(_example(n.body))
        elif isinstance(n, Branch):
            out.append(_example(n.alts[0]))
        elif _is_gap(n):
            out.append("…")
        elif isinstance(n, Class):
            out.append(_class_example(n.items))
        elif isinstance(n, Repeat):
            if len(n.body) == 1 and _is_gap(n.body[0]):
                out.append("…")
            elif n.lo == 0:
                continue  # an optional part: the shortest example leaves it out
            else:
                out.append(_example(n.body))
        # assertions (look-behind/ahead), anchors, atomic groups and back-references add no text
    return "".join(out)


def _class_example(items: tuple[ClassItem, ...]) -> str:
    for n in items:
        if isinstance(n, Lit):
            return n.ch
        if isinstance(n, Range):
            return "N" if (n.lo, n.hi) == ("0", "9") else n.lo
        if isinstance(n, Category):
            return "N" if n.letter == "d" else "…"
    return "…"


def _squash(s: str) -> str:
    s = re.sub(r"N{2,}", "N", s)
    s = re.sub(r"…{2,}", "…", s)
    return s.strip("…").strip()


def cue_list(raws, n: int = 4, quote: bool = False) -> str:
    """`执法公示、双公示、七公示…`: the first `n` distinct readable forms."""
    return _cue_list(tuple(raws), n, quote)


@lru_cache(maxsize=16384)
def _cue_list(raws: tuple[str, ...], n: int, quote: bool) -> str:
    """The same few cue sets are described for every report: compute each wording once."""
    shown: list[str] = []
    more = False
    for raw in raws:
        for part in readable(raw).split("、"):
            if part in shown:
                continue
            if len(shown) >= n:
                more = True
                break
            shown.append(part)
        if more:
            break
    if quote:
        txt = "、".join(f"“{x}”" for x in shown)
    else:
        txt = "、".join(shown)
    return txt + ("…" if more else "")


def roles_zh(roles) -> str:
    if set(ROLE_ZH) - {"closing"} <= set(roles):
        return "全文"
    return "、".join(f"“{ROLE_ZH.get(r, r)}”" for r in roles) + "部分"


def within_zh(within) -> str:
    if isinstance(within, int):
        return f"相距 {within} 字以内"
    return WITHIN_ZH.get(within, within)


# --------------------------------------------------------------------------- near misses of an absence


@per_object
def rule_phrases(rule) -> list[str]:
    """The rule's cues as plain phrases (regex alternatives as example phrases; `…` marks a gap)."""
    out: list[str] = []

    def walk(checks) -> None:
        for c in checks:
            for raw in c.phrases():
                for phrase in readable(raw).split("、"):
                    phrase = phrase.replace("N", "").strip("…")
                    if len(phrase.replace("…", "")) >= 3 and phrase not in out:
                        out.append(phrase)

    if rule.evidence is not None:
        walk(rule.evidence.met)
        walk(rule.evidence.partial)
    return out


@lru_cache(maxsize=8192)
def _grams_of(phrase: str) -> frozenset[str]:
    return frozenset(_bigrams(phrase))


def _bigrams(s: str) -> set[str]:
    """Bigrams within each gap-separated fragment of a phrase (`上一年度…公开`)."""
    return {f[i : i + 2] for f in s.split("…") for i in range(len(f) - 1)}


def similar_passages(ix, phrases: list[str], k: int = 2, min_share: float = 0.5,
                     vocabulary: frozenset[str] | None = None) -> list:
    """Sentences that share most of a cue phrase's wording without saying it: the nearest
    passages to show for a requirement the report does not address at all.

    Character bigrams, not words: Chinese has no spaces and segmenters cut rule terms apart.
    A phrase is scored as a whole, so one generic fragment (法治政府) of a longer requirement
    (上一年度…法治政府…公开) is not a near miss. `vocabulary` (every phrase bigram of the ruleset,
    see `ruleset_vocabulary`) lets one index per report serve all rules.
    """
    from compliance.models import NearMiss

    got = ix.near_index
    if got is None:
        inv: dict[str, list[int]] = {}
        vocab = vocabulary if vocabulary is not None else frozenset().union(*map(_grams_of, phrases))
        for s in ix.sents:
            if s.role == "closing" or len(s.norm) < 2:
                continue
            # only bigrams some cue phrase has: the intersection runs in C, the loop stays short
            for bg in vocab.intersection(map(add, s.norm, s.norm[1:])):
                inv.setdefault(bg, []).append(s.gi)
        got = (inv, frozenset(inv), {})  # postings, the bigrams present, per-phrase results
        if vocabulary is not None:  # a partial index (one call's phrases) must not be reused
            ix.near_index = got
    inv, present, memo = got
    best: dict[int, tuple[float, str]] = {}
    for ph in phrases:
        hits = memo.get((ph, min_share))
        if hits is None:  # rules share phrases: each is scored once per report
            hits = memo[(ph, min_share)] = _phrase_hits(ph, inv, present, min_share)
        for gi, share in hits:
            if share > best.get(gi, (0.0, ""))[0]:
                best[gi] = (share, ph)
    out: list = []
    seen: set[tuple[int, str]] = set()
    for gi, (_share, ph) in sorted(best.items(), key=lambda kv: (-kv[1][0], kv[0])):
        s = ix.sents[gi]
        quote = s.text.strip()
        common = _longest_shared(ph, s.norm)
        line = ix.line_of(s, max(0, s.norm.find(common)) if common else 0)
        key = (line, quote.rstrip("。；;"))
        if len(common) < 3 or key in seen:  # a 2-character overlap (法治) says nothing; a lead sentence is also its heading
            continue
        seen.add(key)
        why = f"只写到“{common}”，没有写到“{ph}”"
        out.append(NearMiss(quote=quote, line=line, section=s.section, role=s.role, reason=why))
        if len(out) >= k:
            break
    return out


def _phrase_hits(ph: str, inv: dict[str, list[int]], present: frozenset[str], min_share: float) -> list[tuple[int, float]]:
    """(sentence, share of the phrase's bigrams) for the sentences sharing enough but not all of them."""
    grams = _grams_of(ph)
    if len(grams) < 2:
        return []
    need = max(2, math.ceil(min_share * len(grams)))
    found = grams & present  # C-level; most phrases stop here
    if len(found) < need:  # not enough of its wording anywhere in the report
        return []
    # C-level counting: the postings of a phrase's bigrams, counted per sentence
    counts = Counter(chain.from_iterable(inv[bg] for bg in found))
    return [(gi, n / len(grams)) for gi, n in counts.items() if need <= n < len(grams)]


def _longest_shared(phrase: str, text: str) -> str:
    """The longest run of `phrase` (gaps `…` excluded) that occurs in `text`; phrases are short."""
    best = ""
    for frag in phrase.split("…"):
        for size in range(len(frag), len(best), -1):
            hit = next((frag[i : i + size] for i in range(len(frag) - size + 1) if frag[i : i + size] in text), None)
            if hit:
                best = hit
                break
    return best


@per_ruleset
def ruleset_vocabulary(rs: CompiledRuleset) -> frozenset[str]:
    """Every bigram of every rule's cue phrases: the only bigrams a near-miss search looks at."""
    got = descriptions(rs)
    return got[1] if got is not None else _vocabulary(rs)


def _vocabulary(rs: CompiledRuleset) -> frozenset[str]:
    return frozenset().union(*(_grams_of(ph) for cr in rs.rules for ph in rule_phrases(cr.rule)))


@per_ruleset
def descriptions(rs: CompiledRuleset) -> tuple[dict[str, str], frozenset[str]] | None:
    """The readable form of every cue of the ruleset and its near-miss vocabulary, kept between
    runs (compliance.prepared) and put in `readable`'s table: working them out from the regex
    syntax is ~30 ms of a one-report run. None when the prepared cache is off (then each
    description is worked out when first needed, as before)."""
    from compliance import prepared

    if prepared.prepared_dir() is None:
        return None
    got = _kept_descriptions(rs)
    _SHOWN.update(got[0])
    return got


def _kept_descriptions(rs: CompiledRuleset) -> tuple[dict[str, str], frozenset[str]]:
    from compliance import prepared

    def build() -> tuple[dict[str, str], frozenset[str]]:
        return {raw: _readable(raw) for raw in sorted(rs.cues)}, _vocabulary(rs)

    def valid(v: object) -> bool:
        return isinstance(v, tuple) and len(v) == 2 and isinstance(v[0], dict) and isinstance(v[1], frozenset)

    return prepared.cached("descriptions", [rs.hash, *sorted(rs.cues)], build, valid)
