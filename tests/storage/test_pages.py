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


# -- contact values only vanished pages supported ---------------------------------------------

HOME = "https://acme.de/"


def _site(engine, when, pages: dict[str, tuple[int, dict]]) -> None:
    """One crawl at ``when``: each page's status and the company values it shows (phones,
    address, postal_code, emails, people as ``{name: [phones]}``)."""
    from storage.records import EmailRecord

    with write_transaction(engine) as conn:
        records = [
            CompanyRecord(
                source=url,
                name="Acme GmbH",
                name_key="acme",
                domain="acme.de",
                city="München",
                address=shown.get("address"),
                postal_code=shown.get("postal_code"),
                phones=list(shown.get("phones", [])),
                emails=[EmailRecord(a, "acme.de", kind="role") for a in shown.get("emails", [])],
                people=[
                    PersonRecord(n, n.casefold(), title="Leitung", phones=list(p))
                    for n, p in shown.get("people", {}).items()
                ],
            )
            for url, (status, shown) in pages.items()
            if status == 200
        ]
        if records:
            upsert_batch(conn, records, now=when)
        record_pages(conn, [(url, status) for url, (status, _) in pages.items()], when)


def _retire(engine, when, company_ids=None):
    from storage.pages import values_gone

    with write_transaction(engine) as conn:
        return values_gone(conn, when, company_ids=company_ids).as_dict()


def _acme(engine) -> dict:
    from storage.models import Company, Email

    with engine.connect() as conn:
        row = dict(conn.execute(select(Company.__table__)).mappings().one())
        row["emails"] = sorted(conn.execute(select(Email.address)).scalars())
        row["people"] = {
            n: p for n, p in conn.execute(select(Person.full_name, Person.phones)).all()
        }
    return row


KONTAKT_SHOWS = {
    "phones": ["+498912345670", "+498912345671"],
    "address": "Hauptstraße 1",
    "postal_code": "80331",
    "emails": ["info@acme.de"],
    "people": {"Anna Berg": ["+498912345699"]},
}
HOME_SHOWS = {"phones": ["+498912345670"], "people": {"Anna Berg": []}}


def test_a_vanished_contact_page_retires_the_values_only_it_gave(engine):
    _site(engine, _week(0), {HOME: (200, HOME_SHOWS), CONTACT: (200, KONTAKT_SHOWS)})
    assert _retire(engine, _week(0)) == {"phones": 0, "addresses": 0, "emails": 0}
    _site(engine, _week(1), {HOME: (200, HOME_SHOWS), CONTACT: (404, {})})
    assert _retire(engine, _week(1)) == {"phones": 0, "addresses": 0, "emails": 0}  # a hiccup?
    _site(engine, _week(2), {HOME: (200, HOME_SHOWS), CONTACT: (410, {})})
    assert _retire(engine, _week(2)) == {"phones": 2, "addresses": 2, "emails": 1}
    acme = _acme(engine)
    # the phone the home page still shows stays; what only the contact page gave goes
    assert acme["phones"] == ["+498912345670"]
    assert acme["address"] is None and acme["postal_code"] is None
    assert acme["emails"] == []
    # Anna is still on the home page (not gone), without the phone only the contact page gave
    assert acme["people"] == {"Anna Berg": []}
    # what the company is stays
    assert (acme["name"], acme["domain"], acme["city"]) == ("Acme GmbH", "acme.de", "München")
    with engine.connect() as conn:
        feed = list_changes(conn, _week(2), kinds=["retired"])
    got = sorted((e["field"], e["old"], e["person"]) for e in feed)
    assert got == [
        ("address", "Hauptstraße 1", None),
        ("address", "info@acme.de", None),
        ("phone", "+498912345671", None),
        ("phone", "+498912345699", "Anna Berg"),
        ("postal_code", "80331", None),
    ]
    assert {e["new"] for e in feed} == {f"{CONTACT} gone (404/410 2 times)"}
    assert next(e for e in feed if e["old"] == "info@acme.de")["email"] == "info@acme.de"
    # once: a second pass finds nothing more to retire
    assert _retire(engine, _week(2)) == {"phones": 0, "addresses": 0, "emails": 0}
    # the observations stay: where the values came from is still on record
    from storage.models import Observation

    with engine.connect() as conn:
        sources = set(
            conn.execute(
                select(Observation.source).where(Observation.value == "+498912345671")
            ).scalars()
        )
    assert sources == {CONTACT}
    # the page comes back with its values: they come back
    _site(engine, _week(3), {HOME: (200, HOME_SHOWS), CONTACT: (200, KONTAKT_SHOWS)})
    acme = _acme(engine)
    assert set(acme["phones"]) == {"+498912345670", "+498912345671"}
    assert acme["address"] == "Hauptstraße 1" and acme["emails"] == ["info@acme.de"]


