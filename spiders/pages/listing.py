"""Directory, member-list and exhibitor-catalogue pages: the companies listed and further pages.

``parse_listing(html, url, hints)`` finds the companies of one list page in this order:

1. the source's ``[list]`` hints (CSS or XPath), when they name an item selector;
2. schema.org data (JSON-LD, microdata, RDFa via extruct): an ``ItemList`` of organisations,
   or two or more ``Organization`` / ``LocalBusiness`` (and subtypes) nodes;
3. repeated blocks: the group of elements sharing one tag+class path (>= 3 of them) that
   looks most like a list of companies (see :func:`_score_group` for the score).

``parse_detail(html, url, hints)`` reads one company's page on the directory site.
Everything here is pure (no Scrapy, no I/O) and never raises on odd HTML: it returns empty
results instead.  Field extraction shared with the detail page lives in ``_block_fields``.
"""

from __future__ import annotations

import math
import re
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any
from urllib.parse import parse_qsl, urljoin, urlsplit, urlunsplit

import extruct
from lxml import etree
from parsel import Selector, css2xpath
from w3lib.html import get_base_url

from enrichment import normalize_company_name, registrable_domain

__all__ = ["ListedCompany", "ListingHints", "ListingPage", "parse_detail", "parse_listing"]

MAX_HTML = 8_000_000  # characters; bigger inputs are cut (a listing page is far smaller)


@dataclass(frozen=True, slots=True)
class ListingHints:
    """Selectors from a source definition's ``[list]`` / ``[detail]`` TOML tables.

    A selector is XPath when it starts with ``/``, ``(``, ``./`` or ``..``, CSS otherwise
    (with parsel's ``::text`` and ``::attr(name)``).  ``fields`` are relative to the item;
    the keys ``name``, ``url`` and ``website`` fill the dedicated ``ListedCompany`` slots.
    """

    item: str | None = None
    fields: Mapping[str, str] = field(default_factory=dict)
    next_page: str | None = None
    detail_link: str | None = None
    load_more: str | None = None

    @classmethod
    def from_dict(cls, data: Mapping[str, Any], *, where: str = "") -> ListingHints:
        """Validated hints; ``ValueError`` names ``where`` and the offending key."""
        at = f"{where}: " if where else ""
        if not isinstance(data, Mapping):
            raise ValueError(f"{at}listing hints must be a table, got {type(data).__name__}")
        known = {"item", "fields", "next_page", "detail_link", "load_more"}
        unknown = sorted(str(k) for k in data if k not in known)
        if unknown:
            raise ValueError(f"{at}unknown key(s) {unknown}; expected some of {sorted(known)}")
        values: dict[str, Any] = {}
        for key in ("item", "next_page", "detail_link", "load_more"):
            if data.get(key) is not None:
                values[key] = check_selector(data[key], f"{at}{key}")
        raw_fields = data.get("fields", {})
        if not isinstance(raw_fields, Mapping):
            raise ValueError(f"{at}fields must be a table of field = selector")
        fields = {}
        for name, query in raw_fields.items():
            if not isinstance(name, str) or not re.fullmatch(r"[a-z][a-z0-9_]*", name):
                raise ValueError(f"{at}fields: bad field name {name!r} (use lower_snake_case)")
            fields[name] = check_selector(query, f"{at}fields.{name}")
        if fields and "item" not in values:
            raise ValueError(f"{at}fields need an item selector (they are relative to it)")
        return cls(fields=MappingProxyType(fields), **values)

    def __reduce__(self):  # picklable for the page-reading worker processes
        return (
            _rebuild_hints,
            (self.item, dict(self.fields), self.next_page, self.detail_link, self.load_more),
        )


def _rebuild_hints(item, fields, next_page, detail_link, load_more) -> ListingHints:
    return ListingHints(item, MappingProxyType(fields), next_page, detail_link, load_more)


@dataclass(slots=True)
class ListedCompany:
    name: str | None
    url: str | None
    website: str | None
    fields: dict[str, str | list[str]]
    locator: str


@dataclass(slots=True)
class ListingPage:
    items: list[ListedCompany]
    next_pages: list[str]
    #: Where the entries were found when no hints and no structured data said so: pass it
    #: back for the next pages of the same list (``parse_listing(block_path=…)``).
    block_path: str | None = None


# --- selectors -------------------------------------------------------------------------------


def is_xpath(query: str) -> bool:
    return query.lstrip().startswith(("/", "(", "./", ".."))


def check_selector(query: Any, where: str) -> str:
    """The selector itself if it compiles (CSS via parsel's translator, XPath via lxml)."""
    if not isinstance(query, str) or not query.strip():
        raise ValueError(f"{where}: selector must be a non-empty string, got {query!r}")
    try:
        etree.XPath(query) if is_xpath(query) else css2xpath(query)
    except Exception as exc:  # cssselect.SelectorError, lxml.etree.XPathSyntaxError
        kind = "XPath" if is_xpath(query) else "CSS"
        raise ValueError(f"{where}: invalid {kind} selector {query!r}: {exc}") from None
    return query


def _select(sel: Selector, query: str) -> list[Selector]:
    try:
        return list(sel.xpath(query) if is_xpath(query) else sel.css(query))
    except Exception:  # a selector valid in isolation may still fail on evaluation
        return []


def norm(text: Any) -> str:
    return " ".join(text.split()) if isinstance(text, str) else ""


def _text(el: Any) -> str:
    return norm(" ".join(el.itertext())) if isinstance(getattr(el, "tag", None), str) else ""


def _values(sel: Selector, query: str) -> list[str]:
    """Whitespace-normalized texts of a selector's matches (an element gives its text)."""
    out = []
    for match in _select(sel, query):
        root = match.root
        value = norm(str(root)) if isinstance(root, str) else _text(root)
        if value and value not in out:
            out.append(value)
    return out


