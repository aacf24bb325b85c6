-- fupin warehouse: staging, star schema and views (DuckDB).
-- Grain of each table is in its comment. Tables are created if missing; the loader adds
-- the dimension tables that come from producers (dim_region, dim_indicator, dim_unit) by
-- replacing them each run, so new seed columns flow through.

-- One staged article = one distinct content (sha256 of the file's bytes). raw_text is the
-- decoded text all char offsets index into. source_* name the file it was first staged from.
CREATE TABLE IF NOT EXISTS stg_articles (
    article_id   VARCHAR NOT NULL,
    source_file  VARCHAR,
    source_path  VARCHAR,
    size_bytes   BIGINT,
    encoding     VARCHAR,
    raw_text     VARCHAR,
    n_chars      BIGINT,
    loaded_at    TIMESTAMPTZ,
    run_id       VARCHAR
);

-- One row per file path that holds an article (same content under two names = two rows).
CREATE TABLE IF NOT EXISTS article_sources (
    source_path  VARCHAR NOT NULL,
    source_file  VARCHAR,
    article_id   VARCHAR NOT NULL,
    size_bytes   BIGINT,
    loaded_at    TIMESTAMPTZ,
    run_id       VARCHAR
);

-- One row per file path under the input folder that could not be staged (current state).
CREATE TABLE IF NOT EXISTS rejects (
    source_path  VARCHAR NOT NULL,
    source_file  VARCHAR,
    reason       VARCHAR,   -- empty | binary | undecodable | html | too_large | not_a_file | unreadable | vanished | extraction_failed
    detail       VARCHAR,   -- a sentence a person understands
    content_hash VARCHAR,
    size_bytes   BIGINT,
    rejected_at  TIMESTAMPTZ,
    run_id       VARCHAR
);

-- One row per article. pub_date is only as precise as known: pub_date_precision says how
-- (day | month | year; with 'year' pub_date is 1 January of that year; null: no date known);
-- pub_date_source says where it came from (dim_provenance).
CREATE TABLE IF NOT EXISTS dim_article (
    article_id       VARCHAR NOT NULL,
    title            VARCHAR,
    pub_date         DATE,
    pub_date_source  VARCHAR,
    outlet           VARCHAR,
    main_region_code VARCHAR,
    n_chars          BIGINT,
    source_file      VARCHAR,   -- file name (no folder) of the article's first source
    run_id           VARCHAR,
    pub_date_precision VARCHAR  -- last: where ALTER TABLE puts it in warehouses made before it
);

-- Warehouses made before the column existed get it (the next load fills it).
ALTER TABLE dim_article ADD COLUMN IF NOT EXISTS pub_date_precision VARCHAR;

-- One row per provenance value: what each fct_facts.year_source and
-- dim_article.pub_date_source value means (seeds/provenance.csv, reloaded each run).
CREATE TABLE IF NOT EXISTS dim_provenance (
    field   VARCHAR NOT NULL,   -- year_source | pub_date_source
    value   VARCHAR NOT NULL,
    meaning VARCHAR            -- one line; (field, value) is unique
);

-- One row per administrative region code and validity period (GB/T 2260).
CREATE TABLE IF NOT EXISTS dim_region (
    region_code    VARCHAR,
    name           VARCHAR,
    short_name     VARCHAR,
    level          VARCHAR,
    parent_code    VARCHAR,
    province_code  VARCHAR,
    valid_from     DATE,
    valid_to       DATE,
    successor_code VARCHAR,
    source         VARCHAR,
    aliases        VARCHAR[]
);

CREATE TABLE IF NOT EXISTS dim_indicator (
    indicator_code VARCHAR, name_zh VARCHAR, name_en VARCHAR, category VARCHAR, unit_code VARCHAR, definition VARCHAR
);

CREATE TABLE IF NOT EXISTS dim_unit (
    unit_code VARCHAR, name_zh VARCHAR, name_en VARCHAR, surface_examples VARCHAR, rule VARCHAR
);

-- One row per calendar year 1949..2100.
CREATE TABLE IF NOT EXISTS dim_year (
    year                INTEGER,
    decade              INTEGER,
    five_year_plan      INTEGER,   -- 13 for 2016-2020 (十三五)
    five_year_plan_name VARCHAR
);

-- One row per quantity mention that passed validation.
CREATE TABLE IF NOT EXISTS fct_facts (
    fact_id        VARCHAR NOT NULL,
    article_id     VARCHAR NOT NULL,
    char_start     BIGINT,
    char_end       BIGINT,
    surface        VARCHAR,
    value          DOUBLE,
    value_base     DOUBLE,
    unit_code      VARCHAR,
    qualifier      VARCHAR,
    indicator_code VARCHAR,
    indicator_text VARCHAR,
    year           BIGINT,
    year_source    VARCHAR,
    region_code    VARCHAR,
    region_source  VARCHAR,
    kind           VARCHAR,
    scope          VARCHAR,
    context        VARCHAR,
    run_id         VARCHAR
);

-- One row per quantity mention that failed validation (kept, never loaded as good).
CREATE TABLE IF NOT EXISTS quarantine_facts (
    fact_id            VARCHAR NOT NULL,
    article_id         VARCHAR NOT NULL,
    char_start         BIGINT,
    char_end           BIGINT,
    surface            VARCHAR,
    value              DOUBLE,
    value_base         DOUBLE,
    unit_code          VARCHAR,
    qualifier          VARCHAR,
    indicator_code     VARCHAR,
    indicator_text     VARCHAR,
    year               BIGINT,
    year_source        VARCHAR,
    region_code        VARCHAR,
    region_source      VARCHAR,
    kind               VARCHAR,
    scope              VARCHAR,
    context            VARCHAR,
    failed_expectation VARCHAR,
    run_id             VARCHAR
);

-- Bookkeeping: facts about the warehouse itself (extractor_version: the extractor that
-- produced the loaded facts; a run with another extractor re-extracts every article).
CREATE TABLE IF NOT EXISTS warehouse_settings (
    key   VARCHAR PRIMARY KEY,
    value VARCHAR
);

-- Bookkeeping: one row per run.
CREATE TABLE IF NOT EXISTS runs (
    run_id              VARCHAR NOT NULL,
    prefect_flow_run_id VARCHAR,
    started_at          TIMESTAMPTZ,
    finished_at         TIMESTAMPTZ,
    status              VARCHAR,   -- running | succeeded | failed | crashed | interrupted (Ctrl-C before
                                   -- the load committed: nothing of the run was loaded) | up_to_date
                                   -- (nothing new: `fupin run` started no flow; all files skipped)
    input_dir           VARCHAR,
    files_discovered    BIGINT,
    articles_staged     BIGINT,
    files_skipped       BIGINT,
    files_rejected      BIGINT,
    facts_loaded        BIGINT,
    facts_quarantined   BIGINT,
    sources_pruned      BIGINT,
    validation_passed   BOOLEAN,   -- NULL when validation did not run
    message             VARCHAR
);

-- Bookkeeping: one row per run x batch x expectation.
CREATE TABLE IF NOT EXISTS validation_results (
    run_id           VARCHAR,
    batch            VARCHAR,
    suite            VARCHAR,
    expectation      VARCHAR,
    "column"         VARCHAR,
    success          BOOLEAN,
    unexpected_count BIGINT,
    element_count    BIGINT,
    details          VARCHAR
);

-- One row per good fact, with its article, names of its codes; score.py reads this.
CREATE OR REPLACE VIEW v_facts AS
WITH f AS (
    SELECT f.*, a.source_file, a.title AS article_title, a.pub_date, a.pub_date_precision, a.outlet,
           coalesce(f.year, year(a.pub_date)) AS ref_year
    FROM fct_facts f LEFT JOIN dim_article a USING (article_id)
), r AS (
    SELECT f.fact_id, r.name
    FROM f JOIN dim_region r ON r.region_code = f.region_code
    QUALIFY row_number() OVER (
        PARTITION BY f.fact_id
        ORDER BY (f.ref_year BETWEEN coalesce(year(r.valid_from), 0) AND coalesce(year(r.valid_to), 9999)) DESC,
                 r.valid_from DESC NULLS LAST, r.name) = 1
)
SELECT f.fact_id, f.article_id, f.source_file,
       CAST(f.char_start AS INTEGER) AS char_start, CAST(f.char_end AS INTEGER) AS char_end,
       f.surface, f.value, f.value_base, f.unit_code, u.name_zh AS unit_name, f.qualifier,
       CAST(f.year AS INTEGER) AS year, f.year_source,
       f.region_code, r.name AS region_name, f.region_source,
       f.indicator_code, i.name_zh AS indicator_name, f.indicator_text,
       f.kind, f.scope, f.context, f.article_title, f.pub_date, f.pub_date_precision, f.outlet, f.run_id
FROM f
LEFT JOIN r ON r.fact_id = f.fact_id
LEFT JOIN (SELECT indicator_code, any_value(name_zh) AS name_zh FROM dim_indicator GROUP BY indicator_code) i
       ON i.indicator_code = f.indicator_code
LEFT JOIN (SELECT unit_code, any_value(name_zh) AS name_zh FROM dim_unit GROUP BY unit_code) u
       ON u.unit_code = f.unit_code;

-- One row per region x indicator x year x unit: actual, region-scope facts only.
-- value_latest comes from the most recently published article (ties: the larger value).
CREATE OR REPLACE VIEW v_timeseries AS
SELECT region_code, any_value(region_name) AS region_name,
       indicator_code, any_value(indicator_name) AS indicator_name,
       year, unit_code,
       arg_max(value_base, (coalesce(pub_date, DATE '1900-01-01'), value_base)) AS value_latest,
       max(value_base) AS value_max,
       min(value_base) AS value_min,
       count(*) AS n_facts,
       count(DISTINCT article_id) AS n_articles
FROM v_facts
WHERE kind = 'actual' AND scope = 'region'
  AND region_code IS NOT NULL AND indicator_code IS NOT NULL AND year IS NOT NULL
GROUP BY region_code, indicator_code, year, unit_code;
