"""The architecture's import rules, checked on the source (see docs/architecture.md).

* only ``spiders`` imports Scrapy / Twisted / scrapy-playwright;
* ``enrichment`` and ``scoring`` are pure: no database, no Scrapy, no other package of ours;
* ``storage`` does not reach up into ``leadgen``, ``spiders``, ``enrichment`` or ``scoring``.
"""

from __future__ import annotations

import ast
import configparser
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("leadgen", "spiders", "enrichment", "scoring", "storage")
CRAWLING = {"scrapy", "twisted", "scrapy_playwright", "playwright", "scrapy_redis"}
DATABASE = {"sqlalchemy", "sqlmodel", "alembic", "psycopg"}
FORBIDDEN = {
    "enrichment": CRAWLING | DATABASE | {"storage", "scoring", "spiders", "leadgen"},
    "scoring": CRAWLING | DATABASE | {"storage", "enrichment", "spiders", "leadgen"},
    "storage": CRAWLING | {"leadgen", "spiders", "enrichment", "scoring"},
    "leadgen": CRAWLING,
    "spiders": {"leadgen"},
}


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(a.name.split(".")[0] for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module.split(".")[0])
    return names


@pytest.mark.parametrize("package", PACKAGES)
def test_import_rules(package):
    files = sorted((ROOT / package).rglob("*.py"))
    assert files, f"{package}/ has no modules"
    bad = {str(f.relative_to(ROOT)): sorted(_imports(f) & FORBIDDEN[package]) for f in files}
    assert {k: v for k, v in bad.items() if v} == {}


def test_layout_files_exist():
    for name in ("scrapy.cfg", "pyproject.toml", "Makefile", ".ci/run", "README.md"):
        assert (ROOT / name).is_file(), name
    cfg = configparser.ConfigParser()
    cfg.read(ROOT / "scrapy.cfg")
    assert cfg["settings"]["default"] == "spiders.settings"


def test_spider_settings_are_polite():
    from spiders import settings

    assert settings.ROBOTSTXT_OBEY is True
    assert settings.CONCURRENT_REQUESTS_PER_DOMAIN <= 2
    assert settings.AUTOTHROTTLE_ENABLED is True
    assert "+http" in settings.USER_AGENT
    assert settings.TELNETCONSOLE_ENABLED is False and settings.REMOTE_CONTROL_ENABLED is False
