"""Staged articles -> (article metadata, facts).

For each article: normalise (simplified, pinyin removed, offsets kept), find every number
with a unit (transforms.numbers), drop what GOLD.md says is not a fact (dates, durations,
ordinals, labels, titles), then resolve each quantity's indicator (seeds/indicator_rules.csv),
year (transforms.timeline), region (transforms.regions), kind and scope from its sentence,
clause and section. Spans are mapped back to the raw decoded text.
"""
from __future__ import annotations

import csv
import datetime as dt
import re
from bisect import bisect_right
from dataclasses import dataclass
from functools import lru_cache
from typing import NamedTuple

import polars as pl

from fupin.transforms import metadata, timeline
from fupin.transforms.normalize import Normalised, normalise
from fupin.transforms.numbers import Quantity, counted_nouns, find_quantities, prefix_qualifier
from fupin.transforms.regions import Gazetteer, Mention, default_gazetteer
from fupin.transforms.rx_first import MultiScanner
from fupin.transforms.schema import ARTICLE_META, FACT, KNOWN, conform, empty
from fupin import SEEDS


SENTENCE_END = "。！？\n"
# How far around a number its context is read: keeps a 8 MB single-line file linear.
WINDOW = 300
CLAUSE_DELIMS = ",;:，；："

# Chinese-numeral quantities are facts only with these units (两项补贴, 一次性, 一场又一场 are not).
CN_UNITS_OK = {"个", "条", "名", "户", "家", "处", "所", "座", "套", "批", "人", "元", "亩", "万", "亿", "头", "只"}
DURATION_AFTER = re.compile(r"^(?:月|年|小时|季度|星期|工作日|周|世纪|多月|多小时)")
SLOGAN_AFTER = re.compile(r"确保|维护|坚持|务必|精准|不摘|不愁|全覆盖|清零|先行|一批|到位|优先|必须|聚焦|严格")
BEFORE_REJECT = re.compile(r"(?:第|每|这|那|哪|几|前|后)$")
VERB_BOUNDARY = re.compile(
    r"纳入|发放|实现|提供|参加|进行|开展|获得|享受|脱贫|就业|转移|得到|受益|签约|入住|建立|结对|接受|完成|"
    r"参与|落实|摆脱|进入|达到|进行|占|是"
)
TARGET_WORDS = re.compile(r"确保|计划|力争|咬定|争取|目标是|目标为|拟|预期|将(?=[\u4e00-\u9fff]{0,4}(?:实现|完成|确保|建成|新增|减少|扎实|推进|加快|投入|帮助|带动|力争|做好))")
# Every alternative starts with a literal character, the look-behinds come after it
# (区(?<![一-龥]区)内 is (?<![一-龥])区内): then `re` scans for those first characters in C
# instead of trying the pattern at every position (7x faster).
ANAPHOR_RE = re.compile(
    r"(?P<kind>全区|该区|本区|我区|我县|我市|我省|我州|我旗|区(?<![\u4e00-\u9fff]区)内|城(?<![老新主]城)区|辖区|全县|该县|本县|县(?<![\u4e00-\u9fff]县)内|"
    r"全市|该市|本市|市(?<![\u4e00-\u9fff]市)内|全省|该省|本省|省(?<![\u4e00-\u9fff]省)内|全州|该州|全旗|该旗|"
    r"自治区|全国)"
)
# 人均/户均 figures are averages of a region, not of one person: not listed here.
PERSON_BEFORE = re.compile(r"(?:每人|每户|每名|每位|每个人|每家)[\u4e00-\u9fff]{0,6}$")
LOCAL_BEFORE = re.compile(r"每个(?:贫困|行政|脱贫|村|乡|镇)?[\u4e00-\u9fff]{0,4}$|每村|每镇|每乡")
ENTITY_AFTER = re.compile(r"^[^,;。，；]{0,3}的?[\u4e00-\u9fff]{0,14}(?:基地|产业园|示范园|合作社|有限公司|公司|工厂)")
ENTITY_SUBJECT = re.compile(r"合作社|有限公司|公司|基地|车间基地|扶贫车间|工厂")
FROM_YEAR = re.compile(r"(?:从|由)((?:19|20)\d\d)年(?:底|末)?的")
MONEY_BEFORE = re.compile(r"资金|投资|投入|收入|贷款|经费|补贴|补助|产值|营业额|销售额")
QUOTE_PAIRS = {"“": "”", "《": "》", "【": "】", "「": "」", "‘": "’"}
# Patterns used per quantity, compiled once (re's own cache costs a lookup per call).
_HEADING_REJECT = re.compile(r"[。!?！？\d]")
_CN_NUMERAL_AFTER = re.compile(r"^[一二两三四五六七八九十百千万]")
_GENERIC_WORDS = re.compile(r"投入|资金|贷款|减少到|下降到|降至|减至|降到|减少至|剩余|现有|尚有|还有")
_TEXT_YEAR = re.compile(r"(?:从|由|到|至)?(?:19|20)\d\d年(?:\d{1,2}月)?(?:底|末)?的?")
_TEXT_NUMBER = re.compile(r"[\d.,%]+(?:多|余)?[万亿千]?(?:元|人|户|个|家|名)?")
_TEXT_FILLER = re.compile(r"截至|截止|共计|共|累计|达到|达|为|有|约|近|超过|减少到|下降到|降至|降到|增加到|提高到|\s")
_HAN_WORDS = re.compile(r"[\u4e00-\u9fff]{0,8}")
_FIRST_PERSON = re.compile(r"我|俺")
_BOUND_OF = re.compile(r"^(?:以上|以下)的")
_BOUND_OF_WHO = re.compile(r"^(?:以上|以下)(?:的|[\u4e00-\u9fff]{2,}(?:村|户|人|企业))")
_OF_AFTER = re.compile(r"^[^,;。，；]{0,3}的")
_SITE_AFTER = re.compile(r"^[\u4e00-\u9fff]{0,14}(?:基地|产业园|示范园)")
_COMPANY = re.compile(r"合作社|有限公司|公司")
_TITLE_YEAR = re.compile(r"((?:19|20)\d\d)年")
_TASK_AFTER = re.compile(r"^[^,;。，；]{0,20}(?:年度|建设|目标)任务(?![^,;。]*(?:完成|竣工))")
_SENT_RE = re.compile("[" + re.escape(SENTENCE_END) + "]")
_CLAUSE_RE = re.compile("[" + re.escape(SENTENCE_END + CLAUSE_DELIMS) + "]")
_QUOTE_RE = re.compile("[“”《》【】「」‘’\n]")


