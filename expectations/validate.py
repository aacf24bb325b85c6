"""Great Expectations validation of one pipeline run.

    good_facts, quarantine, results = validate_run(articles, facts, dims, run_id, docs_dir)

Two suites run with real GX 1.x expectations, each on the whole frame in one batch:

* ``fupin_articles`` on the staged articles (ARTICLE + ARTICLE_META columns),
* ``fupin_facts`` on the extracted facts (FACT columns).

Every row-level fact expectation runs with result_format COMPLETE; the rows GX lists in
``unexpected_index_list`` go to quarantine with ``failed_expectation`` naming every
expectation they failed (comma-joined, in suite order). Polars only adds helper columns
GX compares against: ``year_max`` (publication year + 15), ``value_base_max`` (the unit's
plausible maximum, seeds/units.csv max_value_base), ``value_base_frac`` (distance of value_base from the
nearest whole number; 0 for an average, 户均/人均… in its context), and two membership flags, ``article_id_staged`` and
``region_code_known`` (the id/code is among the staged articles / in dim_region; null when
the value is null). The memberships are joins in polars because GX copies an expectation's
kwargs many times per validation: value sets of 10k ids and 3.5k codes cost ~10 s per 300k
facts there. Article-suite failures are reported in ``results`` but quarantine no facts
(a fact is judged on its own row).

Data Docs: a file-backed GX context lives in ``docs_dir/.gx`` (so results of earlier runs
stay listed in the index) and the site is built into ``docs_dir`` itself; open
``docs_dir/index.html``. Before a result is stored for the docs its long lists
(unexpected_list, unexpected_index_list) are cut off, so a run with 300k failing rows does
not write a 300k-row HTML page.

Great Expectations takes ~5 s to import, so it is imported inside the functions only
(declare_suites builds the suites); `fupin run` hides that import in the validator process
(expectations/process.py).
"""
from __future__ import annotations

import datetime as dt
import json
import math
import os
import pathlib
import threading
from concurrent.futures import Future
from functools import lru_cache
from typing import Any

import polars as pl

from fupin import SEEDS
from fupin.transforms.contracts import (ARTICLE, ARTICLE_META, ENCODINGS, FACT, INPUT_KINDS, KINDS, QUALIFIERS,
                                        QUARANTINE, RESULTS, SCOPES, YEAR_MAX, YEAR_MIN, YEARS_AHEAD, conform, empty)

SUITE_ARTICLES = "fupin_articles"
SUITE_FACTS = "fupin_facts"
SITE_NAME = "fupin"

WHOLE_TOLERANCE = 0.01  # a unit counted in whole things: value_base within this of an integer
# The rate units have a bound expectation each (named <unit>_value_base_at_most_<max>); every
# other unit's bound is checked by one expectation (value_base_within_unit_max), since one
# per unit would cost GX ~0.15 s each per batch.
RATE_UNITS = ("percent", "percentage_point")

DETAILS_MAX_CHARS = 1000
DOCS_KEEP_RUNS = 30  # Data Docs keep the validation results of this many latest runs
DOCS_PARTIAL_MAX = 20  # values/indices kept per expectation in the stored Data Docs result


class ValidationBroken(RuntimeError):
    """A fact expectation could not be evaluated (an error inside GX, a missing column)."""


@lru_cache(maxsize=1)
def unit_bounds() -> dict[str, tuple[float, bool]]:
    """unit_code -> (plausible maximum of value_base, counted in whole units), from the
    max_value_base and whole columns of seeds/units.csv: generous bounds, only there to catch
    parsing accidents (a date read as a count, 万 applied twice ...)."""
    import csv

    with (SEEDS / "units.csv").open(encoding="utf-8") as f:
        return {r["unit_code"]: (float(r["max_value_base"]), r["whole"] == "yes") for r in csv.DictReader(f)}


def _fmt_num(x: float) -> str:
    if x >= 1e6:
        exp = int(math.floor(math.log10(x)))
        return f"{x / 10 ** exp:g}e{exp}"
    return f"{x:g}"


