"""The fupin Prefect flow: discover -> plan -> process_batch (parallel) -> validate -> load.

    discover   every *.txt, *.jsonl, *.html, *.htm under the input folder; the manifest
    plan       hash each file, compare path+hash (and the manifest's row for it) with the
               warehouse (read-only), split the rest into batches of ~batch_size files
    process_batch(paths, stage_dir, run_id, k)
               read + decode + extract one batch; write the Parquet partition
               <stage_dir>/<run_id>/batch_<k>/{articles,meta,facts,rejects}.parquet
               and return that folder. Coarse on purpose: it is the unit a Dask worker
               gets (pass a Dask task runner); workers need the stage_dir on a shared disk.
    validate   Great Expectations per group of partitions -> good_facts / quarantine /
               results.parquet; Data Docs are then rendered in a thread while the load runs
    load       one DuckDB transaction over all partitions (read_parquet); then the stage
               folder of the run is removed.

Only one run writes a warehouse at a time (OS lock <warehouse>.lock).
"""
from __future__ import annotations

import datetime as dt
import os
import sys
from contextlib import nullcontext
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Optional

import polars as pl
from prefect import flow, get_run_logger, task
from prefect.cache_policies import NO_CACHE
from prefect.task_runners import ThreadPoolTaskRunner

from fupin.flows.config import (DEFAULT_BATCH_SIZE, new_run_id, resolve_docs_dir, resolve_input, resolve_report_dir,
                                resolve_stage_dir, resolve_warehouse, settings)
from fupin.flows import manifest as mf
from fupin.flows import stage as stg
from fupin.transforms.checkpoints import checkpoint
from fupin.transforms.contracts import REJECT_STAGED
from fupin.warehouse import store
from fupin.warehouse.run_record import WarehouseRun, warehouse_run
from fupin.warehouse.changes import SKIPPED, classify


# ----------------------------------------------------------------------------- tasks

def _transient_only(task, task_run, state) -> bool:
    """Prefect's retry condition of fupin's tasks: retry a transient error (a locked
    warehouse, a lost connection), never Ctrl-C nor a bug (#19: an interrupted load was
    retried 5 s later and the run ended 'succeeded')."""
    from concurrent.futures import BrokenExecutor

    try:
        state.result()
    except BaseException as e:  # noqa: BLE001 - the failed state's exception
        return store.is_transient(e) or isinstance(e, BrokenExecutor)  # a lost extraction process
    return False


@task(name="discover", retries=2, retry_delay_seconds=2, cache_policy=NO_CACHE, retry_condition_fn=_transient_only)
def discover(input_dir: str, manifest: str | None = None) -> list[str]:
    log = get_run_logger()
    checkpoint("discover")  # test hook: Ctrl-C during discovery
    paths = stg.discover(input_dir, manifest)
    log.info("found %d *.txt / *.jsonl / *.html entries under %s", len(paths), input_dir)
    return paths


def read_manifest(input_dir: str, manifest: str | None, run_dir: Path, log) -> tuple[mf.Manifest, dict]:
    """The run's manifest (flows.manifest), its issues logged as warnings and written to
    run_dir/manifest_issues.parquet for the load."""
    m = mf.read(mf.locate(input_dir, manifest), input_dir)
    if m.path:
        log.info("manifest %s: %d rows used, %d issues", m.path, len(m.entries), len(m.issues))
    for i in m.issues:
        log.warning("manifest: %s", i.detail)
    run_dir.mkdir(parents=True, exist_ok=True)
    out = run_dir / "manifest_issues.parquet"
    pl.DataFrame([vars(i) for i in m.issues], schema={"manifest_path": pl.Utf8, "line_no": pl.Int64, "file": pl.Utf8,
                                                       "issue": pl.Utf8, "detail": pl.Utf8}).write_parquet(out)
    return m, {"path": m.path, "digest": m.digest, "issues": str(out)}


