"""Verify a batch of addresses: syntax -> DNS -> disposable/free/role -> SMTP -> status.

The whole batch runs concurrently (``concurrency`` domains at once), so a slow or silent
server costs its own domain the timeout and nobody else anything.  Each domain is looked up
once and probed for catch-all once per batch, however many addresses it has; facts from the
cache that are younger than their TTL are not looked up at all.
"""

from __future__ import annotations

import asyncio
import logging
import secrets
import string
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from typing import Any

from enrichment.verify.cache import DomainCache, DomainFacts
from enrichment.verify.config import VerifyConfig
from enrichment.verify.misc import check_misc
from enrichment.verify.mx import OK, DnsDetails, check_dns, make_resolver
from enrichment.verify.mx import UNKNOWN as DNS_UNKNOWN
from enrichment.verify.replies import ACCEPTED, FULL, GREYLISTED, REJECTED
from enrichment.verify.smtp import RcptOutcome, SessionResult, SmtpProber
from enrichment.verify.status import decide_status
from enrichment.verify.syntax import check_syntax

__all__ = ["VerifyResult", "verify_emails", "verify_emails_sync"]

#: The fields of a result, in the order ``to_json`` gives them (the CLI's contract).
JSON_FIELDS = (
    "email",
    "normalized",
    "status",
    "syntax_ok",
    "mx_hosts",
    "catch_all",
    "disposable",
    "role",
    "free_provider",
    "greylisted",
    "full_inbox",
    "disabled",
    "reason",
)

Progress = Callable[[int, int], None]
log = logging.getLogger(__name__)


@dataclass(slots=True)
class VerifyResult:
    email: Any  # the input, exactly as given
    normalized: str | None
    status: str  # valid | invalid | risky | unknown
    syntax_ok: bool
    mx_hosts: list[str]
    catch_all: bool
    disposable: bool
    role: bool
    free_provider: bool
    greylisted: bool
    full_inbox: bool
    disabled: bool
    reason: str
    #: not in the JSON: when it was checked, and the server's reply to RCPT when there was one
    checked_at: datetime = field(default_factory=lambda: datetime.now(UTC).replace(microsecond=0))
    smtp_reply: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {name: getattr(self, name) for name in JSON_FIELDS}


def _random_local(length: int = 16) -> str:
    """A local part no one has: the catch-all probe's recipient."""
    alphabet = string.ascii_lowercase + string.digits
    return secrets.choice(string.ascii_lowercase) + "".join(
        secrets.choice(alphabet) for _ in range(length - 1)
    )


def _catch_all_from(outcome: RcptOutcome | None) -> bool | None:
    if outcome is None:
        return None
    if outcome.verdict == ACCEPTED:
        return True
    if outcome.verdict == REJECTED:
        return False
    return None  # greylisted, full (!), temporary, blocked: nothing learned


class _Batch:
    def __init__(
        self, config: VerifyConfig, facts: dict[str, DomainFacts], progress: Progress | None
    ) -> None:
        self.config = config
        self.facts = facts  # domain -> fresh facts (from the cache or found now)
        self.changed: dict[str, DomainFacts] = {}
        self.resolver = make_resolver(config)
        self.prober = SmtpProber(config, self.resolver) if config.smtp else None
        self.progress = progress
        self.total = 0
        self.done = 0
        self.now = datetime.now(UTC).replace(microsecond=0)
        self.dns_lookups = 0
        self.catch_all_probes = 0

    def tick(self, n: int) -> None:
        self.done += n
        if self.progress is not None:
            try:
                self.progress(self.done, self.total)
            except Exception:  # a display problem must not stop verification
                self.progress = None

    async def dns(self, domain: str) -> DnsDetails:
        facts = self.facts.get(domain) or DomainFacts(domain)
        if facts.has_dns:
            return DnsDetails(facts.mail_status, facts.mx_hosts, facts.dns_reason or "")
        self.dns_lookups += 1
        details = await check_dns(domain, self.resolver)
        if details.mail_status != DNS_UNKNOWN:  # a failure is not a fact: ask again next time
            facts = replace(
                facts,
                mail_status=details.mail_status,
                mx_hosts=details.mx_hosts,
                dns_reason=details.reason,
                dns_checked_at=self.now,
            )
            self.facts[domain] = self.changed[domain] = facts
        return details

    async def smtp(
        self, domain: str, mx_hosts: Sequence[str], addresses: list[str]
    ) -> tuple[dict[str, RcptOutcome], bool | None, str | None]:
        """(outcome per address, catch-all, why some addresses got no answer)."""
        assert self.prober is not None
        facts = self.facts.get(domain) or DomainFacts(domain)
        probe = None if facts.has_catch_all else f"{_random_local()}@{domain}"
        n = self.config.rcpt_per_session
        chunks = [addresses[i : i + n] for i in range(0, len(addresses), n)]
        # The first session alone: it finds the host that answers (a dead one is then skipped
        # by the others) and makes the domain's one catch-all probe.
        first = await self.prober.probe(mx_hosts, chunks[0], probe)
        if probe is not None:
            self.catch_all_probes += 1
        self.tick(len(chunks[0]))
        results: list[SessionResult] = [first]
        if first.outcomes or len(chunks) == 1:

            async def run(chunk: list[str]) -> SessionResult:
                res = await self.prober.probe(mx_hosts, chunk)
                missing = [a for a in chunk if a not in res.outcomes]
                if missing and res.outcomes:  # a dropped session: once more for the rest
                    again = await self.prober.probe(mx_hosts, missing)
                    res.outcomes.update(again.outcomes)
                    res.error = again.error
                self.tick(len(chunk))
                return res

            results += await asyncio.gather(*(run(c) for c in chunks[1:]))
        else:  # no host would talk: the other chunks would fare no better
            self.tick(sum(len(c) for c in chunks[1:]))
        outcomes: dict[str, RcptOutcome] = {}
        errors = []
        for res in results:
            outcomes.update(res.outcomes)
            if res.error:
                errors.append(res.error)
        if probe is not None:
            catch_all = _catch_all_from(first.catch_all_probe)
            if catch_all is not None:
                facts = replace(facts, catch_all=catch_all, catch_all_checked_at=self.now)
                self.facts[domain] = self.changed[domain] = facts
        else:
            catch_all = facts.catch_all
        error = errors[0] if errors else None
        if error is None and len(outcomes) < len(addresses):
            error = "the server ended the session before answering"
        return outcomes, catch_all, error


