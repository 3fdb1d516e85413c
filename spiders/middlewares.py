"""Crawl-behaviour middlewares: Retry-After, trap protection and page budgets, the proxy.

Each component reads its settings once in ``from_crawler`` and takes plain values, so a unit
test builds it without a crawler (the habit of Scrapy's own ``DepthMiddleware``).
"""

from __future__ import annotations

import asyncio
import email.utils
import logging
import os
import pickle
import time
import zlib
from collections import defaultdict
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from scrapy import Request
from scrapy.downloadermiddlewares.retry import RetryMiddleware, get_retry_request
from scrapy.extensions.httpcache import FilesystemCacheStorage
from scrapy.extensions.throttle import AutoThrottle
from scrapy.http import Response
from scrapy.spidermiddlewares.base import BaseSpiderMiddleware
from scrapy.utils.response import response_from_dict, response_status_message
from w3lib.http import headers_dict_to_raw, headers_raw_to_dict

from enrichment import registrable_domain

logger = logging.getLogger(__name__)


def parse_retry_after(value: bytes | str | None, now: float | None = None) -> float | None:
    """Seconds to wait from a ``Retry-After`` header: delta-seconds or an HTTP date (RFC 9110
    §10.2.3); ``None`` when absent or unreadable.  A date in the past means "now" (0)."""
    if value is None:
        return None
    text = value.decode("latin-1") if isinstance(value, bytes) else value
    text = text.strip()
    if not text:
        return None
    if text.isdigit():
        return float(int(text))
    try:
        when = email.utils.parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        return None
    if when is None:
        return None
    return max(0.0, when.timestamp() - (time.time() if now is None else now))


class RetryAfterMiddleware(RetryMiddleware):
    """Scrapy's retry, plus: a 429/503 answer with ``Retry-After`` is retried only after the
    time the server asked for (Scrapy alone retries at once).  A wait longer than
    ``LEADGEN_RETRY_AFTER_MAX`` seconds is not waited for: the page is given up and counted."""

    def __init__(self, settings) -> None:
        super().__init__(settings)
        self.max_wait = settings.getfloat("LEADGEN_RETRY_AFTER_MAX", 120.0)

    async def process_response(self, request: Request, response: Response) -> Request | Response:
        if request.meta.get("dont_retry", False) or response.status not in self.retry_http_codes:
            return response
        wait = None
        if response.status in (429, 503):
            wait = parse_retry_after(response.headers.get(b"Retry-After"))
        stats = self.crawler.stats
        if wait is not None:
            if wait > self.max_wait:
                stats.inc_value("leadgen/retry_after/too_long")
                logger.warning(
                    "%s answered %s with Retry-After %.0f s (over the %.0f s limit): given up",
                    request.url,
                    response.status,
                    wait,
                    self.max_wait,
                )
                return response
            retry = get_retry_request(
                request,
                reason=response_status_message(response.status),
                spider=self.crawler.spider,
                max_retry_times=request.meta.get("max_retry_times", self.max_retry_times),
                priority_adjust=request.meta.get("priority_adjust", self.priority_adjust),
            )
            if retry is None:
                return response
            stats.inc_value("leadgen/retry_after/waited")
            logger.info(
                "%s answered %s: waiting %.1f s as Retry-After asks",
                request.url,
                response.status,
                wait,
            )
            await asyncio.sleep(wait)
            return retry
        return self._retry(request, response_status_message(response.status)) or response


class ProxyMiddleware:
    """Send every request through ``LEADGEN_PROXY`` (used by the tests' and the demo's local
    sites, which serve real-looking host names through a forward proxy on loopback)."""

    def __init__(self, proxy: str | None) -> None:
        self.proxy = proxy or None

    @classmethod
    def from_crawler(cls, crawler) -> ProxyMiddleware:
        return cls(crawler.settings.get("LEADGEN_PROXY"))

    def process_request(self, request: Request) -> None:
        if self.proxy and "proxy" not in request.meta:
            request.meta["proxy"] = self.proxy
        return None


def _site(url: str) -> str:
    host = urlsplit(url).hostname or ""
    return registrable_domain(host) or host


class RevalidationAutoThrottle(AutoThrottle):
    """Scrapy's AutoThrottle, with a ``304 Not Modified`` counted as the success it is.

    AutoThrottle lowers a site's delay only on ``200`` answers: error pages and redirects are
    small and fast, and letting them lower the delay would speed a crawl up just when a site is
    failing.  A 304 is no failure: the server looked at the page and found it unchanged, and
    how long that took is the server's own load.  Counted with the errors, it held a refresh of
    unchanged sites (where every answer is a 304) at ``AUTOTHROTTLE_START_DELAY`` per site from
    its first request to its last, while a crawl of the same pages in full sped up to
    ``DOWNLOAD_DELAY``.  A 304 that took longer still raises the delay, as any answer does.
    """

    def _adjust_delay(self, slot: Any, latency: float, response: Response) -> None:
        if response.status == 304:
            response = response.replace(status=200)
        super()._adjust_delay(slot, latency, response)


