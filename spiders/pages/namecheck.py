"""Does a short piece of text look like a person's name, or like a job title?

Precision matters more than recall: a "person" must be 2–4 capitalised tokens in one script,
parse into first and last name (enrichment's ``parse_person_name``), and contain no word that
names a place, a company form, a page section or a title. The stop-words below are the
capitalised non-name words met as headings, navigation and company names on the webstruct,
formasaurus and trafilatura corpus pages (English, German, Russian).
"""

from __future__ import annotations

import re
from functools import lru_cache

from enrichment import PersonName, TitleInfo, classify_title, parse_person_name

__all__ = ["as_person_name", "as_title", "company_key", "strip_credentials"]

_STOP = frozenset(
    """
    about us our the and of for to in on at by with from contact contacts home team services
    service products product news events event blog careers career login search menu privacy
    policy terms copyright rights reserved company companies group inc llc ltd corp co
    street st avenue ave road rd suite drive boulevard blvd lane way highway hwy parkway
    north south east west new york city county state states united kingdom america american
    university college school academy center centre department dept office offices hours
    monday tuesday wednesday thursday friday saturday sunday january february march april
    may june july august september october november december read more learn view click here
    get directions map email e-mail phone telephone fax free call now welcome board directors
    management leadership staff meet executive sales marketing support customer care health
    medical dental law firm bank insurance real estate building builders construction design
    studio media solutions systems technologies technology international global national
    associates partners llp pc church hotel restaurant cafe shop store market park hall house
    club society association foundation institute agency project projects gallery photo
    photos video testimonials faq help info information location locations send message
    submit name first last address zip code country canada london main mission vision history
    values why what how who where when gift card cart account sign register follow like share
    twitter facebook linkedin youtube instagram google page site web website online digital
    best top quality professional residential commercial industrial family homes kitchen bath
    remodeling roofing plumbing electric heating cooling air water energy power auto car cars
    repair cleaning landscaping pest control moving storage legal accounting tax financial
    consulting recent posts comments archives categories tags previous next back annual
    report day week year month today all my your his her their its this that these those
    is are be an as or not no yes open closed request quote free estimate order now
    subscribe newsletter download downloads portfolio clients client gallery resources
    community members member directory staff faculty admissions financial aid student
    students alumni library campus programs program courses services council city hall
    impressum datenschutz datenschutzerklärung kontakt startseite über uns angaben gemäß
    straße strasse str weg platz allee gasse ring damm gmbh ag kg ohg ug mbh se gbr ev
    haftungsbeschränkt telefon telefax handelsregister registergericht amtsgericht
    umsatzsteuer haftung inhalte urheberrecht streitschlichtung deutschland berlin münchen
    hamburg köln frankfurt stuttgart leistungen referenzen unternehmen agentur aktuelles
    presse karriere jobs anfahrt öffnungszeiten sitz der die das und für mit im am zum zur
    ооо оао зао пао ао ип нко компания группа контакты главная услуги о нас компании
    новости вакансии карьера адрес телефон россия москва улица ул проспект город дом офис
    отдел продаж режим работы понедельник вторник среда четверг пятница суббота
    воскресенье политика конфиденциальности отзывы каталог доставка оплата корзина поиск
    наши наша наш все для в на по с и или при сайт
    questions question supplies supply links link studies study case style join tab self
    operations clothing size plus useful traditional advice consumer youth sports pets
    seminars upcoming chaplaincies healthcare strippers founders benefits ownership
    """.split()
)
_NON_NAME_SUFFIX_RE = re.compile(r"(?:tion|sion|ment|ness|ship|ology|ware|ings|ungen|ство|ние)$")
_CREDENTIAL_RE = re.compile(
    r"^(?:[A-Z]{2,6}|[A-Z][a-z]?\.?[A-Z]\.?|Ph\.?D\.?|Jr\.?|Sr\.?|"
    r"Esq\.?|M\.?D\.?|[IVX]{2,4})$"
)
_LATIN_TOKEN_RE = re.compile(
    r"^(?:[A-ZÀ-ÖØ-Þ][a-zà-öø-ÿ'’]+(?:-[A-ZÀ-ÖØ-Þ][a-zà-öø-ÿ'’]+)?|"
    r"[A-ZÀ-ÖØ-Þ]\.|Mc[A-Z][a-z]+|O'[A-Z][a-z]+|Mac[A-Z][a-z]+)$"
)
_APOSTROPHES = str.maketrans("", "", "'’")


