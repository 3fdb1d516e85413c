"""Company registration ids in the visible text: ИНН, ОГРН, КПП, German HRB/HRA, VAT ids.

Only labelled values count, and Russian ones only with a valid check digit (enrichment's
``check_inn`` / ``check_ogrn``): a bare ten-digit run is as likely a phone or an order
number. Russian pages write "ИНН 7707083893", "ИНН/КПП 7707083893/773601001",
"ОГРН: 1027700132195"; German impressums (§ 5 DDG/TMG) write "Registergericht: Amtsgericht
München, Registernummer: HRB 12345" and "USt-IdNr.: DE 123 456 789".

Keys of the result: ``inn``, ``ogrn`` (ОГРН or ОГРНИП), ``kpp``, ``hrb`` (the register entry,
HRB or HRA, with its court when the page names it: "Amtsgericht München HRB 12345"),
``ustid`` (a German VAT id) and ``vat`` (any EU VAT id, the German one included).
"""

from __future__ import annotations

import re

from enrichment import check_inn, check_kpp, check_ogrn, normalize_hrb, normalize_vat

__all__ = ["find_registration_ids"]

_INN_RE = re.compile(
    r"(?<![А-Яа-яA-Za-z])(?:ИНН|INN)\s*(?:/\s*(?:КПП|KPP))?\s*(?:организации|компании)?"
    r"\s*[:№#]?\s*(\d{10}|\d{12})(?!\d)(?:\s*/\s*(\d{4}[0-9A-Z]{2}\d{3}))?"
)
_OGRN_RE = re.compile(
    r"(?<![А-Яа-яA-Za-z])(?:ОГРНИП|ОГРН|OGRNIP|OGRN)\s*[:№#]?\s*(\d{13}|\d{15})(?!\d)"
)
_KPP_RE = re.compile(r"(?<![А-Яа-яA-Za-z])(?:КПП|KPP)\s*[:№#]?\s*(\d{4}[0-9A-Z]{2}\d{3})(?!\d)")
_HR_RE = re.compile(r"(?<![A-Za-z])HR\s?[AB]\s*\.?\s*(?:Nr\.?\s*)?\d{1,6}(?:\s+B\b)?(?!\d)")
_COURT_RE = re.compile(
    r"(?:Amtsgericht|Registergericht|Handelsregister(?:\s+beim|\s+des)?(?:\s+Amtsgerichts?)?|"
    r"AG)\s*[:,]?\s*((?:Amtsgericht\s+)?[A-ZÄÖÜ][a-zäöüß]+(?:[\s\-](?:am|an der|im|in der|"
    r"[A-ZÄÖÜ][a-zäöüß]+))*)"
)
_REGISTER_CONTEXT_RE = re.compile(
    r"amtsgericht|registergericht|handelsregister|registernummer|register|eingetragen",
    re.IGNORECASE,
)
_VAT_LABEL_RE = re.compile(
    r"(?<![^\W\d_])(?:USt\.?[\s\-]*Id\w*\.?(?:[\s\-]*Nr\.?)?|Umsatzsteuer[\s\-]*Id\w*|"
    r"Umsatzsteuer-?identifikationsnummer|VAT(?:\s*(?:No|Nr|Number|ID|Reg\w*)\.?)?|"
    r"UID(?:-?Nr\.?)?|TVA|BTW|P\.?\s*IVA|MwSt\.?-?Nr\.?|NIF|CIF|DIČ|NIP)(?![^\W\d_])",
    re.IGNORECASE,
)
_VAT_VALUE_RE = re.compile(r"\b(?:[A-Z]{2})\s?[A-Z0-9][A-Z0-9 .\-]{6,16}[A-Z0-9]\b")
_COURT_STOP = frozenset(
    "HRB HRA Registernummer Register Nr Umsatzsteuer USt Geschäftsführer Sitz".split()
)


def _court(window: str) -> str | None:
    matches = list(_COURT_RE.finditer(window))
    if not matches:
        return None
    m = matches[-1]  # the court named last before the number
    words = []
    for word in m.group(1).split():
        if word.strip(",.:") in _COURT_STOP:
            break
        words.append(word.strip(",.:"))
    if not words:
        return None
    place = " ".join(words)
    return place if place.startswith("Amtsgericht") else f"Amtsgericht {place}"


def _register(text: str) -> str | None:
    for m in _HR_RE.finditer(text):
        number = normalize_hrb(m.group(0))
        if number is None:
            continue
        window = text[max(0, m.start() - 150) : m.start()]
        after = text[m.end() : m.end() + 80]
        if not _REGISTER_CONTEXT_RE.search(window + " " + after):
            continue  # "HRB" must sit in a register statement, not in a product code
        court = _court(window) or _court(after)
        return f"{court} {number}" if court else number
    return None


def _vat(text: str) -> str | None:
    for label in _VAT_LABEL_RE.finditer(text):
        window = text[label.end() : label.end() + 120]
        for m in _VAT_VALUE_RE.finditer(window.upper()):
            vat = normalize_vat(m.group(0))
            if vat is not None:
                return vat
    return None


def find_registration_ids(text: str) -> dict[str, str]:
    """Labelled, checked registration ids of the visible text (keys absent when not found)."""
    ids: dict[str, str] = {}
    if not text:
        return ids
    if "ИНН" in text or "INN" in text:
        for m in _INN_RE.finditer(text):
            inn = check_inn(m.group(1))
            if inn and len(inn) == len(m.group(1)):
                ids.setdefault("inn", inn)
                if m.group(2) and check_kpp(m.group(2)):
                    ids.setdefault("kpp", m.group(2))
                break
    if "ОГРН" in text or "OGRN" in text:
        for m in _OGRN_RE.finditer(text):
            ogrn = check_ogrn(m.group(1))
            if ogrn and len(ogrn) == len(m.group(1)):
                ids["ogrn"] = ogrn
                break
    if "kpp" not in ids and ("КПП" in text or "KPP" in text):
        for m in _KPP_RE.finditer(text):
            kpp = check_kpp(m.group(1))
            if kpp:
                ids["kpp"] = kpp
                break
    if "HR" in text:
        register = _register(text)
        if register:
            ids["hrb"] = register
    vat = _vat(text)
    if vat:
        ids["vat"] = vat
        if vat.startswith("DE"):
            ids["ustid"] = vat
    return ids
