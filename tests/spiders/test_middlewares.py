"""Retry-After parsing and trap protection, built without a running crawl."""

from __future__ import annotations

import email.utils
import os
import time
from types import SimpleNamespace

import pytest
from scrapy import Request
from scrapy.statscollectors import MemoryStatsCollector

from spiders.middlewares import TrapGuardMiddleware, parse_retry_after


@pytest.mark.parametrize(
    "value, expected",
    [
        (b"120", 120.0),
        ("0", 0.0),
        (b"  7 ", 7.0),
        (None, None),
        (b"", None),
        (b"soon", None),
        (b"-5", None),
    ],
)
def test_retry_after_seconds(value, expected):
    assert parse_retry_after(value) == expected


def test_retry_after_http_date():
    now = time.time()
    header = email.utils.formatdate(now + 30, usegmt=True)
    assert parse_retry_after(header, now=now) == pytest.approx(30, abs=1)
    past = email.utils.formatdate(now - 300, usegmt=True)
    assert parse_retry_after(past, now=now) == 0.0


def _guard(**kw):
    spider = SimpleNamespace(name="t")
    crawler = SimpleNamespace(
        spider=spider,
        stats=MemoryStatsCollector(
            SimpleNamespace(settings=SimpleNamespace(getbool=lambda *a, **k: False))
        ),
    )
    return TrapGuardMiddleware(crawler, **kw), crawler


def _pass(guard, url, **meta):
    return guard.get_processed_request(Request(url, meta=meta), None) is not None


def test_query_variants_per_path_are_bounded():
    guard, crawler = _guard(max_query_variants=3)
    urls = [f"https://firma.ru/calendar?month={m}" for m in range(1, 7)]
    assert [_pass(guard, u) for u in urls] == [True, True, True, False, False, False]
    assert _pass(guard, urls[0])  # a variant already seen is not a new one
    assert _pass(guard, "https://firma.ru/other?x=1")
    # list pages are bounded by the source's max_pages instead
    assert all(_pass(guard, f"https://firma.ru/calendar?page={n}", listing=True) for n in range(10))
    assert crawler.stats.get_value("leadgen/dropped/query_variants") == 3


def test_repeated_path_segments_are_a_trap():
    guard, _ = _guard(max_repeats=3)
    assert _pass(guard, "https://firma.ru/a/b/a/b/")
    assert not _pass(guard, "https://firma.ru/a/b/a/b/a/b/")


def test_site_budget_counts_pages_per_registrable_domain():
    guard, crawler = _guard()
    got = [
        _pass(guard, f"https://{host}/p{i}", site_budget=3)
        for i, host in enumerate(["firma.ru", "www.firma.ru", "shop.firma.ru", "firma.ru"])
    ]
    assert got == [True, True, True, False]
    assert _pass(guard, "https://andere.de/", site_budget=3)
    assert _pass(guard, "https://firma.ru/no-budget")  # requests without a budget pass
    assert crawler.stats.get_value("leadgen/dropped/site_budget") == 1


def test_budget_lives_in_spider_state_when_the_crawl_can_resume():
    guard, crawler = _guard()
    crawler.spider.state = {}
    assert _pass(guard, "https://firma.ru/", site_budget=1)
    assert crawler.spider.state["leadgen_site_pages"] == {"firma.ru": 1}
    assert not _pass(guard, "https://firma.ru/x", site_budget=1)


def test_revalidate_asks_caches_to_check_with_the_server():
    from scrapy import Request

    from spiders.middlewares import RevalidateMiddleware

    on, off = RevalidateMiddleware(True), RevalidateMiddleware(False)
    r = Request("https://acme.de/team")
    on.process_request(r)
    assert r.headers[b"Cache-Control"] == b"max-age=0"
    own = Request("https://acme.de/", headers={"Cache-Control": "no-cache"})
    on.process_request(own)  # a request's own header stays
    assert own.headers[b"Cache-Control"] == b"no-cache"
    plain = Request("https://acme.de/")
    off.process_request(plain)
    assert b"Cache-Control" not in plain.headers


def _cache(tmp_path, gzip=True):
    from scrapy.settings import Settings
    from scrapy.utils.test import get_crawler

    from spiders.middlewares import SharedCacheStorage

    settings = Settings({"HTTPCACHE_DIR": str(tmp_path / "cache"), "HTTPCACHE_GZIP": gzip})
    spider = SimpleNamespace(name="company", crawler=get_crawler(settings_dict={}))
    storage = SharedCacheStorage(settings)
    storage.open_spider(spider)
    return storage, spider


