"""ABM scoring: pure functions over account data (no Scrapy, no database, no enrichment).

Load a segment file with ``load_segment``; score plain account dicts with ``score_accounts``
(each ``AccountScore`` carries both axes, the 9-box cell, the tier, any override, the
explanation, the data-quality index and the ranked contacts); aggregate the DQI with
``segment_quality``. See docs/segments.md.  Customer history (RFM, ABC, lifecycle colour,
reactivation) over plain order data: ``scoring.customers``, docs/customers.md.
"""

from scoring.config import SegmentConfig, SegmentError, config_hash
from scoring.criteria import score_bands, score_boolean, score_categories, score_keywords
from scoring.customers import (
    abc_classes,
    lifecycle_colour,
    reactivation_list,
    rfm_scores,
    summarize_orders,
)
from scoring.icp import growth_class, icp_check
from scoring.model import (
    AccountScore,
    Contribution,
    expand_criteria,
    level,
    score_account,
    score_accounts,
    stored_criteria,
)
from scoring.quality import DQI, SegmentQuality, data_quality, rank_contacts, segment_quality
from scoring.segment import load_segment, parse_segment

__all__ = [
    "DQI",
    "AccountScore",
    "Contribution",
    "SegmentConfig",
    "SegmentError",
    "SegmentQuality",
    "abc_classes",
    "config_hash",
    "data_quality",
    "expand_criteria",
    "growth_class",
    "icp_check",
    "level",
    "lifecycle_colour",
    "load_segment",
    "parse_segment",
    "rank_contacts",
    "reactivation_list",
    "rfm_scores",
    "score_account",
    "score_accounts",
    "score_bands",
    "score_boolean",
    "score_categories",
    "score_keywords",
    "segment_quality",
    "stored_criteria",
    "summarize_orders",
]