def declare_suites() -> dict[str, list]:
    """The two suites, as Great Expectations objects: each is named by its meta fupin_name
    (what quarantine_facts.failed_expectation and validation_results show). Row-level fact
    expectations quarantine the rows they list; the rest are reported only."""
    import great_expectations.expectations as gxe
    from great_expectations.expectations.row_conditions import Column

    def named(name: str, exp, description: str | None = None):
        exp.meta = {"fupin_name": name}
        exp.description = description
        return exp

    bounds = unit_bounds()
    whole = [u for u, (_, w) in bounds.items() if w]
    others = {u: hi for u, (hi, _) in bounds.items() if u not in RATE_UNITS}
    articles = [
        named("article_id_not_null", gxe.ExpectColumnValuesToNotBeNull(column="article_id"),
              "every staged article has an id (sha256 of its bytes)"),
        named("article_id_unique", gxe.ExpectColumnValuesToBeUnique(column="article_id"),
              "one staged row per article id"),
        named("source_file_not_null", gxe.ExpectColumnValuesToNotBeNull(column="source_file"),
              "every staged article names its source file"),
        named("encoding_in_set", gxe.ExpectColumnValuesToBeInSet(column="encoding", value_set=list(ENCODINGS)),
              "the decoder is one of the known codecs"),
        named("encoding_not_null", gxe.ExpectColumnValuesToNotBeNull(column="encoding"),
              "every staged article says how it was decoded"),
        named("input_kind_in_set", gxe.ExpectColumnValuesToBeInSet(column="input_kind", value_set=list(INPUT_KINDS)),
              "the text was read from a text file, a JSON Lines record or a web page"),
        named("size_bytes_positive", gxe.ExpectColumnValuesToBeBetween(column="size_bytes", min_value=1),
              "empty files are rejected, not staged"),
    ]
    facts = [named(f"{c}_not_null", gxe.ExpectColumnValuesToNotBeNull(column=c), f"a fact needs its {c}")
             for c in ("article_id", "char_start", "char_end", "unit_code", "value_base", "year", "region_code")]
    facts += [
        named("char_start_non_negative", gxe.ExpectColumnValuesToBeBetween(column="char_start", min_value=0),
              "offsets index the decoded text from 0"),
        named("span_end_after_start", gxe.ExpectColumnPairValuesAToBeGreaterThanB(
            column_A="char_end", column_B="char_start", or_equal=False, ignore_row_if="either_value_is_missing"),
            "a span covers at least one character"),
        named("one_fact_per_span", gxe.ExpectCompoundColumnsToBeUnique(
            column_list=["article_id", "char_start", "char_end"], ignore_row_if="any_value_is_missing"),
            "one fact per (article, span); every copy of a duplicated span is held back"),
        # The two big memberships (10k article ids, ~3.5k region codes) are looked up by a
        # polars join into a flag that GX checks: handed to GX as value sets they cost ~10 s
        # per 300k facts in pydantic copies of the expectation's kwargs, not in checking.
        named("article_id_in_articles", gxe.ExpectColumnValuesToBeInSet(column="article_id_staged", value_set=[True]),
              "facts belong to articles staged in this run (article_id_staged: article_id is among the staged "
              "articles' ids)"),
        named("unit_code_in_dim_unit", gxe.ExpectColumnValuesToBeInSet(
            column="unit_code", value_set={"$PARAMETER": "dim_unit_codes"}), "unit_code is a code of dim_unit"),
        named("region_code_in_dim_region", gxe.ExpectColumnValuesToBeInSet(column="region_code_known", value_set=[True]),
              "region_code is a code of dim_region (region_code_known: the code is in dim_region)"),
        named("indicator_code_in_dim_indicator", gxe.ExpectColumnValuesToBeInSet(
            column="indicator_code", value_set={"$PARAMETER": "dim_indicator_codes"}),
            "indicator_code is a code of dim_indicator, or empty"),
        named("qualifier_in_set", gxe.ExpectColumnValuesToBeInSet(column="qualifier", value_set=list(QUALIFIERS))),
        named("kind_in_set", gxe.ExpectColumnValuesToBeInSet(column="kind", value_set=list(KINDS))),
        named("scope_in_set", gxe.ExpectColumnValuesToBeInSet(column="scope", value_set=list(SCOPES))),
        named("value_non_negative", gxe.ExpectColumnValuesToBeBetween(column="value", min_value=0),
              "numbers are written as non-negative (direction lives in the words)"),
        named("value_base_non_negative", gxe.ExpectColumnValuesToBeBetween(column="value_base", min_value=0),
              "base values are non-negative"),
        named("year_plausible", gxe.ExpectColumnValuesToBeBetween(column="year", min_value=YEAR_MIN, max_value=YEAR_MAX),
              f"the year lies in {YEAR_MIN}..{YEAR_MAX}"),
        named(f"year_within_pub_year_plus_{YEARS_AHEAD}", gxe.ExpectColumnPairValuesAToBeGreaterThanB(
            column_A="year_max", column_B="year", or_equal=True, ignore_row_if="either_value_is_missing"),
            f"the year is at most {YEARS_AHEAD} years after the article's publication year"),
        *[named(f"{u}_value_base_at_most_{_fmt_num(bounds[u][0])}", gxe.ExpectColumnValuesToBeBetween(
            column="value_base", min_value=0, max_value=bounds[u][0], row_condition=Column("unit_code") == u),
            f"value_base of a {u} fact lies in 0..{_fmt_num(bounds[u][0])}") for u in RATE_UNITS],
        # value_base_max: the unit's bound looked up by unit_code (value_base_frame)
        named("value_base_within_unit_max", gxe.ExpectColumnPairValuesAToBeGreaterThanB(
            column_A="value_base_max", column_B="value_base", or_equal=True, ignore_row_if="either_value_is_missing"),
            "value_base is at most the plausible maximum of its unit: "
            + ", ".join(f"{u} {_fmt_num(v)}" for u, v in others.items())),
        named("whole_number_for_counted_units", gxe.ExpectColumnValuesToBeBetween(
            column="value_base_frac", min_value=0, max_value=WHOLE_TOLERANCE,
            row_condition=Column("unit_code").is_in(whole)),
            "units counted in whole things (seeds/units.csv whole = yes) have whole numbers: " + ", ".join(whole)),
    ]
    return {SUITE_ARTICLES: articles, SUITE_FACTS: facts}


