"""``leadgen.customer_history.update_statuses``: the refresh's customer-status pass, on SQLite
and PostgreSQL.  A customer whose last order ages past the segment's ``current_days`` becomes
former without a new order import; recent ones stay current; accounts without orders are left
alone; every change is one change event."""

# ruff: noqa: E741  (C, CH: the tables, as in the SQL they stand for)
from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import select

from leadgen.customer_history import update_statuses
from scoring.segment import parse_segment
from storage.db import write_transaction
from storage.models import ChangeEvent, Company
from tests.scoring.helpers import segment_data
from tests.storage.test_orders import _store, company, rec

C, CH = Company.__table__, ChangeEvent.__table__
TODAY = date(2026, 12, 1)


def ago(days: int) -> date:
    return TODAY - timedelta(days=days)


@pytest.fixture
def customers(engine):
    with engine.begin() as conn:
        ids = {
            # current, last order 400 days ago: past the default 365-day window
            "lapsed": company(conn, "лапсед", inn="7707083893", status="current"),
            # current, last order 10 days ago
            "recent": company(conn, "ресент", domain="recent.ru", status="current"),
            # imported as a prospect, ordered 200 days ago
            "new_buyer": company(conn, "нью", domain="new.ru", status="new"),
            # former, ordered again 30 days ago
            "back": company(conn, "бэк", domain="back.ru", status="former"),
            # no orders at all, whatever status they were imported with
            "crm_current": company(conn, "црм", domain="crm.ru", status="current"),
            "crm_former": company(conn, "формер", domain="former.ru", status="former"),
            "prospect": company(conn, "проспект", domain="prospect.ru"),
        }
    _store(
        engine,
        [
            rec(2, ago(900), 5000.0, inn="7707083893"),
            rec(3, ago(400), 7000.0, inn="7707083893"),
            rec(4, ago(10), 100.0, domain="recent.ru"),
            rec(5, ago(500), 100.0, domain="recent.ru"),
            rec(6, ago(200), 300.0, domain="new.ru"),
            rec(7, ago(30), 50.0, domain="back.ru"),
        ],
    )
    return ids


def statuses(engine) -> dict[int, str]:
    with engine.connect() as conn:
        return dict(conn.execute(select(C.c.id, C.c.status)).all())


def events(engine) -> list[tuple]:
    with engine.connect() as conn:
        return sorted(
            tuple(r)
            for r in conn.execute(
                select(
                    CH.c.company_id,
                    CH.c.entity_type,
                    CH.c.kind,
                    CH.c.field,
                    CH.c.old_value,
                    CH.c.new_value,
                    CH.c.run_id,
                )
            )
        )


def test_a_customer_past_the_window_becomes_former_with_a_change_event(engine, customers):
    a = customers
    segment = parse_segment(segment_data())  # no [customers]: 365 days
    result = update_statuses(engine, segment, TODAY)
    # lapsed -> former; new_buyer -> current; back -> current
    assert result == {"current": 2, "former": 1, "current_days": 365}
    s = statuses(engine)
    assert s[a["lapsed"]] == "former"
    assert s[a["recent"]] == "current"  # 10 days: stays current, no event
    assert (s[a["new_buyer"]], s[a["back"]]) == ("current", "current")
    # without orders: untouched, whatever their status
    assert (s[a["crm_current"]], s[a["crm_former"]], s[a["prospect"]]) == (
        "current",
        "former",
        "new",
    )
    assert events(engine) == sorted(
        [
            (a["lapsed"], "company", "changed", "status", "current", "former", None),
            (a["new_buyer"], "company", "changed", "status", "new", "current", None),
            (a["back"], "company", "changed", "status", "former", "current", None),
        ]
    )
    # the same day again: nothing changes, no new events
    assert update_statuses(engine, segment, TODAY) == {
        "current": 0,
        "former": 0,
        "current_days": 365,
    }
    assert len(events(engine)) == 3


def test_the_segments_current_days_is_the_window(engine, customers):
    a = customers
    short = parse_segment(segment_data(customers={"current_days": 180}))
    # 180 days: lapsed (400) and new_buyer (200) former; back (30) current again; recent (10)
    # stays current
    assert update_statuses(engine, short, TODAY) == {"current": 1, "former": 2, "current_days": 180}
    s = statuses(engine)
    assert [s[a[k]] for k in ("lapsed", "new_buyer", "back", "recent")] == [
        "former",
        "former",
        "current",
        "current",
    ]
    # a window of 5 days: the 10-day-old order is past it too
    tiny = parse_segment(segment_data(customers={"current_days": 5}))
    assert update_statuses(engine, tiny, TODAY) == {"current": 0, "former": 2, "current_days": 5}
    assert statuses(engine)[a["recent"]] == statuses(engine)[a["back"]] == "former"
    # the window is counted back from `today`: the day of the last order itself is inside it
    exact = parse_segment(segment_data(customers={"current_days": 10}))
    assert update_statuses(engine, exact, TODAY)["current"] == 1
    assert statuses(engine)[a["recent"]] == "current"


def test_in_the_callers_transaction_with_its_run_and_a_datetime(engine, customers):
    a = customers
    from storage.runs import start_run

    run_id = start_run(engine, "refresh", {"segment": "test"})
    with write_transaction(engine) as conn:
        result = update_statuses(
            conn, None, datetime(2026, 12, 1, 23, 59, tzinfo=UTC), run_id=run_id
        )
    assert result == {"current": 2, "former": 1, "current_days": 365}  # None: the defaults
    assert {e[0]: e[-1] for e in events(engine)} == {
        a["lapsed"]: run_id,
        a["new_buyer"]: run_id,
        a["back"]: run_id,
    }


def test_a_rolled_back_transaction_leaves_no_trace(engine, customers):
    before = statuses(engine)
    with pytest.raises(RuntimeError), write_transaction(engine) as conn:
        update_statuses(conn, None, TODAY)
        raise RuntimeError("the refresh stage failed after the pass")
    assert statuses(engine) == before and events(engine) == []
