"""Raw decoded text -> normalised simplified text, with an offset map back to the raw text.

Normalisation removes pinyin annotations (區(qū) -> 区), folds full-width digits and
punctuation and no-break spaces to ASCII, converts traditional to simplified characters, and
writes years in Chinese numerals in digits (二〇一八年 -> 2018年). The seeds' mojibake
runs (UTF-8 read as GBK with shifted bytes and pinyin inserted inside) do not decode back by
any simple re-encoding, so they are left as they are: numbers inside them still parse.
Every later span is
found in the normalised text and mapped back with `Normalised.raw_index`: the raw index of
normalised character i, and len(raw) for i == len(norm).
"""
from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass, field
from functools import lru_cache

from fupin.transforms import lexicon
from fupin.transforms.rx_first import cannot_match, search_any

from fupin.transforms.script import to_simplified

# Tone-marked pinyin in parentheses right after a Han character: a syllable (區(qū)), or a
# name's syllables or word (威宁（wēi níng）, 老姆登（Lǎomǔdēng）), half- or full-width brackets.
_PINYIN_CHARS = "a-zA-ZāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜüńňǹḿêĀÁǍÀĒÉĚÈĪÍǏÌŌÓǑÒŪÚǓÙ"
_TONED = "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜĀÁǍÀĒÉĚÈĪÍǏÌŌÓǑÒŪÚǓÙ"
# One pattern per opening bracket: `re` scans for a literal opening fast, for a class of two
# ([(（]) it tests the class at every character (rx_first.search_any). A match holds no opening
# bracket after its first character, so the two patterns' matches never overlap: together, in
# order, they are the matches of the one pattern with [(（].
PINYIN_RES = tuple(re.compile(
    rf"{re.escape(b)}(?<=[\u4e00-\u9fff]{re.escape(b)})(?=[{_PINYIN_CHARS} ]*[{_TONED}])"
    rf"[{_PINYIN_CHARS}]{{1,12}}(?: [{_PINYIN_CHARS}]{{1,12}}){{0,3}}[)）]") for b in "(（")

# Full-width ASCII variants and odd spaces -> ASCII (one character to one character).
# ！ and ？ stay full-width: a bare ASCII "?" in Chinese text is usually a lost character
# (mojibake), not the end of a sentence.
_FOLD = {c: c - 0xFEE0 for c in range(0xFF01, 0xFF5F) if c not in (0xFF01, 0xFF1F)}
_FOLD.update({0x3000: 0x20, 0x00A0: 0x20, 0x2002: 0x20, 0x2003: 0x20, 0x2009: 0x20, 0x202F: 0x20,
              0xFE54: ord(";"), 0xFE50: ord(","), 0xFE55: ord(":")})
_FOLD.update({ord(r["variant"]): ord(r["simplified"]) for r in lexicon.rows("variant_chars")})
# A list indexed by code point translates faster than a dict.
FOLD_TABLE = [_FOLD.get(c, c) for c in range(0x10000)]
# The characters FOLD_TABLE changes, in runs: most texts hold a few, and str.translate looks
# every character up in Python objects, while `re` finds the runs in C (same result).
# The run is written [c][c]*, not [c]+: a pattern opening with a class is searched for that
# class in C, one opening with a repeat is tried at every position.
_FOLDED_CHAR = "[" + "".join(re.escape(chr(c)) for c in sorted(_FOLD) if _FOLD[c] != c) + "]"
_FOLDED_RUN = re.compile("(" + _FOLDED_CHAR + _FOLDED_CHAR + "*)")


def fold(text: str) -> str:
    """text.translate(FOLD_TABLE), translating only the runs of characters it changes: split
    on them (the runs at the odd places), the runs translated in one call, joined by a
    character none of them holds, rather than a Python call for each (every full-width comma)."""
    parts = _FOLDED_RUN.split(text)
    if len(parts) > 1:
        parts[1::2] = "\0".join(parts[1::2]).translate(FOLD_TABLE).split("\0")
    return "".join(parts)

