"""The batch writer's driver-level helpers read and write what SQLAlchemy itself would."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import insert, select

from storage import bulk
from storage.models import Company, Person

C, P = Company.__table__, Person.__table__
NOW = datetime(2026, 11, 24, 9, 30, 5, tzinfo=UTC)


def _company(i: int, **kw) -> dict:
    row = {
        "id": i,
        "name": f"Firma {i}",
        "name_key": f"firma {i}",
        "city_key": "",
        "status": "new",
        "phones": [],
        "registry_ids": {},
        "social": {},
        "technologies": [],
        "first_seen": NOW,
        "last_seen": NOW,
    }
    row.update(kw)
    return row


def test_select_in_reads_typed_values_in_chunks(engine, monkeypatch):
    monkeypatch.setattr(bulk, "IN_CHUNK", 7)  # several IN lists, and a short last one
    with engine.begin() as conn:
        conn.execute(
            insert(C),
            [
                _company(
                    i,
                    phones=[f"+4930{i}"] if i % 2 else [],
                    social={"vk": f"https://vk.com/f{i}"} if i == 3 else {},
                )
                for i in range(1, 21)
            ],
        )
        conn.execute(
            insert(P),
            [
                {
                    "id": 1,
                    "company_id": 3,
                    "full_name": "Anna Berg",
                    "name_key": "anna berg",
                    "is_decision_maker": True,
                    "phones": [],
                    "first_seen": NOW,
                    "last_seen": NOW,
                }
            ],
        )
    cols = [C.c.id, C.c.name, C.c.phones, C.c.social, C.c.first_seen]
    with engine.connect() as conn:
        got = bulk.select_in(conn, C, C.c.id, [3, 1, 3, 20, *range(5, 16), 99], cols)
        want = [
            dict(r._mapping)
            for r in conn.execute(
                select(*cols).where(C.c.id.in_([1, 3, 20, *range(5, 16)])).order_by(C.c.id)
            )
        ]
        person = bulk.select_in(conn, P, P.c.company_id, [3], [P.c.id, P.c.is_decision_maker])
        assert bulk.select_in(conn, C, C.c.id, [], cols) == []
    assert sorted(got, key=lambda r: r["id"]) == want
    third = next(r for r in got if r["id"] == 3)
    assert third["social"] == {"vk": "https://vk.com/f3"} and third["phones"] == ["+49303"]
    assert person == [{"id": 1, "is_decision_maker": True}]


def test_insert_and_update_rows_store_what_the_orm_reads_back(engine):
    with engine.begin() as conn:
        bulk.insert_rows(
            conn,
            C,
            [
                _company(1, phones=["+4930123"], technologies=[]),
                _company(2, social={"xing": "https://xing.com/x"}),
            ],
        )
        later = NOW.replace(hour=10)
        bulk.update_rows(conn, C, [{"last_seen": later, "phones": [], "id": 1}])
    with engine.connect() as conn:
        rows = {r.id: r for r in conn.execute(select(C))}
        if engine.dialect.name == "sqlite":  # the text sqlite3's own datetime adapter writes
            stored = conn.exec_driver_sql(
                "SELECT first_seen, last_seen, phones, social FROM companies WHERE id = 1"
            ).one()
            assert tuple(stored) == (NOW.isoformat(" "), later.isoformat(" "), "[]", "{}")
    assert rows[1].phones == [] and rows[1].last_seen == later and rows[1].first_seen == NOW
    assert rows[2].social == {"xing": "https://xing.com/x"} and rows[2].technologies == []
