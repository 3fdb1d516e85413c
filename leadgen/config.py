"""Configuration of the composition root: one frozen object, read once.

Sources, later ones winning: built-in defaults, the environment (``LEADGEN_DATABASE_URL``),
then explicit arguments (the ``--database-url`` option).
"""

from __future__ import annotations

from dataclasses import dataclass

from storage.db import DEFAULT_DATABASE_URL
from storage.db import database_url as resolve_database_url


@dataclass(frozen=True, slots=True)
class LeadgenConfig:
    database_url: str = DEFAULT_DATABASE_URL


def load_config(*, database_url: str | None = None) -> LeadgenConfig:
    return LeadgenConfig(database_url=resolve_database_url(database_url))
