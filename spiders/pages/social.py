"""Links to the company's own social profiles (network -> URL), share buttons excluded.

Hosts are the networks' public profile hosts; share/intent/plugin paths (``sharer.php``,
``/intent/tweet``, ``vk.com/share.php``, ``shareArticle`` …) are the buttons a page puts
next to every article, which point at the network, not at the company. The first profile
link per network wins (headers and footers come before sidebars in document order).
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from lxml import etree

__all__ = ["find_social"]

# host (without "www."/"m.") -> network name
_HOSTS = {
    "linkedin.com": "linkedin", "facebook.com": "facebook", "fb.com": "facebook",
    "vk.com": "vk", "vkontakte.ru": "vk", "t.me": "telegram", "telegram.me": "telegram",
    "twitter.com": "x", "x.com": "x", "youtube.com": "youtube", "youtu.be": "youtube",
    "xing.com": "xing", "instagram.com": "instagram", "ok.ru": "ok",
    "odnoklassniki.ru": "ok", "github.com": "github", "tiktok.com": "tiktok",
    "pinterest.com": "pinterest", "dzen.ru": "dzen", "zen.yandex.ru": "dzen",
    "rutube.ru": "rutube", "wa.me": "whatsapp", "kununu.com": "kununu", "vimeo.com": "vimeo",
}  # fmt: skip
_SHARE_RE = re.compile(
    r"share|sharer|intent/|/dialog/|plugins/|/hashtag/|/search|/login|/signup|/home$|"
    r"/watch\?|/embed/|/pin/create|addtoany|/privacy|/policies|/legal|/help|/about/?$",
    re.IGNORECASE,
)


def _network(url: str) -> tuple[str, str] | None:
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return None
    host = (parts.hostname or "").lower()
    for prefix in ("www.", "m.", "mobile.", "de.", "ru.", "en."):
        host = host.removeprefix(prefix)
    network = _HOSTS.get(host)
    if network is None and host.endswith(".linkedin.com"):
        network = "linkedin"
    if network is None:
        return None
    path = parts.path.rstrip("/")
    if (
        not path
        or path == "/"
        or _SHARE_RE.search(path + ("?" + parts.query if parts.query else ""))
    ):
        return None  # the network's home page or a share button
    clean = f"https://{parts.hostname.lower()}{parts.path}"
    if network == "youtube" and parts.query and "list=" in parts.query:
        clean += f"?{parts.query}"
    if network == "facebook" and path == "/profile.php" and parts.query:
        clean += f"?{parts.query}"
    return network, clean


def find_social(root: etree._Element) -> dict[str, str]:
    """network -> profile URL for each network the page links to."""
    found: dict[str, str] = {}
    for el in root.iter("a"):
        href = el.get("href")
        if not href or "//" not in href:
            continue
        hit = _network(href)
        if hit is not None and hit[0] not in found:
            found[hit[0]] = hit[1]
    return found
