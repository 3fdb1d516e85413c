"""Crawl items → records: normalization, and what is reported and left out."""

from __future__ import annotations

from spiders.items import CompanyItem, PersonItem
from spiders.records import item_to_record


def test_a_listed_company_is_normalized():
    item = CompanyItem(
        source_url="https://biz-katalog.ru/firm/romashka.html",
        extractor="directory",
        locator="item 2",
        name="ООО «Ромашка»",
        website="http://www.romashka-kzn.ru/kontakty",
        country="RU",
        city="Казань",
        phones=["8 (843) 200-10-20 доб. 15", "+78432001021"],
        emails=["Info@Romashka-KZN.ru"],
        registration_ids={"inn": "7707083893"},
        facts={"list": "biz-katalog", "categories": ["Строительство", "Склады"]},
        people=[PersonItem(name="Петров Сергей Николаевич", title="Генеральный директор")],
    )
    rec, problems = item_to_record(item)
    assert problems == []
    assert rec.source == item.source_url and rec.locator == "item 2"
    assert rec.domain == "romashka-kzn.ru" and rec.inn == "7707083893"
    assert rec.name_key and rec.legal_form
    assert rec.phones == ["+78432001020;ext=15", "+78432001021"]
    assert [e.address for e in rec.emails] == ["info@romashka-kzn.ru"]
    assert rec.emails[0].kind == "role"
    assert rec.facts == {"list": "biz-katalog", "categories": "Строительство; Склады"}
    (person,) = rec.people
    assert person.last_name == "Петров" and person.first_name == "Сергей"
    assert person.is_decision_maker is True


def test_bad_values_are_reported_with_the_page_and_left_out():
    item = CompanyItem(
        source_url="https://x.ru/p",
        extractor="directory",
        name="Альфа",
        phones=["12"],
        emails=["not-an-email"],
        registration_ids={"inn": "7707083894"},
        country="Atlantis",
    )
    rec, problems = item_to_record(item)
    assert rec is not None and rec.phones == [] and rec.emails == [] and rec.inn is None
    reasons = " | ".join(p.reason for p in problems)
    assert all(p.where == "https://x.ru/p" for p in problems)
    for part in ("'12'", "'not-an-email'", "INN '7707083894'", "'Atlantis'"):
        assert part in reasons


def test_a_sighting_without_name_or_website_is_not_stored():
    rec, problems = item_to_record(
        CompanyItem(source_url="https://x.ru/", extractor="directory", phones=["+74951112233"])
    )
    assert rec is None
    assert (
        problems[-1].severity == "error" and "no company name and no website" in problems[-1].reason
    )


def test_a_site_name_only_fills_a_gap():
    rec, _ = item_to_record(
        CompanyItem(
            source_url="https://firma.de/",
            extractor="site:home",
            name="Muster Bau GmbH",
            name_is_fallback=True,
            domain="firma.de",
        )
    )
    assert rec.name == "Muster Bau GmbH" and "name" in rec.fallback_fields
    rec, _ = item_to_record(
        CompanyItem(
            source_url="https://firma.de/kontakt", extractor="site:contact", domain="firma.de"
        )
    )
    assert rec.name == "firma.de" and rec.fallback_fields >= {"name", "name_key"}


def test_people_are_deduplicated_and_unreadable_names_reported():
    item = CompanyItem(
        source_url="https://firma.de/team",
        extractor="site:team",
        domain="firma.de",
        people=[
            PersonItem("Max Mustermann", "Geschäftsführer"),
            PersonItem("Max Mustermann", "Geschäftsführer"),
            PersonItem("!!!", None),
        ],
    )
    rec, problems = item_to_record(item)
    assert [p.full_name for p in rec.people] == ["Max Mustermann"]
    assert any("'!!!'" in p.reason for p in problems)
