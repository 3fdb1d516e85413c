"""DNS for the verification tests: the fixture zones, served by a real DNS server (dnsmasq,
Debian package dnsmasq-base) on a loopback port, and an in-process dnslib server that can
count queries, answer slowly, fail (SERVFAIL) or stay silent (timeouts).

The MX hosts' addresses are the SMTP fixture servers' (tests/support/smtp.py HOSTS).
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from tests.support.smtp import HOSTS

# domain -> [(preference, exchange)]; "." is the null MX.
MX = {
    "acme-bau.de": [(10, "mx.acme-bau.de")],
    "gmail.com": [(5, "gmail-smtp-in.l.google.com"), (10, "alt1.gmail-smtp-in.l.google.com")],
    "xn--e1afmkfd.xn--p1ai": [(10, "mx.xn--e1afmkfd.xn--p1ai")],  # пример.рф
    "catchall-gmbh.de": [(10, "mx.catchall-gmbh.de")],
    "mailinator.com": [(10, "mail.mailinator.com")],  # disposable, and catch-all
    "greylist-ooo.ru": [(10, "mx.greylist-ooo.ru")],
    "stroymontazh-kzn.ru": [(10, "mx.stroymontazh-kzn.ru")],
    "tls-only.de": [(10, "mx.tls-only.de")],
    "blocked-us.com": [(10, "mx.blocked-us.com")],
    "tarpit-corp.com": [(10, "mx.tarpit-corp.com")],
    "refused-corp.com": [(10, "mx.refused-corp.com")],
    # primary down (refused), secondary working
    "failover-ag.de": [(20, "mx2.failover-ag.de"), (10, "mx1.failover-ag.de")],
    # primary a tarpit (never greets), secondary working
    "slow-primary.de": [(10, "mx1.slow-primary.de"), (20, "mx2.slow-primary.de")],
    # priorities out of order on the wire; the verifier sorts them
    "multi-mx.de": [(30, "mx3.multi-mx.de"), (10, "mx1.multi-mx.de"), (20, "mx2.multi-mx.de")],
    "nullmx.de": [(0, ".")],
}
A = {
    "mx.acme-bau.de": HOSTS["known"],
    "gmail-smtp-in.l.google.com": HOSTS["known"],
    "alt1.gmail-smtp-in.l.google.com": HOSTS["known"],
    "mx.xn--e1afmkfd.xn--p1ai": HOSTS["known"],
    "mx.catchall-gmbh.de": HOSTS["catch_all"],
    "mail.mailinator.com": HOSTS["catch_all"],
    "mx.greylist-ooo.ru": HOSTS["greylist"],
    "mx.stroymontazh-kzn.ru": HOSTS["mailboxes"],
    "mx.tls-only.de": HOSTS["starttls"],
    "mx.blocked-us.com": HOSTS["blocked"],
    "mx.tarpit-corp.com": HOSTS["tarpit"],
    "mx.refused-corp.com": HOSTS["refused"],
    "mx1.failover-ag.de": HOSTS["refused"],
    "mx2.failover-ag.de": HOSTS["known"],
    "mx1.slow-primary.de": HOSTS["tarpit"],
    "mx2.slow-primary.de": HOSTS["known"],
    "mx1.multi-mx.de": HOSTS["known"],
    "mx2.multi-mx.de": HOSTS["known"],
    "mx3.multi-mx.de": HOSTS["known"],
    "implicit-mx.de": HOSTS["known"],  # no MX, an A record: the implicit MX
    "www.nullmx.de": "127.0.0.99",
}
AAAA = {"implicit-v6.de": "::1"}  # no MX, only AAAA: still an implicit MX
TXT = {"nohost.de": "v=spf1 -all"}  # exists, but no MX and no address: cannot receive mail
#: top-level domains the fixture server is authoritative for: other names in them NXDOMAIN
TLDS = ("de", "ru", "com", "xn--p1ai")


def dnsmasq_conf(port: int, log: Path) -> str:
    lines = [
        f"port={port}",
        "listen-address=127.0.0.1",
        "bind-interfaces",
        "no-resolv",
        "no-hosts",
        "no-poll",
        "log-queries",
        f"log-facility={log}",
        "local=/" + "/".join(TLDS) + "/",
    ]
    for domain, records in MX.items():
        for pref, host in records:
            lines.append(f"mx-host={domain},{host},{pref}")
    for name, ip in A.items():
        lines.append(f"host-record={name},{ip}")
    for name, ip in AAAA.items():
        lines.append(f"host-record={name},{ip}")
    for name, text in TXT.items():
        lines.append(f'txt-record={name},"{text}"')
    return "\n".join(lines) + "\n"


def free_udp_port() -> int:
    for _ in range(50):
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as u:
            u.bind(("127.0.0.1", 0))
            port = u.getsockname()[1]
        try:  # dnsmasq also listens on TCP
            with socket.socket() as t:
                t.bind(("127.0.0.1", port))
        except OSError:
            continue
        return port
    raise RuntimeError("no free port for the DNS server")


class DnsUnavailable(RuntimeError):
    pass


@dataclass
class Dnsmasq:
    proc: subprocess.Popen
    port: int
    log: Path

    @property
    def nameservers(self) -> list[tuple[str, int]]:
        return [("127.0.0.1", self.port)]

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()


def find_dnsmasq() -> str:
    path = shutil.which("dnsmasq") or (
        "/usr/sbin/dnsmasq" if os.path.exists("/usr/sbin/dnsmasq") else None
    )
    if not path:
        raise DnsUnavailable(
            "dnsmasq not found: install the Debian package dnsmasq-base "
            "(scripts/system-deps.sh, run by make test, does it)"
        )
    return path


def start_dnsmasq(directory: Path) -> Dnsmasq:
    directory.mkdir(parents=True, exist_ok=True)
    os.chmod(directory, 0o755)  # dnsmasq drops to nobody; it must reach its log
    log = (directory / "dnsmasq.log").resolve()
    log.touch()
    os.chmod(log, 0o666)
    port = free_udp_port()
    conf = directory / "dnsmasq.conf"
    conf.write_text(dnsmasq_conf(port, log), encoding="utf-8")
    proc = subprocess.Popen(
        [find_dnsmasq(), "--keep-in-foreground", f"--conf-file={conf}"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    server = Dnsmasq(proc, port, log)
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise DnsUnavailable(f"dnsmasq exited: {proc.stderr.read().decode(errors='replace')}")
        if _answers(port):
            return server
        time.sleep(0.05)
    server.stop()
    raise DnsUnavailable("dnsmasq did not answer within 10 s")


def _answers(port: int) -> bool:
    import dns.message
    import dns.query

    try:
        q = dns.message.make_query("acme-bau.de", "MX")
        dns.query.udp(q, "127.0.0.1", port=port, timeout=0.2)
        return True
    except Exception:
        return False


# -- in-process server (dnslib) ----------------------------------------------------------------


@dataclass
class FaultyDns:
    """dnslib server with the same zones, plus faults; counts every query it gets."""

    servfail: set[str] = field(default_factory=set)  # these names answer SERVFAIL
    silent: set[str] = field(default_factory=set)  # these names never get an answer
    delay: float = 0.0  # seconds added to every answer
    extra_mx: dict[str, list[tuple[int, str]]] = field(default_factory=dict)
    extra_a: dict[str, str] = field(default_factory=dict)
    queries: Counter = field(default_factory=Counter)
    port: int = 0

    def __post_init__(self) -> None:
        self._lock = threading.Lock()
        self._server = None

    @property
    def nameservers(self) -> list[tuple[str, int]]:
        return [("127.0.0.1", self.port)]

    def count(self, name: str, rdtype: str) -> int:
        with self._lock:
            return self.queries[(name.lower().rstrip("."), rdtype)]

    def resolve(self, request, handler):
        from dnslib import AAAA as RR_AAAA
        from dnslib import MX as RR_MX
        from dnslib import QTYPE, RCODE, RR, DNSError
        from dnslib import A as RR_A

        qname = str(request.q.qname).lower().rstrip(".")
        qtype = QTYPE[request.q.qtype]
        with self._lock:
            self.queries[(qname, qtype)] += 1
        if self.delay:
            time.sleep(self.delay)
        if qname in self.silent:
            raise DNSError("drop")  # dnslib sends nothing: the client times out
        reply = request.reply()
        if qname in self.servfail:
            reply.header.rcode = RCODE.SERVFAIL
            return reply
        mx = {**MX, **self.extra_mx}
        a = {**A, **self.extra_a}
        known = set(mx) | set(a) | set(AAAA) | set(TXT)
        if qname not in known:
            reply.header.rcode = RCODE.NXDOMAIN
            return reply
        if qtype == "MX" and qname in mx:
            for pref, host in mx[qname]:
                reply.add_answer(RR(request.q.qname, QTYPE.MX, rdata=RR_MX(host, pref), ttl=60))
        elif qtype == "A" and qname in a:
            reply.add_answer(RR(request.q.qname, QTYPE.A, rdata=RR_A(a[qname]), ttl=60))
        elif qtype == "AAAA" and qname in AAAA:
            reply.add_answer(RR(request.q.qname, QTYPE.AAAA, rdata=RR_AAAA(AAAA[qname]), ttl=60))
        return reply

    def start(self) -> FaultyDns:
        from dnslib.server import DNSLogger, DNSServer

        logger = DNSLogger(log="-request,-reply,-truncated,-error,-recv,-send,-data", prefix=False)
        self._server = DNSServer(self, address="127.0.0.1", port=self.port, logger=logger)
        self._server.start_thread()
        self.port = self._server.server.server_address[1]
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.stop()
            self._server.server.server_close()
