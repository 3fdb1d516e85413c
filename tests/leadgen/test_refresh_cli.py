"""`leadgen refresh SEGMENT`: due accounts re-crawled through the HTTP cache, a person who left
the team page marked gone after two refreshes without them, the changes printed, one pass at a
time — all on a copy of the sample sites (loopback proxy, loopback DNS and mail hosts)."""

from __future__ import annotations

import json
import shutil
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select, update
from typer.testing import CliRunner

from leadgen.cli import app
from leadgen.localmail import LocalMail
from leadgen.localsites import LocalSites
from storage.db import make_engine
from storage.models import Company, Person

ROOT = Path(__file__).resolve().parents[2]
SEGMENT = ROOT / "examples" / "segments" / "sample-sites.toml"
FAST = ("--set", "AUTOTHROTTLE_ENABLED=false", "--set", "DOWNLOAD_DELAY=0")
TEAM = Path("severny-veter.ru") / "komanda" / "index.html"
LEAVER = "Белов Игорь Константинович"
CONTACTS = Path("severny-veter.ru") / "kontakty" / "index.html"
OFFICE = "+74957834012"
NOTHING_RETIRED = {"phones": 0, "addresses": 0, "emails": 0}


@pytest.fixture
def world(tmp_path):
    """A copy of the sample sites (a team page is edited during the test) with their mail."""
    root = tmp_path / "sites"
    shutil.copytree(ROOT / "examples" / "sample-sites", root)
    with LocalSites(root) as sites, LocalMail(root) as mail:
        yield root, sites, mail


def _run(db_url, jobs, *args):
    return CliRunner().invoke(
        app,
        ["--database-url", db_url, *args],
        env={"LEADGEN_JOBS_DIR": str(jobs)},
        catch_exceptions=False,
    )


def _refresh(db_url, jobs, sites, mail, *extra):
    args = ("refresh", str(SEGMENT), "--proxy", sites.proxy_url, "--nameserver", mail.nameserver)
    args += ("--smtp-port", str(mail.smtp_port), "--json", *FAST, *extra)
    r = _run(db_url, jobs, *args)
    assert r.exit_code == 0, r.output
    return json.loads(r.stdout)


