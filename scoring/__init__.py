"""ABM scoring: pure functions over account data (no Scrapy, no database, no enrichment)."""

__all__: list[str] = []
