"""Which links of a company's own website to follow: contact, team, legal, about, careers.

A company site is crawled shallowly; these pages hold the people, phones, e-mails and
registry ids we want.  Links are classified by anchor text first, then by URL path segments
(EN/DE/RU, Cyrillic and transliterated paths: "/kontakty/", "/o-kompanii/", "/rekvizity/").
Priority (lower = fetch first): team, contact, legal, then about, careers.  The Impressum is a
legal page (§ 5 DDG obliges German sites to publish name, address and managing directors
there), never a contact page; privacy, cookie, login, cart and search pages are useless.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from urllib.parse import unquote, urlsplit, urlunsplit

from parsel import Selector
from w3lib.html import get_base_url

from enrichment import registrable_domain
from spiders.pages.listing import absolute, norm

__all__ = ["PAGE_KINDS", "SiteLink", "classify_link", "site_links"]

PAGE_KINDS = ("contact", "about", "team", "legal", "careers")
_PRIORITY = {"team": 0, "contact": 1, "legal": 2, "about": 3, "careers": 4}

# Anchor texts (folded: casefold, ё -> е) and URL path segments per kind.
_TEXTS = {
    "legal": "реквизиты|impressum|imprint|legal notice|legal|правовая информация|юридическая "
             "информация|реквизиты компании|anbieterkennzeichnung",
    "team": "команда|руководство|сотрудники|наша команда|team|our team|the team|leadership|"
            "management|our people|people|geschäftsführung|ansprechpartner|mitarbeiter|"
            "unser team|das team|management team|meet the team|staff",
    "contact": "контакты|связаться|связаться с нами|обратная связь|contacts|contact|contact us|"
               "kontakt|kontakte|kontaktieren sie uns|get in touch",
    "about": "о компании|о нас|about|about us|company|über uns|unternehmen|das unternehmen|"
             "wir über uns|who we are|компания|о фирме|история",
    "careers": "вакансии|карьера|работа у нас|karriere|jobs|stellenangebote|careers|career|"
               "join us|work with us|jobs & karriere",
}  # fmt: skip
_SLUGS = {
    "legal": "impressum|imprint|rekvizity|requisites|rekvizity-kompanii|legal|legal-notice|"
             "legal-information|pravovaya-informaciya|pravovaya-informatsiya|реквизиты",
    "team": "team|our-team|ourteam|unser-team|komanda|nasha-komanda|rukovodstvo|sotrudniki|"
            "leadership|management|management-team|people|our-people|staff|"
            "geschaeftsfuehrung|geschaftsfuhrung|ansprechpartner|mitarbeiter|команда|руководство",
    "contact": "contact|contacts|contact-us|contactus|kontakt|kontakte|kontakty|kontakti|"
               "svyaz|obratnaya-svyaz|svyazatsya|контакты",
    "about": "about|about-us|aboutus|o-kompanii|o_kompanii|okompanii|o-nas|company|"
             "ueber-uns|uber-uns|über-uns|unternehmen|wir-ueber-uns|who-we-are|о-компании",
    "careers": "careers|career|jobs|vakansii|karera|kariera|karriere|stellenangebote|"
               "work-with-us|join-us|вакансии|карьера",
}  # fmt: skip
# Never useful: privacy/cookies (GDPR boilerplate), accounts, carts, search (text or path).
_EXCLUDE = re.compile(
    r"privacy|datenschutz|cookie|konfidentsialn|konfidencialn|конфиденциальн|персональных"
    r"|personal-data|gdpr|dsgvo|login|log-in|logout|signin|sign-in|signup|sign-up|register"
    r"|registr|account|cart|basket|warenkorb|korzina|корзин|checkout|kasse|search|suche|poisk"
    r"|поиск|wp-admin|wp-login|войти|вход|регистрац|anmelden|abmelden|agb|terms|disclaimer",
    re.I,
)
_FILES = re.compile(
    r"\.(?:pdf|jpe?g|png|gif|svg|webp|bmp|ico|zip|rar|7z|gz|tgz|tar|docx?|xlsx?|pptx?|odt|rtf"
    r"|csv|mp[34]|avi|mov|wmv|exe|dmg|apk|ics|vcf|xml|json|css|js)$",
    re.I,
)


def _fold(text: str) -> str:
    return norm(text).casefold().replace("ё", "е").strip(" .:|›»→-")


_TEXT_KIND = {w: k for k, words in _TEXTS.items() for w in words.split("|")}
_SLUG_KIND = {w: k for k, words in _SLUGS.items() for w in words.split("|")}
# The known words of more than 3 letters as whole words inside a longer anchor text, longest
# first (the longest found names the kind: "unser team" before "team").
_PHRASE_RE = re.compile(
    r"(?<!\w)(?:"
    + "|".join(
        re.escape(p) for p in sorted((p for p in _TEXT_KIND if len(p) > 3), key=len, reverse=True)
    )
    + r")(?!\w)"
)
_STEM_SUFFIX = re.compile(r"\.(?:html?|php|aspx?|jsp)$")


def classify_link(url: str, text: str = "") -> tuple[str, int] | None:
    """(kind, priority) of a link by its anchor text, then its URL path; None = skip it."""
    if not isinstance(url, str) or not isinstance(text, (str, type(None))):
        return None
    return _classify(url, text or "")


@lru_cache(maxsize=16384)  # a site's menu repeats on every page
def _classify(url: str, text: str) -> tuple[str, int] | None:
    if not isinstance(url, str):
        return None
    text = _fold(text) if isinstance(text, str) else ""
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return None
    path = unquote(parts.path).casefold()
    if parts.scheme not in ("http", "https", "") or _FILES.search(path):
        return None
    if _EXCLUDE.search(f"{path} {parts.query} {text}"):
        return None
    kind = _TEXT_KIND.get(text) if len(text) <= 40 else None
    if kind is None:  # the last path segment names the page ("/company/acme/" is no about)
        stems = [_STEM_SUFFIX.sub("", s) for s in path.split("/") if s]
        stems = [s for s in stems if s not in ("index", "default")]
        kind = _SLUG_KIND.get(stems[-1]) if stems else None
    if kind is None and text:  # "Kontakt & Anfahrt", "Наши контакты": a known word inside
        found = _PHRASE_RE.findall(text)
        if found:
            kind = _TEXT_KIND[max(found, key=len)]
    return (kind, _PRIORITY[kind]) if kind else None


@dataclass(frozen=True, slots=True)
class SiteLink:
    url: str
    kind: str
    priority: int


def _key(url: str) -> str:
    parts = urlsplit(url)
    host = (parts.hostname or "").removeprefix("www.")
    return urlunsplit(("", host, parts.path.rstrip("/") or "/", parts.query, ""))


def site_links(html: str, url: str) -> list[SiteLink]:
    """Classified links to pages of the same registrable domain, deduplicated, by priority."""
    if not isinstance(html, str) or not html.strip() or not isinstance(url, str):
        return []
    try:
        doc = Selector(text=html[:8_000_000])
        base = get_base_url(html, url)
    except Exception:
        return []
    domain = registrable_domain(url)
    here = absolute(url, url)
    found: dict[str, tuple[int, int, SiteLink]] = {}
    for order, a in enumerate(doc.xpath("//a[@href] | //area[@href]")):
        link = absolute(base, a.attrib.get("href"))
        if not link or link == here or domain is None or registrable_domain(link) != domain:
            continue
        text = " ".join(a.xpath(".//text()").getall()) or a.attrib.get("title", "")
        text = text if norm(text) else " ".join(a.xpath(".//img/@alt").getall())
        result = classify_link(link, text)
        if result is None:
            continue
        key = _key(link)
        if key == _key(here or "") or (key in found and found[key][0] <= result[1]):
            continue
        first = found[key][1] if key in found else order
        found[key] = (result[1], first, SiteLink(link, result[0], result[1]))
    return [link for _, _, link in sorted(found.values(), key=lambda x: (x[0], x[1]))]
