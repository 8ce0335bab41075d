"""Dates and periods: 落款 and page dates in any of the ways they are written, and the year or
years a report covers (title, announcing sentence, opening, date)."""

from __future__ import annotations

import datetime as dt
import re

from compliance.normalize.lines import is_date_line
from compliance.normalize.lines import tnorm

CN_NUM = "〇零一二三四五六七八九十○Ｏ"  # the digits of dates written in Chinese numerals
_DATE_PATTERNS = [
    re.compile(r"(?P<y>(?:19|20)\d{2})\s*年\s*(?P<m>\d{1,2})\s*月\s*(?P<d>\d{1,2})\s*日"),
    re.compile(r"(?<!\d)(?P<y>(?:19|20)\d{2})[-./](?P<m>\d{1,2})[-./](?P<d>\d{1,2})(?!\d)"),
    re.compile(rf"(?P<y>[{CN_NUM}]{{4}})\s*年\s*(?P<m>[{CN_NUM}]{{1,3}})\s*月\s*(?P<d>[{CN_NUM}]{{1,3}})\s*日"),
]
_YEAR_DIGITS = {c: str(i) for i, c in enumerate("〇一二三四五六七八九")}
_YEAR_DIGITS.update({"零": "0", "○": "0", "Ｏ": "0", "O": "0"})

_RANGE = re.compile(r"((?:19|20)\d{2})\s*(?:年)?\s*[-—–~～至到]\s*((?:19|20)\d{2})\s*年?")
_YEAR = re.compile(r"(?<!\d)((?:19|20)\d{2})\s*(?:年度|年)")
_SINCE = re.compile(r"(?:自|从)?\s*((?:19|20)\d{2})\s*年\s*以来")
_HEADING_YEAR = re.compile(r"^\s*[一二三四五六七八九十]{1,2}\s*[、.．]\s*((?:19|20)\d{2})\s*年度?(?!\s*(?:及|和|的)?\s*(?:下一步|下步|工作(?:计划|打算|安排|要点|思路)|重点工作))")
_OPENING_YEAR = re.compile(r"^\s*(?:今年|\S{0,6}?)?((?:19|20)\d{2})\s*年(?:度)?\s*(?:[,，]|以来|来|全年|上半年)", re.M)


def cn_digits(s: str) -> int | None:
    """Chinese numerals in dates: 二〇二四 → 2024 (digit by digit), 十二 → 12, 三十一 → 31."""
    if not s:
        return None
    if s.isdigit():
        return int(s)
    if all(c in _YEAR_DIGITS for c in s):
        return int("".join(_YEAR_DIGITS[c] for c in s))
    from compliance.text import cn_number

    fast = cn_number(s)  # plain numerals without importing cn2an (one-report start-up)
    if fast is not None:
        return int(fast)
    try:
        import cn2an

        return int(cn2an.cn2an(s, "smart"))
    except Exception:
        return None


def parse_date(text: str) -> dt.date | None:
    """The first date in `text` in any of the forms reports use."""
    best: tuple[int, dt.date] | None = None
    for rx in _DATE_PATTERNS:
        for m in rx.finditer(text):
            y, mo, d = cn_digits(m.group("y")), cn_digits(m.group("m")), cn_digits(m.group("d"))
            try:
                date = dt.date(y, mo, d)  # type: ignore[arg-type]
            except (TypeError, ValueError):
                continue
            if best is None or m.start() < best[0]:
                best = (m.start(), date)
            break
    return best[1] if best else None


_MONTH_ONLY = re.compile(
    rf"^\s*(?P<y>(?:19|20)\d{{2}}|[{CN_NUM}]{{4}})\s*年\s*(?P<m>\d{{1,2}}|[{CN_NUM}]{{1,3}})\s*月份?\s*$"
)


def parse_month(text: str) -> dt.date | None:
    """A value that is only a month (落款 "2024年2月", "二〇二四年二月"): the month's last day, the
    latest date it can stand for. Whole values only: "2024年1月，我局…" in a sentence is no date."""
    m = _MONTH_ONLY.match(text)
    if not m:
        return None
    y, mo = cn_digits(m.group("y")), cn_digits(m.group("m"))
    if y is None or mo is None or not 1 <= mo <= 12:
        return None
    nxt = dt.date(y + (mo == 12), mo % 12 + 1, 1)
    return nxt - dt.timedelta(days=1)


