"""The literal prefilter of technology signals never changes what is found: the same result
as searching every pattern, on every saved page the tests have."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from spiders.pages.html import _parse_root, decode_html
from spiders.pages.technologies import _COMPILED, SIGNALS, find_technologies

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"
PAGES = sorted(p for p in FIXTURES.rglob("*.html") if p.stat().st_size < 3_000_000)


def _plain(root) -> list[str]:
    """The same signals without the prefilter."""
    srcs, inline = [], []
    for el in root.iter("script", "link", "iframe", "img"):
        url = el.get("src") or el.get("href") or el.get("data-src")
        if url:
            srcs.append(url)
        elif el.tag == "script" and el.text:
            inline.append(el.text[:20_000])
    gens = [
        el.get("content") or ""
        for el in root.iter("meta")
        if (el.get("name") or "").lower() == "generator"
    ]
    hay = {"src": "\n".join(srcs), "inline": "\n".join(inline), "generator": "\n".join(gens)}
    return [
        n
        for n, rules in SIGNALS.items()
        if any(hay[h] and re.search(p, hay[h], re.I) for h, p in rules)
    ]


def test_every_pattern_has_a_sound_prefilter():
    for name, rules in _COMPILED.items():
        for _, _pattern, needles in rules:
            assert needles is None or all(n == n.lower() and len(n) >= 3 for n in needles), name


@pytest.mark.parametrize("page", PAGES[:200], ids=lambda p: p.parent.name + "/" + p.name)
def test_prefilter_finds_what_a_full_search_finds(page):
    root = _parse_root(decode_html(page.read_bytes()))
    if root is None:
        return
    assert find_technologies(root) == _plain(root)
