"""Phone numbers: parse one number or every number in a spreadsheet cell into E.164.

Parsing and validation are Google's libphonenumber metadata (the ``phonenumbers`` port);
this module only adds the cell splitting, the extension markers that library does not know,
a plain-English ``reason`` and a cache (an import normalizes ~400k phones, many repeated).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

import phonenumbers
from phonenumbers import PhoneNumberFormat, PhoneNumberType, ValidationResult

__all__ = ["TYPES", "Phone", "find_phones", "normalize_phone"]

MAX_INPUT = 200  # no phone cell piece is longer; longer text is cut before parsing


@dataclass(frozen=True, slots=True)
class Phone:
    """One parsed number. An invalid number is kept with ``valid=False`` and a ``reason``."""

    raw: str
    e164: str | None  # "+74951234567"; None when invalid
    extension: str | None  # digits only, kept apart from the number ("доб. 123" → "123")
    type: str  # one of TYPES; "unknown" when invalid
    valid: bool
    reason: str  # "ok", or why the number is not valid

    @property
    def region(self) -> str | None:
        """ISO 3166 region of a valid number ("RU", "KZ", "DE"), None when invalid.

        Computed on demand (libphonenumber tries each region sharing the calling code, up to
        ~10 µs for +1), so the import's hot path does not pay for it."""
        return _region(self.e164) if self.e164 else None


# libphonenumber's PhoneNumberType, lowercased. FIXED_LINE_OR_MOBILE is what it says for
# countries whose numbering plan does not tell the two apart (US, CA, …).
_TYPES = {
    PhoneNumberType.FIXED_LINE: "fixed_line",
    PhoneNumberType.MOBILE: "mobile",
    PhoneNumberType.FIXED_LINE_OR_MOBILE: "fixed_line_or_mobile",
    PhoneNumberType.TOLL_FREE: "toll_free",
    PhoneNumberType.PREMIUM_RATE: "premium_rate",
    PhoneNumberType.SHARED_COST: "shared_cost",
    PhoneNumberType.VOIP: "voip",
    PhoneNumberType.PERSONAL_NUMBER: "personal_number",
    PhoneNumberType.PAGER: "pager",
    PhoneNumberType.UAN: "uan",
    PhoneNumberType.VOICEMAIL: "voicemail",
    PhoneNumberType.UNKNOWN: "unknown",
}
TYPES = tuple(_TYPES.values())


@lru_cache(maxsize=4096)
def _region(e164: str) -> str | None:
    try:
        return phonenumbers.region_code_for_number(phonenumbers.parse(e164, None))
    except phonenumbers.NumberParseException:
        return None


_POSSIBLE_REASONS = {
    ValidationResult.TOO_SHORT: "too short",
    ValidationResult.TOO_LONG: "too long",
    ValidationResult.INVALID_LENGTH: "invalid length",
    ValidationResult.INVALID_COUNTRY_CODE: "unknown country code",
}

# Extension markers seen in Russian and German contact pages and exports. libphonenumber
# itself knows "ext", "x", "#", "доб" and a few more; these are the ones it misses
# ("доб." with a dot followed by a word, "добавочный", "вн.", "Durchwahl", "DW", "Apparat").
_EXT_RE = re.compile(
    r"[\s,;(]*(?<![^\W\d_])(?:доб(?:авочный)?|вн(?:утр(?:енний)?)?|ext(?:ension)?|durchwahl|dw|"
    r"nebenstelle|apparat|app|x)\.?\s*(?:номер|nr\.?|№|:)?\s*(\d{1,6})\)?\s*$",
    re.IGNORECASE,
)
_DIGIT_RE = re.compile(r"\d")
_FAST_CHARS_RE = re.compile(r"\+?[\d\s\-().\/]+")
_NON_DIGIT_RE = re.compile(r"\D")

# Fast path: for these calling codes the national significant number never starts with the
# trunk prefix, so "+CC" + digits (or trunk prefix + digits with the region hint) is the
# number itself and libphonenumber's parse (~30 µs) can be skipped; validity and kind still
# come from its metadata (number_type). Anything that does not fit takes the full parse,
# and a test checks that both paths agree. (calling code, trunk prefix, national lengths)
_FAST_REGIONS = {
    "RU": ("7", "8", (10,)), "KZ": ("7", "8", (10,)), "US": ("1", "1", (10,)),
    "CA": ("1", "1", (10,)), "DE": ("49", "0", tuple(range(5, 14))),
    "AT": ("43", "0", tuple(range(4, 14))), "CH": ("41", "0", (9,)),
    "GB": ("44", "0", (9, 10)), "FR": ("33", "0", (9,)),
}  # fmt: skip
_FAST_CODES = {cc: (trunk, lengths) for cc, trunk, lengths in _FAST_REGIONS.values()}


def normalize_phone(text: str | None, region: str | None = None) -> Phone:
    """Parse one phone number; ``region`` (ISO 3166 alpha-2) is used when no +CC is given."""
    if not isinstance(text, str):
        return Phone("", None, None, "unknown", False, "empty")
    reg = region.strip().upper() if isinstance(region, str) and region.strip() else None
    return _normalize(text[:MAX_INPUT].strip(), reg)


@lru_cache(maxsize=262_144)
def _normalize(raw: str, region: str | None) -> Phone:
    if not raw:
        return Phone(raw, None, None, "unknown", False, "empty")
    main, ext = raw, None
    m = _EXT_RE.search(raw)
    if m and _DIGIT_RE.search(raw[: m.start()]):
        main, ext = raw[: m.start()], m.group(1)
    digits = sum(c.isdigit() for c in main)
    if digits == 0:
        return Phone(raw, None, ext, "unknown", False, "no digits")
    if digits < 5:
        return Phone(raw, None, ext, "unknown", False, "too short")
    if digits > 17:
        return Phone(raw, None, ext, "unknown", False, "too long")
    candidate = main.strip()
    return _fast(raw, candidate, region, ext) or _full_parse(raw, candidate, region, ext)


