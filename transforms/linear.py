"""The fitted choices of extraction, read as data: named features with weights
(seeds/model_weights.csv, written by `python -m fupin.flows.train`), a weighted sum and,
for confidence, a calibration table (seeds/confidence_calibration.csv). Stdlib only: a run
needs no scikit-learn."""
from __future__ import annotations

import math
from itertools import repeat
from contextlib import contextmanager
from bisect import bisect_right
from functools import lru_cache

from fupin.transforms import lexicon


_FITTING: dict = {}  # flows.train: weights and calibration being fitted, in place of the shipped ones


@contextmanager
def fitting(models: dict[str, dict[str, float]], calibration: tuple[list[float], list[float]] | None = None):
    """Extract with these weights (model -> feature -> weight) and calibration instead of
    the shipped files, inside the block: how the training command cross-validates."""
    _FITTING.update(models=models, calibration=calibration)
    try:
        yield
    finally:
        _FITTING.clear()


def is_fitting() -> bool:
    """Whether weights being fitted stand in for the shipped ones (inside fitting())."""
    return bool(_FITTING)


def weights(model: str) -> dict[str, float]:
    """feature -> weight of one model ('year', 'confidence'); '(bias)' is the intercept.
    Empty where the file has no such model yet (then every score is 0)."""
    if _FITTING:
        return _FITTING["models"].get(model, {})
    return _shipped_weights(model)


@lru_cache(maxsize=None)
def _shipped_weights(model: str) -> dict[str, float]:
    try:
        rows = lexicon.rows("model_weights")
    except FileNotFoundError:
        return {}
    return {r["feature"]: float(r["weight"]) for r in rows if r["model"] == model}


def score(model: str, features: dict[str, float]) -> float:
    """The model's weighted sum. Features are binary (a name present has value 1), so the sum
    is of the weights of the names present."""
    w = weights(model)
    return w.get("(bias)", 0.0) + sum(map(w.get, features, repeat(0.0)))


def ranked(model: str, candidates: dict, favoured: str, tie: float) -> list[tuple[float, object]]:
    """(score, key) of each candidate (key -> features), best first, the weights looked up
    once; a candidate holding the feature `favoured` gains `tie`, so that it wins ties."""
    w = weights(model)
    bias = w.get("(bias)", 0.0)
    return sorted(((bias + sum(map(w.get, f, repeat(0.0))) + (tie if favoured in f else 0.0), key)
                   for key, f in candidates.items()), reverse=True)


def sigmoid(x: float) -> float:
    return 1.0 / (1.0 + math.exp(-x))


def probability(model: str, features: dict[str, float]) -> float:
    return sigmoid(score(model, features))


def _calibration() -> tuple[list[float], list[float]]:
    if _FITTING:
        return _FITTING["calibration"] or ([], [])
    return _shipped_calibration()


@lru_cache(maxsize=1)
def _shipped_calibration() -> tuple[list[float], list[float]]:
    try:
        rows = lexicon.rows("confidence_calibration")
    except FileNotFoundError:
        return [], []
    return [float(r["raw_at_least"]) for r in rows], [float(r["confidence"]) for r in rows]


@lru_cache(maxsize=1)
def _shipped_steps() -> tuple[list[float], list[float]]:
    """The shipped calibration with each step's value already rounded as calibrated() gives it."""
    lows, values = _shipped_calibration()
    return lows, [round(v, 4) for v in values]


def calibrated(raw: float) -> float:
    """The share of facts right in every attribute among cross-validated facts of this raw
    probability (isotonic steps); the raw probability where no table is shipped."""
    if _FITTING:
        lows, values = _calibration()
        i = bisect_right(lows, raw) - 1
        return round(values[i] if i >= 0 else raw, 4)
    lows, steps = _shipped_steps()
    i = bisect_right(lows, raw) - 1
    return steps[i] if i >= 0 else round(raw, 4)
