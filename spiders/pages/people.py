"""People with their titles: structured data, labelled lines and name/title cards.

Sources, most reliable first:

1. schema.org ``Person`` items (JSON-LD, microdata) with ``jobTitle``/``email``/``telephone``;
2. one line holding both parts: "Генеральный директор — Петров Сергей Николаевич",
   "Петров Сергей Николаевич, генеральный директор", "CEO: Jane Doe",
   "Geschäftsführer: Max Mustermann und Erika Musterfrau", impressum labels
   ("Vertreten durch:", "Inhaber:", "Verantwortlich für den Inhalt nach § 55 Abs. 2 RStV"),
   which may also stand on the line before the names (trafilatura markeich.de impressum);
3. cards: a name line next to a title line (team pages, table rows, lists). Whether the
   title follows or precedes the name is decided once per page, by which order pairs more
   lines (webstruct business pages use both orders).

A person's e-mail and phone are taken from the smallest element around the name that holds
no other person (their card); role mailboxes (info@, sales@) stay with the company. A person
known from structured data without an e-mail gets the one of their card on the same page
(northgate-robotics.co.uk: a JSON-LD Person without ``email``, a "mailto:" on the card).

Site chrome is not a source of people: lines in the menu or page header (``Block.region``)
are skipped, the footer gives only explicitly labelled people ("Geschäftsführer: …"), and a
name/title pair whose name is the site's own name (company, ``<title>`` part, brand) is a
brand next to a menu, not a person (agromash-volga.ru: "Агромаш Поволжье" above its nav).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from lxml import etree

from enrichment import PersonName, TitleInfo, classify_title, normalize_email, normalize_phone
from spiders.pages.emails import find_emails
from spiders.pages.html import Block, element_text
from spiders.pages.namecheck import as_person_name, as_title, company_key
from spiders.pages.phones import find_phones, format_phone
from spiders.pages.structured import text_value

__all__ = ["Candidate", "find_people"]

# A person's card is short: at most this many characters and lines, at most this many levels
# above the name's own line. A page section (a whole contacts page) is not a card.
CARD_TEXT_LIMIT = 400
CARD_BLOCK_LIMIT = 6
CARD_LEVELS = 3


@dataclass(slots=True)
class Candidate:
    name: PersonName
    title: str | None
    info: TitleInfo | None
    element: etree._Element | None = None
    emails: list[str] = field(default_factory=list)
    phones: list[str] = field(default_factory=list)
    decides: bool | None = None  # set for legal representatives named without a title
    pos: int = -1  # line index on the page (structured data: -1), for document order


# Impressum and contact labels that introduce people without being a title themselves:
# label -> is the person a decision maker (legal representatives under § 5 DDG are).
_LABELS = (
    (re.compile(r"^(?:vertreten durch|vertretungsberechtigt\w*|gesetzlich vertreten durch|"
                r"represented by)(?:\s+(?:den|die|der|das))?", re.I), True),
    (re.compile(r"^(?:verantwortlich\b.*|v\.?\s?i\.?\s?s\.?\s?d\.?\s?p\.?|inhaltlich verantwortlich"
                r".*|responsible for (?:the )?content.*)$", re.I), None),
    (re.compile(r"^(?:ansprechpartner(?:in)?|contact person|контактное лицо)$", re.I), None),
)  # fmt: skip
_SEP_RE = re.compile(r"\s*(?:[:—–\ufffd]|\s-\s)\s*")  # U+FFFD: a dash lost to a bad charset
_NAME_SPLIT_RE = re.compile(r"\s*(?:,|;|\s+und\s+|\s+and\s+|\s+&\s+|\s+и\s+)\s*")
_PAREN_RE = re.compile(r"^(.+?)\s*\(([^()]+)\)$")


def _label(text: str) -> tuple[str | None, TitleInfo | None, bool | None] | None:
    """(title, info, decides) when ``text`` is a title or a people-introducing label."""
    text = text.strip(" :-–—")
    info = as_title(text)
    if info is not None:
        return info.title, info, info.is_decision_maker
    for pattern, decides in _LABELS:
        m = pattern.match(text)
        if m:
            rest = text[m.end() :].strip()
            inner = as_title(rest) if rest else None
            if inner is not None:  # "Vertreten durch den Geschäftsführer"
                return inner.title, inner, inner.is_decision_maker
            return None, None, decides
    return None


def _names(text: str) -> list[PersonName]:
    """Every name of "Max Mustermann und Erika Musterfrau"; [] if any part is not a name."""
    parts = [p for p in _NAME_SPLIT_RE.split(text.strip(" .;")) if p]
    names = [as_person_name(p) for p in parts]
    if not names or any(n is None for n in names):
        one = as_person_name(text)  # "Michelle Babb, MS, RD" has commas and is one name
        return [one] if one else []
    return names  # type: ignore[return-value]


def _candidate(name: PersonName, label, element) -> Candidate:
    title, info, decides = label if label else (None, None, None)
    return Candidate(name, title, info, element, decides=decides)


def _one_line(block: Block) -> list[Candidate]:
    text = block.text
    if len(text) > 200:
        return []
    parts = _SEP_RE.split(text, maxsplit=1)
    if len(parts) == 2 and parts[0] and parts[1]:
        left, right = parts
        label = _label(left)
        if label is not None:
            names = _names(right)
            if names:
                return [_candidate(n, label, block.element) for n in names]
        name = as_person_name(left)
        info = as_title(right)
        if name and info:  # "Jane Doe – CEO"
            return [_candidate(name, (info.title, info, info.is_decision_maker), block.element)]
    if "," in text:  # "Петров Сергей Николаевич, генеральный директор"
        left, _, right = text.partition(",")
        name, info = as_person_name(left), as_title(right)
        if name and info:
            return [_candidate(name, (info.title, info, info.is_decision_maker), block.element)]
    m = _PAREN_RE.match(text)  # "Max Mustermann (Geschäftsführer)"
    if m:
        name, info = as_person_name(m.group(1)), as_title(m.group(2))
        if name and info:
            return [_candidate(name, (info.title, info, info.is_decision_maker), block.element)]
    words = text.split()
    if 3 <= len(words) <= 9:  # "Генеральный директор Петров Сергей Николаевич"
        for k in (4, 3, 2):
            if len(words) - k < 1:
                continue
            info, name = as_title(" ".join(words[:-k])), as_person_name(" ".join(words[-k:]))
            if info and name:
                return [_candidate(name, (info.title, info, info.is_decision_maker), block.element)]
    return []


def _pairs(blocks: list[Block], used: set[int], step: int) -> list[tuple[int, int]]:
    """(name index, title index) pairs with the title ``step`` lines after the name."""
    out = []
    for i, block in enumerate(blocks):
        j = i + step
        if i in used or not 0 <= j < len(blocks) or j in used:
            continue
        if as_person_name(block.text) is None:
            continue
        if as_title(blocks[j].text) is None or as_person_name(blocks[j].text) is not None:
            continue
        out.append((i, j))
    return out


def _cards(blocks: list[Block], used: set[int]) -> list[Candidate]:
    after, before = _pairs(blocks, used, 1), _pairs(blocks, used, -1)
    chosen = after if len(after) >= len(before) else before
    out = []
    taken: set[int] = set()
    for i, j in chosen:
        if i in taken or j in taken:
            continue
        taken.update((i, j))
        info = as_title(blocks[j].text)
        name = as_person_name(blocks[i].text)
        if info and name:
            cand = _candidate(name, (info.title, info, info.is_decision_maker), blocks[i].element)
            cand.pos = i
            out.append(cand)
    return out


def _label_then_names(blocks: list[Block], used: set[int]) -> list[Candidate]:
    """ "Geschäftsführer:" / "Vertreten durch:" on one line, the names on the next."""
    out = []
    for i in range(len(blocks) - 1):
        text = blocks[i].text
        if i in used or len(text) > 120:
            continue
        label = _label(text)
        if label is None:
            continue
        if not (text.rstrip().endswith(":") or label[1] is None):
            continue  # a bare title line before a name is a card: _cards decides the order
        names = _names(blocks[i + 1].text)
        if names:
            used.update((i, i + 1))
            for n in names:
                cand = _candidate(n, label, blocks[i + 1].element)
                cand.pos = i + 1
                out.append(cand)
    return out


def _structured(persons: list[dict], region: str | None) -> list[Candidate]:
    out = []
    for item in persons:
        raw = text_value(item.get("name"))
        if not raw:
            given, family = text_value(item.get("givenName")), text_value(item.get("familyName"))
            raw = f"{given} {family}" if given and family else None
        name = as_person_name(raw) if raw else None
        if name is None:
            continue
        title = text_value(item.get("jobTitle"))
        info = classify_title(title) if title else None
        cand = Candidate(name, title, info, None)
        for value in _values(item.get("email")):
            email = normalize_email(value)
            if email.valid and email.address:
                cand.emails.append(email.address)
        for value in _values(item.get("telephone")):
            phone = normalize_phone(value, region)
            if phone.valid and phone.e164:
                cand.phones.append(format_phone(phone.e164, phone.extension))
        out.append(cand)
    return out


def _values(value) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, list):
        return [v for v in value if isinstance(v, str)]
    return []


def _card_contacts(cands: list[Candidate], region: str | None) -> None:
    """Fill each text-found person's e-mails and phones from their own card."""
    anchors = [c.element for c in cands]
    ancestry = [set(el.iterancestors()) | {el} if el is not None else set() for el in anchors]
    for idx, cand in enumerate(cands):
        el = cand.element
        if el is None or (cand.emails and cand.phones):
            continue
        others = set().union(
            *(a for k, a in enumerate(ancestry) if k != idx and cands[k].name.key != cand.name.key)
        )
        card = None
        node = el
        for _ in range(CARD_LEVELS + 1):
            if node is None or node in others or node.tag in ("body", "html"):
                break
            blocks = element_text(node)
            if sum(len(b.text) for b in blocks) > CARD_TEXT_LIMIT or len(blocks) > CARD_BLOCK_LIMIT:
                break
            card = (node, blocks)
            if node.get("itemscope") is not None:
                break  # a schema.org item (a microdata Person) is the card: its parent is not
            node = node.getparent()
        if card is None:
            continue
        node, blocks = card
        if not cand.emails:
            for address in find_emails(node, blocks):
                if not normalize_email(address).is_role:
                    cand.emails.append(address)
        if not cand.phones:
            cand.phones.extend(find_phones(node, blocks, region))


