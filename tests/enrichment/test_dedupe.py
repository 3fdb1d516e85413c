"""Duplicate rules, pair by pair: what merges, under which rule, and what is vetoed."""

from __future__ import annotations

import pytest

from enrichment.dedupe import (
    CompanyEntry,
    Match,
    PersonEntry,
    Refusal,
    compare_companies,
    compare_people,
    find_company_duplicates,
    find_person_duplicates,
)
from enrichment.dedupe.companies import address_key

C = CompanyEntry

# (a, b, expected rule or None, "veto" when refused)
COMPANY_PAIRS = [
    # exact keys
    (C(1, "ООО «Ромашка»", inn="7707083893"), C(2, "Ромашка Трейд", inn="7707083893"), "inn"),
    (C(1, "Acme", ogrn="1027700132195"), C(2, "Акме", ogrn="1027700132195"), "ogrn"),
    (C(1, "Beispiel Bau GmbH", vat="DE123456789"), C(2, "Beispielbau", vat="de123456789"), "vat"),
    (C(1, "X", domain="acme.de"), C(2, "Acme", domain="acme.de"), "domain"),
    (C(1, "Acme", domain="acme.de"), C(2, "ACME GmbH", emails=("info@acme.de",)), "domain"),
    (C(1, "Acme", emails=("sales@acme.io",)), C(2, "Acme Ltd", emails=("sales@acme.io",)), "email"),
    # a free-mail domain is not the company's
    (C(1, "Яндекс", domain="yandex.ru"), C(2, "Окна Плюс", emails=("okna@yandex.ru",)), None),
    # strong keys contradict: never
    (
        C(1, "Ромашка", city="Казань", inn="7707083893"),
        C(2, "Ромашка", city="Казань", inn="7707083894"),
        "veto",
    ),
    (
        C(1, "Acme", city="Berlin", domain="acme.de"),
        C(2, "Acme", city="Berlin", domain="acme-berlin.de"),
        "veto",
    ),
    (C(1, "A", inn="7707083893", vat="DE1"), C(2, "B", inn="7707083893", vat="DE2"), "veto"),
    # Cyrillic / Latin and legal forms
    (C(1, "ООО «Ромашка»", city="Казань"), C(2, "Romashka LLC", city="г. Казань"), "name_city"),
    (C(1, "ЗАО Лукойл-Сервис", city="Пермь"), C(2, "Lukoil Servis", city="Пермь"), "name_city"),
    (C(1, "Müller Bau GmbH", city="Köln"), C(2, "Muller Bau", city="köln"), "name_city"),
    (C(1, "The Boeing Company", city="Chicago"), C(2, "Boeing Co.", city="Chicago"), "name_city"),
    (
        C(1, "Procter & Gamble", city="Cincinnati"),
        C(2, "Procter and Gamble Inc.", city="Cincinnati"),
        "name_city",
    ),
    # typos and spacing
    (
        C(1, "Стройматериалы Поволжья", city="Самара"),
        C(2, "Строматериалы Поволжья", city="Самара"),
        "name_city",
    ),
    (C(1, "Строй-Мастер Урал", city="Пермь"), C(2, "Строймастер Урал", city="Пермь"), "name_city"),
    (
        C(1, "Schneider Logistik Nord", city="Hamburg"),
        C(2, "Logistik Nord Schneider", city="Hamburg"),
        "name_city",
    ),
    # alike names, but different cities and nothing else in common
    (C(1, "Ромашка", city="Казань"), C(2, "Ромашка", city="Самара"), None),
    (C(1, "Ромашка"), C(2, "Ромашка"), None),
    # a phone or an address in common lets less alike names meet
    (
        C(1, "Стройматериалы Плюс", city="Москва", phones=("+74957654321",)),
        C(2, "ТД Стройматериалы-Плюс", city="Химки", phones=("+74957654321",)),
        "name_phone",
    ),
    (
        C(1, "Little Stars Learning Center", address="221 E. 51st St.", city="Chicago"),
        C(2, "Little Stars Learning Ctr", address="221 East 51st Street", city="Chicago"),
        "name_address",
    ),
    # numbers in names differ: two schools, two branches
    (
        C(1, "Средняя общеобразовательная школа № 12", city="Москва"),
        C(2, "Средняя общеобразовательная школа № 14", city="Москва"),
        "veto",
    ),
    (C(1, "Школа № 12", city="Москва"), C(2, "Школа № 14", city="Москва"), None),
    (C(1, "Автосервис-1 Иванова", city="Тула"), C(2, "Автосервис-2 Иванова", city="Тула"), "veto"),
    # a branch named on one side only
    (
        C(1, "Сбербанк", city="Казань"),
        C(2, "Сбербанк Филиал Казань", city="Казань", phones=("+78432",)),
        None,
    ),
    (
        C(1, "Deutsche Bahn Filiale Köln", city="Köln", phones=("+49221",)),
        C(2, "Deutsche Bahn Filiale Bonn", city="Köln", phones=("+49221",)),
        "veto",
    ),
    # generic names need more than the city
    (C(1, "Стройсервис", city="Тверь"), C(2, "Строй-Сервис", city="Тверь"), "veto"),
    (
        C(1, "Стройсервис", city="Тверь", phones=("+74822",)),
        C(2, "Строй-Сервис", city="Тверь", phones=("+74822",)),
        "name_phone",
    ),
    (C(1, "Auto Service Group", city="Berlin"), C(2, "Autoservice Group", city="Berlin"), "veto"),
    # short names must be equal; medium names nearly so
    (C(1, "АБВ", city="Москва"), C(2, "АБС", city="Москва"), None),
    (C(1, "IBM", city="Armonk"), C(2, "I.B.M. Corp", city="Armonk"), "name_city"),
    (C(1, "Ромашка", city="Казань"), C(2, "Ромашкин", city="Казань"), None),
    (C(1, "Sigma", city="Berlin"), C(2, "Sigmo", city="Berlin"), None),
    (C(1, "Vectorsoft", city="Berlin"), C(2, "Vectorsoft", city="Berlin"), "name_city"),
    # not alike enough
    (C(1, "Альфа Строй", city="Москва"), C(2, "Альфа Трейд", city="Москва"), None),
    (C(1, "Smith Systems", city="Boston"), C(2, "Smith Analytics", city="Boston"), None),
]


