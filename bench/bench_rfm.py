"""Benchmark: RFM and ABC over 1M order lines, the whole command including the database read.

Target (issue 6): RFM/ABC on 1,000,000 order lines in under 30 s.

    .venv/bin/python bench/bench_rfm.py [--lines 1000000] [--customers 50000] [--rebuild]

The database ``bench/out/bench-rfm-<lines>.db`` is generated (seeded) once and reused while its
generator version matches: ``--customers`` accounts, a third of them with a person and an email;
order lines drawn for customers with Zipf-like weights (a few customers place most orders, as in
real sales), dates uniform over three years before 2026-12-01, amounts log-normal.  Lines are
bulk-inserted (``storage.bulk.insert_rows``) with unique keys, as ``leadgen import-orders``
stores them.

Timed, each as a new process (Python start-up, migration check, the read through the covering
index, the computation, the output):

* ``leadgen customers --as-of 2026-12-01`` (the first 50 customers as a table);
* ``leadgen customers --as-of 2026-12-01 --json --limit 0`` (every customer with its account
  and best contact, as JSON);
* ``leadgen reactivation --as-of 2026-12-01 --json --limit 0``.

Then in-process, the parts: reading the histories, folding them, RFM, ABC.
"""

from __future__ import annotations

import argparse
import math
import os
import random
import subprocess
import sys
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from storage.bulk import insert_rows  # noqa: E402
from storage.clock import utcnow  # noqa: E402
from storage.db import finish_bulk_write, make_engine, write_transaction  # noqa: E402
from storage.models import Company, Email, Order, Person  # noqa: E402

TARGET_S = 30.0
SEED = 20261201
AS_OF = date(2026, 12, 1)
GENERATOR_VERSION = 1
CHUNK = 50_000


def _label(n: int) -> str:
    return f"{n // 1_000_000}m" if n % 1_000_000 == 0 else str(n)


def build(path: Path, lines: int, customers: int) -> None:
    if path.exists():
        path.unlink()
    for extra in ("-wal", "-shm"):
        Path(str(path) + extra).unlink(missing_ok=True)
    engine = make_engine(f"sqlite:///{path}")
    rnd = random.Random(SEED)
    now = utcnow()
    started = time.perf_counter()
    companies, people, emails = [], [], []
    for i in range(1, customers + 1):
        companies.append(
            {
                "id": i,
                "name": f"ООО «Клиент {i}»",
                "name_key": f"клиент {i}",
                "domain": f"client{i}.ru",
                "city_key": "",
                "phones": [],
                "registry_ids": {},
                "social": {},
                "technologies": [],
                "status": "current",
                "first_seen": now,
                "last_seen": now,
            }
        )
        if i % 3 == 0:
            pid = len(people) + 1
            people.append(
                {
                    "id": pid,
                    "company_id": i,
                    "full_name": f"Иванов Иван {i}",
                    "name_key": f"иванов иван {i}",
                    "title": "Генеральный директор",
                    "is_decision_maker": True,
                    "phones": [],
                    "first_seen": now,
                    "last_seen": now,
                }
            )
            emails.append(
                {
                    "id": pid,
                    "address": f"ivanov@client{i}.ru",
                    "domain": f"client{i}.ru",
                    "person_id": pid,
                    "company_id": i,
                    "kind": "personal",
                    "origin": "imported",
                    "status": "valid",
                    "attempts": 0,
                    "first_seen": now,
                    "last_seen": now,
                }
            )
    with write_transaction(engine) as conn:
        for table, rows in ((Company, companies), (Person, people), (Email, emails)):
            for start in range(0, len(rows), CHUNK):
                insert_rows(conn, table.__table__, rows[start : start + CHUNK])
    # Zipf-like weights: customer k places orders in proportion to 1 / k^0.8.
    weights = [1 / (k**0.8) for k in range(1, customers + 1)]
    order = list(range(1, customers + 1))
    rnd.shuffle(order)  # big customers are not the low ids
    cum, total = [], 0.0
    for w in weights:
        total += w
        cum.append(total)
    span = 3 * 365
    first_day = AS_OF - timedelta(days=span)
    table = Order.__table__
    written = 0
    while written < lines:
        n = min(CHUNK, lines - written)
        picks = rnd.choices(order, cum_weights=cum, k=n)
        rows = [
            {
                "id": written + j + 1,
                "company_id": cid,
                "order_key": f"row:{written + j + 1:012d}",
                "order_number": None,
                "order_date": first_day + timedelta(days=rnd.randrange(span)),
                "amount": round(math.exp(rnd.gauss(9.5, 1.1)), 2),  # median ~13,000
                "currency": "RUB",
                "matched_by": "domain",
                "source": "import:bench",
                "locator": f"bench.csv row {written + j + 2}",
                "run_id": None,
                "created_at": now,
            }
            for j, cid in enumerate(picks)
        ]
        with write_transaction(engine) as conn:
            insert_rows(conn, table, rows)
        written += n
    finish_bulk_write(engine)
    with engine.connect() as conn:
        conn.connection.driver_connection.execute(f"PRAGMA user_version={GENERATOR_VERSION}")
    engine.dispose()
    print(
        f"generated {customers:,} customers, {lines:,} order lines in "
        f"{time.perf_counter() - started:.1f} s ({path.stat().st_size / 1e6:.0f} MB)"
    )


