"""The web app tells bureau staff in Chinese why a file could not be read."""

from __future__ import annotations

import io
import os
import zipfile

import pytest

from compliance.readers import ReadError, read_bytes
from compliance.readers.messages import bilingual, explain_zh
from compliance.readers.samples import blank_pdf


def _zip(members: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return buf.getvalue()


def _reason(data: bytes, name: str) -> str:
    with pytest.raises(ReadError) as ei:
        read_bytes(data, name)
    return ei.value.reason


def _scanned_pdf(tmp_path) -> bytes:
    return blank_pdf(tmp_path / "scan.pdf", pages=2).read_bytes()


CASES = {
    "random bytes as pdf": (lambda t: os.urandom(4000), "x.pdf", "PDF"),
    "scanned pdf": (_scanned_pdf, "scan.pdf", "扫描件"),
    "garbage docx": (lambda t: b"PK\x03\x04" + os.urandom(3000), "x.docx", "docx"),
    "zip bomb": (lambda t: _zip({"word/document.xml": b" " * (30 << 20)}), "bomb.docx", "压缩炸弹"),
    "zip without a document": (lambda t: _zip({"a.txt": b"x"}), "x.docx", "Word"),
    "empty": (lambda t: b"", "e.txt", "为空"),
    "NUL bytes": (lambda t: b"\x00" * 5000, "n.txt", "二进制"),
    "fake ofd": (lambda t: _zip({"a.txt": b"x"}), "x.ofd", "OFD"),
    "unsupported": (lambda t: b"hello", "x.exe", "不支持"),
    "blank text": (lambda t: b"   \n\n", "b.txt", "没有文字"),
}


@pytest.mark.parametrize("make, name, word", CASES.values(), ids=CASES.keys())
def test_common_read_failures_have_chinese_wording(tmp_path, make, name, word):
    reason = _reason(make(tmp_path), name)
    zh = explain_zh(reason)
    assert word in zh, (reason, zh)
    assert bilingual(reason) == f"{zh}（{reason}）"


def test_unknown_reason_stays_english():
    assert explain_zh("something nobody foresaw") == ""
    assert bilingual("something nobody foresaw") == "something nobody foresaw"


def test_web_upload_error_is_bilingual():
    from compliance.web.service import Upload, check_upload

    with pytest.raises(ValueError) as ei:
        check_upload(Upload(name="扫描件.pdf", data=b"%PDF-1.4 garbage"))
    msg = str(ei.value)
    assert msg.startswith("扫描件.pdf: ") and "PDF" in msg and "（" in msg
