"""Spelling a name in the ASCII letters of a mailbox: Cyrillic transliteration systems and the
two ways Latin names with umlauts are written.

Each system is a plain function ``str -> str`` (lowercase ASCII letters and "-" only); a
name is rendered in every system that applies to it, and the domain's known addresses decide
which one it uses (see ``learn``).  Sources of the tables:

- ``icao``: ICAO Doc 9303 part 3, table for Cyrillic, used in Russian international passports
  since 2013 (order of the Russian Ministry of Internal Affairs no. 889/2013 and later):
  ж zh, й i, х kh, ц ts, щ shch, ъ ie, ю iu, я ia, ё e.  "Юлия Щербакова" → iuliia shcherbakova.
- ``informal``: the spelling most people choose themselves, identical to the Russian passport
  rules of 1997–2010: й y, ю yu, я ya, ё e, х kh, ц ts, щ shch, ъ/ь dropped → yuliya.
- ``english``: the English-press habit (also most Russians' own e-mail spelling of the
  common first names): like ``informal`` plus кс → x, -ий/-ый at the end → y, -ия at the end
  → ia, ё → yo: Алексей → alexey, Дмитрий → dmitry, Юлия → yulia, Фёдор → fyodor.
- ``bgn``: BGN/PCGN 1947 romanization with its diacritics and apostrophes dropped: е → ye at
  the start of a word and after a vowel, ъ or ь; ё → yo (ye after a consonant is ë → e here):
  Евгений → yevgeniy, Сергеевич → sergeyevich.
- ``gost``: GOST 7.79-2000 system B (ISO 9 transliteration in ASCII), marks dropped:
  й j, х x, ц c before е/и/ы/й else cz, щ shh, ё yo, ю yu, я ya: Щербаков → shherbakov.
- ``simple_h``: the "translit" of chat and web forms: like ``informal`` with х → h, ц → c:
  Михаил → mihail, Харитонов → haritonov.
- ``duden``: the German transcription (Duden; what German employers and registry offices
  write): в w, ж sh, з s, х ch, ц z, ч tsch, ш sch, щ schtsch, й i, ю ju, я ja, ё jo, е → je at
  the start of a word, -ий at the end → i: Шевченко → schewtschenko, Юрий → juri.
Latin names:
- ``umlaut_e``: ä ae, ö oe, ü ue, ß ss (German orthography, DIN 5007-2 and the passport MRZ of
  ICAO 9303), other marks dropped (é → e, ø → oe, æ → ae).
- ``plain``: every mark dropped (ü → u, ø → o), ß → ss.
A name that is plain ASCII has one spelling, named ``ascii``.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable

__all__ = [
    "CYRILLIC_SYSTEMS",
    "LATIN_SYSTEMS",
    "ascii_fold",
    "has_cyrillic",
    "spell",
    "systems_for",
]

CYRILLIC_SYSTEMS = ("informal", "icao", "english", "bgn", "simple_h", "gost", "duden")
LATIN_SYSTEMS = ("umlaut_e", "plain")

_CYR_RE = re.compile(r"[\u0400-\u04ff]")
_UMLAUT_RE = re.compile(r"[äöüÄÖÜ]")
_VOWELS = set("аеёиоуыэюяіїє")

_BASE = {
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ё": "e", "ж": "zh",
    "з": "z", "и": "i", "й": "y", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o",
    "п": "p", "р": "r", "с": "s", "т": "t", "у": "u", "ф": "f", "х": "kh", "ц": "ts",
    "ч": "ch", "ш": "sh", "щ": "shch", "ъ": "", "ы": "y", "ь": "", "э": "e", "ю": "yu",
    "я": "ya", "і": "i", "ї": "yi", "є": "ye", "ґ": "g", "ў": "u",
}  # fmt: skip
_TABLES: dict[str, dict[str, str]] = {
    "informal": _BASE,
    "icao": {**_BASE, "й": "i", "ъ": "ie", "ю": "iu", "я": "ia", "ї": "i", "є": "ie"},
    "english": {**_BASE, "ё": "yo"},
    "bgn": {**_BASE, "ё": "yo"},
    "simple_h": {**_BASE, "х": "h", "ц": "c"},
    "gost": {**_BASE, "й": "j", "х": "x", "ц": "cz", "щ": "shh", "ё": "yo"},
    "duden": {
        **_BASE, "в": "w", "ж": "sh", "з": "s", "х": "ch", "ц": "z", "ч": "tsch", "ш": "sch",
        "щ": "schtsch", "й": "i", "ю": "ju", "я": "ja", "ё": "jo", "ы": "y", "є": "je",
    },
}  # fmt: skip
_LATIN_EXTRA = {
    "æ": "ae",
    "œ": "oe",
    "ł": "l",
    "đ": "d",
    "ı": "i",
    "þ": "th",
    "ð": "d",
    "ß": "ss",
    "ø": "o",
}
_UMLAUTS = {"ä": "ae", "ö": "oe", "ü": "ue", "ø": "oe"}


def has_cyrillic(text: str) -> bool:
    return bool(_CYR_RE.search(text))


def ascii_fold(text: str) -> str:
    """Lowercase ASCII with every mark dropped (é → e, ü → u, ß → ss); other characters stay."""
    text = text.casefold()
    text = "".join(_LATIN_EXTRA.get(c, c) for c in text)
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def _cyrillic(system: str) -> Callable[[str], str]:
    table = _TABLES[system]

    def word(w: str) -> str:
        out: list[str] = []
        n = len(w)
        i = 0
        while i < n:
            c = w[i]
            prev = w[i - 1] if i else ""
            nxt = w[i + 1] if i + 1 < n else ""
            if system == "duden" and c in "иы" and nxt == "й" and i + 2 == n:
                out.append("i" if c == "и" else "y")  # Юрий → juri, Дмитрий → dmitri
                i += 2
                continue
            if system == "english":
                if c == "к" and nxt == "с":
                    out.append("x")
                    i += 2
                    continue
                if c in "иы" and nxt == "й" and i + 2 == n:
                    out.append("y")  # Дмитрий → dmitry
                    i += 2
                    continue
                if c == "и" and nxt == "я" and i + 2 == n:
                    out.append("ia")  # Юлия → yulia, Мария → maria
                    i += 2
                    continue
            if system in ("bgn", "duden") and c in "её":
                initial = not prev or prev in _VOWELS or prev in "ъь"
                if c == "е" and initial:
                    out.append("ye" if system == "bgn" else "je")
                    i += 1
                    continue
                if c == "ё" and system == "bgn" and not initial:
                    out.append("e")
                    i += 1
                    continue
            if system == "gost" and c == "ц" and nxt in ("е", "и", "ы", "й", "і"):
                out.append("c")
                i += 1
                continue
            out.append(table.get(c, c))
            i += 1
        return "".join(out)

    def spell(text: str) -> str:
        text = text.casefold()
        return ascii_fold(re.sub(r"[\u0400-\u04ff]+", lambda m: word(m.group()), text))

    return spell


def _umlaut_e(text: str) -> str:
    text = text.casefold()
    return ascii_fold("".join(_UMLAUTS.get(c, c) for c in text))


_SYSTEMS: dict[str, Callable[[str], str]] = {s: _cyrillic(s) for s in CYRILLIC_SYSTEMS}
_SYSTEMS["umlaut_e"] = _umlaut_e
_SYSTEMS["plain"] = ascii_fold
_SYSTEMS["ascii"] = ascii_fold


def systems_for(text: str) -> tuple[str, ...]:
    """The spelling systems that apply to a name: Cyrillic ones, the two Latin ones when the
    name has an umlaut or ø, ``plain`` for other marks, ``ascii`` for plain ASCII."""
    if has_cyrillic(text):
        return CYRILLIC_SYSTEMS
    if _UMLAUT_RE.search(text) or "ø" in text.casefold():
        return LATIN_SYSTEMS
    if not text.isascii():
        return ("plain",)
    return ("ascii",)


def spell(text: str, system: str) -> str:
    """``text`` in ``system`` (lowercase; characters outside the tables are kept for the caller
    to filter)."""
    return _SYSTEMS[system](text)