def _hrefs(sel: Selector, query: str) -> list[str]:
    out = []
    for match in _select(sel, query):
        root = match.root
        if isinstance(root, str):
            out.append(root.strip())
        elif isinstance(getattr(root, "tag", None), str):
            href = _link_target(root)
            if href:
                out.append(href)
    return out


def _link_target(el: Any) -> str | None:
    for attr in ("href", "data-href", "data-url", "data-next", "data-next-url"):
        value = (el.get(attr) or "").strip()
        if value and value != "#":
            return value
    return None


# --- URLs and sites --------------------------------------------------------------------------

# Profiles, share buttons and maps are not a company's own site (registrable domains).
SOCIAL_DOMAINS = frozenset(
    "facebook.com fb.com instagram.com twitter.com x.com linkedin.com youtube.com youtu.be "
    "vk.com vkontakte.ru ok.ru t.me telegram.me telegram.org xing.com tiktok.com pinterest.com "
    "wa.me whatsapp.com dzen.ru rutube.ru tenchat.ru threads.net goo.gl 2gis.ru 2gis.com "
    "google.com yandex.ru yandex.com".split()
)


def absolute(base: str, href: Any) -> str | None:
    """Absolute http(s) URL of a link without its fragment, or None (mailto:, js, garbage)."""
    if not isinstance(href, str):
        return None
    href = href.strip()
    if not href or href.startswith("#") or len(href) > 2048:
        return None
    try:
        parts = urlsplit(urljoin(base, href))
    except ValueError:
        return None
    if parts.scheme not in ("http", "https") or not parts.netloc:
        return None
    return urlunsplit(parts._replace(fragment=""))


def is_external_site(link: str | None, page_domain: str | None) -> bool:
    """A company's own site: another registrable domain, not a social network or a map."""
    domain = registrable_domain(link) if link else None
    return bool(domain) and domain != page_domain and domain not in SOCIAL_DOMAINS


def unwrap_redirect(link: str, page_domain: str | None) -> str | None:
    """``/go?url=https://acme.de`` style outbound links of directories: the target."""
    for _key, value in parse_qsl(urlsplit(link).query):
        if value.startswith(("http://", "https://")) and is_external_site(value, page_domain):
            return value
    return None


@dataclass(slots=True)
class _Page:
    doc: Selector
    base: str
    url: str
    domain: str | None
    html: str


def _page(html: Any, url: str) -> _Page | None:
    if not isinstance(html, str) or not html.strip() or not isinstance(url, str):
        return None
    html = html[:MAX_HTML]
    try:
        doc = Selector(text=html, base_url=url)
        base = get_base_url(html, url)
    except Exception:
        return None
    if not isinstance(getattr(doc.root, "tag", None), str):
        return None
    etree.strip_elements(doc.root, "script", "style", "noscript", "template", with_tail=False)
    return _Page(doc, base, url, registrable_domain(url), html)


# --- schema.org structured data (extruct) ----------------------------------------------------

# schema.org Organization and LocalBusiness subtypes met on directory pages
# (https://schema.org/Organization#subtypes, https://schema.org/LocalBusiness#subtypes);
# any other type ending in one of _ORG_SUFFIXES counts too ("HVACBusiness", "ShoeStore").
_ORG_TYPES = frozenset(
    "Organization Corporation LocalBusiness NGO OnlineBusiness OnlineStore Airline Consortium "
    "EducationalOrganization GovernmentOrganization MedicalOrganization SportsOrganization "
    "NewsMediaOrganization ResearchOrganization LibrarySystem Cooperative WorkersUnion "
    "ProfessionalService LegalService Attorney Notary FinancialService AccountingService "
    "EmploymentAgency RealEstateAgent TravelAgency Dentist Physician Pharmacy Restaurant Hotel "
    "FoodEstablishment LodgingBusiness ChildCare DryCleaningOrLaundry InternetCafe "
    "ShoppingCenter SelfStorage RadioStation TelevisionStation Brewery Winery Distillery".split()
)
_ORG_SUFFIXES = ("Organization", "Business", "Store", "Service", "Agency", "Contractor")
# Properties whose organisation is not the page's subject (the site's owner, a brand...).
_NOT_SUBJECT = frozenset(
    "publisher provider author creator copyrightHolder sourceOrganization parentOrganization "
    "subOrganization memberOf brand manufacturer seller funder sponsor organizer".split()
)
# schema.org property -> our field name
_SD_FIELDS = {
    "telephone": "phone", "email": "email", "faxNumber": "fax", "foundingDate": "founding_date",
    "description": "description", "legalName": "legal_name", "alternateName": "alternate_name",
    "vatID": "vat", "taxID": "tax_id", "duns": "duns", "leiCode": "lei", "naics": "naics",
    "isicV4": "isic", "numberOfEmployees": "employees", "knowsAbout": "categories",
}  # fmt: skip


def _type_names(node: Mapping) -> list[str]:
    types = node.get("@type")
    types = types if isinstance(types, list) else [types]
    return [re.split(r"[/:#]", t)[-1] for t in types if isinstance(t, str)]


def _is_org(node: Any) -> bool:
    return isinstance(node, Mapping) and any(
        t in _ORG_TYPES or t.endswith(_ORG_SUFFIXES) for t in _type_names(node)
    )


