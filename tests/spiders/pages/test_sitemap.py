"""parse_sitemap / sitemap_urls_from_robots: urlset, index, gzip, namespaces, broken XML."""

from __future__ import annotations

import gzip

import pytest

from spiders.pages.sitemap import parse_sitemap, sitemap_urls_from_robots

URLSET = b"""<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"
        xmlns:xhtml="http://www.w3.org/1999/xhtml">
  <url><loc>https://www.acme.de/</loc><lastmod>2024-01-01</lastmod></url>
  <url><loc>
     https://www.acme.de/kontakt/
  </loc><xhtml:link rel="alternate" hreflang="en" href="https://www.acme.de/en/contact/"/></url>
  <url><loc>https://www.acme.de/%C3%BCber-uns/</loc></url>
  <url><loc>https://www.acme.de/</loc></url>
  <url><loc>ftp://www.acme.de/file</loc></url>
</urlset>"""
INDEX = b"""<?xml version="1.0" encoding="UTF-8"?>
<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
  <sitemap><loc>https://www.acme.de/sitemap-pages.xml</loc></sitemap>
  <sitemap><loc>/sitemap-news.xml.gz</loc></sitemap>
</sitemapindex>"""
PAGES = [
    "https://www.acme.de/",
    "https://www.acme.de/kontakt/",
    "https://www.acme.de/%C3%BCber-uns/",
]
XXE = b"""<?xml version="1.0"?><!DOCTYPE urlset [<!ENTITY x SYSTEM "file:///etc/passwd">]>
<urlset><url><loc>https://a.de/&x;</loc></url></urlset>"""


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        (URLSET, (PAGES, [])),
        (gzip.compress(URLSET), (PAGES, [])),
        (URLSET.decode(), (PAGES, [])),
        (
            INDEX,
            (
                [],
                [
                    "https://www.acme.de/sitemap-pages.xml",
                    "https://www.acme.de/sitemap-news.xml.gz",
                ],
            ),
        ),
        (
            b"<urlset><url><loc>https://www.acme.de/a</loc></url></urlset>",
            (["https://www.acme.de/a"], []),
        ),
        (
            b"https://www.acme.de/a\nhttps://www.acme.de/b\n",
            (["https://www.acme.de/a", "https://www.acme.de/b"], []),
        ),
        (b"<urlset><url><loc>https://a.de/</loc></url>", ([], [])),  # truncated
        (b"<html><body>Not found</body></html>", ([], [])),
        (b"\x1f\x8b\x08garbage", ([], [])),  # broken gzip
        (XXE, (["https://a.de/"], [])),  # the external entity is left unresolved
        (b"", ([], [])),
        (None, ([], [])),
    ],
)
def test_parse_sitemap(body, expected):
    assert parse_sitemap(body, "https://www.acme.de/sitemap.xml") == expected


def test_robots_sitemaps():
    robots = """# robots.txt for www.acme.de
User-agent: *
Disallow: /intern/
Sitemap: https://www.acme.de/sitemap_index.xml
sitemap: /sitemap-de.xml   # relative, not allowed by the standard but seen in the wild
SITEMAP: https://www.acme.de/sitemap_index.xml
Sitemap: javascript:alert(1)
"""
    assert sitemap_urls_from_robots(robots, "https://www.acme.de/robots.txt") == [
        "https://www.acme.de/sitemap_index.xml",
        "https://www.acme.de/sitemap-de.xml",
    ]
    assert sitemap_urls_from_robots("", "https://www.acme.de/robots.txt") == []
    assert sitemap_urls_from_robots(None, "https://www.acme.de/robots.txt") == []
