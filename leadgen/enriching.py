"""``leadgen enrich``: guess and verify work emails for the people in the database.

A thin shell over ``leadgen.enrich_job.EnrichJob`` (registered on the main Typer app by
``leadgen.cli``); the verification options are those of ``leadgen verify``.
"""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Annotated, Any

import typer
from rich.console import Console

from leadgen.cli import _engine, _fail, app, err
from leadgen.progress import Update
from leadgen.verifying import (
    HeloOption,
    MailFromOption,
    NameserverOption,
    SmtpPortOption,
    TimeoutOption,
    verify_config,
)


@app.command(
    "enrich",
    epilog=(
        "Examples: leadgen enrich --country RU  |  leadgen enrich --segment construction-ru "
        "--smtp --helo mail.example.org --mail-from verify@example.org  |  "
        "leadgen enrich --domain acme-bau.de --smtp --nameserver 127.0.0.1:5353 "
        "--smtp-port 2525 --json"
    ),
)
def enrich_cmd(
    segment: Annotated[
        str | None, typer.Option(help="Only the companies scored in this segment.")
    ] = None,
    country: Annotated[str | None, typer.Option(help="Only companies in this country.")] = None,
    city: Annotated[str | None, typer.Option(help="Only companies in this city.")] = None,
    status: Annotated[
        str | None, typer.Option(help="Only companies with this status (new/current/former).")
    ] = None,
    domain: Annotated[str | None, typer.Option(help="Only the company with this domain.")] = None,
    limit: Annotated[
        int | None, typer.Option(min=1, help="At most this many companies (in id order).")
    ] = None,
    smtp: Annotated[
        bool,
        typer.Option(
            "--smtp",
            help="Ask the mail servers (RCPT TO, never DATA); without it only DNS is checked "
            "and guesses are kept as 'unknown' until an SMTP run.",
        ),
    ] = False,
    max_candidates: Annotated[
        int, typer.Option(min=1, max=20, help="Candidate addresses tried per person and run.")
    ] = 5,
    recheck_days: Annotated[
        float, typer.Option(min=1, help="Check a verified address again after this many days.")
    ] = 90,
    retry_minutes: Annotated[
        float,
        typer.Option(
            min=30,
            help="First retry of a greylisted or timed-out check after this many minutes "
            "(doubling after each further temporary result).",
        ),
    ] = 30,
    max_attempts: Annotated[
        int, typer.Option(min=1, help="Checks of one address that may end temporarily.")
    ] = 5,
    nameserver: NameserverOption = None,
    smtp_port: SmtpPortOption = 25,
    timeout: TimeoutOption = 10.0,
    helo: HeloOption = "localhost",
    mail_from: MailFromOption = None,
    as_json: Annotated[
        bool, typer.Option("--json", help="Print the run's counts as JSON on stdout.")
    ] = False,
) -> None:
    """Find and verify a work email for every person who has none that works.

    Per company: addresses due for a check are verified (new ones, scheduled retries of
    greylisted or timed-out checks, and verified ones older than --recheck-days); then, for
    each person without a live address, the domain's pattern is learned from its known
    addresses (found on the web, imported, or verified) and candidates are verified in order
    until one is valid.  On a catch-all domain the address kept is chosen by evidence: seen on
    the web, then the learned pattern, then the overall prior — the email's reason and
    confidence say which.  Every result is stored with provenance (observations
    ``enrich:guess`` / ``enrich:verify``); a second run does only what is due.
    """
    from enrichment.email_job import RetryPolicy
    from leadgen.enrich_job import EnrichOptions
    from storage.enrich import SegmentNotFound, company_ids_for, count_without_domain
    from storage.queries import ProspectFilter

    config = verify_config(
        smtp=smtp,
        nameserver=nameserver,
        smtp_port=smtp_port,
        timeout=timeout,
        helo=helo,
        mail_from=mail_from,
    )
    try:
        policy = RetryPolicy(
            retry_after=timedelta(minutes=retry_minutes),
            max_attempts=max_attempts,
            recheck_after=timedelta(days=recheck_days),
        )
    except ValueError as exc:
        _fail(str(exc), 2)
    if status is not None and status not in ("new", "current", "former"):
        _fail(f"--status {status!r}: expected new, current or former", 2)
    engine = _engine()
    flt = ProspectFilter(country=country, city=city, status=status, domain=domain)
    try:
        ids = company_ids_for(engine, flt, segment)
    except SegmentNotFound:
        _fail(f"no segment named {segment!r} (segments are created by leadgen score)", 2)
    if limit is not None:
        ids = ids[:limit]
    no_domain = 0 if segment is not None else count_without_domain(engine, flt)
    parameters = {
        "segment": segment,
        "filters": flt.as_dict(),
        "limit": limit,
        "smtp": smtp,
        "max_candidates": max_candidates,
        "recheck_days": recheck_days,
        "retry_minutes": retry_minutes,
        "max_attempts": max_attempts,
        "companies": len(ids),
        "companies_without_domain": no_domain,
    }
    try:
        run_id, summary, problems = run_enrich(
            engine,
            ids,
            EnrichOptions(smtp=smtp, policy=policy, max_candidates=max_candidates),
            config,
            parameters,
            progress_to=err,
            extra_counts={"companies_without_domain": no_domain},
        )
    except KeyboardInterrupt:
        err.print("interrupted: what was checked so far is stored; run again to go on")
        raise typer.Exit(130) from None
    if as_json:
        print(json.dumps({"run_id": run_id, **summary, "problems": problems}, indent=2))
        return
    err.print(
        f"enrich run {run_id}: {summary['companies']} companies, {summary['people']} people; "
        f"{summary['checked']} addresses re-checked, {summary['guessed']} guessed; "
        f"valid {summary['valid']}, invalid {summary['invalid']}, risky {summary['risky']}, "
        f"unknown {summary['unknown']} ({summary['retries_scheduled']} retries scheduled)",
        highlight=False,
    )
    if no_domain:
        err.print(
            f"{no_domain} matching companies have no domain: no address can be guessed or "
            "verified for them (a crawl or an import with websites fills it)",
            highlight=False,
        )
    for p in problems[:20]:
        err.print(f"  company {p['company_id']} person {p['person_id']}: {p['reason']}")


