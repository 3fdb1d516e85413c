"""List spiders, driven by a source definition (``spiders.sources``): list pages with pagination
(next links, ``?page=N``, "load more"), optional detail pages, lists from a JSON API, and
JavaScript-rendered lists through scrapy-playwright; then, when asked, each listed company's own
website (``LeadSpider.site_requests``).
"""

from __future__ import annotations

import json
import re
from typing import Any

import scrapy
from scrapy.http import Response, TextResponse

from enrichment import registrable_domain
from spiders.crawlers.base import LeadSpider
from spiders.items import CompanyItem, PersonItem
from spiders.pages.jsonapi import parse_json_listing
from spiders.pages.listing import ListedCompany
from spiders.pages.reading import read_detail_page, read_list_page
from spiders.sources import SourceConfig, SourceError, load_source
from storage.records import Problem

#: Clicks a "load more" button until it is gone, disabled, or brings nothing new.
#: Arguments: [button selector, entry selector, max clicks].
LOAD_MORE_JS = """
async ([button, entry, maxClicks]) => {
  const count = () => document.querySelectorAll(entry).length;
  for (let i = 0; i < maxClicks; i++) {
    const b = document.querySelector(button);
    if (!b || b.disabled || b.offsetParent === null) return i;
    const before = count();
    b.click();
    let waited = 0;
    while (count() === before && waited < 10000) {
      await new Promise(r => setTimeout(r, 100)); waited += 100;
    }
    if (count() === before) return i;
  }
  return maxClicks;
}
"""

_PHONE_FIELDS = ("phone", "phones", "telephone", "tel", "телефон")
_EMAIL_FIELDS = ("email", "emails", "e-mail", "mail")
_ID_FIELDS = ("inn", "ogrn", "kpp", "vat", "hrb", "ustid")
_PLAIN_FIELDS = ("country", "city", "address", "description", "industry")
#: Labels an exhibitor list writes in front of a booth or hall number ("Stand B12", "Halle 3",
#: "Павильон 2", "Booth #A17"): the number is the value.
_LABELLED = re.compile(
    r"^(?:stand(?:nummer|-?nr\.?)?|booth|hall[e]?|pavilion|pavillon|павильон|стенд|зал|zelt|"
    r"stand no\.?)\s*[:#№.]?\s*(?=\S)",
    re.IGNORECASE,
)
_BOOTH_FIELDS = ("booth", "stand", "hall", "pavilion")


def _values(value: Any) -> list[str]:
    if value is None:
        return []
    if isinstance(value, (list, tuple)):
        return [str(v).strip() for v in value if str(v).strip()]
    text = str(value).strip()
    return [text] if text else []


