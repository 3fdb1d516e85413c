"""docs/segments.md documents every key a segment file may hold, and scoring stays pure."""

from __future__ import annotations

import json
import pkgutil
import subprocess
import sys
from pathlib import Path

import scoring
from scoring.segment import QUALITY_FIELDS, SCHEMA_KEYS, parse_segment

ROOT = Path(__file__).resolve().parents[2]
DOC = (ROOT / "docs" / "segments.md").read_text(encoding="utf-8")


def test_every_schema_key_is_documented():
    assert [k for k in SCHEMA_KEYS if f"`{k}`" not in DOC] == []


def test_schema_keys_are_the_keys_the_validator_knows():
    # every documented key is accepted in a file that uses them all
    data = {
        "name": "all",
        "description": "d",
        "sources": [{"spider": "company", "start_urls": ["https://a.example/"]}],
        "icp": {
            "countries": ["RU"],
            "regions": ["Москва"],
            "industries": ["construction"],
            "employees": {"min": 1},
            "revenue": {"max": 1e9},
            "exclude_domains": ["a.example"],
            "exclude_companies": ["A"],
            "exclude_statuses": ["current"],
            "missing": "fail",
            "growth": {"inflation": 0.08, "tolerance": 0.01, "allow": ["growing"]},
        },
        "scoring": {
            "matrix": {"medium": 30, "high": 60},
            "tiers": {"low/low": "programmatic"},
            "attractiveness": {
                "criteria": [
                    {
                        "name": "a",
                        "field": "employees",
                        "kind": "bands",
                        "weight": 2,
                        "missing": 1,
                        "bands": [{"min": 0, "points": 1}],
                    },
                    {
                        "name": "b",
                        "field": "status",
                        "kind": "categories",
                        "points": {"new": 1},
                        "other": 0,
                    },
                ]
            },
            "position": {
                "criteria": [
                    {
                        "name": "c",
                        "field": "technologies",
                        "kind": "keywords",
                        "keywords": ["x"],
                        "points": 1,
                        "none": 0,
                        "mode": "each",
                    },
                    {"name": "d", "field": "facts.careers", "kind": "boolean", "yes": 1, "no": 0},
                ]
            },
        },
        "quality": {
            "required": ["name"],
            "min_contacts": 1,
            "min_decision_makers": 0,
            "target": 0.5,
        },
        "decision_makers": {"titles": ["прораб"], "departments": ["procurement"]},
        "refresh": {"strategic": 7, "scale": "monthly", "programmatic": "yearly"},
        "overrides": [{"domain": "b.example", "inn": "7707083893", "tier": "scale", "reason": "r"}],
        "customers": {
            "current_days": 180,
            "reactivation_interval_days": 30,
            "reactivation_factor": 1.5,
        },
    }
    parse_segment(data)
    flat = set()

    def walk(node, prefix):
        if isinstance(node, dict):
            for k, v in node.items():
                path = f"{prefix}.{k}" if prefix else k
                flat.add(path)
                if k not in ("points", "tiers", "employees", "revenue") and path != "sources":
                    walk(v, path)
        elif isinstance(node, list) and node and isinstance(node[0], dict) and prefix != "sources":
            for item in node:
                walk(item, prefix + "[]")

    walk(data, "")
    normalized = {"criteria" + p.split("criteria", 1)[1] if "criteria" in p else p for p in flat}
    normalized = {p for p in normalized if not p.startswith("criteria[].bands[]")}
    assert normalized - set(SCHEMA_KEYS) == set()
    assert "sources[].spider" in SCHEMA_KEYS


def test_quality_fields_are_documented():
    assert [f for f in QUALITY_FIELDS if f"`{f}`" not in DOC] == []


def test_importing_scoring_pulls_in_nothing_forbidden():
    names = ["scoring"] + [
        i.name for i in pkgutil.walk_packages(scoring.__path__, prefix="scoring.")
    ]
    forbidden = ("scrapy", "sqlalchemy", "sqlmodel", "storage", "enrichment", "leadgen", "spiders")
    script = (
        "import importlib, json, sys\n"
        f"for name in {names!r}:\n"
        "    importlib.import_module(name)\n"
        f"print(json.dumps(sorted(m for m in sys.modules if m.split('.')[0] in {forbidden!r})))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert json.loads(out.stdout.strip().splitlines()[-1]) == []


def test_facade():
    assert sorted(scoring.__all__) == sorted(
        [
            "DQI",
            "AccountScore",
            "Contribution",
            "SegmentConfig",
            "SegmentError",
            "SegmentQuality",
            "config_hash",
            "data_quality",
            "growth_class",
            "icp_check",
            "level",
            "load_segment",
            "parse_segment",
            "rank_contacts",
            "score_account",
            "score_accounts",
            "score_bands",
            "score_boolean",
            "score_categories",
            "score_keywords",
            "segment_quality",
            # the explanation as stored, and back
            "expand_criteria",
            "stored_criteria",
            # customer history (scoring.customers)
            "abc_classes",
            "lifecycle_colour",
            "reactivation_list",
            "rfm_scores",
            "summarize_orders",
        ]
    )
    for name in scoring.__all__:
        assert getattr(scoring, name) is not None


def test_departments_match_enrichment():
    from enrichment.normalize.titles import DEPARTMENTS as ENRICHMENT_DEPARTMENTS
    from scoring.config import DEPARTMENTS

    assert DEPARTMENTS == ENRICHMENT_DEPARTMENTS
