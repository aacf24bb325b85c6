"""When a quantity is from: year cues in the text and how a reader resolves them (GOLD.md, Years).

Cue kinds:
  topic       an explicit year that frames what follows (2019年, / 截至2019年底 / 2023年度)
  relative    去年 / 前年 (a topic too, relative to the publication year)
  current     今年 / 年内 / 目前 ... -> the publication year, for its sentence
  since       ...以来 (cumulative status at publication) -> the publication year, for its sentence
  comparison  比2022年增长 -> the year after, for what follows in the clause
  target      到2020年 / 2020年前 -> that year, and the quantity is a target
  data        数据显示 with no year -> the latest year the article reports
A year written as `2015年的2.55%` binds only the number right after it.
"""
from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from functools import lru_cache
from operator import attrgetter

from fupin.transforms import lexicon
from fupin.transforms.layout import WINDOW, Layout
from fupin.transforms.numbers import SHARE_RE, parse_cn_integer
from fupin.transforms.rx_first import MultiScanner, cannot_match, first_chars

YEAR = r"(?:19[5-9]\d|20[0-4]\d)"
PRE_COMPARE = lexicon.words("year_cues", "pre_compare")
PRE_TARGET = lexicon.words("year_cues", "pre_target")
POST_SINCE = lexicon.words("year_cues", "post_since")
POST_TARGET_RE = re.compile(f"(?:{lexicon.alternation('year_cues', 'post_target')})")
POST_BOUND = lexicon.words("year_cues", "post_bound")
EXPLICIT_RE = re.compile(
    rf"(?P<pre>{lexicon.alternation('year_cues', 'pre_until', 'pre_target', 'pre_compare')})?(?P<y>{YEAR})\s*年"
    r"(?P<md>(?:\d{1,2}月(?:\d{1,2}日)?(?:份)?)?)"
    rf"(?P<post>{lexicon.alternation('year_cues', 'post_since', 'post_target', 'post_period', 'post_bound')})?"
)
# What find_cues runs: EXPLICIT_RE without its optional first word, which made `re` try the
# pattern at every position; the word is read back from the text before the year (the
# longest that fits after the previous match: what finditer's leftmost match would take).
_EXPLICIT_TAIL_RE = re.compile(EXPLICIT_RE.pattern[EXPLICIT_RE.pattern.index("(?P<y>"):])
_PRE_WORDS = sorted(re.search(r"\(\?P<pre>([^)]*)\)", EXPLICIT_RE.pattern).group(1).split("|"), key=len, reverse=True)
_RELATIVE_KINDS = (
    ("since", lexicon.alternation("year_cues", "since")),
    ("rel", lexicon.alternation("year_cues", "relative_1", "relative_2", "relative_ahead")),
    ("cur", lexicon.alternation("year_cues", "current")),
    ("data", lexicon.alternation("year_cues", "data")),
)
_TWO_YEARS_BACK = lexicon.words("year_cues", "relative_2")
_YEAR_AHEAD = lexicon.words("year_cues", "relative_ahead")


def years_back(word: str) -> int:
    """去年 1, 前年 2, 明年 -1: how many years before publication a relative word names."""
    return 2 if word in _TWO_YEARS_BACK else -1 if word in _YEAR_AHEAD else 1

RELATIVE_RE = re.compile("|".join(f"(?P<{k}>{p})" for k, p in _RELATIVE_KINDS))
# The same alternatives in the same order without the named groups around them: every one
# begins with a literal, so `re` skips to their first characters in C. The kind is the
# first group whose words match the whole found text (the one RELATIVE_RE would report).
_RELATIVE_FLAT_RE = re.compile("|".join(p for _, p in _RELATIVE_KINDS))
_RELATIVE_WHOLE = tuple((k, re.compile(p)) for k, p in _RELATIVE_KINDS)


def explicit_matches(text: str):
    """(start, end, pre, match of _EXPLICIT_TAIL_RE) for every EXPLICIT_RE.finditer match."""
    prev_end = 0
    for m in _EXPLICIT_TAIL_RE.finditer(text):
        ys = m.start()
        pre = next((w for w in _PRE_WORDS if ys - len(w) >= prev_end and text.startswith(w, ys - len(w))), "")
        prev_end = m.end()
        yield ys - len(pre), prev_end, pre, m


# The since row 二十年来 / 20年来 opens with a look-behind and a class of numerals: in one
# alternation with the others it made `re` try every position of the text. It is searched
# on its own where a 年来 / 年以来 stands, the others (each opening with a literal) together,
# and the two merged: no position can begin both (their first characters differ), so the
# merge is the alternation's own finditer. Another shape of the rows: the plain finditer.
_NUMERAL_SINCE = r"(?<![\d〇零])(?:[1-9]\d?|[一二两三四五六七八九十]+)年(?:来|以来)"
_CN_NUMERALS = "一二两三四五六七八九十"
_NUMERAL_SINCE_RE = re.compile(_NUMERAL_SINCE)
_NIAN_LAI = re.compile("年(?=来|以来)")
_REL_WORDS = [w for _, roles in (("since", ("since",)), ("rel", ("relative_1", "relative_2", "relative_ahead")), ("cur", ("current",)),
                                 ("data", ("data",))) for w in lexicon.words("year_cues", *roles)]
_REL_OTHERS_RE = re.compile("|".join(w for w in _REL_WORDS if w != _NUMERAL_SINCE))
_REL_SPLIT = ("|".join(_REL_WORDS) == _RELATIVE_FLAT_RE.pattern and _NUMERAL_SINCE in _REL_WORDS
              and (first_chars(_REL_OTHERS_RE) or set(_CN_NUMERALS)).isdisjoint(set(_CN_NUMERALS) | set("123456789")))


def _numeral_since(text: str, pos: int) -> re.Match | None:
    """_NUMERAL_SINCE_RE.search(text, pos), tried only before a 年来 / 年以来: a match is a run
    of digits or numerals ending at its 年."""
    for a in _NIAN_LAI.finditer(text, pos):
        y = p = a.start()
        while p > pos and (text[p - 1].isdecimal() or text[p - 1] in _CN_NUMERALS):
            p -= 1
        m = _NUMERAL_SINCE_RE.search(text, p, y + 3) if p < y else None
        if m is not None:
            return m
    return None


def _relative_flat(text: str):
    """_RELATIVE_FLAT_RE.finditer(text)."""
    if not _REL_SPLIT:
        yield from _RELATIVE_FLAT_RE.finditer(text)
        return
    a, b = _REL_OTHERS_RE.search(text), _numeral_since(text, 0)
    while a is not None or b is not None:
        m = a if b is None or (a is not None and a.start() < b.start()) else b
        yield m
        pos = m.end()
        if a is not None and a.start() < pos:
            a = _REL_OTHERS_RE.search(text, pos)
        if b is not None and b.start() < pos:
            b = _numeral_since(text, pos)


def relative_matches(text: str):
    """(start, end, kind, found text) for every RELATIVE_RE.finditer match; kind is the name
    of its group."""
    for m in _relative_flat(text):
        found = m.group()
        yield m.start(), m.end(), next(k for k, rx in _RELATIVE_WHOLE if rx.fullmatch(found)), found
_COMPARED_BEFORE = re.compile(f"(?:{'|'.join(PRE_COMPARE)})$")
LOCAL_YEAR_RE = re.compile(rf"({YEAR})年(?:底|末|初)?的")
LOCAL_BEFORE_RE = re.compile(rf"({YEAR})年(?:\d{{1,2}}月)?(?:底|末|初)?的(?:约|近|超过)?$"
                             # 从2021年6000元提至…: a change's from-year needs no 的
                             rf"|(?:从|由)({YEAR})年(?:底|末)?$"
                             # 比2017年(10.7%)提高1.9个百分点: the year's own figure in brackets
                             rf"|({YEAR})年(?:底|末)?[(（]$"
                             # 由2014年的23275户77350人: the persons after the households share their year
                             rf"|({YEAR})年(?:底|末)?的(?:约|近)?[\d.]+万?户$"
                             # 2016年认定的234个, 2019年底剩余的312户: a year bound by a verb and 的
                             rf"|({YEAR})年(?:底|末)?(?!以来)[\u4e00-\u9fff]{{2,4}}的(?:约|近|超过)?(?:[\d.]+万?户)?$")
