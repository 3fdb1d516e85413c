"""Header aliases (RU/EN/DE) -> canonical import fields, contextual rules and --map overrides."""

from __future__ import annotations

import pytest

from leadgen.importing.columns import (
    CANONICAL_FIELDS,
    ColumnMapping,
    describe_fields,
    normalize_header,
    parse_map_options,
    resolve_columns,
)

BRIEF_FIELDS = (
    "company_name website domain phone email company_phone company_email inn ogrn kpp vat hrb "
    "country region city address postal_code industry employees revenue description status "
    "linkedin facebook vk telegram twitter xing instagram youtube full_name first_name "
    "middle_name last_name title department person_email person_phone notes"
).split()


def test_canonical_fields_are_exactly_the_documented_ones():
    assert list(CANONICAL_FIELDS) == BRIEF_FIELDS


@pytest.mark.parametrize(
    ("header", "field"),
    [
        # Russian
        ("Название", "company_name"),
        ("Наименование организации", "company_name"),
        ("Контрагент", "company_name"),
        ("Веб-сайт", "website"),
        ("Web-сайт", "website"),
        ("Тел.", "phone"),
        ("Телефоны", "phone"),
        ("Телефон (рабочий)", "phone"),
        ("Мобильный", "person_phone"),
        ("Телефон контакта", "person_phone"),
        ("Эл. почта", "email"),
        ("Электронная почта", "email"),
        ("Email контакта", "person_email"),
        ("ИНН", "inn"),
        ("ОГРНИП", "ogrn"),
        ("КПП", "kpp"),
        ("ФИО", "full_name"),
        ("Контактное лицо", "full_name"),
        ("Имя", "first_name"),
        ("Отчество", "middle_name"),
        ("Фамилия", "last_name"),
        ("Должность", "title"),
        ("Отдел", "department"),
        ("Область", "region"),
        ("Юридический адрес", "address"),
        ("Почтовый индекс", "postal_code"),
        ("Вид деятельности", "industry"),
        ("ОКВЭД", "industry"),
        ("Кол-во сотрудников", "employees"),
        ("Выручка", "revenue"),
        ("Примечание", "notes"),
        ("ВКонтакте", "vk"),
        ("Телеграм", "telegram"),
        # English
        ("Company name", "company_name"),
        ("Account Name", "company_name"),
        ("URL", "website"),
        ("Homepage", "website"),
        ("Domain", "domain"),
        ("Telephone", "phone"),
        ("Mobile", "person_phone"),
        ("Direct phone", "person_phone"),
        ("Work email", "person_email"),
        ("Company phone", "company_phone"),
        ("Tax ID (RU)", "inn"),
        ("VAT number", "vat"),
        ("Full name", "full_name"),
        ("Name", "full_name"),
        ("Contact name", "full_name"),
        ("Given name", "first_name"),
        ("Surname", "last_name"),
        ("Patronymic", "middle_name"),
        ("Job title", "title"),
        ("Role", "title"),
        ("State", "region"),
        ("ZIP", "postal_code"),
        ("Headcount", "employees"),
        ("Annual revenue", "revenue"),
        ("About", "description"),
        ("Status", "status"),
        ("Comment", "notes"),
        ("LinkedIn", "linkedin"),
        ("X", "twitter"),
        ("YouTube", "youtube"),
        # German
        ("Firmenname", "company_name"),
        ("Unternehmen", "company_name"),
        ("Internetseite", "website"),
        ("Telefonnummer", "phone"),
        ("Handy", "person_phone"),
        ("E-Mail-Adresse", "email"),
        ("USt-IdNr.", "vat"),
        ("Handelsregister", "hrb"),
        ("Ansprechpartner", "full_name"),
        ("Vorname", "first_name"),
        ("Nachname", "last_name"),
        ("Funktion", "title"),
        ("Abteilung", "department"),
        ("Ort", "city"),
        ("Bundesland", "region"),
        ("Land", "country"),
        ("Straße", "address"),
        ("PLZ", "postal_code"),
        ("Branche", "industry"),
        ("Mitarbeiterzahl", "employees"),
        ("Umsatz", "revenue"),
        ("Beschreibung", "description"),
        ("Bemerkung", "notes"),
        ("Titel", "notes"),  # academic title (Dr.), not a job title
        ("Xing", "xing"),
        # canonical names themselves (our own exports re-imported)
        ("person_email", "person_email"),
        ("company_name", "company_name"),
    ],
)
def test_alias(header, field):
    assert resolve_columns([header]).fields == {header: field}


