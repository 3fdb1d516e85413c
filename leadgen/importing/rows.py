"""One import row → one normalized ``CompanyRecord`` (with its contact), plus what was wrong.

Rules, in the order a reader of a purchased list or CRM export would expect:

* a row needs a company name or a website; without both it is rejected (an error);
* an invalid value (email, phone, ИНН with a bad check digit …) is reported with the row number
  and the reason, and the row is stored without it (a warning) — nothing disappears silently;
* ``phone`` / ``email`` columns of unclear owner: the phone is the company's; an email is the
  person's when the row names a person and the address is not a role address (info@, sales@ …),
  otherwise the company's;
* the phone region is the row's country, else the website's country-code TLD, else ``--country``.
"""

from __future__ import annotations

from dataclasses import dataclass

from enrichment.normalize.companies import normalize_company_name
from enrichment.normalize.countries import country_from_domain, normalize_country
from enrichment.normalize.domains import normalize_website, registrable_domain
from enrichment.normalize.emails import normalize_email, split_emails
from enrichment.normalize.names import parse_person_name
from enrichment.normalize.numbers import parse_amount, parse_headcount
from enrichment.normalize.phones import find_phones
from enrichment.normalize.registry import (
    check_inn,
    check_kpp,
    check_ogrn,
    normalize_hrb,
    normalize_vat,
)
from enrichment.normalize.titles import classify_title
from leadgen.importing.columns import ColumnMapping
from storage.files import Row
from storage.records import CompanyRecord, EmailRecord, PersonRecord, Problem, pickle_by_fields

SOCIAL_FIELDS = (
    "linkedin",
    "facebook",
    "vk",
    "telegram",
    "twitter",
    "xing",
    "instagram",
    "youtube",
)
# Values of a "Статус"/"Status" column, folded to lower case.
_STATUS_WORDS = {
    "current": (
        "current",
        "customer",
        "client",
        "active",
        "клиент",
        "текущий",
        "текущий клиент",
        "действующий",
        "действующий клиент",
        "kunde",
        "aktiv",
        "bestandskunde",
    ),
    "former": (
        "former",
        "former customer",
        "ex-customer",
        "churned",
        "lost",
        "бывший",
        "бывший клиент",
        "ушедший",
        "ehemalig",
        "ehemaliger kunde",
    ),
    "new": ("new", "prospect", "lead", "новый", "потенциальный", "лид", "neu", "interessent"),
}
_STATUS = {word: status for status, words in _STATUS_WORDS.items() for word in words}
# Fields read per row; everything else describes the company and is mapped once per distinct
# set of values (purchased lists repeat the company columns on every contact's row).
_ROW_FIELDS = frozenset(
    {
        "full_name",
        "first_name",
        "middle_name",
        "last_name",
        "title",
        "department",
        "person_email",
        "person_phone",
        "email",
        "company_email",
        "notes",
    }
)
_COMPANY_CACHE_SIZE = 20_000


@pickle_by_fields
@dataclass(slots=True)
class MappedRow:
    number: int
    record: CompanyRecord | None
    problems: list[Problem]


