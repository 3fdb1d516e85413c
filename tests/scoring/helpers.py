"""A small valid segment to vary in tests, and an account builder."""

from __future__ import annotations

import copy
from typing import Any

BASE: dict[str, Any] = {
    "name": "test",
    "scoring": {
        "attractiveness": {
            "criteria": [
                {
                    "name": "size",
                    "field": "employees",
                    "kind": "bands",
                    "bands": [
                        {"min": 0, "points": 0},
                        {"min": 50, "points": 5},
                        {"min": 250, "points": 10},
                    ],
                }
            ]
        },
        "position": {
            "criteria": [
                {
                    "name": "relationship",
                    "field": "status",
                    "kind": "categories",
                    "points": {"former": 10, "new": 5},
                }
            ]
        },
    },
}


def segment_data(**changes: Any) -> dict[str, Any]:
    """BASE with top-level keys replaced (a deep copy: tests may mutate it)."""
    data = copy.deepcopy(BASE)
    data.update(copy.deepcopy(changes))
    return data


def account(**fields: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "id": 1,
        "name": "Acme",
        "domain": "acme.example",
        "country": "RU",
        "region": None,
        "city": None,
        "industry": "construction",
        "employees": None,
        "revenue": None,
        "revenue_growth": None,
        "status": "new",
        "technologies": [],
        "inn": None,
        "ogrn": None,
        "vat": None,
        "website": None,
        "phones": [],
        "social": {},
        "description": None,
        "facts": {},
        "people": [],
        "company_emails": [],
    }
    base.update(fields)
    return base


def person(pid: int, dm: bool = False, seniority: str = "unknown", *statuses: str | None) -> dict:
    return {
        "id": pid,
        "full_name": f"P {pid}",
        "title": None,
        "seniority": seniority,
        "department": None,
        "is_decision_maker": dm,
        "emails": [
            {"address": f"p{pid}.{i}@acme.example", "status": s} for i, s in enumerate(statuses)
        ],
        "phones": [],
    }
