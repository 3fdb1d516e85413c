"""The two storage rules crawls rely on: facts kept as observations, fallback values only fill
gaps (a page title never renames a company a directory named)."""

from __future__ import annotations

from sqlalchemy import select

from storage.db import write_transaction
from storage.models import Company, Observation
from storage.records import CompanyRecord
from storage.repository import upsert_batch


def _store(engine, *records):
    with write_transaction(engine) as conn:
        return upsert_batch(conn, list(records))


def _rec(source, name, *, fallback=False, **kw):
    r = CompanyRecord(source=source, name=name, name_key=name.casefold(), domain="firma.de", **kw)
    if fallback:
        r.fallback_fields = frozenset({"name", "name_key", "legal_form"})
    return r


def test_fallback_name_fills_a_gap_but_never_replaces(engine):
    _store(engine, _rec("https://firma.de/", "Firma Startseite", fallback=True))
    with engine.connect() as conn:
        assert conn.execute(select(Company.name)).scalar_one() == "Firma Startseite"
    _store(engine, _rec("https://katalog.de/firma", "Firma Bau GmbH"))
    result = _store(engine, _rec("https://firma.de/", "Willkommen", fallback=True))
    assert result.problems == []  # a fallback that loses is not a conflict
    with engine.connect() as conn:
        assert conn.execute(select(Company.name)).scalar_one() == "Firma Bau GmbH"


def test_facts_are_observations_of_their_source(engine):
    r = _rec(
        "https://expo-messe.de/aussteller/",
        "Firma Bau GmbH",
        facts={"booth": "B12", "hall": "3", "list": "expo-2026"},
    )
    _store(engine, r)
    _store(engine, r)  # again: nothing new
    with engine.connect() as conn:
        rows = conn.execute(
            select(Observation.field, Observation.value, Observation.source)
            .where(Observation.field.like("fact.%"))
            .order_by(Observation.field)
        ).all()
    assert [(f, v) for f, v, _ in rows] == [
        ("fact.booth", "B12"),
        ("fact.hall", "3"),
        ("fact.list", "expo-2026"),
    ]
    assert {s for _, _, s in rows} == {"https://expo-messe.de/aussteller/"}


def test_a_site_name_replaces_the_domain_that_stood_in_for_it(engine):
    placeholder = CompanyRecord(
        source="https://firma.de/kontakt", name="firma.de", name_key="firma.de", domain="firma.de"
    )
    placeholder.fallback_fields = frozenset({"name", "name_key"})
    _store(engine, placeholder)  # a contact page first: no name yet, the domain stands in
    _store(engine, _rec("https://firma.de/", "Firma Bau GmbH", fallback=True))
    with engine.connect() as conn:
        assert conn.execute(select(Company.name)).scalar_one() == "Firma Bau GmbH"
