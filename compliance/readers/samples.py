"""Build sample inputs in every supported format from plain lines, for tests and demos.

Each builder writes what a real producer writes: a government page with its chrome and metadata
table, a Word file whose headings use real automatic numbering, a PDF with wrapped visual lines
and page numbers (reportlab's built-in STSong-Light CID font, no font file needed), a minimal but
valid OFD package. Heavy or dev-only imports stay inside the functions.
"""

from __future__ import annotations

import datetime as dt
import html as _html
import re
import zipfile
from pathlib import Path

_ZH_NUM = "一二三四五六七八九十"
_TOP = re.compile(r"^([一二三四五六七八九十]{1,3})、")
_SUB = re.compile(r"^[（(]([一二三四五六七八九十]{1,3})[）)]")
_ITEM = re.compile(r"^(\d{1,2})[.．](?!\d)")


def _zh(n: int) -> str:
    from compliance.readers.docx import format_number

    return format_number(n, "chineseCounting")


# --------------------------------------------------------------------------- HTML

_CHROME_HEAD = """<div class="topbar"><a href="#">长者模式</a> | <a href="#">无障碍</a> | <a href="#">繁體</a> | <a href="#">登录</a></div>
<div class="header"><img src="logo.png" alt=""><div class="nav"><ul><li><a href="/">首页</a></li><li><a href="#">政务公开</a></li>
<li><a href="#">政务服务</a></li><li><a href="#">互动交流</a></li><li><a href="#">走进{site}</a></li></ul></div></div>
<div class="crumb">当前位置：<a href="/">首页</a> &gt; <a href="#">政务公开</a> &gt; <a href="#">法定主动公开内容</a> &gt; <span>法治政府建设</span></div>
"""
_CHROME_FOOT = """<div class="share">分享到：<a href="#">微信</a> <a href="#">微博</a> <a href="#">QQ空间</a></div>
<div class="tools"><a href="javascript:window.print()">【打印本页】</a> <a href="javascript:window.close()">【关闭窗口】</a></div>
</div>
<div class="related"><h3>相关链接</h3><ul><li><a href="#">关于印发法治政府建设实施方案的通知</a></li>
<li><a href="#">2023年法治政府建设年度报告</a></li><li><a href="#">政府信息公开工作年度报告</a></li></ul></div>
<div class="footer"><p>主办单位：{site}人民政府办公室　承办单位：{site}大数据中心</p>
<p>网站标识码：2108000001　<a href="#">辽ICP备05001234号</a>　辽公网安备 21110202000001号</p>
<p>版权所有：{site}人民政府　建议使用1920×1080分辨率</p></div>
<script>var _hmt = _hmt || []; document.write("当前位置");</script>
"""


def html_page(
    lines: list[str],
    *,
    title: str,
    issuer: str = "",
    site: str = "某市",
    written: str = "",
    published: str = "",
    doc_number: str = "",
    charset: str = "utf-8",
    with_title_line: bool = False,
) -> str:
    """A modern CMS article page: chrome, a 索引号 table, #zoom body. `lines` become <p>s, except
    runs of lines starting with "|" which become table rows (cells split on "|")."""
    e = _html.escape
    meta_rows = (
        f'<tr><th>索&nbsp;引&nbsp;号：</th><td>11210800MB1234567X/{(published or "2025")[:4]}-00012</td>'
        f"<th>主题分类：</th><td>综合政务</td></tr>"
        f"<tr><th>发布机构：</th><td>{e(issuer)}</td><th>成文日期：</th><td>{e(written)}</td></tr>"
        f'<tr><th>名　　称：</th><td colspan="3">{e(title)}</td></tr>'
        f"<tr><th>文　　号：</th><td>{e(doc_number)}</td><th>发布日期：</th><td>{e(published)}</td></tr>"
    )
    body: list[str] = []
    if with_title_line:
        body.append(f"<p>{e(title)}</p>")
    table: list[str] = []
    for ln in lines + [""]:
        if ln.startswith("|"):
            cells = "".join(f"<td><p>{e(c.strip())}</p></td>" for c in ln.strip("|").split("|"))
            table.append(f"<tr>{cells}</tr>")
            continue
        if table:
            body.append('<table border="1" cellspacing="0">' + "".join(table) + "</table>")
            table = []
        if ln:
            body.append(f'<p style="text-indent:2em;">{e(ln)}</p>')
    return (
        f'<!DOCTYPE html>\n<html><head><meta http-equiv="Content-Type" content="text/html; charset={charset}">\n'
        f"<title>{e(title)}_{e(site)}人民政府</title>\n"
        '<style>.crumb{color:#333}</style></head>\n<body>\n'
        + _CHROME_HEAD.format(site=e(site))
        + f'<div class="xxgk"><table class="xxgk_table">{meta_rows}</table></div>\n'
        f'<div class="article"><h1 class="article-title">{e(title)}</h1>\n'
        f'<div class="info">发布日期：{e(published)}&nbsp;&nbsp;来源：{e(issuer)}&nbsp;&nbsp;浏览次数：<span>1024</span>'
        '&nbsp;&nbsp;字体：[<a href="#">大</a> <a href="#">中</a> <a href="#">小</a>]</div>\n'
        '<div id="zoom"><div class="TRS_Editor">\n' + "\n".join(body) + "\n</div></div>\n"
        + _CHROME_FOOT.format(site=e(site))
        + "</body></html>\n"
    )


