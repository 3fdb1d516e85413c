"""Phone numbers on a page: ``tel:`` links and numbers in the visible text, as E.164.

Text numbers come from libphonenumber's ``PhoneNumberMatcher`` (leniency VALID: the number
must exist in the region's numbering plan), run only on lines with seven or more digits.
On top of it, precision rules from real pages:

* a number labelled as fax (Fax, Telefax, Факс) is not a contact phone (webstruct's gold
  labels keep FAX apart from TEL);
* a number right after a registry/bank/order label (ИНН, ОГРН, КПП, БИК, р/с, Art.-Nr.,
  Order #, SKU …) or followed by a currency is not a phone;
* a bare digit run (no "+", space, dash, dot or bracket) counts only after a phone label:
  ИНН/ОГРН values and article numbers are bare digit runs.

An extension is kept apart, RFC 3966 style: ``+74951234567;ext=123``; markers libphonenumber
misses ("доб. 123" after a comma, "Durchwahl 12", "вн. 5") are read from the text after the
match.
"""

from __future__ import annotations

import re
from urllib.parse import unquote

import phonenumbers
from lxml import etree
from phonenumbers import Leniency, PhoneNumberFormat, PhoneNumberMatcher

from enrichment import normalize_phone
from spiders.pages.html import Block

__all__ = ["find_phones", "format_phone", "phones_in_text"]

_DIGITS7_RE = re.compile(r"(?:\d\D{0,3}){7}")
_EXT_AFTER_RE = re.compile(
    r"^\s*[,;(]?\s*(?:доб(?:авочный)?|вн(?:утр(?:енний)?)?|ext(?:ension)?|durchwahl|dw|"
    r"apparat|app|x)\.?\s*(?:номер|nr\.?|№|:)?\s*(\d{1,6})(?!\d)",
    re.IGNORECASE,
)
_FAX_RE = re.compile(r"(?:fax|факс|telefax|téléc)\w*\.?\s*[:.]?\s*(?:\+?\s*)?$", re.IGNORECASE)
_PHONE_LABEL_RE = re.compile(
    r"(?:тел|phone|tel|telefon|fon|моб|mobile|mobil|handy|call|звоните|hotline|т\.|ph|"
    r"whatsapp|viber)\w*\.?\s*[:.]?\s*$",
    re.IGNORECASE,
)
_NOT_PHONE_LABEL_RE = re.compile(
    r"(?:инн|огрн(?:ип)?|кпп|бик|окпо|оквэд|октмо|окато|р/с|к/с|р/сч|к/сч|сч[её]т\w*|"
    r"inn|ogrn|kpp|bic|iban|swift|ust-?id\w*|steuer\w*|hrb|hra|art\.?-?nr|artikel\w*|"
    r"order|bestell\w*|заказ\w*|sku|isbn|ean|№|nr|no|id|лиценз\w*|license|patent|"
    r"reg\.?|registr\w*|свидетельств\w*)\.?\s*[:#.]?\s*$",
    re.IGNORECASE,
)
_CURRENCY_AFTER_RE = re.compile(
    r"^\s*(?:руб|р\.|₽|€|eur|\$|usd|£|gbp|тыс|млн|chf|uah|грн|тг|₸)", re.IGNORECASE
)
# Dates and year ranges libphonenumber accepts as numbers ("08.05.2019" is a valid German
# number shape; seen on trafilatura stuttgart.de and verivox.de pages).
_DATE_RE = re.compile(
    r"^(?:\d{1,2}[./]\d{1,2}[./](?:\d{2}|\d{4})|\d{4}[-./]\d{1,2}[-./]\d{1,2}|"
    r"(?:19|20)\d{2}\s*[-–/]\s*(?:19|20)\d{2})$"
)
_TEL_EXT_RE = re.compile(r"(?:;ext=|[,;pw#]|x)(\d{1,6})$", re.IGNORECASE)


def format_phone(e164: str, extension: str | None) -> str:
    """E.164 with the extension kept apart as ``;ext=``, as in a ``tel:`` URI (RFC 3966)."""
    return f"{e164};ext={extension}" if extension else e164


def _tel_links(root: etree._Element, region: str | None, out: list[str], seen: set[str]) -> None:
    for el in root.iter("a", "area"):
        href = (el.get("href") or "").strip()
        if href[:4].lower() not in ("tel:", "sms:") and href[:7].lower() != "callto:":
            continue
        value = unquote(href.split(":", 1)[1]).strip()
        ext = None
        m = _TEL_EXT_RE.search(value)
        if m:
            ext, value = m.group(1), value[: m.start()]
        phone = normalize_phone(value.replace("%20", " "), region)
        if phone.valid and phone.e164:
            _add(format_phone(phone.e164, ext or phone.extension), out, seen)


def _add(value: str, out: list[str], seen: set[str]) -> None:
    if value not in seen:
        seen.add(value)
        out.append(value)


def phones_in_text(
    text: str,
    region: str | None,
    out: list[str] | None = None,
    seen: set[str] | None = None,
    previous: str = "",
) -> list[str]:
    """Phone numbers in one line of visible text; ``previous`` is the line before (labels)."""
    out = [] if out is None else out
    seen = set() if seen is None else seen
    if not text or not _DIGITS7_RE.search(text):
        return out
    try:
        matches = list(PhoneNumberMatcher(text[:2000], region, leniency=Leniency.VALID))
    except Exception:  # the matcher is third-party code: odd input must not stop a crawl
        return out
    for m in matches:
        before = text[max(0, m.start - 40) : m.start]
        if not before.strip() and m is matches[0]:
            before = previous[-40:]  # "Факс:" on the line above the number
        if _FAX_RE.search(before) or _NOT_PHONE_LABEL_RE.search(before):
            continue
        after = text[m.end : m.end + 12]
        if _CURRENCY_AFTER_RE.match(after):
            continue
        raw = m.raw_string
        if _DATE_RE.match(raw.strip()):
            continue
        if raw.isdigit() and not _PHONE_LABEL_RE.search(before):
            continue
        if m.start > 0 and (text[m.start - 1].isalnum() or text[m.start - 1] in "/-.#"):
            continue  # glued to a word or a path: "Nr.12345678", "ID-4951234567"
        number = m.number
        ext = number.extension or None
        if ext is None:
            em = _EXT_AFTER_RE.match(text[m.end : m.end + 30])
            if em:
                ext = em.group(1)
        e164 = phonenumbers.format_number(number, PhoneNumberFormat.E164)
        _add(format_phone(e164, ext), out, seen)
    return out


def find_phones(root: etree._Element, blocks: list[Block], region: str | None) -> list[str]:
    """Every phone of a page (or of one card): ``tel:`` links first, then the text."""
    out: list[str] = []
    seen: set[str] = set()
    _tel_links(root, region, out, seen)
    previous = ""
    for block in blocks:
        phones_in_text(block.text, region, out, seen, previous)
        previous = block.text
    # "+7 495 123-45-67" from a tel: link and "+7 495 123-45-67 доб. 12" from the text:
    # keep the one with the extension only when both name the same number.
    with_ext = {p.split(";", 1)[0] for p in out if ";ext=" in p}
    return [p for p in out if ";ext=" in p or p not in with_ext]
