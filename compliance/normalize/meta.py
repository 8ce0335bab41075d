"""Document metadata: title, issuer, divisions, level, period, date, number (the type is
decided in `doctype`).

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
from compliance.normalize.dates import CN_NUM, find_period, parse_date, parse_month
from compliance.normalize.gazetteer import Division, gazetteer
from compliance.normalize.lines import is_date_line
from compliance.normalize.lines import tnorm


DOC_NUMBER = re.compile(
    r"[\u4e00-\u9fff]{1,12}\s*[〔\[［【(（﹝]\s*(?:19|20)\d{2}\s*[〕\]］】)）﹞]\s*第?\s*\d{1,5}\s*号"
)
_TITLE_ISSUER = re.compile(rf"^(?P<org>[\u4e00-\u9fff()（）]{{2,40}}?{vocab.ORG_SUFFIX})(?:关于|(?:19|20)\d{{2}}\s*年)")
_SIGNATURE = re.compile(
    rf"^(?P<org>[\u4e00-\u9fff()（）]{{2,40}}{vocab.ORG_SUFFIX})\s*(?P<date>(?:19|20)\d{{2}}.*|[{CN_NUM}]{{4}}年.*)?$"
)
# Words that never occur in an organisation's name but do in sentences ending in 局/会/处.
_NOT_ORG = re.compile(r"(我|现将|根据|按照|为了|通过|召开|组织|开展|进一步|以及|各|本(?:局|委|办|单位))")
_PRINTED = re.compile(r"^.{0,30}?(?:\d{4}年\d{1,2}月\d{1,2}日|\d{4}-\d{1,2}-\d{1,2})\s*(?:印发|签发|成文)$")


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


_ORG_END = re.compile(rf"{vocab.ORG_SUFFIX}$")


def split_joint(org: str) -> str:
    """`中共青田县委员会青田县人民政府` → `中共青田县委员会、青田县人民政府`: joint issuers written
    side by side. Only the party committee + government pairing counts (a 公安局西湖区分局 is one
    body), and the second name must start like an issuer (中共 or a division's full name)."""
    if "中共" not in org:
        return org
    gz = gazetteer()
    for i in range(4, len(org) - 3):
        head, tail = org[:i], org[i:]
        if not _ORG_END.search(head) or not _ORG_END.search(tail):
            continue
        if not (head.startswith("中共") or tail.startswith("中共")):
            continue
        hits = gz.find(tail)
        place = re.match(r"^中共(.{2,12}?)(?:委员会|党委|委)$", head)  # 中共某镇委员会某镇人民政府
        if tail.startswith("中共") or (hits and hits[0].start == 0 and not hits[0].short) \
                or (place and tail.startswith(place.group(1))):
            return head + "、" + split_joint(tail)
    return org


def find_title_issuer(title: str | None) -> str | None:
    if not title:
        return None
    m = _TITLE_ISSUER.match(tnorm(title))
    return split_joint(m.group("org")) if m else None


_GOV_TITLE_AFTER = re.compile(r"^(?:(?:19|20)\d{2}\s*年度?|关于|法治|依法行政|全面依法)")
# A township titled by its name alone (`某某镇2024年法治政府建设年度报告`): towns are not in the
# gazetteer, so their name is read from the title's head.
_TOWN_TITLE = re.compile(r"^(?P<name>[\u4e00-\u9fff]{2,6}?(?P<kind>镇|乡|街道|高新区|开发区|经开区|新区))(?=(?:19|20)\d{2}|关于|法治|依法行政)")
_TOWN_GOV = {"镇": "人民政府", "乡": "人民政府", "街道": "办事处"}  # a zone's name is written as it is


def division_issuer(title: str | None) -> str | None:
    """`静海区2023年度法治政府建设情况报告`, `2020年阿坝州法治政府…`: a report titled by a division
    alone is that division's government's (静海区人民政府)."""
    if not title:
        return None
    t = re.sub(r"^(?:19|20)\d{2}\s*年度?", "", tnorm(title))
    hits = gazetteer().find(t)
    if not hits or hits[0].start != 0 or hits[0].short:
        m = _TOWN_TITLE.match(t)
        if m and not (hits and hits[0].start == 0 and hits[0].end > m.end("name")):
            return m.group("name") + _TOWN_GOV.get(m.group("kind"), "")
        return None
    h = hits[0]
    if not _GOV_TITLE_AFTER.match(t[h.end:]):
        return None
    d = h.candidates[0]
    return d.name + _GOVERNMENT(d)


def _GOVERNMENT(d) -> str:
    """A division's government; a special zone's is its 管理委员会 (平潭综合实验区管理委员会)."""
    return "管理委员会" if d.code.startswith("Z") else "人民政府"


def signature(lines: list[str]) -> tuple[str | None, dt.date | None, bool]:
    """Issuer and date from the 落款 lines (last lines of the body, bottom-up), and whether the
    date gives only a month (then it is the month's last day; a full date anywhere wins)."""
    org = None
    date = None
    month = None
    for raw in reversed(lines[-12:]):
        n = tnorm(raw).strip()
        if not n:
            continue
        if date is None and (is_date_line(n) or _PRINTED.match(n)):
            date = parse_date(n)
        if month is None:
            month = parse_month(n)
        m = _SIGNATURE.match(n)
        if m and org is None and not _NOT_ORG.search(m.group("org")):
            tail = (m.group("date") or "").strip()
            tail_month = parse_month(tail) if tail else None
            if tail and not (is_date_line(tail) or _PRINTED.match(tail) or tail_month):
                continue  # "现将我局2023年…报告如下": a sentence, not a 落款
            org = m.group("org")
            month = month or tail_month
            if tail and date is None:
                date = parse_date(tail)
    if date is None and month is not None:
        return org, month, True
    return org, date, False


# "2022年，司法部坚持…", "2023年,省政府坚持…", "2017年，山东省以…": an untitled report's opening
# sentence names who reports.
_OPENING_SUBJECT = re.compile(
    r"^\s*(?:(?:19|20)\d{2}\s*年度?(?:以来)?|今年以来|今年|一年来|过去一年)\s*[,，]?\s*(?:在[^,，。]{2,40}[,，]\s*)?"
    r"(?P<who>[\u4e00-\u9fff]{2,20}?)[,，]?"
    r"(?:坚持|深入|认真|全面|紧紧|始终|以|在|按照|围绕|聚焦|持续|扎实|严格|立足|着力)"
)
_ADDRESSEE = re.compile(r"^\s*[^。，,：:\n]{0,30}(?:委|政府|局|办|厅|会)[:：]\s*")
_YEAR_IS = re.compile(r"^\s*(?:19|20)\d{2}\s*年是[^。]{0,120}。")
# a sentence opening on its subject with no year before it: only a body a clerk would name (below)
_BARE_SUBJECT = re.compile(r"^\s*(?P<who>[\u4e00-\u9fff]{2,16}?)(?:始终|坚持|深入|认真|全面|紧紧|扎实|持续|聚焦|立足|以)")
_LOCAL_BODY = re.compile(r"^(?!全|我|本|该|各|每|一)[\u4e00-\u9fff]{2,10}(?:乡|镇|街道|街|高新区|开发区|经开区|新区|园区)$")
# "现将省政府2023年度…情况报告如下": the level's own government, named by the place the text is about.
_OWN_GOV = re.compile(r"(?:现将|我们将)?(?P<lv>省|市|县|区)(?:人民)?政府(?:(?:19|20)\d{2}年度?)?[^。]{0,20}(?:报告|总结)如下")
_GOV_LEVEL = {"省": "province", "市": "city", "县": "county", "区": "county"}


def opening_issuer(opening: str, chain: dict) -> str | None:
    """The reporter named by an untitled opening: an organisation (司法部, 某市司法局), a division
    (山东省, 广东 → its 人民政府), or "省政府"/"市政府" with the place the text is about."""
    p = _ADDRESSEE.sub("", tnorm(opening)[:300], count=1)  # "市委、市政府：2024年，…"
    p = _YEAR_IS.sub("", p, count=1)  # "2024年是…之年。某街道始终坚持…"
    m = _OPENING_SUBJECT.match(p)
    bare = m is None and _BARE_SUBJECT.match(p)
    if bare:  # no year before it: a township, street or zone, or an organisation named in full
        who = bare.group("who")
        if _LOCAL_BODY.match(who) or (len(who) >= 5 and re.search(rf"{vocab.ORG_SUFFIX}$", who)
                                      and not re.match(r"^(?:省|市|县|区|我|本)", who) and not _NOT_ORG.search(who)):
            return who
    if m:
        who = m.group("who")
        # "2024年，某区商务局法治政府建设工作坚持…": the body before its subject's topic
        org = re.match(rf"^([\u4e00-\u9fff]{{2,16}}?(?:{vocab.ORG_SUFFIX}|乡|镇|街道))(?:法治|依法|普法)", who)
        if org and not re.search(rf"{vocab.ORG_SUFFIX}$", who):
            who = org.group(1)
        if re.search(rf"{vocab.ORG_SUFFIX}$", who) and not re.match(r"^(?:省|市|县|区|我|本)", who) \
                and not _NOT_ORG.search(who):
            return who
        if _LOCAL_BODY.match(who):  # a township, street or zone the gazetteer does not list, as written
            return who
        hits = gazetteer().find(who)
        if hits and hits[0].start == 0 and hits[0].end == len(who):
            d = hits[0].candidates[0]
            return d.name + _GOVERNMENT(d)
        m2 = re.match(r"^(省|市|县|区)(?:人民)?政府$", who)
        if m2 and _GOV_LEVEL[m2.group(1)] in chain:
            return chain[_GOV_LEVEL[m2.group(1)]].name + "人民政府"
    m = _OWN_GOV.search(p)
    if m and _GOV_LEVEL[m.group("lv")] in chain:
        return chain[_GOV_LEVEL[m.group("lv")]].name + "人民政府"
    return None


def _subsequence(short: str, long: str) -> bool:
    it = iter(long)
    return all(c in it for c in short)


def fullest(issuer: str | None, *others: str | None) -> str | None:
    """The full official name when the texts give both forms: `某县交通局` (title) and
    `某县交通运输局` (发布机构 or 落款) are one body; the longer form is the official one. Two
    names are forms of one body when they end alike and the shorter's characters appear in the
    longer in order (交通局 ⊂ 交通运输局)."""
    if not issuer:
        return issuer
    best = issuer
    for o in others:
        if not o or o == best or len(o) <= len(best) or "、" in o:
            continue
        if o[-1] == best[-1] and o[:2] == best[:2] and _subsequence(best, o):
            best = o
    return best


_TAIL_SIGNATURE = re.compile(
    rf"(?:^|[。；;！!？?\s])\s*(?P<org>[\u4e00-\u9fff()（）]{{2,40}}{vocab.ORG_SUFFIX})\s*"
    rf"(?P<date>(?:19|20)\d{{2}}\s*年\s*\d{{1,2}}\s*月\s*\d{{1,2}}\s*日|(?:19|20)\d{{2}}-\d{{1,2}}-\d{{1,2}}"
    rf"|[{CN_NUM}]{{4}}\s*年[{CN_NUM}]{{1,3}}月[{CN_NUM}]{{1,3}}日)\s*$"
)


def tail_signature(body: str) -> tuple[str | None, dt.date | None]:
    """A 落款 run into the end of the last paragraph (a page saved as one long line):
    `…覆盖群众3000余人次。 某某管理局 2025年12月31日`."""
    m = _TAIL_SIGNATURE.search(tnorm(body[-200:]))
    if not m or _NOT_ORG.search(m.group("org")):
        return None, None
    return m.group("org"), parse_date(m.group("date"))


def expand_issuer(issuer: str | None, *context: str) -> str | None:
    """`市交通运输局` → `绍兴市交通运输局` using the city (or county) the other texts name."""
    if not issuer:
        return issuer
    gz = gazetteer()
    if gz.find(issuer) or not re.match(r"^(市|县|区|省|自治区|州|盟|旗)", issuer):
        return issuer
    head = re.match(r"^(自治区|市|县|区|省|州|盟|旗)", issuer)
    assert head is not None  # matched just above
    want = {"市": "city", "州": "city", "盟": "city", "县": "county", "区": "county", "旗": "county",
            "省": "province", "自治区": "province"}[head.group(1)]
    for text in context:
        chain = gz.resolve(text)
        d = chain.get(want)
        if d is not None and d.name.endswith(issuer[0]):
            return d.name + issuer[1:]
    return issuer


def _field(page: dict[str, str], field: str) -> str:
    """The first non-empty page value for a field, keys in vocab.META_FIELDS order (发布机构 before
    所属机构, 发布日期 before a bare 时间)."""
    for key, f in vocab.META_FIELDS.items():
        if f == field and page.get(key, "").strip():
            return page[key].strip()
    return ""


def build_meta(
    *,
    title_date: dt.date | None = None,
    title_month: dt.date | None = None,
    title: str | None,
    doc_type: DocType,
    closing_lines: list[str],
    preamble: str,
    body: str,
    page: dict[str, str],
    header_lines: list[str],
) -> Meta:
    """Assemble Meta. `page` holds 索引号-table values (chrome lines and reader hints merged)."""
    sig_org, sig_date, sig_month = signature(closing_lines)
    if sig_date is None and not sig_month:
        tail_org, tail_date = tail_signature(body)
        if tail_date is not None:
            sig_org, sig_date = sig_org or tail_org, tail_date
    publisher = _field(page, "publisher") or None
    if publisher and any(w in publisher for w in vocab.NOT_ISSUER_WORDS):
        publisher = None
    title_org = find_title_issuer(title)
    if publisher and title_org and not _same_place(publisher, title_org):
        publisher = None  # a page posted by another body (县司法局 posting the 交通运输局's report)
    issuer = title_org or sig_org or publisher or division_issuer(title)
    issuer = expand_issuer(issuer, title or "", sig_org or "", " ".join(header_lines), preamble, body[:2000])
    issuer = fullest(issuer, sig_org, publisher)
    gz = gazetteer()
    chain = gz.resolve(issuer or "", title or "", sig_org or "", publisher or "", " ".join(header_lines), preamble,
                       context=body[:5000])
    if not chain:
        chain = _body_vote(body)
    if not chain:
        # "现将省政府…报告如下": one mention of one province is enough
        own = _OWN_GOV.search(tnorm(preamble or body[:300])[:300])
        chain = _province_short_vote(body[:20000], least=1 if own and own.group("lv") == "省" else 2) \
            or _named_in_passing(body[:3000])
    if issuer is None and doc_type != "other":
        issuer = opening_issuer(preamble or body[:300], chain)
        if issuer:
            chain = gz.resolve(issuer, context=body[:5000]) or chain
    written_text = _field(page, "written")
    written = parse_date(written_text)
    published = parse_date(_field(page, "published"))
    # a full date wherever it is (落款, under the title, 成文日期) beats one that gives only a month
    date = (None if sig_month else sig_date) or title_date or written
    month_only = date is None
    if month_only:  # "2024年2月" as 落款, "（2024年1月）" under the title, 成文日期 "2024年01月"
        date = (sig_date if sig_month else None) or title_month or parse_month(tnorm(written_text).strip())
        month_only = date is not None
    date_source = "text" if date is not None else None
    if date is None and published is not None:
        # no date of its own: the page's 发布日期 is the date a clerk writes down (AR-07 says so)
        date, date_source = published, "published"
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
        date_precision="month" if month_only else "day",
        date_source=date_source,  # type: ignore[arg-type]
        doc_number=number,
        published=published,
    )


