"""The one clock of the database: timezone-aware UTC, second precision (stable across backends)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any


def utcnow() -> datetime:
    return datetime.now(UTC).replace(microsecond=0)


def second_text(value: Any) -> str:
    """A stored time as ``YYYY-MM-DD HH:MM:SS`` (UTC), for comparing times read back from
    either backend: SQLite may give text in more than one form, PostgreSQL datetimes."""
    if isinstance(value, datetime):
        if value.tzinfo is not None:
            value = value.astimezone(UTC)
        return value.strftime("%Y-%m-%d %H:%M:%S")
    return str(value)[:19].replace("T", " ")
