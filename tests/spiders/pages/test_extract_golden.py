"""Golden-file tests: each tests/fixtures/pages/<case>/ holds a hand-written page
(input.html, bytes as saved), meta.json (url, optional country) and output.json written by
hand from what the page says. Failures are reported field by field."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from spiders.pages.company import extract_page

CASES = Path(__file__).resolve().parents[2] / "fixtures" / "pages"
NAMES = sorted(p.name for p in CASES.iterdir() if (p / "output.json").is_file())


def _diff(expected: dict, actual: dict, where: str) -> list[str]:
    out = []
    for key in sorted(set(expected) | set(actual)):
        if key == "people" or key == "company":
            continue
        if expected.get(key, "<missing>") != actual.get(key, "<missing>"):
            out.append(f"{where}{key}: expected {expected.get(key)!r}, got {actual.get(key)!r}")
    return out


def test_there_are_enough_cases():
    assert len(NAMES) >= 15


@pytest.mark.parametrize("case", NAMES)
def test_golden(case):
    folder = CASES / case
    meta = json.loads((folder / "meta.json").read_text(encoding="utf-8"))
    expected = json.loads((folder / "output.json").read_text(encoding="utf-8"))
    actual = extract_page(
        (folder / "input.html").read_bytes(), meta["url"], country=meta.get("country")
    ).to_dict()
    problems = _diff(expected, actual, "")
    problems += _diff(expected["company"], actual["company"], "company.")
    exp_people = {p["name"]: p for p in expected["people"]}
    act_people = {p["name"]: p for p in actual["people"]}
    for name in sorted(set(exp_people) - set(act_people)):
        problems.append(f"people: missing {name!r}")
    for name in sorted(set(act_people) - set(exp_people)):
        problems.append(f"people: unexpected {name!r} ({act_people[name].get('title')!r})")
    for name in sorted(set(exp_people) & set(act_people)):
        problems += _diff(exp_people[name], act_people[name], f"people[{name}].")
    assert [p["name"] for p in actual["people"]] == [
        p["name"] for p in expected["people"]
    ] or problems, "people order differs"
    assert not problems, "\n".join(problems)
