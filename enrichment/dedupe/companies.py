"""Duplicate companies: exact keys first (domain, INN, OGRN, VAT, email), then fuzzy names
backed by a second fact (the same city, phone or street address).

Rules, strongest first (``docs/dedupe.md`` explains them with examples):

* ``domain``: the same registrable domain, or one company's domain is the domain of the other's
  (non-free-mail) email address;
* ``inn`` / ``ogrn`` / ``vat``: the same registry number;
* ``email``: the same email address on both;
* ``name_phone`` / ``name_address``: names at least ``threshold - EVIDENCE_MARGIN`` alike and a
  phone number or street address in common;
* ``name_city``: names at least ``threshold`` alike in the same city.

Vetoes, whatever the rule: two different values of one strong key (domain, INN, OGRN, VAT) on
the two sides; for fuzzy rules also different numbers in the names ("Школа 12" / "Школа 14"),
a branch on one side only or two different branches ("филиал", "Niederlassung", "branch"),
and a generic name (every word is a trade word, or the name is found in many cities) matched
by city alone.  Short names need more: a name of at most ``SHORT_KEY`` letters must be equal
(after transliteration), one of at most ``MEDIUM_KEY`` letters at least 95 % alike.

Names are compared on :func:`enrichment.normalize_company_name`'s transliterated key (legal
form, quotes and case gone; Cyrillic transliterated), so «Ромашка» meets "Romashka LLC".
Scores are rapidfuzz's with ``processor=default_process``: the best of token_sort_ratio (word
order) and ratio on the key without spaces ("Строй-Мастер" / "Строймастер").
"""

from __future__ import annotations

import re
import sys
from collections import defaultdict
from collections.abc import Callable, Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from types import MappingProxyType

from rapidfuzz import fuzz, process
from rapidfuzz.utils import default_process

from enrichment.dedupe.clusters import DedupePlan, Match, Refusal, cluster
from enrichment.normalize.companies import normalize_company_name

DEFAULT_THRESHOLD = 90.0
#: Fuzzy rules backed by a shared phone or street address accept names this much less alike.
EVIDENCE_MARGIN = 8.0
#: Keys (letters and digits, after transliteration) this short must be equal …
SHORT_KEY = 4
#: … and up to this long at least MEDIUM_THRESHOLD alike: one typo in "Ромашка" is 87 %.
MEDIUM_KEY = 8
MEDIUM_THRESHOLD = 95.0
#: Name blocks larger than this are split by a longer prefix; still larger ones are skipped
#: (and reported in the plan): comparing them pair by pair would cost n².
MAX_BLOCK = 2_000
#: A phone shared by more records than this is a switchboard or a call centre, not evidence.
MAX_SHARED_PHONE = 20
#: An email domain found on more companies than this is a provider, not a company's domain.
MAX_SHARED_EMAIL_DOMAIN = 3
MAX_SHARED_ADDRESS = 50
#: A name key found in this many cities or more is a generic name ("Стройсервис").
GENERIC_KEY_CITIES = 5

STRONG_KEYS = ("domain", "inn", "ogrn", "vat")
_FUZZY_RULES = frozenset({"name_phone", "name_address", "name_city"})
#: More records than this with one name in one city: the name is common there, and it is
#: left out of the name blocks (phone, address and keys still apply).
MAX_SAME_NAME = 20
_KEY_LABEL = {"domain": "domain", "inn": "INN", "ogrn": "OGRN", "vat": "VAT"}
#: Order in which matches join clusters: exact keys, then fuzzy names by the strength of the
#: second fact (a phone or address in common says more than the city), then by score.
_RULE_RANK = {
    "domain": 0,
    "inn": 1,
    "ogrn": 2,
    "vat": 3,
    "email": 4,
    "name_phone": 5,
    "name_address": 6,
    "name_city": 7,
}

# Free mail providers: an address there says nothing about the company.  The largest
# providers of Russian, German and English-speaking lead lists (the operators' own domain lists).
FREE_MAIL_DOMAINS = frozenset(
    """
    gmail.com googlemail.com yahoo.com yahoo.de yahoo.co.uk ymail.com hotmail.com hotmail.de
    hotmail.co.uk outlook.com outlook.de live.com live.de msn.com icloud.com me.com mac.com
    aol.com aol.de gmx.de gmx.net gmx.at gmx.ch gmx.com web.de t-online.de freenet.de
    arcor.de posteo.de mailbox.org protonmail.com proton.me zoho.com mail.com
    yandex.ru ya.ru yandex.com yandex.by yandex.kz yandex.ua mail.ru inbox.ru list.ru bk.ru
    internet.ru rambler.ru lenta.ru autorambler.ru myrambler.ru ro.ru qip.ru ukr.net i.ua
    tut.by
    """.split()
)

