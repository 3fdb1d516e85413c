"""HTML plumbing shared by the field extractors: decode bytes, parse once, visible text blocks.

A page is parsed once with lxml; every extractor reads the same tree and the same list of
visible text *blocks* (one per block-level element or ``<br>``-separated line), so inline
markup such as ``<span>info</span>@<span>firm.ru</span>`` reads as one word, while table
cells, list items and card rows stay apart. Text inside ``<script>``, ``<style>``,
``<noscript>``, ``<template>`` and form controls (``<textarea>``, ``<select>``) is never
visible content and is skipped.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass, field

from lxml import etree

__all__ = ["Block", "Page", "decode_html", "element_text", "parse_page"]

# Elements whose text is not page content (scripts, styles, templates and form values).
SKIP_TAGS = frozenset(
    "script style noscript template textarea select option head title svg math iframe "
    "object embed button".split()
)
# Elements that start a new line of text (HTML Living Standard "block" / flow containers,
# table cells, list items, headings) plus <br>.
BLOCK_TAGS = frozenset(
    "address article aside blockquote body center dd details dialog dir div dl dt fieldset "
    "figcaption figure footer form h1 h2 h3 h4 h5 h6 header hgroup hr html li main menu nav "
    "ol p pre section summary table tbody thead tfoot tr td th ul caption legend".split()
)

_META_CHARSET_RE = re.compile(
    rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_\-:.]+)""", re.IGNORECASE
)
_XML_DECL_RE = re.compile(r"^\s*<\?xml[^>]*\?>", re.IGNORECASE)
_WS_RE = re.compile(r"[ \t\r\f\v\u00a0\u2000-\u200b\u202f\u205f\u3000]+")
_LINE_WS_RE = re.compile(r"[ \t\n\r\f\v\u00a0\u2000-\u200b\u202f\u205f\u3000]+")
_ZERO_WIDTH_RE = re.compile("[\u200b\u200c\u200d\u2060\ufeff\u00ad\x1e\x1f]")
_MARK = "\x1f"  # inline element boundary inside a line (removed from Block.text)
_BREAK = "\x1e"  # a <br> or a <pre> line end (source newlines elsewhere are spaces)
_PARSER = etree.HTMLParser(recover=True, no_network=True, remove_comments=True, remove_pis=True)
MAX_HTML = 3_000_000  # characters: longer pages are cut (no contact page is this long)


def _codec(name: str | None) -> str | None:
    if not name:
        return None
    try:
        return codecs.lookup(name.strip().strip("\"'").lower()).name
    except LookupError:
        return None


def _try(body: bytes, encoding: str | None) -> str | None:
    codec = _codec(encoding)
    if codec is None:
        return None
    try:
        return body.decode(codec)
    except (UnicodeDecodeError, LookupError):
        return None


def decode_html(body: bytes, header_encoding: str | None = None) -> str:
    """Text of an HTML body; never raises.

    Order: a byte-order mark; strict UTF-8 when the body has non-ASCII bytes and they are
    valid UTF-8 (legacy single-byte Cyrillic or Latin text essentially never is, while
    pages re-saved as UTF-8 often keep their old ``<meta charset>``: formasaurus
    spinkat.ru says windows-1251 but is UTF-8); the HTTP header charset; the ``<meta>``
    charset; charset-normalizer's guess; UTF-8 with replacement characters.
    """
    if not isinstance(body, bytes | bytearray):
        return body if isinstance(body, str) else ""
    body = bytes(body)
    for bom, codec in (
        (codecs.BOM_UTF8, "utf-8-sig"),
        (codecs.BOM_UTF16_LE, "utf-16"),
        (codecs.BOM_UTF16_BE, "utf-16"),
    ):
        if body.startswith(bom):
            text = _try(body, codec)
            if text is not None:
                return text
    if not body.isascii():
        text = _try(body, "utf-8")
        if text is not None:
            return text
    else:
        return body.decode("ascii")
    text = _try(body, header_encoding)
    if text is not None:
        return text
    m = _META_CHARSET_RE.search(body[:8192])
    if m is not None:
        text = _try(body, m.group(1).decode("ascii", "ignore"))
        if text is not None:
            return text
    try:
        from charset_normalizer import from_bytes

        best = from_bytes(body[:200_000]).best()
        if best is not None and best.encoding:
            text = _try(body, best.encoding)
            if text is not None:
                return text
    except Exception:  # a detector bug must not stop the extraction
        pass
    return body.decode("utf-8", "replace")


