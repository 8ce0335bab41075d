"""The store's costs (not a timed test; numbers vary with the machine's load):

1. Recording: `compliance check DIR --jobs 2 --no-cache -f jsonl` with and without `--record`,
   interleaved A/B on the same generated reports; the target is ≤ 10% more batch time. The
   generated reports (`bench/generate.py`, ~2,300 characters) are smaller than real ones, which
   makes recording's share look larger: `--realistic N` runs the same A/B on N reports of
   `bench/realistic.py` (3,000–30,000 characters, real layouts) too, and reports both.
2. In-process (`--skip recording,queries --inprocess N`): per report, what `--record` adds in a
   worker (A/B on the same file: `_check_one_wire` with and without the store's rows) and in the
   main process (the rows replayed into a new store, a group per transaction, ids fixed so runs
   compare), CPU (user + system) of this process; `--flags FILE` writes each report's resubmission
   and copy flags to compare two builds.
3. Queries at scale: a store seeded synthetically to N reports (default 100,000: the rows of a few
   hundred really checked reports copied under many bureaus and years), then `history` and each
   `stats --by` timed in-process; the target is under a second each.

    python bench/bench_store.py [-n 10000] [--realistic 2000] [--seed-reports 100000] [--workdir /tmp/bench-store]
    python bench/bench_store.py --skip recording,queries --inprocess 1000 [--corpus realistic] [--db postgresql://…] [--flags f.json]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import shutil
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
EXE = [sys.executable, "-m", "compliance.cli"]


def batch(folder: Path, out: Path, record_db: Path | None) -> tuple[float, float]:
    """Wall and CPU seconds (this process's children) of one batch."""
    args = [*EXE, "check", str(folder), "--jobs", "2", "--no-cache", "--quiet", "-f", "jsonl", "-o", str(out)]
    if record_db is not None:
        args += ["--record", "--db", str(record_db)]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t = time.perf_counter()
    subprocess.run(args, check=False, stdout=subprocess.DEVNULL)
    wall = time.perf_counter() - t
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


CORPORA = {"generated": ("reports", "generate.py"), "realistic": ("realistic", "realistic.py")}


def corpus(work: Path, n: int, kind: str = "generated") -> Path:
    """The folder of at least n reports of this kind (made by bench/generate.py or bench/realistic.py)."""
    name, script = CORPORA[kind]
    reports = work / name
    if not reports.is_dir() or len(list(reports.iterdir())) < n:
        shutil.rmtree(reports, ignore_errors=True)
        subprocess.run([sys.executable, str(HERE / script), str(reports), "-n", str(n)], check=True, stdout=subprocess.DEVNULL)
    return reports


def recording(work: Path, n: int, rounds: int, kind: str = "generated") -> dict:
    reports = corpus(work, n, kind)
    if len(list(reports.iterdir())) > n:  # the batch checks a folder: exactly n of them
        reports = work / f"{reports.name}-{n}"
        if not reports.is_dir() or len(list(reports.iterdir())) != n:
            shutil.rmtree(reports, ignore_errors=True)
            reports.mkdir()
            for p in sorted(corpus(work, n, kind).iterdir())[:n]:
                os.link(p, reports / p.name)
    prefix = "rec" if kind == "generated" else f"rec-{kind}"  # rec-0.db: the base of the seeded store
    res: dict = {"plain": [], "record": []}
    loads: list = []  # (kind, load average before, after): the machine is shared
    for i in range(rounds):
        for which in ("plain", "record") if i % 2 == 0 else ("record", "plain"):
            db = work / f"{prefix}-{i}.db"
            for p in work.glob(f"{prefix}-{i}.db*"):
                p.unlink()
            load = os.getloadavg()[0]
            res[which].append(batch(reports, work / "out.jsonl", db if which == "record" else None))
            loads.append((which, round(load, 1), round(os.getloadavg()[0], 1)))
            print(f"  {reports.name} {which}: {res[which][-1][0]:.1f} s wall, {res[which][-1][1]:.1f} s CPU "
                  f"(load average {loads[-1][1]} → {loads[-1][2]})", file=sys.stderr)
    mean = lambda xs: sum(xs) / len(xs)  # noqa: E731
    pw, rw = mean([w for w, _ in res["plain"]]), mean([w for w, _ in res["record"]])
    pc, rc = mean([c for _, c in res["plain"]]), mean([c for _, c in res["record"]])
    db = work / f"{prefix}-0.db"
    return {"reports": n, "corpus": kind, "plain_wall_s": round(pw, 1), "record_wall_s": round(rw, 1), "wall_overhead_pct": round(100 * (rw / pw - 1), 1),
            "plain_cpu_s": round(pc, 1), "record_cpu_s": round(rc, 1), "cpu_overhead_pct": round(100 * (rc / pc - 1), 1),
            "db_mb_per_1000": round(os.path.getsize(db) / 1e6 / n * 1000, 1) if db.exists() else None,
            "load_average": loads}


def _cpu() -> float:
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime


def inprocess(work: Path, n: int, db_url: str | None, flags: Path | None, kind: str = "generated") -> dict:
    """Per report, in this process (see the module's docstring): the worker's extra CPU for the
    store's rows and the size of what it sends back, then the main process's CPU writing them."""
    import pickle

    from compliance.batch import runner
    from compliance.log import setup_logging
    from compliance.store import open_engine
    from compliance.store.records import GROUP, Recorder, Rows

    setup_logging(0)
    reports = corpus(work, n, kind)
    files = sorted(str(p) for p in reports.iterdir())[:n]
    plain, record = runner.Job(use_cache=False), runner.Job(use_cache=False, record=True)
    cpu = {"plain": 0.0, "record": 0.0}
    size = {"plain": 0, "record": 0}
    wires = []
    runner._CHOOSER = runner.Chooser("auto")  # a worker's state (its initializer also limits memory: not here)
    for job in (plain, record):  # warm: rulesets compiled, modules imported
        runner._JOB = job
        runner._check_one_wire(files[0])
    for i, f in enumerate(files):  # A/B on each file, the order alternating
        for job in (plain, record) if i % 2 == 0 else (record, plain):
            runner._JOB = job
            c = _cpu()
            got = runner._check_one_wire(f)
            back = pickle.loads(pickle.dumps(got, protocol=pickle.HIGHEST_PROTOCOL))  # the pipe: pickled both ways
            which = "record" if job.record else "plain"
            cpu[which] += _cpu() - c
            size[which] += len(pickle.dumps(got, protocol=pickle.HIGHEST_PROTOCOL))
            if job.record and isinstance(back, tuple):
                wires.append((f, back[2]))
    out: dict = {"reports": n, "corpus": kind, "worker_plain_ms": round(cpu["plain"] / n * 1e3, 2),
                 "worker_store_ms": round((cpu["record"] - cpu["plain"]) / n * 1e3, 3),
                 "sent_back_kb": {k: round(v / n / 1e3, 1) for k, v in size.items()}}
    url = db_url or str(work / "inprocess.db")
    if db_url is None:
        for p in work.glob("inprocess.db*"):
            p.unlink()
    engine = open_engine(url)
    if engine.dialect.name == "postgresql":  # a new store: the tables emptied
        from sqlalchemy import text

        with engine.begin() as c:
            c.execute(text("TRUNCATE batches, reports, rule_results, sketch, rule_tally, input_errors"))
    rec = Recorder(engine, group=GROUP)
    c, t = _cpu(), time.perf_counter()
    for i, (_, (report, rules, extra)) in enumerate(wires):
        rec.report(Rows(report, rules), extra, rid=f"r{i:07d}")
    rec.close(True)
    out["main_ms"] = round((_cpu() - c) / len(wires) * 1e3, 3)
    out["main_wall_ms"] = round((time.perf_counter() - t) / len(wires) * 1e3, 3)
    out["store"] = engine.dialect.name
    if flags is not None:
        from sqlalchemy import text

        with engine.connect() as conn:
            got = conn.execute(text("SELECT r.id, r.source, r.version, p.source, r.same_text, r.superseded, d.source, r.dup_share "
                                    "FROM reports r LEFT JOIN reports p ON p.id = r.previous_id "
                                    "LEFT JOIN reports d ON d.id = r.dup_of_id ORDER BY r.seq")).all()
        flags.write_text(json.dumps([[*r[1:4], bool(r[4]), bool(r[5]), *r[6:]] for r in got], ensure_ascii=False, indent=0))
        out["flags"] = {"resubmissions": sum(r[2] > 1 for r in got), "same_text": sum(bool(r[4]) for r in got),
                        "copies": sum(r[6] is not None for r in got)}
    print(f"  in-process: {out}", file=sys.stderr)
    return out


def seed(base_db: Path, target: Path, n: int) -> None:
    """Copy the base store's reports (and their rule rows) under made-up bureaus and years."""
    from sqlalchemy import insert, select

    from compliance.store import open_engine
    from compliance.store.records import issuer_key, new_id, now
    from compliance.store.schema import Batch, ReportRow, RuleResultRow

    R, RR, B = ReportRow.__table__, RuleResultRow.__table__, Batch.__table__
    src = open_engine(base_db)
    with src.connect() as c:
        base = [dict(r._mapping) for r in c.execute(select(R).where(R.c.score_total.is_not(None)).limit(300))]
        rules = {}
        for r in c.execute(select(RR)):
            rules.setdefault(r.report_id, []).append(dict(r._mapping))
    for p in target.parent.glob(target.name + "*"):
        p.unlink()
    dst = open_engine(target)
    rnd = random.Random(7)
    provinces = ["辽宁省", "浙江省", "河南省", "四川省", "山东省", "贵州省", "福建省", "江苏省"]
    years = list(range(2016, 2026))
    with dst.begin() as c:
        c.execute(insert(B), [{"id": "seed", "origin": "cli", "ruleset": "auto", "started_at": now(), "finished_at": now(),
                               "status": "complete", "n_reports": n, "n_errors": 0}])
    done = 0
    t = time.perf_counter()
    while done < n:
        reps, rrs = [], []
        for _ in range(min(5000, n - done)):
            b = rnd.choice(base)
            bureau = done // len(years)
            prov = provinces[bureau % len(provinces)]
            issuer = f"{prov[:2]}第{bureau}市交通运输局"
            year = years[done % len(years)]
            rid = new_id()
            reps.append({**b, "id": rid, "batch_id": "seed", "issuer": issuer, "issuer_key": issuer_key(issuer), "province": prov,
                         "city": f"第{bureau % 97}市", "year": year, "period_start": year, "period_end": year,
                         "previous_id": None, "dup_of_id": None, "superseded": False, "sentences": None})
            rrs += [{**x, "report_id": rid} for x in rules.get(b["id"], [])]
            done += 1
        with dst.begin() as c:
            c.execute(insert(R), reps)
            c.execute(insert(RR), rrs)
    from compliance.store.records import rebuild_tally

    with dst.begin() as c:
        rebuild_tally(c)
    print(f"  seeded {n} reports in {time.perf_counter() - t:.0f} s", file=sys.stderr)


def queries(db: Path) -> dict:
    from compliance.store import open_engine
    from compliance.store.queries import history, stats

    eng = open_engine(db)
    out = {}
    for name, fn in [("history", lambda: history(eng, "辽宁第8市交通运输局")),
                     *[(f"stats --by {by}", (lambda by=by: stats(eng, by))) for by in ("rule", "province", "city", "year", "doc-type")],
                     ("stats --by rule --province 辽宁省", lambda: stats(eng, "rule", __import__("compliance.store.queries", fromlist=["Filters"]).Filters(province="辽宁省")))]:
        fn()  # warm (page cache, rule titles)
        times, cpu = [], []
        for _ in range(3):
            t, tc = time.perf_counter(), time.process_time()
            fn()
            times.append(time.perf_counter() - t)
            cpu.append(time.process_time() - tc)
        out[name] = {"wall_s": round(min(times), 3), "cpu_s": round(min(cpu), 3)}
        print(f"  {name}: {out[name]}", file=sys.stderr)
    t = time.perf_counter()
    subprocess.run([*EXE, "stats", "--by", "rule", "--db", str(db)], check=True, stdout=subprocess.DEVNULL)
    out["cli stats --by rule (wall, start-up included)"] = round(time.perf_counter() - t, 2)
    t = time.perf_counter()
    subprocess.run([*EXE, "history", "辽宁第8市交通运输局", "--db", str(db)], check=True, stdout=subprocess.DEVNULL)
    out["cli history (wall, start-up included)"] = round(time.perf_counter() - t, 2)
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("-n", type=int, default=10_000, help="reports checked for the recording cost")
    ap.add_argument("--rounds", type=int, default=2, help="A/B rounds (each runs the batch with and without --record)")
    ap.add_argument("--realistic", type=int, default=0, metavar="N",
                    help="also the recording A/B on N reports of bench/realistic.py (real sizes and layouts)")
    ap.add_argument("--corpus", choices=sorted(CORPORA), default="generated", help="with --inprocess: which reports")
    ap.add_argument("--seed-reports", type=int, default=100_000)
    ap.add_argument("--workdir", type=Path, default=Path("/tmp/bench-store"))
    ap.add_argument("--skip", default="", help="recording,queries")
    ap.add_argument("--inprocess", type=int, default=0, metavar="N", help="also the in-process costs per report, on N reports")
    ap.add_argument("--db", default=None, help="with --inprocess: the store to replay into (default: a new SQLite file)")
    ap.add_argument("--flags", type=Path, default=None, help="with --inprocess: write each report's flags here")
    a = ap.parse_args()
    a.workdir.mkdir(parents=True, exist_ok=True)
    result: dict = {"load_avg_at_start": os.getloadavg()[0], "cpus": os.cpu_count()}
    if "recording" not in a.skip:
        result["recording"] = recording(a.workdir, a.n, a.rounds)
        if a.realistic:
            result["recording_realistic"] = recording(a.workdir, a.realistic, a.rounds, "realistic")
    if a.inprocess:
        result["inprocess"] = inprocess(a.workdir, a.inprocess, a.db, a.flags, a.corpus)
    if "queries" not in a.skip:
        base = a.workdir / "rec-0.db"
        if not base.exists():
            result.setdefault("recording", recording(a.workdir, min(a.n, 500), 1))
        seed(base, a.workdir / "seeded.db", a.seed_reports)
        result["queries_s"] = queries(a.workdir / "seeded.db")
    print(json.dumps(result, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
