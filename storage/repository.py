"""Merge batches of records into the prospect database.

Natural keys and merge rules (the foundation issue):

* a company is the same by **domain**, then **INN / OGRN / VAT**, then **normalized name + city**;
* a person is the same by **email**, then **normalized name within the company**;
* a value seen again only moves the time of its latest sighting; a different value replaces the
  stored one (the newer sighting wins) and leaves a ``change_events`` row — except the company
  keys (domain, INN, OGRN, VAT), which are never overwritten: a conflicting key is reported;
* lists (phones, technologies) and maps (social links, registry ids) are united;
* when one record shows that two stored companies are the same (its domain matches one and its
  INN another), they are merged (``storage.merge``) unless their own keys contradict;
* every value of every record becomes an observation (source, locator, run, first/last seen).

Everything works a batch at a time with set-based SQL, so an import of 100k companies makes a
few hundred statements, not a few million.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from hashlib import blake2b
from typing import Any

from sqlalchemy import Connection, func, select, text

from storage.bulk import insert_rows, select_in, update_rows
from storage.clock import utcnow
from storage.keys import city_key, compatible_keys, person_identity, text_key
from storage.merge import merge_companies
from storage.models import ChangeEvent, Company, Email, Observation, Person
from storage.records import (
    COMPANY_KEY_FIELDS,
    DERIVED_COMPANY_FIELDS,
    OBSERVED_PERSON_FIELDS,
    PERSON_FIELDS,
    BatchResult,
    CompanyRecord,
    EmailRecord,
    PersonRecord,
    Problem,
)
from storage.suppression import SuppressionList, load_suppressions

_C = Company.__table__
_P = Person.__table__
_E = Email.__table__
_O = Observation.__table__
_CH = ChangeEvent.__table__

_COMPANY_SCALARS = tuple(
    c.name
    for c in _C.columns
    if c.name
    not in (
        "id",
        "phones",
        "registry_ids",
        "social",
        "technologies",
        "first_seen",
        "last_seen",
        "last_verified",
        # set by other commands (forget, refresh), never by a sighting: not read and written
        # back by a batch, so a batch running meanwhile cannot undo them
        "opted_out_at",
        "refreshed_at",
    )
)
_COMPANY_WRITABLE = _COMPANY_SCALARS + ("phones", "registry_ids", "social", "technologies")
_PERSON_WRITABLE = PERSON_FIELDS + ("phones", "gone_at")


def value_hash(value: str) -> str:
    """16 hex digits of BLAKE2b: the index key of a value (values may be longer than an
    index entry may be)."""
    return blake2b(value.encode("utf-8"), digest_size=8).hexdigest()


def _text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, (dict, list)):
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    return str(value)


def _select_in(
    conn: Connection, table, column, values: Iterable[Any], columns: Sequence[Any] | None = None
) -> list[dict[str, Any]]:
    return select_in(conn, table, column, values, list(columns or table.columns))


# What a batch reads of stored rows: what it may compare or change (no timestamps to parse).
_C_READ = [_C.c.id, *(_C.c[n] for n in _COMPANY_WRITABLE)]
_P_READ = [_P.c.id, _P.c.company_id, *(_P.c[n] for n in _PERSON_WRITABLE)]
_E_READ = [_E.c.id, _E.c.address, _E.c.person_id, _E.c.company_id, _E.c.origin]


def _allocate_ids(conn: Connection, table, n: int) -> list[int]:
    """``n`` fresh primary keys, so new rows go in with one plain executemany (no RETURNING,
    which SQLite would run row by row).  PostgreSQL draws them from the table's sequence; SQLite
    continues max(id) — safe because write batches hold SQLite's write lock from their start
    (``storage.db.write_transaction``)."""
    if n == 0:
        return []
    if conn.dialect.name == "postgresql":
        return list(
            conn.execute(
                text(
                    "SELECT nextval(pg_get_serial_sequence(:t, 'id')) FROM generate_series(1, :n)"
                ),
                {"t": table.name, "n": n},
            ).scalars()
        )
    start = conn.execute(select(func.coalesce(func.max(table.c.id), 0))).scalar_one() + 1
    return list(range(start, start + n))


@dataclass(slots=True)
class _State:
    """One company or person as this batch sees it: the stored row and the row after merging.

    Changes are the difference between the two at write time, so a batch that sets a value and
    sets it back (two rows of one file) changes nothing, and a re-import is a no-op.
    """

    row: dict[str, Any]
    new: bool
    original: dict[str, Any] = field(default_factory=dict)
    touched: set[str] = field(default_factory=set)

    def __post_init__(self) -> None:
        if not self.new:
            # Shallow is enough: lists and maps are never changed in place, only replaced.
            self.original = dict(self.row)

    def set(self, name: str, value: Any) -> None:
        self.row[name] = value
        self.touched.add(name)

    def changes(self, names: Sequence[str]) -> list[tuple[str, str | None, str | None]]:
        if self.new or not self.touched:
            return []
        out = []
        for name in names:
            if name not in self.touched:
                continue
            old, value = self.original.get(name), self.row.get(name)
            if _empty(old) and _empty(value) or old == value:
                continue
            out.append(
                (name, None if _empty(old) else _text(old), None if _empty(value) else _text(value))
            )
        return out


def _empty(value: Any) -> bool:
    return value is None or value == "" or value == [] or value == {}


def _merge_scalar(state: _State, name: str, value: Any, *, keep_existing: bool = False) -> bool:
    """Apply one incoming value; returns False for a conflict that was not applied."""
    if value in (None, ""):
        return True
    current = state.row.get(name)
    if current == value:
        return True
    if current not in (None, "") and keep_existing:
        return False
    state.set(name, value)
    return True


def _merge_list(state: _State, name: str, values: Iterable[str]) -> None:
    current = list(state.row.get(name) or [])
    added = [v for v in dict.fromkeys(values) if v and v not in current]
    if added:
        state.set(name, current + added)


def _merge_map(state: _State, name: str, values: dict[str, str]) -> None:
    current = dict(state.row.get(name) or {})
    merged = {**current, **{k: v for k, v in values.items() if v}}
    if merged != current:
        state.set(name, merged)


_OBS_COLUMNS = (
    "entity_type",
    "entity_id",
    "field",
    "value",
    "value_hash",
    "source",
    "locator",
    "run_id",
    "last_run_id",
    "first_seen_at",
    "last_seen_at",
)
_OBS_KEY = "entity_type, entity_id, field, source, value_hash"


class _Observations:
    """The batch's sightings, written with one driver-level executemany.

    Observations are most of the rows an import writes (one per value), so they skip the ORM's
    per-parameter processing: the tuples are built here, the one timestamp is formatted once.
    """

    def __init__(self, run_id: int | None, now: datetime) -> None:
        #: (entity type, id, field, source, value) -> locator
        self.rows: dict[tuple, str] = {}
        self.run_id = run_id
        self.now = now

    def add(
        self, entity_type: str, entity_id: int, name: str, value: Any, source: str, locator: str
    ) -> None:
        if value is None or value == "" or value == [] or value == {}:
            return
        shown = value if type(value) is str else _text(value)
        # The first place seen in this batch is the locator kept.
        self.rows.setdefault((entity_type, entity_id, name, source, shown), locator)

    def write(self, conn: Connection) -> None:
        if not self.rows:
            return
        sqlite = conn.dialect.name == "sqlite"
        # The same text SQLAlchemy's SQLite DateTime type writes; PostgreSQL takes the object.
        now = self.now.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S.%f") if sqlite else self.now
        mark = "?" if sqlite else "%s"
        sql = (
            f"INSERT INTO observations ({', '.join(_OBS_COLUMNS)}) "
            f"VALUES ({', '.join([mark] * len(_OBS_COLUMNS))}) "
            f"ON CONFLICT ({_OBS_KEY}) DO UPDATE SET last_seen_at = excluded.last_seen_at, "
            "last_run_id = excluded.last_run_id"
        )
        tail = (self.run_id, self.run_id, now, now)
        hashes: dict[str, str] = {}  # cities, titles, countries repeat within a batch
        params = []
        for (entity_type, entity_id, name, source, shown), locator in self.rows.items():
            digest = hashes.get(shown)
            if digest is None:
                digest = hashes[shown] = value_hash(shown)
            params.append((entity_type, entity_id, name, shown, digest, source, locator, *tail))
        conn.exec_driver_sql(sql, params)


class _Batch:
    def __init__(
        self, conn: Connection, run_id: int | None, now: datetime, result: BatchResult
    ) -> None:
        self.conn = conn
        self.run_id = run_id
        self.now = now
        self.result = result
        self.companies: dict[int, _State] = {}
        self.alias: dict[int, int] = {}
        self.index: dict[str, dict[Any, int]] = {k: {} for k in (*COMPANY_KEY_FIELDS, "name")}
        self.next_temp = -1
        self.obs = _Observations(run_id, now)
        self.events: list[dict[str, Any]] = []
        #: Stored email rows by address, and every address already looked up: people and
        #: emails read them once (nothing the batch writes in between changes them).
        self.email_rows: dict[str, dict[str, Any]] = {}
        self.emails_read: set[str] = set()
        self.applied: set[tuple[int, int]] = set()

    def read_emails(self, addresses: Iterable[str]) -> list[dict[str, Any]]:
        """The stored rows of ``addresses`` (those read before come from memory)."""
        wanted = set(addresses)
        missing = wanted - self.emails_read
        if missing:
            for row in _select_in(self.conn, _E, _E.c.address, missing, _E_READ):
                self.email_rows[row["address"]] = row
            self.emails_read |= missing
        return [self.email_rows[a] for a in wanted if a in self.email_rows]

    # -- companies -------------------------------------------------------------------------
    def find(self, cid: int) -> int:
        while cid in self.alias:
            cid = self.alias[cid]
        return cid

    def load_companies(self, records: Sequence[CompanyRecord]) -> None:
        """Read the stored companies any record may match (by any key), once each."""
        ids: set[int] = set()
        for key in COMPANY_KEY_FIELDS:
            values = [getattr(r, key) for r in records if getattr(r, key)]
            if values:
                ids.update(r["id"] for r in _select_in(self.conn, _C, _C.c[key], values, [_C.c.id]))
        name_keys = [r.name_key for r in records if r.name_key]
        if name_keys:
            ids.update(
                r["id"] for r in _select_in(self.conn, _C, _C.c.name_key, name_keys, [_C.c.id])
            )
        rows = _select_in(self.conn, _C, _C.c.id, ids, _C_READ) if ids else []
        for row in sorted(rows, key=lambda r: r["id"]):
            self.companies[row["id"]] = _State(row=row, new=False)
            self._index(row["id"])

    def _index(self, cid: int) -> None:
        row = self.companies[cid].row
        for key in COMPANY_KEY_FIELDS:
            if row.get(key):
                self.index[key].setdefault(row[key], cid)
        if row.get("name_key"):
            self.index["name"].setdefault((row["name_key"], city_key(row.get("city"))), cid)

    def _reindex(self, old: int, new: int) -> None:
        for table in self.index.values():
            for k, v in list(table.items()):
                if v == old:
                    table[k] = new

    def resolve(self, record: CompanyRecord, values: dict[str, Any]) -> int:
        """The company this record is: the first key, strongest first, that finds a stored (or
        batch) company that no stronger key contradicts; then name + city with no key
        contradicting; else a new one."""
        where = record.locator or record.source
        strong = [(k, getattr(record, k)) for k in COMPANY_KEY_FIELDS if getattr(record, k)]
        target = None
        for key, value in strong:
            hit = self.index[key].get(value)
            if hit is not None and compatible_keys(
                self.companies[self.find(hit)].row, values, stronger_than=key
            ):
                target = self.find(hit)
                break
        if target is None and record.name_key:
            hit = self.index["name"].get((record.name_key, city_key(record.city)))
            if hit is not None and compatible_keys(self.companies[self.find(hit)].row, values):
                target = self.find(hit)
        if target is None:
            target = self.next_temp
            self.next_temp -= 1
            self.companies[target] = _State(
                row={
                    "id": None,
                    "phones": [],
                    "registry_ids": {},
                    "social": {},
                    "technologies": [],
                    "status": "new",
                    "first_seen": self.now,
                },
                new=True,
            )
        # The record's other keys may point at another company: the same one, stored twice
        # (merge them), or one whose keys contradict this record (keep apart, report).
        for key, value in strong:
            other = self.index[key].get(value)
            if other is None or self.find(other) == target:
                continue
            other = self.find(other)
            if compatible_keys(self.companies[other].row, values, stronger_than=key):
                target = self._merge_pair(target, other, f"{key} {value}", where)
            elif (target, id(values)) not in self.applied:
                self.result.problems.append(
                    Problem(
                        where,
                        f"{key} {value} belongs to {_label(self.companies[other].row)}, "
                        "whose other keys contradict this row; stored without it",
                    )
                )
        # Rows that repeat one company's columns (one row per contact) share one values dict:
        # merge it into a company once per batch.
        if (target, id(values)) not in self.applied:
            self.applied.add((target, id(values)))
            self._apply(target, record, values, where)
            self._index(target)
        return target

    def _merge_pair(self, a: int, b: int, why: str, where: str) -> int:
        """Fold one of two companies into the other; returns the survivor (or ``a``)."""
        sa, sb = self.companies[a], self.companies[b]
        if not compatible_keys(sa.row, sb.row):
            self.result.problems.append(
                Problem(
                    where,
                    f"{why} belongs to another company ({_label(sb.row)}) whose keys "
                    f"contradict {_label(sa.row)}; kept apart",
                )
            )
            return a
        # Keep the stored one (the older id); fold the other into it.
        keep, drop = sorted((a, b), key=lambda cid: (cid < 0, abs(cid)))
        if keep > 0 and drop > 0:
            merge_companies(
                self.conn,
                keep,
                drop,
                reason=f"same {why} ({where})",
                run_id=self.run_id,
                fold_fields=False,
            )
            self.result.companies_merged += 1
        state_keep, state_drop = self.companies[keep], self.companies.pop(drop)
        for name, value in state_drop.row.items():
            if (
                name in ("id", "first_seen", "last_seen")
                or name.startswith("_")
                or value in (None, "", [], {})
            ):
                continue
            if name in ("phones", "technologies"):
                _merge_list(state_keep, name, value)
            elif name in ("social", "registry_ids"):
                _merge_map(state_keep, name, value)
            elif name == "status":
                if _status_rank(value) > _status_rank(state_keep.row.get("status")):
                    state_keep.set("status", value)
            elif state_keep.row.get(name) in (None, ""):
                state_keep.set(name, value)
        self.alias[drop] = keep
        self._reindex(drop, keep)
        return keep

    def _apply(self, cid: int, record: CompanyRecord, values: dict[str, Any], where: str) -> None:
        state = self.companies[cid]
        for name, value in values.items():
            if name == "status":
                continue
            if name in COMPANY_KEY_FIELDS:
                owner = self.index[name].get(value)
                if owner is not None and self.find(owner) != cid:
                    continue  # that key is another company's (reported as "kept apart")
            fallback = name in record.fallback_fields  # fills a gap, never replaces
            if (
                fallback
                and name in ("name", "name_key")
                and (state.row.get(name) == state.row.get("domain"))
            ):
                fallback = False  # the domain stood in for a name: a name read is better
            if (
                not _merge_scalar(
                    state, name, value, keep_existing=fallback or name in COMPANY_KEY_FIELDS
                )
                and not fallback
            ):
                self.result.problems.append(
                    Problem(
                        where,
                        f"{name} {value} differs from the stored {state.row[name]} of "
                        f"{_label(state.row)}; kept the stored value",
                    )
                )
        if record.status and record.status != state.row.get("status"):
            state.set("status", record.status)
        _merge_list(state, "phones", record.phones)
        _merge_list(state, "technologies", record.technologies)
        _merge_map(state, "social", record.social)
        _merge_map(state, "registry_ids", record.registry_ids)

    def write_companies(self) -> dict[int, int]:
        """Insert new companies and update changed ones; returns temp id -> real id."""
        real: dict[int, int] = {}
        for s in self.companies.values():
            key = city_key(s.row.get("city"))
            if s.row.get("city_key") != key:
                s.set("city_key", key)
            key = text_key(s.row.get("industry"))
            if s.row.get("industry_key") != key:
                s.set("industry_key", key)
        new = [(cid, s) for cid, s in self.companies.items() if s.new]
        if new:
            rows = []
            for _, s in new:
                row = {k: s.row.get(k) for k in _COMPANY_WRITABLE}
                row["status"] = row["status"] or "new"
                row.update(first_seen=self.now, last_seen=self.now)
                rows.append(row)
            ids = _allocate_ids(self.conn, _C, len(rows))
            for row, rid in zip(rows, ids, strict=True):
                row["id"] = rid
            insert_rows(self.conn, _C, rows)
            for (cid, s), rid in zip(new, ids, strict=True):
                real[cid] = rid
                s.row["id"] = rid
            self.result.companies_new += len(new)
        diffs = {cid: s.changes(_COMPANY_WRITABLE) for cid, s in self.companies.items()}
        changed = [s for cid, s in self.companies.items() if diffs[cid]]
        if changed:
            update_rows(
                self.conn,
                _C,
                [
                    {
                        **{k: s.row.get(k) for k in _COMPANY_WRITABLE},
                        "last_seen": self.now,
                        "id": s.row["id"],
                    }
                    for s in changed
                ],
            )
            for s in changed:
                for name, old, value in s.changes(_COMPANY_WRITABLE):
                    self.events.append(
                        _event(
                            "company",
                            s.row["id"],
                            s.row["id"],
                            "changed",
                            name,
                            old,
                            value,
                            self.run_id,
                            self.now,
                        )
                    )
            self.result.companies_updated += len(changed)
        touched = [
            s
            for cid, s in self.companies.items()
            if not s.new and not diffs[cid] and s.row.get("_seen")
        ]
        if touched:
            update_rows(
                self.conn, _C, [{"last_seen": self.now, "id": s.row["id"]} for s in touched]
            )
            self.result.companies_unchanged += len(touched)
        for cid, s in self.companies.items():
            if s.row.get("id") is not None:
                real.setdefault(cid, s.row["id"])
        return real


def _status_rank(status: str | None) -> int:
    return {"current": 2, "former": 1}.get(status or "", 0)


def _label(row: dict[str, Any]) -> str:
    ident = f"#{row['id']} " if row.get("id") else ""
    return f"{ident}{row.get('name') or row.get('domain') or '?'}"


def _event(
    entity_type: str,
    entity_id: int,
    company_id: int | None,
    kind: str,
    name: str | None,
    old: str | None,
    new: str | None,
    run_id: int | None,
    now: datetime,
) -> dict[str, Any]:
    return {
        "entity_type": entity_type,
        "entity_id": entity_id,
        "company_id": company_id,
        "kind": kind,
        "field": name,
        "old_value": old,
        "new_value": new,
        "run_id": run_id,
        "created_at": now,
    }


def _drop_suppressed(
    record: CompanyRecord, sup: SuppressionList, result: BatchResult
) -> CompanyRecord | None:
    where = record.locator or record.source
    if record.domain and sup.domain_suppressed(record.domain):
        result.suppressed += 1
        result.problems.append(
            Problem(where, "not stored: the company's domain is on the suppression list", "error")
        )
        return None
    kept_emails = [e for e in record.emails if not sup.email_suppressed(e.address)]
    people = []
    identity_domain = record.domain or (record.name_key or "")
    for person in record.people:
        if any(sup.email_suppressed(e.address) for e in person.emails) or (
            sup.persons_suppressed(person_identity(identity_domain, person.name_key))
        ):
            result.suppressed += 1
            result.problems.append(
                Problem(
                    where,
                    f"person {person.full_name!r} not stored: on the suppression list",
                    "warning",
                )
            )
            continue
        people.append(person)
    dropped = len(record.emails) - len(kept_emails)
    if dropped:
        result.suppressed += dropped
        result.problems.append(
            Problem(where, f"{dropped} email(s) not stored: on the suppression list", "warning")
        )
    record.emails = kept_emails
    record.people = people
    return record


def upsert_batch(
    conn: Connection,
    records: Sequence[CompanyRecord],
    *,
    run_id: int | None = None,
    now: datetime | None = None,
    suppressions: SuppressionList | None = None,
) -> BatchResult:
    """Merge ``records`` into the database inside the caller's transaction.

    Call it inside ``storage.db.write_transaction`` when other processes may write at the same
    time: the batch reads, decides, then writes, and must not interleave with another writer.
    """
    now = now or utcnow()
    result = BatchResult()
    sup = suppressions if suppressions is not None else load_suppressions(conn)
    kept = [r for r in (_drop_suppressed(r, sup, result) if sup else r for r in records) if r]
    batch = _Batch(conn, run_id, now, result)
    batch.load_companies(kept)
    scalars = [r.scalar_values() for r in kept]
    targets = []
    for record, values in zip(kept, scalars, strict=True):
        cid = batch.resolve(record, values)
        batch.companies[cid].row["_seen"] = True
        targets.append(cid)
    real = batch.write_companies()
    company_ids = [real[batch.find(t)] for t in targets]
    observed: set[tuple[int, int]] = set()
    for record, values, cid in zip(kept, scalars, company_ids, strict=True):
        if (cid, id(values)) not in observed:
            observed.add((cid, id(values)))
            _company_observations(batch.obs, cid, record, values)
        elif record.notes:
            for note in record.notes:
                batch.obs.add("company", cid, "notes", note, record.source, record.locator)
    people = _People(batch)
    people.load(kept, company_ids)
    person_ids = [
        [people.resolve(p, cid, r) for p in r.people]
        for r, cid in zip(kept, company_ids, strict=True)
    ]
    pid_map = people.write()
    emails = _Emails(batch)
    for record, cid, pids in zip(kept, company_ids, person_ids, strict=True):
        for e in record.emails:
            emails.want(e, None, cid, record)
        for person, pid in zip(record.people, pids, strict=True):
            real_pid = pid_map[people.find(pid)]
            _person_observations(batch.obs, real_pid, person, record)
            for e in person.emails:
                emails.want(e, real_pid, cid, record)
    emails.write()
    batch.obs.write(conn)
    if batch.events:
        insert_rows(conn, _CH, batch.events)
    return result


def _company_observations(
    obs: _Observations, cid: int, r: CompanyRecord, values: dict[str, Any]
) -> None:
    src, loc = r.source, r.locator
    for name, value in values.items():
        if name not in DERIVED_COMPANY_FIELDS and not (name == "domain" and r.website):
            obs.add("company", cid, name, value, src, loc)
    for phone in r.phones:
        obs.add("company", cid, "phone", phone, src, loc)
    for tech in r.technologies:
        obs.add("company", cid, "technology", tech, src, loc)
    for k, v in r.social.items():
        obs.add("company", cid, f"social.{k}", v, src, loc)
    for k, v in r.registry_ids.items():
        obs.add("company", cid, f"registry_ids.{k}", v, src, loc)
    for note in r.notes:
        obs.add("company", cid, "notes", note, src, loc)
    for k, v in r.facts.items():
        obs.add("company", cid, f"fact.{k}", v, src, loc)


def _person_observations(obs: _Observations, pid: int, p: PersonRecord, r: CompanyRecord) -> None:
    for name in OBSERVED_PERSON_FIELDS:
        obs.add("person", pid, name, getattr(p, name), r.source, r.locator)
    for phone in p.phones:
        obs.add("person", pid, "phone", phone, r.source, r.locator)


class _People:
    def __init__(self, batch: _Batch) -> None:
        self.batch = batch
        self.people: dict[int, _State] = {}
        self.by_email: dict[str, int] = {}
        self.by_name: dict[tuple[int, str], int] = {}
        self.alias: dict[int, int] = {}
        self.next_temp = -1

    def find(self, pid: int) -> int:
        while pid in self.alias:
            pid = self.alias[pid]
        return pid

    def load(self, records: Sequence[CompanyRecord], company_ids: Sequence[int]) -> None:
        conn = self.batch.conn
        addresses = [e.address for r in records for p in r.people for e in p.emails]
        owner_ids: set[int] = set()
        for row in self.batch.read_emails(addresses):
            if row["person_id"] is not None:
                self.by_email[row["address"]] = row["person_id"]
                owner_ids.add(row["person_id"])
        cids = [cid for r, cid in zip(records, company_ids, strict=True) if r.people]
        rows = _select_in(conn, _P, _P.c.company_id, cids, _P_READ) if cids else []
        seen = {row["id"] for row in rows}
        rows += _select_in(conn, _P, _P.c.id, owner_ids - seen, _P_READ) if owner_ids - seen else []
        for row in sorted(rows, key=lambda r: r["id"]):
            self.people[row["id"]] = _State(row=row, new=False)
            self.by_name.setdefault((row["company_id"], row["name_key"]), row["id"])

    def resolve(self, p: PersonRecord, cid: int, record: CompanyRecord) -> int:
        pid = None
        for e in p.emails:
            if e.address in self.by_email:
                pid = self.find(self.by_email[e.address])
                break
        if pid is None:
            pid = self.by_name.get((cid, p.name_key))
        if pid is None:
            pid = self.next_temp
            self.next_temp -= 1
            self.people[pid] = _State(
                row={"id": None, "company_id": cid, "phones": [], "first_seen": self.batch.now},
                new=True,
            )
        state = self.people[pid]
        row, fallback = state.row, p.fallback_fields
        for name in PERSON_FIELDS:  # _merge_scalar, inlined: this runs for every contact
            value = getattr(p, name)
            if value is None or value == "":
                continue
            current = row.get(name)
            if current == value or (name in fallback and current not in (None, "")):
                continue
            state.set(name, value)
        _merge_list(state, "phones", p.phones)
        if state.row.get("gone_at") is not None:
            state.set("gone_at", None)
        state.row["_seen"] = True
        for e in p.emails:
            self.by_email.setdefault(e.address, pid)
        self.by_name.setdefault((cid, p.name_key), pid)
        return pid

    def write(self) -> dict[int, int]:
        b = self.batch
        real: dict[int, int] = {}
        new = [(pid, s) for pid, s in self.people.items() if s.new]
        if new:
            rows = [
                {
                    **{k: s.row.get(k) for k in _PERSON_WRITABLE},
                    "is_decision_maker": bool(s.row.get("is_decision_maker")),
                    "company_id": s.row["company_id"],
                    "first_seen": b.now,
                    "last_seen": b.now,
                }
                for _, s in new
            ]
            ids = _allocate_ids(b.conn, _P, len(rows))
            for row, rid in zip(rows, ids, strict=True):
                row["id"] = rid
            insert_rows(b.conn, _P, rows)
            for (pid, s), rid in zip(new, ids, strict=True):
                real[pid] = rid
                s.row["id"] = rid
            b.result.people_new += len(new)
        diffs = {pid: s.changes(_PERSON_WRITABLE) for pid, s in self.people.items()}
        changed = [s for pid, s in self.people.items() if diffs[pid]]
        if changed:
            update_rows(
                b.conn,
                _P,
                [
                    {
                        **{k: s.row.get(k) for k in _PERSON_WRITABLE},
                        "is_decision_maker": bool(s.row.get("is_decision_maker")),
                        "last_seen": b.now,
                        "id": s.row["id"],
                    }
                    for s in changed
                ],
            )
            for s in changed:
                for name, old, value in s.changes(_PERSON_WRITABLE):
                    b.events.append(
                        _event(
                            "person",
                            s.row["id"],
                            s.row["company_id"],
                            "changed",
                            name,
                            old,
                            value,
                            b.run_id,
                            b.now,
                        )
                    )
            b.result.people_updated += len(changed)
        touched = [
            s
            for pid, s in self.people.items()
            if not s.new and not diffs[pid] and s.row.get("_seen")
        ]
        if touched:
            update_rows(b.conn, _P, [{"last_seen": b.now, "id": s.row["id"]} for s in touched])
            b.result.people_unchanged += len(touched)
        for pid, s in self.people.items():
            real.setdefault(pid, s.row["id"])
        return real


class _Emails:
    def __init__(self, batch: _Batch) -> None:
        self.batch = batch
        self.wanted: dict[str, dict[str, Any]] = {}
        self.sources: dict[str, list[CompanyRecord]] = {}

    def want(
        self, e: EmailRecord, person_id: int | None, company_id: int, record: CompanyRecord
    ) -> None:
        current = self.wanted.get(e.address)
        if current is None or (current["person_id"] is None and person_id is not None):
            self.wanted[e.address] = {
                "address": e.address,
                "domain": e.domain,
                "person_id": person_id,
                "company_id": company_id,
                "kind": e.kind,
                "origin": e.origin,
                "pattern": e.pattern,
                "confidence": e.confidence,
            }
        self.sources.setdefault(e.address, []).append(record)

    def write(self) -> None:
        b = self.batch
        if not self.wanted:
            return
        b.read_emails(self.wanted)
        existing = {a: b.email_rows[a] for a in self.wanted if a in b.email_rows}
        new_rows, changes, touched = [], [], []
        for address, want in self.wanted.items():
            row = existing.get(address)
            if row is None:
                new_rows.append(
                    {
                        **want,
                        "status": "unverified",
                        "attempts": 0,
                        "first_seen": b.now,
                        "last_seen": b.now,
                        "id": None,
                    }
                )
                continue
            patch = {}
            if row["person_id"] is None and want["person_id"] is not None:
                patch["person_id"] = want["person_id"]
            if row["company_id"] is None:
                patch["company_id"] = want["company_id"]
            if row["origin"] == "guessed" and want["origin"] != "guessed":
                patch["origin"] = want["origin"]
            if patch:
                for name, value in patch.items():
                    b.events.append(
                        _event(
                            "email",
                            row["id"],
                            want["company_id"],
                            "changed",
                            name,
                            _opt(row[name]),
                            _opt(value),
                            b.run_id,
                            b.now,
                        )
                    )
                changes.append(
                    {
                        **{k: row[k] for k in ("person_id", "company_id", "origin")},
                        **patch,
                        "last_seen": b.now,
                        "id": row["id"],
                    }
                )
            else:
                touched.append({"last_seen": b.now, "id": row["id"]})
        ids: dict[str, int] = {a: r["id"] for a, r in existing.items()}
        if new_rows:
            new_ids = _allocate_ids(b.conn, _E, len(new_rows))
            for row, rid in zip(new_rows, new_ids, strict=True):
                row["id"] = rid
            insert_rows(b.conn, _E, new_rows)
            ids.update(zip((r["address"] for r in new_rows), new_ids, strict=True))
            b.result.emails_new += len(new_rows)
        update_rows(b.conn, _E, changes)
        update_rows(b.conn, _E, touched)
        for address, records in self.sources.items():
            for r in records:
                b.obs.add("email", ids[address], "address", address, r.source, r.locator)


def _opt(value: Any) -> str | None:
    return None if value is None else _text(value)
