"""Robustness of the warehouse under kill -9, concurrent runs and queries during a load.

Each test drives the real `fupin` CLI in a subprocess (pointed at the session's Prefect
harness). The checkpoint hook of tests/faults.py (FUPIN_FAULT=<point>:sleep) makes the process
write a marker file and sleep inside the load transaction; the test then acts and kills the whole
process group with SIGKILL."""
from __future__ import annotations

import os
import signal
import subprocess
import time

import pytest

import faults
from conftest import REPO, checksums, fupin, fupin_cmd, fupin_env, query, run_flow

pytestmark = [pytest.mark.usefixtures("prefect_harness"), pytest.mark.slow]


def start_paused(api, inp, wh, point, tmp_path) -> tuple[subprocess.Popen, object]:
    marker = tmp_path / f"marker-{point.replace(':', '_')}"
    log = open(tmp_path / "paused-run.log", "w")
    proc = subprocess.Popen(fupin_cmd("run", "--input", inp, "--warehouse", wh, "--no-report"), cwd=REPO,
                            env=fupin_env(api, **faults.env(f"{point}:sleep", marker)),
                            stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    deadline = time.monotonic() + 240
    while not marker.exists():
        if proc.poll() is not None:
            log.close()
            pytest.fail(f"run ended before reaching {point}:\n{(tmp_path / 'paused-run.log').read_text()[-3000:]}")
        if time.monotonic() > deadline:
            kill(proc)
            pytest.fail(f"run did not reach {point} in time")
        time.sleep(0.2)
    return proc, log


def kill(proc: subprocess.Popen) -> None:
    """kill -9 the run and everything it started (its own process group)."""
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    proc.wait(timeout=30)


INPUT = "fault-input"  # one fixed input path for every test here, so one baseline serves all


def _fresh_input(base) -> object:
    import shutil

    from conftest import SEEDS

    inp = base / INPUT
    shutil.rmtree(inp, ignore_errors=True)
    shutil.copytree(SEEDS, inp)
    for p in inp.iterdir():
        p.chmod(0o644)
    return inp


@pytest.fixture(scope="module")
def baseline(tmp_path_factory):
    """The seeds loaded once into a template warehouse (input at a fixed path)."""
    base = tmp_path_factory.mktemp("faults")
    inp = _fresh_input(base)
    wh = base / "template" / "fupin.duckdb"
    run_flow(inp, wh)
    return base, wh


@pytest.fixture()
def changed_input(baseline, tmp_path):
    """A copy of the baseline warehouse, and the input since changed (one file edited, one
    added under a new name, one binary), so the next run's load deletes and inserts."""
    import shutil

    base, template = baseline
    inp = _fresh_input(base)
    wh = tmp_path / "wh" / "fupin.duckdb"
    wh.parent.mkdir()
    shutil.copyfile(template, wh)
    files = sorted(inp.glob("*.txt"))
    text = files[1].read_text(encoding="utf-8")
    files[1].write_text(text[: len(text) // 2], encoding="utf-8")
    (inp / "new_copy.txt").write_bytes(files[2].read_bytes())
    (inp / "broken.txt").write_bytes(b"\x00\x01binary")
    return inp, wh


def test_sigkill_just_before_commit_leaves_previous_state(prefect_harness, changed_input, tmp_path):
    """Killed with every change of the run made but not committed. (The test below kills
    mid-load, after the old rows were deleted and before the new ones were inserted.)"""
    point = "load:before_commit"
    inp, wh = changed_input
    before = checksums(wh)
    proc, log = start_paused(prefect_harness, inp, wh, point, tmp_path)
    kill(proc)
    log.close()
    assert checksums(wh) == before  # opens, and holds the previous complete state
    # the next run records the killed one as crashed, cleans its stage files and completes
    s = run_flow(inp, wh)
    assert (s["staged"], s["rejected"]) == (2, 1)
    assert [r[0] for r in query(wh, "select status from runs order by started_at")] == [
        "succeeded", "crashed", "succeeded"]
    assert not (wh.parent / f"{wh.name}.stage").exists()
    assert checksums(wh) != before


def test_sigkill_after_commit_leaves_new_state(prefect_harness, changed_input, tmp_path):
    inp, wh = changed_input
    proc, log = start_paused(prefect_harness, inp, wh, "load:after_commit", tmp_path)
    kill(proc)
    log.close()
    after_kill = checksums(wh)
    assert query(wh, "select count(*) from rejects") == [(1,)]
    s = run_flow(inp, wh)  # nothing left to do: the killed run had committed
    assert (s["staged"], s["facts_loaded"]) == (0, 0)
    assert checksums(wh) == after_kill


def test_second_run_and_query_during_a_load_get_clear_messages(prefect_harness, changed_input, tmp_path):
    inp, wh = changed_input
    before = checksums(wh)
    proc, log = start_paused(prefect_harness, inp, wh, "load:after_delete", tmp_path)
    try:
        q = fupin(prefect_harness, "query", "select count(*) from fct_facts", "--warehouse", wh, timeout=60)
        assert q.returncode == 3, q.stderr
        assert "being written" in q.stderr and "Traceback" not in q.stderr + q.stdout
        r = fupin(prefect_harness, "run", "--input", inp, "--warehouse", wh, "--no-report", timeout=60)
        assert r.returncode == 3, r.stderr
        assert "in use by" in r.stderr and f"pid {proc.pid}" in r.stderr
        assert "Traceback" not in r.stderr + r.stdout
    finally:
        kill(proc)
        log.close()
    assert checksums(wh) == before  # killed mid-load: the previous complete state
    # once the holder is gone, the lock is free again (the OS released it with the process)
    r = fupin(prefect_harness, "query", "select count(*) from fct_facts", "--warehouse", wh, timeout=60)
    assert r.returncode == 0 and "(1 row)" in r.stdout


def test_os_lock_refuses_then_waits(tmp_path):
    """The warehouse lock between real processes: refused at once with the holder's pid, or
    granted after --wait once the holder exits."""
    import sys

    from fupin.warehouse import lock

    wh = tmp_path / "w.duckdb"
    ready = tmp_path / "ready"
    holder = subprocess.Popen(
        [sys.executable, "-c", "import sys, time, pathlib; from fupin.warehouse.lock import acquire; "
                               "acquire(sys.argv[1]); pathlib.Path(sys.argv[2]).touch(); time.sleep(4)",
         str(wh), str(ready)], cwd=REPO)
    try:
        deadline = time.monotonic() + 60
        while not ready.exists():
            assert holder.poll() is None and time.monotonic() < deadline
            time.sleep(0.1)
        with pytest.raises(lock.WarehouseBusy, match=f"pid {holder.pid}"):
            lock.acquire(wh, wait=0)
        lock.acquire(wh, wait=60)  # granted when the holder ends
        lock.release(wh)
    finally:
        holder.kill()
        holder.wait()


def _sigint_as_in_a_terminal() -> None:
    """A shell starts a command with SIGINT at its default; a test process may have it
    ignored (SIG_IGN is inherited through exec), and fupin leaves an ignored SIGINT alone."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def test_ctrl_c_while_duckdb_executes_in_the_load_is_an_interrupt(prefect_harness, changed_input, tmp_path):
    """#19: SIGINT while DuckDB runs a query of the load transaction. DuckDB cancels the
    query and raises RuntimeError('Query interrupted') in place of KeyboardInterrupt; Prefect
    used to retry the load 5 s later and the run ended 'succeeded', exit 0. Now: no retry,
    exit 130, run 'interrupted', nothing of it loaded, the warehouse as it was."""
    inp, wh = changed_input
    before = checksums(wh)
    runs_before = query(wh, "select run_id, status from runs")
    marker = tmp_path / "marker"
    log = tmp_path / "run.log"
    proc = subprocess.Popen(fupin_cmd("run", "--input", inp, "--warehouse", wh, "--no-report", "-v"), cwd=REPO,
                            env=fupin_env(prefect_harness, **faults.env("load:after_facts:query", marker, 120)),
                            stdout=open(log, "w"), stderr=subprocess.STDOUT, text=True, start_new_session=True,
                            preexec_fn=_sigint_as_in_a_terminal)
    deadline = time.monotonic() + 240
    while not marker.exists():
        if proc.poll() is not None or time.monotonic() > deadline:
            kill(proc)
            pytest.fail(f"the run never reached the load: {proc.communicate()}")
        time.sleep(0.1)
    time.sleep(0.5)  # DuckDB is now executing the long query on the load's connection
    t0 = time.monotonic()
    os.killpg(proc.pid, signal.SIGINT)  # what Ctrl-C in a terminal does
    try:
        proc.wait(timeout=60)
    except subprocess.TimeoutExpired:
        kill(proc)
        pytest.fail(f"fupin did not stop within 60 s of Ctrl-C inside the load:\n{log.read_text()[-6000:]}")
    out = err = log.read_text()
    assert proc.returncode == 130, (out, err)
    assert time.monotonic() - t0 < 20
    assert "Traceback" not in err and "Retrying" not in out + err, err
    assert err.strip().splitlines()[-1].startswith("fupin: interrupted"), err
    assert "nothing of it was loaded" in err
    runs = query(wh, "select run_id, status from runs")
    assert set(runs) - set(runs_before) and {s for r, s in set(runs) - set(runs_before)} == {"interrupted"}
    assert checksums(wh) == before  # nothing of the run: the warehouse holds what it held