# Every LOCAL_BEFORE_RE match ends its window with one of these (的, 约/近/超过 after it,
# 年/底/末 after 从/由, a bracket, 户 of a households count), or stands before a final newline (`$`): tested first, as
# the pattern opens with groups and `re` tries it at every position of the window.
_LOCAL_LAST = frozenset("的约近过年底末(（户")


def _may_end_local(window: str) -> bool:
    return window[-1:] in _LOCAL_LAST or (window[-1:] == "\n" and window[-2:-1] in _LOCAL_LAST)


# 由去年的18.8亿元增加到48.8亿元: a relative year bound to the number after it only.
# 去年的18.8亿元, 上年末剩余的2.1万贫困人口: a relative year bound to the one number after its 的
_RELATIVE_BOUND_BEFORE = re.compile(
    f"({lexicon.alternation('year_cues', 'relative_1', 'relative_2', 'relative_ahead')})"
    "(?:(?:底|末|全年|同期)?|(?:底|末)[\u4e00-\u9fff]{1,3})的(?:约|近|超过)?$")
_YEAR_OF_ONE_AFTER = re.compile(r"[\u4e00-\u9fff]{2,4}的(?:\d|[一二两三四五六七八九十]+[个万])")
_BASE_OF_SHARE_AFTER = re.compile(r"[^，,。；;！？\d]{0,10}(?:总数|总量|总额|总和|规模|人数)的(?:近|约|超过)?\d+(?:\.\d+)?(?:%|％|倍)")
_RELATIVE_BOUND = re.compile(f"(?:{lexicon.alternation('year_cues', 'relative_1', 'relative_2', 'relative_ahead')})"
                             "(?:(?:底|末|全年|同期)?的|(?:底|末)[\u4e00-\u9fff]{1,3}的(?=[0-9约近超]))")


@dataclass(frozen=True, slots=True)  # slots: made ~2x faster than with a __dict__, read as fast
class Cue:
    start: int
    end: int
    kind: str
    year: int | None  # for relative/current/since/data: resolved later against the publication year
    offset: int = 0  # relative: years before publication
    closed: bool = False  # reports year as over (截至2019年底, 2018年全省减贫…): written after it
    frames: bool = True  # may date what follows in its section (2017年,…); 截至2019年 states one status
    first: int | None = None  # a named period's first year (十三五期间: 2016); a since cue's start year
    named: bool = False  # a named period (seeds/named_periods.csv), not a written year
    status_month: bool = False  # 至2019年7月, 截至2019年10月底 with no target words: a status at a month of that year


def find_cues(text: str, title_spans: list[tuple[int, int]]) -> list[Cue]:
    """Every year cue outside document titles (《…》), in text order."""
    spans = sorted(title_spans)
    starts = [sp[0] for sp in spans]

    def in_title(p: int) -> bool:
        k = bisect_right(starts, p) - 1
        return k >= 0 and spans[k][0] <= p < spans[k][1]

    cues = []
    for start, end, pre, m in explicit_matches(text):
        if in_title(m.start()):
            continue
        y, post, md = int(m.group("y")), m.group("post") or "", m.group("md")
        if (post in POST_BOUND or text[end:end + 1] in POST_BOUND) and not md:
            continue  # 2015年的 / 2012年末的: binds one number only (LOCAL_BEFORE_RE)
        if _YEAR_OF_ONE_AFTER.match(text, end) and not md:
            continue  # 本市2016年认定的234个低收入村: the year of that one count, no frame for the rest
        if _NOT_TIME.match(text, end) or _COUNTDOWN.search(text, max(0, start - 2), start):
            continue  # 2010年不变价: a price base; 距离2020年还有1000天: a countdown
        if _BY_STANDARD.search(text, max(0, start - 2), start) and _STANDARD_AFTER.match(text, end):
            continue  # 按照2013年农民人均纯收入2736元的标准: the base year of a poverty line
        if _RANGE_NEXT.match(text, end):
            continue  # 2014年 of 2014年至2018年: the period is read at its end
        in_range = pre in PRE_TARGET and _YEAR_BEFORE.search(text, max(0, start - 8), start) is not None
        if pre in PRE_COMPARE:
            kind = "comparison"
        elif post in POST_SINCE or (text[start - 1:start] in _SINCE_OPENERS and _SINCE_AHEAD.match(text, end)):
            kind = "since"  # 自2018年宁波与凉山建立对口帮扶关系以来: a start, however far its 以来
        elif in_range:
            kind = "period"  # 2014年至2018年: a period ending in 2018, not a target; frames its sentence only
        elif pre in PRE_TARGET or (post and POST_TARGET_RE.fullmatch(post)):
            kind = "target"
        else:
            kind = "topic"
        cues.append(Cue(start, end, kind, y, closed=_reports_closed_year(text, start, end, kind, pre, post, md),
                        frames=_frames(text, start, end, pre),
                        status_month=bool(md) and kind == "target"
                        and TARGET_WORDS.search(_sentence_of(text, start, end)) is None))
    for start, end, kind, found in relative_matches(text):
        if in_title(start):
            continue
        if kind == "since":
            cues.append(Cue(start, end, "since", None))
        elif kind == "rel":
            if _COMPARED_BEFORE.search(text[max(0, start - 2):start]):
                continue  # 比上年增长: a comparison, says nothing of the quantity's own year
            if _RELATIVE_BOUND.match(text, start):
                continue  # 去年的18.8亿元: binds one number only (_RELATIVE_BOUND_BEFORE)
            if _BASE_OF_SHARE_AFTER.match(text, end):
                continue  # 恢复到去年外出务工总数的96%: the year of the whole, not of the share
            cues.append(Cue(start, end, "relative", None, years_back(found)))
        elif kind == "cur":
            cues.append(Cue(start, end, "current", None))
        else:
            cues.append(Cue(start, end, "data", None))
    cues += _named_period_cues(text, in_title)
    cues += _named_year_cues(text, in_title)
    cues.sort(key=attrgetter("start"))
    return _with_years_counted(text, _with_years_after(text, cues, in_title), in_title)


# 2014年至2017年，…。4年间，全县共投入…: the years counted are the period just named
_YEARS_COUNTED = re.compile(r"(?<![\d〇零])(?:这|那)?([1-9]|[一二两三四五六七八九十]{1,2})年(?:间|里|中)")
_RANGE_FIRST = re.compile(rf"({YEAR})年?(?:至|到|—|－|-|~|～)$")


def _with_years_counted(text: str, cues: list[Cue], in_title) -> list[Cue]:
    """N年间 (N年里, 这N年) after a period of N years in its paragraph (2014年至2017年) is that
    period, dated at its end like the period itself."""
    if "年间" not in text and "年里" not in text and "年中" not in text:
        return cues
    added = []
    for m in _YEARS_COUNTED.finditer(text):
        n = _count_of(m.group(1))
        para = text.rfind("\n", 0, m.start()) + 1
        before = [c for c in cues if para <= c.start < m.start() and c.kind == "period" and c.year]
        if not before and para > 0:
            # “十三五”时期是…极不平凡的五年。\n五年间,全地区…: a paragraph opening with the count
            # reads the named period of the paragraph before
            prev = text.rfind("\n", 0, para - 1) + 1
            if text.startswith(m.group(0), para):
                before = [c for c in cues if prev <= c.start < para and c.kind == "period" and c.year and c.named]
        if not n or in_title(m.start()) or not before:
            continue
        c = before[-1]
        if c.named:
            if c.first and c.year - c.first + 1 == n:
                added.append(Cue(m.start(), m.end(), "period", c.year, first=c.first, frames=False))
            continue
        at = text.find(str(c.year), c.start, c.end)  # the cue may hold its 至
        first = _RANGE_FIRST.search(text, max(0, at - 8), at)
        if first and c.year - int(first.group(1)) + 1 == n:
            added.append(Cue(m.start(), m.end(), "period", c.year, first=int(first.group(1)), frames=False))
    return sorted(cues + added, key=lambda c: c.start) if added else cues


