"""``leadgen run SEGMENT.toml``: crawl the segment's sources (and the company websites they
lead to), enrich, merge duplicates, score — one command, resumable.

Each source is crawled by ``leadgen crawl … --resume`` in a child process (a Twisted reactor
runs once per process); the other stages run here.  A state file per segment
(``.leadgen/jobs/run-<segment>/state.json``, or under ``LEADGEN_JOBS_DIR``) records the stages
of the current pass that are done: killed half-way and started again, the run skips them and the
interrupted crawl resumes from its job directory.  Every stage is idempotent on its own (a
re-crawl updates, never duplicates; enrich does only what is due; dedupe finds nothing twice;
scoring writes the same scores), so a repeated stage loses nothing and duplicates nothing.  A
pass that finished is followed by a fresh one.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console

from leadgen.cli import _engine, _fail, _state, app, err
from leadgen.locks import AlreadyRunning
from leadgen.progress import Stages, Update
from leadgen.verifying import (
    HeloOption,
    MailFromOption,
    NameserverOption,
    SmtpPortOption,
    TimeoutOption,
    verify_config,
)

STAGES = ("crawl", "enrich", "dedupe", "score")
#: Exit status when another run of the same segment is going (EX_TEMPFAIL: try again later).
EXIT_BUSY = 75
#: How long a crawl stopped by Ctrl-C may take to pause cleanly (in-flight requests end).
PAUSE_WAIT_SECONDS = 60.0


def _state_dir(segment: str) -> Path:
    return Path(os.environ.get("LEADGEN_JOBS_DIR", ".leadgen/jobs")) / f"run-{segment}"


def _load_state(path: Path, config_hash: str) -> dict[str, Any]:
    try:
        state = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        state = None
    if not state or state.get("finished") or state.get("config_hash") != config_hash:
        return {"config_hash": config_hash, "started": time.time(), "done": {}, "finished": False}
    return state


def _save_state(path: Path, state: dict[str, Any]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(state, ensure_ascii=False, indent=2), encoding="utf-8")
    tmp.replace(path)


class Interrupted(Exception):
    pass


def _plain(value: Any) -> Any:
    """A segment's read-only source tables as plain dicts and lists (what a source file holds)."""
    from collections.abc import Mapping

    if isinstance(value, Mapping):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return value


def _crawl(
    database_url: str,
    spider: str,
    source: Path,
    proxy: str | None,
    settings: list[str],
    update: Update,
    extra: Sequence[str] = (),
) -> dict[str, Any]:
    """One source crawled by ``leadgen crawl … --resume`` in a child process, its progress
    (``--progress-json`` lines on its stderr) shown by ``update`` as it comes; ``extra``: more
    options of ``leadgen crawl``."""
    from collections import deque

    from leadgen.crawling import crawl_detail
    from leadgen.progress import read_json_line

    cmd = [
        sys.executable,
        "-m",
        "leadgen",
        "--database-url",
        database_url,
        "crawl",
        spider,
        # the company spider reads a domains file; the others a source definition
        "--domains" if spider == "company" else "--source",
        str(source),
        "--resume",
        "--json",
        "--progress-json",
        *extra,
    ]
    if proxy:
        cmd += ["--proxy", proxy]
    for pair in settings:
        cmd += ["--set", pair]
    proc = subprocess.Popen(
        cmd,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        encoding="utf-8",
        errors="replace",
    )
    tail: deque[str] = deque(maxlen=3)

    def read_stderr() -> None:
        for line in proc.stderr:
            counts = read_json_line(line)
            if counts is None:
                if line.strip():
                    tail.append(line.strip())
            else:
                update(int(counts.get("pages") or 0), 0, crawl_detail(counts))

    reader = threading.Thread(target=read_stderr, name="crawl-progress", daemon=True)
    reader.start()
    try:
        stdout = proc.stdout.read()
        proc.wait()
    except KeyboardInterrupt:
        _pause(proc)
        raise Interrupted(source.name) from None
    finally:
        reader.join(timeout=5)
    if proc.returncode in (130, -2):
        raise Interrupted(source.name)
    try:
        summary = json.loads(stdout)
    except ValueError:
        return {"status": "failed", "reason": "; ".join(tail) or f"exit {proc.returncode}"}
    if summary.get("status") == "paused":  # stopped by a signal, not by a limit of its own
        raise Interrupted(source.name)
    return summary