def _fine(blocks: list[Block], used: set[int]) -> list[tuple[int, Block]]:
    """Lines for pairing: a line made of inline pieces ("<span>Title</span><b>Name</b>")
    is split into its pieces when one piece is a name and the whole line is not; lines a
    one-line rule consumed stay as empty placeholders so that adjacency is kept."""
    out: list[tuple[int, Block]] = []
    for i, block in enumerate(blocks):
        if i in used:
            out.append((i, Block("", block.element)))
        elif (
            block.segments
            and len(block.text) <= 300
            and as_person_name(block.text) is None
            and any(as_person_name(seg) is not None for seg in block.segments)
        ):
            out.extend((i, Block(seg, block.element)) for seg in block.segments)
        else:
            out.append((i, block))
    return out


# Regions whose lines name no person at all; the footer only by an explicit label on a line.
_NO_PEOPLE_REGIONS = frozenset({"nav", "header"})


def _chrome(blocks: list[Block]) -> tuple[set[int], set[int]]:
    """(lines to skip entirely, footer lines that only a one-line label rule may read)."""
    skip, footer = set(), set()
    for i, block in enumerate(blocks):
        if block.region in _NO_PEOPLE_REGIONS:
            skip.add(i)
        elif block.region == "footer":
            footer.add(i)
    return skip, footer


