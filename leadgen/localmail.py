"""The sample sites' mail on loopback: a DNS server and SMTP servers playing the companies' mail
hosts, so ``leadgen run``/``enrich``/``verify --smtp`` really verify, and never leave the machine.

A host folder of the sites' root (see ``leadgen.localsites``) may hold ``_mail.toml``, saying
how that domain takes mail (every key but ``[[mx]]`` optional)::

    mailboxes = ["info", "l.hofmann"]   # the local parts that exist (any case)
    catch_all = false        # true: every address is accepted (mailboxes then only document)
    accept = "250 2.1.5 Ok"  # the reply to RCPT TO of a mailbox that exists; {address} is filled
    reject = "550 5.1.1 <{address}>: Recipient address rejected: User unknown"
    greylist_seconds = 0     # > 0: a new (client, sender, recipient) triplet is refused with
    greylist = "450 4.2.0 <{address}>: Recipient address rejected: Greylisted"  # until retried
                             # this many seconds after it was first seen (postgrey's way)
    pipelining = true        # offer PIPELINING (RFC 2920) in the EHLO reply
    greeting = "ESMTP"       # the banner after the MX host's name: "220 mx1.example.de ESMTP"

    [[mx]]
    host = "mx1.example.de"  # the MX record's exchange
    preference = 10
    down = false             # true: the name has an address, but nothing listens there

The DNS server (dnslib, in a thread) is authoritative for the site hosts and the MX hosts only:
a host's MX records; an MX host's A record, 127.0.0.10 and up (one address per MX host, in
sorted order); NODATA for any other type of these names (the sites have no address: they are
reached through the proxy); NXDOMAIN for other names under a site host; REFUSED for anything
else.  Nothing is ever forwarded.  The SMTP servers (aiosmtpd, one asyncio loop in a thread) all
listen on one port, each on its MX host's address, since the verifier connects to every MX host
on the same ``--smtp-port``.  DATA is refused: no mail is ever taken.

Greylisting state lives in memory: each start forgets it (like a greylister whose database is
on a tmpfs), so a greylisted address stays ``unknown`` until its scheduled retry meets a server
that has been up long enough.  Linux routes all of 127.0.0.0/8 to loopback; elsewhere (macOS)
the addresses need ``ifconfig lo0 alias 127.0.0.N`` first.

``python -m leadgen.localsites ROOT --mail`` starts this next to the proxy.
"""

from __future__ import annotations

import asyncio
import ipaddress
import socket
import threading
import time
import tomllib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NamedTuple

__all__ = ["LocalMail", "MailDomain", "MailUnavailable", "Mx", "Probe", "Query"]

#: The first MX host's address; the next ones follow (127.0.0.11, …).
FIRST_ADDRESS = ipaddress.IPv4Address("127.0.0.10")
_KEYS = {
    "mailboxes",
    "catch_all",
    "accept",
    "reject",
    "greylist_seconds",
    "greylist",
    "pipelining",
    "greeting",
    "mx",
}
_MX_KEYS = {"host", "preference", "down"}


class MailUnavailable(RuntimeError):
    """dnslib or aiosmtpd is not installed, or the servers could not start."""


class Query(NamedTuple):
    """One DNS question, as the client asked it, and the answer's code."""

    name: str
    rdtype: str
    rcode: str  # NOERROR, NXDOMAIN, REFUSED
    answers: int


class Probe(NamedTuple):
    """One SMTP command a mail host was given, and what it answered."""

    host: str  # the MX host name whose address was connected to
    client: str  # the client's address
    command: str  # EHLO, MAIL, RCPT, DATA
    argument: str
    reply: str
    time: float


@dataclass(frozen=True)
class Mx:
    host: str
    preference: int = 10
    down: bool = False


