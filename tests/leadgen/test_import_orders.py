"""`leadgen import-orders`, `customers`, `reactivation`: real-looking files through the CLI,
bad rows, idempotence, matching order, and RFM/ABC/colour/reactivation worked out by hand."""
# ruff: noqa: E741  (C, O: the tables, as in the SQL they stand for)

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from sqlalchemy import select
from typer.testing import CliRunner

from leadgen.cli import app
from storage.db import make_engine
from storage.files import open_writer
from storage.models import ChangeEvent, Company, Order

C, O, CH = (m.__table__ for m in (Company, Order, ChangeEvent))

ACCOUNTS = """Название;ИНН;Сайт;Город;ФИО;Должность;E-mail
ООО «Альфа»;7707083893;alfa.ru;Москва;Иванов Иван;Генеральный директор;ivanov@alfa.ru
ООО «Бета»;;beta.ru;Казань;;;
АО «Гамма»;;gamma.ru;Омск;Петрова Анна;Коммерческий директор;petrova@gamma.ru
ООО «Дельта»;;delta.ru;Тверь;;;
ООО «Эпсилон»;;epsilon.ru;Псков;;;
ООО «Зета»;;zeta.ru;Сочи;Сидоров Пётр;Менеджер;
ООО «Эта»;;;Уфа;;;
ООО «Лютик»;;;Тверь;;;
АО «Лютик»;;;Псков;;;
"""

ORDERS_HEADER = ["Покупатель", "ИНН", "Сайт", "Дата", "Сумма", "Номер"]
ORDERS = [
    # A: by INN, 4 orders, the 2nd in two lines of one numbered order (600 + 400)
    ["Альфа", "7707083893", "", "01.05.2026", "1 000,00", ""],
    ["Альфа", "7707083893", "", "01.07.2026", "600", "INV-7"],
    ["Альфа", "7707083893", "", "01.07.2026", "400", "INV-7"],
    ["Альфа", "7707083893", "", "01.09.2026", "1000", ""],
    ["Альфа", "7707083893", "", "01.11.2026", "1000 руб.", ""],
    # B: by domain (a full URL)
    ["Бета ООО", "", "https://www.beta.ru/", "20.11.2026", "500", ""],
    # C: by name alone
    ["Гамма", "", "", "01.06.2025", "20000", ""],
    ["Гамма", "", "", "01.07.2025", "20000", ""],
    # D: by domain, two identical orders on one day (no number)
    ["", "", "delta.ru", "01.06.2026", "2500", ""],
    ["", "", "delta.ru", "01.06.2026", "2500", ""],
    # E
    ["Эпсилон", "", "epsilon.ru", "01.10.2026", "100", ""],
    # bad rows (rows 13-19)
    ["Лютик", "", "", "01.10.2026", "500", ""],  # 13: two accounts
    ["Незнакомец", "", "", "01.10.2026", "500", ""],  # 14: no account
    ["Альфа", "7707083893", "", "31.02.2026", "100", ""],  # 15: no such date
    ["Альфа", "7707083893", "", "01.05.2026", "-100", ""],  # 16: a return
    ["", "", "", "01.05.2026", "100", ""],  # 17: no customer
    ["Альфа", "7707083893", "", "01.05.2026", "сто", ""],  # 18: not a number
    ["Бета", "", "beta.ru", "01.03.2026", "1000", "INV-7"],  # 19: INV-7 is Альфа's
    ["Альфа", "7707083893", "", "", "100", ""],  # 20: no date
]
EXPECTED_REJECTS = [
    ("13", "name 'Лютик' matches 2 accounts"),
    ("14", "no account with name 'Незнакомец'"),
    ("15", "order date '31.02.2026' is not a date"),
    ("16", "amount '-100' is negative (a return or credit note): not an order"),
    ("17", "no customer name, INN or domain"),
    ("18", "amount 'сто' is not a number"),
    ("19", "order INV-7 is in row 3 for another customer (INN 7707083893, name 'Альфа')"),
    ("20", "no order date"),
]


def run(db_url: str, *args: str):
    return CliRunner().invoke(app, ["--database-url", db_url, *args], catch_exceptions=False)


