"""The load: a run's Parquet partitions into the warehouse in ONE transaction, as named steps

    sources -> rejects -> manifest issues -> articles -> facts -> orphans -> dimensions -> bookkeeping

each a short function below. A step reads the run's partitions through temp tables made
first (new_src, new_rej, new_meta, disc, load_ids) and writes the warehouse tables named in
its name. Checkpoints between steps (transforms/checkpoints.py) let tests stop the process
inside the transaction.

"First copy wins": the same content under several names (in several batches) is one
article, taken from its first copy, the batch of its smallest source path. `first_copies`
says which that is, once, for validation (expectations/groups.py validates only that copy)
and for this load (load_ids).
"""
from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import polars as pl

from fupin import SEEDS
from fupin.transforms.checkpoints import checkpoint
from fupin.transforms.contracts import CONTENT_REASONS, DIM_COLUMNS, DIM_TABLES, FACT, YEAR_MAX, YEAR_MIN
from fupin.warehouse import changes
from fupin.warehouse.store import RUNNING_LOADS, connect_rw, ensure_schema, interrupts_as_ctrl_c

# the batch a partition file belongs to (its folder is batch_<k>)
BATCH = "regexp_extract(filename, 'batch_([0-9]+)', 1)"
FIRST_COPIES = "first_copies.parquet"


@dataclass
class RunLoad:
    """What a run hands the load. manifest: {"path", "digest", "issues": a Parquet file of
    flows.manifest.Issue rows} of the manifest the run read (path None: the input folder
    has none); None: the run read no manifest at all."""

    warehouse: str
    run_id: str
    partitions: list[str]
    input_root: str
    discovered_parquet: str | None = None
    dims_dir: str | None = None
    prune: bool = False
    reprocess: bool = False
    counts: dict = field(default_factory=dict)
    extractor_version: str | None = None
    manifest: dict | None = None

    @property
    def root(self) -> str:
        return os.path.join(os.path.abspath(self.input_root), "")

    def parts(self, name: str) -> list[str]:
        return [str(Path(p) / f"{name}.parquet") for p in self.partitions if (Path(p) / f"{name}.parquet").exists()]


def first_copies(partitions: list[str]) -> pl.DataFrame:
    """article_id -> batch (text, as in the folder name batch_<k>) and source_path of its
    first copy: the smallest source path holding it, in the batch that staged that path."""
    frames = [pl.scan_parquet(Path(p) / "articles.parquet").select("article_id", "source_path")
              .with_columns(pl.lit(Path(p).name.removeprefix("batch_")).alias("batch")) for p in partitions]
    if not frames:
        return pl.DataFrame(schema={"article_id": pl.Utf8, "batch": pl.Utf8, "source_path": pl.Utf8})
    return (pl.concat(frames).collect().sort("source_path").group_by("article_id", maintain_order=True)
            .agg(pl.col("batch").first(), pl.col("source_path").first()).sort("article_id"))


def _lit(paths: list[str]) -> str:
    return "[" + ", ".join("'" + str(p).replace("'", "''") + "'" for p in paths) + "]"


@interrupts_as_ctrl_c
def load_run(run: RunLoad, log=None) -> dict:
    """Bring a run's partitions into the warehouse in one transaction. Returns load stats.

    A path seen with new content replaces its source row; articles new to the warehouse (or
    all, with reprocess, or extracted again because the manifest's word on them changed) get
    their meta and facts (re)loaded; articles left without any source lose their rows; with
    prune, sources under the input folder that were not discovered this run are dropped
    first. Rejects mirror the input folder's current state."""
    con = connect_rw(run.warehouse, log=log)
    RUNNING_LOADS.add(con)  # Ctrl-C stops its running query (store.interrupt_queries)
    try:
        con.execute("BEGIN TRANSACTION")
        checkpoint("load:begin")
        ensure_schema(con)
        now = dt.datetime.now(dt.timezone.utc)
        _temp_tables(con, run)
        pruned = sources(con, run, now)
        checkpoint("load:after_sources")
        rejects(con, run, now)
        manifest_issues(con, run)
        articles(con, run, now)
        checkpoint("load:after_delete")
        loaded, quarantined = facts(con, run)
        checkpoint("load:after_facts", con=con)
        removed = orphans(con)
        dimensions(con, run.dims_dir)
        stats = {"facts_loaded": loaded, "facts_quarantined": quarantined, "sources_pruned": pruned,
                 "articles_removed": removed}
        stats["validation_passed"] = bookkeeping(con, run, stats)
        checkpoint("load:before_commit")
        con.execute("COMMIT")
    except BaseException:
        try:
            con.execute("ROLLBACK")
        except duckdb.Error:
            pass
        raise
    finally:
        RUNNING_LOADS.discard(con)
        con.close()
    checkpoint("load:after_commit")
    return stats


