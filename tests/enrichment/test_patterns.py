"""Email patterns: spellings, pattern rendering, learning and guessing (table-driven)."""

from __future__ import annotations

import pytest

from enrichment.patterns import (
    PATTERNS,
    Candidate,
    DomainPattern,
    NameParts,
    guess,
    learn,
    mail_domain,
    match,
    name_parts,
    render,
    spell,
    spellings,
    systems_for,
)

# -- transliteration ---------------------------------------------------------------------------
TRANSLIT = [
    # ICAO 9303 (Russian passports since 2013)
    ("icao", "Юлия", "iuliia"),
    ("icao", "Щербакова", "shcherbakova"),
    ("icao", "Хрущёв", "khrushchev"),
    ("icao", "Цой", "tsoi"),
    ("icao", "Подъячев", "podieiachev"),
    ("icao", "Жуковский", "zhukovskii"),
    ("icao", "Наталья", "natalia"),
    # informal (and the 1997–2010 passport rules)
    ("informal", "Юлия", "yuliya"),
    ("informal", "Андрей", "andrey"),
    ("informal", "Ёлкин", "elkin"),
    ("informal", "Хабибуллин", "khabibullin"),
    ("informal", "Наталья", "natalya"),
    ("informal", "Подъячев", "podyachev"),
    # English-press habit
    ("english", "Алексей", "alexey"),
    ("english", "Дмитрий", "dmitry"),
    ("english", "Юлия", "yulia"),
    ("english", "Фёдор", "fyodor"),
    ("english", "Максим", "maxim"),
    ("english", "Мария", "maria"),
    # BGN/PCGN without diacritics
    ("bgn", "Евгений", "yevgeniy"),
    ("bgn", "Сергеевич", "sergeyevich"),
    ("bgn", "Ёлкин", "yolkin"),
    ("bgn", "Артём", "artem"),
    # GOST 7.79-2000 B
    ("gost", "Цветков", "czvetkov"),  # cz except before е, и, ы, й
    ("gost", "Цыганов", "cyganov"),
    ("gost", "Цапко", "czapko"),
    ("gost", "Щукин", "shhukin"),
    ("gost", "Йошкин", "joshkin"),
    ("gost", "Хлебников", "xlebnikov"),
    # web "translit"
    ("simple_h", "Михаил", "mihail"),
    ("simple_h", "Харитонов", "haritonov"),
    ("simple_h", "Цветаева", "cvetaeva"),
    # German transcription
    ("duden", "Шевченко", "schewtschenko"),
    ("duden", "Юрий", "juri"),
    ("duden", "Жуков", "shukow"),
    ("duden", "Евгений", "jewgeni"),
    ("duden", "Хрущёв", "chruschtschjow"),
    # Latin
    ("umlaut_e", "Müller", "mueller"),
    ("umlaut_e", "Größe", "groesse"),
    ("umlaut_e", "Jürgen", "juergen"),
    ("umlaut_e", "Søren", "soeren"),
    ("umlaut_e", "Schäfer", "schaefer"),
    ("plain", "Müller", "muller"),
    ("plain", "Straße", "strasse"),
    ("plain", "José", "jose"),
    ("plain", "Łukasz", "lukasz"),
    ("plain", "Françoise", "francoise"),
    ("plain", "Ærøskøbing", "aeroskobing"),
]


@pytest.mark.parametrize(("system", "text", "expected"), TRANSLIT)
def test_spell(system, text, expected):
    assert spell(text, system) == expected


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Юлия Щербакова", "cyrillic"),
        ("Олександр Ґонта", "cyrillic"),
        ("Jürgen Müller", ("umlaut_e", "plain")),
        ("Søren Kierkegaard", ("umlaut_e", "plain")),
        ("José Álvarez", ("plain",)),
        ("John Smith", ("ascii",)),
    ],
)
def test_systems_for(name, expected):
    got = systems_for(name)
    if expected == "cyrillic":
        assert "icao" in got and "informal" in got and "umlaut_e" not in got
    else:
        assert got == expected


