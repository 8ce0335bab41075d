"""Document metadata: title, issuer, divisions, level, type, period, date, number.

Sources, most trusted first: the body (title line, 落款 signature and date), then what the page
around it states (a flattened 索引号 table, `RawDocument.hints`). A page's 发布日期 is when it
was posted, so it only fills `published`.
"""

from __future__ import annotations

import datetime as dt
import re

from loguru import logger

from compliance.models import DocType, Meta
from compliance.normalize import vocab
from compliance.normalize.gazetteer import gazetteer
from compliance.normalize.lines import is_date_line
from compliance.normalize.lines import tnorm

_CN_NUM = "〇零一二三四五六七八九十○Ｏ"
_DATE_PATTERNS = [
    re.compile(r"(?P<y>(?:19|20)\d{2})\s*年\s*(?P<m>\d{1,2})\s*月\s*(?P<d>\d{1,2})\s*日"),
    re.compile(r"(?<!\d)(?P<y>(?:19|20)\d{2})[-./](?P<m>\d{1,2})[-./](?P<d>\d{1,2})(?!\d)"),
    re.compile(rf"(?P<y>[{_CN_NUM}]{{4}})\s*年\s*(?P<m>[{_CN_NUM}]{{1,3}})\s*月\s*(?P<d>[{_CN_NUM}]{{1,3}})\s*日"),
]
_YEAR_DIGITS = {c: str(i) for i, c in enumerate("〇一二三四五六七八九")}
_YEAR_DIGITS.update({"零": "0", "○": "0", "Ｏ": "0", "O": "0"})

DOC_NUMBER = re.compile(
    r"[\u4e00-\u9fff]{1,12}\s*[〔\[［【(（]\s*(?:19|20)\d{2}\s*[〕\]］】)）]\s*第?\s*\d{1,5}\s*号"
)
_TITLE_ISSUER = re.compile(rf"^(?P<org>[\u4e00-\u9fff()（）]{{2,40}}?{vocab.ORG_SUFFIX})(?:关于|(?:19|20)\d{{2}}\s*年)")
_SIGNATURE = re.compile(
    rf"^(?P<org>[\u4e00-\u9fff()（）]{{2,40}}{vocab.ORG_SUFFIX})\s*(?P<date>(?:19|20)\d{{2}}.*|[{_CN_NUM}]{{4}}年.*)?$"
)
_PRINTED = re.compile(r"^.{0,30}?(?:\d{4}年\d{1,2}月\d{1,2}日|\d{4}-\d{1,2}-\d{1,2})\s*(?:印发|签发|成文)$")
_RANGE = re.compile(r"((?:19|20)\d{2})\s*(?:年)?\s*[-—–~～至到]\s*((?:19|20)\d{2})\s*年?")
_YEAR = re.compile(r"(?<!\d)((?:19|20)\d{2})\s*(?:年度|年)")
_SINCE = re.compile(r"(?:自|从)?\s*((?:19|20)\d{2})\s*年\s*以来")
_OPENING_YEAR = re.compile(r"^\s*(?:今年|\S{0,6}?)?((?:19|20)\d{2})\s*年(?:度)?\s*(?:[,，]|以来|来|全年|上半年)", re.M)


def cn_digits(s: str) -> int | None:
    """Chinese numerals in dates: 二〇二四 → 2024 (digit by digit), 十二 → 12, 三十一 → 31."""
    if not s:
        return None
    if s.isdigit():
        return int(s)
    if all(c in _YEAR_DIGITS for c in s):
        return int("".join(_YEAR_DIGITS[c] for c in s))
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


def detect_doc_type(title: str | None, fallback: str = "") -> DocType:
    """Type from the title's head noun; only rule-of-law documents get a report type."""
    t = tnorm(title or "")
    if not t:
        t = tnorm(fallback)[:200]
    if not t:
        return "other"
    if any(re.search(p, t) for p in vocab.OTHER_TITLE_PATTERNS):
        return "other"
    if not any(w in t for w in vocab.RULE_OF_LAW_TOPICS):
        return "other"
    # "A及B": A is the document, B a trailing part (…总结及2020年工作思路).
    head = re.split(r"(?:及|暨|和|与)(?=(?:19|20)\d{2}|下一步|下步|明年|今后)", t, maxsplit=1)[0]
    for part in (head, t):
        best: tuple[int, int, DocType] | None = None
        for dtype, words in vocab.DOC_TYPE_KEYWORDS:
            for w in words:
                i = part.rfind(w)
                if i >= 0:
                    cand = (i + len(w), len(w), dtype)
                    if best is None or cand > best:
                        best = cand  # type: ignore[assignment]
        if best:
            return best[2]
    return "other"


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


def find_period(title: str | None, preamble: str, body: str, date: dt.date | None,
                report_like: bool = True) -> tuple[int, int] | None:
    t = tnorm(title or "")
    if t:
        m = _RANGE.search(t)
        if m:
            a, b = int(m.group(1)), int(m.group(2))
            if a <= b:
                return (a, b)
        head = re.split(r"(?:及|暨|和|与)(?=(?:19|20)\d{2})", t, maxsplit=1)[0]
        m = _YEAR.search(head) or _YEAR.search(t)
        if m:
            y = int(m.group(1))
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
    m = _OPENING_YEAR.search(p)
    if m:
        y = int(m.group(1))
        return (y, y)
    m = _RANGE.search(p)
    if m and int(m.group(1)) <= int(m.group(2)):
        return (int(m.group(1)), int(m.group(2)))
    m = _YEAR.search(p)
    if m:
        y = int(m.group(1))
        return (y, y)
    if date is not None and report_like:
        # Annual reports are due in the first quarter and cover the year before.
        y = date.year - 1 if date.month <= 3 else date.year
        return (y, y)
    return None