@task(name="plan", retries=2, retry_delay_seconds=2, cache_policy=NO_CACHE, retry_condition_fn=_transient_only)
def plan(paths: list[str], warehouse: str, run_dir: str, batch_size: int, reprocess: bool = False,
         manifest: mf.Manifest | None = None) -> dict:
    """Skip files whose path+hash the warehouse already holds (as a source, or as a reject
    whose reason depends only on the content) and whose manifest row is unchanged. Writes
    run_dir/discovered.parquet."""
    log = get_run_logger()
    manifest = manifest or mf.Manifest()
    state = store.read_state(warehouse)
    if reprocess or not (state["sources"] or state["rejects"] or state["article_ids"]):
        # Nothing can be skipped (first load, --reprocess): staging hashes every file anyway.
        hashes = [None] * len(paths)
    else:
        # One thread: for files of a few KB a thread pool spends more on the GIL than it
        # saves (10k files: 0.4 s serial, 1.4 s with 4 threads).
        hashes = [stg.hash_file(p) for p in paths]
    changes = [None if h is None else classify(p, h, state["sources"], state["rejects"],
                                               state["known"].get(p) == manifest.known_digest(p))
               for p, h in zip(paths, (hs[0] if hs else None for hs in hashes))]
    todo, skip_ids, skipped = [], [], 0
    for p, hs, change in zip(paths, hashes, changes):
        h = hs[0] if hs else None
        known_same = state["known"].get(p) == manifest.known_digest(p)
        if not reprocess and change in SKIPPED:
            skipped += 1
            continue
        todo.append(p)
        skip_ids.append(h if (h and not reprocess and h in state["article_ids"] and known_same) else None)
    Path(run_dir).mkdir(parents=True, exist_ok=True)
    disc = Path(run_dir) / "discovered.parquet"
    pl.DataFrame({"source_path": paths, "content_hash": [hs[0] if hs else None for hs in hashes],
                  "change": changes},
                 schema={"source_path": pl.Utf8, "content_hash": pl.Utf8, "change": pl.Utf8}).write_parquet(disc)
    size = max(1, int(batch_size))
    batches = [todo[i:i + size] for i in range(0, len(todo), size)]
    skips = [sorted({h for h in skip_ids[i:i + size] if h}) for i in range(0, len(todo), size)]
    log.info("plan: %d files, %d unchanged (skipped), %d to process in %d batch(es) of <= %d",
             len(paths), skipped, len(todo), len(batches), size)
    entries = [{p: manifest.entries[p].as_dict() for p in b if p in manifest.entries} for b in batches]
    return {"batches": batches, "skip_extract": skips, "skipped": skipped, "discovered": len(paths),
            "discovered_parquet": str(disc), "manifest": entries}


@task(name="process_batch", retries=2, retry_delay_seconds=[1, 5], cache_policy=NO_CACHE, retry_condition_fn=_transient_only)
def process_batch(paths: list[str], stage_dir: str, run_id: str, batch_index: int,
                  skip_extract: list[str] | None = None, manifest: dict | None = None) -> str:
    """Read, decode, extract one batch; write its Parquet partition; return the folder.
    manifest: path -> what the manifest says about it (flows.manifest.Entry.as_dict())."""
    log = get_run_logger()
    out = Path(stage_dir) / run_id / f"batch_{batch_index:05d}"
    checkpoint("batch")  # test hook: a batch in flight (Ctrl-C during extraction)
    res = stg.process_batch_local(paths, out, frozenset(skip_extract or ()), log=log, manifest=manifest)
    log.info("batch %d: %d files -> %d articles, %d facts, %d rejected", batch_index, res["files"],
             res["articles"], res["facts"], res["rejects"])
    return res["partition"]


