"""Benchmark: ``leadgen dedupe`` over 1M companies in SQLite: time and peak memory.

    .venv/bin/python bench/bench_dedupe.py [--companies 1000000] [--duplicates 0.05] [--rebuild]

The database is bench/bench_list.py's generator (60% RU over ~200 cities, Москва 15% of all;
20% DE, 20% US/GB; 80% of RU companies with an INN, 90% with a domain, 40% with 1-5 people)
for ``companies × (1 - duplicates)`` companies, plus a name and a city observation for each;
then duplicates are planted, as a second source would show the same companies:

* ``translit``: the name transliterated (RU) or upper-cased with another legal form, the same
  phone, no INN or domain (found by ``name_phone``);
* ``typo``: one letter of the name dropped or doubled, the same phone and city;
* ``email``: another legal form, no domain, but an address at the original's domain (found by
  ``domain``).

A duplicate gets the original's other columns left empty (as a thin second source would), its
own observations, and sometimes a person of the original again (merged by name afterwards).
The pristine database is kept in bench/out/ and copied for each run.  ``leadgen dedupe`` runs
as a subprocess (Python start-up included); peak memory is its maximum resident set size.
Printed: time and peak memory of the run, merges by rule, how many planted duplicates were
merged into their original (recall on the planted ones), other merges, and a second run
(idempotence: no merges).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlalchemy import func, select  # noqa: E402

from bench.bench_list import TRANSLIT, build  # noqa: E402
from enrichment import normalize_company_name  # noqa: E402
from storage.clock import utcnow  # noqa: E402
from storage.db import finish_bulk_write, make_engine  # noqa: E402
from storage.models import Company, Email, Observation, Person  # noqa: E402
from storage.repository import value_hash  # noqa: E402

SEED = 4242
OUT = ROOT / "bench" / "out"
_C, _P, _E, _O = (m.__table__ for m in (Company, Person, Email, Observation))
LEGAL_OTHER = {"RU": ["ООО", "OOO", "LLC", "ЗАО"], "DE": ["GmbH & Co. KG", "AG", "GmbH"]}


def _typo(rng: random.Random, text: str) -> str:
    letters = [i for i, ch in enumerate(text) if ch.isalpha()]
    if len(letters) < 6:
        return text
    i = rng.choice(letters[1:-1])
    return text[:i] + text[i + 1 :] if rng.random() < 0.5 else text[:i] + text[i] + text[i:]


def plant(db: Path, originals: int, n_dups: int) -> dict[str, int]:
    """Insert ``n_dups`` duplicates of random originals, and observations for every company."""
    engine = make_engine(f"sqlite:///{db}")
    rng = random.Random(SEED)
    now = utcnow()
    kinds = {"translit": 0, "typo": 0, "email": 0}
    with engine.begin() as conn:
        # a few more than needed: originals with neither phone nor domain are passed over
        picked = rng.sample(range(1, originals + 1), min(originals, n_dups + n_dups // 10))
        cols = [_C.c[n] for n in ("id", "name", "city", "country", "phones", "domain")]
        by_id = {}
        for start in range(0, len(picked), 20_000):
            part = picked[start : start + 20_000]
            for row in conn.execute(select(*cols).where(_C.c.id.in_(part))):
                by_id[row.id] = row
        people_of: dict[int, list] = {}
        for start in range(0, len(picked), 20_000):
            part = picked[start : start + 20_000]
            for row in conn.execute(
                select(_P.c.company_id, _P.c.full_name, _P.c.first_name, _P.c.last_name).where(
                    _P.c.company_id.in_(part)
                )
            ):
                people_of.setdefault(row.company_id, []).append(row)
        next_id = originals + 1
        next_pid = conn.execute(select(func.max(_P.c.id))).scalar_one() + 1
        companies, emails, people, planted = [], [], [], []
        for oid in picked:
            if len(planted) == n_dups:
                break
            o = by_id[oid]
            cname = normalize_company_name(o.name)
            core = cname.display
            for form in (cname.legal_form or "",):
                core = core.replace(form, "").strip(' «»"')
            if o.domain and (not o.phones or rng.random() < 0.3):
                kind = "email"
            elif o.phones:
                kind = "translit" if rng.random() < 0.5 else "typo"
            else:
                continue
            other = rng.choice(LEGAL_OTHER.get(o.country, ["Inc", "Ltd", "LLC"]))
            if kind == "translit":
                latin = core.casefold().translate(TRANSLIT).replace("-", " ").title()
                name = f"{latin} {other}" if o.country == "RU" else f"{core.upper()} {other}"
                city = o.city if rng.random() < 0.5 else None
            elif kind == "typo":
                name, city = f"{_typo(rng, core)} {other}", o.city
            else:
                name, city = f"{other} «{core}»" if o.country == "RU" else f"{core} {other}", None
            key = normalize_company_name(name)
            cid = next_id
            next_id += 1
            companies.append(
                {
                    "id": cid,
                    "name": name,
                    "name_key": key.key,
                    "legal_form": key.legal_form,
                    "domain": None,
                    "country": o.country,
                    "city": city,
                    "city_key": city.casefold().replace("ё", "е").removeprefix("г. ")
                    if city
                    else "",
                    "phones": list(o.phones or []) if kind != "email" else [],
                    "registry_ids": {},
                    "social": {},
                    "technologies": [],
                    "status": "new",
                    "first_seen": now,
                    "last_seen": now,
                }
            )
            if kind == "email":
                emails.append(
                    {
                        "address": f"office.{cid:x}@{o.domain}",
                        "domain": o.domain,
                        "company_id": cid,
                        "kind": "role",
                        "origin": "found",
                        "status": "unverified",
                        "attempts": 0,
                        "first_seen": now,
                        "last_seen": now,
                    }
                )
            for p in people_of.get(oid, [])[:1]:
                if rng.random() < 0.5:
                    people.append(
                        {
                            "id": next_pid,
                            "company_id": cid,
                            "full_name": f"{p.first_name} {p.last_name}",
                            "first_name": p.first_name,
                            "last_name": p.last_name,
                            "name_key": f"{p.first_name} {p.last_name}".casefold(),
                            "is_decision_maker": False,
                            "phones": [],
                            "first_seen": now,
                            "last_seen": now,
                        }
                    )
                    next_pid += 1
            planted.append((oid, cid))
            kinds[kind] += 1
        for start in range(0, len(companies), 20_000):
            conn.execute(_C.insert(), companies[start : start + 20_000])
        if emails:
            conn.execute(_E.insert(), emails)
        if people:
            conn.execute(_P.insert(), people)
        # a name and a city sighting for every company, from the source that showed it
        raw = conn.connection.driver_connection
        stamp = now.strftime("%Y-%m-%d %H:%M:%S.%f")
        sql = (
            "INSERT INTO observations (entity_type, entity_id, field, value, value_hash, source, "
            "locator, first_seen_at, last_seen_at) VALUES ('company', ?, ?, ?, ?, ?, '', ?, ?)"
        )
        cur = raw.execute("SELECT id, name, city FROM companies")
        while batch := cur.fetchmany(50_000):
            rows = []
            for cid, name, city in batch:
                source = "import:dups" if cid > originals else "import:list"
                rows.append((cid, "name", name, value_hash(name), source, stamp, stamp))
                if city:
                    rows.append((cid, "city", city, value_hash(city), source, stamp, stamp))
            raw.executemany(sql, rows)
    finish_bulk_write(engine)
    engine.dispose()
    (db.parent / (db.name + ".planted.json")).write_text(json.dumps(planted))
    return {**kinds, "planted": len(planted), "companies": next_id - 1}


def run_dedupe(db: Path) -> tuple[float, float, dict]:
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    t0 = time.perf_counter()
    proc = subprocess.run(
        [sys.executable, "-m", "leadgen", "--database-url", f"sqlite:///{db}", "dedupe", "--json"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    took = time.perf_counter() - t0
    peak_kib = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    if proc.returncode != 0:
        print(proc.stderr[-3000:], file=sys.stderr)
        raise SystemExit(f"leadgen dedupe failed ({proc.returncode})")
    if peak_kib <= before:  # an earlier child was bigger: the figure is not this run's
        print("  (peak memory below an earlier child's: figure is an upper bound)")
    return took, peak_kib / 1024, json.loads(proc.stdout)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--companies", type=int, default=1_000_000)
    ap.add_argument("--duplicates", type=float, default=0.05)
    ap.add_argument("--rebuild", action="store_true")
    args = ap.parse_args()
    OUT.mkdir(parents=True, exist_ok=True)
    n_dups = int(args.companies * args.duplicates)
    originals = args.companies - n_dups
    pristine = OUT / f"bench-dedupe-{args.companies}.db"
    info = pristine.with_name(pristine.name + ".json")
    if args.rebuild or not pristine.exists() or not info.exists():
        t0 = time.perf_counter()
        build(pristine, originals)
        planted = plant(pristine, originals, n_dups)
        info.write_text(json.dumps(planted))
        print(f"built {pristine.name} in {time.perf_counter() - t0:.0f}s: {planted}")
    planted_info = json.loads(info.read_text())
    pairs = {tuple(p) for p in json.loads((OUT / (pristine.name + ".planted.json")).read_text())}
    work = OUT / f"bench-dedupe-{args.companies}-run.db"
    for suffix in ("", "-wal", "-shm"):
        Path(str(work) + suffix).unlink(missing_ok=True)
    shutil.copy(pristine, work)
    engine = make_engine(f"sqlite:///{work}", migrate=False)
    with engine.connect() as conn:
        n_companies = conn.execute(select(func.count()).select_from(_C)).scalar_one()
        n_people = conn.execute(select(func.count()).select_from(_P)).scalar_one()
        n_obs = conn.execute(select(func.count()).select_from(_O)).scalar_one()
    engine.dispose()
    print(
        f"database: {n_companies:,} companies ({planted_info['planted']:,} planted duplicates: "
        f"{planted_info['translit']:,} translit, {planted_info['typo']:,} typo, "
        f"{planted_info['email']:,} email), {n_people:,} people, {n_obs:,} observations"
    )
    took, peak_mb, report = run_dedupe(work)
    merged = {
        (m["kept_id"], m["merged_id"]) for m in report["merges"] if m["entity_type"] == "company"
    }
    found = len(pairs & merged)
    print(f"leadgen dedupe: {took:.1f}s, peak memory {peak_mb:.0f} MB")
    print(
        f"  companies merged {report['companies_merged']:,}, people merged "
        f"{report['people_merged']:,}, pairs compared {report['pairs_compared']:,}, "
        f"refused {report['refused']:,}, skipped blocks {report['skipped_blocks']:,}"
    )
    print(f"  by rule: {report['by_rule']}")
    print(
        f"  planted duplicates merged into their original: {found:,} of {len(pairs):,} "
        f"({found / max(1, len(pairs)):.1%}); other company merges: {len(merged - pairs):,}"
    )
    took2, peak2, report2 = run_dedupe(work)
    print(
        f"second run: {took2:.1f}s, {report2['companies_merged']} companies and "
        f"{report2['people_merged']} people merged (idempotent when both are 0)"
    )


if __name__ == "__main__":
    main()
