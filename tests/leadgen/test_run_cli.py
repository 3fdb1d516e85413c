"""`leadgen run SEGMENT.toml`: sources crawled (through the loopback proxy to the bundled sample
sites), emails guessed and verified (against the sample sites' mail hosts on loopback),
duplicates merged, accounts scored — and resumable: a pass stopped after a stage goes on from
there, and a finished pass run again leaves the same accounts."""

from __future__ import annotations

import io
import ipaddress
import json
import os
import re
import signal
import socket
import subprocess
import sys
from pathlib import Path

import pytest
from rich.console import Console
from sqlalchemy import create_engine, func, select
from typer.testing import CliRunner

from leadgen.cli import app
from leadgen.localmail import LocalMail
from leadgen.localsites import LocalSites
from storage.db import make_engine
from storage.models import Company, Email, Run, Score

ROOT = Path(__file__).resolve().parents[2]
SEGMENT = ROOT / "examples" / "segments" / "sample-sites.toml"
#: Crawl settings passed through ``leadgen run``: the sample sites without politeness delays.
FAST = ("--set", "AUTOTHROTTLE_ENABLED=false", "--set", "DOWNLOAD_DELAY=0")


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
    args += FAST
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
    args += FAST
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


def test_a_second_run_of_a_segment_is_refused_while_one_is_going(sqlite_url, tmp_path, monkeypatch):
    from leadgen.locks import segment_lock

    monkeypatch.setenv("LEADGEN_JOBS_DIR", str(tmp_path / "jobs"))
    with segment_lock("sample-sites", command="leadgen refresh"):
        r = run(sqlite_url, tmp_path / "jobs", "run", str(SEGMENT), "--skip", "crawl")
    assert r.exit_code == 75
    assert "already being worked on" in r.output and "leadgen refresh" in r.output
    assert count(sqlite_url, Run) == 0  # nothing ran
    # the lock released, the same command runs
    r = run(
        sqlite_url, tmp_path / "jobs", "run", str(SEGMENT), "--skip", "crawl", "--skip", "enrich"
    )
    assert r.exit_code == 0, r.output


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


# -- with the enrich stage, against the sample sites' mail hosts on loopback ---------------------


@pytest.fixture(scope="module")
def sample_mail():
    with LocalMail(ROOT / "examples" / "sample-sites") as mail:
        yield mail


@pytest.fixture
def loopback_only(monkeypatch):
    """Every socket this process opens or sends to must be on 127.0.0.0/8 (the crawl runs in a
    child process and goes through the proxy, which serves the sample hosts only)."""
    seen: list[str] = []
    real_connect, real_connect_ex, real_sendto = (
        socket.socket.connect,
        socket.socket.connect_ex,
        socket.socket.sendto,
    )

    def check(address) -> None:
        if isinstance(address, tuple):
            host = address[0]
            seen.append(host)
            if not ipaddress.ip_address(host).is_loopback:
                raise AssertionError(f"a connection outside loopback: {address}")

    def connect(self, address):
        check(address)
        return real_connect(self, address)

    def connect_ex(self, address):
        check(address)
        return real_connect_ex(self, address)

    def sendto(self, data, *args):
        check(args[-1])
        return real_sendto(self, data, *args)

    monkeypatch.setattr(socket.socket, "connect", connect)
    monkeypatch.setattr(socket.socket, "connect_ex", connect_ex)
    monkeypatch.setattr(socket.socket, "sendto", sendto)
    return seen


def emails(db_url) -> dict[str, tuple]:
    with make_engine(db_url).connect() as conn:
        t = Email.__table__
        rows = conn.execute(
            select(t.c.address, t.c.origin, t.c.status, t.c.catch_all, t.c.evidence)
        ).all()
    return {r.address: tuple(r[1:]) for r in rows}


