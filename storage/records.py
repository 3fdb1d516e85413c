"""What a stage hands to storage: normalized values plus where they were seen.

These are plain dataclasses, apart from the table models: an importer or a crawl pipeline fills
them (values already normalized by ``enrichment``), and ``storage.repository.upsert_batch``
merges them into the database with one observation per value.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from operator import attrgetter
from typing import Any

#: Company scalar fields a record may carry, in the order they are merged.
COMPANY_FIELDS = (
    "name",
    "name_key",
    "legal_form",
    "domain",
    "website",
    "country",
    "region",
    "city",
    "address",
    "postal_code",
    "industry",
    "employees",
    "revenue",
    "inn",
    "ogrn",
    "kpp",
    "vat",
    "description",
    "status",
)
#: Keys that identify a company, strongest first after the domain (see ``storage.keys``).
COMPANY_KEY_FIELDS = ("domain", "inn", "ogrn", "vat")
#: Values computed from others (the key and legal form from the name, the name parts from the
#: full name, level/department/decision maker from the title): they are stored on the entity but
#: get no observations of their own — the value they come from is the one traced to its source.
DERIVED_COMPANY_FIELDS = frozenset({"name_key", "legal_form"})
OBSERVED_PERSON_FIELDS = ("full_name", "title")
PERSON_FIELDS = (
    "full_name",
    "first_name",
    "middle_name",
    "last_name",
    "name_key",
    "title",
    "seniority",
    "department",
    "is_decision_maker",
)


@dataclass(slots=True)
class EmailRecord:
    address: str
    domain: str
    kind: str = "personal"  # personal | role
    origin: str = "found"  # found | guessed | imported
    pattern: str | None = None
    confidence: float | None = None


@dataclass(slots=True)
class PersonRecord:
    full_name: str
    name_key: str
    first_name: str | None = None
    middle_name: str | None = None
    last_name: str | None = None
    title: str | None = None
    seniority: str | None = None
    department: str | None = None
    is_decision_maker: bool | None = None
    phones: list[str] = field(default_factory=list)
    emails: list[EmailRecord] = field(default_factory=list)
    #: Fields whose values here only fill gaps (a role named by a legal notice must not
    #: replace the job title a team page gives).
    fallback_fields: frozenset[str] = frozenset()


@dataclass(slots=True)
class CompanyRecord:
    """One sighting of a company (an import row, a crawled page) with its people."""

    source: str  # URL, or "import:FILE"
    locator: str = ""  # "row 17", a CSS path, …
    name: str | None = None
    name_key: str | None = None
    legal_form: str | None = None
    domain: str | None = None
    website: str | None = None
    country: str | None = None
    region: str | None = None
    city: str | None = None
    address: str | None = None
    postal_code: str | None = None
    industry: str | None = None
    employees: int | None = None
    revenue: float | None = None
    inn: str | None = None
    ogrn: str | None = None
    kpp: str | None = None
    vat: str | None = None
    description: str | None = None
    status: str | None = None  # new | current | former; None leaves the stored status alone
    phones: list[str] = field(default_factory=list)
    emails: list[EmailRecord] = field(default_factory=list)
    registry_ids: dict[str, str] = field(default_factory=dict)
    social: dict[str, str] = field(default_factory=dict)
    technologies: list[str] = field(default_factory=list)
    people: list[PersonRecord] = field(default_factory=list)
    #: Free-text notes of the source: kept as observations only (no column of their own).
    notes: list[str] = field(default_factory=list)
    #: Facts of this sighting that have no column (booth, hall, careers …): kept as
    #: observations ``fact.<name>`` only, so they stay tied to their source.
    facts: dict[str, str] = field(default_factory=dict)
    #: Fields whose values here only fill gaps: they never replace a stored value (a name
    #: read from a page title must not overwrite the name a directory or registry gave).
    fallback_fields: frozenset[str] = frozenset()
    #: The company part shared with the record this one was copied from (``copy``): records
    #: with the same ``shared`` dict carry the same company values, merged once per batch.
    shared: dict[str, Any] | None = field(default=None, repr=False, compare=False)

    def copy(self, *, locator: str) -> CompanyRecord:
        """The same company seen at another place: fresh containers, no emails or people."""
        self.shared = self.scalar_values()
        new = CompanyRecord.__new__(CompanyRecord)
        new.shared = self.shared
        for name in COMPANY_FIELDS:
            setattr(new, name, getattr(self, name))
        new.source, new.locator = self.source, locator
        new.phones, new.technologies = list(self.phones), list(self.technologies)
        new.registry_ids, new.social = dict(self.registry_ids), dict(self.social)
        new.emails, new.people, new.notes = [], [], []
        new.facts, new.fallback_fields = {}, self.fallback_fields
        return new

    def scalar_values(self) -> dict[str, Any]:
        """Non-empty scalar fields; the shared dict for copies (treat it as read-only)."""
        if self.shared is not None:
            return self.shared
        return {f: getattr(self, f) for f in COMPANY_FIELDS if getattr(self, f) not in (None, "")}


@dataclass(slots=True)
class Problem:
    """A row, page or value that was not stored as given, and why."""

    where: str  # "row 17", a URL
    reason: str
    severity: str = "warning"  # warning: stored without that value | error: not stored

    def as_dict(self) -> dict[str, str]:
        return {"where": self.where, "reason": self.reason, "severity": self.severity}

    def __str__(self) -> str:
        return f"{self.where}: {self.reason}"


@dataclass(slots=True)
class BatchResult:
    companies_new: int = 0
    companies_updated: int = 0
    companies_unchanged: int = 0
    companies_merged: int = 0
    people_new: int = 0
    people_updated: int = 0
    people_unchanged: int = 0
    emails_new: int = 0
    suppressed: int = 0
    problems: list[Problem] = field(default_factory=list)

    def add(self, other: BatchResult) -> None:
        for name in self.__slots__:
            if name == "problems":
                self.problems.extend(other.problems)
            else:
                setattr(self, name, getattr(self, name) + getattr(other, name))

    def counts(self) -> dict[str, int]:
        return {n: getattr(self, n) for n in self.__slots__ if n != "problems"}


def pickle_by_fields(cls: type) -> type:
    """Pickle a slotted dataclass as (class, field values): one constructor call to rebuild,
    instead of the generic ``__setstate__`` that sets each slot from Python.  Records cross a
    process boundary for every imported row (``leadgen.importing.stage``), and the generic way
    cost the writer process about as much time as writing them."""
    get = attrgetter(*(f.name for f in fields(cls)))

    def __reduce__(self):  # noqa: N807
        return cls, get(self)

    cls.__reduce__ = __reduce__
    return cls


for _cls in (EmailRecord, PersonRecord, CompanyRecord, Problem):
    pickle_by_fields(_cls)