def _rdfa_compact(graph: list) -> list[dict]:
    """extruct's expanded RDFa graph as compact nested dicts (one level of blank nodes)."""

    def key(k: str) -> str:
        return re.split(r"[/#]", k)[-1] if k.startswith("http") else k

    nodes = {n.get("@id"): n for n in graph if isinstance(n, dict)}
    referenced, out = set(), {}
    for node_id, node in nodes.items():
        compact: dict[str, Any] = {"@type": node.get("@type", [])}
        for prop, values in node.items():
            if prop.startswith("@") or not isinstance(values, list):
                continue
            vals = []
            for v in values:
                if isinstance(v, dict) and "@value" in v:
                    vals.append(v["@value"])
                elif isinstance(v, dict) and v.get("@id") in nodes and v["@id"] != node_id:
                    vals.append(v["@id"])
                    referenced.add(v["@id"])
                elif isinstance(v, dict) and "@id" in v:
                    vals.append(v["@id"])
            compact[key(prop)] = vals[0] if len(vals) == 1 else vals
        out[node_id] = compact
    for compact in out.values():  # inline referenced nodes (one level, no cycles)
        for prop, value in list(compact.items()):
            if isinstance(value, str) and value in referenced and prop != "@type":
                compact[prop] = dict(out[value])
    return [c for i, c in out.items() if i not in referenced]


def _structured(page: _Page) -> list[tuple[str, Any]]:
    """(syntax, top-level node) pairs from JSON-LD (with @graph), microdata and RDFa.

    Only the syntaxes the page shows a marker of are parsed (RDFa types need ``typeof``;
    extruct's RDFa parser, rdflib, is by far the slowest part of a page without any)."""
    lowered = page.html.lower()
    syntaxes = [
        syntax
        for syntax, marker in (
            ("json-ld", "application/ld+json"),
            ("microdata", "itemscope"),
            ("rdfa", "typeof"),
        )
        if marker in lowered
    ]
    if not syntaxes:
        return []
    try:
        data = extruct.extract(
            page.html,
            base_url=page.base,
            syntaxes=syntaxes,
            uniform=True,
            errors="ignore",
        )
    except Exception:  # extruct/lxml/rdflib on garbage
        return []
    out: list[tuple[str, Any]] = []
    for node in data.get("json-ld") or []:
        graph = node.get("@graph") if isinstance(node, dict) else None
        out += [("ld+json", n) for n in (graph if isinstance(graph, list) else [node])]
    out += [("microdata", n) for n in data.get("microdata") or []]
    out += [("rdfa", n) for n in _rdfa_compact(data.get("rdfa") or [])]
    return out


def _walk_orgs(node: Any, depth: int = 0):
    """Organisation nodes under ``node`` that are a page's subject (not its publisher...)."""
    if depth > 8:
        return
    if isinstance(node, list):
        for n in node:
            yield from _walk_orgs(n, depth + 1)
    elif isinstance(node, Mapping):
        if _is_org(node):
            yield node
            return
        for prop, value in node.items():
            if prop not in _NOT_SUBJECT and isinstance(value, (list, Mapping)):
                yield from _walk_orgs(value, depth + 1)


def _sd_texts(value: Any) -> list[str]:
    values = value if isinstance(value, list) else [value]
    out = []
    for v in values:
        if isinstance(v, Mapping):
            v = v.get("@value", v.get("name", v.get("value")))
            if isinstance(v, Mapping) or v is None:
                continue
        if isinstance(v, (int, float)) and not isinstance(v, bool):
            v = str(v)
        text = norm(v)
        if text and text not in out:
            out.append(text)
    return out


def _sd_text(value: Any) -> str | None:
    texts = _sd_texts(value)
    return texts[0] if texts else None


def _address_fields(address: Any) -> dict[str, str]:
    if isinstance(address, list):
        address = address[0] if address else None
    if not isinstance(address, Mapping):
        text = _sd_text(address)
        return {"address": text} if text else {}
    parts = {
        k: _sd_text(address.get(k))
        for k in (
            "streetAddress",
            "postalCode",
            "addressLocality",
            "addressRegion",
            "addressCountry",
        )
    }
    out = {"address": ", ".join(v for v in parts.values() if v)}
    for prop, name in (
        ("addressLocality", "city"),
        ("addressCountry", "country"),
        ("postalCode", "postal_code"),
        ("addressRegion", "region"),
    ):
        if parts[prop]:
            out[name] = parts[prop]
    return {k: v for k, v in out.items() if v}


def _company_from_org(node: Mapping, page: _Page, locator: str) -> ListedCompany:
    links = [absolute(page.base, u) for u in _sd_texts(node.get("url"))]
    links += [absolute(page.base, u) for u in _sd_texts(node.get("sameAs"))]
    links = [u for u in links if u]
    own = next((u for u in links if is_external_site(u, page.domain)), None)
    detail = next((u for u in links if registrable_domain(u) == page.domain), None)
    node_id = _sd_text(node.get("@id"))
    if detail is None and node_id and registrable_domain(node_id) == page.domain:
        detail = absolute(page.base, node_id)
    fields: dict[str, str | list[str]] = _address_fields(node.get("address"))
    for prop, name in _SD_FIELDS.items():
        texts = _sd_texts(node.get(prop))
        if prop == "email":
            texts = [t.removeprefix("mailto:") for t in texts]
        if texts:
            fields[name] = texts if name == "categories" else texts[0]
    social = [u for u in links if registrable_domain(u) in SOCIAL_DOMAINS]
    if social:
        fields["social"] = social
    return ListedCompany(_sd_text(node.get("name")), detail, own, fields, locator)


