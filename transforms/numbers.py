"""Numbers and units as written in Chinese news text.

`find_quantities(text)` yields every number-with-unit candidate of a normalised (simplified,
ASCII-folded) text; `parse_number` reads Arabic and Chinese numerals. Nothing here raises on
arbitrary input (tests/test_numbers.py checks that with hypothesis).
"""
from __future__ import annotations

import re
from bisect import bisect_left
from decimal import Decimal
from dataclasses import dataclass
from functools import lru_cache

from fupin.transforms import lexicon
from fupin.transforms.rx_first import search_any


CN_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
CN_SMALL = {"十": 10, "百": 100, "千": 1000}
CN_BIG = {"万": 10_000, "亿": 100_000_000}
MAGNITUDES = {"万": 1e4, "亿": 1e8, "千": 1e3, "百万": 1e6, "千万": 1e7, "万亿": 1e12}


def parse_cn_integer(s: str) -> int | None:
    """十三 -> 13, 一千二百 -> 1200, 两 -> 2, 二〇一九 -> 2019; None when it is not a numeral."""
    if not s or any(ch not in CN_DIGITS and ch not in CN_SMALL and ch not in CN_BIG for ch in s):
        return None
    if all(ch in CN_DIGITS for ch in s) and len(s) > 1:  # digit-by-digit (二〇一九)
        return int("".join(str(CN_DIGITS[ch]) for ch in s))
    total, section, digit = 0, 0, None
    for ch in s:
        if ch in "零〇":
            continue  # a place holder: 三百零五
        if ch in CN_DIGITS:
            if digit is not None:  # two digits in a row without a unit: not a number we read
                return None
            digit = CN_DIGITS[ch]
        elif ch in CN_SMALL:
            section += (1 if digit is None else digit) * CN_SMALL[ch]
            digit = None
        else:
            section += digit or 0
            total = (total + section) * CN_BIG[ch] if ch == "亿" else total + section * CN_BIG[ch]
            section, digit = 0, None
    return total + section + (digit or 0)


def parse_number(s: str) -> float | None:
    """Arabic (1,200.5) or Chinese numerals (两万三千, 二十二点一)."""
    s = s.replace(",", "").strip()
    if not s:
        return None
    try:
        return float(s)
    except ValueError:
        whole, point, fraction = s.partition("点")
        v = 0 if whole in ("零", "〇") else parse_cn_integer(whole)
        if v is None or (point and not fraction):
            return None
        if fraction:
            if any(ch not in CN_DIGITS for ch in fraction):
                return None
            return float(f"{v}." + "".join(str(CN_DIGITS[ch]) for ch in fraction))
        return float(v)


@dataclass(frozen=True)
class UnitWord:
    surface: str
    unit_code: str
    factor: float  # multiply the number by this to reach the unit's base


@lru_cache(maxsize=1)
def unit_words() -> dict[str, UnitWord]:
    """seeds/unit_words.csv: the words that name a unit after a number."""
    return {r["surface"]: UnitWord(r["surface"], r["unit_code"], float(r["factor"] or 1))
            for r in lexicon.rows("unit_words")}


@lru_cache(maxsize=1)
def counted_nouns() -> list[tuple[str, str]]:
    """seeds/counted_nouns.csv: nouns that carry the unit when a 万/亿 number stands before
    them with no unit word (19.5万农户 -> household, 369.4万预警对象 -> person)."""
    rows = [(r["noun"], r["unit_code"]) for r in lexicon.rows("counted_nouns")]
    return sorted(rows, key=lambda r: -len(r[0]))


_ARABIC = r"\d+(?:,\d{3})*(?:\.\d+)?"
_CN_CHARS = "零〇一二两三四五六七八九十百千"
_CN = rf"[{_CN_CHARS}]+"
_CN_DIGIT_CHARS = "零〇一二两三四五六七八九"  # the digits after 点 (百分之二十二点一)
# A number (_ARABIC or _CN) written to begin with a character class: `re` then skips to
# the next digit or numeral in C instead of trying the pattern at every position. The
# class takes the first character; the look-behind says which kind of number goes on.
_NUM_HEAD = rf"[\d{_CN_CHARS}]"
_ARABIC_REST = r"(?<=\d)\d*(?:,\d{3})*(?:\.\d+)?"
_CN_REST = rf"(?<=[{_CN_CHARS}])[{_CN_CHARS}]*"


@lru_cache(maxsize=1)
def _unit_alt() -> str:
    """The unit words as one alternation, longest first."""
    return "|".join(map(re.escape, sorted(unit_words(), key=len, reverse=True)))


