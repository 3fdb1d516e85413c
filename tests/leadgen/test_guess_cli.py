"""`leadgen guess` through the CLI: the JSON contract, --explain, the table, bad input."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from leadgen.cli import app


def run(*args):
    return CliRunner().invoke(app, ["guess", *args], catch_exceptions=False)


def test_json_is_exactly_email_pattern_confidence_best_first():
    r = run(
        "--domain", "romashka.ru", "--name", "Юлия Щербакова",
        "--known", "Дмитрий Ильин=dmitrii.ilin@romashka.ru",
        "--known", "Анна Юсупова=anna.iusupova@romashka.ru",
        "--json",
    )  # fmt: skip
    assert r.exit_code == 0, r.output
    rows = json.loads(r.stdout)
    assert rows and all(list(row) == ["email", "pattern", "confidence"] for row in rows)
    assert rows[0] == {
        "email": "iuliia.shcherbakova@romashka.ru",
        "pattern": "first.last",
        "confidence": rows[0]["confidence"],
    }
    confs = [row["confidence"] for row in rows]
    assert confs == sorted(confs, reverse=True) and 0.4 < confs[0] <= 1
    assert len(rows) == 10  # default --limit
    assert "learned first.last, spelled icao at romashka.ru" in r.stderr


def test_without_known_the_prior_decides():
    r = run("--domain", "acme.com", "--name", "John Smith", "--limit", "3", "--json")
    assert [row["email"] for row in json.loads(r.stdout)] == [
        "john.smith@acme.com",
        "jsmith@acme.com",
        "johnsmith@acme.com",
    ]


def test_explain_adds_evidence_translit_reason():
    r = run(
        "--domain", "https://www.beispiel-bau.de/kontakt", "--name", "Jürgen Müller",
        "--known", "Jörg Schäfer=j.schaefer@beispiel-bau.de", "--json", "--explain",
        "--limit", "2",
    )  # fmt: skip
    rows = json.loads(r.stdout)
    assert set(rows[0]) == {"email", "pattern", "confidence", "evidence", "translit", "reason"}
    assert rows[0]["email"] == "j.mueller@beispiel-bau.de"
    assert rows[0]["evidence"] == "learned" and rows[0]["translit"] == "umlaut_e"
    assert "1 of 1 known addresses at beispiel-bau.de" in rows[0]["reason"]


def test_table_output():
    r = run("--domain", "acme.com", "--name", "Mary-Jane O'Brien", "--limit", "4")
    assert r.exit_code == 0
    assert "mobrien@acme.com" in r.stdout and "confidence" in r.stdout and "prior" in r.stdout


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--domain", "not a domain", "--name", "John Smith"], "not a domain that can receive"),
        (["--domain", "localhost", "--name", "John Smith"], "not a domain that can receive"),
        (["--domain", "acme.com", "--name", "!!!"], "no first or last name"),
    ],
)
def test_bad_input_exits_2_with_a_clear_message(args, message):
    r = run(*args)
    assert r.exit_code == 2 and message in r.stderr


def test_bad_known_pairs_are_skipped_with_a_warning():
    r = run(
        "--domain", "acme.com", "--name", "Linda Green",
        "--known", "no equals sign", "--known", "Anna Bell=not-an-email",
        "--known", "Tom White=t.white@other.com", "--known", "Anna Bell=a.bell@acme.com",
        "--json", "--limit", "1",
    )  # fmt: skip
    assert r.exit_code == 0
    assert "skipped --known 'no equals sign'" in r.stderr
    assert "skipped --known 'Anna Bell=not-an-email'" in r.stderr
    assert "ignored --known t.white@other.com" in r.stderr
    assert json.loads(r.stdout)[0]["email"] == "l.green@acme.com"


def test_help_has_an_example():
    r = run("--help")
    assert r.exit_code == 0 and "leadgen guess --domain" in r.stdout


def test_a_name_that_cannot_be_spelled_gives_an_empty_list_and_a_note():
    r = run("--domain", "example.cn", "--name", "李 小龙", "--json")
    assert r.exit_code == 0 and json.loads(r.stdout) == []
    assert "no address can be spelled" in r.stderr
