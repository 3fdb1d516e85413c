"""``leadgen report SEGMENT``: tiers, the 9-box, data quality, missing fields and sources — in
the terminal, as JSON, or as one self-contained HTML page (inline CSS, no script, no network).
Registered on the main Typer app by ``leadgen.cli``."""

from __future__ import annotations

import json
from html import escape
from pathlib import Path
from typing import Annotated, Any

import typer

from leadgen.cli import _engine, _fail, app, err, out

LEVELS = ("high", "medium", "low")
TIER_COLOURS = {"strategic": "#1b7f3b", "scale": "#c98a00", "programmatic": "#6b7280"}


def _pct(value: float | None) -> str:
    return "—" if value is None else f"{value:.1%}"


def render_html(report: dict[str, Any], cell_tiers: dict[str, str]) -> str:
    """The report as one HTML page: the 9-box drawn as a 3 × 3 grid (attractiveness from high
    at the top, our position from high at the left, as in the GE/McKinsey matrix), each cell
    coloured by its tier and holding its account count."""
    cells = report["cells"]
    rows = []
    for a in LEVELS:
        tds = []
        for p in LEVELS:
            key = f"{a}/{p}"
            tier = cell_tiers.get(key, "")
            colour = TIER_COLOURS.get(tier, "#e5e7eb")
            tds.append(
                f'<td style="background:{colour}"><b>{cells.get(key, 0)}</b>'
                f"<br><small>{escape(key)}<br>{escape(tier)}</small></td>"
            )
        rows.append(f'<tr><th scope="row">{a}</th>{"".join(tds)}</tr>')
    tiers = "".join(
        f"<tr><td>{escape(t)}</td><td>{n}</td><td>{report['formula_tiers'].get(t, 0)}</td></tr>"
        for t, n in report["tiers"].items()
    )
    missing = (
        "".join(f"<tr><td>{escape(f)}</td><td>{n}</td></tr>" for f, n in report["missing"].items())
        or '<tr><td colspan="2">nothing missing</td></tr>'
    )
    sources = (
        "".join(
            f"<tr><td>{escape(s['source'])}</td><td>{s['companies']}</td></tr>"
            for s in report["sources"]
        )
        or '<tr><td colspan="2">no sources recorded</td></tr>'
    )
    dqi = report["dqi"]
    title = escape(f"Segment {report['segment']}")
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>{title}</title>
<style>
body{{font-family:system-ui,sans-serif;margin:2rem;color:#111}}
table{{border-collapse:collapse;margin:0 0 1.5rem}}
td,th{{border:1px solid #ccc;padding:.4rem .7rem;text-align:left}}
.box td{{width:8rem;height:5rem;text-align:center;color:#fff;font-size:1.2rem}}
.box th{{background:#f3f4f6}}
</style></head><body>
<h1>{title}</h1>
<p>{escape(report.get("description") or "")}</p>
<p>{report["accounts"]} scored accounts; {report["overridden"]} with a tier set by hand;
data-quality index {_pct(dqi["average"])} (lowest {_pct(dqi["min"])});
{report["incomplete"]} accounts below the contact rule.
Scoring configuration {escape(str(report.get("config_hash") or "")[:12])}.</p>
<h2>9-box: attractiveness × our position</h2>
<table class="box"><tr><th>attractiveness ↓ / position →</th>
<th>high</th><th>medium</th><th>low</th></tr>{"".join(rows)}</table>
<h2>Tiers</h2>
<table><tr><th>tier</th><th>accounts</th><th>by the formula alone</th></tr>{tiers}</table>
<h2>Missing required data</h2>
<table><tr><th>field</th><th>accounts</th></tr>{missing}</table>
<h2>Sources</h2>
<table><tr><th>source</th><th>companies</th></tr>{sources}</table>
</body></html>
"""


@app.command(
    "report",
    epilog="Examples: leadgen report construction-ru-crm  |  "
    "leadgen report construction-ru-crm --html report.html  |  leadgen report S --json",
)
def report_cmd(
    segment: Annotated[str, typer.Argument(help="A scored segment.")],
    html: Annotated[
        Path | None, typer.Option(help="Also write the report as a self-contained HTML page.")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the report as JSON.")] = False,
) -> None:
    """Tier and 9-box counts, the data-quality index, missing fields and sources of a segment."""
    from scoring import SegmentError, parse_segment
    from storage.scores import UnknownSegment, segment_definition, segment_report

    engine = _engine()
    try:
        with engine.connect() as conn:
            report = segment_report(conn, segment)
            definition = segment_definition(conn, segment)
    except UnknownSegment:
        _fail(f"no segment named {segment!r} (leadgen score SEGMENT.toml creates it)", 2)
    try:  # the cell -> tier mapping of the segment file the scores were made with
        tiers_of_cells = dict(parse_segment(definition).scoring.tiers)
    except SegmentError:
        tiers_of_cells = {}
    if html is not None:
        html.write_text(render_html(report, tiers_of_cells), encoding="utf-8")
        err.print(f"wrote {html}", highlight=False)
    if as_json:
        print(json.dumps(report, ensure_ascii=False, indent=2, default=str))
        return
    from rich.table import Table

    box = Table(title=f"{segment}: attractiveness × our position", show_lines=True)
    box.add_column("attractiveness")
    for p in LEVELS:
        box.add_column(f"position {p}", justify="center")
    for a in LEVELS:
        box.add_row(
            a,
            *(
                f"{report['cells'].get(f'{a}/{p}', 0)} {tiers_of_cells.get(f'{a}/{p}', '')}"
                for p in LEVELS
            ),
        )
    out.print(box)
    dqi = report["dqi"]
    out.print(
        f"accounts {report['accounts']}; tiers "
        + ", ".join(f"{t} {n}" for t, n in report["tiers"].items())
        + f"; set by hand {report['overridden']}; DQI {_pct(dqi['average'])} "
        f"(lowest {_pct(dqi['min'])}); below the contact rule {report['incomplete']}",
        highlight=False,
    )
    if report["missing"]:
        out.print(
            "missing: " + ", ".join(f"{f} {n}" for f, n in report["missing"].items()),
            highlight=False,
        )
    if report["sources"]:
        out.print(
            "sources: " + ", ".join(f"{s['source']} {s['companies']}" for s in report["sources"]),
            highlight=False,
        )
