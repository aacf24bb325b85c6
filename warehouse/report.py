"""Data-quality report of the DuckDB warehouse: self-contained HTML pages rendered from Jinja2
templates (warehouse/templates), inline CSS and SVG charts, nothing fetched at view time.

    write_report(warehouse_path, out_dir) -> out_dir/index.html
        + out_dir/runs/<run>.html         one page per run
        + out_dir/articles/<id>.html      one review page per article (warehouse/review.py)
    run_markdown(summary) -> markdown for the Prefect run artifact

The warehouse is opened read-only (warehouse/snapshot.py) and queried as warehouse/schema.sql
declares it. A section whose query fails says so in the page instead of breaking the report.
"""
from __future__ import annotations

import datetime as dt
import logging
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

from fupin.warehouse import charts, review
from fupin.warehouse.snapshot import Reader, open_reader
from fupin.warehouse.templating import Badge, Link, environment, is_num, slug
from fupin.warehouse.verdict import verdict

log = logging.getLogger(__name__)

KEY_INDICATOR = "poverty_incidence_rate"
MAX_TABLE_ROWS = 300
MAX_RUN_ARTICLES = 2000
# columns of `runs` shown in the overview (all of them are on each run's page)
RUN_COLUMNS = ["status", "started_at", "finished_at", "files_discovered", "articles_staged",
               "files_skipped", "files_rejected", "facts_loaded", "facts_quarantined",
               "validation_passed", "message"]
RUN_HEADERS = {"files_discovered": "files found", "articles_staged": "staged", "files_skipped": "skipped",
               "files_rejected": "rejected", "facts_loaded": "facts loaded",
               "facts_quarantined": "quarantined", "validation_passed": "validation passed",
               "started_at": "started"}
OK_STATUS = {"succeeded", "up_to_date"}
BAD_STATUS = {"failed", "crashed"}


@dataclass
class Table:
    rows: list[dict]
    cols: list[str]
    headers: dict = field(default_factory=dict)
    limit: int = MAX_TABLE_ROWS
    total: int = 0
    empty: str = "nothing here"
    klass: str = ""
    num: set = field(default_factory=set)
    td: dict = field(default_factory=dict)  # column -> class of its cells


def table(rows: list[dict], cols: list[str] | None = None, total: int | None = None, **kw) -> Table:
    cols = cols or (list(rows[0]) if rows else [])
    num = {c for c in cols if any(is_num(r.get(c)) for r in rows[:50])}
    td = {c: "num" if c in num else {"context": "ctx", "details": "det"}.get(c, "") for c in cols}
    rows = [{c: r.get(c) for c in cols} for r in rows]
    return Table(rows, cols, total=len(rows) if total is None else total, num=num, td=td, **kw)


def _section(fn: Callable, *args) -> dict:
    try:
        return {"data": fn(*args), "error": None}
    except Exception as e:  # noqa: BLE001 - the report must render whatever the warehouse holds
        return {"data": None, "error": f"{type(e).__name__}: {str(e)[:300]}"}


# ---------------------------------------------------------------------------------------
# queries

def _region_names(w: Reader) -> dict[str, str]:
    return {r["c"]: r["n"] for r in w.rows("select region_code c, any_value(name) n from dim_region group by 1")}


def _region_label(names: dict[str, str], code: Any) -> str:
    if code is None:
        return "(no region)"
    n = names.get(code)
    return f"{n} {code}" if n else str(code)


def _duration(seconds: float) -> str:
    """A run's wall time as a person reads it: 4.2 s, 3 min 05 s, 1 h 02 min (a 5-second run
    was "0.0" minutes)."""
    if seconds < 60:
        return f"{seconds:.1f} s"
    m, s = divmod(round(seconds), 60)
    return f"{m} min {s:02d} s" if m < 60 else f"{m // 60} h {m % 60:02d} min"


def _runs(w: Reader) -> list[dict]:
    return w.rows("select * from runs order by started_at desc nulls last, run_id desc")


