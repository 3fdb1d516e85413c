"""Benchmark: a filtered ``leadgen list`` page over 1M companies.

Target (requirement: indexes): a filtered ``leadgen list`` over 1,000,000 companies answers in
under 100 ms on this 2-core machine.

    .venv/bin/python bench/bench_list.py [--companies 1000000] [--rebuild]

The database ``bench/out/bench-list-<N>.db`` (N = 1m for the default) is generated, seeded, by
bulk Core inserts into the schema the migrations create, and reused while its company count and
generator version match.  40% of the companies have 1-5 people (30% of those a decision maker),
about half of the people an email, 5% of the companies a role address.  60% RU over ~200 cities
(Москва 15% of all companies), 20% DE, 20% US/GB; statuses 95/4/1% new/current/former.  The
planner statistics are refreshed at the end (``storage.db.finish_bulk_write``), as every
import does.

Each filter combination calls ``storage.queries.list_companies`` (limit 50) on one warm
connection: one untimed first run, then 7 timed runs (median and max).  Combinations over the
target get their SQL and EXPLAIN QUERY PLAN printed after the table.  Last, the ``leadgen list``
command is timed end to end as a subprocess (Python start-up included).
"""

from __future__ import annotations

import argparse
import math
import os
import random
import re
import statistics
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlalchemy import event, func, select, text  # noqa: E402

from storage.clock import utcnow  # noqa: E402
from storage.db import finish_bulk_write, make_engine  # noqa: E402
from storage.keys import city_key, text_key  # noqa: E402
from storage.models import Company, Email, Person  # noqa: E402
from storage.queries import ProspectFilter, list_companies  # noqa: E402

TARGET_MS = 100.0
RUNS = 7
CHUNK = 20_000
SEED = 20240611
#: Bump when the generated data changes; stored in ``PRAGMA user_version`` of the bench database.
GENERATOR_VERSION = 3

