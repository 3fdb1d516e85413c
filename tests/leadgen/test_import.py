"""`leadgen import`: real-world files, bad rows, idempotence, customers — through the CLI."""
# ruff: noqa: E741  (C, P, E, O: the tables, as in the SQL they stand for)

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import func, select
from typer.testing import CliRunner

from leadgen.cli import app
from storage.db import make_engine
from storage.models import ChangeEvent, Company, Email, Observation, Person, Run

C, P, E, O, CH, R = (m.__table__ for m in (Company, Person, Email, Observation, ChangeEvent, Run))
MOVING = {"last_seen", "last_seen_at", "last_run_id"}

HEADER = "Название;Сайт;ИНН;Телефон;Город;ФИО;Должность;E-mail"
ROWS = [
    "ООО «Ромашка»;romashka.ru;7707083893;8 (495) 123-45-67;Москва;"
    "Иванов Иван Иванович;Генеральный директор;ivanov@romashka.ru",
    "ООО «Ромашка»;romashka.ru;7707083893;8 (495) 123-45-67;Москва;"
    "Петрова Анна Сергеевна;Главный бухгалтер;a.petrova@romashka.ru",
    ";;;+7 495 000-00-00;Москва;;;",  # row 4: no name, no website
    "АО «Вектор»;vektor-spb.ru;7736207543;+7 (812) 555-44-33;Санкт-Петербург;"
    "Смирнов Олег;Менеджер по продажам;smirnov@@vektor-spb.ru",  # row 5: bad email
    "ИП Сидоров;;123;12;Казань;Сидоров Пётр;Индивидуальный предприниматель;",  # row 6
]


def write_cp1251(path: Path, rows=ROWS) -> Path:
    path.write_bytes(("\r\n".join([HEADER, *rows]) + "\r\n").encode("cp1251"))
    return path


def run(db_url: str, *args: str):
    result = CliRunner().invoke(app, ["--database-url", db_url, *args], catch_exceptions=False)
    return result


def table(db_url, t):
    engine = make_engine(db_url)
    with engine.connect() as conn:
        rows = [dict(r._mapping) for r in conn.execute(select(t).order_by(t.c.id))]
    engine.dispose()
    return rows


def n(db_url, t, *where) -> int:
    engine = make_engine(db_url)
    with engine.connect() as conn:
        value = conn.execute(select(func.count()).select_from(t).where(*where)).scalar_one()
    engine.dispose()
    return value


def dump(db_url):
    return {
        t.name: [{k: v for k, v in r.items() if k not in MOVING} for r in table(db_url, t)]
        for t in (C, P, E, O, CH)
    }


def test_windows_1251_semicolon_export_is_read_correctly(db_url, tmp_path):
    f = write_cp1251(tmp_path / "список.csv")
    r = run(db_url, "import", str(f), "--source", "bought-list", "--json")
    assert r.exit_code == 0, r.output
    summary = json.loads(r.stdout)
    assert (summary["encoding"], summary["delimiter"]) == ("cp1251", ";")
    companies = {c["name"]: c for c in table(db_url, C)}
    assert set(companies) == {"ООО «Ромашка»", "АО «Вектор»", "ИП Сидоров"}
    rom = companies["ООО «Ромашка»"]
    assert (rom["domain"], rom["inn"], rom["city"], rom["phones"]) == (
        "romashka.ru",
        "7707083893",
        "Москва",
        ["+74951234567"],
    )
    people = {p["full_name"]: p for p in table(db_url, P)}
    ivanov = people["Иванов Иван Иванович"]
    assert (ivanov["first_name"], ivanov["middle_name"], ivanov["last_name"]) == (
        "Иван",
        "Иванович",
        "Иванов",
    )
    assert ivanov["is_decision_maker"] and ivanov["company_id"] == rom["id"]
    assert not people["Смирнов Олег"]["is_decision_maker"]
    # provenance: source name, file and row
    obs = {(o["field"], o["value"], o["source"], o["locator"]) for o in table(db_url, O)}
    assert ("inn", "7707083893", "import:bought-list", "список.csv row 2") in obs


