"""Dimension frames for a run: regions (from transforms.regions), indicators and units
(from the seed CSVs). Used both for validation (codes) and for loading."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import polars as pl

from fupin import SEEDS


REGION_COLS = {
    "region_code": pl.Utf8, "name": pl.Utf8, "short_name": pl.Utf8, "level": pl.Utf8, "parent_code": pl.Utf8,
    "province_code": pl.Utf8, "valid_from": pl.Date, "valid_to": pl.Date, "successor_code": pl.Utf8,
    "source": pl.Utf8, "aliases": pl.List(pl.Utf8),
}


class DimensionUnavailable(RuntimeError):
    pass


def _as_date(s: pl.Series) -> pl.Series:
    if s.dtype == pl.Date:
        return s
    if s.dtype.is_temporal():
        return s.cast(pl.Date)
    if s.dtype.is_integer():  # a year
        return s.map_elements(lambda y: dt.date(int(y), 1, 1) if y is not None else None, return_dtype=pl.Date)
    return s.cast(pl.Utf8).str.to_date(strict=False)


def dim_region() -> pl.DataFrame:
    """build_dim_region() conformed to REGION_COLS (extra producer columns are kept)."""
    try:
        from fupin.transforms.regions import build_dim_region
    except ImportError as e:
        raise DimensionUnavailable(f"transforms.regions.build_dim_region is not available yet ({e}); "
                                   "dim_region is left as it is and region names will be missing") from None
    df = build_dim_region()
    cols = []
    for c, t in REGION_COLS.items():
        if c not in df.columns:
            cols.append(pl.lit(None).cast(t).alias(c))
        elif c in ("valid_from", "valid_to"):
            cols.append(_as_date(df[c]).alias(c))
        elif c == "aliases":
            cols.append(pl.col(c) if df[c].dtype == pl.List(pl.Utf8) else pl.col(c).cast(pl.List(pl.Utf8), strict=False))
        else:
            cols.append(pl.col(c).cast(t, strict=False))
    extra = [c for c in df.columns if c not in REGION_COLS]
    return df.select(cols + extra)


def dim_csv(name: str) -> pl.DataFrame:
    """seeds/<name>.csv, every column as text (the files may grow columns)."""
    return pl.read_csv(SEEDS / f"{name}.csv", infer_schema=False)


def build_dims(log=None) -> dict[str, pl.DataFrame]:
    dims = {"dim_indicator": dim_csv("indicators"), "dim_unit": dim_csv("units")}
    try:
        dims["dim_region"] = dim_region()
    except DimensionUnavailable as e:
        if log:
            log.warning(str(e))
    return dims