def _same_place(a: str, b: str) -> bool:
    """Whether two organisation names are of the same place, as far as their names tell: a
    page's 发布机构 of another place or body does not name the report's issuer."""
    if a == b or fullest(b, a) == a or fullest(a, b) == b:
        return True
    gz = gazetteer()
    ca, cb = gz.resolve(a), gz.resolve(b)
    if not ca or not cb:
        return True
    return all(ca[k].name == cb[k].name for k in ca if k in cb)


def _body_vote(body: str) -> dict:
    """Last resort: the division whose full name the body repeats most."""
    gz = gazetteer()
    text = body[:20000]
    counts: dict[str, int] = {}
    for h in gz.find(text):
        if h.short or _ROUTE_END.match(text[h.end:]) or _ROUTE_START.search(text[:h.start]):
            continue  # "宜春—长沙市通办事项": the other end of a route or a pairing
        for d in h.candidates:
            counts[d.code] = counts.get(d.code, 0) + 1
    if not counts:
        return {}
    code = max(counts, key=lambda c: (counts[c], len(c)))  # a tie: the place named first
    best = gz.division(code)
    return gz.chain(best) if best else {}


_ROUTE_END = re.compile(r"^\s*[—–\-－~～]{1,2}\s*[\u4e00-\u9fff]")
_ROUTE_START = re.compile(r"[\u4e00-\u9fff]\s*[—–\-－~～]{1,2}\s*$")