#: address -> (origin, status, catch_all, evidence) after the sample segment's run
EXPECTED_EMAILS = {
    # Exchange-style, primary MX down: the secondary answers for the addresses on the website
    "oliver.grant@brightwell-analytics.co.uk": ("found", "valid", False, None),
    "priya.nair@brightwell-analytics.co.uk": ("found", "valid", False, None),
    "contact@brightwell-analytics.co.uk": ("found", "valid", False, None),
    # catch-all: every address risky; the website's kept by evidence, Mia's from the pattern
    "daniel@harborlane-coffee.com": ("found", "risky", True, "web"),
    "mia@harborlane-coffee.com": ("guessed", "risky", True, "learned"),
    # greylisting: unknown, with a retry scheduled
    "l.hofmann@hofmann-holzbau.de": ("found", "unknown", False, None),
    "j.keller@hofmann-holzbau.de": ("found", "unknown", False, None),
    "info@hofmann-holzbau.de": ("found", "unknown", False, None),
    # strict: the learned pattern's guess refused, the next one accepted
    "a.morozova@severny-veter.ru": ("found", "valid", False, None),
    "info@severny-veter.ru": ("found", "valid", False, None),
    "i.belov@severny-veter.ru": ("guessed", "invalid", False, "learned"),
    "belov@severny-veter.ru": ("guessed", "valid", False, "prior"),
}


def test_run_with_enrich_guesses_and_verifies_on_the_sample_mail_hosts(
    sqlite_url, tmp_path, sample_sites, sample_mail, loopback_only
):
    jobs = tmp_path / "jobs"
    mail_args = (
        "--smtp",
        "--nameserver",
        sample_mail.nameserver,
        "--smtp-port",
        str(sample_mail.smtp_port),
        "--timeout",
        "5",
        "--json",
    )
    probes_before = len(sample_mail.probes)
    r = run(sqlite_url, jobs, "run", str(SEGMENT), "--proxy", sample_sites.proxy_url, *mail_args)
    assert r.exit_code == 0, r.output
    summary = json.loads(r.stdout)
    assert list(summary["stages"]) == ["crawl:0", "enrich", "dedupe", "score"]
    counts = summary["stages"]["enrich"]["counts"]
    assert (counts["companies"], counts["people"], counts["checked"], counts["guessed"]) == (
        4,
        7,
        9,
        3,
    )
    assert (counts["valid"], counts["invalid"], counts["risky"], counts["unknown"]) == (6, 1, 2, 3)
    assert counts["retries_scheduled"] == 3
    assert summary["totals"]["emails_guessed"] == 3 and summary["totals"]["emails_valid"] == 6
    assert emails(sqlite_url) == EXPECTED_EMAILS

    # what the mail hosts were asked: every RCPT on loopback, no DATA, the down MX never
    # reached, one catch-all probe per domain, and DNS only for the sample names
    probes = sample_mail.probes[probes_before:]
    assert probes and {p.client for p in probes} == {"127.0.0.1"}
    assert not [p for p in probes if p.command == "DATA"]
    assert {p.host for p in probes} == {
        "mx2.brightwell-analytics.co.uk",
        "mx.harborlane-coffee.com",
        "mail.hofmann-holzbau.de",
        "mx1.severny-veter.ru",
    }
    rcpts = [p.argument for p in probes if p.command == "RCPT"]
    assert sorted(set(rcpts) & set(EXPECTED_EMAILS)) == sorted(EXPECTED_EMAILS)
    assert len([a for a in rcpts if a not in EXPECTED_EMAILS]) == 4  # the catch-all probes
    assert {q.rcode for q in sample_mail.queries} == {"NOERROR"}
    assert loopback_only and set(loopback_only) <= {"127.0.0.1", *sample_mail.addresses.values()}

    # the best contacts now carry their verified addresses
    r = run(sqlite_url, jobs, "list", "sample-sites", "--json")
    best = {
        row["domain"]: [(e["address"], e["status"]) for e in row["best_contact"]["emails"]]
        for row in json.loads(r.stdout)
    }
    assert best["brightwell-analytics.co.uk"] == [
        ("oliver.grant@brightwell-analytics.co.uk", "valid")
    ]
    assert best["severny-veter.ru"] == [("a.morozova@severny-veter.ru", "valid")]
    assert best["harborlane-coffee.com"] == [("daniel@harborlane-coffee.com", "risky")]
    assert best["hofmann-holzbau.de"] == [("l.hofmann@hofmann-holzbau.de", "unknown")]

    # again, without a new crawl: nothing is due, nothing asked, nothing changed
    probes_before = len(sample_mail.probes)
    r = run(sqlite_url, jobs, "run", str(SEGMENT), "--skip", "crawl", *mail_args)
    assert r.exit_code == 0, r.output
    counts = json.loads(r.stdout)["stages"]["enrich"]["counts"]
    assert counts["checked"] == counts["guessed"] == counts["valid"] == counts["unknown"] == 0
    assert len(sample_mail.probes) == probes_before
    assert emails(sqlite_url) == EXPECTED_EMAILS


