"""Benchmark: ``leadgen refresh`` of an unchanged generated site against the first ``leadgen run``.

Issue 6 ("Performance"): a refresh of an unchanged 2,000-site sample costs well under half of
the first run's time and requests (conditional requests), measured in the same run.

    .venv/bin/python bench/bench_refresh.py [--companies 2000] [--set NAME=VALUE ...] [--keep]

bench/bench_run.py's world (a directory and a 5-page website per company, served by nginx on
loopback, which answers conditional requests with 304 as any static web server does).  First
``leadgen run SEGMENT --skip enrich`` (crawl, merge, score), then ``leadgen refresh SEGMENT
--skip enrich --all`` (every account: the run has just read them all, so none is due yet),
both as new processes with the same crawl settings (``--set``: e.g. no AutoThrottle for a
quick figure; the default is the polite one).  Then the same refresh once more with the HTTP
cache moved away: the same websites read in full, the fair measure of what conditional
requests save (the first run also reads the directory, which a refresh does not).  Enrich
is skipped throughout: it would ask DNS servers outside this machine.  Printed per pass: wall
time, requests, full pages (200), pages not modified (304), bytes downloaded; and the
refresh's share of each.

Needs nginx (Debian: ``apt-get install nginx-light``).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.bench_run import prepare  # noqa: E402
from bench.crawlsite.server import NginxSites, find_nginx  # noqa: E402


def _crawl_counts(summary: dict) -> dict:
    """Requests, 304s and bytes of every crawl of a run or refresh summary."""
    out = {"requests": 0, "pages": 0, "not_modified": 0, "bytes": 0, "crawl_seconds": 0.0}
    for stage, info in summary.get("stages", {}).items():
        if stage.startswith("crawl"):
            c = info.get("counts") or {}
            for k in ("requests", "pages", "not_modified", "bytes"):
                out[k] += int(c.get(k) or 0)
            out["crawl_seconds"] += float(info.get("seconds") or 0.0)
    return out


TITLES = {
    "run": "leadgen run",
    "refresh": "leadgen refresh --all",
    "uncached": "leadgen refresh --all, no cache",
}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--companies", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=20240917)
    parser.add_argument("--keep", action="store_true", help="keep the temporary directory")
    parser.add_argument("--set", action="append", default=[], metavar="NAME=VALUE")
    args = parser.parse_args()
    if not find_nginx():
        print("needs nginx: apt-get install nginx-light", file=sys.stderr)
        return 2
    work = Path(tempfile.mkdtemp(prefix="leadgen-bench-refresh-"))
    segment, env = prepare(work, args.companies, args.seed)
    results = {}
    with NginxSites(work / "sites", work / "nginx") as server:
        for label in ("run", "refresh", "uncached"):
            command = "run" if label == "run" else "refresh"
            if label == "uncached":  # the same websites with nothing cached: all read in full
                cache = Path(env["LEADGEN_JOBS_DIR"]) / "httpcache"
                cache.rename(cache.with_name("httpcache-away"))
            cmd = [sys.executable, "-m", "leadgen", "--database-url", f"sqlite:///{work / 'r.db'}"]
            cmd += [
                command,
                str(segment),
                "--proxy",
                server.proxy_url,
                "--skip",
                "enrich",
                "--json",
            ]
            if command == "refresh":
                cmd += ["--all"]  # the run just read every site: nothing would be due yet
            for pair in args.set:
                cmd += ["--set", pair]
            started = time.monotonic()
            proc = subprocess.run(cmd, capture_output=True, text=True, env=env, cwd=ROOT)
            wall = time.monotonic() - started
            if proc.returncode != 0:
                print(proc.stderr[-3000:], file=sys.stderr)
                return 1
            summary = json.loads(proc.stdout)
            counts = _crawl_counts(summary)
            results[label] = {"wall": wall, **counts}
            extra = f", {summary.get('due')} due" if command == "refresh" else ""
            print(
                f"{TITLES[label]:32}: {wall:7.1f} s wall, crawl {counts['crawl_seconds']:.1f} s, "
                f"{counts['requests']} requests, {counts['pages']} pages, "
                f"{counts['not_modified']} not modified (304), "
                f"{counts['bytes'] / 1e6:.1f} MB{extra}; load {os.getloadavg()[0]:.2f}"
            )
    run, ref, full = results["run"], results["refresh"], results["uncached"]
    for key, label in (
        ("wall", "time"),
        ("crawl_seconds", "crawl time"),
        ("requests", "requests"),
        ("bytes", "bytes"),
    ):
        share = ref[key] / run[key] if run[key] else float("nan")
        same = ref[key] / full[key] if full[key] else float("nan")
        print(f"refresh / first run, {label}: {share:.2f}; refresh / uncached refresh: {same:.2f}")
    full_run = run["pages"] - run["not_modified"]
    full_ref = ref["pages"] - ref["not_modified"]
    print(f"full pages (not 304): first run {full_run}, refresh {full_ref}")
    if args.keep:
        print(f"kept: {work}")
    else:
        import shutil

        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
