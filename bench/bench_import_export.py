"""Benchmark: import 100k companies with 300k people from CSV into SQLite, then export them.

Targets (issue: foundation): import under 60 s, CSV export under 10 s, on this 2-core machine.

    .venv/bin/python bench/bench_import_export.py [--companies 100000] [--people 3] [--no-export]

The list is generated (bench/generate.py, seeded) into bench/out/; the database is a fresh SQLite
file there.  Prints one line per figure; peak memory is the process's max RSS.
"""

from __future__ import annotations

import argparse
import resource
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.generate import write_list  # noqa: E402
from leadgen.importing.stage import import_file  # noqa: E402
from storage.db import make_engine  # noqa: E402
from storage.exports import export  # noqa: E402
from storage.queries import ProspectFilter  # noqa: E402


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--companies", type=int, default=100_000)
    ap.add_argument("--people", type=int, default=3)
    ap.add_argument("--xlsx", action="store_true", help="also time an XLSX export")
    ap.add_argument(
        "--no-export", action="store_true", help="time the import and the re-import only"
    )
    args = ap.parse_args()
    out = ROOT / "bench" / "out"
    out.mkdir(parents=True, exist_ok=True)
    src = out / f"list-{args.companies}x{args.people}.csv"
    if not src.exists():
        t = time.perf_counter()
        write_list(src, args.companies, args.people)
        print(
            f"generated {src.name} ({src.stat().st_size / 1e6:.1f} MB) in "
            f"{time.perf_counter() - t:.1f}s"
        )
    db = out / "bench-import.db"
    for p in out.glob("bench-import.db*"):
        p.unlink()
    engine = make_engine(f"sqlite:///{db}")

    t = time.perf_counter()
    s = import_file(engine, src, source="bench", rejects_path=out / "rejects.csv")
    t_import = time.perf_counter() - t
    r = s.result
    print(
        f"import: {s.rows} rows -> {r.companies_new} companies, {r.people_new} people, "
        f"{r.emails_new} emails in {t_import:.1f}s ({s.rows / t_import:,.0f} rows/s); "
        f"rejected {s.rejected_rows}, problems {len(s.problems)}; peak RSS {rss_mb():.0f} MB"
    )

    t = time.perf_counter()
    s2 = import_file(engine, src, source="bench", rejects_path=out / "rejects.csv")
    t_again = time.perf_counter() - t
    print(
        f"re-import (no changes): {t_again:.1f}s, companies new/updated "
        f"{s2.result.companies_new}/{s2.result.companies_updated}"
    )
    if args.no_export:
        print(f"peak RSS {rss_mb():.0f} MB")
        return

    t = time.perf_counter()
    e = export(engine, out / "export.csv", fmt="csv", flt=ProspectFilter())
    t_csv = time.perf_counter() - t
    print(f"export csv (one row per company): {e.rows} rows in {t_csv:.1f}s")
    t = time.perf_counter()
    e = export(engine, out / "contacts.csv", fmt="csv", flt=ProspectFilter(), contacts=True)
    print(f"export csv --contacts: {e.rows} rows in {time.perf_counter() - t:.1f}s")
    if args.xlsx:
        t = time.perf_counter()
        e = export(engine, out / "export.xlsx", fmt="xlsx", flt=ProspectFilter())
        print(f"export xlsx: {e.rows} rows in {time.perf_counter() - t:.1f}s")
    print(f"peak RSS {rss_mb():.0f} MB")


if __name__ == "__main__":
    main()