@dataclass(frozen=True)
class Rule:
    code: str
    pattern: re.Pattern
    units: frozenset
    tier: int


@lru_cache(maxsize=1)
def indicator_rules() -> tuple[Rule, ...]:
    with open(SEEDS / "indicator_rules.csv", encoding="utf-8", newline="") as f:
        return tuple(Rule(r["indicator_code"], re.compile(r["pattern"]), frozenset(r["units"].split("|")),
                          int(r["tier"] or 0)) for r in csv.DictReader(f))


# ---------------------------------------------------------------- text structure

class Layout:
    """Sentences, clauses and sections of a normalised text, for context look-ups."""

    def __init__(self, text: str):
        self.text = text
        self.sent_starts = [0] + [m.end() for m in _SENT_RE.finditer(text)]
        self.clause_starts = [0] + [m.end() for m in _CLAUSE_RE.finditer(text)]
        # A section starts at a short heading line (no sentence end, no digits) after the first line.
        self.section_starts = [0]
        pos = 0
        for i, line in enumerate(text.split("\n")):
            s = line.strip()
            if i > 0 and 4 <= len(s) <= 30 and not _HEADING_REJECT.search(s) and not s.endswith(":"):
                self.section_starts.append(pos)
            pos += len(line) + 1
        self.quote_spans = sorted(self._quotes(text))
        self.quote_starts = [q[0] for q in self.quote_spans]

    @staticmethod
    def _quotes(text: str) -> list[tuple[int, int, str]]:
        spans, stack = [], []
        for m in _QUOTE_RE.finditer(text):
            i, ch = m.start(), m.group(0)
            if ch in QUOTE_PAIRS:
                stack.append((ch, i))
            elif stack and ch == QUOTE_PAIRS[stack[-1][0]]:
                op, s = stack.pop()
                spans.append((s, i + 1, op))
            elif ch == "\n":
                stack.clear()
        return spans

    def sentence(self, pos: int) -> int:
        return self.sent_starts[bisect_right(self.sent_starts, pos) - 1]

    def sentence_end(self, pos: int) -> int:
        i = bisect_right(self.sent_starts, pos)
        return self.sent_starts[i] - 1 if i < len(self.sent_starts) else len(self.text)

    def clause(self, pos: int) -> int:
        return self.clause_starts[bisect_right(self.clause_starts, pos) - 1]

    def clause_end(self, pos: int) -> int:
        i = bisect_right(self.clause_starts, pos)
        return self.clause_starts[i] - 1 if i < len(self.clause_starts) else len(self.text)

    def section(self, pos: int) -> int:
        return self.section_starts[bisect_right(self.section_starts, pos) - 1]

    def enclosing_quote(self, start: int, end: int) -> tuple[int, int, str] | None:
        """The innermost quote around [start, end). Quotes nest only shallowly, so a few
        steps back from the last quote opening before `start` suffice."""
        i = bisect_right(self.quote_starts, start - 1) - 1
        best = None
        for s, e, op in self.quote_spans[max(0, i - 8):i + 1][::-1]:
            if s < start and end < e and (best is None or e - s < best[1] - best[0]):
                best = (s, e, op)
        return best