@lru_cache(maxsize=1)
def quantity_re() -> re.Pattern:
    unit_alt = _unit_alt()
    # Every match begins with a digit or numeral (百 of 百分之 is one): _NUM_HEAD takes it.
    # The number of the second branch is text[m.start():m.start("numend")].
    return re.compile(
        rf"{_NUM_HEAD}(?:(?<=百)分之(?P<pct>{_ARABIC}|{_CN}(?:点[{_CN_DIGIT_CHARS}]+)?)"
        # A Chinese numeral is a candidate only with a magnitude or unit after it: 一 and
        # 十 stand in countless words (进一步, 十分), and each candidate costs Python time.
        rf"|(?:(?:{_ARABIC_REST}|{_CN_REST}(?:点[{_CN_DIGIT_CHARS}]+|万[{_CN_CHARS}]+)?(?=(?:多|余)?(?:万|亿|千)?(?:多|余)? ?(?:{unit_alt}|万|亿)))(?P<numend>)(?P<q1>多|余)?(?P<mag>万亿|千万|百万|万|亿|千(?![米瓦克伏]))?(?P<q2>多|余)?"
        rf"(?P<sp> ?)(?P<unit>{unit_alt})?(?P<per>/(?:人|户|年|月|亩|头|个))?(?P<post>{_qual_alt('after')})?))"
    )


@dataclass
class Quantity:
    start: int  # span of number + unit in the searched text
    end: int
    number_text: str
    value: float  # as written (before 万/亿)
    value_base: float
    unit_code: str | None  # None: a 万/亿 number whose unit comes from the noun after it
    unit_surface: str
    qualifier: str
    is_chinese: bool
    per_unit: str | None
    magnitude: str | None


_QUAL_POST = {r["word"]: r["qualifier"] for r in lexicon.rows("qualifiers") if r["position"] == "after"}
_QUAL_PRE = {r["word"]: r["qualifier"] for r in lexicon.rows("qualifiers") if r["position"] == "before"}
_QUAL_PRE_RE = re.compile("(?:" + "|".join(sorted(_QUAL_PRE, key=len, reverse=True)) + ")$")


def _qual_alt(position: str) -> str:
    return "|".join(r["word"] for r in lexicon.rows("qualifiers") if r["position"] == position)


@lru_cache(maxsize=1)
def range_re() -> re.Pattern:
    unit_alt = _unit_alt()
    return re.compile(
        rf"(?P<a>{_NUM_HEAD}(?:{_ARABIC_REST}|{_CN_REST}))(?P<amag>万|亿|千)?(?P<aunit>{unit_alt})?(?:至|到|-|—|–|~|～)"
        rf"(?P<b>{_ARABIC}|{_CN})(?P<bmag>万亿|千万|百万|万|亿|千)?(?P<bunit>{unit_alt})"
    )


@lru_cache(maxsize=1)
def range_end_re() -> re.Pattern:
    """The end of every range (separator, number, unit). It begins with a character class,
    so `re` skips to it in C; range_matches uses it to place range_re."""
    unit_alt = _unit_alt()
    return re.compile(rf"[至到\-—–~～](?:{_ARABIC}|{_CN})(?:万亿|千万|百万|万|亿|千)?(?:{unit_alt})")


_SEPARATORS = "至到-—–~～"


@lru_cache(maxsize=1)
def _range_head_chars() -> frozenset[str] | None:
    """Every character a range's first part (number, 万/亿/千, unit word) can hold, besides
    decimal digits; None if a unit word holds a separator (then range_matches falls back)."""
    chars = set(_CN_CHARS) | set("万亿千,.") | set("".join(unit_words()))
    return None if chars & set(_SEPARATORS) else frozenset(chars)


def range_matches(text: str):
    """range_re().finditer(text), found without trying range_re at every number: the next
    range end (range_end_re, skipped to in C) fixes where a range can be -- it starts inside
    the run of number/unit characters just before that separator and ends where the range
    end ends -- and range_re is searched in that slice only. Tested equal to finditer."""
    head = _range_head_chars()
    if head is None:
        yield from range_re().finditer(text)
        return
    rng, ends = range_re(), range_end_re()
    pos = 0
    while (e := ends.search(text, pos)) is not None:
        sep = lo = e.start()
        while lo > pos and (text[lo - 1] in head or text[lo - 1].isdecimal()):
            lo -= 1
        m = rng.search(text, lo, e.end())
        if m is None:
            pos = sep + 1
        else:
            yield m
            pos = m.end()


def find_ranges(text: str):
    """3000-5000元, 3万至5万元: one quantity, read as its lower bound with `at_least`."""
    words = unit_words()
    for m in range_matches(text):
        a, b = parse_number(m.group("a")), parse_number(m.group("b"))
        if a is None or b is None:
            continue
        amag = m.group("amag") or m.group("bmag")
        unit = m.group("bunit")
        if m.group("aunit") and m.group("aunit") != unit:
            continue
        a_base = a * MAGNITUDES.get(amag or "", 1.0)
        b_base = b * MAGNITUDES.get(m.group("bmag") or "", 1.0)
        if not a_base < b_base:
            continue
        uw = words[unit]
        yield Quantity(m.start(), m.end(), m.group("a"), a, round(a_base * uw.factor, 6), uw.unit_code, unit,
                       "at_least", not m.group("a")[0].isdigit(), None, amag)


