"""Segment files: every mistake is reported with its key path, all of them at once."""

from __future__ import annotations

from pathlib import Path

import pytest

from scoring import SegmentError, load_segment, parse_segment
from scoring.segment import DEFAULT_TIERS

from .helpers import BASE, segment_data

ROOT = Path(__file__).resolve().parents[2]


def _crit(axis: str = "attractiveness", **crit):
    data = segment_data()
    data["scoring"][axis]["criteria"].append(crit)
    return data


def _with(path: str, value):
    """BASE with one nested key set: path like 'icp.employees' or 'quality.target'."""
    data = segment_data()
    node = data
    *parents, last = path.split(".")
    for key in parents:
        node = node.setdefault(key, {})
    node[last] = value
    return data


def _errors(data) -> list[str]:
    with pytest.raises(SegmentError) as info:
        parse_segment(data, source="t.toml")
    return info.value.errors


BANDS_CRIT = {"name": "rev", "field": "revenue", "kind": "bands"}

CASES = [
    # (segment data, the key the error must name, a word of the problem)
    ({k: v for k, v in BASE.items() if k != "name"}, "name", "missing"),
    (segment_data(name=""), "name", "non-empty"),
    (segment_data(colour="red"), "colour", "unknown key"),
    ({"name": "x"}, "scoring", "missing"),
    (_with("scoring.position", {"criteria": []}), "scoring.position.criteria", "non-empty"),
    (
        _crit(**BANDS_CRIT, bands=[{"min": 10, "points": 1}, {"min": 5, "points": 2}]),
        "scoring.attractiveness.criteria[1].bands",
        "ascending",
    ),
    (
        _crit(**BANDS_CRIT, bands=[{"min": 10, "points": 1}, {"min": 10, "points": 2}]),
        "scoring.attractiveness.criteria[1].bands",
        "ascending",
    ),
    (_crit(**BANDS_CRIT, bands=[]), "scoring.attractiveness.criteria[1].bands", "non-empty"),
    (
        _crit(**BANDS_CRIT, bands=[{"min": 0, "points": -1}]),
        "scoring.attractiveness.criteria[1].bands[0].points",
        "at least 0",
    ),
    (
        _crit(**BANDS_CRIT, bands=[{"points": 1}]),
        "scoring.attractiveness.criteria[1].bands[0].min",
        "missing",
    ),
    (
        _crit(name="x", field="name", kind="bands", bands=[{"min": 0, "points": 1}]),
        "scoring.attractiveness.criteria[1].field",
        "not numeric",
    ),
    (
        _crit(name="x", field="employes", kind="boolean", yes=1),
        "scoring.attractiveness.criteria[1].field",
        "unknown field",
    ),
    (
        _crit(name="x", field="facts.a.b", kind="boolean", yes=1),
        "scoring.attractiveness.criteria[1].field",
        "takes one key",
    ),
    (
        _crit(name="x", field="facts", kind="bands", bands=[{"min": 0, "points": 1}]),
        "scoring.attractiveness.criteria[1].field",
        "not numeric",
    ),
    (
        _crit(name="x", field="employees.count", kind="boolean", yes=1),
        "scoring.attractiveness.criteria[1].field",
        "no sub-fields",
    ),
    (
        _crit(name="x", field="status", kind="fuzzy"),
        "scoring.attractiveness.criteria[1].kind",
        "not one of",
    ),
    (
        _crit(name="x", field="status", kind="boolean", yes=1, bands=[]),
        "scoring.attractiveness.criteria[1].bands",
        "unknown key",
    ),
    (
        _crit(name="x", field="status", kind="boolean", yes=1, weight="high"),
        "scoring.attractiveness.criteria[1].weight",
        "must be a number",
    ),
    (
        _crit(name="x", field="status", kind="boolean", yes=1, weight=-2),
        "scoring.attractiveness.criteria[1].weight",
        "at least 0",
    ),
    (
        _crit(name="x", field="status", kind="boolean"),
        "scoring.attractiveness.criteria[1]",
        "no points",
    ),
    (
        _crit(name="size", field="status", kind="boolean", yes=1),
        "scoring.attractiveness.criteria[1].name",
        "used twice",
    ),
    (
        _crit(field="status", kind="boolean", yes=1),
        "scoring.attractiveness.criteria[1].name",
        "missing",
    ),
    (
        _crit(name="x", field="status", kind="categories", points=[1, 2]),
        "scoring.attractiveness.criteria[1].points",
        "table",
    ),
    (
        _crit(name="x", field="status", kind="categories", points={"New": 1, "new": 2}),
        "scoring.attractiveness.criteria[1].points.new",
        "twice",
    ),
    (
        _crit(name="x", field="technologies", kind="keywords", points=1),
        "scoring.attractiveness.criteria[1].keywords",
        "missing",
    ),
    (
        _crit(
            name="x", field="technologies", kind="keywords", keywords=["a"], points=1, mode="all"
        ),
        "scoring.attractiveness.criteria[1].mode",
        "'any' or 'each'",
    ),
    (
        _crit(name="x", field="technologies", kind="keywords", keywords=["a", ""], points=1),
        "scoring.attractiveness.criteria[1].keywords[1]",
        "non-empty",
    ),
    (_with("scoring.matrix", {"medium": 70, "high": 40}), "scoring.matrix", "below high"),
    (_with("scoring.matrix", {"medium": 120}), "scoring.matrix.medium", "at most 100"),
    (_with("scoring.matrix", {"low": 10}), "scoring.matrix.low", "unknown key"),
    (_with("scoring.tiers", {"top/high": "strategic"}), "scoring.tiers.top/high", "unknown cell"),
    (_with("scoring.tiers", {"high/high": "gold"}), "scoring.tiers.high/high", "not one of"),
    (_with("icp.countries", ["Russia"]), "icp.countries[0]", "two-letter"),
    (_with("icp.employees", {"min": 500, "max": 50}), "icp.employees", "greater than max"),
    (_with("icp.employees", 50), "icp.employees", "must be a table"),
    (_with("icp.revenue", {"min": -1}), "icp.revenue.min", "at least 0"),
    (_with("icp.exclude_statuses", ["customer"]), "icp.exclude_statuses[0]", "not one of"),
    (_with("icp.growth", {"allow": ["growing"]}), "icp.growth.inflation", "missing"),
    (
        _with("icp.growth", {"inflation": 0.08, "allow": ["up"]}),
        "icp.growth.allow[0]",
        "not one of",
    ),
    (_with("icp.growth", {"inflation": "8%"}), "icp.growth.inflation", "must be a number"),
    (_with("icp.missing", "skip"), "icp.missing", "'pass' or 'fail'"),
    (_with("quality.min_contacts", 2.5), "quality.min_contacts", "whole number"),
    (_with("quality.min_decision_makers", -1), "quality.min_decision_makers", "at least 0"),
    (_with("quality.target", 95), "quality.target", "at most 1"),
    (_with("quality.required", ["name", "people"]), "quality.required[1]", "cannot be required"),
    (_with("quality.required", ["nmae"]), "quality.required[0]", "unknown field"),
    (_with("refresh.strategic", "fortnightly"), "refresh.strategic", "days"),
    (_with("refresh.scale", 0), "refresh.scale", "days"),
    (_with("refresh.gold", 30), "refresh.gold", "unknown key"),
    (_with("decision_makers.titles", "прораб, мастер"), None, None),  # a single text is a list
    (
        _with("decision_makers.departments", ["Procurement", "buying"]),
        "decision_makers.departments[1]",
        "not one of",
    ),
    (
        segment_data(sources=[{"start_urls": ["https://a.example/"]}]),
        "sources[0].spider",
        "missing",
    ),
    (segment_data(sources=[{"spider": "linkedin"}]), "sources[0].spider", "not one of"),
    (segment_data(sources={"spider": "directory"}), "sources", "list of tables"),
    (
        segment_data(overrides=[{"domain": "a.example", "tier": "gold", "reason": "x"}]),
        "overrides[0].tier",
        "not one of",
    ),
    (
        segment_data(overrides=[{"tier": "scale", "reason": "x"}]),
        "overrides[0]",
        "names no company",
    ),
    (
        segment_data(overrides=[{"domain": "a.example", "tier": "scale"}]),
        "overrides[0].reason",
        "missing",
    ),
    (
        segment_data(overrides=[{"inn": "12345", "tier": "scale", "reason": "x"}]),
        "overrides[0].inn",
        "not an INN",
    ),
    (
        segment_data(
            overrides=[
                {"domain": "a.example", "tier": "scale", "reason": "x"},
                {"domain": "WWW.A.example", "tier": "strategic", "reason": "y"},
            ]
        ),
        "overrides[1].domain",
        "already overridden",
    ),
]


