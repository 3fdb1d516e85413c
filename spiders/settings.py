"""Scrapy settings for leadgen crawls: polite by default.

Every LEADGEN_* value can be overridden per crawl (``-s NAME=VALUE``) or from the environment.
"""

from __future__ import annotations

import os

BOT_NAME = "leadgen"
SPIDER_MODULES = ["spiders.crawlers"]
NEWSPIDER_MODULE = "spiders.crawlers"

#: Who we are and where a site owner can reach us (set LEADGEN_CONTACT_URL for your deployment).
LEADGEN_CONTACT_URL = os.environ.get("LEADGEN_CONTACT_URL",
                                     "https://github.com/leadgen/leadgen#for-site-owners")
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

# Limits: size, time, depth, retries.
DOWNLOAD_TIMEOUT = 30
DOWNLOAD_MAXSIZE = 10 * 1024 * 1024
DOWNLOAD_WARNSIZE = 2 * 1024 * 1024
DEPTH_LIMIT = 4
URLLENGTH_LIMIT = 2000
RETRY_ENABLED = True
RETRY_TIMES = 2
RETRY_HTTP_CODES = [429, 500, 502, 503, 504, 522, 524, 408]

# Nothing listens that a crawl did not ask for.
TELNETCONSOLE_ENABLED = False
REMOTE_CONTROL_ENABLED = False

FEED_EXPORT_ENCODING = "utf-8"
REQUEST_FINGERPRINTER_IMPLEMENTATION = "2.7"
