"""Benchmark: the storage side of scoring on 100k companies with 300k people (SQLite).

Times ``load_accounts`` (every account as the scorer's dict), ``save_scores`` of synthetic
results (first save: inserts; second: updates in place), ``list_segment`` of a tier (median of
7), and ``segment_report``.  Targets (issue 5): scoring 100,000 accounts with 300,000 contacts
under 10 s in all (load + score + save: the scorer's own share is benchmarked with it); ``list``
of a tier under 200 ms.

    .venv/bin/python bench/bench_score_storage.py [--source bench/out/bench-import.db]

The source database is the one ``bench/bench_import_export.py`` builds (imported here the same
way when it is missing); it is copied to bench/out/bench-score.db, and a fact
``revenue_growth`` (every other company) and ``booth`` (every tenth) are added to the copy so
the facts read is not empty.
"""

from __future__ import annotations

import argparse
import random
import shutil
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from storage.accounts import load_accounts  # noqa: E402
from storage.db import finish_bulk_write, make_engine, write_transaction  # noqa: E402
from storage.repository import value_hash  # noqa: E402
from storage.scores import list_segment, save_scores, segment_report, set_override  # noqa: E402

CELLS = ("low", "medium", "high")
TIER_OF = {  # (attractiveness band, position band) -> tier, as a segment file might map them
    ("high", "high"): "strategic",
    ("high", "medium"): "strategic",
    ("medium", "high"): "strategic",
    ("high", "low"): "scale",
    ("medium", "medium"): "scale",
    ("low", "high"): "scale",
}


def band(x: float) -> str:
    return "high" if x >= 66.7 else "medium" if x >= 33.3 else "low"


def results(accounts: list[dict], seed: int = 5) -> list[dict]:
    rng = random.Random(seed)
    out = []
    for a in accounts:
        att, pos = round(rng.uniform(0, 100), 1), round(rng.uniform(0, 100), 1)
        cell = f"{band(att)}/{band(pos)}"
        missing = [f for f in ("employees", "revenue", "phones") if not a.get(f)]
        out.append(
            {
                "company_id": a["id"],
                "attractiveness": att,
                "position": pos,
                "cell": cell,
                "tier": TIER_OF.get((band(att), band(pos)), "programmatic"),
                "total": round((att + pos) / 2, 2),
                "dqi": round(1 - len(missing) / 6, 3),
                "explanation": {
                    "attractiveness": [
                        {"criterion": "employees", "value": a["employees"], "points": att},
                    ],
                    "position": [{"criterion": "status", "value": a["status"], "points": pos}],
                    "dqi": {"missing": missing, "incomplete": len(a["people"]) < 3},
                },
            }
        )
    return out


def add_facts(engine) -> int:
    with write_transaction(engine) as conn:
        if conn.exec_driver_sql(
            "SELECT 1 FROM observations WHERE field = 'fact.revenue_growth' LIMIT 1"
        ).first():
            return 0
        ids = [r[0] for r in conn.exec_driver_sql("SELECT id FROM companies ORDER BY id")]
        rng = random.Random(3)
        now = "2026-12-01 00:00:00.000000"
        rows = []
        for cid in ids:
            facts = []
            if cid % 2 == 0:
                facts.append(("fact.revenue_growth", f"{rng.uniform(-0.2, 0.4):.3f}"))
            if cid % 10 == 0:
                facts.append(("fact.booth", f"{rng.choice('ABCD')}{rng.randint(1, 99)}"))
            for field, value in facts:
                rows.append(
                    ("company", cid, field, value, value_hash(value), "bench:facts", "", now, now)
                )
        conn.exec_driver_sql(
            "INSERT INTO observations (entity_type, entity_id, field, value, value_hash, "
            "source, locator, first_seen_at, last_seen_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            rows,
        )
    finish_bulk_write(engine)
    return len(rows)


def timed(fn):
    t = time.perf_counter()
    out = fn()
    return out, time.perf_counter() - t


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--source", default=str(ROOT / "bench" / "out" / "bench-import.db"))
    ap.add_argument("--companies", type=int, default=100_000, help="when importing anew")
    args = ap.parse_args()
    out = ROOT / "bench" / "out"
    out.mkdir(parents=True, exist_ok=True)
    src = Path(args.source)
    if not src.exists():
        from bench.generate import write_list
        from leadgen.importing.stage import import_file

        csv = out / f"list-{args.companies}x3.csv"
        if not csv.exists():
            write_list(csv, args.companies, 3)
        import_file(make_engine(f"sqlite:///{src}"), csv, source="bench")
    db = out / "bench-score.db"
    for p in out.glob("bench-score.db*"):
        p.unlink()
    shutil.copyfile(src, db)
    engine = make_engine(f"sqlite:///{db}")
    print(f"facts added: {add_facts(engine)}")

    for attempt in (1, 2):
        accounts, t = timed(lambda: list(load_accounts(engine)))
        people = sum(len(a["people"]) for a in accounts)
        emails = sum(len(p["emails"]) for a in accounts for p in a["people"])
        emails += sum(len(a["company_emails"]) for a in accounts)
        facts = sum(len(a["facts"]) for a in accounts)
        print(
            f"load_accounts #{attempt}: {len(accounts)} accounts, {people} people, "
            f"{emails} emails, {facts} facts in {t:.2f} s"
        )
    res = results(accounts)
    kw = {
        "description": "bench",
        "definition": {"name": "bench"},
        "config_hash": "bench",
        "run_id": None,
    }
    counts, t = timed(lambda: save_scores(engine, "bench", results=res, **kw))
    print(f"save_scores (new): {counts} in {t:.2f} s")
    strategic = [r["company_id"] for r in res if r["tier"] == "programmatic"][:100]
    for cid in strategic:
        set_override(engine, "bench", cid, "strategic", "bench override")
    counts, t = timed(lambda: save_scores(engine, "bench", results=res, **kw))
    print(f"save_scores (again, updates in place): {counts} in {t:.2f} s")
    finish_bulk_write(engine)

    with engine.connect() as conn:
        for label, kw in (
            ("tier strategic", {"tier": "strategic"}),
            ("tier programmatic", {"tier": "programmatic"}),
            ("all", {}),
            ("cell high/high", {"cell": "high/high"}),
            ("tier scale, page 20", {"tier": "scale", "offset": 1000}),
        ):
            times = []
            for _ in range(7):
                rows, t = timed(lambda kw=kw: list_segment(conn, "bench", **kw))
                times.append(t)
            print(
                f"list_segment {label}: {len(rows)} rows, "
                f"median {statistics.median(times) * 1000:.1f} ms "
                f"(min {min(times) * 1000:.1f}, max {max(times) * 1000:.1f})"
            )
        rep, t = timed(lambda: segment_report(conn, "bench"))
        print(
            f"segment_report: {rep['accounts']} accounts, tiers {rep['tiers']}, "
            f"{len(rep['sources'])} sources in {t:.2f} s"
        )
        plan = conn.exec_driver_sql(
            "EXPLAIN QUERY PLAN SELECT company_id FROM scores WHERE segment_id = 1 AND "
            "((override_tier IS NULL AND tier = 'strategic') OR override_tier = 'strategic') "
            "ORDER BY total DESC, company_id LIMIT 50"
        ).all()
        print("plan (tier page):", "; ".join(r[-1] for r in plan))


if __name__ == "__main__":
    main()
