"""leadgen: open-source lead generation and prospect enrichment (composition root)."""

__version__ = "0.1.0"
