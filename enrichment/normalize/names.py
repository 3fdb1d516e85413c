"""Person names: first / middle / last and a matching key, for Russian, English and German.

Russian ФИО comes in either order; the patronymic (-ович, -евич, -ич, -овна, -евна, -ична,
-инична: the suffixes of Russian grammar) tells which token is the middle name, and
"Фамилия Имя Отчество" is assumed when nothing tells (the order of Russian registers and
lists). Simple shapes (1–3 plain tokens) take a fast path; anything longer goes through
nameparser, which is about 100 µs a call.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

__all__ = ["PersonName", "parse_person_name"]

MAX_INPUT = 300


@dataclass(frozen=True, slots=True)
class PersonName:
    raw: str
    full: str
    first: str | None
    middle: str | None
    last: str | None
    key: str  # casefolded "first last", ё→е: the same person within one company


# Honorifics and academic titles dropped before the name (dots and case ignored).
_HONORIFICS = frozenset(
    "mr mrs ms miss mx sir dame dr prof professor herr frau dipl dipl-ing dipl-kfm dipl-inf "
    "dr-ing ing mag ma rev hon dipl-vw dipl-psych dipl-math dipl-phys dipl-oec dipl-wirt-ing "
    "dipl-inform dipl-betrw г-н г-жа господин госпожа уважаемый уважаемая".split()
)
# Forms of address: a single name after one is the surname ("Mr. Smith", "Frau Schulz").
_ADDRESS = frozenset("mr mrs ms miss mx herr frau г-н г-жа господин госпожа".split())
# Only after a leading "Dr"/"Prof": "Dr. med.", "Dr. rer. nat.", "Prof. Dr. h.c."
_AFTER_DR = frozenset("med rer nat phil jur habil hc mult oec pol techn".split())
# Generational suffixes and degrees after the name.
_SUFFIXES = frozenset("jr sr jun sen ii iii iv phd md mba esq dds cpa msc bsc llm".split())
# Degrees written after a German name ("Hans Meier, Dipl.-Ing."): dropped from the end too.
_TRAILING = _SUFFIXES | frozenset(
    "dipl-ing dipl-kfm dipl-inf dipl-vw dipl-psych dipl-oec dipl-betrw dr-ing mag".split()
)
# Name particles kept with the last name ("Ludwig van Beethoven", "Hans von der Heide").
_CONJUNCTIONS = frozenset("y e i and und &".split())
_PARTICLES = frozenset("von van der den de del della di da du la le zu ten ter vom zum zur".split())

_PATRONYMIC_RE = re.compile(
    r"(?:ович|евич|ёвич|ьич|ич|овна|евна|ёвна|ична|инична|ovich|evich|ovna|evna|ichna)$"
)
_SURNAME_RE = re.compile(
    r"(?:ов|ев|ёв|ин|ын|ова|ева|ёва|ина|ына|ский|цкий|ская|цкая|ской|нко|ук|юк|ых|их|"
    r"швили|дзе|ян|ov|ev|in|ova|eva|ina|sky|skiy|skii|skaya|enko|uk)$"
)
# Common Russian given names, to order two-token names that carry no surname suffix
# (or where both tokens look like surnames: "Константин Ильин").
_RU_GIVEN = frozenset(
    """
    александр алексей анатолий андрей антон аркадий артем артур богдан борис вадим валентин
    валерий василий виктор виталий владимир владислав вячеслав геннадий георгий глеб григорий
    даниил денис дмитрий евгений егор иван игорь илья кирилл константин лев леонид максим
    марк михаил никита николай олег павел петр роман руслан семен сергей станислав степан
    тимур тимофей федор филипп эдуард юрий ярослав
    алла алена алина алиса анастасия ангелина анна валентина валерия вера вероника виктория
    галина дарья диана ева евгения екатерина елена елизавета жанна зоя инна ирина карина
    кристина ксения лариса лидия любовь людмила маргарита марина мария надежда наталья
    наталия нина оксана ольга полина светлана софья софия тамара татьяна ульяна юлия яна
    """.split()
)
_CYR_RE = re.compile(r"[а-яё]", re.IGNORECASE)
_TOKEN_RE = re.compile(r"[^\W\d_]+(?:[-'’.][^\W\d_]+)*\.?")
_INITIALS_RE = re.compile(r"^(?:[^\W\d_]\.){2,3}$")
_PAREN_RE = re.compile(r"\([^)]*\)|\[[^\]]*\]")
_STRIP = ',;:"«»“”„()[]{}<>!?*'


def _norm(tok: str) -> str:
    return tok.casefold().replace("ё", "е").strip(".")


def _is_initial(tok: str) -> bool:
    return len(tok) <= 2 and tok.endswith(".") or len(tok) == 1


def _smart_title(tok: str) -> str:
    low = tok.lower()
    if low in _PARTICLES:
        return low
    titled = tok.title()
    if low.startswith("mc") and len(low) > 3:  # "MCDONALD" → "McDonald"
        titled = "Mc" + titled[2:3].upper() + titled[3:]
    return titled


def _clean_tokens(text: str) -> tuple[list[str], bool]:
    """The name's tokens, and whether a form of address (Mr., Frau, г-н) preceded them."""
    text = _PAREN_RE.sub(" ", text)
    if "," in text:
        parts = text.split(",")
        while len(parts) > 1 and all(_is_title_word(t.strip(_STRIP)) for t in parts[-1].split()):
            parts.pop()  # "John Smith, PhD", "Hans Meier, Dipl.-Ing.", "Smith, John, Jr."
        left, right = parts[0], ",".join(parts[1:])
        left_names = [t for t in left.split() if _norm(t) not in _PARTICLES]
        if not right.strip():
            text = left
        elif len(left_names) >= 2 and _is_lowercase_words(right) and not left.islower():
            text = left  # "Иван Петров, генеральный директор": a job title, not a name
        elif right.strip() and len(left_names) <= 2:
            text = f"{right} {left}"  # "Smith, John" / "Иванов, Иван Иванович"
    tokens = [t.strip(_STRIP) for t in text.replace(",", " ").split()]
    # honorifics and academic titles before the name
    seen_dr = honorific = False
    while tokens:
        n = _norm(tokens[0]).replace(".", "")
        if n in _HONORIFICS or (seen_dr and n in _AFTER_DR) or not n:
            seen_dr = seen_dr or n in ("dr", "prof", "dr-ing", "professor")
            honorific = honorific or n in _ADDRESS
            tokens.pop(0)
        else:
            break
    while len(tokens) > 1 and _is_title_word(tokens[-1]):
        tokens.pop()
    out: list[str] = []
    for tok in tokens:
        if _INITIALS_RE.match(tok):  # "И.И." / "J.R."
            out.extend(p + "." for p in tok.split(".") if p)
        elif tok:
            out.append(tok)
    return [t for t in out if _TOKEN_RE.fullmatch(t)], honorific


