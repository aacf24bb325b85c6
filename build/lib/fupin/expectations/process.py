"""Great Expectations in a process of its own, started by `fupin run` before it imports
Prefect. Importing GX costs ~3.4 s of one core; in the flow's process that import either
waits until the flow has extracted (a run of a few files then spends half its time on it)
or competes for the GIL with the flow. In its own process it runs on the other core while
the flow starts, and the flow's validate task sends it the groups of partitions
(expectations/groups.py). Without it (tests calling the flow, `fupin serve`) validation
runs in the flow's process as before.
"""
from __future__ import annotations

import signal
import threading
from concurrent.futures import Future

_EXEC = None
_WARM: Future | None = None
_LOCK = threading.Lock()


def _warm() -> None:
    from fupin.expectations.validate import import_gx

    import_gx()


def start() -> None:
    """Start the validator process and its GX import (in the background); once per process."""
    global _EXEC, _WARM
    with _LOCK:
        if _EXEC is not None:
            return
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor

        try:
            # The terminal's Ctrl-C reaches every process of the group: the flow's process
            # decides what an interrupt means; this one finishes the job it has (seconds).
            _EXEC = ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context("spawn"),
                                        initializer=signal.signal, initargs=(signal.SIGINT, signal.SIG_IGN))
            _WARM = _EXEC.submit(_warm)
        except (RuntimeError, OSError):  # no process to be had: validation stays in the flow
            _EXEC = _WARM = None


def running() -> bool:
    return _EXEC is not None


def submit(fn, *args) -> Future | None:
    """fn(*args) in the validator process, or None when it is not running or broke."""
    global _EXEC
    if _EXEC is None:
        return None
    try:
        return _EXEC.submit(fn, *args)
    except (RuntimeError, OSError):  # broken or shut down
        _EXEC = None
        return None


def result(fut: Future | None):
    """The job's result, or None when the process died under it (the caller then does the
    work itself); the job's own exceptions are raised."""
    global _EXEC
    if fut is None:
        return None
    from concurrent.futures.process import BrokenProcessPool

    try:
        return fut.result()
    except BrokenProcessPool:
        _EXEC = None
        return None


def stop() -> None:
    """End the validator process. The flow has waited for every job it sent; what may still
    run is the warm-up (GX's import, when the flow had nothing to validate): not waited for."""
    global _EXEC, _WARM
    with _LOCK:
        ex, warm, _EXEC, _WARM = _EXEC, _WARM, None, None
    if ex is None:
        return
    if warm is not None and not warm.done():  # still importing GX: nothing was validated there
        for proc in list((getattr(ex, "_processes", None) or {}).values()):
            proc.terminate()
    ex.shutdown(wait=True, cancel_futures=True)
