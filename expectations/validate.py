"""Great Expectations validation of one pipeline run.

    good_facts, quarantine, results = validate_run(articles, facts, dims, run_id, docs_dir)

Two suites run with real GX 1.x expectations, each on the whole frame in one batch:

* ``fupin_articles`` on the staged articles (ARTICLE + ARTICLE_META columns),
* ``fupin_facts`` on the extracted facts (FACT columns).

Every row-level fact expectation runs with result_format COMPLETE; the rows GX lists in
``unexpected_index_list`` go to quarantine with ``failed_expectation`` naming every
expectation they failed (comma-joined, in suite order). Polars only adds helper columns
GX compares against: ``year_max`` (publication year + 15), ``value_base_max`` (the unit's
plausible maximum from UNIT_MAX), ``value_base_frac`` (distance of value_base from the
nearest whole number), and two membership flags, ``article_id_staged`` and
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

Great Expectations takes ~5 s to import, so it is imported inside the functions only.
"""
from __future__ import annotations

import datetime as dt
import json
import math
import os
import pathlib
import re
import sys
import threading
from concurrent.futures import Future
from dataclasses import dataclass, field
from typing import Any

import polars as pl

from fupin.transforms import schema

SUITE_ARTICLES = "fupin_articles"
SUITE_FACTS = "fupin_facts"
SITE_NAME = "fupin"

# Encodings the stager may report (python codec names, as str.decode accepts them).
ENCODINGS = [
    "utf-8", "utf-8-sig", "utf_8", "utf8", "ascii",
    "gb18030", "gbk", "gb2312", "cp936", "hz",
    "big5", "big5hkscs", "cp950",
    "utf-16", "utf-16-le", "utf-16-be", "utf-32",
]
QUALIFIERS = ["exact", "approx", "more_than", "at_least", "less_than"]
KINDS = ["actual", "target"]
SCOPES = ["region", "local", "entity", "person", "threshold"]

# Upper bounds of value_base by unit: generous, only there to catch parsing accidents
# (a date read as a count, 万 applied twice ...). China has ~1.41e9 people, ~5e8 households,
# ~1.44e10 mu of land; the whole national budget is ~3e13 yuan.
UNIT_MAX = {
    "percent": 1000.0,          # rates and growth; >1000 % is a misread number
    "percentage_point": 100.0,  # a change of a rate
    "person": 2e9,
    "person_time": 1e10,
    "household": 6e8,
    "count": 1e9,
    "yuan": 1e14,
    "km": 1e8,
    "mu": 3e10,
    "m2": 2e13,
    "head": 1e11,
    "km2": 1e7,        # China: 9.6e6 km2
    "hectare": 1e9,
    "ton": 1e10,
    "kg": 1e13,
    "kw": 1e10,        # all of China's installed power is ~3e9 kW
    "m3": 1e12,
}
# Units not listed here are only checked for being non-negative.
OWN_BOUND_UNITS = ["percent", "percentage_point"]
# Units counted in whole things: value_base must be (nearly) an integer.
WHOLE_UNITS = ["person", "person_time", "household", "count", "head"]
WHOLE_TOLERANCE = 0.01
YEAR_MIN = 1949
YEAR_MAX_STATIC = 2100
YEARS_AHEAD = 15  # a target may lie this far after the publication year

# Polars contracts of what validate_run returns.
QUARANTINE = {**schema.FACT, "failed_expectation": pl.Utf8}
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

DETAILS_MAX_CHARS = 1000
DOCS_KEEP_RUNS = 30  # Data Docs keep the validation results of this many latest runs
DOCS_PARTIAL_MAX = 20  # values/indices kept per expectation in the stored Data Docs result


class ValidationBroken(RuntimeError):
    """A fact expectation could not be evaluated (an error inside GX, a missing column)."""


@dataclass
class _Spec:
    """One expectation of a suite: a stable short name (what quarantine and results show),
    the GX class name, its kwargs, and an optional row condition."""

    name: str
    gx_type: str
    kwargs: dict
    condition: Any = None  # callable(Column) -> Condition, built lazily (GX imported late)
    description: str = ""
    condition_text: str = ""  # the row condition for people, e.g. "unit_code == 'percent'"
    params: dict = field(default_factory=dict)  # suite parameter name -> value


