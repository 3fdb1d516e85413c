"""`leadgen list`, `export`, `db`, `--help` and `--version` through the CLI."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import select
from typer.testing import CliRunner

from leadgen import __version__
from leadgen.cli import app
from storage.db import make_engine
from storage.exports import COMPANY_COLUMNS, CONTACT_COLUMNS, LIFECYCLE_COLUMNS, TIME_COLUMNS
from storage.models import ExportLog

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "examples" / "prospects.csv"


def run(db_url, *args):
    return CliRunner().invoke(app, ["--database-url", db_url, *args], catch_exceptions=False)


@pytest.fixture
def loaded(db_url, tmp_path):
    r = run(
        db_url,
        "import",
        str(SAMPLE),
        "--source",
        "sample",
        "--rejects",
        str(tmp_path / "rejects.csv"),
    )
    assert r.exit_code == 0, r.output
    return db_url


def test_list_json_with_filters_and_best_contact(loaded):
    r = run(loaded, "list", "--json")
    assert r.exit_code == 0
    rows = json.loads(r.stdout)
    assert len(rows) == 8
    by_domain = {c["domain"]: c for c in rows}
    kzn = by_domain["stroymontazh-kzn.ru"]
    assert kzn["people_count"] == 3 and kzn["decision_makers"] == 2
    # decision makers first, the foreman (прораб) is never the best contact
    assert kzn["best_contact"]["is_decision_maker"] is True
    assert kzn["best_contact"]["name"] == "Гарипов Ринат Ильдарович"
    assert kzn["emails"] == ["info@stroymontazh-kzn.ru"]
    r = run(loaded, "list", "--country", "DE", "--json")
    assert {c["domain"] for c in json.loads(r.stdout)} == {
        "beispiel-bau.de",
        "nordlicht-logistik.de",
    }
    r = run(loaded, "list", "--city", "Екатеринбург", "--json")
    assert [c["domain"] for c in json.loads(r.stdout)] == ["uralmet-ekb.ru"]
    r = run(loaded, "list", "--no-decision-maker", "--json")
    assert [c["domain"] for c in json.loads(r.stdout)] == ["sibokna.ru"]
    r = run(loaded, "list", "--name", "ромаш", "--json")
    assert json.loads(r.stdout) == []
    r = run(loaded, "list", "--min-employees", "300", "--sort", "employees", "--json")
    assert [c["domain"] for c in json.loads(r.stdout)] == [
        "nordlicht-logistik.de",
        "uralmet-ekb.ru",
        "sevtechpark.ru",
    ]


def test_list_table(loaded):
    r = run(loaded, "list", "--limit", "3")
    assert r.exit_code == 0
    assert "Best" in r.stdout and "Company" in r.stdout and r.stdout.count("│") > 10
    assert "3 companies shown" in r.stderr


def test_export_companies_csv_excel_bom_and_log(loaded, tmp_path):
    out = tmp_path / "prospects.csv"
    r = run(loaded, "export", "-o", str(out), "--excel", "--country", "RU")
    assert r.exit_code == 0, r.output
    raw = out.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
    assert list(rows[0]) == [
        c for c, _ in (*COMPANY_COLUMNS, *CONTACT_COLUMNS, *TIME_COLUMNS, *LIFECYCLE_COLUMNS)
    ]
    assert len(rows) == 4
    kzn = next(r for r in rows if r["domain"] == "stroymontazh-kzn.ru")
    assert kzn["company"] == "ООО «СтройМонтаж-Казань»" and kzn["inn"] == "1655123453"
    assert kzn["phones"] == "+78432124567; +78432124570"
    assert kzn["contact_name"] == "Гарипов Ринат Ильдарович"
    assert kzn["contact_email"] == "r.garipov@stroymontazh-kzn.ru"
    engine = make_engine(loaded)
    with engine.connect() as conn:
        [log] = [dict(r._mapping) for r in conn.execute(select(ExportLog.__table__))]
    assert (log["kind"], log["format"], log["row_count"]) == ("companies", "csv", 4)
    assert log["filters"] == {"country": "RU"}


def test_export_plain_csv_has_no_bom(loaded, tmp_path):
    out = tmp_path / "p.csv"
    assert run(loaded, "export", "-o", str(out)).exit_code == 0
    assert not out.read_bytes().startswith(b"\xef\xbb\xbf")


def test_export_contacts_xlsx_and_jsonl(loaded, tmp_path):
    from openpyxl import load_workbook

    xlsx = tmp_path / "contacts.xlsx"
    assert run(loaded, "export", "-o", str(xlsx), "--contacts").exit_code == 0
    ws = load_workbook(xlsx, read_only=True).active
    values = list(ws.values)
    assert values[0][0] == "company_id" and len(values) == 1 + 13  # one row per person
    jsonl = tmp_path / "contacts.jsonl"
    assert run(loaded, "export", "-o", str(jsonl), "--contacts").exit_code == 0
    people = [json.loads(line) for line in jsonl.read_text(encoding="utf-8").splitlines()]
    assert len(people) == 13
    vogel = next(p for p in people if p["contact_last_name"] == "Vogel")
    assert vogel["contact_decision_maker"] is True and vogel["phones"] == [
        "+498912345678",
        "+498912345670",
    ]


def test_export_unknown_format_is_a_usage_error(loaded, tmp_path):
    r = run(loaded, "export", "-o", str(tmp_path / "x.pdf"))
    assert r.exit_code == 2 and "--format" in r.stderr


def test_db_upgrade_and_current(db_url):
    r = run(db_url, "db", "upgrade")
    assert r.exit_code == 0
    r = run(db_url, "db", "current")
    info = json.loads(r.stdout)
    assert info["current"] == info["head"] is not None


COMMANDS = [["import"], ["list"], ["export"], ["forget"], ["db", "upgrade"], ["db", "current"]]


@pytest.mark.parametrize("command", COMMANDS, ids=" ".join)
def test_every_command_has_help_with_an_example(command):
    r = CliRunner().invoke(app, [*command, "--help"], terminal_width=200)
    assert r.exit_code == 0
    assert "Example" in r.stdout and "leadgen " in r.stdout


def test_version():
    r = CliRunner().invoke(app, ["--version"])
    assert r.stdout.strip() == f"leadgen {__version__}"


def test_help_starts_fast_without_heavy_imports():
    code = (
        "import sys, leadgen.cli; heavy = {'sqlalchemy', 'openpyxl', 'phonenumbers', "
        "'scrapy', 'sqlmodel'} & set(sys.modules); print(sorted(heavy))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT
    )
    assert out.stdout.strip() == "[]"
    started = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "leadgen", "--help"], capture_output=True, check=True, cwd=ROOT
    )
    assert time.perf_counter() - started < 5  # generous: a shared CI machine; typical 0.3 s
