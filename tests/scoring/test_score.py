"""Account scores: axes normalized to 0–100, cells at the edges, tiers, overrides, explanations,
reproducibility."""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest

from scoring import level, load_segment, parse_segment, score_account, score_accounts

from .helpers import account, person, segment_data

ROOT = Path(__file__).resolve().parents[2]
CRM = ROOT / "examples" / "segments" / "construction-ru-crm.toml"


def _segment(att, pos, matrix=None, tiers=None, **extra):
    data = segment_data(**extra)
    data["scoring"]["attractiveness"]["criteria"] = att
    data["scoring"]["position"]["criteria"] = pos
    if matrix is not None:
        data["scoring"]["matrix"] = matrix
    if tiers is not None:
        data["scoring"]["tiers"] = tiers
    return parse_segment(data)


SIZE = {
    "name": "size",
    "field": "employees",
    "kind": "bands",
    "weight": 3,
    "bands": [{"min": 0, "points": 0}, {"min": 50, "points": 5}, {"min": 250, "points": 10}],
}
GROWTH = {
    "name": "growth",
    "field": "revenue_growth",
    "kind": "bands",
    "weight": 1,
    "missing": 4,
    "bands": [{"min": -1, "points": 0}, {"min": 0.1, "points": 10}],
}
STATUS = {
    "name": "rel",
    "field": "status",
    "kind": "categories",
    "points": {"former": 10, "new": 5},
}
IT = {"name": "it", "field": "facts.inhouse_it", "kind": "boolean", "yes": 0, "no": 10}


def test_axis_is_points_over_max_points():
    seg = _segment([SIZE, GROWTH], [STATUS, IT])
    s = score_account(account(employees=60, status="former", facts={"inhouse_it": "no"}), seg)
    # size 3 × 5 = 15 of 30, growth missing 4 of 10: 19 / 40
    assert s.attractiveness == pytest.approx(100 * 19 / 40)
    assert s.position == pytest.approx(100.0)
    assert s.total == pytest.approx((s.attractiveness + s.position) / 2)
    top = score_account(account(employees=5000, revenue_growth=0.3, status="former"), seg)
    assert top.attractiveness == pytest.approx(100.0)
    low = score_account(account(employees=3, revenue_growth=-0.2, status="current"), seg)
    assert low.attractiveness == 0.0 and low.position == 0.0


@pytest.mark.parametrize(
    ("score", "expected"),
    [
        (0.0, "low"),
        (39.999, "low"),
        (40.0, "medium"),
        (40.0 - 1e-12, "medium"),  # float noise at a cut point does not drop a level
        (69.99, "medium"),
        (70.0, "high"),
        (100.0, "high"),
    ],
)
def test_levels_at_the_edges(score, expected):
    assert level(score, 40.0, 70.0) == expected


# Scores that land exactly on the cut points through the whole pipeline: one criterion per
# axis, points 0..10 of 10, with medium = 40 and high = 70.
def _edge_segment(**extra):
    att = {
        "name": "a",
        "field": "facts.a",
        "kind": "bands",
        "bands": [{"min": p, "points": p} for p in range(0, 11)],
    }
    pos = dict(att, name="p", field="facts.p")
    return _segment([att], [pos], **extra)


@pytest.mark.parametrize(
    ("a", "p", "cell", "tier"),
    [
        (10, 10, "high/high", "strategic"),
        (7, 7, "high/high", "strategic"),
        (7, 4, "high/medium", "strategic"),
        (4, 7, "medium/high", "strategic"),
        (6, 6, "medium/medium", "scale"),
        (4, 4, "medium/medium", "scale"),
        (7, 3, "high/low", "scale"),
        (3, 7, "low/high", "scale"),
        (4, 3, "medium/low", "programmatic"),
        (3, 4, "low/medium", "programmatic"),
        (0, 0, "low/low", "programmatic"),
    ],
)
def test_cells_and_default_tiers(a, p, cell, tier):
    seg = _edge_segment()
    s = score_account(account(facts={"a": str(a), "p": str(p)}), seg)
    assert (s.cell, s.computed_tier, s.tier) == (cell, tier, tier)


def test_tier_mapping_and_thresholds_from_the_file():
    seg = _edge_segment(matrix={"medium": 50, "high": 80}, tiers={"low/high": "strategic"})
    s = score_account(account(facts={"a": "4", "p": "8"}), seg)
    assert (s.cell, s.tier) == ("low/high", "strategic")
    s = score_account(account(facts={"a": "7", "p": "5"}), seg)
    assert (s.cell, s.tier) == ("medium/medium", "scale")


