"""parse_listing / parse_detail / ListingHints on hand-written RU/DE/EN pages (fixtures/listing)."""

from __future__ import annotations

from pathlib import Path

import pytest

from spiders.pages.listing import ListingHints, parse_detail, parse_listing

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "listing"


def _html(name: str) -> str:
    return (FIXTURES / name).read_text(encoding="utf-8")


def test_cards_directory_ru_ten_companies_and_next_page():
    page = parse_listing(
        _html("directory_cards_ru.html"), "https://firms.example.ru/catalog/metall/"
    )
    assert [c.name for c in page.items][:3] == [
        "ООО «Ромашка-Металл»",
        "АО «СтальПром»",
        "ООО «Техносвар»",
    ]
    assert len(page.items) == 10  # not the rubrics sidebar, the menu or the footer
    first = page.items[0]
    assert first.url == "https://firms.example.ru/company/romashka-metall/"
    assert first.website == "http://romashka-metall.ru/"
    assert first.fields["phone"] == "+74951234567"
    assert first.fields["address"] == "г. Москва, ул. Складочная, д. 1, стр. 5"
    assert first.fields["categories"] == ["Металлообработка", "Лазерная резка"]
    assert first.locator == "item 0"
    assert page.items[3].website is None  # ИП without a site: not the vk.com footer link
    assert page.next_pages == ["https://firms.example.ru/catalog/metall/?PAGEN_1=2"]


def test_table_member_list_de_maps_columns_by_header():
    page = parse_listing(
        _html("members_table_de.html"), "https://www.verband-beispiel.de/mitglieder/"
    )
    assert [c.name for c in page.items] == [
        "Müller Antriebstechnik GmbH",
        "Schneider & Söhne KG",
        "Alpen Hydraulik AG",
        "Präzisionsteile Weber e.K.",
        "Helvetia Motion SA",
        "Fischer Lasertechnik GmbH & Co. KG",
    ]
    alpen = page.items[2]
    assert alpen.website == "https://alpen-hydraulik.at/de/"
    assert alpen.fields == {"city": "6020 Innsbruck", "country": "Österreich"}
    assert page.items[3].website is None
    assert page.next_pages == ["https://www.verband-beispiel.de/mitglieder/seite/2/"]


def test_jsonld_itemlist_en_ignores_publisher_and_reads_rel_next():
    url = "https://www.supplierhub.example.com/suppliers/automation"
    page = parse_listing(_html("itemlist_jsonld.html"), url)
    assert [c.locator for c in page.items] == [f"ld+json ItemList[{i}]" for i in range(3)]
    first, second, third = page.items
    assert first.name == "Brightwell Controls Ltd"
    assert first.url == "https://www.supplierhub.example.com/suppliers/brightwell-controls"
    assert first.website == "https://www.brightwell-controls.co.uk/"
    assert first.fields["email"] == "sales@brightwell-controls.co.uk"
    assert first.fields["city"] == "Manchester" and first.fields["country"] == "GB"
    assert first.fields["social"] == ["https://www.linkedin.com/company/brightwell-controls"]
    assert second.fields["country"] == "United Kingdom" and second.fields["founding_date"] == "1998"
    assert third.url is None and third.website == "https://tamardrives.co.uk/"
    assert page.next_pages == ["https://www.supplierhub.example.com/suppliers/automation?page=2"]


def test_microdata_local_businesses_de():
    url = "https://www.branchenbuch.example.de/steuerberater/leipzig/"
    page = parse_listing(_html("microdata_orgs_de.html"), url)
    assert [(c.name, c.website) for c in page.items] == [
        ("Kanzlei Hoffmann Steuerberatungsgesellschaft mbH", "https://www.kanzlei-hoffmann.de/"),
        ("Steuerbüro Krause", None),
        ("Lindner & Partner Steuerberater PartG mbB", "https://lindner-partner.de"),
    ]
    assert (
        page.items[1].url == "https://www.branchenbuch.example.de/eintrag/steuerbuero-krause-456/"
    )
    assert page.items[0].fields["phone"] == "0341 1234567"
    assert page.items[2].fields["social"] == ["https://www.xing.com/pages/lindner-partner"]
    assert page.items[0].locator == "microdata AccountingService[0]"
    assert page.next_pages == [
        "https://www.branchenbuch.example.de/steuerberater/leipzig/seite-2/"
    ]  # aria-label "Nächste Seite"


def test_rdfa_organizations():
    html = """<html><body vocab="https://schema.org/">
      <div typeof="Organization"><span property="name">Acme Widgets Inc</span>
        <a property="url" href="https://acme-widgets.com/">site</a>
        <div property="address" typeof="PostalAddress">
          <span property="addressLocality">Austin</span></div></div>
      <div typeof="Organization"><span property="name">Beta Tools LLC</span>
        <a property="url" href="/firms/beta-tools">profile</a></div>
    </body></html>"""
    page = parse_listing(html, "https://dir.example.com/texas/")
    # rdflib's graph has no document order: compare as a set
    assert sorted((c.name, c.url or "", c.website or "") for c in page.items) == [
        ("Acme Widgets Inc", "", "https://acme-widgets.com/"),
        ("Beta Tools LLC", "https://dir.example.com/firms/beta-tools", ""),
    ]
    acme = next(c for c in page.items if c.name == "Acme Widgets Inc")
    assert acme.fields["city"] == "Austin" and acme.locator.startswith("rdfa Organization[")