class ListSpider(LeadSpider):
    """Base of the ``directory`` and ``exhibitors`` spiders (``-a source=FILE.toml``)."""

    def __init__(self, source: str | None = None, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        if not source:
            raise SourceError(
                f"the {self.name} spider needs a source definition: -a source=FILE.toml"
            )
        self.source: SourceConfig = load_source(source)
        if self.source.spider != self.name:
            raise SourceError(
                f"{source}: this source is for the {self.source.spider} spider, not {self.name}"
            )
        self.country = self.source.country
        self.pages_per_site = self.source.pages_per_site
        self.list_pages = 0
        self._list_seen: set[str] = set()
        self._block_path: str | None = None
        self._list_domains = {registrable_domain(u) for u in self.source.start_urls}

    @classmethod
    def from_crawler(cls, crawler, *args: Any, **kwargs: Any):
        spider = super().from_crawler(crawler, *args, **kwargs)
        if spider.source.render:  # settings are applied after the spider is created
            crawler.settings.set(
                "DOWNLOAD_HANDLERS",
                crawler.settings.getdict("PLAYWRIGHT_DOWNLOAD_HANDLERS"),
                priority="spider",
            )
        return spider

    def run_parameters(self) -> dict[str, Any]:
        return self.source.parameters()

    async def start(self):
        for url in self.source.start_urls:
            request = self.list_request(url)
            if request is not None:
                yield request

    # -- list pages ----------------------------------------------------------------------------
    def list_request(self, url: str) -> scrapy.Request | None:
        if url in self._list_seen:
            return None
        if self.list_pages >= self.source.max_pages:
            self.crawler.stats.inc_value("leadgen/dropped/max_pages")
            return None
        self._list_seen.add(url)
        self.list_pages += 1
        meta: dict[str, Any] = {"listing": True}
        callback = self.parse_api if self.source.api else self.parse_list
        if self.source.render:
            from scrapy_playwright.page import PageMethod

            methods = []
            entry = self.source.wait_for or (self.source.list.item if self.source.list else None)
            if self.source.wait_for:
                methods.append(PageMethod("wait_for_selector", self.source.wait_for))
            if self.source.load_more and entry:
                methods.append(
                    PageMethod(
                        "evaluate",
                        LOAD_MORE_JS,
                        [self.source.load_more, entry, self.source.max_pages],
                    )
                )
            meta.update(
                playwright=True,
                playwright_page_methods=methods,
                playwright_page_goto_kwargs={"wait_until": "networkidle"},
                # A rendered page is its HTML plus the data its scripts fetched: an unchanged
                # HTML (304) says nothing about that data, so the HTTP cache is not used.
                dont_cache=True,
            )
        # Filtered like any request: a resumed crawl must not fetch its start page again.
        return scrapy.Request(url, callback=callback, errback=self.on_error, meta=meta, priority=10)

    async def parse_list(self, response: Response) -> list:
        # A coroutine returning a list (see LeadSpider.parse_site_page).
        if not isinstance(response, TextResponse):
            self.problems.append(Problem(response.url, "the list page is not text/HTML"))
            return []
        page = await self.pool.run(
            read_list_page, response.text, response.url, self.source.list, self._block_path
        )
        if page.block_path and not self._block_path:
            self._block_path = page.block_path  # the template's entry blocks, for later pages
        if not page.items:
            self.problems.append(Problem(response.url, "no list entries found on this page"))
        self.crawler.stats.inc_value("leadgen/list_entries", len(page.items))
        out: list = []
        for entry in page.items:
            if entry.url and entry.url != response.url:
                out.append(
                    scrapy.Request(
                        entry.url,
                        callback=self.parse_detail,
                        errback=self.detail_failed,
                        priority=8,
                        meta={"listed": entry, "list_url": response.url, "listing": True},
                    )
                )
            else:
                out.extend(self.listed(entry, response.url))
        for url in page.next_pages:
            request = self.list_request(url)
            if request is not None:
                out.append(request)
        return out

    def parse_api(self, response: Response):
        try:
            data = json.loads(
                response.text
                if isinstance(response, TextResponse)
                else response.body.decode("utf-8")
            )
        except (ValueError, UnicodeDecodeError) as exc:
            self.problems.append(Problem(response.url, f"the API answer is not JSON ({exc})"))
            return
        entries, next_url = parse_json_listing(data, response.url, self.source.api)
        if not entries:
            self.crawler.stats.inc_value("leadgen/api_empty_pages")
        self.crawler.stats.inc_value("leadgen/list_entries", len(entries))
        for entry in entries:
            yield from self.listed(entry, response.url)
        if next_url:
            request = self.list_request(next_url)
            if request is not None:
                yield request

    # -- detail pages --------------------------------------------------------------------------
    async def parse_detail(self, response: Response) -> list:
        entry: ListedCompany = response.meta["listed"]
        if not isinstance(response, TextResponse):
            return list(self.listed(entry, response.meta["list_url"]))
        detail, extract = await self.pool.run(
            read_detail_page, response.text, response.url, self.source.detail, self.source.country
        )
        merged = ListedCompany(
            name=(detail.name if detail and detail.name else None) or entry.name,
            url=response.url,
            website=(detail.website if detail and detail.website else None) or entry.website,
            fields={**entry.fields, **(detail.fields if detail else {})},
            locator=f"detail page of {entry.locator} on {response.meta['list_url']}",
        )
        return list(self.listed(merged, response.url, extract=extract))

    def detail_failed(self, failure):
        """The detail page failed: report it, and keep what the list said."""
        self.record_failure(failure, suffix="; stored what the list page said")
        request = failure.request
        yield from self.listed(request.meta["listed"], request.meta["list_url"])

    # -- one listed company --------------------------------------------------------------------
    def listed(self, entry: ListedCompany, source_url: str, *, extract=None):
        item = CompanyItem(
            source_url=source_url,
            extractor=self.name,
            locator=entry.locator or "list entry",
            name=entry.name,
            country=self.source.country,
            region=self.source.country,
        )
        website = entry.website
        if website and registrable_domain(website) in self._list_domains:
            website = None  # a link back to the directory itself
        item.website = website
        facts: dict[str, Any] = {"list": self.source.name}
        for key, value in entry.fields.items():
            k = key.strip().lower()
            values = _values(value)
            if not values:
                continue
            if k in _PHONE_FIELDS:
                item.phones += values
            elif k in _EMAIL_FIELDS:
                item.emails += values
            elif k in _ID_FIELDS:
                item.registration_ids[k] = values[0]
            elif k in _PLAIN_FIELDS:
                setattr(item, k, "; ".join(values) if k == "industry" else values[0])
            elif k == "website":
                item.website = item.website or values[0]
            else:
                if k in _BOOTH_FIELDS:
                    values = [_LABELLED.sub("", v) for v in values]
                facts[k] = values if len(values) > 1 or isinstance(value, list) else values[0]
        if "categories" in facts and not item.industry:
            item.industry = "; ".join(_values(facts["categories"]))
        item.facts = facts
        if extract is not None:
            company = extract.company
            item.phones += [p for p in company.phones if p not in item.phones]
            item.emails += company.emails
            for key, value in company.registration_ids.items():
                item.registration_ids.setdefault(key, value)
            item.address = item.address or company.address
            item.people = [
                PersonItem(name=p.name, title=p.title, emails=list(p.emails), phones=list(p.phones))
                for p in extract.people
            ]
        # The list's own addresses (ads, support) are not the listed company's.
        item.emails = [
            e
            for e in dict.fromkeys(item.emails)
            if registrable_domain(e.rpartition("@")[2]) not in self._list_domains
        ]
        yield item
        if item.website and self.source.follow_websites:
            yield from self.site_requests(item.website, country=item.country, referer=source_url)


class DirectorySpider(ListSpider):
    """Business directories and member lists: ``leadgen crawl directory --source FILE.toml``."""

    name = "directory"


class ExhibitorsSpider(ListSpider):
    """Trade-show exhibitor lists (HTML, JSON API or JavaScript-rendered) with booth, hall and
    categories: ``leadgen crawl exhibitors --source FILE.toml``."""

    name = "exhibitors"
