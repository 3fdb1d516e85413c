"""Unit tests of the page field extractors: emails, phones, people, registration ids,
social links, technologies, decoding and the facade's odd inputs."""

from __future__ import annotations

import pytest

from spiders.pages.company import decode_html, extract_page
from spiders.pages.emails import decode_cfemail, emails_in_text, find_emails
from spiders.pages.html import parse_page
from spiders.pages.namecheck import as_person_name, as_title
from spiders.pages.people import find_people
from spiders.pages.phones import find_phones, phones_in_text
from spiders.pages.registration import find_registration_ids
from spiders.pages.social import find_social
from spiders.pages.technologies import find_technologies


def _page(body: str):
    return parse_page(f"<html><body>{body}</body></html>", "https://firm.example/")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("info [at] firm [dot] ru", ["info@firm.ru"]),
        ("info(at)firm.de", ["info@firm.de"]),
        ("E-mail: info at firm dot com", ["info@firm.com"]),
        ("we meet at noon at the office dot matrix", []),
        ("zakaz собака firm точка ru", ["zakaz@firm.ru"]),
        ("sales&#64;firm.com", ["sales@firm.com"]),
        ("Info@Firm.COM.", ["info@firm.com"]),
        ("logo@2x.png icon@3x.webp", []),
        ("you@company.com name@domain.com email@example.com a@example.org", []),
        ("605a7baede844d278b89dc95ae0a9123@sentry.wixpress.com", []),
        ("jquery@3.5.1 and user@localhost", []),
    ],
)
def test_emails_in_text(text, expected):
    assert emails_in_text(text) == expected


def test_emails_split_across_tags_and_links_and_skipped_text():
    page = _page(
        '<p><span>info</span>@<span>firm.ru</span></p><a href="mailto:Boss@Firm.ru?subject=x">'
        'write</a><script>var x="js@firm.ru"</script><input placeholder="ph@firm.ru">'
        "<textarea>ta@firm.ru</textarea>"
    )
    assert find_emails(page.root, page.blocks) == ["boss@firm.ru", "info@firm.ru"]


def test_cfemail():
    hexstr = "5a" + "".join(f"{ord(c) ^ 0x5A:02x}" for c in "a@b.de")
    assert decode_cfemail(hexstr) == "a@b.de"
    assert decode_cfemail("zz") is None and decode_cfemail("5a") is None
    page = _page(f'<a href="/cdn-cgi/l/email-protection#{hexstr}">x</a>')
    assert find_emails(page.root, page.blocks) == ["a@b.de"]


@pytest.mark.parametrize(
    ("text", "region", "expected"),
    [
        ("Тел.: +7 (495) 123-45-67 доб. 123", "RU", ["+74951234567;ext=123"]),
        ("8 (812) 600-20-00, факс 8 (812) 600-20-01", "RU", ["+78126002000"]),
        ("Fon 089 12345678 Durchwahl 12", "DE", ["+498912345678;ext=12"]),
        ("(650) 253-0000 ext. 7", "US", ["+16502530000;ext=7"]),
        ("ИНН 4951234567", "RU", []),
        ("Заказ № 4951234567", "RU", []),
        ("Stand: 08.05.2019", "DE", []),
        ("Цена 1 500 000 руб.", "RU", []),
        ("Years 2015-2020, ZIP 94105", "US", []),
        ("+49 89 12345678", None, ["+498912345678"]),
    ],
)
def test_phones_in_text(text, region, expected):
    assert phones_in_text(text, region) == expected


def test_fax_label_on_previous_line_and_tel_links():
    page = _page(
        '<p>Fax:</p><p>+49 89 12345679</p><a href="tel:+49-89-1234567;ext=5">call</a>'
        '<a href="tel:+7%20495%20123-45-67">x</a>'
    )
    assert find_phones(page.root, page.blocks, "DE") == ["+49891234567;ext=5", "+74951234567"]


