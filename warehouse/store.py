"""DuckDB side of the pipeline: connect (with clear errors), read the incremental state,
bookkeep runs, and load a run's Parquet partitions in ONE transaction.

No Prefect import here. Connections are opened for as short a time as possible: the plan
reads with a read-only connection; only the load holds a read-write one.
"""
from __future__ import annotations

import datetime as dt
import os
import signal
import time
from pathlib import Path

import duckdb

from fupin import SEEDS
from fupin.flows.config import settings

SCHEMA_SQL = Path(__file__).with_name("schema.sql")
# Tables compared by the idempotency check (everything except run bookkeeping).
DATA_TABLES = ["stg_articles", "article_sources", "rejects", "manifest_issues", "dim_article", "dim_region",
               "dim_indicator", "dim_unit", "dim_year", "dim_provenance", "fct_facts", "quarantine_facts"]
DIM_TABLES = ("dim_region", "dim_indicator", "dim_unit")
BOOKKEEPING_TABLES = ["runs", "validation_results"]
FACT_COLS = ["article_id", "char_start", "char_end", "surface", "value", "value_base", "unit_code", "qualifier",
             "indicator_code", "indicator_text", "year", "year_source", "region_code", "region_source", "kind",
             "scope", "context", "confidence"]


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


_RUNNING: set = set()  # connections of loads in progress, for interrupt_queries()


def interrupt_queries() -> None:
    """Ctrl-C: stop the DuckDB query a load is running. DuckDB polls for the signal itself,
    but a Ctrl-C that lands before a query executes (while it is prepared) can be swallowed
    there, and the query then runs on; an explicit interrupt() stops it whenever it comes."""
    for con in list(_RUNNING):
        try:
            con.interrupt()
        except Exception:  # noqa: BLE001 - closing, closed: nothing to stop
            pass


def interrupts_as_ctrl_c(fn):
    """Decorator: a DuckDB interrupt leaves `fn` as KeyboardInterrupt, so that Ctrl-C during
    a query is an interrupt to the flow and the CLI (run recorded 'interrupted', exit 130),
    never a failure that Prefect retries."""
    import functools

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
    con.execute(SCHEMA_SQL.read_text(encoding="utf-8"))


def _fault(point: str, con=None) -> None:
    """Test hook: FUPIN_FAULT=<point>:kill|sleep|raise|query. `sleep` first writes the file named by
    FUPIN_FAULT_MARKER so a test knows the process has reached the point, then sleeps so the
    test can kill it from outside (kill -9). `query` (at points that pass the load's
    connection) runs a long DuckDB query on it instead, so that a test's SIGINT arrives while
    DuckDB executes, inside the load transaction."""
    cfg = settings()
    if not cfg.fault:
        return
    where, _, action = cfg.fault.rpartition(":")
    if where != point:
        return
    marker = cfg.fault_marker
    if marker:
        Path(marker).write_text(f"{os.getpid()} {point}\n")
    if action == "kill":
        os.kill(os.getpid(), signal.SIGKILL)
    elif action == "sleep":
        time.sleep(cfg.fault_sleep)
    elif action == "raise":
        raise RuntimeError(f"injected fault at {point}")
    elif action == "query" and con is not None:
        n = int(cfg.fault_sleep * 2e6)  # roughly cfg.fault_sleep seconds of work, ended sooner by Ctrl-C
        con.execute("select count(*) from range(?) a, range(100) b where a.range * b.range = -1", [n]).fetchall()


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


# ----------------------------------------------------------------------------- load

def _lit(paths: list[str]) -> str:
    return "[" + ", ".join("'" + str(p).replace("'", "''") + "'" for p in paths) + "]"


def _parts(partitions: list[str], name: str) -> list[str]:
    return [str(Path(p) / f"{name}.parquet") for p in partitions if (Path(p) / f"{name}.parquet").exists()]


