"""Data-quality report of the DuckDB warehouse: self-contained HTML (inline CSS, inline SVG
charts drawn here, no scripts, nothing fetched at view time).

    write_report(warehouse_path, out_dir) -> out_dir/index.html   (+ out_dir/runs/<run>.html)
    run_markdown(summary) -> markdown for the Prefect run artifact

The warehouse is opened read-only. Every table is optional and read by the columns it
actually has, so the report renders for an empty or half-built warehouse too; a section
whose query fails says so in the page instead of breaking the report.
"""
from __future__ import annotations

import datetime as dt
import html
import math
import os
import re
import shutil
import tempfile
from pathlib import Path
from typing import Any, Iterable

KEY_INDICATOR = "poverty_incidence_rate"
MAX_TABLE_ROWS = 300
MAX_RUN_ARTICLES = 2000
# columns of `runs` shown in the overview (all of them are on each run's page)
RUN_COLUMNS = ["status", "started_at", "finished_at", "files_discovered", "articles_staged",
               "files_skipped", "files_rejected", "facts_loaded", "facts_quarantined",
               "validation_passed", "message"]
PALETTE = ["#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f", "#edc948", "#b07aa1",
           "#ff9da7", "#9c755f", "#bab0ac"]

CSS = """
:root{--fg:#1d2433;--muted:#5b6577;--line:#dde2ea;--bg:#f6f8fb;--ok:#2e7d32;--bad:#c62828;--warn:#b26a00;--acc:#4e79a7}
*{box-sizing:border-box}
body{margin:0;font:14px/1.45 system-ui,-apple-system,"Segoe UI","Noto Sans CJK SC","WenQuanYi Micro Hei","Microsoft YaHei",sans-serif;color:var(--fg);background:var(--bg)}
header{background:#22324a;color:#fff;padding:18px 28px}
header h1{margin:0;font-size:22px} header p{margin:4px 0 0;color:#c9d3e3}
header a{color:#cfe3ff}
nav{padding:8px 28px;background:#fff;border-bottom:1px solid var(--line);position:sticky;top:0}
nav a{margin-right:16px;color:var(--acc);text-decoration:none;font-weight:600}
main{padding:12px 28px 40px;max-width:1400px}
section{background:#fff;border:1px solid var(--line);border-radius:8px;padding:14px 18px;margin:16px 0}
h2{margin:0 0 10px;font-size:18px} h3{margin:14px 0 6px;font-size:15px}
.cards{display:flex;flex-wrap:wrap;gap:10px}
.card{flex:1 1 130px;background:#fff;border:1px solid var(--line);border-radius:8px;padding:10px 14px}
.card .n{font-size:22px;font-weight:700} .card .l{color:var(--muted);font-size:12px;text-transform:uppercase;letter-spacing:.04em}
table{border-collapse:collapse;width:100%;margin:6px 0;font-size:13px}
th,td{border-bottom:1px solid var(--line);padding:4px 8px;text-align:left;vertical-align:top}
th{background:#eef2f7;font-weight:600}
td.num,th.num{text-align:right;font-variant-numeric:tabular-nums}
tr:hover td{background:#fafbfd}
.ok{color:var(--ok);font-weight:600} .bad{color:var(--bad);font-weight:600} .warn{color:var(--warn)}
.muted{color:var(--muted)} .note{color:var(--muted);font-size:12px;margin:4px 0}
.err{background:#fdecea;border:1px solid #f5c2c0;color:#8a1c1c;padding:6px 10px;border-radius:6px}
.charts{display:flex;flex-wrap:wrap;gap:18px}
.chart{flex:1 1 560px;min-width:0} .chart svg{max-width:100%;height:auto}
code{background:#eef2f7;padding:0 4px;border-radius:3px;font-size:12px}
.ctx{max-width:520px;color:var(--muted)}
td.det{max-width:420px;word-break:break-word;font:11px/1.35 ui-monospace,Menlo,Consolas,monospace;color:var(--muted)}
details summary{cursor:pointer;color:var(--acc);margin:6px 0;font-weight:600}
.tw{overflow-x:auto}
.heat td{text-align:center;font-size:12px;padding:3px 4px}
"""


# ---------------------------------------------------------------------------------------
# reading the warehouse

class _Warehouse:
    def __init__(self, path: Path):
        import duckdb

        self.path = Path(path)
        self._tmp: str | None = None
        self.note = ""
        if not self.path.exists():
            self.con = duckdb.connect(":memory:")
            self.note = f"warehouse {self.path} does not exist yet"
        else:
            try:
                self.con = duckdb.connect(str(self.path), read_only=True)
            except duckdb.Error as e:
                # Locked by a writer in another process: report from a snapshot copy.
                self._tmp = tempfile.mkdtemp(prefix="fupin_report_")
                copy = Path(self._tmp) / self.path.name
                shutil.copy2(self.path, copy)
                wal = self.path.with_name(self.path.name + ".wal")
                if wal.exists():
                    shutil.copy2(wal, copy.with_name(copy.name + ".wal"))
                self.con = duckdb.connect(str(copy), read_only=True)
                self.note = f"read from a snapshot copy (warehouse busy: {str(e).splitlines()[0][:120]})"
        self._cols: dict[str, list[str]] = {}
        for t, c in self.con.execute(
            "select table_name, column_name from information_schema.columns "
            "where table_schema = 'main' order by table_name, ordinal_position"
        ).fetchall():
            self._cols.setdefault(t, []).append(c)

    def close(self):
        self.con.close()
        if self._tmp:
            shutil.rmtree(self._tmp, ignore_errors=True)

    def has(self, table: str, *cols: str) -> bool:
        return table in self._cols and all(c in self._cols[table] for c in cols)

    def cols(self, table: str) -> list[str]:
        return list(self._cols.get(table, []))

    def rows(self, sql: str, params: Iterable[Any] = ()) -> list[dict]:
        cur = self.con.execute(sql, list(params))
        names = [d[0] for d in cur.description]
        return [dict(zip(names, r)) for r in cur.fetchall()]

    def scalar(self, sql: str, params: Iterable[Any] = ()) -> Any:
        r = self.con.execute(sql, list(params)).fetchone()
        return r[0] if r else None

    def count(self, table: str, where: str = "", params: Iterable[Any] = ()) -> int | None:
        if table not in self._cols:
            return None
        return int(self.scalar(f'select count(*) from "{table}" {where}', params) or 0)

    def first_col(self, table: str, *candidates: str) -> str | None:
        for c in candidates:
            if self.has(table, c):
                return c
        return None


