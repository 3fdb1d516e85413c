"""Is the benchmark's server right, and fast enough not to be the bottleneck?

``check(proxy, urls)`` fetches each URL through the forward proxy (urllib) and returns the
failures.  ``raw_throughput(proxy, urls)`` measures requests per second with ``wrk`` (absolute
URIs in the request line, the way Scrapy talks to a proxy) when it is installed, else with a
small asyncio keep-alive client, which is itself slower than nginx and so gives a lower bound.
"""

from __future__ import annotations

import asyncio
import re
import shutil
import subprocess
import tempfile
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit


def check(proxy: str, urls: list[str]) -> list[str]:
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({"http": proxy}))
    problems = []
    for url in urls:
        try:
            with opener.open(url, timeout=10) as response:
                body = response.read()
                if response.status != 200 or not body:
                    problems.append(f"{url}: HTTP {response.status}, {len(body)} bytes")
                elif url.endswith("/") and b"<html" not in body[:200]:
                    problems.append(f"{url}: not an HTML page")
        except OSError as exc:
            problems.append(f"{url}: {exc}")
    return problems


_LUA = """
local paths = {%s}
local i = 0
request = function()
  i = i + 1
  return wrk.format("GET", paths[(i %% #paths) + 1])
end
"""


def _wrk(proxy: str, urls: list[str], seconds: int, connections: int) -> tuple[float, str]:
    quoted = ",".join(f'"{u}"' for u in urls)
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as f:
        f.write(_LUA % quoted)
    try:
        out = subprocess.run(
            ["wrk", "-t1", f"-c{connections}", f"-d{seconds}s", "-s", f.name, proxy + "/"],
            capture_output=True,
            text=True,
            timeout=seconds + 30,
        )
    finally:
        Path(f.name).unlink()
    m = re.search(r"Requests/sec:\s*([\d.]+)", out.stdout)
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out.stdout)
    if not m:
        raise RuntimeError(f"wrk gave no figure: {out.stdout[-500:]} {out.stderr[-500:]}")
    note = f"wrk -t1 -c{connections} {seconds}s"
    return float(m.group(1)), note + (f", {errors.group(1)} non-2xx" if errors else "")


async def _client(host: str, port: int, urls: list[str], until: float, counter: list[int]):
    reader, writer = await asyncio.open_connection(host, port)
    i = 0
    while time.monotonic() < until:
        url = urls[i % len(urls)]
        i += 1
        writer.write(f"GET {url} HTTP/1.1\r\nHost: {urlsplit(url).netloc}\r\n\r\n".encode())
        await writer.drain()
        headers = await reader.readuntil(b"\r\n\r\n")
        length = int(re.search(rb"(?i)content-length:\s*(\d+)", headers).group(1))
        await reader.readexactly(length)
        counter[0] += 1
    writer.close()


def _asyncio(proxy: str, urls: list[str], seconds: int, connections: int) -> tuple[float, str]:
    parts = urlsplit(proxy)
    counter = [0]

    async def run() -> None:
        until = time.monotonic() + seconds
        await asyncio.gather(
            *(_client(parts.hostname, parts.port, urls, until, counter) for _ in range(connections))
        )

    started = time.monotonic()
    asyncio.run(run())
    return counter[0] / (time.monotonic() - started), f"asyncio client, {connections} connections"


def raw_throughput(
    proxy: str, urls: list[str], *, seconds: int = 5, connections: int = 32
) -> tuple[float, str]:
    """(requests per second, how it was measured) over ``urls`` in turn."""
    if shutil.which("wrk"):
        return _wrk(proxy, urls, seconds, connections)
    return _asyncio(proxy, urls, seconds, connections)