def _full_parse(raw: str, candidate: str, region: str | None, ext: str | None) -> Phone:
    # "00 49 …" / "0049…" is the international prefix in most of Europe; without a region
    # hint libphonenumber cannot know that, so make it explicit.
    stripped = candidate.lstrip("( ")
    if region is None and stripped.startswith("00"):
        candidate = "+" + stripped[2:]
    try:
        num = phonenumbers.parse(candidate, region)
    except phonenumbers.NumberParseException as exc:
        if exc.error_type == phonenumbers.NumberParseException.INVALID_COUNTRY_CODE:
            has_cc = candidate.lstrip("( ").startswith("+") or region is not None
            why = "unknown country code" if has_cc else "no country code and no region hint"
        elif exc.error_type == phonenumbers.NumberParseException.TOO_SHORT_NSN:
            why = "too short"
        elif exc.error_type == phonenumbers.NumberParseException.TOO_LONG:
            why = "too long"
        else:
            why = "not a phone number"
        return Phone(raw, None, ext, "unknown", False, why)
    ext = ext or num.extension or None
    number_type = phonenumbers.number_type(num)  # UNKNOWN exactly when is_valid_number fails
    if number_type == PhoneNumberType.UNKNOWN:
        possible = phonenumbers.is_possible_number_with_reason(num)
        why = _POSSIBLE_REASONS.get(possible)
        if why is None:
            cc_region = phonenumbers.region_code_for_country_code(num.country_code)
            where = region if region and not raw.lstrip("( ").startswith("+") else cc_region
            why = f"not a valid number for region {where}"
        return Phone(raw, None, ext, "unknown", False, why)
    e164 = phonenumbers.format_number(num, PhoneNumberFormat.E164)
    return Phone(raw, e164, ext, _TYPES.get(number_type, "unknown"), True, "ok")


def _fast(raw: str, text: str, region: str | None, ext: str | None) -> Phone | None:
    if "(0)" in text:  # "+49 (0)89 …": the bracketed trunk prefix is not dialled from abroad
        if not text.startswith("+") or text.count("(0)") > 1:
            return None
        text = text.replace("(0)", " ")
    if not _FAST_CHARS_RE.fullmatch(text):
        return None
    digits = _NON_DIGIT_RE.sub("", text)
    if text.startswith("+"):
        cc = next((digits[:n] for n in (1, 2) if digits[:n] in _FAST_CODES), None)
        if cc is None:
            return None
        nsn = digits[len(cc) :]
    elif region in _FAST_REGIONS:
        cc, trunk, lengths = _FAST_REGIONS[region]
        if digits.startswith("00"):
            return None
        if digits.startswith(trunk) and len(digits) - len(trunk) in lengths:
            nsn = digits[len(trunk) :]
        elif cc == "7" and digits.startswith("7") and len(digits) == 11:
            nsn = digits[1:]  # "7 495 123 45 67" with region RU
        elif cc in ("1", "7"):  # "495 123 45 67" with region RU, "650 253 0000" with US
            nsn = digits
        else:
            return None
    else:
        return None
    trunk, lengths = _FAST_CODES[cc]
    if len(nsn) not in lengths or nsn.startswith("0") or (cc != "7" and nsn.startswith(trunk)):
        return None  # Russian numbers may start with 8 (8-800 …): 10 digits are never trunk+9
    num = phonenumbers.PhoneNumber(country_code=int(cc), national_number=int(nsn))
    number_type = phonenumbers.number_type(num)
    if number_type == PhoneNumberType.UNKNOWN:
        return None  # let the full parse explain why
    return Phone(raw, f"+{cc}{nsn}", ext, _TYPES.get(number_type, "unknown"), True, "ok")


# Separators between numbers in one cell: , ; | newline, and the words "или"/"or"/"oder"/"und".
_SPLIT_RE = re.compile(r"[,;|\n\r\t]+|\s+(?:или|or|oder|und|и)\s+", re.IGNORECASE)
_EXT_ONLY_RE = re.compile(
    r"^\s*(?:доб|вн|ext|durchwahl|dw|nebenstelle|apparat|app|x)\b", re.IGNORECASE
)


def _pieces(text: str) -> list[str]:
    out: list[str] = []
    for part in _SPLIT_RE.split(text):
        if not part or not part.strip():
            continue
        if out and _EXT_ONLY_RE.match(part):
            # "+7 495 123-45-67, доб. 123": the extension belongs to the previous number
            out[-1] = f"{out[-1]} {part.strip()}"
            continue
        # "/" separates numbers ("8 495 111-22-33 / 8 495 444-55-66") but is also the German
        # area-code separator ("089/1234567"): split only when every side is a whole number.
        if "/" in part:
            sides = part.split("/")
            if all(sum(c.isdigit() for c in s) >= 7 for s in sides):
                out.extend(s.strip() for s in sides)
                continue
        out.append(part.strip())
    return out


def find_phones(text: str | None, region: str | None = None) -> list[Phone]:
    """Every number in a cell, valid and invalid, deduplicated by (E.164, extension)."""
    if not isinstance(text, str) or not text.strip():
        return []
    seen: set[tuple[str | None, str | None]] = set()
    found: list[Phone] = []
    for piece in _pieces(text[: MAX_INPUT * 20]):
        if not _DIGIT_RE.search(piece):
            continue  # a label such as "тел." or "Fax" on its own
        phone = normalize_phone(piece, region)
        key = (phone.e164 or phone.raw, phone.extension)
        if key not in seen:
            seen.add(key)
            found.append(phone)
    return found
