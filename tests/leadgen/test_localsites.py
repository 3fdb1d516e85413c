"""The loopback proxy that serves the fixture sites, and the fixture content's own invariants."""

from __future__ import annotations

import http.client
import json
import os
import re
import socket
import subprocess
import sys
import threading
import time
import tomllib
import urllib.error
import urllib.request
from email.utils import parsedate_to_datetime
from pathlib import Path

import phonenumbers
import pytest

from enrichment import check_inn, check_kpp, check_ogrn, normalize_vat, registrable_domain
from leadgen.localsites import LocalSites, main
from tests.support.sites import fresh_sites, local_sites  # noqa: F401 - fixtures used below

ROUTES = """
[[route]]
path = "/catalog/"
query = "page=3"
file = "catalog/third.html"

[[route]]
path = "/flaky"
retry_after = 1
fail_times = 2

[[route]]
path = "/busy"
status = 429
retry_after = 7

[[route]]
path = "/broken.html"
status = 500

[[route]]
path = "/slow"
delay = 0.4

[[route]]
path = "/loop-a"
redirect = "/loop-b"

[[route]]
path = "/moved"
redirect = "http://shop.example-firma.de/"
status = 301

[[route]]
path = "/alt/*"
content_type = "text/html; charset=windows-1251"

[[route]]
path = "/big.html"
size_mb = 0.5

[[route]]
path = "/calendar/*"
trap = true

[[route]]
path = "/api/items"
json_pages = { file = "items.json", per_page = 2 }

[[route]]
path = "/no-etag.html"
etag = false
"""


def _write(root: Path, rel: str, text: str | bytes) -> None:
    path = root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(text if isinstance(text, bytes) else text.encode())


@pytest.fixture(scope="module")
def sites(tmp_path_factory):
    root = tmp_path_factory.mktemp("sites")
    firma = "example-firma.de"
    _write(root, f"{firma}/index.html", "<h1>Startseite</h1>")
    _write(root, f"{firma}/catalog/index.html", "page one")
    _write(root, f"{firma}/catalog/page-2.html", "page two")
    _write(root, f"{firma}/catalog/third.html", "page three")
    _write(root, f"{firma}/about.html", "about")
    _write(root, f"{firma}/team/index.html", "team")
    _write(root, f"{firma}/flaky.html", "finally")
    _write(root, f"{firma}/robots.txt", "User-agent: *\nDisallow: /intern/\n")
    _write(root, f"{firma}/data.json", '{"a": 1}')
    _write(root, f"{firma}/alt/page.html", "Контакты".encode("cp1251"))
    _write(root, f"{firma}/items.json", json.dumps([{"n": i} for i in range(5)]))
    _write(root, f"{firma}/no-etag.html", "no validators here")
    _write(root, f"{firma}/_routes.toml", ROUTES)
    _write(root, "other-site.ru/index.html", "другой сайт")
    with LocalSites(root) as running:
        yield running


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def fetch(sites, url, *, method="GET", follow=True, timeout=5.0):
    handlers = [urllib.request.ProxyHandler({"http": sites.proxy_url})]
    if not follow:
        handlers.append(_NoRedirect())
    opener = urllib.request.build_opener(*handlers)
    request = urllib.request.Request(url, method=method, headers={"User-Agent": "leadgen-test"})
    try:
        with opener.open(request, timeout=timeout) as resp:
            return resp.status, dict(resp.headers), resp.read()
    except urllib.error.HTTPError as err:
        return err.code, dict(err.headers), err.read()


def test_hosts_are_the_folders_with_a_dot(sites):
    assert sites.hosts == ["example-firma.de", "other-site.ru"]
    assert re.fullmatch(r"http://127\.0\.0\.1:\d+", sites.proxy_url)


def test_dispatch_by_absolute_uri(sites):
    assert fetch(sites, "http://example-firma.de/")[2] == b"<h1>Startseite</h1>"
    assert fetch(sites, "http://other-site.ru/")[2].decode() == "другой сайт"
    status, headers, _ = fetch(sites, "http://example-firma.de/robots.txt")
    assert status == 200 and headers["Content-Type"] == "text/plain; charset=utf-8"