_CJK_SPACE = re.compile(r"(?<=[\u4e00-\u9fff\d（）()〔〕])[ \t\u3000]+(?=[\u4e00-\u9fff\d（）()〔〕])")


def squeeze(t: str) -> str:
    """Drop the spaces PDF text puts around digits and between CJK characters (`关于 2023 年度`)."""
    return _CJK_SPACE.sub("", t).strip()


def clean_title(t: str | None) -> str | None:
    """A page `<title>` minus the site name (`…_绍兴市交通运输局`, `… - 某某网`)."""
    if not t:
        return None
    t = t.strip()
    for sep in ("_", "|", " - ", "—", "－"):
        if sep in t:
            parts = [p.strip() for p in t.split(sep) if p.strip()]
            if parts:
                t = max(parts, key=len)
    return t or None


def find_title_issuer(title: str | None) -> str | None:
    if not title:
        return None
    m = _TITLE_ISSUER.match(tnorm(title))
    return m.group("org") if m else None


def signature(lines: list[str]) -> tuple[str | None, dt.date | None]:
    """Issuer and date from the 落款 lines (last lines of the body, bottom-up)."""
    org = None
    date = None
    for raw in reversed(lines[-12:]):
        n = tnorm(raw).strip()
        if not n:
            continue
        if date is None and (is_date_line(n) or _PRINTED.match(n)):
            date = parse_date(n)
        m = _SIGNATURE.match(n)
        if m and org is None:
            org = m.group("org")
            if m.group("date") and date is None:
                date = parse_date(m.group("date"))
    return org, date


def expand_issuer(issuer: str | None, *context: str) -> str | None:
    """`市交通运输局` → `绍兴市交通运输局` using the city (or county) the other texts name."""
    if not issuer:
        return issuer
    gz = gazetteer()
    if gz.find(issuer) or not re.match(r"^(市|县|区|省|自治区|州|盟|旗)", issuer):
        return issuer
    want = {"市": "city", "州": "city", "盟": "city", "县": "county", "区": "county", "旗": "county",
            "省": "province", "自治区": "province"}[re.match(r"^(自治区|市|县|区|省|州|盟|旗)", issuer).group(1)]
    for text in context:
        chain = gz.resolve(text)
        d = chain.get(want)
        if d is not None and d.name.endswith(issuer[0]):
            return d.name + issuer[1:]
    return issuer


_BRACKETED_DATE = re.compile(r"^[(（]\s*(?P<d>[^()（）]{6,20})\s*[)）]$")


def bracketed_date(text: str) -> dt.date | None:
    """`（2024年1月15日）` on its own line under a title."""
    m = _BRACKETED_DATE.match(tnorm(text).strip())
    return parse_date(m.group("d")) if m and is_date_line(m.group("d")) else None


def build_meta(
    *,
    title_date: dt.date | None = None,
    title: str | None,
    doc_type: DocType,
    closing_lines: list[str],
    preamble: str,
    body: str,
    page: dict[str, str],
    header_lines: list[str],
) -> Meta:
    """Assemble Meta. `page` holds 索引号-table values (chrome lines and reader hints merged)."""
    sig_org, sig_date = signature(closing_lines)
    publisher = page.get("发布机构") or page.get("发文机关") or page.get("所属机构") or None
    issuer = find_title_issuer(title) or sig_org or publisher
    issuer = expand_issuer(issuer, title or "", sig_org or "", " ".join(header_lines), preamble, body[:2000])
    gz = gazetteer()
    chain = gz.resolve(issuer or "", title or "", sig_org or "", publisher or "", " ".join(header_lines), preamble,
                       context=body[:5000])
    if not chain:
        chain = _body_vote(body)
    written = parse_date(page.get("成文日期", "") or page.get("发文日期", "") or page.get("印发日期", ""))
    published = parse_date(page.get("发布日期", "") or page.get("发布时间", "") or page.get("公开时间", "") or "")
    date = sig_date or title_date or written
    number = None
    for key in ("发文字号", "文号", "文件编号"):
        v = page.get(key, "")
        m = DOC_NUMBER.search(tnorm(v)) if v else None
        if m:
            number = v.strip()
            break
    if number is None:
        for ln in header_lines:
            n = tnorm(ln).strip()
            m = DOC_NUMBER.fullmatch(n) or (DOC_NUMBER.match(n) if len(n) <= 30 else None)
            if m:
                number = ln.strip()[: len(ln.strip())]
                break
    level = None
    issuer_chain = gz.resolve(issuer or "") if issuer else {}
    src = issuer_chain or chain
    for lv in ("county", "city", "province"):
        if lv in src:
            level = lv
            break
    period = find_period(title, preamble, body, date or published,
                         report_like=doc_type in ("annual_report", "work_summary", "self_inspection"))
    logger.debug("meta: title={} issuer={} chain={} type={}", title, issuer, {k: v.name for k, v in chain.items()}, doc_type)
    return Meta(
        title=title,
        issuer=issuer,
        province=chain["province"].name if "province" in chain else None,
        city=chain["city"].name if "city" in chain else None,
        county=chain["county"].name if "county" in chain else None,
        level=level,  # type: ignore[arg-type]
        doc_type=doc_type,
        period=period,
        date=date,
        doc_number=number,
        published=published,
    )


def _body_vote(body: str) -> dict:
    """Last resort: the division whose full name the body repeats most."""
    gz = gazetteer()
    counts: dict[str, int] = {}
    for h in gz.find(body[:20000]):
        if h.short:
            continue
        for d in h.candidates:
            counts[d.code] = counts.get(d.code, 0) + 1
    if not counts:
        return {}
    code = max(counts, key=lambda c: (counts[c], len(c)))
    d = gz.division(code)
    return gz.chain(d) if d else {}
