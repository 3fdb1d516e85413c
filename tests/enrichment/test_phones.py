"""normalize_phone / find_phones: Russian, German and US numbers as they appear in lists."""

from __future__ import annotations

import pytest

from enrichment import Phone, find_phones, normalize_phone
from enrichment.normalize.phones import TYPES


@pytest.mark.parametrize(
    ("text", "region", "e164", "extension", "type_"),
    [
        # Russia: trunk prefix 8, +7, bare 10 digits with a region hint
        ("8 (495) 123-45-67", "RU", "+74951234567", None, "fixed_line"),
        ("+7 495 1234567", None, "+74951234567", None, "fixed_line"),
        ("+7 (495) 123-45-67", "DE", "+74951234567", None, "fixed_line"),
        ("495-123-45-67", "RU", "+74951234567", None, "fixed_line"),
        ("8-916-123-45-67", "RU", "+79161234567", None, "mobile"),
        ("+7 916 123 45 67", "ru", "+79161234567", None, "mobile"),
        ("8 800 555-35-35", "RU", "+78005553535", None, "toll_free"),
        ("тел.: +7 (812) 600-20-00", None, "+78126002000", None, "fixed_line"),
        ("+7 (495) 123-45-67 доб. 123", "RU", "+74951234567", "123", "fixed_line"),
        ("8 (495) 123-45-67 доб.123", "RU", "+74951234567", "123", "fixed_line"),
        ("8 (495) 123-45-67 вн. 12", "RU", "+74951234567", "12", "fixed_line"),
        ("+7 495 123 45 67 (доб. 4410)", None, "+74951234567", "4410", "fixed_line"),
        ("8 10 49 89 1234567", "RU", "+49891234567", None, "fixed_line"),
        # Germany: area-code slash, 0049, Durchwahl written out, direct-dial hyphen kept
        ("089/1234567", "DE", "+49891234567", None, "fixed_line"),
        ("+49 (0)89 1234567", None, "+49891234567", None, "fixed_line"),
        ("0049 89 1234567", None, "+49891234567", None, "fixed_line"),
        ("089 1234567 Durchwahl 12", "DE", "+49891234567", "12", "fixed_line"),
        ("+49 89 12345-12", None, "+49891234512", None, "fixed_line"),
        ("+49 151 23456789", None, "+4915123456789", None, "mobile"),
        ("0800 1234567", "DE", "+498001234567", None, "toll_free"),
        # USA
        ("+1 650-253-0000 x12", None, "+16502530000", "12", "fixed_line_or_mobile"),
        ("(650) 253-0000 ext. 7", "US", "+16502530000", "7", "fixed_line_or_mobile"),
        ("+1 (800) 555-0199", None, "+18005550199", None, "toll_free"),
        ("(201) 555-0123", "US", "+12015550123", None, "fixed_line_or_mobile"),
        # every libphonenumber type (example numbers of its metadata, written as lists do)
        ("8 (809) 123-45-67", "RU", "+78091234567", None, "premium_rate"),
        ("8-808-123-45-67", "RU", "+78081234567", None, "personal_number"),
        ("0900 1 234567", "DE", "+499001234567", None, "premium_rate"),
        ("0180 1 2345", "DE", "+4918012345", None, "shared_cost"),
        ("0700 1234 5678", "DE", "+4970012345678", None, "personal_number"),
        ("+49 16412345", None, "+4916412345", None, "pager"),
        ("018500 123456", "DE", "+4918500123456", None, "uan"),
        ("+44 56 1234 5678", None, "+445612345678", None, "voip"),
        ("+44 70 1234 5678", None, "+447012345678", None, "personal_number"),
        ("07400 123456", "GB", "+447400123456", None, "mobile"),
        ("+41 840 123 456", None, "+41840123456", None, "shared_cost"),
        ("+41 58 123 45 67", None, "+41581234567", None, "uan"),
        ("0664 123456", "AT", "+43664123456", None, "mobile"),
        # Kazakhstan shares +7 with Russia
        ("8 (771) 000 99 98", "KZ", "+77710009998", None, "mobile"),
        ("+7 751 123 4567", None, "+77511234567", None, "voip"),
    ],
)
def test_valid_numbers(text, region, e164, extension, type_):
    phone = normalize_phone(text, region)
    assert phone == Phone(text.strip(), e164, extension, type_, True, "ok")
    assert phone.type in TYPES


