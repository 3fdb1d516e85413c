"""Compile a keyword rule's long alternation as a trie, so ``re`` rejects a position fast.

A title rule is one long alternation ("директор|director|direktor|…"), and Python's ``re``
tries every alternative at every position of the text. ``compile_rule`` rewrites the
alternatives that start with a literal into a trie ("di(?:rektor|rector)|…"): at a position
the engine then tests one first letter instead of every alternative. The language matched is
the same (a test compares both on every title it knows); which alternative wins at a position
may differ, and callers only ask whether and where a rule matches.
"""

from __future__ import annotations

import re

__all__ = ["compile_rule"]

_META = frozenset("\\.^$*+?{}[]|()")
# Zero-width starts kept in front of a trie: each group of alternatives shares one.
_LEADS = ("\\b", "\\B", "^", "(?<!\\w)", "")


def _split_top(pattern: str) -> list[str]:
    """Top-level alternatives (``|`` outside groups and character classes)."""
    out, depth, in_class, start, i = [], 0, False, 0, 0
    while i < len(pattern):
        c = pattern[i]
        if c == "\\":
            i += 2
            continue
        if in_class:
            in_class = c != "]"
        elif c == "[":
            in_class = True
        elif c == "(":
            depth += 1
        elif c == ")":
            depth -= 1
        elif c == "|" and depth == 0:
            out.append(pattern[start:i])
            start = i + 1
        i += 1
    out.append(pattern[start:])
    return out


def _group_end(text: str) -> int:
    """Index of the ``)`` closing the group that opens ``text``, or -1."""
    depth, in_class, i = 0, False, 0
    while i < len(text):
        c = text[i]
        if c == "\\":
            i += 2
            continue
        if in_class:
            in_class = c != "]"
        elif c == "[":
            in_class = True
        elif c == "(":
            depth += 1
        elif c == ")":
            depth -= 1
            if depth == 0:
                return i
        i += 1
    return -1


def _expand(alt: str) -> list[str]:
    r"""``\b(a|b)c`` → ``\bac``, ``\bbc`` when the group is not quantified."""
    lead = next(le for le in _LEADS if alt.startswith(le))
    body = alt[len(lead) :]
    if body.startswith("(?:"):
        opener = 3
    elif body.startswith("(") and not body.startswith("(?"):
        opener = 1
    else:
        return [alt]
    end = _group_end(body)
    rest = body[end + 1 :]
    if end < 0 or rest[:1] in ("?", "*", "+", "{"):
        return [alt]
    return [x for part in _split_top(body[opener:end]) for x in _expand(lead + part + rest)]


def _literal(body: str) -> tuple[str, str]:
    """(leading literal, the rest) of an alternative's body."""
    i = 0
    while i < len(body) and body[i] not in _META:
        i += 1
    if 0 < i < len(body) and body[i] in "?*+{":
        i -= 1  # the quantifier applies to the last literal character
    return body[:i], body[i:]


def _trie(items: list[tuple[str, str]]) -> str:
    root: dict = {}
    for literal, rest in items:
        node = root
        for ch in literal:
            node = node.setdefault(ch, {})
        node.setdefault("", set()).add(rest)

    def emit(node: dict) -> str:
        branches = [re.escape(ch) + emit(node[ch]) for ch in sorted(k for k in node if k)]
        ends = sorted(node.get("", ()))
        # an empty rest (the literal alone) matches always: it goes last, after the longer ones
        branches += [r for r in ends if r] + [r for r in ends if not r]
        return branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"

    return emit(root)


def compile_rule(pattern: str) -> re.Pattern[str]:
    """``re.compile(pattern)``, its literal alternatives merged into a trie."""
    groups: dict[str, list[tuple[str, str]]] = {}
    for alt in _split_top(pattern):
        for a in _expand(alt):
            lead = next(le for le in _LEADS if a.startswith(le))
            groups.setdefault(lead, []).append(_literal(a[len(lead) :]))
    parts = [lead + _trie(items) for lead, items in groups.items()]
    return re.compile(parts[0] if len(parts) == 1 else "(?:" + ")|(?:".join(parts) + ")")
