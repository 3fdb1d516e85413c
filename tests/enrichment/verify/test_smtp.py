"""Stage 4 and the status rules against SMTP servers on 127.0.0.x (one behaviour per
address, all on one port) found through the fixture DNS server."""

from __future__ import annotations

import asyncio
import time

import pytest

from enrichment.verify import JSON_FIELDS, MemoryDomainCache, VerifyConfig, verify_emails_sync
from enrichment.verify.batch import verify_emails


def config(dns, smtp, **kw):
    kw.setdefault("timeout", 2.0)
    return VerifyConfig(smtp=True, nameservers=dns.nameservers, smtp_port=smtp.port, **kw)


FLAGS = ("catch_all", "disposable", "role", "free_provider", "greylisted", "full_inbox", "disabled")

# email -> (status, flags that are true, words in the reason)
CASES = {
    "alice@acme-bau.de": ("valid", set(), "accepted"),
    "Ivan.Petrov@ACME-bau.de": ("valid", set(), "accepted"),
    "info@acme-bau.de": ("valid", {"role"}, "accepted"),
    "nobody@acme-bau.de": ("invalid", set(), "User unknown"),
    "some.person@gmail.com": ("valid", {"free_provider"}, "accepted"),
    "no.such.person@gmail.com": ("invalid", {"free_provider"}, "5.1.1"),
    "Ivan@Пример.рф": ("valid", set(), "accepted"),
    "x@catchall-gmbh.de": ("risky", {"catch_all"}, "catch-all"),
    "sales@catchall-gmbh.de": ("risky", {"catch_all", "role"}, "catch-all"),
    "x@mailinator.com": ("risky", {"catch_all", "disposable"}, "disposable"),
    "a@greylist-ooo.ru": ("unknown", {"greylisted"}, "greylisted"),
    "full@stroymontazh-kzn.ru": ("risky", {"full_inbox"}, "452 4.2.2"),
    "overquota@stroymontazh-kzn.ru": ("risky", {"full_inbox"}, "552 5.2.2"),
    "gone@stroymontazh-kzn.ru": ("invalid", {"disabled"}, "550 5.2.1"),
    "director@stroymontazh-kzn.ru": ("valid", {"role"}, "accepted"),
    "owner@tls-only.de": ("valid", set(), "accepted"),
    "a@blocked-us.com": ("unknown", set(), "refuses this prober"),
    "a@tarpit-corp.com": ("unknown", set(), "no greeting"),
    "a@refused-corp.com": ("unknown", set(), "connection refused"),
    "anna@failover-ag.de": ("valid", set(), "mx2.failover-ag.de"),
    "otto@slow-primary.de": ("valid", set(), "mx2.slow-primary.de"),
    "hans@implicit-mx.de": ("valid", set(), "accepted"),
    "a@nullmx.de": ("invalid", set(), "null MX"),
    "a@nohost.de": ("invalid", set(), "no MX and no A/AAAA"),
    "a@missing-firm.de": ("invalid", set(), "NXDOMAIN"),
    "not an address": ("invalid", set(), "bad syntax"),
}


@pytest.fixture(scope="module")
def batch(dns_server, smtp_servers):
    smtp_servers.clear()
    results = verify_emails_sync(list(CASES), config(dns_server, smtp_servers, timeout=1.0))
    return {r.email: r for r in results}, smtp_servers


@pytest.mark.parametrize("email", list(CASES))
def test_every_status_rule_and_flag(batch, email):
    results, _ = batch
    r = results[email]
    status, flags, words = CASES[email]
    assert r.status == status, r.reason
    assert {f for f in FLAGS if getattr(r, f)} == flags
    assert words in r.reason
    assert list(r.to_json()) == list(JSON_FIELDS)
    assert r.to_json()["email"] == email  # echoed exactly


def test_what_the_servers_were_told(batch):
    results, servers = batch
    known = servers.recorders["known"]
    assert set(known.ehlo) == {"localhost"}
    assert set(known.mail_from) == {"postmaster@localhost"}
    assert all(r.data == 0 for r in servers.recorders.values())  # DATA is never sent
    # STARTTLS was used where offered (the server refuses commands before it)
    assert servers.recorders["starttls"].tls_sessions >= 1
    # one catch-all probe per domain: a random address nobody gave
    asked = {r.normalized for r in results.values()}
    probes = [a for a in known.rcpt if a.lower() not in asked]
    domains = [a.split("@")[1] for a in probes]
    assert sorted(domains) == sorted(
        [
            "acme-bau.de",
            "gmail.com",
            "xn--e1afmkfd.xn--p1ai",
            "failover-ag.de",
            "slow-primary.de",
            "implicit-mx.de",
        ]
    )


