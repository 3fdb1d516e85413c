"""Customer history analytics: RFM, ABC, lifecycle colour, reactivation.  Pure functions.

Input is plain data (``summarize_orders`` folds one customer's order lines into a
``CustomerOrders``); the database side lives in ``storage.orders``.  Every rule below is
documented, with worked examples, in docs/customers.md; the tests recompute them by hand.

**RFM.** Recency = days from the last order to ``as_of``; frequency = number of orders;
monetary = sum of their amounts.  Each becomes a score 1–5 by quintiles over all customers::

    score(v) = 1 + floor(5 · below(v) / n)

``below(v)``: how many customers have a strictly *worse* value (more days since the last order;
fewer orders; less money), ``n``: how many customers.  So the best fifth scores 5, the worst fifth
1, and **ties share one score**: the one of the tie's lowest position (a mass of one-order
customers all get F=1 instead of being split at random by id or file order).  One customer alone
scores 1.

**Segments** come from R and FM = round-half-up of (F + M) / 2, one named segment per cell
(``SEGMENT_GRID``, rows R 5→1, columns FM 1→5).

**ABC.** Customers ranked by revenue, largest first; a customer's class is decided by the
cumulative share of revenue of everyone ranked *above* it: under A% → A, under A+B% → B, else C
(default 80 / 15 / 5).  The customer who crosses 80 % is still an A (the largest customer is always
an A, even with 95 % of revenue).  Tied revenues get one class: the class at the tie's first
position.  Customers with no revenue (zero or less) are C.

**Lifecycle colour** (``lifecycle_colour``), first rule that holds wins:

1. orange — opted out / suppressed (never cold-contact, whatever else is true);
2. red — no purchase for over a year: last order more than ``window_days`` (365) ago, or no order
   history but marked a former customer;
3. gold — more than three orders (``gold_orders``, 4 or more), the last within the window;
4. green — bought: one to three orders within the window, or no history but marked a current
   customer;
5. grey — never bought, but contacts are known (leadgen does no outreach itself, so "no decision
   maker reached" is read as: known, not yet a customer);
6. white — nothing known: no person, no email, no phone.

**Reactivation.** A customer's usual purchase interval is the median gap, in days, between its
distinct order days (it needs two order days; else the default, 90 days).  A customer is silent
when the days since its last order exceed that interval (times ``factor``, 1.0).
"""

from __future__ import annotations

import math
import statistics
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date

SEGMENTS = (
    "champions",
    "loyal",
    "potential loyalists",
    "new",
    "at risk",
    "can't lose them",
    "hibernating",
    "lost",
)
#: R (rows, 5 first) × FM (columns, 1 first) -> segment.
SEGMENT_GRID: dict[int, tuple[str, str, str, str, str]] = {
    5: ("new", "potential loyalists", "potential loyalists", "champions", "champions"),
    4: ("new", "potential loyalists", "potential loyalists", "loyal", "champions"),
    3: ("hibernating", "potential loyalists", "potential loyalists", "loyal", "loyal"),
    2: ("hibernating", "hibernating", "at risk", "at risk", "can't lose them"),
    1: ("lost", "hibernating", "at risk", "at risk", "can't lose them"),
}
ABC_CLASSES = ("A", "B", "C")
DEFAULT_ABC_SPLIT = (80.0, 15.0, 5.0)
COLOURS = ("white", "grey", "green", "gold", "orange", "red")
DEFAULT_WINDOW_DAYS = 365
DEFAULT_GOLD_ORDERS = 4
DEFAULT_INTERVAL_DAYS = 90
DEFAULT_FACTOR = 1.0


@dataclass(frozen=True, slots=True)
class CustomerOrders:
    """One customer's order history, folded: what RFM, ABC, colour and reactivation read."""

    id: int
    orders: int
    revenue: float
    first_order: date
    last_order: date
    last_amount: float  # sum of the orders on the last order day
    interval_days: float | None  # median gap between distinct order days; None with one day


