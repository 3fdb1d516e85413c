"""Accounts as the scorer reads them: each company as one plain dict, streamed in chunks.

``load_accounts`` is the only way ``scoring/`` (pure, no database) gets its input: the
composition root (``leadgen score`` / ``leadgen run``) reads accounts here and hands them over.
Each dict has exactly these keys:

``id`` (int), ``name``, ``domain``, ``country``, ``region``, ``city``, ``industry``,
``employees`` (int or None), ``revenue`` (float or None), ``revenue_growth`` (float or None),
``status``, ``technologies`` ([str]), ``inn``, ``ogrn``, ``vat``, ``website``, ``phones``
([str]), ``social`` ({str: str}), ``description``, ``facts`` ({str: str}), ``people``
([{``id``, ``full_name``, ``title``, ``seniority``, ``department``, ``is_decision_maker``
(bool), ``emails`` ([{``address``, ``status``}]), ``phones`` ([str])}]), ``company_emails``
([str]).

- ``people``: current people only (``gone_at`` IS NULL), by id; their emails by id.
- emails (a person's and ``company_emails``): what a list or an export shows — a guessed
  address verified invalid is left out (``storage.queries._SHOWN_EMAILS``).
- ``facts``: the latest value (by ``last_seen_at``, then observation id) of each company
  observation ``fact.<name>`` (booth, hall, careers … — facts a source gave that have no
  column), keyed by ``<name>``.
- ``revenue_growth``: the companies table has no column for it; it is read from the fact
  ``revenue_growth`` when that parses as a number: a fraction (``0.12`` = +12 %), or a
  percentage written with ``%`` (``"12 %"`` -> 0.12; a decimal comma is accepted).  Otherwise
  None.

Reads go through the driver (``storage.queries._children``): one query per chunk and table,
never one per company.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from sqlalchemy import Connection, Engine, func, or_, select

from storage.models import Company
from storage.queries import _SHOWN_EMAILS, _children, _fetch
from storage.sql import casefold

_C = Company.__table__

#: Company columns read, in this order (the dict keys of the same names).
_COMPANY_COLUMNS = (
    "id",
    "name",
    "domain",
    "country",
    "region",
    "city",
    "industry",
    "employees",
    "revenue",
    "status",
    "technologies",
    "inn",
    "ogrn",
    "vat",
    "website",
    "phones",
    "social",
    "description",
)
_JSON_LISTS = ("technologies", "phones")
_PERSON_COLUMNS = (
    "id",
    "company_id",
    "full_name",
    "title",
    "seniority",
    "department",
    "is_decision_maker",
    "phones",
)
_EMAIL_COLUMNS = ("id", "address", "status", "person_id", "company_id")
_FACT_COLUMNS = ("entity_id", "field", "value", "last_seen_at", "id")
#: Company observations whose field starts with "fact." (an index range, not LIKE).
_FACTS_WHERE = "entity_type = 'company' AND field >= 'fact.' AND field < 'fact/'"
DEFAULT_CHUNK = 5_000
#: A filter on accounts before their people are read (see ``load_accounts``).
Keep = Callable[[dict[str, Any]], bool]


def _decode(value: Any, empty: Any) -> Any:
    """A JSON column as the driver gives it: text on SQLite, decoded on PostgreSQL."""
    if value is None:
        return empty
    if isinstance(value, str):
        if value in ("[]", "{}"):
            return type(empty)()
        return json.loads(value)
    return value


_PERCENT = re.compile(r"^\s*([+-]?\d+(?:[.,]\d+)?)\s*%\s*$")


def parse_growth(text: str | None) -> float | None:
    """A revenue growth fact as a fraction: ``"0.12"`` -> 0.12, ``"-3,5 %"`` -> -0.035; None
    for anything else (empty, words, infinities)."""
    if text is None:
        return None
    m = _PERCENT.match(text)
    try:
        if m:
            value = float(m.group(1).replace(",", ".")) / 100
        else:
            value = float(text.strip().replace(",", "."))
    except ValueError:
        return None
    return value if math.isfinite(value) else None


def _accounts(
    conn: Connection, rows: list[tuple[Any, ...]], keep: Keep | None = None
) -> list[dict[str, Any]]:
    """Company tuples (``_COMPANY_COLUMNS``, ascending id) -> account dicts (those ``keep``
    accepts, asked before people and emails are read)."""
    if not rows:
        return []
    ids = [r[0] for r in rows]
    accounts: dict[int, dict[str, Any]] = {}
    for (
        cid,
        name,
        domain,
        country,
        region,
        city,
        industry,
        employees,
        revenue,
        status,
        technologies,
        inn,
        ogrn,
        vat,
        website,
        phones,
        social,
        description,
    ) in rows:
        accounts[cid] = {
            "id": cid,
            "name": name,
            "domain": domain,
            "country": country,
            "region": region,
            "city": city,
            "industry": industry,
            "employees": employees,
            "revenue": None if revenue is None else float(revenue),
            "revenue_growth": None,
            "status": status,
            "technologies": _decode(technologies, []),
            "inn": inn,
            "ogrn": ogrn,
            "vat": vat,
            "website": website,
            "phones": _decode(phones, []),
            "social": _decode(social, {}),
            "description": description,
            "facts": {},
            "people": [],
            "company_emails": [],
        }
    # Index (entity_type, entity_id, field, …): one seek per company, then the fact.* range.
    latest: dict[tuple[int, str], tuple[Any, int]] = {}
    for cid, field, value, seen, oid in _children(
        conn, "observations", _FACT_COLUMNS, _FACTS_WHERE, ids, key="entity_id", spread=0
    ):
        name = field[5:]
        key = (seen, oid)
        old = latest.get((cid, name))
        if old is None or key > old:
            latest[(cid, name)] = key
            accounts[cid]["facts"][name] = value
    for a in accounts.values():
        facts = a["facts"]
        if facts:
            if len(facts) > 1:
                a["facts"] = facts = dict(sorted(facts.items()))
            growth = facts.get("revenue_growth")
            if growth is not None:
                a["revenue_growth"] = parse_growth(growth)
    if keep is not None:
        accounts = {cid: a for cid, a in accounts.items() if keep(a)}
        if not accounts:
            return []
        ids = list(accounts)
    people: dict[int, dict[str, Any]] = {}
    for pid, cid, full_name, title, seniority, department, dm, phones in sorted(
        _children(conn, "people", _PERSON_COLUMNS, "gone_at IS NULL", ids)
    ):
        p = {
            "id": pid,
            "full_name": full_name,
            "title": title,
            "seniority": seniority,
            "department": department,
            "is_decision_maker": bool(dm),
            "emails": [],
            "phones": [] if phones is None or phones == "[]" else _decode(phones, []),
        }
        people[pid] = p
        accounts[cid]["people"].append(p)
    for _eid, address, status, person_id, company_id in sorted(
        _children(conn, "emails", _EMAIL_COLUMNS, _SHOWN_EMAILS, ids)
    ):
        if person_id is None:
            accounts[company_id]["company_emails"].append(address)
        else:
            p = people.get(person_id)
            if p is not None:  # else: the email of a person who has left
                p["emails"].append({"address": address, "status": status})
    return list(accounts.values())


def load_accounts(
    engine: Engine,
    company_ids: Iterable[int] | None = None,
    *,
    chunk: int = DEFAULT_CHUNK,
    id_range: tuple[int, int | None] | None = None,
    keep: Keep | None = None,
) -> Iterator[dict[str, Any]]:
    """Every company (or those of ``company_ids`` that exist, or those with ``after < id <=
    upto`` for ``id_range=(after, upto)``, ``upto`` None for no end) as an account dict, by id.

    ``keep(account)``, when given, sees each account before its ``people`` and
    ``company_emails`` are read (they are still empty then; every other key is filled): a
    company it refuses is left out, and its people and emails are never read — the scorer's
    ICP filters need only the company's own fields.

    One connection and one read transaction for the whole stream, so every chunk sees the same
    snapshot (PostgreSQL; SQLite's WAL reader likewise)."""
    cols = ", ".join(_COMPANY_COLUMNS)
    with engine.connect() as conn:
        mark = "?" if conn.dialect.name == "sqlite" else "%s"
        if company_ids is None:
            last, upto = id_range or (0, None)
            end = f" AND id <= {int(upto)}" if upto is not None else ""
            sql = f"SELECT {cols} FROM companies WHERE id > {mark}{end} ORDER BY id LIMIT {mark}"
            while True:
                rows = _fetch(conn, sql, (last, chunk))
                if not rows:
                    return
                last = rows[-1][0]
                yield from _accounts(conn, rows, keep)
        else:
            wanted = sorted({int(i) for i in company_ids})
            for start in range(0, len(wanted), chunk):
                part = wanted[start : start + chunk]
                rows = sorted(
                    _children(conn, "companies", _COMPANY_COLUMNS, "1 = 1", part, key="id")
                )
                yield from _accounts(conn, rows, keep)


def account_blocks(engine: Engine, size: int = DEFAULT_CHUNK) -> list[tuple[int, int | None]]:
    """The companies cut into ranges of ids of about ``size`` companies each, in id order:
    ``(after, upto)`` pairs for ``load_accounts(id_range=…)`` (the last ``upto`` is None, so a
    company added meanwhile still falls in a block).  Empty for an empty database."""
    if size < 1:
        raise ValueError(f"a block holds at least one company, not {size}")
    with engine.connect() as conn:
        ids = conn.execute(select(_C.c.id).order_by(_C.c.id)).scalars().all()
    if not ids:
        return []
    cuts = [0, *ids[size - 1 : -1 : size]]
    return [(cuts[i], cuts[i + 1]) for i in range(len(cuts) - 1)] + [(cuts[-1], None)]


def count_accounts(engine: Engine) -> int:
    """How many companies ``load_accounts()`` will yield (for a progress bar)."""
    with engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(_C)).scalar_one()


