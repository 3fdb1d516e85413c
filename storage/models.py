"""Table models of the prospect database.

Every stored value can be traced: entity tables hold the current, merged value; the
``observations`` table holds each value as each source showed it (source URL or import file +
row, run, first and latest time seen).  Times are timezone-aware UTC
(``storage.clock.utcnow``), the same on SQLite and PostgreSQL.

Table models only: no engine at import time, no sessions here (see ``storage.db``).
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Column, Index, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from storage.clock import utcnow

#: Account status: a prospect, a current customer, a former customer.
COMPANY_STATUSES = ("new", "current", "former")
EMAIL_KINDS = ("personal", "role")
EMAIL_ORIGINS = ("found", "guessed", "imported")
EMAIL_STATUSES = ("unverified", "valid", "invalid", "risky", "unknown")
#: What a guessed address rests on, strongest first: seen on the web, a pattern learned from the
#: domain's known addresses, the overall pattern distribution.
EMAIL_EVIDENCE = ("web", "learned", "prior")
#: Whether a domain can receive mail, from DNS (``mail_domains.mail_status``).
MAIL_STATUSES = ("ok", "null_mx", "nxdomain", "no_host", "unknown")
ENTITY_TYPES = ("company", "person", "email")
#: How an order row found its account, strongest first (``leadgen import-orders``).
ORDER_MATCH_RULES = ("inn", "domain", "name")
#: The columns of ``emails`` a verification result sets (``enrichment.verify`` result fields).
EMAIL_VERIFY_FIELDS = (
    "status",
    "syntax_ok",
    "mx_hosts",
    "catch_all",
    "disposable",
    "role",
    "free_provider",
    "greylisted",
    "full_inbox",
    "disabled",
    "reason",
)


def _json(default: Any = None) -> Any:
    return Field(
        default_factory=(lambda: type(default)()) if default is not None else None,
        sa_column=Column(JSON, nullable=default is None),
    )


class Company(SQLModel, table=True):
    __tablename__ = "companies"
    # Each list filter leads an index that continues with the default sort (name_key), so a page
    # reads its 50 entries instead of sorting every match (bench/bench_list.py: country RU on 1M
    # companies 884 ms -> 6 ms).  No index on last_seen: every sighting moves it, and an index
    # there would be rewritten for every company of every import.
    __table_args__ = (
        Index("ix_companies_country_city_name", "country", "city_key", "name_key"),
        Index("ix_companies_city_name", "city_key", "name_key"),
        Index("ix_companies_country_name", "country", "name_key"),
        Index("ix_companies_status_name", "status", "name_key"),
        Index("ix_companies_industry_name", "industry_key", "name_key"),
        Index("ix_companies_country_employees", "country", "employees"),
        # (country, rowid): newest first within a country without a sort.
        Index("ix_companies_country", "country"),
    )

    id: int | None = Field(default=None, primary_key=True)
    name: str
    name_key: str = Field(index=True)
    legal_form: str | None = None
    domain: str | None = Field(default=None, unique=True)
    website: str | None = None
    country: str | None = None
    region: str | None = None
    city: str | None = None
    #: ``storage.keys.city_key(city)``: case- and prefix-folded, for matching and filtering.
    city_key: str = ""
    address: str | None = None
    postal_code: str | None = None
    phones: list[str] = _json([])
    industry: str | None = None
    #: ``storage.keys.text_key(industry)``: case-folded, for filtering (like city_key).
    industry_key: str | None = None
    employees: int | None = Field(default=None, index=True)
    revenue: float | None = None
    inn: str | None = Field(default=None, unique=True)
    ogrn: str | None = Field(default=None, unique=True)
    kpp: str | None = None
    vat: str | None = Field(default=None, unique=True)
    registry_ids: dict[str, str] = _json({})
    social: dict[str, str] = _json({})
    technologies: list[str] = _json([])
    description: str | None = Field(default=None, sa_column=Column(Text))
    status: str = "new"
    first_seen: datetime = Field(default_factory=utcnow)
    last_seen: datetime = Field(default_factory=utcnow)
    last_verified: datetime | None = None
    #: When someone at the account opted out (``leadgen forget`` of one of its people): the
    #: account stays, but is never to be cold-contacted again (lifecycle colour orange).
    opted_out_at: datetime | None = None
    #: when ``leadgen refresh`` last re-crawled the company's website (None: never)
    refreshed_at: datetime | None = None


class Person(SQLModel, table=True):
    __tablename__ = "people"
    __table_args__ = (Index("ix_people_company_name_key", "company_id", "name_key"),)

    id: int | None = Field(default=None, primary_key=True)
    company_id: int = Field(foreign_key="companies.id")
    full_name: str
    first_name: str | None = None
    middle_name: str | None = None
    last_name: str | None = None
    name_key: str
    title: str | None = None
    seniority: str | None = None
    department: str | None = None
    is_decision_maker: bool = Field(default=False)
    phones: list[str] = _json([])
    first_seen: datetime = Field(default_factory=utcnow)
    last_seen: datetime = Field(default_factory=utcnow)
    gone_at: datetime | None = None


class Email(SQLModel, table=True):
    __tablename__ = "emails"

    id: int | None = Field(default=None, primary_key=True)
    address: str = Field(unique=True)
    domain: str = Field(index=True)
    person_id: int | None = Field(default=None, foreign_key="people.id", index=True)
    company_id: int | None = Field(default=None, foreign_key="companies.id", index=True)
    kind: str = "personal"
    origin: str = "found"
    pattern: str | None = None
    confidence: float | None = None
    # verification (filled by the verify stage)
    status: str = Field(default="unverified")
    syntax_ok: bool | None = None
    mx_hosts: list[str] | None = _json()
    catch_all: bool | None = None
    disposable: bool | None = None
    role: bool | None = None
    free_provider: bool | None = None
    greylisted: bool | None = None
    full_inbox: bool | None = None
    disabled: bool | None = None
    reason: str | None = None
    #: For guessed addresses: web | learned | prior (EMAIL_EVIDENCE).
    evidence: str | None = None
    checked_at: datetime | None = None
    attempts: int = 0
    next_check_at: datetime | None = None
    first_seen: datetime = Field(default_factory=utcnow)
    last_seen: datetime = Field(default_factory=utcnow)


class MailDomain(SQLModel, table=True):
    """What is known of one mail domain, cached so that 10,000 addresses cost one lookup.

    DNS (MX hosts, whether the domain takes mail at all), the SMTP catch-all probe, and the
    email pattern learned from the domain's known addresses, each with the time it was found
    (a cache entry older than the configured TTL is checked again).
    """

    __tablename__ = "mail_domains"

    domain: str = Field(primary_key=True)
    mail_status: str | None = None  # MAIL_STATUSES
    mx_hosts: list[str] | None = _json()
    dns_reason: str | None = None
    dns_checked_at: datetime | None = None
    catch_all: bool | None = None
    catch_all_checked_at: datetime | None = None
    #: Pattern name (e.g. ``first.last``) and transliteration system (for Cyrillic names).
    email_pattern: str | None = None
    pattern_translit: str | None = None
    pattern_confidence: float | None = None
    pattern_support: int = 0
    pattern_learned_at: datetime | None = None


class Merge(SQLModel, table=True):
    """One duplicate folded into another, and why (``leadgen dedupe``, or a merge on import)."""

    __tablename__ = "merges"
    __table_args__ = (Index("ix_merges_entity_kept", "entity_type", "kept_id"),)

    id: int | None = Field(default=None, primary_key=True)
    entity_type: str  # company | person
    kept_id: int
    merged_id: int
    #: The rule that matched: domain, inn, ogrn, vat, email, name_city, name_phone, name, …
    rule: str
    score: float | None = None
    reason: str = Field(sa_column=Column(Text, nullable=False))
    #: The merged record's values as they were, so a wrong merge can be understood (and undone).
    details: dict[str, Any] = _json({})
    run_id: int | None = Field(default=None, foreign_key="runs.id")
    created_at: datetime = Field(default_factory=utcnow)


class Run(SQLModel, table=True):
    """One crawl / import / enrich / score run, with its parameters, counts and problems."""

    __tablename__ = "runs"

    id: int | None = Field(default=None, primary_key=True)
    kind: str = Field(index=True)
    status: str = "running"  # running | ok | partial | failed
    started_at: datetime = Field(default_factory=utcnow)
    finished_at: datetime | None = None
    parameters: dict[str, Any] = _json({})
    counts: dict[str, Any] = _json({})
    problems: list[dict[str, Any]] = _json([])
    error: str | None = Field(default=None, sa_column=Column(Text))


class Observation(SQLModel, table=True):
    """One value of one entity as one source shows it: first and latest sighting, and run.

    A source is a URL or an import (``import:NAME``); ``locator`` says where in it the value was
    first seen (file and row, or a place on the page).  Seeing it again moves ``last_seen_at``.
    """

    __tablename__ = "observations"
    __table_args__ = (
        UniqueConstraint(
            "entity_type",
            "entity_id",
            "field",
            "source",
            "value_hash",
            name="uq_observations_sighting",
        ),
        # what a page supported (storage.pages: a page gone retires its people)
        Index("ix_observations_source", "source", "entity_type"),
    )

    id: int | None = Field(default=None, primary_key=True)
    entity_type: str
    entity_id: int
    field: str
    value: str = Field(sa_column=Column(Text, nullable=False))
    value_hash: str
    source: str
    locator: str = ""
    run_id: int | None = Field(default=None, foreign_key="runs.id")
    last_run_id: int | None = None
    first_seen_at: datetime = Field(default_factory=utcnow)
    last_seen_at: datetime = Field(default_factory=utcnow)


class Segment(SQLModel, table=True):
    __tablename__ = "segments"

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(unique=True)
    description: str | None = None
    definition: dict[str, Any] = _json({})
    config_hash: str | None = None
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)


class Score(SQLModel, table=True):
    __tablename__ = "scores"
    __table_args__ = (
        UniqueConstraint("segment_id", "company_id", name="uq_scores_account"),
        Index("ix_scores_segment_tier", "segment_id", "tier"),
        # A merge or an erase deletes companies: their scores are found by company.
        Index("ix_scores_company", "company_id"),
    )

    id: int | None = Field(default=None, primary_key=True)
    segment_id: int = Field(foreign_key="segments.id")
    company_id: int = Field(foreign_key="companies.id")
    attractiveness: float | None = None
    position: float | None = None
    cell: str | None = None
    tier: str | None = None
    total: float | None = None
    dqi: float | None = None
    explanation: dict[str, Any] = _json({})
    override_tier: str | None = None
    override_reason: str | None = None
    config_hash: str | None = None
    run_id: int | None = Field(default=None, foreign_key="runs.id")
    scored_at: datetime = Field(default_factory=utcnow)


class Page(SQLModel, table=True):
    """A web page a crawl fetched, with what its last fetches answered (refresh bookkeeping).

    ``last_ok_at`` / ``prev_ok_at``: the last two fetches that answered 2xx or 304 (a person no
    longer on a page that was fetched twice since they were last seen on it is gone);
    ``failures``: 404 / 410 answers in a row — at ``storage.pages.RETIRE_AFTER`` the page is
    retired (``retired_at``) and what only it supported with it.  Other errors (5xx, timeouts)
    say nothing about the page and change neither.
    """

    __tablename__ = "pages"

    id: int | None = Field(default=None, primary_key=True)
    url: str = Field(sa_column=Column(Text, nullable=False, unique=True))
    status: int | None = None  # the last answer's HTTP status (0: no answer)
    first_checked_at: datetime = Field(default_factory=utcnow)
    last_checked_at: datetime = Field(default_factory=utcnow)
    last_ok_at: datetime | None = None
    prev_ok_at: datetime | None = None
    #: the last time the page came in full (2xx, not a 304): the values it gave then are the
    #: ones a later 304 confirms (``storage.pages.touch_sources``)
    read_at: datetime | None = None
    failures: int = 0
    retired_at: datetime | None = None


class Suppression(SQLModel, table=True):
    """An opted-out email or domain, kept only as a SHA-256 hash of its normalized form."""

    __tablename__ = "suppressions"
    __table_args__ = (UniqueConstraint("kind", "value_hash", name="uq_suppressions_value"),)

    id: int | None = Field(default=None, primary_key=True)
    kind: str  # email | domain
    value_hash: str
    reason: str | None = None
    created_at: datetime = Field(default_factory=utcnow)


class ChangeEvent(SQLModel, table=True):
    __tablename__ = "change_events"
    __table_args__ = (Index("ix_change_events_entity", "entity_type", "entity_id"),)

    id: int | None = Field(default=None, primary_key=True)
    entity_type: str
    entity_id: int
    company_id: int | None = Field(default=None, index=True)
    # changed | gone | merged.  New companies and people need no event: first_seen says when.
    kind: str
    field: str | None = None
    old_value: str | None = Field(default=None, sa_column=Column(Text))
    new_value: str | None = Field(default=None, sa_column=Column(Text))
    run_id: int | None = Field(default=None, foreign_key="runs.id")
    created_at: datetime = Field(default_factory=utcnow, index=True)


class Order(SQLModel, table=True):
    """One order (or invoice, or sale) of a customer account, from ``leadgen import-orders``.

    ``order_key`` identifies the order across imports, so importing the same file again (or an
    overlapping export) adds nothing: ``no:<number>`` when the file has an order number, else a
    hash of the customer as the row names it, the date, the amount and the occurrence of that
    triple in the file (``storage.orders``).  ``source`` and ``locator`` say where it was first
    read (``import:NAME``, file + row); ``matched_by`` how the row found its account.
    """

    __tablename__ = "orders"
    __table_args__ = (
        # RFM/ABC read (company, date, amount) per customer: a covering index, no table reads.
        Index("ix_orders_company_date", "company_id", "order_date", "amount"),
    )

    id: int | None = Field(default=None, primary_key=True)
    company_id: int = Field(foreign_key="companies.id")
    order_key: str = Field(unique=True)
    order_number: str | None = None
    order_date: date
    amount: float
    currency: str | None = None
    matched_by: str  # inn | domain | name
    source: str
    locator: str = ""
    run_id: int | None = Field(default=None, foreign_key="runs.id")
    created_at: datetime = Field(default_factory=utcnow)


class ExportLog(SQLModel, table=True):
    __tablename__ = "export_log"

    id: int | None = Field(default=None, primary_key=True)
    created_at: datetime = Field(default_factory=utcnow)
    kind: str  # companies | contacts
    format: str
    path: str
    filters: dict[str, Any] = _json({})
    row_count: int = 0
    sha256: str | None = None
