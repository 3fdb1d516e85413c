"""Segments and their scores: save a scoring run, manual overrides, the ranked list, the report.

The pure scorer (``scoring/``) turns accounts (``storage.accounts.load_accounts``) into one
result dict per account of the segment; ``save_scores`` stores them.  A result dict has
``company_id`` (or ``id``), ``attractiveness``, ``position`` (0–100), ``cell`` (the 9-box
cell), ``tier`` (``TIERS``), ``total``, ``dqi`` (0–1 or 0–100, stored as given) and
``explanation`` (a dict of JSON values, stored as given; a NaN or infinite number in it is
stored as null, as strict JSON has no such numbers).  Missing
keys store NULL.  A result that breaks this (a non-finite number, an unknown tier, an
explanation that is not JSON, a company twice) stops the save with a ``ValueError`` naming the
company, and nothing of the run is written: the scorer is ours, so such a result is a bug to
see, not a row to skip.

What the report reads from ``explanation`` (written by the scorer, all optional):

- ``explanation["dqi"]["missing"]``: the required fields the account lacks (a list of names):
  counted per field;
- ``explanation["dqi"]["incomplete"]``: true when the account is below the contact rule
  (minimum contacts / decision makers): counted.

Manual overrides (``override_tier``, ``override_reason``: ``leadgen override``) are market
knowledge: re-scoring keeps them; the list and the report use the effective tier (the override
when there is one) and flag it.
"""

from __future__ import annotations

import json
import math
from collections import Counter
from collections.abc import Iterable
from typing import Any
from urllib.parse import urlsplit

import orjson
from sqlalchemy import (
    Column,
    Connection,
    Engine,
    MetaData,
    Table,
    Text,
    and_,
    delete,
    func,
    insert,
    or_,
    select,
    update,
)

from storage.bulk import IN_CHUNK, insert_rows, select_in, update_rows
from storage.clock import utcnow
from storage.db import write_transaction
from storage.models import Company, Score, Segment
from storage.queries import _attach_contacts, _fetch

_S = Score.__table__
#: The scores table as the bulk writer sees it: ``explanation`` arrives already serialized
#: (``_score_row``), so ``storage.bulk`` passes the text through instead of dumping it again.
_S_WRITE = Table(
    "scores",
    MetaData(),
    *(Column(c.name, Text() if c.name == "explanation" else c.type) for c in _S.columns),
)
_G = Segment.__table__
_C = Company.__table__

#: Tiers, highest first (the scorer's mapping of the nine cells lands on one of these).
TIERS = ("strategic", "scale", "programmatic")
#: What a result dict may carry, stored in the scores row of the same name.
SCORE_FIELDS = ("attractiveness", "position", "cell", "tier", "total", "dqi")
_CHUNK = 5_000


class UnknownSegment(LookupError):
    def __init__(self, name: str) -> None:
        self.name = name
        super().__init__(f"no segment named {name!r} has been scored (run `leadgen score` first)")


class NotScored(LookupError):
    def __init__(self, segment: str, company_id: int) -> None:
        self.segment, self.company_id = segment, company_id
        super().__init__(f"company {company_id} has no score in segment {segment!r}")


def segment_id(conn: Connection, name: str) -> int:
    sid = conn.execute(select(_G.c.id).where(_G.c.name == name)).scalar()
    if sid is None:
        raise UnknownSegment(name)
    return sid


def _result_company(r: dict[str, Any]) -> int:
    cid = r.get("company_id", r.get("id"))
    if isinstance(cid, bool) or not isinstance(cid, int):
        raise ValueError(f"a score result needs an integer company_id, not {cid!r}")
    return cid


_NUMBERS = ("attractiveness", "position", "total", "dqi")


class ScoreRow(dict):
    """A result already checked and serialized by ``prepare_score`` (the stored fields plus
    ``company_id``): ``save_scores`` takes it as it is.  Scoring workers prepare their rows,
    so what travels back to the writer is a few numbers and one JSON text per account."""


