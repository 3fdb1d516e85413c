"""Local sample websites behind a loopback forward proxy, for tests and ``make demo``.

Crawls must never leave the machine, yet what a crawl depends on is the *host*: the registrable
domain of a company website, emails on its own domain, one robots.txt per site.  So this server
is a plain HTTP forward proxy that knows a fixed set of made-up hosts and serves each from a
folder: ``ROOT/biz-katalog.ru/catalog/index.html`` answers ``GET http://biz-katalog.ru/catalog/``.
Scrapy reaches it through ``http_proxy`` or ``meta["proxy"]``, Chromium through its ``proxy``
launch option.  Unknown hosts get 502 and CONNECT gets 403: nothing is ever forwarded.

Mapping a path to a file: ``/`` -> ``index.html``; ``/a/b/`` -> ``a/b/index.html``; ``/a/b`` ->
``a/b``, ``a/b.html`` or ``a/b/index.html``.  A one-parameter query first looks for a file named
after it (``/catalog/?page=2`` -> ``catalog/page-2.html``), else the query is ignored.  Paths with
a segment starting with ``_`` or ``.`` are never served.  ``www.<host>`` answers 301 to ``<host>``.

Behaviours come from an optional ``ROOT/<host>/_routes.toml``; the first matching route wins::

    [[route]]
    path = "/team/"              # exact path, or a prefix when it ends with "*"
    query = "page=2"             # optional: these parameters must be in the request's query
    status = 503                 # answer with this status (an error page body) ...
    retry_after = 1              # ... plus a Retry-After header (status defaults to 503) ...
    fail_times = 2               # ... for the first N matching requests only, then serve normally
    delay = 30                   # seconds before answering (other requests are not held up)
    redirect = "/loop-b"         # Location; status 302 unless `status` says 301/307/308
    content_type = "text/html; charset=windows-1251"
    file = "catalog/page-2.html" # serve this file (relative to the host folder) instead
    size_mb = 15                 # a generated HTML page of this size, streamed
    trap = true                  # endless generated calendar pages (see _trap_page)
    json_pages = { file = "api/exhibitors.json", per_page = 4, param = "page" }
    etag = false                 # no validators (ETag, Last-Modified) and no 304s on this route

``json_pages`` serves a JSON list from ``file`` as a paginated API: page N of the list as
``{"data": {"items": [...]}, "meta": {"page", "pages", "per_page", "total"}, "links":
{"self", "next"}}`` (``next`` is null on the last page; a page past the end has no items).

HTTP caching, as a plain static web server (nginx, Apache) does it: a page served from a file
carries ``Last-Modified`` (the file's mtime) and a strong ``ETag`` built like nginx's
(``"<mtime hex>-<size hex>"``, the mtime in nanoseconds here, so any rewrite changes it), and no
``Cache-Control`` (clients fall back on heuristics and revalidation, as on most sites).  A GET or
HEAD carrying ``If-None-Match`` (a list of tags or ``*``, weak comparison) gets ``304 Not
Modified`` when a tag matches; ``If-Modified-Since`` is only looked at without ``If-None-Match``,
compared at one-second precision, and ignored when it is not a valid HTTP-date or lies in the
future.  A 304 has no body but the ``ETag``, ``Last-Modified`` and ``Date`` a 200 would have; a
POST whose ``If-None-Match`` matches gets ``412 Precondition Failed``.  Generated answers (error
statuses, redirects, ``trap``, ``size_mb``, ``json_pages``, 404s) carry no validators and are
never 304; a route serving a file (``file``, ``content_type``, ``delay``, ``fail_times`` once
served) keeps them unless it says ``etag = false``.  Each request is logged in
``LocalSites.requests`` as a :class:`Request` with its ``status`` and whether it was
``conditional``, so tests can count revalidations (``sites.count(host, status=304)``).

Run it by hand with ``python -m leadgen.localsites examples/sample-sites``; with ``--mail`` the
hosts' mail is served too (DNS and SMTP on loopback, from their ``_mail.toml``: see
``leadgen.localmail``) and the DNS server's ``HOST:PORT`` and the SMTP port are printed.
"""

from __future__ import annotations

import argparse
import email.utils
import json
import mimetypes
import os
import re
import sys
import threading
import time
import tomllib
from dataclasses import dataclass, field
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, NamedTuple
from urllib.parse import parse_qsl, unquote, urlencode, urlsplit

