"""Which accounts a refresh re-crawls, and what it leaves behind (``leadgen refresh``).

An account of a segment is **due** when its website was never crawled in full (by a refresh,
or by the ``leadgen run`` that found it), or longer ago than its tier's cadence (the segment
file's ``[refresh]``: strategic monthly, the others quarterly by default); the effective tier
counts (a tier set by hand wins).  Accounts without a website or domain cannot be re-crawled
and are left out.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import urlsplit

from sqlalchemy import Connection, func, select, update

from storage.bulk import IN_CHUNK
from storage.clock import second_text
from storage.models import Company, Email, Observation, Page, Person, Score
from storage.pages import retired_pages
from storage.scores import segment_id

_C = Company.__table__
_E = Email.__table__
_O = Observation.__table__
_P = Person.__table__
_S = Score.__table__
_PG = Page.__table__


@dataclass(frozen=True, slots=True)
class DueAccount:
    company_id: int
    name: str | None
    site: str  # website, else domain
    tier: str
    refreshed_at: Any  # None: never


def due_accounts(
    conn: Connection,
    segment: str,
    cadence_days: Mapping[str, int],
    now: datetime,
    *,
    limit: int | None = None,
    every: bool = False,
) -> list[DueAccount]:
    """The segment's accounts due for a re-crawl (``every``: all that have a website, due or
    not), the longest waiting first (never refreshed before all), then by tier (strategic
    first) and id.  ``UnknownSegment`` for a segment never scored."""
    sid = segment_id(conn, segment)
    tier = func.coalesce(_S.c.override_tier, _S.c.tier)
    rows = conn.execute(
        select(_C.c.id, _C.c.name, _C.c.website, _C.c.domain, tier, _C.c.refreshed_at)
        .join(_S, _S.c.company_id == _C.c.id)
        .where(_S.c.segment_id == sid)
    ).all()
    order = {"strategic": 0, "scale": 1, "programmatic": 2}
    due: list[DueAccount] = []
    for cid, name, website, domain, t, refreshed in rows:
        site = website or domain
        if not site or t is None:
            continue
        days = cadence_days.get(t, 90)
        if refreshed is not None and not every:
            if second_text(refreshed) > second_text(now - timedelta(days=days)):
                continue
        due.append(DueAccount(cid, name, site, t, refreshed))
    due.sort(
        key=lambda d: (
            d.refreshed_at is not None,
            str(d.refreshed_at or ""),
            order.get(d.tier, 3),
            d.company_id,
        )
    )
    return due[:limit] if limit is not None else due


def mark_refreshed(conn: Connection, company_ids: Sequence[int], when: datetime) -> int:
    """The accounts' websites were re-crawled at ``when``."""
    ids = sorted(set(company_ids))
    n = 0
    for start in range(0, len(ids), IN_CHUNK):
        part = ids[start : start + IN_CHUNK]
        n += conn.execute(update(_C).where(_C.c.id.in_(part)).values(refreshed_at=when)).rowcount
    return n


def known_pages(conn: Connection, company_ids: Sequence[int]) -> list[tuple[str, str]]:
    """The web pages the accounts' values were read from (theirs, their people's and their
    addresses'), with what each was read as (``home``, ``contact``, ``team`` … from the
    ``site:<kind>`` locator; "" when not a website page), retired pages left out, sorted.  A
    refresh asks for them again even when no link leads to them any more, so a page that went
    away is found out (404 twice: retired, and what only it gave with it)."""
    ids = sorted(set(company_ids))
    kinds: dict[str, str] = {}
    for start in range(0, len(ids), IN_CHUNK):
        part = ids[start : start + IN_CHUNK]
        owners = (
            ("company", part),
            ("person", select(_P.c.id).where(_P.c.company_id.in_(part))),
            ("email", select(_E.c.id).where(_E.c.company_id.in_(part))),
        )
        for kind, entity_ids in owners:
            for source, locator in conn.execute(
                select(_O.c.source, _O.c.locator)
                .where(_O.c.entity_type == kind, _O.c.entity_id.in_(entity_ids))
                .distinct()
            ):
                if not source.startswith(("http://", "https://")):
                    continue
                read_as = locator[5:] if locator.startswith("site:") else ""
                if read_as or source not in kinds:
                    kinds[source] = read_as
    retired = retired_pages(conn, kinds)
    return sorted((url, kind) for url, kind in kinds.items() if url not in retired)


def segment_dqi(conn: Connection, segment: str) -> float | None:
    """The segment's data-quality index as its stored scores say (the mean of the accounts'),
    None when nothing is scored."""
    sid = segment_id(conn, segment)
    value = conn.execute(select(func.avg(_S.c.dqi)).where(_S.c.segment_id == sid)).scalar()
    return None if value is None else round(float(value), 4)


def reached(conn: Connection, due: Sequence[DueAccount], since: datetime) -> list[int]:
    """Of the due accounts, those whose website answered (a page 2xx or 304, ``storage.pages``)
    after ``since``: only they count as refreshed; a site that could not be reached stays due
    for the next pass.  Times are kept to the second: an answer in the very second the pass
    began may be an earlier crawl's, so it does not count (the safe side: the account stays
    due; a pass's own crawl starts a process first and answers later)."""
    cutoff = second_text(since)
    out = []
    for d in due:
        text = d.site if "://" in d.site else f"http://{d.site}"
        host = (urlsplit(text).hostname or "").lower()
        if host.startswith("www."):
            host = host[4:]
        found = False
        for scheme in ("http", "https"):
            for name in (host, f"www.{host}"):
                lo, hi = f"{scheme}://{name}/", f"{scheme}://{name}0"  # "0" sorts after "/"
                for (ok,) in conn.execute(
                    select(_PG.c.last_ok_at).where(
                        _PG.c.url >= lo, _PG.c.url < hi, _PG.c.last_ok_at.is_not(None)
                    )
                ):
                    if second_text(ok) > cutoff:
                        found = True
                        break
                if found:
                    break
            if found:
                break
        if found:
            out.append(d.company_id)
    return out
