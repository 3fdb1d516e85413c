"""The status function on its own, the configuration's checks, and a cache that fails."""

from __future__ import annotations

import pytest

from enrichment.verify import VerifyConfig, verify_emails_sync
from enrichment.verify.misc import MiscDetails
from enrichment.verify.mx import DnsDetails
from enrichment.verify.smtp import RcptOutcome
from enrichment.verify.status import decide_status
from enrichment.verify.syntax import check_syntax

OK = DnsDetails("ok", ("mx.acme-bau.de",), "MX: mx.acme-bau.de")
PLAIN = MiscDetails(disposable=False, free_provider=False, role=False)
DISPOSABLE = MiscDetails(disposable=True, free_provider=False, role=False)


def rcpt(verdict, reply="250 2.1.5 Ok", disabled=False):
    return RcptOutcome(verdict, disabled, reply, "mx.acme-bau.de")


@pytest.mark.parametrize(
    "dns, misc, smtp, outcome, catch_all, expected",
    [
        (DnsDetails("nxdomain", (), "NXDOMAIN"), PLAIN, True, None, None, "invalid"),
        (DnsDetails("null_mx", (), "null MX"), PLAIN, False, None, None, "invalid"),
        (DnsDetails("no_host", (), "no MX and no A"), PLAIN, False, None, None, "invalid"),
        (DnsDetails("unknown", (), "SERVFAIL"), PLAIN, True, None, None, "unknown"),
        # without SMTP: unknown, even for a disposable domain (the flag says it)
        (OK, PLAIN, False, None, None, "unknown"),
        (OK, DISPOSABLE, False, None, None, "unknown"),
        (OK, PLAIN, True, rcpt("accepted"), False, "valid"),
        (OK, PLAIN, True, rcpt("accepted"), True, "risky"),
        (OK, PLAIN, True, rcpt("accepted"), None, "unknown"),  # catch-all test inconclusive
        (OK, DISPOSABLE, True, rcpt("accepted"), False, "risky"),
        (OK, DISPOSABLE, True, rcpt("rejected", "550 5.1.1 unknown"), False, "invalid"),
        (OK, DISPOSABLE, True, None, None, "risky"),  # no server answered, still disposable
        (OK, PLAIN, True, rcpt("rejected", "550 5.1.1 unknown"), True, "invalid"),
        (OK, PLAIN, True, rcpt("rejected", "550 5.2.1 disabled", True), False, "invalid"),
        (OK, PLAIN, True, rcpt("full", "452 4.2.2 Mailbox full"), False, "risky"),
        (OK, PLAIN, True, rcpt("greylisted", "451 4.7.1 try later"), None, "unknown"),
        (OK, PLAIN, True, rcpt("temporary", "451 4.3.0 error"), None, "unknown"),
        (OK, PLAIN, True, rcpt("blocked", "554 5.7.1 spamhaus"), None, "unknown"),
        (OK, PLAIN, True, None, None, "unknown"),  # no MX host reachable
    ],
)
def test_status_rules(dns, misc, smtp, outcome, catch_all, expected):
    status, reason = decide_status(
        check_syntax("a@acme-bau.de"), dns, misc, smtp=smtp, outcome=outcome, catch_all=catch_all
    )
    assert status == expected and reason


def test_bad_syntax_is_invalid_whatever_else():
    status, reason = decide_status(check_syntax("a@@b.de"), None, None, smtp=True)
    assert status == "invalid" and reason.startswith("bad syntax")


@pytest.mark.parametrize(
    "kw, message",
    [
        ({"timeout": 0}, "timeout must be > 0"),
        ({"smtp_port": 0}, "smtp_port must be 1-65535"),
        ({"concurrency": 0}, "concurrency must be at least 1"),
        ({"per_host_limit": 0}, "per_host_limit must be at least 1"),
        ({"rate_per_second": -1}, "rate_per_second must be >= 0"),
        ({"helo_name": "my host"}, "helo_name must be a host name"),
        ({"nameservers": [("127.0.0.1", 70000)]}, "nameserver must be (host, port)"),
    ],
)
def test_config_is_checked(kw, message):
    with pytest.raises(ValueError, match=message.replace("(", r"\(").replace(")", r"\)")):
        VerifyConfig(**kw)


def test_config_takes_a_list_of_nameservers_and_defaults():
    cfg = VerifyConfig(nameservers=[("127.0.0.1", 5353), ("::1", 53)])
    assert cfg.nameservers == (("127.0.0.1", 5353), ("::1", 53))
    assert cfg.reverse_path == "postmaster@localhost" and cfg.smtp is False
    assert VerifyConfig(mail_from="").reverse_path == ""  # the null reverse path, if wanted


class BrokenCache:
    def get_many(self, domains):
        raise RuntimeError("database is locked")

    def put_many(self, facts):
        raise RuntimeError("database is locked")


def test_a_broken_cache_does_not_stop_the_batch(dns_server, caplog):
    cfg = VerifyConfig(nameservers=dns_server.nameservers, timeout=2)
    (r,) = verify_emails_sync(["alice@acme-bau.de"], cfg, BrokenCache())
    assert r.mx_hosts == ["mx.acme-bau.de"]
    assert "database is locked" in caplog.text
