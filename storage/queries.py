"""Read side: filtered prospect lists, the best contact of each account, contact rows.

Filters map to indexed columns (country+city, status, industry, employees, name_key prefix,
domain) so a filtered page over a million companies stays fast; ``ProspectFilter`` is shared by
``leadgen list`` and ``leadgen export``.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from typing import Any

from sqlalchemy import Connection, and_, exists, func, select

from storage.keys import city_key, text_key
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
SORTS = ("name", "newest", "employees")


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
            c.append(_C.c.industry_key == text_key(self.industry))
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


_PERSON_COLUMNS = ("id", "company_id", "full_name", "first_name", "middle_name", "last_name",
                   "title", "seniority", "department", "is_decision_maker", "phones")
_EMAIL_COLUMNS = ("id", "address", "status", "kind", "person_id", "company_id")


def _driver_rows(conn: Connection, table: str, columns: tuple[str, ...], where: str,
                 ids: list[int]) -> list[dict[str, Any]]:
    """Child rows of these companies through the driver: contacts of a page of companies are
    the bulk of an export, and plain tuples cost a fraction of ORM rows.  A dense page (an
    unfiltered export) is read as one id range, a sparse one with IN lists."""
    mark = "?" if conn.dialect.name == "sqlite" else "%s"
    cols = ", ".join(columns)
    lo, hi = min(ids), max(ids)
    if hi - lo < 4 * len(ids):
        wanted = set(ids)
        sql = f"SELECT {cols} FROM {table} WHERE {where} AND company_id BETWEEN {mark} AND {mark}"
        return [d for d in (dict(zip(columns, row, strict=True))
                            for row in conn.exec_driver_sql(sql, (lo, hi)))
                if d["company_id"] in wanted]
    out: list[dict[str, Any]] = []
    for start in range(0, len(ids), 900):
        part = ids[start:start + 900]
        sql = (f"SELECT {cols} FROM {table} WHERE {where} "
               f"AND company_id IN ({', '.join([mark] * len(part))})")
        out.extend(dict(zip(columns, row, strict=True))
                   for row in conn.exec_driver_sql(sql, tuple(part)))
    return out


def _attach_contacts(conn: Connection, companies: list[dict[str, Any]]) -> None:
    ids = [c["id"] for c in companies]
    people: dict[int, list[dict[str, Any]]] = defaultdict(list)
    company_emails: dict[int, list[str]] = defaultdict(list)
    if ids:
        for p in _driver_rows(conn, "people", _PERSON_COLUMNS, "gone_at IS NULL", ids):
            phones = p["phones"]
            p["phones"] = json.loads(phones) if isinstance(phones, str) else (phones or [])
            p["is_decision_maker"] = bool(p["is_decision_maker"])
            p["emails"] = []
            people[p["company_id"]].append(p)
        by_person = {p["id"]: p for ps in people.values() for p in ps}
        for e in _driver_rows(conn, "emails", _EMAIL_COLUMNS, "1 = 1", ids):
            owner = e["person_id"]
            if owner is None:
                company_emails[e["company_id"]].append(e)
            elif owner in by_person:
                by_person[owner]["emails"].append(e)
    for c in companies:
        ps = people.get(c["id"], [])
        for p in ps:
            if len(p["emails"]) > 1:
                p["emails"].sort(key=lambda e: (_EMAIL_RANK.get(e["status"], 5), e["id"]))
        if len(ps) > 1:
            ps.sort(key=contact_rank)
        c["people"] = ps
        c["people_count"] = len(ps)
        c["decision_makers"] = sum(1 for p in ps if p["is_decision_maker"])
        c["company_emails"] = [e["address"] for e in sorted(company_emails.get(c["id"], []),
                                                             key=lambda e: e["id"])]
        c["contact"] = ps[0] if ps else None


def iter_companies(conn: Connection, flt: ProspectFilter, *,
                   page: int = 5_000) -> Iterator[dict[str, Any]]:
    """Every matching company with contacts, in id order, a page at a time (keyset paging)."""
    last = 0
    while True:
        q = (select(_C).where(_C.c.id > last, *flt.clauses()).order_by(_C.c.id).limit(page))
        result = conn.execute(q)
        keys = list(result.keys())
        rows = [dict(zip(keys, r, strict=True)) for r in result]
        if not rows:
            return
        _attach_contacts(conn, rows)
        yield from rows
        last = rows[-1]["id"]
