"""Extraction scored on the probe sets (tests/data/probes/): articles written in the field's
genres by people who had not read the extraction code, annotated under ../shared/spec/GOLD.md.

  .venv/bin/python benchmarks/probe_sets.py [--sets A B ...] [--manifest] [--shared ../shared]

Prints, per set and over all of them, strict, full and detection F1, and the precision and
recall of the facts with confidence >= 0.9 (what an analyst filtering on confidence keeps).
Needs ../shared/tools/score.py (the gold's scorer); asserts nothing. The sets are not the
dev gold: their annotators were single, their texts written rather than crawled (see
tests/data/probes/README.md), so read their figures beside the cross-validated ones.
"""
from __future__ import annotations

import argparse
from pathlib import Path

from fupin.flows import manifest as manifest_mod
from fupin.flows import stage
from fupin.flows.train import load_scorer
from fupin.transforms.extract import extract_batch

PROBES = Path(__file__).resolve().parents[1] / "tests" / "data" / "probes"
CONFIDENT = 0.9


def facts_of(folder: Path, with_manifest: bool) -> list[dict]:
    articles = folder / "articles"
    paths = sorted(str(p) for p in articles.glob("*.txt"))
    known = None
    if with_manifest:
        m = manifest_mod.read(folder / "sources.csv", articles)
        known = {p: e.as_dict() for p, e in m.entries.items()}
    staged, _ = stage.stage_files(paths, None, known)
    _, facts = extract_batch(staged)
    facts = facts.join(staged.select("article_id", "source_file"), on="article_id")
    # quarantine keeps facts without a year or region out of the warehouse's v_facts
    return [f for f in facts.to_dicts() if f["year"] is not None and f["region_code"] is not None]


def line(name: str, scorer, gold: list[dict], facts: list[dict]) -> str:
    res = scorer.score(gold, facts)[0]
    sure = scorer.score(gold, [f for f in facts if f["confidence"] >= CONFIDENT])[0]
    return (f"{name:5} {len(gold):5} {res['strict']['f1']:7.3f} {res['full']['f1']:6.3f} "
            f"{res['detection']['f1']:6.3f}   {sure['full']['precision']:6.3f} {sure['full']['recall']:6.3f}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sets", nargs="*", default=sorted(p.name for p in PROBES.iterdir() if p.is_dir()))
    ap.add_argument("--manifest", action="store_true", help="give extraction each set's sources.csv")
    ap.add_argument("--shared", type=Path, default=Path(__file__).resolve().parents[2] / "shared")
    a = ap.parse_args()
    scorer = load_scorer(a.shared)
    print(f"set   gold  strict   full  detect   >={CONFIDENT}: precision recall (full)")
    all_gold, all_facts = [], []
    for name in a.sets:
        gold = scorer.load_gold([PROBES / name / "gold.csv"])
        facts = facts_of(PROBES / name, a.manifest)
        print(line(name, scorer, gold, facts))
        all_gold += gold
        all_facts += facts
    print(line("all", scorer, all_gold, all_facts))


if __name__ == "__main__":
    main()
