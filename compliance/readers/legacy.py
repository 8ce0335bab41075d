"""Legacy Word .doc and WPS .wps, common on government sites: no Python library reads them, so
convert with LibreOffice (to .docx, then the docx reader, which also resolves numbering), or for
.doc fall back to antiword / catdoc. Without any of them the error says what to install.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from loguru import logger

from compliance.models import RawDocument
from compliance.readers.base import ReadError, finish, sha256, split_lines

_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
CONVERT_TIMEOUT = 120  # seconds; LibreOffice's first start builds a profile and is slow


def read_legacy(data: bytes, source: str, suffix: str) -> RawDocument:
    kind = "WPS" if suffix == ".wps" else "Word 97-2003"
    office = shutil.which("soffice") or shutil.which("libreoffice")
    if office:
        return _via_libreoffice(office, data, source, suffix)
    # WPS Office writes .wps in the Word 97 binary (OLE) format, which the text tools read too
    if suffix != ".wps" or data.startswith(_OLE):
        for tool, args in (("antiword", ["-w", "0", "-m", "UTF-8.txt"]), ("catdoc", ["-w", "-d", "utf-8"])):
            exe = shutil.which(tool)
            if exe:
                return _via_text_tool(exe, tool, args, data, source)
    extra = "" if suffix == ".wps" else " (or: apt-get install antiword)"
    raise ReadError(
        source,
        f"reading {kind} files needs LibreOffice, which is not installed: apt-get install libreoffice-writer{extra}",
    )


def _via_libreoffice(office: str, data: bytes, source: str, suffix: str) -> RawDocument:
    from compliance.readers.docx import read_docx

    with tempfile.TemporaryDirectory(prefix="compliance-lo-") as tmp:
        # OLE content is Word's binary format whatever the extension: let LibreOffice see a .doc
        src = Path(tmp) / ("input.doc" if data.startswith(_OLE) or suffix != ".wps" else "input.wps")
        src.write_bytes(data)
        outdir = Path(tmp) / "out"
        cmd = [
            office, "--headless", "--norestore", "--nolockcheck", "--nodefault",
            f"-env:UserInstallation={Path(tmp, 'profile').as_uri()}",
            "--convert-to", "docx", "--outdir", str(outdir), str(src),
        ]
        logger.debug(f"{source}: converting with {' '.join(cmd)}")
        try:
            proc = subprocess.run(cmd, capture_output=True, timeout=CONVERT_TIMEOUT, env={**os.environ, "HOME": tmp})
        except subprocess.TimeoutExpired:
            raise ReadError(source, f"LibreOffice did not convert the file within {CONVERT_TIMEOUT} s")
        except OSError as exc:
            raise ReadError(source, f"cannot run LibreOffice ({exc.strerror or exc})")
        out = outdir / "input.docx"
        if proc.returncode != 0 or not out.is_file():
            err = (proc.stderr or proc.stdout or b"").decode("utf-8", "replace").strip().splitlines()
            detail = err[-1] if err else f"exit code {proc.returncode}"
            raise ReadError(source, f"LibreOffice could not convert the file; damaged or not a Word/WPS document ({detail})")
        doc = read_docx(out.read_bytes(), source)
    return doc.model_copy(
        update={"format": "doc", "sha256": sha256(data), "warnings": [*doc.warnings, "converted from legacy format with LibreOffice"]}
    )


def _via_text_tool(exe: str, tool: str, args: list[str], data: bytes, source: str) -> RawDocument:
    with tempfile.TemporaryDirectory(prefix="compliance-doc-") as tmp:
        src = Path(tmp) / "input.doc"
        src.write_bytes(data)
        try:
            proc = subprocess.run([exe, *args, str(src)], capture_output=True, timeout=CONVERT_TIMEOUT)
        except subprocess.TimeoutExpired:
            raise ReadError(source, f"{tool} did not finish within {CONVERT_TIMEOUT} s")
        except OSError as exc:
            raise ReadError(source, f"cannot run {tool} ({exc.strerror or exc})")
    if proc.returncode != 0:
        err = proc.stderr.decode("utf-8", "replace").strip().splitlines()
        raise ReadError(source, f"{tool} could not read the file; damaged or not a Word document ({err[-1] if err else proc.returncode})")
    text = proc.stdout.decode("utf-8", "replace")
    lines = [ln.strip() for ln in split_lines(text)]
    warnings = [f"read with {tool}: automatic numbering and tables may be lost; install LibreOffice for better results"]
    return finish(source, data, "doc", [ln for ln in lines if ln], encoding="utf-8", warnings=warnings)
