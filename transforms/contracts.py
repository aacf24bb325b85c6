"""The contracts of fupin's tables: one place that says which columns each stage hands the
next, which values an enumerated column may take, and the few constants every layer shares.

Bottom layer: polars only, no fupin import. Everything else derives from it or is tested
against it: the stage frames (`conform`), the loader's column lists (warehouse/store.py),
the dimension frames (warehouse/dims.py), the Great Expectations value sets
(expectations/validate.py), and warehouse/schema.sql (tests/test_contracts.py compares the
DDL of a new and of an upgraded warehouse with TABLES).
"""
from __future__ import annotations

import polars as pl

# ----------------------------------------------------------------------------- constants

COUNTRY_CODE = "100000"  # the whole country (GB/T 2260 has no code for it)
# The years a fact or a dim_year row may have: 1949 (the People's Republic) .. 2100.
YEAR_MIN, YEAR_MAX = 1949, 2100
YEARS_AHEAD = 15  # a target may lie this far after the publication year

# ----------------------------------------------------------------------------- enums

QUALIFIERS = ("exact", "approx", "more_than", "at_least", "less_than")
KINDS = ("actual", "target")
SCOPES = ("region", "local", "entity", "person", "threshold")
# How an article's text was read: a text file, a JSON Lines record, a web page (also one saved as .txt).
INPUT_KINDS = ("txt", "jsonl", "html")
# The codec an article's bytes were decoded with (Python codec names, as bytes.decode takes them).
ENCODINGS = (
    "utf-8", "utf-8-sig", "utf_8", "utf8", "ascii",
    "gb18030", "gbk", "gb2312", "cp936", "hz",
    "big5", "big5hkscs", "cp950",
    "utf-16", "utf-16-le", "utf-16-be", "utf-32",
)
# Reject reasons that depend only on the file's content: while the content is the same,
# reading it again gives the same reject (warehouse/changes.py skips such files).
CONTENT_REASONS = frozenset({"empty", "binary", "undecodable", "html", "too_large", "no_main_text", "bad_line"})

# ----------------------------------------------------------------------------- stage frames

# What the input said about an article (a manifest row, the JSON Lines record, the page's own
# metadata), null where it said nothing; extraction takes them
# (transforms.extract.extract_article(known=...)).
KNOWN = {
    "known_pub_date": pl.Date,
    "known_pub_date_source": pl.Utf8,  # manifest | jsonl | html_meta
    "known_title": pl.Utf8,
    "known_url": pl.Utf8,
    "known_outlet": pl.Utf8,
    "known_region": pl.Utf8,  # a region name or code: the main region where the text names none
}
# One staged (decoded) article. article_id is the sha256 of the raw bytes (of a JSON Lines
# record's text; of an HTML page), so the same content under two names is one article with
# two sources.
ARTICLE = {
    "article_id": pl.Utf8,
    "source_file": pl.Utf8,
    "source_path": pl.Utf8,  # the file; '<file>#L<n>' for line n of a JSON Lines file
    "size_bytes": pl.Int64,
    "encoding": pl.Utf8,     # the codec (ENCODINGS)
    "input_kind": pl.Utf8,   # txt | jsonl | html (INPUT_KINDS)
    "raw_text": pl.Utf8,
    "file_path": pl.Utf8,    # the file on disk
    "line_no": pl.Int64,     # JSON Lines: the line (1-based)
    "file_hash": pl.Utf8,    # sha256 of the file's bytes: what incremental runs compare
    "known_digest": pl.Utf8,  # digest of the manifest's row for the file (flows.manifest)
    "attributes": pl.Utf8,   # JSON object: the manifest's extra columns for the file
    **KNOWN,
}
# What extraction learns about an article as a whole.
ARTICLE_META = {
    "article_id": pl.Utf8,
    "title": pl.Utf8,
    "pub_date": pl.Date,
    "pub_date_source": pl.Utf8,  # manifest | jsonl | html_meta | dateline | wire_dateline_year_inferred | wire_dateline_before_repost | dateline_before_known_date | original_dateline | text_latest_year | text_anniversary | unknown
    "pub_date_precision": pl.Utf8,  # day | year (pub_date is then 1 January) | null: no date
    "outlet": pl.Utf8,
    "url": pl.Utf8,
    "main_region_code": pl.Utf8,
    "n_chars": pl.Int64,
}
# One quantity mention. char_start/char_end index the raw decoded text (Python str offsets).
FACT = {
    "article_id": pl.Utf8,
    "char_start": pl.Int64,
    "char_end": pl.Int64,
    "surface": pl.Utf8,
    "value": pl.Float64,
    "value_base": pl.Float64,
    "unit_code": pl.Utf8,
    "qualifier": pl.Utf8,  # QUALIFIERS
    "indicator_code": pl.Utf8,
    "indicator_text": pl.Utf8,
    "year": pl.Int64,
    "year_source": pl.Utf8,
    "region_code": pl.Utf8,
    "region_source": pl.Utf8,
    "kind": pl.Utf8,  # KINDS
    "scope": pl.Utf8,  # SCOPES
    "context": pl.Utf8,  # the normalised clause the fact came from, for reading
    "change_direction": pl.Utf8,  # decrease | increase: the number is the size of a change (下降1.2个百分点); null: a level
    "confidence": pl.Float64,  # probability that every attribute is right, in [0, 1]
}
# A fact that failed validation: the names of the expectations it failed, comma-joined.
QUARANTINE = {**FACT, "failed_expectation": pl.Utf8}
# A file (or JSON Lines line) that could not be staged.
REJECT = {
    "source_path": pl.Utf8,
    "source_file": pl.Utf8,
    "reason": pl.Utf8,  # short code: empty | binary | undecodable | unreadable | vanished | too_large ...
    "detail": pl.Utf8,  # a sentence a person understands
}
REJECT_STAGED = {**REJECT, "content_hash": pl.Utf8, "size_bytes": pl.Int64, "file_path": pl.Utf8}
# One expectation's outcome on one group of partitions.
RESULTS = {
    "run_id": pl.Utf8,
    "suite": pl.Utf8,
    "expectation": pl.Utf8,
    "column": pl.Utf8,
    "success": pl.Boolean,
    "unexpected_count": pl.Int64,
    "element_count": pl.Int64,
    "details": pl.Utf8,
}

