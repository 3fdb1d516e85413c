"""Company name, description, country and careers presence of one page.

Name, in order of trust: a schema.org Organization (preferring the one whose ``url`` is this
site), ``og:site_name``, a legal-name line ("ООО «Ромашка»", "Muster GmbH" on an impressum),
then the ``<title>`` without its generic page words ("Контакты", "Impressum", "Contact us")
and separators. Country: the page's own evidence (structured address, ccTLD, address format,
``<html lang>``, Cyrillic text) before the caller's default.
"""

from __future__ import annotations

import re
from typing import Any

from lxml import etree
from rapidfuzz import fuzz

from enrichment import registrable_domain
from enrichment.normalize.countries import country_from_domain
from enrichment.normalize.translit import translit_key
from spiders.pages.html import Block
from spiders.pages.structured import text_value

__all__ = ["company_description", "company_name", "has_careers", "infer_country", "site_names"]

_TITLE_SPLIT_RE = re.compile(r"\s+[|–—\-:·•»«/]+\s+|\s*[|•·»]\s*|\s+::\s+")
_GENERIC_PHRASES = {
    p.strip()
    for p in (
        "контакты|контакт|главная|о компании|о нас|наши контакты|связаться с нами|"
        "обратная связь|реквизиты|вакансии|команда|руководство|официальный сайт|kontakt|"
        "kontakte|impressum|startseite|home|über uns|ueber uns|team|datenschutz|anfahrt|"
        "willkommen|contact|contact us|contacts|homepage|about|about us|our team|leadership|"
        "welcome|index|main page|official site|official website|get in touch|unser team|"
        "ansprechpartner|kontaktformular|contact page|сотрудники|наши сотрудники|персонал|"
        "услуги|новости|партнеры|mitarbeiter|leistungen|services|news|careers|jobs|karriere|"
        "meet the team|our people|management|geschäftsführung|vacancies|karriera"
    ).split("|")
}
_RU_LEGAL_RE = re.compile(
    r"(?<![А-Яа-я])(ООО|ОАО|ЗАО|ПАО|АО|НАО|ИП|НКО|ГУП|МУП|ФГУП|АНО)\s*[«\"„“]([^»\"“”]{2,60})[»\"”“]"
)
_DE_LEGAL_RE = re.compile(
    r"^[A-ZÄÖÜ0-9][\w&.,'\- äöüÄÖÜß]{1,60}?\s(?:GmbH\s*&\s*Co\.\s*KG|GmbH|gGmbH|AG|KG|OHG|"
    r"UG\s*\(haftungsbeschränkt\)|e\.\s?K\.|e\.\s?V\.|mbH|SE|GbR|PartG(?:\s?mbB)?)$"
)
_EN_LEGAL_RE = re.compile(
    r"^[A-Z0-9][\w&.,'\- ]{1,60}?,?\s(?:Inc\.?|LLC|L\.L\.C\.|Ltd\.?|Limited|LLP|Corp\.?|"
    r"Corporation|PLC|plc|Co\.)$"
)
_CYR_RE = re.compile(r"[а-яё]", re.IGNORECASE)
_LATIN_RE = re.compile(r"[a-z]", re.IGNORECASE)
_CAREERS_TEXT_RE = re.compile(
    r"^(?:вакансии|карьера|работа у нас|работа в компании|karriere|jobs|stellenangebote|"
    r"offene stellen|stellenanzeigen|careers?|join (?:us|our team)|we'?re hiring|"
    r"job openings|open positions|work with us)\b",
    re.IGNORECASE,
)
_CAREERS_HREF_RE = re.compile(
    r"/(?:careers?|jobs?|vacanc\w*|vakansii|karriere|stellenangebote|stellen|rabota)(?:[/.?#_-]|$)|"
    r"(?:^|//|\.)(?:hh\.ru|headhunter\.ru|jobs\.lever\.co|boards\.greenhouse\.io|"
    r"[\w-]+\.jobs\.personio\.de|[\w-]+\.recruitee\.com|stepstone\.de)",
    re.IGNORECASE,
)


def _meta(root: etree._Element, *keys: str) -> str | None:
    for el in root.iter("meta"):
        key = (el.get("property") or el.get("name") or "").strip().lower()
        if key in keys:
            value = " ".join((el.get("content") or "").split())
            if value:
                return value
    return None


def _org_name(orgs: list[dict[str, Any]], domain: str | None) -> str | None:
    best = None
    for org in orgs:
        name = text_value(org.get("name")) or text_value(org.get("legalName"))
        if not name or len(name) > 100:
            continue
        url = text_value(org.get("url")) or text_value(org.get("@id"))
        if domain and url and registrable_domain(url) == domain:
            return name
        best = best or name
    return best


def _site_name(value: str | None, domain: str | None) -> str | None:
    """og:site_name, without a tagline after a separator ("Agentur X | Soltau")."""
    if not value:
        return None
    parts = [p.strip() for p in _TITLE_SPLIT_RE.split(value) if p.strip()]
    return _best_part(parts, domain) if len(parts) > 1 else value


