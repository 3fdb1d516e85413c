"""`leadgen enrich` end to end: the fixture DNS server (dnsmasq) and SMTP servers on 127.0.0.x,
a database on SQLite and PostgreSQL, and the job's rules — verify what is due, guess in order
until one is valid, decide catch-all domains by evidence, retry greylisting later, never
touch a suppressed address, and do nothing twice."""

from __future__ import annotations

import asyncio
import json
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select
from typer.testing import CliRunner

from enrichment.email_job import RetryPolicy
from enrichment.patterns import guess, learn
from enrichment.verify import VerifyConfig, verify_emails
from leadgen.cli import app
from leadgen.enrich_job import EnrichJob, EnrichOptions
from storage.db import make_engine
from storage.enrich import company_ids_for
from storage.erase import forget_email
from storage.models import Email, MailDomain, Observation, Run
from storage.records import CompanyRecord, EmailRecord, PersonRecord
from storage.repository import upsert_batch

SITE = "https://example-directory.test/list"


def _person(name: str, first: str, last: str, *emails: str, title: str | None = None):
    return PersonRecord(
        full_name=name,
        name_key=name.casefold(),
        first_name=first,
        last_name=last,
        title=title,
        emails=[EmailRecord(e, e.rpartition("@")[2], origin="found") for e in emails],
    )


def seed(engine) -> None:
    records = [
        CompanyRecord(
            source=SITE,
            name="Acme Bau GmbH",
            name_key="acme bau",
            domain="acme-bau.de",
            emails=[EmailRecord("info@acme-bau.de", "acme-bau.de", kind="role")],
            people=[
                _person("Alice Schmidt", "Alice", "Schmidt", "alice@acme-bau.de"),
                _person("Ivan Petrov", "Ivan", "Petrov"),
            ],
        ),
        CompanyRecord(
            source=SITE,
            name="Catchall GmbH",
            name_key="catchall",
            domain="catchall-gmbh.de",
            people=[
                _person("Klaus Weber", "Klaus", "Weber", "k.weber@catchall-gmbh.de"),
                _person("Hans Müller", "Hans", "Müller"),
            ],
        ),
        CompanyRecord(
            source=SITE,
            name="ООО Грейлист",
            name_key="грейлист",
            domain="greylist-ooo.ru",
            people=[_person("Сергей Иванов", "Сергей", "Иванов")],
        ),
        CompanyRecord(
            source=SITE,
            name="Null MX AG",
            name_key="null mx",
            domain="nullmx.de",
            people=[_person("Otto Null", "Otto", "Null")],
        ),
        CompanyRecord(
            source=SITE,
            name="ООО Без сайта",
            name_key="без сайта",
            people=[_person("Анна Орлова", "Анна", "Орлова")],
        ),
    ]
    with engine.begin() as conn:
        upsert_batch(conn, records)


def emails(engine) -> dict[str, dict]:
    with engine.connect() as conn:
        rows = conn.execute(select(Email.__table__)).mappings().all()
    return {r["address"]: dict(r) for r in rows}


def cli(db_url, dns, smtp, *args):
    host, port = dns.nameservers[0]
    return CliRunner().invoke(
        app,
        [
            "--database-url",
            db_url,
            "enrich",
            "--nameserver",
            f"{host}:{port}",
            "--smtp-port",
            str(smtp.port),
            "--timeout",
            "2",
            *args,
        ],
        catch_exceptions=False,
    )


def job(engine, dns, smtp, *, now, smtp_on=True, **kw) -> EnrichJob:
    config = VerifyConfig(
        smtp=smtp_on, nameservers=dns.nameservers, smtp_port=smtp.port, timeout=2.0
    )

    async def verify(addresses):
        return await verify_emails(addresses, config)

    return EnrichJob(
        engine,
        EnrichOptions(smtp=smtp_on, **kw),
        verify,
        learn=learn,
        guess=guess,
        now=lambda: now,
    )


def run_job(engine, j) -> dict[str, int]:
    return asyncio.run(j.run(company_ids_for(engine))).as_dict()