# -- name parts --------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("name", "system", "forms"),
    [
        # hyphenated surname: joined, hyphen kept, first part, second part
        (
            "Jürgen Müller-Lüdenscheidt",
            "umlaut_e",
            {
                ("juergen", "muellerluedenscheidt"),
                ("juergen", "mueller-luedenscheidt"),
                ("juergen", "mueller"),
                ("juergen", "luedenscheidt"),
            },
        ),
        # particles with and without, hyphenated first name three ways
        (
            "Dr. Hans-Peter von der Heide",
            "ascii",
            {
                ("hans-peter", "vonderheide"),
                ("hanspeter", "heide"),
                ("hans", "vonderheide"),
                ("hans", "heide"),
            },
        ),
        ("Mary-Jane O'Brien", "ascii", {("mary-jane", "obrien"), ("mary", "obrien")}),
        ("Ludwig van Beethoven", "ascii", {("ludwig", "vanbeethoven"), ("ludwig", "beethoven")}),
        ("Sinéad O’Connor", "plain", {("sinead", "oconnor")}),
        ("Иванов Иван Иванович", "icao", {("ivan", "ivanov")}),
        ("Салтыков-Щедрин Михаил", "informal", {("mikhail", "saltykovshchedrin")}),
    ],
)
def test_spellings_cover_compound_forms(name, system, forms):
    got = {(s.first, s.last) for s in spellings(name_parts(name)) if s.translit == system}
    assert forms <= got
    weights = [s.weight for s in spellings(name_parts(name)) if s.translit == system]
    assert sum(weights) == pytest.approx(1.0)


@pytest.mark.parametrize(
    ("name", "parts"),
    [
        ("John Q. Public Jr.", NameParts("John", "Q.", "Public")),
        ("Иванов Иван Иванович", NameParts("Иван", "Иванович", "Иванов")),
        (("Anna", None, "Berg"), NameParts("Anna", "", "Berg")),
        (NameParts("", "", "Schmidt"), NameParts("", "", "Schmidt")),
        ("", None),
        (None, None),
        (42, None),
        ("!!!", None),
    ],
)
def test_name_parts(name, parts):
    assert name_parts(name) == parts


# -- patterns ----------------------------------------------------------------------------------
RENDER = {
    "first.last": "john.smith", "flast": "jsmith", "first": "john", "firstlast": "johnsmith",
    "first_last": "john_smith", "f.last": "j.smith", "last": "smith", "lastf": "smithj",
    "last.first": "smith.john", "first.l": "john.s", "firstl": "johns",
    "first-last": "john-smith", "lastfirst": "smithjohn", "last_first": "smith_john",
    "last-first": "smith-john", "last.f": "smith.j", "last_f": "smith_j", "f_last": "j_smith",
    "f-last": "j-smith", "first_l": "john_s", "fl": "js", "f.l": "j.s",
    "first.middle.last": "john.quincy.smith", "first.m.last": "john.q.smith",
    "fmlast": "jqsmith", "f.m.last": "j.q.smith", "firstmlast": "johnqsmith",
    "lastfm": "smithjq", "last.f.m": "smith.j.q",
}  # fmt: skip


def test_every_pattern_is_tested():
    assert set(RENDER) == set(PATTERNS)
    for required in (
        "first.last flast first firstlast first_last f.last last lastf last.first first.l "
        "firstl first-last".split()
    ):
        assert required in PATTERNS


@pytest.mark.parametrize(("pattern", "local"), sorted(RENDER.items()))
def test_render(pattern, local):
    assert render(pattern, "john", "quincy", "smith") == local
    # and the name parser + spellings + match find the pattern back from the address
    assert pattern in {m.pattern for m in match("John Quincy Smith", local)}


@pytest.mark.parametrize(
    ("pattern", "first", "middle", "last"),
    [
        ("first.m.last", "john", "", "smith"),  # no middle name
        ("first.last", "j", "", "smith"),  # only an initial is known
        ("last", "john", "", ""),
        ("f.last", "", "", "smith"),
    ],
)
def test_render_needs_the_parts(pattern, first, middle, last):
    assert render(pattern, first, middle, last) is None


