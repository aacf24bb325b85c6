"""Staged articles -> (article metadata, facts): a composition of one module per decision.

For each article: normalise (simplified, pinyin removed, offsets kept: normalize), find
every number with a unit (numbers), drop what GOLD.md says is not a fact (notfacts), then
resolve each quantity's year (timeline), region (region_context), indicator (indicators),
kind and scope (scope), reading sentences, clauses and sections (layout). Spans are mapped
back to the raw decoded text.
"""
from __future__ import annotations

import datetime as dt
import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field
from functools import lru_cache
from operator import attrgetter, itemgetter

import polars as pl

from fupin.transforms import confidence, kind_choice, lexicon, linear, metadata, region_choice, timeline, year_choice
from fupin.transforms.indicators import choose_indicator, counts_other_kind, indicator_text, noun_after, rule_hits
from fupin.transforms.layout import WINDOW, Layout
from fupin.transforms.normalize import Normalised, normalise
from fupin.transforms.notfacts import is_not_a_fact
from fupin.transforms.numbers import (YEAR_LABEL, Quantity, caption_title_span, find_quantities, prefix_qualifier,
                                      table_cells, table_header_cell)
from fupin.transforms.paired_figures import households_of_their_people, rural_member_of_urban_rural
from fupin.transforms.region_context import COUNTRY, each_regions, region_anchors, region_for
from fupin.transforms.regions import Gazetteer, Mention, default_gazetteer
from fupin.transforms.rx_first import may_hold, openers, opens_at
from fupin.transforms.schema import ARTICLE_META, FACT, KNOWN, conform, empty
from fupin.transforms.scope import about_local_place, scope_of
from fupin.transforms.year_lists import each_years

_FUTURE_AFTER = re.compile(r"^[^,;。，；]{0,8}?(?:" + lexicon.alternation("target_cues", "future_after")
                           + r")(?=[\u4e00-\u9fff]{0,4}(?:" + lexicon.alternation("target_cues", "will_verb") + "))")
# 实际完成, 已经实现 in the number's own clause: what was done, whatever the plan before it said
_DONE_IN_CLAUSE = re.compile(lexicon.alternation("target_cues", "done_in_clause"))
# Every poverty status (贫困县, 贫困村, 深度贫困…) ended with 脱贫攻坚 in 2020
POVERTY_STATUS_ENDED = 2020
_POVERTY_STATUS = re.compile(r"贫困(?:村|县|乡|镇|户|人口|地区)")
_PAST_MARKER = re.compile(lexicon.alternation("year_cues", "past_marker"))
_GOAL_AFTER = re.compile("^(?:" + lexicon.alternation("target_cues", "goal_after") + ")")
_GOAL_BEFORE = re.compile("(?:" + lexicon.alternation("target_cues", "goal_before") + ")$")
_SHARE_OF_IT = re.compile(r"的[\d.]+[%％]")  # 36万人的106%: how much of it was done
# a word each of _TASK_AFTER's and _FUTURE_AFTER's matches holds: looked for first (in C), as
# both patterns open with a run of any characters that `re` backtracks through
_TASK_WORD = re.compile(lexicon.alternation("target_cues", "task_word"))
_FUTURE_WORD = re.compile(lexicon.alternation("target_cues", "future_after"))
_NOT_INVESTED = re.compile(lexicon.alternation("funds_not_invested", "word"))
FUND_CODES = frozenset(lexicon.words("funds_not_invested", "code"))
_NOUN_UNITS = {r["pattern"]: r["unit_code"] for r in lexicon.rows("nouns_before")}
NOUN_BEFORE = re.compile("(" + lexicon.alternation("nouns_before") + ")[^,;。，；\\d]{0,6}$")
_CHANGE_BY = {r["pattern"]: r["direction"] for r in lexicon.rows("change_amounts")}
_CHANGE_BY_BEFORE = re.compile("(" + lexicon.alternation("change_amounts") + r")(?:了)?(?:约|近|超过)?$")
# what every match of these opens with: a clause opening with none of them needs no regex call
_GOAL_OPENERS, _SHARE_OPENERS, _TASK_OPENERS = openers(_GOAL_AFTER), openers(_SHARE_OF_IT), openers(_TASK_WORD)
_TITLE_YEAR = re.compile(r"((?:19|20)\d\d)年")
_ANNUAL_REPORT = re.compile(r"((?:19|20)\d\d)年度[^》]{0,30}?(?:报告|决算|执行情况)")
_TASK_AFTER = re.compile(r"^[^,;。，；]{0,20}(?:" + lexicon.alternation("target_cues", "task_noun") + r")[\u4e00-\u9fff]{0,4}?(?:"
                         + lexicon.alternation("target_cues", "task_word") + r")(?![^,;。]*(?:"
                         + lexicon.alternation("target_cues", "task_done") + "))")


_START = attrgetter("start")  # a sort key in C, not a lambda per item


@dataclass
class ArticleFacts:
    meta: dict
    facts: list[dict]


@dataclass
class ArticleContext:
    """What an article's quantities are read against: its text, layout, dates, year cues,
    region anchors and indicator-rule hits."""
    text: str
    layout: Layout
    timeline: timeline.Timeline
    anchors: list
    anchor_starts: list[int]
    anchor_groups: dict[int, list[str]]
    main_region: str | None
    hits: list
    hit_starts: list[int]
    spans: list[tuple[int, int]]
    regions: region_choice.ArticleRegions | None = None
    kind_words: kind_choice.KindWords | None = None
    n_years: int = 0  # distinct years the article's cues name
    region_at: dict[int, int] = field(default_factory=dict)  # region anchors' start -> end
    # (sentence start, end) -> what competes in it (_sentence_ambiguity): read once per sentence
    sentences: dict[tuple[int, int], tuple[tuple, int, int]] = field(default_factory=dict)
    year_choices: dict = field(default_factory=dict)  # year_choice.choose's memo
    about_local_place: bool = False  # the text is about one township or village (scope.about_local_place)
    headings: tuple[list[int], list[bool]] = ([], [])  # plan_headings(): heading lines, and which name goals
    report_year: int | None = None  # report_year(): the year a report's title names, appeared after it


_PLAN_HEADING = re.compile(lexicon.alternation("target_cues", "plan_heading"))
_DONE_HEADING = re.compile(lexicon.alternation("target_cues", "done_heading"))
HEADING_MAX = 30  # characters of a line that reads as a heading (no sentence end in it)
SENTENCE_END_RE = re.compile("[。！？!?；;]")


