"""What every reader shares: the one-line error, the size limit, zip-bomb checks, line splitting."""

from __future__ import annotations

import hashlib
import io
import os
import re
import zipfile

from loguru import logger

from compliance.models import Format, RawDocument

DEFAULT_MAX_BYTES = 20 * 1024 * 1024
# A zip container (docx, ofd) may expand to this many times the input limit in total, and no member
# over 1 MB may expand more than this ratio: real docx XML compresses 5-30x, bombs 1000x and more.
ZIP_TOTAL_FACTOR = 10
ZIP_MAX_RATIO = 200

# What one input may expand to, whatever its size on disk: past these a reader stops with one
# "超出限制" (limit exceeded) error for that file. A real report is 10–50 thousand characters,
# a few hundred to a few thousand lines, and at most a few hundred pages.
MAX_LINES = 50_000
MAX_LINE_CHARS = 100_000
MAX_TEXT_CHARS = 1_000_000
MAX_PAGES = 2_000
MAX_ZIP_MEMBERS = 10_000
MAX_ZIP_MEMBER_BYTES = 64 * 1024 * 1024  # one XML part, inflated (a docx's document.xml is ~1 MB)
ZIP_READ_FACTOR = 5  # all members inflated, and all reads of them, at most this times the input limit

_NEWLINE = re.compile(r"\r\n|\r|\n")


class ReadError(Exception):
    """An input that cannot be read. `str()` is one line, `<source>: <reason>`, fit for users."""

    def __init__(self, source: str, reason: str):
        self.source = str(source)
        self.reason = " ".join(str(reason).split())  # always one line
        super().__init__(f"{self.source}: {self.reason}")


def over_limit(source: str, zh: str, en: str) -> ReadError:
    """The error for an input past one of our limits: Chinese first, then English."""
    return ReadError(source, f"超出限制: {zh} (limit exceeded: {en})")


def check_text_size(source: str, text: str) -> None:
    """Refuse decoded text too long or with too many lines before anything splits or parses it."""
    if len(text) > MAX_TEXT_CHARS:
        raise over_limit(source, f"文字超过 {MAX_TEXT_CHARS:,} 字", f"more than {MAX_TEXT_CHARS:,} characters of text")
    if max(text.count("\n"), text.count("\r")) > MAX_LINES:
        raise over_limit(source, f"超过 {MAX_LINES:,} 行", f"more than {MAX_LINES:,} lines")


def check_lines(source: str, lines: list[str]) -> None:
    if len(lines) > MAX_LINES:
        raise over_limit(source, f"超过 {MAX_LINES:,} 行", f"more than {MAX_LINES:,} lines")
    total = 0
    for i, line in enumerate(lines, 1):
        if len(line) > MAX_LINE_CHARS:
            raise over_limit(source, f"第 {i} 行超过 {MAX_LINE_CHARS:,} 字", f"line {i} is longer than {MAX_LINE_CHARS:,} characters")
        total += len(line)
    if total > MAX_TEXT_CHARS:
        raise over_limit(source, f"文字超过 {MAX_TEXT_CHARS:,} 字", f"more than {MAX_TEXT_CHARS:,} characters of text")


def max_bytes() -> int:
    """The input size limit; `COMPLIANCE_MAX_BYTES` overrides the 20 MB default."""
    raw = os.environ.get("COMPLIANCE_MAX_BYTES", "").strip()
    if raw:
        try:
            value = int(raw)
            if value > 0:
                return value
        except ValueError:
            pass
        logger.warning(f"ignoring COMPLIANCE_MAX_BYTES={raw!r}: not a positive integer")
    return DEFAULT_MAX_BYTES


def human_size(n: int) -> str:
    if n >= 1024 * 1024:
        return f"{n / (1024 * 1024):.1f} MB"
    if n >= 1024:
        return f"{n / 1024:.1f} KB"
    return f"{n} bytes"


def check_size(source: str, size: int) -> None:
    limit = max_bytes()
    if size > limit:
        raise ReadError(
            source,
            f"file is {human_size(size)}, above the {human_size(limit)} limit (set COMPLIANCE_MAX_BYTES to raise it)",
        )


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def split_lines(text: str) -> list[str]:
    """Lines as an editor shows them: CRLF, LF and lone CR all end a line; a final newline adds none."""
    lines = _NEWLINE.split(text)
    if lines and lines[-1] == "":
        lines.pop()
    return lines


