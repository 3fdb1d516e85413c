"""Erasure on request (GDPR art. 17, 152-ФЗ ст. 21): forget a person by email, or a whole domain.

* ``forget_email``: the person who owns the address (their row, every email of theirs, their
  observations and change events) is deleted; the address and the person's identity (company
  domain + name key) go on the suppression list, so no later import or crawl stores them again.
  The account stays, with ``opted_out_at`` set (lifecycle colour orange: never cold-contacted).
* ``forget_domain``: every company with that domain, its people and emails, every email at the
  domain wherever it was filed, their observations, scores and change events are deleted; the
  domain goes on the suppression list.  Its order history goes with it.
* Mentions of the erased values in run problem lists are blanked.
* Then the bytes are made to go: SQLite runs with ``secure_delete`` (freed pages are zeroed), and
  ``compact_after_erase`` VACUUMs and truncates the WAL; on PostgreSQL it runs VACUUM FULL on the
  touched tables so dead row versions are not left in the table files.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field

from sqlalchemy import Connection, Engine, Text, delete, func, or_, select, text, update

from storage.clock import utcnow
from storage.keys import person_identity
from storage.models import (
    ChangeEvent,
    Company,
    Email,
    Observation,
    Order,
    Page,
    Person,
    Run,
    Score,
)
from storage.suppression import add_suppression

_C = Company.__table__
_P = Person.__table__
_E = Email.__table__
_O = Observation.__table__
_S = Score.__table__
_CH = ChangeEvent.__table__
_R = Run.__table__
_ORD = Order.__table__
_PG = Page.__table__
ERASED = "[erased]"


@dataclass(slots=True)
class EraseResult:
    target: str
    companies: int = 0
    people: int = 0
    emails: int = 0
    observations: int = 0
    newly_suppressed: bool = False
    scrubbed: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, object]:
        return {
            "target": self.target,
            "companies": self.companies,
            "people": self.people,
            "emails": self.emails,
            "observations": self.observations,
            "newly_suppressed": self.newly_suppressed,
        }


def _delete_observations(conn: Connection, entity_type: str, ids: list[int]) -> int:
    if not ids:
        return 0
    return conn.execute(
        delete(_O).where(_O.c.entity_type == entity_type, _O.c.entity_id.in_(ids))
    ).rowcount


def _delete_people(conn: Connection, person_ids: list[int], result: EraseResult) -> None:
    if not person_ids:
        return
    rows = conn.execute(
        select(_P.c.full_name, _P.c.first_name, _P.c.last_name).where(_P.c.id.in_(person_ids))
    ).all()
    result.scrubbed.extend(v for r in rows for v in r if v and len(v) > 2)
    email_ids = list(
        conn.execute(select(_E.c.id, _E.c.address).where(_E.c.person_id.in_(person_ids)))
    )
    result.scrubbed.extend(a for _, a in email_ids)
    _delete_emails(conn, [i for i, _ in email_ids], result)
    result.observations += _delete_observations(conn, "person", person_ids)
    conn.execute(delete(_CH).where(_CH.c.entity_type == "person", _CH.c.entity_id.in_(person_ids)))
    result.people += conn.execute(delete(_P).where(_P.c.id.in_(person_ids))).rowcount


def _delete_emails(conn: Connection, email_ids: list[int], result: EraseResult) -> None:
    if not email_ids:
        return
    result.observations += _delete_observations(conn, "email", email_ids)
    conn.execute(delete(_CH).where(_CH.c.entity_type == "email", _CH.c.entity_id.in_(email_ids)))
    result.emails += conn.execute(delete(_E).where(_E.c.id.in_(email_ids))).rowcount


def _scrub_runs(conn: Connection, values: list[str]) -> None:
    """Blank erased values in the problem lists that runs keep (they quote bad values)."""
    values = sorted({v for v in values if v}, key=len, reverse=True)
    if not values:
        return
    problems_text = _R.c.problems.cast(Text())
    hits = conn.execute(
        select(_R.c.id, _R.c.problems).where(or_(*[problems_text.contains(v) for v in values]))
    ).all()
    for run_id, problems in hits:
        blob = json.dumps(problems, ensure_ascii=False)
        for v in values:
            blob = blob.replace(json.dumps(v, ensure_ascii=False)[1:-1], ERASED)
        conn.execute(update(_R).where(_R.c.id == run_id).values(problems=json.loads(blob)))
    for col in (_CH.c.old_value, _CH.c.new_value):
        for v in values:
            conn.execute(
                update(_CH).where(col.contains(v)).values({col.name: func.replace(col, v, ERASED)})
            )


def forget_email(conn: Connection, address: str, *, reason: str | None = None) -> EraseResult:
    address = address.strip().lower()
    result = EraseResult(target=address, scrubbed=[address])
    rows = conn.execute(
        select(_E.c.id, _E.c.person_id, _E.c.company_id).where(_E.c.address == address)
    ).all()
    person_ids = sorted({r.person_id for r in rows if r.person_id is not None})
    # The account stays, marked: someone there opted out (its lifecycle colour turns orange).
    companies = {r.company_id for r in rows if r.company_id is not None}
    if person_ids:
        companies |= set(
            conn.execute(select(_P.c.company_id).where(_P.c.id.in_(person_ids))).scalars()
        )
    if companies:
        conn.execute(
            update(_C)
            .where(_C.c.id.in_(sorted(companies)), _C.c.opted_out_at.is_(None))
            .values(opted_out_at=utcnow())
        )
    for pid in person_ids:
        person = conn.execute(
            select(_P.c.name_key, _C.c.domain, _C.c.name_key.label("ck"))
            .join(_C, _C.c.id == _P.c.company_id)
            .where(_P.c.id == pid)
        ).first()
        if person is not None:
            add_suppression(
                conn, "person", person_identity(person.domain or person.ck, person.name_key), reason
            )
    _delete_people(conn, person_ids, result)
    _delete_emails(conn, [r.id for r in rows if r.person_id is None], result)
    result.observations += conn.execute(delete(_O).where(_O.c.value == address)).rowcount
    result.newly_suppressed = add_suppression(conn, "email", address, reason)
    _scrub_runs(conn, result.scrubbed)
    return result


def forget_domain(conn: Connection, domain: str, *, reason: str | None = None) -> EraseResult:
    domain = domain.strip().lower()
    result = EraseResult(target=domain, scrubbed=[domain])
    company_ids = list(conn.execute(select(_C.c.id, _C.c.name).where(_C.c.domain == domain)))
    ids = [i for i, _ in company_ids]
    person_ids = set()
    if ids:
        person_ids |= set(conn.execute(select(_P.c.id).where(_P.c.company_id.in_(ids))).scalars())
    person_ids |= {
        p
        for p in conn.execute(
            select(_E.c.person_id).where(_E.c.domain == domain, _E.c.person_id.is_not(None))
        ).scalars()
    }
    _delete_people(conn, sorted(person_ids), result)
    stray = list(
        conn.execute(
            select(_E.c.id, _E.c.address).where(
                or_(_E.c.domain == domain, _E.c.company_id.in_(ids) if ids else False)
            )
        )
    )
    result.scrubbed.extend(a for _, a in stray)
    _delete_emails(conn, [i for i, _ in stray], result)
    if ids:
        result.observations += _delete_observations(conn, "company", ids)
        conn.execute(delete(_S).where(_S.c.company_id.in_(ids)))
        conn.execute(delete(_CH).where(_CH.c.company_id.in_(ids)))
        conn.execute(delete(_ORD).where(_ORD.c.company_id.in_(ids)))
        result.companies += conn.execute(delete(_C).where(_C.c.id.in_(ids))).rowcount
    # the domain's pages (a URL may name a person: /team/anna-berg)
    for scheme in ("http://", "https://"):
        for host in (domain, f"www.{domain}"):
            base = f"{scheme}{host}"
            conn.execute(
                delete(_PG).where(or_(_PG.c.url == base, _PG.c.url.startswith(f"{base}/")))
            )
    result.newly_suppressed = add_suppression(conn, "domain", domain, reason)
    _scrub_runs(conn, result.scrubbed)
    return result


def compact_after_erase(engine: Engine) -> None:
    """Make deleted rows unrecoverable from the database files."""
    if engine.dialect.name == "sqlite":
        with engine.connect() as conn:
            raw = conn.connection.driver_connection  # outside any transaction, as VACUUM needs
            raw.execute("VACUUM")
            raw.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        return
    tables = [t.name for t in (_C, _P, _E, _O, _S, _CH, _R, _ORD, _PG)]
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        for name in tables:
            conn.execute(text(f'VACUUM FULL "{name}"'))
