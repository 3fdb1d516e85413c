"""classify_title: seniority, department and decision maker for RU / EN / DE titles."""

from __future__ import annotations

from pathlib import Path

import pytest

from enrichment import DecisionRules, TitleInfo, classify_title

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "titles"

DM, NO = True, False


@pytest.mark.parametrize(
    ("text", "seniority", "department", "decides"),
    [
        # English C-level and VPs
        ("CEO", "c_suite", "executive", DM),
        ("CFO", "c_suite", "finance", DM),
        ("CTO", "c_suite", "it", DM),
        ("COO", "c_suite", "operations", DM),
        ("CMO", "c_suite", "marketing", DM),
        ("Chief Executive Officer", "c_suite", "executive", DM),
        ("Chief Financial Officer", "c_suite", "finance", DM),
        ("Founder & CEO", "founder", "executive", DM),
        ("Co-Founder", "founder", "executive", DM),
        ("Owner", "owner", "executive", DM),
        ("President", "c_suite", "executive", DM),
        ("Chairman of the Board", "c_suite", "executive", DM),
        ("Managing Director", "c_suite", "executive", DM),
        ("Managing Partner", "partner", "executive", DM),
        ("VP of Sales", "vp", "sales", DM),
        ("VP Engineering", "vp", "engineering", DM),
        ("SVP Marketing", "vp", "marketing", DM),
        ("EVP, Operations", "vp", "operations", DM),
        ("Vice President, Human Resources", "vp", "hr", DM),
        ("Vice Chairman", "vp", "executive", DM),
        ("Head of Sales", "head", "sales", DM),
        ("Head of Procurement", "head", "procurement", DM),
        ("Deputy Head of IT", "head", "it", DM),
        ("Sales Director DACH", "director", "sales", DM),
        ("Director of Finance", "director", "finance", DM),
        ("Site Manager", "head", "production", DM),
        ("Chief Accountant", "head", "finance", DM),
        ("Account Manager", "manager", "sales", NO),
        ("Office Manager", "manager", "operations", NO),
        ("Project Manager", "manager", "other", NO),
        ("Senior Software Engineer", "senior", "it", NO),
        ("Lead Developer", "senior", "it", NO),
        ("Software Engineer", "entry", "it", NO),
        ("Sales Representative", "entry", "sales", NO),
        ("Executive Assistant to the CEO", "entry", "executive", NO),
        ("Assistant", "entry", "other", NO),
        ("Marketing Intern", "intern", "marketing", NO),
        ("HR Business Partner", "unknown", "hr", NO),
        ("Partner Manager", "manager", "other", NO),
        # Russian
        ("Генеральный директор", "c_suite", "executive", DM),
        ("Ген. директор", "c_suite", "executive", DM),
        ("Гендиректор", "c_suite", "executive", DM),
        ("Зам. генерального директора", "vp", "executive", DM),
        ("Заместитель генерального директора по производству", "vp", "production", DM),
        ("Заместитель директора", "director", "executive", DM),
        ("Директор", "director", "executive", DM),
        ("Коммерческий директор", "director", "sales", DM),
        ("Финансовый директор", "director", "finance", DM),
        ("Технический директор", "director", "engineering", DM),
        ("Директор по персоналу", "director", "hr", DM),
        ("Исполнительный директор", "director", "executive", DM),
        ("Президент", "c_suite", "executive", DM),
        ("Вице-президент по продажам", "vp", "sales", DM),
        ("Председатель правления", "c_suite", "executive", DM),
        ("Владелец", "owner", "executive", DM),
        ("Учредитель", "founder", "executive", DM),
        ("Главный бухгалтер", "head", "finance", DM),
        ("Гл. бухгалтер", "head", "finance", DM),
        ("Главный инженер", "head", "engineering", DM),
        ("Начальник участка", "head", "production", DM),
        ("Начальник отдела закупок", "head", "procurement", DM),
        ("Нач. отдела снабжения", "head", "procurement", DM),
        ("Руководитель отдела продаж", "head", "sales", DM),
        ("Зам. нач. отдела продаж", "head", "sales", DM),
        ("Заведующий складом", "head", "operations", DM),
        ("Руководитель проекта", "manager", "other", NO),
        ("Менеджер по продажам", "manager", "sales", NO),
        ("Менеджер по закупкам", "manager", "procurement", NO),
        ("Офис-менеджер", "manager", "operations", NO),
        ("Прораб", "manager", "production", NO),
        ("Мастер участка", "manager", "production", NO),
        ("Сметчик", "entry", "engineering", NO),
        ("Инженер", "entry", "engineering", NO),
        ("Ведущий инженер-конструктор", "senior", "engineering", NO),
        ("Старший менеджер", "manager", "other", NO),
        ("Главный специалист", "senior", "other", NO),
        ("Специалист", "entry", "other", NO),
        ("Специалист по тендерам", "entry", "procurement", NO),
        ("Бухгалтер", "entry", "finance", NO),
        ("Юрист", "entry", "legal", NO),
        ("Секретарь", "entry", "other", NO),
        ("Помощник генерального директора", "entry", "executive", NO),
        ("Стажер", "intern", "other", NO),
        # German
        ("Geschäftsführer", "c_suite", "executive", DM),
        ("Geschäftsführerin", "c_suite", "executive", DM),
        ("Geschäftsführender Gesellschafter", "owner", "executive", DM),
        ("stellv. Geschäftsführer", "vp", "executive", DM),
        ("Inhaber", "owner", "executive", DM),
        ("Inhaberin", "owner", "executive", DM),
        ("Prokurist", "director", "executive", DM),
        ("Vorstand", "c_suite", "executive", DM),
        ("Vorstandsvorsitzender", "c_suite", "executive", DM),
        ("Leiter Einkauf", "head", "procurement", DM),
        ("Leiterin Vertrieb", "head", "sales", DM),
        ("Vertriebsleiter", "head", "sales", DM),
        ("Technischer Leiter", "head", "engineering", DM),
        ("Kaufmännischer Leiter", "head", "finance", DM),
        ("Bauleiter", "head", "production", DM),
        ("Teamleiter IT", "manager", "it", NO),
        ("Projektleiter", "manager", "other", NO),
        ("Vertriebsmitarbeiter", "entry", "sales", NO),
        ("Sachbearbeiterin Buchhaltung", "entry", "finance", NO),
        ("Assistent", "entry", "other", NO),
        ("Assistentin der Geschäftsführung", "entry", "executive", NO),
        ("Praktikant", "intern", "other", NO),
        ("Werkstudentin Marketing", "intern", "marketing", NO),
        ("Polier", "manager", "production", NO),
    ],
)
def test_classify_title(text, seniority, department, decides):
    info = classify_title(text)
    assert (info.seniority, info.department, info.is_decision_maker) == (
        seniority,
        department,
        decides,
    )
    assert info.title == " ".join(text.split())