# ---------------------------------------------------------------------------------------
# html helpers

def _e(x: Any) -> str:
    return html.escape("" if x is None else str(x))


def _fmt(v: Any, col: str = "") -> str:
    if v is None:
        return '<span class="muted">–</span>'
    if isinstance(v, bool):
        return '<span class="ok">yes</span>' if v else '<span class="bad">no</span>'
    if isinstance(v, int):
        return str(v) if "year" in col else f"{v:,}"
    if isinstance(v, float):
        if math.isnan(v) or math.isinf(v):
            return str(v)
        if abs(v) >= 1000:
            return f"{v:,.0f}" if v == int(v) else f"{v:,.2f}"
        return f"{v:.4g}"
    if isinstance(v, dt.datetime):
        return _e(v.strftime("%Y-%m-%d %H:%M"))
    return _e(v)


def _is_num(v: Any) -> bool:
    return isinstance(v, (int, float)) and not isinstance(v, bool)


def _table(rows: list[dict], cols: list[str] | None = None, headers: dict | None = None,
           raw: set[str] = frozenset(), cls: str = "", limit: int = MAX_TABLE_ROWS,
           total: int | None = None, empty: str = "nothing here") -> str:
    if not rows:
        return f'<p class="note">{_e(empty)}</p>'
    cols = cols or list(rows[0].keys())
    headers = headers or {}
    num = {c for c in cols if any(_is_num(r.get(c)) for r in rows[:50])}
    out = [f'<div class="tw"><table class="{cls}"><thead><tr>']
    out += [f'<th class="{"num" if c in num else ""}">{_e(headers.get(c, c))}</th>' for c in cols]
    out.append("</tr></thead><tbody>")
    for r in rows[:limit]:
        out.append("<tr>")
        for c in cols:
            v = r.get(c)
            cell = v if c in raw else _fmt(v, c)
            cc = "num" if c in num else {"context": "ctx", "details": "det"}.get(c, "")
            out.append(f'<td class="{cc}">{cell}</td>')
        out.append("</tr>")
    out.append("</tbody></table></div>")
    n = total if total is not None else len(rows)
    if n > min(limit, len(rows)):
        out.append(f'<p class="note">showing {min(limit, len(rows)):,} of {n:,} rows</p>')
    return "".join(out)


def _kv(pairs: list[tuple[str, Any]]) -> str:
    return "<table>" + "".join(f"<tr><th>{_e(k)}</th><td>{_fmt(v, k)}</td></tr>" for k, v in pairs) + "</table>"


def _cards(pairs: list[tuple[str, Any]]) -> str:
    return '<div class="cards">' + "".join(
        f'<div class="card"><div class="n">{_fmt(v)}</div><div class="l">{_e(k)}</div></div>'
        for k, v in pairs) + "</div>"


def _page(title: str, subtitle: str, nav: list[tuple[str, str]], body: str) -> str:
    navh = "".join(f'<a href="{_e(h)}">{_e(t)}</a>' for t, h in nav)
    return (f'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
            f'<meta name="viewport" content="width=device-width, initial-scale=1">'
            f"<title>{_e(title)}</title><style>{CSS}</style></head><body>"
            f"<header><h1>{_e(title)}</h1><p>{subtitle}</p></header>"
            f"<nav>{navh}</nav><main>{body}</main></body></html>")


def _section(sid: str, title: str, fn, *args) -> str:
    """Render one section; a failing query shows as a note, not a broken report."""
    try:
        inner = fn(*args)
    except Exception as e:  # noqa: BLE001 - the report must render whatever the warehouse holds
        inner = f'<p class="err">this section could not be built: {_e(type(e).__name__)}: {_e(str(e)[:300])}</p>'
    return f'<section id="{sid}"><h2>{_e(title)}</h2>{inner}</section>'


def _slug(s: Any) -> str:
    return re.sub(r"[^A-Za-z0-9._-]+", "_", str(s))[:120] or "run"


# ---------------------------------------------------------------------------------------
# SVG charts

def _nice_max(v: float) -> float:
    if v <= 0:
        return 1.0
    exp = 10 ** math.floor(math.log10(v))
    for m in (1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10):
        if m * exp >= v:
            return m * exp
    return 10 * exp


def _tick(v: float) -> str:
    if v >= 1e8:
        return f"{v / 1e8:g}亿"
    if v >= 1e4:
        return f"{v / 1e4:g}万"
    return f"{v:g}"