@pytest.mark.parametrize(
    ("text", "ok"),
    [
        ("Петров Сергей Николаевич", True),
        ("Max Mustermann", True),
        ("Dr. Hans von der Heide", True),
        ("Michelle Babb, MS, RD", True),
        ("Better Builders", False),
        ("Contact Us", False),
        ("Managing Director", False),
        ("Musterstraße 12", False),
        ("ООО Ромашка", False),
        ("Agentur MARKE ICH", False),
        ("Case Studies", False),
        ("Mehmet Yılmaz", True),  # Turkish dotless ı (brandt-vogel.de team page)
        ("Ayşe Çelik-Doğan", True),
        ("Łukasz Wójcik", True),
        ("Søren Ørsted", True),
        ("Mehmet YILMAZ", False),
        ("Νίκος Παππάς", False),  # Greek: not a script the name rules cover
    ],
)
def test_as_person_name(text, ok):
    assert (as_person_name(text) is not None) is ok


@pytest.mark.parametrize(
    ("text", "seniority"),
    [
        ("Генеральный директор", "c_suite"),
        ("Geschäftsführer", "c_suite"),
        ("VP of Sales", "vp"),
        ("Staff Directory", None),
        ("Pan Head", None),
        ("Home Ownership Benefits", None),
        ("Read more about us at www.firm.com", None),
        ("Главная", None),  # a menu item ("главн…" is the level of "главный бухгалтер")
        ("Главная О компании Прайс-лист Контакты Реквизиты", None),
        ("Home Impressum Kontakt", None),
        ("Head of News", "head"),
        ("Team Lead", "manager"),
    ],
)
def test_as_title(text, seniority):
    info = as_title(text)
    assert (info.seniority if info else None) == seniority


def _people(body: str):
    page = _page(body)
    return [(c.name.full, c.title) for c in find_people(page.blocks, [], "RU")]


def test_people_lines():
    assert _people("<p>Генеральный директор — Петров Сергей Николаевич</p>") == [
        ("Петров Сергей Николаевич", "Генеральный директор")
    ]
    assert _people("<p>Geschäftsführer: Max Mustermann und Erika Musterfrau</p>") == [
        ("Max Mustermann", "Geschäftsführer"),
        ("Erika Musterfrau", "Geschäftsführer"),
    ]
    assert _people("<p>Jane Porter, CEO</p><p>Mark Twain (Head of Sales)</p>") == [
        ("Jane Porter", "CEO"),
        ("Mark Twain", "Head of Sales"),
    ]
    assert _people("<p>Vertreten durch:</p><p>Hans Berger, Anna Schulz</p>") == [
        ("Hans Berger", None),
        ("Anna Schulz", None),
    ]


def test_people_cards_and_contacts():
    page = _page(
        '<div><h3>Jane Porter</h3><p>CTO</p><a href="mailto:jane@firm.com">m</a>'
        '<a href="mailto:info@firm.com">i</a></div><div><h3>Tom Hardy</h3><p>Designer</p></div>'
    )
    people = find_people(page.blocks, [], "US")
    assert [(p.name.full, p.title, p.emails) for p in people] == [
        ("Jane Porter", "CTO", ["jane@firm.com"]),  # the role address stays with the company
        ("Tom Hardy", "Designer", []),
    ]


def test_text_blocks_separate_adjacent_links_but_join_inline_pieces():
    page = _page(
        '<nav><a href="/">Главная</a><a href="/o/">О компании</a></nav>'
        "<p><span>info</span>@<span>firm.ru</span></p>"
        "<p><span><a>Prev</a></span><span><a>Next</a></span></p><p>a<br>b</p><pre>x\ny</pre>"
    )
    assert [b.text for b in page.blocks] == [
        "Главная О компании", "info@firm.ru", "Prev Next", "a", "b", "x", "y"
    ]  # fmt: skip
    assert page.blocks[0].segments == ("Главная", "О компании")
    assert page.blocks[1].segments == ("info", "@", "firm.ru")


def test_text_blocks_know_site_chrome():
    page = _page(
        "<header><a>Brand</a></header><div id='menu'><a>Home</a></div>"
        "<article><header><h3>Jane Porter</h3></header></article>"
        "<footer><p>© Firm</p></footer>" + "<p>Body text of the page, long enough.</p>" * 5
    )
    regions = {b.text: b.region for b in page.blocks}
    assert regions["Brand"] == "header" and regions["Home"] == "nav"
    assert regions["Jane Porter"] is None  # a card's own <header>, not the page banner
    assert regions["© Firm"] == "footer"
    wrapper = _page("<div id='header'>" + "<p>All of the page is in here.</p>" * 5 + "</div>")
    assert {b.region for b in wrapper.blocks} == {None}  # a layout wrapper, not chrome


