"""``leadgen refresh SEGMENT``: keep a segment's accounts fresh, for cron or a systemd timer.

One pass: take the segment's lock (a refresh or run of the same segment going: exit 75) →
pick the accounts due by their tier's cadence (``storage.refresh.due_accounts``) → re-crawl
their websites with the company spider through Scrapy's HTTP cache, every page revalidated
(``LEADGEN_REVALIDATE``: a conditional request, 304 Not Modified for a page that did not
change), and the pages values were read from even when no link leads to them any more
(``storage.refresh.known_pages``) → mark them refreshed → people no page shows any more are
marked gone, and the contact values only such pages gave are retired
(``storage.pages.people_gone`` / ``values_gone``) → customers current or former by their last
order (the segment's ``[customers] current_days``) → enrich them (addresses past their
re-check age and earlier temporary failures are verified again) → score the segment again →
print what changed since the pass began (``storage.changes``).  Exit 0 when every stage
worked, 1 when one failed (for monitoring), 2 for a bad segment, 75 when another pass of the
segment is going.

Registered on the main Typer app by ``leadgen.cli``.
"""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console

from leadgen.cli import _fail, _state, app, err
from leadgen.locks import AlreadyRunning, jobs_dir, segment_lock
from leadgen.pipeline import (
    EXIT_BUSY,
    Interrupted,
    ProxyOption,
    _crawl,
    _crawl_note,
    check_skip,
    crawl_info,
    http_cache_settings,
)
from leadgen.verifying import (
    HeloOption,
    MailFromOption,
    NameserverOption,
    SmtpPortOption,
    TimeoutOption,
    verify_config,
)

STAGES = ("crawl", "people", "customers", "enrich", "score")


def resolve_segment(text: str, engine) -> tuple[Any, Path | None]:
    """A segment file (``*.toml`` that exists), or the name of a scored segment (its file as
    stored with the scores): (SegmentConfig, the file or None)."""
    from scoring import load_segment, parse_segment
    from storage.scores import segment_definition

    path = Path(text)
    if path.suffix == ".toml" or path.is_file():
        if not path.is_file():
            raise FileNotFoundError(f"{text}: no such file")
        return load_segment(path), path
    with engine.connect() as conn:
        definition = segment_definition(conn, text)  # UnknownSegment
    return parse_segment(definition, source=text), None


