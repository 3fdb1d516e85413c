"""Data quality per account and per segment, and the order of contacts inside an account.

``data_quality(account, quality) -> DQI``: the share of the segment's required fields that are
*correctly* filled (a domain that is a domain, an INN whose check digits agree, a positive
employee count), the to-do list of what is missing or wrong, and the contact rule (at least
``min_contacts`` people, ``min_decision_makers`` of them decision makers). An account is
``complete`` when its share reaches the target and the contact rule holds.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, NamedTuple

from scoring.config import QualityConfig
from scoring.fields import get_path, is_missing, to_number

SENIORITY_ORDER = (
    "owner",
    "founder",
    "c_suite",
    "partner",
    "vp",
    "head",
    "director",
    "manager",
    "senior",
    "entry",
    "intern",
    "unknown",
)
EMAIL_ORDER = {"valid": 0, "risky": 1, "unknown": 2, "unverified": 2, None: 2, "invalid": 3}
_SENIORITY_RANK = {s: i for i, s in enumerate(SENIORITY_ORDER)}
_UNKNOWN = _SENIORITY_RANK["unknown"]
_EMAIL_RANK = {
    **{k: v for k, v in EMAIL_ORDER.items()},
    **{k.upper(): v for k, v in EMAIL_ORDER.items() if k},
    **{k.title(): v for k, v in EMAIL_ORDER.items() if k},
}
_NO_EMAIL = 3  # a person without an address is as unreachable as one with an invalid address

_DOMAIN = re.compile(r"(?=.{4,253}$)(?:[\w-]{1,63}\.)+[^\W\d_]{2,63}", re.UNICODE)
_EMAIL = re.compile(r"[^@\s]+@(?:[\w-]{1,63}\.)+[^\W\d_]{2,63}", re.UNICODE)
_NOT_DIGIT = re.compile(r"\D+")
_VAT = re.compile(r"[A-Z]{2}[0-9A-Z+*.]{2,13}")


class DQI(NamedTuple):
    """One account's data-quality index."""

    score: float  # share of required fields correctly filled, 0–1 (1.0 when none required)
    missing: tuple[str, ...]  # the researchers' to-do: "inn: check digits do not match", ...
    contacts: int
    decision_makers: int
    contacts_ok: bool
    complete: bool


@dataclass(frozen=True, slots=True)
class SegmentQuality:
    """The segment's aggregate: ``index`` is the mean of the accounts' scores."""

    accounts: int
    index: float
    target: float
    meets_target: bool
    complete: int
    below_contact_rule: int
    missing: tuple[tuple[str, int], ...]  # (field, accounts missing it), most missed first


def _inn_ok(digits: str) -> bool:
    d = list(map(int, digits))

    def check(coeffs: Sequence[int]) -> int:
        return sum(c * x for c, x in zip(coeffs, d, strict=False)) % 11 % 10

    if len(d) == 10:
        return check((2, 4, 10, 3, 5, 9, 4, 6, 8)) == d[9]
    return (
        check((7, 2, 4, 10, 3, 5, 9, 4, 6, 8)) == d[10]
        and check((3, 7, 2, 4, 10, 3, 5, 9, 4, 6, 8)) == d[11]
    )


def _check_inn(v: Any) -> str | None:
    text = str(v).strip() if isinstance(v, str | int) and not isinstance(v, bool) else ""
    if not text.isdigit() or len(text) not in (10, 12):
        return "not an INN (10 or 12 digits)"
    return None if _inn_ok(text) else "check digits do not match"


def _check_ogrn(v: Any) -> str | None:
    text = str(v).strip() if isinstance(v, str | int) and not isinstance(v, bool) else ""
    if not text.isdigit() or len(text) not in (13, 15):
        return "not an OGRN (13 or 15 digits)"
    mod = 11 if len(text) == 13 else 13
    return None if int(text[:-1]) % mod % 10 == int(text[-1]) else "check digit does not match"


def _text(v: Any) -> str | None:
    return None if isinstance(v, str) and v.strip() else "not text"


def _number(low: float | None) -> Callable[[Any], str | None]:
    def check(v: Any) -> str | None:
        number, why = to_number(v)
        if number is None:
            return why
        if low is not None and number < low:
            return f"{number:g} is not a plausible value"
        return None

    return check


def _regex(pattern: re.Pattern[str], what: str) -> Callable[[Any], str | None]:
    def check(v: Any) -> str | None:
        ok = isinstance(v, str) and pattern.fullmatch(
            v.strip().lower() if what != "VAT" else v.strip().upper().replace(" ", "")
        )
        return None if ok else f"not a {what}"

    return check


def _website(v: Any) -> str | None:
    if not isinstance(v, str):
        return "not a website address"
    text = v.strip().lower()
    host = re.sub(r"^https?://", "", text).split("/", 1)[0].split(":", 1)[0]
    return (
        None
        if text.startswith(("http://", "https://")) and _DOMAIN.fullmatch(host)
        else "not a website address"
    )


def _country(v: Any) -> str | None:
    ok = isinstance(v, str) and len(v.strip()) == 2 and v.strip().isalpha()
    return None if ok else "not a two-letter country code"


def _phones(v: Any) -> str | None:
    items = v if isinstance(v, list | tuple) else []
    ok = any(isinstance(p, str) and len(_NOT_DIGIT.sub("", p)) >= 7 for p in items)
    return None if ok else "no phone number with at least 7 digits"


