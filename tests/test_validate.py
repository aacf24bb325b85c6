"""Real Great Expectations on small frames: clean facts pass, broken ones land in quarantine
named by the expectation they failed, nothing is lost, Data Docs are written."""
import datetime as dt
import json

import polars as pl
import pytest

from fupin.expectations.validate import QUARANTINE, RESULTS, validate_run
from fupin.transforms import schema

DIMS = {
    "dim_unit": pl.DataFrame({"unit_code": ["percent", "percentage_point", "person", "yuan"]}),
    "dim_region": pl.DataFrame({"region_code": ["450000", "451023"], "name": ["广西壮族自治区", "平果县"]}),
    "dim_indicator": pl.DataFrame({"indicator_code": ["poverty_incidence_rate", "poor_population"]}),
}

ARTICLES = pl.DataFrame({
    "article_id": ["a" * 64, "b" * 64],
    "source_file": ["000.txt", "001.txt"],
    "source_path": ["/in/000.txt", "/in/001.txt"],
    "size_bytes": [120, 300],
    "encoding": ["utf-8", "gb18030"],
    "raw_text": ["…", "…"],
    "title": ["t1", "t2"],
    "pub_date": [dt.date(2019, 11, 24), dt.date(2020, 3, 1)],
})


def fact(**kw):
    row = dict(article_id="a" * 64, char_start=0, char_end=5, surface="2.55%", value=2.55,
               value_base=2.55, unit_code="percent", qualifier="exact",
               indicator_code="poverty_incidence_rate", indicator_text="贫困发生率", year=2019,
               year_source="explicit", region_code="450000", region_source="main", kind="actual",
               scope="region", context="贫困发生率降至2.55%")
    row.update(kw)
    return row


def frame(rows):
    return schema.conform(pl.DataFrame(rows, infer_schema_length=None), schema.FACT)


CLEAN = frame([
    fact(),
    fact(char_start=10, char_end=15, surface="95万人", value=95.0, value_base=950000.0,
         unit_code="person", indicator_code="poor_population", indicator_text="贫困人口"),
    fact(article_id="b" * 64, char_start=3, char_end=9, surface="2.2个百分点", value=2.2,
         value_base=2.2, unit_code="percentage_point", indicator_code=None, year=2020,
         region_code="451023", kind="target", scope="local", qualifier="approx"),
    fact(article_id="b" * 64, char_start=20, char_end=26, surface="238亿元", value=238.0,
         value_base=2.38e10, unit_code="yuan", indicator_code=None, year=2030),
])

BAD = frame([
    fact(),                                                           # 0 good
    fact(char_start=20, char_end=23, unit_code="furlong"),            # 1 bad unit
    fact(char_start=30, char_end=35, region_code=None),               # 2 null region
    fact(char_start=40, char_end=45),                                 # 3 duplicate span ...
    fact(char_start=40, char_end=45),                                 # 4 ... of row 3
    fact(char_start=50, char_end=55, value=50000.0, value_base=50000.0),  # 5 absurd percent (above 100倍)
    fact(char_start=60, char_end=60, unit_code="furlong"),            # 6 two failures
    fact(char_start=70, char_end=75, year=2040),                      # 7 pub 2019 + 15 < 2040
    fact(char_start=80, char_end=84, unit_code="person", value=1.5, value_base=1.5),  # 8 half a person
    fact(char_start=90, char_end=95, region_code="999999", kind="rumour"),  # 9 unknown region, kind
    fact(char_start=100, char_end=105, value_base=None),              # 10 null value_base
    fact(article_id="c" * 64, char_start=0, char_end=3),              # 11 article not staged
    fact(article_id="b" * 64, char_start=0, char_end=4, surface="54.4%", value=54.4,
         value_base=54.4, year=2020),                                 # 12 good
    fact(char_start=110, char_end=115, unit_code="yuan", value_base=3e15),  # 13 beyond any budget
    fact(char_start=120, char_end=125, unit_code="percentage_point", value_base=150.0),  # 14
    fact(char_start=130, char_end=135, unit_code="person", value=2.5, value_base=2.5, indicator_code=None,
         context="脱贫户户均劳动力2.5人"),                                # 15 good: an average per household
])


