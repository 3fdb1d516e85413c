"""Progress for long work: a Rich display on a terminal, a log line every few seconds otherwise.

``progress`` shows one step (``leadgen import``, ``enrich``, ``verify``, ``dedupe``, ``score``,
``crawl``); ``Stages`` one command of several stages (``leadgen run``): the stage reached
("stage 2/4 enrich") and that stage's own progress, in one Rich display.  ``json_lines`` and
``read_json_line`` carry a child process's progress to its parent (``leadgen crawl
--progress-json``, read by ``leadgen run``).
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import IO, Any

from rich.console import Console

LOG_EVERY_SECONDS = 5.0
#: A child's progress lines: often enough for a live display, rarely enough to cost nothing.
JSON_EVERY_SECONDS = 1.0

#: ``update(done, total, detail="")``: ``total`` 0 when unknown, ``detail`` a short text.
Update = Callable[..., None]


def interactive(console: Console) -> bool:
    return console.is_terminal and not console.is_dumb_terminal


def _bar(console: Console):
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeElapsedColumn,
        TimeRemainingColumn,
    )
    from rich.text import Text

    class Remaining(TimeRemainingColumn):
        """No estimate for a task that says ``eta=False`` (the stage counter of ``Stages``)."""

        def render(self, task):
            return super().render(task) if task.fields.get("eta", True) else Text("")

    return Progress(
        TextColumn("[bold]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("{task.fields[unit]}"),
        TimeElapsedColumn(),
        Remaining(),
        TextColumn("{task.fields[detail]}"),
        console=console,
        transient=False,
    )


class _Lines:
    """``update(done, total, detail)`` as a plain line on ``console`` every few seconds (the
    first call and a finished count always)."""

    def __init__(self, console: Console, label: str, unit: str, every: float = LOG_EVERY_SECONDS):
        self.console, self.label, self.unit, self.every = console, label, unit, every
        self.last = 0.0
        self.started = time.monotonic()

    def __call__(self, done: int, total: int, detail: str = "") -> None:
        now = time.monotonic()
        if now - self.last < self.every and (done < total or not total):
            return
        self.last = now
        pct = f" ({100 * done / total:.0f}%)" if total else ""
        self.console.print(
            f"{self.label}: {done}/{total or '?'} {self.unit}{pct}, {now - self.started:.1f}s"
            + (f"; {detail}" if detail else ""),
            markup=False,
            highlight=False,
            soft_wrap=True,
        )


@contextmanager
def progress(console: Console, label: str, unit: str) -> Iterator[Update]:
    """Yields ``update(done, total, detail="")``; the display ends with the last state."""
    if interactive(console):
        with _bar(console) as bar:
            task = bar.add_task(label, total=None, unit=unit, detail="")

            def update(done: int, total: int, detail: str = "") -> None:
                bar.update(task, completed=done, total=total or None, detail=detail)

            yield update
        return
    yield _Lines(console, label, unit)


class Stages:
    """One display for a command of several stages.

    On a terminal, one Rich Progress of two lines: the stage counter ("stage 2/4 enrich", the
    whole command's time) and the current stage's own count, with a detail text (a crawl's
    items and companies).  Otherwise a line as each stage starts, the stage's count every few
    seconds, and the notes.  Use as a context manager; ``stage(name, unit)`` for each stage run,
    ``note(text)`` for a line above the display (a stage's result, a skipped stage)."""

    def __init__(self, console: Console, names: Sequence[str], label: str = ""):
        self.console = console
        self.names = list(names)
        self.label = label
        self.bar = _bar(console) if interactive(console) else None
        self.overall = self.current = None

    def __enter__(self) -> Stages:
        if self.bar is not None:
            self.bar.start()
            self.overall = self.bar.add_task(
                self.label or "stages", total=len(self.names), unit="stages", detail="", eta=False
            )
            self.current = self.bar.add_task("", total=None, unit="", detail="", visible=False)
        return self

    def __exit__(self, *exc: Any) -> None:
        if self.bar is not None:
            self.bar.stop()

    def heading(self, name: str) -> str:
        return f"stage {self.names.index(name) + 1}/{len(self.names)} {name}"

    def note(self, text: str) -> None:
        target = self.bar.console if self.bar is not None else self.console
        target.print(text, markup=False, highlight=False, soft_wrap=True)

    def passed(self, name: str, why: str) -> None:
        """``name`` does not run (``why``: skipped, done earlier) and counts as finished."""
        prefix = f"{self.label} " if self.label and self.bar is None else ""
        self.note(f"{prefix}{self.heading(name)}: {why}")
        if self.bar is not None:
            index = self.names.index(name)
            self.bar.update(self.overall, description=self.heading(name), completed=index + 1)

    @contextmanager
    def stage(self, name: str, unit: str, what: str = "") -> Iterator[Update]:
        """Yields ``update(done, total, detail="")`` for the stage ``name`` (run again for
        each part of a stage, e.g. each source of a crawl, with ``what`` naming it)."""
        heading = self.heading(name)
        if self.bar is None:
            prefix = f"{self.label} " if self.label else ""
            self.note(f"{prefix}{heading}{f': {what}' if what else ''} …")
            yield _Lines(self.console, f"{prefix}{heading}", unit)
            return
        index = self.names.index(name)
        self.bar.update(self.overall, description=heading, completed=index)
        self.bar.reset(
            self.current, total=None, description=f"  {what or name}", unit=unit, detail=""
        )
        self.bar.update(self.current, visible=True)

        def update(done: int, total: int, detail: str = "") -> None:
            self.bar.update(self.current, completed=done, total=total or None, detail=detail)

        yield update
        self.bar.update(self.overall, completed=index + 1)


def json_lines(stream: IO[str], every: float = JSON_EVERY_SECONDS) -> Callable[..., None]:
    """``emit(counts, final=False)`` writes ``{"progress": counts}`` as one line on ``stream``
    at most every ``every`` seconds (always when ``final``)."""
    last = [0.0]

    def emit(counts: dict[str, Any], final: bool = False) -> None:
        now = time.monotonic()
        if not final and now - last[0] < every:
            return
        last[0] = now
        stream.write(json.dumps({"progress": counts}, separators=(",", ":")) + "\n")
        stream.flush()

    return emit


def read_json_line(line: str) -> dict[str, Any] | None:
    """The counts of a line written by ``json_lines``; None for any other line."""
    if not line.startswith('{"progress":'):
        return None
    try:
        counts = json.loads(line).get("progress")
    except ValueError:
        return None
    return counts if isinstance(counts, dict) else None
