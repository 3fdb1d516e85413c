"""``leadgen crawl`` and ``leadgen extract``: thin shells over ``spiders.run.crawl`` and
``spiders.pages.company.extract_page`` (registered on the main Typer app by ``leadgen.cli``)."""

from __future__ import annotations

import hashlib
import json
import os
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Any

import typer

from leadgen.cli import _engine, _fail, _state, app, err

SPIDER_NAMES = ("directory", "exhibitors", "company")
#: ``leadgen extract URL`` reads at most this much of a page.
MAX_PAGE_BYTES = 10 * 1024 * 1024


def checked_settings(pairs: list[str]) -> dict[str, Any]:
    """``--set`` pairs checked and converted (``spiders.overrides``); exits with every
    problem at once, warns of names no Scrapy or leadgen code reads."""
    from spiders.overrides import SettingError, parse_settings

    try:
        settings, warnings = parse_settings(pairs)
    except SettingError as exc:
        _fail(str(exc), 2)
    for warning in warnings:
        err.print(f"[yellow]warning:[/] {warning}", highlight=False)
    return settings


def _jobdir(spider: str, key: str) -> Path:
    base = Path(os.environ.get("LEADGEN_JOBS_DIR", ".leadgen/jobs"))
    digest = hashlib.sha256(key.encode("utf-8")).hexdigest()[:12]
    return base / f"{spider}-{digest}"


