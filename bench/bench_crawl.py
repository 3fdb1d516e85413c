"""Benchmark: full crawl pipeline throughput against a bare Scrapy spider, and peak memory.

Target (issue 3, "Performance"): on a generated local site world of 20,000 directory and
company pages served by a fast local server, the full pipeline (``leadgen crawl directory``:
extraction + normalization + storing into SQLite) reaches at least 0.6 of the pages per second
of a bare Scrapy spider that only follows the same links, both measured in the same run; the
full crawl's peak memory stays under 500 MB.

    .venv/bin/python bench/bench_crawl.py [--pages 20000] [--quick] [--keep]
        [--concurrency 32] [--profile] [--py-spy PATH]

1. ``bench.crawlsite.world`` builds a seeded world: one directory (20 companies per list page,
   ``?page=N`` pagination, one detail page per company) and a website of 5 pages per company
   (home, contact, about, team, legal notice) in Russian, German or English, plus robots.txt
   and sitemap.xml per host; ``bench.crawlsite.render`` writes it as files (8-30 KB pages).
2. nginx serves it as a plain HTTP forward proxy on 127.0.0.1 (``bench.crawlsite.server``);
   its raw throughput is measured first (wrk, or an asyncio client).
3. Two crawls of the same world, each in its own process, with the same settings (no
   AutoThrottle, no delay, ``--concurrency`` requests at once, also per domain, robots.txt
   obeyed, LOG_LEVEL=WARNING, DEPTH_LIMIT=0, leadgen's own default):
   the bare spider (``bench.crawlsite.bare``), then ``leadgen crawl directory`` into a fresh
   SQLite file.  Pages per second = ``response_received_count / elapsed_time_seconds`` from
   Scrapy's stats (spider open to close: process start-up excluded), written by the
   ``bench.crawlsite.statsdump`` extension; peak RSS of the crawl process and its
   page-reading workers together (sampled from /proc).
4. The full crawl's database must hold every generated company and person.
5. ``--profile`` crawls once more under cProfile (main thread only) and prints the top 15 by
   cumulative and by own time; ``--py-spy PATH`` does the same with a py-spy binary (all
   threads, so the storage worker thread is seen too).  Profiled runs are not timed.

Needs nginx (Debian: ``apt-get install nginx-light``); wrk is optional.
"""

from __future__ import annotations

import argparse
import json
import os
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.crawlsite.loadtest import check, raw_throughput  # noqa: E402
from bench.crawlsite.profiles import cprofile_top, pyspy_top  # noqa: E402
from bench.crawlsite.render import write_world  # noqa: E402
from bench.crawlsite.server import NginxSites, find_nginx  # noqa: E402
from bench.crawlsite.world import World, build_world  # noqa: E402

TARGET_RATIO = 0.6
TARGET_RSS_MB = 500
QUICK_PAGES = 2_000

SOURCE = """\
# The benchmark's generated directory (bench/bench_crawl.py).
spider = "directory"
start_urls = ["{start}"]
country = "RU"
max_pages = {max_pages}
follow_websites = true
pages_per_site = 15

[list]
item = "div.firm-card"
next_page = "a.next::attr(href)"
detail_link = "a.more::attr(href)"

[list.fields]
name = "h3::text"
city = "span.city::text"

[detail]
item = "main.firm"

[detail.fields]
website = "a.site::attr(href)"
phone = "a.phone::attr(href)"
city = "span.city::text"
inn = "span.inn::text"
"""


def crawl_settings(concurrency: int, stats_file: Path) -> list[str]:
    return [
        "AUTOTHROTTLE_ENABLED=False",
        "DOWNLOAD_DELAY=0",
        f"CONCURRENT_REQUESTS={concurrency}",
        f"CONCURRENT_REQUESTS_PER_DOMAIN={concurrency}",
        "DEPTH_LIMIT=0",
        "LEADGEN_DEFAULT_SCHEME=http",
        "LOG_LEVEL=WARNING",
        'EXTENSIONS={"bench.crawlsite.statsdump.StatsDump": 1000}',
        f"BENCH_STATS_FILE={stats_file}",
    ]


def _env() -> dict[str, str]:
    env = {
        **os.environ,
        "no_proxy": "127.0.0.1,localhost",
        "NO_PROXY": "127.0.0.1,localhost",
        "PYTHONPATH": str(ROOT),
    }
    for name in ("LEADGEN_DATABASE_URL", "http_proxy", "HTTP_PROXY"):
        env.pop(name, None)
    return env


def _tree_rss_kb(pid: int) -> int:
    """Resident memory of ``pid`` and all its descendants (the page-reading workers and
    their forkserver included), from /proc."""
    total, todo = 0, [pid]
    while todo:
        p = todo.pop()
        try:
            with open(f"/proc/{p}/status") as f:
                total += next((int(line.split()[1]) for line in f if line.startswith("VmRSS:")), 0)
            for task in os.listdir(f"/proc/{p}/task"):
                with open(f"/proc/{p}/task/{task}/children") as f:
                    todo += [int(c) for c in f.read().split()]
        except (OSError, ValueError):
            continue
    return total


