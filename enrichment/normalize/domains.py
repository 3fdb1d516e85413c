"""Domains and websites: registrable domain (eTLD+1) and a canonical site URL.

The public-suffix decisions come from the Public Suffix List snapshot bundled with
tldextract, private section included: "acme.myshopify.com" and "zavod.spb.ru" are sites of
their own, as a browser sees them, not parts of myshopify.com / spb.ru. The extractor is
built with ``suffix_list_urls=()`` and ``cache_dir=None`` so it never touches the network
or the disk.
"""

from __future__ import annotations

import ipaddress
import re
from functools import lru_cache
from urllib.parse import quote, urlsplit

import idna
import tldextract

__all__ = ["domain_with_reason", "normalize_website", "registrable_domain"]

MAX_INPUT = 2048

_extractor: tldextract.TLDExtract | None = None


def _extract(host: str) -> tldextract.tldextract.ExtractResult:
    global _extractor
    if _extractor is None:
        _extractor = tldextract.TLDExtract(
            suffix_list_urls=(), cache_dir=None, include_psl_private_domains=True
        )
    return _extractor(host)


_SCHEME_RE = re.compile(r"^[a-z][a-z0-9+.\-]*://", re.IGNORECASE)
_HOST_OK_RE = re.compile(r"^[a-z0-9\-.]+$")
_TRAILING_JUNK = " \t\r\n.,;:!?)]}>\"'«»“”„"
_DEFAULT_PORTS = {"http": 80, "https": 443}


def _to_ascii_host(host: str) -> str | None:
    host = host.strip().rstrip(".").lower()
    if not host or len(host) > 253:
        return None
    if host.isascii():
        return host if _HOST_OK_RE.match(host) else None
    try:
        return idna.encode(host, uts46=True).decode("ascii")
    except (idna.IDNAError, UnicodeError, ValueError):
        return None


def _is_ip(host: str) -> bool:
    try:
        ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        return False
    return True


@lru_cache(maxsize=131_072)
def _split(text: str) -> tuple[str, str, int | None, str] | None:
    """(scheme, ascii host, port, path) of a URL or bare host, or None for garbage."""
    s = text.strip().strip(_TRAILING_JUNK).strip()
    if not s or any(c.isspace() for c in s):
        return None
    if "@" in s and not _SCHEME_RE.match(s):
        s = s.rsplit("@", 1)[1]  # an email address: its domain
    if not _SCHEME_RE.match(s):
        s = "//" + s.lstrip("/")
    try:
        parts = urlsplit(s)
        port = parts.port
        host = parts.hostname
    except ValueError:
        return None
    scheme = (parts.scheme or "https").lower()
    if scheme not in _DEFAULT_PORTS or not host:
        return None
    ascii_host = _to_ascii_host(host)
    if ascii_host is None:
        return None
    return scheme, ascii_host, port, parts.path


@lru_cache(maxsize=131_072)
def _registrable(host: str) -> str | None:
    if _is_ip(host):
        return None
    ext = _extract(host)
    if not ext.suffix or not ext.domain:
        return None
    return _to_ascii_host(f"{ext.domain}.{ext.suffix}")


def registrable_domain(text: str | None) -> str | None:
    """eTLD+1 of a URL, bare host or email address, lowercased, IDN in punycode."""
    if not isinstance(text, str) or len(text) > MAX_INPUT:
        return None
    split = _split(text)
    return _registrable(split[1]) if split else None


def domain_with_reason(text: str | None) -> tuple[str | None, str]:
    """``registrable_domain(text)`` and "ok", or None and why there is none."""
    if not isinstance(text, str) or not text.strip():
        return None, "empty"
    if len(text) > MAX_INPUT:
        return None, f"longer than {MAX_INPUT} characters"
    split = _split(text)
    if split is None:
        s = text.strip().strip(_TRAILING_JUNK).strip()
        if any(c.isspace() for c in s):
            return None, "spaces inside: not a URL, host name or email address"
        scheme = _SCHEME_RE.match(s)
        if scheme and scheme.group(0)[:-3].lower() not in _DEFAULT_PORTS:
            return None, f"not a web address ({scheme.group(0)[:-3].lower()}:)"
        try:
            host = urlsplit(s if scheme else "//" + s.lstrip("/")).hostname
        except ValueError:
            host = None
        if host and _is_ip(host):
            return None, "an IP address has no registrable domain"
        return None, "not a valid host name"
    host = split[1]
    if _is_ip(host):
        return None, "an IP address has no registrable domain"
    if ".." in host or host.startswith("."):
        return None, "not a valid host name (an empty label between dots)"
    domain = _registrable(host)
    if domain is not None:
        return domain, "ok"
    if not _extract(host).suffix:
        return None, f"{host!r} ends in no public suffix (e.g. localhost, a typo)"
    return None, f"{host!r} is a public suffix itself, not a domain under one"


def normalize_website(text: str | None) -> str | None:
    """Canonical site URL: https:// unless http:// given, host lowercased/punycode, no default
    port, query or fragment; ``scheme://host/`` for a bare domain, the path kept otherwise."""
    if not isinstance(text, str) or len(text) > MAX_INPUT:
        return None
    split = _split(text)
    if split is None or "@" in text.split("//", 1)[-1].split("/", 1)[0]:
        return None  # garbage, or an email address / credentials in the URL
    scheme, host, port, path = split
    if _registrable(host) is None:
        return None
    netloc = host if port in (None, _DEFAULT_PORTS[scheme]) else f"{host}:{port}"
    path = quote(path.rstrip(_TRAILING_JUNK), safe="/%:@!$&'()*+,;=-._~") or "/"
    return f"{scheme}://{netloc}{path}"
