"""Thin pipelines: validate + normalize (``spiders.records``, built on ``enrichment``), then store
(``storage.repository.upsert_batch``) with the page URL and run id on every value.

Storing is batched and runs in a worker thread, one batch at a time, so the crawl keeps
downloading while SQLite or PostgreSQL writes; when writing falls behind by more than a few
batches, ``process_item`` waits for the oldest write (back-pressure).
"""

from __future__ import annotations

import asyncio
import logging
import time
from concurrent.futures import ThreadPoolExecutor
from typing import Any
from urllib.parse import urlsplit

from scrapy import signals
from scrapy.exceptions import DropItem

from spiders.items import CompanyItem, PageUnchanged
from spiders.records import item_to_record
from storage.records import BatchResult, CompanyRecord, Problem

logger = logging.getLogger(__name__)


class NormalizePipeline:
    """CompanyItem → CompanyRecord; a sighting that names no company is dropped with a reason."""

    def __init__(self, crawler=None) -> None:
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler) -> NormalizePipeline:
        return cls(crawler)

    def process_item(self, item: Any) -> CompanyRecord:
        if not isinstance(item, CompanyItem):
            return item
        record, problems = item_to_record(item)
        spider = self.crawler.spider if self.crawler else None
        if spider is not None and hasattr(spider, "problems"):
            spider.problems.extend(problems)
        if record is None:
            raise DropItem("; ".join(p.reason for p in problems if p.severity == "error"))
        return record


class StorePipeline:
    """Merges records into the prospect database, ``LEADGEN_STORE_BATCH`` at a time.

    The crawl's run row (``LEADGEN_RUN_ID``, or a new one when the spider runs under plain
    ``scrapy crawl``) gets the counts, Scrapy's error statistics and every problem at the end.
    Writes run in one worker thread, in order; the crawl waits only when more than
    ``max_pending`` batches are queued.
    """

    def __init__(
        self,
        crawler,
        *,
        database_url: str | None,
        run_id: int | None,
        batch_size: int = 200,
        max_pending: int = 4,
        flush_seconds: float = 2.0,
    ) -> None:
        self.crawler = crawler
        self.database_url = database_url
        self.run_id = run_id
        self.batch_size = batch_size
        self.max_pending = max_pending
        self.flush_seconds = flush_seconds
        self.buffer: list[CompanyRecord] = []
        #: what each fetched page answered since the last write (``storage.pages``)
        self.answers: dict[str, int] = {}
        #: pages not modified since they were read: their values are seen again
        self.unchanged: list[str] = []
        self.result = BatchResult()
        self.pending: list[asyncio.Future] = []
        self._last_flush = time.monotonic()
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="leadgen-store")
        self.engine = None
        self.suppressions = None
        self.cache_kib = 16_384

    @classmethod
    def from_crawler(cls, crawler) -> StorePipeline:
        s = crawler.settings
        run_id = s.getint("LEADGEN_RUN_ID", 0) or None
        pipeline = cls(
            crawler,
            database_url=s.get("LEADGEN_DATABASE_URL"),
            run_id=run_id,
            batch_size=s.getint("LEADGEN_STORE_BATCH", 200),
        )
        pipeline.cache_kib = s.getint("LEADGEN_STORE_CACHE_KIB", 16_384)
        # The run row is finished once the close reason is known (after the pipelines closed).
        crawler.signals.connect(pipeline.spider_closed, signal=signals.spider_closed)
        crawler.signals.connect(pipeline.response_received, signal=signals.response_received)
        return pipeline

    def response_received(self, response, request, spider=None) -> None:
        """Every page's answer (a 304 arrives as the cached page, 200), robots.txt aside:
        written with the next batch, so a page and the values it gave share one time."""
        if urlsplit(response.url).path != "/robots.txt":
            # a 304 reaches here as the cached page (200): the network's answer is in the meta
            status = 304 if response.meta.get("leadgen_not_modified") else response.status
            self.answers[response.url] = status

    def open_spider(self) -> None:
        from storage.db import make_engine
        from storage.runs import start_run
        from storage.suppression import load_suppressions

        self.engine = make_engine(self.database_url, cache_kib=self.cache_kib)
        spider = self.crawler.spider
        if self.run_id is None:
            params = getattr(spider, "run_parameters", lambda: {})()
            self.run_id = start_run(self.engine, "crawl", {"spider": spider.name, **params})
        with self.engine.connect() as conn:
            self.suppressions = load_suppressions(conn)
        spider.run_id = self.run_id

    async def process_item(self, record: Any) -> Any:
        if isinstance(record, PageUnchanged):
            self.unchanged.append(record.url)
            self.crawler.stats.inc_value("leadgen/pages_unchanged")
        elif isinstance(record, CompanyRecord):
            self.buffer.append(record)
        else:
            return record
        if (
            len(self.buffer) + len(self.unchanged) >= self.batch_size
            or time.monotonic() - self._last_flush >= self.flush_seconds
        ):
            self._flush()
            await self._wait_pending(self.max_pending)
        return record

    async def _wait_pending(self, keep: int) -> None:
        """Wait until at most ``keep`` batches are being written.

        Awaiting a future that is already done does not yield to the event loop, so its done
        callback (which takes it off ``pending``) would never run and the loop would spin:
        yield once whenever the first future is done but still listed.
        """
        while len(self.pending) > keep:
            first = self.pending[0]
            if not first.done():
                await asyncio.wait([first])
            if self.pending and self.pending[0] is first:
                await asyncio.sleep(0)

    def _write(
        self, records: list[CompanyRecord], answers: dict[str, int], unchanged: list[str]
    ) -> BatchResult:
        from storage.clock import utcnow
        from storage.db import write_transaction
        from storage.pages import record_pages, touch_sources
        from storage.repository import upsert_batch

        try:
            now = utcnow()
            with write_transaction(self.engine) as conn:
                result = (
                    upsert_batch(
                        conn, records, run_id=self.run_id, suppressions=self.suppressions, now=now
                    )
                    if records
                    else BatchResult()
                )
                record_pages(conn, answers.items(), now)
                touch_sources(conn, unchanged, now, run_id=self.run_id)
                return result
        except Exception as exc:  # a failed batch is reported, the crawl goes on
            logger.exception("storing %d records failed", len(records))
            result = BatchResult()
            where = records[0].source if records else next(iter(answers), "")
            result.problems.append(
                Problem(
                    where,
                    f"storing a batch of {len(records)} records and {len(answers)} page "
                    f"answers (first from this page) failed: {type(exc).__name__}: {exc}",
                    "error",
                )
            )
            self.crawler.stats.inc_value("leadgen/db/failed_batches")
            return result

    def _flush(self) -> None:
        self._last_flush = time.monotonic()
        records, self.buffer = self.buffer, []
        answers, self.answers = self.answers, {}
        unchanged, self.unchanged = self.unchanged, []
        if not records and not answers and not unchanged:
            return
        future = asyncio.get_running_loop().run_in_executor(
            self._executor, self._write, records, answers, unchanged
        )
        self.pending.append(future)
        future.add_done_callback(self._done)

    def _done(self, future: asyncio.Future) -> None:
        self.pending.remove(future)
        result = future.result()
        self.result.add(result)
        for name, value in result.counts().items():
            if value:
                self.crawler.stats.inc_value(f"leadgen/db/{name}", value)

    async def close_spider(self) -> None:
        self._flush()
        await self._wait_pending(0)
        self._executor.shutdown(wait=True)
        from storage.db import finish_bulk_write

        finish_bulk_write(self.engine)

    def spider_closed(self, spider, reason: str) -> None:
        from storage.runs import finish_run

        if self.engine is None:
            return
        stats = self.crawler.stats.get_stats()
        problems = [p.as_dict() for p in getattr(spider, "problems", [])]
        problems += [p.as_dict() for p in self.result.problems]
        counts = {**crawl_counts(stats), **self.result.counts()}
        if stats.get("leadgen/db/failed_batches"):
            status = "failed"
        elif reason == "shutdown":
            status = "paused"
        else:
            status = "partial" if problems else "ok"
        finish_run(self.engine, self.run_id, status=status, counts=counts, problems=problems)
        self.engine.dispose()


