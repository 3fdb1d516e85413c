"""Refresh bookkeeping (`storage.pages`): page answers, retired pages, and people gone after two
successful fetches without being seen — on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from storage.changes import list_changes
from storage.db import write_transaction
from storage.models import ChangeEvent, Page, Person
from storage.pages import people_gone, record_pages, retired_pages
from storage.records import CompanyRecord, PersonRecord
from storage.repository import upsert_batch

T0 = datetime(2026, 9, 1, 8, 0, tzinfo=UTC)
TEAM = "https://acme.de/team"
CONTACT = "https://acme.de/kontakt"
IMPRESSUM = "https://acme.de/impressum"
_PAGES = Page.__table__


def _crawl(engine, when, pages: dict[str, tuple[int, list[str]]]) -> None:
    """One crawl at ``when``: each page's status and the people it shows (as the spiders store
    them: one record per page, the page as the source)."""
    with write_transaction(engine) as conn:
        records = [
            CompanyRecord(
                source=url,
                name="Acme GmbH",
                name_key="acme",
                domain="acme.de",
                people=[PersonRecord(n, n.casefold(), title="Leitung") for n in names],
            )
            for url, (status, names) in pages.items()
            if status == 200
        ]
        if records:
            upsert_batch(conn, records, now=when)
        record_pages(conn, [(url, status) for url, (status, _) in pages.items()], when)


def _gone(engine, when) -> list[str]:
    with write_transaction(engine) as conn:
        ids = people_gone(conn, when)
        if not ids:
            return []
        return sorted(
            conn.execute(select(Person.full_name).where(Person.id.in_(ids))).scalars().all()
        )


def _week(n: int) -> datetime:
    return T0 + timedelta(weeks=n)


def test_a_person_is_gone_after_two_fetches_without_them(engine):
    _crawl(engine, _week(0), {TEAM: (200, ["Anna Berg", "Olaf Kurz"])})
    assert _gone(engine, _week(0)) == []
    _crawl(engine, _week(1), {TEAM: (200, ["Anna Berg"])})  # once without Olaf: not yet
    assert _gone(engine, _week(1)) == []
    _crawl(engine, _week(2), {TEAM: (200, ["Anna Berg"])})  # twice: gone
    assert _gone(engine, _week(2)) == ["Olaf Kurz"]
    assert _gone(engine, _week(2)) == []  # marked once
    with engine.connect() as conn:
        (reason,) = conn.execute(
            select(ChangeEvent.new_value).where(ChangeEvent.kind == "gone")
        ).scalars()
        assert "not on https://acme.de/team for two fetches" in reason
        feed = list_changes(conn, _week(2))
    assert [(e["kind"], e["person"]) for e in feed] == [("person_gone", "Olaf Kurz")]
    # seen again later: back (the repository clears gone_at on a sighting)
    _crawl(engine, _week(3), {TEAM: (200, ["Anna Berg", "Olaf Kurz"])})
    with engine.connect() as conn:
        assert (
            conn.execute(select(Person.gone_at).where(Person.full_name == "Olaf Kurz")).scalar()
            is None
        )


def test_failed_fetches_say_nothing_and_a_page_gone_twice_retires(engine):
    _crawl(engine, _week(0), {TEAM: (200, ["Anna Berg"]), CONTACT: (200, ["Jonas Weber"])})
    # the team page times out, then answers 503: nothing learned about Anna
    _crawl(engine, _week(1), {TEAM: (0, []), CONTACT: (200, ["Jonas Weber"])})
    _crawl(engine, _week(2), {TEAM: (503, []), CONTACT: (200, ["Jonas Weber"])})
    assert _gone(engine, _week(2)) == []
    # one 404 may be a hiccup; the second retires the page, and Anna (only there) with it
    _crawl(engine, _week(3), {TEAM: (404, []), CONTACT: (200, ["Jonas Weber"])})
    assert _gone(engine, _week(3)) == []
    _crawl(engine, _week(4), {TEAM: (410, []), CONTACT: (200, ["Jonas Weber"])})
    with engine.connect() as conn:
        assert retired_pages(conn, [TEAM, CONTACT, "https://elsewhere.de/"]) == {TEAM}
        team = conn.execute(select(_PAGES).where(_PAGES.c.url == TEAM)).mappings().one()
        assert team["failures"] == 2 and team["status"] == 410 and team["retired_at"] is not None
    assert _gone(engine, _week(4)) == ["Anna Berg"]
    # the page comes back: no longer retired, the count starts again
    _crawl(engine, _week(5), {TEAM: (200, ["Anna Berg"]), CONTACT: (200, ["Jonas Weber"])})
    with engine.connect() as conn:
        assert retired_pages(conn, [TEAM]) == set()


def test_a_person_on_two_pages_stays_while_one_still_shows_them(engine):
    _crawl(engine, _week(0), {TEAM: (200, ["Anna Berg"]), IMPRESSUM: (200, ["Anna Berg"])})
    for week in (1, 2, 3):
        _crawl(engine, _week(week), {TEAM: (200, []), IMPRESSUM: (200, ["Anna Berg"])})
    assert _gone(engine, _week(3)) == []
    # a page that was never fetched again cannot say either
    _crawl(engine, _week(4), {TEAM: (200, [])})
    _crawl(engine, _week(5), {TEAM: (200, [])})
    assert _gone(engine, _week(5)) == []


def test_people_known_only_from_imports_are_never_judged_by_crawls(engine):
    with write_transaction(engine) as conn:
        upsert_batch(
            conn,
            [
                CompanyRecord(
                    source="import:crm.csv",
                    locator="row 2",
                    name="Acme GmbH",
                    name_key="acme",
                    domain="acme.de",
                    people=[PersonRecord("Lena Fuchs", "lena fuchs", title="CFO")],
                )
            ],
            now=_week(0),
        )
    for week in (1, 2, 3):
        _crawl(engine, _week(week), {TEAM: (200, ["Anna Berg"])})
    assert _gone(engine, _week(3)) == []


def test_record_pages_counts_and_last_answer_wins(engine):
    with write_transaction(engine) as conn:
        counts = record_pages(
            conn,
            [(TEAM, 200), (CONTACT, 304), (IMPRESSUM, 404), ("https://x.de/", 500), (TEAM, 404)],
            _week(0),
        )
    assert counts.as_dict() == {"checked": 4, "ok": 1, "missing": 2, "retired": 0, "errors": 1}
    with write_transaction(engine) as conn:
        counts = record_pages(conn, [(TEAM, 404), (IMPRESSUM, 404), ("", 200)], _week(1))
    assert counts.retired == 2
    with engine.connect() as conn:
        rows = {p["url"]: p for p in conn.execute(select(_PAGES)).mappings()}
    assert rows[CONTACT]["last_ok_at"] is not None and rows[CONTACT]["prev_ok_at"] is None
    assert rows[TEAM]["failures"] == 2 and rows[TEAM]["last_ok_at"] is None


def test_an_unchanged_page_sees_its_people_again_without_being_read(engine):
    from storage.models import Observation
    from storage.pages import touch_sources

    _crawl(engine, _week(0), {TEAM: (200, ["Anna Berg"]), CONTACT: (200, ["Jonas Weber"])})
    # two refreshes: the team page answers 304 (touched, not read), the contact page changed
    # and no longer shows Jonas
    for week in (1, 2):
        with write_transaction(engine) as conn:
            assert touch_sources(conn, [TEAM], _week(week)) >= 1
            record_pages(conn, [(TEAM, 304)], _week(week))
        _crawl(engine, _week(week), {CONTACT: (200, [])})
    assert _gone(engine, _week(2)) == ["Jonas Weber"]
    with engine.connect() as conn:
        last = (
            conn.execute(select(Observation.last_seen_at).where(Observation.source == TEAM))
            .scalars()
            .all()
        )
        anna = conn.execute(
            select(Person.last_seen).where(Person.full_name == "Anna Berg")
        ).scalar()
    assert last and {str(t)[:10] for t in last} == {str(_week(2))[:10]}
    assert str(anna)[:10] == str(_week(2))[:10]
    with write_transaction(engine) as conn:
        assert touch_sources(conn, [], _week(3)) == 0


def test_a_304_confirms_only_what_the_page_showed_when_last_read(engine):
    from storage.pages import touch_sources

    _crawl(engine, _week(0), {TEAM: (200, ["Anna Berg", "Olaf Kurz"])})
    _crawl(engine, _week(1), {TEAM: (200, ["Anna Berg"])})  # read without Olaf
    for week in (2, 3):  # then unchanged: 304, nothing read
        with write_transaction(engine) as conn:
            touch_sources(conn, [TEAM], _week(week))
            record_pages(conn, [(TEAM, 304)], _week(week))
    # Olaf's old sighting on the page is not confirmed by the 304s: he is gone, Anna is not
    assert _gone(engine, _week(3)) == ["Olaf Kurz"]
