"""A quantity's year, chosen among candidates. The reading rules of transforms.timeline
propose years (their cascade's answer is one candidate among several: the nearest cue
before the number in its clause and sentence, the first cue after it in its clause, the
publication year, the latest year the article reports); each candidate is described by
named features, and the weights fitted to the gold (model 'year' of seeds/model_weights.csv)
decide. Without fitted weights the cascade's answer wins."""
from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass

from fupin.transforms import linear
from fupin.transforms.timeline import Timeline, cue_year

CASCADE_PRIOR = 0.5  # the cascade's answer wins ties, and wins outright without weights


@dataclass
class YearChoice:
    year: int | None
    source: str            # the cascade's year_source, or 'model_<generator>' of the strongest other one
    margin: float          # score of the chosen candidate minus the runner-up's (large: clear)
    n_candidates: int
    candidates: dict       # year -> features, for training (flows.train)


def _relation(year: int, pub: int | None) -> str:
    if pub is None:
        return "vs_pub:unknown"
    d = year - pub
    return "vs_pub:same" if d == 0 else "vs_pub:after" if d > 0 else "vs_pub:before1" if d == -1 else "vs_pub:before2+"


def candidates(tl: Timeline, q_start: int, sent_start: int, clause_start: int, clause_end: int,
               cascade_year: int | None, cascade_source: str | None) -> dict[int, dict[str, float]]:
    out: dict[int, dict[str, float]] = {}

    def add(year: int | None, feature: str) -> None:
        if year is not None:
            out.setdefault(year, {})[feature] = 1.0

    add(cascade_year, "cascade")
    add(cascade_year, f"cascade:{cascade_source}")
    add(tl.pub_year, "publication")
    add(tl.latest, "latest_reported")
    cues, i = tl.cues, bisect_right(tl.cue_starts, q_start) - 1
    seen_sentence = seen_clause = False
    while i >= 0 and cues[i].start >= sent_start and not seen_sentence:
        c = cues[i]
        if c.end <= q_start:
            add(cue_year(c, tl.pub_year, tl.latest), f"cue_before_sentence:{c.kind}")
            seen_sentence = True
            if c.start >= clause_start and not seen_clause:
                add(cue_year(c, tl.pub_year, tl.latest), f"cue_before_clause:{c.kind}")
                seen_clause = True
        i -= 1
    j = bisect_right(tl.cue_starts, q_start)
    if j < len(cues) and cues[j].start < clause_end:
        add(cue_year(cues[j], tl.pub_year, tl.latest), f"cue_after_clause:{cues[j].kind}")
    for year, feats in out.items():
        feats[_relation(year, tl.pub_year)] = 1.0
    return out


def choose(tl: Timeline, q_start: int, sent_start: int, clause_start: int, clause_end: int,
           cascade_year: int | None, cascade_source: str | None) -> YearChoice:
    cands = candidates(tl, q_start, sent_start, clause_start, clause_end, cascade_year, cascade_source)
    if not cands:
        return YearChoice(None, cascade_source or "unknown", 0.0, 0, cands)
    scored = sorted(((linear.score("year", f) + (CASCADE_PRIOR if "cascade" in f else 0.0), y)
                     for y, f in cands.items()), reverse=True)
    best, year = scored[0]
    margin = best - scored[1][0] if len(scored) > 1 else 10.0
    feats = cands[year]
    if "cascade" in feats:
        source = cascade_source or "unknown"
    else:
        others = [k for k in feats if not k.startswith("vs_pub")]
        source = "model_" + max(others, key=lambda k: linear.weights("year").get(k, 0.0)).split(":")[0]
    return YearChoice(year, source, margin, len(cands), cands)
