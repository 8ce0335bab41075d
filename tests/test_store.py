"""The store: `check --record` into a real SQLite file and a real PostgreSQL server; resubmissions;
no half-written report; migrations that match the models and upgrade without losing data."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import text
from typer.testing import CliRunner

from compliance.cli import _register, app
from store_fixtures import db_url, pg_url  # noqa: F401 — fixtures

_register()
CORPUS = Path(__file__).resolve().parent / "data" / "corpus"
PANJIN = CORPUS / "panjin-2024-report.txt"
HAIYAN = CORPUS / "haiyan-2020-plan.txt"


def run(*args: str):
    res = CliRunner().invoke(app, list(args))
    return res


def engine(url):
    from compliance.store import open_engine

    return open_engine(url)


def rows(url, sql: str, **params):
    with engine(url).connect() as c:
        return c.execute(text(sql), params).all()


@pytest.fixture
def two(tmp_path):
    d = tmp_path / "in"
    d.mkdir()
    shutil.copy(PANJIN, d / "panjin.txt")
    shutil.copy(HAIYAN, d / "haiyan.txt")
    return d


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_record_keeps_every_report_as_its_json_says(db_url, two, tmp_path, jobs):
    out = tmp_path / "out.json"
    res = run("check", str(two), "--record", "--db", db_url, "-j", jobs, "--no-cache", "-q", "-f", "json", "-o", str(out))
    assert res.exit_code == 0, res.output
    printed = {r["sha256"]: r for r in json.loads(out.read_text(encoding="utf-8"))["reports"]}
    got = rows(db_url, "select id, sha256, issuer, province, year, score_total, grade, n_findings, text_z, batch_id from reports")
    assert len(got) == 2
    from compliance.store.records import unpack_document

    for r in got:
        want = printed[r.sha256]
        assert r.issuer == want["meta"]["issuer"] and r.score_total == want["score"]["total"]
        assert r.grade == want["score"]["grade"] and r.year == want["meta"]["period"][1]
        assert r.text_z is None  # privacy: no text unless --keep-text
        rules = rows(db_url, "select rule_id, status, earned from rule_results where report_id = :i", i=r.id)
        assert {x.rule_id: x.status for x in rules} == {x["rule_id"]: x["status"] for x in want["results"]}
        with engine(db_url).connect() as c:
            doc = c.execute(text("select document from reports where id = :i"), {"i": r.id}).scalar_one()
        # the stored document is the report as printed, quotes and lines included
        assert json.loads(unpack_document(doc).model_dump_json()) == want
    (batch,) = rows(db_url, "select status, n_reports, n_errors, origin from batches")
    assert (batch.status, batch.n_reports, batch.n_errors, batch.origin) == ("complete", 2, 0, "cli")


def test_keep_text_stores_the_text_and_errors_are_recorded(tmp_path, two):
    (two / "bad.pdf").write_bytes(b"not a pdf")
    db = tmp_path / "s.db"
    res = run("check", str(two), "--record", "--keep-text", "--db", str(db), "--no-cache", "-q", "-f", "jsonl", "-o", str(tmp_path / "o"))
    assert res.exit_code == 3
    from compliance.store.records import unpack_text

    texts = rows(str(db), "select source, text_z from reports")
    assert len(texts) == 2 and all(unpack_text(t.text_z) for t in texts)
    panjin = next(t for t in texts if t.source.endswith("panjin.txt"))
    assert unpack_text(panjin.text_z) == PANJIN.read_text(encoding="utf-8").splitlines()
    errs = rows(str(db), "select source, error from input_errors")
    assert len(errs) == 1 and errs[0].source.endswith("bad.pdf")
    assert rows(str(db), "select n_errors from batches")[0].n_errors == 1


def test_same_issuer_and_period_checked_again_is_a_new_version(db_url, tmp_path):
    d = tmp_path / "v"
    d.mkdir()
    shutil.copy(PANJIN, d / "panjin.txt")
    for _ in range(2):  # the same file twice: one version, re-checked
        assert run("check", str(d), "--record", "--db", db_url, "-q", "--no-cache", "-f", "jsonl", "-o", str(tmp_path / "o")).exit_code == 0
    text_ = PANJIN.read_text(encoding="utf-8")
    (d / "panjin.txt").write_text(text_.replace("。", "。\n", 1) + "\n另外，我局还组织开展了执法案卷评查工作。\n", encoding="utf-8")
    assert run("check", str(d), "--record", "--db", db_url, "-q", "--no-cache", "-f", "jsonl", "-o", str(tmp_path / "o")).exit_code == 0
    got = rows(db_url, "select id, version, previous_id, same_text, superseded from reports order by checked_at")
    assert [(r.version, r.same_text, r.superseded) for r in got] == [(1, False, True), (1, True, True), (2, False, False)]
    assert got[1].previous_id is None and got[2].previous_id == got[1].id


def test_a_failing_report_leaves_nothing_half_written(db_url):
    from compliance.pipeline import check_file
    from compliance.store import Recorder
    from compliance.store.records import rows_of
    from compliance.batch.post import postprocess

    eng = engine(db_url)
    rec = Recorder(eng, ruleset="auto")
    good = postprocess(check_file(PANJIN))
    rec.report(good)
    broken = rows_of(good)
    broken.rules.append(broken.rules[0])  # the same rule twice: the insert of its rules fails
    with pytest.raises(Exception):  # noqa: B017 - the database driver's own IntegrityError class
        rec.report(broken)
    rec.close(False)
    with eng.connect() as c:
        assert c.execute(text("select count(*) from reports")).scalar() == 1
        assert c.execute(text("select count(*) from rule_results")).scalar() == len(good.results)
        assert c.execute(text("select status from batches")).scalar() == "interrupted"


def _count(eng, table: str) -> int:
    with eng.connect() as c:
        return c.execute(text(f"select count(*) from {table}")).scalar()


def test_a_group_with_a_failing_report_keeps_the_others_whole(db_url):
    """check --record writes reports a group per transaction: a report whose rows fail is left
    out, the rest of its group is written all the same, and the error is raised."""
    from compliance.batch.post import postprocess
    from compliance.pipeline import check_file
    from compliance.store import Recorder
    from compliance.store.records import RECOUNT, rows_of

    eng = engine(db_url)
    seen = []
    rec = Recorder(eng, ruleset="auto", group=3, group_seconds=3600, on_recorded=seen.append)
    good, other = postprocess(check_file(PANJIN)), postprocess(check_file(HAIYAN))
    rec.report(good)
    broken = rows_of(good)
    broken.rules.append(broken.rules[0])  # the same rule twice: the insert of its rules fails
    rec.report(broken)
    assert _count(eng, "reports") == 0  # queued, not yet written
    with pytest.raises(Exception):  # noqa: B017 - the database driver's own IntegrityError class
        rec.report(other)  # the group is full: written now
    rec.close(False)
    assert [r.source for r in seen] == [good.source, other.source]
    assert _count(eng, "reports") == 2 and _count(eng, "rule_results") == len(good.results) + len(other.results)
    with eng.connect() as c:
        assert c.execute(text("select superseded from reports where sha256 = :s"), {"s": good.sha256}).scalar() in (0, False)
        assert tuple(c.execute(text("select status, n_reports from batches")).one()) == ("interrupted", 2)
        tally = {tuple(r[:-1]): r[-1] for r in c.execute(text(
            "select rule_id, province, year, doc_type, status, waived, n from rule_tally where n <> 0"))}
        assert tally == {tuple(r[:-1]): r[-1] for r in c.execute(text(RECOUNT))}


def test_queued_reports_are_written_when_a_batch_is_cut_short(db_url):
    from compliance.batch.post import postprocess
    from compliance.pipeline import check_file
    from compliance.store import Recorder
    from compliance.models import InputError

    eng = engine(db_url)
    rec = Recorder(eng, group=100, group_seconds=3600)
    rec.report(postprocess(check_file(PANJIN)), lines=PANJIN.read_text(encoding="utf-8").splitlines())
    rec.error(InputError(source="bad.pdf", error="不是 PDF"))
    assert _count(eng, "reports") == 0 and _count(eng, "input_errors") == 0
    rec.close(False)  # Ctrl-C, SIGTERM, a failed output: what was checked is kept
    assert _count(eng, "reports") == 1 and _count(eng, "input_errors") == 1 and _count(eng, "sketch") > 0
    with eng.connect() as c:
        assert tuple(c.execute(text("select status, n_reports, n_errors from batches")).one()) == ("interrupted", 1, 1)


def test_migrations_create_exactly_the_models_tables(db_url):
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    from compliance.store.schema import Base

    with engine(db_url).connect() as c:
        diff = compare_metadata(MigrationContext.configure(c, opts={"compare_type": True}), Base.metadata)
    assert diff == []


def test_a_bad_store_is_a_clear_error(tmp_path, two):
    res = run("check", str(two), "--record", "--db", "mysql://x@localhost/y", "-q")
    assert res.exit_code == 2 and "不支持的数据库" in res.output
    (tmp_path / "dir.db").mkdir()
    res = run("check", str(two), "--record", "--db", str(tmp_path / "dir.db"), "-q")
    assert res.exit_code == 2 and "not a regular file" in res.output


def test_two_batches_writing_one_sqlite_file_at_once(tmp_path):
    """Two processes record into one store at the same time (WAL, BEGIN IMMEDIATE): all kept."""
    db = tmp_path / "shared.db"
    from compliance.store import open_engine

    open_engine(db)  # schema first, so both start writing at once
    dirs = []
    for i in range(2):
        d = tmp_path / f"in{i}"
        d.mkdir()
        for f in sorted(CORPUS.glob("*.txt"))[:5]:
            shutil.copy(f, d / f"{i}-{f.name}")
        dirs.append(d)
    exe = [sys.executable, "-m", "compliance.cli"]
    procs = [subprocess.Popen([*exe, "check", str(d), "--record", "--db", str(db), "-q", "--no-cache", "-j", "1",
                               "-f", "jsonl", "-o", str(d / "out.jsonl")], stderr=subprocess.PIPE) for d in dirs]
    for p in procs:
        _, err = p.communicate(timeout=300)
        assert p.returncode == 0, err.decode()
    with open_engine(db).connect() as c:
        assert c.execute(text("select count(*) from reports")).scalar() == 10
        assert c.execute(text("select count(*) from batches where status = 'complete'")).scalar() == 2


# --------------------------------------------------------------------------- history and stats


@pytest.fixture
def years(tmp_path):
    """One bureau over two years: the 2023 report is the 2024 one dated back and missing its
    paragraphs on training (so the 2024 one improved on them)."""
    d = tmp_path / "years"
    d.mkdir()
    text_ = PANJIN.read_text(encoding="utf-8")
    older = "\n".join(line for line in text_.replace("2024", "2023").splitlines() if "培训" not in line and "学时" not in line)
    (d / "panjin-2023.txt").write_text(older + "\n", encoding="utf-8")
    shutil.copy(PANJIN, d / "panjin-2024.txt")
    shutil.copy(HAIYAN, d / "haiyan.txt")
    return d


def test_history_by_year_with_what_improved(db_url, years, tmp_path):
    assert run("check", str(years), "--record", "--db", db_url, "-q", "--no-cache", "-f", "jsonl", "-o", str(tmp_path / "o")).exit_code == 0
    res = run("history", "盘锦市 交通运输局", "--db", db_url, "-f", "json")
    assert res.exit_code == 0, res.output
    got = json.loads(res.stdout)
    assert [e["year"] for e in got] == [2023, 2024]
    old, new = got
    assert old["change"] is None and new["compared_to"] == old["id"]
    assert new["change"]["total"]["delta"] == round(new["total"] - old["total"], 1)
    moved = {c["rule_id"]: c for c in new["change"]["changes"]}
    assert any(c["direction"] == "improved" for c in moved.values())
    table = run("history", "盘锦", "--db", db_url)  # a unique part of the name will do
    assert table.exit_code == 0 and "2023" in table.stdout and "改进" in table.stdout
    missing = run("history", "不存在的局", "--db", db_url)
    assert missing.exit_code == 1 and "没有这个发布机构" in missing.output


def test_stats_by_rule_and_place_agree_with_the_reports(db_url, years, tmp_path):
    out = tmp_path / "o.jsonl"
    assert run("check", str(years), "--record", "--db", db_url, "-q", "--no-cache", "-f", "jsonl", "-o", str(out)).exit_code == 0
    reports = [json.loads(x) for x in out.read_text(encoding="utf-8").splitlines()]
    res = run("stats", "--by", "rule", "--db", db_url, "-f", "json")
    st = json.loads(res.stdout)
    assert st["reports"] == 3
    by_rule = {r[0]: dict(zip(st["columns"], r)) for r in st["rows"]}
    for rid in ("TES-07", "AR-07"):
        statuses = [x["status"] for rep in reports for x in rep["results"] if x["rule_id"] == rid and x["status"] != "not_applicable"]
        assert by_rule[rid]["applicable"] == len(statuses)
        assert by_rule[rid]["met"] == statuses.count("met")
        assert by_rule[rid]["title"]
    prov = json.loads(run("stats", "--by", "province", "--db", db_url, "-f", "json").stdout)
    counts = {r[0]: r[1] for r in prov["rows"]}
    assert counts == {"辽宁省": 2, "浙江省": 1}
    only = json.loads(run("stats", "--by", "year", "--province", "辽宁省", "--db", db_url, "-f", "json").stdout)
    assert {r[0]: r[1] for r in only["rows"]} == {2023: 1, 2024: 1}
    csv_text = run("stats", "--by", "city", "--db", db_url, "-f", "csv").stdout
    assert csv_text.startswith("\ufeff城市,报告数") and "盘锦市,2" in csv_text
    xlsx = tmp_path / "s.xlsx"
    assert run("stats", "--db", db_url, "-f", "xlsx", "-o", str(xlsx)).exit_code == 0
    import openpyxl

    ws = openpyxl.load_workbook(xlsx).active
    assert ws.cell(1, 1).value == "规则" and ws.max_row == len(st["rows"]) + 1


# --------------------------------------------------------------------------- copies and migrations


def test_digest_ignores_wrapping_and_changed_figures():
    from compliance.store.digest import copied_share, digest_lines

    text_ = PANJIN.read_text(encoding="utf-8")
    a = digest_lines(text_.splitlines())
    rewrapped = text_.replace("2024", "2025").replace("，", "，\n")  # new year, soft-wrapped lines
    b = digest_lines(rewrapped.splitlines())
    assert len(a.sentences) > 30 and set(a.sentences) == set(b.sentences)
    other = digest_lines(HAIYAN.read_text(encoding="utf-8").splitlines())
    assert copied_share(set(a.sentences), set(other.sentences)) < 0.1


def test_another_bureaus_copy_is_flagged_with_its_share_and_source(db_url, tmp_path):
    d = tmp_path / "c"
    d.mkdir()
    text_ = PANJIN.read_text(encoding="utf-8")
    shutil.copy(PANJIN, d / "a-panjin.txt")
    shutil.copy(HAIYAN, d / "b-haiyan.txt")
    copy = text_.replace("盘锦市交通运输局", "鞍山市交通运输局").replace("盘锦", "鞍山").replace("2024", "2023")
    (d / "c-anshan.txt").write_text(copy, encoding="utf-8")
    assert run("check", str(d), "--record", "--db", db_url, "-q", "--no-cache", "-j", "1", "-f", "jsonl", "-o", str(tmp_path / "o")).exit_code == 0
    got = {r.source.rsplit("/", 1)[-1]: r for r in rows(db_url, "select id, source, dup_of_id, dup_share, issuer from reports")}
    assert got["c-anshan.txt"].issuer == "鞍山市交通运输局"
    assert got["c-anshan.txt"].dup_of_id == got["a-panjin.txt"].id and got["c-anshan.txt"].dup_share >= 0.9
    assert got["a-panjin.txt"].dup_of_id is None and got["b-haiyan.txt"].dup_of_id is None
    # a resubmitted draft of the same report is a new version, not a copy of its first draft
    # (it still shares its text with the other bureau's copy, and says so)
    (d / "a-panjin.txt").write_text(text_ + "\n另外，我局还组织开展了执法案卷评查工作。\n", encoding="utf-8")
    (d / "b-haiyan.txt").unlink()
    (d / "c-anshan.txt").unlink()
    assert run("check", str(d), "--record", "--db", db_url, "-q", "--no-cache", "-f", "jsonl", "-o", str(tmp_path / "o")).exit_code == 0
    last = rows(db_url, "select version, previous_id, dup_of_id from reports order by checked_at desc limit 1")[0]
    assert last.version == 2 and last.previous_id == got["a-panjin.txt"].id
    assert last.dup_of_id == got["c-anshan.txt"].id


def test_upgrade_from_the_first_migration_keeps_the_records(db_url):
    from compliance.batch.post import postprocess
    from compliance.pipeline import check_file
    from compliance.store import open_engine
    from compliance.store.db import current_revision, make_engine, resolve_url, upgrade
    from compliance.store.records import new_id, now, rows_of, unpack_document

    old = make_engine(resolve_url(db_url))
    upgrade(old, "0001")
    assert current_revision(old) == "0001"
    result = postprocess(check_file(PANJIN))
    r = rows_of(result)
    rid = new_id()
    with old.begin() as c:  # a report as the first schema stored it
        c.execute(text("insert into batches (id, origin, ruleset, started_at, status, n_reports, n_errors) "
                       "values ('b1', 'cli', 'auto', :t, 'complete', 1, 0)"), {"t": now()})
        from sqlalchemy import Table, MetaData

        reports = Table("reports", MetaData(), autoload_with=c)
        c.execute(reports.insert(), [{**r.report, "id": rid, "batch_id": "b1", "seq": 0, "ruleset_hash": None,
                                      "checked_at": now(), "version": 1, "previous_id": None, "same_text": False,
                                      "superseded": False, "text_z": None}])
    old.dispose()
    eng = open_engine(db_url)  # upgrades to the newest schema
    from compliance.store.db import head_revision

    assert current_revision(eng) == head_revision() != "0001"
    with eng.connect() as c:
        doc, sentences = c.execute(text("select document, sentences from reports where id = :i"), {"i": rid}).one()
    assert unpack_document(doc).score.total == result.score.total and sentences is None
    from compliance.store import Recorder

    Recorder(eng).report(result, lines=PANJIN.read_text(encoding="utf-8").splitlines())  # new records work
    with eng.connect() as c:
        assert c.execute(text("select count(*) from reports")).scalar() == 2


def test_the_tally_always_equals_a_recount(db_url, tmp_path):
    """stats --by rule reads rule_tally, kept report by report; resubmissions move counts."""
    d = tmp_path / "t"
    d.mkdir()
    text_ = PANJIN.read_text(encoding="utf-8")
    shutil.copy(PANJIN, d / "panjin.txt")
    shutil.copy(HAIYAN, d / "haiyan.txt")
    for i in range(3):  # the same file, then two new drafts
        assert run("check", str(d), "--record", "--db", db_url, "-q", "--no-cache", "-f", "jsonl", "-o", str(tmp_path / "o")).exit_code == 0
        (d / "panjin.txt").write_text(text_.replace("培训", "学习") if i == 0 else text_ + "\n补充一句话，说明工作开展情况。\n", encoding="utf-8")
    from compliance.store.records import RECOUNT

    with engine(db_url).connect() as c:
        tally = {tuple(r[:-1]): r[-1] for r in c.execute(text(
            "select rule_id, province, year, doc_type, status, waived, n from rule_tally where n <> 0"))}
        recount = {tuple(r[:-1]): r[-1] for r in c.execute(text(RECOUNT))}
        assert c.execute(text("select count(*) from reports where superseded = false")).scalar() == 2
    assert tally == recount and sum(tally.values()) > 60


def test_copies_are_found_past_the_memory_of_recent_reports(db_url, tmp_path, monkeypatch):
    """The sentence hashes of copy candidates are kept in memory for the last few thousand
    reports; past that they are read again from the store (a 10,000-report batch once failed here)."""
    from compliance.store import records

    monkeypatch.setattr(records, "_DIGESTS", 1)
    d = tmp_path / "m"
    d.mkdir()
    text_ = PANJIN.read_text(encoding="utf-8")
    shutil.copy(PANJIN, d / "a-panjin.txt")
    for i, city in enumerate(("鞍山", "大连", "锦州")):
        (d / f"{'bcd'[i]}-{city}.txt").write_text(text_.replace("盘锦", city).replace("2024", str(2021 + i)), encoding="utf-8")
    assert run("check", str(d), "--record", "--db", db_url, "-q", "--no-cache", "-j", "1", "-f", "jsonl", "-o", str(tmp_path / "o")).exit_code == 0
    got = rows(db_url, "select source, dup_of_id from reports order by seq")
    assert got[0].dup_of_id is None and all(r.dup_of_id is not None for r in got[1:])


def test_boilerplate_shared_by_many_reports_is_no_evidence_of_a_copy(db_url, tmp_path, monkeypatch):
    """A sketch value in more than COMMON recorded reports (a template sentence every bureau
    uses) finds no candidates: the search stays cheap as the store grows."""
    from compliance.store import records

    monkeypatch.setattr(records, "COMMON", 1)
    d = tmp_path / "b"
    d.mkdir()
    text_ = PANJIN.read_text(encoding="utf-8")
    shutil.copy(PANJIN, d / "a-panjin.txt")
    (d / "b-anshan.txt").write_text(text_.replace("盘锦", "鞍山").replace("2024", "2023"), encoding="utf-8")
    (d / "c-dalian.txt").write_text(text_.replace("盘锦", "大连").replace("2024", "2022"), encoding="utf-8")
    assert run("check", str(d), "--record", "--db", db_url, "-q", "--no-cache", "-j", "1", "-f", "jsonl", "-o", str(tmp_path / "o")).exit_code == 0
    got = {r.source.rsplit("/", 1)[-1]: r for r in rows(db_url, "select id, source, dup_of_id from reports")}
    assert got["b-anshan.txt"].dup_of_id == got["a-panjin.txt"].id  # its sentences were in one report
    assert got["c-dalian.txt"].dup_of_id is None  # in two by then: boilerplate, at COMMON = 1
