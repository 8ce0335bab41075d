"""PDF with a text layer (pypdfium2): visual lines, page after page.

Lines stay as pdfium lays them out (a sentence may wrap mid-way; the normalizer re-joins
paragraphs). Bare page numbers at a page's top or bottom (- 3 -, 第3页 共8页, 3/8) are dropped:
they are print furniture and would split paragraphs across pages. A file with no extractable
text is a scan, which we refuse rather than OCR.
"""

from __future__ import annotations

import re

from loguru import logger

from compliance.models import RawDocument
from compliance.readers.base import ReadError, finish, split_lines

_PAGE_NUMBER = re.compile(
    r"^[\s\-—–－_·•]*(?:\d{1,4}|第\s*\d{1,4}\s*页(?:\s*[,，/]?\s*共\s*\d{1,4}\s*页)?|\d{1,4}\s*/\s*\d{1,4}"
    r"|page\s*\d{1,4}(?:\s*of\s*\d{1,4})?)[\s\-—–－_·•]*$",
    re.IGNORECASE,
)
# Below this many non-space characters per page on average, the text layer is noise (a scan
# with a stray OCR-less header, watermark digits): call it scanned.
_MIN_CHARS_PER_PAGE = 5


def read_pdf(data: bytes, source: str) -> RawDocument:
    if b"%PDF" not in data[:1024]:
        raise ReadError(source, "not a PDF (no %PDF header; the file may be damaged or misnamed)")
    import pypdfium2 as pdfium

    try:
        pdf = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        msg = str(exc)
        if "password" in msg.lower():
            raise ReadError(source, "the PDF is password-protected")
        raise ReadError(source, f"damaged or unreadable PDF ({msg})")
    lines: list[str] = []
    warnings: list[str] = []
    empty_pages: list[int] = []
    total_chars = 0
    try:
        n_pages = len(pdf)
        if n_pages == 0:
            raise ReadError(source, "the PDF has no pages")
        for index in range(n_pages):
            page = pdf[index]
            try:
                textpage = page.get_textpage()
                try:
                    text = textpage.get_text_bounded()
                finally:
                    textpage.close()
            finally:
                page.close()
            page_lines = [ln.strip() for ln in split_lines(text.replace("\x00", "")) if ln.strip()]
            chars = sum(len(re.sub(r"\s+", "", ln)) for ln in page_lines)
            total_chars += chars
            if not chars:
                empty_pages.append(index + 1)
            lines.extend(_drop_page_numbers(page_lines))
    except pdfium.PdfiumError as exc:
        raise ReadError(source, f"damaged PDF: text extraction failed ({exc})")
    finally:
        pdf.close()
    if total_chars < _MIN_CHARS_PER_PAGE * n_pages and total_chars < 200:
        raise ReadError(
            source,
            f"no extractable text in {n_pages} page(s): it looks like a scanned PDF, and OCR is not supported",
        )
    if empty_pages:
        shown = ", ".join(map(str, empty_pages[:10])) + (" …" if len(empty_pages) > 10 else "")
        warnings.append(f"page(s) {shown} have no text layer (scanned?); their content is not checked")
    logger.debug(f"{source}: {n_pages} pages, {len(lines)} lines")
    return finish(source, data, "pdf", lines, warnings=warnings)


def _drop_page_numbers(lines: list[str]) -> list[str]:
    out = list(lines)
    if out and _PAGE_NUMBER.match(out[-1]):
        out.pop()
    if out and _PAGE_NUMBER.match(out[0]):
        out.pop(0)
    return out
