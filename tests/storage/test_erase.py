"""Erasure: forget an email or a domain — rows, observations, file bytes — and suppress it."""
# ruff: noqa: E741  (C, P, E, O: the tables, as in the SQL they stand for)

from __future__ import annotations

from pathlib import Path

from sqlalchemy import func, select

from storage.db import make_engine
from storage.erase import compact_after_erase, forget_domain, forget_email
from storage.models import Company, Email, Observation, Person, Run, Suppression
from storage.records import CompanyRecord, EmailRecord, PersonRecord
from storage.repository import upsert_batch
from storage.runs import finish_run, start_run

C, P, E, O, S, R = (m.__table__ for m in (Company, Person, Email, Observation, Suppression, Run))


def _records():
    def em(a):
        return EmailRecord(a, a.split("@")[1])

    return [
        CompanyRecord(
            source="import:t",
            locator="row 2",
            name="Ромашка",
            name_key="ромашка",
            domain="romashka.ru",
            emails=[em("info@romashka.ru")],
            people=[
                PersonRecord(
                    "Зоя Секретова",
                    "зоя секретова",
                    emails=[em("zoya.sekretova@romashka.ru")],
                    phones=["+79161112233"],
                ),
                PersonRecord("Иван Петров", "иван петров", emails=[em("petrov@romashka.ru")]),
            ],
        ),
        CompanyRecord(
            source="import:t",
            locator="row 3",
            name="Other",
            name_key="other",
            domain="other.ru",
            people=[PersonRecord("Анна Смирнова", "анна смирнова", emails=[em("anna@other.ru")])],
        ),
    ]


def _store(engine):
    with engine.begin() as conn:
        upsert_batch(conn, _records())


def _n(engine, table, *where):
    with engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(table).where(*where)).scalar_one()


def test_forget_email_erases_the_person_and_suppresses_them(engine):
    _store(engine)
    run = start_run(engine, "import", {})
    finish_run(
        engine,
        run,
        status="partial",
        counts={},
        problems=[{"where": "row 7", "reason": "email 'zoya.sekretova@romashka.ru' bounced"}],
    )
    with engine.begin() as conn:
        result = forget_email(conn, " Zoya.Sekretova@Romashka.RU ")
    compact_after_erase(engine)
    assert (result.people, result.emails) == (1, 1) and result.newly_suppressed
    assert _n(engine, P) == 2 and _n(engine, P, P.c.full_name == "Зоя Секретова") == 0
    assert _n(engine, E, E.c.address.contains("zoya")) == 0
    assert _n(engine, O, O.c.value.contains("zoya")) == 0
    assert _n(engine, O, O.c.value.contains("+79161112233")) == 0
    assert _n(engine, S, S.c.kind == "email") == 1
    with engine.connect() as conn:
        problems = conn.execute(select(R.c.problems).where(R.c.id == run)).scalar_one()
    assert "zoya" not in str(problems)
    # a later import of the same data stores everything else, but never her again
    _store(engine)
    assert _n(engine, P, P.c.full_name == "Зоя Секретова") == 0
    assert _n(engine, E, E.c.address.contains("zoya")) == 0
    assert _n(engine, P) == 2


def test_forget_domain_erases_the_company_and_its_people(engine):
    from storage.clock import utcnow
    from storage.models import Page
    from storage.pages import record_pages

    _store(engine)
    pages = [
        "https://romashka.ru/team/ivan-petrov",
        "http://www.romashka.ru/",
        "https://romashka.ru",
        "https://romashka.ru.example.com/",  # another host
        "https://other.ru/romashka.ru/",
    ]
    with engine.begin() as conn:
        record_pages(conn, [(u, 200) for u in pages], utcnow())
    with engine.begin() as conn:
        result = forget_domain(conn, "romashka.ru")
    with engine.connect() as conn:
        left = sorted(conn.execute(select(Page.url)).scalars())
    assert left == ["https://other.ru/romashka.ru/", "https://romashka.ru.example.com/"]
    compact_after_erase(engine)
    assert (result.companies, result.people, result.emails) == (1, 2, 3)
    assert _n(engine, C) == 1 and _n(engine, P) == 1 and _n(engine, E) == 1
    assert _n(engine, O, O.c.value.contains("romashka")) == 0
    _store(engine)  # suppressed for good
    assert _n(engine, C, C.c.domain == "romashka.ru") == 0


def test_forget_again_is_harmless(engine):
    _store(engine)
    for _ in range(2):
        with engine.begin() as conn:
            result = forget_email(conn, "petrov@romashka.ru")
    assert result.people == 0 and not result.newly_suppressed
    assert _n(engine, S) == 2  # email + person identity, once each


def test_erased_bytes_are_gone_from_the_sqlite_files(tmp_path):
    db = tmp_path / "leads.db"
    engine = make_engine(f"sqlite:///{db}")
    _store(engine)
    for _ in range(30):  # enough writes that the pages certainly reached the main file
        _store(engine)
    with engine.connect() as conn:
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    assert b"zoya.sekretova" in _all_bytes(db)
    with engine.begin() as conn:
        forget_email(conn, "zoya.sekretova@romashka.ru")
    compact_after_erase(engine)
    data = _all_bytes(db)
    assert b"zoya.sekretova" not in data
    assert "Секретова".encode() not in data
    assert b"petrov@romashka.ru" in data  # the rest is still there


def _all_bytes(db: Path) -> bytes:
    return b"".join(p.read_bytes() for p in db.parent.glob(db.name + "*"))
