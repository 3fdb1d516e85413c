"""`storage.changes.list_changes` and `leadgen changes`: the feed of what changed since a moment,
built from two crawls of the same companies a week apart (SQLite and PostgreSQL)."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import insert, select, update
from typer.testing import CliRunner

from leadgen.changes import parse_when
from leadgen.cli import app
from storage.changes import KINDS, list_changes
from storage.db import write_transaction
from storage.models import ChangeEvent, Company, Email, Person
from storage.records import CompanyRecord, EmailRecord, PersonRecord
from storage.repository import upsert_batch

T1 = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)
T2 = datetime(2026, 11, 9, 9, 0, tzinfo=UTC)


def _acme(source: str, people: list[PersonRecord], phones: list[str]) -> CompanyRecord:
    return CompanyRecord(
        source=source, name="Acme GmbH", name_key="acme", domain="acme.de", phones=phones,
        people=people,
    )  # fmt: skip


def _person(name: str, title: str, dm: bool, emails=()) -> PersonRecord:
    return PersonRecord(
        name, name.casefold(), title=title, is_decision_maker=dm,
        emails=[EmailRecord(e, "acme.de") for e in emails],
    )  # fmt: skip


@pytest.fixture
def two_crawls(engine):
    with write_transaction(engine) as conn:
        upsert_batch(
            conn,
            [
                _acme(
                    "https://acme.de/team",
                    [
                        _person("Anna Berg", "Vertriebsleiterin", False, ["anna.berg@acme.de"]),
                        _person("Olaf Kurz", "Einkauf", False),
                    ],
                    ["+498912345670"],
                ),
                CompanyRecord(source="import:a.csv", name="Beta AG", name_key="beta"),
            ],
            now=T1,
        )
    with write_transaction(engine) as conn:  # a week later
        upsert_batch(
            conn,
            [
                _acme(
                    "https://acme.de/team",
                    [
                        _person("Anna Berg", "Geschäftsführerin", True, ["anna.berg@acme.de"]),
                        _person("Jonas Weber", "Leiter Einkauf", True, ["j.weber@acme.de"]),
                    ],
                    ["+498912345679"],
                ),
                CompanyRecord(
                    source="https://gamma.de/",
                    name="Gamma KG",
                    name_key="gamma",
                    domain="gamma.de",
                    people=[_person("Lena Fuchs", "Inhaberin", True)],
                ),
            ],
            now=T2,
        )
        ids = {n: i for i, n in conn.execute(select(Company.id, Company.name))}
        people = {n: i for i, n in conn.execute(select(Person.id, Person.full_name))}
        conn.execute(update(Person).where(Person.full_name == "Olaf Kurz").values(gone_at=T2))
        (eid,) = conn.execute(select(Email.id).where(Email.address == "anna.berg@acme.de")).one()
        conn.execute(update(Email).where(Email.id == eid).values(status="invalid"))
        conn.execute(
            insert(ChangeEvent).values(
                entity_type="email", entity_id=eid, company_id=ids["Acme GmbH"], kind="changed",
                field="status", old_value="valid", new_value="invalid", created_at=T2,
            )
        )  # fmt: skip
    return ids, people


def test_changes_of_the_second_crawl(engine, two_crawls):
    ids, people = two_crawls
    with engine.connect() as conn:
        events = list_changes(conn, T2 - timedelta(hours=1))
    acme, gamma = ids["Acme GmbH"], ids["Gamma KG"]
    got = [(e["kind"], e["company_id"], e["person"], e["old"], e["new"]) for e in events]
    assert ("account_new", gamma, None, None, None) in got
    # the new account's own person is not news of its own
    assert not [g for g in got if g[2] == "Lena Fuchs"]
    assert ("person_new", acme, "Jonas Weber", None, "Leiter Einkauf") in got
    assert ("person_gone", acme, "Olaf Kurz", "Einkauf", None) in got
    assert ("title_changed", acme, "Anna Berg", "Vertriebsleiterin", "Geschäftsführerin") in got
    assert ("decision_maker_new", acme, "Anna Berg", None, None) in got
    # phone lists are united: the new number joins the old one
    assert (
        "phone_changed",
        acme,
        None,
        ["+498912345670"],
        ["+498912345670", "+498912345679"],
    ) in got
    assert ("email_status", acme, "Anna Berg", "valid", "invalid") in got
    # Jonas Weber's address is part of his arrival, not a separate event
    assert not [e for e in events if e["kind"] == "email_new"]
    new_person = next(e for e in events if e["kind"] == "person_new")
    assert new_person["decision_maker"] is True and new_person["person_id"] == people["Jonas Weber"]
    title = next(e for e in events if e["kind"] == "title_changed")
    assert title["decision_maker"] is True
    status = next(e for e in events if e["kind"] == "email_status")
    assert status["email"] == "anna.berg@acme.de"
    assert [str(e["at"]) for e in events] == sorted(str(e["at"]) for e in events)
    assert {e["kind"] for e in events} <= set(KINDS)
    # Beta AG was not seen again and did not change
    assert ids["Beta AG"] not in {e["company_id"] for e in events}


def test_changes_window_and_kinds(engine, two_crawls):
    ids, _ = two_crawls
    with engine.connect() as conn:
        first_week = list_changes(conn, T1, until=T2)
        only = list_changes(conn, T2, kinds=["person_new", "person_gone"])
        with pytest.raises(ValueError, match="unknown kind bogus"):
            list_changes(conn, T1, kinds=["bogus"])
        assert list_changes(conn, T2 + timedelta(seconds=1)) == []
    assert sorted(e["company_id"] for e in first_week) == sorted([ids["Acme GmbH"], ids["Beta AG"]])
    assert {e["kind"] for e in first_week} == {"account_new"}
    assert {e["kind"] for e in only} == {"person_new", "person_gone"}


def test_parse_when():
    now = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)
    assert parse_when("7d", now) == now - timedelta(days=7)
    assert parse_when("12h", now) == now - timedelta(hours=12)
    assert parse_when("2W", now) == now - timedelta(weeks=2)
    assert parse_when("2026-11-01") == datetime(2026, 11, 1, tzinfo=UTC)
    assert parse_when("2026-11-01T09:30+03:00") == datetime(2026, 11, 1, 6, 30, tzinfo=UTC)
    for bad in ("last week", "7 days", "2026-13-01", ""):
        with pytest.raises(ValueError, match="is not a date"):
            parse_when(bad)


def test_changes_command(db_url, engine, two_crawls):
    ids, _ = two_crawls

    def run(*args):
        return CliRunner().invoke(app, ["--database-url", db_url, "changes", *args])

    r = run("--since", "2026-11-09", "--json")
    assert r.exit_code == 0, r.output
    events = json.loads(r.stdout)
    assert {e["kind"] for e in events} >= {"account_new", "person_new", "title_changed"}
    assert all(e["at"].startswith("2026-11-09T09:00:00") for e in events)
    r = run("--since", "2026-11-09", "--kind", "person_gone")
    assert r.exit_code == 0 and "Olaf Kurz" in r.stdout and "left: Einkauf" in r.stdout
    r = run("no-such-segment", "--since", "2026-11-01")
    assert r.exit_code == 2 and "no segment named" in r.output
    r = run("--since", "yesterday")
    assert r.exit_code == 2 and "is not a date" in r.output
    r = run("--since", "2027-01-01")
    assert r.exit_code == 0 and "no changes since 2027-01-01" in r.stdout


def test_changes_of_one_segment(engine, two_crawls):
    from storage.scores import UnknownSegment, save_scores

    ids, _ = two_crawls
    save_scores(
        engine, "dach", description=None, definition={}, config_hash="h", run_id=None,
        results=[{"company_id": ids["Gamma KG"], "tier": "scale"}],
    )  # fmt: skip
    with engine.connect() as conn:
        events = list_changes(conn, T1, segment="dach")
        assert [(e["kind"], e["company"]) for e in events] == [("account_new", "Gamma KG")]
        with pytest.raises(UnknownSegment):
            list_changes(conn, T1, segment="nowhere")