def test_bad_rows_reported_with_number_and_reason_and_the_rest_imported(db_url, tmp_path):
    f = write_cp1251(tmp_path / "list.csv")
    rejects = tmp_path / "rejects.csv"
    r = run(db_url, "import", str(f), "--rejects", str(rejects), "--json")
    assert r.exit_code == 0
    s = json.loads(r.stdout)
    assert (s["rows"], s["imported_rows"], s["rejected_rows"]) == (5, 4, 1)
    problems: dict[tuple[str, str], list[str]] = {}
    for p in s["problems"]:
        problems.setdefault((p["where"], p["severity"]), []).append(p["reason"])
    assert problems[("row 4", "error")] == ["no company name and no website"]
    assert any("smirnov@@vektor-spb.ru" in m for m in problems[("row 5", "warning")])
    row6 = problems[("row 6", "warning")]
    assert any("'123'" in m and "INN" in m for m in row6)
    assert any("phone '12'" in m for m in row6)
    # the person of row 5 is kept, without the bad address
    assert n(db_url, P, P.c.full_name == "Смирнов Олег") == 1
    assert n(db_url, E, E.c.address.contains("smirnov")) == 0
    # rejected rows keep their original values, number and reason
    lines = rejects.read_text(encoding="utf-8").splitlines()
    assert lines[0].startswith("row,reason,Название")
    assert lines[1].startswith("4,no company name and no website,,,,+7 495 000-00-00,Москва")
    # and the run remembers everything
    [run_row] = table(db_url, R)
    assert run_row["status"] == "partial" and run_row["counts"]["problems"] == len(s["problems"])


def test_same_file_twice_leaves_the_same_database(db_url, tmp_path):
    f = write_cp1251(tmp_path / "list.csv")
    assert run(db_url, "import", str(f)).exit_code == 0
    first = dump(db_url)
    r = run(db_url, "import", str(f), "--json")
    assert r.exit_code == 0
    assert dump(db_url) == first
    s = json.loads(r.stdout)
    assert (s["companies_new"], s["companies_updated"], s["people_new"], s["emails_new"]) == (
        0,
        0,
        0,
        0,
    )


@pytest.mark.parametrize(
    "content,reason",
    [
        (b"", "empty"),
        (b"%PDF-1.4\x00\x01\x02binary", ""),
        ("Название;Сайт\nООО Ромашка;romashka.ru\n".encode("utf-16-le")[:-1], ""),
    ],
)
def test_unreadable_file_writes_nothing(db_url, tmp_path, content, reason):
    f = tmp_path / "broken.csv"
    f.write_bytes(content)
    r = run(db_url, "import", str(f))
    assert r.exit_code == 1
    assert "nothing was imported" in r.stderr and reason in r.stderr
    assert n(db_url, R) == 0 and n(db_url, C) == 0


def test_corrupt_xlsx_writes_nothing(db_url, tmp_path):
    f = tmp_path / "list.xlsx"
    f.write_bytes(b"PK\x03\x04 this is not really a zip")
    r = run(db_url, "import", str(f))
    assert r.exit_code == 1 and "nothing was imported" in r.stderr
    assert n(db_url, R) == 0


def test_file_without_company_or_website_column_writes_nothing(db_url, tmp_path):
    f = tmp_path / "people.csv"
    f.write_text("ФИО,Должность\nИванов Иван,CEO\n", encoding="utf-8")
    r = run(db_url, "import", str(f))
    assert r.exit_code == 1 and "--map" in r.stderr
    assert n(db_url, R) == 0 and n(db_url, P) == 0


