"""Sitemaps (https://www.sitemaps.org/protocol.html) and the ``Sitemap:`` lines of robots.txt.

A ``<urlset>`` lists pages, a ``<sitemapindex>`` lists child sitemaps; either may be gzipped
(recognised by its magic bytes, not by the URL, since servers mislabel both ways) and either
may use the sitemaps.org namespace or none.  The protocol also allows a plain-text sitemap,
one URL per line.  XML is parsed by lxml with entity resolution, network access and
huge_tree all off (no XXE, no billion-laughs); the protocol caps a sitemap at 50 MB
uncompressed, which bounds the gzip decompression too.
"""

from __future__ import annotations

import gzip
import io
import zlib
from urllib.parse import urljoin, urlsplit

from lxml import etree
from protego import Protego

__all__ = ["parse_sitemap", "sitemap_urls_from_robots"]

MAX_SIZE = 50 * 1024 * 1024  # sitemaps.org: "no larger than 50MB (52,428,800 bytes)"


def _gunzip(body: bytes) -> bytes | None:
    try:
        with gzip.GzipFile(fileobj=io.BytesIO(body)) as f:
            data = f.read(MAX_SIZE + 1)
    except (OSError, EOFError, zlib.error):
        return None
    return data if len(data) <= MAX_SIZE else None


def _http(base: str, loc: str | None) -> str | None:
    if not loc or not loc.strip():
        return None
    try:
        url = urljoin(base, loc.strip())
    except ValueError:
        return None
    return url if urlsplit(url).scheme in ("http", "https") else None


def _local(tag: object) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _plain_text(data: bytes, url: str) -> list[str]:
    lines = data.decode("utf-8", "replace").split()
    urls = [u for u in (_http(url, line) for line in lines if "://" in line) if u]
    return urls if urls and len(urls) == len(lines) else []


def parse_sitemap(body: bytes | str, url: str) -> tuple[list[str], list[str]]:
    """(page URLs, child sitemap URLs) of one sitemap; ([], []) for anything unreadable."""
    data = body.encode("utf-8") if isinstance(body, str) else body
    if not isinstance(data, bytes) or not isinstance(url, str):
        return [], []
    if data[:2] == b"\x1f\x8b":
        data = _gunzip(data)
        if data is None:
            return [], []
    if len(data) > MAX_SIZE:
        return [], []
    if not data.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"<"):
        return _plain_text(data, url), []
    parser = etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        huge_tree=False,
        load_dtd=False,
        remove_comments=True,
        remove_pis=True,
    )
    try:
        root = etree.fromstring(data, parser)
    except (etree.XMLSyntaxError, ValueError):
        return [], []
    kind = _local(root.tag)
    if kind not in ("urlset", "sitemapindex"):
        return [], []
    entry = "url" if kind == "urlset" else "sitemap"
    found: list[str] = []
    for el in root:
        if _local(el.tag) != entry:
            continue
        loc = next((c.text for c in el if _local(c.tag) == "loc"), None)
        link = _http(url, loc)
        if link and link not in found:
            found.append(link)
    return (found, []) if kind == "urlset" else ([], found)


def sitemap_urls_from_robots(robots_txt: str, url: str) -> list[str]:
    """Absolute URLs of the ``Sitemap:`` lines of a robots.txt (protego parses it)."""
    if not isinstance(robots_txt, str) or not isinstance(url, str):
        return []
    try:
        listed = list(Protego.parse(robots_txt).sitemaps)
    except Exception:  # protego on garbage
        return []
    out: list[str] = []
    for loc in listed:
        link = _http(url, loc)
        if link and link not in out:
            out.append(link)
    return out