_CN_ONE_TO_TEN = "一二两三四五六七八九十"
# Shares and multiples in words are percents (GOLD.md): 增长近2倍 -> 200, 九成 -> 90, 一半 -> 50,
# 四分之三 -> 75, 3/4 -> 75.
SHARE_RE = re.compile(
    rf"(?P<times>{_ARABIC}|[{_CN_ONE_TO_TEN}]+(?:点[{_CN_DIGIT_CHARS}]+)?)倍"
    rf"|(?<![\d{_CN_ONE_TO_TEN}百千万])(?P<tenths>[1-9]|[一二两三四五六七八九])成(?!不变|员|为|立|功|本|果|绩|交|型|熟|长|效|就|都)"
    rf"|(?P<den>[{_CN_ONE_TO_TEN}]+)分之(?P<num>[{_CN_ONE_TO_TEN}]+)"
    r"|(?P<half>一半)"
    r"|(?<![\d/.])(?P<a>[1-9])/(?P<b>[1-9]\d?)(?![\d/.])"
)


_SHARE_MARK = re.compile(r"[倍成之半/]")  # every share ends with or holds one of these
SHARE_REACH = 12  # characters a share's number can stand before its mark


# What each mark needs just before it to be part of a share (SHARE_RE's branches: a number
# before 倍, a digit or numeral before 成, 分 before 之, 一 before 半, a digit before /): 成
# and 之 stand in countless words (完成, 之一), where SHARE_RE need not be searched.
_BEFORE_MARK = {"倍": _CN_ONE_TO_TEN, "成": "123456789一二两三四五六七八九", "之": "分", "半": "一", "/": "123456789"}


def _share_matches(text: str):
    """SHARE_RE's matches, searched only around the marks (a pattern opening with a group is
    tried at every position; the marks are found in C). A match yielded here holds the
    mark's position, so the mark is one of its own (no branch holds another's mark
    character), and stands where its branch puts it: after a character of _BEFORE_MARK."""
    pos = 0
    for mark in _SHARE_MARK.finditer(text):
        at = mark.start()
        before = text[at - 1:at]
        if not before or (before not in _BEFORE_MARK[text[at]] and not (text[at] == "倍" and before.isdecimal())):
            continue  # no share ends or turns here
        lo = max(pos, mark.start() - SHARE_REACH)
        if mark.start() < pos:
            continue
        m = SHARE_RE.search(text, lo, mark.end() + 3)
        while m is not None and m.end() <= mark.start():
            m = SHARE_RE.search(text, m.end(), mark.end() + 3)
        if m is not None and m.start() <= mark.start():
            yield m
            pos = m.end()


def find_shares(text: str):
    """倍, 成, 分之, 一半 and n/m: percents, with `value` as written (1.3倍 -> 1.3, 九成 -> 9,
    四分之三 -> 0.75) and value_base in percent."""
    for m in _share_matches(text):
        if m.group("times"):
            value = parse_number(m.group("times"))
            base = None if value is None else value * 100
        elif m.group("tenths"):
            value = parse_number(m.group("tenths"))
            base = None if value is None else value * 10
        elif m.group("den"):
            den, num = parse_cn_integer(m.group("den")), parse_cn_integer(m.group("num"))
            if not den or num is None or num > den or m.group("den") == "百":
                continue
            value = num / den
            base = 100 * value
        elif m.group("half"):
            value, base = 0.5, 50.0
        else:
            a, b = int(m.group("a")), int(m.group("b"))
            if a >= b:
                continue
            value, base = a / b, 100 * a / b
        if value is None or base is None:
            continue
        end, q = m.end(), "exact"
        post = next((w for w in _QUAL_POST if text.startswith(w, end)), None)
        if post:
            q = _QUAL_POST[post]
        yield Quantity(m.start(), end, m.group(0), round(value, 6), round(base, 6), "percent", "", q,
                       not m.group(0)[0].isdigit(), None, None)


@lru_cache(maxsize=1)
def _ratio_re() -> re.Pattern:
    """A ratio's name (seeds/nouns_before.csv rows of unit ratio: 倍差, 比值, 收入比), then within
    six characters a number written with no unit at all (城乡居民收入比为2.93, 倍差缩小至1.86)."""
    names = "|".join(re.escape(r["pattern"]) for r in lexicon.rows("nouns_before") if r["unit_code"] == "ratio")
    # 收入比由2015年的2.60缩小到2.50: the year a ratio was of may stand between
    return re.compile(rf"(?:{names})(?:[^,;。，；\d]{{0,6}}?|[^,;。，；\d]{{0,3}}?(?:19|20)\d\d年(?:底|末)?的)"
                      rf"(?P<n>\d+\.\d+|\d)(?![\d.%％:：万亿千百十]|\s?(?!{_RATIO_MOVES})[\u4e00-\u9fff])")