# Words marking a branch, office or division of a company (key form: casefolded, ё→е).
BRANCH_WORDS = frozenset(
    """
    филиал филиала отделение представительство подразделение обособленное
    branch office division filiale niederlassung zweigniederlassung zweigstelle
    geschäftsstelle vertretung
    """.split()
)

# Trade words that say what a company does, not which one it is (key form).  A name made of
# nothing else needs a phone or address in common, not only the city.
GENERIC_WORDS = frozenset(
    """
    строй стройсервис строймонтаж стройматериалы строительная строительство сервис сервиса
    торговый торговая дом групп группа компания компаний холдинг центр плюс авто автосервис
    транс транспорт логистика логистик проект инвест маркет снаб ремонт монтаж техника
    технологии системы консалтинг агентство студия мебель окна двери бухгалтерия
    service services group trade trading holding center centre company plus auto transport
    logistics project invest market systems solutions consulting agency studio technik bau
    handel montage immobilien logistik dienstleistungen gruppe international global
    """.split()
)

_NUMBER_RE = re.compile(r"\d+")
_SPACE_RE = re.compile(r"\s+")
_ADDR_WORD_RE = re.compile(r"[^\W\d_]{3,}")
# Street types and directions, dropped from the address key (key form, transliterated).
_ADDRESS_STOP = frozenset(
    """
    ul ulitsa prospekt pr pros per pereulok shosse bulvar pl ploshchad nab naberezhnaia dom
    korpus str stroenie ofis kv pom mkr gorod obl oblast raion
    street st avenue ave road rd drive dr boulevard blvd lane ln place pl suite ste floor fl
    unit north south east west
    strasse str weg platz allee gasse ring damm
    """.split()
)


@dataclass(frozen=True, slots=True)
class CompanyEntry:
    """One company as the matcher sees it (any source: a database row, a CSV line)."""

    id: Hashable
    name: str = ""
    city: str = ""
    domain: str | None = None
    inn: str | None = None
    ogrn: str | None = None
    vat: str | None = None
    phones: tuple[str, ...] = ()
    emails: tuple[str, ...] = ()
    address: str = ""


@dataclass(slots=True)
class _Features:
    entry: CompanyEntry
    tkey: str
    compact: str
    numbers: frozenset[str]
    branch: bool
    generic: bool
    city: str
    strong: Mapping[str, str]
    phones: frozenset[str]
    emails: frozenset[str]
    #: email domain -> one address there (non-free providers only); None for none
    email_domains: dict[str, str] | None
    address: str


def city_key(city: str | None) -> str:
    """Case-, space- and ё-folded city without "г." (the same fold as ``storage.keys``)."""
    if not city:
        return ""
    key = _SPACE_RE.sub(" ", city.strip().casefold().replace("ё", "е"))
    return re.sub(r"^(?:г\.|гор\.|город\s|г\s)\s*", "", key).strip()


def address_key(address: str | None) -> str:
    """House number + first street word, transliterated: "221 E. 51st St." → "221 51st",
    "ул. Ленина, д. 5" → "5 lenina"; "" when either is missing."""
    if not address:
        return ""
    text = normalize_company_name(address).translit_key
    numbers = _NUMBER_RE.findall(text)
    words = [w for w in _ADDR_WORD_RE.findall(text) if w not in _ADDRESS_STOP]
    tokens = text.split()
    # "51st" is a street name in the US: keep an ordinal token whole when it is the street
    for tok in tokens:
        if re.fullmatch(r"\d+(st|nd|rd|th)", tok):
            words.insert(0, tok)
            numbers = [n for n in numbers if n != tok[:-2]] or numbers
            break
    if not numbers or not words:
        return ""
    return f"{numbers[0]} {words[0]}"


_NONE: frozenset[str] = frozenset()
_NO_KEYS: Mapping[str, str] = MappingProxyType({})


