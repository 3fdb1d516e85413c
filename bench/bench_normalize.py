"""Benchmark: cost per call of the normalizers that run in the hot path of ``leadgen import``.

    .venv/bin/python bench/bench_normalize.py [--count 5000] [--repeat 3]

Inputs are generated, seeded and unique (so every call is a cache miss): Russian ФИО in both
orders and with initials, German names with academic titles and particles, English names with
honorifics; job titles from the O*NET alternate titles when the corpus is there plus Russian
and German titles with departments; company names with legal forms; phone numbers in the
shapes of purchased lists.  Each function's caches are cleared before a timed pass; the best
of ``--repeat`` passes is reported as µs per call (cold), and a second pass over the same
inputs as µs per call (warm: what an import pays for a repeated value).  Times are CPU time
of this process (``time.process_time``): on a shared machine wall time mostly measures the
neighbours.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ONET_DIR = ROOT.parent / "shared" / "corpus" / "titles" / "onet-alternate-titles"
if not os.environ.get("BENCH_KEEP_PATH"):
    sys.path.insert(0, str(ROOT))

import enrichment  # noqa: E402

RU_FIRST = "Иван Сергей Андрей Ольга Мария Елена Наталья Татьяна Михаил Павел Анна Юлия Николай \
Ирина Дмитрий Алексей Светлана Екатерина Владимир Галина".split()
RU_LAST = "Иванов Смирнов Кузнецов Попов Васильев Петров Соколов Михайлов Новиков Фёдоров \
Морозов Волков Алексеев Лебедев Семенов Егоров Павлов Козлов Степанов Николаев Шевченко Ким \
Салтыков-Щедрин Бондаренко Абрамович".split()
RU_PATR_M = "Иванович Сергеевич Петрович Алексеевич Николаевич Андреевич Ильич Кузьмич".split()
DE_FIRST = "Hans Katrin Jonas Anna Lukas Julia Felix Sabine Jürgen Karl-Heinz Petra Ute".split()
DE_LAST = "Müller Schmidt Schneider Fischer Weber Meyer Wagner Becker Schulz Hoffmann".split()
DE_PREFIX = ["", "", "Dr. ", "Prof. Dr.-Ing. ", "Dipl.-Kfm. ", "Herr ", "Frau Dr. "]
DE_PARTICLE = ["", "", "", "von ", "van der ", "zu "]
EN_FIRST = "John Jane Robert Emily Michael Sarah David Laura James Mary-Jane".split()
EN_LAST = "Smith Johnson Brown Taylor Miller Wilson Moore Clark O'Neil Davis".split()
EN_PREFIX = ["", "", "Mr. ", "Mrs. ", "Ms. ", "Dr. "]
EN_SUFFIX = ["", "", "", " Jr.", " III", ", PhD"]

RU_TITLES = """Генеральный директор|Ген. директор|Коммерческий директор|Главный бухгалтер|
Начальник отдела закупок|Начальник отдела снабжения|Менеджер по продажам|Главный инженер|Прораб|
Зам. генерального директора|Заместитель директора по производству|Начальник участка|Сметчик|
Специалист по тендерам|Помощник руководителя|Ведущий инженер-конструктор|Инженер ПТО|
Руководитель отдела маркетинга|Финансовый директор|Директор по персоналу""".replace("\n", "")
DE_TITLES = """Geschäftsführer|Geschäftsführerin|Leiter Einkauf|Leiterin Einkauf|Vertriebsleiter|
Prokurist|Inhaber|Vorstand|Abteilungsleiter Produktion|Sachbearbeiter Einkauf|Werkstudent|
Azubi|Technischer Leiter|Bauleiter|Teamleiter IT|Key Account Manager""".replace("\n", "")
SUFFIXES = ["", " ООО «Ромашка»", " (Москва)", ", филиал", " / Vertrieb", " 2", " DACH"]

COMPANY_FORMS = ["ООО «{}»", "АО «{}»", "{} GmbH", "{} GmbH & Co. KG", "{} LLC", "{}, Inc.",
                 "{} AG", "ИП {}", "{} Ltd", "{} UG (haftungsbeschränkt)"]  # fmt: skip
COMPANY_WORDS = "Ромашка Стройтехмонтаж Вектор Альфа Müller Bau Technik Acme Global Systems \
Логистик Nord Süd Trans Sever Invest Group Промсервис Energo".split()


def names(rng: random.Random, n: int) -> list[str]:
    out: set[str] = set()
    while len(out) < n:
        r = rng.random()
        if r < 0.5:
            first, last, patr = rng.choice(RU_FIRST), rng.choice(RU_LAST), rng.choice(RU_PATR_M)
            shape = rng.randrange(5)
            out.add(
                [
                    f"{last} {first} {patr}",
                    f"{first} {patr} {last}",
                    f"{last} {first[0]}. {patr[0]}.",
                    f"{first[0]}.{patr[0]}. {last}",
                    f"{last.upper()} {first.upper()} {patr.upper()}",
                ][shape]
                + " " * rng.randrange(3)
            )
        elif r < 0.75:
            out.add(
                rng.choice(DE_PREFIX) + rng.choice(DE_FIRST) + " " + rng.choice(DE_PARTICLE)
                + rng.choice(DE_LAST) + " " * rng.randrange(3)
            )  # fmt: skip
        else:
            out.add(
                rng.choice(EN_PREFIX) + rng.choice(EN_FIRST) + " " + rng.choice(EN_LAST)
                + rng.choice(EN_SUFFIX) + " " * rng.randrange(3)
            )  # fmt: skip
    return sorted(out)


def titles(rng: random.Random, n: int) -> list[str]:
    path = Path(os.environ.get("LEADGEN_ONET_DIR", ONET_DIR))
    english: list[str] = []
    if (path / "Alternate Titles.txt").exists():
        lines = (path / "Alternate Titles.txt").read_text(encoding="utf-8").splitlines()[1:]
        english = sorted({line.split("\t")[1] for line in lines})
    out: set[str] = set()
    local = RU_TITLES.split("|") + DE_TITLES.split("|")
    n = min(n, len(english) + 30 * len(local))
    while len(out) < n:
        if english and rng.random() < 0.5:
            out.add(rng.choice(english))
        else:
            suffix = rng.choice(SUFFIXES) + rng.choice(["", " I", " II", "."])
            out.add(rng.choice(local) + suffix + " " * rng.randrange(3))
    return sorted(out)


def companies(rng: random.Random, n: int) -> list[str]:
    out: set[str] = set()
    while len(out) < n:
        words = " ".join(rng.sample(COMPANY_WORDS, rng.randint(1, 2)))
        out.add(rng.choice(COMPANY_FORMS).format(words) + " " * rng.randrange(5))
    return sorted(out)


def phones(rng: random.Random, n: int) -> list[tuple[str, str]]:
    out: set[tuple[str, str]] = set()
    while len(out) < n:
        a, b, c, d = rng.choice(["495", "812", "916", "343"]), rng.randrange(100, 1000), \
            rng.randrange(100), rng.randrange(100)  # fmt: skip
        out.add(
            rng.choice(
                [
                    (f"8 ({a}) {b}-{c:02d}-{d:02d}", "RU"),
                    (f"+7 {a} {b} {c:02d} {d:02d}", "RU"),
                    (f"+49 89 {b}{c:02d}{d:02d}", "DE"),
                    (f"089/{b}{c:02d}{d:02d}", "DE"),
                    (f"+7 ({a}) {b}-{c:02d}-{d:02d} доб. {d}", "RU"),
                    (f"(650) {b}-{c:02d}{d:02d}", "US"),
                ]
            )
        )
    return sorted(out)


def _clear() -> None:
    import enrichment.normalize as pkg

    for mod in list(sys.modules.values()):
        if mod is None or not getattr(mod, "__name__", "").startswith(pkg.__name__):
            continue
        for obj in vars(mod).values():
            if callable(getattr(obj, "cache_clear", None)):
                obj.cache_clear()


def timed(func, inputs, repeat: int) -> tuple[float, float]:
    best_cold = best_warm = float("inf")
    for _ in range(repeat):
        _clear()
        t0 = time.process_time()
        for x in inputs:
            func(x)
        t1 = time.process_time()
        for x in inputs:
            func(x)
        t2 = time.process_time()
        best_cold = min(best_cold, (t1 - t0) / len(inputs) * 1e6)
        best_warm = min(best_warm, (t2 - t1) / len(inputs) * 1e6)
    return best_cold, best_warm


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--count", type=int, default=5000)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    rng = random.Random(20261201)
    cases = [
        ("parse_person_name", enrichment.parse_person_name, names(rng, args.count)),
        ("classify_title", enrichment.classify_title, titles(rng, args.count)),
        ("normalize_company_name", enrichment.normalize_company_name, companies(rng, args.count)),
        ("normalize_phone", lambda p: enrichment.normalize_phone(*p), phones(rng, args.count)),
    ]
    # warm up imports and lazily built tables
    for _, func, inputs in cases:
        func(inputs[0])
    print(f"{'function':<24} {'inputs':>7} {'cold µs/call':>13} {'warm µs/call':>13}")
    for name, func, inputs in cases:
        cold, warm = timed(func, inputs, args.repeat)
        print(f"{name:<24} {len(inputs):>7} {cold:>13.1f} {warm:>13.2f}")


if __name__ == "__main__":
    main()
