"""Scrapy settings for leadgen crawls: polite by default.

Every LEADGEN_* value can be overridden per crawl (``-s NAME=VALUE``) or from the environment.
"""

from __future__ import annotations

import os
from pathlib import Path

BOT_NAME = "leadgen"
SPIDER_MODULES = ["spiders.crawlers"]
NEWSPIDER_MODULE = "spiders.crawlers"

#: Who we are and where a site owner can reach us (set LEADGEN_CONTACT_URL for your deployment).
LEADGEN_CONTACT_URL = os.environ.get(
    "LEADGEN_CONTACT_URL", "https://github.com/leadgen/leadgen#for-site-owners"
)
USER_AGENT = f"leadgen/0.1 (+{LEADGEN_CONTACT_URL})"

# Politeness: robots.txt, few parallel requests per site, adaptive delay.
ROBOTSTXT_OBEY = True
CONCURRENT_REQUESTS = 16
CONCURRENT_REQUESTS_PER_DOMAIN = 2
DOWNLOAD_DELAY = 0.5
AUTOTHROTTLE_ENABLED = True
AUTOTHROTTLE_START_DELAY = 1.0
AUTOTHROTTLE_MAX_DELAY = 30.0
AUTOTHROTTLE_TARGET_CONCURRENCY = 1.0
# AutoThrottle that lets a 304 Not Modified lower a site's delay as a 200 does (a refresh of
# unchanged sites answers nothing else)
EXTENSIONS = {
    "scrapy.extensions.throttle.AutoThrottle": None,
    "spiders.middlewares.RevalidationAutoThrottle": 0,
}

# Limits: size, time, depth, retries.
DOWNLOAD_TIMEOUT = 30
DOWNLOAD_MAXSIZE = 10 * 1024 * 1024
DOWNLOAD_WARNSIZE = 2 * 1024 * 1024
# No global depth limit: every list page is one link deeper than the one before, so a depth
# limit would cut long directories short.  Depth is bounded where it matters: two links from a
# company's home page (spiders.crawlers.base.SITE_DEPTH), max_pages list pages per source.
DEPTH_LIMIT = 0
URLLENGTH_LIMIT = 2000
RETRY_ENABLED = True
RETRY_TIMES = 2
RETRY_HTTP_CODES = [429, 500, 502, 503, 504, 522, 524, 408]

REDIRECT_MAX_TIMES = 5
#: Wait at most this long for a server's Retry-After (429/503); longer asks are given up.
LEADGEN_RETRY_AFTER_MAX = 120.0
#: Trap protection (spiders.middlewares.TrapGuardMiddleware).
LEADGEN_MAX_QUERY_VARIANTS = 5
LEADGEN_MAX_PATH_REPEATS = 3
#: A bare domain ("firma.ru") is fetched with this scheme.
LEADGEN_DEFAULT_SCHEME = "https"
#: Forward proxy for every request (the local sample sites of the demo and the tests).
LEADGEN_PROXY = os.environ.get("LEADGEN_PROXY") or None
#: Where crawled companies go (default: the same as the leadgen command's).
LEADGEN_DATABASE_URL = os.environ.get("LEADGEN_DATABASE_URL") or None
LEADGEN_STORE_BATCH = 200
#: SQLite page cache of the crawl's writer (KiB): small batches need little, memory stays flat.
LEADGEN_STORE_CACHE_KIB = 16_384
#: Processes that read pages beside the crawl's event loop ("auto": one per spare core, at
#: most 4; 0: read pages in the crawl process itself).
LEADGEN_EXTRACT_WORKERS = os.environ.get("LEADGEN_EXTRACT_WORKERS") or "auto"

