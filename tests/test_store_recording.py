"""How `check --record` writes: a group of reports at once gives exactly the rows that writing
them one by one gives; the fast paths (rows inserted through the driver, the sentence hashes)
store what the plain ones store; a batch worker builds the rows without SQLAlchemy."""

from __future__ import annotations

import random
import re
import subprocess
import sys
import unicodedata
from pathlib import Path

import pytest
from sqlalchemy import text

from store_fixtures import db_url, pg_url  # noqa: F401 — fixtures

CORPUS = Path(__file__).resolve().parent / "data" / "corpus"
PANJIN = CORPUS / "panjin-2024-report.txt"
HAIYAN = CORPUS / "haiyan-2020-plan.txt"


@pytest.fixture(scope="module")
def checked(tmp_path_factory):
    """Reports that touch everything a group keeps in memory: copies of a report of the same
    group (another bureau, another year), a resubmission of one, the same file checked again."""
    from compliance.batch.post import postprocess
    from compliance.pipeline import check_file
    from compliance.readers import read
    from compliance.store.digest import text_extra
    from compliance.store.rows import rows_of

    panjin, haiyan = PANJIN.read_text(encoding="utf-8"), HAIYAN.read_text(encoding="utf-8")
    texts = {
        "a-panjin": panjin,
        "b-anshan": panjin.replace("盘锦", "鞍山").replace("2024", "2023"),
        "c-haiyan": haiyan,
        "d-panjin-v2": panjin + "\n另外，我局还组织开展了执法案卷评查工作。\n",
        "e-dalian": panjin.replace("盘锦", "大连").replace("2024", "2022"),
        "f-haiyan-again": haiyan,
        "g-panjin-v3": panjin.replace("培训", "学习"),
    }
    d = tmp_path_factory.mktemp("group")
    out = []
    for name, body in texts.items():
        path = d / f"{name}.txt"
        path.write_text(body, encoding="utf-8")
        rows = rows_of(postprocess(check_file(path)))
        rows.extra.update(text_extra(read(path).lines))
        out.append(rows)
    return out


def _record(url, checked, group: int) -> list:
    from copy import deepcopy

    from compliance.store import Recorder, open_engine

    seen: list = []
    rec = Recorder(open_engine(url), group=group, group_seconds=3600, on_recorded=seen.append)
    for i, rows in enumerate(deepcopy(checked)):
        rec.report(rows, rid=f"r{i}")
    rec.close(True)
    return seen


def _tables(url) -> dict:
    from compliance.store import open_engine
    from compliance.store.records import RECOUNT

    with open_engine(url).connect() as c:
        got = {
            "reports": c.execute(text(
                "select id, seq, sha256, source, issuer_key, province, year, date, ruleset_chain, by_family, score_total, "
                "n_applicable, n_met, n_findings, version, previous_id, same_text, superseded, document, sentences, "
                "dup_of_id, dup_share from reports order by id")).all(),
            "rule_results": c.execute(text("select * from rule_results order by report_id, rule_id")).all(),
            "sketch": c.execute(text("select * from sketch order by value, report_id")).all(),
            "tally": sorted(tuple(r) for r in c.execute(text("select * from rule_tally where n <> 0"))),
        }
        assert got["tally"] == sorted(tuple(r) for r in c.execute(text(RECOUNT)))
    return got


@pytest.mark.parametrize("group", [3, 100])
def test_a_group_is_written_as_its_reports_one_by_one(db_url, checked, tmp_path, group):
    """The group's look-ups are read once and kept in memory (on SQLite from one group to the
    next): its later reports must see the earlier ones (resubmissions, copies), in the same
    group or an earlier one, exactly as if each had been written on its own."""
    from compliance.store.db import resolve_url

    by_one = _record(db_url, checked, group=1)
    one = _tables(db_url)
    if db_url.startswith("postgresql"):
        from sqlalchemy import create_engine

        with create_engine(resolve_url(db_url)).begin() as c:
            c.execute(text("truncate batches, reports, rule_results, sketch, rule_tally, input_errors"))
        url = db_url
    else:
        url = str(tmp_path / "grouped.db")
    grouped = _record(url, checked, group=group)
    assert grouped == by_one
    assert _tables(url) == one
    flags = {r.source.rsplit("/", 1)[-1]: r for r in grouped}
    assert flags["b-anshan.txt"].dup_of_id == "r0" and flags["e-dalian.txt"].dup_of_id == "r0"
    assert (flags["d-panjin-v2.txt"].version, flags["d-panjin-v2.txt"].previous_id) == (2, "r0")
    assert (flags["g-panjin-v3.txt"].version, flags["g-panjin-v3.txt"].previous_id) == (3, "r3")
    assert flags["f-haiyan-again.txt"].same_text and flags["f-haiyan-again.txt"].version == 1
    superseded = {r.id for r in one["reports"] if r.superseded}
    assert superseded == {"r0", "r2", "r3"}