@pytest.mark.parametrize(
    ("name", "booth", "hall", "country"),
    [
        ("AeroTech Systems GmbH", "4-310", "4", "Germany"),
        ("Baltic Optics UAB", "7A-112", "7A", "Lithuania"),
        ("Cerberus Defence Ltd", "5C21", "5", "United Kingdom"),
        ("Nordic Shield AS", "3-050", "3", "Norway"),
        ("АО «НПО Защита»", "B14", "2", "Kazakhstan"),
    ],
)
def test_exhibitor_list_booth_hall_country(name, booth, hall, country):
    page = parse_listing(
        _html("exhibitors_booth.html"), "https://www.securityexpo.example.com/exhibitors/"
    )
    found = {c.name: c for c in page.items}
    assert len(found) == 5 and name in found
    assert found[name].fields == {"booth": booth, "hall": hall, "country": country}
    assert found[name].url.startswith("https://www.securityexpo.example.com/exhibitors/")
    assert page.next_pages == [
        "https://www.securityexpo.example.com/exhibitors/page-data?offset=5&limit=5"
    ]  # the static "Load more" button's data-url


def test_menus_footers_breadcrumbs_are_not_a_listing():
    page = parse_listing(
        _html("menus_only.html"), "https://www.assoc.example.org/news/annual-meeting/"
    )
    assert page.items == []


@pytest.mark.parametrize(
    ("url", "links", "expected"),
    [
        (
            "https://d.example/list?page=3",
            ["?page=1", "?page=2", "?page=4", "?page=5"],
            ["https://d.example/list?page=4"],
        ),
        (
            "https://d.example/firmen/page/2/",
            ["/firmen/", "/firmen/page/3/", "/firmen/page/9/"],
            ["https://d.example/firmen/page/3/"],
        ),
        (
            "https://d.example/forum?t=7&p=1",
            ["?t=7&p=2", "?t=8&p=2"],
            ["https://d.example/forum?t=7&p=2"],
        ),
        ("https://d.example/list", ["/list?sort=name", "/list?start=20"], []),
    ],
)
def test_numbered_pagination_only_current_plus_one(url, links, expected):
    html = "<html><body>" + " ".join(f'<a href="{h}">x</a>' for h in links) + "</body></html>"
    assert parse_listing(html, url).next_pages == expected


@pytest.mark.parametrize(
    "anchor",
    [
        '<a href="/l?o=40" rel="next">x</a>',
        '<a href="/l?o=40">Далее</a>',
        '<a href="/l?o=40">Следующая страница</a>',
        '<a href="/l?o=40">Weiter</a>',
        '<a href="/l?o=40">Next »</a>',
        '<a href="/l?o=40">›</a>',
        '<a href="/l?o=40" aria-label="Next page"><svg></svg></a>',
        '<ul class="pagination"><li><span>1</span></li><li><a href="/l?o=40">2</a></li></ul>',
        '<a class="btn" href="#" data-next="/l?o=40">Показать ещё</a>',
    ],
)
def test_next_link_forms(anchor):
    html = f"<html><body><a href='/l?o=0' class='prev'>«</a>{anchor}</body></html>"
    assert parse_listing(html, "https://d.example/l").next_pages == ["https://d.example/l?o=40"]


def test_hints_css_and_xpath_give_the_same_items():
    html = _html("exhibitors_booth.html")
    url = "https://www.securityexpo.example.com/exhibitors/"
    css = ListingHints.from_dict(
        {
            "item": "li.exhibitor-item",
            "fields": {
                "name": ".exhibitor-name::text",
                "country": ".exhibitor-country",
                "stand": ".exhibitor-location::text",
            },
            "detail_link": "a.exhibitor-link::attr(href)",
            "next_page": "button.js-load-more::attr(data-url)",
        },
        where="sources/expo.toml [list]",
    )
    xpath = ListingHints.from_dict(
        {
            "item": "//ul[@class='exhibitor-list']/li",
            "fields": {
                "name": ".//span[@class='exhibitor-name']//text()",
                "country": "./span[@class='exhibitor-country']",
                "stand": "./span[contains(@class, 'location')]/text()",
            },
            "detail_link": ".//a/@href",
            "next_page": "//button[contains(@class, 'load-more')]",
        }
    )
    a, b = parse_listing(html, url, css), parse_listing(html, url, xpath)
    assert a.items == b.items and len(a.items) == 5
    assert a.items[0].fields["stand"] == "Hall 4 / Booth 4-310"
    assert a.items[0].url == "https://www.securityexpo.example.com/exhibitors/aerotech-systems"
    assert (
        a.next_pages
        == b.next_pages
        == ["https://www.securityexpo.example.com/exhibitors/page-data?offset=5&limit=5"]
    )


