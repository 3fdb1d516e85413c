"""One small function from the stages' details to valid / invalid / risky / unknown.

* valid: the mailbox was accepted and the domain is not catch-all;
* invalid: bad syntax; the domain cannot receive mail (NXDOMAIN, null MX, no MX and no A);
  a permanent 5xx for the mailbox (unknown user, disabled);
* risky: catch-all domain, full mailbox, or disposable domain;
* unknown: greylisting and other temporary failures, timeouts, SERVFAIL, no MX host
  reachable.  Without SMTP: invalid when the domain cannot receive mail, else unknown.
"""

from __future__ import annotations

from enrichment.verify.misc import MiscDetails
from enrichment.verify.mx import CANNOT_RECEIVE, DnsDetails
from enrichment.verify.mx import UNKNOWN as DNS_UNKNOWN
from enrichment.verify.replies import (
    ACCEPTED,
    BLOCKED,
    FULL,
    GREYLISTED,
    REJECTED,
)
from enrichment.verify.smtp import RcptOutcome
from enrichment.verify.syntax import SyntaxDetails

__all__ = ["STATUSES", "decide_status"]

VALID, INVALID, RISKY, UNKNOWN = "valid", "invalid", "risky", "unknown"
STATUSES = (VALID, INVALID, RISKY, UNKNOWN)


def decide_status(
    syntax: SyntaxDetails,
    dns: DnsDetails | None,
    misc: MiscDetails | None,
    *,
    smtp: bool,
    outcome: RcptOutcome | None = None,
    catch_all: bool | None = None,
    smtp_error: str | None = None,
) -> tuple[str, str]:
    """(status, reason) for one address."""
    if not syntax.ok:
        return INVALID, f"bad syntax: {syntax.reason}"
    assert dns is not None and misc is not None
    if dns.mail_status in CANNOT_RECEIVE:
        return INVALID, dns.reason
    if dns.mail_status == DNS_UNKNOWN:
        return UNKNOWN, dns.reason
    disposable = "disposable domain; " if misc.disposable else ""
    if not smtp:
        return UNKNOWN, f"{disposable}{dns.reason}; mailbox not checked (SMTP is off)"
    if outcome is None:
        why = smtp_error or "no answer for the mailbox"
        return (RISKY if misc.disposable else UNKNOWN), f"{disposable}{why}"
    said = f"{outcome.host} said {outcome.reply!r}"
    if outcome.verdict == REJECTED:
        what = "mailbox disabled" if outcome.disabled else "mailbox rejected"
        return INVALID, f"{what}: {said}"
    if misc.disposable:
        return RISKY, f"disposable domain ({said})"
    if outcome.verdict == FULL:
        return RISKY, f"mailbox full: {said}"
    if outcome.verdict == ACCEPTED:
        if catch_all is True:
            return RISKY, f"catch-all domain: a random address is accepted too ({said})"
        if catch_all is False:
            return VALID, f"mailbox accepted and a random address rejected ({said})"
        return UNKNOWN, f"mailbox accepted, but the catch-all test was inconclusive ({said})"
    if outcome.verdict == GREYLISTED:
        return UNKNOWN, f"greylisted, try again later: {said}"
    if outcome.verdict == BLOCKED:
        return UNKNOWN, f"the server refuses this prober, not the mailbox: {said}"
    return UNKNOWN, f"temporary failure: {said}"
