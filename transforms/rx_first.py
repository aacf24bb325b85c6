"""The characters a regular expression's match can start with, and a scanner that runs many
patterns over a text by trying each only where one of its first characters stands.

Python's `re` skips ahead quickly only for patterns that begin with a literal or a character
class; a pattern beginning with a group, an optional part or a look-behind
(`(?:累计)?脱贫`, `(?<!产业)扶贫资金`) is attempted at every position of the text. With
dozens of such patterns per article that was the largest single cost of extraction.

The patterns are read by `rx_syntax` (a reader of the regex subset the rules use, public
means only); a pattern it does not understand is scanned with plain finditer.
"""
from __future__ import annotations

import re
from functools import lru_cache
from itertools import chain
from operator import itemgetter

from fupin.transforms.rx_syntax import Alt, Assert, Chars, Repeat, Seq, Unsupported, parse

_MAX_RANGE = 256  # a wider class ([一-龥]) is "any character" for this purpose


@lru_cache(maxsize=None)
def _tree(pattern: str, flags: int):
    try:
        return parse(pattern, flags)
    except Unsupported:
        return None


def first_chars(pattern: re.Pattern) -> frozenset[str] | None:
    """Every character a non-empty match of pattern can begin with, or None when that is not
    known (a wildcard, a negated class, case folding, a pattern that can match empty, syntax
    rx_syntax does not read)."""
    tree = _tree(pattern.pattern, pattern.flags)
    if tree is None:
        return None
    chars, nullable = _first(tree)
    return None if chars is None or nullable else frozenset(chars)


def openers(*patterns: re.Pattern) -> frozenset[str] | None:
    """The characters every match of any of the patterns opens with (first_chars, united); None
    where one is not known. A short window holding none of them holds no match: checking that
    with `in` costs less than a regex call."""
    chars = [first_chars(p) for p in patterns]
    return None if None in chars else frozenset().union(*chars)


def may_hold(openers: frozenset[str] | None, window: str) -> bool:
    """Whether window (all a search or match looks at) can hold a match of a pattern whose
    matches open with one of openers (openers()): False only where none of them stands in it.
    Worth it for a pattern of a few openers: each is one `in` (a search in C, no object made;
    a set's isdisjoint would make and hash a string per character of the window)."""
    if openers is None:
        return True
    for ch in openers:
        if ch in window:
            return True
    return False


def search_any(patterns: tuple[re.Pattern, ...], text: str) -> bool:
    """Whether any of the patterns matches somewhere in text. `re` searches for a pattern
    opening with a class of characters by testing the class at every character (~35
    instructions each), for one opening with a literal by a fast scan for that character (a
    tenth of that): a class of a few openers is written as one pattern per opener."""
    for p in patterns:
        if p.search(text) is not None:
            return True
    return False


PLAIN_FLAGS = re.compile("").flags
FEW_OPENERS = 4  # up to this many first characters are each looked for with `in` (may_hold)


@lru_cache(maxsize=None)
def _needs(pattern: re.Pattern) -> tuple[tuple[str, ...] | None, str | None, frozenset[str] | None]:
    """(the pattern's words, where it is an alternation of plain words (次年|翌年|同年); its
    required literal; its first characters, where there are few)."""
    words = tuple(pattern.pattern.split("|"))
    plain = pattern.flags == PLAIN_FLAGS and all(w and re.escape(w) == w for w in words)
    chars = first_chars(pattern)
    return (words if plain else None, required_literal(pattern),
            chars if chars is not None and len(chars) <= FEW_OPENERS else None)


def cannot_match(pattern: re.Pattern, text: str) -> bool:
    """True where text holds no match of the pattern, seen without a regex call: it holds none
    of the pattern's plain words, or lacks its required literal or each of its few first
    characters. False says nothing. For patterns searched over whole texts that most texts do
    not match: each `in` is a fast scan, where `re` tests the class of the pattern's first
    characters at every character."""
    words, literal, chars = _needs(pattern)
    if words is not None:
        return not any(w in text for w in words)
    return (literal is not None and literal not in text) or not may_hold(chars, text)


def opens_at(openers: frozenset[str] | None, text: str, pos: int) -> bool:
    """Whether a match of a pattern whose matches open with one of openers can begin at pos
    (pattern.match(text, pos)): one set look-up of the character there."""
    return openers is None or text[pos:pos + 1] in openers


