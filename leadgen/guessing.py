"""``leadgen guess``: a thin shell over ``enrichment.patterns.guess`` (registered on the main
Typer app by ``leadgen.cli``).  No database, no network."""

from __future__ import annotations

import json
from typing import Annotated

import typer

from leadgen.cli import _fail, app, err, out


def _known_pairs(values: list[str]) -> list[tuple[str, str]]:
    pairs = []
    for value in values:
        name, sep, email = value.rpartition("=")
        if not sep or not name.strip() or "@" not in email:
            err.print(
                f'[yellow]skipped --known {value!r}[/]: expected "Full Name=email", e.g. '
                '--known "Anna Berg=a.berg@example.de"',
                highlight=False,
            )
            continue
        pairs.append((name.strip(), email.strip()))
    return pairs


@app.command(
    "guess",
    epilog=(
        'Examples: leadgen guess --domain example.de --name "Jürgen Müller" '
        '--known "Anna Berg=a.berg@example.de" --json  |  '
        'leadgen guess --domain romashka.ru --name "Юлия Щербакова" '
        '--known "Дмитрий Ильин=dmitrii.ilin@romashka.ru" --limit 5'
    ),
)
def guess_cmd(
    domain: Annotated[str, typer.Option(help="The company's mail domain (or website URL).")],
    name: Annotated[str, typer.Option(help='The person\'s full name, e.g. "Иванов Иван".')],
    known: Annotated[
        list[str] | None,
        typer.Option(
            help='A known address of the same company as "Full Name=email" (repeatable): the '
            "domain's pattern and transliteration are learned from these."
        ),
    ] = None,
    limit: Annotated[int, typer.Option(min=1, help="Print at most this many candidates.")] = 10,
    as_json: Annotated[
        bool,
        typer.Option("--json", help='Print [{"email", "pattern", "confidence"}] best first.'),
    ] = False,
    explain: Annotated[
        bool,
        typer.Option(
            "--explain", help="With --json: add evidence, translit and reason to each object."
        ),
    ] = False,
) -> None:
    """Guess a person's work email address from the domain's pattern, best first.

    The pattern (first.last, flast, f.last …) and, for Cyrillic names, the transliteration
    (icao iuliia, informal yuliya …) are learned from --known addresses of the same domain;
    without them a published prior decides.  Confidence is the estimated probability that the
    address is the person's (see docs/patterns.md).  Nothing is sent anywhere: verify the
    candidates with ``leadgen verify``.
    """
    from enrichment import registrable_domain
    from enrichment.patterns import default_prior, guess, learn, mail_domain, name_parts
    from enrichment.patterns.translit import has_cyrillic

    host = mail_domain(domain)
    if host is None:
        _fail(f"--domain {domain!r}: not a domain that can receive mail (e.g. example.com)", 2)
    if name_parts(name) is None:
        _fail(f"--name {name!r}: no first or last name found in it", 2)
    pairs = _known_pairs(known or [])
    candidates = guess(name, host, known=pairs, limit=limit)
    if pairs:
        site = registrable_domain(host)
        same = [p for p in pairs if registrable_domain(p[1]) == site]
        for other in (p for p in pairs if registrable_domain(p[1]) != site):
            err.print(f"[yellow]ignored --known {other[1]}[/]: not at {site}", highlight=False)
        prior = default_prior(host, cyrillic_name=has_cyrillic(name))
        _summary(learn(same, prior=prior) if same else None, host)
    if not candidates:
        err.print(
            f"no address can be spelled from {name!r} (no Latin or Cyrillic letters to use)",
            highlight=False,
        )
    if as_json:
        rows = []
        for c in candidates:
            row = {"email": c.email, "pattern": c.pattern, "confidence": c.confidence}
            if explain:
                row.update(evidence=c.evidence, translit=c.translit, reason=c.reason)
            rows.append(row)
        print(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    from rich.table import Table

    table = Table("#", "email", "pattern", "spelling", "confidence", "evidence", "reason")
    for i, c in enumerate(candidates, 1):
        table.add_row(
            str(i), c.email, c.pattern, c.translit, f"{c.confidence:.3f}", c.evidence, c.reason
        )
    out.print(table)


def _summary(learned, host: str) -> None:
    if learned is None:
        err.print(
            f"no known address at {host} follows a pattern: guessing from the prior",
            highlight=False,
        )
        return
    spelled = f", spelled {learned.translit}" if learned.translit else ""
    err.print(
        f"learned {learned.pattern}{spelled} at {learned.domain} from {learned.support} of "
        f"{learned.matched + learned.unmatched} known addresses (confidence "
        f"{learned.confidence:.2f}; {learned.roles} role and {learned.skipped} other skipped)",
        highlight=False,
    )
