"""The fixture websites (tests/fixtures/sites) behind a loopback proxy, as pytest fixtures.

``local_sites`` starts one :class:`leadgen.localsites.LocalSites` for the test session; a crawl
reaches the made-up hosts (``http://biz-katalog.ru/``) through ``local_sites.proxy_url``.
``fresh_sites`` is the same server with its request log and ``fail_times`` counters reset, for
tests that assert on request counts or on the retry-after page.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from leadgen.localsites import LocalSites

SITES_ROOT = Path(__file__).resolve().parent.parent / "fixtures" / "sites"
SOURCES_DIR = SITES_ROOT / "sources"
EXPECTED_FILE = SITES_ROOT / "expected.json"
DOMAINS_FILE = SITES_ROOT / "domains.txt"


def proxy_env(sites: LocalSites) -> dict[str, str]:
    """Environment for a crawl in a subprocess: fixture hosts via the proxy, loopback direct."""
    return {
        "http_proxy": sites.proxy_url,
        "HTTP_PROXY": sites.proxy_url,
        "no_proxy": "127.0.0.1,localhost",
        "NO_PROXY": "127.0.0.1,localhost",
    }


@pytest.fixture(scope="session")
def local_sites() -> Iterator[LocalSites]:
    """The test fixture sites, served for the whole session through a loopback proxy."""
    with LocalSites(SITES_ROOT) as sites:
        yield sites


@pytest.fixture
def fresh_sites(local_sites: LocalSites) -> LocalSites:
    """``local_sites`` with an empty request log and route counters (fail_times) started over."""
    local_sites.reset()
    return local_sites
