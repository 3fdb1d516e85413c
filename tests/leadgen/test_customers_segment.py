"""`leadgen customers`, `reactivation` and `import-orders` with `--segment NAME_OR_FILE`: the
segment's [customers] settings are the defaults, an option on the command line wins, and the
listings keep to the segment's scored accounts.  Figures worked out by hand from the orders of
tests/leadgen/test_import_orders.py."""
# ruff: noqa: E741  (C: the table, as in the SQL it stands for)

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from storage.clock import utcnow
from storage.db import make_engine
from storage.models import ChangeEvent, Company
from tests.leadgen.test_import_orders import ACCOUNTS, run, write_csv

C, CH = Company.__table__, ChangeEvent.__table__

SEGMENT = """
name = "key-accounts"
description = "customers and prospects but Гамма"

[icp]
exclude_domains = ["gamma.ru"]

[[scoring.attractiveness.criteria]]
name = "size"
field = "employees"
kind = "bands"
missing = 1
bands = [{ min = 0, points = 1 }]

[[scoring.position.criteria]]
name = "relationship"
field = "status"
kind = "categories"
points = { current = 10, former = 5 }
other = 1
"""


def segment_file(tmp_path: Path, customers: str = "", name: str = "key-accounts.toml") -> Path:
    path = tmp_path / name
    path.write_text(SEGMENT + customers, encoding="utf-8")
    return path


CUSTOMERS = """
[customers]
current_days = 180
reactivation_interval_days = 200
reactivation_factor = 1
"""


@pytest.fixture
def base(db_url, tmp_path):
    accounts = tmp_path / "accounts.csv"
    accounts.write_text(ACCOUNTS, encoding="utf-8")
    assert run(db_url, "import", str(accounts), "--source", "crm").exit_code == 0
    assert run(db_url, "import-orders", str(write_csv(tmp_path / "orders.csv"))).exit_code == 0
    return db_url


@pytest.fixture
def scored(base, tmp_path):
    path = segment_file(tmp_path, CUSTOMERS)
    r = run(base, "score", str(path), "--json")
    assert r.exit_code == 0, r.output
    # 9 accounts, Гамма excluded by the ICP: no scores row
    assert (json.loads(r.stdout)["scored"], json.loads(r.stdout)["accounts"]) == (8, 9)
    return base, path


def names(result) -> list[str]:
    assert result.exit_code == 0, result.output
    return [i["name"] for i in json.loads(result.stdout)]


def silent(result) -> list[tuple]:
    assert result.exit_code == 0, result.output
    return [
        (i["name"], i["usual_interval_days"], i["interval"], i["overdue_days"])
        for i in json.loads(result.stdout)
    ]


def test_reactivation_takes_the_segments_settings_and_its_accounts(scored):
    db, path = scored
    day = ("--as-of", "2026-12-01", "--json")
    # Without a segment (default 90 days, factor 1): Гамма (own 30 days, 518 silent) and
    # Дельта (one order day: 90; 183 silent).
    assert silent(run(db, "reactivation", *day)) == [
        ("АО «Гамма»", 30.0, "own", 488.0),
        ("ООО «Дельта»", 90.0, "default", 93.0),
    ]
    # The segment: Гамма is not one of its accounts; its default interval is 200 days, so
    # Дельта (183) is not silent either.  By file and by the name the scoring stored.
    for segment in (str(path), "key-accounts"):
        r = run(db, "reactivation", "--segment", segment, *day)
        assert silent(r) == []
        assert "0 of 4 customers in segment key-accounts silent" in r.stderr
        assert "(default 200 days, × 1)" in r.stderr
    # an option on the command line wins over the segment; the segment still restricts
    assert silent(
        run(db, "reactivation", "--segment", "key-accounts", "--default-interval-days", "90", *day)
    ) == [("ООО «Дельта»", 90.0, "default", 93.0)]
    # --factor 0.4 with the segment's 200 days: one-order-day customers silent past 80 days
    # (Дельта 183 -> 103 over; Эпсилон 61 and Бета 11 not); Альфа's own 61 days × 0.4 = 24.4
    # and 30 days silent -> 5.6 over.  Largest revenue first.
    assert silent(
        run(db, "reactivation", "--segment", "key-accounts", "--factor", "0.4", *day)
    ) == [
        ("ООО «Дельта»", 200.0, "default", 103.0),
        ("ООО «Альфа»", 61.0, "own", 5.6),
    ]
    # both options given: nothing of the segment's [customers] is used, Гамма still left out
    both = ("--default-interval-days", "90", "--factor", "1")
    assert silent(run(db, "reactivation", "--segment", str(path), *both, *day)) == [
        ("ООО «Дельта»", 90.0, "default", 93.0)
    ]


