"""Calendar dates as order and invoice exports write them.

"2025-03-14", "2025-03-14T10:15:00", "14.03.2025", "14.03.25 10:15", "14/03/2025",
"03/14/2025" (US), "14 марта 2025 г.", "14. März 2025", "March 14, 2025", "14 Mar 2025".
Total functions: text that is not a date gives None (the importer reports the row).

Day-first or month-first: "04/03/2025" is 4 March in Russia and Germany and 3 April in the US.
``date_order`` decides it once per file from all of its values (a value with a first number
above 12 can only be day-first, one with a second number above 12 only month-first); a file
that never tells is read day-first, the convention of leadgen's markets, unless the caller says
otherwise.  Two-digit years: 00–69 are 2000–2069, 70–99 are 1970–1999 (POSIX ``strptime %y``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date

DATE_ORDERS = ("dmy", "mdy")

_ISO = re.compile(r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:$|[Tt\s])")
_NUMERIC = re.compile(r"^(\d{1,2})[./-](\d{1,2})[./-](\d{2}|\d{4})(?:$|[Tt\s,])")
# Month names: Russian (nominative and genitive, short forms), English, German.
_MONTHS = {
    1: "январь января янв jan january januar jän",
    2: "февраль февраля фев feb february februar",
    3: "март марта мар mar march märz maerz",
    4: "апрель апреля апр apr april",
    5: "май мая may mai",
    6: "июнь июня июн jun june juni",
    7: "июль июля июл jul july juli",
    8: "август августа авг aug august",
    9: "сентябрь сентября сен сент sep sept september",
    10: "октябрь октября окт oct october okt oktober",
    11: "ноябрь ноября ноя нояб nov november",
    12: "декабрь декабря дек dec december dez dezember",
}
_MONTH = {word: n for n, words in _MONTHS.items() for word in words.split()}
_DAY_MONTH_YEAR = re.compile(r"^(\d{1,2})\.?\s+([^\W\d_]+)\.?,?\s+(\d{4})(?:\s*(?:г\.?|года?))?")
_MONTH_DAY_YEAR = re.compile(r"^([^\W\d_]+)\.?\s+(\d{1,2}),?\s+(\d{4})")


def _year(text: str) -> int:
    y = int(text)
    if len(text) == 2:
        y += 2000 if y < 70 else 1900
    return y


def _make(y: int, m: int, d: int) -> date | None:
    try:
        return date(y, m, d)
    except ValueError:
        return None


def parse_date(text: str | None, order: str = "dmy") -> date | None:
    """The date in ``text`` or None; ``order`` ("dmy" or "mdy") reads "04/03/2025"."""
    if order not in DATE_ORDERS:
        raise ValueError(f"order must be one of {DATE_ORDERS}, not {order!r}")
    if not text:
        return None
    s = str(text).strip().casefold().replace("ё", "е")
    if m := _ISO.match(s):
        return _make(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    if m := _NUMERIC.match(s):
        a, b, y = int(m.group(1)), int(m.group(2)), _year(m.group(3))
        return _make(y, b, a) if order == "dmy" else _make(y, a, b)
    if m := _DAY_MONTH_YEAR.match(s):
        month = _MONTH.get(m.group(2))
        return _make(int(m.group(3)), month, int(m.group(1))) if month else None
    if m := _MONTH_DAY_YEAR.match(s):
        month = _MONTH.get(m.group(1))
        return _make(int(m.group(3)), month, int(m.group(2))) if month else None
    return None


def date_order(values: Iterable[str], default: str = "dmy") -> str:
    """ "dmy" or "mdy" for a column of dates: the order its values prove, else ``default``.

    A column where both orders are proven (values "13/01/2025" and "01/13/2025") is mixed up;
    the order more values prove wins, ties go to ``default``."""
    day_first = month_first = 0
    for value in values:
        m = _NUMERIC.match(str(value).strip())
        if not m:
            continue
        a, b = int(m.group(1)), int(m.group(2))
        if a > 12 >= b:
            day_first += 1
        elif b > 12 >= a:
            month_first += 1
    if day_first == month_first:
        return default
    return "dmy" if day_first > month_first else "mdy"
