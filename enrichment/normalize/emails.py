"""Email addresses: split a cell into candidates and normalize each one.

Syntax checks are email-validator's (RFC 5321/5322 + IDNA 2008); deliverability (DNS/MX)
is a later, networked stage and is never done here (``check_deliverability=False``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

import email_validator
from email_validator import EmailNotValidError, validate_email

__all__ = ["Email", "normalize_email", "split_emails"]

MAX_INPUT = 320  # 64 local + @ + 255 domain is the longest address SMTP allows


@dataclass(frozen=True, slots=True)
class Email:
    raw: str
    address: str | None  # stripped, lowercased, IDN domain in punycode
    domain: str | None
    local: str | None
    valid: bool
    is_role: bool
    reason: str


# Role (non-personal) mailboxes. Sources: RFC 2142 "Mailbox names for common services, roles
# and functions" (info, marketing, sales, support, abuse, noc, security, postmaster,
# hostmaster, usenet, news, webmaster, www, uucp, ftp), plus the role boxes seen on Russian
# (Latin spellings of приёмная, бухгалтерия, заказ, закупки, кадры, снабжение …), German
# (Vertrieb, Bewerbung, Buchhaltung, Personal = HR …) and English company contact pages.
ROLE_LOCAL_PARTS = frozenset(
    """
    abuse accounting accounts admin administrator ads advertising anfrage anfragen bewerbung
    bewerbungen billing buchhaltung buero buh buhgalteria buhgalter buhgalteriya bux büro
    career careers contact contacts contactus customerservice datenschutz direktor director
    dispatcher dispetcher donotreply einkauf email e-mail empfang enquiries enquiry feedback
    finance ftp general glavbuh hallo hello help helpdesk hi hostmaster hr info infos inquiries
    inquiry invoice invoices jobs job kadry kontakt kontakte kundenservice legal logistics
    logistika mail mailer-daemon manager marketing media news newsletter noc noreply no-reply
    do-not-reply office opt order orders personal post postmaster pr press presse priem
    priemnaya priemnaja privacy prodazhi rabota reception recruiting rechnung rechnungen
    resume root sale sales secretar secretary security sekretar sekretariat service shop
    sklad snab snabzhenie store support team tender tenders uucp vakansii verkauf vertrieb
    warehouse webmaster welcome www zakaz zakazy zakupki zentrale
    """.split()
)

_ROLE_SPLIT_RE = re.compile(r"[._+\-\d]+")
_OBFUSCATED_AT_RE = re.compile(r"\s*[\[(]\s*(?:at|собака)\s*[\])]\s*", re.IGNORECASE)
_OBFUSCATED_DOT_RE = re.compile(r"\s*[\[(]\s*(?:dot|точка)\s*[\])]\s*", re.IGNORECASE)
_LABEL_RE = re.compile(
    r"^(?:e-?mail|mail|email|почта|эл\.?\s*почта|e-?mail-?adresse|электронная почта)\s*[:：]\s*",
    re.IGNORECASE,
)


def _is_role(local: str) -> bool:
    lowered = local.casefold().split("+", 1)[0]
    if lowered in ROLE_LOCAL_PARTS:
        return True
    if lowered.replace("-", "").replace("_", "").replace(".", "") in ROLE_LOCAL_PARTS:
        return True  # no_reply, no.reply
    tokens = [t for t in _ROLE_SPLIT_RE.split(lowered) if t]
    # "info1", "sales.de", "zakaz-msk": the first token names the mailbox's role.
    return bool(tokens) and tokens[0] in ROLE_LOCAL_PARTS


_PLAIN_RE = re.compile(r"[A-Za-z0-9_.+\-]+@[A-Za-z0-9.\-]+")


def _clean(text: str) -> str:
    if _PLAIN_RE.fullmatch(text):
        return text.rstrip(".")  # the common case: nothing to strip
    s = text.strip()
    s = _LABEL_RE.sub("", s)
    if s[:7].lower() == "mailto:":
        s = s[7:]
    s = s.split("?", 1)[0]  # mailto:…?subject=…
    if "<" in s and ">" in s:  # "Ivan Petrov <ivan@x.ru>"
        inner = s[s.rfind("<") + 1 : s.rfind(">")]
        if "@" in inner:
            s = inner
    s = _OBFUSCATED_AT_RE.sub("@", s)
    s = _OBFUSCATED_DOT_RE.sub(".", s)
    s = s.strip(" \t\r\n<>()[]{}\"'«»“”„,;:")
    s = s.rstrip(".")
    return s.replace(" ", "")


def normalize_email(text: str | None) -> Email:
    """Normalize one address (no DNS); invalid input gives ``valid=False`` and a reason."""
    if not isinstance(text, str):
        return Email("", None, None, None, False, False, "empty")
    if len(text) > MAX_INPUT * 2:
        return Email(text[:MAX_INPUT], None, None, None, False, False, "too long")
    return _normalize(text)


# Fast path for the plain ASCII addresses that make up most of an import: a subset of
# email-validator's own rules (RFC 5322 dot-atom local part, RFC 1123 host labels, a TLD
# ending in a letter, no special-use domain, RFC 5321 lengths). Anything else, including
# every address the subset rejects, goes through email-validator; tests compare both paths.
_FAST_RE = re.compile(
    r"([A-Za-z0-9_+\-]+(?:\.[A-Za-z0-9_+\-]+)*)@"
    r"((?:[A-Za-z0-9](?:[A-Za-z0-9\-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z][A-Za-z0-9\-]{0,61}[A-Za-z])"
)
_SPECIAL_USE = frozenset(email_validator.SPECIAL_USE_DOMAIN_NAMES)


def _fast(raw: str, s: str) -> Email | None:
    m = _FAST_RE.fullmatch(s)
    if m is None or len(s) > 254 or len(m.group(1)) > 64:
        return None
    domain = m.group(2).lower()
    if len(domain) > 253 or "--" in domain:  # "xn--" and friends need the IDNA checks
        return None
    if domain.rsplit(".", 1)[1] in _SPECIAL_USE:  # "x@printer.local"
        return None
    local = m.group(1).lower()
    return Email(raw, f"{local}@{domain}", domain, local, True, _is_role(local), "ok")


@lru_cache(maxsize=262_144)
def _normalize(raw: str) -> Email:
    s = _clean(raw)
    if not s:
        return Email(raw, None, None, None, False, False, "empty")
    if "@" not in s:
        return Email(raw, None, None, None, False, False, "no @-sign")
    if len(s) > MAX_INPUT:
        return Email(raw, None, None, None, False, False, "too long")
    fast = _fast(raw, s)
    if fast is not None:
        return fast
    return _slow(raw, s)


@lru_cache(maxsize=16_384)
def _idn_domain(domain: str) -> tuple[str | None, str]:
    """(ASCII form, reason) of an internationalized domain: IDNA costs ~250 µs, and the
    addresses of one company share their domain."""
    checked = _validate("", f"a@{domain}")
    return checked.domain, checked.reason


def _slow(raw: str, s: str) -> Email:
    local, _, domain = s.rpartition("@")
    if local and (not domain.isascii() or "xn--" in domain.lower()):
        ascii_domain, reason = _idn_domain(domain)
        if ascii_domain is None:
            return Email(raw, None, None, None, False, False, reason)
        if len(local.encode()) + 1 + len(ascii_domain) <= 254:
            checked = _validate(raw, f"{local}@example.com")  # the local part alone
            if not checked.valid or checked.local is None:
                return checked
            address = f"{checked.local}@{ascii_domain}"
            return Email(raw, address, ascii_domain, checked.local, True, checked.is_role, "ok")
    return _validate(raw, s)


def _validate(raw: str, s: str) -> Email:
    try:
        v = validate_email(s, check_deliverability=False)
    except EmailNotValidError as exc:
        return Email(raw, None, None, None, False, False, str(exc))
    except Exception as exc:  # total function: a library bug must not crash an import
        return Email(raw, None, None, None, False, False, f"unparseable: {type(exc).__name__}")
    if len(v.local_part) > 64:  # RFC 5321 4.5.3.1.1; email-validator checks it only when strict
        return Email(raw, None, None, None, False, False, "too long before the @-sign")
    local = v.local_part.lower()
    domain = (v.ascii_domain or v.domain).lower()
    return Email(raw, f"{local}@{domain}", domain, local, True, _is_role(local), "ok")


_SPLIT_RE = re.compile(r"[,;|\n\r\t]+")
_WS_RE = re.compile(r"\s+")


def split_emails(text: str | None) -> list[str]:
    """Candidate addresses in a cell, in order; each is meant for :func:`normalize_email`."""
    if not isinstance(text, str):
        return []
    out: list[str] = []
    for part in _SPLIT_RE.split(text[:20_000]):
        part = part.strip()
        if not part:
            continue
        if "<" in part and ">" in part and "@" in part[part.find("<") :]:
            out.append(part)  # "Name <a@x.ru>" is one address
            continue
        part = _OBFUSCATED_AT_RE.sub("@", part)
        if part.count("@") > 1 or ("@" in part and _WS_RE.search(part)):
            # "a@x.ru b@y.ru" or "E-mail: a@x.ru": keep the words that carry an @-sign
            out.extend(w.strip(",;") for w in _WS_RE.split(part) if "@" in w)
        else:
            out.append(part)
    return [p for p in out if p]
