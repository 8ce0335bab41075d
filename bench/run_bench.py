"""Benchmark `compliance check` at inspection scale (a script, not a test).

1. Generates N reports (fixed seed) into a work folder: `--shape realistic` (default) with
   bench/realistic.py — real sizes and layouts, 3k–30k characters — or `--shape tidy` with
   bench/generate.py, the ~2,300-character reports of the earlier figures.
2. Floor: reads and decodes every file and runs one pyahocorasick pass of all literal cue patterns
   of the rulesets over it, in this process — the least any checker must do.
3. Batch: runs `compliance check DIR --jobs J --no-cache --quiet --format jsonl -o OUT` as a
   subprocess, sampling VmRSS of it and its workers while counting finished lines in OUT.
4. Profile: a sample of reports in-process, timed per stage (read / normalize / evidence /
   inference / assemble / serialize / ipc) for p50/p95 latency and the engine's share.
5. Start-up: repeated runs of `compliance check` on one report (hyperfine-style), the CPU they
   take after imports (minus the CPU of importing what a check imports), and the heaviest imports
   from `python -X importtime`.

    .venv/bin/python bench/run_bench.py [-n 2000] [--shape realistic] [--jobs 2] [--sample 300] [--json out.json]

Timings depend on machine load; CPU seconds (from rusage) are printed next to wall time so runs on
a busy machine can still be compared.
"""

from __future__ import annotations

import argparse
import json
import os
import pickle
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

# issue 16 (realistic shape, --jobs 2): ratio to the floor, peak RSS of all processes, CPU s of one
# report from the command line after imports
TARGETS = {"floor_ratio": 15.0, "peak_rss_mb": 300.0, "one_report_cpu_after_imports_s": 0.3}


def _exe() -> list[str]:
    """The `compliance` console script next to this interpreter, else `python -m compliance.cli`."""
    script = Path(sys.executable).with_name("compliance")
    return [str(script)] if script.exists() else [sys.executable, "-m", "compliance.cli"]


def _pct(xs: list[float], q: float) -> float:
    if not xs:
        return float("nan")
    xs = sorted(xs)
    k = min(len(xs) - 1, max(0, round(q * (len(xs) - 1))))
    return xs[k]


# --------------------------------------------------------------------------- generate


def generate(out: Path, n: int, seed: int, shape: str = "realistic") -> float:
    if shape == "tidy":
        from generate import generate as gen
    else:
        from realistic import generate as gen

    t = time.perf_counter()
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    for name, text in gen(n, seed):
        (out / name).write_text(text, encoding="utf-8")
    return time.perf_counter() - t


# --------------------------------------------------------------------------- floor


def cue_literals() -> tuple[list[str], int]:
    """Literal cues (normalized) of every shipped ruleset, and the number of regex cues left out."""
    from compliance.rules.load import available_rulesets, load_ruleset

    lits: set[str] = set()
    regexes = 0
    for name in available_rulesets():
        rs = load_ruleset(name)
        for c in rs.cues.values():
            if c.literal:
                lits.add(c.literal)
            elif c.regex is not None:
                regexes += 1
    return sorted(lits), regexes


def floor(files: list[Path]) -> dict:
    import ahocorasick

    lits, regexes = cue_literals()
    t0 = time.perf_counter()
    auto = ahocorasick.Automaton()
    for w in lits:
        auto.add_word(w, w)
    auto.make_automaton()
    t1 = time.perf_counter()
    hits = chars = 0
    c1 = time.process_time()
    for f in files:
        text = f.read_bytes().decode("utf-8")
        chars += len(text)
        for _ in auto.iter(text):
            hits += 1
    t2 = time.perf_counter()
    return {"patterns": len(lits), "regex_cues_not_in_floor": regexes, "compile_s": t1 - t0,
            "scan_s": t2 - t1, "scan_cpu_s": time.process_time() - c1, "chars": chars, "hits": hits}


# --------------------------------------------------------------------------- batch


