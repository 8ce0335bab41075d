"""The speed-ups must not change answers: `norm_map`'s fast path equals the character loop it
short-cuts, and `cn_number` agrees with cn2an whenever it answers at all."""

from __future__ import annotations

import re
import unicodedata

import cn2an
from hypothesis import given, settings
from hypothesis import strategies as st

from compliance.text import _KEEPS, _half, cn_number, half_width, norm_map, norm_text


def _slow_norm_map(text: str) -> tuple[str, list[int]]:
    """The original per-character loop (before the translate fast path), kept as the oracle."""

    def half(ch: str) -> str:
        code = ord(ch)
        if 0xFF01 <= code <= 0xFF5E:
            return chr(code - 0xFEE0)
        if ch == "\u3000":
            return " "
        if ch in "〇":
            return ch
        n = unicodedata.normalize("NFKC", ch)
        return n if len(n) == 1 else ch

    def cjkish(ch: str) -> bool:
        return bool(re.match("[\u3400-\u9fff\uf900-\ufaff\u3000-\u303f\uff00-\uffef，。：；！？、（）《》“”‘’]", ch))

    out: list[str] = []
    idx: list[int] = []
    n, i = len(text), 0
    while i < n:
        ch = text[i]
        if ch in "*_" and i + 1 < n and text[i + 1] == ch:
            i += 2
            continue
        h = half(ch)
        if h.isspace():
            j = i
            while j < n and half(text[j]).isspace():
                j += 1
            prev = out[-1] if out else ""
            nxt = half(text[j]) if j < n else ""
            if not prev or not nxt or cjkish(prev) or cjkish(nxt):
                i = j
                continue
            out.append(" ")
            idx.append(i)
            i = j
            continue
        out.append(h)
        idx.append(i)
        i += 1
    return "".join(out), idx


PIECES = list("ab1 \t\n\u3000\u00a0\u2002*_＊＿Ａ１，。法治〇①㎡ｶﾞ") + ["**", "__", "13385 件", "Word 文档"]


@settings(max_examples=300, deadline=None)
@given(st.one_of(st.text(max_size=60), st.lists(st.sampled_from(PIECES), max_size=30).map("".join)))
def test_norm_map_fast_path_equals_the_loop(text):
    norm, idx = norm_map(text)
    assert (norm, list(idx)) == _slow_norm_map(text)


@settings(max_examples=300, deadline=None)
@given(st.one_of(st.text(max_size=60), st.lists(st.sampled_from(PIECES), max_size=30).map("".join)))
def test_norm_text_equals_the_loop(text):
    assert norm_text(text) == _slow_norm_map(text)[0]
    assert half_width(text) == "".join(_half(c) for c in text)


def test_half_width_trusts_only_characters_that_stay():
    """Every character `half_width` skips without a look-up is one `_half` leaves as it is."""
    trusted = re.compile(f"[{_KEEPS}]")
    kept = [chr(c) for c in range(0x10000) if trusted.match(chr(c))]
    assert len(kept) > 20_000
    assert all(_half(c) == c for c in kept)
    # and over the whole range, one character at a time and all of them at once
    every = "".join(chr(c) for c in range(0x20000) if not 0xD800 <= c < 0xE000)
    assert half_width(every) == "".join(_half(c) for c in every)
    assert all(half_width(c) == _half(c) for c in every[:0x10000])


def test_norm_map_on_report_lines():
    from pathlib import Path

    for p in sorted((Path(__file__).resolve().parent.parent / "reports").glob("*.txt")):
        for line in p.read_text(encoding="utf-8").splitlines():
            norm, idx = norm_map(line)
            assert (norm, list(idx)) == _slow_norm_map(line)
            assert norm_text(line) == norm


@settings(max_examples=300, deadline=None)
@given(st.integers(0, 10**10))
def test_cn_number_reads_standard_numerals(n):
    text = cn2an.an2cn(n)
    got = cn_number(text)
    assert got is None or got == n


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet="零〇一二两三四五六七八九十百千万亿点", min_size=1, max_size=8))
def test_cn_number_never_disagrees_with_cn2an(s):
    got = cn_number(s)
    if got is None:
        return
    assert float(cn2an.cn2an(s, "smart")) == got


def test_cn_number_common_forms_and_refusals():
    assert [cn_number(s) for s in ("十二", "三十一", "一百零五", "两千三百", "三万五千", "十二点五", "一万零五")] == \
        [12, 31, 105, 2300, 35000, 12.5, 10005]
    # digit strings, spoken short forms and words are left to cn2an / rejected
    assert [cn_number(s) for s in ("二〇二四", "三百五", "十万四", "百分", "万", "1.5万", "")] == [None] * 7


def test_regex_prefilter_never_skips_a_match():
    """Every match of a shipped regex cue contains the literals the pre-filter requires."""
    import sys
    from pathlib import Path

    from compliance.engine.prefilter import required_literals
    from compliance.rules.load import available_rulesets, load_ruleset
    from compliance.text import normalize

    root = Path(__file__).resolve().parent.parent
    sys.path.insert(0, str(root / "bench"))
    from generate import generate

    texts = [p.read_text(encoding="utf-8") for p in sorted((root / "reports").glob("*.txt"))]
    texts += [t for _, t in generate(30, seed=3)]
    lines = [normalize(ln) for t in texts for ln in t.splitlines() if ln.strip()]
    checked = 0
    for name in available_rulesets():
        for cue in load_ruleset(name).cues.values():
            if cue.regex is None:
                continue
            req = required_literals(cue.regex)
            for ln in lines:
                for m in cue.regex.finditer(ln):
                    checked += 1
                    assert all(lit in ln for lit in req), (cue.raw, req, m.group())
    assert checked > 100


