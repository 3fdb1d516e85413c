"""Email verification as a job: when an address is due for a check, and what to keep.

Pure rules, no network, no database: ``leadgen enrich`` asks them for every address.

* A temporary result (greylisting, a timeout, an unreachable MX, SERVFAIL) is retried later with
  back-off — at least ``retry_after`` apart, doubling, for at most ``max_attempts`` checks; then
  the address stays ``unknown`` until the re-check age comes round.
* A settled result (valid / invalid / risky) is checked again once it is older than
  ``recheck_after``: mailboxes close and domains lapse (B2B data decays a few percent a month).
* On a catch-all domain every address comes back ``risky``: SMTP cannot tell which mailbox
  exists, so the choice rests on evidence — an address seen on the web beats one built from the
  pattern learned from the domain's known addresses, which beats the overall pattern prior.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

__all__ = [
    "EVIDENCE_ORDER",
    "RetryPolicy",
    "choose_by_evidence",
    "is_due",
    "schedule_after",
]

SETTLED = frozenset({"valid", "invalid", "risky"})
#: Strongest first (``emails.evidence``).
EVIDENCE_ORDER = ("web", "learned", "prior")
_EVIDENCE_RANK = {e: i for i, e in enumerate(EVIDENCE_ORDER)}
_EVIDENCE_WORDS = {
    "web": "the address was seen on the web",
    "learned": "built from the pattern learned from the domain's known addresses",
    "prior": "built from the most common pattern (nothing known of this domain)",
}


@dataclass(frozen=True, slots=True)
class RetryPolicy:
    #: The first retry of a temporary result waits this long; each further one twice as long.
    retry_after: timedelta = timedelta(minutes=30)
    #: Checks of one address that may end in a temporary result before it is left ``unknown``.
    max_attempts: int = 5
    #: A settled result older than this is checked again.
    recheck_after: timedelta = timedelta(days=90)

    def __post_init__(self) -> None:
        if self.retry_after < timedelta(minutes=30):
            raise ValueError("retry_after must be at least 30 minutes (greylisting windows)")
        if self.max_attempts < 1:
            raise ValueError("max_attempts must be at least 1")
        if self.recheck_after <= timedelta(0):
            raise ValueError("recheck_after must be positive")


def is_due(
    status: str | None,
    checked_at: datetime | None,
    attempts: int,
    next_check_at: datetime | None,
    now: datetime,
    policy: RetryPolicy,
) -> bool:
    """Whether an address with this verification state should be checked now."""
    if checked_at is None or status in (None, "unverified"):
        return True
    if status in SETTLED:
        return now - checked_at >= policy.recheck_after
    # unknown: a scheduled retry, or — attempts spent — the next periodic re-check.
    if next_check_at is not None:
        return now >= next_check_at
    return now - checked_at >= policy.recheck_after


def schedule_after(
    status: str, attempts: int, now: datetime, policy: RetryPolicy
) -> tuple[int, datetime | None]:
    """(attempts, next_check_at) once a check ended in ``status``.

    ``attempts`` counts the checks in the current streak of temporary results; a settled result
    ends the streak (0, no scheduled retry: the re-check age decides).
    """
    if status in SETTLED:
        return 0, None
    attempts += 1
    if attempts >= policy.max_attempts:
        return attempts, None
    return attempts, now + policy.retry_after * (2 ** (attempts - 1))


@dataclass(frozen=True, slots=True)
class Choice:
    address: str
    evidence: str
    confidence: float
    reason: str


def choose_by_evidence(
    options: list[tuple[str, str, float, str]], *, catch_all: bool
) -> Choice | None:
    """The address to keep among (address, evidence, confidence, detail) options.

    Strongest evidence first, then confidence, then the order given (the guesser's order).
    On a catch-all domain the reason says that SMTP could not decide and what did.
    """
    if not options:
        return None
    ranked = sorted(
        enumerate(options),
        key=lambda item: (
            _EVIDENCE_RANK.get(item[1][1], len(EVIDENCE_ORDER)),
            -item[1][2],
            item[0],
        ),
    )
    address, evidence, confidence, detail = ranked[0][1]
    why = _EVIDENCE_WORDS.get(evidence, evidence)
    if detail:
        why = f"{why} ({detail})"
    if catch_all:
        reason = f"catch-all domain: the server accepts any address, so chosen by evidence: {why}"
    else:
        reason = why
    return Choice(address, evidence, round(confidence, 3), reason)
