"""The sample sites' mail on loopback (leadgen.localmail): what its DNS server answers, how each
kind of mail host replies, the checks on ``_mail.toml``, and the sample world's own invariants
(every address on the sample websites is a mailbox of its domain)."""

from __future__ import annotations

import asyncio
import re
import smtplib
import subprocess
import sys
import time
from pathlib import Path

import dns.flags
import dns.message
import dns.query
import dns.rcode
import pytest

from enrichment.verify import VerifyConfig
from enrichment.verify.mx import check_dns, make_resolver
from leadgen.localmail import LocalMail, MailDomain, MailUnavailable

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "examples" / "sample-sites"

STRICT = """
mailboxes = ["info", "Anna.Berg"]
reject = "550 5.1.1 <{address}>: Recipient address rejected: User unknown"
accept = "250 2.1.5 Ok"
pipelining = false
greeting = "ESMTP Postfix"
[[mx]]
host = "mx2.strict-firma.de"
preference = 20
[[mx]]
host = "MX1.strict-firma.de."
preference = 10
"""
CATCH_ALL = """
catch_all = true
[[mx]]
host = "mx.catchall-gmbh.de"
"""
GREYLIST = """
mailboxes = ["otto"]
greylist_seconds = 300
greylist = "451 4.7.1 <{address}>: Greylisted, come back later"
[[mx]]
host = "mail.grau-ag.de"
"""
DOWN = """
mailboxes = ["eva"]
[[mx]]
host = "mx1.backup-kg.de"
preference = 5
down = true
[[mx]]
host = "mx2.backup-kg.de"
preference = 50
"""


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def _write(root: Path, host: str, mail: str | None) -> None:
    (root / host).mkdir(parents=True)
    (root / host / "index.html").write_text("<h1>hi</h1>", encoding="utf-8")
    if mail is not None:
        (root / host / "_mail.toml").write_text(mail, encoding="utf-8")


@pytest.fixture(scope="module")
def clock():
    return Clock()


@pytest.fixture(scope="module")
def world(tmp_path_factory, clock):
    root = tmp_path_factory.mktemp("mailworld")
    _write(root, "strict-firma.de", STRICT)
    _write(root, "catchall-gmbh.de", CATCH_ALL)
    _write(root, "grau-ag.de", GREYLIST)
    _write(root, "backup-kg.de", DOWN)
    _write(root, "nur-web.de", None)
    _write(root, "почта-пример.рф", 'mailboxes = ["иван"]\n[[mx]]\nhost = "mx.почта-пример.рф"\n')
    with LocalMail(root, clock=clock) as mail:
        yield mail


def ask(world: LocalMail, name: str, rdtype: str):
    q = dns.message.make_query(name, rdtype)
    return dns.query.udp(q, "127.0.0.1", port=world.dns_port, timeout=2)


def records(reply) -> list[str]:
    return sorted(rr.to_text() for rrset in reply.answer for rr in rrset)


def test_addresses_are_loopback_one_per_mx_host_in_sorted_order(world):
    assert world.addresses == {
        "mail.grau-ag.de": "127.0.0.10",
        "mx.catchall-gmbh.de": "127.0.0.11",
        "mx.почта-пример.рф": "127.0.0.12",
        "mx1.backup-kg.de": "127.0.0.13",
        "mx1.strict-firma.de": "127.0.0.14",
        "mx2.backup-kg.de": "127.0.0.15",
        "mx2.strict-firma.de": "127.0.0.16",
    }
    assert world.nameserver == f"127.0.0.1:{world.dns_port}"


