"""Fit the weights extraction ships (seeds/model_weights.csv, seeds/confidence_calibration.csv)
to the hand-checked gold beside the project, and say how well they do on articles they were
not fitted to.

    python -m fupin.flows.train [--shared ../shared] [--check] [--folds 5]

* Articles: the seeds, dev and dev2 sets of ../shared, each read twice: as text alone and
  with its crawl manifest (sources.csv), so that the models learn both situations.
* Model 'year' (transforms.year_choice): a logistic regression over the named features of
  each candidate year of a fact, labelled by whether the candidate is a gold year.
* Model 'region' (transforms.region_choice): the same over candidate regions, labelled by
  whether the candidate is one of the gold's regions.
* Model 'kind' (transforms.kind_choice): a logistic regression over the words around a fact
  (seeds/kind_words.csv, by place) and the reading rules' answer, labelled by whether the
  gold calls the fact a target.
* Model 'confidence' (transforms.confidence): a logistic regression over how each attribute
  of a fact was decided, labelled by whether the fact is right in every attribute (value,
  unit, year, region, indicator, kind); facts that overlap only gold rows of another scope are
  left out, as the scorer leaves them out. Its probabilities are calibrated by isotonic
  regression on the cross-validated predictions.
* Cross-validation: folds of articles (never of facts), both readings of an article in one
  fold; each fold's models are fitted on the other folds and the fold is extracted with them.
  The cross-validated strict F1 is the estimate of how fupin does on articles it never saw.

--check refits and exits 1 when the shipped files differ from the refit (CI runs it).
scikit-learn is a dev dependency: only this command imports it.
"""
from __future__ import annotations

import argparse
import csv
import importlib.util
import io
import sys
from dataclasses import dataclass, replace
from pathlib import Path

from fupin import SEEDS
from fupin.flows import manifest as manifest_mod
from fupin.flows import stage
from fupin.transforms import confidence, linear, region_choice
from fupin.transforms.extract import extract_article
from fupin.transforms.normalize import Normalised, normalise
from fupin.transforms.regions import Mention, default_gazetteer

DEFAULT_SHARED = Path(__file__).resolve().parents[2] / "shared"
SETS = (("seeds/articles", "gold/seeds.csv", None),
        ("dev/articles", "gold/dev.csv", "dev/sources.csv"),
        ("dev2/articles", "dev2/gold.csv", "dev2/sources.csv"))
WEIGHTS_FILE, CALIBRATION_FILE = "model_weights.csv", "confidence_calibration.csv"
WEIGHTS_HEADER = ("# one row: a weight of a fitted model of extraction (transforms.linear). model year: "
                  "which candidate year a fact takes (transforms.year_choice); model confidence: how likely a fact "
                  "is right in every attribute (transforms.confidence). Written by python -m fupin.flows.train\n")
CALIBRATION_HEADER = ("# one row: facts whose raw confidence probability is at least raw_at_least were right in "
                      "every attribute this often in cross-validation (isotonic steps). Written by "
                      "python -m fupin.flows.train\n")
# Inverse L2 strength per model: the kind model reads many words, so it is held closer to zero.
C = {"year": 1.0, "region": 1.0, "kind": 0.3, "confidence": 0.1}


@dataclass
class Article:
    doc: str
    reading: str     # text | manifest
    raw: str
    known: dict
    norm: Normalised | None = None       # normalise(raw), set by prepare()
    mentions: list[Mention] | None = None  # the region names in norm.text, set by prepare()


