"""`leadgen score SEGMENT.toml`: the segment file drives the scorer, scores land in the database,
the same data and file give the same scores, and a bad file names its key."""

from __future__ import annotations

import json
from pathlib import Path

from sqlalchemy import create_engine, select
from typer.testing import CliRunner

from leadgen.cli import app
from storage.models import Score

ROOT = Path(__file__).resolve().parents[2]
SEGMENT = ROOT / "examples" / "segments" / "construction-ru-crm.toml"


def run(db_url, *args):
    return CliRunner().invoke(app, ["--database-url", db_url, *args], catch_exceptions=False)


def import_sample(db_url, tmp_path) -> None:
    r = run(
        db_url,
        "import",
        str(ROOT / "examples" / "prospects.csv"),
        "--source",
        "sample",
        "--rejects",
        str(tmp_path / "rejects.csv"),
    )
    assert r.exit_code == 0, r.output


def scores(db_url) -> list[dict]:
    with create_engine(db_url).connect() as conn:
        rows = conn.execute(select(Score.__table__).order_by(Score.__table__.c.company_id))
        return [dict(r._mapping) for r in rows]


def test_score_a_segment_twice_gives_the_same_scores(db_url, tmp_path):
    import_sample(db_url, tmp_path)
    r = run(db_url, "score", str(SEGMENT), "--json")
    assert r.exit_code == 0, r.output
    summary = json.loads(r.stdout)
    assert summary["segment"] == "construction-ru-crm"
    assert summary["accounts"] == 8
    assert summary["scored"] + summary["failed_icp"] == 8
    assert sum(summary["tiers"].values()) == summary["scored"] > 0
    first = scores(db_url)
    assert len(first) == summary["scored"]
    for row in first:
        assert row["tier"] in ("strategic", "scale", "programmatic")
        assert 0 <= row["attractiveness"] <= 100 and 0 <= row["position"] <= 100
        criteria = row["explanation"]["criteria"]
        assert criteria, "every score carries its explanation"
        assert row["config_hash"] == summary["config_hash"]
        assert "missing" in row["explanation"]["dqi"]

    r = run(db_url, "score", str(SEGMENT), "--json")
    assert r.exit_code == 0, r.output
    again = scores(db_url)
    moving = {"scored_at", "run_id"}
    assert [{k: v for k, v in row.items() if k not in moving} for row in again] == [
        {k: v for k, v in row.items() if k not in moving} for row in first
    ]


def test_a_bad_segment_file_names_the_key(sqlite_url, tmp_path):
    bad = tmp_path / "bad.toml"
    bad.write_text(
        SEGMENT.read_text(encoding="utf-8").replace('name = "construction-ru-crm"', "name = 5", 1),
        encoding="utf-8",
    )
    r = run(sqlite_url, "score", str(bad))
    assert r.exit_code == 2
    assert "name" in r.output and "problem" in r.output
    r = run(sqlite_url, "score", str(tmp_path / "missing.toml"))
    assert r.exit_code == 2 and "no such file" in r.output


