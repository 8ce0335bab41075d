"""`compliance check` on the shipped sample reports, with the real engine: ranking, schema,
--jobs determinism, HTML anchors, and baselines on edited copies of a corpus report."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import jsonschema
import pytest
from typer.testing import CliRunner

from compliance.cli import _register, app

ROOT = Path(__file__).resolve().parent.parent
REPORTS = ROOT / "reports"
SCHEMA = json.loads((ROOT / "compliance" / "schema" / "check-output.schema.json").read_text(encoding="utf-8"))

_register()


def _engine_ready() -> bool:
    try:
        from compliance.engine import evaluate  # noqa: F401
        from compliance.normalize import normalize  # noqa: F401
        from compliance.rules.load import load_ruleset

        load_ruleset("national")
        return True
    except Exception:
        return False


pytestmark = pytest.mark.skipif(not _engine_ready(), reason="engine/normalizer not importable yet")


@pytest.fixture(autouse=True)
def _cache(tmp_path, monkeypatch):
    monkeypatch.setenv("COMPLIANCE_CACHE_DIR", str(tmp_path / "cache"))


def check(*args):
    return CliRunner().invoke(app, ["check", *args], catch_exceptions=False)


def test_sample_reports_readable_ranking():
    res = check(str(REPORTS))
    assert res.exit_code == 0, res.stderr
    out = res.stdout
    assert "\x1b[" not in out
    head = out.split("\n\n")[0] + out.split("\n\n")[1]
    for issuer in ("盘锦市交通运输局", "绍兴市交通运输局", "海盐县交通运输局"):
        assert issuer in out
    # ranking rows are in descending score order
    scores = [float(m) for m in re.findall(r"^\s+\d+\s+(\d+\.\d)\s", head, flags=re.M)]
    assert len(scores) == 3 and scores == sorted(scores, reverse=True)
    assert "共检查 3 份" in out


def test_json_matches_schema_and_contract():
    res = check(str(REPORTS), "--format", "json")
    data = json.loads(res.stdout)
    jsonschema.validate(data, SCHEMA)
    assert [Path(r["source"]).name for r in data["reports"]] == sorted(p.name for p in REPORTS.glob("*.txt"))
    for rep in data["reports"]:
        ids = [r["rule_id"] for r in rep["results"]]
        assert len(ids) == len(set(ids))
        for r in rep["results"]:
            for e in r["evidence"]:
                lines = (REPORTS / Path(rep["source"]).name).read_text(encoding="utf-8").splitlines()
                assert 1 <= e["line"] <= len(lines)


def test_jobs_byte_identical_on_corpus(tmp_path):
    env = {**os.environ, "COMPLIANCE_CACHE_DIR": str(tmp_path / "c")}
    cmd = [sys.executable, "-m", "compliance.cli", "check", str(REPORTS), "--format", "json", "--no-cache"]
    one = subprocess.run(cmd + ["--jobs", "1"], capture_output=True, env=env, timeout=300)
    two = subprocess.run(cmd + ["--jobs", "2"], capture_output=True, env=env, timeout=300)
    assert one.returncode == two.returncode == 0, two.stderr.decode()
    assert one.stdout == two.stdout
    # and the cache gives the same bytes again
    three = subprocess.run(cmd[:-1], capture_output=True, env=env, timeout=300)
    four = subprocess.run(cmd[:-1], capture_output=True, env=env, timeout=300)
    assert three.stdout == one.stdout == four.stdout


class _Ids(HTMLParser):
    def __init__(self):
        super().__init__()
        self.ids, self.hrefs = set(), []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if "id" in a:
            self.ids.add(a["id"])
        if a.get("href", "").startswith("#"):
            self.hrefs.append(a["href"][1:])


def test_html_on_corpus_links_resolve(tmp_path):
    out = tmp_path / "r.html"
    res = check(str(REPORTS / "panjin-2024-report.txt"), "--format", "html", "-o", str(out))
    assert res.exit_code == 0
    page = out.read_text(encoding="utf-8")
    p = _Ids()
    p.feed(page)
    ev = re.findall(r'class="ev" href="#(L\d+)"', page)
    assert ev, "findings should link to the text"
    assert not [h for h in p.hrefs if h not in p.ids]
    assert "<mark class=\"k-" in page


def _run_json(path: Path, *extra) -> dict:
    res = check(str(path), "--format", "json", *extra)
    assert res.exit_code in (0, 1), res.stderr
    return json.loads(res.stdout)["reports"][0]


def _findings(rep):
    return {r["rule_id"]: r for r in rep["results"] if r["status"] not in ("met", "not_applicable")}


def test_baseline_survives_moved_paragraphs(tmp_path):
    src = (REPORTS / "panjin-2024-report.txt").read_text(encoding="utf-8").splitlines()
    work = tmp_path / "panjin-2024-report.txt"
    work.write_text("\n".join(src) + "\n", encoding="utf-8")
    prev = tmp_path / "prev.json"
    prev.write_text(check(str(work), "--format", "json").stdout, encoding="utf-8")
    before = json.loads(prev.read_text(encoding="utf-8"))["reports"][0]

    # move the measures section's first two numbered paragraphs after the third: lines shift
    i = next(k for k, t in enumerate(src) if t.startswith("1."))
    moved = src[:i] + [src[i + 2], src[i], src[i + 1]] + src[i + 3 :]
    assert moved != src
    work.write_text("\n".join(moved) + "\n", encoding="utf-8")
    after = _run_json(work, "--baseline", str(prev))
    assert after["sha256"] != before["sha256"]
    fa = _findings(after)
    assert fa and set(fa) == set(_findings(before))
    assert {r["baseline"] for r in fa.values()} == {"persisting"}
    assert after["resolved"] == []
    lines_before = {r["rule_id"]: [e["line"] for e in r["evidence"]] for r in before["results"]}
    lines_after = {r["rule_id"]: [e["line"] for e in r["evidence"]] for r in after["results"]}
    assert lines_before != lines_after, "the edit should have moved evidence lines"


def test_baseline_new_and_resolved_after_deleting_a_sentence(tmp_path):
    text = (REPORTS / "panjin-2024-report.txt").read_text(encoding="utf-8")
    work = tmp_path / "panjin-2024-report.txt"
    work.write_text(text, encoding="utf-8")
    orig_json = tmp_path / "orig.json"
    orig_json.write_text(check(str(work), "--format", "json").stdout, encoding="utf-8")
    orig = json.loads(orig_json.read_text(encoding="utf-8"))["reports"][0]

    # find a met rule resting on quotes whose deletion turns it into a finding
    flipped = None
    candidates = [r for r in orig["results"] if r["status"] == "met" and r["evidence"]]
    for r in candidates[:8]:
        edited = text
        for e in r["evidence"]:
            edited = edited.replace(e["quote"], "")
        if edited == text:
            continue
        work.write_text(edited, encoding="utf-8")
        rep = _run_json(work)
        if r["rule_id"] in _findings(rep):
            flipped = r["rule_id"]
            break
    assert flipped, "deleting a met rule's quoted sentences should make it a finding"

    edited_json = tmp_path / "edited.json"
    edited_json.write_text(check(str(work), "--format", "json").stdout, encoding="utf-8")
    now = _run_json(work, "--baseline", str(orig_json))
    f = _findings(now)
    assert f[flipped]["baseline"] == "new"
    assert any(r["baseline"] == "persisting" for r in f.values())

    # the other way round: the finding is resolved once the sentence is back
    work.write_text(text, encoding="utf-8")
    back = _run_json(work, "--baseline", str(edited_json))
    assert flipped in [r["rule_id"] for r in back["resolved"]]
    assert flipped not in _findings(back)


def test_real_exit_codes(tmp_path):
    d = tmp_path / "in"
    d.mkdir()
    (d / "panjin-2024-report.txt").write_text((REPORTS / "panjin-2024-report.txt").read_text(encoding="utf-8"), encoding="utf-8")
    assert check(str(d), "--format", "json").exit_code == 0
    assert check(str(d), "--format", "json", "--fail-under", "99").exit_code == 1
    (d / "broken.pdf").write_bytes(b"not a pdf at all")
    res = check(str(d), "--format", "json", "--fail-under", "99")
    assert res.exit_code == 3
    err = json.loads(res.stdout)["errors"]
    assert len(err) == 1 and err[0]["source"].endswith("broken.pdf")
    assert not err[0]["error"].startswith(str(d))  # not "path: path: …"
    res = check(str(d), "--ruleset", "atlantis")
    assert res.exit_code == 2 and "atlantis" in res.stderr and "Traceback" not in res.stderr
    bad = tmp_path / "bad.yaml"
    bad.write_text("name: bad\nrules:\n  - id: X-01\n    points: abc\n", encoding="utf-8")
    res = check(str(d), "--ruleset", str(bad))
    assert res.exit_code == 2
    assert re.search(r"bad\.yaml:4: .*points", res.stderr)


def test_sarif_junit_csv_on_corpus(tmp_path):
    import csv
    import io
    import xml.etree.ElementTree as ET

    sarif_schema = json.loads((ROOT / "tests" / "data" / "schemas" / "sarif-schema-2.1.0.json").read_text(encoding="utf-8"))
    data = json.loads(check(str(REPORTS), "--format", "json").stdout)
    n_findings = sum(1 for rep in data["reports"] for r in rep["results"] if r["status"] not in ("met", "not_applicable"))
    # the plan's planned items earn full credit: no findings, SARIF notes, JUnit passes
    n_plan = sum(1 for rep in data["reports"] for r in rep["results"] if r["status"] == "planned" and r["earned"] >= r["points"] > 0)
    assert n_plan > 0
    log = json.loads(check(str(REPORTS), "--format", "sarif").stdout)
    jsonschema.validate(log, sarif_schema)
    assert len(log["runs"][0]["results"]) == n_findings
    assert sum(1 for r in log["runs"][0]["results"] if r["level"] == "note") == n_plan
    root = ET.fromstring(check(str(REPORTS), "--format", "junit").stdout.encode("utf-8"))
    assert int(root.get("failures")) == n_findings - n_plan
    assert int(root.get("tests")) == sum(len(rep["results"]) for rep in data["reports"])
    rows = list(csv.reader(io.StringIO(check(str(REPORTS), "--format", "csv").stdout.lstrip("\ufeff"))))
    assert len(rows) - 1 == sum(len(rep["results"]) for rep in data["reports"])


def test_waivers_on_corpus_report(tmp_path):
    import datetime as dt

    target = str(REPORTS / "panjin-2024-report.txt")
    rep = json.loads(check(target, "--format", "json").stdout)["reports"][0]
    critical = sorted({r["rule_id"] for r in rep["results"] if r["severity"] == "critical"
                       and r["status"] not in ("met", "not_applicable")})
    assert critical, "panjin has critical gaps (FCR)"
    assert check(target, "--format", "json", "--fail-on", "critical").exit_code == 1
    future = (dt.date.today() + dt.timedelta(days=90)).isoformat()
    w = tmp_path / "w.yaml"
    w.write_text("".join(f"- {{rule: {rid}, issuer: {rep['meta']['issuer']}, reason: 本局无涉企政策制定职能, expires: {future}}}\n"
                         for rid in critical), encoding="utf-8")
    res = check(target, "--format", "json", "--fail-on", "critical", "--waivers", str(w))
    assert res.exit_code == 0, res.stderr
    waived = {r["rule_id"] for r in json.loads(res.stdout)["reports"][0]["results"] if r["waived"]}
    assert waived == set(critical)
    w.write_text(w.read_text(encoding="utf-8").replace(future, "2021-01-01"), encoding="utf-8")
    res = check(target, "--format", "markdown", "--fail-on", "critical", "--waivers", str(w))
    assert res.exit_code == 1
    assert res.stdout.count("2021-01-01 到期") == len(critical)
