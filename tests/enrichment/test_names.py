"""parse_person_name: Russian ФИО in either order, English and German names with titles."""

from __future__ import annotations

import pytest

from enrichment import PersonName, parse_person_name


@pytest.mark.parametrize(
    ("text", "full", "first", "middle", "last", "key"),
    [
        # Russian: register order, natural order, initials, caps, ё
        (
            "Иванов Иван Иванович",
            "Иванов Иван Иванович",
            "Иван",
            "Иванович",
            "Иванов",
            "иван иванов",
        ),
        (
            "Иван Иванович Иванов",
            "Иван Иванович Иванов",
            "Иван",
            "Иванович",
            "Иванов",
            "иван иванов",
        ),
        ("Иван Иванов", "Иван Иванов", "Иван", None, "Иванов", "иван иванов"),
        ("Иванов Иван", "Иванов Иван", "Иван", None, "Иванов", "иван иванов"),
        (
            "  Иванов   Иван  Иванович ",
            "Иванов Иван Иванович",
            "Иван",
            "Иванович",
            "Иванов",
            "иван иванов",
        ),
        (
            "ИВАНОВ ИВАН ИВАНОВИЧ",
            "Иванов Иван Иванович",
            "Иван",
            "Иванович",
            "Иванов",
            "иван иванов",
        ),
        ("Иванов И. И.", "Иванов И. И.", "И.", "И.", "Иванов", "и иванов"),
        ("Иванов И.И.", "Иванов И. И.", "И.", "И.", "Иванов", "и иванов"),
        ("И.И. Иванов", "И. И. Иванов", "И.", "И.", "Иванов", "и иванов"),
        ("Иванов И.", "Иванов И.", "И.", None, "Иванов", "и иванов"),
        (
            "Петрова Анна Сергеевна",
            "Петрова Анна Сергеевна",
            "Анна",
            "Сергеевна",
            "Петрова",
            "анна петрова",
        ),
        (
            "Анна Сергеевна Петрова",
            "Анна Сергеевна Петрова",
            "Анна",
            "Сергеевна",
            "Петрова",
            "анна петрова",
        ),
        (
            "Кузнецова Мария Ильинична",
            "Кузнецова Мария Ильинична",
            "Мария",
            "Ильинична",
            "Кузнецова",
            "мария кузнецова",
        ),
        (
            "Сидоров Пётр Кузьмич",
            "Сидоров Пётр Кузьмич",
            "Пётр",
            "Кузьмич",
            "Сидоров",
            "петр сидоров",
        ),
        (
            "Абрамович Роман Аркадьевич",
            "Абрамович Роман Аркадьевич",
            "Роман",
            "Аркадьевич",
            "Абрамович",
            "роман абрамович",
        ),
        (
            "Роман Аркадьевич Абрамович",
            "Роман Аркадьевич Абрамович",
            "Роман",
            "Аркадьевич",
            "Абрамович",
            "роман абрамович",
        ),
        ("Ёлкин Семён", "Ёлкин Семён", "Семён", None, "Ёлкин", "семен елкин"),
        ("Константин Ильин", "Константин Ильин", "Константин", None, "Ильин", "константин ильин"),
        ("Ильин Константин", "Ильин Константин", "Константин", None, "Ильин", "константин ильин"),
        ("Олег Ким", "Олег Ким", "Олег", None, "Ким", "олег ким"),
        ("Шевченко Тарас", "Шевченко Тарас", "Тарас", None, "Шевченко", "тарас шевченко"),
        (
            "Салтыков-Щедрин Михаил Евграфович",
            "Салтыков-Щедрин Михаил Евграфович",
            "Михаил",
            "Евграфович",
            "Салтыков-Щедрин",
            "михаил салтыков-щедрин",
        ),
        (
            "Мамедов Эльчин Ариф оглы",
            "Мамедов Эльчин Ариф оглы",
            "Эльчин",
            "Ариф оглы",
            "Мамедов",
            "эльчин мамедов",
        ),
        (
            "Иванов, Иван Иванович",
            "Иван Иванович Иванов",
            "Иван",
            "Иванович",
            "Иванов",
            "иван иванов",
        ),
        ("г-н Иванов Иван", "Иванов Иван", "Иван", None, "Иванов", "иван иванов"),
        ("Иванов Иван (директор)", "Иванов Иван", "Иван", None, "Иванов", "иван иванов"),
        (
            "Ivanov Ivan Ivanovich",
            "Ivanov Ivan Ivanovich",
            "Ivan",
            "Ivanovich",
            "Ivanov",
            "ivan ivanov",
        ),
        # English
        ("John Smith", "John Smith", "John", None, "Smith", "john smith"),
        ("John A. Smith", "John A. Smith", "John", "A.", "Smith", "john smith"),
        ("Smith, John", "John Smith", "John", None, "Smith", "john smith"),
        ("Smith, John A.", "John A. Smith", "John", "A.", "Smith", "john smith"),
        ("Mr. John Smith Jr.", "John Smith", "John", None, "Smith", "john smith"),
        ("Mrs Jane Doe", "Jane Doe", "Jane", None, "Doe", "jane doe"),
        ("Dr. Jane Doe, PhD", "Jane Doe", "Jane", None, "Doe", "jane doe"),
        ("John Smith III", "John Smith", "John", None, "Smith", "john smith"),
        ("JOHN SMITH", "John Smith", "John", None, "Smith", "john smith"),
        ("Mary-Jane O'Neil", "Mary-Jane O'Neil", "Mary-Jane", None, "O'Neil", "mary-jane o'neil"),
        ("Smith J.", "Smith J.", "J.", None, "Smith", "j smith"),
        (
            "Johann Sebastian Carl Bach",
            "Johann Sebastian Carl Bach",
            "Johann",
            "Sebastian Carl",
            "Bach",
            "johann bach",
        ),
        # a conjunction is a hard case: nameparser joins the two surnames
        (
            "Juan Carlos Garcia y Lopez",
            "Juan Carlos Garcia y Lopez",
            "Juan",
            "Carlos",
            "Garcia y Lopez",
            "juan garcia y lopez",
        ),
        # German: academic titles, particles, umlauts, ß
        ("Prof. Dr.-Ing. Hans Müller", "Hans Müller", "Hans", None, "Müller", "hans müller"),
        (
            "Herr Prof. Dr. Karl-Heinz Rummenigge",
            "Karl-Heinz Rummenigge",
            "Karl-Heinz",
            None,
            "Rummenigge",
            "karl-heinz rummenigge",
        ),
        ("Frau Dr. med. Anna Schmidt", "Anna Schmidt", "Anna", None, "Schmidt", "anna schmidt"),
        ("Dipl.-Ing. Jürgen Weiß", "Jürgen Weiß", "Jürgen", None, "Weiß", "jürgen weiss"),
        (
            "Ludwig van Beethoven",
            "Ludwig van Beethoven",
            "Ludwig",
            None,
            "van Beethoven",
            "ludwig van beethoven",
        ),
        (
            "Hans von der Heide",
            "Hans von der Heide",
            "Hans",
            None,
            "von der Heide",
            "hans von der heide",
        ),
        (
            "Ursula von der Leyen",
            "Ursula von der Leyen",
            "Ursula",
            None,
            "von der Leyen",
            "ursula von der leyen",
        ),
        (
            "Karl Theodor zu Guttenberg",
            "Karl Theodor zu Guttenberg",
            "Karl",
            "Theodor",
            "zu Guttenberg",
            "karl zu guttenberg",
        ),
        (
            "HANS VON DER HEIDE",
            "Hans von der Heide",
            "Hans",
            None,
            "von der Heide",
            "hans von der heide",
        ),
        (
            "Müller-Lüdenscheidt, Petra",
            "Petra Müller-Lüdenscheidt",
            "Petra",
            None,
            "Müller-Lüdenscheidt",
            "petra müller-lüdenscheidt",
        ),
        # single tokens
        ("Иван", "Иван", "Иван", None, None, "иван"),
        ("Иванов", "Иванов", None, None, "Иванов", "иванов"),
        ("Madonna", "Madonna", "Madonna", None, None, "madonna"),
    ],
)
def test_parse_person_name(text, full, first, middle, last, key):
    assert parse_person_name(text) == PersonName(text, full, first, middle, last, key)


