"""``storage.dedupe``: the merged database state, exactly, on SQLite and PostgreSQL."""
# ruff: noqa: E741  (C, P, E, O: the tables, as in the SQL they stand for)

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import select, text, update

from leadgen.dedupe_stage import dedupe
from storage.models import (
    ChangeEvent,
    Company,
    Email,
    Merge,
    Observation,
    Person,
    Run,
    Score,
    Segment,
)
from storage.records import CompanyRecord, EmailRecord, PersonRecord
from storage.repository import upsert_batch

C, P, E, O, CH, M, R, SC, SEG = (
    m.__table__
    for m in (Company, Person, Email, Observation, ChangeEvent, Merge, Run, Score, Segment)
)


def person(name, *emails):
    return PersonRecord(
        full_name=name,
        name_key=name.casefold(),
        emails=[EmailRecord(a, a.split("@")[1]) for a in emails],
    )


def company(source, name, **kw):
    from enrichment import normalize_company_name

    return CompanyRecord(
        source=source, locator="row 2", name=name, name_key=normalize_company_name(name).key, **kw
    )


def rows(engine, table, order="id"):
    with engine.connect() as conn:
        return [dict(r._mapping) for r in conn.execute(select(table).order_by(text(order)))]


def seed(engine):
    batches = [
        company(
            "import:a",
            "ООО «Ромашка»",
            city="Казань",
            domain="romashka.ru",
            inn="7707083893",
            phones=["+78432000000"],
            people=[person("Иванов Иван Иванович", "ivanov@romashka.ru")],
        ),
        company(
            "import:b",
            "Romashka LLC",
            city="г. Казань",
            industry="Торговля",
            phones=["+78432111111"],
            people=[person("Иван Иванов"), person("Пётр Петров", "petrov@romashka.ru")],
        ),
        company("import:b", "Ромашка", city="Казань", inn="7707083894"),
        company("import:a", "Стройматериалы Плюс", city="Москва", phones=["+74957654321"]),
        company(
            "import:b",
            "ТД «Стройматериалы-Плюс»",
            city="Химки",
            phones=["+74957654321"],
            website="https://stroyplus.ru/",
        ),
        company("import:a", "Школа 12", city="Москва"),
        company("import:b", "Школа 14", city="Москва"),
        # the same sighting (field, source, value) on two duplicates
        company("import:c", "Берёзка", city="Тверь", employees=50),
        company("import:c", "Berezka GmbH", city="Тверь", address="ул. Ленина, 5"),
    ]
    with engine.begin() as conn:
        for r in batches:  # one batch each, so none is merged on import
            upsert_batch(conn, [r])
    with engine.begin() as conn:
        # Known sighting times: Берёзка's city seen earliest on #9, latest on #8.
        ids = {r.name: r.id for r in conn.execute(select(C.c.id, C.c.name))}
        t = lambda d: datetime(2026, 1, d, tzinfo=UTC)  # noqa: E731
        for cid, first, last in ((ids["Берёзка"], 5, 20), (ids["Berezka GmbH"], 2, 10)):
            conn.execute(
                update(O)
                .where(O.c.entity_type == "company", O.c.entity_id == cid, O.c.field == "city")
                .values(first_seen_at=t(first), last_seen_at=t(last))
            )
    return ids


def sightings(engine, company_of):
    """Every observation as (entity, field, source, value), entities mapped to their keeper."""
    out = set()
    for r in rows(engine, O):
        eid = r["entity_id"]
        if r["entity_type"] == "company":
            eid = company_of.get(eid, eid)
        elif r["entity_type"] == "person":
            eid = {2: 1}.get(eid, eid)  # Иван Иванов (#2) folds into Иванов Иван Иванович
        out.add((r["entity_type"], eid, r["field"], r["source"], r["value"]))
    return out


