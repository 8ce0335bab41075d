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

_NEWLINE = re.compile(r"\r\n|\r|\n")


class ReadError(Exception):
    """An input that cannot be read. `str()` is one line, `<source>: <reason>`, fit for users."""

    def __init__(self, source: str, reason: str):
        self.source = str(source)
        self.reason = " ".join(str(reason).split())  # always one line
        super().__init__(f"{self.source}: {self.reason}")


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
    return zf


def read_member(zf: zipfile.ZipFile, name: str, source: str, kind: str) -> bytes:
    try:
        return zf.read(name)
    except KeyError:
        raise ReadError(source, f"not a valid {kind}: {name} is missing")
    except Exception as exc:  # noqa: BLE001 - CRC errors, bad compression, truncation
        raise ReadError(source, f"damaged {kind}: cannot unpack {name} ({exc.__class__.__name__})")


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
    """Build the RawDocument, refusing inputs that carry no text at all."""
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