@pytest.mark.parametrize(
    ("name", "rdtype", "rcode", "answer"),
    [
        (
            "strict-firma.de",
            "MX",
            "NOERROR",
            ["10 mx1.strict-firma.de.", "20 mx2.strict-firma.de."],
        ),
        (
            "STRICT-firma.de.",
            "MX",
            "NOERROR",
            ["10 mx1.strict-firma.de.", "20 mx2.strict-firma.de."],
        ),
        ("catchall-gmbh.de", "MX", "NOERROR", ["10 mx.catchall-gmbh.de."]),
        ("backup-kg.de", "MX", "NOERROR", ["5 mx1.backup-kg.de.", "50 mx2.backup-kg.de."]),
        ("mx1.strict-firma.de", "A", "NOERROR", ["127.0.0.14"]),
        ("mx1.backup-kg.de", "A", "NOERROR", ["127.0.0.13"]),  # down, but it has its address
        ("mx1.strict-firma.de", "AAAA", "NOERROR", []),
        ("mx1.strict-firma.de", "MX", "NOERROR", []),
        ("strict-firma.de", "A", "NOERROR", []),  # the website is reached through the proxy
        ("strict-firma.de", "TXT", "NOERROR", []),
        ("nur-web.de", "MX", "NOERROR", []),  # a site without _mail.toml: no mail at all
        ("nur-web.de", "A", "NOERROR", []),
        # an IDN folder answers under its punycode name (почта-пример.рф)
        (
            "xn----7sbqluigdjdo3d.xn--p1ai",
            "MX",
            "NOERROR",
            ["10 mx.xn----7sbqluigdjdo3d.xn--p1ai."],
        ),
        ("mx.xn----7sbqluigdjdo3d.xn--p1ai", "A", "NOERROR", ["127.0.0.12"]),
        ("www.xn----7sbqluigdjdo3d.xn--p1ai", "A", "NXDOMAIN", []),
        ("www.strict-firma.de", "A", "NXDOMAIN", []),
        ("mx3.strict-firma.de", "MX", "NXDOMAIN", []),
        ("x.mx1.strict-firma.de", "A", "NXDOMAIN", []),
        ("gmail.com", "MX", "REFUSED", []),  # never forwarded
        ("example.com", "A", "REFUSED", []),
        ("de", "NS", "REFUSED", []),
        ("firma.de", "MX", "REFUSED", []),
    ],
)
def test_dns_answers(world, name, rdtype, rcode, answer):
    reply = ask(world, name, rdtype)
    assert dns.rcode.to_text(reply.rcode()) == rcode
    assert records(reply) == answer
    assert not reply.flags & dns.flags.RA  # never recursive


def test_dns_answers_what_the_verifier_asks(world):
    config = VerifyConfig(nameservers=(("127.0.0.1", world.dns_port),), timeout=2)

    async def look(domain):
        return await check_dns(domain, make_resolver(config))

    assert asyncio.run(look("strict-firma.de")).mx_hosts == (
        "mx1.strict-firma.de",
        "mx2.strict-firma.de",
    )
    assert asyncio.run(look("nur-web.de")).mail_status == "no_host"
    assert asyncio.run(look("nowhere.strict-firma.de")).mail_status == "nxdomain"
    assert asyncio.run(look("example.org")).mail_status == "unknown"  # REFUSED
    assert ("example.org", "MX", "REFUSED", 0) in world.queries


def session(world: LocalMail, host: str) -> smtplib.SMTP:
    s = smtplib.SMTP(timeout=3)
    code, banner = s.connect(world.addresses[host], world.smtp_port)
    assert code == 220, banner
    return s


def rcpt(s: smtplib.SMTP, *addresses: str) -> list[tuple[int, str]]:
    out = []
    for a in addresses:
        code, text = s.rcpt(a)
        out.append((code, text.decode()))
    return out


