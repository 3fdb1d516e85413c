"""Customer history commands: ``import-orders``, ``customers`` (RFM, ABC, colour) and
``reactivation`` — thin shells: read the orders (``storage.orders``), compute
(``scoring.customers``), print.  Rules and examples: docs/customers.md."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Annotated, Any

import typer

from leadgen.cli import _engine, _fail, app, err, out
from scoring.customers import (
    ABC_CLASSES,
    COLOURS,
    DEFAULT_ABC_SPLIT,
    DEFAULT_GOLD_ORDERS,
    DEFAULT_INTERVAL_DAYS,
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


def account_colours(conn, companies: list[dict[str, Any]]) -> dict[int, str]:
    """id -> colour for rows of ``storage.queries.list_companies`` (contacts attached)."""
    from storage.orders import order_stats

    stats = order_stats(conn, [c["id"] for c in companies])
    colour = colour_function()
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
    int,
    typer.Option(
        "--current-days",
        min=1,
        help="A customer is current when its last order is at most this many days old; "
        "older is former (and colour red).",
    ),
]


# -- import-orders ------------------------------------------------------------------------------
@app.command(
    "import-orders",
    epilog=(
        "Examples: leadgen import-orders sales-2025.xlsx  |  "
        "leadgen import-orders 1c-export.csv --encoding cp1251 --date-order dmy  |  "
        "leadgen import-orders crm.csv --map 'Deal value=amount' --current-days 180 --json"
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
    current_days: WindowOpt = DEFAULT_WINDOW_DAYS,
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
    Matched accounts become current customers (last order within --current-days) or former
    ones.  Importing the same file twice changes nothing.
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
                window_days=current_days,
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
        "Examples: leadgen customers  |  leadgen customers --segment 'at risk' --abc A  |  "
        "leadgen customers --colour red --json --limit 0  |  "
        "leadgen customers --abc-split 70/20/10 --as-of 2026-06-30"
    ),
)
def customers_cmd(
    segment: Annotated[
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
    current_days: WindowOpt = DEFAULT_WINDOW_DAYS,
    as_of: AsOfOpt = None,
    limit: Annotated[int, typer.Option(min=0, help="How many to show (0: all).")] = 50,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")] = False,
) -> None:
    """Customers with their RFM scores and segment, ABC class and lifecycle colour.

    RFM: recency, frequency, monetary scored 1-5 by quintiles over all customers; ABC: classes
    by cumulative revenue share; colour: see docs/customers.md.  The counts per segment and
    class go to stderr.
    """
    if segment is not None and segment not in SEGMENTS:
        _fail(f"--segment must be one of: {', '.join(SEGMENTS)}", 2)
    if abc is not None and abc.upper() not in ABC_CLASSES:
        _fail("--abc must be A, B or C", 2)
    if colour is not None and colour not in COLOURS:
        _fail(f"--colour must be one of: {', '.join(COLOURS)}", 2)
    if sort not in SORTS:
        _fail(f"--sort must be one of: {', '.join(SORTS)}", 2)
    split = _split(abc_split)
    day = _as_of(as_of)
    engine = _engine()
    with engine.connect() as conn:
        rows = customer_rows(conn, day, split=split, window_days=current_days)
        everyone = rows
        rows = [
            r
            for r in rows
            if (segment is None or r.rfm.segment == segment)
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
    _print_overview(everyone, day)


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


def _print_overview(rows: Iterable[CustomerRow], day: date) -> None:
    rows = list(rows)
    total = sum(r.summary.revenue for r in rows if r.summary.revenue > 0) or 1.0
    segs = {s: 0 for s in SEGMENTS}
    classes = {c: [0, 0.0] for c in ABC_CLASSES}
    for r in rows:
        segs[r.rfm.segment] += 1
        classes[r.abc][0] += 1
        classes[r.abc][1] += max(r.summary.revenue, 0.0)
    err.print(
        f"{len(rows)} customers as of {day.isoformat()} · ABC "
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
        "--json  |  leadgen reactivation --factor 1.5 --limit 0"
    ),
)
def reactivation_cmd(
    default_interval_days: Annotated[
        float,
        typer.Option(min=1, help="Usual interval for customers with a single order day (days)."),
    ] = DEFAULT_INTERVAL_DAYS,
    factor: Annotated[
        float,
        typer.Option(
            min=0.1, help="Silent when the days since the last order exceed interval × factor."
        ),
    ] = 1.0,
    as_of: AsOfOpt = None,
    limit: Annotated[int, typer.Option(min=0, help="How many to show (0: all).")] = 50,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")] = False,
) -> None:
    """Customers silent for longer than their own usual purchase interval, with their last
    order and best contact, largest revenue first.

    The usual interval is the median gap between a customer's order days; customers with one
    order day get --default-interval-days.  Opted-out accounts are never listed.
    """
    from storage.orders import opted_out_ids

    day = _as_of(as_of)
    engine = _engine()
    with engine.connect() as conn:
        summaries = load_summaries(conn)
        opted = opted_out_ids(conn)
        found = reactivation_list(
            [s for s in summaries if s.id not in opted],
            day,
            default_interval_days=default_interval_days,
            factor=factor,
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
                "usual_interval_days": s.interval_days,
                "interval": s.interval_source,
                "overdue_days": s.overdue_days,
                "best_contact": _contact(a.get("contact")),
                "phones": a.get("phones") or [],
            }
        )
    if as_json:
        print(json.dumps(items, ensure_ascii=False, indent=2))
    else:
        _print_reactivation(items)
    err.print(
        f"{total} of {len(summaries)} customers silent past their usual interval as of "
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