def test_people_skip_site_chrome_and_the_site_own_name():
    page = _page(
        "<header><a>Агромаш Поволжье</a><nav><a>Главная</a><a>Руководство</a></nav></header>"
        "<div><div>Техно Сервис</div><div>Главный инженер</div></div>"
        "<div><div>Зуев Игорь Петрович</div><div>Главный механик</div></div>"
        "<footer><p>Иванов Иван Иванович</p><p>Директор</p>"
        "<p>Генеральный директор: Петров Пётр Петрович</p></footer>"
    )
    people = find_people(page.blocks, [], "RU", ("ООО «Техно Сервис»",))
    assert [(c.name.full, c.title) for c in people] == [
        ("Зуев Игорь Петрович", "Главный механик"),
        ("Петров Пётр Петрович", "Генеральный директор"),  # an explicit label in the footer
    ]


def test_structured_person_gets_the_contacts_of_their_card():
    page = _page(
        '<article><h2>Rajesh Patel</h2><p>CTO</p><a href="mailto:r.patel@firm.com">Mail</a>'
        "</article><p>Call us: +44 20 7946 0321</p>"
    )
    person = {"name": "Rajesh Patel", "jobTitle": "Chief Technology Officer"}
    (cand,) = find_people(page.blocks, [person], "GB")
    assert (cand.title, cand.emails, cand.phones) == (
        "Chief Technology Officer",
        ["r.patel@firm.com"],
        [],
    )


def test_people_no_false_positives():
    assert _people("<h2>Our Services</h2><p>Project Manager</p><p>Useful Links</p>") == []
    assert _people("<p>Best regards, Monday Team</p><p>Posted by Admin</p>") == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "ИНН/КПП 7707083893/773601001, ОГРН 1027700132195",
            {"inn": "7707083893", "kpp": "773601001", "ogrn": "1027700132195"},
        ),
        ("ИНН 7707083894", {}),  # wrong check digit
        ("Тел. 7707083893", {}),  # not labelled
        ("ОГРНИП 304500116000157", {"ogrn": "304500116000157"}),
        ("Amtsgericht München HRB 12345", {"hrb": "Amtsgericht München HRB 12345"}),
        ("Artikel HRB 12345", {}),  # no register statement
        ("USt-IdNr.: DE 123 456 789", {"vat": "DE123456789", "ustid": "DE123456789"}),
        ("VAT No. ATU12345678", {"vat": "ATU12345678"}),
    ],
)
def test_registration_ids(text, expected):
    assert find_registration_ids(text) == expected


def test_social_skips_share_buttons():
    page = _page(
        '<a href="https://www.facebook.com/sharer/sharer.php?u=x">s</a>'
        '<a href="https://twitter.com/intent/tweet">t</a><a href="https://x.com/firm">x</a>'
        '<a href="https://vk.com/firm">vk</a><a href="https://t.me/firm">tg</a>'
        '<a href="https://www.xing.com/pages/firm">xing</a><a href="https://ok.ru/">ok</a>'
    )
    assert find_social(page.root) == {
        "x": "https://x.com/firm",
        "vk": "https://vk.com/firm",
        "telegram": "https://t.me/firm",
        "xing": "https://www.xing.com/pages/firm",
    }


def test_technologies():
    page = parse_page(
        '<html><head><meta name="generator" content="Joomla! - Open Source">'
        '<script src="https://www.googletagmanager.com/gtm.js?id=GTM-X"></script>'
        "<script>window.intercomSettings = {};</script></head><body>"
        '<p class="wp-content">not evidence</p></body></html>',
        "https://firm.example/",
    )
    assert find_technologies(page.root) == ["joomla", "google-tag-manager", "intercom"]


def test_decode_html():
    ru = "<html><head><meta charset=windows-1251></head><body>Контакты</body></html>"
    assert "Контакты" in decode_html(ru.encode("cp1251"))
    assert "Контакты" in decode_html(ru.encode("utf-8"))  # the meta lies: UTF-8 wins
    assert "Контакты" in decode_html(ru.encode("cp1251"), "windows-1251")
    assert decode_html(b"") == ""


@pytest.mark.parametrize("html", ["", b"", "<<<>>>", b"\xff\xfe\x00", "<html>", None, 42])
def test_odd_input_never_raises(html):
    result = extract_page(html, "not a url")
    assert result.company.emails == [] and result.people == []
    assert extract_page(html, None).url == ""  # type: ignore[arg-type]