def fupin_name(exp) -> str:
    return (exp.meta or {})["fupin_name"]


def columns_of(exp) -> list[str]:
    """The columns an expectation reads: its column(s) and the one its row condition filters on."""
    cols = [getattr(exp, "column", None), getattr(exp, "column_A", None), getattr(exp, "column_B", None),
            *(getattr(exp, "column_list", None) or [])]
    cond = getattr(exp, "row_condition", None)
    cols.append(getattr(getattr(cond, "column", None), "name", None))
    return [c for c in cols if c]


def _column_of(exp) -> str | None:
    """The column(s) a results row names (not the row condition's)."""
    cols = columns_of(exp)
    if getattr(exp, "row_condition", None) is not None:
        cols = cols[:-1]
    return ",".join(cols) or None


# --------------------------------------------------------------------------------------
# GX plumbing

_CACHE: dict[str, tuple] = {}
_CACHE_LOCK = threading.Lock()


def import_gx():
    """great_expectations, imported with its usage analytics off (offline machines)."""
    os.environ.setdefault("GX_ANALYTICS_ENABLED", "False")
    import great_expectations

    return great_expectations


def _context(docs_dir: pathlib.Path):
    """(context, {suite name: suite}) for docs_dir: a file context in docs_dir/.gx with a
    Data Docs site writing into docs_dir. Kept per process, since a run validates many
    partitions into the same site and saving suites is the slow part of GX."""
    key = str(docs_dir.resolve())
    cached = _CACHE.get(key)
    if cached is not None and (docs_dir / ".gx" / "great_expectations.yml").exists():
        return cached
    gx = import_gx()
    from great_expectations.data_context.types.base import ProgressBarsConfig

    docs_dir.mkdir(parents=True, exist_ok=True)
    ctx = gx.get_context(mode="file", context_root_dir=str(docs_dir / ".gx"))
    ctx.variables.progress_bars = ProgressBarsConfig(globally=False, metric_calculations=False)
    site_config = {
        "class_name": "SiteBuilder",
        "show_how_to_buttons": False,
        "store_backend": {"class_name": "TupleFilesystemStoreBackend",
                          "base_directory": key},
        "site_index_builder": {"class_name": "DefaultSiteIndexBuilder"},
    }
    sites = ctx.list_data_docs_sites()
    if SITE_NAME in sites:
        ctx.update_data_docs_site(SITE_NAME, site_config)
    else:
        ctx.add_data_docs_site(SITE_NAME, site_config)
    suites = {name: _build_suite(ctx, name, exps) for name, exps in declare_suites().items()}
    _CACHE[key] = (ctx, suites)
    return ctx, suites