def test_dispatch_by_host_header(sites):
    host, port = sites.proxy_url.rsplit("/", 1)[1].split(":")
    conn = http.client.HTTPConnection(host, int(port), timeout=5)
    conn.request("GET", "/about", headers={"Host": "example-firma.de"})
    resp = conn.getresponse()
    assert (resp.status, resp.read()) == (200, b"about")
    conn.close()


def test_file_mapping_and_types(sites):
    assert fetch(sites, "http://example-firma.de/team/")[2] == b"team"
    assert fetch(sites, "http://example-firma.de/team")[2] == b"team"
    assert fetch(sites, "http://example-firma.de/about.html")[2] == b"about"
    status, headers, body = fetch(sites, "http://example-firma.de/data.json")
    assert headers["Content-Type"] == "application/json" and json.loads(body) == {"a": 1}
    status, headers, _ = fetch(sites, "http://example-firma.de/")
    assert headers["Content-Type"] == "text/html; charset=utf-8"
    assert fetch(sites, "http://example-firma.de/missing.html")[0] == 404
    assert fetch(sites, "http://example-firma.de/_routes.toml")[0] == 404
    assert fetch(sites, "http://example-firma.de/../other-site.ru/index.html")[0] == 404


def test_query_strings(sites):
    assert fetch(sites, "http://example-firma.de/catalog/?page=2")[2] == b"page two"
    assert fetch(sites, "http://example-firma.de/catalog/?page=3")[2] == b"page three"
    assert fetch(sites, "http://example-firma.de/catalog/?page=9")[2] == b"page one"
    assert fetch(sites, "http://example-firma.de/about?utm_source=x")[2] == b"about"


def test_head_has_headers_but_no_body(sites):
    status, headers, body = fetch(sites, "http://example-firma.de/about.html", method="HEAD")
    assert (status, headers["Content-Length"], body) == (200, "5", b"")


def test_www_redirects_to_the_bare_host(sites):
    status, headers, _ = fetch(sites, "http://www.example-firma.de/team/", follow=False)
    assert status == 301 and headers["Location"] == "http://example-firma.de/team/"


