"""`leadgen crawl` argument checks (before any request) and `leadgen extract`."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from leadgen.cli import app

ROOT = Path(__file__).resolve().parents[2]
SITES = ROOT / "tests" / "fixtures" / "sites"


def run(db_url, *args):
    return CliRunner().invoke(app, ["--database-url", db_url, *args], catch_exceptions=False)


@pytest.mark.parametrize(
    "args, message",
    [
        (["crawl", "spider"], "unknown spider 'spider'"),
        (["crawl", "company"], "needs --domains FILE or --domain D"),
        (["crawl", "company", "--domains", "missing.txt"], "missing.txt: no such file"),
        (["crawl", "directory"], "needs --source FILE.toml"),
        (
            ["crawl", "exhibitors", "--source", str(SITES / "sources" / "biz-katalog.toml")],
            "this source is for the directory spider",
        ),
        (["crawl", "company", "--source", "x.toml"], "takes --domains FILE or --domain D"),
        (
            [
                "crawl",
                "directory",
                "--source",
                str(SITES / "sources" / "biz-katalog.toml"),
                "--set",
                "NOEQUALS",
            ],
            "expected NAME=VALUE",
        ),
    ],
)
def test_crawl_refuses_bad_arguments_before_any_request(sqlite_url, args, message):
    r = run(sqlite_url, *args)
    assert r.exit_code != 0
    assert message in " ".join(r.output.split())


def test_a_broken_source_file_is_reported_with_its_name(sqlite_url, tmp_path):
    bad = tmp_path / "bad.toml"
    bad.write_text('spider = "directory"\nstart_urls = ["mailto:x@y.ru"]\n', encoding="utf-8")
    r = run(sqlite_url, "crawl", "directory", "--source", str(bad))
    assert r.exit_code == 2
    assert "bad.toml" in r.output and "not an http(s) URL" in r.output


def test_extract_prints_the_page_as_json():
    page = SITES / "stroymontazh-kzn.ru" / "rekvizity" / "index.html"
    r = CliRunner().invoke(
        app, ["extract", str(page), "--url", "http://stroymontazh-kzn.ru/rekvizity/"]
    )
    assert r.exit_code == 0, r.output
    data = json.loads(r.output)
    assert data["url"] == "http://stroymontazh-kzn.ru/rekvizity/"
    assert set(data) == {"url", "company", "people"}
    assert data["company"]["domain"] == "stroymontazh-kzn.ru"
    assert data["company"]["registration_ids"]["inn"] == "1659123454"
    for key in (
        "name",
        "website",
        "emails",
        "phones",
        "address",
        "country",
        "registration_ids",
        "social",
    ):
        assert key in data["company"]


def test_extract_of_a_missing_file_fails_clearly(tmp_path):
    r = CliRunner().invoke(app, ["extract", str(tmp_path / "nope.html")])
    assert r.exit_code == 1 and "cannot read" in r.output
