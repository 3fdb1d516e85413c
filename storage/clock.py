"""The one clock of the database: timezone-aware UTC, second precision (stable across backends)."""

from __future__ import annotations

from datetime import UTC, datetime


def utcnow() -> datetime:
    return datetime.now(UTC).replace(microsecond=0)