def test_customers_flag_marks_matched_companies_as_current(db_url, tmp_path):
    f = write_cp1251(tmp_path / "list.csv")
    run(db_url, "import", str(f))
    crm = tmp_path / "crm.csv"
    crm.write_text(
        "Client,INN\nRomashka LLC,7707083893\nNew Client Ltd,7728168971\n", encoding="utf-8"
    )
    r = run(db_url, "import", str(crm), "--customers", "--map", "Client=company_name")
    assert r.exit_code == 0, r.output
    status = {c["inn"]: c["status"] for c in table(db_url, C)}
    assert status["7707083893"] == "current"  # matched by ИНН, not duplicated
    assert status["7728168971"] == "current"
    assert status["7736207543"] == "new"
    assert n(db_url, C) == 4


def test_english_and_german_headers_xlsx_and_jsonl(db_url, tmp_path):
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.append(
        ["Firma", "Webseite", "Telefon", "Stadt", "Land", "Ansprechpartner", "Funktion", "E-Mail"]
    )
    ws.append(
        [
            "Beispiel Bau GmbH",
            "www.beispiel-bau.de",
            "089 1234 5678",
            "München",
            "Deutschland",
            "Dr. Katrin Vogel",
            "Geschäftsführerin",
            "k.vogel@beispiel-bau.de",
        ]
    )
    xlsx = tmp_path / "messe.xlsx"
    wb.save(xlsx)
    jsonl = tmp_path / "crm.jsonl"
    jsonl.write_text(
        json.dumps(
            {
                "Company": "Acme Widgets Inc.",
                "Website": "https://acme-widgets.com",
                "Phone": "+1 415 555 0134",
                "Contact": "Jane A. Smith",
                "Job Title": "VP of Sales",
                "Email": "jane.smith@acme-widgets.com",
            }
        )
        + "\n"
        + "{not json\n",
        encoding="utf-8",
    )
    assert run(db_url, "import", str(xlsx)).exit_code == 0
    r = run(db_url, "import", str(jsonl), "--json")
    assert r.exit_code == 0
    assert any(p["where"] == "row 2" for p in json.loads(r.stdout)["problems"])
    companies = {c["domain"]: c for c in table(db_url, C)}
    assert companies["beispiel-bau.de"]["country"] == "DE"
    assert companies["beispiel-bau.de"]["phones"] == ["+498912345678"]
    assert companies["acme-widgets.com"]["phones"] == ["+14155550134"]
    people = {p["full_name"]: p for p in table(db_url, P)}
    assert people["Katrin Vogel"]["is_decision_maker"]
    assert people["Jane A. Smith"]["seniority"] == "vp"


def test_bad_map_option_is_a_usage_error(db_url, tmp_path):
    f = write_cp1251(tmp_path / "list.csv")
    r = run(db_url, "import", str(f), "--map", "Название=no_such_field")
    assert r.exit_code == 2 and "no_such_field" in r.stderr


def test_forgotten_email_is_not_imported_again(db_url, tmp_path):
    f = write_cp1251(tmp_path / "list.csv")
    run(db_url, "import", str(f))
    r = run(db_url, "forget", "A.Petrova@romashka.ru", "--json")
    assert r.exit_code == 0 and json.loads(r.stdout)["people"] == 1
    r = run(db_url, "import", str(f), "--json")
    assert json.loads(r.stdout)["suppressed"] == 1
    assert n(db_url, P, P.c.full_name.contains("Петрова")) == 0
    assert n(db_url, O, O.c.value.contains("petrova")) == 0


def test_notes_are_kept_and_unknown_columns_reported(db_url, tmp_path):
    f = tmp_path / "notes.csv"
    f.write_text(
        "Компания;Сайт;Примечание;Любимый цвет\n"
        "ООО Ромашка;romashka.ru;звонить после 15:00;синий\n",
        encoding="utf-8",
    )
    r = run(db_url, "import", str(f), "--json")
    assert r.exit_code == 0
    assert json.loads(r.stdout)["ignored_columns"] == ["Любимый цвет"]
    assert n(db_url, O, O.c.field == "notes", O.c.value == "звонить после 15:00") == 1
    r = run(db_url, "import", str(f))
    assert "Любимый цвет" in r.stderr and "--map" in r.stderr


