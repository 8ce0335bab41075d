"""Plain text: decode with the measured cascade (research/deps.md §4), then split lines as read.

BOM → utf-8 strict → gb18030 strict → the fewer-U+FFFD of utf-8/gb18030 with replacement;
charset-normalizer only when both of those look badly wrong (Big5, UTF-16 without a BOM…).
Any GB2312/GBK label means gb18030, its superset: government pages often say gb2312 while using
GBK-only characters.
"""

from __future__ import annotations

import codecs

from loguru import logger

from compliance.models import RawDocument
from compliance.readers.base import ReadError, check_text_size, finish, split_lines

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
_GB_LABELS = {"gb2312", "gbk", "gb18030", "x-gbk", "cp936", "ms936", "euc-cn", "gb_2312-80", "csgb2312", "windows-936"}
_UTF8_LABELS = {"utf-8", "utf8", "utf_8", "unicode-1-1-utf-8"}
# More than this share of U+FFFD in the best GB/UTF decode means the input is something else.
_BAD_REPLACEMENT_SHARE = 0.01
_MAGIC = (
    (b"%PDF", "a PDF"),
    (b"PK\x03\x04", "a zip package (docx/ofd?)"),
    (b"\xd0\xcf\x11\xe0", "a legacy Office file (.doc/.xls?)"),
    (b"\x89PNG", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF8", "a GIF image"),
    (b"\x7fELF", "an executable"),
)


def canonical_encoding(label: str | None) -> str | None:
    """Map a declared charset to the codec we decode with (GB family → gb18030)."""
    if not label:
        return None
    low = label.strip().strip("\"'").lower()
    if low in _GB_LABELS or low.startswith("gb"):
        return "gb18030"
    if low in _UTF8_LABELS:
        return "utf-8"
    try:
        return codecs.lookup(low).name
    except LookupError:
        return None


def _looks_binary(data: bytes) -> str | None:
    """Why `data` is not text, or None. Checked before decoding; UTF-16/32 with a BOM passes."""
    for magic, what in _MAGIC:
        if data.startswith(magic):
            return f"binary data ({what}), not text"
    sample = data[:65536]
    if b"\x00" in sample:
        return "binary data (NUL bytes), not text"
    controls = sum(1 for b in sample if b < 32 and b not in (9, 10, 12, 13, 27, 26))
    if controls > max(8, len(sample) * 0.05):
        return "binary data (control characters), not text"
    return None


def _utf16_without_bom(data: bytes) -> str | None:
    """UTF-16 without a BOM shows as NUL bytes in every other position for ASCII/line breaks."""
    sample = data[:4096]
    if len(sample) < 4:
        return None
    even_nul = sample[0::2].count(0) / max(1, len(sample[0::2]))
    odd_nul = sample[1::2].count(0) / max(1, len(sample[1::2]))
    if odd_nul > 0.2 and even_nul < 0.05:
        return "utf-16-le"
    if even_nul > 0.2 and odd_nul < 0.05:
        return "utf-16-be"
    return None


def decode(data: bytes, source: str, hint: str | None = None) -> tuple[str, str, list[str]]:
    """Decode bytes to text. Returns (text, encoding, warnings); raises ReadError on binary input.

    `hint` is a declared charset (HTML meta); it is tried strictly after utf-8 and before gb18030
    when it names neither, and otherwise changes nothing.
    """
    warnings: list[str] = []
    for bom, enc in _BOMS:
        if data.startswith(bom):
            try:
                return data[len(bom):].decode(enc.replace("-sig", "")), enc, warnings
            except UnicodeDecodeError:
                text = data[len(bom):].decode(enc.replace("-sig", ""), errors="replace")
                n = text.count("\ufffd")
                warnings.append(f"{n} undecodable byte sequence(s) replaced with U+FFFD ({enc})")
                return text, enc, warnings

    if b"\x00" in data[:65536]:
        utf16 = _utf16_without_bom(data)
        if utf16:
            enc = utf16
            try:
                text = data.decode(enc)
                if "\x00" not in text:
                    warnings.append(f"decoded as {enc} without a byte-order mark")
                    return text, enc, warnings
            except UnicodeDecodeError:
                pass
    why = _looks_binary(data)
    if why:
        raise ReadError(source, why)

    try:
        return data.decode("utf-8"), "utf-8", warnings
    except UnicodeDecodeError:
        pass
    hinted = canonical_encoding(hint)
    if hinted and hinted not in ("utf-8", "gb18030"):
        try:
            return data.decode(hinted), hinted, warnings
        except (UnicodeDecodeError, LookupError):
            pass
    try:
        return data.decode("gb18030"), "gb18030", warnings
    except UnicodeDecodeError:
        pass

    as_utf8 = data.decode("utf-8", errors="replace")
    as_gb = data.decode("gb18030", errors="replace")
    bad_utf8, bad_gb = as_utf8.count("\ufffd"), as_gb.count("\ufffd")
    text, enc, bad = (as_gb, "gb18030", bad_gb) if bad_gb < bad_utf8 else (as_utf8, "utf-8", bad_utf8)
    if bad <= max(2, len(text) * _BAD_REPLACEMENT_SHARE):
        warnings.append(f"{bad} undecodable byte sequence(s) replaced with U+FFFD ({enc})")
        return text, enc, warnings

    guess = _detect(data)
    if guess:
        try:
            text = data.decode(guess)
        except (UnicodeDecodeError, LookupError):
            text = ""
        # a single-byte codec decodes any garbage; only believe a guess that yields Chinese text
        if text and (_cjk_share(text) >= 0.2 or guess.startswith(("utf-16", "utf-32", "utf_16", "utf_32"))):
            warnings.append(f"not UTF-8 or GB18030; decoded as {guess} (detected)")
            return text, guess, warnings
    raise ReadError(
        source,
        f"cannot decode the text: {bad} undecodable byte sequences as {enc}; not UTF-8 or GB18030"
        + (f" (perhaps {guess})" if guess else ""),
    )


def _cjk_share(text: str) -> float:
    chars = [c for c in text if not c.isspace()]
    if not chars:
        return 0.0
    return sum(1 for c in chars if "\u3400" <= c <= "\u9fff") / len(chars)


def _detect(data: bytes) -> str | None:
    """charset-normalizer's best guess, mapped to our codec names; None when it has none."""
    try:
        from charset_normalizer import from_bytes
    except ImportError:  # pragma: no cover - a core dependency
        return None
    best = from_bytes(data[:200_000]).best()
    if best is None:
        return None
    enc = canonical_encoding(best.encoding)
    logger.debug(f"charset-normalizer guesses {best.encoding} → {enc}")
    return enc


def read_text(data: bytes, source: str) -> RawDocument:
    text, encoding, warnings = decode(data, source)
    if text.startswith("\ufeff"):
        text = text[1:]
    if not text.strip():
        raise ReadError(source, "contains no text" if text else "empty file")
    check_text_size(source, text)
    return finish(source, data, "txt", split_lines(text), encoding=encoding, warnings=warnings)
