"""Finding duplicate companies and people: blocks, candidate pairs with a rule, a score and a
reason, and clusters (pure: plain records in, a plan out; no database).

``find_company_duplicates(entries)`` and ``find_person_duplicates(entries)`` return a
:class:`DedupePlan`; ``storage.dedupe`` loads the records and applies the plan.
"""

from enrichment.dedupe.clusters import DedupePlan, Match, Refusal
from enrichment.dedupe.companies import (
    DEFAULT_THRESHOLD,
    CompanyEntry,
    compare_companies,
    find_company_duplicates,
)
from enrichment.dedupe.people import PersonEntry, compare_people, find_person_duplicates

__all__ = [
    "DEFAULT_THRESHOLD",
    "CompanyEntry",
    "DedupePlan",
    "Match",
    "PersonEntry",
    "Refusal",
    "compare_companies",
    "compare_people",
    "find_company_duplicates",
    "find_person_duplicates",
]
