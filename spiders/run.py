"""Run one crawl in this process (what ``leadgen crawl`` calls): settings, job directory for
pause/resume, progress callbacks, and the spider's arguments.

A Twisted reactor cannot be restarted, so one process runs one crawl; ``leadgen crawl`` is that
process.  ``scrapy crawl NAME -a …`` works as well and uses the same settings module.
"""

from __future__ import annotations

import logging
import os
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

SPIDERS = ("directory", "exhibitors", "company")
#: The store's counts (``spiders.pipelines``' stats ``leadgen/db/<name>``) a progress report has.
STORED = (
    "companies_new",
    "companies_updated",
    "companies_unchanged",
    "people_new",
    "people_updated",
    "emails_new",
)


@dataclass(slots=True)
class CrawlOutcome:
    run_id: int | None
    reason: str  # finished | shutdown (paused) | …
    jobdir: str | None
    stats: dict[str, Any]


def crawl(
    spider: str,
    *,
    spider_args: dict[str, Any],
    database_url: str,
    run_id: int,
    proxy: str | None = None,
    jobdir: Path | None = None,
    settings: dict[str, Any] | None = None,
    log_level: str = "WARNING",
    on_progress: Callable[[dict[str, int]], None] | None = None,
) -> CrawlOutcome:
    """Run ``spider`` to the end (or until Ctrl-C pauses it); progress is reported as
    ``on_progress(counts)`` after each response and item: ``pages``, ``items``, ``requests``
    (scheduled so far) and what the store wrote so far (``STORED``: ``companies_new`` …)."""
    if spider not in SPIDERS:
        raise ValueError(f"unknown spider {spider!r}; known: {', '.join(SPIDERS)}")
    if proxy:  # read by spiders.settings when it builds the browser's launch options
        os.environ["LEADGEN_PROXY"] = proxy
    os.environ.setdefault("SCRAPY_SETTINGS_MODULE", "spiders.settings")
    from scrapy import signals
    from scrapy.crawler import CrawlerProcess
    from scrapy.utils.project import get_project_settings

    project = get_project_settings()
    project.setdict(
        {
            "LEADGEN_DATABASE_URL": database_url,
            "LEADGEN_RUN_ID": run_id,
            "LOG_LEVEL": log_level,
            **({"LEADGEN_PROXY": proxy} if proxy else {}),
            **({"JOBDIR": str(jobdir)} if jobdir else {}),
            **(settings or {}),
        },
        priority="cmdline",
    )
    process = CrawlerProcess(project)
    logging.getLogger("scrapy.addons").setLevel(logging.WARNING)
    crawler = process.create_crawler(spider)
    counts = {"pages": 0, "items": 0, "requests": 0}

    stored = [(name, f"leadgen/db/{name}") for name in STORED]

    def tick(**_: Any) -> None:
        if on_progress:
            stats = crawler.stats.get_stats() if crawler.stats else {}
            on_progress({**counts, **{name: stats.get(key, 0) for name, key in stored}})

    def response_received(**kw: Any) -> None:
        counts["pages"] += 1
        tick()

    def item_scraped(**kw: Any) -> None:
        counts["items"] += 1
        tick()

    def request_scheduled(**kw: Any) -> None:
        counts["requests"] += 1

    crawler.signals.connect(response_received, signal=signals.response_received)
    crawler.signals.connect(item_scraped, signal=signals.item_scraped)
    crawler.signals.connect(request_scheduled, signal=signals.request_scheduled)
    outcome = {"reason": "unknown"}

    def spider_closed(spider: Any, reason: str) -> None:
        outcome["reason"] = reason

    crawler.signals.connect(spider_closed, signal=signals.spider_closed)

    process.crawl(crawler, **spider_args)
    process.start()
    stats = crawler.stats.get_stats() if crawler.stats else {}
    tick()
    if jobdir and outcome["reason"] == "finished":
        shutil.rmtree(jobdir, ignore_errors=True)  # done: the next crawl starts afresh
    return CrawlOutcome(
        run_id=run_id, reason=outcome["reason"], jobdir=str(jobdir) if jobdir else None, stats=stats
    )