def _article_specs() -> list[_Spec]:
    return [
        _Spec("article_id_not_null", "ExpectColumnValuesToNotBeNull", {"column": "article_id"},
              description="every staged article has an id (sha256 of its bytes)"),
        _Spec("article_id_unique", "ExpectColumnValuesToBeUnique", {"column": "article_id"},
              description="one staged row per article id"),
        _Spec("source_file_not_null", "ExpectColumnValuesToNotBeNull", {"column": "source_file"},
              description="every staged article names its source file"),
        _Spec("encoding_in_set", "ExpectColumnValuesToBeInSet",
              {"column": "encoding", "value_set": ENCODINGS},
              description="the decoder is one of the known codecs"),
        _Spec("encoding_not_null", "ExpectColumnValuesToNotBeNull", {"column": "encoding"},
              description="every staged article says how it was decoded"),
        _Spec("size_bytes_positive", "ExpectColumnValuesToBeBetween",
              {"column": "size_bytes", "min_value": 1},
              description="empty files are rejected, not staged"),
    ]


def _fact_specs() -> list[_Spec]:
    specs: list[_Spec] = []
    for col in ("article_id", "char_start", "char_end", "unit_code", "value_base", "year",
                "region_code"):
        specs.append(_Spec(f"{col}_not_null", "ExpectColumnValuesToNotBeNull", {"column": col},
                           description=f"a fact needs its {col}"))
    specs += [
        _Spec("char_start_non_negative", "ExpectColumnValuesToBeBetween",
              {"column": "char_start", "min_value": 0},
              description="offsets index the decoded text from 0"),
        _Spec("span_end_after_start", "ExpectColumnPairValuesAToBeGreaterThanB",
              {"column_A": "char_end", "column_B": "char_start", "or_equal": False,
               "ignore_row_if": "either_value_is_missing"},
              description="a span covers at least one character"),
        _Spec("one_fact_per_span", "ExpectCompoundColumnsToBeUnique",
              {"column_list": ["article_id", "char_start", "char_end"],
               "ignore_row_if": "any_value_is_missing"},
              description="one fact per (article, span); every copy of a duplicated span is held back"),
        # The two big memberships (10k article ids, ~3.5k region codes) are looked up by a
        # polars join into a flag that GX checks: handed to GX as value sets they cost ~10 s
        # per 300k facts in pydantic copies of the expectation's kwargs, not in checking.
        _Spec("article_id_in_articles", "ExpectColumnValuesToBeInSet",
              {"column": "article_id_staged", "value_set": [True]},
              description="facts belong to articles staged in this run (article_id_staged: "
                          "article_id is among the staged articles' ids)"),
        _Spec("unit_code_in_dim_unit", "ExpectColumnValuesToBeInSet",
              {"column": "unit_code", "value_set": {"$PARAMETER": "dim_unit_codes"}},
              description="unit_code is a code of dim_unit"),
        _Spec("region_code_in_dim_region", "ExpectColumnValuesToBeInSet",
              {"column": "region_code_known", "value_set": [True]},
              description="region_code is a code of dim_region (region_code_known: the code "
                          "is in dim_region)"),
        _Spec("indicator_code_in_dim_indicator", "ExpectColumnValuesToBeInSet",
              {"column": "indicator_code", "value_set": {"$PARAMETER": "dim_indicator_codes"}},
              description="indicator_code is a code of dim_indicator, or empty"),
        _Spec("qualifier_in_set", "ExpectColumnValuesToBeInSet",
              {"column": "qualifier", "value_set": QUALIFIERS}),
        _Spec("kind_in_set", "ExpectColumnValuesToBeInSet", {"column": "kind", "value_set": KINDS}),
        _Spec("scope_in_set", "ExpectColumnValuesToBeInSet", {"column": "scope", "value_set": SCOPES}),
        _Spec("value_non_negative", "ExpectColumnValuesToBeBetween",
              {"column": "value", "min_value": 0},
              description="numbers are written as non-negative (direction lives in the words)"),
        _Spec("value_base_non_negative", "ExpectColumnValuesToBeBetween",
              {"column": "value_base", "min_value": 0},
              description="base values are non-negative"),
        _Spec("year_plausible", "ExpectColumnValuesToBeBetween",
              {"column": "year", "min_value": YEAR_MIN, "max_value": YEAR_MAX_STATIC},
              description=f"the year lies in {YEAR_MIN}..{YEAR_MAX_STATIC}"),
        _Spec("year_within_pub_year_plus_15", "ExpectColumnPairValuesAToBeGreaterThanB",
              {"column_A": "year_max", "column_B": "year", "or_equal": True,
               "ignore_row_if": "either_value_is_missing"},
              description=f"the year is at most {YEARS_AHEAD} years after the article's publication year"),
    ]
    for unit in OWN_BOUND_UNITS:  # the rates get expectations of their own, by name
        hi = UNIT_MAX[unit]
        specs.append(_Spec(
            f"{unit}_value_base_at_most_{_fmt_num(hi)}", "ExpectColumnValuesToBeBetween",
            {"column": "value_base", "min_value": 0, "max_value": hi},
            condition=(lambda C, u=unit: C("unit_code") == u),
            condition_text=f"unit_code == '{unit}'",
            description=f"value_base of a {unit} fact lies in 0..{_fmt_num(hi)}"))
    # every other unit in one expectation (one per unit costs GX ~0.15 s each per batch):
    # value_base_max is UNIT_MAX looked up by unit_code
    specs.append(_Spec(
        "value_base_within_unit_max", "ExpectColumnPairValuesAToBeGreaterThanB",
        {"column_A": "value_base_max", "column_B": "value_base", "or_equal": True,
         "ignore_row_if": "either_value_is_missing"},
        description="value_base is at most the plausible maximum of its unit: "
                    + ", ".join(f"{u} {_fmt_num(v)}" for u, v in UNIT_MAX.items() if u not in OWN_BOUND_UNITS)))
    specs.append(_Spec(
        "whole_number_for_counted_units", "ExpectColumnValuesToBeBetween",
        {"column": "value_base_frac", "min_value": 0, "max_value": WHOLE_TOLERANCE},
        condition=lambda C: C("unit_code").is_in(WHOLE_UNITS),
        condition_text=f"unit_code in {WHOLE_UNITS}",
        description="people, households, counts, person-times and heads are whole numbers"))
    return specs


