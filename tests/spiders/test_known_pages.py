"""Known pages a refresh asks for again (``-a pages_file``): the file's lines, and the requests
the company spider starts a site with — built without a running crawl."""

from __future__ import annotations

import pytest
from scrapy.utils.test import get_crawler

from spiders.crawlers.company import CompanySpider, read_known_pages

PAGES = "\n".join(
    [
        "# pages values were read from",
        "https://firma.ru/kontakty/\tcontact",
        "https://firma.ru/komanda/\tteam",
        "https://www.firma.ru/rekvizity/",  # no kind: by the URL
        "https://firma.ru/novosti/2024/\tbanner",  # unknown kind: by the URL, else page
        "https://firma.ru/kontakty/\tcontact",  # twice: once
        "https://beispiel-bau.de/impressum\tlegal",
        "firma.ru/kontakty",  # not a page address
        "https://firma ru/\tpage",
        "",
    ]
)


def test_the_known_pages_file():
    pages, problems = read_known_pages(PAGES, "pages.tsv")
    assert pages == {
        "firma.ru": [
            ("https://firma.ru/kontakty/", "contact"),
            ("https://firma.ru/komanda/", "team"),
            ("https://www.firma.ru/rekvizity/", "legal"),
            ("https://firma.ru/novosti/2024/", "page"),
        ],
        "beispiel-bau.de": [("https://beispiel-bau.de/impressum", "legal")],
    }
    assert [(p.where, p.reason) for p in problems] == [
        ("pages.tsv line 8", "'firma.ru/kontakty' is not a web page address; skipped"),
        ("pages.tsv line 9", "'https://firma ru/' is not a web page address; skipped"),
    ]


def _start(spider) -> list:
    async def collect():
        return [r async for r in spider.start()]

    import asyncio

    return asyncio.run(collect())


@pytest.mark.parametrize("with_pages", [False, True])
def test_a_site_starts_with_its_known_pages(tmp_path, with_pages):
    file = tmp_path / "pages.tsv"
    file.write_text(PAGES, encoding="utf-8")
    kwargs = {"pages_file": str(file)} if with_pages else {}
    crawler = get_crawler(CompanySpider)
    spider = CompanySpider.from_crawler(crawler, domains="firma.ru,other.de", **kwargs)
    requests = _start(spider)
    got = [(r.url, r.meta["site_kind"], r.meta["site_depth"]) for r in requests]
    base = [
        ("https://firma.ru/", "home", 0),
        ("https://firma.ru/sitemap.xml", "sitemap", 0),
    ]
    known = [
        ("https://firma.ru/kontakty/", "contact", 1),
        ("https://firma.ru/komanda/", "team", 1),
        ("https://www.firma.ru/rekvizity/", "legal", 1),
        ("https://firma.ru/novosti/2024/", "page", 1),
    ]
    other = [("https://other.de/", "home", 0), ("https://other.de/sitemap.xml", "sitemap", 0)]
    assert got == base + (known if with_pages else []) + other
    # beispiel-bau.de is not crawled: its known page is not asked for
    assert not [r for r in requests if "beispiel-bau" in r.url]
    # a known page is not asked again when a link leads to it
    if with_pages:
        from spiders.crawlers.base import canonical

        assert canonical("https://firma.ru/kontakty/") in spider._site_seen["firma.ru"]
        assert spider.run_parameters()["known_pages"] == 5
    assert (spider.problems != []) is with_pages  # the two bad lines, reported