def _sec_runs(w: Reader, runs: list[dict]) -> Table:
    failed = dict(w.con.execute("select run_id, count(*) from validation_results where not success group by 1").fetchall())
    rows = []
    for r in runs:
        rr: dict[str, Any] = {"run": Link(f"runs/{slug(r['run_id'])}.html", r["run_id"])}
        for k in RUN_COLUMNS:
            v = r[k]
            if k == "finished_at" and v is not None and r["started_at"] is not None:
                rr["duration"] = _duration((v - r["started_at"]).total_seconds())
            elif k == "status":
                st = str(v)
                rr[k] = Badge(st, "ok" if st in OK_STATUS else "bad" if st in BAD_STATUS else "warn")
            elif k != "finished_at":
                rr[k] = v
        rr["failed checks"] = failed.get(r["run_id"], 0)
        rows.append(rr)
    return table(rows, headers=RUN_HEADERS)


def _sec_validation(w: Reader, run_id: Any | None) -> dict:
    """One row per (suite, expectation, column) of the run, summed over its batches."""
    rows = w.rows(
        'select suite, expectation, "column", bool_and(success) as success, '
        "sum(unexpected_count)::bigint as unexpected_count, sum(element_count)::bigint as element_count, "
        "count(distinct batch) as batches, arg_min(details, case when success then 1 else 0 end) as details "
        'from validation_results where run_id = ? group by all order by success, suite, expectation, "column"',
        [run_id])
    for r in rows:
        if isinstance(r["details"], str) and len(r["details"]) > 200:
            r["details"] = r["details"][:199] + "…"
    bad = [r for r in rows if r["success"] is not True]
    good = [r for r in rows if r["success"] is True]
    cols = list(rows[0]) if rows else []
    return {"run_id": run_id, "rows": rows, "bad": table(bad, cols, limit=400), "good": table(good, cols, limit=400)}


def _failed_by_expectation(w: Reader, where: str = "", params: list = ()) -> list[tuple[str, float]]:
    rows = w.rows("select name, count(*) n from (select unnest(string_split(failed_expectation, ',')) name "
                  f"from quarantine_facts {where}) group by 1 order by n desc, name", params)
    return [(r["name"], float(r["n"])) for r in rows]


def _quarantine_rows(w: Reader, where: str = "", params: list = (), limit: int = 200) -> Table:
    total = w.scalar(f"select count(*) from quarantine_facts q {where}", params)
    rows = w.rows(
        "select a.source_file, q.surface, q.value_base, q.unit_code, q.indicator_code, q.year, q.region_code, "
        "replace(q.failed_expectation, ',', ', ') failed_expectation, "
        "case when length(q.context) > 120 then left(q.context, 119) || '…' else q.context end context "
        f"from quarantine_facts q left join dim_article a using (article_id) {where} "
        f"order by q.article_id, q.char_start limit {int(limit)}", params)
    return table(rows, total=total, limit=limit, empty="no facts quarantined in this run")


def _sec_quarantine(w: Reader) -> dict:
    facts = _quarantine_rows(w, limit=100)
    arts = w.rows(
        "select a.source_file, count(*) as quarantined, "
        "list_sort(list_distinct(flatten(list(string_split(q.failed_expectation, ','))))) as failed_expectations "
        "from quarantine_facts q left join dim_article a using (article_id) "
        "group by 1 order by quarantined desc, 1 limit 15")
    for r in arts:
        r["failed_expectations"] = ", ".join(n for n in r["failed_expectations"] if n)
    chart = charts.hbar(_failed_by_expectation(w)[:25], "Quarantined facts by failed expectation", charts.PALETTE[2])
    return {"total": facts.total, "chart": chart, "articles": table(arts), "facts": facts}


def _sec_rejects(w: Reader, run_id: Any | None = None) -> dict:
    where, params = ("where run_id = ?", [run_id]) if run_id is not None else ("", [])
    total = w.scalar(f"select count(*) from rejects {where}", params)
    by_reason = w.rows(f"select reason, count(*) n from rejects {where} group by 1 order by n desc, 1", params)
    cols = ["source_file", "reason", "detail", "source_path"] if run_id is not None else \
        ["run_id", "source_file", "reason", "detail", "source_path"]
    rows = w.rows(f"select {', '.join(cols)} from rejects {where} order by {cols[0]}, {cols[1]} "
                  f"limit {MAX_TABLE_ROWS}", params)
    return {"by_reason": by_reason, "table": table(rows, cols, total=total, empty="no files were rejected")}


