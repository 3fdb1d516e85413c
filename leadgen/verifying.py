"""``leadgen verify``: a thin shell over ``enrichment.verify.verify_emails`` with the domain
cache in the database (``storage.domains.MailDomainCache``); registered on the main Typer app
by ``leadgen.cli``."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Annotated

import typer

from leadgen.cli import _engine, _fail, app, err, out

STATUS_STYLE = {"valid": "green", "invalid": "red", "risky": "yellow", "unknown": "dim"}
FLAG_NAMES = ("catch_all", "disposable", "role", "free_provider", "greylisted", "full_inbox")


def parse_nameserver(text: str) -> tuple[str, int]:
    """``HOST``, ``HOST:PORT`` or ``[IPv6]:PORT`` → (host, port); port 53 by default."""
    s = text.strip()
    if not s:
        raise ValueError("empty nameserver")
    if s.startswith("["):
        host, _, rest = s[1:].partition("]")
        port = rest[1:] if rest.startswith(":") else ""
    elif s.count(":") == 1:
        host, port = s.split(":")
    else:  # a bare IPv6 address or a host
        host, port = s, ""
    if not host:
        raise ValueError(f"nameserver {text!r}: no host")
    if port and (not port.isdigit() or not 0 < int(port) < 65536):
        raise ValueError(f"nameserver {text!r}: the port must be 1-65535")
    return host, int(port) if port else 53


def _read_file(path: Path) -> list[str]:
    if str(path) == "-":
        lines = sys.stdin.read().splitlines()
    else:
        if not path.is_file():
            _fail(f"{path}: no such file", 2)
        lines = path.read_text(encoding="utf-8-sig", errors="replace").splitlines()
    # one address per line; a CSV's first column; blank lines and # comments skipped
    out_lines = []
    for line in lines:
        s = line.strip()
        if not s or s.startswith("#"):
            continue
        out_lines.append(s.split(",")[0].split(";")[0].strip() if "@" in s else s)
    return out_lines


NameserverOption = Annotated[
    list[str] | None,
    typer.Option(
        "--nameserver",
        help="DNS server HOST[:PORT] (repeatable; env LEADGEN_NAMESERVERS, comma-separated; "
        "default: the system's).",
    ),
]
SmtpPortOption = Annotated[
    int,
    typer.Option(envvar="LEADGEN_SMTP_PORT", help="Port of the MX hosts (25 on the internet)."),
]
TimeoutOption = Annotated[
    float, typer.Option(help="Seconds for each network step (DNS lookup, connect, command).")
]
HeloOption = Annotated[
    str, typer.Option(envvar="LEADGEN_HELO_NAME", help="Name given in EHLO (use your FQDN).")
]
MailFromOption = Annotated[
    str | None,
    typer.Option(
        envvar="LEADGEN_MAIL_FROM", help="Reverse path for MAIL FROM (default postmaster@HELO)."
    ),
]


def verify_config(
    *,
    smtp: bool,
    nameserver: list[str] | None,
    smtp_port: int,
    timeout: float,
    helo: str,
    mail_from: str | None,
    **more,
):
    """The ``VerifyConfig`` of the shared options (``--nameserver`` else LEADGEN_NAMESERVERS);
    a bad value exits with a usage error naming it."""
    from enrichment.verify import VerifyConfig

    raw_ns = list(nameserver or [])
    if not raw_ns and os.environ.get("LEADGEN_NAMESERVERS"):
        raw_ns = os.environ["LEADGEN_NAMESERVERS"].replace(",", " ").split()
    try:
        nameservers = [parse_nameserver(n) for n in raw_ns] or None
        return VerifyConfig(
            smtp=smtp,
            nameservers=tuple(nameservers) if nameservers else None,
            smtp_port=smtp_port,
            timeout=timeout,
            helo_name=helo,
            mail_from=mail_from,
            **more,
        )
    except ValueError as exc:
        _fail(str(exc), 2)


@app.command(
    "verify",
    epilog=(
        "Examples: leadgen verify ivan.petrov@stroymontazh-kzn.ru info@beispiel-bau.de  |  "
        "leadgen verify --smtp --json anna@firma.de  |  "
        "leadgen verify --file emails.txt --smtp --helo mail.example.org "
        "--mail-from verify@example.org --json > checked.json  |  "
        "leadgen verify a@b.de --smtp --nameserver 127.0.0.1:5353 --smtp-port 2525"
    ),
)
def verify_cmd(
    emails: Annotated[
        list[str] | None, typer.Argument(help="Addresses to check (or use --file).")
    ] = None,
    file: Annotated[
        Path | None,
        typer.Option(
            "--file", "-f", help="Addresses, one per line ('-' reads stdin; # lines skipped)."
        ),
    ] = None,
    smtp: Annotated[
        bool,
        typer.Option(
            "--smtp",
            help="Ask the mail servers (RCPT TO, never DATA); without it only syntax and DNS.",
        ),
    ] = False,
    nameserver: NameserverOption = None,
    smtp_port: SmtpPortOption = 25,
    timeout: TimeoutOption = 10.0,
    helo: HeloOption = "localhost",
    mail_from: MailFromOption = None,
    concurrency: Annotated[int, typer.Option(help="Domains checked at once.")] = 100,
    per_host_limit: Annotated[int, typer.Option(help="SMTP sessions at once per MX host.")] = 4,
    rate: Annotated[
        float, typer.Option(help="New SMTP sessions per second in all (0: no limit).")
    ] = 20.0,
    no_cache: Annotated[
        bool,
        typer.Option("--no-cache", help="Neither read nor write the domain cache in the database."),
    ] = False,
    as_json: Annotated[
        bool, typer.Option("--json", help="Print a JSON array, one object per address per line.")
    ] = False,
) -> None:
    """Verify email addresses: syntax, MX, disposable / free / role, and with --smtp the mailbox.

    Status: **valid** (mailbox accepted, domain not catch-all), **invalid** (bad syntax, the
    domain takes no mail, or the mailbox is refused), **risky** (catch-all, full mailbox,
    disposable domain), **unknown** (greylisted, timeouts, DNS failure, no server reachable;
    and every deliverable-looking address without --smtp).  Domain facts (MX, catch-all) are
    cached in the database (mail_domains) for a day and a week.
    """
    from enrichment.verify import verify_emails_sync
    from leadgen.progress import progress

    addresses = list(emails or [])
    if file is not None:
        addresses += _read_file(file)
    if not addresses:
        _fail("no addresses: give EMAIL… or --file FILE", 2)
    config = verify_config(
        smtp=smtp,
        nameserver=nameserver,
        smtp_port=smtp_port,
        timeout=timeout,
        helo=helo,
        mail_from=mail_from,
        concurrency=concurrency,
        per_host_limit=per_host_limit,
        rate_per_second=rate,
    )
    cache = None
    if not no_cache:
        try:
            from storage.domains import MailDomainCache

            cache = MailDomainCache(
                _engine(), dns_ttl=config.dns_ttl, catch_all_ttl=config.catch_all_ttl
            )
        except Exception as exc:  # a broken database must not stop a check
            err.print(
                f"[yellow]warning:[/] no domain cache ({type(exc).__name__}: {exc}); going on "
                "without it",
                highlight=False,
            )
    with progress(err, "verifying", "addresses") as update:
        results = verify_emails_sync(
            addresses, config, cache, update if len(addresses) > 1 else None
        )
    if as_json:
        lines = [json.dumps(r.to_json(), ensure_ascii=False) for r in results]
        print("[\n" + ",\n".join(lines) + "\n]")
        return
    _print_table(results)


def _print_table(results) -> None:
    from collections import Counter

    from rich.table import Table

    t = Table(show_lines=False)
    for col in ("email", "status", "MX", "flags", "reason"):
        t.add_column(col, overflow="fold")
    for r in results:
        flags = [f.replace("_", " ") for f in (*FLAG_NAMES, "disabled") if getattr(r, f)]
        style = STATUS_STYLE.get(r.status, "")
        t.add_row(
            str(r.email),
            f"[{style}]{r.status}[/]" if style else r.status,
            ", ".join(r.mx_hosts[:2]) + (" …" if len(r.mx_hosts) > 2 else ""),
            ", ".join(flags),
            r.reason,
        )
    out.print(t)
    counts = Counter(r.status for r in results)
    err.print(
        ", ".join(f"{counts[s]} {s}" for s in ("valid", "invalid", "risky", "unknown")),
        highlight=False,
    )


__all__ = ["parse_nameserver", "verify_cmd"]