def load_scorer(shared: Path):
    spec = importlib.util.spec_from_file_location("fupin_gold_score", shared / "tools" / "score.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def load_articles(shared: Path) -> list[Article]:
    out = []
    for folder, _, sources in SETS:
        d = shared / folder
        paths = sorted(str(p) for p in d.glob("*.txt"))
        # a set without a manifest is read as text in both readings, so both cover every article
        readings = [("text", None), ("manifest", None)]
        if sources:
            m = manifest_mod.read(str(shared / sources), str(d))
            readings[1] = ("manifest", {p: e.as_dict() for p, e in m.entries.items()})
        for reading, entries in readings:
            arts, _ = stage.stage_files(paths, None, entries)
            for row in arts.iter_rows(named=True):
                known = {k: row[k] for k in row if k.startswith("known_") and row[k] is not None}
                out.append(Article(row["source_file"], reading, row["raw_text"], known))
    return out


def prepare(articles: list[Article]) -> list[Article]:
    """Each article's normalised text and region names, found once for every extraction of
    the training (~19): what the weights do not change. One region-name pass for all: a
    pass per article built the name automaton each time (~60 % of the command's time)."""
    for a in articles:
        a.norm = normalise(a.raw)
    for a, ms in zip(articles, default_gazetteer().find_many([a.norm.text for a in articles])):
        a.mentions = ms
    return articles


def extract(articles: list[Article]) -> list[dict]:
    gaz = default_gazetteer()
    facts = []
    for a in articles:
        mentions = [replace(m) for m in a.mentions] if a.mentions is not None else None  # resolve() sets their region
        for f in extract_article(a.doc, a.raw, gaz, a.norm, mentions, known=a.known, evidence=True).facts:
            f["source_file"], f["reading"] = a.doc, a.reading
            facts.append(f)
    return facts


# ----------------------------------------------------------------------------- labels

def matches(scorer, gold: list[dict], facts: list[dict]) -> dict[int, tuple[dict, dict]]:
    """id(fact) -> (gold row, attribute checks) for facts the scorer matched to a region row."""
    _, matched, _, _ = scorer.score(gold, facts)
    return {id(f): (g, c) for g, f, c in matched}


def judged(scorer, gold: list[dict], facts: list[dict]):
    """(fact, its gold row and attribute checks or None, the gold rows it overlaps), reading by
    reading (a gold row is matched once per reading), for every fact."""
    for reading in ("text", "manifest"):
        fs = [f for f in facts if f["reading"] == reading]
        docs = {f["source_file"] for f in fs}
        g = [r for r in gold if r["doc"] in docs]
        m = matches(scorer, g, fs)
        spans: dict[str, list[dict]] = {}
        for r in g:
            spans.setdefault(r["doc"], []).append(r)
        for f in fs:
            hit = [r for r in spans.get(f["source_file"], [])
                   if r["start"] < f["char_end"] and f["char_start"] < r["end"]]
            yield f, m.get(id(f)), hit


def confidence_rows(scorer, gold: list[dict], facts: list[dict]) -> list[tuple[dict, int, float]]:
    """(features, right in every attribute, ceiling) of every fact the scorer judges: matched
    ones, and false positives (a fact overlapping only gold rows of another scope is not
    judged). The ceiling is where a guessed attribute caps the fact's confidence."""
    out = []
    for f, match, hit in judged(scorer, gold, facts):
        if match is None and hit and not any(r["scope"] == "region" for r in hit):
            continue
        feats = f["_confidence_features"]
        right = int(all(match[1].values())) if match is not None else 0
        out.append((feats, right, confidence.ceiling(f, confidence.pub_source_of(feats))))
    return out


def year_rows(scorer, gold: list[dict], facts: list[dict]) -> list[tuple[dict, int]]:
    """(features, is a gold year) of every candidate year of every matched fact."""
    return [(feats, int(y in match[0]["year"])) for f, match, _ in judged(scorer, gold, facts)
            if match is not None and match[0]["year"] for y, feats in f["_year_candidates"].items()]


def region_rows(scorer, gold: list[dict], facts: list[dict]) -> list[tuple[dict, int]]:
    """(features, is a gold region) of every candidate region of every matched fact whose
    region the model chooses (a decisive reading rule's facts never reach it)."""
    return [(feats, int(code in scorer.options(match[0]["region_code"])))
            for f, match, _ in judged(scorer, gold, facts)
            if match is not None and f["region_source"] not in region_choice.DECISIVE
            for code, feats in f["_region_candidates"].items()]


def kind_rows(scorer, gold: list[dict], facts: list[dict]) -> list[tuple[dict, int]]:
    """(features, is a target in the gold) of every matched fact."""
    return [(f["_kind_features"], int(match[0]["kind"] == "target"))
            for f, match, _ in judged(scorer, gold, facts) if match is not None]


# ----------------------------------------------------------------------------- fitting

def fit(rows: list[tuple[dict, int]], c: float) -> dict[str, float]:
    from sklearn.feature_extraction import DictVectorizer
    from sklearn.linear_model import LogisticRegression

    if not rows or len({y for _, y in rows}) < 2:
        return {}
    vec = DictVectorizer(sort=True)
    x = vec.fit_transform([f for f, _ in rows])
    model = LogisticRegression(C=c, max_iter=2000).fit(x, [y for _, y in rows])
    w = {name: round(float(v), 4) for name, v in zip(vec.get_feature_names_out(), model.coef_[0])}
    w["(bias)"] = round(float(model.intercept_[0]), 4)
    return w


def isotonic(raw: list[float], right: list[int]) -> tuple[list[float], list[float]]:
    from sklearn.isotonic import IsotonicRegression

    iso = IsotonicRegression(y_min=0.0, y_max=1.0, out_of_bounds="clip").fit(raw, right)
    lows, values = [], []
    for x, y in zip(iso.X_thresholds_, iso.y_thresholds_):
        if not values or round(float(y), 4) != values[-1]:
            lows.append(round(float(x), 4))
            values.append(round(float(y), 4))
    lows[0] = 0.0
    return lows, values


def folds_of(docs: list[str], k: int) -> dict[str, int]:
    """Article -> fold: articles sorted by name, dealt round-robin (deterministic)."""
    return {d: i % k for i, d in enumerate(sorted(docs))}


def fit_models(scorer, gold, articles) -> tuple[dict, list[dict]]:
    """Year and region weights; kind weights on facts extracted with them (a year still ahead
    makes a target); and the facts extracted with all three. Confidence is fitted apart, on
    facts read by models that never saw their article (train)."""
    with linear.fitting({}):
        facts = extract(articles)
        year_w = fit(year_rows(scorer, gold, facts), C["year"])
        region_w = fit(region_rows(scorer, gold, facts), C["region"])
    with linear.fitting({"year": year_w, "region": region_w}):
        kind_w = fit(kind_rows(scorer, gold, extract(articles)), C["kind"])
    models = {"year": year_w, "region": region_w, "kind": kind_w}
    with linear.fitting(models):
        facts = extract(articles)
    return models, facts


@dataclass
class Outcome:
    models: dict
    calibration: tuple[list[float], list[float]]
    fold_scores: list[dict]
    cv: dict
    train: dict
    cv_confidence: list[tuple[float, int]]


def scores(scorer, gold, facts) -> dict:
    out = {}
    for reading in ("text", "manifest"):
        fs = [f for f in facts if f["reading"] == reading]
        docs = {f["source_file"] for f in fs} | ({r["doc"] for r in gold} if reading == "text" else set())
        res = scorer.score([r for r in gold if r["doc"] in docs], fs)[0]
        out[reading] = (res["strict"]["f1"], res["full"]["f1"])
    return out


def train(shared: Path, k: int) -> Outcome:
    scorer = load_scorer(shared)
    gold = scorer.load_gold([shared / g for _, g, _ in SETS])
    articles = prepare(load_articles(shared))
    fold = folds_of(list({a.doc for a in articles}), k)
    cv_facts, fold_scores, held_rows = [], [], []
    for i in range(k):
        fit_on = [a for a in articles if fold[a.doc] != i]
        held = [a for a in articles if fold[a.doc] == i]
        models, _ = fit_models(scorer, [r for r in gold if fold.get(r["doc"]) != i], fit_on)
        held_gold = [r for r in gold if fold.get(r["doc"]) == i]
        with linear.fitting(models):
            facts = extract(held)
        # Confidence learns from facts read by models that never saw their article, as
        # every fact of a run is: in-sample choosers look surer than they are.
        held_rows += [(i, *row) for row in confidence_rows(scorer, held_gold, facts)]
        fold_scores.append({"fold": i, "articles": len({a.doc for a in held}), **scores(scorer, held_gold, facts)})
        cv_facts += facts
    cv_conf = []
    for i in range(k):  # the confidence model itself, cross-validated by the same folds
        w = fit([(f, y) for j, f, y, _ in held_rows if j != i], C["confidence"])
        with linear.fitting({"confidence": w}):
            cv_conf += [(linear.probability("confidence", f), y, cap) for j, f, y, cap in held_rows if j == i]
    # calibrated on the facts no guess caps: a capped fact's confidence is its ceiling
    calibration = isotonic([p for p, _, cap in cv_conf if cap == 1.0], [y for _, y, cap in cv_conf if cap == 1.0])
    models, train_facts = fit_models(scorer, gold, articles)
    models["confidence"] = fit([(f, y) for _, f, y, _ in held_rows], C["confidence"])
    calibrated_cv = [(min(_calibrate(calibration, p), cap), y) for p, y, cap in cv_conf]
    return Outcome(models, calibration, fold_scores, scores(scorer, gold, cv_facts),
                   scores(scorer, gold, train_facts), calibrated_cv)


def _calibrate(calibration, p: float) -> float:
    with linear.fitting({}, calibration):
        return linear.calibrated(p)


# ----------------------------------------------------------------------------- files

def weights_csv(models: dict) -> str:
    buf = io.StringIO()
    buf.write(WEIGHTS_HEADER)
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(["model", "feature", "weight"])
    for model in sorted(models):
        for feature, weight in sorted(models[model].items()):
            w.writerow([model, feature, f"{weight:.4f}"])
    return buf.getvalue()


def calibration_csv(calibration) -> str:
    buf = io.StringIO()
    buf.write(CALIBRATION_HEADER)
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(["raw_at_least", "confidence"])
    for low, value in zip(*calibration):
        w.writerow([f"{low:.4f}", f"{value:.4f}"])
    return buf.getvalue()


def reliability(pairs: list[tuple[float, int]]) -> list[tuple[str, int, float]]:
    out = []
    for b in range(10):
        lo, hi = b / 10, (b + 1) / 10
        ys = [y for p, y in pairs if lo <= p < hi or (b == 9 and p == 1.0)]
        out.append((f"{lo:.1f}-{hi:.1f}", len(ys), sum(ys) / len(ys) if ys else float("nan")))
    return out


def report(o: Outcome) -> str:
    lines = ["fold  articles  strict(text)  full(text)  strict(manifest)  full(manifest)"]
    for s in o.fold_scores:
        lines.append(f"{s['fold']:>4}  {s['articles']:>8}  {s['text'][0]:>12.3f}  {s['text'][1]:>10.3f}  "
                     f"{s['manifest'][0]:>16.3f}  {s['manifest'][1]:>14.3f}")
    for name, sc in (("cross-validated", o.cv), ("training set", o.train)):
        lines.append(f"{name:>16}: text only strict {sc['text'][0]:.3f} full {sc['text'][1]:.3f}; "
                     f"with manifest strict {sc['manifest'][0]:.3f} full {sc['manifest'][1]:.3f}")
    lines.append("confidence (cross-validated, calibrated): bin  facts  share right")
    lines += [f"  {b}  {n:>5}  {r:.3f}" for b, n, r in reliability(o.cv_confidence)]
    high = [y for p, y in o.cv_confidence if p >= 0.9]
    if high:
        lines.append(f"  confidence >= 0.9: {len(high)} facts, {sum(high) / len(high):.3f} right")
    for model in ("year", "region", "kind", "confidence"):
        top = sorted(o.models[model].items(), key=lambda kv: -abs(kv[1]))[:12]
        lines.append(f"model {model}, largest weights: " + ", ".join(f"{k} {v:+.2f}" for k, v in top))
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m fupin.flows.train", description=__doc__.split("\n\n")[0])
    ap.add_argument("--shared", type=Path, default=DEFAULT_SHARED)
    ap.add_argument("--folds", type=int, default=5)
    ap.add_argument("--check", action="store_true", help="exit 1 when the shipped weights differ from a refit")
    ap.add_argument("--seeds-dir", type=Path, default=None, help="where to write (default: the package's seeds/)")
    a = ap.parse_args(argv)
    if not (a.shared / "tools" / "score.py").exists():
        print(f"train: {a.shared} has no tools/score.py (the gold is not beside the project)", file=sys.stderr)
        return 2
    o = train(a.shared.resolve(), a.folds)
    print(report(o))
    files = {WEIGHTS_FILE: weights_csv(o.models), CALIBRATION_FILE: calibration_csv(o.calibration)}
    out = a.seeds_dir or Path(str(SEEDS))
    if a.check:
        stale = [n for n, body in files.items()
                 if not (out / n).exists() or (out / n).read_text(encoding="utf-8") != body]
        if stale:
            print(f"train --check: the shipped {', '.join(stale)} differ from a refit", file=sys.stderr)
            return 1
        print("train --check: the shipped weights are the refit's")
        return 0
    for name, body in files.items():
        (out / name).write_text(body, encoding="utf-8")
    print(f"wrote {', '.join(files)} to {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
