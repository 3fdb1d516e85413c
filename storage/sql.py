"""Small SQL constructs that differ by backend."""

from __future__ import annotations

from sqlalchemy import String
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.functions import FunctionElement


class casefold(FunctionElement):  # noqa: N801 (reads like the SQL function it is)
    """Unicode case folding: ``lower()`` on PostgreSQL (UTF-8 aware), a Python function on
    SQLite, whose own ``lower()`` leaves Cyrillic and umlauts alone."""

    type = String()
    inherit_cache = True
    name = "casefold"


@compiles(casefold)
def _casefold_default(element, compiler, **kw):
    return f"lower({compiler.process(element.clauses, **kw)})"


@compiles(casefold, "sqlite")
def _casefold_sqlite(element, compiler, **kw):
    return f"lg_casefold({compiler.process(element.clauses, **kw)})"
