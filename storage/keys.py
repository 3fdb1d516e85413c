"""Natural keys shared by the merge rules: city keys, key compatibility, person identities."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from storage.records import COMPANY_KEY_FIELDS

# "г. Москва", "гор. Москва", "город Москва" are one city in Russian registers and CRM exports.
_CITY_PREFIX = re.compile(r"^(?:г\.|гор\.|город\s|г\s)\s*", re.IGNORECASE)
_SPACE = re.compile(r"\s+")


def city_key(city: str | None) -> str:
    """Case-, space- and ё-folded city name without the Russian "г." prefix; "" for none."""
    if not city:
        return ""
    key = _SPACE.sub(" ", city.strip().casefold().replace("ё", "е"))
    return _CITY_PREFIX.sub("", key).strip()


def text_key(text: str | None) -> str | None:
    """Case-, space- and ё-folded text for equality filters (industry); None for none."""
    if not text or not text.strip():
        return None
    return _SPACE.sub(" ", text.strip().casefold().replace("ё", "е"))


def compatible_keys(
    a: Mapping[str, Any], b: Mapping[str, Any], stronger_than: str | None = None
) -> bool:
    """False when the two sides carry different values for a strong company key.

    With ``stronger_than``, only the keys ranked above it count: a match by INN holds unless
    the domains differ; a match by domain holds whatever the INNs say (the INN is then reported
    as a conflict).  Ranks: domain, INN, OGRN, VAT (``COMPANY_KEY_FIELDS``).
    """
    keys = COMPANY_KEY_FIELDS
    if stronger_than is not None:
        keys = keys[: keys.index(stronger_than)]
    for key in keys:
        va, vb = a.get(key), b.get(key)
        if va and vb and va != vb:
            return False
    return True


def person_identity(company: str, name_key: str) -> str:
    """What the suppression list remembers of an erased person: company domain + name key."""
    return f"{company}|{name_key}"