def _folded(value: object) -> str:
    text = value if isinstance(value, str) else str(value)
    folded = text.strip().lower()
    return text if folded == text else folded  # the same object when nothing changes


def _features(e: CompanyEntry) -> _Features:
    # A million of these are alive at once: empty sets and maps are shared, cities interned.
    cname = normalize_company_name(e.name)
    tkey = cname.translit_key
    words = cname.key.split()
    email_domains: dict[str, str] = {}
    for address in e.emails:
        domain = address.rpartition("@")[2].lower()
        if domain and domain not in FREE_MAIL_DOMAINS:
            email_domains.setdefault(domain, address)
    numbers = _NUMBER_RE.findall(tkey)
    strong = {k: _folded(v) for k in STRONG_KEYS if (v := getattr(e, k))}
    return _Features(
        entry=e,
        tkey=tkey,
        compact=tkey.replace(" ", ""),
        numbers=frozenset(numbers) if numbers else _NONE,
        branch=any(w in BRANCH_WORDS for w in words),
        generic=bool(words) and all(w in GENERIC_WORDS or w.isdigit() for w in words),
        city=sys.intern(city_key(e.city)),
        strong=strong or _NO_KEYS,
        phones=frozenset(p for p in e.phones if p) if e.phones else _NONE,
        emails=frozenset(a.lower() for a in e.emails if a) if e.emails else _NONE,
        email_domains=email_domains or None,
        address=address_key(e.address) if e.address else "",
    )


def name_score(a: str, b: str) -> float:
    """How alike two transliterated keys are (0–100): word order and spacing ignored."""
    if not a or not b:
        return 0.0
    return max(
        fuzz.token_sort_ratio(a, b, processor=default_process),
        fuzz.ratio(a.replace(" ", ""), b.replace(" ", ""), processor=default_process),
    )


def _needed(fa: _Features, fb: _Features, threshold: float) -> float:
    shortest = min(len(fa.compact), len(fb.compact))
    if shortest <= SHORT_KEY:
        return 100.0
    if shortest <= MEDIUM_KEY:
        return max(threshold, MEDIUM_THRESHOLD)
    return threshold


def _conflict(fa: _Features, fb: _Features, but: str | None = None) -> str | None:
    for key in STRONG_KEYS:
        if key == but:
            continue
        va, vb = fa.strong.get(key), fb.strong.get(key)
        if va and vb and va != vb:
            return f"different {_KEY_LABEL[key]} {va} / {vb}"
    return None


def _names(fa: _Features, fb: _Features) -> str:
    return f"'{fa.entry.name.strip()}' / '{fb.entry.name.strip()}'"


def _exact(fa: _Features, fb: _Features) -> Match | Refusal | None:
    a, b = fa.entry.id, fb.entry.id
    for key in STRONG_KEYS:
        value = fa.strong.get(key)
        if value and value == fb.strong.get(key):
            reason = f"same {_KEY_LABEL[key]} {value}"
            clash = _conflict(fa, fb, but=key)
            if clash:
                return Refusal(a, b, key, f"{reason}, but {clash}")
            return Match(a, b, key, 100.0, reason)
    for x, y in ((fa, fb), (fb, fa)):
        domain = x.strong.get("domain")
        if domain and not y.strong.get("domain") and y.email_domains and domain in y.email_domains:
            reason = f"domain {domain} is the domain of the email {y.email_domains[domain]}"
            clash = _conflict(fa, fb, but="domain")
            if clash:
                return Refusal(a, b, "domain", f"{reason}, but {clash}")
            return Match(a, b, "domain", 100.0, reason)
    shared = sorted(fa.emails & fb.emails)
    if shared:
        reason = f"same email {shared[0]}"
        clash = _conflict(fa, fb)
        if clash:
            return Refusal(a, b, "email", f"{reason}, but {clash}")
        return Match(a, b, "email", 100.0, reason)
    return None


