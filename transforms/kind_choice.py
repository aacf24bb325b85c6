"""Whether a quantity is a target or an actual. The reading rules' answer (transforms.extract
._kind: target words before the number, a task after it, a year still ahead) is one feature;
the words of seeds/kind_words.csv around the number (in its clause before and after it,
earlier and later in its sentence) and its year against the publication year are the
others. Weights fitted to the gold (model 'kind' of seeds/model_weights.csv) decide; without
them the rules' answer stands."""
from __future__ import annotations

import re
from bisect import bisect_left

from fupin.transforms import lexicon, linear
from fupin.transforms.rx_first import MultiScanner

_ROWS = lexicon.rows("kind_words")
# One scan of the text finds every kind word (each pattern tried only where its first
# characters stand); a fact then reads the words of its sentence only.
_SCANNER = MultiScanner([re.compile(r["pattern"]) for r in _ROWS])
_NAMES = [r["name"] for r in _ROWS]
_PLACES = ("before_sentence", "before_clause", "after_clause", "after_sentence")
FEATURE = {(name, place): f"{name}@{place}" for name in _NAMES for place in _PLACES}
RULE = {k: f"rule:{k}" for k in ("actual", "target")}
REL = {k: f"year_vs_pub:{k}" for k in ("unknown", "same", "after", "before")}
_BY_PLACE = {name: tuple(FEATURE[name, place] for place in _PLACES) for name in _NAMES}
# choose's memo under the shipped weights, shared by every article of the process: a
# probability depends on the feature names only, and a few hundred sets of them recur
# across articles. Bounded; a text read while weights are fitted gets a memo of its own.
_SHIPPED_PROBABILITIES: dict[tuple[str, ...], float] = {}
MEMO_MAX = 50_000


class KindWords:
    """The kind words of one text: (start, name), in text order."""

    def __init__(self, text: str):
        hits = [(start, _NAMES[i]) for i, start, _ in _SCANNER.scan(text)]
        self.starts = [s for s, _ in hits]
        self.names = [n for _, n in hits]
        self.features = [_BY_PLACE[n] for _, n in hits]  # each word's feature at each of _PLACES
        # choose's memo: features -> probability
        self.probabilities: dict[tuple[str, ...], float] = {} if linear.is_fitting() else _SHIPPED_PROBABILITIES


def features(words: KindWords, q_start: int, q_end: int, bounds: tuple[int, int, int, int], rule_kind: str,
             year: int | None, pub_year: int | None) -> dict[str, float]:
    sent_start, sent_end, clause_start, clause_end = bounds
    rel = ("unknown" if year is None or pub_year is None else "same" if year == pub_year
           else "after" if year > pub_year else "before")
    feats = {RULE[rule_kind]: 1.0, REL[rel]: 1.0}
    starts, by_place = words.starts, words.features
    for i in range(bisect_left(starts, sent_start), bisect_left(starts, sent_end)):
        s = starts[i]
        if q_start <= s < q_end:
            continue
        # _PLACES: before_sentence, before_clause, after_clause, after_sentence
        feats[by_place[i][0 if s < clause_start else 1 if s < q_start else 2 if s < clause_end else 3]] = 1.0
    return feats


def choose(feats: dict[str, float], rule_kind: str, decisive: bool = False,
           memo: dict[tuple[str, ...], float] | None = None) -> tuple[str, float]:
    """(kind, probability of target). decisive: a reading rule right on any text decided it
    (a deadline still ahead after the number: 争取在2020年底前全部摘帽). memo: the article's
    probabilities by features (KindWords.probabilities; many numbers share them)."""
    if decisive or not linear.weights("kind"):
        return rule_kind, 1.0 if rule_kind == "target" else 0.0
    if memo is None:
        p = linear.probability("kind", feats)
    else:
        key = tuple(feats)
        p = memo.get(key)
        if p is None:
            p = linear.probability("kind", feats)
            if len(memo) < MEMO_MAX:
                memo[key] = p
    return ("target" if p >= 0.5 else "actual"), p