def test_a_strict_host_accepts_its_mailboxes_and_refuses_the_rest(world):
    s = session(world, "mx1.strict-firma.de")
    try:
        code, ehlo = s.ehlo("probe.test")
        assert code == 250 and b"PIPELINING" not in ehlo  # pipelining = false
        assert s.mail("check@probe.test")[0] == 250
        assert rcpt(
            s,
            "info@strict-firma.de",
            "anna.berg@Strict-Firma.de",
            "ANNA.BERG@strict-firma.de",
            "a.berg@strict-firma.de",
            "anna@catchall-gmbh.de",
        ) == [
            (250, "2.1.5 Ok"),
            (250, "2.1.5 Ok"),
            (250, "2.1.5 Ok"),
            (550, "5.1.1 <a.berg@strict-firma.de>: Recipient address rejected: User unknown"),
            (554, "5.7.1 <anna@catchall-gmbh.de>: Relay access denied"),
        ]
        code, _ = s.docmd("DATA")
        assert code == 554  # no mail is ever taken
    finally:
        s.close()
    rcpts = world.rcpts("mx1.strict-firma.de")
    assert [p.argument for p in rcpts][-5:] == [
        "info@strict-firma.de",
        "anna.berg@Strict-Firma.de",
        "ANNA.BERG@strict-firma.de",
        "a.berg@strict-firma.de",
        "anna@catchall-gmbh.de",
    ]
    assert {p.client for p in rcpts} == {"127.0.0.1"}


def test_the_banner_names_the_mx_host_and_the_greeting(world):
    s = smtplib.SMTP(timeout=3)
    try:
        code, banner = s.connect(world.addresses["mx2.strict-firma.de"], world.smtp_port)
        assert (code, banner.decode()) == (220, "mx2.strict-firma.de ESMTP Postfix")
    finally:
        s.close()


def test_a_catch_all_host_accepts_any_address_and_offers_pipelining(world):
    s = session(world, "mx.catchall-gmbh.de")
    try:
        code, ehlo = s.ehlo("probe.test")
        assert b"PIPELINING" in ehlo
        s.mail("check@probe.test")
        assert rcpt(s, "x7q2kz0pq9@catchall-gmbh.de", "jemand@catchall-gmbh.de") == [
            (250, "2.1.5 Ok"),
            (250, "2.1.5 Ok"),
        ]
    finally:
        s.close()


def test_greylisting_refuses_a_new_triplet_until_it_comes_back_late_enough(world, clock):
    def attempt(sender: str, rcpt_to: str) -> tuple[int, str]:
        s = session(world, "mail.grau-ag.de")
        try:
            s.ehlo("probe.test")
            s.mail(sender)
            return rcpt(s, rcpt_to)[0]
        finally:
            s.close()

    grey = (451, "4.7.1 <otto@grau-ag.de>: Greylisted, come back later")
    assert attempt("a@probe.test", "otto@grau-ag.de") == grey
    clock.now += 299
    assert attempt("a@probe.test", "otto@grau-ag.de") == grey  # too soon
    assert attempt("b@probe.test", "otto@grau-ag.de") == grey  # another sender: a new triplet
    clock.now += 1
    assert attempt("a@probe.test", "otto@grau-ag.de") == (250, "2.1.5 Ok")
    assert attempt("A@probe.test", "OTTO@grau-ag.de") == (250, "2.1.5 Ok")  # same triplet
    clock.now += 300
    refused = attempt("a@probe.test", "nobody@grau-ag.de")  # greylisted first: no user check
    assert refused[0] == 451
    clock.now += 300
    assert attempt("a@probe.test", "nobody@grau-ag.de")[0] == 550


def test_a_down_mx_has_an_address_where_nothing_listens(world):
    with pytest.raises(ConnectionRefusedError):
        smtplib.SMTP(world.addresses["mx1.backup-kg.de"], world.smtp_port, timeout=3)
    s = session(world, "mx2.backup-kg.de")
    try:
        s.ehlo("probe.test")
        s.mail("check@probe.test")
        assert rcpt(s, "eva@backup-kg.de")[0][0] == 250
    finally:
        s.close()