def refresh_segment(
    segment: Any,
    path: Path | None,
    *,
    database_url: str,
    engine,
    smtp: bool,
    proxy: str | None,
    verify_config: Any,
    crawl_settings: list[str],
    limit: int | None,
    console: Console,
    live: bool,
    skip: set[str] = frozenset(),
    every: bool = False,
) -> dict[str, Any]:
    """One refresh pass of ``segment`` (the lock is the caller's); returns the summary."""
    from leadgen.progress import Stages
    from storage.changes import list_changes
    from storage.clock import utcnow
    from storage.db import write_transaction
    from storage.pages import people_gone, values_gone
    from storage.refresh import due_accounts, known_pages, mark_refreshed, reached, segment_dqi

    started_at = utcnow()
    t_start = time.monotonic()
    summary: dict[str, Any] = {
        "segment": segment.name,
        "started_at": started_at.isoformat(),
        "stages": {},
        "failed": [],
    }
    stages = summary["stages"]
    with engine.connect() as conn:
        due = due_accounts(
            conn, segment.name, segment.refresh, started_at, limit=limit, every=every
        )
        summary["dqi_before"] = segment_dqi(conn, segment.name)
    summary["due"] = len(due)
    summary["due_by_tier"] = {
        t: sum(1 for d in due if d.tier == t) for t in sorted({d.tier for d in due})
    }
    if not live:
        console = Console(file=console.file, force_terminal=False, soft_wrap=True)
    with Stages(console, STAGES, f"refresh {segment.name}") as display:
        display.note(
            f"  {len(due)} accounts due"
            + (
                f" ({', '.join(f'{n} {t}' for t, n in summary['due_by_tier'].items())})"
                if due
                else ""
            )
            + f"; cadence in days: {dict(segment.refresh)}"
        )
        ids = [d.company_id for d in due]
        # -- crawl the due accounts' websites ----------------------------------------------
        if "crawl" in skip:
            display.passed("crawl", "skipped (--skip)")
        elif due:
            work = jobs_dir() / f"refresh-{segment.name}"
            work.mkdir(parents=True, exist_ok=True)
            domains = work / "domains.txt"
            domains.write_text("".join(f"{d.site}\n" for d in due), encoding="utf-8")
            # the pages values were read from: asked for again even when no longer linked
            with engine.connect() as conn:
                known = known_pages(conn, ids)
            pages = work / "pages.tsv"
            pages.write_text("".join(f"{u}\t{k}\n" for u, k in known), encoding="utf-8")
            settings = [*http_cache_settings(), *crawl_settings]
            t0 = time.monotonic()
            with display.stage("crawl", "pages", f"{len(due)} websites") as update:
                result = _crawl(
                    database_url,
                    "company",
                    domains,
                    proxy,
                    settings,
                    update,
                    extra=("--pages", str(pages)),
                )
            info = crawl_info(result, time.monotonic() - t0)
            stages["crawl"] = info
            display.note(
                _crawl_note("websites", info)
                + f" · {info['counts'].get('not_modified', 0)} not modified (304)"
            )
            if info["status"] == "failed":
                summary["failed"].append("crawl")
            else:  # only the sites that answered count as refreshed; the rest stay due
                with write_transaction(engine) as conn:
                    ids = reached(conn, due, started_at)
                    mark_refreshed(conn, ids, started_at)
                info["refreshed"] = len(ids)
                if len(ids) < len(due):
                    display.note(f"  {len(due) - len(ids)} websites did not answer: still due")
        else:
            display.passed("crawl", "nothing due")
        # -- people no page shows any more --------------------------------------------------
        if "people" in skip:
            display.passed("people", "skipped (--skip)")
        elif "crawl" in stages and "crawl" not in summary["failed"]:
            with write_transaction(engine) as conn:
                now = utcnow()
                gone = people_gone(conn, now, company_ids=ids)
                retired = values_gone(conn, now, company_ids=ids)
            stages["people"] = {"gone": len(gone), "retired": retired.as_dict()}
            display.note(
                f"  people: {len(gone)} no longer shown on their pages, marked gone; "
                f"{retired.total} contact values only such pages gave retired"
            )
        else:
            display.passed("people", "nothing re-crawled")
        # -- customers: current or former by the last order ---------------------------------
        if "customers" in skip:
            display.passed("customers", "skipped (--skip)")
        else:
            from leadgen.customer_history import update_statuses

            statuses = update_statuses(engine, segment, utcnow())
            stages["customers"] = statuses
            display.note(
                f"  customers: {statuses['current']} now current, {statuses['former']} now "
                f"former (no order for over {statuses['current_days']} days)"
            )
        # -- enrich: new people, re-checks due ----------------------------------------------
        if "enrich" in skip:
            display.passed("enrich", "skipped (--skip)")
        elif due:
            t0 = time.monotonic()
            try:
                with display.stage("enrich", "companies") as update:
                    counts = _enrich_ids(engine, segment, ids, smtp, verify_config, update)
                stages["enrich"] = {"seconds": round(time.monotonic() - t0, 1), "counts": counts}
                display.note(
                    f"  enrich: {counts.get('guessed', 0)} emails guessed, "
                    f"{counts.get('valid', 0)} verified valid"
                )
            except Exception as exc:  # reported, the pass goes on to scoring
                stages["enrich"] = {"status": "failed", "reason": f"{type(exc).__name__}: {exc}"}
                summary["failed"].append("enrich")
                display.note(f"  enrich failed: {type(exc).__name__}: {exc}")
        else:
            display.passed("enrich", "nothing re-crawled")
        # -- score the segment again --------------------------------------------------------
        if "score" in skip:
            display.passed("score", "skipped (--skip)")
        elif path is not None:
            from leadgen.score_stage import score_segment

            t0 = time.monotonic()
            with display.stage("score", "accounts") as update:
                scored = score_segment(engine, path, update)
            stages["score"] = {"seconds": round(time.monotonic() - t0, 1), "counts": scored}
            display.note(f"  score: {scored['scored']} accounts, tiers {scored['tiers']}")
        else:
            display.passed("score", "no segment file given (the stored one is not re-scored)")
    with engine.connect() as conn:
        changes = list_changes(conn, started_at, segment=segment.name)
        summary["dqi"] = segment_dqi(conn, segment.name)
    summary["dqi_target"] = segment.quality.target
    summary["changes"] = changes
    summary["status"] = "partial" if summary["failed"] else "ok"
    summary["seconds"] = round(time.monotonic() - t_start, 1)
    return summary


def _enrich_ids(engine, segment, ids, smtp, config, update) -> dict[str, Any]:
    from leadgen.enrich_job import EnrichOptions
    from leadgen.enriching import run_enrich

    parameters = {"segment": segment.name, "smtp": smtp, "companies": len(ids), "refresh": True}
    _, counts, _ = run_enrich(
        engine, sorted(ids), EnrichOptions(smtp=smtp), config, parameters, update=update
    )
    return counts