@pytest.mark.parametrize(
    "variants",
    [
        [
            "Иванов Иван Иванович",
            "Иван Иванович Иванов",
            "Иван Иванов",
            "ИВАНОВ ИВАН",
            "Иванов, Иван",
        ],
        ["Петрова Алёна Викторовна", "Алена Петрова", "петрова алена"],
        ["Hans Müller", "Prof. Dr. Hans Müller", "MÜLLER, HANS", "Herr Hans Müller"],
        ["John A. Smith", "Smith, John", "Mr. John Smith Jr."],
    ],
)
def test_same_person_same_key(variants):
    keys = {parse_person_name(v).key for v in variants}
    assert len(keys) == 1


@pytest.mark.parametrize(
    "text",
    [
        None,
        "",
        "   ",
        "😀",
        "info@firma.de",
        "+7 495 123-45-67",
        "12345",
        "Mr.",
        "Dr. Prof.",
        "x" * 10_000,
        "Иван " * 5_000,
        ",,,",
        "(директор)",
        42,
    ],
)
def test_odd_inputs(text):
    result = parse_person_name(text)
    assert isinstance(result, PersonName)
    assert len(result.full) <= 300


@pytest.mark.parametrize("text", [None, "", "   ", "😀", "info@firma.de", "12345", "Mr."])
def test_nothing_to_parse(text):
    result = parse_person_name(text)
    assert (result.full, result.first, result.middle, result.last, result.key) == (
        "",
        None,
        None,
        None,
        "",
    )


