"""One small function per criterion kind: ``(value, criterion) -> (raw points, seen, note)``.

``seen`` is the value the criterion looked at (a parsed number, the matched keywords, ...);
``note`` is a short code the explanation turns into a sentence (``scoring.model``): ``missing``,
``unreadable: <why>``, ``band <min>``, ``below``, ``category``, ``other``, ``match``,
``no match``, ``yes``, ``no``. None of them raises on odd input: a value of the wrong type is
treated as missing and says why.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

from scoring.config import Criterion
from scoring.fields import is_missing, to_number

Result = tuple[float, Any, str]

_NO = frozenset({"no", "n", "false", "0", "нет", "nein", "-", "none", "keine"})


def score_bands(value: Any, c: Criterion) -> Result:
    """The points of the highest band whose ``min`` the number reaches; 0 below the first."""
    t = type(value)
    if t is int or (t is float and value - value == 0.0):
        number = value
    elif is_missing(value):
        return c.missing, None, "missing"
    else:
        number, reason = to_number(value)
        if number is None:
            return c.missing, value, f"unreadable: {reason}"
    for low, band_points in reversed(c.bands):
        if number >= low:
            return band_points, number, "band"
    return 0.0, number, "below"


def band_of(number: float, c: Criterion) -> float | None:
    """The ``min`` of the band a number falls in (None below every band)."""
    for low, _ in reversed(c.bands):
        if number >= low:
            return low
    return None


def score_categories(value: Any, c: Criterion) -> Result:
    """The points listed for the value (case ignored); for a list, its best value; else other."""
    if is_missing(value):
        return c.missing, None, "missing"
    table = _table(c.points)  # type: ignore[arg-type]
    if isinstance(value, list | tuple):
        best: tuple[float, Any] | None = None
        for item in value:
            if isinstance(item, str) and item.strip().casefold() in table:
                p = table[item.strip().casefold()]
                if best is None or p > best[0]:
                    best = (p, item)
        if best is None:
            return c.other, list(value), "other"
        return best[0], best[1], "category"
    if not isinstance(value, str | int | float) or isinstance(value, bool):
        return c.missing, value, f"unreadable: not a category: {value!r}"
    key = str(value).strip().casefold()
    if key in table:
        return table[key], value, "category"
    return c.other, value, "other"


@lru_cache(maxsize=256)
def _table(points: tuple[tuple[str, float], ...]) -> dict[str, float]:
    return dict(points)


@lru_cache(maxsize=256)
def _spelling(keywords: tuple[str, ...]) -> dict[str, str]:
    return {k.casefold(): k for k in keywords}


@lru_cache(maxsize=256)
def _keyword_re(keywords: tuple[str, ...]) -> re.Pattern[str]:
    # Longest first so "amocrm" wins over "crm"; whole words only ("crm" not in "crmtools").
    alternatives = "|".join(re.escape(k) for k in sorted(keywords, key=len, reverse=True))
    return re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)", re.IGNORECASE)


def _find(keywords: tuple[str, ...], text: str) -> tuple[str, ...]:
    # Technology lists and stock phrases repeat across accounts: the criterion's memo keeps
    # what was found per text (the caller copies the list it hands out).
    spelled = _spelling(keywords)
    return tuple(sorted({spelled[m.casefold()] for m in _keyword_re(keywords).findall(text)}))


def score_keywords(value: Any, c: Criterion) -> Result:
    """Keywords found as whole words in the text (or in the list's items), case ignored.

    ``mode = "any"``: ``points`` once when at least one matches; ``"each"``: ``points`` per
    distinct keyword found. Nothing found: ``none`` points.
    """
    if is_missing(value):
        return c.missing, None, "missing"
    if type(value) is list or type(value) is tuple:
        try:
            text = "\n".join(value)
        except TypeError:  # a non-text item: looked past
            text = "\n".join(v for v in value if isinstance(v, str))
    elif isinstance(value, str):
        text = value
    else:
        return c.missing, value, f"unreadable: not text: {value!r}"
    memo = c._memo
    found = memo.get(text)
    if found is None:
        if len(memo) > 65536:
            memo.clear()
        found = memo[text] = list(_find(c.keywords, text))
    if not found:
        return c.none, [], "no match"
    points = c.points * (len(found) if c.mode == "each" else 1)  # type: ignore[operator]
    return points, list(found), "match"


def score_boolean(value: Any, c: Criterion) -> Result:
    """``yes`` points for a true value, ``no`` points for a false one.

    True: True, a non-zero number, yes/true/1/да/есть/ja, any other non-empty text ("A12" as a
    booth number means there is a booth) or a non-empty list. False: False, 0, no/false/0/нет/
    nein.
    """
    if is_missing(value):
        return c.missing, None, "missing"
    if isinstance(value, bool):
        flag = value
    elif isinstance(value, int | float):
        flag = value != 0
    elif isinstance(value, str):
        word = value.strip().casefold()
        flag = word not in _NO
    else:
        flag = bool(value)
    return (c.yes, value, "yes") if flag else (c.no, value, "no")


SCORERS = {
    "bands": score_bands,
    "categories": score_categories,
    "keywords": score_keywords,
    "boolean": score_boolean,
}
