"""Extraction time per article in one process, and what the indicator-rule scanner saves.

  python benchmarks/extract_speed.py [--repeat 20] [--n 1000] [--rounds 3] [--corpus DIR]

Prints microseconds of CPU per article (process time, so other load on the machine counts
less than in wall time; best of --rounds, caches warm, no Prefect) for
  * extract_batch (as the pipeline calls it: jobs of flows.pool.CHUNK articles) over the 5
    seed articles x --repeat,
  * the same over a synthetic corpus of --n articles (benchmarks/corpus.py, the same bytes as
    ../shared/tools/make_corpus.py; UTF-8 only, so decoding is not measured),
  * the indicator rules alone on the same normalised texts: rx_first.MultiScanner against
    each rule's plain finditer (what the scanner saves),
and the time to build the scanner (reading every rule's syntax), paid once per process, with a
digest of the regexes it runs (equal digests before and after a change: the same matching work).
"""
from __future__ import annotations

import argparse
import hashlib
import importlib
import re
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import corpus  # noqa: E402  (benchmarks/corpus.py)

from fupin import SEEDS  # noqa: E402
import polars as pl  # noqa: E402

from fupin.flows.pool import CHUNK  # noqa: E402
from fupin.transforms.extract import extract_batch, rule_hits  # noqa: E402
from fupin.transforms.normalize import normalise  # noqa: E402
from fupin.transforms.rx_first import MultiScanner  # noqa: E402

# indicator_rules lives next to rule_hits (extract.py today, indicators.py after the split)
indicator_rules = importlib.import_module(rule_hits.__module__).indicator_rules


def best_us_per_item(fn, items: list, rounds: int) -> float:
    best = float("inf")
    for _ in range(rounds):
        t0 = time.process_time()
        for item in items:
            fn(item)
        best = min(best, time.process_time() - t0)
    return best / len(items) * 1e6


def plain_finditer(patterns: list[re.Pattern]):
    def scan(text: str) -> list[tuple[int, int, int]]:
        out = [(i, m.start(), m.end()) for i, p in enumerate(patterns) for m in p.finditer(text)
               if m.end() > m.start()]
        out.sort(key=lambda t: (t[1], t[0]))
        return out
    return scan


def scanner_digest(scanner: MultiScanner) -> str:
    """A digest of the regexes the scanner runs: equal digests, equal matching work."""
    parts = ["|".join(t.pattern for t in scanner.triggers), repr(scanner.always)]
    parts += [f"{ch}:{c.pattern if c else None}:{idx}" for ch, (c, idx) in sorted(scanner.by_char.items())]
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()[:12]


def report(label: str, texts: list[str], rounds: int) -> None:
    jobs = [pl.DataFrame({"article_id": [f"a{i}" for i in range(k, k + CHUNK)][:len(texts[k:k + CHUNK])],
                          "raw_text": texts[k:k + CHUNK]}) for k in range(0, len(texts), CHUNK)]
    us = best_us_per_item(extract_batch, jobs, rounds) * len(jobs) / len(texts)
    print(f"{label}: extraction      {us:9.1f} us/article")
    norm = [normalise(t).text for t in texts]
    patterns = [r.pattern for r in indicator_rules()]
    scanner, plain = MultiScanner(patterns), plain_finditer(patterns)
    assert all(scanner.scan(t) == plain(t) for t in norm[:50])
    fast = best_us_per_item(scanner.scan, norm, rounds)
    slow = best_us_per_item(plain, norm, rounds)
    print(f"{label}: indicator rules  {fast:9.1f} us/article MultiScanner, {slow:9.1f} plain finditer "
          f"({slow - fast:.1f} us saved)")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--repeat", type=int, default=20, help="copies of the 5 seed articles")
    ap.add_argument("--n", type=int, default=1000, help="synthetic articles")
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--corpus", help="an existing folder of *.txt (UTF-8) instead of a new synthetic one")
    a = ap.parse_args()

    patterns = [r.pattern for r in indicator_rules()]
    t0 = time.process_time()
    scanner = MultiScanner(patterns)
    print(f"scanner build: {(time.process_time() - t0) * 1e3:.1f} ms for {len(patterns)} rules (once per process); "
          f"its regexes: {scanner_digest(scanner)}")

    seeds = [p.read_text(encoding="utf-8") for p in sorted((SEEDS / "articles").glob("*.txt"))]
    extract_batch(pl.DataFrame({"article_id": ["warm-up"], "raw_text": seeds[:1]}))
    report(f"seeds x{a.repeat} ({len(seeds) * a.repeat} articles)", seeds * a.repeat, a.rounds)

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(a.corpus) if a.corpus else Path(tmp)
        if not a.corpus:
            corpus.build(a.n, folder, gbk_share=0.0)
        texts = [p.read_text(encoding="utf-8") for p in sorted(folder.glob("*.txt"))]
    report(f"synthetic ({len(texts)} articles)", texts, a.rounds)


if __name__ == "__main__":
    main()
