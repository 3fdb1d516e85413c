"""Map the column headers of an imported file to leadgen's canonical import fields.

Headers are matched after ``normalize_header``: casefold, ё → е, text in parentheses or
brackets dropped, and every character that is not a letter or digit removed, so "E-mail",
"email", "e mail" and "Email:" are one key and "Телефон (рабочий)" reads as "Телефон".
Lookup order for a header:

1. the key with the parenthesised text kept ("Tax ID (RU)" → inn);
2. the key without it ("Телефон (рабочий)" → phone);
3. either key without trailing digits ("Phone 2", "Email1", "Телефон_2" as ``read_table``
   renames repeated headers);
4. a keyword rule for phone, e-mail and website columns with qualifiers that decide whose
   they are ("Телефон директора" → phone, "Мобильный телефон контакта" → person_phone,
   "E-mail компании" → company_email).

Headers that match nothing are listed in ``ColumnMapping.ignored`` so the user sees them
and can map them with ``--map "Header=field"``.

Ambiguous headers, decided on the other columns of the same file (each decision is
explained in ``ColumnMapping.notes``):

* "Name" is full_name (English CRM contact exports: HubSpot, Pipedrive, Salesforce
  reports), except: with a first-name column and no last-name column it is last_name (German
  "Vorname; Name", where Name is the surname); in a file with company-only columns (website,
  domain, INN, industry, ...) and neither a company-name column nor any person column it is
  company_name (HubSpot company export: "Name, Company Domain Name, Phone Number").
* "Title" is the job title, except when another column already is (Outlook contact exports
  have "Title" for Mr./Dr. next to "Job Title"): then it goes to notes.
* German "Titel" is an academic title (Dr., Prof.): notes, so it never pollutes the job
  title that scoring reads; "Anrede" (Herr/Frau) is not mapped.
* "X" is Twitter/X, unless a "Y" column exists (coordinates): then it is not mapped.
* "Tax ID" alone is not mapped: it is an INN, a VAT ID or an EIN depending on the country;
  "Tax ID (RU)" and "ИНН" are inn.
* "ОКВЭД" (the Russian activity code, often with its text) feeds industry.
* "phone" and "email" are generic: the importer decides whether they belong to the person
  or the company; explicit person/company columns go to person_* / company_*.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

__all__ = [
    "CANONICAL_FIELDS",
    "IGNORE",
    "IMPORT_FIELDS",
    "ColumnMapping",
    "FieldSet",
    "describe_fields",
    "normalize_header",
    "parse_map_options",
    "resolve_columns",
]

IGNORE = "ignore"

# field -> (description, aliases). Aliases are written as they appear in real files; the
# first few are shown by describe_fields(). The field name itself is always an alias too.
_FIELDS: dict[str, tuple[str, tuple[str, ...]]] = {
    "company_name": (
        "Company (legal or trading) name",
        (
            "Название", "Наименование", "Наименование организации", "Компания",
            "Организация", "Контрагент", "Название компании", "Полное наименование",
            "Краткое наименование", "Сокращенное наименование", "Фирма", "Клиент",
            "Company", "Company name", "Organization", "Organisation", "Organization name",
            "Account", "Account Name", "Business name", "Legal name",
            "Firma", "Firmenname", "Unternehmen", "Unternehmensname", "Firmierung",
        ),
    ),
    "website": (
        "Company website URL",
        (
            "Сайт", "Веб-сайт", "Web-сайт", "Вебсайт", "Сайт компании", "Адрес сайта",
            "Website", "Web site", "Web", "URL", "Homepage", "Site", "Company website",
            "Webseite", "Internetseite", "Internetadresse", "Internet",
        ),
    ),
    "domain": (
        "Company domain (example.com)",
        ("Домен", "Domain", "Company domain", "Company Domain Name", "Website domain"),
    ),
    "phone": (
        "Phone; the importer decides if it is the person's or the company's",
        (
            "Телефон", "Тел.", "Тел", "Телефоны", "Номер телефона", "Контактный телефон",
            "Рабочий телефон", "Phone", "Phone number", "Telephone", "Tel", "Work phone",
            "Business phone", "Telefon", "Telefonnummer", "Rufnummer",
        ),
    ),
    "email": (
        "E-mail; the importer decides if it is the person's or the company's",
        (
            "E-mail", "Email", "Эл. почта", "Электронная почта", "Почта", "Адрес эл. почты",
            "Email address", "Mail", "E-Mail-Adresse", "Mailadresse",
        ),
    ),
    "company_phone": (
        "Company (switchboard) phone",
        (
            "Телефон компании", "Телефон организации", "Общий телефон", "Company phone",
            "Main phone", "Office phone", "Switchboard", "Telefon Zentrale", "Zentrale",
            "Firmentelefon",
        ),
    ),
    "company_email": (
        "Company e-mail (info@, sales@)",
        (
            "Email компании", "E-mail организации", "Общий email", "Company email",
            "General email", "Firmen-E-Mail",
        ),
    ),
    "inn": (
        "Russian taxpayer number ИНН (10 or 12 digits)",
        ("ИНН", "INN", "Tax ID (RU)", "ИНН организации", "ИНН компании"),
    ),
    "ogrn": (
        "Russian state registration number ОГРН/ОГРНИП",
        ("ОГРН", "ОГРНИП", "OGRN", "OGRNIP"),
    ),
    "kpp": ("Russian tax registration reason code КПП", ("КПП", "KPP")),
    "vat": (
        "EU VAT ID",
        (
            "VAT", "VAT ID", "VAT number", "VAT No", "USt-IdNr.", "USt-ID", "UID",
            "Umsatzsteuer-ID", "Umsatzsteuer-Identifikationsnummer", "НДС номер",
        ),
    ),
    "hrb": (
        "German commercial register number (HRB/HRA)",
        (
            "HRB", "HRA", "Handelsregister", "Handelsregisternummer", "Registernummer",
            "HR-Nummer", "Commercial register",
        ),
    ),
    "country": ("Country", ("Страна", "Country", "Land", "Staat")),
    "region": (
        "Region, state or federal subject",
        (
            "Регион", "Область", "Край", "Республика", "Субъект РФ", "Субъект",
            "Region", "State", "Province", "County", "Bundesland",
        ),
    ),
    "city": (
        "City or town",
        ("Город", "Населенный пункт", "City", "Town", "Stadt", "Ort"),
    ),
    "address": (
        "Street address",
        (
            "Адрес", "Юридический адрес", "Фактический адрес", "Почтовый адрес",
            "Адрес регистрации", "Address", "Street", "Street address", "Address line 1",
            "Anschrift", "Adresse", "Straße", "Straße und Hausnummer", "Hausnummer",
        ),
    ),
    "postal_code": (
        "Postal code",
        (
            "Индекс", "Почтовый индекс", "ZIP", "ZIP code", "Postal code", "Postcode",
            "Post code", "PLZ", "Postleitzahl",
        ),
    ),
    "industry": (
        "Industry or line of business (ОКВЭД codes accepted)",
        (
            "Отрасль", "Сфера деятельности", "Вид деятельности", "Основной вид деятельности",
            "ОКВЭД", "Основной ОКВЭД", "Код ОКВЭД", "Industry", "Sector", "Vertical",
            "Branche", "Wirtschaftszweig",
        ),
    ),
    "employees": (
        "Number of employees (a number or a range)",
        (
            "Численность", "Численность сотрудников", "Среднесписочная численность",
            "Количество сотрудников", "Кол-во сотрудников", "Сотрудники", "Сотрудников",
            "Штат", "Employees", "Number of employees", "Employee count", "Headcount",
            "Company size", "Mitarbeiter", "Mitarbeiterzahl", "Anzahl Mitarbeiter",
        ),
    ),
    "revenue": (
        "Annual revenue",
        (
            "Выручка", "Выручка за год", "Оборот", "Revenue", "Annual revenue", "Turnover",
            "Umsatz", "Jahresumsatz",
        ),
    ),
    "description": (
        "Free-text company description",
        ("Описание", "О компании", "Description", "About", "Summary", "Beschreibung"),
    ),
    "status": ("Lead/CRM status", ("Статус", "Status", "Lead status", "Stage", "Стадия")),
    "linkedin": (
        "LinkedIn URL",
        ("LinkedIn", "LinkedIn URL", "LinkedIn profile", "LinkedIn page", "Линкедин"),
    ),
    "facebook": ("Facebook URL", ("Facebook", "Facebook URL", "FB", "Фейсбук")),
    "vk": ("VK URL", ("VK", "ВКонтакте", "ВК", "VKontakte", "VK URL")),
    "telegram": ("Telegram URL or @handle", ("Telegram", "Телеграм", "Телеграмм", "TG")),
    "twitter": ("Twitter/X URL or @handle", ("Twitter", "X", "Twitter/X", "X (Twitter)")),
    "xing": ("XING URL", ("Xing", "XING profile")),
    "instagram": ("Instagram URL", ("Instagram", "Инстаграм", "Insta")),
    "youtube": ("YouTube URL", ("YouTube", "Ютуб", "YouTube channel")),
    "full_name": (
        "Person's full name",
        (
            "ФИО", "Контактное лицо", "Контакт", "Представитель", "ФИО контакта",
            "ФИО руководителя", "Руководитель", "Full name", "Name", "Contact",
            "Contact name", "Contact person", "Person", "Ansprechpartner", "Kontaktperson",
            "Vollständiger Name",
        ),
    ),
    "first_name": (
        "Person's first (given) name",
        ("Имя", "First name", "Given name", "Firstname", "Vorname"),
    ),
    "middle_name": (
        "Middle name or patronymic",
        ("Отчество", "Middle name", "Patronymic", "Second name", "Zweiter Vorname"),
    ),
    "last_name": (
        "Person's last (family) name",
        ("Фамилия", "Last name", "Surname", "Family name", "Lastname", "Nachname",
         "Familienname"),
    ),
    "title": (
        "Job title",
        (
            "Должность", "Должность руководителя", "Позиция", "Title", "Job title",
            "Position", "Role", "Job role", "Job function", "Funktion", "Berufsbezeichnung",
            "Stellenbezeichnung",
        ),
    ),
    "department": ("Department", ("Отдел", "Подразделение", "Департамент", "Department",
                                  "Abteilung", "Bereich")),
    "person_email": (
        "The person's own e-mail",
        (
            "Email контакта", "E-mail контакта", "Email контактного лица", "Личный email",
            "Work email", "Personal email", "Contact email", "Direct email",
            "E-Mail Ansprechpartner",
        ),
    ),
    "person_phone": (
        "The person's own (mobile/direct) phone",
        (
            "Мобильный", "Мобильный телефон", "Моб. телефон", "Моб.", "Сотовый",
            "Сотовый телефон", "Телефон контакта", "Телефон контактного лица",
            "Mobile", "Mobile phone", "Cell", "Cell phone", "Direct phone", "Direct dial",
            "Contact phone", "Mobil", "Mobiltelefon", "Mobilnummer", "Handy",
            "Durchwahl", "Telefon Ansprechpartner",
        ),
    ),
    "notes": (
        "Free-text notes (also German academic titles and Outlook salutations)",
        (
            "Примечание", "Примечания", "Комментарий", "Комментарии", "Заметки", "Notes",
            "Note", "Comment", "Comments", "Remarks", "Bemerkung", "Bemerkungen", "Notiz",
            "Notizen", "Kommentar", "Titel",
        ),
    ),
}  # fmt: skip

CANONICAL_FIELDS: tuple[str, ...] = tuple(_FIELDS)

_PARENS = re.compile(r"\([^)]*\)|\[[^\]]*\]")
_NOT_ALNUM = re.compile(r"[\W_]+")
_TRAILING_DIGITS = re.compile(r"\d+\Z")


def normalize_header(header: str, *, keep_parens: bool = False) -> str:
    """The lookup key of a header: "E-Mail-Adresse:" -> "emailadresse"."""
    text = header.casefold().replace("ё", "е")
    if keep_parens:
        text = text.replace("(", " ").replace(")", " ")
    else:
        text = _PARENS.sub(" ", text)
    return _NOT_ALNUM.sub("", text)


def _build_lookup(fields: dict[str, tuple[str, tuple[str, ...]]]) -> dict[str, str]:
    lookup: dict[str, str] = {}
    for name, (_, aliases) in fields.items():
        for alias in (name, *aliases):
            # "Tax ID (RU)" must not make plain "Tax ID" an inn: an alias with parentheses
            # only registers its full key.
            key = normalize_header(alias, keep_parens=True)
            if key:
                if lookup.setdefault(key, name) != name:
                    raise AssertionError(f"alias {alias!r} maps to {lookup[key]} and {name}")
    return lookup


@dataclass(frozen=True)
class FieldSet:
    """The canonical fields of one kind of file, with their header aliases.

    ``IMPORT_FIELDS`` (``leadgen import``) is the default everywhere; another command's file
    (``leadgen import-orders``) brings its own set and gets the same header matching, ``--map``
    parsing and ignored-column report.  Step 4 (phone / e-mail / website keywords) only ever
    yields a field the set has.
    """

    fields: dict[str, tuple[str, tuple[str, ...]]]
    lookup: dict[str, str] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "lookup", _build_lookup(self.fields))

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(self.fields)


IMPORT_FIELDS = FieldSet(_FIELDS)
_LOOKUP = IMPORT_FIELDS.lookup

# Keyword rule (step 4): tokens of the header, after casefold and ё -> е.
_PHONE_WORDS = frozenset(
    "телефон телефоны тел phone telephone tel telefon telefonnummer mobile mobil "
    "мобильный сотовый handy".split()
)
_EMAIL_WORDS = frozenset("email emails mail почта емейл имейл емэйл".split())
_SITE_WORDS = frozenset("сайт website homepage url webseite".split())
_PERSON_WORDS = frozenset(
    "контакта контактного лица сотрудника менеджера директора руководителя личный личная "
    "мобильный сотовый mobile mobil cell handy direct personal contact ansprechpartner "
    "persönliche".split()
)
_COMPANY_WORDS = frozenset(
    "компании организации общий общая офиса company office main general firma "
    "unternehmen zentrale".split()
)
# "Руководитель" columns in Russian registry exports hold the director's name, so a phone or
# e-mail "директора"/"руководителя" is that person's.
_TOKEN = re.compile(r"[^\W_]+")


def _keyword_field(header: str) -> str | None:
    text = _PARENS.sub(" ", header.casefold().replace("ё", "е"))
    text = text.replace("e-mail", "email").replace("e mail", "email")
    tokens = set(_TOKEN.findall(text))
    if tokens & _EMAIL_WORDS:
        kind = "email"
    elif tokens & _PHONE_WORDS:
        kind = "phone"
    elif tokens & _SITE_WORDS:
        return "website"
    else:
        return None
    if kind == "phone" and tokens & {"mobile", "mobil", "мобильный", "сотовый", "handy"}:
        return "person_phone"
    if tokens & _PERSON_WORDS:
        return f"person_{kind}"
    if tokens & _COMPANY_WORDS:
        return f"company_{kind}"
    return kind


def _lookup(header: str, fieldset: FieldSet = IMPORT_FIELDS) -> str | None:
    keys = [normalize_header(header, keep_parens=True), normalize_header(header)]
    keys += [_TRAILING_DIGITS.sub("", k) for k in keys]
    for key in keys:
        if key and key in fieldset.lookup:
            return fieldset.lookup[key]
    found = _keyword_field(header)
    return found if found in fieldset.fields else None


@dataclass
class ColumnMapping:
    fields: dict[str, str]  # header -> canonical field
    ignored: list[str]  # headers not mapped (reported to the user)
    notes: list[str] = field(default_factory=list)  # why ambiguous headers went where

    def field_values(self, row_values: dict[str, str]) -> dict[str, list[str]]:
        """Canonical field -> its non-empty values in column order (duplicates dropped)."""
        out: dict[str, list[str]] = {}
        for header, name in self.fields.items():
            value = (row_values.get(header) or "").strip()
            if not value:
                continue
            values = out.setdefault(name, [])
            if value not in values:
                values.append(value)
        return out

    def columns_for(self, name: str) -> list[str]:
        """Headers that feed canonical field ``name``."""
        return [h for h, f in self.fields.items() if f == name]


_PERSON_FIELDS = frozenset(
    "full_name first_name middle_name last_name title department person_email person_phone".split()
)
_COMPANY_ONLY_FIELDS = frozenset(
    "website domain inn ogrn kpp vat hrb industry employees revenue company_phone "
    "company_email".split()
)


def resolve_columns(
    headers: list[str],
    overrides: dict[str, str] | None = None,
    fieldset: FieldSet = IMPORT_FIELDS,
) -> ColumnMapping:
    """Map each header to a canonical field of ``fieldset``; ``overrides`` come from
    ``parse_map_options``.

    Raises ``ValueError`` if an override names a column the file does not have.
    """
    fields: dict[str, str] = {}
    ignored_by_user: set[str] = set()
    notes: list[str] = []
    for wanted, name in (overrides or {}).items():
        matches = _match_headers(wanted, headers)
        if not matches:
            raise ValueError(
                f"--map {wanted}={name}: the file has no column {wanted!r} "
                f"(columns: {', '.join(headers)})"
            )
        for header in matches:
            if name == IGNORE:
                ignored_by_user.add(header)
            else:
                fields[header] = name

    auto: dict[str, str] = {}
    for header in headers:
        if header in fields or header in ignored_by_user:
            continue
        name = _lookup(header, fieldset)
        if name is not None:
            auto[header] = name

    keys = {h: normalize_header(h) for h in headers}
    for header in list(auto):
        key = keys[header]
        others = {f for h, f in {**fields, **auto}.items() if h != header}
        if key == "name":
            if "first_name" in others and "last_name" not in others:
                auto[header] = "last_name"
                notes.append(
                    f"{header!r} read as last_name: the file has a first-name column "
                    "(German 'Vorname; Name')"
                )
            elif (
                others & _COMPANY_ONLY_FIELDS
                and "company_name" not in others
                and not others & _PERSON_FIELDS
            ):
                auto[header] = "company_name"
                notes.append(
                    f"{header!r} read as company_name: the file has company columns and "
                    "no person columns"
                )
        elif key == "title" and "title" in others:
            auto[header] = "notes"
            notes.append(
                f"{header!r} read as notes (a salutation such as Mr./Dr.): another column "
                "holds the job title"
            )
        elif key == "x" and "y" in keys.values():
            del auto[header]
            notes.append(f"{header!r} not mapped: with a 'Y' column it looks like a coordinate")

    fields.update(auto)
    ordered = {h: fields[h] for h in headers if h in fields}
    ignored = [h for h in headers if h not in ordered]
    return ColumnMapping(ordered, ignored, notes)


def _match_headers(wanted: str, headers: list[str]) -> list[str]:
    exact = [h for h in headers if h == wanted]
    if exact:
        return exact
    folded = [h for h in headers if h.strip().casefold() == wanted.strip().casefold()]
    if folded:
        return folded
    for keep in (True, False):
        key = normalize_header(wanted, keep_parens=keep)
        found = [h for h in headers if key and normalize_header(h, keep_parens=keep) == key]
        if found:
            return found
    return []


def parse_map_options(items: list[str], fieldset: FieldSet = IMPORT_FIELDS) -> dict[str, str]:
    """Parse ``--map "Header=field"`` items; field is a canonical field, "ignore" or "-"."""
    out: dict[str, str] = {}
    for item in items:
        header, sep, name = item.rpartition("=")
        header, name = header.strip(), name.strip().lower()
        if not sep or not header or not name:
            raise ValueError(
                f'--map {item!r}: expected "Header=field", e.g. "Телефон (моб.)=person_phone"'
            )
        if name == "-":
            name = IGNORE
        name = name.replace("-", "_").replace(" ", "_")
        if name != IGNORE and name not in fieldset.fields:
            raise ValueError(
                f"--map {item!r}: unknown field {name!r}; valid fields: "
                + ", ".join(fieldset.names)
                + f", or {IGNORE!r}/'-' to skip the column"
            )
        previous = next((k for k in out if k.casefold() == header.casefold()), None)
        if previous is not None and out[previous] != name:
            raise ValueError(f"--map: column {header!r} mapped twice ({out[previous]} and {name})")
        out[header] = name
    return out


def describe_fields(
    fieldset: FieldSet = IMPORT_FIELDS,
) -> list[tuple[str, str, tuple[str, ...]]]:
    """(field, description, example aliases) for ``leadgen import --help`` and the docs."""
    return [(name, desc, _examples(aliases)) for name, (desc, aliases) in fieldset.fields.items()]


def _examples(aliases: Iterable[str], per_language: int = 2) -> tuple[str, ...]:
    cyrillic = [a for a in aliases if re.search("[а-яА-Я]", a)]
    latin = [a for a in aliases if a not in cyrillic]
    return tuple(latin[: per_language + 1] + cyrillic[:per_language])