def test_enrich_with_smtp_end_to_end(db_url, dns_server, mail_servers):
    engine = make_engine(db_url)
    seed(engine)
    r = cli(db_url, dns_server, mail_servers, "--smtp", "--json")
    assert r.exit_code == 0, r.output
    counts = json.loads(r.stdout)
    assert counts["companies"] == 4 and counts["people"] == 6
    assert counts["companies_without_domain"] == 1  # counted, not silently skipped
    assert counts["no_mail_domain"] == 1  # nullmx.de: nobody guessed there
    e = emails(engine)

    # found and role addresses verified in place
    assert e["alice@acme-bau.de"]["status"] == "valid"
    assert e["info@acme-bau.de"]["status"] == "valid"
    # Ivan: the learned pattern (first, from alice@) is refused, the next candidates are
    # tried until one is accepted; the refused guess is kept (never tried again) but hidden
    ivan = [
        a for a, row in e.items() if row["origin"] == "guessed" and row["domain"] == "acme-bau.de"
    ]
    assert e["ivan@acme-bau.de"]["status"] == "invalid"
    assert e["ivan.petrov@acme-bau.de"]["status"] == "valid"
    assert e["ivan.petrov@acme-bau.de"]["confidence"] == pytest.approx(0.99)
    assert {a: e[a]["status"] for a in ivan} == {
        a: "valid" if a == "ivan.petrov@acme-bau.de" else "invalid" for a in ivan
    }
    rcpts = mail_servers.recorders["known"].rcpt
    assert rcpts.index("ivan@acme-bau.de") < rcpts.index("ivan.petrov@acme-bau.de")

    # catch-all: the found address is kept on web evidence, the guess on the learned pattern
    weber = e["k.weber@catchall-gmbh.de"]
    assert weber["status"] == "risky" and weber["catch_all"] is True
    assert weber["evidence"] == "web" and "seen on the web" in weber["reason"]
    hans = [
        row
        for row in e.values()
        if row["domain"] == "catchall-gmbh.de" and row["origin"] == "guessed"
    ]
    assert len(hans) == 1, "on a catch-all domain one address is kept, not every candidate"
    hans = hans[0]
    assert hans["address"] in ("h.mueller@catchall-gmbh.de", "h.muller@catchall-gmbh.de")
    assert hans["status"] == "risky" and hans["evidence"] == "learned"
    assert hans["reason"].startswith("catch-all domain") and "learned" in hans["reason"]
    assert hans["confidence"] <= 0.8

    # greylisting: the guess waits for a retry at least 30 minutes later
    grey = [row for row in e.values() if row["domain"] == "greylist-ooo.ru"]
    assert len(grey) == 1 and grey[0]["status"] == "unknown" and grey[0]["greylisted"]
    assert grey[0]["attempts"] == 1
    checked = grey[0]["checked_at"].replace(tzinfo=UTC)
    assert grey[0]["next_check_at"].replace(tzinfo=UTC) - checked >= timedelta(minutes=30)

    assert not any(row["domain"] == "nullmx.de" for row in e.values())
    assert mail_servers.recorders["known"].data == 0  # never DATA

    with engine.connect() as conn:
        # the learned pattern is kept with the domain
        acme = (
            conn.execute(
                select(MailDomain.__table__).where(MailDomain.__table__.c.domain == "acme-bau.de")
            )
            .mappings()
            .one()
        )
        assert acme["email_pattern"] == "first" and acme["pattern_support"] == 1
        # provenance: every guess and every status has its observation, from this run
        run = (
            conn.execute(select(Run.__table__).where(Run.__table__.c.kind == "enrich"))
            .mappings()
            .one()
        )
        assert run["status"] == "ok" and run["counts"]["guessed"] == counts["guessed"]
        o = Observation.__table__
        guessed_obs = conn.execute(
            select(o.c.entity_id, o.c.locator, o.c.run_id).where(
                o.c.source == "enrich:guess", o.c.field == "address"
            )
        ).all()
        guessed_ids = {row["id"] for row in e.values() if row["origin"] == "guessed"}
        assert {g.entity_id for g in guessed_obs} == guessed_ids
        assert all(g.run_id == run["id"] and "pattern " in g.locator for g in guessed_obs)
        status_obs = (
            conn.execute(
                select(o.c.entity_id).where(o.c.source == "enrich:verify", o.c.field == "status")
            )
            .scalars()
            .all()
        )
        assert set(status_obs) == {row["id"] for row in e.values()}

    # a second run finds nothing due: the database stays as it was
    before = emails(engine)
    mail_servers.clear()
    r = cli(db_url, dns_server, mail_servers, "--smtp", "--json")
    again = json.loads(r.stdout)
    assert again["checked"] == 0 and again["guessed"] == 0
    assert emails(engine) == before
    assert mail_servers.recorders["known"].rcpt == []