@pytest.mark.parametrize(("data", "key", "problem"), CASES)
def test_each_mistake_names_its_key(data, key, problem):
    if key is None:
        parse_segment(data)
        return
    errors = _errors(data)
    matching = [e for e in errors if e.startswith(f"{key}: ")]
    assert matching, errors
    assert any(problem in e for e in matching), errors


def test_all_errors_are_collected_not_just_the_first():
    data = segment_data(colour="red", overrides=[{"tier": "gold"}])
    data["scoring"]["matrix"] = {"medium": 90, "high": 10}
    data["scoring"]["attractiveness"]["criteria"][0]["bands"] = [
        {"min": 5, "points": 1},
        {"min": 1, "points": 2},
    ]
    data["quality"] = {"target": 2}
    errors = _errors(data)
    keys = {e.split(": ")[0] for e in errors}
    assert {
        "colour",
        "overrides[0]",
        "overrides[0].tier",
        "overrides[0].reason",
        "scoring.matrix",
        "scoring.attractiveness.criteria[0].bands",
        "quality.target",
    } <= keys
    message = str(SegmentError(errors, "x.toml"))
    assert message.startswith("x.toml: ") and "scoring.matrix: " in message


def test_defaults():
    seg = parse_segment(segment_data())
    assert seg.quality.min_contacts == 3
    assert seg.quality.min_decision_makers == 1
    assert seg.quality.target == 0.95
    assert dict(seg.refresh) == {"strategic": 30, "scale": 90, "programmatic": 90}
    assert dict(seg.scoring.tiers) == dict(DEFAULT_TIERS)
    assert sorted(seg.scoring.tiers) == sorted(
        f"{a}/{p}" for a in ("low", "medium", "high") for p in ("low", "medium", "high")
    )
    assert (seg.scoring.medium, seg.scoring.high) == (40, 70)
    assert seg.icp.missing == "pass" and seg.icp.growth is None