def test_explain_and_a_manual_override_that_survives_rescoring(sqlite_url, tmp_path):
    import_sample(sqlite_url, tmp_path)
    assert run(sqlite_url, "score", str(SEGMENT)).exit_code == 0
    scored = scores(sqlite_url)[0]
    cid = str(scored["company_id"])

    r = run(sqlite_url, "explain", cid, "--json")
    assert r.exit_code == 0, r.output
    (e,) = json.loads(r.stdout)
    criteria = e["explanation"]["criteria"]
    by_axis = {}
    for c in criteria:
        by_axis[c["axis"]] = by_axis.get(c["axis"], 0) + c["points"]
        assert c["sentence"] and c["max_points"] >= c["points"] >= 0
    # the contributions add up to the axis scores
    assert abs(by_axis["attractiveness"] - e["attractiveness"]) < 0.01
    assert abs(by_axis["position"] - e["position"]) < 0.01
    assert e["overridden"] is False

    other = next(t for t in ("strategic", "scale", "programmatic") if t != e["tier"])
    r = run(
        sqlite_url,
        "override",
        cid,
        "--segment",
        "construction-ru-crm",
        "--tier",
        other,
        "--reason",
        "met the CEO at the fair",
    )
    assert r.exit_code == 0, r.output
    assert run(sqlite_url, "score", str(SEGMENT)).exit_code == 0  # re-scoring keeps it
    (e2,) = json.loads(run(sqlite_url, "explain", cid, "--json").stdout)
    assert e2["tier"] == other and e2["overridden"] is True
    assert e2["formula_tier"] == e["tier"] and e2["override_reason"] == "met the CEO at the fair"
    text = run(sqlite_url, "explain", cid).stdout
    assert "set by hand: met the CEO at the fair" in text

    assert (
        run(sqlite_url, "override", cid, "--segment", "construction-ru-crm", "--clear").exit_code
        == 0
    )
    (e3,) = json.loads(run(sqlite_url, "explain", cid, "--json").stdout)
    assert e3["tier"] == e["tier"] and e3["overridden"] is False

    # usage errors
    r = run(
        sqlite_url,
        "override",
        cid,
        "--segment",
        "construction-ru-crm",
        "--tier",
        "gold",
        "--reason",
        "x",
    )
    assert r.exit_code == 2
    r = run(sqlite_url, "override", cid, "--segment", "construction-ru-crm", "--tier", "scale")
    assert r.exit_code == 2 and "reason" in r.output
    assert run(sqlite_url, "explain", "no-such-company.example").exit_code == 2


def test_list_a_segment_by_tier(sqlite_url, tmp_path):
    import_sample(sqlite_url, tmp_path)
    assert run(sqlite_url, "score", str(SEGMENT)).exit_code == 0
    everything = json.loads(run(sqlite_url, "list", "construction-ru-crm", "--json").stdout)
    stored = scores(sqlite_url)
    assert len(everything) == len(stored) > 0
    totals = [r["total"] for r in everything]
    assert totals == sorted(totals, reverse=True)
    for tier in ("strategic", "scale", "programmatic"):
        rows = json.loads(
            run(sqlite_url, "list", "construction-ru-crm", "--tier", tier, "--json").stdout
        )
        assert [r["id"] for r in rows] == [r["id"] for r in everything if r["tier"] == tier]
    high = json.loads(
        run(sqlite_url, "list", "construction-ru-crm", "--min-score", "101", "--json").stdout
    )
    assert high == []
    assert run(sqlite_url, "list", "no-such-segment").exit_code == 2
    assert run(sqlite_url, "list", "construction-ru-crm", "--tier", "gold").exit_code == 2
    assert run(sqlite_url, "list", "--tier", "scale").exit_code == 2


def test_report_counts_and_a_self_contained_html_page(sqlite_url, tmp_path):
    import_sample(sqlite_url, tmp_path)
    summary = json.loads(run(sqlite_url, "score", str(SEGMENT), "--json").stdout)
    page = tmp_path / "report.html"
    r = run(sqlite_url, "report", "construction-ru-crm", "--json", "--html", str(page))
    assert r.exit_code == 0, r.output
    report = json.loads(r.stdout)
    assert report["accounts"] == summary["scored"]
    assert report["tiers"] == {t: summary["tiers"].get(t, 0) for t in report["tiers"]}
    assert report["cells"] == summary["cells"]
    assert report["sources"] == [{"source": "import:sample", "companies": summary["scored"]}]
    html = page.read_text(encoding="utf-8")
    assert html.count('<tr><th scope="row">') == 3  # the 9-box: three rows of three cells
    for cell, n in summary["cells"].items():
        assert f"<b>{n}</b><br><small>{cell}<br>" in html
    assert "<script" not in html and "http://" not in html and "https://" not in html
    text = run(sqlite_url, "report", "construction-ru-crm").stdout
    assert "attractiveness" in text and "DQI" in text
    assert run(sqlite_url, "report", "nope").exit_code == 2