def test_refresh_recrawls_whats_due_and_marks_a_leaver_gone(sqlite_url, tmp_path, world):
    root, sites, mail = world
    jobs = tmp_path / "jobs"
    args = ("run", str(SEGMENT), "--proxy", sites.proxy_url, "--skip", "enrich", *FAST)
    r = _run(sqlite_url, jobs, *args, "--json")
    assert r.exit_code == 0, r.output
    # the run read every website in full: they count as refreshed
    assert json.loads(r.stdout)["totals"]["refreshed"] == 4
    engine = make_engine(sqlite_url)
    with engine.connect() as conn:
        assert conn.execute(select(Person.id).where(Person.full_name == LEAVER)).first()
        assert None not in conn.execute(select(Company.refreshed_at)).scalars().all()
    # so a refresh right after has nothing due
    sites.reset()
    assert _refresh(sqlite_url, jobs, sites, mail)["due"] == 0
    assert sites.requests == []

    # one website is down during the first refresh (every page 404): it stays due
    down = root / "hofmann-holzbau.de"
    shutil.move(down, tmp_path / "hofmann-away")
    down.mkdir()
    # a season later everything is due again
    season_ago = datetime.now(UTC) - timedelta(days=200)
    with engine.begin() as conn:
        conn.execute(update(Company).values(refreshed_at=season_ago))
    sites.reset()
    first = _refresh(sqlite_url, jobs, sites, mail)
    assert first["status"] == "ok" and first["due"] == 4
    assert first["stages"]["crawl"]["status"] == "partial"  # the 404s are the crawl's problems
    assert first["stages"]["crawl"]["refreshed"] == 3
    with engine.connect() as conn:
        waiting = conn.execute(
            select(Company.domain).where(Company.refreshed_at < datetime.now(UTC) - timedelta(1))
        )
        assert waiting.scalars().all() == ["hofmann-holzbau.de"]
    down.rmdir()
    shutil.move(tmp_path / "hofmann-away", down)
    # the run filled the HTTP cache: every page is asked for conditionally, none changed
    counts = first["stages"]["crawl"]["counts"]
    pages_304 = sum(1 for r in sites.requests if r.status == 304)
    assert pages_304 > 0 and counts["not_modified"] == pages_304
    assert all(r.conditional for r in sites.requests if r.status == 304)
    assert counts["unchanged"] > 0 and counts["bytes"] < 5_000  # robots.txt, a 404 page …
    assert counts["people_new"] == 0 and counts["companies_new"] == 0
    assert first["stages"]["people"] == {"gone": 0, "retired": NOTHING_RETIRED}
    assert first["stages"]["score"]["counts"]["scored"] == 4
    # the base's data-quality index is kept (reported before and after, with the target)
    assert first["dqi_before"] is not None and first["dqi"] >= first["dqi_before"]
    assert first["dqi_target"] == 0.95
    # refreshed today: nothing is due for a month (strategic) or a quarter, but the site that
    # was down; it answers now
    again = _refresh(sqlite_url, jobs, sites, mail)
    assert again["due"] == 1 and again["stages"]["crawl"]["refreshed"] == 1
    with engine.connect() as conn:
        assert None not in conn.execute(select(Company.refreshed_at)).scalars().all()
    assert _refresh(sqlite_url, jobs, sites, mail)["due"] == 0
    # --all: every account, due or not
    every = _refresh(sqlite_url, jobs, sites, mail, "--all", "--skip", "enrich", "--skip", "score")
    assert every["due"] == 4 and every["stages"]["crawl"]["refreshed"] == 4

    # the leaver is taken off the team page; the accounts come due again
    page = root / TEAM
    text = page.read_text(encoding="utf-8")
    assert LEAVER in text
    page.write_text(_without(text, LEAVER), encoding="utf-8")
    # and the service line moves to a new number
    contacts = root / CONTACTS
    text = contacts.read_text(encoding="utf-8")
    assert "+7 (495) 783-40-15" in text
    contacts.write_text(text.replace("+7 (495) 783-40-15", "+7 (495) 783-40-19"), encoding="utf-8")
    with engine.begin() as conn:
        conn.execute(update(Company).values(refreshed_at=None))
    sites.reset()
    once = _refresh(sqlite_url, jobs, sites, mail, "--skip", "enrich", "--skip", "score")
    # the changed team page came in full, the others as 304
    team = [r for r in sites.requests if r.host == "severny-veter.ru" and "komanda" in r.path]
    assert [r.status for r in team] == [200] and team[0].conditional
    # once without them: not yet (the new number joins the old one)
    assert once["stages"]["people"] == {"gone": 0, "retired": NOTHING_RETIRED}
    assert [e["new"] for e in once["changes"] if e["kind"] == "phone_changed"] == [
        [OFFICE, "+74957834015;ext=204", "+74957834019;ext=204"]
    ]
    assert "enrich" not in once["stages"] and "score" not in once["stages"]
    with engine.begin() as conn:
        conn.execute(update(Company).values(refreshed_at=None))
    twice = _refresh(sqlite_url, jobs, sites, mail)
    assert twice["stages"]["people"] == {
        "gone": 1,
        "retired": {"phones": 1, "addresses": 0, "emails": 0},
    }
    (retired,) = [e for e in twice["changes"] if e["kind"] == "retired"]
    assert (retired["field"], retired["old"]) == ("phone", "+74957834015;ext=204")
    assert retired["new"] == "not on http://severny-veter.ru/kontakty/ for two fetches"
    with engine.connect() as conn:
        phones = conn.execute(
            select(Company.phones).where(Company.domain == "severny-veter.ru")
        ).scalar()
    assert phones == [OFFICE, "+74957834019;ext=204"]
    gone = [e for e in twice["changes"] if e["kind"] == "person_gone"]
    assert [(e["person"], e["company"]) for e in gone] == [(LEAVER, "ООО «Северный Ветер»")]
    with engine.connect() as conn:
        assert (
            conn.execute(select(Person.gone_at).where(Person.full_name == LEAVER)).scalar()
            is not None
        )
    # the changes as a table when not --json
    with engine.begin() as conn:
        conn.execute(update(Company).values(refreshed_at=None))
    r = _run(
        sqlite_url, jobs, "refresh", str(SEGMENT), "--proxy", sites.proxy_url,
        "--nameserver", mail.nameserver, "--smtp-port", str(mail.smtp_port), "--limit", "1", *FAST,
    )  # fmt: skip
    assert r.exit_code == 0, r.output
    assert "1 accounts due" in r.output and "data-quality index" in r.output