def test_rows_of_one_company_far_apart_reimport_without_changes(db_url, tmp_path, monkeypatch):
    import leadgen.importing.stage as stage

    monkeypatch.setattr(stage, "BATCH_ROWS", 2)  # every company's rows must still go together
    f = tmp_path / "scattered.csv"
    f.write_text(
        "Компания;Сайт;Город;ФИО\n"
        "ООО Ромашка;romashka.ru;Москва;Иванов Иван\n"
        "АО Вектор;vektor.ru;Казань;Петров Пётр\n"
        "ООО Сокол;sokol.ru;Тверь;\n"
        "ЗАО Берёза;bereza.ru;Омск;\n"
        "ООО «Ромашка»;https://www.romashka.ru/;Санкт-Петербург;Смирнова Анна\n",
        encoding="utf-8",
    )
    rows = [r.values for r in stage.read_table(f).rows]
    batches = stage.company_batches(
        stage.read_table(f).rows, stage.resolve_columns(list(rows[0])), 2
    )
    assert [[r.number for r in b] for b in batches] == [[2, 6], [3, 4], [5]]
    assert run(db_url, "import", str(f)).exit_code == 0
    [rom] = [c for c in table(db_url, C) if c["domain"] == "romashka.ru"]
    assert rom["city"] == "Санкт-Петербург"  # the last row of the company wins
    before = dump(db_url)
    r = run(db_url, "import", str(f), "--json")
    assert json.loads(r.stdout)["companies_updated"] == 0
    assert dump(db_url) == before


def test_worker_process_mapping_gives_the_same_database(db_url, tmp_path, monkeypatch):
    """Large files are normalized in a worker process; the result must not depend on it."""
    import leadgen.importing.stage as stage

    f = write_cp1251(tmp_path / "list.csv")
    assert run(db_url, "import", str(f)).exit_code == 0
    in_process = dump(db_url)
    for t in (O, E, P, C):  # start again, this time through the worker
        engine = make_engine(db_url)
        with engine.begin() as conn:
            conn.execute(t.delete())
        engine.dispose()
    monkeypatch.setattr(stage, "PARALLEL_MIN_ROWS", 1)
    monkeypatch.setattr(stage, "BATCH_ROWS", 2)
    assert run(db_url, "import", str(f)).exit_code == 0
    strip = {"id", "company_id", "entity_id", "person_id", "run_id", "first_seen", "first_seen_at"}

    def norm(d):
        return {
            k: sorted(str(sorted((c, v) for c, v in r.items() if c not in strip)) for r in rows)
            for k, rows in d.items()
            if k != "change_events"
        }

    assert norm(dump(db_url)) == norm(in_process)


def test_company_grouping_does_not_depend_on_its_key_cache(tmp_path, monkeypatch):
    """Rows that repeat a company's columns reuse its folded keys; a full cache starts over."""
    import leadgen.importing.stage as stage

    f = tmp_path / "repeated.csv"
    f.write_text(
        "Компания;Сайт;ИНН;Город;ФИО\n"
        "ООО Ромашка;romashka.ru;7707083893;Москва;Иванов Иван\n"
        "АО Вектор;vektor.ru;;Казань;Петров Пётр\n"
        "ООО Ромашка;romashka.ru;7707083893;Москва;Сидоров Олег\n"
        "Romashka LLC;;7707083893;;Smith John\n"  # the same ИНН: the same company
        "АО Вектор;vektor.ru;;Казань;Смирнова Анна\n"
        "ЗАО Берёза;bereza.ru;;Омск;\n",
        encoding="utf-8",
    )
    rows = stage.read_table(f).rows
    mapping = stage.resolve_columns(list(rows[0].values))
    grouped = [[r.number for r in b] for b in stage.company_batches(rows, mapping, 4)]
    assert grouped == [[2, 4, 5], [3, 6, 7]]
    monkeypatch.setattr(stage, "_KEY_CACHE_SIZE", 1)
    assert [[r.number for r in b] for b in stage.company_batches(rows, mapping, 4)] == grouped
