"""The import stage: read a file, map its rows, merge them into the database in batches.

A file that cannot be read (or has no column naming a company or website) writes nothing:
``read_table`` reads and checks the whole file before the first write.  Each batch is one
transaction; a second run of the same file changes nothing but the times of latest sighting.
Rejected rows go to a ``*.rejects.csv`` file beside the input (original columns + row + reason).
"""

from __future__ import annotations

import gc
import itertools
import multiprocessing
import os
import re
import threading
import time
from collections import deque
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import Engine
from sqlalchemy.exc import IntegrityError

from leadgen.importing.columns import ColumnMapping, resolve_columns
from leadgen.importing.rows import MappedRow, RowMapper
from storage.db import finish_bulk_write, write_transaction
from storage.files import FileReadError, Row, Table, open_writer, read_table
from storage.keys import city_key
from storage.records import BatchResult, Problem
from storage.repository import upsert_batch
from storage.runs import finish_run, start_run
from storage.suppression import load_suppressions

BATCH_ROWS = 5_000
#: Files with at least this many rows are mapped (normalized) in a worker process, MAP_AHEAD
#: batches ahead of the batch being written.
PARALLEL_MIN_ROWS = 10_000
MAP_AHEAD = 3
_IDENTITY_FIELDS = ("company_name", "website", "domain")


class UnimportableFile(Exception):
    """The file was read but cannot be imported as a whole (nothing was written)."""


@dataclass(slots=True)
class ImportSummary:
    path: str
    run_id: int | None
    format: str
    encoding: str | None
    delimiter: str | None
    rows: int = 0
    imported_rows: int = 0
    rejected_rows: int = 0
    result: BatchResult = field(default_factory=BatchResult)
    ignored_columns: list[str] = field(default_factory=list)
    mapping: dict[str, str] = field(default_factory=dict)
    rejects_path: str | None = None
    seconds: float = 0.0

    @property
    def problems(self) -> list[Problem]:
        return self.result.problems

    def as_dict(self) -> dict[str, Any]:
        return {
            "path": self.path,
            "run_id": self.run_id,
            "format": self.format,
            "encoding": self.encoding,
            "delimiter": self.delimiter,
            "rows": self.rows,
            "imported_rows": self.imported_rows,
            "rejected_rows": self.rejected_rows,
            **self.result.counts(),
            "ignored_columns": self.ignored_columns,
            "mapping": self.mapping,
            "rejects_path": self.rejects_path,
            "seconds": round(self.seconds, 3),
            "problems": [p.as_dict() for p in self.result.problems],
        }


def check_mapping(table: Table, mapping: ColumnMapping) -> None:
    if not any(f in mapping.fields.values() for f in _IDENTITY_FIELDS):
        raise UnimportableFile(
            f"{table.path}: no column names a company or a website (columns: "
            f"{', '.join(table.headers) or 'none'}); map one with --map 'COLUMN=company_name'"
        )


@contextmanager
def _collector_paused() -> Iterator[None]:
    """No cyclic garbage collection during an import.

    The file's rows (a dict each) live through the whole import and each batch's records
    through its write, so the collector walked the same objects again and again: on 60,000
    rows it took a quarter of the writer's CPU time, yet a whole import leaves about ten
    objects in reference cycles (measured) — reference counting frees everything else.
    """
    enabled, frozen = gc.isenabled(), gc.get_freeze_count()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
        if not frozen:
            gc.unfreeze()  # what _mapped_batches froze