def plan_headings(text: str, after: int) -> tuple[list[int], list[bool]]:
    """The starts of the heading-like lines after `after` (the title's end), and whether each
    names the year's goals or tasks (二、2020年主要目标) rather than what was done."""
    starts, plans, pos = [], [], 0
    for line in text.split("\n"):
        s = line.strip()
        # a line ending on a colon leads into what follows (重点抓好以下工作:), under its heading
        if pos >= after and s and len(s) <= HEADING_MAX and not SENTENCE_END_RE.search(s) and s[-1] not in ":：":
            starts.append(pos)
            plans.append(bool(_PLAN_HEADING.search(s)) and not _DONE_HEADING.search(s))
        pos += len(line) + 1
    return starts, plans


def _under_plan_heading(text: str, headings: tuple[list[int], list[bool]], pos: int) -> bool:
    starts, plans = headings
    i = bisect_right(starts, text.rfind("\n", 0, pos)) - 1
    return i >= 0 and plans[i]


def _kind(text: str, q: Quantity, sent_start: int, clause_start: int, clause_end: int, year: int | None,
          pub_year: int | None, kind: str, headings: tuple[list[int], list[bool]] = ([], [])) -> str:
    """target for 确保/计划/力争/将… before the number, a 年度任务 after it, a future year, or a
    heading of the year's goals above it (二、2020年主要目标; a past year's figure stays actual)."""
    before_from = max(sent_start, q.start - WINDOW)
    planned = timeline.TARGET_WORDS.search(text, before_from, q.start)
    if planned and (done := _DONE_IN_CLAUSE.search(text, planned.end(), q.start)):
        # 应完成搬迁3万人,实际完成3.6万人: the plan's words end there, for the rest of the
        # sentence (年初计划退出贫困村45个,实际退出46个;全年减少贫困人口4285户)
        planned = timeline.TARGET_WORDS.search(text, done.end(), q.start)
    clause_after = text[q.end:clause_end]
    if (planned
            or (may_hold(_TASK_OPENERS, clause_after) and _TASK_WORD.search(clause_after)
                and _TASK_AFTER.match(clause_after))
            or (_FUTURE_WORD.search(clause_after) and _FUTURE_AFTER.match(clause_after))
            or (opens_at(_GOAL_OPENERS, clause_after, 0) and _GOAL_AFTER.match(clause_after))
            or (opens_at(_SHARE_OPENERS, clause_after, 0) and _SHARE_OF_IT.match(clause_after)
                and _GOAL_BEFORE.search(text, max(0, q.start - 6), q.start))):
        kind = "target"
    if year and pub_year and year > pub_year:
        kind = "target"
    if kind == "actual" and _under_plan_heading(text, headings, q.start) and not (year and pub_year and year < pub_year):
        kind = "target"
    return kind


def _unit_of(q: Quantity, text: str, layout: Layout) -> tuple[str | None, str | None]:
    """(unit, counted noun): the unit word, else the noun after a bare 万/亿 number
    (19.5万农户), else the noun just before it (投入资金3.2亿, 总人口达300万)."""
    if q.unit_code is not None:
        return q.unit_code, None
    noun, unit, _ = noun_after(text, q.end)
    if unit is None and (m := NOUN_BEFORE.search(text[max(layout.clause(q.start), q.start - 12):q.start])):
        unit = _NOUN_UNITS[m.group(1)]
    return unit, noun


def _fact(article_id: str, raw: str, norm: Normalised, q: Quantity, unit: str, noun: str | None,
          ctx: ArticleContext, gaz: Gazetteer, prev_unit_by_clause: dict[int, str]) -> dict:
    text, layout = ctx.text, ctx.layout
    end = q.end
    sent_start, clause_start = layout.sentence(q.start), layout.clause(q.start)
    clause_end, sent_end = layout.clause_end(end), layout.sentence_end(end)
    qualifier = q.qualifier
    if qualifier == "exact":
        qualifier = prefix_qualifier(text, q.start) or qualifier
    year, year_source, kind = timeline.year_of(ctx.timeline, q.start, sent_start, clause_start)
    reading = year_choice.reading(ctx.timeline, q.start, sent_start, clause_start, clause_end, end)
    chosen = year_choice.choose(ctx.timeline, reading, year, year_source, ctx.year_choices)
    if chosen.year != year:
        year, year_source, kind = chosen.year, chosen.source, "actual"
    if year_source in WEAK_YEAR_SOURCES and _PAST_MARKER.search(text, sent_start, q.start):
        year, year_source = _of_a_past_time(text, end, clause_end, year, ctx.timeline.pub_year)
    kind = _kind(text, q, sent_start, clause_start, clause_end, year, ctx.timeline.pub_year, kind, ctx.headings)
    bounds = (sent_start, sent_end, clause_start, clause_end)
    kind_features = kind_choice.features(ctx.kind_words, q.start, end, bounds, kind, year, ctx.timeline.pub_year)
    kind, p_target = kind_choice.choose(kind_features, kind, _deadline_ahead(year_source, year, ctx.timeline.pub_year),
                                        ctx.kind_words.probabilities)
    indicator_code, matched, evidence = choose_indicator(q.start, end, unit, text, layout, ctx.spans, ctx.hits,
                                                         ctx.hit_starts, bounds, ctx.region_at)
    if unit == "count" and counts_other_kind(indicator_code, text, end):
        indicator_code, matched, evidence = None, None, None  # 934个减贫摘帽重点乡镇: townships, not counties
    if indicator_code in FUND_CODES and _NOT_INVESTED.search(
            text, clause_start if evidence["rank"] == 0 else sent_start, clause_end):
        # 追回资金3.2亿元, 扶贫资金闲置2年以上,金额达15.4亿元: an audit finding, not an input
        indicator_code, matched, evidence = None, None, None
    region_code, region_source = region_for(text, q.start, clause_start, sent_start, ctx.anchors, gaz, ctx.main_region,
                                            ctx.anchor_starts, ctx.anchor_groups)
    if region_source == "article" and ctx.regions.aided:
        region_code, region_source = ctx.regions.aided, "aid_receiver"
    near = region_choice.nearby(ctx.anchors, ctx.anchor_starts, q.start, clause_start, sent_start)
    region_cands, (region_code, region_source, region_margin, _), p_region = region_choice.decide(
        ctx.regions, near, region_code, region_source, gaz)
    scope = scope_of(q, text, layout, clause_start, sent_start, prev_unit_by_clause.get(clause_start))
    if scope == "region" and region_source == "article" and ctx.about_local_place:
        scope = "local"  # a village's page: a figure that names no region of its own is the village's
    prev_unit_by_clause[clause_start] = unit
    raw_start, raw_end = norm.raw_span(q.start, end)
    competing, target_words, each = _sentence_ambiguity(ctx, sent_start, sent_end)
    return {
        "article_id": article_id, "char_start": raw_start, "char_end": raw_end,
        "surface": raw[raw_start:raw_end], "value": q.value, "value_base": round(q.value_base, 6),
        "unit_code": unit, "qualifier": qualifier, "indicator_code": indicator_code,
        "indicator_text": indicator_text(text, q.start, end, clause_start, clause_end, matched, noun),
        "year": year, "year_source": year_source, "region_code": region_code,
        "region_source": region_source, "kind": kind, "scope": scope,
        "context": text[max(clause_start, q.start - 150):min(clause_end, end + 50)],
        "change_direction": _change_direction(text, q.start, clause_start),
        "_year_choice": chosen,
        "_year_where": reading.where,
        "_kind_features": kind_features,
        "_region_candidates": region_cands,
        # confidence.AMBIGUITY_EDGES' values, in its order
        "_ambiguity": [*competing, evidence["rank"] if evidence else -1, evidence["dist"] if evidence else -1,
                       target_words, each, int(abs(p_target - 0.5) * 10), region_margin,
                       p_region, chosen.p10],
    }


