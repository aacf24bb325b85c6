"""Two figures written as a pair name each other's measure: a count of households beside a count
of people (8630户、21540人稳定脱贫), and the urban and rural members of a 城乡居民 figure
(城乡居民人均可支配收入分别增长8.2%和10.5%). Words near a pair often name the measure of one
member only; these rules give the other member its measure, from seeds/paired_indicators.csv
and seeds/urban_rural_measures.csv."""
from __future__ import annotations

import re
from collections.abc import Callable

from fupin.transforms import lexicon

_HOUSEHOLD_OF = {r["person_code"]: r["household_code"] for r in lexicon.rows("paired_indicators")}
_PERSON_OF = {r["household_code"]: r["person_code"] for r in lexicon.rows("paired_indicators")}
PAIR_GAPS = frozenset({"", "、"})  # 4147户15362人, 8630户、21540人: nothing else joins a pair
_CELL_GAP = re.compile(r"[ \t\u3000]{2,}|\t")  # or the gap between two cells of a table's row (脱贫户数  脱贫人口)

_RURAL = {(r["measure"], r["unit"]): r["indicator_code"] for r in lexicon.rows("urban_rural_measures")}
_RURAL_CODES = frozenset(_RURAL.values())
_MEASURES = sorted({m for m, _ in _RURAL}, key=len, reverse=True)  # the longest measure word first
_URBAN_RURAL = re.compile(r"城乡(?:居民)?(?:人均)?(" + "|".join(map(re.escape, _MEASURES)) + ")")
_EACH_BEFORE = re.compile(r"分别[\u4e00-\u9fff]{0,4}$")  # 分别增长, 分别达到 right before the first member
URBAN_RURAL_GAPS = frozenset({"和", "、", "与"})


def households_of_their_people(facts: list[dict], read: list[tuple[int, int, str]], text: str) -> None:
    """A household count and a people count side by side (either first) count one event: the
    member whose measure no words name takes its partner's counterpart."""
    for i in range(len(read) - 1):
        (_, end, unit), (start, _, next_unit) = read[i], read[i + 1]
        gap = text[end:start]
        if {unit, next_unit} != {"household", "person"} or not (gap in PAIR_GAPS or _CELL_GAP.fullmatch(gap)):
            continue
        house, person = (facts[i], facts[i + 1]) if unit == "household" else (facts[i + 1], facts[i])
        if house["indicator_code"] is None and person["indicator_code"] in _HOUSEHOLD_OF:
            house["indicator_code"] = _HOUSEHOLD_OF[person["indicator_code"]]
        elif person["indicator_code"] is None and house["indicator_code"] in _PERSON_OF:
            person["indicator_code"] = _PERSON_OF[house["indicator_code"]]


def rural_member_of_urban_rural(facts: list[dict], read: list[tuple[int, int, str]], text: str,
                                sentence_of: Callable[[int], int]) -> None:
    """城乡居民人均可支配收入分别达到33156元和13817元，分别增长5.1%和7.9%: each 分别 pair after a
    城乡居民 measure in its sentence is urban then rural; the rural member is of the measure's rural
    indicator, and the urban member of none of them."""
    if "城乡" not in text:
        return
    for i in range(len(read) - 1):
        (start, end, unit), (next_start, _, next_unit) = read[i], read[i + 1]
        if unit != next_unit or text[end:next_start] not in URBAN_RURAL_GAPS:
            continue
        found = None
        for m in _URBAN_RURAL.finditer(text, sentence_of(start), start):
            found = m
        if found is None or not _EACH_BEFORE.search(text[found.end():start]):
            continue
        code = _RURAL.get((found.group(1), unit))
        if code is None:
            continue
        if facts[i + 1]["indicator_code"] is None:
            facts[i + 1]["indicator_code"] = code
        if facts[i]["indicator_code"] in _RURAL_CODES:
            facts[i]["indicator_code"] = None