def write_csv(path: Path, header=ORDERS_HEADER, rows=ORDERS, encoding="cp1251") -> Path:
    lines = [";".join(header), *(";".join(r) for r in rows)]
    path.write_bytes(("\r\n".join(lines) + "\r\n").encode(encoding))
    return path


@pytest.fixture
def base(db_url, tmp_path):
    accounts = tmp_path / "accounts.csv"
    accounts.write_text(ACCOUNTS, encoding="utf-8")
    assert run(db_url, "import", str(accounts), "--source", "crm").exit_code == 0
    return db_url


def snapshot(db_url):
    engine = make_engine(db_url)
    with engine.connect() as conn:
        out = {
            t.name: [tuple(r) for r in conn.execute(select(t).order_by(t.c.id))] for t in (C, O, CH)
        }
    engine.dispose()
    return out


def ids_by_name(db_url) -> dict[str, int]:
    engine = make_engine(db_url)
    with engine.connect() as conn:
        out = dict(conn.execute(select(C.c.name, C.c.id)).all())
    engine.dispose()
    return out


def test_import_orders_reports_bad_rows_and_is_idempotent(base, tmp_path):
    f = write_csv(tmp_path / "orders.csv")
    r = run(base, "import-orders", str(f), "--json")
    assert r.exit_code == 0, r.output
    s = json.loads(r.stdout)
    assert (s["encoding"], s["delimiter"], s["date_order"]) == ("cp1251", ";", "dmy")
    assert s["rows"] == 19
    # 13 readable rows (2 of them match no account); INV-7 folds two lines: 12 orders, 10 new
    assert (s["orders"], s["orders_new"], s["orders_unchanged"]) == (12, 10, 0)
    assert s["matched_by"] == {"inn": 4, "domain": 4, "name": 2}
    assert (s["customers"], s["unmatched_rows"], s["rejected_rows"]) == (5, 2, 8)
    rejects = list(csv.reader(f.with_name("orders.rejects.csv").open(encoding="utf-8")))
    assert rejects[0] == ["row", "reason", *ORDERS_HEADER]
    assert [
        (row[0], row[1][: len(why)])
        for row, (_, why) in zip(rejects[1:], EXPECTED_REJECTS, strict=True)
    ] == [(n, why) for n, why in EXPECTED_REJECTS]
    assert rejects[1][2:] == ORDERS[11]  # the original columns travel with the reason
    before = snapshot(base)
    again = json.loads(run(base, "import-orders", str(f), "--json").stdout)
    assert (again["orders_new"], again["orders_updated"], again["orders_unchanged"]) == (0, 0, 10)
    assert again["status_changes"] == {"current": 0, "former": 0}
    assert snapshot(base) == before
    engine = make_engine(base)
    with engine.connect() as conn:
        inv = conn.execute(select(O).where(O.c.order_number == "INV-7")).one()
        status = dict(conn.execute(select(C.c.name, C.c.status)).all())
    assert (inv.amount, inv.matched_by, inv.source, inv.locator) == (
        1000.0,
        "inn",
        "import:orders.csv",
        "orders.csv row 3",
    )
    assert status["ООО «Альфа»"] == "current" and status["АО «Гамма»"] == "former"
    assert status["ООО «Эта»"] == "new"


def test_xlsx_and_month_first_dates(base, tmp_path):
    f = tmp_path / "orders.xlsx"
    with open_writer(f, "xlsx", ["Customer", "Website", "Order date", "Total", "Currency"]) as w:
        w.write(["Beta", "beta.ru", "11/20/2026", "500.00", "EUR"])
        w.write(["Delta", "delta.ru", "06/13/2026", "1,250.50", "€"])  # 13: month-first file
    s = json.loads(run(base, "import-orders", str(f), "--json").stdout)
    assert (s["format"], s["date_order"], s["orders_new"], s["rejected_rows"]) == (
        "xlsx",
        "mdy",
        2,
        0,
    )
    assert s["currencies"] == ["EUR"]
    engine = make_engine(base)
    with engine.connect() as conn:
        rows = conn.execute(select(O.c.order_date, O.c.amount).order_by(O.c.id)).all()
    assert [(d.isoformat(), a) for d, a in rows] == [("2026-11-20", 500.0), ("2026-06-13", 1250.5)]