_YEAR_AFTER = re.compile(f"(?P<next>{lexicon.alternation('year_cues', 'next_year')})"
                         f"|(?P<same>{lexicon.alternation('year_cues', 'same_year')})")
# the same words without the groups, each looked for with `in` (cannot_match); most texts hold
# none, and are not scanned by _YEAR_AFTER (which `re` tries at every position)
_ANY_YEAR_AFTER = re.compile(f"{lexicon.alternation('year_cues', 'next_year')}"
                             f"|{lexicon.alternation('year_cues', 'same_year')}")


def _with_years_after(text: str, cues: list[Cue], in_title) -> list[Cue]:
    """2016年,…。次年,全县…: 次年/翌年 is the year after the latest year named before it, 同年
    that year itself; each a topic year like the year it follows."""
    if cannot_match(_ANY_YEAR_AFTER, text):
        return cues
    found = [m for m in _YEAR_AFTER.finditer(text) if not in_title(m.start())]
    if not found:
        return cues
    starts = [c.start for c in cues]
    added = []
    for m in found:
        i = bisect_right(starts, m.start()) - 1
        while i >= 0 and not (cues[i].year and cues[i].kind in ("topic", "period", "target")):
            i -= 1
        if i >= 0:
            added.append(Cue(m.start(), m.end(), "topic", cues[i].year + (1 if m.group("next") else 0)))
    return sorted(cues + added, key=lambda c: c.start)


_NAMED_PERIODS = tuple((re.compile(r["pattern"]), r["kind"], int(r["first_year"]),
                        int(r["last_year"]) if r["last_year"] else None) for r in lexicon.rows("named_periods"))


# The named periods, era words and named years open with optional words ((?:党的)?十八大以来),
# which `re` tries at every position: each list is found in one scan (as each pattern's finditer).
_NAMED_SCANNER = MultiScanner([rx for rx, *_ in _NAMED_PERIODS], sparse=True)


def _named_period_cues(text: str, in_title) -> list[Cue]:
    """党的十八大以来 (since 2012), 十三五期间 (2016-2020): periods named, not written as years.
    In text order (find_cues sorts them by start, stably: the order within a start is kept)."""
    out = []
    for i, start, end in _NAMED_SCANNER.scan(text):
        if in_title(start):
            continue
        _, kind, first, last = _NAMED_PERIODS[i]
        out.append(Cue(start, end, kind, first if kind == "since" else last, first=first, named=True, frames=False))
    return out


_CHANGE_TO_BEFORE = re.compile(f"(?:{lexicon.alternation('change_verbs')})$")
_RELATIVE_WORDS = lexicon.alternation("year_cues", "relative_1", "relative_2", "relative_ahead", "current")
_RANGE_NEXT = re.compile(rf"(?:至|到|-|—|–|~)(?:(?:{YEAR})年|{_RELATIVE_WORDS})")
_RANGE_START = re.compile(rf"({YEAR})年(?:底|末)?(?:至|到|-|—|–|~)(?:(?:{YEAR})年|{_RELATIVE_WORDS})")
_CN_DIGIT = "一二两三四五六七八九十"
# (?<!…): not the end of a year (2013年以来 is no span of 13 years)
PAST_SPAN = re.compile(rf"(?:过去|近)([\d{_CN_DIGIT}]{{1,2}})年(?!前)|(?<![\d〇零{_CN_DIGIT}])([\d{_CN_DIGIT}]{{1,2}})年(?:来|间|以来)")


def span_years(m: re.Match) -> int | None:
    """过去3年 / 五年来 -> 3 / 5."""
    return _count_of(m.group(1) or m.group(2))


def _count_of(s: str) -> int | None:
    """A count written in digits or in numerals (3, 三, 两)."""
    return int(s) if s.isdigit() else parse_cn_integer(s)


_YEAR_BEFORE = re.compile(rf"{YEAR}年(?:底|末)?$")
_SENTENCE_END = re.compile("[。！？!?\n]")
_WILL_VERB_AHEAD = r"(?=[\u4e00-\u9fff]{0,4}(?:" + lexicon.alternation("target_cues", "will_verb") + "))"
_LOOKBEHIND_CHAR = re.compile(r"\(\?<!(\[[^\]\\]+\])\)([^\\()\[\]|?*+.{}^$])")


def _literal_first(word: str) -> str:
    """(?<![主重])要 -> 要(?<![主重]要), (?<![相供])应(?![急对]) -> 应(?<![相供]应)(?![急对]): the
    same matches, opening with the literal, so that `re` skips ahead to first characters in C
    instead of trying every position (one word left opening with its look-behind makes the
    whole alternation be tried everywhere)."""
    m = _LOOKBEHIND_CHAR.match(word)
    if m is None or word[m.end():m.end() + 1] in ("?", "*", "+", "{"):  # a quantifier binds the literal
        return word
    return f"{m.group(2)}(?<!{m.group(1)}{m.group(2)}){word[m.end():]}"


# target words | will words before a will verb; each will word carries the look-ahead itself
# (将(?=…)|要(?<!…)(?=…) is (?:将|(?<!…)要)(?=…)), so that every alternative opens with a literal
TARGET_WORDS = re.compile("|".join([*lexicon.words("target_cues", "target_word"),
                                    *[_literal_first(w) + _WILL_VERB_AHEAD
                                      for w in lexicon.words("target_cues", "will_word")]]))


def _last_sentence_end(text: str, start: int) -> int:
    """Where the latest sentence end (。！？!? or a line break) before start stands; -1 if none."""
    s = -1
    for ch in "。\n！？!?":  # each char sought after the latest so far
        s = max(s, text.rfind(ch, s + 1, start))
    return s


def _sentence_of(text: str, start: int, end: int) -> str:
    e = _SENTENCE_END.search(text, end)
    return text[_last_sentence_end(text, start) + 1:e.start() if e else len(text)]


# After a year: a clause of at most four characters closed by 时 (精准识别时) or 的 (下达的资金),
# not opening on a whole region's word (2017年全省的…, 2018年我省的…)
_EVENT_TIME = re.compile(r"(?![全我该本])[\u4e00-\u9fff]{1,4}[时的]")


def _frames(text: str, start: int, end: int, pre: str) -> bool:
    """A year that may date what follows in its section: a bare year (2017年,…), or any cue
    standing alone on its line like a heading (截至2020年底); a status date in running text
    (截至2019年底,…) dates its own paragraph only."""
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", end)
    line_end = len(text) if line_end < 0 else line_end
    if len(text[line_start:line_end].strip(" ,，:：\u3000")) <= end - start:
        return True
    if _EVENT_TIME.match(text, end):
        return False  # 2014年精准识别时, 遂川县2015年下达的资金: the time of one event or thing
    if _BACK_REFERENCE.match(text, end):
        return False  # …增长12.6%;2022年这一数字为14342元: the year a figure just told had before
    return not pre


_BACK_REFERENCE = re.compile(r"[，,]?(?:这一|该|此|同一)(?:数字|数据|数值|比例|比率|指标|数|项)")