# -- guessing without known addresses: the prior ------------------------------------------------
def _emails(cands: list[Candidate]) -> list[str]:
    return [c.email for c in cands]


def test_no_known_follows_the_global_prior_order():
    cands = guess("John Smith", "acme.com")
    assert _emails(cands)[:4] == [
        "john.smith@acme.com",
        "jsmith@acme.com",
        "johnsmith@acme.com",
        "john@acme.com",
    ]
    assert all(c.evidence == "prior" for c in cands)
    assert cands[0].reason.startswith("first.last: global prior share")


def test_no_known_russian_domain_follows_the_russian_prior():
    cands = guess("Анна Иванова", "romashka.ru")
    assert [c.pattern for c in cands[:3]] == ["f.last", "last", "first.last"]
    assert cands[0].email == "a.ivanova@romashka.ru"
    # "ivanova" is spelled the same in every system but the German one (iwanowa): the
    # systems' shares add up
    latin = guess("Anna Ivanova", "romashka.ru")[1]
    assert latin.email == "ivanova@romashka.ru"
    assert 0.9 * latin.confidence < cands[1].confidence < latin.confidence


def test_alternative_transliterations_split_the_confidence():
    cands = {c.email: c for c in guess("Юлия Щербакова", "romashka.ru", limit=None)}
    a, b = cands["yuliya.shcherbakova@romashka.ru"], cands["iuliia.shcherbakova@romashka.ru"]
    assert a.translit in ("informal", "bgn", "simple_h") and b.translit == "icao"
    assert 0 < b.confidence < a.confidence
    plain = guess("Anna Petrova", "romashka.ru")
    assert a.confidence < {c.email: c for c in plain}["anna.petrova@romashka.ru"].confidence


# -- learning ----------------------------------------------------------------------------------
ICAO_KNOWN = [
    ("Дмитрий Ильин", "dmitrii.ilin@romashka.ru"),
    ("Анна Юсупова", "anna.iusupova@romashka.ru"),
    ("Сергей Кузнецов", "sergei.kuznetsov@romashka.ru"),
    ("Офис", "info@romashka.ru"),
]
INFORMAL_KNOWN = [
    ("Андрей Юдин", "andrey.yudin@romashka.ru"),
    ("Татьяна Яковлева", "tatyana.yakovleva@romashka.ru"),
]
ENGLISH_KNOWN = [
    ("Алексей Смирнов", "alexey.smirnov@romashka.ru"),
    ("Дмитрий Орлов", "dmitry.orlov@romashka.ru"),
]
GOST_KNOWN = [
    ("Ильин Юрий", "ilin.yurij@romashka.ru"),
    ("Цветков Андрей", "czvetkov.andrej@romashka.ru"),
]
DUDEN_KNOWN = [
    ("Юрий Шевченко", "juri.schewtschenko@bau-nord.de"),
    ("Евгений Жуков", "jewgeni.shukow@bau-nord.de"),
]


