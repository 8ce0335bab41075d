"""HTML pages from government sites: metadata table into hints, body without chrome."""

from __future__ import annotations

import pytest

from compliance.readers import ReadError, read, read_bytes
from compliance.readers.chrome import is_chrome_line
from compliance.readers.html import declared_charset
from compliance.readers.samples import html_page, table_layout_page

TITLE = "某市交通运输局关于2024年法治政府建设情况的报告"
BODY = [
    "某市人民政府：",
    "2024年，我局深入学习贯彻习近平法治思想，全面提升依法行政水平。",
    "一、主要工作开展情况",
    "（一）高位推进法治政府建设",
    "全年开展学法活动9次，办理行政许可13385件。",
    "|指标|2023年|2024年|",
    "|行政处罚案件|120件|98件|",
    "二、存在问题",
    "执法人员培训仍有不足，由副局长喆负责整改。",  # 喆 is GBK-only: a gb2312 label lies
    "某市交通运输局",
    "2025年2月22日",
]
EXPECTED_BODY = [
    TITLE,
    *BODY[:5],
    "指标 2023年 2024年",
    "行政处罚案件 120件 98件",
    *BODY[7:],
]
CHROME_WORDS = ("当前位置", "字体", "打印", "关闭", "分享到", "浏览次数", "相关链接", "网站标识码", "ICP", "版权所有",
                "主办单位", "长者模式", "索引号", "微信", "首页", "document.write", "信息公开目录")


def _page(charset="utf-8", **kw):
    return html_page(BODY, title=TITLE, issuer="某市交通运输局", site="某市", written="2025-02-22",
                     published="2025-02-24", doc_number="某交发〔2025〕3号", charset=charset, **kw)


def _assert_no_chrome(lines):
    for line in lines:
        for word in CHROME_WORDS:
            assert word not in line, f"chrome {word!r} leaked: {line!r}"


@pytest.mark.parametrize("charset, codec", [("utf-8", "utf-8"), ("gb2312", "gb18030")])
def test_realistic_page(tmp_path, charset, codec):
    p = tmp_path / "page.shtml"
    p.write_bytes(_page(charset).encode(codec))
    doc = read(p)
    assert doc.format == "html"
    assert doc.encoding == codec
    assert doc.lines == EXPECTED_BODY
    _assert_no_chrome(doc.lines)
    assert doc.hints["索引号"] == "11210800MB1234567X/2025-00012"
    assert doc.hints["发布机构"] == "某市交通运输局"
    assert doc.hints["成文日期"] == "2025-02-22"
    assert doc.hints["发布日期"] == "2025-02-24"
    assert doc.hints["发文字号"] == "某交发〔2025〕3号"
    assert doc.hints["主题分类"] == "综合政务"
    assert doc.hints["title"] == TITLE


def test_title_not_repeated_when_body_has_it(tmp_path):
    doc = read_bytes(_page(with_title_line=True).encode(), "p.html")
    assert doc.lines.count(TITLE) == 1
    assert doc.lines[0] == TITLE


def test_old_table_layout_page_uses_readability():
    raw = table_layout_page(BODY[:5] + BODY[7:], title=TITLE, site="某县", published="2020-03-02")
    doc = read_bytes(raw.encode("gb18030"), "old.htm")
    assert doc.encoding == "gb18030"
    assert doc.lines[0] == TITLE
    assert doc.lines[1:] == BODY[:5] + BODY[7:]
    _assert_no_chrome(doc.lines)
    for leak in ("第3批", "网站首页", "点击数", "技术支持"):
        assert not any(leak in line for line in doc.lines)
    assert doc.hints["发布日期"] == "2020-03-02"
    assert doc.hints["title"] == TITLE


def test_metadata_variants():
    raw = """<html><head><meta charset="utf-8"><title>关于印发方案的通知 | 某县人民政府</title>
    <meta name="ArticleTitle" content="关于印发方案的通知"><meta name="PubDate" content="2021-05-06 10:00">
    </head><body>
    <ul class="meta"><li><span>索 引 号</span><span>0001/2021-1</span></li>
    <li>信息来源：某县司法局　发布时间：2021-05-07 09:30　文号：某司〔2021〕5号</li></ul>
    <div class="pages_content"><p>为深入推进依法行政，加快建设法治政府，现将方案印发给你们，请认真贯彻执行。</p>
    <p>来源于基层的经验要及时总结推广，确保各项任务落到实处。</p></div></body></html>"""
    doc = read_bytes(raw.encode(), "n.htm")
    assert doc.hints["索引号"] == "0001/2021-1"
    assert doc.hints["信息来源"] == "某县司法局"
    assert doc.hints["发布机构"] == "某县司法局"  # only a 信息来源 on the page: it stands in
    assert doc.hints["发布日期"] == "2021-05-07 09:30"  # the visible table wins over <meta PubDate>
    assert doc.hints["发文字号"] == "某司〔2021〕5号"
    assert doc.hints["title"] == "关于印发方案的通知"
    assert doc.lines == [
        "为深入推进依法行政，加快建设法治政府，现将方案印发给你们，请认真贯彻执行。",
        "来源于基层的经验要及时总结推广，确保各项任务落到实处。",
    ]


