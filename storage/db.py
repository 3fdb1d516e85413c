"""Engines and write transactions.  No engine exists at import time; callers ask for one.

SQLite is the default (``sqlite:///leadgen.db``): WAL journal, a busy timeout so a second
process waits instead of failing, foreign keys on, and ``secure_delete`` so erased personal data
does not linger in freed pages.  ``LEADGEN_DATABASE_URL`` selects another database, e.g.
``postgresql+psycopg://user@host/db`` (psycopg 3).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from functools import partial

from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.engine import make_url

DEFAULT_DATABASE_URL = "sqlite:///leadgen.db"
SQLITE_BUSY_TIMEOUT_MS = 30_000
#: Page cache per connection: big indexes (observations, emails) stay in memory during imports.
SQLITE_CACHE_KIB = 131_072
#: WAL pages before an automatic checkpoint: SQLite's default (4 MB) for ordinary work; write
#: batches raise it (~400 MB) so a bulk import does not copy the same index pages into the
#: database file at every commit, and checkpoint once at the end (``finish_bulk_write``).
SQLITE_AUTOCHECKPOINT_PAGES = 1_000
SQLITE_BULK_AUTOCHECKPOINT_PAGES = 100_000


def database_url(url: str | None = None) -> str:
    """The URL to use: the argument, else ``LEADGEN_DATABASE_URL``, else ./leadgen.db."""
    url = url or os.environ.get("LEADGEN_DATABASE_URL") or DEFAULT_DATABASE_URL
    parsed = make_url(url)
    if parsed.drivername in ("postgresql", "postgres"):
        # Spell out psycopg 3: SQLAlchemy 2.0 would otherwise pick psycopg2.
        url = parsed.set(drivername="postgresql+psycopg").render_as_string(hide_password=False)
    return url


def _casefold(value: str | None) -> str | None:
    return None if value is None else value.casefold().replace("ё", "е")


def _sqlite_pragmas(dbapi_conn, _record, cache_kib: int = SQLITE_CACHE_KIB) -> None:
    # SQLite's lower() folds ASCII only; storage.sql.casefold compiles to this on SQLite.
    dbapi_conn.create_function("lg_casefold", 1, _casefold, deterministic=True)
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA secure_delete=ON")
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.execute(f"PRAGMA cache_size=-{cache_kib}")
    cur.execute("PRAGMA temp_store=MEMORY")
    cur.execute(f"PRAGMA wal_autocheckpoint={SQLITE_AUTOCHECKPOINT_PAGES}")
    cur.close()


def _sqlite_begin(conn) -> None:
    # pysqlite's own transaction handling is off (isolation_level=None), so BEGIN is ours:
    # write batches take the write lock up front (IMMEDIATE), so two writers queue on the busy
    # timeout instead of one failing when it turns a stale read snapshot into a write.
    immediate = conn.get_execution_options().get("leadgen_write", False)
    conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


def make_engine(
    url: str | None = None,
    *,
    migrate: bool = True,
    echo: bool = False,
    cache_kib: int = SQLITE_CACHE_KIB,
) -> Engine:
    """Create an engine for ``url`` and (by default) bring its schema to the latest revision.

    ``cache_kib``: SQLite's page cache per connection (a long crawl that writes small batches
    needs far less than a bulk import, and keeps its memory flat with less)."""
    url = database_url(url)
    if url.startswith("sqlite"):
        engine = create_engine(
            url,
            echo=echo,
            connect_args={"timeout": SQLITE_BUSY_TIMEOUT_MS / 1000, "isolation_level": None},
        )
        event.listen(engine, "connect", partial(_sqlite_pragmas, cache_kib=cache_kib))
        event.listen(engine, "begin", _sqlite_begin)
    else:
        engine = create_engine(url, echo=echo, pool_pre_ping=True)
    if migrate:
        from storage.migrate import ensure_schema

        ensure_schema(engine)
    return engine


def is_sqlite(engine: Engine) -> bool:
    return engine.dialect.name == "sqlite"


@contextmanager
def write_transaction(engine: Engine) -> Iterator[Connection]:
    """A transaction that will write: on SQLite it holds the write lock from its first read,
    and leaves checkpoints to ``finish_bulk_write``."""
    with engine.connect().execution_options(leadgen_write=True) as conn:
        raw = conn.connection.driver_connection if is_sqlite(engine) else None
        if raw is not None:  # outside SQLAlchemy's transaction, on the driver itself
            raw.execute(f"PRAGMA wal_autocheckpoint={SQLITE_BULK_AUTOCHECKPOINT_PAGES}")
        try:
            with conn.begin():
                yield conn
        finally:
            if raw is not None:
                raw.execute(f"PRAGMA wal_autocheckpoint={SQLITE_AUTOCHECKPOINT_PAGES}")


def finish_bulk_write(engine: Engine) -> None:
    """After a bulk write: update the query planner's statistics, and on SQLite move the WAL
    into the database file.

    Without statistics SQLite picks the wrong index for filtered, sorted lists once a table is
    large (bench/bench_list.py).  ``analysis_limit`` samples each index, so this stays fast at
    a million rows.
    """
    with engine.connect() as conn:
        if is_sqlite(engine):
            raw = conn.connection.driver_connection
            raw.execute("PRAGMA analysis_limit=1000")
            raw.execute("ANALYZE")
            raw.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        else:
            conn.execution_options(isolation_level="AUTOCOMMIT").exec_driver_sql("ANALYZE")