def _verdict(v):
    if v is None:
        return None
    return "veto" if isinstance(v, Refusal) else v.rule


@pytest.mark.parametrize(("a", "b", "expected"), COMPANY_PAIRS)
def test_company_pairs(a, b, expected):
    assert _verdict(compare_companies(a, b)) == expected
    assert _verdict(compare_companies(b, a)) == expected  # symmetric


def test_reasons_say_why():
    m = compare_companies(C(1, "ООО «Ромашка»", city="Казань"), C(2, "Romashka", city="Казань"))
    assert m == Match(
        1, 2, "name_city", 100.0, "names 'ООО «Ромашка»' / 'Romashka' 100 % alike, same city Казань"
    )
    m = compare_companies(C(1, "A", inn="7707083893"), C(2, "B", inn="7707083893"))
    assert m.reason == "same INN 7707083893" and m.score == 100.0
    r = compare_companies(
        C(1, "Ромашка", city="Казань", inn="7707083893"),
        C(2, "Ромашка", city="Казань", inn="7707083894"),
    )
    assert r.reason.endswith("but different INN 7707083893 / 7707083894")
    r = compare_companies(
        C(1, "Средняя школа 12 Центрального района", city="Москва"),
        C(2, "Средняя школа 14 Центрального района", city="Москва"),
    )
    assert "numbers in the names differ (12 / 14)" in r.reason


def test_threshold_moves_the_fuzzy_line():
    a = C(1, "Стройматериалы Поволжья", city="Самара")
    b = C(2, "Строматериалы Поволжья", city="Самара")
    score = compare_companies(a, b).score
    assert 90 <= score < 100
    assert compare_companies(a, b, threshold=score) is not None
    assert compare_companies(a, b, threshold=score + 0.5) is None


def test_a_name_found_in_many_cities_is_generic():
    cities = ["Москва", "Тверь", "Казань", "Самара", "Пермь"]
    entries = [C(i, "Мегаполис", city=c) for i, c in enumerate(cities)]
    entries += [C(10, "Мега-полис", city="Тверь")]
    plan = find_company_duplicates(entries)
    assert plan.clusters == []
    assert any("generic" in r.reason for r in plan.refused)
    # the same pair alone is fine
    assert find_company_duplicates([entries[1], entries[-1]]).clusters == [[1, 10]]


