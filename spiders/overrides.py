"""Crawl settings given on the command line (``--set NAME=VALUE``, as ``scrapy crawl -s``),
checked before a crawl starts.

A known setting (Scrapy's defaults, or ``spiders.settings``) takes a value of its default's
kind, converted here: ``CONCURRENT_REQUESTS_PER_DOMAIN=many`` is refused with the reason
instead of failing deep inside Scrapy once the crawl runs.  An unknown name close to a known
one is a typo (``CONCURENT_REQUESTS`` → did you mean ``CONCURRENT_REQUESTS``?) and refused; any
other unknown name is passed on as given, with a warning, since an extension may read settings
of its own (bench/crawlsite/statsdump.py reads ``BENCH_STATS_FILE``).
"""

from __future__ import annotations

import difflib
import json
import re
from functools import cache
from typing import Any

_NAME = re.compile(r"[A-Z][A-Z0-9_]*\Z")
_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off"}


class SettingError(ValueError):
    """Every problem of the ``--set`` options given, one a line."""

    def __init__(self, problems: list[str]):
        super().__init__("\n".join(problems))
        self.problems = problems


@cache
def known_settings() -> dict[str, Any]:
    """Every setting the crawl knows, with its default (the project's over Scrapy's).

    The project's settings module is read as a copy, not imported: it reads the environment
    when imported (``LEADGEN_PROXY`` for the browser's launch options), and ``spiders.run``
    sets that environment just before the crawl imports it."""
    import importlib.util
    import os

    from scrapy.settings import default_settings

    spec = importlib.util.find_spec(os.environ.get("SCRAPY_SETTINGS_MODULE", "spiders.settings"))
    project = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(project)
    out: dict[str, Any] = {}
    for module in (default_settings, project):
        for name in dir(module):
            if _NAME.match(name):
                out[name] = getattr(module, name)
    return out


def _number(value: str) -> int | float:
    text = value.strip()
    try:
        return int(text)
    except ValueError:
        number = float(text)  # ValueError for anything else
        if number != number or number in (float("inf"), float("-inf")):
            raise ValueError(text) from None
        return number


def convert(name: str, value: str) -> Any:
    """``value`` as the kind of ``name``'s default; ValueError says what was expected."""
    default = known_settings().get(name)
    if isinstance(default, bool):
        low = value.strip().lower()
        if low in _TRUE:
            return True
        if low in _FALSE:
            return False
        raise ValueError("expected true or false (or 1 / 0)")
    if isinstance(default, int | float):
        try:
            return _number(value)
        except ValueError:
            raise ValueError("expected a number") from None
    if isinstance(default, dict):
        try:
            parsed = json.loads(value)
        except ValueError:
            parsed = None
        if not isinstance(parsed, dict):
            raise ValueError('expected a JSON object, e.g. {"path.to.Class": 500}')
        return parsed
    if isinstance(default, list | tuple) and value.lstrip().startswith("["):
        try:
            parsed = json.loads(value)
        except ValueError:
            raise ValueError("expected a JSON list or comma-separated values") from None
        return parsed
    return value  # text, a list as "a,b,c", or a setting without a default


def parse_settings(pairs: list[str]) -> tuple[dict[str, Any], list[str]]:
    """``["NAME=VALUE", …]`` → (settings with converted values, warnings); raises
    :class:`SettingError` listing every bad pair."""
    settings: dict[str, Any] = {}
    warnings: list[str] = []
    problems: list[str] = []
    known = known_settings()
    for pair in pairs:
        name, sep, value = pair.partition("=")
        name = name.strip()
        if not sep or not name:
            problems.append(f"--set {pair!r}: expected NAME=VALUE, e.g. --set DOWNLOAD_DELAY=2")
            continue
        if not _NAME.match(name):
            problems.append(
                f"--set {pair!r}: {name!r} is not a setting name (upper case, digits and _, "
                "e.g. DOWNLOAD_DELAY)"
            )
            continue
        if name not in known:
            close = difflib.get_close_matches(name, known, n=1, cutoff=0.85)
            if close:
                problems.append(f"--set {pair!r}: unknown setting {name}; did you mean {close[0]}?")
                continue
            warnings.append(f"--set {name}: not a Scrapy or leadgen setting; passed on as given")
            settings[name] = value
            continue
        try:
            settings[name] = convert(name, value)
        except ValueError as exc:
            problems.append(f"--set {pair!r}: {exc}")
    if problems:
        raise SettingError(problems)
    return settings, warnings
