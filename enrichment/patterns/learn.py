"""Learning a domain's pattern and spelling from known (full name, email) pairs.

Each usable pair votes for the patterns (and spelling systems) that render its local part.
A pair that several patterns explain splits its vote in proportion to the prior; a pair whose
spelling is the same in every system ("Иван Петров" → ivan.petrov) says nothing about the
transliteration and casts no spelling vote.  Role mailboxes (info@, vertrieb@, zakaz@ …: the
list of ``enrichment.normalize_email``) and invalid addresses are skipped; addresses that no
pattern explains are counted as unmatched.

Shares are Dirichlet posteriors with the prior as pseudo-counts (strength ``ALPHA``):

    share(p) = (votes(p) + ALPHA · prior(p)) / (matched + UNMATCHED_WEIGHT · unmatched + ALPHA)

so one example moves a pattern from its prior to about half, ten consistent examples to about
0.9, and several patterns in use split the mass.  Unmatched addresses stay in the denominator
(at half weight: some are unlisted shared mailboxes): a domain where most known addresses follow
no pattern gives low confidence to every guess.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from types import MappingProxyType

from enrichment.normalize.domains import registrable_domain
from enrichment.normalize.emails import normalize_email
from enrichment.patterns.catalog import PATTERNS, render
from enrichment.patterns.forms import NameParts, name_parts, spellings
from enrichment.patterns.prior import Prior, default_prior
from enrichment.patterns.translit import CYRILLIC_SYSTEMS, LATIN_SYSTEMS, has_cyrillic

__all__ = ["ALPHA", "UNMATCHED_WEIGHT", "DomainPattern", "learn", "match"]

ALPHA = 1.0
UNMATCHED_WEIGHT = 0.5
_PLUS_RE = re.compile(r"\+.*$")


@dataclass(frozen=True, slots=True)
class Match:
    pattern: str
    translit: str
    variant: str
    weight: float
    forms: tuple[tuple[str, str, float], ...] = ()


def match(name: object, local: str) -> list[Match]:
    """Every (pattern, spelling, compound form) that renders ``local`` for ``name``."""
    parts = name if isinstance(name, NameParts) else name_parts(name)
    if parts is None:
        return []
    local = _PLUS_RE.sub("", local.strip().lower())
    out = []
    for s in spellings(parts):
        for p in PATTERNS:
            if render(p, s.first, s.middle, s.last) == local:
                out.append(Match(p, s.translit, s.variant, s.weight, s.forms))
    return out


@dataclass(frozen=True)
class DomainPattern:
    """What the known addresses of a domain say.

    ``pattern``/``translit`` are the best-supported ones (``translit`` None when no known name
    told the spelling systems apart); ``confidence`` is the posterior share of ``pattern``;
    ``support`` the number of known addresses it renders.  ``pattern_votes`` and
    ``translit_votes`` keep every pattern and system seen, so a domain with two patterns in
    use guesses both."""

    domain: str | None
    pattern: str
    translit: str | None
    confidence: float
    support: int
    matched: int
    unmatched: int = 0
    roles: int = 0
    skipped: int = 0
    pattern_votes: Mapping[str, float] = field(default_factory=dict)
    translit_votes: Mapping[str, float] = field(default_factory=dict)
    translit_support: int = 0
    prior: Prior | None = None
    form_votes: Mapping[str, float] = field(default_factory=dict)  # "last/last hyphen": votes

    def form_weight(self, forms: Sequence[tuple[str, str, float]]) -> float:
        """Weight of one choice of compound forms (hyphenated, double, particle names) after
        the known names of the domain: per dimension (votes + ALPHA · weight) / (n + ALPHA).
        Without votes this is the product of the fixed weights of forms.py."""
        out = 1.0
        for dim, label, w in forms:
            n = sum(v for k, v in self.form_votes.items() if k.startswith(dim + "/"))
            out *= (self.form_votes.get(f"{dim}/{label}", 0.0) + ALPHA * w) / (n + ALPHA)
        return out

    def pattern_shares(self, prior: Prior | None = None) -> dict[str, float]:
        """Posterior share of every catalogue pattern (sums to less than 1 when some known
        addresses followed no pattern)."""
        prior = prior or self.prior or default_prior(self.domain or "")
        denom = self.matched + UNMATCHED_WEIGHT * self.unmatched + ALPHA
        return {
            p: (self.pattern_votes.get(p, 0.0) + ALPHA * prior.patterns.get(p, 0.0)) / denom
            for p in PATTERNS
        }

    def translit_shares(self, systems: Sequence[str], prior: Prior | None = None) -> dict:
        """Posterior share of each spelling system in ``systems`` (one script's systems)."""
        prior = prior or self.prior or default_prior(self.domain or "")
        votes = {s: self.translit_votes.get(s, 0.0) for s in systems}
        base = {s: prior.translit(s) for s in systems}
        zb = sum(base.values()) or 1.0
        denom = sum(votes.values()) + ALPHA
        return {s: (votes[s] + ALPHA * base[s] / zb) / denom for s in systems}

    @classmethod
    def from_summary(
        cls,
        pattern: str,
        translit: str | None,
        confidence: float,
        support: int,
        *,
        domain: str | None = None,
        prior: Prior | None = None,
    ) -> DomainPattern | None:
        """Rebuild from the four cached figures (the ``mail_domains`` columns email_pattern,
        pattern_translit, pattern_confidence, pattern_support); None for an unknown pattern."""
        if pattern not in PATTERNS or support < 1 or not 0 < confidence <= 1:
            return None
        prior = prior or default_prior(domain or "")
        # unmatched count that reproduces the cached confidence under the same posterior
        top = support + ALPHA * prior.patterns[pattern]
        unmatched = max(0, round((top / confidence - support - ALPHA) / UNMATCHED_WEIGHT))
        votes = {translit: float(support)} if translit else {}
        return cls(
            domain, pattern, translit, confidence, support, support, unmatched,
            pattern_votes=MappingProxyType({pattern: float(support)}),
            translit_votes=MappingProxyType(votes), translit_support=support if translit else 0,
            prior=prior,
        )  # fmt: skip


def _split_vote(items: Iterable[str], share) -> dict[str, float]:
    items = sorted(set(items))
    weights = {i: max(share(i), 1e-9) for i in items}
    z = sum(weights.values())
    return {i: w / z for i, w in weights.items()}


def learn(known: Sequence[tuple[str, str]], *, prior: Prior | None = None) -> DomainPattern | None:
    """Learn the pattern and spelling of the domain of ``known`` (full name, email) pairs.

    Pairs on several domains: the domain with most pairs is learned, the others are skipped.
    Returns None when no known address follows any pattern."""
    rows: list[tuple[NameParts, str, str]] = []
    roles = skipped = 0
    for pair in known:
        if not (isinstance(pair, tuple | list) and len(pair) == 2):
            skipped += 1
            continue
        name, email = pair
        e = normalize_email(email if isinstance(email, str) else None)
        parts = name_parts(name) if isinstance(name, str | NameParts) else None
        if not e.valid or not e.local or not e.domain:
            skipped += 1
        elif e.is_role:
            roles += 1
        elif parts is None:
            skipped += 1
        else:
            rows.append((parts, e.local, registrable_domain(e.domain) or e.domain))
    domains = Counter(d for _, _, d in rows)
    domain = domains.most_common(1)[0][0] if domains else None
    skipped += sum(n for d, n in domains.items() if d != domain)
    rows = [r for r in rows if r[2] == domain]
    if prior is None:
        prior = default_prior(
            domain or "", cyrillic_name=any(has_cyrillic(p.text) for p, _, _ in rows)
        )

    pattern_votes: Counter[str] = Counter()
    translit_votes: Counter[str] = Counter()
    supports: Counter[str] = Counter()
    form_votes: Counter[str] = Counter()
    translit_support = matched = unmatched = 0
    for parts, local, _ in rows:
        found = match(parts, local)
        if not found:
            unmatched += 1
            continue
        matched += 1
        patterns = {m.pattern for m in found}
        supports.update(patterns)
        pattern_votes.update(_split_vote(patterns, lambda p: prior.patterns.get(p, 0.0)))
        offered: dict[str, set[str]] = {}
        for s in spellings(parts):
            for dim, label, _ in s.forms:
                offered.setdefault(dim, set()).add(label)
        for dim, labels in offered.items():
            used = {lab for m in found for d, lab, _ in m.forms if d == dim}
            if used and used != labels:  # the address tells which form of the name is used
                form_votes.update({f"{dim}/{lab}": 1 / len(used) for lab in used})
        systems = {m.translit for m in found}
        applicable = {s.translit for s in spellings(parts)}
        if systems != applicable and applicable & set(CYRILLIC_SYSTEMS + LATIN_SYSTEMS):
            translit_support += 1
            translit_votes.update(_split_vote(systems, prior.translit))
    if not matched:
        return None
    best = max(pattern_votes, key=lambda p: (pattern_votes[p], prior.patterns.get(p, 0.0)))
    best_translit = (
        max(translit_votes, key=lambda s: (translit_votes[s], prior.translit(s)))
        if translit_votes
        else None
    )
    draft = DomainPattern(
        domain, best, best_translit, 0.0, supports[best], matched, unmatched, roles, skipped,
        MappingProxyType(dict(pattern_votes)), MappingProxyType(dict(translit_votes)),
        translit_support, prior, MappingProxyType(dict(form_votes)),
    )  # fmt: skip
    confidence = round(draft.pattern_shares()[best], 4)
    return DomainPattern(
        domain, best, best_translit, confidence, supports[best], matched, unmatched, roles,
        skipped, draft.pattern_votes, draft.translit_votes, translit_support, prior,
        draft.form_votes,
    )  # fmt: skip
