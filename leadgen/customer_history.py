"""Customer history commands: ``import-orders``, ``customers`` (RFM, ABC, colour) and
``reactivation`` — thin shells: read the orders (``storage.orders``), compute
(``scoring.customers``), print.  Rules and examples: docs/customers.md.

``--segment NAME_OR_FILE`` takes its ``[customers]`` settings as the defaults of
``--current-days``, ``--default-interval-days`` and ``--factor`` (an option given on the
command line wins) and, for ``customers`` and ``reactivation``, lists only the customers scored
in the segment.  ``update_statuses`` is the customer-status pass for a segment's refresh.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Annotated, Any

import typer

from leadgen.cli import _engine, _fail, app, err, out
from scoring.config import MAX_CUSTOMER_DAYS, CustomersConfig
from scoring.customers import (
    ABC_CLASSES,
    COLOURS,
    DEFAULT_ABC_SPLIT,
    DEFAULT_GOLD_ORDERS,
    DEFAULT_WINDOW_DAYS,
    RFM,
    SEGMENTS,
    AccountFacts,
    CustomerOrders,
    abc_classes,
    lifecycle_colour,
    parse_abc_split,
    reactivation_list,
    rfm_scores,
    summarize_orders,
)

SORTS = ("monetary", "recency", "frequency", "rfm", "name")


@dataclass(slots=True)
class CustomerRow:
    summary: CustomerOrders
    rfm: RFM
    abc: str
    colour: str
    account: dict[str, Any] | None = None

    def as_dict(self) -> dict[str, Any]:
        a = self.account or {}
        s, r = self.summary, self.rfm
        return {
            "id": s.id,
            "name": a.get("name"),
            "domain": a.get("domain"),
            "inn": a.get("inn"),
            "status": a.get("status"),
            "orders": s.orders,
            "revenue": round(s.revenue, 2),
            "first_order": s.first_order.isoformat(),
            "last_order": s.last_order.isoformat(),
            "recency_days": r.recency_days,
            "r": r.r,
            "f": r.f,
            "m": r.m,
            "rfm": r.code,
            "segment": r.segment,
            "abc": self.abc,
            "colour": self.colour,
            "best_contact": _contact(a.get("contact")),
        }


def _contact(p: dict[str, Any] | None) -> dict[str, Any] | None:
    if not p:
        return None
    return {
        "name": p["full_name"],
        "title": p["title"],
        "is_decision_maker": bool(p["is_decision_maker"]),
        "email": p["emails"][0]["address"] if p["emails"] else None,
        "email_status": p["emails"][0]["status"] if p["emails"] else None,
        "phone": (p["phones"] or [None])[0],
    }


def load_summaries(conn) -> list[CustomerOrders]:
    from storage.orders import iter_order_histories

    return [summarize_orders(cid, lines) for cid, lines in iter_order_histories(conn)]


def customer_rows(
    conn,
    as_of: date,
    *,
    split: tuple[float, float, float] = DEFAULT_ABC_SPLIT,
    window_days: int = DEFAULT_WINDOW_DAYS,
    gold_orders: int = DEFAULT_GOLD_ORDERS,
) -> list[CustomerRow]:
    """Every customer (account with at least one order) with its RFM, ABC class and colour;
    accounts (names, contacts) are not loaded here (``attach_accounts``)."""
    from storage.orders import opted_out_ids

    summaries = load_summaries(conn)
    rfm = rfm_scores(summaries, as_of)
    abc = abc_classes({s.id: s.revenue for s in summaries}, split)
    opted = opted_out_ids(conn)
    return [
        CustomerRow(
            s,
            rfm[s.id],
            abc[s.id],
            lifecycle_colour(
                AccountFacts(orders=s.orders, last_order=s.last_order, opted_out=s.id in opted),
                as_of,
                window_days=window_days,
                gold_orders=gold_orders,
            ),
        )
        for s in summaries
    ]


def attach_accounts(conn, rows: list[CustomerRow]) -> None:
    from storage.orders import load_customer_accounts

    accounts = load_customer_accounts(conn, [r.summary.id for r in rows])
    for r in rows:
        r.account = accounts.get(r.summary.id)


def colour_function(
    as_of: date | None = None,
    *,
    window_days: int = DEFAULT_WINDOW_DAYS,
    gold_orders: int = DEFAULT_GOLD_ORDERS,
) -> Callable[..., str]:
    """``colour(orders=, last_order=, status=, opted_out=, contacts=)`` -> lifecycle colour, for
    ``storage.exports`` and ``leadgen list``."""
    from storage.clock import utcnow

    day = as_of or utcnow().date()

    def colour(**facts: Any) -> str:
        return lifecycle_colour(
            AccountFacts(**facts), day, window_days=window_days, gold_orders=gold_orders
        )

    return colour


def account_colours(
    conn, companies: list[dict[str, Any]], *, window_days: int = DEFAULT_WINDOW_DAYS
) -> dict[int, str]:
    """id -> colour for rows of ``storage.queries.list_companies`` (contacts attached);
    ``window_days``: a segment's ``customers.current_days``."""
    from storage.orders import order_stats

    stats = order_stats(conn, [c["id"] for c in companies])
    colour = colour_function(window_days=window_days)
    out = {}
    for c in companies:
        n, last = stats.get(c["id"], (0, None))
        out[c["id"]] = colour(
            orders=n,
            last_order=last,
            status=c["status"],
            opted_out=c.get("opted_out_at") is not None,
            contacts=bool(c["people_count"] or c["company_emails"] or c["phones"]),
        )
    return out


