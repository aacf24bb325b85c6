"""The contracts module is the one place of columns, value sets and constants: the warehouse
DDL (new and upgraded), the dimension frames, the expectation suites and seeds/units.csv are
checked against it; production modules import no layer above their own. No Prefect here."""
from __future__ import annotations

import ast
import csv
from pathlib import Path

import duckdb
import pytest

from fupin.transforms import contracts as C
from fupin.warehouse.store import ensure_schema

ROOT = Path(__file__).resolve().parents[1]
LAYERS = ["transforms", "warehouse", "expectations", "flows"]  # bottom to top


def _declared(con, table: str) -> dict[str, str]:
    return {c: t for c, t in con.execute("select column_name, data_type from information_schema.columns "
                                         "where table_name = ? order by ordinal_position", [table]).fetchall()}


def _keys(con) -> dict[str, tuple]:
    return {t: tuple(c) for t, c in con.execute("select table_name, constraint_column_names from duckdb_constraints() "
                                                "where constraint_type = 'PRIMARY KEY'").fetchall()}


def _check_against_contracts(con) -> None:
    for table, cols in C.TABLES.items():
        want = {c: C.duckdb_type(t) for c, t in cols.items()}
        assert _declared(con, table) == want, table
    keys = _keys(con)
    for table, key in C.KEYS.items():
        assert keys.get(table) == key, table


def test_a_new_warehouse_declares_the_contracts():
    con = duckdb.connect()
    ensure_schema(con)
    _check_against_contracts(con)
    assert list(_declared(con, "fct_facts"))[-2:] == ["confidence", "change_direction"]  # added last, as in old warehouses


OLD = """
CREATE TABLE stg_articles (article_id VARCHAR NOT NULL, source_file VARCHAR, source_path VARCHAR, size_bytes BIGINT,
    encoding VARCHAR, raw_text VARCHAR, n_chars BIGINT, loaded_at TIMESTAMPTZ, run_id VARCHAR, PRIMARY KEY (article_id));
CREATE TABLE fct_facts (fact_id VARCHAR NOT NULL, article_id VARCHAR NOT NULL, char_start BIGINT, char_end BIGINT,
    surface VARCHAR, value DOUBLE, value_base DOUBLE, unit_code VARCHAR, qualifier VARCHAR, indicator_code VARCHAR,
    indicator_text VARCHAR, year BIGINT, year_source VARCHAR, region_code VARCHAR, region_source VARCHAR,
    kind VARCHAR, scope VARCHAR, context VARCHAR, run_id VARCHAR);
CREATE TABLE quarantine_facts (fact_id VARCHAR NOT NULL, article_id VARCHAR NOT NULL, char_start BIGINT,
    char_end BIGINT, surface VARCHAR, value DOUBLE, value_base DOUBLE, unit_code VARCHAR, qualifier VARCHAR,
    indicator_code VARCHAR, indicator_text VARCHAR, year BIGINT, year_source VARCHAR, region_code VARCHAR,
    region_source VARCHAR, kind VARCHAR, scope VARCHAR, context VARCHAR, failed_expectation VARCHAR, run_id VARCHAR);
INSERT INTO stg_articles (article_id, encoding) VALUES ('a', 'jsonl'), ('b', 'html'), ('c', 'gb18030');
INSERT INTO fct_facts (fact_id, article_id) VALUES ('a:0-1', 'a');
"""


def test_an_older_warehouse_is_upgraded_to_the_contracts(tmp_path):
    """Tables made before input_kind, confidence and the fact_id keys get them; encoding
    'jsonl' / 'html' of old rows becomes their input kind. Applying the schema again changes
    nothing."""
    con = duckdb.connect(str(tmp_path / "old.duckdb"))
    con.execute(OLD)
    ensure_schema(con)
    ensure_schema(con)
    _check_against_contracts(con)
    assert con.execute("select article_id, input_kind, encoding from stg_articles order by 1").fetchall() == [
        ("a", "jsonl", "utf-8"), ("b", "html", None), ("c", "txt", "gb18030")]
    with pytest.raises(duckdb.ConstraintException):
        con.execute("insert into fct_facts (fact_id, article_id) values ('a:0-1', 'a')")