@pytest.mark.parametrize(
    ("name", "domain", "known", "top", "translit"),
    [
        ("Юлия Щербакова", "romashka.ru", ICAO_KNOWN, "iuliia.shcherbakova", "icao"),
        ("Юлия Щербакова", "romashka.ru", INFORMAL_KNOWN, "yuliya.shcherbakova", "informal"),
        ("Юлия Щербакова", "romashka.ru", ENGLISH_KNOWN, "yulia.shcherbakova", "english"),
        ("Щербакова Юлия", "romashka.ru", GOST_KNOWN, "shherbakova.yuliya", "gost"),
        ("Юрий Хрущёв", "bau-nord.de", DUDEN_KNOWN, "juri.chruschtschjow", "duden"),
        ("Максим Харитонов", "romashka.ru", ENGLISH_KNOWN, "maxim.kharitonov", "english"),
        (
            "Иванов Иван Иванович",
            "romashka.ru",
            [
                ("Петров Пётр Сергеевич", "petrovps@romashka.ru"),
                ("Сидорова Анна Ивановна", "sidorovaai@romashka.ru"),
            ],
            "ivanovii",
            None,
        ),
        (
            "Jürgen Müller-Lüdenscheidt",
            "beispiel-bau.de",
            [
                ("Jörg Schäfer", "joerg.schaefer@beispiel-bau.de"),
                ("Anna Berg", "anna.berg@beispiel-bau.de"),
            ],
            "juergen.muellerluedenscheidt",
            "umlaut_e",
        ),
        (
            "Jürgen Müller",
            "beispiel-bau.de",
            [
                ("Jörg Schäfer", "jorg.schafer@beispiel-bau.de"),
                ("Anna Berg", "anna.berg@beispiel-bau.de"),
            ],
            "jurgen.muller",
            "plain",
        ),
        (
            "Dr. Hans-Peter von der Heide",
            "beispiel-bau.de",
            [
                ("Jörg Schäfer", "j.schaefer@beispiel-bau.de"),
                ("Prof. Dr. Anna Berg", "a.berg@beispiel-bau.de"),
            ],
            "h.vonderheide",
            None,
        ),
        (
            "Mary-Jane O'Brien",
            "acme.com",
            [("Tom Ford", "tom.ford@acme.com"), ("Ann-Marie Lee", "ann-marie.lee@acme.com")],
            "mary-jane.obrien",
            None,
        ),
        (
            "John Q. Public Jr.",
            "acme.com",
            [("Mary A. Smith", "mary.a.smith@acme.com"), ("Bob K. Lee", "bob.k.lee@acme.com")],
            "john.q.public",
            None,
        ),
        (
            "Ludwig van Beethoven",
            "orchester.at",
            [("Klaus Mann", "mann@orchester.at"), ("Heinrich Böll", "boell@orchester.at")],
            "vanbeethoven",
            None,
        ),
        (
            "José Álvarez",
            "empresa.es",
            [("María López", "mlopez@empresa.es"), ("Luis García", "lgarcia@empresa.es")],
            "jalvarez",
            None,
        ),
        (
            "Sarah Connor",
            "sky.net",
            [("Miles Dyson", "dyson_m@sky.net"), ("Kyle Reese", "reese_k@sky.net")],
            "connor_s",
            None,
        ),
    ],
)
def test_guess_learns_pattern_and_spelling(name, domain, known, top, translit):
    cands = guess(name, domain, known=known)
    assert cands[0].email == f"{top}@{domain}", [(c.email, c.confidence) for c in cands[:4]]
    assert cands[0].evidence == "learned"
    if translit:
        assert cands[0].translit == translit
        learned = learn(known)
        assert learned is not None and learned.translit == translit


def test_learn_counts_roles_unmatched_and_support():
    known = [
        ("John Smith", "jsmith@acme.com"),
        ("Mary Jones", "mjones@acme.com"),
        ("Peter Brown", "pbrown@acme.com"),
        ("Sales Team", "sales@acme.com"),
        ("Info", "info@acme.com"),
        ("Anna Bell", "bigboss@acme.com"),  # follows no pattern
        ("Not An Email", "nope"),
    ]
    dp = learn(known)
    assert dp is not None
    assert (dp.pattern, dp.support, dp.matched, dp.unmatched, dp.roles, dp.skipped) == (
        "flast", 3, 3, 1, 2, 1,
    )  # fmt: skip
    assert dp.domain == "acme.com"
    assert dp.translit is None  # nobody's name told the spellings apart
    # the role boxes change nothing
    assert learn(known[:3]).pattern_votes == dp.pattern_votes


def test_role_addresses_alone_teach_nothing():
    assert learn([("Office", "info@acme.com"), ("Vertrieb", "vertrieb@acme.de")]) is None
    cands = guess("John Smith", "acme.com", known=[("John Info", "info@acme.com")])
    assert cands[0].email == "john.smith@acme.com" and cands[0].evidence == "prior"


