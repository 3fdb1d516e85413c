"""Stage 2: can the domain receive mail?  MX records through dnspython's async resolver.

* MX records, best (lowest preference) first, host names without the trailing dot;
* no MX but an A or AAAA record: the domain itself is the implicit MX (RFC 5321 section 5.1);
* a null MX, ``0 .`` (RFC 7505): the domain says it accepts no mail;
* NXDOMAIN: the domain does not exist;
* SERVFAIL, REFUSED, timeouts: nothing is known (``unknown``), and nothing is cached.
"""

from __future__ import annotations

from dataclasses import dataclass

import dns.asyncresolver
import dns.exception
import dns.name
import dns.nameserver
import dns.rdatatype
import dns.resolver

from enrichment.verify.config import VerifyConfig

__all__ = ["DnsDetails", "check_dns", "make_resolver", "resolve_host"]

#: ``mail_status`` values (the ``mail_domains`` table's MAIL_STATUSES).
OK, NULL_MX, NXDOMAIN, NO_HOST, UNKNOWN = "ok", "null_mx", "nxdomain", "no_host", "unknown"
#: A domain with one of these cannot receive mail: its addresses are invalid.
CANNOT_RECEIVE = frozenset({NULL_MX, NXDOMAIN, NO_HOST})


@dataclass(frozen=True, slots=True)
class DnsDetails:
    mail_status: str  # ok | null_mx | nxdomain | no_host | unknown
    mx_hosts: tuple[str, ...]
    reason: str
    implicit_mx: bool = False


def make_resolver(config: VerifyConfig) -> dns.asyncresolver.Resolver:
    """A resolver asking ``config.nameservers`` (or the system's), each query bounded by
    ``config.timeout``."""
    if config.nameservers is None:
        resolver = dns.asyncresolver.Resolver()
    else:
        resolver = dns.asyncresolver.Resolver(configure=False)
        ports = {port for _, port in config.nameservers}
        resolver.nameservers = [host for host, _ in config.nameservers]
        if len(ports) == 1:
            resolver.port = ports.pop()
        else:  # one port per server: dnspython's nameserver objects carry their own
            resolver.nameservers = [
                dns.nameserver.Do53Nameserver(host, port) for host, port in config.nameservers
            ]
    resolver.lifetime = config.timeout
    resolver.timeout = min(config.timeout, max(config.timeout / 3, 0.5))
    resolver.cache = None  # the verifier caches per domain itself, with its own TTL
    return resolver


def _mx_hosts(answer) -> tuple[tuple[str, ...], bool]:
    """(hosts best first, is a null MX)."""
    records = sorted(
        ((r.preference, r.exchange.to_text(omit_final_dot=True).lower()) for r in answer),
        key=lambda pr: pr,
    )
    hosts = tuple(dict.fromkeys(h for _, h in records if h and h != "."))
    if not hosts and any(h in ("", ".") for _, h in records):
        return (), True
    return hosts, False


async def _has_address(resolver, domain: str) -> bool | None:
    """True/False when DNS says so; None when it could not answer."""
    failed = False
    for rdtype in ("A", "AAAA"):
        try:
            await resolver.resolve(domain, rdtype, search=False)
            return True
        except (dns.resolver.NoAnswer, dns.resolver.NXDOMAIN):
            continue
        except (dns.exception.Timeout, dns.resolver.NoNameservers, dns.exception.DNSException):
            failed = True
    return None if failed else False


async def check_dns(domain: str, resolver: dns.asyncresolver.Resolver) -> DnsDetails:
    """Look up how ``domain`` (ASCII) takes mail; never raises for DNS trouble."""
    try:
        answer = await resolver.resolve(domain, "MX", search=False)
    except dns.resolver.NXDOMAIN:
        return DnsDetails(NXDOMAIN, (), f"the domain {domain} does not exist (NXDOMAIN)")
    except dns.resolver.NoAnswer:
        has = await _has_address(resolver, domain)
        if has is None:
            return DnsDetails(UNKNOWN, (), f"no MX for {domain}, and its A/AAAA lookup failed")
        if has:
            return DnsDetails(
                OK, (domain,), f"no MX; {domain} has an address: implicit MX (RFC 5321)", True
            )
        return DnsDetails(NO_HOST, (), f"{domain} has no MX and no A/AAAA record")
    except dns.exception.Timeout:
        return DnsDetails(UNKNOWN, (), f"DNS timeout looking up the MX of {domain}")
    except dns.resolver.NoNameservers as exc:
        return DnsDetails(UNKNOWN, (), f"DNS server failure for {domain} ({_rcodes(exc)})")
    except (dns.exception.DNSException, OSError, ValueError) as exc:
        return DnsDetails(UNKNOWN, (), f"DNS error for {domain}: {type(exc).__name__}")
    hosts, null = _mx_hosts(answer)
    if null:
        return DnsDetails(NULL_MX, (), f"{domain} publishes a null MX (RFC 7505): it takes no mail")
    return DnsDetails(OK, hosts, f"MX: {', '.join(hosts)}")


def _rcodes(exc: dns.resolver.NoNameservers) -> str:
    text = str(exc)
    for code in ("SERVFAIL", "REFUSED", "NOTIMP", "FORMERR"):
        if code in text:
            return code
    return "no server answered"


async def resolve_host(host: str, resolver: dns.asyncresolver.Resolver) -> list[str]:
    """The addresses of an MX host: its IPv4 addresses, or when it has none its IPv6 ones;
    [] when it has neither or DNS failed."""
    try:
        dns.name.from_text(host)
    except dns.exception.DNSException:
        return []
    out: list[str] = []
    for rdtype in ("A", "AAAA"):
        try:
            answer = await resolver.resolve(host, rdtype, search=False)
        except (TimeoutError, dns.exception.DNSException, OSError):
            continue
        out.extend(r.to_text() for r in answer)
        if out:
            break
    return out
