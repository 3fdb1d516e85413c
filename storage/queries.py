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

from sqlalchemy import Connection, Integer, and_, bindparam, exists, func, select

from storage.keys import city_key, text_key
from storage.models import Company, Email, Person
from storage.sql import casefold

_C = Company.__table__
_P = Person.__table__
_E = Email.__table__

#: Seniority order for choosing a contact (the enrichment title classifier's levels).
SENIORITY_ORDER = (
    "owner",
    "founder",
    "c_suite",
    "partner",
    "vp",
    "head",
    "director",
    "manager",
    "senior",
    "entry",
    "intern",
    "unknown",
)
_SENIORITY_RANK = {s: i for i, s in enumerate(SENIORITY_ORDER)}
_EMAIL_RANK = {"valid": 0, "risky": 1, "unverified": 2, "unknown": 2, "invalid": 9}
SORTS = ("name", "newest", "employees")
#: Email rows a list or an export shows: a guess verified invalid stays in the database only so
#: that ``leadgen enrich`` does not try it again (storage.enrich).
_SHOWN_EMAILS = "NOT (origin = 'guessed' AND status = 'invalid')"


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
            e = exists(
                select(_E.c.id).where(
                    _E.c.company_id == _C.c.id,
                    ~and_(_E.c.origin == "guessed", _E.c.status == "invalid"),
                )
            )
            c.append(e if self.has_email else ~e)
        if self.has_phone is not None:
            n = func.coalesce(func.json_array_length(_C.c.phones), 0)
            c.append(n > 0 if self.has_phone else n == 0)
        if self.has_decision_maker is not None:
            d = exists(
                select(_P.c.id).where(
                    _P.c.company_id == _C.c.id,
                    _P.c.is_decision_maker.is_(True),
                    _P.c.gone_at.is_(None),
                )
            )
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


def list_companies(
    conn: Connection, flt: ProspectFilter, *, limit: int = 50, offset: int = 0, sort: str = "name"
) -> list[dict[str, Any]]:
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
    return (
        0 if person.get("is_decision_maker") else 1,
        best_email,
        _SENIORITY_RANK.get(person.get("seniority") or "unknown", len(SENIORITY_ORDER)),
        person["id"],
    )


_PERSON_COLUMNS = (
    "id",
    "company_id",
    "full_name",
    "first_name",
    "middle_name",
    "last_name",
    "title",
    "seniority",
    "department",
    "is_decision_maker",
    "phones",
)
_EMAIL_COLUMNS = ("id", "address", "status", "kind", "person_id", "company_id")


def _driver_rows(
    conn: Connection, table: str, columns: tuple[str, ...], where: str, ids: list[int]
) -> list[dict[str, Any]]:
    """Child rows of these companies as dicts (see ``_children``)."""
    return [
        dict(zip(columns, row, strict=True))
        for row in _children(conn, table, columns, where, sorted(ids))
    ]


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
        for e in _driver_rows(conn, "emails", _EMAIL_COLUMNS, _SHOWN_EMAILS, ids):
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
        c["company_emails"] = [
            e["address"] for e in sorted(company_emails.get(c["id"], []), key=lambda e: e["id"])
        ]
        c["contact"] = ps[0] if ps else None


# -- export: plain tuples through the driver ---------------------------------------------------

#: Company columns of an export, in ``ExportCompany.row`` order.
EXPORT_COMPANY_COLUMNS = (
    "id",
    "name",
    "legal_form",
    "domain",
    "website",
    "country",
    "region",
    "city",
    "address",
    "postal_code",
    "phones",
    "industry",
    "employees",
    "revenue",
    "inn",
    "ogrn",
    "kpp",
    "vat",
    "status",
    "first_seen",
    "last_seen",
)
#: Fields of an export contact: the person's, then the best email's address and status.
EXPORT_CONTACT_FIELDS = (
    "id",
    "full_name",
    "first_name",
    "middle_name",
    "last_name",
    "title",
    "seniority",
    "department",
    "is_decision_maker",
    "email",
    "email_status",
    "phones",
)
EXPORT_PERSON_COLUMNS = (
    "id",
    "company_id",
    "is_decision_maker",
    "seniority",
    "full_name",
    "first_name",
    "middle_name",
    "last_name",
    "title",
    "department",
    "phones",
)
#: What ranking needs: a one-row-per-company export reads the rest for the best person only.
_RANK_PERSON_COLUMNS = EXPORT_PERSON_COLUMNS[:4]
_EXPORT_EMAIL_COLUMNS = ("id", "address", "status", "person_id", "company_id")
_NO_SENIORITY = len(SENIORITY_ORDER)
_PHONES_IDX = EXPORT_COMPANY_COLUMNS.index("phones")
_FIRST_SEEN_IDX = EXPORT_COMPANY_COLUMNS.index("first_seen")


