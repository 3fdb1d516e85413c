"""Page reading in worker processes, so extraction runs beside Scrapy's event loop.

Scrapy runs in one thread, and reading a page (parsing, the text walk, phone matching, link
classification) costs more CPU than downloading it.  Spiders hand each page to
``PagePool.run``: with workers, a process pool reads pages on the other cores while the loop
keeps downloading and storing; with ``LEADGEN_EXTRACT_WORKERS = 0`` pages are read inline.
What runs in the pool are the functions of ``spiders.pages.reading``: pure, picklable in and out.
"""

from __future__ import annotations

import asyncio
import multiprocessing
import os
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from typing import Any, TypeVar

T = TypeVar("T")
#: Pages handed to the pool and not yet read, per worker, before callbacks wait.
MAX_QUEUED_PER_WORKER = 8


def default_workers() -> int:
    """One process per core beyond the one Scrapy's loop uses, at most 4."""
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return max(0, min(4, (cores or 1) - 1))


def _warm() -> None:
    """Import the page objects in a new worker before its first page.  Ctrl-C is the crawl's
    to handle (a clean pause): a worker that died of it would leave the crawl waiting."""
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)
    import spiders.pages.reading  # noqa: F401


class PagePool:
    def __init__(self, workers: int) -> None:
        self.workers = workers
        self._executor: ProcessPoolExecutor | None = None
        self._slots: asyncio.Semaphore | None = None
        if workers > 0:
            # forkserver: workers start from a clean server process, not a copy of the crawl
            # process and its threads.
            context = multiprocessing.get_context("forkserver")
            self._executor = ProcessPoolExecutor(workers, mp_context=context, initializer=_warm)

    @classmethod
    def from_settings(cls, settings) -> PagePool:
        value = str(settings.get("LEADGEN_EXTRACT_WORKERS", "auto")).strip().lower()
        return cls(default_workers() if value in ("", "auto") else max(0, int(value)))

    async def run(self, fn: Callable[..., T], *args: Any) -> T:
        if self._executor is None:
            return fn(*args)
        if self._slots is None:  # created on the crawl's own loop
            self._slots = asyncio.Semaphore(self.workers * MAX_QUEUED_PER_WORKER)
        async with self._slots:
            loop = asyncio.get_running_loop()
            return await loop.run_in_executor(self._executor, fn, *args)

    def close(self) -> None:
        if self._executor is not None:
            self._executor.shutdown(wait=True, cancel_futures=True)
            self._executor = None
