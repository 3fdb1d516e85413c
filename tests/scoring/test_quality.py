"""Data-quality index per account and per segment; the contact rule; contact order."""

from __future__ import annotations

import pytest

from scoring import data_quality, parse_segment, rank_contacts, segment_quality
from scoring.quality import SENIORITY_ORDER

from .helpers import account, person, segment_data


def _quality(**quality):
    return parse_segment(segment_data(quality=quality)).quality


@pytest.mark.parametrize(
    ("field", "value", "problem"),
    [
        ("domain", "acme.example", None),
        ("domain", "строй-мир.рф", None),
        ("domain", "acme", "not a domain"),
        ("domain", "http://acme.example/x", "not a domain"),
        ("website", "https://acme.example/about", None),
        ("website", "acme.example", "not a website address"),
        ("country", "RU", None),
        ("country", "Russia", "not a two-letter country code"),
        ("employees", 12, None),
        ("employees", "1 200", None),
        ("employees", 0, "0 is not a plausible value"),
        ("employees", "many", "not a number: 'many'"),
        ("revenue", 0, None),
        ("revenue", -5.0, "-5 is not a plausible value"),
        ("inn", "7707083893", None),  # Sberbank
        ("inn", "7707083894", "check digits do not match"),
        ("inn", "500100732259", None),  # a 12-digit (individual) INN
        ("inn", "500100732258", "check digits do not match"),
        ("inn", "77070838", "not an INN (10 or 12 digits)"),
        ("ogrn", "1027700132195", None),  # Sberbank
        ("ogrn", "1027700132196", "check digit does not match"),
        ("ogrn", "304500116000157", None),  # an OGRNIP
        ("vat", "DE123456789", None),
        ("vat", "de 123456789", None),
        ("vat", "123456789", "not a VAT"),
        ("phones", ["+7 495 123-45-67"], None),
        ("phones", ["123"], "no phone number with at least 7 digits"),
        ("company_emails", ["info@acme.example"], None),
        ("company_emails", ["info@acme"], "no valid email address"),
        ("name", "Acme", None),
        ("name", "   ", "missing"),
        ("industry", None, "missing"),
        ("technologies", ["1C"], None),
        ("technologies", [], "missing"),
        ("social", {"vk": "https://vk.com/acme"}, None),
        ("facts.stores", "40", None),
        ("facts.stores", "", "missing"),
    ],
)
def test_required_fields_must_be_correct(field, value, problem):
    quality = _quality(required=[field], min_contacts=0, min_decision_makers=0)
    if field.startswith("facts."):
        acc = account(facts={field[6:]: value})
    else:
        acc = account(**{field: value})
    dqi = data_quality(acc, quality)
    if problem is None:
        assert (dqi.score, dqi.missing, dqi.complete) == (1.0, (), True)
    else:
        assert (dqi.score, dqi.missing, dqi.complete) == (0.0, (f"{field}: {problem}",), False)


def test_share_todo_and_contact_rule():
    quality = _quality(required=["name", "domain", "country", "industry", "inn"])
    people = [person(1, True), person(2), person(3)]
    acc = account(industry=None, inn="7707083894", people=people)
    dqi = data_quality(acc, quality)
    assert dqi.score == pytest.approx(3 / 5)
    assert dqi.missing == ("industry: missing", "inn: check digits do not match")
    assert (dqi.contacts, dqi.decision_makers, dqi.contacts_ok) == (3, 1, True)
    assert dqi.complete is False  # 0.6 below the 0.95 target


@pytest.mark.parametrize(
    ("people", "rule", "ok", "todo"),
    [
        ([person(1, True), person(2), person(3)], {}, True, ()),
        ([person(1, True), person(2)], {}, False, ("contacts: 2 of 3",)),
        ([person(1), person(2), person(3)], {}, False, ("decision makers: 0 of 1",)),
        ([], {}, False, ("contacts: 0 of 3", "decision makers: 0 of 1")),
        ([person(1), person(2)], {"min_contacts": 2, "min_decision_makers": 0}, True, ()),
        (
            [person(1, True), person(2, True)],
            {"min_contacts": 1, "min_decision_makers": 2},
            True,
            (),
        ),
        ([person(1, True), None, "x"], {"min_contacts": 2}, False, ("contacts: 1 of 2",)),
    ],
)
def test_contact_rule(people, rule, ok, todo):
    quality = _quality(required=["name"], **rule)
    dqi = data_quality(account(people=people), quality)
    assert (dqi.contacts_ok, dqi.missing, dqi.complete) == (ok, todo, ok)


def test_target_decides_complete():
    quality = _quality(
        required=["name", "domain", "country", "industry"],
        target=0.75,
        min_contacts=0,
        min_decision_makers=0,
    )
    assert data_quality(account(industry=None), quality).complete is True
    assert data_quality(account(industry=None, country=None), quality).complete is False


def test_segment_aggregate():
    quality = _quality(required=["name", "domain", "inn"], target=0.9)
    full = [person(1, True), person(2), person(3)]
    dqis = [
        data_quality(account(inn="7707083893", people=full), quality),
        data_quality(account(inn=None, people=full), quality),
        data_quality(account(inn=None, domain=None, people=[]), quality),
    ]
    agg = segment_quality(dqis, quality)
    assert agg.accounts == 3
    assert agg.index == pytest.approx((1 + 2 / 3 + 1 / 3) / 3)
    assert (agg.complete, agg.below_contact_rule, agg.meets_target) == (1, 1, False)
    assert agg.missing == (
        ("inn", 2),
        ("contacts", 1),
        ("decision makers", 1),
        ("domain", 1),
    )
    empty = segment_quality([], quality)
    assert (empty.accounts, empty.index, empty.meets_target) == (0, 0.0, False)


def test_contact_order():
    people = [
        person(9, False, "owner", "valid"),
        person(8, True, "intern", "valid"),
        person(7, True, "owner"),  # no email at all
        person(6, True, "owner", "invalid"),
        person(5, True, "manager", "unknown", "risky"),  # the best of its emails counts
        person(4, True, "c_suite", None),  # unverified
        person(3, True, "founder", "valid"),
        person(2, True, "founder", "valid"),
        person(1, True, "Chief", "VALID"),  # unknown seniority label, status in capitals
    ]
    ranked = [p["id"] for p in rank_contacts(people)]
    assert ranked == [2, 3, 8, 1, 5, 4, 6, 7, 9]


def test_seniority_order_is_the_documented_one():
    assert SENIORITY_ORDER == (
        "owner", "founder", "c_suite", "partner", "vp", "head", "director",
        "manager", "senior", "entry", "intern", "unknown",
    )  # fmt: skip
    people = [person(i, True, s, "valid") for i, s in enumerate(reversed(SENIORITY_ORDER))]
    ranked = [p["seniority"] for p in rank_contacts(people)]
    assert ranked == list(SENIORITY_ORDER)
