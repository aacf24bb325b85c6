"""The fitted weights (issue #17): the shipped seeds/model_weights.csv and
seeds/confidence_calibration.csv are what `python -m fupin.flows.train` fits to the gold in
../shared (skipped where it is absent), and the cross-validated figure is within 0.05 of the
training-set figure. No Prefect: the command reads files and extracts in-process."""
import re
import subprocess
import sys
from pathlib import Path

import pytest

SHARED = Path(__file__).resolve().parents[2] / "shared"
pytestmark = pytest.mark.skipif(not (SHARED / "tools" / "score.py").exists() or not (SHARED / "dev2").is_dir(),
                                reason="../shared (gold, dev2) is not beside the project")
FIGURES = re.compile(r"(cross-validated|training set): text only strict ([\d.]+) full ([\d.]+); "
                     r"with manifest strict ([\d.]+) full ([\d.]+)")


def test_shipped_weights_are_a_refit():
    pytest.importorskip("sklearn")
    r = subprocess.run([sys.executable, "-m", "fupin.flows.train", "--shared", str(SHARED), "--check"],
                       capture_output=True, text=True, timeout=900)
    print(r.stdout)
    assert r.returncode == 0, r.stderr + r.stdout
    figures = {m.group(1): [float(x) for x in m.groups()[1:]] for m in FIGURES.finditer(r.stdout)}
    cv, train = figures["cross-validated"], figures["training set"]
    assert all(abs(a - b) <= 0.05 for a, b in zip(cv, train)), (cv, train)
    assert cv[0] >= 0.80