def run_measured(cmd: list[str], cwd: Path, log: Path) -> tuple[int, float, int, float]:
    """Run ``cmd``; (exit code, wall seconds, peak RSS in KB of the whole process tree sampled
    every 0.2 s, CPU seconds of the process and its children from wait4)."""
    started = time.monotonic()
    peak = [0]
    with log.open("wb") as out:
        proc = subprocess.Popen(cmd, cwd=cwd, env=_env(), stdout=out, stderr=subprocess.STDOUT)
        done = threading.Event()

        def sample() -> None:
            while not done.wait(0.2):
                peak[0] = max(peak[0], _tree_rss_kb(proc.pid))

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        _, status, usage = os.wait4(proc.pid, 0)
        done.set()
        sampler.join()
    proc.returncode = os.waitstatus_to_exitcode(status)
    return (
        proc.returncode,
        time.monotonic() - started,
        max(peak[0], usage.ru_maxrss),
        usage.ru_utime + usage.ru_stime,
    )


def _spinner(label: str, stop: threading.Event) -> None:
    started = time.monotonic()
    while not stop.wait(30):
        print(f"  … {label}: {time.monotonic() - started:.0f} s", flush=True)


def crawl(kind: str, cmd: list[str], work: Path, stats_file: Path) -> dict:
    print(f"{kind} crawl: {' '.join(cmd[1:4])} …", flush=True)
    stop = threading.Event()
    threading.Thread(target=_spinner, args=(kind, stop), daemon=True).start()
    try:
        code, wall, rss_kb, cpu = run_measured(cmd, work, work / f"{kind}.log")
    finally:
        stop.set()
    if code != 0 or not stats_file.exists():
        tail = (work / f"{kind}.log").read_text(errors="replace")[-3000:]
        raise SystemExit(f"the {kind} crawl failed (exit {code}):\n{tail}")
    stats = json.loads(stats_file.read_text(encoding="utf-8"))
    pages = stats.get("response_received_count", 0)
    elapsed = float(stats["elapsed_time_seconds"])
    return {
        "pages": pages,
        "elapsed": elapsed,
        "rate": pages / elapsed,
        "wall": wall,
        "rss_mb": rss_kb / 1024,
        "cpu": cpu,
        "stats": stats,
    }


def db_counts(db: Path) -> dict[str, int]:
    with sqlite3.connect(db) as conn:
        q = lambda sql: conn.execute(sql).fetchone()[0]  # noqa: E731
        return {
            "companies": q("SELECT COUNT(*) FROM companies"),
            "companies_with_inn": q("SELECT COUNT(*) FROM companies WHERE inn IS NOT NULL"),
            "people": q("SELECT COUNT(*) FROM people"),
            "emails": q("SELECT COUNT(*) FROM emails"),
        }


def expected_counts(world: World) -> dict[str, int]:
    return {
        "companies": len(world.companies),
        "companies_with_inn": sum("inn" in c.ids for c in world.companies),
        "people": world.people,
    }


def full_command(
    work: Path,
    db: Path,
    source: Path,
    proxy: str,
    settings: list[str],
    prefix: list[str] | None = None,
) -> list[str]:
    cmd = [
        *(prefix or [sys.executable]),
        "-m",
        "leadgen",
        "--database-url",
        f"sqlite:///{db}",
        "crawl",
        "directory",
        "--source",
        str(source),
        "--proxy",
        proxy,
        "--json",
    ]
    for s in settings:
        cmd += ["--set", s]
    return cmd


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pages", type=int, default=20_000, help="HTML pages in the world")
    parser.add_argument("--quick", action="store_true", help=f"{QUICK_PAGES} pages (smoke run)")
    parser.add_argument("--keep", action="store_true", help="keep the temporary directory")
    parser.add_argument("--concurrency", type=int, default=32)
    parser.add_argument("--seed", type=int, default=20240917)
    parser.add_argument("--profile", action="store_true", help="one more crawl under cProfile")
    parser.add_argument("--py-spy", metavar="PATH", help="one more crawl under this py-spy")
    args = parser.parse_args()
    pages = QUICK_PAGES if args.quick else args.pages
    if find_nginx() is None:
        print(
            "nginx is not installed; the benchmark serves its sites with it "
            "(Debian: apt-get install nginx-light)",
            file=sys.stderr,
        )
        return 2
    work = Path(tempfile.mkdtemp(prefix="bench-crawl-"))
    try:
        return run(args, pages, work)
    finally:
        if args.keep:
            print(f"kept {work}")
        else:
            import shutil

            shutil.rmtree(work, ignore_errors=True)


