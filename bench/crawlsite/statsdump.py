"""A Scrapy extension of the crawl benchmark: when the spider closes, write the crawl's stats
(``elapsed_time_seconds``, ``response_received_count`` …) and the process's peak RSS as JSON to
``BENCH_STATS_FILE``.  Both benchmark crawls load it the same way::

    --set 'EXTENSIONS={"bench.crawlsite.statsdump.StatsDump": 1000}' --set BENCH_STATS_FILE=PATH

With an order above CoreStats' 0 it is built, and connects to ``spider_closed``, after
CoreStats, so ``finish_time`` and ``elapsed_time_seconds`` are set when it writes.
"""

from __future__ import annotations

import json
import resource
from pathlib import Path

from scrapy import signals


class StatsDump:
    def __init__(self, crawler, path: str) -> None:
        self.crawler = crawler
        self.path = Path(path)

    @classmethod
    def from_crawler(cls, crawler) -> StatsDump:
        ext = cls(crawler, crawler.settings.get("BENCH_STATS_FILE") or "bench-stats.json")
        crawler.signals.connect(ext.spider_closed, signal=signals.spider_closed)
        return ext

    def spider_closed(self, spider, reason: str) -> None:
        stats = dict(self.crawler.stats.get_stats())
        stats["bench/close_reason"] = reason
        stats["bench/maxrss_kb_at_close"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        self.path.write_text(
            json.dumps(stats, default=str, indent=1, sort_keys=True), encoding="utf-8"
        )
