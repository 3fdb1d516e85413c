"""`leadgen verify` against the fixture DNS and SMTP servers."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import create_engine, text
from typer.testing import CliRunner

from enrichment.verify import JSON_FIELDS
from leadgen.cli import app
from leadgen.verifying import parse_nameserver


def run(db_url, *args, env=None):
    return CliRunner().invoke(
        app, ["--database-url", db_url, "verify", *args], env=env or {}, catch_exceptions=False
    )


def ns(server) -> str:
    host, port = server.nameservers[0]
    return f"{host}:{port}"


def test_json_has_exactly_the_contract_fields(sqlite_url, dns_server, mail_servers):
    emails = ["Alice@ACME-bau.de", "nobody@acme-bau.de", "x@catchall-gmbh.de", "Ivan@Пример.рф"]
    r = run(
        sqlite_url,
        *emails,
        "--smtp",
        "--nameserver",
        ns(dns_server),
        "--smtp-port",
        str(mail_servers.port),
        "--timeout",
        "2",
        "--json",
    )
    assert r.exit_code == 0, r.output
    rows = json.loads(r.stdout)
    assert [list(row) for row in rows] == [list(JSON_FIELDS)] * 4
    assert [row["email"] for row in rows] == emails
    assert [row["status"] for row in rows] == ["valid", "invalid", "risky", "valid"]
    assert rows[0]["normalized"] == "alice@acme-bau.de"
    assert rows[3]["normalized"] == "ivan@xn--e1afmkfd.xn--p1ai"
    assert rows[2]["catch_all"] is True and rows[0]["mx_hosts"] == ["mx.acme-bau.de"]
    assert all(type(row[f]) is bool for row in rows for f in ("disposable", "role", "disabled"))


def test_environment_points_at_the_servers(sqlite_url, dns_server, mail_servers):
    env = {"LEADGEN_NAMESERVERS": ns(dns_server), "LEADGEN_SMTP_PORT": str(mail_servers.port)}
    r = run(sqlite_url, "gone@stroymontazh-kzn.ru", "--smtp", "--json", env=env)
    assert r.exit_code == 0, r.output
    (row,) = json.loads(r.stdout)
    assert (row["status"], row["disabled"]) == ("invalid", True)


def test_table_and_file_input(sqlite_url, dns_server, tmp_path):
    f = tmp_path / "emails.txt"
    f.write_text("# list\nalice@acme-bau.de\n\nnot-an-address\na@nullmx.de\n", encoding="utf-8")
    r = run(sqlite_url, "--file", str(f), "--nameserver", ns(dns_server))
    assert r.exit_code == 0, r.output
    text_out = " ".join(r.stdout.split())
    assert "alice@acme-bau.de" in text_out and "mx.acme-bau.de" in text_out
    assert "null MX" in text_out and "bad syntax" in text_out
    assert "1 unknown" in r.stderr and "2 invalid" in r.stderr


def test_domain_facts_are_cached_in_the_database(sqlite_url, faulty_dns, mail_servers):
    args = ["--smtp", "--nameserver", ns(faulty_dns), "--smtp-port", str(mail_servers.port)]
    assert run(sqlite_url, "alice@acme-bau.de", *args, "--json").exit_code == 0
    assert faulty_dns.count("acme-bau.de", "MX") == 1
    engine = create_engine(sqlite_url)
    with engine.connect() as conn:
        row = conn.execute(text("SELECT * FROM mail_domains")).mappings().one()
    assert row["domain"] == "acme-bau.de" and row["catch_all"] in (0, False)
    r = run(sqlite_url, "ivan.petrov@acme-bau.de", *args, "--json")
    assert json.loads(r.stdout)[0]["status"] == "valid"
    assert faulty_dns.count("acme-bau.de", "MX") == 1  # from the cache
    assert len(mail_servers.recorders["known"].rcpt) == 3  # probe + two addresses
    run(sqlite_url, "alice@acme-bau.de", *args, "--json", "--no-cache")
    assert faulty_dns.count("acme-bau.de", "MX") == 2


def test_postgres_cache_too(db_url, dns_server):
    r = run(db_url, "alice@acme-bau.de", "--nameserver", ns(dns_server), "--json")
    assert r.exit_code == 0, r.output
    engine = create_engine(db_url)
    with engine.connect() as conn:
        hosts = conn.execute(text("SELECT mx_hosts FROM mail_domains")).scalar_one()
    engine.dispose()
    assert hosts == ["mx.acme-bau.de"] or json.loads(hosts) == ["mx.acme-bau.de"]


@pytest.mark.parametrize(
    "args, message",
    [
        ([], "no addresses"),
        (["a@b.de", "--nameserver", "127.0.0.1:99999"], "port must be 1-65535"),
        (["a@b.de", "--timeout", "0"], "timeout must be > 0"),
        (["--file", "missing.txt"], "missing.txt: no such file"),
    ],
)
def test_bad_arguments_are_refused(sqlite_url, args, message):
    r = run(sqlite_url, *args)
    assert r.exit_code == 2
    assert message in " ".join(r.output.split())


@pytest.mark.parametrize(
    "text_in, expected",
    [
        ("127.0.0.1", ("127.0.0.1", 53)),
        ("127.0.0.1:5353", ("127.0.0.1", 5353)),
        ("[::1]:5353", ("::1", 5353)),
        ("::1", ("::1", 53)),
        ("ns1.example.org:53", ("ns1.example.org", 53)),
    ],
)
def test_parse_nameserver(text_in, expected):
    assert parse_nameserver(text_in) == expected


def test_help_has_an_example():
    r = CliRunner().invoke(app, ["verify", "--help"])
    assert r.exit_code == 0 and "leadgen verify" in r.output and "Examples" in r.output
