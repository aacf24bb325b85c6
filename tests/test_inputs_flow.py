"""Inputs as crawlers deliver them, through real flow runs into a real DuckDB warehouse: a
manifest (its dates reach extraction, its issues are reported, a change to it alone
re-extracts only the articles it changed), JSON Lines exports and HTML pages side by side
with .txt files, and the declared dimension tables."""
from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from conftest import SEEDS, checksums, query, run_flow

pytestmark = pytest.mark.usefixtures("prefect_harness")

PAGE = Path(__file__).parent / "data" / "news_page.html"
SEED = sorted(SEEDS.glob("*.txt"))


def _manifest(d: Path, rows: list[str]) -> None:
    (d / "manifest.csv").write_text("file,url,published,title,outlet,region,crawler\n" + "\n".join(rows) + "\n",
                                    encoding="utf-8")


def _spans_hold(wh) -> None:
    bad = query(wh, """select count(*) from fct_facts f join stg_articles a using (article_id)
                       where substr(a.raw_text, f.char_start + 1, f.char_end - f.char_start) <> f.surface""")
    assert bad == [(0,)]


def test_manifest_dates_reach_extraction_and_issues_are_reported(seed_dir, tmp_path):
    wh = tmp_path / "w.duckdb"
    a, b = SEED[0].name, SEED[1].name
    _manifest(seed_dir, [f"{a},http://x.cn/a,2016-03-01,标题A,新华网,,spider",
                         f"{b},http://x.cn/b,someday,,,,spider",
                         "gone.txt,http://x.cn/g,2020-01-01,,,,",
                         f"{a},http://x.cn/a-again,2017-01-01,,,,"])
    s = run_flow(seed_dir, wh)
    assert s["status"] == "succeeded" and s["discovered"] == 5  # the manifest is not an article
    assert sorted(i["issue"] for i in s["manifest_issues"]) == ["bad_date", "duplicate", "missing_file"]
    issues = query(wh, "select line_no, file, issue from manifest_issues order by line_no")
    assert issues == [(3, b, "bad_date"), (4, "gone.txt", "missing_file"), (5, a, "duplicate")]
    row = query(wh, "select pub_date::varchar, pub_date_source, url, title, outlet, attributes from dim_article "
                    "where source_file = ?", [a])[0]
    assert row[:5] == ("2016-03-01", "manifest", "http://x.cn/a", "标题A", "新华网")
    assert json.loads(row[5]) == {"crawler": "spider"}
    assert query(wh, "select pub_date_source <> 'manifest', url from dim_article where source_file = ?",
                 [b]) == [(True, "http://x.cn/b")]
    # publication-year facts take the manifest's year
    years = {y for (y,) in query(wh, "select distinct f.year from fct_facts f join dim_article d using (article_id) "
                                     "where d.source_file = ? and f.year_source = 'publication'", [a])}
    assert years <= {2016}
    _spans_hold(wh)


def test_a_manifest_change_alone_re_extracts_only_its_articles(seed_dir, tmp_path):
    from fupin.flows import uptodate

    wh = tmp_path / "w.duckdb"
    a = SEED[0].name
    _manifest(seed_dir, [f"{a},http://x.cn/a,2016-03-01,,,,"])
    first = run_flow(seed_dir, wh)
    before = checksums(wh)
    assert run_flow(seed_dir, wh)["skipped"] == 5 and checksums(wh) == before  # idempotent
    assert uptodate.check(seed_dir, wh).up_to_date
    runs_of = lambda: dict(query(wh, "select d.source_file, any_value(f.run_id) from fct_facts f "  # noqa: E731
                                     "join dim_article d using (article_id) group by 1"))
    old_runs = runs_of()

    _manifest(seed_dir, [f"{a},http://x.cn/a-moved,2017-05-01,,,,"])
    check = uptodate.check(seed_dir, wh)
    assert not check.up_to_date and "manifest" in check.reason
    second = run_flow(seed_dir, wh)
    assert second["staged"] == 1 and second["skipped"] == 4
    assert query(wh, "select pub_date::varchar, url from dim_article where source_file = ?", [a]) == \
        [("2017-05-01", "http://x.cn/a-moved")]
    new_runs = runs_of()
    assert new_runs[a] == second["run_id"]
    assert all(new_runs[k] == old_runs[k] == first["run_id"] for k in new_runs if k != a)
    years = {y for (y,) in query(wh, "select distinct f.year from fct_facts f join dim_article d using (article_id) "
                                     "where d.source_file = ? and f.year_source = 'publication'", [a])}
    assert years <= {2017}
    # back to no manifest: the article goes back to what its text says
    (seed_dir / "manifest.csv").unlink()
    run_flow(seed_dir, wh)
    assert query(wh, "select pub_date_source <> 'manifest', url from dim_article where source_file = ?",
                 [a]) == [(True, None)]
    assert query(wh, "select count(*) from manifest_issues") == [(0,)]


