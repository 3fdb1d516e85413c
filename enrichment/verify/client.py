"""A small asyncio SMTP client for probing: connect, EHLO/HELO, STARTTLS, commands, and
pipelined commands (RFC 2920), every read bounded by a timeout.

Why not aiosmtplib: it reads one reply per command and cannot pipeline, so a session of 50
``RCPT TO`` costs 50 round trips; with PIPELINING (offered by Postfix, Exim, Exchange, Gmail)
it costs one.  Nothing here can send DATA.
"""

from __future__ import annotations

import asyncio
import ssl
from typing import NamedTuple

__all__ = ["SmtpClient", "SmtpDisconnected", "SmtpProtocolError", "SmtpReply"]

MAX_LINE = 8192
MAX_LINES = 200


class SmtpReply(NamedTuple):
    code: int
    text: str

    def __str__(self) -> str:
        return f"{self.code} {self.text}".strip()


class SmtpDisconnected(ConnectionError):
    """The server closed the connection."""


class SmtpProtocolError(Exception):
    """The server sent something that is not an SMTP reply."""


def _tls_context() -> ssl.SSLContext:
    # A prober sends no mail: an MX certificate that does not match (common) is no reason to
    # give up, and STARTTLS is used only because some servers talk to nobody without it.
    ctx = ssl.create_default_context()
    ctx.check_hostname = False
    ctx.verify_mode = ssl.CERT_NONE
    return ctx


class SmtpClient:
    def __init__(self, address: str, port: int, timeout: float) -> None:
        self.address = address
        self.port = port
        self.timeout = timeout
        self.extensions: set[str] = set()
        self.tls = False
        self._reader: asyncio.StreamReader | None = None
        self._buf = bytearray()
        self._writer: asyncio.StreamWriter | None = None

    async def connect(self) -> SmtpReply:
        """Open the connection and read the greeting (TimeoutError when none comes)."""
        self._reader, self._writer = await asyncio.wait_for(
            asyncio.open_connection(self.address, self.port), self.timeout
        )
        return await self.read_reply()

    async def _line(self) -> bytes:
        """The next reply line; waits (at most ``timeout``) only when none is buffered, so the
        replies to a pipelined group cost one read, not one per line."""
        assert self._reader is not None
        while True:
            end = self._buf.find(b"\n")
            if end >= 0:
                line = bytes(self._buf[: end + 1])
                del self._buf[: end + 1]
                return line
            if len(self._buf) > MAX_LINE:
                raise SmtpProtocolError("reply line too long")
            async with asyncio.timeout(self.timeout):  # cheaper than wait_for: no task
                chunk = await self._reader.read(65536)
            if not chunk:
                raise SmtpDisconnected("the server closed the connection")
            self._buf += chunk

    async def read_reply(self) -> SmtpReply:
        lines: list[str] = []
        while True:
            line = (await self._line()).decode("utf-8", "replace").rstrip("\r\n")
            if len(line) < 3 or not line[:3].isdigit() or line[3:4] not in ("", " ", "-"):
                raise SmtpProtocolError(f"not an SMTP reply: {line[:80]!r}")
            lines.append(line[4:])
            if line[3:4] != "-":
                return SmtpReply(int(line[:3]), "\n".join(lines).strip())
            if len(lines) > MAX_LINES:
                raise SmtpProtocolError("reply too long")

    def _write(self, data: bytes) -> None:
        if self._writer is None or self._writer.is_closing():
            raise SmtpDisconnected("not connected")
        self._writer.write(data)

    async def command(self, line: str | bytes) -> SmtpReply:
        return (await self.pipeline([line]))[0]

    async def pipeline(self, lines: list[str | bytes]) -> list[SmtpReply]:
        """Send the commands at once, then read one reply each (RFC 2920)."""
        encoded = [x.encode() if isinstance(x, str) else x for x in lines]
        if any(b"\r" in x or b"\n" in x for x in encoded):
            raise ValueError("a command may not contain CR or LF")
        data = b"".join(x + b"\r\n" for x in encoded)
        self._write(data)
        assert self._writer is not None
        async with asyncio.timeout(self.timeout):
            await self._writer.drain()
        return [await self.read_reply() for _ in lines]

    async def hello(self, name: str) -> SmtpReply:
        """EHLO, or HELO when EHLO is refused; the extensions are remembered."""
        reply = await self.command(f"EHLO {name}")
        if reply.code == 250:
            self.extensions = {
                ln.split()[0].upper() for ln in reply.text.splitlines()[1:] if ln.split()
            }
            return reply
        reply = await self.command(f"HELO {name}")
        self.extensions = set()
        return reply

    async def starttls(self, server_hostname: str | None) -> SmtpReply:
        reply = await self.command("STARTTLS")
        if reply.code != 220:
            return reply
        assert self._writer is not None
        self._buf.clear()  # nothing may come before the handshake (RFC 3207)
        await asyncio.wait_for(
            self._writer.start_tls(_tls_context(), server_hostname=server_hostname),
            self.timeout,
        )
        self.tls = True
        return reply

    def supports(self, extension: str) -> bool:
        return extension.upper() in self.extensions

    async def quit(self) -> None:
        try:
            await self.command("QUIT")
        except (OSError, TimeoutError, SmtpDisconnected, SmtpProtocolError, ValueError):
            pass

    def close(self) -> None:
        if self._writer is not None:
            self._writer.close()
            self._writer = None
