"""`fupin run` once the command line is parsed: check the flags, take the warehouse (lock,
before importing Prefect, to refuse fast), record an 'up_to_date' run without a flow when
nothing changed (flows/uptodate.py), else start the validator process and the extraction
pool and run the flow with the progress bar; print the summary; turn Ctrl-C, a busy
warehouse and failures into one line and an exit code.

    code = run(RunOptions(...))
"""
from __future__ import annotations

import os
import signal
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from fupin.flows.config import (new_run_id, resolve_input, resolve_report_dir, resolve_stage_dir, resolve_warehouse,
                               settings)
from fupin.flows.summary import format_summary

EXIT_OK, EXIT_FAILED, EXIT_USAGE, EXIT_BUSY, EXIT_INTERRUPTED = 0, 1, 2, 3, 130


@dataclass
class RunOptions:
    input: str | None = None
    warehouse: str | None = None
    prune: bool = False
    manifest: str | None = None
    stage_dir: str | None = None
    batch_size: int = 500
    dask_address: str | None = None
    dask_local: int | None = None
    reprocess: bool = False
    no_report: bool = False
    report_dir: str | None = None
    wait: float = 0.0
    always_flow: bool = False
    verbose: bool = False
    started: float = 0.0  # time.monotonic() when the command started: the summary shows its wall time


def err(msg: str) -> None:
    print(f"fupin: {msg}", file=sys.stderr)


def quiet_prefect_console(verbose: bool) -> None:
    """Prefect's per-task INFO lines stay off the terminal unless -v: its console handler
    shows warnings and errors only. Its API handler is left as it is, so every log line
    still goes to Prefect (the UI, `prefect flow-run logs`). Set before Prefect is imported;
    a PREFECT_LOGGING_HANDLERS_CONSOLE_LEVEL of the user's own wins."""
    if not verbose:
        os.environ.setdefault("PREFECT_LOGGING_HANDLERS_CONSOLE_LEVEL", "WARNING")


def writable_dir(path: Path, what: str, create: bool = False) -> str | None:
    """None when the folder exists (or can be made: made when `create`) and is writable;
    else a sentence saying why not."""
    if create:
        try:
            path.mkdir(parents=True, exist_ok=True)
        except OSError as e:
            return f"cannot create the {what} folder {path}: {e.strerror or e}"
    base = path
    while not base.exists() and base != base.parent:
        base = base.parent
    if not base.is_dir():
        return f"cannot create the {what} folder {path}: {base} is not a folder"
    if not os.access(base, os.W_OK | os.X_OK):
        return f"the {what} folder {path} is not writable" if base == path else \
            f"cannot create the {what} folder {path}: {base} is not writable"
    return None


def _on_ctrl_c(verbose: bool):
    """The SIGINT handler of `fupin run`: the first Ctrl-C raises KeyboardInterrupt where the
    run is (the run is recorded interrupted, the CLI says what was kept) and, unless -v,
    silences Prefect's console lines about the "crash" it then reports to the API; a second
    Ctrl-C ends fupin at once (the warehouse is safe: the load is one transaction)."""
    def handler(signum, frame):
        signal.signal(signal.SIGINT, signal.SIG_DFL)
        from fupin.warehouse.store import interrupt_queries

        interrupt_queries()  # a query of the load stops even if DuckDB swallows the KeyboardInterrupt
        if not verbose:
            import logging

            for h in logging.getLogger().handlers:
                if isinstance(h, logging.StreamHandler):
                    h.setLevel(logging.CRITICAL)
        raise KeyboardInterrupt
    return handler


def _up_to_date(o: RunOptions, inp: Path, wh: Path) -> dict | None:
    """The summary of an 'up_to_date' run when a flow run could change nothing (recorded in
    `runs`; with --always-flow only {"up_to_date": True}: the flow runs all the same, but it
    needs no validation), else None: start the flow. The caller holds the warehouse lock."""
    import datetime as dt

    from fupin.flows import uptodate

    if o.reprocess or o.dask_address or o.dask_local:
        return None
    started = dt.datetime.now(dt.timezone.utc)
    try:
        res = uptodate.check(inp, wh, prune=o.prune, manifest=o.manifest)
    except Exception as e:  # noqa: BLE001 - the flow decides (and reports) on its own
        err(f"note: the up-to-date check failed ({type(e).__name__}: {e}); starting the flow")
        return None
    if not res.up_to_date:
        return None
    return {"up_to_date": True} if o.always_flow else uptodate.record(inp, wh, res, started_at=started)