# 收入比由3.26缩小到3.20, 收入比为2.51，比上年缩小0.07: where a ratio goes, and by how much, after it
_RATIO_MOVES = "缩小|下降|降低|扩大|提高|收窄"
_RATIO_NEXT = re.compile(rf"(?:[，,]?比上年(?:同期)?)?(?:{_RATIO_MOVES})(?:到|至|为)?(?:(?:19|20)\d\d年(?:底|末)?的)?(?P<n>\d+\.\d+|\d)(?![\d.%％:：万亿千百十]|\s?[\u4e00-\u9fff])")


@lru_cache(maxsize=1)
def _table_row_re() -> re.Pattern:
    """人均可支配收入(元)<TAB>9377: a table's row, its unit in brackets after its label."""
    return re.compile(rf"^[ \t]*[\u4e00-\u9fff][^\t\n()（）]{{1,30}}[(（](?P<unit>{_unit_alt()}|%|万|亿)[)）][\t ]+"
                      rf"(?P<n>\d[\d,]*(?:\.\d+)?)[ \t]*$", re.MULTILINE)


@lru_cache(maxsize=1)
def _shared_unit_re() -> re.Pattern:
    """下降0.6、1.5和2.2个百分点: numbers listed before the one that carries their unit (each may
    carry its own magnitude: 分别承担2.1万、3.2万、1.3万人)."""
    return re.compile(rf"{_ARABIC}(?:万|亿)?(?:(?:、|和|及|与){_ARABIC}(?:万|亿)?)*(?:、|和|及|与){_ARABIC}"
                      rf"(?P<mag>万|亿)?(?P<unit>{_unit_alt()})")


# every table row holds one ([)）][\t ]+\d), every list of numbers one (\d[万亿]?[、和及与]\d): looked
# for first, from each literal (rx_first.search_any)
_ROW_END = tuple(re.compile(rf"{re.escape(b)}[\t ]+\d") for b in ")）")
_LISTED_NUMBER = tuple(re.compile(rf"{w}(?:(?<=\d{w})|(?<=\d万{w})|(?<=\d亿{w}))(?=\d)") for w in "、和及与")


def find_table_rows(text: str):
    if not search_any(_ROW_END, text):
        return
    words = unit_words()
    for m in _table_row_re().finditer(text):
        unit, num = m.group("unit"), m.group("n")
        value = parse_number(num)
        if value is None:
            continue
        if unit == "%":
            yield Quantity(m.start("n"), m.end("n"), num, value, value, "percent", "%", "exact", False, None, None)
        elif unit in MAGNITUDES or unit in words:
            uw = words.get(unit)
            base = _scaled(value, MAGNITUDES.get(unit, 1.0), uw.factor if uw else 1.0)
            yield Quantity(m.start("n"), m.end("n"), num, value, base, uw.unit_code if uw else None, unit, "exact",
                           False, None, unit if unit in MAGNITUDES else None)


_UNIT_HEADER = re.compile(r"^(?:计量)?单位$")
_PERCENT_HEADER = re.compile(r"[(（]%[)）]|率")


def find_unit_column_rows(text: str):
    """指标<TAB>单位<TAB>年度计划<TAB>实际完成<TAB>完成率(%) over rows 贫困人口脱贫<TAB>人<TAB>30000<TAB>32146<TAB>107.2:
    a table whose header names a unit column; each number of a row is in the row's unit, or
    in percent under a header of a rate (率, (%))."""
    if "单位\t" not in text:
        return
    words, header, pos = unit_words(), None, 0
    for line in text.splitlines(keepends=True):
        cells = line.rstrip("\n").split("\t")
        if header is not None and len(cells) == len(header):
            unit = cells[header.index("unit")].strip()
            uw = words.get(unit)
            mag = MAGNITUDES.get(unit[:1]) if unit[:1] in MAGNITUDES else None
            if mag and unit[1:] in words:
                uw = words[unit[1:]]
            start = pos  # cells split on single tabs: each starts one past the one before
            for cell, kind in zip(cells, header):
                n, s = cell.strip(), start + len(cell) - len(cell.lstrip())
                start += len(cell) + 1
                value = parse_number(n) if kind in ("number", "percent") else None
                if value is None:
                    continue
                if kind == "percent":
                    yield Quantity(s, s + len(n), n, value, value, "percent", "%", "exact", False, None, None)
                elif uw is not None:
                    base = _scaled(value, mag or 1.0, uw.factor)
                    yield Quantity(s, s + len(n), n, value, base, uw.unit_code, unit, "exact", False, None,
                                   unit[:1] if mag else None)
        else:
            header = None
            if len(cells) >= 3 and any(_UNIT_HEADER.match(c.strip()) for c in cells):
                header = ["unit" if _UNIT_HEADER.match(c.strip()) else "percent" if _PERCENT_HEADER.search(c)
                          else "number" for c in cells]
                header[0] = "label"
        pos += len(line)


