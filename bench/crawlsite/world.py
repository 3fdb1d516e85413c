"""A seeded, made-up site world for the crawl benchmark: one business directory and the
companies it lists, each with its own website.

``build_world(pages, seed)`` gives the same companies for the same arguments.  60% of the
companies are Russian (``.ru``, ИНН/КПП/ОГРН with valid check digits), 25% German (``.de``,
HRB and USt-IdNr. in the Impressum), 15% American (``.com``); each has 3-4 people with titles in
its language, distinct within the company.  The page count is split as 20 companies per list
page, one detail page per company and ``len(SITE_PAGES[lang])`` pages per website, so
``html_pages`` is within a few pages of what was asked.

Name lists come from ``bench/generate.py`` (the import benchmark's synthetic lists).
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass

from bench.generate import (
    DE_FIRST,
    DE_LAST,
    EN_FIRST,
    EN_LAST,
    RU_FIRST,
    RU_LAST,
    RU_PATR,
    TRANSLIT,
    WORDS,
)

DIRECTORY_HOST = "spravochnik-firm.ru"
PER_PAGE = 20

#: The pages of a company website by language: (path, kind, link text).  Home first; the
#: kinds are what a lead crawler looks for (contact, about, team, legal notice).
SITE_PAGES = {
    "ru": (("/", "home", "Главная"), ("/kontakty/", "contact", "Контакты"),
           ("/o-kompanii/", "about", "О компании"), ("/rukovodstvo/", "team", "Руководство"),
           ("/rekvizity/", "legal", "Реквизиты")),
    "de": (("/", "home", "Startseite"), ("/kontakt/", "contact", "Kontakt"),
           ("/ueber-uns/", "about", "Über uns"), ("/team/", "team", "Team"),
           ("/impressum/", "legal", "Impressum")),
    "en": (("/", "home", "Home"), ("/contact/", "contact", "Contact us"),
           ("/about/", "about", "About us"), ("/team/", "team", "Our team"),
           ("/legal-notice/", "legal", "Legal notice")),
}  # fmt: skip

RU_TITLES = (
    "Генеральный директор",
    "Коммерческий директор",
    "Главный инженер",
    "Главный бухгалтер",
    "Начальник отдела закупок",
    "Директор по развитию",
)
DE_TITLES = (
    "Geschäftsführer",
    "Leiter Einkauf",
    "Vertriebsleiter",
    "Leiter Produktion",
    "Prokurist",
    "Technischer Leiter",
)
EN_TITLES = (
    "CEO",
    "VP of Sales",
    "Head of Procurement",
    "CFO",
    "Operations Manager",
    "Marketing Manager",
)
RU_CITIES = (
    ("Москва", "495", "101000", "ул. Тверская"),
    ("Санкт-Петербург", "812", "190000", "Невский пр."),
    ("Казань", "843", "420021", "ул. Габдуллы Тукая"),
    ("Екатеринбург", "343", "620014", "ул. Малышева"),
    ("Новосибирск", "383", "630099", "Красный пр."),
    ("Самара", "846", "443099", "ул. Куйбышева"),
)
DE_CITIES = (
    ("Berlin", "30", "10997", "Wrangelstraße"),
    ("München", "89", "80331", "Sendlinger Straße"),
    ("Hamburg", "40", "20095", "Mönckebergstraße"),
    ("Köln", "221", "50667", "Hohe Straße"),
)
EN_CITIES = (
    ("Chicago", "312", "60601", "N Michigan Ave", "IL"),
    ("Boston", "617", "02110", "Federal St", "MA"),
    ("Seattle", "206", "98101", "Pine St", "WA"),
    ("Denver", "303", "80202", "Larimer St", "CO"),
)
RU_REGIONS = (
    ("msk", "Москва"),
    ("spb", "Нева"),
    ("kzn", "Казань"),
    ("ekb", "Урал"),
    ("nsk", "Сибирь"),
    ("sam", "Самара"),
    ("nn", "Нижний"),
    ("ufa", "Уфа"),
    ("perm", "Пермь"),
    ("vlg", "Волга"),
    ("krd", "Кубань"),
    ("omsk", "Омск"),
    ("tula", "Тула"),
    ("tver", "Тверь"),
    ("kirov", "Вятка"),
    ("penza", "Пенза"),
    ("kursk", "Курск"),
    ("orel", "Орёл"),
    ("ryazan", "Рязань"),
    ("tomsk", "Томск"),
)
DE_BRANCHES = (
    "Messtechnik",
    "Antriebe",
    "Maschinenbau",
    "Logistik",
    "Elektrotechnik",
    "Kunststofftechnik",
    "Anlagenbau",
    "Fördertechnik",
    "Automation",
    "Metallbau",
)
#: More surnames for German company names (the person lists are short).
DE_FIRMS = (
    "Brandt",
    "Vogel",
    "Kessler",
    "Hoffmann",
    "Krüger",
    "Wolf",
    "Neumann",
    "Schwarz",
    "Zimmermann",
    "Braun",
    "Hartmann",
    "Lange",
    "Werner",
    "Lehmann",
    "Köhler",
    "Richter",
    "Klein",
    "Schröder",
    "Lorenz",
    "Baumann",
)
EN_PLACES = (
    "Great Lakes",
    "Pacific",
    "Atlantic",
    "Midwest",
    "Frontier",
    "Harbor",
    "Keystone",
    "Liberty",
    "Cascade",
    "Prairie",
)
EN_WORDS = (
    "Northgate",
    "Bluewater",
    "Ironbridge",
    "Redwood",
    "Silverline",
    "Granite",
    "Lakeshore",
    "Summit",
    "Riverside",
    "Pinecrest",
    "Oakmont",
    "Brightfield",
)
EN_BRANCHES = (
    "Robotics",
    "Logistics",
    "Fabrication",
    "Controls",
    "Packaging",
    "Instruments",
    "Materials",
    "Hydraulics",
    "Coatings",
    "Plastics",
)


@dataclass(frozen=True, slots=True)
class Person:
    name: str
    title: str
    email: str | None


@dataclass(frozen=True, slots=True)
class Company:
    index: int
    lang: str  # ru | de | en
    name: str  # legal name, with the legal form
    brand: str  # short name used on the website
    domain: str
    industry: str
    city: str
    address: str
    phone: str
    sales_phone: str
    emails: tuple[str, ...]
    people: tuple[Person, ...]
    ids: dict[str, str]  # inn/kpp/ogrn | hrb/vat/court | ein

    @property
    def slug(self) -> str:
        return self.domain.rsplit(".", 1)[0]

    @property
    def website(self) -> str:
        return f"http://{self.domain}/"

    @property
    def pages(self) -> tuple[tuple[str, str, str], ...]:
        return SITE_PAGES[self.lang]


@dataclass(frozen=True, slots=True)
class World:
    seed: int
    companies: tuple[Company, ...]
    directory: str = DIRECTORY_HOST
    per_page: int = PER_PAGE

    @property
    def list_pages(self) -> int:
        return math.ceil(len(self.companies) / self.per_page)

    @property
    def html_pages(self) -> int:
        """List pages + detail pages + company website pages."""
        return self.list_pages + sum(1 + len(c.pages) for c in self.companies)

    @property
    def people(self) -> int:
        return sum(len(c.people) for c in self.companies)

    def list_url(self, page: int) -> str:
        base = f"http://{self.directory}/catalog/"
        return base if page == 1 else f"{base}?page={page}"

    def detail_path(self, company: Company) -> str:
        return f"/firm/{company.slug}/"


def inn10(rng: random.Random) -> str:
    """A company ИНН: region + tax office + number, check digit by the ФНС weights."""
    body = f"{rng.randint(1, 89):02d}{rng.randint(0, 9_999_999):07d}"
    weights = (2, 4, 10, 3, 5, 9, 4, 6, 8)
    return body + str(sum(int(d) * w for d, w in zip(body, weights, strict=True)) % 11 % 10)


def ogrn13(rng: random.Random, region: str) -> str:
    body = f"1{rng.randint(2, 24):02d}{region}{rng.randint(0, 9_999_999):07d}"
    return body + str(int(body) % 11 % 10)


def _translit(text: str) -> str:
    return text.lower().translate(TRANSLIT).replace("ь", "")


def _ru(index: int, k: int, rng: random.Random) -> Company:
    n = len(WORDS)
    w1, w2 = WORDS[k % n], WORDS[((k // n) % n + k % n + 1) % n]
    region, place = RU_REGIONS[(k // n**2) % len(RU_REGIONS)]
    brand = f"{(w1 + w2).capitalize()}-{place}"
    domain = f"{_translit(w1 + w2)}-{region}.ru"
    city, code, postcode, street = rng.choice(RU_CITIES)
    people, seen = [], set()
    for title in (RU_TITLES[0], *rng.sample(RU_TITLES[1:], rng.randint(2, 3))):
        while True:
            last, first, patr = rng.choice(RU_LAST), rng.choice(RU_FIRST), rng.choice(RU_PATR)
            female = first[-1] in "ая"
            last = last + "а" if female and last[-1] in "вн" else last
            if last not in seen:
                break
        seen.add(last)
        patronymic = patr.replace("ич", "на") if female else patr
        email = f"{_translit(first)[0]}.{_translit(last)}@{domain}" if rng.random() < 0.7 else None
        people.append(Person(f"{last} {first} {patronymic}", title, email))
    inn = inn10(rng)
    return Company(
        index=index,
        lang="ru",
        name=f"ООО «{brand}»",
        brand=brand,
        domain=domain,
        industry=rng.choice(
            (
                "Металлоконструкции",
                "Оптовая торговля",
                "Строительство",
                "Логистика",
                "Промышленное оборудование",
                "Энергетика",
            )
        ),
        city=city,
        address=f"{postcode}, г. {city}, {street}, д. {rng.randint(1, 180)}, "
        f"офис {rng.randint(100, 999)}",
        phone=f"+7 ({code}) {rng.randint(200, 999)}-{rng.randint(10, 99)}-{rng.randint(10, 99)}",
        sales_phone=f"+7 ({code}) {rng.randint(200, 999)}-{rng.randint(10, 99)}-"
        f"{rng.randint(10, 99)}",
        emails=(f"info@{domain}", f"sales@{domain}"),
        people=tuple(people),
        ids={"inn": inn, "kpp": f"{inn[:4]}01001", "ogrn": ogrn13(rng, inn[:2])},
    )


def _de(index: int, k: int, rng: random.Random) -> Company:
    a, b = DE_FIRMS[k % len(DE_FIRMS)], DE_FIRMS[(k // len(DE_FIRMS)) % len(DE_FIRMS)]
    branch = DE_BRANCHES[(k // len(DE_FIRMS) ** 2) % len(DE_BRANCHES)]
    brand = f"{a} & {b}" if a != b else a
    slug = _translit(f"{a}-{b}" if a != b else a).replace("ü", "ue").replace("ö", "oe")
    domain = f"{slug}-{_translit(branch).replace('ö', 'oe')}.de"
    city, code, postcode, street = rng.choice(DE_CITIES)
    titles = ("Geschäftsführer", *rng.sample(DE_TITLES[1:], rng.randint(2, 3)))
    people = _western(rng, titles, DE_FIRST, DE_LAST, domain)
    return Company(
        index=index,
        lang="de",
        name=f"{brand} {branch} GmbH",
        brand=brand,
        domain=domain,
        industry=branch,
        city=city,
        address=f"{street} {rng.randint(1, 120)}, {postcode} {city}",
        phone=f"+49 {code} {rng.randint(1000000, 9999999)}",
        sales_phone=f"+49 {code} {rng.randint(1000000, 9999999)}",
        emails=(f"info@{domain}", f"vertrieb@{domain}"),
        people=people,
        ids={
            "hrb": f"HRB {rng.randint(10000, 199999)}",
            "vat": f"DE{rng.randint(100000000, 999999999)}",
            "court": f"Amtsgericht {city}",
        },
    )


def _en(index: int, k: int, rng: random.Random) -> Company:
    a = EN_WORDS[k % len(EN_WORDS)]
    b = EN_BRANCHES[(k // len(EN_WORDS)) % len(EN_BRANCHES)]
    n = (k // (len(EN_WORDS) * len(EN_BRANCHES))) % len(EN_PLACES)
    brand = f"{EN_PLACES[n]} {a} {b}" if k >= len(EN_WORDS) * len(EN_BRANCHES) else f"{a} {b}"
    domain = f"{brand.lower().replace(' ', '-')}.com"
    city, code, postcode, street, state = rng.choice(EN_CITIES)
    titles = ("CEO", *rng.sample(EN_TITLES[1:], rng.randint(2, 3)))
    people = _western(rng, titles, EN_FIRST, EN_LAST, domain)
    return Company(
        index=index,
        lang="en",
        name=f"{brand} Inc.",
        brand=brand,
        domain=domain,
        industry=b,
        city=city,
        address=f"{rng.randint(10, 999)} {street}, {city}, {state} {postcode}",
        phone=f"+1 ({code}) {rng.randint(201, 989)}-{rng.randint(1000, 9999)}",
        sales_phone=f"+1 ({code}) {rng.randint(201, 989)}-{rng.randint(1000, 9999)}",
        emails=(f"info@{domain}", f"sales@{domain}"),
        people=people,
        ids={"ein": f"{rng.randint(10, 99)}-{rng.randint(1000000, 9999999)}"},
    )


def _western(rng, titles, firsts, lasts, domain) -> tuple[Person, ...]:
    people, seen = [], set()
    for title in titles:
        while (name := (rng.choice(firsts), rng.choice(lasts)))[1] in seen:
            pass
        seen.add(name[1])
        local = (
            f"{name[0][0]}.{name[1]}".lower()
            .replace("ü", "ue")
            .replace("ö", "oe")
            .replace("ä", "ae")
            .replace("ß", "ss")
        )
        email = f"{local}@{domain}" if rng.random() < 0.7 else None
        people.append(Person(" ".join(name), title, email))
    return tuple(people)


def build_world(pages: int, seed: int = 20240917) -> World:
    """About ``pages`` HTML pages: list pages, detail pages and 5 website pages per company."""
    per_company = 1 + len(SITE_PAGES["ru"]) + 1 / PER_PAGE
    count = max(1, int(pages / per_company))
    companies, domains = [], set()
    made = {_ru: 0, _de: 0, _en: 0}
    for index in range(count):
        rng = random.Random(f"{seed}:{index}")
        roll = index % 20  # 12 RU, 5 DE, 3 EN in every 20: the same mix on every list page
        make = _ru if roll < 12 else _de if roll < 17 else _en
        company = make(index, made[make], rng)
        made[make] += 1
        if company.domain in domains:  # more companies than name combinations: number them
            company = _renamed(company, index)
        domains.add(company.domain)
        companies.append(company)
    return World(seed=seed, companies=tuple(companies))


def _renamed(company: Company, index: int) -> Company:
    from dataclasses import replace

    slug, tld = company.domain.rsplit(".", 1)
    domain = f"{slug}-{index}.{tld}"
    people = tuple(
        replace(p, email=p.email and p.email.replace(company.domain, domain))
        for p in company.people
    )
    return replace(
        company,
        domain=domain,
        name=f"{company.name} {index}",
        emails=tuple(e.replace(company.domain, domain) for e in company.emails),
        people=people,
    )
