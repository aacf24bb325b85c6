"""How sure extraction is of a fact: the probability that every attribute (value, unit,
year, region, indicator, kind) is right. A logistic model over named features of how each
attribute was decided (model 'confidence' of seeds/model_weights.csv), mapped through the
calibration table fitted on cross-validated facts (seeds/confidence_calibration.csv).

features() names them (the training command reads the names); confidences() gives the
same numbers for an article's facts without naming them: each feature's weight is looked up
by its slot and value (or its bucket) in tables made once from the shipped weights."""
from __future__ import annotations

from bisect import bisect_left
from functools import lru_cache

from fupin.transforms import linear
from fupin.transforms.region_choice import level
from fupin.transforms.year_choice import START_SOURCES


AMBIGUITY_EDGES = {"sentence_regions": (0, 1, 2), "sentence_years": (0, 1, 2), "sentence_numbers": (1, 2, 4, 8),
                   "article_regions": (1, 3, 6, 12), "article_years": (1, 2, 4, 8),
                   "indicator_rank": (-1, 0, 1, 2), "indicator_distance": (-1, 0, 2, 6, 15),
                   "target_words_in_sentence": (0,), "each_in_sentence": (0,), "kind_certainty": (1, 2, 3, 4),
                   "region_margin": (0.0, 0.5, 1.0, 2.0, 4.0),
                   "p_region": (3, 5, 7, 8, 9), "p_year": (3, 5, 7, 8, 9)}
# A fact's ambiguity is a list of values in the order of AMBIGUITY_EDGES; AT names each place.
AT = {k: i for i, k in enumerate(AMBIGUITY_EDGES)}
MARGIN_EDGES, CANDIDATE_EDGES = (0.0, 0.5, 1.0, 2.0, 4.0), (1, 2, 3)
# The features that name one value each: slot:value. The crossed ones: how sure a year_source is
# depends on how the text was dated, a region_source on whether it is the article's main region;
# change_from only for the start of a change (从329万人减少到…), dated by its own year or not.
SLOTS = ("year_source", "region_source", "pub_date_source", "indicator", "kind", "unit", "qualifier", "scope",
         "region_level", "region_is_main", "year_vs_pub", "year_source&pub", "region_source&main", "change_from")
OPTIONAL_SLOTS = frozenset({"change_from"})  # no feature where the value is None


def _bucket_names(name: str, edges: tuple[float, ...]) -> tuple[str, ...]:
    """The feature of each bucket, by bisect_left(edges, x): name<=edge, the last name<=more."""
    return tuple(f"{name}<={e}" for e in edges) + (f"{name}<=more",)


# Every fact's features name about 15 buckets: their names are written once, not per fact.
_AMBIGUITY_BUCKETS = tuple((edges, _bucket_names(k, edges)) for k, edges in AMBIGUITY_EDGES.items())
_MARGIN_BUCKETS = _bucket_names("year_margin", MARGIN_EDGES)
_CANDIDATE_BUCKETS = _bucket_names("year_candidates", CANDIDATE_EDGES)


def _values(fact: dict, pub_source: str, pub_year: int | None, main_region: str | None) -> tuple:
    """The value of each of SLOTS for this fact."""
    return tuple(column[0] for column in _columns([fact], pub_source, pub_year, main_region))


def _buckets(year_margin: float, n_year_candidates: int, ambiguity: list) -> list[int]:
    """The bucket of the year margin, of the candidate count and of each ambiguity value."""
    return [bisect_left(MARGIN_EDGES, year_margin), bisect_left(CANDIDATE_EDGES, n_year_candidates),
            *[bisect_left(edges, v) for (edges, _), v in zip(_AMBIGUITY_BUCKETS, ambiguity)]]


_BUCKET_NAMES = (_MARGIN_BUCKETS, _CANDIDATE_BUCKETS, *[names for _, names in _AMBIGUITY_BUCKETS])


def features(fact: dict, pub_source: str, pub_year: int | None, main_region: str | None,
             year_margin: float, n_year_candidates: int, ambiguity: list) -> dict[str, float]:
    feats = {f"{slot}:{value}": 1.0 for slot, value in zip(SLOTS, _values(fact, pub_source, pub_year, main_region))
             if value is not None or slot not in OPTIONAL_SLOTS}
    for names, b in zip(_BUCKET_NAMES, _buckets(year_margin, n_year_candidates, ambiguity)):
        feats[names[b]] = 1.0
    return feats


def confidence(feats: dict[str, float]) -> float:
    return linear.calibrated(linear.probability("confidence", feats))


# Attributes that no cue of the text decided, only a default (seeds/provenance.csv): the gold
# holds no such fact, so the fitted model has never seen one and would rate it like any other.
# A guess is right about as often as chance makes it, so the fact's confidence stays below this.
# The start of a change with no year of its own (贫困人口从329万人减少到…, dated only by the
# 截至2018年底 of its end) has no year the text gives: the one it gets is its end's, a guess.
GUESSES = (("region_source", "default_country"), ("year_source", "field_default"),
           ("year_source", "change_start_undated"), ("year_source", "past_undated"))
GUESS_CEILING = 0.2


