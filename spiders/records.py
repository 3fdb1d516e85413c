"""Crawl items → normalized ``CompanyRecord``: the validate and normalize steps of the pipeline.

Pure (no Scrapy): ``item_to_record`` takes a ``spiders.items.CompanyItem`` and returns the
record to store plus the problems found, each naming the page and the value.  The rules follow
the import (``leadgen.importing.rows``): a sighting needs a company name or a website; an
invalid value is reported and left out, the rest is kept.
"""

from __future__ import annotations

from enrichment.normalize.companies import normalize_company_name
from enrichment.normalize.countries import country_from_domain, normalize_country
from enrichment.normalize.domains import normalize_website, registrable_domain
from enrichment.normalize.emails import normalize_email
from enrichment.normalize.names import parse_person_name
from enrichment.normalize.phones import find_phones
from enrichment.normalize.registry import (
    check_inn,
    check_kpp,
    check_ogrn,
    normalize_hrb,
    normalize_vat,
)
from enrichment.normalize.titles import classify_title
from spiders.items import CompanyItem, PersonItem
from storage.records import CompanyRecord, EmailRecord, PersonRecord, Problem

#: Registration ids with a column of their own; the rest go to ``registry_ids``.
_ID_COLUMNS = {"inn": check_inn, "ogrn": check_ogrn, "kpp": check_kpp, "vat": normalize_vat}
_ID_OTHERS = {"hrb": normalize_hrb, "ustid": normalize_vat}


def _phones(
    raw: list[str], region: str | None, where: str, what: str, problems: list[Problem]
) -> list[str]:
    out: list[str] = []
    for text in raw:
        if not text:
            continue
        if text.startswith("+") and text[1:].split(";", 1)[0].isdigit():
            # Already E.164 (page objects normalize), possibly with ";ext=123".
            if text not in out:
                out.append(text)
            continue
        found = find_phones(text, region)
        for phone in found:
            if phone.valid and phone.e164:
                value = phone.e164 + (f";ext={phone.extension}" if phone.extension else "")
                if value not in out:
                    out.append(value)
            else:
                problems.append(
                    Problem(
                        where,
                        f"{what} phone {phone.raw!r} is not a valid number "
                        f"({phone.reason}); left out",
                    )
                )
        if not found:
            problems.append(
                Problem(where, f"{what} phone {text!r} holds no phone number; left out")
            )
    return out


def _emails(raw: list[str], where: str, what: str, problems: list[Problem]) -> list[EmailRecord]:
    out: list[EmailRecord] = []
    for text in raw:
        email = normalize_email(text)
        if not email.valid or not email.address:
            problems.append(
                Problem(where, f"{what} email {text!r} is not valid ({email.reason}); left out")
            )
            continue
        if all(e.address != email.address for e in out):
            out.append(
                EmailRecord(
                    address=email.address,
                    domain=email.domain or "",
                    kind="role" if email.is_role else "personal",
                )
            )
    return out


def _person(
    item: PersonItem, region: str | None, where: str, problems: list[Problem]
) -> PersonRecord | None:
    name = parse_person_name(item.name)
    if not name.key:
        problems.append(Problem(where, f"person name {item.name!r} could not be read; left out"))
        return None
    person = PersonRecord(
        full_name=name.full,
        name_key=name.key,
        first_name=name.first,
        middle_name=name.middle,
        last_name=name.last,
    )
    if item.title:
        info = classify_title(item.title)
        person.title = info.title or item.title
        person.seniority, person.department = info.seniority, info.department
        person.is_decision_maker = info.is_decision_maker
        if item.title_is_fallback:
            person.fallback_fields = frozenset(
                {"title", "seniority", "department", "is_decision_maker"}
            )
    person.phones = _phones(item.phones, region, where, f"{name.full}'s", problems)
    person.emails = _emails(item.emails, where, f"{name.full}'s", problems)
    return person


def item_to_record(item: CompanyItem) -> tuple[CompanyRecord | None, list[Problem]]:
    """The record to store for one sighting (``None`` when it identifies no company)."""
    where = item.source_url
    problems: list[Problem] = []
    rec = CompanyRecord(source=item.source_url, locator=item.locator or item.extractor)
    site = item.website or item.domain
    if site:
        rec.domain = registrable_domain(site)
        rec.website = normalize_website(item.website) if item.website else None
        if not rec.domain:
            problems.append(
                Problem(where, f"website {site!r} is not a valid web address; left out")
            )
            rec.website = None
    if item.name:
        cname = normalize_company_name(item.name)
        if cname.key:
            rec.name, rec.name_key, rec.legal_form = cname.display, cname.key, cname.legal_form
            if item.name_is_fallback:
                rec.fallback_fields = frozenset({"name", "name_key", "legal_form"})
        else:
            problems.append(
                Problem(where, f"company name {item.name!r} has no letters or digits; left out")
            )
    if not rec.name and not rec.domain:
        problems.append(
            Problem(where, "no company name and no website on this sighting: not stored", "error")
        )
        return None, problems
    if not rec.name:
        rec.name = rec.name_key = rec.domain
        rec.fallback_fields = frozenset({"name", "name_key"})
    if item.country:
        rec.country = normalize_country(item.country)
        if not rec.country:
            problems.append(
                Problem(where, f"country {item.country!r} is not a known country; left out")
            )
    rec.city, rec.address = item.city or None, item.address or None
    rec.industry, rec.description = item.industry or None, item.description or None
    region = rec.country or item.region or country_from_domain(rec.domain)
    for key, raw in item.registration_ids.items():
        check = _ID_COLUMNS.get(key) or _ID_OTHERS.get(key)
        value = check(raw) if check else (raw or "").strip() or None
        if not value:
            problems.append(Problem(where, f"{key.upper()} {raw!r} is not valid; left out"))
        elif key in _ID_COLUMNS:
            setattr(rec, key, value)
        else:
            rec.registry_ids[key] = value
    rec.phones = _phones(item.phones, region, where, "company", problems)
    rec.emails = _emails(item.emails, where, "company", problems)
    rec.social = {k: v for k, v in item.social.items() if v}
    rec.technologies = sorted(set(item.technologies))
    if item.careers:
        rec.facts["careers"] = "yes"
    for key, value in item.facts.items():
        if isinstance(value, (list, tuple)):
            value = "; ".join(str(v) for v in value if str(v).strip())
        if value not in (None, ""):
            rec.facts[key] = str(value)
    seen: set[str] = set()
    for p in item.people:
        person = _person(p, region, where, problems)
        if person and person.name_key not in seen:
            seen.add(person.name_key)
            rec.people.append(person)
    return rec, problems
