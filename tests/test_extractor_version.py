"""A warehouse remembers which extractor made its facts; a run with other rules or code
re-extracts every article, so old and new facts never sit side by side."""
import shutil
import subprocess
import sys

import pytest

from conftest import SEEDS, query, run_flow
from fupin.transforms.extract import extractor_version

pytestmark = pytest.mark.usefixtures("prefect_harness")


def test_changed_extractor_reextracts_everything(tmp_path):
    inp = tmp_path / "input"
    shutil.copytree(SEEDS, inp)
    wh = tmp_path / "fupin.duckdb"
    first = run_flow(inp, wh)
    assert first["staged"] == 5 and not first["reprocessed"]
    assert query(wh, "select value from warehouse_settings")[0][0] == extractor_version()
    facts_sql = ("select article_id, char_start, char_end, value_base, unit_code, year, region_code, "
                 "indicator_code, indicator_text, kind, scope from fct_facts order by all")
    before = query(wh, facts_sql)
    # As if an older fupin had built it: its facts must not survive beside ours. (A separate
    # process writes: DuckDB allows one configuration per database file per process.)
    subprocess.run([sys.executable, "-c", (
        "import duckdb, sys; con = duckdb.connect(sys.argv[1]);"
        "con.execute(\"update warehouse_settings set value = 'older' where key = 'extractor_version'\");"
        "con.execute(\"update fct_facts set indicator_text = 'stale'\"); con.close()"), str(wh)], check=True)
    second = run_flow(inp, wh)
    assert second["reprocessed"] and second["staged"] == 5 and second["skipped"] == 0
    assert query(wh, facts_sql) == before  # re-extracted: the stale words are gone
    third = run_flow(inp, wh)
    assert not third["reprocessed"] and third["skipped"] == 5
