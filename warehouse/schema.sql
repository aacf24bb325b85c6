-- fupin warehouse: staging, star schema and views (DuckDB).
-- Grain of each table is in its comment, its key in PRIMARY KEY. Tables are created if
-- missing; the dimension tables (dim_region, dim_indicator, dim_unit, dim_year) are
-- refilled by every run from the seed data. Columns added to an older warehouse come
-- last, by ALTER TABLE ... ADD COLUMN IF NOT EXISTS (at the end of this file).

-- One staged article = one distinct content (sha256 of the file's bytes). raw_text is the
-- decoded text all char offsets index into. source_* name the file it was first staged from.
CREATE TABLE IF NOT EXISTS stg_articles (
    article_id   VARCHAR NOT NULL,
    source_file  VARCHAR,
    source_path  VARCHAR,
    size_bytes   BIGINT,
    encoding     VARCHAR,   -- the codec the bytes were decoded with (utf-8, gb18030, big5, ...)
    raw_text     VARCHAR,
    n_chars      BIGINT,
    loaded_at    TIMESTAMPTZ,
    run_id       VARCHAR,
    input_kind   VARCHAR,   -- how the text was read: txt | jsonl (a record's text) | html (a page's main text)
    PRIMARY KEY (article_id)
);

-- One row per file path that holds an article (same content under two names = two rows).
-- A JSON Lines file holds one article per line: each line is a source of its own
-- (source_path = '<file>#L<line>', file_path = the file, line_no = the line).
CREATE TABLE IF NOT EXISTS article_sources (
    source_path  VARCHAR NOT NULL,
    source_file  VARCHAR,
    article_id   VARCHAR NOT NULL,
    size_bytes   BIGINT,
    loaded_at    TIMESTAMPTZ,
    run_id       VARCHAR,
    file_path    VARCHAR,   -- the file on disk (= source_path but for JSON Lines)
    line_no      BIGINT,    -- JSON Lines: the line (1-based); else null
    file_hash    VARCHAR,   -- sha256 of the file's bytes: what the plan compares (for .txt = article_id)
    known_digest VARCHAR,   -- digest of what the manifest / record / page said about it (url, date, ...)
    PRIMARY KEY (source_path)
);

-- One row per file path under the input folder that could not be staged (current state).
CREATE TABLE IF NOT EXISTS rejects (
    source_path  VARCHAR NOT NULL,
    source_file  VARCHAR,
    reason       VARCHAR,   -- empty | binary | undecodable | no_main_text | bad_line | too_large | not_a_file | unreadable | vanished | extraction_failed
    detail       VARCHAR,   -- a sentence a person understands
    content_hash VARCHAR,
    size_bytes   BIGINT,
    rejected_at  TIMESTAMPTZ,
    run_id       VARCHAR,
    file_path    VARCHAR,   -- the file on disk (a JSON Lines line's source_path is '<file>#L<line>')
    PRIMARY KEY (source_path)
);

-- One row per problem with the input folder's manifest (manifest.csv / manifest.jsonl or
-- --manifest FILE), as of the last run that read it: a row for a file that is not there,
-- an unparseable date, a duplicate row, a manifest that is neither CSV nor JSON Lines.
CREATE TABLE IF NOT EXISTS manifest_issues (
    manifest_path VARCHAR NOT NULL,
    line_no       BIGINT NOT NULL,   -- 1-based line of the manifest (0: the whole manifest)
    file          VARCHAR,           -- the row's `file` value
    issue         VARCHAR NOT NULL,  -- missing_file | bad_date | duplicate | no_file | unreadable | not_csv_or_jsonl
    detail        VARCHAR,           -- a sentence a person understands
    run_id        VARCHAR,
    PRIMARY KEY (manifest_path, line_no, issue)
);

-- One row per article. pub_date is only as precise as known: pub_date_precision says how
-- (day | year; with 'year' pub_date is 1 January of that year; null: no date known);
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
    url              VARCHAR,   -- from the manifest, the JSON Lines record or the page
    attributes       VARCHAR,   -- JSON object: the manifest's extra columns for this file
    pub_date_precision VARCHAR,  -- day | year
    PRIMARY KEY (article_id)
);