@task(name="validate", retries=0, cache_policy=NO_CACHE)
def validate(partitions: list[str], dims_dir: str, run_id: str, docs_dir: str) -> dict:
    """Great Expectations over the run's partitions, a group of partitions per call (raw text
    is not read: the suites do not use it), in the validator process when `fupin run` started
    one, else here (expectations/groups.py). Writes good_facts / quarantine / results Parquet
    into each partition; failing facts go to quarantine, never to good; if validation itself
    breaks, all facts of the group are quarantined. Returns the counts and the futures of the
    Data Docs builds, which render while the load runs (wait_for_data_docs)."""
    log = get_run_logger()
    if not partitions:
        return {"good": 0, "quarantined": 0, "docs": []}
    from fupin.expectations import groups as vg
    from fupin.expectations import process
    from fupin.expectations.validate import build_docs_in_background

    docs_keys: list = []  # of the groups validated here
    dims, remote, n_good, n_quar = None, 0, 0, 0
    for group in vg.validation_groups(partitions, settings().validate_chunk_facts):
        there = process.running()
        out = process.result(process.submit(vg.validate_group_job, [str(p) for p in group], dims_dir, run_id,
                                            docs_dir)) if there else None
        remote += out is not None
        if out is None:  # no validator process, or it died: validate here
            if there:
                log.warning("the validator process is gone; validating %s..%s in the flow's process",
                            group[0].name, group[-1].name)
            dims = vg.read_dims(dims_dir) if dims is None else dims
            out = vg.validate_group(group, dims, run_id, docs_dir, docs_keys)
        good, quar, broke = out
        if broke:
            log.error("validation of %s..%s failed (%s); their facts go to quarantine",
                      group[0].name, group[-1].name, broke)
        n_good, n_quar = n_good + good, n_quar + quar
    docs = [process.submit(vg.build_docs_job, docs_dir, run_id)] if remote else []
    if docs_keys:
        docs.append(build_docs_in_background(Path(docs_dir), docs_keys))
    log.info("validation: %d facts good, %d quarantined", n_good, n_quar)
    return {"good": n_good, "quarantined": n_quar, "docs": docs}


def wait_for_data_docs(builds: list, log) -> None:
    """Join the Data Docs builds that validate started; a failure there is a warning: the
    facts were validated and loaded all the same."""
    for fut in builds:
        try:
            if fut is not None:
                fut.result()
        except Exception as e:  # noqa: BLE001
            log.warning("Great Expectations Data Docs could not be built: %s: %s", type(e).__name__, e)


@task(name="load", retries=1, retry_delay_seconds=5, cache_policy=NO_CACHE, retry_condition_fn=_transient_only)
def load(warehouse: str, run_id: str, partitions: list[str], discovered_parquet: str, input_dir: str,
         dims_dir: str, prune: bool, reprocess: bool, counts: dict, manifest: dict | None = None) -> dict:
    log = get_run_logger()
    from fupin.transforms.version import extractor_digest as extractor_version  # stdlib: no extraction import
    from fupin.warehouse.load import RunLoad, load_run

    stats = load_run(RunLoad(warehouse, run_id, partitions, input_dir, discovered_parquet, dims_dir, prune=prune,
                             reprocess=reprocess, counts=counts, extractor_version=extractor_version(),
                             manifest=manifest), log=log)
    log.info("loaded in one transaction: %d facts, %d quarantined, %d sources pruned, %d articles removed",
             stats["facts_loaded"], stats["facts_quarantined"], stats["sources_pruned"], stats["articles_removed"])
    return stats


# ----------------------------------------------------------------------------- flow

Progress = Callable[..., None]


def _step(progress: Progress | None, **kw) -> None:
    """The command line's progress bar (flows/progress.py), when the caller passed one:
    total=N once the plan knows the files to process, advance=n as each batch of n files
    is done, step=... when validation and the load begin. Only in the flow's own process."""
    if progress is not None:
        progress(**kw)


