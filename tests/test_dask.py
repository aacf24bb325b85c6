"""`fupin run --dask-address` on a local Dask cluster gives the same warehouse as a run
without Dask, and the batch tasks really run on the cluster's worker processes."""
from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

from conftest import REPO, fupin, run_flow

sys.path.insert(0, str(REPO / "benchmarks"))
import corpus  # noqa: E402

pytestmark = [pytest.mark.usefixtures("prefect_harness"), pytest.mark.slow]

# Columns that name the run or the wall-clock time, not the data.
RUN_COLS = {"run_id", "loaded_at", "rejected_at", "created_at", "updated_at", "quarantined_at"}
TABLES = ["stg_articles", "article_sources", "rejects", "dim_article", "fct_facts", "quarantine_facts"]


def contents(warehouse: Path) -> dict[str, list[tuple]]:
    import duckdb

    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        out = {}
        for t in TABLES:
            cols = [r[0] for r in con.execute(f"describe {t}").fetchall() if r[0] not in RUN_COLS]
            rows = con.execute(f"select {', '.join(cols)} from {t}").fetchall()
            out[t] = sorted(rows, key=repr)
        return out
    finally:
        con.close()


@pytest.fixture()
def dask_input(seed_dir) -> Path:
    """The seed articles plus 16 synthetic ones (a few in GB18030): several batches."""
    corpus.make_corpus(16, seed_dir, seed=3, gbk_share=0.25)
    return seed_dir


def test_dask_run_equals_threaded_run(tmp_path, dask_input, prefect_harness):
    from distributed import Client, LocalCluster

    stage = tmp_path / "shared_stage"  # all workers reach it (same machine)
    with LocalCluster(n_workers=2, processes=True, threads_per_worker=1, dashboard_address=None) as cluster:
        r = fupin(prefect_harness, "run", "--input", dask_input, "--warehouse", tmp_path / "dask" / "w.duckdb",
                  "--stage-dir", stage, "--dask-address", cluster.scheduler_address, "--batch-size", 4,
                  "--no-report", timeout=600)
        assert r.returncode == 0, r.stdout + r.stderr
        with Client(cluster.scheduler_address) as client:
            # which worker processes ran a process_batch task (pids of the workers that hold
            # a record of one); the flow's own process is not among the workers
            ran = client.run(lambda dask_worker: sum(
                1 for k in dask_worker.state.log if "process_batch" in str(k)))
            pids = client.run(os.getpid)
    assert len(pids) == 2
    assert sum(ran.values()) > 0, f"no process_batch task ran on the Dask workers: {ran}"

    # the run without Dask in this process (the flow on threads, as `fupin run` runs it for
    # a small input): a second CLI process would import Prefect and GX again for nothing
    s2 = run_flow(dask_input, tmp_path / "threads" / "w.duckdb", stage_dir=str(tmp_path / "stage2"), batch_size=4)
    assert s2["status"] == "succeeded", s2

    a, b = contents(tmp_path / "dask" / "w.duckdb"), contents(tmp_path / "threads" / "w.duckdb")
    assert len(a["stg_articles"]) == 21
    assert len(a["fct_facts"]) > 100
    for t in TABLES:
        assert a[t] == b[t], f"{t} differs between the Dask run and the threaded run"
    # the run's Parquet partitions are removed once loaded
    assert not any(stage.rglob("*.parquet"))


def test_dask_local_cluster_flag(tmp_path, seed_dir, prefect_harness):
    """--dask-local N starts (and stops) a LocalCluster of N processes for the run."""
    r = fupin(prefect_harness, "run", "--input", seed_dir, "--warehouse", tmp_path / "w.duckdb",
              "--stage-dir", tmp_path / "stage", "--dask-local", 2, "--batch-size", 2, "--no-report", timeout=600)
    assert r.returncode == 0, r.stdout + r.stderr
    assert "5 staged" in r.stdout


def test_no_dask_yields_none():
    from fupin.flows.dask_support import dask_task_runner

    with dask_task_runner(None, None) as runner:
        assert runner is None