def _of_a_past_time(text: str, end: int, clause_end: int, year: int | None, pub_year: int | None
                    ) -> tuple[int | None, str]:
    """这里的贫困人口一度达到90570人: a figure of some earlier time the text does not name keeps the
    publication year as a guess; 曾经是河北省206个深度贫困村之一, in 2023: a former poverty status
    counted was held until 脱贫攻坚 ended."""
    if (pub_year or 0) > POVERTY_STATUS_ENDED and _POVERTY_STATUS.search(text, end, clause_end):
        return POVERTY_STATUS_ENDED, "former_status"
    return year, "past_undated"


def _deadline_ahead(year_source: str, year: int | None, pub_year: int | None) -> bool:
    """26个贫困县争取在2019年底前摘帽, 到2020年…减少到213万人 written in 2015: a deadline
    still ahead decides a target; no model overrides it."""
    return year_source == "target_after" or (year_source == "target" and bool(year and pub_year and year > pub_year))


def _read_facts(article_id: str, raw: str, norm: Normalised, quantities: list[Quantity], ctx: ArticleContext,
                gaz: Gazetteer, dateline_span: tuple[int, int] | None) -> list[dict]:
    facts, prev_unit_by_clause, previous, read = [], {}, {}, []
    for q in quantities:
        unit, noun = _unit_of(q, ctx.text, ctx.layout)
        if unit is None or (dateline_span and dateline_span[0] <= q.start < dateline_span[1]):
            continue
        facts.append(_fact(article_id, raw, norm, q, unit, noun, ctx, gaz, prev_unit_by_clause))
        # by unit: 搬迁3128户9000人,其中贫困人口1583户4071人 -- each part of its own kind's total
        _part_of_previous(facts[-1], previous.get(unit), q, ctx.text, ctx.layout)
        previous[unit] = (q, facts[-1])
        read.append((q.start, q.end, unit))
    _each_their_own(facts, read, ctx, gaz)
    _each_list_measures_alike(facts, read, ctx.layout, ctx.text)
    _leads_restated(facts, read, ctx.text)
    _parallel_items(facts, read, ctx.text)
    _of_the_table_title(facts, read, ctx)
    _of_the_flat_table(facts, read, ctx, gaz)
    households_of_their_people(facts, read, ctx.text)
    rural_member_of_urban_rural(facts, read, ctx.text, ctx.layout.sentence)
    planned = _plan_columns(facts, read, ctx.text)
    _of_the_report_year(facts, ctx, planned, read)
    _of_the_section_year(facts, read, ctx)
    return facts


_PLAN_COLUMN = re.compile(lexicon.alternation("target_cues", "plan_heading"))
_DONE_COLUMN = re.compile(lexicon.alternation("target_cues", "done_heading"))


def _plan_columns(facts: list[dict], read: list[tuple[int, int, str]], text: str) -> set[int]:
    """指标<TAB>单位<TAB>年度计划<TAB>实际完成: the numbers of a table's plan column are targets
    (returned: the ids of their facts)."""
    planned: set[int] = set()
    if "\t" not in text:
        return planned
    for f, (start, _, _) in zip(facts, read):
        header = table_header_cell(text, start)
        if header and _PLAN_COLUMN.search(header) and not _DONE_COLUMN.search(header):
            f["kind"] = "target"
            planned.add(id(f))
    return planned


def _of_the_table_title(facts: list[dict], read: list[tuple[int, int, str]], ctx: "ArticleContext") -> None:
    """…衔接推进乡村振兴补助资金分配表 / 单位：万元 / 从江县  6935: a row's number that names no
    measure measures what the table's title names (its first rule of the row's unit)."""
    if "单位" not in ctx.text:
        return
    for f, (start, _, unit) in zip(facts, read):
        if f["indicator_code"] is None and (span := caption_title_span(ctx.text, start)):
            _measured_as_named(f, ctx, span, unit)


def _measured_as_named(fact: dict, ctx: "ArticleContext", span: tuple[int, int], unit: str) -> None:
    """The fact measures what the words in span (a table's title, a column's header) name: the
    most specific indicator rule of its unit found there, where there is one."""
    hits = [h for h in ctx.hits if span[0] <= h.start and h.end <= span[1] and unit in h.units]
    if hits:
        best = min(hits, key=lambda h: (h.tier, -len(h.words)))
        fact["indicator_code"], fact["indicator_text"] = best.code, best.words


def _measured_as_row_and_column(fact: dict, cell, text: str, unit: str) -> None:
    """A table's cell measures what its row's label and its column's header say together
    (农村常住居民人均可支配收入 | 比上年增长: the growth of rural income; 乌兰浩特市 | 脱贫户数), and
    nothing that other rows name: the most specific indicator rule of its unit found there."""
    words = cell.label + text[cell.column[0]:cell.column[1]]
    hits = [h for h in rule_hits(words) if unit in h.units]
    best = min(hits, key=lambda h: (h.tier, -len(h.words))) if hits else None
    fact["indicator_code"], fact["indicator_text"] = (best.code, best.words) if best else (None, None)


