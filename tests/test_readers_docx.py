"""Word .docx: document order, tables, automatic numbering, core properties, bad packages."""

from __future__ import annotations

import datetime as dt
import io
import zipfile

import docx
import pytest
from docx.oxml import parse_xml

from compliance.readers import ReadError, read, read_bytes
from compliance.readers.docx import format_number
from compliance.readers.samples import add_multilevel_numbering, docx_file, set_numbering

W_NS = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'


def _bytes(document) -> bytes:
    buf = io.BytesIO()
    document.save(buf)
    return buf.getvalue()


@pytest.mark.parametrize(
    "n, fmt, expected",
    [
        (1, "chineseCounting", "一"),
        (10, "chineseCounting", "十"),
        (11, "chineseCounting", "十一"),
        (20, "chineseCounting", "二十"),
        (23, "chineseCountingThousand", "二十三"),
        (105, "chineseCounting", "一百零五"),
        (10, "ideographDigital", "一〇"),
        (3, "ideographDigital", "三"),
        (12, "chineseLegalSimplified", "壹拾贰"),
        (4, "ideographTraditional", "丁"),
        (3, "decimal", "3"),
        (7, "decimalZero", "07"),
        (2, "decimalFullWidth", "２"),
        (3, "decimalEnclosedCircle", "③"),
        (28, "lowerLetter", "bb"),
        (4, "upperRoman", "IV"),
        (9, "lowerRoman", "ix"),
        (5, "bullet", ""),
    ],
)
def test_format_number(n, fmt, expected):
    assert format_number(n, fmt) == expected


def test_paragraphs_and_tables_in_document_order():
    d = docx.Document()
    d.add_paragraph("某县交通运输局2023年法治政府建设工作总结")
    d.add_paragraph("")  # empty paragraphs carry no line
    d.add_paragraph("全年主要指标如下：")
    t = d.add_table(rows=2, cols=3)
    for c, v in enumerate(["指标", "2022年", "2023年"]):
        t.cell(0, c).text = v
    for c, v in enumerate(["行政许可", "1200件", "1350件"]):
        t.cell(1, c).text = v
    d.add_paragraph("二是加强执法监督。")
    doc = read_bytes(_bytes(d), "r.docx")
    assert doc.format == "docx"
    assert doc.lines == [
        "某县交通运输局2023年法治政府建设工作总结",
        "全年主要指标如下：",
        "指标 2022年 2023年",
        "行政许可 1200件 1350件",
        "二是加强执法监督。",
    ]


def test_merged_cells_are_not_repeated():
    d = docx.Document()
    t = d.add_table(rows=2, cols=3)
    merged = t.cell(0, 0).merge(t.cell(0, 2))
    merged.text = "2023年执法情况"
    for c, v in enumerate(["处罚", "检查", "许可"]):
        t.cell(1, c).text = v
    assert read_bytes(_bytes(d), "m.docx").lines == ["2023年执法情况", "处罚 检查 许可"]


def test_line_break_inside_paragraph_splits_lines():
    d = docx.Document()
    p = d.add_paragraph("某市司法局")
    p.add_run().add_break()
    p.add_run("2024年1月5日")
    assert read_bytes(_bytes(d), "b.docx").lines == ["某市司法局", "2024年1月5日"]


def test_automatic_numbering_is_resolved():
    d = docx.Document()
    num = add_multilevel_numbering(d)
    d.add_paragraph("关于2024年法治政府建设情况的报告")
    for text, level in [
        ("主要工作开展情况", 0),
        ("高位推进法治政府建设", 1),
        ("全面学习贯彻习近平法治思想。", 2),
        ("切实履行第一责任人职责。", 2),
        ("着力建设法治化营商环境", 1),
        ("存在问题", 0),
        ("法治宣传不够深入", 1),  # restarts at （一） under 二、
    ]:
        set_numbering(d.add_paragraph(text), num, level)
    for i in range(9):
        set_numbering(d.add_paragraph(f"第{i + 3}部分"), num, 0)
    lines = read_bytes(_bytes(d), "n.docx").lines
    assert lines[:8] == [
        "关于2024年法治政府建设情况的报告",
        "一、主要工作开展情况",
        "（一）高位推进法治政府建设",
        "1.全面学习贯彻习近平法治思想。",
        "2.切实履行第一责任人职责。",
        "（二）着力建设法治化营商环境",
        "二、存在问题",
        "（一）法治宣传不够深入",
    ]
    assert lines[8] == "三、第3部分"
    assert lines[-1] == "十一、第11部分"


