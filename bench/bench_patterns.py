"""Benchmark: email-pattern guessing on real (person, address) pairs from the webstruct pages.

    .venv/bin/python bench/bench_patterns.py [--corpus ../shared/corpus] [--show 0]

Pairs: on each page of ``webstruct-us-contact-pages`` and ``webstruct-business-pages``
(scrapinghub/webstruct, MIT, labelled by its authors) every gold PER span is paired with every
address on the same page whose local part the person's name renders under some pattern
(``enrichment.patterns.match``); role boxes are left out.  Two address sets are reported:

* gold: the page's EMAIL spans only;
* page: every address on the page (EMAIL spans, ``mailto:`` links and addresses in the text),
  a larger set whose addresses were not labelled by the webstruct authors.

A third, larger set comes from ``er/dedupe-examples-csv`` (dedupeio/dedupe-examples, MIT; City of
Chicago open data on early-childhood organisations): rows that share a ``True Id`` describe one
organisation, and some of them carry a director's name while another carries an address; a name
and an address of the same organisation are paired when a pattern renders the address.  Free-mail
addresses (gmail, yahoo, aol, comcast …) are left out: they follow no company pattern.

Selection bias, stated plainly: a pair exists only when some pattern renders the address, so
the hit rates below are "does the right pattern rank first", not "how often is a person's
address guessable at all".

For each address set:
* prior only: ``guess(name, domain)`` with no known addresses, top-1 / top-3 over all pairs;
* leave-one-out: for every domain with at least 2 pairs, each pair is held out, the domain's
  other pairs are the known addresses, and top-1 / top-3 of ``guess`` are counted.
"""

from __future__ import annotations

import argparse
import csv
import re
import sys
import time
from collections import defaultdict
from pathlib import Path

import lxml.html

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from enrichment import normalize_email, registrable_domain  # noqa: E402
from enrichment.patterns import guess, match  # noqa: E402

FOLDERS = ("webstruct-us-contact-pages", "webstruct-business-pages")
_EMAIL_RE = re.compile(r"[A-Za-z0-9._%+\-]+@[A-Za-z0-9.\-]+\.[A-Za-z]{2,}")
_AT_DOT_RE = re.compile(r"\s+at\s+|\s*\[at\]\s*|\s*\(at\)\s*", re.IGNORECASE)


def read_page(body: bytes) -> tuple[list[str], set[str], set[str]]:
    """(gold PER texts, gold EMAIL addresses, every address on the page)."""
    root = lxml.html.document_fromstring(body.decode("utf-8", "replace"))
    pieces: dict[tuple[str, str], list[str]] = defaultdict(list)
    for span in root.xpath("//span[@wa-type]"):
        key = (span.get("wa-type"), span.get("wa-id") or str(id(span)))
        pieces[key].append(span.text_content())
    people, gold = [], set()
    for (kind, _), texts in pieces.items():
        text = " ".join(" ".join(texts).split())
        if kind == "PER":
            people.append(text)
        elif kind == "EMAIL":
            text = _AT_DOT_RE.sub("@", text).replace(" dot ", ".")
            gold.update(_addresses(text))
    page = set(gold)
    for href in root.xpath("//a/@href"):
        if href.lower().startswith("mailto:"):
            page.update(_addresses(href[7:].split("?", 1)[0]))
    page.update(_addresses(root.text_content()))
    return people, gold, page


def _addresses(text: str) -> set[str]:
    out = set()
    for raw in _EMAIL_RE.findall(text):
        e = normalize_email(raw)
        if e.valid and not e.is_role:
            out.add(e.address)
    return out


def collect(corpus: Path) -> dict[str, list[tuple[str, str, str]]]:
    """{"gold"|"page": [(page, person, address)]}; one address per (page, person): the first
    that matches; an address claimed by two people on a page is dropped as ambiguous."""
    sets: dict[str, list[tuple[str, str, str]]] = {"gold": [], "page": []}
    for folder in FOLDERS:
        for path in sorted((corpus / "html" / folder).glob("*.html")):
            people, gold, page = read_page(path.read_bytes())
            for label, addrs in (("gold", gold), ("page", page)):
                found: dict[str, list[str]] = defaultdict(list)
                for person in dict.fromkeys(people):
                    for addr in sorted(addrs):
                        if match(person, addr.split("@", 1)[0]):
                            found[addr].append(person)
                for addr, who in found.items():
                    if len(set(who)) == 1:
                        sets[label].append((f"{folder}/{path.name}", who[0], addr))
    return sets


