"""The mail_domains cache and verification results on emails, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import select
from sqlmodel import Session

from enrichment.verify import DomainCache, DomainFacts, VerifyResult
from storage.clock import utcnow
from storage.domains import MailDomainCache, store_verify_results
from storage.models import Email, MailDomain

D = MailDomain.__table__


def test_put_and_get_round_trip(engine):
    cache = MailDomainCache(engine)
    assert isinstance(cache, DomainCache)
    now = utcnow()
    cache.put_many(
        [
            DomainFacts("acme-bau.de", "ok", ("mx1.acme-bau.de", "mx2.acme-bau.de"), "MX", now),
            DomainFacts("nullmx.de", "null_mx", (), "null MX", now),
            DomainFacts("catchall-gmbh.de", "ok", ("mx.catchall-gmbh.de",), "MX", now, True, now),
        ]
    )
    got = {
        d: DomainFacts.coerce(f)
        for d, f in cache.get_many(
            ["acme-bau.de", "nullmx.de", "catchall-gmbh.de", "unseen.de"]
        ).items()
    }
    assert set(got) == {"acme-bau.de", "nullmx.de", "catchall-gmbh.de"}
    assert got["acme-bau.de"].mx_hosts == ("mx1.acme-bau.de", "mx2.acme-bau.de")
    assert got["acme-bau.de"].dns_checked_at == now and got["acme-bau.de"].catch_all is None
    assert got["nullmx.de"].mail_status == "null_mx"
    assert got["catchall-gmbh.de"].catch_all is True
    assert got["catchall-gmbh.de"].catch_all_checked_at.tzinfo is not None


def test_a_partial_update_keeps_the_other_columns(engine):
    cache = MailDomainCache(engine)
    then = utcnow() - timedelta(hours=1)
    cache.put_many([DomainFacts("acme-bau.de", "ok", ("mx.acme-bau.de",), "MX", then, False, then)])
    with engine.begin() as conn:  # the pattern stage's columns on the same row
        conn.execute(D.update().values(email_pattern="first.last", pattern_support=3))
    now = utcnow()
    cache.put_many([DomainFacts("acme-bau.de", catch_all=True, catch_all_checked_at=now)])
    with engine.connect() as conn:
        row = conn.execute(select(D)).mappings().one()
    assert row["mx_hosts"] == ["mx.acme-bau.de"] and row["mail_status"] == "ok"
    assert row["catch_all"] is True
    assert row["email_pattern"] == "first.last" and row["pattern_support"] == 3
    cache.put_many([DomainFacts("acme-bau.de", "ok", ("mx9.acme-bau.de",), "MX", now)])
    with engine.connect() as conn:
        row = conn.execute(select(D)).mappings().one()
    assert row["mx_hosts"] == ["mx9.acme-bau.de"] and row["catch_all"] is True


def test_ttl_is_respected(engine):
    old = utcnow() - timedelta(days=3)
    recent = utcnow() - timedelta(hours=2)
    MailDomainCache(engine).put_many(
        [
            DomainFacts("old.de", "ok", ("mx.old.de",), "MX", old, True, old),
            DomainFacts("mixed.de", "ok", ("mx.mixed.de",), "MX", old, False, recent),
        ]
    )
    cache = MailDomainCache(engine, dns_ttl=timedelta(days=1), catch_all_ttl=timedelta(days=7))
    got = cache.get_many(["old.de", "mixed.de"])
    assert got["old.de"].mail_status is None and got["old.de"].catch_all is True
    assert got["mixed.de"].mx_hosts == [] and got["mixed.de"].catch_all is False
    short = MailDomainCache(engine, dns_ttl=timedelta(hours=1), catch_all_ttl=timedelta(hours=1))
    assert short.get_many(["old.de", "mixed.de"]) == {}


def test_many_domains_in_one_call(engine):
    now = utcnow()
    cache = MailDomainCache(engine)
    facts = [DomainFacts(f"d{i}.de", "ok", (f"mx.d{i}.de",), "MX", now) for i in range(1200)]
    cache.put_many(facts)
    cache.put_many(facts)  # again: updates, no duplicates
    got = cache.get_many([f"d{i}.de" for i in range(1200)])
    assert len(got) == 1200 and got["d1199.de"].mx_hosts == ["mx.d1199.de"]


def _result(email, status, **kw):
    base = dict(
        email=email,
        normalized=email.strip().lower(),
        status=status,
        syntax_ok=True,
        mx_hosts=["mx.acme-bau.de"],
        catch_all=False,
        disposable=False,
        role=False,
        free_provider=False,
        greylisted=False,
        full_inbox=False,
        disabled=False,
        reason="r",
        checked_at=datetime(2026, 12, 1, 10, 0, tzinfo=UTC),
    )
    base.update(kw)
    return VerifyResult(**base)


def test_results_are_stored_on_existing_email_rows(engine):
    with Session(engine) as s:
        s.add(Email(address="alice@acme-bau.de", domain="acme-bau.de"))
        s.add(Email(address="gone@acme-bau.de", domain="acme-bau.de"))
        s.commit()
    n = store_verify_results(
        engine,
        [
            _result(" Alice@acme-bau.de", "valid", reason="accepted"),
            _result("gone@acme-bau.de", "invalid", disabled=True, reason="550 5.2.1"),
            _result("stranger@acme-bau.de", "valid"),  # no row: nothing happens
            _result("bad", "invalid", normalized=None, syntax_ok=False),
        ],
    )
    assert n == 2
    with Session(engine) as s:
        rows = {e.address: e for e in s.exec(select(Email)).scalars()}
    assert set(rows) == {"alice@acme-bau.de", "gone@acme-bau.de"}
    a, g = rows["alice@acme-bau.de"], rows["gone@acme-bau.de"]
    assert (a.status, a.syntax_ok, a.mx_hosts, a.reason) == (
        "valid",
        True,
        ["mx.acme-bau.de"],
        "accepted",
    )
    assert (g.status, g.disabled, g.catch_all, g.greylisted) == ("invalid", True, False, False)
    assert a.checked_at.replace(tzinfo=UTC) == datetime(2026, 12, 1, 10, 0, tzinfo=UTC)
