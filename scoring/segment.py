"""A segment file (TOML) loaded into one frozen, validated ``SegmentConfig`` with a stable hash.

``load_segment(path)`` reads the file; ``parse_segment(mapping)`` validates an already-parsed
table. Every problem is collected — not just the first — and each names the key path and what
is wrong (``scoring.attractiveness.criteria[2].bands: must be ascending``); they are raised
together as one ``SegmentError``. The keys are documented in docs/segments.md.

``SegmentConfig.hash`` is the sha256 of a canonical JSON of the validated config (defaults
filled in, keys sorted), so two files that mean the same thing hash the same and any stored
score can name the exact configuration that produced it.
"""

from __future__ import annotations

import math
import tomllib
from collections.abc import Mapping
from pathlib import Path
from types import MappingProxyType
from typing import Any

from scoring.config import (
    AXES,
    CADENCES,
    CELLS,
    DEFAULT_REFRESH,
    DEFAULT_TIERS,
    DEPARTMENTS,
    GROWTH,
    KINDS,
    LEVELS,
    MAX_CUSTOMER_DAYS,
    QUALITY_FIELDS,
    SCHEMA_KEYS,
    SPIDERS,
    STATUSES,
    TIERS,
    AxisConfig,
    Criterion,
    CustomersConfig,
    DecisionMakerConfig,
    GrowthRule,
    IcpConfig,
    Override,
    QualityConfig,
    Range,
    ScoringConfig,
    SegmentConfig,
    SegmentError,
    _company_key,
    _norm_domain,
    _norm_inn,
    config_hash,
)
from scoring.fields import NUMERIC_FIELDS, check_path
from scoring.validation import _fmt, _kind, _Validator

__all__ = [
    "AXES",
    "CADENCES",
    "CELLS",
    "DEFAULT_REFRESH",
    "DEFAULT_TIERS",
    "DEPARTMENTS",
    "GROWTH",
    "KINDS",
    "LEVELS",
    "QUALITY_FIELDS",
    "SCHEMA_KEYS",
    "SPIDERS",
    "STATUSES",
    "TIERS",
    "AxisConfig",
    "Criterion",
    "CustomersConfig",
    "DecisionMakerConfig",
    "GrowthRule",
    "IcpConfig",
    "Override",
    "QualityConfig",
    "Range",
    "ScoringConfig",
    "SegmentConfig",
    "SegmentError",
    "config_hash",
    "load_segment",
    "parse_segment",
]


def load_segment(path: str | Path) -> SegmentConfig:
    """Read and validate a segment file; ``SegmentError`` lists every problem with its key."""
    p = Path(path)
    try:
        data = tomllib.loads(p.read_text(encoding="utf-8"))
    except OSError as exc:
        raise SegmentError([f"cannot read the file: {exc.strerror or exc}"], p.name) from None
    except UnicodeDecodeError:
        raise SegmentError(["the file is not UTF-8 text"], p.name) from None
    except tomllib.TOMLDecodeError as exc:
        raise SegmentError([f"not valid TOML: {exc}"], p.name) from None
    return parse_segment(data, source=p.name)


def parse_segment(data: Mapping[str, Any], source: str = "segment") -> SegmentConfig:
    """Validate a parsed TOML table into a ``SegmentConfig`` (raises ``SegmentError``)."""
    v = _Validator()
    if not isinstance(data, Mapping):
        raise SegmentError(["the segment must be a TOML table"], source)
    v.unknown(
        data,
        "",
        {
            "name",
            "description",
            "sources",
            "icp",
            "scoring",
            "quality",
            "decision_makers",
            "refresh",
            "overrides",
            "customers",
        },
    )
    name = v.text(data.get("name"), "name", required=True)
    description = v.text(data.get("description"), "description") or ""
    sources = _sources(v, data.get("sources"))
    icp = _icp(v, v.table(data.get("icp"), "icp"))
    scoring = _scoring(v, v.table(data.get("scoring"), "scoring", required=True))
    quality = _quality(v, v.table(data.get("quality"), "quality"))
    dms = _decision_makers(v, v.table(data.get("decision_makers"), "decision_makers"))
    refresh = _refresh(v, v.table(data.get("refresh"), "refresh"))
    overrides = _overrides(v, data.get("overrides"))
    customers = _customers(v, v.table(data.get("customers"), "customers"))
    if v.errors:
        raise SegmentError(v.errors, source)
    config = SegmentConfig(
        name=name or "",
        description=description,
        sources=sources,
        icp=icp,
        scoring=scoring,  # type: ignore[arg-type]
        quality=quality,
        decision_makers=dms,
        refresh=refresh,
        overrides=overrides,
        customers=customers,
    )
    index = {}
    for o in overrides:
        if o.domain:
            index[("domain", o.domain)] = o
        if o.inn:
            index[("inn", o.inn)] = o
    object.__setattr__(config, "_override_index", MappingProxyType(index))
    object.__setattr__(config, "hash", config_hash(config))
    return config