@app.command(
    "crawl",
    epilog=(
        "Examples: leadgen crawl directory --source sources/biz-katalog.toml  |  "
        "leadgen crawl exhibitors --source expo-2026.toml --resume  |  "
        "leadgen crawl company --domains domains.txt --country RU  |  "
        "leadgen crawl company --domain beispiel-bau.de --pages-per-site 25"
    ),
)
def crawl_cmd(
    spider: Annotated[str, typer.Argument(help="directory, exhibitors or company.")],
    source: Annotated[
        Path | None, typer.Option(help="Source definition (TOML) of a directory or exhibitor list.")
    ] = None,
    domains: Annotated[
        Path | None,
        typer.Option(help="File of domains or website addresses, one per line (company spider)."),
    ] = None,
    domain: Annotated[
        list[str] | None, typer.Option(help="A domain to crawl (company spider; repeatable).")
    ] = None,
    country: Annotated[
        str | None,
        typer.Option(
            help="Country of the companies, for phone numbers without +code (company spider)."
        ),
    ] = None,
    pages_per_site: Annotated[
        int | None,
        typer.Option(help="Page budget per company website (default 15, or the source's)."),
    ] = None,
    pages: Annotated[
        Path | None,
        typer.Option(
            help="File of known pages of these websites to fetch again even when no link leads "
            "to them any more: URL, or URL<TAB>kind, per line (company spider; leadgen refresh "
            "gives the pages values were read from)."
        ),
    ] = None,
    resume: Annotated[
        bool,
        typer.Option(
            "--resume",
            help="Keep the crawl's state in .leadgen/jobs: Ctrl-C pauses, the same "
            "command with --resume goes on where it stopped.",
        ),
    ] = False,
    proxy: Annotated[
        str | None,
        typer.Option(envvar="LEADGEN_PROXY", help="HTTP forward proxy for every request."),
    ] = None,
    set_: Annotated[
        list[str] | None,
        typer.Option(
            "--set", help="A Scrapy setting NAME=VALUE (repeatable), e.g. DOWNLOAD_DELAY=2."
        ),
    ] = None,
    verbose: Annotated[bool, typer.Option("--verbose", "-v", help="Show Scrapy's log.")] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print the run summary as JSON.")] = False,
    progress_json: Annotated[
        bool,
        typer.Option(
            "--progress-json",
            help='Report progress on stderr as JSON lines ({"progress": {"pages": …}}) '
            "about once a second, instead of the progress display: for a program running the "
            "crawl (leadgen run does).",
        ),
    ] = False,
) -> None:
    """Crawl a directory, an exhibitor list or company websites into the prospect database.

    Polite by default: robots.txt is obeyed, at most 2 requests at a time per site with an
    adaptive delay, an identifying User-Agent, Retry-After honoured.  Every value is stored with
    the page it came from; crawling again updates, never duplicates.
    """
    from leadgen.config import load_config
    from storage.runs import get_run, start_run

    if spider not in SPIDER_NAMES:
        _fail(f"unknown spider {spider!r}; choose one of {', '.join(SPIDER_NAMES)}", 2)
    args: dict[str, Any] = {}
    params: dict[str, Any] = {"spider": spider}
    if spider == "company":
        if source:
            _fail("the company spider takes --domains FILE or --domain D, not --source", 2)
        if not domains and not domain:
            _fail("the company spider needs --domains FILE or --domain D", 2)
        if domains:
            if not domains.is_file():
                _fail(f"{domains}: no such file")
            args["domains_file"] = str(domains)
        if domain:
            args["domains"] = ",".join(domain)
        if country:
            args["country"] = country
        if pages_per_site:
            args["pages_per_site"] = pages_per_site
        if pages:
            if not pages.is_file():
                _fail(f"{pages}: no such file")
            args["pages_file"] = str(pages)
        key = f"{domains and domains.resolve()}|{','.join(domain or [])}"
        params.update(
            domains_file=str(domains) if domains else None, domains=domain or [], country=country
        )
    else:
        if pages:
            _fail("--pages is for the company spider", 2)
        if not source:
            _fail(f"the {spider} spider needs --source FILE.toml (see docs/crawl.md)", 2)
        from spiders.sources import SourceError, load_source

        try:
            cfg = load_source(source)
        except SourceError as exc:
            _fail(str(exc), 2)
        if cfg.spider != spider:
            _fail(
                f"{source}: this source is for the {cfg.spider} spider; run "
                f"'leadgen crawl {cfg.spider} --source {source}'",
                2,
            )
        args["source"] = str(source)
        key = f"{source.resolve()}|{cfg.digest}"
        params.update(cfg.parameters())
    settings = checked_settings(set_ or [])
    if pages_per_site and spider != "company":
        _fail("--pages-per-site is set in the source file (pages_per_site) for list spiders", 2)
    url = load_config(database_url=_state["database_url"]).database_url
    engine = _engine()
    run_id = start_run(engine, "crawl", params)
    engine.dispose()
    jobdir = _jobdir(spider, key) if resume else None
    from spiders.run import crawl

    started = time.monotonic()
    with _progress(f"crawl #{run_id} {spider}", progress_json) as on_progress:
        outcome = crawl(
            spider,
            spider_args=args,
            database_url=url,
            run_id=run_id,
            proxy=proxy,
            jobdir=jobdir,
            settings=settings,
            log_level="INFO" if verbose else "WARNING",
            on_progress=on_progress,
        )
    run = get_run(_engine(), run_id) or {}
    if run.get("status") == "running":  # the spider never opened (bad arguments): say so
        from storage.runs import finish_run

        finish_run(
            _engine(),
            run_id,
            status="failed",
            counts={},
            problems=[],
            error=f"the crawl stopped before it started ({outcome.reason})",
        )
        run = get_run(_engine(), run_id) or {}
    summary = {
        "run_id": run_id,
        "spider": spider,
        "status": run.get("status"),
        "reason": outcome.reason,
        "seconds": round(time.monotonic() - started, 1),
        "counts": run.get("counts") or {},
        "problems": run.get("problems") or [],
        "jobdir": outcome.jobdir if outcome.reason != "finished" else None,
    }
    if as_json:
        print(json.dumps(summary, ensure_ascii=False, indent=2, default=str))
    else:
        _print_crawl_summary(summary)
    if summary["status"] == "failed":
        raise typer.Exit(1)


def crawl_detail(counts: dict[str, Any]) -> str:
    """A crawl's progress in a few words: items, and companies / people stored so far."""
    return (
        f"{counts.get('items', 0)} items · companies {counts.get('companies_new', 0)} new, "
        f"{counts.get('companies_updated', 0)} updated · people {counts.get('people_new', 0)} new"
    )