_TOTAL_ROWS = frozenset({"合计", "总计"})
_WHOLE_ROW = re.compile(r"全[省区市州盟县旗]")  # 全盟 (spaced out to align: 全  盟): the whole the rows make up


def _of_the_flat_table(facts: list[dict], read: list[tuple[int, int, str]], ctx: "ArticleContext", gaz: Gazetteer) -> None:
    """旗县 贫困人口(人) … 四子王旗 21430 … 合计 107879: a flattened or aligned table's cell measures
    what its column's header names, is of its row's region or year where the row's label names
    one, and its total row is of the smallest region holding its rows'."""
    cells = {c.match.start("cell"): c for c in table_cells(ctx.text)}
    if not cells:
        return
    rows = []
    for f, (start, _, unit) in zip(facts, read):
        if (cell := cells.get(start)) is None:
            continue
        _measured_as_row_and_column(f, cell, ctx.text, unit)
        i = bisect_left(ctx.anchor_starts, cell.label_at)
        if i < len(ctx.anchors) and ctx.anchors[i].start < cell.label_at + len(cell.label):
            f["region_code"], f["region_source"] = ctx.anchors[i].code, "table_row"
        elif year := YEAR_LABEL.fullmatch(cell.label):
            f["year"], f["year_source"] = int(year.group(1)), "table_row"
        if year := YEAR_LABEL.fullmatch(ctx.text[cell.column[0]:cell.column[1]]):
            f["year"], f["year_source"] = int(year.group(1)), "table_column"
        rows.append((cell, f))
    for table in {c.table for c, _ in rows}:
        totals = [(c, f) for c, f in rows if c.table == table and (c.label in _TOTAL_ROWS or _WHOLE_ROW.fullmatch(c.label))]
        regions = [f["region_code"] for c, f in rows if c.table == table and (c, f) not in totals]
        whole = gaz.common_ancestor(list(dict.fromkeys(regions))) if regions else None
        for c, f in totals:
            if whole:
                f["region_code"], f["region_source"] = whole, "group"


_ITEM_HEAD = re.compile(f"(?:{lexicon.alternation('list_heads')})[^，,;；。：:]*$")
_ITEM_HEAD_OPENERS = openers(_ITEM_HEAD)
ITEM_HEAD_REACH = 16  # characters before a figure where its item's head word is looked for


def _parallel_items(facts: list[dict], read: list[tuple[int, int, str]], text: str) -> None:
    """东部地区农村贫困人口47万人，…；中部地区181万人，…: a figure in an item that a head word
    opens, with no words of its own, measures what the first such figure in the paragraph
    measures (the same unit)."""
    first: dict[str, tuple[int, str | None]] = {}  # unit -> (paragraph start, indicator)
    for f, (start, _, unit) in zip(facts, read):
        lo = max(0, start - ITEM_HEAD_REACH)
        if not (may_hold(_ITEM_HEAD_OPENERS, text[lo:start]) and _ITEM_HEAD.search(text, lo, start)):
            continue
        para = text.rfind("\n", 0, start) + 1
        seen = first.get(unit)
        if seen is None or seen[0] != para:
            first[unit] = (para, f["indicator_code"])
        elif f["indicator_code"] is None and seen[1]:
            f["indicator_code"] = seen[1]


_LEAD_MARK = re.compile(r"\s*[:：]")


def _leads_restated(facts: list[dict], read: list[tuple[int, int, str]], text: str) -> None:
    """135家：依托…，全县建成扶贫车间135家，…: a figure that opens its paragraph as a lead
    (followed by a colon) and is restated in it measures what the restatement measures."""
    for i, (start, end, unit) in enumerate(read):
        if facts[i]["indicator_code"] or (start and text[start - 1] != "\n") or not _LEAD_MARK.match(text, end):
            continue
        para_end = text.find("\n", end)
        para_end = len(text) if para_end < 0 else para_end
        for j in range(i + 1, len(read)):
            if read[j][0] >= para_end:
                break
            f = facts[j]
            if f["indicator_code"] and f["unit_code"] == unit and f["value_base"] == facts[i]["value_base"]:
                facts[i]["indicator_code"], facts[i]["indicator_text"] = f["indicator_code"], f["indicator_text"]
                break


# 2016年…统计公报, 数说2024｜…成绩单 (a year set off by a bar or a space, with no 年)
_REPORT_TITLE = re.compile(r"((?:19|20)\d\d)(?:年|(?=[｜|丨\s]))[^0-9]{0,30}(?:" + lexicon.alternation("report_titles") + ")")


def report_year(title: str | None, pub_year: int | None) -> int | None:
    """内蒙古自治区2016年国民经济和社会发展统计公报, published 2017: the year a report's title
    names, when the report appeared after it."""
    m = _REPORT_TITLE.search(title) if title else None
    if m is None or len(set(_TITLE_YEAR.findall(title))) > 1:
        return None  # 2023年工作总结和2024年工作计划: a review and a plan, each with its year
    return int(m.group(1)) if pub_year and int(m.group(1)) < pub_year else None


def _reported_year(text: str, title: str | None, title_at: int, cues: list, pub: "Publication") -> int | None:
    """The year a report appeared after and tells of: its title's, a January wire's year before,
    or a past year the text names by its role and then reviews (2020年是脱贫攻坚收官之年。一年来，…)."""
    return (report_year(timeline.line_of(text, title_at) if title else None, pub.year) or _early_review_year(cues, pub)
            or _year_named_then_reviewed(text, pub))


# (报告指出,)2024年是…关键一年。一年来: a line may open with who says it
_NAMED_THEN_REVIEWED = re.compile(rf"(?:^|\n)[ \u3000]*(?:[^。，,\n\d]{{0,10}}[，,])?({timeline.YEAR})年(?:是|为)[^。\n]{{2,40}}(?:之年|一年)。"
                                  r"[ \u3000]*(?:一年来|这一年|过去一年|过去的一年)")


def _year_named_then_reviewed(text: str, pub: "Publication") -> int | None:
    if "年是" not in text and "年为" not in text:
        return None  # (most texts: the pattern, opening with a line's start, is tried at every position)
    m = _NAMED_THEN_REVIEWED.search(text)
    return int(m.group(1)) if m and pub.year and int(m.group(1)) == pub.year - 1 else None


def _early_review_year(cues: list, pub: "Publication") -> int | None:
    """新华社北京1月23日电 …2019年末全国农村贫困人口551万人…党的十八大以来…: a text of January
    or February that states the year before as closed reports on that year; its undated and
    cumulative figures are as of that year's end."""
    if not (pub.date and pub.date.month <= EARLY_MONTHS):
        return None
    last = pub.date.year - 1
    return last if any(c.closed and c.year == last for c in cues) else None


