"""``--set NAME=VALUE`` for crawls: values converted to their setting's kind, typos and bad
values refused with the reason before anything runs, settings of an extension passed on."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from leadgen.cli import app
from spiders.overrides import SettingError, parse_settings


@pytest.mark.parametrize(
    ("pair", "name", "value"),
    [
        ("CONCURRENT_REQUESTS_PER_DOMAIN=8", "CONCURRENT_REQUESTS_PER_DOMAIN", 8),
        ("DOWNLOAD_DELAY=0", "DOWNLOAD_DELAY", 0),
        ("DOWNLOAD_DELAY=1.5", "DOWNLOAD_DELAY", 1.5),
        ("DOWNLOAD_TIMEOUT= 7.5 ", "DOWNLOAD_TIMEOUT", 7.5),
        ("AUTOTHROTTLE_ENABLED=False", "AUTOTHROTTLE_ENABLED", False),
        ("AUTOTHROTTLE_ENABLED=false", "AUTOTHROTTLE_ENABLED", False),
        ("AUTOTHROTTLE_ENABLED=0", "AUTOTHROTTLE_ENABLED", False),
        ("ROBOTSTXT_OBEY=yes", "ROBOTSTXT_OBEY", True),
        ("ROBOTSTXT_OBEY=True", "ROBOTSTXT_OBEY", True),
        ("HTTPCACHE_ENABLED=1", "HTTPCACHE_ENABLED", True),
        ("LOG_LEVEL=INFO", "LOG_LEVEL", "INFO"),
        ("LEADGEN_DEFAULT_SCHEME=http", "LEADGEN_DEFAULT_SCHEME", "http"),
        ("LEADGEN_STORE_BATCH=500", "LEADGEN_STORE_BATCH", 500),
        ("LEADGEN_RETRY_AFTER_MAX=30.5", "LEADGEN_RETRY_AFTER_MAX", 30.5),
        ("USER_AGENT=acme-bot/1 (+https://acme.example/bot)", "USER_AGENT", "acme-bot/1 (+https://acme.example/bot)"),
        ('EXTENSIONS={"ext.Stats": 1000}', "EXTENSIONS", {"ext.Stats": 1000}),
        ("RETRY_HTTP_CODES=[429, 503]", "RETRY_HTTP_CODES", [429, 503]),
        ("RETRY_HTTP_CODES=429,503", "RETRY_HTTP_CODES", "429,503"),
        ("JOBDIR=crawls/one", "JOBDIR", "crawls/one"),
        ("FEED_EXPORT_ENCODING=", "FEED_EXPORT_ENCODING", ""),
        ("USER_AGENT=a=b", "USER_AGENT", "a=b"),
    ],
)  # fmt: skip
def test_a_known_setting_takes_its_value_converted(pair, name, value):
    settings, warnings = parse_settings([pair])
    assert settings == {name: value} and warnings == []
    assert type(settings[name]) is type(value)


@pytest.mark.parametrize(
    ("pair", "message"),
    [
        ("NOEQUALS", "expected NAME=VALUE"),
        ("=5", "expected NAME=VALUE"),
        ("download_delay=2", "not a setting name"),
        ("DOWNLOAD-DELAY=2", "not a setting name"),
        ("CONCURENT_REQUESTS=32", "did you mean CONCURRENT_REQUESTS?"),
        ("AUTOTHROTLE_ENABLED=false", "did you mean AUTOTHROTTLE_ENABLED?"),
        ("DOWNLOAD_DELAYS=0", "did you mean DOWNLOAD_DELAY?"),
        ("LEADGEN_STORE_BATCHES=10", "did you mean LEADGEN_STORE_BATCH?"),
        ("CONCURRENT_REQUESTS_PER_DOMAIN=many", "expected a number"),
        ("CONCURRENT_REQUESTS_PER_DOMAIN=", "expected a number"),
        ("DOWNLOAD_DELAY=nan", "expected a number"),
        ("DOWNLOAD_DELAY=1,5", "expected a number"),
        ("AUTOTHROTTLE_ENABLED=maybe", "expected true or false"),
        ("ROBOTSTXT_OBEY=", "expected true or false"),
        ("EXTENSIONS=bench.crawlsite.statsdump.StatsDump", "expected a JSON object"),
        ("EXTENSIONS=[1, 2]", "expected a JSON object"),
        ("RETRY_HTTP_CODES=[429, 503", "expected a JSON list"),
    ],
)
def test_a_bad_setting_is_refused_with_the_reason(pair, message):
    with pytest.raises(SettingError) as exc:
        parse_settings([pair])
    assert message in str(exc.value) and repr(pair) in str(exc.value)


def test_every_bad_pair_is_reported_at_once():
    with pytest.raises(SettingError) as exc:
        parse_settings(["DOWNLOAD_DELAY=x", "DOWNLOAD_TIMEOUT=9", "CONCURENT_REQUESTS=3"])
    assert len(exc.value.problems) == 2


def test_a_setting_of_an_extension_is_passed_on_with_a_warning():
    settings, warnings = parse_settings(["BENCH_STATS_FILE=stats.json", "DEPTH_LIMIT=3"])
    assert settings == {"BENCH_STATS_FILE": "stats.json", "DEPTH_LIMIT": 3}
    assert len(warnings) == 1 and "BENCH_STATS_FILE" in warnings[0]


def test_crawl_refuses_a_bad_setting_before_it_starts(sqlite_url, tmp_path):
    r = CliRunner().invoke(
        app,
        [
            "--database-url",
            sqlite_url,
            "crawl",
            "company",
            "--domain",
            "firma.example",
            "--set",
            "CONCURRENT_REQUESTS_PER_DOMAIN=lots",
            "--set",
            "AUTOTHROTLE_ENABLED=false",
        ],
        env={"LEADGEN_JOBS_DIR": str(tmp_path)},
    )
    assert r.exit_code == 2
    text = " ".join(r.output.split())
    assert "expected a number" in text and "did you mean AUTOTHROTTLE_ENABLED?" in text
