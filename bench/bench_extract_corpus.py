"""Benchmark: ``extract_page`` over every saved page of the shared corpus (no crash allowed).

    .venv/bin/python bench/bench_extract_corpus.py [--corpus ../shared/corpus] [--repeat 3]

Reads every ``*.html`` under ``<corpus>/html`` (all folders), runs ``extract_page`` on the
bytes with a URL made from the file name, and reports any exception with its file (exit
status 1 when there is one). Prints pages/second (median of ``--repeat`` timed passes after
one warm-up pass), the slowest pages, and per-folder counts of what was found.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
import traceback
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from spiders.pages.company import extract_page  # noqa: E402


def _url(path: Path) -> str:
    host = path.stem if "." in path.stem else f"{path.parent.name}-{path.stem}.example"
    return f"https://{host}/"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--corpus", type=Path, default=ROOT.parent / "shared" / "corpus")
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    html_dir = args.corpus / "html"
    if not html_dir.is_dir():
        print(f"corpus not found: {html_dir} (pass --corpus DIR)", file=sys.stderr)
        return 2
    pages = [(p, p.read_bytes()) for p in sorted(html_dir.rglob("*.html"))]
    failures = 0
    found: dict[str, Counter] = {}
    per_page: dict[Path, float] = {}
    for path, body in pages:  # warm-up pass, also the crash check and the counts
        t0 = time.perf_counter()
        try:
            result = extract_page(body, _url(path))
        except Exception:
            failures += 1
            print(f"EXCEPTION in {path.relative_to(html_dir)}:", file=sys.stderr)
            traceback.print_exc()
            continue
        per_page[path] = time.perf_counter() - t0
        c = found.setdefault(path.parent.name, Counter())
        c["pages"] += 1
        c["emails"] += len(result.company.emails)
        c["phones"] += len(result.company.phones)
        c["people"] += len(result.people)
        c["with name"] += result.company.name is not None
        c["with address"] += result.company.address is not None
        c["with ids"] += bool(result.company.registration_ids)
    timings = []
    for _ in range(max(1, args.repeat)):
        t0 = time.perf_counter()
        for path, body in pages:
            try:
                extract_page(body, _url(path))
            except Exception:
                pass
        timings.append(time.perf_counter() - t0)
    total = statistics.median(timings)
    size = sum(len(b) for _, b in pages)
    print(f"pages: {len(pages)} ({size / 1e6:.1f} MB), exceptions: {failures}")
    print(
        f"time per pass: {total:.2f} s (median of {len(timings)}), "
        f"{len(pages) / total:.0f} pages/s, {size / 1e6 / total:.1f} MB/s, "
        f"{total / len(pages) * 1000:.1f} ms/page mean"
    )
    print("slowest pages (first pass):")
    for path, dt in sorted(per_page.items(), key=lambda x: -x[1])[:5]:
        kb = len(path.read_bytes()) / 1000
        print(f"  {dt * 1000:6.1f} ms  {kb:6.0f} kB  {path.relative_to(html_dir)}")
    cols = ["pages", "with name", "emails", "phones", "people", "with address", "with ids"]
    print(f"{'folder':30}" + "".join(f"{c:>13}" for c in cols))
    for folder, c in sorted(found.items()):
        print(f"{folder:30}" + "".join(f"{c[k]:>13}" for k in cols))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
