"""Customer history: orders matched to accounts, stored once, read back for RFM/ABC.

``OrderRecord`` arrives normalized (``leadgen.orders`` maps file rows to records: INN checked,
domain registrable, name folded by the company-name normalizer into the key stored as
``companies.name_key``).  Matching, in this order — the first key that finds an account wins:

1. INN (``companies.inn``);
2. domain (``companies.domain``);
3. normalized name (``companies.name_key``), only when exactly one account has it (two
   "Ромашка" in two cities are reported, not guessed).

A row whose INN and domain find two different accounts is stored on the INN's, with a warning.
Rows that find nothing are reported, not stored, and no account is created (see
docs/customers.md: an order file names a customer by a label, often without a domain, and an
account made from it would be a bare name that no crawl or dedupe can connect).

``order_keys`` gives each order its key (``orders.order_key`` is unique): an order number when
the file has one, else a hash of the customer as the row names it (INN, else domain, else name
key), the date, the amount and which occurrence of that triple it is in the file.  Importing the
same file again finds every key and changes nothing.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from sqlalchemy import Connection, func, insert, select, update

from storage.bulk import insert_rows, select_in, update_rows
from storage.clock import utcnow
from storage.models import ChangeEvent, Company, Order, Score
from storage.queries import _attach_contacts
from storage.scores import segment_id

_C = Company.__table__
_O = Order.__table__
_CH = ChangeEvent.__table__


@dataclass(slots=True)
class OrderRecord:
    row: int
    order_date: date
    amount: float
    inn: str | None = None
    domain: str | None = None
    name_key: str | None = None
    name: str | None = None  # as the file wrote it, for messages
    order_number: str | None = None
    currency: str | None = None
    locator: str = ""
    key: str = ""

    def identity(self) -> str:
        if self.inn:
            return f"inn:{self.inn}"
        if self.domain:
            return f"domain:{self.domain}"
        return f"name:{self.name_key}"

    def described(self) -> str:
        parts = []
        if self.inn:
            parts.append(f"INN {self.inn}")
        if self.domain:
            parts.append(f"domain {self.domain}")
        if self.name:
            parts.append(f"name {self.name!r}")
        return ", ".join(parts)


def order_keys(records: Sequence[OrderRecord]) -> None:
    """Set ``key`` on every record of one file (in file order; see the module docstring)."""
    seen: dict[str, int] = defaultdict(int)
    for r in records:
        if r.order_number:
            r.key = f"no:{r.order_number}"
            continue
        base = f"{r.identity()}|{r.order_date.isoformat()}|{r.amount!r}"
        seen[base] += 1
        digest = hashlib.sha256(f"{base}|{seen[base]}".encode()).hexdigest()[:32]
        r.key = f"row:{digest}"


@dataclass(slots=True)
class Match:
    company_id: int | None
    rule: str | None  # inn | domain | name
    reason: str | None = None  # why not matched
    warning: str | None = None


def match_accounts(conn: Connection, records: Sequence[OrderRecord]) -> list[Match]:
    """The account of each record: INN, then domain, then a unique normalized name."""
    by_inn = {
        r["inn"]: r["id"]
        for r in select_in(
            conn, _C, _C.c.inn, {x.inn for x in records if x.inn}, [_C.c.id, _C.c.inn]
        )
    }
    by_domain = {
        r["domain"]: r["id"]
        for r in select_in(
            conn, _C, _C.c.domain, {x.domain for x in records if x.domain}, [_C.c.id, _C.c.domain]
        )
    }
    by_name: dict[str, list[int]] = defaultdict(list)
    for r in select_in(
        conn,
        _C,
        _C.c.name_key,
        {x.name_key for x in records if x.name_key},
        [_C.c.id, _C.c.name_key],
    ):
        by_name[r["name_key"]].append(r["id"])
    out: list[Match] = []
    for x in records:
        inn_id = by_inn.get(x.inn) if x.inn else None
        domain_id = by_domain.get(x.domain) if x.domain else None
        if inn_id is not None:
            warning = None
            if domain_id is not None and domain_id != inn_id:
                warning = (
                    f"INN {x.inn} is account #{inn_id} but domain {x.domain} is account "
                    f"#{domain_id}: stored on #{inn_id} (INN first)"
                )
            out.append(Match(inn_id, "inn", warning=warning))
            continue
        if domain_id is not None:
            out.append(Match(domain_id, "domain"))
            continue
        ids = sorted(by_name.get(x.name_key, ())) if x.name_key else []
        if len(ids) == 1:
            out.append(Match(ids[0], "name"))
        elif len(ids) > 1:
            shown = ", ".join(f"#{i}" for i in ids[:5]) + (" …" if len(ids) > 5 else "")
            out.append(
                Match(
                    None,
                    None,
                    f"name {x.name!r} matches {len(ids)} accounts ({shown}); add the INN or "
                    "the domain to the row",
                )
            )
        else:
            out.append(Match(None, None, f"no account with {x.described()}"))
    return out


@dataclass(slots=True)
class OrderBatchResult:
    new: int = 0
    updated: int = 0
    unchanged: int = 0
    matched_by: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    companies: set[int] = field(default_factory=set)
    unmatched: list[tuple[int, str]] = field(default_factory=list)  # (row, reason)
    warnings: list[tuple[int, str]] = field(default_factory=list)

    def add(self, other: OrderBatchResult) -> None:
        self.new += other.new
        self.updated += other.updated
        self.unchanged += other.unchanged
        for k, v in other.matched_by.items():
            self.matched_by[k] += v
        self.companies |= other.companies
        self.unmatched += other.unmatched
        self.warnings += other.warnings


_COMPARED = ("company_id", "order_date", "amount", "currency", "order_number")


def upsert_orders(
    conn: Connection, records: Sequence[OrderRecord], *, source: str, run_id: int | None
) -> OrderBatchResult:
    """Match and store one batch (keys set by ``order_keys``); same transaction as the caller."""
    result = OrderBatchResult()
    matches = match_accounts(conn, records)
    existing = {
        r["order_key"]: r
        for r in select_in(
            conn,
            _O,
            _O.c.order_key,
            [x.key for x in records],
            [_O.c.id, _O.c.order_key, *(_O.c[c] for c in _COMPARED)],
        )
    }
    now = utcnow()
    inserts: dict[str, dict[str, Any]] = {}  # by key: a key twice in one batch is one order
    updates: list[dict[str, Any]] = []
    for x, m in zip(records, matches, strict=True):
        if m.company_id is None:
            result.unmatched.append((x.row, m.reason or "no matching account"))
            continue
        if m.warning:
            result.warnings.append((x.row, m.warning))
        result.matched_by[m.rule or "?"] += 1
        result.companies.add(m.company_id)
        values = {
            "company_id": m.company_id,
            "order_date": x.order_date,
            "amount": x.amount,
            "currency": x.currency,
            "order_number": x.order_number,
        }
        old = existing.get(x.key)
        if old is None:
            inserts[x.key] = {
                **values,
                "order_key": x.key,
                "matched_by": m.rule,
                "source": source,
                "locator": x.locator,
                "run_id": run_id,
                "created_at": now,
            }
            existing[x.key] = {"id": None, "order_key": x.key, **values}
            result.new += 1
        elif any(old[c] != values[c] for c in _COMPARED):
            if old["id"] is None:  # twice in this batch: the later row wins
                inserts[x.key].update(values, matched_by=m.rule)
            else:
                updates.append({**values, "matched_by": m.rule, "id": old["id"]})
            old.update(values)
            result.updated += 1
        else:
            result.unchanged += 1
    insert_rows(conn, _O, list(inserts.values()))
    update_rows(conn, _O, updates)
    return result


def refresh_customer_status(
    conn: Connection, as_of: date, window_days: int, *, run_id: int | None = None
) -> dict[str, int]:
    """Accounts with orders: ``current`` when the last is at most ``window_days`` before
    ``as_of``, else ``former``.  Each change is a ``changed status`` event.  Accounts without
    orders keep the status they were imported with."""
    cutoff = as_of - timedelta(days=window_days)
    last = (
        select(_O.c.company_id, func.max(_O.c.order_date).label("last"))
        .group_by(_O.c.company_id)
        .subquery()
    )
    rows = conn.execute(
        select(_C.c.id, _C.c.status, last.c.last).join(last, last.c.company_id == _C.c.id)
    ).all()
    changed: dict[str, list[tuple[int, str]]] = {"current": [], "former": []}
    for cid, status, last_day in rows:
        if isinstance(last_day, str):  # SQLite's max() of a date column: the text itself
            last_day = date.fromisoformat(last_day)
        wanted = "current" if last_day >= cutoff else "former"
        if status != wanted:
            changed[wanted].append((cid, status))
    now = utcnow()
    for wanted, items in changed.items():
        ids = [cid for cid, _ in items]
        for start in range(0, len(ids), 900):
            part = ids[start : start + 900]
            conn.execute(update(_C).where(_C.c.id.in_(part)).values(status=wanted))
        if items:
            conn.execute(
                insert(_CH),
                [
                    {
                        "entity_type": "company",
                        "entity_id": cid,
                        "company_id": cid,
                        "kind": "changed",
                        "field": "status",
                        "old_value": old,
                        "new_value": wanted,
                        "run_id": run_id,
                        "created_at": now,
                    }
                    for cid, old in items
                ],
            )
    return {"current": len(changed["current"]), "former": len(changed["former"])}


# -- reading ------------------------------------------------------------------------------------


def _date_reader(conn: Connection):
    if conn.dialect.name != "sqlite":
        return lambda v: v
    cache: dict[str, date] = {}

    def read(v: Any) -> date:
        if not isinstance(v, str):
            return v
        d = cache.get(v)
        if d is None:
            d = cache[v] = date.fromisoformat(v[:10])
        return d

    return read


def iter_order_histories(
    conn: Connection, chunk: int = 50_000
) -> Iterator[tuple[int, list[tuple[date, float]]]]:
    """(company id, [(date, amount), ...]) for every customer, by company id; the lines come
    through the covering index (company_id, order_date, amount) as plain driver tuples."""
    read = _date_reader(conn)
    mark = "?" if conn.dialect.name == "sqlite" else "%s"
    sql = (
        "SELECT company_id, order_date, amount FROM orders WHERE company_id > "
        f"{mark} ORDER BY company_id, order_date LIMIT {mark}"
    )
    current: int | None = None
    lines: list[tuple[date, float]] = []
    after = 0
    while True:
        # Whole customers per page: read up to ``chunk`` lines, then finish the last customer.
        rows = conn.exec_driver_sql(sql, (after, chunk)).fetchall()
        if not rows:
            break
        last_id = rows[-1][0]
        if len(rows) == chunk:
            rows = [r for r in rows if r[0] != last_id]
            if not rows:  # one customer with more than ``chunk`` lines
                rows = conn.exec_driver_sql(
                    f"SELECT company_id, order_date, amount FROM orders WHERE company_id = {mark} "
                    "ORDER BY order_date",
                    (last_id,),
                ).fetchall()
            else:
                last_id = rows[-1][0]
        for cid, day, amount in rows:
            if cid != current:
                if current is not None:
                    yield current, lines
                current, lines = cid, []
            lines.append((read(day), amount))
        after = last_id
    if current is not None:
        yield current, lines


def order_stats(conn: Connection, ids: Iterable[int] | None = None) -> dict[int, tuple[int, date]]:
    """company id -> (number of orders, last order date), for ``ids`` or every customer."""
    q = select(_O.c.company_id, func.count(), func.max(_O.c.order_date)).group_by(_O.c.company_id)
    if ids is not None:
        ids = sorted(set(ids))
        if not ids:
            return {}
        q = q.where(_O.c.company_id.in_(ids))
    read = _date_reader(conn)
    return {cid: (n, read(last)) for cid, n, last in conn.execute(q)}


def scored_company_ids(conn: Connection, segment_name: str) -> set[int]:
    """The ids of the accounts scored in a segment (its ``scores`` rows: the accounts that pass
    its ICP); ``storage.scores.UnknownSegment`` when it was never scored."""
    s = Score.__table__
    sid = segment_id(conn, segment_name)
    return set(conn.execute(select(s.c.company_id).where(s.c.segment_id == sid)).scalars())


def opted_out_ids(conn: Connection) -> set[int]:
    return set(conn.execute(select(_C.c.id).where(_C.c.opted_out_at.is_not(None))).scalars())


_ACCOUNT_COLUMNS = (
    _C.c.id,
    _C.c.name,
    _C.c.domain,
    _C.c.inn,
    _C.c.city,
    _C.c.country,
    _C.c.status,
    _C.c.phones,
    _C.c.opted_out_at,
)


def load_customer_accounts(conn: Connection, ids: Iterable[int]) -> dict[int, dict[str, Any]]:
    """id -> the account's name, domain, INN, city, status, phones, opt-out, people and best
    contact (``storage.queries`` ranking: decision makers and verified emails first)."""
    rows = select_in(conn, _C, _C.c.id, ids, _ACCOUNT_COLUMNS)
    _attach_contacts(conn, rows)
    return {r["id"]: r for r in rows}
