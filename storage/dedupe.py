"""``leadgen dedupe`` on the database: load what the matcher needs, apply its plan.

Reading: one streamed pass over companies (id, name, city, keys, phones, address) and one over
the email addresses attached to them; then people with their addresses.  The matching itself
is pure (:mod:`enrichment.dedupe`); ``leadgen.dedupe_stage`` joins the two (storage does not
import enrichment).

Applying: a cluster keeps its best record — a customer before a former customer before a
prospect, then the oldest (first seen), then the lowest id — and folds the others into it with
:func:`storage.merge.merge_companies` / :func:`storage.merge.merge_people`: empty fields are
filled, nothing stored is overwritten, lists and maps are united, people, emails, scores,
change events and every observation move to the survivor.  Each fold writes a ``merges`` row
(rule, score, reason, the merged record's values) and a ``merged`` change event.  Clusters are
applied a chunk at a time, each chunk one transaction: an interrupted run leaves whole merges
behind, and running again finishes the rest (a second run over a clean database finds nothing).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlalchemy import Connection, Engine, insert, select

from storage.bulk import select_in
from storage.clock import utcnow
from storage.db import write_transaction
from storage.merge import merge_companies, merge_people
from storage.models import Company, Email, Merge, Person, Score

_C = Company.__table__
_P = Person.__table__
_E = Email.__table__
_M = Merge.__table__
_S = Score.__table__
_STATUS_RANK = {"current": 2, "former": 1}
#: Clusters applied per transaction.
CHUNK = 500

Progress = Callable[[str, int, int], None]


@dataclass(frozen=True, slots=True)
class PlannedMerge:
    entity_type: str  # company | person
    kept_id: int
    merged_id: int
    kept_name: str
    merged_name: str
    rule: str
    score: float
    reason: str

    def as_dict(self) -> dict[str, Any]:
        return {
            "entity_type": self.entity_type,
            "kept_id": self.kept_id,
            "merged_id": self.merged_id,
            "kept_name": self.kept_name,
            "merged_name": self.merged_name,
            "rule": self.rule,
            "score": self.score,
            "reason": self.reason,
        }


@dataclass(slots=True)
class DedupeReport:
    dry_run: bool
    run_id: int | None = None
    companies_scanned: int = 0
    people_scanned: int = 0
    merges: list[PlannedMerge] = field(default_factory=list)
    #: Candidate pairs refused by a veto (count per rule) and examples of them.
    refused: dict[str, int] = field(default_factory=dict)
    refused_examples: list[str] = field(default_factory=list)
    pairs_compared: int = 0
    skipped_blocks: list[str] = field(default_factory=list)

    def counts(self) -> dict[str, Any]:
        by_rule: dict[str, int] = defaultdict(int)
        for m in self.merges:
            by_rule[f"{m.entity_type}:{m.rule}"] += 1
        return {
            "companies_scanned": self.companies_scanned,
            "people_scanned": self.people_scanned,
            "companies_merged": sum(m.entity_type == "company" for m in self.merges),
            "people_merged": sum(m.entity_type == "person" for m in self.merges),
            "pairs_compared": self.pairs_compared,
            "refused": sum(self.refused.values()),
            "by_rule": dict(sorted(by_rule.items())),
            "refused_by_rule": dict(sorted(self.refused.items())),
            "skipped_blocks": len(self.skipped_blocks),
        }

    def as_dict(self) -> dict[str, Any]:
        return {
            "dry_run": self.dry_run,
            "run_id": self.run_id,
            **self.counts(),
            "merges": [m.as_dict() for m in self.merges],
            "refused_examples": self.refused_examples,
            "skipped_blocks_list": self.skipped_blocks,
        }


# -- loading ------------------------------------------------------------------------------
def load_companies(conn: Connection) -> Iterator[dict[str, Any]]:
    """Every company's matching fields, with the addresses of its emails (streamed: one
    dict at a time, so the caller keeps only what it builds from them)."""
    emails: dict[int, list[str]] = defaultdict(list)
    rows = conn.execution_options(yield_per=20_000).execute(
        select(_E.c.company_id, _E.c.address).where(_E.c.company_id.is_not(None))
    )
    for company_id, address in rows:
        emails[company_id].append(address)
    names = ("id", "name", "city", "domain", "inn", "ogrn", "vat", "phones", "address")
    rows = conn.execution_options(yield_per=20_000).execute(
        select(*(_C.c[n] for n in names)).order_by(_C.c.id)
    )
    for row in rows:
        record = dict(zip(names, row, strict=True))
        record["emails"] = emails.pop(record["id"], ())
        yield record


def load_people(conn: Connection) -> Iterator[dict[str, Any]]:
    """Every person's matching fields, with the addresses of their emails (streamed)."""
    emails: dict[int, list[str]] = defaultdict(list)
    rows = conn.execution_options(yield_per=20_000).execute(
        select(_E.c.person_id, _E.c.address).where(_E.c.person_id.is_not(None))
    )
    for person_id, address in rows:
        emails[person_id].append(address)
    names = ("id", "company_id", "full_name", "first_name", "middle_name", "last_name")
    rows = conn.execution_options(yield_per=20_000).execute(
        select(*(_P.c[n] for n in names)).order_by(_P.c.id)
    )
    for row in rows:
        record = dict(zip(names, row, strict=True))
        record["emails"] = emails.pop(record["id"], ())
        yield record


