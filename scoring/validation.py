"""Small checks for the segment loader: each records "key.path: problem" and returns a usable
default, so that every mistake in a file is reported at once, not just the first."""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

from scoring.config import Range


class _Validator:
    def __init__(self) -> None:
        self.errors: list[str] = []

    def error(self, path: str, problem: str) -> None:
        self.errors.append(f"{path}: {problem}")

    def unknown(self, table: Mapping[str, Any], path: str, known: set[str]) -> None:
        for key in table:
            if key not in known:
                where = f"{path}.{key}" if path else str(key)
                self.error(where, f"unknown key; expected one of: {', '.join(sorted(known))}")

    def table(self, value: Any, path: str, required: bool = False) -> Mapping[str, Any]:
        if value is None:
            if required:
                self.error(path, "missing (a table is required)")
            return {}
        if not isinstance(value, Mapping):
            self.error(path, f"must be a table, not {_kind(value)}")
            return {}
        return value

    def text(self, value: Any, path: str, required: bool = False) -> str | None:
        if value is None:
            if required:
                self.error(path, "missing (text is required)")
            return None
        if not isinstance(value, str) or not value.strip():
            self.error(path, f"must be non-empty text, not {_kind(value)}")
            return None
        return value.strip()

    def number(
        self,
        value: Any,
        path: str,
        default: float,
        low: float | None = None,
        high: float | None = None,
    ) -> float:
        if value is None:
            return default
        if isinstance(value, bool) or not isinstance(value, int | float) or math.isnan(value):
            self.error(path, f"must be a number, not {_kind(value)}")
            return default
        if not math.isfinite(value):
            self.error(path, "must be a finite number")
            return default
        if low is not None and value < low:
            self.error(path, f"must be at least {_fmt(low)}, not {_fmt(value)}")
            return default
        if high is not None and value > high:
            self.error(path, f"must be at most {_fmt(high)}, not {_fmt(value)}")
            return default
        return float(value)

    def integer(self, value: Any, path: str, default: int, low: int = 0) -> int:
        if value is None:
            return default
        if isinstance(value, bool) or not isinstance(value, int):
            self.error(path, f"must be a whole number, not {_kind(value)}")
            return default
        if value < low:
            self.error(path, f"must be at least {low}, not {value}")
            return default
        return value

    def strings(
        self, value: Any, path: str, choices: tuple[str, ...] | None = None
    ) -> tuple[str, ...]:
        if value is None:
            return ()
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list):
            self.error(path, f"must be a list of text, not {_kind(value)}")
            return ()
        out: list[str] = []
        for i, item in enumerate(value):
            if not isinstance(item, str) or not item.strip():
                self.error(f"{path}[{i}]", f"must be non-empty text, not {_kind(item)}")
            elif choices is not None and item.strip().lower() not in choices:
                self.error(f"{path}[{i}]", f"{item!r} is not one of: {', '.join(choices)}")
            else:
                out.append(item.strip())
        return tuple(out)

    def range(self, value: Any, path: str) -> Range:
        if value is None:
            return Range()
        if not isinstance(value, Mapping):
            self.error(
                path, f"must be a table such as {{ min = 50, max = 500 }}, not {_kind(value)}"
            )
            return Range()
        self.unknown(value, path, {"min", "max"})
        low = self.number(value.get("min"), f"{path}.min", math.nan, low=0)
        high = self.number(value.get("max"), f"{path}.max", math.nan, low=0)
        lo = None if math.isnan(low) else low
        hi = None if math.isnan(high) else high
        if lo is not None and hi is not None and lo > hi:
            self.error(path, f"min ({_fmt(lo)}) is greater than max ({_fmt(hi)})")
        return Range(lo, hi)


def _kind(value: Any) -> str:
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return f"a boolean ({str(value).lower()})"
    if isinstance(value, str):
        return f"text {value!r}" if value.strip() else "empty text"
    if isinstance(value, int | float):
        return f"a number ({_fmt(value)})"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, Mapping):
        return "a table"
    return type(value).__name__


def _fmt(number: float) -> str:
    return f"{number:g}"
