"""Benchmark: ``verify_emails`` with SMTP on 20,000 addresses over 2,000 domains.

    .venv/bin/python bench/bench_verify.py [--domains 2000] [--per-domain 10] [--latency 0.02]
        [--concurrency 100] [--per-host-limit 20] [--mx-hosts 20] [--naive-domains 50]

Servers, each in its own process, all on loopback:

* DNS: a dnslib server answering every query after ``--latency`` seconds (20 ms: a resolver
  on the network, not a cache).  Domain ``firm<i>.de`` has ``MX 10 mx<i % H>.bench-mx.de``;
  the H MX hosts (``--mx-hosts``) have A records 127.0.1.1 …, where shared hosting puts them.
* SMTP: a minimal asyncio SMTP responder per MX host address on one port (aiosmtpd costs
  ~7 ms of CPU per session: it would measure itself); it knows the addresses
  ``known<k>@firm<i>.de`` for even k and rejects the others with 550 5.1.1.

Each domain costs one MX lookup (+ one A lookup per MX host in the whole batch), one SMTP
session holding its catch-all probe and its ten RCPTs.

Figures printed:

* the measured time of the whole batch;
* the bound that the DNS latency and the configured concurrency allow with one lookup per
  domain: ceil(domains / concurrency) x latency (+ the MX hosts' own A lookups, once each);
* the CPU floor: the same batch against a DNS server without the added latency (client,
  DNS and SMTP servers share the machine's cores);
* a naive run, one address at a time (concurrency 1, a fresh verifier per address, so every
  address pays its own MX lookup, catch-all probe and session), measured on
  ``--naive-domains`` domains and extrapolated linearly to the whole batch (said so in the
  output).
"""

from __future__ import annotations

import argparse
import asyncio
import math
import multiprocessing as mp
import socket
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from enrichment.verify import VerifyConfig, verify_emails  # noqa: E402


def mx_ip(h: int) -> str:
    return f"127.0.1.{h + 1}"


def serve_dns(domains: int, mx_hosts: int, latency: float, q) -> None:
    from dnslib import MX, QTYPE, RCODE, RR, A
    from dnslib.server import BaseResolver, DNSLogger, DNSServer

    class Resolver(BaseResolver):
        def resolve(self, request, handler):
            time.sleep(latency)
            name = str(request.q.qname).rstrip(".").lower()
            qtype = QTYPE[request.q.qtype]
            reply = request.reply()
            if name.startswith("firm") and name.endswith(".de"):
                i = int(name[4:-3])
                if i < domains and qtype == "MX":
                    host = f"mx{i % mx_hosts}.bench-mx.de"
                    reply.add_answer(RR(request.q.qname, QTYPE.MX, rdata=MX(host, 10), ttl=60))
                return reply
            if name.startswith("mx") and name.endswith(".bench-mx.de"):
                if qtype == "A":
                    h = int(name[2:].split(".")[0])
                    reply.add_answer(RR(request.q.qname, QTYPE.A, rdata=A(mx_ip(h)), ttl=60))
                return reply
            reply.header.rcode = RCODE.NXDOMAIN
            return reply

    logger = DNSLogger(log="-request,-reply,-truncated,-error,-recv,-send,-data", prefix=False)
    server = DNSServer(Resolver(), address="127.0.0.1", port=0, logger=logger)
    server.start_thread()
    q.put(server.server.server_address[1])
    while True:
        time.sleep(3600)


class _Smtp(asyncio.Protocol):
    """A minimal SMTP responder (greeting, EHLO, MAIL, RCPT, RSET, QUIT): aiosmtpd costs
    ~7 ms of CPU per session, which would make the benchmark measure the server."""

    def connection_made(self, transport):
        self.t = transport
        self.buf = b""
        transport.write(b"220 mx.bench.invalid ESMTP\r\n")

    def data_received(self, data):
        self.buf += data
        while b"\r\n" in self.buf:
            line, self.buf = self.buf.split(b"\r\n", 1)
            verb = line[:4].upper()
            if verb == b"RCPT":
                local = line[8:].strip(b"<>").split(b"@")[0].decode()
                ok = local.startswith("known") and local[5:].isdigit() and int(local[5:]) % 2 == 0
                self.t.write(
                    b"250 2.1.5 Ok\r\n"
                    if ok
                    else b"550 5.1.1 Recipient address rejected: User unknown\r\n"
                )
            elif verb == b"EHLO":
                self.t.write(b"250-mx.bench.invalid\r\n250-PIPELINING\r\n250 8BITMIME\r\n")
            elif verb == b"QUIT":
                self.t.write(b"221 2.0.0 Bye\r\n")
                self.t.close()
                return
            else:  # MAIL, RSET, HELO, NOOP
                self.t.write(b"250 2.0.0 Ok\r\n")


def serve_smtp(mx_hosts: int, port: int, q) -> None:
    async def main():
        loop = asyncio.get_running_loop()
        for h in range(mx_hosts):
            await loop.create_server(_Smtp, host=mx_ip(h), port=port, backlog=1024)
        q.put("ready")
        await asyncio.Event().wait()

    asyncio.run(main())


