"""storage.orders on SQLite and PostgreSQL: matching order, idempotent upsert, status refresh,
reading histories back, and orders following merges and erasure."""

# ruff: noqa: E741  (C, O, P, E: the tables, as in the SQL they stand for)
from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, insert, select

from storage.clock import utcnow
from storage.db import write_transaction
from storage.erase import forget_domain, forget_email
from storage.merge import merge_companies
from storage.models import ChangeEvent, Company, Email, Order, Person
from storage.orders import (
    OrderRecord,
    iter_order_histories,
    match_accounts,
    opted_out_ids,
    order_keys,
    order_stats,
    refresh_customer_status,
    upsert_orders,
)

C, O, CH, P, E = (m.__table__ for m in (Company, Order, ChangeEvent, Person, Email))


def company(conn, name_key: str, *, inn=None, domain=None, status="new") -> int:
    now = utcnow()
    return conn.execute(
        insert(C)
        .values(
            name=name_key.title(),
            name_key=name_key,
            inn=inn,
            domain=domain,
            city_key="",
            phones=[],
            registry_ids={},
            social={},
            technologies=[],
            status=status,
            first_seen=now,
            last_seen=now,
        )
        .returning(C.c.id)
    ).scalar_one()


@pytest.fixture
def accounts(engine):
    with engine.begin() as conn:
        ids = {
            "romashka": company(conn, "ромашка", inn="7707083893", domain="romashka.ru"),
            "vasilek": company(conn, "василек", domain="vasilek.ru"),
            "lutik_tver": company(conn, "лютик"),
            "lutik_pskov": company(conn, "лютик"),
            "oduvanchik": company(conn, "одуванчик", status="current"),
        }
    return ids


def rec(row, day, amount, **kw) -> OrderRecord:
    return OrderRecord(row=row, order_date=day, amount=amount, locator=f"f.csv row {row}", **kw)


def test_matching_order_inn_then_domain_then_unique_name(engine, accounts):
    records = [
        rec(2, date(2026, 1, 1), 1, inn="7707083893"),  # INN
        rec(3, date(2026, 1, 1), 1, inn="7736207543", domain="vasilek.ru"),  # INN unknown: domain
        rec(4, date(2026, 1, 1), 1, domain="vasilek.ru", name_key="ромашка"),  # domain over name
        rec(5, date(2026, 1, 1), 1, name_key="одуванчик", name="Одуванчик"),  # unique name
        rec(6, date(2026, 1, 1), 1, name_key="лютик", name="Лютик"),  # two accounts
        rec(7, date(2026, 1, 1), 1, name_key="незнакомец", name="Незнакомец"),
        rec(8, date(2026, 1, 1), 1, inn="7707083893", domain="vasilek.ru"),  # conflict
    ]
    with engine.connect() as conn:
        got = match_accounts(conn, records)
    a = accounts
    assert [(m.company_id, m.rule) for m in got] == [
        (a["romashka"], "inn"),
        (a["vasilek"], "domain"),
        (a["vasilek"], "domain"),
        (a["oduvanchik"], "name"),
        (None, None),
        (None, None),
        (a["romashka"], "inn"),
    ]
    lt, lp = sorted((a["lutik_tver"], a["lutik_pskov"]))
    assert got[4].reason == (
        f"name 'Лютик' matches 2 accounts (#{lt}, #{lp}); add the INN or the domain to the row"
    )
    assert got[5].reason == "no account with name 'Незнакомец'"
    assert got[6].warning == (
        f"INN 7707083893 is account #{a['romashka']} but domain vasilek.ru is account "
        f"#{a['vasilek']}: stored on #{a['romashka']} (INN first)"
    )