_UNIT_CAPTION = re.compile(r"^[ \t\u3000]*[(（]?单位[:：]\s*(?P<unit>[^\s)）]{1,4})[)）]?[ \t\u3000]*$", re.M)
_CAPTION_WORD = "单位"


def unit_captions(text: str, start: int = 0, end: int | None = None):
    """_UNIT_CAPTION.finditer(text, start, end), tried only at the start of each line holding
    单位: a caption holds it on its first line, and `re` would try the ^ at every position
    (a whole text's scan for each table row's fact)."""
    end = len(text) if end is None else end
    pos = start
    while (word := text.find(_CAPTION_WORD, pos, end)) >= 0:
        line_start = text.rfind("\n", 0, word) + 1
        m = _UNIT_CAPTION.match(text, line_start, end) if line_start >= pos else None
        if m is not None:
            yield m
        pos = m.end() if m is not None else word + 1
# a row of such a table: a label, a gap of tabs or wide spaces, a number ending the line
_CAPTION_ROW = re.compile(r"^[^\t\u3000\n]{1,20}?(?:\t|\u3000{2,}| {2,})+(?P<n>\d[\d,]*(?:\.\d+)?)[ \t\u3000]*$", re.M)


def find_caption_unit_rows(text: str):
    """单位：万元 over the rows 从江县<spaces>6935: a table whose caption names the unit; each
    row's number at the end of its line is in that unit, down to the first blank line."""
    if "单位" not in text:
        return
    words = unit_words()
    for cap in unit_captions(text):
        unit = cap.group("unit")
        mag = MAGNITUDES.get(unit[:1]) if len(unit) > 1 else None
        uw = words.get(unit[1:] if mag else unit)
        if uw is None:
            continue
        end = text.find("\n\n", cap.end())
        for m in _CAPTION_ROW.finditer(text, cap.end(), len(text) if end < 0 else end):
            value = parse_number(m.group("n"))
            if value is not None:
                yield Quantity(m.start("n"), m.end("n"), m.group("n"), value, _scaled(value, mag or 1.0, uw.factor),
                               uw.unit_code, unit, "exact", False, None, unit[:1] if mag else None)


def caption_title_span(text: str, pos: int) -> tuple[int, int] | None:
    """The title line above the unit caption of the table whose row holds pos (…补助资金分配表
    over 单位：万元), as find_caption_unit_rows reads such tables; None elsewhere."""
    para = text.rfind("\n\n", 0, pos)
    cap = None
    for m in unit_captions(text, para + 1 if para >= 0 else 0, pos):
        cap = m
    if cap is None or cap.start() == 0:
        return None
    start = text.rfind("\n", 0, cap.start() - 1) + 1
    return start, cap.start() - 1


def table_header_cell(text: str, pos: int) -> str | None:
    """The header of the table column holding pos (a tab-separated row under a header line
    that names a unit column, as find_unit_column_rows reads): 年度计划 for 30000 in
    贫困人口脱贫<TAB>人<TAB>30000<TAB>32146. None outside such a table."""
    line_start = text.rfind("\n", 0, pos) + 1
    line_end = text.find("\n", pos)
    line = text[line_start:len(text) if line_end < 0 else line_end]
    if "\t" not in line:
        return None
    column = text.count("\t", line_start, pos)
    end = line_start - 1
    while end > 0:
        start = text.rfind("\n", 0, end) + 1
        cells = text[start:end].split("\t")
        if len(cells) != line.count("\t") + 1:
            return None
        if any(_UNIT_HEADER.match(c.strip()) for c in cells):
            return cells[column].strip()
        end = start - 1
    return None


def find_shared_units(text: str):
    """The numbers before the last of such a list, each with the list's unit (the last one is
    read as any number with its unit)."""
    if not search_any(_LISTED_NUMBER, text):
        return
    words = unit_words()
    for m in _shared_unit_re().finditer(text):
        if m.start() and text[m.start() - 1] in "0123456789.":
            continue  # inside a longer number (the pattern opens with a digit, not a look-behind: scanned in C)
        uw, mag = words[m.group("unit")], m.group("mag")
        body = text[m.start():m.start("mag") if mag else m.start("unit")]
        pos = m.start()
        for part in re.split("(?:、|和|及|与)", body)[:-1]:
            own = part[-1] if part[-1:] in ("万", "亿") else None  # 2.1万、…1.3万人: its own magnitude
            value = parse_number(part[:-1] if own else part)
            if value is not None:
                m_of = own or mag
                base = _scaled(value, MAGNITUDES[m_of] if m_of else 1.0, uw.factor)
                yield Quantity(pos, pos + len(part), part, value, base, uw.unit_code, "", "exact", False, None, m_of)
            pos += len(part) + 1


