"""The import stage: read a file, map its rows, merge them into the database in batches.

A file that cannot be read (or has no column naming a company or website) writes nothing:
``read_table`` reads and checks the whole file before the first write.  Each batch is one
transaction; a second run of the same file changes nothing but the times of latest sighting.
Rejected rows go to a ``*.rejects.csv`` file beside the input (original columns + row + reason).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import Engine
from sqlalchemy.exc import IntegrityError

from leadgen.importing.columns import ColumnMapping, resolve_columns
from leadgen.importing.rows import MappedRow, RowMapper
from storage.files import FileReadError, Table, open_writer, read_table
from storage.records import BatchResult, Problem
from storage.repository import upsert_batch
from storage.runs import finish_run, start_run
from storage.suppression import load_suppressions

BATCH_ROWS = 2_000
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
            "path": self.path, "run_id": self.run_id, "format": self.format,
            "encoding": self.encoding, "delimiter": self.delimiter, "rows": self.rows,
            "imported_rows": self.imported_rows, "rejected_rows": self.rejected_rows,
            **self.result.counts(), "ignored_columns": self.ignored_columns,
            "mapping": self.mapping, "rejects_path": self.rejects_path,
            "seconds": round(self.seconds, 3),
            "problems": [p.as_dict() for p in self.result.problems],
        }


def check_mapping(table: Table, mapping: ColumnMapping) -> None:
    if not any(f in mapping.fields.values() for f in _IDENTITY_FIELDS):
        raise UnimportableFile(
            f"{table.path}: no column names a company or a website (columns: "
            f"{', '.join(table.headers) or 'none'}); map one with --map 'COLUMN=company_name'")


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
    mapper = RowMapper(mapping, source=source, file_label=Path(path).name, customers=customers,
                       country=country)
    summary = ImportSummary(path=str(path), run_id=None, format=table.format,
                            encoding=table.encoding, delimiter=table.delimiter,
                            rows=len(table.rows) + len(table.problems),
                            ignored_columns=list(mapping.ignored), mapping=dict(mapping.fields))
    run_id = start_run(engine, "import", {
        "path": str(path), "source": source, "customers": customers, "country": country,
        "format": table.format, "encoding": table.encoding, "delimiter": table.delimiter,
        "mapping": mapping.fields, "ignored_columns": mapping.ignored})
    summary.run_id = run_id
    rejects: list[tuple[int, dict[str, str] | None, str]] = [
        (p.number, None, p.reason) for p in table.problems]
    for p in table.problems:
        summary.result.problems.append(Problem(f"row {p.number}", p.reason, "error"))
    try:
        with engine.connect() as conn:
            suppressions = load_suppressions(conn)
        done = 0
        for start in range(0, len(table.rows), BATCH_ROWS):
            chunk = table.rows[start:start + BATCH_ROWS]
            mapped = [mapper.map(row) for row in chunk]
            _write_batch(engine, mapped, run_id, suppressions, summary)
            for row, m in zip(chunk, mapped, strict=True):
                if m.record is None:
                    rejects.append((row.number, row.values,
                                    "; ".join(p.reason for p in m.problems)))
            done += len(chunk)
            if progress:
                progress(done, len(table.rows))
    except BaseException as exc:
        summary.seconds = time.perf_counter() - started
        finish_run(engine, run_id, status="failed", counts=_counts(summary),
                   problems=[p.as_dict() for p in summary.problems], error=repr(exc))
        raise
    summary.rejected_rows = len(rejects)
    summary.imported_rows = len(table.rows) - sum(1 for _, v, _ in rejects if v is not None)
    if rejects:
        summary.rejects_path = str(_write_rejects(rejects_path or _default_rejects(path),
                                                  table.headers, rejects))
    summary.seconds = time.perf_counter() - started
    finish_run(engine, run_id, status="partial" if rejects else "ok", counts=_counts(summary),
               problems=[p.as_dict() for p in summary.problems])
    return summary


def _write_batch(engine: Engine, mapped: list[MappedRow], run_id: int, suppressions,
                 summary: ImportSummary) -> None:
    records = [m.record for m in mapped if m.record is not None]
    for m in mapped:
        summary.result.problems.extend(m.problems)
    for attempt in range(3):
        try:
            with engine.begin() as conn:
                result = upsert_batch(conn, records, run_id=run_id, suppressions=suppressions)
            break
        except IntegrityError:
            # Another writer stored one of these keys meanwhile: resolve the batch again.
            if attempt == 2:
                raise
    summary.result.add(result)


def _counts(summary: ImportSummary) -> dict[str, Any]:
    return {"rows": summary.rows, "imported_rows": summary.imported_rows,
            "rejected_rows": summary.rejected_rows, **summary.result.counts(),
            "seconds": round(summary.seconds, 3)}


def _default_rejects(path: str | Path) -> Path:
    p = Path(path)
    return p.with_name(p.stem + ".rejects.csv")


def _write_rejects(path: str | Path, headers: list[str],
                   rejects: list[tuple[int, dict[str, str] | None, str]]) -> Path:
    path = Path(path)
    with open_writer(path, "csv", ["row", "reason", *headers]) as out:
        for number, values, reason in sorted(rejects, key=lambda r: r[0]):
            out.write({"row": number, "reason": reason, **(values or {})})
    return path


__all__ = ["FileReadError", "UnimportableFile", "ImportSummary", "import_file"]