# Where a local text names its own province or city only in passing: the leader's speech on
# inspecting it ("考察浙江重要讲话精神"), the local campaign ("法治珠海建设", "平安某市建设").
_VISITED = re.compile(r"(?:考察|视察|对)(?P<p>[\u4e00-\u9fff]{2,3}?)(?:工作)?(?:时|期间)?的?(?:系列)?重要(?:讲话|指示)")
_CAMPAIGN = re.compile(r"(?:法治|平安)(?P<p>[\u4e00-\u9fff]{2,3}?)(?:建设|考评|考核)")


def _named_in_passing(text: str) -> dict:
    """The one division named so (a province or a city by its short name), else nothing."""
    gz = gazetteer()
    found: dict[str, Division] = {}
    for rx in (_VISITED, _CAMPAIGN):
        for m in rx.finditer(text):
            for h in gz.find(m.group("p")):
                if h.start == 0 and h.end == len(m.group("p")) and len(h.candidates) == 1 \
                        and h.candidates[0].level in ("province", "city"):
                    found[h.candidates[0].code] = h.candidates[0]
    if len(found) != 1:
        return {}
    return gz.chain(next(iter(found.values())))


def _province_short_vote(text: str, least: int = 2) -> dict:
    """A text that names no division in full may still be about one province throughout, by its
    short name ("贵州积极推进…", "湖南法治政府建设…"): take it when it is repeated and clearly the
    only one (a passing mention of another province does not decide)."""
    gz = gazetteer()
    counts: dict[str, int] = {}
    for d in gz.provinces:
        n = text.count(d.short)
        if n:
            counts[d.code] = n
    if not counts:
        return {}
    ranked = sorted(counts, key=lambda c: -counts[c])
    top = ranked[0]
    second = counts[ranked[1]] if len(ranked) > 1 else 0
    if counts[top] < least or counts[top] < 2 * second + 1:
        return {}
    best = gz.division(top)
    return gz.chain(best) if best else {}


