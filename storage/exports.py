"""Exports: one row per company with its best contact, or one row per person.

Columns are listed (and documented in docs/export.md) here, in order; every export is recorded
in ``export_log`` with its filters, row count and the file's SHA-256.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, insert

from storage.clock import utcnow
from storage.files import open_writer
from storage.models import ExportLog
from storage.orders import opted_out_ids, order_stats
from storage.queries import ProspectFilter, count_companies, iter_export_companies
from storage.scores import TIERS, count_segment, segment_id

FORMATS = ("csv", "xlsx", "jsonl")

COMPANY_COLUMNS: tuple[tuple[str, str], ...] = (
    ("company_id", "database id of the company"),
    ("company", "company name as found"),
    ("legal_form", "legal form (ООО, GmbH, LLC …) when the name carried one"),
    ("domain", "registrable domain (punycode for IDN)"),
    ("website", "website URL"),
    ("country", "ISO 3166-1 alpha-2 code"),
    ("region", "region / state"),
    ("city", "city"),
    ("address", "street address"),
    ("postal_code", "postal code"),
    ("phones", "company phones in E.164, '; '-separated"),
    ("emails", "company (generic) emails, '; '-separated"),
    ("industry", "industry"),
    ("employees", "employees (lower bound of a range)"),
    ("revenue", "revenue (number, currency as in the source)"),
    ("inn", "ИНН (INN), check digits verified"),
    ("ogrn", "ОГРН (OGRN), check digit verified"),
    ("kpp", "КПП (KPP)"),
    ("vat", "EU VAT number"),
    ("status", "new / current / former customer"),
    ("people", "number of known people"),
    ("decision_makers", "number of decision makers (ЛПР)"),
)
CONTACT_COLUMNS: tuple[tuple[str, str], ...] = (
    ("contact_id", "database id of the person"),
    ("contact_name", "full name"),
    ("contact_first_name", "first name"),
    ("contact_middle_name", "middle name / patronymic"),
    ("contact_last_name", "last name"),
    ("contact_title", "job title as found"),
    ("contact_seniority", "seniority level"),
    ("contact_department", "department"),
    ("contact_decision_maker", "true when the person decides (ЛПР)"),
    ("contact_email", "best email of the person"),
    ("contact_email_status", "verification status of that email"),
    ("contact_phones", "the person's phones in E.164, '; '-separated"),
)
TIME_COLUMNS: tuple[tuple[str, str], ...] = (
    ("first_seen", "when the company was first seen (UTC)"),
    ("last_seen", "when the company was last seen (UTC)"),
)


#: Added at the end of every row when the export names a segment (``segment=``).
SEGMENT_COLUMNS: tuple[tuple[str, str], ...] = (
    ("segment", "segment name"),
    ("tier", "strategic / scale / programmatic (a manual override when there is one)"),
    ("tier_overridden", "true when the tier was set by hand (leadgen override)"),
    ("cell", "GE/McKinsey 9-box cell (attractiveness/position)"),
    ("attractiveness", "attractiveness score, 0–100"),
    ("position", "our position score, 0–100"),
    ("total", "total score (the list order)"),
    ("dqi", "data-quality index of the account"),
)


#: Added at the very end of every row when the export is given a ``colour`` function.
LIFECYCLE_COLUMNS: tuple[tuple[str, str], ...] = (
    ("colour", "lifecycle colour: white, grey, green, gold, orange or red (docs/customers.md)"),
)

#: What a ``colour`` function is called with (keyword arguments), per company.
ColourFunction = Callable[..., str]


def columns(segment: bool = False, colour: bool = False) -> list[str]:
    """Export columns in order (the same for company rows and contact rows); with
    ``segment``, the ``SEGMENT_COLUMNS`` after them; with ``colour``, then the
    ``LIFECYCLE_COLUMNS``."""
    out = [c for c, _ in (*COMPANY_COLUMNS, *CONTACT_COLUMNS, *TIME_COLUMNS)]
    if segment:
        out += [c for c, _ in SEGMENT_COLUMNS]
    return out + [c for c, _ in LIFECYCLE_COLUMNS] if colour else out


def _segment_values(conn, segment: str, tier: str | None) -> dict[int, list[Any]]:
    """company id -> the ``SEGMENT_COLUMNS`` values, for the segment's scored companies (of the
    effective ``tier`` only, when given)."""
    if tier is not None and tier not in TIERS:
        raise ValueError(f"tier must be one of {', '.join(TIERS)}, not {tier!r}")
    sid = segment_id(conn, segment)
    mark = "?" if conn.dialect.name == "sqlite" else "%s"
    out: dict[int, list[Any]] = {}
    for cid, t, override, cell, att, pos, total, dqi in conn.exec_driver_sql(
        "SELECT company_id, tier, override_tier, cell, attractiveness, position, total, dqi "
        f"FROM scores WHERE segment_id = {mark}",
        (sid,),
    ):
        effective = override or t
        if tier is None or effective == tier:
            out[cid] = [segment, effective, override is not None, cell, att, pos, total, dqi]
    return out


_NO_CONTACT = [None] * len(CONTACT_COLUMNS)


def export_rows(
    conn,
    flt: ProspectFilter,
    *,
    contacts: bool,
    segment: str | None = None,
    tier: str | None = None,
    colour: ColourFunction | None = None,
) -> Iterator[list[Any]]:
    """Rows as lists in ``columns()`` order: one per company with its best contact, or (with
    ``contacts``) one per current person; ``contact_rank`` decides the best/the order.

    With ``segment``: only the companies scored in it (of the effective ``tier``, if given),
    each row followed by the ``SEGMENT_COLUMNS`` values (``columns(segment=True)``).

    With ``colour``: each row ends with ``colour(orders=, last_order=, status=, opted_out=,
    contacts=)`` — the company's number of orders and last order date (0 and None without),
    its status, whether someone there opted out, whether any person, email or phone is known
    (``scoring.customers.lifecycle_colour`` through the CLI)."""
    scored = _segment_values(conn, segment, tier) if segment is not None else None
    stats = order_stats(conn) if colour is not None else {}
    opted = opted_out_ids(conn) if colour is not None else set()
    for c in iter_export_companies(conn, flt, all_people=contacts):
        extra = None
        if scored is not None:
            extra = scored.get(c.row[0])
            if extra is None:
                continue
        (
            cid,
            name,
            legal_form,
            domain,
            website,
            country,
            region,
            city,
            address,
            postal_code,
            phones,
            industry,
            employees,
            revenue,
            inn,
            ogrn,
            kpp,
            vat,
            status,
            first_seen,
            last_seen,
        ) = c.row
        head = [
            cid,
            name,
            legal_form,
            domain,
            website,
            country,
            region,
            city,
            address,
            postal_code,
            phones,
            c.emails,
            industry,
            employees,
            revenue,
            inn,
            ogrn,
            kpp,
            vat,
            status,
            c.people,
            c.decision_makers,
        ]
        tail = [first_seen, last_seen] if extra is None else [first_seen, last_seen, *extra]
        if colour is not None:
            n, last = stats.get(cid, (0, None))
            tail.append(
                colour(
                    orders=n,
                    last_order=last,
                    status=status,
                    opted_out=cid in opted,
                    contacts=bool(c.people or c.emails or phones),
                )
            )
        if not contacts:
            yield head + (c.contacts[0] if c.contacts else _NO_CONTACT) + tail
            continue
        for contact in c.contacts:  # EXPORT_CONTACT_FIELDS: the CONTACT_COLUMNS order
            yield head + contact + tail


@dataclass(slots=True)
class ExportResult:
    path: str
    format: str
    rows: int
    sha256: str


def export(
    engine: Engine,
    path: str | Path,
    *,
    fmt: str,
    flt: ProspectFilter,
    contacts: bool = False,
    excel: bool = False,
    progress: Callable[[int, int], None] | None = None,
    segment: str | None = None,
    tier: str | None = None,
    colour: ColourFunction | None = None,
) -> ExportResult:
    """Write the export; ``segment`` (and ``tier``), ``colour``: see ``export_rows``."""
    if fmt not in FORMATS:
        raise ValueError(f"format must be one of {', '.join(FORMATS)}, not {fmt!r}")
    path = Path(path)
    with engine.connect() as conn:
        total = count_companies(conn, flt) if progress and segment is None else 0
        if progress and segment is not None:
            total = count_segment(conn, segment, tier=tier)  # at most this many
        done = 0
        header = columns(segment=segment is not None, colour=colour is not None)
        with open_writer(path, fmt, header, excel_bom=excel) as out:
            last_company = None
            for row in export_rows(
                conn, flt, contacts=contacts, segment=segment, tier=tier, colour=colour
            ):
                out.write(row)
                if progress and row[0] != last_company:
                    last_company = row[0]
                    done += 1
                    if done % 1000 == 0 or done == total:
                        progress(done, total)
            count = out.count
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    with engine.begin() as conn:
        conn.execute(
            insert(ExportLog.__table__).values(
                created_at=utcnow(),
                kind="contacts" if contacts else "companies",
                format=fmt,
                path=str(path),
                filters=flt.as_dict()
                | ({"segment": segment} if segment is not None else {})
                | ({"tier": tier} if tier is not None else {}),
                row_count=count,
                sha256=digest,
            )
        )
    return ExportResult(str(path), fmt, count, digest)
