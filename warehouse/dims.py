"""Dimension frames for a run: regions (transforms.regions, from seeds/areacodes.csv),
indicators and units (the seed CSVs), in the columns warehouse/schema.sql declares for
them. Used both for validation (codes) and for loading."""
from __future__ import annotations

import polars as pl

from fupin import SEEDS

# The declared columns of each dimension table, in order (warehouse/schema.sql).
DIM_COLUMNS = {
    "dim_region": ["region_code", "name", "short_name", "level", "parent_code", "province_code", "valid_from",
                   "valid_to", "status", "successor_code", "successor_codes", "source", "aliases"],
    "dim_indicator": ["indicator_code", "name_zh", "name_en", "category", "unit_code", "definition"],
    "dim_unit": ["unit_code", "name_zh", "name_en", "surface_examples", "rule"],
}


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
