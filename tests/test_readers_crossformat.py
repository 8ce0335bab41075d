"""The same report in every container must normalize to the same report.

Each corpus text is rebuilt as UTF-8 and GB18030 text, a government web page (chrome and
metadata table around it), a Word file whose headings use automatic numbering, a PDF with
wrapped visual lines and page numbers, and an OFD. Metadata (except `published`, which a web
page adds), top-level sections with their roles, and metric values must agree with the plain
UTF-8 reading.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from compliance.readers import read
from compliance.readers import samples

try:
    from compliance.normalize import normalize
except ImportError:  # the normalizer is written in parallel; run once it exists
    pytest.skip("compliance.normalize.normalize not available yet", allow_module_level=True)

pytest.importorskip("reportlab")

CORPUS = Path(__file__).resolve().parent / "data" / "corpus"
FILES = ["panjin-2024-report.txt", "haiyan-2020-plan.txt"]
FORMATS = ["txt-gb18030", "html-utf8", "html-gb2312", "docx", "pdf", "ofd"]


def _build(kind: str, lines: list[str], base, out: Path) -> Path:
    title = lines[0]
    meta = base.meta
    page_kw = dict(
        title=title,
        issuer=meta.issuer or "",
        site=meta.city or meta.county or "某市",
        written=meta.date.isoformat() if meta.date else "",
        published=(meta.published or meta.date).isoformat() if (meta.published or meta.date) else "",
        doc_number=meta.doc_number or "",
    )
    if kind == "txt-gb18030":
        out = out.with_suffix(".txt")
        out.write_bytes("\n".join(lines).encode("gb18030"))
    elif kind == "html-utf8":
        out = out.with_suffix(".html")
        out.write_text(samples.html_page(lines[1:], **page_kw), "utf-8")
    elif kind == "html-gb2312":
        out = out.with_suffix(".htm")
        out.write_bytes(samples.html_page(lines[1:], charset="gb2312", **page_kw).encode("gb18030"))
    elif kind == "docx":
        out = samples.docx_file(out.with_suffix(".docx"), lines, title=title)
    elif kind == "pdf":
        out = samples.pdf_file(out.with_suffix(".pdf"), lines)
    elif kind == "ofd":
        out = samples.ofd_file(out.with_suffix(".ofd"), lines, title=title)
    return out


def _top(report) -> list[tuple[str, str]]:
    return [(s.heading, s.role) for s in report.sections]


def _metrics(report) -> Counter:
    return Counter((m.value, m.unit) for m in report.metrics)


@pytest.fixture(scope="module", params=FILES)
def baseline(request):
    path = CORPUS / request.param
    if not path.is_file():
        pytest.skip(f"corpus file {path} not present")
    return path, normalize(read(path))


@pytest.mark.parametrize("kind", FORMATS)
def test_same_report_in_every_format(baseline, kind, tmp_path):
    path, base = baseline
    lines = path.read_text("utf-8").splitlines()
    built = _build(kind, lines, base, tmp_path / path.stem)
    report = normalize(read(built))

    want = base.meta.model_dump(exclude={"published"})
    got = report.meta.model_dump(exclude={"published"})
    assert got == want, f"{kind}: meta differs"
    assert _top(report) == _top(base), f"{kind}: top-level sections differ"
    assert _metrics(report) == _metrics(base), f"{kind}: metrics differ"
