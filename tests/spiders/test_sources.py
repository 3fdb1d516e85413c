"""Source definitions: valid files load, every mistake names the file and the key."""

from __future__ import annotations

import pytest

from spiders.sources import SourceError, load_source, parse_source

GOOD = """
spider = "exhibitors"
start_urls = ["https://expo-messe.de/aussteller/"]
country = "de"
max_pages = 3
[list]
item = "tr.exhibitor"
next_page = "a.next::attr(href)"
[list.fields]
name = "td.name::text"
booth = "td.booth::text"
"""


def test_a_good_file_loads(tmp_path):
    path = tmp_path / "expo.toml"
    path.write_text(GOOD, encoding="utf-8")
    cfg = load_source(path)
    assert cfg.name == "expo" and cfg.spider == "exhibitors"
    assert cfg.start_urls == ("https://expo-messe.de/aussteller/",)
    assert cfg.country == "DE" and cfg.max_pages == 3 and cfg.pages_per_site == 15
    assert cfg.list is not None and cfg.list.item == "tr.exhibitor"
    assert len(cfg.digest) == 64
    assert cfg.parameters()["source_sha256"] == cfg.digest


def test_an_api_source_takes_its_url_from_the_api_table():
    cfg = parse_source(
        {
            "spider": "exhibitors",
            "api": {
                "url": "https://expo.example/api/x?page=1",
                "items": "data.items",
                "page_param": "page",
                "fields": {"name": "company"},
            },
        },
        name="x",
        where="x.toml",
    )
    assert cfg.start_urls == ("https://expo.example/api/x?page=1",)
    assert cfg.api is not None and cfg.api.items == "data.items"


@pytest.mark.parametrize(
    "data, message",
    [
        ({"spider": "directory"}, "'start_urls' must list at least one URL"),
        ({"start_urls": ["ftp://x.ru/"]}, "not an http(s) URL"),
        ({"start_urls": ["https://x.ru/"], "spider": "crawler"}, "'spider' must be one of"),
        ({"start_urls": ["https://x.ru/"], "max_pages": 0}, "'max_pages' must be a positive"),
        ({"start_urls": ["https://x.ru/"], "country": "Russia"}, "two-letter code"),
        ({"start_urls": ["https://x.ru/"], "wait_for": "li"}, "need render = true"),
        (
            {"start_urls": ["https://x.ru/"], "render": True, "load_more": "button"},
            "needs 'wait_for'",
        ),
        ({"start_urls": ["https://x.ru/"], "pages": 3}, "unknown key(s) pages"),
        ({"start_urls": ["https://x.ru/"], "list": "li"}, "[list] must be a table"),
        (
            {"start_urls": ["https://x.ru/"], "follow_websites": "yes"},
            "'follow_websites' must be bool",
        ),
    ],
)
def test_mistakes_are_named(data, message):
    with pytest.raises(SourceError) as caught:
        parse_source(data, name="s", where="sources/s.toml")
    assert message in str(caught.value)
    assert "sources/s.toml" in str(caught.value)


def test_a_bad_selector_is_reported_with_its_table(tmp_path):
    path = tmp_path / "bad.toml"
    path.write_text('start_urls = ["https://x.ru/"]\n[list]\nitem = "div[["\n', encoding="utf-8")
    with pytest.raises(SourceError) as caught:
        load_source(path)
    assert "[list]" in str(caught.value) and "bad.toml" in str(caught.value)


def test_unreadable_and_invalid_files(tmp_path):
    with pytest.raises(SourceError, match="cannot read"):
        load_source(tmp_path / "missing.toml")
    bad = tmp_path / "broken.toml"
    bad.write_text("spider = \n", encoding="utf-8")
    with pytest.raises(SourceError, match="not valid TOML"):
        load_source(bad)
    latin = tmp_path / "latin.toml"
    latin.write_bytes('name = "M\xfcller"\n'.encode("latin-1"))
    with pytest.raises(SourceError, match="not UTF-8"):
        load_source(latin)
