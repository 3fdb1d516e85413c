"""Candidate pairs become clusters: union-find that refuses a union whose strong keys clash.

Pairs are applied strongest first (exact keys in their rank order, then fuzzy pairs by score),
so a cluster never holds two different INNs (or domains, OGRNs, VATs) even when every single
pair in it looked fine: A~B by name and B~C by name do not join A (INN 1) and C (INN 2).
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass, field

Id = Hashable
#: Refusals kept in a plan with their reasons (all are counted): enough to read, bounded in size.
MAX_REFUSALS_KEPT = 10_000


@dataclass(frozen=True, slots=True)
class Match:
    """Two records judged the same: the rule that matched, a score (0–100) and why."""

    a: Id
    b: Id
    rule: str
    score: float
    reason: str


@dataclass(frozen=True, slots=True)
class Refusal:
    """A candidate pair that was not merged, and why (a veto or a clash within a cluster)."""

    a: Id
    b: Id
    rule: str
    reason: str


@dataclass(slots=True)
class DedupePlan:
    """What to merge: clusters of two or more ids, the matches that joined them, refusals."""

    clusters: list[list[Id]] = field(default_factory=list)
    matches: list[Match] = field(default_factory=list)
    #: Refused pairs: the first ``MAX_REFUSALS_KEPT`` of them, and a count per rule of all.
    refused: list[Refusal] = field(default_factory=list)
    refused_counts: dict[str, int] = field(default_factory=dict)
    #: How many pairs were scored, and blocks too big to compare pair by pair (skipped).
    compared: int = 0
    skipped_blocks: list[str] = field(default_factory=list)

    def refuse(self, r: Refusal) -> None:
        self.refused_counts[r.rule] = self.refused_counts.get(r.rule, 0) + 1
        if len(self.refused) < MAX_REFUSALS_KEPT:
            self.refused.append(r)

    def pairs(self) -> set[frozenset]:
        """Every pair of ids placed in one cluster (for precision / recall)."""
        out: set[frozenset] = set()
        for members in self.clusters:
            for i, x in enumerate(members):
                for y in members[i + 1 :]:
                    out.add(frozenset((x, y)))
        return out


class KeyedUnionFind:
    """Union-find whose roots carry the strong keys of their members (key name -> value)."""

    def __init__(self, keys: Mapping[Id, Mapping[str, str]]) -> None:
        self.parent: dict[Id, Id] = {}
        self.keys: dict[Id, dict[str, str]] = {i: dict(k) for i, k in keys.items() if k}
        self.reason: dict[Id, Match] = {}

    def find(self, x: Id) -> Id:
        root = x
        while root in self.parent:
            root = self.parent[root]
        while x in self.parent and self.parent[x] != root:
            self.parent[x], x = root, self.parent[x]
        return root

    def clash(self, a: Id, b: Id) -> str | None:
        ka, kb = self.keys.get(self.find(a), {}), self.keys.get(self.find(b), {})
        for name, value in ka.items():
            other = kb.get(name)
            if other and other != value:
                return f"the merged record would hold {name} {value} and {other}"
        return None

    def union(self, a: Id, b: Id) -> bool:
        ra, rb = self.find(a), self.find(b)
        if ra == rb:
            return False
        self.parent[rb] = ra
        kb = self.keys.pop(rb, None)
        if kb:
            self.keys.setdefault(ra, {}).update({k: v for k, v in kb.items() if v})
        return True


def cluster(
    ids: Iterable[Id],
    keys: Mapping[Id, Mapping[str, str]],
    matches: Iterable[Match],
    plan: DedupePlan,
) -> DedupePlan:
    """Apply ``matches`` in the given order; fill ``plan.clusters``/``matches``/``refused``."""
    uf = KeyedUnionFind(keys)
    for m in matches:
        if uf.find(m.a) == uf.find(m.b):
            continue
        clash = uf.clash(m.a, m.b)
        if clash:
            plan.refuse(Refusal(m.a, m.b, m.rule, f"{m.reason}, but {clash}"))
            continue
        uf.union(m.a, m.b)
        plan.matches.append(m)
    groups: dict[Id, list[Id]] = {}
    for i in ids:
        groups.setdefault(uf.find(i), []).append(i)
    plan.clusters = [sorted(g, key=_order) for g in groups.values() if len(g) > 1]
    plan.clusters.sort(key=lambda g: _order(g[0]))
    return plan


def _order(x: Id) -> tuple:
    return (0, x, "") if isinstance(x, int) else (1, 0, str(x))
