"""Benchmark: the pure scoring stage over 100,000 accounts with 300,000 contacts.

Target (issue 5): scoring 100,000 accounts with 300,000 contacts in under 10 s on SQLite,
database side included; the pure part (``scoring.score_accounts``: ICP, both axes with their
explanations, cell, tier, overrides, DQI, contact ranking) should take 2–3 s at most.

    .venv/bin/python bench/bench_score.py [--accounts 100000] [--contacts 3] [--repeat 3]

Account dicts are generated, seeded, in the shape the storage side produces (docs/segments.md,
"Account data"): 70 % Russian, 30 % German; employees, revenue and growth spread over the
bands, technologies from a list that holds the example segments' keywords, facts as text
(a tenth of them unreadable numbers), 3 people each with one or two emails of mixed status.
Both example segments in examples/segments/ are timed; the best of ``--repeat`` runs is
reported with the per-account cost, the tier counts and the segment DQI.
"""

from __future__ import annotations

import argparse
import gc
import random
import resource
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from scoring import load_segment, score_accounts, segment_quality  # noqa: E402

TECH = [
    "amoCRM",
    "Bitrix24",
    "1C",
    "Telegram",
    "WhatsApp Business",
    "SAP",
    "proALPHA",
    "MindSphere",
    "WordPress",
    "Google Analytics",
    "Yandex.Metrika",
    "jQuery",
]
INDUSTRIES = ["construction", "engineering", "machinery", "maschinenbau", "retail", "plastics"]
SENIORITY = ["owner", "c_suite", "vp", "head", "director", "manager", "senior", "entry", "unknown"]
STATUS = ["valid", "risky", "unknown", "invalid", None]


def _inn(rng: random.Random) -> str:
    """A 10-digit INN with correct check digit (a tenth of them deliberately wrong)."""
    d = [rng.randint(0, 9) for _ in range(9)]
    check = sum(c * x for c, x in zip((2, 4, 10, 3, 5, 9, 4, 6, 8), d, strict=True)) % 11 % 10
    if rng.random() < 0.1:
        check = (check + 1) % 10
    return "".join(map(str, d)) + str(check)


def make_accounts(n: int, contacts: int, seed: int = 5) -> list[dict]:
    rng = random.Random(seed)
    out = []
    pid = 0
    for i in range(n):
        ru = rng.random() < 0.7
        people = []
        for _ in range(contacts):
            pid += 1
            people.append(
                {
                    "id": pid,
                    "full_name": f"Person {pid}",
                    "title": "Director",
                    "seniority": rng.choice(SENIORITY),
                    "department": "sales",
                    "is_decision_maker": rng.random() < 0.3,
                    "emails": [
                        {"address": f"p{pid}@c{i}.example", "status": rng.choice(STATUS)}
                        for _ in range(rng.choice((0, 1, 1, 2)))
                    ],
                    "phones": [],
                }
            )
        odd = rng.random() < 0.1
        out.append(
            {
                "id": i + 1,
                "name": f"Company {i}",
                "domain": f"c{i}.example" if rng.random() < 0.95 else None,
                "country": "RU" if ru else "DE",
                "region": None,
                "city": "Москва" if ru else "Stuttgart",
                "industry": rng.choice(INDUSTRIES),
                "employees": rng.choice([None, 12, 60, 150, 320, 800, 2400, 9000]),
                "revenue": rng.choice([None, 5e7, 2e8, 1.5e9]),
                "revenue_growth": rng.choice([None, -0.1, 0.03, 0.09, 0.15, 0.3]),
                "status": rng.choice(["new"] * 8 + ["current", "former"]),
                "technologies": rng.sample(TECH, rng.randint(0, 4)),
                "inn": _inn(rng) if ru else None,
                "ogrn": None,
                "vat": None if ru else "DE123456789",
                "website": f"https://c{i}.example/",
                "phones": ["+7 495 123-45-67"] if rng.random() < 0.8 else [],
                "social": {},
                "description": "Wir suchen Automatisierungstechniker (SPS) für Industrie 4.0"
                if rng.random() < 0.2
                else "Строительство жилых домов",
                "facts": {
                    "solution_age_years": "x" if odd else str(rng.randint(0, 9)),
                    "inhouse_it": rng.choice(["yes", "no"]),
                    "plants": str(rng.randint(1, 6)),
                    "careers": rng.choice(["yes", "no"]),
                    "booth": "A12" if rng.random() < 0.3 else "",
                },
                "people": people,
                "company_emails": [f"info@c{i}.example"],
            }
        )
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--accounts", type=int, default=100_000)
    ap.add_argument("--contacts", type=int, default=3)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    t = time.perf_counter()
    accounts = make_accounts(args.accounts, args.contacts)
    print(
        f"generated {len(accounts):,} accounts, {len(accounts) * args.contacts:,} contacts "
        f"in {time.perf_counter() - t:.1f} s"
    )
    for path in sorted((ROOT / "examples" / "segments").glob("*.toml")):
        segment = load_segment(path)
        best = float("inf")
        scores = []
        for _ in range(args.repeat):
            scores = []
            gc.collect()
            t = time.perf_counter()
            scores = score_accounts(accounts, segment)
            best = min(best, time.perf_counter() - t)
        tiers = Counter(s.tier or "outside ICP" for s in scores)
        dqi = segment_quality((s.dqi for s in scores), segment.quality)
        print(
            f"{path.name}: best of {args.repeat}: {best:.2f} s "
            f"({best / len(accounts) * 1e6:.1f} µs per account); "
            f"tiers {dict(sorted(tiers.items()))}; DQI {dqi.index:.3f}, "
            f"complete {dqi.complete:,}"
        )
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak memory (whole process, data and scores held): {peak:,.0f} MB")


if __name__ == "__main__":
    main()
