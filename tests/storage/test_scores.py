"""Accounts for the scorer (load_accounts) and the scores store, on SQLite and PostgreSQL."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest
from sqlalchemy import select, update

from storage.accounts import AmbiguousCompany, load_accounts, parse_growth, resolve_company
from storage.db import write_transaction
from storage.models import Company, Email, Person, Score, Segment
from storage.records import CompanyRecord, EmailRecord, PersonRecord
from storage.repository import upsert_batch
from storage.scores import (
    NotScored,
    UnknownSegment,
    clear_override,
    company_segments,
    count_segment,
    get_explanation,
    list_segment,
    list_segments,
    save_scores,
    segment_report,
    set_override,
)

T1 = datetime(2026, 11, 1, 9, 0, tzinfo=UTC)
T2 = datetime(2026, 11, 20, 9, 0, tzinfo=UTC)


def _romashka(source: str, **kw) -> CompanyRecord:
    return CompanyRecord(
        source=source,
        name="ООО Ромашка",
        name_key="ромашка",
        domain="romashka.ru",
        website="https://romashka.ru/",
        country="RU",
        region="Москва",
        city="Москва",
        industry="Retail",
        employees=250,
        revenue=1_500_000_000.0,
        inn="7707083893",
        ogrn="1027700132195",
        description="Сеть магазинов",
        status="new",
        **kw,
    )


def seed(engine) -> dict[str, int]:
    first = _romashka(
        "https://romashka.ru/contacts",
        phones=["+74951234567"],
        technologies=["1C-Bitrix", "Yandex.Metrica"],
        social={"vk": "https://vk.com/romashka"},
        facts={"booth": "A12", "revenue_growth": "0.12"},
        emails=[EmailRecord("info@romashka.ru", "romashka.ru", kind="role")],
        people=[
            PersonRecord(
                "Иван Петров",
                "иван петров",
                first_name="Иван",
                last_name="Петров",
                title="Генеральный директор",
                seniority="c_suite",
                department="management",
                is_decision_maker=True,
                phones=["+74951234568"],
                emails=[
                    EmailRecord("ivan.petrov@romashka.ru", "romashka.ru"),
                    EmailRecord("i.petrov@romashka.ru", "romashka.ru", origin="guessed"),
                    EmailRecord("petrov@romashka.ru", "romashka.ru", origin="guessed"),
                ],
            ),
            PersonRecord(
                "Мария Сидорова",
                "мария сидорова",
                title="Менеджер по закупкам",
                seniority="manager",
                department="procurement",
                is_decision_maker=False,
            ),
            PersonRecord(
                "Олег Ушедший",
                "олег ушедший",
                title="CTO",
                seniority="c_suite",
                emails=[EmailRecord("oleg@romashka.ru", "romashka.ru")],  # gone: not shown
            ),
        ],
    )
    muller = CompanyRecord(
        source="import:messe.csv",
        locator="row 2",
        name="Müller GmbH",
        name_key="muller",
        domain="mueller.de",
        country="DE",
        vat="DE123456789",
        facts={"revenue_growth": "-3,5 %", "hall": "4"},
    )
    acme = CompanyRecord(
        source="https://acme.com/about",
        name="Acme Inc",
        name_key="acme",
        domain="acme.com",
        country="US",
        employees=12,
        facts={"revenue_growth": "fast"},
    )
    twin = CompanyRecord(source="import:x.csv", name="Twin LLC", name_key="twin", domain="twin.io")
    twin2 = CompanyRecord(
        source="import:x.csv", name="Twin LLC", name_key="twin", domain="twin-two.io"
    )
    with write_transaction(engine) as conn:
        upsert_batch(conn, [first, muller, acme, twin, twin2], now=T1)
    with write_transaction(engine) as conn:  # a later sighting: a newer booth
        upsert_batch(conn, [_romashka("https://expo.ru/exhibitors", facts={"booth": "B7"})], now=T2)
    with write_transaction(engine) as conn:
        ids = {n: i for i, n in conn.execute(select(Company.id, Company.name))}
        conn.execute(update(Person).where(Person.full_name == "Олег Ушедший").values(gone_at=T2))
        conn.execute(
            update(Email).where(Email.address == "i.petrov@romashka.ru").values(status="invalid")
        )
        conn.execute(
            update(Email).where(Email.address == "petrov@romashka.ru").values(status="risky")
        )
        conn.execute(
            update(Email).where(Email.address == "ivan.petrov@romashka.ru").values(status="valid")
        )
    return ids


def expected_accounts(ids: dict[str, int], people: dict[str, int]) -> list[dict]:
    base = {
        "region": None,
        "city": None,
        "industry": None,
        "employees": None,
        "revenue": None,
        "revenue_growth": None,
        "status": "new",
        "technologies": [],
        "inn": None,
        "ogrn": None,
        "vat": None,
        "website": None,
        "phones": [],
        "social": {},
        "description": None,
        "facts": {},
        "people": [],
        "company_emails": [],
    }
    rows = {
        "ООО Ромашка": {
            **base,
            "id": ids["ООО Ромашка"],
            "name": "ООО Ромашка",
            "domain": "romashka.ru",
            "country": "RU",
            "region": "Москва",
            "city": "Москва",
            "industry": "Retail",
            "employees": 250,
            "revenue": 1_500_000_000.0,
            "revenue_growth": 0.12,
            "technologies": ["1C-Bitrix", "Yandex.Metrica"],
            "inn": "7707083893",
            "ogrn": "1027700132195",
            "website": "https://romashka.ru/",
            "phones": ["+74951234567"],
            "social": {"vk": "https://vk.com/romashka"},
            "description": "Сеть магазинов",
            "facts": {"booth": "B7", "revenue_growth": "0.12"},
            "people": [
                {
                    "id": people["Иван Петров"],
                    "full_name": "Иван Петров",
                    "title": "Генеральный директор",
                    "seniority": "c_suite",
                    "department": "management",
                    "is_decision_maker": True,
                    "emails": [
                        {"address": "ivan.petrov@romashka.ru", "status": "valid"},
                        {"address": "petrov@romashka.ru", "status": "risky"},
                    ],
                    "phones": ["+74951234568"],
                },
                {
                    "id": people["Мария Сидорова"],
                    "full_name": "Мария Сидорова",
                    "title": "Менеджер по закупкам",
                    "seniority": "manager",
                    "department": "procurement",
                    "is_decision_maker": False,
                    "emails": [],
                    "phones": [],
                },
            ],
            "company_emails": ["info@romashka.ru"],
        },
        "Müller GmbH": {
            **base,
            "id": ids["Müller GmbH"],
            "name": "Müller GmbH",
            "domain": "mueller.de",
            "country": "DE",
            "vat": "DE123456789",
            "revenue_growth": -0.035,
            "facts": {"hall": "4", "revenue_growth": "-3,5 %"},
        },
        "Acme Inc": {
            **base,
            "id": ids["Acme Inc"],
            "name": "Acme Inc",
            "domain": "acme.com",
            "country": "US",
            "employees": 12,
            "facts": {"revenue_growth": "fast"},
        },
    }
    twins = [
        {**base, "id": i, "name": "Twin LLC", "domain": d, "country": None}
        for i, d in sorted(
            (i, d) for d, i in (("twin.io", ids["twin.io"]), ("twin-two.io", ids["twin-two.io"]))
        )
    ]
    return sorted([*rows.values(), *twins], key=lambda a: a["id"])


@pytest.fixture
def seeded(engine):
    ids = seed(engine)
    with engine.connect() as conn:
        for cid, domain in conn.execute(select(Company.id, Company.domain)):
            if domain in ("twin.io", "twin-two.io"):
                ids[domain] = cid
        people = {n: i for i, n in conn.execute(select(Person.id, Person.full_name))}
    return engine, ids, people


def test_load_accounts_shape_and_contents(seeded):
    engine, ids, people = seeded
    want = expected_accounts(ids, people)
    got = list(load_accounts(engine))
    assert got == want
    for a in got:
        assert list(a) == list(got[0])  # the same keys in the same order for every account
    assert isinstance(got[0]["employees"], int)
    assert list(load_accounts(engine, chunk=1)) == want  # chunking changes nothing
    acme, muller = ids["Acme Inc"], ids["Müller GmbH"]
    only = list(load_accounts(engine, [muller, acme, 999_999, acme]))
    assert only == [a for a in want if a["id"] in (acme, muller)]
    assert list(load_accounts(engine, [])) == []
    # the contract the pure scorer reads (scoring/fields.py): storage may not import scoring
    from scoring.fields import ACCOUNT_FIELDS

    assert tuple(got[0]) == ACCOUNT_FIELDS


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("0.12", 0.12),
        ("-0.05", -0.05),
        ("0", 0.0),
        ("12 %", 0.12),
        ("12%", 0.12),
        ("+7,5%", 0.075),
        ("-3,5 %", -0.035),
        ("1,25", 1.25),
        ("fast", None),
        ("", None),
        ("inf", None),
        ("nan", None),
        ("12 % / year", None),
        (None, None),
    ],
)
def test_parse_growth(text, value):
    got = parse_growth(text)
    assert got == pytest.approx(value) if value is not None else got is None


def test_resolve_company(seeded):
    engine, ids, _ = seeded
    r = ids["ООО Ромашка"]
    cases = [
        (str(r), r),
        ("7707083893", r),
        ("1027700132195", r),
        ("romashka.ru", r),
        ("https://www.Romashka.ru/contacts", r),
        ("ООО Ромашка", r),
        ("ооо ромашка", r),
        ("  Müller GmbH ", ids["Müller GmbH"]),
        ("müller gmbh", ids["Müller GmbH"]),
        ("DE 123 456 789", ids["Müller GmbH"]),
        ("mueller.de", ids["Müller GmbH"]),
        ("ACME.COM", ids["Acme Inc"]),
        ("nobody.example", None),
        ("Ромашка", None),  # not the exact name
        ("999999", None),
        ("", None),
        ("   ", None),
    ]
    for text, want in cases:
        assert resolve_company(engine, text) == want, text
    with pytest.raises(AmbiguousCompany) as err:
        resolve_company(engine, "Twin LLC")
    assert err.value.ids == sorted([ids["twin.io"], ids["twin-two.io"]])
    assert "give the id" in str(err.value)


def _results(ids, **changes):
    r, m, a = ids["ООО Ромашка"], ids["Müller GmbH"], ids["Acme Inc"]
    rows = {
        r: {
            "company_id": r,
            "attractiveness": 82.0,
            "position": 71.5,
            "cell": "high/high",
            "tier": "strategic",
            "total": 77.0,
            "dqi": 0.9,
            "explanation": {
                "attractiveness": [{"criterion": "employees", "value": 250, "points": 30}],
                "dqi": {"missing": ["phones"], "incomplete": True},
            },
        },
        m: {
            "company_id": m,
            "attractiveness": 40.0,
            "position": 55.0,
            "cell": "medium/medium",
            "tier": "scale",
            "total": 47.5,
            "dqi": 0.5,
            "explanation": {"dqi": {"missing": ["phones", "employees"], "incomplete": True}},
        },
        a: {
            "id": a,  # "id" is accepted for company_id
            "attractiveness": 10.0,
            "position": 20.0,
            "cell": "low/low",
            "tier": "programmatic",
            "total": 15.0,
            "dqi": 1.0,
            "explanation": {"dqi": {"missing": [], "incomplete": False}},
        },
    }
    for cid, row in changes.items():
        if row is None:
            rows.pop(ids[cid])
        else:
            rows[ids[cid]].update(row)
    return list(rows.values())


def _save(engine, results, run_id=None, config_hash="h1"):
    return save_scores(
        engine,
        "retail-ru",
        description="Retail chains",
        definition={"icp": {"countries": ["RU", "DE", "US"]}},
        config_hash=config_hash,
        results=results,
        run_id=run_id,
    )


def _stored(engine):
    cols = [c for c in Score.__table__.columns if c.name not in ("scored_at", "run_id")]
    with engine.connect() as conn:
        return sorted(tuple(r) for r in conn.execute(select(*cols)))


def test_save_scores_is_idempotent_and_keeps_overrides(seeded):
    engine, ids, _ = seeded
    counts = _save(engine, _results(ids))
    assert counts == {
        "inserted": 3,
        "updated": 0,
        "removed": 0,
        "removed_overridden": 0,
        "missing": 0,
        "overridden": 0,
    }
    first = _stored(engine)
    assert len(first) == 3
    assert _save(engine, _results(ids))["updated"] == 3
    assert _stored(engine) == first  # same ids, same values
    with engine.connect() as conn:
        seg = conn.execute(select(Segment)).one()
    assert (seg.name, seg.description, seg.definition, seg.config_hash) == (
        "retail-ru",
        "Retail chains",
        {"icp": {"countries": ["RU", "DE", "US"]}},
        "h1",
    )
    m = ids["Müller GmbH"]
    set_override(engine, "retail-ru", m, "strategic", "  met them at EuroShop  ")
    counts = _save(engine, _results(ids, **{"Müller GmbH": {"total": 50.0}}), config_hash="h2")
    assert counts["overridden"] == 1
    with engine.connect() as conn:
        e = get_explanation(conn, "retail-ru", m)
    assert (e["tier"], e["formula_tier"], e["overridden"], e["override_reason"]) == (
        "strategic",
        "scale",
        True,
        "met them at EuroShop",
    )
    assert (e["total"], e["config_hash"], e["company"]) == (50.0, "h2", "Müller GmbH")
    assert e["explanation"] == {"dqi": {"missing": ["phones", "employees"], "incomplete": True}}
    assert clear_override(engine, "retail-ru", m) is True
    assert clear_override(engine, "retail-ru", m) is False
    with engine.connect() as conn:
        assert get_explanation(conn, "retail-ru", m)["tier"] == "scale"
        assert get_explanation(conn, "retail-ru", 999_999) is None


def test_save_scores_removes_dropped_companies_and_skips_missing(seeded):
    engine, ids, _ = seeded
    _save(engine, _results(ids))
    set_override(engine, "retail-ru", ids["Acme Inc"], "scale", "partner")
    results = _results(ids, **{"Acme Inc": None})
    results.append({**results[0], "company_id": 999_999})  # erased since it was read
    counts = _save(engine, results)
    assert (counts["removed"], counts["removed_overridden"], counts["missing"]) == (1, 1, 1)
    with engine.connect() as conn:
        kept = set(conn.execute(select(Score.company_id)).scalars())
    assert kept == {ids["ООО Ромашка"], ids["Müller GmbH"]}
    assert _save(engine, [])["removed"] == 2


@pytest.mark.parametrize(
    ("bad", "message"),
    [
        ([{"total": 3}], "integer company_id"),
        ([{"company_id": "7"}], "integer company_id"),
        ([{"company_id": 1}, {"company_id": 1}], "appears twice"),
        ([{"company_id": 1, "total": float("nan")}], "total must be a finite number"),
        ([{"company_id": 1, "dqi": "0.9"}], "dqi must be a finite number"),
        ([{"company_id": 1, "position": True}], "position must be a finite number"),
        ([{"company_id": 1, "tier": "gold"}], "tier must be one of"),
        ([{"company_id": 1, "cell": 5}], "cell must be text"),
        ([{"company_id": 1, "explanation": ["x"]}], "explanation must be a dict"),
        ([{"company_id": 1, "explanation": {"seen": {1, 2}}}], "explanation is not JSON"),
    ],
)
def test_save_scores_rejects_bad_results(seeded, bad, message):
    engine, ids, _ = seeded
    bad = [{**b, "company_id": ids["Acme Inc"]} if b.get("company_id") == 1 else b for b in bad]
    with pytest.raises(ValueError, match=message) as err:
        _save(engine, bad)
    if "company_id" not in message:
        assert f"company {ids['Acme Inc']}" in str(err.value)
    with engine.connect() as conn:  # nothing half-written
        assert conn.execute(select(Segment.id)).first() is None


def test_a_non_finite_number_in_an_explanation_is_stored_as_null(seeded):
    engine, ids, _ = seeded
    cid = ids["Acme Inc"]
    _save(
        engine, [{"company_id": cid, "explanation": {"x": float("inf"), "y": [float("nan"), 1.5]}}]
    )
    with engine.connect() as conn:
        (text,) = conn.execute(select(Score.explanation).where(Score.company_id == cid)).one()
    assert (json.loads(text) if isinstance(text, str) else text) == {"x": None, "y": [None, 1.5]}


def test_override_errors(seeded):
    engine, ids, _ = seeded
    with pytest.raises(UnknownSegment):
        set_override(engine, "nope", ids["Acme Inc"], "scale", "x")
    _save(engine, _results(ids, **{"Acme Inc": None}))
    with pytest.raises(NotScored):
        set_override(engine, "retail-ru", ids["Acme Inc"], "scale", "x")
    with pytest.raises(ValueError, match="tier must be one of"):
        set_override(engine, "retail-ru", ids["Müller GmbH"], "gold", "x")
    with pytest.raises(ValueError, match="needs a reason"):
        set_override(engine, "retail-ru", ids["Müller GmbH"], "scale", "   ")


def test_list_segment_filters_order_and_contacts(seeded):
    engine, ids, people = seeded
    r, m, a = ids["ООО Ромашка"], ids["Müller GmbH"], ids["Acme Inc"]
    _save(engine, _results(ids, **{"Acme Inc": {"total": 77.0}}))  # a tie with Ромашка
    set_override(engine, "retail-ru", a, "strategic", "partner")
    with engine.connect() as conn:

        def page(**kw):
            return [row["id"] for row in list_segment(conn, "retail-ru", **kw)]

        tie = sorted([r, a])
        assert page() == [*tie, m]
        assert page(tier="strategic") == tie
        assert page(tier="programmatic") == []  # Acme's formula tier is overridden
        assert page(tier="scale") == [m]
        assert page(cell="low/low") == [a]
        assert page(min_score=50) == tie
        assert page(min_score=77.0, tier="strategic", cell="high/high") == [r]
        assert page(limit=1, offset=1) == [tie[1]]
        assert page(offset=3) == []
        assert count_segment(conn, "retail-ru", tier="strategic") == 2
        rows = {row["id"]: row for row in list_segment(conn, "retail-ru")}
        with pytest.raises(ValueError):
            list_segment(conn, "retail-ru", tier="gold")
        with pytest.raises(UnknownSegment):
            list_segment(conn, "nope")
    top = rows[r]
    assert (top["name"], top["tier"], top["overridden"], top["cell"], top["dqi"]) == (
        "ООО Ромашка",
        "strategic",
        False,
        "high/high",
        0.9,
    )
    assert top["contact"]["id"] == people["Иван Петров"]
    assert [e["address"] for e in top["contact"]["emails"]] == [
        "ivan.petrov@romashka.ru",
        "petrov@romashka.ru",
    ]
    assert (top["people_count"], top["decision_makers"]) == (2, 1)
    assert top["company_emails"] == ["info@romashka.ru"]
    acme = rows[a]
    assert (acme["tier"], acme["formula_tier"], acme["overridden"], acme["override_reason"]) == (
        "strategic",
        "programmatic",
        True,
        "partner",
    )
    assert acme["contact"] is None


def test_segment_report(seeded):
    engine, ids, _ = seeded
    _save(engine, _results(ids))
    set_override(engine, "retail-ru", ids["Müller GmbH"], "strategic", "fair")
    with engine.connect() as conn:
        rep = segment_report(conn, "retail-ru")
        with pytest.raises(UnknownSegment):
            segment_report(conn, "nope")
    assert rep["accounts"] == 3
    assert rep["tiers"] == {"strategic": 2, "scale": 0, "programmatic": 1}
    assert rep["formula_tiers"] == {"strategic": 1, "scale": 1, "programmatic": 1}
    assert rep["overridden"] == 1
    assert rep["cells"] == {"high/high": 1, "low/low": 1, "medium/medium": 1}
    assert rep["dqi"] == {"average": pytest.approx(0.8), "min": 0.5, "scored": 3}
    assert rep["missing"] == {"phones": 2, "employees": 1}
    assert rep["incomplete"] == 2
    assert rep["sources"] == [  # by companies, then name; pages of one site count once
        {"source": "acme.com", "companies": 1},
        {"source": "expo.ru", "companies": 1},
        {"source": "import:messe.csv", "companies": 1},
        {"source": "romashka.ru", "companies": 1},
    ]


def test_export_with_segment_columns(seeded, tmp_path):
    import json
    from pathlib import Path

    from storage.exports import SEGMENT_COLUMNS, columns, export
    from storage.queries import ProspectFilter

    engine, ids, _ = seeded
    _save(engine, _results(ids))
    set_override(engine, "retail-ru", ids["Acme Inc"], "scale", "partner")
    plain = columns()
    assert columns(segment=True) == plain + [c for c, _ in SEGMENT_COLUMNS]

    def rows(**kw):
        path = tmp_path / "out.jsonl"
        export(engine, path, fmt="jsonl", flt=ProspectFilter(), **kw)
        return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]

    everything = rows()
    assert len(everything) == 5 and list(everything[0]) == plain
    scored = rows(segment="retail-ru")
    assert [r["company_id"] for r in scored] == sorted(
        [ids["ООО Ромашка"], ids["Müller GmbH"], ids["Acme Inc"]]
    )
    acme = next(r for r in scored if r["company_id"] == ids["Acme Inc"])
    assert {c: acme[c] for c, _ in SEGMENT_COLUMNS} == {
        "segment": "retail-ru",
        "tier": "scale",
        "tier_overridden": True,
        "cell": "low/low",
        "attractiveness": 10.0,
        "position": 20.0,
        "total": 15.0,
        "dqi": 1.0,
    }
    base = {r["company_id"]: r for r in everything}
    for r in scored:  # the usual columns are unchanged
        assert {c: r[c] for c in plain} == base[r["company_id"]]
    scale = rows(segment="retail-ru", tier="scale")
    assert [r["company_id"] for r in scale] == sorted([ids["Müller GmbH"], ids["Acme Inc"]])
    people = rows(segment="retail-ru", tier="strategic", contacts=True)  # one row per person
    assert [(r["contact_name"], r["tier"]) for r in people] == [
        ("Иван Петров", "strategic"),
        ("Мария Сидорова", "strategic"),
    ]
    with pytest.raises(UnknownSegment):
        rows(segment="nope")
    doc = (Path(__file__).resolve().parents[2] / "docs" / "export.md").read_text(encoding="utf-8")
    assert [c for c, _ in SEGMENT_COLUMNS if f"`{c}`" not in doc] == []


def test_list_segments_and_company_segments(seeded):
    engine, ids, _ = seeded
    _save(engine, _results(ids))
    save_scores(
        engine,
        "de-only",
        description=None,
        definition={},
        config_hash="h9",
        results=_results(ids, **{"ООО Ромашка": None, "Acme Inc": None}),
        run_id=None,
    )
    _save(engine, _results(ids, **{"Müller GmbH": None}))  # Müller fails retail-ru's ICP now
    with engine.connect() as conn:
        got = [(s["name"], s["accounts"], s["config_hash"]) for s in list_segments(conn)]
        assert got == [("de-only", 1, "h9"), ("retail-ru", 2, "h1")]
        assert company_segments(conn, ids["Müller GmbH"]) == ["de-only"]
        assert company_segments(conn, ids["ООО Ромашка"]) == ["retail-ru"]
        assert company_segments(conn, ids["twin.io"]) == []


def test_account_blocks_cover_every_company_once(seeded):
    from storage.accounts import account_blocks

    engine, _, _ = seeded
    every = [a["id"] for a in load_accounts(engine)]
    for size in (1, 2, 3, len(every), len(every) + 5):
        blocks = account_blocks(engine, size)
        assert blocks[0][0] == 0 and blocks[-1][1] is None
        got = [a["id"] for b in blocks for a in load_accounts(engine, id_range=b)]
        assert got == every, size
        assert all(len(list(load_accounts(engine, id_range=b))) <= size for b in blocks[:-1])
    with pytest.raises(ValueError):
        account_blocks(engine, 0)


def test_load_accounts_keep_sees_the_company_before_its_people(seeded):
    engine, _, _ = seeded
    full = {a["id"]: a for a in load_accounts(engine)}
    target = next(cid for cid, a in full.items() if a["people"] and a["company_emails"])
    asked = []

    def keep(account):
        asked.append(account["id"])
        assert account["people"] == [] and account["company_emails"] == []
        return account["id"] == target

    kept = list(load_accounts(engine, keep=keep))
    assert sorted(asked) == sorted(full)
    assert kept == [full[target]]  # people, emails and facts as without the filter
    assert list(load_accounts(engine, keep=lambda a: False)) == []