@app.command(
    "refresh",
    epilog="Examples: leadgen refresh examples/segments/construction-ru-crm.toml  |  "
    "leadgen refresh construction-ru-crm --limit 200 --json  |  "
    "cron: 15 3 * * * cd /srv/leadgen && leadgen refresh my-segment.toml --json >> refresh.log",
)
def refresh_cmd(
    segment: Annotated[
        str, typer.Argument(help="A segment file (TOML), or the name of a scored segment.")
    ],
    limit: Annotated[
        int | None, typer.Option(min=1, help="Re-crawl at most this many due accounts.")
    ] = None,
    every: Annotated[
        bool,
        typer.Option(
            "--all",
            help="Re-check every account of the segment that has a website, due or not "
            "(after changing extraction rules, or to measure).",
        ),
    ] = False,
    skip: Annotated[
        list[str] | None,
        typer.Option(
            help="Leave out a stage: crawl, people, customers, enrich or score (repeatable)."
        ),
    ] = None,
    smtp: Annotated[bool, typer.Option("--smtp", help="Verify emails by SMTP too.")] = False,
    proxy: ProxyOption = None,
    nameserver: NameserverOption = None,
    smtp_port: SmtpPortOption = 25,
    timeout: TimeoutOption = 10.0,
    helo: HeloOption = "localhost",
    mail_from: MailFromOption = None,
    set_: Annotated[
        list[str] | None,
        typer.Option("--set", help="A crawl setting NAME=VALUE (repeatable, as leadgen crawl)."),
    ] = None,
    as_json: Annotated[
        bool, typer.Option("--json", help="Print the summary and the changes as JSON.")
    ] = False,
) -> None:
    """Re-check the segment's accounts that are due by their tier's cadence (strategic monthly,
    others quarterly, or the segment file's [refresh]): their websites re-crawled with
    conditional requests, people no page shows any more marked gone, emails re-verified when
    due, the segment scored again, and what changed printed.  Refuses to run while another
    pass of the segment is going (exit 75); exits 1 when a stage failed."""
    from leadgen.cli import _engine
    from leadgen.config import load_config
    from leadgen.crawling import checked_settings
    from scoring import SegmentError
    from storage.scores import UnknownSegment

    check_skip(skip, STAGES)
    checked_settings(set_ or [])
    engine = _engine()
    try:
        seg, path = resolve_segment(segment, engine)
    except (FileNotFoundError, SegmentError) as exc:
        _fail(str(exc), 2)
    except UnknownSegment:
        _fail(f"no segment named {segment!r} (leadgen score SEGMENT.toml creates it)", 2)
    url = load_config(database_url=_state["database_url"]).database_url
    config = verify_config(
        smtp=smtp,
        nameserver=nameserver,
        smtp_port=smtp_port,
        timeout=timeout,
        helo=helo,
        mail_from=mail_from,
    )
    try:
        with segment_lock(seg.name, engine, command="leadgen refresh"):
            summary = refresh_segment(
                seg,
                path,
                database_url=url,
                engine=engine,
                smtp=smtp,
                proxy=proxy,
                verify_config=config,
                crawl_settings=list(set_ or []),
                limit=limit,
                skip=set(skip or ()),
                every=every,
                console=err,
                live=not as_json,
            )
    except AlreadyRunning as exc:
        _fail(f"{exc}: not started (exit {EXIT_BUSY})", EXIT_BUSY)
    except (Interrupted, KeyboardInterrupt):
        err.print("interrupted: run the same command again; accounts not refreshed stay due")
        raise typer.Exit(130) from None
    if as_json:
        print(json.dumps(summary, ensure_ascii=False, indent=2, default=str))
    else:
        from leadgen.changes import print_changes

        dqi = summary["dqi"]
        before = summary["dqi_before"]
        err.print(
            f"refresh {summary['segment']}: {summary['due']} accounts due, "
            f"{len(summary['changes'])} changes, {summary['status']} in {summary['seconds']} s; "
            + (
                f"data-quality index {dqi:.1%} (was {before:.1%}, target "
                f"{summary['dqi_target']:.0%})"
                if dqi is not None and before is not None
                else "data-quality index: not scored"
            ),
            highlight=False,
        )
        print_changes(summary["changes"], summary["started_at"][:16].replace("T", " "))
    if summary["failed"]:
        raise typer.Exit(1)
