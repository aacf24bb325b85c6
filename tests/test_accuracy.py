"""The dev-set score: real flow runs scored by ../shared/tools/score.py against the
hand-checked gold (skipped where ../shared is not beside the project).

* the seed targets, on `seeds.csv` alone (issue #17: strict F1 >= 0.95);
* the 76 articles (seeds + dev + dev2), text only and with the crawls' manifests, at the
  figures reached in issue #17 (a floor against regressions: the cross-validated estimate
  from `python -m fupin.flows.train` is the honest figure for unseen text); quarantine at
  most 2 %: no fact is held back for want of a date or a region;
* every loaded fact has a confidence in [0, 1], and facts with confidence >= 0.9 are right
  more often than the rest."""
import csv
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
DEV2 = SHARED / "dev2" / "articles"
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


def dev_input(tmp_path, name, manifest: bool = False) -> Path:
    """The 76 articles in one folder; with manifest, dev's and dev2's sources.csv as one."""
    inp = tmp_path / name
    shutil.copytree(SEEDS, inp)
    for d in (DEV, DEV2):
        for p in d.glob("*.txt"):
            shutil.copyfile(p, inp / p.name)
    if manifest:
        rows = [r for d in (DEV, DEV2) for r in csv.DictReader((d.parent / "sources.csv").open(encoding="utf-8"))]
        cols = list(dict.fromkeys(c for r in rows for c in r))
        with (inp / "manifest.csv").open("w", encoding="utf-8", newline="") as f:
            w = csv.DictWriter(f, cols)
            w.writeheader()
            w.writerows(rows)
    return inp


def gold_files() -> list[Path]:
    return sorted(GOLD.glob("*.csv")) + [SHARED / "dev2" / "gold.csv"]


def test_seed_gold_targets(tmp_path):
    inp = tmp_path / "input"
    shutil.copytree(SEEDS, inp)
    wh = tmp_path / "fupin.duckdb"
    assert run_flow(inp, wh)["status"] == "succeeded"
    res, _ = score(wh, [GOLD / "seeds.csv"], tmp_path / "score.json")
    attrs = {k: v["accuracy"] for k, v in res["attributes"].items()}
    assert res["strict"]["f1"] >= 0.95
    assert res["detection"]["f1"] >= 0.95
    assert attrs["value"] >= 0.98 and attrs["unit"] >= 0.95 and attrs["year"] >= 0.92
    assert attrs["region"] >= 0.92 and attrs["indicator"] >= 0.85


@pytest.mark.skipif(not (DEV.is_dir() and DEV2.is_dir()), reason="../shared/dev or dev2 is not beside the project")
def test_dev_set_targets(tmp_path):
    results = {}
    for name, manifest in (("text", False), ("manifest", True)):
        wh = tmp_path / f"{name}.duckdb"
        assert run_flow(dev_input(tmp_path, name, manifest), wh)["status"] == "succeeded"
        res, per_doc = score(wh, gold_files(), tmp_path / f"{name}.json")
        (loaded,), (quarantined,) = (query(wh, f"select count(*) from {t}")[0]
                                     for t in ("fct_facts", "quarantine_facts"))
        share = quarantined / (loaded + quarantined)
        print(f"76 articles, {name}: strict F1 {res['strict']['f1']:.3f}, full F1 {res['full']['f1']:.3f}, "
              f"detection F1 {res['detection']['f1']:.3f}, quarantine {share:.1%}")
        assert share <= 0.02
        assert len(per_doc) >= 70
        assert query(wh, "select count(*) from fct_facts where confidence is null "
                         "or confidence not between 0 and 1 or year is null or region_code is null")[0][0] == 0
        low = sorted(doc for doc, (n, f1) in per_doc.items() if n and f1 < 0.60)
        print(f"articles below strict F1 0.60 ({name}): {low}")
        results[name] = res, low
    (res, low), (res_m, _) = results["text"], results["manifest"]
    # Floors ~0.02 under the figures reached (text 0.942/0.924, manifest 0.942/0.924): a
    # regression alarm, not the estimate for unseen text (train's cross-validation is).
    assert res["strict"]["f1"] >= 0.92 and res["full"]["f1"] >= 0.90 and res["detection"]["f1"] >= 0.97
    assert res_m["strict"]["f1"] >= 0.92 and res_m["full"]["f1"] >= 0.90
    # Issue #17 asks every article >= 0.60; 3 are not (closing note): no more may join them.
    assert len(low) <= 3, low


@pytest.mark.skipif(not (DEV.is_dir() and DEV2.is_dir()), reason="../shared/dev or dev2 is not beside the project")
def test_confident_facts_are_more_often_right(tmp_path):
    """Filtering on confidence buys precision: the facts at 0.8 or more are right more often
    than all facts, and about as often as their confidence says (on the training articles,
    so a floor, not the cross-validated figure). Issue #17's target for 0.9 on unseen text
    (95 % right, 55 % of gold recovered) is not reached: see the closing note."""
    wh = tmp_path / "text.duckdb"
    assert run_flow(dev_input(tmp_path, "text"), wh)["status"] == "succeeded"
    res, _ = score(wh, gold_files(), tmp_path / "all.json")
    r = subprocess.run([sys.executable, str(SCORE), "--warehouse", str(wh), "--gold", *map(str, gold_files()),
                        "--min-confidence", "0.8", "--json", str(tmp_path / "high.json")], capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    high = json.loads((tmp_path / "high.json").read_text(encoding="utf-8"))
    (mean_conf,) = query(wh, "select avg(confidence) from fct_facts where confidence >= 0.8")[0]
    print(f"confidence >= 0.8: {high['detected']} facts, strict precision {high['strict']['precision']:.3f} "
          f"(mean confidence {mean_conf:.3f}), recall {high['strict']['recall']:.3f}")
    assert high["strict"]["precision"] > res["strict"]["precision"]
    assert high["strict"]["precision"] >= mean_conf - 0.05
    assert high["strict"]["recall"] >= 0.40
