"""A deterministic Cyrillic→Latin transliteration plus Latin folding, for matching keys only.

Base table: ICAO Doc 9303 (the scheme in Russian international passports since 2013):
ж→zh, й→i, х→kh, ц→ts, ч→ch, ш→sh, щ→shch, ы→y, э→e, ю→iu, я→ia, ь→"".
Deviation: ъ→"" (ICAO writes "ie"; company names almost never do).
Ukrainian/Belarusian letters follow the same passport practice: і→i, ї→i, є→ie, ґ→g, ў→u.

The result is then folded, identically for text that was Latin from the start, so that the
spellings companies really use meet the transliterated one (Яндекс/Yandex, Лукойл/Lukoil,
Химки/Khimki/Himki):
- "kh"→"h", "x"→"ks", "y"→"i", "j"→"i" (so -ий/-ый/-ой/-ай, я/ya/ia and ю/yu/iu agree);
- Latin diacritics are dropped after NFKD (ü→u, é→e, ß is already "ss" after casefold);
  letters NFKD does not split are mapped by hand (æ→ae, ø→o, ł→l, đ→d, ı→i, þ→th).
  German "Mueller" therefore stays apart from "Müller"/"Muller": a known limitation.
The output is a key for comparison, not a spelling to show anyone.
"""

from __future__ import annotations

import unicodedata

__all__ = ["fold_latin", "translit_key"]

_CYRILLIC = {
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ё": "e", "ж": "zh",
    "з": "z", "и": "i", "й": "i", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o",
    "п": "p", "р": "r", "с": "s", "т": "t", "у": "u", "ф": "f", "х": "kh", "ц": "ts",
    "ч": "ch", "ш": "sh", "щ": "shch", "ъ": "", "ы": "y", "ь": "", "э": "e", "ю": "iu",
    "я": "ia", "і": "i", "ї": "i", "є": "ie", "ґ": "g", "ў": "u",
}  # fmt: skip
_EXTRA = {"æ": "ae", "ø": "o", "ł": "l", "đ": "d", "ı": "i", "þ": "th", "œ": "oe", "ð": "d"}
_TABLE = str.maketrans({**_CYRILLIC, **_EXTRA})


def fold_latin(text: str) -> str:
    """Drop diacritics and fold the spelling variants listed in the module docstring."""
    if not text.isascii():
        decomposed = unicodedata.normalize("NFKD", text)
        text = "".join(c for c in decomposed if not unicodedata.combining(c))
    return text.replace("kh", "h").replace("x", "ks").replace("y", "i").replace("j", "i")


def translit_key(text: str) -> str:
    """Lowercase ``text``, transliterate Cyrillic (ICAO 9303) and fold Latin variants."""
    return fold_latin(text.casefold().translate(_TABLE))
