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


_MAX_PREFIXES = 4096


def prefixes(pattern: re.Pattern, k: int = 2) -> frozenset[str] | None:
    """A superset of the first min(k, len) characters of every non-empty match of pattern
    (a string shorter than k: a match that short), or None when that is not known. Zero-width
    assertions are passed over, so the set may hold more than can match, never less."""
    if _P is None or pattern.flags & re.IGNORECASE:
        return None
    try:
        out = _seq_prefixes(_P.parse(pattern.pattern, pattern.flags).data, k)
    except Exception:  # noqa: BLE001 - private API changed: fall back
        return None
    return None if out is None else frozenset(p for p in out if p)


def _join(heads: set[str], tails_of, k: int) -> set[str] | None:
    out: set[str] = set()
    for h in heads:
        if len(h) >= k:
            out.add(h)
            continue
        tails = tails_of(k - len(h))
        if tails is None:
            return None
        out.update(h + t for t in tails)
        if len(out) > _MAX_PREFIXES:
            return None
    return out


def _seq_prefixes(items, k: int) -> set[str] | None:
    if not items or k <= 0:
        return {""}
    head = _item_prefixes(*items[0], k)
    if head is None:
        return None
    return _join(head, lambda n: _seq_prefixes(items[1:], n), k)


def _item_prefixes(op, av, k: int) -> set[str] | None:
    C = _C
    if op is C.LITERAL:
        return {chr(av)}
    if op is C.IN:
        chars, _ = _first_item(op, av)
        return None if chars is None else set(chars)
    if op is C.SUBPATTERN:
        return _seq_prefixes(av[3], k)
    if op is getattr(C, "ATOMIC_GROUP", None):
        return _seq_prefixes(av, k)
    if op is C.BRANCH:
        out: set[str] = set()
        for alt in av[1]:
            p = _seq_prefixes(alt, k)
            if p is None:
                return None
            out |= p
        return out
    if op in (C.MAX_REPEAT, C.MIN_REPEAT) or op is getattr(C, "POSSESSIVE_REPEAT", None):
        lo, hi, item = av
        out, cur = set(), {""}  # cur: the prefixes of exactly n copies
        for n in range(k + 1):
            # n == k stands for every count >= k: their first k characters are those of k copies
            if n >= lo or n == k:
                out |= cur
            if n == hi or n == k:
                break
            cur = _join(cur, lambda m: _seq_prefixes(item, m), k)
            if cur is None:
                return None
        return out
    if op in (C.ASSERT, C.ASSERT_NOT, C.AT):
        return {""}
    return None


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
        # The trigger fires where a first character stands and, when every pattern of that
        # character has known two-character starts, only before one of their second
        # characters: `贫(?=[困人])|扶|...` (each branch begins with a literal, so `re` still
        # skips to first characters in C). Most first characters stand in words no rule
        # begins with (脱贫攻坚's 贫攻): those positions are no longer tried at all.
        branches = []
        for ch in sorted(members):
            seconds: set[str] | None = set()
            for i in members[ch]:
                pre = prefixes(patterns[i])
                starts = None if pre is None else {p for p in pre if p[:1] == ch}
                if not starts or any(len(p) < 2 for p in starts):
                    seconds = None
                    break
                seconds |= {p[1] for p in starts}
            lead = re.escape(ch)
            branches.append(lead if seconds is None else
                            lead + "(?=[" + "".join(re.escape(c) for c in sorted(seconds)) + "])")
        self.trigger = re.compile("|".join(branches)) if branches else None

    def scan(self, text: str) -> list[tuple[int, int, int]]:
        """(pattern index, start, end) of every match, ordered by start, then pattern index."""
        out = [(i, m.start(), m.end()) for i in self.always for m in self.patterns[i].finditer(text)
               if m.end() > m.start()]
        if self.trigger is not None:
            pats, by_char = self.patterns, self.by_char
            resume = [0] * len(pats)  # where each pattern's previous match ended
            for t in self.trigger.finditer(text):
                pos = t.start()
                combined, idx = by_char[text[pos]]
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
