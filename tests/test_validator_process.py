"""`fupin run` validates in a process of its own (expectations/process.py); when that process
dies, the flow validates in its own process and loses nothing. Real CLI subprocesses, real
flow runs, real Great Expectations."""
from __future__ import annotations

import subprocess
import sys

import pytest

import faults
from conftest import REPO, fupin_env, query

pytestmark = pytest.mark.usefixtures("prefect_harness")

# The CLI in a fresh process, telling afterwards whether GX was imported there.
CODE = ("import sys; from fupin.flows.cli import main; rc = main(sys.argv[1:]); "
        "print('gx here:', 'great_expectations' in sys.modules); sys.exit(rc)")


def cli_run(api, inp, wh, **env) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", CODE, "run", "--input", str(inp), "--warehouse", str(wh)],
                          cwd=REPO, env=fupin_env(api, **env), capture_output=True, text=True, timeout=300)


def validated(wh) -> tuple:
    return (query(wh, "select count(*) from fct_facts")[0][0],
            query(wh, "select count(*) from validation_results")[0][0] > 0,
            query(wh, "select status, validation_passed from runs")[-1])


def test_cli_validates_in_the_validator_process(prefect_harness, seed_dir, tmp_path):
    wh = tmp_path / "w.duckdb"
    r = cli_run(prefect_harness, seed_dir, wh)
    assert r.returncode == 0, r.stdout + r.stderr
    assert "gx here: False" in r.stdout  # Great Expectations ran in the other process only
    assert "validation  passed" in r.stdout
    assert validated(wh) == (225, True, ("succeeded", True))
    assert (tmp_path / "w.duckdb.data_docs" / "index.html").exists()


def test_validator_process_dying_falls_back_to_the_flow(prefect_harness, seed_dir, tmp_path):
    wh = tmp_path / "w.duckdb"
    r = cli_run(prefect_harness, seed_dir, wh, **faults.env("validator:job:kill"))
    assert r.returncode == 0, r.stdout + r.stderr
    assert "the validator process is gone" in r.stdout + r.stderr
    assert "gx here: True" in r.stdout  # validated here instead
    assert validated(wh) == (225, True, ("succeeded", True))