def _fuzzy(
    fa: _Features, fb: _Features, threshold: float, generic_keys: frozenset[str]
) -> Match | Refusal | None:
    a, b = fa.entry.id, fb.entry.id
    if not fa.tkey or not fb.tkey:
        return None
    score = round(name_score(fa.tkey, fb.tkey), 1)
    needed = _needed(fa, fb, threshold)
    shared_phone = sorted(fa.phones & fb.phones)
    same_address = bool(fa.address) and fa.address == fb.address
    same_city = bool(fa.city) and fa.city == fb.city
    with_evidence = needed if needed == 100.0 else needed - EVIDENCE_MARGIN
    if (shared_phone or same_address) and needed < 100.0:
        # With a phone or address in common, one name may hold the other ("Agassiz" /
        # "Agassiz (Blended)", "Salvation Army Temple" / "Salvation Army - Temple / …").
        score = max(score, round(fuzz.token_set_ratio(fa.tkey, fb.tkey), 1))
    if shared_phone and score >= with_evidence:
        rule, evidence = "name_phone", f"same phone {shared_phone[0]}"
    elif same_address and score >= with_evidence:
        rule, evidence = "name_address", f"same address {fa.entry.address.strip()!r}"
    elif same_city and score >= needed:
        rule, evidence = "name_city", f"same city {fa.entry.city.strip()}"
    else:
        return None
    reason = f"names {_names(fa, fb)} {score:g} % alike, {evidence}"
    clash = _conflict(fa, fb)
    if clash:
        return Refusal(a, b, rule, f"{reason}, but {clash}")
    if fa.numbers != fb.numbers:
        numbers = f"{' '.join(sorted(fa.numbers)) or '-'} / {' '.join(sorted(fb.numbers)) or '-'}"
        return Refusal(a, b, rule, f"{reason}, but the numbers in the names differ ({numbers})")
    if (fa.branch or fb.branch) and fa.tkey != fb.tkey:
        return Refusal(a, b, rule, f"{reason}, but a branch is named on one side")
    if rule == "name_city" and (
        fa.generic or fb.generic or fa.tkey in generic_keys or fb.tkey in generic_keys
    ):
        return Refusal(a, b, rule, f"{reason}, but the name is generic: city alone is not enough")
    if rule == "name_city":
        own_a, own_b = _own_words(fa.tkey, fb.tkey), _own_words(fb.tkey, fa.tkey)
        # "stroi master" / "stroimaster", "i b m" / "ibm": the same words, spaced otherwise
        if own_a and own_b and fuzz.ratio("".join(own_a), "".join(own_b)) < 80:
            return Refusal(
                a,
                b,
                rule,
                f"{reason}, but each name has words of its own "
                f"({' '.join(own_a)} / {' '.join(own_b)})",
            )
    return Match(a, b, rule, score, reason)


def _own_words(key: str, other: str) -> list[str]:
    """Words of ``key`` with no counterpart in ``other`` (none equal or 80 % alike): the
    part that tells "Family Services North" from "Family Services Midway"."""
    theirs = other.split()
    return [
        w
        for w in key.split()
        if w not in theirs and not any(fuzz.ratio(w, t) >= 80 for t in theirs)
    ]


def compare_companies(
    a: CompanyEntry,
    b: CompanyEntry,
    threshold: float = DEFAULT_THRESHOLD,
    generic_keys: frozenset[str] = frozenset(),
) -> Match | Refusal | None:
    """Judge one pair: a Match (rule, score, reason), a Refusal (why not), or None."""
    fa, fb = _features(a), _features(b)
    return _exact(fa, fb) or _fuzzy(fa, fb, threshold, generic_keys)


def _blocks(
    feats: Sequence[_Features], key: Callable[[_Features], str | None], limit: int
) -> tuple[list[list[int]], list[str]]:
    groups: dict[str, list[int]] = defaultdict(list)
    for i, f in enumerate(feats):
        k = key(f)
        if k:
            groups[k].append(i)
    kept, skipped = [], []
    for k, members in groups.items():
        if len(members) < 2:
            continue
        if len(members) > limit:
            skipped.append(f"{k} ({len(members)} records)")
            continue
        kept.append(members)
    return kept, skipped


