"""DuckDB side of the pipeline: connect (with clear errors), declare the schema, read the
incremental state and bookkeep runs. The load itself is warehouse/load.py.

No Prefect import here. Connections are opened for as short a time as possible: the plan
reads with a read-only connection; only the load holds a read-write one.
"""
from __future__ import annotations

import datetime as dt
import functools
import os
import time
from pathlib import Path

import duckdb

from fupin.transforms.settings import settings

SCHEMA_SQL = Path(__file__).with_name("schema.sql")
# Tables compared by the idempotency check (everything except run bookkeeping).
DATA_TABLES = ["stg_articles", "article_sources", "rejects", "manifest_issues", "dim_article", "dim_region",
               "dim_indicator", "dim_unit", "dim_year", "dim_provenance", "fct_facts", "quarantine_facts"]
BOOKKEEPING_TABLES = ["runs", "validation_results"]


class WarehouseUnavailable(RuntimeError):
    """The warehouse file cannot be opened now (locked by a writer, missing, corrupt)."""


def _is_lock_error(e: Exception) -> bool:
    s = str(e).lower()
    return "lock" in s and ("conflict" in s or "could not set" in s)


def is_interrupt(e: BaseException) -> bool:
    """Ctrl-C as DuckDB reports it: SIGINT while a query runs makes DuckDB cancel the query
    and raise RuntimeError('Query interrupted') (or duckdb.InterruptException) in place of
    the KeyboardInterrupt the signal handler raised."""
    return isinstance(e, KeyboardInterrupt) or isinstance(e, duckdb.InterruptException) or (
        isinstance(e, RuntimeError) and str(e).strip() == "Query interrupted")


def is_transient(e: BaseException) -> bool:
    """Worth retrying: the warehouse held by another process (a lock), a lost connection, an
    I/O hiccup. Never an interrupt (Ctrl-C stops the run) and never a bug."""
    if is_interrupt(e):
        return False
    if isinstance(e, WarehouseUnavailable):
        return "being written" in str(e) or _is_lock_error(e)
    if isinstance(e, duckdb.Error):
        return _is_lock_error(e)
    return isinstance(e, (ConnectionError, TimeoutError, BlockingIOError, InterruptedError))


RUNNING_LOADS: set = set()  # connections of loads in progress, for interrupt_queries()


def interrupt_queries() -> None:
    """Ctrl-C: stop the DuckDB query a load is running. DuckDB polls for the signal itself,
    but a Ctrl-C that lands before a query executes (while it is prepared) can be swallowed
    there, and the query then runs on; an explicit interrupt() stops it whenever it comes."""
    for con in list(RUNNING_LOADS):
        try:
            con.interrupt()
        except Exception:  # noqa: BLE001 - closing, closed: nothing to stop
            pass


def interrupts_as_ctrl_c(fn):
    """Decorator: a DuckDB interrupt leaves `fn` as KeyboardInterrupt, so that Ctrl-C during
    a query is an interrupt to the flow and the CLI (run recorded 'interrupted', exit 130),
    never a failure that Prefect retries."""
    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        try:
            return fn(*args, **kwargs)
        except Exception as e:
            if is_interrupt(e):
                raise KeyboardInterrupt(f"Ctrl-C during {fn.__name__}") from e
            raise
    return wrapper


def connect_ro(warehouse: str | os.PathLike) -> duckdb.DuckDBPyConnection:
    """Read-only connection, or WarehouseUnavailable with a sentence a person understands."""
    w = Path(warehouse)
    if not w.exists():
        raise WarehouseUnavailable(f"There is no warehouse at {w} yet; run `fupin run` first.")
    try:
        return duckdb.connect(str(w), read_only=True)
    except duckdb.Error as e:
        if _is_lock_error(e):
            from fupin.warehouse.lock import describe_holder
            raise WarehouseUnavailable(
                f"The warehouse {w} is being written by {describe_holder(w)} (it is loading a run). "
                f"Try again when that run has finished; runs hold the warehouse only while loading.") from None
        raise WarehouseUnavailable(f"Could not open the warehouse {w}: {e}") from None


