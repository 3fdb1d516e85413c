"""classify_link / site_links: which pages of a company site to fetch (EN/DE/RU)."""

from __future__ import annotations

import pytest

from spiders.pages.links import SiteLink, classify_link, site_links


@pytest.mark.parametrize(
    ("url", "text", "expected"),
    [
        # Russian: anchor texts and transliterated paths
        ("https://romashka.ru/kontakty/", "", ("contact", 1)),
        ("https://romashka.ru/page/17", "Контакты", ("contact", 1)),
        ("https://romashka.ru/x/", "Связаться с нами", ("contact", 1)),
        ("https://romashka.ru/o-kompanii/", "", ("about", 3)),
        ("https://romashka.ru/about/", "О нас", ("about", 3)),
        ("https://romashka.ru/rukovodstvo/", "", ("team", 0)),
        ("https://romashka.ru/komanda.html", "", ("team", 0)),
        ("https://romashka.ru/company/staff/", "Наша команда", ("team", 0)),
        ("https://romashka.ru/rekvizity/", "", ("legal", 2)),
        ("https://romashka.ru/info/", "Реквизиты", ("legal", 2)),
        ("https://romashka.ru/vakansii/", "", ("careers", 4)),
        (
            "https://romashka.ru/%D0%BA%D0%BE%D0%BD%D1%82%D0%B0%D0%BA%D1%82%D1%8B/",
            "",
            ("contact", 1),
        ),
        # German
        ("https://mueller.de/impressum", "Kontakt & Impressum", ("legal", 2)),
        ("https://mueller.de/kontakt/", "", ("contact", 1)),
        ("https://mueller.de/ueber-uns/", "", ("about", 3)),
        ("https://mueller.de/x", "Über uns", ("about", 3)),
        ("https://mueller.de/unternehmen/geschaeftsfuehrung/", "", ("team", 0)),
        ("https://mueller.de/x", "Ansprechpartner", ("team", 0)),
        ("https://mueller.de/karriere/", "", ("careers", 4)),
        ("https://mueller.de/x", "Stellenangebote", ("careers", 4)),
        # English
        ("https://acme.com/contact-us", "", ("contact", 1)),
        ("https://acme.com/company/leadership/", "", ("team", 0)),
        ("https://acme.com/x", "Our people", ("team", 0)),
        ("https://acme.com/legal-notice", "", ("legal", 2)),
        ("https://acme.com/x", "Imprint", ("legal", 2)),
        ("https://acme.com/careers/", "Jobs", ("careers", 4)),
        ("https://acme.com/about-us/index.php", "", ("about", 3)),
        # excluded or unknown
        ("https://mueller.de/datenschutz/", "Datenschutz", None),
        ("https://acme.com/legal/privacy-policy", "Privacy", None),
        ("https://romashka.ru/politika-konfidentsialnosti/", "Политика конфиденциальности", None),
        ("https://acme.com/contact.pdf", "Contact sheet", None),
        ("https://acme.com/team/photo.jpg", "Team", None),
        ("https://acme.com/login?next=/team", "Team login", None),
        ("https://acme.com/cart/", "Cart", None),
        ("https://acme.com/search?q=contact", "", None),
        ("https://acme.com/products/widgets/", "Widgets", None),
        ("https://dir.example/company/acme/", "", None),  # a profile under /company/, no about page
        (None, "Contact", None),
    ],
)
def test_classify_link(url, text, expected):
    assert classify_link(url, text) == expected


def test_site_links_same_domain_dedup_and_order():
    html = """<html><head><base href="https://www.mueller-antriebe.de/de/"></head><body>
    <nav>
      <a href="unternehmen/">Unternehmen</a>
      <a href="karriere/">Karriere</a>
      <a href="kontakt/">Kontakt</a>
      <a href="kontakt#form">Kontaktformular</a>
      <a href="https://shop.mueller-antriebe.de/kontakt">Kontakt</a>
      <a href="https://www.other-company.de/kontakt/">Partner</a>
      <a href="team/">Team</a>
      <a href="mailto:info@mueller-antriebe.de">E-Mail</a>
      <a href="javascript:void(0)">Menü</a>
      <a href="/downloads/imagebroschuere.pdf">Broschüre</a>
    </nav>
    <footer><a href="/de/impressum/">Impressum</a> <a href="/de/datenschutz/">Datenschutz</a>
      <a href="/de/login/">Login</a></footer>
    </body></html>"""
    links = site_links(html, "https://www.mueller-antriebe.de/de/")
    assert links == [
        SiteLink("https://www.mueller-antriebe.de/de/team/", "team", 0),
        SiteLink("https://www.mueller-antriebe.de/de/kontakt/", "contact", 1),
        SiteLink("https://shop.mueller-antriebe.de/kontakt", "contact", 1),
        SiteLink("https://www.mueller-antriebe.de/de/impressum/", "legal", 2),
        SiteLink("https://www.mueller-antriebe.de/de/unternehmen/", "about", 3),
        SiteLink("https://www.mueller-antriebe.de/de/karriere/", "careers", 4),
    ]


@pytest.mark.parametrize("html", ["", "<html>", "\x00", "<a href='http://[::1'>Kontakt</a>"])
def test_site_links_odd_input(html):
    assert site_links(html, "https://acme.com/") == []
