"""Email verification: syntax -> MX -> disposable/free/role -> SMTP, each a short stage with
its own details object, and one function mapping them to valid / invalid / risky / unknown.

Pure Python plus small async network clients (DNS, SMTP); no database: a :class:`DomainCache`
(``storage.domains.MailDomainCache`` in the CLI) keeps domain facts between batches.
"""

from enrichment.verify.batch import JSON_FIELDS, VerifyResult, verify_emails, verify_emails_sync
from enrichment.verify.cache import DomainCache, DomainFacts, MemoryDomainCache
from enrichment.verify.config import VerifyConfig
from enrichment.verify.status import STATUSES

__all__ = [
    "JSON_FIELDS",
    "STATUSES",
    "DomainCache",
    "DomainFacts",
    "MemoryDomainCache",
    "VerifyConfig",
    "VerifyResult",
    "verify_emails",
    "verify_emails_sync",
]
