"""Company contact data and people of one HTML page: the facade the crawl and the CLI call.

``extract_page(html, url)`` is a pure function of the page: the HTML is decoded (bytes) and
parsed once, and every field extractor reads the same lxml tree and visible-text blocks
(:mod:`spiders.pages.html`). Values are normalized with :mod:`enrichment`: e-mails
lowercased, phones E.164 with an extension kept apart as ``;ext=`` (RFC 3966), people's
names split and titles classified.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import urlsplit

from enrichment import registrable_domain
from spiders.pages.address import address_country, find_address, structured_address
from spiders.pages.emails import find_emails
from spiders.pages.html import decode_html, parse_page
from spiders.pages.people import Candidate, find_people
from spiders.pages.phones import find_phones
from spiders.pages.profile import (
    company_description,
    company_name,
    has_careers,
    infer_country,
    site_names,
)
from spiders.pages.registration import find_registration_ids
from spiders.pages.social import find_social
from spiders.pages.structured import read_structured
from spiders.pages.technologies import find_technologies

__all__ = ["CompanyData", "PageExtract", "PersonData", "decode_html", "extract_page"]


@dataclass(slots=True)
class CompanyData:
    name: str | None = None
    domain: str | None = None
    website: str | None = None
    emails: list[str] = field(default_factory=list)
    phones: list[str] = field(default_factory=list)  # E.164, extension as ";ext=NNN"
    address: str | None = None
    country: str | None = None  # ISO 3166-1 alpha-2
    registration_ids: dict[str, str] = field(default_factory=dict)
    social: dict[str, str] = field(default_factory=dict)
    technologies: list[str] = field(default_factory=list)
    careers: bool = False
    description: str | None = None


@dataclass(slots=True)
class PersonData:
    name: str
    first_name: str | None = None
    middle_name: str | None = None
    last_name: str | None = None
    title: str | None = None
    seniority: str | None = None
    department: str | None = None
    is_decision_maker: bool | None = None
    emails: list[str] = field(default_factory=list)
    phones: list[str] = field(default_factory=list)


@dataclass(slots=True)
class PageExtract:
    url: str
    company: CompanyData
    people: list[PersonData] = field(default_factory=list)

    def to_dict(self) -> dict:
        """The JSON shape of issue 3: {"url", "company": {...}, "people": [{...}]}."""
        c = self.company
        return {
            "url": self.url,
            "company": {
                "name": c.name,
                "domain": c.domain,
                "website": c.website,
                "emails": list(c.emails),
                "phones": list(c.phones),
                "address": c.address,
                "country": c.country,
                "registration_ids": dict(c.registration_ids),
                "social": dict(c.social),
                "technologies": list(c.technologies),
                "careers": c.careers,
                "description": c.description,
            },
            "people": [
                {
                    "name": p.name,
                    "first_name": p.first_name,
                    "middle_name": p.middle_name,
                    "last_name": p.last_name,
                    "title": p.title,
                    "seniority": p.seniority,
                    "department": p.department,
                    "is_decision_maker": p.is_decision_maker,
                    "emails": list(p.emails),
                    "phones": list(p.phones),
                }
                for p in self.people
            ],
        }


def _website(url: str) -> str | None:
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return None
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return None
    host = parts.hostname.lower()
    port = f":{parts.port}" if parts.port and parts.port not in (80, 443) else ""
    return f"{parts.scheme}://{host}{port}/"


def _person(c: Candidate) -> PersonData:
    info = c.info
    return PersonData(
        name=c.name.full,
        first_name=c.name.first,
        middle_name=c.name.middle,
        last_name=c.name.last,
        title=c.title,
        seniority=info.seniority if info else None,
        department=info.department if info else None,
        is_decision_maker=info.is_decision_maker if info else c.decides,
        emails=list(dict.fromkeys(c.emails)),
        phones=list(dict.fromkeys(c.phones)),
    )


def extract_page(
    html: str | bytes, url: str, *, country: str | None = None, encoding: str | None = None
) -> PageExtract:
    """Company data and people of one page; odd input gives empty fields, never an exception.

    ``country`` (ISO alpha-2) is the phone region to assume when the page shows none of its
    own; ``encoding`` is the HTTP header charset for ``bytes`` input.
    """
    url = url if isinstance(url, str) else ""
    if isinstance(html, bytes | bytearray):
        html = decode_html(bytes(html), encoding)
    elif not isinstance(html, str):
        html = ""
    page = parse_page(html, url)
    root, blocks = page.root, page.blocks
    domain = registrable_domain(url) if url else None
    data = read_structured(root, url)

    address, struct_country = structured_address(data.addresses)
    text_country = None
    if address is None:
        address, text_country = find_address(blocks)
    found_country = infer_country(
        root, page.text, domain, struct_country, address_country(address) or text_country
    )
    default = country.strip().upper() if isinstance(country, str) and country.strip() else None
    company_country = found_country or default
    region = default or found_country

    company = CompanyData(
        name=company_name(root, blocks, data.organizations, domain),
        domain=domain,
        website=_website(url),
        emails=find_emails(root, blocks),
        phones=find_phones(root, blocks, region),
        address=address,
        country=company_country,
        registration_ids=find_registration_ids(page.text),
        social=find_social(root),
        technologies=find_technologies(root),
        careers=has_careers(root, blocks),
        description=company_description(root, data.organizations),
    )
    own_names = site_names(root, data.organizations, company.name)
    people = [_person(c) for c in find_people(blocks, data.persons, region, own_names)]
    return PageExtract(url=url, company=company, people=people)
