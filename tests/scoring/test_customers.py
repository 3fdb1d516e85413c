"""RFM, ABC, lifecycle colour and reactivation against tables worked out by hand.

Each expectation is computed in the comments from the rules in scoring/customers.py (and
docs/customers.md), not by running the code.
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from scoring.customers import (
    SEGMENT_GRID,
    SEGMENTS,
    AccountFacts,
    CustomerOrders,
    abc_classes,
    customer_status,
    lifecycle_colour,
    parse_abc_split,
    quintile_scores,
    reactivation_list,
    rfm_scores,
    rfm_segment,
    summarize_orders,
)

AS_OF = date(2026, 12, 1)


def customer(cid: int, days: int, orders: int, revenue: float) -> CustomerOrders:
    last = AS_OF - timedelta(days=days)
    return CustomerOrders(cid, orders, revenue, last, last, revenue, None)


# id: (recency days, frequency, monetary)
TABLE = {
    1: (5, 12, 120_000),
    2: (10, 8, 90_000),
    3: (10, 1, 500),
    4: (40, 5, 40_000),
    5: (60, 3, 15_000),
    6: (120, 1, 2_000),
    7: (200, 6, 70_000),
    8: (400, 2, 3_000),
    9: (400, 1, 800),
    10: (700, 9, 100_000),
}

# n = 10; score = 1 + floor(5 * below / 10), below = customers strictly worse.
# R (days; more is worse). Sorted: 5 10 10 40 60 120 200 400 400 700
#   5: 9 worse -> 1+4=5 | 10: 7 worse -> 1+3=4 (both) | 40: 6 -> 1+3=4 | 60: 5 -> 1+2=3
#   120: 4 -> 1+2=3 | 200: 3 -> 1+1=2 | 400: 1 -> 1+0=1 (both) | 700: 0 -> 1
# F (fewer is worse). Sorted: 1 1 1 2 3 5 6 8 9 12
#   12: 9 -> 5 | 8: 7 -> 4 | 1: 0 -> 1 (three of them) | 5: 5 -> 3 | 3: 4 -> 3 | 6: 6 -> 4
#   2: 3 -> 2 | 9: 8 -> 5
# M (less is worse). Sorted: 500 800 2000 3000 15000 40000 70000 90000 100000 120000
#   120000: 9 -> 5 | 90000: 7 -> 4 | 500: 0 -> 1 | 40000: 5 -> 3 | 15000: 4 -> 3
#   2000: 2 -> 2 | 70000: 6 -> 4 | 3000: 3 -> 2 | 800: 1 -> 1 | 100000: 8 -> 5
# FM = (F + M + 1) // 2, segment = SEGMENT_GRID[R][FM - 1]:
EXPECTED_RFM = {
    1: (5, 5, 5, "champions"),  # FM (5+5+1)//2 = 5; R5 FM5
    2: (4, 4, 4, "loyal"),  # FM 4; R4 FM4
    3: (4, 1, 1, "new"),  # FM 1; R4 FM1
    4: (4, 3, 3, "potential loyalists"),  # FM 3; R4 FM3
    5: (3, 3, 3, "potential loyalists"),  # FM 3; R3 FM3
    6: (3, 1, 2, "potential loyalists"),  # FM (1+2+1)//2 = 2; R3 FM2
    7: (2, 4, 4, "at risk"),  # FM 4; R2 FM4
    8: (1, 2, 2, "hibernating"),  # FM 2; R1 FM2
    9: (1, 1, 1, "lost"),  # FM 1; R1 FM1
    10: (1, 5, 5, "can't lose them"),  # FM 5; R1 FM5
}


def test_rfm_scores_and_segments_match_the_hand_computed_table():
    got = rfm_scores([customer(cid, *row) for cid, row in TABLE.items()], AS_OF)
    assert {cid: (x.r, x.f, x.m, x.segment) for cid, x in got.items()} == EXPECTED_RFM
    assert got[1].code == "555" and got[6].code == "312"
    assert (got[7].recency_days, got[7].frequency, got[7].monetary) == (200, 6, 70_000)
    # every named segment occurs in this table
    assert {x.segment for x in got.values()} == set(SEGMENTS)


@pytest.mark.parametrize(
    ("values", "higher", "expected"),
    [
        # five distinct values: one per quintile
        ({1: 10, 2: 20, 3: 30, 4: 40, 5: 50}, True, {1: 1, 2: 2, 3: 3, 4: 4, 5: 5}),
        ({1: 10, 2: 20, 3: 30, 4: 40, 5: 50}, False, {1: 5, 2: 4, 3: 3, 4: 2, 5: 1}),
        # all tied: nobody is strictly worse than anybody -> all 1
        ({1: 7, 2: 7, 3: 7}, True, {1: 1, 2: 1, 3: 1}),
        # one customer: below 0 -> 1
        ({9: 100}, True, {9: 1}),
        # n=4: below 0,1,2,3 -> 1+floor(0/4, 5/4, 10/4, 15/4) = 1, 2, 3, 4
        ({1: 1, 2: 2, 3: 3, 4: 4}, True, {1: 1, 2: 2, 3: 3, 4: 4}),
        # n=6 with a tie at the top: 1,2,3,4,9,9 -> below 0..3 then 4 for both 9s
        # scores 1+floor(0/6,5/6,10/6,15/6,20/6) = 1,1,2,3,4,4
        ({1: 1, 2: 2, 3: 3, 4: 4, 5: 9, 6: 9}, True, {1: 1, 2: 1, 3: 2, 4: 3, 5: 4, 6: 4}),
    ],
)
def test_quintile_scores_tie_rule(values, higher, expected):
    assert quintile_scores(values, higher_is_better=higher) == expected


def test_segment_grid_covers_every_score_triple_with_a_named_segment():
    seen = {rfm_segment(r, f, m) for r in range(1, 6) for f in range(1, 6) for m in range(1, 6)}
    assert seen == set(SEGMENTS)
    assert set(SEGMENT_GRID) == {1, 2, 3, 4, 5}
    # FM rounds half up: F=4, M=5 -> (4+5+1)//2 = 5; F=1, M=2 -> 2
    assert rfm_segment(5, 4, 5) == "champions" and rfm_segment(1, 1, 2) == "hibernating"
    with pytest.raises(ValueError, match="R score must be 1..5"):
        rfm_segment(0, 3, 3)


def test_abc_on_the_table_revenue():
    # total = 441,300. Ranked, with the share of everyone above:
    # #1 120000: 0 % -> A | #10 100000: 120000/441300 = 27.2 % -> A
    # #2 90000: 220000 -> 49.9 % -> A | #7 70000: 310000 -> 70.2 % -> A
    # #4 40000: 380000 -> 86.1 % -> B (< 95) | #5 15000: 420000 -> 95.17 % -> C
    # #8, #6, #9, #3: above 95 % -> C
    revenue = {cid: row[2] for cid, row in TABLE.items()}
    assert abc_classes(revenue) == {
        1: "A",
        10: "A",
        2: "A",
        7: "A",
        4: "B",
        5: "C",
        8: "C",
        6: "C",
        9: "C",
        3: "C",
    }
    # 50/30/20: #7 at 70.2 % is past 50 but under 80 -> B; #4 at 86.1 % -> C
    got = abc_classes(revenue, (50, 30, 20))
    assert [got[i] for i in (1, 10, 2, 7, 4)] == ["A", "A", "A", "B", "C"]


@pytest.mark.parametrize(
    ("revenue", "expected"),
    [
        # a dominant customer is an A even past 80 % on its own; the next starts at 95 % -> C
        ({1: 950, 2: 40, 3: 10}, {1: "A", 2: "C", 3: "C"}),
        # ties share the class of their first position: 70 | 10 10 10 -> the three 10s start
        # at 70 % -> all A (split by position they would be A, B (80 %), B (90 %))
        ({1: 70, 2: 10, 3: 10, 4: 10}, {1: "A", 2: "A", 3: "A", 4: "A"}),
        # 40 40 | 20: the tie starts at 0 % -> A; 20 starts at exactly 80 % -> not under 80 -> B
        ({1: 40, 2: 40, 3: 20}, {1: "A", 2: "A", 3: "B"}),
        # no revenue -> C; negative (returns exceed sales) -> C, left out of the total
        ({1: 100, 2: 0, 3: -5}, {1: "A", 2: "C", 3: "C"}),
        ({1: 0, 2: 0}, {1: "C", 2: "C"}),
        ({}, {}),
    ],
)
def test_abc_edge_cases(revenue, expected):
    assert abc_classes(revenue) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [("80/15/5", (80, 15, 5)), ("70,20,10", (70, 20, 10)), ("60% / 30% / 10%", (60, 30, 10))],
)
def test_parse_abc_split(text, expected):
    assert parse_abc_split(text) == expected


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("80/15", "three percentages"),
        ("80/15/10", "adds up to 105"),
        ("a/b/c", "three percentages"),
        ("0/50/50", "A must be above 0"),
    ],
)
def test_parse_abc_split_errors(text, message):
    with pytest.raises(ValueError, match=message):
        parse_abc_split(text)


def D(days: int) -> date:
    return AS_OF - timedelta(days=days)


COLOUR_CASES = [
    # (facts, colour, why)
    (AccountFacts(), "white", "nothing known"),
    (AccountFacts(contacts=True), "grey", "contacts, never bought"),
    (AccountFacts(orders=1, last_order=D(days=30)), "green", "one purchase"),
    (AccountFacts(orders=3, last_order=D(days=365)), "green", "3 orders, exactly a year: in"),
    (AccountFacts(orders=4, last_order=D(days=10)), "gold", "more than three orders"),
    (AccountFacts(orders=40, last_order=D(days=366)), "red", "gold customer silent a year+1"),
    (AccountFacts(orders=1, last_order=D(days=800), contacts=True), "red", "lost"),
    (AccountFacts(orders=9, last_order=D(days=5), opted_out=True), "orange", "opt-out wins"),
    (AccountFacts(opted_out=True), "orange", "opt-out of a prospect"),
    (AccountFacts(status="current"), "green", "marked customer, no history"),
    (AccountFacts(status="former", contacts=True), "red", "marked former, no history"),
    (AccountFacts(orders=2, last_order=D(days=3), status="former"), "green", "history wins"),
]


@pytest.mark.parametrize(("facts", "colour", "why"), COLOUR_CASES, ids=[c[2] for c in COLOUR_CASES])
def test_lifecycle_colour(facts, colour, why):
    assert lifecycle_colour(facts, AS_OF) == colour


def test_lifecycle_colour_window_and_gold_threshold_are_configurable():
    facts = AccountFacts(orders=4, last_order=D(days=200))
    assert lifecycle_colour(facts, AS_OF, window_days=180) == "red"
    assert lifecycle_colour(facts, AS_OF, gold_orders=5) == "green"
    assert customer_status(D(days=365), AS_OF) == "current"
    assert customer_status(D(days=366), AS_OF) == "former"
    assert customer_status(D(days=100), AS_OF, window_days=90) == "former"


def test_summarize_orders():
    # days: Jan 1, Mar 1 (two orders), May 1 -> gaps 59 (31 + 28), 61 (31 + 30): median 60
    got = summarize_orders(
        7,
        [
            (date(2026, 5, 1), 300.0),
            (date(2026, 1, 1), 100.0),
            (date(2026, 3, 1), 50.0),
            (date(2026, 3, 1), 25.5),
        ],
    )
    assert got == CustomerOrders(7, 4, 475.5, date(2026, 1, 1), date(2026, 5, 1), 300.0, 60.0)
    with pytest.raises(ValueError):
        summarize_orders(1, [])


# Reactivation, as of 2026-12-01, default interval 90 days:
HISTORIES = {
    # gaps Jan1->Mar1 59, Mar1->May1 61, May1->Jul1 61 -> median 61; Jul 1 -> Dec 1 = 31+31+30
    # +31+30 = 153 days > 61 -> silent, overdue 92
    1: [(date(2026, m, 1), 1000.0) for m in (1, 3, 5, 7)],
    # gaps 30, 31 -> median 30.5; Nov 1 -> Dec 1 = 30 <= 30.5 -> not silent
    2: [(date(2026, 9, 1), 800.0), (date(2026, 10, 1), 800.0), (date(2026, 11, 1), 800.0)],
    # one order: default 90; Aug 1 -> Dec 1 = 31+30+31+30 = 122 > 90 -> silent, overdue 32
    3: [(date(2026, 8, 1), 500.0)],
    # one order: Oct 15 -> Dec 1 = 47 <= 90 -> not silent
    4: [(date(2026, 10, 15), 9000.0)],
    # two orders on one day: one order day -> default 90; Jun 1 -> Dec 1 = 183 -> overdue 93
    5: [(date(2026, 6, 1), 100.0), (date(2026, 6, 1), 200.0)],
    # gaps 10, 334 -> median 172; 2025-12-20 -> 2026-12-01 = 365 - 19 = 346 -> overdue 174
    6: [(date(2025, 1, 10), 1e4), (date(2025, 1, 20), 1e4), (date(2025, 12, 20), 1e4)],
}


def _summaries():
    return [summarize_orders(cid, lines) for cid, lines in HISTORIES.items()]


def test_reactivation_list_matches_hand_computed_silences():
    got = reactivation_list(_summaries(), AS_OF)
    # revenue order: #6 30000, #1 4000, #3 500, #5 300
    assert [
        (c.id, s.days_silent, s.interval_days, s.interval_source, s.overdue_days) for c, s in got
    ] == [
        (6, 346, 172.0, "own", 174.0),
        (1, 153, 61.0, "own", 92.0),
        (3, 122, 90.0, "default", 32.0),
        (5, 183, 90.0, "default", 93.0),
    ]
    c5 = next(c for c, _ in got if c.id == 5)
    assert (c5.orders, c5.revenue, c5.last_amount, c5.last_order) == (
        2,
        300.0,
        300.0,
        date(2026, 6, 1),
    )


def test_reactivation_factor_and_default_interval():
    # factor 2: #6 limit 344 < 346 -> overdue 2; #1 limit 122 < 153 -> 31; #3 limit 180 > 122 ->
    # out; #5 limit 180 < 183 -> 3
    got = reactivation_list(_summaries(), AS_OF, factor=2)
    assert [(c.id, s.overdue_days) for c, s in got] == [(6, 2.0), (1, 31.0), (5, 3.0)]
    # default 30: #4 (47 days, revenue 9000) becomes silent, overdue 17; #3 overdue 92; #5 153
    got = reactivation_list(_summaries(), AS_OF, default_interval_days=30)
    assert [(c.id, s.overdue_days) for c, s in got] == [
        (6, 174.0),
        (4, 17.0),
        (1, 92.0),
        (3, 92.0),
        (5, 153.0),
    ]
    with pytest.raises(ValueError):
        reactivation_list(_summaries(), AS_OF, default_interval_days=0)
