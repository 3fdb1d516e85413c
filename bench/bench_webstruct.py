"""Benchmark: extraction quality against the webstruct gold annotations.

    .venv/bin/python bench/bench_webstruct.py [--corpus ../shared/corpus] [--show 0]

For ``webstruct-us-contact-pages`` and ``webstruct-business-pages`` (scrapinghub/webstruct,
MIT, labelled by its authors): the WebAnnotator ``<span wa-type=..>`` wrappers are removed
(their text kept) to get the raw page, and the gold EMAIL, TEL (not FAX), PER and FUNC
spans are collected (pieces with one ``wa-id`` joined). ``extract_page`` runs on the stripped
page (``country="US"``) and is scored per page, micro-averaged:

* emails: normalized addresses (``enrichment.normalize_email``);
* phones: E.164 without extension, the gold text parsed with region US;
* people: normalized name key (``enrichment.parse_person_name``, credentials dropped); the
  recall is also given over gold names of two or more words (a bare first name such as
  "Pete" is out of scope by design);
* titles: the title of a matched person against the page's FUNC spans (casefolded, fuzzy
  ratio >= 90).

``--show N`` prints N examples of misses and false positives per field.
"""

from __future__ import annotations

import argparse
import re
import sys
from collections import defaultdict
from pathlib import Path

import lxml.html
from rapidfuzz import fuzz

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from enrichment import normalize_email, normalize_phone, parse_person_name  # noqa: E402
from spiders.pages.company import extract_page  # noqa: E402
from spiders.pages.namecheck import strip_credentials  # noqa: E402

FOLDERS = ("webstruct-us-contact-pages", "webstruct-business-pages")
_NORM_RE = re.compile(r"[^\w&]+")


def strip_annotations(body: bytes) -> tuple[str, dict[str, list[str]]]:
    """(raw page, {type: [gold texts]}) of a WebAnnotator page."""
    root = lxml.html.document_fromstring(body.decode("utf-8", "replace"))
    pieces: dict[tuple[str, str], list[str]] = defaultdict(list)
    for span in root.xpath("//span[@wa-type]"):
        key = (span.get("wa-type"), span.get("wa-id") or str(id(span)))
        pieces[key].append(span.text_content())
    for span in root.xpath("//span[@wa-type]"):
        span.drop_tag()
    gold: dict[str, list[str]] = defaultdict(list)
    for (kind, _), texts in pieces.items():
        gold[kind].append(" ".join(" ".join(texts).split()))
    return lxml.html.tostring(root, encoding="unicode"), gold


def _name_key(text: str) -> str:
    return parse_person_name(strip_credentials(" ".join(text.split()))).key


def _title_norm(text: str) -> str:
    return _NORM_RE.sub(" ", text.casefold()).strip()


class Score:
    def __init__(self) -> None:
        self.tp = self.fp = self.fn = 0
        self.misses: list[str] = []
        self.false: list[str] = []

    def add(self, gold: set[str], pred: set[str], where: str) -> None:
        self.tp += len(gold & pred)
        self.fp += len(pred - gold)
        self.fn += len(gold - pred)
        self.misses += [f"{where}: {g}" for g in sorted(gold - pred)]
        self.false += [f"{where}: {p}" for p in sorted(pred - gold)]

    def row(self, name: str) -> str:
        p = self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0
        r = self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0
        f = 2 * p * r / (p + r) if p + r else 0.0
        return f"{name:28} {self.tp:5} {self.fp:5} {self.fn:5}   {p:6.3f} {r:6.3f} {f:6.3f}"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--corpus", type=Path, default=ROOT.parent / "shared" / "corpus")
    ap.add_argument("--show", type=int, default=0)
    args = ap.parse_args()
    base = args.corpus / "html"
    if not all((base / f).is_dir() for f in FOLDERS):
        print(f"webstruct pages not found under {base} (pass --corpus DIR)", file=sys.stderr)
        return 2
    for folder in FOLDERS:
        emails, phones, people, people2, titles = Score(), Score(), Score(), Score(), Score()
        pages = sorted((base / folder).glob("*.html"), key=lambda p: int(p.stem))
        for path in pages:
            html, gold = strip_annotations(path.read_bytes())
            where = f"{path.stem}"
            result = extract_page(html, f"https://{folder}-{path.stem}.example/", country="US")
            g_emails = {e.address for t in gold["EMAIL"] if (e := normalize_email(t)).address}
            emails.add(g_emails, set(result.company.emails), where)
            g_phones = {p.e164 for t in gold["TEL"] if (p := normalize_phone(t, "US")).e164}
            phones.add(g_phones, {p.split(";", 1)[0] for p in result.company.phones}, where)
            g_people = {k for t in gold["PER"] if (k := _name_key(t))}
            pred_people = {_name_key(p.name): p for p in result.people}
            people.add(g_people, set(pred_people), where)
            g_people2 = {k for k in g_people if " " in k}
            people2.add(
                g_people2, set(pred_people) & g_people2 | (set(pred_people) - g_people), where
            )
            funcs = [_title_norm(t) for t in gold["FUNC"]]
            g_titles, p_titles = set(), set()
            for key, person in pred_people.items():
                if key in g_people and person.title:
                    t = _title_norm(person.title)
                    hit = next((f for f in funcs if fuzz.ratio(t, f) >= 90), None)
                    p_titles.add(hit or f"{t} (for {key})")
            g_titles = set(funcs)
            titles.add(g_titles, p_titles, where)
        print(f"\n{folder}: {len(pages)} pages")
        print(f"{'field':28} {'tp':>5} {'fp':>5} {'fn':>5}   {'prec':>6} {'rec':>6} {'f1':>6}")
        for name, score in (
            ("emails", emails),
            ("phones (TEL)", phones),
            ("people (all PER)", people),
            ("people (2+ word PER)", people2),
            ("titles (FUNC)", titles),
        ):
            print(score.row(name))
            if args.show:
                for line in score.false[: args.show]:
                    print(f"    FP {line}")
                for line in score.misses[: args.show]:
                    print(f"    FN {line}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