def prepare_score(result: dict[str, Any]) -> ScoreRow:
    """One result dict checked and serialized as ``save_scores`` stores it (``ValueError``
    naming the company and field for a bad one)."""
    if type(result) is ScoreRow:
        return result
    cid = _result_company(result)
    row = ScoreRow(_score_row(cid, result))
    row["company_id"] = cid
    return row


def _score_row(cid: int, r: dict[str, Any]) -> dict[str, Any]:
    """The stored fields of one result, checked: a bad value names the company and field."""
    row = {f: r.get(f) for f in SCORE_FIELDS}
    for f in _NUMBERS:
        v = row[f]
        if v is None:
            continue
        if isinstance(v, bool) or not isinstance(v, (int, float)) or not math.isfinite(v):
            raise ValueError(f"company {cid}: {f} must be a finite number, not {v!r}")
        row[f] = float(v)
    if row["tier"] is not None and row["tier"] not in TIERS:
        raise ValueError(
            f"company {cid}: tier must be one of {', '.join(TIERS)}, not {row['tier']!r}"
        )
    if row["cell"] is not None and not isinstance(row["cell"], str):
        raise ValueError(f"company {cid}: cell must be text, not {row['cell']!r}")
    explanation = r.get("explanation") or {}
    if not isinstance(explanation, dict):
        raise ValueError(
            f"company {cid}: explanation must be a dict, not {type(explanation).__name__}"
        )
    try:  # serialized here, once (orjson: a tenth of json's time); NaN / Infinity -> null
        row["explanation"] = orjson.dumps(explanation, option=orjson.OPT_NON_STR_KEYS).decode()
    except TypeError as e:
        raise ValueError(f"company {cid}: explanation is not JSON ({e})") from None
    return row


def save_scores(
    engine: Engine,
    segment_name: str,
    *,
    description: str | None,
    definition: dict[str, Any],
    config_hash: str | None,
    results: Iterable[dict[str, Any]],
    run_id: int | None,
) -> dict[str, int]:
    """Store one scoring run of a segment, in one transaction.

    The segment row is created or updated (description, definition, config hash); each result
    becomes the company's scores row (inserted, or updated in place: same id); rows of
    companies absent from ``results`` (they fail the segment's filters now) are deleted.
    Overrides of the kept rows stay.  Saving the same results again writes the same rows; only
    ``scored_at`` and ``run_id`` move.

    Returns counts: ``inserted``, ``updated``, ``removed``, ``removed_overridden`` (of the
    removed rows, those that carried an override: that knowledge is gone with the row),
    ``overridden`` (kept rows with an override), ``missing`` (results of companies that no
    longer exist — merged or erased since they were read: skipped)."""
    now = utcnow()
    with write_transaction(engine) as conn:
        sid = conn.execute(select(_G.c.id).where(_G.c.name == segment_name)).scalar()
        values = {
            "description": description,
            "definition": definition,
            "config_hash": config_hash,
            "updated_at": now,
        }
        if sid is None:
            sid = conn.execute(
                insert(_G).values(name=segment_name, created_at=now, **values).returning(_G.c.id)
            ).scalar_one()
        else:
            conn.execute(update(_G).where(_G.c.id == sid).values(**values))
        mark = "?" if conn.dialect.name == "sqlite" else "%s"
        existing: dict[int, tuple[int, bool]] = {
            cid: (rid, ov is not None)
            for rid, cid, ov in _fetch(
                conn,
                f"SELECT id, company_id, override_tier FROM scores WHERE segment_id = {mark}",
                (sid,),
            )
        }
        seen: set[int] = set()
        counts = {
            "inserted": 0,
            "updated": 0,
            "removed": 0,
            "removed_overridden": 0,
            "missing": 0,
        }
        new: list[dict[str, Any]] = []
        changed: list[dict[str, Any]] = []

        def flush() -> None:
            if new:  # a company merged away or erased since it was read: nothing to score
                known = {
                    r["id"]
                    for r in select_in(conn, _C, _C.c.id, [r["company_id"] for r in new], [_C.c.id])
                }
                if len(known) < len(new):
                    counts["missing"] += len(new) - len(known)
                    new[:] = [r for r in new if r["company_id"] in known]
            insert_rows(conn, _S_WRITE, new)
            update_rows(conn, _S_WRITE, changed)
            counts["inserted"] += len(new)
            counts["updated"] += len(changed)
            new.clear()
            changed.clear()

        for r in results:
            row = prepare_score(r).copy()
            cid = row.pop("company_id")
            if cid in seen:
                raise ValueError(f"company {cid} appears twice in the results of {segment_name!r}")
            seen.add(cid)
            row["config_hash"] = config_hash
            row["run_id"] = run_id
            row["scored_at"] = now
            old = existing.get(cid)
            if old is None:
                new.append({"segment_id": sid, "company_id": cid, **row})
            else:
                changed.append({**row, "id": old[0]})
            if len(new) + len(changed) >= _CHUNK:
                flush()
        flush()
        gone = [(rid, ov) for cid, (rid, ov) in existing.items() if cid not in seen]
        ids = sorted(rid for rid, _ in gone)
        for start in range(0, len(ids), IN_CHUNK):
            conn.execute(delete(_S).where(_S.c.id.in_(ids[start : start + IN_CHUNK])))
        counts["removed"] = len(ids)
        counts["removed_overridden"] = sum(1 for _, ov in gone if ov)
        counts["overridden"] = sum(1 for cid, (_, ov) in existing.items() if ov and cid in seen)
    return counts