def _without(html: str, name: str) -> str:
    """The page without the card (the nearest enclosing element) that names ``name``."""
    at = html.index(name)
    tag = max(("<li", "<article", "<div"), key=lambda t: html.rfind(t, 0, at))
    start = html.rfind(tag, 0, at)
    assert start != -1, f"no block around {name!r}"
    close = "</" + tag[1:] + ">"
    end = html.index(close, at) + len(close)
    return html[:start] + html[end:]


def test_refresh_by_name_locking_and_bad_segments(sqlite_url, tmp_path, world, monkeypatch):
    from leadgen.locks import segment_lock

    _, sites, mail = world
    jobs = tmp_path / "jobs"
    r = _run(sqlite_url, jobs, "refresh", "sample-sites")
    assert r.exit_code == 2 and "no segment named 'sample-sites'" in r.output
    r = _run(sqlite_url, jobs, "refresh", str(tmp_path / "missing.toml"))
    assert r.exit_code == 2 and "no such file" in r.output
    r = _run(sqlite_url, jobs, "refresh", str(SEGMENT), "--skip", "nap")
    assert r.exit_code == 2 and "unknown stage(s) nap" in r.output
    args = ("score", str(SEGMENT))
    assert _run(sqlite_url, jobs, *args).exit_code == 0
    monkeypatch.setenv("LEADGEN_JOBS_DIR", str(jobs))
    with segment_lock("sample-sites", command="leadgen run"):
        r = _run(sqlite_url, jobs, "refresh", "sample-sites")
    assert r.exit_code == 75 and "leadgen run" in r.output
    # by name: the segment as stored with its scores (nothing to crawl: no accounts yet)
    summary = _refresh(sqlite_url, jobs, sites, mail)
    assert summary["due"] == 0 and summary["status"] == "ok"


def test_a_cron_started_refresh_runs_unattended(sqlite_url, tmp_path, world, monkeypatch):
    """As cron starts it: a new process, a bare environment, no terminal, no input; the
    summary on stdout as JSON, log lines (no live display) on stderr; exit 75 while another
    pass of the segment holds it."""
    import subprocess
    import sys

    from leadgen.locks import segment_lock

    _, sites, _mail = world
    jobs = tmp_path / "jobs"
    args = ("run", str(SEGMENT), "--proxy", sites.proxy_url, "--skip", "enrich", *FAST)
    assert _run(sqlite_url, jobs, *args).exit_code == 0
    cron_env = {
        "PATH": "/usr/bin:/bin",
        "LEADGEN_DATABASE_URL": sqlite_url,
        "LEADGEN_JOBS_DIR": str(jobs),
    }
    command = [sys.executable, "-m", "leadgen", "refresh", str(SEGMENT), "--all", "--json"]
    command += ["--proxy", sites.proxy_url, "--skip", "enrich", *FAST]

    def cron() -> subprocess.CompletedProcess:
        return subprocess.run(
            command,
            env=cron_env,
            cwd=tmp_path,
            stdin=subprocess.DEVNULL,
            capture_output=True,
            text=True,
            timeout=300,
        )

    done = cron()
    assert done.returncode == 0, done.stderr[-2000:]
    summary = json.loads(done.stdout)
    assert summary["status"] == "ok" and summary["due"] == 4
    assert summary["stages"]["crawl"]["refreshed"] == 4
    assert "\x1b[" not in done.stderr  # plain log lines, no terminal control
    assert "crawl" in done.stderr
    monkeypatch.setenv("LEADGEN_JOBS_DIR", str(jobs))
    with segment_lock("sample-sites", command="leadgen run"):
        busy = cron()
    assert busy.returncode == 75, busy.stderr[-2000:]
    assert "leadgen run" in busy.stderr and busy.stdout == ""