def items_from_structured(page: _Page) -> list[ListedCompany]:
    """An ItemList of organisations, else >= 2 organisation nodes (one is the site's owner)."""
    nodes = _structured(page)
    items: list[ListedCompany] = []
    for syntax, node in nodes:
        if not isinstance(node, Mapping) or "ItemList" not in _type_names(node):
            continue
        elements = node.get("itemListElement")
        for i, element in enumerate(elements if isinstance(elements, list) else [elements]):
            entry = element.get("item", element) if isinstance(element, Mapping) else element
            locator = f"{syntax} ItemList[{i}]"
            if _is_org(entry):
                items.append(_company_from_org(entry, page, locator))
            elif (
                isinstance(element, Mapping)
                and not _type_names(entry or {})
                or isinstance(entry, str)
            ):  # untyped ListItem {name, url} or a bare URL
                url = _sd_text(entry if isinstance(entry, str) else element.get("url"))
                name = _sd_text(element.get("name"))
                if url or name:
                    items.append(ListedCompany(name, absolute(page.base, url), None, {}, locator))
    if items:
        return items
    count: dict[str, int] = defaultdict(int)
    for syntax, node in nodes:
        for org in _walk_orgs(node):
            kind = _type_names(org)[0] if _type_names(org) else "Organization"
            items.append(_company_from_org(org, page, f"{syntax} {kind}[{count[syntax]}]"))
            count[syntax] += 1
    site_home = {absolute(page.base, "/"), absolute(page.base, "/").rstrip("/")}
    items = [c for c in items if c.name and c.url not in site_home]  # the directory itself
    return items if len(items) >= 2 else []


# --- labels: "Телефон: …", <th>Stand</th>, <dt>Webseite</dt> -> our field names ---------------

# Label words seen on RU/DE/EN directory and exhibitor pages (e.g. the Milipol and Enforce Tac
# catalogues summarised in tests/fixtures/listing/SOURCES.md, Bitrix company cards, Wer liefert
# was / Gelbe Seiten style entries), folded: casefold, no trailing ".:" / "№" / "no".
_LABELS = {
    "name": "company|company name|name|firma|firmenname|unternehmen|aussteller|exhibitor|member"
            "|organisation|organization|компания|организация|наименование|название|участник"
            "|экспонент|фирма",
    "country": "country|land|страна",
    "city": "city|town|stadt|ort|город|населенный пункт",
    "address": "address|adresse|anschrift|street|адрес|юридический адрес|фактический адрес"
               "|почтовый адрес|location|standort",
    "phone": "phone|telephone|tel|telefon|fon|phone number|телефон|тел|контактный телефон",
    "fax": "fax|telefax|факс",
    "email": "e-mail|email|mail|e-mail address|почта|эл почта|электронная почта|e-mail-adresse",
    "website": "website|web|www|homepage|internet|webseite|web site|url|сайт|веб-сайт",
    "booth": "booth|stand|стенд|standnummer|stand number|booth number|номер стенда",
    "hall": "hall|halle|павильон|зал|pavilion",
    "categories": "categories|category|kategorie|kategorien|branche|branchen|industry|industries"
                  "|sector|sectors|отрасль|категория|категории|рубрика|рубрики|направление"
                  "|направления|вид деятельности|сфера деятельности|tätigkeitsbereich",
    "products": "products|produkte|продукция|товары|products and services",
    "description": "description|beschreibung|описание|о компании|about|profile|profil",
    "inn": "инн|inn",
    "kpp": "кпп|kpp",
    "ogrn": "огрн|ogrn|огрнип",
    "vat": "vat|vat id|vat number|ust-idnr|ust-id|ust-id-nr|umsatzsteuer-id|ust idnr",
    "contact_person": "contact person|contact|ansprechpartner|контактное лицо|контакт",
    "founding_date": "founded|gegründet|год основания|дата регистрации|основана|year founded",
}  # fmt: skip
_LABEL_TO_FIELD = {w: f for f, words in _LABELS.items() for w in words.split("|")}
_LIST_FIELDS = frozenset({"categories", "products", "social"})


def _fold_label(text: str) -> str:
    text = norm(text).casefold().replace("ё", "е").strip(" :：.-–—*")
    return norm(re.sub(r"\s*(?:№|no\.?|nr\.?|#)$", "", text).replace(".", " "))


def label_field(text: str) -> str | None:
    """Our field name for a label text ("Тел.:" -> "phone", "PLZ / Ort" -> "city"), or None."""
    if len(text) > 40:
        return None
    folded = _fold_label(text)
    found = _LABEL_TO_FIELD.get(folded)
    for part in reversed(re.split(r"\s*[/,|]\s*", folded)) if found is None else ():
        found = found or _LABEL_TO_FIELD.get(part)
    return found


# Inline "Halle 4, Stand 4-310" / "Павильон 2, стенд B14" / "Hall 5 / Booth 5C21".
_BOOTH_RE = re.compile(
    r"\b(?:stand|booth|стенд)\b\.?\s*(?:no\.?|nr\.?|№|#)?\s*[:：]?\s*([A-ZА-Я]?\d[\w./-]*)", re.I
)
_HALL_RE = re.compile(
    r"\b(?i:hall|halle|павильон|pavilion)\b\.?\s*(?i:no\.?|nr\.?|№|#)?\s*[:：]?\s*"
    r"(\d[\w.-]*|[A-ZА-Я]{1,2}\d*)\b"
)
_LINE_BREAKS = frozenset(
    "br p div li tr td th dd dt h1 h2 h3 h4 h5 h6 address section article table ul ol dl "
    "header footer blockquote figcaption".split()
)


def _lines(el: Any) -> list[str]:
    """Text lines of an element: breaks at block-level elements, cells and <br>."""
    parts: list[str] = []
    try:
        walker = etree.iterwalk(el, events=("start", "end"))
        for event, node in walker:
            tag = node.tag if isinstance(node.tag, str) else ""
            if event == "start":
                if tag in _LINE_BREAKS:
                    parts.append("\n")
                if tag and node.text:
                    parts.append(node.text)
            else:
                if tag in _LINE_BREAKS:
                    parts.append("\n")
                if node is not el and node.tail:
                    parts.append(node.tail)
    except Exception:
        return []
    return [line for line in (norm(x) for x in "".join(parts).split("\n")) if line]


def _put(fields: dict, name: str, value: str | list[str]) -> None:
    """First value wins; list fields collect."""
    values = value if isinstance(value, list) else [value]
    values = [norm(v) for v in values if norm(v)]
    if not values:
        return
    if name in _LIST_FIELDS:
        old = fields.get(name, [])
        old = old if isinstance(old, list) else [old]
        fields[name] = old + [v for v in values if v not in old]
    elif name not in fields:
        fields[name] = values[0]