def _freeze(value: Any) -> Any:
    if isinstance(value, Mapping):
        return MappingProxyType({k: _freeze(v) for k, v in value.items()})
    if isinstance(value, list | tuple):
        return tuple(_freeze(v) for v in value)
    return value


def _sources(v: _Validator, value: Any) -> tuple[Mapping[str, Any], ...]:
    if value is None:
        return ()
    if not isinstance(value, list):
        v.error("sources", f"must be a list of tables ([[sources]]), not {_kind(value)}")
        return ()
    out = []
    for i, item in enumerate(value):
        path = f"sources[{i}]"
        if not isinstance(item, Mapping):
            v.error(path, f"must be a table, not {_kind(item)}")
            continue
        spider = item.get("spider")
        if spider is None:
            v.error(f"{path}.spider", f"missing; one of: {', '.join(SPIDERS)}")
        elif spider not in SPIDERS:
            v.error(f"{path}.spider", f"{spider!r} is not one of: {', '.join(SPIDERS)}")
        out.append(_freeze(dict(item)))
    return tuple(out)


def _icp(v: _Validator, t: Mapping[str, Any]) -> IcpConfig:
    v.unknown(
        t,
        "icp",
        {
            "countries",
            "regions",
            "industries",
            "employees",
            "revenue",
            "exclude_domains",
            "exclude_companies",
            "exclude_statuses",
            "growth",
            "missing",
        },
    )
    countries = v.strings(t.get("countries"), "icp.countries")
    for i, c in enumerate(countries):
        if len(c) != 2 or not c.isalpha():
            v.error(f"icp.countries[{i}]", f"{c!r} is not a two-letter country code (ISO 3166)")
    growth = None
    g = t.get("growth")
    if g is not None:
        g = v.table(g, "icp.growth")
        v.unknown(g, "icp.growth", {"inflation", "tolerance", "allow"})
        if "inflation" not in g:
            v.error("icp.growth.inflation", "missing (the inflation figure, e.g. 0.08 for 8 %)")
        allow = v.strings(g.get("allow"), "icp.growth.allow", GROWTH)
        if "allow" in g and not allow:
            v.error("icp.growth.allow", f"must name at least one of: {', '.join(GROWTH)}")
        growth = GrowthRule(
            inflation=v.number(g.get("inflation"), "icp.growth.inflation", 0.0, -1, 10),
            tolerance=v.number(g.get("tolerance"), "icp.growth.tolerance", 0.02, 0, 10),
            allow=tuple(sorted({a.lower() for a in allow}, key=GROWTH.index)) or GROWTH,
        )
    missing = t.get("missing", "pass")
    if missing not in ("pass", "fail"):
        v.error("icp.missing", f"must be 'pass' or 'fail', not {_kind(missing)}")
        missing = "pass"
    return IcpConfig(
        countries=frozenset(c.upper() for c in countries),
        regions=frozenset(r.casefold() for r in v.strings(t.get("regions"), "icp.regions")),
        industries=frozenset(
            i.casefold() for i in v.strings(t.get("industries"), "icp.industries")
        ),
        employees=v.range(t.get("employees"), "icp.employees"),
        revenue=v.range(t.get("revenue"), "icp.revenue"),
        exclude_domains=frozenset(
            d
            for d in (
                _norm_domain(x) for x in v.strings(t.get("exclude_domains"), "icp.exclude_domains")
            )
            if d
        ),
        exclude_companies=frozenset(
            _company_key(c) for c in v.strings(t.get("exclude_companies"), "icp.exclude_companies")
        ),
        exclude_statuses=frozenset(
            s.lower()
            for s in v.strings(t.get("exclude_statuses"), "icp.exclude_statuses", STATUSES)
        ),
        growth=growth,
        missing=missing,
    )