# 2018年全国减少农村贫困人口1386万人: the year's results, told of the whole region, with no comma
# (the region words are seeds/anaphors.csv's that name a whole region: 全省, 我国, 该县…)
_WHOLE_REGION = [w for w in lexicon.words("anaphors") if w[:1] in "全我该本" and w.isalpha()]
_YEAR_RESULTS = re.compile(f"(?:{'|'.join(_WHOLE_REGION)})"
                           r"[^，,。；;！？]{0,12}?(?:减少|减贫|脱贫(?!人口|户|劳动力|群众|地区|县|村|攻坚)|摘帽|出列|退出|下降|降至|降到)")


# 2019年西藏又有19个县(区)退出贫困县序列: a year's results told as done, whoever the subject
_RESULTS_TOLD = re.compile(r"[^，,。；;！？]{0,14}?(?:减少|减贫|脱贫(?!人口|户|劳动力|群众|地区|县|村|攻坚)|摘帽|出列|退出|下降|降至|降到|完成|实现)")


def results_reported(text: str, cues: list[Cue], year: int) -> bool:
    """The text tells year's results as done (2019年西藏又有19个县退出…), in a sentence with no
    plan's words: a wire story of January or February telling them was written the year after."""
    return any(c.kind == "topic" and c.year == year and _RESULTS_TOLD.match(text, c.end)
               and not _PLAN.search(_sentence_of(text, c.start, c.end)) for c in cues)


_AGAINST_YEAR_BEFORE = re.compile(r"(?:比|较)(?:上年|去年|上一年)(?!同期)")


def full_year_compared(text: str, cues: list[Cue], year: int) -> bool:
    """A sentence opening with the year compares its figure with the year before's (2022年…收益达
    4.37亿元,较上年增长6.1%), in no plan's words: the year is over, whatever month the story
    was filed in (a comparison 比上年同期 is of part of a year; a budget, 预算…比上年增长8%, plans it)."""
    return any(c.kind == "topic" and c.year == year and not c.closed and "月" not in text[c.start:c.end]
               and _AGAINST_YEAR_BEFORE.search(sent := _sentence_of(text, c.start, c.end)) and not _plans_ahead(sent)
               for c in cues)


def latest_year_done(text: str, cues: list[Cue]) -> int | None:
    """The latest year the text tells as done (2018年和田地区实现…), when every later year it
    names stands in a plan's sentence (2019年…将实现, 2020年全面完成…): the year it reports on."""
    # 截至2019年底 reports 2019 as over: the year the text reports on is the next
    done = [c.year + c.closed for c in cues if c.kind == "topic" and c.year and not c.named
            and not _PLAN.search(_sentence_of(text, c.start, c.end))]
    if not done:
        return None
    last = max(done)
    later = [c for c in cues if c.year and c.year > last and c.kind in ("topic", "target", "period")]
    return last if all(_PLAN.search(_sentence_of(text, c.start, c.end)) for c in later) else None


_YEAR_NAMED_AS = re.compile(r"(?:将|也|既|又|正)?是")


def year_told_as_done(text: str, cues: list[Cue], year: int) -> bool:
    """Every sentence naming the year (2024年辽宁持续巩固…) tells what was done, none a plan: with
    a title about 去年, the text was written after that year."""
    # a bare year (2024年,…), not a date (2023年02月14日, a paper's issue) nor a status at its end
    # nor a year a sentence names the role of (2025年是过渡期最后一年): that tells nothing done
    named = [c for c in cues if c.kind == "topic" and c.year == year and not c.closed and "月" not in text[c.start:c.end]
             and not _YEAR_NAMED_AS.match(text, c.end)]
    return bool(named) and not any(_plans_ahead(_sentence_of(text, c.start, c.end)) for c in named)


def _plans_ahead(sentence: str) -> bool:
    # 2015年中央财政专项扶贫资金预算安排460.9亿元: a budget sets out the year ahead, as a plan does
    return bool(_PLAN.search(sentence)) or "预算" in sentence


_REVIEWED_AFTER = re.compile(r"(?:工作)?回顾")


def _reports_closed_year(text: str, start: int, end: int, kind: str, pre: str, post: str, md: str) -> bool:
    """The cue reports its year as over, so the text was written after it: 截至/到 Y年底 or
    Y年底 stating a status, or a bare Y年 heading full-year results -- in a sentence with no
    target words (确保, 计划, 将实现…)."""
    if md or kind not in ("topic", "target", "period"):
        return False
    if kind == "topic" and (text[max(0, start - 2):start] == "回顾" or _REVIEWED_AFTER.match(text, end)):
        return True  # 回顾2018年工作, 2016年工作回顾: the year is over
    if post not in ("", "底", "末", "度"):
        return False
    if kind == "target" and post not in ("底", "末"):
        return False
    if post in ("", "度") and text[end:end + 1] not in (",", "，") and not _YEAR_RESULTS.match(text, end):
        return False  # 2018年全区扶贫办主任会议 names an event of the year, not its results
    if TARGET_WORDS.search(_sentence_of(text, start, end)):
        return False
    # …将利用三年攻坚…全面完成脱贫任务。到2018年底,5个市县脱贫摘帽: a deadline that goes on
    # the plan of the sentence before it in its paragraph
    return not (kind == "target" and _PLAN.search(_sentence_before(text, start)))


# a sentence that plans: target words, or 将 with a verb of the plan anywhere after it
_PLAN = re.compile(TARGET_WORDS.pattern + "|将.*(?:" + lexicon.alternation("target_cues", "will_verb") + ")")


def plans(text: str, start: int, end: int) -> bool:
    """The sentence holding text[start:end] plans (按照计划, 力争, 将…实现)."""
    return _PLAN.search(_sentence_of(text, start, end)) is not None


def _sentence_before(text: str, start: int) -> str:
    """The sentence before the one holding start, in the same paragraph ('' if none)."""
    s = _last_sentence_end(text, start)
    if s < 0 or text[s] == "\n":
        return ""
    prev = _last_sentence_end(text, s) + 1
    return text[prev:s]


_SAME_PERIOD_OF = re.compile(rf"(?:{lexicon.alternation('year_cues', 'pre_compare')})({YEAR})年同期")
_DONE_CHANGE_TO = re.compile(rf"(?:{lexicon.alternation('change_verbs', 'down_to', 'up_to')})({YEAR})年(?:底|末)?的")
# 由2015年底的18.7万户减少到去年底的12.6万户: last year is after 2015, so this year is 2017 or later
_FROM_YEAR_TO_LAST = re.compile(rf"(?:由|从)({YEAR})年(?:底|末)?的?[^。；;，,]{{0,16}}?"
                                rf"(?:{lexicon.alternation('change_verbs', 'down_to', 'up_to')})"
                                rf"(?:{lexicon.alternation('year_cues', 'relative_1')})")


# 今年 in a sentence that also names another year as a deadline: the two are different years
_THIS_YEAR = re.compile(r"今年|本年")


# 2015年，…全面实施…。截至8月底，全省…: a status at a month of that year, written during it
_YEAR_IN_PROGRESS = re.compile(r"(?:截至|截止)[1-9]\d?月(?:底|末)?")


def _paragraph_end(text: str, pos: int) -> int:
    end = text.find("\n", pos)
    return len(text) if end < 0 else end


