"""Running the flow's process_batch tasks on Dask (`fupin run --dask-address` / `--dask-local`).

Only `process_batch` is submitted to the task runner; discover, plan, validate and load run
in the flow's own process. So Dask workers need: this package importable (same venv or
image), the input files at the same paths, and the stage folder (`--stage-dir`) at the same
path -- they write `<stage_dir>/<run_id>/batch_<k>/*.parquet` there and the flow reads it.

Prefect API for workers. Without PREFECT_API_URL a Prefect client starts a temporary
("ephemeral") server of its own; every Dask worker would then start one more on the same
SQLite file (slow, and "database is locked"). So before a Dask run we start that temporary
server once, here, and put its URL in PREFECT_API_URL (environment -> LocalCluster workers
inherit it; Prefect settings -> shipped with every task). Workers on other hosts cannot reach
127.0.0.1: for a real cluster run `prefect server start` somewhere and set PREFECT_API_URL
for the flow and the workers.
"""
from __future__ import annotations

import contextlib
import os
from typing import Iterator


@contextlib.contextmanager
def prefect_api_for_workers() -> Iterator[str | None]:
    """Make sure a Prefect API URL exists that worker processes can use."""
    url = os.environ.get("PREFECT_API_URL")
    if url:
        yield url
        return
    from prefect.server.api.server import SubprocessASGIServer
    from prefect.settings import PREFECT_API_URL, temporary_settings

    server = SubprocessASGIServer()
    server.start()
    os.environ["PREFECT_API_URL"] = server.api_url
    try:
        with temporary_settings({PREFECT_API_URL: server.api_url}):
            yield server.api_url
    finally:
        os.environ.pop("PREFECT_API_URL", None)


@contextlib.contextmanager
def local_cluster(n_workers: int, threads_per_worker: int = 1) -> Iterator[str]:
    """A distributed.LocalCluster of n worker processes on this machine; yields its address."""
    import logging

    from distributed import LocalCluster

    with LocalCluster(n_workers=n_workers, threads_per_worker=threads_per_worker, processes=True,
                      dashboard_address=":0", silence_logs=logging.WARNING) as cluster:
        yield cluster.scheduler_address


@contextlib.contextmanager
def dask_task_runner(address: str | None = None, local_workers: int | None = None) -> Iterator[object | None]:
    """Yields a DaskTaskRunner for `address`, or for a LocalCluster of `local_workers`
    processes started (and stopped) here; None when neither is asked for."""
    if not address and not local_workers:
        yield None
        return
    from prefect_dask import DaskTaskRunner

    with contextlib.ExitStack() as stack:
        stack.enter_context(prefect_api_for_workers())
        if not address:
            address = stack.enter_context(local_cluster(int(local_workers)))
        yield DaskTaskRunner(address=address)