def test_helo_name_and_mail_from_are_configurable(dns_server, mail_servers):
    cfg = config(dns_server, mail_servers, helo_name="verify.acme.de", mail_from="check@acme.de")
    (r,) = verify_emails_sync(["alice@acme-bau.de"], cfg)
    assert r.status == "valid"
    rec = mail_servers.recorders["known"]
    assert rec.ehlo == ["verify.acme.de"] and rec.mail_from == ["check@acme.de"]


def test_without_smtp_nothing_is_probed(dns_server, mail_servers):
    cfg = VerifyConfig(nameservers=dns_server.nameservers, smtp_port=mail_servers.port)
    results = verify_emails_sync(["alice@acme-bau.de", "x@mailinator.com", "a@nullmx.de"], cfg)
    assert [r.status for r in results] == ["unknown", "unknown", "invalid"]
    assert results[1].disposable and "SMTP is off" in results[1].reason
    assert all(rec.sessions == 0 for rec in mail_servers.recorders.values())


def test_a_tarpit_does_not_hold_up_the_batch(dns_server, mail_servers):
    """Eight domains on the tarpit and the rest elsewhere: the batch ends near one timeout
    (the tarpit domains wait side by side), not eight."""
    timeout = 1.0
    emails = [f"a@tarpit{i}.de" for i in range(8)] + ["alice@acme-bau.de", "x@catchall-gmbh.de"]
    from tests.support.dns import FaultyDns
    from tests.support.smtp import HOSTS

    dns = FaultyDns(
        extra_mx={f"tarpit{i}.de": [(10, f"mx.tarpit{i}.de")] for i in range(8)},
        extra_a={f"mx.tarpit{i}.de": HOSTS["tarpit"] for i in range(8)},
    ).start()
    try:
        start = time.monotonic()
        cfg = VerifyConfig(
            smtp=True,
            nameservers=dns.nameservers,
            smtp_port=mail_servers.port,
            timeout=timeout,
            per_host_limit=8,
        )
        results = verify_emails_sync(emails, cfg)
        elapsed = time.monotonic() - start
    finally:
        dns.stop()
    assert [r.status for r in results[:8]] == ["unknown"] * 8
    assert results[8].status == "valid" and results[9].status == "risky"
    assert elapsed < 2.5 * timeout, elapsed


def test_1000_addresses_on_one_domain_cost_one_lookup_and_one_probe(faulty_dns, mail_servers):
    emails = [f"user{i}@acme-bau.de" for i in range(999)] + ["alice@acme-bau.de"]
    cfg = VerifyConfig(
        smtp=True, nameservers=faulty_dns.nameservers, smtp_port=mail_servers.port, timeout=2
    )
    results = verify_emails_sync(emails, cfg)
    assert [r.status for r in results].count("invalid") == 999 and results[-1].status == "valid"
    assert faulty_dns.count("acme-bau.de", "MX") == 1
    assert faulty_dns.count("mx.acme-bau.de", "A") == 1
    rec = mail_servers.recorders["known"]
    probes = [a for a in rec.rcpt if a not in set(emails)]
    assert len(probes) == 1  # one catch-all probe
    assert len(rec.rcpt) == 1001  # every address once, plus the probe
    assert rec.sessions == 1000 // cfg.rcpt_per_session  # sessions carry many RCPTs


