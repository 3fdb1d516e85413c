"""End-to-end crawls of the fixture sites (tests/fixtures/sites, served on loopback through a
forward proxy): the database must hold exactly the expected companies and people, nothing the
traps offer, and a second crawl must change nothing."""

from __future__ import annotations

import json
import signal
import subprocess
import time

import pytest

from tests.spiders.crawl_support import FAST, all_values, crawl_command, run_crawl, snapshot
from tests.support.sites import DOMAINS_FILE, EXPECTED_FILE, SOURCES_DIR

EXPECTED = json.loads(EXPECTED_FILE.read_text(encoding="utf-8"))


def _people(entry):
    return {name: (p["title"], sorted(p["emails"])) for name, p in entry["people"].items()}


def _expected_people(entry):
    return {p["full_name"]: (p["title"], sorted(p["emails"])) for p in entry["people"]}


def _check_company(got, want):
    where = want.get("domain") or want["name"]
    for field in ("name", "inn", "ogrn", "kpp", "vat", "hrb", "city"):
        if field in want:
            assert got[field] == want[field], f"{where}: {field}"
    if "phones" in want:
        assert sorted(got["phones"]) == sorted(want["phones"]), f"{where}: phones"
    if "emails" in want:
        assert got["emails"] == sorted(want["emails"]), f"{where}: company emails"
    if "people" in want:
        assert _people(got) == _expected_people(want), f"{where}: people"


def _check_nothing_unwanted(snap):
    stored = all_values(snap)
    nf = EXPECTED["not_found"]
    for value in nf["people"] + nf["emails"] + nf["phones"] + nf["values_not_phones"]:
        assert value not in stored, f"{value!r} must not be stored"


@pytest.fixture
def company_crawl(db_url, fresh_sites, tmp_path):
    summary = run_crawl(
        db_url, fresh_sites.proxy_url, "company", "--domains", str(DOMAINS_FILE), cwd=tmp_path
    )
    return summary, snapshot(db_url), fresh_sites


def test_company_spider_finds_exactly_the_expected_companies_and_people(company_crawl):
    summary, snap, sites = company_crawl
    assert sorted(snap) == sorted(c["domain"] for c in EXPECTED["company_sites"])
    for want in EXPECTED["company_sites"]:
        _check_company(snap[want["domain"]], want)
    _check_nothing_unwanted(snap)
    problems = [p["where"] + ": " + p["reason"] for p in summary["problems"]]
    assert any("line 8" in p and "not a domain!" in p for p in problems)
    counts = summary["counts"]
    assert counts["companies_new"] == len(EXPECTED["company_sites"])
    assert counts["retry_after_waits"] >= 2  # the 503 + Retry-After page was waited for
    errors = counts["errors"]
    # the slow contact page, the 15 MB page; robots.txt kept us out of /intern/
    for kind in ("timeout", "too_large", "robots"):
        assert errors.get(kind, 0) >= 1, (kind, errors)
    # the redirect loop /arhiv/ -> /news/archive/ -> /arhiv/ is cut, not followed round again
    assert sites.count("teploenergo-spb.ru", "/arhiv/") == 1
    assert sites.count("teploenergo-spb.ru", "/news/archive/") == 1
    reasons = {p["where"]: p["reason"] for p in summary["problems"]}
    assert reasons["http://agromash-volga.ru/kontakty-filialy.html"] == "timed out"
    assert reasons["http://brandt-vogel.de/unternehmen/"] == "larger than the download size limit"
    assert summary["status"] == "partial"
    req = EXPECTED["requests"]
    for host, path in req["never_requested"]:
        assert sites.count(host, path + "*") == 0, f"{host}{path} was requested"
    for host, path in req["must_request"]:
        assert sites.count(host, path) >= 1, f"{host}{path} was not requested"
    assert 1 <= sites.count("northgate-robotics.co.uk", "/calendar/*") <= req["max_trap_pages"]
    assert all(r.user_agent.startswith("leadgen/") for r in sites.requests)


