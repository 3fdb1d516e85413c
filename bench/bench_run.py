"""Benchmark: ``leadgen run SEGMENT.toml`` on a generated site of 2,000 companies, time per stage.

Issue 5 ("Performance"): the one-command pipeline on a generated 2,000-company sample site,
time per stage reported.

    .venv/bin/python bench/bench_run.py [--companies 2000] [--set NAME=VALUE ...] [--keep]

The world is bench/bench_crawl.py's (``bench.crawlsite``): a directory (20 companies per list
page, detail pages) and a 5-page website per company in Russian, German or English, served by
nginx as a loopback forward proxy.  A segment file pointing at it is written, then
``leadgen run`` runs as a new process with its defaults (polite crawl settings: AutoThrottle,
2 requests at a time per site), ``--skip enrich`` (verification would ask DNS servers outside
this machine; bench/bench_verify.py measures it against local ones).  ``--set NAME=VALUE``
passes crawl settings through ``leadgen run --set`` (e.g. no AutoThrottle, more requests per
site).  Printed: the command, each stage's seconds and counts from the run's summary (pages,
companies and people per second for the crawl), the wall time of the whole command, and the
accounts and people in the database at the end.

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

from bench.bench_crawl import SOURCE  # noqa: E402
from bench.crawlsite.render import write_world  # noqa: E402
from bench.crawlsite.server import NginxSites, find_nginx  # noqa: E402
from bench.crawlsite.world import PER_PAGE, SITE_PAGES, build_world  # noqa: E402

SCORING = """
[icp]
missing = "pass"

[[scoring.attractiveness.criteria]]
name = "size"
field = "employees"
kind = "bands"
weight = 1
missing = 2
bands = [{ min = 0, points = 2 }, { min = 50, points = 6 }, { min = 250, points = 10 }]

[[scoring.attractiveness.criteria]]
name = "registered"
field = "inn"
kind = "boolean"
weight = 1
yes = 10

[[scoring.position.criteria]]
name = "reachable"
field = "phones"
kind = "boolean"
weight = 1
yes = 10

[[scoring.position.criteria]]
name = "people known"
field = "people"
kind = "boolean"
weight = 1
yes = 10
"""


def segment_text(start: str, max_pages: int) -> str:
    """The benchmark's segment: bench_crawl's source as its one [[sources]] table."""
    source = SOURCE.format(start=start, max_pages=max_pages)
    lines = ['name = "bench-run"', 'description = "bench/bench_run.py"', "", "[[sources]]"]
    for line in source.splitlines():
        if line.startswith("#"):
            continue
        if line.startswith("[") and line.endswith("]"):
            line = "[sources." + line[1:]
        lines.append(line)
    return "\n".join(lines) + "\n" + SCORING


def prepare(work: Path, companies: int, seed: int) -> tuple[Path, dict[str, str]]:
    """The generated world under ``work/sites``, the segment file pointing at its directory,
    and the environment for leadgen processes (jobs under ``work/jobs``, nothing proxied
    outside)."""
    per_company = 1 + len(SITE_PAGES["ru"]) + 1 / PER_PAGE
    world = build_world(int(companies * per_company) + 1, seed)
    written = write_world(world, work / "sites")
    print(
        f"world: {len(world.companies)} companies, {written['html_pages']} HTML pages, "
        f"{world.people} people"
    )
    segment = work / "segment.toml"
    segment.write_text(segment_text(world.list_url(1), world.list_pages + 10), encoding="utf-8")
    env = {
        **os.environ,
        "LEADGEN_JOBS_DIR": str(work / "jobs"),
        "no_proxy": "127.0.0.1,localhost",
        "NO_PROXY": "127.0.0.1,localhost",
    }
    env.pop("LEADGEN_DATABASE_URL", None)
    return segment, env


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--companies", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=20240917)
    parser.add_argument("--keep", action="store_true", help="keep the temporary directory")
    parser.add_argument(
        "--set",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="a crawl setting for leadgen run --set (repeatable)",
    )
    args = parser.parse_args()
    if not find_nginx():
        print("needs nginx: apt-get install nginx-light", file=sys.stderr)
        return 2
    work = Path(tempfile.mkdtemp(prefix="leadgen-bench-run-"))
    segment, env = prepare(work, args.companies, args.seed)
    with NginxSites(work / "sites", work / "nginx") as server:
        cmd = [
            sys.executable,
            "-m",
            "leadgen",
            "--database-url",
            f"sqlite:///{work / 'run.db'}",
            "run",
            str(segment),
            "--proxy",
            server.proxy_url,
            "--skip",
            "enrich",
            "--json",
        ]
        for pair in args.set:
            cmd += ["--set", pair]
        print("command: leadgen run SEGMENT --proxy PROXY --skip enrich --json", *cmd[12:])
        started = time.monotonic()
        proc = subprocess.run(cmd, capture_output=True, text=True, env=env, cwd=ROOT)
        wall = time.monotonic() - started
    if proc.returncode != 0:
        print(proc.stderr[-2000:], file=sys.stderr)
        return 1
    summary = json.loads(proc.stdout)
    print(f"leadgen run: {wall:.1f} s wall (status {summary['status']})")
    for stage, info in summary["stages"].items():
        c, secs = info.get("counts") or {}, info.get("seconds") or 0.0
        if stage.startswith("crawl:"):
            rate = f"{c.get('pages', 0) / secs:.1f} pages/s" if secs else ""
            what = (
                f"{c.get('pages')} pages ({rate}), {c.get('companies_new')} companies new, "
                f"{c.get('people_new')} people new, errors {c.get('errors') or {}}"
            )
        elif stage == "dedupe":
            what = f"{c.get('companies_merged')} companies, {c.get('people_merged')} people merged"
        elif stage == "score":
            what = f"{c.get('scored')} accounts scored: {c.get('tiers')}, DQI {c.get('dqi')}"
        else:
            what = str(c)
        print(f"  {stage:8} {secs:7.1f} s  {what}")
    print("  enrich   skipped (--skip enrich)")
    import sqlite3

    with sqlite3.connect(work / "run.db") as db:
        companies = db.execute("SELECT count(*) FROM companies").fetchone()[0]
        people = db.execute("SELECT count(*) FROM people").fetchone()[0]
    print(f"database: {companies} accounts, {people} people")
    if args.keep:
        print(f"kept: {work}")
    else:
        import shutil

        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
