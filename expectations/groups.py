"""Validating a run's partitions, a group of consecutive partitions per Great Expectations
call; plain functions (no Prefect), run by the flow's validate task in its own process or in
the validator process (expectations/process.py).

An article that is in several partitions (same content under names in different batches)
is validated once, in the first partition holding it: the one the loader takes it from.
Failing facts go to quarantine, never to good; if validation itself breaks, all facts of the
group are quarantined.
"""
from __future__ import annotations

from pathlib import Path

import polars as pl

from fupin.transforms.checkpoints import checkpoint
from fupin.transforms.contracts import FACT, QUARANTINE, conform, empty
from fupin.warehouse.load import first_copies


def validation_groups(partitions: list[str], chunk_facts: int) -> list[list[Path]]:
    """Consecutive partitions grouped until a group holds >= chunk_facts facts: one Great
    Expectations call per group instead of one per partition (each call has a fixed cost)."""
    groups, cur, n = [], [], 0
    for part in map(Path, partitions):
        cur.append(part)
        n += pl.scan_parquet(part / "facts.parquet").select(pl.len()).collect().item()
        if n >= chunk_facts:
            groups.append(cur)
            cur, n = [], 0
    if cur:
        groups.append(cur)
    return groups


def error_frames(facts: pl.DataFrame, run_id: str, err: Exception):
    """(good, quarantine, results) when validation itself broke: every fact quarantined."""
    q = facts.with_columns(pl.lit(f"validation_error: {type(err).__name__}").alias("failed_expectation"))
    res = pl.DataFrame([{"run_id": run_id, "suite": "fupin", "expectation": "validation_ran", "column": None,
                         "success": False, "unexpected_count": facts.height, "element_count": facts.height,
                         "details": f"{type(err).__name__}: {err}"[:1000]}])
    return empty(FACT), q, res


def read_dims(dims_dir: str | Path) -> dict[str, pl.DataFrame]:
    return {p.stem: pl.read_parquet(p) for p in Path(dims_dir).glob("*.parquet")}


def validate_group(group: list[Path], dims: dict[str, pl.DataFrame], run_id: str, docs_dir: str | Path,
                   docs_keys: list | None) -> tuple[int, int, str | None]:
    """Validate one group of partitions and write good_facts / quarantine / results Parquet
    into them. Returns (good, quarantined, what broke validation or None)."""
    from fupin.expectations.validate import validate_run

    group = [Path(p) for p in group]
    art_cols = ["article_id", "source_file", "source_path", "size_bytes", "encoding", "input_kind"]
    arts = pl.concat([pl.read_parquet(p / "articles.parquet", columns=art_cols).with_columns(
        pl.lit(i).alias("__part")) for i, p in enumerate(group)])
    # each article's first copy (the partition the load takes it from) among the group's
    part = {p.name.removeprefix("batch_"): i for i, p in enumerate(group)}
    owner = first_copies([str(p) for p in group]).select(
        "article_id", pl.col("batch").replace_strict(part, return_dtype=pl.Int32).alias("__part"))
    arts = arts.unique(subset="article_id", keep="first", maintain_order=True).drop("__part")
    meta = pl.concat([pl.read_parquet(p / "meta.parquet").with_columns(pl.lit(i).alias("__part"))
                      for i, p in enumerate(group)])
    meta = meta.join(owner, on=["article_id", "__part"], how="semi").drop("__part")
    arts = arts.join(meta.drop([c for c in meta.columns if c in arts.columns and c != "article_id"]),
                     on="article_id", how="left")
    facts = pl.concat([conform(pl.read_parquet(p / "facts.parquet"), FACT).with_columns(
        pl.lit(i).alias("__part")) for i, p in enumerate(group)])
    facts = facts.join(owner, on=["article_id", "__part"], how="semi").drop("__part")
    broke = None
    try:
        checkpoint("validate:batch")  # test hook: validation breaking mid-run
        good, quar, res = validate_run(arts, facts, dims, run_id, Path(docs_dir), docs_keys=docs_keys)
    except Exception as e:  # noqa: BLE001 - never load unvalidated facts as good
        broke = f"{type(e).__name__}: {e}"
        good, quar, res = error_frames(facts, run_id, e)
    good, quar = conform(good, FACT), conform(quar, QUARANTINE)
    for i, p in enumerate(group):
        mine = owner.filter(pl.col("__part") == i).select("article_id")
        good.join(mine, on="article_id", how="semi").write_parquet(p / "good_facts.parquet")
        quar.join(mine, on="article_id", how="semi").write_parquet(p / "quarantine.parquet")
    if res is not None and res.height:
        res.write_parquet(group[0] / "results.parquet")
    return good.height, quar.height, broke


# ---- jobs of the validator process: its Data Docs keys stay there, by run

_RUN_KEYS: dict[str, list] = {}


def validate_group_job(group: list[str], dims_dir: str, run_id: str, docs_dir: str) -> tuple[int, int, str | None]:
    checkpoint("validator:job")  # test hook: the validator process dying under a job
    return validate_group([Path(p) for p in group], read_dims(dims_dir), run_id, docs_dir,
                          _RUN_KEYS.setdefault(run_id, []))


def build_docs_job(docs_dir: str, run_id: str) -> None:
    from fupin.expectations.validate import build_docs

    keys = _RUN_KEYS.pop(run_id, [])
    if keys:
        build_docs(Path(docs_dir), keys)
