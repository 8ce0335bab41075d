"""PDF with a text layer: Chinese comes back as visual lines; scans and garbage are refused."""

from __future__ import annotations

import re

import pytest

from compliance.readers import ReadError, read, read_bytes
from compliance.readers.pdf import _PAGE_NUMBER
from compliance.readers.samples import blank_pdf, pdf_file

pytest.importorskip("reportlab")

LINES = [
    "某市交通运输局关于2024年法治政府建设情况的报告",
    "一、主要工作开展情况",
    "全年办理行政许可13385件，行政处罚案件98件，行政复议纠错率为0%，组织执法人员培训12次，人均完成学时60学时。",
    "二、存在问题",
]


def test_chinese_text_comes_back_as_visual_lines(tmp_path):
    p = pdf_file(tmp_path / "r.pdf", LINES, chars_per_line=30)
    doc = read(p)
    assert doc.format == "pdf"
    assert doc.lines[0] == LINES[0]
    assert doc.lines[1] == LINES[1]
    # the long line wraps into several visual lines, and no number is cut in two
    joined = "".join(doc.lines)
    assert joined == "".join(LINES)
    assert len(doc.lines) > len(LINES)
    assert "13385" in joined and any("13385" in line for line in doc.lines)
    assert not any(re.fullmatch(r"-\s*\d+\s*-", line) for line in doc.lines)


def test_page_numbers_dropped_across_pages(tmp_path):
    many = [f"（{i}）第{i}项工作已经完成。" for i in range(1, 61)]
    doc = read(pdf_file(tmp_path / "m.pdf", many, lines_per_page=25))
    assert doc.lines == many  # 3 pages, their "- n -" footers gone, nothing else lost


def test_browser_print_headers_and_footers_dropped(tmp_path):
    many = [f"第{i}项：按期完成整改任务，建立长效机制。" for i in range(1, 41)]
    p = pdf_file(
        tmp_path / "print.pdf", many, lines_per_page=15, page_numbers=False,
        header="2025/2/24 10:{page}5 某市交通运输局关于2024年法治政府建设情况的报告",
        footer="https://www.example.gov.cn/art/2025/2/24/art_{page}.html {page}/{pages}",
    )
    assert read(p).lines == many


def test_single_page_keeps_its_first_and_last_lines(tmp_path):
    assert read(pdf_file(tmp_path / "one.pdf", LINES[:2], page_numbers=False)).lines == LINES[:2]


@pytest.mark.parametrize("line", ["- 3 -", "— 12 —", "3", "第3页 共8页", "第 3 页", "3/8", "Page 2 of 9"])
def test_page_number_pattern(line):
    assert _PAGE_NUMBER.match(line)


@pytest.mark.parametrize("line", ["2024年", "一、总体情况", "3.加强执法监督", "共计30件"])
def test_page_number_pattern_leaves_text(line):
    assert not _PAGE_NUMBER.match(line)


def _err(data: bytes, name: str = "x.pdf") -> ReadError:
    with pytest.raises(ReadError) as info:
        read_bytes(data, name)
    assert "\n" not in str(info.value)
    assert str(info.value).startswith(f"{name}: ")
    return info.value


def test_pdf_without_text_is_called_scanned(tmp_path):
    exc = _err(blank_pdf(tmp_path / "scan.pdf", pages=2).read_bytes(), "scan.pdf")
    assert "scanned" in exc.reason and "OCR" in exc.reason


def test_corrupt_pdf(tmp_path):
    good = pdf_file(tmp_path / "g.pdf", LINES).read_bytes()
    exc = _err(good[:200])
    assert "PDF" in exc.reason


def test_not_a_pdf():
    exc = _err("一份文本".encode() * 50)
    assert "not a PDF" in exc.reason


def test_sha256_is_of_the_file(tmp_path):
    import hashlib

    p = pdf_file(tmp_path / "h.pdf", LINES)
    assert read(p).sha256 == hashlib.sha256(p.read_bytes()).hexdigest()


def test_unmapped_share():
    from compliance.readers.pdf import unmapped_share

    assert unmapped_share(["依法行政", ""]) == 0.0
    assert unmapped_share(["\ue001\ue002\ue003依"]) == 0.75
    assert unmapped_share(["\ufffd\ufffd", "法治"]) == 0.5
    assert unmapped_share([]) == 0.0


def test_pdf_with_unmapped_fonts_is_refused(tmp_path, monkeypatch):
    import pypdfium2 as pdfium

    p = pdf_file(tmp_path / "g.pdf", LINES)
    monkeypatch.setattr(pdfium.PdfTextPage, "get_text_bounded", lambda self, *a, **k: "\ue012\ue013\ue014\ue015 \ue016\n\ue017\ue018")
    exc = _err(p.read_bytes(), "wps.pdf")
    assert "Unicode" in exc.reason and "OCR" in exc.reason