def extract(p: dict, stage_dir: str, run_id: str, progress: Progress | None) -> list[str]:
    """Every batch of the plan through process_batch (in parallel on the task runner); each
    batch's partition, in batch order, reporting each batch as it finishes."""
    _step(progress, total=sum(map(len, p["batches"])))
    futures = [process_batch.submit(b, stage_dir, run_id, k, p["skip_extract"][k], p["manifest"][k])
               for k, b in enumerate(p["batches"])]
    if progress is None:
        return [f.result() for f in futures]
    from prefect.futures import as_completed

    index = {id(f): k for k, f in enumerate(futures)}
    out: list[str | None] = [None] * len(futures)
    for f in as_completed(futures):
        k = index[id(f)]
        out[k] = f.result()
        _step(progress, advance=len(p["batches"][k]))
    return out


def write_dims(run_dir: Path) -> str:
    from fupin.warehouse.dims import build_dims

    d = run_dir / "dims"
    d.mkdir(parents=True, exist_ok=True)
    for name, df in build_dims().items():
        df.write_parquet(d / f"{name}.parquet")
    return str(d)


def count_staged(p: dict, partitions: list[str]) -> tuple[dict, pl.DataFrame]:
    """The run's file counts (what `runs` records) and its rejects."""
    rejects = (pl.concat([pl.read_parquet(Path(x) / "rejects.parquet") for x in partitions])
               if partitions else pl.DataFrame(schema=REJECT_STAGED))
    staged = sum(pl.scan_parquet(Path(x) / "articles.parquet").select(pl.len()).collect().item() for x in partitions)
    return {"discovered": p["discovered"], "staged": staged, "skipped": p["skipped"], "rejected": rejects.height}, rejects


def stale_extractor(warehouse: Path, log) -> bool:
    """The warehouse holds facts of another extractor: every article is extracted again, so
    facts from other rules or code never sit beside new ones."""
    from fupin.transforms.version import extractor_digest as extractor_version  # stdlib: no extraction import

    stale = store.stale_extractor(warehouse, extractor_version())
    if stale:
        log.info("the warehouse was extracted by extractor %s, this is %s: re-extracting every article",
                 stale, extractor_version())
    return bool(stale)


def prefect_flow_run_id() -> str | None:
    try:
        from prefect.runtime import flow_run
        return str(flow_run.id) if flow_run.id else None
    except Exception:  # noqa: BLE001
        return None


@dataclass(frozen=True)
class Where:
    """The folders of a run: flags, else settings, else defaults (flows/config.py)."""

    input: Path
    warehouse: Path
    stage: Path
    reports: Path
    docs: Path

    @classmethod
    def resolve(cls, input_dir, warehouse, stage_dir, report_dir) -> "Where":
        wh = resolve_warehouse(warehouse)
        reports = resolve_report_dir(report_dir, wh)
        return cls(resolve_input(input_dir), wh, resolve_stage_dir(stage_dir, wh), reports,
                   reports / "data_docs" if report_dir else resolve_docs_dir(wh))