def run(args, pages: int, work: Path) -> int:
    t = time.monotonic()
    world = build_world(pages, args.seed)
    written = write_world(world, work / "sites")
    average = written["html_bytes"] / written["html_pages"] / 1024
    print(
        f"world: {len(world.companies)} companies, {world.list_pages} list pages, "
        f"{written['html_pages']} HTML pages ({average:.1f} KB on average) + "
        f"{written['other_files']} robots.txt/sitemap.xml; {world.people} people; "
        f"written in {time.monotonic() - t:.0f} s"
    )
    source = work / "source.toml"
    source.write_text(
        SOURCE.format(start=world.list_url(1), max_pages=world.list_pages + 10), encoding="utf-8"
    )
    results: dict[str, dict] = {}
    with NginxSites(work / "sites", work / "nginx") as server:
        sample = [
            world.list_url(1),
            world.list_url(min(2, world.list_pages)),
            f"http://{world.directory}{world.detail_path(world.companies[-1])}",
        ]
        for c in world.companies[:3] + world.companies[12:13] + world.companies[17:18]:
            sample += [f"http://{c.domain}{path}" for path, _, _ in c.pages]
            sample += [f"http://{c.domain}/robots.txt", f"http://{c.domain}/sitemap.xml"]
        problems = check(server.proxy_url, sample)
        if problems:
            print("the server answers wrongly:\n  " + "\n  ".join(problems), file=sys.stderr)
            return 1
        rate, how = raw_throughput(server.proxy_url, sample, connections=args.concurrency)
        print(
            f"server: nginx, 1 worker, {server.proxy_url}; raw throughput {rate:,.0f} req/s "
            f"({how}, {len(sample)} URLs in turn)"
        )

        bare_stats = work / "bare-stats.json"
        bare_cmd = [
            sys.executable,
            "-m",
            "bench.crawlsite.bare",
            "--start",
            world.list_url(1),
            "--proxy",
            server.proxy_url,
        ]
        for s in crawl_settings(args.concurrency, bare_stats):
            bare_cmd += ["--set", s]
        results["bare"] = crawl("bare", bare_cmd, work, bare_stats)

        full_stats, db = work / "full-stats.json", work / "full.db"
        settings = crawl_settings(args.concurrency, full_stats)
        results["full"] = crawl(
            "full", full_command(work, db, source, server.proxy_url, settings), work, full_stats
        )
        got, want = db_counts(db), expected_counts(world)

        for name, r in results.items():
            s = r["stats"]
            print(
                f"{name:5} {r['pages']:6d} responses in {r['elapsed']:7.1f} s = "
                f"{r['rate']:6.1f} pages/s; peak RSS {r['rss_mb']:5.0f} MB; process wall "
                f"{r['wall']:.1f} s, CPU {r['cpu']:.1f} s ({r['pages'] / r['cpu']:.0f} pages "
                f"per CPU second); requests {s.get('downloader/request_count')}, items "
                f"{s.get('item_scraped_count', 0)}, robots.txt {s.get('robotstxt/request_count')}"
                f", errors {s.get('log_count/ERROR', 0)}"
            )
        same = results["bare"]["pages"] == results["full"]["pages"]
        print(f"same responses in both crawls: {'yes' if same else 'NO'}")
        ratio = results["full"]["rate"] / results["bare"]["rate"]
        rss = results["full"]["rss_mb"]
        print(
            f"ratio full/bare: {ratio:.2f} (target >= {TARGET_RATIO}) — "
            f"{'PASS' if ratio >= TARGET_RATIO else 'FAIL'}"
        )
        cpu_ratio = (results["full"]["pages"] / results["full"]["cpu"]) / (
            results["bare"]["pages"] / results["bare"]["cpu"]
        )
        print(
            f"ratio of pages per CPU second full/bare: {cpu_ratio:.2f} (start-up included; "
            "what the ratio would be on an idle machine with the crawl CPU-bound)"
        )
        print(
            f"full crawl peak RSS: {rss:.0f} MB (target < {TARGET_RSS_MB} MB) — "
            f"{'PASS' if rss < TARGET_RSS_MB else 'FAIL'}"
        )
        for key, value in want.items():
            print(
                f"database {key}: {got[key]} stored, {value} generated — "
                f"{'ok' if got[key] == value else 'MISMATCH'}"
            )
        print(f"database emails: {got['emails']}")

        if args.profile:
            prof = work / "full.prof"
            settings = crawl_settings(args.concurrency, work / "prof-stats.json")
            cmd = full_command(
                work,
                work / "prof.db",
                source,
                server.proxy_url,
                settings,
                [sys.executable, "-m", "cProfile", "-o", str(prof)],
            )
            crawl("cprofile", cmd, work, work / "prof-stats.json")
            print(cprofile_top(prof, ROOT))
        if args.py_spy:
            raw = work / "pyspy.txt"
            settings = crawl_settings(args.concurrency, work / "spy-stats.json")
            cmd = full_command(
                work,
                work / "spy.db",
                source,
                server.proxy_url,
                settings,
                [
                    args.py_spy,
                    "record",
                    "--format",
                    "raw",
                    "--rate",
                    "100",
                    "--nonblocking",
                    "-o",
                    str(raw),
                    "--",
                    sys.executable,
                ],
            )
            crawl("py-spy", cmd, work, work / "spy-stats.json")
            print(pyspy_top(raw, ROOT))
    ok = (
        ratio >= TARGET_RATIO
        and rss < TARGET_RSS_MB
        and same
        and all(got[k] == v for k, v in want.items())
    )
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