@_collector_paused()
def import_file(
    engine: Engine,
    path: str | Path,
    *,
    source: str,
    customers: bool = False,
    overrides: dict[str, str] | None = None,
    encoding: str | None = None,
    delimiter: str | None = None,
    sheet: str | None = None,
    country: str | None = None,
    rejects_path: str | Path | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> ImportSummary:
    """Import ``path``; raises ``FileReadError`` / ``UnimportableFile`` before writing anything."""
    started = time.perf_counter()
    table = read_table(path, encoding=encoding, delimiter=delimiter, sheet=sheet)
    mapping = resolve_columns(table.headers, overrides)
    check_mapping(table, mapping)
    mapper = RowMapper(
        mapping, source=source, file_label=Path(path).name, customers=customers, country=country
    )
    summary = ImportSummary(
        path=str(path),
        run_id=None,
        format=table.format,
        encoding=table.encoding,
        delimiter=table.delimiter,
        rows=len(table.rows) + len(table.problems),
        ignored_columns=list(mapping.ignored),
        mapping=dict(mapping.fields),
    )
    run_id = start_run(
        engine,
        "import",
        {
            "path": str(path),
            "source": source,
            "customers": customers,
            "country": country,
            "format": table.format,
            "encoding": table.encoding,
            "delimiter": table.delimiter,
            "mapping": mapping.fields,
            "ignored_columns": mapping.ignored,
        },
    )
    summary.run_id = run_id
    rejects: list[tuple[int, dict[str, str] | None, str]] = [
        (p.number, None, p.reason) for p in table.problems
    ]
    for p in table.problems:
        summary.result.problems.append(Problem(f"row {p.number}", p.reason, "error"))
    try:
        with engine.connect() as conn:
            suppressions = load_suppressions(conn)
        batches = company_batches(table.rows, mapping, BATCH_ROWS)
        done = 0
        label = f"{Path(path).name} "
        for rows, mapped in zip(batches, _mapped_batches(mapper, batches), strict=True):
            for row, m in zip(rows, mapped, strict=True):
                summary.result.problems.extend(m.problems)
                if m.record is None:
                    rejects.append(
                        (row.number, row.values, "; ".join(p.reason for p in m.problems))
                    )
            records = [m.record for m in mapped if m.record is not None]
            result = _write_batch(engine, records, run_id, suppressions)
            for problem in result.problems:  # "list.csv row 7" -> "row 7", as the rest
                problem.where = problem.where.removeprefix(label)
            summary.result.add(result)
            done += len(rows)
            if progress:
                progress(done, len(table.rows))
        summary.result.problems.sort(key=_row_order)
    except BaseException as exc:
        summary.seconds = time.perf_counter() - started
        finish_run(
            engine,
            run_id,
            status="failed",
            counts=_counts(summary),
            problems=[p.as_dict() for p in summary.problems],
            error=repr(exc),
        )
        raise
    summary.rejected_rows = len(rejects)
    summary.imported_rows = len(table.rows) - sum(1 for _, v, _ in rejects if v is not None)
    if rejects:
        summary.rejects_path = str(
            _write_rejects(rejects_path or _default_rejects(path), table.headers, rejects)
        )
    finish_bulk_write(engine)
    summary.seconds = time.perf_counter() - started
    finish_run(
        engine,
        run_id,
        status="partial" if rejects else "ok",
        counts=_counts(summary),
        problems=[p.as_dict() for p in summary.problems],
    )
    return summary


_worker_mapper: RowMapper | None = None


_worker_batches: list[list[Row]] | None = None


def _init_worker(mapper: RowMapper, batches: list[list[Row]] | None = None) -> None:
    global _worker_mapper, _worker_batches
    _worker_mapper, _worker_batches = mapper, batches
    gc.enable()  # a forked worker inherits the writer's paused collector


def _map_in_worker(rows: list[Row] | int) -> list[MappedRow]:
    """Map one batch: the rows themselves, or (forked worker) the index of a batch it
    inherited — the writer then pickles no rows at all."""
    assert _worker_mapper is not None
    if isinstance(rows, int):
        assert _worker_batches is not None
        rows = _worker_batches[rows]
    return [_worker_mapper.map(row) for row in rows]


def _mapped_batches(mapper: RowMapper, batches: list[list[Row]]) -> Iterator[list[MappedRow]]:
    """Mapped batches in order.  For large files a worker process maps ahead while the caller
    writes the batch before: normalizing and writing overlap on two cores."""
    if sum(len(b) for b in batches) < PARALLEL_MIN_ROWS or (os.cpu_count() or 1) < 2:
        for batch in batches:
            yield [mapper.map(row) for row in batch]
        return
    # fork is cheapest and needs no `if __name__ == "__main__"` guard in a caller's script, but
    # is unsafe beside other threads (a progress bar's): then spawn (the CLI is guarded).
    method = "fork" if threading.active_count() == 1 and os.name == "posix" else "spawn"
    if method == "fork":
        # Hide what is alive now (the file's rows) from the forked worker's collector: it
        # would touch, and so copy, every page the worker shares with this process.
        gc.freeze()
    # A forked worker starts with the batches in its memory (nothing is pickled to fork), so
    # it is sent batch numbers; a spawned one is sent the rows.
    inherited = method == "fork"
    with ProcessPoolExecutor(
        max_workers=1,
        mp_context=multiprocessing.get_context(method),
        initializer=_init_worker,
        initargs=(mapper, batches) if inherited else (mapper,),
    ) as pool:
        pending: deque[Future] = deque()
        todo = iter(range(len(batches))) if inherited else iter(batches)
        for batch in itertools.islice(todo, MAP_AHEAD):
            pending.append(pool.submit(_map_in_worker, batch))
        while pending:
            mapped = pending.popleft().result()
            for batch in itertools.islice(todo, 1):
                pending.append(pool.submit(_map_in_worker, batch))
            yield mapped


def company_batches(rows: list[Row], mapping: ColumnMapping, size: int) -> list[list[Row]]:
    """Rows in batches of about ``size`` in which all rows of one company travel together.

    Rows are joined when they share their raw website, ИНН, ОГРН, VAT, or name + city (folded,
    not yet normalized).  The batch writer then sees every row of a company at once, the last
    row's value wins inside the batch, and importing the same file again finds nothing to
    change even when a company's rows are far apart in the file.
    """
    parent = list(range(len(rows)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    headers = {f: mapping.columns_for(f) for f in _KEY_FIELDS}
    # A purchased list repeats the company columns on every contact's row: fold them once.
    columns = list(dict.fromkeys(h for f in _KEY_FIELDS for h in headers[f]))
    known: dict[Any, list[tuple]] = {}
    first: dict[tuple, int] = {}
    for i, row in enumerate(rows):
        raw = tuple(map(row.values.get, columns))
        keys = known.get(raw)
        if keys is None:
            if len(known) >= _KEY_CACHE_SIZE:
                known.clear()
            keys = known[raw] = _raw_keys(row.values, headers)
        for key in keys:
            j = first.setdefault(key, i)
            if j != i:
                a, b = find(i), find(j)
                if a != b:
                    parent[max(a, b)] = min(a, b)
    groups: dict[int, list[Row]] = {}
    for i, row in enumerate(rows):
        groups.setdefault(find(i), []).append(row)
    batches: list[list[Row]] = []
    batch: list[Row] = []
    for group in groups.values():  # in the order of each company's first row
        if batch and len(batch) + len(group) > size:
            batches.append(batch)
            batch = []
        batch.extend(group)
    if batch:
        batches.append(batch)
    return batches


_KEY_FIELDS = ("website", "domain", "inn", "ogrn", "vat", "company_name", "city")
_KEY_CACHE_SIZE = 50_000
_FOLD = re.compile(r"^(?:https?://)?(?:www\.)?|[/\s]+$")
_NOT_DIGIT = re.compile(r"\D")


def _raw_keys(values: dict[str, str], headers: dict[str, list[str]]) -> list[tuple]:
    keys: list[tuple] = []
    for name in ("website", "domain"):
        for h in headers[name]:
            if v := values.get(h):
                keys.append(("site", _FOLD.sub("", v.strip().casefold())))
    for name in ("inn", "ogrn"):
        for h in headers[name]:
            if digits := _NOT_DIGIT.sub("", (values.get(h) or "").partition("/")[0]):
                keys.append((name, digits))
    for h in headers["vat"]:
        if v := values.get(h):
            keys.append(("vat", v.replace(" ", "").upper()))
    city = next((c for h in headers["city"] if (c := values.get(h))), None)
    for h in headers["company_name"]:
        if v := values.get(h):
            keys.append(("name", v.strip().casefold(), city_key(city)))
    return keys


def _row_order(problem: Problem) -> tuple[int, str]:
    m = re.match(r"row (\d+)", problem.where)
    return (int(m.group(1)) if m else 0, problem.where)


def _write_batch(engine: Engine, records: list, run_id: int, suppressions) -> BatchResult:
    for attempt in range(3):
        try:
            with write_transaction(engine) as conn:
                return upsert_batch(conn, records, run_id=run_id, suppressions=suppressions)
        except IntegrityError:
            # Another writer stored one of these keys meanwhile: resolve the batch again.
            if attempt == 2:
                raise
    raise AssertionError("unreachable")


def _counts(summary: ImportSummary) -> dict[str, Any]:
    return {
        "rows": summary.rows,
        "imported_rows": summary.imported_rows,
        "rejected_rows": summary.rejected_rows,
        **summary.result.counts(),
        "seconds": round(summary.seconds, 3),
    }


def _default_rejects(path: str | Path) -> Path:
    p = Path(path)
    return p.with_name(p.stem + ".rejects.csv")


def _write_rejects(
    path: str | Path, headers: list[str], rejects: list[tuple[int, dict[str, str] | None, str]]
) -> Path:
    path = Path(path)
    with open_writer(path, "csv", ["row", "reason", *headers]) as out:
        for number, values, reason in sorted(rejects, key=lambda r: r[0]):
            out.write({"row": number, "reason": reason, **(values or {})})
    return path


__all__ = ["FileReadError", "UnimportableFile", "ImportSummary", "import_file"]
