"""enrichment/ stays pure: importing any of its modules pulls in no Scrapy, no database and
nothing else of ours (STYLE.md, "Imports point one way")."""

from __future__ import annotations

import json
import pkgutil
import subprocess
import sys
from pathlib import Path

import enrichment

FORBIDDEN = ("scrapy", "sqlalchemy", "sqlmodel", "storage", "scoring", "leadgen", "spiders")
ROOT = Path(enrichment.__file__).resolve().parent.parent


def _all_modules() -> list[str]:
    names = ["enrichment"]
    for info in pkgutil.walk_packages(enrichment.__path__, prefix="enrichment."):
        names.append(info.name)
    return names


def test_modules_are_found():
    modules = _all_modules()
    for expected in ("phones", "emails", "domains", "companies", "names", "titles", "registry"):
        assert f"enrichment.normalize.{expected}" in modules


def test_importing_enrichment_pulls_in_nothing_forbidden():
    script = (
        "import importlib, json, sys\n"
        f"for name in {_all_modules()!r}:\n"
        "    importlib.import_module(name)\n"
        f"bad = sorted(m for m in sys.modules if m.split('.')[0] in {FORBIDDEN!r})\n"
        "print(json.dumps(bad))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert json.loads(out.stdout.strip().splitlines()[-1]) == []


def test_facade_exports_exactly_the_public_api():
    assert sorted(enrichment.__all__) == sorted(
        [
            "CompanyName",
            "DecisionRules",
            "Email",
            "PersonName",
            "Phone",
            "TitleInfo",
            "check_inn",
            "check_kpp",
            "check_ogrn",
            "classify_title",
            "find_phones",
            "normalize_company_name",
            "normalize_email",
            "normalize_hrb",
            "normalize_phone",
            "normalize_vat",
            "normalize_website",
            "parse_person_name",
            "registrable_domain",
            "split_emails",
        ]
    )
    for name in enrichment.__all__:
        assert getattr(enrichment, name) is not None
