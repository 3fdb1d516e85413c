"""What every leadgen spider shares: problems with URL and reason, and crawling a company's own
website (home page → contact / about / team / legal / careers pages and sitemap.xml) within a
page budget.

Spiders decide where to go; what a page says comes from page objects in ``spiders.pages``.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from typing import Any
from urllib.parse import urljoin, urlsplit, urlunsplit

import scrapy
from scrapy import signals
from scrapy.http import Response, TextResponse
from scrapy.spidermiddlewares.httperror import HttpError
from twisted.internet.error import DNSLookupError, TCPTimedOutError, TimeoutError

from enrichment import normalize_company_name, registrable_domain
from spiders.items import CompanyItem, PageUnchanged, PersonItem
from spiders.pages.company import PageExtract
from spiders.pages.links import classify_link, site_links
from spiders.pages.reading import read_site_page
from spiders.pages.sitemap import parse_sitemap
from spiders.workers import PagePool
from storage.records import Problem

logger = logging.getLogger(__name__)

#: Site pages at most this many links away from the home page (home = 0).
SITE_DEPTH = 2
#: Child sitemaps followed per site (a sitemap index can list thousands).
MAX_CHILD_SITEMAPS = 3


def site_root(website: str, scheme: str = "https") -> str | None:
    """``https://firma.ru/`` for "firma.ru", "www.firma.ru/kontakty", "http://firma.ru" …"""
    text = (website or "").strip()
    if not text:
        return None
    if "://" not in text:
        text = f"{scheme}://{text}"
    parts = urlsplit(text)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return None
    return urlunsplit((parts.scheme, parts.netloc.lower(), "/", "", ""))


def canonical(url: str) -> str:
    """The URL a site page is known by: no fragment, no trailing-slash variants."""
    parts = urlsplit(url)
    path = parts.path or "/"
    if len(path) > 1 and path.endswith("/"):
        path = path.rstrip("/")
    return urlunsplit((parts.scheme, parts.netloc.lower(), path, parts.query, ""))


def failure_kind(failure) -> tuple[str, str]:
    """(kind for the run's error counts, a short specific reason) of a failed request."""
    exc = failure.value
    if isinstance(exc, HttpError):
        return f"http_{exc.response.status}", f"HTTP {exc.response.status}"
    if failure.check(TimeoutError, TCPTimedOutError) or "Timeout" in type(exc).__name__:
        return "timeout", "timed out"
    if failure.check(DNSLookupError):
        return "dns", "host name not found"
    text = str(exc) or type(exc).__name__
    if "max redirections" in text:
        return "redirect_loop", "too many redirects (redirect loop)"
    if "robots.txt" in text:
        return "robots", "forbidden by robots.txt"
    lowered = text.lower()
    if (
        "maxsize" in lowered
        or "max size" in lowered
        or "larger than" in lowered
        or type(exc).__name__ in ("CancelledError", "DownloadCancelledError")
    ):
        return "too_large", "larger than the download size limit"
    return type(exc).__name__, f"{type(exc).__name__}: {text}"[:300]


def describe_failure(failure) -> str:
    """A short, specific reason for a failed request."""
    return failure_kind(failure)[1]