def _reported_years(text: str, cues: list[Cue]) -> list[int]:
    """The years the text's topic and period cues report (the year after one reported as
    over). A year planned in a sentence that plans 今年 apart from it (按照计划，今年将实现…，
    2020年实现整县脱贫摘帽) is a deadline past now, not when the text was written: it is left
    out where the text reports another year."""
    told = [(c.year + 1 if c.closed and not _YEAR_IN_PROGRESS.search(text, c.end, _paragraph_end(text, c.end)) else c.year, c)
            for c in cues if c.kind in ("topic", "period") and c.year and not c.named]
    ahead = set()
    for y, c in told:
        before = text[_last_sentence_end(text, c.start) + 1:c.start]
        if (not c.closed and _THIS_YEAR.search(before) and not _THIS_YEAR.search(before[-4:])
                and _PLAN.search(_sentence_of(text, c.start, c.end))):
            ahead.add(id(c))
    kept = [y for y, c in told if id(c) not in ahead]
    return kept or [y for y, _ in told]


# 截至今年11月底: a status late in the year the text is written; 明年: the plan's year is the next
_BEFORE_THE_PLANS_YEAR = re.compile(r"(?:截至|截止|到)今年(?:1[0-2]|十[一二]?)月|明年")
# 二、2019年工作打算: a heading line of a year's plan
_PLAN_HEADING_LINE = re.compile(r"[\s\u3000]*[一二三四五六七八九十\d]*[、.．]?\s*" + YEAR + r"年[^。，,；;\n]{0,8}?(?:"
                                + lexicon.alternation("target_cues", "plan_heading") + r")[^。，,；;\n]{0,6}\s*")


def line_of(text: str, pos: int) -> str:
    """The whole line at pos (a title's, with the column name or year a bar set off: 数说2024｜…)."""
    start = text.rfind("\n", 0, pos) + 1
    end = text.find("\n", pos)
    return text[start:len(text) if end < 0 else end]


def infer_publication_year(text: str, cues: list[Cue], title_years: list[int], weak: bool = True) -> int | None:
    """No dateline: the latest year the text reports, or the year after one it reports as
    over (截至2019年底, 2018年全省减贫…), whichever is later; a 收官之年 named as this year;
    years in document titles only as a last resort. A text that says which year this is
    (今年是“十三五”开局之年) was written then, whatever deadline it names."""
    return strong_publication_year(text, cues) or (weak_publication_year(text, cues, title_years) if weak else None)


def strong_publication_year(text: str, cues: list[Cue]) -> int | None:
    """infer_publication_year from the text's own reports of its years alone (weak=False)."""
    if now := year_named_now(text) or year_counted_down(text):
        return now
    if _BEFORE_THE_PLANS_YEAR.search(text) and (planned := [c.year for c in cues if c.kind == "topic" and c.year
                                                            and _PLAN_HEADING_LINE.fullmatch(line_of(text, c.start))]):
        # 截至今年11月底 (明年,我局将…) … 二、2019年工作打算: written late in the year before the plan's
        return min(planned) - 1
    years = _reported_years(text, cues)
    years += [c.year + 1 for c in cues if c.kind == "target" and c.closed]
    years += [c.year for c in cues if c.status_month]  # 至2019年7月,全省…: written in 2019 or later
    years += closing_year_named(text)
    # 由2014年的…减少到2019年的281户: a change told as done up to a year reports that year as over
    years += [int(m.group(1)) + 1 for m in _DONE_CHANGE_TO.finditer(text)
              if not _PLAN.search(_sentence_of(text, m.start(), m.end()))]
    # 较2020年同期增加3200人: the same part of the year before, so written the year after
    if not cannot_match(_SAME_PERIOD_OF, text):  # (年同期: most texts hold none)
        years += [int(m.group(1)) + 1 for m in _SAME_PERIOD_OF.finditer(text)]
    # “十二五”期间，…使贫困人口大幅减少 in a text that also names the next period (“十三五”规划):
    # the period is told as over, so the text was written at its end or later
    firsts = {c.first for c in cues if c.named and c.first}
    years += [c.year for c in cues if c.kind == "period" and c.named and c.year and c.year + 1 in firsts
              and not _PLAN.search(_sentence_of(text, c.start, c.end))]
    return max(years) if years else None


def weak_publication_year(text: str, cues: list[Cue], title_years: list[int]) -> int | None:
    """What infer_publication_year falls back on where strong_publication_year finds nothing
    (so a caller that has asked that already does not read the text's reports again). Only
    years bound to single numbers (由2015年的…增加到2019年的…) or comparisons: a change's end
    (增长到2024年的17522元) or start (由2014年的54.37%降至0.85%) is over."""
    years = [int(m.group(1)) + (1 if text[max(0, m.start() - 1):m.start()] in PRE_TARGET + ("由", "从") else 0)
             for m in LOCAL_YEAR_RE.finditer(text)]
    years += [c.year + 1 for c in cues if c.kind == "comparison" and c.year]
    years += [c.year for c in cues if c.kind == "since" and c.year]  # 2022年以来: written then or later
    years += [int(m.group(1)) + 2 for m in _FROM_YEAR_TO_LAST.finditer(text)]
    if not years:
        return max(title_years) if title_years else None
    return max(years)


def latest_reported_year(cues: list[Cue], pub_year: int | None) -> int | None:
    ys = [c.year for c in cues if c.kind == "topic" and c.year and (pub_year is None or c.year <= pub_year)]
    return max(ys) if ys else pub_year


def cue_year(c: Cue, pub_year: int | None, latest: int | None) -> int | None:
    if c.kind in ("topic", "target", "period"):
        return c.year
    if c.kind == "comparison":
        return c.year + 1 if c.year else None
    if c.kind == "relative":
        return pub_year - c.offset if pub_year else None
    if c.kind in ("current", "since"):
        return pub_year
    if c.kind == "data":
        return latest
    return None


_CLOSING_YEARS = tuple((re.compile(r["pattern"]), int(r["year"])) for r in lexicon.rows("named_years"))
_CLOSING_SCANNER = MultiScanner([rx for rx, _ in _CLOSING_YEARS], sparse=True, rare=True)


_THIS_YEAR_IS = re.compile(r"(今年|明年|去年)(?:是|为|正值|既是|恰逢)[^。；;！？]{0,30}$")
_YEARS_FROM_NOW = {"今年": 0, "明年": 1, "去年": -1}


@lru_cache(maxsize=4)
def _years_named(text: str) -> tuple[tuple[int, int, int], ...]:
    """_CLOSING_SCANNER.scan(text), once for the cues, the years named as now and the closing
    years of one text."""
    return tuple(_CLOSING_SCANNER.scan(text))


_IN_BEFORE = re.compile(r"在[“\"‘']?$")


def _named_year_cues(text: str, in_title) -> list[Cue]:
    """在“十三五”开局之年，…全年完成…: a year named by its role after 在 dates what follows, as
    2016年，… would (a topic year, named: it says nothing of when the text was written)."""
    return [Cue(start, end, "topic", _CLOSING_YEARS[i][1], named=True)
            for i, start, end in _years_named(text)
            if not in_title(start) and _IN_BEFORE.search(text, max(0, start - 2), start)]


def year_named_now(text: str) -> int | None:
    """今年是“十三五”开局之年 (明年是脱贫攻坚收官之年): the year the text names as this year
    (or as the next or the last, one away from it), where all such say one."""
    years = set()
    for i, start, end in _years_named(text):
        if m := _THIS_YEAR_IS.search(text, max(0, start - 34), start):
            years.add(_CLOSING_YEARS[i][1] - _YEARS_FROM_NOW[m.group(1)])
    return years.pop() if len(years) == 1 else None


_LEFT = lexicon.alternation("year_cues", "countdown_left")
_UNDER = lexicon.alternation("year_cues", "countdown_under")
_COUNTDOWN_TO = re.compile(
    f"(?:{lexicon.alternation('year_cues', 'pre_countdown')})({YEAR})年(?:底|末)?[^，,。；;！？\\n]{{0,12}}?"
    f"(?:(?:{_LEFT})(?P<under>{_UNDER})?|(?P<only_under>{_UNDER}))"
    "(\\d{1,2}|[一二两三四五六七八九十])个?年(?!代)")