# The HTTP cache: off for a plain crawl; `leadgen run` and `leadgen refresh` turn it on (with
# HTTPCACHE_DIR under their jobs directory).  RFC 2616 rules: a page is stored with its
# validators (ETag, Last-Modified), and a page asked for again is fetched only if it changed.
HTTPCACHE_ENABLED = False
HTTPCACHE_POLICY = "scrapy.extensions.httpcache.RFC2616Policy"
HTTPCACHE_DIR = "httpcache"
#: one store for every spider (spiders.middlewares.SharedCacheStorage), pages gzipped
HTTPCACHE_STORAGE = "spiders.middlewares.SharedCacheStorage"
HTTPCACHE_GZIP = True
#: Ask every page afresh (``Cache-Control: max-age=0``): with the cache on, a cached page is
#: revalidated by a conditional request (304 Not Modified costs no body) instead of being
#: trusted for as long as its age suggests.  `leadgen refresh` sets it.
LEADGEN_REVALIDATE = False
#: A site page answering 304 Not Modified is not read again: only its links are followed, and
#: every value it gave before is seen again (observations' last sighting moves).
LEADGEN_SKIP_UNCHANGED = True

SPIDER_MIDDLEWARES = {
    "spiders.middlewares.TrapGuardMiddleware": 950,
}
DOWNLOADER_MIDDLEWARES = {
    "spiders.middlewares.ProxyMiddleware": 740,
    "scrapy.downloadermiddlewares.retry.RetryMiddleware": None,
    "spiders.middlewares.RetryAfterMiddleware": 550,
    # before the HTTP cache (900) sees the request
    "spiders.middlewares.RevalidateMiddleware": 890,
    # next to the downloader: answers as the server sent them (a 304 before the cache's page)
    "spiders.middlewares.NetworkStatsMiddleware": 950,
}
ITEM_PIPELINES = {
    "spiders.pipelines.NormalizePipeline": 300,
    "spiders.pipelines.StorePipeline": 800,
}


def _chromium() -> str | None:
    """Playwright's own Chromium when it is installed, else the system one (Debian's package),
    else ``LEADGEN_CHROMIUM``, which wins when set."""
    if os.environ.get("LEADGEN_CHROMIUM"):
        return os.environ["LEADGEN_CHROMIUM"]
    cache = Path(os.environ.get("PLAYWRIGHT_BROWSERS_PATH") or Path.home() / ".cache/ms-playwright")
    if any(cache.glob("chromium*/chrome-linux*/chrome")):
        return None  # Playwright finds its own build
    for path in ("/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"):
        if os.path.exists(path):
            return path
    return None


# JavaScript pages (sources with render = true) go through headless Chromium: the list spiders
# install these handlers for such a source only (spiders.crawlers.lists), since scrapy-playwright
# starts Playwright's driver (a Node.js process) with the crawl; other requests take Scrapy's
# own HTTP handler, to which scrapy-playwright falls back.
PLAYWRIGHT_DOWNLOAD_HANDLERS = {
    "http": "scrapy_playwright.handler.ScrapyPlaywrightDownloadHandler",
    "https": "scrapy_playwright.handler.ScrapyPlaywrightDownloadHandler",
}
TWISTED_REACTOR = "twisted.internet.asyncioreactor.AsyncioSelectorReactor"
PLAYWRIGHT_BROWSER_TYPE = "chromium"
PLAYWRIGHT_LAUNCH_OPTIONS = {
    "headless": True,
    # Flags known to work with Debian's Chromium as root in containers; the background-network
    # ones keep Chromium from calling Google's hosts.
    "args": [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-background-networking",
        "--disable-component-update",
        "--no-first-run",
        "--disable-sync",
        "--disable-quic",
    ],
    **({"executable_path": _chromium()} if _chromium() else {}),
    **({"proxy": {"server": LEADGEN_PROXY}} if LEADGEN_PROXY else {}),
}
PLAYWRIGHT_DEFAULT_NAVIGATION_TIMEOUT = 30_000
PLAYWRIGHT_MAX_PAGES_PER_CONTEXT = 4

# Nothing listens that a crawl did not ask for.
TELNETCONSOLE_ENABLED = False
REMOTE_CONTROL_ENABLED = False

FEED_EXPORT_ENCODING = "utf-8"
REQUEST_FINGERPRINTER_IMPLEMENTATION = "2.7"
