"""Is there anything for a flow run to do? The "Nothing to be done" check of `fupin run`.

A flow run costs seconds before it does any work (importing Prefect, a temporary Prefect
API server when PREFECT_API_URL is unset, the flow, validation set-up, the report), while
deciding that nothing changed takes hashing the files and one read of the warehouse.
`check()` answers with the same rules the flow uses (flows/pipeline.py plan and the flow
body, warehouse/load.py) and imports neither Prefect, Great Expectations nor the
extraction code. The caller holds the warehouse's OS lock around check() and record() so
no run interleaves.

A flow run could change something (other than `runs`) unless ALL of these hold:

* the warehouse exists, holds articles, and was extracted by this extractor version
  (else the flow loads a first time or re-extracts everything);
* the manifest (flows/manifest.py) is the one the last flow run read, byte for byte;
* every input file under the input folder is at rest (warehouse.changes.classify, the rule
  the plan and the load use): its path is a source with the same content hash and manifest
  row, or a reject for a content reason (empty, binary, ...) with the same hash;
* every reject recorded under the input folder is such a discovered, skipped reject (the
  load mirrors `rejects` onto the folder: a removed rejected file, or one rejected for a
  retryable reason such as vanished/unreadable, would change `rejects`);
* with prune: every source recorded under the input folder is still there;
* no article is left without a source (the load would remove it) and no run is left
  'running' (a crashed run: the flow marks it and removes its stage files).
"""
from __future__ import annotations

import datetime as dt
import os
import time
from dataclasses import dataclass, field
from pathlib import Path

from fupin.flows.config import new_run_id

MESSAGE = "nothing new: no flow run started"


@dataclass
class UpToDate:
    up_to_date: bool
    reason: str          # why a flow run is needed, or a short "nothing new" note
    discovered: int = 0  # input files under the input folder (all skipped when up_to_date)
    seconds: float = 0.0
    manifest_issues: list = field(default_factory=list)  # flows.manifest.Issue, still to report


def check(input_dir: str | os.PathLike, warehouse: str | os.PathLike, prune: bool = False,
          manifest: str | os.PathLike | None = None) -> UpToDate:
    """Would a flow run over input_dir change the warehouse (beyond adding its `runs` row)?
    Hashes every discovered file serially with transforms.stage.hash_file, as the plan does."""
    t0 = time.perf_counter()
    from fupin.flows import manifest as mf
    from fupin.flows import stage as stg
    from fupin.transforms.version import extractor_digest
    from fupin.warehouse import changes, store

    def no(reason: str, n: int = 0) -> UpToDate:
        return UpToDate(False, reason, n, round(time.perf_counter() - t0, 3))

    inp, wh = Path(input_dir), Path(warehouse)
    if not wh.exists():
        return no("there is no warehouse yet")
    state = store.read_state(wh)
    if not state["article_ids"]:
        return no("the warehouse holds no articles yet")
    version = extractor_digest()
    if state["extractor_version"] != version:
        return no(f"the warehouse was extracted by extractor {state['extractor_version'] or 'unknown'}, "
                  f"this is {version}")
    if state["running_runs"]:
        return no("a run was left 'running' (crashed): the flow cleans it up")
    sources, rejects = state["sources"], state["rejects"]
    if not set(state["article_ids"]) <= state["source_ids"]:
        return no("articles without a source are left to remove")
    man = mf.read(mf.locate(inp, manifest), inp)
    root = os.path.join(os.path.abspath(inp), "")
    if state["manifests"].get(root, "") != (man.digest or ""):
        return no("the manifest changed")

    paths = stg.discover(inp, man.path)
    found = set(paths)
    for p in paths:
        hs = stg.hash_file(p)
        change = changes.classify(p, hs[0] if hs else None, sources, rejects,
                                  state["known"].get(p) == man.known_digest(p))
        if change not in changes.AT_REST:
            return no(f"{p}: {changes.NEEDS_FLOW[change]}", len(paths))

    gone = next((p for p in rejects if p.startswith(root) and p not in found), None)
    if gone:
        return no(f"the rejected file {gone} was removed: its reject goes", len(paths))
    if prune:
        gone = next((p for p in sources if p.startswith(root) and p not in found), None)
        if gone:
            return no(f"{gone} was removed and --prune drops its source", len(paths))
    return UpToDate(True, "nothing new since the last run", len(paths), round(time.perf_counter() - t0, 3),
                    [vars(i) for i in man.issues])


def record(input_dir: str | os.PathLike, warehouse: str | os.PathLike, result: UpToDate,
           started_at: dt.datetime | None = None) -> dict:
    """Add the 'up_to_date' row to `runs`; return a summary for flows.cli.format_summary."""
    from fupin.warehouse import store

    run_id = new_run_id()
    started_at = started_at or dt.datetime.now(dt.timezone.utc)
    store.record_up_to_date(warehouse, run_id, str(input_dir), started_at, result.discovered, MESSAGE)
    return {"run_id": run_id, "status": "up_to_date", "input_dir": str(input_dir), "warehouse": str(warehouse),
            "discovered": result.discovered, "staged": 0, "skipped": result.discovered, "rejected": 0,
            "facts_loaded": 0, "facts_quarantined": 0, "validation_passed": None, "rejects": [],
            "manifest_issues": result.manifest_issues,
            "seconds": round((dt.datetime.now(dt.timezone.utc) - started_at).total_seconds(), 1)}