def test_the_loopback_guard_stops_any_other_address(loopback_only):
    with socket.socket() as s, pytest.raises(AssertionError, match="outside loopback"):
        s.connect(("192.0.2.1", 25))  # TEST-NET-1: never reached, the guard refuses first
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as u:
        with pytest.raises(AssertionError, match="outside loopback"):
            u.sendto(b"x", ("198.51.100.53", 53))
        u.sendto(b"x", ("127.0.0.1", 9))  # loopback: allowed
    assert loopback_only == ["192.0.2.1", "198.51.100.53", "127.0.0.1"]


def test_off_a_terminal_progress_is_log_lines_for_each_stage(sqlite_url, tmp_path, sample_sites):
    args = ("run", str(SEGMENT), "--proxy", sample_sites.proxy_url, "--skip", "enrich", *FAST)
    r = run(sqlite_url, tmp_path / "jobs", *args)
    assert r.exit_code == 0, r.output
    lines = r.stderr.splitlines()
    assert "\x1b[" not in r.stderr and "━" not in r.stderr  # no Rich display off a terminal
    assert lines[0] == "run sample-sites stage 1/4 crawl: source 1/1 tradehub (directory) …"
    # the crawl's own count as its process reports it, at least the first one
    assert re.fullmatch(
        r"run sample-sites stage 1/4 crawl: \d+/\? pages, \d+\.\ds; \d+ items · companies "
        r"\d+ new, \d+ updated · people \d+ new",
        lines[1],
    ), lines[1]
    crawled = next(line for line in lines if line.startswith("  crawl tradehub"))
    assert re.fullmatch(
        r"  crawl tradehub ok: \d+ pages · companies 4 new, \d+ updated · people \d+ new · "
        r"\d+\.\d s",
        crawled,
    ), crawled
    assert "run sample-sites stage 2/4 enrich: skipped (--skip)" in lines
    assert "run sample-sites stage 3/4 dedupe …" in lines
    assert "run sample-sites stage 4/4 score …" in lines
    assert "run sample-sites stage 4/4 score: 4/4 accounts (100%)" in r.stderr
    closing = next(i for i, line in enumerate(lines) if line.startswith("segment sample-sites"))
    assert lines[closing - 1].startswith("  score: 4 accounts, ")  # the display, then the summary
    r = run(sqlite_url, tmp_path / "jobs", *args, "--skip", "crawl", "--skip", "score")
    assert "run sample-sites stage 1/4 crawl: skipped (--skip)" in r.stderr.splitlines()


def terminal_run(monkeypatch, db_url, jobs, *args) -> str:
    """``leadgen run`` as on a terminal: its stderr console forced to one (ANSI codes kept)."""
    import leadgen.pipeline

    screen = io.StringIO()
    console = Console(file=screen, force_terminal=True, width=200, soft_wrap=True)
    monkeypatch.setattr(leadgen.pipeline, "err", console)
    r = run(db_url, jobs, *args)
    assert r.exit_code == 0, r.output + screen.getvalue()
    return screen.getvalue()