def test_order_keys_number_or_hash_with_occurrence():
    rs = [
        rec(2, date(2026, 1, 1), 100.0, inn="7707083893"),
        rec(3, date(2026, 1, 1), 100.0, inn="7707083893"),  # same triple: second occurrence
        rec(4, date(2026, 1, 1), 100.0, inn="7707083893", order_number="A-7"),
        rec(5, date(2026, 1, 1), 100.0, domain="vasilek.ru"),
    ]
    order_keys(rs)
    assert rs[2].key == "no:A-7"
    assert len({r.key for r in rs}) == 4 and all(r.key.startswith("row:") for r in rs[:2])
    again = [rec(2, date(2026, 1, 1), 100.0, inn="7707083893")]
    order_keys(again)
    assert again[0].key == rs[0].key  # stable across runs


def _store(engine, records):
    order_keys(records)
    with write_transaction(engine) as conn:
        return upsert_orders(conn, records, source="import:f.csv", run_id=None)


def _orders(engine):
    with engine.connect() as conn:
        return [
            dict(r._mapping)
            for r in conn.execute(
                select(
                    O.c.company_id,
                    O.c.order_key,
                    O.c.order_date,
                    O.c.amount,
                    O.c.matched_by,
                    O.c.locator,
                ).order_by(O.c.id)
            )
        ]


def batch():
    return [
        rec(2, date(2026, 3, 14), 125_000.0, inn="7707083893", order_number="A-1"),
        rec(3, date(2026, 2, 1), 15_000.0, domain="vasilek.ru"),
        rec(4, date(2026, 2, 1), 15_000.0, domain="vasilek.ru"),  # a second, identical order
        rec(5, date(2025, 11, 1), 3_000.0, name_key="одуванчик", name="Одуванчик"),
        rec(6, date(2026, 1, 1), 10.0, name_key="незнакомец", name="Незнакомец"),
    ]


def test_upsert_is_idempotent_and_keeps_provenance(engine, accounts):
    first = _store(engine, batch())
    assert (first.new, first.updated, first.unchanged) == (4, 0, 0)
    assert dict(first.matched_by) == {"inn": 1, "domain": 2, "name": 1}
    assert first.unmatched == [(6, "no account with name 'Незнакомец'")]
    stored = _orders(engine)
    second = _store(engine, batch())
    assert (second.new, second.updated, second.unchanged) == (0, 0, 4)
    assert _orders(engine) == stored
    assert [o["locator"] for o in stored] == [f"f.csv row {n}" for n in (2, 3, 4, 5)]
    assert stored[0]["order_date"] == date(2026, 3, 14) and stored[0]["amount"] == 125_000.0
    # a corrected amount for the numbered order updates it in place
    changed = batch()
    changed[0].amount = 130_000.0
    third = _store(engine, changed)
    assert (third.new, third.updated, third.unchanged) == (0, 1, 3)
    assert [o["amount"] for o in _orders(engine)][0] == 130_000.0
    assert len(_orders(engine)) == 4


def test_refresh_customer_status_with_change_events(engine, accounts):
    _store(engine, batch())
    with write_transaction(engine) as conn:
        # as of 2026-12-01, window 365 days: cutoff 2025-12-01
        # romashka 2026-03-14 -> current (was new); vasilek 2026-02-01 -> current (was new)
        # oduvanchik 2025-11-01 -> former (was current)
        changes = refresh_customer_status(conn, date(2026, 12, 1), 365)
    assert changes == {"current": 2, "former": 1}
    with engine.connect() as conn:
        status = dict(conn.execute(select(C.c.id, C.c.status)).all())
        events = conn.execute(
            select(CH.c.company_id, CH.c.field, CH.c.old_value, CH.c.new_value).order_by(
                CH.c.company_id
            )
        ).all()
    a = accounts
    assert status[a["romashka"]] == status[a["vasilek"]] == "current"
    assert status[a["oduvanchik"]] == "former"
    assert status[a["lutik_tver"]] == "new"  # no orders: untouched
    assert sorted(map(tuple, events)) == sorted(
        [
            (a["romashka"], "status", "new", "current"),
            (a["vasilek"], "status", "new", "current"),
            (a["oduvanchik"], "status", "current", "former"),
        ]
    )
    with write_transaction(engine) as conn:  # nothing changes the second time
        assert refresh_customer_status(conn, date(2026, 12, 1), 365) == {"current": 0, "former": 0}
    with write_transaction(engine) as conn:  # a shorter window: vasilek (303 days) is former
        assert refresh_customer_status(conn, date(2026, 12, 1), 300) == {"current": 0, "former": 1}


