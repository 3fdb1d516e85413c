"""The local-part patterns: each is a sequence of name slots and separators.

Slots: ``first``, ``middle``, ``last`` (the whole part) and ``f``, ``m``, ``l`` (its initial).
Names follow the notation of the pattern surveys (first.last, flast, f.last …).  The list holds
the twelve patterns every finder knows plus the others seen in real company directories:
reversed orders (lastfirst, last.f, lastf — common in Russian firms, where a person is "Иванов
И."), underscore and hyphen separators, initials only (fl), and middle names or patronymic
initials (first.m.last, fmlast, lastfm = ivanovii).
"""

from __future__ import annotations

__all__ = ["PATTERNS", "render"]

_SLOTS = frozenset({"first", "middle", "last", "f", "m", "l"})


def _parse(name: str) -> tuple[str, ...]:
    """ "first.m.last" → ("first", ".", "m", ".", "last"); "flast" → ("f", "last")."""
    out: list[str] = []
    i = 0
    while i < len(name):
        if name[i] in "._-":
            out.append(name[i])
            i += 1
            continue
        for slot in ("first", "middle", "last", "f", "m", "l"):
            if name.startswith(slot, i):
                out.append(slot)
                i += len(slot)
                break
        else:  # pragma: no cover - the catalogue below is fixed
            raise ValueError(f"bad pattern {name!r}")
    return tuple(out)


_NAMES = (
    # the twelve of issue 4
    "first.last", "flast", "first", "firstlast", "first_last", "f.last", "last", "lastf",
    "last.first", "first.l", "firstl", "first-last",
    # reversed and other separators
    "lastfirst", "last_first", "last-first", "last.f", "last_f", "f_last", "f-last",
    "first_l", "fl", "f.l",
    # middle names and patronymic initials
    "first.middle.last", "first.m.last", "fmlast", "f.m.last", "firstmlast", "lastfm",
    "last.f.m",
)  # fmt: skip
PATTERNS: dict[str, tuple[str, ...]] = {n: _parse(n) for n in _NAMES}


def render(pattern: str, first: str, middle: str, last: str) -> str | None:
    """The local part of ``pattern`` for the given (already ASCII, lowercase) name parts, or None
    when the pattern needs a part the name lacks (a full first name where only an initial is
    known, a middle name that is not there).  A part of one letter is an initial."""
    parts = {"first": first, "middle": middle, "last": last}
    out: list[str] = []
    for tok in PATTERNS[pattern]:
        if tok in "._-":
            out.append(tok)
        elif tok in parts:
            value = parts[tok]
            if len(value.replace("-", "")) < 2:
                return None
            out.append(value)
        else:
            value = parts[{"f": "first", "m": "middle", "l": "last"}[tok]]
            if not value:
                return None
            out.append(value[0])
    return "".join(out)
