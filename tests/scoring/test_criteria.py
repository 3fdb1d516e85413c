"""One function per criterion kind: the points, the value seen, the note; odd input never raises."""

from __future__ import annotations

import pytest

from scoring import parse_segment, score_bands, score_boolean, score_categories, score_keywords
from scoring.fields import to_number

from .helpers import segment_data


def _criterion(**crit):
    data = segment_data()
    data["scoring"]["attractiveness"]["criteria"] = [crit]
    return parse_segment(data).scoring.attractiveness.criteria[0]


BANDS = _criterion(
    name="size",
    field="facts.stores",
    kind="bands",
    missing=3,
    bands=[{"min": 10, "points": 2}, {"min": 50, "points": 6}, {"min": 200, "points": 10}],
)


@pytest.mark.parametrize(
    ("value", "points", "seen", "note"),
    [
        (None, 3, None, "missing"),
        ("", 3, None, "missing"),
        ("  ", 3, None, "missing"),
        (5, 0, 5, "below"),
        (9.99, 0, 9.99, "below"),
        (10, 2, 10, "band"),  # a band's min belongs to the band
        (49, 2, 49, "band"),
        (50, 6, 50, "band"),
        (199.5, 6, 199.5, "band"),
        (200, 10, 200, "band"),
        (10**9, 10, 10**9, "band"),
        ("40", 2, 40.0, "band"),
        ("1 200", 10, 1200.0, "band"),
        ("1\u00a0200", 10, 1200.0, "band"),
        ("12,000", 10, 12000.0, "band"),
        ("55,5", 6, 55.5, "band"),
        ("1,200.5", 10, 1200.5, "band"),
        ("forty", 3, "forty", "unreadable: not a number: 'forty'"),
        ("40 stores", 3, "40 stores", "unreadable: not a number: '40 stores'"),
        (True, 3, True, "unreadable: not a number: True"),
        (float("nan"), 3, None, "missing"),
        (float("inf"), 3, float("inf"), "unreadable: not a number: inf"),
        ([1, 2], 3, [1, 2], "unreadable: not a number: [1, 2]"),
    ],
)
def test_bands(value, points, seen, note):
    assert score_bands(value, BANDS) == (points, seen, note)


def test_percent_text_is_a_share():
    assert to_number("12%") == (0.12, None)
    assert to_number("-3,5 %") == (-0.035, None)


CATEGORIES = _criterion(
    name="rel",
    field="status",
    kind="categories",
    points={"Former": 10, "new": 5},
    other=1,
    missing=2,
)


@pytest.mark.parametrize(
    ("value", "points", "seen", "note"),
    [
        ("former", 10, "former", "category"),
        ("FORMER ", 10, "FORMER ", "category"),
        ("new", 5, "new", "category"),
        ("current", 1, "current", "other"),
        (None, 2, None, "missing"),
        ("", 2, None, "missing"),
        (["new", "former"], 10, "former", "category"),  # a list: its best value
        (["nothing"], 1, ["nothing"], "other"),
        ({"a": 1}, 2, {"a": 1}, "unreadable: not a category: {'a': 1}"),
    ],
)
def test_categories(value, points, seen, note):
    assert score_categories(value, CATEGORIES) == (points, seen, note)


ANY = _criterion(
    name="crm",
    field="technologies",
    kind="keywords",
    keywords=["Bitrix24", "amoCRM", "CRM", "1С"],
    points=10,
    none=4,
    missing=1,
)
EACH = _criterion(
    name="crm",
    field="description",
    kind="keywords",
    keywords=["SAP", "proALPHA", "abas"],
    points=3,
    mode="each",
)


@pytest.mark.parametrize(
    ("criterion", "value", "points", "seen", "note"),
    [
        (ANY, ["amoCRM"], 10, ["amoCRM"], "match"),
        (ANY, ["AMOCRM", "Bitrix24"], 10, ["Bitrix24", "amoCRM"], "match"),
        (ANY, ["amoCRMtools"], 4, [], "no match"),  # whole words only
        (ANY, ["WordPress"], 4, [], "no match"),
        (ANY, "Мы используем 1С и amoCRM.", 10, ["1С", "amoCRM"], "match"),
        (ANY, "Наша CRM-система", 10, ["CRM"], "match"),
        (ANY, [], 1, None, "missing"),
        (ANY, None, 1, None, "missing"),
        (ANY, ["amoCRM", 5], 10, ["amoCRM"], "match"),  # a non-text item is looked past
        (ANY, 42, 1, 42, "unreadable: not text: 42"),
        (EACH, "SAP S/4HANA und proALPHA, kein abas", 9, ["SAP", "abas", "proALPHA"], "match"),
        (EACH, "SAP und SAP", 3, ["SAP"], "match"),
        (EACH, "Sapient", 0, [], "no match"),
    ],
)
def test_keywords(criterion, value, points, seen, note):
    assert score_keywords(value, criterion) == (points, seen, note)
    # the memo gives the same answer, and the list handed out is the caller's own
    again = score_keywords(value, criterion)
    assert again == (points, seen, note)
    if isinstance(again[1], list):
        again[1].append("x")
        assert score_keywords(value, criterion)[1] == seen


BOOL = _criterion(name="it", field="facts.inhouse_it", kind="boolean", yes=0, no=10, missing=5)


@pytest.mark.parametrize(
    ("value", "points", "note"),
    [
        (True, 0, "yes"),
        (False, 10, "no"),
        ("yes", 0, "yes"),
        ("да", 0, "yes"),
        ("ja", 0, "yes"),
        ("A12", 0, "yes"),  # a booth number: there is one
        ("no", 10, "no"),
        ("Нет", 10, "no"),
        ("nein", 10, "no"),
        ("0", 10, "no"),
        ("false", 10, "no"),
        (0, 10, "no"),
        (3, 0, "yes"),
        (None, 5, "missing"),
        ("", 5, "missing"),
        ([], 5, "missing"),
        (["+7 495 1234567"], 0, "yes"),
    ],
)
def test_boolean(value, points, note):
    got = score_boolean(value, BOOL)
    assert (got[0], got[2]) == (points, note)