@dataclass
class MailDomain:
    """One ``_mail.toml``: how a sample domain takes mail."""

    domain: str
    mx: list[Mx]
    mailboxes: frozenset[str] = frozenset()
    catch_all: bool = False
    accept: str = "250 2.1.5 Ok"
    reject: str = "550 5.1.1 <{address}>: Recipient address rejected: User unknown"
    greylist_seconds: float = 0.0
    greylist: str = "450 4.2.0 <{address}>: Recipient address rejected: Greylisted"
    pipelining: bool = True
    greeting: str = "ESMTP"

    @classmethod
    def load(cls, domain: str, file: Path) -> MailDomain:
        """Read and check ``file``; a mistake raises ValueError naming the file and the key."""
        where = f"{file.parent.name}/{file.name}"
        try:
            with file.open("rb") as fh:
                raw = tomllib.load(fh)
        except (OSError, tomllib.TOMLDecodeError) as exc:
            raise ValueError(f"{where}: {exc}") from None
        unknown = sorted(set(raw) - _KEYS)
        if unknown:
            raise ValueError(f"{where}: unknown keys {unknown} (known: {sorted(_KEYS)})")
        mx = []
        entries = raw.get("mx") or []
        if not isinstance(entries, list):
            raise ValueError(f"{where}: mx must be a list of tables ([[mx]])")
        for i, entry in enumerate(entries):
            if not isinstance(entry, dict):
                raise ValueError(f"{where}: mx[{i}] must be a table with a host")
            bad = sorted(set(entry) - _MX_KEYS)
            if bad:
                raise ValueError(
                    f"{where}: mx[{i}]: unknown keys {bad} (known: {sorted(_MX_KEYS)})"
                )
            if not isinstance(entry.get("host"), str) or not entry["host"].strip():
                raise ValueError(f"{where}: mx[{i}] needs a host name")
            pref = entry.get("preference", 10)
            if not isinstance(pref, int) or not 0 <= pref < 65536:
                raise ValueError(f"{where}: mx[{i}].preference must be 0-65535, not {pref!r}")
            mx.append(Mx(entry["host"].strip().lower().rstrip("."), pref, bool(entry.get("down"))))
        if not mx:
            raise ValueError(f"{where}: no [[mx]]: a mail domain needs at least one MX host")
        boxes = raw.get("mailboxes", [])
        if not isinstance(boxes, list) or not all(isinstance(b, str) and b for b in boxes):
            raise ValueError(f"{where}: mailboxes must be a list of local parts")
        if any("@" in b for b in boxes):
            raise ValueError(f"{where}: mailboxes are local parts (without @{domain})")
        kw: dict[str, Any] = {}
        for key in ("accept", "reject", "greylist", "greeting"):
            if key in raw:
                if not isinstance(raw[key], str) or not raw[key].strip():
                    raise ValueError(f"{where}: {key} must be a text")
                kw[key] = raw[key].strip()
        for key in ("accept", "reject", "greylist"):
            code = kw.get(key, getattr(cls, key))[:3]
            if not code.isdigit() or code[0] not in {"accept": "2", "reject": "5"}.get(key, "4"):
                raise ValueError(f"{where}: {key} must start with its SMTP code, not {code!r}")
        seconds = raw.get("greylist_seconds", 0)
        if not isinstance(seconds, int | float) or seconds < 0:
            raise ValueError(f"{where}: greylist_seconds must be a number >= 0")
        return cls(
            domain=domain,
            mx=mx,
            mailboxes=frozenset(b.lower() for b in boxes),
            catch_all=bool(raw.get("catch_all", False)),
            greylist_seconds=float(seconds),
            pipelining=bool(raw.get("pipelining", True)),
            **kw,
        )

    def describe(self) -> str:
        what = ["catch-all" if self.catch_all else f"{len(self.mailboxes)} mailboxes"]
        if self.greylist_seconds:
            what.append(f"greylisting {self.greylist_seconds:g} s")
        down = [m.host for m in self.mx if m.down]
        if down:
            what.append(f"{', '.join(down)} down")
        return f"{self.domain} ({'; '.join(what)})"


class _Greylist:
    """postgrey's rule: a triplet passes once retried ``seconds`` after it was first seen."""

    def __init__(self, seconds: float, clock: Callable[[], float]) -> None:
        self.seconds = seconds
        self.clock = clock
        self.first_seen: dict[tuple[str, str, str], float] = {}
        self.lock = threading.Lock()

    def passes(self, client: str, sender: str, rcpt: str) -> bool:
        key = (client, sender.lower(), rcpt.lower())
        now = self.clock()
        with self.lock:
            first = self.first_seen.setdefault(key, now)
        return now - first >= self.seconds