__all__ = ["LocalSites", "Request", "Route", "main"]

_TYPES = {
    ".html": "text/html; charset=utf-8", ".htm": "text/html; charset=utf-8",
    ".json": "application/json", ".xml": "application/xml", ".txt": "text/plain; charset=utf-8",
    ".js": "text/javascript; charset=utf-8", ".css": "text/css; charset=utf-8",
    ".svg": "image/svg+xml", ".png": "image/png", ".jpg": "image/jpeg", ".ico": "image/x-icon",
}  # fmt: skip
_REASONS = {
    304: "Not Modified",
    404: "Not Found",
    412: "Precondition Failed",
    429: "Too Many Requests",
    500: "Internal Server Error",
    502: "Bad Gateway",
    503: "Service Unavailable",
}


class Request(NamedTuple):
    """One answered request, as the crawl under test made it."""

    host: str
    path: str  # path with query, as requested
    status: int
    method: str
    user_agent: str
    time: float
    conditional: bool = False  # the request carried If-None-Match or If-Modified-Since


@dataclass
class Route:
    """One ``[[route]]`` of a host's ``_routes.toml`` (see the module docstring)."""

    path: str
    query: dict[str, str] = field(default_factory=dict)
    status: int | None = None
    retry_after: float | None = None
    fail_times: int | None = None
    delay: float = 0.0
    redirect: str | None = None
    content_type: str | None = None
    file: str | None = None
    size_mb: float | None = None
    trap: bool = False
    json_pages: dict[str, Any] | None = None
    etag: bool = True
    hits: int = 0

    @classmethod
    def from_toml(cls, raw: dict[str, Any]) -> Route:
        raw = dict(raw)
        raw["query"] = dict(parse_qsl(raw.get("query", ""), keep_blank_values=True))
        unknown = set(raw) - set(cls.__dataclass_fields__) - {"hits"}
        if unknown or "path" not in raw:
            raise ValueError(f"bad route {raw!r}: unknown keys {sorted(unknown)} or no path")
        return cls(**raw)

    def matches(self, path: str, query: dict[str, str]) -> bool:
        hit = path.startswith(self.path[:-1]) if self.path.endswith("*") else path == self.path
        return hit and all(query.get(k) == v for k, v in self.query.items())

    def failing(self) -> bool:
        """Count a hit; True while this request should get the route's error status."""
        self.hits += 1
        if self.redirect or (self.status is None and self.retry_after is None):
            return False
        return self.fail_times is None or self.hits <= self.fail_times


def _load_routes(folder: Path) -> list[Route]:
    file = folder / "_routes.toml"
    if not file.is_file():
        return []
    with file.open("rb") as fh:
        return [Route.from_toml(r) for r in tomllib.load(fh).get("route", [])]


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False

    def handle_error(self, request: object, client_address: object) -> None:
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)  # a client hanging up is routine


