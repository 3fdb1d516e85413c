"""Read side: filtered prospect lists, the best contact of each account, contact rows.

Filters map to indexed columns (country+city, status, industry, employees, name_key prefix,
domain) so a filtered page over a million companies stays fast; ``ProspectFilter`` is shared by
``leadgen list`` and ``leadgen export``.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from typing import Any

from sqlalchemy import Connection, and_, exists, func, select

from storage.keys import city_key
from storage.models import Company, Email, Person
from storage.sql import casefold

_C = Company.__table__
_P = Person.__table__
_E = Email.__table__

#: Seniority order for choosing a contact (the enrichment title classifier's levels).
SENIORITY_ORDER = ("owner", "founder", "c_suite", "partner", "vp", "head", "director", "manager",
                   "senior", "entry", "intern", "unknown")
_SENIORITY_RANK = {s: i for i, s in enumerate(SENIORITY_ORDER)}
_EMAIL_RANK = {"valid": 0, "risky": 1, "unverified": 2, "unknown": 2, "invalid": 9}
SORTS = ("name", "newest", "employees", "last_seen")


@dataclass(slots=True)
class ProspectFilter:
    country: str | None = None
    region: str | None = None
    city: str | None = None
    status: str | None = None
    industry: str | None = None
    name: str | None = None  # prefix of the normalized name
    domain: str | None = None
    min_employees: int | None = None
    max_employees: int | None = None
    has_email: bool | None = None
    has_phone: bool | None = None
    has_decision_maker: bool | None = None

    def as_dict(self) -> dict[str, Any]:
        return {k: v for k, v in asdict(self).items() if v is not None}

    def clauses(self) -> list[Any]:
        c = []
        if self.country:
            c.append(_C.c.country == self.country.upper())
        if self.region:
            c.append(casefold(_C.c.region) == _fold(self.region))
        if self.city:
            c.append(_C.c.city_key == city_key(self.city))
        if self.status:
            c.append(_C.c.status == self.status)
        if self.industry:
            c.append(casefold(_C.c.industry) == _fold(self.industry))
        if self.name:
            prefix = _fold(self.name)
            c.append(and_(_C.c.name_key >= prefix, _C.c.name_key < prefix + "\U0010ffff"))
        if self.domain:
            c.append(_C.c.domain == self.domain.lower())
        if self.min_employees is not None:
            c.append(_C.c.employees >= self.min_employees)
        if self.max_employees is not None:
            c.append(_C.c.employees <= self.max_employees)
        if self.has_email is not None:
            e = exists(select(_E.c.id).where(_E.c.company_id == _C.c.id))
            c.append(e if self.has_email else ~e)
        if self.has_phone is not None:
            n = func.coalesce(func.json_array_length(_C.c.phones), 0)
            c.append(n > 0 if self.has_phone else n == 0)
        if self.has_decision_maker is not None:
            d = exists(select(_P.c.id).where(_P.c.company_id == _C.c.id,
                                             _P.c.is_decision_maker.is_(True),
                                             _P.c.gone_at.is_(None)))
            c.append(d if self.has_decision_maker else ~d)
        return c


def _fold(text: str) -> str:
    return text.strip().casefold().replace("ё", "е")


def _order(sort: str) -> list[Any]:
    return {
        "name": [_C.c.name_key, _C.c.id],
        "newest": [_C.c.id.desc()],
        "employees": [_C.c.employees.desc().nulls_last(), _C.c.id],
        "last_seen": [_C.c.last_seen.desc(), _C.c.id],
    }[sort]


def list_companies(conn: Connection, flt: ProspectFilter, *, limit: int = 50, offset: int = 0,
                   sort: str = "name") -> list[dict[str, Any]]:
    """One page of companies, each with its people count and best contact."""
    q = select(_C).where(*flt.clauses()).order_by(*_order(sort)).limit(limit).offset(offset)
    rows = [dict(r._mapping) for r in conn.execute(q)]
    _attach_contacts(conn, rows)
    return rows


def count_companies(conn: Connection, flt: ProspectFilter) -> int:
    return conn.execute(select(func.count()).select_from(_C).where(*flt.clauses())).scalar_one()


def contact_rank(person: dict[str, Any]) -> tuple:
    """Decision makers first, then a verified email, then seniority, then the oldest record."""
    emails = person.get("emails") or []
    best_email = min((_EMAIL_RANK.get(e["status"], 5) for e in emails), default=10)
    return (0 if person.get("is_decision_maker") else 1, best_email,
            _SENIORITY_RANK.get(person.get("seniority") or "unknown", len(SENIORITY_ORDER)),
            person["id"])


def _attach_contacts(conn: Connection, companies: list[dict[str, Any]]) -> None:
    ids = [c["id"] for c in companies]
    people: dict[int, list[dict[str, Any]]] = defaultdict(list)
    company_emails: dict[int, list[dict[str, Any]]] = defaultdict(list)
    if ids:
        for r in conn.execute(select(_P).where(_P.c.company_id.in_(ids), _P.c.gone_at.is_(None))):
            people[r.company_id].append({**r._mapping, "emails": []})
        by_person = {p["id"]: p for ps in people.values() for p in ps}
        cols = (_E.c.address, _E.c.status, _E.c.kind, _E.c.person_id, _E.c.company_id)
        for r in conn.execute(select(*cols).where(_E.c.company_id.in_(ids))
                              .order_by(_E.c.id)):
            if r.person_id in by_person:
                by_person[r.person_id]["emails"].append(dict(r._mapping))
            elif r.person_id is None:
                company_emails[r.company_id].append(dict(r._mapping))
    for c in companies:
        ps = sorted(people.get(c["id"], []), key=contact_rank)
        for p in ps:
            p["emails"].sort(key=lambda e: _EMAIL_RANK.get(e["status"], 5))
        c["people"] = ps
        c["people_count"] = len(ps)
        c["decision_makers"] = sum(1 for p in ps if p["is_decision_maker"])
        c["company_emails"] = [e["address"] for e in company_emails.get(c["id"], [])]
        c["contact"] = ps[0] if ps else None


def iter_companies(conn: Connection, flt: ProspectFilter, *,
                   page: int = 5_000) -> Iterator[dict[str, Any]]:
    """Every matching company with contacts, in id order, a page at a time (keyset paging)."""
    last = 0
    while True:
        q = (select(_C).where(_C.c.id > last, *flt.clauses()).order_by(_C.c.id).limit(page))
        rows = [dict(r._mapping) for r in conn.execute(q)]
        if not rows:
            return
        _attach_contacts(conn, rows)
        yield from rows
        last = rows[-1]["id"]
