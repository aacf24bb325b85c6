"""分别 after a list of years: 2016年至2019年，全省每年分别减贫11.3万人、12.6万人、16.1万人和13.9万人
gives each year its own figure, in order, as 分别 after a list of regions gives each region
its own (region_context.each_regions)."""
from __future__ import annotations

import re

from fupin.transforms.region_context import EACH, side_by_side
from fupin.transforms.timeline import YEAR

# 2017年、2018年和2019年 | 2016年至2019年 | 2016—2019年: years side by side, the last with its 年
_SERIES = re.compile(rf"{YEAR}年?(?:(?:[、，,和及与至到—－~～-]|以及)+{YEAR}年?)*(?:[、，,和及与至到—－~～-]|以及)+{YEAR}年")
_RANGE = re.compile(rf"^({YEAR})年?(?:至|到|—|－|~|～|-)({YEAR})年$")
_ONE_YEAR = re.compile(YEAR)
# 全省农民和贫困户收入分别增长…: things listed between the years and 分别 are what 分别 goes over
_OTHER_LIST = re.compile(r"[、和及与]")
MAX_YEARS = 12


def listed_years(series: str) -> list[int]:
    """The years a series names, in order: every year of a range; [] where they do not rise."""
    if m := _RANGE.match(series):
        first, last = int(m.group(1)), int(m.group(2))
        return list(range(first, last + 1)) if 1 <= last - first < MAX_YEARS else []
    years = [int(y) for y in _ONE_YEAR.findall(series)]
    return years if all(a < b for a, b in zip(years, years[1:])) else []


def _years_before(text: str, sent_start: int, at: int) -> list[int]:
    """The years listed last before the 分别 at `at`, where nothing else is listed after them."""
    series = list(_SERIES.finditer(text, sent_start, at))
    if not series or _OTHER_LIST.search(text, series[-1].end(), at):
        return []
    return listed_years(series[-1].group())


def _run_after(text: str, at: int, numbers: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    """The numbers right after 分别, side by side (11.3万人、12.6万人和13.9万人; 3万户10万人、4万户12万人)."""
    after = [n for n in numbers if n[0] > at]
    run = after[:1]
    for n in after[1:]:
        if not side_by_side(text, run[-1], n):
            break
        run.append(n)
    return run


def each_years(text: str, sent_start: int, sent_end: int, numbers: list[tuple[int, int, str]]) -> dict[int, int]:
    """Number start -> year, for every 分别 of the sentence that follows a list of years and is
    followed by as many numbers of each unit as there are years. numbers: (start, end, unit)
    of the sentence's numbers in text order."""
    out: dict[int, int] = {}
    at = text.find(EACH, sent_start, sent_end)
    while at >= 0:
        years = _years_before(text, sent_start, at)
        run = _run_after(text, at, numbers) if years else []
        units = {u for _, _, u in run}
        if run and all(sum(1 for n in run if n[2] == u) == len(years) for u in units):
            for u in units:
                out.update({n[0]: y for n, y in zip([n for n in run if n[2] == u], years)})
        at = text.find(EACH, at + len(EACH), sent_end)
    return out