def open_zip(data: bytes, source: str, kind: str) -> zipfile.ZipFile:
    """Open a zip container after checking its declared sizes, so a bomb is refused unopened."""
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile:
        raise ReadError(source, f"not a valid {kind} (not a zip package; the file may be damaged or misnamed)")
    except Exception as exc:  # noqa: BLE001 - zipfile raises assorted errors on garbage
        raise ReadError(source, f"not a valid {kind} ({exc.__class__.__name__}: {exc})")
    infos = zf.infolist()
    total = sum(i.file_size for i in infos)
    limit = max_bytes() * ZIP_TOTAL_FACTOR
    if total > limit:
        raise ReadError(
            source,
            f"refusing to unpack {kind}: it declares {human_size(total)} uncompressed (limit {human_size(limit)}); possible zip bomb",
        )
    for info in infos:
        if info.file_size > 1024 * 1024 and info.file_size > ZIP_MAX_RATIO * max(info.compress_size, 1):
            raise ReadError(
                source,
                f"refusing to unpack {kind}: member {info.filename} expands {info.file_size // max(info.compress_size, 1)}x; possible zip bomb",
            )
    if len(infos) > MAX_ZIP_MEMBERS:
        raise over_limit(source, f"压缩包内超过 {MAX_ZIP_MEMBERS:,} 个文件", f"the {kind} package holds more than {MAX_ZIP_MEMBERS:,} parts")
    # the headers may lie: inflate every member once, counting the bytes that really come out
    zf._compliance_budget = max_bytes() * ZIP_READ_FACTOR  # type: ignore[attr-defined]
    for info in infos:
        if not info.is_dir():
            _inflate(zf, info.filename, source, kind, keep=False)
    zf._compliance_budget = max_bytes() * ZIP_READ_FACTOR  # type: ignore[attr-defined]
    return zf


def _inflate(zf: zipfile.ZipFile, name: str, source: str, kind: str, keep: bool = True) -> bytes:
    """A member's bytes (or only their count), inflated in chunks: stops at the per-member limit
    and at what is left of the package's budget, never trusting the sizes the zip declares."""
    budget = getattr(zf, "_compliance_budget", max_bytes() * ZIP_READ_FACTOR)
    cap = min(MAX_ZIP_MEMBER_BYTES, budget)
    chunks: list[bytes] = []
    got = 0
    try:
        with zf.open(name) as fh:
            while True:
                chunk = fh.read(1 << 20)
                if not chunk:
                    break
                got += len(chunk)
                if got > cap:
                    what = (f"{name} 解压后超过 {human_size(MAX_ZIP_MEMBER_BYTES)}", f"{name} inflates past {human_size(MAX_ZIP_MEMBER_BYTES)}") \
                        if got > MAX_ZIP_MEMBER_BYTES else \
                        (f"解压总量超过 {human_size(max_bytes() * ZIP_READ_FACTOR)}", f"the {kind} inflates past {human_size(max_bytes() * ZIP_READ_FACTOR)} in all")
                    raise over_limit(source, what[0] + "，疑似压缩炸弹", what[1] + "; possible zip bomb")
                if keep:
                    chunks.append(chunk)
    except ReadError:
        raise
    except KeyError:
        raise ReadError(source, f"not a valid {kind}: {name} is missing")
    except Exception as exc:  # noqa: BLE001 - CRC errors, bad compression, truncation, encryption
        raise ReadError(source, f"damaged {kind}: cannot unpack {name} ({exc.__class__.__name__})")
    zf._compliance_budget = budget - got  # type: ignore[attr-defined]
    return b"".join(chunks)


def read_member(zf: zipfile.ZipFile, name: str, source: str, kind: str) -> bytes:
    """A member's bytes; every read counts against the package's budget (an OFD naming one page
    200,000 times reads it 200,000 times)."""
    return _inflate(zf, name, source, kind)


def finish(
    source: str,
    data: bytes,
    fmt: Format,
    lines: list[str],
    *,
    encoding: str | None = None,
    hints: dict[str, str] | None = None,
    warnings: list[str] | None = None,
) -> RawDocument:
    """Build the RawDocument, refusing inputs that carry no text at all, or too much."""
    check_lines(source, lines)
    if not any(line.strip() for line in lines):
        raise ReadError(source, "contains no text")
    return RawDocument(
        source=source,
        sha256=sha256(data),
        format=fmt,
        encoding=encoding,
        lines=lines,
        hints={k: v for k, v in (hints or {}).items() if v},
        warnings=list(warnings or []),
    )
