"""Stage 4: ask the domain's mail servers whether they take mail for the addresses.

One session per batch of addresses on a domain: connect (MX hosts in priority order, the next
when one is down), EHLO with the configured name, STARTTLS when offered, MAIL FROM the
configured reverse path, ``RCPT TO`` each address (pipelined when the server offers
PIPELINING), QUIT.  DATA is never sent, so no mail
is ever delivered.  Every step has the configured timeout; the sessions to one MX host are
limited (``per_host_limit``), and new sessions open at no more than ``rate_per_second``.
"""

from __future__ import annotations

import asyncio
import ssl
import time
from collections.abc import Sequence
from dataclasses import dataclass, field

from enrichment.verify.client import SmtpClient, SmtpDisconnected, SmtpProtocolError, SmtpReply
from enrichment.verify.config import VerifyConfig
from enrichment.verify.mx import resolve_host
from enrichment.verify.replies import TOO_MANY, RcptVerdict, classify_rcpt

__all__ = ["RateLimiter", "RcptOutcome", "SessionResult", "SmtpProber"]


@dataclass(frozen=True, slots=True)
class RcptOutcome:
    verdict: str  # replies.ACCEPTED, REJECTED, FULL, GREYLISTED, TEMPORARY, BLOCKED
    disabled: bool
    reply: str  # "550 5.1.1 <a@b>: User unknown", as the server said it
    host: str


@dataclass(slots=True)
class SessionResult:
    outcomes: dict[str, RcptOutcome] = field(default_factory=dict)
    #: the random address's outcome, when a catch-all probe was asked for and made
    catch_all_probe: RcptOutcome | None = None
    #: why some addresses got no answer (no host reachable, sender refused, dropped session)
    error: str | None = None


#: Transactions per session when a server takes few recipients per transaction.
MAX_TRANSACTIONS = 10


class _HostDown(Exception):
    """This host can't be used now (connect refused/timed out, greeting refused)."""

    def __init__(self, reason: str, dead: bool) -> None:
        super().__init__(reason)
        self.reason = reason
        self.dead = dead  # do not try it again in this batch


class _SessionBroken(Exception):
    """The session ended after it had started (dropped connection, command timeout)."""


class RateLimiter:
    """At most ``rate`` starts per second across all callers (0: no limit)."""

    def __init__(self, rate: float) -> None:
        self._interval = 1.0 / rate if rate > 0 else 0.0
        self._next = 0.0

    async def wait(self) -> None:
        if not self._interval:
            return
        now = time.monotonic()
        start = max(now, self._next)
        self._next = start + self._interval
        if start > now:
            await asyncio.sleep(start - now)


def _reply(resp) -> str:
    return f"{resp.code} {resp.message}".strip()


def _path(address: str) -> bytes:
    return f"<{address}>".encode()