class AmbiguousCompany(LookupError):
    """The text names more than one company (``ids``: all of them, ascending)."""

    def __init__(self, text: str, ids: list[int]) -> None:
        self.text, self.ids = text, ids
        shown = ", ".join(map(str, ids[:10])) + (" …" if len(ids) > 10 else "")
        super().__init__(f"{len(ids)} companies are named {text!r} (ids {shown}): give the id")


_SCHEME = re.compile(r"^[a-z][a-z0-9+.-]*://", re.IGNORECASE)


def _domain_text(text: str) -> str | None:
    """``https://www.Example.com/x`` -> ``example.com``; None when it cannot be a domain."""
    host = _SCHEME.sub("", text.strip()).split("/", 1)[0].split("?", 1)[0]
    host = host.rsplit("@", 1)[-1].split(":", 1)[0].rstrip(".").lower()
    if host.startswith("www."):
        host = host[4:]
    if "." not in host or " " in host:
        return None
    try:
        return host.encode("idna").decode("ascii")
    except UnicodeError:
        return host


def resolve_company(engine: Engine, text: str) -> int | None:
    """The company ``text`` names, for ``leadgen override COMPANY`` / ``leadgen explain``.

    Tried in order: a database id (digits), an ИНН (10/12 digits) / ОГРН (13/15) / VAT number,
    a domain or website URL (``www.`` and the path dropped, IDN as punycode), the exact name,
    the name case-folded.  None when nothing matches; ``AmbiguousCompany`` when a name matches
    several companies."""
    text = (text or "").strip()
    if not text:
        return None
    c = _C.c
    with engine.connect() as conn:

        def one(*where: Any) -> int | None:
            return conn.execute(select(c.id).where(*where).order_by(c.id).limit(1)).scalar()

        if text.isdigit():
            found = None
            if len(text) in (10, 12):
                found = one(c.inn == text)
            if found is None and len(text) in (13, 15):
                found = one(c.ogrn == text)
            if found is None and len(text) < 19:
                found = one(c.id == int(text))
            if found is not None:
                return found
        compact = re.sub(r"[\s.-]", "", text).upper()
        if re.fullmatch(r"[A-Z]{2}[0-9A-Z]{2,13}", compact):
            found = one(or_(c.vat == compact, c.vat == text))
            if found is not None:
                return found
        domain = _domain_text(text)
        if domain is not None:
            found = one(c.domain == domain)
            if found is not None:
                return found
        for where in (c.name == text, casefold(c.name) == text.casefold().replace("ё", "е")):
            ids = list(conn.execute(select(c.id).where(where).order_by(c.id).limit(51)).scalars())
            if len(ids) == 1:
                return ids[0]
            if ids:
                raise AmbiguousCompany(text, ids)
    return None