def test_every_page_answer_is_recorded(company_crawl, db_url):
    """The refresh bookkeeping (storage.pages): every page that gave a value was recorded as
    answered OK; pages that answered 404 are recorded as such; robots.txt is not a page."""
    from sqlalchemy import create_engine, text

    with create_engine(db_url).connect() as conn:
        pages = dict(conn.execute(text("SELECT url, status FROM pages")).all())
        sources = set(
            conn.execute(
                text("SELECT DISTINCT source FROM observations WHERE source LIKE 'http%'")
            ).scalars()
        )
    assert sources and sources <= {u for u, status in pages.items() if status == 200}
    assert not [u for u in pages if u.endswith("/robots.txt")]
    assert any(status == 404 for status in pages.values()), pages
    for want in EXPECTED["company_sites"]:
        assert any(want["domain"] in u for u in pages), want["domain"]


def test_a_second_company_crawl_changes_nothing(company_crawl, db_url, tmp_path):
    _, first, sites = company_crawl
    sites.reset()
    summary = run_crawl(
        db_url, sites.proxy_url, "company", "--domains", str(DOMAINS_FILE), cwd=tmp_path
    )
    counts = summary["counts"]
    assert counts["companies_new"] == 0 and counts["people_new"] == 0
    assert counts["emails_new"] == 0
    assert snapshot(db_url) == first


@pytest.mark.parametrize("source", ["biz-katalog", "biz-katalog-auto"])
def test_directory_spider_with_and_without_hints(source, sqlite_url, fresh_sites, tmp_path):
    summary = run_crawl(
        sqlite_url,
        fresh_sites.proxy_url,
        "directory",
        "--source",
        str(SOURCES_DIR / f"{source}.toml"),
        cwd=tmp_path,
    )
    snap = snapshot(sqlite_url)
    by_name = {c["name"]: c for c in snap.values()}
    for want in EXPECTED["directory"]["companies"]:
        assert want["name"] in by_name, f"{want['name']} missing"
        got = by_name[want["name"]]
        assert got["domain"] == want["domain"] and got["city"] == want["city"], want["name"]
        assert got["inn"] == want["inn"], want["name"]
        assert set(want["phones"]) <= set(got["phones"]), want["name"]
    assert len(by_name) == len(EXPECTED["directory"]["companies"])
    stored = all_values(snap)
    for value in EXPECTED["directory"]["not_found"] + EXPECTED["directory"]["not_found_values"]:
        assert value not in stored, f"{value!r} must not be stored"
    # the listed companies' own websites were crawled too (follow_websites = true)
    for want in EXPECTED["company_sites"]:
        if want["domain"] in snap and want["domain"] != "kessler-antriebe.de":
            assert _people(snap[want["domain"]]) == _expected_people(want)
    reasons = " ".join(p["reason"] for p in summary["problems"])
    assert "HTTP 404" in reasons and "HTTP 500" in reasons
    for host, path in EXPECTED["requests"]["never_requested"]:
        assert fresh_sites.count(host, path + "*") == 0


@pytest.mark.parametrize("source", ["expo-static", "expo-api", "expo-live"])
def test_exhibitor_lists_static_api_and_javascript(source, sqlite_url, fresh_sites, tmp_path):
    run_crawl(
        sqlite_url,
        fresh_sites.proxy_url,
        "exhibitors",
        "--source",
        str(SOURCES_DIR / f"{source}.toml"),
        cwd=tmp_path,
    )
    snap = snapshot(sqlite_url)
    by_name = {c["name"]: c for c in snap.values()}
    assert sorted(by_name) == sorted(c["name"] for c in EXPECTED["exhibitors"]["companies"])
    for want in EXPECTED["exhibitors"]["companies"]:
        got = by_name[want["name"]]
        assert got["website"] == want["website"] and got["country"] == want["country"]
        assert got["facts"]["booth"] == {want["booth"]}, want["name"]
        assert got["facts"]["hall"] == {want["hall"]}, want["name"]
        assert got["facts"]["list"] == {source}
        assert got["industry"] == "; ".join(want["categories"])


