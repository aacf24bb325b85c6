"""The Prefect server `fupin run` keeps for a warehouse when no Prefect API is configured
(#19): reused by the next run, its state beside the warehouse (nothing in the home folder),
shown and stopped by `fupin server status|stop`, stopped by itself once idle.

Real `fupin` commands in subprocesses, without PREFECT_API_URL and with HOME pointed at an
empty folder (so no Prefect profile of the machine's applies, and anything written there
would show)."""
from __future__ import annotations

import json
import os
import subprocess
import sys
import time
import urllib.request

import pytest

from conftest import REPO, fupin_cmd


def _env(home, **extra) -> dict:
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("FUPIN_", "PREFECT_")) and k != "DO_NOT_TRACK"}
    env.update({"HOME": str(home), "PYTHONUNBUFFERED": "1"})
    env.update({k: str(v) for k, v in extra.items()})
    return env


def _fupin(env, *args, timeout=300) -> subprocess.CompletedProcess:
    return subprocess.run(fupin_cmd(*args), cwd=REPO, env=env, capture_output=True, text=True, timeout=timeout)


def _alive(pid: int) -> bool:
    """Running: not gone and not a zombie (a stopped keeper is reaped by whoever adopted it,
    which in a container without an init may be never)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return _running(pid)


def _flow_runs(api_url: str) -> int:
    req = urllib.request.Request(f"{api_url}/flow_runs/count", data=b"{}", method="POST",
                                 headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(req, timeout=10) as r:
        return int(r.read())


@pytest.mark.slow
def test_a_kept_server_is_reused_shown_stopped_and_stops_when_idle(tmp_path, seed_dir):
    """One warehouse for both: creating a kept server's database (Prefect's ~114 migrations)
    is the most of a first run, so the idle case reuses the database the first part made."""
    home = tmp_path / "home"
    home.mkdir()
    wh = tmp_path / "w" / "f.duckdb"
    env = _env(home, FUPIN_PREFECT_SERVER_IDLE=300)
    state = tmp_path / "w" / "f.duckdb.prefect" / "server.json"
    try:
        r1 = _fupin(env, "run", "--input", seed_dir, "--warehouse", wh, "--no-report")
        assert r1.returncode == 0, r1.stderr
        assert "started a Prefect server for this warehouse" in r1.stderr and "fupin server stop" in r1.stderr
        st = json.loads(state.read_text())
        assert _alive(st["keeper_pid"]) and _alive(st["server_pid"])
        r2 = _fupin(env, "run", "--input", seed_dir, "--warehouse", wh, "--no-report", "--always-flow")
        assert r2.returncode == 0, r2.stderr
        assert "started a Prefect server" not in r2.stderr  # the same server, reused
        assert json.loads(state.read_text()) == st
        assert _flow_runs(st["api_url"]) == 2  # both runs are in its history
        s = _fupin(env, "server", "status", "--warehouse", wh)
        assert s.returncode == 0 and st["api_url"].removesuffix("/api") in s.stdout and str(state.parent) in s.stdout
    finally:
        stop = _fupin(env, "server", "stop", "--warehouse", wh)
    assert stop.returncode == 0 and "stopped the Prefect server" in stop.stdout, stop.stderr
    assert not state.exists() and not _alive(st["keeper_pid"]) and not _alive(st["server_pid"])
    assert "no Prefect server is running" in _fupin(env, "server", "status", "--warehouse", wh).stdout
    # nothing outside the warehouse's own files: the home folder stays empty
    assert list(home.iterdir()) == []
    assert {p.name.split(".duckdb")[0] for p in wh.parent.iterdir()} == {"f"}  # f.duckdb and its own files
    assert (wh.parent / "f.duckdb.prefect" / "prefect.db").exists()  # the server's state, beside the warehouse

    # an idle kept server stops by itself
    idle_env = _env(home, FUPIN_PREFECT_SERVER_IDLE=2)
    r = _fupin(idle_env, "run", "--input", seed_dir, "--warehouse", wh, "--no-report", "--always-flow")
    try:
        assert r.returncode == 0, r.stderr
        assert "stops after 2 s without one" in r.stderr
        st = json.loads(state.read_text())
        deadline = time.monotonic() + 60
        while (_alive(st["keeper_pid"]) or _alive(st["server_pid"])) and time.monotonic() < deadline:
            time.sleep(0.5)
        assert not _alive(st["server_pid"]) and not state.exists()
    finally:
        _fupin(idle_env, "server", "stop", "--warehouse", wh)
    assert list(home.iterdir()) == []

    # a keeper killed outright leaves its server; the next command that reads the state stops it
    r = _fupin(env, "run", "--input", seed_dir, "--warehouse", wh, "--no-report", "--always-flow")
    try:
        assert r.returncode == 0, r.stderr
        st = json.loads(state.read_text())
        os.kill(st["keeper_pid"], 9)
        deadline = time.monotonic() + 10
        while _running(st["keeper_pid"]) and time.monotonic() < deadline:
            time.sleep(0.2)
        assert "no Prefect server is running" in _fupin(env, "server", "status", "--warehouse", wh).stdout
        deadline = time.monotonic() + 30
        while _running(st["server_pid"]) and time.monotonic() < deadline:
            time.sleep(0.5)
        assert not _running(st["server_pid"]) and not state.exists()
    finally:
        _fupin(env, "server", "stop", "--warehouse", wh)


def _running(pid: int) -> bool:
    """Alive and not a zombie (a killed keeper's children are reaped by whoever adopts them)."""
    try:
        return " Z" not in open(f"/proc/{pid}/stat").read().split(")", 1)[1][:3]
    except OSError:
        return False


@pytest.mark.parametrize("given,expected", [(None, "1"), ("0", "0")])
def test_prefect_usage_statistics_off_unless_the_user_says_otherwise(tmp_path, given, expected):
    """fupin's runs send Prefect no usage data (client: DO_NOT_TRACK, which also keeps
    Prefect's first-run telemetry notice out of fupin's output; server: analytics off); a
    DO_NOT_TRACK of the user's own is respected. (Checked by hand under a terminal, `script
    -qec 'fupin run' /dev/null` with an empty HOME: no notice, HOME stays empty.)"""
    env = _env(tmp_path, **({} if given is None else {"DO_NOT_TRACK": given}))
    r = subprocess.run([sys.executable, "-c", "import os, fupin.flows.cli; "
                        "print(os.environ['DO_NOT_TRACK'], os.environ['PREFECT_SERVER_ANALYTICS_ENABLED'])"],
                       cwd=REPO, env=env, capture_output=True, text=True, timeout=60)
    assert r.stdout.split() == [expected, "false"], r.stderr


@pytest.mark.slow
def test_serve_keeps_prefects_state_beside_the_warehouse(tmp_path, seed_dir):
    """`fupin serve` without a Prefect API starts a server whose database and files live in
    <warehouse>.prefect/, like a run's kept server: nothing in the home folder (#19 point 4)."""
    import signal

    home = tmp_path / "home"
    home.mkdir()
    wh = tmp_path / "w.duckdb"
    p = subprocess.Popen(fupin_cmd("serve", "--cron", "0 3 * * *", "--input", seed_dir, "--warehouse", wh),
                         cwd=REPO, env=_env(home), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                         start_new_session=True)
    try:
        deadline = time.monotonic() + 240
        line = ""
        while time.monotonic() < deadline and "serving deployment" not in line:
            line = p.stdout.readline()
            if not line and p.poll() is not None:
                break
        assert "serving deployment" in line, p.stderr.read() if p.poll() is not None else line
        assert (tmp_path / "w.duckdb.prefect" / "prefect.db").exists()
    finally:
        os.killpg(p.pid, signal.SIGINT)
        p.wait(timeout=120)
    assert p.returncode == 130
    assert list(home.iterdir()) == []