def _tree(root: int) -> list[int]:
    """`root` and its descendants, from /proc/*/stat."""
    kids: dict[int, list[int]] = {}
    for d in os.listdir("/proc"):
        if not d.isdigit():
            continue
        try:
            stat = Path(f"/proc/{d}/stat").read_text()
        except OSError:
            continue
        ppid = int(stat.rsplit(")", 1)[1].split()[1])
        kids.setdefault(ppid, []).append(int(d))
    out, todo = [], [root]
    while todo:
        p = todo.pop()
        out.append(p)
        todo.extend(kids.get(p, ()))
    return out


def _rss_kb(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def _pss_kb(pid: int) -> int:
    """Proportional set size: pages shared with the other processes (forked workers share the
    interpreter and what was loaded before the fork) counted once in all, not once per process."""
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def _cpu_s(pid: int) -> float:
    try:
        f = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(f[11]) + int(f[12])) / os.sysconf("SC_CLK_TCK")
    except (OSError, IndexError, ValueError):
        return 0.0


def batch(folder: Path, out: Path, jobs: int, timeout: float, interval: float = 0.25) -> dict:
    cmd = _exe() + ["check", str(folder), "--jobs", str(jobs), "--no-cache", "--quiet", "--format", "jsonl", "-o", str(out)]
    out.unlink(missing_ok=True)  # a previous run's lines would be counted as done
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    samples: list[tuple[float, int, int, int, int, int]] = []  # (t, done, total kB, max one kB, procs, main kB)
    pss_peak = 0
    done = 0
    first_line_t = None
    pos = 0
    main_cpu = 0.0
    while proc.poll() is None:
        if time.perf_counter() - t0 > timeout:
            proc.kill()
            raise SystemExit(f"batch did not finish in {timeout:.0f} s")
        try:
            with open(out, "rb") as fh:
                fh.seek(pos)
                chunk = fh.read()
            last = chunk.rfind(b"\n")
            if last >= 0:
                done += chunk.count(b"\n", 0, last + 1)
                pos += last + 1
        except OSError:
            pass
        if done and first_line_t is None:
            first_line_t = time.perf_counter() - t0
        pids = _tree(proc.pid)
        main_cpu = _cpu_s(proc.pid) or main_cpu
        rss = [_rss_kb(p) for p in pids]
        pss_peak = max(pss_peak, sum(_pss_kb(p) for p in pids))
        samples.append((time.perf_counter() - t0, done, sum(rss), max(rss, default=0), len(pids), rss[0] if rss else 0))
        time.sleep(interval)
    wall = time.perf_counter() - t0
    err = proc.stderr.read().decode("utf-8", "replace") if proc.stderr else ""
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    lines = out.read_text(encoding="utf-8").splitlines()
    errors = sum(1 for ln in lines if '"error"' in ln[:400] and '"results"' not in ln[:4000])
    n = len(lines)
    early = [s for s in samples if 0 < s[1] <= 1000]
    late = [s for s in samples if s[1] >= max(n - 1000, 1)]
    return {
        "cmd": " ".join(cmd), "exit": proc.returncode, "stderr": err.strip()[-500:], "wall_s": wall, "cpu_s": cpu, "main_cpu_s": main_cpu,
        "lines": n, "errors": errors, "first_line_s": first_line_t,
        "peak_rss_mb": max((s[2] for s in samples), default=0) / 1024,
        "peak_rss_one_proc_mb": max((s[3] for s in samples), default=0) / 1024,
        "peak_pss_mb": pss_peak / 1024,
        "rss_first_1000_mb": max((s[2] for s in early), default=0) / 1024,
        "rss_last_1000_mb": max((s[2] for s in late), default=0) / 1024,
        "main_rss_first_1000_mb": max((s[5] for s in early), default=0) / 1024,
        "main_rss_last_1000_mb": max((s[5] for s in late), default=0) / 1024,
        "samples": len(samples),
        "rss_curve": [(round(s[0], 1), s[1], round(s[2] / 1024), round(s[5] / 1024)) for s in samples[:: max(1, len(samples) // 12)]],
    }


# --------------------------------------------------------------------------- in-process profile


def profile(files: list[Path], warm: int = 10) -> dict:
    """Per-report stage times (s) on a sample, in this process, with rulesets already loaded."""
    from loguru import logger

    logger.remove()
    import compliance.engine as eng
    import compliance.engine.evidence as evmod
    from compliance.batch.post import postprocess
    from compliance.engine import evaluate
    from compliance.normalize import normalize
    from compliance.readers import read
    from compliance.batch.runner import Chooser

    choose = Chooser("auto")
    clock = {"evidence": 0.0, "inference": 0.0}
    real_pass, real_statuses = evmod.run_pass, eng.statuses

    def timed_pass(*a, **k):
        t = time.perf_counter()
        try:
            return real_pass(*a, **k)
        finally:
            clock["evidence"] += time.perf_counter() - t

    def timed_statuses(*a, **k):
        t = time.perf_counter()
        try:
            return real_statuses(*a, **k)
        finally:
            clock["inference"] += time.perf_counter() - t

    evmod.run_pass, eng.statuses = timed_pass, timed_statuses
    stages = ("read", "normalize", "evidence", "inference", "assemble", "serialize", "ipc")
    per: dict[str, list[float]] = {s: [] for s in stages}
    totals: list[float] = []
    try:
        for i, f in enumerate(files):
            clock["evidence"] = clock["inference"] = 0.0
            t0 = time.perf_counter()
            doc = read(f)
            t1 = time.perf_counter()
            rep = normalize(doc)
            t2 = time.perf_counter()
            rs = choose(rep.meta.province)  # once per province, as in a batch worker
            t3 = time.perf_counter()
            res = evaluate(rep, rs)
            t4 = time.perf_counter()
            wire = postprocess(res).model_dump_json().encode("utf-8")  # what a --jobs worker sends back
            t5 = time.perf_counter()
            pickle.loads(pickle.dumps((wire, res.score.total)))  # the pipe's own cost (the main process writes the bytes as they are)
            t6 = time.perf_counter()
            if i < warm:
                continue
            ev, inf = clock["evidence"], clock["inference"]
            for k, v in (("read", t1 - t0), ("normalize", t2 - t1), ("evidence", ev), ("inference", inf),
                         ("assemble", (t4 - t3) - ev - inf), ("serialize", t5 - t4), ("ipc", t6 - t5)):
                per[k].append(v)
            totals.append(t6 - t0)
    finally:
        evmod.run_pass, eng.statuses = real_pass, real_statuses
    total = sum(totals) or 1.0
    return {
        "n": len(totals),
        "p50_ms": 1000 * _pct(totals, 0.5), "p95_ms": 1000 * _pct(totals, 0.95), "max_ms": 1000 * max(totals, default=0),
        "mean_ms": 1000 * statistics.fmean(totals) if totals else 0.0,
        "share": {k: sum(v) / total for k, v in per.items()},
        "stage_ms": {k: 1000 * statistics.fmean(v) if v else 0.0 for k, v in per.items()},
    }


# --------------------------------------------------------------------------- start-up


# What `compliance check` on one file imports, in any process (CLI, worker); the CPU of importing
# them is subtracted from a run's CPU to give "CPU after imports". The modules are listed by
# checking the report in-process first (the engine imports some of its modules, and `regex`, on
# first use), so a lazy import counts as an import, wherever it happens.
LIST_IMPORTS = ("import sys, os\nimport compliance.cli as c\ntry:\n    c._register(['check'])\nexcept TypeError:\n    c._register()\n"
                "from compliance.batch.runner import Job, check_one\nfrom compliance.batch.post import postprocess\n"
                "import compliance.batch.runner, compliance.pipeline, compliance.render.json, concurrent.futures.process\n"
                "r = check_one(sys.argv[1], Job(use_cache=False))\npostprocess(r).model_dump_json()\n"
                "print('\\n'.join(sorted(m for m in sys.modules if not m.startswith('__'))))")
IMPORT_ONLY = ("import importlib, sys\nimport compliance.cli as c\ntry:\n    c._register(['check'])\nexcept TypeError:\n    c._register()\n"
               "for m in sys.argv[1:]:\n    try:\n        importlib.import_module(m)\n    except Exception:\n        pass\n")


def check_imports(report: Path) -> list[str]:
    out = subprocess.run([sys.executable, "-c", LIST_IMPORTS, str(report)], capture_output=True, text=True, check=False)
    return [m for m in out.stdout.split() if m and m != "__main__"]


def _child_cpu(cmd: list[str]) -> tuple[float, float]:
    """(wall s, CPU s of it and its children) of one run."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t = time.perf_counter()
    subprocess.run(cmd, check=False, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    wall = time.perf_counter() - t
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def startup(report: Path, runs: int) -> dict:
    cmd = _exe() + ["check", str(report), "--no-cache", "--quiet", "--format", "json", "-o", os.devnull]
    got = [_child_cpu(cmd) for _ in range(runs + 1)][1:]  # the first run warms the page cache and is dropped
    walls, cpus = [w for w, _ in got], [c for _, c in got]
    mods = check_imports(report)
    imports_cpu = statistics.median(_child_cpu([sys.executable, "-c", IMPORT_ONLY, *mods])[1] for _ in range(max(3, runs // 2)))
    t = time.perf_counter()
    subprocess.run([sys.executable, "-c", "pass"], check=False)
    bare = time.perf_counter() - t
    imp = subprocess.run([sys.executable, "-X", "importtime", "-m", "compliance.cli"] + cmd[len(_exe()):],
                         capture_output=True, text=True, check=False).stderr
    rows = []
    for ln in imp.splitlines():
        if ln.startswith("import time:") and "|" in ln:
            parts = ln[len("import time:"):].split("|")
            if parts[0].strip().isdigit():
                rows.append((int(parts[1]), parts[2].rstrip()[1:]))
    top = [r for r in rows if not r[1].startswith(" ")]  # top-level imports only
    top.sort(reverse=True)
    return {"cmd": " ".join(cmd), "runs": runs, "min_s": min(walls), "median_s": statistics.median(walls),
            "mean_s": statistics.fmean(walls), "max_s": max(walls), "cpu_median_s": statistics.median(cpus),
            "imports_cpu_s": imports_cpu, "modules_imported": len(mods), "cpu_after_imports_s": statistics.median(cpus) - imports_cpu,
            "python_bare_s": bare, "import_ms": sum(r[0] for r in top) / 1000,
            "top_imports_ms": [(name, us / 1000) for us, name in top[:8]]}


# --------------------------------------------------------------------------- main


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("-n", type=int, default=2000, help="reports to generate (default 2000)")
    ap.add_argument("--shape", choices=("realistic", "tidy"), default="realistic",
                    help="realistic: bench/realistic.py (3k–30k chars, real layouts); tidy: bench/generate.py")
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--seed", type=int, default=None, help="default: 11 (realistic), 7 (tidy)")
    ap.add_argument("--sample", type=int, default=300, help="reports profiled in-process")
    ap.add_argument("--startup-runs", type=int, default=10)
    ap.add_argument("--workdir", type=Path, default=None, help="keep generated reports and output here")
    ap.add_argument("--timeout", type=float, default=3600)
    ap.add_argument("--json", type=Path, default=None, help="also write all numbers as JSON")
    ap.add_argument("--skip", default="", help="comma list of parts to skip: floor,batch,profile,startup")
    a = ap.parse_args()
    skip = set(filter(None, a.skip.split(",")))
    if a.seed is None:
        a.seed = 11 if a.shape == "realistic" else 7

    work = a.workdir or Path(tempfile.mkdtemp(prefix="compliance-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    folder, out = work / "reports", work / "out.jsonl"
    res: dict = {"n": a.n, "shape": a.shape, "jobs": a.jobs, "seed": a.seed, "cpus": os.cpu_count(), "loadavg_start": os.getloadavg()}

    gen_s = generate(folder, a.n, a.seed, a.shape)
    files = sorted(folder.glob("*.txt"))
    mb = sum(f.stat().st_size for f in files) / 1e6
    res["input_mb"] = mb
    print(f"generated {len(files)} {a.shape} reports ({mb:.1f} MB) in {gen_s:.1f} s → {folder}  (load average {os.getloadavg()[0]:.1f})")

    if "floor" not in skip:
        fl = res["floor"] = floor(files)
        print(f"floor: read+decode+AC scan of {fl['patterns']} literal cues: {fl['scan_s']:.2f} s "
              f"({fl['chars'] / 1e6:.1f} M chars, {fl['hits']} hits; {fl['regex_cues_not_in_floor']} regex cues not in the floor)")
    if "batch" not in skip:
        b = res["batch"] = batch(folder, out, a.jobs, a.timeout)
        rate = b["lines"] / b["wall_s"]
        cpu_rate = b["lines"] / (b["cpu_s"] / max(1, min(a.jobs, os.cpu_count() or 1))) if b["cpu_s"] else float("nan")
        b["reports_per_s"], b["reports_per_s_cpu"], b["mb_per_s"] = rate, cpu_rate, res["input_mb"] / b["wall_s"]
        print(f"batch: {b['cmd']}")
        print(f"  exit {b['exit']}, {b['lines']} lines ({b['errors']} errors) in {b['wall_s']:.1f} s wall, "
              f"{b['cpu_s']:.1f} CPU s (main process {b['main_cpu_s']:.1f}) → {rate:.0f} reports/s, {b['mb_per_s']:.2f} MB/s (by CPU time over {a.jobs} cores: {cpu_rate:.0f}/s)")
        print(f"  peak RSS {b['peak_rss_mb']:.0f} MB all processes summed (PSS {b['peak_pss_mb']:.0f} MB: shared pages once; "
              f"one process {b['peak_rss_one_proc_mb']:.0f} MB); "
              f"first 1000: {b['rss_first_1000_mb']:.0f} MB, last 1000: {b['rss_last_1000_mb']:.0f} MB")
        print(f"  main process: first 1000 {b['main_rss_first_1000_mb']:.0f} MB, last 1000 {b['main_rss_last_1000_mb']:.0f} MB")
        print(f"  RSS curve (s, done, total MB, main MB): {b['rss_curve']}")
        if b["stderr"]:
            print(f"  stderr: {b['stderr']}")
        if "floor" in res:
            b["floor_ratio"] = b["wall_s"] / res["floor"]["scan_s"]
            b["floor_ratio_cpu"] = b["cpu_s"] / res["floor"]["scan_cpu_s"]
            print(f"  ratio to floor: {b['floor_ratio']:.1f}x (wall, --jobs {a.jobs} against the floor in one process); "
                  f"{b['floor_ratio_cpu']:.1f}x by CPU seconds")
    if "profile" not in skip:
        step = max(1, len(files) // max(1, a.sample))
        pr = res["profile"] = profile(files[::step][: a.sample + 10])
        print(f"profile ({pr['n']} reports in-process, warm): p50 {pr['p50_ms']:.1f} ms, p95 {pr['p95_ms']:.1f} ms, "
              f"max {pr['max_ms']:.1f} ms per report")
        engine = pr["share"]["evidence"] + pr["share"]["inference"] + pr["share"]["assemble"]
        pr["engine_share"] = engine
        print("  " + ", ".join(f"{k} {100 * v:.0f}% ({pr['stage_ms'][k]:.2f} ms)" for k, v in pr["share"].items())
              + f"; engine (evidence+inference+assemble) {100 * engine:.0f}%")
    if "startup" not in skip:
        one = sorted((ROOT / "reports").glob("*.txt"))[0] if (ROOT / "reports").is_dir() else files[0]
        st = res["startup"] = startup(one, a.startup_runs)
        print(f"one report: {st['cmd']}")
        print(f"  {st['runs']} runs: min {st['min_s']:.2f} s, median {st['median_s']:.2f} s, max {st['max_s']:.2f} s "
              f"(CPU {st['cpu_median_s']:.2f} s, of which {st['cpu_after_imports_s']:.2f} s after imports; "
              f"bare python {st['python_bare_s']:.2f} s; imports {st['import_ms']:.0f} ms)")
        print("  heaviest imports: " + ", ".join(f"{n} {ms:.0f} ms" for n, ms in st["top_imports_ms"]))
    res["loadavg_end"] = os.getloadavg()
    print(f"load average {res['loadavg_start'][0]:.1f} at the start, {res['loadavg_end'][0]:.1f} at the end ({os.cpu_count()} CPUs)")
    if a.json:
        a.json.write_text(json.dumps(res, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    if a.workdir is None:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