def _svg_hbar(items: list[tuple[str, float]], title: str, color: str = PALETTE[0],
              width: int = 640) -> str:
    if not items:
        return f'<p class="note">{_e(title)}: no data</p>'
    bar_h, gap, left, right, top = 18, 5, 230, 70, 26
    h = top + len(items) * (bar_h + gap) + 10
    vmax = max(v for _, v in items) or 1
    plot_w = width - left - right
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{h}" viewBox="0 0 {width} {h}" role="img" aria-label="{_e(title)}">',
           f'<text x="0" y="16" font-size="14" font-weight="600" fill="#1d2433">{_e(title)}</text>']
    for i, (label, v) in enumerate(items):
        y = top + i * (bar_h + gap)
        w = max(1.0, plot_w * v / vmax)
        lab = label if len(label) <= 34 else label[:33] + "…"
        out.append(f'<text x="{left - 6}" y="{y + bar_h - 5}" font-size="12" text-anchor="end" fill="#1d2433">{_e(lab)}</text>')
        out.append(f'<rect x="{left}" y="{y}" width="{w:.1f}" height="{bar_h}" fill="{color}" rx="2"><title>{_e(label)}: {v:,.0f}</title></rect>')
        out.append(f'<text x="{left + w + 4:.1f}" y="{y + bar_h - 5}" font-size="12" fill="#5b6577">{v:,.0f}</text>')
    out.append("</svg>")
    return "".join(out)


def _svg_columns(items: list[tuple[str, float]], title: str, color: str = PALETTE[0],
                 width: int = 640, height: int = 280) -> str:
    if not items:
        return f'<p class="note">{_e(title)}: no data</p>'
    left, right, top, bottom = 56, 12, 28, 42
    pw, ph = width - left - right, height - top - bottom
    vmax = _nice_max(max(v for _, v in items))
    n = len(items)
    slot = pw / n
    bw = max(2.0, slot * 0.75)
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" viewBox="0 0 {width} {height}" role="img" aria-label="{_e(title)}">',
           f'<text x="0" y="16" font-size="14" font-weight="600" fill="#1d2433">{_e(title)}</text>']
    for k in range(5):
        v = vmax * k / 4
        y = top + ph - ph * k / 4
        out.append(f'<line x1="{left}" x2="{width - right}" y1="{y:.1f}" y2="{y:.1f}" stroke="#dde2ea"/>')
        out.append(f'<text x="{left - 6}" y="{y + 4:.1f}" font-size="11" text-anchor="end" fill="#5b6577">{_tick(v)}</text>')
    every = max(1, math.ceil(n / 16))
    for i, (label, v) in enumerate(items):
        x = left + i * slot + (slot - bw) / 2
        hh = ph * v / vmax
        out.append(f'<rect x="{x:.1f}" y="{top + ph - hh:.1f}" width="{bw:.1f}" height="{hh:.1f}" fill="{color}" rx="1"><title>{_e(label)}: {v:,.0f}</title></rect>')
        if i % every == 0:
            out.append(f'<text x="{x + bw / 2:.1f}" y="{top + ph + 16}" font-size="11" text-anchor="middle" fill="#5b6577">{_e(label)}</text>')
    out.append(f'<line x1="{left}" x2="{width - right}" y1="{top + ph}" y2="{top + ph}" stroke="#8792a2"/>')
    out.append("</svg>")
    return "".join(out)


def _svg_lines(series: list[tuple[str, list[tuple[int, float]]]], title: str, y_label: str,
               width: int = 900, height: int = 340) -> str:
    pts = [p for _, s in series for p in s]
    if not pts:
        return f'<p class="note">{_e(title)}: no data</p>'
    left, right, top, bottom = 56, 210, 46, 40
    pw, ph = width - left - right, height - top - bottom
    x0, x1 = min(p[0] for p in pts), max(p[0] for p in pts)
    if x0 == x1:
        x0, x1 = x0 - 1, x1 + 1
    vmax = _nice_max(max(p[1] for p in pts))

    def X(x):
        return left + pw * (x - x0) / (x1 - x0)

    def Y(y):
        return top + ph - ph * y / vmax

    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" viewBox="0 0 {width} {height}" role="img" aria-label="{_e(title)}">',
           f'<text x="0" y="16" font-size="14" font-weight="600" fill="#1d2433">{_e(title)}</text>',
           f'<text x="{left - 40}" y="{top - 14}" font-size="11" fill="#5b6577">{_e(y_label)}</text>']
    for k in range(5):
        v = vmax * k / 4
        out.append(f'<line x1="{left}" x2="{left + pw}" y1="{Y(v):.1f}" y2="{Y(v):.1f}" stroke="#dde2ea"/>')
        out.append(f'<text x="{left - 6}" y="{Y(v) + 4:.1f}" font-size="11" text-anchor="end" fill="#5b6577">{_tick(v)}</text>')
    step = max(1, math.ceil((x1 - x0) / 12))
    for x in range(x0, x1 + 1, step):
        out.append(f'<line x1="{X(x):.1f}" x2="{X(x):.1f}" y1="{top + ph}" y2="{top + ph + 4}" stroke="#8792a2"/>')
        out.append(f'<text x="{X(x):.1f}" y="{top + ph + 17}" font-size="11" text-anchor="middle" fill="#5b6577">{x}</text>')
    out.append(f'<line x1="{left}" x2="{left + pw}" y1="{top + ph}" y2="{top + ph}" stroke="#8792a2"/>')
    for i, (label, s) in enumerate(series):
        c = PALETTE[i % len(PALETTE)]
        s = sorted(s)
        if len(s) > 1:
            d = " ".join(f"{X(x):.1f},{Y(y):.1f}" for x, y in s)
            out.append(f'<polyline points="{d}" fill="none" stroke="{c}" stroke-width="2"/>')
        for x, y in s:
            out.append(f'<circle cx="{X(x):.1f}" cy="{Y(y):.1f}" r="3.2" fill="{c}"><title>{_e(label)} {x}: {y:g}</title></circle>')
        ly = top + 6 + i * 20
        lab = label if len(label) <= 22 else label[:21] + "…"
        out.append(f'<rect x="{left + pw + 16}" y="{ly - 9}" width="12" height="12" fill="{c}" rx="2"/>')
        out.append(f'<text x="{left + pw + 34}" y="{ly + 1}" font-size="12" fill="#1d2433">{_e(lab)}</text>')
    out.append("</svg>")
    return "".join(out)


