"""``leadgen dedupe``: a thin shell over ``storage.dedupe.dedupe`` (registered on the main Typer
app by ``leadgen.cli``)."""

from __future__ import annotations

import json
from typing import Annotated

import typer

from leadgen.cli import _engine, _fail, app, err, out


@app.command(
    "dedupe",
    epilog=(
        "Examples: leadgen dedupe --dry-run  |  leadgen dedupe  |  "
        "leadgen dedupe --companies --threshold 93 --json"
    ),
)
def dedupe_cmd(
    dry_run: Annotated[
        bool,
        typer.Option(
            "--dry-run", help="Print the planned merges (rule, score, reason); change nothing."
        ),
    ] = False,
    companies: Annotated[
        bool, typer.Option("--companies", help="Only companies (default: companies, then people).")
    ] = False,
    people: Annotated[
        bool, typer.Option("--people", help="Only people within each company.")
    ] = False,
    threshold: Annotated[
        float,
        typer.Option(
            min=50,
            max=100,
            help="How alike (0-100, rapidfuzz) two company names must be to merge on name + city; "
            "name + phone or address accepts 8 less.  Short names always need more.",
        ),
    ] = 90.0,
    as_json: Annotated[
        bool, typer.Option("--json", help="Print the merges and counts as JSON.")
    ] = False,
) -> None:
    """Merge companies and people that several sources found: exact keys first (domain, INN,
    OGRN, VAT, email), then alike names in the same city, or with a phone or address in common.

    Different INNs (or domains, OGRNs, VATs) on the two sides are never merged.  The kept record
    is filled from the merged one, every observation is kept, and each merge is recorded in the
    ``merges`` table with its rule, score and reason (see docs/dedupe.md).
    """
    from leadgen.dedupe_stage import dedupe
    from leadgen.progress import progress

    if companies and people:
        _fail("--companies and --people exclude each other; give neither for both", 2)
    engine = _engine()
    with progress(err, "dedupe", "steps") as update:
        report = dedupe(
            engine,
            dry_run=dry_run,
            companies=not people,
            people=not companies,
            threshold=threshold,
            progress=lambda label, done, total: update(done, total),
        )
    if as_json:
        print(json.dumps(report.as_dict(), ensure_ascii=False, indent=2, default=str))
    else:
        if report.merges:
            from rich.table import Table

            t = Table(header_style="bold", show_lines=False)
            for name in ("kind", "kept", "merged", "rule", "score", "reason"):
                t.add_column(name, overflow="fold")
            for m in report.merges:
                t.add_row(
                    m.entity_type,
                    f"#{m.kept_id} {m.kept_name}",
                    f"#{m.merged_id} {m.merged_name}",
                    m.rule,
                    f"{m.score:g}",
                    m.reason,
                )
            out.print(t)
    c = report.counts()
    verb = "would merge" if dry_run else "merged"
    err.print(
        f"{verb} {c['companies_merged']} of {c['companies_scanned']} companies and "
        f"{c['people_merged']} of {c['people_scanned']} people; "
        f"{c['refused']} candidate pairs refused by a veto"
        + (f"; run #{report.run_id}" if report.run_id else "; nothing changed (dry run)"),
        highlight=False,
    )
    for s in report.skipped_blocks[:5]:
        err.print(f"[yellow]skipped[/] (too many records to compare pair by pair): {s}")