def set_override(
    engine: Engine, segment_name: str, company_id: int, tier: str, reason: str
) -> None:
    """Set the company's tier by hand in this segment, with the reason (both required).

    The company must have been scored in the segment (``NotScored`` otherwise)."""
    if tier not in TIERS:
        raise ValueError(f"tier must be one of {', '.join(TIERS)}, not {tier!r}")
    reason = (reason or "").strip()
    if not reason:
        raise ValueError("an override needs a reason (market knowledge worth keeping)")
    _set(engine, segment_name, company_id, tier, reason)


def clear_override(engine: Engine, segment_name: str, company_id: int) -> bool:
    """Back to the formula's tier; False when there was no override."""
    return _set(engine, segment_name, company_id, None, None)


def _set(engine: Engine, segment: str, company_id: int, tier: str | None, reason: str | None):
    with write_transaction(engine) as conn:
        sid = segment_id(conn, segment)
        where = and_(_S.c.segment_id == sid, _S.c.company_id == company_id)
        had = conn.execute(select(_S.c.override_tier).where(where)).first()
        if had is None:
            raise NotScored(segment, company_id)
        conn.execute(update(_S).where(where).values(override_tier=tier, override_reason=reason))
        return had[0] is not None


# -- reading -----------------------------------------------------------------------------------

_EFFECTIVE = func.coalesce(_S.c.override_tier, _S.c.tier)
_LIST_COMPANY = (
    "id",
    "name",
    "domain",
    "website",
    "country",
    "region",
    "city",
    "industry",
    "employees",
    "revenue",
    "status",
    "inn",
    "phones",
    "opted_out_at",
)


def _tier_clause(tier: str) -> Any:
    # Spelled out (not coalesce) so the (segment_id, tier) index serves the common case.
    return or_(and_(_S.c.override_tier.is_(None), _S.c.tier == tier), _S.c.override_tier == tier)


