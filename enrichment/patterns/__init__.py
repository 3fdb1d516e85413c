"""Email patterns: learn a domain's local-part pattern and spelling from known (name, email)
pairs, and guess a person's address (pure: no database, no network).

    >>> guess("Юлия Щербакова", "example.ru", known=[("Иван Петров", "i.petrov@example.ru")])

See docs/patterns.md for the patterns, the transliteration systems and how confidence works.
"""

from enrichment.patterns.catalog import PATTERNS, render
from enrichment.patterns.forms import NameParts, Spelling, name_parts, spellings
from enrichment.patterns.guess import Candidate, guess, mail_domain
from enrichment.patterns.learn import DomainPattern, learn, match
from enrichment.patterns.prior import GLOBAL_PRIOR, RUSSIAN_PRIOR, Prior, default_prior
from enrichment.patterns.translit import CYRILLIC_SYSTEMS, LATIN_SYSTEMS, spell, systems_for

__all__ = [
    "CYRILLIC_SYSTEMS",
    "GLOBAL_PRIOR",
    "LATIN_SYSTEMS",
    "PATTERNS",
    "RUSSIAN_PRIOR",
    "Candidate",
    "DomainPattern",
    "NameParts",
    "Prior",
    "Spelling",
    "default_prior",
    "guess",
    "learn",
    "mail_domain",
    "match",
    "name_parts",
    "render",
    "spell",
    "spellings",
    "systems_for",
]