# 错退率均为0, 贫困发生率降至零: a rate brought to nothing, written with no % (a percent of 0)
_ZERO_RATE = re.compile(r"率(?:均|都|已)?(?:为|是|降至|降到|降为|下降到|下降至|下降为|减少到|归)(?P<n>0|零)(?![\d.%％:：]|\s?[\u4e00-\u9fff])")


def find_zero_rates(text: str):
    if "率" not in text:
        return
    for m in _ZERO_RATE.finditer(text):
        yield Quantity(m.start("n"), m.end("n"), m.group("n"), 0.0, 0.0, "percent", "", "exact", False, None, None)


def find_ratios(text: str):
    for m in _ratio_re().finditer(text):
        v = float(m.group("n"))
        yield Quantity(m.start("n"), m.end("n"), m.group("n"), v, v, "ratio", "", "exact", False, None, None)
        if nxt := _RATIO_NEXT.match(text, m.end("n")):
            v = float(nxt.group("n"))
            yield Quantity(nxt.start("n"), nxt.end("n"), nxt.group("n"), v, v, "ratio", "", "exact", False, None, None)


# 旗县 贫困嘎查村(个) 贫困户(户) 贫困人口(人) 贫困发生率(%) 四子王旗 78 9856 21430 15.8 …: a table
# flattened into a line of space-separated cells, its header naming each column's unit
_FLAT_GAP = r"[ \t\u3000]+"
_FLAT_COLUMN = re.compile(r"[\u4e00-\u9fff][^\s()（）\d]{0,11}[(（](?P<unit>[^()（）\s\d]{1,4})[)）]")
_FLAT_HEADER = re.compile(rf"(?<![^\s：:])[\u4e00-\u9fff]{{1,6}}(?:{_FLAT_GAP}{_FLAT_COLUMN.pattern.replace('?P<unit>', '?:')}){{2,}}")
_FLAT_LABEL = re.compile(rf"{_FLAT_GAP}(?P<label>[^\s\d—－\-/][^\s\d]{{0,11}})")
_CELL = r"\d[\d,]*(?:\.\d+)?|—|－|-|/"  # a table cell's number, or the dash or slash of none
_FLAT_CELL = re.compile(rf"{_FLAT_GAP}(?P<cell>{_CELL})(?=\s|$)")


_COLUMN_THEN_GAP = tuple(re.compile(rf"{re.escape(b)}[ \t\u3000]+[\u4e00-\u9fff]") for b in ")）")  # [)）]…


def _column_unit(unit: str) -> tuple[str, float, str | None] | None:
    """(unit code, factor to the base, magnitude) of a header's bracketed unit: 人, %, 万元."""
    if unit in ("%", "％"):
        return "percent", 1.0, None
    words = unit_words()
    mag = unit[:1] if unit[:1] in MAGNITUDES and unit[1:] in words else None
    uw = words.get(unit[1:] if mag else unit)
    return (uw.unit_code, (MAGNITUDES[mag] if mag else 1.0) * uw.factor, mag) if uw else None


@dataclass(frozen=True)
class FlatCell:
    match: re.Match  # the cell's number
    table: int  # where its table's header starts
    label: str  # its row's label (四子王旗, 合计)
    label_at: int  # where the label starts
    column: tuple[int, int]  # its column's header (贫困人口(人))
    unit: tuple[str, float, str | None] | None


def flat_table_cells(text: str) -> list[FlatCell]:
    """The cells of the flattened tables of a text: each row a label and one number (or —) per
    column; rows are read until one does not fit the header."""
    if not search_any(_COLUMN_THEN_GAP, text):
        return []  # every header holds a bracketed unit then a gap: most texts hold none
    out = []
    for head in _FLAT_HEADER.finditer(text):
        columns = list(_FLAT_COLUMN.finditer(text, head.start(), head.end()))
        units = [_column_unit(m.group("unit")) for m in columns]
        pos = head.end()
        while (label := _FLAT_LABEL.match(text, pos)) is not None:
            cells, at = [], label.end()
            for _ in columns:
                if (cell := _FLAT_CELL.match(text, at)) is None:
                    break
                cells.append(cell)
                at = cell.end()
            if len(cells) != len(columns):
                break
            out += [FlatCell(c, head.start(), label.group("label"), label.start("label"), col.span(), u)
                    for c, col, u in zip(cells, columns, units)]
            pos = at
    return out