def test_bare_table_header_is_not_a_label():
    raw = """<html><body><div id="zoom"><p>各单位执法案卷评查结果汇总如下，请对照整改。</p>
    <table><tr><td>名称</td><td>数量</td></tr><tr><td>行政处罚案卷</td><td>30</td></tr></table></div></body></html>"""
    doc = read_bytes(raw.encode(), "t.html")
    assert "title" not in doc.hints
    assert doc.lines[1:] == ["名称 数量", "行政处罚案卷 30"]


def test_blocks_br_and_inline_markup():
    raw = """<html><body><div class="TRS_Editor">
    <p>一、<b>总体</b>情况<br>全年办理案件<span>13385</span>件。</p>
    <div>第二段
    续行文字。</div><script>alert("打印")</script><style>p{}</style>
    <p style="display:none">隐藏文字不应出现</p><!-- 注释 -->
    <ul><li>（一）建立制度；</li><li>（二）落实责任。</li></ul>
    <pre>预排版 第一行
预排版 第二行</pre></div></body></html>"""
    doc = read_bytes(raw.encode(), "b.html")
    assert doc.lines == [
        "一、总体情况",
        "全年办理案件13385件。",
        "第二段续行文字。",
        "（一）建立制度；",
        "（二）落实责任。",
        "预排版 第一行",
        "预排版 第二行",
    ]


def test_link_list_container_is_skipped():
    links = "".join(f'<li><a href="#">第{i}条相关通知公告标题文字</a></li>' for i in range(30))
    raw = f"""<html><body><div class="content"><ul>{links}</ul></div>
    <div id="content"><p>本机关依法履行政府信息公开职责，全年主动公开政府信息120条，答复依申请公开15件。</p></div></body></html>"""
    doc = read_bytes(raw.encode(), "l.html")
    assert doc.lines == ["本机关依法履行政府信息公开职责，全年主动公开政府信息120条，答复依申请公开15件。"]


def test_declared_charset():
    assert declared_charset(b'<meta http-equiv="Content-Type" content="text/html; charset=GB2312">') == "GB2312"
    assert declared_charset(b'<meta charset="utf-8">') == "utf-8"
    assert declared_charset(b'<?xml version="1.0" encoding="GBK"?><html>') == "GBK"
    assert declared_charset(b"<html>") is None


def test_charset_label_is_only_a_hint():
    # says gb2312, is UTF-8: bytes win
    raw = "<html><head><meta charset='gb2312'></head><body><div id='zoom'><p>依法行政工作取得明显成效，全年办理复议案件12件。</p></div></body></html>"
    doc = read_bytes(raw.encode("utf-8"), "u.html")
    assert doc.encoding == "utf-8"
    assert doc.lines == ["依法行政工作取得明显成效，全年办理复议案件12件。"]


def test_page_without_text_is_an_error():
    with pytest.raises(ReadError) as info:
        read_bytes(b"<html><body><div id='zoom'></div><script>var a=1;</script></body></html>", "e.html")
    assert "e.html: " in str(info.value)


@pytest.mark.parametrize(
    "line",
    [
        "当前位置：首页 > 政务公开 > 法治政府建设",
        "首页 > 信息公开",
        "字体：[大 中 小]",
        "【大】【中】【小】",
        "【打印本页】 【关闭窗口】",
        "打印 | 关闭",
        "分享到：微信 微博",
        "浏览次数：1024",
        "相关链接",
        "网站标识码：2108000001 辽ICP备05001234号",
        "版权所有：某市人民政府",
        "主办单位：某市人民政府办公室",
        "上一篇：关于……的通知",
        "无障碍 | 长者模式 | 繁體",
        "网站地图 联系我们",
        "相关文件：",
        "【打印】【关闭】",
        "扫一扫在手机打开当前页",
    ],
)
def test_chrome_lines(line):
    assert is_chrome_line(line)


@pytest.mark.parametrize(
    "line",
    [
        "一、主要工作开展情况",
        "（二）存在问题",
        "全年开展普法宣传活动20次，发放资料5000份。",
        "加强对侵犯版权所有人合法权益行为的查处，全年办理案件3件。",
        "开展“法律进企业”活动，通过微信公众号分享到群众身边的法治故事。",
        "大",
        "（三）推进无障碍环境建设",
        "认真贯彻落实相关文件精神",
        "二、加强政务微博、政务微信管理",
        "联系我们的群众满意度明显提升",
        "某市交通运输局",
        "2025年2月22日",
    ],
)
def test_body_lines_are_not_chrome(line):
    assert not is_chrome_line(line)


