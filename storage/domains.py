"""Mail-domain facts in the database (``mail_domains``) and verification results on ``emails``.

:class:`MailDomainCache` is the verifier's domain cache (``enrichment.verify.DomainCache``):
MX data and the catch-all verdict are stored with the time they were found, and read back only
while younger than their TTL, so 10,000 addresses on one domain cost one MX lookup and one
catch-all probe across runs too.  The learned-pattern columns of the same rows belong to the
pattern stage and are never touched here.

Works with anything that has the verifier's attribute names (duck typing): storage does not
import enrichment.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import UTC, datetime, timedelta
from types import SimpleNamespace
from typing import Any

from sqlalchemy import Engine, bindparam, select, update

from storage.clock import utcnow
from storage.db import write_transaction
from storage.models import EMAIL_STATUSES, EMAIL_VERIFY_FIELDS, MAIL_STATUSES, Email, MailDomain

__all__ = ["MailDomainCache", "store_verify_results"]

_D = MailDomain.__table__
_E = Email.__table__
_CHUNK = 500
_DNS = ("mail_status", "mx_hosts", "dns_reason", "dns_checked_at")
_CATCH_ALL = ("catch_all", "catch_all_checked_at")
#: The verification fields a result carries onto its ``emails`` row.
RESULT_FIELDS = (*EMAIL_VERIFY_FIELDS, "checked_at")


def _aware(value: datetime | None) -> datetime | None:
    if value is None:
        return None
    return value if value.tzinfo else value.replace(tzinfo=UTC)  # SQLite gives naive UTC


def _chunks(items: Sequence[Any], n: int = _CHUNK) -> Iterable[Sequence[Any]]:
    for i in range(0, len(items), n):
        yield items[i : i + n]


class MailDomainCache:
    """A domain cache on the ``mail_domains`` table (SQLite and PostgreSQL).

    ``get_many`` returns, per domain it knows, an object with ``domain, mail_status, mx_hosts,
    dns_reason, dns_checked_at, catch_all, catch_all_checked_at``; a part older than its TTL
    comes back empty (None), as if never checked."""

    def __init__(
        self,
        engine: Engine,
        *,
        dns_ttl: timedelta = timedelta(days=1),
        catch_all_ttl: timedelta = timedelta(days=7),
    ) -> None:
        self.engine = engine
        self.dns_ttl = dns_ttl
        self.catch_all_ttl = catch_all_ttl

    def get_many(self, domains: Sequence[str]) -> dict[str, SimpleNamespace]:
        now = utcnow()
        out: dict[str, SimpleNamespace] = {}
        wanted = sorted({d.lower() for d in domains})
        with self.engine.connect() as conn:
            for chunk in _chunks(wanted):
                rows = conn.execute(
                    select(_D.c.domain, *(_D.c[c] for c in _DNS + _CATCH_ALL)).where(
                        _D.c.domain.in_(chunk)
                    )
                ).mappings()
                for row in rows:
                    facts = SimpleNamespace(**row)
                    facts.dns_checked_at = _aware(facts.dns_checked_at)
                    facts.catch_all_checked_at = _aware(facts.catch_all_checked_at)
                    if facts.dns_checked_at is None or now - facts.dns_checked_at > self.dns_ttl:
                        facts.mail_status = facts.dns_reason = facts.dns_checked_at = None
                        facts.mx_hosts = []
                    ca_at = facts.catch_all_checked_at
                    if ca_at is None or now - ca_at > self.catch_all_ttl:
                        facts.catch_all = facts.catch_all_checked_at = None
                    facts.mx_hosts = list(facts.mx_hosts or [])
                    if facts.mail_status is None and facts.catch_all is None:
                        continue  # nothing fresh
                    out[facts.domain] = facts
        return out

    def put_many(self, facts: Sequence[Any]) -> None:
        """Store the parts each fact knows (``*_checked_at`` set); other columns are kept."""
        by_domain: dict[str, dict[str, Any]] = {}
        for f in facts:
            values: dict[str, Any] = {}
            if getattr(f, "dns_checked_at", None) is not None:
                status = f.mail_status
                if status not in MAIL_STATUSES:
                    raise ValueError(f"{f.domain}: mail_status {status!r} not in {MAIL_STATUSES}")
                values |= {
                    "mail_status": status,
                    "mx_hosts": list(f.mx_hosts or []),
                    "dns_reason": f.dns_reason,
                    "dns_checked_at": _aware(f.dns_checked_at),
                }
            if getattr(f, "catch_all_checked_at", None) is not None and f.catch_all is not None:
                values |= {
                    "catch_all": bool(f.catch_all),
                    "catch_all_checked_at": _aware(f.catch_all_checked_at),
                }
            if values:
                by_domain.setdefault(f.domain.lower(), {}).update(values)
        if not by_domain:
            return
        with write_transaction(self.engine) as conn:
            domains = sorted(by_domain)
            existing: set[str] = set()
            for chunk in _chunks(domains):
                existing.update(
                    conn.execute(select(_D.c.domain).where(_D.c.domain.in_(chunk))).scalars()
                )
            new = [{"domain": d, "pattern_support": 0, **by_domain[d]} for d in domains]
            inserts = [
                {c: row.get(c) for c in ("domain", "pattern_support", *_DNS, *_CATCH_ALL)}
                for row in new
                if row["domain"] not in existing
            ]
            if inserts:
                conn.execute(_D.insert(), inserts)
            # one UPDATE per set of columns, each an executemany
            groups: dict[tuple[str, ...], list[dict[str, Any]]] = {}
            for d in domains:
                if d in existing:
                    cols = tuple(sorted(by_domain[d]))
                    groups.setdefault(cols, []).append(
                        {"d": d, **{f"v_{c}": by_domain[d][c] for c in cols}}
                    )
            for cols, rows in groups.items():
                stmt = (
                    update(_D)
                    .where(_D.c.domain == bindparam("d"))
                    .values({c: bindparam(f"v_{c}") for c in cols})
                )
                conn.execute(stmt, rows)


def store_verify_results(engine: Engine, results: Iterable[Any]) -> int:
    """Write each result's verification fields onto the ``emails`` row of its address (the
    result's ``normalized`` form), when there is one; returns the number of rows updated.

    A result needs the attributes in :data:`RESULT_FIELDS` plus ``normalized``; results with no
    normalized address (bad syntax) match no row."""
    rows = []
    for r in results:
        address = getattr(r, "normalized", None)
        if not address:
            continue
        if r.status not in EMAIL_STATUSES:
            raise ValueError(f"{address}: status {r.status!r} not in {EMAIL_STATUSES}")
        row = {f"v_{name}": getattr(r, name) for name in RESULT_FIELDS}
        row["v_mx_hosts"] = list(row["v_mx_hosts"] or [])
        row["v_checked_at"] = _aware(row["v_checked_at"]) or utcnow()
        row["a"] = address
        rows.append(row)
    if not rows:
        return 0
    stmt = (
        update(_E)
        .where(_E.c.address == bindparam("a"))
        .values({name: bindparam(f"v_{name}") for name in RESULT_FIELDS})
    )
    updated = 0
    with write_transaction(engine) as conn:
        for chunk in _chunks(rows):
            present = set(
                conn.execute(
                    select(_E.c.address).where(_E.c.address.in_([r["a"] for r in chunk]))
                ).scalars()
            )
            todo = [r for r in chunk if r["a"] in present]
            if todo:
                conn.execute(stmt, todo)
                updated += len(todo)
    return updated
