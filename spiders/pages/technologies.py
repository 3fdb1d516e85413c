"""Technology signals: CMS, analytics, CRM and chat widgets a page loads.

Each signal names its evidence, checked against one of three haystacks built once per page:
``src`` (script ``src`` and link ``href`` URLs), ``inline`` (the first 20 kB of each inline
script) and ``generator`` (``<meta name="generator">``). The URL and snippet patterns are
the vendors' documented embed codes (e.g. Yandex.Metrika's ``mc.yandex.ru/metrika/tag.js``,
Google's ``googletagmanager.com/gtm.js``, Bitrix24's ``/upload/crm/site_button/loader_``,
JivoSite's ``code.jivosite.com/widget``); marker classes are avoided because themes copy them.
"""

from __future__ import annotations

import re
from re import _parser
from re._constants import BRANCH, LITERAL, SUBPATTERN

from lxml import etree

__all__ = ["SIGNALS", "find_technologies"]

# name -> (haystack, pattern). Order = output order.
SIGNALS: dict[str, tuple[tuple[str, str], ...]] = {
    "wordpress": (("src", r"/wp-(?:content|includes)/"), ("generator", r"wordpress")),
    "1c-bitrix": (
        ("src", r"/bitrix/(?:js|templates|cache|components|css)/"),
        ("generator", r"bitrix"),
        ("inline", r"\bBX\.(?:setJSList|message|ready)\("),
    ),
    "tilda": (("src", r"tildacdn\.(?:com|info|pro)|static\.tildacdn"), ("generator", r"tilda")),
    "wix": (("src", r"static\.(?:wixstatic|parastorage)\.com"), ("generator", r"wix\.com")),
    "joomla": (("generator", r"joomla"), ("src", r"/media/(?:jui|system)/js/")),
    "drupal": (
        ("generator", r"drupal"),
        ("src", r"/sites/(?:all|default)/(?:modules|themes|files)/|/misc/drupal\.js"),
        ("inline", r"Drupal\.settings|drupalSettings"),
    ),
    "typo3": (("generator", r"typo3"), ("src", r"/typo3(?:conf|temp)/")),
    "shopify": (("src", r"cdn\.shopify\.com"), ("inline", r"Shopify\.shop\s*=")),
    "squarespace": (("src", r"static1\.squarespace\.com|squarespace-cdn"),),
    "jimdo": (("src", r"assets\.jimstatic\.com|\.jimcdn\.com"),),
    "google-analytics": (
        ("src", r"google-analytics\.com/(?:analytics|ga|urchin)\.js|googletagmanager\.com/gtag/js"),
        ("inline", r"google-analytics\.com/(?:analytics|ga)\.js|\bgtag\(\s*['\"]config['\"]|"
                   r"_gaq\.push|\bga\(\s*['\"]create['\"]"),
    ),
    "google-tag-manager": (
        ("src", r"googletagmanager\.com/gtm\.js"),
        ("inline", r"googletagmanager\.com/gtm\.js"),
    ),
    "yandex-metrika": (
        ("src", r"mc\.yandex\.(?:ru|com)/(?:metrika|watch)"),
        ("inline", r"mc\.yandex\.(?:ru|com)/metrika|\bym\(\s*\d+\s*,\s*['\"]init['\"]|"
                   r"Ya\.Metrika2?\b"),
    ),
    "bitrix24": (
        ("src", r"bitrix24\.(?:ru|com|de|by|kz|ua)/|/upload/crm/(?:site_button|form)/loader_"),
        ("inline", r"bitrix24\.(?:ru|com|de|by|kz|ua)/|/upload/crm/(?:site_button|form)/loader_"),
    ),
    "amocrm": (("src", r"amocrm\.(?:ru|com)"), ("inline", r"amocrm\.(?:ru|com)|amo_forms_")),
    "hubspot": (("src", r"js\.hs-scripts\.com|js\.hsforms\.net|js\.hs-analytics\.net|"
                        r"js\.hubspot\.com"),),
    "jivo": (("src", r"code\.jivo(?:site)?\.(?:com|ru)"),
             ("inline", r"code\.jivo(?:site)?\.(?:com|ru)")),
    "intercom": (("src", r"widget\.intercom\.io|js\.intercomcdn\.com"),
                 ("inline", r"widget\.intercom\.io|intercomSettings")),
    "zendesk": (("src", r"static\.zdassets\.com|zopim\.com"),),
    "livechat": (("src", r"cdn\.livechatinc\.com"), ("inline", r"cdn\.livechatinc\.com")),
    "drift": (("src", r"js\.driftt\.com"), ("inline", r"js\.driftt\.com")),
    "carrot-quest": (("src", r"cdn\.carrotquest\.(?:io|app)"),
                     ("inline", r"cdn\.carrotquest\.(?:io|app)")),
    "roistat": (("inline", r"cloud\.roistat\.com"), ("src", r"cloud\.roistat\.com")),
    "calltouch": (("src", r"mod\.calltouch\.ru"), ("inline", r"mod\.calltouch\.ru")),
    "facebook-pixel": (("inline", r"connect\.facebook\.net/[\w_]+/fbevents\.js"),
                       ("src", r"connect\.facebook\.net/[\w_]+/fbevents\.js")),
    "hotjar": (("src", r"static\.hotjar\.com"), ("inline", r"static\.hotjar\.com")),
    "matomo": (("src", r"/(?:matomo|piwik)\.js"), ("inline", r"_paq\.push")),
    "recaptcha": (("src", r"google\.com/recaptcha/"),),
}  # fmt: skip