def summarize_orders(customer_id: int, lines: Iterable[tuple[date, float]]) -> CustomerOrders:
    """Fold one customer's (date, amount) order lines, in any order; at least one line."""
    by_day: dict[date, float] = {}
    count = 0
    for day, amount in lines:
        by_day[day] = by_day.get(day, 0.0) + amount
        count += 1
    if not count:
        raise ValueError(f"customer {customer_id} has no orders")
    days = sorted(by_day)
    gaps = [(b - a).days for a, b in zip(days, days[1:], strict=False)]
    return CustomerOrders(
        id=customer_id,
        orders=count,
        revenue=sum(by_day.values()),
        first_order=days[0],
        last_order=days[-1],
        last_amount=by_day[days[-1]],
        interval_days=float(statistics.median(gaps)) if gaps else None,
    )


# -- RFM ----------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class RFM:
    recency_days: int
    frequency: int
    monetary: float
    r: int
    f: int
    m: int
    segment: str

    @property
    def code(self) -> str:
        return f"{self.r}{self.f}{self.m}"


def quintile_scores(values: Mapping[int, float], *, higher_is_better: bool) -> dict[int, int]:
    """id -> 1..5: ``1 + floor(5 · below / n)``, ``below`` = customers strictly worse."""
    n = len(values)
    ordered = sorted(values.values())
    out: dict[int, int] = {}
    cache: dict[float, int] = {}
    for key, v in values.items():
        score = cache.get(v)
        if score is None:
            below = bisect_left(ordered, v) if higher_is_better else n - bisect_right(ordered, v)
            score = cache[v] = 1 + (5 * below) // n
        out[key] = score
    return out


def rfm_segment(r: int, f: int, m: int) -> str:
    """The named segment of an R, F, M score triple (``SEGMENT_GRID``)."""
    for name, s in (("R", r), ("F", f), ("M", m)):
        if not 1 <= s <= 5:
            raise ValueError(f"{name} score must be 1..5, not {s!r}")
    fm = (f + m + 1) // 2
    return SEGMENT_GRID[r][fm - 1]


def rfm_scores(customers: Iterable[CustomerOrders], as_of: date) -> dict[int, RFM]:
    """RFM of every customer, quintiles over exactly these customers."""
    customers = list(customers)
    recency = {c.id: (as_of - c.last_order).days for c in customers}
    r = quintile_scores(recency, higher_is_better=False)
    f = quintile_scores({c.id: c.orders for c in customers}, higher_is_better=True)
    m = quintile_scores({c.id: c.revenue for c in customers}, higher_is_better=True)
    return {
        c.id: RFM(
            recency[c.id],
            c.orders,
            c.revenue,
            r[c.id],
            f[c.id],
            m[c.id],
            rfm_segment(r[c.id], f[c.id], m[c.id]),
        )
        for c in customers
    }


# -- ABC ----------------------------------------------------------------------------------------


def parse_abc_split(text: str) -> tuple[float, float, float]:
    """ "80/15/5" or "70,20,10" -> (80.0, 15.0, 5.0); the three shares must add up to 100."""
    parts = [p.strip() for p in text.replace(",", "/").replace(" ", "/").split("/") if p.strip()]
    try:
        values = tuple(float(p.rstrip("%")) for p in parts)
    except ValueError:
        raise ValueError(f"ABC split {text!r}: expected three percentages like 80/15/5") from None
    if len(values) != 3:
        raise ValueError(f"ABC split {text!r}: expected three percentages like 80/15/5")
    return check_abc_split(values)


def check_abc_split(split: Sequence[float]) -> tuple[float, float, float]:
    a, b, c = (float(x) for x in split)
    if a <= 0 or b < 0 or c < 0 or any(math.isnan(x) for x in (a, b, c)):
        raise ValueError(f"ABC split {a:g}/{b:g}/{c:g}: A must be above 0, B and C not below 0")
    if abs(a + b + c - 100) > 1e-6:
        raise ValueError(f"ABC split {a:g}/{b:g}/{c:g} adds up to {a + b + c:g}, not 100")
    return a, b, c


