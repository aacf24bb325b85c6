"""How often the title fupin reads from an article's text is right, absent (NULL) or wrong.

  python benchmarks/titles.py [--articles ../shared/dev2] [--keep DIR]

Takes the articles of a folder whose sources.csv names the page's title, copies them
WITHOUT the manifest (so every title comes from the text), loads them with a real
`fupin run` into a throwaway warehouse and compares dim_article.title with the page's
title. Both sides are compared as fupin stores text: simplified script, full-width forms
folded (NFKC), spaces removed. A wrong title is worse than none: wrong should stay near 0.
"""
from __future__ import annotations

import argparse
import csv
import re
import shutil
import subprocess
import sys
import tempfile
import unicodedata
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def canon(s: str) -> str:
    from fupin.transforms.normalize import normalise

    return re.sub(r"\s", "", unicodedata.normalize("NFKC", normalise(s).text))


def titled(folder: Path) -> dict[str, str]:
    """file -> the page's title, for the rows of sources.csv that have one."""
    with open(folder / "sources.csv", encoding="utf-8", newline="") as f:
        return {r["file"]: r["title"] for r in csv.DictReader(f) if (r.get("title") or "").strip()}


def measure(folder: Path, work: Path) -> list[tuple[str, str, str, str | None]]:
    """(verdict, file, page title, fupin's title) per titled article, from a real run."""
    import duckdb

    truth = titled(folder)
    inp = work / "input"
    inp.mkdir(parents=True)
    for name in truth:  # the articles only: no manifest
        shutil.copyfile(folder / "articles" / name, inp / name)
    wh = work / "titles.duckdb"
    r = subprocess.run([sys.executable, "-m", "fupin.flows.cli", "run", "--input", str(inp), "--warehouse", str(wh),
                        "--no-report"], cwd=REPO, capture_output=True, text=True)
    if r.returncode != 0:
        raise SystemExit(f"fupin run failed ({r.returncode}):\n{r.stderr}")
    con = duckdb.connect(str(wh), read_only=True)
    got = dict(con.execute("select s.source_file, a.title from article_sources s join dim_article a using (article_id)")
               .fetchall())
    con.close()
    out = []
    for name, title in sorted(truth.items()):
        mine = got.get(name)
        verdict = "NULL" if mine is None else ("right" if canon(mine) == canon(title) else "wrong")
        out.append((verdict, name, title, mine))
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--articles", default=str(REPO.parent / "shared" / "dev2"),
                    help="a folder with articles/ and sources.csv (file,...,title,...)")
    ap.add_argument("--keep", help="keep the input copy and the warehouse in this folder")
    a = ap.parse_args()
    work = Path(a.keep) if a.keep else Path(tempfile.mkdtemp(prefix="fupin_titles_"))
    try:
        rows = measure(Path(a.articles), work)
    finally:
        if not a.keep:
            shutil.rmtree(work, ignore_errors=True)
    for verdict, name, title, mine in rows:
        if verdict != "right":
            print(f"{verdict:5}  {name}\n       page:  {title}\n       fupin: {mine}")
    counts = {v: sum(r[0] == v for r in rows) for v in ("right", "NULL", "wrong")}
    print(f"{len(rows)} articles with a page title, read without the manifest: "
          f"{counts['right']} right, {counts['NULL']} NULL, {counts['wrong']} wrong")


if __name__ == "__main__":
    main()