def connect_rw(warehouse: str | os.PathLike, timeout: float = 120.0, log=None) -> duckdb.DuckDBPyConnection:
    """Read-write connection; waits (up to timeout s) while readers (`fupin query`) hold it."""
    w = Path(warehouse)
    w.parent.mkdir(parents=True, exist_ok=True)
    deadline = time.monotonic() + timeout
    warned = False
    while True:
        try:
            # A bounded budget: a load sorts a whole run's facts, and DuckDB's default (80 % of
            # RAM) lets that grow with the run; past the limit it spills to <warehouse>.tmp.
            return duckdb.connect(str(w), config={"memory_limit": settings().duckdb_memory})
        except duckdb.Error as e:
            if not _is_lock_error(e) or time.monotonic() > deadline:
                raise WarehouseUnavailable(f"Could not open the warehouse {w} for writing: {e}") from None
            if log and not warned:
                log.info("warehouse %s is open in another process (a query?); waiting up to %.0f s", w, timeout)
                warned = True
            time.sleep(1.0)


def ensure_schema(con) -> None:
    """Declare every table (schema.sql, applied to new and old warehouses alike), then give a
    table of an older warehouse the primary key it was created without."""
    from fupin.transforms.contracts import KEYS  # here: keeps polars out of `fupin query`

    con.execute(SCHEMA_SQL.read_text(encoding="utf-8"))
    keyed = {t for (t,) in con.execute("select table_name from duckdb_constraints() "
                                       "where constraint_type = 'PRIMARY KEY'").fetchall()}
    for table in ("fct_facts", "quarantine_facts"):
        if table not in keyed:
            con.execute(f"alter table {table} add primary key ({', '.join(KEYS[table])})")


# ----------------------------------------------------------------------------- state

@interrupts_as_ctrl_c
def read_state(warehouse) -> dict:
    """What the planner and the up-to-date check need: file path -> file hash of current
    sources (for a .txt file the hash is its article_id), file path -> known_digest (the
    manifest's word on it), the ids of articles with a source, path -> (reason, hash) of
    rejects, the set of article ids already staged, the extractor version, the manifest
    digests recorded per input folder and how many runs are left 'running'. Empty for a new
    warehouse."""
    state = {"sources": {}, "known": {}, "source_ids": set(), "rejects": {}, "article_ids": set(),
             "extractor_version": None, "manifests": {}, "running_runs": 0}
    w = Path(warehouse)
    if not w.exists():
        return state
    con = connect_ro(w)
    try:
        tables = {r[0] for r in con.execute("select table_name from information_schema.tables").fetchall()}
        cols = {r for r in con.execute("select table_name, column_name from information_schema.columns").fetchall()}
        # a warehouse from before JSON Lines and the manifest (its first run adds the columns)
        file_path = "file_path" if ("article_sources", "file_path") in cols else "source_path"
        file_hash, known = ("file_hash", "known_digest") if file_path == "file_path" else ("article_id", "null")
        rej_path = "file_path" if ("rejects", "file_path") in cols else "source_path"
        if "article_sources" in tables:
            rows = con.execute(f"select {file_path}, {file_hash}, {known}, article_id from article_sources").fetchall()
            state["sources"] = {p: h for p, h, _, _ in rows}
            state["known"] = {p: k for p, _, k, _ in rows}
            state["source_ids"] = {a for _, _, _, a in rows}
        if "rejects" in tables:
            # a JSON Lines file's bad lines are rejects of their own; the file is skipped when
            # unchanged and all its lines are rejects for their content
            state["rejects"] = {p: (r, h) for p, r, h in con.execute(
                f"select {rej_path}, min(reason), min(content_hash) from rejects group by {rej_path} "
                "having count(distinct coalesce(content_hash, '')) = 1 and count(distinct reason) = 1").fetchall()}
        if "stg_articles" in tables:
            state["article_ids"] = {r[0] for r in con.execute("select article_id from stg_articles").fetchall()}
        if "warehouse_settings" in tables:
            row = con.execute("select value from warehouse_settings where key = 'extractor_version'").fetchone()
            state["extractor_version"] = row[0] if row else None
            state["manifests"] = dict(con.execute(
                "select substr(key, length('manifest:') + 1), value from warehouse_settings "
                "where starts_with(key, 'manifest:')").fetchall())
        if "runs" in tables:
            state["running_runs"] = con.execute("select count(*) from runs where status = 'running'").fetchone()[0]
    finally:
        con.close()
    return state