def find_people(
    blocks: list[Block], persons: list[dict], region: str | None, site_names: tuple[str, ...] = ()
) -> list[Candidate]:
    """People of a page, deduplicated by name key, in document order.

    ``site_names`` are the site's own names (company name, ``<title>`` parts, og:site_name):
    a name equal to one of them is kept only with an explicit title on its own line.
    """
    found = _structured(persons, region)
    skip, footer = _chrome(blocks)
    own = {company_key(n) for n in site_names if n} - {""}
    used: set[int] = set(skip)
    for i, block in enumerate(blocks):
        if i in skip:
            continue
        line = _one_line(block)
        for cand in line:
            cand.pos = i
            used.add(i)
        found.extend(line)
    used |= footer  # footer lines pair with nothing: cards there are links and addresses
    fine = _fine(blocks, used)
    fine_blocks = [b for _, b in fine]
    fine_used: set[int] = set()
    for k, block in enumerate(fine_blocks):
        if block.text and fine[k][1] is not blocks[fine[k][0]]:  # a piece of a line
            line = _one_line(block)
            for cand in line:
                cand.pos = fine[k][0]
                fine_used.add(k)
            found.extend(line)
    for cand in _label_then_names(fine_blocks, fine_used) + _cards(fine_blocks, fine_used):
        cand.pos = fine[cand.pos][0] if cand.pos >= 0 else -1
        if company_key(cand.name.full) in own:
            continue  # the brand line above a menu, "Агромаш Поволжье" + "Главная …"
        found.append(cand)
    found.sort(key=lambda c: c.pos)
    merged: dict[str, Candidate] = {}
    for cand in found:
        key = cand.name.key
        if key not in merged:
            merged[key] = cand
        else:
            first = merged[key]
            if first.title is None and cand.title:
                first.title, first.info = cand.title, cand.info
            if first.element is None:  # structured data first: the card gives the contacts
                first.element = cand.element
    people = list(merged.values())
    _card_contacts([c for c in people if c.element is not None], region)
    return people