# ---------------------------------------------------------------- regions in context

@dataclass
class Anchor:
    """A place in the text that names a region: a resolved mention or an anaphor."""
    start: int
    end: int
    code: str
    list_group: int  # anchors joined by 、 share a group


def region_anchors(text: str, gaz: Gazetteer, year: int | None, title_end: int,
                   mentions: list[Mention] | None = None) -> tuple[list[Anchor], str | None]:
    """Resolve region mentions (gaz.find(text), unless given) and anaphors (全区, 该市 ...) to
    codes; return them with the article's main region."""
    mentions = gaz.find(text) if mentions is None else mentions
    first = gaz.resolve([Mention(m.start, m.end, m.surface, m.candidates, m.is_short) for m in mentions], year, None)
    main = _main_region(first, gaz, title_end)
    province = gaz.region(main).province if main else None
    resolved = gaz.resolve(mentions, year, province)
    if province:
        main = _main_region(resolved, gaz, title_end) or main
    spans = [(m.start, m.end) for m in resolved]

    anchors: list[Anchor] = []
    for m in resolved:
        anchors.append(Anchor(m.start, m.end, m.region.code, -1))
    span_starts = [sp[0] for sp in spans]
    for a in ANAPHOR_RE.finditer(text):
        k = bisect_right(span_starts, a.start()) - 1
        if k >= 0 and spans[k][0] <= a.start() < spans[k][1]:
            continue
        anchors.append(Anchor(a.start(), a.end(), "?" + a.group("kind"), -1))
    anchors.sort(key=lambda a: a.start)
    # Resolve anaphors against what came before.
    main_name = gaz.region(main).name if main else ""
    latest: dict[str, str] = {}  # name ending (区, 县, 市 ...) -> the latest region so named
    for a in anchors:
        if a.code.startswith("?"):
            a.code = _resolve_anaphor(a.code[1:], latest, gaz, main, main_name) or ""
        r = gaz.region(a.code)
        if r:
            latest[r.name[-1]] = r.code
    anchors = [a for a in anchors if a.code]
    # 、-joined lists (河池、百色市) and nested names (南宁市兴宁区): group neighbours.
    group = 0
    for i, a in enumerate(anchors):
        if i and text[anchors[i - 1].end:a.start] in ("、", "和", "及") and a.start - anchors[i - 1].end <= 1:
            a.list_group = anchors[i - 1].list_group
        else:
            group += 1
            a.list_group = group
    return anchors, main