def test_histories_stats_and_chunks(engine, accounts):
    a = accounts
    records = [rec(i, date(2026, 1, i), float(i), inn="7707083893") for i in range(1, 8)]
    records += [rec(10 + i, date(2026, 2, i), 1.0, domain="vasilek.ru") for i in range(1, 4)]
    records += [rec(20, date(2025, 5, 5), 9.5, name_key="одуванчик")]
    _store(engine, records)
    with engine.connect() as conn:
        for chunk in (2, 3, 50_000):  # romashka's 7 lines span several chunks
            got = dict(iter_order_histories(conn, chunk=chunk))
            assert got == {
                a["romashka"]: [(date(2026, 1, i), float(i)) for i in range(1, 8)],
                a["vasilek"]: [(date(2026, 2, i), 1.0) for i in range(1, 4)],
                a["oduvanchik"]: [(date(2025, 5, 5), 9.5)],
            }, chunk
        assert order_stats(conn) == {
            a["romashka"]: (7, date(2026, 1, 7)),
            a["vasilek"]: (3, date(2026, 2, 3)),
            a["oduvanchik"]: (1, date(2025, 5, 5)),
        }
        assert order_stats(conn, [a["vasilek"], a["lutik_tver"]]) == {
            a["vasilek"]: (3, date(2026, 2, 3))
        }
        assert order_stats(conn, []) == {}


def test_merge_moves_orders_and_forget_domain_deletes_them(engine, accounts):
    a = accounts
    _store(engine, batch())
    with engine.begin() as conn:
        merge_companies(conn, a["romashka"], a["vasilek"], reason="test")
    with engine.connect() as conn:
        assert order_stats(conn)[a["romashka"]][0] == 3
    with engine.begin() as conn:
        result = forget_domain(conn, "romashka.ru", reason="test")
    assert result.companies == 1
    with engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(O)).scalar_one() == 1


def test_forget_email_marks_the_account_opted_out(engine, accounts):
    a = accounts
    now = utcnow()
    with engine.begin() as conn:
        pid = conn.execute(
            insert(P)
            .values(
                company_id=a["romashka"],
                full_name="Иванов Иван",
                name_key="иванов иван",
                is_decision_maker=True,
                phones=[],
                first_seen=now,
                last_seen=now,
            )
            .returning(P.c.id)
        ).scalar_one()
        conn.execute(
            insert(E).values(
                address="ivanov@romashka.ru",
                domain="romashka.ru",
                person_id=pid,
                company_id=a["romashka"],
                kind="personal",
                origin="imported",
                status="unverified",
                attempts=0,
                first_seen=now,
                last_seen=now,
            )
        )
    with engine.connect() as conn:
        assert opted_out_ids(conn) == set()
    with engine.begin() as conn:
        forget_email(conn, "ivanov@romashka.ru", reason="opt-out")
    with engine.connect() as conn:
        assert opted_out_ids(conn) == {a["romashka"]}


def test_one_key_twice_in_a_batch_is_one_order_the_later_row_wins(engine, accounts):
    rs = [
        rec(2, date(2026, 1, 1), 100.0, inn="7707083893", order_number="N-1"),
        rec(3, date(2026, 1, 2), 150.0, inn="7707083893", order_number="N-1"),
    ]
    got = _store(engine, rs)
    assert (got.new, got.updated, got.unchanged) == (1, 1, 0)
    assert [(o["order_date"], o["amount"], o["locator"]) for o in _orders(engine)] == [
        (date(2026, 1, 2), 150.0, "f.csv row 2")
    ]
