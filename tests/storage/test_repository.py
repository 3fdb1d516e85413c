"""Merge rules of the prospect database, on SQLite and PostgreSQL."""
# ruff: noqa: E741  (C, P, E, O: the tables, as in the SQL they stand for)

from __future__ import annotations

from sqlalchemy import func, select, text

from storage.merge import merge_companies
from storage.models import ChangeEvent, Company, Email, Observation, Person
from storage.records import CompanyRecord, EmailRecord, PersonRecord
from storage.repository import upsert_batch
from storage.suppression import add_suppression

C, P, E, O, CH = (m.__table__ for m in (Company, Person, Email, Observation, ChangeEvent))
MOVING = {"last_seen", "last_seen_at", "last_run_id"}


def company(locator="row 2", **kw) -> CompanyRecord:
    kw.setdefault("name", "ООО «Ромашка»")
    kw.setdefault("name_key", "ромашка")
    return CompanyRecord(source="import:test", locator=locator, **kw)


def person(name="Иванов Иван", key="иван иванов", emails=(), **kw) -> PersonRecord:
    return PersonRecord(
        full_name=name, name_key=key, emails=[EmailRecord(a, a.split("@")[1]) for a in emails], **kw
    )


def upsert(engine, *records, run_id=None):
    with engine.begin() as conn:
        return upsert_batch(conn, list(records), run_id=run_id)


def rows(engine, table, order="id"):
    with engine.connect() as conn:
        return [dict(r._mapping) for r in conn.execute(select(table).order_by(text(order)))]


def count(engine, table, *where) -> int:
    with engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(table).where(*where)).scalar_one()


def dump(engine):
    """Every table's rows without the columns that may move on a repeat sighting."""
    out = {}
    for t in (C, P, E, O, CH):
        out[t.name] = [{k: v for k, v in r.items() if k not in MOVING} for r in rows(engine, t)]
    return out


def sample():
    return [
        company(
            domain="romashka.ru",
            inn="7707083893",
            city="Москва",
            phones=["+74951234567"],
            emails=[EmailRecord("info@romashka.ru", "romashka.ru", "role")],
            people=[person(emails=["ivanov@romashka.ru"], title="CEO", is_decision_maker=True)],
        ),
        company(
            locator="row 3",
            name="Romashka",
            city="Москва",
            phones=["+74951234568"],
            people=[person("Петров Пётр", "петр петров", phones=["+79161234567"])],
        ),
        company(locator="row 4", name="Beispiel GmbH", name_key="beispiel", vat="DE123456789"),
    ]


def test_new_records_are_stored_with_observations(engine):
    r = upsert(engine, *sample())
    assert (r.companies_new, r.people_new, r.emails_new) == (2, 2, 2)
    companies = rows(engine, C)
    assert [c["name"] for c in companies] == ["Romashka", "Beispiel GmbH"]  # newer row wins
    assert companies[0]["phones"] == ["+74951234567", "+74951234568"]
    assert companies[0]["domain"] == "romashka.ru" and companies[0]["inn"] == "7707083893"
    people = rows(engine, P)
    assert {p["full_name"] for p in people} == {"Иванов Иван", "Петров Пётр"}
    assert all(p["company_id"] == companies[0]["id"] for p in people)
    email = {e["address"]: e for e in rows(engine, E)}
    assert email["info@romashka.ru"]["person_id"] is None
    assert email["info@romashka.ru"]["company_id"] == companies[0]["id"]
    assert email["ivanov@romashka.ru"]["person_id"] == people[0]["id"]
    # every value traced to its source and row
    obs = {(o["entity_type"], o["field"], o["value"], o["locator"]) for o in rows(engine, O)}
    assert ("company", "name", "ООО «Ромашка»", "row 2") in obs
    assert ("company", "name", "Romashka", "row 3") in obs
    assert ("company", "phone", "+74951234568", "row 3") in obs
    assert ("person", "title", "CEO", "row 2") in obs
    assert ("email", "address", "ivanov@romashka.ru", "row 2") in obs
    assert all(o["source"] == "import:test" for o in rows(engine, O))


def test_same_batch_twice_changes_nothing_but_sighting_times(engine):
    upsert(engine, *sample(), run_id=None)
    before = dump(engine)
    r = upsert(engine, *sample())
    assert dump(engine) == before
    assert (r.companies_new, r.companies_updated, r.people_new, r.people_updated) == (0, 0, 0, 0)
    assert r.companies_unchanged == 2 and r.people_unchanged == 2


