"""registrable_domain / normalize_website on URLs, bare hosts and email addresses."""

from __future__ import annotations

import socket

import pytest

from enrichment import normalize_website, registrable_domain
from enrichment.normalize.domains import domain_with_reason


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("https://www.Sberbank.ru/ru/person", "sberbank.ru"),
        ("sberbank.ru", "sberbank.ru"),
        ("WWW.YANDEX.RU", "yandex.ru"),
        ("http://market.yandex.ru/catalog?x=1#top", "yandex.ru"),
        ("ivan.petrov@mail.yandex.ru", "yandex.ru"),
        ("mailto:info@firma.de", "firma.de"),
        ("пример.рф", "xn--e1afmkfd.xn--p1ai"),
        ("https://www.пример.рф/контакты", "xn--e1afmkfd.xn--p1ai"),
        ("www.xn--e1afmkfd.xn--p1ai", "xn--e1afmkfd.xn--p1ai"),
        ("müller-bau.de", "xn--mller-bau-q9a.de"),
        ("https://shop.example.co.uk/", "example.co.uk"),
        ("a.b.c.example.com.au", "example.com.au"),
        ("firma.de.", "firma.de"),
        ("https://firma.de:8443/impressum", "firma.de"),
        ("//cdn.firma.de/x.js", "firma.de"),
        ("www.firma.de/impressum).", "firma.de"),
        # private-section suffixes of the PSL: each customer's subdomain is its own site
        ("zavod.spb.ru", "zavod.spb.ru"),
        ("www.zavod.spb.ru", "zavod.spb.ru"),
        ("acme.myshopify.com", "acme.myshopify.com"),
        ("firma.com.ru", "firma.com.ru"),
        ("spb.ru", None),
        # garbage, IPs, hosts without a public suffix
        (None, None),
        ("", None),
        ("   ", None),
        ("localhost", None),
        ("http://localhost:8000/", None),
        ("127.0.0.1", None),
        ("http://192.168.0.1/admin", None),
        ("http://[::1]/", None),
        ("garbage", None),
        ("ru", None),
        ("co.uk", None),
        ("not a domain.com", None),
        ("ftp://files.firma.de", None),
        ("https://", None),
        ("x..de", None),
        ("😀.com", None),  # IDNA 2008 forbids emoji
        ("a" * 10_000 + ".com", None),
    ],
)
def test_registrable_domain(text, expected):
    assert registrable_domain(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("sberbank.ru", "https://sberbank.ru/"),
        ("www.Sberbank.RU", "https://www.sberbank.ru/"),
        ("http://example.com", "http://example.com/"),
        ("http://example.com/", "http://example.com/"),
        ("https://Example.com:443/Kontakt/", "https://example.com/Kontakt/"),
        ("http://example.com:80", "http://example.com/"),
        ("https://example.com:8080/a", "https://example.com:8080/a"),
        ("https://firma.de/impressum?utm_source=x#team", "https://firma.de/impressum"),
        ("www.firma.de/impressum).", "https://www.firma.de/impressum"),
        ("  https://www.firma.de  ", "https://www.firma.de/"),
        ("пример.рф", "https://xn--e1afmkfd.xn--p1ai/"),
        (
            "http://www.пример.рф/о-компании",
            "http://www.xn--e1afmkfd.xn--p1ai/%D0%BE-%D0%BA%D0%BE%D0%BC%D0%BF%D0%B0%D0%BD%D0%B8%D0%B8",
        ),
        ("https://user:secret@firma.de/", None),
        ("info@firma.de", None),
        ("localhost", None),
        ("http://127.0.0.1:8000", None),
        ("ftp://firma.de", None),
        ("javascript:alert(1)", None),
        ("garbage", None),
        ("", None),
        (None, None),
        ("https://" + "a" * 5000 + ".com", None),
    ],
)
def test_normalize_website(text, expected):
    assert normalize_website(text) == expected


def test_never_uses_the_network(monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("network access")

    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    assert registrable_domain("https://never-seen-before-host.example.org/x") == "example.org"


@pytest.mark.parametrize(
    ("text", "domain", "reason"),
    [
        ("https://www.Sberbank.ru/ru/person", "sberbank.ru", "ok"),
        ("info@Müller-Bau.DE", "xn--mller-bau-q9a.de", "ok"),
        ("пример.рф", "xn--e1afmkfd.xn--p1ai", "ok"),
        (None, None, "empty"),
        ("   ", None, "empty"),
        ("a" * 3000 + ".com", None, "longer than 2048 characters"),
        ("not a domain.com", None, "spaces inside: not a URL, host name or email address"),
        ("ftp://files.firma.de", None, "not a web address (ftp:)"),
        ("😀.com", None, "not a valid host name"),
        ("127.0.0.1", None, "an IP address has no registrable domain"),
        ("http://[::1]/", None, "an IP address has no registrable domain"),
        ("x..de", None, "not a valid host name (an empty label between dots)"),
        ("localhost", None, "'localhost' ends in no public suffix (e.g. localhost, a typo)"),
        ("co.uk", None, "'co.uk' is a public suffix itself, not a domain under one"),
    ],
)
def test_domain_with_reason(text, domain, reason):
    assert domain_with_reason(text) == (domain, reason)
    assert registrable_domain(text) == domain
