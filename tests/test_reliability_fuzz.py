"""Hostile input through the public entry points: every case ends in a result or a clean one-line
error, never a traceback or a hang (the CLI cases run in a subprocess with a timeout)."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from compliance.models import ReportResult
from compliance.normalize import normalize
from compliance.pipeline import check_file, check_report
from compliance.readers import ReadError, read, read_bytes

ROOT = Path(__file__).resolve().parent.parent
SEED = (ROOT / "reports" / "panjin-2024-report.txt").read_text(encoding="utf-8")
EXTS = [".txt", ".md", ".html", ".htm", ".docx", ".pdf", ".ofd", ".doc", ".wps"]
HEADS = [b"", b"PK\x03\x04", b"%PDF-1.4\n", b"<html><body>", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", b"\xef\xbb\xbf", b"{\\rtf1 "]
CLI_TIMEOUT = 240


def _through(data: bytes, name: str) -> ReportResult | ReadError:
    """read_bytes → normalize → check; a ReadError is the only accepted failure."""
    try:
        doc = read_bytes(data, name)
    except ReadError as e:
        return e
    return check_report(normalize(doc), "national")


def _clean(err: ReadError, name: str) -> None:
    text = str(err)
    assert "\n" not in text.strip() and text.startswith(name) and len(text) > len(name) + 2


def _ok(out, name: str) -> None:
    if isinstance(out, ReadError):
        _clean(out, name)
    else:
        assert isinstance(out, ReportResult) and out.results


FUZZ = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@FUZZ
@given(head=st.sampled_from(HEADS), body=st.binary(max_size=3000), ext=st.sampled_from(EXTS))
def test_random_bytes_any_extension(head, body, ext):
    name = "fuzz" + ext
    _ok(_through(head + body, name), name)


@FUZZ
@given(enc=st.sampled_from(["utf-8", "gb18030", "utf-16", "big5"]), cut=st.floats(0, 1),
       flips=st.lists(st.tuples(st.floats(0, 1), st.integers(0, 255)), max_size=20))
def test_truncated_and_corrupted_text(enc, cut, flips):
    data = bytearray(SEED.encode(enc, errors="replace"))
    data = data[: int(len(data) * cut)]
    for where, byte in flips:
        if data:
            data[min(len(data) - 1, int(where * len(data)))] = byte
    _ok(_through(bytes(data), "cut.txt"), "cut.txt")


@settings(max_examples=25, deadline=None)
@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=400))
def test_normalize_any_unicode_text(text):
    """Any decoded text (controls, combining marks, RTL, emoji…) normalizes and checks."""
    out = _through(("标题\n" + text).encode("utf-8"), "u.txt")
    _ok(out, "u.txt")


def _zip(members: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for k, v in members.items():
            z.writestr(k, v)
    return buf.getvalue()


def test_zip_bomb_posing_as_docx_is_refused():
    bomb = _zip({"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<w:document>" + b" " * (40 << 20) + b"</w:document>"})
    assert len(bomb) < 200_000
    out = _through(bomb, "bomb.docx")
    assert isinstance(out, ReadError) and "zip bomb" in str(out)


def test_many_member_zip_bomb_is_refused():
    bomb = _zip({f"word/p{i}.xml": b"a" * 200_000 for i in range(1200)})
    out = _through(bomb, "many.docx")
    assert isinstance(out, ReadError) and "zip bomb" in str(out)


def test_oversized_file_is_refused_before_reading(tmp_path, monkeypatch):
    monkeypatch.setenv("COMPLIANCE_MAX_BYTES", "1000")
    p = tmp_path / "big.txt"
    p.write_text(SEED, encoding="utf-8")
    with pytest.raises(ReadError) as ei:
        read(p)
    _clean(ei.value, str(p))
    assert "limit" in str(ei.value)


@pytest.mark.parametrize("name,data", [
    ("giant_line.txt", ("法治政府建设" * 150_000).encode("utf-8")),
    ("giant_punct.txt", SEED.replace("\n", "").encode("utf-8") * 20),
    ("nested.html", b"<html><body>" + b"<div>" * 20_000 + SEED.encode() + b"</div>" * 20_000 + b"</body></html>"),
    ("unclosed.html", b"<html><body>" + b"<div><p><span>" * 20_000 + SEED.encode()),
    ("entities.html", b"<html><body>" + b"&#x6cd5;" * 100_000 + b"</body></html>"),
])
def test_pathological_shapes_finish(tmp_path, name, data):
    p = tmp_path / name
    p.write_bytes(data)
    try:
        res = check_file(p, "national")
    except ReadError as e:
        _clean(e, str(p))
        return
    assert len(res.results) > 10 and res.source == str(p)


# ----------------------------------------------------------------------------- CLI, subprocess


def _cli(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    env = dict(os.environ, COMPLIANCE_CACHE_DIR=str((cwd or ROOT) / ".cache-test"))
    return subprocess.run([sys.executable, "-m", "compliance.cli", *args], capture_output=True, text=True,
                          timeout=CLI_TIMEOUT, cwd=cwd or ROOT, env=env)


def _no_traceback(p: subprocess.CompletedProcess) -> None:
    assert "Traceback" not in p.stderr and "Traceback" not in p.stdout


def test_cli_folder_of_hostile_files(tmp_path):
    d = tmp_path / "in"
    d.mkdir()
    good = d / "good.txt"
    good.write_text(SEED, encoding="utf-8")
    hostile = {
        "random.pdf": os.urandom(4000),
        "random.docx": b"PK\x03\x04" + os.urandom(3000),
        "bomb.docx": _zip({"word/document.xml": b" " * (30 << 20)}),
        "empty.txt": b"",
        "nul.txt": b"\x00" * 5000,
        "fake.ofd": b"PK\x03\x04not really",
        "garbage.doc": os.urandom(5000),
        "trunc.html": b"<html><body><div>" + "法治政府建设".encode("gb18030")[:-1],
    }
    for k, v in hostile.items():
        (d / k).write_bytes(v)
    p = _cli("check", str(d), "--no-cache", "--format", "json")
    _no_traceback(p)
    assert p.returncode == 3, p.stderr
    out = json.loads(p.stdout)
    by_src = {r["source"]: r for r in out["reports"]}
    assert str(good) in by_src and by_src[str(good)]["results"]
    failed = {e["source"] for e in out["errors"]}
    assert {str(d / k) for k in ("random.pdf", "bomb.docx", "empty.txt", "nul.txt")} <= failed
    assert set(by_src) | failed == {str(good)} | {str(d / k) for k in hostile}
    for e in out["errors"]:
        assert e["error"] and "\n" not in e["error"]
    # stderr: one line per unreadable input, each naming the file
    err_lines = [ln for ln in p.stderr.splitlines() if ln.strip()]
    assert len(err_lines) == len(failed)
    assert all(any(ln.startswith(f) for f in failed) for ln in err_lines)


RULE = """\
  - id: A-1
    family: A
    title: t
    severity: major
    points: 4
    applies_to: [annual_report]
    basis: [b]
    evidence:
      met:
        - presence: {any: [执法公示]}
    message: m
    remediation: r