# An article with no date whose year comes from its era words alone (精准扶贫, 巩固拓展…:
# pub_date_source era_words) reads 今年, 去年 and its undated figures against a year it guessed
# from a span of five or more: on the probe sets such facts were right in every attribute 46 %
# of the time (76 facts), however sure the rest of their reading was.
ERA_DATED, ERA_CEILING = frozenset({"era_words", "field_default"}), 0.5
# An article dated from its own text alone (no dateline, no known date: pub_date_source
# text_latest_year, text_anniversary, or a wire dateline's year inferred) reads every year
# against a year it inferred: on the probe sets (9,390 gold rows, not used to fit this model)
# such facts were right in every attribute 87-91 % of the time, against 93-95 % for dated ones.
TEXT_DATED, TEXT_DATED_CEILING = frozenset({"text_latest_year", "text_anniversary", "wire_dateline_year_inferred"}), 0.89
# year sources read against the publication year (seeds/provenance.csv)
PUBLICATION_RELATIVE = frozenset({"publication", "current", "context_current", "since", "context_since",
                                  "relative", "context_relative", "relative_local", "era_words",
                                  "title_relative", "report_year"})


def ceiling(fact: dict, pub_source: str | None = None) -> float:
    for slot, value in GUESSES:  # a plain loop: any() over a generator costs ~3x as much, per fact
        if fact[slot] == value:
            return GUESS_CEILING
    if pub_source in ERA_DATED and fact["year_source"] in PUBLICATION_RELATIVE:
        return ERA_CEILING
    if pub_source in TEXT_DATED:
        return TEXT_DATED_CEILING
    return 1.0


def pub_source_of(features: dict[str, float]) -> str | None:
    """The article's pub_date_source, as a fact's named features hold it."""
    for k in features:
        if k.startswith("pub_date_source:"):
            return k.split(":", 1)[1]
    return None


_CACHE_MAX = 4096  # values remembered per slot (a margin is a float of many values)


class _Tables:
    """The shipped confidence weights by slot, in the order features() names them: the eleven
    SLOTS, the year margin, the candidate count, then the ambiguity values. Each slot maps a
    value to its weight (filled as values are met)."""

    def __init__(self, w: dict[str, float]):
        self.w, self.bias = w, w.get("(bias)", 0.0)
        self.buckets = [(edges, tuple(w.get(n, 0.0) for n in names)) for edges, names in
                        zip((MARGIN_EDGES, CANDIDATE_EDGES, *AMBIGUITY_EDGES.values()), _BUCKET_NAMES)]
        self.caches: list[dict] = [{} for _ in range(len(SLOTS) + len(self.buckets))]

    def weight(self, i: int, value) -> float:
        if i < len(SLOTS):
            got = self.w.get(f"{SLOTS[i]}:{value}", 0.0)
        else:
            edges, weights = self.buckets[i - len(SLOTS)]
            got = weights[bisect_left(edges, value)]
        if len(self.caches[i]) < _CACHE_MAX:
            self.caches[i][value] = got
        return got


@lru_cache(maxsize=1)
def _shipped_tables() -> _Tables:
    return _Tables(linear.weights("confidence"))


def _relation(year: int | None, pub_year: int | None) -> str:
    return ("unknown" if year is None or pub_year is None else "same" if year == pub_year
            else "after" if year > pub_year else "before")


def _columns(facts: list[dict], pub_source: str, pub_year: int | None, main_region: str | None) -> list[list]:
    """_values of every fact, slot by slot (SLOTS' order)."""
    return [[f["year_source"] for f in facts], [f["region_source"] for f in facts], [pub_source] * len(facts),
            ["none" if f["indicator_code"] is None else "coded" for f in facts], [f["kind"] for f in facts],
            [f["unit_code"] for f in facts], [f["qualifier"] for f in facts], [f["scope"] for f in facts],
            [level(f["region_code"]) for f in facts], [f["region_code"] == main_region for f in facts],
            [_relation(f["year"], pub_year) for f in facts],
            [f"{f['year_source']}&{pub_source}" for f in facts],
            [f"{f['region_source']}&{f['region_code'] == main_region}" for f in facts],
            [_change_from(f) for f in facts]]


def _change_from(fact: dict) -> str | None:
    if fact.get("_year_where") != "from":
        return None
    return "dated" if fact["year_source"].removeprefix("model_") in START_SOURCES else "undated"


def undated_change_start(fact: dict) -> bool:
    return _change_from(fact) == "undated"


def confidences(facts: list[dict], pub_source: str, pub_year: int | None, main_region: str | None,
                year_margins: list[float], n_year_candidates: list[int], ambiguities: list[list]) -> list[float]:
    """confidence(features(...)) of each fact of an article (year_margins, n_year_candidates and
    ambiguities parallel to facts), without naming the features: each slot's weights looked up
    for all facts at once, then each fact's weights summed in features()' order."""
    if linear.is_fitting():
        return [confidence(features(f, pub_source, pub_year, main_region, m, n, a))
                for f, m, n, a in zip(facts, year_margins, n_year_candidates, ambiguities)]
    if not facts:
        return []
    t = _shipped_tables()
    columns = [*_columns(facts, pub_source, pub_year, main_region), year_margins, n_year_candidates,
               *map(list, zip(*ambiguities))]
    weights = []
    for i, (cache, column) in enumerate(zip(t.caches, columns)):
        try:
            ws = list(map(cache.__getitem__, column))  # the weight of each value met before
        except KeyError:  # a value met first (rare once warm: no scan of every column for a gap)
            ws = [cache[v] if v in cache else t.weight(i, v) for v in column]
        weights.append(ws)
    return [linear.calibrated(linear.sigmoid(t.bias + sum(row))) for row in zip(*weights)]
