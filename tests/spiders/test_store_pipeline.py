"""The store pipeline's wait for pending writes must yield to the event loop."""

from __future__ import annotations

import asyncio
import threading
from types import SimpleNamespace

from spiders.pipelines import StorePipeline
from storage.repository import BatchResult


def _pipeline() -> StorePipeline:
    stats = SimpleNamespace(inc_value=lambda *a, **k: None)
    return StorePipeline(SimpleNamespace(stats=stats), database_url=None, run_id=None)


def test_a_write_done_before_its_callback_ran_does_not_spin_the_loop():
    # A batch written just before the crawl closes: the future is done, its done callback
    # (which takes it off ``pending``) is scheduled but has not run.  Awaiting a done future
    # does not yield, so a plain ``while pending: await pending[0]`` spun here forever.
    finished = threading.Event()

    async def close() -> None:
        p = _pipeline()
        loop = asyncio.get_running_loop()
        for _ in range(3):
            future = loop.create_future()
            p.pending.append(future)
            future.add_done_callback(p._done)
            future.set_result(BatchResult())
        await p._wait_pending(0)
        assert p.pending == []
        p._executor.shutdown()
        finished.set()

    thread = threading.Thread(target=asyncio.run, args=(close(),), daemon=True)
    thread.start()
    thread.join(timeout=10)
    assert finished.is_set(), "waiting for finished writes never returned"


def test_waiting_keeps_at_most_max_pending():
    async def run() -> list[int]:
        p = _pipeline()
        loop = asyncio.get_running_loop()
        futures = []
        for _ in range(4):
            future = loop.create_future()
            p.pending.append(future)
            future.add_done_callback(p._done)
            futures.append(future)
        loop.call_later(0.05, futures[0].set_result, BatchResult())
        loop.call_later(0.10, futures[1].set_result, BatchResult())
        await p._wait_pending(2)
        left = [futures.index(f) for f in p.pending]
        for f in futures[2:]:
            f.set_result(BatchResult())
        await p._wait_pending(0)
        p._executor.shutdown()
        return left

    assert asyncio.run(run()) == [2, 3]