def _best_part(parts: list[str], domain: str | None) -> str:
    label = (domain or "").split(".", 1)[0].replace("-", "")
    if label:
        scored = [(fuzz.partial_ratio(label, translit_key(p).replace(" ", "")), p) for p in parts]
        score, best = max(scored, key=lambda x: x[0])
        if score >= 70:
            return best
    return min(parts, key=len)


def _legal_line(blocks: list[Block]) -> str | None:
    for block in blocks:
        m = _RU_LEGAL_RE.search(block.text)
        if m:
            return f"{m.group(1)} «{m.group(2).strip()}»"
    for block in blocks:
        text = block.text.strip()
        if len(text) <= 70 and (_DE_LEGAL_RE.match(text) or _EN_LEGAL_RE.match(text)):
            return text
    return None


def _from_title(root: etree._Element, domain: str | None) -> str | None:
    title_el = next(root.iter("title"), None)
    title = " ".join(("".join(title_el.itertext()) if title_el is not None else "").split())
    if not title:
        return None
    parts = [p.strip(" -|:") for p in _TITLE_SPLIT_RE.split(title)]
    parts = [p for p in parts if p and p.casefold() not in _GENERIC_PHRASES and len(p) <= 80]
    if not parts:
        return None
    return parts[0] if len(parts) == 1 else _best_part(parts, domain)


def company_name(root, blocks, orgs, domain) -> str | None:
    """The company's name by the order of trust in the module docstring."""
    return (
        _org_name(orgs, domain)
        or _site_name(_meta(root, "og:site_name"), domain)
        or _legal_line(blocks)
        or _from_title(root, domain)
    )


def site_names(
    root: etree._Element, orgs: list[dict[str, Any]], name: str | None
) -> tuple[str, ...]:
    """Every name the site gives itself: ``name`` (from :func:`company_name`), Organization
    names, ``og:site_name`` and the ``<title>`` parts (with their pieces) that are not
    generic page words. People's extraction must not take one of these for a person."""
    out = [name] if name else []
    for org in orgs:
        out += [v for v in (text_value(org.get("name")), text_value(org.get("legalName"))) if v]
    site = _meta(root, "og:site_name")
    title_el = next(root.iter("title"), None)
    title = " ".join(("".join(title_el.itertext()) if title_el is not None else "").split())
    for value in (site, title):
        if value:
            parts = [p.strip(" -|:") for p in _TITLE_SPLIT_RE.split(value)]
            out += [p for p in parts if p and p.casefold() not in _GENERIC_PHRASES]
    return tuple(dict.fromkeys(n for n in out if len(n) <= 100))


def company_description(root, orgs) -> str | None:
    for org in orgs:
        text = text_value(org.get("description"))
        if text:
            return text[:500]
    text = _meta(root, "description", "og:description")
    return text[:500] if text else None


def has_careers(root: etree._Element, blocks: list[Block]) -> bool:
    """A link or heading announcing vacancies/careers (or a job-board link, e.g. hh.ru)."""
    for el in root.iter("a"):
        href = el.get("href") or ""
        if href and _CAREERS_HREF_RE.search(href):
            return True
        text = " ".join("".join(el.itertext()).split())
        if text and len(text) <= 40 and _CAREERS_TEXT_RE.match(text):
            return True
    for el in root.iter("h1", "h2", "h3", "h4"):
        text = " ".join("".join(el.itertext()).split())
        if len(text) <= 60 and _CAREERS_TEXT_RE.match(text):
            return True
    return False


def _lang_country(root: etree._Element) -> str | None:
    lang = root.get("lang") or root.get("{http://www.w3.org/XML/1998/namespace}lang") or ""
    lang = lang.strip().replace("_", "-").lower()
    if "-" in lang:
        region = lang.split("-", 1)[1][:2]
        if region.isalpha() and len(region) == 2 and not lang.startswith("en-us"):
            return "GB" if region == "uk" and lang.startswith("en") else region.upper()
    return {
        "ru": "RU",
        "de": "DE",
        "uk": "UA",
        "be": "BY",
        "kk": "KZ",
        "pl": "PL",
        "cs": "CZ",
        "fr": "FR",
        "nl": "NL",
        "it": "IT",
        "es": "ES",
    }.get(lang[:2])


def infer_country(
    root, text: str, domain: str | None, structured_country: str | None, address_country: str | None
) -> str | None:
    """The page's own country evidence, most specific first; None when it shows none."""
    if structured_country:
        return structured_country
    by_tld = country_from_domain(domain)
    if by_tld:
        return by_tld
    if address_country:
        return address_country
    by_lang = _lang_country(root)
    if by_lang:
        return by_lang
    sample = text[:20_000]
    cyr, lat = len(_CYR_RE.findall(sample)), len(_LATIN_RE.findall(sample))
    if cyr > 200 and cyr > lat:
        return "RU"
    return None