@dataclass(slots=True)
class Block:
    """One visible line: its text (whitespace collapsed) and the element it belongs to.

    ``segments`` are the pieces between inline element boundaries: a card written as
    ``<span>Geschäftsführer</span><strong>Thomas Vogt</strong>`` is one line of text (and
    must stay one for ``<span>info</span>@<span>firm.ru</span>``), but two segments. They
    are cut from ``marked`` (the line with boundaries as U+001F) only when asked for.
    ``region`` says the line is site chrome (``"nav"``, ``"header"``, ``"footer"``).
    """

    text: str
    element: etree._Element
    region: str | None = None
    marked: str = ""

    @property
    def segments(self) -> tuple[str, ...]:
        if _MARK not in self.marked:
            return ()
        pieces = (_LINE_WS_RE.sub(" ", x).strip() for x in self.marked.split(_MARK))
        segments = tuple(x for x in pieces if x)
        return segments if len(segments) > 1 else ()


@dataclass(slots=True)
class Page:
    """A parsed page: the lxml root, its URL and the visible text blocks in document order."""

    url: str
    root: etree._Element
    blocks: list[Block] = field(default_factory=list)
    _text: str | None = None

    @property
    def text(self) -> str:
        """All visible text, one block per line."""
        if self._text is None:
            self._text = "\n".join(b.text for b in self.blocks)
        return self._text


def _parse_root(html: str) -> etree._Element | None:
    html = _ZERO_WIDTH_RE.sub("", _XML_DECL_RE.sub("", html[:MAX_HTML]))
    if not html.strip():
        return None
    # Plain lxml elements (etree.HTMLParser), not lxml.html's: its per-element class lookup
    # costs a third of the walk and nothing here needs HtmlElement's methods.
    try:
        root = etree.fromstring(html, _PARSER)
    except (etree.ParserError, etree.XMLSyntaxError, ValueError, TypeError):
        root = None
    if root is None:
        try:
            root = etree.fromstring(f"<html><body>{html}</body></html>", _PARSER)
        except (etree.ParserError, etree.XMLSyntaxError, ValueError, TypeError):
            return None
    return root


# Element kinds for the text walk (HTMLParser gives lowercase tag names).
_INLINE, _BLOCK, _SKIP, _BR = 0, 1, 2, 3
_KINDS: dict[str, int] = {t: _BLOCK for t in BLOCK_TAGS} | {t: _SKIP for t in SKIP_TAGS}
_KINDS["br"] = _BR
_STRIP = " \t\n\r\f\v\u00a0" + _MARK + _BREAK


def _kind(tag) -> int:
    kind = _KINDS.get(tag) if isinstance(tag, str) else _SKIP
    if kind is None:  # "SPAN", "{ns}p": decided once per spelling (a bounded cache)
        kind = _KINDS.get(tag.rsplit("}", 1)[-1].lower(), _INLINE)
        if len(_KINDS) < 4096:
            _KINDS[tag] = kind
    return kind


# Page-level regions whose lines are site chrome, not content. <header>/<footer> are the
# page's banner/contentinfo only outside sectioning content (article, aside, main, nav,
# section), as in the HTML-AAM role mapping: an <article class="card"><header> is a card's
# heading. ARIA roles and the menu class/id names of CMS themes mark the same regions. An
# element holding more than half of the page's text is a layout wrapper whatever its name
# (webstruct us-contact 81: the whole page inside div#header; 60: a layout td.menu).
_SECTIONING = frozenset("article aside main nav section".split())
_ROLE_REGIONS = {
    "navigation": "nav", "menu": "nav", "menubar": "nav", "banner": "header",
    "contentinfo": "footer",
}  # fmt: skip
_NAME_REGIONS = {
    "nav": "nav", "navbar": "nav", "navigation": "nav", "menu": "nav", "mainmenu": "nav",
    "main-menu": "nav", "main-nav": "nav", "site-nav": "nav", "topmenu": "nav",
    "top-menu": "nav", "breadcrumb": "nav", "breadcrumbs": "nav", "header": "header",
    "site-header": "header", "page-header": "header", "footer": "footer",
    "site-footer": "footer", "page-footer": "footer",
}  # fmt: skip