def test_unknown_host_and_connect_are_refused(sites):
    assert fetch(sites, "http://www.google.com/")[0] == 502
    host, port = sites.proxy_url.rsplit("/", 1)[1].split(":")
    conn = http.client.HTTPConnection(host, int(port), timeout=5)
    conn.request("CONNECT", "update.googleapis.com:443")
    assert conn.getresponse().status == 403
    conn.close()
    with socket.create_connection((host, int(port)), timeout=5) as raw:
        raw.sendall(b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
        assert raw.recv(100).startswith(b"HTTP/1.1 502")


def test_retry_after_then_served(sites):
    answers = [fetch(sites, "http://example-firma.de/flaky") for _ in range(3)]
    assert [a[0] for a in answers] == [503, 503, 200]
    assert answers[0][1]["Retry-After"] == "1" and answers[2][2] == b"finally"
    status, headers, _ = fetch(sites, "http://example-firma.de/busy")
    assert (status, headers["Retry-After"]) == (429, "7")
    assert fetch(sites, "http://example-firma.de/broken.html")[0] == 500


def test_reset_starts_fail_times_over(tmp_path):
    _write(tmp_path, "a-firma.de/x.html", "x")
    _write(
        tmp_path, "a-firma.de/_routes.toml", '[[route]]\npath="/x.html"\nstatus=503\nfail_times=1'
    )
    with LocalSites(tmp_path) as sites:
        assert [fetch(sites, "http://a-firma.de/x.html")[0] for _ in range(2)] == [503, 200]
        sites.reset()
        assert sites.requests == []
        assert fetch(sites, "http://a-firma.de/x.html")[0] == 503


def test_delay_does_not_block_other_requests(sites):
    started = time.monotonic()
    result = {}
    slow = threading.Thread(
        target=lambda: result.update(s=fetch(sites, "http://example-firma.de/slow"))
    )
    slow.start()
    time.sleep(0.05)
    assert fetch(sites, "http://example-firma.de/about.html")[0] == 200
    assert time.monotonic() - started < 0.3
    slow.join()
    assert time.monotonic() - started >= 0.4
    with pytest.raises(OSError):  # a client with a short timeout gives up
        fetch(sites, "http://example-firma.de/slow", timeout=0.2)


def test_redirects(sites):
    status, headers, _ = fetch(sites, "http://example-firma.de/loop-a", follow=False)
    assert status == 302 and headers["Location"] == "http://example-firma.de/loop-b"
    status, headers, _ = fetch(sites, "http://example-firma.de/moved", follow=False)
    assert status == 301 and headers["Location"] == "http://shop.example-firma.de/"


def test_content_type_override_keeps_the_bytes(sites):
    status, headers, body = fetch(sites, "http://example-firma.de/alt/page.html")
    assert headers["Content-Type"] == "text/html; charset=windows-1251"
    assert body.decode("cp1251") == "Контакты"


def test_oversized_page_is_streamed(sites):
    status, headers, body = fetch(sites, "http://example-firma.de/big.html")
    assert int(headers["Content-Length"]) == len(body) == 512 * 1024
    assert body.startswith(b"<!doctype html>")


def test_trap_generates_endless_calendar(sites):
    body = fetch(sites, "http://example-firma.de/calendar/")[2].decode()
    assert 'href="/calendar/2026-02"' in body and 'href="/calendar/2025-12"' in body
    body = fetch(sites, "http://example-firma.de/calendar/2026-12?sort=a")[2].decode()
    assert 'href="/calendar/2027-01"' in body
    assert 'href="/calendar/2026-12?sort=a&amp;sort=b"' in body or "sort=a&sort=b" in body


def test_json_pages(sites):
    doc = json.loads(fetch(sites, "http://example-firma.de/api/items?page=2")[2])
    assert doc["data"]["items"] == [{"n": 2}, {"n": 3}]
    assert doc["meta"] == {"page": 2, "pages": 3, "per_page": 2, "total": 5}
    assert doc["links"]["next"] == "http://example-firma.de/api/items?page=3"
    last = json.loads(fetch(sites, "http://example-firma.de/api/items?page=3")[2])
    assert last["data"]["items"] == [{"n": 4}] and last["links"]["next"] is None
    first = json.loads(fetch(sites, "http://example-firma.de/api/items")[2])
    assert first["meta"]["page"] == 1


def test_request_log_and_count(sites):
    fetch(sites, "http://other-site.ru/?utm=1")
    fetch(sites, "http://other-site.ru/nothing")
    mine = [r for r in sites.requests if r.host == "other-site.ru"]
    assert (mine[-2].path, mine[-2].status, mine[-2].method) == ("/?utm=1", 200, "GET")
    assert mine[-1].status == 404 and mine[-1].user_agent == "leadgen-test"
    assert sites.count("other-site.ru", "/") >= 1
    assert sites.count("other-site.ru", "/?utm=1") >= 1
    assert sites.count("other-site.ru", "/no*") >= 1
    assert sites.count("other-site.ru") >= sites.count("other-site.ru", "/")


def test_bad_routes_file_is_reported(tmp_path):
    _write(tmp_path, "b-firma.de/_routes.toml", '[[route]]\npath = "/"\nstauts = 500\n')
    with pytest.raises(ValueError, match="stauts"):
        LocalSites(tmp_path)


def test_main_rejects_a_missing_folder(tmp_path, capsys):
    with pytest.raises(SystemExit):
        main([str(tmp_path / "nope")])


# --- HTTP caching: validators and conditional requests --------------------------------------

#: A whole second plus a fraction: If-Modified-Since compares whole seconds, ETag nanoseconds.
MTIME_NS = 1_768_471_200_250_000_000  # 2026-01-15 10:00:00.25 UTC
LAST_MODIFIED = "Thu, 15 Jan 2026 10:00:00 GMT"


def _etag(path: Path) -> str:
    st = path.stat()
    return f'"{st.st_mtime_ns:x}-{st.st_size:x}"'


def raw(sites, url, headers=(), method="GET", conn=None):
    """One request through the proxy with exactly these header lines (repeats allowed)."""
    own = conn is None
    if own:
        host, port = sites.proxy_url.rsplit("/", 1)[1].split(":")
        conn = http.client.HTTPConnection(host, int(port), timeout=5)
    conn.putrequest(method, url, skip_accept_encoding=True)
    for name, value in (("User-Agent", "leadgen-test"), *headers):
        conn.putheader(name, value)
    conn.endheaders()
    resp = conn.getresponse()
    body = resp.read()
    if own:
        conn.close()
    return resp.status, resp.headers, body


@pytest.fixture
def cache_site(tmp_path):
    page = tmp_path / "cache-firma.de" / "page.html"
    _write(tmp_path, "cache-firma.de/page.html", "<h1>Preise 2026</h1>")
    os.utime(page, ns=(MTIME_NS, MTIME_NS))
    with LocalSites(tmp_path) as sites:
        yield sites, page


def test_files_carry_validators_and_no_cache_control(cache_site):
    sites, page = cache_site
    for method in ("GET", "HEAD"):
        status, headers, body = raw(sites, "http://cache-firma.de/page.html", method=method)
        assert status == 200 and body == (b"<h1>Preise 2026</h1>" if method == "GET" else b"")
        assert headers["ETag"] == _etag(page) == f'"{MTIME_NS:x}-14"'
        assert headers["Last-Modified"] == LAST_MODIFIED
        assert headers["Content-Length"] == "20" and "Cache-Control" not in headers
    assert [(r.status, r.conditional) for r in sites.requests] == [(200, False), (200, False)]


def test_only_files_carry_validators(sites):
    """Generated answers and routes with ``etag = false`` carry no validators; file routes do."""
    with_validators = [
        "http://example-firma.de/about.html",
        "http://example-firma.de/catalog/?page=3",  # route `file`
        "http://example-firma.de/alt/page.html",  # route `content_type`
        "http://example-firma.de/catalog/?page=2",  # a file named after the query
        "http://example-firma.de/team",
        "http://example-firma.de/robots.txt",
    ]
    without = [
        "http://example-firma.de/no-etag.html",  # etag = false
        "http://example-firma.de/missing.html",  # 404
        "http://example-firma.de/broken.html",  # 500
        "http://example-firma.de/busy",  # 429
        "http://example-firma.de/loop-a",  # redirect
        "http://www.example-firma.de/",  # www redirect
        "http://example-firma.de/calendar/2026-03",  # trap
        "http://example-firma.de/api/items?page=1",  # json_pages
        "http://example-firma.de/big.html",  # size_mb
        "http://unknown-host.de/",  # 502
    ]
    for url in with_validators:
        headers = raw(sites, url)[1]
        assert re.fullmatch(r'"[0-9a-f]+-[0-9a-f]+"', headers["ETag"] or ""), url
        assert parsedate_to_datetime(headers["Last-Modified"]), url
    for url in without:
        status, headers, _ = raw(sites, url, [("If-None-Match", "*")])
        assert "ETag" not in headers and "Last-Modified" not in headers, url
        assert status != 304, url
    assert raw(sites, "http://example-firma.de/no-etag.html")[2] == b"no validators here"


ETAG = f'"{MTIME_NS:x}-14"'
#: (request header lines, status of a GET): RFC 9110 sections 13.1.2, 13.1.3 and 13.2.2.
CONDITIONAL_CASES = [
    ([("If-None-Match", ETAG)], 304),
    ([("If-None-Match", f"W/{ETAG}")], 304),  # weak comparison for GET/HEAD
    ([("If-None-Match", f'"0-14", {ETAG}')], 304),  # a list
    ([("If-None-Match", '"0-14"'), ("If-None-Match", ETAG)], 304),  # over two field lines
    ([("If-None-Match", f'W/"x",W/{ETAG},"y"')], 304),
    ([("If-None-Match", "*")], 304),
    ([("If-None-Match", '"0-14"')], 200),
    ([("If-None-Match", ETAG.upper())], 200),  # tags compare case-sensitively
    ([("If-None-Match", ETAG.strip('"'))], 200),  # not an entity tag: ignored
    ([("If-None-Match", "")], 200),
    ([("If-Modified-Since", LAST_MODIFIED)], 304),
    ([("If-Modified-Since", "Thu, 15 Jan 2026 10:00:01 GMT")], 304),
    ([("If-Modified-Since", "Mon, 01 Jun 2026 00:00:00 GMT")], 304),
    ([("If-Modified-Since", "Thursday, 15-Jan-26 10:00:00 GMT")], 304),  # RFC 850 form
    ([("If-Modified-Since", "Thu Jan 15 10:00:00 2026")], 304),  # asctime form
    ([("If-Modified-Since", "Thu Jan  1 10:00:00 2026")], 200),  # asctime, earlier
    ([("If-Modified-Since", "Thu, 15 Jan 2026 09:59:59 GMT")], 200),  # one second earlier
    ([("If-Modified-Since", "Sat, 01 Jan 2000 00:00:00 GMT")], 200),
    ([("If-Modified-Since", "Sat, 01 Jan 2100 00:00:00 GMT")], 200),  # in the future: ignored
    ([("If-Modified-Since", "yesterday")], 200),  # not an HTTP-date: ignored
    ([("If-Modified-Since", "")], 200),
    ([("If-Modified-Since", "Thu, 31 Feb 2026 10:00:00 GMT")], 200),  # no such day
    ([("If-Modified-Since", "Thu, 15 Jan 2026 10:00:00 +0000")], 200),  # not GMT: not HTTP
    ([("If-Modified-Since", "2026-06-01T00:00:00Z")], 200),
    ([("If-Modified-Since", LAST_MODIFIED), ("If-Modified-Since", LAST_MODIFIED)], 200),
    # If-None-Match decides whenever it is present, If-Modified-Since is then ignored
    ([("If-None-Match", '"0-14"'), ("If-Modified-Since", LAST_MODIFIED)], 200),
    ([("If-None-Match", ETAG), ("If-Modified-Since", "Sat, 01 Jan 2000 00:00:00 GMT")], 304),
    ([("If-None-Match", "garbage"), ("If-Modified-Since", LAST_MODIFIED)], 200),
]


@pytest.mark.parametrize(("headers", "expected"), CONDITIONAL_CASES)
def test_conditional_get_and_head(cache_site, headers, expected):
    sites, page = cache_site
    for method in ("GET", "HEAD"):
        status, answer, body = raw(sites, "http://cache-firma.de/page.html", headers, method)
        assert status == expected, (method, headers)
        assert answer["ETag"] == ETAG and answer["Last-Modified"] == LAST_MODIFIED
        assert answer["Date"] and "Cache-Control" not in answer
        if expected == 304:
            assert body == b"" and "Content-Length" not in answer
        else:
            assert body == (b"<h1>Preise 2026</h1>" if method == "GET" else b"")
    assert [(r.method, r.status, r.conditional) for r in sites.requests] == [
        ("GET", expected, True),
        ("HEAD", expected, True),
    ]


def test_conditional_post_fails_the_precondition_only_on_a_match(cache_site):
    sites, _ = cache_site
    url = "http://cache-firma.de/page.html"
    assert raw(sites, url, [("If-None-Match", ETAG)], "POST")[0] == 412
    assert raw(sites, url, [("If-None-Match", '"0-14"')], "POST")[0] == 200
    assert raw(sites, url, [("If-Modified-Since", LAST_MODIFIED)], "POST")[0] == 200  # GET only


def test_304_keeps_the_connection_usable(cache_site):
    sites, _ = cache_site
    host, port = sites.proxy_url.rsplit("/", 1)[1].split(":")
    conn = http.client.HTTPConnection(host, int(port), timeout=5)
    url = "http://cache-firma.de/page.html"
    assert raw(sites, url, [("If-None-Match", ETAG)], conn=conn)[0] == 304
    assert raw(sites, url, conn=conn)[:3:2] == (200, b"<h1>Preise 2026</h1>")
    assert raw(sites, url, [("If-Modified-Since", LAST_MODIFIED)], "HEAD", conn=conn)[0] == 304
    conn.close()


def test_a_changed_file_is_served_again(cache_site):
    sites, page = cache_site
    url = "http://cache-firma.de/page.html"
    by_tag, by_date = [("If-None-Match", ETAG)], [("If-Modified-Since", LAST_MODIFIED)]
    # same size, touched within the same second: a new ETag, the same Last-Modified
    os.utime(page, ns=(MTIME_NS + 1000, MTIME_NS + 1000))
    assert raw(sites, url, by_tag)[0] == 200 and raw(sites, url, by_date)[0] == 304
    # the same mtime to the nanosecond but another size: a new ETag
    page.write_text("<h1>Preise 2026/27</h1>")
    os.utime(page, ns=(MTIME_NS, MTIME_NS))
    assert raw(sites, url, by_tag)[0] == 200
    # rewritten a minute later: both validators are stale, the new ones validate
    os.utime(page, ns=(MTIME_NS + 60 * 10**9,) * 2)
    status, headers, body = raw(sites, url, by_tag + by_date)
    assert (status, body) == (200, b"<h1>Preise 2026/27</h1>")
    assert raw(sites, url, by_date)[0] == 200
    assert headers["Last-Modified"] == "Thu, 15 Jan 2026 10:01:00 GMT"
    assert raw(sites, url, [("If-None-Match", headers["ETag"])])[0] == 304
    assert raw(sites, url, [("If-Modified-Since", headers["Last-Modified"])])[0] == 304


def test_request_log_counts_revalidations(cache_site):
    sites, _ = cache_site
    url = "http://cache-firma.de/page.html"
    raw(sites, url)
    raw(sites, url, [("If-None-Match", ETAG)])
    raw(sites, url, [("If-None-Match", '"0-1"')])
    raw(sites, url, [("If-Modified-Since", LAST_MODIFIED)])
    raw(sites, "http://cache-firma.de/gone.html", [("If-Modified-Since", LAST_MODIFIED)])
    assert [(r.status, r.conditional) for r in sites.requests] == [
        (200, False),
        (304, True),
        (200, True),
        (304, True),
        (404, True),
    ]
    assert sites.count("cache-firma.de", status=304) == 2
    assert sites.count("cache-firma.de", "/page.html", conditional=True) == 3
    assert sites.count("cache-firma.de", "/page.html", status=200, conditional=False) == 1
    assert sites.count("cache-firma.de", conditional=True, status=404) == 1


#: A tiny spider run in a subprocess (a Twisted reactor starts once per process): it fetches
#: the given URLs through the proxy with Scrapy's HTTP cache (RFC 2616 policy) and prints what
#: it got as JSON: per URL the status, flags and body, plus the crawl's httpcache/* stats.
CACHED_CRAWL = r"""
import json, sys
import scrapy
from scrapy.crawler import CrawlerProcess

proxy, cache_dir, max_age_0, *urls = sys.argv[1:]
got = {}


class Pages(scrapy.Spider):
    name = "pages"

    async def start(self):
        for url in urls:
            yield scrapy.Request(url, meta={"proxy": proxy}, dont_filter=True)

    def parse(self, response):
        got[response.url] = [response.status, response.flags, response.text]


settings = {
    "HTTPCACHE_ENABLED": True,
    "HTTPCACHE_POLICY": "scrapy.extensions.httpcache.RFC2616Policy",
    "HTTPCACHE_DIR": cache_dir,
    "ROBOTSTXT_OBEY": False,
    "RETRY_ENABLED": False,
    "DOWNLOAD_TIMEOUT": 5,
    "LOG_LEVEL": "ERROR",
    "TELNETCONSOLE_ENABLED": False,
}
if max_age_0 == "1":
    settings["DEFAULT_REQUEST_HEADERS"] = {"Cache-Control": "max-age=0"}
process = CrawlerProcess(settings)
crawler = process.create_crawler(Pages)
process.crawl(crawler)
process.start()
stats = {k: v for k, v in crawler.stats.get_stats().items() if k.startswith("httpcache/")}
print(json.dumps({"pages": got, "stats": stats}))
"""


def test_scrapy_http_cache_revalidates_with_304s(tmp_path):
    """Twice the same crawl with the RFC 2616 cache policy: unchanged pages cost a 304 each."""
    root, cache = tmp_path / "sites", tmp_path / "cache"
    _write(root, "cache-firma.de/index.html", "<h1>Start</h1>")
    _write(root, "cache-firma.de/team/index.html", "<h1>Team</h1>")
    _write(root, "cache-firma.de/preise.html", "<h1>Preise 2026</h1>")
    _write(root, "cache-firma.de/_routes.toml", '[[route]]\npath = "/calendar/*"\ntrap = true\n')
    day_ago = time.time() - 86400
    for page in (root / "cache-firma.de").rglob("*.html"):
        os.utime(page, (day_ago, day_ago))
    urls = [f"http://cache-firma.de{p}" for p in ("/", "/team/", "/preise.html", "/calendar/")]

    def crawl(sites, max_age_0):
        done = subprocess.run(
            [sys.executable, "-c", CACHED_CRAWL, sites.proxy_url, str(cache), max_age_0, *urls],
            capture_output=True,
            text=True,
            timeout=60,
            env={
                **os.environ,
                "no_proxy": "127.0.0.1,localhost",
                "NO_PROXY": "127.0.0.1,localhost",
            },
        )
        assert done.returncode == 0, done.stderr[-3000:]
        return json.loads(done.stdout)

    def log():
        return {(r.path, r.status, r.conditional) for r in sites.requests}

    with LocalSites(root) as sites:
        first = crawl(sites, "0")
        assert log() == {(p, 200, False) for p in ("/", "/team/", "/preise.html", "/calendar/")}
        assert all(flags == [] for _, flags, _ in first["pages"].values())
        assert first["stats"]["httpcache/store"] == 3  # the trap page has no validators

        preise = root / "cache-firma.de" / "preise.html"
        preise.write_text("<h1>Preise 2027</h1>")  # one page changed since
        os.utime(preise, (day_ago + 60, day_ago + 60))
        sites.reset()
        second = crawl(sites, "1")  # Cache-Control: max-age=0: revalidate every cached page
        assert log() == {
            ("/", 304, True),
            ("/team/", 304, True),
            ("/preise.html", 200, True),
            ("/calendar/", 200, False),
        }
        pages = second["pages"]
        assert pages["http://cache-firma.de/"][::2] == [200, "<h1>Start</h1>"]
        assert "cached" in pages["http://cache-firma.de/"][1]
        assert "cached" in pages["http://cache-firma.de/team/"][1]
        assert pages["http://cache-firma.de/preise.html"] == [200, [], "<h1>Preise 2027</h1>"]
        assert "cached" not in pages["http://cache-firma.de/calendar/"][1]
        assert second["stats"]["httpcache/revalidate"] == 2
        assert second["stats"]["httpcache/invalidate"] == 1

        sites.reset()
        third = crawl(sites, "0")  # no Cache-Control: fresh by the Last-Modified heuristic
        assert log() == {("/calendar/", 200, False)}
        assert third["pages"]["http://cache-firma.de/preise.html"][2] == "<h1>Preise 2027</h1>"
        assert all("cached" in v[1] for u, v in third["pages"].items() if "calendar" not in u)


# --- the fixture content itself --------------------------------------------------------------

ROOT = Path(__file__).resolve().parent.parent
FIXTURE_ROOTS = [ROOT / "fixtures" / "sites", ROOT.parent / "examples" / "sample-sites"]


@pytest.mark.parametrize("root", FIXTURE_ROOTS, ids=["tests", "examples"])
def test_fixture_routes_load_and_name_existing_files(root):
    sites = LocalSites(root)
    assert len(sites.hosts) >= 5
    for host, routes in sites.routes.items():
        for route in routes:
            if route.file:
                assert (root / host / route.file).is_file(), (host, route.file)
            if route.json_pages:
                assert (root / host / route.json_pages["file"]).is_file(), host


def _texts(root: Path):
    for path in sorted(root.rglob("*.html")):
        raw = path.read_bytes()
        yield path, raw.decode("cp1251" if b"windows-1251" in raw[:400] else "utf-8")


@pytest.mark.parametrize("root", FIXTURE_ROOTS, ids=["tests", "examples"])
def test_fixture_numbers_are_valid(root):
    """Every phone link dials a valid number; every ИНН/ОГРН/КПП/VAT passes its check."""
    for path, text in _texts(root):
        for tel in re.findall(r'href="tel:([^"]+)"', text):
            number = phonenumbers.parse(tel.split(";")[0])
            assert phonenumbers.is_valid_number(number), (path.name, tel)
        text = re.sub(r"<[^>]+>", " ", text)
        for inn in re.findall(r"ИНН[:\s]*(\d+)", text):
            assert check_inn(inn) == inn, (path.name, inn)
        for ogrn in re.findall(r"ОГРН[:\s]*(\d+)", text):
            assert check_ogrn(ogrn) == ogrn, (path.name, ogrn)
        for kpp in re.findall(r"КПП[:\s]*(\d+)", text):
            assert check_kpp(kpp) == kpp, (path.name, kpp)
        for vat in re.findall(r"(?:USt-IdNr\.?|VAT (?:No|number)\.?):?\s*((?:DE|GB)[\d ]+)", text):
            assert normalize_vat(vat), (path.name, vat)


def test_cloudflare_emails_decode_to_the_site_domain():
    for path, text in _texts(FIXTURE_ROOTS[0]):
        for hexed in re.findall(r'data-cfemail="([0-9a-f]+)"', text):
            key = int(hexed[:2], 16)
            email = "".join(chr(int(hexed[i : i + 2], 16) ^ key) for i in range(2, len(hexed), 2))
            host = path.relative_to(FIXTURE_ROOTS[0]).parts[0]
            assert email.endswith("@" + host), (path.name, email)


def test_expected_results_name_served_domains():
    root = FIXTURE_ROOTS[0]
    expected = json.loads((root / "expected.json").read_text(encoding="utf-8"))
    hosts = set(LocalSites(root).hosts)
    domains = [c["domain"] for c in expected["company_sites"]]
    assert len(domains) >= 6 and set(domains) <= hosts
    lines = (root / "domains.txt").read_text(encoding="utf-8").splitlines()
    listed = {registrable_domain(line) for line in lines if line and not line.startswith("#")}
    assert set(domains) <= listed and None in listed  # plus one bad line to be reported
    for company in expected["company_sites"]:
        for email in company["emails"] + [e for p in company["people"] for e in p["emails"]]:
            assert registrable_domain(email.split("@")[1]) == company["domain"], email
        for phone in company["phones"]:
            assert phonenumbers.is_valid_number(phonenumbers.parse(phone.split(";")[0]))
    for source in sorted((root / "sources").glob("*.toml")):
        config = tomllib.loads(source.read_text(encoding="utf-8"))
        assert config["spider"] in ("directory", "exhibitors"), source.name


def test_fixture_sites_behave_as_their_readme_says(fresh_sites):  # noqa: F811
    def get(url):
        return fetch(fresh_sites, url, follow=False)

    assert "Агромаш" in get("http://biz-katalog.ru/catalog/?page=2")[2].decode()
    assert "ВекторПласт" in get("http://biz-katalog.ru/catalog/?page=3")[2].decode()
    assert get("http://biz-katalog.ru/firm/uralhimsnab.html")[0] == 500
    assert get("http://biz-katalog.ru/firm/trans-logistik.html")[0] == 404
    assert "Disallow: /private/" in get("http://biz-katalog.ru/robots.txt")[2].decode()
    assert "Lindqvist" in get("http://expo-messe.de/aussteller/?page=2")[2].decode()
    api = json.loads(get("http://expo-messe.de/api/exhibitors?page=1")[2])
    assert api["meta"] == {"page": 1, "pages": 3, "per_page": 4, "total": 10}
    status, headers, body = get("http://teploenergo-spb.ru/team.html")
    assert headers["Content-Type"].endswith("windows-1251") and "Смирнов".encode("cp1251") in body
    assert [get("http://stroymontazh-kzn.ru/rukovodstvo/")[0] for _ in range(3)] == [503, 503, 200]
    assert get("http://teploenergo-spb.ru/arhiv/")[1]["Location"].endswith("/news/archive/")
    assert "/komanda/" in get("http://agromash-volga.ru/sitemap.xml")[2].decode()
    assert "/komanda/" not in get("http://agromash-volga.ru/")[2].decode()
    assert "Next month" in get("http://northgate-robotics.co.uk/calendar/2026-05")[2].decode()
    assert fresh_sites.count("stroymontazh-kzn.ru", "/rukovodstvo/") == 3
