"""Verification as a job: retry back-off, re-check age, choice by evidence on catch-all."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from enrichment.email_job import RetryPolicy, choose_by_evidence, is_due, schedule_after

NOW = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)
P = RetryPolicy()


@pytest.mark.parametrize(
    ("status", "checked_ago", "attempts", "next_in", "due"),
    [
        ("unverified", None, 0, None, True),  # never checked
        (None, None, 0, None, True),
        ("valid", timedelta(days=10), 0, None, False),
        ("valid", timedelta(days=89), 0, None, False),
        ("valid", timedelta(days=90), 0, None, True),  # re-check age reached
        ("invalid", timedelta(days=200), 0, None, True),
        ("risky", timedelta(days=1), 0, None, False),
        ("unknown", timedelta(minutes=10), 1, timedelta(minutes=20), False),  # retry not yet
        ("unknown", timedelta(minutes=40), 1, timedelta(minutes=-10), True),  # retry time passed
        ("unknown", timedelta(days=3), 5, None, False),  # attempts spent: wait for the age
        ("unknown", timedelta(days=91), 5, None, True),
    ],
)
def test_is_due(status, checked_ago, attempts, next_in, due):
    checked = None if checked_ago is None else NOW - checked_ago
    nxt = None if next_in is None else NOW + next_in
    assert is_due(status, checked, attempts, nxt, NOW, P) is due


def test_temporary_results_back_off_at_least_30_minutes_and_stop():
    attempts, waits = 0, []
    while True:
        attempts, at = schedule_after("unknown", attempts, NOW, P)
        if at is None:
            break
        waits.append(at - NOW)
    assert waits == [timedelta(minutes=30 * 2**k) for k in range(4)]
    assert attempts == P.max_attempts == 5


@pytest.mark.parametrize("status", ["valid", "invalid", "risky"])
def test_a_settled_result_ends_the_streak(status):
    assert schedule_after(status, 3, NOW, P) == (0, None)


def test_policy_rejects_retries_closer_than_greylisting_allows():
    with pytest.raises(ValueError, match="30 minutes"):
        RetryPolicy(retry_after=timedelta(minutes=5))
    with pytest.raises(ValueError):
        RetryPolicy(max_attempts=0)


def test_custom_policy():
    p = RetryPolicy(retry_after=timedelta(hours=1), max_attempts=2, recheck_after=timedelta(7))
    assert schedule_after("unknown", 0, NOW, p) == (1, NOW + timedelta(hours=1))
    assert schedule_after("unknown", 1, NOW, p) == (2, None)
    assert is_due("valid", NOW - timedelta(days=7), 0, None, NOW, p)


def test_web_beats_learned_beats_prior_whatever_the_confidence():
    options = [
        ("p.ivanov@x.ru", "prior", 0.6, "flast"),
        ("pavel.ivanov@x.ru", "learned", 0.4, "first.last, 3 of 3 known"),
        ("ivanov@x.ru", "web", 0.3, "https://x.ru/contacts"),
    ]
    c = choose_by_evidence(options, catch_all=True)
    assert c.address == "ivanov@x.ru" and c.evidence == "web"
    assert c.reason.startswith("catch-all domain")
    assert "seen on the web" in c.reason and "https://x.ru/contacts" in c.reason
    c = choose_by_evidence(options[:2], catch_all=True)
    assert c.address == "pavel.ivanov@x.ru" and c.evidence == "learned"
    assert "learned" in c.reason and "3 of 3 known" in c.reason


def test_within_one_evidence_confidence_then_order_decides():
    c = choose_by_evidence(
        [("a@x.de", "prior", 0.3, ""), ("b@x.de", "prior", 0.5, ""), ("c@x.de", "prior", 0.5, "")],
        catch_all=False,
    )
    assert c.address == "b@x.de"
    assert not c.reason.startswith("catch-all")
    assert choose_by_evidence([], catch_all=True) is None