def _of_the_report_year(facts: list[dict], ctx: ArticleContext, planned: set[int],
                        read: list[tuple[int, int, str]]) -> None:
    """In a report of a year it appeared after (…2016年…统计公报, …2022年…成绩单), a figure told
    as done that no cue dates is of that year (year_source report_year), not of the year it
    was published; 上年末的3.98% is of the year before that year (上年 counts from the year
    reported on, as 去年 counts from now)."""
    if ctx.report_year is None:
        return
    for f, (start, _, _) in zip(facts, read):
        # a plan column beside the done one (年度计划 | 实际完成) is that year's plan
        if f["year_source"] in _REPORTED_SOURCES and (f["kind"] == "actual" or id(f) in planned):
            f["year"], f["year_source"] = ctx.report_year, "report_year"
        elif f["year_source"] == "relative_local" and _PREVIOUS_YEAR.search(ctx.text, max(0, start - 8), start):
            f["year"] = ctx.report_year - 1


_PREVIOUS_YEAR = re.compile(r"上年(?:底|末|同期)?的")


# dated by publication alone, or by a 一年来 / 以来 that counts up to it: in a report of a
# year it appeared after, both speak of the end of that year
_REPORTED_SOURCES = frozenset({"publication", "since", "context_since"})


_HEADING_YEAR = re.compile(rf"({timeline.YEAR})年(?!以来|来)")


def _section_year(ctx: ArticleContext, pos: int) -> tuple[int, str] | None:
    """The year the heading above pos names (三、2020年工作打算: year_source heading), else, under
    a heading of goals (第三节 主要目标), the first target year written below it (到2025年,…:
    section_target)."""
    starts, plans = ctx.headings
    text = ctx.text
    i = bisect_right(starts, text.rfind("\n", 0, pos)) - 1
    while i >= 0:
        h = starts[i]
        line_end = text.find("\n", h)
        if m := _HEADING_YEAR.search(text, h, line_end if line_end >= 0 else len(text)):
            return int(m.group(1)), "heading"
        if plans[i] or i == 0 or text[text.find("\n", starts[i - 1]):h].strip() or "\t" not in text[h:line_end]:
            break
        i -= 1  # a table's rows and header (指标<TAB>数值) under its caption (附表:2017年…)
    if i >= 0 and plans[i]:
        tl = ctx.timeline
        for c in tl.cues[bisect_right(tl.cue_starts, h):bisect_right(tl.cue_starts, pos)]:
            if c.kind == "target" and c.year:
                return c.year, "section_target"
    return None


def _of_the_section_year(facts: list[dict], read: list[tuple[int, int, str]], ctx: ArticleContext) -> None:
    """A figure no cue of its own dates (year_source publication) under a heading that names a
    year, or under a plan's heading and its target year, is of that year."""
    if not ctx.headings[0]:
        return
    pub_year = ctx.timeline.pub_year
    for f, (start, _, _) in zip(facts, read):
        if f["year_source"] in _REPORTED_SOURCES and (found := _section_year(ctx, start)) and (
                f["year_source"] == "publication" or found[1] == "heading"):
            # 一、2016年工作回顾 … 一年来,全县…: the heading's year, as a report's title gives its own
            f["year"], f["year_source"] = found
            if pub_year is not None and found[0] > pub_year:
                f["kind"] = "target"  # 到2025年… over a plan's figures, written in 2021: none is done yet


def _sentences_with_each(read: list[tuple[int, int, str]], ctx: ArticleContext):
    """(sentence start, its end, its numbers) of each sentence with a 分别 before one of its numbers."""
    done: set[int] = set()
    for start, _, _ in read:
        sent = ctx.layout.sentence(start)
        if sent in done or ctx.text.find("分别", sent, start) < 0:
            continue
        done.add(sent)
        sent_end = ctx.layout.sentence_end(start)
        yield sent, sent_end, [n for n in read if sent <= n[0] < sent_end]


def _each_their_own(facts: list[dict], read: list[tuple[int, int, str]], ctx: ArticleContext, gaz: Gazetteer) -> None:
    """分别: each region listed before it gets its own figure (region_context.each_regions), and
    else each year listed before it (year_lists.each_years).
    facts and read are parallel: read holds each fact's (start, end, unit) in the text."""
    if "分别" not in ctx.text:
        return
    by_start = {start: f for (start, _, _), f in zip(read, facts)}
    for sent, sent_end, numbers in _sentences_with_each(read, ctx):
        for k, code in each_regions(ctx.text, sent, sent_end, ctx.anchors, ctx.anchor_starts, ctx.anchor_groups,
                                    numbers, gaz).items():
            by_start[k]["region_code"], by_start[k]["region_source"] = code, "each"
        for k, year in each_years(ctx.text, sent, sent_end, numbers).items():
            if by_start[k]["region_source"] != "each":
                by_start[k]["year"], by_start[k]["year_source"] = year, "each"


def _each_list_measures_alike(facts: list[dict], read: list[tuple[int, int, str]], layout: Layout, text: str) -> None:
    """通江县、南江县贫困人口分别为14.7万人、12.1万人；巴州区、恩阳区分别为9.2万人和7.1万人: a later 分别
    list of the sentence that names no measure of its own measures what the one before it does;
    the first, where it names none either, what the last figure of its unit in the sentence
    before it does, in its paragraph (…收入4598元，同比增长13.6%。泸水市、福贡县分别增长13.1%、14.2%)."""
    last: dict[tuple[int, str], str] = {}  # (sentence, unit) -> the indicator of its last 分别 figure
    figures: dict[tuple[int, str], str] = {}  # (sentence, unit) -> the indicator of its last figure
    for f, (start, _, unit) in zip(facts, read):
        sent = layout.sentence(start)
        key = (sent, unit)
        if f["region_source"] == "each":
            if f["indicator_code"]:
                last[key] = f["indicator_code"]
            elif key in last:
                f["indicator_code"] = last[key]
            elif sent > 0 and text[sent - 1] != "\n" and (code := figures.get((layout.sentence(sent - 1), unit))):
                f["indicator_code"] = last[key] = code
        if f["indicator_code"]:
            figures[key] = f["indicator_code"]


_PART = re.compile(r"[\s\u3000]*其中")
PART_RANK = 4  # indicator_rank of an indicator taken from the whole (choose_indicator's ranks are 0-3)


