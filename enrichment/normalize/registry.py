"""Company registry identifiers: Russian ИНН / ОГРН / КПП, EU VAT numbers, German HRB.

Every function takes free text ("ИНН 7707083893", "USt-IdNr.: DE 123 456 789") and returns
the canonical identifier, or None when there is none or its check digit is wrong.
"""

from __future__ import annotations

import re

__all__ = ["check_inn", "check_kpp", "check_ogrn", "normalize_hrb", "normalize_vat"]

MAX_INPUT = 200

_DIGIT_RUN_RE = re.compile(r"\d(?:[\d \-\u00a0]*\d)?")
_INN10_WEIGHTS = (2, 4, 10, 3, 5, 9, 4, 6, 8)
_INN11_WEIGHTS = (7, 2, 4, 10, 3, 5, 9, 4, 6, 8)
_INN12_WEIGHTS = (3, 7, 2, 4, 10, 3, 5, 9, 4, 6, 8)


def _digit_runs(text: object) -> list[str]:
    if not isinstance(text, str):
        return []
    runs: list[str] = []
    for m in _DIGIT_RUN_RE.findall(text[:MAX_INPUT]):
        runs.append(re.sub(r"\D", "", m))
        parts = m.split()
        if len(parts) > 1:  # "7707083893 773601001": two numbers, not one
            runs.extend(re.sub(r"\D", "", p) for p in parts)
    return runs


def _check_digit(digits: str, weights: tuple[int, ...]) -> int:
    return sum(int(d) * w for d, w in zip(digits, weights, strict=False)) % 11 % 10


def _inn_ok(d: str) -> bool:
    if d.startswith("00"):
        return False  # no region/tax office 00
    if len(d) == 10:
        return _check_digit(d, _INN10_WEIGHTS) == int(d[9])
    if len(d) == 12:
        ok11 = _check_digit(d, _INN11_WEIGHTS) == int(d[10])
        return ok11 and _check_digit(d, _INN12_WEIGHTS) == int(d[11])
    return False


def check_inn(text: str | None) -> str | None:
    """ИНН (10 digits: company, 12: person) by the ФНС check-digit weights (ММВ-7-6/435@)."""
    for digits in _digit_runs(text):
        if _inn_ok(digits):
            return digits
    return None


def _ogrn_ok(d: str) -> bool:
    if len(d) == 13 and d[0] in "15":  # ОГРН of a legal entity
        return int(d[:12]) % 11 % 10 == int(d[12])
    if len(d) == 15 and d[0] == "3":  # ОГРНИП of an individual entrepreneur
        return int(d[:14]) % 13 % 10 == int(d[14])
    return False


def check_ogrn(text: str | None) -> str | None:
    """ОГРН (13) / ОГРНИП (15): check digit = number mod 11 (13) mod 10 (ФНС САЭ-3-09/355@)."""
    for digits in _digit_runs(text):
        if _ogrn_ok(digits):
            return digits
    return None


_KPP_RE = re.compile(r"(?<![0-9A-Z])(\d{4}[0-9A-Z]{2}\d{3})(?![0-9A-Z])")


def check_kpp(text: str | None) -> str | None:
    """КПП: NNNN (tax office) + PP (reason, digits or A–Z) + NNN (Приказ ФНС ММВ-7-6/435@)."""
    if not isinstance(text, str):
        return None
    s = re.sub(r"(?<=\d)[ \-](?=\d)", "", text[:MAX_INPUT].upper())
    for m in _KPP_RE.finditer(s):
        kpp = m.group(1)
        if kpp[:4] != "0000":
            return kpp
    return None


# VAT number bodies per EU member state (+ XI Northern Ireland, GB, CH), after the country
# prefix, from the European Commission's VIES FAQ ("What is the structure of a VAT number?").
_VAT_BODIES = {
    "AT": r"U\d{8}", "BE": r"[01]\d{9}", "BG": r"\d{9,10}", "CY": r"\d{8}[A-Z]",
    "CZ": r"\d{8,10}", "DE": r"\d{9}", "DK": r"\d{8}", "EE": r"\d{9}", "EL": r"\d{9}",
    "ES": r"[A-Z0-9]\d{7}[A-Z0-9]", "FI": r"\d{8}", "FR": r"[A-HJ-NP-Z0-9]{2}\d{9}",
    "HR": r"\d{11}", "HU": r"\d{8}", "IE": r"\d[A-Z0-9+*]\d{5}[A-W][A-I]?", "IT": r"\d{11}",
    "LT": r"\d{9}|\d{12}", "LU": r"\d{8}", "LV": r"\d{11}", "MT": r"\d{8}",
    "NL": r"\d{9}B\d{2}", "PL": r"\d{10}", "PT": r"\d{9}", "RO": r"[1-9]\d{1,9}",
    "SE": r"\d{10}01", "SI": r"\d{8}", "SK": r"\d{10}", "XI": r"\d{9}|\d{12}|GD\d{3}|HA\d{3}",
    "GB": r"\d{9}|\d{12}|GD\d{3}|HA\d{3}", "CH": r"E\d{9}(?:MWST|TVA|IVA)?",
}  # fmt: skip
_VAT_RES = {cc: re.compile(rf"(?:{body})") for cc, body in _VAT_BODIES.items()}
_VAT_LABEL_RE = re.compile(
    r"^(?:ust\.?-?id\.?-?(?:nr\.?)?|umsatzsteuer-?id(?:entifikationsnummer)?|vat(?:\s*(?:no|nr|"
    r"number|id|reg(?:istration)?(?:\s*no)?)\.?)?|uid(?:-?nr\.?)?|tva|btw|p\.?\s*iva|iva|mwst|"
    r"nip|nif|cif|dič|dic)\s*[:#.\-]?\s*",
    re.IGNORECASE,
)


def normalize_vat(text: str | None) -> str | None:
    """EU VAT id: country prefix + body by the per-country formats of the EU VIES FAQ."""
    if not isinstance(text, str):
        return None
    s = text[:MAX_INPUT].strip()
    if ":" in s:
        s = s.rsplit(":", 1)[1]
    s = _VAT_LABEL_RE.sub("", s.strip())
    s = re.sub(r"[\s.\-/]", "", s).upper()
    if len(s) < 4:
        return None
    cc, body = s[:2], s[2:]
    if cc == "GR":
        cc = "EL"  # Greece uses EL in VAT numbers
    pattern = _VAT_RES.get(cc)
    if pattern is None or not pattern.fullmatch(body):
        return None
    return cc + body


_HRB_RE = re.compile(
    r"(?<![A-Za-z])(HR\s?[AB]|GnR|PR|VR)\s*\.?\s*(?:Nr\.?\s*)?(\d{1,6})(?:\s+(B|HB)\b)?(?!\d)",
    re.IGNORECASE,
)
_REGISTER_LABELS = {"HRA": "HRA", "HRB": "HRB", "GNR": "GnR", "PR": "PR", "VR": "VR"}


def normalize_hrb(text: str | None) -> str | None:
    """German register number (HRB/HRA/GnR/PR/VR + number, Berlin's "B" suffix kept), per §8 HGB."""
    if not isinstance(text, str):
        return None
    m = _HRB_RE.search(text[:MAX_INPUT])
    if m is None:
        return None
    register = _REGISTER_LABELS[re.sub(r"\s", "", m.group(1)).upper()]
    number = m.group(2).lstrip("0")
    if not number:
        return None
    suffix = f" {m.group(3).upper()}" if m.group(3) else ""
    return f"{register} {number}{suffix}"