@interrupts_as_ctrl_c
def load_run(warehouse, run_id: str, partitions: list[str], discovered_parquet: str | None, input_root: str,
             dims_dir: str | None, prune: bool = False, reprocess: bool = False, counts: dict | None = None,
             log=None, extractor_version: str | None = None, manifest: dict | None = None) -> dict:
    """Bring a run's partitions into the warehouse in one transaction. Returns load stats.

    Semantics: a path seen with new content replaces its source row; articles new to the
    warehouse (or all, with reprocess) get their meta and facts (re)loaded; articles left
    without any source lose their rows; with prune, sources under input_root that were not
    discovered this run are dropped first. Rejects mirror the input folder's current state.
    An article extracted in this run (new, or re-extracted because the manifest's word on it
    changed) replaces its stored meta and facts. manifest: {"path", "digest", "issues": a
    Parquet file of flows.manifest.Issue rows} of the manifest this run read (path None:
    the input folder has none).
    """
    counts = dict(counts or {})
    root = os.path.join(os.path.abspath(input_root), "")
    con = connect_rw(warehouse, log=log)
    _RUNNING.add(con)
    try:
        con.execute("BEGIN TRANSACTION")
        _fault("load:begin")
        ensure_schema(con)
        arts, rejs = _parts(partitions, "articles"), _parts(partitions, "rejects")
        good, quar = _parts(partitions, "good_facts"), _parts(partitions, "quarantine")
        metas, results = _parts(partitions, "meta"), _parts(partitions, "results")
        batch = "regexp_extract(filename, 'batch_([0-9]+)', 1)"

        def tmp(name: str, files: list[str], cols: str, empty_ddl: str) -> None:
            if files:
                con.execute(f"create or replace temp table {name} as select {cols} from "
                            f"read_parquet({_lit(files)}, filename=true, file_row_number=true, union_by_name=true)")
            else:
                con.execute(f"create or replace temp table {name} ({empty_ddl})")
        tmp("new_src", arts, f"article_id, source_file, source_path, size_bytes, encoding, {batch} as batch, "
                             "file_row_number as rn, file_path, line_no, file_hash, known_digest, attributes",
            "article_id varchar, source_file varchar, source_path varchar, size_bytes bigint, encoding varchar, "
            "batch varchar, rn bigint, file_path varchar, line_no bigint, file_hash varchar, known_digest varchar, "
            "attributes varchar")
        tmp("new_rej", rejs, "source_path, source_file, reason, detail, content_hash, size_bytes, file_path",
            "source_path varchar, source_file varchar, reason varchar, detail varchar, content_hash varchar, "
            "size_bytes bigint, file_path varchar")
        tmp("new_meta", metas, f"article_id, {batch} as batch", "article_id varchar, batch varchar")
        if discovered_parquet and Path(discovered_parquet).exists():
            con.execute("create or replace temp table disc as select source_path, content_hash, change "
                        f"from read_parquet({_lit([discovered_parquet])})")
        else:
            con.execute("create or replace temp table disc (source_path varchar, content_hash varchar, "
                        "change varchar)")
        now = dt.datetime.now(dt.timezone.utc)

        # -- sources
        # A path now rejected for its content (emptied, binary...) loses its old article; one
        # that is only unreadable for now (vanished, permission, extraction error) keeps it,
        # like a removed file does.
        # A file's sources go together: a changed JSON Lines file's lines are replaced as a whole.
        from fupin.warehouse import changes  # here: keeps polars out of `fupin query`

        content_reasons = _lit(sorted(changes.CONTENT_REASONS))
        con.execute("delete from article_sources where file_path in (select file_path from new_src) "
                    f"or file_path in (select file_path from new_rej where reason in {content_reasons})")
        pruned = 0
        if prune:
            pruned = con.execute("select count(*) from article_sources where starts_with(file_path, ?) "
                                 "and file_path not in (select source_path from disc)", [root]).fetchone()[0]
            con.execute("delete from article_sources where starts_with(file_path, ?) "
                        "and file_path not in (select source_path from disc)", [root])
        con.execute("""insert into article_sources by name
                       select source_path, source_file, article_id, size_bytes, ? as loaded_at, ? as run_id,
                              file_path, line_no, file_hash, known_digest
                       from new_src order by source_path""", [now, run_id])
        _fault("load:after_sources")

        # -- rejects: current state of the input folder
        con.execute("delete from rejects where source_path in (select source_path from new_src)")
        # a processed file's rejects are this run's (a fixed line of a JSON Lines file leaves)
        con.execute("""delete from rejects r where r.file_path in
                         (select file_path from new_src union select file_path from new_rej)
                       and r.source_path not in (select source_path from new_rej)""")
        # readable again with the content already loaded (skipped by the plan): not a reject any more
        con.execute("delete from rejects where source_path in (select source_path from disc where change = ?)",
                    [changes.UNCHANGED_CLEARS_REJECT])
        con.execute("delete from rejects where starts_with(file_path, ?) "
                    "and file_path not in (select source_path from disc)", [root])
        con.execute("""delete from rejects r where exists (select 1 from new_rej n where n.source_path = r.source_path
                        and (n.reason is distinct from r.reason or n.detail is distinct from r.detail
                             or n.content_hash is distinct from r.content_hash))""")
        con.execute("""insert into rejects by name select n.source_path, n.source_file, n.reason, n.detail,
                        n.content_hash, n.size_bytes, ? as rejected_at, ? as run_id, n.file_path from new_rej n
                        where not exists (select 1 from rejects r where r.source_path = n.source_path)
                        order by n.source_path""", [now, run_id])
        _manifest_issues(con, manifest, root, run_id)

        # -- articles to (re)load, each taken from one batch (the one of its first path)
        cond = ("true" if reprocess else "article_id not in (select article_id from stg_articles) "
                                         "or article_id in (select article_id from new_meta)")
        con.execute(f"""create or replace temp table load_ids as
                        select article_id, arg_min(batch, source_path) as batch, min(source_path) as source_path
                        from new_src where {cond} group by article_id""")
        for t in ("fct_facts", "quarantine_facts", "dim_article", "stg_articles"):
            con.execute(f"delete from {t} where article_id in (select article_id from load_ids)")
        _fault("load:after_delete")
        if arts:
            con.execute(f"""insert into stg_articles
                select a.article_id, a.source_file, a.source_path, a.size_bytes, a.encoding, a.raw_text,
                       length(a.raw_text), ?, ?
                from read_parquet({_lit(arts)}) a join load_ids l using (article_id, source_path)
                order by a.article_id""", [now, run_id])
        if metas:
            con.execute(f"""insert into dim_article by name
                select m.article_id, m.title, m.pub_date, m.pub_date_source, m.pub_date_precision, m.outlet,
                       m.main_region_code, m.n_chars, null as source_file, ? as run_id, m.url, s.attributes
                from (select *, {batch} as batch from read_parquet({_lit(metas)}, filename=true)) m
                join load_ids l using (article_id, batch)
                left join new_src s on s.article_id = l.article_id and s.source_path = l.source_path
                qualify row_number() over (partition by m.article_id) = 1
                order by m.article_id""", [run_id])
        fcols = ", ".join(f"f.{c}" for c in FACT_COLS)
        fact_id = ("substr(f.article_id, 1, 16) || ':' || f.char_start || '-' || f.char_end || "
                   "case when row_number() over w > 1 then '#' || row_number() over w else '' end")
        window = "window w as (partition by f.article_id, f.char_start, f.char_end order by f.file_row_number)"
        loaded = quarantined = 0
        if good:
            loaded = con.execute(f"""insert into fct_facts by name
                select {fact_id} as fact_id, {fcols}, ? as run_id from
                (select *, {batch} as batch from read_parquet({_lit(good)}, filename=true, file_row_number=true)) f
                join load_ids l using (article_id, batch) {window}
                order by f.article_id, f.char_start, f.char_end""", [run_id]).fetchone()[0]
        if quar:
            quarantined = con.execute(f"""insert into quarantine_facts by name
                select {fact_id} as fact_id, {fcols}, f.failed_expectation, ? as run_id from
                (select *, {batch} as batch from read_parquet({_lit(quar)}, filename=true, file_row_number=true)) f
                join load_ids l using (article_id, batch) {window}
                order by f.article_id, f.char_start, f.char_end""", [run_id]).fetchone()[0]
        _fault("load:after_facts", con)

        # -- articles left without any source (changed or pruned files)
        con.execute("create or replace temp table orphans as select article_id from stg_articles "
                    "where article_id not in (select article_id from article_sources)")
        removed = con.execute("select count(*) from orphans").fetchone()[0]
        for t in ("fct_facts", "quarantine_facts", "dim_article", "stg_articles"):
            con.execute(f"delete from {t} where article_id in (select article_id from orphans)")
        # first source of each article: earliest loaded, then by path
        con.execute("""update dim_article d set source_file = s.source_file
                       from (select article_id, arg_min(source_file, (loaded_at, source_path)) as source_file
                             from article_sources group by article_id) s
                       where s.article_id = d.article_id and d.source_file is distinct from s.source_file""")

        # -- dimensions
        _load_dims(con, dims_dir)

        # -- bookkeeping
        if results:
            con.execute(f"""insert into validation_results
                select r.run_id, 'batch_' || {batch}, r.suite, r.expectation, r."column", r.success,
                       r.unexpected_count, r.element_count, r.details
                from read_parquet({_lit(results)}, filename=true, union_by_name=true) r""")
        val = con.execute("select count(*), bool_and(success) from validation_results where run_id = ?",
                          [run_id]).fetchone()
        validation_passed = None if not val[0] else bool(val[1])
        stats = {"facts_loaded": int(loaded), "facts_quarantined": int(quarantined), "sources_pruned": int(pruned),
                 "articles_removed": int(removed), "validation_passed": validation_passed}
        counts.update(stats)
        con.execute("""insert into runs (run_id, started_at, status, input_dir) select ?, now(), 'running', ?
                       where not exists (select 1 from runs where run_id = ?)""", [run_id, input_root, run_id])
        con.execute("""update runs set finished_at = now(), status = 'succeeded', files_discovered = ?,
                       articles_staged = ?, files_skipped = ?, files_rejected = ?, facts_loaded = ?,
                       facts_quarantined = ?, sources_pruned = ?, validation_passed = ?, message = null
                       where run_id = ?""",
                    [counts.get("discovered"), counts.get("staged"), counts.get("skipped"), counts.get("rejected"),
                     loaded, quarantined, pruned, validation_passed, run_id])
        if extractor_version:
            con.execute("insert or replace into warehouse_settings values ('extractor_version', ?)",
                        [extractor_version])
        if manifest is not None:  # what the up-to-date check compares next time
            con.execute("insert or replace into warehouse_settings values (?, ?)",
                        ["manifest:" + root, manifest.get("digest") or ""])
        _fault("load:before_commit")
        con.execute("COMMIT")
    except BaseException:
        try:
            con.execute("ROLLBACK")
        except duckdb.Error:
            pass
        raise
    finally:
        _RUNNING.discard(con)
        con.close()
    _fault("load:after_commit")
    return stats


