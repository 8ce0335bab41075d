"""Memory and throughput of the durable backend over many reports in one process (not a test).

Runs N generated reports (random recombinations of corpus sentences, fixed seed) through
`compliance.engine.evaluate(..., backend="durable")` and prints RSS at checkpoints; RSS must stay
flat because every report's session is deleted. Also times the evidence pass alone and the
reference backend for comparison.

    .venv/bin/python bench/bench_engine_memory.py [--n 2000] [--ruleset national]
"""

from __future__ import annotations

import argparse
import random
import resource
import time
from pathlib import Path


def rss_mb() -> float:
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=2000)
    ap.add_argument("--ruleset", default="national")
    ap.add_argument("--seed", type=int, default=7)
    args = ap.parse_args()

    from loguru import logger

    logger.remove()
    from compliance.engine import evaluate
    from compliance.engine.evidence import run_pass
    from compliance.engine.synth import random_report, sentence_pool
    from compliance.rules.load import load_ruleset

    rs = load_ruleset(args.ruleset)
    corpus = Path(__file__).resolve().parents[1] / "tests" / "data" / "corpus"
    texts = [p.read_text(encoding="utf-8") for p in sorted(corpus.glob("*.txt"))]
    texts += [ex.text for cr in rs.rules for ex in cr.rule.examples]
    pool = sentence_pool(texts)
    rng = random.Random(args.seed)
    reports = [random_report(rng, pool, i) for i in range(args.n)]
    sents = sum(len(p.sentences) for r in reports for p in r.paragraphs)
    print(f"ruleset {rs.key}: {len(rs.rules)} rules; {args.n} reports, {sents / args.n:.0f} sentences each; pool {len(pool)}")

    evaluate(reports[0], rs, backend="durable")  # register once, warm caches
    print(f"after warm-up: RSS {rss_mb():.1f} MB")
    checkpoints = {100, 500, 1000, 2000, args.n}
    t0 = time.perf_counter()
    facts = 0
    for i, rep in enumerate(reports, 1):
        res = evaluate(rep, rs, backend="durable", trace=False)
        facts += len(res.results)
        if i in checkpoints:
            dt_ = time.perf_counter() - t0
            print(f"{i:>6} reports  RSS {rss_mb():7.1f} MB  {i / dt_:7.1f} reports/s")
    total = time.perf_counter() - t0

    t1 = time.perf_counter()
    for rep in reports:
        run_pass(rep, rs)
    t_pass = time.perf_counter() - t1
    t2 = time.perf_counter()
    for rep in reports:
        evaluate(rep, rs, backend="reference", trace=False)
    t_ref = time.perf_counter() - t2
    print(f"durable end-to-end {args.n / total:.1f} reports/s; evidence pass alone {args.n / t_pass:.1f}/s; "
          f"reference end-to-end {args.n / t_ref:.1f}/s; peak RSS {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.1f} MB")


if __name__ == "__main__":
    main()