def year_counted_down(text: str) -> int | None:
    """离2020年只剩两年多时间: a text that counts the years left to a year was written that many
    years before it (one later where the count is not reached: 不到3年), where all its
    countdowns agree."""
    if cannot_match(_COUNTDOWN_TO, text):
        return None  # (距, 离: most texts hold neither)
    years = set()
    for m in _COUNTDOWN_TO.finditer(text):
        if n := _count_of(m.group(4)):
            years.add(int(m.group(1)) - n + (1 if m.group("under") or m.group("only_under") else 0))
    return years.pop() if len(years) == 1 else None


def closing_year_named(text: str) -> list[int]:
    """在脱贫攻坚收官之年: years the text names as its present (seeds/named_years.csv), unless 明年."""
    return [_CLOSING_YEARS[i][1] for i, start, end in _years_named(text)
            if "明年" not in _sentence_of(text, start, end)]



_ERA_WORDS = tuple((re.compile(r["pattern"]), int(r["first_year"]), int(r["last_year"]))
                   for r in lexicon.rows("era_words"))
_ERA_SCANNER = MultiScanner([rx for rx, _, _ in _ERA_WORDS], sparse=True)
FIELD_DEFAULT_YEAR = 2018  # the middle of the field's years (2013-2025), for a text with no date at all


def era_year(text: str) -> int | None:
    """The year most of the text's era words (seeds/era_words.csv: 脱贫攻坚 2015-2020, 防返贫
    2020-2025 ...) share, the latest on a tie; None where it names none. For a text that gives
    no date and no year: a weak reading, and its facts' confidence says so."""
    votes: dict[int, int] = {}
    for _, first, last in era_words_in(text):
        for y in range(first, last + 1):
            votes[y] = votes.get(y, 0) + 1
    return max(votes, key=lambda y: (votes[y], y)) if votes else None


SINCE_COUNT_REACH = 40  # characters after a since cue's year within which its count of years stands
_NTH_YEAR_NOW = re.compile(r"今年是[^。；;！？]{0,30}?第([\d一二两三四五六七八九十]{1,2})个?年")


def since_counted_year(text: str, cues: list[Cue]) -> int | None:
    """自2021年进入过渡期以来，三年间… / 2021年…以来 … 今年是…的第二年: a text that counts the
    years from the one its 以来 starts from, that year included, was written in the last of
    them; one such year only."""
    starts = [c for c in cues if c.kind == "since" and c.year]
    years = set()
    for c in starts:
        m = PAST_SPAN.search(text, c.end, c.end + SINCE_COUNT_REACH)
        if m and (n := span_years(m)):
            years.add(c.year + n - 1)
    if len({c.year for c in starts}) == 1:
        for m in _NTH_YEAR_NOW.finditer(text):
            if n := _count_of(m.group(1)):
                years.add(starts[0].year + n - 1)
    return years.pop() if len(years) == 1 else None


ANNIVERSARY_REACH = 80  # characters after the earliest year within which its cut word stands


def anniversary_year(text: str, cues: list[Cue], floor: int | None) -> int | None:
    """1996年，福建与宁夏确立对口协作关系。从此…20年来: a text that counts N years since the
    earliest year it writes, a start (a cut word follows it: 从此, 此后, 至今), was written N years after it, when that lands no earlier than
    every year it writes nor before its era words allow; one such year
    only (two counts that disagree date nothing)."""
    written = [c for c in cues if c.kind in ("topic", "period") and c.year and not c.named]
    if not written:
        return None
    first = min(written, key=lambda c: c.year)
    if not _CUT.search(text, first.end, first.end + ANNIVERSARY_REACH):
        return None  # the earliest year is no start the text counts from (从此, 此后, 至今)
    spans = {span_years(m) for m in PAST_SPAN.finditer(text)} - {None, 0}
    if not spans:
        return None
    latest = max(c.year for c in written)
    years = {first.year + n for n in spans}
    years = {y for y in years if y >= latest and (floor is None or y >= floor)}
    return years.pop() if len(years) == 1 else None


def era_floor(text: str) -> int | None:
    """The earliest year all of the text's era words allow (精准扶贫 and 脱贫攻坚 speak of
    2014 or later): a text using them was not written before it."""
    firsts = [first for _, first, _ in era_words_in(text)]
    return max(firsts) if firsts else None


def era_words_in(text: str) -> list[tuple[re.Pattern, int, int]]:
    """The rows of seeds/era_words.csv whose words the text uses, in the file's order."""
    return [_ERA_WORDS[i] for i in _ERA_SCANNER.present(text)]


FROM_YEAR = re.compile(r"(?:从|由)((?:19|20)\d\d)年(?:底|末)?的?")


def _target_after(q_start: int, clause_end: int, cues: list[Cue], cue_starts: list[int],
                  pub_year: int | None) -> Cue | None:
    """The first cue after the number in its clause, if it is a deadline still ahead."""
    i = bisect_right(cue_starts, q_start)
    if i < len(cues) and cues[i].start < clause_end and cues[i].kind == "target" and cues[i].year and (
            pub_year is None or cues[i].year >= pub_year):
        return cues[i]
    return None


def _superseded(cues: list[Cue], k: int, j: int, pub_year: int | None, latest: int | None) -> bool:
    """A later cue between the framing year k and the sentence (cue j) reports a later time
    (2013年…, then 2014年至2018年 or 现在): the old year no longer frames what follows."""
    y = cues[k].year or 0
    for c in cues[k + 1:j + 1]:
        # a deadline still to come says nothing of now; one reported as over (到2020年底,…全部
        # 脱贫摘帽 in a later text) does
        if c.kind == "comparison" or (c.kind == "target" and not c.closed):
            continue
        later = cue_year(c, pub_year, latest)
        if later is not None and later > y:
            return True
    return False


_CONTINUATION = re.compile("(?:" + lexicon.alternation("anaphors") + "|其中|此外|同时)")


def _continues(text: str, after: int, para: int) -> bool:
    """Every paragraph from the one after position `after` up to the one at `para` opens by
    referring back (全区…, 其中…): they go on with the same subject and time."""
    p = text.find("\n", after)
    while 0 <= p < para:
        start = p + 1
        while start < len(text) and text[start] in " \u3000\n":
            start += 1
        if start > para:
            break
        if not _CONTINUATION.match(text, start):
            return False
        p = text.find("\n", start)
    return True


def last_topic_cues(cues: list[Cue]) -> list[int]:
    """Per cue index: the index of the latest topic-like cue at or before it (-1: none)."""
    out, k = [], -1
    for i, c in enumerate(cues):
        if c.kind in ("topic", "relative", "data") and c.frames:
            k = i
        out.append(k)
    return out


def last_start_cues(cues: list[Cue]) -> list[int]:
    """Per cue index: the index of the latest cue at or before it that says where a change
    started (2013年以来 with its year, 十三五期间 with its first year; -1: none)."""
    out, k = [], -1
    for i, c in enumerate(cues):
        if (c.kind == "since" and c.year) or (c.kind == "period" and c.first):
            k = i
        out.append(k)
    return out


def past_span_in(text: str, lo: int, hi: int) -> re.Match | None:
    """PAST_SPAN.search(text, lo, hi), tried only around each 年: every match holds a 年 with
    at most four characters before it (过去12年), and the search tries every position (the
    pattern opens with a group), while str.find skips to the 年 in C."""
    year_at = text.find("年", lo, hi)
    while year_at >= 0:
        # a match whose 年 stands here begins at most four characters before it and reads at
        # most two after it (以来, and 前 after 过去N年): searched there only, 年 by 年. A match
        # beginning later in that window needs a later 年, which the end keeps out.
        if _may_close_span(text, year_at):
            m = PAST_SPAN.search(text, max(lo, year_at - 4), min(hi, year_at + 3))
            if m is not None:
                return m
        year_at = text.find("年", year_at + 1, hi)
    return None