# -- data -------------------------------------------------------------------------------------
RU_CITIES = """Москва Санкт-Петербург Новосибирск Екатеринбург Казань Нижний_Новгород Челябинск
Красноярск Самара Уфа Ростов-на-Дону Омск Краснодар Воронеж Пермь Волгоград Саратов Тюмень
Тольятти Ижевск Барнаул Ульяновск Иркутск Хабаровск Махачкала Ярославль Владивосток Оренбург
Томск Кемерово Новокузнецк Рязань Набережные_Челны Астрахань Киров Пенза Балашиха Липецк Чебоксары
Калининград Тула Ставрополь Курск Улан-Удэ Сочи Тверь Магнитогорск Иваново Брянск Белгород Сургут
Владимир Чита Архангельск Нижний_Тагил Симферополь Калуга Якутск Грозный Волжский Смоленск
Саранск Череповец Курган Подольск Вологда Орёл Владикавказ Тамбов Мурманск Петрозаводск
Нижневартовск Кострома Йошкар-Ола Новороссийск Стерлитамак Химки Таганрог Мытищи Сыктывкар
Комсомольск-на-Амуре Нижнекамск Нальчик Шахты Дзержинск Энгельс Благовещенск Королёв Братск
Великий_Новгород Старый_Оскол Ангарск Псков Люберцы Бийск Прокопьевск Армавир Балаково Абакан
Норильск Южно-Сахалинск Сызрань Уссурийск Волгодонск Красногорск Каменск-Уральский Петропавловск
Златоуст Электросталь Альметьевск Салават Миасс Керчь Копейск Находка Пятигорск Хасавюрт Рубцовск
Березники Коломна Майкоп Одинцово Ковров Домодедово Нефтекамск Кисловодск Новочеркасск Батайск
Серпухов Щёлкино Новомосковск Дербент Черкесск Нефтеюганск Первоуральск Каспийск Орехово-Зуево
Димитровград Камышин Невинномысск Муром Новый_Уренгой Ессентуки Октябрьский Обнинск Северодвинск
Евпатория Новочебоксарск Ноябрьск Назрань Елец Железногорск Раменское Артём Сергиев_Посад Пушкино
Жуковский Ачинск Бердск Арзамас Элиста Ногинск Новошахтинск Тобольск Сарапул Евпатория Воткинск
Ленинск-Кузнецкий Междуреченск Глазов Магадан Соликамск Выборг Бугульма Гатчина Ревда Тихвин
Зеленодольск Кинешма Клин Ухта Мичуринск Ейск Великие_Луки Азов Анапа Геленджик Воскресенск Туапсе
Лобня Кропоткин Канск Саров Анжеро-Судженск Кумертау Белорецк Чапаевск Биробиджан Лениногорск
Воркута Кузнецк Шадринск Борисоглебск Россошь Сальск""".replace("_", " ").split()
RU_REGIONS = {
    "Москва": "Москва",
    "Санкт-Петербург": "Санкт-Петербург",
    "Новосибирск": "Новосибирская область",
    "Екатеринбург": "Свердловская область",
    "Казань": "Республика Татарстан",
    "Нижний Новгород": "Нижегородская область",
    "Краснодар": "Краснодарский край",
    "Самара": "Самарская область",
}
DE_CITIES = """Berlin Hamburg München Köln Frankfurt_am_Main Stuttgart Düsseldorf Leipzig Dortmund
Essen Bremen Dresden Hannover Nürnberg Duisburg Bochum Wuppertal Bielefeld Bonn Münster Mannheim
Karlsruhe Augsburg Wiesbaden Mönchengladbach Gelsenkirchen Aachen Braunschweig Kiel Chemnitz Halle
Magdeburg Freiburg_im_Breisgau Krefeld Mainz Lübeck Erfurt Oberhausen Rostock Kassel""".replace(
    "_", " "
).split()
US_CITIES = """New_York Los_Angeles Chicago Houston Phoenix Philadelphia San_Antonio San_Diego
Dallas Austin Jacksonville San_Jose Fort_Worth Columbus Charlotte Indianapolis San_Francisco
Seattle Denver Washington Boston Nashville Detroit Portland Las_Vegas Atlanta Miami Minneapolis
Raleigh Pittsburgh""".replace("_", " ").split()
GB_CITIES = """London Birmingham Manchester Leeds Glasgow Liverpool Bristol Sheffield Edinburgh
Leicester Coventry Bradford Cardiff Belfast Nottingham Newcastle Southampton Reading""".split()
RU_WORDS = [
    "строй",
    "монтаж",
    "техно",
    "металл",
    "пром",
    "снаб",
    "торг",
    "инвест",
    "логистик",
    "сервис",
    "энерго",
    "агро",
    "мед",
    "софт",
    "дор",
    "сиб",
    "урал",
    "волга",
    "ромашка",
    "альфа",
    "вектор",
    "гранит",
    "партнёр",
    "эксперт",
    "профи",
    "север",
    "юг",
    "трейд",
    "стандарт",
    "капитал",
    "групп",
    "систем",
    "комплекс",
    "ресурс",
    "транс",
    "хим",
    "лес",
    "нефть",
    "газ",
    "пласт",
]
LATIN_WORDS = [
    "Nord",
    "Süd",
    "Alpha",
    "Vector",
    "Prime",
    "Blue",
    "Green",
    "Metro",
    "Atlas",
    "Nova",
    "Apex",
    "Delta",
    "Summit",
    "Pioneer",
    "Quantum",
    "Bright",
    "Urban",
    "Core",
    "Fusion",
    "Vertex",
    "Global",
    "Smart",
    "Stone",
    "River",
    "Bay",
    "Peak",
    "Oak",
]
DE_KINDS = [
    "Bau",
    "Logistik",
    "Technik",
    "Maschinenbau",
    "Handel",
    "Software",
    "Medizintechnik",
    "Energie",
    "Immobilien",
    "Consulting",
]
EN_KINDS = [
    "Systems",
    "Analytics",
    "Logistics",
    "Solutions",
    "Labs",
    "Industries",
    "Partners",
    "Software",
    "Health",
    "Energy",
    "Capital",
    "Foods",
]
RU_INDUSTRIES = [
    "Строительство",
    "ИТ",
    "Оптовая торговля",
    "Розничная торговля",
    "Производство",
    "Транспорт и логистика",
    "Сельское хозяйство",
    "Медицина",
    "Образование",
    "Финансы",
    "Недвижимость",
    "Энергетика",
    "Нефть и газ",
    "Металлургия",
    "Химическая промышленность",
    "Пищевая промышленность",
    "Машиностроение",
    "Телекоммуникации",
    "Реклама и маркетинг",
    "Консалтинг",
    "Юридические услуги",
    "Гостиницы и рестораны",
    "Туризм",
    "Страхование",
    "Деревообработка",
    "Лёгкая промышленность",
    "Фармацевтика",
    "Электроника",
    "Охрана",
    "Клининг",
]
EN_INDUSTRIES = [
    "Construction",
    "Software",
    "Wholesale",
    "Retail",
    "Manufacturing",
    "Logistics",
    "Agriculture",
    "Healthcare",
    "Education",
    "Financial Services",
    "Real Estate",
    "Energy",
    "Oil & Gas",
    "Metals",
    "Chemicals",
    "Food & Beverage",
    "Machinery",
    "Telecommunications",
    "Marketing",
    "Consulting",
    "Legal Services",
    "Hospitality",
    "Travel",
    "Insurance",
    "Wood Products",
    "Apparel",
    "Pharmaceuticals",
    "Electronics",
    "Security",
    "Facility Services",
]
TECHNOLOGIES = [
    "1C-Bitrix",
    "WordPress",
    "Tilda",
    "Yandex.Metrika",
    "Google Analytics",
    "jQuery",
    "React",
    "Nginx",
    "Shopify",
    "HubSpot",
    "amoCRM",
    "Jivo",
]
RU_FIRST = [
    "Иван",
    "Сергей",
    "Алексей",
    "Дмитрий",
    "Андрей",
    "Ольга",
    "Мария",
    "Елена",
    "Наталья",
    "Татьяна",
    "Михаил",
    "Павел",
    "Анна",
    "Юлия",
    "Николай",
    "Ирина",
]
RU_LAST = [
    "Иванов",
    "Смирнов",
    "Кузнецов",
    "Попов",
    "Васильев",
    "Петров",
    "Соколов",
    "Михайлов",
    "Новиков",
    "Фёдоров",
    "Морозов",
    "Волков",
    "Алексеев",
    "Лебедев",
]
LATIN_FIRST = [
    "Hans",
    "Katrin",
    "Jonas",
    "Anna",
    "Lukas",
    "Julia",
    "John",
    "Jane",
    "Robert",
    "Emily",
    "Michael",
    "Sarah",
    "David",
    "Laura",
    "James",
]
LATIN_LAST = [
    "Müller",
    "Schmidt",
    "Schneider",
    "Fischer",
    "Weber",
    "Smith",
    "Johnson",
    "Brown",
    "Taylor",
    "Miller",
    "Wilson",
    "Moore",
    "Clark",
]
# (title, seniority, department); the first four are decision makers.
TITLES = {
    "ru": [
        ("Генеральный директор", "c_suite", "management"),
        ("Коммерческий директор", "director", "sales"),
        ("Финансовый директор", "c_suite", "finance"),
        ("Учредитель", "owner", "management"),
        ("Главный бухгалтер", "head", "finance"),
        ("Начальник отдела закупок", "head", "procurement"),
        ("Менеджер по продажам", "entry", "sales"),
        ("Главный инженер", "head", "engineering"),
        ("Специалист по закупкам", "entry", "procurement"),
        ("Маркетолог", "entry", "marketing"),
    ],
    "en": [
        ("CEO", "c_suite", "management"),
        ("VP of Sales", "vp", "sales"),
        ("CFO", "c_suite", "finance"),
        ("Founder", "founder", "management"),
        ("Head of Procurement", "head", "procurement"),
        ("Marketing Manager", "manager", "marketing"),
        ("Sales Representative", "entry", "sales"),
        ("Engineer", "senior", "engineering"),
        ("Office Manager", "manager", "operations"),
        ("Buyer", "entry", "procurement"),
    ],
}
EMAIL_STATUSES = ["unverified"] * 12 + ["valid"] * 5 + ["invalid", "risky", "unknown"]
TRANSLIT = str.maketrans(
    {
        "а": "a",
        "б": "b",
        "в": "v",
        "г": "g",
        "д": "d",
        "е": "e",
        "ж": "zh",
        "з": "z",
        "и": "i",
        "й": "y",
        "к": "k",
        "л": "l",
        "м": "m",
        "н": "n",
        "о": "o",
        "п": "p",
        "р": "r",
        "с": "s",
        "т": "t",
        "у": "u",
        "ф": "f",
        "х": "kh",
        "ц": "ts",
        "ч": "ch",
        "ш": "sh",
        "щ": "shch",
        "ы": "y",
        "э": "e",
        "ю": "yu",
        "я": "ya",
        "ь": "",
        "ъ": "",
        "ё": "e",
        "ä": "ae",
        "ö": "oe",
        "ü": "ue",
        "ß": "ss",
        " ": "-",
    }
)


