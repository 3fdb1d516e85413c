"""Deterministic synthetic prospect lists for the benchmarks (never for tests of accuracy).

``write_list(path, companies, people_per_company)`` writes a purchased-list-shaped CSV: one row
per person with the company columns repeated, Russian headers, ``;``-separated, a mix of Russian,
German and English companies with valid ИНН/ОГРН check digits, E.164-parsable phones and emails.
"""

from __future__ import annotations

import csv
import random
import sys
from pathlib import Path

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
RU_PATR = ["Иванович", "Сергеевич", "Петрович", "Алексеевич", "Николаевич", "Андреевич"]
DE_FIRST = ["Hans", "Katrin", "Jonas", "Anna", "Lukas", "Julia", "Felix", "Sabine", "Jürgen"]
DE_LAST = ["Müller", "Schmidt", "Schneider", "Fischer", "Weber", "Meyer", "Wagner", "Becker"]
EN_FIRST = ["John", "Jane", "Robert", "Emily", "Michael", "Sarah", "David", "Laura", "James"]
EN_LAST = ["Smith", "Johnson", "Brown", "Taylor", "Miller", "Wilson", "Moore", "Clark"]
RU_TITLES = [
    "Генеральный директор",
    "Коммерческий директор",
    "Главный бухгалтер",
    "Начальник отдела закупок",
    "Менеджер по продажам",
    "Главный инженер",
    "Прораб",
]
DE_TITLES = ["Geschäftsführer", "Leiter Einkauf", "Vertriebsleiterin", "Prokurist"]
EN_TITLES = ["CEO", "VP of Sales", "Head of Procurement", "Marketing Manager", "CFO"]
RU_CITIES = [
    ("Москва", "495"),
    ("Санкт-Петербург", "812"),
    ("Казань", "843"),
    ("Екатеринбург", "343"),
    ("Новосибирск", "383"),
    ("Самара", "846"),
]
DE_CITIES = [("Berlin", "30"), ("München", "89"), ("Hamburg", "40"), ("Köln", "221")]
EN_CITIES = [("New York", "212"), ("Chicago", "312"), ("Boston", "617"), ("Seattle", "206")]
WORDS = [
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
]
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
    }
)
HEADERS = [
    "Название",
    "Сайт",
    "ИНН",
    "ОГРН",
    "Телефон",
    "Город",
    "Страна",
    "Отрасль",
    "Сотрудники",
    "ФИО",
    "Должность",
    "E-mail",
]


def inn10(rng: random.Random) -> str:
    region = rng.randrange(1, 93)  # the first two digits are a region code, 01..92
    digits = [region // 10, region % 10] + [rng.randrange(10) for _ in range(7)]
    weights = [2, 4, 10, 3, 5, 9, 4, 6, 8]
    check = sum(a * b for a, b in zip(digits, weights, strict=True)) % 11 % 10
    return "".join(map(str, digits)) + str(check)


def ogrn13(rng: random.Random) -> str:
    body = "1" + "".join(str(rng.randrange(10)) for _ in range(11))
    return body + str(int(body) % 11 % 10)


def _company(rng: random.Random, i: int) -> dict[str, str]:
    kind = rng.random()
    if kind < 0.7:
        name = (rng.choice(WORDS) + rng.choice(WORDS) + "-" + str(i)).capitalize()
        city, code = rng.choice(RU_CITIES)
        domain = name.lower().translate(TRANSLIT) + ".ru"
        return {
            "Название": f"ООО «{name}»",
            "Сайт": domain,
            "ИНН": inn10(rng),
            "ОГРН": ogrn13(rng),
            "Телефон": f"8 ({code}) {rng.randrange(200, 999)}-"
            f"{rng.randrange(10, 99)}-{rng.randrange(10, 99)}",
            "Город": city,
            "Страна": "Россия",
            "Отрасль": rng.choice(["Строительство", "ИТ", "Торговля"]),
            "Сотрудники": str(rng.randrange(5, 5000)),
            "_lang": "ru",
            "_domain": domain,
        }
    if kind < 0.85:
        name = f"{rng.choice(DE_LAST)} {rng.choice(['Bau', 'Logistik', 'Technik'])} {i}"
        city, code = rng.choice(DE_CITIES)
        domain = name.lower().replace(" ", "-").replace("ü", "ue") + ".de"
        return {
            "Название": name + " GmbH",
            "Сайт": "www." + domain,
            "ИНН": "",
            "ОГРН": "",
            "Телефон": f"+49 {code} {rng.randrange(1000, 9999)} {rng.randrange(100, 999)}",
            "Город": city,
            "Страна": "Deutschland",
            "Отрасль": "Bauwesen",
            "Сотрудники": f"{rng.randrange(10, 200)}-{rng.randrange(200, 999)}",
            "_lang": "de",
            "_domain": domain,
        }
    name = f"{rng.choice(EN_LAST)} {rng.choice(['Systems', 'Widgets', 'Analytics'])} {i}"
    city, code = rng.choice(EN_CITIES)
    domain = name.lower().replace(" ", "") + ".com"
    return {
        "Название": name + " Inc.",
        "Сайт": f"https://{domain}/",
        "ИНН": "",
        "ОГРН": "",
        "Телефон": f"+1 ({code}) {rng.randrange(200, 999)}-{rng.randrange(1000, 9999)}",
        "Город": city,
        "Страна": "USA",
        "Отрасль": "Software",
        "Сотрудники": str(rng.randrange(10, 900)),
        "_lang": "en",
        "_domain": domain,
    }


def _person(rng: random.Random, c: dict[str, str], j: int) -> dict[str, str]:
    lang, domain = c["_lang"], c["_domain"]
    if lang == "ru":
        first, last = rng.choice(RU_FIRST), rng.choice(RU_LAST)
        if first[-1] in "ая":
            last += "а"
        name = f"{last} {first} {rng.choice(RU_PATR)}"
        local = f"{first.lower().translate(TRANSLIT)}.{last.lower().translate(TRANSLIT)}{j}"
        title = rng.choice(RU_TITLES)
    elif lang == "de":
        first, last = rng.choice(DE_FIRST), rng.choice(DE_LAST)
        name, title = f"{first} {last}", rng.choice(DE_TITLES)
        local = f"{first[0]}{last}{j}".lower().replace("ü", "ue").replace("ö", "oe")
    else:
        first, last = rng.choice(EN_FIRST), rng.choice(EN_LAST)
        name, title = f"{first} {last}", rng.choice(EN_TITLES)
        local = f"{first}.{last}{j}".lower()
    return {"ФИО": name, "Должность": title, "E-mail": f"{local}@{domain}"}


def write_list(path: Path, companies: int, people_per_company: int = 3, seed: int = 7) -> Path:
    rng = random.Random(seed)
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="") as f:
        w = csv.DictWriter(f, HEADERS, delimiter=";", extrasaction="ignore")
        w.writeheader()
        for i in range(companies):
            c = _company(rng, i)
            for j in range(people_per_company):
                w.writerow({**c, **_person(rng, c, j)})
    return path


if __name__ == "__main__":
    n = int(sys.argv[2]) if len(sys.argv) > 2 else 1000
    print(write_list(Path(sys.argv[1]), n))