class _Handler:
    """aiosmtpd handler playing one domain's mail host."""

    def __init__(self, world: LocalMail, domain: MailDomain, host: str) -> None:
        self.world = world
        self.domain = domain
        self.host = host
        self.greylist = (
            _Greylist(domain.greylist_seconds, world.clock) if domain.greylist_seconds else None
        )

    def _log(self, session, command: str, argument: str, reply: str) -> str:
        client = session.peer[0] if session.peer else ""
        self.world._log_probe(Probe(self.host, client, command, argument, reply, time.time()))
        return reply

    async def handle_EHLO(self, server, session, envelope, hostname, responses):
        session.host_name = hostname
        if self.domain.pipelining:
            responses.insert(len(responses) - 1, "250-PIPELINING")
        self._log(session, "EHLO", hostname, responses[0].replace("-", " ", 1))
        return responses

    async def handle_MAIL(self, server, session, envelope, address, mail_options):
        envelope.mail_from = address
        envelope.rcpt_tos = []
        return self._log(session, "MAIL", address, "250 2.1.0 Ok")

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        d = self.domain
        local, _, domain = address.rpartition("@")
        client = session.peer[0] if session.peer else ""
        if _ascii(domain.lower()) != _ascii(d.domain):
            reply = "554 5.7.1 <{address}>: Relay access denied"
        elif self.greylist and not self.greylist.passes(client, envelope.mail_from or "", address):
            reply = d.greylist
        elif d.catch_all or local.lower() in d.mailboxes:
            reply = d.accept
            envelope.rcpt_tos.append(address)
        else:
            reply = d.reject
        return self._log(session, "RCPT", address, reply.replace("{address}", address))

    def refuse_data(self, session) -> str:
        return self._log(session, "DATA", "", "554 5.3.0 No mail is taken here (a sample host)")


def _smtp_class():
    """aiosmtpd's SMTP, refusing DATA at once (before any message text is sent)."""
    from aiosmtpd.smtp import SMTP, syntax

    class SampleSMTP(SMTP):
        @syntax("DATA")
        async def smtp_DATA(self, arg: str) -> None:
            await self.push(self.event_handler.refuse_data(self.session))

    return SampleSMTP


