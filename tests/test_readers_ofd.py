"""OFD (GB/T 33190): text objects ordered into visual lines; broken packages refused."""

from __future__ import annotations

import io
import zipfile

import pytest

from compliance.readers import ReadError, read, read_bytes
from compliance.readers.samples import ofd_file

NS = 'xmlns:ofd="http://www.ofdspec.org/2016"'
LINES = ["某县司法局2023年法治政府建设年度报告", "一、主要举措和成效", "全年审查规范性文件15件，纠正2件。"]


def test_round_trip_with_split_fragments(tmp_path):
    p = ofd_file(tmp_path / "r.ofd", LINES, title="年度报告", split_fragments=True)
    doc = read(p)
    assert doc.format == "ofd"
    assert doc.lines == LINES  # each line was two TextObjects; they are re-joined without a gap
    assert doc.hints == {"title": "年度报告", "created": "2025-02-22"}


def test_multiple_pages_and_wrapping(tmp_path):
    many = [f"第{i}条 工作措施落实到位，按期完成整改任务。" for i in range(1, 31)]
    doc = read(ofd_file(tmp_path / "m.ofd", many, chars_per_line=12, lines_per_page=20))
    assert "".join(doc.lines) == "".join(many)
    assert len(doc.lines) > len(many)


def _package(content: str, *, ofd_xml: str | None = None, extra: dict[str, str] | None = None) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("OFD.xml", ofd_xml or f'<ofd:OFD {NS}><ofd:DocBody><ofd:DocRoot>/Doc_0/Document.xml</ofd:DocRoot></ofd:DocBody></ofd:OFD>')
        zf.writestr("Doc_0/Document.xml", f'<ofd:Document {NS}><ofd:Pages><ofd:Page ID="1" BaseLoc="Pages/Page_0/Content.xml"/></ofd:Pages></ofd:Document>')
        zf.writestr("Doc_0/Pages/Page_0/Content.xml", content)
        for name, data in (extra or {}).items():
            zf.writestr(name, data)
    return buf.getvalue()


def _obj(x: float, y: float, text: str, size: float = 5.0, codes: str | None = None) -> str:
    inner = codes or f'<ofd:TextCode X="0" Y="{size}">{text}</ofd:TextCode>'
    return f'<ofd:TextObject ID="1" Boundary="{x} {y} 100 7" Size="{size}">{inner}</ofd:TextObject>'


def test_objects_out_of_order_are_sorted_by_y_then_x():
    content = (
        f'<ofd:Page {NS}><ofd:Content><ofd:Layer>'
        + _obj(20, 60, "第三行")
        + _obj(40, 20.3, "题后半")  # same baseline as the next object within tolerance, written first
        + _obj(20, 20, "标题前半")
        + '<ofd:PageBlock>' + _obj(20, 40, "第二行在块里") + '</ofd:PageBlock>'
        + _obj(120, 60, "右栏")  # far to the right: separated by a space
        + "</ofd:Layer></ofd:Content></ofd:Page>"
    )
    doc = read_bytes(_package(content), "o.ofd")
    assert doc.lines == ["标题前半题后半", "第二行在块里", "第三行 右栏"]


def test_several_text_codes_in_one_object():
    codes = '<ofd:TextCode X="0" Y="5">第一行文字</ofd:TextCode><ofd:TextCode X="0" Y="15">第二行文字</ofd:TextCode>'
    content = f'<ofd:Page {NS}><ofd:Content><ofd:Layer>{_obj(10, 10, "", codes=codes)}</ofd:Layer></ofd:Content></ofd:Page>'
    assert read_bytes(_package(content), "c.ofd").lines == ["第一行文字", "第二行文字"]


def _err(data: bytes, name: str = "x.ofd") -> ReadError:
    with pytest.raises(ReadError) as info:
        read_bytes(data, name)
    assert "\n" not in str(info.value)
    assert str(info.value).startswith(f"{name}: ")
    return info.value


def test_missing_ofd_xml():
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("word/document.xml", "<x/>")
    assert "OFD.xml" in _err(buf.getvalue()).reason


def test_broken_xml():
    exc = _err(_package(f"<ofd:Page {NS}><ofd:Content>"))
    assert "not valid XML" in exc.reason


def test_missing_page_part():
    ofd_xml = f'<ofd:OFD {NS}><ofd:DocBody><ofd:DocRoot>Doc_9/Document.xml</ofd:DocRoot></ofd:DocBody></ofd:OFD>'
    assert "Doc_9/Document.xml" in _err(_package("<x/>", ofd_xml=ofd_xml)).reason


def test_ofd_without_text_is_called_scanned():
    content = f'<ofd:Page {NS}><ofd:Content><ofd:Layer><ofd:ImageObject ID="5" Boundary="0 0 210 297" ResourceID="9"/></ofd:Layer></ofd:Content></ofd:Page>'
    exc = _err(_package(content))
    assert "scanned" in exc.reason


def test_not_a_zip():
    assert "zip" in _err(b"%PDF-1.4 not an ofd").reason