_KIND_KEYS = {
    "bands": {"bands"},
    "categories": {"points", "other"},
    "keywords": {"keywords", "points", "none", "mode"},
    "boolean": {"yes", "no"},
}
_COMMON_KEYS = {"name", "field", "kind", "weight", "missing"}


def _criterion(v: _Validator, t: Any, path: str) -> Criterion | None:
    if not isinstance(t, Mapping):
        v.error(path, f"must be a table, not {_kind(t)}")
        return None
    before = len(v.errors)
    kind = t.get("kind")
    if kind not in KINDS:
        v.error(f"{path}.kind", f"{_kind(kind)} is not one of: {', '.join(KINDS)}")
        v.unknown(t, path, _COMMON_KEYS | set().union(*_KIND_KEYS.values()))
        kind = None
    else:
        v.unknown(t, path, _COMMON_KEYS | _KIND_KEYS[kind])
    name = v.text(t.get("name"), f"{path}.name", required=True)
    fld = t.get("field")
    if fld is None:
        v.error(f"{path}.field", "missing (which account field to read, e.g. 'employees')")
    else:
        problem = check_path(fld)
        if problem:
            v.error(f"{path}.field", problem)
    weight = v.number(t.get("weight"), f"{path}.weight", 1.0, low=0)
    missing = v.number(t.get("missing"), f"{path}.missing", 0.0, low=0)
    kw: dict[str, Any] = {}
    if kind == "bands":
        kw["bands"] = _bands(v, t.get("bands"), f"{path}.bands")
        if isinstance(fld, str) and not (fld in NUMERIC_FIELDS or fld.startswith("facts.")):
            v.error(f"{path}.field", f"{fld!r} is not numeric; bands need a number field")
        raw = max([p for _, p in kw["bands"]] + [missing])
    elif kind == "categories":
        pts = t.get("points")
        table: dict[str, float] = {}
        if not isinstance(pts, Mapping) or not pts:
            v.error(f"{path}.points", "must be a table of value = points, e.g. { current = 10 }")
        else:
            for key, p in pts.items():
                folded = str(key).strip().casefold()
                if folded in table:
                    v.error(f"{path}.points.{key}", "the same value twice (case is ignored)")
                table[folded] = v.number(p, f"{path}.points.{key}", 0.0, low=0)
        kw["points"] = tuple(sorted(table.items()))
        kw["other"] = v.number(t.get("other"), f"{path}.other", 0.0, low=0)
        raw = max([*table.values(), kw["other"], missing])
    elif kind == "keywords":
        words = v.strings(t.get("keywords"), f"{path}.keywords")
        if not words and "keywords" not in t:
            v.error(f"{path}.keywords", "missing (a list of words to look for)")
        folded: dict[str, str] = {}
        for w in words:
            folded.setdefault(w.casefold(), w)
        kw["keywords"] = tuple(folded.values())
        kw["points"] = v.number(t.get("points"), f"{path}.points", 0.0, low=0)
        kw["none"] = v.number(t.get("none"), f"{path}.none", 0.0, low=0)
        mode = t.get("mode", "any")
        if mode not in ("any", "each"):
            v.error(f"{path}.mode", f"must be 'any' or 'each', not {_kind(mode)}")
            mode = "any"
        kw["mode"] = mode
        hit = kw["points"] * (len(folded) if mode == "each" else 1)
        raw = max(hit, kw["none"], missing)
    elif kind == "boolean":
        kw["yes"] = v.number(t.get("yes"), f"{path}.yes", 0.0, low=0)
        kw["no"] = v.number(t.get("no"), f"{path}.no", 0.0, low=0)
        raw = max(kw["yes"], kw["no"], missing)
    else:
        raw = 0.0
    if len(v.errors) > before or kind is None:
        return None
    if raw <= 0:
        v.error(path, "gives no points whatever the value (every points value is 0)")
        return None
    return Criterion(
        name=name or "",
        field=fld,
        kind=kind,
        weight=weight,
        missing=missing,
        max_raw=raw,
        **kw,
    )


