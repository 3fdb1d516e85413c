"""JSON exhibitor APIs: JsonMapping validation, get_path and the three ways of paging."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from spiders.pages.jsonapi import JsonMapping, get_path, parse_json_listing

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "listing"


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("data.exhibitors[0].name", "Acme"),
        ("data.exhibitors[*].name", ["Acme", "Beta"]),
        ("data.exhibitors[1].stand.hall", "4"),
        ("data.exhibitors[0].categories[*].name", ["Sensors", "Optics"]),
        ("data.exhibitors[-1].links[0].url", "https://beta.example"),
        ('data.exhibitors[0]."contact-email"', "info@acme.example"),
        ("data.missing.deeper", None),
        ("data.exhibitors[7]", None),
        ("data.exhibitors[*].nope", []),
        ("", {"data": "ROOT"}),  # replaced below
        ("data..broken", None),
    ],
)
def test_get_path(path, expected):
    doc = {
        "data": {
            "exhibitors": [
                {
                    "name": "Acme",
                    "categories": [{"name": "Sensors"}, {"name": "Optics"}],
                    "contact-email": "info@acme.example",
                },
                {
                    "name": "Beta",
                    "stand": {"hall": "4"},
                    "links": [{"url": "https://beta.example"}],
                },
            ]
        }
    }
    assert get_path(doc, path) == (doc if path == "" else expected)


def test_next_link_paging():
    mapping = JsonMapping.from_dict(
        {
            "items": "data.exhibitors",
            "fields": {
                "name": "company.name",
                "website": "links[0].url",
                "url": "profile",
                "hall": "stand.hall",
                "booth": "stand.number",
                "categories": "categories[*].name",
                "employees": "size",
            },
            "next": "links.next",
        }
    )
    page = {
        "data": {
            "exhibitors": [
                {
                    "company": {"name": "Acme  Sensors\nGmbH"},
                    "links": [{"url": "www.acme-sensors.de"}],
                    "profile": "/exhibitors/17",
                    "stand": {"hall": 4, "number": "4-310"},
                    "categories": [{"name": "Sensors"}, {"name": "Optics"}],
                    "size": 120,
                },
                {"company": {"name": "Beta Oy"}, "links": [], "stand": None},
            ]
        },
        "links": {"next": "/api/exhibitors?cursor=abc"},
    }
    items, nxt = parse_json_listing(page, "https://expo.example.com/api/exhibitors", mapping)
    assert nxt == "https://expo.example.com/api/exhibitors?cursor=abc"
    acme, beta = items
    assert acme.name == "Acme Sensors GmbH"
    assert acme.website == "http://www.acme-sensors.de/"
    assert acme.url == "https://expo.example.com/exhibitors/17"
    assert acme.fields == {
        "hall": "4",
        "booth": "4-310",
        "categories": ["Sensors", "Optics"],
        "employees": "120",
    }
    assert (beta.name, beta.website, beta.fields) == ("Beta Oy", None, {})
    assert acme.locator == "json data.exhibitors[0]"
    page["links"]["next"] = None
    assert parse_json_listing(page, "https://expo.example.com/api/x", mapping)[1] is None


@pytest.mark.parametrize(
    ("url", "count", "pages", "expected"),
    [
        ("https://a.example/api?q=x", 2, 3, "https://a.example/api?q=x&page=2&per_page=2"),
        ("https://a.example/api?q=x&page=2", 2, 3, "https://a.example/api?q=x&page=3&per_page=2"),
        ("https://a.example/api?q=x&page=3", 2, 3, None),  # page >= total_pages
        ("https://a.example/api?page=2", 1, 3, None),  # a short page is the last
        ("https://a.example/api?page=2", 0, 9, None),  # an empty page is the last
        ("https://a.example/api?page=5", 2, None, "https://a.example/api?page=6&per_page=2"),
    ],
)
def test_page_number_paging(url, count, pages, expected):
    mapping = JsonMapping.from_dict(
        {
            "items": "results",
            "fields": {"name": "title"},
            "page_param": "page",
            "total_pages": "meta.pages",
            "limit": 2,
            "limit_param": "per_page",
        }
    )
    data = {"results": [{"title": f"Firm {i}"} for i in range(count)], "meta": {"pages": pages}}
    assert parse_json_listing(data, url, mapping)[1] == expected


@pytest.mark.parametrize(
    ("url", "total", "expected"),
    [
        ("https://a.example/api", 7, "https://a.example/api?offset=3&limit=3"),
        ("https://a.example/api?offset=3&limit=3", 7, "https://a.example/api?offset=6&limit=3"),
        ("https://a.example/api?offset=6&limit=3", 7, None),
        ("https://a.example/api?offset=3", "9", "https://a.example/api?offset=6&limit=3"),
    ],
)
def test_offset_paging(url, total, expected):
    mapping = JsonMapping.from_dict(
        {
            "items": "",
            "fields": {"name": "n"},
            "offset_param": "offset",
            "limit": 3,
            "limit_param": "limit",
            "total": "[0].total",
        }
    )
    data = [{"n": "A", "total": total}, {"n": "B"}, {"n": "C"}]
    items, nxt = parse_json_listing(data, url, mapping)
    assert [c.name for c in items] == ["A", "B", "C"] and nxt == expected


def test_real_exhibitor_list_milipol_2021_excerpt():
    data = json.loads((FIXTURES / "milipol-paris-2021-first30.json").read_text(encoding="utf-8"))
    mapping = JsonMapping.from_dict(
        {
            "items": "exhibitor",
            "fields": {
                "name": "name",
                "url": "exhibitorUrl",
                "country": "address.iso2 || country.iso2",
                "address": "address.text",
            },
        },
        where="sources/milipol.toml [api]",
    )
    items, nxt = parse_json_listing(data, "https://en.milipol.com/Catalogue/exhibitors", mapping)
    assert len(items) == 30 and nxt is None
    first = items[0]
    assert first.name == "2.Be Footwear"
    assert first.url == "https://en.milipol.com/Catalogue/Exhibitor/2-Be-Footwear"
    assert first.website is None
    assert first.fields == {"country": "DK", "address": "Baldersbuen 33 2640 HEDEHUSENE . DENMARK"}
    assert sum(1 for c in items if c.fields.get("country") == "FR") >= 5
    assert all(c.name and c.url.startswith("https://en.milipol.com/") for c in items)


def test_mixed_country_shapes_enforce_tac_style():
    mapping = JsonMapping.from_dict(
        {"items": "exhibitor", "fields": {"name": "name", "country": "country.iso2 || country"}}
    )
    data = {
        "exhibitor": [
            {"name": "1MOA GmbH", "country": {"text": "Germany", "iso2": "DE"}},
            {"name": "X Ltd", "country": "United Kingdom"},
            {"name": "Y AB", "country": {"text": "Sweden"}},
        ]
    }
    items, _ = parse_json_listing(data, "https://e.example/", mapping)
    assert [c.fields.get("country") for c in items] == ["DE", "United Kingdom", "Sweden"]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"fields": {"name": "n"}}, "items: missing"),
        ({"items": "a[", "fields": {"name": "n"}}, "items: invalid path"),
        ({"items": "a", "fields": {}}, "fields: must be a non-empty table"),
        ({"items": "a", "fields": {"city": "c"}}, "map at least one of"),
        ({"items": "a", "fields": {"name": "x..y"}}, "fields.name: invalid path"),
        (
            {"items": "a", "fields": {"name": "n"}, "next": "n", "page_param": "p"},
            "one way of paging",
        ),
        (
            {"items": "a", "fields": {"name": "n"}, "total_pages": "m"},
            "only makes sense with page_param",
        ),
        ({"items": "a", "fields": {"name": "n"}, "offset_param": "o"}, "needs limit"),
        ({"items": "a", "fields": {"name": "n"}, "page_param": "p", "limit": 0}, "limit: must be"),
        ({"items": "a", "fields": {"name": "n"}, "pages": "x"}, "unknown key(s) ['pages']"),
    ],
)
def test_bad_mapping_raises_clear_errors(data, message):
    with pytest.raises(ValueError) as err:
        JsonMapping.from_dict(data, where="sources/api.toml")
    assert str(err.value).startswith("sources/api.toml: ") and message in str(err.value)


@pytest.mark.parametrize("data", [None, 3, "text", {"results": "nope"}, {"results": [1, None, []]}])
def test_odd_json_gives_nothing(data):
    mapping = JsonMapping.from_dict(
        {"items": "results", "fields": {"name": "name"}, "page_param": "page"}
    )
    assert parse_json_listing(data, "https://a.example/api", mapping) == ([], None)