def _pause(proc: subprocess.Popen) -> None:
    """Ctrl-C on a terminal reached the crawl too (same process group) and Scrapy pauses it,
    saving its state: wait for that; if it does not stop, ask once more (Scrapy's forced stop),
    then end it.  A second Ctrl-C here skips to the next step."""
    steps = (
        (PAUSE_WAIT_SECONDS, lambda: proc.send_signal(signal.SIGINT)),
        (10.0, proc.kill),
        (None, None),
    )
    for timeout, then in steps:
        try:
            proc.wait(timeout=timeout)
            return
        except (subprocess.TimeoutExpired, KeyboardInterrupt):
            if then is not None:
                then()


def run_segment(
    path: Path,
    *,
    database_url: str,
    skip: set[str],
    smtp: bool,
    proxy: str | None,
    verify_config: Any,
    crawl_settings: Sequence[str] = (),
    console: Console | None = None,
    live: bool = True,
) -> dict[str, Any]:
    """Run the pipeline of one segment file; returns the closing summary.  One run at a time
    per segment (``leadgen.locks.segment_lock``): another one going raises ``AlreadyRunning``."""
    from leadgen.locks import segment_lock
    from scoring import load_segment
    from storage.db import make_engine

    name = load_segment(path).name
    engine = make_engine(database_url, migrate=False)
    try:
        with segment_lock(name, engine, command="leadgen run"):
            return _run_segment(
                path,
                database_url=database_url,
                skip=skip,
                smtp=smtp,
                proxy=proxy,
                verify_config=verify_config,
                crawl_settings=crawl_settings,
                console=console,
                live=live,
            )
    finally:
        engine.dispose()


