"""SMTP servers on 127.0.0.x for the verification tests: one behaviour per address.

All of them listen on ONE port (what ``--smtp-port`` points the verifier at); the fixture
zones (tests/support/dns.py) give each mail domain an MX host whose address picks the
behaviour.  Each server records what it was told (EHLO names, MAIL FROM, RCPT, DATA) so
tests can count sessions and probes.
"""

from __future__ import annotations

import datetime
import socket
import ssl
import threading
from dataclasses import dataclass, field
from pathlib import Path

from aiosmtpd.controller import Controller

#: behaviour -> loopback address of its server
HOSTS = {
    "known": "127.0.0.10",  # known recipients only, 550 5.1.1 for others
    "catch_all": "127.0.0.11",  # 250 for everyone
    "greylist": "127.0.0.12",  # 451 4.7.1 greylisted, for everyone
    "mailboxes": "127.0.0.13",  # known users, a full one (452/552), a disabled one (550 5.2.1)
    "starttls": "127.0.0.15",  # known recipients, commands only after STARTTLS
    "blocked": "127.0.0.16",  # 554 5.7.1: our IP is on a block list
    "tarpit": "127.0.0.20",  # accepts the connection, never greets
    "refused": "127.0.0.21",  # nothing listens: connection refused
}

KNOWN = frozenset(
    {
        "alice@acme-bau.de",
        "ivan.petrov@acme-bau.de",
        "info@acme-bau.de",
        "some.person@gmail.com",
        "ivan@xn--e1afmkfd.xn--p1ai",
        "anna@failover-ag.de",
        "otto@slow-primary.de",
        "hans@implicit-mx.de",
        "owner@tls-only.de",
    }
)
FULL_452 = frozenset({"full@stroymontazh-kzn.ru"})
FULL_552 = frozenset({"overquota@stroymontazh-kzn.ru"})
DISABLED = frozenset({"gone@stroymontazh-kzn.ru"})
RCPT_LIMIT = 20  # per transaction, on the "mailboxes" server
MAILBOXES = frozenset({"director@stroymontazh-kzn.ru"}) | FULL_452 | FULL_552 | DISABLED


@dataclass
class Recorder:
    """What one server saw."""

    ehlo: list[str] = field(default_factory=list)
    mail_from: list[str] = field(default_factory=list)
    rcpt: list[str] = field(default_factory=list)
    data: int = 0
    tls_sessions: int = 0
    sessions: int = 0  # connections that said EHLO
    lock: threading.Lock = field(default_factory=threading.Lock)

    def clear(self) -> None:
        with self.lock:
            self.ehlo.clear()
            self.mail_from.clear()
            self.rcpt.clear()
            self.data = 0
            self.tls_sessions = 0
            self.sessions = 0


class Handler:
    def __init__(self, behaviour: str, recorder: Recorder) -> None:
        self.behaviour = behaviour
        self.rec = recorder

    async def handle_EHLO(self, server, session, envelope, hostname, responses):
        session.host_name = hostname
        with self.rec.lock:
            self.rec.ehlo.append(hostname)
            if session.ssl is not None:
                self.rec.tls_sessions += 1
            else:
                self.rec.sessions += 1
        if self.behaviour in ("known", "catch_all"):  # these two take pipelined commands
            responses.insert(len(responses) - 1, "250-PIPELINING")
        return responses

    async def handle_MAIL(self, server, session, envelope, address, mail_options):
        with self.rec.lock:
            self.rec.mail_from.append(address)
        envelope.mail_from = address
        session.rcpt_count = 0  # a new transaction
        return "250 2.1.0 Ok"

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        with self.rec.lock:
            self.rec.rcpt.append(address)
        a = address.lower()
        b = self.behaviour
        if b == "catch_all":
            return "250 2.1.5 Ok"
        if b == "greylist":
            return f"451 4.7.1 <{address}>: Recipient address rejected: Greylisted, try again later"
        if b == "blocked":
            return (
                "554 5.7.1 Service unavailable; Client host [127.0.0.1] blocked using "
                "zen.spamhaus.org"
            )
        if b == "mailboxes":
            # Postfix's smtpd_recipient_limit, at 20 here
            session.rcpt_count += 1
            if session.rcpt_count > RCPT_LIMIT:
                return "452 4.5.3 Error: too many recipients"
            if a in FULL_452:
                return "452 4.2.2 Mailbox full"
            if a in FULL_552:
                return "552 5.2.2 The email account that you tried to reach is over quota."
            if a in DISABLED:
                return "550 5.2.1 The email account that you tried to reach is disabled."
            if a in MAILBOXES:
                return "250 2.1.5 Ok"
        elif a in KNOWN:
            return "250 2.1.5 Ok"
        return f"550 5.1.1 <{address}>: Recipient address rejected: User unknown"

    async def handle_DATA(self, server, session, envelope):
        with self.rec.lock:
            self.rec.data += 1
        return "554 5.5.1 No mail wanted here"


def free_common_port(hosts) -> int:
    """A TCP port free on every one of ``hosts``."""
    for _ in range(50):
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
        try:
            for host in hosts:
                with socket.socket() as t:
                    t.bind((host, port))
        except OSError:
            continue
        return port
    raise RuntimeError("no TCP port free on all fixture addresses")


def self_signed(directory: Path) -> ssl.SSLContext:
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "mx.tls-only.de")])
    now = datetime.datetime.now(datetime.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=30))
        .sign(key, hashes.SHA256())
    )
    cert_path, key_path = directory / "mx.pem", directory / "mx.key"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ctx.load_cert_chain(cert_path, key_path)
    return ctx


class Tarpit:
    """Accepts TCP connections and never says a word."""

    def __init__(self, host: str, port: int) -> None:
        self.sock = socket.create_server((host, port), backlog=512)
        self.conns: list[socket.socket] = []
        self.accepted = 0
        self._stop = False
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()

    def _run(self) -> None:
        self.sock.settimeout(0.2)
        while not self._stop:
            try:
                conn, _ = self.sock.accept()
            except (TimeoutError, OSError):
                continue
            self.accepted += 1
            self.conns.append(conn)

    def stop(self) -> None:
        self._stop = True
        self.thread.join(timeout=2)
        for c in self.conns:
            c.close()
        self.sock.close()


@dataclass
class SmtpFixture:
    port: int
    recorders: dict[str, Recorder]
    controllers: list[Controller]
    tarpit: Tarpit

    def clear(self) -> None:
        for r in self.recorders.values():
            r.clear()

    def stop(self) -> None:
        for c in self.controllers:
            c.stop()
        self.tarpit.stop()


def start_smtp_servers(tmpdir: Path, port: int | None = None) -> SmtpFixture:
    port = port or free_common_port(HOSTS.values())
    tls = self_signed(tmpdir)
    recorders: dict[str, Recorder] = {}
    controllers = []
    for behaviour, host in HOSTS.items():
        if behaviour in ("tarpit", "refused"):
            continue
        rec = recorders[behaviour] = Recorder()
        kwargs = {}
        if behaviour == "starttls":
            kwargs = {"tls_context": tls, "require_starttls": True}
        c = Controller(
            Handler(behaviour, rec),
            hostname=host,
            port=port,
            server_hostname=f"mx-{behaviour}.fixture.invalid",
            enable_SMTPUTF8=True,
            **kwargs,
        )
        c.start()
        controllers.append(c)
    tarpit = Tarpit(HOSTS["tarpit"], port)
    return SmtpFixture(port, recorders, controllers, tarpit)
