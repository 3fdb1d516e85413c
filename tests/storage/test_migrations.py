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
