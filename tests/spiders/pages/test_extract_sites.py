"""``extract_page`` over every page of the fixture websites (tests/fixtures/sites), without a
crawl: the people of a company site's crawlable pages (robots.txt allows them, no slow or
oversized route) must be exactly those of expected.json ``company_sites``, with their titles
and e-mails, and nothing listed under ``not_found`` may come out of any of those pages.

This checks the page objects alone; tests/spiders/test_crawl_sites.py checks the crawl."""

from __future__ import annotations

import json
import re
import tomllib
from pathlib import Path
from urllib.robotparser import RobotFileParser

import pytest

from enrichment import classify_title
from spiders.pages.company import extract_page

SITES = Path(__file__).resolve().parents[2] / "fixtures" / "sites"
EXPECTED = json.loads((SITES / "expected.json").read_text(encoding="utf-8"))
COMPANY_SITES = {site["domain"]: site for site in EXPECTED["company_sites"]}
NOT_FOUND = EXPECTED["not_found"]


def _crawlable_pages(host: str) -> list[tuple[str, Path]]:
    """(URL path, file) of the pages a polite crawl reads: not disallowed by robots.txt, not
    a route that answers too slowly (``delay``) or too big (``size_mb``) to be read."""
    folder = SITES / host
    robots = RobotFileParser()
    robots_file = folder / "robots.txt"
    robots.parse(
        robots_file.read_text(encoding="utf-8").splitlines() if robots_file.exists() else []
    )
    unread = set()
    routes_file = folder / "_routes.toml"
    if routes_file.exists():
        for route in tomllib.loads(routes_file.read_text(encoding="utf-8")).get("route", []):
            if route.get("delay", 0) >= 10 or route.get("size_mb"):
                unread.add(route["path"])
    out = []
    for file in sorted(folder.rglob("*.html")):
        path = "/" + file.relative_to(folder).as_posix().removesuffix("index.html")
        if path not in unread and robots.can_fetch("leadgen", f"http://{host}{path}"):
            out.append((path, file))
    return out


def _extract(host: str) -> list[tuple[str, dict]]:
    return [
        (path, extract_page(file.read_bytes(), f"http://{host}{path}").to_dict())
        for path, file in _crawlable_pages(host)
    ]


def test_the_slow_and_the_disallowed_pages_are_left_out():
    kessler = [path for path, _ in _crawlable_pages("kessler-antriebe.de")]
    agromash = [path for path, _ in _crawlable_pages("agromash-volga.ru")]
    assert "/team/" in kessler and "/intern/" not in kessler
    assert "/komanda/" in agromash and "/prais.html" not in agromash


@pytest.mark.parametrize("host", sorted(COMPANY_SITES))
def test_people_of_a_company_site(host):
    found: dict[str, dict] = {}
    for path, result in _extract(host):
        for person in result["people"]:
            entry = found.setdefault(
                person["name"], {"titles": set(), "emails": set(), "pages": []}
            )
            if person["title"]:
                entry["titles"].add(person["title"])
            entry["emails"].update(person["emails"])
            entry["pages"].append(path)
    want = {p["full_name"]: p for p in COMPANY_SITES[host]["people"]}
    problems = [
        f"unexpected {name!r} on {found[name]['pages']}" for name in found.keys() - want.keys()
    ]
    problems += [f"missing {name!r}" for name in want.keys() - found.keys()]
    for name in want.keys() & found.keys():
        titles, expected_title = found[name]["titles"], want[name]["title"]
        # A legal notice may name a group by one generic title ("Geschäftsführer: Jonas
        # Brandt, Katrin Vogel"); it must be the team page's title or one of the same level.
        levels = {classify_title(t).seniority for t in titles}
        if expected_title not in titles or levels != {classify_title(expected_title).seniority}:
            problems.append(f"{name!r}: titles {sorted(titles)}, expected {expected_title!r}")
        if found[name]["emails"] != set(want[name]["emails"]):
            problems.append(f"{name!r}: emails {sorted(found[name]['emails'])}")
    assert not problems, "\n".join(problems)


def _digits(value: str) -> str:
    return re.sub(r"\D", "", value)


@pytest.mark.parametrize("host", sorted(COMPANY_SITES))
def test_nothing_unwanted_comes_out_of_a_company_site(host):
    bad_digits = [_digits(v) for v in NOT_FOUND["values_not_phones"]]
    problems = []
    for path, result in _extract(host):
        people = result["people"]
        emails = result["company"]["emails"] + [e for p in people for e in p["emails"]]
        phones = result["company"]["phones"] + [x for p in people for x in p["phones"]]
        problems += [
            f"{path}: person {p['name']!r}" for p in people if p["name"] in NOT_FOUND["people"]
        ]
        problems += [f"{path}: email {e!r}" for e in emails if e in NOT_FOUND["emails"]]
        for phone in phones:
            number = phone.split(";", 1)[0]
            if number in NOT_FOUND["phones"] or any(
                d and _digits(number).endswith(d) for d in bad_digits
            ):
                problems.append(f"{path}: phone {phone!r}")
    assert not problems, "\n".join(problems)


def test_no_page_of_any_site_names_a_not_found_person():
    hosts = sorted(p.name for p in SITES.iterdir() if (p / "index.html").is_file())
    assert len(hosts) >= len(COMPANY_SITES)
    names = [
        (host, path, person["name"])
        for host in hosts
        for path, result in _extract(host)
        for person in result["people"]
    ]
    assert not [n for n in names if n[2] in NOT_FOUND["people"]]
    assert {name for _, _, name in names} <= {
        p["full_name"] for site in EXPECTED["company_sites"] for p in site["people"]
    }