@pytest.mark.parametrize("engines", ["one", "two"])
def test_a_batch_sees_what_another_wrote_between_its_groups(tmp_path, checked, engines):
    """What a batch keeps between its groups is dropped once anything else has written to the
    store: another connection, or another recorder on the same pooled connection."""
    from copy import deepcopy

    from compliance.store import Recorder, open_engine

    db = str(tmp_path / "s.db")
    eng = open_engine(db)
    other = eng if engines == "one" else open_engine(db)
    rec = Recorder(eng, group=1)
    rec.report(deepcopy(checked[0]), rid="r0")  # a-panjin, committed
    rec.report(deepcopy(checked[2]), rid="r1")  # haiyan: the batch now knows a-panjin's issuer
    between = Recorder(other, group=1)
    between.report(deepcopy(checked[3]), rid="x")  # a second draft of a-panjin, from elsewhere
    between.close(True)
    rec.report(deepcopy(checked[6]), rid="r2")  # a third draft: it follows the one from elsewhere
    rec.close(True)
    with eng.connect() as c:
        got = {r.id: r for r in c.execute(text("select id, version, previous_id, superseded from reports"))}
    assert (got["x"].version, got["x"].previous_id, bool(got["x"].superseded)) == (2, "r0", True)
    assert (got["r2"].version, got["r2"].previous_id, bool(got["r2"].superseded)) == (3, "x", False)


def test_a_failing_report_in_a_group_of_resubmissions(db_url, checked):
    """A report whose rows fail, between a report and its resubmission in one group: the group
    is written again a report at a time without it, and the rest is as if it never came."""
    from copy import deepcopy

    from compliance.store import Recorder, open_engine

    eng = open_engine(db_url)
    rec = Recorder(eng, group=10, group_seconds=3600)
    first, later = deepcopy(checked[0]), deepcopy(checked[3])  # a-panjin and its second draft
    broken = deepcopy(checked[1])
    broken.rules.append(broken.rules[0])  # the same rule twice: its rule rows fail
    rec.report(first, rid="r0")
    rec.report(broken, rid="r1")
    rec.report(later, rid="r2")
    with pytest.raises(Exception):  # noqa: B017 - the database driver's own IntegrityError class
        rec.close(True)
    got = _tables(db_url)
    assert [(r.id, r.version, r.previous_id, bool(r.superseded)) for r in got["reports"]] == [
        ("r0", 1, None, True), ("r2", 2, "r0", False)]
    assert {r.report_id for r in got["rule_results"]} == {"r0", "r2"}
    assert {r.report_id for r in got["sketch"]} == {"r0", "r2"}
    with eng.connect() as c:
        assert c.execute(text("select status, n_reports from batches")).one() == ("interrupted", 2)


def test_rows_go_in_as_sqlalchemy_would_write_them(db_url, checked):
    """The report rows bypass SQLAlchemy's statement handling but keep its conversions (JSON,
    dates, booleans): the stored values are the same either way."""
    from sqlalchemy import insert

    from compliance.store import open_engine
    from compliance.store.records import _R, _RowInsert, now

    row = {**checked[0].report, "text_z": None, "sentences": b"\x01\x02", "batch_id": None, "seq": 3, "ruleset_hash": "h",
           "checked_at": now(), "version": 2, "previous_id": None, "same_text": True, "superseded": False,
           "dup_of_id": None, "dup_share": 0.5}
    assert row["date"] is not None and row["ruleset_chain"] and row["by_family"]
    eng = open_engine(db_url)
    with eng.begin() as c:
        c.execute(insert(_R), [{**row, "id": "by-sqlalchemy"}])
        _RowInsert(_R, c.dialect).write(c.connection.cursor(), [{**row, "id": "by-driver"}])
    with eng.connect() as c:
        stored = c.exec_driver_sql("select * from reports order by id").all()  # the driver's values, unconverted
    assert len(stored) == 2 and stored[0][1:] == stored[1][1:]