def _class_chars(node: Chars) -> set[str] | None:
    if node.ranges is None or any(hi - lo > _MAX_RANGE for lo, hi in node.ranges):
        return None
    return {chr(c) for lo, hi in node.ranges for c in range(lo, hi + 1)}


def _first(node) -> tuple[set[str] | None, bool]:
    """(first characters, can match empty) of a tree; None: not known."""
    match node:
        case Chars():
            return _class_chars(node), False
        case Seq(items):
            out: set[str] = set()
            for item in items:
                chars, nullable = _first(item)
                if chars is None:
                    return None, False
                out |= chars
                if not nullable:
                    return out, False
            return out, True
        case Alt(options):
            out, nullable = set(), False
            for option in options:
                chars, n = _first(option)
                if chars is None:
                    return None, False
                out |= chars
                nullable = nullable or n
            return out, nullable
        case Repeat(item, lo, _):
            chars, nullable = _first(item)
            return (None, False) if chars is None else (chars, lo == 0 or nullable)
        case Assert():  # zero-width: the next item decides
            return set(), True
    raise TypeError(node)


_MAX_PREFIXES = 4096


def prefixes(pattern: re.Pattern, k: int = 2) -> frozenset[str] | None:
    """A superset of the first min(k, len) characters of every non-empty match of pattern
    (a string shorter than k: a match that short), or None when that is not known. Zero-width
    assertions are passed over, so the set may hold more than can match, never less."""
    tree = _tree(pattern.pattern, pattern.flags)
    out = None if tree is None else _prefixes(tree, k)
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


def _seq_prefixes(items: tuple, k: int) -> set[str] | None:
    if not items or k <= 0:
        return {""}
    head = _prefixes(items[0], k)
    if head is None:
        return None
    return _join(head, lambda n: _seq_prefixes(items[1:], n), k)


def _prefixes(node, k: int) -> set[str] | None:
    match node:
        case Chars():
            return _class_chars(node)
        case Seq(items):
            return _seq_prefixes(items, k)
        case Alt(options):
            out: set[str] = set()
            for option in options:
                p = _prefixes(option, k)
                if p is None:
                    return None
                out |= p
            return out
        case Repeat(item, lo, hi):
            out, cur = set(), {""}  # cur: the prefixes of exactly n copies
            for n in range(k + 1):
                # n == k stands for every count >= k: their first k characters are those of k copies
                if n >= lo or n == k:
                    out |= cur
                if n == hi or n == k:
                    break
                cur = _join(cur, lambda m: _prefixes(item, m), k)
                if cur is None:
                    return None
            return out
        case Assert():
            return {""}
    raise TypeError(node)


def required_literal(pattern: re.Pattern) -> str | None:
    """The longest run of characters that every match of pattern holds, or None when none is
    known. A text without it holds no match: `in` finds a word in C several times faster than
    `re` scans for a pattern's first characters."""
    tree = _tree(pattern.pattern, pattern.flags)
    runs = None if tree is None else _musts(tree)
    return max(sorted(runs), key=len) if runs else None


def _single(node) -> str | None:
    if isinstance(node, Chars) and node.ranges and len(node.ranges) == 1 and node.ranges[0][0] == node.ranges[0][1]:
        return chr(node.ranges[0][0])
    return None


def _musts(node) -> set[str]:
    """Strings that every match of a tree holds (runs of single characters, never across an
    assertion or anything else)."""
    match node:
        case Chars():
            ch = _single(node)
            return {ch} if ch else set()
        case Seq(items):
            out, run = set(), ""
            for item in items:
                ch = _single(item)
                if ch:
                    run += ch
                    continue
                if run:
                    out.add(run)
                run = ""
                out |= _musts(item)
            return out | {run} if run else out
        case Alt(options):
            return set.intersection(*[_musts(o) for o in options]) if options else set()
        case Repeat(item, lo, _):
            return _musts(item) if lo >= 1 else set()
        case Assert():
            return set()
    raise TypeError(node)


TRIGGER_BRANCHES = 42  # most first characters' branches in one trigger (MultiScanner)