def _is_span_digit(ch: str) -> bool:
    r"""PAST_SPAN's digit class [\d一二两三四五六七八九十] (re's \d is str.isdecimal)."""
    return ch.isdecimal() or ch in _CN_DIGIT


def _may_close_span(text: str, year_at: int) -> bool:
    """Whether the 年 at year_at can be a PAST_SPAN match's 年: one or two of its digits
    stand right before it (a third before them is neither 过去/近 nor allowed by the
    look-behind). 2019年, most 年 of a text, never is; a window holding no such 年 holds no
    match, and the first that does is searched as before (the same match)."""
    if year_at < 1 or not _is_span_digit(text[year_at - 1]):
        return False
    return year_at < 3 or not (_is_span_digit(text[year_at - 2]) and _is_span_digit(text[year_at - 3]))


@dataclass
class Timeline:
    """An article's year cues and dates, against which each quantity's year is read."""
    text: str
    layout: Layout
    cues: list[Cue]
    pub_year: int | None
    latest: int | None
    title_back: int = 0  # 过去一年江苏做了这些事: the title reports on publication minus this

    def __post_init__(self):
        self.cue_starts = [c.start for c in self.cues]
        self.last_topic = last_topic_cues(self.cues)
        self.cue_years = [cue_year(c, self.pub_year, self.latest) for c in self.cues]
        self.last_start = last_start_cues(self.cues)


def year_of(tl: Timeline, q_start: int, sent_start: int, clause_start: int) -> tuple[int | None, str | None, str]:
    """(year, year_source, kind) of the quantity at q_start: a year bound to it (2015年的, 从…),
    a deadline after it in its clause, the nearest cue before it in its sentence, its
    paragraph's or section's year, else the publication year. kind is 'target' when the
    deciding cue is a deadline still ahead."""
    bound = _bound_year(tl, q_start, sent_start)
    if bound:
        return bound[0], bound[1], "actual"
    after = _target_after(q_start, tl.layout.clause_end(q_start), tl.cues, tl.cue_starts, tl.pub_year)
    if after is not None:
        return after.year, "target_after", "target"  # 26个贫困县争取在2019年底前摘帽
    found = _sentence_year(tl, q_start, sent_start, clause_start)
    if found:
        return found
    found = _context_year(tl, q_start, sent_start)
    if found:
        return found[0], found[1], "actual"
    if tl.pub_year and tl.title_back:
        return tl.pub_year - tl.title_back, "title_relative", "actual"
    return tl.pub_year, "publication" if tl.pub_year else "unknown", "actual"


# not a comparison (规模超过去年, 比去年增长): that says nothing of when the title's figures are
_TITLE_BACK = re.compile(f"(?<!{'|'.join(w for w in lexicon.words('year_cues', 'pre_compare') if len(w) == 1)})"
                         f"(?<!{'|'.join(w for w in lexicon.words('year_cues', 'pre_compare') if len(w) == 2)})"
                         f"(?:{lexicon.alternation('year_cues', 'title_back', 'relative_1')})")


def title_back(title: str | None) -> int:
    """1 when the title reports on the year before publication (过去一年…, 去年…), else 0."""
    return 1 if title and _TITLE_BACK.search(title) else 0


def _sentence_topic_year(tl: Timeline, q_start: int, sent_start: int) -> int | None:
    """The year a topic cue written earlier in the number's sentence names (2018年，…)."""
    i = bisect_right(tl.cue_starts, q_start) - 1
    while i >= 0 and tl.cues[i].start >= sent_start:
        if tl.cues[i].kind == "topic" and tl.cues[i].year and not tl.cues[i].named:
            return tl.cues[i].year
        i -= 1
    return None


def _bound_year(tl: Timeline, q_start: int, sent_start: int) -> tuple[int, str] | None:
    """A year written for this number: 2015年的2.55%, 去年的18.8亿元; for the from-value of a
    change (从…), the start year of a parallel change in its paragraph (从2014年的…) or of a
    period in its sentence (从2013年至去年), or publication minus N after 过去N年/N年来."""
    text, pub_year = tl.text, tl.pub_year
    window = text[max(0, q_start - 14):q_start]
    local = LOCAL_BEFORE_RE.search(window) if _may_end_local(window) else None
    if local and _MULTIPLE_OF.search(window, 0, local.start()) and _is_multiple(text, q_start):
        local = None  # 是2015年的13倍: 2015 is the base the multiple is taken of, not the multiple's year
    if local:
        return int(next(g for g in local.groups() if g)), "explicit_local"
    before = text[max(0, q_start - 8):q_start]
    # every match holds 的, found first in C: most numbers have none just before them
    rel = _RELATIVE_BOUND_BEFORE.search(before) if "的" in before else None
    if rel and _MULTIPLE_OF.search(before, 0, rel.start()) and _is_multiple(text, q_start):
        rel = None  # 是去年的1.1倍: the base of the multiple, as 是2015年的13倍
    if rel and rel.group(1) == "上年" and (framed := _sentence_topic_year(tl, q_start, sent_start)):
        return framed - 1, "relative_local"  # 2018年，全县贫困发生率由上年的8.4%降至2.6%: the year before 2018
    if rel and pub_year:
        return pub_year - years_back(rel.group(1)), "relative_local"
    if text[max(0, q_start - 1):q_start] in ("到", "至"):
        return _parallel_end(text, q_start, sent_start)
    if text[max(0, q_start - 1):q_start] not in ("从", "由"):
        return None
    para = text.rfind("\n", 0, q_start) + 1
    parallel = FROM_YEAR.findall(text[max(para, q_start - WINDOW):q_start])
    parallel = parallel or _RANGE_START.findall(text[max(sent_start, q_start - WINDOW):q_start])
    if parallel:
        return int(parallel[-1]), "explicit_parallel"
    span = PAST_SPAN.search(text[max(sent_start, q_start - WINDOW):q_start])
    n = span_years(span) if span and pub_year else None
    return (pub_year - n, "span_start") if n else None


_TO_YEAR_OF = re.compile(rf"(?:到|至)({YEAR})年(?:底|末)?的")
_CHANGE_OPENS = re.compile(r"[由从]")


def _parallel_end(text: str, q_start: int, sent_start: int) -> tuple[int, str] | None:
    """由2011年底的842万人减少到2013年底的552万人,贫困发生率由41.2%下降到26.5%: the end of a
    change that names no year of its own, after a change of its sentence that ended at a named
    year, ends then too."""
    ended = None
    for ended in _TO_YEAR_OF.finditer(text, max(sent_start, q_start - WINDOW), q_start):
        pass
    if ended is None or not _CHANGE_OPENS.search(text, ended.end(), q_start):
        return None
    return int(ended.group(1)), "explicit_parallel"


_COUNTDOWN = re.compile(f"(?:{lexicon.alternation('year_cues', 'pre_countdown')})$")
_NOT_TIME = re.compile(lexicon.alternation("year_cues", "not_time"))
_SINCE_AHEAD = re.compile(r"[^，,;；。]{1,24}?以来")
# 自2018年… / 2021年浙江与四川建立…以来 opening its clause: the year a 以来 counts from
_SINCE_OPENERS = ("自", "从", "", "，", ",", "。", "；", ";", "\n", "）", ")", "：", ":", " ", "\u3000")
_BY_STANDARD = re.compile(r"(?:以|按|按照|依照)$")
_STANDARD_AFTER = re.compile(r"[^，,;；。]{0,24}?标准")
_MULTIPLE_OF = re.compile(r"(?:是|为|相当于)$")


_BASE_TAIL = re.compile(r"[”\"」’]?(?:时期|期间|时)?的")


