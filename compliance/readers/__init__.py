"""Readers: one module per input format, all producing a `RawDocument` of lines as read.

`read(path)` and `read_bytes(data, name)` pick the reader by extension, checked against the
file's magic bytes (a .doc that is really a docx, HTML or RTF is read as what it is). Anything
unreadable raises `ReadError`, whose `str()` is one line naming the file and the problem.
Format modules are imported lazily so the CLI starts fast.
"""

from __future__ import annotations

import os
from pathlib import Path

from loguru import logger

from compliance.models import RawDocument
from compliance.readers.base import ReadError, check_size, max_bytes

__all__ = ["read", "read_bytes", "ReadError", "SUPPORTED_EXTENSIONS", "max_bytes"]

TEXT_EXTENSIONS = (".txt", ".text", ".md")
HTML_EXTENSIONS = (".html", ".htm", ".shtml", ".xhtml")
LEGACY_EXTENSIONS = (".doc", ".wps")
SUPPORTED_EXTENSIONS: tuple[str, ...] = (
    *TEXT_EXTENSIONS,
    *HTML_EXTENSIONS,
    ".docx",
    ".pdf",
    ".ofd",
    *LEGACY_EXTENSIONS,
)


def read(path: str | os.PathLike[str]) -> RawDocument:
    """Read a regular file from disk (a FIFO or device is refused unread); the size is checked
    with fstat before any byte is read, and counted while reading."""
    from compliance.safeio import NotRegularError, TooLargeError, read_regular

    source = str(path)
    p = Path(path)
    try:
        st = p.stat()
    except FileNotFoundError:
        raise ReadError(source, "no such file")
    except PermissionError:
        raise ReadError(source, "permission denied")
    except OSError as exc:
        raise ReadError(source, f"cannot open: {exc.strerror or exc}")
    if p.is_dir():
        raise ReadError(source, "is a directory, not a file")
    _check_extension(source, p.suffix)
    check_size(source, st.st_size)
    try:
        data = read_regular(p, max_bytes())
    except FileNotFoundError:
        raise ReadError(source, "no such file")
    except PermissionError:
        raise ReadError(source, "permission denied")
    except NotRegularError as exc:
        raise ReadError(source, f"not a regular file ({(exc.strerror or 'special file').split(',')[0]}); only regular files are read")
    except TooLargeError:  # it grew since the stat above
        check_size(source, max_bytes() + 1)
        raise
    except OSError as exc:
        raise ReadError(source, f"cannot read: {exc.strerror or exc}")
    return _dispatch(data, source, p.suffix)


def read_bytes(data: bytes, name: str) -> RawDocument:
    """Read an upload; `name` (the client's file name) gives the extension and the `source`."""
    source = name or "upload"
    suffix = Path(source).suffix
    _check_extension(source, suffix)
    check_size(source, len(data))
    return _dispatch(bytes(data), source, suffix)


def _check_extension(source: str, suffix: str) -> None:
    if suffix.lower() not in SUPPORTED_EXTENSIONS:
        shown = f"'{suffix}'" if suffix else "(no extension)"
        raise ReadError(source, f"unsupported file type {shown}; supported: {' '.join(SUPPORTED_EXTENSIONS)}")


def _dispatch(data: bytes, source: str, suffix: str) -> RawDocument:
    if not data:
        raise ReadError(source, "empty file")
    kind = _kind(data, suffix.lower())
    logger.debug(f"{source}: reading as {kind}")
    try:
        if kind == "text":
            from compliance.readers.plain import read_text

            return read_text(data, source)
        if kind == "html":
            from compliance.readers.html import read_html

            return read_html(data, source)
        if kind == "docx":
            from compliance.readers.docx import read_docx

            return read_docx(data, source)
        if kind == "pdf":
            from compliance.readers.pdf import read_pdf

            return read_pdf(data, source)
        if kind == "ofd":
            from compliance.readers.ofd import read_ofd

            return read_ofd(data, source)
        from compliance.readers.legacy import read_legacy

        return read_legacy(data, source, suffix.lower())
    except ReadError:
        raise
    except MemoryError:
        raise ReadError(source, "超出限制: 读取时内存不足 (limit exceeded: out of memory while reading; COMPLIANCE_MAX_MEMORY_MB)")
    except Exception as exc:  # noqa: BLE001 - a reader bug or a library choking on garbage
        logger.debug(f"{source}: reader failed", exc_info=True)
        raise ReadError(source, f"cannot read as {kind}: {exc.__class__.__name__}: {exc}")


def _kind(data: bytes, suffix: str) -> str:
    """The reader to use: the extension's, unless the bytes plainly say otherwise."""
    head = data[:1024]
    if suffix in TEXT_EXTENSIONS:
        return "text"
    if suffix in HTML_EXTENSIONS:
        return "html"
    if suffix == ".pdf":
        return "pdf"
    if suffix == ".ofd":
        return "ofd"
    if suffix == ".docx":
        return "legacy" if head.startswith(b"\xd0\xcf\x11\xe0") else "docx"
    # .doc / .wps: government sites often serve Word-saved HTML or a renamed docx under .doc
    if head.startswith(b"PK\x03\x04") and suffix == ".doc":
        return "docx"
    low = head.lstrip().lower()
    if low.startswith((b"<html", b"<!doctype html")) or b"<html" in low[:512]:
        return "html"
    return "legacy"