def test_customers_takes_the_segments_window_and_its_accounts(scored):
    db, path = scored
    day = ("--as-of", "2026-12-01", "--json")
    everyone = {c["name"]: c for c in json.loads(run(db, "customers", *day).stdout)}
    assert everyone["ООО «Дельта»"]["colour"] == "green"  # 183 days, window 365
    r = run(db, "customers", "--segment", "key-accounts", *day)
    listed = {c["name"]: c for c in json.loads(r.stdout)}
    assert sorted(listed) == ["ООО «Альфа»", "ООО «Бета»", "ООО «Дельта»", "ООО «Эпсилон»"]
    assert "4 customers in segment key-accounts as of 2026-12-01" in r.stderr
    # the segment's window is 180 days: Дельта's last order (183 days) makes it red
    assert listed["ООО «Дельта»"]["colour"] == "red"
    assert {n: c["colour"] for n, c in listed.items() if n != "ООО «Дельта»"} == {
        n: everyone[n]["colour"] for n in listed if n != "ООО «Дельта»"
    }
    # RFM and ABC stay ranked among all customers: the same codes and classes as without
    assert {n: (c["rfm"], c["segment"], c["abc"]) for n, c in listed.items()} == {
        n: (everyone[n]["rfm"], everyone[n]["segment"], everyone[n]["abc"]) for n in listed
    }
    # an explicit --current-days wins
    r = run(db, "customers", "--segment", str(path), "--current-days", "365", *day)
    assert {c["name"]: c["colour"] for c in json.loads(r.stdout)}["ООО «Дельта»"] == "green"
    # filters combine with the segment: at risk among the segment's customers is Дельта only
    assert names(run(db, "customers", "--segment", "key-accounts", "--rfm", "at risk", *day)) == [
        "ООО «Дельта»"
    ]
    assert names(run(db, "customers", "--rfm", "at risk", *day)) == [
        "АО «Гамма»",
        "ООО «Дельта»",
    ]
    assert names(run(db, "customers", "--segment", "key-accounts", "--colour", "red", *day)) == [
        "ООО «Дельта»"
    ]


def test_list_and_export_of_a_segment_colour_by_its_window(scored, tmp_path):
    """`list SEGMENT` and `export --segment` colour by the segment's current_days (180 here):
    Дельта, whose last order was 2026-06-01, is red in them from 2026-11-28 on, while the
    plain list, with the default 365 days, keeps it green until 2027-06-01."""
    import csv

    db, _ = scored
    listed = {c["name"]: c for c in json.loads(run(db, "list", "key-accounts", "--json").stdout)}
    assert listed["ООО «Дельта»"]["colour"] == "red"
    assert listed["ООО «Альфа»"]["tier"] is not None  # the scored list, with colours
    plain = {c["name"]: c["colour"] for c in json.loads(run(db, "list", "--json").stdout)}
    silent = (utcnow().date() - date(2026, 6, 1)).days
    assert plain["ООО «Дельта»"] == ("green" if silent <= 365 else "red")
    # accounts that never bought are coloured the same whatever the window
    assert (listed["ООО «Зета»"]["colour"], plain["ООО «Зета»"]) == ("grey", "grey")
    out = tmp_path / "segment.csv"
    assert run(db, "export", "-o", str(out), "--segment", "key-accounts").exit_code == 0
    rows = {r["company"]: r["colour"] for r in csv.DictReader(out.open(encoding="utf-8"))}
    assert rows == {n: c["colour"] for n, c in listed.items()}
    table = run(db, "list", "key-accounts")
    assert "Colour" in table.stdout and "red" in table.stdout


def test_a_segment_without_customers_table_keeps_the_defaults(base, tmp_path):
    path = segment_file(tmp_path, "", name="plain.toml")
    assert run(base, "score", str(path)).exit_code == 0
    r = run(base, "reactivation", "--segment", str(path), "--as-of", "2026-12-01", "--json")
    assert silent(r) == [("ООО «Дельта»", 90.0, "default", 93.0)]  # Гамма: not in the segment
    assert "(default 90 days, × 1)" in r.stderr
    r = run(base, "customers", "--segment", "key-accounts", "--as-of", "2026-12-01", "--json")
    assert {c["name"]: c["colour"] for c in json.loads(r.stdout)}["ООО «Дельта»"] == "green"


