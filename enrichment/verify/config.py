"""The verification stage's one frozen configuration object."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta

__all__ = ["VerifyConfig"]


@dataclass(frozen=True, slots=True)
class VerifyConfig:
    """How to verify: which servers to ask, how hard, and how long answers stay good.

    ``timeout`` bounds every network step: one DNS lookup (all its retries), the SMTP connect
    and greeting, and each SMTP command.  ``concurrency`` is how many domains are checked at
    once; ``per_host_limit`` how many SMTP sessions one MX host gets at once;
    ``rate_per_second`` how many SMTP sessions may open per second in all (0: no limit).
    """

    smtp: bool = False
    #: DNS servers as (host, port); None: the system's resolver configuration.
    nameservers: tuple[tuple[str, int], ...] | None = None
    smtp_port: int = 25
    timeout: float = 10.0
    #: The name given in EHLO; a real prober needs a name whose A and PTR records match its IP.
    helo_name: str = "localhost"
    #: The reverse path in MAIL FROM; None: postmaster@<helo_name>.
    mail_from: str | None = None
    concurrency: int = 100
    per_host_limit: int = 4
    rate_per_second: float = 20.0
    #: Recipients tried in one SMTP session (RFC 5321 4.5.3.1.8: servers take at least 100).
    rcpt_per_session: int = 50
    starttls: bool = True
    dns_ttl: timedelta = field(default=timedelta(days=1))
    catch_all_ttl: timedelta = field(default=timedelta(days=7))

    def __post_init__(self) -> None:
        problems = []
        if self.timeout <= 0:
            problems.append(f"timeout must be > 0 seconds, not {self.timeout}")
        if not 0 < self.smtp_port < 65536:
            problems.append(f"smtp_port must be 1-65535, not {self.smtp_port}")
        for name in ("concurrency", "per_host_limit", "rcpt_per_session"):
            if getattr(self, name) < 1:
                problems.append(f"{name} must be at least 1, not {getattr(self, name)}")
        if self.rate_per_second < 0:
            problems.append(f"rate_per_second must be >= 0, not {self.rate_per_second}")
        if not self.helo_name or any(c.isspace() for c in self.helo_name):
            problems.append(f"helo_name must be a host name, not {self.helo_name!r}")
        if self.nameservers is not None:
            if isinstance(self.nameservers, list):
                object.__setattr__(self, "nameservers", tuple(map(tuple, self.nameservers)))
            for entry in self.nameservers:
                if len(entry) != 2 or not isinstance(entry[1], int) or not 0 < entry[1] < 65536:
                    problems.append(f"nameserver must be (host, port), not {entry!r}")
        if problems:
            raise ValueError("; ".join(problems))

    @property
    def reverse_path(self) -> str:
        return self.mail_from if self.mail_from is not None else f"postmaster@{self.helo_name}"
