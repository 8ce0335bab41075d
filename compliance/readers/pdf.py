"""PDF with a text layer (pypdfium2): visual lines, page after page.

Lines stay as pdfium lays them out (a sentence may wrap mid-way; the normalizer re-joins
paragraphs). Bare page numbers at a page's top or bottom (- 3 -, 第3页 共8页, 3/8) are dropped:
they are print furniture and would split paragraphs across pages. A file with no extractable
text is a scan, which we refuse rather than OCR.
"""

from __future__ import annotations

import re
from collections import Counter

from loguru import logger

from compliance.models import RawDocument
from compliance.readers.base import MAX_PAGES, MAX_TEXT_CHARS, ReadError, finish, human_size, over_limit, split_lines

_PAGE_NUMBER = re.compile(
    r"^[\s\-—–－_·•]*(?:\d{1,4}|第\s*\d{1,4}\s*页(?:\s*[,，/]?\s*共\s*\d{1,4}\s*页)?|\d{1,4}\s*/\s*\d{1,4}"
    r"|page\s*\d{1,4}(?:\s*of\s*\d{1,4})?)[\s\-—–－_·•]*$",
    re.IGNORECASE,
)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\ufeff]")
_DIGITS = re.compile(r"\d+")
_STAMP = re.compile(r"^\d{2,4}[/.-]\d{1,2}[/.-]\d{1,2}\s*\d{1,2}:\d{2}|https?://|www\.|\d{1,4}\s*/\s*\d{1,4}\s*$", re.I)
_URL_FOOTER = re.compile(r"^(?:https?://|www\.)\S+(?:\s+\d{1,4}\s*/\s*\d{1,4})?$", re.IGNORECASE)
_MAX_UNMAPPED_SHARE = 0.3
# Below this many non-space characters per page on average, the text layer is noise (a scan
# with a stray OCR-less header, watermark digits): call it scanned.
_MIN_CHARS_PER_PAGE = 5


# Inflated bytes a PDF stream may hold before pdfium sees the file: content streams (page text
# operators, object streams) are kilobytes per page in real reports; images and embedded fonts
# are larger. A bomb's stream inflates to gigabytes (deflate reaches ~1000:1).
MAX_CONTENT_STREAM = 16 * 1024 * 1024
MAX_BINARY_STREAM = 128 * 1024 * 1024
MAX_INFLATED_TOTAL = 512 * 1024 * 1024
_STREAM = re.compile(rb"(?<!end)stream\r?\n")
_BINARY_STREAM = (b"/Image", b"/Length1", b"/FontFile", b"/Type1C", b"/CIDFontType0C", b"/OpenType")


def check_streams(data: bytes, source: str) -> None:
    """Inflate every Flate stream once, counting the bytes that come out (and keeping none), so a
    decompression bomb or a page of millions of operators is refused before pdfium parses it."""
    import zlib

    total = 0
    for m in _STREAM.finditer(data):
        head = data[max(0, m.start() - 2048) : m.start()]
        head = head[head.rfind(b" obj") + 1 :] if b" obj" in head else head
        binary = any(k in head for k in _BINARY_STREAM)
        cap = MAX_BINARY_STREAM if binary else MAX_CONTENT_STREAM
        d = zlib.decompressobj()
        pos, got = m.end(), 0
        try:
            while pos < len(data) and not d.eof:
                out = d.decompress(data[pos : pos + 65536], cap + 1 - got)
                got += len(out)
                while d.unconsumed_tail and got <= cap:  # output was capped: drain what is pending
                    out = d.decompress(d.unconsumed_tail, cap + 1 - got)
                    got += len(out)
                if got > cap:
                    kind = ("图像或字体流", "an image or font stream") if binary else ("内容流", "a content stream")
                    raise over_limit(source, f"PDF 的{kind[0]}解压后超过 {human_size(cap)}，疑似解压炸弹",
                                     f"{kind[1]} of the PDF inflates past {human_size(cap)}; possible decompression bomb")
                pos += 65536
        except zlib.error:
            pass  # not Flate (an image codec, plain text) or garbage: pdfium judges it
        total += got
        if total > MAX_INFLATED_TOTAL:
            raise over_limit(source, f"PDF 解压总量超过 {human_size(MAX_INFLATED_TOTAL)}",
                             f"the PDF's streams inflate past {human_size(MAX_INFLATED_TOTAL)} in all")


