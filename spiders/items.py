"""Crawl-time items: raw values as a page showed them, plus where and how they were found.

Spiders yield these; ``spiders.pipelines`` validates and normalizes them (with ``enrichment``)
into ``storage.records.CompanyRecord`` and stores them with their source URL.  Items stay plain
dataclasses (Scrapy accepts them through itemadapter), so page objects and tests need no Scrapy.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(slots=True)
class PersonItem:
    name: str
    title: str | None = None
    emails: list[str] = field(default_factory=list)
    phones: list[str] = field(default_factory=list)
    #: The title is a role from a legal notice ("Geschäftsführer: …"): it fills a gap only.
    title_is_fallback: bool = False


@dataclass(slots=True)
class CompanyItem:
    """One sighting of a company on one page (a list entry, a detail page, a site page)."""

    source_url: str
    extractor: str  # listing | detail | json-api | site:home | site:contact | …
    locator: str = ""  # "item 3 on http://…/catalog/?page=2", "page"
    name: str | None = None
    #: ``name`` is a fallback (e.g. from a page title): it never replaces a known name.
    name_is_fallback: bool = False
    website: str | None = None
    domain: str | None = None
    country: str | None = None
    city: str | None = None
    address: str | None = None
    industry: str | None = None
    description: str | None = None
    emails: list[str] = field(default_factory=list)
    phones: list[str] = field(default_factory=list)
    registration_ids: dict[str, str] = field(default_factory=dict)
    social: dict[str, str] = field(default_factory=dict)
    technologies: list[str] = field(default_factory=list)
    careers: bool = False
    people: list[PersonItem] = field(default_factory=list)
    #: Facts of this sighting that have no column: booth, hall, categories, list name …
    facts: dict[str, Any] = field(default_factory=dict)
    #: Default region for phone numbers written without a country code.
    region: str | None = None


@dataclass(slots=True)
class PageUnchanged:
    """A page the server said has not changed since it was crawled (304 Not Modified to a
    conditional request): its values are not read again, only seen again — every value it gave
    before gets this sighting's time (``storage.pages.touch_sources``)."""

    url: str