def _is_title_word(tok: str) -> bool:
    n = _norm(tok)
    if "." in n and _INITIALS_RE.match(tok.strip(_STRIP)):
        return False  # "I.I." are initials, not the numeral II
    return n.replace(".", "") in _TRAILING


def _is_lowercase_words(text: str) -> bool:
    letters = [c for c in text if c.isalpha()]
    return bool(letters) and all(c.islower() for c in letters)


def _order_cyrillic(t: list[str]) -> tuple[str | None, str | None, str | None]:
    """(first, middle, last) of a Russian name given in either order."""
    n = [_norm(x) for x in t]
    patr = [not _is_initial(x) and len(x) > 4 and bool(_PATRONYMIC_RE.search(x)) for x in n]
    if len(t) == 3:
        if patr[1] or (_is_initial(t[0]) and _is_initial(t[1])):
            return t[0], t[1], t[2]  # Иван Иванович Иванов / И. И. Иванов
        return t[1], t[2], t[0]  # Иванов Иван Иванович / Иванов И. И. (the register order)
    if len(t) == 2:
        if patr[1]:
            return t[0], t[1], None  # Иван Иванович
        if _is_initial(t[1]) and not _is_initial(t[0]):
            return t[1], None, t[0]  # Иванов И.
        if _is_initial(t[0]):
            return t[0], None, t[1]
        s0, s1 = bool(_SURNAME_RE.search(n[0])), bool(_SURNAME_RE.search(n[1]))
        if s0 != s1:
            return (t[1], None, t[0]) if s0 else (t[0], None, t[1])
        if (n[1] in _RU_GIVEN) != (n[0] in _RU_GIVEN):
            return (t[1], None, t[0]) if n[1] in _RU_GIVEN else (t[0], None, t[1])
        return t[0], None, t[1]
    # four or more: "Мамедов Эльчин Ариф оглы" (a Turkic patronymic written as two words)
    if len(t) > 3 and n[-1] in ("оглы", "кызы", "улы", "уулу"):
        return t[1], " ".join(t[2:]), t[0]
    if len(t) > 3 and patr[2]:
        return t[1], " ".join(t[2:]), t[0]
    if len(t) > 3 and patr[1]:
        return t[0], " ".join(t[1:-1]), t[-1]
    return None, None, None


