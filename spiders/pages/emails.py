"""E-mail addresses on a page: mailto links, Cloudflare-protected addresses and visible text.

Obfuscations decoded (all seen on real contact pages): ``name [at] firm [dot] ru``,
``name(at)firm.de`` (German impressums), ``name собака firm точка ru`` (Russian),
``name at firm dot com`` (only next to an e-mail label), numeric character references,
addresses split across inline tags, and Cloudflare "email protection" (``data-cfemail`` and
``/cdn-cgi/l/email-protection#HEX``: the first byte is an XOR key for the rest, see
trafilatura-tests elenacional.com-carta.html and peta.de-veterinaeraemter.html).

False positives rejected: retina image names (``logo@2x.png``), placeholders
(``you@company.com``, ``name@domain.com``, anything at example.com/org/net), tracking
tokens (hex or UUID local parts such as Wix's ``…@sentry.wixpress.com``), and hosts without
a public suffix.
"""

from __future__ import annotations

import html as html_lib
import re
from urllib.parse import unquote

from lxml import etree

from enrichment import normalize_email, registrable_domain
from spiders.pages.html import Block

__all__ = ["decode_cfemail", "emails_in_element", "emails_in_text", "find_emails", "is_plausible"]

_EMAIL_RE = re.compile(
    r"(?<![\w.%+\-])([A-Za-z0-9][A-Za-z0-9._%+\-]{0,63})@"
    r"((?:[A-Za-z0-9\u0400-\u04ff](?:[A-Za-z0-9\u0400-\u04ff\-]{0,61}[A-Za-z0-9\u0400-\u04ff])?\.)+"
    r"[A-Za-z\u0400-\u04ff]{2,24})(?![\w\-])"
)
# "[at]", "(at)", "{at}", " at " spelled in brackets, "[собака]", "(a)": the bracketed forms
# are unambiguous anywhere.
_AT_BRACKET_RE = re.compile(r"\s*[\[({<]\s*(?:at|собака|a|@)\s*[\])}>]\s*", re.IGNORECASE)
_DOT_BRACKET_RE = re.compile(r"\s*[\[({<]\s*(?:dot|punkt|точка|\.)\s*[\])}>]\s*", re.IGNORECASE)
# Unbracketed words: "info собака firm точка ru", "info at firm dot com".
_AT_WORD_RE = re.compile(r"(?<=\w)\s+(?:at|собака)\s+(?=\w)", re.IGNORECASE)
_DOT_WORD_RE = re.compile(r"(?<=\w)\s+(?:dot|punkt|точка)\s+(?=\w)", re.IGNORECASE)
_RU_WORD_RE = re.compile(r"собака|точка", re.IGNORECASE)
_LABEL_RE = re.compile(r"e-?mail|mail|почт|contact|kontakt|schreib|write", re.IGNORECASE)
_CF_HREF_RE = re.compile(r"/cdn-cgi/l/email-protection#([0-9a-fA-F]+)")

_FILE_SUFFIXES = frozenset(
    "png jpg jpeg gif webp svg ico bmp tif tiff avif css js mjs json map php html htm xml "
    "pdf zip mp4 webm woff woff2 ttf eot".split()
)
_PLACEHOLDER_DOMAINS = frozenset(
    "example domain yourdomain yoursite yourcompany mydomain mysite mycompany sitename "
    "website test site company email".split()
)  # the label left of the public suffix: "name@domain.com", "you@company.com"
_PLACEHOLDER_LOCALS = frozenset(
    "you your yourname youremail your.name yourmail name username user email mail example "
    "firstname.lastname first.last firstname lastname vorname.nachname max.mustermann "
    "mustermann ivanov ivan.ivanov john.doe jane.doe johndoe test".split()
)
_TRACKING_DOMAINS = frozenset("sentry.io wixpress.com sentry-next.wixpress.com".split())
_HEX_TOKEN_RE = re.compile(r"^[0-9a-f]{16,}$|^[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}")
_RETINA_RE = re.compile(r"^\d(?:\.\d)?x$")


def decode_cfemail(hexstr: str) -> str | None:
    """Cloudflare email protection: byte 0 is the key, each following byte XOR key."""
    try:
        data = bytes.fromhex(hexstr.strip())
    except ValueError:
        return None
    if len(data) < 4:
        return None
    key = data[0]
    try:
        return bytes(b ^ key for b in data[1:]).decode("utf-8")
    except UnicodeDecodeError:
        return None


