"""The crawl benchmark's baseline: a bare Scrapy spider that requests exactly the URLs the
``directory`` spider requests on the benchmark's world, and extracts nothing.

* list pages: the card's detail link (``div.firm-card a.more``) and the next-page link
  (``a.next``), as the source definition's hints say;
* detail pages: the company's website link (``a.site``): its root and ``/sitemap.xml``, as
  ``LeadSpider.site_requests`` does;
* website pages: links (``a::attr(href)``) of the same host to the contact / about / team /
  legal pages of the world (``SITE_PATHS``); the duplicate filter drops the ones seen
  before, as the lead spider's per-site set does.  Scrapy's ``LinkExtractor`` would do the
  same at about twice the cost per page (it canonicalizes every link): the baseline is the
  least work that finds these links.

Priorities are the lead spider's (list 10, detail 8, home 5, sitemap 4, site pages 4 - kind
priority), so both crawls schedule alike.  robots.txt is fetched per host in both.

Run in its own process (one Twisted reactor per process), with the project's settings::

    python -m bench.crawlsite.bare --start URL --proxy URL [--set NAME=VALUE ...]
"""

from __future__ import annotations

import argparse
import os
from urllib.parse import urljoin, urlsplit

import scrapy

from bench.crawlsite.world import SITE_PAGES

#: The world's contact / about / team / legal paths, with the lead spider's kind priorities
#: (spiders.pages.links: team 0, contact 1, legal 2, about 3).
_KIND_PRIORITY = {"team": 0, "contact": 1, "legal": 2, "about": 3}
#: List and detail requests are marked as the lead spider marks them: TrapGuardMiddleware lets
#: list pages have any number of ``?page=N`` variants.
LISTING = {"listing": True}
SITE_PATHS = {
    path: _KIND_PRIORITY[kind]
    for pages in SITE_PAGES.values()
    for path, kind, _ in pages
    if kind in _KIND_PRIORITY
}


class BareSpider(scrapy.Spider):
    name = "bare"

    def __init__(self, start_url: str = "", **kwargs) -> None:
        super().__init__(**kwargs)
        self.start_url = start_url

    async def start(self):
        yield scrapy.Request(
            self.start_url, callback=self.parse_list, priority=10, dont_filter=True, meta=LISTING
        )

    def parse_list(self, response):
        for href in response.css("div.firm-card a.more::attr(href)").getall():
            yield response.follow(href, callback=self.parse_detail, priority=8, meta=LISTING)
        for href in response.css("a.next::attr(href)").getall():
            yield response.follow(href, callback=self.parse_list, priority=10, meta=LISTING)

    def parse_detail(self, response):
        for href in response.css("a.site::attr(href)").getall():
            parts = urlsplit(urljoin(response.url, href))
            root = f"{parts.scheme}://{parts.netloc.lower()}/"
            yield scrapy.Request(
                root, callback=self.parse_site, priority=5, meta={"host": parts.netloc.lower()}
            )
            yield scrapy.Request(
                urljoin(root, "/sitemap.xml"),
                callback=self.parse_sitemap,
                errback=self.ignore,
                priority=4,
            )

    def parse_site(self, response):
        host = response.meta["host"]
        for href in response.css("a::attr(href)").getall():
            url = urljoin(response.url, href)
            parts = urlsplit(url)
            if parts.path in SITE_PATHS and parts.netloc.lower() == host:
                yield scrapy.Request(
                    url,
                    callback=self.parse_site,
                    meta={"host": host},
                    priority=4 - SITE_PATHS[parts.path],
                )

    def parse_sitemap(self, response):
        return []

    def ignore(self, failure):
        return None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--start", required=True, help="first list page")
    parser.add_argument("--proxy", required=True, help="forward proxy for every request")
    parser.add_argument("--set", action="append", default=[], metavar="NAME=VALUE")
    args = parser.parse_args(argv)
    # As spiders.run.crawl does: the proxy is read when the settings module is imported.
    os.environ["LEADGEN_PROXY"] = args.proxy
    os.environ.setdefault("SCRAPY_SETTINGS_MODULE", "spiders.settings")
    from scrapy.crawler import CrawlerProcess
    from scrapy.utils.project import get_project_settings

    settings = get_project_settings()
    overrides = dict(pair.split("=", 1) for pair in args.set)
    settings.setdict(
        {"LEADGEN_PROXY": args.proxy, "ITEM_PIPELINES": {}, **overrides}, priority="cmdline"
    )
    process = CrawlerProcess(settings)
    process.crawl(BareSpider, start_url=args.start)
    process.start()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
