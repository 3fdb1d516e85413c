"""check_inn / check_ogrn / check_kpp / normalize_vat / normalize_hrb."""

from __future__ import annotations

import pytest

from enrichment import check_inn, check_kpp, check_ogrn, normalize_hrb, normalize_vat

# (company, ИНН, ОГРН): public registry data of well-known Russian companies (ЕГРЮЛ).
COMPANIES = [
    ("Сбербанк", "7707083893", "1027700132195"),
    ("Яндекс", "7736207543", "1027700229193"),
    ("Газпром", "7736050003", "1027700070518"),
    ("Лукойл", "7708004767", "1027700035769"),
    ("Роснефть", "7706107510", "1027700043502"),
    ("Аэрофлот", "7712040126", "1027700092661"),
    ("ВТБ", "7702070139", "1027739609391"),
    ("МТС", "7740000076", "1027700149124"),
]


def _bump_last(digits: str) -> str:
    return digits[:-1] + str((int(digits[-1]) + 1) % 10)


@pytest.mark.parametrize(("name", "inn", "ogrn"), COMPANIES)
def test_real_companies_pass(name, inn, ogrn):
    assert check_inn(inn) == inn
    assert check_ogrn(ogrn) == ogrn


@pytest.mark.parametrize(("name", "inn", "ogrn"), COMPANIES)
def test_corrupted_check_digit_fails(name, inn, ogrn):
    assert check_inn(_bump_last(inn)) is None
    assert check_ogrn(_bump_last(ogrn)) is None
    assert check_inn(inn[:-1]) is None  # one digit short
    assert check_ogrn(ogrn + "0") is None  # one digit long
    assert check_inn(ogrn) is None  # an ОГРН is not an ИНН
    assert check_ogrn(inn) is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("7707083893", "7707083893"),
        ("ИНН 7707083893", "7707083893"),
        ("ИНН: 7707083893", "7707083893"),
        ("INN 7736207543", "7736207543"),
        (" 7707 083 893 ", "7707083893"),
        ("7707-083-893", "7707083893"),
        ("ИНН/КПП 7707083893/773601001", "7707083893"),
        ("ИНН 7707083893 КПП 773601001", "7707083893"),
        ("7707083893 773601001", "7707083893"),
        ("500100732259", "500100732259"),  # 12-digit ИНН of a person (both check digits)
        ("ИНН ИП 500100732259", "500100732259"),
        ("500100732258", None),  # second check digit wrong
        ("500100732269", None),  # first check digit wrong
        ("7707083894", None),
        ("7707038893", None),  # two digits transposed
        ("0000000000", None),  # passes the arithmetic, but no tax office 00
        ("000000000000", None),
        ("770708389", None),
        ("77070838930", None),
        ("ИНН не указан", None),
        ("", None),
        ("   ", None),
        (None, None),
        ("😀", None),
        ("9" * 10_000, None),
    ],
)
def test_check_inn(text, expected):
    assert check_inn(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1027700132195", "1027700132195"),
        ("ОГРН 1027700132195", "1027700132195"),
        ("ОГРН: 1 027 700 132 195", "1027700132195"),
        ("OGRN 1027700229193", "1027700229193"),
        ("304500116000157", "304500116000157"),  # ОГРНИП, check digit mod 13
        ("ОГРНИП 304500116000157", "304500116000157"),
        ("304500116000158", None),
        ("1027700132196", None),
        ("1027700123195", None),  # two digits transposed
        ("2027700132195", None),  # ОГРН starts with 1 or 5
        ("104500116000157", None),  # a 15-digit number must start with 3
        ("102770013219", None),
        ("", None),
        (None, None),
        ("ОГРН отсутствует", None),
        ("1" * 10_000, None),
    ],
)
def test_check_ogrn(text, expected):
    assert check_ogrn(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("773601001", "773601001"),
        ("КПП 773601001", "773601001"),
        ("КПП: 7736 01 001", "773601001"),
        ("7736AB001", "7736AB001"),
        ("7736ab001", "7736AB001"),
        ("ИНН/КПП 7707083893/773601001", "773601001"),
        ("77360100", None),
        ("7736010011", None),
        ("7736ЖЖ001", None),  # letters in the reason code are Latin A–Z
        ("000001001", None),
        ("7707083893", None),  # an ИНН is not a КПП
        ("", None),
        (None, None),
        ("A" * 10_000, None),
    ],
)
def test_check_kpp(text, expected):
    assert check_kpp(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("DE123456789", "DE123456789"),
        ("de 123 456 789", "DE123456789"),
        ("DE 123.456.789", "DE123456789"),
        ("USt-IdNr.: DE 123 456 789", "DE123456789"),
        ("USt-ID DE123456789", "DE123456789"),
        ("Umsatzsteuer-Identifikationsnummer: DE123456789", "DE123456789"),
        ("VAT No. GB123456789", "GB123456789"),
        ("ATU12345678", "ATU12345678"),
        ("UID: ATU 12345678", "ATU12345678"),
        ("NL123456789B01", "NL123456789B01"),
        ("FR12345678901", "FR12345678901"),
        ("FRAB123456789", "FRAB123456789"),
        ("IT12345678901", "IT12345678901"),
        ("P.IVA IT12345678901", "IT12345678901"),
        ("ESB12345678", "ESB12345678"),
        ("PL1234567890", "PL1234567890"),
        ("BE0123456789", "BE0123456789"),
        ("SE123456789001", "SE123456789001"),
        ("CZ12345678", "CZ12345678"),
        ("GR123456789", "EL123456789"),  # Greece is EL in VAT numbers
        ("EL123456789", "EL123456789"),
        ("IE1234567T", "IE1234567T"),
        ("IE1234567WA", "IE1234567WA"),
        ("CHE-123.456.789 MWST", "CHE123456789MWST"),
        ("DE12345678", None),  # German USt-IdNr is DE + 9 digits
        ("DE1234567890", None),
        ("ATU1234567", None),
        ("AT12345678", None),  # Austria needs the U
        ("NL123456789", None),
        ("SE1234567890", None),  # Swedish numbers end in 01
        ("XX123456789", None),
        ("123456789", None),  # no country prefix
        ("", None),
        (None, None),
        ("😀", None),
        ("DE" + "1" * 10_000, None),
    ],
)
def test_normalize_vat(text, expected):
    assert normalize_vat(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("HRB 12345", "HRB 12345"),
        ("HRB12345", "HRB 12345"),
        ("hrb 12345", "HRB 12345"),
        ("HR B 4711", "HRB 4711"),
        ("HRB 12345 B", "HRB 12345 B"),  # Amtsgericht Charlottenburg (Berlin) suffix
        ("Amtsgericht Charlottenburg, HRB 98765 B", "HRB 98765 B"),
        ("Amtsgericht München HRB 123456", "HRB 123456"),
        ("Registergericht: Amtsgericht Hamburg Registernummer: HRB 54321", "HRB 54321"),
        ("Handelsregister: HRB Nr. 777", "HRB 777"),
        ("HRB 012345", "HRB 12345"),
        ("HRA 1234", "HRA 1234"),
        ("VR 123 Amtsgericht Köln", "VR 123"),
        ("GnR 45", "GnR 45"),
        ("HRB 12345, Amtsgericht Ulm", "HRB 12345"),
        ("Handelsregister 12345", None),
        ("HRB", None),
        ("HRB 0", None),
        ("HRB 1234567", None),
        ("", None),
        (None, None),
        ("😀", None),
        ("HRB " + "1" * 10_000, None),
    ],
)
def test_normalize_hrb(text, expected):
    assert normalize_hrb(text) == expected
