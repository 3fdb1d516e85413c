"""classify_title: seniority, department and decision maker for RU / EN / DE titles."""

from __future__ import annotations

import pytest

from enrichment import TitleInfo, classify_title

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