def test_on_a_terminal_one_display_shows_the_stage_and_its_own_count(
    monkeypatch, sqlite_url, tmp_path, sample_sites
):
    args = ("run", str(SEGMENT), "--proxy", sample_sites.proxy_url, "--skip", "enrich", *FAST)
    shown = terminal_run(monkeypatch, sqlite_url, tmp_path / "jobs", *args)
    assert "\x1b[" in shown  # drawn and redrawn in place
    text = re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", shown)
    assert "run sample-sites stage" not in text  # not the log lines of a pipe
    # the stage counter with the stage reached, and under it the stage's own count
    assert re.search(r"stage 1/4 crawl +━+ 0/4 +stages", text), text
    assert re.search(r"source 1/1 tradehub \(directory\) +━+ \d+/\? pages", text), text
    assert re.search(r"pages +[0-9:]+ +\d+ items · companies 4 new", text), text
    assert re.search(r"stage 3/4 dedupe +━+╺?━* 2/4 +stages", text), text
    assert re.search(r"stage 4/4 score +━+ 4/4 +stages", text), text
    assert re.search(r"  score +━+ 4/4 accounts", text), text
    # the results of the stages above the display, and the closing summary after it
    assert "stage 2/4 enrich: skipped (--skip)" in text
    assert re.search(r"  crawl tradehub ok: \d+ pages · companies 4 new", text), text
    assert "  score: 4 accounts" in text
    assert text.index("  score: 4 accounts") < text.index("segment sample-sites: done in")
    assert "4 accounts scored" in text


def test_json_keeps_log_lines_even_on_a_terminal(monkeypatch, sqlite_url, tmp_path, sample_sites):
    args = ("run", str(SEGMENT), "--skip", "crawl", "--skip", "enrich", "--json")
    run(sqlite_url, tmp_path / "jobs", "db", "upgrade")
    shown = terminal_run(monkeypatch, sqlite_url, tmp_path / "jobs", *args)
    assert "━" not in shown and "\x1b[" not in shown
    lines = shown.splitlines()
    assert lines[:2] == [
        "run sample-sites stage 1/4 crawl: skipped (--skip)",
        "run sample-sites stage 2/4 enrich: skipped (--skip)",
    ]
    assert "run sample-sites stage 3/4 dedupe …" in lines


def test_crawl_settings_reach_every_crawl_of_the_run(sqlite_url, tmp_path, sample_sites):
    args = ("run", str(SEGMENT), "--proxy", sample_sites.proxy_url, "--skip", "enrich", "--json")
    # Scrapy's CloseSpider extension: the crawl ends on its own after 3 pages (not a pause)
    r = run(sqlite_url, tmp_path / "jobs", *args, *FAST, "--set", "CLOSESPIDER_PAGECOUNT=3")
    assert r.exit_code == 0, r.output
    crawl = json.loads(r.stdout)["stages"]["crawl:0"]
    assert crawl["reason"] == "closespider_pagecount"
    assert crawl["counts"]["pages"] < 10  # the whole site is 28 pages


@pytest.mark.parametrize(
    ("pair", "message"),
    [
        ("CONCURRENT_REQUESTS_PER_DOMAIN=lots", "expected a number"),
        ("AUTOTHROTLE_ENABLED=false", "did you mean AUTOTHROTTLE_ENABLED?"),
        ("DOWNLOAD_DELAY", "expected NAME=VALUE"),
    ],
)
def test_a_bad_crawl_setting_stops_the_run_before_anything_runs(
    sqlite_url, tmp_path, pair, message
):
    r = run(sqlite_url, tmp_path / "jobs", "run", str(SEGMENT), "--set", pair)
    assert r.exit_code == 2
    assert message in " ".join(r.output.split())
    assert count(sqlite_url, Run) == 0


