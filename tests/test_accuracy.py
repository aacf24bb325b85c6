"""The dev-set score: real flow runs scored by ../shared/tools/score.py against the
hand-checked gold (skipped where ../shared is not beside the project).

The seed targets are asserted on `seeds.csv` alone. The 26-article figures (seeds + dev)
are printed; issue #11's targets on them are not met yet, so they are not asserted."""
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import SEEDS, run_flow

SHARED = Path(__file__).resolve().parents[2] / "shared"
SCORE = SHARED / "tools" / "score.py"
GOLD = SHARED / "gold"
DEV = SHARED / "dev" / "articles"

pytestmark = [pytest.mark.usefixtures("prefect_harness"), pytest.mark.skipif(not SCORE.exists(), reason="../shared/tools/score.py is not beside the project")]


def score(warehouse, gold_files, out) -> dict:
    r = subprocess.run([sys.executable, str(SCORE), "--warehouse", str(warehouse), "--gold",
                        *map(str, gold_files), "--per-doc", "--json", str(out)],
                       capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    print(r.stdout[-3000:])
    return json.loads(out.read_text(encoding="utf-8"))


def test_seed_gold_targets(tmp_path):
    inp = tmp_path / "input"
    shutil.copytree(SEEDS, inp)
    wh = tmp_path / "fupin.duckdb"
    assert run_flow(inp, wh)["status"] == "succeeded"
    res = score(wh, [GOLD / "seeds.csv"], tmp_path / "score.json")
    attrs = {k: v["accuracy"] for k, v in res["attributes"].items()}
    assert res["strict"]["f1"] >= 0.90
    assert res["detection"]["f1"] >= 0.95
    assert attrs["value"] >= 0.98 and attrs["unit"] >= 0.95 and attrs["year"] >= 0.92
    assert attrs["region"] >= 0.92 and attrs["indicator"] >= 0.85


@pytest.mark.skipif(not DEV.is_dir(), reason="../shared/dev is not beside the project")
def test_dev_set_figures(tmp_path):
    """Prints the 26-article figures (run pytest with -s to see them)."""
    inp = tmp_path / "input"
    shutil.copytree(SEEDS, inp)
    for p in DEV.glob("*.txt"):
        shutil.copyfile(p, inp / p.name)
    wh = tmp_path / "fupin.duckdb"
    assert run_flow(inp, wh)["status"] == "succeeded"
    res = score(wh, sorted(GOLD.glob("*.csv")), tmp_path / "score.json")
    print(f"26 articles: strict F1 {res['strict']['f1']:.3f}, full F1 {res['full']['f1']:.3f}, "
          f"detection F1 {res['detection']['f1']:.3f}")
    assert res["detection"]["f1"] > 0