# ---------------------------------------------------------------------------------------
# queries

def _region_names(w: _Warehouse) -> dict[str, str]:
    if not w.has("dim_region", "region_code"):
        return {}
    nc = w.first_col("dim_region", "region_name", "name", "name_zh", "full_name")
    if not nc:
        return {}
    return {r["c"]: r["n"] for r in w.rows(f'select region_code c, "{nc}" n from dim_region')}


def _region_label(names: dict[str, str], code: Any) -> str:
    if code is None:
        return "(no region)"
    n = names.get(code)
    return f"{n} {code}" if n else str(code)


def _source_file_expr(w: _Warehouse, fact_alias: str = "f") -> tuple[str, str]:
    """(select expression, join clause) giving a fact's source_file."""
    if w.has("dim_article", "article_id", "source_file"):
        return "a.source_file", f"left join dim_article a on a.article_id = {fact_alias}.article_id"
    for t in ("stg_articles", "article_sources"):
        if w.has(t, "article_id", "source_file"):
            return ("a.source_file",
                    f"left join (select article_id, min(source_file) source_file from {t} group by 1) a "
                    f"on a.article_id = {fact_alias}.article_id")
    return "null", ""


def _runs(w: _Warehouse) -> list[dict]:
    if not w.has("runs", "run_id"):
        return []
    order = w.first_col("runs", "started_at", "finished_at", "run_id")
    return w.rows(f'select * from runs order by "{order}" desc nulls last')


def _run_counts(w: _Warehouse, run_id: Any) -> dict[str, Any]:
    out: dict[str, Any] = {}
    if w.has("quarantine_facts", "run_id"):
        out["quarantined"] = w.count("quarantine_facts", "where run_id = ?", [run_id])
    if w.has("rejects", "run_id"):
        out["rejects"] = w.count("rejects", "where run_id = ?", [run_id])
    if w.has("validation_results", "run_id", "success"):
        out["failed checks"] = w.count("validation_results", "where run_id = ? and not success", [run_id])
    return out


def _sec_runs(w: _Warehouse) -> str:
    runs = _runs(w)
    if not runs:
        return '<p class="note">no runs recorded yet</p>'
    rows = []
    keep = [c for c in RUN_COLUMNS if c in runs[0]] or [c for c in runs[0] if c != "run_id"]
    for r in runs:
        rr = {"run": f'<a href="runs/{_slug(r["run_id"])}.html" style="white-space:nowrap">{_e(r["run_id"])}</a>'}
        for k in keep:
            v = r.get(k)
            if k == "finished_at" and isinstance(v, dt.datetime) and isinstance(r.get("started_at"), dt.datetime):
                rr["minutes"] = round((v - r["started_at"]).total_seconds() / 60, 1)
            elif not isinstance(v, (list, dict)):
                rr[k] = v
        if "status" in rr:
            st = str(rr["status"])
            klass = "ok" if st.lower() in ("ok", "success", "succeeded", "completed", "done", "up_to_date") else (
                "bad" if st.lower() in ("failed", "error", "crashed") else "warn")
            rr["status"] = f'<span class="{klass}">{_e(st)}</span>'
        for k, v in _run_counts(w, r["run_id"]).items():
            if (k == "quarantined" and "facts_quarantined" in r) or (k == "rejects" and "files_rejected" in r):
                continue  # runs already counts these
            rr.setdefault(k, v)
        rows.append(rr)
    heads = {"files_discovered": "files found", "articles_staged": "staged", "files_skipped": "skipped",
             "files_rejected": "rejected", "facts_loaded": "facts loaded",
             "facts_quarantined": "quarantined", "validation_passed": "validation passed",
             "started_at": "started"}
    return (_table(rows, raw={"run", "status"}, headers=heads)
            + '<p class="note">open a run for its staged files, rejects, quarantined facts and validation results</p>')


def _docs_link(docs_rel: str | None, docs_exists: bool) -> str:
    if not docs_rel:
        return ""
    if docs_exists:
        return f'<p>Great Expectations Data Docs (every expectation, with samples of unexpected values): <a href="{_e(docs_rel)}">{_e(docs_rel)}</a></p>'
    return f'<p class="note">Great Expectations Data Docs expected at <code>{_e(docs_rel)}</code> (not built yet)</p>'