def _class_words(el: Any) -> set[str]:
    tokens = f"{el.get('class') or ''} {el.get('id') or ''} {el.get('itemprop') or ''}"
    return {w for w in re.split(r"[\s_-]+", tokens.casefold()) if w}


# class/itemprop words that name a field (microformats h-card: p-locality, p-country-name, ...)
_CLASS_FIELDS = {
    "country": "country", "locality": "city", "city": "city", "address": "address",
    "adr": "address", "street": "address", "streetaddress": "address", "phone": "phone",
    "tel": "phone", "telephone": "phone", "email": "email", "booth": "booth", "stand": "booth",
    "hall": "hall", "description": "description", "desc": "description", "summary": "description",
    "category": "categories", "categories": "categories", "tags": "categories", "tag": "categories",
    "sector": "categories", "industry": "categories", "inn": "inn",
}  # fmt: skip


def _block_fields(el: Any, name: str | None) -> dict[str, str | list[str]]:
    """Fields of one block: tel:/mailto: links, field-named classes, label pairs, booth/hall."""
    fields: dict[str, str | list[str]] = {}
    for a in el.iter("a"):
        href = (a.get("href") or "").strip()
        if href.lower().startswith("tel:"):
            _put(fields, "phone", href[4:].replace("%20", " "))
        elif href.lower().startswith("mailto:"):
            _put(fields, "email", href[7:].split("?")[0])
    for node in el.iter():
        if not isinstance(node.tag, str) or node is el:
            continue
        words = _class_words(node)
        names = [_CLASS_FIELDS[w] for w in sorted(words) if w in _CLASS_FIELDS]
        if names and not words & {"label", "title", "icon"}:
            text = _text(node)
            label, _, rest = text.partition(":")
            if rest and label_field(label):
                text = rest
            if names[0] == "categories":
                _put(fields, "categories", [_text(li) for li in node.iter("li")] or text)
            elif text and text != name:
                _put(fields, names[0], text)
    for dt in el.iter("dt", "th"):
        target = dt.getnext()
        field_name = label_field(_text(dt))
        if field_name and target is not None and target.tag in ("dd", "td"):
            _put(fields, field_name, _text(target))
    lines = _lines(el)
    for i, line in enumerate(lines):
        label, sep, value = line.partition(":")
        field_name = label_field(label) if sep else None
        if field_name and value.strip():
            _put(fields, field_name, value)
        elif field_name and i + 1 < len(lines) and not label_field(lines[i + 1].rstrip(":")):
            _put(fields, field_name, lines[i + 1])  # "Телефон:" <br> "+7 …"
    rest = " ".join(line for line in lines if line != name)
    if "booth" not in fields and (m := _BOOTH_RE.search(rest)):
        fields["booth"] = m.group(1).rstrip(".,;")
    if "hall" not in fields and (m := _HALL_RE.search(rest)):
        fields["hall"] = m.group(1).rstrip(".,;")
    fields.pop("name", None)
    return fields


# --- repeated blocks -------------------------------------------------------------------------

_BLOCK_TAGS = ("li", "tr", "div", "article", "section", "a", "dl")
_HEADINGS = frozenset("h1 h2 h3 h4 h5 h6".split())
# Page furniture that repeats too: menus, pagers, breadcrumbs, footers (tags, ARIA roles and
# class/id words of Bootstrap, WordPress and Bitrix templates).
_SKIP_TAGS = frozenset("nav header footer aside menu select".split())
_SKIP_ROLES = frozenset("navigation menu menubar banner contentinfo tablist".split())
_SKIP_WORDS = frozenset(
    "nav navbar navigation menu submenu megamenu dropdown breadcrumb breadcrumbs pagination "
    "pager paging pagenavi footer header sidebar topbar toolbar cookie cookies".split()
)
_STATE_CLASS = re.compile(
    r"^(?:odd|even|first|last|active|current|selected|open|is-.*|js-.*"
    r"|.*\d{3,}.*)$"
)
_NAME_WORDS = frozenset(
    "name title company firm firma org organisation organization exhibitor heading brand".split()
)
# Link texts that are buttons, not names ("More", "Подробнее", "Mehr erfahren").
_GENERIC = frozenset(
    "more|read more|details|detail|view|view profile|profile|show|info|more info|learn more"
    "|подробнее|подробно|читать далее|перейти|профиль|смотреть|карточка|сайт|mehr"
    "|mehr erfahren|weiterlesen|details ansehen|zum profil|profil|website|webseite|homepage"
    "|visit website".split("|")
)
_URLISH = re.compile(r"^(?:https?://|www\.)|^[\w.-]+\.[a-z]{2,}/?$|@|^[+\d\s()./-]{6,}$", re.I)
_LEGAL_FORM_WEIGHT = 1.0


def _main_class(el: Any) -> str:
    for token in (el.get("class") or "").split():
        if not _STATE_CLASS.match(token.casefold()):
            return token
    return ""


def _furniture(el: Any) -> bool:
    for node in [el, *el.iterancestors()]:
        if node.tag in ("body", "html"):
            return False
        if node.tag in _SKIP_TAGS or (node.get("role") or "").casefold() in _SKIP_ROLES:
            return True
        if _class_words(node) & _SKIP_WORDS:
            return True
    return False


def _name_text(node: Any) -> str | None:
    return _name_ok(_text(node))


def _name_ok(text: str) -> str | None:
    if not 2 <= len(text) <= 150 or not re.search(r"[^\W\d_]", text):
        return None
    if text.casefold().strip(" ›»>→.…") in _GENERIC or _URLISH.search(text):
        return None
    return text


