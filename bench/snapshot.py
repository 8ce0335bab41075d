"""Every output format of `compliance check` for a set of inputs, written to one folder, so a
refactor can prove itself byte-identical: run it before and after, then `diff -r` the folders.

    python bench/snapshot.py OUT_DIR INPUT... [--jobs 2] [--each] [--formats json,html]

Each format is written for the whole batch (`batch.<fmt>`); with `--each`, also for every input
file on its own (`<stem>.<fmt>`). Checks run with `--no-cache`, so the engine runs every time.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
from pathlib import Path

FORMATS = ("table", "json", "jsonl", "markdown", "html", "sarif", "junit", "csv", "xlsx")


def check(inputs: list[str], fmt: str, out: Path, jobs: int) -> None:
    cmd = [sys.executable, "-m", "compliance.cli", "check", *inputs, "--no-cache", "--quiet", "--jobs", str(jobs),
           "--format", fmt, "-o", str(out)]
    rc = subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    if rc.returncode not in (0, 1, 3):
        sys.exit(f"{' '.join(cmd)} failed ({rc.returncode}): {rc.stderr}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("out", type=Path)
    ap.add_argument("inputs", nargs="+")
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--each", action="store_true", help="also one output per input file")
    ap.add_argument("--formats", default=",".join(FORMATS), help="comma list (default: all nine)")
    args = ap.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    for fmt in args.formats.split(","):
        check(args.inputs, fmt, args.out / f"batch.{fmt}", args.jobs)
        if args.each:
            for f in args.inputs:
                check([f], fmt, args.out / f"{Path(f).stem}.{fmt}", 1)


if __name__ == "__main__":
    main()