def test_dedupe_merges_duplicates_and_keeps_every_observation(engine):
    ids = seed(engine)
    keeper = {
        ids["Romashka LLC"]: ids["ООО «Ромашка»"],
        ids["ТД «Стройматериалы-Плюс»"]: ids["Стройматериалы Плюс"],
        ids["Berezka GmbH"]: ids["Берёзка"],
    }
    with engine.begin() as conn:  # a score and an event of a record that will be merged
        conn.execute(SEG.insert().values(id=1, name="b2b", definition={}))
        conn.execute(
            SC.insert().values(
                segment_id=1, company_id=ids["Romashka LLC"], tier="A", explanation={}
            )
        )
        conn.execute(
            CH.insert().values(
                entity_type="company",
                entity_id=ids["Romashka LLC"],
                company_id=ids["Romashka LLC"],
                kind="changed",
                field="industry",
                new_value="Торговля",
            )
        )
        conn.execute(
            CH.insert().values(
                entity_type="person", entity_id=2, company_id=ids["Romashka LLC"], kind="changed"
            )
        )
    before = sightings(engine, keeper)
    obs_before = len(rows(engine, O))

    report = dedupe(engine)

    assert {(m.entity_type, m.kept_id, m.merged_id, m.rule) for m in report.merges} == {
        ("company", ids["ООО «Ромашка»"], ids["Romashka LLC"], "domain"),
        ("company", ids["Стройматериалы Плюс"], ids["ТД «Стройматериалы-Плюс»"], "name_phone"),
        ("company", ids["Берёзка"], ids["Berezka GmbH"], "name_city"),
        ("person", 1, 2, "person_name"),
    }
    companies = {r["id"]: r for r in rows(engine, C)}
    assert sorted(companies) == sorted(set(ids.values()) - set(keeper))
    rom = companies[ids["ООО «Ромашка»"]]
    # the keeper's values stay; its gaps are filled; lists united
    assert (rom["name"], rom["domain"], rom["inn"], rom["city"]) == (
        "ООО «Ромашка»",
        "romashka.ru",
        "7707083893",
        "Казань",
    )
    assert rom["industry"] == "Торговля" and rom["industry_key"] == "торговля"
    assert rom["phones"] == ["+78432000000", "+78432111111"]
    assert companies[ids["Стройматериалы Плюс"]]["website"] == "https://stroyplus.ru/"
    assert companies[ids["Берёзка"]]["address"] == "ул. Ленина, 5"
    # the other «Ромашка» (another INN) and the two schools stay apart
    assert companies[ids["Ромашка"]]["inn"] == "7707083894"
    assert {ids["Школа 12"], ids["Школа 14"]} <= set(companies)

    people = rows(engine, P)
    assert [(p["id"], p["company_id"], p["full_name"]) for p in people] == [
        (1, rom["id"], "Иванов Иван Иванович"),
        (3, rom["id"], "Пётр Петров"),
    ]
    assert {(e["address"], e["person_id"], e["company_id"]) for e in rows(engine, E)} == {
        ("ivanov@romashka.ru", 1, rom["id"]),
        ("petrov@romashka.ru", 3, rom["id"]),
    }
    # observations: all kept (one collision folded), times widened
    after = rows(engine, O)
    assert sightings(engine, {}) == before
    assert len(after) == obs_before - 1  # Берёзка's city from import:c was on both
    city = [
        r
        for r in after
        if r["entity_id"] == ids["Берёзка"] and r["field"] == "city" and r["source"] == "import:c"
    ]
    assert len(city) == 1
    assert city[0]["first_seen_at"].replace(tzinfo=UTC) == datetime(2026, 1, 2, tzinfo=UTC)
    assert city[0]["last_seen_at"].replace(tzinfo=UTC) == datetime(2026, 1, 20, tzinfo=UTC)

    merges = rows(engine, M)
    assert len(merges) == 4 and {m["run_id"] for m in merges} == {report.run_id}
    rm = next(m for m in merges if m["merged_id"] == ids["Romashka LLC"])
    assert rm["entity_type"] == "company" and rm["kept_id"] == rom["id"]
    assert rm["reason"] == "domain romashka.ru is the domain of the email petrov@romashka.ru"
    assert rm["rule"] == "domain" and rm["score"] == 100.0
    assert rm["details"]["name"] == "Romashka LLC" and rm["details"]["industry"] == "Торговля"
    events = [e for e in rows(engine, CH) if e["kind"] == "merged"]
    assert len(events) == 4
    assert {(e["entity_type"], e["entity_id"]) for e in events} >= {
        ("company", rom["id"]),
        ("person", 1),
    }
    changed = [(e["entity_type"], e["entity_id"], e["company_id"]) for e in rows(engine, CH)
               if e["kind"] == "changed"]  # fmt: skip
    assert changed == [("company", rom["id"], rom["id"]), ("person", 1, rom["id"])]
    assert [(r["company_id"], r["tier"]) for r in rows(engine, SC)] == [(rom["id"], "A")]
    run = next(r for r in rows(engine, R) if r["kind"] == "dedupe")
    assert run["status"] == "ok"
    assert run["counts"]["companies_merged"] == 3 and run["counts"]["people_merged"] == 1

    # idempotent: a second run finds nothing
    again = dedupe(engine)
    assert again.merges == []
    assert len(rows(engine, M)) == 4


def test_dry_run_changes_nothing(engine):
    seed(engine)
    tables = (C, P, E, O, CH, M, R)
    before = {t.name: rows(engine, t) for t in tables}
    report = dedupe(engine, dry_run=True)
    assert len(report.merges) == 4 and report.run_id is None
    assert {t.name: rows(engine, t) for t in tables} == before
    # the plan is the one a real run applies
    real = dedupe(engine)
    assert [m.as_dict() for m in real.merges] == [m.as_dict() for m in report.merges]


def test_people_only_and_companies_only(engine):
    ids = seed(engine)
    report = dedupe(engine, people=False)
    assert {m.entity_type for m in report.merges} == {"company"}
    report = dedupe(engine, companies=False)
    assert [(m.kept_id, m.merged_id, m.rule) for m in report.merges] == [(1, 2, "person_name")]
    assert ids  # seeded
