"""normalize_email / split_emails: addresses as they come from Russian, German, US pages."""

from __future__ import annotations

import pytest

from enrichment import Email, normalize_email, split_emails


@pytest.mark.parametrize(
    ("text", "address", "is_role"),
    [
        ("ivan.petrov@example.ru", "ivan.petrov@example.ru", False),
        ("  Ivan.Petrov@Example.RU  ", "ivan.petrov@example.ru", False),
        ("mailto:Info@Example.COM", "info@example.com", True),
        ("MAILTO:sales@firma.de?subject=Anfrage", "sales@firma.de", True),
        ("<anna.schmidt@firma.de>", "anna.schmidt@firma.de", False),
        ("anna.schmidt@firma.de.", "anna.schmidt@firma.de", False),
        ("Иван Петров <ivan@mail.ru>", "ivan@mail.ru", False),
        ("E-mail: Zakaz@stroy-msk.ru", "zakaz@stroy-msk.ru", True),
        ("info [at] firma [dot] de", "info@firma.de", True),
        ("kontakt(at)firma.de", "kontakt@firma.de", True),
        ("director@пример.рф", "director@xn--e1afmkfd.xn--p1ai", True),
        ("Ivan@Пример.РФ", "ivan@xn--e1afmkfd.xn--p1ai", False),
        ("john.smith+crm@gmail.com", "john.smith+crm@gmail.com", False),
        ("j.smith@sub.example.co.uk", "j.smith@sub.example.co.uk", False),
        ("«office@zavod.ru»", "office@zavod.ru", True),
        # role mailboxes: RU, DE and EN spellings, with numbers, dashes and city suffixes
        ("priemnaya@mos.ru", "priemnaya@mos.ru", True),
        ("buh@zavod.ru", "buh@zavod.ru", True),
        ("buhgalteria@zavod.ru", "buhgalteria@zavod.ru", True),
        ("zakupki@zavod.ru", "zakupki@zavod.ru", True),
        ("sales-msk@zavod.ru", "sales-msk@zavod.ru", True),
        ("info1@zavod.ru", "info1@zavod.ru", True),
        ("info.spb@zavod.ru", "info.spb@zavod.ru", True),
        ("vertrieb@firma.de", "vertrieb@firma.de", True),
        ("bewerbung@firma.de", "bewerbung@firma.de", True),
        ("personal@firma.de", "personal@firma.de", True),
        ("no-reply@shop.com", "no-reply@shop.com", True),
        ("no_reply@shop.com", "no_reply@shop.com", True),
        ("noreply@shop.com", "noreply@shop.com", True),
        ("postmaster@shop.com", "postmaster@shop.com", True),
        ("careers@shop.com", "careers@shop.com", True),
        ("hr@shop.com", "hr@shop.com", True),
        # personal addresses that merely contain a role word are not role accounts
        ("ivan.sales@zavod.ru", "ivan.sales@zavod.ru", False),
        ("information.officer.smith@x.com", "information.officer.smith@x.com", False),
        ("mailer.ivanov@x.ru", "mailer.ivanov@x.ru", False),
        ("hristo@x.bg", "hristo@x.bg", False),
        ("prshenko@x.ru", "prshenko@x.ru", False),
    ],
)
def test_valid_addresses(text, address, is_role):
    email = normalize_email(text)
    local, domain = address.split("@")
    assert email == Email(text, address, domain, local, True, is_role, "ok")


