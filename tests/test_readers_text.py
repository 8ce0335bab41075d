"""Plain-text reading: the encoding cascade, line splitting, and every kind of bad input."""

from __future__ import annotations

import codecs
import hashlib
from pathlib import Path

import pytest

from compliance.readers import SUPPORTED_EXTENSIONS, ReadError, read, read_bytes
from compliance.readers.plain import canonical_encoding, decode

TEXT = "盘锦市交通运输局关于2024年法治政府建设情况的报告\n一、主要工作开展情况\n全年办理案件13385件，同比增长5%。\n"
LINES = TEXT.splitlines()


def _write(tmp_path: Path, name: str, data: bytes) -> Path:
    p = tmp_path / name
    p.write_bytes(data)
    return p


@pytest.mark.parametrize(
    "data, encoding",
    [
        (TEXT.encode("utf-8"), "utf-8"),
        (codecs.BOM_UTF8 + TEXT.encode("utf-8"), "utf-8-sig"),
        (codecs.BOM_UTF16_LE + TEXT.encode("utf-16-le"), "utf-16-le"),
        (codecs.BOM_UTF16_BE + TEXT.encode("utf-16-be"), "utf-16-be"),
        (TEXT.encode("gb18030"), "gb18030"),
        (TEXT.encode("gbk"), "gb18030"),
        (TEXT.encode("gb2312"), "gb18030"),
    ],
)
def test_encodings_decode_to_the_same_lines(tmp_path, data, encoding):
    doc = read(_write(tmp_path, "r.txt", data))
    assert doc.lines == LINES
    assert doc.encoding == encoding
    assert doc.format == "txt"
    assert doc.warnings == []
    assert doc.sha256 == hashlib.sha256(data).hexdigest()


def test_utf16_without_bom_is_recognised(tmp_path):
    doc = read(_write(tmp_path, "r.txt", TEXT.encode("utf-16-le")))
    assert doc.lines == LINES
    assert doc.encoding == "utf-16-le"
    assert any("byte-order mark" in w for w in doc.warnings)


def test_short_gb18030_text_is_not_mistaken(tmp_path):
    # detectors call 20 characters of GB18030 utf_16_be; the cascade must not ask them
    short = "法治政府建设年度报告".encode("gb18030")
    assert read(_write(tmp_path, "s.txt", short)).lines == ["法治政府建设年度报告"]


def test_stray_byte_in_gb18030_is_replaced_with_a_warning(tmp_path):
    data = TEXT.encode("gb18030")
    data = data[:10] + b"\xff" + data[10:]
    doc = read(_write(tmp_path, "r.txt", data))
    assert doc.encoding == "gb18030"
    assert sum(line.count("\ufffd") for line in doc.lines) == 1
    assert any("1 undecodable" in w for w in doc.warnings)
    assert doc.lines[1:] == LINES[1:]


def test_utf8_cut_mid_character_keeps_utf8(tmp_path):
    data = TEXT.encode("utf-8") + "报".encode()[:2]
    doc = read(_write(tmp_path, "r.txt", data))
    assert doc.encoding == "utf-8"
    assert doc.lines[:3] == LINES
    assert doc.warnings and "U+FFFD" in doc.warnings[0]


def test_big5_falls_back_to_a_detector_or_errors_cleanly():
    # Big5 bytes are mostly valid GB18030 (the cascade reads GB first, per the measured verdict);
    # what matters here is that nothing raises except ReadError
    data = "法治政府建設年度報告，依法行政。".encode("big5") * 20
    try:
        doc = read_bytes(data, "b.txt")
    except ReadError as exc:
        assert "b.txt" in str(exc)
    else:
        assert doc.lines


@pytest.mark.parametrize("sep", ["\r\n", "\r", "\n"])
def test_line_endings(tmp_path, sep):
    data = sep.join(["第一行", "", "第三行"]).encode("utf-8") + sep.encode()
    assert read(_write(tmp_path, "r.txt", data)).lines == ["第一行", "", "第三行"]


def test_mixed_line_endings_and_no_final_newline():
    doc = read_bytes("甲\r\n乙\r丙\n丁".encode(), "m.md")
    assert doc.lines == ["甲", "乙", "丙", "丁"]


def test_lines_are_not_joined_or_stripped():
    raw = "　　一、总体情况\n  全年完成  \n\n**二、**问题\n"
    assert read_bytes(raw.encode(), "x.text").lines == ["　　一、总体情况", "  全年完成  ", "", "**二、**问题"]


def test_canonical_encoding_maps_gb_family():
    for label in ("GB2312", "gbk", "x-gbk", "GB18030", "cp936"):
        assert canonical_encoding(label) == "gb18030"
    assert canonical_encoding("UTF-8") == "utf-8"
    assert canonical_encoding("no-such-charset") is None


