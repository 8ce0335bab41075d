"""jsonl streamed straight from the workers equals the line built from the report object."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _run(tmp_path, name, *extra):
    out = tmp_path / name
    cmd = [sys.executable, "-m", "compliance.cli", "check", str(ROOT / "reports"), "--no-cache", "-q",
           "--format", "jsonl", "-o", str(out), *extra]
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=300, cwd=tmp_path)
    assert proc.returncode in (0, 1), proc.stderr
    return out.read_bytes()


def test_raw_stream_equals_object_path_and_single_process(tmp_path):
    raw = _run(tmp_path, "raw.jsonl", "--jobs", "2")  # no waivers/baseline/thresholds: worker bytes as they are
    objects = _run(tmp_path, "obj.jsonl", "--jobs", "2", "--fail-under", "0")  # thresholds need the objects
    single = _run(tmp_path, "one.jsonl", "--jobs", "1")
    assert raw == objects == single
    lines = raw.decode("utf-8").splitlines()
    assert len(lines) == 3 and all(line.startswith('{"source":') for line in lines)
