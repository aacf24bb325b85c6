"""fupin command line.

    fupin run    [--input DIR] [--warehouse FILE] [--prune] [--stage-dir DIR] [--batch-size N]
                 [--dask-address ADDR | --dask-local N] [--reprocess] [--no-report] [--wait SECONDS]
                 [--always-flow]
    fupin query  "SQL" [--warehouse FILE] [--format table|csv|json] [--max-width N]
    fupin report [--warehouse FILE] [--out DIR]
    fupin serve  [--cron EXPR] [--input DIR] [--warehouse FILE] [--name NAME]

Exit codes: 0 done (a run with rejected files is still done), 1 the run/command failed,
2 usage error, 3 the warehouse is busy (another run holds it).
Prefect and Great Expectations are imported only by the commands that need them, so
`fupin query` starts fast.

`fupin run` first checks, without Prefect (flows/uptodate.py), whether a flow run could
change anything: when every file is unchanged it records a run with status 'up_to_date'
in `runs` and exits 0 without starting a flow ("Nothing to be done"). --always-flow,
--reprocess and the Dask options always start the flow.
"""
from __future__ import annotations

import argparse
import atexit
import json
import os
import sys
import unicodedata

from fupin.flows.config import DEFAULT_BATCH_SIZE, DEFAULT_CRON, resolve_input, resolve_warehouse

# The temporary Prefect server of a run without PREFECT_API_URL otherwise tries to send
# telemetry and logs an error on offline machines.
os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")

EXIT_OK, EXIT_FAILED, EXIT_USAGE, EXIT_BUSY = 0, 1, 2, 3


def _err(msg: str) -> None:
    print(f"fupin: {msg}", file=sys.stderr)


# ----------------------------------------------------------------------------- run

def format_summary(s: dict) -> str:
    vp = s.get("validation_passed")
    if vp is not None:
        val = "passed" if vp else "FAILED (failing facts are in quarantine_facts; see validation_results)"
    elif not s.get("staged"):
        val = "nothing new to validate"
    else:
        val = "not run (expectations module unavailable)"
    lines = [
        f"fupin run {s['run_id']}: {s['status']} in {s.get('seconds', '?')} s",
        f"  input       {s['input_dir']} ({s.get('discovered', 0)} files)",
        f"  warehouse   {s['warehouse']}",
        f"  articles    {s.get('staged', 0)} staged, {s.get('skipped', 0)} skipped (unchanged), "
        f"{s.get('rejected', 0)} rejected",
        f"  facts       {s.get('facts_loaded', 0)} loaded, {s.get('facts_quarantined', 0)} quarantined",
        f"  validation  {val}",
    ]
    if s.get("sources_pruned"):
        lines.append(f"  pruned      {s['sources_pruned']} sources of removed files")
    if s.get("report"):
        lines.append(f"  report      {s['report']}")
    if s.get("status") == "up_to_date":
        lines.append("  flow        none started: the warehouse is up to date with the input "
                     "(--always-flow starts one anyway)")
    for r in s.get("rejects", [])[:20]:
        lines.append(f"  rejected    [{r['reason']}] {r['detail']}")
    if len(s.get("rejects", [])) > 20:
        lines.append(f"  ... and {len(s['rejects']) - 20} more: fupin query \"select * from rejects\"")
    for i in s.get("manifest_issues", [])[:20]:
        lines.append(f"  manifest    [{i['issue']}] {i['detail']}")
    return "\n".join(lines)


def _run_if_up_to_date(inp, wh, prune: bool, manifest: str | None = None) -> dict | None:
    """The summary of an 'up_to_date' run when a flow run could change nothing (recorded in
    `runs`), else None: start the flow. The caller holds the warehouse lock."""
    import datetime as dt

    from fupin.flows import uptodate

    started = dt.datetime.now(dt.timezone.utc)
    try:
        res = uptodate.check(inp, wh, prune=prune, manifest=manifest)
    except Exception as e:  # noqa: BLE001 - the flow decides (and reports) on its own
        _err(f"note: the up-to-date check failed ({type(e).__name__}: {e}); starting the flow")
        return None
    if not res.up_to_date:
        return None
    return uptodate.record(inp, wh, res, started_at=started)


def _warm_extraction_pool(inp) -> None:
    """When the input is large enough for the extraction processes (transforms.pool), start
    them before importing Prefect: their own imports then run on the other core."""
    from fupin.flows import pool
    from fupin.flows import stage as stg

    if pool.workers() > 1 and len(stg.discover(inp)) >= pool.MIN_PARALLEL:
        pool.warm_up()


