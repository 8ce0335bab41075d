"""`--format json` is written report by report; the document must be the one `render` gives."""

from __future__ import annotations

import io
import json
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

import batch_samples as S
from compliance.batch.commands import _Sink
from compliance.batch.post import build_result
from compliance.models import InputError
from compliance.render import json as J

ROOT = Path(__file__).resolve().parent.parent


def _streamed(items) -> str:
    from compliance.batch.runner import RawReport

    b = J.Builder()
    res = build_result(items)
    out = b.start()
    for rep in res.reports:  # as a worker sends them
        out += b.add(RawReport(rep.source, rep.model_dump_json(indent=2), rep.score.total))
    return out + b.finish(res.tool, res.errors)


@pytest.mark.parametrize("items", [
    [],
    [S.panjin()],
    [S.panjin(), S.haiyan()],
    [InputError(source="a.txt", error="不能读取")],
    [S.haiyan(), InputError(source="b.pdf", error="scanned PDF\n\"quoted\""), S.panjin("x/y.txt")],
], ids=["empty", "one", "two", "error-only", "mixed"])
def test_stream_is_byte_identical_to_render(items):
    text = _streamed(items)
    assert text == J.render(build_result(items))
    json.loads(text)  # and a valid document


def test_interrupted_json_leaves_no_file(tmp_path):
    out = tmp_path / "result.json"
    st = _Sink("json", out)
    st.report(S.panjin())
    assert not out.exists() and (tmp_path / "result.json.part").exists()
    st.close(completed=False)
    assert not out.exists() and not (tmp_path / "result.json.part").exists()


def test_completed_json_is_renamed_into_place(tmp_path):
    out = tmp_path / "result.json"
    st = _Sink("json", out)
    st.report(S.panjin())
    st.error(InputError(source="z.txt", error="empty"))
    st.close(completed=True)
    doc = json.loads(out.read_text(encoding="utf-8"))
    assert [r["source"] for r in doc["reports"]] == ["reports/panjin-2024-report.txt"]
    assert doc["summary"] == {"checked": 1, "failed": 1, "mean_score": S.panjin().score.total}
    assert not (tmp_path / "result.json.part").exists()


def _check(tmp_path, name, *extra) -> bytes:
    out = tmp_path / name
    cmd = [sys.executable, "-m", "compliance.cli", "check", str(ROOT / "reports"), str(tmp_path / "missing.txt"),
           "--no-cache", "-q", "--format", "json", "-o", str(out), *extra]
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=300, cwd=tmp_path)
    assert proc.returncode == 3, proc.stderr  # the missing input
    return out.read_bytes()


def test_cli_json_same_from_workers_objects_and_one_process(tmp_path):
    raw = _check(tmp_path, "raw.json", "--jobs", "2")  # workers' indented JSON spliced in as sent
    objects = _check(tmp_path, "obj.json", "--jobs", "2", "--fail-under", "0")  # objects, dumped by the main process
    single = _check(tmp_path, "one.json", "--jobs", "1")
    assert raw == objects == single
    doc = json.loads(raw)
    assert len(doc["reports"]) == 3 and doc["summary"]["failed"] == 1
    assert all(r["results"] and all(x["fingerprint"] for x in r["results"]) for r in doc["reports"])


def test_csv_stream_is_byte_identical_to_render(tmp_path):
    from compliance.render import csv as C

    items = [S.panjin(), InputError(source="b.pdf", error="x"), S.haiyan()]
    res = build_result(items)
    b = C.Builder()
    assert b.start() + "".join(b.add(r) for r in res.reports) == C.render(res)
    out = tmp_path / "x.csv"
    st = _Sink("csv", out)
    for r in res.reports:
        st.report(r)
    st.error(items[1])
    assert not out.exists()
    st.close(completed=True)
    assert out.read_bytes() == C.render(res).encode("utf-8")


def _xlsx_parts(data: bytes) -> dict[str, bytes]:
    """A workbook's parts without docProps (which carry the creation time)."""
    zf = zipfile.ZipFile(io.BytesIO(data))
    return {n: zf.read(n) for n in zf.namelist() if not n.startswith("docProps")}


@pytest.mark.parametrize("fmt", ["csv", "sarif", "junit", "table", "markdown", "xlsx", "html"])
def test_cli_batch_formats_equal_rendering_the_json(tmp_path, fmt):
    """csv is streamed, and table/markdown/sarif/junit/xlsx are built report by report; each
    equals `render` of the whole result (here: of the json output of the same batch, a missing
    input included)."""
    from compliance.models import CheckResult
    from compliance.readers import read
    from compliance.render import render

    out = tmp_path / f"all.{fmt}"
    cmd = [sys.executable, "-m", "compliance.cli", "check", str(ROOT / "reports"), str(tmp_path / "missing.txt"),
           "--no-cache", "-q", "--format", fmt, "-o", str(out), "--jobs", "2"]
    assert subprocess.run(cmd, capture_output=True, timeout=300, cwd=tmp_path).returncode == 3
    doc = _check(tmp_path, "ref.json", "--jobs", "2")
    result = CheckResult.model_validate_json(doc)
    opts = {"lines": {r.source: read(r.source).lines for r in result.reports}} if fmt == "html" else {}
    ref = render(result, fmt, **opts)
    if fmt == "xlsx":
        assert _xlsx_parts(out.read_bytes()) == _xlsx_parts(ref)
    else:
        assert out.read_bytes() == ref.encode("utf-8")


@pytest.mark.parametrize("fmt", ["table", "markdown", "sarif", "junit", "xlsx", "csv", "html", "json", "jsonl"])
def test_builder_equals_render_on_mixed_batches(fmt):
    import importlib

    from compliance.render import render

    mod = importlib.import_module(f"compliance.render.{fmt}")
    for items in ([S.panjin(), S.haiyan(), InputError(source="q.txt", error="empty")], [S.panjin()], []):
        res = build_result(items)
        b = mod.Builder()
        got = b.start() + "".join(b.add(r) for r in res.reports) + "".join(b.error(e) for e in res.errors)
        end = b.finish(res.tool, res.errors)  # the summary from the builder's own counts
        got = end if isinstance(end, bytes) else got + end
        ref = render(res, fmt)
        assert (_xlsx_parts(got) == _xlsx_parts(ref)) if fmt == "xlsx" else got == ref