@pytest.mark.parametrize(
    ("text", "rule"),
    [
        ("Главный бухгалтер", "chief accountant"),
        ("Главный инженер", "chief engineer"),
        ("Начальник участка", "site manager"),
        ("Prokurist", "prokurist"),
        ("Прораб", "foreman"),
        ("Сметчик", "estimator"),
        ("Зам. генерального директора", "deputy of managing director"),
    ],
)
def test_reason_names_the_rule(text, rule):
    assert f"({rule})" in classify_title(text).reason


def test_full_result():
    reason = "seniority director (director); department sales ('коммерческ'); decides (director)"
    assert classify_title("  Коммерческий   директор ") == TitleInfo(
        raw="  Коммерческий   директор ",
        title="Коммерческий директор",
        seniority="director",
        department="sales",
        is_decision_maker=True,
        reason=reason,
    )


@pytest.mark.parametrize("text", [None, "", "   ", "😀", "x" * 10_000, "!!!", "12345", 42])
def test_odd_inputs(text):
    info = classify_title(text)
    assert info.seniority == "unknown"
    assert info.department == "other"
    assert info.is_decision_maker is False
    assert info.reason


@pytest.mark.parametrize(
    ("text", "seniority", "department", "decides"),
    [
        # English: abbreviations, C-level, general management, construction, finance
        ("VP", "vp", "other", DM),
        ("AVP Finance", "vp", "finance", DM),
        ("CIO", "c_suite", "it", DM),
        ("CISO", "c_suite", "it", DM),
        ("General Manager", "director", "executive", DM),
        ("Country Manager", "director", "executive", DM),
        ("Plant Manager", "head", "production", DM),
        ("Branch Manager", "head", "executive", DM),
        ("Board Member", "c_suite", "executive", DM),
        ("Member of the Board", "c_suite", "executive", DM),
        ("Executive Director", "director", "executive", DM),
        ("Founder & Managing Director", "founder", "executive", DM),
        ("Owner/Operator", "owner", "executive", DM),
        ("Restaurateur", "owner", "executive", DM),
        ("Partner", "partner", "executive", DM),
        ("Senior Partner", "partner", "executive", DM),
        ("Audit Partner", "partner", "finance", DM),
        ("Superintendent", "head", "other", DM),
        ("Construction Superintendent", "head", "production", DM),
        ("Chief Estimator", "head", "engineering", DM),
        ("Financial Controller", "head", "finance", DM),
        ("Treasurer", "head", "finance", DM),
        ("School Principal", "head", "other", DM),
        ("Dean", "head", "other", DM),
        ("Head of Marketing", "head", "marketing", DM),
        ("Director (Sales)", "director", "sales", DM),
        ("Purchasing Manager", "manager", "procurement", NO),
        ("Regional Sales Manager", "manager", "sales", NO),
        ("Key Account Manager", "manager", "sales", NO),
        ("Customer Success Manager", "manager", "customer_service", NO),
        ("Engineering Manager", "manager", "engineering", NO),
        ("Product Owner", "manager", "other", NO),  # a product role, not the firm's owner
        ("Team Leader", "manager", "other", NO),
        ("Crew Chief", "manager", "other", NO),
        ("Web Site Manager", "manager", "it", NO),  # not a construction site
        ("Head Chef", "senior", "other", NO),  # "head" of a trade, not of a department
        ("Tech Lead", "senior", "it", NO),
        ("Principal Engineer", "senior", "engineering", NO),
        ("Senior Buyer", "senior", "procurement", NO),
        ("Estimator", "entry", "engineering", NO),
        ("Buyer", "entry", "procurement", NO),
        ("Procurement Specialist", "entry", "procurement", NO),
        ("Account Executive", "entry", "sales", NO),
        ("SDR", "entry", "sales", NO),
        ("Controller", "entry", "finance", NO),
        ("Scrum Master", "entry", "it", NO),
        ("Nurse", "entry", "other", NO),
        ("Electrician", "entry", "other", NO),
        ("President's Assistant", "entry", "executive", NO),
        ("VP Assistant (Vice President's Assistant)", "entry", "executive", NO),
        ("Continuous Miner Operator (CMO)", "entry", "marketing", NO),  # not a CMO
        ("Presidential Support Specialist", "entry", "customer_service", NO),
        ("Apprentice", "intern", "other", NO),
        ("Nutrition Partner", "unknown", "executive", NO),
        # Russian
        ("Заместитель директора по коммерческим вопросам", "director", "sales", DM),
        ("И.о. генерального директора", "c_suite", "executive", DM),
        ("Главный инженер проекта", "head", "engineering", DM),
        ("ГИП", "head", "engineering", DM),
        ("Заместитель главного инженера", "head", "engineering", DM),
        ("Зам. главного бухгалтера", "head", "finance", DM),
        ("Зам. нач. участка", "head", "production", DM),
        ("Главный механик", "head", "engineering", DM),
        ("Главный энергетик", "head", "engineering", DM),
        ("Главный технолог", "head", "engineering", DM),
        ("Руководитель службы закупок", "head", "procurement", DM),
        ("Начальник ПТО", "head", "engineering", DM),
        ("Начальник цеха", "head", "production", DM),
        ("Начальник производства", "head", "production", DM),
        ("Начальник отдела кадров", "head", "hr", DM),
        ("Начальник юридического отдела", "head", "legal", DM),
        ("Заведующая складом", "head", "operations", DM),
        ("Директор филиала", "director", "executive", DM),
        ("Директор по продажам", "director", "sales", DM),
        ("Директор по маркетингу", "director", "marketing", DM),
        ("Операционный директор", "director", "operations", DM),
        ("HR-директор", "director", "hr", DM),
        ("ИТ-директор", "director", "it", DM),
        ("Директор по ИТ", "director", "it", DM),
        ("Управляющий партнер", "partner", "executive", DM),
        ("Индивидуальный предприниматель", "owner", "executive", DM),
        ("ИП", "owner", "executive", DM),
        ("Собственник бизнеса", "owner", "executive", DM),
        ("Член правления", "c_suite", "executive", DM),
        ("Ректор", "c_suite", "executive", DM),
        ("Руководитель направления", "manager", "other", NO),
        ("Производитель работ", "manager", "production", NO),  # the full name of прораб
        ("Старший прораб", "manager", "production", NO),
        ("Мастер", "manager", "production", NO),
        ("Менеджер по тендерам", "manager", "procurement", NO),
        ("Менеджер по работе с клиентами", "manager", "sales", NO),
        ("Бренд-менеджер", "manager", "marketing", NO),
        ("Ведущий специалист отдела закупок", "senior", "procurement", NO),
        ("Ведущий бухгалтер", "senior", "finance", NO),
        ("Инженер-сметчик", "entry", "engineering", NO),
        ("Инженер ПТО", "entry", "engineering", NO),
        ("Помощник прораба", "entry", "production", NO),
        ("Помощник руководителя", "entry", "other", NO),
        ("Секретарь-референт", "entry", "other", NO),
        ("Юрисконсульт", "entry", "legal", NO),
        ("Снабженец", "entry", "procurement", NO),
        ("Закупщик", "entry", "procurement", NO),
        ("Технолог", "entry", "engineering", NO),
        ("Системный администратор", "entry", "it", NO),
        ("Кладовщик", "entry", "other", NO),
        ("Учитель", "entry", "other", NO),
        # German
        ("Abteilungsleiter", "head", "other", DM),
        ("Einkaufsleiter", "head", "procurement", DM),
        ("Leitung Vertrieb", "head", "sales", DM),
        ("Bereichsleiter Finanzen", "head", "finance", DM),
        ("Kaufmännische Leiterin", "head", "finance", DM),
        ("Personalleiterin", "head", "hr", DM),
        ("Leiter Controlling", "head", "finance", DM),
        ("Werkleiter", "head", "production", DM),
        ("Betriebsleiter", "head", "operations", DM),
        ("Niederlassungsleiter", "head", "executive", DM),
        ("Filialleiter", "head", "executive", DM),
        ("Bauleiterin", "head", "production", DM),
        ("Geschäftsleitung", "c_suite", "executive", DM),
        ("Mitglied der Geschäftsleitung", "c_suite", "executive", DM),
        ("Technischer Geschäftsführer", "c_suite", "engineering", DM),
        ("Meister", "manager", "production", NO),
        ("Einkäufer", "entry", "procurement", NO),
        ("Disponent", "entry", "other", NO),
        ("Sachbearbeiter", "entry", "other", NO),
        ("Justiziar", "entry", "legal", NO),
        ("Rechtsanwalt", "entry", "legal", NO),
        ("Steuerberater", "entry", "finance", NO),
        ("Wirtschaftsprüfer", "entry", "finance", NO),
        ("Architekt", "entry", "engineering", NO),
        ("Assistenz der Geschäftsführung", "entry", "executive", NO),  # assists, not leads
        ("Referent Vorstand", "entry", "executive", NO),
        ("Fachkraft für Lagerlogistik", "entry", "operations", NO),
        ("Werkstudent", "intern", "other", NO),
        ("Azubi", "intern", "other", NO),
        ("Auszubildender", "intern", "other", NO),
        ("Vorständin", "c_suite", "executive", DM),
        ("Prokuristin", "director", "executive", DM),
        ("Büroleiterin", "manager", "operations", NO),
        ("Schichtleiter Produktion", "manager", "production", NO),
        ("Kaufmännischer Angestellter", "entry", "finance", NO),
        ("Teamleiterin Einkauf", "manager", "procurement", NO),
        ("Gebietsverkaufsleiter", "head", "sales", DM),
        ("Зам. директора по коммерции", "director", "sales", DM),
        ("Начальник отдела МТС", "head", "procurement", DM),
        ("Начальник ОМТС", "head", "procurement", DM),
        ("Начальник смены", "manager", "other", NO),
        ("Заместитель начальника участка", "head", "production", DM),
        ("Директор по строительству", "director", "production", DM),
        ("Главный конструктор", "head", "engineering", DM),
        ("Коммерческий директор ООО «Ромашка»", "director", "sales", DM),
        ("Менеджер по снабжению", "manager", "procurement", NO),
        ("Chief Revenue Officer", "c_suite", "sales", DM),
        ("VP, People & Culture", "vp", "hr", DM),
        ("Managing Director & Partner", "c_suite", "executive", DM),
        ("Purchasing Agent", "entry", "procurement", NO),
        ("Procurement Lead", "senior", "procurement", NO),
        ("Senior Key Account Manager", "manager", "sales", NO),
    ],
)
def test_classify_more_titles(text, seniority, department, decides):
    info = classify_title(text)
    assert (info.seniority, info.department, info.is_decision_maker) == (
        seniority,
        department,
        decides,
    )