@interrupts_as_ctrl_c
def stale_extractor(warehouse, version: str) -> str | None:
    """The recorded extractor version when the warehouse holds articles extracted by
    another one ('unknown' when none is recorded), else None."""
    state = read_state(warehouse)
    if not state["article_ids"]:
        return None
    recorded = state["extractor_version"] or "unknown"
    return None if recorded == version else recorded


# ----------------------------------------------------------------------------- runs

@interrupts_as_ctrl_c
def begin_run(warehouse, run_id: str, input_dir: str, prefect_flow_run_id: str | None, log=None) -> list[str]:
    """Record the run as running. Earlier rows still 'running' belong to runs that died
    (we hold the OS lock, so none is alive): mark them crashed and return their ids."""
    con = connect_rw(warehouse, log=log)
    try:
        con.execute("BEGIN")
        ensure_schema(con)
        crashed = [r[0] for r in con.execute("select run_id from runs where status = 'running'").fetchall()]
        con.execute("update runs set status = 'crashed', message = coalesce(message, 'process ended during the run') "
                    "where status = 'running'")
        con.execute("insert into runs (run_id, prefect_flow_run_id, started_at, status, input_dir) "
                    "values (?, ?, now(), 'running', ?)", [run_id, prefect_flow_run_id, input_dir])
        con.execute("COMMIT")
    finally:
        con.close()
    return crashed


@interrupts_as_ctrl_c
def record_up_to_date(warehouse, run_id: str, input_dir: str, started_at: dt.datetime, files: int,
                      message: str, log=None) -> None:
    """Record a `fupin run` that found nothing to do (flows.uptodate) and started no flow:
    status 'up_to_date', every discovered file skipped, nothing staged or loaded. Only the
    `runs` table changes. The caller holds the OS lock."""
    con = connect_rw(warehouse, log=log)
    try:
        con.execute("BEGIN")
        ensure_schema(con)
        con.execute("""insert into runs (run_id, prefect_flow_run_id, started_at, finished_at, status, input_dir,
                       files_discovered, articles_staged, files_skipped, files_rejected, facts_loaded,
                       facts_quarantined, sources_pruned, validation_passed, message)
                       values (?, null, ?, now(), 'up_to_date', ?, ?, 0, ?, 0, 0, 0, 0, null, ?)""",
                    [run_id, started_at, input_dir, files, files, message])
        con.execute("COMMIT")
    finally:
        con.close()


def _end_run(warehouse, run_id: str, status: str, message: str) -> None:
    """Mark a run that is still 'running' as failed or interrupted. A run whose load has
    committed is 'succeeded' already and stays so."""
    try:
        con = connect_rw(warehouse, timeout=30)
    except WarehouseUnavailable:
        return
    try:
        con.execute("update runs set status = ?, finished_at = now(), message = ? "
                    "where run_id = ? and status = 'running'", [status, message[:2000], run_id])
    except duckdb.Error:
        pass  # no runs table yet: nothing to record into
    finally:
        con.close()


def fail_run(warehouse, run_id: str, message: str) -> None:
    _end_run(warehouse, run_id, "failed", message)


def interrupt_run(warehouse, run_id: str, message: str) -> None:
    _end_run(warehouse, run_id, "interrupted", message)


def run_status(warehouse, run_id: str) -> str | None:
    """The run's status in `runs`, None when the warehouse has no row for it (yet)."""
    try:
        con = connect_ro(warehouse)
    except WarehouseUnavailable:
        return None
    try:
        row = con.execute("select status from runs where run_id = ?", [run_id]).fetchone()
    except duckdb.Error:
        return None
    finally:
        con.close()
    return row[0] if row else None


# ----------------------------------------------------------------------------- checks

def table_checksums(con, tables: list[str] | None = None) -> dict[str, tuple]:
    """(row count, order-independent hash of all rows) per table: equal iff same contents
    (up to hash collisions)."""
    out = {}
    for t in tables or DATA_TABLES:
        out[t] = tuple(con.execute(f"select count(*), coalesce(bit_xor(hash(x)), 0), "
                                   f"coalesce(sum(hash(x) % 1000003), 0) from {t} x").fetchone())
    return out
