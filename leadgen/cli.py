"""The ``leadgen`` command: thin shells over library calls (parse → call one function → print).

Heavy libraries (SQLAlchemy, openpyxl, phonenumbers …) are imported inside the commands, so
``leadgen --help`` starts fast.  Data goes to stdout; progress, warnings and summaries to stderr.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console

from leadgen import __version__

app = typer.Typer(
    name="leadgen",
    help="Open-source lead generation: import, crawl, enrich and score B2B prospects on your own "
    "machine.  The database is ./leadgen.db (SQLite) unless --database-url or "
    "LEADGEN_DATABASE_URL names another (postgresql+psycopg://…).",
    epilog="Example: leadgen import examples/prospects.csv --source sample && leadgen list",
    no_args_is_help=True,
    rich_markup_mode="markdown",
    pretty_exceptions_enable=False,
)
db_app = typer.Typer(help="Database schema commands.", no_args_is_help=True)
app.add_typer(db_app, name="db")

# A pipe or a file has no width of its own: give tables room instead of Rich's 80 columns.
out = Console() if sys.stdout.isatty() else Console(width=int(os.environ.get("COLUMNS", 160)))
err = Console(stderr=True, soft_wrap=True)
_state: dict[str, Any] = {"database_url": None}


def _engine(*, migrate: bool = True):
    from leadgen.config import load_config
    from storage.db import make_engine

    url = load_config(database_url=_state["database_url"]).database_url
    return make_engine(url, migrate=migrate)


def _fail(message: str, code: int = 1) -> None:
    from rich.markup import escape

    # messages quote files, URLs and values: "[…]" in them is text, not Rich markup
    err.print(f"[bold red]error:[/] {escape(message)}", highlight=False)
    raise typer.Exit(code)


def _version(value: bool) -> None:
    if value:
        print(f"leadgen {__version__}")
        raise typer.Exit()


@app.callback()
def main_options(
    database_url: Annotated[
        str | None,
        typer.Option(
            "--database-url",
            envvar="LEADGEN_DATABASE_URL",
            help="SQLAlchemy URL, e.g. sqlite:///leads.db or postgresql+psycopg://u@host/db.",
        ),
    ] = None,
    version: Annotated[
        bool,
        typer.Option(
            "--version", callback=_version, is_eager=True, help="Print the version and exit."
        ),
    ] = False,
) -> None:
    _state["database_url"] = database_url


# -- import -----------------------------------------------------------------------------------
@app.command(
    "import",
    epilog=(
        "Examples: leadgen import expo-2025.xlsx --source expo-2025  |  "
        "leadgen import crm.csv --source crm --customers --map 'Клиент=company_name'  |  "
        "leadgen import list.csv --source bought --encoding cp1251 --delimiter ';' --country RU"
    ),
)
def import_cmd(
    file: Annotated[Path, typer.Argument(help="A .csv/.tsv/.txt, .xlsx or .jsonl file.")],
    source: Annotated[
        str | None,
        typer.Option(help="Name of this list, kept with every value (default: the file name)."),
    ] = None,
    customers: Annotated[
        bool,
        typer.Option("--customers", help="Mark every company in the file as a current customer."),
    ] = False,
    map_: Annotated[
        list[str] | None,
        typer.Option(
            "--map",
            help="COLUMN=FIELD for a column the aliases don't know (repeatable); "
            "FIELD 'ignore' skips it.",
        ),
    ] = None,
    encoding: Annotated[str | None, typer.Option(help="Text encoding (default: detected).")] = None,
    delimiter: Annotated[
        str | None, typer.Option(help="CSV delimiter (default: detected among , ; tab |).")
    ] = None,
    sheet: Annotated[str | None, typer.Option(help="XLSX sheet (default: the first).")] = None,
    country: Annotated[
        str | None,
        typer.Option(
            help="Country for rows that name none (phone numbers without +code), e.g. RU."
        ),
    ] = None,
    rejects: Annotated[
        Path | None,
        typer.Option(
            help="Where to write rejected rows (default: FILE.rejects.csv beside the input)."
        ),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the summary as JSON.")] = False,
) -> None:
    """Import a purchased list or CRM export: companies, contacts, phones, emails, ИНН/ОГРН.

    Headers are recognized in English, Russian and German (Название, Сайт, Телефон, ИНН, E-mail,
    ФИО, Должность, Firma, Ansprechpartner …); the encoding (UTF-8, windows-1251 …) and the
    delimiter are detected.  Bad rows are reported with their number and reason, the rest goes
    in; importing the same file again changes nothing but the time of the latest sighting.
    """
    from leadgen.importing.columns import parse_map_options
    from leadgen.importing.stage import UnimportableFile, import_file
    from leadgen.progress import progress
    from storage.files import FileReadError

    try:
        overrides = parse_map_options(map_ or [])
    except ValueError as exc:
        _fail(str(exc), 2)
    if not file.exists():
        _fail(f"{file}: no such file; nothing was imported")
    engine = _engine()
    try:
        with progress(err, f"importing {file.name}", "rows") as update:
            summary = import_file(
                engine,
                file,
                source=source or file.name,
                customers=customers,
                overrides=overrides,
                encoding=encoding,
                delimiter=delimiter,
                sheet=sheet,
                country=country,
                rejects_path=rejects,
                progress=update,
            )
    except FileReadError as exc:
        _fail(f"{exc.path}: {exc.reason}; nothing was imported")
    except UnimportableFile as exc:
        _fail(f"{exc}; nothing was imported")
    if as_json:
        print(json.dumps(summary.as_dict(), ensure_ascii=False, indent=2))
        return
    _print_import_summary(summary)


def _print_import_summary(s) -> None:
    r = s.result
    shown = 20
    for p in s.problems[:shown]:
        colour = "red" if p.severity == "error" else "yellow"
        err.print(f"[{colour}]{p.where}[/]: {p.reason}", highlight=False)
    if len(s.problems) > shown:
        err.print(
            f"… and {len(s.problems) - shown} more problems (all in the run record "
            f"#{s.run_id}{' and ' + s.rejects_path if s.rejects_path else ''})"
        )
    if s.ignored_columns:
        err.print(
            f"[yellow]columns not imported[/]: {', '.join(s.ignored_columns)} "
            "(map them with --map 'COLUMN=field')",
            highlight=False,
        )
    enc = f", {s.encoding}" if s.encoding else ""
    delim = f", delimiter {s.delimiter!r}" if s.delimiter else ""
    err.print(
        f"[bold]import #{s.run_id}[/] {Path(s.path).name} ({s.format}{enc}{delim}): "
        f"{s.rows} rows, {s.imported_rows} imported, {s.rejected_rows} rejected · companies "
        f"{r.companies_new} new, {r.companies_updated} updated, {r.companies_unchanged} unchanged"
        f"{f', {r.companies_merged} merged' if r.companies_merged else ''} · people "
        f"{r.people_new} new, {r.people_updated} updated, {r.people_unchanged} unchanged · "
        f"emails {r.emails_new} new"
        f"{f' · {r.suppressed} suppressed' if r.suppressed else ''} · {s.seconds:.1f}s",
        highlight=False,
    )
    if s.rejects_path:
        err.print(f"rejected rows written to {s.rejects_path}", highlight=False)


# -- list / export filters --------------------------------------------------------------------
CountryOpt = Annotated[str | None, typer.Option(help="ISO country code, e.g. RU, DE.")]
RegionOpt = Annotated[str | None, typer.Option(help="Region / state.")]
CityOpt = Annotated[str | None, typer.Option(help="City.")]
StatusOpt = Annotated[str | None, typer.Option(help="new, current or former (customer).")]
IndustryOpt = Annotated[str | None, typer.Option(help="Industry, exactly as stored.")]
NameOpt = Annotated[str | None, typer.Option("--name", help="Company name starts with.")]
DomainOpt = Annotated[str | None, typer.Option(help="Registrable domain.")]
MinEmpOpt = Annotated[int | None, typer.Option(help="At least this many employees.")]
MaxEmpOpt = Annotated[int | None, typer.Option(help="At most this many employees.")]
HasEmailOpt = Annotated[
    bool | None, typer.Option("--has-email/--no-email", help="With (or without) any email.")
]
HasPhoneOpt = Annotated[
    bool | None, typer.Option("--has-phone/--no-phone", help="With (or without) a company phone.")
]
HasDmOpt = Annotated[
    bool | None,
    typer.Option(
        "--has-decision-maker/--no-decision-maker", help="With (or without) a decision maker."
    ),
]


def _filter(**kw: Any):
    from storage.models import COMPANY_STATUSES
    from storage.queries import ProspectFilter

    if kw.get("status") and kw["status"] not in COMPANY_STATUSES:
        _fail(f"--status must be one of {', '.join(COMPANY_STATUSES)}", 2)
    return ProspectFilter(**kw)


@app.command(
    "list",
    epilog="Examples: leadgen list --country RU --city Москва --has-email  |  "
    "leadgen list --status current --json  |  leadgen list --name ромаш  |  "
    "leadgen list construction-ru-crm --tier strategic --json",
)
def list_cmd(
    segment: Annotated[
        str | None,
        typer.Argument(help="A scored segment: its accounts, best score first (see --tier)."),
    ] = None,
    tier: Annotated[
        str | None, typer.Option(help="With SEGMENT: strategic, scale or programmatic.")
    ] = None,
    cell: Annotated[
        str | None, typer.Option(help="With SEGMENT: a 9-box cell, e.g. high/medium.")
    ] = None,
    min_score: Annotated[
        float | None, typer.Option(help="With SEGMENT: the lowest total score shown.")
    ] = None,
    country: CountryOpt = None,
    region: RegionOpt = None,
    city: CityOpt = None,
    status: StatusOpt = None,
    industry: IndustryOpt = None,
    name: NameOpt = None,
    domain: DomainOpt = None,
    min_employees: MinEmpOpt = None,
    max_employees: MaxEmpOpt = None,
    has_email: HasEmailOpt = None,
    has_phone: HasPhoneOpt = None,
    has_decision_maker: HasDmOpt = None,
    limit: Annotated[int, typer.Option(help="How many companies to show.")] = 50,
    offset: Annotated[int, typer.Option(help="Skip this many first.")] = 0,
    sort: Annotated[str, typer.Option(help="name, newest or employees.")] = "name",
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")] = False,
) -> None:
    """List prospects with their best contact (decision makers and verified emails first).

    With SEGMENT: the segment's scored accounts, best total first, with tier (and whether it
    was set by hand), cell and scores."""
    from storage.queries import SORTS, list_companies

    if segment is not None:
        from leadgen.score_stage import list_segment_accounts

        list_segment_accounts(segment, tier, cell, min_score, limit, offset, as_json)
        return
    if tier is not None or cell is not None or min_score is not None:
        _fail("--tier, --cell and --min-score need a SEGMENT", 2)

    if sort not in SORTS:
        _fail(f"--sort must be one of {', '.join(SORTS)}", 2)
    flt = _filter(
        country=country,
        region=region,
        city=city,
        status=status,
        industry=industry,
        name=name,
        domain=domain,
        min_employees=min_employees,
        max_employees=max_employees,
        has_email=has_email,
        has_phone=has_phone,
        has_decision_maker=has_decision_maker,
    )
    from leadgen.customer_history import account_colours

    engine = _engine()
    with engine.connect() as conn:
        rows = list_companies(conn, flt, limit=limit, offset=offset, sort=sort)
        colours = account_colours(conn, rows)
    for c in rows:
        c["colour"] = colours[c["id"]]
    if as_json:
        print(json.dumps([_company_json(c) for c in rows], ensure_ascii=False, indent=2))
        return
    _print_companies(rows, offset)


def _company_json(c: dict[str, Any]) -> dict[str, Any]:
    def person(p):
        return {
            "id": p["id"],
            "name": p["full_name"],
            "title": p["title"],
            "seniority": p["seniority"],
            "department": p["department"],
            "is_decision_maker": bool(p["is_decision_maker"]),
            "emails": [{"address": e["address"], "status": e["status"]} for e in p["emails"]],
            "phones": p["phones"] or [],
        }

    keys = (
        "id",
        "name",
        "legal_form",
        "domain",
        "website",
        "country",
        "region",
        "city",
        "address",
        "industry",
        "employees",
        "revenue",
        "inn",
        "ogrn",
        "kpp",
        "vat",
        "status",
    )
    return {
        **{k: c[k] for k in keys},
        "colour": c.get("colour"),
        "phones": c["phones"] or [],
        "emails": c["company_emails"],
        "people_count": c["people_count"],
        "decision_makers": c["decision_makers"],
        "best_contact": person(c["contact"]) if c["contact"] else None,
        "first_seen": c["first_seen"].isoformat(),
        "last_seen": c["last_seen"].isoformat(),
    }


def _print_companies(rows: list[dict[str, Any]], offset: int) -> None:
    from rich.table import Table

    if not rows:
        err.print("no companies match" if offset == 0 else "no more companies")
        return
    t = Table(header_style="bold", expand=False, show_lines=True)
    t.add_column("#", justify="right", style="dim")
    t.add_column("Company", max_width=36)
    t.add_column("City", max_width=18)
    t.add_column("Status")
    t.add_column("Colour")
    t.add_column("Phone", no_wrap=True)
    t.add_column("People", justify="right")
    t.add_column("Best contact", max_width=44)
    for c in rows:
        p = c["contact"]
        company = c["name"] + (f"\n[dim]{c['domain']}[/]" if c["domain"] else "")
        email = (c["company_emails"] or [""])[0]
        who = ""
        if p:
            who = ("★ " if p["is_decision_maker"] else "") + p["full_name"]
            if p["title"]:
                who += f"\n[dim]{p['title']}[/]"
            if p["emails"]:
                email = p["emails"][0]["address"]
        if email:
            who += ("\n" if who else "") + f"[cyan]{email}[/]"
        people = f"{c['people_count']}" + (
            f" ({c['decision_makers']}★)" if c["decision_makers"] else ""
        )
        t.add_row(
            str(c["id"]),
            company,
            c["city"] or "",
            c["status"],
            c.get("colour") or "",
            (c["phones"] or [""])[0],
            people,
            who,
        )
    out.print(t)
    err.print(
        f"{len(rows)} companies shown (from {offset + 1}); ★ = decision maker", highlight=False
    )


# -- export -----------------------------------------------------------------------------------
@app.command(
    "export",
    epilog="Examples: leadgen export -o prospects.xlsx --country RU  |  "
    "leadgen export -o contacts.csv --contacts --excel  |  "
    "leadgen export -o all.jsonl --format jsonl  |  "
    "leadgen export -o strategic.xlsx --segment construction-ru-crm --tier strategic",
)
def export_cmd(
    output: Annotated[Path, typer.Option("-o", "--output", help="File to write.")],
    fmt: Annotated[
        str | None,
        typer.Option("--format", help="csv, xlsx or jsonl (default: from the file name)."),
    ] = None,
    contacts: Annotated[
        bool, typer.Option("--contacts", help="One row per person instead of one per company.")
    ] = False,
    excel: Annotated[
        bool,
        typer.Option("--excel", help="CSV with a UTF-8 BOM so Excel shows Cyrillic correctly."),
    ] = False,
    segment: Annotated[
        str | None,
        typer.Option(
            help="Only this scored segment's accounts, with its tier, cell, scores and DQI."
        ),
    ] = None,
    tier: Annotated[
        str | None, typer.Option(help="With --segment: strategic, scale or programmatic.")
    ] = None,
    country: CountryOpt = None,
    region: RegionOpt = None,
    city: CityOpt = None,
    status: StatusOpt = None,
    industry: IndustryOpt = None,
    name: NameOpt = None,
    domain: DomainOpt = None,
    min_employees: MinEmpOpt = None,
    max_employees: MaxEmpOpt = None,
    has_email: HasEmailOpt = None,
    has_phone: HasPhoneOpt = None,
    has_decision_maker: HasDmOpt = None,
) -> None:
    """Export prospects: one row per company with its best contact, or one per person.

    The columns are documented in docs/export.md.  Every export is recorded in export_log.
    """
    from leadgen.customer_history import colour_function
    from leadgen.progress import progress
    from scoring.customers import DEFAULT_WINDOW_DAYS
    from storage.exports import FORMATS, export

    fmt = fmt or output.suffix.lstrip(".").lower()
    if fmt not in FORMATS:
        _fail(f"cannot tell the format of {output.name}: use --format csv|xlsx|jsonl", 2)
    flt = _filter(
        country=country,
        region=region,
        city=city,
        status=status,
        industry=industry,
        name=name,
        domain=domain,
        min_employees=min_employees,
        max_employees=max_employees,
        has_email=has_email,
        has_phone=has_phone,
        has_decision_maker=has_decision_maker,
    )
    if tier is not None and segment is None:
        _fail("--tier needs --segment", 2)
    from storage.scores import TIERS, UnknownSegment

    if tier is not None and tier not in TIERS:
        _fail(f"--tier must be one of {', '.join(TIERS)}", 2)
    engine = _engine()
    try:
        window = DEFAULT_WINDOW_DAYS
        if segment is not None:
            from leadgen.customer_history import segment_window

            with engine.connect() as conn:
                window = segment_window(conn, segment)
        with progress(err, f"exporting {output.name}", "companies") as update:
            result = export(
                engine,
                output,
                fmt=fmt,
                flt=flt,
                contacts=contacts,
                excel=excel,
                progress=update,
                segment=segment,
                tier=tier,
                colour=colour_function(window_days=window),
            )
    except UnknownSegment:
        _fail(f"no segment named {segment!r} (leadgen score SEGMENT.toml creates it)", 2)
    err.print(
        f"wrote {result.rows} {'contacts' if contacts else 'companies'} to {result.path}",
        highlight=False,
    )


# -- forget -----------------------------------------------------------------------------------
@app.command(
    "forget",
    epilog="Examples: leadgen forget ivan.petrov@romashka.ru  |  "
    "leadgen forget romashka.ru --reason 'opt-out 2026-11-02'",
)
def forget_cmd(
    target: Annotated[str, typer.Argument(help="An email address or a domain.")],
    reason: Annotated[str | None, typer.Option(help="Why (kept with the suppression).")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the result as JSON.")] = False,
) -> None:
    """Erase a person's (by email) or a domain's personal data and suppress it for good.

    People, emails and their observations are deleted, the database file is compacted so the
    bytes are gone, and the email/domain is kept as a hash on the suppression list: later imports
    and crawls never store it again (GDPR art. 17, 152-ФЗ).
    """
    from enrichment.normalize.domains import registrable_domain
    from enrichment.normalize.emails import normalize_email
    from storage.erase import compact_after_erase, forget_domain, forget_email

    engine = _engine()
    if "@" in target:
        email = normalize_email(target)
        if not email.valid or not email.address:
            _fail(f"{target!r} is not a valid email address ({email.reason})", 2)
        with engine.begin() as conn:
            result = forget_email(conn, email.address, reason=reason)
    else:
        domain = registrable_domain(target)
        if not domain:
            _fail(f"{target!r} is neither an email address nor a domain", 2)
        with engine.begin() as conn:
            result = forget_domain(conn, domain, reason=reason)
    compact_after_erase(engine)
    if as_json:
        print(json.dumps(result.as_dict(), ensure_ascii=False))
        return
    err.print(
        f"erased {result.target}: {result.companies} companies, {result.people} people, "
        f"{result.emails} emails, {result.observations} observations; "
        f"{'added to' if result.newly_suppressed else 'already on'} the suppression list",
        highlight=False,
    )


# -- db ---------------------------------------------------------------------------------------
@db_app.command(
    "upgrade",
    epilog="Example: LEADGEN_DATABASE_URL=postgresql+psycopg://leadgen@"
    "localhost/leadgen leadgen db upgrade",
)
def db_upgrade() -> None:
    """Create the tables or upgrade them to the latest schema revision."""
    from storage.db import finish_bulk_write
    from storage.migrate import upgrade

    engine = _engine(migrate=False)
    before, after = upgrade(engine)
    finish_bulk_write(engine)
    if before == after:
        err.print(f"database is up to date (revision {after})")
    else:
        err.print(f"database upgraded: {before or 'empty'} → {after}")


@db_app.command("current", epilog="Example: leadgen db current")
def db_current() -> None:
    """Print the database's schema revision and the latest one this version knows."""
    from storage.migrate import current_revision, head_revision

    engine = _engine(migrate=False)
    print(json.dumps({"current": current_revision(engine), "head": head_revision()}))


# Commands that live in their own modules register themselves on ``app``.
from leadgen import (  # noqa: E402,F401
    changes,
    crawling,
    customer_history,
    deduping,
    enriching,
    guessing,
    normalizing,
    pipeline,
    refresh,
    report,
    score_stage,
    verifying,
)


def main() -> None:
    try:
        app()
    except KeyboardInterrupt:
        err.print("interrupted; work done so far is kept (runs are idempotent, start it again)")
        sys.exit(130)
    except Exception as exc:
        if not type(exc).__module__.startswith(("sqlalchemy", "alembic", "psycopg", "sqlite3")):
            raise
        # The database, not the input: say which and what, without a wall of traceback.
        cause = getattr(exc, "orig", None) or exc
        err.print(
            f"[bold red]database error[/] ({type(cause).__name__}): {str(cause).splitlines()[0]}",
            highlight=False,
        )
        err.print("check --database-url / LEADGEN_DATABASE_URL, or run `leadgen db upgrade`")
        sys.exit(1)