def _reference_digest(lines: list[str]) -> set[int]:
    """The sentence hashes as first written: NFKC of the whole text, then sentence by sentence."""
    from compliance.store.digest import MIN_CHARS, _h64

    num = re.compile(r"[0-9０-９〇零一二三四五六七八九十百千万亿两]+")
    drop = str.maketrans("", "", " \t\u3000\xa0,.:()[]<>\"'-_/\\、，：“”‘’（）《》【】「」『』…—·")
    text_ = num.sub("#", unicodedata.normalize("NFKC", "".join(line.strip() for line in lines)))
    out = set()
    for part in re.split(r"[。！？；!?;]+", text_):
        norm = part.translate(drop)
        if len(norm) >= MIN_CHARS:
            out.add(_h64(norm))
    return out


def test_sentence_hashes_are_those_stored_before():
    """Sentence hashes are compared with those of reports recorded long ago: the faster digest
    (full-width punctuation to ASCII before NFKC, punctuation dropped from the whole text) must
    give exactly the same set, whatever the text holds."""
    from compliance.store.digest import digest_lines, nfkc

    for path in sorted(CORPUS.glob("*.txt")):
        lines = path.read_text(encoding="utf-8").splitlines()
        assert set(digest_lines(lines).sentences) == _reference_digest(lines), path.name
    rnd = random.Random(5)
    # full-width and compatibility forms, combining marks, every sentence end and dropped mark
    alphabet = list("法治政府建设工作年度一二十0123456789０１２３，。；：！？（）“”、…—·　 \t\xa0①㈠ｶﾞ゛é\u0301ﬁ²½％＄Ａａ～;!?.:,"
                    "\uff61\ufe54\u2026\u3000\uffff#")
    for _ in range(3000):
        lines = ["".join(rnd.choice(alphabet) for _ in range(rnd.randint(0, 60))) for _ in range(rnd.randint(1, 5))]
        assert set(digest_lines(lines).sentences) == _reference_digest(lines), lines
        joined = "".join(lines)
        assert nfkc(joined) == unicodedata.normalize("NFKC", joined)


def test_a_worker_builds_the_rows_without_sqlalchemy(tmp_path):
    """A batch worker builds each report's rows (`--record`); importing SQLAlchemy there would
    cost every worker process half a second."""
    code = (
        "import sys\n"
        "from compliance.batch import runner\n"
        "runner._JOB = runner.Job(use_cache=False, record=True)\n"
        f"got = runner._check_one_wire({str(PANJIN)!r})\n"
        "report, rules, extra = got[2]\n"
        "assert report['document'] and rules and extra['sentences'] and len(extra['sketch']) == 24\n"
        "assert 'sqlalchemy' not in sys.modules, 'sqlalchemy imported'\n"
    )
    res = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300)
    assert res.returncode == 0, res.stderr[-2000:]


def test_copy_candidates_are_the_top_counts_ties_by_id():
    """`_top` is ORDER BY count DESC, id LIMIT n over the counts of at least `least`."""
    from compliance.store.records import _top

    rnd = random.Random(5)
    for _ in range(500):
        counts = {f"r{rnd.randrange(10_000):05d}": rnd.choice([1, 2, 2, 3, 3, 3, 5, 8, 24]) for _ in range(rnd.randrange(0, 60))}
        for n, least in ((10, 2), (1, 1), (3, 5), (50, 2), (10, 30)):
            want = [k for k, c in sorted(counts.items(), key=lambda kc: (-kc[1], kc[0])) if c >= least][:n]
            assert sorted(_top(counts, n, least)) == sorted(want)


def test_ids_sort_in_the_order_they_were_made():
    """Report ids begin with the time, so a batch's rows go at the end of the indexes keyed by id."""
    import time

    from compliance.store.records import new_id

    ids = []
    for _ in range(5):
        ids.append(new_id())
        time.sleep(0.002)
    assert ids == sorted(ids) and len(set(ids)) == 5
    assert all(len(i) <= 32 and re.fullmatch(r"[0-9a-f]{11}[A-Za-z0-9_-]{12}", i) for i in ids)


def test_sqlite_stores_none_bytes_and_bools_as_before(tmp_path):
    """The adapters registered for speed (db._fast_sqlite_params) change no stored value or type."""
    import sqlite3

    from compliance.store.db import make_engine

    make_engine(f"sqlite:///{tmp_path / 'x.db'}")  # registers them
    c = sqlite3.connect(":memory:")
    c.execute("create table t (a, b, c, d)")
    c.execute("insert into t values (?, ?, ?, ?)", (None, b"\x00\x01", True, False))
    got = c.execute("select a, b, c, d, typeof(a), typeof(b), typeof(c), typeof(d) from t").fetchone()
    assert got == (None, b"\x00\x01", 1, 0, "null", "blob", "integer", "integer")