def _build_suite(ctx, name: str, expectations: list):
    import great_expectations as gx

    # built whole, then saved once (adding to a saved suite rewrites it per expectation)
    return ctx.suites.add_or_update(gx.ExpectationSuite(name=name, expectations=expectations))


def _batch(ctx, asset_name: str, pdf):
    ds = ctx.data_sources.add_or_update_pandas(name="fupin_frames")
    try:
        asset = ds.get_asset(asset_name)
    except LookupError:
        asset = ds.add_dataframe_asset(name=asset_name)
    try:
        bd = asset.get_batch_definition("whole_frame")
    except (KeyError, LookupError, ValueError):
        bd = asset.add_batch_definition_whole_dataframe("whole_frame")
    return bd.get_batch(batch_parameters={"dataframe": pdf})


def _jsonable(v: Any) -> Any:
    if isinstance(v, float) and (math.isnan(v) or math.isinf(v)):
        return None
    if isinstance(v, (str, int, float, bool)) or v is None:
        return v
    if isinstance(v, dict):
        return {str(k): _jsonable(x) for k, x in v.items()}
    if isinstance(v, (list, tuple)):
        return [_jsonable(x) for x in v]
    try:  # numpy scalars
        return _jsonable(v.item())
    except Exception:
        return str(v)


def _exception_of(er) -> str | None:
    """The error GX caught while evaluating an expectation, if any. exception_info is either
    {raised_exception, exception_message, ...} or a dict of those keyed by metric."""
    info = er.exception_info or {}
    found = [info] if "raised_exception" in info else [v for v in info.values() if isinstance(v, dict)]
    msgs = [str(i.get("exception_message") or "error") for i in found
            if i.get("raised_exception", True) and (i.get("exception_message") or i.get("exception_traceback"))]
    return "; ".join(msgs) if msgs else None


def _details(er) -> str:
    res = er.result or {}
    cfg = er.expectation_config
    d: dict[str, Any] = {"type": cfg.type}
    kw = {k: v for k, v in cfg.kwargs.items() if k not in ("column", "row_condition", "condition_parser")
          and v is not None and k not in ("batch_id",)}
    if isinstance(kw.get("value_set"), list) and len(kw["value_set"]) > 12:
        kw["value_set"] = kw["value_set"][:12] + ["…"]
    if kw:
        d["kwargs"] = kw
    if cfg.kwargs.get("row_condition") is not None:
        d["row_condition"] = str(cfg.kwargs["row_condition"])
    for k in ("unexpected_percent", "observed_value", "missing_count"):
        if k in res:
            d[k] = res[k]
    if res.get("partial_unexpected_list"):
        d["sample_unexpected"] = res["partial_unexpected_list"][:5]
    if _exception_of(er):
        d["exception"] = _exception_of(er)[:300]
    s = json.dumps(_jsonable(d), ensure_ascii=False, default=str)
    if len(s) > DETAILS_MAX_CHARS:
        s = s[: DETAILS_MAX_CHARS - 1] + "…"
    return s