# 年份  贫困人口(万人)  贫困发生率(%) over rows 2015  9.45  25.86; 单位:户、人、个 over 旗县市  脱贫户数  脱贫人口…;
# 项目类别｜项目数（个）｜资金（万元）: a table one row a line, its cells set apart by two or more spaces
# (or tabs, wide spaces, bars)
_ALIGNED_GAP = re.compile(r"[ \u3000]{2,}|\t+|\u3000|[ \u3000]*[｜|][ \u3000]*")
_CELL_NUMBER = re.compile(rf"(?P<cell>{_CELL})")
_INDEX_CELL = re.compile(r"\d{1,2}")  # 序号: 1, 2, 3 …
_CAPTION_UNITS = re.compile(r"单位[:：]\s*(?P<units>[^\s)）、，,]{1,4}(?:[、，,][^\s)）、，,]{1,4})*)")
_BRACKETED_UNIT = re.compile(r"[(（](?P<unit>[^()（）\s\d]{1,4})[)）]$")
CAPTION_LINES = 3  # lines above a header (blank ones not counted) where its unit caption may stand


def _aligned_cells(line: str, start: int) -> list[tuple[int, str]]:
    """(offset, text) of a line's cells; a label spaced out to align (全  盟, 合  计) is one cell."""
    cells, pos = [], 0
    for gap in _ALIGNED_GAP.finditer(line):
        if gap.start() > pos:
            cells.append((start + pos, line[pos:gap.start()]))
        pos = gap.end()
    if pos < len(line.rstrip()):
        cells.append((start + pos, line[pos:].rstrip()))
    while len(cells) > 2 and all(len(c) == 1 and "\u4e00" <= c <= "\u9fff" for _, c in cells[:2]):
        cells[:2] = [(cells[0][0], cells[0][1] + cells[1][1])]
    return cells


def _caption_units(lines: list[tuple[int, str]], header: int) -> list[str] | None:
    """The units a caption above the header lists (单位:户、人、个; （单位：万元）), if any."""
    seen = 0
    for i in range(header - 1, -1, -1):
        line = lines[i][1]
        if not line.strip():
            continue
        if m := _CAPTION_UNITS.search(line):
            return re.split("[、，,]", m.group("units"))
        seen += 1
        if seen >= CAPTION_LINES:
            break
    return None


def aligned_table_cells(text: str) -> list[FlatCell]:
    """The cells of a text's aligned tables: a header line of three or more cells, then rows of
    as many cells. A row's label is its first cell (its second under an index column, 序号);
    a column whose every row holds a number (or —) is of the unit in brackets in its header,
    else of the caption's (单位:户、人、个 by column, or one unit for all). Rows are read down to
    the first line that does not fit."""
    if "  " not in text and "\t" not in text and "\u3000" not in text and "｜" not in text and "|" not in text:
        return []
    out: list[FlatCell] = []
    lines, pos = [], 0
    for line in text.split("\n"):
        lines.append((pos, line))
        pos += len(line) + 1
    i = 0
    while i < len(lines):
        start, line = lines[i]
        header = _aligned_cells(line, start) if _ALIGNED_GAP.search(line) else []
        h = i
        i += 1
        if len(header) < 3 or any(ch.isdigit() for _, c in header if not YEAR_LABEL.fullmatch(c) for ch in c):
            continue  # 指标名称  2024年  比上年增减: a column may be headed by its year
        rows = []
        while i < len(lines) and len(row := _aligned_cells(lines[i][1], lines[i][0])) == len(header):
            rows.append(row)
            i += 1
        if not rows:
            continue
        label = 1 if all(_INDEX_CELL.fullmatch(r[0][1]) for r in rows) else 0
        numeric = [k for k in range(label + 1, len(header)) if all(_CELL_NUMBER.fullmatch(r[k][1]) for r in rows)]
        if not numeric or any(_CELL_NUMBER.fullmatch(r[label][1]) and not YEAR_LABEL.fullmatch(r[label][1]) for r in rows):
            continue
        caption = _caption_units(lines, h)
        if caption and len(caption) == 1:
            caption = caption * len(numeric)
        units = {}
        for n, k in enumerate(numeric):
            m = _BRACKETED_UNIT.search(header[k][1])
            word = m.group("unit") if m else (caption[n] if caption and len(caption) == len(numeric) else None)
            units[k] = _column_unit(word) if word else None
        unit_column = next((k for k, (_, c) in enumerate(header) if _UNIT_HEADER.match(c.strip())), None)
        for row in rows:
            # 脱贫人口务工就业（万人）  290.5, 农村贫困人口 | 万人 | 96.2: a row's label or its unit column
            # may give its unit, where its column gives none
            row_unit = (_column_unit(m.group("unit")) if (m := _BRACKETED_UNIT.search(row[label][1]))
                        else _column_unit(row[unit_column][1]) if unit_column is not None else None)
            for k, unit in units.items():
                if (unit := unit or row_unit) is None:
                    continue
                at, cell = row[k]
                m = _CELL_NUMBER.fullmatch(text, at, at + len(cell))
                col = header[k]
                out.append(FlatCell(m, start, row[label][1], row[label][0], (col[0], col[0] + len(col[1])), unit))
    return out


