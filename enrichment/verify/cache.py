"""Domain-level facts (MX, catch-all) and the cache protocol that keeps them between batches.

Within one batch each domain is looked up once whatever the cache; a :class:`DomainCache`
keeps the facts for later batches.  ``storage.domains.MailDomainCache`` is the database one;
:class:`MemoryDomainCache` serves a long-lived process or a test.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from typing import Any, Protocol, runtime_checkable

__all__ = ["DomainCache", "DomainFacts", "MemoryDomainCache"]


def _aware(value: datetime | None) -> datetime | None:
    if value is None:
        return None
    return value if value.tzinfo else value.replace(tzinfo=UTC)  # SQLite keeps naive UTC


@dataclass(frozen=True, slots=True)
class DomainFacts:
    """What is known of a mail domain (ASCII/punycode, lower case), and since when.

    ``mail_status``: ok | null_mx | nxdomain | no_host | unknown (the ``mail_domains`` table's
    values); ``catch_all``: True/False once probed, None when not (or not conclusively)."""

    domain: str
    mail_status: str | None = None
    mx_hosts: tuple[str, ...] = ()
    dns_reason: str | None = None
    dns_checked_at: datetime | None = None
    catch_all: bool | None = None
    catch_all_checked_at: datetime | None = None

    @classmethod
    def coerce(cls, value: Any) -> DomainFacts:
        """A DomainFacts from anything with its attributes (a cache's row object)."""
        if isinstance(value, cls):
            return value
        return cls(
            domain=value.domain,
            mail_status=getattr(value, "mail_status", None),
            mx_hosts=tuple(getattr(value, "mx_hosts", None) or ()),
            dns_reason=getattr(value, "dns_reason", None),
            dns_checked_at=_aware(getattr(value, "dns_checked_at", None)),
            catch_all=getattr(value, "catch_all", None),
            catch_all_checked_at=_aware(getattr(value, "catch_all_checked_at", None)),
        )

    def fresh(self, now: datetime, dns_ttl: timedelta, catch_all_ttl: timedelta) -> DomainFacts:
        """These facts without the parts older than their TTL (and without an unknown DNS)."""
        dns_ok = (
            self.dns_checked_at is not None
            and self.mail_status not in (None, "unknown")
            and now - _aware(self.dns_checked_at) <= dns_ttl
        )
        ca_ok = (
            self.catch_all is not None
            and self.catch_all_checked_at is not None
            and now - _aware(self.catch_all_checked_at) <= catch_all_ttl
        )
        out = self
        if not dns_ok:
            out = replace(out, mail_status=None, mx_hosts=(), dns_reason=None, dns_checked_at=None)
        if not ca_ok:
            out = replace(out, catch_all=None, catch_all_checked_at=None)
        return out

    @property
    def has_dns(self) -> bool:
        return self.mail_status is not None and self.dns_checked_at is not None

    @property
    def has_catch_all(self) -> bool:
        return self.catch_all is not None and self.catch_all_checked_at is not None


@runtime_checkable
class DomainCache(Protocol):
    """Keeps :class:`DomainFacts` between batches.

    ``get_many`` returns what it holds for the given domains (objects with DomainFacts'
    attributes; missing domains are left out); the verifier drops the parts older than its
    TTLs.  ``put_many`` stores new facts: a part whose ``*_checked_at`` is None is not
    known and must not overwrite a stored one."""

    def get_many(self, domains: Sequence[str]) -> Mapping[str, Any]: ...

    def put_many(self, facts: Sequence[DomainFacts]) -> None: ...


class MemoryDomainCache:
    """A DomainCache in a dict."""

    def __init__(self, facts: Iterable[DomainFacts] = ()) -> None:
        self.facts: dict[str, DomainFacts] = {f.domain: f for f in facts}

    def get_many(self, domains: Sequence[str]) -> dict[str, DomainFacts]:
        return {d: self.facts[d] for d in domains if d in self.facts}

    def put_many(self, facts: Sequence[DomainFacts]) -> None:
        for new in facts:
            old = self.facts.get(new.domain, DomainFacts(new.domain))
            self.facts[new.domain] = merge_facts(old, new)


def merge_facts(old: DomainFacts, new: DomainFacts) -> DomainFacts:
    """``old`` updated with the parts ``new`` knows."""
    out = old
    if new.dns_checked_at is not None:
        out = replace(
            out,
            mail_status=new.mail_status,
            mx_hosts=new.mx_hosts,
            dns_reason=new.dns_reason,
            dns_checked_at=new.dns_checked_at,
        )
    if new.catch_all_checked_at is not None:
        out = replace(out, catch_all=new.catch_all, catch_all_checked_at=new.catch_all_checked_at)
    return out
