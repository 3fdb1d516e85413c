"""Headcounts and money amounts as people write them in lists and on pages.

"1 200", "1.200", "1,200", "50-100", "от 100", "100+", "более 500", "12,5 млн", "3 Mio. €",
"$2.4M", "1,2 млрд руб." — total functions: an unreadable value gives None.
"""

from __future__ import annotations

import re

_MULTIPLIERS = {
    "тыс": 1e3,
    "k": 1e3,
    "tsd": 1e3,
    "thousand": 1e3,
    "тысяч": 1e3,
    "млн": 1e6,
    "m": 1e6,
    "mm": 1e6,
    "mn": 1e6,
    "mio": 1e6,
    "million": 1e6,
    "millionen": 1e6,
    "миллион": 1e6,
    "миллионов": 1e6,
    "млрд": 1e9,
    "bn": 1e9,
    "b": 1e9,
    "mrd": 1e9,
    "billion": 1e9,
    "milliarden": 1e9,
    "миллиард": 1e9,
    "миллиардов": 1e9,
}
_NUMBER = re.compile(r"\d[\d\s\u00a0\u202f.,']*")
_UNIT = re.compile(r"^\s*([a-zа-яё]+)", re.IGNORECASE)
_LOWER_BOUND = re.compile(
    r"^(?:от|более|больше|свыше|over|more than|from|ab|über|>|>=)\s*", re.IGNORECASE
)
_UPPER_BOUND = re.compile(
    r"^(?:до|менее|меньше|up to|under|less than|bis|unter|<|<=)\s*", re.IGNORECASE
)


def _to_float(digits: str) -> float | None:
    s = re.sub(r"[\s\u00a0\u202f']", "", digits).rstrip(".,")
    if not s:
        return None
    if "," in s and "." in s:  # the later one is the decimal mark: 1.234,5 or 1,234.5
        dec = "," if s.rfind(",") > s.rfind(".") else "."
        s = s.replace("." if dec == "," else ",", "").replace(dec, ".")
    elif "," in s or "." in s:
        mark = "," if "," in s else "."
        head, _, tail = s.rpartition(mark)
        # One mark followed by exactly three digits is a thousands separator (1,200 / 1.200).
        if len(tail) == 3 and s.count(mark) >= 1 and head.replace(mark, "").isdigit():
            s = s.replace(mark, "")
        else:
            s = s.replace(mark, ".") if s.count(mark) == 1 else s.replace(mark, "")
    try:
        return float(s)
    except ValueError:
        return None


def parse_amount(text: str | None) -> float | None:
    """A money amount with its multiplier applied ("12,5 млн" → 12500000.0); currency dropped."""
    if not text:
        return None
    m = _NUMBER.search(str(text))
    if not m:
        return None
    value = _to_float(m.group())
    if value is None:
        return None
    unit = _UNIT.match(str(text)[m.end() :])
    if unit:
        value *= _MULTIPLIERS.get(unit.group(1).casefold().rstrip("."), 1)
    return value


def parse_headcount(text: str | None) -> int | None:
    """Employees as an int.  A range keeps its lower bound ("50-100" → 50, "100+" → 100, "до 50"
    → 50): the conservative reading for ICP size filters; the raw text stays in the source."""
    if text is None:
        return None
    s = str(text).strip()
    if not s:
        return None
    s = _LOWER_BOUND.sub("", s)
    s = _UPPER_BOUND.sub("", s)
    numbers = [_to_float(n) for n in re.findall(r"\d[\d\s\u00a0.,']*\d|\d", s)]
    numbers = [n for n in numbers if n is not None]
    if not numbers:
        return None
    value = numbers[0] * (1000 if re.search(r"\d\s*(тыс|k)\b", s, re.IGNORECASE) else 1)
    return int(value) if value < 10_000_000 else None