@pytest.mark.parametrize(
    ("text", "hint", "region"),
    [
        ("8 (495) 123-45-67", "RU", "RU"),
        ("8 (771) 000 99 98", "RU", "KZ"),  # the number's own country, not the hint
        ("+7 771 000 9998", None, "KZ"),
        ("+49 89 1234567", "RU", "DE"),
        ("+1 650-253-0000", None, "US"),
        ("+1 416 555 0199", None, "CA"),
        ("(201) 555-0123", "US", "US"),
        ("+44 20 7946 0958", None, "GB"),
        ("123", "RU", None),
    ],
)
def test_region_of_the_number(text, hint, region):
    assert normalize_phone(text, hint).region == region


@pytest.mark.parametrize(
    ("text", "region", "reason"),
    [
        (None, "RU", "empty"),
        ("", "RU", "empty"),
        ("   ", None, "empty"),
        ("тел.", "RU", "no digits"),
        ("😀📞", "RU", "no digits"),
        ("123", "RU", "too short"),
        ("12-34", "DE", "too short"),
        ("1234567890123456789012", "RU", "too long"),
        ("8 (495) 123-45-67", None, "no country code and no region hint"),
        ("+7 123 456 78 90", None, "not a valid number for region RU"),
        ("8 (123) 456-78-90", "RU", "not a valid number for region RU"),
        ("+49 12", None, "too short"),
        ("+49 12 34", None, "not a valid number for region DE"),
        ("+999 1234567", None, "unknown country code"),
    ],
)
def test_invalid_numbers(text, region, reason):
    phone = normalize_phone(text, region)
    assert phone.valid is False
    assert phone.e164 is None
    assert phone.type == "unknown"
    assert phone.reason == reason


def test_long_and_odd_inputs_do_not_raise():
    for text in ["9" * 10_000, "+" * 10_000, "\x00\x01", "доб. 12", "x" * 10_000]:
        assert normalize_phone(text, "RU").valid is False
    assert normalize_phone("8 495 123 45 67", 12345).valid is False  # region of the wrong type


def test_cache_returns_equal_results():
    assert normalize_phone("8 (495) 123-45-67", "RU") is normalize_phone("8 (495) 123-45-67", "RU")


def _e164s(phones):
    return [(p.e164, p.extension, p.valid) for p in phones]


@pytest.mark.parametrize(
    ("cell", "region", "expected"),
    [
        ("", "RU", []),
        (None, "RU", []),
        ("8 (495) 123-45-67", "RU", [("+74951234567", None, True)]),
        (
            "8 (495) 123-45-67, 8 (916) 123-45-67",
            "RU",
            [("+74951234567", None, True), ("+79161234567", None, True)],
        ),
        (
            "+7 495 123-45-67; +7 495 765-43-21\n8 800 555 35 35",
            "RU",
            [
                ("+74951234567", None, True),
                ("+74957654321", None, True),
                ("+78005553535", None, True),
            ],
        ),
        (
            "8 (495) 123-45-67 / 8 (495) 765-43-21",
            "RU",
            [("+74951234567", None, True), ("+74957654321", None, True)],
        ),
        (
            "+7 916 123 45 67 или 8-916-123-45-67",
            "RU",
            [("+79161234567", None, True)],  # the same number twice
        ),
        (
            "тел. +7 (495) 123-45-67, доб. 12; факс +7 (495) 123-45-68",
            "RU",
            [("+74951234567", "12", True), ("+74951234568", None, True)],
        ),
        ("089/1234567", "DE", [("+49891234567", None, True)]),
        (
            "Tel. 089/1234567 oder 0151 23456789",
            "DE",
            [("+49891234567", None, True), ("+4915123456789", None, True)],
        ),
        (
            "+7 495 123-45-67, 123",
            "RU",
            [("+74951234567", None, True), (None, None, False)],
        ),
        ("тел., факс", "RU", []),
    ],
)
def test_find_phones(cell, region, expected):
    assert _e164s(find_phones(cell, region)) == expected