-- One row per provenance value: what each fct_facts.year_source, region_source and
-- dim_article.pub_date_source value means (seeds/provenance.csv, reloaded each run).
CREATE TABLE IF NOT EXISTS dim_provenance (
    field   VARCHAR NOT NULL,   -- year_source | region_source | pub_date_source
    value   VARCHAR NOT NULL,
    meaning VARCHAR,           -- one line
    PRIMARY KEY (field, value)
);

-- One row per administrative region code and period of use (GB/T 2260, county level
-- and above, 1981-2025: seeds/areacodes.csv), plus 100000 for the whole country. A code
-- renamed or re-used has one row per period; the name of a code at a date is the row
-- whose period holds it (valid_from <= date < valid_to).
CREATE TABLE IF NOT EXISTS dim_region (
    region_code     VARCHAR NOT NULL,
    name            VARCHAR NOT NULL,
    short_name      VARCHAR,     -- without the administrative suffix (隆林各族自治县 -> 隆林)
    level           VARCHAR,     -- country | province | prefecture | county
    parent_code     VARCHAR,
    province_code   VARCHAR,
    valid_from      DATE NOT NULL,   -- 1 January of the year the code came into use with this name
    valid_to        DATE,        -- 1 January of the year it changed or went out of use; null = in use
    status          VARCHAR,     -- in_use | retired | changed (renamed or re-assigned)
    successor_code  VARCHAR,     -- the (first) code that took over at valid_to
    successor_codes VARCHAR[],   -- all of them
    source          VARCHAR,     -- areacodes (the national table) | fixed (the country row)
    aliases         VARCHAR[],   -- the names a text may use for it in this period
    PRIMARY KEY (region_code, valid_from)
);

-- One row per indicator (seeds/indicators.csv).
CREATE TABLE IF NOT EXISTS dim_indicator (
    indicator_code VARCHAR NOT NULL,
    name_zh        VARCHAR,
    name_en        VARCHAR,
    category       VARCHAR,
    unit_code      VARCHAR,
    definition     VARCHAR,
    PRIMARY KEY (indicator_code)
);

-- One row per unit (seeds/units.csv).
CREATE TABLE IF NOT EXISTS dim_unit (
    unit_code        VARCHAR NOT NULL,
    name_zh          VARCHAR,
    name_en          VARCHAR,
    surface_examples VARCHAR,
    rule             VARCHAR,
    PRIMARY KEY (unit_code)
);