def cmd_run(a) -> int:
    from fupin.expectations import process as validator
    from fupin.warehouse import lock

    wh = resolve_warehouse(a.warehouse)
    inp = resolve_input(a.input)
    if not inp.is_dir():
        _err(f"input folder {inp} does not exist or is not a folder")
        return EXIT_FAILED
    try:  # refuse fast, before importing Prefect, when another run holds the warehouse
        lock.acquire(wh, wait=a.wait)
    except lock.WarehouseBusy as e:
        _err(str(e))
        return EXIT_BUSY
    try:
        if not (a.always_flow or a.reprocess or a.dask_address or a.dask_local):
            # "Nothing to be done": no flow run when none could change the warehouse
            done = _run_if_up_to_date(inp, wh, a.prune, a.manifest)
            if done is not None:
                print(format_summary(done))
                return EXIT_OK
        # Great Expectations in a process of its own, started now so that its ~3.4 s import
        # runs while this process imports Prefect and the flow extracts
        validator.start()
        if not (a.dask_address or a.dask_local):
            _warm_extraction_pool(inp)
        from fupin.flows.dask_support import dask_task_runner
        from fupin.flows.pipeline import make_task_runner, run_pipeline

        with dask_task_runner(a.dask_address, a.dask_local) as dask_runner:  # None without Dask
            summary = run_pipeline(task_runner=dask_runner or make_task_runner(), input_dir=str(inp),
                                   warehouse=str(wh), prune=a.prune, stage_dir=a.stage_dir,
                                   batch_size=a.batch_size, reprocess=a.reprocess, report=not a.no_report,
                                   manifest=a.manifest)
    except lock.WarehouseBusy as e:
        _err(str(e))
        return EXIT_BUSY
    except Exception as e:  # noqa: BLE001 - one clear line; Prefect already logged the traceback
        _err(f"the run failed: {type(e).__name__}: {e}")
        return EXIT_FAILED
    finally:
        lock.release(wh)
        validator.stop()
    print(format_summary(summary))
    return EXIT_OK


# ----------------------------------------------------------------------------- query

def _width(s: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in s)


def _clip(s: str, n: int) -> str:
    s = s.replace("\r", "\\r").replace("\n", "\\n").replace("\t", " ")
    if _width(s) <= n:
        return s
    out, w = [], 0
    for c in s:
        cw = 2 if unicodedata.east_asian_width(c) in "WF" else 1
        if w + cw > n - 1:
            break
        out.append(c)
        w += cw
    return "".join(out) + "…"


def format_table(cols: list[str], rows: list[tuple], max_width: int = 40) -> str:
    cells = [[_clip("NULL" if v is None else str(v), max_width) for v in r] for r in rows]
    widths = [max([_width(c)] + [_width(r[i]) for r in cells]) for i, c in enumerate(cols)]

    def line(vals):
        return " | ".join(v + " " * (w - _width(v)) for v, w in zip(vals, widths)).rstrip()
    out = [line(cols), "-+-".join("-" * w for w in widths)] + [line(r) for r in cells]
    out.append(f"({len(rows)} row{'s' if len(rows) != 1 else ''})")
    return "\n".join(out)


def cmd_query(a) -> int:
    import duckdb

    from fupin.warehouse.store import WarehouseUnavailable, connect_ro

    wh = resolve_warehouse(a.warehouse)
    try:
        con = connect_ro(wh)
    except WarehouseUnavailable as e:
        _err(str(e))
        return EXIT_BUSY if "being written" in str(e) else EXIT_FAILED
    try:
        cur = con.execute(a.sql)
        cols = [d[0] for d in (cur.description or [])]
        rows = cur.fetchall() if cols else []
    except duckdb.Error as e:
        _err(f"query failed: {e}")
        return EXIT_FAILED
    finally:
        con.close()
    if a.format == "csv":
        import csv
        w = csv.writer(sys.stdout)
        w.writerow(cols)
        w.writerows(rows)
    elif a.format == "json":
        print(json.dumps([dict(zip(cols, r)) for r in rows], ensure_ascii=False, default=str, indent=1))
    else:
        print(format_table(cols, rows, a.max_width))
    return EXIT_OK


# ----------------------------------------------------------------------------- report / serve

