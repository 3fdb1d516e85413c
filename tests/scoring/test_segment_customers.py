"""The segment file's ``[customers]`` table: defaults, values, every mistake named by its key,
and a hash that does not move for files without the table."""

from __future__ import annotations

import math

import pytest

from scoring.customers import DEFAULT_FACTOR, DEFAULT_INTERVAL_DAYS, DEFAULT_WINDOW_DAYS
from scoring.segment import CustomersConfig, SegmentError, load_segment, parse_segment
from tests.scoring.helpers import segment_data


def test_defaults_are_the_commands_defaults():
    seg = parse_segment(segment_data())
    assert seg.customers == CustomersConfig()
    assert seg.customers.current_days == DEFAULT_WINDOW_DAYS == 365
    assert seg.customers.reactivation_interval_days == DEFAULT_INTERVAL_DAYS == 90
    assert seg.customers.reactivation_factor == DEFAULT_FACTOR == 1.0
    # an empty table is the defaults too
    assert parse_segment(segment_data(customers={})).customers == CustomersConfig()


@pytest.mark.parametrize(
    ("table", "expected"),
    [
        ({"current_days": 180}, (180, 90.0, 1.0)),
        ({"current_days": 1}, (1, 90.0, 1.0)),
        ({"current_days": 36500}, (36500, 90.0, 1.0)),
        ({"reactivation_interval_days": 30}, (365, 30.0, 1.0)),
        ({"reactivation_interval_days": 45.5}, (365, 45.5, 1.0)),
        ({"reactivation_interval_days": 1}, (365, 1.0, 1.0)),
        ({"reactivation_factor": 1.5}, (365, 90.0, 1.5)),
        ({"reactivation_factor": 0.1}, (365, 90.0, 0.1)),
        ({"reactivation_factor": 3}, (365, 90.0, 3.0)),
        (
            {"current_days": 730, "reactivation_interval_days": 14, "reactivation_factor": 2},
            (730, 14.0, 2.0),
        ),
    ],
)
def test_values(table, expected):
    c = parse_segment(segment_data(customers=table)).customers
    assert (c.current_days, c.reactivation_interval_days, c.reactivation_factor) == expected
    assert isinstance(c.current_days, int) and isinstance(c.reactivation_factor, float)


@pytest.mark.parametrize(
    ("value", "key", "problem"),
    [
        # the table itself
        (365, "customers", "must be a table, not a number (365)"),
        ("yearly", "customers", "must be a table, not text 'yearly'"),
        ([{"current_days": 30}], "customers", "must be a table, not a list"),
        # unknown keys (a typo never silently does nothing)
        (
            {"current_day": 30},
            "customers.current_day",
            "unknown key; expected one of: current_days, reactivation_factor, "
            "reactivation_interval_days",
        ),
        ({"window_days": 30}, "customers.window_days", "unknown key"),
        ({"factor": 2}, "customers.factor", "unknown key"),
        # current_days: a whole number of days, 1 to 36500
        ({"current_days": 0}, "customers.current_days", "must be at least 1, not 0"),
        ({"current_days": -30}, "customers.current_days", "must be at least 1, not -30"),
        (
            {"current_days": 365.0},
            "customers.current_days",
            "must be a whole number, not a number (365)",
        ),
        (
            {"current_days": 182.5},
            "customers.current_days",
            "must be a whole number, not a number (182.5)",
        ),
        ({"current_days": "365"}, "customers.current_days", "must be a whole number, not text"),
        ({"current_days": "yearly"}, "customers.current_days", "not text 'yearly'"),
        ({"current_days": True}, "customers.current_days", "not a boolean (true)"),
        ({"current_days": [365]}, "customers.current_days", "not a list"),
        (
            {"current_days": 36501},
            "customers.current_days",
            "must be at most 36500 (100 years), not 36501",
        ),
        ({"current_days": 10**12}, "customers.current_days", "must be at most 36500"),
        # reactivation_interval_days: days, 1 to 36500
        (
            {"reactivation_interval_days": 0},
            "customers.reactivation_interval_days",
            "must be at least 1, not 0",
        ),
        (
            {"reactivation_interval_days": 0.5},
            "customers.reactivation_interval_days",
            "must be at least 1, not 0.5",
        ),
        (
            {"reactivation_interval_days": 40000},
            "customers.reactivation_interval_days",
            "must be at most 36500, not 40000",
        ),
        (
            {"reactivation_interval_days": "monthly"},
            "customers.reactivation_interval_days",
            "must be a number, not text 'monthly'",
        ),
        (
            {"reactivation_interval_days": math.nan},
            "customers.reactivation_interval_days",
            "must be a number",
        ),
        (
            {"reactivation_interval_days": math.inf},
            "customers.reactivation_interval_days",
            "must be a finite number",
        ),
        (
            {"reactivation_interval_days": False},
            "customers.reactivation_interval_days",
            "not a boolean (false)",
        ),
        # reactivation_factor: at least 0.1
        ({"reactivation_factor": 0}, "customers.reactivation_factor", "must be at least 0.1"),
        (
            {"reactivation_factor": 0.05},
            "customers.reactivation_factor",
            "must be at least 0.1, not 0.05",
        ),
        ({"reactivation_factor": -1}, "customers.reactivation_factor", "not -1"),
        (
            {"reactivation_factor": "1.5"},
            "customers.reactivation_factor",
            "must be a number, not text '1.5'",
        ),
        (
            {"reactivation_factor": -math.inf},
            "customers.reactivation_factor",
            "must be a finite number",
        ),
        ({"reactivation_factor": {"x": 1}}, "customers.reactivation_factor", "not a table"),
    ],
)
def test_each_mistake_names_its_key(value, key, problem):
    with pytest.raises(SegmentError) as exc:
        parse_segment(segment_data(customers=value), source="seg.toml")
    assert len(exc.value.errors) == 1, exc.value.errors
    error = exc.value.errors[0]
    assert error.startswith(f"{key}: "), error
    assert problem in error, error
    assert str(exc.value).startswith("seg.toml: 1 problem(s)")