# Indicators that name who is counted, not what happened to them: a 其中 part of a figure
# (搬迁4.87万人，其中建档立卡贫困人口2.1万人) is counted as its whole is (relocated)
WHO_CODES = frozenset({"poor_population"})


def _part_of_previous(fact: dict, previous: tuple | None, q: Quantity, text: str, layout: Layout) -> None:
    """就业11.99万人，其中脱贫劳动力9.22万人: a figure that 其中 opens is part of the last figure
    of its unit before it in its sentence, and is of its indicator where no words name its own or they
    name only who is counted (WHO_CODES)."""
    if previous is None or (fact["indicator_code"] and fact["indicator_code"] not in WHO_CODES):
        return
    prev_q, prev = previous
    clause_start = layout.clause(q.start)
    if (prev["indicator_code"] and prev_q.end <= clause_start
            and layout.sentence(prev_q.start) == layout.sentence(q.start) and _PART.match(text, clause_start)):
        fact["indicator_code"] = prev["indicator_code"]
        fact["_ambiguity"][confidence.AT["indicator_rank"]] = PART_RANK


def _change_direction(text: str, start: int, clause_start: int) -> str | None:
    """decrease / increase where the number is the size of a change (下降1.2个百分点), so
    that a reader of v_facts never takes a fall for a level."""
    m = _CHANGE_BY_BEFORE.search(text, max(clause_start, start - 6), start)
    return _CHANGE_BY[m.group(1)] if m else None


def _sentence_ambiguity(ctx: ArticleContext, sent_start: int, sent_end: int) -> tuple[tuple, int, int]:
    """How many things compete in the quantity's sentence and article: regions named,
    years given, numbers; and whether the sentence has target words, and 分别. Many make
    every choice harder; the confidence model reads them. The same for every quantity of a
    sentence, so computed once per sentence."""
    got = ctx.sentences.get((sent_start, sent_end))
    if got is None:
        got = ctx.sentences[sent_start, sent_end] = (
            _competing(ctx, sent_start, sent_end),
            int(timeline.TARGET_WORDS.search(ctx.text, sent_start, sent_end) is not None),
            int(ctx.text.find("分别", sent_start, sent_end) >= 0))
    return got


def _competing(ctx: ArticleContext, sent_start: int, sent_end: int) -> tuple[int, int, int, int, int]:
    """sentence_regions, sentence_years, sentence_numbers, article_regions, article_years."""
    lo, hi = bisect_left(ctx.anchor_starts, sent_start), bisect_left(ctx.anchor_starts, sent_end)
    tl = ctx.timeline
    c_lo, c_hi = bisect_left(tl.cue_starts, sent_start), bisect_left(tl.cue_starts, sent_end)
    return (len({a.code for a in ctx.anchors[lo:hi]}),
            len({c.year for c in tl.cues[c_lo:c_hi] if c.year}),
            bisect_left(ctx.spans, (sent_end,)) - bisect_left(ctx.spans, (sent_start,)),
            len(ctx.regions.counts),
            ctx.n_years)


WEAK_YEAR_SOURCES = ("publication", "unknown")
GUESSED_PUBLICATION = ("era_words", "field_default")  # a year to read 今年 by, not a date to store


def _date_restated_figures(facts: list[dict]) -> None:
    """A figure restated later (a heading repeating the lead's 7075个贫困村) is the same fact:
    where the restatement has no year cue of its own, it takes the first statement's year."""
    first: dict[tuple, dict] = {}
    for f in facts:
        key = (f["value_base"], f["unit_code"], f["indicator_code"], f["region_code"])
        seen = first.get(key)
        if seen is None:
            first[key] = f
        elif f["indicator_code"] and f["year_source"] in WEAK_YEAR_SOURCES and seen["year_source"] not in WEAK_YEAR_SOURCES:
            f["year"], f["year_source"], f["kind"] = seen["year"], "restated", seen["kind"]


@dataclass
class Publication:
    """When an article was published, and how that was decided (pub_date_source)."""
    date: dt.date | None
    year: int | None
    source: str
    dateline_span: tuple[int, int] | None  # a dateline's characters: no fact is read there


ERA_SLACK = 5  # era words are loose about their first years; a history year lies far before them
EARLY_MONTHS = 2  # a wire story of January or February may review the year before
COMPARED_MONTHS = 6  # a story of the first half year cannot yet compare its own year with the last
LATE_MONTHS = 11  # one of November or December tells its year's results and plans the next
SAME_STORY_DAYS = 62  # a page dated this soon after its wire dateline's day printed the story then
REPOST_MARGIN = 2  # a known date more years than this past the text's own latest year is a repost or an archive date


def _wire_before_repost(given: dt.date, wire, year: int | None) -> dt.date | None:
    """新华社西宁1月18日电 under a page date of 2024-08-19, in a text whose own years end
    before 2024: the page reposted the wire story; it was written on the wire's day, in the
    year the text dates itself to. None where the dates agree or the text says nothing else."""
    if not (wire and year and given.year > year and (wire[0], wire[1]) != (given.month, given.day)):
        return None
    try:
        wired = dt.date(year, wire[0], wire[1])
        same_story = dt.date(given.year, wire[0], wire[1])
    except ValueError:
        return None
    if same_story > given:
        same_story = same_story.replace(year=given.year - 1)
    if same_story.year < given.year and (given - same_story).days <= SAME_STORY_DAYS:
        return same_story  # 新华社乌鲁木齐12月26日电 under a page of 2019-01-03: written in the year before
    # 本报12月19日讯 under a page dated 2013-12-20: the next day's paper, not a repost
    return None if (given - same_story).days <= SAME_STORY_DAYS else wired


def _wire_year(text: str, cues: list, month: int, y: int, title: str | None) -> int:
    """The year of a wire dateline with none (新华社拉萨1月7日电), from the year y the text reports."""
    if month <= EARLY_MONTHS and (timeline.results_reported(text, cues, y) or (
            timeline.title_back(title) and timeline.year_told_as_done(text, cues, y))):
        # … 2019年西藏又有19个县退出, 辽宁去年…增长11.2% … 2024年辽宁…: a review of the year before
        return y + 1
    if month <= COMPARED_MONTHS and timeline.full_year_compared(text, cues, y):
        return y + 1  # 新华社西宁3月5日电 … 2022年…较上年增长6.1%: a full year compared, so reported the year after
    if month >= LATE_MONTHS and (done := timeline.latest_year_done(text, cues)) and done < y:
        return done  # 中新网乌鲁木齐12月27日电 2018年…实现…; 2019年…将实现: the year's own results
    return y