def _triggers(branches: list[str]) -> list[re.Pattern]:
    """The branches' alternation, in passes of at most TRIGGER_BRANCHES: a position holding a
    first character where no branch matches (most of them) is tried against every branch
    after its own; past that many branches (the indicator rules' 126 first characters)
    another pass over the text costs less."""
    passes = -(-len(branches) // TRIGGER_BRANCHES)
    size = -(-len(branches) // passes) if passes else 0
    return [re.compile("|".join(branches[i:i + size])) for i in range(0, len(branches), size or 1)]


_START_THEN_INDEX = itemgetter(1, 0)  # (start, pattern index) of a (pattern index, start, end)
_MATCH_START = re.Match.start


class MultiScanner:
    """finditer of many patterns over one text, each pattern's matches non-overlapping and in
    text order, exactly as `pattern.finditer` gives them (empty matches left out).

    At each position holding a first character of some patterns, one combined regex tries
    all of them: `(?=(P1)|)(?=(P2)|)...` -- group k is pattern k's match there (a lookahead
    takes the same first match as `Pk.match(text, pos)`), or unset."""

    def __init__(self, patterns: list[re.Pattern], sparse: bool = False, rare: bool = False):
        """sparse: most places where a pattern's first characters stand hold no match (a
        first word shared with common words); the trigger then checks the patterns there in C.
        rare: most texts hold no match at all; a text that lacks every pattern's required
        literal (required_literal) is then not scanned."""
        self.patterns = patterns
        self.literals = [required_literal(p) for p in patterns]
        self.rare = rare and None not in self.literals
        # every pattern known to match no empty string: present() may search for each alone
        self.non_empty = all(first_chars(p) is not None for p in patterns)
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
        # `re` tries the branches in turn at each position holding a first character: a
        # character that opens more patterns (贫 of the indicator rules), likelier in the texts
        # they are written for, goes first. Each branch opens with its own character, so at
        # most one can match at a position and the order changes no match.
        for ch in sorted(members, key=lambda c: (-len(members[c]), c)):
            seconds: set[str] | None = set()
            for i in members[ch]:
                pre = prefixes(patterns[i])
                starts = None if pre is None else {p for p in pre if p[:1] == ch}
                if not starts or any(len(p) < 2 for p in starts):
                    seconds = None
                    break
                seconds |= {p[1] for p in starts}
            lead = re.escape(ch) + ("" if seconds is None else
                                    "(?=[" + "".join(re.escape(c) for c in sorted(seconds)) + "])")
            combined, idx = self.by_char[ch]
            if sparse and combined is not None and combined.flags == re.compile("").flags:
                # Fire only where one of them matches: the characters, then (looking back to
                # the first) their alternation, all in C; a position where none matches costs
                # no step in Python.
                ahead = "|".join(f"(?:{patterns[i].pattern})" for i in idx)
                lead += f"(?<=(?=(?:{ahead}))[\\s\\S])"
            branches.append(lead)
        self.triggers = _triggers(branches)

    def scan(self, text: str) -> list[tuple[int, int, int]]:
        """(pattern index, start, end) of every match, ordered by start, then pattern index."""
        if self.rare and not any(lit in text for lit in self.literals):
            return []
        out = [(i, m.start(), m.end()) for i in self.always for m in self.patterns[i].finditer(text)
               if m.end() > m.start()]
        if self.triggers:
            pats, by_char = self.patterns, self.by_char
            resume = [0] * len(pats)  # where each pattern's previous match ended
            # in text order (each position's first character is in one trigger only)
            fired = (self.triggers[0].finditer(text) if len(self.triggers) == 1 else
                     sorted(chain.from_iterable(t.finditer(text) for t in self.triggers), key=_MATCH_START))
            for t in fired:
                pos = t.start()
                combined, idx = by_char[text[pos]]
                if combined is not None:
                    m = combined.match(text, pos)
                    if m.lastindex is None:  # no pattern matched here (most positions)
                        continue
                    # every group is a look-ahead at pos: pattern i's match is its text, read
                    # for all groups in one call (None: no match; "": an empty one, left out)
                    for i, words in zip(idx, m.groups()):
                        if words and pos >= resume[i]:
                            end = pos + len(words)
                            out.append((i, pos, end))
                            resume[i] = end
                else:
                    for i in idx:
                        if pos >= resume[i]:
                            m = pats[i].match(text, pos)
                            if m is not None and m.end() > pos:
                                out.append((i, pos, m.end()))
                                resume[i] = m.end()
        out.sort(key=_START_THEN_INDEX)
        return out

    def present(self, text: str) -> list[int]:
        """The indices of the patterns that match somewhere in text (the patterns of scan()'s
        matches), ascending. Each is looked for alone, after its required literal: a text
        names few of them, and most of its first characters stand in other words."""
        if not self.non_empty:
            return sorted({i for i, _, _ in self.scan(text)})
        return [i for i, (p, lit) in enumerate(zip(self.patterns, self.literals))
                if (lit is None or lit in text) and p.search(text) is not None]