def _literal_runs(items) -> list[str]:
    runs, current = [], []
    for op, av in items:
        if op is LITERAL:
            current.append(chr(av))
        elif current:
            runs.append("".join(current))
            current = []
    if current:
        runs.append("".join(current))
    return runs


def _needles(items) -> tuple[str, ...] | None:
    """Substrings one of which every match of the parsed pattern ``items`` contains (the
    longest literal run of each alternative), or None when some alternative has none of at
    least 3 characters.  A cheap ``in`` test then skips the regex on most pages, the way
    multi-pattern matchers prefilter on literals."""
    items = list(items)
    if len(items) == 1:
        op, av = items[0]
        if op is BRANCH:
            found: list[str] = []
            for alternative in av[1]:
                needles = _needles(alternative)
                if needles is None:
                    return None
                found += needles
            return tuple(found)
        if op is SUBPATTERN:
            return _needles(av[-1])
    runs = [r for r in _literal_runs(items) if len(r) >= 3]
    if runs:
        return (max(runs, key=len).lower(),)
    for op, av in items:  # a mandatory group or alternation inside the sequence
        if op in (BRANCH, SUBPATTERN):
            needles = _needles([(op, av)])
            if needles:
                return needles
    return None


_COMPILED = {
    name: tuple(
        (hay, re.compile(p, re.IGNORECASE), _needles(_parser.parse(p, re.IGNORECASE)))
        for hay, p in rules
    )
    for name, rules in SIGNALS.items()
}
INLINE_LIMIT = 20_000


def find_technologies(root: etree._Element) -> list[str]:
    """Names of the technologies whose evidence the page shows, in :data:`SIGNALS` order."""
    srcs: list[str] = []
    inline: list[str] = []
    for el in root.iter("script", "link", "iframe", "img"):
        url = el.get("src") or el.get("href") or el.get("data-src")
        if url:
            srcs.append(url)
        elif el.tag == "script" and el.text:
            inline.append(el.text[:INLINE_LIMIT])
    generators = [
        el.get("content") or ""
        for el in root.iter("meta")
        if (el.get("name") or "").lower() == "generator"
    ]
    hay = {"src": "\n".join(srcs), "inline": "\n".join(inline), "generator": "\n".join(generators)}
    lowered = {h: text.lower() for h, text in hay.items()}
    found = []
    for name, rules in _COMPILED.items():
        for h, pattern, needles in rules:
            text = hay[h]
            if not text or (needles and not any(n in lowered[h] for n in needles)):
                continue
            if pattern.search(text):
                found.append(name)
                break
    return found