def _zipf(n: int, s: float = 1.0) -> list[float]:
    return [1 / (k + 1) ** s for k in range(n)]


def _cum(weights: list[float]) -> list[float]:
    total, out = 0.0, []
    for w in weights:
        total += w
        out.append(total)
    return out


def _fold(s: str) -> str:
    return s.casefold().replace("ё", "е")


class Generator:
    """Seeded rows for companies ``[start, start + n)`` and their people and emails."""

    def __init__(self, seed: int = SEED) -> None:
        self.rng = random.Random(seed)
        ru = list(dict.fromkeys(RU_CITIES))
        # Москва 25% of RU (15% of all companies), the rest Zipf-distributed.
        rest = _zipf(len(ru) - 1)
        scale = 0.75 / sum(rest)
        self.ru_cities = ru
        self.ru_cum = _cum([0.25] + [w * scale for w in rest])
        self.city_cum = {
            c: _cum(_zipf(len(lst)))
            for c, lst in (("DE", DE_CITIES), ("US", US_CITIES), ("GB", GB_CITIES))
        }
        self.cities = {"RU": ru, "DE": DE_CITIES, "US": US_CITIES, "GB": GB_CITIES}
        self.industry_cum = _cum(_zipf(30, 0.8))
        self.now = utcnow()

    def _when(self, days_back: float) -> object:
        return self.now - timedelta(seconds=int(days_back * 86400))

    def company(self, cid: int) -> dict:
        r = self.rng
        x = r.random()
        country = "RU" if x < 0.6 else "DE" if x < 0.8 else "US" if x < 0.92 else "GB"
        if country == "RU":
            city = r.choices(self.ru_cities, cum_weights=self.ru_cum)[0]
            region = RU_REGIONS.get(city)
            core = (r.choice(RU_WORDS) + r.choice(RU_WORDS)).capitalize()
            if r.random() < 0.3:
                core += "-" + r.choice(RU_WORDS)
            legal = r.choices(["ООО", "АО", "ПАО", "ИП"], cum_weights=[80, 92, 94, 100])[0]
            name = f"{legal} «{core}»"
            tld, industries = ".ru", RU_INDUSTRIES
            raw_city = ("г. " + city) if r.random() < 0.1 else city
            phone = (
                f"+7 {r.randrange(300, 999)} {r.randrange(100, 999)}-{r.randrange(10, 99)}-"
                f"{r.randrange(10, 99)}"
            )
            inn = str(7_700_000_000 + cid) if r.random() < 0.8 else None
            ogrn = str(1_027_700_000_000 + cid) if inn and r.random() < 0.7 else None
            vat = None
        else:
            city = r.choices(self.cities[country], cum_weights=self.city_cum[country])[0]
            region, raw_city = None, city
            kinds = DE_KINDS if country == "DE" else EN_KINDS
            core = f"{r.choice(LATIN_WORDS)} {r.choice(LATIN_LAST if r.random() < 0.5 else kinds)}"
            legal = {"DE": "GmbH", "US": "Inc.", "GB": "Ltd"}[country]
            name = f"{core} {legal}"
            tld = {"DE": ".de", "US": ".com", "GB": ".co.uk"}[country]
            industries = EN_INDUSTRIES
            phone = (
                f"+{49 if country == 'DE' else 1 if country == 'US' else 44} "
                f"{r.randrange(20, 999)} {r.randrange(1000000, 9999999)}"
            )
            inn = ogrn = None
            vat = f"DE{100_000_000 + cid}" if country == "DE" and r.random() < 0.5 else None
        slug = _fold(core).translate(TRANSLIT).replace("«", "").replace("»", "")
        domain = f"{slug}-{cid:x}{tld}" if r.random() < 0.9 else None
        employees = (
            None if r.random() < 0.15 else min(500_000, int(math.exp(r.gauss(2.6, 1.5))) + 1)
        )
        y = r.random()
        status = "new" if y < 0.95 else "current" if y < 0.99 else "former"
        first_days = r.random() * 730
        industry = (
            None if r.random() < 0.1 else r.choices(industries, cum_weights=self.industry_cum)[0]
        )
        return {
            "id": cid,
            "name": name,
            "name_key": _fold(core),
            "legal_form": legal,
            "domain": domain,
            "website": f"https://{domain}/" if domain else None,
            "country": country,
            "region": region,
            "city": raw_city,
            "city_key": city_key(raw_city),
            "address": None,
            "postal_code": None,
            "phones": [phone] if r.random() < 0.7 else [],
            "industry": industry,
            "industry_key": text_key(industry),
            "employees": employees,
            "revenue": None,
            "inn": inn,
            "ogrn": ogrn,
            "kpp": None,
            "vat": vat,
            "registry_ids": {"inn": inn} if inn else {},
            "social": {},
            "technologies": r.sample(TECHNOLOGIES, r.randrange(0, 4)),
            "description": None,
            "status": status,
            "first_seen": self._when(first_days),
            "last_seen": self._when(first_days * r.random()),
            "last_verified": None,
        }

    def people(self, c: dict, next_pid: int) -> list[dict]:
        """0 people for 60% of companies, else 1-5; 30% of those get one decision maker."""
        r = self.rng
        if r.random() >= 0.4:
            return []
        n = r.choices((1, 2, 3, 4, 5), cum_weights=(30, 55, 75, 90, 100))[0]
        dm_at = 0 if r.random() < 0.3 else -1
        lang = "ru" if c["country"] == "RU" else "en"
        out = []
        for j in range(n):
            if lang == "ru":
                first, last = r.choice(RU_FIRST), r.choice(RU_LAST)
                full = f"{last}{'а' if first[-1] in 'ая' else ''} {first}"
            else:
                first, last = r.choice(LATIN_FIRST), r.choice(LATIN_LAST)
                full = f"{first} {last}"
            title, seniority, dept = r.choice(TITLES[lang][:4] if j == dm_at else TITLES[lang][4:])
            out.append(
                {
                    "id": next_pid + j,
                    "company_id": c["id"],
                    "full_name": full,
                    "first_name": first,
                    "middle_name": None,
                    "last_name": last,
                    "name_key": _fold(full),
                    "title": title,
                    "seniority": seniority,
                    "department": dept,
                    "is_decision_maker": j == dm_at,
                    "phones": [],
                    "first_seen": c["first_seen"],
                    "last_seen": c["last_seen"],
                    "gone_at": c["last_seen"] if r.random() < 0.02 else None,
                }
            )
        return out

    def emails(self, c: dict, people: list[dict]) -> list[dict]:
        """Half of the people get a personal address; 5% of companies a role address."""
        r = self.rng
        domain = c["domain"]
        if not domain:
            return []
        rows = []
        for p in people:
            if r.random() < 0.5:
                local = f"{p['first_name']}.{p['last_name']}".casefold().translate(TRANSLIT)
                rows.append((f"{local}.{p['id']:x}@{domain}", p["id"], "personal"))
        if r.random() < 0.05:
            rows.append((f"info@{domain}", None, "role"))
        return [
            {
                "address": a,
                "domain": domain,
                "person_id": pid,
                "company_id": c["id"],
                "kind": kind,
                "origin": r.choice(("found", "guessed", "imported")),
                "status": r.choice(EMAIL_STATUSES),
                "attempts": 0,
                "first_seen": c["first_seen"],
                "last_seen": c["last_seen"],
            }
            for a, pid, kind in rows
        ]


