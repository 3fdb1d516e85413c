"""The RCPT reply classifier on real servers' replies."""

from __future__ import annotations

import pytest

from enrichment.verify.replies import classify_rcpt


@pytest.mark.parametrize(
    "code, message, verdict, disabled",
    [
        (250, "2.1.5 OK", "accepted", False),
        (250, "2.1.5 Recipient <a@b.de> OK", "accepted", False),
        (251, "User not local; will forward to <a@c.de>", "accepted", False),
        (252, "2.1.5 Cannot VRFY user, but will accept message", "temporary", False),
        # unknown users
        (
            550,
            "5.1.1 <a@b.de>: Recipient address rejected: User unknown in virtual mailbox table",
            "rejected",
            False,
        ),
        (
            550,
            "5.1.1 The email account that you tried to reach does not exist. Please try "
            "double-checking the recipient's email address for typos",
            "rejected",
            False,
        ),
        (
            550,
            "5.1.10 RESOLVER.ADR.RecipientNotFound; Recipient not found by SMTP address lookup",
            "rejected",
            False,
        ),
        (553, "5.1.3 Invalid recipient address", "rejected", False),
        (551, "5.1.6 User not local", "rejected", False),
        (550, "Requested action not taken: mailbox unavailable", "rejected", False),
        (550, "No such user here", "rejected", False),
        # disabled
        (550, "5.2.1 The email account that you tried to reach is disabled.", "rejected", True),
        (550, "5.2.1 Mailbox disabled, not accepting messages", "rejected", True),
        (
            554,
            "delivery error: dd This user doesn't have a yahoo.com account - mta1 "
            "(account deactivated)",
            "rejected",
            True,
        ),
        # full
        (452, "4.2.2 Mailbox full", "full", False),
        (552, "5.2.2 The email account that you tried to reach is over quota.", "full", False),
        (552, "5.2.2 Quota exceeded (mailbox for user is full)", "full", False),
        (422, "The recipient's mailbox has exceeded its storage limit", "full", False),
        # greylisting and other temporary answers
        (
            450,
            "4.2.0 <a@b.de>: Recipient address rejected: Greylisted, see "
            "http://postgrey.schweikert.ch/help/b.de.html",
            "greylisted",
            False,
        ),
        (451, "4.7.1 Please try again later", "greylisted", False),
        (451, "Greylisting in action, please come back later", "greylisted", False),
        (451, "", "greylisted", False),
        (450, "4.1.8 <x@y.de>: Sender address rejected: Domain not found", "temporary", False),
        (421, "4.7.0 Try again later, closing connection.", "greylisted", False),
        (451, "4.3.0 Temporary lookup failure", "temporary", False),
        (452, "4.5.3 Too many recipients", "too_many", False),
        # the server refuses the prober, not the mailbox
        (
            554,
            "5.7.1 Service unavailable; Client host [1.2.3.4] blocked using zen.spamhaus.org",
            "blocked",
            False,
        ),
        (
            550,
            "5.7.1 Unfortunately, messages from [1.2.3.4] weren't sent. Please contact your "
            "Internet service provider since part of their network is on our block list (S3150).",
            "blocked",
            False,
        ),
        (550, "5.7.606 Access denied, banned sending IP [1.2.3.4]", "blocked", False),
        (554, "5.7.1 <unknown[1.2.3.4]>: Client host rejected: Access denied", "blocked", False),
    ],
)
def test_rcpt_replies(code, message, verdict, disabled):
    v = classify_rcpt(code, message)
    assert (v.verdict, v.disabled) == (verdict, disabled)
