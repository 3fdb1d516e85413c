"""normalize_company_name: legal forms stripped, quotes cleaned, keys that meet across scripts."""

from __future__ import annotations

import pytest

from enrichment import CompanyName, normalize_company_name


@pytest.mark.parametrize(
    ("text", "display", "legal_form", "key", "translit_key"),
    [
        # Russian: abbreviation before or after, quotes of every kind, spelled-out forms
        ("ООО «Ромашка»", "ООО «Ромашка»", "ООО", "ромашка", "romashka"),
        ('ООО "Ромашка"', "ООО «Ромашка»", "ООО", "ромашка", "romashka"),
        ("ООО „Ромашка“", "ООО «Ромашка»", "ООО", "ромашка", "romashka"),
        ('ООО ""Ромашка""', "ООО «Ромашка»", "ООО", "ромашка", "romashka"),
        ("ООО ''Ромашка''", "ООО «Ромашка»", "ООО", "ромашка", "romashka"),
        ('ООО "Ромашка', "ООО «Ромашка»", "ООО", "ромашка", "romashka"),
        ("  ООО   «Ромашка»  ", "ООО «Ромашка»", "ООО", "ромашка", "romashka"),
        ("Ромашка, ООО", "Ромашка, ООО", "ООО", "ромашка", "romashka"),
        ("ромашка ооо", "ромашка ооо", "ООО", "ромашка", "romashka"),
        (
            'Общество с ограниченной ответственностью "Ромашка-М"',
            "Общество с ограниченной ответственностью «Ромашка-М»",
            "ООО",
            "ромашка м",
            "romashka m",
        ),
        ("ПАО Сбербанк", "ПАО Сбербанк", "ПАО", "сбербанк", "sberbank"),
        (
            "Публичное акционерное общество «Сбербанк России»",
            "Публичное акционерное общество «Сбербанк России»",
            "ПАО",
            "сбербанк россии",
            "sberbank rossii",
        ),
        ("ПАО «Газпром»", "ПАО «Газпром»", "ПАО", "газпром", "gazprom"),
        ("ПАО «ЛУКОЙЛ»", "ПАО «ЛУКОЙЛ»", "ПАО", "лукойл", "lukoil"),
        ("ООО «ЯНДЕКС»", "ООО «ЯНДЕКС»", "ООО", "яндекс", "iandeks"),
        ("АО «Тинькофф Банк»", "АО «Тинькофф Банк»", "АО", "тинькофф банк", "tinkoff bank"),
        ("ЗАО «Тандер»", "ЗАО «Тандер»", "ЗАО", "тандер", "tander"),
        ("ОАО «РЖД»", "ОАО «РЖД»", "ОАО", "ржд", "rzhd"),
        ("ФГУП «Почта России»", "ФГУП «Почта России»", "ФГУП", "почта россии", "pochta rossii"),
        (
            "ИП Иванов Иван Иванович",
            "ИП Иванов Иван Иванович",
            "ИП",
            "иванов иван иванович",
            "ivanov ivan ivanovich",
        ),
        (
            "Индивидуальный предприниматель Петрова А.С.",
            "Индивидуальный предприниматель Петрова А.С.",
            "ИП",
            "петрова а с",
            "petrova a s",
        ),
        (
            "АНО «Центр развития»",
            "АНО «Центр развития»",
            "АНО",
            "центр развития",
            "tsentr razvitiia",
        ),
        ("ООО «Ёлка»", "ООО «Ёлка»", "ООО", "елка", "elka"),
        ("ООО «Хлебозавод № 1»", "ООО «Хлебозавод № 1»", "ООО", "хлебозавод 1", "hlebozavod 1"),
        ("ТОО «Казахтелеком»", "ТОО «Казахтелеком»", "ТОО", "казахтелеком", "kazahtelekom"),
        # Russian companies in Latin letters
        ("OOO Romashka", "OOO Romashka", "ООО", "romashka", "romashka"),
        ('LLC "Romashka"', 'LLC "Romashka"', "LLC", "romashka", "romashka"),
        ("Yandex LLC", "Yandex LLC", "LLC", "yandex", "iandeks"),
        ("PJSC Lukoil", "PJSC Lukoil", "PJSC", "lukoil", "lukoil"),
        ("Gazprom Neft PJSC", "Gazprom Neft PJSC", "PJSC", "gazprom neft", "gazprom neft"),
        ("JSC Khimprom", "JSC Khimprom", "JSC", "khimprom", "himprom"),
        # German
        ("Müller GmbH", "Müller GmbH", "GmbH", "müller", "muller"),
        ("Müller GmbH & Co. KG", "Müller GmbH & Co. KG", "GmbH & Co. KG", "müller", "muller"),
        ("Müller GmbH&Co.KG", "Müller GmbH&Co.KG", "GmbH & Co. KG", "müller", "muller"),
        (
            "Schmidt Bau GmbH & Co KG",
            "Schmidt Bau GmbH & Co KG",
            "GmbH & Co. KG",
            "schmidt bau",
            "schmidt bau",
        ),
        ("Siemens AG", "Siemens AG", "AG", "siemens", "siemens"),
        (
            "Bayerische Motoren Werke Aktiengesellschaft",
            "Bayerische Motoren Werke Aktiengesellschaft",
            "AG",
            "bayerische motoren werke",
            "baierische motoren werke",
        ),
        (
            "Weber Software UG (haftungsbeschränkt)",
            "Weber Software UG (haftungsbeschränkt)",
            "UG (haftungsbeschränkt)",
            "weber software",
            "weber software",
        ),
        (
            "Lebenshilfe Berlin gGmbH",
            "Lebenshilfe Berlin gGmbH",
            "gGmbH",
            "lebenshilfe berlin",
            "lebenshilfe berlin",
        ),
        (
            "Autohaus Schulz e.K.",
            "Autohaus Schulz e.K.",
            "e.K.",
            "autohaus schulz",
            "autohaus schulz",
        ),
        (
            "Sportverein Grün-Weiß e.V.",
            "Sportverein Grün-Weiß e.V.",
            "e.V.",
            "sportverein grün weiss",
            "sportverein grun weiss",
        ),
        (
            "Straßenbau Köhler OHG",
            "Straßenbau Köhler OHG",
            "OHG",
            "strassenbau köhler",
            "strassenbau kohler",
        ),
        ("Henkel AG & Co. KGaA", "Henkel AG & Co. KGaA", "KGaA", "henkel", "henkel"),
        ("Allianz SE", "Allianz SE", "SE", "allianz", "allianz"),
        # English-speaking
        ("Acme Inc.", "Acme Inc.", "Inc", "acme", "acme"),
        ("Acme, Inc", "Acme, Inc", "Inc", "acme", "acme"),
        ("ACME CORPORATION", "ACME CORPORATION", "Corp", "acme", "acme"),
        ("Acme Holdings Ltd", "Acme Holdings Ltd", "Ltd", "acme holdings", "acme holdings"),
        ("Acme Co., Ltd.", "Acme Co., Ltd.", "Co., Ltd.", "acme", "acme"),
        ("Acme L.L.C.", "Acme L.L.C.", "LLC", "acme", "acme"),
        ("Tesco PLC", "Tesco PLC", "PLC", "tesco", "tesco"),
        ("Baker & McKenzie LLP", "Baker & McKenzie LLP", "LLP", "baker mckenzie", "baker mckenzie"),
        ("The Boeing Company", "The Boeing Company", "Co", "boeing", "boeing"),
        ("Procter & Gamble Co.", "Procter & Gamble Co.", "Co", "procter gamble", "procter gamble"),
        ("Procter and Gamble", "Procter and Gamble", None, "procter gamble", "procter gamble"),
        ("McDonald's Corp.", "McDonald's Corp.", "Corp", "mcdonalds", "mcdonalds"),
        ("Johnson & Johnson", "Johnson & Johnson", None, "johnson johnson", "iohnson iohnson"),
        # Europe
        ("Fiat S.p.A.", "Fiat S.p.A.", "S.p.A.", "fiat", "fiat"),
        ("Rossi S.r.l.", "Rossi S.r.l.", "S.r.l.", "rossi", "rossi"),
        ("Carrefour S.A.", "Carrefour S.A.", "S.A.", "carrefour", "carrefour"),
        ("Dupont SARL", "Dupont SARL", "SARL", "dupont", "dupont"),
        ("Philips N.V.", "Philips N.V.", "N.V.", "philips", "philips"),
        ("Heineken B.V.", "Heineken B.V.", "B.V.", "heineken", "heineken"),
        ("AB Volvo", "AB Volvo", "AB", "volvo", "volvo"),
        ("Nokia Oyj", "Nokia Oyj", "Oyj", "nokia", "nokia"),
        ("Maersk A/S", "Maersk A/S", "AS", "maersk", "maersk"),
        ("Novák s.r.o.", "Novák s.r.o.", "s.r.o.", "novák", "novak"),
        ("Kowalski sp. z o.o.", "Kowalski sp. z o.o.", "sp. z o.o.", "kowalski", "kowalski"),
        # short forms are not stripped from the front of Latin names
        ("AG Barr", "AG Barr", None, "ag barr", "ag barr"),
        ("SA Recycling", "SA Recycling", None, "sa recycling", "sa recicling"),
        # no legal form at all
        ("Сбербанк", "Сбербанк", None, "сбербанк", "sberbank"),
        ("Яндекс", "Яндекс", None, "яндекс", "iandeks"),
        ("Yandex", "Yandex", None, "yandex", "iandeks"),
        ("Лукойл", "Лукойл", None, "лукойл", "lukoil"),
        ("Химки-Авто", "Химки-Авто", None, "химки авто", "himki avto"),
        ("Khimki Avto", "Khimki Avto", None, "khimki avto", "himki avto"),
        # a name that is only a legal form keeps it in the key
        ("ООО", "ООО", "ООО", "ооо", "ooo"),
        ("GmbH", "GmbH", "GmbH", "gmbh", "gmbh"),
    ],
)
def test_normalize_company_name(text, display, legal_form, key, translit_key):
    assert normalize_company_name(text) == CompanyName(text, display, legal_form, key, translit_key)


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("ООО «Ромашка»", "Romashka LLC"),
        ("ПАО «Сбербанк»", "Sberbank PJSC"),
        ("ООО «Яндекс»", "Yandex LLC"),
        ("ПАО «ЛУКОЙЛ»", "Lukoil"),
        ("АО «Химпром»", "JSC Khimprom"),
        ("Müller GmbH", "Muller GmbH"),
    ],
)
def test_translit_keys_meet_across_scripts(a, b):
    assert normalize_company_name(a).translit_key == normalize_company_name(b).translit_key