def crawl_counts(stats: dict[str, Any]) -> dict[str, Any]:
    """Pages, items and errors by kind from Scrapy's stats, in plain names."""
    errors: dict[str, int] = {}
    for key, value in stats.items():
        # Failed pages by kind (http_404, timeout, redirect_loop, too_large, robots …), as the
        # spiders' errbacks counted them: an absent sitemap.xml is not an error.
        if key.startswith("leadgen/errors/"):
            errors[key.rsplit("/", 1)[1]] = value
        elif key.startswith("leadgen/dropped/"):
            errors[f"dropped_{key.rsplit('/', 1)[1]}"] = value
        elif key == "leadgen/retry_after/too_long":
            errors["retry_after_too_long"] = value
        elif key.startswith("spider_exceptions/"):
            errors[f"spider_{key.rsplit('/', 1)[1]}"] = value
    return {
        "pages": stats.get("response_received_count", 0),
        "requests": stats.get("downloader/request_count", 0),
        # conditional requests answered 304 Not Modified (the HTTP cache's page used), and the
        # bytes downloaded: what a refresh of unchanged sites costs
        "not_modified": stats.get("leadgen/network/status/304", 0),
        "unchanged": stats.get("leadgen/pages_unchanged", 0),
        "bytes": stats.get("leadgen/network/bytes", 0),
        "items": stats.get("item_scraped_count", 0),
        "items_dropped": stats.get("item_dropped_count", 0),
        "retries": stats.get("retry/count", 0),
        "retry_after_waits": stats.get("leadgen/retry_after/waited", 0),
        "errors": dict(sorted(errors.items())),
    }
