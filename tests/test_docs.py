"""The documentation names what the code does: import fields, export columns, commands."""

from __future__ import annotations

from pathlib import Path

from leadgen.importing.columns import CANONICAL_FIELDS
from storage.exports import COMPANY_COLUMNS, CONTACT_COLUMNS, LIFECYCLE_COLUMNS, TIME_COLUMNS

ROOT = Path(__file__).resolve().parent.parent


def test_every_import_field_is_documented():
    text = (ROOT / "docs" / "import.md").read_text(encoding="utf-8")
    assert [f for f in CANONICAL_FIELDS if f"`{f}`" not in text] == []


def test_every_export_column_is_documented():
    text = (ROOT / "docs" / "export.md").read_text(encoding="utf-8")
    columns = [
        c for c, _ in (*COMPANY_COLUMNS, *CONTACT_COLUMNS, *TIME_COLUMNS, *LIFECYCLE_COLUMNS)
    ]
    assert [c for c in columns if f"`{c}`" not in text] == []


def test_readme_starts_with_the_two_commands_and_lists_every_command():
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    head = text[: text.index("## ")]
    assert "make demo" in head and "make test" in head
    for command in (
        "leadgen import",
        "leadgen list",
        "leadgen export",
        "leadgen forget",
        "leadgen db upgrade",
        "leadgen crawl directory",
        "leadgen crawl exhibitors",
        "leadgen crawl company",
        "leadgen extract",
    ):
        assert command in text, command


def test_readme_names_every_registered_command():
    from leadgen.cli import app

    text = (ROOT / "README.md").read_text(encoding="utf-8")
    names = [c.name or c.callback.__name__.replace("_", "-") for c in app.registered_commands]
    assert len(names) > 10
    assert [n for n in names if f"leadgen {n}" not in text] == []


def test_every_source_definition_key_is_documented():
    from spiders.sources import _KEYS

    text = (ROOT / "docs" / "crawl.md").read_text(encoding="utf-8")
    assert [
        k
        for k in sorted(_KEYS - {"name", "description"})
        if f"{k} " not in text and f"[{k}" not in text
    ] == []


def test_every_crawl_setting_is_documented():
    from spiders import settings

    text = (ROOT / "docs" / "crawl.md").read_text(encoding="utf-8")
    names = [n for n in dir(settings) if n.startswith("LEADGEN_")]
    documented = [
        n
        for n in names
        if n in text or n in ("LEADGEN_DATABASE_URL", "LEADGEN_RUN_ID", "LEADGEN_STORE_BATCH")
    ]
    assert sorted(set(names) - set(documented)) == []


def test_every_verify_field_and_status_is_documented():
    from enrichment.verify import JSON_FIELDS, STATUSES

    text = (ROOT / "docs" / "verify.md").read_text(encoding="utf-8")
    assert [f for f in JSON_FIELDS if f"`{f}`" not in text] == []
    assert [s for s in STATUSES if f"`{s}`" not in text] == []
    for option in ("--smtp", "--nameserver", "--smtp-port", "--timeout", "--json", "--no-cache"):
        assert option in text, option
    assert "LEADGEN_NAMESERVERS" in text and "LEADGEN_SMTP_PORT" in text


def test_customer_history_is_documented():
    from leadgen.importing.orders import ORDER_FIELDS
    from scoring.customers import COLOURS, SEGMENT_GRID, SEGMENTS

    text = (ROOT / "docs" / "customers.md").read_text(encoding="utf-8")
    assert [f for f in ORDER_FIELDS.names if f"`{f}`" not in text] == []
    assert [s for s in SEGMENTS if s not in text] == []
    assert [c for c in COLOURS if f"**{c}**" not in text] == []
    for r, row in SEGMENT_GRID.items():  # the rule table is the code's grid
        assert f"| **{r}** | " + " | ".join(row) + " |" in text, r
    for option in ("--current-days", "--abc-split", "--default-interval-days", "--date-order"):
        assert option in text, option
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for command in ("leadgen import-orders", "leadgen customers", "leadgen reactivation"):
        assert command in readme, command