def cmd_report(a) -> int:
    wh = resolve_warehouse(a.warehouse)
    if not wh.exists():
        _err(f"There is no warehouse at {wh} yet; run `fupin run` first.")
        return EXIT_FAILED
    try:
        from fupin.warehouse.report import write_report
    except ImportError as e:
        _err(f"the report module is not available: {e}")
        return EXIT_FAILED
    from pathlib import Path
    out = Path(a.out) if a.out else wh.parent / "reports"
    try:
        path = write_report(wh, out)
    except Exception as e:  # noqa: BLE001
        _err(f"the report failed: {type(e).__name__}: {e}")
        return EXIT_FAILED
    print(f"report written to {path}")
    return EXIT_OK


def build_deployment_params(a) -> dict:
    return {"input_dir": str(resolve_input(a.input)), "warehouse": str(resolve_warehouse(a.warehouse))}


def _free_port(preferred: int = 4200) -> int:
    import socket

    for port in (preferred, 0):
        with socket.socket() as sock:
            try:
                sock.bind(("127.0.0.1", port))
                return sock.getsockname()[1]
            except OSError:
                continue
    raise RuntimeError("no free port")


def _start_prefect_server(timeout: float = 120.0):
    """Schedules need a real Prefect server (the temporary one of `fupin run` cannot run
    them). Start `prefect server start` as a child process and point PREFECT_API_URL at it."""
    import shutil
    import subprocess
    import time
    import urllib.request
    from pathlib import Path

    exe = Path(sys.executable).with_name("prefect")
    exe = str(exe) if exe.exists() else shutil.which("prefect")
    if not exe:
        raise RuntimeError("the `prefect` command is not installed")
    port = _free_port()
    url = f"http://127.0.0.1:{port}/api"
    proc = subprocess.Popen([exe, "server", "start", "--host", "127.0.0.1", "--port", str(port)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"`prefect server start` exited with code {proc.returncode}")
        try:
            with urllib.request.urlopen(f"{url}/health", timeout=2) as r:
                if r.status == 200:
                    os.environ["PREFECT_API_URL"] = url
                    return proc
        except OSError:
            time.sleep(1)
    proc.terminate()
    raise RuntimeError(f"the Prefect server did not answer on {url} within {timeout:.0f} s")


def _scheduler_compat_warning() -> str | None:
    """Prefect 3.8.8's scheduler service fails on SQLAlchemy 2.1 (InvalidRequestError "Can't
    evaluate bulk DML statement" in _insert_scheduled_flow_runs): no scheduled run is ever
    created. Verified here: with SQLAlchemy 2.0.58 the same deployment runs on schedule."""
    try:
        from importlib.metadata import version

        major, minor = (int(x) for x in version("sqlalchemy").split(".")[:2])
    except Exception:  # noqa: BLE001
        return None
    if (major, minor) >= (2, 1):
        return (f"SQLAlchemy {version('sqlalchemy')} is installed; the Prefect 3.8.8 server's scheduler fails "
                "with SQLAlchemy >= 2.1 and creates no scheduled runs. Install 'sqlalchemy[asyncio]<2.1' into "
                "the environment of the Prefect server.")
    return None


def cmd_serve(a) -> int:
    params = build_deployment_params(a)
    warn = _scheduler_compat_warning()
    if warn and not os.environ.get("PREFECT_API_URL"):
        _err(f"warning: {warn}")
    server = None
    if not os.environ.get("PREFECT_API_URL"):
        print("PREFECT_API_URL is not set: starting a local Prefect server for the schedule "
              "(set PREFECT_API_URL to use your own) ...")
        try:
            server = _start_prefect_server()
        except RuntimeError as e:
            _err(f"could not start a Prefect server: {e}. Run `prefect server start` yourself and "
                 f"export PREFECT_API_URL=http://127.0.0.1:4200/api")
            return EXIT_FAILED
        print(f"Prefect server and UI: {os.environ['PREFECT_API_URL'].removesuffix('/api')}")
    try:
        from fupin.flows.pipeline import fupin_pipeline

        print(f"serving deployment {a.name!r} on cron {a.cron!r} with {params} (Ctrl-C to stop)")
        fupin_pipeline.serve(name=a.name, cron=a.cron, parameters=params, paused=False,
                             description="fupin ETL: articles -> DuckDB warehouse")
    finally:
        if server is not None:
            server.terminate()
            try:
                server.wait(timeout=30)
            except Exception:  # noqa: BLE001
                server.kill()
    return EXIT_OK


# ----------------------------------------------------------------------------- main

def build_parser() -> argparse.ArgumentParser:
    ap = argparse.ArgumentParser(prog="fupin", description="Chinese poverty-alleviation news -> DuckDB warehouse")
    sub = ap.add_subparsers(dest="cmd", required=True)
    wh_help = "warehouse file (default $FUPIN_WAREHOUSE or warehouse/fupin.duckdb)"
    in_help = "folder of *.txt articles, searched recursively (default $FUPIN_INPUT or the bundled seeds/articles)"

    r = sub.add_parser("run", help="stage, extract, validate and load the articles once")
    r.add_argument("--input", help=in_help)
    r.add_argument("--warehouse", help=wh_help)
    r.add_argument("--prune", action="store_true", help="drop the facts of files removed from the input folder")
    r.add_argument("--manifest", metavar="FILE",
                   help="what the crawler knew per file: CSV or JSON Lines with file,url,published,title,outlet,region "
                        "(default: manifest.csv / manifest.jsonl in the input folder)")
    r.add_argument("--stage-dir", help="folder for the run's Parquet partitions (default <warehouse folder>/stage)")
    r.add_argument("--batch-size", type=int, default=int(os.environ.get("FUPIN_BATCH_SIZE", DEFAULT_BATCH_SIZE)),
                   help=f"files per batch task (default {DEFAULT_BATCH_SIZE})")
    r.add_argument("--dask-address", default=os.environ.get("FUPIN_DASK_ADDRESS"),
                   help="run batch tasks on this Dask scheduler (tcp://host:8786)")
    r.add_argument("--dask-local", type=int, metavar="N", default=int(os.environ.get("FUPIN_DASK_LOCAL", 0)) or None,
                   help="run batch tasks on a Dask LocalCluster of N worker processes started for this run")
    r.add_argument("--reprocess", action="store_true", help="re-extract every file, even unchanged ones")
    r.add_argument("--no-report", action="store_true", help="do not write the HTML report after the run")
    r.add_argument("--wait", type=float, default=0.0,
                   help="if another run holds the warehouse, wait up to this many seconds (default: exit at once)")
    r.add_argument("--always-flow", action="store_true",
                   help="always start a Prefect flow run, even when nothing changed since the last run "
                        "(default: an unchanged input is recorded as 'up_to_date' without a flow run)")
    r.set_defaults(func=cmd_run)

    q = sub.add_parser("query", help="run read-only SQL against the warehouse and print the result")
    q.add_argument("sql")
    q.add_argument("--warehouse", help=wh_help)
    q.add_argument("--format", choices=["table", "csv", "json"], default="table")
    q.add_argument("--max-width", type=int, default=40, help="clip table cells to this many columns")
    q.set_defaults(func=cmd_query)

    p = sub.add_parser("report", help="write the HTML report of the warehouse")
    p.add_argument("--warehouse", help=wh_help)
    p.add_argument("--out", help="output folder (default <warehouse folder>/reports)")
    p.set_defaults(func=cmd_report)

    s = sub.add_parser("serve", help="serve the flow as a Prefect deployment on a cron schedule")
    s.add_argument("--cron", default=DEFAULT_CRON, help=f"cron expression (default {DEFAULT_CRON!r}, daily 06:00)")
    s.add_argument("--input", help=in_help)
    s.add_argument("--warehouse", help=wh_help)
    s.add_argument("--name", default="fupin-daily", help="deployment name")
    s.set_defaults(func=cmd_serve)
    return ap


def main(argv: list[str] | None = None) -> int:
    a = build_parser().parse_args(argv)
    try:
        return a.func(a)
    except KeyboardInterrupt:
        _err("interrupted")
        return 130


def entry() -> None:
    """The `fupin` command: main(), then the interpreter's normal exit steps (threads joined
    and their exit hooks run -- Prefect sends its last logs and events there --, atexit
    handlers, output flushed), but not its teardown: freeing every object of Prefect, Great
    Expectations, polars and DuckDB took ~1 s after a run. The hook that skips the teardown
    is registered first, so atexit (last in, first out) runs it after every other handler.
    Tests call main() instead."""
    code = {"rc": 0}

    def leave_without_teardown() -> None:
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(code["rc"])

    atexit.register(leave_without_teardown)
    code["rc"] = main()
    sys.exit(code["rc"])


if __name__ == "__main__":
    entry()