def _publication(text: str, doc_titles: list[tuple[int, int]], cues: list, known: dict, wire,
                 found_dateline, title: str | None = None, not_dating: list[tuple[int, int]] = ()) -> Publication:
    """A date the input knew (manifest, JSON Lines record, page metadata), unless the text
    has no dateline and its own period ends years before it (a repost or an archive date: the
    text is read in its own time); else the dateline; else the year inferred from the text,
    with a wire dateline's month and day; else the year of its era words (weak); else the
    field's middle year (weaker). No article is left without a year to read 今年 by. The
    not_dating spans (the page's link lists, footer and bracketed links: …脱贫攻坚取得全面胜利
    under a story of 2016) date nothing: the text is read as if they were blank."""
    if any(s < e for s, e in not_dating):
        text = _blanked(text, not_dating)
    dateline, dl_start, dl_end = found_dateline
    span = (dl_start, dl_end) if dl_start is not None else None
    # only the text's own reports of its years, not a year bound to one number (由2015年的…), say
    # how old it is against its era words or a known date; where it has them, they are its year
    strong = timeline.strong_publication_year(text, cues)
    # (infer_publication_year's weak reading, without reading the strong one again)
    year = strong or timeline.weak_publication_year(text, cues, [int(y) for s, e in doc_titles
                                                                 for y in _TITLE_YEAR.findall(text, s, e)])
    # 听取…《关于2017年度省级预算执行…的审计工作报告》: a year's report is heard after the year
    annual = [int(y) + 1 for s, e in doc_titles for y in _ANNUAL_REPORT.findall(text, s, e)]
    if annual and (year is None or max(annual) > year):
        year = strong = max(annual)
    floor = timeline.era_floor(text)
    if year and floor and year < floor - (ERA_SLACK if strong else 0):
        year = None  # 1996年 in a text about 脱贫攻坚: a history year, not when it was written
    given = known.get("known_pub_date") or dateline
    original = metadata.original_date(text)
    if original and given and original[0] < given:
        # (原载《甘肃日报》2017年8月15日) under a page of 2020: the story is of its first day
        return Publication(original[0], original[0].year, "original_dateline", (original[1], original[2]))
    if given and (wired := _wire_before_repost(given, wire, year)):
        return Publication(wired, wired.year, "wire_dateline_before_repost", span)
    if "known_pub_date" in known:
        return _of_the_known_date(text, known, dateline, strong, year, span)
    if dateline:
        return Publication(dateline, dateline.year, "dateline", span)
    counted = timeline.anniversary_year(text, cues, floor) or timeline.since_counted_year(text, cues)
    if counted and year and counted <= year:
        counted = None  # the years the text reports date it as late
    if (counted or year) and wire:
        try:
            y = _wire_year(text, cues, wire[0], counted or year, title)
            return Publication(dt.date(y, wire[0], wire[1]), y, "wire_dateline_year_inferred", span)
        except ValueError:
            pass
    if counted:
        return Publication(None, counted, "text_anniversary", span)
    if year:
        return Publication(None, year, "text_latest_year", span)
    era = timeline.era_year(text)
    return Publication(None, era or timeline.FIELD_DEFAULT_YEAR, "era_words" if era else "field_default", span)


def _of_the_known_date(text: str, known: dict, dateline: dt.date | None, strong: int | None, year: int | None,
                       span: tuple[int, int] | None) -> Publication:
    """The date the input knew (a manifest's, a record's), weighed against the text's own: a
    repost or an archive date is not when the text was written."""
    d = known["known_pub_date"]
    if strong and year and d.year > year + REPOST_MARGIN and not dateline:
        return Publication(d, year, "text_before_known_date", span)
    if not dateline and (now := timeline.year_named_now(text)) and d.year > now:
        # 今年是“十三五”开局之年 under a crawl date of 2018: the text names its own year
        return Publication(d, now, "text_before_known_date", span)
    if dateline and ((d - dateline).days > SAME_STORY_DAYS or dateline.year < d.year):
        # a page header of 2019-01-14 (or 2021-12-30) in a text crawled as of 2020-05-22 (2022-02-14):
        # the crawl found a repost; the story is of its own header's date
        return Publication(dateline, dateline.year, "dateline_before_known_date", span)
    return Publication(d, d.year, known.get("known_pub_date_source") or "known", span)


def _blanked(text: str, spans: list[tuple[int, int]]) -> str:
    """text with the spans' characters (newlines kept) replaced by spaces: offsets unchanged."""
    chars = list(text)
    for s, e in spans:
        chars[s:e] = [c if c == "\n" else " " for c in chars[s:e]]
    return "".join(chars)


_SUBTITLE = re.compile(r"\n[ \u3000]*(?:——|—|--)[^\n]{2,40}(?=\n)")


def _with_subtitle(text: str, span: tuple[int, int]) -> tuple[int, int]:
    """The title's span and its subtitle's, on the next line (——百色市县域脱贫攻坚巡礼): what the
    headline names is said in both."""
    m = _SUBTITLE.match(text, span[1])
    return (span[0], m.end()) if m else span


def _within(pos: int, spans: list[tuple[int, int]]) -> bool:
    return any(s <= pos < e for s, e in spans)


