"""``leadgen normalize KIND TEXT``: one normalizer of ``enrichment`` on one value, JSON out
(registered on the main Typer app by ``leadgen.cli``).

Every kind prints one JSON object with all its fields (docs/normalize.md lists them).  A value
that does not normalize is still a result (``"valid": false`` and a ``reason``) and exits 0;
an unknown KIND or a bad option is a usage error and exits 2.
"""

from __future__ import annotations

import json
from typing import Annotated, Any

import typer

from leadgen.cli import _fail, app

KINDS = ("phone", "name", "title", "company", "domain")


def normalize_value(
    kind: str,
    text: str,
    *,
    country: str | None = None,
    dm_titles: list[str] | None = None,
    dm_departments: list[str] | None = None,
) -> dict[str, Any]:
    """The JSON object ``leadgen normalize`` prints for ``text`` of ``kind``."""
    if kind == "phone":
        from enrichment import normalize_phone

        p = normalize_phone(text, country)
        return {
            "kind": kind,
            "input": text,
            "country": country,
            "e164": p.e164,
            "extension": p.extension,
            "type": p.type,
            "region": p.region,
            "valid": p.valid,
            "reason": p.reason,
        }
    if kind == "name":
        from enrichment import parse_person_name

        n = parse_person_name(text)
        found = bool(n.first or n.last)
        return {
            "kind": kind,
            "input": text,
            "full": n.full,
            "first": n.first,
            "middle": n.middle,
            "last": n.last,
            "key": n.key,
            "valid": found,
            "reason": "ok" if found else "no name found",
        }
    if kind == "title":
        from enrichment import DecisionRules, classify_title

        rules = DecisionRules(
            extra_titles=tuple(dm_titles or ()), departments=tuple(dm_departments or ())
        )
        t = classify_title(text, rules)
        return {
            "kind": kind,
            "input": text,
            "title": t.title,
            "seniority": t.seniority,
            "department": t.department,
            "is_decision_maker": t.is_decision_maker,
            "valid": t.seniority != "unknown" or t.department != "other",
            "reason": t.reason,
        }
    if kind == "company":
        from enrichment import normalize_company_name

        c = normalize_company_name(text)
        return {
            "kind": kind,
            "input": text,
            "display": c.display,
            "legal_form": c.legal_form,
            "key": c.key,
            "translit_key": c.translit_key,
            "valid": bool(c.key),
            "reason": "ok" if c.key else "no company name",
        }
    if kind == "domain":
        from enrichment.normalize.domains import domain_with_reason, normalize_website

        domain, reason = domain_with_reason(text)
        return {
            "kind": kind,
            "input": text,
            "domain": domain,
            "website": normalize_website(text) if domain else None,
            "valid": domain is not None,
            "reason": reason,
        }
    raise ValueError(f"unknown kind {kind!r}")


@app.command(
    "normalize",
    epilog=(
        "Examples: leadgen normalize phone '8 (495) 123-45-67 доб. 12' --country RU  |  "
        "leadgen normalize name 'Prof. Dr.-Ing. Hans von der Heide'  |  "
        "leadgen normalize title 'Зам. генерального директора'  |  "
        "leadgen normalize title 'Прораб' --dm-title прораб  |  "
        "leadgen normalize company 'ООО «Ромашка»'  |  "
        "leadgen normalize domain 'https://www.пример.рф/контакты'"
    ),
)
def normalize_cmd(
    kind: Annotated[str, typer.Argument(help="phone, name, title, company or domain.")],
    text: Annotated[str, typer.Argument(help="The value, quoted if it has spaces.")],
    country: Annotated[
        str | None,
        typer.Option(
            help="Country for a phone number without +code: ISO code or name (RU, DE, Россия)."
        ),
    ] = None,
    dm_title: Annotated[
        list[str] | None,
        typer.Option(
            "--dm-title",
            help="title: a title that decides in your segment (repeatable), e.g. прораб.",
        ),
    ] = None,
    dm_department: Annotated[
        list[str] | None,
        typer.Option(
            "--dm-department",
            help="title: a department whose managers and above decide (repeatable), "
            "e.g. procurement.",
        ),
    ] = None,
) -> None:
    """Normalize one value and print every field as one JSON object.

    phone: E.164, extension, type, region, valid; name: first / middle / last and a matching
    key; title: seniority, department, is_decision_maker; company: legal form stripped, key and
    transliterated key; domain: the registrable domain (IDN in punycode) and the site URL.
    An invalid value is still printed (valid: false, with the reason) and exits 0.
    """
    if kind not in KINDS:
        _fail(f"unknown kind {kind!r}; choose one of {', '.join(KINDS)}", 2)
    region = None
    if country is not None:
        from enrichment.normalize.countries import normalize_country

        region = normalize_country(country)
        if region is None:
            _fail(f"--country {country!r}: not a country code or name (e.g. RU, DE, US)", 2)
    if (dm_title or dm_department) and kind != "title":
        _fail("--dm-title and --dm-department apply to KIND title only", 2)
    try:
        result = normalize_value(
            kind, text, country=region, dm_titles=dm_title, dm_departments=dm_department
        )
    except ValueError as exc:  # an unknown --dm-department
        _fail(str(exc), 2)
    print(json.dumps(result, ensure_ascii=False))