def test_numbering_through_paragraph_style_and_restart_override():
    d = docx.Document()
    num = add_multilevel_numbering(d)
    # a heading style bound to level 0 of the list, as Word's 多级列表 → 链接到样式 does
    styles = d.styles.element
    styles.append(parse_xml(
        f'<w:style {W_NS} w:type="paragraph" w:styleId="ReportH1"><w:name w:val="Report H1"/>'
        f'<w:pPr><w:numPr><w:numId w:val="{num}"/></w:numPr></w:pPr></w:style>'
    ))
    numbering = d.part.numbering_part.element
    abstract_id = numbering.xpath(f'./w:num[@w:numId="{num}"]/w:abstractNumId/@w:val')[0]
    restart = num + 1
    numbering.append(parse_xml(
        f'<w:num {W_NS} w:numId="{restart}"><w:abstractNumId w:val="{abstract_id}"/>'
        '<w:lvlOverride w:ilvl="0"><w:startOverride w:val="1"/></w:lvlOverride></w:num>'
    ))
    for text in ("工作情况", "存在问题"):
        p = d.add_paragraph(text)
        p._p.get_or_add_pPr().insert(0, parse_xml(f'<w:pStyle {W_NS} w:val="ReportH1"/>'))
    set_numbering(d.add_paragraph("下步计划"), num, 0)  # same list: continues
    set_numbering(d.add_paragraph("附件说明"), restart, 0)  # restarted list instance
    set_numbering(d.add_paragraph("不编号"), 0, 0)  # numId 0 switches numbering off
    assert read_bytes(_bytes(d), "s.docx").lines == [
        "一、工作情况", "二、存在问题", "三、下步计划", "一、附件说明", "不编号",
    ]


def test_bullets_add_nothing_and_decimal_suffix_space():
    d = docx.Document()
    numbering = d.part.numbering_part.element
    numbering.append(parse_xml(
        f'<w:abstractNum {W_NS} w:abstractNumId="90">'
        '<w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="bullet"/><w:lvlText w:val="\uf0b7"/></w:lvl>'
        '<w:lvl w:ilvl="1"><w:start w:val="3"/><w:numFmt w:val="decimal"/><w:lvlText w:val="第%2条"/>'
        '<w:suff w:val="space"/></w:lvl></w:abstractNum>'
    ))
    numbering.append(parse_xml(f'<w:num {W_NS} w:numId="90"><w:abstractNumId w:val="90"/></w:num>'))
    set_numbering(d.add_paragraph("健全制度"), 90, 0)
    set_numbering(d.add_paragraph("本办法自公布之日起施行。"), 90, 1)
    assert read_bytes(_bytes(d), "b.docx").lines == ["健全制度", "第3条 本办法自公布之日起施行。"]


def test_tracked_changes_show_the_current_text():
    d = docx.Document()
    p = d.add_paragraph("全年办理案件")
    p._p.append(parse_xml(f'<w:ins {W_NS} w:id="1" w:author="a"><w:r><w:t>120</w:t></w:r></w:ins>'))
    p._p.append(parse_xml(f'<w:del {W_NS} w:id="2" w:author="a"><w:r><w:delText>100</w:delText></w:r></w:del>'))
    p.add_run("件。")
    assert read_bytes(_bytes(d), "t.docx").lines == ["全年办理案件120件。"]