def test_jsonl_and_html_beside_txt(tmp_path):
    inp, wh = tmp_path / "in", tmp_path / "w.duckdb"
    inp.mkdir()
    shutil.copyfile(SEED[0], inp / SEED[0].name)
    shutil.copyfile(PAGE, inp / "page.html")
    shutil.copyfile(PAGE, inp / "saved_page.txt")  # a page saved as .txt: the same page
    texts = [SEED[1].read_text(encoding="utf-8"), SEED[2].read_text(encoding="utf-8")]
    lines = [json.dumps({"text": texts[0], "url": "http://x.cn/j1", "date_publish": "2020-11-20"}, ensure_ascii=False),
             "{this is not json",
             json.dumps({"maintext": texts[1], "date": "2019-11-25T08:00:00"}, ensure_ascii=False)]
    (inp / "export.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    (inp / "empty.html").write_text("<html><body><nav>home</nav></body></html>", encoding="utf-8")

    s = run_flow(inp, wh)
    assert s["status"] == "succeeded" and s["discovered"] == 5
    srcs = query(wh, "select source_file, line_no from article_sources order by source_path")
    assert ("export.jsonl#L1", 1) in srcs and ("export.jsonl#L3", 3) in srcs and ("page.html", None) in srcs
    rej = dict(query(wh, "select source_file, reason from rejects"))
    assert rej == {"export.jsonl#L2": "bad_line", "empty.html": "no_main_text"}
    assert query(wh, "select count(*) from stg_articles") == [(4,)]  # page.html and saved_page.txt: one page
    dates = dict(query(wh, "select source_file, pub_date_source from dim_article"))
    assert dates["export.jsonl#L1"] == "jsonl" and dates["page.html"] == "html_meta"
    page_facts = query(wh, "select f.surface from fct_facts f join dim_article d using (article_id) "
                           "where d.source_file = 'page.html'")
    assert page_facts and not any(x in s for (s,) in page_facts for x in ("77777", "99999", "6666", "3141592"))
    _spans_hold(wh)

    # unchanged: nothing to do; the bad line fixed: its reject goes, the file's lines reload
    before = checksums(wh)
    assert run_flow(inp, wh)["skipped"] == 5 and checksums(wh) == before
    lines[1] = json.dumps({"content": "全县今年减少贫困人口1200人。", "published": "2020-01-01"}, ensure_ascii=False)
    (inp / "export.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    run_flow(inp, wh)
    assert dict(query(wh, "select source_file, reason from rejects")) == {"empty.html": "no_main_text"}
    assert query(wh, "select count(*) from article_sources where file_path like '%export.jsonl'") == [(3,)]
    _spans_hold(wh)


def test_jsonl_and_html_runs_pass_validation(tmp_path):
    """A run over JSON Lines and HTML input with no bad fact passes validation: encoding is
    the codec, input_kind how the text was read (once both were one column and such runs
    recorded validation_passed = false)."""
    from fupin.flows.summary import format_summary

    inp, wh = tmp_path / "in", tmp_path / "w.duckdb"
    inp.mkdir()
    shutil.copyfile(PAGE, inp / "page.html")
    text = SEED[1].read_text(encoding="utf-8")
    (inp / "export.jsonl").write_text(json.dumps({"text": text, "date_publish": "2020-11-20"}, ensure_ascii=False)
                                      + "\n", encoding="utf-8")
    s = run_flow(inp, wh)
    assert (s["staged"], s["facts_quarantined"]) == (2, 0)
    assert s["validation_passed"] is True and "validation  passed" in format_summary(s)
    assert query(wh, "select validation_passed from runs") == [(True,)]
    assert sorted(query(wh, "select input_kind, encoding from stg_articles")) == [("html", "utf-8"), ("jsonl", "utf-8")]


def test_dimension_tables_are_declared_with_keys(seed_dir, tmp_path):
    from fupin.warehouse.dims import DIM_COLUMNS

    wh = tmp_path / "w.duckdb"
    run_flow(seed_dir, wh)
    for table, cols in DIM_COLUMNS.items():
        got = [c for (c,) in query(wh, "select column_name from information_schema.columns where table_name = ? "
                                       "order by ordinal_position", [table])]
        assert got == cols, table
    keys = {(t, tuple(c)) for t, c in query(wh, "select table_name, constraint_column_names from "
                                                "duckdb_constraints() where constraint_type = 'PRIMARY KEY'")}
    for want in [("dim_region", ("region_code", "valid_from")), ("dim_indicator", ("indicator_code",)),
                 ("dim_unit", ("unit_code",)), ("dim_year", ("year",)), ("dim_article", ("article_id",)),
                 ("stg_articles", ("article_id",)), ("article_sources", ("source_path",))]:
        assert want in keys, want
    assert query(wh, "select count(*) from dim_region where source is null") == [(0,)]
    assert query(wh, "select name from dim_region where region_code = '361121'") == [("上饶县",)]