def _multiple_base(text: str, c: Cue) -> bool:
    """是“十二五”时期的4.1倍: the time a multiple is taken of, which dates neither the multiple
    nor what the sentence goes on to tell."""
    m = _BASE_TAIL.match(text, c.end)
    start = c.start - (text[c.start - 1:c.start] in "“\"「‘")
    return (m is not None and _MULTIPLE_OF.search(text, max(0, start - 4), start) is not None
            and _is_multiple(text, m.end()))


def _is_multiple(text: str, q_start: int) -> bool:
    """13倍 at q_start (numbers.SHARE_RE's multiple)."""
    m = SHARE_RE.match(text, q_start)
    return m is not None and m.group("times") is not None


_CUT = re.compile(lexicon.alternation("year_cues", "cut"))


def _sentence_year(tl: Timeline, q_start: int, sent_start: int, clause_start: int) -> tuple[int | None, str, str] | None:
    """The nearest cue before the number in its sentence (a comparison only in its own
    clause); else the latest year bound in the sentence (由2014年的…增加到2020年的…,年均增幅17.4%),
    unless the number is the to-value of a change."""
    cues, text = tl.cues, tl.text
    i = bisect_right(tl.cue_starts, q_start) - 1
    compared = None
    while i >= 0 and cues[i].start >= max(sent_start, q_start - WINDOW):
        c = cues[i]
        if c.kind == "comparison" and c.end <= q_start and c.start >= clause_start and compared is None:
            compared = c  # 比2010年下降20个百分点: of a later year, which the text around may name
        elif c.end <= q_start and c.kind != "comparison" and not _multiple_base(text, c):
            if _CUT.search(text, c.end, q_start):
                return None  # 1996年，…，此后…: later than the cue
            # 至2019年7月 with no target words is a status at that month, never ahead
            reached = ([int(y) for y in _TO_YEAR_OF.findall(text, c.end, q_start)]
                       if text.find("的", c.end, q_start) >= 0 else [])  # every match holds 的
            if reached and c.kind != "target" and _CHANGE_SIZE.match(text, clause_start, q_start):
                # …以来,…从2010年的1012万人减少到2013年的634万人,减少37%: the size of the change
                # just told, which ends in a year of its own
                return max(reached), "sentence_bound", "actual"
            ahead = c.kind == "target" and not c.status_month and (tl.pub_year is None or c.year >= tl.pub_year)
            # 到2020年底 in a 2021 review reports what was done
            return cue_year(c, tl.pub_year, tl.latest), c.kind, "target" if ahead else "actual"
        i -= 1
    if compared is not None:
        around = _context_year(tl, q_start, sent_start)
        if around and around[0] and around[0] > compared.year:
            return around[0], around[1], "actual"
        if not around and tl.pub_year and tl.pub_year > compared.year + 1:
            return tl.pub_year, "publication", "actual"  # 比2010年… in a text of 2019: of now
        return cue_year(compared, tl.pub_year, tl.latest), "comparison", "actual"
    lo = max(sent_start, q_start - WINDOW)
    # 是2014年的2.6倍: the base, not the multiple's year; 由2017年底的10.49%降至…,下降5.04个
    # 百分点: the year a change started dates neither its end nor its size
    bound = ([int(m.group(1)) for m in LOCAL_YEAR_RE.finditer(text, lo, q_start)
              if not (m.end() >= q_start - 2 and _MULTIPLE_OF.search(text, max(0, m.start() - 3), m.start())
                      and _is_multiple(text, q_start)) and text[m.start() - 1:m.start()] not in ("由", "从")]
             if text.find("的", lo, q_start) >= 0 else [])  # every match holds 的
    if bound and not _CHANGE_TO_BEFORE.search(text, max(sent_start, q_start - 8), q_start):
        return max(bound), "sentence_bound", "actual"
    return None


_TO_YEAR_OF = re.compile(rf"(?:到|至)({YEAR})年(?:底|末)?的")
# a clause that is only the size of a change: 减少37%, 5年减贫62.68万人, 累计下降
_CHANGE_SIZE = re.compile(r"[\d一二两三四五六七八九十]*年?(?:累计|共|合计)?(?:减少|减贫|下降|降低|增加|增长|提高|脱贫)了?$")


def _heads_sentence(text: str, c: Cue) -> bool:
    """去年，全省… : the cue opens its sentence, set off by a comma, as a review's year does."""
    return text[c.end:c.end + 1] in (",", "，") and (c.start == 0 or text[c.start - 1] in "。！？!?\n")


def _after_this_year(tl: Timeline, k: int) -> bool:
    """A cue of 今年 stands before cue k in k's paragraph: k is an aside of a paragraph of now."""
    para = tl.text.rfind("\n", 0, tl.cues[k].start) + 1
    i = k - 1
    while i >= 0 and tl.cues[i].start >= para:
        if tl.cues[i].kind == "current":
            return True
        i -= 1
    return False


_UNDATED_STATUS = re.compile(r"截至(?:目前|[\d一二三四五六七八九十]{1,2}月(?:底|末|份)?)")


def _context_year(tl: Timeline, q_start: int, sent_start: int) -> tuple[int | None, str] | None:
    """The paragraph's 今年以来-type cue or status date (截至2019年底, carried on by paragraphs
    that refer back: 全区…, 其中…); else the section's latest framing year, unless a later
    time superseded it or it is still ahead."""
    text, cues, pub_year = tl.text, tl.cues, tl.pub_year
    if "截至" in text[sent_start:q_start] and _UNDATED_STATUS.search(text, sent_start, q_start):
        return None  # 截至9月底,全区…: a status of the time of writing, whatever year came before
    para = text.rfind("\n", 0, sent_start) + 1
    j = bisect_left(tl.cue_starts, sent_start) - 1  # cues of its own sentence were read by _sentence_year
    while j >= 0 and _BACK_REFERENCE.match(text, cues[j].end):
        j -= 1  # 2022年这一数字为14342元: dates its own number only
    if j < 0:
        return None
    c = cues[j]
    if c.start < para and _continues(text, c.end, para):
        para = text.rfind("\n", 0, c.start) + 1
    if c.start >= para and c.kind in ("since", "current"):
        return cue_year(c, pub_year, tl.latest), "context_" + c.kind
    if c.start >= para and not c.frames and (c.kind == "topic" or (c.kind == "target" and c.closed)) and not (
            pub_year and c.year >= pub_year + (c.kind == "topic")):
        return c.year, "context_paragraph"
    if c.kind == "target" and c.year and c.start >= para and not text[para:c.start].strip(" \u3000\t"):
        return c.year, "context_paragraph"  # 到2025年，…。脱贫人口人均纯收入年均增长9%以上: the deadline opening the paragraph
    k = tl.last_topic[j]
    if k >= 0 and cues[k].kind == "relative" and cues[k].start < para and not (
            _heads_sentence(text, cues[k]) and not _after_this_year(tl, k)):
        # 去年他家… in an earlier paragraph (a villager's story), or 去年,… after its paragraph's
        # 今年 figures (an aside): it dates that paragraph only; a review's 去年,… goes on
        return None
    if k >= 0 and cues[k].start < para and text[cues[k].end - 1:cues[k].end] in ("底", "末") \
            and text[cues[k].end:cues[k].end + 1] not in ("\n", ""):
        # 2014年底,全县有贫困人口6.69万人: a baseline's status date, not the next paragraphs' time
        # (a line of its own, 截至2020年底⏎, heads the lines after it)
        return None
    if k >= 0 and cues[k].start >= tl.layout.section(q_start) and not (pub_year and (cues[k].year or 0) > pub_year) \
            and not _superseded(cues, k, j, pub_year, tl.latest):
        return cue_year(cues[k], pub_year, tl.latest), "context_" + cues[k].kind
    return None