# -- build ------------------------------------------------------------------------------------
def _is_current(db: Path, n: int) -> bool:
    import sqlite3

    if not db.exists():
        return False
    try:
        con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
        try:
            version = con.execute("PRAGMA user_version").fetchone()[0]
            count = con.execute("SELECT max(id) FROM companies").fetchone()[0]
        finally:
            con.close()
    except sqlite3.Error:
        return False
    return version == GENERATOR_VERSION and count == n


def build(db: Path, n: int) -> dict[str, float]:
    """Write a fresh database to ``db`` (via a temporary file, renamed when complete)."""
    tmp = db.with_name(db.name + ".building")
    for p in db.parent.glob(db.name + "*"):  # the old database, its WAL, a broken build
        p.unlink(missing_ok=True)
    engine = make_engine(f"sqlite:///{tmp}")
    tables = ("companies", "people", "emails")
    gen = Generator()
    counts = {t: 0 for t in tables}
    t0 = time.perf_counter()
    with engine.connect() as conn:
        # Load-only settings and the index DDL go through the driver connection, outside the
        # transactions SQLAlchemy begins (SQLite refuses some PRAGMAs inside one).
        raw = conn.connection.dbapi_connection
        raw.execute("PRAGMA synchronous=OFF")
        raw.execute("PRAGMA cache_size=-400000")
        # Secondary indexes are dropped for the load and re-created from their own DDL after;
        # the UNIQUE constraints' automatic indexes stay (they cannot be dropped).
        ddl = raw.execute(
            "SELECT name, sql FROM sqlite_master WHERE type='index' AND sql IS NOT "
            f"NULL AND tbl_name IN {tables}"
        ).fetchall()
        with conn.begin():
            for name, _ in ddl:
                conn.exec_driver_sql(f'DROP INDEX "{name}"')
        next_pid = 1
        for start in range(1, n + 1, CHUNK):
            companies, people, emails = [], [], []
            for cid in range(start, min(start + CHUNK, n + 1)):
                c = gen.company(cid)
                ps = gen.people(c, next_pid)
                next_pid += len(ps)
                companies.append(c)
                people += ps
                emails += gen.emails(c, ps)
            with conn.begin():
                conn.execute(Company.__table__.insert(), companies)
                if people:
                    conn.execute(Person.__table__.insert(), people)
                if emails:
                    conn.execute(Email.__table__.insert(), emails)
            counts["companies"] += len(companies)
            counts["people"] += len(people)
            counts["emails"] += len(emails)
            done = counts["companies"]
            if done % 200_000 < CHUNK or done == n:
                print(
                    f"  ... {done:,} companies, {time.perf_counter() - t0:.0f}s",
                    file=sys.stderr,
                    flush=True,
                )
        t_rows = time.perf_counter() - t0
        with conn.begin():
            for _, sql in ddl:
                conn.exec_driver_sql(sql)
        raw.execute(f"PRAGMA user_version={GENERATOR_VERSION}")
        raw.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finish_bulk_write(engine)
    engine.dispose()
    for suffix in ("-wal", "-shm"):
        Path(str(tmp) + suffix).unlink(missing_ok=True)
    tmp.rename(db)
    return {**counts, "rows_s": t_rows, "total_s": time.perf_counter() - t0}