@pytest.mark.parametrize("text", [None, "", "   ", "«»", '""', "😀", "&", "...", "x" * 10_000, 42])
def test_odd_inputs(text):
    result = normalize_company_name(text)
    assert isinstance(result, CompanyName)
    assert len(result.key) <= 500


@pytest.mark.parametrize(
    ("text", "legal_form", "key"),
    [
        # forms from the name-matching reference list (enrichment/data/legal_names.csv)
        ("Dupont S.P.R.L.", "s.p.r.l.", "dupont"),
        ("Huber Ges.b.R.", "ges.b.r.", "huber"),
        ("Aide Sociale A.S.B.L.", "a.s.b.l.", "aide sociale"),
        ("Kovács Kft.", "Kft.", "kovács"),
        ("Papadopoulos A.E.", None, "papadopoulos a e"),  # two letters: left alone
        ("Hansen A.M.B.A.", "a.m.b.a.", "hansen"),
        ("Müller Kommanditgesellschaft auf Aktien", "KGaA", "müller"),
        ("Rossi Società a responsabilità limitata", "s.r.l.", "rossi"),
        ("Nowak Spółka z ograniczoną odpowiedzialnością", "sp. z o.o.", "nowak"),
        ("Acme Private Limited", "Pvt Ltd", "acme"),
        ("Acme Pty. Ltd.", "Pty Ltd", "acme"),
        ("Petrenko TOV", "tov", "petrenko"),  # labels of the reference list as written there
        # the legal forms the issue names, each stripped
        ("НКО «Фонд развития»", "НКО", "фонд развития"),
        ("ИП Петров П.П.", "ИП", "петров п п"),
        ("Weber UG (haftungsbeschränkt)", "UG (haftungsbeschränkt)", "weber"),
        ("Weber UG", "UG", "weber"),
        ("Carrefour SA", "S.A.", "carrefour"),
        ("Heineken BV", "B.V.", "heineken"),
        ("Philips NV", "N.V.", "philips"),
        # last words that are not legal forms stay
        ("Acme UK", None, "acme uk"),
        ("Foto SC", None, "foto sc"),
        ("Hotel Etat", None, "hotel etat"),
        ("Daten Vat", None, "daten vat"),
        ("Acme Group", None, "acme group"),
    ],
)
def test_reference_legal_forms(text, legal_form, key):
    name = normalize_company_name(text)
    assert (name.legal_form, name.key) == (legal_form, key)


def test_reference_list_is_read():
    from enrichment.normalize.legal_forms import reference_forms

    forms = reference_forms()
    assert len(forms) > 300
    assert all(where == "end" for _, where, _ in forms)
