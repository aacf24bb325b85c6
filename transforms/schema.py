"""Column contracts between the stages. Every stage hands the next a polars frame of exactly
these columns, so the flow, the Parquet partitions written by Dask workers and the loader
agree without importing each other."""
import polars as pl

# One staged (decoded) article. article_id is the sha256 of the raw bytes (of a JSON Lines
# record's text; of an HTML page), so the same content under two names is one article with
# two sources. The known_* columns are what the input said about the article (a manifest
# row, the JSON Lines record, the page's own metadata), null where it said nothing;
# extraction takes them (transforms.extract.extract_article(known=...)).
KNOWN = {
    "known_pub_date": pl.Date,
    "known_pub_date_source": pl.Utf8,  # manifest | jsonl | html_meta
    "known_title": pl.Utf8,
    "known_url": pl.Utf8,
    "known_outlet": pl.Utf8,
    "known_region": pl.Utf8,  # a region name or code: the main region where the text names none
}
ARTICLE = {
    "article_id": pl.Utf8,
    "source_file": pl.Utf8,
    "source_path": pl.Utf8,  # the file; '<file>#L<n>' for line n of a JSON Lines file
    "size_bytes": pl.Int64,
    "encoding": pl.Utf8,     # the codec; 'jsonl' or 'html' for text taken from a record or a page
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
    "pub_date_source": pl.Utf8,  # manifest | jsonl | html_meta | dateline | wire_dateline_year_inferred | text_latest_year | unknown
    "pub_date_precision": pl.Utf8,  # day | month | year (pub_date is then 1 January) | null: no date
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
    "qualifier": pl.Utf8,  # exact | approx | more_than | at_least | less_than
    "indicator_code": pl.Utf8,
    "indicator_text": pl.Utf8,
    "year": pl.Int64,
    "year_source": pl.Utf8,
    "region_code": pl.Utf8,
    "region_source": pl.Utf8,
    "kind": pl.Utf8,  # actual | target
    "scope": pl.Utf8,  # region | local | entity | person | threshold
    "context": pl.Utf8,  # the normalised clause the fact came from, for reading
    "change_direction": pl.Utf8,  # decrease | increase: the number is the size of a change (下降1.2个百分点); null: a level
    "confidence": pl.Float64,  # probability that every attribute is right (calibrated, transforms.confidence)
}

# A file that could not be staged.
REJECT = {
    "source_path": pl.Utf8,
    "source_file": pl.Utf8,
    "reason": pl.Utf8,  # short code: empty | binary | undecodable | unreadable | vanished | too_large ...
    "detail": pl.Utf8,  # a sentence a person understands
}


def empty(schema: dict) -> pl.DataFrame:
    return pl.DataFrame(schema=schema)


def conform(df: pl.DataFrame, schema: dict) -> pl.DataFrame:
    """Select and cast to the contract; missing columns become nulls."""
    return df.select([
        (pl.col(c) if c in df.columns else pl.lit(None)).cast(t).alias(c) for c, t in schema.items()
    ])
