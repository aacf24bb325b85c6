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
import shutil
from pathlib import Path

import polars as pl
from prefect import flow, get_run_logger, task
from prefect.cache_policies import NO_CACHE
from prefect.task_runners import ThreadPoolTaskRunner

from fupin.flows.config import (DEFAULT_BATCH_SIZE, new_run_id, resolve_docs_dir, resolve_input, resolve_report_dir,
                                resolve_stage_dir, resolve_warehouse, settings)
from fupin.flows import manifest as mf
from fupin.flows import stage as stg
from fupin.warehouse import lock, store
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
    store._fault("discover")  # test hook: Ctrl-C during discovery
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


@task(name="process_batch", retries=2, retry_delay_seconds=[1, 5], cache_policy=NO_CACHE,
      retry_condition_fn=_transient_only)
def process_batch(paths: list[str], stage_dir: str, run_id: str, batch_index: int,
                  skip_extract: list[str] | None = None, manifest: dict | None = None) -> str:
    """Read, decode, extract one batch; write its Parquet partition; return the folder.
    manifest: path -> what the manifest says about it (flows.manifest.Entry.as_dict())."""
    log = get_run_logger()
    out = Path(stage_dir) / run_id / f"batch_{batch_index:05d}"
    store._fault("batch")  # test hook: a batch in flight (Ctrl-C during extraction)
    res = stg.process_batch_local(paths, out, frozenset(skip_extract or ()), log=log, manifest=manifest)
    log.info("batch %d: %d files -> %d articles, %d facts, %d rejected", batch_index, res["files"],
             res["articles"], res["facts"], res["rejects"])
    return res["partition"]


def _prefetch_validation() -> None:
    """Import Great Expectations (~5 s) in the background once the plan has found work: the
    flow process mostly waits for the extraction processes then. (Not from the CLI, beside
    Prefect's own import: an import is Python work that holds the GIL, so the two only slowed
    each other.) validate imports it again and reports any failure."""
    try:
        from fupin.expectations import process
        from fupin.expectations.validate import import_gx_in_background
    except ImportError:
        return
    if not process.running():  # the validator process imports it already
        import_gx_in_background()


@task(name="validate", retries=0, cache_policy=NO_CACHE)
def validate(partitions: list[str], dims_dir: str, run_id: str, docs_dir: str) -> dict:
    """Great Expectations over the run's partitions, a group of partitions per call (raw text
    is not read: the suites do not use it), in the validator process when `fupin run` started
    one, else here (expectations/groups.py). Writes good_facts / quarantine / results Parquet
    into each partition; failing facts go to quarantine, never to good; if validation itself
    breaks, all facts of the group are quarantined. Data Docs are rendered afterwards, while
    the load runs."""
    log = get_run_logger()
    if not partitions:
        return {"good": 0, "quarantined": 0, "validated": False}
    from fupin.expectations import groups as vg
    from fupin.expectations import process

    try:
        from fupin.expectations.validate import validate_run
    except ImportError as e:
        log.warning("expectations.validate is not available (%s): facts are loaded unvalidated", e)
        validate_run = None
    dims = None  # read only if a group is validated here
    docs_keys: list = []  # of the groups validated here
    remote_groups = 0
    n_good = n_quar = 0
    for group in vg.validation_groups(partitions, settings().validate_chunk_facts):
        out = None
        if validate_run is not None and process.running():
            out = process.result(process.submit(vg.validate_group_job, [str(p) for p in group], dims_dir, run_id,
                                                docs_dir))
            remote_groups += out is not None
            if out is None:
                log.warning("the validator process is gone; validating %s..%s in the flow's process",
                            group[0].name, group[-1].name)
        if out is None:  # no validator process, or it died: validate here
            dims = vg.read_dims(dims_dir) if dims is None else dims
            out = vg.validate_group(group, dims, run_id, docs_dir, validate_run, docs_keys)
        good, quar, broke = out
        if broke:
            log.error("validation of %s..%s failed (%s); their facts go to quarantine",
                      group[0].name, group[-1].name, broke)
        n_good += good
        n_quar += quar
    builds = _DOCS.setdefault(str(Path(docs_dir).resolve()), [])
    if remote_groups:
        builds.append(process.submit(vg.build_docs_job, docs_dir, run_id))
    if docs_keys:
        from fupin.expectations.validate import build_docs_in_background
        builds.append(build_docs_in_background(Path(docs_dir), docs_keys))
    log.info("validation: %d facts good, %d quarantined", n_good, n_quar)
    return {"good": n_good, "quarantined": n_quar, "validated": validate_run is not None}