def is_plausible(address: str) -> bool:
    """A normalized address that is not a file name, a placeholder or a tracking token."""
    local, _, domain = address.rpartition("@")
    if not local or not domain:
        return False
    labels = domain.split(".")
    if labels[-1] in _FILE_SUFFIXES or _RETINA_RE.match(labels[0]) or _RETINA_RE.match(local):
        return False
    if local in _PLACEHOLDER_LOCALS:
        return False
    reg = registrable_domain(domain)
    if reg is None:
        return False  # no public suffix: "user@localhost.lan", "x@file.min"
    label = reg.split(".", 1)[0]
    if label in _PLACEHOLDER_DOMAINS and reg.count(".") == 1:
        return False
    if label in ("example", "domain", "yourdomain"):
        return False  # example.co.uk, domain.com.ua
    if reg in _TRACKING_DOMAINS or domain in _TRACKING_DOMAINS or _HEX_TOKEN_RE.match(local):
        return False
    return True


def _accept(raw: str, out: list[str], seen: set[str]) -> None:
    email = normalize_email(raw)
    if not email.valid or email.address is None:
        return
    address = email.address
    if address in seen or not is_plausible(address):
        return
    seen.add(address)
    out.append(address)


def _deobfuscate(text: str) -> str:
    if "&#" in text or "&commat;" in text or "&period;" in text:
        text = html_lib.unescape(text)
    text = text.replace("＠", "@").replace("﹫", "@")
    if "[" in text or "(" in text or "{" in text or "<" in text:
        text = _AT_BRACKET_RE.sub("@", text)
        text = _DOT_BRACKET_RE.sub(".", text)
    # Spelled-out words only in e-mail context: the Russian words anywhere ("собака" is not
    # a word a contact line uses otherwise), "at"/"dot" only with both present and a label.
    if _RU_WORD_RE.search(text) or (
        " dot " in text.lower() and " at " in text.lower() and _LABEL_RE.search(text)
    ):
        text = _AT_WORD_RE.sub("@", text)
        text = _DOT_WORD_RE.sub(".", text)
    return text


def emails_in_text(
    text: str, out: list[str] | None = None, seen: set[str] | None = None
) -> list[str]:
    """Addresses written (possibly obfuscated) in one piece of visible text."""
    out = [] if out is None else out
    seen = set() if seen is None else seen
    if not text:
        return out
    lowered = text.lower()
    if "@" not in text and not any(
        w in lowered for w in ("at", "собака", "&#", "＠", "(a)", "[a]")
    ):
        return out
    for m in _EMAIL_RE.finditer(_deobfuscate(text)):
        _accept(f"{m.group(1)}@{m.group(2)}", out, seen)
    return out


def _link_emails(root: etree._Element, out: list[str], seen: set[str]) -> None:
    """mailto: links and Cloudflare-protected addresses, in document order."""
    for el in root.iter():
        if not isinstance(el.tag, str):
            continue
        cfemail = el.get("data-cfemail")
        if cfemail:
            decoded = decode_cfemail(cfemail)
            if decoded:
                _accept(decoded, out, seen)
            continue
        href = el.get("href")
        if not href:
            continue
        href = href.strip()
        if href[:7].lower() == "mailto:":
            target = unquote(href[7:]).split("?", 1)[0]
            for part in re.split(r"[,;]", target):
                _accept(_deobfuscate(part.strip()), out, seen)
        elif "email-protection#" in href:
            m = _CF_HREF_RE.search(href)
            decoded = decode_cfemail(m.group(1)) if m else None
            if decoded:
                _accept(decoded.removeprefix("mailto:"), out, seen)


def find_emails(root: etree._Element, blocks: list[Block]) -> list[str]:
    """Every plausible address on the page: links first, then visible text, deduplicated."""
    out: list[str] = []
    seen: set[str] = set()
    _link_emails(root, out, seen)
    for block in blocks:
        emails_in_text(block.text, out, seen)
    return out


def emails_in_element(el: etree._Element, blocks: list[Block]) -> list[str]:
    """Addresses inside one element (a person's card); ``blocks`` are its visible text."""
    return find_emails(el, blocks)