def update_statuses(
    engine_or_conn, segment: Any, today: date | datetime, *, run_id: int | None = None
) -> dict[str, int]:
    """The customer-status pass of a segment's refresh: every account **with orders** becomes
    ``current`` when its last order is at most the segment's ``customers.current_days`` before
    ``today``, else ``former``; each change is a ``changed status`` change event (with
    ``run_id``).  Accounts without orders keep their status.  The status is one fact of the
    whole base, so every customer is looked at, not only the segment's scored accounts (a
    segment that excludes current customers could never see one of them turn former).

    ``engine_or_conn``: an Engine (its own write transaction) or a Connection (the caller's
    transaction).  ``segment``: a ``SegmentConfig`` (None: the defaults).  Returns
    ``{"current": accounts now current, "former": accounts now former, "current_days": the
    window used}``; a second call the same day returns zeros."""
    from sqlalchemy import Connection

    from storage.db import write_transaction
    from storage.orders import refresh_customer_status

    window = (segment.customers if segment is not None else CustomersConfig()).current_days
    day = today.date() if isinstance(today, datetime) else today
    if isinstance(engine_or_conn, Connection):
        changed = refresh_customer_status(engine_or_conn, day, window, run_id=run_id)
    else:
        with write_transaction(engine_or_conn) as conn:
            changed = refresh_customer_status(conn, day, window, run_id=run_id)
    return {**changed, "current_days": window}


def segment_window(conn, name: str) -> int:
    """The ``[customers] current_days`` of the segment stored as ``name`` by ``leadgen score``
    (the lifecycle colour's "no purchase for over …" window); the default when the stored file
    cannot be read any more.  ``UnknownSegment`` for a segment never scored."""
    from scoring import SegmentError
    from scoring.segment import parse_segment
    from storage.scores import segment_definition

    definition = segment_definition(conn, name)
    try:
        return parse_segment(definition, source=name).customers.current_days
    except SegmentError:
        return CustomersConfig().current_days


def load_segment_option(text: str | None, engine) -> Any:
    """``--segment``: a segment file or the name of a scored segment (``leadgen.refresh``'s
    ``resolve_segment``) -> its ``SegmentConfig``; None without the option.  A bad file or an
    unknown name ends the command (exit 2) with the reason."""
    if text is None:
        return None
    from leadgen.refresh import resolve_segment
    from scoring import SegmentError
    from storage.scores import UnknownSegment

    try:
        segment, _ = resolve_segment(text, engine)
    except (FileNotFoundError, SegmentError) as exc:
        _fail(str(exc), 2)
    except UnknownSegment:
        hint = f"; {text!r} is an RFM segment: use --rfm {text!r}" if text in SEGMENTS else ""
        _fail(
            f"--segment {text!r}: no such segment file and no segment of that name has been "
            f"scored (leadgen score SEGMENT.toml){hint}",
            2,
        )
    return segment


def segment_customers(conn, segment: Any) -> set[int]:
    """The ids of the accounts scored in ``segment`` (exit 2 when it never was)."""
    from storage.orders import scored_company_ids
    from storage.scores import UnknownSegment

    try:
        return scored_company_ids(conn, segment.name)
    except UnknownSegment:
        _fail(
            f"segment {segment.name!r} has not been scored yet, so it has no accounts to list: "
            "leadgen score SEGMENT.toml first",
            2,
        )
        raise  # unreachable: _fail exits