"""
HEAD = 'name: x\nversion: "1"\nrules:\n'
BOMB = "".join(f"{c}: &{c} [{', '.join([f'*{p}'] * 10)}]\n" for p, c in zip("abcdefgh", "bcdefghi"))
BAD_RULESETS = {
    "syntax.yaml": 'name: x\nversion: "1"\nrules: [\n  - id: A\n',
    "tabs.yaml": HEAD + RULE.replace("    family", "\tfamily"),
    "empty.yaml": "",
    "list.yaml": "- 1\n- 2\n",
    "badre.yaml": HEAD + RULE.replace("[执法公示]", "['/([a/']"),
    "badtype.yaml": HEAD + RULE.replace("points: 4", "points: many"),
    "unknown.yaml": HEAD + RULE.replace("title: t", "title: t\n    titel: t"),
    "extends.yaml": 'name: x\nversion: "1"\nextends: no-such-ruleset\nrules: []\n',
    "pyobj.yaml": HEAD + RULE.replace("points: 4", "points: !!python/object/apply:os.system [ls]"),
    "bomb.yaml": "a: &a [1, 1, 1, 1, 1, 1, 1, 1, 1, 1]\n" + BOMB + 'name: x\nversion: "1"\nrules: *i\n',
    "binary.yaml": "\x00\x01\x02",
}


@pytest.fixture(scope="module")
def bad_rulesets(tmp_path_factory) -> dict[str, Path]:
    d = tmp_path_factory.mktemp("rulesets")
    out = {}
    for name, text in BAD_RULESETS.items():
        out[name] = d / name
        out[name].write_text(text, encoding="utf-8")
    return out


def test_rules_lint_on_malformed_rulesets(bad_rulesets):
    """One subprocess (a hang is possible) lints them all: exit 2, every file named with a line,
    no traceback (the alias bomb would expand to 10^9 nodes)."""
    p = _cli("rules", "lint", *map(str, bad_rulesets.values()))
    _no_traceback(p)
    assert p.returncode == 2, (p.stdout, p.stderr)
    text = p.stdout + p.stderr
    for f in bad_rulesets.values():
        assert f"{f}:" in text, f


def _check_with(ruleset: Path):
    from typer.testing import CliRunner

    from compliance.cli import _register, app

    _register()
    return CliRunner().invoke(app, ["check", str(ROOT / "reports" / "panjin-2024-report.txt"), "--ruleset",
                                    str(ruleset), "--no-cache", "-q"])


@pytest.mark.parametrize("name", sorted(set(BAD_RULESETS) - {"bomb.yaml"}))
def test_check_with_malformed_ruleset_exits_2(bad_rulesets, name):
    f = bad_rulesets[name]
    r = _check_with(f)
    assert r.exception is None or isinstance(r.exception, SystemExit), repr(r.exception)
    assert r.exit_code == 2, r.output
    lines = [ln for ln in r.output.splitlines() if ln.strip()]
    assert lines and all(str(f) in ln for ln in lines), r.output


def test_check_with_alias_bomb_ruleset_exits_2(bad_rulesets):
    f = bad_rulesets["bomb.yaml"]
    p = _cli("check", str(ROOT / "reports" / "panjin-2024-report.txt"), "--ruleset", str(f), "--no-cache", "-q")
    _no_traceback(p)
    assert p.returncode == 2 and p.stdout == ""
    assert [ln for ln in p.stderr.splitlines() if ln.strip()] == [ln for ln in p.stderr.splitlines() if str(f) in ln]