def _emails(v: Any) -> str | None:
    items = v if isinstance(v, list | tuple) else []
    ok = any(isinstance(e, str) and _EMAIL.fullmatch(e.strip().lower()) for e in items)
    return None if ok else "no valid email address"


def _nonempty(v: Any) -> str | None:
    return None if isinstance(v, list | tuple | Mapping) and v else "empty"


CHECKS: dict[str, Callable[[Any], str | None]] = {
    "name": _text,
    "domain": _regex(_DOMAIN, "domain"),
    "website": _website,
    "country": _country,
    "region": _text,
    "city": _text,
    "industry": _text,
    "employees": _number(1),
    "revenue": _number(0),
    "revenue_growth": _number(None),
    "inn": _check_inn,
    "ogrn": _check_ogrn,
    "vat": _regex(_VAT, "VAT"),
    "phones": _phones,
    "company_emails": _emails,
    "description": _text,
    "technologies": _nonempty,
    "social": _nonempty,
}


_TEXT_FIELDS = frozenset(k for k, v in CHECKS.items() if v is _text)


def _field_problem(account: Mapping[str, Any], path: str) -> str | None:
    """What is wrong with a required field: "missing", the check's reason, or None (fine)."""
    value = get_path(account, path)
    if is_missing(value):
        return "missing"
    check = CHECKS.get(path)
    if check is None:  # facts.NAME: any non-empty value
        return None
    return check(value)


def data_quality(account: Mapping[str, Any], quality: QualityConfig) -> DQI:
    """The account's DQI: share of required fields correctly filled, to-dos, contact rule."""
    todo: list[str] = []
    good = 0
    get = account.get
    for path in quality.required:
        value = get(path)
        if type(value) is str:  # the common case, checked without the generic path
            if not value.strip():
                problem = "missing"
            elif path in _TEXT_FIELDS:
                problem = None
            else:
                problem = CHECKS[path](value) if path in CHECKS else None
        elif value is None and "." not in path:
            problem = "missing"
        else:
            problem = _field_problem(account, path)
        if problem is None:
            good += 1
        else:
            todo.append(f"{path}: {problem}")
    people = get("people")
    contacts = dms = 0
    if isinstance(people, list | tuple):
        for p in people:
            if type(p) is dict or isinstance(p, Mapping):
                contacts += 1
                if p.get("is_decision_maker") is True:
                    dms += 1
    if contacts < quality.min_contacts:
        todo.append(f"contacts: {contacts} of {quality.min_contacts}")
    if dms < quality.min_decision_makers:
        todo.append(f"decision makers: {dms} of {quality.min_decision_makers}")
    contacts_ok = contacts >= quality.min_contacts and dms >= quality.min_decision_makers
    score = good / len(quality.required) if quality.required else 1.0
    complete = contacts_ok and score >= quality.target - 1e-9
    return DQI(score, tuple(todo), contacts, dms, contacts_ok, complete)


def segment_quality(dqis: Iterable[DQI], quality: QualityConfig) -> SegmentQuality:
    """The segment's DQI: mean account score against the target, counts, most missed fields."""
    n = 0
    scores: list[float] = []
    complete = below = 0
    missed: Counter[str] = Counter()
    for d in dqis:
        n += 1
        scores.append(d.score)
        complete += d.complete
        below += not d.contacts_ok
        for item in d.missing:
            missed[item.split(":", 1)[0]] += 1
    index = math.fsum(scores) / n if n else 0.0
    ranked = tuple(sorted(missed.items(), key=lambda kv: (-kv[1], kv[0])))
    return SegmentQuality(
        accounts=n,
        index=index,
        target=quality.target,
        meets_target=n > 0 and index >= quality.target - 1e-9,
        complete=complete,
        below_contact_rule=below,
        missing=ranked,
    )


def contact_key(person: Mapping[str, Any]) -> tuple[int, int, int, int]:
    """Sort key: decision makers first, then best email status (valid > risky > unknown or
    unverified > invalid or none), then seniority (``SENIORITY_ORDER``), then id (a person
    without an integer id after those with one, in the order given)."""
    get = person.get
    email = _NO_EMAIL
    emails = get("emails")
    if emails and isinstance(emails, list | tuple):
        for e in emails:
            if (type(e) is dict or isinstance(e, Mapping)) and e.get("address"):
                status = e.get("status")
                rank = _EMAIL_RANK.get(status, 2) if status is None or type(status) is str else 2
                if rank < email:
                    email = rank
    pid = get("id")
    seniority = get("seniority")
    return (
        0 if get("is_decision_maker") is True else 1,
        email,
        _SENIORITY_RANK.get(seniority, _UNKNOWN) if type(seniority) is str else _UNKNOWN,
        pid if type(pid) is int else 1 << 62,
    )


def rank_contacts(people: Iterable[Mapping[str, Any]]) -> list[Mapping[str, Any]]:
    """The account's people, best first (see ``contact_key``); non-dict entries are dropped."""
    return sorted(
        (p for p in people if (type(p) is dict or isinstance(p, Mapping))), key=contact_key
    )


def ranked_ids(people: Any) -> tuple[Any, ...]:
    """The ids of ``rank_contacts(people)``; () for anything that is not a list of people."""
    if not people or not isinstance(people, list | tuple):
        return ()
    return tuple(p.get("id") for p in rank_contacts(people))
