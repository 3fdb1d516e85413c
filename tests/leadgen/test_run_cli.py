"""`leadgen run SEGMENT.toml`: sources crawled (through the loopback proxy to the bundled sample
sites), duplicates merged, accounts scored — and resumable: a pass stopped after a stage goes
on from there, and a finished pass run again leaves the same accounts."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import create_engine, func, select
from typer.testing import CliRunner

from leadgen.cli import app
from leadgen.localsites import LocalSites
from storage.db import make_engine
from storage.models import Company, Run, Score

ROOT = Path(__file__).resolve().parents[2]
SEGMENT = ROOT / "examples" / "segments" / "sample-sites.toml"


@pytest.fixture(scope="module")
def sample_sites():
    with LocalSites(ROOT / "examples" / "sample-sites") as sites:
        yield sites


def run(db_url, jobs, *args):
    return CliRunner().invoke(
        app,
        ["--database-url", db_url, *args],
        env={"LEADGEN_JOBS_DIR": str(jobs)},
        catch_exceptions=False,
    )


def count(db_url, model, *where) -> int:
    with make_engine(db_url).connect() as conn:
        t = model.__table__
        return conn.execute(select(func.count()).select_from(t).where(*where)).scalar_one()


def test_run_crawls_merges_and_scores_and_runs_again_unchanged(sqlite_url, tmp_path, sample_sites):
    jobs = tmp_path / "jobs"
    args = ("run", str(SEGMENT), "--proxy", sample_sites.proxy_url, "--skip", "enrich", "--json")
    r = run(sqlite_url, jobs, *args)
    assert r.exit_code == 0, r.output
    summary = json.loads(r.stdout)
    assert summary["status"] == "ok" and summary["failed"] == []
    assert list(summary["stages"]) == ["crawl:0", "dedupe", "score"]
    assert summary["stages"]["crawl:0"]["status"] == "ok"
    assert summary["stages"]["score"]["counts"]["scored"] == 4
    totals = summary["totals"]
    assert totals["companies_new"] == 4 and totals["people_new"] > 0 and totals["pages"] > 4
    assert totals["scored"] == 4 and sum(totals["tiers"].values()) == 4
    assert totals["emails_guessed"] is None  # enrich skipped
    assert count(sqlite_url, Company) == 4
    with create_engine(sqlite_url).connect() as conn:
        first = conn.execute(
            select(Score.__table__.c.company_id, Score.__table__.c.total, Score.__table__.c.tier)
        ).all()

    r = run(sqlite_url, jobs, *args)  # a finished pass: a fresh one, same accounts
    assert r.exit_code == 0, r.output
    assert count(sqlite_url, Company) == 4
    assert count(sqlite_url, Run, Run.__table__.c.kind == "crawl") == 2
    with create_engine(sqlite_url).connect() as conn:
        again = conn.execute(
            select(Score.__table__.c.company_id, Score.__table__.c.total, Score.__table__.c.tier)
        ).all()
    assert sorted(again) == sorted(first)


def test_a_stopped_pass_goes_on_after_its_last_finished_stage(sqlite_url, tmp_path, sample_sites):
    jobs = tmp_path / "jobs"
    args = ("run", str(SEGMENT), "--proxy", sample_sites.proxy_url, "--skip", "enrich", "--json")
    assert run(sqlite_url, jobs, *args).exit_code == 0
    state_file = jobs / "run-sample-sites" / "state.json"
    state = json.loads(state_file.read_text(encoding="utf-8"))
    # as if the process had been killed while scoring: crawl and dedupe done, pass unfinished
    state["finished"] = False
    del state["done"]["score"]
    state_file.write_text(json.dumps(state), encoding="utf-8")
    crawls = count(sqlite_url, Run, Run.__table__.c.kind == "crawl")
    r = run(sqlite_url, jobs, *args)
    assert r.exit_code == 0, r.output
    assert count(sqlite_url, Run, Run.__table__.c.kind == "crawl") == crawls  # not crawled again
    assert count(sqlite_url, Run, Run.__table__.c.kind == "score") == 2
    assert json.loads(state_file.read_text(encoding="utf-8"))["finished"] is True


def test_a_bad_source_in_the_segment_stops_before_anything_runs(sqlite_url, tmp_path):
    bad = tmp_path / "bad.toml"
    bad.write_text(
        SEGMENT.read_text(encoding="utf-8").replace(
            'start_urls = ["http://tradehub-directory.com/companies/"]', "start_urls = []"
        ),
        encoding="utf-8",
    )
    r = run(sqlite_url, tmp_path / "jobs", "run", str(bad))
    assert r.exit_code == 2
    assert "sources[0]" in r.output and "start_urls" in r.output
    assert count(sqlite_url, Run) == 0
    assert run(sqlite_url, tmp_path / "jobs", "run", str(bad), "--skip", "nap").exit_code == 2