@pytest.fixture(scope="module")
def docs(tmp_path_factory):
    return tmp_path_factory.mktemp("gx") / "data_docs"


@pytest.fixture(scope="module")
def clean_run(docs):
    return validate_run(ARTICLES, CLEAN, DIMS, "run-clean", docs)


@pytest.fixture(scope="module")
def bad_run(docs, clean_run):  # after clean_run: both share one Data Docs site
    return validate_run(ARTICLES, BAD, DIMS, "run-bad", docs)


def test_clean_frame_passes(clean_run):
    good, quarantine, results = clean_run
    assert quarantine.height == 0
    assert good.height == CLEAN.height
    assert good.equals(CLEAN)
    assert results.get_column("success").all(), results.filter(~pl.col("success")).to_dicts()


def test_result_frames_follow_contracts(clean_run, bad_run):
    for good, quarantine, results in (clean_run, bad_run):
        assert dict(good.schema) == schema.FACT
        assert dict(quarantine.schema) == QUARANTINE
        assert dict(results.schema) == RESULTS
        assert set(results.get_column("suite")) == {"fupin_articles", "fupin_facts"}
        # one row per expectation run, each with a parseable details string
        assert results.select(pl.struct("suite", "expectation").is_unique().all()).item()
        for d in results.get_column("details"):
            assert len(d) <= 1000
            if not d.endswith("…"):
                json.loads(d)


def test_bad_rows_quarantined_by_name(bad_run):
    good, quarantine, results = bad_run
    # nothing lost, nothing doubled
    assert good.height + quarantine.height == BAD.height
    assert sorted(good.get_column("char_start").to_list() + quarantine.get_column("char_start").to_list()) \
        == sorted(BAD.get_column("char_start").to_list())
    assert sorted(good.get_column("char_start").to_list()) == [0, 0, 130]

    failed = {}
    for r in quarantine.iter_rows(named=True):
        failed.setdefault((r["article_id"][0], r["char_start"]), []).append(set(r["failed_expectation"].split(",")))
    assert failed[("a", 20)] == [{"unit_code_in_dim_unit"}]
    assert failed[("a", 30)] == [{"region_code_not_null"}]
    assert failed[("a", 40)] == [{"one_fact_per_span"}, {"one_fact_per_span"}]
    assert failed[("a", 50)] == [{"percent_value_base_at_most_10000"}]
    assert failed[("a", 60)] == [{"span_end_after_start", "unit_code_in_dim_unit"}]
    assert failed[("a", 70)] == [{"year_within_pub_year_plus_15"}]
    assert failed[("a", 80)] == [{"whole_number_for_counted_units"}]
    assert failed[("a", 90)] == [{"region_code_in_dim_region", "kind_in_set"}]
    assert failed[("a", 100)] == [{"value_base_not_null"}]
    assert failed[("c", 0)] == [{"article_id_in_articles"}]
    assert failed[("a", 110)] == [{"value_base_within_unit_max"}]
    assert failed[("a", 120)] == [{"percentage_point_value_base_at_most_100"}]

    res = {r["expectation"]: r for r in results.filter(pl.col("suite") == "fupin_facts").iter_rows(named=True)}
    assert res["unit_code_in_dim_unit"]["success"] is False
    assert res["unit_code_in_dim_unit"]["unexpected_count"] == 2
    assert res["one_fact_per_span"]["unexpected_count"] == 2
    assert res["percent_value_base_at_most_10000"]["column"] == "value_base"
    assert "furlong" in res["unit_code_in_dim_unit"]["details"]
    assert res["qualifier_in_set"]["success"] is True
    assert res["article_id_not_null"]["element_count"] == BAD.height
    assert all(r["run_id"] == "run-bad" for r in results.iter_rows(named=True))


