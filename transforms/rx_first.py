"""The characters a regular expression's match can start with, and a scanner that runs many
patterns over a text by trying each only where one of its first characters stands.

Python's `re` skips ahead quickly only for patterns that begin with a literal or a character
class; a pattern beginning with a group, an optional part or a look-behind
(`(?:累计)?脱贫`, `(?<!产业)扶贫资金`) is attempted at every position of the text. With
dozens of such patterns per article that was the largest single cost of extraction.
"""
from __future__ import annotations

import re

try:  # Python 3.11+: the parser is private API, so any surprise falls back to finditer
    from re import _constants as _C
    from re import _parser as _P
except ImportError:  # pragma: no cover - older Pythons
    _C = _P = None

_MAX_RANGE = 256  # a wider class ([一-龥]) is "any character" for this purpose


def first_chars(pattern: re.Pattern) -> frozenset[str] | None:
    """Every character a non-empty match of pattern can begin with, or None when that is not
    known (a wildcard, a negated class, case folding, a pattern that can match empty)."""
    if _P is None or pattern.flags & re.IGNORECASE:
        return None
    try:
        chars, nullable = _first_seq(_P.parse(pattern.pattern, pattern.flags).data)
    except Exception:  # noqa: BLE001 - private API changed: fall back
        return None
    return None if chars is None or nullable else frozenset(chars)


def _first_seq(items) -> tuple[set[str] | None, bool]:
    out: set[str] = set()
    for op, av in items:
        chars, nullable = _first_item(op, av)
        if chars is None:
            return None, False
        out |= chars
        if not nullable:
            return out, False
    return out, True


def _first_item(op, av) -> tuple[set[str] | None, bool]:
    C = _C
    if op is C.LITERAL:
        return {chr(av)}, False
    if op is C.IN:
        chars: set[str] = set()
        for o, v in av:
            if o is C.LITERAL:
                chars.add(chr(v))
            elif o is C.RANGE and v[1] - v[0] <= _MAX_RANGE:
                chars.update(chr(c) for c in range(v[0], v[1] + 1))
            else:
                return None, False
        return chars, False
    if op is C.SUBPATTERN:
        return _first_seq(av[3])
    if op is C.BRANCH:
        chars, nullable = set(), False
        for alt in av[1]:
            c, n = _first_seq(alt)
            if c is None:
                return None, False
            chars |= c
            nullable = nullable or n
        return chars, nullable
    if op in (C.MAX_REPEAT, C.MIN_REPEAT) or op is getattr(C, "POSSESSIVE_REPEAT", None):
        c, n = _first_seq(av[2])
        return (None, False) if c is None else (c, av[0] == 0 or n)
    if op is getattr(C, "ATOMIC_GROUP", None):
        return _first_seq(av)
    if op in (C.ASSERT, C.ASSERT_NOT, C.AT):  # zero-width: the next item decides
        return set(), True
    return None, False


class MultiScanner:
    """finditer of many patterns over one text, each pattern's matches non-overlapping and in
    text order, exactly as `pattern.finditer` gives them (empty matches left out).

    At each position holding a first character of some patterns, one combined regex tries
    all of them: `(?=(P1)|)(?=(P2)|)...` -- group k is pattern k's match there (a lookahead
    takes the same first match as `Pk.match(text, pos)`), or unset."""

    def __init__(self, patterns: list[re.Pattern]):
        self.patterns = patterns
        self.always: list[int] = []  # first characters unknown: plain finditer
        members: dict[str, list[int]] = {}
        for i, p in enumerate(patterns):
            chars = first_chars(p)
            if chars is None:
                self.always.append(i)
            else:
                for ch in chars:
                    members.setdefault(ch, []).append(i)
        # Patterns with groups of their own would shift the combined groups: matched alone.
        self.by_char: dict[str, tuple[re.Pattern | None, list[int]]] = {}
        for ch, idx in members.items():
            if all(patterns[i].groups == 0 and patterns[i].flags == patterns[idx[0]].flags for i in idx):
                combined = re.compile("".join(f"(?=({patterns[i].pattern})|)" for i in idx), patterns[idx[0]].flags)
                self.by_char[ch] = (combined, idx)
            else:
                self.by_char[ch] = (None, idx)
        self.trigger = (re.compile("[" + "".join(re.escape(c) for c in sorted(members)) + "]")
                        if members else None)

    def scan(self, text: str) -> list[tuple[int, int, int]]:
        """(pattern index, start, end) of every match, ordered by start, then pattern index."""
        out = [(i, m.start(), m.end()) for i in self.always for m in self.patterns[i].finditer(text)
               if m.end() > m.start()]
        if self.trigger is not None:
            pats, by_char = self.patterns, self.by_char
            resume = [0] * len(pats)  # where each pattern's previous match ended
            for t in self.trigger.finditer(text):
                pos = t.start()
                combined, idx = by_char[t.group()]
                if combined is not None:
                    m = combined.match(text, pos)
                    if m.lastindex is None:  # no pattern matched here (most positions)
                        continue
                    for g, i in enumerate(idx, 1):
                        end = m.end(g)
                        if end > pos and pos >= resume[i]:
                            out.append((i, pos, end))
                            resume[i] = end
                else:
                    for i in idx:
                        if pos >= resume[i]:
                            m = pats[i].match(text, pos)
                            if m is not None and m.end() > pos:
                                out.append((i, pos, m.end()))
                                resume[i] = m.end()
        out.sort(key=lambda t: (t[1], t[0]))
        return out