class LocalSites:
    """The fixture sites under ``root`` (one folder per host), served through a loopback proxy."""

    def __init__(self, root: Path, *, host: str = "127.0.0.1", port: int = 0):
        self.root = Path(root)
        self.hosts: list[str] = sorted(
            p.name
            for p in self.root.iterdir()
            if p.is_dir() and "." in p.name and not p.name.startswith((".", "_"))
        )
        self.routes = {h: _load_routes(self.root / h) for h in self.hosts}
        self.requests: list[Request] = []
        self._lock = threading.Lock()
        self._stopping = threading.Event()
        self._address = (host, port)
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    @property
    def proxy_url(self) -> str:
        if self._server is None:
            raise RuntimeError("LocalSites is not started")
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    def start(self) -> LocalSites:
        handler = type("Handler", (_Handler,), {"sites": self})
        self._server = _Server(self._address, handler)
        self._stopping.clear()
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._server is None:
            return
        self._stopping.set()  # wakes handlers sleeping on a `delay`
        self._server.shutdown()
        self._server.server_close()
        self._server = None

    def __enter__(self) -> LocalSites:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def reset(self) -> None:
        """Forget the request log and the routes' hit counters (``fail_times`` starts over)."""
        with self._lock:
            self.requests.clear()
            for routes in self.routes.values():
                for route in routes:
                    route.hits = 0

    def count(
        self,
        host: str,
        path: str | None = None,
        *,
        status: int | None = None,
        conditional: bool | None = None,
    ) -> int:
        """Requests made to ``host``; to ``path`` too when given.

        ``path`` with a ``?`` is compared with the full requested path; without one, with the
        path part only (all queries of it); a trailing ``*`` makes it a prefix.  ``status`` and
        ``conditional`` keep only the requests answered with that status / (not) conditional.
        """
        with self._lock:
            log = [
                r
                for r in self.requests
                if r.host == host
                and (status is None or r.status == status)
                and (conditional is None or r.conditional == conditional)
            ]
        if path is None:
            return len(log)

        def seen(r: Request) -> str:
            return r.path if "?" in path else r.path.split("?", 1)[0]

        if path.endswith("*"):
            return sum(seen(r).startswith(path[:-1]) for r in log)
        return sum(seen(r) == path for r in log)

    def _log(self, entry: Request) -> None:
        with self._lock:
            self.requests.append(entry)

    def _route(self, host: str, path: str, query: dict[str, str]) -> Route | None:
        with self._lock:
            for route in self.routes.get(host, []):
                if route.matches(path, query):
                    return route
        return None

    def _claim(self, route: Route) -> bool:
        with self._lock:
            return route.failing()

    def resolve(self, host: str, path: str, query: str) -> Path | None:
        """The file serving ``path`` (and ``query``) of ``host``, or None."""
        base = (self.root / host).resolve()
        rel = unquote(path).lstrip("/")
        if any(part.startswith(("_", ".")) or part == ".." for part in rel.split("/") if part):
            return None
        params = parse_qsl(query, keep_blank_values=True)
        candidates = []
        if len(params) == 1:
            named = f"{params[0][0]}-{params[0][1]}.html"
            candidates.append(f"{rel}{named}" if not rel or rel.endswith("/") else f"{rel}/{named}")
        if not rel or rel.endswith("/"):
            candidates.append(f"{rel}index.html")
        else:
            candidates += [rel, f"{rel}.html", f"{rel}/index.html"]
        for name in candidates:
            file = (base / name).resolve()
            if file.is_file() and file.is_relative_to(base):
                return file
        return None