# ----------------------------------------------------------------------------- warehouse tables

_RUN = {"run_id": pl.Utf8}
# Column -> type of the warehouse tables whose columns come from a stage contract or feed a
# derived list (warehouse/schema.sql declares them; the test checks it does so exactly).
TABLES: dict[str, dict] = {
    "stg_articles": {**{c: ARTICLE[c] for c in ("article_id", "source_file", "source_path", "size_bytes",
                                                "encoding")},
                     "raw_text": pl.Utf8, "n_chars": pl.Int64, "loaded_at": pl.Datetime("us", "UTC"), **_RUN,
                     "input_kind": pl.Utf8},
    "fct_facts": {"fact_id": pl.Utf8, **FACT, **_RUN},
    "quarantine_facts": {"fact_id": pl.Utf8, **QUARANTINE, **_RUN},
    "validation_results": {**_RUN, "batch": pl.Utf8, **{c: t for c, t in RESULTS.items() if c != "run_id"}},
    "dim_region": {"region_code": pl.Utf8, "name": pl.Utf8, "short_name": pl.Utf8, "level": pl.Utf8,
                   "parent_code": pl.Utf8, "province_code": pl.Utf8, "valid_from": pl.Date, "valid_to": pl.Date,
                   "status": pl.Utf8, "successor_code": pl.Utf8, "successor_codes": pl.List(pl.Utf8),
                   "source": pl.Utf8, "aliases": pl.List(pl.Utf8)},
    "dim_indicator": {c: pl.Utf8 for c in ("indicator_code", "name_zh", "name_en", "category", "unit_code",
                                           "definition")},
    "dim_unit": {c: pl.Utf8 for c in ("unit_code", "name_zh", "name_en", "surface_examples", "rule")},
    "dim_year": {"year": pl.Int32, "decade": pl.Int32, "five_year_plan": pl.Int32, "five_year_plan_name": pl.Utf8},
}
# The key each of them is loaded by (schema.sql declares it as PRIMARY KEY).
KEYS = {"stg_articles": ("article_id",), "fct_facts": ("fact_id",), "quarantine_facts": ("fact_id",),
        "dim_region": ("region_code", "valid_from"), "dim_indicator": ("indicator_code",),
        "dim_unit": ("unit_code",), "dim_year": ("year",)}
DIM_TABLES = ("dim_region", "dim_indicator", "dim_unit")
DIM_COLUMNS = {name: list(TABLES[name]) for name in (*DIM_TABLES, "dim_year")}

# The DuckDB type of each polars type used above.
_DUCKDB = {pl.Utf8: "VARCHAR", pl.Int64: "BIGINT", pl.Int32: "INTEGER", pl.Float64: "DOUBLE", pl.Date: "DATE",
           pl.Boolean: "BOOLEAN", pl.Datetime("us", "UTC"): "TIMESTAMP WITH TIME ZONE",
           pl.List(pl.Utf8): "VARCHAR[]"}


def duckdb_type(t) -> str:
    return _DUCKDB[t]


def columns(table: str) -> list[str]:
    return list(TABLES[table])


# ----------------------------------------------------------------------------- frames

def empty(schema: dict) -> pl.DataFrame:
    return pl.DataFrame(schema=schema)


def conform(df: pl.DataFrame, schema: dict) -> pl.DataFrame:
    """Select and cast to the contract; missing columns become nulls."""
    return df.select([
        (pl.col(c) if c in df.columns else pl.lit(None)).cast(t).alias(c) for c, t in schema.items()
    ])