def extract_article(article_id: str, raw: str, gaz: Gazetteer | None = None, norm: Normalised | None = None,
                    mentions: list[Mention] | None = None, known: dict | None = None,
                    evidence: bool = False) -> ArticleFacts:
    """The facts of one article. norm (normalise(raw)) and mentions (gaz.find(norm.text)) may
    be passed in when computed for many articles at once. known: what the input said about
    the article (transforms.schema.KNOWN keys, None values ignored): a known publication date
    wins over the dateline and inference, a known title/outlet/url over the text's, a known
    region is the main region where the text names none. evidence: keep each fact's
    candidates and features (keys starting with _), as the training command needs them."""
    known = {k: v for k, v in (known or {}).items() if v is not None}
    gaz = gaz or default_gazetteer()
    norm = normalise(raw) if norm is None else norm
    text = norm.text
    layout = Layout(text)
    found_title = metadata.find_title(text)
    title, title_at = found_title if found_title else (None, 0)
    wire = metadata.wire_dateline(text)
    found_dateline = metadata.find_dateline(text)
    _, dl_start, dl_end = found_dateline
    doc_titles = [(s, e) for s, e, op in layout.quote_spans if op == "《"]
    tail = metadata.links_tail(text)  # 相关新闻 and what follows: links and footer, no facts and no dates
    links = metadata.link_lines(text) if "【" in text or "[" in text else []
    cues = [c for c in timeline.find_cues(text, doc_titles + ([(dl_start, dl_end)] if dl_start is not None else []))
            if c.start < tail and not (links and _within(c.start, links))]
    pub = _publication(text, doc_titles, cues, known, wire, found_dateline, title, links + [(tail, len(text))])

    not_about = metadata.chrome_spans(text) + ([(wire[2], wire[3])] if wire else [])
    title_span = _with_subtitle(text, (title_at, title_at + len(title))) if title else (0, 0)
    known_code, filed = _filed_region(text, known, gaz, pub.year)
    anchors, main_region = region_anchors(text, gaz, pub.year, title_span, mentions, not_about,
                                          _outlet_or_wire(text, wire), metadata.site_owner_span(text), filed)
    if main_region is None:
        main_region = filed
    anchor_groups: dict[int, list[str]] = {}
    for a in anchors:
        anchor_groups.setdefault(a.list_group, []).append(a.code)
    quantities = sorted((q for q in find_quantities(text) if q.start < tail and not is_not_a_fact(q, text, layout)
                         and not (links and _within(q.start, links))), key=_START)
    hits = rule_hits(text)
    ctx = ArticleContext(
        text=text, layout=layout,
        timeline=timeline.Timeline(text, layout, cues, pub.year, timeline.latest_reported_year(cues, pub.year),
                                   timeline.title_back(title)),
        anchors=anchors, anchor_starts=[a.start for a in anchors], anchor_groups=anchor_groups,
        main_region=main_region, hits=hits, hit_starts=[h.start for h in hits],
        spans=[(q.start, q.end) for q in quantities],
        regions=region_choice.article_regions(text, anchors, main_region, title_span, known_code, gaz),
        kind_words=kind_choice.KindWords(text), n_years=len({c.year for c in cues if c.year}),
        region_at={a.start: a.end for a in anchors}, about_local_place=about_local_place(title, text),
        headings=plan_headings(text, title_span[1]), report_year=_reported_year(text, title, title_at, cues, pub))

    facts = _read_facts(article_id, raw, norm, quantities, ctx, gaz, pub.dateline_span)
    _finish(facts, pub, main_region, evidence)
    meta = {
        "article_id": article_id, "title": known.get("known_title", title), "pub_date": pub.date,
        "pub_date_source": pub.source, "outlet": known.get("known_outlet") or metadata.find_outlet(text),
        "url": known.get("known_url"), "main_region_code": main_region, "n_chars": len(raw),
        "pub_year": pub.year if pub.source not in GUESSED_PUBLICATION else None,
    }
    return ArticleFacts(meta, facts)


def _finish(facts: list[dict], pub: Publication, main_region: str | None, evidence: bool) -> None:
    """What is decided once every fact is read: restated figures' years, the sources of
    guessed years and regions, and each fact's confidence."""
    _date_restated_figures(facts)
    choices, ambiguities = [], []
    for f in facts:
        if f["year_source"] == "publication" and pub.source in GUESSED_PUBLICATION:
            f["year_source"] = pub.source
        if f["region_code"] is None:
            f["region_code"], f["region_source"] = COUNTRY, "default_country"
        if confidence.undated_change_start(f):
            f["year_source"] = "change_start_undated"
        chosen, ambiguity = f.pop("_year_choice"), f.pop("_ambiguity")
        if evidence:
            f["_confidence_features"] = confidence.features(f, pub.source, pub.year, main_region, chosen.margin,
                                                            chosen.n_candidates, ambiguity)
            f["_year_candidates"] = chosen.candidates
            f["confidence"] = min(confidence.confidence(f["_confidence_features"]), confidence.ceiling(f, pub.source))
            del f["_year_where"]  # read by the confidence's change_from
        else:
            choices.append(chosen)
            ambiguities.append(ambiguity)
            del f["_kind_features"], f["_region_candidates"]
    if not evidence:
        for f, c in zip(facts, confidence.confidences(facts, pub.source, pub.year, main_region,
                                                      [c.margin for c in choices], [c.n_candidates for c in choices],
                                                      ambiguities)):
            f["confidence"] = min(c, confidence.ceiling(f, pub.source))
            del f["_year_where"]


def _outlet_or_wire(text: str, wire) -> tuple[int, int] | None:
    """The outlet's name (来源:山西晚报), else a wire line's (浙江在线9月24日讯): a region opening it is
    what 我省/全省 mean in a text that names no region itself (not 新华社杭州…电: a place of issue)."""
    return metadata.outlet_span(text) or ((wire[2], wire[3]) if wire else None)


def _filed_region(text: str, known: dict, gaz: Gazetteer, year: int | None) -> tuple[str | None, str | None]:
    """The region the input gives (a manifest's), and the region the page is filed under: that
    one, else the region of the site's section (首页 > 新闻中心 > 天津新闻)."""
    known_code = known_region(known["known_region"], gaz, year) if "known_region" in known else None
    section = None if known_code else metadata.crumb_section(text)
    return known_code, known_code or (known_region(section, gaz, year) if section else None)


def known_region(value: str, gaz: Gazetteer, year: int | None) -> str | None:
    """A region the input named (a code, or a name as a text would write it) as a code."""
    if gaz.region(value):
        return value
    found = gaz.resolve(gaz.find_name(value), year, None)
    # 江西省吉安市泰和县: the most specific region named, not the province it starts with
    return found[-1].region.code if found else None


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
    # A date only as precise as known: without a dateline only the inferred year is, stored
    # as its 1 January with pub_date_precision 'year' (never a day nobody stated).
    meta_df = meta_df.with_columns(
        pl.when(pl.col("pub_date").is_not_null()).then(pl.lit("day"))
        .when(pl.col("pub_year").is_not_null()).then(pl.lit("year")).alias("pub_date_precision"),
        pl.when(pl.col("pub_date").is_null() & pl.col("pub_year").is_not_null())
        .then(pl.date(pl.col("pub_year"), 1, 1)).otherwise(pl.col("pub_date")).alias("pub_date"),
    )
    # column by column: polars converts a typed list in one pass, where from a list of dicts
    # it reads each value as an arbitrary object (the same frame); each fact's values are read
    # in one itemgetter call and the rows turned into columns by zip, both in C
    columns = zip(*map(itemgetter(*FACT), facts))
    fact_df = pl.DataFrame(dict(zip(FACT, map(list, columns))), schema=FACT) if facts else empty(FACT)
    return conform(meta_df, ARTICLE_META), conform(fact_df, FACT)