def _bands(v: _Validator, value: Any, path: str) -> tuple[tuple[float, float], ...]:
    if not isinstance(value, list) or not value:
        v.error(path, "must be a non-empty list of { min = N, points = P }")
        return ()
    out: list[tuple[float, float]] = []
    for i, band in enumerate(value):
        bp = f"{path}[{i}]"
        if not isinstance(band, Mapping):
            v.error(bp, f"must be a table {{ min = N, points = P }}, not {_kind(band)}")
            continue
        v.unknown(band, bp, {"min", "points"})
        if "min" not in band:
            v.error(f"{bp}.min", "missing")
        if "points" not in band:
            v.error(f"{bp}.points", "missing")
        low = v.number(band.get("min"), f"{bp}.min", math.nan)
        pts = v.number(band.get("points"), f"{bp}.points", math.nan, low=0)
        if not math.isnan(low) and not math.isnan(pts):
            out.append((low, pts))
    mins = [m for m, _ in out]
    if len(out) == len(value) and any(b <= a for a, b in zip(mins, mins[1:], strict=False)):
        v.error(path, "must be ascending (each band's min greater than the one before)")
    return tuple(out)


def _axis(v: _Validator, t: Mapping[str, Any], path: str) -> AxisConfig | None:
    v.unknown(t, path, {"criteria"})
    crit = t.get("criteria")
    if not isinstance(crit, list) or not crit:
        v.error(f"{path}.criteria", "must be a non-empty list of criteria ([[...criteria]])")
        return None
    out: list[Criterion] = []
    names: set[str] = set()
    for i, c in enumerate(crit):
        criterion = _criterion(v, c, f"{path}.criteria[{i}]")
        if criterion is None:
            continue
        if criterion.name in names:
            v.error(f"{path}.criteria[{i}].name", f"{criterion.name!r} is used twice in {path}")
        names.add(criterion.name)
        out.append(criterion)
    total = math.fsum(c.weight * c.max_raw for c in out)
    if out and total <= 0:
        v.error(f"{path}.criteria", "every weight is 0: the axis could never score")
    return AxisConfig(tuple(out), total)


def _scoring(v: _Validator, t: Mapping[str, Any]) -> ScoringConfig | None:
    v.unknown(t, "scoring", {"attractiveness", "position", "matrix", "tiers"})
    axes = {}
    for axis in AXES:
        axes[axis] = _axis(
            v, v.table(t.get(axis), f"scoring.{axis}", required=True), f"scoring.{axis}"
        )
    m = v.table(t.get("matrix"), "scoring.matrix")
    v.unknown(m, "scoring.matrix", {"medium", "high"})
    medium = v.number(m.get("medium"), "scoring.matrix.medium", 40.0, 0, 100)
    high = v.number(m.get("high"), "scoring.matrix.high", 70.0, 0, 100)
    if medium >= high:
        v.error("scoring.matrix", f"medium ({_fmt(medium)}) must be below high ({_fmt(high)})")
    tiers = dict(DEFAULT_TIERS)
    tt = v.table(t.get("tiers"), "scoring.tiers")
    for cell, tier in tt.items():
        if cell not in CELLS:
            v.error(
                f"scoring.tiers.{cell}",
                "unknown cell; cells are attractiveness/position: " + ", ".join(CELLS),
            )
        elif tier not in TIERS:
            v.error(f"scoring.tiers.{cell}", f"{_kind(tier)} is not one of: {', '.join(TIERS)}")
        else:
            tiers[cell] = tier
    if axes["attractiveness"] is None or axes["position"] is None:
        return None
    return ScoringConfig(
        attractiveness=axes["attractiveness"],
        position=axes["position"],
        medium=medium,
        high=high,
        tiers=MappingProxyType(tiers),
    )


def _quality(v: _Validator, t: Mapping[str, Any]) -> QualityConfig:
    v.unknown(t, "quality", {"required", "min_contacts", "min_decision_makers", "target"})
    default = QualityConfig()
    required = default.required
    if "required" in t:
        required = v.strings(t.get("required"), "quality.required")
        for i, f in enumerate(required):
            problem = check_path(f)
            if problem:
                v.error(f"quality.required[{i}]", problem)
            elif f.split(".")[0] not in (*QUALITY_FIELDS, "facts"):
                v.error(
                    f"quality.required[{i}]",
                    f"{f!r} cannot be required; one of: {', '.join(QUALITY_FIELDS)}, facts.NAME",
                )
        required = tuple(dict.fromkeys(required))
    return QualityConfig(
        required=required,
        min_contacts=v.integer(t.get("min_contacts"), "quality.min_contacts", 3),
        min_decision_makers=v.integer(
            t.get("min_decision_makers"), "quality.min_decision_makers", 1
        ),
        target=v.number(t.get("target"), "quality.target", 0.95, 0, 1),
    )