def test_clusters_never_join_two_inns():
    # A ~ B and B ~ C by name, but A and C carry different INNs: B joins one of them only.
    entries = [
        C(1, "Ромашка", city="Казань", inn="7707083893"),
        C(2, "Romashka", city="Казань"),
        C(3, "Ромашка", city="Казань", phones=("+7843",), inn="1655000005"),
        C(4, "Ромашка", city="Казань", phones=("+7843",)),
    ]
    plan = find_company_duplicates(entries)
    for members in plan.clusters:
        inns = {e.inn for e in entries if e.id in members and e.inn}
        assert len(inns) <= 1
    assert [3, 4] in plan.clusters  # the phone pair is stronger evidence
    assert plan.refused


def test_exact_keys_cluster_transitively_and_strongest_first():
    entries = [
        C(1, "Acme", domain="acme.de", inn="7707083893"),
        C(2, "Acme Rus", inn="7707083893", ogrn="1027700132195"),
        C(3, "Акме", ogrn="1027700132195"),
        C(4, "Other", emails=("a@acme.de",)),
    ]
    plan = find_company_duplicates(entries)
    assert plan.clusters == [[1, 2, 3, 4]]
    assert [m.rule for m in plan.matches] == ["domain", "inn", "ogrn"]


def test_a_phone_shared_by_many_is_not_evidence():
    entries = [
        C(i, f"Call Centre Client {chr(65 + i)}", phones=("+78005553535",)) for i in range(25)
    ]
    plan = find_company_duplicates(entries)
    assert plan.clusters == [] and any("+78005553535" in s for s in plan.skipped_blocks)


def test_blocking_finds_typos_at_either_end():
    entries = [
        C(1, "Kraftwerk Anlagenbau", city="Essen"),
        C(2, "Kraftwerk Anlagenbauu", city="Essen"),  # typo at the end: same head block
        C(3, "Mkraftwerk Anlagenbau", city="Essen"),  # typo at the start: same tail block
        C(4, "Elektro Nord", city="Essen"),
    ]
    assert find_company_duplicates(entries).clusters == [[1, 2, 3]]


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("221 E. 51st St.", "221 51st"),
        ("221 East 51st Street", "221 51st"),
        ("ул. Ленина, д. 5", "5 lenina"),
        ("Hauptstraße 12", "12 hauptstrasse"),
        ("", ""),
        ("Москва", ""),
    ],
)
def test_address_key(text, key):
    assert address_key(text) == key


P = PersonEntry
PERSON_PAIRS = [
    (P(1, 1, "Иванов Иван"), P(2, 1, "Иван Иванов"), "person_name"),
    (P(1, 1, "Иванов Иван Иванович"), P(2, 1, "Иван Иванов"), "person_name"),
    (P(1, 1, "Иван Иванов"), P(2, 1, "Ivan Ivanov"), "person_name"),
    (P(1, 1, "Ivanov Ivan"), P(2, 1, "Иван Иванов"), "person_name"),
    (P(1, 1, "Dr. Hans Müller"), P(2, 1, "Hans Müller"), "person_name"),
    (P(1, 1, "Юлия Соколова"), P(2, 1, "Yulia Sokolova"), "person_fuzzy"),
    (P(1, 1, "Jonathan Smyth"), P(2, 1, "Jonathan Smith"), "person_name"),  # y/i folded
    (P(1, 1, "И. Иванов"), P(2, 1, "Иван Иванов"), "person_initials"),
    (P(1, 1, "J. Smith"), P(2, 1, "John Smith"), "person_initials"),
    (P(1, 1, "Jonathan Richadson"), P(2, 1, "Jonathan Richardson"), "person_fuzzy"),
    (P(1, 1, "Aleksandr Kuznetsov"), P(2, 1, "Aleksandr Kuznetcov"), "person_fuzzy"),
    (P(1, 1, "Aleksandr Petrov"), P(2, 1, "Aleksandr Petrow"), None),  # short: another family
    (P(1, 1, "Hans Müller"), P(2, 1, "Hans Miller"), None),
    (P(1, 1, "Aleksandr Petrov"), P(2, 1, "Alexandr Petrov"), "person_name"),  # x = ks
    (
        P(1, 1, "И. Иванов", emails=("ivanov@romashka.ru",)),
        P(2, 1, "Иванов Иван", emails=("ivanov@romashka.ru",)),
        "email",
    ),
    (
        P(1, 1, "Julia", emails=("julia.t@acme.com",)),
        P(2, 1, "Julia Taylor", emails=("Julia.T@acme.com",)),
        "email",
    ),
    # role boxes are shared: no evidence
    (
        P(1, 1, "Анна Котова", emails=("info@x.ru",)),
        P(2, 1, "Олег Котов", emails=("info@x.ru",)),
        None,
    ),
    # vetoes
    (P(1, 1, "Иванов Иван"), P(2, 1, "Иванова Ивана"), "veto"),
    (P(1, 1, "Иван Иванов"), P(2, 1, "Пётр Иванов"), None),
    (P(1, 1, "Иванов Иван Петрович"), P(2, 1, "Иванов Иван Сергеевич"), "veto"),
    (P(1, 1, "Саша Петровский"), P(2, 1, "Саша Петровская"), "veto"),
    (
        P(1, 1, "Anna Schmidt", emails=("a.schmidt@x.de",)),
        P(2, 1, "Peter Schmidt", emails=("a.schmidt@x.de",)),
        "veto",
    ),
    (P(1, 1, "John Smith"), P(2, 1, "Jane Smith"), None),
    (P(1, 1, "П. Иванов"), P(2, 1, "Иван Иванов"), None),
]


