"""Document type: which kind of document a text is, from its title, its opening and its outline.

A report typed `other` loses every verdict, so a type decided without a title that names it comes
with a runner-up (`type_warning`); true non-reports (政府工作报告, 信息公开年报, 解读, …) stay `other`.
"""

from __future__ import annotations

import re

from compliance.labels import doc_type_zh
from compliance.models import DocType
from compliance.normalize import vocab
from compliance.normalize.lines import tnorm


def detect_doc_type(title: str | None, fallback: str = "", headings: list[str] | tuple = ()) -> DocType:
    """Type from the title's head noun; only rule-of-law documents get a report type."""
    return guess_doc_type(title, fallback, headings)[0]


def guess_doc_type(title: str | None, opening: str = "", headings: list[str] | tuple = ()) -> tuple[DocType, DocType | None]:
    """(type, runner-up). The title decides when it names a kind; a title that names none (or no
    title at all) leaves it to the opening's announcing sentence and the outline. The runner-up is
    set when the decision was not the title's: a report typed `other` loses every verdict, so the
    reader is told which type the text also looks like."""
    t = tnorm(title or "")
    body = tnorm(opening)[:600]
    outline = [tnorm(h) for h in headings][:12]
    if t:
        if any(re.search(p, t) for p in vocab.OTHER_TITLE_PATTERNS):
            return "other", None
        if any(w in t for w in vocab.RULE_OF_LAW_TOPICS):
            kind = _special_type(t, _head_type(t))
            if kind != "other":
                return kind, None
        elif _head_type(t) != "other":
            # a titled document about something else (a 工作总结 of all the bureau's work)
            return "other", _body_runner_up(body, outline, "work_summary")
    kind = _untitled_type(body, outline)
    if t and kind != "other":
        return kind, "other"
    if not t and kind != "other":
        return kind, None if _preamble_type(body) or _opening_year_report(body) else "other"
    return "other", _body_runner_up(body, outline, "annual_report")


def _special_type(t: str, head: DocType) -> DocType:
    """公平竞争审查 and 述法 reports, which other rules apply to (see vocab.FCR_TITLE, SHUFA_TITLE)."""
    if head in vocab.FCR_HEADS and vocab.FCR_TITLE in t:
        return "fair_competition_report"
    if head in ("annual_report", "work_summary", "other") and any(re.search(p, t) for p in vocab.SHUFA_TITLE) \
            and (not any(w in t for w in vocab.SHUFA_NOT) or _SHUFA_HEAD.search(t)):
        return "shufa_report"
    return head


# "…法治政府建设述法报告": the head noun is 述法 — unless the title joins a report to it (…情况暨述法报告)
_SHUFA_HEAD = re.compile(r"述法(?:报告|材料|情况)?$(?<!(?:暨|及|和|与)述法报告)")


def _announcing(p: str) -> str:
    """The sentence that announces the body (…报告如下), or the first sentence when none does."""
    for sent in re.split(r"(?<=[。；;！!])", p):
        if re.search(r"(?:报告|汇报|总结|述法|述职)(?:情况)?如下", sent):
            return sent
    return re.split(r"[。；;]", p, maxsplit=1)[0]


def _duty_terms(text: str) -> int:
    return sum(1 for w in vocab.DUTY_TERMS if w in text)


def _body_runner_up(body: str, outline: list[str], kind: DocType) -> DocType | None:
    """The type an `other` document would have if it is a report after all: its opening and
    outline name several duties and the outline is a report's (measures, problems, next steps)."""
    text = body + " ".join(outline)
    if _duty_terms(text) >= 3 and sum(1 for h in outline for w in vocab.REPORT_OUTLINE if w in h) >= 1:
        return kind
    return None


def _preamble_type(p: str) -> DocType | None:
    for dtype, rx in vocab.PREAMBLE_TYPE_PATTERNS:
        if re.search(rx, p):
            return dtype  # type: ignore[return-value]
    return None


def _opening_year_report(p: str) -> bool:
    first = re.sub(r"《[^》]*》", "", re.split(r"[。:：；;]", p, maxsplit=1)[0])
    return bool(_YEAR_OPENING.match(p)) and any(w in first for w in vocab.UNTITLED_REPORT_TOPICS)


# How a year's report opens: "2023年，…", "2024年以来，…", "2023年是…之年，…", "今年以来，…", "一年来，…"
_YEAR_OPENING = re.compile(
    r"^\s*(?:(?:19|20)\d{2}\s*年度?\s*(?:以来|来)?\s*[,，]|(?:19|20)\d{2}\s*年是"
    r"|(?:今年以来|一年来|过去(?:的)?一年(?:里|中)?)\s*[,，])")