class RowMapper:
    """Maps rows of one file; holds the column mapping and the import-wide options."""

    def __init__(
        self,
        mapping: ColumnMapping,
        *,
        source: str,
        file_label: str,
        customers: bool = False,
        country: str | None = None,
    ) -> None:
        self.mapping = mapping
        self.source = f"import:{source}"
        self.file_label = file_label
        self.customers = customers
        self.country = normalize_country(country) if country else None
        self._companies: dict[
            tuple, tuple[CompanyRecord | None, str | None, list[tuple[str, str]]]
        ] = {}

    def map(self, row: Row) -> MappedRow:
        where = f"row {row.number}"
        values = self.mapping.field_values(row.values)
        company_key = tuple(
            sorted((f, tuple(v)) for f, v in values.items() if f not in _ROW_FIELDS)
        )
        cached = self._companies.get(company_key)
        if cached is None:
            if len(self._companies) >= _COMPANY_CACHE_SIZE:
                self._companies.clear()
            cached = self._companies[company_key] = self._company(values)
        template, region, company_problems = cached
        problems = [Problem(where, reason, severity) for reason, severity in company_problems]
        if template is None:
            return MappedRow(row.number, None, problems)
        rec = template.copy(locator=f"{self.file_label} {where}")

        def warn(reason: str) -> None:
            problems.append(Problem(where, reason))

        person = self._person(values, region, warn)
        rec.notes = list(values.get("notes", ()))
        for name in ("email", "company_email", "person_email"):
            for raw in values.get(name, ()):
                for piece in split_emails(raw):
                    email = normalize_email(piece)
                    if not email.valid or not email.address:
                        warn(
                            f"email {piece!r} is not a valid address ({email.reason}); "
                            "stored without it"
                        )
                        continue
                    er = EmailRecord(
                        address=email.address,
                        domain=email.domain or "",
                        kind="role" if email.is_role else "personal",
                        origin="imported",
                    )
                    to_person = person is not None and (
                        name == "person_email" or (name == "email" and not email.is_role)
                    )
                    target = person.emails if to_person else rec.emails
                    if all(e.address != er.address for e in target):
                        target.append(er)
        if person is not None:
            rec.people.append(person)
        return MappedRow(row.number, rec, problems)

    def _company(
        self, values: dict[str, list[str]]
    ) -> tuple[CompanyRecord | None, str | None, list[tuple[str, str]]]:
        """The company part of a row: (record template or None, phone region, problems)."""
        problems: list[tuple[str, str]] = []

        def warn(reason: str) -> None:
            problems.append((reason, "warning"))

        def first(name: str) -> str | None:
            found = values.get(name)
            return found[0] if found else None

        rec = CompanyRecord(source=self.source)
        # -- identity: name and website ---------------------------------------------------
        raw_site = first("website") or first("domain")
        if raw_site:
            rec.website = normalize_website(raw_site) if first("website") else None
            rec.domain = registrable_domain(raw_site)
            if not rec.domain:
                warn(f"website {raw_site!r} is not a valid web address; stored without it")
                rec.website = None
        raw_name = first("company_name")
        if raw_name:
            cname = normalize_company_name(raw_name)
            if cname.key:
                rec.name, rec.name_key, rec.legal_form = cname.display, cname.key, cname.legal_form
            else:
                warn(f"company name {raw_name!r} has no letters or digits; ignored")
        if not rec.name and not rec.domain:
            reason = "no company name and no website"
            if raw_name or raw_site:
                reason += " that could be read"
            return None, None, [(reason, "error")]
        if not rec.name:
            rec.name = rec.name_key = rec.domain
        # -- place ------------------------------------------------------------------------
        raw_country = first("country")
        if raw_country:
            rec.country = normalize_country(raw_country)
            if not rec.country:
                warn(f"country {raw_country!r} is not a known country name or code; ignored")
        rec.region, rec.city = first("region"), first("city")
        rec.address, rec.postal_code = first("address"), first("postal_code")
        region = rec.country or country_from_domain(rec.domain) or self.country
        if rec.country is None and self.country and not country_from_domain(rec.domain):
            rec.country = self.country
        # -- registration ids -------------------------------------------------------------
        self._registry(values, rec, warn)
        # -- company facts ----------------------------------------------------------------
        rec.industry, rec.description = first("industry"), first("description")
        raw_emp = first("employees")
        if raw_emp:
            rec.employees = parse_headcount(raw_emp)
            if rec.employees is None:
                warn(f"employees {raw_emp!r} is not a number; ignored")
        raw_rev = first("revenue")
        if raw_rev:
            rec.revenue = parse_amount(raw_rev)
            if rec.revenue is None:
                warn(f"revenue {raw_rev!r} is not an amount; ignored")
        raw_status = first("status")
        if raw_status:
            rec.status = _STATUS.get(raw_status.strip().casefold())
            if rec.status is None:
                warn(
                    f"status {raw_status!r} is not one of new / current / former customer; ignored"
                )
        if self.customers:
            rec.status = "current"
        for name in SOCIAL_FIELDS:
            link = first(name)
            if link:
                rec.social[name] = link
        rec.phones = self._phones(values, ("phone", "company_phone"), region, warn)
        return rec, region, problems

    def _phones(self, values, names, region, warn) -> list[str]:
        out: list[str] = []
        for name in names:
            for raw in values.get(name, ()):
                for phone in find_phones(raw, region):
                    if phone.valid and phone.e164:
                        if phone.e164 not in out:
                            out.append(phone.e164)
                    else:
                        warn(
                            f"phone {phone.raw!r} is not a valid number ({phone.reason}); "
                            "stored without it"
                        )
        return out

    def _registry(self, values, rec: CompanyRecord, warn) -> None:
        for raw in values.get("inn", ()):
            # "7707083893/770701001" — ИНН/КПП in one cell, as many Russian exports write it.
            inn_part, _, kpp_part = raw.partition("/")
            inn = check_inn(inn_part)
            if inn:
                rec.inn = rec.inn or inn
            else:
                warn(
                    f"ИНН {inn_part.strip()!r} is not a valid INN (length or check digit); "
                    "stored without it"
                )
            if kpp_part.strip() and not values.get("kpp"):
                values.setdefault("kpp", []).append(kpp_part)
        checks = (
            ("ogrn", check_ogrn, "ОГРН", "OGRN (length or check digit)"),
            ("kpp", check_kpp, "КПП", "KPP (9 characters NNNNPPNNN)"),
            ("vat", normalize_vat, "VAT", "VAT number for its country"),
            ("hrb", normalize_hrb, "HRB", "commercial register number"),
        )
        for name, check, label, what in checks:
            for raw in values.get(name, ()):
                value = check(raw)
                if not value:
                    warn(f"{label} {raw!r} is not a valid {what}; stored without it")
                elif name == "hrb":
                    rec.registry_ids.setdefault("hrb", value)
                elif getattr(rec, name) is None:
                    setattr(rec, name, value)

    def _person(self, values, region, warn) -> PersonRecord | None:
        def first(name: str) -> str | None:
            found = values.get(name)
            return found[0] if found else None

        raw = first("full_name")
        if not raw:
            parts = [first("first_name"), first("middle_name"), first("last_name")]
            raw = " ".join(p for p in parts if p) or None
        title_raw = first("title")
        if not raw:
            if title_raw or values.get("person_phone") or values.get("person_email"):
                warn("contact details without a person's name; stored with the company")
            return None
        name = parse_person_name(raw)
        if not name.key:
            warn(f"person name {raw!r} could not be read; stored without the person")
            return None
        person = PersonRecord(
            full_name=name.full,
            name_key=name.key,
            first_name=name.first,
            middle_name=name.middle,
            last_name=name.last,
        )
        if first("first_name") or first("last_name"):  # explicit columns beat the parser
            person.first_name = first("first_name") or person.first_name
            person.middle_name = first("middle_name") or person.middle_name
            person.last_name = first("last_name") or person.last_name
        if title_raw:
            info = classify_title(title_raw)
            person.title = info.title or title_raw
            person.seniority = info.seniority
            person.department = info.department
            person.is_decision_maker = info.is_decision_maker
        department_raw = first("department")
        if department_raw and person.department in (None, "other"):
            # "Отдел закупок", "Einkauf": the department column names it when the title doesn't.
            person.department = classify_title(department_raw).department
        person.phones = self._phones(values, ("person_phone",), region, warn)
        return person
