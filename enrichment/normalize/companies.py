"""Company names: a cleaned display form, the legal form, and two matching keys.

``key`` is the name without its legal form, quotes and punctuation, casefolded (ё→е), for
exact matching within one script; ``translit_key`` is ``key`` transliterated and folded
(see :mod:`enrichment.normalize.translit`) so «Ромашка» and "Romashka" meet.
The legal-form list and its sources live in :mod:`enrichment.normalize.legal_forms`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from enrichment.normalize.legal_forms import LEGAL_FORMS, reference_forms
from enrichment.normalize.translit import translit_key as _translit

__all__ = ["CompanyName", "normalize_company_name"]

MAX_INPUT = 500


@dataclass(frozen=True, slots=True)
class CompanyName:
    raw: str
    display: str
    legal_form: str | None
    key: str
    translit_key: str


def _compact(s: str) -> str:
    return re.sub(r"[\s./'’()\-]+", "", s.casefold().replace("ё", "е"))


def _build() -> tuple[dict[str, str], dict[str, str], int]:
    start: dict[str, str] = {}
    end: dict[str, str] = {}
    max_tokens = 1
    for label, where, variants in (*LEGAL_FORMS, *reference_forms()):
        for variant in variants.split("|"):
            compact = _compact(variant)
            end.setdefault(compact, label)
            if where == "both":
                start.setdefault(compact, label)
            # "s. r. l." is three tokens when written with spaces
            pieces = re.split(r"[\s.]+", variant.strip(". "))
            max_tokens = max(max_tokens, len(pieces))
    return start, end, max_tokens


_START_FORMS, _END_FORMS, _MAX_TOKENS = _build()

# Double quotes in all the shapes lead lists use: «» „“ “” ″ and CSV-doubled "".
_DQUOTE_RE = re.compile(r"''|\"\"|[\"«»„“”‟″〝〞]")
_WS_RE = re.compile(r"\s+")
_CYR_RE = re.compile(r"[а-яё]", re.IGNORECASE)
_KEY_SPLIT_RE = re.compile(r"[\"«»„“”‟″,;:!?()\[\]{}<>]+")
_NON_WORD_RE = re.compile(r"[\W_]+")
# Conjunctions joining names ("Procter & Gamble" = "Procter and Gamble"; "Müller und Söhne",
# "Мать и дитя") are dropped from the key: lossy, but the same on both sides of a comparison.
_CONJUNCTIONS = frozenset({"&", "and", "und", "и"})


def _display(text: str) -> str:
    s = _WS_RE.sub(" ", text).strip(" ,;")
    cyrillic = bool(_CYR_RE.search(s))
    opening, closing = ("«", "»") if cyrillic else ('"', '"')
    parts = _DQUOTE_RE.split(s)
    if len(parts) == 1:
        return s
    out = [parts[0]]
    for i, part in enumerate(parts[1:]):
        out.append(opening if i % 2 == 0 else closing)
        out.append(part)
    if len(parts) % 2 == 0:  # odd number of quotes: close the last one
        out.append(closing)
    joined = "".join(out)
    # drop empty quote pairs left by CSV escaping and fix spacing inside quotes
    joined = joined.replace(opening + closing, "")
    joined = re.sub(rf"{re.escape(opening)}\s+", opening, joined)
    joined = re.sub(rf"\s+{re.escape(closing)}(?=\s|$|[,.;)])", closing, joined)
    return _WS_RE.sub(" ", joined).strip()


def _strip_forms(tokens: list[str]) -> tuple[list[str], str | None]:
    label: str | None = None
    changed = True
    while changed and len(tokens) > 1:
        changed = False
        for k in range(min(_MAX_TOKENS, len(tokens) - 1), 0, -1):
            found = _END_FORMS.get(_compact("".join(tokens[-k:])))
            if found:
                tokens, label, changed = tokens[:-k], label or found, True
                break
        if len(tokens) <= 1:
            break
        for k in range(min(_MAX_TOKENS, len(tokens) - 1), 0, -1):
            found = _START_FORMS.get(_compact("".join(tokens[:k])))
            if found:
                tokens, label, changed = tokens[k:], label or found, True
                break
    return tokens, label


def normalize_company_name(text: str | None) -> CompanyName:
    """Display form, legal form and matching keys of a company name; never raises."""
    if not isinstance(text, str):
        return CompanyName("", "", None, "", "")
    return _normalize(text[:MAX_INPUT])


@lru_cache(maxsize=131_072)
def _normalize(raw: str) -> CompanyName:
    display = _display(raw)
    lowered = display.casefold().replace("ё", "е")
    tokens = _KEY_SPLIT_RE.sub(" ", lowered).split()
    stripped, label = _strip_forms(tokens)
    if len(tokens) == 1:  # the whole name is a legal form ("ООО"): report it, keep the key
        label = _END_FORMS.get(_compact(tokens[0]))
    plain = " ".join(stripped).replace("'", "").replace("’", "")
    words = [w for w in _NON_WORD_RE.sub(" ", plain).split() if w not in _CONJUNCTIONS]
    if len(words) > 1 and words[0] in ("the", "der", "die", "das"):
        words = words[1:]  # "The Boeing Company" = "Boeing Co"
    key = " ".join(words)
    return CompanyName(raw, display, label, key, _translit(key))