def test_deeply_nested_old_page_does_not_overflow():
    body = "<div>" * 5000 + "<div id='zoom'><p>深层嵌套的正文，全年办理行政复议案件12件。</p></div>" + "</div>" * 5000
    doc = read_bytes(f"<html><body>{body}</body></html>".encode(), "deep.html")
    assert doc.lines == ["深层嵌套的正文，全年办理行政复议案件12件。"]


def test_site_header_is_not_taken_for_the_title():
    raw = f"""<html><head><meta charset="utf-8"><title>{TITLE}_某市交通运输局</title></head><body>
    <div class="header"><h1 class="site-title">某市交通运输局</h1></div>
    <div class="article"><div class="art-title">{TITLE}</div>
    <div id="zoom"><p>全年办理行政许可13385件，行政处罚案件98件，无行政复议纠错案件。</p></div></div></body></html>"""
    doc = read_bytes(raw.encode(), "s.html")
    assert doc.hints["title"] == TITLE
    assert doc.lines == [TITLE, "全年办理行政许可13385件，行政处罚案件98件，无行政复议纠错案件。"]


def test_truncated_page_title_still_finds_the_heading():
    raw = f"""<html><head><meta charset="utf-8"><title>{TITLE[:14]}…</title></head><body>
    <h1>{TITLE}</h1><div id="zoom"><p>全年办理行政许可13385件，行政处罚案件98件，无行政复议纠错案件。</p></div></body></html>"""
    doc = read_bytes(raw.encode(), "t.html")
    assert doc.hints["title"] == TITLE
    assert doc.lines[0] == TITLE


def test_word_saved_html_keeps_list_numbers():
    raw = """<html xmlns:o="urn:schemas-microsoft-com:office:office"><head>
    <meta http-equiv=Content-Type content="text/html; charset=gb2312"><meta name=Generator content="Microsoft Word 15">
    <title>某县司法局2023年度法治政府建设报告</title></head>
    <body lang=ZH-CN><div class=WordSection1>
    <p class=MsoNormal align=center><b><span>某县司法局2023年度法治政府建设报告<o:p></o:p></span></b></p>
    <p class=MsoListParagraph style='mso-list:l0 level1 lfo1'><![if !supportLists]><span style='mso-list:Ignore'>一、<span
    style='font:7.0pt "Times New Roman"'>&nbsp;&nbsp; </span></span><![endif]><span>主要工作<o:p></o:p></span></p>
    <p class=MsoNormal><span>全年办理行政许可13385件，行政处罚案件98件，无行政复议纠错案件。<o:p></o:p></span></p>
    <p class=MsoNormal><span>深入开展法治宣传教育，组织领导干部集中学法4次，旁听庭审1次。<o:p></o:p></span></p>
    </div></body></html>"""
    doc = read_bytes(raw.encode("gb18030"), "word.htm")
    assert doc.lines == [
        "某县司法局2023年度法治政府建设报告",
        "一、主要工作",
        "全年办理行政许可13385件，行政处罚案件98件，无行政复议纠错案件。",
        "深入开展法治宣传教育，组织领导干部集中学法4次，旁听庭审1次。",
    ]


def test_title_broken_over_two_body_lines_is_not_prepended():
    raw = f"""<html><head><meta charset="utf-8"><title>{TITLE}</title></head><body><h1>{TITLE}</h1>
    <div id="zoom"><p>{TITLE[:10]}</p><p>{TITLE[10:]}</p><p>某市交通运输局</p>
    <p>全年办理行政许可13385件，行政处罚案件98件，无行政复议纠错案件。</p></div></body></html>"""
    doc = read_bytes(raw.encode(), "b.html")
    assert doc.lines[:3] == [TITLE[:10], TITLE[10:], "某市交通运输局"]


def test_issuer_line_does_not_stop_the_title_being_prepended():
    raw = f"""<html><head><meta charset="utf-8"><title>{TITLE}</title></head><body><h1>{TITLE}</h1>
    <div id="zoom"><p>某市交通运输局</p><p>全年办理行政许可13385件，行政处罚案件98件，无行政复议纠错案件。</p></div></body></html>"""
    assert read_bytes(raw.encode(), "i.html").lines[:2] == [TITLE, "某市交通运输局"]


def test_declared_big5_is_honoured_when_utf8_fails():
    text = "依法行政工作報告，全年辦理行政復議案件十二件。"
    raw = f"<html><head><meta charset='big5'></head><body><div id='zoom'><p>{text}</p></div></body></html>"
    doc = read_bytes(raw.encode("big5"), "tw.html")
    assert doc.encoding == "big5"
    assert doc.lines == [text]