def test_company_matched_by_domain_and_change_recorded(engine):
    upsert(engine, company(domain="romashka.ru", city="Москва"))
    r = upsert(
        engine,
        company(
            name="Romashka Group", name_key="romashka group", domain="romashka.ru", city="Казань"
        ),
    )
    assert r.companies_updated == 1 and count(engine, C) == 1
    events = {
        (e["field"], e["old_value"], e["new_value"])
        for e in rows(engine, CH)
        if e["kind"] == "changed"
    }
    assert ("city", "Москва", "Казань") in events
    assert ("name", "ООО «Ромашка»", "Romashka Group") in events


def test_company_matched_by_inn_ogrn_and_vat(engine):
    upsert(
        engine,
        company(inn="7707083893"),
        company(locator="r3", name="B", name_key="b", ogrn="1027700132195"),
        company(locator="r4", name="C", name_key="c", vat="DE123456789"),
    )
    upsert(
        engine,
        company(name="X", name_key="x", inn="7707083893", city="Тверь"),
        company(name="Y", name_key="y", ogrn="1027700132195", city="Тверь"),
        company(name="Z", name_key="z", vat="DE123456789", city="Тверь"),
    )
    assert count(engine, C) == 3
    assert [c["name"] for c in rows(engine, C)] == ["X", "Y", "Z"]


def test_name_and_city_match_only_within_the_same_city(engine):
    upsert(engine, company(city="Москва"))
    upsert(engine, company(city="г. Москва", phones=["+74950000001"]))  # same city key
    assert count(engine, C) == 1
    upsert(engine, company(city="Казань"))
    assert count(engine, C) == 2


def test_name_and_city_match_refused_when_domains_differ(engine):
    upsert(engine, company(city="Москва", domain="romashka.ru"))
    upsert(engine, company(city="Москва", domain="romashka-tsvety.ru"))
    assert count(engine, C) == 2


def test_conflicting_key_is_kept_and_reported(engine):
    upsert(engine, company(domain="romashka.ru", inn="7707083893"))
    r = upsert(engine, company(domain="romashka.ru", inn="7736207543"))
    assert rows(engine, C)[0]["inn"] == "7707083893"
    assert any("inn 7736207543 differs from the stored 7707083893" in p.reason for p in r.problems)
    # the conflicting value is still traceable
    assert count(engine, O, O.c.field == "inn", O.c.value == "7736207543") == 1


def test_record_linking_two_stored_companies_merges_them(engine):
    upsert(
        engine,
        company(domain="romashka.ru", people=[person(emails=["ivanov@romashka.ru"])]),
        company(
            locator="row 3",
            name="Ромашка Холдинг",
            name_key="ромашка холдинг",
            inn="7707083893",
            phones=["+74951234567"],
            people=[person("Петров Пётр", "петр петров")],
        ),
    )
    observations = count(engine, O)
    r = upsert(engine, company(locator="row 9", domain="romashka.ru", inn="7707083893"))
    assert r.companies_merged == 1
    [c] = rows(engine, C)
    assert (c["domain"], c["inn"], c["phones"]) == ("romashka.ru", "7707083893", ["+74951234567"])
    assert {p["company_id"] for p in rows(engine, P)} == {c["id"]}
    assert count(engine, P) == 2
    # every earlier observation kept (now on the survivor) plus the new row's
    assert count(engine, O) >= observations
    assert count(engine, O, O.c.entity_type == "company", O.c.entity_id != c["id"]) == 0
    merged = [e for e in rows(engine, CH) if e["kind"] == "merged"]
    assert len(merged) == 1 and "inn 7707083893" in merged[0]["new_value"]


def test_contradicting_companies_are_kept_apart(engine):
    upsert(
        engine,
        company(domain="romashka.ru"),
        company(locator="r3", name="B", name_key="b", domain="b.ru", inn="7707083893"),
    )
    r = upsert(engine, company(domain="romashka.ru", inn="7707083893"))
    assert count(engine, C) == 2
    assert any(
        "inn 7707083893 belongs to #2 B" in p.reason and "contradict" in p.reason
        for p in r.problems
    )
    assert rows(engine, C)[0]["inn"] is None  # not taken from the other company