def test_a_file_without_an_amount_column_writes_nothing(base, tmp_path):
    f = write_csv(tmp_path / "o.csv", ["Покупатель", "Дата"], [["Альфа", "01.05.2026"]])
    r = run(base, "import-orders", str(f))
    assert r.exit_code == 1
    assert "no column for an amount" in r.stderr and "nothing was imported" in r.stderr
    assert snapshot(base)["orders"] == []
    r = run(base, "import-orders", str(f), "--map", "Дата=amount_x")
    assert r.exit_code == 2 and "unknown field 'amount_x'" in r.stderr
    r = run(base, "import-orders", str(tmp_path / "missing.csv"))
    assert r.exit_code == 1 and "no such file" in r.stderr


def test_map_option_names_an_unknown_column(base, tmp_path):
    f = write_csv(
        tmp_path / "deals.csv", ["Account", "Closed", "Deal value"], [["Альфа", "01.05.2026", "7"]]
    )
    s = json.loads(
        run(
            base, "import-orders", str(f), "--map", "Closed=order_date", "--map",
            "Deal value=amount", "--json",
        ).stdout
    )  # fmt: skip
    assert s["mapping"] == {
        "Account": "company_name",
        "Closed": "order_date",
        "Deal value": "amount",
    }
    assert s["orders_new"] == 1 and s["matched_by"] == {"name": 1}


def test_customers_rfm_abc_colour_match_hand_computed_values(base, tmp_path):
    run(base, "import-orders", str(write_csv(tmp_path / "orders.csv")))
    # As of 2026-12-01 (n = 5):
    #   Альфа: last 2026-11-01 -> 30 days, 4 orders, 4000 | Бета: 11 days, 1, 500
    #   Гамма: 2025-07-01 -> 365 + 153 = 518 days, 2, 40000 | Дельта: 183 days, 2, 5000
    #   Эпсилон: 61 days, 1, 100
    # R (more days worse): 11 30 61 183 518 -> Бета 5, Альфа 4, Эпсилон 3, Дельта 2, Гамма 1
    # F: 1 1 2 2 4 -> Альфа below 4 -> 5; Гамма, Дельта below 2 -> 1+2 = 3; Бета, Эпсилон 1
    # M: 100 500 4000 5000 40000 -> Гамма 5, Дельта 4, Альфа 3, Бета 2, Эпсилон 1
    # FM = (F+M+1)//2: Альфа 4 -> R4 FM4 loyal; Бета 2 -> R5 FM2 potential loyalists;
    #   Гамма 4 -> R1 FM4 at risk; Дельта 4 -> R2 FM4 at risk; Эпсилон 1 -> R3 FM1 hibernating
    # ABC, total 49,600: Гамма 0 % -> A; Дельта 40000 = 80.6 % -> B; Альфа 45000 = 90.7 % -> B;
    #   Бета 49000 = 98.8 % -> C; Эпсилон -> C
    # Colour: Альфа 4 orders -> gold; Гамма 518 days -> red; others green
    r = run(base, "customers", "--as-of", "2026-12-01", "--json")
    assert r.exit_code == 0, r.output
    got = {
        c["name"]: tuple(
            c[k] for k in ("recency_days", "orders", "revenue", "rfm", "segment", "abc", "colour")
        )
        for c in json.loads(r.stdout)
    }
    assert got == {
        "ООО «Альфа»": (30, 4, 4000.0, "453", "loyal", "B", "gold"),
        "ООО «Бета»": (11, 1, 500.0, "512", "potential loyalists", "C", "green"),
        "АО «Гамма»": (518, 2, 40000.0, "135", "at risk", "A", "red"),
        "ООО «Дельта»": (183, 2, 5000.0, "234", "at risk", "B", "green"),
        "ООО «Эпсилон»": (61, 1, 100.0, "311", "hibernating", "C", "green"),
    }
    assert "5 customers as of 2026-12-01" in r.stderr
    # default order: revenue, largest first; filters combine
    assert [c["name"] for c in json.loads(r.stdout)][:2] == ["АО «Гамма»", "ООО «Дельта»"]
    r = run(base, "customers", "--as-of", "2026-12-01", "--rfm", "at risk", "--abc", "B", "--json")
    assert [c["name"] for c in json.loads(r.stdout)] == ["ООО «Дельта»"]
    r = run(base, "customers", "--as-of", "2026-12-01", "--abc-split", "50/40/10", "--json")
    # 50/40/10: Дельта at 80.6 % < 90 -> B; Альфа at 90.7 % -> C
    assert {c["name"]: c["abc"] for c in json.loads(r.stdout)}["ООО «Альфа»"] == "C"
    assert run(base, "customers", "--abc-split", "50/40").exit_code == 2
    assert run(base, "customers", "--rfm", "vip").exit_code == 2
    # --segment names a segment file or a scored segment; an RFM name there gets a pointer
    r = run(base, "customers", "--segment", "at risk")
    assert r.exit_code == 2 and "use --rfm 'at risk'" in r.stderr
    table = run(base, "customers", "--as-of", "2026-12-01", "--sort", "recency")
    assert table.exit_code == 0 and table.stdout.index("Бета") < table.stdout.index("Гамма")
    assert "at risk" in table.stdout


