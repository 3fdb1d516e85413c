"""Stage 2 against a real DNS server (dnsmasq) serving the fixture zones, and the fault
server (dnslib) for SERVFAIL and timeouts."""

from __future__ import annotations

import asyncio
import time

import pytest

from enrichment.verify import VerifyConfig, verify_emails_sync
from enrichment.verify.mx import check_dns, make_resolver


def lookup(nameservers, domain, timeout=2.0):
    resolver = make_resolver(VerifyConfig(nameservers=nameservers, timeout=timeout))
    return asyncio.run(check_dns(domain, resolver))


@pytest.mark.parametrize(
    "domain, status, hosts",
    [
        ("acme-bau.de", "ok", ("mx.acme-bau.de",)),
        # preferences 30, 10, 20 on the wire: best first, no trailing dot
        ("multi-mx.de", "ok", ("mx1.multi-mx.de", "mx2.multi-mx.de", "mx3.multi-mx.de")),
        ("failover-ag.de", "ok", ("mx1.failover-ag.de", "mx2.failover-ag.de")),
        ("gmail.com", "ok", ("gmail-smtp-in.l.google.com", "alt1.gmail-smtp-in.l.google.com")),
        ("xn--e1afmkfd.xn--p1ai", "ok", ("mx.xn--e1afmkfd.xn--p1ai",)),
        # no MX, an A record: the domain is its own (implicit) MX, RFC 5321 5.1
        ("implicit-mx.de", "ok", ("implicit-mx.de",)),
        # no MX, only AAAA
        ("implicit-v6.de", "ok", ("implicit-v6.de",)),
        ("nullmx.de", "null_mx", ()),  # RFC 7505 "0 ."
        ("nohost.de", "no_host", ()),  # the name exists (TXT), no MX, no A/AAAA
        ("missing-firm.de", "nxdomain", ()),
    ],
)
def test_mx_lookup_on_the_fixture_dns_server(dns_server, domain, status, hosts):
    d = lookup(dns_server.nameservers, domain)
    assert (d.mail_status, d.mx_hosts) == (status, hosts), d.reason
    assert d.implicit_mx is (domain.startswith("implicit"))


def test_servfail_is_unknown(faulty_dns):
    d = lookup(faulty_dns.nameservers, "servfail-firm.de")
    assert d.mail_status == "unknown" and "SERVFAIL" in d.reason


def test_a_silent_server_is_unknown_after_the_timeout(faulty_dns):
    start = time.monotonic()
    d = lookup(faulty_dns.nameservers, "silent-firm.de", timeout=0.6)
    assert d.mail_status == "unknown" and "timeout" in d.reason.lower()
    assert time.monotonic() - start < 2.0


def test_refused_is_unknown(dns_server):
    # dnsmasq is authoritative for .de/.ru/.com/.рф only: anything else is REFUSED
    d = lookup(dns_server.nameservers, "firma.at")
    assert d.mail_status == "unknown" and "REFUSED" in d.reason


@pytest.mark.parametrize(
    "email, status, reason",
    [
        ("a@servfail-firm.de", "unknown", "SERVFAIL"),
        ("a@silent-firm.de", "unknown", "timeout"),
        ("a@missing-firm.de", "invalid", "NXDOMAIN"),
        ("a@nullmx.de", "invalid", "null MX"),
    ],
)
def test_dns_failures_give_their_status(faulty_dns, email, status, reason):
    cfg = VerifyConfig(nameservers=faulty_dns.nameservers, timeout=0.5)
    (r,) = verify_emails_sync([email], cfg)
    assert r.status == status and reason in r.reason
    assert r.mx_hosts == []


def test_bad_syntax_costs_no_dns_query(faulty_dns):
    cfg = VerifyConfig(nameservers=faulty_dns.nameservers, timeout=0.5)
    results = verify_emails_sync(["alice@", "@acme-bau.de", "al ice@acme-bau.de", "x"], cfg)
    assert [r.status for r in results] == ["invalid"] * 4
    assert not any(r.syntax_ok for r in results)
    assert sum(faulty_dns.queries.values()) == 0


def test_without_smtp_mx_is_filled_and_status_unknown(dns_server):
    cfg = VerifyConfig(nameservers=dns_server.nameservers, timeout=2)
    emails = ["alice@acme-bau.de", "a@multi-mx.de", "a@nohost.de", "a@nullmx.de"]
    got = [(r.status, r.mx_hosts) for r in verify_emails_sync(emails, cfg)]
    assert got == [
        ("unknown", ["mx.acme-bau.de"]),
        ("unknown", ["mx1.multi-mx.de", "mx2.multi-mx.de", "mx3.multi-mx.de"]),
        ("invalid", []),
        ("invalid", []),
    ]


def test_one_mx_lookup_per_domain_and_cache_between_batches(faulty_dns):
    from enrichment.verify import MemoryDomainCache

    cfg = VerifyConfig(nameservers=faulty_dns.nameservers, timeout=1)
    emails = [f"user{i}@acme-bau.de" for i in range(300)] + ["Anna@ACME-BAU.DE"]
    cache = MemoryDomainCache()
    results = verify_emails_sync(emails, cfg, cache)
    assert {r.mx_hosts[0] for r in results} == {"mx.acme-bau.de"}
    assert faulty_dns.count("acme-bau.de", "MX") == 1
    assert cache.facts["acme-bau.de"].mx_hosts == ("mx.acme-bau.de",)
    verify_emails_sync(emails, cfg, cache)  # fresh in the cache: no lookup at all
    assert faulty_dns.count("acme-bau.de", "MX") == 1
    # an unknown (SERVFAIL) answer is not a fact: it is not cached
    verify_emails_sync(["a@servfail-firm.de"], cfg, cache)
    assert "servfail-firm.de" not in cache.facts