def _temp_tables(con, run: RunLoad) -> None:
    """The run's partitions as temp tables: new_src (staged articles, without their text),
    new_rej, new_meta, disc (what the plan decided per discovered file) and load_ids (the
    articles to (re)load, each with its first copy)."""
    def tmp(name: str, files: list[str], cols: str, empty_ddl: str) -> None:
        if files:
            con.execute(f"create or replace temp table {name} as select {cols} from "
                        f"read_parquet({_lit(files)}, filename=true, file_row_number=true, union_by_name=true)")
        else:
            con.execute(f"create or replace temp table {name} ({empty_ddl})")
    tmp("new_src", run.parts("articles"), f"article_id, source_file, source_path, size_bytes, encoding, "
        f"{BATCH} as batch, file_path, line_no, file_hash, known_digest, attributes",
        "article_id varchar, source_file varchar, source_path varchar, size_bytes bigint, encoding varchar, "
        "batch varchar, file_path varchar, line_no bigint, file_hash varchar, known_digest varchar, attributes varchar")
    tmp("new_rej", run.parts("rejects"), "source_path, source_file, reason, detail, content_hash, size_bytes, file_path",
        "source_path varchar, source_file varchar, reason varchar, detail varchar, content_hash varchar, "
        "size_bytes bigint, file_path varchar")
    tmp("new_meta", run.parts("meta"), f"article_id, {BATCH} as batch", "article_id varchar, batch varchar")
    disc = run.discovered_parquet if run.discovered_parquet and Path(run.discovered_parquet).exists() else None
    tmp("disc", [disc] if disc else [], "source_path, content_hash, change",
        "source_path varchar, content_hash varchar, change varchar")
    con.register("first_copies_frame", first_copies(run.partitions).to_arrow())
    cond = ("true" if run.reprocess else "article_id not in (select article_id from stg_articles) "
                                         "or article_id in (select article_id from new_meta)")
    con.execute(f"create or replace temp table load_ids as select article_id, batch, source_path "
                f"from first_copies_frame where {cond}")
    con.unregister("first_copies_frame")


def sources(con, run: RunLoad, now) -> int:
    """article_sources: a processed file's sources are replaced as a whole (a changed JSON
    Lines file's lines together). A path now rejected for its content (emptied, binary...)
    loses its old article; one only unreadable for now (vanished, permission, extraction
    error) keeps it, like a removed file does. With prune, sources under the input folder
    not discovered this run go. Returns how many were pruned."""
    con.execute("delete from article_sources where file_path in (select file_path from new_src) "
                f"or file_path in (select file_path from new_rej where reason in {_lit(sorted(CONTENT_REASONS))})")
    pruned = 0
    if run.prune:
        gone = "starts_with(file_path, ?) and file_path not in (select source_path from disc)"
        pruned = con.execute(f"select count(*) from article_sources where {gone}", [run.root]).fetchone()[0]
        con.execute(f"delete from article_sources where {gone}", [run.root])
    con.execute("""insert into article_sources by name
                   select source_path, source_file, article_id, size_bytes, ? as loaded_at, ? as run_id,
                          file_path, line_no, file_hash, known_digest
                   from new_src order by source_path""", [now, run.run_id])
    return int(pruned)


def rejects(con, run: RunLoad, now) -> None:
    """rejects: the current state of the input folder."""
    con.execute("delete from rejects where source_path in (select source_path from new_src)")
    # a processed file's rejects are this run's (a fixed line of a JSON Lines file leaves)
    con.execute("""delete from rejects r where r.file_path in
                     (select file_path from new_src union select file_path from new_rej)
                   and r.source_path not in (select source_path from new_rej)""")
    # readable again with the content already loaded (skipped by the plan): not a reject any more
    con.execute("delete from rejects where source_path in (select source_path from disc where change = ?)",
                [changes.UNCHANGED_CLEARS_REJECT])
    con.execute("delete from rejects where starts_with(file_path, ?) "
                "and file_path not in (select source_path from disc)", [run.root])
    con.execute("""delete from rejects r where exists (select 1 from new_rej n where n.source_path = r.source_path
                    and (n.reason is distinct from r.reason or n.detail is distinct from r.detail
                         or n.content_hash is distinct from r.content_hash))""")
    con.execute("""insert into rejects by name select n.source_path, n.source_file, n.reason, n.detail,
                    n.content_hash, n.size_bytes, ? as rejected_at, ? as run_id, n.file_path from new_rej n
                    where not exists (select 1 from rejects r where r.source_path = n.source_path)
                    order by n.source_path""", [now, run.run_id])