def _build(batch: _Batch, raw: Any, syntax, dns, misc, **smtp) -> VerifyResult:
    status, reason = decide_status(syntax, dns, misc, smtp=batch.config.smtp, **smtp)
    outcome: RcptOutcome | None = smtp.get("outcome")
    verdict = outcome.verdict if outcome else None
    facts = batch.facts.get(syntax.domain) if syntax.domain else None
    catch_all = smtp.get("catch_all")
    if catch_all is None and facts is not None:
        catch_all = facts.catch_all
    return VerifyResult(
        email=raw,
        normalized=syntax.normalized,
        status=status,
        syntax_ok=syntax.ok,
        mx_hosts=list(dns.mx_hosts) if dns else [],
        catch_all=catch_all is True,
        disposable=bool(misc and misc.disposable),
        role=bool(misc and misc.role),
        free_provider=bool(misc and misc.free_provider),
        greylisted=verdict == GREYLISTED,
        full_inbox=verdict == FULL,
        disabled=verdict == REJECTED and outcome.disabled,
        reason=reason,
        checked_at=batch.now,
        smtp_reply=outcome.reply if outcome else None,
    )


async def verify_emails(
    emails: Iterable[Any],
    config: VerifyConfig | None = None,
    cache: DomainCache | None = None,
    progress: Progress | None = None,
) -> list[VerifyResult]:
    """Verify every address; results in input order, one per input (bad input included).

    ``cache``: where domain facts (MX, catch-all) are read from and written back to.
    ``progress(done, total)`` is called as addresses are finished."""
    config = config or VerifyConfig()
    emails = list(emails)
    syntaxes = [check_syntax(e) for e in emails]
    # domain -> normalized address -> input positions (the same address is checked once)
    groups: dict[str, dict[str, list[int]]] = {}
    for i, s in enumerate(syntaxes):
        if s.ok:
            groups.setdefault(s.domain, {}).setdefault(s.normalized, []).append(i)
    facts: dict[str, DomainFacts] = {}
    batch = _Batch(config, facts, progress)
    if cache is not None and groups:
        try:
            cached = cache.get_many(sorted(groups))
        except Exception as exc:  # a broken cache costs lookups, not the batch
            log.warning("domain cache unreadable, looking everything up: %s", exc)
            cached = {}
        for domain, value in cached.items():
            f = DomainFacts.coerce(value).fresh(batch.now, config.dns_ttl, config.catch_all_ttl)
            facts[domain] = f
    batch.total = sum(len(g) for g in groups.values())
    results: list[VerifyResult | None] = [None] * len(emails)
    for i, s in enumerate(syntaxes):
        if not s.ok:
            results[i] = _build(batch, emails[i], s, None, None)
    slots = asyncio.Semaphore(config.concurrency)

    async def one_domain(domain: str, addresses: dict[str, list[int]]) -> None:
        async with slots:
            dns = await batch.dns(domain)
            outcomes: dict[str, RcptOutcome] = {}
            catch_all = error = None
            if config.smtp and dns.mail_status == OK:
                outcomes, catch_all, error = await batch.smtp(domain, dns.mx_hosts, list(addresses))
            else:
                batch.tick(len(addresses))
            for address, positions in addresses.items():
                misc = check_misc(address, domain)
                for i in positions:
                    kw = {}
                    if config.smtp and dns.mail_status == OK:
                        kw = {
                            "outcome": outcomes.get(address),
                            "catch_all": catch_all,
                            "smtp_error": error,
                        }
                    results[i] = _build(batch, emails[i], syntaxes[i], dns, misc, **kw)

    await asyncio.gather(*(one_domain(d, a) for d, a in groups.items()))
    if cache is not None and batch.changed:
        try:
            cache.put_many(list(batch.changed.values()))
        except Exception as exc:  # the results are still good
            log.warning("domain cache not updated: %s", exc)
    out = [r for r in results if r is not None]
    assert len(out) == len(emails)
    return out


def verify_emails_sync(
    emails: Iterable[Any],
    config: VerifyConfig | None = None,
    cache: DomainCache | None = None,
    progress: Progress | None = None,
) -> list[VerifyResult]:
    """:func:`verify_emails` for code that has no event loop running."""
    return asyncio.run(verify_emails(emails, config, cache, progress))
