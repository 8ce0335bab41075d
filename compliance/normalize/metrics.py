"""Numbers with units in sentences: 办结21件, 人均完成128学时, 持证率达100%, 百分之九十五.

Runs on each sentence's normalized form and maps matches back to the text as written. The
subject is the clause's words before the number; when those are only function words
(对122个重大行政处罚案件), the words after the unit stand in.
Chinese numerals are converted (cn2an) only inside a captured number+unit span, so running
text such as 一是 is never touched. Years, dates, document numbers and list numbering carry no
unit from the list below and are skipped; ordinals (第三名) are skipped explicitly.
"""

from __future__ import annotations

import re

from compliance.models import Metric, Paragraph, trusted
from compliance.text import _clauses, cached_norm_map as norm_map, cn_number

# unit → kind. Matched longest first.
UNITS: dict[str, str] = {
    "亿元": "money", "万元": "money", "千元": "money", "元": "money",
    "学时": "hours", "课时": "hours", "小时": "hours",
    "个工作日": "other", "工作日": "other", "天": "other", "万吨": "other", "吨": "other",
    "公里": "other", "千米": "other", "平方米": "other", "亩": "other",
    "人次": "count", "件次": "count", "户次": "count", "家次": "count", "台次": "count", "车次": "count",
    "艘次": "count", "批次": "count", "场次": "count", "班次": "count", "轮次": "count", "轮": "count",
    "次": "count", "件": "count", "个": "count", "人": "count", "份": "count", "家": "count",
    "本": "count", "台": "count", "项": "count", "条": "count", "名": "count", "期": "count",
    "场": "count", "篇": "count", "起": "count", "户": "count", "辆": "count", "艘": "count",
    "批": "count", "部": "count", "册": "count", "所": "count", "处": "count", "宗": "count",
    "例": "count", "案": "count", "张": "count", "套": "count", "支": "count", "期次": "count",
    "余人": "count",
}
# A unit character that starts a common word is not a unit there (处罚, 条例, 名单, 期间 …).
_NOT_UNIT_AFTER = {
    "处": "罚理置置室长", "期": "间限末初满", "起": "草诉来步", "条": "例件款", "名": "单称义额",
    "家": "庭属长", "人": "民员大", "部": "门署分长", "所": "属在有以", "案": "件卷例由", "本": "级地部单市县区",
    "台": "账帐阶", "个": "别人体", "批": "准复评", "支": "持付队出", "场": "所地景合", "张": "贴",
    "件": "事", "次": "要数", "份": "额", "例": "如", "户": "籍口外", "元": "旦月",
}
_UNIT_ALT = "|".join(re.escape(u) for u in sorted(UNITS, key=len, reverse=True))
_CN = "零〇一二三四五六七八九十百千万两"
_NUM_RE = re.compile(
    rf"(?P<num>\d+(?:\.\d+)?|[{_CN}]+)\s*(?P<q>余|多)?\s*(?P<mult>万|亿)?(?P<unit>{_UNIT_ALT})"
)
_PCT_RE = re.compile(r"(?P<num>\d+(?:\.\d+)?)\s*(?P<unit>%|‰)")
# "1:15" / "1比15" of one group of staff to another (法制审核人员与执法人员之比为1:15): a share,
# kept as the percentage 100/N so that a percentage threshold judges both forms. Only in a clause
# about staffing or a proportion; never a map scale (1:500比例尺, 1:2000地形图).
_ONE_TO_N = re.compile(r"(?<![\d.:])1\s*[:比]\s*(?P<n>[1-9]\d{0,2})(?![\d.:])")
_ONE_TO_N_CONTEXT = re.compile(r"人员|配备|配齐|比例|配比|之比")
_MAP_SCALE = re.compile(r"比例尺|地形图|地图|影像|图件")
_PCT_CN_RE = re.compile(rf"百分之(?P<num>[{_CN}点]+)")
_OPEN_QUOTES = set("“‘「『\"'")
_RANGE_MARKS = set("-~～—–至到")
# "执法人员培训均不少于60学时", "学时均达到": a figure every member of the group reached
_EACH = re.compile(r"均(?:不少于|不低于|达到|超过|已达|已超过|完成)")
_FUNCTION_WORDS = re.compile(r"^(?:对|共|有|其中|全年|累计|合计|总计|达|达到|约|近|超|超过|计|为|了|共计)+")
_SUBJECT_TRIM = re.compile(r"^[\s,，、；;：:。]+|[\s,，、；;：:]+$")
# What every match of the four patterns above contains (a digit, 百分之, or a numeral's last
# character with what may follow it up to a unit): a sentence without it has no metric. Most
# sentences of a report have none, so the per-sentence set-up is skipped for them.
_UNIT_FIRST = "".join(sorted({u[0] for u in UNITS}))
_MAYBE = re.compile(rf"\d|百分之|[{_CN}]\s*(?:余|多)?\s*(?:万|亿)?[{_UNIT_FIRST}]")
_CN_DIGITS = re.compile("[一二三四五六七八九十两]")
_DECIMAL = re.compile(r"\d+\.\d+")
_PER_CAPITA = re.compile("人均|每人|每名|平均每|人人|" + _EACH.pattern)
_AFTER_CUT = re.compile(r"[、,，;；。\d]")
_PREV_CUT = re.compile(r"[,，;；。:：]")
_HAS_DIGIT = re.compile(r"\d")


def _cn_value(s: str) -> float | None:
    if not _CN_DIGITS.search(s):
        return None  # 万/千/百 alone are words (万件化访), not numbers
    if s == "一":
        return None  # 一次到位, 一件事, 一网通办: idioms, not counts
    return _cn_point(s)


