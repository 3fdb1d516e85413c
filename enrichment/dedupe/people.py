"""Duplicate people within one company: by email, then by name.

Rules, strongest first (``docs/dedupe.md``):

* ``email``: the same personal address (role boxes such as info@ or sales@ are shared, so they
  link nobody);
* ``person_name``: the same first and last name in any order ("Иванов Иван" / "Иван Иванов",
  "Ivan Ivanov" / "Иван Иванов" after transliteration);
* ``person_initials``: the same last name and an initial that fits the other's first name
  ("И. Иванов" / "Иван Иванов"), when only one first name in the company fits;
* ``person_fuzzy``: first and last names each at least ``threshold`` alike (typos: "Ivanow").

Vetoes: different patronymics / middle names, different first names (two Ivanovs in one
company are two people), last names that differ only by the Russian feminine ending
("Иванов" / "Иванова"), and, for an email match, names that contradict each other.
People are only compared within one ``group`` (the company); ``None`` groups are one group.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Hashable, Iterable, Sequence
from dataclasses import dataclass
from itertools import combinations

from rapidfuzz import fuzz
from rapidfuzz.utils import default_process

from enrichment.dedupe.clusters import DedupePlan, Match, Refusal, cluster
from enrichment.normalize.emails import normalize_email
from enrichment.normalize.names import parse_person_name
from enrichment.normalize.translit import translit_key

DEFAULT_PERSON_THRESHOLD = 88.0
#: Groups up to this size compare every pair; larger ones are blocked by name prefixes.
SMALL_GROUP = 60
#: First names at least this alike are not "different first names" (Aleksandr / Alexander).
FIRST_NAME_ALIKE = 80.0
#: A fuzzy match scores the whole "first last"; each part must still be this alike on its own.
PART_ALIKE = 75.0
#: … and the last names more: one letter in a short surname is another family
#: ("Müller" / "Miller" 83 %, "Petrov" / "Petrow" 83 %), in a long one a typo ("Kuznetsov" /
#: "Kuznetcov" 89 %).
LAST_NAME_ALIKE = 85.0


@dataclass(frozen=True, slots=True)
class PersonEntry:
    id: Hashable
    group: Hashable = None
    full_name: str = ""
    first_name: str | None = None
    middle_name: str | None = None
    last_name: str | None = None
    emails: tuple[str, ...] = ()


@dataclass(slots=True)
class _Features:
    entry: PersonEntry
    first: str  # transliterated, folded; "" when unknown
    middle: str
    last: str
    initial: bool  # the first name is only an initial
    emails: frozenset[str]


def _t(text: str | None) -> str:
    return translit_key((text or "").strip().strip(".")) if text else ""


def _features(e: PersonEntry) -> _Features:
    parsed = parse_person_name(e.full_name) if e.full_name else None
    first = e.first_name if e.first_name is not None else (parsed.first if parsed else None)
    middle = e.middle_name if e.middle_name is not None else (parsed.middle if parsed else None)
    last = e.last_name if e.last_name is not None else (parsed.last if parsed else None)
    first_t, last_t = _t(first), _t(last)
    if not last_t and first_t and parsed and parsed.last:
        last_t = _t(parsed.last)
    emails = set()
    for address in e.emails:
        parsed_email = normalize_email(address)
        if parsed_email.address and not parsed_email.is_role:
            emails.add(parsed_email.address)
    return _Features(
        entry=e,
        first=first_t,
        middle=_t(middle),
        last=last_t,
        initial=len(first_t) == 1,
        emails=frozenset(emails),
    )


def _label(f: _Features) -> str:
    e = f.entry
    return (e.full_name or " ".join(x for x in (e.first_name, e.last_name) if x)).strip()


def _ratio(a: str, b: str) -> float:
    return fuzz.ratio(a, b, processor=default_process) if a and b else 0.0


def _feminine_pair(a: str, b: str) -> bool:
    """ "ivanov" / "ivanova", "petrovskii" / "petrovskaia": one family name, two people."""
    if a == b or not a or not b:
        return False
    short, long_ = sorted((a, b), key=len)
    if long_ == short + "a":
        return True
    for m, f in (("skii", "skaia"), ("tskii", "tskaia"), ("oi", "aia")):
        if a.endswith(m) and b.endswith(f) and a[: -len(m)] == b[: -len(f)]:
            return True
        if b.endswith(m) and a.endswith(f) and b[: -len(m)] == a[: -len(f)]:
            return True
    return False


def _orders(fa: _Features, fb: _Features) -> list[tuple[str, str, str, str]]:
    """(first a, last a, first b, last b) as given, and with b's names swapped (a Latin
    "Ivanov Ivan" is parsed first=Ivanov)."""
    out = [(fa.first, fa.last, fb.first, fb.last)]
    if fb.first and fb.last and not fb.initial:
        out.append((fa.first, fa.last, fb.last, fb.first))
    return out


def _name_clash(fa: _Features, fb: _Features) -> str | None:
    if fa.middle and fb.middle and len(fa.middle) > 1 and len(fb.middle) > 1:
        if _ratio(fa.middle, fb.middle) < FIRST_NAME_ALIKE:
            return f"different middle names ({fa.middle} / {fb.middle})"
    best = None
    for a1, a2, b1, b2 in _orders(fa, fb):
        if _feminine_pair(a2, b2):
            best = best or f"last names {a2} / {b2} are a man's and a woman's"
            continue
        if a1 and b1 and not fa.initial and not fb.initial:
            if _ratio(a1, b1) < FIRST_NAME_ALIKE:
                best = best or f"different first names ({a1} / {b1})"
                continue
        elif a1 and b1 and a1[0] != b1[0]:
            best = best or f"initials do not fit ({a1} / {b1})"
            continue
        if a2 and b2 and _ratio(a2, b2) < FIRST_NAME_ALIKE:
            best = best or f"different last names ({a2} / {b2})"
            continue
        return None
    return best


def _judge(
    fa: _Features, fb: _Features, threshold: float, ambiguous: frozenset[tuple]
) -> Match | Refusal | None:
    a, b = fa.entry.id, fb.entry.id
    names = f"'{_label(fa)}' / '{_label(fb)}'"
    shared = sorted(fa.emails & fb.emails)
    if shared:
        reason = f"same email {shared[0]}"
        clash = _name_clash(fa, fb)
        if clash:
            return Refusal(a, b, "email", f"{reason}, but {clash}")
        return Match(a, b, "email", 100.0, f"{reason} ({names})")
    if not (fa.first and fa.last and fb.first and fb.last):
        return None
    for a1, a2, b1, b2 in _orders(fa, fb):
        if a2 != b2 and not (fa.initial or fb.initial):
            continue
        if not fa.initial and not fb.initial and a1 == b1 and a2 == b2:
            clash = _name_clash(fa, fb)
            reason = f"same name {names}"
            if clash:
                return Refusal(a, b, "person_name", f"{reason}, but {clash}")
            return Match(a, b, "person_name", 100.0, reason)
        if (fa.initial ^ fb.initial) and a2 == b2 and a1[0] == b1[0]:
            reason = f"initial fits: {names}"
            if (fa.entry.group, a2, a1[0]) in ambiguous:
                return Refusal(
                    a, b, "person_initials", f"{reason}, but more than one {a1[0]}. {a2}"
                )
            clash = _name_clash(fa, fb)
            if clash:
                return Refusal(a, b, "person_initials", f"{reason}, but {clash}")
            return Match(a, b, "person_initials", 90.0, reason)
    if fa.initial or fb.initial:
        return None
    best = 0.0
    for a1, a2, b1, b2 in _orders(fa, fb):
        if _ratio(a1, b1) >= PART_ALIKE and _ratio(a2, b2) >= LAST_NAME_ALIKE:
            best = max(best, _ratio(f"{a1} {a2}", f"{b1} {b2}"))
    if best < threshold:
        return None
    reason = f"names {names} {best:.0f} % alike"
    clash = _name_clash(fa, fb)
    if clash:
        return Refusal(a, b, "person_fuzzy", f"{reason}, but {clash}")
    return Match(a, b, "person_fuzzy", round(best, 1), reason)


def compare_people(
    a: PersonEntry, b: PersonEntry, threshold: float = DEFAULT_PERSON_THRESHOLD
) -> Match | Refusal | None:
    """Judge one pair of people (assumed to be in the same company)."""
    return _judge(_features(a), _features(b), threshold, frozenset())


def _ambiguous(feats: Sequence[_Features]) -> frozenset[tuple]:
    firsts: dict[tuple, set[str]] = defaultdict(set)
    for f in feats:
        if f.last and f.first and not f.initial:
            firsts[(f.entry.group, f.last, f.first[0])].add(f.first)
    return frozenset(k for k, v in firsts.items() if len(v) > 1)


def _pairs(feats: Sequence[_Features]) -> set[tuple[int, int]]:
    groups: dict[Hashable, list[int]] = defaultdict(list)
    for i, f in enumerate(feats):
        groups[f.entry.group].append(i)
    out: set[tuple[int, int]] = set()
    for members in groups.values():
        if len(members) < 2:
            continue
        if len(members) <= SMALL_GROUP:
            out.update(combinations(members, 2))
            continue
        blocks: dict[str, list[int]] = defaultdict(list)
        for i in members:
            f = feats[i]
            for token in {f.first, f.last}:
                if len(token) > 1:
                    blocks["n:" + token[:3]].append(i)
            for address in f.emails:
                blocks["e:" + address].append(i)
        for block in blocks.values():
            if 1 < len(block) <= 5_000:
                out.update(combinations(sorted(set(block)), 2))
    return out


def find_person_duplicates(
    entries: Iterable[PersonEntry],
    threshold: float = DEFAULT_PERSON_THRESHOLD,
    progress: Callable[[int, int], None] | None = None,
) -> DedupePlan:
    """Candidate pairs and clusters of people; only people of one group are compared."""
    feats = [_features(e) for e in entries]
    ambiguous = _ambiguous(feats)
    plan = DedupePlan()
    pairs = sorted(_pairs(feats))
    plan.compared = len(pairs)
    matches = []
    for n, (i, j) in enumerate(pairs, 1):
        verdict = _judge(feats[i], feats[j], threshold, ambiguous)
        if isinstance(verdict, Match):
            matches.append(verdict)
        elif isinstance(verdict, Refusal):
            plan.refuse(verdict)
        if progress and n % 10_000 == 0:
            progress(n, len(pairs))
    rank = {"email": 0, "person_name": 1, "person_initials": 2, "person_fuzzy": 3}
    matches.sort(key=lambda m: (rank[m.rule], -m.score, str(m.a), str(m.b)))
    return cluster((f.entry.id for f in feats), {}, matches, plan)
