"""The company's postal address: schema.org PostalAddress first, else a careful text match.

The text heuristic accepts a line (or a street line followed by a postcode line) only when
it has both a postcode in its country's format and a street word: Russian "123456, г. Москва,
ул. Ленина, д. 1" (6-digit индекс, ГОСТ Р 6.30 / Почта России address order), German
"Musterstraße 1, 80331 München" (5-digit PLZ), US "1901 Lemur Ave, Sunnyvale, CA 94086"
(ZIP after a state code), UK "… Street, London SW1A 1AA". Anything longer than 200
characters is prose, not an address.
"""

from __future__ import annotations

import re
from typing import Any

from enrichment.normalize.countries import normalize_country
from spiders.pages.html import Block
from spiders.pages.structured import text_value

__all__ = ["address_country", "find_address", "structured_address"]

MAX_LINE = 200

_RU_RE = re.compile(
    r"(?<!\d)\d{6}(?!\d).*(?:\bг\.|город|\bул\.|улица|просп|пр-т|\bпер\.|переулок|шоссе|"
    r"\bнаб\.|бульвар|\bд\.\s*\d|\bдом\b)|(?:\bг\.|\bул\.|улица|просп).*(?<!\d)\d{6}(?!\d)",
    re.IGNORECASE,
)
_DE_STREET_RE = re.compile(
    r"[A-ZÄÖÜ][\wäöüß\-]*(?:straße|strasse|str\.|weg|platz|allee|gasse|ring|damm|ufer|chaussee"
    r"|markt|steig|pfad)\s+\d+\s?[a-z]?\b|\b(?:Am|An der|Im|In der|Zum|Zur|Auf dem)\s+[A-ZÄÖÜ]\w+"
    r"\s+\d+\s?[a-z]?\b",
)
_DE_PLZ_RE = re.compile(r"(?<![\d.,])(?:D-)?\d{5}\s+[A-ZÄÖÜ][a-zäöüß]+")
_US_RE = re.compile(
    r"\b\d{1,6}\s+(?:[A-Z0-9][\w.'\-]*\s+){0,5}(?:Street|St\.?|Avenue|Ave\.?|Road|Rd\.?|"
    r"Boulevard|Blvd\.?|Drive|Dr\.?|Lane|Ln\.?|Way|Suite|Ste\.?|Parkway|Pkwy\.?|Highway|Hwy\.?|"
    r"Court|Ct\.?|Place|Pl\.?|Plaza|Circle|Square|Terrace|Pike)\b.*?\b[A-Z]{2}\.?\s+\d{5}"
    r"(?:-\d{4})?\b"
)
_UK_RE = re.compile(
    r"\b\d{1,4}\s+\w.*(?:Street|Road|Lane|Avenue|Way|Place|Square|House|Court|Park)\b.*"
    r"\b[A-Z]{1,2}\d[A-Z\d]?\s*\d[A-Z]{2}\b"
)
_COUNTRY_WORD_RE = re.compile(
    r"\b(?:Россия|Российская Федерация|РФ|Deutschland|Germany|USA|United States|"
    r"United Kingdom|UK|Österreich|Schweiz|Беларусь|Казахстан|Украина)\b"
)


def structured_address(addresses: list[dict[str, Any]]) -> tuple[str | None, str | None]:
    """(one-line address, ISO country) of the first PostalAddress with a street or town."""
    for item in addresses:
        street = text_value(item.get("streetAddress"))
        town = text_value(item.get("addressLocality"))
        if not street and not town:
            continue
        region = text_value(item.get("addressRegion"))
        postcode = text_value(item.get("postalCode"))
        country_raw = text_value(item.get("addressCountry"))
        place = " ".join(p for p in (postcode, town) if p)
        if region and postcode and region.isupper() and len(region) == 2:
            place = f"{town}, {region} {postcode}" if town else f"{region} {postcode}"
        elif region:
            place = ", ".join(p for p in (place, region) if p)
        parts = [p for p in (street, place, country_raw) if p]
        return ", ".join(parts), normalize_country(country_raw) if country_raw else None
    return None, None


_POSTCODE_HINT_RE = re.compile(r"\d{4}|\b[A-Z]{1,2}\d[A-Z\d]?\s*\d[A-Z]{2}\b")


def _line_match(text: str) -> str | None:
    if len(text) > MAX_LINE or not _POSTCODE_HINT_RE.search(text):
        return None  # every accepted format has a 5/6-digit postcode or a UK postcode
    if _RU_RE.search(text):
        return "RU"
    if _DE_STREET_RE.search(text) and _DE_PLZ_RE.search(text):
        return "DE"
    if _US_RE.search(text):
        return "US"
    if _UK_RE.search(text):
        return "GB"
    return None


def find_address(blocks: list[Block]) -> tuple[str | None, str | None]:
    """(address, country by its format) from the visible text, or (None, None)."""
    for i, block in enumerate(blocks):
        text = block.text.strip(" ,;")
        country = _line_match(text)
        if country:
            return _trim(text), country
        if i + 1 < len(blocks) and len(text) <= 80:
            nxt = blocks[i + 1].text.strip(" ,;")
            joined = f"{text}, {nxt}"
            # "Heidjerweg 1" / "29614 Soltau"; "1901 Lemur Ave" / "Sunnyvale, CA 94086"
            if len(nxt) <= 80 and not _line_match(nxt):
                country = _line_match(joined)
                if country:
                    return _trim(joined), country
    return None, None


def _trim(text: str) -> str:
    text = re.sub(
        r"^(?:адрес|address|anschrift|adresse|офис|office)\s*[:.]?\s*",
        "",
        text,
        flags=re.IGNORECASE,
    )
    return text.strip(" ,;")


def address_country(address: str | None) -> str | None:
    """Country named in an address line ("…, Deutschland"), if any."""
    if not address:
        return None
    m = _COUNTRY_WORD_RE.search(address)
    return normalize_country(m.group(0)) if m else None
