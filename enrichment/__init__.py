"""Pure enrichment: normalization of raw lead data (no Scrapy, no database, no network).

The public API is listed in ``__all__``; modules under ``enrichment.normalize`` are private.
"""

from enrichment.normalize.companies import CompanyName, normalize_company_name
from enrichment.normalize.domains import normalize_website, registrable_domain
from enrichment.normalize.emails import Email, normalize_email, split_emails
from enrichment.normalize.names import PersonName, parse_person_name
from enrichment.normalize.phones import Phone, find_phones, normalize_phone
from enrichment.normalize.registry import (
    check_inn,
    check_kpp,
    check_ogrn,
    normalize_hrb,
    normalize_vat,
)
from enrichment.normalize.titles import DecisionRules, TitleInfo, classify_title

__all__ = [
    "CompanyName",
    "DecisionRules",
    "Email",
    "PersonName",
    "Phone",
    "TitleInfo",
    "check_inn",
    "check_kpp",
    "check_ogrn",
    "classify_title",
    "find_phones",
    "normalize_company_name",
    "normalize_email",
    "normalize_hrb",
    "normalize_phone",
    "normalize_vat",
    "normalize_website",
    "parse_person_name",
    "registrable_domain",
    "split_emails",
]