_SPACES = re.compile(r"\s+")


def meta_lines(meta: Meta, lines: list[str], title_line: int = 0,
               chrome: list[tuple[str, str, int]] | tuple = ()) -> dict[str, int]:
    """Input line each metadata value was read from (1-based), so a verdict on metadata can quote
    it: the 落款 date line, the title line. Found after the fact by matching the value against
    short lines, so a value that only a reader hint carried gets no entry."""
    norm = [tnorm(x).strip() for x in lines]
    n = len(norm)
    out: dict[str, int] = {}

    def short_line(pred, order) -> int | None:
        for i in order:
            t = norm[i]
            if t and len(t) <= 40 and pred(t):
                return i + 1
        return None

    title_text = norm[title_line - 1] if 0 < title_line <= n else ""
    if meta.title and title_text:
        out["title"] = title_line
    bottom_up = range(n - 1, -1, -1)
    if meta.date is not None:
        read = (lambda t: parse_month(t.strip("（）() "))) if meta.date_precision == "month" else parse_date
        ln = short_line(lambda t: read(t) == meta.date, bottom_up)
        if ln:
            out["date"] = ln
    if meta.published is not None:
        ln = next((line for k, v, line in sorted(chrome, key=lambda c: not re.search("发布|公开|时间", c[0]))
                   if parse_date(v) == meta.published and 0 < line <= n), None)
        ln = ln or short_line(lambda t: parse_date(t) == meta.published, range(n))
        if ln:
            out["published"] = ln
    if meta.issuer:
        iss = meta.issuer
        if iss in title_text:
            out["issuer"] = title_line
        else:
            ln = short_line(lambda t: iss in t or (len(t.split()[0]) >= 4 and iss.endswith(t.split()[0])),
                            range(n - 1, max(-1, n - 16), -1))
            if ln:
                out["issuer"] = ln
    if meta.doc_number:
        want = _SPACES.sub("", tnorm(meta.doc_number))
        ln = next((i + 1 for i, t in enumerate(norm) if want and want in _SPACES.sub("", t)), None)
        if ln:
            out["doc_number"] = ln
    if meta.period:
        years = {str(meta.period[0]), str(meta.period[1])}
        if title_text and any(y in title_text for y in years):
            out["period"] = title_line
        else:
            ln = next((i + 1 for i in range(min(n, 40)) if any(f"{y}年" in norm[i] for y in years)), None)
            if ln:
                out["period"] = ln
    return out