def test_export_a_segment_tier_with_its_score_columns(sqlite_url, tmp_path):
    import csv

    import_sample(sqlite_url, tmp_path)
    assert run(sqlite_url, "score", str(SEGMENT)).exit_code == 0
    listed = json.loads(run(sqlite_url, "list", "construction-ru-crm", "--json").stdout)
    tier = listed[0]["tier"]
    out = tmp_path / "tier.csv"
    r = run(
        sqlite_url, "export", "-o", str(out), "--segment", "construction-ru-crm", "--tier", tier
    )
    assert r.exit_code == 0, r.output
    with out.open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    assert [int(r["company_id"]) for r in rows] == sorted(
        r["id"] for r in listed if r["tier"] == tier
    )
    for row in rows:
        assert row["segment"] == "construction-ru-crm" and row["tier"] == tier
        assert row["cell"] and row["total"] and row["dqi"]
    assert run(sqlite_url, "export", "-o", str(out), "--tier", "scale").exit_code == 2
    r = run(sqlite_url, "export", "-o", str(out), "--segment", "nope")
    assert r.exit_code == 2


def test_a_segments_decision_maker_titles_count_in_its_scores():
    import tomllib

    from leadgen.score_stage import segment_decision_makers
    from scoring import data_quality, parse_segment

    data = tomllib.loads(SEGMENT.read_text(encoding="utf-8"))
    data["decision_makers"] = {"titles": ["прораб"], "departments": ["procurement"]}
    segment = parse_segment(data)
    people = [
        {"id": 1, "title": "Старший прораб", "is_decision_maker": False},
        {"id": 2, "title": "Менеджер по закупкам", "is_decision_maker": False},
        {"id": 3, "title": "Специалист по закупкам", "is_decision_maker": False},
        {"id": 4, "title": "Бухгалтер", "is_decision_maker": False},
        {"id": 5, "title": None, "is_decision_maker": False},
    ]
    account = {"id": 1, "name": "ООО Тест", "people": people}
    segment_decision_makers(segment)(account)
    assert [p["is_decision_maker"] for p in people] == [True, True, False, False, False]
    assert data_quality(account, segment.quality).decision_makers == 2

    data["decision_makers"] = {}
    assert segment_decision_makers(parse_segment(data)) is None


def test_scoring_in_worker_processes_gives_the_same_rows(db_url, tmp_path, monkeypatch):
    """Many accounts are scored by worker processes, one id range each: the stored rows are
    exactly those scoring in this process writes (same order, same explanations)."""
    from contextlib import contextmanager

    import leadgen.score_stage as stage

    import_sample(db_url, tmp_path)
    assert run(db_url, "score", str(SEGMENT)).exit_code == 0
    alone = scores(db_url)

    pools = []
    opened = stage.scoring_workers

    @contextmanager
    def spy(*args, **kwargs):
        with opened(*args, **kwargs) as pool:
            pools.append(pool)
            yield pool

    monkeypatch.setattr(stage, "scoring_workers", spy)
    monkeypatch.setattr(stage, "PARALLEL_MIN_ACCOUNTS", 1)
    monkeypatch.setattr(stage, "BLOCK", 3)  # 8 companies: three id ranges
    r = run(db_url, "score", str(SEGMENT), "--json")
    assert r.exit_code == 0, r.output
    assert pools and pools[0] is not None, "the workers were used"
    summary = json.loads(r.stdout)
    assert summary["accounts"] == 8 and summary["scored"] == len(alone)
    moving = {"scored_at", "run_id"}
    assert [{k: v for k, v in row.items() if k not in moving} for row in scores(db_url)] == [
        {k: v for k, v in row.items() if k not in moving} for row in alone
    ]