def table_layout_page(lines: list[str], *, title: str, site: str = "某县", published: str = "", charset: str = "gb2312") -> str:
    """An old table-layout page: banner, left link column, article in a right cell, footer; no CMS ids."""
    e = _html.escape
    menu = "".join(f'<tr><td><a href="#">·关于做好第{i}批交通运输项目公示工作的通知</a></td></tr>' for i in range(1, 26))
    body = "".join(f"<p>　　{e(ln)}</p>" for ln in lines)
    return (
        f'<html><head><meta http-equiv="Content-Type" content="text/html; charset={charset}">'
        f"<title>{e(title)} - {e(site)}交通运输局</title></head>\n"
        '<body><table width="980" align="center"><tr><td colspan="2"><img src="banner.jpg">'
        '<table><tr><td><a href="/">网站首页</a></td><td><a href="#">机构概况</a></td><td><a href="#">政务公开</a></td>'
        '<td><a href="#">办事指南</a></td></tr></table></td></tr>\n'
        '<tr><td width="220" valign="top"><table><tr><td><b>信息公开目录</b></td></tr>' + menu + "</table></td>\n"
        '<td valign="top"><table width="100%"><tr><td align="center"><font size="5"><b>' + e(title) + "</b></font></td></tr>"
        f"<tr><td>发布时间：{e(published)}　点击数：88　【<a href=\"#\">打印</a>】【<a href=\"#\">关闭</a>】</td></tr>"
        "<tr><td>" + body + "</td></tr></table></td></tr>\n"
        f'<tr><td colspan="2" align="center">版权所有：{e(site)}交通运输局　技术支持：某某网络公司　ICP备05001234号</td></tr>'
        "</table></body></html>\n"
    )


# --------------------------------------------------------------------------- docx

_W_NS = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'


def _numbering_xml(abstract_id: int, texts: tuple[str, str, str]) -> str:
    e = _html.escape
    return (
        f'<w:abstractNum {_W_NS} w:abstractNumId="{abstract_id}"><w:multiLevelType w:val="multilevel"/>'
        f'<w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:lvlText w:val="{e(texts[0])}"/>'
        '<w:suff w:val="nothing"/><w:lvlJc w:val="left"/></w:lvl>'
        f'<w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:lvlText w:val="{e(texts[1])}"/>'
        '<w:suff w:val="nothing"/><w:lvlJc w:val="left"/></w:lvl>'
        f'<w:lvl w:ilvl="2"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="{e(texts[2])}"/>'
        '<w:suff w:val="nothing"/><w:lvlJc w:val="left"/></w:lvl>'
        "</w:abstractNum>"
    )


def add_multilevel_numbering(document, texts: tuple[str, str, str] = ("%1、", "（%2）", "%3.")) -> int:
    """Add a 一、/（一）/1. multilevel list definition to a python-docx Document; returns its numId.
    `texts` are the levels' lvlText patterns."""
    from docx.oxml import parse_xml

    numbering = document.part.numbering_part.element
    ids = [int(x) for x in numbering.xpath("./w:abstractNum/@w:abstractNumId")] or [0]
    num_ids = [int(x) for x in numbering.xpath("./w:num/@w:numId")] or [0]
    abstract_id, num_id = max(ids) + 1, max(num_ids) + 1
    abstract = parse_xml(_numbering_xml(abstract_id, texts))
    first_num = numbering.find("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}num")
    if first_num is not None:
        first_num.addprevious(abstract)
    else:
        numbering.append(abstract)
    numbering.append(parse_xml(f'<w:num {_W_NS} w:numId="{num_id}"><w:abstractNumId w:val="{abstract_id}"/></w:num>'))
    return num_id