def _name_blocks(
    feats: Sequence[_Features],
) -> tuple[list[list[int]], list[str], list[tuple[int, int]]]:
    """Records of one city whose keys start (or end) alike; big blocks split further.

    Many records with one name in one city (more than ``MAX_SAME_NAME``) are not compared pair
    by pair: when their strong keys agree they are linked to the first of them (a star, which
    alone stands in the blocks); when the keys disagree the name is common there and names
    alone decide nothing (reported as skipped).  Returns blocks, skipped, star pairs.
    """
    out: list[list[int]] = []
    skipped: list[str] = []
    stars: list[tuple[int, int]] = []
    same: dict[tuple[str, str], list[int]] = defaultdict(list)
    for i, f in enumerate(feats):
        if f.city and f.compact:
            same[(f.city, f.compact)].append(i)
    left_out: set[int] = set()
    for (city, name), members in same.items():
        if len(members) <= MAX_SAME_NAME:
            continue
        values: dict[str, set[str]] = defaultdict(set)
        for i in members:
            for key, value in feats[i].strong.items():
                values[key].add(value)
        if any(len(v) > 1 for v in values.values()):
            skipped.append(f"{city} / {name} ({len(members)} records, different keys)")
            left_out.update(members)
        else:
            stars += [(members[0], i) for i in members[1:]]
            left_out.update(members[1:])
    del same
    for part in ("head", "tail"):
        groups: dict[tuple[str, str], list[int]] = defaultdict(list)
        for i, f in enumerate(feats):
            if f.city and f.compact and i not in left_out:
                piece = f.compact[:4] if part == "head" else f.compact[-4:]
                groups[(f.city, piece)].append(i)
        for (city, _piece), members in groups.items():
            if len(members) < 2:
                continue
            if len(members) <= MAX_BLOCK:
                out.append(members)
                continue
            finer: dict[str, list[int]] = defaultdict(list)
            for i in members:
                c = feats[i].compact
                finer[c[:7] if part == "head" else c[-7:]].append(i)
            for sub, subm in finer.items():
                if len(subm) > MAX_BLOCK:
                    skipped.append(f"{city} / {sub} ({len(subm)} records)")
                elif len(subm) > 1:
                    out.append(subm)
    return out, skipped, stars


def _similar_in_block(
    feats: Sequence[_Features], members: list[int], cutoff: float
) -> Iterable[tuple[int, int]]:
    tkeys = [feats[i].tkey for i in members]
    compacts = [feats[i].compact for i in members]
    for pos in range(len(members) - 1):
        rest = slice(pos + 1, None)
        found = process.extract(
            tkeys[pos],
            tkeys[rest],
            scorer=fuzz.token_sort_ratio,
            processor=default_process,
            score_cutoff=cutoff,
            limit=None,
        )
        found += process.extract(
            compacts[pos],
            compacts[rest],
            scorer=fuzz.ratio,
            processor=default_process,
            score_cutoff=cutoff,
            limit=None,
        )
        for _, _, j in found:
            yield members[pos], members[pos + 1 + j]