def _trim_for_docs(er) -> None:
    """Cut the long lists off a result before it is stored for Data Docs."""
    res = er.result or {}
    for k in ("unexpected_list", "unexpected_index_list", "unexpected_index_query"):
        res.pop(k, None)
    for k in ("partial_unexpected_list", "partial_unexpected_index_list",
              "partial_unexpected_counts"):
        if isinstance(res.get(k), list):
            res[k] = res[k][:DOCS_PARTIAL_MAX]
    # resolved suite parameters (thousands of region codes) would bloat the page
    vs = er.expectation_config.kwargs.get("value_set")
    if isinstance(vs, (list, set, tuple)) and len(vs) > 30:
        er.expectation_config.kwargs["value_set"] = sorted(map(str, vs))[:30] + [f"… ({len(vs)} values)"]


def _run_suite(ctx, suites: dict, suite_name: str, pdf, params: dict,
               run_name: str, run_time: dt.datetime, batch_name: str | None):
    """Validate pdf with the suite; return [(name, er, index_list|None)] in suite order, their
    details, the GX result key."""
    from great_expectations.core.run_identifier import RunIdentifier
    from great_expectations.data_context.types.resource_identifiers import (
        ExpectationSuiteIdentifier, ValidationResultIdentifier)

    suite = suites[suite_name]
    batch = _batch(ctx, suite_name, pdf)
    result = batch.validate(
        suite,
        result_format={"result_format": "COMPLETE", "partial_unexpected_count": DOCS_PARTIAL_MAX,
                       "return_unexpected_index_query": False},
        expectation_parameters=params or None,
    )
    order = {fupin_name(e): i for i, e in enumerate(suite.expectations)}
    out = []
    for er in result.results:
        idx = (er.result or {}).get("unexpected_index_list")
        out.append((fupin_name(er.expectation_config), er, list(idx) if idx is not None else None))
    out.sort(key=lambda t: order[t[0]])
    details = [_details(er) for _, er, _ in out]
    for _, er, _ in out:
        _trim_for_docs(er)
    rid = RunIdentifier(run_name=run_name, run_time=run_time)
    result.meta["run_id"] = rid  # what Data Docs show as Run Name / Run Time
    result.meta["validation_time"] = run_time
    key = ValidationResultIdentifier(
        expectation_suite_identifier=ExpectationSuiteIdentifier(name=suite_name),
        run_id=rid,
        batch_identifier=batch_name or result.batch_id,
    )
    ctx.validation_results_store.set(key, result)
    return out, details, key


def _to_pandas(df: pl.DataFrame):
    pdf = df.to_pandas()
    pdf.index = range(len(pdf))  # unexpected_index_list then holds row positions
    return pdf


# --------------------------------------------------------------------------------------

def validate_run(
    articles: pl.DataFrame,
    facts: pl.DataFrame,
    dims: dict[str, pl.DataFrame],
    run_id: str,
    docs_dir: pathlib.Path,
    batch: str | None = None,
    docs_keys: list | None = None,
) -> tuple[pl.DataFrame, pl.DataFrame, pl.DataFrame]:
    """Validate a run's staged articles and facts; build Data Docs into docs_dir.

    batch: optional name of the partition validated (a run may call this once per batch);
    it names the batch's page in Data Docs.
    docs_keys: a list to append this call's Data Docs keys to instead of building the docs
    now; build them later with build_docs / build_docs_in_background.
    Returns (good_facts [FACT], quarantine [QUARANTINE], results [RESULTS]).
    good_facts + quarantine always hold every input fact row exactly once.
    """
    docs_dir = pathlib.Path(docs_dir)
    facts = conform(facts, FACT)
    with _CACHE_LOCK:
        good, quarantine, results, keys = _validate_locked(articles, facts, dims, run_id, docs_dir, batch)
    if docs_keys is None:
        build_docs(docs_dir, keys)
    else:
        docs_keys.extend(keys)
    return good, quarantine, results


