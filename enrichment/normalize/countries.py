"""Country names and codes to ISO 3166-1 alpha-2, in English, Russian and German.

The names come from pycountry (the ISO 3166 data and its Debian iso-codes translations), so
"Россия", "Российская Федерация", "Russia", "RUS", "RU" and "Deutschland" all resolve; a few
everyday short forms that ISO does not list are added below with where they are used.
"""

from __future__ import annotations

import gettext
import re
from functools import cache, lru_cache

# Everyday names missing from ISO's official ones (CRM exports and directory pages use them).
_EXTRA = {
    "россия": "RU",
    "рф": "RU",
    "russia": "RU",
    "германия": "DE",
    "фрг": "DE",
    "usa": "US",
    "сша": "US",
    "america": "US",
    "uk": "GB",
    "great britain": "GB",
    "england": "GB",
    "великобритания": "GB",
    "англия": "GB",
    "deutschland": "DE",
    "österreich": "AT",
    "schweiz": "CH",
    "беларусь": "BY",
    "белоруссия": "BY",
    "республика беларусь": "BY",
    "казахстан": "KZ",
    "республика казахстан": "KZ",
    "south korea": "KR",
    "korea": "KR",
    "czech republic": "CZ",
    "türkei": "TR",
    "турция": "TR",
    "vietnam": "VN",
    "iran": "IR",
    "taiwan": "TW",
    "moldova": "MD",
    "молдова": "MD",
}
_FOLD = re.compile(r"[\s.,()'\"-]+")


def _fold(text: str) -> str:
    return _FOLD.sub(" ", text.casefold().replace("ё", "е")).strip()


@cache
def _names() -> dict[str, str]:
    import pycountry

    table: dict[str, str] = {}
    translations = [
        gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=[lang], fallback=True)
        for lang in ("ru", "de")
    ]
    for c in pycountry.countries:
        names = {c.name, getattr(c, "official_name", c.name), getattr(c, "common_name", c.name)}
        for name in list(names):
            names.update(t.gettext(name) for t in translations)
        for name in names:
            table.setdefault(_fold(name), c.alpha_2)
        table.setdefault(c.alpha_3.casefold(), c.alpha_2)
        table.setdefault(c.alpha_2.casefold(), c.alpha_2)
    for name, code in _EXTRA.items():
        table[_fold(name)] = code
    return table


@lru_cache(maxsize=4096)
def normalize_country(text: str | None) -> str | None:
    """ISO 3166-1 alpha-2 code for a country name or code, or None when unknown."""
    if not text or not text.strip():
        return None
    return _names().get(_fold(text))


# Country-code top-level domains whose country we can take as a phone-number region hint.
_CCTLD_EXCEPTIONS = {"uk": "GB", "su": "RU", "рф": "RU", "xn--p1ai": "RU"}
_NOT_COUNTRIES = {"io", "co", "me", "tv", "ai", "ly", "to", "fm", "ws", "cc", "eu", "am"}


def country_from_domain(domain: str | None) -> str | None:
    """Region hint from a ccTLD (``romashka.ru`` → RU); None for generic or vanity TLDs."""
    if not domain or "." not in domain:
        return None
    tld = domain.rsplit(".", 1)[1].lower()
    if tld in _CCTLD_EXCEPTIONS:
        return _CCTLD_EXCEPTIONS[tld]
    if len(tld) != 2 or tld in _NOT_COUNTRIES:
        return None
    return tld.upper()
