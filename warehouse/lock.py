"""An OS file lock next to the warehouse (<warehouse>.lock) so that only one run writes it.

Not re-entrant: a process takes it once per run (warehouse/run_record.py: `fupin run` before
importing Prefect, for a fast and clear refusal, and hands its hold to the flow). Stdlib
only: `fupin query` imports this.
"""
from __future__ import annotations

import fcntl
import json
import os
import threading
import time
from pathlib import Path

_held: dict[str, int] = {}  # lock path -> fd
_mutex = threading.Lock()


class WarehouseBusy(RuntimeError):
    """Another process holds the warehouse lock."""


class LockError(RuntimeError):
    """The lock file cannot be made or locked (permissions, a full disk), or this process
    holds it already."""


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
    """Take the lock or raise WarehouseBusy after `wait` seconds."""
    p = str(lock_path(warehouse).resolve())
    with _mutex:
        if p in _held:
            raise LockError(f"this process holds the lock of the warehouse {warehouse} already")
        try:
            Path(p).parent.mkdir(parents=True, exist_ok=True)
            fd = os.open(p, os.O_RDWR | os.O_CREAT, 0o644)
        except OSError as e:
            raise LockError(f"cannot take the lock of the warehouse {warehouse}: {e.strerror or e}") from None
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
        _held[p] = fd


def release(warehouse) -> None:
    p = str(lock_path(warehouse).resolve())
    with _mutex:
        fd = _held.pop(p, None)
        if fd is None:
            return
        try:
            os.ftruncate(fd, 0)
        finally:
            fcntl.flock(fd, fcntl.LOCK_UN)
            os.close(fd)