@pytest.mark.parametrize(
    "text",
    # objects and names that must not read as a job title: the crawl asks seniority != unknown
    [
        "Pan Head",
        "Flute Head Cork",
        "GM",  # General Motors in a parts list, more often than a general manager
        "GM Antennas",
        "Hans Müller",
        "Peter Fischer",
        "Anna Schneider",
        "Jack Baker",
        "Dean Cracknell",
        "Hiring a Plumber In",
        "Editor's Selections",
        "Sources of Funding for School Leaders in",
        "Leadership Initiative",
    ],
)
def test_not_titles(text):
    assert classify_title(text).seniority == "unknown"


@pytest.mark.parametrize(
    ("rules", "text", "decides", "why"),
    [
        (DecisionRules(extra_titles=["прораб"]), "Прораб", True, "segment title 'прораб'"),
        (DecisionRules(extra_titles=["прораб"]), "Старший прораб", True, "segment title"),
        (DecisionRules(extra_titles=["Прораб"]), "прораба участка №2", True, "segment title"),
        (DecisionRules(extra_titles=["прораб"]), "Помощник прораба", True, "segment title"),
        (DecisionRules(extra_titles=["прораб"]), "Сметчик", False, None),
        (DecisionRules(extra_titles=["сметчик", "Bauleiter"]), "Инженер-сметчик", True, None),
        (DecisionRules(extra_titles=["Polier"]), "Polier", True, "segment title 'polier'"),
        (DecisionRules(extra_titles=["nurse"]), "Registered Nurse", True, None),
        (DecisionRules(extra_titles=["nurse"]), "Nursery Worker", True, None),  # word start
        (DecisionRules(extra_titles=["rep"]), "Sales Representative", True, None),
        (DecisionRules(extra_titles=["sales"]), "Wholesales Clerk", False, None),  # not a word
        (DecisionRules(extra_titles=["гл. механик"]), "Главный механик", True, None),
        (
            DecisionRules(departments=["procurement"]),
            "Менеджер по закупкам",
            True,
            "segment department procurement from manager",
        ),
        (DecisionRules(departments=["procurement"]), "Senior Buyer", False, None),
        (DecisionRules(departments=["procurement"]), "Специалист по закупкам", False, None),
        (DecisionRules(departments=["procurement"]), "Менеджер по продажам", False, None),
        (
            DecisionRules(departments=["procurement"], min_seniority="entry"),
            "Специалист по закупкам",
            True,
            "segment department procurement from entry",
        ),
        (
            DecisionRules(departments=["procurement"], min_seniority="entry"),
            "Stagiaire",
            False,
            None,
        ),
        (DecisionRules(departments=["it"]), "IT Manager", True, None),
        # the default rule is never narrowed by a segment
        (DecisionRules(extra_titles=["прораб"]), "Генеральный директор", True, "(c_suite)"),
        (DecisionRules(), "Прораб", False, None),
    ],
)
def test_decision_rules(rules, text, decides, why):
    info = classify_title(text, rules)
    base = classify_title(text)
    assert info.is_decision_maker is decides
    assert (info.seniority, info.department) == (base.seniority, base.department)
    if why:
        assert why in info.reason
    if decides and not base.is_decision_maker:
        assert info.reason.startswith(base.reason.rpartition("; ")[0])


