"""A person's name as the ASCII parts a mailbox can be built from, in every spelling.

Compound parts have several forms, each with a weight (the share of mailboxes built from
that form; assumptions, stated here and in docs/patterns.md, not measurements):
- hyphenated first names "Hans-Peter", "Mary-Jane": hans-peter 0.4, hanspeter 0.35, hans 0.25;
- hyphenated surnames "Müller-Lüdenscheidt": joined 0.45, hyphen kept 0.3, first part 0.15,
  second part 0.1;  two-word surnames "García López": joined 0.4, first part 0.4, hyphenated
  0.15, second part 0.05;
- particles "von der Heide", "van Dijk", "de la Cruz": with the particles joined (vonderheide)
  0.55, without them (heide) 0.45;
- apostrophes and dots vanish (O'Brien → obrien), marks are spelled per system (translit.py).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from enrichment.normalize.names import parse_person_name
from enrichment.patterns.translit import spell, systems_for

__all__ = ["NameParts", "Spelling", "name_parts", "spellings"]

PARTICLES = frozenset(
    "von van der den de del della di da du la le zu ten ter vom zum zur dos das do y".split()
)
_APOSTROPHES_RE = re.compile(r"['’`ʼ‘]")
_NOT_LOCAL_RE = re.compile(r"[^a-z0-9-]+")


@dataclass(frozen=True, slots=True)
class NameParts:
    """First / middle / last as written (any script)."""

    first: str = ""
    middle: str = ""
    last: str = ""

    @property
    def text(self) -> str:
        return " ".join(p for p in (self.first, self.middle, self.last) if p)


@dataclass(frozen=True, slots=True)
class Spelling:
    """One ASCII form of a name: the parts, the system that spelled them, which compound form
    was taken (``""`` for a simple name) and the weight of that form."""

    first: str
    middle: str
    last: str
    translit: str
    variant: str
    weight: float
    forms: tuple[tuple[str, str, float], ...] = ()  # (dimension, label, weight) per choice


def name_parts(name: object) -> NameParts | None:
    """NameParts from a full name (parsed by ``enrichment.parse_person_name``), a PersonName-like
    object with first/middle/last, a (first, middle, last) tuple or NameParts; None when no first
    or last name can be found."""
    if isinstance(name, NameParts):
        parts = name
    elif isinstance(name, str):
        parsed = parse_person_name(name)
        parts = NameParts(parsed.first or "", parsed.middle or "", parsed.last or "")
    elif isinstance(name, tuple) and len(name) == 3:
        parts = NameParts(*(p if isinstance(p, str) else "" for p in name))
    elif all(hasattr(name, a) for a in ("first", "middle", "last")):
        parts = NameParts(*(getattr(name, a) or "" for a in ("first", "middle", "last")))
    else:
        return None
    parts = NameParts(*(" ".join(p.split()) for p in (parts.first, parts.middle, parts.last)))
    if not _clean(parts.first) and not _clean(parts.last):
        return None
    return parts


def _clean(text: str) -> str:
    return " ".join(_APOSTROPHES_RE.sub("", text).replace(".", " ").split())


Form = tuple[str, str, float]  # (dimension, label, weight): one choice for a compound part


def _hyphen_forms(word: str, double: tuple[float, ...]) -> list[tuple[str, tuple[Form, ...]]]:
    pieces = [p for p in re.split(r"[-\s]+", word) if p]
    if len(pieces) < 2:
        return [(word, ())]
    w_join, w_first, w_hyphen, w_second = double
    return [
        ("".join(pieces), (("last", "last joined", w_join),)),
        (pieces[0], (("last", "last first part", w_first),)),
        ("-".join(pieces), (("last", "last hyphen", w_hyphen),)),
        (pieces[-1], (("last", "last second part", w_second),)),
    ]


def _first_forms(first: str) -> list[tuple[str, tuple[Form, ...]]]:
    first = _clean(first)
    pieces = [p for p in re.split(r"[-\s]+", first) if p]
    if len(pieces) < 2:
        return [(first, ())]
    return [
        ("-".join(pieces), (("first", "first hyphen", 0.4),)),
        ("".join(pieces), (("first", "first joined", 0.35),)),
        (pieces[0], (("first", "first part", 0.25),)),
    ]


def _last_forms(last: str) -> list[tuple[str, tuple[Form, ...]]]:
    last = _clean(last)
    tokens = last.split()
    i = 0
    while i < len(tokens) - 1 and tokens[i].casefold() in PARTICLES:
        i += 1
    particles, core = tokens[:i], " ".join(tokens[i:])
    if "-" in core:  # Müller-Lüdenscheidt
        forms = _hyphen_forms(core, (0.45, 0.15, 0.3, 0.1))
    else:  # García López
        forms = _hyphen_forms(core, (0.4, 0.4, 0.15, 0.05))
    if not particles:
        return forms
    out = []
    for v, f in forms:
        out.append(("".join(particles) + v, (*f, ("particles", "particles", 0.55))))
        out.append((v, (*f, ("particles", "no particles", 0.45))))
    return out


def _ascii(text: str, system: str) -> str:
    return _NOT_LOCAL_RE.sub("", spell(text, system)).strip("-")


@lru_cache(maxsize=4096)
def spellings(parts: NameParts) -> tuple[Spelling, ...]:
    """Every (spelling system × compound form) of the name; the weights of one system sum to 1."""
    middle = _clean(parts.middle).split()
    middle_word = middle[0] if middle else ""
    out: list[Spelling] = []
    firsts = _first_forms(parts.first) if _clean(parts.first) else [("", ())]
    lasts = _last_forms(parts.last) if _clean(parts.last) else [("", ())]
    for system in systems_for(parts.text):
        m = _ascii(middle_word, system)
        for fv, fforms in firsts:
            f = _ascii(fv, system)
            for lv, lforms in lasts:
                forms = (*fforms, *lforms)
                weight = 1.0
                for _, _, w in forms:
                    weight *= w
                label = ", ".join(lab for _, lab, _ in forms)
                out.append(Spelling(f, m, _ascii(lv, system), system, label, weight, forms))
    return tuple(out)