def _kept_prefect_server(wh: Path):
    """The warehouse's kept Prefect server (flows/prefect_server.py), reused or started, when
    no Prefect API is configured (PREFECT_API_URL, a Prefect profile); else None."""
    from fupin.flows.prefect_server import KeptServer, configured_api_url

    if configured_api_url():
        return None
    return KeptServer(wh, settings().prefect_server_idle).start()


def _note_kept(kept) -> None:
    if kept is not None and kept.started:
        err(f"note: started a Prefect server for this warehouse at {kept.api_url.removesuffix('/api')} "
            f"(state in {kept.home}); " + (f"it is kept for the next run and stops after {kept.idle:.0f} s "
                                           "without one, or with `fupin server stop`" if kept.idle > 0 else
                                           "stopped as the run ends"))


def _what_was_kept(wh: Path, run_id: str) -> str:
    """After Ctrl-C: one line on what the warehouse holds now, from the run's row in `runs`."""
    from fupin.warehouse import store

    status = store.run_status(wh, run_id)
    if status == "succeeded":
        return (f"interrupted after the load: run {run_id} is in the warehouse and recorded as succeeded "
                "(the report may not have been written)")
    if status in ("interrupted", "failed"):
        return (f"interrupted: run {run_id} is recorded as interrupted and nothing of it was loaded; "
                f"the warehouse {wh} holds what it held before")
    return f"interrupted before the run started: nothing was written to {wh}"


def unopenable(wh: Path) -> str | None:
    """Why an existing warehouse file cannot be opened (not a DuckDB file, damaged), else None;
    a warehouse being loaded by another run is the lock's business."""
    from fupin.warehouse.store import WarehouseUnavailable, connect_ro

    if not wh.exists():
        return None
    try:
        connect_ro(wh).close()
    except WarehouseUnavailable as e:
        return None if "being written" in str(e) else str(e)
    return None


def _check(o: RunOptions, inp: Path, wh: Path, n_files: int) -> tuple[int, str] | None:
    """(exit code, message) when the run cannot start; None: go."""
    if not inp.is_dir():  # a usage error, like every other wrong flag value
        return EXIT_USAGE, f"input folder {inp} does not exist or is not a folder"
    if not n_files:
        return EXIT_OK, (f"warning: no *.txt, *.jsonl, *.html or *.htm files under {inp}: nothing to do, no run "
                         "started" + (" (--prune did not drop anything: an empty folder is more often an unmounted "
                                      "disk than a wish to empty the warehouse)" if o.prune else ""))
    if o.batch_size < 1:
        return EXIT_USAGE, f"--batch-size must be at least 1 (got {o.batch_size})"
    if o.wait < 0:
        return EXIT_USAGE, f"--wait must be 0 or more seconds (got {o.wait})"
    if o.dask_local is not None and o.dask_local < 1:
        return EXIT_USAGE, f"--dask-local must be at least 1 worker (got {o.dask_local})"
    if wh.is_dir():
        return EXIT_USAGE, f"the warehouse {wh} is a folder; give a file name such as {wh / 'fupin.duckdb'}"
    problem = (writable_dir(wh.parent, "warehouse", create=True)
               or writable_dir(resolve_stage_dir(o.stage_dir, wh), "stage")
               or (None if o.no_report else writable_dir(resolve_report_dir(o.report_dir, wh), "report")))
    if problem:
        return EXIT_USAGE, problem
    problem = unopenable(wh)
    return (EXIT_FAILED, problem) if problem else None


