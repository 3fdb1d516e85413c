"""``leadgen import-orders``: a customer's orders (CSV/XLSX) matched to accounts and stored.

The file is read like any import (``storage.files.read_table``: encoding, delimiter, XLSX,
row numbers), its headers are matched like any import (``leadgen.importing.columns`` with the
``ORDER_FIELDS`` set), and bad rows follow the import's rules: each is reported with its row
number and reason, written to ``FILE.rejects.csv`` with its original columns, and the rest goes
in.  A file that cannot be read, or lacks a customer, date or amount column, writes nothing.

Row rules:

* a row needs a customer (name, INN, or domain/website), a date and an amount, else it is
  rejected; an INN with a bad check digit or a website that is not a web address is ignored for
  matching (a warning) and the row goes on with what is left;
* dates: ISO, 14.03.2025, 03/14/2025 … (``enrichment.normalize.dates``); whether 04/03/2025
  is day- or month-first is decided once per file from its values (``--date-order`` overrides);
  a date after today is rejected;
* amounts: "12 345,50", "1,234.50 ₽", "€ 300" (``parse_amount``); a negative amount (a return
  or credit note) is rejected — RFM counts purchases, not returns;
* rows with the same order number are lines of one order: their amounts are added up into it
  (a row for the same number but another customer is rejected);
* a row that matches no account (``storage.orders.match_accounts``) is reported and rejected:
  no account is created.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import Engine

from enrichment.normalize.companies import normalize_company_name
from enrichment.normalize.dates import DATE_ORDERS, date_order, parse_date
from enrichment.normalize.domains import registrable_domain
from enrichment.normalize.numbers import parse_amount
from enrichment.normalize.registry import check_inn
from leadgen.importing.columns import IMPORT_FIELDS, ColumnMapping, FieldSet, resolve_columns
from leadgen.importing.stage import UnimportableFile, _default_rejects, _write_rejects
from storage.db import finish_bulk_write, write_transaction
from storage.files import Row, Table, read_table
from storage.orders import (
    OrderBatchResult,
    OrderRecord,
    order_keys,
    refresh_customer_status,
    upsert_orders,
)
from storage.runs import finish_run, start_run

BATCH_ROWS = 5_000


def _with(name: str, *more: str) -> tuple[str, tuple[str, ...]]:
    desc, aliases = IMPORT_FIELDS.fields[name]
    return desc, (*aliases, *more)


ORDER_FIELDS = FieldSet(
    {
        "company_name": _with(
            "company_name",
            "Покупатель", "Заказчик", "Плательщик", "Грузополучатель", "Customer",
            "Customer name", "Buyer", "Client name", "Kunde", "Kundenname", "Käufer",
        ),
        "inn": _with("inn", "ИНН покупателя", "ИНН контрагента", "ИНН клиента"),
        "domain": IMPORT_FIELDS.fields["domain"],
        "website": IMPORT_FIELDS.fields["website"],
        "order_date": (
            "Order (invoice, sale, shipment) date",
            (
                "Дата", "Дата заказа", "Дата документа", "Дата продажи", "Дата отгрузки",
                "Дата реализации", "Дата счета", "Период", "Date", "Order date",
                "Invoice date", "Sale date", "Close date", "Datum", "Bestelldatum",
                "Rechnungsdatum", "Auftragsdatum",
            ),
        ),
        "amount": (
            "Order amount (one currency per file is assumed)",
            (
                "Сумма", "Сумма заказа", "Сумма документа", "Сумма с НДС", "Сумма продажи",
                "Итого", "Стоимость", "Amount", "Total", "Order total", "Order amount",
                "Invoice amount", "Value", "Net amount", "Gross amount", "Betrag", "Summe",
                "Gesamtbetrag", "Umsatz", "Rechnungsbetrag",
            ),
        ),
        "order_number": (
            "Order or invoice number (rows sharing one are lines of one order)",
            (
                "Номер", "Номер заказа", "Номер документа", "Номер счета", "Документ",
                "Заказ", "Счет", "Order", "Order ID", "Order number", "Order no",
                "Invoice", "Invoice number", "Invoice no", "Deal ID", "Bestellnummer",
                "Rechnungsnummer", "Auftragsnummer", "Belegnummer",
            ),
        ),
        "currency": ("Currency (RUB, EUR, USD, ₽ …)", ("Валюта", "Currency", "Währung")),
    }
)  # fmt: skip
_IDENTITY = ("company_name", "inn", "domain", "website")
_CURRENCY = {
    "₽": "RUB", "руб": "RUB", "руб.": "RUB", "рублей": "RUB", "р.": "RUB", "rur": "RUB",
    "rub": "RUB", "€": "EUR", "eur": "EUR", "euro": "EUR", "евро": "EUR", "$": "USD",
    "usd": "USD", "долл": "USD", "£": "GBP", "gbp": "GBP", "chf": "CHF", "kzt": "KZT",
    "₸": "KZT", "byn": "BYN", "cny": "CNY", "¥": "CNY",
}  # fmt: skip
_SYMBOL = re.compile(
    r"(₽|€|\$|£|₸|¥|\bруб\.?|\bр\.|\b(?:RUB|RUR|EUR|USD|GBP|CHF|KZT|BYN|CNY)\b)", re.I
)
_NEGATIVE = re.compile(r"^\s*(?:[-−–]|\(.*\)\s*$)")


@dataclass(slots=True)
class OrderImportSummary:
    path: str
    run_id: int | None
    format: str
    encoding: str | None
    delimiter: str | None
    date_order: str = "dmy"
    rows: int = 0
    orders: int = 0  # after folding the lines of one order number
    rejected_rows: int = 0
    result: OrderBatchResult = field(default_factory=OrderBatchResult)
    status_changes: dict[str, int] = field(default_factory=dict)
    problems: list[tuple[int, str, str]] = field(default_factory=list)  # row, reason, severity
    currencies: list[str] = field(default_factory=list)
    ignored_columns: list[str] = field(default_factory=list)
    mapping: dict[str, str] = field(default_factory=dict)
    rejects_path: str | None = None
    seconds: float = 0.0

    def as_dict(self) -> dict[str, Any]:
        r = self.result
        return {
            "path": self.path,
            "run_id": self.run_id,
            "format": self.format,
            "encoding": self.encoding,
            "delimiter": self.delimiter,
            "date_order": self.date_order,
            "rows": self.rows,
            "orders": self.orders,
            "orders_new": r.new,
            "orders_updated": r.updated,
            "orders_unchanged": r.unchanged,
            "matched_by": dict(r.matched_by),
            "customers": len(r.companies),
            "unmatched_rows": len(r.unmatched),
            "rejected_rows": self.rejected_rows,
            "status_changes": self.status_changes,
            "currencies": self.currencies,
            "ignored_columns": self.ignored_columns,
            "mapping": self.mapping,
            "rejects_path": self.rejects_path,
            "seconds": round(self.seconds, 3),
            "problems": [
                {"row": n, "reason": reason, "severity": sev} for n, reason, sev in self.problems
            ],
        }


def check_order_mapping(table: Table, mapping: ColumnMapping) -> None:
    mapped = set(mapping.fields.values())
    missing = []
    if not mapped & set(_IDENTITY):
        missing.append("a customer (name, INN or domain)")
    if "order_date" not in mapped:
        missing.append("a date")
    if "amount" not in mapped:
        missing.append("an amount")
    if missing:
        raise UnimportableFile(
            f"{table.path}: no column for {' and '.join(missing)} (columns: "
            f"{', '.join(table.headers) or 'none'}); map one with --map 'COLUMN=FIELD' "
            f"(fields: {', '.join(ORDER_FIELDS.names)})"
        )


class OrderMapper:
    """One file row -> an ``OrderRecord`` or the reasons it cannot be one."""

    def __init__(self, mapping: ColumnMapping, *, file_label: str, order: str, today: date):
        self.mapping = mapping
        self.file_label = file_label
        self.order = order
        self.today = today

    def map(self, row: Row) -> tuple[OrderRecord | None, list[tuple[str, str]]]:
        values = self.mapping.field_values(row.values)
        problems: list[tuple[str, str]] = []

        def first(name: str) -> str | None:
            found = values.get(name)
            return found[0] if found else None

        def error(reason: str) -> tuple[None, list[tuple[str, str]]]:
            problems.append((reason, "error"))
            return None, problems

        inn = None
        if raw_inn := first("inn"):
            inn = check_inn(raw_inn.partition("/")[0])
            if not inn:
                problems.append(
                    (f"ИНН {raw_inn!r} is not a valid INN (length or check digit); "
                     "not used for matching", "warning")
                )  # fmt: skip
        domain = None
        if raw_site := first("domain") or first("website"):
            domain = registrable_domain(raw_site)
            if not domain:
                problems.append(
                    (f"website {raw_site!r} is not a valid web address; not used for matching",
                     "warning")
                )  # fmt: skip
        name_key = name = None
        if raw_name := first("company_name"):
            cname = normalize_company_name(raw_name)
            if cname.key:
                name_key, name = cname.key, raw_name
            else:
                problems.append(
                    (f"customer name {raw_name!r} has no letters or digits; ignored", "warning")
                )
        if not (inn or domain or name_key):
            given = raw_inn or raw_site or raw_name
            return error(
                "no customer name, INN or domain" + (" that could be read" if given else "")
            )
        raw_date = first("order_date")
        if not raw_date:
            return error("no order date")
        day = parse_date(raw_date, self.order)
        if day is None:
            return error(f"order date {raw_date!r} is not a date")
        if day > self.today:
            return error(f"order date {day.isoformat()} is in the future")
        raw_amount = first("amount")
        if not raw_amount:
            return error("no amount")
        amount = parse_amount(raw_amount)
        if amount is None:
            return error(f"amount {raw_amount!r} is not a number")
        if _NEGATIVE.match(raw_amount) and amount != 0:
            return error(
                f"amount {raw_amount!r} is negative (a return or credit note): not an order"
            )
        currency = None
        raw_currency = first("currency")
        if raw_currency:
            currency = _CURRENCY.get(raw_currency.strip().casefold(), raw_currency.strip().upper())
        elif m := _SYMBOL.search(raw_amount):
            currency = _CURRENCY.get(m.group(1).casefold(), m.group(1).upper())
        number = first("order_number")
        return (
            OrderRecord(
                row=row.number,
                order_date=day,
                amount=amount,
                inn=inn,
                domain=domain,
                name_key=name_key,
                name=name,
                order_number=" ".join(number.split()) if number else None,
                currency=currency,
                locator=f"{self.file_label} row {row.number}",
            ),
            problems,
        )


def fold_order_lines(
    records: list[OrderRecord],
) -> tuple[list[OrderRecord], list[tuple[int, str, str]], dict[int, list[int]]]:
    """Rows sharing an order number become one order (amounts added; the first row's date and
    provenance); returns the orders, the problems (rows of the number for another customer
    are rejected, differing dates warned about) and the rows folded into each order's first."""
    out: list[OrderRecord] = []
    problems: list[tuple[int, str, str]] = []
    by_number: dict[str, OrderRecord] = {}
    folded: dict[int, list[int]] = {}
    for r in records:
        if not r.order_number:
            out.append(r)
            continue
        head = by_number.get(r.order_number)
        if head is None:
            by_number[r.order_number] = r
            out.append(r)
            continue
        if head.identity() != r.identity():
            problems.append(
                (r.row, f"order {r.order_number} is in row {head.row} for another customer "
                 f"({head.described()})", "error")
            )  # fmt: skip
            continue
        if r.order_date != head.order_date:
            problems.append(
                (r.row, f"order {r.order_number} is dated {head.order_date.isoformat()} in row "
                 f"{head.row}; that date is kept", "warning")
            )  # fmt: skip
        head.amount += r.amount
        folded.setdefault(head.row, []).append(r.row)
    return out, problems, folded