def test_refresh_words_and_tier_mapping_changes():
    data = segment_data(refresh={"strategic": "weekly", "programmatic": "yearly"})
    data["scoring"]["tiers"] = {"low/high": "strategic"}
    seg = parse_segment(data)
    assert dict(seg.refresh) == {"strategic": 7, "scale": 90, "programmatic": 365}
    assert seg.scoring.tiers["low/high"] == "strategic"
    assert seg.scoring.tiers["high/high"] == "strategic"


def test_config_is_frozen():
    seg = parse_segment(segment_data())
    with pytest.raises(AttributeError):
        seg.name = "other"  # type: ignore[misc]
    with pytest.raises(TypeError):
        seg.refresh["scale"] = 1  # type: ignore[index]


def test_hash_is_stable_and_tracks_meaning():
    a = parse_segment(segment_data())
    b = parse_segment(segment_data())
    assert a.hash == b.hash and len(a.hash) == 64
    # defaults written out, other key order, integer vs float: the same configuration
    data = segment_data(quality={"target": 0.95, "min_contacts": 3})
    data["scoring"] = dict(reversed(list(data["scoring"].items())))
    data["scoring"]["attractiveness"]["criteria"][0]["weight"] = 1.0
    assert parse_segment(data).hash == a.hash
    changed = segment_data()
    changed["scoring"]["attractiveness"]["criteria"][0]["bands"][1]["points"] = 6
    assert parse_segment(changed).hash != a.hash
    assert parse_segment(segment_data(description="other")).hash != a.hash


def test_file_errors(tmp_path):
    bad = tmp_path / "bad.toml"
    bad.write_text('name = "x"\nscoring = [', encoding="utf-8")
    with pytest.raises(SegmentError, match=r"(?s)bad.toml: .*not valid TOML"):
        load_segment(bad)
    with pytest.raises(SegmentError, match="cannot read"):
        load_segment(tmp_path / "absent.toml")
    latin = tmp_path / "latin.toml"
    latin.write_bytes('name = "Müller"'.encode("latin-1"))
    with pytest.raises(SegmentError, match="not UTF-8"):
        load_segment(latin)


@pytest.mark.parametrize("path", sorted((ROOT / "examples" / "segments").glob("*.toml")))
def test_examples_load(path):
    seg = load_segment(path)
    assert seg.name and seg.description and seg.sources
    assert seg.scoring.attractiveness.criteria and seg.scoring.position.criteria
    assert load_segment(path).hash == seg.hash


def test_there_are_at_least_two_examples():
    assert len(list((ROOT / "examples" / "segments").glob("*.toml"))) >= 2