def build_docs(docs_dir: pathlib.Path, keys: list) -> None:
    """Render Data Docs for the given validation results (keys from validate_run) and both
    suites; older runs beyond DOCS_KEEP_RUNS are pruned, the index gets its offline list."""
    from great_expectations.data_context.types.resource_identifiers import ExpectationSuiteIdentifier

    docs_dir = pathlib.Path(docs_dir)
    with _CACHE_LOCK:
        ctx, _ = _context(docs_dir)
        _prune_old_runs(docs_dir, DOCS_KEEP_RUNS)
        # only the new results and the suites are rendered; the index lists all
        ctx.build_data_docs(
            site_names=[SITE_NAME],
            resource_identifiers=[*keys, ExpectationSuiteIdentifier(name=SUITE_ARTICLES),
                                  ExpectationSuiteIdentifier(name=SUITE_FACTS)],
        )
        _add_offline_index(docs_dir)


def build_docs_in_background(docs_dir: pathlib.Path, keys: list) -> Future:
    """build_docs in a thread: rendering (Jinja, ~0.5 s) then overlaps the DuckDB load, which
    releases the GIL. Not a daemon thread: the interpreter waits for it at exit, so no page
    is left half written. The future holds its outcome."""
    fut: Future = Future()

    def _build():
        try:
            build_docs(docs_dir, keys)
            fut.set_result(None)
        except Exception as e:  # noqa: BLE001 - the caller reads it from the future
            fut.set_exception(e)

    threading.Thread(target=_build, name="fupin-data-docs").start()
    return fut


def _article_frame(articles: pl.DataFrame) -> pl.DataFrame:
    """The staged articles as the article suite reads them (no raw text)."""
    art_cols = {**ARTICLE, **ARTICLE_META}
    art = articles.select([c for c in articles.columns if c in art_cols and c != "raw_text"])
    return art.with_columns([pl.lit(None).cast(art_cols[c]).alias(c)
                             for c in ("article_id", "source_file", "encoding", "input_kind", "size_bytes")
                             if c not in art.columns])


def _codes(dims: dict[str, pl.DataFrame], name: str, col: str) -> list[str]:
    d = dims.get(name)
    if d is None or col not in d.columns:
        return []
    return sorted(str(x) for x in d.get_column(col).drop_nulls().unique().to_list())


def _member(col: str, values: list[str], flag: str) -> pl.Expr:
    """col is among values; null stays null (not_null judges it)."""
    return (pl.when(pl.col(col).is_null()).then(None)
            .otherwise(pl.col(col).is_in(pl.Series(values, dtype=pl.Utf8).implode())).alias(flag))


_AVERAGE = r"(?:户|人|村|县|乡|镇|平)均"


def _fact_frame(articles: pl.DataFrame, facts: pl.DataFrame, dims: dict) -> pl.DataFrame:
    """The facts with the helper columns the fact suite compares against: year_max (publication
    year + YEARS_AHEAD), value_base_frac, value_base_max (the unit's bound, rate units aside),
    article_id_staged, region_code_known."""
    pub = (articles.select(["article_id", "pub_date"]) if "pub_date" in articles.columns
           else pl.DataFrame(schema={"article_id": pl.Utf8, "pub_date": pl.Date}))
    pub_date = (pl.col("pub_date").str.to_date(strict=False) if pub.schema["pub_date"] == pl.Utf8
                else pl.col("pub_date").cast(pl.Date, strict=False))
    pub = (pub.filter(pl.col("article_id").is_not_null())
              .unique(subset="article_id", keep="first", maintain_order=True)
              .select("article_id", (pub_date.dt.year().cast(pl.Int64) + YEARS_AHEAD).alias("year_max")))
    bound = {u: hi for u, (hi, _) in unit_bounds().items() if u not in RATE_UNITS}
    staged = (sorted(str(x) for x in articles.get_column("article_id").drop_nulls().unique().to_list())
              if "article_id" in articles.columns else [])
    fx = (facts.with_row_index("__row")
               .join(pub, on="article_id", how="left")
               .sort("__row")
               # an average per household or head (户均享受帮扶政策5.33个) may be fractional
               .with_columns(pl.when(pl.col("context").str.contains(_AVERAGE, literal=False).fill_null(False))
                             .then(0.0)
                             .otherwise((pl.col("value_base") - pl.col("value_base").round(0)).abs())
                             .alias("value_base_frac"),
                             pl.col("unit_code").replace_strict(bound, default=None, return_dtype=pl.Float64)
                             .alias("value_base_max"),
                             _member("article_id", staged, "article_id_staged"),
                             _member("region_code", _codes(dims, "dim_region", "region_code"), "region_code_known"))
               .drop("__row"))
    assert fx.height == facts.height
    return fx