class RevalidateMiddleware:
    """With ``LEADGEN_REVALIDATE``, every request says ``Cache-Control: max-age=0``: Scrapy's
    HTTP cache (RFC2616Policy) then checks a cached page with the server (If-None-Match /
    If-Modified-Since) instead of trusting it for as long as its age suggests, and a 304 Not
    Modified hands the spider the cached page (flag ``cached``)."""

    def __init__(self, enabled: bool) -> None:
        self.enabled = enabled

    @classmethod
    def from_crawler(cls, crawler) -> RevalidateMiddleware:
        return cls(crawler.settings.getbool("LEADGEN_REVALIDATE"))

    def process_request(self, request: Request) -> None:
        if self.enabled and b"Cache-Control" not in request.headers:
            request.headers[b"Cache-Control"] = b"max-age=0"


class NetworkStatsMiddleware:
    """What came over the network, as the server sent it (next to the downloader, before the
    HTTP cache turns a 304 into the cached page): ``leadgen/network/status/<code>`` and
    ``leadgen/network/bytes`` (bodies); a 304 is marked in the request's meta
    (``leadgen_not_modified``), as the cached page the spider receives looks like any other."""

    def __init__(self, stats) -> None:
        self.stats = stats

    @classmethod
    def from_crawler(cls, crawler) -> NetworkStatsMiddleware:
        return cls(crawler.stats)

    def process_response(self, request: Request, response: Response) -> Response:
        self.stats.inc_value(f"leadgen/network/status/{response.status}")
        self.stats.inc_value("leadgen/network/bytes", len(response.body))
        if response.status == 304:  # the spider then knows the cached page it gets is current
            request.meta["leadgen_not_modified"] = True
        return response


class SharedCacheStorage(FilesystemCacheStorage):
    """Scrapy's file-system HTTP cache, made for refreshes.

    - **One store for every spider**: a company website cached while the directory spider
      followed it is found again by the company spider of a refresh (Scrapy's own storage keeps
      one folder per spider name).
    - **Two files per page** instead of seven: ``body`` (zlib-compressed when
      ``HTTPCACHE_GZIP``) and ``entry`` (status, URLs, time, headers and the response's other
      attributes, a small pickle).  A revalidated page (``304 Not Modified``: the cached response
      with its headers freshened) rewrites only ``entry``; Scrapy's storage writes and compresses
      the whole page again for every 304, and opens seven gzip files to read one, which made a
      refresh of unchanged sites on a fast network slower than downloading them again.
    - Each file is written to a temporary name and moved into place, ``entry`` last: a crawl
      killed half-way leaves the old entry or the new one, never half of one.

    Entries in Scrapy's own layout (an older cache) are still read, and replaced by this layout
    the next time the page is stored.
    """

    def _get_request_path(self, spider: Any, request: Request) -> str:
        key = self._fingerprinter.fingerprint(request).hex()
        return str(Path(self.cachedir, key[0:2], key))

    def retrieve_response(self, spider: Any, request: Request) -> Response | None:
        rpath = Path(self._get_request_path(spider, request))
        try:
            if 0 < self.expiration_secs < time.time() - (rpath / "entry").stat().st_mtime:
                return None  # expired
            entry = pickle.loads((rpath / "entry").read_bytes())  # noqa: S301 (our own cache)
            body = (rpath / "body").read_bytes()
        except FileNotFoundError:
            return super().retrieve_response(spider, request)  # Scrapy's layout, or nothing
        if entry.get("gzip"):
            body = zlib.decompress(body)
        request.meta["cache_timestamp"] = entry["timestamp"]
        request.meta[_BODY_GZIP] = bool(entry.get("gzip"))  # how its body is stored
        return response_from_dict(
            {
                **entry["data"],
                "url": entry["response_url"],
                "status": entry["status"],
                "headers": headers_raw_to_dict(entry["headers"]),
                "body": body,
            }
        )

    def store_response(self, spider: Any, request: Request, response: Response) -> None:
        rpath = Path(self._get_request_path(spider, request))
        entry_path = rpath / "entry"
        data = {
            k: v
            for k, v in response.to_dict().items()
            if k not in {"url", "status", "headers", "body"}
        }
        data["flags"] = [f for f in data.get("flags") or [] if f != "cached"]
        entry = {
            "url": request.url,
            "method": request.method,
            "status": response.status,
            "response_url": response.url,
            "timestamp": time.time(),
            "headers": headers_dict_to_raw(response.headers),
            "data": data,
            "gzip": self.use_gzip,
        }
        if "cached" in response.flags and _BODY_GZIP in request.meta:
            # revalidated: the body on disk is this response's, kept as it was stored
            entry["gzip"] = request.meta[_BODY_GZIP]
            _write_atomic(entry_path, pickle.dumps(entry, protocol=4))
            return
        rpath.mkdir(parents=True, exist_ok=True)
        body = zlib.compress(response.body) if self.use_gzip else response.body
        _write_atomic(rpath / "body", body)
        _write_atomic(entry_path, pickle.dumps(entry, protocol=4))
        for name in _SCRAPY_LAYOUT:  # an older entry of the page, in Scrapy's layout
            (rpath / name).unlink(missing_ok=True)


