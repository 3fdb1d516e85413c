"""Exhibitor and member lists served by a JSON API: items mapped to ``ListedCompany``.

Paths are JMESPath expressions (https://jmespath.org/specification.html), evaluated with the
``jmespath`` package that parsel (and so Scrapy) already depends on.  The grammar a source
definition needs:

* ``a.b.c``       nested keys;  ``"exhibitor-url"`` quotes a key with dashes or spaces;
* ``a[0]``        one element of a list, ``a[-1]`` the last;
* ``a[*].name``   a projection: the ``name`` of every element (a list);
* ``x || y``      the first of two paths that is not empty ("country.iso2 || country" reads
  the corpus' mixed ``{"text", "iso2"}`` / plain-string country values);
* ``""`` or ``@`` the document itself (the root is the list of items).

Three ways to reach the next page: a next-page URL in the response (``next``), a page-number
query parameter (``page_param`` with ``total_pages`` or "stop at an empty page"), or an
offset parameter (``offset_param`` + ``limit``, with ``total``).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

import jmespath
from jmespath.exceptions import JMESPathError

from enrichment import registrable_domain
from spiders.pages.listing import ListedCompany, is_external_site, norm

__all__ = ["JsonMapping", "get_path", "parse_json_listing"]

_SPECIAL = ("name", "url", "website")


def _compile(path: Any, where: str, *, root_ok: bool = False) -> str:
    if not isinstance(path, str) or (not path.strip() and not root_ok):
        raise ValueError(f"{where}: path must be a non-empty string, got {path!r}")
    if path.strip():
        try:
            jmespath.compile(path)
        except JMESPathError as exc:
            raise ValueError(f"{where}: invalid path {path!r}: {exc}") from None
    return path


@dataclass(frozen=True, slots=True)
class JsonMapping:
    """Where the items, their fields and the next page are in one JSON API's responses."""

    items: str
    fields: Mapping[str, str]
    next: str | None = None
    page_param: str | None = None
    page_start: int = 1
    total_pages: str | None = None
    offset_param: str | None = None
    limit: int | None = None
    limit_param: str | None = None
    total: str | None = None

    @classmethod
    def from_dict(cls, data: Mapping[str, Any], *, where: str = "") -> JsonMapping:
        """A validated mapping; ``ValueError`` names ``where`` and the offending key."""
        at = f"{where}: " if where else ""
        if not isinstance(data, Mapping):
            raise ValueError(f"{at}JSON mapping must be a table, got {type(data).__name__}")
        known = set(cls.__slots__)
        unknown = sorted(str(k) for k in data if k not in known)
        if unknown:
            raise ValueError(f"{at}unknown key(s) {unknown}; expected some of {sorted(known)}")
        if "items" not in data:
            raise ValueError(f'{at}items: missing (use "" when the response is the list)')
        items = _compile(data["items"], f"{at}items", root_ok=True)
        raw = data.get("fields")
        if not isinstance(raw, Mapping) or not raw:
            raise ValueError(f"{at}fields: must be a non-empty table of field = path")
        fields = {str(k): _compile(v, f"{at}fields.{k}") for k, v in raw.items()}
        if not set(fields) & set(_SPECIAL):
            raise ValueError(f"{at}fields: map at least one of {list(_SPECIAL)}")
        values: dict[str, Any] = {}
        for key in ("next", "total_pages", "total"):
            if data.get(key) is not None:
                values[key] = _compile(data[key], f"{at}{key}")
        for key in ("page_param", "offset_param", "limit_param"):
            if data.get(key) is not None:
                if not isinstance(data[key], str) or not data[key].strip():
                    raise ValueError(f"{at}{key}: must be a query parameter name")
                values[key] = data[key]
        for key, low in (("page_start", 0), ("limit", 1)):
            value = data.get(key)
            if value is not None:
                if not isinstance(value, int) or isinstance(value, bool) or value < low:
                    raise ValueError(f"{at}{key}: must be an integer >= {low}, got {value!r}")
                values[key] = value
        modes = [k for k in ("next", "page_param", "offset_param") if k in values]
        if len(modes) > 1:
            raise ValueError(f"{at}choose one way of paging, got {modes}")
        for key, needs in (
            ("total_pages", "page_param"),
            ("total", "offset_param"),
            ("limit_param", "limit"),
        ):
            if key in values and needs not in values:
                raise ValueError(f"{at}{key}: only makes sense with {needs}")
        if "offset_param" in values and "limit" not in values:
            raise ValueError(f"{at}offset_param: needs limit (the page size)")
        return cls(items=items, fields=MappingProxyType(fields), **values)