def _results_frame(run_id: str, suites: dict, outcomes: dict) -> pl.DataFrame:
    """One row per expectation of both suites: outcomes[suite] = (out, details) of _run_suite."""
    rows = []
    for suite, (out, details) in outcomes.items():
        exps = {fupin_name(e): e for e in suites[suite].expectations}
        for (name, er, _), det in zip(out, details):
            res = er.result or {}
            rows.append({
                "run_id": run_id, "suite": suite, "expectation": name, "column": _column_of(exps[name]),
                "success": bool(er.success),
                "unexpected_count": int(res["unexpected_count"]) if res.get("unexpected_count") is not None else None,
                "element_count": int(res["element_count"]) if res.get("element_count") is not None else None,
                "details": det,
            })
    return pl.DataFrame(rows, schema=RESULTS) if rows else empty(RESULTS)


def _split(facts: pl.DataFrame, fact_out: list, order: dict) -> tuple[pl.DataFrame, pl.DataFrame]:
    """(good, quarantine): the rows GX listed go to quarantine, named by every expectation they
    failed (comma-joined, in suite order)."""
    failed_idx = [int(i) for _, _, idx in fact_out if idx for i in idx]
    failed_name = [name for name, _, idx in fact_out if idx for _ in idx]
    if failed_idx:
        fails = (pl.DataFrame({"__row": failed_idx, "name": failed_name}, schema={"__row": pl.UInt32, "name": pl.Utf8})
                 .unique()
                 .with_columns(pl.col("name").replace_strict(order, return_dtype=pl.Int64).alias("o"))
                 .sort(["__row", "o"])
                 .group_by("__row", maintain_order=True)
                 .agg(pl.col("name").str.join(",").alias("failed_expectation")))
    else:
        fails = pl.DataFrame(schema={"__row": pl.UInt32, "failed_expectation": pl.Utf8})
    indexed = facts.with_row_index("__row").join(fails, on="__row", how="left").sort("__row")
    quarantine = indexed.filter(pl.col("failed_expectation").is_not_null()).drop("__row").select(list(QUARANTINE))
    good = indexed.filter(pl.col("failed_expectation").is_null()).drop("__row").select(list(FACT))
    assert good.height + quarantine.height == facts.height
    return good, quarantine


def _validate_locked(articles, facts, dims, run_id, docs_dir, batch):
    run_time = dt.datetime.now(dt.timezone.utc)
    ctx, suites = _context(docs_dir)
    art_out, art_details, art_key = _run_suite(ctx, suites, SUITE_ARTICLES, _to_pandas(_article_frame(articles)),
                                               {}, run_id, run_time, batch)
    fx = _fact_frame(articles, facts, dims)
    used = [c for e in suites[SUITE_FACTS].expectations for c in columns_of(e)]
    params = {"dim_unit_codes": _codes(dims, "dim_unit", "unit_code"),
              "dim_indicator_codes": _codes(dims, "dim_indicator", "indicator_code")}
    fact_out, fact_details, fact_key = _run_suite(
        ctx, suites, SUITE_FACTS, _to_pandas(fx.select([c for c in dict.fromkeys(used) if c in fx.columns])), params,
        run_id, run_time, batch)
    broken = [f"{name}: {_exception_of(er)[:200]}" for name, er, _ in fact_out if _exception_of(er)]
    if broken:  # which rows fail is unknown: no fact of this frame may pass as good
        raise ValidationBroken("GX could not evaluate " + "; ".join(broken))
    results = _results_frame(run_id, suites, {SUITE_ARTICLES: (art_out, art_details),
                                              SUITE_FACTS: (fact_out, fact_details)})
    order = {fupin_name(e): i for i, e in enumerate(suites[SUITE_FACTS].expectations)}
    good, quarantine = _split(facts, fact_out, order)
    return good, quarantine, results, [art_key, fact_key]


