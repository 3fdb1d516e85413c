"""Pure normalization functions: phones, emails, domains, companies, names, titles, registry ids.

Import the public API from :mod:`enrichment`; the modules here are its implementation.
"""