_FREE_MAIL = frozenset(
    "gmail.com yahoo.com aol.com comcast.net sbcglobal.net ameritech.net att.net hotmail.com "
    "msn.com earthlink.net compuserve.com icloud.com me.com outlook.com live.com".split()
)
_NAME_CELL_RE = re.compile(r"[A-Za-z][A-Za-z.'\- ]{3,40}")


def collect_chicago(corpus: Path) -> list[tuple[str, str, str]]:
    """(organisation id, person, address) from the Chicago entity-resolution rows."""
    path = corpus / "er" / "dedupe-examples-csv" / "csv_example_input_with_true_ids.csv"
    if not path.is_file():
        return []
    names: dict[str, set[str]] = defaultdict(set)
    addrs: dict[str, set[str]] = defaultdict(set)
    with path.open(encoding="utf-8", errors="replace", newline="") as fh:
        for row in csv.reader(fh):
            for cell in row[3:]:  # the columns shift between sources: read every cell
                cell = " ".join(cell.split())
                if _NAME_CELL_RE.fullmatch(cell) and 2 <= len(cell.split()) <= 4:
                    names[row[0]].add(cell)
                for a in _addresses(cell):
                    if a.split("@", 1)[1] not in _FREE_MAIL:
                        addrs[row[0]].add(a)
    out = []
    for org, found in addrs.items():
        for addr in sorted(found):
            who = [n for n in sorted(names[org]) if match(n, addr.split("@", 1)[0])]
            if len(who) == 1:
                out.append((f"chicago/{org}", who[0], addr))
    return out


def _rank(person: str, addr: str, known) -> int | None:
    domain = addr.split("@", 1)[1]
    emails = [c.email for c in guess(person, domain, known=known, limit=10)]
    return emails.index(addr) + 1 if addr in emails else None


def evaluate(pairs: list[tuple[str, str, str]], show: int) -> dict[str, float]:
    uniq = {(p, a): pg for pg, p, a in pairs}
    prior_ranks = [_rank(p, a, ()) for (p, a) in uniq]
    by_domain: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for p, a in uniq:
        by_domain[registrable_domain(a) or a].append((p, a))
    loo_ranks, loo_prior, misses = [], [], []
    for domain, rows in sorted(by_domain.items()):
        if len(rows) < 2:
            continue
        for i, (p, a) in enumerate(rows):
            known = [r for j, r in enumerate(rows) if j != i]
            r = _rank(p, a, known)
            loo_ranks.append(r)
            loo_prior.append(_rank(p, a, ()))
            if r != 1:
                misses.append(f"{domain}: {p} <{a}> rank {r} (known: {known})")
    n, m = len(prior_ranks), len(loo_ranks)

    def rate(ranks, k):
        return sum(1 for r in ranks if r is not None and r <= k) / len(ranks) if ranks else 0.0

    print(f"  pairs: {len(pairs)} (unique person+address: {n}) on {len(by_domain)} domains")
    print(f"  prior only, all pairs:        top-1 {rate(prior_ranks, 1):.3f}  "
          f"top-3 {rate(prior_ranks, 3):.3f}  (n={n})")  # fmt: skip
    multi = sum(1 for rows in by_domain.values() if len(rows) >= 2)
    print(f"  domains with >= 2 pairs: {multi}; held-out guesses: {m}")
    if m:
        print(f"  leave-one-out, learned:       top-1 {rate(loo_ranks, 1):.3f}  "
              f"top-3 {rate(loo_ranks, 3):.3f}  (n={m})")  # fmt: skip
        print(f"  same held-out, prior only:    top-1 {rate(loo_prior, 1):.3f}  "
              f"top-3 {rate(loo_prior, 3):.3f}  (n={m})")  # fmt: skip
    for line in misses[:show]:
        print("    miss:", line)
    return {"n": n, "loo": m, "loo_top1": rate(loo_ranks, 1), "prior_top1": rate(prior_ranks, 1)}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--corpus", type=Path, default=ROOT.parent / "shared" / "corpus")
    ap.add_argument("--show", type=int, default=0, help="print N leave-one-out misses")
    args = ap.parse_args()
    if not all((args.corpus / "html" / f).is_dir() for f in FOLDERS):
        print(f"webstruct pages not found under {args.corpus / 'html'} (pass --corpus DIR)",
              file=sys.stderr)  # fmt: skip
        return 2
    t0 = time.perf_counter()
    sets = collect(args.corpus)
    sets["chicago"] = collect_chicago(args.corpus)
    for label in ("gold", "page", "chicago"):
        print(f"{label} addresses:")
        evaluate(sets[label], args.show)
        if args.show:
            for pg, p, a in sets[label]:
                print(f"    pair: {pg}: {p} <{a}>")
    print(f"time: {time.perf_counter() - t0:.1f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
