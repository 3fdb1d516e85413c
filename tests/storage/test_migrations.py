"""Alembic migrations: applied on first use, idempotent, and in step with the models."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect
from sqlmodel import SQLModel

import storage.models  # noqa: F401
from storage.db import make_engine
from storage.migrate import current_revision, ensure_schema, head_revision, upgrade

TABLES = {
    "companies",
    "people",
    "emails",
    "observations",
    "runs",
    "segments",
    "scores",
    "suppressions",
    "change_events",
    "export_log",
    "mail_domains",
    "merges",
    "orders",
}


def test_first_use_creates_every_table_at_head(db_url):
    engine = make_engine(db_url)
    assert TABLES <= set(inspect(engine).get_table_names())
    assert current_revision(engine) == head_revision()
    assert current_revision(make_engine(db_url, migrate=False)) == head_revision()
    ensure_schema(engine)  # a second time is a no-op
    assert upgrade(engine) == (head_revision(), head_revision())


def test_upgrade_head_leaves_no_autogenerate_diff(db_url):
    engine = make_engine(db_url)
    with engine.connect() as conn:
        diff = compare_metadata(
            MigrationContext.configure(conn, opts={"compare_type": True}), SQLModel.metadata
        )
    assert diff == []


def test_sqlite_settings(sqlite_url):
    engine = make_engine(sqlite_url)
    with engine.connect() as conn:
        pragma = {
            name: conn.exec_driver_sql(f"PRAGMA {name}").scalar()
            for name in ("journal_mode", "busy_timeout", "foreign_keys", "secure_delete")
        }
    assert pragma == {
        "journal_mode": "wal",
        "busy_timeout": 30000,
        "foreign_keys": 1,
        "secure_delete": 1,
    }


def test_head_constant_matches_the_migration_scripts():
    from storage.migrate import HEAD

    assert HEAD == head_revision()


def test_0003_orders_down_to_0002_and_up_again_keeping_the_companies(db_url):
    from alembic import command
    from sqlalchemy import text

    from storage.migrate import alembic_config

    engine = make_engine(db_url)  # at head; PostgreSQL's database is shared, so end at head
    command.downgrade(alembic_config(engine), "0002")
    assert current_revision(engine) == "0002"
    assert "orders" not in inspect(engine).get_table_names()
    assert "opted_out_at" not in {c["name"] for c in inspect(engine).get_columns("companies")}
    with engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO companies (name, name_key, city_key, phones, registry_ids, social, "
                "technologies, status, first_seen, last_seen) VALUES ('Ромашка', 'ромашка', '', "
                "'[]', '{}', '{}', '[]', 'new', '2026-01-01 00:00:00', '2026-01-01 00:00:00')"
            )
        )
    assert upgrade(engine, "0003") == ("0002", "0003")
    insp = inspect(engine)
    assert "orders" in insp.get_table_names()
    assert {i["name"] for i in insp.get_indexes("orders")} >= {"ix_orders_company_date"}
    with engine.connect() as conn:
        rows = conn.execute(text("SELECT name, opted_out_at FROM companies")).all()
    assert [tuple(r) for r in rows] == [("Ромашка", None)]
    upgrade(engine)  # back to head: the PostgreSQL database is shared


def test_0004_pages_down_and_up(db_url):
    from alembic import command

    from storage.migrate import alembic_config

    engine = make_engine(db_url)
    command.downgrade(alembic_config(engine), "0003")
    assert "pages" not in inspect(engine).get_table_names()
    assert "ix_observations_source" not in {
        i["name"] for i in inspect(engine).get_indexes("observations")
    }
    assert upgrade(engine) == ("0003", "0004")
    insp = inspect(engine)
    assert "pages" in insp.get_table_names()
    assert "ix_observations_source" in {i["name"] for i in insp.get_indexes("observations")}