def test_article_suite_reports_without_quarantining(docs):
    arts = ARTICLES.with_columns(pl.Series("encoding", ["utf-8", "klingon"]),
                                 pl.Series("size_bytes", [0, 10]))
    good, quarantine, results = validate_run(arts, CLEAN, DIMS, "run-arts", docs)
    assert good.height == CLEAN.height and quarantine.height == 0
    failed = set(results.filter(~pl.col("success")).get_column("expectation"))
    assert failed == {"encoding_in_set", "size_bytes_positive"}


def test_empty_facts(docs):
    good, quarantine, results = validate_run(ARTICLES.head(0), schema.empty(schema.FACT), DIMS,
                                             "run-empty", docs)
    assert good.height == 0 and quarantine.height == 0
    assert results.height > 0 and results.get_column("success").all()


def test_data_docs_written(docs, clean_run, bad_run):
    index = docs / "index.html"
    assert index.exists()
    html = index.read_text(encoding="utf-8")
    assert "run-clean" in html and "run-bad" in html
    # a plain list of the pages, readable offline (GX's own index needs CDN scripts)
    assert html.count("<!-- fupin offline index -->") == 2
    assert 'href="validations/fupin_facts/run-bad/' in html and 'href="expectations/fupin_facts.html"' in html
    pages = list((docs / "validations" / "fupin_facts").rglob("*.html"))
    assert len(pages) >= 2
    # a run validated per partition names each partition's page
    validate_run(ARTICLES, CLEAN.head(1), DIMS, "run-batched", docs, batch="batch_0003")
    assert list((docs / "validations" / "fupin_facts" / "run-batched").rglob("batch_0003.html"))
    # long lists are cut before storing: no page carries a 300k-row table
    assert all(p.stat().st_size < 2_000_000 for p in pages)


def test_data_docs_keep_the_latest_runs(tmp_path):
    from fupin.expectations.validate import _prune_old_runs

    for root in (tmp_path / ".gx" / "uncommitted" / "validations", tmp_path / "validations"):
        for suite in ("fupin_articles", "fupin_facts"):
            for k in range(5):
                d = root / suite / f"run-{k}" / f"2026112{k}T080000.000000Z"
                d.mkdir(parents=True)
                (d / "batch.html").write_text("x")
    _prune_old_runs(tmp_path, keep=3)
    for root in (tmp_path / ".gx" / "uncommitted" / "validations", tmp_path / "validations"):
        for suite in ("fupin_articles", "fupin_facts"):
            assert sorted(p.name for p in (root / suite).iterdir()) == ["run-2", "run-3", "run-4"]


def test_an_expectation_that_cannot_run_fails_loudly(tmp_path, monkeypatch):
    """Which rows fail is unknown then, so nothing may pass as good: the caller
    (the flow) quarantines the whole frame."""
    import fupin.expectations.validate as V

    orig = V.declare_suites

    def with_a_broken_one():
        import great_expectations.expectations as gxe

        suites = orig()
        suites[V.SUITE_FACTS].append(gxe.ExpectColumnValuesToNotBeNull(
            column="no_such_column", meta={"fupin_name": "no_such_column_not_null"}))
        return suites
    monkeypatch.setattr(V, "declare_suites", with_a_broken_one)
    with pytest.raises(V.ValidationBroken, match="no_such_column_not_null"):
        validate_run(ARTICLES, CLEAN, DIMS, "run-broken", tmp_path / "docs")


def test_validation_raises_no_polars_deprecation_warning(tmp_path, clean_run, bad_run):
    """#19: `is_in` with a Series of the column's own type was deprecated by polars (68
    warnings per test run came from here)."""
    import warnings

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        # after clean_run and bad_run: polars warned from a process's later validations on
        validate_run(ARTICLES, BAD, DIMS, "run-warnings", tmp_path / "docs")
    ours = [w for w in caught if issubclass(w.category, DeprecationWarning) and "expectations" in w.filename
            and w.filename.endswith("validate.py")]
    assert not ours, [str(w.message) for w in ours]