@dataclass(slots=True)
class ExportCompany:
    """One company of an export.

    ``row``: the ``EXPORT_COMPANY_COLUMNS`` values, phones as a list, first/last seen as ISO
    8601 text; ``contacts``: its current people best first (``contact_rank`` order; only the
    best one unless ``all_people``), each a list in ``EXPORT_CONTACT_FIELDS`` order;
    ``emails``: its generic (person-less) email addresses by id; ``people`` and
    ``decision_makers``: how many current people and decision makers it has.
    """

    row: list[Any]
    contacts: list[list[Any]]
    emails: list[str]
    people: int
    decision_makers: int


def _json_list(value: Any) -> list[Any]:
    if value is None:
        return []
    if not isinstance(value, str):  # PostgreSQL: already decoded
        return value
    if value == "[]":
        return []
    return json.loads(value)


def _time_text(conn: Connection) -> Any:
    """raw driver value -> ISO 8601 text, exactly as ``DateTime`` result processing then
    ``isoformat()`` gives it (SQLite returns text, PostgreSQL datetimes); memoized, since an
    import stamps thousands of rows with the same time."""
    dialect = conn.dialect
    process = _C.c.first_seen.type.dialect_impl(dialect).result_processor(dialect, None)
    cache: dict[Any, str | None] = {None: None}

    def text(value: Any) -> str | None:
        try:
            return cache[value]
        except KeyError:
            pass
        parsed = process(value) if process is not None and isinstance(value, str) else value
        out = cache[value] = parsed.isoformat() if parsed is not None else None
        return out

    return text


def _page_query(conn: Connection, flt: ProspectFilter, page: int) -> Any:
    """The filtered company page as driver SQL, compiled once: ``run(after_id)`` -> rows."""
    cols = [_C.c[name] for name in EXPORT_COMPANY_COLUMNS]
    q = (
        select(*cols)
        .where(_C.c.id > bindparam("lg_after", type_=Integer), *flt.clauses())
        .order_by(_C.c.id)
        .limit(page)
    )
    compiled = q.compile(dialect=conn.dialect)
    sql = str(compiled)
    positions = compiled.positiontup if compiled.positional else None

    def run(after: int) -> list[tuple[Any, ...]]:
        params = compiled.construct_params({"lg_after": after})
        args: Any = tuple(params[k] for k in positions) if positions is not None else params
        return _fetch(conn, sql, args)

    return run


def _fetch(conn: Connection, sql: str, args: Any) -> list[tuple[Any, ...]]:
    """Plain tuples from a DB-API cursor: SQLAlchemy's Row objects cost more than the query
    for the 300k people of a 100k-company export.  The transaction is begun as
    ``conn.execute`` would (autobegin), so every page reads the same snapshot."""
    if not conn.in_transaction():
        conn.begin()
    cursor = conn.connection.cursor()
    try:
        cursor.execute(sql, args)
        return cursor.fetchall()
    finally:
        cursor.close()


def _children(
    conn: Connection,
    table: str,
    columns: tuple[str, ...],
    where: str,
    ids: list[int],
    *,
    key: str = "company_id",
    spread: int = 4,
) -> list[tuple[Any, ...]]:
    """Rows (tuples in ``columns`` order) whose ``key`` is one of ``ids`` (ascending).  Dense
    ids (an unfiltered export's page: ``max - min < spread * len``) are read as one range,
    others with IN lists."""
    mark = "?" if conn.dialect.name == "sqlite" else "%s"
    cols = ", ".join(columns)
    lo, hi = ids[0], ids[-1]
    if hi - lo < spread * len(ids):
        sql = f"SELECT {cols} FROM {table} WHERE {where} AND {key} BETWEEN {mark} AND {mark}"
        rows = _fetch(conn, sql, (lo, hi))
        if hi - lo + 1 == len(ids):  # every id in the range is wanted
            return rows
        wanted = set(ids)
        at = columns.index(key)
        return [r for r in rows if r[at] in wanted]
    out: list[tuple[Any, ...]] = []
    for start in range(0, len(ids), 900):
        part = ids[start : start + 900]
        sql = (
            f"SELECT {cols} FROM {table} WHERE {where} "
            f"AND {key} IN ({', '.join([mark] * len(part))})"
        )
        out.extend(_fetch(conn, sql, tuple(part)))
    return out


