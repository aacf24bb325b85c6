"""The dev-set score: a real flow run on the seeds, scored by ../shared/tools/score.py
against the hand-checked gold (skipped where ../shared is not beside the project)."""
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import SEEDS, run_flow

SCORE = Path(__file__).resolve().parents[2] / "shared" / "tools" / "score.py"


@pytest.mark.skipif(not SCORE.exists(), reason="../shared/tools/score.py is not beside the project")
def test_seed_gold_targets(tmp_path):
    inp = tmp_path / "input"
    shutil.copytree(SEEDS, inp)
    wh = tmp_path / "fupin.duckdb"
    assert run_flow(inp, wh)["status"] == "succeeded"
    out = tmp_path / "score.json"
    r = subprocess.run([sys.executable, str(SCORE), "--warehouse", str(wh), "--json", str(out)],
                       capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    res = json.loads(out.read_text(encoding="utf-8"))
    attrs = {k: v["accuracy"] for k, v in res["attributes"].items()}
    assert res["strict"]["f1"] >= 0.90
    assert res["detection"]["f1"] >= 0.95
    assert attrs["value"] >= 0.98 and attrs["unit"] >= 0.95 and attrs["year"] >= 0.92
    assert attrs["region"] >= 0.92 and attrs["indicator"] >= 0.85
