"""The dev-set score: real flow runs scored by ../shared/tools/score.py against the
hand-checked gold (skipped where ../shared is not beside the project).

* the seed targets, on `seeds.csv` alone;
* issue #11's targets on the 26 articles (seeds + dev), text only: strict F1 >= 0.92,
  full F1 >= 0.88, detection F1 >= 0.95;
* with the crawl's manifest (`dev/sources.csv`, issue #12): every article with region facts
  at strict F1 >= 0.70, at most 2 % of facts in quarantine, year accuracy >= 0.97, and strict
  F1 no lower than text only. (Text only, one dev article names no year anywhere, so its
  facts go to quarantine by design: no fact is given a year nobody stated.)"""
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import SEEDS, query, run_flow

SHARED = Path(__file__).resolve().parents[2] / "shared"
SCORE = SHARED / "tools" / "score.py"
GOLD = SHARED / "gold"
DEV = SHARED / "dev" / "articles"
PER_DOC = re.compile(r"^\s+(\S+\.txt)\s+(\d+)\s+(\d+)\s+([\d.]+)\s+([\d.]+)\s*$", re.M)

pytestmark = [pytest.mark.usefixtures("prefect_harness"),
              pytest.mark.skipif(not SCORE.exists(), reason="../shared/tools/score.py is not beside the project")]


def score(warehouse, gold_files, out) -> tuple[dict, dict]:
    """(the scorer's JSON, per article: (region facts, strict F1))."""
    r = subprocess.run([sys.executable, str(SCORE), "--warehouse", str(warehouse), "--gold",
                        *map(str, gold_files), "--per-doc", "--json", str(out)],
                       capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    print(r.stdout[-4000:])
    per_doc = {m.group(1): (int(m.group(2)), float(m.group(4))) for m in PER_DOC.finditer(r.stdout)}
    return json.loads(out.read_text(encoding="utf-8")), per_doc


def dev_input(tmp_path, name) -> Path:
    inp = tmp_path / name
    shutil.copytree(SEEDS, inp)
    for p in DEV.glob("*.txt"):
        shutil.copyfile(p, inp / p.name)
    return inp


def test_seed_gold_targets(tmp_path):
    inp = tmp_path / "input"
    shutil.copytree(SEEDS, inp)
    wh = tmp_path / "fupin.duckdb"
    assert run_flow(inp, wh)["status"] == "succeeded"
    res, _ = score(wh, [GOLD / "seeds.csv"], tmp_path / "score.json")
    attrs = {k: v["accuracy"] for k, v in res["attributes"].items()}
    assert res["strict"]["f1"] >= 0.90
    assert res["detection"]["f1"] >= 0.95
    assert attrs["value"] >= 0.98 and attrs["unit"] >= 0.95 and attrs["year"] >= 0.92
    assert attrs["region"] >= 0.92 and attrs["indicator"] >= 0.85


@pytest.mark.skipif(not DEV.is_dir(), reason="../shared/dev is not beside the project")
def test_dev_set_targets(tmp_path):
    gold = sorted(GOLD.glob("*.csv"))
    text_only = tmp_path / "text.duckdb"
    assert run_flow(dev_input(tmp_path, "text"), text_only)["status"] == "succeeded"
    res, _ = score(text_only, gold, tmp_path / "text.json")
    print(f"26 articles, text only: strict F1 {res['strict']['f1']:.3f}, full F1 {res['full']['f1']:.3f}, "
          f"detection F1 {res['detection']['f1']:.3f}")
    assert res["strict"]["f1"] >= 0.92 and res["full"]["f1"] >= 0.88 and res["detection"]["f1"] >= 0.95

    inp = dev_input(tmp_path, "manifest")
    shutil.copyfile(SHARED / "dev" / "sources.csv", inp / "manifest.csv")
    with_manifest = tmp_path / "manifest.duckdb"
    assert run_flow(inp, with_manifest)["status"] == "succeeded"
    res_m, per_doc = score(with_manifest, gold, tmp_path / "manifest.json")
    (loaded,), (quarantined,) = (query(with_manifest, f"select count(*) from {t}")[0]
                                 for t in ("fct_facts", "quarantine_facts"))
    share = quarantined / (loaded + quarantined)
    print(f"26 articles, with the manifest: strict F1 {res_m['strict']['f1']:.3f}, full F1 {res_m['full']['f1']:.3f}, "
          f"detection F1 {res_m['detection']['f1']:.3f}, year {res_m['attributes']['year']['accuracy']:.3f}, "
          f"quarantine {share:.1%}")
    assert len(per_doc) >= 25  # every article with region facts (one dev article has none)
    low = {doc: f1 for doc, (n, f1) in per_doc.items() if n and f1 < 0.70}
    assert not low, low
    assert share <= 0.02
    assert res_m["attributes"]["year"]["accuracy"] >= 0.97
    assert res_m["strict"]["f1"] >= res["strict"]["f1"]
    assert res_m["full"]["f1"] >= 0.88 and res_m["detection"]["f1"] >= 0.95
