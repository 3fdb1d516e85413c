"""The ``company`` spider: companies' own websites, from a list of domains.

    leadgen crawl company --domains domains.txt
    scrapy crawl company -a domains=firma.ru,beispiel-bau.de -a country=RU

For each domain: the home page, then the contact / about / team / leadership / legal (impressum,
реквизиты) / careers pages found by link text and URL in English, Russian and German, and the
ones sitemap.xml lists; at most ``pages_per_site`` pages (default 15) per site, two links deep.
A refresh also gives the pages it read values from before (``-a pages_file=FILE``): they are
asked for again even when no link leads to them any more.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from enrichment import registrable_domain
from spiders.crawlers.base import LeadSpider, site_root
from spiders.pages.links import PAGE_KINDS, classify_link
from storage.records import Problem


def read_domains(text: str, where: str) -> tuple[list[str], list[Problem]]:
    """Domains or URLs, one per line (``#`` comments and blank lines skipped); a line that is not
    a web address is reported with its number and skipped."""
    domains: list[str] = []
    problems: list[Problem] = []
    for number, line in enumerate(text.splitlines(), 1):
        value = line.split("#", 1)[0].strip()
        if not value:
            continue
        if site_root(value) is None or " " in value:
            problems.append(
                Problem(
                    f"{where} line {number}",
                    f"{value!r} is not a domain or website address; skipped",
                )
            )
            continue
        if value not in domains:
            domains.append(value)
    return domains, problems


#: What a known page was read as (``site:<kind>`` in its observations' locator).
KNOWN_KINDS = frozenset({"home", "page", *PAGE_KINDS})


def read_known_pages(
    text: str, where: str
) -> tuple[dict[str, list[tuple[str, str]]], list[Problem]]:
    """Known pages to fetch again: ``URL`` or ``URL<TAB>kind`` per line (kind: home, page,
    contact, about, team, legal, careers; by the URL when not given), grouped by registrable
    domain.  A line that is not a web page address is reported with its number and skipped."""
    pages: dict[str, list[tuple[str, str]]] = {}
    problems: list[Problem] = []
    for number, line in enumerate(text.splitlines(), 1):
        value = line.strip()
        if not value or value.startswith("#"):
            continue
        url, _, kind = value.partition("\t")
        url, kind = url.strip(), kind.strip().lower()
        domain = registrable_domain(url) if url.startswith(("http://", "https://")) else None
        if not domain or " " in url:
            problems.append(
                Problem(f"{where} line {number}", f"{url!r} is not a web page address; skipped")
            )
            continue
        if kind not in KNOWN_KINDS:
            found = classify_link(url)
            kind = found[0] if found else "page"
        known = pages.setdefault(domain, [])
        if all(u != url for u, _ in known):
            known.append((url, kind))
    return pages, problems


class CompanySpider(LeadSpider):
    name = "company"

    def __init__(
        self,
        domains: str | None = None,
        domains_file: str | None = None,
        country: str | None = None,
        pages_per_site: str | int | None = None,
        pages_file: str | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        self.country = country.upper() if country else None
        if pages_per_site:
            self.pages_per_site = int(pages_per_site)
        self.domains: list[str] = []
        if domains:
            found, problems = read_domains(domains.replace(",", "\n"), "-a domains")
            self.domains += found
            self.problems += problems
        if domains_file:
            path = Path(domains_file)
            found, problems = read_domains(path.read_text(encoding="utf-8-sig"), str(path))
            self.domains += [d for d in found if d not in self.domains]
            self.problems += problems
        #: registrable domain -> pages read before, fetched again even when no longer linked
        self.known_pages: dict[str, list[tuple[str, str]]] = {}
        if pages_file:
            path = Path(pages_file)
            self.known_pages, problems = read_known_pages(
                path.read_text(encoding="utf-8-sig"), str(path)
            )
            self.problems += problems
        if not self.domains and not self.problems:
            raise ValueError(
                "the company spider needs domains: -a domains=a.ru,b.de or -a domains_file=FILE"
            )

    def run_parameters(self) -> dict[str, Any]:
        return {
            "domains": len(self.domains),
            "country": self.country,
            "pages_per_site": self.pages_per_site,
            "known_pages": sum(len(v) for v in self.known_pages.values()),
        }

    async def start(self):
        for domain in self.domains:
            for request in self.site_requests(domain, country=self.country, known=self.known_pages):
                yield request