def test_every_mistake_is_reported_at_once_with_the_rest_of_the_file():
    data = segment_data(
        customers={
            "current_days": 0,
            "reactivation_interval_days": "often",
            "reactivation_factor": 0,
            "colour": "red",
        },
        quality={"target": 2},
    )
    with pytest.raises(SegmentError) as exc:
        parse_segment(data)
    keys = sorted(e.split(":", 1)[0] for e in exc.value.errors)
    assert keys == [
        "customers.colour",
        "customers.current_days",
        "customers.reactivation_factor",
        "customers.reactivation_interval_days",
        "quality.target",
    ]


def test_load_from_a_file(tmp_path):
    path = tmp_path / "consumables.toml"
    path.write_text(
        'name = "consumables"\n'
        "[[scoring.attractiveness.criteria]]\n"
        'name = "size"\nfield = "employees"\nkind = "bands"\n'
        "bands = [{ min = 0, points = 0 }, { min = 50, points = 5 }]\n"
        "[[scoring.position.criteria]]\n"
        'name = "rel"\nfield = "status"\nkind = "categories"\npoints = { former = 10 }\n'
        "[customers]\n"
        "current_days = 180\nreactivation_interval_days = 30\nreactivation_factor = 1.5\n",
        encoding="utf-8",
    )
    assert load_segment(path).customers == CustomersConfig(180, 30.0, 1.5)
    path.write_text(path.read_text(encoding="utf-8").replace("= 180", "= -1"), encoding="utf-8")
    with pytest.raises(SegmentError, match=r"consumables.toml: 1 problem.*\n  customers"):
        load_segment(path)


def test_config_is_frozen():
    c = parse_segment(segment_data(customers={"current_days": 30})).customers
    with pytest.raises(AttributeError):
        c.current_days = 31  # type: ignore[misc]


# The hash of tests/scoring/helpers.py's BASE segment before [customers] existed: a file
# without the table keeps the hash its stored scores and run state files carry.
HASH_BEFORE_CUSTOMERS = "470d7855f68cc25f32d7a50cf1d9206537cd455aa04dd2761d11cfd9555a3ae2"


def test_hash_without_the_table_is_unchanged_and_values_move_it():
    base = parse_segment(segment_data()).hash
    assert base == HASH_BEFORE_CUSTOMERS
    # the defaults written out (ints or floats) mean the same: the same hash
    spelled = segment_data(
        customers={
            "current_days": 365,
            "reactivation_interval_days": 90.0,
            "reactivation_factor": 1,
        }
    )
    assert parse_segment(spelled).hash == base
    hashes = {
        parse_segment(segment_data(customers=t)).hash
        for t in (
            {"current_days": 364},
            {"reactivation_interval_days": 91},
            {"reactivation_factor": 1.1},
        )
    }
    assert len(hashes) == 3 and base not in hashes
    # same meaning, other spelling: same hash
    assert (
        parse_segment(segment_data(customers={"reactivation_interval_days": 30})).hash
        == parse_segment(segment_data(customers={"reactivation_interval_days": 30.0})).hash
    )