def test_dimension_frames_and_suites_take_the_contracts():
    pytest.importorskip("great_expectations")
    from fupin.expectations.validate import declare_suites, fupin_name
    from fupin.warehouse.dims import DIM_COLUMNS, build_dims

    assert DIM_COLUMNS is C.DIM_COLUMNS
    for name, df in build_dims().items():
        assert df.columns == C.DIM_COLUMNS[name]
    sets = {fupin_name(e): e.value_set for exps in declare_suites().values() for e in exps
            if type(e).__name__ == "ExpectColumnValuesToBeInSet" and isinstance(e.value_set, list)}
    assert sets["encoding_in_set"] == list(C.ENCODINGS) and sets["input_kind_in_set"] == list(C.INPUT_KINDS)
    assert sets["qualifier_in_set"] == list(C.QUALIFIERS) and sets["kind_in_set"] == list(C.KINDS)
    assert sets["scope_in_set"] == list(C.SCOPES)


def test_every_unit_has_a_bound():
    """seeds/units.csv says each unit's plausible maximum and whether it is counted in whole
    units: a new unit cannot come without a bound."""
    from fupin.expectations.validate import unit_bounds

    with (ROOT / "seeds" / "units.csv").open(encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    assert rows and all(float(r["max_value_base"]) > 0 and r["whole"] in ("yes", "no") for r in rows)
    assert set(unit_bounds()) == {r["unit_code"] for r in rows}
    assert unit_bounds()["person"] == (2e9, True) and unit_bounds()["percent"] == (10000.0, False)


def _fupin_imports(path: Path) -> set[str]:
    """The fupin layers a module imports (at the top or inside functions)."""
    out = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        names = ([a.name for a in node.names] if isinstance(node, ast.Import)
                 else [node.module or ""] if isinstance(node, ast.ImportFrom) else [])
        for n in names:
            parts = n.split(".")
            if parts[0] == "fupin" and len(parts) > 1 and parts[1] in LAYERS:
                out.add(parts[1])
    return out


def test_no_module_imports_a_layer_above_it():
    wrong = []
    for rank, layer in enumerate(LAYERS):
        for path in sorted((ROOT / layer).glob("*.py")):
            above = {x for x in _fupin_imports(path) if LAYERS.index(x) > rank}
            if above:
                wrong.append(f"{layer}/{path.name} imports {sorted(above)}")
    assert not wrong, wrong


def test_the_summary_does_not_cry_wolf():
    """Facts quarantined by design are counted and explained; FAILED is kept for validation
    that could not run or found the data unusable."""
    from fupin.flows.summary import format_summary

    base = {"run_id": "r", "status": "succeeded", "input_dir": "/in", "warehouse": "/w", "staged": 3}
    by_design = {**base, "validation_passed": False, "facts_quarantined": 3, "validation_failures": [
        {"suite": "fupin_facts", "expectation": "year_not_null", "facts": 2},
        {"suite": "fupin_facts", "expectation": "percent_value_base_at_most_1000", "facts": 1}]}
    out = format_summary(by_design)
    assert "FAILED" not in out
    from fupin.warehouse.report import run_markdown
    assert "| validation | ✅ passed; 3 facts quarantined by the expectations" in run_markdown(by_design)
    assert "3 facts quarantined by the expectations (year_not_null 2, percent_value_base_at_most_1000 1)" in out
    broke = {**base, "validation_passed": False, "validation_failures": [
        {"suite": "fupin", "expectation": "validation_ran", "facts": 9}]}
    assert "validation  FAILED: validation could not run" in format_summary(broke)
    unusable = {**base, "validation_passed": False, "validation_failures": [
        {"suite": "fupin_articles", "expectation": "encoding_in_set", "facts": 1}]}
    assert "FAILED: the data is unusable: fupin_articles.encoding_in_set" in format_summary(unusable)
    assert "validation  passed" in format_summary({**base, "validation_passed": True})
