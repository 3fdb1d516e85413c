"""Scoring an account: two axes, the GE/McKinsey cell, the tier, overrides, the explanation.

Each axis is a list of weighted criteria. A criterion gives ``weight × raw`` points out of
``weight × max_raw`` (``raw`` from its kind, see ``scoring.criteria``); the axis score is
``100 × points / max points of the axis``, so it runs 0–100. The explanation holds one
``Contribution`` per criterion with its share already in axis units: the contributions of an
axis add up exactly to the axis score (they are summed in file order to make it).

The cell is ``"<attractiveness level>/<position level>"``; a level is ``high`` from
``scoring.matrix.high`` up, ``medium`` from ``scoring.matrix.medium`` up, else ``low``. The tier
comes from ``scoring.tiers``. ``total`` is the mean of the two axes (0–100), used to order
accounts inside a tier. An override from the segment file replaces the tier (``overridden``,
its reason, and the ``computed_tier`` kept); an account outside the ICP gets no tier unless an
override gives it one.
"""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterable, Mapping
from typing import Any, NamedTuple

from scoring.config import AxisConfig, Criterion, SegmentConfig
from scoring.criteria import SCORERS, band_of
from scoring.icp import icp_check
from scoring.quality import DQI, data_quality, ranked_ids


class Contribution(NamedTuple):
    """One criterion's part of an axis score, with the value it saw and a plain sentence."""

    axis: str
    criterion: Criterion
    value: Any  # what the criterion looked at (parsed number, matched keywords, ...)
    raw: float  # the kind's points before weighting
    points: float  # contribution to the axis score (0–100 scale)
    max_points: float  # the most this criterion can add to the axis score
    note: str  # short code: missing, band 50, other, match, yes, unreadable: ...

    @property
    def name(self) -> str:
        return self.criterion.name

    @property
    def field(self) -> str:
        return self.criterion.field

    @property
    def kind(self) -> str:
        return self.criterion.kind

    @property
    def sentence(self) -> str:
        return _sentence(self, _records(self.value))

    def to_dict(self, names: list[str] | None = None) -> dict[str, Any]:
        """JSON-ready; ``names``: the value's records already reduced to their names."""
        crit = self.criterion
        if names is None:
            names = _records(self.value)
        return {
            "axis": self.axis,
            "criterion": crit.name,
            "kind": crit.kind,
            "field": crit.field,
            "value": self.value if names is None else names,
            "points": self.points,
            "max_points": self.max_points,
            "sentence": _sentence(self, names),
        }


def _num(value: float) -> str:
    if value.is_integer() and abs(value) < 1e15:
        return f"{int(value):,}"
    return f"{value:g}"


#: A value shown in an explanation sentence is cut to this many characters.
SHOW_MAX = 80


def _is_record(v: Any) -> bool:
    return type(v) is dict or isinstance(v, Mapping)


def _records(value: Any) -> list[str] | None:
    """The names of a list of records (people, emails), else None."""
    if type(value) in (list, tuple) and value and all(map(_is_record, value)):
        return [str(v.get("full_name") or v.get("address") or v.get("name") or "…") for v in value]
    return None


def _show(value: Any, names: list[str] | None = None) -> str:
    """The value as a sentence shows it (``names``: ``_records(value)``, when known)."""
    if type(value) is float:
        return _num(value)
    if names is not None:
        # people, emails: name what they are, not every field of every one
        text = f"{len(value)}: " + ", ".join(names)
    elif type(value) is str:
        text = repr(value)
    elif isinstance(value, float):
        return _num(value)
    elif isinstance(value, list):
        text = ", ".join(str(v) for v in value) or "nothing"
    else:
        text = repr(value) if isinstance(value, str) else str(value)
    return text if len(text) <= SHOW_MAX else text[: SHOW_MAX - 1] + "…"