def iter_export_companies(
    conn: Connection, flt: ProspectFilter, *, all_people: bool = False, page: int = 5_000
) -> Iterator[ExportCompany]:
    """Every matching company in id order with its best contact (``contact_rank``), or all its
    people ranked, and its generic emails, as plain lists for
    the export writers.

    Only the exported columns are read, through the driver: the page query is compiled once,
    people and emails come as tuples, and only a person's best email is kept."""
    run = _page_query(conn, flt, page)
    time_text = _time_text(conn)
    email_rank = _EMAIL_RANK
    seniority_rank = _SENIORITY_RANK
    no_seniority = _NO_SENIORITY
    last = 0
    while True:
        companies = run(last)
        if not companies:
            return
        last = companies[-1][0]
        ids = [c[0] for c in companies]
        people: dict[int, list[tuple[Any, ...]]] = {}
        rows = _children(
            conn,
            "people",
            EXPORT_PERSON_COLUMNS if all_people else _RANK_PERSON_COLUMNS,
            "gone_at IS NULL",
            ids,
        )
        for p in rows:
            ps = people.get(p[1])
            if ps is None:
                people[p[1]] = [p]
            else:
                ps.append(p)
        persons = {p[0] for p in rows}
        del rows
        # person id -> (rank, id, address, status) of the person's best email
        best: dict[int, tuple[int, int, str, str]] = {}
        generic: dict[int, list[tuple[int, str]]] = {}
        for eid, address, status, person_id, company_id in _children(
            conn, "emails", _EXPORT_EMAIL_COLUMNS, _SHOWN_EMAILS, ids
        ):
            if person_id is None:
                g = generic.get(company_id)
                if g is None:
                    generic[company_id] = [(eid, address)]
                else:
                    g.append((eid, address))
            elif person_id in persons:
                key = (email_rank.get(status, 5), eid, address, status)
                old = best.get(person_id)
                if old is None or key < old:
                    best[person_id] = key

        def rank(p: tuple[Any, ...], best: dict = best) -> tuple[int, int, int, int]:
            b = best.get(p[0])
            return (
                0 if p[2] else 1,
                10 if b is None else b[0],
                seniority_rank.get(p[3] or "unknown", no_seniority),
                p[0],
            )

        def contact(p: tuple[Any, ...], best: dict = best) -> list[Any]:
            b = best.get(p[0])
            return [
                p[0],
                p[4],
                p[5],
                p[6],
                p[7],
                p[8],
                p[3],
                p[9],
                bool(p[2]),
                None if b is None else b[2],
                None if b is None else b[3],
                _json_list(p[10]),
            ]

        if not all_people:  # the best person of each company, then only their details
            chosen = {
                cid: ps[0][0] if len(ps) == 1 else min(ps, key=rank)[0]
                for cid, ps in people.items()
            }
            details = (
                {
                    p[0]: p
                    for p in _children(
                        conn,
                        "people",
                        EXPORT_PERSON_COLUMNS,
                        "1 = 1",
                        sorted(chosen.values()),
                        key="id",
                        spread=1,
                    )
                }
                if chosen
                else {}
            )
        for c in companies:
            cid = c[0]
            row = list(c)
            row[_PHONES_IDX] = _json_list(row[_PHONES_IDX])
            row[_FIRST_SEEN_IDX] = time_text(row[_FIRST_SEEN_IDX])
            row[_FIRST_SEEN_IDX + 1] = time_text(row[_FIRST_SEEN_IDX + 1])
            ps = people.get(cid)
            if ps is None:
                n = dms = 0
                contacts = []
            else:
                n = len(ps)
                dms = sum([1 for p in ps if p[2]])
                if all_people:
                    if n > 1:
                        ps.sort(key=rank)
                    contacts = [contact(p) for p in ps]
                else:
                    contacts = [contact(details[chosen[cid]])]
            mails = generic.get(cid)
            if mails is None:
                emails = []
            else:
                if len(mails) > 1:
                    mails.sort()
                emails = [a for _, a in mails]
            yield ExportCompany(row, contacts, emails, n, dms)