def test_find_phones_reports_invalid_pieces_with_reason():
    phones = find_phones("+7 495 123-45-67; 8 (123) 456-78-90; 12", "RU")
    assert [(p.raw, p.valid, p.reason) for p in phones] == [
        ("+7 495 123-45-67", True, "ok"),
        ("8 (123) 456-78-90", False, "not a valid number for region RU"),
        ("12", False, "too short"),
    ]


def test_find_phones_huge_cell_does_not_raise():
    assert isinstance(find_phones("8 495 123 45 67, " * 5_000, "RU"), list)


def _generated_numbers(count: int) -> list[tuple[str, str | None]]:
    """Numbers in the shapes of real lists, most valid, many not (wrong lengths, codes)."""
    import random

    rnd = random.Random(20241123)
    shapes = [
        ("8 ({a}) {b}-{c}-{d}", "RU"), ("+7 {a} {b}{c}{d}", None), ("+7 ({a}) {b}-{c}-{d}", "DE"),
        ("{a}-{b}-{c}-{d}", "RU"), ("8{a}{b}{c}{d}", "RU"), ("7{a}{b}{c}{d}", "RU"),
        ("+7 {a}{b}{c}", None), ("{a}{b}{c}{d}", "US"), ("1 {a} {b} {c}{d}", "US"),
        ("+1 ({a}) {b}-{c}{d}", None), ("0{a}/{b}{c}", "DE"), ("+49 {a} {b}{c}{d}", None),
        ("0{a} {b}-{c}", "DE"), ("+43 {a} {b}{c}", None), ("0{a} {b} {c}", "AT"),
        ("+41 {a} {b} {c} {d}", None), ("0{a} {b} {c}", "CH"), ("+44 {a} {b}{c}", None),
        ("0{a} {b} {c}{d}", "GB"), ("+33 {a} {b} {c} {d}", None), ("0{a}{b}{c}{d}", "FR"),
        ("+49 (0){a} {b}{c}", None), ("+44 (0){a} {b} {c}{d}", "GB"), ("0{a} (0){b}", "DE"),
        ("8 {a} {b} {c} {d}", "KZ"), ("+7 7{a} {b} {c}", None), ("8 (800) {b}-{c}-{d}", "RU"),
    ]  # fmt: skip
    out = []
    for _ in range(count):
        shape, region = rnd.choice(shapes)
        parts = {k: str(rnd.randrange(10 ** rnd.randint(1, 4))) for k in "abcd"}
        if rnd.random() < 0.7:  # mostly realistic lengths: area 3, then 3-2-2
            parts = {
                "a": str(rnd.choice([495, 499, 812, 916, 903, 89, 30, 40, 221, 151, 20, 1])),
                "b": str(rnd.randrange(100, 1000)),
                "c": f"{rnd.randrange(100):02d}",
                "d": f"{rnd.randrange(100):02d}",
            }
        out.append((shape.format(**parts), region))
    return out


def test_fast_path_agrees_with_libphonenumber():
    from enrichment.normalize.phones import _fast, _full_parse

    used = 0
    for text, region in _generated_numbers(20_000):
        fast = _fast(text, text, region, None)
        if fast is not None:
            used += 1
            assert fast == _full_parse(text, text, region, None), (text, region)
    assert used > 5_000  # the fast path is really exercised
