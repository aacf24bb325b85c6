"""Where a small run's time goes: `fupin run` on the 5 bundled seeds, as ratios to fupin's
quickest command (`fupin query "select 1"`: process start, imports, opening DuckDB), all
measured on this machine in one go.

  python benchmarks/small_run.py [--repeat 3]

Cases (the #19 targets in brackets):
  floor             fupin query "select 1" (median)
  prefect floor     a trivial Prefect flow with 4 tasks against the running server (what
                    any flow run costs here: importing Prefect, the API calls)
  server, re-run    PREFECT_API_URL of a running `prefect server start`: fupin run
                    --always-flow on the loaded seeds (median)                  [<= 10x]
  kept, first run   no Prefect API configured, a new warehouse: the run starts the
                    warehouse's kept server (first use: its database is created) and
                    extracts, validates and loads the seeds                     [<= 30x]
  kept, 2nd run     the same, --always-flow, within minutes: the kept server is reused
                    (median)                                                    [<= 10x]
  kept, cold start  the kept server stopped (its idle timeout, `fupin server stop`: a
                    daily cron job), its state kept: fupin run --always-flow    [<= 30x]
  up to date        plain `fupin run` with nothing new: no flow run at all
Prints the machine's load average with the figures. Every server it starts, it stops.
"""
from __future__ import annotations

import argparse
import os
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SEEDS = REPO / "seeds" / "articles"
FUPIN = [sys.executable, "-m", "fupin.flows.cli"]

PREFECT_FLOOR = """
from prefect import flow, task
@task
def t(x): return x
@flow
def f():
    return [t(i) for i in range(4)]
f()
"""


def timed(argv: list[str], env: dict, cwd: Path) -> float:
    t0 = time.perf_counter()
    r = subprocess.run(argv, env=env, cwd=cwd, capture_output=True, text=True)
    dt = time.perf_counter() - t0
    if r.returncode != 0:
        raise SystemExit(f"{' '.join(map(str, argv))} failed ({r.returncode}):\n{r.stderr[-3000:]}")
    return dt


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(home: Path, env: dict) -> tuple[subprocess.Popen, str]:
    port = free_port()
    exe = Path(sys.executable).with_name("prefect")
    proc = subprocess.Popen([str(exe), "server", "start", "--host", "127.0.0.1", "--port", str(port),
                             "--no-services", "--no-ui"], env={**env, "PREFECT_HOME": str(home)},
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    url = f"http://127.0.0.1:{port}/api"
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"{url}/health", timeout=2):
                return proc, url
        except OSError:
            time.sleep(0.2)
    os.killpg(proc.pid, signal.SIGTERM)
    raise SystemExit("the Prefect server did not start")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=3, help="runs per repeated case (median)")
    a = ap.parse_args()
    work = Path(tempfile.mkdtemp(prefix="fupin_small_run_"))
    base = {k: v for k, v in os.environ.items() if not k.startswith(("FUPIN_", "PREFECT_"))}
    base.update({"HOME": str(work / "home"), "FUPIN_PREFECT_SERVER_IDLE": "600"})
    (work / "home").mkdir()
    inp = work / "input"
    shutil.copytree(SEEDS, inp)
    server = None
    out: dict[str, float] = {}
    load_before = os.getloadavg()
    try:
        # --- a running local server, PREFECT_API_URL set
        server, url = start_server(work / "server_home", base)
        env = {**base, "PREFECT_API_URL": url}
        wh = work / "a" / "f.duckdb"
        timed(FUPIN + ["run", "--input", str(inp), "--warehouse", str(wh), "--no-report"], env, work)  # loads the seeds
        out["floor"] = statistics.median(timed(FUPIN + ["query", "select 1", "--warehouse", str(wh)], env, work)
                                         for _ in range(max(5, a.repeat)))
        out["prefect floor"] = statistics.median(timed([sys.executable, "-c", PREFECT_FLOOR], env, work)
                                                 for _ in range(a.repeat))
        out["server, re-run"] = statistics.median(
            timed(FUPIN + ["run", "--input", str(inp), "--warehouse", str(wh), "--always-flow"], env, work)
            for _ in range(a.repeat))
        # --- nothing configured: the warehouse's kept server
        wk = work / "b" / "f.duckdb"
        run = FUPIN + ["run", "--input", str(inp), "--warehouse", str(wk)]
        out["kept, first run"] = timed(run, base, work)
        out["kept, 2nd run"] = statistics.median(timed(run + ["--always-flow"], base, work) for _ in range(a.repeat))
        out["up to date"] = statistics.median(timed(run, base, work) for _ in range(a.repeat))
        timed(FUPIN + ["server", "stop", "--warehouse", str(wk)], base, work)
        out["kept, cold start"] = timed(run + ["--always-flow"], base, work)
    finally:
        subprocess.run(FUPIN + ["server", "stop", "--warehouse", str(work / "b" / "f.duckdb")], env=base,
                       capture_output=True)
        if server is not None:
            os.killpg(server.pid, signal.SIGTERM)
            server.wait(timeout=30)
        shutil.rmtree(work, ignore_errors=True)
    load_after = os.getloadavg()
    floor = out["floor"]
    targets = {"server, re-run": 10, "kept, first run": 30, "kept, 2nd run": 10, "kept, cold start": 30}
    print(f"{'case':18} {'seconds':>8} {'x floor':>8}  target")
    for k, v in out.items():
        t = targets.get(k)
        verdict = "" if t is None else f"<= {t}x  {'met' if v / floor <= t else 'MISSED'}"
        print(f"{k:18} {v:8.2f} {v / floor:8.1f}  {verdict}")
    print(f"load average (1, 5, 15 min): before {tuple(round(x, 2) for x in load_before)}, "
          f"after {tuple(round(x, 2) for x in load_after)}; {os.cpu_count()} CPUs")


if __name__ == "__main__":
    main()