@pytest.mark.parametrize(
    ("text", "reason_part"),
    [
        (None, "empty"),
        ("", "empty"),
        ("   ", "empty"),
        ("mailto:", "empty"),
        ("ivan.petrov.example.ru", "no @-sign"),
        ("😀", "no @-sign"),
        ("a@localhost", "It should have a period"),
        ("ivan@", "There must be something after the @-sign"),
        ("@example.com", "There must be something before the @-sign"),
        ("a..b@example.com", "two periods in a row"),
        ("ivan@@example.com", "@"),
        ("ivan@exa mple", "It should have a period"),
        ("x@test.local", "special-use or reserved name"),
        ("ivan@пример..рф", "period"),
        ("ivan@-пример.рф", "hyphen"),
        ("иван..петров@пример.рф", "two periods in a row"),
        ("ivan@xn--zz.рф", "Invalid A-label"),
        ("a" * 10_000 + "@x.ru", "too long"),
        ("a" * 65 + "@x.ru", "too long"),
    ],
)
def test_invalid_addresses(text, reason_part):
    email = normalize_email(text)
    assert email.valid is False
    assert email.address is None and email.domain is None and email.local is None
    assert email.is_role is False
    assert reason_part in email.reason


def test_cached():
    assert normalize_email("info@x.ru") is normalize_email("info@x.ru")


@pytest.mark.parametrize(
    ("cell", "pieces"),
    [
        (None, []),
        ("", []),
        ("  \n ", []),
        ("a@x.ru", ["a@x.ru"]),
        ("a@x.ru; b@y.ru", ["a@x.ru", "b@y.ru"]),
        ("a@x.ru, b@y.ru", ["a@x.ru", "b@y.ru"]),
        ("a@x.ru\nb@y.ru\r\nc@z.de", ["a@x.ru", "b@y.ru", "c@z.de"]),
        ("a@x.ru b@y.ru", ["a@x.ru", "b@y.ru"]),
        ("a@x.ru | b@y.ru", ["a@x.ru", "b@y.ru"]),
        ("E-mail: info@firma.de", ["info@firma.de"]),
        (
            "Иван Петров <ivan@mail.ru>, Анна <anna@mail.ru>",
            ["Иван Петров <ivan@mail.ru>", "Анна <anna@mail.ru>"],
        ),
        ("info [at] firma.de", ["info@firma.de"]),
        # pieces that are not addresses are returned so they can be reported as invalid
        ("a@x.ru; ivan.x.ru", ["a@x.ru", "ivan.x.ru"]),
        ("нет; a@x.ru", ["нет", "a@x.ru"]),
        ("broken@; @x.ru", ["broken@", "@x.ru"]),
    ],
)
def test_split_emails(cell, pieces):
    assert split_emails(cell) == pieces


def test_split_then_normalize_reports_invalid_pieces():
    results = [normalize_email(p) for p in split_emails("info@firma.de; ivan@; Петров")]
    assert [(r.address, r.valid) for r in results] == [
        ("info@firma.de", True),
        (None, False),
        (None, False),
    ]


def test_huge_cell_does_not_raise():
    assert len(split_emails("a@x.ru; " * 50_000)) > 0


def _generated_addresses(count: int) -> list[str]:
    import random

    rnd = random.Random(20241123)
    local_chars = "abcxyzABC0129._+-!#%&'*/=?^`{|}~\"()ä "
    labels = "mail x a-b -ab ab- xn--e1afmkfd 1 123 ex_ample ÄÖ co uk ru de local test onion"
    labels = [*labels.split(), "9com", "c0m", "a" * 63, "a" * 64]
    out = []
    for _ in range(count):
        n = rnd.randint(0, 12) if rnd.random() < 0.3 else rnd.randint(1, 70)
        local = "".join(rnd.choice(local_chars) for _ in range(n))
        if rnd.random() < 0.5:
            local = rnd.choice(["ivan.petrov", "info", "a..b", ".a", "a.", "j+tag", "x" * 65])
        domain = ".".join(rnd.choice(labels) for _ in range(rnd.randint(1, 4)))
        out.append(f"{local}@{domain}")
    return out


def test_fast_path_agrees_with_email_validator():
    from enrichment.normalize.emails import _fast, _slow

    used = 0
    for address in _generated_addresses(20_000):
        fast = _fast(address, address)
        if fast is not None:
            used += 1
            assert fast == _slow(address, address), address
    assert used > 500
