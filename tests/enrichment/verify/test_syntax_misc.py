"""Stage 1 (syntax) and stage 3 (disposable / free provider / role), table-driven."""

from __future__ import annotations

import pytest

from enrichment.verify.misc import check_misc, is_disposable, is_free_provider
from enrichment.verify.syntax import check_syntax


@pytest.mark.parametrize(
    "raw, normalized",
    [
        ("alice@acme-bau.de", "alice@acme-bau.de"),
        ("  Alice.Smith@ACME-Bau.DE ", "alice.smith@acme-bau.de"),
        ("Ivan@Пример.рф", "ivan@xn--e1afmkfd.xn--p1ai"),
        ("info@müller-bau.de", "info@xn--mller-bau-q9a.de"),
        ("j.doe+sales@example.co.uk", "j.doe+sales@example.co.uk"),
        ("o'brien@firm.ie", "o'brien@firm.ie"),
        ("ivan.petrov@stroymontazh-kzn.ru", "ivan.petrov@stroymontazh-kzn.ru"),
        ("user@xn--e1afmkfd.xn--p1ai", "user@xn--e1afmkfd.xn--p1ai"),
        ("first_last@sub.domain.com", "first_last@sub.domain.com"),
    ],
)
def test_good_syntax_is_normalized(raw, normalized):
    s = check_syntax(raw)
    assert s.ok, s.reason
    assert s.normalized == normalized
    assert s.domain == normalized.rsplit("@", 1)[1]


@pytest.mark.parametrize(
    "raw, why",
    [
        ("", "empty"),
        ("   ", "empty"),
        (None, "not a text value"),
        (42, "not a text value"),
        ("alice", "@"),
        ("alice@", "after the @-sign"),
        ("@acme-bau.de", "before the @-sign"),
        ("alice@@acme-bau.de", ""),
        ("alice@acme-bau", "period"),
        ("al ice@acme-bau.de", ""),
        ("alice..b@acme-bau.de", ""),
        (".alice@acme-bau.de", ""),
        ("alice@acme_bau.de", ""),
        ("alice@-acme.de", ""),
        ("a" * 65 + "@acme-bau.de", "too long"),
        ("alice@printer.local", ""),  # special-use domain: mail can't go there
        ("alice@host.test", ""),
        ("x" * 2000, "too long"),
    ],
)
def test_bad_syntax_is_rejected_with_a_reason(raw, why):
    s = check_syntax(raw)
    assert not s.ok and s.normalized is None and s.domain is None
    assert why.lower() in s.reason.lower()


@pytest.mark.parametrize(
    "domain, disposable",
    [
        ("mailinator.com", True),
        ("sub.mailinator.com", True),  # a subdomain of a listed domain
        ("guerrillamail.com", True),
        ("10minutemail.com", True),
        ("yopmail.com", True),
        ("acme-bau.de", False),
        ("gmail.com", False),
        ("mail.ru", False),
    ],
)
def test_disposable_domains_come_from_the_package_list(domain, disposable):
    assert is_disposable(domain) is disposable


@pytest.mark.parametrize(
    "domain, free",
    [
        ("gmail.com", True),
        ("googlemail.com", True),
        ("yandex.ru", True),
        ("ya.ru", True),
        ("mail.ru", True),
        ("bk.ru", True),
        ("rambler.ru", True),
        ("gmx.de", True),
        ("web.de", True),
        ("t-online.de", True),
        ("outlook.com", True),
        ("hotmail.com", True),
        ("icloud.com", True),
        ("proton.me", True),
        ("acme-bau.de", False),
        ("corp.mail.ru", False),  # exact domains only: a company's own subdomain is its own
        ("stroymontazh-kzn.ru", False),
    ],
)
def test_free_providers(domain, free):
    assert is_free_provider(domain) is free


@pytest.mark.parametrize(
    "address, role",
    [
        ("info@acme-bau.de", True),
        ("sales@acme-bau.de", True),
        ("postmaster@acme-bau.de", True),
        ("noreply@acme-bau.de", True),
        ("buhgalteria@stroymontazh-kzn.ru", True),
        ("zakaz@stroymontazh-kzn.ru", True),
        ("vertrieb@beispiel-bau.de", True),
        ("einkauf@beispiel-bau.de", True),
        ("alice@acme-bau.de", False),
        ("ivan.petrov@stroymontazh-kzn.ru", False),
        ("h.mueller@beispiel-bau.de", False),
    ],
)
def test_role_accounts(address, role):
    assert check_misc(address, address.split("@")[1]).role is role