def _fmt_num(x: float) -> str:
    if x >= 1e6:
        exp = int(math.floor(math.log10(x)))
        mant = x / 10 ** exp
        return (f"{mant:g}e{exp}")
    return f"{x:g}"


# --------------------------------------------------------------------------------------
# GX plumbing

_CACHE: dict[str, tuple] = {}
_CACHE_LOCK = threading.Lock()


def import_gx():
    """great_expectations, imported with its usage analytics off (offline machines)."""
    os.environ.setdefault("GX_ANALYTICS_ENABLED", "False")
    import great_expectations

    return great_expectations


_PREFETCH: threading.Thread | None = None


def import_gx_in_background() -> None:
    """Start importing Great Expectations (~5 s of one core) in a daemon thread, once per
    process, so that it overlaps Prefect's start and the extraction instead of following
    them. Errors are left for the real import in validate_run to report."""
    global _PREFETCH
    if _PREFETCH is not None or "great_expectations" in sys.modules:
        return

    def _import():
        try:
            import_gx()
        except Exception:  # noqa: BLE001
            pass

    _PREFETCH = threading.Thread(target=_import, name="fupin-prefetch-gx", daemon=True)
    _PREFETCH.start()


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
    suites = {SUITE_ARTICLES: _build_suite(ctx, SUITE_ARTICLES, _article_specs()),
              SUITE_FACTS: _build_suite(ctx, SUITE_FACTS, _fact_specs())}
    _CACHE[key] = (ctx, suites)
    return ctx, suites


def _build_suite(ctx, name: str, specs: list[_Spec]):
    import great_expectations as gx
    import great_expectations.expectations as gxe
    from great_expectations.expectations.row_conditions import Column

    exps = []
    for s in specs:
        cls = getattr(gxe, s.gx_type)
        kw = dict(s.kwargs)
        if s.condition is not None:
            kw["row_condition"] = s.condition(Column)
        exps.append(cls(**kw, meta={"fupin_name": s.name}, description=s.description or None))
    # built whole, then saved once (adding to a saved suite rewrites it per expectation)
    return ctx.suites.add_or_update(gx.ExpectationSuite(name=name, expectations=exps))


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