def timed_command(db: Path, *args: str) -> tuple[float, float, int]:
    """(wall seconds, peak RSS MB of this child alone, bytes on stdout)."""
    import tempfile

    env = {**os.environ, "LEADGEN_DATABASE_URL": f"sqlite:///{db}", "COLUMNS": "160"}
    with tempfile.TemporaryFile() as stdout:
        started = time.perf_counter()
        proc = subprocess.Popen(
            [str(ROOT / ".venv" / "bin" / "leadgen"), *args],
            env=env,
            stdout=stdout,
            stderr=subprocess.DEVNULL,
        )
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - started
        proc.returncode = os.waitstatus_to_exitcode(status)
        if proc.returncode:
            raise SystemExit(f"leadgen {' '.join(args)} failed ({proc.returncode})")
        size = stdout.tell()
    return wall, usage.ru_maxrss / 1024, size


def parts(db: Path) -> list[tuple[str, float]]:
    from scoring.customers import abc_classes, rfm_scores, summarize_orders
    from storage.orders import iter_order_histories

    engine = make_engine(f"sqlite:///{db}")
    out = []
    with engine.connect() as conn:
        t = time.perf_counter()
        histories = list(iter_order_histories(conn))
        out.append(("read histories", time.perf_counter() - t))
    t = time.perf_counter()
    summaries = [summarize_orders(cid, lines) for cid, lines in histories]
    out.append(("fold per customer", time.perf_counter() - t))
    t = time.perf_counter()
    rfm_scores(summaries, AS_OF)
    out.append(("RFM scores + segments", time.perf_counter() - t))
    t = time.perf_counter()
    abc_classes({s.id: s.revenue for s in summaries})
    out.append(("ABC classes", time.perf_counter() - t))
    engine.dispose()
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--lines", type=int, default=1_000_000)
    ap.add_argument("--customers", type=int, default=50_000)
    ap.add_argument("--rebuild", action="store_true")
    args = ap.parse_args()
    out_dir = ROOT / "bench" / "out"
    out_dir.mkdir(parents=True, exist_ok=True)
    db = out_dir / f"bench-rfm-{_label(args.lines)}-{args.customers}.db"
    fresh = db.exists() and not args.rebuild
    if fresh:
        import sqlite3

        with sqlite3.connect(db) as con:
            fresh = con.execute("PRAGMA user_version").fetchone()[0] == GENERATOR_VERSION
    if not fresh:
        build(db, args.lines, args.customers)
    print(f"database: {db.name}, {db.stat().st_size / 1e6:.0f} MB\n")
    print("| command | wall | peak RSS | stdout | target |")
    print("| --- | --- | --- | --- | --- |")
    day = AS_OF.isoformat()
    for cmd in (
        ["customers", "--as-of", day],
        ["customers", "--as-of", day, "--json", "--limit", "0"],
        ["reactivation", "--as-of", day, "--json", "--limit", "0"],
    ):
        wall, rss, size = timed_command(db, *cmd)
        ok = "met" if wall < TARGET_S else "NOT MET"
        print(
            f"| `leadgen {' '.join(cmd)}` | {wall:.1f} s | {rss:.0f} MB | "
            f"{size / 1e6:.1f} MB | under {TARGET_S:.0f} s: {ok} |"
        )
    print("\nIn-process parts:")
    for name, seconds in parts(db):
        print(f"  {name:24s} {seconds:6.2f} s")


if __name__ == "__main__":
    main()
