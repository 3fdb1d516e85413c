"""What changed in the base since a moment: the feed behind ``leadgen changes`` and refresh runs.

A prospect base decays; what sales need to hear about is a short list of facts:

``account_new``
    a company first seen in the window;
``person_new``
    a person first seen at a company that was already known (``decision_maker`` says whether
    the person is one: a new decision maker to contact);
``person_gone``
    a person marked gone (``people.gone_at``) in the window;
``title_changed``
    a person's title changed (``decision_maker``: whether the person is a decision maker now);
``decision_maker_new``
    a person became a decision maker (the flag went from false to true);
``email_new``
    an address first seen for a known company or person;
``email_status``
    an address's verification status changed (``valid`` -> ``invalid``: it bounces now);
``phone_changed``
    a person's or company's phones changed (old and new lists);
``retired``
    a contact value (company or person phone, address, postal code, email address) that only
    pages no longer showing it supported was taken out (``field``, ``old``: the value,
    ``new``: why; ``storage.pages.values_gone``);
``changed``
    any other field of a company or person (``field``, ``old``, ``new``);
``merged``
    two records found to be the same were merged (``storage.merge``).

Events come from what the database already keeps: ``first_seen`` of companies, people and
emails, ``people.gone_at`` and the ``change_events`` rows every write leaves.  Nothing is
computed from the clock: the same database and window give the same list, in time order.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, and_, func, select, true

from storage.models import ChangeEvent, Company, Email, Person, Score, Segment

_C = Company.__table__
_P = Person.__table__
_E = Email.__table__
_CH = ChangeEvent.__table__
_S = Score.__table__
_G = Segment.__table__

KINDS = (
    "account_new",
    "person_new",
    "person_gone",
    "title_changed",
    "decision_maker_new",
    "email_new",
    "email_status",
    "phone_changed",
    "retired",
    "changed",
    "merged",
)
#: Person fields whose change events are reported under their own kind (or not at all:
#: ``gone_at`` is ``person_gone``, read from the people table).
_OWN_KIND = {"title": "title_changed", "phones": "phone_changed"}


def _event(
    at: Any,
    kind: str,
    company_id: int | None,
    company: str | None,
    *,
    person_id: int | None = None,
    person: str | None = None,
    field: str | None = None,
    old: Any = None,
    new: Any = None,
    decision_maker: bool | None = None,
    email: str | None = None,
) -> dict[str, Any]:
    return {
        "at": at,
        "kind": kind,
        "company_id": company_id,
        "company": company,
        "person_id": person_id,
        "person": person,
        "field": field,
        "old": old,
        "new": new,
        "decision_maker": decision_maker,
        "email": email,
    }


def _decoded(value: str | None) -> Any:
    """A stored change value: JSON lists (phones) decoded, text as it is."""
    if value and value[:1] in "[{":
        try:
            return json.loads(value)
        except ValueError:
            return value
    return value


def _flag(value: str | None) -> bool | None:
    if value is None:
        return None
    return value.strip().lower() in ("true", "1", "yes")


def list_changes(
    conn: Connection,
    since: datetime,
    *,
    segment: str | None = None,
    kinds: Iterable[str] | None = None,
    until: datetime | None = None,
    limit: int | None = None,
) -> list[dict[str, Any]]:
    """The events from ``since`` (inclusive) to ``until`` (exclusive, default: no end), oldest
    first, of the companies scored in ``segment`` (every company when None); ``kinds`` keeps
    only those kinds.  Raises ``storage.scores.UnknownSegment`` for a segment never scored,
    ``ValueError`` for an unknown kind."""
    wanted = set(KINDS if kinds is None else kinds)
    unknown = sorted(wanted - set(KINDS))
    if unknown:
        raise ValueError(f"unknown kind {', '.join(unknown)}; known: {', '.join(KINDS)}")
    in_segment = true()
    company_filter: Any = None
    if segment is not None:
        from storage.scores import segment_id

        sid = segment_id(conn, segment)
        company_filter = select(_S.c.company_id).where(_S.c.segment_id == sid)

    sqlite = conn.dialect.name == "sqlite"

    def at(column, when: datetime):
        # SQLite keeps times as text, written either as the driver does (``2026-11-09
        # 09:00:00+00:00``) or as SQLAlchemy does (``2026-11-09 09:00:00.000000``): every
        # time is UTC to the second, so the first 19 characters compare exactly.
        if sqlite:
            when = when.astimezone(UTC) if when.tzinfo else when
            return func.substr(column, 1, 19), when.strftime("%Y-%m-%d %H:%M:%S")
        return column, when if when.tzinfo else when.replace(tzinfo=UTC)

    def window(column):
        col, start = at(column, since)
        cond = col >= start
        if until is None:
            return cond
        col, end = at(column, until)
        return and_(cond, col < end)

    def of_segment(column):
        return column.in_(company_filter) if company_filter is not None else in_segment

    events: list[dict[str, Any]] = []
    new_companies: set[int] = set()
    if wanted & {"account_new", "person_new", "email_new"}:
        for cid, name, first in conn.execute(
            select(_C.c.id, _C.c.name, _C.c.first_seen).where(
                window(_C.c.first_seen), of_segment(_C.c.id)
            )
        ):
            new_companies.add(cid)
            if "account_new" in wanted:
                events.append(_event(first, "account_new", cid, name))
    names: dict[int, str | None] = {}

    def company_names(ids: set[int]) -> None:
        todo = sorted(i for i in ids if i is not None and i not in names)
        for start in range(0, len(todo), 900):
            part = todo[start : start + 900]
            names.update(conn.execute(select(_C.c.id, _C.c.name).where(_C.c.id.in_(part))).all())

    people: dict[int, tuple[str | None, bool]] = {}
    new_people: set[int] = set()
    if wanted & {"person_new", "email_new"}:
        for pid, cid, full_name, title, dm, first in conn.execute(
            select(
                _P.c.id,
                _P.c.company_id,
                _P.c.full_name,
                _P.c.title,
                _P.c.is_decision_maker,
                _P.c.first_seen,
            ).where(window(_P.c.first_seen), of_segment(_P.c.company_id))
        ):
            new_people.add(pid)
            if cid in new_companies or "person_new" not in wanted:
                continue  # part of a new account: the account is the news
            events.append(
                _event(
                    first,
                    "person_new",
                    cid,
                    None,
                    person_id=pid,
                    person=full_name,
                    new=title,
                    decision_maker=bool(dm),
                )
            )
    if "person_gone" in wanted:
        for pid, cid, full_name, title, dm, gone in conn.execute(
            select(
                _P.c.id,
                _P.c.company_id,
                _P.c.full_name,
                _P.c.title,
                _P.c.is_decision_maker,
                _P.c.gone_at,
            ).where(_P.c.gone_at.is_not(None), window(_P.c.gone_at), of_segment(_P.c.company_id))
        ):
            events.append(
                _event(
                    gone,
                    "person_gone",
                    cid,
                    None,
                    person_id=pid,
                    person=full_name,
                    old=title,
                    decision_maker=bool(dm),
                )
            )
    if "email_new" in wanted:
        for _eid, address, pid, cid, first in conn.execute(
            select(_E.c.id, _E.c.address, _E.c.person_id, _E.c.company_id, _E.c.first_seen).where(
                window(_E.c.first_seen), of_segment(_E.c.company_id)
            )
        ):
            if cid in new_companies or (pid is not None and pid in new_people):
                continue
            events.append(
                _event(first, "email_new", cid, None, person_id=pid, new=address, email=address)
            )
    changed_kinds = wanted & {
        "title_changed",
        "decision_maker_new",
        "email_status",
        "phone_changed",
        "retired",
        "changed",
        "merged",
    }
    if changed_kinds:
        for etype, eid, cid, kind, field, old, new, at in conn.execute(
            select(
                _CH.c.entity_type,
                _CH.c.entity_id,
                _CH.c.company_id,
                _CH.c.kind,
                _CH.c.field,
                _CH.c.old_value,
                _CH.c.new_value,
                _CH.c.created_at,
            )
            .where(window(_CH.c.created_at), of_segment(_CH.c.company_id))
            .order_by(_CH.c.id)
        ):
            if kind == "merged":
                if "merged" in changed_kinds:  # old: "#id name" of the merged-away record
                    events.append(
                        _event(
                            at, "merged", cid, None, field=etype, old=old, new=new,
                            person_id=eid if etype == "person" else None,
                        )
                    )  # fmt: skip
                continue
            if kind == "retired":
                if "retired" in changed_kinds:  # old: the value, new: why
                    events.append(
                        _event(
                            at, "retired", cid, None, field=field, old=old, new=new,
                            person_id=eid if etype == "person" else None,
                            email=old if etype == "email" or field == "email" else None,
                        )
                    )  # fmt: skip
                continue
            if etype == "email":
                if field == "status" and "email_status" in changed_kinds:
                    ev = _event(at, "email_status", cid, None, field="status", old=old, new=new)
                    ev["email_id"] = eid
                    events.append(ev)
                continue
            if etype == "person" and field == "gone_at":
                continue  # person_gone, from the people table
            if etype == "person" and field == "is_decision_maker":
                if _flag(new) and not _flag(old) and "decision_maker_new" in changed_kinds:
                    events.append(_event(at, "decision_maker_new", cid, None, person_id=eid))
                continue
            own = _OWN_KIND.get(field or "", "changed")
            if own not in changed_kinds:
                continue
            events.append(
                _event(
                    at,
                    own,
                    cid,
                    None,
                    person_id=eid if etype == "person" else None,
                    field=field,
                    old=_decoded(old),
                    new=_decoded(new),
                )
            )
    # Names and decision-maker flags, read once for every event that needs them.
    company_names({e["company_id"] for e in events})
    eids = sorted({e["email_id"] for e in events if "email_id" in e})
    addresses: dict[int, tuple[str, int | None]] = {}
    for start in range(0, len(eids), 900):
        part = eids[start : start + 900]
        for eid, address, pid in conn.execute(
            select(_E.c.id, _E.c.address, _E.c.person_id).where(_E.c.id.in_(part))
        ):
            addresses[eid] = (address, pid)
    for e in events:
        if "email_id" in e:
            e["email"], e["person_id"] = addresses.get(e.pop("email_id"), (None, None))
    pids = sorted({e["person_id"] for e in events if e["person_id"] is not None})
    for start in range(0, len(pids), 900):
        part = pids[start : start + 900]
        for pid, full_name, dm in conn.execute(
            select(_P.c.id, _P.c.full_name, _P.c.is_decision_maker).where(_P.c.id.in_(part))
        ):
            people[pid] = (full_name, bool(dm))
    for e in events:
        if e["company"] is None:
            e["company"] = names.get(e["company_id"])
        pid = e["person_id"]
        if pid is not None and pid in people:
            full_name, dm = people[pid]
            e["person"] = e["person"] or full_name
            if e["decision_maker"] is None and e["kind"] in ("title_changed", "decision_maker_new"):
                e["decision_maker"] = dm
    order = {k: i for i, k in enumerate(KINDS)}
    events.sort(
        key=lambda e: (
            str(e["at"]),
            e["company_id"] or 0,
            order[e["kind"]],
            e["person_id"] or 0,
            e["field"] or "",
        )
    )
    return events[:limit] if limit is not None else events
