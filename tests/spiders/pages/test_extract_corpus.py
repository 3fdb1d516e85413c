"""Robustness on real saved pages (tests/fixtures/corpus, see SOURCES.md there): every page
goes through extract_page as bytes without raising and gives sane types; a few pages get
specific checks of what they are known to contain."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from spiders.pages.company import extract_page

CORPUS = Path(__file__).resolve().parents[2] / "fixtures" / "corpus"
PAGES = sorted(CORPUS.rglob("*.html"))
E164_RE = re.compile(r"^\+[1-9]\d{6,14}(?:;ext=\d{1,6})?$")


def _extract(rel: str, url: str):
    return extract_page((CORPUS / rel).read_bytes(), url)


def test_corpus_is_varied():
    assert len(PAGES) >= 30
    assert len({p.parent.name for p in PAGES}) >= 5


@pytest.mark.parametrize("path", PAGES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_runs_and_gives_sane_types(path):
    result = extract_page(path.read_bytes(), f"https://{path.stem}.example.org/")
    d = result.to_dict()
    json.dumps(d)  # serializable as is
    c = d["company"]
    assert all(isinstance(e, str) and "@" in e and e == e.lower() for e in c["emails"])
    assert all(E164_RE.match(p) for p in c["phones"]), c["phones"]
    assert isinstance(c["careers"], bool)
    assert c["country"] is None or re.fullmatch(r"[A-Z]{2}", c["country"])
    for person in d["people"]:
        assert person["name"] and person["first_name"] and person["last_name"]
        assert all(E164_RE.match(p) for p in person["phones"])


def test_cloudflare_protected_addresses_are_decoded():
    peta = _extract("trafilatura-tests/peta.de-veterinaeraemter.html", "https://www.peta.de/x")
    assert "datenschutz@peta.de" in peta.company.emails
    carta = _extract("trafilatura-tests/elenacional.com-carta.html", "https://elnacional.com/")
    assert "cartaabierta@el-nacional.com" in carta.company.emails


def test_markeich_impressum():
    r = _extract(
        "trafilatura-tests/markeich.de.impressum.html", "https://www.markeich.de/impressum"
    )
    assert r.company.registration_ids.get("ustid") == "DE246292916"
    assert r.company.emails == ["info@markeich.de"]
    assert r.company.phones == ["+495191979238"]  # the Fax line below it is not a phone
    assert r.company.address == "Heidjerweg 1, 29614 Soltau"
    assert [p.name for p in r.people] == ["Anika Schön"]  # "Verantwortlich für den Inhalt"


def test_spinkat_utf8_under_windows_1251_meta_decodes_as_russian():
    r = _extract(
        "formasaurus-contact-pages/www.spinkat.ru-1.html", "http://www.spinkat.ru/contacts"
    )
    assert r.company.country == "RU"
    assert "info@spinkat.ru" in r.company.emails
    assert "vk" in r.company.social


def test_spinkat_text_is_cyrillic():
    from spiders.pages.html import decode_html

    text = decode_html((CORPUS / "formasaurus-contact-pages/www.spinkat.ru-1.html").read_bytes())
    assert "Контакты" in text or "контакт" in text.lower()
    assert "Ð" not in text  # no mojibake


def test_dates_are_not_phones():
    r = _extract("trafilatura-tests/stuttgart.de.html", "https://www.stuttgart.de/")
    assert not any(p.startswith("+498") and len(p) < 12 for p in r.company.phones)


def test_json_ld_corporation_name():
    r = _extract("trafilatura-tests/fincompare.de.firmenwagen.html", "https://www.fincompare.de/x")
    assert r.company.name == "FinCompare GmbH"