def _main_region(resolved: list[Mention], gaz: Gazetteer, title_end: int) -> str | None:
    in_title = [m for m in resolved if m.end <= title_end]
    if in_title:
        depth = {"province": 0, "prefecture": 1, "county": 2, "country": -1}
        return max(in_title, key=lambda m: (depth.get(m.region.level, 0), m.start)).region.code
    counts: dict[str, int] = {}
    for m in resolved:
        counts[m.region.code] = counts.get(m.region.code, 0) + 1
    if not counts:
        return None
    return max(counts, key=lambda c: (counts[c], -len(c)))


def _resolve_anaphor(kind: str, latest: dict[str, str], gaz: Gazetteer, main: str | None, main_name: str) -> str | None:
    if kind == "全国":
        return "100000" if gaz.region("100000") else None
    suffix = {"区": "区", "县": "县", "市": "市", "省": "省", "州": "州", "旗": "旗"}
    if kind in ("城区", "辖区"):
        return main
    if kind == "自治区":
        if main and gaz.region(main).province and gaz.region(gaz.region(main).province).name.endswith("自治区"):
            return gaz.region(main).province
        return None
    ch = kind[1] if kind[0] in "全该本我" else kind[0]
    want = suffix.get(ch)
    if kind.startswith(("全", "我")) and main_name.endswith(want or "#"):
        return main
    if want and want in latest:
        return latest[want]
    if want == "县" and "旗" in latest:
        return latest["旗"]
    if main_name.endswith(want or "#"):
        return main
    return main if kind.startswith("全") else None


def region_for(pos: int, clause_start: int, sent_start: int, anchors: list[Anchor], gaz: Gazetteer,
               main: str | None, starts: list[int], groups: dict[int, list[str]]) -> tuple[str | None, str]:
    sent_start = max(sent_start, pos - WINDOW)
    clause_start = max(clause_start, pos - WINDOW)

    def pick(lo: int) -> Anchor | None:
        # 全国 (排名全国前列, 全国首份) names the country only for a number in its own clause.
        i = bisect_right(starts, pos) - 1
        while i >= 0 and anchors[i].start >= lo:
            a = anchors[i]
            if a.end <= pos and (a.code != "100000" or a.start >= clause_start):
                return a
            i -= 1
        return None

    for lo, source in ((clause_start, "clause"), (sent_start, "sentence")):
        a = pick(lo)
        if a is None:
            continue
        group = groups[a.list_group]
        if len(group) > 1:
            # A list of sibling regions -> their smallest common region; a nested name keeps the deepest.
            nested = all(gaz.common_ancestor([g, a.code]) in (g, a.code) for g in group)
            code = a.code if nested else (gaz.common_ancestor(group) or a.code)
            return code, source
        return a.code, source
    return main, "article"


# ---------------------------------------------------------------- one article

@dataclass
class ArticleFacts:
    meta: dict
    facts: list[dict]


def _noun_after(text: str, end: int) -> tuple[str | None, str | None, int]:
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


