"""Guessing a person's work address: every pattern × spelling × compound form, ranked.

The confidence of an address is the probability, under the model of ``learn.py``, that the
person's mailbox is exactly that address:

    P(address) = Σ over the routes that render it of
                 share(pattern) × share(spelling system) × weight(compound form)

Pattern shares come from the domain's known addresses when there are any (posterior, see
learn.py), else from the prior; shares of patterns the name cannot fill (no middle name) are
moved to the ones it can.  Several routes to one address add up (ivan.petrov is the same in
every transliteration), and the best route names the pattern, spelling and reason shown.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from urllib.parse import urlsplit

import idna

from enrichment.normalize.domains import registrable_domain
from enrichment.patterns.catalog import PATTERNS, render
from enrichment.patterns.forms import NameParts, Spelling, name_parts, spellings
from enrichment.patterns.learn import DomainPattern, learn
from enrichment.patterns.prior import GLOBAL_PRIOR, Prior, default_prior
from enrichment.patterns.translit import CYRILLIC_SYSTEMS, has_cyrillic

__all__ = ["Candidate", "guess", "mail_domain"]

_LOCAL_RE = re.compile(r"^[a-z0-9]+(?:[._-][a-z0-9]+)*$")
_ORDER = {p: i for i, p in enumerate(PATTERNS)}


@dataclass(frozen=True, slots=True)
class Candidate:
    email: str
    pattern: str
    translit: str  # spelling system: icao, informal, …, umlaut_e, plain, or ascii
    confidence: float
    evidence: str  # "learned" (the domain's known addresses use the pattern) or "prior"
    reason: str


def mail_domain(text: str | None) -> str | None:
    """The host part for addresses: from a domain, URL or email; lowercased, ``www.`` dropped,
    IDN in punycode; None unless it has a registrable domain."""
    if not isinstance(text, str) or not text.strip() or len(text) > 300:
        return None
    s = text.strip().lower()
    if "@" in s and "://" not in s:
        s = s.rsplit("@", 1)[1]
    if "/" in s or ":" in s:
        try:
            s = urlsplit(s if "://" in s else "//" + s).hostname or ""
        except ValueError:
            return None
    s = s.strip().rstrip(".")
    if s.startswith("www."):
        s = s[4:]
    try:
        host = s if s.isascii() else idna.encode(s, uts46=True).decode("ascii")
    except (idna.IDNAError, UnicodeError, ValueError):
        return None
    if not re.fullmatch(r"[a-z0-9.-]+", host) or registrable_domain(host) is None:
        return None
    return host


def _same_domain(email: object, host: str) -> bool:
    return isinstance(email, str) and registrable_domain(email) == registrable_domain(host)


def guess(
    name: object,
    domain: str,
    *,
    known: Sequence[tuple[str, str]] | DomainPattern = (),
    prior: Prior | Mapping[str, float] | None = None,
    limit: int | None = None,
) -> list[Candidate]:
    """Candidate addresses of ``name`` at ``domain``, best first.

    ``name``: a full name (any order/script ``enrichment.parse_person_name`` reads), a
    PersonName, NameParts or a (first, middle, last) tuple.  ``known``: (full name, email) pairs
    of the same organisation (pairs on other registrable domains are ignored) or an already
    learned DomainPattern.  ``prior``: a Prior or {pattern: share}; default: by TLD and script.
    Returns [] for a name without first or last name, or a domain that cannot take mail."""
    parts = name_parts(name)
    host = mail_domain(domain)
    if parts is None or host is None:
        return []
    cyr = has_cyrillic(parts.text)
    if isinstance(prior, Mapping):
        prior = GLOBAL_PRIOR.with_patterns(prior)
    prior = prior or default_prior(host, cyrillic_name=cyr)
    if isinstance(known, DomainPattern):
        learned: DomainPattern | None = known
    else:
        pairs = [k for k in known if isinstance(k, tuple | list) and len(k) == 2]
        pairs = [tuple(k) for k in pairs if _same_domain(k[1], host)]
        learned = learn(pairs, prior=prior) if pairs else None
    return _rank(parts, host, prior, learned, limit)


def _rank(
    parts: NameParts, host: str, prior: Prior, learned: DomainPattern | None, limit: int | None
) -> list[Candidate]:
    all_spellings = spellings(parts)
    systems = sorted({s.translit for s in all_spellings})
    if learned:
        shares = learned.pattern_shares(prior)
        tshares = learned.translit_shares(systems, prior)
    else:
        shares = dict(prior.patterns)
        z = sum(prior.translit(s) for s in systems) or 1.0
        tshares = {s: prior.translit(s) / z for s in systems}
    # move the shares of patterns this name cannot fill to the ones it can
    top = max(all_spellings, key=lambda s: s.weight)
    fillable = [p for p in PATTERNS if render(p, top.first, top.middle, top.last)]
    total, z = sum(shares.values()), sum(shares[p] for p in fillable)
    scale = total / z if z else 0.0

    # weights of compound forms (hyphenated, double, particle names) after the known names
    weights = {s: learned.form_weight(s.forms) if learned else s.weight for s in all_spellings}
    per_system: dict[str, float] = {}
    for s, w in weights.items():
        per_system[s.translit] = per_system.get(s.translit, 0.0) + w

    routes: dict[str, tuple] = {}  # local → (sum of routes, best route, pattern, spelling)
    for s in all_spellings:
        weight = weights[s] / per_system[s.translit] if per_system[s.translit] else 0.0
        for p in fillable:
            local = render(p, s.first, s.middle, s.last)
            if not local or len(local) > 64 or not _LOCAL_RE.match(local):
                continue
            prob = shares[p] * scale * tshares[s.translit] * weight
            acc, best, *_ = routes.get(local, (0.0, -1.0, "", None))
            if prob > best:
                routes[local] = (acc + prob, prob, p, s)
            else:
                routes[local] = (acc + prob, best, *routes[local][2:])
    out = []
    for local, (acc, _, p, sp) in routes.items():
        t = sp.translit
        evidence = "learned" if learned and learned.pattern_votes.get(p, 0) > 0 else "prior"
        reason = _reason(p, t, sp, shares[p] * scale, tshares[t], evidence, learned, prior, host)
        conf = round(min(1.0, acc), 4)
        out.append(Candidate(f"{local}@{host}", p, t, conf, evidence, reason))
    out.sort(key=lambda c: (-c.confidence, _ORDER[c.pattern], c.email))
    return out[:limit] if limit is not None and limit >= 0 else out


def _reason(
    pattern: str,
    translit: str,
    spelling: Spelling,
    share: float,
    tshare: float,
    evidence: str,
    learned: DomainPattern | None,
    prior: Prior,
    host: str,
) -> str:
    if evidence == "learned" and learned is not None:
        votes = learned.pattern_votes.get(pattern, 0.0)
        n = round(votes, 1) if votes % 1 else int(votes)
        text = (
            f"{pattern}: {n} of {learned.matched + learned.unmatched} known addresses at "
            f"{learned.domain or host} follow it (share {share:.0%})"
        )
    else:
        text = f"{pattern}: {prior.name} prior share {share:.0%}"
        if learned is not None:
            text += f"; not seen among the {learned.matched} known addresses"
    if translit in CYRILLIC_SYSTEMS or translit in ("umlaut_e", "plain"):
        told = learned.translit_votes.get(translit, 0.0) if learned else 0.0
        if told:
            text += (
                f"; spelled {translit}, as {told:.1f} of {learned.translit_support} known names "
                f"that tell spellings apart ({tshare:.0%})"
            )
        else:
            text += f"; spelled {translit} (prior share {tshare:.0%})"
    for dim, label, _ in spelling.forms:
        told = learned.form_votes.get(f"{dim}/{label}", 0.0) if learned else 0.0
        total = (
            sum(v for k, v in learned.form_votes.items() if k.startswith(dim + "/"))
            if learned
            else 0
        )
        text += f"; {label}" + (f" (as {told:.1f} of {total:.0f} known names)" if told else "")
    return text
