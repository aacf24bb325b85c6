"""Dimension frames for a run: regions (transforms.regions, from seeds/areacodes.csv),
indicators and units (the seed CSVs), in the columns transforms/contracts.py declares for
them (and warehouse/schema.sql, tested against it). Used both for validation (codes) and for loading."""
from __future__ import annotations

import polars as pl

from fupin import SEEDS
from fupin.transforms.contracts import DIM_COLUMNS


def _year_to_date(col: str) -> pl.Expr:
    """A year (the table's granularity) as 1 January of it: DATE columns compare with dates."""
    return pl.date(pl.col(col), 1, 1).alias(col)


def dim_region() -> pl.DataFrame:
    """transforms.regions.build_dim_region() with its years as dates."""
    from fupin.transforms.regions import build_dim_region

    return (build_dim_region().with_columns(_year_to_date("valid_from"), _year_to_date("valid_to"))
            .select(DIM_COLUMNS["dim_region"]))


def dim_csv(name: str, table: str) -> pl.DataFrame:
    """seeds/<name>.csv as text, in the table's declared columns (a column the file lacks is
    null; one the table does not declare is left out)."""
    df = pl.read_csv(SEEDS / f"{name}.csv", infer_schema=False)
    return df.select([pl.col(c) if c in df.columns else pl.lit(None, pl.Utf8).alias(c) for c in DIM_COLUMNS[table]])


def build_dims(log=None) -> dict[str, pl.DataFrame]:
    return {"dim_indicator": dim_csv("indicators", "dim_indicator"), "dim_unit": dim_csv("units", "dim_unit"),
            "dim_region": dim_region()}