def _run_segment(
    path: Path,
    *,
    database_url: str,
    skip: set[str],
    smtp: bool,
    proxy: str | None,
    verify_config: Any,
    crawl_settings: Sequence[str] = (),
    console: Console | None = None,
    live: bool = True,
) -> dict[str, Any]:
    """Run the pipeline of one segment file; returns the closing summary.

    Progress goes to ``console`` (stderr by default): one Rich display of the stage reached and
    its own count on a terminal when ``live``, log lines otherwise (``leadgen.progress``)."""
    from scoring import SegmentError, load_segment
    from spiders.sources import SourceError, parse_source

    segment = load_segment(path)
    # Check every source before anything runs: a mistake there is the file's, not the crawl's.
    sources = []
    problems = []
    for i, source in enumerate(segment.sources):
        data = _plain(source)
        data.setdefault("name", f"{segment.name}-{i + 1}")
        try:
            parse_source(data, name=data["name"], where=f"sources[{i}]")
        except SourceError as exc:
            problems.append(str(exc))
        sources.append(data)
    if problems:
        raise SegmentError(problems, path.name)
    state_file = _state_dir(segment.name) / "state.json"
    state = _load_state(state_file, segment.hash)
    _save_state(state_file, state)  # the pass has begun, when (``started``) and with what
    done: dict[str, Any] = state["done"]
    summary: dict[str, Any] = {"segment": segment.name, "stages": {}}
    started = time.monotonic()
    console = console or err
    if not live:  # log lines even on a terminal (--json)
        console = Console(file=console.file, force_terminal=False, soft_wrap=True)
    with Stages(console, STAGES, f"run {segment.name}") as display:

        def passed(stage: str, earlier: bool) -> bool:
            """Skipped, or done earlier in this pass: said, and counted as done."""
            if stage in skip or earlier:
                why = "skipped (--skip)" if stage in skip else "done earlier in this pass"
                display.passed(stage, why)
                return True
            return False

        # -- crawl --------------------------------------------------------------------------
        if not passed("crawl", all(f"crawl:{i}" in done for i in range(len(sources)))):
            for i, data in enumerate(sources):
                key = f"crawl:{i}"
                what = f"source {i + 1}/{len(sources)} {data['name']} ({data['spider']})"
                if key in done:
                    display.note(f"{display.heading('crawl')}: {what} done earlier in this pass")
                    continue
                file = state_file.parent / f"source-{i + 1}.json"
                file.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
                t0 = time.monotonic()
                with display.stage("crawl", "pages", what) as update:
                    result = _crawl(
                        database_url,
                        data["spider"],
                        file,
                        proxy,
                        [*http_cache_settings(), *crawl_settings],
                        update,
                    )
                done[key] = crawl_info(result, time.monotonic() - t0)
                _save_state(state_file, state)
                display.note(_crawl_note(data["name"], done[key]))

        engine = _engine()
        # -- enrich -------------------------------------------------------------------------
        if not passed("enrich", "enrich" in done):
            t0 = time.monotonic()
            with display.stage("enrich", "companies") as update:
                counts = _enrich(engine, segment, smtp, verify_config, update)
            done["enrich"] = {"seconds": round(time.monotonic() - t0, 1), "counts": counts}
            _save_state(state_file, state)
            display.note(
                f"  enrich: {counts.get('guessed', 0)} emails guessed, "
                f"{counts.get('valid', 0)} verified valid, {done['enrich']['seconds']} s"
            )

        # -- merge duplicates ---------------------------------------------------------------
        if not passed("dedupe", "dedupe" in done):
            from leadgen.dedupe_stage import dedupe

            t0 = time.monotonic()
            with display.stage("dedupe", "steps") as update:
                report = dedupe(engine, progress=lambda label, d, t: update(d, t, label))
            counts = report.counts()
            done["dedupe"] = {"seconds": round(time.monotonic() - t0, 1), "counts": counts}
            _save_state(state_file, state)
            display.note(
                f"  dedupe: {counts['companies_merged']} of {counts['companies_scanned']} "
                f"companies and {counts['people_merged']} of {counts['people_scanned']} people "
                f"merged, {done['dedupe']['seconds']} s"
            )

        # -- score --------------------------------------------------------------------------
        if not passed("score", "score" in done):
            from leadgen.score_stage import score_segment

            t0 = time.monotonic()
            with display.stage("score", "accounts") as update:
                scored = score_segment(engine, path, progress=update)
            done["score"] = {"seconds": round(time.monotonic() - t0, 1), "counts": scored}
            _save_state(state_file, state)
            display.note(f"  score: {scored.get('scored')} accounts, {done['score']['seconds']} s")
        # -- the accounts whose websites this pass read count as refreshed -------------------
        if "crawl" not in skip and "refreshed" not in state:
            state["refreshed"] = _mark_crawled(engine, segment, state["started"])
            _save_state(state_file, state)
    state["finished"] = True
    _save_state(state_file, state)
    failed = [k for k, v in done.items() if v.get("status") == "failed"]
    summary["status"] = "partial" if failed else "ok"
    summary["totals"] = {**_totals(done), "refreshed": state.get("refreshed")}
    summary["failed"] = failed
    summary["stages"] = done
    summary["seconds"] = round(time.monotonic() - started, 1)
    return summary


def _mark_crawled(engine, segment, started: float) -> int:
    """Mark refreshed the segment's accounts whose website answered during this pass (begun at
    ``started``, epoch seconds): a site the run just read in full is not due for a refresh
    until its tier's cadence has passed (``leadgen refresh``); returns how many."""
    from storage.clock import utcnow
    from storage.db import write_transaction
    from storage.refresh import due_accounts, mark_refreshed, reached
    from storage.scores import UnknownSegment

    since = datetime.fromtimestamp(started, UTC)
    with write_transaction(engine) as conn:
        try:
            due = due_accounts(conn, segment.name, segment.refresh, utcnow())
        except UnknownSegment:  # the segment was never scored (score skipped)
            return 0
        ids = reached(conn, due, since)
        mark_refreshed(conn, ids, since)
    return len(ids)


def http_cache_settings() -> list[str]:
    """The crawl settings of ``leadgen run`` and ``leadgen refresh``: Scrapy's HTTP cache in the
    jobs directory, every page revalidated (a page that did not change costs a 304, no body),
    so the next pass over the same sites is cheap and never trusts a stale page."""
    from leadgen.locks import jobs_dir

    return [
        "HTTPCACHE_ENABLED=true",
        f"HTTPCACHE_DIR={(jobs_dir() / 'httpcache').resolve()}",
        "LEADGEN_REVALIDATE=true",
    ]


