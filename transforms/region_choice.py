"""A quantity's region, chosen among candidates. The reading rules of
transforms.region_context propose one region (their answer and how it was found); the other
candidates are the article's main region, the region of its title, the region the input
named (a manifest), the regions on either side of an aid verb (A对口帮扶B: seeds/aid_verbs.csv),
the nearest region named before the number in its clause and sentence, and the country.
Each is described by named features; the weights fitted to the gold (model 'region' of
seeds/model_weights.csv) decide. Without fitted weights the rules' answer stands."""
from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass, field

from fupin.transforms import lexicon, linear
from fupin.transforms.contracts import COUNTRY_CODE
from fupin.transforms.region_context import NOT_SUBJECT, names_country
from fupin.transforms.regions import Gazetteer

COUNTRY = COUNTRY_CODE
CASCADE_TIE = 1e-6
# Reading rules right on any text of the field: their answer is not put to the model.
# 比全国平均水平1.6%: the 1.6% is the country's; 竹溪等5个县: the region above the named members;
# an article on its region's aid to one province: figures no name claims are the aided side's
DECISIVE = frozenset({"yardstick", "group", "aid_receiver"})
_AID = re.compile("(?:" + "|".join(sorted(lexicon.words("aid_verbs"), key=len, reverse=True)) + ")")
AID_REACH = 12  # characters between a region and the aid verb that joins it to another
AID_OPENING = 600  # the giver and receiver features read the pair named in the opening


@dataclass
class ArticleRegions:
    """What every quantity's region candidates share: counts, main, title, input, aid pair."""
    counts: dict[str, int]
    main: str | None
    title: str | None
    known: str | None
    giver: str | None
    receiver: str | None
    top: int = 0  # how often the most named region is named
    aided: str | None = None  # aided_by_main: where figures no name claims belong
    # Each candidate's features that depend on its code alone (level, how often named) and
    # on its code and the rules' answer (inside, around, apart): found once per article.
    by_code: dict[str, tuple[str, str]] = field(default_factory=dict)
    by_pair: dict[tuple[str, str], str] = field(default_factory=dict)
    choices: dict = field(default_factory=dict)  # decide's memo

    def code_features(self, code: str) -> tuple[str, str]:
        got = self.by_code.get(code)
        if got is None:
            n = self.counts.get(code, 0)
            got = self.by_code[code] = (f"level:{level(code)}",
                                        "most_named" if n and n == self.top else "named" if n else "not_named")
        return got

    def relation(self, code: str, cascade_code: str, gaz: Gazetteer) -> str:
        got = self.by_pair.get((code, cascade_code))
        if got is None:
            anc = gaz.common_ancestor([code, cascade_code])
            got = self.by_pair[code, cascade_code] = (
                "contains_cascade" if anc == code else "inside_cascade" if anc == cascade_code else "apart")
        return got


def level(code: str | None) -> str:
    """country | province | prefecture | county (by the code's shape), none without a code."""
    if not code:
        return "none"
    return ("country" if code == COUNTRY else "province" if code.endswith("0000")
            else "prefecture" if code.endswith("00") else "county")


def article_regions(text: str, anchors: list, main: str | None, title_span: tuple[int, int],
                    known: str | None, gaz: Gazetteer) -> ArticleRegions:
    counts: dict[str, int] = {}
    for a in anchors:
        if a.role not in NOT_SUBJECT:
            counts[a.code] = counts.get(a.code, 0) + 1
    title = text[title_span[0]:title_span[1]]
    in_title = [a.code for a in anchors if title_span[0] <= a.start < title_span[1]
                and (a.code != COUNTRY or names_country(title))]  # not 在全国争先进位: a ranking
    pairs = aid_pairs(text, anchors, gaz)
    early = [(a, b) for a, b, end in pairs if end <= AID_OPENING]
    giver, receiver = early[0] if early else (None, None)
    return ArticleRegions(counts, main, in_title[-1] if in_title else None, known, giver, receiver,
                          max(counts.values(), default=0), aided=aided_by_main(pairs, main, counts, gaz))


