"""The segment configuration: frozen dataclasses, the constants they draw on, the hash.

``scoring.segment`` builds these from a TOML file and validates every key; nothing here reads
files. ``config_hash`` is the sha256 of a canonical JSON of a validated config (defaults filled
in, keys sorted, 1 and 1.0 alike, private fields left out), so two files that mean the same
thing hash the same and any stored score can name the configuration that produced it.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field, fields, is_dataclass
from types import MappingProxyType
from typing import Any

from scoring.customers import DEFAULT_FACTOR, DEFAULT_INTERVAL_DAYS, DEFAULT_WINDOW_DAYS

TIERS = ("strategic", "scale", "programmatic")
LEVELS = ("low", "medium", "high")
CELLS = tuple(f"{a}/{p}" for a in reversed(LEVELS) for p in reversed(LEVELS))
AXES = ("attractiveness", "position")
KINDS = ("bands", "categories", "keywords", "boolean")
SPIDERS = ("directory", "exhibitors", "company")
STATUSES = ("new", "current", "former")
GROWTH = ("growing", "flat", "shrinking")
# GE/McKinsey: invest on the upper-left diagonal, select in the middle, harvest below it.
DEFAULT_TIERS = MappingProxyType(
    {
        "high/high": "strategic",
        "high/medium": "strategic",
        "medium/high": "strategic",
        "high/low": "scale",
        "medium/medium": "scale",
        "low/high": "scale",
        "medium/low": "programmatic",
        "low/medium": "programmatic",
        "low/low": "programmatic",
    }
)
# The departments enrichment.normalize.titles knows (copied: scoring imports nothing of ours;
# tests/scoring/test_docs_segments.py checks the two lists agree).
DEPARTMENTS = (
    "executive", "sales", "marketing", "finance", "it", "engineering", "operations",
    "procurement", "hr", "legal", "production", "customer_service", "other",
)  # fmt: skip
CADENCES = {"weekly": 7, "monthly": 30, "quarterly": 90, "yearly": 365}
DEFAULT_REFRESH = MappingProxyType({"strategic": 30, "scale": 90, "programmatic": 90})
QUALITY_FIELDS = (
    "name",
    "domain",
    "website",
    "country",
    "region",
    "city",
    "industry",
    "employees",
    "revenue",
    "revenue_growth",
    "inn",
    "ogrn",
    "vat",
    "phones",
    "company_emails",
    "description",
    "technologies",
    "social",
)

# Every key a segment file may hold, as written in docs/segments.md (a test checks the docs).
SCHEMA_KEYS = (
    "name",
    "description",
    "sources",
    "sources[].spider",
    "icp",
    "icp.countries",
    "icp.regions",
    "icp.industries",
    "icp.employees",
    "icp.revenue",
    "icp.exclude_domains",
    "icp.exclude_companies",
    "icp.exclude_statuses",
    "icp.missing",
    "icp.growth",
    "icp.growth.inflation",
    "icp.growth.tolerance",
    "icp.growth.allow",
    "scoring",
    "scoring.matrix",
    "scoring.matrix.medium",
    "scoring.matrix.high",
    "scoring.tiers",
    "scoring.attractiveness",
    "scoring.position",
    "criteria",
    "criteria[].name",
    "criteria[].field",
    "criteria[].kind",
    "criteria[].weight",
    "criteria[].missing",
    "criteria[].bands",
    "criteria[].points",
    "criteria[].other",
    "criteria[].keywords",
    "criteria[].none",
    "criteria[].mode",
    "criteria[].yes",
    "criteria[].no",
    "quality",
    "quality.required",
    "quality.min_contacts",
    "quality.min_decision_makers",
    "quality.target",
    "decision_makers",
    "decision_makers.titles",
    "decision_makers.departments",
    "refresh",
    "refresh.strategic",
    "refresh.scale",
    "refresh.programmatic",
    "overrides",
    "overrides[].domain",
    "overrides[].inn",
    "overrides[].tier",
    "overrides[].reason",
    "customers",
    "customers.current_days",
    "customers.reactivation_interval_days",
    "customers.reactivation_factor",
)


class SegmentError(ValueError):
    """A segment file that cannot be used: ``errors`` lists every problem, each with its key."""

    def __init__(self, errors: list[str], source: str = "segment") -> None:
        self.errors = list(errors)
        self.source = source
        lines = "\n".join(f"  {e}" for e in self.errors)
        super().__init__(f"{source}: {len(self.errors)} problem(s)\n{lines}")


@dataclass(frozen=True, slots=True)
class Range:
    """Inclusive bounds; either may be None (open)."""

    min: float | None = None
    max: float | None = None


@dataclass(frozen=True, slots=True)
class GrowthRule:
    """Real growth = revenue_growth − inflation: above +tolerance growing, below −tolerance
    shrinking, else flat; only the classes in ``allow`` pass the ICP."""

    inflation: float = 0.0
    tolerance: float = 0.02
    allow: tuple[str, ...] = GROWTH


@dataclass(frozen=True, slots=True)
class IcpConfig:
    countries: frozenset[str] = frozenset()
    regions: frozenset[str] = frozenset()
    industries: frozenset[str] = frozenset()
    employees: Range = Range()
    revenue: Range = Range()
    exclude_domains: frozenset[str] = frozenset()
    exclude_companies: frozenset[str] = frozenset()
    exclude_statuses: frozenset[str] = frozenset()
    growth: GrowthRule | None = None
    missing: str = "pass"  # "pass": an unknown value does not exclude; "fail": it does


@dataclass(frozen=True, slots=True)
class Criterion:
    """One weighted criterion of an axis. Raw points come from the kind's own keys; the
    criterion gives ``weight × raw`` points out of ``weight × max_raw``."""

    name: str
    field: str
    kind: str
    weight: float = 1.0
    missing: float = 0.0
    bands: tuple[tuple[float, float], ...] = ()  # (min, points), ascending min
    points: float | tuple[tuple[str, float], ...] = 0.0  # keywords: number; categories: map
    other: float = 0.0
    keywords: tuple[str, ...] = ()
    none: float = 0.0
    mode: str = "any"
    yes: float = 0.0
    no: float = 0.0
    max_raw: float = field(default=0.0, compare=False)
    # keywords: text -> keywords found, filled while scoring (not part of the configuration)
    _memo: dict[str, list[str]] = field(default_factory=dict, compare=False, repr=False)


@dataclass(frozen=True, slots=True)
class AxisConfig:
    criteria: tuple[Criterion, ...]
    max_points: float  # sum of weight × max_raw


@dataclass(frozen=True, slots=True)
class ScoringConfig:
    attractiveness: AxisConfig
    position: AxisConfig
    medium: float = 40.0  # an axis score >= medium is "medium", >= high is "high"
    high: float = 70.0
    tiers: Mapping[str, str] = field(default_factory=lambda: DEFAULT_TIERS)


@dataclass(frozen=True, slots=True)
class QualityConfig:
    required: tuple[str, ...] = ("name", "domain", "country", "industry", "employees")
    min_contacts: int = 3
    min_decision_makers: int = 1
    target: float = 0.95


@dataclass(frozen=True, slots=True)
class DecisionMakerConfig:
    titles: tuple[str, ...] = ()
    departments: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Override:
    tier: str
    reason: str
    domain: str | None = None
    inn: str | None = None


#: The longest window or interval ``[customers]`` and the customer commands accept (100 years):
#: more would fall off the calendar when counted back from today.
MAX_CUSTOMER_DAYS = 36_500


@dataclass(frozen=True, slots=True)
class CustomersConfig:
    """The segment's customer-history settings (``[customers]``, docs/customers.md): a last order
    within ``current_days`` makes a current customer, older a former one (and the colour red);
    ``leadgen reactivation`` uses the interval and factor."""

    current_days: int = DEFAULT_WINDOW_DAYS
    reactivation_interval_days: float = float(DEFAULT_INTERVAL_DAYS)
    reactivation_factor: float = DEFAULT_FACTOR


@dataclass(frozen=True, slots=True)
class SegmentConfig:
    name: str
    description: str
    sources: tuple[Mapping[str, Any], ...]
    icp: IcpConfig
    scoring: ScoringConfig
    quality: QualityConfig
    decision_makers: DecisionMakerConfig
    refresh: Mapping[str, int]
    overrides: tuple[Override, ...]
    customers: CustomersConfig = CustomersConfig()
    hash: str = field(default="", compare=False)

    _override_index: Mapping[tuple[str, str], Override] = field(
        default_factory=lambda: MappingProxyType({}), compare=False, repr=False
    )

    def override_for(self, account: Mapping[str, Any]) -> Override | None:
        """The override naming this account (by domain, else INN), or None."""
        if not self.overrides:
            return None
        table = self._override_index
        domain = _norm_domain(account.get("domain"))
        if domain and ("domain", domain) in table:
            return table[("domain", domain)]
        inn = _norm_inn(account.get("inn"))
        if inn and ("inn", inn) in table:
            return table[("inn", inn)]
        return None


def _norm_domain(value: Any) -> str | None:
    if not isinstance(value, str):
        return None
    text = value.strip().lower().rstrip(".")
    if "/" not in text and not text.startswith("www."):
        return text or None
    for prefix in ("https://", "http://"):
        if text.startswith(prefix):
            text = text[len(prefix) :]
    text = text.split("/", 1)[0]
    if text.startswith("www."):
        text = text[4:]
    return text or None


def _company_key(name: str) -> str:
    return " ".join(re.sub(r"[\"'«»“”„`]+", " ", name).split()).casefold()


def _norm_inn(value: Any) -> str | None:
    if isinstance(value, int) and not isinstance(value, bool):
        value = str(value)
    if not isinstance(value, str):
        return None
    text = "".join(value.split())
    return text or None


def config_hash(config: SegmentConfig) -> str:
    """sha256 of the canonical JSON of a validated config (the ``hash`` field left out)."""
    plain = _plain(config)
    plain.pop("hash", None)
    if plain.get("customers") == _plain(CustomersConfig()):
        # [customers] left at its defaults hashes like no table at all: the files written
        # before the table existed keep the hash their stored scores and run states carry.
        plain.pop("customers")
    text = json.dumps(plain, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _plain(value: Any) -> Any:
    if is_dataclass(value) and not isinstance(value, type):
        return {
            f.name: _plain(getattr(value, f.name))
            for f in fields(value)
            if not f.name.startswith("_")
        }
    if isinstance(value, Mapping):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, frozenset | set):
        return sorted(_plain(v) for v in value)
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value