#: request.meta key: the cached body read for this request is zlib-compressed (True / False)
_BODY_GZIP = "_leadgen_cache_gzip"
#: the files of one page in Scrapy's FilesystemCacheStorage
_SCRAPY_LAYOUT = (
    "meta",
    "pickled_meta",
    "response_headers",
    "response_body",
    "response_data",
    "request_headers",
    "request_body",
)


def _write_atomic(path: Path, content: bytes) -> None:
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.write_bytes(content)
    os.replace(tmp, path)


class TrapGuardMiddleware(BaseSpiderMiddleware):
    """Keeps a crawl out of traps and inside its budgets:

    * at most ``pages_per_site`` requests per website (registrable domain) for requests that
      carry ``meta["site_budget"]`` (the company spider sets it; list pages are bounded by the
      source's ``max_pages`` instead);
    * at most ``max_query_variants`` different query strings per path (calendars, sort and
      filter links, session ids) unless the request is a list page (``meta["listing"]``);
    * no URL whose path repeats one segment ``max_repeats`` times (``/a/b/a/b/a/b``).

    Dropped requests are counted in the stats (``leadgen/dropped/<reason>``) and logged once
    per site and reason.  Counts live in ``spider.state`` when the crawl keeps a job directory,
    so a resumed crawl goes on with the budgets it had.
    """

    def __init__(self, crawler, *, max_query_variants: int = 5, max_repeats: int = 3) -> None:
        super().__init__(crawler)
        self.max_query_variants = max_query_variants
        self.max_repeats = max_repeats
        self._variants: dict[tuple[str, str], set[str]] = defaultdict(set)
        self._logged: set[tuple[str, str]] = set()

    @classmethod
    def from_crawler(cls, crawler) -> TrapGuardMiddleware:
        s = crawler.settings
        return cls(
            crawler,
            max_query_variants=s.getint("LEADGEN_MAX_QUERY_VARIANTS", 5),
            max_repeats=s.getint("LEADGEN_MAX_PATH_REPEATS", 3),
        )

    def _budget_counts(self) -> dict[str, int]:
        spider = self.crawler.spider
        state = getattr(spider, "state", None)
        if isinstance(state, dict):
            return state.setdefault("leadgen_site_pages", {})
        if not hasattr(self, "_counts"):
            self._counts: dict[str, int] = {}
        return self._counts

    def _drop(self, request: Request, reason: str) -> None:
        self.crawler.stats.inc_value(f"leadgen/dropped/{reason}")
        key = (_site(request.url), reason)
        if key not in self._logged:
            self._logged.add(key)
            logger.info(
                "not following %s (%s; further drops of this site are only counted)",
                request.url,
                reason.replace("_", " "),
            )

    def get_processed_request(self, request: Request, response: Response | None) -> Any:
        parts = urlsplit(request.url)
        segments = [s for s in parts.path.split("/") if s]
        if segments and max(segments.count(s) for s in set(segments)) >= self.max_repeats:
            self._drop(request, "repeated_path")
            return None
        if parts.query and not request.meta.get("listing"):
            seen = self._variants[(parts.netloc, parts.path)]
            if parts.query not in seen:
                if len(seen) >= self.max_query_variants:
                    self._drop(request, "query_variants")
                    return None
                seen.add(parts.query)
        budget = request.meta.get("site_budget")
        if budget is not None and not request.dont_filter:
            counts = self._budget_counts()
            site = _site(request.url)
            if counts.get(site, 0) >= budget:
                self._drop(request, "site_budget")
                return None
            counts[site] = counts.get(site, 0) + 1
        return request