def explicit_period(text: str) -> tuple[int, int] | None:
    """Only what a passage states about its own time: "2024年,我局…", "自2020年以来" (to that year)."""
    p = tnorm(text)
    m = _OPENING_YEAR.search(p)
    if m:
        y = int(m.group(1))
        return (y, y)
    m = _SINCE.search(p)
    if m:
        y = int(m.group(1))
        return (y, max(y, dt.date.today().year))
    return None


_ANNOUNCED_YEAR = re.compile(r"现将[^。；;]{0,30}?((?:19|20)\d{2})\s*年度?[^。；;]{0,40}?(?:报告|汇报|总结)如下")
# "“十四五”时期": the n-th five-year plan period; from the 3rd (1966–1970) on they follow each other.
_PLAN_PERIOD = re.compile(r"十([一二三四五])五(?=[”\"’']|时期|期间|规划|以来)")
_FIVE_YEARS = re.compile(r"五年(?:来|以来|工作|总结|情况)")


def find_period(title: str | None, preamble: str, body: str, date: dt.date | None,
                report_like: bool = True) -> tuple[int, int] | None:
    t = tnorm(title or "")
    if t:
        m = _RANGE.search(t)
        if m:
            a, b = int(m.group(1)), int(m.group(2))
            if a <= b:
                return (a, b)
        m = _PLAN_PERIOD.search(t)
        if m:
            a = 1966 + 5 * (10 + "一二三四五".index(m.group(1)) + 1 - 3)
            return (a, a + 4)
        head = re.split(r"(?:及|暨|和|与)(?=(?:19|20)\d{2})", t, maxsplit=1)[0]
        m = _YEAR.search(head) or _YEAR.search(t)
        if m:
            y = int(m.group(1))
            if report_like and _FIVE_YEARS.search(t):  # "2025年…五年工作总结": the five years to 2025
                return (y - 4, y)
            return (y, y)
        m = re.search(r"(?<!\d)((?:19|20)\d{2})(?!\d)", head)
        if m:
            y = int(m.group(1))
            return (y, y)
    p = tnorm(preamble)
    m = _SINCE.search(p) or _SINCE.search(tnorm(body)[:3000])
    if m:
        a = int(m.group(1))
        b = date.year if date else a
        if date and date.month <= 3 and b > a:
            b -= 1  # a report signed early in a year covers the year before
        return (a, max(a, b))
    # per line: a name-and-date line above the opening ("某某 2025年2月") is not its year
    m = _OPENING_YEAR.search(p) or next(
        (x for x in (_OPENING_YEAR.search(tnorm(ln)) for ln in preamble.splitlines()) if x), None)
    if m:
        y = int(m.group(1))
        return (y, y)
    # years inside 《…》 are the cited documents' ("根据《…纲要（2021—2025年）》…"), not the report's
    own = re.sub(r"《[^》]*》", "", p)
    m = _ANNOUNCED_YEAR.search(own)  # "在2023年基础上…现将我镇2024年…情况报告如下": the announced one
    if m:
        y = int(m.group(1))
        return (y, y)
    m = _RANGE.search(own)
    if m and int(m.group(1)) <= int(m.group(2)):
        return (int(m.group(1)), int(m.group(2)))
    m = _YEAR.search(own)
    if m:
        y = int(m.group(1))
        return (y, y)
    if date is not None and report_like:
        # Annual reports are due in the first quarter and cover the year before.
        y = date.year - 1 if date.month <= 3 else date.year
        return (y, y)
    if report_like:  # no year in the opening and no date: the first body paragraph that states one,
        # else a top heading that names the year reviewed ("一、2024年工作回顾", "一、2023年度主要工作")
        lines = body[:3000].splitlines()
        m = next((x for x in (_OPENING_YEAR.search(tnorm(ln)) for ln in lines) if x), None) \
            or next((x for x in (_HEADING_YEAR.match(tnorm(ln)) for ln in lines) if x), None)
        if m:
            y = int(m.group(1))
            return (y, y)
    return None



_BRACKETED_DATE = re.compile(r"^[(（]\s*(?P<d>[^()（）]{6,20})\s*[)）]$")


def bracketed_date(text: str) -> dt.date | None:
    """`（2024年1月15日）` on its own line under a title."""
    m = _BRACKETED_DATE.match(tnorm(text).strip())
    return parse_date(m.group("d")) if m and is_date_line(m.group("d")) else None


def bracketed_month(text: str) -> dt.date | None:
    """`（2024年1月）` on its own line under a title: the month's last day."""
    m = _BRACKETED_DATE.match(tnorm(text).strip())
    return parse_month(m.group("d").strip()) if m else None