# -- planning ------------------------------------------------------------------------------
def _keeper_order(row: dict[str, Any]) -> tuple:
    first_seen = row.get("first_seen")
    return (
        -_STATUS_RANK.get(row.get("status") or "", 0),
        first_seen.isoformat() if isinstance(first_seen, datetime) else str(first_seen or ""),
        row["id"],
    )


@dataclass(frozen=True, slots=True)
class Why:
    """Why a record joins its cluster: the rule, its score and reason (from the matcher)."""

    rule: str
    score: float
    reason: str


def plan_merges(
    conn: Connection,
    entity_type: str,
    clusters: Iterable[list[int]],
    why: dict[int, Why],
    report: DedupeReport,
) -> list[tuple[dict[str, Any], list[dict[str, Any]]]]:
    """Choose each cluster's keeper: (keeper row, merged rows) per cluster, and the planned
    merges in ``report.merges`` (``why`` gives each record's reason, or its cluster's)."""
    table, name_col = (_C, "name") if entity_type == "company" else (_P, "full_name")
    clusters = list(clusters)
    ids = [i for c in clusters for i in c]
    rows = {r["id"]: r for r in select_in(conn, table, table.c.id, ids, list(table.columns))}
    out = []
    for members in clusters:
        found = sorted((rows[i] for i in members if i in rows), key=_keeper_order)
        if len(found) < 2:
            continue
        keep, drops = found[0], found[1:]
        for d in drops:
            w = why.get(d["id"]) or why[keep["id"]]
            report.merges.append(
                PlannedMerge(
                    entity_type,
                    keep["id"],
                    d["id"],
                    keep[name_col],
                    d[name_col],
                    w.rule,
                    w.score,
                    w.reason,
                )
            )
        out.append((keep, drops))
    return out


def _jsonable(row: dict[str, Any]) -> dict[str, Any]:
    return {
        k: v.isoformat() if isinstance(v, (datetime, date)) else v
        for k, v in row.items()
        if v not in (None, "", [], {})
    }


# -- applying -------------------------------------------------------------------------------
def apply_merges(
    engine: Engine,
    entity_type: str,
    clusters: list[tuple[dict[str, Any], list[dict[str, Any]]]],
    merges: Iterable[PlannedMerge],
    run_id: int | None,
    progress: Progress | None,
) -> None:
    planned = {(m.kept_id, m.merged_id): m for m in merges if m.entity_type == entity_type}
    total = sum(len(d) for _, d in clusters)
    done = 0
    for start in range(0, len(clusters), CHUNK):
        chunk = clusters[start : start + CHUNK]
        with write_transaction(engine) as conn:
            scored: set[int] = set()
            if entity_type == "company":
                drop_ids = [d["id"] for _, drops in chunk for d in drops]
                scored = {
                    r["company_id"]
                    for r in select_in(conn, _S, _S.c.company_id, drop_ids, [_S.c.company_id])
                }
            for keep, drops in chunk:
                for d in drops:
                    m = planned[(keep["id"], d["id"])]
                    reason = f"{m.rule}: {m.reason}"
                    if entity_type == "company":
                        merge_companies(
                            conn,
                            keep["id"],
                            d["id"],
                            reason=reason,
                            run_id=run_id,
                            scores=d["id"] in scored,
                        )
                    else:
                        merge_people(conn, keep["id"], d["id"], reason=reason, run_id=run_id)
                    if entity_type == "company":
                        _prefer_real_name(conn, keep, d)
                    conn.execute(
                        insert(_M).values(
                            entity_type=entity_type,
                            kept_id=keep["id"],
                            merged_id=d["id"],
                            rule=m.rule,
                            score=m.score,
                            reason=m.reason,
                            details=_jsonable(d),
                            run_id=run_id,
                            created_at=utcnow(),
                        )
                    )
                    done += 1
        if progress:
            progress(f"merging {entity_type} records", done, total)


def _prefer_real_name(conn: Connection, keep: dict[str, Any], drop: dict[str, Any]) -> None:
    """A keeper whose name only repeats its domain (a crawl found no name) takes the merged
    record's real name: the rule of ``storage.repository`` for a name read later."""
    if keep["name"] != keep.get("domain") or drop["name"] == drop.get("domain"):
        return
    conn.execute(
        _C.update()
        .where(_C.c.id == keep["id"])
        .values(name=drop["name"], name_key=drop["name_key"], legal_form=drop["legal_form"])
    )