def list_segment(
    conn: Connection,
    segment_name: str,
    *,
    tier: str | None = None,
    cell: str | None = None,
    min_score: float | None = None,
    limit: int = 50,
    offset: int = 0,
) -> list[dict[str, Any]]:
    """One page of the segment's accounts, best total first (then company id).

    Each row: the company's fields (``_LIST_COMPANY``), its scores, ``tier`` = the effective
    tier (override or formula), ``formula_tier``, ``overridden``, ``override_reason``, and the
    contacts as ``storage.queries.list_companies`` gives them (``contact``: the best one,
    ``people``, ``people_count``, ``decision_makers``, ``company_emails``)."""
    if tier is not None and tier not in TIERS:
        raise ValueError(f"tier must be one of {', '.join(TIERS)}, not {tier!r}")
    sid = segment_id(conn, segment_name)
    where = [_S.c.segment_id == sid]
    if tier is not None:
        where.append(_tier_clause(tier))
    if cell is not None:
        where.append(_S.c.cell == cell)
    if min_score is not None:
        where.append(_S.c.total >= min_score)
    page = (
        select(_S.c.company_id)
        .where(*where)
        .order_by(_S.c.total.desc().nulls_last(), _S.c.company_id)
        .limit(limit)
        .offset(offset)
    )
    ids = list(conn.execute(page).scalars())
    if not ids:
        return []
    cols = [*(_C.c[n] for n in _LIST_COMPANY)]
    score_cols = [
        _S.c.company_id,
        *(_S.c[n] for n in SCORE_FIELDS),
        _S.c.override_tier,
        _S.c.override_reason,
        _S.c.scored_at,
        _S.c.config_hash,
    ]
    companies = {
        r.id: dict(r._mapping) for r in conn.execute(select(*cols).where(_C.c.id.in_(ids)))
    }
    scores = {
        r.company_id: dict(r._mapping)
        for r in conn.execute(
            select(*score_cols).where(_S.c.segment_id == sid, _S.c.company_id.in_(ids))
        )
    }
    rows = []
    for cid in ids:
        row = companies[cid]
        s = scores[cid]
        del s["company_id"]
        s["formula_tier"] = s["tier"]
        s["overridden"] = s["override_tier"] is not None
        s["tier"] = s["override_tier"] or s["tier"]
        row.update(s)
        rows.append(row)
    _attach_contacts(conn, rows)
    return rows


def count_segment(
    conn: Connection,
    segment_name: str,
    *,
    tier: str | None = None,
    cell: str | None = None,
    min_score: float | None = None,
) -> int:
    sid = segment_id(conn, segment_name)
    where = [_S.c.segment_id == sid]
    if tier is not None:
        where.append(_tier_clause(tier))
    if cell is not None:
        where.append(_S.c.cell == cell)
    if min_score is not None:
        where.append(_S.c.total >= min_score)
    return conn.execute(select(func.count()).select_from(_S).where(*where)).scalar_one()


def get_explanation(conn: Connection, segment_name: str, company_id: int) -> dict[str, Any] | None:
    """The company's scores in the segment with the scorer's explanation; None if unscored."""
    sid = segment_id(conn, segment_name)
    row = conn.execute(
        select(
            _S.c.company_id,
            _C.c.name.label("company"),
            _C.c.domain,
            *(_S.c[n] for n in SCORE_FIELDS),
            _S.c.override_tier,
            _S.c.override_reason,
            _S.c.explanation,
            _S.c.config_hash,
            _S.c.run_id,
            _S.c.scored_at,
        )
        .join(_C, _C.c.id == _S.c.company_id)
        .where(_S.c.segment_id == sid, _S.c.company_id == company_id)
    ).first()
    if row is None:
        return None
    out = {"segment": segment_name, **row._mapping}
    out["formula_tier"] = out["tier"]
    out["overridden"] = out["override_tier"] is not None
    out["tier"] = out["override_tier"] or out["tier"]
    return out


def list_segments(conn: Connection) -> list[dict[str, Any]]:
    """Every stored segment by name, with its number of scored accounts."""
    n = select(_S.c.segment_id, func.count().label("accounts")).group_by(_S.c.segment_id).subquery()
    q = (
        select(
            _G.c.name,
            _G.c.description,
            _G.c.config_hash,
            _G.c.updated_at,
            func.coalesce(n.c.accounts, 0).label("accounts"),
        )
        .outerjoin(n, n.c.segment_id == _G.c.id)
        .order_by(_G.c.name)
    )
    return [dict(r._mapping) for r in conn.execute(q)]