def aid_pairs(text: str, anchors: list, gaz: Gazetteer) -> list[tuple[str, str, int]]:
    """(giver, receiver, end of the aid verb) of every A对口帮扶B in the text: a region named
    just before an aid verb and one right after it, neither containing the other."""
    out: list[tuple[str, str, int]] = []
    if len(anchors) < 2:
        return out
    starts = [a.start for a in anchors]
    for m in _AID.finditer(text):
        i = bisect_right(starts, m.start()) - 1
        j = bisect_right(starts, m.end() - 1)
        if i < 0 or j >= len(anchors) or m.start() - anchors[i].end > AID_REACH or anchors[j].start - m.end() > 4:
            continue
        a, b = anchors[i].code, anchors[j].code
        if gaz.common_ancestor([a, b]) not in (a, b):  # not 全市帮扶…县: aid within one region
            out.append((a, b, m.end()))
    return out


def aided_by_main(pairs: list[tuple[str, str, int]], main: str | None, counts: dict[str, int],
                  gaz: Gazetteer) -> str | None:
    """The region an article about its main region's aid to one other province is about:
    天津对口帮扶甘肃…东丽区对口帮扶皋兰县 (every giver in 天津, every receiver and every other
    region it names in 甘肃). Its figures that no nearer name claims describe the aided side,
    as the gold codes aid (GOLD.md: the receiving region, or either side where the text does
    not settle it). A province that aids several names them all, and keeps its figures."""
    if not main or not pairs:
        return None
    givers = {province_of(a, gaz) for a, _, _ in pairs}
    receivers = {province_of(b, gaz) for _, b, _ in pairs}
    named = {province_of(c, gaz) for c in counts if c != COUNTRY}
    if givers != {province_of(main, gaz)} or len(receivers) != 1 or receivers == givers or named != givers | receivers:
        return None
    return gaz.common_ancestor([b for _, b, _ in pairs])


def province_of(code: str, gaz: Gazetteer) -> str:
    r = gaz.region(code)
    return (r.province if r and r.province else None) or code


def nearby(anchors: list, starts: list[int], pos: int, clause_start: int, sent_start: int
           ) -> tuple[tuple[str, str], ...]:
    """The regions named before the number in its sentence, nearest first, as (code, feature):
    nearest_clause for the nearest in its clause (and adjacent when it stands right before the
    number), in_sentence for each; regions that are no subject (NOT_SUBJECT roles) are skipped."""
    out = []
    i = bisect_right(starts, pos) - 1
    seen_clause = False
    while i >= 0 and anchors[i].start >= sent_start:
        a = anchors[i]
        if a.end <= pos and a.role not in NOT_SUBJECT:
            if a.start >= clause_start and not seen_clause:
                out.append((a.code, "nearest_clause"))
                if a.end == pos:
                    out.append((a.code, "adjacent"))  # 甘肃省28个县: the name right before the number
                seen_clause = True
            out.append((a.code, "in_sentence"))
        i -= 1
    return tuple(out)


def candidates(art: ArticleRegions, near: tuple[tuple[str, str], ...], cascade_code: str | None,
               cascade_source: str, gaz: Gazetteer) -> dict[str, dict[str, float]]:
    out: dict[str, dict[str, float]] = {}

    def add(code: str | None, feature: str) -> None:
        if code:
            out.setdefault(code, {})[feature] = 1.0

    add(cascade_code, "cascade")
    add(cascade_code, f"cascade:{cascade_source}")
    add(art.main, "main")
    add(art.title, "title")
    add(art.known, "known")
    add(art.giver, "aid_giver")
    add(art.receiver, "aid_receiver")
    add(COUNTRY, "country")
    for code, feature in near:
        add(code, feature)
    same, other = f"cascade:{cascade_source}&same", f"cascade:{cascade_source}&other"
    for code, feats in out.items():
        level_feature, named_feature = art.code_features(code)
        feats[level_feature] = 1.0
        feats[named_feature] = 1.0
        if cascade_code and code != cascade_code:
            feats[art.relation(code, cascade_code, gaz)] = 1.0
        if cascade_code:
            feats[same if code == cascade_code else other] = 1.0
    return out