class _Handler(BaseHTTPRequestHandler):
    sites: LocalSites
    protocol_version = "HTTP/1.1"
    server_version = "leadgen-localsites/1"

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - stdlib signature
        pass  # the request log is LocalSites.requests

    def do_CONNECT(self) -> None:  # noqa: N802
        body = b"CONNECT is not supported: the fixture sites are plain HTTP\n"
        host = self.path.rsplit(":", 1)[0].lower()
        self._answer(host, self.path, 403, body, "text/plain; charset=utf-8", close=True)

    def do_HEAD(self) -> None:  # noqa: N802
        self._serve()

    def do_GET(self) -> None:  # noqa: N802
        self._serve()

    def do_POST(self) -> None:  # noqa: N802
        self._serve()

    def _serve(self) -> None:
        url = urlsplit(self.path)
        host = (url.hostname or (self.headers.get("Host") or "").rsplit(":", 1)[0]).lower()
        target = (url.path or "/") + (f"?{url.query}" if url.query else "")
        if host.startswith("www.") and host[4:] in self.sites.hosts:
            return self._answer(
                host,
                target,
                301,
                b"",
                "text/plain",
                headers={"Location": f"http://{host[4:]}{target}"},
            )
        if host not in self.sites.hosts:
            return self._answer(
                host,
                target,
                502,
                b"unknown host: this proxy only serves the local fixture sites\n",
                "text/plain; charset=utf-8",
                close=True,
            )
        query = dict(parse_qsl(url.query, keep_blank_values=True))
        route = self.sites._route(host, url.path or "/", query)
        if route is not None:
            return self._routed(host, target, route, url.path or "/", url.query)
        self._file(host, target, self.sites.resolve(host, url.path or "/", url.query))

    def _routed(self, host: str, target: str, route: Route, path: str, query: str) -> None:
        if route.delay and self.sites._stopping.wait(route.delay):
            return  # the server is stopping: drop the connection
        if self.sites._claim(route):
            status = route.status or 503
            headers = {"Retry-After": f"{route.retry_after:g}"} if route.retry_after else {}
            return self._answer(host, target, status, _error_page(status), headers=headers)
        if route.redirect:
            location = route.redirect
            if location.startswith("/"):
                location = f"http://{host}{location}"
            status = route.status if route.status in (301, 302, 303, 307, 308) else 302
            return self._answer(
                host, target, status, b"", "text/plain", headers={"Location": location}
            )
        if route.trap:
            return self._answer(host, target, 200, _trap_page(path, query))
        if route.size_mb:
            return self._oversized(host, target, int(route.size_mb * 1024 * 1024))
        if route.json_pages:
            body = _json_page(self.sites.root / host, host, path, query, route.json_pages)
            return self._answer(
                host,
                target,
                200 if body else 404,
                body or _error_page(404),
                "application/json" if body else None,
            )
        file = self.sites.resolve(host, route.file, "") if route.file else None
        if file is None and not route.file:
            file = self.sites.resolve(host, path, query)
        self._file(host, target, file, route.content_type, validators=route.etag)

    def _file(
        self,
        host: str,
        target: str,
        file: Path | None,
        ctype: str | None = None,
        *,
        validators: bool = True,
    ) -> None:
        if file is None:
            return self._answer(host, target, 404, _error_page(404))
        guessed = _TYPES.get(file.suffix.lower()) or mimetypes.guess_type(file.name)[0]
        ctype = ctype or guessed or "application/octet-stream"
        if not validators:
            return self._answer(host, target, 200, file.read_bytes(), ctype)
        with file.open("rb") as fh:  # the validators and the bytes of one and the same file
            stat = os.fstat(fh.fileno())
            body = fh.read()
        etag = f'"{stat.st_mtime_ns:x}-{stat.st_size:x}"'
        modified = stat.st_mtime_ns // 10**9  # HTTP dates have whole seconds
        headers = {"ETag": etag, "Last-Modified": email.utils.formatdate(modified, usegmt=True)}
        verdict = _precondition(
            self.command,
            self.headers.get_all("If-None-Match") or [],
            self.headers.get_all("If-Modified-Since") or [],
            etag,
            modified,
        )
        if verdict == 304:
            return self._start(host, target, 304, None, None, headers)
        if verdict == 412:
            return self._answer(host, target, 412, _error_page(412))
        self._answer(host, target, 200, body, ctype, headers=headers)

    def _oversized(self, host: str, target: str, size: int) -> None:
        head = b"<!doctype html><html><head><title>Katalog</title></head><body>\n"
        filler = b"<p>" + b"Lorem ipsum dolor sit amet, consectetur adipiscing elit. " * 17
        filler += b"</p>\n"
        self._start(host, target, 200, "text/html; charset=utf-8", size)
        if self.command == "HEAD":
            return
        try:
            self.wfile.write(head)
            sent = len(head)
            while sent < size:
                chunk = filler[: size - sent]
                self.wfile.write(chunk)
                sent += len(chunk)
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True  # the client gave up on the size: expected

    def _start(
        self,
        host: str,
        target: str,
        status: int,
        ctype: str | None,
        length: int | None,
        headers: dict[str, str] | None = None,
        close: bool = False,
    ) -> None:
        """Log the request and send the status line and headers (a 304 has no type or length)."""
        conditional = "If-None-Match" in self.headers or "If-Modified-Since" in self.headers
        self.sites._log(
            Request(
                host,
                target,
                status,
                self.command,
                self.headers.get("User-Agent", ""),
                time.time(),
                conditional,
            )
        )
        self.send_response(status, _REASONS.get(status))
        if ctype is not None:
            self.send_header("Content-Type", ctype)
        if length is not None:
            self.send_header("Content-Length", str(length))
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        if close:
            self.send_header("Connection", "close")
            self.close_connection = True
        self.end_headers()

    def _answer(
        self,
        host: str,
        target: str,
        status: int,
        body: bytes,
        ctype: str | None = None,
        headers: dict[str, str] | None = None,
        close: bool = False,
    ) -> None:
        self._start(
            host, target, status, ctype or "text/html; charset=utf-8", len(body), headers, close
        )
        if self.command != "HEAD" and body:
            try:
                self.wfile.write(body)
            except (BrokenPipeError, ConnectionResetError):
                self.close_connection = True