def read_pdf(data: bytes, source: str) -> RawDocument:
    if b"%PDF" not in data[:1024]:
        raise ReadError(source, "not a PDF (no %PDF header; the file may be damaged or misnamed)")
    import pypdfium2 as pdfium

    check_streams(data, source)
    try:
        pdf = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        msg = str(exc)
        if "password" in msg.lower():
            raise ReadError(source, "the PDF is password-protected")
        raise ReadError(source, f"damaged or unreadable PDF ({msg})")
    pages: list[list[str]] = []
    warnings: list[str] = []
    empty_pages: list[int] = []
    total_chars = 0
    try:
        n_pages = len(pdf)
        if n_pages == 0:
            raise ReadError(source, "the PDF has no pages")
        if n_pages > MAX_PAGES:
            raise over_limit(source, f"超过 {MAX_PAGES:,} 页", f"more than {MAX_PAGES:,} pages")
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
            page_lines = [ln.strip() for ln in split_lines(_CONTROL.sub("", text)) if ln.strip()]
            chars = sum(len(re.sub(r"\s+", "", ln)) for ln in page_lines)
            total_chars += chars
            if total_chars > MAX_TEXT_CHARS:
                raise over_limit(source, f"文字超过 {MAX_TEXT_CHARS:,} 字", f"more than {MAX_TEXT_CHARS:,} characters of text")
            if not chars:
                empty_pages.append(index + 1)
            pages.append(_drop_page_numbers(page_lines))
    except pdfium.PdfiumError as exc:
        raise ReadError(source, f"damaged PDF: text extraction failed ({exc})")
    finally:
        pdf.close()
    if total_chars < _MIN_CHARS_PER_PAGE * n_pages and total_chars < 200:
        raise ReadError(
            source,
            f"no extractable text in {n_pages} page(s): it looks like a scanned PDF, and OCR is not supported",
        )
    lines = [ln for page_lines in _drop_running_lines(pages) for ln in page_lines]
    bad = unmapped_share(lines)
    if bad > _MAX_UNMAPPED_SHARE:
        raise ReadError(
            source,
            f"the text layer is unusable ({bad:.0%} of characters have no Unicode mapping; fonts embedded "
            "without ToUnicode): export the PDF again from the source document; OCR is not supported",
        )
    if empty_pages:
        shown = ", ".join(map(str, empty_pages[:10])) + (" …" if len(empty_pages) > 10 else "")
        warnings.append(f"page(s) {shown} have no text layer (scanned?); their content is not checked")
    logger.debug(f"{source}: {n_pages} pages, {len(lines)} lines")
    return finish(source, data, "pdf", lines, warnings=warnings)


def _drop_running_lines(pages: list[list[str]]) -> list[list[str]]:
    """Drop running headers/footers: the same first (or last) line, digits aside, on most pages.

    Browsers' print-to-PDF stamps every page with the date and title on top and the URL and
    "1/8" below; some offices print a header line on each page.
    """
    if len(pages) < 2:
        return pages
    need = max(2, int(0.6 * len(pages) + 0.5))
    out = [list(p) for p in pages]
    for pos in (0, -1):
        for _ in range(2):  # header and footer may be two lines deep (date line + title line)
            keys = Counter(_running_key(p[pos]) for p in out if p)
            common = {k for k, n in keys.items() if n >= need}
            if not common:
                break
            for p in out:
                if p and _running_key(p[pos]) in common:
                    p.pop(pos)
    for p in out:
        while p and _URL_FOOTER.match(p[-1]):
            p.pop()
    return out


def unmapped_share(lines: list[str]) -> float:
    """Share of characters pdfium could not map to Unicode (private-use area, U+FFFD): high when
    a producer embedded subset fonts without a ToUnicode table."""
    chars = [c for ln in lines for c in ln if not c.isspace()]
    if not chars:
        return 0.0
    return sum(1 for c in chars if "\ue000" <= c <= "\uf8ff" or c == "\ufffd") / len(chars)


def _running_key(line: str) -> str:
    """Compare running lines exactly, except print stamps (date-time, URL, n/m) whose digits vary."""
    if _STAMP.search(line):
        return _DIGITS.sub("#", line)
    return line


def _drop_page_numbers(lines: list[str]) -> list[str]:
    out = list(lines)
    if out and _PAGE_NUMBER.match(out[-1]):
        out.pop()
    if out and _PAGE_NUMBER.match(out[0]):
        out.pop(0)
    return out