def import_orders(
    engine: Engine,
    path: str | Path,
    *,
    source: str,
    overrides: dict[str, str] | None = None,
    encoding: str | None = None,
    delimiter: str | None = None,
    sheet: str | None = None,
    order: str | None = None,
    window_days: int = 365,
    today: date | None = None,
    rejects_path: str | Path | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> OrderImportSummary:
    """Import an order file; raises ``FileReadError`` / ``UnimportableFile`` before writing."""
    started = time.perf_counter()
    if order is not None and order not in DATE_ORDERS:
        raise ValueError(f"date order must be one of {', '.join(DATE_ORDERS)}, not {order!r}")
    from storage.clock import utcnow

    today = today or utcnow().date()
    table = read_table(path, encoding=encoding, delimiter=delimiter, sheet=sheet)
    mapping = resolve_columns(table.headers, overrides, ORDER_FIELDS)
    check_order_mapping(table, mapping)
    date_columns = mapping.columns_for("order_date")
    order = order or date_order(v for r in table.rows for c in date_columns if (v := r.values[c]))
    summary = OrderImportSummary(
        path=str(path),
        run_id=None,
        format=table.format,
        encoding=table.encoding,
        delimiter=table.delimiter,
        date_order=order,
        rows=len(table.rows) + len(table.problems),
        ignored_columns=list(mapping.ignored),
        mapping=dict(mapping.fields),
    )
    run_source = f"import:{source}"
    summary.run_id = run_id = start_run(
        engine,
        "import-orders",
        {
            "path": str(path),
            "source": source,
            "format": table.format,
            "encoding": table.encoding,
            "delimiter": table.delimiter,
            "date_order": order,
            "window_days": window_days,
            "mapping": mapping.fields,
            "ignored_columns": mapping.ignored,
        },
    )
    rejects: dict[int, tuple[dict[str, str] | None, str]] = {}
    problems: list[tuple[int, str, str]] = []

    def reject(number: int, values: dict[str, str] | None, reason: str) -> None:
        old = rejects.get(number)
        rejects[number] = (values, reason if old is None else f"{old[1]}; {reason}")

    for p in table.problems:
        problems.append((p.number, p.reason, "error"))
        reject(p.number, None, p.reason)
    try:
        mapper = OrderMapper(mapping, file_label=Path(path).name, order=order, today=today)
        values_of = {row.number: row.values for row in table.rows}
        records: list[OrderRecord] = []
        for row in table.rows:
            record, row_problems = mapper.map(row)
            problems.extend((row.number, reason, sev) for reason, sev in row_problems)
            if record is None:
                reject(
                    row.number, row.values, "; ".join(r for r, s in row_problems if s == "error")
                )
            else:
                records.append(record)
        orders, fold_problems, folded = fold_order_lines(records)
        for number, reason, severity in fold_problems:
            problems.append((number, reason, severity))
            if severity == "error":
                reject(number, values_of[number], reason)
        order_keys(orders)
        summary.orders = len(orders)
        summary.currencies = sorted({o.currency for o in orders if o.currency})
        for start in range(0, len(orders), BATCH_ROWS):
            batch = orders[start : start + BATCH_ROWS]
            with write_transaction(engine) as conn:
                result = upsert_orders(conn, batch, source=run_source, run_id=run_id)
            summary.result.add(result)
            if progress:
                progress(min(start + BATCH_ROWS, len(orders)), len(orders))
        for number, reason in summary.result.unmatched:
            problems.append((number, f"not imported: {reason}", "error"))
            reject(number, values_of[number], reason)
            for line in folded.get(number, ()):  # the order's other lines go with it
                reject(line, values_of[line], f"{reason} (a line of the order in row {number})")
        for number, reason in summary.result.warnings:
            problems.append((number, reason, "warning"))
        with write_transaction(engine) as conn:
            summary.status_changes = refresh_customer_status(
                conn, today, window_days, run_id=run_id
            )
        if len(summary.currencies) > 1:
            problems.append(
                (0, f"the file mixes currencies ({', '.join(summary.currencies)}): monetary "
                 "values add them up as they are", "warning")
            )  # fmt: skip
    except BaseException as exc:
        summary.seconds = time.perf_counter() - started
        finish_run(
            engine,
            run_id,
            status="failed",
            counts=_counts(summary),
            problems=_problem_dicts(problems),
            error=repr(exc),
        )
        raise
    problems.sort(key=lambda p: (p[0], p[2] != "error"))
    summary.problems = problems
    summary.rejected_rows = len(rejects)
    if rejects:
        summary.rejects_path = str(
            _write_rejects(
                rejects_path or _default_rejects(path),
                table.headers,
                [(n, v, reason) for n, (v, reason) in rejects.items()],
            )
        )
    finish_bulk_write(engine)
    summary.seconds = time.perf_counter() - started
    finish_run(
        engine,
        run_id,
        status="partial" if rejects else "ok",
        counts=_counts(summary),
        problems=_problem_dicts(problems),
    )
    return summary


def _problem_dicts(problems: list[tuple[int, str, str]]) -> list[dict[str, Any]]:
    return [
        {"where": f"row {n}" if n else "file", "reason": reason, "severity": sev}
        for n, reason, sev in problems
    ]


def _counts(s: OrderImportSummary) -> dict[str, Any]:
    d = s.as_dict()
    return {
        k: d[k]
        for k in (
            "rows",
            "orders",
            "orders_new",
            "orders_updated",
            "orders_unchanged",
            "matched_by",
            "customers",
            "unmatched_rows",
            "rejected_rows",
            "status_changes",
            "seconds",
        )
    }
