"""`leadgen normalize KIND TEXT [--country CC]`: one JSON object per value, every field."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from leadgen.cli import app

FIELDS = {
    "phone": ["kind", "input", "country", "e164", "extension", "type", "region", "valid", "reason"],
    "name": ["kind", "input", "full", "first", "middle", "last", "key", "valid", "reason"],
    "title": [
        "kind",
        "input",
        "title",
        "seniority",
        "department",
        "is_decision_maker",
        "valid",
        "reason",
    ],
    "company": ["kind", "input", "display", "legal_form", "key", "translit_key", "valid", "reason"],
    "domain": ["kind", "input", "domain", "website", "valid", "reason"],
}


def run(*args):
    return CliRunner().invoke(app, ["normalize", *args], catch_exceptions=False)


def result(*args) -> dict:
    res = run(*args)
    assert res.exit_code == 0, res.output
    lines = res.stdout.strip().splitlines()
    assert len(lines) == 1  # one JSON object on one line
    return json.loads(lines[0])


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (
            ["phone", "8 (495) 123-45-67 доб. 12", "--country", "RU"],
            {
                "country": "RU",
                "e164": "+74951234567",
                "extension": "12",
                "type": "fixed_line",
                "region": "RU",
                "valid": True,
                "reason": "ok",
            },
        ),
        (
            ["phone", "0151 23456789", "--country", "Deutschland"],
            {"country": "DE", "e164": "+4915123456789", "type": "mobile", "region": "DE"},
        ),
        (
            ["phone", "+1 (800) 555-0199"],
            {"country": None, "e164": "+18005550199", "type": "toll_free", "region": "US"},
        ),
        (
            ["phone", "8 (123) 456-78-90", "--country", "ru"],
            {
                "e164": None,
                "type": "unknown",
                "region": None,
                "valid": False,
                "reason": "not a valid number for region RU",
            },
        ),
        (
            ["phone", "8 (495) 123-45-67"],
            {"valid": False, "reason": "no country code and no region hint"},
        ),
        (
            ["name", "Иванов Иван Иванович"],
            {"first": "Иван", "middle": "Иванович", "last": "Иванов", "key": "иван иванов"},
        ),
        (
            ["name", "Prof. Dr.-Ing. Hans von der Heide"],
            {"full": "Hans von der Heide", "first": "Hans", "last": "von der Heide"},
        ),
        (
            ["name", "Mr. John Smith Jr."],
            {"first": "John", "middle": None, "last": "Smith", "valid": True},
        ),
        (["name", "info@firma.de"], {"first": None, "last": None, "valid": False}),
        (
            ["title", "Зам. генерального директора"],
            {"seniority": "vp", "department": "executive", "is_decision_maker": True},
        ),
        (
            ["title", "Leiterin Einkauf"],
            {"seniority": "head", "department": "procurement", "is_decision_maker": True},
        ),
        (
            ["title", "Прораб"],
            {"seniority": "manager", "department": "production", "is_decision_maker": False},
        ),
        (
            ["title", "Прораб", "--dm-title", "прораб"],
            {"seniority": "manager", "is_decision_maker": True},
        ),
        (
            ["title", "Purchasing Manager", "--dm-department", "procurement"],
            {"seniority": "manager", "department": "procurement", "is_decision_maker": True},
        ),
        (["title", "12345"], {"seniority": "unknown", "department": "other", "valid": False}),
        (
            ["company", "ООО «Ромашка»"],
            {"legal_form": "ООО", "key": "ромашка", "translit_key": "romashka", "valid": True},
        ),
        (
            ["company", "Müller GmbH & Co. KG"],
            {"legal_form": "GmbH & Co. KG", "key": "müller", "translit_key": "muller"},
        ),
        (["company", "«»"], {"key": "", "valid": False, "reason": "no company name"}),
        (
            ["domain", "https://www.пример.рф/контакты"],
            {"domain": "xn--e1afmkfd.xn--p1ai", "valid": True, "reason": "ok"},
        ),
        (
            ["domain", "ivan.petrov@mail.yandex.ru"],
            {"domain": "yandex.ru", "website": None, "valid": True},
        ),
        (
            ["domain", "WWW.Firma.DE"],
            {"domain": "firma.de", "website": "https://www.firma.de/"},
        ),
        (
            ["domain", "127.0.0.1"],
            {"domain": None, "valid": False, "reason": "an IP address has no registrable domain"},
        ),
    ],
)
def test_normalize_prints_every_field(args, expected):
    out = result(*args)
    kind = args[0]
    assert list(out) == FIELDS[kind]
    assert out["kind"] == kind and out["input"] == args[1]
    assert {k: out[k] for k in expected} == expected


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["fax", "123"], "unknown kind 'fax'; choose one of phone, name, title, company, domain"),
        (["phone", "123", "--country", "Narnia"], "--country 'Narnia': not a country"),
        (["title", "CEO", "--dm-department", "salez"], "unknown department(s) ['salez']"),
        (["phone", "123", "--dm-title", "ceo"], "apply to KIND title only"),
    ],
)
def test_usage_errors_exit_2(args, message):
    res = run(*args)
    assert res.exit_code == 2
    assert message in res.stderr
    assert res.stdout == ""


def test_missing_text_is_a_usage_error():
    assert run("phone").exit_code == 2


def test_help_lists_the_kinds_with_examples():
    res = run("--help")
    assert res.exit_code == 0
    for word in ("phone", "name", "title", "company", "domain", "Examples:", "--country"):
        assert word in res.stdout


def test_every_field_is_documented():
    from pathlib import Path

    text = (Path(__file__).resolve().parents[2] / "docs" / "normalize.md").read_text("utf-8")
    intro = text.split("\n## ", 1)[0]
    common = ["kind", "input", "valid", "reason"]
    assert [f for f in common if f"`{f}`" not in intro] == []
    for kind, fields in FIELDS.items():
        section = text.split(f"## {kind}\n", 1)[1].split("\n## ", 1)[0]
        assert [f for f in fields if f not in common and f"`{f}`" not in section] == [], kind
