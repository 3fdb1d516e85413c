"""The main content of a page: the page without its site chrome (header, footer, navigation,
sidebars, cookie banners).

A directory's detail page repeats the directory's own phone and email in its header and footer;
read whole, every listed company would get them.  Page objects that read one entry of someone
else's site take the main content only.
"""

from __future__ import annotations

import re

import lxml.html
from lxml import etree

_CHROME_TAGS = ("header", "footer", "nav", "aside")
# id/class words of site chrome, as whole words ("footer", "site-header", "cookie-banner"),
# not substrings ("headerless-card" has none of them either way).
_CHROME_WORDS = re.compile(
    r"(?:^|[\s_-])(?:header|footer|navbar|nav|menu|sidebar|breadcrumbs?|cookie|banner|topbar)"
    r"(?:$|[\s_-])",
    re.IGNORECASE,
)


def main_content(html: str) -> str:
    """``html`` without header/footer/nav/aside elements and blocks whose id or class names
    site chrome; the page itself when that would leave nothing."""
    try:
        doc = lxml.html.document_fromstring(html)
    except (etree.ParserError, ValueError):
        return html
    body = doc.find("body")
    if body is None:
        return html
    doomed = []
    for el in body.iter():
        if not isinstance(el.tag, str):
            continue
        if el.tag in _CHROME_TAGS or el.get("role") in ("navigation", "banner", "contentinfo"):
            doomed.append(el)
            continue
        marks = f"{el.get('id', '')} {el.get('class', '')}".strip()
        if marks and _CHROME_WORDS.search(marks) and el.tag in ("div", "section", "ul", "table"):
            doomed.append(el)
    kept_text = False
    for el in doomed:
        parent = el.getparent()
        if parent is not None:
            if el.tail:  # keep text that follows the element
                prev = el.getprevious()
                if prev is not None:
                    prev.tail = (prev.tail or "") + el.tail
                else:
                    parent.text = (parent.text or "") + el.tail
            parent.remove(el)
    kept_text = bool(body.text_content().strip())
    if not kept_text:
        return html
    return lxml.html.tostring(doc, encoding="unicode")