def test_reactivation_matches_hand_computed_silences(base, tmp_path):
    run(base, "import-orders", str(write_csv(tmp_path / "orders.csv")))
    # As of 2026-12-01, default 90 days:
    #   Альфа: gaps 61, 62, 61 -> median 61; silent 30 -> no
    #   Бета: one order day -> 90; 11 -> no | Эпсилон: 90; 61 -> no
    #   Гамма: gap 30 -> 30; silent 518 -> overdue 488
    #   Дельта: one order day (two orders) -> 90; silent 183 -> overdue 93
    r = run(base, "reactivation", "--as-of", "2026-12-01", "--json")
    assert r.exit_code == 0, r.output
    got = json.loads(r.stdout)
    assert [
        (i["name"], i["days_silent"], i["usual_interval_days"], i["interval"], i["overdue_days"])
        for i in got
    ] == [
        ("АО «Гамма»", 518, 30.0, "own", 488.0),
        ("ООО «Дельта»", 183, 90.0, "default", 93.0),
    ]
    gamma = got[0]
    assert (gamma["last_order"], gamma["last_order_amount"]) == ("2025-07-01", 20000.0)
    assert gamma["best_contact"]["name"] == "Петрова Анна"
    assert gamma["best_contact"]["email"] == "petrova@gamma.ru"
    assert "2 of 5 customers silent" in r.stderr
    # Opted-out accounts are never listed: forget Гамма's contact
    assert run(base, "forget", "petrova@gamma.ru").exit_code == 0
    got = json.loads(run(base, "reactivation", "--as-of", "2026-12-01", "--json").stdout)
    assert [i["name"] for i in got] == ["ООО «Дельта»"]
    colours = {
        c["name"]: c["colour"]
        for c in json.loads(run(base, "customers", "--as-of", "2026-12-01", "--json").stdout)
    }
    assert colours["АО «Гамма»"] == "orange"


def test_list_and_export_show_the_colour(base, tmp_path):
    run(base, "import-orders", str(write_csv(tmp_path / "orders.csv")))
    listed = {c["name"]: c["colour"] for c in json.loads(run(base, "list", "--json").stdout)}
    # Зета has a person but never bought: grey; Эта: nothing known: white. The order colours
    # depend on today (Гамма is red once 2026-07-01 is a year past, which it is).
    assert listed["ООО «Зета»"] == "grey" and listed["ООО «Эта»"] == "white"
    assert listed["ООО «Альфа»"] == "gold" and listed["АО «Гамма»"] == "red"
    out = tmp_path / "x.csv"
    assert run(base, "export", "-o", str(out)).exit_code == 0
    rows = {r["company"]: r["colour"] for r in csv.DictReader(out.open(encoding="utf-8"))}
    assert rows == listed
    table = run(base, "list")
    assert "Colour" in table.stdout and "gold" in table.stdout


@pytest.mark.parametrize("command", ["import-orders", "customers", "reactivation"])
def test_help_has_an_example(command):
    r = CliRunner().invoke(app, [command, "--help"], terminal_width=200)
    assert r.exit_code == 0 and "Example" in r.stdout and f"leadgen {command}" in r.stdout
