"""Legacy .doc/.wps: conversion through LibreOffice or antiword, and the "not installed" error."""

from __future__ import annotations

import hashlib
import os
import shutil
import stat
from pathlib import Path

import pytest

from compliance.readers import ReadError, read, read_bytes
from compliance.readers.samples import docx_file

OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 1000


def _script(bin_dir: Path, name: str, body: str) -> None:
    bin_dir.mkdir(exist_ok=True)
    p = bin_dir / name
    p.write_text("#!/bin/sh\n" + body)
    p.chmod(p.stat().st_mode | stat.S_IXUSR)


@pytest.fixture
def no_tools(monkeypatch):
    monkeypatch.setattr(shutil, "which", lambda name, *a, **k: None)


@pytest.mark.parametrize("name, install", [("old.doc", "libreoffice-writer"), ("old.wps", "libreoffice-writer")])
def test_not_installed_names_what_to_install(no_tools, name, install):
    with pytest.raises(ReadError) as info:
        read_bytes(OLE, name)
    msg = str(info.value)
    assert msg.startswith(f"{name}: ") and "\n" not in msg
    assert "apt-get install " + install in msg
    assert ("antiword" in msg) == name.endswith(".doc")


def test_libreoffice_conversion(tmp_path, monkeypatch):
    converted = docx_file(tmp_path / "conv.docx", ["某局2019年法治政府建设工作总结", "一、主要做法", "全年办结复议案件3件。"])
    log = tmp_path / "args.txt"
    _script(tmp_path / "bin", "soffice", (
        'out=""; prev=""\n'
        'for a in "$@"; do [ "$prev" = "--outdir" ] && out="$a"; prev="$a"; done\n'
        f'echo "$@" > "{log}"\n'
        f'mkdir -p "$out" && cp "{converted}" "$out/input.docx"\n'
    ))
    monkeypatch.setenv("PATH", f"{tmp_path / 'bin'}{os.pathsep}{os.environ.get('PATH', '')}")
    src = tmp_path / "总结.doc"
    src.write_bytes(OLE)
    doc = read(src)
    assert doc.format == "doc"
    assert doc.lines == ["某局2019年法治政府建设工作总结", "一、主要做法", "全年办结复议案件3件。"]
    assert doc.sha256 == hashlib.sha256(OLE).hexdigest()  # of the original, not the conversion
    assert any("LibreOffice" in w for w in doc.warnings)
    args = log.read_text()
    assert "--headless" in args and "--convert-to docx" in args


def test_libreoffice_failure_is_one_line(tmp_path, monkeypatch):
    _script(tmp_path / "bin", "soffice", 'echo "Error: source file could not be loaded" >&2\nexit 1\n')
    monkeypatch.setenv("PATH", f"{tmp_path / 'bin'}{os.pathsep}{os.environ.get('PATH', '')}")
    with pytest.raises(ReadError) as info:
        read_bytes(OLE, "bad.doc")
    assert "could not be loaded" in info.value.reason and "\n" not in str(info.value)


def test_antiword_fallback(tmp_path, monkeypatch):
    real_which = shutil.which
    monkeypatch.setattr(shutil, "which", lambda name, *a, **k: None if name in ("soffice", "libreoffice") else real_which(name, *a, **k))
    _script(tmp_path / "bin", "antiword", 'printf "一、总体情况\\n\\n    全年无行政败诉案件。\\n"\n')
    monkeypatch.setenv("PATH", f"{tmp_path / 'bin'}{os.pathsep}{os.environ.get('PATH', '')}")
    doc = read_bytes(OLE, "a.doc")
    assert doc.lines == ["一、总体情况", "全年无行政败诉案件。"]
    assert doc.format == "doc" and "antiword" in doc.warnings[0]


def test_doc_that_is_really_html(no_tools):
    raw = "<html><body><div id='zoom'><p>一、总体情况</p><p>全年组织领导干部集体学法4次，覆盖全体班子成员。</p></div></body></html>"
    doc = read_bytes(raw.encode("gb18030"), "word-saved.doc")
    assert doc.format == "html"
    assert doc.lines == ["一、总体情况", "全年组织领导干部集体学法4次，覆盖全体班子成员。"]


def test_doc_that_is_really_docx(no_tools, tmp_path):
    data = docx_file(tmp_path / "x.docx", ["二、存在问题", "执法规范化水平有待提高。"]).read_bytes()
    doc = read_bytes(data, "renamed.doc")
    assert doc.format == "docx"
    # 二、 out of sequence stays typed text in the builder, so it reads back unchanged
    assert doc.lines == ["二、存在问题", "执法规范化水平有待提高。"]
