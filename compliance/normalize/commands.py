"""CLI commands of this stage (registered by compliance.cli): `compliance parse`."""

from __future__ import annotations

import sys
from enum import Enum
from pathlib import Path

import typer


class ParseFormat(str, Enum):
    json = "json"
    tree = "tree"


def register(app: typer.Typer) -> None:
    """Add this stage's commands to the main app."""

    @app.command("parse")
    def parse(
        path: Path = typer.Argument(..., help="报告文件 Report file (.txt .html .docx .pdf …)."),
        fmt: ParseFormat = typer.Option(ParseFormat.json, "--format", "-f", help="json：报告模型；tree：提纲 json: the Report model; tree: an outline."),
    ) -> None:
        """解析报告结构 Print the normalized report: metadata, section tree with roles, paragraphs, metrics."""
        from compliance.normalize import normalize

        try:
            raw = _read(path)
            report = normalize(raw)
        except Exception as exc:  # one line, never a traceback
            msg = " ".join(str(exc).split()) or type(exc).__name__
            if not msg.startswith(f"{path}:"):
                msg = f"{path}: {msg}"
            sys.stderr.write(msg + "\n")
            raise typer.Exit(3)
        if fmt == ParseFormat.json:
            sys.stdout.write(report.model_dump_json(indent=2) + "\n")
        else:
            sys.stdout.write(render_tree(report))


def _read(path: Path):
    """Read with the readers stage (a missing file or a folder is refused first)."""
    if not path.exists():
        raise FileNotFoundError("no such file")
    if path.is_dir():
        raise IsADirectoryError("is a directory, not a file")
    from compliance.readers import read

    return read(path)


def render_tree(report) -> str:
    """An indented outline for a person: meta, sections (role, line), paragraph lines, metrics."""
    out: list[str] = []
    m = report.meta
    out.append(f"{report.source}")
    for key in ("title", "issuer", "province", "city", "county", "level", "doc_type", "period", "date", "doc_number", "published"):
        v = getattr(m, key)
        if v is not None:
            if key == "period":
                v = f"{v[0]}-{v[1]}"
            out.append(f"  {key}: {v}")
    paras_by_sec: dict[int | None, list[int]] = {}
    outside: dict[str, list[int]] = {}
    for p in report.paragraphs:
        if p.section_id is None:
            outside.setdefault(p.role, []).append(p.line)
        else:
            paras_by_sec.setdefault(p.section_id, []).append(p.line)
    for role, lines in outside.items():
        out.append(f"  [{role}] paragraphs at {', '.join(map(str, lines))}")
    out.append("  sections:")
    for s in report.iter_sections():
        ind = "    " + "  " * (s.level - 1)
        lines = paras_by_sec.get(s.id, [])
        tail = f" — paragraphs at {', '.join(map(str, lines))}" if lines else ""
        out.append(f"{ind}{s.heading}  [{s.role}, line {s.line}]{tail}")
    if report.metrics:
        out.append("  metrics:")
        for mt in report.metrics:
            flag = " per capita" if mt.per_capita else ""
            val = int(mt.value) if float(mt.value).is_integer() else mt.value
            out.append(f"    line {mt.line}: {mt.subject} {val}{mt.unit} ({mt.kind}{flag})  «{mt.text}»")
    for w in report.warnings:
        out.append(f"  warning: {w}")
    return "\n".join(out) + "\n"