def abc_classes(
    revenue: Mapping[int, float], split: Sequence[float] = DEFAULT_ABC_SPLIT
) -> dict[int, str]:
    """id -> "A" / "B" / "C" by cumulative revenue share (see the module docstring)."""
    a, b, _ = check_abc_split(split)
    total = sum(v for v in revenue.values() if v > 0)
    out: dict[int, str] = {}
    before = 0.0  # revenue of everyone ranked above the current tie group
    group_value: float | None = None
    group_class = "C"
    for key, value in sorted(revenue.items(), key=lambda kv: (-kv[1], kv[0])):
        if value <= 0 or total <= 0:
            out[key] = "C"
            continue
        if value != group_value:
            share = 100.0 * before / total
            group_class = "A" if share < a else "B" if share < a + b else "C"
            group_value = value
        out[key] = group_class
        before += value
    return out


# -- lifecycle colour ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class AccountFacts:
    """What the base knows of an account, for its lifecycle colour."""

    orders: int = 0
    last_order: date | None = None
    status: str = "new"  # new | current | former (as imported, for accounts without orders)
    opted_out: bool = False
    contacts: bool = False  # any person, email or phone known


def lifecycle_colour(
    facts: AccountFacts,
    as_of: date,
    *,
    window_days: int = DEFAULT_WINDOW_DAYS,
    gold_orders: int = DEFAULT_GOLD_ORDERS,
) -> str:
    """white / grey / green / gold / orange / red: the first rule that holds (module docstring)."""
    if facts.opted_out:
        return "orange"
    if facts.orders and facts.last_order is not None:
        if (as_of - facts.last_order).days > window_days:
            return "red"
        return "gold" if facts.orders >= gold_orders else "green"
    if facts.status == "former":
        return "red"
    if facts.status == "current":
        return "green"
    return "grey" if facts.contacts else "white"


def customer_status(last_order: date, as_of: date, window_days: int = DEFAULT_WINDOW_DAYS) -> str:
    """current when the last order is at most ``window_days`` before ``as_of``, else former."""
    return "current" if (as_of - last_order).days <= window_days else "former"


# -- reactivation -------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Silence:
    id: int
    days_silent: int
    interval_days: float
    interval_source: str  # own | default
    overdue_days: float


def silence(
    customer: CustomerOrders,
    as_of: date,
    *,
    default_interval_days: float = DEFAULT_INTERVAL_DAYS,
    factor: float = DEFAULT_FACTOR,
) -> Silence | None:
    """How long ``customer`` has been silent past its usual interval; None if it is not."""
    days = (as_of - customer.last_order).days
    own = customer.interval_days
    # An interval of 0 days cannot happen (distinct days) but a None means one order day only.
    interval, source = (own, "own") if own else (float(default_interval_days), "default")
    limit = interval * factor
    if days <= limit:
        return None
    return Silence(customer.id, days, interval, source, days - limit)


def reactivation_list(
    customers: Iterable[CustomerOrders],
    as_of: date,
    *,
    default_interval_days: float = DEFAULT_INTERVAL_DAYS,
    factor: float = DEFAULT_FACTOR,
) -> list[tuple[CustomerOrders, Silence]]:
    """Silent customers, largest revenue first (then longest silence, then id)."""
    if default_interval_days <= 0 or factor <= 0:
        raise ValueError("the default interval and the factor must be above 0")
    out = []
    for c in customers:
        s = silence(c, as_of, default_interval_days=default_interval_days, factor=factor)
        if s is not None:
            out.append((c, s))
    out.sort(key=lambda cs: (-cs[0].revenue, -cs[1].days_silent, cs[0].id))
    return out