def _is_name_node(node: Any, tier: int) -> bool:
    if tier == 0:
        return node.tag in _HEADINGS
    if tier == 1:
        return node.get("itemprop") == "name" or bool(
            {"p-name", "p-org"} & set((node.get("class") or "").split())
        )
    words = _class_words(node)
    if tier == 2:
        return bool(words & _NAME_WORDS) and not words & set(_CLASS_FIELDS)
    if tier == 3:
        return node.tag in ("strong", "b")
    return node.tag == "a"


def _block_name(el: Any, columns: dict[str, int]) -> tuple[str | None, Any]:
    """(name, its element): headings, itemprop/h-card names, name classes, bold, link text."""
    cells = [c for c in el if c.tag in ("td", "th")] if el.tag == "tr" else []
    if cells and "name" in columns and columns["name"] < len(cells):
        cell = cells[columns["name"]]
        return _name_text(cell), cell
    nodes = [n for n in el.iter() if isinstance(n.tag, str) and n is not el]
    for tier in range(5):
        for node in nodes:
            if _is_name_node(node, tier) and (text := _name_text(node)):
                return text, node
    for cell in cells:
        if text := _name_text(cell):
            return text, cell
    if el.tag == "a" or not cells:
        lines = _lines(el)
        if lines and (text := _name_ok(lines[0])):
            return text, el
    return None, None


def _table_columns(tr: Any, cache: dict) -> dict[str, int]:
    """Field -> column index from the header row of the table holding ``tr``."""
    table = next((a for a in tr.iterancestors("table")), None)
    if table is None:
        return {}
    if table not in cache:
        columns: dict[str, int] = {}
        header = next((r for r in table.iter("tr") if r.find("th") is not None), None)
        if header is not None:
            for i, cell in enumerate(c for c in header if c.tag in ("td", "th")):
                name = label_field(_text(cell))
                if name and name not in columns:
                    columns[name] = i
        cache[table] = columns
    return cache[table]


def _block_company(
    el: Any,
    page: _Page,
    locator: str,
    columns: dict[str, int],
    name: str | None = None,
    name_node: Any = None,
) -> ListedCompany:
    """A ListedCompany from one block: name, detail link, own website, fields."""
    if name is None:
        name, name_node = _block_name(el, columns)
    fields = _block_fields(el, name)
    cells = [c for c in el if c.tag in ("td", "th")] if el.tag == "tr" else []
    for field_name, i in columns.items():
        if field_name != "name" and i < len(cells):
            fields.pop(field_name, None)
            _put(fields, field_name, _text(cells[i]))
    detail, website, labelled = None, None, None
    anchors = [el] if el.tag == "a" else []
    anchors += list(el.iter("a"))
    around = set(name_node.iterancestors()) | {name_node} if name_node is not None else set()
    for a in sorted(
        anchors,
        key=lambda a: (
            a not in around and not (name_node is not None and a in set(name_node.iter("a")))
        ),
    ):
        link = absolute(page.base, a.get("href"))
        if link is None:
            continue
        target = unwrap_redirect(link, page.domain) or link
        if is_external_site(target, page.domain):
            text = _text(a) or a.get("title") or ""
            if labelled is None and (label_field(text) == "website" or _URLISH.search(text)):
                labelled = target
            website = website or target
        elif registrable_domain(target) == page.domain and target == link and detail is None:
            if target.split("#")[0] != page.url:
                detail = target
    listed = fields.pop("website", None)
    if not (labelled or website) and isinstance(listed, str) and registrable_domain(listed):
        labelled = listed if "://" in listed else f"http://{listed.strip('/')}/"
    return ListedCompany(name, detail, labelled or website, fields, locator)


def _score_group(members: list, page: _Page, min_blocks: int = 3) -> tuple[float, list]:
    """Score of one group of same-path blocks, and its (block, name, name element) rows.

    score = sqrt(n) × (0.5 + share with a link) × (0.3 + richness) × (1 + share with a legal
    form) × share of distinct names × share of distinct first links × share of members named,
    where n = blocks with a company-like name and richness = mean block text length / 300
    (capped at 1).  sqrt keeps long tag clouds from beating ten rich company cards; the
    distinct-name/link shares sink pagers and "More" button rows; legal forms (ООО, GmbH,
    Ltd, Inc: the list in enrichment) are the strongest sign that the names are companies.
    """
    cache: dict = {}
    rows = []
    for el in members:
        if el.tag == "tr" and el.find("td") is None:
            continue  # header row
        columns = _table_columns(el, cache) if el.tag == "tr" else {}
        name, node = _block_name(el, columns)
        if name:
            rows.append((el, name, node))
    n = len(rows)
    if n < min_blocks or n == 0:
        return 0.0, []
    links = []
    for el, _, _ in rows:
        hrefs = [el.get("href")] if el.tag == "a" else []
        hrefs += [a.get("href") for a in el.iter("a")]
        links.append(next((u for u in (absolute(page.base, h) for h in hrefs) if u), None))
    linked = [u for u in links if u]
    link_share = len(linked) / n
    distinct_links = len(set(linked)) / len(linked) if linked else 1.0
    richness = min(sum(len(_text(el)) for el, _, _ in rows) / n, 300) / 300
    legal = sum(1 for _, name, _ in rows if normalize_company_name(name).legal_form) / n
    distinct_names = len({name.casefold() for _, name, _ in rows}) / n
    score = (
        math.sqrt(n)
        * (0.5 + link_share)
        * (0.3 + richness)
        * (1 + _LEGAL_FORM_WEIGHT * legal)
        * distinct_names
        * distinct_links
        * (n / len(members))
    )
    return score, rows


