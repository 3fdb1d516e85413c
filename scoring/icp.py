"""The ICP hard filters: does an account belong to the segment at all?

``icp_check(account, icp) -> (passes, reasons)``; ``reasons`` names every filter the account
fails (empty when it passes). An unknown value (no country, no employee count) passes a filter
when ``icp.missing = "pass"`` (the default: missing data is a researcher's to-do, see the data
quality index) and fails it with ``"fail"``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from scoring.config import GrowthRule, IcpConfig, Range, _company_key, _norm_domain
from scoring.fields import is_missing, to_number


def company_key(name: Any) -> str:
    """A company name compared for ``exclude_companies``: case, quotes and spacing ignored."""
    return _company_key(name) if isinstance(name, str) else ""


def growth_class(revenue_growth: Any, rule: GrowthRule) -> str | None:
    """growing / flat / shrinking: revenue growth against inflation, ± tolerance; None if unknown.

    With inflation 0.08 and tolerance 0.02: +12 % is growing, +8 % flat, +5 % shrinking (in
    real terms the company got smaller).
    """
    number, _ = to_number(revenue_growth)
    if number is None:
        return None
    real = round(number - rule.inflation, 9)
    if real > rule.tolerance:
        return "growing"
    if real < -rule.tolerance:
        return "shrinking"
    return "flat"


def _in_range(value: Any, bounds: Range, label: str, missing: str, reasons: list[str]) -> None:
    if bounds.min is None and bounds.max is None:
        return
    number, why = to_number(value)
    if number is None:
        if missing == "fail":
            reasons.append(f"{label} unknown ({why})")
        return
    if bounds.min is not None and number < bounds.min:
        reasons.append(f"{label} {number:g} below the minimum {bounds.min:g}")
    elif bounds.max is not None and number > bounds.max:
        reasons.append(f"{label} {number:g} above the maximum {bounds.max:g}")


def _one_of(
    value: Any,
    allowed: frozenset[str],
    label: str,
    missing: str,
    reasons: list[str],
    upper: bool = False,
) -> None:
    if not allowed:
        return
    if is_missing(value) or not isinstance(value, str):
        if missing == "fail":
            reasons.append(f"{label} unknown")
        return
    key = value.strip().upper() if upper else value.strip().casefold()
    if key not in allowed:
        reasons.append(
            f"{label} {value.strip()!r} not in the segment ({', '.join(sorted(allowed))})"
        )


def icp_check(account: Mapping[str, Any], icp: IcpConfig) -> tuple[bool, list[str]]:
    """``(passes, reasons)``: every hard filter of the segment the account fails, in order."""
    reasons: list[str] = []
    missing = icp.missing
    get = account.get
    if icp.countries:
        _one_of(get("country"), icp.countries, "country", missing, reasons, upper=True)
    if icp.regions:
        _one_of(get("region"), icp.regions, "region", missing, reasons)
    if icp.industries:
        _one_of(get("industry"), icp.industries, "industry", missing, reasons)
    if icp.employees.min is not None or icp.employees.max is not None:
        _in_range(get("employees"), icp.employees, "employees", missing, reasons)
    if icp.revenue.min is not None or icp.revenue.max is not None:
        _in_range(get("revenue"), icp.revenue, "revenue", missing, reasons)
    if icp.exclude_domains:
        domain = _norm_domain(account.get("domain"))
        if domain and domain in icp.exclude_domains:
            reasons.append(f"domain {domain} is excluded")
    if icp.exclude_companies:
        key = company_key(account.get("name"))
        if key and key in icp.exclude_companies:
            reasons.append(f"company {account.get('name')!r} is excluded")
    if icp.exclude_statuses:
        status = account.get("status")
        if isinstance(status, str) and status.lower() in icp.exclude_statuses:
            reasons.append(f"status {status!r} is excluded")
    if icp.growth is not None:
        cls = growth_class(account.get("revenue_growth"), icp.growth)
        if cls is None:
            if missing == "fail":
                reasons.append("revenue growth unknown")
        elif cls not in icp.growth.allow:
            growth = to_number(account.get("revenue_growth"))[0] or 0.0
            reasons.append(
                f"revenue {cls} ({growth:+.1%} against inflation {icp.growth.inflation:.1%}); "
                f"the segment takes {', '.join(icp.growth.allow)}"
            )
    return (not reasons), reasons