class LeadSpider(scrapy.Spider):
    """Base class: problems, errbacks, and the company-website crawl used by all spiders."""

    #: Defaults of the company-website crawl; spiders and sources override them.
    pages_per_site = 15
    country: str | None = None

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.problems: list[Problem] = []
        self._site_seen: dict[str, set[str]] = {}
        self.pool = PagePool(0)

    @classmethod
    def from_crawler(cls, crawler, *args: Any, **kwargs: Any):
        spider = super().from_crawler(crawler, *args, **kwargs)
        spider.pool = PagePool.from_settings(crawler.settings)
        crawler.signals.connect(spider.pool.close, signal=signals.spider_closed)
        return spider

    @property
    def scheme(self) -> str:
        return self.settings.get("LEADGEN_DEFAULT_SCHEME", "https")

    @property
    def skip_unchanged(self) -> bool:
        """A page answering 304 Not Modified is not read again (``LEADGEN_SKIP_UNCHANGED``)."""
        return self.settings.getbool("LEADGEN_SKIP_UNCHANGED", True)

    def run_parameters(self) -> dict[str, Any]:
        return {}

    # -- errors --------------------------------------------------------------------------------
    def on_error(self, failure) -> None:
        self.record_failure(failure)

    def record_failure(self, failure, suffix: str = "") -> None:
        """Count a failed request by kind; report it (URL + reason) unless it is expected:
        an absent sitemap.xml, or a page robots.txt keeps us out of (counted only)."""
        request = failure.request
        kind, reason = failure_kind(failure)
        if request.meta.get("optional"):
            logger.debug("optional %s: %s", request.url, reason)
            return
        self.crawler.stats.inc_value(f"leadgen/errors/{kind}")
        if kind == "robots":
            logger.debug("%s: %s", request.url, reason)
            return
        self.problems.append(Problem(request.url, reason + suffix, "warning"))
        logger.info("%s: %s", request.url, reason)

    # -- company websites ----------------------------------------------------------------------
    def site_requests(
        self,
        website: str,
        *,
        country: str | None = None,
        referer: str | None = None,
        known: Mapping[str, Sequence[tuple[str, str]]] | None = None,
    ):
        """Requests that start the crawl of one company's website: home page, sitemap.xml, and
        the site's ``known`` pages (registrable domain -> ``(url, kind)``: pages an earlier
        crawl read values from, asked for again even when no link leads to them any more — a
        page that went away answers 404 and retires what only it gave)."""
        root = site_root(website, self.scheme)
        domain = registrable_domain(root) if root else None
        if not root or not domain:
            self.problems.append(
                Problem(referer or website, f"{website!r} is not a website address; not crawled")
            )
            return
        if domain in self._site_seen:
            return
        self._site_seen[domain] = {canonical(root)}
        meta = {
            "site_domain": domain,
            "site_depth": 0,
            "site_kind": "home",
            "site_budget": self.pages_per_site,
            "site_country": country or self.country,
        }
        yield scrapy.Request(
            root, callback=self.parse_site_page, errback=self.on_error, meta=meta, priority=5
        )
        yield scrapy.Request(
            urljoin(root, "/sitemap.xml"),
            callback=self.parse_site_sitemap,
            errback=self.on_error,
            priority=4,
            meta={**meta, "site_kind": "sitemap", "optional": True, "site_budget": None},
        )
        for url, kind in (known or {}).get(domain, ()):
            key = canonical(url)
            if key in self._site_seen[domain]:
                continue
            self._site_seen[domain].add(key)
            yield scrapy.Request(
                url,
                callback=self.parse_site_page,
                errback=self.on_error,
                meta={**meta, "site_depth": 1, "site_kind": kind},
                priority=3,
            )

    def _follow(self, response: Response, url: str, kind: str, priority: int, depth: int):
        domain = response.meta["site_domain"]
        if depth > SITE_DEPTH or registrable_domain(url) != domain:
            return None
        key = canonical(url)
        seen = self._site_seen.setdefault(domain, set())
        if key in seen:
            return None
        seen.add(key)
        meta = {
            **{k: v for k, v in response.meta.items() if k.startswith("site_")},
            "site_depth": depth,
            "site_kind": kind,
        }
        return scrapy.Request(
            url,
            callback=self.parse_site_page,
            errback=self.on_error,
            meta=meta,
            priority=max(0, 4 - priority),
        )

    async def parse_site_page(self, response: Response) -> list:
        # A coroutine returning a list, not an async generator: Scrapy then handles the output
        # as a plain iterable, without a task and queue round-trip per request and item.
        if not isinstance(response, TextResponse):
            return []
        meta = response.meta
        kind = meta.get("site_kind", "page")
        if kind == "home":
            # A home page that redirected to another domain (firma.ru -> firma-group.com): the
            # site is where it landed, and its pages are followed there.
            landed = registrable_domain(response.url)
            if landed and landed != meta["site_domain"]:
                meta["site_domain"] = landed
                self._site_seen.setdefault(landed, set()).add(canonical(response.url))
        if meta.get("leadgen_not_modified") and self.skip_unchanged:
            # Not modified since it was read: only its links are needed (a changed page
            # behind it must still be reached); its values are seen again, not read again.
            links = await self.pool.run(site_links, response.text, response.url)
            out: list = [PageUnchanged(response.url)]
        else:
            extract, links = await self.pool.run(
                read_site_page, response.text, response.url, meta.get("site_country")
            )
            out = [self.site_item(response, extract, kind)]
        depth = meta.get("site_depth", 0) + 1
        for link in links:
            request = self._follow(response, link.url, link.kind, link.priority, depth)
            if request is not None:
                out.append(request)
        return out

    def parse_site_sitemap(self, response: Response):
        pages, children = parse_sitemap(response.body, response.url)
        for url in pages:
            found = classify_link(url)
            if found:
                request = self._follow(response, url, found[0], found[1], 1)
                if request is not None:
                    yield request
        for url in children[:MAX_CHILD_SITEMAPS]:
            if registrable_domain(url) == response.meta["site_domain"]:
                yield scrapy.Request(
                    url,
                    callback=self.parse_site_sitemap,
                    errback=self.on_error,
                    meta=response.meta,
                    priority=3,
                )

    def site_item(self, response: Response, extract: PageExtract, kind: str) -> CompanyItem:
        company = extract.company
        domain = response.meta.get("site_domain") or company.domain
        # The name: the legal name a legal notice (impressum, реквизиты) gives with its legal
        # form is authoritative; the home page's only fills a gap; other pages name nobody.
        name, fallback = None, True
        if kind == "legal" and company.name and normalize_company_name(company.name).legal_form:
            name, fallback = company.name, False
        elif kind == "home":
            name = company.name
        item = CompanyItem(
            source_url=response.url,
            extractor=f"site:{kind}",
            locator=f"site:{kind}",
            name=name,
            name_is_fallback=fallback,
            website=site_root(response.url, self.scheme) if kind == "home" else None,
            domain=domain,
            country=company.country,
            address=company.address,
            description=company.description if kind in ("home", "about") else None,
            emails=list(company.emails),
            phones=list(company.phones),
            registration_ids=dict(company.registration_ids),
            social=dict(company.social),
            technologies=list(company.technologies),
            careers=company.careers,
            region=response.meta.get("site_country"),
        )
        item.people = [
            PersonItem(
                name=p.name,
                title=p.title,
                emails=list(p.emails),
                phones=list(p.phones),
                title_is_fallback=kind == "legal",
            )
            for p in extract.people
        ]
        return item