def _latin(text: str) -> bool:
    """Letters of the Latin script only: Basic Latin to Latin Extended-B (ı ş ğ ł ø ő ț)
    and Latin Extended Additional (Vietnamese ệ)."""
    return all(c.isalpha() and (c < "\u0250" or "\u1e00" <= c <= "\u1eff") for c in text)


def _latin_token(tok: str) -> bool:
    """A capitalised Latin name word: "Yılmaz", "Łukasz", "Şahin-Öztürk", "Ł." (an initial).

    The fast ASCII/Latin-1 pattern first; then any Latin letters by Unicode case, so that
    Turkish, Polish, Czech, Romanian names pass (brandt-vogel.de team page: Mehmet Yılmaz).
    """
    if _LATIN_TOKEN_RE.match(tok):
        return True
    if len(tok) == 2 and tok[1] == "." and tok[0].isupper() and _latin(tok[0]):
        return True
    parts = tok.split("-")
    if len(parts) > 2:
        return False
    for part in parts:
        head, rest = part[:1], part[1:].translate(_APOSTROPHES)
        if not (head.isupper() and _latin(head) and rest and rest.islower() and _latin(rest)):
            return False
    return True


_CYR_TOKEN_RE = re.compile(r"^(?:[А-ЯЁ][а-яё]+(?:-[А-ЯЁ][а-яё]+)?|[А-ЯЁ]\.(?:[А-ЯЁ]\.)?)$")
_CYR_UPPER_RE = re.compile(r"^[А-ЯЁ]{2,}(?:-[А-ЯЁ]{2,})?$")
_PARTICLES = frozenset("von van der den de del della di da du la le zu ten ter vom zum zur".split())
_HONORIFIC_RE = re.compile(
    r"^(?:(?:Mr|Mrs|Ms|Miss|Dr|Prof|Herr|Frau|Dipl\.?-\w+|Ing|Mag|Rev|Hon|Sir|Dame)\.?\s+)+"
)
_EXT_PAREN_RE = re.compile(r"\s*\((?:ext|x|доб|tel|durchwahl)[^)]*\)\s*$", re.IGNORECASE)
_BAD_CHARS_RE = re.compile(r"[\d@:/|\\#%&=+<>{}\[\]_©®™*!?…•]")


def strip_credentials(text: str) -> str:
    """ "Michelle Babb, MS, RD, CD" -> "Michelle Babb" (webstruct business page 100)."""
    parts = [p.strip() for p in text.split(",")]
    while len(parts) > 1 and all(_CREDENTIAL_RE.match(w) for w in parts[-1].split()):
        parts.pop()
    return ", ".join(parts)