def _key_series(w: Reader, names: dict[str, str]) -> dict | None:
    ind = KEY_INDICATOR if w.scalar("select count(*) from fct_facts where indicator_code = ?", [KEY_INDICATOR]) \
        else w.scalar("select indicator_code from fct_facts where indicator_code is not null "
                      "group by 1 order by count(*) desc, 1 limit 1")
    if not ind:
        return None
    where = ("indicator_code = ? and year is not null and value_base is not null "
             "and coalesce(kind, 'actual') = 'actual' and coalesce(scope, 'region') = 'region'")
    pts = w.rows(
        f"with k as (select * from fct_facts where {where}), "
        "top as (select region_code, count(distinct year) ny, count(*) n from k "
        "group by 1 order by ny desc, n desc, region_code limit 8) "
        "select region_code, year, median(value_base) v from k join top using (region_code) "
        "group by region_code, year, ny, n order by ny desc, n desc, region_code, year", [ind])
    series: dict[Any, list] = {}
    for p in pts:
        series.setdefault(p["region_code"], []).append((int(p["year"]), float(p["v"])))
    unit = w.scalar("select any_value(unit_code) from fct_facts where indicator_code = ?", [ind])
    name = w.scalar("select name_zh from dim_indicator where indicator_code = ?", [ind])
    return charts.lines([(_region_label(names, rc), s) for rc, s in series.items()],
                        f"{name or ind} by year, per region (median of reported actual values)", f"value_base ({unit})")


def _heatmap(w: Reader, names: dict[str, str]) -> dict:
    cells = w.rows(
        "with top as (select region_code from fct_facts where region_code is not null "
        "group by 1 order by count(*) desc, 1 limit 15) "
        "select region_code, year, count(*) n from fct_facts join top using (region_code) "
        "where year is not null group by 1, 2")
    regs = [r["region_code"] for r in w.rows(
        "select region_code from fct_facts where region_code is not null group by 1 order by count(*) desc, 1 limit 15")]
    years = sorted({c["year"] for c in cells})[-25:]
    grid = {(c["region_code"], c["year"]): c["n"] for c in cells}
    vmax = max(grid.values(), default=1)
    rows = []
    for rc in regs:
        out = []
        for y in years:
            n = grid.get((rc, y), 0)
            a = 0.08 + 0.85 * (n / vmax) if n else 0
            out.append({"n": n, "style": (f"background:rgba(78,121,167,{a:.2f});" if n else "")
                        + ("color:#fff;" if a > 0.5 else "")})
        rows.append({"label": _region_label(names, rc), "cells": out})
    return {"years": years, "rows": rows}


def _sec_coverage(w: Reader) -> dict:
    n_facts = w.scalar("select count(*) from fct_facts")
    if not n_facts:
        return {"n_facts": 0}
    names = _region_names(w)
    by_year = w.rows("select year, count(*) n from fct_facts where year is not null group by 1 order by 1")
    by_ind = w.rows("select coalesce(d.name_zh, f.indicator_code, '(none)') c, count(*) n from fct_facts f "
                    "left join dim_indicator d using (indicator_code) group by 1 order by n desc, c")
    by_reg = w.rows("select region_code c, count(*) n from fct_facts group by 1 order by n desc, c limit 20")
    regions = w.rows(
        "select region_code, count(*) facts, count(distinct article_id) articles, count(distinct indicator_code) "
        "indicators, min(year) first_year, max(year) last_year from fct_facts group by 1 order by facts desc, region_code")
    for r in regions:
        r["region"] = names.get(r["region_code"], "")
    inds = w.rows(
        "select f.indicator_code, any_value(d.name_zh) name, count(*) facts, count(distinct f.region_code) regions, "
        "min(f.year) first_year, max(f.year) last_year from fct_facts f "
        "left join dim_indicator d using (indicator_code) group by 1 order by facts desc nulls last")
    missing = [r["indicator_code"] for r in w.rows(
        "select indicator_code from dim_indicator where indicator_code not in "
        "(select indicator_code from fct_facts where indicator_code is not null) order by 1")]
    return {
        "n_facts": n_facts,
        "charts": [charts.columns([(str(r["year"]), float(r["n"])) for r in by_year], "Facts per year"),
                   charts.hbar([(r["c"], float(r["n"])) for r in by_ind[:30]], "Facts per indicator", charts.PALETTE[4]),
                   charts.hbar([(_region_label(names, r["c"]), float(r["n"])) for r in by_reg],
                               "Facts per region (top 20)", charts.PALETTE[1])],
        "series": _key_series(w, names),
        "regions": table(regions, ["region_code", "region", "facts", "articles", "indicators", "first_year", "last_year"],
                         limit=100),
        "heat": _heatmap(w, names),
        "indicators": table(inds, limit=100),
        "missing": missing,
    }


