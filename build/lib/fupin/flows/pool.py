"""The process pool for a batch's CPU-bound work. Staging (read, decode, checks) and
extraction are pure Python, so threads would share one core; a batch is cut into jobs
(`split`) that the pool's processes stage and extract end to end, returning frames.
"""
from __future__ import annotations

import multiprocessing
import os
import signal
import threading
from typing import Callable, Iterable, TypeVar

T = TypeVar("T")
R = TypeVar("R")

# Files or articles per job at most: each job builds the region-name automaton once (~13 ms)
# and pickles its frames, so larger jobs cost less per article (100 -> 250: 12-15 % less
# cpu); and the fewest worth a pool.
CHUNK = 250
MIN_PARALLEL = 200
_POOL = None
_LOCK = threading.Lock()  # the flow's batch threads ask for the pool at the same moment


def workers() -> int:
    """Processes: FUPIN_EXTRACT_WORKERS, else one per core. Inside a daemonic process (a
    Dask worker) work stays in-process: the cluster already spreads it."""
    if multiprocessing.current_process().daemon:
        return 1
    from fupin.flows.config import settings

    return settings().extract_workers or os.cpu_count() or 1


def split(items: list, n: int) -> list[list]:
    """items cut into nearly equal jobs of at most CHUNK, and at least n of them (one per
    process), in order."""
    if not items:
        return []
    k = max(n, -(-len(items) // CHUNK))
    size = -(-len(items) // k)
    return [items[i:i + size] for i in range(0, len(items), size)]


def _pool(n: int):
    """One pool per process, shared by the flow's batch threads. `spawn`, not fork: the flow
    process runs threads and event loops that a fork would copy mid-flight."""
    global _POOL
    with _LOCK:
        if _POOL is None:
            import atexit
            from concurrent.futures import ProcessPoolExecutor

            # The terminal's Ctrl-C reaches every process of the group: the flow's process
            # decides what an interrupt means; workers finish their job (<= CHUNK files).
            _POOL = ProcessPoolExecutor(max_workers=n, mp_context=multiprocessing.get_context("spawn"),
                                        initializer=signal.signal, initargs=(signal.SIGINT, signal.SIG_IGN))
            atexit.register(_POOL.shutdown, wait=False, cancel_futures=True)
        return _POOL


def map_in_pool(fn: Callable[..., R], jobs: Iterable[T], n: int, *args) -> list[R] | None:
    """[fn(job, *args) for job in jobs] in the pool, in order; None when no worker process
    could run them (a main module without a __main__ guard, a killed worker, no spawn):
    the caller then does the work itself, and the pool is rebuilt next time."""
    from concurrent.futures.process import BrokenProcessPool

    global _POOL
    jobs = list(jobs)
    try:
        return list(_pool(n).map(fn, jobs, *([a] * len(jobs) for a in args)))
    except (BrokenProcessPool, RuntimeError, OSError):
        _POOL = None
        return None


def _warm() -> None:
    from fupin.transforms.extract import _rule_scanner
    from fupin.transforms.regions import default_gazetteer

    default_gazetteer()
    _rule_scanner()


def warm_up(n: int | None = None) -> None:
    """Start the pool's processes and their imports (polars, the gazetteer, the rules: ~0.7 s
    each) now, in the background: called while the flow process still imports Prefect, they
    use the core that would sit idle then."""
    n = workers() if n is None else n
    if n <= 1:
        return
    try:
        p = _pool(n)
        for _ in range(n):
            p.submit(_warm)
    except (RuntimeError, OSError):  # no processes to be had: the batches will say so
        pass