def test_refresh_turns_a_silent_customer_former(sqlite_url, tmp_path, world):
    """The customers stage: an account whose last order is older than the segment's
    ``[customers] current_days`` becomes a former customer without a new order import."""
    from tests.storage.test_orders import _store, rec

    _, sites, mail = world
    jobs = tmp_path / "jobs"
    args = ("run", str(SEGMENT), "--proxy", sites.proxy_url, "--skip", "enrich", *FAST)
    assert _run(sqlite_url, jobs, *args).exit_code == 0
    engine = make_engine(sqlite_url)
    today = datetime.now(UTC).date()
    _store(
        engine,
        [
            rec(2, today - timedelta(days=400), 5000.0, domain="severny-veter.ru"),
            rec(3, today - timedelta(days=20), 700.0, domain="hofmann-holzbau.de"),
        ],
    )
    with engine.begin() as conn:
        conn.execute(
            update(Company)
            .where(Company.domain.in_(["severny-veter.ru", "hofmann-holzbau.de"]))
            .values(status="current")
        )

    def status() -> dict[str, str]:
        with engine.connect() as conn:
            return dict(conn.execute(select(Company.domain, Company.status)).all())

    skipped = _refresh(sqlite_url, jobs, sites, mail, "--skip", "customers")
    assert "customers" not in skipped["stages"] and status()["severny-veter.ru"] == "current"
    summary = _refresh(sqlite_url, jobs, sites, mail)
    assert summary["due"] == 0  # nothing to crawl: the stage runs all the same
    assert summary["stages"]["customers"] == {"current": 0, "former": 1, "current_days": 365}
    assert status()["severny-veter.ru"] == "former"
    assert status()["hofmann-holzbau.de"] == "current"
    changed = [e for e in summary["changes"] if e["field"] == "status"]
    assert [(e["company"], e["old"], e["new"]) for e in changed] == [
        ("ООО «Северный Ветер»", "current", "former")
    ]
    # a segment with a shorter window: the other one slips too
    short = tmp_path / "short.toml"
    short.write_text(
        SEGMENT.read_text(encoding="utf-8") + "\n[customers]\ncurrent_days = 10\n",
        encoding="utf-8",
    )
    r = _run(
        sqlite_url, jobs, "refresh", str(short), "--json", "--skip", "enrich", "--skip", "score"
    )
    assert r.exit_code == 0, r.output
    assert json.loads(r.stdout)["stages"]["customers"]["former"] == 1
    assert status()["hofmann-holzbau.de"] == "former"


def test_a_contact_page_taken_off_the_site_retires_what_only_it_gave(sqlite_url, tmp_path, world):
    """The site drops its contact page and every link to it: a refresh still asks for it (it
    gave values), two 404s retire it, and the phone only it showed goes with it."""
    import re

    root, sites, mail = world
    jobs = tmp_path / "jobs"
    args = ("run", str(SEGMENT), "--proxy", sites.proxy_url, "--skip", "enrich", *FAST)
    assert _run(sqlite_url, jobs, *args).exit_code == 0
    engine = make_engine(sqlite_url)

    def phones() -> list[str]:
        with engine.connect() as conn:
            return conn.execute(
                select(Company.phones).where(Company.domain == "severny-veter.ru")
            ).scalar()

    assert "+74957834015;ext=204" in phones()
    site = root / "severny-veter.ru"
    (site / "kontakty" / "index.html").unlink()
    for page in site.rglob("*.html"):
        html = page.read_text(encoding="utf-8")
        page.write_text(re.sub(r'<a href="/kontakty/">[^<]*</a>', "", html), encoding="utf-8")
    assert "/kontakty/" not in (site / "index.html").read_text(encoding="utf-8")
    passes = []
    for _ in range(3):
        sites.reset()
        passes.append(_refresh(sqlite_url, jobs, sites, mail, "--all", "--skip", "enrich"))
        asked = [
            r.status
            for r in sites.requests
            if r.host == "severny-veter.ru" and r.path.startswith("/kontakty")
        ]
        passes[-1]["asked"] = asked
    # no link leads there, yet the first two passes ask (404 each); the third no longer does
    assert [p["asked"] for p in passes] == [[404], [404], []]
    assert passes[0]["stages"]["people"]["retired"]["phones"] == 0  # one 404: a hiccup?
    assert passes[1]["stages"]["people"]["retired"]["phones"] >= 1
    retired = [e for e in passes[1]["changes"] if e["kind"] == "retired"]
    assert ("phone", "+74957834015;ext=204") in {(e["field"], e["old"]) for e in retired}
    assert {e["new"] for e in retired} == {
        "http://severny-veter.ru/kontakty/ gone (404/410 2 times)"
    }
    assert "+74957834015;ext=204" not in phones()
    assert OFFICE in phones()  # the home page still shows the office number
