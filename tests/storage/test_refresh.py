"""Which accounts a refresh takes (`storage.refresh.due_accounts`): by tier cadence, the
effective tier, longest waiting first, never-refreshed before all; SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select, update

from storage.db import write_transaction
from storage.models import Company
from storage.records import CompanyRecord
from storage.refresh import due_accounts, mark_refreshed
from storage.repository import upsert_batch
from storage.scores import UnknownSegment, save_scores, set_override

NOW = datetime(2026, 12, 1, 3, 15, tzinfo=UTC)
CADENCE = {"strategic": 30, "scale": 90, "programmatic": 90}


@pytest.fixture
def segment(engine):
    records = [
        CompanyRecord(source="import:x", name=n, name_key=n.lower(), domain=d)
        for n, d in [
            ("Alpha", "alpha.de"),
            ("Beta", "beta.de"),
            ("Gamma", "gamma.de"),
            ("Delta", None),
        ]
    ]
    with write_transaction(engine) as conn:
        upsert_batch(conn, records, now=NOW - timedelta(days=400))
        ids = {n: i for i, n in conn.execute(select(Company.id, Company.name))}
    tiers = {"Alpha": "strategic", "Beta": "scale", "Gamma": "programmatic", "Delta": "strategic"}
    save_scores(
        engine, "dach", description=None, definition={}, config_hash="h", run_id=None,
        results=[{"company_id": ids[n], "tier": t} for n, t in tiers.items()],
    )  # fmt: skip
    return ids


def _due(engine, now=NOW, **kw):
    with engine.connect() as conn:
        return [(d.name, d.tier) for d in due_accounts(conn, "dach", CADENCE, now, **kw)]


def test_never_refreshed_are_all_due_strategic_first_and_no_site_no_refresh(engine, segment):
    # Delta has no website or domain: it cannot be re-crawled
    assert _due(engine) == [("Alpha", "strategic"), ("Beta", "scale"), ("Gamma", "programmatic")]
    assert _due(engine, limit=2) == [("Alpha", "strategic"), ("Beta", "scale")]


def test_cadence_per_tier_and_overrides(engine, segment):
    ids = segment
    with write_transaction(engine) as conn:
        mark_refreshed(conn, [ids["Alpha"], ids["Beta"], ids["Gamma"]], NOW - timedelta(days=40))
    # 40 days ago: strategic (monthly) is due, the quarterly ones are not
    assert _due(engine) == [("Alpha", "strategic")]
    # a tier set by hand counts: Gamma made strategic is due now too
    set_override(engine, "dach", ids["Gamma"], "strategic", "met at the fair")
    assert _due(engine) == [("Alpha", "strategic"), ("Gamma", "strategic")]
    # after 100 days everything is due again, the longest waiting first
    with write_transaction(engine) as conn:
        conn.execute(
            update(Company)
            .where(Company.id == ids["Beta"])
            .values(refreshed_at=NOW - timedelta(days=95))
        )
    later = NOW + timedelta(days=60)
    assert _due(engine, later) == [
        ("Beta", "scale"),
        ("Alpha", "strategic"),
        ("Gamma", "strategic"),
    ]
    with write_transaction(engine) as conn:
        mark_refreshed(conn, list(ids.values()), NOW)
    assert _due(engine) == []
    with engine.connect() as conn, pytest.raises(UnknownSegment):
        due_accounts(conn, "nowhere", CADENCE, NOW)


def test_known_pages_are_the_pages_values_were_read_from(engine):
    from storage.pages import record_pages
    from storage.records import EmailRecord, PersonRecord
    from storage.refresh import known_pages

    def page(url: str, kind: str, **values) -> CompanyRecord:
        return CompanyRecord(
            source=url, locator=f"site:{kind}", name="Acme", name_key="acme", domain="acme.de",
            **values,
        )  # fmt: skip

    records = [
        page("https://acme.de/", "home", phones=["+498912345670"]),
        page("https://acme.de/kontakt", "contact", emails=[EmailRecord("info@acme.de", "acme.de")]),
        page("https://acme.de/team", "team", people=[PersonRecord("Anna Berg", "anna berg")]),
        page("https://acme.de/alt", "contact", phones=["+498912345671"]),
        # a directory's page about the company, and an import: not pages of the website
        CompanyRecord(
            source="https://katalog.de/firma/7",
            locator="div.card",
            name="Acme",
            name_key="acme",
            domain="acme.de",
            city="München",
        ),  # fmt: skip
        CompanyRecord(source="import:crm.csv", locator="row 2", name="Acme", name_key="acme"),
        CompanyRecord(
            source="https://other.de/",
            locator="site:home",
            name="Other",
            name_key="other",
            domain="other.de",
        ),  # fmt: skip
    ]
    with write_transaction(engine) as conn:
        upsert_batch(conn, records, now=NOW)
        record_pages(conn, [("https://acme.de/alt", 404)], NOW)
        record_pages(conn, [("https://acme.de/alt", 410)], NOW + timedelta(days=1))  # retired
        acme = conn.execute(select(Company.id).where(Company.domain == "acme.de")).scalar()
    with engine.connect() as conn:
        assert known_pages(conn, [acme]) == [
            ("https://acme.de/", "home"),
            ("https://acme.de/kontakt", "contact"),
            ("https://acme.de/team", "team"),
            ("https://katalog.de/firma/7", ""),  # the spider keeps to the site's own domain
        ]
        assert known_pages(conn, []) == []