def _article_rows(w: Reader, run_id: Any | None, limit: int, pages: str, written: Path | None = None) -> Table:
    """One row per article (of the run: staged in it): file, title, date, encoding, size,
    facts loaded and quarantined (in the run), and a link to its review page."""
    where, params = ("where s.run_id = $run", {"run": run_id}) if run_id is not None else ("", {})
    in_run = "and run_id = $run" if run_id is not None else ""
    total = w.scalar(f"select count(*) from stg_articles s {where}", params)
    rows = w.rows(
        f"with f as (select article_id, count(*) n from fct_facts where true {in_run} group by 1), "
        f"q as (select article_id, count(*) n from quarantine_facts where true {in_run} group by 1) "
        "select s.article_id, s.source_file, s.encoding, s.size_bytes, d.title, d.pub_date, d.outlet, "
        "coalesce(f.n, 0) facts_loaded, coalesce(q.n, 0) facts_quarantined "
        "from stg_articles s left join dim_article d using (article_id) "
        f"left join f using (article_id) left join q using (article_id) {where} "
        f"order by facts_quarantined desc, s.source_file, s.article_id limit {int(limit)}", params)
    for r in rows:
        aid = r.pop("article_id")
        page = review.page_name(aid)
        # a page deferred to `fupin report` (a large first load) is not linked yet
        r["review"] = Link(f"{pages}{page}", aid[:12]) if written is None or (written / page).exists() else aid[:12]
    cols = ["source_file", "encoding", "size_bytes", "title", "pub_date", "outlet", "facts_loaded",
            "facts_quarantined", "review"]
    return table(rows, cols, total=total, limit=limit, empty="no articles in the warehouse" if run_id is None
                 else "no staged files recorded for this run")


def _summary(w: Reader, runs: list[dict]) -> list[tuple[str, Any]]:
    c = w.rows(
        "select (select count(*) from dim_article) articles, count(*) facts, count(distinct region_code) regions, "
        "count(distinct indicator_code) indicators, min(year) y0, max(year) y1, "
        "(select count(*) from quarantine_facts) quarantined, (select count(*) from rejects) rejected "
        "from fct_facts")[0]
    return [("runs", len(runs)), ("articles", c["articles"]), ("facts", c["facts"]),
            ("quarantined", c["quarantined"]), ("rejected files", c["rejected"]), ("regions", c["regions"]),
            ("indicators", c["indicators"]), ("years", f"{c['y0']}–{c['y1']}" if c["y0"] is not None else None)]


# ---------------------------------------------------------------------------------------
# pages

def _run_page(w: Reader, run: dict, docs: dict, generated: str, written: Path | None = None) -> str:
    rid = run["run_id"]

    def quarantined():
        chart = charts.hbar(_failed_by_expectation(w, "where run_id = ?", [rid])[:25],
                            "Quarantined facts by failed expectation", charts.PALETTE[2])
        return {"chart": chart, "facts": _quarantine_rows(w, "where q.run_id = ?", [rid], limit=500)}

    return environment().get_template("run.html.j2").render(
        title=f"fupin run {rid}", generated=generated, docs=docs,
        nav=[("Validation", "#run-validation"), ("Rejects", "#run-rejects"), ("Quarantine", "#run-quarantine"),
             ("Staged files", "#run-articles"), ("All runs", "../index.html#runs")],
        info=list(run.items()),
        val=_section(_sec_validation, w, rid),
        rej=_section(_sec_rejects, w, rid),
        quarantine=_section(quarantined),
        articles=_section(_article_rows, w, rid, MAX_RUN_ARTICLES, "../", written))