@pytest.mark.parametrize("gzip", [True, False])
def test_the_shared_cache_rewrites_only_headers_when_a_page_is_revalidated(tmp_path, gzip):
    """A 304 freshens the cached response's headers; the stored body is not written again
    (Scrapy's storage compresses and writes the whole entry for every 304)."""
    from scrapy.http import HtmlResponse

    storage, spider = _cache(tmp_path, gzip)
    request = Request("https://acme.de/team")
    body = "<h1>Команда</h1>".encode() * 100
    first = HtmlResponse(
        request.url,
        body=body,
        headers={"ETag": '"v1"', "Date": "Mon, 30 Nov 2026 08:00:00 GMT"},
        ip_address=None,
    )
    storage.store_response(spider, request, first)
    entry = next((tmp_path / "cache").glob("*/*"))
    assert entry.parent.name == entry.name[:2]  # one store for every spider: no spider folder
    assert sorted(p.name for p in entry.iterdir()) == ["body", "entry"]
    assert ((entry / "body").stat().st_size < len(body)) is gzip
    stored = {p.name: p.stat().st_mtime_ns for p in entry.iterdir()}
    time.sleep(0.01)
    request = Request("https://acme.de/team")
    cached = storage.retrieve_response(spider, request)
    assert isinstance(cached, HtmlResponse) and cached.text == "<h1>Команда</h1>" * 100
    assert cached.status == 200 and request.meta["cache_timestamp"] > 0
    # what HttpCacheMiddleware stores after a 304: the cached response, headers freshened
    cached.flags.append("cached")
    cached.headers["Date"] = "Tue, 01 Dec 2026 08:00:00 GMT"
    storage.store_response(spider, request, cached)
    after = {p.name: p.stat().st_mtime_ns for p in entry.iterdir()}
    assert after["body"] == stored["body"] and after["entry"] > stored["entry"]
    again = storage.retrieve_response(spider, Request("https://acme.de/team"))
    assert again.body == body and again.status == 200 and "cached" not in again.flags
    assert again.headers["Date"] == b"Tue, 01 Dec 2026 08:00:00 GMT"
    assert again.headers["ETag"] == b'"v1"'
    # a changed page (a 200, not from the cache) is stored in full
    changed = HtmlResponse(request.url, body=b"<h1>Neues Team</h1>", headers={"ETag": '"v2"'})
    storage.store_response(spider, request, changed)
    assert storage.retrieve_response(spider, request).body == b"<h1>Neues Team</h1>"
    assert not [p for p in entry.iterdir() if p.name.endswith(".tmp")]
    # nothing stored for another page
    assert storage.retrieve_response(spider, Request("https://acme.de/kontakt")) is None


def test_the_shared_cache_reads_an_older_scrapy_layout_and_replaces_it(tmp_path):
    """A cache written by Scrapy's own storage (seven files per page) is still read; the page's
    next store (here: after a 304) writes the two-file entry."""
    from scrapy.extensions.httpcache import FilesystemCacheStorage
    from scrapy.http import HtmlResponse

    storage, spider = _cache(tmp_path)
    request = Request("https://acme.de/impressum")
    page = HtmlResponse(request.url, body=b"<p>Impressum</p>", headers={"ETag": '"i"'})
    # Scrapy's own writer, into the same folder this storage uses for the page
    FilesystemCacheStorage.store_response(storage, spider, request, page)
    entry = next((tmp_path / "cache").glob("*/*"))
    assert "response_body" in {p.name for p in entry.iterdir()}
    cached = storage.retrieve_response(spider, request)
    assert cached.body == b"<p>Impressum</p>" and cached.headers["ETag"] == b'"i"'
    cached.flags.append("cached")
    storage.store_response(spider, request, cached)
    assert sorted(p.name for p in entry.iterdir()) == ["body", "entry"]  # the old files go
    assert storage.retrieve_response(spider, request).body == b"<p>Impressum</p>"


def test_the_shared_cache_honours_its_expiry(tmp_path):
    from scrapy.http import HtmlResponse
    from scrapy.settings import Settings

    from spiders.middlewares import SharedCacheStorage

    storage, spider = _cache(tmp_path)
    request = Request("https://acme.de/")
    storage.store_response(spider, request, HtmlResponse(request.url, body=b"<p>Start</p>"))
    expiring = SharedCacheStorage(
        Settings({"HTTPCACHE_DIR": str(tmp_path / "cache"), "HTTPCACHE_EXPIRATION_SECS": 60})
    )
    expiring.open_spider(spider)
    assert expiring.retrieve_response(spider, request).body == b"<p>Start</p>"
    entry = next((tmp_path / "cache").glob("*/*")) / "entry"
    old = time.time() - 3600
    os.utime(entry, (old, old))
    assert expiring.retrieve_response(spider, request) is None


@pytest.mark.parametrize(
    "status, lowered",
    [(200, True), (304, True), (503, False), (404, False), (301, False)],
)
def test_autothrottle_lets_a_304_lower_the_delay_as_a_200_does(status, lowered):
    from scrapy.core.downloader import Slot
    from scrapy.extensions.throttle import AutoThrottle
    from scrapy.http import Response
    from scrapy.utils.test import get_crawler

    from spiders.middlewares import RevalidationAutoThrottle

    settings = {"AUTOTHROTTLE_ENABLED": True, "DOWNLOAD_DELAY": 0.5, "AUTOTHROTTLE_START_DELAY": 1}
    response = Response("https://acme.de/team", status=status)

    def throttle(extension_class):
        ext = extension_class.from_crawler(get_crawler(settings_dict=settings))
        ext.mindelay, ext.maxdelay = ext._min_delay(), ext._max_delay()  # as on spider_opened
        return ext

    def delay_after(extension_class) -> float:
        ext = throttle(extension_class)
        slot = Slot(concurrency=2, delay=1.0, jitter=0)
        ext._adjust_delay(slot, 0.01, response)  # a fast answer
        return slot.delay

    assert (delay_after(RevalidationAutoThrottle) < 1.0) is lowered
    # Scrapy's own lowers it only for a 200 (a 304 kept a refresh at the start delay)
    assert (delay_after(AutoThrottle) < 1.0) is (status == 200)
    # a slow 304 raises it, as any answer does
    ext = throttle(RevalidationAutoThrottle)
    slot = Slot(concurrency=2, delay=1.0, jitter=0)
    ext._adjust_delay(slot, 4.0, Response("https://acme.de/", status=304))
    assert slot.delay == 4.0


def test_the_crawl_settings_use_the_revalidation_autothrottle():
    from scrapy.utils.test import get_crawler

    from spiders import settings as project

    crawler = get_crawler(
        settings_dict={k: getattr(project, k) for k in dir(project) if k.isupper()}
    )
    crawler._apply_settings()
    names = {type(e).__name__ for e in crawler.extensions.middlewares}
    assert "RevalidationAutoThrottle" in names and "AutoThrottle" not in names