def _validation_rows(w: _Warehouse, run_id: Any | None) -> list[dict]:
    """One row per (suite, expectation, column) of the run, summed over its batches."""
    t = "validation_results"
    if t not in w._cols:
        return []
    where, params = ("where run_id = ?", [run_id]) if run_id is not None and w.has(t, "run_id") else ("", [])
    keys = [c for c in ("suite", "expectation", "column") if w.has(t, c)]
    if not keys:
        return w.rows(f"select * from {t} {where} limit 400", params)
    agg = []
    if w.has(t, "success"):
        agg.append("bool_and(success) as success")
    for c in ("unexpected_count", "element_count"):
        if w.has(t, c):
            agg.append(f"sum({c})::bigint as {c}")
    if w.has(t, "batch"):
        agg.append("count(distinct batch) as batches")
    if w.has(t, "details"):
        agg.append("arg_min(details, case when success then 1 else 0 end) as details"
                   if w.has(t, "success") else "any_value(details) as details")
    q = ", ".join(f'"{c}"' for c in keys)
    order = ("success, " if w.has(t, "success") else "") + q
    rows = w.rows(f"select {q}{', ' if agg else ''}{', '.join(agg)} from {t} {where} "
                  f"group by {q} order by {order}", params)
    for r in rows:
        if isinstance(r.get("details"), str) and len(r["details"]) > 200:
            r["details"] = r["details"][:199] + "…"
    return rows


def _sec_validation(w: _Warehouse, run_id: Any | None, docs_rel: str | None, docs_exists: bool) -> str:
    rows = _validation_rows(w, run_id)
    head = _docs_link(docs_rel, docs_exists)
    if not rows:
        return head + '<p class="note">no validation results recorded</p>'
    bad = [r for r in rows if r.get("success") is not True]
    good = [r for r in rows if r.get("success") is True]
    n_bad = len(bad)
    summary = (f'<p><span class="{"bad" if n_bad else "ok"}">{n_bad} of {len(rows)} expectation results failed</span>'
               f'{" for run " + _e(run_id) if run_id is not None else ""}.</p>')
    cols = list(rows[0].keys())
    out = head + summary
    if bad:
        out += _table(bad, cols=cols, limit=400)
    if good:
        out += (f"<details><summary>{len(good)} passed</summary>"
                + _table(good, cols=cols, limit=400) + "</details>")
    return out


def _failed_by_expectation(w: _Warehouse, where: str = "", params: Iterable[Any] = ()) -> list[tuple[str, float]]:
    if not w.has("quarantine_facts", "failed_expectation"):
        return []
    rows = w.rows(
        "select name, count(*) n from (select unnest(string_split(failed_expectation, ',')) name "
        f"from quarantine_facts {where}) group by 1 order by n desc, name", params)
    return [(r["name"], float(r["n"])) for r in rows]


def _quarantine_rows(w: _Warehouse, where: str = "", params: Iterable[Any] = (), limit: int = 200) -> tuple[list[dict], int]:
    if "quarantine_facts" not in w._cols:
        return [], 0
    total = w.count("quarantine_facts", where.replace("q.", ""), params) or 0
    sf, join = _source_file_expr(w, "q")
    want = [c for c in ("surface", "value_base", "unit_code", "indicator_code", "year", "region_code",
                        "failed_expectation", "context") if w.has("quarantine_facts", c)]
    sel = ", ".join(f'q."{c}"' for c in want)
    order = "order by " + ", ".join(f"q.{c}" for c in ("article_id", "char_start") if w.has("quarantine_facts", c)) \
        if w.has("quarantine_facts", "article_id") else ""
    rows = w.rows(f"select {sf} as source_file, {sel} from quarantine_facts q {join} {where} {order} limit {limit}", params)
    for r in rows:
        if isinstance(r.get("context"), str) and len(r["context"]) > 120:
            r["context"] = r["context"][:119] + "…"
        if isinstance(r.get("failed_expectation"), str):
            r["failed_expectation"] = r["failed_expectation"].replace(",", ", ")
    return rows, total


def _quarantine_by_article(w: _Warehouse, where: str = "", params: Iterable[Any] = (), limit: int = 15) -> list[dict]:
    if not w.has("quarantine_facts", "article_id", "failed_expectation"):
        return []
    sf, join = _source_file_expr(w, "q")
    rows = w.rows(
        f"select {sf} as source_file, count(*) as quarantined, "
        f"string_agg(distinct q.failed_expectation, ',') as failed_expectations "
        f"from quarantine_facts q {join} {where} "
        f"group by 1 order by quarantined desc, 1 limit {limit}", params)
    for r in rows:
        names = sorted({n for n in (r["failed_expectations"] or "").split(",") if n})
        r["failed_expectations"] = ", ".join(names)
    return rows


def _sec_quarantine(w: _Warehouse) -> str:
    if "quarantine_facts" not in w._cols:
        return '<p class="note">no quarantine table in the warehouse</p>'
    by = _failed_by_expectation(w)
    rows, total = _quarantine_rows(w, limit=100)
    if not total:
        return '<p class="ok">no facts in quarantine</p>'
    arts = _quarantine_by_article(w)
    return (f"<p>{total:,} facts held in quarantine (all runs). A fact that failed several expectations counts once per expectation in the chart.</p>"
            + f'<div class="chart">{_svg_hbar(by[:25], "Quarantined facts by failed expectation", PALETTE[2])}</div>'
            + "<h3>Articles with the most quarantined facts</h3>"
            + _table(arts)
            + f"<details><summary>{min(100, total):,} quarantined facts</summary>"
            + _table(rows, total=total, limit=100) + "</details>")


