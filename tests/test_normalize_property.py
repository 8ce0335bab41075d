"""Property: normalization loses no text and every character maps back to its input line."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from compliance.models import RawDocument
from compliance.normalize import normalize
from compliance.normalize.lines import _VALUE_OK, is_chrome
from compliance.text import normalize as tnorm

CJK = st.sampled_from(list("法治政府建设依法行政执法监督学习培训案件制度落实推进加强我局全年开展"))
PUNCT = st.sampled_from(list("，。、；：！？,.;:（）()《》“”%"))
DIGIT = st.sampled_from(list("0123456789"))
CHAR = st.one_of(CJK, CJK, CJK, PUNCT, DIGIT, st.sampled_from([" ", "\u3000", "*", "#", "Ａ", "１"]))
RUN = st.text(alphabet=CHAR, min_size=1, max_size=60)
HEADING = st.builds(
    lambda n, t: n + t,
    st.sampled_from(["一、", "二、", "四、", "（一）", "(二)", "1.", "2、", "3．", "（1）", "(2)", "**一是**", "二是", "# ", "第一部分 ", "①", "1）", "附件："]),
    st.text(alphabet=CJK, min_size=0, max_size=20),
)
CHROME = st.sampled_from([
    "当前位置:首页", "> 政务公开 > 计划总结", "索引号: 1133/2020-22 公开方式: 主动公开",
    "发布机构: 市交通运输局 成文日期: 2020-01-09", "发文字号:", "字体:[ ]", "分享:", "浏览次数: 12",
    "信息来源:市交通运输局", "【打印】【关闭】", "- 3 -", "第 2 页", "7",
])
CLOSING = st.sampled_from(["特此报告。", "绍兴市交通运输局", "2020年1月9日", "海盐县交通运输局2020-5-11"])
LINE = st.one_of(RUN, RUN, HEADING, CHROME, CLOSING, st.just(""), st.just("   "), st.text(max_size=30))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(LINE, max_size=40))
def test_every_paragraph_character_maps_back_to_its_input_line(lines):
    r = normalize(RawDocument(source="gen.txt", sha256="0", format="txt", lines=lines))
    ids = {s.id for s in r.iter_sections()}
    for p in r.paragraphs:
        assert p.spans and p.spans[0].offset == 0
        assert [s.offset for s in p.spans] == sorted({s.offset for s in p.spans})
        for i, ch in enumerate(p.text):
            if ch.isspace():
                continue
            sp = max((s for s in p.spans if s.offset <= i), key=lambda s: s.offset)
            src = lines[sp.line - 1]
            k = sp.col + (i - sp.offset)
            assert k < len(src) and src[k] == ch, (p.text, i, sp)
        assert "".join(s.text for s in p.sentences).replace(" ", "") == p.text.replace(" ", "") or not p.text.strip()
        assert p.section_id is None or p.section_id in ids
    # nothing but whitespace, chrome and page numbers is lost
    kept = "".join(p.text for p in r.paragraphs)
    assert sum(not c.isspace() for c in kept) <= sum(not c.isspace() for c in "".join(lines))
    # ... and every non-space character of a line that is not chrome lands in some paragraph
    covered: dict[int, set[int]] = {}
    for p in r.paragraphs:
        for j, sp in enumerate(p.spans):
            end = p.spans[j + 1].offset if j + 1 < len(p.spans) else len(p.text)
            covered.setdefault(sp.line, set()).update(range(sp.col, sp.col + end - sp.offset))
    prev_dropped = False
    for n, line in enumerate(lines, start=1):
        ink = {k for k, c in enumerate(line) if not c.isspace() and c != "\ufeff"}
        if n in covered:
            assert ink <= covered[n], (line, sorted(ink - covered[n]))
            prev_dropped = False
        elif ink:
            t = tnorm(line.strip())
            # chrome, a page number, or the short wrapped tail of a chrome line
            value_like = any(rx.match(t) for rx in _VALUE_OK.values())
            assert not t.strip("*_#") or is_chrome(t) or t.isdigit() or (prev_dropped and (len(t) <= 15 or value_like)), line
            prev_dropped = True
    for m in r.metrics:
        assert 1 <= m.line <= len(lines) and m.text in r.paragraphs[m.paragraph].sentences[m.sentence].text
