"""The pattern prior restates the published figures of tests/fixtures/patterns/claims.txt."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from enrichment.patterns import GLOBAL_PRIOR, PATTERNS, RUSSIAN_PRIOR, default_prior
from enrichment.patterns.prior import SOURCES

CLAIMS = Path(__file__).resolve().parents[1] / "fixtures" / "patterns" / "claims.txt"


def _blocks() -> dict[str, str]:
    text = CLAIMS.read_text(encoding="utf-8")
    out = {}
    for block in text.split("\n\n"):
        m = re.search(r"^source: https?://(?:www\.)?([^/\s]+)", block, re.M)
        if m:
            out[m.group(1)] = block
    return out


def test_ankurandgenny_counts_match_the_cited_figures():
    block = _blocks()["ankurandgenny.com"]
    counts = dict(re.findall(r"([a-z.]+)(?: \(or close variant\))?=(\d+)", block))
    total = sum(int(v) for v in counts.values())
    assert total == 59
    (_, _, figures, other) = next(s for s in SOURCES if s[0] == "ankurandgenny.com")
    for pattern, share in figures.items():
        assert share == pytest.approx(int(counts[pattern]) / total), pattern
    assert other == pytest.approx(int(counts["other"]) / total)


def test_mailsfinder_and_aioptify_figures_match():
    blocks = _blocks()
    assert "about 60% of B2B companies use first.last@" in blocks["mailsfinder.com"]
    (_, _, mf, mf_other) = next(s for s in SOURCES if s[0] == "mailsfinder.com")
    assert mf["first.last"] == 0.60 and mf_other == 0.15
    assert sum(mf[p] for p in ("first", "flast", "first.l")) == pytest.approx(0.25)
    counts = dict(re.findall(r"(fn\.?ln)=(\d+)", blocks["aioptify.com"]))
    (_, _, ai, _) = next(s for s in SOURCES if s[0] == "aioptify.com")
    assert ai["first.last"] == pytest.approx(int(counts["fn.ln"]) / 120)
    assert ai["firstlast"] == pytest.approx(int(counts["fnln"]) / 120)


@pytest.mark.parametrize("prior", [GLOBAL_PRIOR, RUSSIAN_PRIOR])
def test_priors_cover_the_catalogue_and_sum_to_one(prior):
    assert set(prior.patterns) == set(PATTERNS)
    assert sum(prior.patterns.values()) == pytest.approx(1.0)
    assert all(v > 0 for v in prior.patterns.values())
    assert sum(prior.cyrillic.values()) == pytest.approx(1.0)
    assert sum(prior.latin.values()) == pytest.approx(1.0)


def test_global_order_follows_the_sources():
    order = sorted(GLOBAL_PRIOR.patterns, key=GLOBAL_PRIOR.patterns.get, reverse=True)
    # first.last leads in mailsfinder, aioptify and vonsel; flast leads the only count table
    assert order[:2] == ["first.last", "flast"]
    assert set(order[:6]) >= {"first", "firstlast", "first.l"}


def test_russian_prior_is_surname_centred():
    order = sorted(RUSSIAN_PRIOR.patterns, key=RUSSIAN_PRIOR.patterns.get, reverse=True)
    assert order[:3] == ["f.last", "last", "first.last"]


@pytest.mark.parametrize(
    ("domain", "cyrillic", "name"),
    [
        ("romashka.ru", False, "russian"),
        ("xn--e1afmkfd.xn--p1ai", False, "russian"),
        ("zavod.by", False, "russian"),
        ("acme.com", True, "russian"),
        ("acme.com", False, "global"),
        ("beispiel.de", False, "global/de"),
        ("beispiel.de", True, "russian/de"),
    ],
)
def test_default_prior_by_tld_and_script(domain, cyrillic, name):
    prior = default_prior(domain, cyrillic_name=cyrillic)
    assert prior.name == name
    if name.endswith("/de"):
        assert max(prior.cyrillic, key=prior.cyrillic.get) == "duden"


def test_custom_prior_mapping():
    p = GLOBAL_PRIOR.with_patterns({"last": 5, "first": 1, "nonsense": 100})
    assert max(p.patterns, key=p.patterns.get) == "last"
    assert "nonsense" not in p.patterns
    assert sum(p.patterns.values()) == pytest.approx(1.0)
