"""A quantity's year, chosen among candidates. The reading rules of transforms.timeline
propose years (their cascade's answer is one candidate among several: the nearest cue
before the number in its clause and sentence, the first cue after it in its clause, the
publication year, the latest year the article reports); each candidate is described by
named features, and the weights fitted to the gold (model 'year' of seeds/model_weights.csv)
decide. Without fitted weights the cascade's answer wins."""
from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass
from typing import NamedTuple

from fupin.transforms import lexicon, linear
from fupin.transforms.timeline import Timeline, past_span_in, plans, span_years

_CHANGE = lexicon.alternation("change_verbs", "down_to", "up_to")
# 从329万人减少到25.5万人: the number before a change verb is where the change started
_FROM_AFTER = re.compile(r"[^,，。;；\d]{0,3}?(?:" + _CHANGE + ")")
_TO_BEFORE = re.compile("(?:" + _CHANGE + r")(?:了)?[^,，。;；\d]{0,6}$")

CASCADE_TIE = 1e-6  # the cascade's answer wins ties, and so wins outright without weights
# Reading rules right on any text of the field: a year written for this number alone
# (2015年的2.55%, 去年的18.8亿元) or a deadline after it in its clause (争取在2019年底前摘帽).
DECISIVE = frozenset({"explicit_local", "relative_local", "target_after"})
# Year sources that date the start of a change itself (从2015年的…, 过去3年…由30.6%, 2013年以来…从)
START_SOURCES = frozenset({"explicit_local", "explicit_parallel", "span_start", "relative_local",
                           "since_start", "since_start_before", "period_start_before"})
_START_FEATURES = tuple(START_SOURCES) + tuple(f"cascade:{s}" for s in START_SOURCES)


@dataclass
class YearChoice:
    year: int | None
    source: str            # the cascade's year_source, or 'model_<generator>' of the strongest other one
    margin: float          # score of the chosen candidate minus the runner-up's (large: clear)
    score: float           # the chosen candidate's score (its probability: a sigmoid of it)
    n_candidates: int
    candidates: dict       # year -> features, for training (flows.train)
    p10: int = 0           # its probability in tenths (set from score)

    def __post_init__(self):
        self.p10 = int(10 * linear.sigmoid(self.score))


def _relation(year: int, pub: int | None) -> str:
    if pub is None:
        return "vs_pub:unknown"
    d = year - pub
    return ("vs_pub:same" if d == 0 else "vs_pub:after" if d > 0 else "vs_pub:before1" if d == -1
            else "vs_pub:before2-4" if d >= -4 else "vs_pub:before5+")


def role(text: str, q_start: int, q_end: int) -> str:
    """from: the start value of a change (从329万人减少到…); to: its end value; else plain."""
    if _FROM_AFTER.match(text, q_end):
        return "from"
    if _TO_BEFORE.search(text, max(0, q_start - 10), q_start):
        return "to"
    return "plain"


class Reading(NamedTuple):
    """What the text around a number offers as its year, as indices into the article's cues
    (-1: none): the nearest cue before it in its sentence and in its clause, the first after
    it in its clause, the cue where a change started in its paragraph; the N of a 过去N年 in
    its sentence; its role in a change. Numbers with equal readings have equal candidates."""
    where: str
    before_sentence: int
    before_clause: int
    after_clause: int
    start: int
    span: int | None


def reading(tl: Timeline, q_start: int, sent_start: int, clause_start: int, clause_end: int,
            q_end: int | None = None) -> Reading:
    cues = tl.cues
    j = bisect_right(tl.cue_starts, q_start)
    i = j - 1
    before_sentence = before_clause = -1
    while i >= 0 and cues[i].start >= sent_start and before_sentence < 0:
        if cues[i].end <= q_start:
            before_sentence = i
            if cues[i].start >= clause_start:
                before_clause = i
        i -= 1
    after_clause = j if j < len(cues) and cues[j].start < clause_end else -1
    k = tl.last_start[j - 1] if j else -1
    if k >= 0 and cues[k].start < tl.text.rfind("\n", 0, q_start) + 1:
        k = -1  # a change's start is read in the number's own paragraph only
    span = past_span_in(tl.text, sent_start, q_start)
    return Reading(role(tl.text, q_start, q_end if q_end is not None else q_start), before_sentence,
                   before_clause, after_clause, k, span_years(span) if span and tl.pub_year else None)


def candidates(tl: Timeline, r: Reading, cascade_year: int | None, cascade_source: str | None
               ) -> dict[int, dict[str, float]]:
    out: dict[int, dict[str, float]] = {}
    where = r.where

    def add(year: int | None, feature: str) -> None:
        if year is not None:
            feats = out.setdefault(year, {})
            feats[feature] = 1.0
            if where != "plain":
                feats[f"{where}&{feature.split(':')[0]}"] = 1.0

    add(cascade_year, "cascade")
    add(cascade_year, f"cascade:{cascade_source}")
    add(tl.pub_year, "publication")
    add(tl.latest, "latest_reported")
    cues, years = tl.cues, tl.cue_years
    if r.before_sentence >= 0:
        add(years[r.before_sentence], f"cue_before_sentence:{cues[r.before_sentence].kind}")
        if r.before_clause >= 0:
            add(years[r.before_clause], f"cue_before_clause:{cues[r.before_clause].kind}")
    # the first cue after the start of a change, in its clause, dates its end (从14.03%降低到
    # 去年年底的1.32%): the start's own year is written before it, if at all
    if r.after_clause >= 0 and where != "from":
        add(years[r.after_clause], f"cue_after_clause:{cues[r.after_clause].kind}")
    # where a change started: the year of a 2013年以来 before it in its paragraph (and the
    # year before), the start of 过去N年 / N年来 in its sentence
    if r.start >= 0:
        c = cues[r.start]
        if c.kind == "since":
            add(c.year, "since_start")
            add(c.year - 1, "since_start_before")
        else:
            add(c.first - 1, "period_start_before")  # 十三五期间 … 从X降到Y: X is of 2015
    if r.span:
        add(tl.pub_year - r.span, "span_start")
    for year, feats in out.items():
        rel = _relation(year, tl.pub_year)
        feats[rel] = 1.0
        if "cascade" in feats:  # how far a rule's year lies from publication, by rule
            feats[f"cascade:{cascade_source}&{rel}"] = 1.0
        if where != "plain":
            feats[f"{where}&{rel}"] = 1.0
    return out