def test_overrides_replace_the_tier_and_keep_the_computed_one():
    seg = _edge_segment(
        overrides=[
            {"domain": "www.Acme.example", "tier": "strategic", "reason": "CEO intro at expo"},
            {"inn": "7707083893", "tier": "programmatic", "reason": "locked in until 2028"},
        ]
    )
    s = score_account(account(facts={"a": "0", "p": "0"}), seg)
    assert (s.computed_tier, s.tier, s.overridden) == ("programmatic", "strategic", True)
    assert s.override_reason == "CEO intro at expo"
    s = score_account(
        account(domain="other.example", inn="7707083893", facts={"a": "10", "p": "10"}), seg
    )
    assert (s.computed_tier, s.tier, s.override_reason) == (
        "strategic",
        "programmatic",
        "locked in until 2028",
    )
    s = score_account(account(domain="third.example", facts={"a": "10", "p": "10"}), seg)
    assert (s.tier, s.overridden, s.override_reason) == ("strategic", False, None)


def test_outside_the_icp_no_tier_unless_overridden():
    seg = _edge_segment(
        icp={"countries": ["DE"]},
        overrides=[{"domain": "vip.example", "tier": "scale", "reason": "partner"}],
    )
    s = score_account(account(country="RU", facts={"a": "10", "p": "10"}), seg)
    assert (s.passes_icp, s.computed_tier, s.tier) == (False, "strategic", None)
    assert s.icp_reasons and "country" in s.icp_reasons[0]
    s = score_account(account(domain="vip.example", country="RU"), seg)
    assert (s.passes_icp, s.tier, s.overridden) == (False, "scale", True)


def test_explanation_adds_up_and_says_what_it_saw():
    seg = load_segment(CRM)
    acc = account(
        employees=320,
        revenue=4.5e8,
        revenue_growth=0.15,
        technologies=["amoCRM", "1C", "Telegram"],
        status="former",
        facts={"solution_age_years": "six", "inhouse_it": "no"},
    )
    s = score_account(acc, seg)
    att = [c for c in s.explanation if c.axis == "attractiveness"]
    pos = [c for c in s.explanation if c.axis == "position"]
    assert [c.name for c in att] == [c.name for c in seg.scoring.attractiveness.criteria]
    assert [c.name for c in pos] == [c.name for c in seg.scoring.position.criteria]
    assert sum(c.points for c in att) == s.attractiveness
    assert sum(c.points for c in pos) == s.position
    assert math.fsum(c.max_points for c in att) == pytest.approx(100.0)
    assert math.fsum(c.max_points for c in pos) == pytest.approx(100.0)
    by_name = {c.name: c for c in s.explanation}
    assert by_name["size"].value == 320 and by_name["size"].sentence == (
        "size: employees = 320, in the band from 250: 26.2 of 37.5 points."
    )
    assert by_name["integrations"].value == ["1C", "Telegram"]
    assert by_name["competitor"].sentence == (
        "competitor: technologies mentions amoCRM: 37.5 of 37.5 points."
    )
    age = by_name["solution age"]
    assert age.note.startswith("unreadable") and "not a number: 'six'" in age.sentence
    assert by_name["relationship"].value == "former"
    for c in s.explanation:
        assert 0 <= c.points <= c.max_points + 1e-9
        assert c.sentence.startswith(f"{c.name}: ")
    d = s.to_dict()
    json.dumps(d, ensure_ascii=False)
    assert [e["criterion"] for e in d["explanation"]] == [c.name for c in s.explanation]


def test_explanation_sentences_for_every_note():
    seg = _segment(
        [SIZE, dict(STATUS, name="s2", other=1)],
        [
            {
                "name": "kw",
                "field": "technologies",
                "kind": "keywords",
                "keywords": ["SAP"],
                "points": 5,
                "none": 1,
            },
            IT,
        ],
    )
    s = score_account(account(employees=None, status="current", facts={"inhouse_it": "yes"}), seg)
    sentences = [c.sentence for c in s.explanation]
    assert "employees is not known" in sentences[0]
    assert "not a listed value" in sentences[1]
    assert "technologies is not known" in sentences[2]  # empty list = missing
    assert "is yes" in sentences[3]
    s = score_account(account(technologies=["Oracle"], employees=10), seg)
    assert "mentions none of SAP" in s.explanation[2].sentence
    assert "in the band from 0" in s.explanation[0].sentence