def _sec_rejects(w: _Warehouse, run_id: Any | None = None) -> str:
    if "rejects" not in w._cols:
        return '<p class="note">no rejects table in the warehouse</p>'
    where, params = ("where run_id = ?", [run_id]) if run_id is not None and w.has("rejects", "run_id") else ("", [])
    total = w.count("rejects", where, params) or 0
    out = []
    if w.has("rejects", "reason"):
        by = w.rows(f"select reason, count(*) n from rejects {where} group by 1 order by n desc", params)
        if by:
            out.append("<p>" + ", ".join(f"<b>{_e(r['reason'])}</b>: {r['n']:,}" for r in by) + "</p>")
    cols = [c for c in ("run_id", "source_file", "reason", "detail", "source_path") if w.has("rejects", c)
            and not (c == "run_id" and run_id is not None)]
    rows = w.rows(f'select {", ".join(chr(34) + c + chr(34) for c in cols)} from rejects {where} '
                  f'order by {", ".join(chr(34) + c + chr(34) for c in cols[:2])} limit {MAX_TABLE_ROWS}', params) if cols else []
    out.append(_table(rows, total=total, empty="no files were rejected"))
    return "".join(out)


def _facts_table(w: _Warehouse) -> str | None:
    return "fct_facts" if "fct_facts" in w._cols else None


def _sec_coverage(w: _Warehouse) -> str:
    ft = _facts_table(w)
    if not ft:
        return '<p class="note">no fact table in the warehouse</p>'
    names = _region_names(w)
    out = []
    n_facts = w.count(ft) or 0
    if n_facts == 0:
        return '<p class="note">the warehouse holds no facts yet</p>'
    charts = []
    if w.has(ft, "year"):
        by_year = w.rows(f"select year, count(*) n from {ft} where year is not null group by 1 order by 1")
        charts.append(_svg_columns([(str(r["year"]), float(r["n"])) for r in by_year], "Facts per year"))
    if w.has(ft, "indicator_code"):
        by_ind = w.rows(f"select coalesce(indicator_code, '(none)') c, count(*) n from {ft} group by 1 order by n desc, c")
        charts.append(_svg_hbar([(r["c"], float(r["n"])) for r in by_ind[:30]], "Facts per indicator", PALETTE[4]))
    if w.has(ft, "region_code"):
        by_reg = w.rows(f"select region_code c, count(*) n from {ft} group by 1 order by n desc, c limit 20")
        charts.append(_svg_hbar([(_region_label(names, r["c"]), float(r["n"])) for r in by_reg],
                                "Facts per region (top 20)", PALETTE[1]))
    out.append('<div class="charts">' + "".join(f'<div class="chart">{c}</div>' for c in charts) + "</div>")

    out.append(_key_series(w, ft, names))

    if w.has(ft, "region_code", "year", "article_id"):
        ind = "count(distinct indicator_code)" if w.has(ft, "indicator_code") else "null"
        regs = w.rows(
            f"select region_code, count(*) facts, count(distinct article_id) articles, {ind} indicators, "
            f"min(year) first_year, max(year) last_year from {ft} group by 1 order by facts desc, region_code")
        for r in regs:
            r["region"] = names.get(r["region_code"], "")
        out.append("<h3>By region</h3>")
        out.append(_table(regs, cols=["region_code", "region", "facts", "articles", "indicators",
                                      "first_year", "last_year"], limit=100))
        out.append(_heatmap(w, ft, names))
    if w.has(ft, "indicator_code", "year"):
        join = ""
        name = "null"
        if w.has("dim_indicator", "indicator_code"):
            nc = w.first_col("dim_indicator", "name_zh", "name", "name_en")
            if nc:
                join, name = "left join dim_indicator d using (indicator_code)", f'any_value(d."{nc}")'
        inds = w.rows(
            f"select indicator_code, {name} name, count(*) facts, count(distinct region_code) regions, "
            f"min(year) first_year, max(year) last_year from {ft} {join} group by 1 order by facts desc nulls last")
        out.append("<h3>By indicator</h3>")
        out.append(_table(inds, limit=100))
        if w.has("dim_indicator", "indicator_code"):
            missing = w.rows(f"select indicator_code from dim_indicator where indicator_code not in "
                             f"(select indicator_code from {ft} where indicator_code is not null) order by 1")
            if missing:
                out.append('<p class="note">indicators with no facts yet: '
                           + ", ".join(f"<code>{_e(r['indicator_code'])}</code>" for r in missing) + "</p>")
    return "".join(out)


def _key_series(w: _Warehouse, ft: str, names: dict[str, str]) -> str:
    if not w.has(ft, "indicator_code", "region_code", "year", "value_base"):
        return ""
    ind = KEY_INDICATOR
    if not w.scalar(f"select count(*) from {ft} where indicator_code = ?", [ind]):
        ind = w.scalar(f"select indicator_code from {ft} where indicator_code is not null "
                       f"group by 1 order by count(*) desc, 1 limit 1")
        if not ind:
            return ""
    cond = ["indicator_code = ?", "year is not null", "value_base is not null"]
    if w.has(ft, "kind"):
        cond.append("coalesce(kind, 'actual') = 'actual'")
    if w.has(ft, "scope"):
        cond.append("coalesce(scope, 'region') = 'region'")
    where = " and ".join(cond)
    top = w.rows(f"select region_code, count(distinct year) ny, count(*) n from {ft} where {where} "
                 f"group by 1 order by ny desc, n desc, region_code limit 8", [ind])
    series = []
    for t in top:
        pts = w.rows(f"select year, median(value_base) v from {ft} where {where} and region_code = ? "
                     f"group by 1 order by 1", [ind, t["region_code"]])
        series.append((_region_label(names, t["region_code"]), [(int(p["year"]), float(p["v"])) for p in pts]))
    unit = w.scalar(f"select any_value(unit_code) from {ft} where indicator_code = ?", [ind]) if w.has(ft, "unit_code") else ""
    return ('<div class="chart">' + _svg_lines(series, f"{ind} by year, per region (median of reported actual values)",
                                              f"value_base ({unit})") + "</div>")