@pytest.mark.parametrize(
    ("text", "full", "first", "middle", "last"),
    [
        ("Сергеев Сергей Сергеевич", "Сергеев Сергей Сергеевич", "Сергей", "Сергеевич", "Сергеев"),
        ("Сергей Сергеевич Сергеев", "Сергей Сергеевич Сергеев", "Сергей", "Сергеевич", "Сергеев"),
        ("Иванова Анна Ильинична", "Иванова Анна Ильинична", "Анна", "Ильинична", "Иванова"),
        ("Анна Ильинична Иванова", "Анна Ильинична Иванова", "Анна", "Ильинична", "Иванова"),
        ("Кузьмин Лука Ильич", "Кузьмин Лука Ильич", "Лука", "Ильич", "Кузьмин"),
        ("Лука Ильич Кузьмин", "Лука Ильич Кузьмин", "Лука", "Ильич", "Кузьмин"),
        ("Фомина Ирина Никитична", "Фомина Ирина Никитична", "Ирина", "Никитична", "Фомина"),
        ("Елена Никитична", "Елена Никитична", "Елена", "Никитична", None),
        ("ИВАНОВ И.И.", "Иванов И. И.", "И.", "И.", "Иванов"),
        ("И. И. Иванов", "И. И. Иванов", "И.", "И.", "Иванов"),
        ("П. Петров", "П. Петров", "П.", None, "Петров"),
        ("ИВАНОВА-ПЕТРОВА АННА", "Иванова-Петрова Анна", "Анна", None, "Иванова-Петрова"),
        (
            "Иванов Иван Иванович, генеральный директор",
            "Иванов Иван Иванович",
            "Иван",
            "Иванович",
            "Иванов",
        ),
        ("Иван Петров, директор", "Иван Петров", "Иван", None, "Петров"),
        ("г-н Петров", "Петров", None, None, "Петров"),
        ("Господин Иванов Иван", "Иванов Иван", "Иван", None, "Иванов"),
        ("Уважаемая Анна Сергеевна", "Анна Сергеевна", "Анна", "Сергеевна", None),
        (
            "Гусейнова Айгюль Рашид кызы",
            "Гусейнова Айгюль Рашид кызы",
            "Айгюль",
            "Рашид кызы",
            "Гусейнова",
        ),
        ("Dr. rer. nat. Hans Meier", "Hans Meier", "Hans", None, "Meier"),
        ("Hans Meier, Dipl.-Ing.", "Hans Meier", "Hans", None, "Meier"),
        ("Meier, Dr. Hans", "Hans Meier", "Hans", None, "Meier"),
        ("Dipl.-Kfm. Klaus Bauer", "Klaus Bauer", "Klaus", None, "Bauer"),
        ("Prof. Dr.-Ing. habil. Jörg Schmidt", "Jörg Schmidt", "Jörg", None, "Schmidt"),
        ("Prof. Dr. Dr. h.c. mult. Hans Müller", "Hans Müller", "Hans", None, "Müller"),
        (
            "Dr.-Ing. Hans-Peter Müller-Lüdenscheidt",
            "Hans-Peter Müller-Lüdenscheidt",
            "Hans-Peter",
            None,
            "Müller-Lüdenscheidt",
        ),
        ("Mag. Anna Huber", "Anna Huber", "Anna", None, "Huber"),
        ("Dr. Hans-Jürgen von Arnim", "Hans-Jürgen von Arnim", "Hans-Jürgen", None, "von Arnim"),
        ("Oliver ten Brink", "Oliver ten Brink", "Oliver", None, "ten Brink"),
        ("DR. HANS MÜLLER", "Hans Müller", "Hans", None, "Müller"),
        ("Frau Schulz", "Schulz", None, None, "Schulz"),
        ("van der Berg, Jan", "Jan van der Berg", "Jan", None, "van der Berg"),
        ("Jan van der Berg", "Jan van der Berg", "Jan", None, "van der Berg"),
        ("MARIA VON DER LEYEN", "Maria von der Leyen", "Maria", None, "von der Leyen"),
        ("Dr. Hans Meier MBA", "Hans Meier", "Hans", None, "Meier"),
        ("Ms. Jane Doe-Smith", "Jane Doe-Smith", "Jane", None, "Doe-Smith"),
        ("Ms. Lee", "Lee", None, None, "Lee"),
        ("Juan de la Cruz", "Juan de la Cruz", "Juan", None, "de la Cruz"),
        ("JOHN MCDONALD", "John McDonald", "John", None, "McDonald"),
        ("SEAN O'BRIEN", "Sean O'Brien", "Sean", None, "O'Brien"),
        ("Mr. Robert Downey Jr.", "Robert Downey", "Robert", None, "Downey"),
        ("Martin Luther King, Jr.", "Martin Luther King", "Martin", "Luther", "King"),
        ("William Gates III", "William Gates", "William", None, "Gates"),
        ("Jane Smith PhD", "Jane Smith", "Jane", None, "Smith"),
        ("Mrs. Anne-Marie Dupont", "Anne-Marie Dupont", "Anne-Marie", None, "Dupont"),
        ("Sir Elton John", "Elton John", "Elton", None, "John"),
        ("Jack Ma", "Jack Ma", "Jack", None, "Ma"),
        ("Mary Smith, MBA", "Mary Smith", "Mary", None, "Smith"),
        ("Smith, John, Jr.", "John Smith", "John", None, "Smith"),
        ("Ivanov I.I.", "Ivanov I. I.", "I.", "I.", "Ivanov"),  # initials, not the numeral II
        ("Smith J. A.", "Smith J. A.", "J.", "A.", "Smith"),
        ("John Smith II", "John Smith", "John", None, "Smith"),
        (
            "Петров-Водкин Кузьма Сергеевич",
            "Петров-Водкин Кузьма Сергеевич",
            "Кузьма",
            "Сергеевич",
            "Петров-Водкин",
        ),
        ("ПЕТРОВА О.Ю.", "Петрова О. Ю.", "О.", "Ю.", "Петрова"),
        ("Herr Dr. med. Hans Meier", "Hans Meier", "Hans", None, "Meier"),
        (
            "Dr. Anna-Lena Schulze-Wessel",
            "Anna-Lena Schulze-Wessel",
            "Anna-Lena",
            None,
            "Schulze-Wessel",
        ),
        (
            "Karl-Theodor zu Guttenberg",
            "Karl-Theodor zu Guttenberg",
            "Karl-Theodor",
            None,
            "zu Guttenberg",
        ),
        ("Mrs. Smith-Jones", "Smith-Jones", None, None, "Smith-Jones"),
    ],
)
def test_more_names(text, full, first, middle, last):
    name = parse_person_name(text)
    assert (name.full, name.first, name.middle, name.last) == (full, first, middle, last)