def decide(art: ArticleRegions, near: tuple[tuple[str, str], ...], cascade_code: str | None,
           cascade_source: str, gaz: Gazetteer) -> tuple[dict, tuple[str | None, str, float, float], int]:
    """(candidates, choose's answer, its probability in tenths), memoised per article by the
    regions nearby and the rules' answer: the numbers of a sentence often share both."""
    key = (near, cascade_code, cascade_source)
    got = art.choices.get(key)
    if got is None:
        got = art.choices[key] = _shared_decide(art, near, cascade_code, cascade_source, gaz)
    return got


def _decide(art: ArticleRegions, near: tuple[tuple[str, str], ...], cascade_code: str | None,
            cascade_source: str, gaz: Gazetteer) -> tuple[dict, tuple[str | None, str, float, float], int]:
    cands = candidates(art, near, cascade_code, cascade_source, gaz)
    chosen = choose(cands, cascade_code, cascade_source)
    return cands, chosen, int(10 * linear.sigmoid(chosen[3]))


# _decide's answers under the shipped weights, shared by every article of the process, by
# everything candidates() reads: the gazetteer, the regions nearby, the rules' answer, the
# article's main, title, input and aid regions, and how often it names each candidate (the
# other features depend on the codes alone). Bounded; not used while fitting.
_SHIPPED_DECISIONS: dict[tuple, tuple] = {}
MEMO_MAX = 50_000


def _shared_decide(art: ArticleRegions, near: tuple[tuple[str, str], ...], cascade_code: str | None,
                   cascade_source: str, gaz: Gazetteer) -> tuple[dict, tuple[str | None, str, float, float], int]:
    if linear.is_fitting():
        return _decide(art, near, cascade_code, cascade_source, gaz)
    # the candidates' codes, in the order candidates() adds them
    codes = dict.fromkeys(c for c in (cascade_code, art.main, art.title, art.known, art.giver, art.receiver, COUNTRY,
                                      *[code for code, _ in near]) if c)
    key = (gaz, near, cascade_code, cascade_source, art.main, art.title, art.known, art.giver, art.receiver,
           tuple(art.code_features(c)[1] for c in codes))
    got = _SHIPPED_DECISIONS.get(key)
    if got is None:
        got = _decide(art, near, cascade_code, cascade_source, gaz)
        if len(_SHIPPED_DECISIONS) < MEMO_MAX:
            _SHIPPED_DECISIONS[key] = got
    return got


def choose(cands: dict[str, dict[str, float]], cascade_code: str | None, cascade_source: str
           ) -> tuple[str | None, str, float, float]:
    """(region, region_source, margin, score of the region chosen)."""
    if not cands or not linear.weights("region") or cascade_source in DECISIVE or (
            cascade_source == "clause" and (cascade_code == COUNTRY  # 全国592个…: 全国 in its own clause
                                            or "adjacent" in cands.get(cascade_code, {}))):
        return cascade_code, cascade_source, 10.0, linear.score("region", cands.get(cascade_code, {}))
    scored = linear.ranked("region", cands, "cascade", CASCADE_TIE)
    best, code = scored[0]
    margin = best - scored[1][0] if len(scored) > 1 else 10.0
    if code == cascade_code:
        return code, cascade_source, margin, best
    if cascade_code is None and code == COUNTRY:
        return code, "default_country", margin, best  # the text names no region at all
    named = [k for k in cands[code] if k in ("main", "title", "known", "aid_giver", "aid_receiver", "country",
                                              "nearest_clause", "in_sentence")]
    w = linear.weights("region")
    return code, "model_" + (max(named, key=lambda k: w.get(k, 0.0)) if named else "other"), margin, best