# -- queries ----------------------------------------------------------------------------------
def cases() -> list[tuple[str, ProspectFilter, dict]]:
    f = ProspectFilter
    return [
        ("no filter (default sort name)", f(), {}),
        ("country RU", f(country="RU"), {}),
        ("country DE + city Berlin", f(country="DE", city="Berlin"), {}),
        ("city Москва", f(city="Москва"), {}),
        ("country RU + city Москва", f(country="RU", city="Москва"), {}),
        ("status current", f(status="current"), {}),
        ("industry Строительство", f(industry="Строительство"), {}),
        ("industry Клининг (rare)", f(industry="Клининг"), {}),
        ("name prefix 'стройтех'", f(name="стройтех"), {}),
        ("min_employees 500", f(min_employees=500), {}),
        ("has_email", f(has_email=True), {}),
        ("has_decision_maker", f(has_decision_maker=True), {}),
        ("RU + min_emp 100 + has_email", f(country="RU", min_employees=100, has_email=True), {}),
        ("no filter, sort employees", f(), {"sort": "employees"}),
        ("country RU, sort employees", f(country="RU"), {"sort": "employees"}),
        ("country RU, sort newest", f(country="RU"), {"sort": "newest"}),
        ("country RU, offset 5000", f(country="RU"), {"offset": 5000}),
        (
            "Москва + status current + has_dm",
            f(city="Москва", status="current", has_decision_maker=True),
            {},
        ),
    ]