@lru_cache(maxsize=65_536)
def as_person_name(text: str) -> PersonName | None:
    """The parsed name when ``text`` is only a person's name, else None."""
    text = _EXT_PAREN_RE.sub("", " ".join(text.split())).strip(" ,;:-–—|\ufffd")
    if text.endswith(".") and not re.search(r"(?:^|[\s.])\w\.$", text):
        text = text[:-1]  # a sentence's full stop, not the dot of an initial ("Иванов И.И.")
    if not 4 <= len(text) <= 60:
        return None
    text = strip_credentials(text)
    if "," in text or "(" in text or _BAD_CHARS_RE.search(text):
        return None
    bare = _HONORIFIC_RE.sub("", text)
    tokens = bare.split()
    if not 2 <= len(tokens) <= 4:
        return None
    cyrillic = any("а" <= c.lower() <= "я" or c in "ёЁ" for c in bare)
    full = 0
    for tok in tokens:
        low = tok.casefold().strip(".")
        if low in _PARTICLES and not cyrillic:
            continue
        if low in _STOP or _NON_NAME_SUFFIX_RE.search(low):
            return None
        if cyrillic:
            if _CYR_TOKEN_RE.match(tok) or _CYR_UPPER_RE.match(tok):
                full += not tok.endswith(".")
                continue
            return None
        if not _latin_token(tok):
            return None
        full += not tok.endswith(".")
    if full < 2 and not (cyrillic and full == 1):
        return None  # "J. Smith" is too little to tell; "Иванов И.И." is the Russian form
    if classify_title(bare).seniority != "unknown":
        return None  # "Managing Director", "Генеральный Директор"
    name = parse_person_name(bare)
    if not name.first or not name.last:
        return None
    return name


# Menu entries: words that name a page of a site and never a job. Two of them in a "title"
# are a menu read as one line ("Главная О компании Прайс-лист Контакты Реквизиты",
# agromash-volga.ru), one alone is a menu item ("Главная" classifies as a head: "главн…").
_NAV_WORDS = frozenset(
    """
    главная контакты контакт реквизиты прайс-лист прайс каталог новости вакансии услуги
    компании доставка оплата отзывы портфолио партнерам партнеры карта сайта
    home startseite impressum datenschutz datenschutzerklärung kontakt kontakte anfahrt
    about über uns contact contacts news blog faq login imprint privacy sitemap karriere
    careers jobs aktuelles leistungen referenzen produkte products services downloads
    """.split()
)
_LOOSE_HEAD_RE = re.compile(r"\bhead\b", re.IGNORECASE)
_HEAD_OK_RE = re.compile(r"^head\b|\bhead of\b|\bdepartment head\b", re.IGNORECASE)
_TITLE_BAD_RE = re.compile(r"[@\d|©]|https?:|www\.")


@lru_cache(maxsize=65_536)
def as_title(text: str) -> TitleInfo | None:
    """The classified title when ``text`` is only a job title with a recognised level."""
    text = " ".join(text.split()).strip(" .,;:-–—|")
    if not 2 <= len(text) <= 80 or _TITLE_BAD_RE.search(text):
        return None
    words = text.split()
    if len(words) > 8 or (text.endswith(".") and len(words) > 5):
        return None
    nav = sum(w.casefold() in _NAV_WORDS for w in words)
    if nav >= 2 or (nav and len(words) == 1):
        return None
    info = classify_title(text)
    if info.seniority == "unknown":
        return None
    if info.seniority == "head" and _LOOSE_HEAD_RE.search(text) and not _HEAD_OK_RE.search(text):
        return None  # "Pan Head", "Flute Head Cork" (webstruct us-contact 15, 40): objects
    return info


# Legal forms dropped when comparing a name with the company's ("ООО «Агромаш Поволжье»").
_LEGAL_FORMS = frozenset(
    """
    ооо оао зао пао ао нао ип нко гуп муп фгуп ано gmbh ggmbh ag kg ohg ug mbh se gbr
    e.k. e.v. co co. & inc inc. llc ltd ltd. limited llp corp corp. corporation plc
    """.split()
)
_QUOTES_RE = re.compile(r"[«»\"„“”‘’'`()]")


def company_key(text: str) -> str:
    """A company or site name folded for comparison with a person's name: casefolded, no
    quotes, no legal form ("ООО «Агромаш Поволжье»" -> "агромаш поволжье")."""
    words = _QUOTES_RE.sub(" ", text.casefold().replace("ё", "е")).split()
    return " ".join(w for w in words if w.strip(",.") not in _LEGAL_FORMS)
