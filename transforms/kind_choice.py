"""Whether a quantity is a target or an actual. The reading rules' answer (transforms.extract
._kind: target words before the number, a task after it, a year still ahead) is one feature;
the words of seeds/kind_words.csv around the number (in its clause before and after it,
earlier and later in its sentence) and its year against the publication year are the
others. Weights fitted to the gold (model 'kind' of seeds/model_weights.csv) decide; without
them the rules' answer stands."""
from __future__ import annotations

import re

from fupin.transforms import lexicon, linear

KIND_WORDS = tuple((r["name"], re.compile(r["pattern"])) for r in lexicon.rows("kind_words"))


def features(text: str, q_start: int, q_end: int, bounds: tuple[int, int, int, int], rule_kind: str,
             year: int | None, pub_year: int | None) -> dict[str, float]:
    sent_start, sent_end, clause_start, clause_end = bounds
    windows = (("before_clause", text[clause_start:q_start]), ("before_sentence", text[sent_start:clause_start]),
               ("after_clause", text[q_end:clause_end]), ("after_sentence", text[clause_end:sent_end]))
    rel = ("unknown" if year is None or pub_year is None else "same" if year == pub_year
           else "after" if year > pub_year else "before")
    feats = {f"rule:{rule_kind}": 1.0, f"year_vs_pub:{rel}": 1.0}
    for name, rx in KIND_WORDS:
        for where, seg in windows:
            if rx.search(seg):
                feats[f"{name}@{where}"] = 1.0
    return feats


def choose(feats: dict[str, float], rule_kind: str, decisive: bool = False) -> tuple[str, float]:
    """(kind, probability of target). decisive: a reading rule right on any text decided it
    (a deadline still ahead after the number: 争取在2020年底前全部摘帽)."""
    if decisive or not linear.weights("kind"):
        return rule_kind, 1.0 if rule_kind == "target" else 0.0
    p = linear.probability("kind", feats)
    return ("target" if p >= 0.5 else "actual"), p
