"""Hostile inputs, generated: every class of issue 13 at a chosen size.

`tests/test_hostile.py` builds small versions (fast, same shape); `bench/hostile.py` builds the
full-size ones and runs them against the CLI with a timeout and a memory cap. Each generator
writes into a folder and returns the path it made.
"""

from __future__ import annotations

import io
import struct
import zipfile
import zlib
from pathlib import Path

REPORT = (
    "某市交通运输局2024年法治政府建设年度报告\n"
    "一、主要举措和成效\n"
    "本局深入学习贯彻习近平法治思想，全年办理行政许可1200件，行政处罚案件35件。\n"
    "二、存在的不足\n"
    "执法人员培训还不够充分。\n"
    "三、下一步工作安排\n"
    "继续推进严格规范公正文明执法。\n"
)

DOC_XML_HEAD = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>'
)
DOC_XML_TAIL = "</w:body></w:document>"
CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>'
    "</Types>"
)
RELS = (
    '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/>'
    "</Relationships>"
)


def _para(text: str) -> str:
    return f"<w:p><w:r><w:t>{text}</w:t></w:r></w:p>"


def docx_big_xml(folder: Path, xml_mb: int) -> Path:
    """A legal .docx whose document.xml inflates to `xml_mb` MB (repeated paragraphs)."""
    para = _para("本局持续推进依法行政，规范执法程序，全年开展执法培训十二次。")
    n = xml_mb * 1024 * 1024 // len(para.encode()) + 1
    path = folder / f"big-xml-{xml_mb}mb.docx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z:
        z.writestr("[Content_Types].xml", CONTENT_TYPES)
        z.writestr("_rels/.rels", RELS)
        with z.open("word/document.xml", "w", force_zip64=True) as fh:
            fh.write(DOC_XML_HEAD.encode())
            block = (para * 1000).encode()
            for _ in range(n // 1000 + 1):
                fh.write(block)
            fh.write(DOC_XML_TAIL.encode())
    return path


def docx_lying_header(folder: Path, inflated_mb: int) -> Path:
    """A .docx whose zip headers (local and central) claim document.xml is 1 KB while it inflates
    to `inflated_mb` MB: a reader that trusts the header is fooled."""
    path = docx_big_xml(folder, inflated_mb)
    data = bytearray(path.read_bytes())
    name = b"word/document.xml"
    # central directory entry: signature PK\1\2, uncompressed size at +24 (zip64 puts 0xFFFFFFFF there)
    i = data.find(b"PK\x01\x02")
    while i >= 0:
        n_len = struct.unpack_from("<H", data, i + 28)[0]
        if data[i + 46 : i + 46 + n_len] == name:
            struct.pack_into("<I", data, i + 24, 1024)
            x_len = struct.unpack_from("<H", data, i + 30)[0]
            extra = i + 46 + n_len
            j = extra
            while j < extra + x_len:  # zip64 extra field: uncompressed size first
                tag, size = struct.unpack_from("<HH", data, j)
                if tag == 1:
                    struct.pack_into("<Q", data, j + 4, 1024)
                j += 4 + size
        i = data.find(b"PK\x01\x02", i + 4)
    out = folder / f"lying-header-{inflated_mb}mb.docx"
    out.write_bytes(bytes(data))
    path.unlink()
    return out


def ofd_page_refs(folder: Path, pages: int) -> Path:
    """An OFD whose Document.xml lists one page `pages` times."""
    ns = 'xmlns:ofd="http://www.ofdspec.org/2016"'
    ofd = f'<?xml version="1.0" encoding="UTF-8"?><ofd:OFD {ns} Version="1.0"><ofd:DocBody><ofd:DocRoot>Doc_0/Document.xml</ofd:DocRoot></ofd:DocBody></ofd:OFD>'
    page_ref = '<ofd:Page ID="2" BaseLoc="Pages/Page_0/Content.xml"/>'
    doc = (f'<?xml version="1.0" encoding="UTF-8"?><ofd:Document {ns}><ofd:CommonData><ofd:MaxUnitID>9</ofd:MaxUnitID>'
           f'<ofd:PageArea><ofd:PhysicalBox>0 0 210 297</ofd:PhysicalBox></ofd:PageArea></ofd:CommonData>'
           f"<ofd:Pages>{page_ref * pages}</ofd:Pages></ofd:Document>")
    texts = "".join(
        f'<ofd:TextObject ID="{10 + i}" Boundary="20 {20 + 8 * i} 170 8" Font="3" Size="5"><ofd:TextCode X="0" Y="5">{line}</ofd:TextCode></ofd:TextObject>'
        for i, line in enumerate(REPORT.splitlines())
    )
    content = (f'<?xml version="1.0" encoding="UTF-8"?><ofd:Page {ns}><ofd:Content><ofd:Layer ID="5">{texts}'
               "</ofd:Layer></ofd:Content></ofd:Page>")
    path = folder / f"page-refs-{pages}.ofd"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("OFD.xml", ofd)
        z.writestr("Doc_0/Document.xml", doc)
        z.writestr("Doc_0/Pages/Page_0/Content.xml", content)
    return path


def html_nested(folder: Path, depth: int) -> Path:
    body = "".join(f"<p>{line}</p>" for line in REPORT.splitlines())
    path = folder / f"nested-{depth}.html"
    path.write_text(f"<html><body>{'<div>' * depth}{body}{'</div>' * depth}</body></html>", encoding="utf-8")
    return path


def _pdf(content_stream: bytes, filtered: bool) -> bytes:
    """A one-page PDF whose page content is `content_stream` (already Flate-compressed if `filtered`)."""
    objs = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length " + str(len(content_stream)).encode() + (b" /Filter /FlateDecode" if filtered else b"") + b" >>\nstream\n"
        + content_stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for i, body in enumerate(objs, 1):
        offsets.append(out.tell())
        out.write(f"{i} 0 obj\n".encode() + body + b"\nendobj\n")
    xref = out.tell()
    out.write(f"xref\n0 {len(objs) + 1}\n0000000000 65535 f \n".encode())
    for off in offsets:
        out.write(f"{off:010d} 00000 n \n".encode())
    out.write(f"trailer\n<< /Size {len(objs) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode())
    return out.getvalue()


def _deflate_repeated(chunk: bytes, total: int) -> bytes:
    c = zlib.compressobj(9)
    parts = []
    block = chunk * (1024 * 1024 // len(chunk) + 1)
    left = total
    while left > 0:
        piece = block[: min(left, len(block))]
        parts.append(c.compress(piece))
        left -= len(piece)
    parts.append(c.flush())
    return b"".join(parts)


def pdf_bomb(folder: Path, inflated_mb: int) -> Path:
    """A PDF whose page content stream inflates to `inflated_mb` MB of spaces."""
    path = folder / f"bomb-{inflated_mb}mb.pdf"
    path.write_bytes(_pdf(_deflate_repeated(b" ", inflated_mb * 1024 * 1024), True))
    return path


def pdf_many_ops(folder: Path, operators: int) -> Path:
    """A PDF whose one page draws `operators` text-showing operators."""
    op = b"BT /F1 1 Tf 10 10 Td (a) Tj ET\n"
    path = folder / f"ops-{operators}.pdf"
    path.write_bytes(_pdf(_deflate_repeated(op, operators * len(op)), True))
    return path


def txt_many_lines(folder: Path, lines: int) -> Path:
    path = folder / f"lines-{lines}.txt"
    path.write_bytes(REPORT.encode() + "短行\n".encode() * lines)
    return path


def txt_long_line(folder: Path, mb: int) -> Path:
    path = folder / f"long-line-{mb}mb.txt"
    unit = "依法行政，规范执法。".encode()
    path.write_bytes(REPORT.encode() + unit * (mb * 1024 * 1024 // len(unit)))
    return path


def report_txt(folder: Path, name: str = "ok.txt") -> Path:
    path = folder / name
    path.write_text(REPORT, encoding="utf-8")
    return path


def ruleset_yaml(body: str, name: str = "hostile") -> str:
    """A minimal valid ruleset with one presence rule whose cue is `cue` (body is extra YAML)."""
    return (
        f"name: {name}\nversion: '1'\n{body}"
    )


def catastrophic_ruleset(cue: str) -> str:
    return (
        "name: hostile\nversion: '1'\nextends: national\n"
        "rules:\n"
        "  - id: HX-01\n    family: AR\n    title: 恶意线索\n    severity: minor\n    points: 1\n"
        "    applies_to: [annual_report]\n    remediation: 无\n"
        "    basis: [测试]\n    message: {default: 有, met: 有, missing: 无}\n"
        f"    evidence:\n      met:\n        - presence: {{any: ['{cue}']}}\n"
    )