def _sentence(c: Contribution, names: list[str] | None) -> str:
    crit = c.criterion
    gives = f"{c.points:.1f} of {c.max_points:.1f}"
    note = c.note
    if note == "missing":
        return f"{crit.name}: {crit.field} is not known, {gives} points for a missing value."
    if note.startswith("unreadable: "):
        return (
            f"{crit.name}: {crit.field} could not be read ({note[12:]}), "
            f"{gives} points for a missing value."
        )
    seen = _show(c.value, names)
    if note == "band":
        low = _num(float(band_of(c.value, crit) or 0.0))
        return f"{crit.name}: {crit.field} = {seen}, in the band from {low}: {gives} points."
    if note == "below":
        return f"{crit.name}: {crit.field} = {seen}, below every band: {gives} points."
    if note == "category":
        return f"{crit.name}: {crit.field} is {seen}: {gives} points."
    if note == "other":
        return f"{crit.name}: {crit.field} is {seen}, not a listed value: {gives} points."
    if note == "match":
        return f"{crit.name}: {crit.field} mentions {seen}: {gives} points."
    if note == "no match":
        words = ", ".join(crit.keywords)
        return f"{crit.name}: {crit.field} mentions none of {words}: {gives} points."
    if note == "yes":
        return f"{crit.name}: {crit.field} is yes ({seen}): {gives} points."
    if note == "no":
        return f"{crit.name}: {crit.field} is no ({seen}): {gives} points."
    return f"{crit.name}: {crit.field} = {seen}: {gives} points."