def _manifest_issues(con, manifest: dict | None, root: str, run_id: str) -> None:
    """manifest_issues holds the issues of the manifest this run read (none when the input
    folder has no manifest now)."""
    if manifest is None:
        return
    con.execute("delete from manifest_issues where starts_with(manifest_path, ?) or manifest_path = ?",
                [root, manifest.get("path") or ""])
    issues = manifest.get("issues")
    if issues and Path(issues).exists():
        con.execute(f"""insert into manifest_issues by name
                        select manifest_path, line_no, file, issue, detail, ? as run_id
                        from read_parquet({_lit([issues])})
                        qualify row_number() over (partition by manifest_path, line_no, issue) = 1
                        order by manifest_path, line_no""", [run_id])


def _declared_columns(con, table: str) -> list[str]:
    return [r[0] for r in con.execute("select column_name from information_schema.columns "
                                      "where table_name = ? order by ordinal_position", [table]).fetchall()]


def _load_dims(con, dims_dir: str | None) -> None:
    """Refill the dimension tables declared in schema.sql. A dimension table of an older
    warehouse (created from whatever columns the producer had) is dropped and declared anew."""
    from fupin.warehouse.dims import DIM_COLUMNS

    for name in (*DIM_TABLES, "dim_year"):
        if name in DIM_COLUMNS and _declared_columns(con, name) != DIM_COLUMNS[name]:
            con.execute(f"drop table {name}")
            ensure_schema(con)
    con.execute("delete from dim_year")
    con.execute("""insert into dim_year
        select y::integer as year, (y // 10 * 10)::integer as decade,
               case when y >= 1953 then ((y - 1953) // 5 + 1)::integer end as five_year_plan,
               case when y >= 1953 then '第' || ((y - 1953) // 5 + 1) || '个五年计划/规划' end as five_year_plan_name
        from range(1949, 2101) t(y) order by y""")
    con.execute("delete from dim_provenance")
    con.execute("insert into dim_provenance select field, value, meaning from read_csv(?, header = true, "
                "all_varchar = true) order by field, value", [str(SEEDS / "provenance.csv")])
    if not dims_dir:
        return
    for name in DIM_TABLES:
        p = Path(dims_dir) / f"{name}.parquet"
        if p.exists():
            cols = ", ".join(DIM_COLUMNS[name])
            con.execute(f"delete from {name}")
            con.execute(f"insert into {name} ({cols}) select {cols} from read_parquet({_lit([str(p)])})")


# ----------------------------------------------------------------------------- checks

def table_checksums(con, tables: list[str] | None = None) -> dict[str, tuple]:
    """(row count, order-independent hash of all rows) per table: equal iff same contents
    (up to hash collisions)."""
    out = {}
    for t in tables or DATA_TABLES:
        out[t] = tuple(con.execute(f"select count(*), coalesce(bit_xor(hash(x)), 0), "
                                   f"coalesce(sum(hash(x) % 1000003), 0) from {t} x").fetchone())
    return out
