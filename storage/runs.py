"""Runs: one row per crawl / import / enrich / score run, with parameters, counts and problems."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Engine, insert, select, update

from storage.clock import utcnow
from storage.models import Run

_R = Run.__table__
#: Problems kept on the run row; the rest are counted (and written to the rejects file).
MAX_STORED_PROBLEMS = 5_000


def start_run(engine: Engine, kind: str, parameters: dict[str, Any]) -> int:
    with engine.begin() as conn:
        return conn.execute(
            insert(_R)
            .values(
                kind=kind,
                status="running",
                started_at=utcnow(),
                parameters=parameters,
                counts={},
                problems=[],
            )
            .returning(_R.c.id)
        ).scalar_one()


def finish_run(
    engine: Engine,
    run_id: int,
    *,
    status: str,
    counts: dict[str, Any],
    problems: list[dict[str, Any]],
    error: str | None = None,
) -> None:
    stored = problems[:MAX_STORED_PROBLEMS]
    counts = {**counts, "problems": len(problems)}
    with engine.begin() as conn:
        conn.execute(
            update(_R)
            .where(_R.c.id == run_id)
            .values(
                status=status, finished_at=utcnow(), counts=counts, problems=stored, error=error
            )
        )


def get_run(engine: Engine, run_id: int) -> dict[str, Any] | None:
    """One run row as a dict (kind, status, parameters, counts, problems, times)."""
    with engine.connect() as conn:
        row = conn.execute(select(_R).where(_R.c.id == run_id)).mappings().first()
    return dict(row) if row else None
