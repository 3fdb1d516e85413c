"""Shared fixtures: a database engine on SQLite and on a real PostgreSQL server.

The PostgreSQL server is started once per test session from the installed binaries (see
tests/support/postgres.py).  It must run: a missing server fails the session, it is never
skipped — unless LEADGEN_TEST_SKIP_POSTGRES=1 is set by hand.
"""

from __future__ import annotations

import os

import pytest
from sqlalchemy import text

# DNS and SMTP servers on loopback, for email verification (tests/support/mail.py).
from tests.support.mail import dns_server, faulty_dns, mail_servers, smtp_servers  # noqa: F401

# The fixture websites on loopback (tests/fixtures/sites), for the crawl tests.
from tests.support.sites import fresh_sites, local_sites  # noqa: F401

SKIP_PG = os.environ.get("LEADGEN_TEST_SKIP_POSTGRES") == "1"


@pytest.fixture(scope="session")
def postgres_server():
    from tests.support.postgres import remove, start_server

    server = start_server()
    yield server
    remove(server)


@pytest.fixture(scope="session")
def postgres_engine(postgres_server):
    from storage.db import make_engine

    engine = make_engine(postgres_server.url)
    yield engine
    engine.dispose()


def _truncate_all(engine) -> None:
    from sqlmodel import SQLModel

    import storage.models  # noqa: F401

    names = ", ".join(f'"{t.name}"' for t in SQLModel.metadata.sorted_tables)
    with engine.begin() as conn:
        conn.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))


BACKENDS = (
    ["sqlite"] if SKIP_PG else ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]
)


@pytest.fixture(params=BACKENDS)
def db_url(request, tmp_path):
    """A database URL with an empty, migrated schema, on each backend."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'test.db'}"
        return
    engine = request.getfixturevalue("postgres_engine")
    _truncate_all(engine)
    yield engine.url.render_as_string(hide_password=False)


@pytest.fixture
def engine(db_url):
    from storage.db import make_engine

    engine = make_engine(db_url)
    yield engine
    engine.dispose()


@pytest.fixture
def sqlite_url(tmp_path):
    return f"sqlite:///{tmp_path / 'test.db'}"