def write_report(warehouse_path: Path, out_dir: Path, docs_dir: Path | None = None,
                 articles: bool = True, max_pages: int | None = None) -> Path:
    """Write out_dir/index.html, a page per run (out_dir/runs/) and, unless articles=False, the
    review page of every article whose data changed (out_dir/articles/, warehouse/review.py).

    docs_dir: the GX Data Docs site to link to; default warehouse_path.parent / "data_docs".
    max_pages: write no review page when more than this many are due (a large first load
    within `fupin run`); the tables then link only the pages that exist.
    Returns the path of index.html.
    """
    warehouse_path, out_dir = Path(warehouse_path), Path(out_dir)
    docs_dir = Path(docs_dir) if docs_dir is not None else warehouse_path.parent / "data_docs"
    (out_dir / "runs").mkdir(parents=True, exist_ok=True)
    docs_index = docs_dir / "index.html"
    docs = {"href": Path(os.path.relpath(docs_index, out_dir)).as_posix(), "exists": docs_index.exists()}
    run_docs = {**docs, "href": Path(os.path.relpath(docs_index, out_dir / "runs")).as_posix()}
    generated = dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    env = environment()

    with open_reader(warehouse_path) as w:
        # pages first: the tables link only the pages that exist when some were deferred
        pages = review.write_pages(w, out_dir, generated, max_pages) if articles else {"deferred": 0}
        written = out_dir if pages["deferred"] else None
        runs = _runs(w)
        # the latest run that ran the flow: an 'up_to_date' run validated nothing
        latest = next((r["run_id"] for r in runs if r["status"] != "up_to_date"), None)
        nav = [("Summary", "#summary"), ("Runs", "#runs"), ("Validation", "#validation"),
               ("Quarantine", "#quarantine"), ("Rejects", "#rejects"), ("Coverage", "#coverage"),
               ("Articles", "#articles")] + ([("GX Data Docs", docs["href"])] if docs["exists"] else [])
        html = env.get_template("index.html.j2").render(
            title="fupin data-quality report", warehouse=str(warehouse_path), generated=generated, nav=nav,
            summary=_summary(w, runs), note=w.note, latest=latest, docs=docs,
            runs=_section(_sec_runs, w, runs),
            val=_section(_sec_validation, w, latest),
            quarantine=_section(_sec_quarantine, w),
            rej=_section(_sec_rejects, w),
            coverage=_section(_sec_coverage, w),
            articles=_section(_article_rows, w, None, MAX_TABLE_ROWS, "", written))
        index = out_dir / "index.html"
        index.write_text(html, encoding="utf-8")
        for r in runs:
            (out_dir / "runs" / f"{slug(r['run_id'])}.html").write_text(
                _run_page(w, r, run_docs, generated, written), encoding="utf-8")
    if pages["deferred"]:
        log.warning("review pages of %d articles not written: run `fupin report` to write them", pages["deferred"])
    return index


# ---------------------------------------------------------------------------------------
# Prefect markdown artifact

def _md(s: Any) -> str:
    return str(s).replace("|", "\\|").replace("\n", " ")


def run_markdown(summary: dict) -> str:
    """A short markdown summary of one run (for prefect.artifacts.create_markdown_artifact).

    summary keys: run_id, staged, skipped, rejected (list of {source_file, reason}),
    facts_loaded, facts_quarantined, validation_passed, warehouse; all optional.
    """
    rejected = summary.get("rejected") or []
    n_rej = len(rejected) if isinstance(rejected, (list, tuple)) else int(rejected or 0)
    word, detail = verdict(summary)
    shown = {"passed": "✅ passed", "quarantined": f"✅ passed; {_md(detail)}",
             "failed": f"❌ failed: {_md(detail)}"}.get(word, "–")

    def n(k):
        v = summary.get(k)
        return f"{v:,}" if isinstance(v, int) else ("–" if v is None else _md(v))

    lines = [f"## fupin run `{_md(summary.get('run_id', '?'))}`", "",
             "| | |", "|---|---:|",
             f"| files staged | {n('staged')} |",
             f"| files skipped (unchanged) | {n('skipped')} |",
             f"| files rejected | {n_rej:,} |",
             f"| facts loaded | {n('facts_loaded')} |",
             f"| facts quarantined | {n('facts_quarantined')} |",
             f"| validation | {shown} |"]
    if summary.get("warehouse"):
        lines.append(f"| warehouse | `{_md(summary['warehouse'])}` |")
    if isinstance(rejected, (list, tuple)) and rejected:
        lines += ["", "### Rejected files", ""]
        for r in rejected[:20]:
            r = r if isinstance(r, dict) else {"source_file": r}
            reason = r.get("reason") or "?"
            lines.append(f"- `{_md(r.get('source_file') or r.get('source_path') or '?')}` — {_md(reason)}")
        if len(rejected) > 20:
            lines.append(f"- … and {len(rejected) - 20:,} more")
    return "\n".join(lines) + "\n"
