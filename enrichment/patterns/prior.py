"""Priors: how likely each pattern and spelling is before anything is known about a domain.

Global pattern prior — a blend of the only published figures we found (none is a
peer-reviewed study; they are weak priors, restated, not copied; the copy a test reads is
tests/fixtures/patterns/claims.txt):

- ankurandgenny.com, "E-mail SMTP questions" (personal blog, about 59 business contacts of many
  companies, Microsoft excluded): flast 27, first.last (or close variant) 16, first 6,
  first.m.last 4, firstl 2, lastf 2, f.m.last 1, other 1.  Weight 1.
- mailsfinder.com blog "How to format an email address" (vendor, 2026): first.last about 60 %;
  first / flast / first.l together about 25 % (split evenly here); about 15 % custom.  Weight 1.
- aioptify.com "Mining Email Addresses" (2014): fn.ln 68, fnln 52 at the top of a truncated
  list over a mix of free-mail and corporate addresses.  Weight 0.5 (partial, not corporate only).
- vonsel.com "company email formats" (vendor, 2026) gives an order only (first.last, first,
  flast); prospeo.io says about 80 % of Fortune 500 firms use more than one pattern, which is why
  ``learn`` keeps every pattern it sees instead of one winner.

Each source's shares are averaged with its weight.  The mass the sources leave unnamed ("other",
"custom") is spread over the remaining catalogue patterns in proportion to ``_UNNAMED``, a
hand-set guess (f.last and first_last, which the sources fold into "close variants", get more).

Russian prior (domains under .ru/.рф/.su/.by/.kz and Cyrillic names) — no published counts
exist, so this is reasoning, not measurement: Russian business correspondence and registers
address people by surname and initials ("Иванов И. И."), and the company directories we have
seen build mailboxes around the surname: i.ivanov, ivanov, ivanov.i, ivan.ivanov, ivanovii.
first.last is less dominant than in English-speaking firms.  Treat every Russian figure as a
starting guess that the domain's own known addresses quickly override.

Spelling priors: Cyrillic systems — ``informal`` is what people write themselves (and the
passport rule of 1997–2010), ``icao`` is in every passport issued since 2013 (and bank cards),
``english`` is how Dmitry/Alexey/Maxim spell themselves in English; the others are rarer.  On
German-speaking domains the German transcription (``duden``) is much more common.  Latin: German
mail systems were ASCII-only for decades and DIN 5007-2 / the passport MRZ write ü as ue, so
``umlaut_e`` leads ``plain``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

from enrichment.patterns.catalog import PATTERNS

__all__ = ["GLOBAL_PRIOR", "RUSSIAN_PRIOR", "SOURCES", "Prior", "default_prior"]

#: (source, weight, {pattern: share}, share left unnamed) — the figures of the module docstring.
SOURCES: tuple[tuple[str, float, dict[str, float], float], ...] = (
    (
        "ankurandgenny.com",
        1.0,
        {
            "flast": 27 / 59, "first.last": 16 / 59, "first": 6 / 59, "first.m.last": 4 / 59,
            "firstl": 2 / 59, "lastf": 2 / 59, "f.m.last": 1 / 59,
        },
        1 / 59,
    ),
    (
        "mailsfinder.com",
        1.0,
        {"first.last": 0.60, "first": 0.25 / 3, "flast": 0.25 / 3, "first.l": 0.25 / 3},
        0.15,
    ),
    ("aioptify.com", 0.5, {"first.last": 68 / 120, "firstlast": 52 / 120}, 0.0),
)  # fmt: skip

_UNNAMED = {"f.last": 3.0, "first_last": 2.0, "last": 2.0, "last.first": 1.0, "first-last": 1.0}
_UNNAMED_REST = 0.25  # every other catalogue pattern
_FLOOR = 0.002


def _blend() -> dict[str, float]:
    total_w = sum(w for _, w, _, _ in SOURCES)
    shares = dict.fromkeys(PATTERNS, 0.0)
    unnamed = 0.0
    for _, w, figures, other in SOURCES:
        for p, s in figures.items():
            shares[p] += w * s / total_w
        unnamed += w * other / total_w
    named = {p for _, _, figures, _ in SOURCES for p in figures}
    rest = {p: _UNNAMED.get(p, _UNNAMED_REST) for p in PATTERNS if p not in named}
    z = sum(rest.values())
    for p, r in rest.items():
        shares[p] += unnamed * r / z
    shares = {p: max(s, _FLOOR) for p, s in shares.items()}
    z = sum(shares.values())
    return {p: s / z for p, s in shares.items()}


_RUSSIAN = {
    "f.last": 0.20, "last": 0.15, "first.last": 0.14, "flast": 0.09, "last.f": 0.06,
    "lastf": 0.05, "first": 0.05, "last_f": 0.03, "f_last": 0.03, "last.first": 0.03,
    "first_last": 0.03, "lastfm": 0.025, "firstlast": 0.02, "f-last": 0.01,
    "last.f.m": 0.01, "f.m.last": 0.01, "lastfirst": 0.01, "last_first": 0.01,
    "first.l": 0.01, "firstl": 0.005, "fmlast": 0.005,
}  # fmt: skip

_TRANSLIT_RU = {
    "informal": 0.32, "icao": 0.22, "english": 0.18, "simple_h": 0.1, "bgn": 0.08,
    "gost": 0.05, "duden": 0.05,
}  # fmt: skip
_TRANSLIT_DE = {**_TRANSLIT_RU, "duden": 0.35, "informal": 0.22, "icao": 0.17}
_LATIN = {"umlaut_e": 0.75, "plain": 0.25}


def _normalized(d: Mapping[str, float]) -> Mapping[str, float]:
    z = sum(d.values())
    return MappingProxyType({k: v / z for k, v in d.items()})


def _pattern_shares(d: Mapping[str, float]) -> Mapping[str, float]:
    """Shares over the whole catalogue: missing patterns get the floor."""
    return _normalized({p: max(d.get(p, 0.0), _FLOOR) for p in PATTERNS})


@dataclass(frozen=True)
class Prior:
    """Pattern shares and spelling shares before any known address (each sums to 1)."""

    name: str
    patterns: Mapping[str, float]
    cyrillic: Mapping[str, float] = field(default_factory=lambda: _normalized(_TRANSLIT_RU))
    latin: Mapping[str, float] = field(default_factory=lambda: _normalized(_LATIN))

    def translit(self, system: str) -> float:
        if system == "ascii":
            return 1.0
        return self.cyrillic.get(system) or self.latin.get(system) or 0.0

    def with_patterns(self, shares: Mapping[str, float]) -> Prior:
        """The same spelling shares with other pattern shares (unknown pattern names ignored,
        missing ones get a small floor)."""
        known = {p: float(s) for p, s in shares.items() if p in PATTERNS and s >= 0}
        return Prior(f"{self.name}+custom", _pattern_shares(known), self.cyrillic, self.latin)


GLOBAL_PRIOR = Prior("global", MappingProxyType(_blend()))
RUSSIAN_PRIOR = Prior("russian", _pattern_shares(_RUSSIAN))
_RUSSIAN_TLDS = ("ru", "xn--p1ai", "su", "by", "kz", "xn--90ais", "xn--80ao21a")
_GERMAN_TLDS = ("de", "at", "ch", "li")


def default_prior(domain: str, *, cyrillic_name: bool = False) -> Prior:
    """The Russian prior for Russian-speaking TLDs or a Cyrillic name, else the global one; on
    German-speaking TLDs Cyrillic names lean to the German transcription."""
    tld = domain.rsplit(".", 1)[-1].lower()
    base = RUSSIAN_PRIOR if tld in _RUSSIAN_TLDS or cyrillic_name else GLOBAL_PRIOR
    if tld in _GERMAN_TLDS:
        return Prior(f"{base.name}/de", base.patterns, _normalized(_TRANSLIT_DE), base.latin)
    return base
