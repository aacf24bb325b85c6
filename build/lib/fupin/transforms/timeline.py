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
from bisect import bisect_right
from dataclasses import dataclass

YEAR = r"(?:19[5-9]\d|20[0-4]\d)"
EXPLICIT_RE = re.compile(
    rf"(?P<pre>截至|截止到|截止|到|至|比|较|同比|相比|与)?(?P<y>{YEAR})\s*年"
    r"(?P<md>(?:\d{1,2}月(?:\d{1,2}日)?(?:份)?)?)"
    r"(?P<post>以来|底前|年底前|前三季度|上半年|下半年|一季度|底|末|初|度|前|的)?"
)
# What find_cues runs: EXPLICIT_RE without its optional first word, which made `re` try the
# pattern at every position; the word is read back from the text before the year (the
# longest that fits after the previous match: what finditer's leftmost match would take).
_EXPLICIT_TAIL_RE = re.compile(EXPLICIT_RE.pattern[EXPLICIT_RE.pattern.index("(?P<y>"):])
_PRE_WORDS = sorted(re.search(r"\(\?P<pre>([^)]*)\)", EXPLICIT_RE.pattern).group(1).split("|"), key=len, reverse=True)
_RELATIVE_KINDS = (
    ("since", r"去年以来|今年以来|近年来|近几年来|近[一二两三四五六七八九十\d]+年(?:来|以来)|多年来|历年来|长期以来|以来"),
    ("rel", r"去年|前年|上年|上一年"),
    ("cur", r"今年|年内|本年度|本年|目前|当前|现在|如今|至今|截至目前|眼下"),
    ("data", r"数据显示|统计显示"),
)
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


def relative_matches(text: str):
    """(start, end, kind, found text) for every RELATIVE_RE.finditer match; kind is the name
    of its group."""
    for m in _RELATIVE_FLAT_RE.finditer(text):
        found = m.group()
        yield m.start(), m.end(), next(k for k, rx in _RELATIVE_WHOLE if rx.fullmatch(found)), found
_COMPARED_BEFORE = re.compile(r"(?:比|较|同比|相比|与)$")
LOCAL_YEAR_RE = re.compile(rf"({YEAR})年(?:底|末)?的")
LOCAL_BEFORE_RE = re.compile(rf"({YEAR})年(?:\d{{1,2}}月)?(?:底|末)?的(?:约|近|超过)?$")


@dataclass(frozen=True)
class Cue:
    start: int
    end: int
    kind: str
    year: int | None  # for relative/current/since/data: resolved later against the publication year
    offset: int = 0  # relative: years before publication


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
        if post == "的" and not md:
            continue  # binds one number only (LOCAL_BEFORE_RE)
        if pre in ("比", "较", "同比", "相比", "与"):
            kind = "comparison"
        elif post == "以来":
            kind = "since"
        elif pre in ("到", "至") or post in ("前", "底前", "年底前"):
            kind = "target"
        else:
            kind = "topic"
        cues.append(Cue(start, end, kind, y))
    for start, end, kind, found in relative_matches(text):
        if in_title(start):
            continue
        if kind == "since":
            cues.append(Cue(start, end, "since", None))
        elif kind == "rel":
            if _COMPARED_BEFORE.search(text[max(0, start - 2):start]):
                continue  # 比上年增长: a comparison, says nothing of the quantity's own year
            cues.append(Cue(start, end, "relative", None, 2 if found == "前年" else 1))
        elif kind == "cur":
            cues.append(Cue(start, end, "current", None))
        else:
            cues.append(Cue(start, end, "data", None))
    cues.sort(key=lambda c: c.start)
    return cues


def infer_publication_year(text: str, cues: list[Cue], title_years: list[int]) -> int | None:
    """No dateline: the latest year the text reports, or the year after a `截至Y年底`
    figure (a closed year is reported later), whichever is later; years in document titles
    only as a last resort."""
    years = [c.year + 1 if closes_year(text, c) else c.year for c in cues if c.kind == "topic" and c.year]
    if not years:
        # Only years bound to single numbers (由2015年的…增加到2019年的…) or comparisons.
        years = [int(y) for y in LOCAL_YEAR_RE.findall(text)]
        years += [c.year + 1 for c in cues if c.kind == "comparison" and c.year]
    if not years:
        return max(title_years) if title_years else None
    return max(years)


def latest_reported_year(cues: list[Cue], pub_year: int | None) -> int | None:
    ys = [c.year for c in cues if c.kind == "topic" and c.year and (pub_year is None or c.year <= pub_year)]
    return max(ys) if ys else pub_year


def cue_year(c: Cue, pub_year: int | None, latest: int | None) -> int | None:
    if c.kind in ("topic", "target"):
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


def closes_year(text: str, c: Cue) -> bool:
    """截至2019年底 reports a closed year: the article is from a later year."""
    return text[c.end - 1:c.end] in ("底", "末") and "截" in text[c.start:c.start + 2]
