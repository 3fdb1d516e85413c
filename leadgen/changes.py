"""``leadgen changes [SEGMENT] --since WHEN``: what changed in the base (``storage.changes``).

Registered on the main Typer app by ``leadgen.cli``.
"""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime, timedelta
from typing import Annotated, Any

import typer

from leadgen.cli import _engine, _fail, app, out

_RELATIVE = re.compile(r"^\s*(\d+)\s*([hdw])\s*$", re.IGNORECASE)
_UNITS = {"h": "hours", "d": "days", "w": "weeks"}


def parse_when(text: str, now: datetime | None = None) -> datetime:
    """``2026-11-01``, ``2026-11-01T09:30`` (UTC unless it names a zone), or a time back from
    now: ``12h``, ``7d``, ``2w``.  ``ValueError`` with the accepted forms otherwise."""
    m = _RELATIVE.match(text)
    if m:
        now = now or datetime.now(UTC)
        return now - timedelta(**{_UNITS[m.group(2).lower()]: int(m.group(1))})
    try:
        when = datetime.fromisoformat(text.strip())
    except ValueError:
        raise ValueError(
            f"{text!r} is not a date: use 2026-11-01, 2026-11-01T09:30 or 7d / 12h / 2w"
        ) from None
    return when.replace(tzinfo=UTC) if when.tzinfo is None else when.astimezone(UTC)


def _detail(e: dict[str, Any]) -> str:
    kind = e["kind"]
    dm = " (decision maker)" if e.get("decision_maker") else ""
    if kind == "account_new":
        return "new account"
    if kind == "person_new":
        return f"new person: {e['new'] or 'no title'}{dm}"
    if kind == "person_gone":
        return f"left: {e['old'] or 'no title'}{dm}"
    if kind == "title_changed":
        return f"title {e['old'] or '—'} → {e['new'] or '—'}{dm}"
    if kind == "decision_maker_new":
        return "now a decision maker"
    if kind == "email_new":
        return f"new email {e['email']}"
    if kind == "email_status":
        return f"{e['email'] or 'email'}: {e['old'] or '—'} → {e['new']}"
    if kind == "phone_changed":
        old = ", ".join(e["old"]) if isinstance(e["old"], list) else (e["old"] or "—")
        new = ", ".join(e["new"]) if isinstance(e["new"], list) else (e["new"] or "—")
        return f"phones {old} → {new}"
    if kind == "retired":
        return f"{e['field']} {e['old']} retired: {e['new']}"
    if kind == "merged":
        return f"{e['old'] or 'a duplicate'} merged into it ({e['new'] or 'no reason given'})"
    return f"{e['field']}: {e['old'] if e['old'] is not None else '—'} → {e['new']}"


def _json(e: dict[str, Any]) -> dict[str, Any]:
    at = e["at"]
    if isinstance(at, datetime):
        at = (at if at.tzinfo else at.replace(tzinfo=UTC)).isoformat()
    return {**e, "at": at}


@app.command(
    "changes",
    epilog="Examples: leadgen changes construction-ru-crm --since 7d  |  "
    "leadgen changes --since 2026-11-01 --kind person_new --kind title_changed --json",
)
def changes_cmd(
    segment: Annotated[
        str | None,
        typer.Argument(help="A scored segment's name (leadgen score); all companies if left out."),
    ] = None,
    since: Annotated[
        str, typer.Option(help="From this moment: 2026-11-01, 2026-11-01T09:30, or 7d / 12h / 2w.")
    ] = "7d",
    until: Annotated[
        str | None, typer.Option(help="Up to this moment (same forms); default: now.")
    ] = None,
    kind: Annotated[
        list[str] | None,
        typer.Option(
            "--kind",
            help="Only these kinds (repeatable): account_new, person_new, person_gone, "
            "title_changed, decision_maker_new, email_new, email_status, phone_changed, "
            "changed, merged.",
        ),
    ] = None,
    limit: Annotated[int | None, typer.Option(min=1, help="At most this many events.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print a JSON array.")] = False,
) -> None:
    """What changed: new accounts and people (new decision makers first to know), people who
    left, changed titles, emails and phones, merges — oldest first, each with its company."""
    from storage.changes import list_changes
    from storage.scores import UnknownSegment

    try:
        start = parse_when(since)
        end = parse_when(until) if until else None
    except ValueError as exc:
        _fail(str(exc), 2)
    engine = _engine()
    try:
        with engine.connect() as conn:
            events = list_changes(
                conn, start, segment=segment, kinds=kind or None, until=end, limit=limit
            )
    except UnknownSegment:
        _fail(f"no segment named {segment!r} (leadgen score SEGMENT.toml creates it)", 2)
    except ValueError as exc:
        _fail(str(exc), 2)
    if as_json:
        print(json.dumps([_json(e) for e in events], ensure_ascii=False, indent=2))
        return
    print_changes(events, f"{start:%Y-%m-%d %H:%M}")


def print_changes(events: list[dict[str, Any]], since: str) -> None:
    """The events as a table on stdout (``since``: the window's start, as text)."""
    if not events:
        out.print(f"no changes since {since} UTC", highlight=False)
        return
    from rich.table import Table

    table = Table(title=f"{len(events)} changes since {since} UTC")
    for col in ("when", "kind", "company", "person", "what"):
        table.add_column(col)
    for e in events:
        at = e["at"]
        table.add_row(
            f"{at:%Y-%m-%d %H:%M}" if isinstance(at, datetime) else str(at),
            e["kind"],
            f"#{e['company_id']} {e['company'] or ''}".strip() if e["company_id"] else "",
            e["person"] or "",
            _detail(e),
        )
    out.print(table)
