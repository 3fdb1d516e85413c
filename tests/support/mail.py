"""Session fixtures for the verification tests: the DNS server (dnsmasq) with the fixture
zones, the SMTP servers on 127.0.0.x, and a dnslib server for faults and query counts."""

from __future__ import annotations

import pytest

from tests.support.dns import FaultyDns, start_dnsmasq
from tests.support.smtp import start_smtp_servers


@pytest.fixture(scope="session")
def dns_server(tmp_path_factory):
    server = start_dnsmasq(tmp_path_factory.mktemp("dnsmasq"))
    yield server
    server.stop()


@pytest.fixture(scope="session")
def smtp_servers(tmp_path_factory):
    servers = start_smtp_servers(tmp_path_factory.mktemp("smtp"))
    yield servers
    servers.stop()


@pytest.fixture
def mail_servers(smtp_servers):
    """The SMTP servers with empty records."""
    smtp_servers.clear()
    return smtp_servers


@pytest.fixture
def faulty_dns():
    server = FaultyDns(
        servfail={"servfail-firm.de"},
        silent={"silent-firm.de"},
    ).start()
    yield server
    server.stop()