def choose(tl: Timeline, r: Reading, cascade_year: int | None, cascade_source: str | None,
           memo: dict | None = None) -> YearChoice:
    """The year of a number read as r, whose reading rules said cascade_year. memo: the
    article's choices so far (the same reading and rules' answer give the same choice; the
    numbers of a sentence often share them)."""
    if cascade_source not in DECISIVE and (after := _time_after_in_clause(tl, r)) is not None:
        # decided by the cue's own words (年内 in a plan), which no memo's key holds
        cands = candidates(tl, r, cascade_year, cascade_source)
        return YearChoice(after, "after_clause", 10.0, linear.score("year", cands[after]), len(cands), cands)
    if memo is None:
        return _choose(tl, r, cascade_year, cascade_source)
    key = (r, cascade_year, cascade_source)
    got = memo.get(key)
    if got is None:
        got = memo[key] = _shared_choose(tl, r, cascade_year, cascade_source)
    return got


# _choose's answers under the shipped weights, shared by every article of the process, by
# everything candidates() reads (the cues' years and kinds, not where they stand): readings
# of the same years and rules recur across articles. Bounded; not used while fitting.
_SHIPPED_CHOICES: dict[tuple, YearChoice] = {}
MEMO_MAX = 50_000


def _shared_choose(tl: Timeline, r: Reading, cascade_year: int | None, cascade_source: str | None) -> YearChoice:
    if linear.is_fitting():
        return _choose(tl, r, cascade_year, cascade_source)
    cues, years = tl.cues, tl.cue_years
    start = cues[r.start] if r.start >= 0 else None
    key = (r.where, r.span, cascade_year, cascade_source, tl.pub_year, tl.latest,
           *[(years[i], cues[i].kind) if i >= 0 else None for i in (r.before_sentence, r.before_clause, r.after_clause)],
           (start.kind, start.year, start.first) if start else None)
    got = _SHIPPED_CHOICES.get(key)
    if got is None:
        got = _choose(tl, r, cascade_year, cascade_source)
        if len(_SHIPPED_CHOICES) < MEMO_MAX:
            _SHIPPED_CHOICES[key] = got
    return got




def _start_candidates(cands: dict[int, dict[str, float]]) -> dict[int, dict[str, float]]:
    """Where the text says when a change started (2013年以来, 过去3年, 十三五期间), its start
    value is of that time, not of the end the sentence's other cues date: only those years
    compete. Else all do (and the start is marked a guess: extract's change_start_undated)."""
    starts = {y: f for y, f in cands.items() if any(k in f for k in _START_FEATURES)}
    return starts or cands


# 剩余的6384人和16个贫困村年内全部脱贫退出: a time word after the figure, in its own clause that
# dates nothing before it, tells when the figure's clause happens
_TIME_AFTER_KINDS = ("current", "relative")


_ON_A_DATE = "于"  # 已于2019年底, 于2020年11月: the date an event of the clause took place
_WITHIN_THE_YEAR = "年内"  # of the year in context (…2023年…。592个脱贫县年内共计投入…), this year only in a plan


def _time_after_in_clause(tl: Timeline, r: Reading) -> int | None:
    if r.where != "plain" or r.before_clause >= 0 or r.after_clause < 0:
        return None
    c = tl.cues[r.after_clause]
    if c.kind == "topic" and tl.text[c.start - 1:c.start] == _ON_A_DATE:
        return tl.cue_years[r.after_clause]  # 74个县(区)已于2019年底全部脱贫摘帽: the figure's event is dated
    if c.kind not in _TIME_AFTER_KINDS:
        return None
    if tl.text[c.start:c.end] == _WITHIN_THE_YEAR and not plans(tl.text, c.start, c.end):
        return None
    return tl.cue_years[r.after_clause]


def _choose(tl: Timeline, r: Reading, cascade_year: int | None, cascade_source: str | None) -> YearChoice:
    cands = candidates(tl, r, cascade_year, cascade_source)
    if not cands:
        return YearChoice(None, cascade_source or "unknown", 0.0, 0.0, 0, cands)
    if cascade_source in DECISIVE:
        return YearChoice(cascade_year, cascade_source, 10.0, linear.score("year", cands[cascade_year]),
                          len(cands), cands)
    if r.where == "from":
        cands = _start_candidates(cands)
    scored = linear.ranked("year", cands, "cascade", CASCADE_TIE)
    best, year = scored[0]
    margin = best - scored[1][0] if len(scored) > 1 else 10.0
    feats = cands[year]
    if "cascade" in feats:
        source = cascade_source or "unknown"
    else:
        others = [k for k in feats if not k.startswith(("vs_pub", "from&", "to&"))]
        w = linear.weights("year")
        source = "model_" + max(others, key=lambda k: w.get(k, 0.0)).split(":")[0]
    return YearChoice(year, source, margin, best, len(cands), cands)
