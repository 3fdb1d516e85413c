"""``leadgen dedupe``: --dry-run prints the plan and changes nothing, --json, a real run."""

from __future__ import annotations

import json

from sqlalchemy import func, select
from typer.testing import CliRunner

from leadgen.cli import app
from storage.db import make_engine
from storage.models import Company, Merge, Run
from tests.storage.test_dedupe import seed


def run(db_url, *args):
    return CliRunner().invoke(app, ["--database-url", db_url, *args], catch_exceptions=False)


def count(engine, table):
    with engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(table)).scalar_one()


def test_dry_run_prints_rule_score_reason_and_changes_nothing(sqlite_url):
    engine = make_engine(sqlite_url)
    seed(engine)
    before = (count(engine, Company.__table__), count(engine, Run.__table__))
    result = run(sqlite_url, "dedupe", "--dry-run")
    assert result.exit_code == 0, result.output
    assert "name_phone" in result.stdout and "same phone +74957654321" in result.stdout
    assert "would merge 3 of 9 companies and 1 of 3 people" in result.stderr
    assert (count(engine, Company.__table__), count(engine, Run.__table__)) == before
    assert count(engine, Merge.__table__) == 0


def test_json_and_a_real_run(sqlite_url):
    engine = make_engine(sqlite_url)
    seed(engine)
    result = run(sqlite_url, "dedupe", "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["dry_run"] is False and data["companies_merged"] == 3
    assert data["by_rule"] == {
        "company:domain": 1,
        "company:name_city": 1,
        "company:name_phone": 1,
        "person:person_name": 1,
    }
    assert {"entity_type", "kept_id", "merged_id", "rule", "score", "reason"} <= set(
        data["merges"][0]
    )
    assert count(engine, Company.__table__) == 6 and count(engine, Merge.__table__) == 4
    again = json.loads(run(sqlite_url, "dedupe", "--json").stdout)
    assert again["merges"] == [] and again["companies_merged"] == 0


def test_companies_only_threshold_and_bad_options(sqlite_url):
    engine = make_engine(sqlite_url)
    seed(engine)
    data = json.loads(run(sqlite_url, "dedupe", "--companies", "--dry-run", "--json").stdout)
    assert data["people_scanned"] == 0 and data["companies_merged"] == 3
    # names must be identical at 100: only the exact-key merge and identical names remain
    data = json.loads(run(sqlite_url, "dedupe", "--dry-run", "--json", "--threshold", "100").stdout)
    assert data["by_rule"].get("company:name_phone") is None
    result = run(sqlite_url, "dedupe", "--companies", "--people")
    assert result.exit_code == 2 and "exclude each other" in result.stderr
    assert run(sqlite_url, "dedupe", "--threshold", "20").exit_code == 2
