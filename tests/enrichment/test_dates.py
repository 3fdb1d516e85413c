"""Order dates as Russian, German and US exports write them (enrichment.normalize.dates)."""

from __future__ import annotations

from datetime import date

import pytest

from enrichment.normalize.dates import date_order, parse_date


@pytest.mark.parametrize(
    ("text", "order", "expected"),
    [
        ("2025-03-14", "dmy", date(2025, 3, 14)),
        ("2025-03-14T10:15:00", "dmy", date(2025, 3, 14)),
        ("2025-03-14 10:15:00", "mdy", date(2025, 3, 14)),  # ISO ignores the order
        ("2025/3/4", "dmy", date(2025, 3, 4)),
        ("14.03.2025", "dmy", date(2025, 3, 14)),  # 1C, Russian Excel
        ("14.03.2025 10:15:00", "dmy", date(2025, 3, 14)),
        ("14.03.25", "dmy", date(2025, 3, 14)),
        ("01.02.99", "dmy", date(1999, 2, 1)),  # two-digit year 70-99 -> 19xx
        ("04/03/2025", "dmy", date(2025, 3, 4)),
        ("04/03/2025", "mdy", date(2025, 4, 3)),  # US
        ("3/14/2025", "mdy", date(2025, 3, 14)),
        ("14-03-2025", "dmy", date(2025, 3, 14)),
        ("14 марта 2025 г.", "dmy", date(2025, 3, 14)),
        ("1 сентября 2024 года", "dmy", date(2024, 9, 1)),
        ("14 мар 2025", "dmy", date(2025, 3, 14)),
        ("14. März 2025", "dmy", date(2025, 3, 14)),
        ("14 Mar 2025", "mdy", date(2025, 3, 14)),
        ("March 14, 2025", "dmy", date(2025, 3, 14)),
        ("Sept 1 2024", "dmy", date(2024, 9, 1)),
        ("  2025-12-31  ", "dmy", date(2025, 12, 31)),
        # not dates
        ("", "dmy", None),
        (None, "dmy", None),
        ("31.02.2025", "dmy", None),  # no 31 February
        ("14/03/2025", "mdy", None),  # month 14
        ("2025-13-01", "dmy", None),
        ("вчера", "dmy", None),
        ("45731", "dmy", None),  # an Excel serial number in a CSV: not guessed
        ("14 Brumaire 2025", "dmy", None),
        ("12345.67", "dmy", None),
    ],
)
def test_parse_date(text, order, expected):
    assert parse_date(text, order) == expected


def test_parse_date_rejects_an_unknown_order():
    with pytest.raises(ValueError, match="order must be one of"):
        parse_date("01.02.2025", "ymd")


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        (["01.02.2025", "13.02.2025"], "dmy"),  # 13 cannot be a month
        (["02/01/2025", "02/13/2025"], "mdy"),  # 13 cannot be a month: US
        (["01/02/2025", "03/04/2025"], "dmy"),  # never told: the default
        (["2025-01-13", "junk"], "dmy"),
        (["13/01/2025", "14/01/2025", "01/13/2025"], "dmy"),  # mixed: the majority
        ([], "dmy"),
    ],
)
def test_date_order(values, expected):
    assert date_order(values) == expected


def test_date_order_default_is_the_callers():
    assert date_order(["01/02/2025"], default="mdy") == "mdy"