def free_port(hosts) -> int:
    while True:
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
        try:
            for h in hosts:
                with socket.socket() as t:
                    t.bind((h, port))
            return port
        except OSError:
            continue


def addresses(domains: range, per_domain: int) -> list[str]:
    return [f"known{k}@firm{i}.de" for i in domains for k in range(per_domain)]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--domains", type=int, default=2000)
    ap.add_argument("--per-domain", type=int, default=10)
    ap.add_argument("--latency", type=float, default=0.02)
    ap.add_argument("--concurrency", type=int, default=100)
    ap.add_argument("--per-host-limit", type=int, default=20)
    ap.add_argument("--mx-hosts", type=int, default=20)
    ap.add_argument("--naive-domains", type=int, default=50)
    args = ap.parse_args()

    ctx = mp.get_context("spawn")
    q = ctx.Queue()
    dns = ctx.Process(
        target=serve_dns, args=(args.domains, args.mx_hosts, args.latency, q), daemon=True
    )
    dns.start()
    dns_port = q.get(timeout=30)
    smtp_port = free_port([mx_ip(h) for h in range(args.mx_hosts)])
    smtp = ctx.Process(target=serve_smtp, args=(args.mx_hosts, smtp_port, q), daemon=True)
    smtp.start()
    q.get(timeout=30)
    try:
        cfg = VerifyConfig(
            smtp=True,
            nameservers=(("127.0.0.1", dns_port),),
            smtp_port=smtp_port,
            timeout=10,
            concurrency=args.concurrency,
            per_host_limit=args.per_host_limit,
            rate_per_second=0,
        )
        emails = addresses(range(args.domains), args.per_domain)
        start = time.perf_counter()
        results = asyncio.run(verify_emails(emails, cfg))
        elapsed = time.perf_counter() - start
        by_status: dict[str, int] = {}
        for r in results:
            by_status[r.status] = by_status.get(r.status, 0) + 1
        expected = {"valid": len(emails) // 2, "invalid": len(emails) - len(emails) // 2}
        assert by_status == expected, by_status

        # the same batch against a DNS server without the added latency: what the CPU of this
        # machine allows (client, DNS server and SMTP servers share its cores)
        dns0 = ctx.Process(
            target=serve_dns, args=(args.domains, args.mx_hosts, 0.0, q), daemon=True
        )
        dns0.start()
        dns0_port = q.get(timeout=30)
        cfg0 = VerifyConfig(
            smtp=True,
            nameservers=(("127.0.0.1", dns0_port),),
            smtp_port=smtp_port,
            timeout=10,
            concurrency=args.concurrency,
            per_host_limit=args.per_host_limit,
            rate_per_second=0,
        )
        start = time.perf_counter()
        asyncio.run(verify_emails(emails, cfg0))
        floor = time.perf_counter() - start
        dns0.terminate()

        rounds = math.ceil(args.domains / args.concurrency)
        bound = rounds * args.latency + args.latency  # + the MX hosts' A lookups, in parallel
        # naive: one address at a time, each a batch of its own
        naive_cfg = VerifyConfig(
            smtp=True,
            nameservers=(("127.0.0.1", dns_port),),
            smtp_port=smtp_port,
            timeout=10,
            concurrency=1,
            rate_per_second=0,
        )
        subset = addresses(range(args.naive_domains), args.per_domain)

        async def naive():
            for e in subset:
                await verify_emails([e], naive_cfg)

        start = time.perf_counter()
        asyncio.run(naive())
        naive_subset = time.perf_counter() - start
        naive_full = naive_subset * len(emails) / len(subset)
    finally:
        dns.terminate()
        smtp.terminate()

    n = len(emails)
    print(
        f"verify_emails --smtp: {n:,} addresses on {args.domains:,} domains "
        f"({args.mx_hosts} MX hosts), DNS latency {args.latency * 1000:.0f} ms, "
        f"concurrency {args.concurrency}, per-host limit {args.per_host_limit}"
    )
    print(f"  measured:            {elapsed:8.2f} s  ({n / elapsed:,.0f} addresses/s)")
    print(
        f"  latency bound:       {bound:8.2f} s  (ceil({args.domains}/{args.concurrency}) x "
        f"{args.latency * 1000:.0f} ms + one round of MX-host A lookups)  -> "
        f"{elapsed / bound:.1f}x the bound"
    )
    print(
        f"  CPU floor:           {floor:8.2f} s  (the same batch with no DNS latency)  -> "
        f"{elapsed / max(bound, floor):.1f}x max(bound, floor)"
    )
    print(
        f"  naive, one at a time: {naive_full:7.1f} s  (measured {naive_subset:.2f} s on "
        f"{len(subset):,} addresses, extrapolated x{n / len(subset):.0f})  -> "
        f"{naive_full / elapsed:.0f}x slower"
    )
    print(f"  statuses: {by_status}")


if __name__ == "__main__":
    main()