def _details(er, spec: _Spec) -> str:
    res = er.result or {}
    d: dict[str, Any] = {"type": er.expectation_config.type}
    kw = {k: v for k, v in spec.kwargs.items() if k not in ("column",)}
    if isinstance(kw.get("value_set"), list) and len(kw["value_set"]) > 12:
        kw["value_set"] = kw["value_set"][:12] + ["…"]
    if kw:
        d["kwargs"] = kw
    if spec.condition is not None:
        d["row_condition"] = spec.condition_text
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


def _trim_for_docs(er, spec: _Spec) -> None:
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


def _run_suite(ctx, suites: dict, suite_name: str, specs: list[_Spec], pdf, params: dict,
               run_name: str, run_time: dt.datetime, batch_name: str | None):
    """Validate pdf with the suite; return [(spec, er, index_list|None)], the GX result key."""
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
    by_name = {s.name: s for s in specs}
    out = []
    for er in result.results:
        name = (er.expectation_config.meta or {}).get("fupin_name")
        spec = by_name.get(name)
        if spec is None:
            continue
        idx = (er.result or {}).get("unexpected_index_list")
        out.append((spec, er, list(idx) if idx is not None else None))
    order = {s.name: i for i, s in enumerate(specs)}
    out.sort(key=lambda t: order[t[0].name])
    details = [_details(er, spec) for spec, er, _ in out]
    for spec, er, _ in out:
        _trim_for_docs(er, spec)
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


def _column_of(spec: _Spec) -> str | None:
    kw = spec.kwargs
    if "column" in kw:
        return kw["column"]
    if "column_list" in kw:
        return ",".join(kw["column_list"])
    if "column_A" in kw:
        return f"{kw['column_A']},{kw['column_B']}"
    return None


