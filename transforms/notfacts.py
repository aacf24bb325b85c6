"""Numbers that are not facts (GOLD.md, What counts): ordinals, durations, numbers inside
labels and slogans, short quotes and document titles, Chinese-numeral idioms."""
from __future__ import annotations

import re

from fupin.transforms import lexicon
from fupin.transforms.layout import Layout
from fupin.transforms.numbers import Quantity, prefix_qualifier
from fupin.transforms.rx_first import may_hold, openers

# Chinese-numeral quantities are facts only with these units (两项补贴, 一次性, 一场又一场 are not).
CN_UNITS_OK = frozenset(lexicon.words("not_a_fact", "cn_unit_ok"))
DURATION_AFTER = re.compile(f"^(?:{lexicon.alternation('not_a_fact', 'duration_after')})")
SLOGAN_AFTER = re.compile(lexicon.alternation("not_a_fact", "slogan_after"))
BEFORE_REJECT = re.compile(f"(?:{lexicon.alternation('not_a_fact', 'before_reject')})$")
COUNTER_BEFORE = re.compile(f"(?:{lexicon.alternation('not_a_fact', 'counter_before')})" + r"\s*[:：]\s*$")
_COUNTER_OPENERS = openers(COUNTER_BEFORE)
_CN_DIGIT = re.compile("[一二两三四五六七八九十]")
_CN_NUMERAL_AFTER = re.compile(r"^[一二两三四五六七八九十百千万]")
_PERSONS_AFTER = re.compile(r"[零〇一二两三四五六七八九十百千万]+(?:余|多)?[人名]")


def is_not_a_fact(q: Quantity, text: str, layout: Layout) -> bool:
    before, after = text[max(0, q.start - 2):q.start], text[q.end:q.end + 4]
    if before.endswith(("第", "+", "-", ".", "/")) or after.startswith(("+", "-")):
        return True
    if before[-1:].isdigit():
        return True
    counter_from = max(0, q.start - 8)
    if may_hold(_COUNTER_OPENERS, text[counter_from:q.start]) and COUNTER_BEFORE.search(text, counter_from, q.start):
        return True  # 阅读:161 次: a page's counter
    if q.unit_surface == "个" and DURATION_AFTER.match(after):
        return True
    if q.unit_surface == "个" and after.startswith("年头"):
        return True
    if q.is_chinese:
        written_percent = q.unit_surface == "百分之"  # 百分之二十二点一, 百分之零点四, 百分之百
        if not _CN_DIGIT.search(q.number_text) and not written_percent and not (
                q.qualifier != "exact" or prefix_qualifier(text, q.start)):
            return True  # 百万职工, 千家万户: a magnitude word alone is a label (百余万人, 逾百万人, 超百亿元: a figure)
        share = q.unit_code == "percent" and not q.unit_surface  # 一半, 四分之一, 一倍: numbers.find_shares
        if q.value < 2 and not share and not written_percent:
            return True
        if q.unit_surface and q.unit_surface not in CN_UNITS_OK and not q.magnitude and not written_percent:
            return True
        if BEFORE_REJECT.search(before):
            return True
        if q.unit_surface and (after.startswith(q.unit_surface) or after.startswith("又")):
            return True
        if _CN_NUMERAL_AFTER.match(after) and not (q.unit_surface == "户" and _PERSONS_AFTER.match(text, q.end)):
            return True  # 两个一百, 一村一品, 千家万户; not households and their persons (三百一十二户一千四百零五人)
        if SLOGAN_AFTER.match(text[q.end:q.end + 4]):  # 两个确保, 六个精准, 四个不摘
            return True
    quote = layout.enclosing_quote(q.start, q.end)
    if quote:
        s, e, op = quote
        if op in ("《", "【") or e - s <= 16:
            return True
    return False