def _setting(given: Any, segment: Any, key: str) -> Any:
    """An option given on the command line wins, then the segment's [customers], then the
    default."""
    if given is not None:
        return given
    return getattr(segment.customers if segment is not None else CustomersConfig(), key)


_SORT_KEYS: dict[str, Callable[[CustomerRow], Any]] = {
    "monetary": lambda r: (-r.summary.revenue, r.summary.id),
    "recency": lambda r: (r.rfm.recency_days, r.summary.id),
    "frequency": lambda r: (-r.summary.orders, r.summary.id),
    "rfm": lambda r: (-(r.rfm.r * 100 + r.rfm.f * 10 + r.rfm.m), -r.summary.revenue, r.summary.id),
}


def _as_of(text: str | None) -> date:
    from storage.clock import utcnow

    if text is None:
        return utcnow().date()
    try:
        return date.fromisoformat(text)
    except ValueError:
        _fail(f"--as-of {text!r}: expected a date like 2026-12-01", 2)
        raise  # unreachable: _fail exits


def _split(text: str | None) -> tuple[float, float, float]:
    if text is None:
        return DEFAULT_ABC_SPLIT
    try:
        return parse_abc_split(text)
    except ValueError as exc:
        _fail(str(exc), 2)
        raise


AsOfOpt = Annotated[
    str | None,
    typer.Option("--as-of", help="Compute as of this date (YYYY-MM-DD; default: today, UTC)."),
]
WindowOpt = Annotated[
    int | None,
    typer.Option(
        "--current-days",
        min=1,
        max=MAX_CUSTOMER_DAYS,
        show_default=False,
        help="A customer is current when its last order is at most this many days old; "
        f"older is former (and colour red). Default: the --segment's [customers] "
        f"current_days, else {DEFAULT_WINDOW_DAYS}.",
    ),
]
SegmentOpt = Annotated[
    str | None,
    typer.Option(
        "--segment",
        metavar="NAME_OR_FILE",
        help="A segment file, or the name of a scored segment: its [customers] settings "
        "are the defaults.",
    ),
]


