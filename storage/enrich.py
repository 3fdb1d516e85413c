"""What ``leadgen enrich`` reads and writes: people and their emails, domain by domain.

Reading: for each company with a domain, its current people with their email rows, the
company's own addresses, and the (name, address) pairs a pattern can be learned from — an
address on the company's domain that was found on the web, imported, or verified, owned by a
named person.  Writing: verification results onto existing rows, new guessed addresses, the
learned pattern onto ``mail_domains``, an observation for every address guessed and every
status seen (source ``enrich:guess`` / ``enrich:verify``), and a change event when a status
changes.  Each company's results are written in one transaction, so a stopped run loses at
most the company in flight and a new run goes on from there.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Engine, or_, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from storage.bulk import select_in
from storage.models import (
    EMAIL_VERIFY_FIELDS,
    ChangeEvent,
    Company,
    Email,
    MailDomain,
    Observation,
    Person,
    Score,
)
from storage.models import Segment as SegmentRow
from storage.queries import ProspectFilter
from storage.repository import value_hash
from storage.suppression import SuppressionList, load_suppressions

_C = Company.__table__
_P = Person.__table__
_E = Email.__table__
_D = MailDomain.__table__
_O = Observation.__table__
_EV = ChangeEvent.__table__

#: Email columns a verification sets (the verifier's result fields).
VERIFY_FIELDS = EMAIL_VERIFY_FIELDS
_EMAIL_READ = (
    "id",
    "address",
    "domain",
    "person_id",
    "company_id",
    "kind",
    "origin",
    "pattern",
    "confidence",
    "evidence",
    "status",
    "reason",
    "checked_at",
    "attempts",
    "next_check_at",
)
#: Origins whose addresses teach a domain's pattern (a guess teaches only once verified valid).
_TEACHING_ORIGINS = ("found", "imported")
GUESS_SOURCE = "enrich:guess"
VERIFY_SOURCE = "enrich:verify"


@dataclass(slots=True)
class PersonWork:
    id: int
    company_id: int
    full_name: str
    first_name: str | None
    middle_name: str | None
    last_name: str | None
    emails: list[dict[str, Any]] = field(default_factory=list)


@dataclass(slots=True)
class CompanyWork:
    company_id: int
    name: str
    domain: str
    people: list[PersonWork]
    #: The company's own addresses (no person): role boxes such as info@.
    company_emails: list[dict[str, Any]]
    #: (full name, address) pairs to learn the domain's pattern from.
    known: list[tuple[str, str]]
    #: The ``mail_domains`` row of the domain, when there is one.
    mail_domain: dict[str, Any] | None


class SegmentNotFound(LookupError):
    pass


def company_ids_for(
    engine: Engine,
    flt: ProspectFilter | None = None,
    segment: str | None = None,
    *,
    countries: Sequence[str] = (),
) -> list[int]:
    """Ids of the companies to enrich (with a domain), in id order.

    ``segment``: the companies scored in that segment (``leadgen score`` fills it); with a
    filter too, both must hold.  ``countries``: only companies in these countries (or with
    none known).
    """
    q = select(_C.c.id).where(_C.c.domain.is_not(None))
    if countries:
        wanted = [c.upper() for c in countries]
        q = q.where(or_(_C.c.country.in_(wanted), _C.c.country.is_(None)))
    if flt is not None:
        q = q.where(*flt.clauses())
    with engine.connect() as conn:
        if segment is not None:
            seg = conn.execute(
                select(SegmentRow.__table__.c.id).where(SegmentRow.__table__.c.name == segment)
            ).scalar()
            if seg is None:
                raise SegmentNotFound(segment)
            s = Score.__table__
            q = q.where(_C.c.id.in_(select(s.c.company_id).where(s.c.segment_id == seg)))
        return list(conn.execute(q.order_by(_C.c.id)).scalars())


def count_without_domain(engine: Engine, flt: ProspectFilter | None = None) -> int:
    """Companies the filter matches that have no domain: nothing to guess or verify from."""
    from sqlalchemy import func

    q = select(func.count()).select_from(_C).where(_C.c.domain.is_(None))
    if flt is not None:
        q = q.where(*flt.clauses())
    with engine.connect() as conn:
        return conn.execute(q).scalar_one()


def _teaches(e: dict[str, Any], domain: str) -> bool:
    return (
        e["domain"] == domain
        and e["kind"] == "personal"
        and (e["origin"] in _TEACHING_ORIGINS or e["status"] == "valid")
        and e["status"] != "invalid"
    )


def iter_company_work(
    engine: Engine, company_ids: Sequence[int], *, chunk: int = 500
) -> Iterator[CompanyWork]:
    """The work of each company, ``chunk`` companies per read."""
    e_cols = [_E.c[n] for n in _EMAIL_READ]
    p_cols = [_P.c[n] for n in ("id", "company_id", "full_name", "first_name")] + [
        _P.c.middle_name,
        _P.c.last_name,
        _P.c.gone_at,
    ]
    for start in range(0, len(company_ids), chunk):
        ids = list(company_ids[start : start + chunk])
        with engine.connect() as conn:
            companies = select_in(conn, _C, _C.c.id, ids, [_C.c.id, _C.c.name, _C.c.domain])
            people = select_in(conn, _P, _P.c.company_id, ids, p_cols)
            emails = select_in(conn, _E, _E.c.company_id, ids, e_cols)
            domains = {c["domain"] for c in companies if c["domain"]}
            cached = {d["domain"]: d for d in select_in(conn, _D, _D.c.domain, domains, list(_D.c))}
        by_company: dict[int, list[PersonWork]] = {}
        by_id: dict[int, PersonWork] = {}
        for p in people:
            if p["gone_at"] is not None:
                continue
            work = PersonWork(
                p["id"],
                p["company_id"],
                p["full_name"],
                p["first_name"],
                p["middle_name"],
                p["last_name"],
            )
            by_company.setdefault(p["company_id"], []).append(work)
            by_id[p["id"]] = work
        own: dict[int, list[dict[str, Any]]] = {}
        for e in sorted(emails, key=lambda e: e["id"]):
            if e["person_id"] is None:
                own.setdefault(e["company_id"], []).append(e)
            elif e["person_id"] in by_id:
                by_id[e["person_id"]].emails.append(e)
        for c in sorted(companies, key=lambda c: c["id"]):
            domain = c["domain"]
            ps = sorted(by_company.get(c["id"], []), key=lambda p: p.id)
            known = [
                (p.full_name, e["address"]) for p in ps for e in p.emails if _teaches(e, domain)
            ]
            yield CompanyWork(
                c["id"], c["name"], domain, ps, own.get(c["id"], []), known, cached.get(domain)
            )


@dataclass(slots=True)
class EmailCheck:
    """A verification result for an existing email row."""

    email_id: int
    address: str
    company_id: int | None
    old_status: str | None
    fields: dict[str, Any]  # VERIFY_FIELDS
    attempts: int
    next_check_at: datetime | None
    #: Set when the check changes why this address is kept (e.g. catch-all evidence).
    evidence: str | None = None
    confidence: float | None = None


@dataclass(slots=True)
class NewEmail:
    """A guessed address to store, with its verification so far."""

    address: str
    domain: str
    person_id: int
    company_id: int
    pattern: str | None
    confidence: float | None
    evidence: str
    detail: str  # where the guess came from, for the observation's locator
    fields: dict[str, Any]  # VERIFY_FIELDS
    attempts: int
    next_check_at: datetime | None


@dataclass(slots=True)
class PatternFacts:
    domain: str
    pattern: str | None
    translit: str | None
    confidence: float | None
    support: int


@dataclass(slots=True)
class SaveResult:
    checked: int = 0
    guessed: int = 0
    suppressed: int = 0
    status_changes: int = 0


def _observe(
    conn: Connection,
    rows: list[tuple[int, str, str, str, str]],
    run_id: int | None,
    now: datetime,
) -> None:
    """(email id, field, value, source, locator) sightings: new ones inserted, seen ones moved."""
    if not rows:
        return
    dialect_insert = sqlite_insert if conn.dialect.name == "sqlite" else pg_insert
    values = [
        {
            "entity_type": "email",
            "entity_id": eid,
            "field": name,
            "value": value,
            "value_hash": value_hash(value),
            "source": source,
            "locator": locator,
            "run_id": run_id,
            "last_run_id": run_id,
            "first_seen_at": now,
            "last_seen_at": now,
        }
        for eid, name, value, source, locator in rows
    ]
    stmt = dialect_insert(_O)
    stmt = stmt.on_conflict_do_update(
        index_elements=["entity_type", "entity_id", "field", "source", "value_hash"],
        set_={"last_seen_at": stmt.excluded.last_seen_at, "last_run_id": stmt.excluded.last_run_id},
    )
    conn.execute(stmt, values)


def save_company(
    engine: Engine,
    *,
    run_id: int | None,
    now: datetime,
    checks: Sequence[EmailCheck],
    new_emails: Sequence[NewEmail],
    pattern: PatternFacts | None,
    suppressions: SuppressionList | None = None,
) -> SaveResult:
    """Write one company's enrichment results in one transaction."""
    out = SaveResult()
    with engine.begin() as conn:
        sup = suppressions if suppressions is not None else load_suppressions(conn)
        observations: list[tuple[int, str, str, str, str]] = []
        events: list[dict[str, Any]] = []
        for c in checks:
            values = {
                **c.fields,
                "checked_at": now,
                "attempts": c.attempts,
                "next_check_at": c.next_check_at,
            }
            if c.evidence is not None:
                values["evidence"] = c.evidence
            if c.confidence is not None:
                values["confidence"] = c.confidence
            conn.execute(update(_E).where(_E.c.id == c.email_id).values(**values))
            out.checked += 1
            status = c.fields["status"]
            observations.append(
                (c.email_id, "status", status, VERIFY_SOURCE, c.fields.get("reason") or "")
            )
            if c.old_status not in (None, "unverified") and c.old_status != status:
                out.status_changes += 1
                events.append(_event(c.email_id, c.company_id, c.old_status, status, run_id, now))
        for n in new_emails:
            if sup.email_suppressed(n.address):
                out.suppressed += 1
                continue
            exists = conn.execute(select(_E.c.id).where(_E.c.address == n.address)).scalar()
            if exists is not None:  # another person's or company's address already
                continue
            eid = conn.execute(
                _E.insert()
                .values(
                    address=n.address,
                    domain=n.domain,
                    person_id=n.person_id,
                    company_id=n.company_id,
                    kind="personal",
                    origin="guessed",
                    pattern=n.pattern,
                    confidence=n.confidence,
                    evidence=n.evidence,
                    **n.fields,
                    checked_at=now,
                    attempts=n.attempts,
                    next_check_at=n.next_check_at,
                    first_seen=now,
                    last_seen=now,
                )
                .returning(_E.c.id)
            ).scalar_one()
            out.guessed += 1
            observations.append((eid, "address", n.address, GUESS_SOURCE, n.detail))
            observations.append(
                (eid, "status", n.fields["status"], VERIFY_SOURCE, n.fields.get("reason") or "")
            )
        if pattern is not None:
            _save_pattern(conn, pattern, now)
        _observe(conn, observations, run_id, now)
        if events:
            conn.execute(_EV.insert(), events)
    return out


def _event(
    email_id: int,
    company_id: int | None,
    old: str | None,
    new: str,
    run_id: int | None,
    now: datetime,
) -> dict[str, Any]:
    return {
        "entity_type": "email",
        "entity_id": email_id,
        "company_id": company_id,
        "kind": "changed",
        "field": "status",
        "old_value": old,
        "new_value": new,
        "run_id": run_id,
        "created_at": now,
    }


def _save_pattern(conn: Connection, p: PatternFacts, now: datetime) -> None:
    values = {
        "email_pattern": p.pattern,
        "pattern_translit": p.translit,
        "pattern_confidence": p.confidence,
        "pattern_support": p.support,
        "pattern_learned_at": now,
    }
    row = conn.execute(select(_D.c.domain).where(_D.c.domain == p.domain)).first()
    if row is None:
        conn.execute(_D.insert().values(domain=p.domain, **values))
    else:
        conn.execute(update(_D).where(_D.c.domain == p.domain).values(**values))