def _flow(o: RunOptions, run, n_files: int, kept, nothing_new: bool) -> dict:
    """The flow, in this process, with the caller's hold on the warehouse and a progress bar
    on a terminal. Great Expectations' import runs in the validator process meanwhile."""
    from fupin.flows import pool

    if (not nothing_new and not (o.dask_address or o.dask_local) and pool.workers() > 1
            and n_files >= pool.MIN_PARALLEL):
        pool.warm_up()  # the extraction processes import on the other core while Prefect loads here
    quiet_prefect_console(o.verbose)
    from fupin.flows import pipeline
    from fupin.flows.dask_support import dask_task_runner
    from fupin.flows.prefect_server import api_for_run
    from fupin.flows.progress import FilesBar, wanted

    bar = FilesBar() if wanted(n_files) else None
    try:
        with api_for_run(kept), dask_task_runner(o.dask_address, o.dask_local) as dask_runner:  # None without Dask
            return pipeline.run_pipeline(
                task_runner=dask_runner or pipeline.make_task_runner(), input_dir=str(run.input_dir),
                warehouse=str(run.warehouse), prune=o.prune, stage_dir=o.stage_dir, batch_size=o.batch_size,
                reprocess=o.reprocess, report=not o.no_report, report_dir=o.report_dir, run_id=run.run_id,
                manifest=o.manifest, progress=bar, run=run)
    finally:
        if bar is not None:
            bar.close()


def _hold_and_run(o: RunOptions, inp: Path, wh: Path, run_id: str, n_files: int) -> dict:
    """Take the warehouse (refused fast, before Prefect is imported, when another run holds
    it), then record an up-to-date run or run the flow."""
    from fupin.expectations import process as validator
    from fupin.warehouse.run_record import warehouse_run

    with warehouse_run(wh, run_id, inp, resolve_stage_dir(o.stage_dir, wh), wait=o.wait) as run:
        done = _up_to_date(o, inp, wh)
        if done is not None and not o.always_flow:
            return done
        nothing_new = done is not None  # --always-flow: a flow, but nothing to extract or validate
        kept = _kept_prefect_server(wh)  # started now: it starts while this process imports Prefect
        if not nothing_new and "great_expectations" not in sys.modules:
            # Great Expectations in a process of its own, started now so that its ~3.4 s import
            # runs while this process imports Prefect and the flow extracts. Not when GX is
            # imported here already (fupin called from Python after a flow run, the tests):
            # there is no import to overlap, and a new process would import it again.
            validator.start()
        try:
            return _flow(o, run, n_files, kept, nothing_new)
        finally:
            # after Ctrl-C too: a validation job still running (seconds) ends on its own; ending the
            # process under it would leave a semaphore behind for the resource tracker to warn about
            validator.stop()
            _note_kept(kept)


def run(o: RunOptions) -> int:
    """`fupin run`: the exit code; the summary on stdout, problems as one line on stderr."""
    from fupin.flows import stage as stg
    from fupin.warehouse import lock

    wh, inp = resolve_warehouse(o.warehouse), resolve_input(o.input)
    n_files = len(stg.discover(inp)) if inp.is_dir() else 0
    stop = _check(o, inp, wh, n_files)
    if stop is not None:
        err(stop[1])
        return stop[0]
    run_id = new_run_id()
    on_ctrl_c = _on_ctrl_c(o.verbose)
    if signal.getsignal(signal.SIGINT) is signal.default_int_handler:  # not when started with SIGINT ignored
        signal.signal(signal.SIGINT, on_ctrl_c)
    try:
        summary = _hold_and_run(o, inp, wh, run_id, n_files)
    except KeyboardInterrupt:
        err(_what_was_kept(wh, run_id))
        return EXIT_INTERRUPTED
    except lock.WarehouseBusy as e:
        err(str(e))
        return EXIT_BUSY
    except lock.LockError as e:
        err(str(e))
        return EXIT_FAILED
    except Exception as e:  # noqa: BLE001 - one clear line; Prefect already logged the traceback
        err(f"the run failed: {type(e).__name__}: {e}")
        return EXIT_FAILED
    finally:
        if signal.getsignal(signal.SIGINT) is on_ctrl_c:  # no Ctrl-C came: as it was (main() called in-process)
            signal.signal(signal.SIGINT, signal.default_int_handler)
    summary["seconds"] = round(time.monotonic() - o.started, 1)
    print(format_summary(summary))
    return EXIT_OK