def test_core_properties_become_hints(tmp_path):
    p = docx_file(tmp_path / "r.docx", ["一、总体情况", "全年无重大行政争议。"], title="某局2024年法治政府建设年度报告", author="某局法规科")
    doc = read(p)
    assert doc.hints == {"title": "某局2024年法治政府建设年度报告", "author": "某局法规科", "created": "2025-02-22"}
    # the builder turned the typed 一、 into Word numbering; the reader puts it back
    assert doc.lines == ["一、总体情况", "全年无重大行政争议。"]
    body = docx.Document(str(p)).paragraphs[0].text
    assert body == "总体情况"


def test_python_docx_template_defaults_are_not_hints():
    d = docx.Document()
    d.add_paragraph("正文")
    assert d.core_properties.author == "python-docx"
    assert read_bytes(_bytes(d), "d.docx").hints == {}
    d.core_properties.created = dt.datetime(2024, 3, 1, tzinfo=dt.UTC)
    d.core_properties.author = "张三"
    assert read_bytes(_bytes(d), "d.docx").hints == {"author": "张三", "created": "2024-03-01"}


# --------------------------------------------------------------------------- bad packages


def _zip(members: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return buf.getvalue()


def _err(data: bytes, name: str = "x.docx") -> ReadError:
    with pytest.raises(ReadError) as info:
        read_bytes(data, name)
    assert "\n" not in str(info.value)
    assert str(info.value).startswith(f"{name}: ")
    return info.value


def test_zip_of_something_else():
    exc = _err(_zip({"readme.txt": b"hello", "data/a.csv": b"1,2"}))
    assert "word/document.xml" in exc.reason


def test_not_a_zip():
    exc = _err("这不是一个Word文件".encode())
    assert "zip" in exc.reason


def test_truncated_docx(tmp_path):
    good = docx_file(tmp_path / "g.docx", ["一、总体情况", "正文内容。"]).read_bytes()
    exc = _err(good[: len(good) // 2])
    assert "docx" in exc.reason.lower() or "damaged" in exc.reason


def test_zip_bomb_is_refused_before_extracting():
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", b"<Types/>")
        with zf.open("word/document.xml", "w") as member:
            chunk = b"\0" * (1 << 20)
            for _ in range(8):
                member.write(chunk)
    data = buf.getvalue()
    assert len(data) < 100_000
    exc = _err(data)
    assert "zip bomb" in exc.reason


def test_zip_declaring_huge_total_is_refused(monkeypatch):
    monkeypatch.setenv("COMPLIANCE_MAX_BYTES", "10000")
    exc = _err(_zip({"word/document.xml": b"<w:document/>" * 10000}))
    assert "zip bomb" in exc.reason or "uncompressed" in exc.reason


def test_legacy_doc_renamed_to_docx_goes_to_the_legacy_reader(monkeypatch):
    import shutil

    monkeypatch.setattr(shutil, "which", lambda name: None)
    exc = _err(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600)
    assert "LibreOffice" in exc.reason


def test_text_box_read_once_despite_fallback_copy():
    d = docx.Document()
    p = d.add_paragraph("正文第一段。")
    box = (
        '<w:txbxContent><w:p><w:r><w:t>某县人民政府文件</w:t></w:r></w:p></w:txbxContent>'
    )
    p._p.append(parse_xml(
        f'<w:r {W_NS} xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" '
        'xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape" '
        'xmlns:v="urn:schemas-microsoft-com:vml">'
        '<mc:AlternateContent><mc:Choice Requires="wps"><w:drawing><wps:txbx>' + box + '</wps:txbx></w:drawing></mc:Choice>'
        '<mc:Fallback><w:pict><v:textbox>' + box + '</v:textbox></w:pict></mc:Fallback></mc:AlternateContent></w:r>'
    ))
    assert read_bytes(_bytes(d), "tb.docx").lines == ["正文第一段。", "某县人民政府文件"]


def test_damaged_document_xml(tmp_path):
    good = docx_file(tmp_path / "g.docx", ["正文内容。"]).read_bytes()
    src = zipfile.ZipFile(io.BytesIO(good))
    members = {n: src.read(n) for n in src.namelist()}
    members["word/document.xml"] = members["word/document.xml"][:300]
    exc = _err(_zip(members))
    assert "damaged" in exc.reason or "not a readable" in exc.reason