-- One row per calendar year 1949..2100 (transforms/contracts.py YEAR_MIN..YEAR_MAX).
CREATE TABLE IF NOT EXISTS dim_year (
    year                INTEGER NOT NULL PRIMARY KEY,
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
    run_id         VARCHAR,
    confidence     DOUBLE,    -- probability that every attribute is right, in [0, 1]
    change_direction VARCHAR,  -- decrease | increase: the value is the size of a change (下降1.2个百分点)
    PRIMARY KEY (fact_id)      -- <article_id[:16]>:<char_start>-<char_end>[#n]
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
    run_id             VARCHAR,
    confidence         DOUBLE,
    change_direction   VARCHAR,
    PRIMARY KEY (fact_id)
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

-- Columns added since a warehouse was first created. (Primary keys added since then:
-- warehouse/store.py ensure_schema.)
ALTER TABLE article_sources ADD COLUMN IF NOT EXISTS file_path VARCHAR;
ALTER TABLE article_sources ADD COLUMN IF NOT EXISTS line_no BIGINT;
ALTER TABLE article_sources ADD COLUMN IF NOT EXISTS file_hash VARCHAR;
ALTER TABLE article_sources ADD COLUMN IF NOT EXISTS known_digest VARCHAR;
ALTER TABLE dim_article ADD COLUMN IF NOT EXISTS url VARCHAR;
ALTER TABLE dim_article ADD COLUMN IF NOT EXISTS attributes VARCHAR;
ALTER TABLE dim_article ADD COLUMN IF NOT EXISTS pub_date_precision VARCHAR;
ALTER TABLE rejects ADD COLUMN IF NOT EXISTS file_path VARCHAR;
ALTER TABLE fct_facts ADD COLUMN IF NOT EXISTS confidence DOUBLE;
ALTER TABLE quarantine_facts ADD COLUMN IF NOT EXISTS confidence DOUBLE;
ALTER TABLE fct_facts ADD COLUMN IF NOT EXISTS change_direction VARCHAR;
ALTER TABLE quarantine_facts ADD COLUMN IF NOT EXISTS change_direction VARCHAR;
ALTER TABLE stg_articles ADD COLUMN IF NOT EXISTS input_kind VARCHAR;
UPDATE article_sources SET file_path = source_path, file_hash = article_id WHERE file_path IS NULL;
UPDATE rejects SET file_path = source_path WHERE file_path IS NULL;
-- encoding once also said 'jsonl' / 'html': that is the input kind; a record's codec was UTF-8,
-- a page's is not known
UPDATE stg_articles SET input_kind = CASE WHEN encoding IN ('jsonl', 'html') THEN encoding ELSE 'txt' END,
                        encoding = CASE encoding WHEN 'jsonl' THEN 'utf-8' WHEN 'html' THEN NULL ELSE encoding END
WHERE input_kind IS NULL;

-- One row per good fact, with its article, names of its codes; score.py reads this.
CREATE OR REPLACE VIEW v_facts AS
WITH f AS (
    SELECT f.*, a.source_file, a.title AS article_title, a.pub_date, a.pub_date_precision, a.outlet, a.url,
           coalesce(f.year, year(a.pub_date)) AS ref_year
    FROM fct_facts f LEFT JOIN dim_article a USING (article_id)
), r AS (
    SELECT f.fact_id, r.name
    FROM f JOIN dim_region r ON r.region_code = f.region_code
    QUALIFY row_number() OVER (
        PARTITION BY f.fact_id
        ORDER BY (f.ref_year >= year(r.valid_from) AND f.ref_year < coalesce(year(r.valid_to), 9999)) DESC,
                 r.valid_from DESC NULLS LAST, r.name) = 1
)
SELECT f.fact_id, f.article_id, f.source_file,
       CAST(f.char_start AS INTEGER) AS char_start, CAST(f.char_end AS INTEGER) AS char_end,
       f.surface, f.value, f.value_base, f.unit_code, u.name_zh AS unit_name, f.qualifier,
       CAST(f.year AS INTEGER) AS year, f.year_source,
       f.region_code, r.name AS region_name, f.region_source,
       f.indicator_code, i.name_zh AS indicator_name, f.indicator_text,
       f.kind, f.scope, f.change_direction, f.confidence, f.context, f.article_title, f.pub_date, f.pub_date_precision, f.outlet, f.url, f.run_id
FROM f
LEFT JOIN r ON r.fact_id = f.fact_id
LEFT JOIN (SELECT indicator_code, any_value(name_zh) AS name_zh FROM dim_indicator GROUP BY indicator_code) i
       ON i.indicator_code = f.indicator_code
LEFT JOIN (SELECT unit_code, any_value(name_zh) AS name_zh FROM dim_unit GROUP BY unit_code) u
       ON u.unit_code = f.unit_code;

-- One row per region x indicator x year x unit: actual, region-scope facts only.
-- value_latest comes from the most recently published article (ties: the larger value).
-- timeseries(min_confidence) is the same over facts with confidence >= min_confidence:
--   SELECT * FROM timeseries(0.9) WHERE indicator_code = 'poverty_incidence_rate';
CREATE OR REPLACE MACRO timeseries(min_confidence := 0.0) AS TABLE
SELECT region_code, any_value(region_name) AS region_name,
       indicator_code, any_value(indicator_name) AS indicator_name,
       year, unit_code,
       arg_max(value_base, (coalesce(pub_date, DATE '1900-01-01'), value_base)) AS value_latest,
       max(value_base) AS value_max,
       min(value_base) AS value_min,
       count(*) AS n_facts,
       count(DISTINCT article_id) AS n_articles,
       -- more than 1: the articles disagree (or the code still joins two measures): look at
       -- the facts before trusting value_latest
       count(DISTINCT value_base) AS n_values
FROM v_facts
WHERE kind = 'actual' AND scope = 'region'
  AND coalesce(confidence, 0) >= min_confidence
  AND region_code IS NOT NULL AND indicator_code IS NOT NULL AND year IS NOT NULL
GROUP BY region_code, indicator_code, year, unit_code;

CREATE OR REPLACE VIEW v_timeseries AS SELECT * FROM timeseries(0.0);