_DOCS: dict[str, list] = {}  # docs folder -> futures of the Data Docs builds validate started


def _wait_for_data_docs(docs_dir: Path, log) -> None:
    """Join the Data Docs builds that validate started; a failure there is a warning: the
    facts were validated and loaded all the same."""
    for fut in _DOCS.pop(str(Path(docs_dir).resolve()), []):
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

    stats = store.load_run(warehouse, run_id, partitions, discovered_parquet, input_dir, dims_dir,
                           prune=prune, reprocess=reprocess, counts=counts, log=log,
                           extractor_version=extractor_version(), manifest=manifest)
    log.info("loaded in one transaction: %d facts, %d quarantined, %d sources pruned, %d articles removed",
             stats["facts_loaded"], stats["facts_quarantined"], stats["sources_pruned"], stats["articles_removed"])
    return stats


# ----------------------------------------------------------------------------- flow

def _write_dims(run_dir: Path, log) -> str:
    from fupin.warehouse.dims import build_dims

    d = run_dir / "dims"
    d.mkdir(parents=True, exist_ok=True)
    for name, df in build_dims(log).items():
        df.write_parquet(d / f"{name}.parquet")
    return str(d)


def _markdown(summary: dict) -> str:
    try:
        from fupin.warehouse.report import run_markdown
        return run_markdown({**summary, "rejected": summary.get("rejects", [])})
    except Exception:  # noqa: BLE001 - the report module is optional
        rows = "\n".join(f"| {k} | {v} |" for k, v in summary.items() if not isinstance(v, (list, dict)))
        return f"# fupin run {summary.get('run_id')}\n\n| | |\n|---|---|\n{rows}\n"


# Progress of the batches, for the command line's progress bar: set_progress(callback);
# callback(total=N) once the plan knows the files to process, callback(advance=n) as each
# batch of n files is done, callback(step=...) when validation and the load begin. Only in the flow's own process (the CLI's), never on Dask workers.
_progress = None


def set_progress(callback) -> None:
    global _progress
    _progress = callback


def _report_progress(**kw) -> None:
    if _progress is not None:
        _progress(**kw)


def _batches_in_order(futures: list, sizes: list[int]) -> list[str]:
    """Each batch's partition, in batch order, reporting each batch as it finishes."""
    if _progress is None:
        return [f.result() for f in futures]
    from prefect.futures import as_completed

    index = {id(f): k for k, f in enumerate(futures)}
    out: list[str | None] = [None] * len(futures)
    for f in as_completed(futures):
        k = index[id(f)]
        out[k] = f.result()
        _report_progress(advance=sizes[k])
    return out


