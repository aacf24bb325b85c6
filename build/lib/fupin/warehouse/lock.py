"""An OS file lock next to the warehouse (<warehouse>.lock) so that only one run writes it.

flock is held per open file, so this process keeps a registry: the CLI takes the lock
before importing Prefect (fast, clear refusal) and the flow takes it again without
deadlocking itself. Stdlib only: `fupin query` imports this.
"""
from __future__ import annotations

import fcntl
import json
import os
import threading
import time
from pathlib import Path

_held: dict[str, list] = {}  # lock path -> [fd, depth]
_mutex = threading.Lock()


class WarehouseBusy(RuntimeError):
    """Another process holds the warehouse lock."""


def lock_path(warehouse: str | os.PathLike) -> Path:
    w = Path(warehouse)
    return w.with_name(w.name + ".lock")


def holder(warehouse: str | os.PathLike) -> dict:
    """What the lock file says about its holder (pid, started, command); {} if unknown."""
    try:
        return json.loads(lock_path(warehouse).read_text() or "{}")
    except (OSError, ValueError):
        return {}


def describe_holder(warehouse) -> str:
    h = holder(warehouse)
    if not h:
        return "another process"
    return f"another `{h.get('command', 'fupin run')}` (pid {h.get('pid')}, started {h.get('started')})"


def acquire(warehouse, wait: float = 0.0, command: str = "fupin run") -> None:
    """Take the lock or raise WarehouseBusy after `wait` seconds. Re-entrant per process."""
    p = str(lock_path(warehouse).resolve())
    with _mutex:
        if p in _held:
            _held[p][1] += 1
            return
        Path(p).parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(p, os.O_RDWR | os.O_CREAT, 0o644)
        deadline = time.monotonic() + max(0.0, wait)
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    os.close(fd)
                    raise WarehouseBusy(
                        f"The warehouse {warehouse} is in use by {describe_holder(warehouse)}. "
                        f"Only one run may write it at a time; wait for that run to finish "
                        f"(or pass --wait SECONDS) and try again.") from None
                time.sleep(0.5)
        os.ftruncate(fd, 0)
        os.write(fd, json.dumps({"pid": os.getpid(), "command": command,
                                 "started": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())}).encode())
        _held[p] = [fd, 1]


def release(warehouse) -> None:
    p = str(lock_path(warehouse).resolve())
    with _mutex:
        ent = _held.get(p)
        if not ent:
            return
        ent[1] -= 1
        if ent[1] == 0:
            fd = ent[0]
            try:
                os.ftruncate(fd, 0)
            finally:
                fcntl.flock(fd, fcntl.LOCK_UN)
                os.close(fd)
                del _held[p]