@pytest.mark.parametrize(
    "variants",
    [
        ["e-mail", "Email", "E Mail", "E-MAIL:", "Email*", " email ", "e_mail"],
        ["Телефон", "ТЕЛЕФОН", "Телефон:", "Телефон (рабочий)", "телефон *", "Телефон_2"],
        ["Ёмкость рынка", "емкость рынка"],
        ["Company  name", "company name", "Company-Name"],
    ],
)
def test_normalization_equivalences(variants):
    keys = {normalize_header(v) for v in variants}
    keys = {k.rstrip("0123456789") for k in keys}
    assert len(keys) == 1, keys


@pytest.mark.parametrize(
    ("header", "field"),
    [
        ("Phone 2", "phone"),
        ("Email1", "email"),
        ("Телефон_2", "phone"),
        ("Основной телефон", "phone"),
        ("Телефон директора", "person_phone"),
        ("Мобильный телефон контакта", "person_phone"),
        ("E-mail компании", "company_email"),
        ("Общий e-mail", "company_email"),
        ("Личная почта", "person_email"),
        ("Сайт организации", "website"),
    ],
)
def test_numbered_and_qualified_headers(header, field):
    assert resolve_columns([header]).fields == {header: field}


@pytest.mark.parametrize("header", ["Tax ID", "Непонятная колонка", "Anrede", "Score", ""])
def test_unknown_and_ambiguous_headers_are_reported_not_guessed(header):
    mapping = resolve_columns([header])
    assert mapping.fields == {}
    assert mapping.ignored == [header]


@pytest.mark.parametrize(
    ("headers", "expected", "note"),
    [
        # German "Vorname; Name": Name is the surname.
        (
            ["Firma", "Vorname", "Name", "E-Mail"],
            {"Name": "last_name", "Vorname": "first_name"},
            "last_name",
        ),
        # HubSpot company export: Name is the company.
        (
            ["Name", "Company Domain Name", "Phone Number", "Industry"],
            {"Name": "company_name", "Company Domain Name": "domain"},
            "company_name",
        ),
        # English contact export: Name is the person.
        (["Name", "Email", "Company"], {"Name": "full_name", "Company": "company_name"}, None),
        (["Name", "Email", "Website", "Job title"], {"Name": "full_name"}, None),
        # Outlook: Title is the salutation when Job Title exists.
        (
            ["Title", "First Name", "Last Name", "Job Title"],
            {"Title": "notes", "Job Title": "title"},
            "salutation",
        ),
        (["Title", "First Name"], {"Title": "title"}, None),
        # X/Y coordinates are not Twitter.
        (["City", "X", "Y"], {"City": "city"}, "coordinate"),
    ],
)
def test_context_rules(headers, expected, note):
    mapping = resolve_columns(headers)
    for header, field in expected.items():
        assert mapping.fields.get(header) == field
    if note is None:
        assert mapping.notes == []
    else:
        assert len(mapping.notes) == 1 and note in mapping.notes[0]


def test_russian_excel_header_row():
    headers = [
        "Наименование", "ИНН", "КПП", "ОГРН", "Телефон", "Телефон_2", "E-mail", "Сайт",
        "Руководитель", "Должность руководителя", "Юридический адрес", "Город", "Регион",
        "ОКВЭД", "Среднесписочная численность", "Выручка за год", "Комментарий", "Прочее",
    ]  # fmt: skip
    mapping = resolve_columns(headers)
    assert list(mapping.fields.values()) == [
        "company_name", "inn", "kpp", "ogrn", "phone", "phone", "email", "website",
        "full_name", "title", "address", "city", "region", "industry", "employees",
        "revenue", "notes",
    ]  # fmt: skip
    assert mapping.ignored == ["Прочее"]