class AccountScore(NamedTuple):
    account_id: Any
    name: str | None
    domain: str | None
    passes_icp: bool
    icp_reasons: tuple[str, ...]
    attractiveness: float  # 0–100
    position: float  # 0–100
    total: float  # (attractiveness + position) / 2
    cell: str  # "high/medium" = attractiveness level / position level
    computed_tier: str  # the tier the formula gives the cell
    tier: str | None  # override tier, else computed_tier if the ICP passes, else None
    overridden: bool
    override_reason: str | None
    explanation: tuple[Contribution, ...]  # attractiveness criteria, then position criteria
    dqi: DQI
    contacts: tuple[Any, ...]  # person ids, best first
    config_hash: str

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict (the CLI's --json and the storage side use it)."""
        return {
            "account_id": self.account_id,
            "name": self.name,
            "domain": self.domain,
            "passes_icp": self.passes_icp,
            "icp_reasons": list(self.icp_reasons),
            "attractiveness": self.attractiveness,
            "position": self.position,
            "total": self.total,
            "cell": self.cell,
            "computed_tier": self.computed_tier,
            "tier": self.tier,
            "overridden": self.overridden,
            "override_reason": self.override_reason,
            "explanation": [c.to_dict() for c in self.explanation],
            "dqi": {
                "score": self.dqi.score,
                "missing": list(self.dqi.missing),
                "contacts": self.dqi.contacts,
                "decision_makers": self.dqi.decision_makers,
                "contacts_ok": self.dqi.contacts_ok,
                "complete": self.dqi.complete,
            },
            "contacts": list(self.contacts),
            "config_hash": self.config_hash,
        }


def level(score: float, medium: float, high: float) -> str:
    """low / medium / high: a score equal to a cut point belongs to the level above it."""
    s = round(score, 9)
    if s >= high:
        return "high"
    if s >= medium:
        return "medium"
    return "low"


_Step = tuple[Criterion, str, str | None, Callable[[Any, Criterion], Any], float, float]
_PLANS: dict[int, tuple[SegmentConfig, tuple[tuple[_Step, ...], tuple[_Step, ...]]]] = {}


def _axis_plan(axis: AxisConfig) -> tuple[_Step, ...]:
    scale = 100.0 / axis.max_points
    steps = []
    for c in axis.criteria:
        head, _, rest = c.field.partition(".")
        factor = c.weight * scale
        steps.append((c, head, rest or None, SCORERS[c.kind], factor, c.max_raw * factor))
    return tuple(steps)


def _plan(segment: SegmentConfig) -> tuple[tuple[_Step, ...], tuple[_Step, ...]]:
    """The segment's criteria compiled once: field split, scorer and scale looked up."""
    cached = _PLANS.get(id(segment))
    if cached is not None and cached[0] is segment:
        return cached[1]
    plan = (_axis_plan(segment.scoring.attractiveness), _axis_plan(segment.scoring.position))
    if len(_PLANS) > 32:
        _PLANS.clear()
    _PLANS[id(segment)] = (segment, plan)
    return plan


def _run_axis(
    account: Mapping[str, Any], steps: tuple[_Step, ...], name: str, out: list[Contribution]
) -> float:
    total = 0.0
    get = account.get
    for c, head, rest, scorer, factor, max_points in steps:
        value = get(head)
        if rest is not None:
            value = value.get(rest) if (type(value) is dict or isinstance(value, Mapping)) else None
        raw, seen, note = scorer(value, c)
        points = raw * factor
        total += points
        out.append(Contribution(name, c, seen, raw, points, max_points, note))
    return total


def score_axis(
    account: Mapping[str, Any], axis: AxisConfig, name: str
) -> tuple[float, list[Contribution]]:
    """The axis score (0–100) and its contributions, which add up to it."""
    out: list[Contribution] = []
    total = _run_axis(account, _axis_plan(axis), name, out)
    return total, out


def stored_criteria(parts: Iterable[Contribution]) -> list[list[Any]]:
    """The explanation as a database row keeps it: ``[value, points, note]`` per criterion,
    in the segment's order (attractiveness, then position).  Everything else — the axis, the
    criterion's name, kind and field, its maximum and the sentence — follows from the segment
    file stored with the scores: ``expand_criteria`` puts it back."""
    out: list[list[Any]] = []
    for c in parts:
        names = _records(c.value)
        # records (people, emails) are kept as their names, marked so the sentence says so
        out.append([c.value, c.points, c.note] if names is None else [names, c.points, c.note, 1])
    return out


def expand_criteria(segment: SegmentConfig, stored: Iterable[Any]) -> list[dict[str, Any]]:
    """``stored_criteria`` back to ``Contribution.to_dict`` entries (with ``note``), using the
    segment the scores were made with.  An entry the segment does not explain (a file changed
    without re-scoring) keeps just its value, points and note."""
    att, pos = _plan(segment)
    steps = [("attractiveness", s) for s in att] + [("position", s) for s in pos]
    out: list[dict[str, Any]] = []
    for i, item in enumerate(stored):
        value, points, note, records = (list(item) + [None, 0.0, "", 0])[:4]
        if i >= len(steps) or not isinstance(points, int | float):
            out.append({"value": value, "points": points, "note": note})
            continue
        axis, (crit, _head, _rest, _scorer, factor, max_points) = steps[i]
        raw = points / factor if factor else 0.0
        c = Contribution(axis, crit, value, raw, float(points), max_points, str(note or ""))
        names = [str(v) for v in value] if records and isinstance(value, list) else None
        out.append({**c.to_dict(names), "note": c.note})
    return out


def score_account(
    account: Mapping[str, Any],
    segment: SegmentConfig,
    icp: tuple[bool, list[str]] | None = None,
) -> AccountScore:
    """Score one account dict (see docs/segments.md, "Account data") against a segment
    (``icp``: ``icp_check(account, segment.icp)`` when the caller has it already)."""
    scoring = segment.scoring
    att_steps, pos_steps = _plan(segment)
    passes, reasons = icp if icp is not None else icp_check(account, segment.icp)
    parts: list[Contribution] = []
    att = _run_axis(account, att_steps, "attractiveness", parts)
    pos = _run_axis(account, pos_steps, "position", parts)
    medium, high = scoring.medium, scoring.high
    cell = f"{level(att, medium, high)}/{level(pos, medium, high)}"
    computed = scoring.tiers[cell]
    override = segment.override_for(account) if segment.overrides else None
    if override is not None:
        tier: str | None = override.tier
    else:
        tier = computed if passes else None
    name = account.get("name")
    domain = account.get("domain")
    return AccountScore(
        account.get("id"),
        name if isinstance(name, str) else None,
        domain if isinstance(domain, str) else None,
        passes,
        tuple(reasons),
        att,
        pos,
        (att + pos) / 2,
        cell,
        computed,
        tier,
        override is not None,
        override.reason if override is not None else None,
        tuple(parts),
        data_quality(account, segment.quality),
        ranked_ids(account.get("people")),
        segment.hash,
    )


def score_accounts(
    accounts: Iterable[Mapping[str, Any]], segment: SegmentConfig
) -> list[AccountScore]:
    """Score every account, in the order given. The same accounts and the same segment file
    give the same scores (nothing random, nothing from the clock, no set iteration order)."""
    # Each score holds a dozen small objects: with the cyclic collector running, 100,000
    # accounts cost half as much again in collections that find nothing (none of these
    # objects form cycles). It is switched back on (if it was on) whatever happens.
    enabled = gc.isenabled()
    gc.disable()
    try:
        return [score_account(a, segment) for a in accounts]
    finally:
        if enabled:
            gc.enable()