def sentence_metrics(p: Paragraph, sentence_index: int) -> list[Metric]:
    """Metrics of one sentence, found on its matching form (`Sentence.norm`, which structure
    builds as `norm_map(text)[0]`) and quoted from its text as written."""
    s = p.sentences[sentence_index]
    norm = s.norm
    if not _MAYBE.search(norm):
        return []
    idx = norm_map(s.text)[1]
    out: list[Metric] = []
    taken: list[tuple[int, int]] = []

    def emit(a: int, b: int, num_start: int, value: float, unit: str, kind: str) -> None:
        for x, y in taken:
            if b > x and a < y:
                return  # overlaps a metric already taken
        taken.append((a, b))
        ca, ce = split_clause_around(norm, num_start)
        # The subject starts after a list separator or an earlier number in the same clause
        # (主项107个、子项170个 → 子项).
        for _x, y in taken[:-1]:
            if ca <= y <= num_start:
                ca = y
        cut = norm.rfind("、", ca, num_start)
        listed = cut >= 0 and num_start - cut == 1  # "总站、260余辆出租车": the item follows the number
        if cut >= 0 and num_start - cut > 1:
            ca = cut + 1
        subject = _SUBJECT_TRIM.sub("", norm[ca:num_start])
        if listed or len(_FUNCTION_WORDS.sub("", subject)) < 2:
            # "对122个重大行政处罚案件…": what is counted follows the number.
            after = _SUBJECT_TRIM.sub("", norm[b:ce])
            after = _AFTER_CUT.split(after)[0][:16]  # up to the next number (36个单位200项…)
            if len(after) >= 2:
                subject = after
            elif ca > 0:
                # "总量突破千万户,达1042.8万户": the clause before names what is counted.
                prev = _PREV_CUT.split(_SUBJECT_TRIM.sub("", norm[:ca]))[-1]
                prev = _FUNCTION_WORDS.sub("", prev)
                if len(prev) >= 2 and not _HAS_DIGIT.search(prev):
                    subject = prev[-16:]
        t_start = idx[a]
        t_end = idx[b - 1] + 1
        out.append(
            trusted(Metric, {
                "value": value,
                "unit": unit,
                "kind": kind,
                "per_capita": bool(_PER_CAPITA.search(subject)),
                "text": s.text[t_start:t_end],
                "subject": subject,
                "line": p.line_at(s.offset + t_start),
                "paragraph": p.id,
                "sentence": sentence_index,
            })
        )

    # each pattern only where the characters it needs are (a C-level `in` instead of a scan)
    for m in _PCT_RE.finditer(norm) if "%" in norm or "‰" in norm else ():
        emit(m.start(), m.end(), m.start(), float(m.group("num")), m.group("unit"), "percent" if m.group("unit") == "%" else "other")
    for m in _ONE_TO_N.finditer(norm) if "1" in norm and (":" in norm or "比" in norm) else ():
        ca, _ = split_clause_around(norm, m.start())
        around = norm[ca:m.end() + 8]
        if _ONE_TO_N_CONTEXT.search(around) and not _MAP_SCALE.search(around):
            emit(m.start(), m.end(), m.start(), round(100 / int(m.group("n")), 2), "%", "percent")
    for m in _PCT_CN_RE.finditer(norm) if "百分之" in norm else ():
        num = m.group("num")
        v = 100.0 if num == "百" else _cn_point(num)  # 百分之百; 百分之一 is a real number here
        if v is not None:
            emit(m.start(), m.end(), m.start(), v, "%", "percent")
    for m in _NUM_RE.finditer(norm):
        a = m.start("num")
        num = m.group("num")
        prev = norm[a - 1] if a > 0 else ""
        if prev == "第" or prev == "." or (prev.isascii() and prev.isalnum()):
            continue
        if prev in _OPEN_QUOTES and not num[0].isdigit():
            continue  # “四个意识”“三个代表”: slogans, not counts
        if prev in _RANGE_MARKS and a > 1 and norm[a - 2].isdigit():
            continue  # "1-2部": a range, no single value
        unit = m.group("unit")
        nxt = norm[m.end():m.end() + 1]
        if nxt and nxt in _NOT_UNIT_AFTER.get(unit, ""):
            continue
        if num.isdigit() or _DECIMAL.fullmatch(num):
            if num.isdigit() and len(num) == 4 and unit in ("名", "个", "期") and 1949 <= int(num) <= 2100:
                continue
            value: float | None = float(num)
        else:
            if prev and (prev in _CN or prev in "数几若"):
                continue  # 数十次, 几百人: no definite number
            value = _cn_value(num)
        if value is None:
            continue
        full_unit = (m.group("mult") or "") + unit
        kind = UNITS[unit]
        if unit == "余人":
            full_unit, kind = "人", "count"
        emit(a, m.end(), a, value, full_unit, kind)
    if len(out) > 1:
        out.sort(key=lambda x: s.text.find(x.text))
    return out


def _cn_point(s: str) -> float | None:
    """A Chinese numeral's value: plain forms without importing cn2an (one-report start-up), the
    rest through cn2an."""
    fast = cn_number(s)
    if fast is not None:
        return fast
    try:
        import cn2an

        return float(cn2an.cn2an(s, "smart"))
    except Exception:
        return None


def split_clause_around(norm: str, pos: int) -> tuple[int, int]:
    for a, b in _clauses(norm):
        if a <= pos < b:
            return a, b
    return 0, len(norm)


def paragraph_metrics(p: Paragraph) -> list[Metric]:
    out: list[Metric] = []
    for i in range(len(p.sentences)):
        out.extend(sentence_metrics(p, i))
    return out