def manifest_issues(con, run: RunLoad) -> None:
    """manifest_issues: the issues of the manifest this run read (none when the input folder
    has no manifest now)."""
    m = run.manifest
    if m is None:
        return
    con.execute("delete from manifest_issues where starts_with(manifest_path, ?) or manifest_path = ?",
                [run.root, m.get("path") or ""])
    if m.get("issues") and Path(m["issues"]).exists():
        con.execute(f"""insert into manifest_issues by name
                        select manifest_path, line_no, file, issue, detail, ? as run_id
                        from read_parquet({_lit([m["issues"]])})
                        qualify row_number() over (partition by manifest_path, line_no, issue) = 1
                        order by manifest_path, line_no""", [run.run_id])


def articles(con, run: RunLoad, now) -> None:
    """stg_articles and dim_article of the articles to (re)load, from their first copy; their
    old rows and facts go first."""
    for t in ("fct_facts", "quarantine_facts", "dim_article", "stg_articles"):
        con.execute(f"delete from {t} where article_id in (select article_id from load_ids)")
    arts, metas = run.parts("articles"), run.parts("meta")
    if arts:
        con.execute(f"""insert into stg_articles by name
            select a.article_id, a.source_file, a.source_path, a.size_bytes, a.encoding, a.input_kind, a.raw_text,
                   length(a.raw_text) as n_chars, ? as loaded_at, ? as run_id
            from read_parquet({_lit(arts)}, union_by_name=true) a join load_ids l using (article_id, source_path)
            order by a.article_id""", [now, run.run_id])
    if metas:
        con.execute(f"""insert into dim_article by name
            select m.article_id, m.title, m.pub_date, m.pub_date_source, m.pub_date_precision, m.outlet,
                   m.main_region_code, m.n_chars, null as source_file, ? as run_id, m.url, s.attributes
            from (select *, {BATCH} as batch from read_parquet({_lit(metas)}, filename=true)) m
            join load_ids l using (article_id, batch)
            left join new_src s on s.article_id = l.article_id and s.source_path = l.source_path
            qualify row_number() over (partition by m.article_id) = 1
            order by m.article_id""", [run.run_id])


def _insert_facts(con, table: str, files: list[str], extra: str, run_id: str) -> int:
    """Facts of the articles to load from their first copy's batch; fact_id =
    <article_id[:16]>:<start>-<end>, with #n for the n-th fact of one span."""
    if not files:
        return 0
    cols = ", ".join(f"f.{c}" for c in FACT)
    fact_id = ("substr(f.article_id, 1, 16) || ':' || f.char_start || '-' || f.char_end || "
               "case when row_number() over w > 1 then '#' || row_number() over w else '' end")
    return int(con.execute(f"""insert into {table} by name
        select {fact_id} as fact_id, {cols}{extra}, ? as run_id from
        (select *, {BATCH} as batch from read_parquet({_lit(files)}, filename=true, file_row_number=true)) f
        join load_ids l using (article_id, batch)
        window w as (partition by f.article_id, f.char_start, f.char_end order by f.file_row_number)
        order by f.article_id, f.char_start, f.char_end""", [run_id]).fetchone()[0])


def facts(con, run: RunLoad) -> tuple[int, int]:
    """fct_facts (validated good) and quarantine_facts; returns how many of each."""
    return (_insert_facts(con, "fct_facts", run.parts("good_facts"), "", run.run_id),
            _insert_facts(con, "quarantine_facts", run.parts("quarantine"), ", f.failed_expectation", run.run_id))