def test_import_orders_takes_the_segments_window(db_url, tmp_path):
    accounts = tmp_path / "accounts.csv"
    accounts.write_text(ACCOUNTS, encoding="utf-8")
    assert run(db_url, "import", str(accounts), "--source", "crm").exit_code == 0
    today = utcnow().date()  # the import's statuses are relative to today

    def orders(days_ago: dict[str, int]) -> Path:
        rows = [
            [name, "", domain, (today - timedelta(days=d)).strftime("%d.%m.%Y"), "100", ""]
            for (name, domain), d in days_ago.items()
        ]
        return write_csv(tmp_path / "recent.csv", rows=rows)

    f = orders({("Бета", "beta.ru"): 200, ("Дельта", "delta.ru"): 100})
    path = segment_file(tmp_path, CUSTOMERS)  # never scored: a file is enough here

    def statuses():
        engine = make_engine(db_url)
        with engine.connect() as conn:
            out = dict(conn.execute(select(C.c.name, C.c.status)).all())
        engine.dispose()
        return out["ООО «Бета»"], out["ООО «Дельта»"]

    r = run(db_url, "import-orders", str(f), "--json")
    assert json.loads(r.stdout)["status_changes"] == {"current": 2, "former": 0}
    assert statuses() == ("current", "current")  # the default window: 365 days
    # the segment's current_days = 180: Бета's last order (200 days) makes it former
    r = run(db_url, "import-orders", str(f), "--segment", str(path), "--json")
    assert r.exit_code == 0, r.output
    assert json.loads(r.stdout)["status_changes"] == {"current": 0, "former": 1}
    assert statuses() == ("former", "current")
    # an explicit --current-days wins over the segment
    r = run(db_url, "import-orders", str(f), "--segment", str(path), "--current-days", "365")
    assert r.exit_code == 0, r.output
    assert statuses() == ("current", "current")
    # each change is a change event
    engine = make_engine(db_url)
    with engine.connect() as conn:
        events = conn.execute(
            select(CH.c.old_value, CH.c.new_value).where(CH.c.field == "status").order_by(CH.c.id)
        ).all()
    engine.dispose()
    assert [tuple(e) for e in events][-2:] == [("current", "former"), ("former", "current")]


@pytest.mark.parametrize(
    ("command", "extra"),
    [("customers", ()), ("reactivation", ()), ("import-orders", ("orders.csv",))],
)
def test_bad_segments_stop_with_the_reason(base, tmp_path, command, extra):
    args = [str(tmp_path / e) for e in extra]
    if extra:
        write_csv(tmp_path / "orders.csv")
    bad = segment_file(tmp_path, "[customers]\ncurrent_days = 0\nfactor = 2\n", name="bad.toml")
    r = run(base, command, *args, "--segment", str(bad))
    assert r.exit_code == 2
    assert "bad.toml: 2 problem(s)" in r.stderr
    assert "customers.current_days: must be at least 1, not 0" in r.stderr
    assert "customers.factor: unknown key" in r.stderr
    r = run(base, command, *args, "--segment", "nobody")
    assert r.exit_code == 2 and "no segment of that name has been scored" in r.stderr
    r = run(base, command, *args, "--segment", str(tmp_path / "absent.toml"))
    assert r.exit_code == 2 and "absent.toml: no such file" in r.stderr


@pytest.mark.parametrize("command", ["customers", "reactivation"])
def test_a_segment_file_never_scored_has_no_accounts_to_list(base, tmp_path, command):
    path = segment_file(tmp_path, CUSTOMERS)
    r = run(base, command, "--segment", str(path))
    assert r.exit_code == 2
    assert "segment 'key-accounts' has not been scored yet" in r.stderr


def test_out_of_range_options_are_refused(base):
    assert run(base, "customers", "--current-days", "0").exit_code == 2
    assert run(base, "customers", "--current-days", "36501").exit_code == 2
    assert run(base, "reactivation", "--default-interval-days", "99999999").exit_code == 2
    assert run(base, "reactivation", "--factor", "0").exit_code == 2