def test_contacts_are_ranked_inside_the_account():
    seg = _edge_segment()
    people = [
        person(1, False, "owner", "valid"),
        person(2, True, "manager", "invalid"),
        person(3, True, "director", "valid"),
        person(4, True, "c_suite", "risky"),
        person(5, True, "vp", "valid"),
    ]
    s = score_account(account(people=people), seg)
    assert s.contacts == (5, 3, 4, 2, 1)


def test_same_data_same_file_same_scores(tmp_path):
    accounts = [
        account(
            id=i,
            domain=f"c{i}.example",
            employees=i * 37 % 3000,
            revenue_growth=(i % 7 - 3) / 10,
            status=("new", "former", "current")[i % 3],
            technologies=[["amoCRM"], ["1C", "Bitrix24"], []][i % 3],
            facts={"solution_age_years": str(i % 9), "inhouse_it": ("yes", "no", "")[i % 3]},
            people=[person(i * 10 + k, k == i % 3, "manager", "valid") for k in range(i % 4)],
        )
        for i in range(200)
    ]
    copy = tmp_path / "copy.toml"
    copy.write_text(CRM.read_text(encoding="utf-8"), encoding="utf-8")
    first = score_accounts(accounts, load_segment(CRM))
    second = score_accounts(accounts, load_segment(copy))
    a = json.dumps([s.to_dict() for s in first], ensure_ascii=False, sort_keys=True)
    b = json.dumps([s.to_dict() for s in second], ensure_ascii=False, sort_keys=True)
    assert a == b
    assert first == second
    assert {s.config_hash for s in first} == {load_segment(CRM).hash}
    assert [s.account_id for s in first] == list(range(200))


def test_gc_is_restored_even_on_error():
    import gc

    seg = _edge_segment()
    assert gc.isenabled()
    with pytest.raises(AttributeError):
        score_accounts([account(), "not an account"], seg)  # type: ignore[list-item]
    assert gc.isenabled()


@pytest.mark.parametrize(
    "odd",
    [
        {},
        {"id": 1},
        {"people": "nobody", "facts": "none", "technologies": "amoCRM", "employees": "many"},
        {"people": [None, 5, {"id": "x"}], "social": None, "phones": None},
        {"revenue_growth": "n/a", "status": 3, "country": 7, "domain": 5, "inn": 7707083893},
    ],
)
def test_odd_accounts_never_crash(odd):
    seg = load_segment(CRM)
    s = score_account(odd, seg)
    assert 0 <= s.attractiveness <= 100 and 0 <= s.position <= 100
    json.dumps(s.to_dict(), ensure_ascii=False)


def test_stored_explanation_expands_back_to_the_same_sentences():
    """What a scores row keeps ([value, points, note] per criterion) plus the segment gives
    back every criterion's axis, name, kind, field, maximum and sentence."""
    for name in ("construction-ru-crm", "sample-sites"):  # sample-sites: a test on people
        _round_trip(load_segment(ROOT / "examples" / "segments" / f"{name}.toml"))


def _round_trip(seg):
    import json

    from scoring import expand_criteria, stored_criteria

    accounts = [
        account(employees=120, technologies=["amoCRM", "1C-Bitrix"], facts={"inhouse_it": "no"}),
        account(employees=None, status="current", revenue=2.5e9, revenue_growth=0.14),
        account(people=[person(1, True), person(2)], phones=["+74951234567"]),
        account(employees="около 300", facts={"solution_age_years": "давно"}),
    ]
    for a in accounts:
        s = score_account(a, seg)
        stored = json.loads(json.dumps(stored_criteria(s.explanation)))  # as the row keeps it
        back = expand_criteria(seg, stored)
        want = [c.to_dict() for c in s.explanation]
        assert [{k: v for k, v in b.items() if k != "note"} for b in back] == want
        assert [b["note"] for b in back] == [c.note for c in s.explanation]
    # a row the segment cannot explain (criteria removed from the file) keeps what it has
    extra = expand_criteria(seg, [*stored, ["x", 1.5, "yes"]])
    assert extra[-1] == {"value": "x", "points": 1.5, "note": "yes"}