class SmtpProber:
    """SMTP probing for one batch: remembers MX host addresses and dead hosts, limits sessions
    per host, and paces new sessions."""

    def __init__(self, config: VerifyConfig, resolver) -> None:
        self.config = config
        self._resolver = resolver
        self._rate = RateLimiter(config.rate_per_second)
        self._host_slots: dict[str, asyncio.Semaphore] = {}
        self._addresses: dict[str, asyncio.Future[list[str]]] = {}
        self._dead: dict[str, str] = {}  # ip -> why
        self.sessions = 0

    async def _host_addresses(self, host: str) -> list[str]:
        if host not in self._addresses:
            self._addresses[host] = asyncio.ensure_future(resolve_host(host, self._resolver))
        return await asyncio.shield(self._addresses[host])

    def _slot(self, ip: str) -> asyncio.Semaphore:
        if ip not in self._host_slots:
            self._host_slots[ip] = asyncio.Semaphore(self.config.per_host_limit)
        return self._host_slots[ip]

    async def probe(
        self, mx_hosts: Sequence[str], addresses: Sequence[str], catch_all_probe: str | None = None
    ) -> SessionResult:
        """Try the MX hosts in order until one holds a session; RCPT the catch-all probe (if
        any) first, then each address.  Addresses left without an answer are simply absent
        from ``outcomes`` (with ``error`` saying why)."""
        result = SessionResult()
        failures: list[str] = []
        pending = list(addresses)
        probe_pending = catch_all_probe
        for host in mx_hosts:
            ips = await self._host_addresses(host)
            if not ips:
                failures.append(f"{host}: no address")
                continue
            for ip in ips:
                if ip in self._dead:
                    failures.append(f"{host}: {self._dead[ip]}")
                    continue
                try:
                    await self._session(host, ip, pending, probe_pending, result)
                except _HostDown as exc:
                    if exc.dead:
                        self._dead[ip] = exc.reason
                    failures.append(f"{host}: {exc.reason}")
                    continue
                except _SessionBroken as exc:
                    failures.append(f"{host}: {exc}")
                    # got some answers: go on with the rest on the next host (or give up)
                if result.catch_all_probe is not None:
                    probe_pending = None
                pending = [a for a in pending if a not in result.outcomes]
                if not pending and probe_pending is None:
                    return result
        if failures:
            result.error = "no MX host answered: " + "; ".join(failures)
        elif not mx_hosts:
            result.error = "no MX host to ask"
        return result

    async def _session(
        self,
        host: str,
        ip: str,
        addresses: Sequence[str],
        catch_all_probe: str | None,
        result: SessionResult,
    ) -> None:
        cfg = self.config
        async with self._slot(ip):
            await self._rate.wait()
            self.sessions += 1
            client = SmtpClient(ip, cfg.smtp_port, cfg.timeout)
            try:
                await self._open(client, host)
                utf8 = any(not a.isascii() for a in addresses)
                todo = ([catch_all_probe] if catch_all_probe else []) + list(addresses)
                outcomes = await self._rcpts(client, host, todo, utf8)
                for rcpt, outcome in zip(todo, outcomes, strict=False):
                    if rcpt == catch_all_probe:
                        result.catch_all_probe = outcome
                    else:
                        result.outcomes[rcpt] = outcome
                if len(outcomes) < len(todo):
                    raise _SessionBroken("the server ended the session before answering")
                await client.quit()
            except (TimeoutError, SmtpDisconnected, SmtpProtocolError, OSError) as exc:
                raise _SessionBroken(_describe(exc, cfg.timeout)) from None
            finally:
                client.close()

    async def _open(self, client: SmtpClient, host: str) -> None:
        cfg = self.config
        try:
            greeting = await client.connect()
        except TimeoutError:
            raise _HostDown(f"no greeting within {cfg.timeout:g}s", dead=True) from None
        except (SmtpDisconnected, SmtpProtocolError) as exc:
            raise _HostDown(f"no proper greeting: {exc}", dead=False) from None
        except OSError as exc:
            raise _HostDown(_describe(exc, cfg.timeout), dead=True) from None
        if greeting.code != 220:
            # "421 4.7.0 Try again later, closing connection." / "554 5.7.1 ... blocked"
            raise _HostDown(f"greeting refused: {greeting}", dead=False)
        await self._hello(client)
        if cfg.starttls and client.supports("STARTTLS"):
            try:
                reply = await client.starttls(server_hostname=host)
            except (ssl.SSLError, OSError, TimeoutError, SmtpDisconnected) as exc:
                raise _HostDown(f"STARTTLS failed: {_describe(exc, cfg.timeout)}", False) from None
            if reply.code == 220:
                await self._hello(client)

    async def _hello(self, client: SmtpClient) -> None:
        reply = await client.hello(self.config.helo_name)
        if reply.code != 250:
            raise _HostDown(f"EHLO/HELO refused: {reply}", dead=False)

    def _mail_from(self, client: SmtpClient, utf8: bool) -> str:
        if utf8 and not client.supports("SMTPUTF8"):
            raise _HostDown("the server does not offer SMTPUTF8 for a non-ASCII address", False)
        return f"MAIL FROM:<{self.config.reverse_path}>" + (" SMTPUTF8" if utf8 else "")

    @staticmethod
    def _check_mail(reply: SmtpReply) -> None:
        if reply.code != 250:
            # "550 5.7.1 Sender rejected" / "553 5.1.8 Domain of sender address does not exist"
            raise _HostDown(f"MAIL FROM refused: {reply}", dead=False)

    async def _rcpts(
        self, client: SmtpClient, host: str, rcpts: list[str], utf8: bool
    ) -> list[RcptOutcome]:
        """MAIL FROM, then RCPT TO each address: all in one write when the server offers
        PIPELINING (RFC 2920), else one by one.

        "452 4.5.3 Too many recipients" (Postfix's smtpd_recipient_limit): the transaction is
        full; RSET, MAIL FROM again, and go on with the addresses not yet answered."""
        mail = self._mail_from(client, utf8)
        verdicts: dict[int, tuple[RcptVerdict, SmtpReply]] = {}
        pending = list(range(len(rcpts)))
        for attempt in range(MAX_TRANSACTIONS):
            if attempt:
                await client.command("RSET")
            lines = [f"RCPT TO:<{rcpts[i]}>" for i in pending]
            if client.supports("PIPELINING"):
                replies = await client.pipeline([mail, *lines])
                self._check_mail(replies.pop(0))
            else:
                self._check_mail(await client.command(mail))
                replies = []
                for line in lines:
                    replies.append(await client.command(line))
                    if classify_rcpt(replies[-1].code, replies[-1].text).verdict == TOO_MANY:
                        break
            full = []
            for i, reply in zip(pending, replies, strict=False):
                verdict = classify_rcpt(reply.code, reply.text)
                if verdict.verdict == TOO_MANY:
                    full.append(i)
                else:
                    verdicts[i] = (verdict, reply)
            left = full + pending[len(replies) :]
            if not left or len(left) == len(pending):  # done, or no progress at all
                for i in left:
                    verdicts[i] = (RcptVerdict("temporary"), replies[-1])
                break
            pending = left
        else:  # out of transactions: what is left stays unanswered
            for i in pending:
                verdicts[i] = (RcptVerdict("temporary"), SmtpReply(452, "too many recipients"))
        return [
            RcptOutcome(v.verdict, v.disabled, str(reply), host)
            for v, reply in (verdicts[i] for i in range(len(rcpts)))
        ]


def _describe(exc: BaseException, timeout: float) -> str:
    if isinstance(exc, ConnectionRefusedError):
        return "connection refused"
    if isinstance(exc, TimeoutError):
        return f"no answer within {timeout:g}s"
    if isinstance(exc, SmtpDisconnected):
        return "the server closed the connection"
    return (str(exc).strip() or type(exc).__name__)[:200]