def test_conflicting_patterns_are_both_kept_and_ranked_by_support():
    known = [
        ("John Smith", "jsmith@acme.com"),
        ("Mary Jones", "mjones@acme.com"),
        ("Peter Brown", "pbrown@acme.com"),
        ("Anna Bell", "anna.bell@acme.com"),
        ("Tom White", "tom.white@acme.com"),
    ]
    dp = learn(known)
    assert dp.pattern == "flast" and set(dp.pattern_votes) == {"flast", "first.last"}
    cands = guess("Linda Green", "acme.com", known=known)
    assert _emails(cands[:2]) == ["lgreen@acme.com", "linda.green@acme.com"]
    assert all(c.evidence == "learned" for c in cands[:2])
    assert 0.3 < cands[1].confidence < cands[0].confidence < 0.65
    assert cands[2].evidence == "prior"


def test_confidence_grows_with_consistent_examples():
    names = ["Anna Bell", "Tom White", "Mary Jones", "Peter Brown", "Luis Garcia", "Ken Adams"]
    names += ["Eva Klein", "Otto Lang", "Rita Moss", "Paul Nash", "Sam Ortiz", "Ivy Park"]
    prev = guess("Linda Green", "acme.com")[0]
    assert prev.email == "linda.green@acme.com"
    confs = [prev.confidence]
    for n in (1, 3, 6, 12):
        known = [
            (x, f"{x.split()[0][0].lower()}.{x.split()[1].lower()}@acme.com") for x in names[:n]
        ]
        top = guess("Linda Green", "acme.com", known=known)[0]
        assert top.email == "l.green@acme.com" and top.evidence == "learned"
        confs.append(top.confidence)
    assert confs == sorted(confs)
    assert confs[-1] > 0.85 and confs[1] < 0.6


def test_unmatched_known_addresses_lower_confidence():
    base = [("Anna Bell", "anna.bell@acme.com"), ("Tom White", "tom.white@acme.com")]
    noisy = base + [("Mary Jones", "mj1975@acme.com"), ("Ken Adams", "kenny@acme.com")]
    assert (
        guess("Linda Green", "acme.com", known=noisy)[0].confidence
        < guess("Linda Green", "acme.com", known=base)[0].confidence
    )


def test_known_on_other_domains_are_ignored():
    known = [("Anna Bell", "a.bell@other.com"), ("Tom White", "t.white@other.com")]
    assert guess("Linda Green", "acme.com", known=known)[0].evidence == "prior"
    # a subdomain's addresses belong to the same organisation
    sub = [("Anna Bell", "a.bell@mail.acme.com"), ("Tom White", "t.white@mail.acme.com")]
    assert guess("Linda Green", "acme.com", known=sub)[0].email == "l.green@acme.com"


def test_from_summary_reproduces_the_cached_confidence():
    known = [("Anna Bell", "a.bell@acme.com"), ("Tom White", "t.white@acme.com")]
    known += [("Mary Jones", "mjones@acme.com"), ("Ken Adams", "kenny@acme.com")]
    dp = learn(known)
    again = DomainPattern.from_summary(
        dp.pattern, dp.translit, dp.confidence, dp.support, domain=dp.domain, prior=dp.prior
    )
    assert again is not None
    assert again.pattern_shares()[dp.pattern] == pytest.approx(dp.confidence, abs=0.06)
    cands = guess("Linda Green", "acme.com", known=again)
    assert cands[0].email == "l.green@acme.com" and cands[0].evidence == "learned"
    assert DomainPattern.from_summary("bogus", None, 0.5, 3) is None
    assert DomainPattern.from_summary("flast", None, 0.0, 3) is None


