"""Driver-level executemany (and IN-list reads) for the batch writer's hot tables.

SQLAlchemy processes every bound value of an executemany (type coercion, JSON, datetimes) one by
one, and renders an expanded ``IN (...)`` list anew for every read; for an import of a few
hundred thousand rows that is most of the time spent.  These helpers adapt values once per row
in plain Python and hand the driver tuples.  The text they write is what the rows held before
these helpers existed (JSON via ``json.dumps``; SQLite datetimes as the driver's own adapter
writes them, ``datetime.isoformat(" ")``), so the ORM reads the rows back unchanged.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Sequence
from datetime import UTC, datetime
from operator import itemgetter
from typing import Any

from sqlalchemy import JSON, Column, Connection, Date, DateTime, Table, TypeDecorator

#: Values per IN (...) list: well under SQLite's and PostgreSQL's parameter limits.
IN_CHUNK = 900


def _converters(
    conn: Connection, table: Table, columns: Sequence[str]
) -> list[Callable[[Any], Any] | None]:
    """One converter per column (None: pass the value through), chosen by the column type."""
    sqlite = conn.dialect.name == "sqlite"
    stamps: dict[datetime, str] = {}  # a batch writes one "now" many times: format it once
    texts: dict[datetime, str] = {}

    def stamp(value: datetime | None) -> str | None:
        if value is None:
            return None
        text = stamps.get(value)
        if text is None:
            text = stamps[value] = value.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S.%f")
        return text

    def driver_text(value: Any) -> Any:
        # What sqlite3's default datetime adapter writes (isoformat with a space), cached.
        if type(value) is not datetime:
            return value
        text = texts.get(value)
        if text is None:
            text = texts[value] = value.isoformat(" ")
        return text

    def as_json(value: Any) -> str | None:
        # psycopg sends str as "unknown", so PostgreSQL casts the text to json itself.
        if value is None:
            return None
        if not value and type(value) in (list, dict):
            return "[]" if type(value) is list else "{}"
        return json.dumps(value)

    out: list[Callable[[Any], Any] | None] = []
    for name in columns:
        kind = table.c[name].type
        if isinstance(kind, JSON):
            out.append(as_json)
        elif sqlite and isinstance(kind, DateTime):
            out.append(stamp)
        elif sqlite and isinstance(kind, TypeDecorator) and isinstance(kind.impl, DateTime):
            out.append(driver_text)
        elif sqlite and isinstance(kind, Date):
            # SQLAlchemy's SQLite date text (sqlite3's own date adapter is deprecated in 3.12).
            out.append(lambda v: None if v is None else v.isoformat())
        else:
            out.append(None)
    return out


def _tuples(
    rows: Sequence[dict[str, Any]],
    columns: Sequence[str],
    converters: Sequence[Callable[[Any], Any] | None],
) -> list[tuple]:
    if len(columns) == 1:
        (name,), (f,) = columns, converters
        return [(r[name],) for r in rows] if f is None else [(f(r[name]),) for r in rows]
    get = itemgetter(*columns)
    convert = [(i, f) for i, f in enumerate(converters) if f is not None]
    if not convert:
        return [get(r) for r in rows]
    out = []
    for r in rows:
        values = list(get(r))
        for i, f in convert:
            values[i] = f(values[i])
        out.append(tuple(values))
    return out


def insert_rows(conn: Connection, table: Table, rows: Sequence[dict[str, Any]]) -> None:
    """INSERT ``rows`` (all with the same keys, ids included) in one executemany."""
    if not rows:
        return
    columns = list(rows[0])
    mark = _mark(conn)
    sql = (
        f'INSERT INTO "{table.name}" ({", ".join(columns)}) '
        f"VALUES ({', '.join([mark] * len(columns))})"
    )
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


def select_in(
    conn: Connection, table: Table, key: Column, values: Iterable[Any], columns: Sequence[Column]
) -> list[dict[str, Any]]:
    """Rows of ``table`` whose ``key`` is one of ``values``: ``columns`` as dicts, each value
    as the column's type reads it (JSON decoded, booleans and datetimes as SQLAlchemy gives
    them).  Plain SQL in chunks of ``IN_CHUNK``: SQLAlchemy would render each expanded IN list
    again, which costs more than the query itself."""
    values = sorted(set(values))
    if not values:
        return []
    names = [c.name for c in columns]
    convert: list[tuple[int, Callable[[Any], Any]]] | None = None
    mark = _mark(conn)
    head = f'SELECT {", ".join(names)} FROM "{table.name}" WHERE {key.name} IN '
    out: list[dict[str, Any]] = []
    for start in range(0, len(values), IN_CHUNK):
        part = values[start : start + IN_CHUNK]
        sql = head + "(" + ", ".join([mark] * len(part)) + ")"
        result = conn.exec_driver_sql(sql, tuple(part))
        if convert is None:  # the processors SQLAlchemy would pick for these driver types
            types = [d[1] for d in result.cursor.description]
            convert = [
                (i, p)
                for i, (c, t) in enumerate(zip(columns, types, strict=True))
                if (p := c.type._cached_result_processor(conn.dialect, t)) is not None
            ]
        for row in result.all():
            if convert:
                row = list(row)
                for i, p in convert:
                    row[i] = p(row[i])
            out.append(dict(zip(names, row, strict=True)))
    return out


def _mark(conn: Connection) -> str:
    return "?" if conn.dialect.name == "sqlite" else "%s"