def _heatmap(w: _Warehouse, ft: str, names: dict[str, str]) -> str:
    regs = [r["region_code"] for r in w.rows(
        f"select region_code from {ft} where region_code is not null group by 1 order by count(*) desc, 1 limit 15")]
    if not regs:
        return ""
    cells = w.rows(f"select region_code, year, count(*) n from {ft} where year is not null and region_code in "
                   f"({', '.join('?' for _ in regs)}) group by 1, 2", regs)
    years = sorted({c["year"] for c in cells})
    if not years:
        return ""
    if len(years) > 25:
        years = years[-25:]
    grid = {(c["region_code"], c["year"]): c["n"] for c in cells}
    vmax = max(grid.values()) or 1
    out = ['<h3>Facts by region and year (top 15 regions)</h3><table class="heat"><thead><tr><th>region</th>']
    out += [f"<th>{y}</th>" for y in years]
    out.append("</tr></thead><tbody>")
    for rc in regs:
        out.append(f"<tr><td style='text-align:left'>{_e(_region_label(names, rc))}</td>")
        for y in years:
            n = grid.get((rc, y), 0)
            a = 0.08 + 0.85 * (n / vmax) if n else 0
            bg = f"background:rgba(78,121,167,{a:.2f});" if n else ""
            fg = "color:#fff;" if a > 0.5 else ""
            out.append(f'<td style="{bg}{fg}">{n or ""}</td>')
        out.append("</tr>")
    out.append("</tbody></table>")
    return "".join(out)


def _article_rows(w: _Warehouse, run_id: Any | None, limit: int) -> tuple[list[dict], int]:
    """One row per article: file, title, date, encoding, size, facts loaded, quarantined."""
    base = None
    if run_id is not None:
        for t in ("stg_articles", "article_sources"):
            if w.has(t, "article_id", "run_id"):
                base = (t, "where s.run_id = ?", [run_id])
                break
        if base is None:
            return [], 0
    else:
        for t in ("dim_article", "stg_articles", "article_sources"):
            if w.has(t, "article_id"):
                base = (t, "", [])
                break
        if base is None:
            return [], 0
    t, where, params = base
    # one row per article id even when a table lists an article once per source
    scols = [c for c in ("source_file", "encoding", "size_bytes") if w.has(t, c)]
    sel = ", ".join(["s.article_id"] + [f"min(s.{c}) {c}" for c in scols])
    dim = ""
    dcols: list[str] = []
    if t != "dim_article" and w.has("dim_article", "article_id"):
        dcols = [c for c in ("title", "pub_date", "outlet") if w.has("dim_article", c)]
        dim = "left join dim_article d on d.article_id = b.article_id"
    elif t == "dim_article":
        scols += [c for c in ("title", "pub_date", "outlet") if w.has(t, c) and c not in scols]
        sel = ", ".join(["s.article_id"] + [f"min(s.{c}) {c}" for c in scols])
    f_run = "and f.run_id = ?" if run_id is not None and w.has("fct_facts", "run_id") else ""
    facts = (f"(select count(*) from fct_facts f where f.article_id = b.article_id {f_run})"
             if w.has("fct_facts", "article_id") else "null")
    fparams = [run_id] if f_run and facts != "null" else []
    q_run = "and q.run_id = ?" if run_id is not None and w.has("quarantine_facts", "run_id") else ""
    quar = (f"(select count(*) from quarantine_facts q where q.article_id = b.article_id {q_run})"
            if w.has("quarantine_facts", "article_id") else "null")
    qparams = [run_id] if q_run and quar != "null" else []
    total = int(w.scalar(f"select count(distinct s.article_id) from {t} s {where}", params) or 0)
    outer = ", ".join([f"b.{c}" for c in scols] + [f"d.{c}" for c in dcols])
    sql = (f"select {outer}{',' if outer else ''} {facts} facts_loaded, {quar} facts_quarantined, b.article_id "
           f"from (select {sel} from {t} s {where} group by s.article_id) b {dim} "
           f"order by facts_quarantined desc nulls last, {'b.source_file' if 'source_file' in scols else 'b.article_id'} limit {limit}")
    rows = w.rows(sql, fparams + qparams + params)  # placeholders in text order
    for r in rows:
        r["article_id"] = (r["article_id"] or "")[:12]
    return rows, total


def _sec_articles(w: _Warehouse) -> str:
    rows, total = _article_rows(w, None, MAX_TABLE_ROWS)
    return ('<p class="note">articles with quarantined facts first</p>'
            + _table(rows, total=total, empty="no articles in the warehouse"))


# ---------------------------------------------------------------------------------------
# pages

