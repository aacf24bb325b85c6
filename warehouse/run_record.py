"""One run's hold on its warehouse: the OS lock and the run's row in `runs`, as one context
manager used by `fupin run` (which takes it before importing Prefect, to refuse fast) and by
the flow (when nobody passed it one: `fupin serve`, tests, Python callers).

    with warehouse_run(wh, run_id, input_dir, stage_dir, wait=0) as run:
        run.begin(prefect_flow_run_id)   # the row 'running'; crashed runs marked and cleaned
        run.step = "load"                # what an interruption or failure is reported during
        ...
    # left normally: the run's stage files are gone (the load committed the row 'succeeded')
    # Ctrl-C: the row 'interrupted' (a committed run stays 'succeeded'), stage files removed
    # an error: the row 'failed' with the error, stage files kept for inspection
    # always: the lock released

No Prefect import here.
"""
from __future__ import annotations

import datetime as dt
import shutil
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from fupin.warehouse import lock, store


class WarehouseRun:
    """A run holding the warehouse lock; its stage files are <stage_dir>/<run_id>/."""

    def __init__(self, warehouse: Path, run_id: str, input_dir: Path, stage_dir: Path, log=None):
        self.warehouse, self.run_id, self.input_dir, self.stage_dir = warehouse, run_id, input_dir, stage_dir
        self.log = log
        self.step = "start"
        self.begun = False
        self.started_at = dt.datetime.now(dt.timezone.utc)

    @property
    def run_dir(self) -> Path:
        return self.stage_dir / self.run_id

    def begin(self, prefect_flow_run_id: str | None = None) -> None:
        """Record the run as running. Rows still 'running' belong to runs that died (we hold
        the lock, so none is alive): they are marked crashed and their stage files removed."""
        for dead in store.begin_run(self.warehouse, self.run_id, str(self.input_dir), prefect_flow_run_id,
                                    log=self.log):
            if (self.stage_dir / dead).is_dir():  # partitions of a run that was killed: never loaded
                self._info("removing stage files of crashed run %s", dead)
                shutil.rmtree(self.stage_dir / dead, ignore_errors=True)
        self.begun = True

    def remove_stage_files(self) -> None:
        shutil.rmtree(self.run_dir, ignore_errors=True)
        try:
            self.stage_dir.rmdir()  # only if empty
        except OSError:
            pass

    def _info(self, msg: str, *args) -> None:
        if self.log is not None:
            self.log.info(msg, *args)

    def interrupted(self) -> None:
        # Ctrl-C: not a failure. A run whose load committed stays succeeded (the update only
        # touches a row still 'running'); nothing of an unloaded run is worth keeping.
        if self.begun:
            store.interrupt_run(self.warehouse, self.run_id, f"interrupted (Ctrl-C) during {self.step}")
            if self.log is not None:
                self.log.warning("run %s interrupted during %s", self.run_id, self.step)
        self.remove_stage_files()

    def failed(self, e: BaseException) -> None:
        if self.begun:
            store.fail_run(self.warehouse, self.run_id, f"{type(e).__name__}: {e}")
            if self.log is not None:
                self.log.error("run %s failed: %s: %s (stage files kept in %s)", self.run_id, type(e).__name__, e,
                               self.run_dir)


@contextmanager
def warehouse_run(warehouse: Path, run_id: str, input_dir: Path, stage_dir: Path, wait: float = 0.0,
                  log=None) -> Iterator[WarehouseRun]:
    """Hold the warehouse for one run (lock.WarehouseBusy when another process holds it)."""
    lock.acquire(warehouse, wait=wait)
    run = WarehouseRun(Path(warehouse), run_id, Path(input_dir), Path(stage_dir), log=log)
    try:
        yield run
        run.remove_stage_files()
    except KeyboardInterrupt:
        run.interrupted()
        raise
    except BaseException as e:
        run.failed(e)
        raise
    finally:
        lock.release(warehouse)