def _untitled_type(p: str, outline: list[str] | tuple = ()) -> DocType:
    """No title (or one that names no kind): the sentence announcing the body ("现将…情况报告如下")
    names the kind; else the head noun of the opening sentence, ignoring documents it cites in
    《》; else an opening "2023年，我局…" about rule of law, or an outline of a report's parts
    whose words are duties (主要举措…/存在的问题/下一步 over 依法行政, 行政执法…)."""
    if not p or not (any(w in p for w in vocab.RULE_OF_LAW_TOPICS) or _duty_terms(" ".join(outline)) >= 2):
        return "other"
    head_sentence = re.split(r"[。；;]", p, maxsplit=1)[0]
    if re.search(r"本(?:年度)?报告", head_sentence) and "政府信息公开" in head_sentence:
        return "other"  # "本年度报告根据《…政府信息公开条例》…编制": the mandated opening of a 信息公开年报
    pre = _preamble_type(p)
    if pre:
        t = re.sub(r"《[^》]*》", "", p)
        if pre != "plan" and vocab.FCR_TITLE in t and "法治政府" not in t:
            return "fair_competition_report"
        if pre != "plan" and "述法" in _announcing(t) and "法治政府建设情况" not in t:
            return "shufa_report"  # "现将本人…述法如下"; a report that tells of 述法 among its duties is not one
        return pre
    first = re.split(r"[。:：；;]", p, maxsplit=1)[0]
    first = re.sub(r"《[^》]*》", "", first)
    # "狠抓落实年度…工作要点": a document the text carries out (or a meeting deliberates) is not what
    # the text is
    # "2025年是“十四五”规划收官之年": what the year is, not what the text is
    first = re.sub(r"(?:(?:19|20)\d{2}\s*年|今年|明年)是[^，,。]{0,30}?之年", "", first)
    first = re.sub(r'(?:落实|贯彻|按照|对照|根据|依据|围绕|审议|审定|讨论)[^，,。]{0,20}(?:要点|方案|计划|规划)[”"’]?', "", first)
    if any(re.search(x, first) for x in vocab.OTHER_TITLE_PATTERNS):
        return "other"
    kind = _head_type(first)
    if kind == "other" and _opening_year_report(p):
        return "annual_report"
    if kind == "other" and outline and _duty_terms(p + " ".join(outline)) >= 2 \
            and len({w for h in outline for w in vocab.REPORT_OUTLINE if w in h}) >= 2:
        return "annual_report"
    if kind == "other" and outline and any(w in outline[0] for w in vocab.WORK_DONE_OUTLINE) \
            and _duty_terms(p + " ".join(outline)) >= 3:
        # a page saved from its first heading on ("一、工作开展情况" over 法治 duties)
        return "annual_report"
    return kind


# "某镇人民政府关于…的报告 中共某市委、某市人民政府: 2024年，…": a saved page's one line holding
# the title, the addressee and the body.
_RUN_IN_TITLE = re.compile(
    r"^(?P<t>[^。:：；;，,]{6,80}?(?:报告|总结|汇报|情况|自查报告))\s+"
    r"(?P<addr>[^。:：；;，,\s]{2,40}(?:[、,，][^。:：；;，,\s]{2,30}){0,4})\s*[:：]"
)


def run_in_title(first: str) -> str | None:
    """The title at the start of a first line that also holds the addressee and the body."""
    m = _RUN_IN_TITLE.match(first.strip()) if first else None  # as written: tnorm drops the spaces
    if not m or not re.search(rf"{vocab.ORG_SUFFIX}|委|政府|办", m.group("addr")):
        return None
    t = m.group("t")
    if not re.search(r"关于|(?:19|20)\d{2}", t) or not any(w in t for w in vocab.RULE_OF_LAW_TOPICS):
        return None
    return t


_WATERMARK = re.compile(r"^.{0,30}?(?:https?://)?www\.[A-Za-z0-9.-]+\.[a-z]{2,}(?:/\S*)?\s*")


def strip_watermark(title: str) -> str:
    """`某某网—每日更新www.example.com湖北省人民政府关于…的报告`: a mirror site's name run into
    the title."""
    return _WATERMARK.sub("", title, count=1).strip()


def type_warning(doc_type: DocType, runner_up: DocType) -> str:
    """The warning for a type decided without a title that names it (none when the user gives
    the type: `normalize(raw, doc_type)`)."""
    return (f"文件类型不确定：按“{doc_type_zh(doc_type)}”（{doc_type}）检查，"
            f"也可能是“{doc_type_zh(runner_up)}”（{runner_up}）；"
            + (f"如需改判，请用 --doc-type {runner_up} 指定后重新检查。" if runner_up != "other" else
               f"如确认无误，可用 --doc-type {doc_type} 指定，本提示即不再出现；如并非法治政府建设报告，其结论不适用。"))


def _head_type(t: str) -> DocType:
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
