"""Stage 4: ask the domain's mail servers whether they take mail for the addresses.

One session per batch of addresses on a domain: connect (MX hosts in priority order, the next
when one is down), EHLO with the configured name, STARTTLS when offered, MAIL FROM the
configured reverse path, ``RCPT TO`` each address, RSET/QUIT.  DATA is never sent, so no mail
is ever delivered.  Every step has the configured timeout; the sessions to one MX host are
limited (``per_host_limit``), and new sessions open at no more than ``rate_per_second``.
"""

from __future__ import annotations

import asyncio
import ssl
import time
from collections.abc import Sequence
from dataclasses import dataclass, field

import aiosmtplib

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
            smtp = aiosmtplib.SMTP(
                hostname=ip,
                port=cfg.smtp_port,
                timeout=cfg.timeout,
                local_hostname=cfg.helo_name,
                start_tls=False,
                validate_certs=False,
            )
            try:
                await self._open(smtp, host)
                utf8 = any(not a.isascii() for a in addresses)
                await self._mail_from(smtp, utf8)
                todo = ([catch_all_probe] if catch_all_probe else []) + list(addresses)
                for rcpt in todo:
                    outcome = await self._rcpt(smtp, host, rcpt, utf8)
                    if rcpt == catch_all_probe:
                        result.catch_all_probe = outcome
                    else:
                        result.outcomes[rcpt] = outcome
                try:
                    await smtp.quit(timeout=cfg.timeout)
                except (TimeoutError, aiosmtplib.SMTPException, OSError):
                    pass
            except (aiosmtplib.SMTPServerDisconnected, aiosmtplib.SMTPTimeoutError) as exc:
                raise _SessionBroken(_describe(exc, cfg.timeout)) from None
            except (aiosmtplib.SMTPException, OSError, ssl.SSLError) as exc:
                raise _SessionBroken(_describe(exc, cfg.timeout)) from None
            finally:
                smtp.close()

    async def _open(self, smtp: aiosmtplib.SMTP, host: str) -> None:
        cfg = self.config
        try:
            await smtp.connect()
        except aiosmtplib.SMTPConnectTimeoutError:
            raise _HostDown(f"no greeting within {cfg.timeout:g}s", dead=True) from None
        except aiosmtplib.SMTPConnectResponseError as exc:
            # "421 4.7.0 Try again later, closing connection." / "554 5.7.1 ... blocked"
            raise _HostDown(f"greeting refused: {exc.code} {exc.message}", dead=False) from None
        except (aiosmtplib.SMTPConnectError, OSError) as exc:
            raise _HostDown(_describe(exc, cfg.timeout), dead=True) from None
        await self._hello(smtp)
        if cfg.starttls and smtp.supports_extension("starttls"):
            try:
                await smtp.starttls(validate_certs=False, server_hostname=host)
            except (aiosmtplib.SMTPException, ssl.SSLError, OSError) as exc:
                raise _HostDown(f"STARTTLS failed: {_describe(exc, cfg.timeout)}", False) from None
            await self._hello(smtp)

    async def _hello(self, smtp: aiosmtplib.SMTP) -> None:
        try:
            await smtp.ehlo(hostname=self.config.helo_name)
        except aiosmtplib.SMTPHeloError:
            try:
                await smtp.helo(hostname=self.config.helo_name)
            except aiosmtplib.SMTPHeloError as exc:
                raise _HostDown(f"EHLO/HELO refused: {exc.code} {exc.message}", False) from None

    async def _mail_from(self, smtp: aiosmtplib.SMTP, utf8: bool) -> None:
        if utf8 and not smtp.supports_extension("smtputf8"):
            raise _HostDown("the server does not offer SMTPUTF8 for a non-ASCII address", False)
        args = [b"FROM:" + _path(self.config.reverse_path)]
        if utf8:
            args.append(b"SMTPUTF8")
        resp = await smtp.execute_command(b"MAIL", *args)
        if resp.code != 250:
            # "550 5.7.1 Sender rejected" / "553 5.1.8 Domain of sender address does not exist"
            raise _HostDown(f"MAIL FROM refused: {_reply(resp)}", dead=False)

    async def _rcpt(self, smtp: aiosmtplib.SMTP, host: str, rcpt: str, utf8: bool) -> RcptOutcome:
        resp = await smtp.execute_command(b"RCPT", b"TO:" + _path(rcpt))
        verdict = classify_rcpt(resp.code, resp.message)
        if verdict.verdict == TOO_MANY:
            # "452 4.5.3 Too many recipients": a new transaction, then the same RCPT once more
            await smtp.execute_command(b"RSET")
            await self._mail_from(smtp, utf8)
            resp = await smtp.execute_command(b"RCPT", b"TO:" + _path(rcpt))
            verdict = classify_rcpt(resp.code, resp.message)
            if verdict.verdict == TOO_MANY:
                verdict = RcptVerdict("temporary")
        return RcptOutcome(verdict.verdict, verdict.disabled, _reply(resp), host)


def _describe(exc: BaseException, timeout: float) -> str:
    text = str(exc)
    cause = exc.__cause__ or exc.__context__
    if (
        isinstance(exc, ConnectionRefusedError)
        or isinstance(cause, ConnectionRefusedError)
        or "Errno 111" in text
        or "refused" in text.lower()
    ):
        return "connection refused"
    if isinstance(exc, aiosmtplib.SMTPTimeoutError | asyncio.TimeoutError | TimeoutError):
        return f"no answer within {timeout:g}s"
    if isinstance(exc, aiosmtplib.SMTPServerDisconnected):
        return "the server closed the connection"
    return (text.strip() or type(exc).__name__)[:200]