def test_person_matched_by_email_then_by_name_within_company(engine):
    upsert(
        engine,
        company(domain="romashka.ru", people=[person(emails=["ivanov@romashka.ru"], title="CEO")]),
    )
    # same email, name written differently → same person, title updated
    upsert(
        engine,
        company(
            domain="romashka.ru",
            people=[
                person(
                    "И. Иванов",
                    "и иванов",
                    emails=["ivanov@romashka.ru"],
                    title="Генеральный директор",
                )
            ],
        ),
    )
    assert count(engine, P) == 1
    assert rows(engine, P)[0]["title"] == "Генеральный директор"
    # same name, no email → same person; same name in another company → another person
    upsert(
        engine,
        company(domain="romashka.ru", people=[person("И. Иванов", "и иванов")]),
        company(
            locator="r3",
            name="Other",
            name_key="other",
            domain="other.ru",
            people=[person("И. Иванов", "и иванов")],
        ),
    )
    assert count(engine, P) == 2


def test_customer_status_survives_merge(engine):
    upsert(
        engine,
        company(domain="romashka.ru", status="current"),
        company(locator="r3", name="B", name_key="b", inn="7707083893"),
    )
    upsert(engine, company(domain="romashka.ru", inn="7707083893"))
    [c] = rows(engine, C)
    assert c["status"] == "current"


def test_suppressed_domain_and_email_are_never_stored(engine):
    with engine.begin() as conn:
        add_suppression(conn, "domain", "romashka.ru")
        add_suppression(conn, "email", "petrov@other.ru")
    r = upsert(
        engine,
        company(domain="romashka.ru"),
        company(
            locator="r3",
            name="Other",
            name_key="other",
            domain="other.ru",
            people=[person("Петров Пётр", "петр петров", emails=["petrov@other.ru"]), person()],
        ),
    )
    assert [c["domain"] for c in rows(engine, C)] == ["other.ru"]
    assert [p["full_name"] for p in rows(engine, P)] == ["Иванов Иван"]
    assert count(engine, E) == 0
    assert r.suppressed == 2
    assert count(engine, O, O.c.value.contains("romashka")) == 0


def test_merge_companies_folds_fields_and_deduplicates_sightings(engine):
    upsert(
        engine,
        company(domain="a.ru", phones=["+74950000001"]),
        company(
            locator="r3",
            name="B",
            name_key="b",
            inn="7707083893",
            city="Тверь",
            phones=["+74950000002"],
        ),
    )
    a, b = rows(engine, C)
    with engine.begin() as conn:
        merge_companies(conn, a["id"], b["id"], reason="test")
    [c] = rows(engine, C)
    assert (c["inn"], c["city"]) == ("7707083893", "Тверь")
    assert c["phones"] == ["+74950000001", "+74950000002"]
    assert count(engine, O, O.c.entity_type == "company", O.c.entity_id == b["id"]) == 0


def test_match_by_inn_is_refused_when_the_domains_differ(engine):
    upsert(engine, company(domain="romashka.ru", inn="7707083893", city="Москва"))
    r = upsert(
        engine,
        company(
            name="Вектор", name_key="вектор", domain="vektor.ru", inn="7707083893", city="Казань"
        ),
    )
    a, b = rows(engine, C)
    assert (a["name"], a["domain"], a["inn"], a["city"]) == (
        "ООО «Ромашка»",
        "romashka.ru",
        "7707083893",
        "Москва",
    )  # untouched
    assert (b["name"], b["domain"], b["inn"]) == ("Вектор", "vektor.ru", None)
    assert any("inn 7707083893 belongs to #1" in p.reason for p in r.problems)


def test_merge_people_moves_emails_and_sightings(engine):
    from storage.merge import merge_people

    upsert(
        engine,
        company(
            domain="romashka.ru",
            people=[
                person("Иванов Иван", "иван иванов", emails=["ivanov@romashka.ru"], title="CEO"),
                person(
                    "И. Иванов",
                    "и иванов",
                    emails=["i.ivanov@romashka.ru"],
                    phones=["+79161234567"],
                    is_decision_maker=True,
                ),
            ],
        ),
    )
    keep, drop = rows(engine, P)
    with engine.begin() as conn:
        merge_people(conn, keep["id"], drop["id"], reason="same person (test)")
    [p] = rows(engine, P)
    assert (p["id"], p["title"], p["phones"], p["is_decision_maker"]) == (
        keep["id"],
        "CEO",
        ["+79161234567"],
        True,
    )
    assert {e["person_id"] for e in rows(engine, E)} == {keep["id"]}
    assert count(engine, O, O.c.entity_type == "person", O.c.entity_id == drop["id"]) == 0
    assert count(engine, O, O.c.entity_type == "person", O.c.value == "И. Иванов") == 1
    merged = [e for e in rows(engine, CH) if e["kind"] == "merged"]
    assert merged[0]["old_value"] == f"#{drop['id']} И. Иванов"
