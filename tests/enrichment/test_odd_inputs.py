"""Every public function is total: odd input gives a result, never an exception."""

from __future__ import annotations

import pytest

import enrichment

FUNCTIONS = [
    lambda t: enrichment.normalize_phone(t, "RU"),
    lambda t: enrichment.normalize_phone(t, None),
    lambda t: enrichment.find_phones(t, "DE"),
    enrichment.normalize_email,
    enrichment.split_emails,
    enrichment.registrable_domain,
    enrichment.normalize_website,
    enrichment.normalize_company_name,
    enrichment.parse_person_name,
    enrichment.classify_title,
    enrichment.check_inn,
    enrichment.check_ogrn,
    enrichment.check_kpp,
    enrichment.normalize_vat,
    enrichment.normalize_hrb,
]

ODD = [
    None,
    "",
    "   ",
    "\t\n\r",
    "😀",
    "👨‍👩‍👧‍👦 🇷🇺",
    "\x00\x01\x02",
    "\u200b\u200e\ufeff",
    "x" * 10_000,
    "@" * 10_000,
    "1" * 10_000,
    "(" * 5_000 + ")" * 5_000,
    "«" * 1_000,
    "а" * 10_000,
    "<script>alert(1)</script>",
    "'; DROP TABLE leads; --",
    "%s%s%n",
    "\\" * 100,
    "ООО ООО ООО ООО",
    "..",
    "-",
    "+",
    42,
    3.5,
    b"bytes",
    ["list"],
]


@pytest.mark.parametrize("func", FUNCTIONS)
@pytest.mark.parametrize("text", ODD, ids=lambda t: repr(t)[:20])
def test_never_raises(func, text):
    func(text)
