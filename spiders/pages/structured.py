"""schema.org data a page declares itself: JSON-LD and microdata, read with extruct.

Only what the company extractor needs is kept: Organization-like items (the schema.org
Organization type and its subtypes, LocalBusiness and its many shop/service subtypes), Person
items, and PostalAddress. Extruct's extractors work on the page's already-parsed lxml tree;
they run only when the page has a ``ld+json`` script or an ``itemscope`` attribute.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from lxml import etree

__all__ = ["StructuredData", "read_structured", "text_value"]

# schema.org Organization subtypes (https://schema.org/Organization "More specific Types")
# and the LocalBusiness subtypes seen on company pages.
ORG_TYPES = frozenset(
    """
    Organization Corporation LocalBusiness NGO EducationalOrganization GovernmentOrganization
    MedicalOrganization NewsMediaOrganization OnlineBusiness OnlineStore Store Restaurant
    ProfessionalService LegalService Attorney Notary AccountingService FinancialService
    Dentist Physician AutoDealer AutoRepair HomeAndConstructionBusiness GeneralContractor
    Electrician Plumber HVACBusiness RoofingContractor RealEstateAgent TravelAgency
    LodgingBusiness Hotel FoodEstablishment CafeOrCoffeeShop Bakery EmploymentAgency
    InsuranceAgency ShoppingCenter HealthAndBeautyBusiness MedicalBusiness SportsActivityLocation
    EntertainmentBusiness Library CollegeOrUniversity School Hospital Pharmacy
    """.split()
)
# Organizations that are a page's subject, not its publisher (songkick artist pages).
NOT_COMPANY_TYPES = frozenset("MusicGroup PerformingGroup SportsTeam TheaterGroup".split())


@dataclass(slots=True)
class StructuredData:
    organizations: list[dict[str, Any]] = field(default_factory=list)
    persons: list[dict[str, Any]] = field(default_factory=list)
    addresses: list[dict[str, Any]] = field(default_factory=list)


def _types(item: dict[str, Any]) -> set[str]:
    raw = item.get("@type") or item.get("type") or []
    if isinstance(raw, str):
        raw = [raw]
    out = set()
    for t in raw if isinstance(raw, list) else []:
        if isinstance(t, str):
            out.add(t.rsplit("/", 1)[-1])
    return out


def _props(item: dict[str, Any]) -> dict[str, Any]:
    """Microdata items keep values under "properties"; JSON-LD has them inline."""
    props = item.get("properties")
    if isinstance(props, dict):
        merged = dict(props)
        merged["@type"] = item.get("type")
        return merged
    return item


def text_value(value: Any) -> str | None:
    """A property as one trimmed string (first of a list, "name" of a nested item)."""
    if isinstance(value, list):
        value = next((v for v in value if v), None)
    if isinstance(value, dict):
        value = _props(value).get("name") or _props(value).get("@value")
    if isinstance(value, int | float):
        value = str(value)
    if not isinstance(value, str):
        return None
    value = " ".join(value.split())
    return value or None


def _walk(node: Any, out: StructuredData, depth: int = 0) -> None:
    if depth > 12:
        return
    if isinstance(node, list):
        for child in node:
            _walk(child, out, depth + 1)
        return
    if not isinstance(node, dict):
        return
    item = _props(node)
    types = _types(item)
    if types & ORG_TYPES and not types & NOT_COMPANY_TYPES:
        out.organizations.append(item)
    if "Person" in types:
        out.persons.append(item)
    if "PostalAddress" in types:
        out.addresses.append(item)
    for key, value in item.items():
        if key not in ("@context", "@type", "type") and isinstance(value, dict | list):
            _walk(value, out, depth + 1)


def _json_ld(root: etree._Element) -> list[Any]:
    docs = []
    for el in root.iter("script"):
        if (el.get("type") or "").strip().lower() != "application/ld+json" or not el.text:
            continue
        text = el.text.strip().removeprefix("<!--").removesuffix("-->").strip()
        text = text.removeprefix("//<![CDATA[").removesuffix("//]]>").strip()
        try:
            docs.append(json.loads(text, strict=False))
        except (ValueError, RecursionError):
            continue  # broken JSON-LD is common; extruct would also skip it
    return docs


def read_structured(root: etree._Element, url: str) -> StructuredData:
    """Organizations, persons and postal addresses from JSON-LD and microdata; never raises."""
    out = StructuredData()
    for doc in _json_ld(root):
        _walk(doc.get("@graph", doc) if isinstance(doc, dict) else doc, out)
    if root.xpath("boolean(//*[@itemscope])"):
        try:
            from extruct.w3cmicrodata import MicrodataExtractor

            items = MicrodataExtractor().extract_items(root, url)
            _walk(list(items), out)
        except Exception:  # extruct on odd markup: microdata is a bonus, not a requirement
            pass
    return out