def test_hint_other_than_gb_or_utf8_is_tried_before_gb18030():
    data = "Économie".encode("latin-1")
    text, enc, _ = decode(data, "x", hint="iso-8859-1")
    assert (text, enc) == ("Économie", "iso8859-1")


# --------------------------------------------------------------------------- bad input


def _err(call) -> ReadError:
    with pytest.raises(ReadError) as info:
        call()
    exc = info.value
    assert "\n" not in str(exc)
    assert str(exc) == f"{exc.source}: {exc.reason}"
    return exc


def test_empty_file(tmp_path):
    p = _write(tmp_path, "empty.txt", b"")
    exc = _err(lambda: read(p))
    assert exc.source == str(p)
    assert "empty" in exc.reason


def test_whitespace_only_file(tmp_path):
    exc = _err(lambda: read(_write(tmp_path, "blank.txt", b"\r\n  \n\t\n")))
    assert "no text" in exc.reason


def test_binary_with_nul_bytes(tmp_path):
    data = bytes(range(256)) * 40
    exc = _err(lambda: read(_write(tmp_path, "bin.txt", data)))
    assert "binary" in exc.reason


def test_binary_control_characters_without_nul(tmp_path):
    data = bytes([1, 2, 3, 4, 5, 6, 7, 8, 14, 15, 16, 17]) * 200
    exc = _err(lambda: read(_write(tmp_path, "ctl.txt", data)))
    assert "binary" in exc.reason


def test_pdf_renamed_to_txt_is_named(tmp_path):
    exc = _err(lambda: read(_write(tmp_path, "x.txt", b"%PDF-1.7\n" + b"x" * 100)))
    assert "PDF" in exc.reason


def test_undecodable_bytes(tmp_path):
    # valid in neither UTF-8 nor GB18030 (0x80 and 0xFF are never lead bytes in GB18030)
    data = b"\x80\xff\x80\xff" * 300
    exc = _err(lambda: read(_write(tmp_path, "garbage.txt", data)))
    assert "decode" in exc.reason or "binary" in exc.reason


def test_size_limit_checked_before_reading(tmp_path, monkeypatch):
    p = tmp_path / "huge.txt"
    with open(p, "wb") as f:
        f.truncate(50 * 1024 * 1024)  # sparse: costs no disk and must cost no memory

    def boom(self):
        raise AssertionError("read_bytes must not be called for an oversized file")

    monkeypatch.setattr(Path, "read_bytes", boom)
    exc = _err(lambda: read(p))
    assert "50.0 MB" in exc.reason and "limit" in exc.reason and "COMPLIANCE_MAX_BYTES" in exc.reason


def test_size_limit_from_environment(tmp_path, monkeypatch):
    p = _write(tmp_path, "r.txt", TEXT.encode())
    assert read(p).lines == LINES
    monkeypatch.setenv("COMPLIANCE_MAX_BYTES", "20")
    _err(lambda: read(p))
    _err(lambda: read_bytes(TEXT.encode(), "up.txt"))
    monkeypatch.setenv("COMPLIANCE_MAX_BYTES", "not-a-number")
    assert read(p).lines == LINES  # a bad setting falls back to the default


def test_unsupported_extension(tmp_path):
    exc = _err(lambda: read(_write(tmp_path, "sheet.xlsx", b"PK\x03\x04")))
    assert "unsupported" in exc.reason and ".xlsx" in exc.reason
    exc = _err(lambda: read(_write(tmp_path, "noext", b"abc")))
    assert "no extension" in exc.reason


def test_missing_file(tmp_path):
    exc = _err(lambda: read(tmp_path / "nope.txt"))
    assert "no such file" in exc.reason


@pytest.mark.parametrize("name", ["folder.txt", "folder"])
def test_directory(tmp_path, name):
    d = tmp_path / name
    d.mkdir()
    exc = _err(lambda: read(d))
    assert "directory" in exc.reason


def test_read_bytes_uses_the_name():
    doc = read_bytes(TEXT.encode("gb18030"), "上传报告.TXT")
    assert doc.source == "上传报告.TXT"
    assert doc.lines == LINES
    assert doc.encoding == "gb18030"


def test_supported_extensions_are_dotted_lowercase():
    assert isinstance(SUPPORTED_EXTENSIONS, tuple)
    for ext in (".txt", ".md", ".html", ".htm", ".docx", ".pdf", ".ofd", ".doc", ".wps"):
        assert ext in SUPPORTED_EXTENSIONS
    assert all(e.startswith(".") and e == e.lower() for e in SUPPORTED_EXTENSIONS)