def test_field_values_collects_several_columns_and_skips_empty():
    mapping = ColumnMapping(
        fields={"Телефон": "phone", "Телефон_2": "phone", "Моб.": "person_phone", "ИНН": "inn"},
        ignored=["Прочее"],
    )
    row = {
        "Телефон": "+7 495 111-11-11",
        "Телефон_2": " +7 495 222-22-22 ",
        "Моб.": "",
        "ИНН": "7707083893",
        "Прочее": "x",
    }
    assert mapping.field_values(row) == {
        "phone": ["+7 495 111-11-11", "+7 495 222-22-22"],
        "inn": ["7707083893"],
    }
    assert mapping.field_values({"Телефон": "1", "Телефон_2": "1"}) == {"phone": ["1"]}
    assert mapping.field_values({}) == {}
    assert mapping.columns_for("phone") == ["Телефон", "Телефон_2"]


# --------------------------------------------------------------------------- --map


def test_overrides_win_and_match_headers_loosely():
    headers = ["Телефон (моб.)", "Клиент", "Score", "Email"]
    overrides = parse_map_options(
        ["телефон (моб.)=person_phone", "Score=notes", "Email=-", "Клиент=full_name"]
    )
    mapping = resolve_columns(headers, overrides)
    assert mapping.fields == {
        "Телефон (моб.)": "person_phone",
        "Клиент": "full_name",
        "Score": "notes",
    }
    assert mapping.ignored == ["Email"]


def test_override_context_counts_for_the_rules():
    mapping = resolve_columns(["Vorname", "Name"], parse_map_options(["Vorname=first_name"]))
    assert mapping.fields == {"Vorname": "first_name", "Name": "last_name"}


def test_override_for_a_missing_column():
    with pytest.raises(ValueError, match=r"no column 'Telefn' \(columns: Телефон, Email\)"):
        resolve_columns(["Телефон", "Email"], {"Telefn": "phone"})


@pytest.mark.parametrize(
    ("items", "expected"),
    [
        (["Телефон=phone"], {"Телефон": "phone"}),
        ([" Email контакта = Person_Email "], {"Email контакта": "person_email"}),
        (["a=b=company-name"], {"a=b": "company_name"}),
        (["X=ignore", "Y=-"], {"X": "ignore", "Y": "ignore"}),
        (["A=phone", "a=phone"], {"A": "phone", "a": "phone"}),
        ([], {}),
    ],
)
def test_parse_map_options(items, expected):
    assert parse_map_options(items) == expected


@pytest.mark.parametrize(
    ("items", "message"),
    [
        (["Телефон"], 'expected "Header=field"'),
        (["=phone"], 'expected "Header=field"'),
        (["Телефон="], 'expected "Header=field"'),
        (["Телефон=mobile"], "unknown field 'mobile'; valid fields: company_name, website"),
        (["A=phone", "a=email"], "column 'a' mapped twice (phone and email)"),
    ],
)
def test_parse_map_options_errors(items, message):
    with pytest.raises(ValueError) as err:
        parse_map_options(items)
    assert message in str(err.value)


def test_unknown_field_message_lists_every_field():
    with pytest.raises(ValueError) as err:
        parse_map_options(["A=nope"])
    for name in CANONICAL_FIELDS:
        assert name in str(err.value)


def test_describe_fields_covers_every_field_with_examples():
    rows = describe_fields()
    assert [r[0] for r in rows] == list(CANONICAL_FIELDS)
    for name, description, examples in rows:
        assert description and examples, name
        for alias in examples:
            mapped = resolve_columns([alias]).fields.get(alias)
            # "Name" and "Title" depend on context; alone they keep their documented field.
            assert mapped == name, (alias, mapped, name)


def test_every_alias_maps_to_its_own_field_when_alone():
    from leadgen.importing import columns

    for name, (_, aliases) in columns._FIELDS.items():
        for alias in aliases:
            assert resolve_columns([alias]).fields == {alias: name}, alias