def _run_page(w: _Warehouse, run: dict, docs_rel: str | None, docs_exists: bool, generated: str) -> str:
    rid = run["run_id"]
    info = _kv([(k, v) for k, v in run.items() if not isinstance(v, (list, dict))])
    body = [f'<p><a href="../index.html">← warehouse report</a></p>',
            f'<section id="run-summary"><h2>Run</h2>{info}</section>']

    def staged():
        rows, total = _article_rows(w, rid, MAX_RUN_ARTICLES)
        return ('<p class="note">files staged in this run; facts quarantined in this run first</p>'
                + _table(rows, total=total, limit=MAX_RUN_ARTICLES, empty="no staged files recorded for this run"))

    def quarantined():
        if not w.has("quarantine_facts", "run_id"):
            return '<p class="note">quarantine has no run_id column</p>'
        by = _failed_by_expectation(w, "where run_id = ?", [rid])
        rows, total = _quarantine_rows(w, "where q.run_id = ?", [rid], limit=500)
        return (f'<div class="chart">{_svg_hbar(by[:25], "Quarantined facts by failed expectation", PALETTE[2])}</div>'
                + _table(rows, total=total, limit=500, empty="no facts quarantined in this run"))

    body.append(_section("run-validation", "Validation results", _sec_validation, w, rid, docs_rel, docs_exists))
    body.append(_section("run-rejects", "Rejected files", _sec_rejects, w, rid))
    body.append(_section("run-quarantine", "Quarantined facts", quarantined))
    body.append(_section("run-articles", "Staged files", staged))
    return _page(f"fupin run {rid}", f"generated {generated}",
                 [("Validation", "#run-validation"), ("Rejects", "#run-rejects"),
                  ("Quarantine", "#run-quarantine"), ("Staged files", "#run-articles"),
                  ("All runs", "../index.html#runs")], "".join(body))


def write_report(warehouse_path: Path, out_dir: Path, docs_dir: Path | None = None) -> Path:
    """Write out_dir/index.html (+ out_dir/runs/<run_id>.html) about the warehouse.

    docs_dir: the GX Data Docs site to link to; default warehouse_path.parent / "data_docs".
    Returns the path of index.html.
    """
    warehouse_path, out_dir = Path(warehouse_path), Path(out_dir)
    docs_dir = Path(docs_dir) if docs_dir is not None else warehouse_path.parent / "data_docs"
    out_dir.mkdir(parents=True, exist_ok=True)
    (out_dir / "runs").mkdir(exist_ok=True)
    docs_index = docs_dir / "index.html"
    docs_rel = Path(os.path.relpath(docs_index, out_dir)).as_posix()
    docs_rel_run = Path(os.path.relpath(docs_index, out_dir / "runs")).as_posix()
    generated = dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")

    w = _Warehouse(warehouse_path)
    try:
        runs = _runs(w) if w.has("runs", "run_id") else []
        # the latest run that ran the flow: an 'up_to_date' run validated nothing
        latest = next((r["run_id"] for r in runs if r.get("status") != "up_to_date"), None)
        ft = _facts_table(w)
        articles = next((w.count(t) for t in ("dim_article", "stg_articles") if t in w._cols), None)
        cards = [("runs", len(runs)), ("articles", articles), ("facts", w.count(ft) if ft else None),
                 ("quarantined", w.count("quarantine_facts")), ("rejected files", w.count("rejects"))]
        if ft and w.has(ft, "region_code"):
            cards.append(("regions", w.scalar(f"select count(distinct region_code) from {ft}")))
        if ft and w.has(ft, "indicator_code"):
            cards.append(("indicators", w.scalar(f"select count(distinct indicator_code) from {ft}")))
        if ft and w.has(ft, "year"):
            y0, y1 = w.con.execute(f"select min(year), max(year) from {ft}").fetchone()
            cards.append(("years", f"{y0}–{y1}" if y0 is not None else None))
        note = f'<p class="note">{_e(w.note)}</p>' if w.note else ""
        body = [f'<section id="summary"><h2>Summary</h2>{_cards(cards)}{note}</section>',
                _section("runs", "Runs", _sec_runs, w),
                _section("validation", f"Validation (latest run{': ' + str(latest) if latest else ''})",
                         _sec_validation, w, latest, docs_rel, docs_index.exists()),
                _section("quarantine", "Quarantine", _sec_quarantine, w),
                _section("rejects", "Rejected files", _sec_rejects, w),
                _section("coverage", "Coverage", _sec_coverage, w),
                _section("articles", "Articles", _sec_articles, w)]
        nav = [("Summary", "#summary"), ("Runs", "#runs"), ("Validation", "#validation"),
               ("Quarantine", "#quarantine"), ("Rejects", "#rejects"), ("Coverage", "#coverage"),
               ("Articles", "#articles")]
        if docs_index.exists():
            nav.append(("GX Data Docs", docs_rel))
        sub = f"warehouse <code>{_e(warehouse_path)}</code> · generated {generated}"
        index = out_dir / "index.html"
        index.write_text(_page("fupin data-quality report", sub, nav, "".join(body)), encoding="utf-8")
        for r in runs:
            (out_dir / "runs" / f"{_slug(r['run_id'])}.html").write_text(
                _run_page(w, r, docs_rel_run, docs_index.exists(), generated), encoding="utf-8")
        return index
    finally:
        w.close()


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
    passed = summary.get("validation_passed")
    verdict = "✅ passed" if passed else ("❌ failed" if passed is False else "–")

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
             f"| validation | {verdict} |"]
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