_ETAG = re.compile(r'\s*(W/)?"([^"]*)"\s*(?:,|$)')
_MONTHS = {m: i for i, m in enumerate("Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec".split(), 1)}
_DAY, _WEEKDAY = r"(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun)", r"(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day"
_MON = "(" + "|".join(_MONTHS) + ")"
_TIME = r"(\d\d):(\d\d):(\d\d)"
_HTTP_DATES = (  # RFC 9110 section 5.6.7: IMF-fixdate, then the obsolete RFC 850 and asctime forms
    (re.compile(rf"{_DAY}, (\d\d) {_MON} (\d{{4}}) {_TIME} GMT"), (0, 1, 2, 3, 4, 5)),
    (re.compile(rf"{_WEEKDAY}, (\d\d)-{_MON}-(\d\d) {_TIME} GMT"), (0, 1, 2, 3, 4, 5)),
    (re.compile(rf"{_DAY} {_MON} ([ \d]\d) {_TIME} (\d{{4}})"), (1, 0, 5, 2, 3, 4)),
)


def _entity_tags(values: list[str]) -> list[str] | None:
    """The opaque tags of ``If-None-Match`` field lines (weak prefix dropped), ["*"] for any.

    None when a line is not a list of entity tags: such a header is ignored.
    """
    tags: list[str] = []
    for value in values:
        if value.strip() == "*":
            return ["*"]
        pos, value = 0, value.strip()
        while pos < len(value):
            match = _ETAG.match(value, pos)
            if match is None:
                return None
            tags.append(match.group(2))
            pos = match.end()
    return tags


def _http_date(value: str) -> float | None:
    """Seconds since the epoch of an HTTP-date in any of its three forms; None when invalid."""
    for pattern, order in _HTTP_DATES:
        match = pattern.fullmatch(value.strip())
        if match is None:
            continue
        parts = match.groups()
        day, month, year, hour, minute, second = (parts[i] for i in order)
        year_n = int(year)
        if len(year) == 2:  # RFC 850: a year over 50 years ahead is the last one that ended so
            now = datetime.now(UTC).year
            year_n += now - now % 100
            if year_n > now + 50:
                year_n -= 100
        try:
            when = datetime(
                year_n, _MONTHS[month], int(day), int(hour), int(minute), int(second), tzinfo=UTC
            )
        except ValueError:
            return None
        return when.timestamp()
    return None


def _precondition(
    method: str, none_match: list[str], modified_since: list[str], etag: str, modified: int
) -> int | None:
    """RFC 9110 section 13.2.2 for a file: 304 (GET/HEAD) or 412 (others), None to serve it.

    ``If-None-Match`` wins over ``If-Modified-Since``; the latter counts for GET and HEAD only,
    as a single valid HTTP-date that is not in the future, at one-second precision.
    """
    if none_match:  # present: If-Modified-Since is ignored even when this one is malformed
        tags = _entity_tags(none_match) or []
        if "*" in tags or etag.strip('"') in tags:  # weak comparison: W/ dropped on both sides
            return 304 if method in ("GET", "HEAD") else 412
        return None
    if method not in ("GET", "HEAD") or len(modified_since) != 1:
        return None
    since = _http_date(modified_since[0])
    if since is None or since > time.time():
        return None
    return 304 if modified <= since else None


def _error_page(status: int) -> bytes:
    reason = _REASONS.get(status, "Error")
    return (
        f"<!doctype html><html><head><title>{status} {reason}</title></head>"
        f"<body><h1>{status} {reason}</h1></body></html>\n"
    ).encode()


