"""Progress for long work: a Rich bar on a terminal, a log line every few seconds otherwise."""

from __future__ import annotations

import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from rich.console import Console

LOG_EVERY_SECONDS = 5.0


@contextmanager
def progress(console: Console, label: str, unit: str) -> Iterator[Callable[[int, int], None]]:
    """Yields ``update(done, total)``; the display ends with the last state."""
    if console.is_terminal and not console.is_dumb_terminal:
        from rich.progress import (
            BarColumn,
            MofNCompleteColumn,
            Progress,
            TextColumn,
            TimeElapsedColumn,
            TimeRemainingColumn,
        )

        with Progress(
            TextColumn("[bold]{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn(unit),
            TimeElapsedColumn(),
            TimeRemainingColumn(),
            console=console,
            transient=False,
        ) as bar:
            task = bar.add_task(label, total=None)

            def update(done: int, total: int) -> None:
                bar.update(task, completed=done, total=total or None)

            yield update
        return
    state = {"last": 0.0, "started": time.monotonic()}

    def log(done: int, total: int) -> None:
        now = time.monotonic()
        if now - state["last"] < LOG_EVERY_SECONDS and (done < total or not total):
            return
        state["last"] = now
        pct = f" ({100 * done / total:.0f}%)" if total else ""
        elapsed = now - state["started"]
        print(
            f"{label}: {done}/{total or '?'} {unit}{pct}, {elapsed:.1f}s",
            file=sys.stderr,
            flush=True,
        )

    yield log