def _report_lines() -> list[str]:
    from pathlib import Path

    root = Path(__file__).resolve().parent
    lines: list[str] = []
    for p in sorted((root.parent / "reports").glob("*.txt")) + sorted((root / "data" / "corpus").glob("*.txt")):
        lines += p.read_text(encoding="utf-8").splitlines()
    return lines


HEAD_PIECES = ["第三部分", "一、", "十二.", "（二）", "(3)", "4.", "5、", "6 ", "7)", "①", "#", "## ", "**", " ", "\u3000",
               "加强", "年", "2023", "12.5", "个", "，", "。", "、", "[一]"]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(HEAD_PIECES), max_size=8).map("".join))
def test_heading_style_alternation_equals_the_loop(text):
    from compliance.normalize.linetypes import HEADING_STYLES, heading_style

    def loop(norm: str):
        s = norm.lstrip("#").lstrip()
        for name, rx in HEADING_STYLES:
            m = rx.match(s)
            if m:
                return name, m.group(0)
        return None

    assert heading_style(text) == loop(text)


CHROME_SAMPLES = ["当前位置：首页 > 政务公开", "首页>通知公告>正文", "【打印】【关闭】", "字体：[大 中 小]", "分享到：",
                  "- 3 -", "第 2 页 共 5 页", "2/7", "今天是:2019年10月31日 星期三", "无障碍 | 简体 | 繁体",
                  "浙ICP备12345678号", "供大家参考。", "公文汇 www.example.com", "扫一扫在手机打开当前页"]


def test_heading_style_and_chrome_on_report_lines():
    """The one-alternation forms against the patterns tried one by one, on real lines."""
    from compliance.normalize import vocab
    from compliance.normalize.linetypes import _CHROME_ANY, HEADING_STYLES, heading_style, hnorm

    chrome_res = [re.compile(p) for p in vocab.CHROME_LINE_PATTERNS]
    hits = 0
    for line in _report_lines() + CHROME_SAMPLES:
        n = hnorm(line)
        s = n.lstrip("#").lstrip()
        want = next(((name, m.group(0)) for name, rx in HEADING_STYLES if (m := rx.match(s))), None)
        assert heading_style(n) == want
        # the scan asks about a line without its indent
        assert heading_style(hnorm("  " + line.strip())) == heading_style(hnorm(line.strip()))
        chrome = any(rx.match(n) for rx in chrome_res)
        assert (_CHROME_ANY.match(n) is not None) == chrome
        hits += chrome
    assert hits >= len(CHROME_SAMPLES)


def test_trusted_objects_are_the_validated_ones():
    """`models.trusted` makes the object the validating constructor makes, field for field."""
    import pickle

    from compliance.models import Metric, Paragraph, Sentence, Span, trusted

    span = {"offset": 3, "line": 2, "col": 1}
    sent = {"text": "办结21件。", "norm": "办结21件。", "offset": 0, "line": 2}
    metric = {"value": 21.0, "unit": "件", "kind": "count", "per_capita": False, "text": "21件", "subject": "办结",
              "line": 2, "paragraph": 0, "sentence": 0}
    para = {"id": 0, "text": "办结21件。", "spans": [Span(**span)], "sentences": [Sentence(**sent)], "section_id": None,
            "section": "", "role": "measures", "is_heading": False}
    for cls, values in ((Span, span), (Sentence, sent), (Metric, metric), (Paragraph, para)):
        fast, slow = trusted(cls, dict(values)), cls(**values)
        assert fast == slow and type(fast) is cls
        assert list(fast.__dict__) == list(slow.__dict__)
        assert fast.model_fields_set == slow.model_fields_set
        assert fast.__pydantic_extra__ == slow.__pydantic_extra__
        assert fast.__pydantic_private__ == slow.__pydantic_private__
        assert fast.model_dump_json() == slow.model_dump_json()
        assert pickle.loads(pickle.dumps(fast)) == slow


def test_normalized_reports_survive_revalidation():
    """What normalization builds without validation has its fields' declared types: the report
    validated again from its JSON serializes to the same bytes."""
    from pathlib import Path

    from compliance.models import RawDocument, Report
    from compliance.normalize import normalize, snippet_report

    root = Path(__file__).resolve().parent
    texts = [p.read_text(encoding="utf-8") for p in sorted((root / "data" / "corpus").glob("*.txt"))]
    texts.append("福建省某某廳2023年度法治政府部門建設情況報告\n一、主要舉措\n全面推行行政執法公示制度，全年公示執法信息120條，"
                 "持證率達100%，人均完成60學時。")
    reports = [normalize(RawDocument(source="t.txt", sha256="0", format="txt", lines=t.split("\n"))) for t in texts]
    reports.append(snippet_report("一是办结21件，百分之九十五按时办结；二是培训1:15配备。", role="measures"))
    assert sum(len(r.metrics) for r in reports) > 50
    for r in reports:
        wire = r.model_dump_json()
        again = Report.model_validate_json(wire)
        assert again.model_dump_json() == wire
        assert again == r


SENTENCE_PIECES = ["。", "；", "！", "”", " ", "\u3000", "**", "__", "，", "办结21件", "Word 文档", "ＡＢ", "法治", "１２"]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(SENTENCE_PIECES), max_size=20).map("".join))
def test_sentence_norms_sliced_from_the_paragraph_are_their_own(text):
    from compliance.models import Span
    from compliance.normalize.structure import _Builder

    p = _Builder("annual_report").add_paragraph(text, [Span(offset=0, line=1, col=0)], None, "preamble", False)
    for s in p.sentences:
        assert s.norm == norm_map(s.text)[0]