def test_decision_rules_reject_unknown_names():
    with pytest.raises(ValueError, match="unknown department"):
        DecisionRules(departments=["salez"])
    with pytest.raises(ValueError, match="min_seniority"):
        DecisionRules(departments=["sales"], min_seniority="boss")


def test_decision_rules_are_hashable_and_cached():
    a = DecisionRules(extra_titles=["прораб"])
    b = DecisionRules(extra_titles=("прораб",))
    assert a == b and hash(a) == hash(b)
    assert classify_title("Прораб", a) is classify_title("Прораб", b)


@pytest.mark.parametrize("text", [None, "", "   ", "😀", 42])
def test_decision_rules_odd_inputs(text):
    info = classify_title(text, DecisionRules(extra_titles=["прораб"], departments=["sales"]))
    assert info.is_decision_maker is False


def _onet_sample():
    rows = []
    for line in (FIXTURES / "onet_sample.tsv").read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            codes, title = line.split("\t")
            rows.append((title, any(c.startswith("11-") for c in codes.split(","))))
    return rows


def test_onet_sample_decision_makers():
    """500 O*NET titles (CC BY 4.0; see the fixture header), half of them SOC 11-xxxx.

    Measured at this commit: precision 0.988, recall 0.328 overall and 0.678 without the titles
    classified "manager" (which the ABM rule lets influence, while O*NET files every manager
    under 11-xxxx), "unknown" seniority 0.254. Before this work: 0.966, 0.224, 0.463, 0.384.
    """
    rows = _onet_sample()
    assert len(rows) == 500
    tp = fp = fn_not_manager = unknown = 0
    for title, management in rows:
        info = classify_title(title)
        unknown += info.seniority == "unknown"
        if info.is_decision_maker:
            tp += management
            fp += not management
        elif management and info.seniority != "manager":
            fn_not_manager += 1
    assert tp / (tp + fp) >= 0.95
    assert tp / (tp + fn_not_manager) >= 0.65
    assert unknown / len(rows) <= 0.28


def test_trie_compiled_rules_match_like_the_written_ones():
    """The rules run as tries (enrichment.normalize.rulematch); each must match exactly where
    its written regex does, on every title of these tests and the O*NET sample."""
    import re

    from enrichment.normalize import titles

    texts = [title for title, _ in _onet_sample()]
    for test in (test_classify_title, test_classify_more_titles):
        texts += [row[0] for row in test.pytestmark[0].args[1]]
    texts += ["Werkleiterin", "Partner", "партнерам", "vp", "гип", "dipl-ing", "head", "ип"]
    normalized = [titles._normalize(t) for t in texts]
    seniority = zip(titles._SENIORITY_RULES, titles._SENIORITY_RES, strict=True)
    departments = zip(titles._DEPARTMENT_RULES, titles._DEPARTMENT_RES, strict=True)
    rules = [(p, r) for (_, _, p), (_, _, r) in seniority]
    rules += [(p, r) for (_, p), (_, r) in departments]
    for written, compiled in rules:
        plain = re.compile(written)
        for t in normalized:
            a, b = plain.search(t), compiled.search(t)
            assert (a and a.start()) == (b and b.start()), (written[:40], t)