# -- import-orders ------------------------------------------------------------------------------
@app.command(
    "import-orders",
    epilog=(
        "Examples: leadgen import-orders sales-2025.xlsx  |  "
        "leadgen import-orders 1c-export.csv --encoding cp1251 --date-order dmy  |  "
        "leadgen import-orders crm.csv --map 'Deal value=amount' --current-days 180 --json  |  "
        "leadgen import-orders sales.csv --segment construction-ru-crm"
    ),
)
def import_orders_cmd(
    file: Annotated[Path, typer.Argument(help="A .csv/.tsv/.txt or .xlsx file of orders.")],
    source: Annotated[
        str | None, typer.Option(help="Name of this file, kept with every order (default: name).")
    ] = None,
    map_: Annotated[
        list[str] | None,
        typer.Option(
            "--map",
            help="COLUMN=FIELD (company_name, inn, domain, website, order_date, amount, "
            "order_number, currency, or ignore); repeatable.",
        ),
    ] = None,
    encoding: Annotated[str | None, typer.Option(help="Text encoding (default: detected).")] = None,
    delimiter: Annotated[
        str | None, typer.Option(help="CSV delimiter (default: detected among , ; tab |).")
    ] = None,
    sheet: Annotated[str | None, typer.Option(help="XLSX sheet (default: the first).")] = None,
    date_order: Annotated[
        str | None,
        typer.Option(
            "--date-order",
            help="dmy or mdy for dates like 04/03/2025 (default: decided from the file's "
            "dates, else dmy).",
        ),
    ] = None,
    current_days: WindowOpt = None,
    segment: SegmentOpt = None,
    rejects: Annotated[
        Path | None,
        typer.Option(help="Where to write rejected rows (default: FILE.rejects.csv)."),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the summary as JSON.")] = False,
) -> None:
    """Import a customer's orders (CSV/XLSX: customer name and/or INN/domain, date, amount).

    Rows are matched to accounts by INN, then domain, then normalized name; rows that match
    none are reported (row and reason) and written to the rejects file — no account is created
    (import the customers first with `leadgen import --customers`, then this file again).
    Matched accounts become current customers (last order within --current-days, or the
    --segment's [customers] current_days) or former ones.  Importing the same file twice
    changes nothing.
    """
    from leadgen.importing.columns import parse_map_options
    from leadgen.importing.orders import ORDER_FIELDS, import_orders
    from leadgen.importing.stage import UnimportableFile
    from leadgen.progress import progress
    from storage.files import FileReadError

    if date_order is not None and date_order not in ("dmy", "mdy"):
        _fail("--date-order must be dmy or mdy", 2)
    try:
        overrides = parse_map_options(map_ or [], ORDER_FIELDS)
    except ValueError as exc:
        _fail(str(exc), 2)
    if not file.exists():
        _fail(f"{file}: no such file; nothing was imported")
    engine = _engine()
    window = _setting(current_days, load_segment_option(segment, engine), "current_days")
    try:
        with progress(err, f"importing orders from {file.name}", "orders") as update:
            s = import_orders(
                engine,
                file,
                source=source or file.name,
                overrides=overrides,
                encoding=encoding,
                delimiter=delimiter,
                sheet=sheet,
                order=date_order,
                window_days=window,
                rejects_path=rejects,
                progress=update,
            )
    except FileReadError as exc:
        _fail(f"{exc.path}: {exc.reason}; nothing was imported")
    except (UnimportableFile, ValueError) as exc:
        _fail(f"{exc}; nothing was imported")
    if as_json:
        print(json.dumps(s.as_dict(), ensure_ascii=False, indent=2))
        return
    shown = 20
    for number, reason, severity in s.problems[:shown]:
        colour = "red" if severity == "error" else "yellow"
        where = f"row {number}" if number else "file"
        err.print(f"[{colour}]{where}[/]: {reason}", highlight=False)
    if len(s.problems) > shown:
        err.print(f"… and {len(s.problems) - shown} more (run record #{s.run_id})")
    if s.ignored_columns:
        err.print(
            f"[yellow]columns not imported[/]: {', '.join(s.ignored_columns)}", highlight=False
        )
    r = s.result
    by = ", ".join(f"{n} by {k}" for k, n in sorted(r.matched_by.items())) or "none matched"
    err.print(
        f"[bold]import-orders #{s.run_id}[/] {Path(s.path).name} ({s.format}, dates "
        f"{s.date_order}): {s.rows} rows, {s.orders} orders ({by}) · {r.new} new, "
        f"{r.updated} updated, {r.unchanged} unchanged · {len(r.companies)} customers · "
        f"{len(r.unmatched)} unmatched, {s.rejected_rows} rows rejected · status: "
        f"{s.status_changes.get('current', 0)} now current, "
        f"{s.status_changes.get('former', 0)} now former · {s.seconds:.1f}s",
        highlight=False,
    )
    if s.rejects_path:
        err.print(f"rejected rows written to {s.rejects_path}", highlight=False)


# -- customers ----------------------------------------------------------------------------------
@app.command(
    "customers",
    epilog=(
        "Examples: leadgen customers  |  leadgen customers --rfm 'at risk' --abc A  |  "
        "leadgen customers --colour red --json --limit 0  |  "
        "leadgen customers --segment construction-ru-crm --rfm champions  |  "
        "leadgen customers --abc-split 70/20/10 --as-of 2026-06-30"
    ),
)
def customers_cmd(
    rfm: Annotated[
        str | None, typer.Option(help=f"Only this RFM segment: {', '.join(SEGMENTS)}.")
    ] = None,
    abc: Annotated[str | None, typer.Option(help="Only this ABC class: A, B or C.")] = None,
    colour: Annotated[
        str | None, typer.Option(help=f"Only this lifecycle colour: {', '.join(COLOURS)}.")
    ] = None,
    sort: Annotated[str, typer.Option(help=f"{', '.join(SORTS)}.")] = "monetary",
    abc_split: Annotated[
        str | None, typer.Option(help="ABC cumulative revenue shares, default 80/15/5.")
    ] = None,
    current_days: WindowOpt = None,
    segment: Annotated[
        str | None,
        typer.Option(
            "--segment",
            metavar="NAME_OR_FILE",
            help="Only the customers scored in this segment (a segment file, or the name of a "
            "scored segment); its [customers] current_days is the default window.",
        ),
    ] = None,
    as_of: AsOfOpt = None,
    limit: Annotated[int, typer.Option(min=0, help="How many to show (0: all).")] = 50,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")] = False,
) -> None:
    """Customers with their RFM scores and segment, ABC class and lifecycle colour.

    RFM: recency, frequency, monetary scored 1-5 by quintiles over all customers; ABC: classes
    by cumulative revenue share; colour: see docs/customers.md.  With --segment only the
    segment's scored accounts are listed (their RFM and ABC still ranked among all
    customers).  The counts per RFM segment and ABC class go to stderr.
    """
    if rfm is not None and rfm not in SEGMENTS:
        _fail(f"--rfm must be one of: {', '.join(SEGMENTS)}", 2)
    if abc is not None and abc.upper() not in ABC_CLASSES:
        _fail("--abc must be A, B or C", 2)
    if colour is not None and colour not in COLOURS:
        _fail(f"--colour must be one of: {', '.join(COLOURS)}", 2)
    if sort not in SORTS:
        _fail(f"--sort must be one of: {', '.join(SORTS)}", 2)
    split = _split(abc_split)
    day = _as_of(as_of)
    engine = _engine()
    seg = load_segment_option(segment, engine)
    window = _setting(current_days, seg, "current_days")
    with engine.connect() as conn:
        rows = customer_rows(conn, day, split=split, window_days=window)
        if seg is not None:
            members = segment_customers(conn, seg)
            rows = [r for r in rows if r.summary.id in members]
        everyone = rows
        rows = [
            r
            for r in rows
            if (rfm is None or r.rfm.segment == rfm)
            and (abc is None or r.abc == abc.upper())
            and (colour is None or r.colour == colour)
        ]
        if sort == "name":
            attach_accounts(conn, rows)
            rows.sort(key=lambda r: ((r.account or {}).get("name") or "", r.summary.id))
        else:
            rows.sort(key=_SORT_KEYS[sort])
        if limit:
            rows = rows[:limit]
        if sort != "name":
            attach_accounts(conn, rows)
    if as_json:
        print(json.dumps([r.as_dict() for r in rows], ensure_ascii=False, indent=2))
    else:
        _print_customers(rows)
    _print_overview(everyone, day, seg.name if seg is not None else None)


def _money(v: float) -> str:
    return f"{v:,.0f}".replace(",", " ")


def _print_customers(rows: list[CustomerRow]) -> None:
    from rich.table import Table

    if not rows:
        err.print("no customers match (leadgen import-orders FILE brings the order history)")
        return
    t = Table(header_style="bold")
    for name, justify in (
        ("#", "right"),
        ("Customer", "left"),
        ("Orders", "right"),
        ("Revenue", "right"),
        ("Last order", "left"),
        ("Days", "right"),
        ("RFM", "left"),
        ("Segment", "left"),
        ("ABC", "left"),
        ("Colour", "left"),
    ):
        t.add_column(name, justify=justify)  # type: ignore[arg-type]
    for r in rows:
        a = r.account or {}
        t.add_row(
            str(r.summary.id),
            (a.get("name") or "?") + (f" [dim]{a['domain']}[/]" if a.get("domain") else ""),
            str(r.summary.orders),
            _money(r.summary.revenue),
            r.summary.last_order.isoformat(),
            str(r.rfm.recency_days),
            r.rfm.code,
            r.rfm.segment,
            r.abc,
            r.colour,
        )
    out.print(t)


def _print_overview(rows: Iterable[CustomerRow], day: date, segment: str | None = None) -> None:
    rows = list(rows)
    total = sum(r.summary.revenue for r in rows if r.summary.revenue > 0) or 1.0
    segs = {s: 0 for s in SEGMENTS}
    classes = {c: [0, 0.0] for c in ABC_CLASSES}
    for r in rows:
        segs[r.rfm.segment] += 1
        classes[r.abc][0] += 1
        classes[r.abc][1] += max(r.summary.revenue, 0.0)
    err.print(
        f"{len(rows)} customers"
        + (f" in segment {segment}" if segment else "")
        + f" as of {day.isoformat()} · ABC "
        + ", ".join(f"{c} {n} ({100 * v / total:.0f} %)" for c, (n, v) in classes.items())
        + " · "
        + ", ".join(f"{s} {n}" for s, n in segs.items() if n),
        highlight=False,
    )


# -- reactivation -------------------------------------------------------------------------------
@app.command(
    "reactivation",
    epilog=(
        "Examples: leadgen reactivation  |  leadgen reactivation --default-interval-days 60 "
        "--json  |  leadgen reactivation --factor 1.5 --limit 0  |  "
        "leadgen reactivation --segment construction-ru-crm"
    ),
)
def reactivation_cmd(
    default_interval_days: Annotated[
        float | None,
        typer.Option(
            min=1,
            max=MAX_CUSTOMER_DAYS,
            show_default=False,
            help="Usual interval for customers with a single order day (days). Default: the "
            "--segment's [customers] reactivation_interval_days, else "
            f"{CustomersConfig().reactivation_interval_days:g}.",
        ),
    ] = None,
    factor: Annotated[
        float | None,
        typer.Option(
            min=0.1,
            show_default=False,
            help="Silent when the days since the last order exceed interval × factor. Default: "
            "the --segment's [customers] reactivation_factor, else "
            f"{CustomersConfig().reactivation_factor:g}.",
        ),
    ] = None,
    segment: Annotated[
        str | None,
        typer.Option(
            "--segment",
            metavar="NAME_OR_FILE",
            help="Only the customers scored in this segment (a segment file, or the name of a "
            "scored segment); its [customers] settings are the defaults.",
        ),
    ] = None,
    as_of: AsOfOpt = None,
    limit: Annotated[int, typer.Option(min=0, help="How many to show (0: all).")] = 50,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")] = False,
) -> None:
    """Customers silent for longer than their own usual purchase interval, with their last
    order and best contact, largest revenue first.

    The usual interval is the median gap between a customer's order days; customers with one
    order day get --default-interval-days.  With --segment only the segment's scored accounts
    are listed.  Opted-out accounts are never listed.
    """
    from storage.orders import opted_out_ids

    day = _as_of(as_of)
    engine = _engine()
    seg = load_segment_option(segment, engine)
    interval = _setting(default_interval_days, seg, "reactivation_interval_days")
    times = _setting(factor, seg, "reactivation_factor")
    with engine.connect() as conn:
        summaries = load_summaries(conn)
        if seg is not None:
            members = segment_customers(conn, seg)
            summaries = [s for s in summaries if s.id in members]
        opted = opted_out_ids(conn) & {s.id for s in summaries}
        found = reactivation_list(
            [s for s in summaries if s.id not in opted],
            day,
            default_interval_days=interval,
            factor=times,
        )
        total = len(found)
        if limit:
            found = found[:limit]
        from storage.orders import load_customer_accounts

        accounts = load_customer_accounts(conn, [c.id for c, _ in found])
    items = []
    for c, s in found:
        a = accounts.get(c.id) or {}
        items.append(
            {
                "id": c.id,
                "name": a.get("name"),
                "domain": a.get("domain"),
                "orders": c.orders,
                "revenue": round(c.revenue, 2),
                "last_order": c.last_order.isoformat(),
                "last_order_amount": round(c.last_amount, 2),
                "days_silent": s.days_silent,
                "usual_interval_days": round(s.interval_days, 2),
                "interval": s.interval_source,
                "overdue_days": round(s.overdue_days, 2),
                "best_contact": _contact(a.get("contact")),
                "phones": a.get("phones") or [],
            }
        )
    if as_json:
        print(json.dumps(items, ensure_ascii=False, indent=2))
    else:
        _print_reactivation(items)
    err.print(
        f"{total} of {len(summaries)} customers"
        + (f" in segment {seg.name}" if seg is not None else "")
        + f" silent past their usual interval (default {interval:g} days, × {times:g}) as of "
        f"{day.isoformat()}" + (f" ({len(opted)} opted-out accounts left out)" if opted else ""),
        highlight=False,
    )


def _print_reactivation(items: list[dict[str, Any]]) -> None:
    from rich.table import Table

    if not items:
        err.print("no silent customers")
        return
    t = Table(header_style="bold", show_lines=True)
    for name in ("#", "Customer", "Revenue", "Last order", "Silent", "Usual", "Best contact"):
        t.add_column(name)
    for i in items:
        p = i["best_contact"]
        who = ""
        if p:
            who = ("★ " if p["is_decision_maker"] else "") + p["name"]
            if p["title"]:
                who += f"\n[dim]{p['title']}[/]"
            if p["email"]:
                who += f"\n[cyan]{p['email']}[/]"
            if p["phone"]:
                who += f"\n{p['phone']}"
        elif i["phones"]:
            who = i["phones"][0]
        t.add_row(
            str(i["id"]),
            (i["name"] or "?") + (f"\n[dim]{i['domain']}[/]" if i["domain"] else ""),
            _money(i["revenue"]),
            f"{i['last_order']}\n{_money(i['last_order_amount'])}",
            f"{i['days_silent']} d",
            f"{i['usual_interval_days']:g} d ({i['interval']})",
            who,
        )
    out.print(t)