@pytest.mark.parametrize(("a", "b", "expected"), PERSON_PAIRS)
def test_person_pairs(a, b, expected):
    assert _verdict(compare_people(a, b)) == expected
    assert _verdict(compare_people(b, a)) == expected


def test_people_merge_only_within_their_company():
    plan = find_person_duplicates([P(1, 10, "Иван Иванов"), P(2, 11, "Иван Иванов")])
    assert plan.clusters == []


def test_an_initial_that_fits_two_people_merges_neither():
    plan = find_person_duplicates(
        [P(1, 1, "И. Иванов"), P(2, 1, "Иван Иванов"), P(3, 1, "Игорь Иванов")]
    )
    assert plan.clusters == []
    assert any("more than one" in r.reason for r in plan.refused)


def test_large_groups_are_blocked_and_still_found():
    firsts = "Anna Boris Clara Dmitri Elena Fjodor Galina Hector Irina Jakob".split()
    lasts = "Adler Bauer Coelho Dvorak Eckert Fuchs Gruber Horvat Ivanova Jansen".split()
    syll = "ka lo mi ne ru".split()
    names = [f"{f} {la}{s}" for f in firsts for la in lasts for s in syll[:3]]
    entries = [P(i, 1, n) for i, n in enumerate(names)]  # 300 people in one company
    entries.append(P(999, 1, "Eckertmi Galina"))  # written surname first
    plan = find_person_duplicates(entries)
    assert len(names) == 300
    assert plan.clusters == [[names.index("Galina Eckertmi"), 999]]
    assert plan.compared < 300 * 299 // 2


def test_a_keyless_record_alike_to_two_companies_joins_neither():
    entries = [
        C(1, "Ромашка", city="Казань", inn="7707083893"),
        C(2, "Ромашка", city="Казань", inn="1655000005"),
        C(3, "Romashka", city="Казань"),
    ]
    plan = find_company_duplicates(entries)
    assert plan.clusters == []
    assert any("#3 is as alike to #1 (INN 7707083893) and #2" in r.reason for r in plan.refused)


def test_many_records_with_one_name_in_one_city():
    same = [C(i, "Kraftwerk Anlagenbau", city="Essen") for i in range(25)]
    plan = find_company_duplicates(same)
    assert plan.clusters == [list(range(25))] and plan.compared == 24  # a star, not 300 pairs
    # with two INNs among them the name decides nothing
    keyed = [*same[:23], C(23, "Kraftwerk Anlagenbau", city="Essen", inn="7707083893")]
    keyed.append(C(24, "Kraftwerk Anlagenbau", city="Essen", inn="1655000005"))
    plan = find_company_duplicates(keyed)
    assert plan.clusters == []
    assert any("different keys" in s for s in plan.skipped_blocks)
