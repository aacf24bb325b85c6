"""Shared fixtures. Two layers: unit tests of pure functions import no Prefect; integration
and end-to-end modules use one Prefect test harness (a temporary API server and database)
for the whole session; subprocesses started by tests are pointed at it through PREFECT_API_URL,
so no `fupin run` in the suite starts its own temporary server."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SEEDS = REPO / "seeds" / "articles"
os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")

# Property tests draw the same examples on every run: the suite's time is bounded and a
# failure repeats. (Random draws once gave test_reader_on_random_patterns a nested
# quantifier that backtracked for many minutes, and `make test` hung.)
from hypothesis import settings as _hypothesis_settings  # noqa: E402

_hypothesis_settings.register_profile("fupin", derandomize=True)
_hypothesis_settings.load_profile("fupin")


# `make test` hands whole files to its workers (pytest-xdist --dist loadfile) in collection
# order (--no-loadscope-reorder). xdist's own order, the files with the most tests first,
# left the files of one or two long tests (training, wheel) to the end, often on one worker
# while the other idled. The longest files first (measured with --durations=0 on 2 workers,
# longest first), then the rest as collected, which fill in around them.
LONGEST_FIRST = ("test_cli.py", "test_pipeline.py", "test_up_to_date.py", "test_prefect_server.py", "test_dask.py",
                 "test_faults.py", "test_validator_process.py", "test_inputs_flow.py", "test_wheel.py",
                 "test_training.py")


def pytest_collection_modifyitems(config, items):
    rank = {name: i for i, name in enumerate(LONGEST_FIRST)}
    items.sort(key=lambda item: rank.get(item.path.name, len(rank)))  # stable: a file's own order is kept


@pytest.fixture(autouse=True)
def _settings_read_per_test():
    """fupin reads its environment once per process (transforms.settings.settings); a test that
    sets a FUPIN_* variable gets it read afresh."""
    from fupin.flows.config import settings

    settings.cache_clear()
    yield
    settings.cache_clear()


@pytest.fixture(scope="session")
def prefect_harness():
    """Real Prefect (no mocks) against a throwaway API for the whole session. Only the
    integration modules use it (`pytestmark = pytest.mark.usefixtures("prefect_harness")`):
    unit tests of the pure transforms run without Prefect."""
    from prefect.settings import PREFECT_API_URL
    from prefect.testing.utilities import prefect_test_harness

    from prefect import flow

    with prefect_test_harness(server_startup_timeout=120):
        # One trivial flow run now, outside any test's output capture: Prefect binds its
        # console log handler to the stream current at its first run, and a test's capsys
        # stream is closed after that test.
        flow(name="fupin-warmup")(lambda: None)()
        yield PREFECT_API_URL.value()


@pytest.fixture()
def seed_dir(tmp_path) -> Path:
    """A private copy of the bundled seed articles (writable, unlike the shared ones)."""
    d = tmp_path / "input"
    d.mkdir()
    for p in sorted(SEEDS.glob("*.txt")):
        shutil.copyfile(p, d / p.name)
    return d


def run_flow(input_dir, warehouse, **kw) -> dict:
    """One real flow run in this process (threads, no HTML report unless asked)."""
    from fupin.flows.pipeline import make_task_runner, run_pipeline

    kw.setdefault("report", False)
    return run_pipeline(task_runner=make_task_runner(workers=2), input_dir=str(input_dir),
                        warehouse=str(warehouse), **kw)


def checksums(warehouse) -> dict:
    """Per data table (run bookkeeping excluded): row count and order-free row hashes."""
    import duckdb

    from fupin.warehouse.store import table_checksums

    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        return table_checksums(con)
    finally:
        con.close()


def query(warehouse, sql, params=None) -> list[tuple]:
    import duckdb

    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        return con.execute(sql, params or []).fetchall()
    finally:
        con.close()


def fupin_env(api_url: str, **extra) -> dict:
    env = dict(os.environ)
    env.update({"PREFECT_API_URL": api_url, "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
                "PYTHONUNBUFFERED": "1"})
    env.update({k: str(v) for k, v in extra.items()})
    return env


def fupin_cmd(*args) -> list[str]:
    return [sys.executable, "-m", "fupin.flows.cli", *map(str, args)]


def fupin(api_url, *args, timeout=300, **env) -> subprocess.CompletedProcess:
    """Run the real `fupin` CLI in a subprocess and wait for it."""
    return subprocess.run(fupin_cmd(*args), cwd=REPO, env=fupin_env(api_url, **env), capture_output=True,
                          text=True, timeout=timeout)