def check_skip(skip: list[str] | None, stages: Sequence[str]) -> set[str]:
    """``--skip`` values, each one of ``stages`` (exit 2 naming the unknown ones)."""
    unknown = sorted(set(skip or ()) - set(stages))
    if unknown:
        _fail(f"--skip: unknown stage(s) {', '.join(unknown)}; stages: {', '.join(stages)}", 2)
    return set(skip or ())


def crawl_info(result: dict[str, Any], seconds: float) -> dict[str, Any]:
    """What a run or refresh keeps of one crawl's summary (``leadgen crawl --json``)."""
    return {
        "status": result.get("status"),
        "seconds": round(seconds, 1),
        "counts": result.get("counts") or {},
        "reason": result.get("reason"),
        "run_id": result.get("run_id"),
        "problems": len(result.get("problems") or ()),
    }


#: ``--proxy`` of the commands that crawl.
ProxyOption = Annotated[
    str | None,
    typer.Option(envvar="LEADGEN_PROXY", help="HTTP forward proxy for every crawl request."),
]


def _crawl_note(name: str, info: dict[str, Any]) -> str:
    c = info.get("counts") or {}
    status = info.get("status") or "failed"
    if status == "failed" and info.get("reason"):
        status += f" ({info['reason']})"
    elif info.get("problems"):
        status += f" ({info['problems']} problems in run #{info.get('run_id')})"
    return (
        f"  crawl {name} {status}: {c.get('pages', 0)} pages · companies "
        f"{c.get('companies_new', 0)} new, {c.get('companies_updated', 0)} updated · people "
        f"{c.get('people_new', 0)} new · {info.get('seconds')} s"
    )


def _enrich(engine, segment, smtp: bool, verify_config: Any, update: Update) -> dict[str, Any]:
    """The enrich stage over the segment's countries (``leadgen enrich``'s job); its counts."""
    from leadgen.enrich_job import EnrichOptions
    from leadgen.enriching import run_enrich
    from storage.enrich import company_ids_for

    ids = company_ids_for(engine, countries=sorted(segment.icp.countries))
    parameters = {"segment": segment.name, "smtp": smtp, "companies": len(ids)}
    _, counts, _ = run_enrich(
        engine, ids, EnrichOptions(smtp=smtp), verify_config, parameters, update=update
    )
    return counts


def _totals(done: dict[str, Any]) -> dict[str, Any]:
    """The closing numbers of a pass: accounts and people new / updated by its crawls, emails
    verified by its enrich stage, merges, accounts per tier and the data-quality index."""
    crawl: dict[str, int] = {}
    for key, info in done.items():
        if key.startswith("crawl:"):
            for name in (
                "pages",
                "companies_new",
                "companies_updated",
                "people_new",
                "people_updated",
                "emails_new",
            ):
                crawl[name] = crawl.get(name, 0) + int((info.get("counts") or {}).get(name) or 0)
    enrich = (done.get("enrich") or {}).get("counts") or {}
    dedupe = (done.get("dedupe") or {}).get("counts") or {}
    score = (done.get("score") or {}).get("counts") or {}
    return {
        **crawl,
        "emails_guessed": enrich.get("guessed"),
        "emails_valid": enrich.get("valid"),
        "emails_invalid": enrich.get("invalid"),
        "emails_risky": enrich.get("risky"),
        "emails_unknown": enrich.get("unknown"),
        "companies_merged": dedupe.get("companies_merged"),
        "people_merged": dedupe.get("people_merged"),
        "scored": score.get("scored"),
        "tiers": score.get("tiers"),
        "dqi": score.get("dqi"),
        "dqi_target": score.get("dqi_target"),
        "below_contact_rule": score.get("below_contact_rule"),
    }