@contextmanager
def _progress(label: str, as_json_lines: bool) -> Iterator[Callable[[dict[str, Any]], None]]:
    """``on_progress(counts)`` for ``spiders.run.crawl``: the progress display, or JSON lines
    on stderr for a parent process (the last counts always written)."""
    from leadgen.progress import json_lines, progress

    if as_json_lines:
        emit = json_lines(sys.stderr)
        last: dict[str, Any] = {}

        def on_json(counts: dict[str, Any]) -> None:
            last.update(counts)
            emit(counts)

        yield on_json
        if last:
            emit(last, final=True)
        return
    with progress(err, label, "pages") as update:
        # a crawl's total is not known in advance
        yield lambda counts: update(counts["pages"], 0, crawl_detail(counts))


def _print_crawl_summary(s: dict[str, Any]) -> None:
    c = s["counts"]
    shown = 20
    for p in s["problems"][:shown]:
        colour = "red" if p.get("severity") == "error" else "yellow"
        err.print(f"[{colour}]{p['where']}[/]: {p['reason']}", highlight=False)
    if len(s["problems"]) > shown:
        err.print(f"… and {len(s['problems']) - shown} more problems (all in run #{s['run_id']})")
    errors = ", ".join(f"{k} {v}" for k, v in (c.get("errors") or {}).items())
    err.print(
        f"[bold]crawl #{s['run_id']}[/] {s['spider']} {s['status']}: {c.get('pages', 0)} pages, "
        f"{c.get('items', 0)} items · companies {c.get('companies_new', 0)} new, "
        f"{c.get('companies_updated', 0)} updated, {c.get('companies_unchanged', 0)} unchanged · "
        f"people {c.get('people_new', 0)} new, {c.get('people_updated', 0)} updated · emails "
        f"{c.get('emails_new', 0)} new{f' · errors: {errors}' if errors else ''} · "
        f"{s['seconds']}s",
        highlight=False,
    )
    if s.get("jobdir"):
        err.print(f"paused: run the same command with --resume to go on ({s['jobdir']})")


@app.command(
    "extract",
    epilog=(
        "Examples: leadgen extract saved/kontakty.html --url https://firma.ru/kontakty/  |  "
        "leadgen extract impressum.html --country DE  |  leadgen extract https://firma.ru/"
    ),
)
def extract_cmd(
    target: Annotated[str, typer.Argument(help="A saved HTML file, or an http(s) URL.")],
    url: Annotated[
        str | None,
        typer.Option(help="The page's address (for a file): its domain, links and country."),
    ] = None,
    country: Annotated[
        str | None,
        typer.Option(
            help="Country for phone numbers without +code, e.g. RU (default: from the domain, "
            "address or page language)."
        ),
    ] = None,
    encoding: Annotated[
        str | None,
        typer.Option(help="The page's encoding when its file does not say (e.g. windows-1251)."),
    ] = None,
) -> None:
    """Print what a page says about a company and its people, as JSON (nothing is stored).

    The same page objects run in a crawl: emails (also obfuscated), phones in E.164, people with
    titles, ИНН/ОГРН/КПП, HRB and VAT ids, social links and technology signals.
    """
    from spiders.pages.company import extract_page

    if target.startswith(("http://", "https://")):
        body, header_encoding, final_url = _fetch(target)
        page_url, encoding = url or final_url, encoding or header_encoding
    else:
        path = Path(target)
        try:
            body = path.read_bytes()
        except OSError as exc:
            _fail(f"{path}: cannot read ({exc.strerror})")
        page_url = url or path.resolve().as_uri()
    result = extract_page(body, page_url, country=country, encoding=encoding)
    print(json.dumps(result.to_dict(), ensure_ascii=False, indent=2))


def _fetch(url: str) -> tuple[bytes, str | None, str]:
    import urllib.error
    import urllib.request

    from spiders.settings import USER_AGENT

    request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310 (http/https only)
            body = response.read(MAX_PAGE_BYTES + 1)
            charset = response.headers.get_content_charset()
            final = response.geturl()
    except (urllib.error.URLError, OSError, ValueError) as exc:
        _fail(f"{url}: cannot fetch ({getattr(exc, 'reason', exc)})")
    if len(body) > MAX_PAGE_BYTES:
        print(
            f"{url}: larger than {MAX_PAGE_BYTES // (1024 * 1024)} MB; read the first part",
            file=sys.stderr,
        )
        body = body[:MAX_PAGE_BYTES]
    return body, charset, final