def items_from_blocks(
    page: _Page, known: str | None = None
) -> tuple[list[ListedCompany], str | None]:
    """Companies from the best group of repeated sibling structures (>= 3 blocks), and that
    group's path ("body>div.catalog>div.firm-card").

    ``known`` is the path an earlier page of the same list chose: the last page of a
    directory often holds one or two entries, too few to be recognised on their own, but the
    same template puts them at the same path.
    """
    body = page.doc.root.find("body")
    body = body if body is not None else page.doc.root
    path: dict[Any, str] = {body: "body"}
    groups: dict[str, list] = defaultdict(list)
    for el in body.iterdescendants():
        if not isinstance(el.tag, str):
            continue
        cls = _main_class(el)
        path[el] = f"{path.get(el.getparent(), '')}>{el.tag}{'.' + cls if cls else ''}"
        if el.tag in _BLOCK_TAGS:
            groups[path[el]].append(el)
    best, best_rows, best_key = 0.0, [], None
    if known and groups.get(known) and not _furniture(groups[known][0]):
        _, best_rows = _score_group(groups[known], page, min_blocks=1)
        best_key = known if best_rows else None
    if not best_rows:
        for key, members in groups.items():
            if len(members) >= 3 and not _furniture(members[0]):
                score, rows = _score_group(members, page)
                if score > best:
                    best, best_rows, best_key = score, rows, key
    cache: dict = {}
    items = [
        _block_company(
            el, page, f"item {i}", _table_columns(el, cache) if el.tag == "tr" else {}, name, node
        )
        for i, (el, name, node) in enumerate(best_rows)
    ]
    return items, best_key if items else None


# --- pagination ------------------------------------------------------------------------------

# Query parameters and path segments that carry a page number (WordPress /page/N/, Bitrix
# PAGEN_1, Drupal/Django ?page=, phpBB/vBulletin ?p= / ?pg=, German CMSs ?seite=).
_PAGE_PARAM = re.compile(r"^(?:page|p|pg|paged|pagenum|page_num|pagenumber|seite|pagen_\d+)$", re.I)
_PAGE_PATH = re.compile(r"/(?:page|seite|p|stranitsa)[/-](\d{1,5})(?=/|$)|/page_(\d{1,5})(?=/|$)")
_NEXT_WORDS = frozenset(
    "next|next page|next »|далее|следующая|следующая страница|вперед|weiter|nächste"
    "|nächste seite|›|»|>|→|more results".split("|")
)
_LOAD_MORE = re.compile(
    r"load[\s_-]?more|show[\s_-]?more|показать ещ[её]|загрузить ещ[её]"
    r"|mehr (?:laden|anzeigen)|weitere (?:laden|anzeigen)",
    re.I,
)


