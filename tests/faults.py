"""The checkpoint hook of the fault tests (transforms/checkpoints.py): a run started with
FUPIN_CHECKPOINT_HOOK=<this file> and FUPIN_FAULT=<point>:kill|sleep|raise|query acts at that
point in whichever of its processes reaches it. `sleep` first writes the file named by
FUPIN_FAULT_MARKER, so the test knows the process got there, then sleeps
(FUPIN_FAULT_SLEEP seconds, default 600) so the test can kill it from outside (kill -9)."""
from __future__ import annotations

import os
import signal
import time
from pathlib import Path

HOOK = str(Path(__file__).resolve())


def env(point_action: str, marker=None, sleep=None) -> dict:
    """The environment that makes a `fupin` subprocess act at a point."""
    out = {"FUPIN_CHECKPOINT_HOOK": HOOK, "FUPIN_FAULT": point_action}
    if marker is not None:
        out["FUPIN_FAULT_MARKER"] = str(marker)
    if sleep is not None:
        out["FUPIN_FAULT_SLEEP"] = str(sleep)
    return out


def act(point: str, action: str, marker: str | None = None, sleep: float = 600, con=None) -> None:
    if marker:
        Path(marker).write_text(f"{os.getpid()} {point}\n")
    if action == "kill":
        os.kill(os.getpid(), signal.SIGKILL)
    elif action == "sleep":
        time.sleep(sleep)
    elif action == "raise":
        raise RuntimeError(f"injected fault at {point}")
    elif action == "query" and con is not None:
        # a long DuckDB query on the load's connection, so that a test's SIGINT arrives while
        # DuckDB executes inside the load transaction (roughly `sleep` seconds of work)
        con.execute("select count(*) from range(?) a, range(100) b where a.range * b.range = -1",
                    [int(sleep * 2e6)]).fetchall()


def checkpoint(point: str, con=None) -> None:
    where, _, action = (os.environ.get("FUPIN_FAULT") or "").rpartition(":")
    if where == point:
        act(point, action, os.environ.get("FUPIN_FAULT_MARKER"), float(os.environ.get("FUPIN_FAULT_SLEEP") or 600),
            con)
