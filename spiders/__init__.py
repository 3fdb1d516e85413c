"""Crawling: the only package that imports Scrapy (settings, items, page objects, pipelines)."""