@flow(name="fupin-pipeline", task_runner=ThreadPoolTaskRunner(max_workers=2), log_prints=True)
def fupin_pipeline(input_dir: str | None = None, warehouse: str | None = None, prune: bool = False,
                   stage_dir: str | None = None, batch_size: int = DEFAULT_BATCH_SIZE, reprocess: bool = False,
                   report: bool = True, lock_wait: float = 0.0, report_dir: str | None = None,
                   run_id: str | None = None, print_summary: bool = False, manifest: str | None = None,
                   progress: Optional[Callable] = None, run: Optional[WarehouseRun] = None) -> dict:
    """Stage, extract, validate and load the articles under input_dir into the warehouse.
    Reports go to report_dir (default <warehouse>.reports/), Data Docs to <report_dir>/data_docs
    when report_dir is given, else <warehouse>.data_docs/. print_summary: print the run's
    summary on stdout at the end (scheduled runs of `fupin serve`). manifest: a manifest file
    (default: manifest.csv / manifest.jsonl / sources.csv in input_dir). progress: a progress callback
    (flows/progress.py). run: the caller's hold on the warehouse (`fupin run` takes it before
    importing Prefect); without it the flow takes one itself."""
    log = get_run_logger()
    where = Where.resolve(input_dir, warehouse, stage_dir, report_dir)
    hold = nullcontext(run) if run is not None else warehouse_run(
        where.warehouse, run_id or new_run_id(), where.input, where.stage, wait=lock_wait, log=log)
    with hold as run:
        run.begin(prefect_flow_run_id())
        log.info("run %s: input %s -> warehouse %s (stage %s)", run.run_id, where.input, where.warehouse, run.run_dir)
        run.step = "discovery"
        man, man_load = read_manifest(str(where.input), manifest, run.run_dir, log)
        paths = discover(str(where.input), man.path)
        reprocess = reprocess or stale_extractor(where.warehouse, log)
        p = plan(paths, str(where.warehouse), str(run.run_dir), batch_size, reprocess, man)
        run.step = "extraction"
        partitions = extract(p, str(where.stage), run.run_id, progress)
        dims_dir = write_dims(run.run_dir)
        counts, rejects = count_staged(p, partitions)
        run.step = "validation"
        _step(progress, step="validating")
        v = validate(partitions, dims_dir, run.run_id, str(where.docs))
        run.step = "load"
        _step(progress, step="loading")
        stats = load(str(where.warehouse), run.run_id, partitions, p["discovered_parquet"], str(where.input),
                     dims_dir, prune, reprocess, counts, man_load)
        run.step = "data docs"
        wait_for_data_docs(v["docs"], log)
    summary = {"run_id": run.run_id, "status": "succeeded", "input_dir": str(where.input),
               "warehouse": str(where.warehouse), **counts, "reprocessed": reprocess, **stats,
               "rejects": rejects.select("source_file", "reason", "detail").to_dicts(), "manifest": man.path,
               "manifest_issues": [vars(i) for i in man.issues], "started_at": run.started_at.isoformat(),
               "seconds": round((dt.datetime.now(dt.timezone.utc) - run.started_at).total_seconds(), 1)}
    return publish(summary, where, report, print_summary, log)


def _markdown(summary: dict) -> str:
    from fupin.warehouse.report import run_markdown

    return run_markdown({**summary, "rejected": summary.get("rejects", [])})


def publish(summary: dict, where: Where, report: bool, print_summary: bool, log) -> dict:
    """After the load: the HTML report (a problem there does not undo a loaded run), the
    Prefect markdown artifact, and the summary on stdout when asked."""
    if report:
        try:
            from fupin.warehouse.report import write_report
            out = write_report(where.warehouse, where.reports, where.docs, max_pages=settings().run_review_pages)
            summary["report"] = str(out)
            log.info("report written to %s", out)
        except Exception as e:  # noqa: BLE001
            log.warning("the HTML report could not be written: %s: %s", type(e).__name__, e)
    try:
        from prefect.artifacts import create_markdown_artifact
        create_markdown_artifact(markdown=_markdown(summary), key="fupin-run-summary",
                                 description=f"fupin run {summary['run_id']}")
    except Exception as e:  # noqa: BLE001
        log.warning("could not create the run summary artifact: %s", e)
    if print_summary:
        from fupin.flows.summary import format_summary
        # Written, not print()ed: the flow's log_prints would turn a print into a log line.
        sys.stdout.write(format_summary(summary) + "\n")
        sys.stdout.flush()
    return summary


def make_task_runner(dask_address: str | None = None, workers: int | None = None):
    """ThreadPoolTaskRunner by default; a DaskTaskRunner on an existing cluster when an
    address is given (workers must see the stage folder at the same path)."""
    if dask_address:
        from prefect_dask import DaskTaskRunner
        return DaskTaskRunner(address=dask_address)
    return ThreadPoolTaskRunner(max_workers=workers or min(4, os.cpu_count() or 2))


def run_pipeline(task_runner=None, **params) -> dict:
    """Run the flow once (in this process) with the given task runner."""
    f = fupin_pipeline.with_options(task_runner=task_runner) if task_runner is not None else fupin_pipeline
    return f(**params)