def set_numbering(paragraph, num_id: int, ilvl: int) -> None:
    from docx.oxml import parse_xml

    ppr = paragraph._p.get_or_add_pPr()
    ppr.insert(0, parse_xml(
        f'<w:numPr {_W_NS}><w:ilvl w:val="{ilvl}"/><w:numId w:val="{num_id}"/></w:numPr>'
    ))


def docx_file(path: str | Path, lines: list[str], *, title: str = "", author: str = "", auto_number: bool = True) -> Path:
    """Write `lines` as a .docx, one paragraph each; lines starting with "|" become table rows.

    With `auto_number`, headings written 一、 / （一） / 1. whose numbers follow in sequence lose
    their typed number and get Word automatic numbering instead, as reports drafted in Word do.
    """
    import docx

    document = docx.Document()
    num_id = add_multilevel_numbering(document, _level_texts(lines)) if auto_number else 0
    counters = [0, 0, 0]
    pending: list[list[str]] = []

    def flush_table() -> None:
        if not pending:
            return
        width = max(len(r) for r in pending)
        table = document.add_table(rows=len(pending), cols=width)
        for r, row in enumerate(pending):
            for c, cell in enumerate(row):
                table.cell(r, c).text = cell
        pending.clear()

    for line in lines:
        if line.startswith("|"):
            pending.append([c.strip() for c in line.strip("|").split("|")])
            continue
        flush_table()
        level, rest = _heading_level(line, counters) if auto_number else (None, line)
        para = document.add_paragraph(rest)
        if level is not None:
            set_numbering(para, num_id, level)
    flush_table()
    if title:
        document.core_properties.title = title
    document.core_properties.author = author or "某某局办公室"
    document.core_properties.created = dt.datetime(2025, 2, 22, 9, 0, tzinfo=dt.UTC)
    out = Path(path)
    document.save(str(out))
    return out


def _level_texts(lines: list[str]) -> tuple[str, str, str]:
    """lvlText per level in the style the document types its numbers: （一） or (一), 1. or 1．"""
    sub = next(("(%2)" if ln.startswith("(") else "（%2）" for ln in lines if _SUB.match(ln)), "（%2）")
    item = next(("%3" + m.group(0)[-1] for ln in lines if (m := _ITEM.match(ln))), "%3.")
    return "%1、", sub, item


def _heading_level(line: str, counters: list[int]) -> tuple[int | None, str]:
    for level, pattern in enumerate((_TOP, _SUB, _ITEM)):
        m = pattern.match(line)
        if not m:
            continue
        token = m.group(1)
        expected = counters[level] + 1
        value = int(token) if level == 2 else _zh_value(token)
        if value != expected:
            return None, line
        counters[level] = expected
        for deeper in range(level + 1, len(counters)):
            counters[deeper] = 0
        return level, line[m.end():]
    return None, line


def _zh_value(token: str) -> int:
    for n in range(1, 100):
        if _zh(n) == token:
            return n
    return -1


# --------------------------------------------------------------------------- PDF

def _wrap(line: str, width: int) -> list[str]:
    """Break a line every `width` characters like a layout engine: never inside a Latin word or number."""
    out: list[str] = []
    while len(line) > width:
        cut = width
        while 0 < cut < len(line) and line[cut - 1].isascii() and line[cut - 1].isalnum() and line[cut].isascii() and line[cut].isalnum():
            cut -= 1
        if cut == 0:
            cut = width
        out.append(line[:cut])
        line = line[cut:]
    out.append(line)
    return out


