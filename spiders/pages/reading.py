"""Whole-page reads, one call per page a spider fetches: what the crawl needs from it.

Each function is a pure function of its (picklable) arguments, so ``spiders.workers.PagePool``
can run it in a worker process beside Scrapy's event loop (or inline).
"""

from __future__ import annotations

from spiders.pages.company import PageExtract, extract_page
from spiders.pages.content import main_content
from spiders.pages.links import SiteLink, site_links
from spiders.pages.listing import (
    ListedCompany,
    ListingHints,
    ListingPage,
    parse_detail,
    parse_listing,
)


def read_site_page(html: str, url: str, country: str | None) -> tuple[PageExtract, list[SiteLink]]:
    """A page of a company's own website: what it says, and which of its links to follow."""
    return extract_page(html, url, country=country), site_links(html, url)


def read_list_page(
    html: str, url: str, hints: ListingHints | None, block_path: str | None
) -> ListingPage:
    """A directory or exhibitor list page: its entries and further list pages."""
    return parse_listing(html, url, hints, block_path=block_path)


def read_detail_page(
    html: str, url: str, hints: ListingHints | None, country: str | None
) -> tuple[ListedCompany | None, PageExtract]:
    """A directory's page about one company: the entry, and the contacts in its main content
    (the directory's own header and footer left out)."""
    return parse_detail(html, url, hints), extract_page(main_content(html), url, country=country)