def get_path(data: Any, path: str) -> Any:
    """The value at a JMESPath ``path`` ("" = the document); None when missing or invalid."""
    if not isinstance(path, str):
        return None
    if not path.strip():
        return data
    try:
        return jmespath.search(path, data)
    except (JMESPathError, TypeError, ValueError, RecursionError):
        return None


def _scalar(value: Any) -> str | None:
    if isinstance(value, Mapping):  # {"text": "Sweden", "iso2": "SE"}: its readable part
        value = next(
            (
                value[k]
                for k in ("name", "text", "value", "label", "title")
                if isinstance(value.get(k), (str, int, float))
            ),
            None,
        )
    if isinstance(value, bool) or value is None:
        return None if value is None else str(value).lower()
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return norm(str(value)) if isinstance(value, (str, int, float)) else None


def _value(raw: Any) -> str | list[str] | None:
    if isinstance(raw, list):
        flat = [_scalar(v) for v in raw if not isinstance(v, list)]
        return [v for v in flat if v] or None
    return _scalar(raw) or None


def _link(value: str | list[str] | None, base: str) -> str | None:
    first = value[0] if isinstance(value, list) else value
    if not first:
        return None
    if "://" not in first and not first.startswith(("/", ".")) and registrable_domain(first):
        first = f"http://{first.strip('/')}/"  # "www.acme.de"
    try:
        link = urljoin(base, first)
    except ValueError:
        return None
    return link if urlsplit(link).scheme in ("http", "https") else None


def _company(item: Any, i: int, url: str, mapping: JsonMapping) -> ListedCompany | None:
    values = {name: _value(get_path(item, path)) for name, path in mapping.fields.items()}
    name = values.pop("name", None)
    name = " ".join(name) if isinstance(name, list) else name
    detail = _link(values.pop("url", None), url)
    website = _link(values.pop("website", None), url)
    if website and not is_external_site(website, registrable_domain(url)):
        detail, website = detail or website, None
    if not (name or detail or website):
        return None
    fields = {k: v for k, v in values.items() if v}
    return ListedCompany(name, detail, website, fields, f"json {mapping.items or '@'}[{i}]")


def _int(value: Any) -> int | None:
    try:
        return int(str(value).strip())
    except (TypeError, ValueError):
        return None


def _with_query(url: str, **params: Any) -> str:
    parts = urlsplit(url)
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if k not in params]
    query += [(k, str(v)) for k, v in params.items()]
    return urlunsplit(parts._replace(query=urlencode(query)))


def _query_int(url: str, param: str) -> int | None:
    return next((_int(v) for k, v in parse_qsl(urlsplit(url).query) if k == param), None)


def _next_url(data: Any, url: str, mapping: JsonMapping, count: int, mapped: int) -> str | None:
    """``count`` raw items were on the page, ``mapped`` of them were companies."""
    if count == 0 or mapped == 0:  # an empty page, or one whose items no longer map: stop
        return None
    if mapping.next:
        nxt = get_path(data, mapping.next)
        link = _link(_scalar(nxt), url) if isinstance(nxt, str) else None
        return link if link and link != url else None
    short = mapping.limit is not None and count < mapping.limit  # a partial page is the last
    extra = {mapping.limit_param: mapping.limit} if mapping.limit_param else {}
    if mapping.page_param:
        page = _query_int(url, mapping.page_param)
        page = mapping.page_start if page is None else page
        total = _int(get_path(data, mapping.total_pages)) if mapping.total_pages else None
        if short or (total is not None and page - mapping.page_start + 1 >= total):
            return None
        return _with_query(url, **{mapping.page_param: page + 1}, **extra)
    if mapping.offset_param and mapping.limit:
        offset = _query_int(url, mapping.offset_param) or 0
        total = _int(get_path(data, mapping.total)) if mapping.total else None
        if short or (total is not None and offset + mapping.limit >= total):
            return None
        return _with_query(url, **{mapping.offset_param: offset + mapping.limit}, **extra)
    return None


def parse_json_listing(
    data: Any, url: str, mapping: JsonMapping
) -> tuple[list[ListedCompany], str | None]:
    """Companies of one API response and the absolute URL of the next page (None: last)."""
    raw = get_path(data, mapping.items)
    if isinstance(raw, Mapping):  # {"123": {...}, "124": {...}}: items keyed by id
        raw = list(raw.values()) if all(isinstance(v, Mapping) for v in raw.values()) else [raw]
    if not isinstance(raw, list) or not isinstance(url, str):
        return [], None
    items = [c for i, item in enumerate(raw) if (c := _company(item, i, url, mapping))]
    return items, _next_url(data, url, mapping, len(raw), len(items))