def find_company_duplicates(
    entries: Iterable[CompanyEntry],
    threshold: float = DEFAULT_THRESHOLD,
    progress: Callable[[int, int], None] | None = None,
) -> DedupePlan:
    """Blocks, candidate pairs, vetoes and clusters for ``entries`` (ids must be unique)."""
    feats = [_features(e) for e in entries]
    plan = DedupePlan()
    # Data-driven vetoes: providers (an email domain on many companies) and generic names.
    domain_count: dict[str, int] = defaultdict(int)
    key_cities: dict[str, set[str]] = defaultdict(set)
    for f in feats:
        for d in f.email_domains or ():
            domain_count[d] += 1
        if f.tkey and f.city and len(key_cities[f.tkey]) < GENERIC_KEY_CITIES:
            key_cities[f.tkey].add(f.city)
    providers = {d for d, n in domain_count.items() if n > MAX_SHARED_EMAIL_DOMAIN}
    if providers:
        for f in feats:
            if f.email_domains:
                for d in providers & f.email_domains.keys():
                    del f.email_domains[d]
    generic_keys = frozenset(k for k, c in key_cities.items() if len(c) >= GENERIC_KEY_CITIES)
    del key_cities

    candidates: set[tuple[int, int]] = set()

    def add_block(members: list[int]) -> None:
        for x in range(len(members)):
            for y in range(x + 1, len(members)):
                i, j = members[x], members[y]
                candidates.add((i, j) if i < j else (j, i))

    # Exact keys: each shared value links the records that carry it.
    by_value: dict[tuple[str, str], list[int]] = defaultdict(list)
    for i, f in enumerate(feats):
        for key, value in f.strong.items():
            by_value[(key, value)].append(i)
        for address in f.emails:
            by_value[("email", address)].append(i)
    for i, f in enumerate(feats):
        for d in f.email_domains or ():
            owners = by_value.get(("domain", d))
            if owners:
                add_block([*owners[:MAX_SHARED_EMAIL_DOMAIN], i])
    for (key, value), members in by_value.items():
        if len(members) > MAX_SHARED_PHONE:
            plan.skipped_blocks.append(f"{key} {value} ({len(members)} records)")
            members = members[:MAX_SHARED_PHONE]
        if len(members) > 1:
            add_block(members)
    del by_value
    # Phones and street addresses: small blocks, every pair judged.
    phone_groups: dict[str, list[int]] = defaultdict(list)
    for i, f in enumerate(feats):
        for p in f.phones:
            phone_groups[p].append(i)
    for p, members in phone_groups.items():
        if len(members) > MAX_SHARED_PHONE:
            plan.skipped_blocks.append(f"phone {p} ({len(members)} records)")
        elif len(members) > 1:
            add_block(members)
    del phone_groups
    blocks, skipped = _blocks(
        feats, lambda f: f.address and f"{f.city}|{f.address}", MAX_SHARED_ADDRESS
    )
    plan.skipped_blocks += [f"address {s}" for s in skipped]
    for members in blocks:
        add_block(members)
    # Names: one city, alike starts or ends, then rapidfuzz within the block.
    blocks, skipped, stars = _name_blocks(feats)
    plan.skipped_blocks += [f"name block {s}" for s in skipped]
    candidates.update(stars)
    cutoff = min(threshold, MEDIUM_THRESHOLD)
    total = len(blocks)
    for n, members in enumerate(blocks, 1):
        for i, j in _similar_in_block(feats, members, cutoff):
            candidates.add((i, j) if i < j else (j, i))
        if progress and (n % 1000 == 0 or n == total):
            progress(n, total)
    plan.compared = len(candidates)

    matches: list[Match] = []
    for i, j in sorted(candidates):
        verdict = _exact(feats[i], feats[j]) or _fuzzy(feats[i], feats[j], threshold, generic_keys)
        if isinstance(verdict, Match):
            matches.append(verdict)
        elif isinstance(verdict, Refusal):
            plan.refuse(verdict)
    matches = _drop_ambiguous(matches, {f.entry.id: f for f in feats}, plan)
    matches.sort(key=_match_order)
    keys = {f.entry.id: f.strong for f in feats if f.strong}
    return cluster((f.entry.id for f in feats), keys, matches, plan)


def _drop_ambiguous(
    matches: list[Match], by_id: dict[Hashable, _Features], plan: DedupePlan
) -> list[Match]:
    """A record without strong keys that is alike (by name, on its strongest fuzzy rule) to
    two records whose keys contradict each other could be either company: it is merged with
    neither.  (Weaker matches to a second company are refused by the cluster's keys.)"""
    partners: dict[Hashable, dict[int, list[Hashable]]] = defaultdict(lambda: defaultdict(list))
    for m in matches:
        if m.rule in _FUZZY_RULES:
            partners[m.a][_RULE_RANK[m.rule]].append(m.b)
            partners[m.b][_RULE_RANK[m.rule]].append(m.a)
    ambiguous: dict[Hashable, str] = {}
    for x, ranked in partners.items():
        others = ranked[min(ranked)]
        if by_id[x].strong or len(others) < 2:
            continue
        seen: dict[str, tuple[str, Hashable]] = {}
        for o in others:
            for key, value in by_id[o].strong.items():
                first = seen.setdefault(key, (value, o))
                if first[0] != value:
                    label = _KEY_LABEL[key]
                    ambiguous[x] = f"#{first[1]} ({label} {first[0]}) and #{o} ({label} {value})"
                    break
            if x in ambiguous:
                break
    if not ambiguous:
        return matches
    out = []
    for m in matches:
        x = m.a if m.a in ambiguous else m.b if m.b in ambiguous else None
        if x is not None and m.rule in _FUZZY_RULES:
            plan.refuse(
                Refusal(m.a, m.b, m.rule, f"{m.reason}, but #{x} is as alike to {ambiguous[x]}")
            )
        else:
            out.append(m)
    return out


def _match_order(m: Match) -> tuple:
    return (_RULE_RANK.get(m.rule, 9), -m.score, str(m.a), str(m.b))