def pdf_file(
    path: str | Path,
    lines: list[str],
    *,
    chars_per_line: int = 36,
    lines_per_page: int = 40,
    page_numbers: bool = True,
    header: str | None = None,
    footer: str | None = None,
) -> Path:
    """A text-layer PDF: each input line wrapped into visual lines, "- n -" at each page's foot.
    `header`/`footer` are running lines on every page ({page} and {pages} are filled in), as a
    browser's print-to-PDF adds."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    if "STSong-Light" not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    out = Path(path)
    c = canvas.Canvas(str(out))
    visual = [v for ln in lines for v in _wrap(ln.replace("|", " ").strip(), chars_per_line) if v.strip()]
    page = 0
    n_pages = max(1, -(-len(visual) // lines_per_page))
    for start in range(0, max(len(visual), 1), lines_per_page):
        page += 1
        c.setFont("STSong-Light", 12)
        if header:
            c.drawString(40, 820, header.format(page=page, pages=n_pages))
        if footer:
            c.drawString(40, 22, footer.format(page=page, pages=n_pages))
        y = 800
        for v in visual[start:start + lines_per_page]:
            c.drawString(72, y, v)
            y -= 18
        if page_numbers:
            c.drawCentredString(297, 40, f"- {page} -")
        c.showPage()
    c.save()
    return out


def blank_pdf(path: str | Path, pages: int = 1) -> Path:
    """A PDF with pages but no text layer, as a scanner produces (minus the image)."""
    from reportlab.pdfgen import canvas

    out = Path(path)
    c = canvas.Canvas(str(out))
    for _ in range(pages):
        c.rect(72, 72, 400, 600)
        c.showPage()
    c.save()
    return out


# --------------------------------------------------------------------------- OFD

_OFD_NS = 'xmlns:ofd="http://www.ofdspec.org/2016"'


def ofd_file(path: str | Path, lines: list[str], *, title: str = "", chars_per_line: int = 36, lines_per_page: int = 40, split_fragments: bool = True) -> Path:
    """A minimal valid OFD package; each visual line is one TextObject (or two, when
    `split_fragments`, as producers that emit per-run objects do)."""
    e = _html.escape
    size = 4.2
    visual = [v for ln in lines for v in _wrap(ln.replace("|", " ").strip(), chars_per_line) if v.strip()]
    pages: list[str] = []
    obj_id = 10
    for start in range(0, max(len(visual), 1), lines_per_page):
        objs = []
        y = 25.0
        for v in visual[start:start + lines_per_page]:
            pieces = [v] if not split_fragments or len(v) < 6 else [v[: len(v) // 2], v[len(v) // 2:]]
            x = 25.0
            for piece in pieces:
                obj_id += 1
                w = len(piece) * size
                objs.append(
                    f'<ofd:TextObject ID="{obj_id}" Boundary="{x:.2f} {y:.2f} {w:.2f} {size * 1.4:.2f}" Font="2" Size="{size}">'
                    f'<ofd:TextCode X="0" Y="{size:.2f}" DeltaX="g {max(len(piece) - 1, 0)} {size}">{e(piece)}</ofd:TextCode></ofd:TextObject>'
                )
                x += w
            y += size * 1.6
        pages.append(
            f'<?xml version="1.0" encoding="UTF-8"?><ofd:Page {_OFD_NS}><ofd:Content><ofd:Layer ID="3">'
            + "".join(objs)
            + "</ofd:Layer></ofd:Content></ofd:Page>"
        )
    ofd_xml = (
        f'<?xml version="1.0" encoding="UTF-8"?><ofd:OFD {_OFD_NS} Version="1.0" DocType="OFD"><ofd:DocBody>'
        f"<ofd:DocInfo><ofd:DocID>a1b2c3</ofd:DocID><ofd:Title>{e(title)}</ofd:Title>"
        "<ofd:CreationDate>2025-02-22</ofd:CreationDate></ofd:DocInfo>"
        "<ofd:DocRoot>Doc_0/Document.xml</ofd:DocRoot></ofd:DocBody></ofd:OFD>"
    )
    page_refs = "".join(f'<ofd:Page ID="{100 + i}" BaseLoc="Pages/Page_{i}/Content.xml"/>' for i in range(len(pages)))
    document_xml = (
        f'<?xml version="1.0" encoding="UTF-8"?><ofd:Document {_OFD_NS}><ofd:CommonData><ofd:MaxUnitID>{obj_id}</ofd:MaxUnitID>'
        "<ofd:PageArea><ofd:PhysicalBox>0 0 210 297</ofd:PhysicalBox></ofd:PageArea>"
        "<ofd:PublicRes>PublicRes.xml</ofd:PublicRes></ofd:CommonData>"
        f"<ofd:Pages>{page_refs}</ofd:Pages></ofd:Document>"
    )
    public_res = (
        f'<?xml version="1.0" encoding="UTF-8"?><ofd:Res {_OFD_NS} BaseLoc="Res"><ofd:Fonts>'
        '<ofd:Font ID="2" FontName="宋体" FamilyName="宋体"/></ofd:Fonts></ofd:Res>'
    )
    out = Path(path)
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("OFD.xml", ofd_xml)
        zf.writestr("Doc_0/Document.xml", document_xml)
        zf.writestr("Doc_0/PublicRes.xml", public_res)
        for i, page in enumerate(pages):
            zf.writestr(f"Doc_0/Pages/Page_{i}/Content.xml", page)
    return out