def _region(el: etree._Element, tag: str, scoped: bool) -> str | None:
    """The chrome region a block element opens ("nav", "header", "footer"), if any."""
    if tag == "nav" or tag == "menu":
        return "nav"
    if (tag == "header" or tag == "footer") and not scoped:
        return tag
    role = el.get("role")
    if role and role.strip().lower() in _ROLE_REGIONS:
        return _ROLE_REGIONS[role.strip().lower()]
    ident = el.get("id")
    if ident and ident.strip().lower() in _NAME_REGIONS:
        return _NAME_REGIONS[ident.strip().lower()]
    classes = el.get("class")
    if classes:
        for name in classes.lower().split():
            if name in _NAME_REGIONS:
                return _NAME_REGIONS[name]
    return None


def _text_size(el: etree._Element) -> int:
    """Characters of text in ``el`` outside scripts and styles (a rough size, C-speed)."""
    size = len(etree.tostring(el, method="text", encoding="unicode", with_tail=False))
    return size - sum(len(s.text or "") for s in el.iter("script", "style"))


def _collect(root: etree._Element, out: list[Block]) -> None:
    """Visible text of ``root`` (not its tail) as blocks, in document order.

    One ``etree.iterwalk`` pass (the tree walk runs in C; a subtree that is not content is
    skipped whole). Adjacent links with nothing between them (``<a>Главная</a><a>О
    компании</a>``, a menu styled with CSS margins) are separated by a space: they are
    separate items, not one word, while other inline boundaries join (``<span>info</span>@``).
    """
    parts: list[str] = []
    # Open block elements: (element, region, inside sectioning content).
    owners: list[tuple[etree._Element, str | None, bool]] = [(root, None, False)]
    after_link = False
    page_size = -1

    def flush() -> None:
        if not parts:
            return
        raw = "".join(parts)
        parts.clear()
        if not raw.strip(_STRIP):
            return
        owner, region, _ = owners[-1]
        for piece in raw.split(_BREAK) if _BREAK in raw else (raw,):
            line = _LINE_WS_RE.sub(" ", piece.replace(_MARK, "")).strip()
            if line:
                out.append(Block(line, owner, region, piece))

    kinds = _KINDS
    walker = etree.iterwalk(root, events=("start", "end", "comment", "pi"))
    for event, el in walker:
        if event == "start":
            tag = el.tag
            kind = kinds.get(tag)
            if kind is None:
                kind = _kind(tag)
            if kind == _INLINE:
                if after_link and tag == "a":
                    parts.append(" ")
                parts.append(_MARK)
            elif kind == _BLOCK:
                if parts:
                    flush()
                after_link = False
                _, region, scoped = owners[-1]
                if region is None and tag != "body" and tag != "html":
                    region = _region(el, tag, scoped)
                    if region is not None:
                        if page_size < 0:
                            page_size = _text_size(root)
                        if 2 * _text_size(el) > page_size:
                            region = None  # a layout wrapper named "header"/"menu"
                owners.append((el, region, scoped or tag in _SECTIONING))
            else:
                walker.skip_subtree()
                if kind == _BR:
                    parts.append(_BREAK)
                continue
            text = el.text
            if text:
                parts.append(text.replace("\n", _BREAK) if tag == "pre" else text)
                if after_link and not text.isspace():
                    after_link = False
            continue
        if event == "end":
            kind = kinds.get(el.tag)
            if kind is None:
                kind = _kind(el.tag)
            if kind == _BLOCK:
                if parts:
                    flush()
                owners.pop()
                after_link = False
            elif kind == _INLINE:
                parts.append(_MARK)
                if el.tag == "a":
                    after_link = True
        if el is root:
            break
        tail = el.tail
        if tail:
            parts.append(tail)
            if after_link and not tail.isspace():
                after_link = False
    flush()


def element_text(el: etree._Element) -> list[Block]:
    """Visible text blocks of one element (a card, a table row)."""
    out: list[Block] = []
    try:
        _collect(el, out)
    except (ValueError, TypeError):
        return []
    return out


def parse_page(html: str, url: str) -> Page:
    """Parse once; an unparseable document gives an empty page, never an exception."""
    root = _parse_root(html)
    if root is None:
        root = etree.fromstring("<html><body></body></html>", _PARSER)
    page = Page(url=url, root=root)
    page.blocks = element_text(root)
    return page