def run_enrich(
    engine,
    ids: list[int],
    options: Any,
    config: Any,
    parameters: dict[str, Any],
    *,
    progress_to: Console | None = None,
    update: Update | None = None,
    extra_counts: dict[str, Any] | None = None,
) -> tuple[int, dict[str, Any], list[dict[str, Any]]]:
    """One enrich job over ``ids`` recorded as a run (``leadgen enrich``, ``leadgen run``):
    progress to ``update``, or a display on ``progress_to``; returns (run id, counts,
    problems).  Stopped by an exception (Ctrl-C too), the run is recorded as failed with what
    it did so far, and the exception goes on."""
    import asyncio
    from contextlib import nullcontext

    from enrichment.patterns import guess, learn
    from enrichment.verify import verify_emails
    from leadgen.enrich_job import EnrichJob
    from leadgen.progress import progress
    from storage.domains import MailDomainCache
    from storage.runs import finish_run, start_run

    run_id = start_run(engine, "enrich", parameters)
    cache = MailDomainCache(engine, dns_ttl=config.dns_ttl, catch_all_ttl=config.catch_all_ttl)

    async def verify(addresses):
        return await verify_emails(addresses, config, cache)

    job = EnrichJob(engine, options, verify, learn=learn, guess=guess, run_id=run_id)
    display = (
        progress(progress_to, "enriching", "companies") if progress_to else nullcontext(update)
    )
    try:
        with display as on_progress:
            counts = asyncio.run(job.run(ids, on_progress))
    except BaseException as exc:
        finish_run(
            engine,
            run_id,
            status="failed",
            counts=job.counts.as_dict(),
            problems=job.problems,
            error=repr(exc),
        )
        raise
    summary = {**counts.as_dict(), **(extra_counts or {})}
    finish_run(
        engine,
        run_id,
        status="partial" if job.problems else "ok",
        counts=summary,
        problems=job.problems,
    )
    return run_id, summary, job.problems
