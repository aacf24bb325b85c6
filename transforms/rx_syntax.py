"""A reader for the part of Python's regular-expression syntax that extraction's patterns use,
into a small tree that `rx_first` reasons about. It reads the pattern's text and flags only
(public attributes of `re.Pattern`), so it does not depend on the interpreter's own parser.

Understood: literal characters and their escapes (`\\*`, `\\u4e00`, `\\n`...), character
classes (ranges, negation, `\\d`-style categories), `.`, the categories `\\d \\D \\w \\W \\s \\S`,
groups `(...)`, `(?:...)`, `(?P<name>...)`, `(?>...)`, alternation, the repeats `? * + {m}
{m,} {,n} {m,n}` (greedy, lazy or possessive), lookarounds and the anchors `^ $ \\A \\Z \\b \\B`.
Anything else (backreferences, conditionals, inline flags, comments, octal escapes,
IGNORECASE, VERBOSE, bytes patterns) raises `Unsupported`: the caller then knows nothing
about the pattern and scans it the plain way.

The tree is exact where it claims anything: a character class whose members are not listed
(negated, a category, `.`) is `Chars(None)`, "some character".
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass


class Unsupported(ValueError):
    """The pattern uses syntax this reader does not model."""


@dataclass(frozen=True)
class Chars:
    """One character from the inclusive code-point ranges; None: a set not given by listing."""
    ranges: tuple[tuple[int, int], ...] | None


@dataclass(frozen=True)
class Seq:
    items: tuple


@dataclass(frozen=True)
class Alt:
    options: tuple


@dataclass(frozen=True)
class Repeat:
    item: object
    lo: int
    hi: int | None  # None: unbounded


@dataclass(frozen=True)
class Assert:
    """Zero width: a lookaround or an anchor (what it asserts is not modelled)."""


ANY = Chars(None)
_ESCAPES = {"a": "\a", "f": "\f", "n": "\n", "r": "\r", "t": "\t", "v": "\v", "\\": "\\"}
_HEX_DIGITS = {"x": 2, "u": 4, "U": 8}
_CATEGORIES = frozenset("dDwWsS")
_REPEAT = re.compile(r"\{(\d*)(?:(,)(\d*))?\}")  # `{` that reads as no repeat is a literal


def parse(pattern: str, flags: int = 0):
    """The tree of pattern (as given to re.compile with flags), or raise Unsupported."""
    if not isinstance(pattern, str):
        raise Unsupported("a bytes pattern")
    if flags & (re.IGNORECASE | re.VERBOSE):
        raise Unsupported("case folding or verbose syntax")
    reader = _Reader(pattern)
    tree = reader.alternation()
    if reader.pos != len(pattern):
        raise Unsupported(f"unbalanced ')' at {reader.pos}")
    return tree


class _Reader:
    def __init__(self, text: str):
        self.text, self.pos = text, 0

    def _peek(self, n: int = 1) -> str:
        return self.text[self.pos:self.pos + n]

    def _take(self) -> str:
        if self.pos >= len(self.text):
            raise Unsupported("pattern ends early")
        self.pos += 1
        return self.text[self.pos - 1]

    def alternation(self):
        options = [self._sequence()]
        while self._peek() == "|":
            self.pos += 1
            options.append(self._sequence())
        return options[0] if len(options) == 1 else Alt(tuple(options))

    def _sequence(self) -> Seq:
        items = []
        while self.pos < len(self.text) and self.text[self.pos] not in "|)":
            items.append(self._repeated(self._atom()))
        return Seq(tuple(items))

    def _repeated(self, atom):
        bounds = self._bounds()
        if bounds is None:
            return atom
        if self._peek() in ("?", "+"):  # lazy / possessive: a subset of the greedy matches
            self.pos += 1
        return Repeat(atom, *bounds)

    def _bounds(self) -> tuple[int, int | None] | None:
        c = self._peek()
        if c in ("?", "*", "+"):
            self.pos += 1
            return {"?": (0, 1), "*": (0, None), "+": (1, None)}[c]
        m = _REPEAT.match(self.text, self.pos) if c == "{" else None
        if m is None or m.group(0) == "{}":
            return None
        self.pos = m.end()
        lo = int(m.group(1) or 0)
        hi_text = m.group(3) if m.group(2) else m.group(1)
        return lo, int(hi_text) if hi_text else None

    def _atom(self):
        c = self._take()
        if c == "(":
            return self._group()
        if c == "[":
            return self._class()
        if c == ".":
            return ANY
        if c in "^$":
            return Assert()
        if c == "\\":
            return self._escape(in_class=False)
        if c in "*+?":
            raise Unsupported("nothing to repeat")
        return Chars(((ord(c), ord(c)),))

    def _group(self):
        if self._peek() != "?":
            return self._group_body()
        self.pos += 1
        kind = self._peek(2)
        if kind[:1] in (":", ">"):
            self.pos += 1
            return self._group_body()
        if kind[:1] in ("=", "!") or kind in ("<=", "<!"):
            self.pos += len(kind) if kind[:1] == "<" else 1
            self._group_body()  # read to find its end; it consumes nothing
            return Assert()
        if kind == "P<":
            end = self.text.find(">", self.pos)
            if end < 0:
                raise Unsupported("unterminated group name")
            self.pos = end + 1
            return self._group_body()
        raise Unsupported(f"group syntax (?{kind}")

    def _group_body(self):
        body = self.alternation()
        if self._take() != ")":
            raise Unsupported("missing ')'")
        return body

    def _class(self) -> Chars:
        negated = self._peek() == "^"
        if negated:
            self.pos += 1
        ranges: list[tuple[int, int]] = []
        known, first = True, True
        while True:
            c = self._take()
            if c == "]" and not first:
                break
            first = False
            lo = self._class_char(c)
            if self._peek() != "-":
                known = known and lo is not None
                if lo is not None:
                    ranges.append((lo, lo))
                continue
            self.pos += 1
            c = self._take()
            if c == "]":  # `[a-]`: a trailing '-' is itself a member
                known = known and lo is not None
                ranges += [(lo, lo)] if lo is not None else []
                ranges.append((ord("-"), ord("-")))
                break
            hi = self._class_char(c)
            if lo is None or hi is None:
                raise Unsupported("range with a category")
            ranges.append((lo, hi))
        return ANY if negated or not known else Chars(tuple(ranges))

    def _class_char(self, c: str) -> int | None:
        """The code point of a class member, None for a category (\\d...)."""
        if c != "\\":
            return ord(c)
        e = self._peek()
        if e in _CATEGORIES:
            self.pos += 1
            return None
        if e == "b":
            self.pos += 1
            return 8  # backspace, inside a class
        chars = self._escape(in_class=True)
        return chars.ranges[0][0]

    def _escape(self, in_class: bool):
        e = self._take()
        if e in _CATEGORIES:
            return ANY
        if not in_class and e in "bBAZ":
            return Assert()
        if e in _ESCAPES:
            return _char(_ESCAPES[e])
        if e in _HEX_DIGITS:
            digits = self._peek(_HEX_DIGITS[e])
            if len(digits) != _HEX_DIGITS[e] or not all(d in "0123456789abcdefABCDEF" for d in digits):
                raise Unsupported(f"bad \\{e} escape")
            self.pos += len(digits)
            return _char(chr(int(digits, 16)))
        if e == "N" and self._peek() == "{":
            end = self.text.find("}", self.pos)
            if end < 0:
                raise Unsupported("bad \\N escape")
            name, self.pos = self.text[self.pos + 1:end], end + 1
            try:
                return _char(unicodedata.lookup(name))
            except KeyError:
                raise Unsupported(f"unknown character name {name!r}") from None
        if e.isascii() and e.isalnum():  # octal, backreferences, and letters re refuses
            raise Unsupported(f"escape \\{e}")
        return _char(e)


def _char(c: str) -> Chars:
    return Chars(((ord(c), ord(c)),))