@app.command(
    "run",
    epilog="Examples: leadgen run examples/segments/construction-ru-crm.toml  |  "
    "leadgen run my-segment.toml --smtp --helo mail.example.org  |  "
    "leadgen run my-segment.toml --skip enrich --json  |  "
    "leadgen run my-segment.toml --set CONCURRENT_REQUESTS_PER_DOMAIN=8 "
    "--set AUTOTHROTTLE_ENABLED=false",
)
def run_cmd(
    segment_file: Annotated[Path, typer.Argument(help="The segment definition (TOML).")],
    skip: Annotated[
        list[str] | None,
        typer.Option(help="Leave out a stage: crawl, enrich, dedupe or score (repeatable)."),
    ] = None,
    smtp: Annotated[
        bool, typer.Option("--smtp", help="Verify emails by SMTP in the enrich stage.")
    ] = False,
    proxy: ProxyOption = None,
    nameserver: NameserverOption = None,
    smtp_port: SmtpPortOption = 25,
    timeout: TimeoutOption = 10.0,
    helo: HeloOption = "localhost",
    mail_from: MailFromOption = None,
    set_: Annotated[
        list[str] | None,
        typer.Option(
            "--set",
            help="A crawl setting NAME=VALUE for every crawl of the run (repeatable, as for "
            "leadgen crawl), e.g. CONCURRENT_REQUESTS_PER_DOMAIN=8.",
        ),
    ] = None,
    as_json: Annotated[
        bool,
        typer.Option("--json", help="Print the summary as JSON (progress as log lines)."),
    ] = False,
) -> None:
    """Crawl a segment's sources and the company websites they lead to, enrich, merge
    duplicates and score — one command.  Stopped half-way (Ctrl-C), the same command goes on
    where it stopped: nothing is lost, nothing duplicated."""
    from leadgen.config import load_config
    from leadgen.crawling import checked_settings
    from scoring import SegmentError

    check_skip(skip, STAGES)
    if not segment_file.is_file():
        _fail(f"{segment_file}: no such file", 2)
    checked_settings(set_ or [])  # refused here, before anything runs; passed on as given
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
        summary = run_segment(
            segment_file,
            database_url=url,
            skip=set(skip or ()),
            smtp=smtp,
            proxy=proxy,
            verify_config=config,
            crawl_settings=set_ or [],
            live=not as_json,
        )
    except SegmentError as exc:
        _fail(str(exc), 2)
    except AlreadyRunning as exc:
        _fail(f"{exc}: not started (exit {EXIT_BUSY})", EXIT_BUSY)
    except (Interrupted, KeyboardInterrupt):
        err.print("interrupted: run the same command again to go on where it stopped")
        raise typer.Exit(130) from None
    if as_json:
        print(json.dumps(summary, ensure_ascii=False, indent=2, default=str))
        if summary["failed"]:
            raise typer.Exit(1)
        return
    t = summary["totals"]
    err.print(f"segment {summary['segment']}: done in {summary['seconds']} s", highlight=False)
    for stage, info in summary["stages"].items():
        err.print(
            f"  {stage}: {info.get('seconds', '-')} s {info.get('status') or ''}",
            highlight=False,
        )
    if "pages" in t:
        err.print(
            f"  crawled {t['pages']} pages: accounts {t['companies_new']} new, "
            f"{t['companies_updated']} updated; people {t['people_new']} new, "
            f"{t['people_updated']} updated; {t['emails_new']} emails found",
            highlight=False,
        )
    if t["emails_guessed"] is not None:
        err.print(
            f"  emails: {t['emails_guessed']} guessed, {t['emails_valid']} verified valid "
            f"(checks: {t['emails_invalid']} invalid, {t['emails_risky']} risky, "
            f"{t['emails_unknown']} unknown)",
            highlight=False,
        )
    if t["companies_merged"] is not None:
        err.print(
            f"  merged: {t['companies_merged']} companies, {t['people_merged']} people",
            highlight=False,
        )
    if t["scored"] is not None:
        dqi = t["dqi"] or 0.0
        err.print(
            f"  {t['scored']} accounts scored: {t['tiers']}; data-quality index {dqi:.1%} "
            f"(target {t['dqi_target']:.0%}); {t['below_contact_rule']} accounts below the "
            "contact rule",
            highlight=False,
        )
    if summary["failed"]:
        err.print(f"[red]failed:[/] {', '.join(summary['failed'])}")
        raise typer.Exit(1)
