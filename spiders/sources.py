"""Source definitions: a TOML file that tells the directory / exhibitors spider where a list is
and (optionally) how to read it.

```toml
spider = "directory"                 # directory | exhibitors
start_urls = ["https://biz-katalog.ru/catalog/"]
country = "RU"                       # default country of the listed companies
render = false                       # true: pages rendered in headless Chromium
wait_for = "li.exhibitor"            # with render: CSS selector to wait for
load_more = "button#more"            # with render: click it until it disappears
max_pages = 50                       # list pages followed at most
follow_websites = true               # then crawl each listed company's own website
pages_per_site = 15                  # page budget per company website
[list]                               # optional hints (CSS, or XPath when starting with / or ( )
item = "div.firm-card"
next_page = "a.next::attr(href)"
detail_link = "a.more::attr(href)"
[list.fields]
name = "h3::text"
[detail.fields]
website = "a.site::attr(href)"
[api]                                # a JSON API instead of HTML list pages
url = "https://expo.example/api/exhibitors?page=1"
items = "data.items"
page_param = "page"
total_pages = "meta.pages"
[api.fields]
name = "company"
```

Every mistake is reported with the file name and the key (``SourceError``), before any request.
"""

from __future__ import annotations

import hashlib
import json
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from spiders.pages.jsonapi import JsonMapping
from spiders.pages.listing import ListingHints

SPIDERS = ("directory", "exhibitors")
_KEYS = {
    "name",
    "spider",
    "start_urls",
    "country",
    "render",
    "wait_for",
    "load_more",
    "max_pages",
    "follow_websites",
    "pages_per_site",
    "list",
    "detail",
    "api",
    "description",
}


class SourceError(ValueError):
    """A source definition that cannot be used, with the place and the reason."""


@dataclass(frozen=True, slots=True)
class SourceConfig:
    name: str
    spider: str
    start_urls: tuple[str, ...]
    country: str | None = None
    render: bool = False
    wait_for: str | None = None
    load_more: str | None = None
    max_pages: int = 50
    follow_websites: bool = True
    pages_per_site: int = 15
    list: ListingHints | None = None
    detail: ListingHints | None = None
    api: JsonMapping | None = None
    description: str | None = None
    #: SHA-256 of the file's bytes: stored with the run, names the resume directory.
    digest: str = field(default="", compare=False)

    def parameters(self) -> dict[str, Any]:
        return {
            "source": self.name,
            "spider": self.spider,
            "start_urls": list(self.start_urls),
            "country": self.country,
            "render": self.render,
            "max_pages": self.max_pages,
            "follow_websites": self.follow_websites,
            "pages_per_site": self.pages_per_site,
            "source_sha256": self.digest,
        }


def _url(value: Any, where: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise SourceError(f"{where}: expected a URL string, got {value!r}")
    parts = urlsplit(value.strip())
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise SourceError(f"{where}: {value!r} is not an http(s) URL")
    return value.strip()


def _typed(data: Mapping[str, Any], key: str, kind: type, where: str, default: Any) -> Any:
    if key not in data:
        return default
    value = data[key]
    if kind is int and (isinstance(value, bool) or not isinstance(value, int) or value < 1):
        raise SourceError(f"{where}: '{key}' must be a positive whole number, got {value!r}")
    if kind is not int and not isinstance(value, kind):
        raise SourceError(f"{where}: '{key}' must be {kind.__name__}, got {value!r}")
    return value


def parse_source(
    data: Mapping[str, Any], *, name: str, where: str, digest: str = ""
) -> SourceConfig:
    unknown = sorted(set(data) - _KEYS)
    if unknown:
        raise SourceError(
            f"{where}: unknown key(s) {', '.join(unknown)}; known: {', '.join(sorted(_KEYS))}"
        )
    spider = data.get("spider", "directory")
    if spider not in SPIDERS:
        raise SourceError(f"{where}: 'spider' must be one of {', '.join(SPIDERS)}, got {spider!r}")
    api = None
    if "api" in data:
        if not isinstance(data["api"], Mapping):
            raise SourceError(f"{where}: [api] must be a table")
        api_data = dict(data["api"])
        api_url = _url(api_data.pop("url", None), f"{where} [api] url")
        try:
            api = JsonMapping.from_dict(api_data, where=f"{where} [api]")
        except ValueError as exc:
            raise SourceError(str(exc)) from None
        starts = (api_url,)
    else:
        raw = data.get("start_urls")
        if isinstance(raw, str):
            raw = [raw]
        if not isinstance(raw, list) or not raw:
            raise SourceError(
                f"{where}: 'start_urls' must list at least one URL "
                "(or give an [api] table with its url)"
            )
        starts = tuple(_url(u, f"{where} start_urls[{i}]") for i, u in enumerate(raw))
    hints = {}
    for table in ("list", "detail"):
        if table in data:
            if not isinstance(data[table], Mapping):
                raise SourceError(f"{where}: [{table}] must be a table")
            try:
                hints[table] = ListingHints.from_dict(data[table], where=f"{where} [{table}]")
            except ValueError as exc:
                raise SourceError(str(exc)) from None
    country = _typed(data, "country", str, where, None)
    if country is not None:
        if len(country.strip()) != 2 or not country.strip().isalpha():
            raise SourceError(
                f"{where}: 'country' must be a two-letter code like RU, got {country!r}"
            )
        country = country.strip().upper()
    render = _typed(data, "render", bool, where, False)
    wait_for = _typed(data, "wait_for", str, where, None)
    load_more = _typed(data, "load_more", str, where, None)
    if (wait_for or load_more) and not render:
        raise SourceError(f"{where}: 'wait_for' and 'load_more' need render = true")
    if load_more and not (wait_for or (hints.get("list") and hints["list"].item)):
        raise SourceError(
            f"{where}: 'load_more' needs 'wait_for' (or [list] item) to count the entries it loads"
        )
    return SourceConfig(
        name=_typed(data, "name", str, where, name),
        spider=spider,
        start_urls=starts,
        country=country,
        render=render,
        wait_for=wait_for,
        load_more=load_more,
        max_pages=_typed(data, "max_pages", int, where, 50),
        follow_websites=_typed(data, "follow_websites", bool, where, True),
        pages_per_site=_typed(data, "pages_per_site", int, where, 15),
        list=hints.get("list"),
        detail=hints.get("detail"),
        api=api,
        description=_typed(data, "description", str, where, None),
        digest=digest,
    )


def load_source(path: str | Path) -> SourceConfig:
    """Read and check a source definition file."""
    path = Path(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise SourceError(f"{path}: cannot read the source definition ({exc.strerror})") from None
    try:
        text = raw.decode("utf-8")
        # JSON: a source written out by `leadgen run` from a segment file's [[sources]]
        data = json.loads(text) if path.suffix.lower() == ".json" else tomllib.loads(text)
    except UnicodeDecodeError:
        raise SourceError(f"{path}: not UTF-8 text") from None
    except tomllib.TOMLDecodeError as exc:
        raise SourceError(f"{path}: not valid TOML ({exc})") from None
    except json.JSONDecodeError as exc:
        raise SourceError(f"{path}: not valid JSON ({exc})") from None
    if not isinstance(data, dict):
        raise SourceError(f"{path}: a source definition must be a table")
    return parse_source(
        data, name=path.stem, where=str(path), digest=hashlib.sha256(raw).hexdigest()
    )
