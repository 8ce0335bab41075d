"""A genuine Word 97-2003 .doc (written by LibreOffice from our own text) read end to end.

The other legacy tests use stand-in converters; this one needs the real LibreOffice
(`apt-get install libreoffice-writer-nogui`, which `.ci/run` installs) and skips without it.
"""

import shutil
from pathlib import Path

import pytest

from compliance.normalize import normalize
from compliance.readers import read

DOC = Path(__file__).parent / "data" / "readers" / "sample-report.doc"

needs_office = pytest.mark.skipif(
    not (shutil.which("soffice") or shutil.which("libreoffice")), reason="LibreOffice (soffice) is not installed"
)


@needs_office
@pytest.mark.parametrize("suffix", [".doc", ".wps"])  # WPS Office saves .wps in the same binary format
def test_real_doc_converts_and_normalizes(tmp_path, suffix):
    path = tmp_path / f"report{suffix}"
    path.write_bytes(DOC.read_bytes())
    raw = read(path)
    assert raw.format == "doc"
    report = normalize(raw)
    assert report.meta.title == "某县交通运输局关于2023年度法治政府建设情况的报告"
    assert report.meta.date.isoformat() == "2024-02-20"
    assert report.meta.period == (2023, 2023)
    assert [(s.heading, s.role) for s in report.sections] == [
        ("一、主要举措和成效", "measures"),
        ("二、存在的问题", "problems"),
        ("三、2024年工作安排", "plans"),
    ]
    hours = [m for m in report.metrics if m.unit == "学时"]
    assert hours and hours[0].value == 65 and hours[0].per_capita