# 二〇一八年 -> 2018年 (four characters to four): a year written in Chinese numerals, as official
# documents and their datelines write it, reads as any other year
_CN_YEAR = re.compile(r"(?<![一二三四五六七八九〇零十百千万])(?:一九|二[〇零])[一二三四五六七八九〇零]{2}(?=年)")
_CN_YEAR_DIGITS = str.maketrans("〇零一二三四五六七八九", "00123456789")
# every _CN_YEAR match opens with one of these; a text with none (most: 零 stands in 零就业,
# 零距离) is not scanned by _CN_YEAR, which opens with a look-behind and is tried everywhere
_CN_YEAR_OPENING = re.compile("一九|二[〇零]")

# 14。24亿元: spun and OCR'd copies write a decimal point as 。. A sentence does not end on a
# bare number with the next one opening on an amount, so 。 between a bare number and an
# amount with its unit (seeds/unit_words.csv) is read as the point: one character for one, so
# offsets hold. The number is written [0-9][0-9]{0,3}, not [0-9]{1,4}: a pattern opening with
# a class is searched for that class in C, one opening with a repeat is tried at every position.
@lru_cache(maxsize=1)
def _spun_point() -> re.Pattern:
    from fupin.transforms.numbers import _unit_alt
    return re.compile(rf"([0-9][0-9]{{0,3}})。(?=[0-9]{{1,4}}(?:万|亿)?(?:{_unit_alt()}))")


# a digit, 。, a digit: every match of _spun_point() holds one; `re` finds its 。 in C, where the
# other pattern's opening digit class is tried at every position
_POINT_BETWEEN_DIGITS = re.compile("。(?<=[0-9]。)(?=[0-9])")


def _read_spun_points(text: str) -> str:
    if not _POINT_BETWEEN_DIGITS.search(text):
        return text
    return _spun_point().sub(
        lambda m: m.group(0) if m.start() and text[m.start() - 1] in "0123456789." else m.group(1) + ".",
        text)


@dataclass
class Normalised:
    text: str
    # Where runs (pinyin) were removed: cuts[k] is the normalised index at which the k-th run
    # stood, shifts[k] the raw characters removed up to and including it. Empty when nothing
    # was removed (most texts): the identity. Not a list of every character's raw index: an
    # article's spans are mapped back a few dozen times, and that list cost more to build
    # (an int object per character) than all its look-ups.
    cuts: list[int] = field(default_factory=list)
    shifts: list[int] = field(default_factory=list)

    def raw_index(self, i: int) -> int:
        """The raw index of normalised character i (len(raw) for i == len(text))."""
        k = bisect_right(self.cuts, i)
        return i + self.shifts[k - 1] if k else i

    def raw_span(self, start: int, end: int) -> tuple[int, int]:
        """Map a [start, end) span of the normalised text to the raw text."""
        if not self.cuts:
            return start, end if end > start else start
        return self.raw_index(start), self.raw_index(end - 1) + 1 if end > start else self.raw_index(start)


