"""Which indicator a quantity measures: the rules of seeds/indicator_rules.csv found in the
sentence, the nearest winning; and the words that name what is measured (indicator_text)."""
from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass
from functools import lru_cache
from typing import NamedTuple

from fupin.transforms import lexicon
from fupin.transforms.layout import CLAUSE_DELIMS, SENTENCE_END, WINDOW, Layout
from fupin.transforms.numbers import counted_nouns
from fupin.transforms.rx_first import MultiScanner

VERB_BOUNDARY = re.compile(
    r"纳入|发放|实现|提供|参加|进行|开展|获得|享受|脱贫|就业|转移|得到|受益|签约|入住|建立|结对|接受|完成|"
    r"参与|落实|摆脱|进入|达到|进行|占|是"
)
_GENERIC_WORDS = re.compile(r"投入|资金|贷款|" + lexicon.alternation("change_verbs", "down_to") + "|剩余|现有|尚有|还有")
_TEXT_YEAR = re.compile(r"(?:从|由|到|至)?(?:19|20)\d\d年(?:\d{1,2}月)?(?:底|末)?的?")
_TEXT_NUMBER = re.compile(r"[\d.,%]+(?:多|余)?[万亿千]?(?:元|人|户|个|家|名)?")
_FILLER_WORDS = ("截至", "截止", "共计", "共", "累计", "达到", "达", "为", "有", "约", "近", "超过",
                 *lexicon.words("change_verbs", "down_to", "up_to"))
_TEXT_FILLER = re.compile("|".join(_FILLER_WORDS) + r"|\s")
# The words alone open with literals, which `re` scans for in C (with `|\s` among them the whole
# alternation is tried at every position). Removing them, then the whitespace, leaves the same
# text as one pass of _TEXT_FILLER while every word is plain and holds no whitespace:
_FILLER_ONLY_WORDS = re.compile("|".join(_FILLER_WORDS))
_FILLER_PLAIN = all(w == re.escape(w) and not any(c.isspace() for c in w) for w in _FILLER_WORDS)


def _drop_filler(s: str) -> str:
    if _FILLER_PLAIN:
        return "".join(_FILLER_ONLY_WORDS.sub("", s).split())  # str.split's whitespace is re's \s
    return _TEXT_FILLER.sub("", s)


_HAN_WORDS = re.compile(r"[\u4e00-\u9fff]{0,8}")


@dataclass(frozen=True)
class Rule:
    code: str
    pattern: re.Pattern
    units: frozenset
    tier: int


@lru_cache(maxsize=1)
def indicator_rules() -> tuple[Rule, ...]:
    return tuple(Rule(r["indicator_code"], re.compile(lexicon.expand(r["pattern"])), frozenset(r["units"].split("|")),
                      int(r["tier"] or 0)) for r in lexicon.rows("indicator_rules"))


def noun_after(text: str, end: int) -> tuple[str | None, str | None, int]:
    """For 19.5万农户: the counted noun after a number without a unit word."""
    window = text[end:end + 16]
    cut = len(window)
    for i, ch in enumerate(window):
        if ch in SENTENCE_END or ch in CLAUSE_DELIMS or ch in "、()（）“”":
            cut = i
            break
    window = window[:cut]
    vb = VERB_BOUNDARY.search(window, 1)
    if vb:
        window = window[:vb.start()]
    best = None
    for noun, unit in counted_nouns():
        i = window.rfind(noun)
        if i >= 0 and (best is None or i + len(noun) > best[2] or (i + len(noun) == best[2] and len(noun) > len(best[0]))):
            best = (noun, unit, i + len(noun))
    return best if best else (None, None, 0)


class RuleHit(NamedTuple):  # a tuple: ~30 per article, made 5x faster than a frozen dataclass
    start: int
    end: int
    code: str
    tier: int
    units: frozenset
    words: str


@lru_cache(maxsize=1)
def _rule_scanner() -> MultiScanner:
    return MultiScanner([r.pattern for r in indicator_rules()], sparse=True)


def rule_hits(text: str) -> list[RuleHit]:
    """Every indicator rule's matches in the text, once per article, in text order."""
    rules = indicator_rules()
    return [RuleHit(s, e, rules[i].code, rules[i].tier, rules[i].units, text[s:e])
            for i, s, e in _rule_scanner().scan(text)]