def test_a_paused_crawl_resumes_where_it_stopped(sqlite_url, fresh_sites, tmp_path):
    source = str(SOURCES_DIR / "biz-katalog.toml")
    slow = FAST + (
        "DOWNLOAD_DELAY=0.4",
        "RANDOMIZE_DOWNLOAD_DELAY=False",
        "CONCURRENT_REQUESTS_PER_DOMAIN=1",
    )
    cmd, env = crawl_command(
        sqlite_url,
        fresh_sites.proxy_url,
        "directory",
        "--source",
        source,
        "--resume",
        settings=slow,
    )
    proc = subprocess.Popen(
        cmd, cwd=tmp_path, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    deadline = time.monotonic() + 60
    while fresh_sites.count("biz-katalog.ru", "/firm/*") < 2 and time.monotonic() < deadline:
        time.sleep(0.05)
    proc.send_signal(signal.SIGINT)  # Ctrl-C once: a clean stop
    out, err = proc.communicate(timeout=120)
    assert proc.returncode == 0, err[-3000:]
    paused = json.loads(out)
    assert paused["status"] == "paused" and paused["reason"] == "shutdown"
    jobdir = tmp_path / paused["jobdir"]
    assert jobdir.is_dir()
    first_pages = len(fresh_sites.requests)
    resumed = run_crawl(
        sqlite_url, fresh_sites.proxy_url, "directory", "--source", source, "--resume", cwd=tmp_path
    )
    assert resumed["status"] in ("ok", "partial") and resumed["reason"] == "finished"
    assert not jobdir.exists()  # finished: the next crawl starts afresh
    # nothing fetched twice: each of the 3 list pages once, each detail page once
    assert fresh_sites.count("biz-katalog.ru", "/catalog/") == 3
    assert fresh_sites.count("biz-katalog.ru", "/firm/stroymontazh.html") == 1
    assert len(fresh_sites.requests) > first_pages
    by_name = {c["name"]: c for c in snapshot(sqlite_url).values()}
    assert sorted(by_name) == sorted(c["name"] for c in EXPECTED["directory"]["companies"])


def test_forgotten_people_and_domains_are_never_stored_again(sqlite_url, fresh_sites, tmp_path):
    from typer.testing import CliRunner

    from leadgen.cli import app

    args = ("company", "--domain", "stroymontazh-kzn.ru")
    run_crawl(sqlite_url, fresh_sites.proxy_url, *args, cwd=tmp_path)
    assert "Галиев Рустам Ильдарович" in snapshot(sqlite_url)["stroymontazh-kzn.ru"]["people"]
    for target in ("galiev@stroymontazh-kzn.ru", "brandt-vogel.de"):
        r = CliRunner().invoke(app, ["--database-url", sqlite_url, "forget", target])
        assert r.exit_code == 0, r.output
    fresh_sites.reset()
    summary = run_crawl(
        sqlite_url, fresh_sites.proxy_url, *args, "--domain", "brandt-vogel.de", cwd=tmp_path
    )
    snap = snapshot(sqlite_url)
    assert sorted(snap) == ["stroymontazh-kzn.ru"]
    stored = all_values(snap)
    assert "galiev" not in stored.lower() and "Галиев" not in stored
    assert "Хабибуллина Алсу Ринатовна" in snap["stroymontazh-kzn.ru"]["people"]
    assert summary["counts"]["suppressed"] > 0


def test_a_rendered_page_is_never_served_from_the_http_cache(sqlite_url, fresh_sites, tmp_path):
    """`leadgen run` and `refresh` crawl through the HTTP cache with every page revalidated;
    a JavaScript page's data comes from its scripts, so its HTML is never cached: a second
    crawl renders it again (no conditional request) and finds the same exhibitors."""
    cache = ("HTTPCACHE_ENABLED=true", f"HTTPCACHE_DIR={tmp_path / 'cache'}")
    settings = (*FAST, *cache, "LEADGEN_REVALIDATE=true")
    args = ("exhibitors", "--source", str(SOURCES_DIR / "expo-live.toml"))
    run_crawl(sqlite_url, fresh_sites.proxy_url, *args, settings=settings, cwd=tmp_path)
    first = snapshot(sqlite_url)
    fresh_sites.reset()
    run_crawl(sqlite_url, fresh_sites.proxy_url, *args, settings=settings, cwd=tmp_path)
    assert snapshot(sqlite_url) == first and len(first) == len(EXPECTED["exhibitors"]["companies"])
    live = [r for r in fresh_sites.requests if r.path.startswith("/live")]
    assert live and not any(r.conditional for r in live)
