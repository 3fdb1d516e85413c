"""Stage 3: what the address and its domain say by themselves: disposable, free, role.

* disposable: the ``disposable-email-domains`` package's block list (a subdomain of a listed
  domain counts too: ``x.mailinator.com``);
* free provider: ``enrichment/data/free_email_providers.txt`` (its header names its sources);
* role account: the project's one list of role mailboxes (RFC 2142 and the role boxes seen on
  Russian, German and English contact pages), via :func:`enrichment.normalize.emails` .
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from disposable_email_domains import blocklist

from enrichment.normalize.emails import normalize_email

__all__ = ["MiscDetails", "check_misc", "is_disposable", "is_free_provider"]


@dataclass(frozen=True, slots=True)
class MiscDetails:
    disposable: bool
    free_provider: bool
    role: bool


@lru_cache(maxsize=1)
def _free_providers() -> frozenset[str]:
    text = (
        resources.files("enrichment")
        .joinpath("data/free_email_providers.txt")
        .read_text(encoding="utf-8")
    )
    return frozenset(
        line.strip().lower() for line in text.splitlines() if line.strip() and line[0] != "#"
    )


def _suffixes(domain: str):
    labels = domain.lower().rstrip(".").split(".")
    for i in range(len(labels) - 1):
        yield ".".join(labels[i:])


def is_disposable(domain: str) -> bool:
    return any(d in blocklist for d in _suffixes(domain))


def is_free_provider(domain: str) -> bool:
    # exact: a company may run mail on a subdomain of anything
    return domain.lower().rstrip(".") in _free_providers()


def check_misc(normalized: str, domain: str) -> MiscDetails:
    return MiscDetails(
        disposable=is_disposable(domain),
        free_provider=is_free_provider(domain),
        role=normalize_email(normalized).is_role,
    )