def _order_latin(t: list[str]) -> tuple[str | None, str | None, str | None]:
    for i in range(1, len(t) - 1):
        if _norm(t[i]) in _PARTICLES:  # "Hans von der Heide", "Ludwig van Beethoven"
            return t[0], " ".join(t[1:i]) or None, " ".join(t[i:])
    if len(t) == 2:
        if _is_initial(t[1]) and not _is_initial(t[0]):
            return t[1], None, t[0]  # "Smith J."
        return t[0], None, t[1]
    if len(t) == 3:
        if _is_initial(t[1]) and _is_initial(t[2]) and not _is_initial(t[0]):
            return t[1], t[2], t[0]  # "Ivanov I. I.", "Smith J. A.": surname first
        return t[0], t[1], t[2]
    if not any(_norm(x) in _CONJUNCTIONS for x in t):  # "Johann Sebastian Carl Bach"
        return t[0], " ".join(t[1:-1]), t[-1]
    return None, None, None  # "María y García López": nameparser knows conjunctions


def _nameparser(t: list[str]) -> tuple[str | None, str | None, str | None]:
    from nameparser import HumanName  # lazy: slow to import, only the hard cases need it

    hn = HumanName(" ".join(t))
    return hn.first or None, hn.middle or None, hn.last or None


def parse_person_name(text: str | None) -> PersonName:
    """Split a person's name into first / middle / last; never raises."""
    if not isinstance(text, str):
        return PersonName("", "", None, None, None, "")
    return _parse(text[:MAX_INPUT])


@lru_cache(maxsize=262_144)
def _parse(raw: str) -> PersonName:
    tokens, addressed = _clean_tokens(raw)
    if not tokens:
        return PersonName(raw, "", None, None, None, "")
    letters = "".join(tokens)
    if letters.isupper() and sum(c.isalpha() for c in letters) > len(tokens):
        tokens = [_smart_title(t) for t in tokens]  # "ИВАНОВ ИВАН" → "Иванов Иван"
    first = middle = last = None
    if len(tokens) == 1:
        if addressed or (_CYR_RE.search(tokens[0]) and _SURNAME_RE.search(_norm(tokens[0]))):
            last = tokens[0]
        else:
            first = tokens[0]
    else:
        russian = _CYR_RE.search(letters) or any(
            len(t) > 4 and _PATRONYMIC_RE.search(_norm(t)) for t in tokens[1:]
        )
        if russian:
            first, middle, last = _order_cyrillic(tokens)
        if first is None and last is None:
            first, middle, last = _order_latin(tokens)
        if first is None and last is None:
            first, middle, last = _nameparser(tokens)
    key = " ".join(_norm(p) for p in (first, last) if p)
    return PersonName(raw, " ".join(tokens), first, middle, last, key)
