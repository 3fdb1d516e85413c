"""The suppression list: opted-out emails and domains, stored only as SHA-256 hashes.

A suppressed value is never stored again by any import or crawl (``upsert_batch`` checks every
record against the list).  Values arrive normalized by the caller (lower-case address, registrable
domain in punycode); ``suppression_hash`` folds case and surrounding space once more so that a
hand-typed ``leadgen forget`` matches.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from sqlalchemy import Connection, select
from sqlalchemy.exc import IntegrityError

from storage.clock import utcnow
from storage.models import Suppression

#: ``person`` is a company's domain (or name key) and a person's name key, so that a person erased
#: by email is not stored again when a later source shows the name without the address.
SUPPRESSION_KINDS = ("email", "domain", "person")
_table = Suppression.__table__


def suppression_hash(value: str) -> str:
    return hashlib.sha256(value.strip().lower().encode("utf-8")).hexdigest()


@dataclass(slots=True)
class SuppressionList:
    emails: frozenset[str]
    domains: frozenset[str]
    persons: frozenset[str] = frozenset()

    def email_suppressed(self, address: str | None) -> bool:
        if not address:
            return False
        if suppression_hash(address) in self.emails:
            return True
        return self.domain_suppressed(address.rpartition("@")[2])

    def domain_suppressed(self, domain: str | None) -> bool:
        return bool(domain) and suppression_hash(domain) in self.domains

    def persons_suppressed(self, identity: str) -> bool:
        return suppression_hash(identity) in self.persons

    def __bool__(self) -> bool:
        return bool(self.emails or self.domains or self.persons)


def load_suppressions(conn: Connection) -> SuppressionList:
    rows = conn.execute(select(_table.c.kind, _table.c.value_hash)).all()
    return SuppressionList(
        emails=frozenset(h for k, h in rows if k == "email"),
        domains=frozenset(h for k, h in rows if k == "domain"),
        persons=frozenset(h for k, h in rows if k == "person"),
    )


def add_suppression(conn: Connection, kind: str, value: str, reason: str | None = None) -> bool:
    """Add ``value`` to the list; returns False when it was already there."""
    if kind not in SUPPRESSION_KINDS:
        raise ValueError(f"suppression kind must be one of {SUPPRESSION_KINDS}, not {kind!r}")
    digest = suppression_hash(value)
    exists = conn.execute(
        select(_table.c.id).where(_table.c.kind == kind, _table.c.value_hash == digest)
    ).first()
    if exists:
        return False
    try:
        with conn.begin_nested():
            conn.execute(
                _table.insert().values(
                    kind=kind, value_hash=digest, reason=reason, created_at=utcnow()
                )
            )
    except IntegrityError:  # added concurrently
        return False
    return True
