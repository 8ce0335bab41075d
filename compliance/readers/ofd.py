"""OFD (GB/T 33190), China's fixed-layout format: a zip of XML parts.

OFD.xml → DocBody/DocRoot → Document.xml → Pages/Page@BaseLoc → each page's Content.xml, whose
TextObject/TextCode elements carry text at positions. Like a PDF, the text comes as visual lines:
we order fragments by page, then y, then x, and group fragments whose baselines agree into one
line. Page templates (running headers, watermarks) are skipped. Namespaces vary between producers,
so elements are matched by local name.
"""

from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass

from loguru import logger
from lxml import etree

from compliance.models import RawDocument
from compliance.readers.base import MAX_PAGES, ReadError, finish, open_zip, over_limit, read_member

_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, remove_comments=True)


@dataclass
class _Frag:
    page: int
    y: float
    x: float
    text: str
    size: float
    width: float


def _local(el) -> str:
    return etree.QName(el).localname if isinstance(el.tag, str) else ""


def _children(el, name: str):
    return [c for c in el if _local(c) == name]


def _first(el, *path: str):
    for name in path:
        if el is None:
            return None
        found = _children(el, name)
        el = found[0] if found else None
    return el


def _parse(data: bytes, source: str, name: str):
    try:
        return etree.fromstring(data, _PARSER)
    except etree.XMLSyntaxError as exc:
        raise ReadError(source, f"damaged OFD: {name} is not valid XML ({exc.msg})")


def _resolve(base_dir: str, loc: str) -> str:
    loc = loc.strip().replace("\\", "/")
    path = loc.lstrip("/") if loc.startswith("/") else posixpath.join(base_dir, loc)
    return posixpath.normpath(path).lstrip("/")


def _floats(s: str | None) -> list[float]:
    out = []
    for tok in (s or "").split():
        try:
            out.append(float(tok))
        except ValueError:
            pass
    return out


def _advance(delta: str | None, n_chars: int, size: float) -> float:
    """Width of a TextCode from its DeltaX ("g 3 4.2" repeats 4.2 three times), else n × size."""
    if not delta:
        return n_chars * size
    toks = delta.split()
    total, count, i = 0.0, 0, 0
    try:
        while i < len(toks):
            if toks[i] == "g":
                reps, val = int(toks[i + 1]), float(toks[i + 2])
                total += reps * val
                count += reps
                i += 3
            else:
                total += float(toks[i])
                count += 1
                i += 1
    except (IndexError, ValueError):
        return n_chars * size
    return total + max(0, n_chars - count) * size


def _page_fragments(root, page_no: int) -> list[_Frag]:
    frags: list[_Frag] = []
    for obj in root.iter():
        if _local(obj) != "TextObject":
            continue
        box = _floats(obj.get("Boundary"))
        bx, by = (box[0], box[1]) if len(box) >= 2 else (0.0, 0.0)
        size = (_floats(obj.get("Size")) or [3.5])[0]
        x = y = 0.0
        for code in obj:
            if _local(code) != "TextCode":
                continue
            text = "".join(code.itertext())
            if code.get("X") is not None:
                x = (_floats(code.get("X")) or [x])[0]
            if code.get("Y") is not None:
                y = (_floats(code.get("Y")) or [y])[0]
            if text.strip():
                width = _advance(code.get("DeltaX"), len(text), size)
                frags.append(_Frag(page_no, by + y, bx + x, text, size, width))
    return frags


def _lines(frags: list[_Frag]) -> list[str]:
    """Group fragments into visual lines: same page and baselines within half a font size."""
    frags.sort(key=lambda f: (f.page, f.y, f.x))
    groups: list[list[_Frag]] = []
    for f in frags:
        if groups:
            g = groups[-1]
            ref = g[0]
            if ref.page == f.page and abs(f.y - ref.y) <= max(0.5 * min(ref.size, f.size), 0.3):
                g.append(f)
                continue
        groups.append([f])
    lines: list[str] = []
    for g in groups:
        g.sort(key=lambda f: f.x)
        parts = [g[0].text]
        end = g[0].x + g[0].width
        for f in g[1:]:
            if f.x - end > f.size:
                parts.append(" ")
            parts.append(f.text)
            end = max(end, f.x + f.width)
        line = re.sub(r"\s+", " ", "".join(parts)).strip()
        if line:
            lines.append(line)
    return lines


def read_ofd(data: bytes, source: str) -> RawDocument:
    zf = open_zip(data, source, "OFD")
    names = {n.lstrip("/"): n for n in zf.namelist()}
    entry = next((n for n in names if n.lower() == "ofd.xml"), None)
    if entry is None:
        raise ReadError(source, "not an OFD package: OFD.xml is missing")
    root = _parse(read_member(zf, names[entry], source, "OFD"), source, "OFD.xml")
    body = _first(root, "DocBody")
    doc_root = _first(body, "DocRoot")
    if doc_root is None or not (doc_root.text or "").strip():
        raise ReadError(source, "not a valid OFD: OFD.xml names no DocRoot")
    doc_path = _resolve("", doc_root.text)
    if doc_path not in names:
        raise ReadError(source, f"not a valid OFD: {doc_path} is missing")
    document = _parse(read_member(zf, names[doc_path], source, "OFD"), source, doc_path)
    doc_dir = posixpath.dirname(doc_path)

    frags: list[_Frag] = []
    pages = _first(document, "Pages")
    page_els = _children(pages, "Page") if pages is not None else []
    if not page_els:
        raise ReadError(source, "not a valid OFD: the document has no pages")
    if len(page_els) > MAX_PAGES:
        raise over_limit(source, f"超过 {MAX_PAGES:,} 页", f"more than {MAX_PAGES:,} pages")
    for page_no, page in enumerate(page_els, 1):
        loc = page.get("BaseLoc")
        if not loc:
            continue
        path = _resolve(doc_dir, loc)
        if path not in names:
            raise ReadError(source, f"damaged OFD: page {page_no} content {path} is missing")
        content = _parse(read_member(zf, names[path], source, "OFD"), source, path)
        frags.extend(_page_fragments(content, page_no))
    if not frags:
        raise ReadError(source, "the OFD has no text objects: it looks like a scanned document, and OCR is not supported")
    lines = _lines(frags)
    logger.debug(f"{source}: {len(page_els)} OFD pages, {len(lines)} lines")
    return finish(source, data, "ofd", lines, hints=_doc_info(body))


def _doc_info(body) -> dict[str, str]:
    info = _first(body, "DocInfo")
    hints: dict[str, str] = {}
    for name, key in (("Title", "title"), ("Author", "author"), ("CreationDate", "created")):
        el = _first(info, name)
        if el is not None and (el.text or "").strip():
            hints[key] = el.text.strip()
    return hints