@flow(name="fupin-pipeline", task_runner=ThreadPoolTaskRunner(max_workers=2), log_prints=True)
def fupin_pipeline(input_dir: str | None = None, warehouse: str | None = None, prune: bool = False,
                   stage_dir: str | None = None, batch_size: int = DEFAULT_BATCH_SIZE, reprocess: bool = False,
                   report: bool = True, lock_wait: float = 0.0, report_dir: str | None = None,
                   run_id: str | None = None, print_summary: bool = False,
                   manifest: str | None = None) -> dict:
    """Stage, extract, validate and load the articles under input_dir into the warehouse.
    Reports go to report_dir (default <warehouse>.reports/), Data Docs to <report_dir>/data_docs
    when report_dir is given, else <warehouse>.data_docs/. print_summary: print the run's
    summary on stdout at the end (scheduled runs of `fupin serve`). manifest: a manifest file
    (default: manifest.csv / manifest.jsonl in input_dir)."""
    log = get_run_logger()
    inp, wh = resolve_input(input_dir), resolve_warehouse(warehouse)
    sd = resolve_stage_dir(stage_dir, wh)
    reports = resolve_report_dir(report_dir, wh)
    docs_dir = reports / "data_docs" if report_dir else resolve_docs_dir(wh)
    lock.acquire(wh, wait=lock_wait)  # WarehouseBusy -> the run fails with a clear message
    run_id = run_id or new_run_id()
    run_dir = sd / run_id
    started = dt.datetime.now(dt.timezone.utc)
    try:
        from prefect.runtime import flow_run
        prefect_id = str(flow_run.id) if flow_run.id else None
    except Exception:  # noqa: BLE001
        prefect_id = None
    log.info("run %s: input %s -> warehouse %s (stage %s)", run_id, inp, wh, run_dir)
    summary = {"run_id": run_id, "status": "failed", "input_dir": str(inp), "warehouse": str(wh)}
    step = "start"
    try:
        for dead in store.begin_run(wh, run_id, str(inp), prefect_id, log=log):
            if (sd / dead).is_dir():  # partitions of a run that was killed: never loaded
                log.info("removing stage files of crashed run %s", dead)
                shutil.rmtree(sd / dead, ignore_errors=True)
        step = "discovery"
        man, man_load = read_manifest(str(inp), manifest, run_dir, log)
        paths = discover(str(inp), man.path)
        if not reprocess:
            from fupin.transforms.version import extractor_digest as extractor_version  # stdlib: no extraction import

            stale = store.stale_extractor(wh, extractor_version())
            if stale:
                # Facts made by other rules or code would sit beside new ones: re-extract all.
                log.info("the warehouse was extracted by extractor %s, this is %s: re-extracting every article",
                         stale, extractor_version())
                reprocess = True
        p = plan(paths, str(wh), str(run_dir), batch_size, reprocess, man)
        if p["batches"]:  # something to validate later
            _prefetch_validation()
        step = "extraction"
        _report_progress(total=sum(map(len, p["batches"])))
        futures = [process_batch.submit(b, str(sd), run_id, k, p["skip_extract"][k], p["manifest"][k])
                   for k, b in enumerate(p["batches"])]
        partitions = _batches_in_order(futures, [len(b) for b in p["batches"]])
        dims_dir = _write_dims(run_dir, log)
        new_rejects = (pl.concat([pl.read_parquet(Path(x) / "rejects.parquet") for x in partitions])
                       if partitions else pl.DataFrame(schema=stg.REJECT_STAGED))
        n_staged = sum(pl.scan_parquet(Path(x) / "articles.parquet").select(pl.len()).collect().item()
                       for x in partitions)
        step = "validation"
        _report_progress(step="validating")
        v = validate(partitions, dims_dir, run_id, str(docs_dir))
        counts = {"discovered": p["discovered"], "staged": n_staged, "skipped": p["skipped"],
                  "rejected": new_rejects.height}
        step = "load"
        _report_progress(step="loading")
        stats = load(str(wh), run_id, partitions, p["discovered_parquet"], str(inp), dims_dir, prune, reprocess,
                     counts, man_load)
        step = "data docs"
        _wait_for_data_docs(docs_dir, log)
        summary.update(counts)
        summary["reprocessed"] = reprocess
        summary.update(stats)
        summary.update({"status": "succeeded", "validated": v["validated"],
                        "rejects": new_rejects.select("source_file", "reason", "detail").to_dicts(),
                        "manifest": man.path, "manifest_issues": [vars(i) for i in man.issues],
                        "started_at": started.isoformat(),
                        "seconds": round((dt.datetime.now(dt.timezone.utc) - started).total_seconds(), 1)})
        shutil.rmtree(run_dir, ignore_errors=True)
        try:
            sd.rmdir()  # only if empty
        except OSError:
            pass
    except KeyboardInterrupt:
        # Ctrl-C: not a failure. A run whose load committed stays succeeded (the update only
        # touches a row still 'running'); nothing of an unloaded run is worth keeping.
        store.interrupt_run(wh, run_id, f"interrupted (Ctrl-C) during {step}")
        log.warning("run %s interrupted during %s", run_id, step)
        shutil.rmtree(run_dir, ignore_errors=True)
        raise
    except BaseException as e:
        store.fail_run(wh, run_id, f"{type(e).__name__}: {e}")
        log.error("run %s failed: %s: %s (stage files kept in %s)", run_id, type(e).__name__, e, run_dir)
        raise
    finally:
        lock.release(wh)
    if report:
        try:
            from fupin.warehouse.report import write_report
            out = write_report(wh, reports, docs_dir, max_pages=settings().run_review_pages)
            summary["report"] = str(out)
            log.info("report written to %s", out)
        except ImportError:
            pass
        except Exception as e:  # noqa: BLE001 - a report problem does not undo a loaded run
            log.warning("the HTML report could not be written: %s: %s", type(e).__name__, e)
    try:
        from prefect.artifacts import create_markdown_artifact
        create_markdown_artifact(markdown=_markdown(summary), key="fupin-run-summary",
                                 description=f"fupin run {run_id}")
    except Exception as e:  # noqa: BLE001
        log.warning("could not create the run summary artifact: %s", e)
    if print_summary:
        import sys

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