# -- output contract ---------------------------------------------------------------------------
@pytest.mark.parametrize(
    "name",
    [
        "Юлия Щербакова",
        "Jürgen Müller-Lüdenscheidt",
        "Dr. Hans-Peter von der Heide",
        "Mary-Jane O'Brien",
        "John Q. Public Jr.",
        "Мамедов Эльчин Ариф оглы",
        "Zoë Saldaña-Perez",
        "李 小龙",
    ],
)
def test_candidates_are_valid_unique_sorted_and_calibrated(name):
    cands = guess(name, "пример.рф")
    emails = _emails(cands)
    assert len(emails) == len(set(emails))
    assert [c.confidence for c in cands] == sorted((c.confidence for c in cands), reverse=True)
    assert all(0 <= c.confidence <= 1 for c in cands)
    assert sum(c.confidence for c in cands) <= 1.0 + 5e-5 * len(cands)  # rounding
    for e in emails:
        local, _, host = e.partition("@")
        assert e.isascii() and host == "xn--e1afmkfd.xn--p1ai"
        assert local and len(local) <= 64 and ".." not in local
        assert local[0].isalnum() and local[-1].isalnum()


def test_limit():
    assert len(guess("John Smith", "acme.com", limit=3)) == 3
    assert guess("John Smith", "acme.com", limit=0) == []


@pytest.mark.parametrize(
    ("text", "host"),
    [
        ("acme.com", "acme.com"),
        ("https://www.Acme.com/contact", "acme.com"),
        ("jobs@acme.co.uk", "acme.co.uk"),
        ("Пример.РФ", "xn--e1afmkfd.xn--p1ai"),
        ("müller-bau.de", "xn--mller-bau-q9a.de"),
        ("mail.acme.com", "mail.acme.com"),
        ("localhost", None),
        ("not a domain", None),
        ("", None),
        (None, None),
        ("com", None),
        ("127.0.0.1", None),
    ],
)
def test_mail_domain(text, host):
    assert mail_domain(text) == host


@pytest.mark.parametrize(
    ("name", "domain", "known"),
    [
        (None, "acme.com", ()),
        ("", "acme.com", ()),
        ("John Smith", "not a domain", ()),
        ("John Smith", "acme.com", [("John",), ("Anna Bell", None), (None, "x@acme.com"), "junk"]),
        ("x" * 5000, "acme.com", ()),
        ("John Smith", "acme.com", [("A" * 400, "a" * 70 + "@acme.com")]),
    ],
)
def test_odd_input_never_raises(name, domain, known):
    cands = guess(name, domain, known=known)
    assert isinstance(cands, list)
    if name in (None, "") or domain == "not a domain":
        assert cands == []


def test_docs_name_every_pattern_and_spelling_system():
    from pathlib import Path

    from enrichment.patterns import CYRILLIC_SYSTEMS, LATIN_SYSTEMS

    text = (Path(__file__).resolve().parents[2] / "docs" / "patterns.md").read_text("utf-8")
    assert [p for p in PATTERNS if f"`{p}`" not in text] == []
    assert [s for s in (*CYRILLIC_SYSTEMS, *LATIN_SYSTEMS) if f"`{s}`" not in text] == []


