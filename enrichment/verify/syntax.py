"""Stage 1: syntax (email-validator, no DNS); the IDN domain becomes punycode."""

from __future__ import annotations

import re
from dataclasses import dataclass

from email_validator import EmailNotValidError, validate_email

from enrichment.normalize.emails import normalize_email

__all__ = ["SyntaxDetails", "check_syntax"]

MAX_INPUT = 1000  # far above the 254 characters SMTP allows: longer input is not an address
#: Plain ASCII addresses that the normalizer's cleaning leaves as they are: its checked fast
#: path (a subset of email-validator's rules, tested against it) is ~20x quicker.
_PLAIN = re.compile(r"[A-Za-z0-9_+\-]+(?:\.[A-Za-z0-9_+\-]+)*@[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)+")


@dataclass(frozen=True, slots=True)
class SyntaxDetails:
    ok: bool
    normalized: str | None  # lowercased, IDN domain in punycode
    local: str | None
    domain: str | None  # ASCII (punycode)
    reason: str


def check_syntax(email: object) -> SyntaxDetails:
    """Check one address as typed (surrounding blanks aside); never raises."""
    if not isinstance(email, str):
        return SyntaxDetails(False, None, None, None, "not a text value")
    text = email.strip()
    if not text:
        return SyntaxDetails(False, None, None, None, "empty")
    if len(text) > MAX_INPUT:
        return SyntaxDetails(False, None, None, None, "too long to be an address")
    if _PLAIN.fullmatch(text):
        e = normalize_email(text)
        if e.valid and e.address and e.domain and e.local:
            return SyntaxDetails(True, e.address, e.local, e.domain, "ok")
    try:
        v = validate_email(text, check_deliverability=False)
    except EmailNotValidError as exc:
        return SyntaxDetails(False, None, None, None, str(exc))
    except Exception as exc:  # a library bug must not stop a batch
        return SyntaxDetails(False, None, None, None, f"unparseable: {type(exc).__name__}")
    if len(v.local_part.encode()) > 64:  # RFC 5321 4.5.3.1.1
        return SyntaxDetails(
            False, None, None, None, "The part before the @-sign is too long (64 bytes at most)."
        )
    local = v.local_part.lower()
    domain = (v.ascii_domain or v.domain).lower()
    return SyntaxDetails(True, f"{local}@{domain}", local, domain, "ok")