def test_the_cache_spares_the_catch_all_probe_and_expires(faulty_dns, mail_servers):
    from datetime import timedelta

    cache = MemoryDomainCache()
    cfg = VerifyConfig(
        smtp=True, nameservers=faulty_dns.nameservers, smtp_port=mail_servers.port, timeout=2
    )
    verify_emails_sync(["x@catchall-gmbh.de"], cfg, cache)
    facts = cache.facts["catchall-gmbh.de"]
    assert facts.catch_all is True and facts.mx_hosts == ("mx.catchall-gmbh.de",)
    rec = mail_servers.recorders["catch_all"]
    assert len(rec.rcpt) == 2  # probe + address
    (r,) = verify_emails_sync(["y@catchall-gmbh.de"], cfg, cache)
    assert r.status == "risky" and r.catch_all
    assert len(rec.rcpt) == 3 and faulty_dns.count("catchall-gmbh.de", "MX") == 1
    # with a zero TTL the cached facts are stale: looked up and probed again
    stale = VerifyConfig(
        smtp=True,
        nameservers=faulty_dns.nameservers,
        smtp_port=mail_servers.port,
        timeout=2,
        dns_ttl=timedelta(0),
        catch_all_ttl=timedelta(0),
    )
    import time as _t

    _t.sleep(1.1)  # the stored times have second precision
    verify_emails_sync(["z@catchall-gmbh.de"], stale, cache)
    assert len(rec.rcpt) == 5 and faulty_dns.count("catchall-gmbh.de", "MX") == 2


def test_results_keep_input_order_and_duplicates(dns_server, mail_servers):
    emails = ["nobody@acme-bau.de", "bad", "alice@acme-bau.de", "ALICE@acme-bau.de", ""]
    results = verify_emails_sync(emails, config(dns_server, mail_servers))
    assert [r.email for r in results] == emails
    assert [r.status for r in results] == ["invalid", "invalid", "valid", "valid", "invalid"]
    assert mail_servers.recorders["known"].rcpt.count("alice@acme-bau.de") == 1


def test_progress_is_reported(dns_server, mail_servers):
    seen = []
    emails = [f"u{i}@acme-bau.de" for i in range(120)] + ["x@catchall-gmbh.de"]
    verify_emails_sync(
        emails, config(dns_server, mail_servers), progress=lambda d, t: seen.append((d, t))
    )
    assert seen[-1] == (121, 121)
    assert len(seen) >= 3 and [d for d, _ in seen] == sorted(d for d, _ in seen)


def test_per_host_limit_and_rate_limit(dns_server, mail_servers):
    """Ten domains on one MX host, one session at a time and two new sessions per second."""
    emails = [f"a@d{i}.de" for i in range(6)]
    from tests.support.dns import FaultyDns
    from tests.support.smtp import HOSTS

    dns = FaultyDns(
        extra_mx={f"d{i}.de": [(10, "mx.shared-host.de")] for i in range(6)},
        extra_a={"mx.shared-host.de": HOSTS["catch_all"]},
    ).start()
    try:
        cfg = VerifyConfig(
            smtp=True,
            nameservers=dns.nameservers,
            smtp_port=mail_servers.port,
            timeout=2,
            per_host_limit=1,
            rate_per_second=4,
        )
        start = time.monotonic()
        results = verify_emails_sync(emails, cfg)
        elapsed = time.monotonic() - start
    finally:
        dns.stop()
    assert {r.status for r in results} == {"risky"}
    assert mail_servers.recorders["catch_all"].sessions == 6
    assert elapsed >= 5 / 4 - 0.05  # six sessions at four a second: at least 1.25 s


def test_verify_emails_runs_inside_a_running_loop(dns_server, mail_servers):
    async def main():
        return await verify_emails(["alice@acme-bau.de"], config(dns_server, mail_servers))

    assert asyncio.run(main())[0].status == "valid"


def test_pipelining_and_too_many_recipients(dns_server, mail_servers):
    """The known-recipients server offers PIPELINING (all RCPTs in one write); the mailboxes
    server takes 20 recipients per transaction, then says 452 4.5.3: the prober starts a new
    transaction and goes on."""
    from tests.support.smtp import RCPT_LIMIT

    mailboxes = [f"u{i}@stroymontazh-kzn.ru" for i in range(RCPT_LIMIT + 10)]
    emails = ["alice@acme-bau.de", "nobody@acme-bau.de", *mailboxes, "gone@stroymontazh-kzn.ru"]
    cfg = config(dns_server, mail_servers, rcpt_per_session=100)
    results = verify_emails_sync(emails, cfg)
    assert [r.status for r in results[:2]] == ["valid", "invalid"]
    assert {r.status for r in results[2:]} == {"invalid"}
    assert results[-1].disabled
    rec = mail_servers.recorders["mailboxes"]
    assert rec.sessions == 1 and len(rec.mail_from) == 2  # one session, two transactions
    assert len(set(rec.rcpt)) == len(mailboxes) + 2  # every address answered, + the probe
