"""Helpers of the crawl tests: run ``leadgen crawl`` in a subprocess (a Twisted reactor runs once
per process) against the fixture sites, and read back what landed in the database."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, text

ROOT = Path(__file__).resolve().parents[2]
#: Fast but still real: no politeness delays between the fixture sites' pages, short timeouts
#: so the slow page (30 s) fails quickly, one retry.
FAST = (
    "AUTOTHROTTLE_ENABLED=False",
    "DOWNLOAD_DELAY=0",
    "DOWNLOAD_TIMEOUT=2",
    "RETRY_TIMES=2",
    "LEADGEN_DEFAULT_SCHEME=http",
    "CONCURRENT_REQUESTS_PER_DOMAIN=2",
)


def crawl_command(
    db_url: str, proxy: str, *args: str, settings: tuple[str, ...] = FAST
) -> tuple[list[str], dict[str, str]]:
    cmd = [
        sys.executable,
        "-m",
        "leadgen",
        "--database-url",
        db_url,
        "crawl",
        *args,
        "--proxy",
        proxy,
        "--json",
    ]
    for s in settings:
        cmd += ["--set", s]
    env = {
        **os.environ,
        "no_proxy": "127.0.0.1,localhost",
        "NO_PROXY": "127.0.0.1,localhost",
        "PYTHONPATH": str(ROOT),
    }
    env.pop("LEADGEN_DATABASE_URL", None)
    return cmd, env


def run_crawl(
    db_url: str,
    proxy: str,
    *args: str,
    settings: tuple[str, ...] = FAST,
    timeout: float = 180,
    cwd: Path | None = None,
) -> dict[str, Any]:
    cmd, env = crawl_command(db_url, proxy, *args, settings=settings)
    done = subprocess.run(
        cmd, capture_output=True, text=True, timeout=timeout, env=env, cwd=cwd or ROOT
    )
    assert done.returncode == 0, f"crawl failed ({done.returncode}):\n{done.stderr[-4000:]}"
    return json.loads(done.stdout)


def snapshot(db_url: str) -> dict[str, dict[str, Any]]:
    """Companies keyed by domain (or name when there is none), with their people and emails."""
    engine = create_engine(db_url)
    out: dict[str, dict[str, Any]] = {}
    with engine.connect() as conn:
        companies = conn.execute(text("SELECT * FROM companies ORDER BY id")).mappings().all()
        people = conn.execute(text("SELECT * FROM people ORDER BY id")).mappings().all()
        emails = conn.execute(text("SELECT * FROM emails ORDER BY id")).mappings().all()
        facts = conn.execute(
            text(
                "SELECT entity_id, field, value FROM observations WHERE entity_type = 'company' "
                "AND field LIKE 'fact.%'"
            )
        ).all()
    engine.dispose()

    def load(value: Any) -> Any:
        return json.loads(value) if isinstance(value, str) else value

    by_id = {}
    for c in companies:
        key = c["domain"] or c["name"]
        registry = load(c["registry_ids"]) or {}
        entry = {
            "id": c["id"],
            "name": c["name"],
            "domain": c["domain"],
            "inn": c["inn"],
            "ogrn": c["ogrn"],
            "kpp": c["kpp"],
            "vat": c["vat"],
            "hrb": registry.get("hrb"),
            "city": c["city"],
            "country": c["country"],
            "website": c["website"],
            "industry": c["industry"],
            "phones": sorted(load(c["phones"]) or []),
            "emails": [],
            "people": {},
            "facts": {},
        }
        out[key] = by_id[c["id"]] = entry
    person_company = {}
    for p in people:
        person_company[p["id"]] = p["company_id"]
        by_id[p["company_id"]]["people"][p["full_name"]] = {
            "title": p["title"],
            "emails": [],
            "phones": load(p["phones"]) or [],
        }
    names = {p["id"]: p["full_name"] for p in people}
    for e in emails:
        if e["person_id"] is not None:
            company = by_id[person_company[e["person_id"]]]
            company["people"][names[e["person_id"]]]["emails"].append(e["address"])
        elif e["company_id"] is not None:
            by_id[e["company_id"]]["emails"].append(e["address"])
    for cid, field, value in facts:
        by_id[cid]["facts"].setdefault(field[5:], set()).add(value)
    for entry in out.values():
        entry["emails"].sort()
    return out


def all_values(snap: dict[str, dict[str, Any]]) -> str:
    """Everything stored, as one string, for "must never appear" checks."""
    return json.dumps(snap, ensure_ascii=False, default=sorted)
