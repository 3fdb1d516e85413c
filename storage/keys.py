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


def compatible_keys(a: Mapping[str, Any], b: Mapping[str, Any]) -> bool:
    """False when the two sides carry different values for any strong company key."""
    for key in COMPANY_KEY_FIELDS:
        va, vb = a.get(key), b.get(key)
        if va and vb and va != vb:
            return False
    return True


def person_identity(company: str, name_key: str) -> str:
    """What the suppression list remembers of an erased person: company domain + name key."""
    return f"{company}|{name_key}"
