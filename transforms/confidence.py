"""How sure extraction is of a fact: the probability that every attribute (value, unit,
year, region, indicator, kind) is right. A logistic model over named features of how each
attribute was decided (model 'confidence' of seeds/model_weights.csv), mapped through the
calibration table fitted on cross-validated facts (seeds/confidence_calibration.csv)."""
from __future__ import annotations

from bisect import bisect_left

from fupin.transforms import linear
from fupin.transforms.region_choice import level


AMBIGUITY_EDGES = {"sentence_regions": (0, 1, 2), "sentence_years": (0, 1, 2), "sentence_numbers": (1, 2, 4, 8),
                   "article_regions": (1, 3, 6, 12), "article_years": (1, 2, 4, 8),
                   "indicator_rank": (-1, 0, 1, 2), "indicator_distance": (-1, 0, 2, 6, 15),
                   "target_words_in_sentence": (0,), "each_in_sentence": (0,), "kind_certainty": (1, 2, 3, 4),
                   "region_margin": (0.0, 0.5, 1.0, 2.0, 4.0),
                   "p_region": (3, 5, 7, 8, 9), "p_year": (3, 5, 7, 8, 9)}
# Year sources that date the start of a change itself (从2015年的…, 过去3年…由30.6%, 2013年以来…从)
START_SOURCES = frozenset({"explicit_local", "explicit_parallel", "span_start", "relative_local",
                           "since_start", "since_start_before", "period_start_before"})
CHANGE_FROM = {True: "change_from:dated", False: "change_from:undated"}
MARGIN_EDGES, CANDIDATE_EDGES = (0.0, 0.5, 1.0, 2.0, 4.0), (1, 2, 3)


def _bucket_names(name: str, edges: tuple[float, ...]) -> tuple[str, ...]:
    """The feature of each bucket, by bisect_left(edges, x): name<=edge, the last name<=more."""
    return tuple(f"{name}<={e}" for e in edges) + (f"{name}<=more",)


# Every fact's features name about 15 buckets: their names are written once, not per fact.
_AMBIGUITY_BUCKETS = {k: (edges, _bucket_names(k, edges)) for k, edges in AMBIGUITY_EDGES.items()}
_MARGIN_BUCKETS = _bucket_names("year_margin", MARGIN_EDGES)
_CANDIDATE_BUCKETS = _bucket_names("year_candidates", CANDIDATE_EDGES)


def features(fact: dict, pub_source: str, pub_year: int | None, main_region: str | None,
             year_margin: float, n_year_candidates: int, ambiguity: dict[str, int],
             year_where: str = "plain") -> dict[str, float]:
    year = fact["year"]
    rel = ("unknown" if year is None or pub_year is None else "same" if year == pub_year
           else "after" if year > pub_year else "before")
    feats = {
        f"year_source:{fact['year_source']}": 1.0,
        f"region_source:{fact['region_source']}": 1.0,
        f"pub_date_source:{pub_source}": 1.0,
        f"indicator:{'none' if fact['indicator_code'] is None else 'coded'}": 1.0,
        f"kind:{fact['kind']}": 1.0,
        f"unit:{fact['unit_code']}": 1.0,
        f"qualifier:{fact['qualifier']}": 1.0,
        f"scope:{fact['scope']}": 1.0,
        f"region_level:{level(fact['region_code'])}": 1.0,
        f"region_is_main:{fact['region_code'] == main_region}": 1.0,
        f"year_vs_pub:{rel}": 1.0,
        _MARGIN_BUCKETS[bisect_left(MARGIN_EDGES, year_margin)]: 1.0,
        _CANDIDATE_BUCKETS[bisect_left(CANDIDATE_EDGES, n_year_candidates)]: 1.0,
    }
    # How sure a year_source is depends on how the text was dated; a region_source on whether
    # it agrees with the article's main region
    feats[f"year_source&pub:{fact['year_source']}&{pub_source}"] = 1.0
    feats[f"region_source&main:{fact['region_source']}&{fact['region_code'] == main_region}"] = 1.0
    if year_where == "from":  # 从329万人减少到…: where a change started, dated by its own year or not
        feats[CHANGE_FROM[fact["year_source"].removeprefix("model_") in START_SOURCES]] = 1.0
    for k, v in ambiguity.items():
        edges, names = _AMBIGUITY_BUCKETS[k]
        feats[names[bisect_left(edges, v)]] = 1.0
    return feats


def confidence(feats: dict[str, float]) -> float:
    return linear.calibrated(linear.probability("confidence", feats))