def test_greylisted_guess_is_retried_with_back_off(sqlite_url, dns_server, mail_servers):
    engine = make_engine(sqlite_url)
    seed(engine)
    t0 = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
    run_job(engine, job(engine, dns_server, mail_servers, now=t0))
    grey = next(r for r in emails(engine).values() if r["domain"] == "greylist-ooo.ru")

    # 20 minutes on: not due yet, nothing is asked
    mail_servers.clear()
    counts = run_job(engine, job(engine, dns_server, mail_servers, now=t0 + timedelta(minutes=20)))
    assert counts["checked"] == 0 and mail_servers.recorders["greylist"].rcpt == []

    # 31 minutes on: asked again, the next retry twice as far
    t1 = t0 + timedelta(minutes=31)
    counts = run_job(engine, job(engine, dns_server, mail_servers, now=t1))
    assert counts["checked"] == 1 and counts["retries_scheduled"] == 1
    assert grey["address"] in mail_servers.recorders["greylist"].rcpt
    row = emails(engine)[grey["address"]]
    assert row["attempts"] == 2
    assert row["next_check_at"].replace(tzinfo=UTC) == t1 + timedelta(minutes=60)

    # attempts are bounded: after max_attempts the address waits for the re-check age
    policy = RetryPolicy(max_attempts=3)
    t2 = t1 + timedelta(hours=2)
    run_job(engine, job(engine, dns_server, mail_servers, now=t2, policy=policy))
    row = emails(engine)[grey["address"]]
    assert row["attempts"] == 3 and row["next_check_at"] is None and row["status"] == "unknown"
    mail_servers.clear()
    counts = run_job(engine, job(engine, dns_server, mail_servers, now=t2 + timedelta(days=1)))
    assert counts["checked"] == 0 and mail_servers.recorders["greylist"].rcpt == []


def test_verified_addresses_are_checked_again_after_the_recheck_age(
    sqlite_url, dns_server, mail_servers
):
    engine = make_engine(sqlite_url)
    seed(engine)
    t0 = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
    run_job(engine, job(engine, dns_server, mail_servers, now=t0))
    mail_servers.clear()
    counts = run_job(engine, job(engine, dns_server, mail_servers, now=t0 + timedelta(days=89)))
    assert "alice@acme-bau.de" not in mail_servers.recorders["known"].rcpt
    counts = run_job(engine, job(engine, dns_server, mail_servers, now=t0 + timedelta(days=91)))
    assert "alice@acme-bau.de" in mail_servers.recorders["known"].rcpt
    assert counts["checked"] >= 3  # alice, info, ivan.petrov (and the guesses kept invalid)
    assert emails(engine)["alice@acme-bau.de"]["checked_at"].replace(tzinfo=UTC) == t0 + timedelta(
        days=91
    )


def test_a_suppressed_address_is_never_probed_nor_stored(sqlite_url, dns_server, mail_servers):
    engine = make_engine(sqlite_url)
    seed(engine)
    with engine.begin() as conn:
        forget_email(conn, "ivan.petrov@acme-bau.de", reason="opt-out")
    run_job(engine, job(engine, dns_server, mail_servers, now=datetime.now(UTC)))
    assert "ivan.petrov@acme-bau.de" not in mail_servers.recorders["known"].rcpt
    assert "ivan.petrov@acme-bau.de" not in emails(engine)


def test_without_smtp_the_best_guess_waits_as_unknown(sqlite_url, dns_server, mail_servers):
    engine = make_engine(sqlite_url)
    seed(engine)
    counts = run_job(
        engine, job(engine, dns_server, mail_servers, now=datetime.now(UTC), smtp_on=False)
    )
    assert all(not r.rcpt for r in mail_servers.recorders.values())
    e = emails(engine)
    guessed = [r for r in e.values() if r["origin"] == "guessed"]
    # one guess per person on a domain that takes mail (Ivan, Hans, Сергей), none on nullmx.de
    assert len(guessed) == 3 and counts["guessed"] == 3
    assert {r["status"] for r in guessed} == {"unknown"}
    assert all(r["mx_hosts"] for r in guessed)
    ivan = next(r for r in guessed if r["domain"] == "acme-bau.de")
    assert ivan["address"] == "ivan@acme-bau.de" and ivan["evidence"] == "learned"
    # an SMTP run later takes them up at once
    mail_servers.clear()
    counts = run_job(engine, job(engine, dns_server, mail_servers, now=datetime.now(UTC)))
    assert "ivan@acme-bau.de" in mail_servers.recorders["known"].rcpt
    assert emails(engine)["ivan.petrov@acme-bau.de"]["status"] == "valid"


def test_exports_show_the_valid_guess_not_the_refused_ones(
    sqlite_url, dns_server, mail_servers, tmp_path
):
    engine = make_engine(sqlite_url)
    seed(engine)
    run_job(engine, job(engine, dns_server, mail_servers, now=datetime.now(UTC)))
    out = tmp_path / "contacts.jsonl"
    r = CliRunner().invoke(
        app,
        ["--database-url", sqlite_url, "export", "-o", str(out), "--format", "jsonl", "--contacts"],
    )
    assert r.exit_code == 0, r.output
    rows = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    shown = json.dumps(rows, ensure_ascii=False)
    assert "ivan.petrov@acme-bau.de" in shown
    assert "ivan@acme-bau.de" not in shown  # a guess the server refused
    assert "alice@acme-bau.de" in shown


def test_unknown_segment_is_a_usage_error(sqlite_url, dns_server, mail_servers):
    r = cli(sqlite_url, dns_server, mail_servers, "--segment", "nope")
    assert r.exit_code == 2
    assert "no segment named 'nope'" in r.output
