"""Synthetic corpus for benchmarks: the logic of ../shared/tools/make_corpus.py, kept here so
the benchmark runs where shared/ is absent. `build()` prefers the shared tool when it exists
(CI has it) and falls back to this copy; both give the same bytes for the same arguments.

  python benchmarks/corpus.py --n 10000 --out /tmp/corpus [--seed 7] [--gbk-share 0.05]
"""
from __future__ import annotations

import argparse
import random
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds" / "articles"
SHARED_TOOL = ROOT.parent / "shared" / "tools" / "make_corpus.py"
NUM = re.compile(r"\d+(?:\.\d+)?(?![\d.]*[月日时時])")


def paragraphs(seeds: Path = SEEDS) -> list[str]:
    out = []
    for p in sorted(seeds.glob("*.txt")):
        for para in p.read_text(encoding="utf-8").split("\n"):
            if len(para.strip()) > 40:
                out.append(para.strip())
    return out


def redraw(m, rng):
    s = m.group(0)
    if len(s) == 4 and s.startswith(("19", "20")) and "." not in s:
        return str(rng.randint(2014, 2024))  # keep years looking like years
    if "." in s:
        whole, frac = s.split(".")
        return f"{rng.randint(0, 10 ** len(whole) - 1)}.{rng.randint(0, 10 ** len(frac) - 1):0{len(frac)}d}"
    return str(rng.randint(1, 10 ** len(s) - 1))


def make_corpus(n: int, out: str | Path, seed: int = 7, gbk_share: float = 0.0) -> tuple[int, int]:
    """Same algorithm and random stream as shared/tools/make_corpus.py. Returns (n, bytes)."""
    rng = random.Random(seed)
    paras = paragraphs()
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    total = 0
    for i in range(n):
        k = rng.randint(4, 12)
        body = "\n".join(NUM.sub(lambda m: redraw(m, rng), p) for p in rng.sample(paras, k))
        year = rng.randint(2016, 2024)
        text = f"{year}年{rng.randint(1, 12)}月{rng.randint(1, 28)}日 來源:合成語料\n\n{body}\n"
        enc = "gb18030" if rng.random() < gbk_share else "utf-8"
        data = text.encode(enc)
        (out / f"syn_{i:06d}.txt").write_bytes(data)
        total += len(data)
    return n, total


def build(n: int, out: str | Path, seed: int = 7, gbk_share: float = 0.05, prefer_shared: bool = True) -> str:
    """Write the corpus with the shared tool if present, else with the copy here.
    Returns which one was used ("shared" | "project")."""
    if prefer_shared and SHARED_TOOL.exists():
        subprocess.run([sys.executable, str(SHARED_TOOL), "--n", str(n), "--out", str(out),
                        "--seed", str(seed), "--gbk-share", str(gbk_share)],
                       check=True, stdout=subprocess.DEVNULL)
        return "shared"
    make_corpus(n, out, seed=seed, gbk_share=gbk_share)
    return "project"


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--n", type=int, required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--gbk-share", type=float, default=0.0)
    a = ap.parse_args()
    n, total = make_corpus(a.n, a.out, seed=a.seed, gbk_share=a.gbk_share)
    print(f"wrote {n} articles, {total / 1e6:.1f} MB, to {a.out}")


if __name__ == "__main__":
    main()