def orphans(con) -> int:
    """Articles left without any source (changed or pruned files) lose their rows; every
    article names its first source (earliest loaded, then by path). Returns how many went."""
    con.execute("create or replace temp table orphans as select article_id from stg_articles "
                "where article_id not in (select article_id from article_sources)")
    removed = con.execute("select count(*) from orphans").fetchone()[0]
    for t in ("fct_facts", "quarantine_facts", "dim_article", "stg_articles"):
        con.execute(f"delete from {t} where article_id in (select article_id from orphans)")
    con.execute("""update dim_article d set source_file = s.source_file
                   from (select article_id, arg_min(source_file, (loaded_at, source_path)) as source_file
                         from article_sources group by article_id) s
                   where s.article_id = d.article_id and d.source_file is distinct from s.source_file""")
    return int(removed)


def _declared_columns(con, table: str) -> list[str]:
    return [r[0] for r in con.execute("select column_name from information_schema.columns "
                                      "where table_name = ? order by ordinal_position", [table]).fetchall()]


def dimensions(con, dims_dir: str | None) -> None:
    """Refill the dimension tables. One of an older warehouse (created from whatever columns
    the producer had) is dropped and declared anew."""
    for name in DIM_COLUMNS:
        if _declared_columns(con, name) != DIM_COLUMNS[name]:
            con.execute(f"drop table {name}")
            ensure_schema(con)
    con.execute("delete from dim_year")
    con.execute(f"""insert into dim_year
        select y::integer as year, (y // 10 * 10)::integer as decade,
               case when y >= 1953 then ((y - 1953) // 5 + 1)::integer end as five_year_plan,
               case when y >= 1953 then '第' || ((y - 1953) // 5 + 1) || '个五年计划/规划' end as five_year_plan_name
        from range({YEAR_MIN}, {YEAR_MAX + 1}) t(y) order by y""")
    con.execute("delete from dim_provenance")
    con.execute("insert into dim_provenance select field, value, meaning from read_csv(?, header = true, "
                "all_varchar = true) order by field, value", [str(SEEDS / "provenance.csv")])
    for name in DIM_TABLES if dims_dir else ():
        p = Path(dims_dir) / f"{name}.parquet"
        if p.exists():
            cols = ", ".join(DIM_COLUMNS[name])
            con.execute(f"delete from {name}")
            con.execute(f"insert into {name} ({cols}) select {cols} from read_parquet({_lit([str(p)])})")


def bookkeeping(con, run: RunLoad, stats: dict) -> bool | None:
    """validation_results, the run's row in runs (succeeded), the extractor version and the
    manifest digest the up-to-date check compares next time. Returns validation_passed;
    adds the failed expectations to stats (validation_failures)."""
    results = run.parts("results")
    if results:
        con.execute(f"""insert into validation_results by name
            select r.run_id, 'batch_' || {BATCH} as batch, r.suite, r.expectation, r."column", r.success,
                   r.unexpected_count, r.element_count, r.details
            from read_parquet({_lit(results)}, filename=true, union_by_name=true) r""")
    n, ok = con.execute("select count(*), bool_and(success) from validation_results where run_id = ?",
                        [run.run_id]).fetchone()
    passed = None if not n else bool(ok)
    stats["validation_failures"] = [
        {"suite": s, "expectation": e, "facts": int(k or 0)} for s, e, k in con.execute(
            "select suite, expectation, sum(unexpected_count) from validation_results where run_id = ? "
            "and not success group by suite, expectation order by suite, min(rowid)", [run.run_id]).fetchall()]
    c = run.counts
    con.execute("""insert into runs (run_id, started_at, status, input_dir) select ?, now(), 'running', ?
                   where not exists (select 1 from runs where run_id = ?)""", [run.run_id, run.input_root, run.run_id])
    con.execute("""update runs set finished_at = now(), status = 'succeeded', files_discovered = ?,
                   articles_staged = ?, files_skipped = ?, files_rejected = ?, facts_loaded = ?,
                   facts_quarantined = ?, sources_pruned = ?, validation_passed = ?, message = null
                   where run_id = ?""",
                [c.get("discovered"), c.get("staged"), c.get("skipped"), c.get("rejected"), stats["facts_loaded"],
                 stats["facts_quarantined"], stats["sources_pruned"], passed, run.run_id])
    if run.extractor_version:
        con.execute("insert or replace into warehouse_settings values ('extractor_version', ?)",
                    [run.extractor_version])
    if run.manifest is not None:
        con.execute("insert or replace into warehouse_settings values (?, ?)",
                    ["manifest:" + run.root, run.manifest.get("digest") or ""])
    return passed