YEAR_LABEL = re.compile(r"((?:19|20)\d\d)年?")  # a table's row or column of a year: 2015, 2024年


def table_cells(text: str) -> list[FlatCell]:
    """The cells of the text's flattened and aligned tables."""
    return flat_table_cells(text) + aligned_table_cells(text)


def find_flat_table_rows(text: str):
    """The numbers of flattened and aligned tables' cells, each in its column's unit."""
    for cell in table_cells(text):
        value = parse_number(cell.match.group("cell").replace(",", ""))
        if value is None or cell.unit is None:
            continue
        code, factor, mag = cell.unit
        yield Quantity(cell.match.start("cell"), cell.match.end("cell"), cell.match.group("cell"), value,
                       _scaled(value, factor, 1.0), code, "", "exact", False, None, mag)


def _read_by_own_patterns(text: str) -> list[Quantity]:
    """The quantities read by their own patterns (ranges, shares and multiples, ratios, table
    rows, numbers sharing a unit), first: a number inside one of them is not read again."""
    found = list(find_ranges(text))
    for sh in find_shares(text):
        if not any(f.start < sh.end and sh.start < f.end for f in found):
            found.append(sh)
    found += find_ratios(text)
    found += find_zero_rates(text)
    for q in (*find_table_rows(text), *find_unit_column_rows(text), *find_caption_unit_rows(text),
              *find_flat_table_rows(text), *find_shared_units(text)):
        if not any(f.start < q.end and q.start < f.end for f in found):
            found.append(q)
    return found


def find_quantities(text: str):
    """Candidate quantities, before any decision whether they are facts."""
    words = unit_words()
    found = _read_by_own_patterns(text)
    yield from found
    taken = [(f.start, f.end) for f in found]
    # the spans taken are disjoint and none is empty: sorted, a match overlaps one iff the last
    # span starting before the match's end ends after the match's start (a bisect, not a scan)
    taken.sort()
    taken_starts, taken_ends = [s for s, _ in taken], [e for _, e in taken]
    for m in quantity_re().finditer(text):
        start, m_end = m.span()
        if taken:
            i = bisect_left(taken_starts, m_end) - 1
            if i >= 0 and taken_ends[i] > start:
                continue
        pct, unit, mag, q1, q2, per, post = m.group("pct", "unit", "mag", "q1", "q2", "per", "post")
        try:
            if pct is not None:
                v = parse_number(pct)
                if v is None:
                    continue
                yield Quantity(start, m_end, pct, v, v, "percent", "百分之", "exact", not pct[0].isdigit(), None, None)
                continue
            if not unit and not mag:
                continue
            num = text[start:m.start("numend")]
            is_cn = not num[0].isdigit()
            if is_cn and mag == "千" and not unit:
                continue
            value = parse_number(num)
            if value is None:
                continue
            if is_cn and mag:  # 十万 as one Chinese numeral
                value = value * MAGNITUDES[mag]
                mag = None
            end = m.end("unit") if unit else (m.end("q2") if q2 else m.end("mag"))
            if per:
                end = m.end("per")
            q = "more_than" if (q1 or q2) else "exact"
            if post == "左右":
                end = m.end("post")  # 5000元左右: the qualifier is part of the written amount
            if post and q == "exact":
                q = _QUAL_POST[post]
            elif unit and (post == "多" or "多" in unit[1:]):
                q = "more_than"  # 3个多百分点: 多 written inside the unit words
            uw = words.get(unit) if unit else None
            if mag or (uw and uw.factor != 1.0):
                base = _scaled(value, MAGNITUDES[mag] if mag else 1.0, uw.factor if uw else 1.0)
            else:
                base = value
            yield Quantity(start, end, num, value, base, uw.unit_code if uw else None, unit or "", q, is_cn, per, mag)
        except (ValueError, OverflowError, KeyError, ArithmeticError):
            continue


@lru_cache(maxsize=4096)
def _scaled(value: float, magnitude: float, factor: float) -> float:
    """value x magnitude x factor in Decimal arithmetic: 64.1亿 is 6410000000, not
    6409999999.999999. Memoised: an article repeats its amounts and units."""
    return float(Decimal(repr(value)) * Decimal(repr(magnitude)) * Decimal(repr(factor)))


def prefix_qualifier(text: str, start: int) -> str | None:
    """Qualifier words written just before a number (约, 近, 超过, 不到, 最高 ...)."""
    m = _QUAL_PRE_RE.search(text[max(0, start - 3):start])
    return _QUAL_PRE[m.group(0)] if m else None