def _merged(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    for s, e in sorted(set(spans)):
        if out and s < out[-1][1]:
            out[-1] = (out[-1][0], max(e, out[-1][1]))
        else:
            out.append((s, e))
    return out


def _drop_spans(text: str, spans: list[tuple[int, int]]) -> tuple[str, list[int], list[int]]:
    """text without the (sorted, disjoint, non-empty) spans, with Normalised's cuts and shifts
    for them."""
    parts, cuts, shifts, last, removed = [], [], [], 0, 0
    for s, e in spans:
        parts.append(text[last:s])
        cuts.append(s - removed)  # the characters kept before this run
        removed += e - s
        shifts.append(removed)
        last = e
    parts.append(text[last:])
    return "".join(parts), cuts, shifts


_DIGIT, _SPACE = "[0-9０-９]", "[ \u3000\u00a0]"
# 4 861户, ５ ２１０户 (a PDF's thousands separated by a space), ４. ８万, 1.9 万人: spaces
# inside a written number, dropped like pinyin. Both patterns open with a digit's class, so
# that `re` finds their first characters in C (a look-behind first is tried everywhere); what
# stands before a match is checked after.
# (one to three digits are written {_DIGIT}{_DIGIT}{0,2}: a pattern opening with a repeat is
# tried at every position, one opening with the class is searched for in C)
_GROUPED = re.compile(rf"{_DIGIT}{_DIGIT}{{0,2}}(?:{_SPACE}{_DIGIT}{{3}})+(?!{_DIGIT})")
_PERCENT_NEXT = re.compile(r"(?:[.．][0-9０-９]+)?[%％]")
_SPACE_AFTER_DIGIT = re.compile(rf"{_DIGIT}([.．]?)({_SPACE}+)(?={_DIGIT}|[万亿])")
_DIGIT_OR_POINT = frozenset("0123456789０１２３４５６７８９.．")
_LINE_END = frozenset("。！？!?：:；;…”’」』）)】》>|")
# a digit, maybe a point, then a space ({_DIGIT}[.．]?{_SPACE}), looked for from each kind of
# space (a literal: rx_first.search_any)
_SPACED_DIGIT = tuple(re.compile(rf"{s}(?:(?<={_DIGIT}{s})|(?<={_DIGIT}[.．]{s}))") for s in _SPACE[1:-1])
WRAP_SLACK, WRAP_MIN, WRAPS_MIN = 4, 24, 3  # a wrapped line is within 4 of the widest, 24 long or more
PADDED = 8  # a line opening with this many spaces is set right or centred (a signature, a page number): no measure of the page


def _number_spaces(raw: str) -> list[tuple[int, int]]:
    out = []
    for m in _GROUPED.finditer(raw):  # a space between groups of three only in a grouped number
        if (m.start() and raw[m.start() - 1] in _DIGIT_OR_POINT) or _PERCENT_NEXT.match(raw, m.end()):
            continue  # 12 100%, 600 652 108.7%: a flattened table's cells; no share is written in thousands
        out += [(i, i + 1) for i in range(m.start(), m.end()) if raw[i] in " \u3000\u00a0"]
    for m in _SPACE_AFTER_DIGIT.finditer(raw):
        after_point, (s, e) = m.group(1), m.span(2)
        if (raw[e] in "万亿") != bool(after_point):  # ４. ８万 (a point's space), 1.9 万人 (a magnitude's)
            out.append((s, e))
    return out


def _wrap_spans(raw: str) -> list[tuple[int, int]]:
    """The line breaks of a text copied from a PDF: lines as wide as the page (within
    WRAP_SLACK of the widest) that stop mid-sentence and go on in the next line. At least
    WRAPS_MIN of them, or none: a web page's paragraphs differ in length."""
    lines = raw.split("\n")
    widest = max((len(ln) for ln in lines if len(ln) - len(ln.lstrip()) < PADDED), default=0)
    spans, pos = [], 0
    for line, nxt in zip(lines, lines[1:]):
        pos += len(line)
        if (len(line) >= max(WRAP_MIN, widest - WRAP_SLACK) and line[-1] not in _LINE_END
                and nxt[:1].strip() and nxt[:1] not in "—-·•【[（("):
            spans.append((pos, pos + 1))
        pos += 1
    return spans if len(spans) >= WRAPS_MIN else []


def normalise(raw: str) -> Normalised:
    spans = sorted(m.span() for p in PINYIN_RES for m in p.finditer(raw))
    layout = _wrap_spans(raw) + (_number_spaces(raw) if search_any(_SPACED_DIGIT, raw) else [])
    if layout:
        spans = _merged(spans + layout)
    if spans:
        text, cuts, shifts = _drop_spans(raw, spans)
    else:
        text, cuts, shifts = raw, [], []
    text = fold(text)
    simplified = to_simplified(text)
    if len(simplified) != len(text):
        # OpenCC phrase tables may change a length in rare phrases; convert per character.
        simplified = "".join(to_simplified(ch) if len(to_simplified(ch)) == 1 else ch for ch in text)
    if ("〇" in simplified or "零" in simplified) and _CN_YEAR_OPENING.search(simplified):
        simplified = _CN_YEAR.sub(lambda m: m.group(0).translate(_CN_YEAR_DIGITS), simplified)
    if "。" in simplified:
        simplified = _read_spun_points(simplified)
    if not cannot_match(_SPUN, simplified):  # (its words each looked for with `in`)
        simplified = _SPUN.sub(lambda m: _SPUN_WORDS[m.group()], simplified)
    return Normalised(simplified, cuts, shifts)


# 贫穷产生率, 别离为: a spun copy's synonyms, read as the words they replaced (seeds/spun_words.csv;
# each of the same length, so offsets stay)
_SPUN_WORDS = {r["spun"]: r["word"] for r in lexicon.rows("spun_words") if len(r["spun"]) == len(r["word"])}
_SPUN = re.compile("|".join(map(re.escape, sorted(_SPUN_WORDS, key=len, reverse=True))))