def _trap_page(path: str, query: str) -> bytes:
    """An endless calendar: each month links the next and previous ones and re-sorted views.

    Modelled on the event calendars that keep naive crawlers busy forever (a "next month" link
    on every page, plus sort/filter links that append parameters to the current query).
    """
    stem = path.rstrip("/").rsplit("/", 1)[-1]
    try:
        year, month = (int(x) for x in stem.split("-")[:2])
        assert 1 <= month <= 12
    except (ValueError, AssertionError):
        year, month = 2026, 1
    base = path[: len(path) - len(stem)] if stem and stem[0].isdigit() else path.rstrip("/") + "/"
    nxt = f"{year + month // 12}-{month % 12 + 1:02d}"
    prev = f"{year - (month == 1)}-{(month - 2) % 12 + 1:02d}"
    params = parse_qsl(query, keep_blank_values=True)
    here = f"{base}{year}-{month:02d}"
    links = [f'<a href="{base}{nxt}">Next month</a>', f'<a href="{base}{prev}">Previous month</a>']
    links += [f'<a href="{here}?{urlencode([*params, ("sort", s)])}">Sort {s}</a>' for s in "ab"]
    days = "".join(f"<li>{d:02d}.{month:02d}.{year}: no events</li>" for d in (1, 8, 15, 22))
    return (
        f"<!doctype html><html><head><title>Events {year}-{month:02d}</title></head><body>"
        f"<h1>Events calendar {month:02d}/{year}</h1><ul>{days}</ul><nav>{' | '.join(links)}"
        f"</nav></body></html>\n"
    ).encode()


def _json_page(folder: Path, host: str, path: str, query: str, spec: dict[str, Any]) -> bytes:
    """Page N of the JSON list in ``spec["file"]`` in a common REST envelope (None: no data)."""
    try:
        items = json.loads((folder / spec["file"]).read_text(encoding="utf-8"))
    except (OSError, KeyError, ValueError):
        return b""
    param, per_page = spec.get("param", "page"), int(spec.get("per_page", 10))
    params = dict(parse_qsl(query))
    page = int(params[param]) if params.get(param, "").isdigit() else 1
    pages = max(1, -(-len(items) // per_page))

    def link(n: int) -> str:
        return f"http://{host}{path}?{urlencode({**params, param: n})}"

    doc = {
        "data": {"items": items[(page - 1) * per_page : page * per_page] if page else []},
        "meta": {"page": page, "pages": pages, "per_page": per_page, "total": len(items)},
        "links": {"self": link(page), "next": link(page + 1) if page < pages else None},
    }
    return json.dumps(doc, ensure_ascii=False, indent=1).encode()


def main(argv: list[str] | None = None) -> int:
    """``python -m leadgen.localsites ROOT [--port N] [--mail]``: serve until Ctrl-C."""
    parser = argparse.ArgumentParser(
        prog="python -m leadgen.localsites",
        description="Serve fixture sites through a local proxy (and with --mail, their mail "
        "hosts: a DNS server and SMTP servers on loopback, see leadgen/localmail.py).",
        epilog="Example: python -m leadgen.localsites examples/sample-sites --port 0 --mail",
    )
    parser.add_argument("root", type=Path, help="folder with one sub-folder per host name")
    parser.add_argument("--port", type=int, default=0, help="port (default: any free port)")
    parser.add_argument(
        "--mail",
        action="store_true",
        help="also serve the hosts' mail (their _mail.toml): DNS on 127.0.0.1, SMTP on 127.0.0.x",
    )
    parser.add_argument("--dns-port", type=int, default=0, help="with --mail (default: any)")
    parser.add_argument("--smtp-port", type=int, default=0, help="with --mail (default: any)")
    args = parser.parse_args(argv)
    if not args.root.is_dir():
        parser.error(f"{args.root} is not a folder")
    mail = None
    if args.mail:
        from leadgen.localmail import LocalMail, MailUnavailable

        try:
            mail = LocalMail(args.root, dns_port=args.dns_port, smtp_port=args.smtp_port).start()
        except (MailUnavailable, ValueError, OSError) as exc:
            print(f"error: {exc}", file=sys.stderr, flush=True)
            return 2
    try:
        with LocalSites(args.root, port=args.port) as sites:
            print(f"proxy: {sites.proxy_url}", flush=True)
            if mail is not None:
                print(f"dns: {mail.nameserver}", flush=True)
                print(f"smtp-port: {mail.smtp_port}", flush=True)
                for domain in mail.domains.values():
                    print(f"mail: {domain.describe()}", flush=True)
            print("hosts: " + ", ".join(sites.hosts), flush=True)
            print(
                f"try:   curl -x {sites.proxy_url} http://{sites.hosts[0]}/" if sites.hosts else "",
                flush=True,
            )
            try:
                while True:
                    time.sleep(3600)
            except KeyboardInterrupt:
                pass
    finally:
        if mail is not None:
            mail.stop()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
