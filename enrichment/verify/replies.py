"""What an SMTP server's answer to ``RCPT TO`` says about the mailbox.

Each rule quotes, above it, real replies it matches (from the servers' own documentation and
bounce messages as published by the providers and by reacherhq/check-if-email-exists).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = ["RcptVerdict", "classify_rcpt"]

# Verdicts
ACCEPTED = "accepted"  # the server takes mail for the mailbox
REJECTED = "rejected"  # permanent: unknown user, disabled, other mailbox 5xx
FULL = "full"  # mailbox over quota
GREYLISTED = "greylisted"  # "try again later" for this sender
TEMPORARY = "temporary"  # other 4xx
BLOCKED = "blocked"  # the server refuses *us* (block list, policy): says nothing of the box
TOO_MANY = "too_many"  # too many recipients in this transaction: go on in a new one


@dataclass(frozen=True, slots=True)
class RcptVerdict:
    verdict: str
    disabled: bool = False


# "552-5.2.2 The email account that you tried to reach is over quota." (Gmail)
# "452 4.2.2 Mailbox full" / "552 5.2.2 Quota exceeded (mailbox for user is full)" (Dovecot LMTP)
# "550 5.2.2 mailbox full" (some Exchange relays use 550)
_FULL = re.compile(
    r"\b[45]\.2\.2\b|mailbox (is )?full|over ?quota|quota exceeded|exceeded (the )?storage|"
    r"insufficient (system )?storage|mailbox size limit",
    re.I,
)
# "550 5.2.1 The email account that you tried to reach is disabled." (Gmail)
# "550 5.2.1 Mailbox disabled, not accepting messages" / "554 5.2.1 ... account inactive"
_DISABLED = re.compile(
    r"\b5\.2\.1\b|disabled|deactivated|inactive|suspended|account (has been )?(closed|"
    r"terminated|blocked)|no longer (active|available)",
    re.I,
)
# "452 4.5.3 Too many recipients" (Postfix smtpd_recipient_limit) /
# "452 Too many recipients received this hour" is a rate limit, also met by going on later
_TOO_MANY = re.compile(r"\b4\.5\.3\b|too many recipients", re.I)
# "450 4.2.0 <a@b>: Recipient address rejected: Greylisted, see http://postgrey..." (postgrey)
# "451 4.7.1 Please try again later" (Gmail, greylisting-like deferral)
# "451 Greylisting in action, please come back later" (Exim)
_GREYLIST = re.compile(
    r"grey ?list|gray ?list|try (again )?later|come back later|\b4\.7\.1\b|deferred|"
    r"temporarily (rejected|deferred)",
    re.I,
)
# "554 5.7.1 Service unavailable; Client host [1.2.3.4] blocked using zen.spamhaus.org"
# "550 5.7.1 Unfortunately, messages from [1.2.3.4] weren't sent. ... part of their network
#  is on our block list (S3150)" (Outlook.com)
# "550 5.7.606 Access denied, banned sending IP" (Microsoft 365)
# "550-5.7.1 ... The IP you're using to send mail is not authorized ... PTR" (Gmail)
# "554 5.7.1 <unknown[1.2.3.4]>: Client host rejected: Access denied" (Postfix)
# "553 5.3.0 ... Spam blocked see: https://spamrl.com/..."
_BLOCKED = re.compile(
    r"block ?list|black ?list|spamhaus|barracuda|spamcop|\bdnsbl\b|\brbl\b|"
    r"client host .*(rejected|blocked)|access denied|banned|\bPTR\b|reverse dns|"
    r"not authorized|poor reputation|spam blocked|\b5\.7\.(606|511|1)\b.*\b(ip|host)\b",
    re.I,
)

# "550 5.1.1 ... User unknown" / "550 5.1.0 Address rejected" / "553 5.1.3 Invalid recipient"
_UNKNOWN_USER = re.compile(r"\b5\.1\.[0-3]\b|user unknown|unknown user|no such user", re.I)


def classify_rcpt(code: int, message: str) -> RcptVerdict:
    """Map one RCPT reply (code, text) to a verdict."""
    text = message or ""
    # "250 2.1.5 OK" / "250 2.1.5 Recipient ok" / "251 User not local; will forward"
    if code in (250, 251):
        return RcptVerdict(ACCEPTED)
    # 252 "Cannot VRFY user, but will accept message and attempt delivery": proves nothing
    if code == 252:
        return RcptVerdict(TEMPORARY)
    if 400 <= code < 500:
        if _TOO_MANY.search(text):
            return RcptVerdict(TOO_MANY)
        if code == 422 or _FULL.search(text):
            return RcptVerdict(FULL)
        if _GREYLIST.search(text) or (code in (450, 451) and not text.strip()):
            return RcptVerdict(GREYLISTED)
        return RcptVerdict(TEMPORARY)
    if 500 <= code < 600:
        # "550 5.1.1 <x@y>: Recipient address rejected: User unknown in virtual mailbox table"
        # (the commonest 5xx by far: settled with one search)
        if _UNKNOWN_USER.search(text):
            return RcptVerdict(REJECTED)
        if _FULL.search(text) and code in (550, 552):
            return RcptVerdict(FULL)
        if _BLOCKED.search(text):
            return RcptVerdict(BLOCKED)
        # "550 5.1.1 <x@y>: Recipient address rejected: User unknown in virtual mailbox table"
        # "550-5.1.1 The email account that you tried to reach does not exist." (Gmail)
        # "550 5.2.1 The email account that you tried to reach is disabled." (Gmail)
        return RcptVerdict(REJECTED, disabled=bool(_DISABLED.search(text)))
    return RcptVerdict(TEMPORARY)