def test_a_fixed_smtp_port_that_is_taken_is_reported(tmp_path, world):
    _write(tmp_path, "strict-firma.de", STRICT)
    # its MX hosts get 127.0.0.10 and .11, where the world above already listens on that port
    mail = LocalMail(tmp_path, smtp_port=world.smtp_port)
    assert set(mail.addresses.values()) <= set(world.addresses.values())
    with pytest.raises(MailUnavailable, match=f"SMTP port {world.smtp_port}"):
        mail.start()
    assert mail._dns is None  # the DNS server started first is stopped again


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            'catch_all = true\n[[mx]]\nhost = "mx.a.de"\nmalboxes = []\n',
            r"mx\[0\]: unknown keys \['malboxes'\]",
        ),
        ('mailboxs = ["a"]\n[[mx]]\nhost = "mx.a.de"\n', "mailboxs"),
        ('mailboxes = ["a"]\n', "no \\[\\[mx\\]\\]"),
        ("[[mx]]\npreference = 10\n", "mx\\[0\\] needs a host"),
        ('[[mx]]\nhost = "mx.a.de"\nweight = 1\n', r"unknown keys \['weight'\]"),
        (
            'catch_all = true\nmx = [{host = "mx.a.de"}]\nrelay = true\n',
            r"unknown keys \['relay'\]",
        ),
        ('[[mx]]\nhost = "  "\n', r"mx\[0\] needs a host"),
        ('mx = "mx.a.de"\n', r"mx must be a list of tables"),
        ('mx = ["mx.a.de"]\n', r"mx\[0\] must be a table"),
        ('[[mx]]\nhost = "mx.a.de"\npreference = 70000\n', "preference must be 0-65535"),
        ('mailboxes = ["anna@a-firma.de"]\n[[mx]]\nhost = "mx.a.de"\n', "local parts"),
        ('mailboxes = "anna"\n[[mx]]\nhost = "mx.a.de"\n', "list of local parts"),
        ('reject = "250 ok"\n[[mx]]\nhost = "mx.a.de"\n', "reject must start with its SMTP code"),
        ('accept = "OK"\n[[mx]]\nhost = "mx.a.de"\n', "accept must start"),
        ('greylist = "550 no"\n[[mx]]\nhost = "mx.a.de"\n', "greylist must start"),
        ('greylist_seconds = -1\n[[mx]]\nhost = "mx.a.de"\n', "greylist_seconds"),
        ('accept = ""\n[[mx]]\nhost = "mx.a.de"\n', "accept must be a text"),
        ("mailboxes = [\n", "a-firma.de/_mail.toml"),
    ],
)
def test_a_bad_mail_file_is_named_with_its_mistake(tmp_path, text, message):
    _write(tmp_path, "a-firma.de", text)
    with pytest.raises(ValueError, match=message):
        LocalMail(tmp_path)


def test_without_dnslib_the_message_says_what_to_install(tmp_path, monkeypatch):
    _write(tmp_path, "strict-firma.de", STRICT)
    monkeypatch.setitem(sys.modules, "dnslib.server", None)  # import fails
    with pytest.raises(MailUnavailable, match=r"dnslib and aiosmtpd.*\.\[test\]"):
        LocalMail(tmp_path).start()


