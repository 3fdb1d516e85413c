"""Benchmark: ``leadgen score`` end to end on 100k companies with 300k people (SQLite).

Each example segment is scored by the whole command, as a new process, twice on a fresh copy
of the import benchmark's database: the first run inserts every row, the second updates them
in place.  Target (issue 5): 100,000 accounts with 300,000 contacts scored in under 10 s.

    .venv/bin/python bench/bench_score_run.py [--source bench/out/bench-import.db] [--rounds 2]

With ``--baseline DIR`` (a checkout of an earlier commit, e.g. ``git worktree add --detach
/tmp/old HEAD~5``) the same runs are made with that code too, alternately, so the ratio is
measured in one run on this shared, noisy machine.  The baseline gets its own database copy
(it may know an older schema).  Also prints how much two processes gain over one on this
machine (pure Python arithmetic), since scoring runs in worker processes.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from multiprocessing import get_context
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SEGMENTS = ("sample-sites", "construction-ru-crm")


def _burn(n: int) -> float:
    t = time.process_time()
    s = 0
    for i in range(n):
        s += i * i
    return time.process_time() - t


def parallel_gain(n: int = 10_000_000) -> float:
    """Work done by two processes at once over one alone, in the same wall time (2.0 = two
    real cores)."""
    t = time.perf_counter()
    _burn(n)
    one = time.perf_counter() - t
    with get_context("fork").Pool(2) as pool:
        t = time.perf_counter()
        pool.map(_burn, [n, n])
        two = time.perf_counter() - t
    return 2 * one / two


def run(code: Path, db: Path, segment: str) -> tuple[float, float, int, str]:
    """(wall s, cpu s of the process and its workers, peak RSS KB, summary line)."""
    cmd = [
        "/usr/bin/time",
        "-f",
        "TIME %e %U %S %M",
        sys.executable,
        "-m",
        "leadgen",
        "--database-url",
        f"sqlite:///{db}",
        "score",
        str(ROOT / "examples" / "segments" / f"{segment}.toml"),
    ]
    env = {**os.environ, "PYTHONPATH": str(code)}
    proc = subprocess.run(cmd, cwd=code, env=env, capture_output=True, text=True)
    m = re.search(r"TIME ([\d.]+) ([\d.]+) ([\d.]+) (\d+)", proc.stderr)
    if proc.returncode != 0 or not m:
        raise SystemExit(f"{code}: leadgen score {segment} failed:\n{proc.stderr[-2000:]}")
    summary = next((ln for ln in proc.stderr.splitlines() if ln.startswith("segment ")), "")
    wall, user, sys_, rss = float(m[1]), float(m[2]), float(m[3]), int(m[4])
    return wall, user + sys_, rss, summary


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--source", type=Path, default=ROOT / "bench" / "out" / "bench-import.db")
    ap.add_argument("--rounds", type=int, default=2)
    ap.add_argument("--baseline", type=Path, help="an earlier checkout to compare with")
    args = ap.parse_args()
    if not args.source.exists():
        raise SystemExit(f"{args.source} is missing: run bench/bench_import_export.py first")
    print(f"two processes do {parallel_gain():.2f}x the work of one on this machine")
    print(f"load average {os.getloadavg()[0]:.2f}")
    codes = [("new", ROOT)] + ([("baseline", args.baseline.resolve())] if args.baseline else [])
    with tempfile.TemporaryDirectory(prefix="leadgen-bench-score-") as tmp:
        for segment in SEGMENTS:
            for r in range(args.rounds):
                for label, code in codes:
                    db = Path(tmp) / f"{label}.db"
                    for suffix in ("", "-wal", "-shm"):
                        Path(f"{db}{suffix}").unlink(missing_ok=True)
                    shutil.copyfile(args.source, db)
                    for what in ("first (inserts)", "again (updates)"):
                        wall, cpu, rss, summary = run(code, db, segment)
                        print(
                            f"{segment:20} round {r + 1} {label:8} {what:16} "
                            f"{wall:6.2f} s wall {cpu:6.2f} s cpu {rss / 1024:6.0f} MB"
                            f"  load {os.getloadavg()[0]:.2f}"
                        )
                if r == 0:
                    print(f"  {summary}")


if __name__ == "__main__":
    main()