def test_hints_item_matching_nothing_gives_no_items():
    hints = ListingHints.from_dict({"item": "div.no-such-card"})
    assert (
        parse_listing(_html("directory_cards_ru.html"), "https://firms.example.ru/", hints).items
        == []
    )


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"item": "div.card[", "fields": {}}, "item: invalid CSS selector"),
        ({"item": "//div[@class='x'", "fields": {}}, "item: invalid XPath selector"),
        ({"item": "li", "fields": {"name": "h3::text", "Phone": "a"}}, "bad field name 'Phone'"),
        ({"item": "li", "fields": {"name": ""}}, "fields.name: selector must be a non-empty"),
        ({"item": "li", "fields": ["h3"]}, "fields must be a table"),
        ({"fields": {"name": "h3"}}, "fields need an item selector"),
        ({"item": "li", "nextpage": "a.next"}, "unknown key(s) ['nextpage']"),
        ({"item": 3}, "item: selector must be a non-empty string"),
        ("li.card", "listing hints must be a table"),
    ],
)
def test_bad_hints_raise_clear_errors(data, message):
    with pytest.raises(ValueError) as err:
        ListingHints.from_dict(data, where="sources/x.toml [list]")
    assert str(err.value).startswith("sources/x.toml [list]: ") and message in str(err.value)


def test_detail_ru_labels_and_redirect_website_not_the_directory_footer():
    company = parse_detail(
        _html("detail_ru.html"), "https://firms.example.ru/company/romashka-metall/"
    )
    assert company is not None
    assert company.name == "ООО «Ромашка-Металл»"
    assert company.url == "https://firms.example.ru/company/romashka-metall/"
    assert company.website == "http://romashka-metall.ru/"  # /go/?url=..., not metalexpo.ru
    assert company.fields["inn"] == "7701234567" and company.fields["ogrn"] == "1027700132195"
    assert company.fields["phone"] == "+74951234567"  # not the header's +74950000000
    assert company.fields["email"] == "info@romashka-metall.ru"
    assert company.fields["address"].startswith("127018, г. Москва")


def test_detail_jsonld_main_entity_not_the_fair_organiser():
    url = "https://www.beispielmesse.example.de/aussteller/mueller/"
    company = parse_detail(_html("detail_jsonld_de.html"), url)
    assert company.name == "Müller Antriebstechnik GmbH"
    assert company.website == "https://www.mueller-antriebe.de/"
    assert company.fields["vat"] == "DE123456789" and company.fields["city"] == "Stuttgart"
    assert (company.fields["hall"], company.fields["booth"]) == ("4", "4-310")


def test_detail_only_external_link_and_hints():
    html = """<html><body><nav><a href="https://facebook.com/dir">fb</a></nav>
      <div class="profile"><h1>Nordlicht Software GmbH</h1><p class="ort">Kiel</p>
      <p><a href="https://nordlicht-software.de">zur Seite</a></p></div></body></html>"""
    url = "https://firmen.example.de/p/1"
    assert parse_detail(html, url).website == "https://nordlicht-software.de"
    hints = ListingHints.from_dict({"item": "div.profile", "fields": {"city": "p.ort::text"}})
    assert parse_detail(html, url, hints).fields["city"] == "Kiel"


@pytest.mark.parametrize("html", ["", "   ", "<html>", "\x00\x01", "<<<>>>", "<p>just text</p>"])
def test_odd_input_gives_empty_results(html):
    assert parse_listing(html, "https://x.example/").items == []
    assert parse_detail(html, "https://x.example/") is None


def _cards(names):
    cards = "".join(
        f'<div class="card"><h3><a href="/firm/{i}.html">{n}</a></h3>'
        f"<p>Город: Казань. Производство и монтаж.</p></div>"
        for i, n in enumerate(names)
    )
    return f'<html><body><main><div class="list">{cards}</div></main></body></html>'


def test_the_last_page_with_two_entries_is_read_with_the_first_pages_block_path():
    first = parse_listing(
        _cards(["ООО «Альфа»", "ООО «Бета»", "ООО «Гамма»", "АО «Дельта»"]),
        "http://katalog.ru/list/",
    )
    assert first.block_path == "body>main>div.list>div.card"
    last_html = _cards(["ООО «Эпсилон»", "ООО «Зета»"])
    assert parse_listing(last_html, "http://katalog.ru/list/?page=3").items == []
    last = parse_listing(last_html, "http://katalog.ru/list/?page=3", block_path=first.block_path)
    assert [i.name for i in last.items] == ["ООО «Эпсилон»", "ООО «Зета»"]
    # a path that is not on the page falls back to detection
    other = parse_listing(
        _cards(["ООО «А»", "ООО «Б»", "ООО «В»"]),
        "http://katalog.ru/x",
        block_path="body>div.nothing",
    )
    assert len(other.items) == 3