@pytest.mark.parametrize(
    ("name", "domain", "present", "absent"),
    [
        # initials only: no pattern that needs the full first name
        (
            "Иванов И.И.",
            "zavod.ru",
            ["i.ivanov", "ivanov", "ivanovii", "ivanov.i.i"],
            ["i.ivanov.ivanov"],
        ),
        ("Smith, John", "acme.com", ["john.smith", "jsmith", "smith.john"], ["smith.j.john"]),
        (
            "Prof. Dr.-Ing. Klaus-Dieter Weiß",
            "tu-beispiel.de",
            ["klaus-dieter.weiss", "kweiss", "klaus.weiss"],
            ["klaus-dieter.weiß", "prof.weiss", "dr.weiss"],
        ),
        (
            "Петрова Анна Сергеевна",
            "zavod.ru",
            ["a.petrova", "petrovaas", "anna.petrova", "a.s.petrova"],
            ["sergeevna.petrova"],
        ),
        ("Ōtani Shōhei", "example.jp", ["otani.shohei"], []),
        ("Ольга Кузьмина", "zavod.ru", ["olga.kuzmina", "o.kuzmina"], ["olga.kuz'mina"]),
        ("Владимир Ёжиков", "zavod.ru", ["v.ezhikov", "v.yozhikov", "vladimir.ezhikov"], []),
        (
            "Jean-Luc Picard",
            "starfleet.fr",
            ["jean-luc.picard", "jeanluc.picard", "jpicard"],
            ["jean-luc.picard-"],
        ),
        (
            "Sean O'Neill-Smith",
            "acme.ie",
            ["sean.oneill-smith", "sean.oneillsmith", "soneill"],
            ["sean.o'neill-smith"],
        ),
        (
            ("Ana María", None, "García López"),  # the parser reads García as a middle name
            "empresa.es",
            ["agarcialopez", "ana.garcia", "ana.garcia-lopez"],
            [],
        ),
        ("Сергей Цой", "kino.ru", ["sergey.tsoy", "sergei.tsoi", "s.tsoi", "tsoy"], []),
        (
            "Алексей Хабенский",
            "film.ru",
            ["alexey.khabensky", "aleksei.khabenskii", "a.habenskiy"],
            [],
        ),
    ],
)
def test_real_world_names_give_the_expected_forms(name, domain, present, absent):
    locals_ = {c.email.split("@")[0] for c in guess(name, domain)}
    assert [p for p in present if p not in locals_] == []
    assert [a for a in absent if a in locals_] == []


@pytest.mark.parametrize(
    ("name", "domain", "known", "top"),
    [
        # the domain writes only the first part of hyphenated surnames
        (
            "Atena Danner-McPhaden",
            "christopherhouse.org",
            [
                ("Pamela Flowers-Thomas", "pflowers@christopherhouse.org"),
                ("Ruth Baker-Smith", "rbaker@christopherhouse.org"),
                ("Carmen Velez", "cvelez@christopherhouse.org"),
            ],
            "adanner",
        ),
        # … or keeps the hyphen
        (
            "Jürgen Müller-Lüdenscheidt",
            "beispiel-bau.de",
            [
                ("Anna Schulze-Berg", "anna.schulze-berg@beispiel-bau.de"),
                ("Jörg Schäfer", "joerg.schaefer@beispiel-bau.de"),
            ],
            "juergen.mueller-luedenscheidt",
        ),
        # particles dropped
        (
            "Dr. Hans-Peter von der Heide",
            "beispiel-bau.de",
            [("Ursula von Bergen", "ursula.bergen@beispiel-bau.de")],
            "hans-peter.heide",
        ),
        # only the first of two given names
        (
            "Mary-Jane O'Brien",
            "acme.com",
            [("Ann-Marie Lee", "ann.lee@acme.com"), ("Tom Ford", "tom.ford@acme.com")],
            "mary.obrien",
        ),
    ],
)
def test_compound_forms_are_learned(name, domain, known, top):
    cands = guess(name, domain, known=known)
    assert cands[0].email == f"{top}@{domain}", [(c.email, c.confidence) for c in cands[:4]]
    assert "known names)" in cands[0].reason


def test_compound_forms_keep_their_weights_without_evidence():
    plain = guess(
        "Jürgen Müller-Lüdenscheidt",
        "beispiel-bau.de",
        known=[("Jörg Schäfer", "joerg.schaefer@beispiel-bau.de")],
    )
    assert learn([("Jörg Schäfer", "joerg.schaefer@beispiel-bau.de")]).form_votes == {}
    by = {c.email.split("@")[0]: c.confidence for c in plain}
    # joined 0.45 : hyphen 0.3 : first part 0.15 (forms.py)
    assert by["juergen.muellerluedenscheidt"] / by[
        "juergen.mueller-luedenscheidt"
    ] == pytest.approx(1.5, rel=0.01)
    assert by["juergen.mueller-luedenscheidt"] / by["juergen.mueller"] == pytest.approx(
        2.0, rel=0.01
    )