def _is_label_or_noise(q: Quantity, text: str, layout: Layout) -> bool:
    before, after = text[max(0, q.start - 2):q.start], text[q.end:q.end + 4]
    if before.endswith(("第", "+", "-", ".", "/")) or after.startswith(("+", "-")):
        return True
    if before[-1:].isdigit():
        return True
    if q.unit_surface == "个" and DURATION_AFTER.match(after):
        return True
    if q.unit_surface == "个" and after.startswith("年头"):
        return True
    if q.is_chinese:
        if q.value < 2 or (q.unit_surface and q.unit_surface not in CN_UNITS_OK and not q.magnitude):
            return True
        if BEFORE_REJECT.search(before):
            return True
        if q.unit_surface and (after.startswith(q.unit_surface) or after.startswith("又")):
            return True
        if _CN_NUMERAL_AFTER.match(after):  # 两个一百, 一村一品, 千家万户
            return True
        if SLOGAN_AFTER.match(text[q.end:q.end + 4]):  # 两个确保, 六个精准, 四个不摘
            return True
    quote = layout.enclosing_quote(q.start, q.end)
    if quote:
        s, e, op = quote
        if op in ("《", "【") or e - s <= 16:
            return True
    return False


class RuleHit(NamedTuple):  # a tuple: ~30 per article, made 5x faster than a frozen dataclass
    start: int
    end: int
    code: str
    tier: int
    units: frozenset
    words: str


@lru_cache(maxsize=1)
def _rule_scanner() -> MultiScanner:
    return MultiScanner([r.pattern for r in indicator_rules()])


def rule_hits(text: str) -> list[RuleHit]:
    """Every indicator rule's matches in the text, once per article, in text order."""
    rules = indicator_rules()
    return [RuleHit(s, e, rules[i].code, rules[i].tier, rules[i].units, text[s:e])
            for i, s, e in _rule_scanner().scan(text)]