def company_segments(conn: Connection, company_id: int) -> list[str]:
    """Names of the segments the company is scored in (for ``leadgen explain COMPANY``)."""
    return list(
        conn.execute(
            select(_G.c.name)
            .join(_S, _S.c.segment_id == _G.c.id)
            .where(_S.c.company_id == company_id)
            .order_by(_G.c.name)
        ).scalars()
    )


def _source_label(source: str) -> str:
    """A URL's host (``www.`` dropped): pages of one site count as one source."""
    if source.startswith(("http://", "https://")):
        host = (urlsplit(source).hostname or source).lower()
        return host[4:] if host.startswith("www.") else host
    return source


def segment_report(conn: Connection, segment_name: str) -> dict[str, Any]:
    """What ``leadgen report`` shows: accounts per (effective) tier and per cell, overrides,
    the data-quality index (mean and the lowest), missing required fields and incomplete
    accounts (from the explanations; see the module doc), and sources with their companies."""
    seg = conn.execute(select(_G).where(_G.c.name == segment_name)).first()
    if seg is None:
        raise UnknownSegment(segment_name)
    sid = seg.id
    mark = "?" if conn.dialect.name == "sqlite" else "%s"
    tiers: Counter[str] = Counter()
    formula: Counter[str] = Counter()
    cells: Counter[str] = Counter()
    missing: Counter[str] = Counter()
    dqis: list[float] = []
    accounts = overridden = incomplete = 0
    rows = _fetch(
        conn,
        "SELECT tier, override_tier, cell, dqi, explanation FROM scores "
        f"WHERE segment_id = {mark} ORDER BY company_id",
        (sid,),
    )
    for tier, override, cell, dqi, explanation in rows:
        accounts += 1
        formula[tier or "none"] += 1
        tiers[override or tier or "none"] += 1
        overridden += override is not None
        cells[cell or "none"] += 1
        if dqi is not None:
            dqis.append(float(dqi))
        if isinstance(explanation, str):
            explanation = json.loads(explanation) if explanation not in ("", "{}") else {}
        q = explanation.get("dqi") if isinstance(explanation, dict) else None
        if isinstance(q, dict):
            for name in q.get("missing") or ():
                missing[str(name)] += 1
            incomplete += bool(q.get("incomplete"))
    del rows
    sources: Counter[str] = Counter()
    per_source: set[tuple[str, int]] = set()
    for source, cid in _fetch(
        conn,
        "SELECT DISTINCT o.source, o.entity_id FROM observations o "
        "JOIN scores s ON s.company_id = o.entity_id "
        f"WHERE o.entity_type = 'company' AND s.segment_id = {mark}",
        (sid,),
    ):
        key = (_source_label(source), cid)
        if key not in per_source:
            per_source.add(key)
            sources[key[0]] += 1
    return {
        "segment": seg.name,
        "description": seg.description,
        "config_hash": seg.config_hash,
        "updated_at": seg.updated_at,
        "accounts": accounts,
        "tiers": {t: tiers.get(t, 0) for t in TIERS} | _others(tiers),
        "formula_tiers": {t: formula.get(t, 0) for t in TIERS} | _others(formula),
        "overridden": overridden,
        "cells": dict(sorted(cells.items())),
        "dqi": {
            "average": sum(dqis) / len(dqis) if dqis else None,
            "min": min(dqis) if dqis else None,
            "scored": len(dqis),
        },
        "missing": dict(sorted(missing.items(), key=lambda kv: (-kv[1], kv[0]))),
        "incomplete": incomplete,
        "sources": [
            {"source": s, "companies": n}
            for s, n in sorted(sources.items(), key=lambda kv: (-kv[1], kv[0]))
        ],
    }


def _others(counter: Counter[str]) -> dict[str, int]:
    return {k: v for k, v in sorted(counter.items()) if k not in TIERS}


def segment_definition(conn: Connection, segment_name: str) -> dict[str, Any]:
    """The segment file's contents as stored with its last scoring run."""
    row = conn.execute(select(_G.c.definition).where(_G.c.name == segment_name)).first()
    if row is None:
        raise UnknownSegment(segment_name)
    value = row[0]
    return json.loads(value) if isinstance(value, str) else dict(value or {})