@dataclass
class LocalMail:
    """DNS and SMTP for the sample sites under ``root`` (their ``_mail.toml`` files)."""

    root: Path
    dns_port: int = 0
    smtp_port: int = 0
    #: seconds, for greylisting (tests pass a clock they can move)
    clock: Callable[[], float] = time.monotonic
    domains: dict[str, MailDomain] = field(init=False)
    hosts: list[str] = field(init=False)  # every site host (folder)
    addresses: dict[str, str] = field(init=False)  # MX host -> its loopback address
    queries: list[Query] = field(init=False, default_factory=list)
    probes: list[Probe] = field(init=False, default_factory=list)

    def __post_init__(self) -> None:
        self.root = Path(self.root)
        self.hosts = sorted(
            p.name
            for p in self.root.iterdir()
            if p.is_dir() and "." in p.name and not p.name.startswith((".", "_"))
        )
        self.domains = {
            h: MailDomain.load(h, self.root / h / "_mail.toml")
            for h in self.hosts
            if (self.root / h / "_mail.toml").is_file()
        }
        mx_hosts = sorted({m.host for d in self.domains.values() for m in d.mx})
        self.addresses = {h: str(FIRST_ADDRESS + i) for i, h in enumerate(mx_hosts)}
        self._names = {_ascii(n): n for n in (*self.hosts, *self.addresses)}
        self._lock = threading.Lock()
        self._dns = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._servers: list[asyncio.Server] = []

    # -- what the world says ----------------------------------------------------------------
    @property
    def nameserver(self) -> str:
        """``127.0.0.1:PORT``, what ``--nameserver`` takes."""
        if self._dns is None:
            raise RuntimeError("LocalMail is not started")
        return f"127.0.0.1:{self.dns_port}"

    def answer(self, name: str, rdtype: str) -> tuple[str, list[tuple[str, Any]]]:
        """(rcode, [(type, value)]) for a question: MX values are (preference, host)."""
        asked = name.lower().rstrip(".")
        name = self._names.get(asked, asked)  # xn--… back to the folder's own spelling
        if name in self.domains and rdtype == "MX":
            mx = sorted(self.domains[name].mx, key=lambda m: m.preference)
            return "NOERROR", [("MX", (m.preference, _ascii(m.host))) for m in mx]
        if name in self.addresses:
            return "NOERROR", [("A", self.addresses[name])] if rdtype == "A" else []
        if name in self.hosts:
            return "NOERROR", []
        if any(asked.endswith("." + z) for z in self._names):
            return "NXDOMAIN", []
        return "REFUSED", []

    def rcpts(self, host: str | None = None) -> list[Probe]:
        with self._lock:
            return [p for p in self.probes if p.command == "RCPT" and host in (None, p.host)]

    def _log_probe(self, probe: Probe) -> None:
        with self._lock:
            self.probes.append(probe)

    # -- DNS (dnslib) -------------------------------------------------------------------------
    def resolve(self, request, handler):  # dnslib's resolver interface
        from dnslib import MX, QTYPE, RCODE, RR, A

        qname = str(request.q.qname)
        rdtype = QTYPE.get(request.q.qtype, str(request.q.qtype))
        rcode, answers = self.answer(qname, rdtype)
        reply = request.reply()
        reply.header.aa = rcode != "REFUSED"
        reply.header.ra = 0  # never recursive
        reply.header.rcode = getattr(RCODE, rcode)
        for kind, value in answers:
            rdata = MX(value[1], value[0]) if kind == "MX" else A(value)
            reply.add_answer(RR(request.q.qname, getattr(QTYPE, kind), rdata=rdata, ttl=300))
        with self._lock:
            self.queries.append(Query(qname.lower().rstrip("."), rdtype, rcode, len(answers)))
        return reply

    # -- start / stop ---------------------------------------------------------------------------
    def start(self) -> LocalMail:
        try:
            from aiosmtpd.smtp import SMTP  # noqa: F401 - checked before anything starts
            from dnslib.server import DNSLogger, DNSServer
        except ImportError as exc:
            raise MailUnavailable(
                f"the sample mail hosts need dnslib and aiosmtpd ({exc.name} is missing): "
                "install the test extra, pip install -e '.[test]' (make install does)"
            ) from None
        logger = DNSLogger(log="-request,-reply,-truncated,-error,-recv,-send,-data", prefix=False)
        self._dns = DNSServer(self, address="127.0.0.1", port=self.dns_port, logger=logger)
        self._dns.start_thread()
        self.dns_port = self._dns.server.server_address[1]
        try:
            self._start_smtp()
        except BaseException:
            self.stop()
            raise
        return self

    def _start_smtp(self) -> None:
        live = [
            (d, m.host)
            for d in self.domains.values()
            for m in d.mx
            if not m.down  # a down host: its address answers nothing (connection refused)
        ]
        if not live:
            return
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, daemon=True)
        self._thread.start()
        wanted = self.smtp_port
        for _ in range(1 if wanted else 20):
            port = wanted or _free_port([self.addresses[h] for _, h in live])
            try:
                for d, host in live:
                    self._servers.append(self._call(self._serve(d, host, port)))
            except OSError as exc:
                self._close_servers()
                if wanted:
                    raise MailUnavailable(f"SMTP port {port}: {exc.strerror or exc}") from None
                continue  # taken in between: another port
            self.smtp_port = port
            return
        raise MailUnavailable("no TCP port free on every sample MX address")

    async def _serve(self, domain: MailDomain, host: str, port: int):
        smtp = _smtp_class()
        handler = _Handler(self, domain, host)
        return await asyncio.get_running_loop().create_server(
            lambda: smtp(
                handler,
                hostname=host,
                ident=domain.greeting,
                enable_SMTPUTF8=True,
                timeout=60,
            ),
            host=self.addresses[host],
            port=port,
        )

    def _call(self, coro):
        assert self._loop is not None
        return asyncio.run_coroutine_threadsafe(coro, self._loop).result(10)

    def _close_servers(self) -> None:
        async def close(servers):
            for s in servers:
                s.close()
            for s in servers:
                await s.wait_closed()

        if self._servers:
            self._call(close(self._servers))
            self._servers = []

    def stop(self) -> None:
        if self._loop is not None:
            self._close_servers()
            self._loop.call_soon_threadsafe(self._loop.stop)
            if self._thread is not None:
                self._thread.join(5)
            self._loop.close()
            self._loop = self._thread = None
        if self._dns is not None:
            self._dns.stop()
            self._dns.server.server_close()
            self._dns = None

    def __enter__(self) -> LocalMail:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


def _ascii(name: str) -> str:
    """A host name as DNS carries it: ``почта.рф`` -> ``xn--80a1acny.xn--p1ai``."""
    try:
        return name.encode("idna").decode("ascii").lower()
    except UnicodeError:
        return name.lower()


def _free_port(addresses: list[str]) -> int:
    """A TCP port nothing listens on at any of ``addresses`` (as of now)."""
    for _ in range(50):
        with socket.socket() as s:
            s.bind((addresses[0], 0))
            port = s.getsockname()[1]
        try:
            for address in addresses[1:]:
                with socket.socket() as t:
                    t.bind((address, port))
        except OSError:
            continue
        return port
    raise MailUnavailable("no TCP port free on every sample MX address")