def _indicator(q_start: int, q_end: int, unit: str, text: str, layout: Layout,
               others: list[tuple[int, int]], hits: list[RuleHit], hit_starts: list[int],
               bounds: tuple[int, int, int, int]) -> tuple[str | None, str | None]:
    """The indicator rule whose words stand nearest the number in its sentence. Words
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
            if between is None:
                i0, i1 = bisect_right(others, (sent, -1)), bisect_right(others, (q_start, -1))
                between = [(bs, be) for bs, be in others[i0:i1] if be <= q_start]
            if any(e <= bs for bs, be in between):
                # The words name a quantity written before this one: they reach this one
                # with the lowest rank, and not at all across a semicolon.
                if ";" in text[e:q_start] or "；" in text[e:q_start]:
                    continue
                listed = any(e <= bs and (_listed(text, be, q_start) or _change_to(text, be, q_start))
                             for bs, be in between)
                rank = 1 if listed else 3
        elif s >= q_end:
            dist = s - q_end
            rank = 0 if s <= clause_end else 2
        else:
            dist, rank = 0, 0
        # Words in later clauses or of earlier quantities lose to any words of this clause
        # or the sentence before it, whatever their tier; generic words count only there.
        if rank >= 2 and h.tier > 0:
            continue
        key = (rank >= 2, h.tier, rank, dist)
        if best is None or key < best[0]:
            best = (key, h.code, h.words)
    return (best[1], best[2]) if best else (None, None)


CHANGE_TO = re.compile(r"^[^,;，；。]{0,6}(?:下降到|下降至|降低到|降低至|降至|降到|减少到|减少至|减至|增加到|增加至|增长到|增长至|提高到|提高至|上升到|上升至|升至|增至|达到|到)(?:了)?(?:[\d.]+年(?:底|末)?的?)?$")


def _change_to(text: str, prev_end: int, q_start: int) -> bool:
    return CHANGE_TO.match(text[prev_end:q_start]) is not None


def _listed(text: str, prev_end: int, q_start: int) -> bool:
    """Two quantities written as one list: 75.41亿元、37.38亿元 / 160户697人."""
    gap = text[prev_end:q_start]
    return len(gap) <= 1 and gap in ("", "、", "和", "及")


def _indicator_text(text: str, q_start: int, q_end: int, clause_start: int, clause_end: int,
                    matched: str | None, noun: str | None) -> str:
    if matched and len(matched) >= 3 and not _GENERIC_WORDS.match(matched):
        return matched
    before = text[max(clause_start, q_start - 60):q_start]
    before = _TEXT_YEAR.sub("", before)
    before = _TEXT_NUMBER.sub("", before)
    before = _TEXT_FILLER.sub("", before)
    after = text[q_end:min(clause_end, q_end + 40)]
    after_words = _HAN_WORDS.match(after).group(0)
    s = (before[-16:] + (noun or "") + ("" if noun else after_words)).strip("的是和与及,、")
    return s or (matched or "")


def _scope(q: Quantity, text: str, layout: Layout, clause_start: int, sent_start: int, earlier_in_clause: str | None) -> str:
    before = text[max(clause_start, q.start - 40):q.start]
    after = text[q.end:q.end + 24]
    quote = layout.enclosing_quote(q.start, q.end)
    if q.per_unit or PERSON_BEFORE.search(before[-12:]) or (quote and quote[2] == "“" and _FIRST_PERSON.search(text, quote[0], quote[1])):
        return "threshold" if q.per_unit and not PERSON_BEFORE.search(before[-12:]) else "person"
    if LOCAL_BEFORE.search(before[-12:]):
        return "local"
    if q.qualifier in ("at_least", "less_than") and (_BOUND_OF.match(text[q.end - 2:q.end + 1]) or
                                                     _BOUND_OF_WHO.match(after)):
        return "threshold"
    if q.qualifier == "at_least" and earlier_in_clause in ("count", "household", "person") and q.unit_code == "yuan":
        return "threshold"
    if ENTITY_AFTER.match(after) and q.unit_code in ("mu", "m2", "count", "person", "household"):
        if _OF_AFTER.match(after) or _SITE_AFTER.match(after):
            return "entity"
    subject = text[sent_start:min(layout.clause_end(sent_start), sent_start + 60)]
    if ENTITY_SUBJECT.search(subject) and not ANAPHOR_RE.search(subject) and _COMPANY.search(subject):
        return "entity"
    return "region"


def extract_article(article_id: str, raw: str, gaz: Gazetteer | None = None, norm: Normalised | None = None,
                    mentions: list[Mention] | None = None, known: dict | None = None) -> ArticleFacts:
    """The facts of one article. norm (normalise(raw)) and mentions (gaz.find(norm.text)) may
    be passed in when computed for many articles at once. known: what the input said about
    the article (transforms.schema.KNOWN keys, None values ignored): a known publication date
    wins over the dateline and inference, a known title/outlet/url over the text's, a known
    region is the main region where the text names none."""
    known = {k: v for k, v in (known or {}).items() if v is not None}
    gaz = gaz or default_gazetteer()
    norm = normalise(raw) if norm is None else norm
    text = norm.text
    layout = Layout(text)

    title = metadata.find_title(text)
    title_end = text.find(title) + len(title) if title else 0
    dateline, dl_start, dl_end = metadata.find_dateline(text)
    doc_titles = [(s, e) for s, e, op in layout.quote_spans if op == "《"]
    if dl_start is not None:
        doc_titles.append((dl_start, dl_end))
    cues = timeline.find_cues(text, doc_titles)
    title_years = [int(y) for s, e in doc_titles for y in _TITLE_YEAR.findall(text, s, e)]
    if "known_pub_date" in known:
        dateline = known["known_pub_date"]
        pub_year, pub_source = dateline.year, known.get("known_pub_date_source") or "known"
    elif dateline:
        pub_year, pub_source = dateline.year, "dateline"
    else:
        pub_year = timeline.infer_publication_year(text, cues, title_years)
        pub_source = "text_latest_year" if pub_year else "unknown"
    latest = timeline.latest_reported_year(cues, pub_year)

    anchors, main_region = region_anchors(text, gaz, pub_year, title_end, mentions)
    if main_region is None and "known_region" in known:
        main_region = known_region(known["known_region"], gaz, pub_year)
    anchor_starts = [a.start for a in anchors]
    anchor_groups: dict[int, list[str]] = {}
    for a in anchors:
        anchor_groups.setdefault(a.list_group, []).append(a.code)

    quantities = sorted((q for q in find_quantities(text) if not _is_label_or_noise(q, text, layout)), key=lambda q: q.start)
    spans = [(q.start, q.end) for q in quantities]
    hits = rule_hits(text)
    hit_starts = [h.start for h in hits]
    facts = []
    cue_starts = [c.start for c in cues]
    last_topic, k = [], -1  # per cue index: the latest topic-like cue at or before it
    for i, c in enumerate(cues):
        if c.kind in ("topic", "relative", "data"):
            k = i
        last_topic.append(k)
    prev_unit_by_clause: dict[int, str] = {}
    for q in quantities:
        unit, noun = q.unit_code, None
        end = q.end
        if unit is None:  # 19.5万农户: the noun after says what is counted
            noun, unit, _ = _noun_after(text, q.end)
            if unit is None and MONEY_BEFORE.search(text[max(layout.clause(q.start), q.start - 10):q.start]):
                unit = "yuan"  # 投入资金3.2亿: money written without 元
            if unit is None:
                continue
        if dl_start is not None and dl_start <= q.start < dl_end:
            continue
        sent_start, clause_start = layout.sentence(q.start), layout.clause(q.start)
        clause_end = layout.clause_end(end)

        # qualifier
        qualifier = q.qualifier
        pre_q = prefix_qualifier(text, q.start)
        if qualifier == "exact" and pre_q:
            qualifier = pre_q

        # year
        year, year_source, kind = None, None, "actual"
        local = timeline.LOCAL_BEFORE_RE.search(text[max(0, q.start - 14):q.start])
        parallel = None
        if not local and text[max(0, q.start - 1):q.start] in ("从", "由"):
            # 贫困发生率从18.52%下降到 after 从2014年的115.45万人减少到: the same start year.
            parallel = FROM_YEAR.findall(text[max(sent_start, q.start - WINDOW):q.start])
        if local:
            year, year_source = int(local.group(1)), "explicit_local"
        elif parallel:
            year, year_source = int(parallel[-1]), "explicit_parallel"
        else:
            i = bisect_right(cue_starts, q.start) - 1
            while i >= 0 and cues[i].start >= max(sent_start, q.start - WINDOW):
                c = cues[i]
                if c.end <= q.start:
                    if c.kind == "comparison" and cues[i].start < clause_start:
                        i -= 1
                        continue
                    year, year_source = timeline.cue_year(c, pub_year, latest), c.kind
                    if c.kind == "target":
                        kind = "target"
                    break
                i -= 1
            if year is None:
                # The paragraph's latest cue of any kind (今年以来 frames its paragraph) ...
                para = text.rfind("\n", 0, sent_start) + 1
                j = bisect_right(cue_starts, sent_start) - 1
                if j >= 0 and cues[j].start >= para and cues[j].kind in ("since", "current"):
                    year, year_source = timeline.cue_year(cues[j], pub_year, latest), "context_" + cues[j].kind
            if year is None:
                # ... else the section's latest explicit year.
                sec = layout.section(q.start)
                j = bisect_right(cue_starts, sent_start) - 1
                k = last_topic[j] if j >= 0 else -1
                if k >= 0 and cues[k].start >= sec:
                    year, year_source = timeline.cue_year(cues[k], pub_year, latest), "context_" + cues[k].kind
            if year is None:
                year, year_source = pub_year, "publication" if pub_year else "unknown"

        # kind
        sent_before = text[max(sent_start, q.start - WINDOW):q.start]
        clause_after = text[q.end:clause_end]
        if TARGET_WORDS.search(sent_before) or _TASK_AFTER.match(clause_after):
            kind = "target"
        if year and pub_year and year > pub_year:
            kind = "target"

        indicator_code, matched = _indicator(q.start, end, unit, text, layout, spans, hits, hit_starts,
                                             (sent_start, layout.sentence_end(end), clause_start, clause_end))
        region_code, region_source = region_for(q.start, clause_start, sent_start, anchors, gaz, main_region,
                                                anchor_starts, anchor_groups)
        earlier = prev_unit_by_clause.get(clause_start)
        scope = _scope(q, text, layout, clause_start, sent_start, earlier)
        prev_unit_by_clause[clause_start] = unit

        raw_start, raw_end = norm.raw_span(q.start, end)
        facts.append({
            "article_id": article_id, "char_start": raw_start, "char_end": raw_end,
            "surface": raw[raw_start:raw_end], "value": q.value, "value_base": round(q.value_base, 6),
            "unit_code": unit, "qualifier": qualifier, "indicator_code": indicator_code,
            "indicator_text": _indicator_text(text, q.start, end, clause_start, clause_end, matched, noun),
            "year": year, "year_source": year_source, "region_code": region_code,
            "region_source": region_source, "kind": kind, "scope": scope,
            "context": text[max(clause_start, q.start - 150):min(clause_end, end + 50)],
        })

    if dateline is None and pub_year:
        md = metadata.wire_month_day(text)
        if md:
            try:
                dateline = dt.date(pub_year, *md)
                pub_source = "wire_dateline_year_inferred"
            except ValueError:
                pass
    meta = {
        "article_id": article_id, "title": known.get("known_title", title), "pub_date": dateline,
        "pub_date_source": pub_source, "outlet": known.get("known_outlet") or metadata.find_outlet(text),
        "url": known.get("known_url"),
        "main_region_code": main_region, "n_chars": len(raw),
        "pub_year": pub_year,
    }
    return ArticleFacts(meta, facts)


def known_region(value: str, gaz: Gazetteer, year: int | None) -> str | None:
    """A region the input named (a code, or a name as a text would write it) as a code."""
    if gaz.region(value):
        return value
    found = gaz.resolve(gaz.find(value), year, None)
    return found[0].region.code if found else None


@lru_cache(maxsize=1)
def extractor_version() -> str:
    """A digest of everything that decides what facts an article yields: the extraction
    modules and the lexicons in seeds/. A warehouse built by another version is re-extracted.
    Computed in transforms.version (stdlib only: `fupin run` checks it before heavy imports)."""
    from fupin.transforms.version import extractor_digest

    return extractor_digest()


def _extract_rows(rows: list[tuple[str, str]], knowns: list[dict | None]) -> tuple[list[dict], list[dict]]:
    gaz = default_gazetteer()
    norms = [normalise(raw or "") for _, raw in rows]
    mentions = gaz.find_many([n.text for n in norms])  # one region-name pass for the chunk
    metas, facts = [], []
    for (article_id, raw), norm, ms, known in zip(rows, norms, mentions, knowns):
        res = extract_article(article_id, raw or "", gaz, norm, ms, known)
        metas.append(res.meta)
        facts.extend(res.facts)
    return metas, facts


def extract_batch(articles: pl.DataFrame) -> tuple[pl.DataFrame, pl.DataFrame]:
    """articles: frame of transforms.schema.ARTICLE. Returns (ARTICLE_META frame, FACT frame).
    Runs in the calling process; flows.pool spreads batches over processes."""
    if articles.height == 0:
        return empty(ARTICLE_META), empty(FACT)
    known_cols = [c for c in KNOWN if c in articles.columns]
    knowns = articles.select(known_cols).to_dicts() if known_cols else [None] * articles.height
    metas, facts = _extract_rows(list(articles.select("article_id", "raw_text").iter_rows()), knowns)
    meta_df = pl.DataFrame(metas, infer_schema_length=None)
    # Publication date without a dateline: 1 July of the inferred year, flagged by pub_date_source.
    meta_df = meta_df.with_columns(
        pl.when(pl.col("pub_date").is_null() & pl.col("pub_year").is_not_null())
        .then(pl.date(pl.col("pub_year"), 7, 1)).otherwise(pl.col("pub_date")).alias("pub_date")
    )
    fact_df = pl.DataFrame(facts, schema=FACT) if facts else empty(FACT)
    return conform(meta_df, ARTICLE_META), conform(fact_df, FACT)