def _columns_used(specs: list[_Spec]) -> list[str]:
    """The columns a suite reads (kwargs and row conditions): GX hashes and copies the whole
    frame it is given, so it gets only these."""
    cols: list[str] = []
    for s in specs:
        kw = s.kwargs
        for c in [kw.get("column"), kw.get("column_A"), kw.get("column_B"), *kw.get("column_list", [])]:
            if c and c not in cols:
                cols.append(c)
        m = re.match(r"\s*([a-z_]+)", s.condition_text) if s.condition is not None else None
        if m and m.group(1) not in cols:  # "unit_code == 'percent'": the column it filters on
            cols.append(m.group(1))
    return cols


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
    Returns (good_facts [schema.FACT], quarantine [QUARANTINE], results [RESULTS]).
    good_facts + quarantine always hold every input fact row exactly once.
    """
    docs_dir = pathlib.Path(docs_dir)
    facts = schema.conform(facts, schema.FACT)
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


def _validate_locked(articles, facts, dims, run_id, docs_dir, batch):
    run_time = dt.datetime.now(dt.timezone.utc)
    ctx, suites = _context(docs_dir)

    # ---- articles
    art_cols = {**schema.ARTICLE, **schema.ARTICLE_META}
    art = articles.select([c for c in articles.columns if c in art_cols and c != "raw_text"])
    for c in ("article_id", "source_file", "encoding", "size_bytes"):
        if c not in art.columns:
            art = art.with_columns(pl.lit(None).cast(art_cols[c]).alias(c))
    art_out, art_details, art_key = _run_suite(
        ctx, suites, SUITE_ARTICLES, _article_specs(), _to_pandas(art), {}, run_id, run_time, batch)

    # ---- facts: helper columns GX compares against
    pub = (articles.select(["article_id", "pub_date"]) if "pub_date" in articles.columns
           else pl.DataFrame(schema={"article_id": pl.Utf8, "pub_date": pl.Date}))
    pub_date = (pl.col("pub_date").str.to_date(strict=False) if pub.schema["pub_date"] == pl.Utf8
                else pl.col("pub_date").cast(pl.Date, strict=False))
    pub = (pub.filter(pl.col("article_id").is_not_null())
              .unique(subset="article_id", keep="first", maintain_order=True)
              .select("article_id",
                      (pub_date.dt.year().cast(pl.Int64) + YEARS_AHEAD).alias("year_max")))
    fx = (facts.with_row_index("__row")
               .join(pub, on="article_id", how="left")
               .sort("__row")
               .with_columns((pl.col("value_base") - pl.col("value_base").round(0)).abs()
                             .alias("value_base_frac"),
                             pl.col("unit_code").replace_strict(
                                 {u: v for u, v in UNIT_MAX.items() if u not in OWN_BOUND_UNITS},
                                 default=None, return_dtype=pl.Float64).alias("value_base_max"))
               .drop("__row"))
    assert fx.height == facts.height

    def codes(name: str, col: str) -> list[str]:
        d = dims.get(name)
        if d is None or col not in d.columns:
            return []
        return sorted(str(x) for x in d.get_column(col).drop_nulls().unique().to_list())

    def member(col: str, values: list[str]) -> pl.Expr:  # null stays null: not_null judges it
        return (pl.when(pl.col(col).is_null()).then(None)
                .otherwise(pl.col(col).is_in(pl.Series(values, dtype=pl.Utf8).implode())).alias(f"{col}_" + (
                    "staged" if col == "article_id" else "known")))

    staged = (sorted(str(x) for x in articles.get_column("article_id").drop_nulls().unique().to_list())
              if "article_id" in articles.columns else [])
    fx = fx.with_columns(member("article_id", staged), member("region_code", codes("dim_region", "region_code")))
    params = {
        "dim_unit_codes": codes("dim_unit", "unit_code"),
        "dim_indicator_codes": codes("dim_indicator", "indicator_code"),
    }
    fact_out, fact_details, fact_key = _run_suite(
        ctx, suites, SUITE_FACTS, _fact_specs(), _to_pandas(fx.select([c for c in _columns_used(_fact_specs()) if c in fx.columns])), params,
        run_id, run_time, batch)
    broken = [f"{spec.name}: {_exception_of(er)[:200]}" for spec, er, _ in fact_out if _exception_of(er)]
    if broken:  # which rows fail is unknown: no fact of this frame may pass as good
        raise ValidationBroken("GX could not evaluate " + "; ".join(broken))

    # ---- results
    rows = []
    for suite, out, details in ((SUITE_ARTICLES, art_out, art_details),
                                (SUITE_FACTS, fact_out, fact_details)):
        for (spec, er, _), det in zip(out, details):
            res = er.result or {}
            rows.append({
                "run_id": run_id, "suite": suite, "expectation": spec.name,
                "column": _column_of(spec), "success": bool(er.success),
                "unexpected_count": int(res["unexpected_count"]) if res.get("unexpected_count") is not None else None,
                "element_count": int(res["element_count"]) if res.get("element_count") is not None else None,
                "details": det,
            })
    results = pl.DataFrame(rows, schema=RESULTS) if rows else schema.empty(RESULTS)

    # ---- quarantine: the rows GX listed, named by every expectation they failed
    failed_idx: list[int] = []
    failed_name: list[str] = []
    for spec, er, idx in fact_out:
        if idx:  # None for expectations that are not row-level: those are reported only
            failed_idx.extend(int(i) for i in idx)
            failed_name.extend([spec.name] * len(idx))
    if failed_idx:
        order = {s.name: i for i, s in enumerate(_fact_specs())}
        fails = (pl.DataFrame({"__row": failed_idx, "name": failed_name},
                              schema={"__row": pl.UInt32, "name": pl.Utf8})
                 .unique()
                 .with_columns(pl.col("name").replace_strict(order, return_dtype=pl.Int64).alias("o"))
                 .sort(["__row", "o"])
                 .group_by("__row", maintain_order=True)
                 .agg(pl.col("name").str.join(",").alias("failed_expectation")))
    else:
        fails = pl.DataFrame(schema={"__row": pl.UInt32, "failed_expectation": pl.Utf8})
    indexed = facts.with_row_index("__row").join(fails, on="__row", how="left").sort("__row")
    quarantine = (indexed.filter(pl.col("failed_expectation").is_not_null())
                  .drop("__row").select(list(QUARANTINE)))
    good = (indexed.filter(pl.col("failed_expectation").is_null())
            .drop("__row").select(list(schema.FACT)))
    assert good.height + quarantine.height == facts.height
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