def choose_indicator(q_start: int, q_end: int, unit: str, text: str, layout: Layout,
               others: list[tuple[int, int]], hits: list[RuleHit], hit_starts: list[int],
               bounds: tuple[int, int, int, int], region_at: dict[int, int] | None = None
               ) -> tuple[str | None, str | None, dict | None]:
    """(code, words, evidence): the indicator rule whose words stand nearest the number in its
    sentence, and how they reached it (rank: 0 its clause ... 3 words of an earlier quantity;
    the rule's tier; the distance in characters). Words
    before another quantity of the sentence belong to that quantity (a lower rank), unless
    the quantities form a list (分别为75.41亿元、37.38亿元); words in later clauses rank last.
    bounds: the number's sentence start, sentence end, clause start and clause end."""
    sent, sent_end, clause, clause_end = bounds
    sent = max(sent, q_start - WINDOW)
    sent_end = min(sent_end, q_end + WINDOW)
    lo = bisect_right(hit_starts, sent - 1)
    hi = bisect_right(hit_starts, sent_end)
    between = None
    best = None
    for h in hits[lo:hi]:
        if unit not in h.units or h.end > sent_end:
            continue
        s, e = h.start, h.end
        if e <= q_start:
            dist = q_start - e
            rank = 0 if s >= clause else 1
            if rank == 1 and h.code not in INCOME_CODES and "收入" in text[min(clause, e):q_start]:
                # …贫困发生率降到1.32%,农民人均可支配收入年均增长11.1%: the clause's own subject;
                # …收入由7070元上升到10771元,年均增长11.1%: an income told in between is the subject
                continue
            if rank == 1 and text.startswith("占", clause):
                continue  # …贫困人口占乡村人口的14.7%,占全国农村贫困人口的31.4%: a share of another total
            if rank == 1 and _OWN_RATE.search(text, clause, q_start):
                continue  # …参保率99%以上,患病救治管理率99%以上: a rate named in full is its own (not 覆盖率达…)
            if between is None:
                i0, i1 = bisect_right(others, (sent, -1)), bisect_right(others, (q_start, -1))
                between = [(bs, be) for bs, be in others[i0:i1] if be <= q_start]
            if any(e <= bs for bs, be in between):
                # The words name a quantity written before this one: they reach this one
                # with the lowest rank, and not at all across a semicolon.
                if ";" in text[e:q_start] or "；" in text[e:q_start]:
                    continue
                listed = any(e <= bs and (_listed(text, be, q_start, region_at) or _change_to(text, be, q_start))
                             for bs, be in between)
                rank = 1 if listed else 3
        elif s >= q_end:
            after = _rank_after(h, text, q_end, clause_end, others)
            if after is None:
                continue
            rank, dist = after
        else:
            dist, rank = 0, 0
        # Words in later clauses or of earlier quantities lose to any words of this clause
        # or the sentence before it, whatever their tier; generic words count only there.
        if rank >= 2 and h.tier > 0:
            continue
        key = (rank >= 2, h.tier, rank, dist, -len(h.words))  # a tie: the more specific words
        if best is None or key < best[0]:
            best = (key, h.code, h.words)
    return (best[1], best[2], {"rank": best[0][2], "tier": best[0][1], "dist": best[0][3]}) if best else (None, None, None)


def _rank_after(h: RuleHit, text: str, q_end: int, clause_end: int, others: list[tuple[int, int]]
                ) -> tuple[int, int] | None:
    """(rank, distance) of rule words written after the number, or None where they name
    another: past a semicolon, right before another number, after a later number where this
    one counts places of its own, or in a later clause just before a number of their own."""
    s, e = h.start, h.end
    if ";" in text[q_end:s] or "；" in text[q_end:s]:
        return None  # …增长1630元;五是小额信贷投放额…: words past a semicolon are another item's
    k = bisect_right(others, (e, -1))
    if s > q_end and k < len(others) and others[k][0] == e:
        return None  # 累计脱贫55.42万: words written right before a number name that number
    own = text[q_end:q_end + 1]
    if own and own in _PLACE_NOUNS and own not in h.words:
        j = bisect_right(others, (q_end, -1))
        if j < len(others) and others[j][1] <= s:
            return None  # 上海16个区与云南74个贫困县结对: 16 counts 区, the words name the 74
    rank = 0 if s <= clause_end else 2
    if rank == 2 and k < len(others) and others[k][0] - e <= NAMES_NEXT and not _CLAUSE_BREAK.search(
            text, e, others[k][0]):
        return None  # …安置2万人,易地扶贫搬迁贫困人口3万人: a later clause's words name its own number
    if rank == 2 and _follow_a_later_number(text, q_end, s, others):
        return None  # 3千多人参加培训,…,两百余名干部驻村: a later clause's words name the number they follow
    return rank, s - q_end


