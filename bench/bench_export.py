"""Benchmark: export a ready prospect database to CSV, XLSX and JSONL.

Target (issue: foundation): 100k companies to CSV (one row per company, best contact) under
10 s on this 2-core machine; ``--contacts`` (one row per person) as fast as it gets.

    .venv/bin/python bench/bench_export.py [--db bench/out/bench-import.db] [--keep DIR]

The database (made by bench/bench_import_export.py) is copied to a temporary directory first:
each export appends to ``export_log``, and the copy is brought to the current schema, so the
file given is never changed.  Prints one line per figure: rows and seconds.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from storage.db import make_engine  # noqa: E402
from storage.exports import export  # noqa: E402
from storage.queries import ProspectFilter  # noqa: E402

RUNS = (
    ("csv (one row per company)", "csv", False, "companies.csv"),
    ("csv --contacts (one row per person)", "csv", True, "contacts.csv"),
    ("xlsx (one row per company)", "xlsx", False, "companies.xlsx"),
    ("jsonl (one row per company)", "jsonl", False, "companies.jsonl"),
)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--db", type=Path, default=ROOT / "bench" / "out" / "bench-import.db")
    ap.add_argument("--keep", type=Path, help="write the exported files here (default: discard)")
    ap.add_argument(
        "--only",
        choices=[f for _, f, _, _ in RUNS] + ["contacts"],
        help="time one format only (contacts: the --contacts CSV)",
    )
    args = ap.parse_args()
    if not args.db.exists():
        print(
            f"{args.db} is missing: make it with "
            ".venv/bin/python bench/bench_import_export.py --companies 100000",
            file=sys.stderr,
        )
        return 1
    with tempfile.TemporaryDirectory(prefix="bench-export-") as tmp:
        db = Path(tmp) / "export.db"
        shutil.copyfile(args.db, db)
        engine = make_engine(f"sqlite:///{db}")
        out = args.keep or Path(tmp)
        out.mkdir(parents=True, exist_ok=True)
        for label, fmt, contacts, name in RUNS:
            if args.only and args.only != ("contacts" if contacts else fmt):
                continue
            if args.only == "csv" and contacts:
                continue
            t = time.perf_counter()
            result = export(engine, out / name, fmt=fmt, flt=ProspectFilter(), contacts=contacts)
            print(
                f"export {label}: {result.rows} rows in {time.perf_counter() - t:.2f}s", flush=True
            )
        engine.dispose()
    return 0


if __name__ == "__main__":
    sys.exit(main())
