"""Refresh bookkeeping: what every fetched page answered, and the people a re-crawl no longer finds.

A crawl reports each page it fetched (``record_pages``: URL and HTTP status).  Two rules then
keep the base honest without a person ever deleting anything by hand:

- **A page gone**: a page answering 404 or 410 ``RETIRE_AFTER`` times in a row is retired.
  One such answer may be a hiccup of the site; two, on two crawls, are not.
- **A person gone**: a person is marked gone (``people.gone_at``) when every web page that
  ever showed them is either retired, or was fetched successfully at least twice since the
  last time it showed them — "gone after two refreshes without being seen".  People known only
  from imports are never judged by crawls; a person seen again later comes back (the
  repository clears ``gone_at`` on a new sighting).
- **A contact value gone**: a company phone, address or postal code, a person's phone, or an
  email address found on the web is retired by the same rule when only pages gave it
  (``values_gone``); a value an import also gives stays.

Times are the database's clock (``storage.clock``); a page's fetch and the items it gave are
stored with the same batch time, so "fetched after the last sighting" is a strict comparison.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, delete, select, update

from storage.bulk import IN_CHUNK, insert_rows, update_rows
from storage.clock import second_text
from storage.models import ChangeEvent, Company, Email, Observation, Page, Person

_PG = Page.__table__
_O = Observation.__table__
_P = Person.__table__
_CH = ChangeEvent.__table__
_C = Company.__table__
_E = Email.__table__

#: 404 / 410 answers in a row that retire a page.
RETIRE_AFTER = 2
GONE_STATUSES = frozenset({404, 410})


def is_ok(status: int) -> bool:
    """2xx, or 304 (not modified: the cached page still holds)."""
    return 200 <= status < 300 or status == 304


@dataclass(slots=True)
class PageCounts:
    checked: int = 0
    ok: int = 0
    missing: int = 0  # 404 / 410 this time
    retired: int = 0  # newly retired by this call
    errors: int = 0  # other answers or none: nothing learned about the page

    def as_dict(self) -> dict[str, int]:
        return {
            "checked": self.checked,
            "ok": self.ok,
            "missing": self.missing,
            "retired": self.retired,
            "errors": self.errors,
        }


def record_pages(conn: Connection, checks: Iterable[tuple[str, int]], now: datetime) -> PageCounts:
    """Store what each page answered now (``(url, status)``, status 0 for no answer).  A URL
    given twice counts once, with its last status."""
    latest: dict[str, int] = {}
    for url, status in checks:
        if url:
            latest[url] = int(status or 0)
    counts = PageCounts(checked=len(latest))
    if not latest:
        return counts
    urls = sorted(latest)
    known: dict[str, dict[str, Any]] = {}
    for start in range(0, len(urls), IN_CHUNK):
        part = urls[start : start + IN_CHUNK]
        for row in conn.execute(
            select(
                _PG.c.id,
                _PG.c.url,
                _PG.c.last_ok_at,
                _PG.c.read_at,
                _PG.c.failures,
                _PG.c.retired_at,
            ).where(_PG.c.url.in_(part))
        ).mappings():
            known[row["url"]] = dict(row)
    new_rows: list[dict[str, Any]] = []
    changed: list[dict[str, Any]] = []
    for url in urls:
        status = latest[url]
        old = known.get(url)
        row = {
            "status": status,
            "last_checked_at": now,
            "last_ok_at": old["last_ok_at"] if old else None,
            "prev_ok_at": None,
            "read_at": old["read_at"] if old else None,
            "failures": old["failures"] if old else 0,
            "retired_at": old["retired_at"] if old else None,
        }
        if is_ok(status):
            counts.ok += 1
            row["prev_ok_at"] = row["last_ok_at"]
            row["last_ok_at"] = now
            if status != 304:
                row["read_at"] = now
            row["failures"] = 0
            row["retired_at"] = None  # back again
        elif status in GONE_STATUSES:
            counts.missing += 1
            row["failures"] += 1
            if row["failures"] >= RETIRE_AFTER and row["retired_at"] is None:
                row["retired_at"] = now
                counts.retired += 1
        else:
            counts.errors += 1
        if old is None:
            new_rows.append({"url": url, "first_checked_at": now, **row})
        else:
            if not is_ok(status):
                del row["prev_ok_at"]  # an answer that is not OK moves neither OK time
                del row["last_ok_at"]
                del row["read_at"]
            changed.append({**row, "id": old["id"]})
    insert_rows(conn, _PG, new_rows)
    # rows with the same keys in one executemany
    for keys in {tuple(r) for r in changed}:
        update_rows(conn, _PG, [r for r in changed if tuple(r) == keys])
    return counts


def people_gone(
    conn: Connection,
    now: datetime,
    *,
    company_ids: Sequence[int] | None = None,
    run_id: int | None = None,
) -> list[int]:
    """Mark gone the current people (of ``company_ids``, or all) whom no web page shows any
    more (see the module's rules); returns their ids.  Each gets a ``gone`` change event with
    the reason."""
    where = [_P.c.gone_at.is_(None)]
    if company_ids is not None:
        if not company_ids:
            return []
        where.append(_P.c.company_id.in_(sorted(set(company_ids))))
    people = {pid: cid for pid, cid in conn.execute(select(_P.c.id, _P.c.company_id).where(*where))}
    if not people:
        return []
    # the latest sighting of each person on each web page
    seen: dict[int, dict[str, Any]] = {}
    ids = sorted(people)
    for start in range(0, len(ids), IN_CHUNK):
        part = ids[start : start + IN_CHUNK]
        for pid, source, last in conn.execute(
            select(_O.c.entity_id, _O.c.source, _O.c.last_seen_at).where(
                _O.c.entity_type == "person", _O.c.entity_id.in_(part)
            )
        ):
            if not source.startswith(("http://", "https://")):
                continue
            pages = seen.setdefault(pid, {})
            if source not in pages or last > pages[source]:
                pages[source] = last
    state = _page_states(conn, (u for pages in seen.values() for u in pages))
    gone: list[tuple[int, str]] = []
    for pid, pages in seen.items():
        reason = _no_longer_shown(pages, state)
        if reason is not None:
            gone.append((pid, reason))
    if not gone:
        return []
    update_rows(conn, _P, [{"gone_at": now, "id": pid} for pid, _ in gone])
    insert_rows(
        conn,
        _CH,
        [
            {
                "entity_type": "person",
                "entity_id": pid,
                "company_id": people[pid],
                "kind": "gone",
                "field": "gone_at",
                "old_value": None,
                "new_value": reason,
                "run_id": run_id,
                "created_at": now,
            }
            for pid, reason in gone
        ],
    )
    return [pid for pid, _ in gone]


#: The contact values a page that no longer shows them takes with it: how to reach the
#: account, which a vanished contact page makes doubtful.  What the company *is* (name, domain,
#: INN, city, industry, size) is not retired: a page going away does not contradict it.
RETIRED_COMPANY_FIELDS = ("phone", "address", "postal_code")


@dataclass(slots=True)
class RetiredValues:
    phones: int = 0  # company and person phones
    addresses: int = 0  # address and postal code
    emails: int = 0  # addresses found on the web (info@, a person's old address)

    @property
    def total(self) -> int:
        return self.phones + self.addresses + self.emails

    def as_dict(self) -> dict[str, int]:
        return {"phones": self.phones, "addresses": self.addresses, "emails": self.emails}


def values_gone(
    conn: Connection,
    now: datetime,
    *,
    company_ids: Sequence[int] | None = None,
    run_id: int | None = None,
) -> RetiredValues:
    """Retire the contact values of ``company_ids`` (or all) that only pages no longer showing
    them supported — by the rule people are judged by: every web page that gave the value is
    retired (404/410 twice) or was fetched successfully twice since it last showed it.  A value
    any other source gives (an import, a page still showing it) stays.

    Retired: company phones (taken out of ``companies.phones``), the address and postal code
    (replaced by the latest one another source still supports, else cleared), people's phones,
    and email addresses found on the web, the company's (``info@…``) and those of people still
    shown (a changed address: the old ``emails`` row is deleted; a gone person keeps theirs).
    Each retirement is a ``retired`` change event with the value and the reason; the
    observations stay, so where the value came from remains on record, and a later sighting
    brings it back."""
    out = RetiredValues()
    if company_ids is not None:
        if not company_ids:
            return out
        ids = sorted(set(company_ids))
    else:
        ids = list(conn.execute(select(_C.c.id)).scalars())
    # -- the sightings of every candidate value, per source ------------------------------------
    people = {
        pid: cid
        for pid, cid in _select_chunked(
            conn,
            select(_P.c.id, _P.c.company_id).where(_P.c.gone_at.is_(None)),
            _P.c.company_id,
            ids,
        )
    }
    # addresses found on the web, of the company or of a person still there (a gone person's
    # addresses stay with them)
    emails = {
        eid: (address, cid, pid)
        for eid, address, cid, pid in _select_chunked(
            conn,
            select(_E.c.id, _E.c.address, _E.c.company_id, _E.c.person_id).where(
                _E.c.origin == "found"
            ),
            _E.c.company_id,
            ids,
        )
        if pid is None or pid in people
    }
    sightings: dict[tuple[str, int, str, str], dict[str, Any]] = {}
    for kind, entity_ids, fields in (
        ("company", ids, RETIRED_COMPANY_FIELDS),
        ("person", sorted(people), ("phone",)),
        ("email", sorted(emails), ("address",)),
    ):
        query = select(
            _O.c.entity_id, _O.c.field, _O.c.value, _O.c.source, _O.c.last_seen_at
        ).where(_O.c.entity_type == kind, _O.c.field.in_(fields))
        for eid, name, value, source, last in _select_chunked(
            conn, query, _O.c.entity_id, entity_ids
        ):
            pages = sightings.setdefault((kind, eid, name, value), {})
            if source not in pages or _after(last, pages[source]):
                pages[source] = last
    web = {
        u for pages in sightings.values() for u in pages if u.startswith(("http://", "https://"))
    }
    state = _page_states(conn, web)
    stale: dict[tuple[str, int, str, str], str] = {}
    for key, pages in sightings.items():
        if all(u.startswith(("http://", "https://")) for u in pages):
            reason = _no_longer_shown(pages, state)
            if reason is not None:
                stale[key] = reason
    if not stale:
        return out
    # -- take them out of the current data -----------------------------------------------------
    events: list[dict[str, Any]] = []

    def event(kind: str, eid: int, cid: int, name: str, value: str, reason: str) -> None:
        events.append(
            {
                "entity_type": kind,
                "entity_id": eid,
                "company_id": cid,
                "kind": "retired",
                "field": name,
                "old_value": value,
                "new_value": reason,
                "run_id": run_id,
                "created_at": now,
            }
        )

    by_entity: dict[tuple[str, int], list[tuple[str, str, str]]] = {}
    for (kind, eid, name, value), reason in sorted(stale.items()):
        by_entity.setdefault((kind, eid), []).append((name, value, reason))
    company_rows = {
        row.id: row._mapping
        for row in _select_chunked(
            conn,
            select(_C.c.id, _C.c.phones, _C.c.address, _C.c.postal_code),
            _C.c.id,
            sorted({eid for kind, eid in by_entity if kind == "company"}),
        )
    }
    person_rows = {
        pid: list(phones or [])
        for pid, phones in _select_chunked(
            conn,
            select(_P.c.id, _P.c.phones),
            _P.c.id,
            sorted({eid for kind, eid in by_entity if kind == "person"}),
        )
    }
    company_updates: list[dict[str, Any]] = []
    person_updates: list[dict[str, Any]] = []
    drop_emails: list[int] = []
    for (kind, eid), items in sorted(by_entity.items()):
        if kind == "company" and eid in company_rows:
            row = company_rows[eid]
            patch: dict[str, Any] = {}
            phones = list(row["phones"] or [])
            for name, value, reason in items:
                if name == "phone" and value in phones:
                    phones.remove(value)
                    patch["phones"] = phones
                    out.phones += 1
                    event(kind, eid, eid, name, value, reason)
                elif name in ("address", "postal_code") and row[name] == value:
                    patch[name] = _still_supported(sightings, stale, kind, eid, name)
                    out.addresses += 1
                    event(kind, eid, eid, name, value, reason)
            if patch:
                company_updates.append({**patch, "id": eid})
        elif kind == "person" and eid in person_rows:
            phones = person_rows[eid]
            kept = [p for p in phones if (kind, eid, "phone", p) not in stale]
            for name, value, reason in items:
                if value in phones:
                    out.phones += 1
                    event(kind, eid, people[eid], name, value, reason)
            if kept != phones:
                person_updates.append({"phones": kept, "id": eid})
        elif kind == "email" and eid in emails:
            address, cid, pid = emails[eid]
            for _name, value, reason in items:
                if value == address:
                    drop_emails.append(eid)
                    out.emails += 1
                    if pid is None:
                        event("email", eid, cid, "address", value, reason)
                    else:  # told as the person's: the address row goes
                        event("person", pid, cid, "email", value, reason)
    for keys in {tuple(sorted(r)) for r in company_updates}:
        update_rows(conn, _C, [r for r in company_updates if tuple(sorted(r)) == keys])
    update_rows(conn, _P, person_updates)
    for start in range(0, len(drop_emails), IN_CHUNK):
        conn.execute(delete(_E).where(_E.c.id.in_(drop_emails[start : start + IN_CHUNK])))
    insert_rows(conn, _CH, events)
    return out


def _still_supported(
    sightings: dict[tuple[str, int, str, str], dict[str, Any]],
    stale: dict[tuple[str, int, str, str], str],
    kind: str,
    eid: int,
    name: str,
) -> str | None:
    """The value of ``name`` another source still supports, the most recently seen; None."""
    best: tuple[str, str] | None = None
    for key, pages in sightings.items():
        if key[:3] != (kind, eid, name) or key in stale:
            continue
        last = max(second_text(t) for t in pages.values())
        if best is None or last > best[0]:
            best = (last, key[3])
    return best[1] if best else None


def _select_chunked(conn: Connection, query: Any, column: Any, values: Sequence[Any]) -> list[Any]:
    """The rows of ``query`` restricted to ``column IN values``, read in chunks."""
    rows: list[Any] = []
    for start in range(0, len(values), IN_CHUNK):
        rows.extend(conn.execute(query.where(column.in_(values[start : start + IN_CHUNK]))).all())
    return rows


def _page_states(conn: Connection, urls: Iterable[str]) -> dict[str, tuple[Any, Any]]:
    """``url -> (prev_ok_at, retired_at)`` of the known pages among ``urls``."""
    want = sorted(set(urls))
    state: dict[str, tuple[Any, Any]] = {}
    for start in range(0, len(want), IN_CHUNK):
        part = want[start : start + IN_CHUNK]
        for url, prev_ok, retired in conn.execute(
            select(_PG.c.url, _PG.c.prev_ok_at, _PG.c.retired_at).where(_PG.c.url.in_(part))
        ):
            state[url] = (prev_ok, retired)
    return state


def _no_longer_shown(pages: dict[str, Any], state: dict[str, tuple[Any, Any]]) -> str | None:
    """Why no page of ``pages`` (``url -> last sighting there``) shows a thing any more — each
    is retired, or was fetched successfully twice since — or None when one may still show it."""
    reasons = []
    for url, last in sorted(pages.items()):
        prev_ok, retired = state.get(url, (None, None))
        if retired is not None:
            reasons.append(f"{url} gone (404/410 {RETIRE_AFTER} times)")
        elif prev_ok is not None and _after(prev_ok, last):
            reasons.append(f"not on {url} for two fetches")
        else:
            return None  # a page that may still show it
    return "; ".join(reasons) if reasons else None


def _after(a: Any, b: Any) -> bool:
    """``a > b`` for two stored times, compared to the second."""
    return second_text(a) > second_text(b)


def retired_pages(conn: Connection, urls: Iterable[str]) -> set[str]:
    """Of ``urls``, those retired."""
    want = sorted(set(urls))
    out: set[str] = set()
    for start in range(0, len(want), IN_CHUNK):
        part = want[start : start + IN_CHUNK]
        out.update(
            conn.execute(
                select(_PG.c.url).where(_PG.c.url.in_(part), _PG.c.retired_at.is_not(None))
            ).scalars()
        )
    return out


def touch_sources(
    conn: Connection, urls: Sequence[str], now: datetime, *, run_id: int | None = None
) -> int:
    """Pages not modified since they were read: the values they gave at their last full read
    (``pages.read_at``) are seen again now — their observations' last sighting and run, and
    the last sighting of the companies and current people they showed — without reading the
    page again.  A value the page no longer gave at that read is not touched.  Returns the
    observations touched."""
    want = sorted(set(u for u in urls if u))
    ids: list[int] = []
    entities: dict[str, set[int]] = {"person": set(), "company": set()}
    for start in range(0, len(want), IN_CHUNK):
        part = want[start : start + IN_CHUNK]
        read = dict(conn.execute(select(_PG.c.url, _PG.c.read_at).where(_PG.c.url.in_(part))).all())
        for oid, source, kind, eid, last in conn.execute(
            select(_O.c.id, _O.c.source, _O.c.entity_type, _O.c.entity_id, _O.c.last_seen_at).where(
                _O.c.source.in_(part)
            )
        ):
            at = read.get(source)
            if at is None or _after(at, last):
                continue  # not on the page when it was last read
            ids.append(oid)
            if kind in entities:
                entities[kind].add(eid)
    for start in range(0, len(ids), IN_CHUNK):
        part = ids[start : start + IN_CHUNK]
        conn.execute(
            update(_O).where(_O.c.id.in_(part)).values(last_seen_at=now, last_run_id=run_id)
        )
    for table, kind, extra in ((_P, "person", (_P.c.gone_at.is_(None),)), (_C, "company", ())):
        eids = sorted(entities[kind])
        for start in range(0, len(eids), IN_CHUNK):
            part = eids[start : start + IN_CHUNK]
            conn.execute(update(table).where(table.c.id.in_(part), *extra).values(last_seen=now))
    return len(ids)
