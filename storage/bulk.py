"""Driver-level executemany for the batch writer's hot tables.

SQLAlchemy processes every bound value of an executemany (type coercion, JSON, datetimes) one by
one; for an import of a few hundred thousand rows that is most of the time spent.  These helpers
adapt values once per row in plain Python and hand the driver tuples.  The text they write is
what SQLAlchemy's own types write (JSON via ``json.dumps``; SQLite datetimes as
``YYYY-MM-DD HH:MM:SS.ffffff`` in UTC), so the ORM reads the rows back unchanged.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import JSON, Connection, DateTime, Table


def _converters(conn: Connection, table: Table, columns: Sequence[str]
                ) -> list[Callable[[Any], Any] | None]:
    """One converter per column (None: pass the value through), chosen by the column type."""
    sqlite = conn.dialect.name == "sqlite"
    stamps: dict[datetime, str] = {}  # a batch writes one "now" many times: format it once

    def stamp(value: datetime | None) -> str | None:
        if value is None:
            return None
        text = stamps.get(value)
        if text is None:
            text = stamps[value] = value.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S.%f")
        return text

    def as_json(value: Any) -> str | None:
        # psycopg sends str as "unknown", so PostgreSQL casts the text to json itself.
        return None if value is None else json.dumps(value)

    out: list[Callable[[Any], Any] | None] = []
    for name in columns:
        kind = table.c[name].type
        if isinstance(kind, JSON):
            out.append(as_json)
        elif sqlite and isinstance(kind, DateTime):
            out.append(stamp)
        else:
            out.append(None)
    return out


def _tuples(rows: Sequence[dict[str, Any]], columns: Sequence[str],
            converters: Sequence[Callable[[Any], Any] | None]) -> list[tuple]:
    plain = [i for i, f in enumerate(converters) if f is None]
    if len(plain) == len(columns):
        return [tuple(r[c] for c in columns) for r in rows]
    pairs = list(zip(columns, converters, strict=True))
    return [tuple(r[c] if f is None else f(r[c]) for c, f in pairs) for r in rows]


def insert_rows(conn: Connection, table: Table, rows: Sequence[dict[str, Any]]) -> None:
    """INSERT ``rows`` (all with the same keys, ids included) in one executemany."""
    if not rows:
        return
    columns = list(rows[0])
    mark = _mark(conn)
    sql = (f'INSERT INTO "{table.name}" ({", ".join(columns)}) '
           f'VALUES ({", ".join([mark] * len(columns))})')
    conn.exec_driver_sql(sql, _tuples(rows, columns, _converters(conn, table, columns)))


def update_rows(conn: Connection, table: Table, rows: Sequence[dict[str, Any]]) -> None:
    """UPDATE by ``id`` (all rows with the same keys) in one executemany."""
    if not rows:
        return
    columns = [c for c in rows[0] if c != "id"] + ["id"]
    mark = _mark(conn)
    sets = ", ".join(f"{c} = {mark}" for c in columns[:-1])
    sql = f'UPDATE "{table.name}" SET {sets} WHERE id = {mark}'
    conn.exec_driver_sql(sql, _tuples(rows, columns, _converters(conn, table, columns)))


def _mark(conn: Connection) -> str:
    return "?" if conn.dialect.name == "sqlite" else "%s"