def test_a_number_a_live_page_stopped_showing_is_retired_after_two_reads(engine):
    # the company moved to a new number: phone lists are united on every sighting, so without
    # retirement the old number would stay next to the new one for ever
    _site(engine, _week(0), {CONTACT: (200, {"phones": ["+498912345670"]})})
    _site(engine, _week(1), {CONTACT: (200, {"phones": ["+498912345679"]})})
    assert _acme(engine)["phones"] == ["+498912345670", "+498912345679"]
    assert _retire(engine, _week(1))["phones"] == 0  # read once without it: not yet
    _site(engine, _week(2), {CONTACT: (200, {"phones": ["+498912345679"]})})
    assert _retire(engine, _week(2))["phones"] == 1
    assert _acme(engine)["phones"] == ["+498912345679"]
    with engine.connect() as conn:
        (event,) = list_changes(conn, _week(2), kinds=["retired"])
    assert event["new"] == f"not on {CONTACT} for two fetches"


def test_a_value_another_source_still_gives_stays_or_takes_over(engine):
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
                    address="Alte Straße 5",
                    phones=["+498912345671"],
                )
            ],
            now=_week(0),
        )
    # the web gives a newer address (it wins) and the phone the import also has
    _site(engine, _week(1), {CONTACT: (200, KONTAKT_SHOWS)})
    assert _acme(engine)["address"] == "Hauptstraße 1"
    for week in (2, 3):
        _site(engine, _week(week), {CONTACT: (404, {})})
    # (Anna's phone too: people_gone, which refresh runs first, is not run here)
    assert _retire(engine, _week(3)) == {"phones": 2, "addresses": 2, "emails": 1}
    acme = _acme(engine)
    assert acme["phones"] == ["+498912345671"]  # the import still gives it
    assert acme["address"] == "Alte Straße 5"  # the import's address takes over
    assert acme["postal_code"] is None


def test_unchanged_pages_keep_their_values_and_retirement_keeps_to_its_companies(engine):
    from storage.models import Company
    from storage.pages import touch_sources

    _site(engine, _week(0), {CONTACT: (200, KONTAKT_SHOWS)})
    for week in (1, 2, 3):  # 304s: the values are seen again without reading the page
        with write_transaction(engine) as conn:
            touch_sources(conn, [CONTACT], _week(week))
            record_pages(conn, [(CONTACT, 304)], _week(week))
    assert _retire(engine, _week(3)) == {"phones": 0, "addresses": 0, "emails": 0}
    for week in (4, 5):
        _site(engine, _week(week), {CONTACT: (404, {})})
    with engine.connect() as conn:
        (acme_id,) = conn.execute(select(Company.id)).scalars()
    assert _retire(engine, _week(5), company_ids=[acme_id + 1]) == {
        "phones": 0,
        "addresses": 0,
        "emails": 0,
    }
    assert _retire(engine, _week(5), company_ids=[]) == {"phones": 0, "addresses": 0, "emails": 0}
    assert _retire(engine, _week(5), company_ids=[acme_id])["phones"] == 3


def test_a_persons_old_address_is_retired_when_the_page_shows_a_new_one(engine):
    from storage.models import Email
    from storage.records import EmailRecord

    def crawl(when, address: str, *, olaf: bool = True) -> None:
        with write_transaction(engine) as conn:
            people = [
                PersonRecord(
                    "Anna Berg",
                    "anna berg",
                    title="Leitung",
                    emails=[EmailRecord(address, "acme.de")],
                )
            ]
            if olaf:
                people.append(
                    PersonRecord(
                        "Olaf Kurz", "olaf kurz", emails=[EmailRecord("olaf@acme.de", "acme.de")]
                    )
                )
            upsert_batch(
                conn,
                [
                    CompanyRecord(
                        source=TEAM, name="Acme GmbH", name_key="acme", domain="acme.de",
                        people=people,
                    )
                ],
                now=when,
            )  # fmt: skip
            record_pages(conn, [(TEAM, 200)], when)

    def addresses() -> set[str]:
        with engine.connect() as conn:
            return set(conn.execute(select(Email.address)).scalars())

    crawl(_week(0), "a.berg@acme.de")
    crawl(_week(1), "anna.berg@acme.de", olaf=False)  # a new address; Olaf left
    crawl(_week(2), "anna.berg@acme.de", olaf=False)
    assert addresses() == {"a.berg@acme.de", "anna.berg@acme.de", "olaf@acme.de"}
    with write_transaction(engine) as conn:
        assert [*people_gone(conn, _week(2))]  # Olaf: gone, his address stays with him
    assert _retire(engine, _week(2)) == {"phones": 0, "addresses": 0, "emails": 1}
    assert addresses() == {"anna.berg@acme.de", "olaf@acme.de"}
    with engine.connect() as conn:
        (event,) = list_changes(conn, _week(2), kinds=["retired"])
    assert (event["person"], event["field"], event["email"]) == (
        "Anna Berg",
        "email",
        "a.berg@acme.de",
    )