def _page_of(url: str) -> tuple[tuple, int] | None:
    """(URL without its page number, page number); page 1 when the URL names none."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    number, query = None, []
    for key, value in parse_qsl(parts.query, keep_blank_values=True):
        if _PAGE_PARAM.match(key) and value.isdigit():
            number = int(value)
        else:
            query.append((key, value))
    path = parts.path
    if number is None and (m := _PAGE_PATH.search(path)):
        number = int(m.group(1) or m.group(2))
        path = path[: m.start()] + path[m.end() :]
    return (parts.netloc.lower(), path.rstrip("/"), tuple(sorted(query))), number or 1


def _in_pager(a: Any) -> bool:
    for node in [a, *a.iterancestors()][:5]:
        words = _class_words(node) | set((node.get("aria-label") or "").casefold().split())
        if words & {"pagination", "pager", "paging", "pages", "pagenavi", "page-numbers"}:
            return True
    return False


def next_pages(page: _Page, hints: ListingHints | None) -> list[str]:
    """Further list pages: hinted selectors, rel=next, "Next"-like links, page N+1, load more."""
    found: list[str] = []

    def add(href: Any) -> None:
        link = absolute(page.base, href)
        if link and link != page.url and link not in found:
            found.append(link)

    if hints and hints.next_page:
        for href in _hrefs(page.doc, hints.next_page):
            add(href)
    if hints and hints.load_more:
        for href in _hrefs(page.doc, hints.load_more):
            add(href)
    if hints and (hints.next_page or hints.load_more) and found:
        return found
    for el in page.doc.root.iter("link", "a"):
        if "next" in (el.get("rel") or "").casefold().split():
            add(el.get("href"))
    current = _page_of(page.url)
    for a in page.doc.root.iter("a", "button"):
        href = _link_target(a)
        if href is None:
            continue
        text = _text(a).casefold()
        label = f"{a.get('aria-label') or ''} {a.get('title') or ''}".casefold()
        parent = a.getparent()
        words = _class_words(a) | (_class_words(parent) if parent is not None else set())
        if words & {"prev", "previous", "disabled"}:
            continue
        link = absolute(page.base, href)
        target = _page_of(link) if link else None
        if (
            text.strip(" ›»>→") in _NEXT_WORDS
            or text in _NEXT_WORDS
            or words & {"next", "nextpostslink"}
            or re.search(r"\bnext\b|следующ|nächste|weiter", label)
        ):
            add(href)
        elif current and target and target[0] == current[0] and target[1] == current[1] + 1:
            add(href)
        elif current and text == str(current[1] + 1) and _in_pager(a):
            add(href)
        elif _LOAD_MORE.search(f"{text} {label} {' '.join(words)}"):
            add(href)
    return found


# --- hints -----------------------------------------------------------------------------------


def _as_value(name: str, values: list[str]) -> str | list[str] | None:
    if not values:
        return None
    return values if name in _LIST_FIELDS else " ".join(values)


def items_from_hints(page: _Page, hints: ListingHints) -> list[ListedCompany]:
    """One company per ``hints.item`` match; hinted fields first, block heuristics fill gaps."""
    items = []
    for i, node in enumerate(_select(page.doc, hints.item or "")):
        if not isinstance(getattr(node.root, "tag", None), str):
            continue
        item = _block_company(node.root, page, f"item {i}", {})
        for name, query in hints.fields.items():
            if name in ("url", "website"):
                links = [absolute(page.base, h) for h in _hrefs(node, query)]
                link = next((u for u in links if u), None)
                if name == "website" and link:
                    link = unwrap_redirect(link, page.domain) or link
                    item.website = link if is_external_site(link, page.domain) else item.website
                elif link:
                    item.url = link
            elif (value := _as_value(name, _values(node, query))) is not None:
                if name == "name":
                    item.name = value if isinstance(value, str) else " ".join(value)
                else:
                    item.fields[name] = value
        if hints.detail_link:
            links = [absolute(page.base, h) for h in _hrefs(node, hints.detail_link)]
            item.url = next((u for u in links if u), item.url)
        if item.name or item.url:
            items.append(item)
    return items


# --- detail page -----------------------------------------------------------------------------


def _subject_org(page: _Page, heading: str | None) -> Mapping | None:
    """The page's own organisation node: matching the <h1>, not the directory's homepage."""
    home = absolute(page.base, "/")
    best, best_score = None, 0.0
    for _syntax, node in _structured(page):
        for org in _walk_orgs(node):
            name = (_sd_text(org.get("name")) or "").casefold()
            urls = {absolute(page.base, u) for u in _sd_texts(org.get("url"))}
            score = 1.0 + len(org) / 100
            if heading and name and (name in heading.casefold() or heading.casefold() in name):
                score += 3
            elif home in urls or (home or "").rstrip("/") in urls:
                score -= 2
            if score > best_score:
                best, best_score = org, score
    return best


def _content(page: _Page) -> Any:
    """A copy of the page without header/footer/nav furniture (their phones are the site's)."""
    root = etree.fromstring(etree.tostring(page.doc.root), etree.HTMLParser())
    for node in list(root.iter()):
        if (
            isinstance(node.tag, str)
            and node.getparent() is not None
            and (node.tag in _SKIP_TAGS or (node.get("role") or "").casefold() in _SKIP_ROLES)
        ):
            node.getparent().remove(node)
    return root


def detail(page: _Page, hints: ListingHints | None) -> ListedCompany | None:
    scope = page.doc
    if hints and hints.item:
        matches = [m for m in _select(page.doc, hints.item) if not isinstance(m.root, str)]
        if not matches:
            return None
        scope = matches[0]
    h1 = next((t for t in _values(scope, "h1") if _name_ok(t)), None)
    org = _subject_org(page, h1)
    company = (
        _company_from_org(org, page, "detail")
        if org
        else ListedCompany(None, None, None, {}, "detail")
    )
    content = scope.root if scope is not page.doc else _content(page)
    body = content.find(".//body") if content.find(".//body") is not None else content
    block = _block_company(body, page, "detail", {}, h1, None)
    company.name = company.name or h1 or _name_ok((_values(page.doc, "title") or [""])[0])
    if not company.website:
        external = {
            registrable_domain(u): u
            for u in (
                unwrap_redirect(link, page.domain) or link
                for link in (absolute(page.base, a.get("href")) for a in body.iter("a"))
                if link
            )
            if is_external_site(u, page.domain)
        }
        labelled = _labelled_website(body, page)
        company.website = labelled or (
            next(iter(external.values())) if len(external) == 1 else None
        )
    for name, value in block.fields.items():
        company.fields.setdefault(name, value)
    for name, query in hints.fields.items() if hints else ():
        if name in ("url", "website"):
            link = next(
                (u for u in (absolute(page.base, h) for h in _hrefs(scope, query)) if u), None
            )
            if name == "website" and link and is_external_site(link, page.domain):
                company.website = link
        elif (value := _as_value(name, _values(scope, query))) is not None:
            if name == "name":
                company.name = value if isinstance(value, str) else " ".join(value)
            else:
                company.fields[name] = value
    company.url = page.url
    return company if company.name else None


def _labelled_website(body: Any, page: _Page) -> str | None:
    """An external link labelled site/website/сайт/Webseite/Homepage, in its text or label."""
    for a in body.iter("a"):
        link = absolute(page.base, a.get("href"))
        target = (unwrap_redirect(link, page.domain) or link) if link else None
        if not is_external_site(target, page.domain):
            continue
        parent = a.getparent()
        before = (parent.text or "") if parent is not None else ""
        prev = a.getprevious() if a.getprevious() is not None else None
        holder = parent.getprevious() if parent is not None else None
        labels = [
            _text(a),
            a.get("title") or "",
            before.rstrip().rsplit("\n", 1)[-1],
            _text(prev) if prev is not None else "",
            _text(holder) if holder is not None and holder.tag in ("dt", "th") else "",
        ]
        if any(label_field(x.strip()) == "website" for x in labels if x):
            return target
    return None


# --- public API ------------------------------------------------------------------------------


def parse_listing(
    html: str, url: str, hints: ListingHints | None = None, *, block_path: str | None = None
) -> ListingPage:
    """Companies on one list page and the URLs of further list pages; never raises.

    With ``hints.item`` the hinted items are the answer, even when none match (the source
    definition says where the list is; an empty page is the honest result).  Without hints,
    ``block_path`` is the ``ListingPage.block_path`` of an earlier page of the same list.
    """
    try:
        page = _page(html, url)
        if page is None:
            return ListingPage([], [])
        found = None
        if hints and hints.item:
            items = items_from_hints(page, hints)
        else:
            items = items_from_structured(page)
            if not items:
                items, found = items_from_blocks(page, block_path)
        return ListingPage(items, next_pages(page, hints), found)
    except (ValueError, TypeError, AttributeError, etree.LxmlError, RecursionError):
        return ListingPage([], [])


def parse_detail(html: str, url: str, hints: ListingHints | None = None) -> ListedCompany | None:
    """One company's page on a directory site, or None when no company name is found."""
    try:
        page = _page(html, url)
        return detail(page, hints) if page else None
    except (ValueError, TypeError, AttributeError, etree.LxmlError, RecursionError):
        return None