def time_case(conn, flt: ProspectFilter, kw: dict) -> tuple[int, float, list[float]]:
    t = time.perf_counter()
    rows = list_companies(conn, flt, limit=50, **kw)
    first = (time.perf_counter() - t) * 1000
    times = []
    for _ in range(RUNS):
        t = time.perf_counter()
        list_companies(conn, flt, limit=50, **kw)
        times.append((time.perf_counter() - t) * 1000)
    return len(rows), first, times


def explain(conn, flt: ProspectFilter, kw: dict) -> list[str]:
    """The statements one list call runs, each with its own time and query plan."""
    seen: list[tuple[str, object]] = []

    def grab(_conn, _cursor, statement, parameters, _context, _many):
        seen.append((statement, parameters))

    event.listen(conn, "before_cursor_execute", grab)
    try:
        list_companies(conn, flt, limit=50, **kw)
    finally:
        event.remove(conn, "before_cursor_execute", grab)
    out = []
    for i, (sql, params) in enumerate(seen):
        t = time.perf_counter()
        conn.exec_driver_sql(sql, params).fetchall()
        ms = (time.perf_counter() - t) * 1000
        if i and ms < 10:  # the contact look-ups: shown only when they matter
            continue
        short = re.sub(r"^SELECT .*? FROM (\w+)", r"SELECT \1.* FROM \1", " ".join(sql.split()))
        out.append(f"  [{ms:7.1f} ms] {short[:400]}")
        for row in conn.exec_driver_sql("EXPLAIN QUERY PLAN " + sql, params):
            out.append(f"      {row[3]}")
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--companies", type=int, default=1_000_000)
    ap.add_argument("--rebuild", action="store_true", help="regenerate the database")
    args = ap.parse_args()
    out = ROOT / "bench" / "out"
    out.mkdir(parents=True, exist_ok=True)
    n = args.companies
    label = (
        f"{n // 1_000_000}m" if n % 1_000_000 == 0 else f"{n // 1000}k" if n % 1000 == 0 else str(n)
    )
    db = out / f"bench-list-{label}.db"

    if args.rebuild or not _is_current(db, n):
        print(f"building {db.relative_to(ROOT)} ({n:,} companies) ...", file=sys.stderr)
        b = build(db, n)
        print(
            f"build: {b['companies']:,} companies, {b['people']:,} people, {b['emails']:,} "
            f"emails in {b['total_s']:.1f}s (rows {b['rows_s']:.1f}s, indexes "
            f"{b['total_s'] - b['rows_s']:.1f}s)"
        )
    else:
        print(f"reusing {db.relative_to(ROOT)} (--rebuild to regenerate)")
    print(f"database: {db.stat().st_size / 1e6:.0f} MB")

    engine = make_engine(f"sqlite:///{db}")
    slow = []
    with engine.connect() as conn:
        counts = {
            t.name: conn.execute(select(func.count()).select_from(t)).scalar_one()
            for t in (Company.__table__, Person.__table__, Email.__table__)
        }
        stats = conn.execute(
            text("SELECT count(*) FROM sqlite_master WHERE name = 'sqlite_stat1'")
        ).scalar_one()
        print(
            f"rows: {counts['companies']:,} companies, {counts['people']:,} people, "
            f"{counts['emails']:,} emails; sqlite_stat1 {'present' if stats else 'absent'}"
        )
        print(
            f"list_companies(limit=50), 1 first run then {RUNS} timed runs, target "
            f"{TARGET_MS:.0f} ms\n"
        )
        print(f"{'combination':<36} {'rows':>4} {'first':>8} {'median':>8} {'max':>8}")
        worst = ("", 0.0)
        for name, flt, kw in cases():
            rows, first, times = time_case(conn, flt, kw)
            med = statistics.median(times)
            flag = "  SLOW" if med > TARGET_MS else ""
            print(
                f"{name:<36} {rows:>4} {first:>8.1f} {med:>8.1f} {max(times):>8.1f}{flag}",
                flush=True,
            )
            if med > worst[1]:
                worst = (name, med)
            if med > TARGET_MS:
                slow.append((name, flt, kw))
        print(
            f"\nslowest median: {worst[1]:.1f} ms ({worst[0]}); "
            f"{len(slow)} of {len(cases())} over {TARGET_MS:.0f} ms"
        )
        if slow:
            print("\nquery plans of the combinations over target:")
            for name, flt, kw in slow:
                print(f"- {name}")
                print("\n".join(explain(conn, flt, kw)))
    engine.dispose()

    cmd = [
        str(Path(sys.executable).with_name("leadgen")),
        "--database-url",
        f"sqlite:///{db.relative_to(ROOT)}",
        "list",
        "--country",
        "RU",
        "--city",
        "Москва",
        "--json",
    ]
    walls = []
    for _ in range(3):
        t = time.perf_counter()
        p = subprocess.run(
            cmd, cwd=ROOT, capture_output=True, text=True, env={**os.environ, "PYTHONUTF8": "1"}
        )
        walls.append((time.perf_counter() - t) * 1000)
        if p.returncode != 0:
            print(f"\nCLI failed ({p.returncode}): {p.stderr.strip()[-500:]}")
            return
    t = time.perf_counter()
    subprocess.run([sys.executable, "-c", "pass"], check=True)
    bare = (time.perf_counter() - t) * 1000
    print(
        f"\nCLI `leadgen list --country RU --city Москва --json` (subprocess, wall): "
        f"{' / '.join(f'{w:.0f}' for w in walls)} ms over 3 runs "
        f"(bare `python -c pass`: {bare:.0f} ms)"
    )


if __name__ == "__main__":
    main()