def _decision_makers(v: _Validator, t: Mapping[str, Any]) -> DecisionMakerConfig:
    v.unknown(t, "decision_makers", {"titles", "departments"})
    return DecisionMakerConfig(
        titles=v.strings(t.get("titles"), "decision_makers.titles"),
        departments=tuple(
            d.lower()
            for d in v.strings(t.get("departments"), "decision_makers.departments", DEPARTMENTS)
        ),
    )


def _refresh(v: _Validator, t: Mapping[str, Any]) -> Mapping[str, int]:
    v.unknown(t, "refresh", set(TIERS))
    out = dict(DEFAULT_REFRESH)
    for tier in TIERS:
        value = t.get(tier)
        if value is None:
            continue
        path = f"refresh.{tier}"
        if isinstance(value, str) and value.strip().lower() in CADENCES:
            out[tier] = CADENCES[value.strip().lower()]
        elif isinstance(value, int) and not isinstance(value, bool) and value > 0:
            out[tier] = value
        else:
            v.error(
                path,
                f"must be days (> 0) or one of {', '.join(CADENCES)}, not {_kind(value)}",
            )
    return MappingProxyType(out)


def _customers(v: _Validator, t: Mapping[str, Any]) -> CustomersConfig:
    v.unknown(t, "customers", {"current_days", "reactivation_interval_days", "reactivation_factor"})
    default = CustomersConfig()
    current = v.integer(t.get("current_days"), "customers.current_days", default.current_days, 1)
    if current > MAX_CUSTOMER_DAYS:
        v.error(
            "customers.current_days",
            f"must be at most {MAX_CUSTOMER_DAYS} (100 years), not {current}",
        )
        current = default.current_days
    return CustomersConfig(
        current_days=current,
        reactivation_interval_days=v.number(
            t.get("reactivation_interval_days"),
            "customers.reactivation_interval_days",
            default.reactivation_interval_days,
            1,
            MAX_CUSTOMER_DAYS,
        ),
        reactivation_factor=v.number(
            t.get("reactivation_factor"),
            "customers.reactivation_factor",
            default.reactivation_factor,
            0.1,
        ),
    )


def _overrides(v: _Validator, value: Any) -> tuple[Override, ...]:
    if value is None:
        return ()
    if not isinstance(value, list):
        v.error("overrides", f"must be a list of tables ([[overrides]]), not {_kind(value)}")
        return ()
    out: list[Override] = []
    seen: dict[tuple[str, str], int] = {}
    for i, t in enumerate(value):
        path = f"overrides[{i}]"
        if not isinstance(t, Mapping):
            v.error(path, f"must be a table, not {_kind(t)}")
            continue
        before = len(v.errors)
        v.unknown(t, path, {"domain", "inn", "tier", "reason"})
        domain = _norm_domain(v.text(t.get("domain"), f"{path}.domain"))
        inn = _norm_inn(t.get("inn")) if t.get("inn") is not None else None
        if t.get("inn") is not None and (
            inn is None or not inn.isdigit() or len(inn) not in (10, 12)
        ):
            v.error(f"{path}.inn", f"{_kind(t.get('inn'))} is not an INN (10 or 12 digits)")
        if not domain and not inn and len(v.errors) == before:
            v.error(path, "names no company: give domain or inn")
        tier = t.get("tier")
        if tier not in TIERS:
            v.error(f"{path}.tier", f"{_kind(tier)} is not one of: {', '.join(TIERS)}")
        reason = v.text(t.get("reason"), f"{path}.reason", required=True)
        for key in (("domain", domain), ("inn", inn)):
            if key[1]:
                if key in seen:
                    v.error(
                        f"{path}.{key[0]}",
                        f"{key[1]!r} is already overridden in overrides[{seen[key]}]",
                    )
                seen[key] = i
        if len(v.errors) == before:
            out.append(Override(tier=tier, reason=reason or "", domain=domain, inn=inn))
    return tuple(out)
