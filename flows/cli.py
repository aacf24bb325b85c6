"""fupin command line.

    fupin run    [--input DIR] [--warehouse FILE] [--prune] [--stage-dir DIR] [--batch-size N]
                 [--dask-address ADDR | --dask-local N] [--reprocess] [--no-report] [--report-dir DIR]
                 [--wait SECONDS] [--always-flow] [-v]
    fupin query  "SQL" [--warehouse FILE] [--format table|csv|json] [--max-width N]
    fupin report [--warehouse FILE] [--out DIR]
    fupin review ARTICLE [--warehouse FILE] [--out DIR]
    fupin serve  [--cron EXPR] [--input DIR] [--warehouse FILE] [--name NAME] [-v]

Exit codes: 0 done (a run with rejected files is still done), 1 the run/command failed,
2 usage error, 3 the warehouse is busy (another run holds it), 130 interrupted (Ctrl-C).
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
import signal
import sys
import time
from pathlib import Path

from fupin.flows import runner
from fupin.flows.config import (DEFAULT_BATCH_SIZE, DEFAULT_CRON, SettingsError, resolve_docs_dir, resolve_input,
                                resolve_report_dir, resolve_warehouse, settings)
from fupin.flows.runner import EXIT_BUSY, EXIT_FAILED, EXIT_INTERRUPTED, EXIT_OK, EXIT_USAGE  # noqa: F401

# The Prefect server a run talks to otherwise tries to send telemetry and logs an error on
# offline machines.
os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
# Prefect's client telemetry (and its first-run notice in the middle of fupin's output) is
# off in fupin's runs too; DO_NOT_TRACK of the user's own wins (DO_NOT_TRACK=0 allows it).
os.environ.setdefault("DO_NOT_TRACK", "1")

_err = runner.err
_quiet_prefect_console = runner.quiet_prefect_console
_writable_dir = runner.writable_dir


# ----------------------------------------------------------------------------- run

def cmd_run(a) -> int:
    return runner.run(runner.RunOptions(
        input=a.input, warehouse=a.warehouse, prune=a.prune, manifest=a.manifest, stage_dir=a.stage_dir,
        batch_size=a.batch_size, dask_address=a.dask_address, dask_local=a.dask_local, reprocess=a.reprocess,
        no_report=a.no_report, report_dir=a.report_dir, wait=a.wait, always_flow=a.always_flow,
        verbose=a.verbose, started=a.started))


def _warehouse_problem(wh: Path, must_exist: bool) -> tuple[int, str] | None:
    """(exit code, sentence) when `wh` cannot be this command's warehouse: a folder (usage
    error), missing when the command reads one, or a file DuckDB cannot open (not a
    database, damaged). Checked before anything is written, so a bad path leaves nothing
    behind (no <path>.reports/ beside it, no temporary copy)."""
    if wh.is_dir():
        return EXIT_USAGE, f"the warehouse {wh} is a folder; give a file name such as {wh / 'fupin.duckdb'}"
    if must_exist and not wh.exists():
        return EXIT_FAILED, f"There is no warehouse at {wh} yet; run `fupin run` first."
    problem = runner.unopenable(wh)
    return (EXIT_FAILED, problem) if problem else None


# ----------------------------------------------------------------------------- query

def _cell(v, max_width: int):
    from rich.text import Text

    text = Text("NULL" if v is None else str(v).replace("\r", "\\r").replace("\n", "\\n").replace("\t", " "))
    text.truncate(max_width, overflow="ellipsis")  # by terminal cells: a CJK character takes two
    return text


def format_table(cols: list[str], rows: list[tuple], max_width: int = 40) -> str:
    """The rows as a text table (rich: column widths in terminal cells, so CJK text lines up),
    cells clipped to max_width cells, then the row count."""
    from rich import box
    from rich.console import Console
    from rich.table import Table

    table = Table(*cols, box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False, header_style="bold")
    for r in rows:
        table.add_row(*(_cell(v, max_width) for v in r))
    console = Console(width=100_000, color_system=None, legacy_windows=False, force_terminal=False,
                      record=True, file=open(os.devnull, "w"))
    console.print(table, no_wrap=True, crop=False)
    lines = [line.rstrip() for line in console.export_text().splitlines()]
    return "\n".join(lines + [f"({len(rows)} row{'s' if len(rows) != 1 else ''})"])


def cmd_query(a) -> int:
    import duckdb

    from fupin.warehouse.store import WarehouseUnavailable, connect_ro

    wh = resolve_warehouse(a.warehouse)
    if wh.is_dir():
        _err(f"the warehouse {wh} is a folder; give a file name such as {wh / 'fupin.duckdb'}")
        return EXIT_USAGE
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
    bad = _warehouse_problem(wh, must_exist=True)
    if bad:
        _err(bad[1])
        return bad[0]
    from fupin.warehouse.report import write_report

    out = resolve_report_dir(a.out, wh)
    problem = _writable_dir(out, "report")
    if problem:
        _err(problem)
        return EXIT_FAILED
    try:
        # Data Docs: in the report folder when a run wrote them there (--report-dir), else the warehouse's
        docs = out / "data_docs" if a.out and (out / "data_docs").is_dir() else resolve_docs_dir(wh)
        path = write_report(wh, out, docs)
    except Exception as e:  # noqa: BLE001
        _err(f"the report failed: {type(e).__name__}: {e}")
        return EXIT_FAILED
    print(f"report written to {path}")
    return EXIT_OK


def cmd_review(a) -> int:
    """Write (or refresh) one article's review page and print its path."""
    import datetime as dt

    from fupin.warehouse import review
    from fupin.warehouse.snapshot import open_reader

    wh = resolve_warehouse(a.warehouse)
    bad = _warehouse_problem(wh, must_exist=True)
    if bad:
        _err(bad[1])
        return bad[0]
    out = resolve_report_dir(a.out, wh)
    with open_reader(wh) as reader:
        try:
            article_id = review.resolve(reader, a.article)
        except review.ArticleNotFound as e:
            _err(str(e))
            return EXIT_FAILED
        path = review.write_page(reader, out, article_id,
                                 dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"))
    print(path)
    return EXIT_OK


def build_deployment_params(a) -> dict:
    # print_summary: each scheduled run prints the same summary as `fupin run`, in the output
    # of `fupin serve` (the runner streams its flow runs' output)
    return {"input_dir": str(resolve_input(a.input)), "warehouse": str(resolve_warehouse(a.warehouse)),
            "print_summary": True}


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


def _check_cron(expr: str) -> str | None:
    from pydantic import ValidationError

    from prefect.client.schemas.schedules import CronSchedule

    try:
        CronSchedule(cron=expr)
    except (ValidationError, ValueError) as e:
        return f"--cron {expr!r} is not a valid cron expression ({str(e).splitlines()[-1].strip()})"
    return None


def cmd_serve(a) -> int:
    params = build_deployment_params(a)
    if not Path(params["input_dir"]).is_dir():
        _err(f"input folder {params['input_dir']} does not exist or is not a folder")
        return EXIT_USAGE
    bad = _warehouse_problem(Path(params["warehouse"]), must_exist=False)
    if bad:  # found now, not at the first scheduled run
        _err(bad[1])
        return bad[0]
    _quiet_prefect_console(a.verbose)
    warn = _scheduler_compat_warning()
    if warn and not settings().prefect_api_url:
        _err(f"warning: {warn}")
    server = None
    if not settings().prefect_api_url:
        from fupin.flows.prefect_server import PrefectServer, ServerError, home_for

        # started (and PREFECT_API_URL set) before the cron check imports Prefect, which reads
        # its settings once; a bad cron stops it again. Its database and files go beside the
        # warehouse (<warehouse>.prefect/), as a run's kept server's do, not in ~/.prefect.
        try:
            server = PrefectServer(services=True, port=4200, home=home_for(Path(params["warehouse"]))).start()
        except ServerError as e:
            _err(f"could not start a Prefect server: {e}")
            return EXIT_FAILED
    problem = _check_cron(a.cron)
    if problem:
        if server is not None:
            server.stop()
        _err(problem)
        return EXIT_USAGE
    if server is not None:
        print("PREFECT_API_URL is not set: starting a local Prefect server for the schedule "
              "(set PREFECT_API_URL to use your own) ...")
        try:
            server.wait_ready()
        except ServerError as e:
            _err(f"could not start a Prefect server: {e}. Run `prefect server start` yourself and "
                 f"export PREFECT_API_URL=http://127.0.0.1:4200/api")
            return EXIT_FAILED
        print(f"Prefect server and UI: {server.api_url.removesuffix('/api')}")
    try:
        from fupin.flows.pipeline import fupin_pipeline

        print(f"serving deployment {a.name!r} on cron {a.cron!r} with {params} (Ctrl-C to stop)")
        fupin_pipeline.serve(name=a.name, cron=a.cron, parameters=params, paused=False,
                             description="fupin ETL: articles -> DuckDB warehouse")
    except KeyboardInterrupt:
        signal.signal(signal.SIGINT, signal.SIG_DFL)
        _err("stopped serving")
        return EXIT_INTERRUPTED
    finally:
        if server is not None:
            server.stop()
    return EXIT_OK


def cmd_server(a) -> int:
    """`fupin server status|stop`: the Prefect server `fupin run` keeps for a warehouse."""
    from fupin.flows.prefect_server import home_for, read_state, stop_kept

    wh = resolve_warehouse(a.warehouse)
    home = home_for(wh)
    if a.action == "stop":
        st = stop_kept(home)
        print(f"stopped the Prefect server of {wh} ({st['api_url'].removesuffix('/api')})" if st else
              f"no Prefect server is running for {wh}")
        return EXIT_OK
    st = read_state(home)
    if st is None:
        print(f"no Prefect server is running for {wh} (its state would be in {home})")
        return EXIT_OK
    print(f"Prefect server of {wh}: {st['api_url'].removesuffix('/api')} (UI and API), keeper pid {st['keeper_pid']}, "
          f"server pid {st['server_pid']}, started {st['started_at']}, stops after {st['idle_seconds']:.0f} s "
          f"without a run; state in {home}")
    return EXIT_OK


# ----------------------------------------------------------------------------- main

def _at_least(convert, minimum, what: str, bound: str):
    """An argparse type: `convert(text)`, refused unless >= minimum (also refuses nan)."""
    def parse(text: str):
        try:
            x = convert(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{text!r} is not {what}") from None
        if not x >= minimum:
            raise argparse.ArgumentTypeError(f"must be {bound} (got {text})")
        return x
    return parse


_positive_int = _at_least(int, 1, "a whole number", "at least 1")
_seconds = _at_least(float, 0, "a number of seconds", "0 or more")


def _sql(text: str) -> str:
    if not text.strip():
        raise argparse.ArgumentTypeError("the SQL is empty; give a statement, e.g. \"select count(*) from v_facts\"")
    return text


def build_parser() -> argparse.ArgumentParser:
    cfg = settings()  # flags default to the FUPIN_* environment, read once
    ap = argparse.ArgumentParser(prog="fupin", description="Chinese poverty-alleviation news -> DuckDB warehouse")
    sub = ap.add_subparsers(dest="cmd", required=True)
    wh_help = "warehouse file (default $FUPIN_WAREHOUSE or ./warehouse/fupin.duckdb)"
    in_help = "folder of *.txt articles, searched recursively (default $FUPIN_INPUT or the bundled seeds/articles)"
    verbose = argparse.ArgumentParser(add_help=False)
    verbose.add_argument("-v", "--verbose", action="store_true",
                         help="show Prefect's log lines on the terminal (they always go to Prefect), and the "
                              "traceback of an unexpected error")
    traceback_flag = argparse.ArgumentParser(add_help=False)
    traceback_flag.add_argument("-v", "--verbose", action="store_true",
                                help="show the traceback of an unexpected error")

    r = sub.add_parser("run", parents=[verbose], help="stage, extract, validate and load the articles once")
    r.add_argument("--input", help=in_help)
    r.add_argument("--warehouse", help=wh_help)
    r.add_argument("--prune", action="store_true", help="drop the facts of files removed from the input folder")
    r.add_argument("--manifest", metavar="FILE",
                   help="what the crawler knew per file: CSV or JSON Lines with file,url,published,title,outlet,region "
                        "(default: manifest.csv / manifest.jsonl / sources.csv in the input folder)")
    r.add_argument("--stage-dir", help="folder for the run's Parquet partitions (default <warehouse>.stage/)")
    r.add_argument("--batch-size", type=_positive_int, default=cfg.batch_size,
                   help=f"files per batch task (default $FUPIN_BATCH_SIZE or {DEFAULT_BATCH_SIZE})")
    r.add_argument("--dask-address", default=cfg.dask_address,
                   help="run batch tasks on this Dask scheduler (tcp://host:8786)")
    r.add_argument("--dask-local", type=_positive_int, metavar="N", default=cfg.dask_local,
                   help="run batch tasks on a Dask LocalCluster of N worker processes started for this run")
    r.add_argument("--reprocess", action="store_true", help="re-extract every file, even unchanged ones")
    r.add_argument("--no-report", action="store_true", help="do not write the HTML report after the run")
    r.add_argument("--report-dir", help="folder for the HTML report, Data Docs in its data_docs/ "
                                        "(default <warehouse>.reports/ and <warehouse>.data_docs/)")
    r.add_argument("--wait", type=_seconds, default=0.0,
                   help="if another run holds the warehouse, wait up to this many seconds (default: exit at once)")
    r.add_argument("--always-flow", action="store_true",
                   help="always start a Prefect flow run, even when nothing changed since the last run "
                        "(default: an unchanged input is recorded as 'up_to_date' without a flow run)")
    r.set_defaults(func=cmd_run)

    q = sub.add_parser("query", parents=[traceback_flag], help="run read-only SQL against the warehouse and print the result")
    q.add_argument("sql", type=_sql)
    q.add_argument("--warehouse", help=wh_help)
    q.add_argument("--format", choices=["table", "csv", "json"], default="table")
    q.add_argument("--max-width", type=_positive_int, default=40, help="clip table cells to this many columns")
    q.set_defaults(func=cmd_query)

    p = sub.add_parser("report", parents=[traceback_flag], help="write the HTML report of the warehouse")
    p.add_argument("--warehouse", help=wh_help)
    p.add_argument("--out", help="output folder (default $FUPIN_REPORT_DIR or <warehouse>.reports/)")
    p.set_defaults(func=cmd_report)

    v = sub.add_parser("review", parents=[traceback_flag], help="write one article's review page (its facts highlighted in its text)")
    v.add_argument("article", help="file name or path of the article, its article id, or a unique prefix of either")
    v.add_argument("--warehouse", help=wh_help)
    v.add_argument("--out", help="report folder (default $FUPIN_REPORT_DIR or <warehouse>.reports/); the page goes to OUT/articles/")
    v.set_defaults(func=cmd_review)

    k = sub.add_parser("server", parents=[traceback_flag],
                       help="show or stop the Prefect server `fupin run` keeps for a warehouse between runs")
    k.add_argument("action", choices=["status", "stop"])
    k.add_argument("--warehouse", help=wh_help)
    k.set_defaults(func=cmd_server)

    s = sub.add_parser("serve", parents=[verbose], help="serve the flow as a Prefect deployment on a cron schedule")
    s.add_argument("--cron", default=DEFAULT_CRON, help=f"cron expression (default {DEFAULT_CRON!r}, daily 06:00)")
    s.add_argument("--input", help=in_help)
    s.add_argument("--warehouse", help=wh_help)
    s.add_argument("--name", default="fupin-daily", help="deployment name")
    s.set_defaults(func=cmd_serve)
    return ap


def main(argv: list[str] | None = None) -> int:
    started = time.monotonic()  # the summary's time is the command's wall time
    try:
        settings()
    except SettingsError as e:
        _err(f"{e} (check the environment)")
        return EXIT_USAGE
    a = build_parser().parse_args(argv)
    a.started = started
    try:
        return a.func(a)
    except KeyboardInterrupt:
        signal.signal(signal.SIGINT, signal.SIG_DFL)
        _err("interrupted before anything was written")
        return EXIT_INTERRUPTED
    except Exception as e:  # noqa: BLE001 - any error a command did not expect: one line, exit 1
        _err(f"{a.cmd} failed: {type(e).__name__}: {str(e).strip().splitlines()[0] if str(e).strip() else ''}"
             + ("" if getattr(a, "verbose", False) else " (run it again with -v for the traceback)"))
        if getattr(a, "verbose", False):
            import traceback

            traceback.print_exc()
        return EXIT_FAILED


def entry() -> None:
    """The `fupin` command: main(), then the interpreter's normal exit steps (threads joined
    and their exit hooks run -- Prefect sends its last logs and events there --, atexit
    handlers, output flushed), but not its teardown: freeing every object of Prefect, Great
    Expectations, polars and DuckDB took ~1 s after a run. The hook that skips the teardown
    is registered first, so atexit (last in, first out) runs it after every other handler.
    Tests call main() instead."""
    # The code the hook exits with is a failure until main() has returned one: whatever
    # escapes main() can never leave as a success (was: 0, and a traceback, #19).
    code = {"rc": EXIT_FAILED}

    def leave_without_teardown() -> None:
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(code["rc"])

    atexit.register(leave_without_teardown)
    try:
        rc = main()
        code["rc"] = rc if isinstance(rc, int) else EXIT_FAILED
    except SystemExit as e:  # argparse's usage errors (2) and --help (0)
        code["rc"] = e.code if isinstance(e.code, int) else (0 if e.code is None else 1)
        if isinstance(e.code, str):
            print(e.code, file=sys.stderr)
    except KeyboardInterrupt:
        code["rc"] = EXIT_INTERRUPTED
        _err("interrupted")
    except BaseException as e:  # noqa: BLE001 - main() turns errors into codes; this is the last guard
        _err(f"failed: {type(e).__name__}: {e}")
    sys.exit(code["rc"])


if __name__ == "__main__":
    entry()
