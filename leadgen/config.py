"""Configuration of the composition root: one frozen object, read once.

Sources, later ones winning: built-in defaults, the environment (``LEADGEN_DATABASE_URL``),
then explicit arguments (the ``--database-url`` option).
"""

from __future__ import annotations

import os
from dataclasses import dataclass

from storage.db import DEFAULT_DATABASE_URL, database_url


@dataclass(frozen=True, slots=True)
class LeadgenConfig:
    database_url: str = DEFAULT_DATABASE_URL


def load_config(*, database_url: str | None = None) -> LeadgenConfig:
    return LeadgenConfig(database_url=_database_url(database_url))


def _database_url(explicit: str | None) -> str:
    return database_url(explicit or os.environ.get("LEADGEN_DATABASE_URL"))
