"""The matcher holds a minimum pairwise precision and recall on labelled samples.

The floors sit a little under what the samples measure today (bench/bench_er.py measures the
full sets): a change of rules that costs precision or recall fails here.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from bench.bench_er import load_chicago, load_splink, measure
from enrichment.dedupe import find_company_duplicates, find_person_duplicates

ER = Path(__file__).resolve().parent.parent / "fixtures" / "er"


@pytest.mark.parametrize(
    ("load", "find", "name", "min_precision", "min_recall"),
    [
        (load_chicago, find_company_duplicates, "chicago-sample.csv", 0.95, 0.88),
        (load_splink, find_person_duplicates, "splink-people-sample.csv", 0.95, 0.55),
    ],
)
def test_precision_and_recall_floors(load, find, name, min_precision, min_recall):
    entries, labels = load(ER / name)
    m = measure(find(entries), labels)
    assert m["true_pairs"] > 100
    assert m["precision"] >= min_precision, m
    assert m["recall"] >= min_recall, m