def _follow_a_later_number(text: str, q_end: int, s: int, others: list[tuple[int, int]]) -> bool:
    """Words at s stand right after a number later than the one ending at q_end, which is no
    list with it (1.2万户3.6万人实现脱贫 is one)."""
    i = bisect_right(others, (s, -1)) - 1
    return (i >= 0 and others[i][0] >= q_end and s - 2 <= others[i][1] <= s
            and not _CLAUSE_BREAK.search(text, others[i][1], s) and not _listed(text, q_end, others[i][0]))


_OWN_RATE = re.compile(r"[\u4e00-\u9fff]{4,}率|(?:认可|满意|知晓|满足)度")  # 群众认可度均在96%: its own measure
INCOME_CODES = frozenset({"rural_income_growth", "rural_income_per_capita", "poor_income_per_capita",
                          "poor_area_rural_income", "village_collective_income"})
NAMES_NEXT = 8  # characters between a later clause's words and the number they name
_CLAUSE_BREAK = re.compile(r"[，,;；。]")
CHANGE_TO = re.compile(r"^[^,;，；。]{0,6}(?:" + lexicon.alternation("change_verbs") + r")(?:了)?(?:[\d.]+年(?:底|末)?的?)?$")


def _change_to(text: str, prev_end: int, q_start: int) -> bool:
    return CHANGE_TO.match(text[prev_end:q_start]) is not None


_PLACE_NOUNS = frozenset("区市州省乡镇村旗县")
_NOUN_ROWS = [r for r in lexicon.rows("count_kinds") if r["role"] == "noun"]
# one alternation, a named group per noun row: the first noun after a count and its kind at once
_FIRST_NOUN = re.compile("|".join(f"(?P<n{i}>{r['pattern']})" for i, r in enumerate(_NOUN_ROWS)))
_NOUN_KIND = {f"n{i}": r["kind"] for i, r in enumerate(_NOUN_ROWS)}
# the same nouns without groups: `re` scans for their first characters in C and finds where the
# first noun starts (the grouped pattern, opening with a group, is tried at every position);
# _FIRST_NOUN then tells which noun stands there
_ANY_NOUN = re.compile("|".join(f"(?:{r['pattern']})" for r in _NOUN_ROWS))
COUNT_KINDS: dict[str, set[str]] = {}
for _r in lexicon.rows("count_kinds"):
    if _r["role"] == "indicator":
        COUNT_KINDS.setdefault(_r["pattern"], set()).add(_r["kind"])
COUNT_NOUN_REACH = 12  # characters after a count where its noun is looked for
_NOUN_STOP = re.compile(r"[,，;；。、:：(（\d]")


def counts_other_kind(code: str | None, text: str, q_end: int) -> bool:
    """934个减贫摘帽重点乡镇 under a county-exit rule: the count's first noun, before any
    punctuation, is of a kind the indicator does not count (seeds/count_kinds.csv)."""
    kinds = COUNT_KINDS.get(code)
    if not kinds:
        return False
    stop = _NOUN_STOP.search(text, q_end, q_end + COUNT_NOUN_REACH)
    end = stop.start() if stop else q_end + COUNT_NOUN_REACH
    at = _ANY_NOUN.search(text, q_end, end)
    if at is None:
        return False
    m = _FIRST_NOUN.match(text, at.start(), end)
    return _NOUN_KIND[m.lastgroup] not in kinds


def _listed(text: str, prev_end: int, q_start: int, region_at: dict[int, int] | None = None) -> bool:
    """Two quantities written as one list: 75.41亿元、37.38亿元 / 160户697人, or items of a list
    by region (贵州农村贫困人口155万人,云南179万人: only a region's name before the next)."""
    gap = text[prev_end:q_start]
    if len(gap) <= 1 and gap in ("", "、", "和", "及"):
        return True
    return bool(region_at) and gap[:1] in ",，、;；" and region_at.get(prev_end + 1) == q_start


def indicator_text(text: str, q_start: int, q_end: int, clause_start: int, clause_end: int,
                    matched: str | None, noun: str | None) -> str:
    if matched and len(matched) >= 3 and not _GENERIC_WORDS.match(matched):
        return matched
    before = text[max(clause_start, q_start - 60):q_start]
    if "年" in before:  # every _TEXT_YEAR match holds one; the pattern is tried at every position
        before = _TEXT_YEAR.sub("", before)
    before = _TEXT_NUMBER.sub("", before)
    before = _drop_filler(before)
    after = text[q_end:min(clause_end, q_end + 40)]
    after_words = _HAN_WORDS.match(after).group(0)
    s = (before[-16:] + (noun or "") + ("" if noun else after_words)).strip("的是和与及,、")
    return s or (matched or "")