def test_ctrl_c_pauses_the_crawl_and_the_same_command_goes_on(sqlite_url, tmp_path, sample_sites):
    """Ctrl-C on a terminal reaches the whole process group: the crawl pauses cleanly (its
    job directory kept), the run says so and exits 130, and the same command finishes it."""
    jobs = tmp_path / "jobs"
    # slow enough (28 pages on 5 hosts, one at a time, 2 s apart) to be stopped half-way
    slow = ("--set", "AUTOTHROTTLE_ENABLED=false", "--set", "DOWNLOAD_DELAY=2")
    slow += ("--set", "CONCURRENT_REQUESTS_PER_DOMAIN=1", "--set", "RANDOMIZE_DOWNLOAD_DELAY=0")
    args = ["run", str(SEGMENT), "--proxy", sample_sites.proxy_url, "--skip", "enrich"]
    proc = subprocess.Popen(
        [sys.executable, "-m", "leadgen", "--database-url", sqlite_url, *args, *slow],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=ROOT,
        env={**os.environ, "LEADGEN_JOBS_DIR": str(jobs), "NO_PROXY": "", "no_proxy": ""},
        start_new_session=True,
    )
    seen = []
    try:
        for line in proc.stderr:  # wait until the crawl has fetched its first page
            seen.append(line)
            if re.match(r"run sample-sites stage 1/4 crawl: \d+/\? pages", line):
                break
        os.killpg(proc.pid, signal.SIGINT)
        rest = proc.stderr.read()
        assert proc.wait(timeout=60) == 130, "".join(seen) + rest
    finally:
        if proc.poll() is None:
            proc.kill()
    assert "interrupted: run the same command again" in rest
    state = json.loads((jobs / "run-sample-sites" / "state.json").read_text(encoding="utf-8"))
    assert "crawl:0" not in state["done"] and state["finished"] is False
    assert [p.name for p in jobs.iterdir() if p.name.startswith("directory-")]  # kept to resume
    runs = Run.__table__.c
    assert count(sqlite_url, Run, runs.kind == "crawl", runs.status == "paused") == 1

    r = run(sqlite_url, jobs, *args, *FAST, "--json")
    assert r.exit_code == 0, r.output
    summary = json.loads(r.stdout)
    assert summary["stages"]["crawl:0"]["status"] == "ok"
    assert 0 < summary["stages"]["crawl:0"]["counts"]["pages"] < 28  # resumed, not restarted
    assert count(sqlite_url, Company) == 4
    assert not [p.name for p in jobs.iterdir() if p.name.startswith("directory-")]


def test_the_enrich_stage_runs_the_enrich_job_with_its_progress(
    sqlite_url, tmp_path, dns_server, mail_servers
):
    """The run's enrich stage against the fixture DNS and SMTP servers (tests/support/mail.py):
    the people of tests/leadgen/test_enrich.py, one run recorded, its count on the display."""
    from tests.leadgen.test_enrich import seed

    seed(make_engine(sqlite_url))
    host, port = dns_server.nameservers[0]
    verification = ("--smtp", "--nameserver", f"{host}:{port}", "--timeout", "2")
    verification += ("--smtp-port", str(mail_servers.port))
    args = ("run", str(SEGMENT), "--skip", "crawl", "--skip", "dedupe", "--skip", "score")
    r = run(sqlite_url, tmp_path / "jobs", *args, *verification, "--json")
    assert r.exit_code == 0, r.output
    enrich = json.loads(r.stdout)["stages"]["enrich"]["counts"]
    assert enrich["companies"] == 4  # the fifth has no domain
    assert enrich["guessed"] > 0 and enrich["valid"] >= 2
    runs = Run.__table__.c
    assert count(sqlite_url, Run, runs.kind == "enrich", runs.status.in_(("ok", "partial"))) == 1
    assert "run sample-sites stage 2/4 enrich …" in r.stderr.splitlines()
    assert "run sample-sites stage 2/4 enrich: 4/4 companies (100%)" in r.stderr
    assert re.search(r"  enrich: \d+ emails guessed, \d+ verified valid, \d", r.stderr)
