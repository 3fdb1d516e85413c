"""ICP hard filters, revenue growth against inflation included."""

from __future__ import annotations

import pytest

from scoring import growth_class, icp_check, parse_segment

from .helpers import account, segment_data


def _icp(**icp):
    return parse_segment(segment_data(icp=icp)).icp


GROWTH = _icp(growth={"inflation": 0.08, "tolerance": 0.02, "allow": ["growing", "flat"]})


@pytest.mark.parametrize(
    ("growth", "expected"),
    [
        (0.12, "growing"),
        (0.1001, "growing"),
        (0.10, "flat"),  # exactly inflation + tolerance: still flat
        (0.08, "flat"),
        (0.06, "flat"),
        (0.0599, "shrinking"),
        (0.0, "shrinking"),
        (-0.2, "shrinking"),
        ("12%", "growing"),
        ("0,09", "flat"),
        (None, None),
        ("n/a", None),
    ],
)
def test_growth_against_inflation(growth, expected):
    assert growth_class(growth, GROWTH.growth) == expected


@pytest.mark.parametrize(
    ("icp", "fields", "passes", "reason"),
    [
        ({"countries": ["ru", "BY"]}, {"country": "RU"}, True, None),
        ({"countries": ["RU"]}, {"country": "de"}, False, "country 'de' not in the segment"),
        ({"countries": ["RU"]}, {"country": None}, True, None),
        ({"countries": ["RU"], "missing": "fail"}, {"country": None}, False, "country unknown"),
        ({"regions": ["Москва"]}, {"region": "москва"}, True, None),
        ({"regions": ["Москва"]}, {"region": "Тверь"}, False, "region 'Тверь'"),
        ({"industries": ["Construction"]}, {"industry": "construction"}, True, None),
        ({"industries": ["construction"]}, {"industry": "retail"}, False, "industry 'retail'"),
        ({"employees": {"min": 50, "max": 500}}, {"employees": 50}, True, None),
        ({"employees": {"min": 50, "max": 500}}, {"employees": 500}, True, None),
        ({"employees": {"min": 50}}, {"employees": 49}, False, "employees 49 below the minimum 50"),
        ({"employees": {"max": 500}}, {"employees": 501}, False, "above the maximum 500"),
        ({"employees": {"min": 50}}, {"employees": None}, True, None),
        ({"employees": {"min": 50}, "missing": "fail"}, {"employees": None}, False, "unknown"),
        ({"revenue": {"min": 1e6}}, {"revenue": 5e5}, False, "revenue 500000 below"),
        (
            {"exclude_domains": ["https://www.Rival.example/"]},
            {"domain": "rival.example"},
            False,
            "domain rival.example is excluded",
        ),
        (
            {"exclude_domains": ["rival.example"]},
            {"domain": "WWW.RIVAL.EXAMPLE"},
            False,
            "excluded",
        ),
        ({"exclude_domains": ["rival.example"]}, {"domain": "sub.rival.example"}, True, None),
        ({"exclude_companies": ["ООО «Ромашка»"]}, {"name": "ооо ромашка"}, False, "company"),
        ({"exclude_companies": ["Siemens AG"]}, {"name": "Siemens  AG"}, False, "excluded"),
        ({"exclude_companies": ["Siemens AG"]}, {"name": "Siemens Energy AG"}, True, None),
        (
            {"exclude_statuses": ["current"]},
            {"status": "current"},
            False,
            "status 'current' is excluded",
        ),
        ({"exclude_statuses": ["current"]}, {"status": "former"}, True, None),
        ({"growth": {"inflation": 0.08}}, {"revenue_growth": -0.5}, True, None),  # allow: all
        (
            {"growth": {"inflation": 0.08, "allow": ["growing"]}},
            {"revenue_growth": 0.09},
            False,
            "revenue flat (+9.0% against inflation 8.0%)",
        ),
        (
            {"growth": {"inflation": 0.08, "allow": ["growing"]}},
            {"revenue_growth": 0.2},
            True,
            None,
        ),
        (
            {"growth": {"inflation": 0.08, "allow": ["growing", "flat"]}},
            {"revenue_growth": 0.01},
            False,
            "revenue shrinking",
        ),
        (
            {"growth": {"inflation": 0.08, "allow": ["growing"]}},
            {"revenue_growth": None},
            True,
            None,
        ),
        (
            {"growth": {"inflation": 0.08, "allow": ["growing"]}, "missing": "fail"},
            {"revenue_growth": None},
            False,
            "revenue growth unknown",
        ),
    ],
)
def test_filters(icp, fields, passes, reason):
    ok, reasons = icp_check(account(**fields), _icp(**icp))
    assert ok is passes, reasons
    if reason is None:
        assert reasons == []
    else:
        assert any(reason in r for r in reasons), reasons


def test_every_failing_filter_is_named():
    icp = _icp(countries=["DE"], employees={"min": 100}, exclude_statuses=["current"])
    ok, reasons = icp_check(account(country="RU", employees=10, status="current"), icp)
    assert not ok and len(reasons) == 3