def _prune_old_runs(docs_dir: pathlib.Path, keep: int) -> None:
    """Delete stored results and pages of all but the `keep` most recent runs, so a
    scheduled pipeline does not grow its Data Docs without end."""
    import shutil

    roots = [docs_dir / ".gx" / "uncommitted" / "validations", docs_dir / "validations"]
    latest: dict[str, str] = {}  # run name -> its newest run-time folder (sortable text)
    for root in roots:
        for suite_dir in (p for p in (root.iterdir() if root.is_dir() else []) if p.is_dir()):
            for run_dir in (p for p in suite_dir.iterdir() if p.is_dir()):
                times = [p.name for p in run_dir.iterdir() if p.is_dir()]
                latest[run_dir.name] = max([latest.get(run_dir.name, ""), *times])
    if len(latest) <= keep:
        return
    old = sorted(latest, key=lambda r: (latest[r], r))[: len(latest) - keep]
    for root in roots:
        for suite_dir in (p for p in (root.iterdir() if root.is_dir() else []) if p.is_dir()):
            for r in old:
                shutil.rmtree(suite_dir / r, ignore_errors=True)


_OFFLINE_MARK = "<!-- fupin offline index -->"


def _add_offline_index(docs_dir: pathlib.Path) -> None:
    """GX's index.html lists its pages through scripts and styles fetched from CDNs, so it
    is blank without network. Add a plain list of every suite and validation page to it."""
    import html as _html

    index = docs_dir / "index.html"
    if not index.exists():
        return
    text = index.read_text(encoding="utf-8")
    if _OFFLINE_MARK in text:
        text = text[: text.index(_OFFLINE_MARK)] + text[text.rindex(_OFFLINE_MARK) + len(_OFFLINE_MARK):]
    runs: dict[str, list[tuple[str, str]]] = {}
    vdir = docs_dir / "validations"
    for page in sorted(vdir.rglob("*.html")) if vdir.exists() else []:
        rel = page.relative_to(docs_dir)
        parts = rel.parts  # validations/<suite>/<run>/<time>/<batch>.html
        if len(parts) >= 5:
            runs.setdefault(parts[2], []).append((f"{parts[1]} · {parts[3]} · {page.stem}", rel.as_posix()))
    suites = sorted((docs_dir / "expectations").glob("*.html")) if (docs_dir / "expectations").exists() else []
    e = _html.escape
    out = [_OFFLINE_MARK, '<div style="font:14px/1.5 sans-serif;margin:16px;padding:12px;border:1px solid #ccc">',
           "<h2>fupin validation results</h2>",
           "<p>Every page of this site, listed without scripts (the interactive table above needs network).</p>",
           "<h3>Expectation suites</h3><ul>"]
    out += [f'<li><a href="{e(p.relative_to(docs_dir).as_posix())}">{e(p.stem)}</a></li>' for p in suites]
    out.append("</ul><h3>Validation results by run (newest first)</h3>")
    for run in sorted(runs, key=lambda r: max(t for t, _ in runs[r]), reverse=True):
        out.append(f"<h4>{e(run)}</h4><ul>")
        out += [f'<li><a href="{e(href)}">{e(label)}</a></li>' for label, href in sorted(runs[run])]
        out.append("</ul>")
    out += ["</div>", _OFFLINE_MARK]
    block = "\n".join(out)
    pos = text.rfind("</body>")
    text = text[:pos] + block + text[pos:] if pos >= 0 else text + block
    index.write_text(text, encoding="utf-8")


def docs_index(docs_dir: pathlib.Path) -> pathlib.Path:
    """Where the Data Docs site's entry page is."""
    return pathlib.Path(docs_dir) / "index.html"
