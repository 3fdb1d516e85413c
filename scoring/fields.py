"""Reading a value out of an account dict by a field path, and reading numbers out of text.

A path is a top-level account key (``employees``, ``technologies``) or one level into the two
free-form maps: ``facts.stores``, ``social.vk``. Values read from text (facts are strings such
as ``"40"`` or ``"1 200,5"``) are parsed here; a value that is not a number is *missing*, with
the reason, never an exception.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from typing import Any

# The account dict the storage side produces (see docs/segments.md, "Account data").
ACCOUNT_FIELDS = (
    "id",
    "name",
    "domain",
    "country",
    "region",
    "city",
    "industry",
    "employees",
    "revenue",
    "revenue_growth",
    "status",
    "technologies",
    "inn",
    "ogrn",
    "vat",
    "website",
    "phones",
    "social",
    "description",
    "facts",
    "people",
    "company_emails",
)
NESTED_FIELDS = ("facts", "social")
NUMERIC_FIELDS = ("employees", "revenue", "revenue_growth")

# "1 200", "1 200,5", "1,200.5", "40", "-3.5", "12%" (a share: 0.12)
_SPACES = re.compile(r"[\s\u00a0\u202f\u2009']")
_THOUSANDS = re.compile(r"[-+]?\d{1,3}(?:,\d{3})+")
_NUMBER = re.compile(r"[-+]?(?:\d+(?:\.\d*)?|\.\d+)")


def check_path(path: Any) -> str | None:
    """The problem with a field path, or None when the path can be read from an account."""
    if not isinstance(path, str) or not path.strip():
        return "must be a field name such as 'employees' or 'facts.stores'"
    head, _, rest = path.partition(".")
    if head not in ACCOUNT_FIELDS:
        return (
            f"unknown field {path!r}; known: {', '.join(ACCOUNT_FIELDS)}, facts.NAME, social.NAME"
        )
    if rest and head not in NESTED_FIELDS:
        return f"{head!r} has no sub-fields (only facts.NAME and social.NAME do)"
    if head in NESTED_FIELDS and (rest == "" and "." in path or "." in rest):
        return f"{head} takes one key, e.g. '{head}.stores' (or '{head}' for the whole map)"
    return None


def get_path(account: Mapping[str, Any], path: str) -> Any:
    """The raw value at ``path``, None when absent (a missing map or key is not an error)."""
    head, _, rest = path.partition(".")
    value = account.get(head)
    if rest:
        return value.get(rest) if (type(value) is dict or isinstance(value, Mapping)) else None
    return value


def is_missing(value: Any) -> bool:
    """None, empty text, an empty list/map, NaN."""
    if value is None:
        return True
    t = type(value)
    if t is int:
        return False
    if t is str:
        return not value.strip()
    if isinstance(value, str):
        return not value.strip()
    if isinstance(value, float):
        return math.isnan(value)
    if isinstance(value, list | tuple | set | frozenset | dict):
        return not value
    return False


def to_number(value: Any) -> tuple[float | None, str | None]:
    """``(number, None)`` or ``(None, reason)``; booleans are not numbers, NaN/inf are missing."""
    t = type(value)
    if t is int:
        return float(value), None
    if t is float:
        return (value, None) if value - value == 0.0 else (None, f"not a number: {value!r}")
    if value is None:
        return None, "missing"
    if isinstance(value, bool):
        return None, f"not a number: {value!r}"
    if isinstance(value, int | float):
        if isinstance(value, float) and not math.isfinite(value):
            return None, f"not a number: {value!r}"
        return float(value), None
    if not isinstance(value, str):
        return None, f"not a number: {value!r}"
    cached = _PARSED.get(value)
    if cached is None:
        if len(_PARSED) > 65536:
            _PARSED.clear()
        cached = _PARSED[value] = _parse(value)
    return cached


# facts repeat ("40", "yes", "6"): a parsed text is remembered (it is a pure function of it)
_PARSED: dict[str, tuple[float | None, str | None]] = {}


def _parse(value: str) -> tuple[float | None, str | None]:
    text = _SPACES.sub("", value)
    if not text:
        return None, "missing"
    percent = text.endswith("%")
    if percent:
        text = text[:-1]
    if "," in text:
        # "1,200.5" and "12,000" (thousands), "1200,5" / "1,5" (decimal comma)
        thousands = "." in text or _THOUSANDS.fullmatch(text)
        text = text.replace(",", "") if thousands else text.replace(",", ".")
    if not _NUMBER.fullmatch(text):
        return None, f"not a number: {value!r}"
    number = float(text)
    return (number / 100 if percent else number), None
