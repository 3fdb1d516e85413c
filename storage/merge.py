"""Merge two stored companies (or two people) into one, keeping every observation.

The survivor keeps its id and values; empty fields are filled from the other record, lists and
maps are united, a customer status is never lost (current > former > new).  People, emails,
scores, change events, orders and observations move to the survivor; a sighting recorded on
both is kept once with the earliest first and latest last time.  A ``merged`` change event says why.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, and_, delete, exists, func, insert, select, update
from sqlalchemy.orm import aliased

from storage.clock import utcnow
from storage.models import ChangeEvent, Company, Email, Observation, Order, Person, Score

_C = Company.__table__
_P = Person.__table__
_E = Email.__table__
_O = Observation.__table__
_S = Score.__table__
_CH = ChangeEvent.__table__
_ORD = Order.__table__
_STATUS_RANK = {"current": 2, "former": 1}


def _move_observations(conn: Connection, entity_type: str, keep: int, drop: int) -> None:
    o, k = _O, aliased(_O)
    same = and_(
        k.c.entity_type == entity_type,
        k.c.entity_id == keep,
        k.c.field == o.c.field,
        k.c.source == o.c.source,
        k.c.value_hash == o.c.value_hash,
    )
    # Widen the survivor's duplicate sightings to cover both, then drop the copies.
    dup = select(o.c.field, o.c.source, o.c.value_hash, o.c.first_seen_at, o.c.last_seen_at).where(
        o.c.entity_type == entity_type, o.c.entity_id == drop
    )
    for row in conn.execute(dup):
        conn.execute(
            update(_O)
            .where(
                _O.c.entity_type == entity_type,
                _O.c.entity_id == keep,
                _O.c.field == row.field,
                _O.c.source == row.source,
                _O.c.value_hash == row.value_hash,
            )
            .values(
                first_seen_at=func.min(_O.c.first_seen_at, row.first_seen_at)
                if conn.dialect.name == "sqlite"
                else func.least(_O.c.first_seen_at, row.first_seen_at),
                last_seen_at=func.max(_O.c.last_seen_at, row.last_seen_at)
                if conn.dialect.name == "sqlite"
                else func.greatest(_O.c.last_seen_at, row.last_seen_at),
            )
        )
    conn.execute(
        delete(o).where(
            o.c.entity_type == entity_type,
            o.c.entity_id == drop,
            exists(select(k.c.id).where(same)),
        )
    )
    conn.execute(
        update(_O)
        .where(_O.c.entity_type == entity_type, _O.c.entity_id == drop)
        .values(entity_id=keep)
    )


def _folded(keep: dict[str, Any], drop: dict[str, Any]) -> dict[str, Any]:
    patch: dict[str, Any] = {}
    for name, value in drop.items():
        if name in ("id",) or value in (None, "", [], {}):
            continue
        current = keep.get(name)
        if isinstance(value, list):
            merged = list(dict.fromkeys([*(current or []), *value]))
            if merged != (current or []):
                patch[name] = merged
        elif isinstance(value, dict):
            merged_map = {**value, **(current or {})}
            if merged_map != (current or {}):
                patch[name] = merged_map
        elif name == "status":
            if _STATUS_RANK.get(value, 0) > _STATUS_RANK.get(current or "", 0):
                patch[name] = value
        elif name == "first_seen":
            if current is None or value < current:
                patch[name] = value
        elif name in ("last_seen", "last_verified"):
            if current is None or value > current:
                patch[name] = value
        elif current in (None, ""):
            patch[name] = value
    return patch


def merge_companies(
    conn: Connection,
    keep: int,
    drop: int,
    *,
    reason: str,
    run_id: int | None = None,
    fold_fields: bool = True,
    scores: bool = True,
) -> None:
    """Fold company ``drop`` into ``keep`` (same transaction as the caller).

    ``scores=False``: the caller knows ``drop`` has no scores (``scores`` has no index on
    company_id alone, so looking costs a scan: a batch of merges looks once for all)."""
    if keep == drop:
        return
    keep_row = dict(conn.execute(select(_C).where(_C.c.id == keep)).one()._mapping)
    drop_row = dict(conn.execute(select(_C).where(_C.c.id == drop)).one()._mapping)
    conn.execute(update(_P).where(_P.c.company_id == drop).values(company_id=keep))
    conn.execute(update(_E).where(_E.c.company_id == drop).values(company_id=keep))
    if scores:
        taken = select(_S.c.segment_id).where(_S.c.company_id == keep)
        conn.execute(delete(_S).where(_S.c.company_id == drop, _S.c.segment_id.in_(taken)))
        conn.execute(update(_S).where(_S.c.company_id == drop).values(company_id=keep))
    conn.execute(update(_CH).where(_CH.c.company_id == drop).values(company_id=keep))
    conn.execute(update(_ORD).where(_ORD.c.company_id == drop).values(company_id=keep))
    # A company's own events carry its id as company_id too, so they are found through the
    # company_id index (now pointing at ``keep``), not by scanning every event.
    conn.execute(
        update(_CH)
        .where(_CH.c.company_id == keep, _CH.c.entity_type == "company", _CH.c.entity_id == drop)
        .values(entity_id=keep)
    )
    _move_observations(conn, "company", keep, drop)
    conn.execute(delete(_C).where(_C.c.id == drop))
    if fold_fields:
        patch = _folded(keep_row, drop_row)
        if patch:
            conn.execute(update(_C).where(_C.c.id == keep).values(**patch))
    conn.execute(
        insert(_CH).values(
            entity_type="company",
            entity_id=keep,
            company_id=keep,
            kind="merged",
            field=None,
            old_value=f"#{drop} {drop_row['name']}",
            new_value=reason,
            run_id=run_id,
            created_at=utcnow(),
        )
    )


def merge_people(
    conn: Connection, keep: int, drop: int, *, reason: str, run_id: int | None = None
) -> None:
    """Fold person ``drop`` into ``keep`` (same transaction as the caller)."""
    if keep == drop:
        return
    keep_row = dict(conn.execute(select(_P).where(_P.c.id == keep)).one()._mapping)
    drop_row = dict(conn.execute(select(_P).where(_P.c.id == drop)).one()._mapping)
    conn.execute(update(_E).where(_E.c.person_id == drop).values(person_id=keep))
    # A person's events carry the person's company (moved along with it by merge_companies):
    # found through the company_id index.
    conn.execute(
        update(_CH)
        .where(
            _CH.c.company_id.in_({keep_row["company_id"], drop_row["company_id"]}),
            _CH.c.entity_type == "person",
            _CH.c.entity_id == drop,
        )
        .values(entity_id=keep)
    )
    _move_observations(conn, "person", keep, drop)
    conn.execute(delete(_P).where(_P.c.id == drop))
    patch = _folded(keep_row, {k: v for k, v in drop_row.items() if k != "company_id"})
    if drop_row["is_decision_maker"] and not keep_row["is_decision_maker"]:
        patch["is_decision_maker"] = True
    if patch:
        conn.execute(update(_P).where(_P.c.id == keep).values(**patch))
    conn.execute(
        insert(_CH).values(
            entity_type="person",
            entity_id=keep,
            company_id=keep_row["company_id"],
            kind="merged",
            field=None,
            old_value=f"#{drop} {drop_row['full_name']}",
            new_value=reason,
            run_id=run_id,
            created_at=utcnow(),
        )
    )