def test_localsites_main_with_mail_prints_where_dns_and_smtp_are(tmp_path):
    proc = subprocess.Popen(
        [sys.executable, "-m", "leadgen.localsites", str(SAMPLE), "--port", "0", "--mail"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=ROOT,
    )
    try:
        lines = {}
        deadline = time.monotonic() + 20
        while "hosts" not in lines and time.monotonic() < deadline:
            line = proc.stdout.readline()
            if not line:
                break
            key, _, value = line.partition(": ")
            lines.setdefault(key, []).append(value.strip())
        assert lines["proxy"][0].startswith("http://127.0.0.1:")
        assert re.fullmatch(r"127\.0\.0\.1:\d+", lines["dns"][0])
        assert lines["smtp-port"][0].isdigit()
        assert sorted(lines["mail"]) == [
            "brightwell-analytics.co.uk (5 mailboxes; mx1.brightwell-analytics.co.uk down)",
            "harborlane-coffee.com (catch-all)",
            "hofmann-holzbau.de (4 mailboxes; greylisting 300 s)",
            "severny-veter.ru (5 mailboxes)",
        ]
        port = int(lines["dns"][0].rsplit(":", 1)[1])
        reply = dns.query.udp(
            dns.message.make_query("severny-veter.ru", "MX"), "127.0.0.1", port=port, timeout=2
        )
        assert records(reply) == ["10 mx1.severny-veter.ru.", "20 mx2.severny-veter.ru."]
    finally:
        proc.terminate()
        proc.wait(10)


def test_localsites_main_without_mail_starts_no_mail_servers(tmp_path):
    proc = subprocess.Popen(
        [sys.executable, "-m", "leadgen.localsites", str(SAMPLE), "--port", "0"],
        stdout=subprocess.PIPE,
        text=True,
        cwd=ROOT,
    )
    try:
        first = [proc.stdout.readline() for _ in range(2)]
        assert first[0].startswith("proxy: ") and first[1].startswith("hosts: ")
    finally:
        proc.terminate()
        proc.wait(10)


def test_localsites_main_reports_a_bad_mail_file(tmp_path, capsys):
    from leadgen.localsites import main

    _write(tmp_path, "a-firma.de", "[[mx]]\n")
    assert main([str(tmp_path), "--mail"]) == 2
    assert "a-firma.de/_mail.toml: mx[0] needs a host" in capsys.readouterr().err


# --- the sample world's own invariants -------------------------------------------------------


def _site_addresses(host: str) -> set[str]:
    found = set()
    for page in (SAMPLE / host).rglob("*.html"):
        text = page.read_text(encoding="utf-8").replace("(at)", "@")
        found.update(a.lower() for a in re.findall(r"[\w.+-]+@" + re.escape(host), text))
    return found


def test_every_address_on_a_sample_website_is_a_mailbox_of_its_domain():
    mail = LocalMail(SAMPLE)
    assert set(mail.domains) == {
        "brightwell-analytics.co.uk",
        "harborlane-coffee.com",
        "hofmann-holzbau.de",
        "severny-veter.ru",
    }
    for host, domain in mail.domains.items():
        on_site = _site_addresses(host)
        assert on_site, host
        assert {a.split("@")[0] for a in on_site} <= domain.mailboxes, host


def test_the_sample_domains_play_a_mix_of_mail_hosts():
    d = LocalMail(SAMPLE).domains
    assert d["harborlane-coffee.com"].catch_all
    assert d["hofmann-holzbau.de"].greylist_seconds > 0
    assert [m.down for m in d["brightwell-analytics.co.uk"].mx] == [True, False]
    sv = d["severny-veter.ru"]
    assert not sv.catch_all and not sv.greylist_seconds
    # the chief engineer's box predates the f.last habit the director's address teaches
    assert "a.morozova" in sv.mailboxes and "belov" in sv.mailboxes
    assert "i.belov" not in sv.mailboxes


def test_mail_domain_describe():
    domain = MailDomain.load("severny-veter.ru", SAMPLE / "severny-veter.ru" / "_mail.toml")
    assert domain.describe() == "severny-veter.ru (5 mailboxes)"
    assert domain.reject == "550 5.7.1 No such user!"


def test_an_idn_domain_takes_its_mail_in_either_spelling(world):
    s = session(world, "mx.почта-пример.рф")
    try:
        s.ehlo("probe.test")
        s.mail("check@probe.test", ["SMTPUTF8"])
        assert [
            c for c, _ in rcpt(s, "иван@xn----7sbqluigdjdo3d.xn--p1ai", "пётр@почта-пример.рф")
        ] == [
            250,
            550,
        ]
    finally:
        s.close()
