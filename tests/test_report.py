"""The data-quality report: built from a small warehouse made with warehouse/schema.sql,
rendered in headless Chromium (screenshot + DOM), checked for its sections and for console
errors; plus the empty-warehouse case and the Prefect markdown summary."""
import csv
import datetime as dt
import os
import random
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

import duckdb
import pytest

from fupin.warehouse.report import run_markdown, write_report

pytestmark = pytest.mark.usefixtures("prefect_harness")

ROOT = Path(__file__).resolve().parents[1]
SCHEMA_SQL = ROOT / "warehouse" / "schema.sql"
SECTIONS = ["summary", "runs", "validation", "quarantine", "rejects", "coverage", "articles"]

REGIONS = [("450000", "广西壮族自治区"), ("450102", "兴宁区"), ("451023", "平果县"),
           ("361104", "广信区"), ("520000", "贵州省")]


def create_schema(con) -> None:
    """warehouse/schema.sql as the load applies it."""
    con.execute(SCHEMA_SQL.read_text(encoding="utf-8"))


def _seed_rows(name):
    with open(ROOT / "seeds" / name, encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def make_warehouse(path: Path) -> None:
    """Two runs over a dozen articles, with rejects, quarantined facts and GX results."""
    rng = random.Random(7)
    con = duckdb.connect(str(path))
    create_schema(con)
    for r in _seed_rows("indicators.csv"):
        con.execute("insert into dim_indicator values (?,?,?,?,?,?)",
                    [r["indicator_code"], r["name_zh"], r["name_en"], r["category"], r["unit_code"], r["definition"]])
    for r in _seed_rows("units.csv"):
        con.execute("insert into dim_unit values (?,?,?,?,?)",
                    [r["unit_code"], r["name_zh"], r["name_en"], r["surface_examples"], r["rule"]])
    for code, name in REGIONS:
        con.execute("insert into dim_region (region_code, name, level, valid_from) values (?,?,?, DATE '1981-01-01')",
                    [code, name, "province" if code.endswith("0000") else "county"])
    t0 = dt.datetime(2026, 11, 20, 8, 0, tzinfo=dt.timezone.utc)
    runs = [("20261120T080000-aaaa", t0, 8, 1), ("20261121T080000-bbbb", t0 + dt.timedelta(days=1), 4, 2)]
    fid = 0
    art = 0
    for run_id, started, n_articles, n_rejects in runs:
        loaded = quarantined = 0
        for _ in range(n_articles):
            aid = f"{art:064x}"
            sf = f"{art:03d}_{aid[-16:]}.txt"
            region = REGIONS[art % len(REGIONS)][0]
            pub = dt.date(2017 + art % 6, 1 + art % 12, 1 + art % 27)
            con.execute("insert into stg_articles (article_id, source_file, source_path, size_bytes, encoding, raw_text, "
                        "n_chars, loaded_at, run_id) values (?,?,?,?,?,?,?,?,?)",
                        [aid, sf, f"/in/{sf}", 1000 + art, "utf-8" if art % 4 else "gb18030", "…", 900, started, run_id])
            con.execute("insert into article_sources (source_path, source_file, article_id, size_bytes, loaded_at, "
                        "run_id) values (?,?,?,?,?,?)", [f"/in/{sf}", sf, aid, 1000 + art, started, run_id])
            con.execute("insert into dim_article (article_id, title, pub_date, pub_date_source, outlet, "
                        "main_region_code, n_chars, source_file, run_id) values (?,?,?,?,?,?,?,?,?)",
                        [aid, f"扶贫新闻 {art}", pub, "dateline", "新华网", region, 900, sf, run_id])
            for k in range(12):
                ind = rng.choice(["poverty_incidence_rate", "poor_population", "poverty_funds_invested",
                                  "poor_villages_exited", None])
                unit = {"poverty_incidence_rate": "percent", "poor_population": "person",
                        "poverty_funds_invested": "yuan", "poor_villages_exited": "count"}.get(ind, "count")
                year = pub.year - rng.randint(0, 4)
                value = round(rng.uniform(0.5, 30), 2) if unit == "percent" else float(rng.randint(1, 50000))
                bad = k == 11 and art % 2 == 0
                fid += 1
                row = [f"f{fid}", aid, k * 10, k * 10 + 5, f"{value}", value, value, unit, "exact", ind,
                       "贫困发生率" if ind == "poverty_incidence_rate" else "x", year, "explicit",
                       region if k % 3 else "450000", "main", "actual", "region", f"句子 {k} 的上下文，数字 {value}"]
                if bad:
                    con.execute("insert into quarantine_facts values (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                                row[:7] + ["furlong"] + row[8:]
                                + ["unit_code_in_dim_unit,percent_value_base_at_most_1000", run_id, 0.5, None])
                    quarantined += 1
                else:
                    con.execute("insert into fct_facts values (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                                row + [run_id, 0.9, None])
                    loaded += 1
            art += 1
        # rejects hold the folder's current state, one row per path: the second run's bad0.txt
        # replaces the first run's
        con.execute("delete from rejects")
        for j in range(n_rejects):
            con.execute("insert into rejects (source_path, source_file, reason, detail, content_hash, size_bytes, "
                        "rejected_at, run_id) values (?,?,?,?,?,?,?,?)",
                        [f"/in/bad{j}.txt", f"bad{j}.txt", ["empty", "binary"][j % 2],
                         "the file is empty" if j % 2 == 0 else "the file holds binary data, not text",
                         None, 0, started, run_id])
        for suite, exp, col, ok, unexp, n in [
            ("fupin_articles", "article_id_unique", "article_id", True, 0, n_articles),
            ("fupin_facts", "unit_code_in_dim_unit", "unit_code", quarantined == 0, quarantined, loaded + quarantined),
            ("fupin_facts", "region_code_not_null", "region_code", True, 0, loaded + quarantined),
        ]:
            con.execute("insert into validation_results values (?,?,?,?,?,?,?,?,?)",
                        [run_id, "all", suite, exp, col, ok, unexp, n,
                         '{"type": "expect_column_values_to_be_in_set", "sample_unexpected": ["furlong"]}'])
        con.execute("insert into runs (run_id, started_at, finished_at, status, input_dir, files_discovered, "
                    "articles_staged, files_skipped, files_rejected, facts_loaded, facts_quarantined, "
                    "validation_passed, message) values (?,?,?,?,?,?,?,?,?,?,?,?,?)",
                    [run_id, started, started + dt.timedelta(minutes=2), "succeeded", "/in",
                     n_articles + n_rejects, n_articles, 0, n_rejects, loaded, quarantined, quarantined == 0, None])
    con.close()


# ---------------------------------------------------------------------------------------
# chromium

def _chromium() -> str | None:
    for name in ("chromium", "chromium-browser", "google-chrome"):
        p = shutil.which(name)
        if p:
            return p
    return None


@pytest.fixture(scope="session")
def chromium():
    exe = _chromium()
    if exe is None:
        try:
            subprocess.run("apt-get update -qq && apt-get install -y -qq chromium",
                           shell=True, check=True, capture_output=True, timeout=900)
        except Exception as e:  # noqa: BLE001
            pytest.skip(f"chromium is not installed and apt-get install chromium failed: {e}")
        exe = _chromium()
        if exe is None:
            pytest.skip("chromium is not installed and apt-get did not provide it")
    if not subprocess.run(["fc-list", ":lang=zh"], capture_output=True, text=True).stdout.strip():
        # CJK glyphs for the screenshot; the report itself does not need them
        subprocess.run("apt-get install -y -qq fonts-wqy-microhei", shell=True, capture_output=True, timeout=600)
    return exe


def _chrome(exe: str, url: str, *extra: str, timeout: int = 90) -> subprocess.CompletedProcess:
    profile = tempfile.mkdtemp(prefix="fupin_chrome_")
    try:
        return subprocess.run(
            [exe, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
             "--disable-component-update", "--disable-sync", "--no-first-run",
             "--disable-dev-shm-usage", f"--user-data-dir={profile}", *extra, url],
            capture_output=True, text=True, timeout=timeout)
    finally:
        shutil.rmtree(profile, ignore_errors=True)


def _console_errors(stderr: str) -> list[str]:
    return [l for l in stderr.splitlines()
            if re.search(r"Uncaught|CONSOLE.*(error|Error)|Failed to load resource|net::ERR_", l)]


# ---------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def report(tmp_path_factory):
    d = tmp_path_factory.mktemp("wh")
    wh = d / "fupin.duckdb"
    make_warehouse(wh)
    docs = d / "data_docs"
    docs.mkdir()
    (docs / "index.html").write_text("<html><body>data docs</body></html>", encoding="utf-8")
    index = write_report(wh, d / "reports")
    return wh, index


def test_report_files(report):
    wh, index = report
    assert index == wh.parent / "reports" / "index.html" and index.exists()
    html = index.read_text(encoding="utf-8")
    for s in SECTIONS:
        assert f'id="{s}"' in html, s
    assert "<script" not in html.lower()                  # nothing runs, nothing is fetched
    assert not re.search(r'(src|href)="https?://', html)
    assert "could not be built" not in html               # every section's queries ran
    assert 'href="../data_docs/index.html"' in html       # GX Data Docs beside the report
    assert "<svg" in html and "贫困发生率 by year" in html
    assert "unit_code_in_dim_unit" in html and "bad0.txt" in html and "empty" in html
    runs = sorted((index.parent / "runs").glob("*.html"))
    assert [p.stem for p in runs] == ["20261120T080000-aaaa", "20261121T080000-bbbb"]
    run_html = runs[1].read_text(encoding="utf-8")
    for s in ("run-validation", "run-rejects", "run-quarantine", "run-articles"):
        assert f'id="{s}"' in run_html
    assert 'href="../../data_docs/index.html"' in run_html
    assert "bad1.txt" in run_html and "binary" in run_html
    # run 2 staged articles 8..11 only
    assert "008_" in run_html and "007_" not in run_html
    # one review page per article, linked from the article table and the run pages
    pages = sorted((index.parent / "articles").glob("*.html"))
    assert len(pages) == 12
    assert f'href="articles/{pages[0].name}"' in html
    assert f'href="../articles/{pages[-1].name}"' in run_html


def test_warehouse_opened_read_only(report):
    wh, _ = report
    before = wh.stat().st_mtime_ns
    write_report(wh, wh.parent / "reports2")
    assert wh.stat().st_mtime_ns == before


def test_empty_and_missing_warehouse(tmp_path):
    wh = tmp_path / "empty.duckdb"
    con = duckdb.connect(str(wh))
    create_schema(con)
    con.close()
    html = write_report(wh, tmp_path / "r").read_text(encoding="utf-8")
    assert "could not be built" not in html
    for s in SECTIONS:
        assert f'id="{s}"' in html
    assert "no runs recorded yet" in html
    html = write_report(tmp_path / "nope.duckdb", tmp_path / "r2").read_text(encoding="utf-8")
    assert "does not exist yet" in html and "could not be built" not in html


@pytest.mark.slow
def test_report_renders_in_chromium(report, chromium):
    wh, index = report
    url = index.as_uri()
    png = wh.parent / "report.png"
    shot = _chrome(chromium, url, f"--screenshot={png}", "--window-size=1280,2000",
                   "--enable-logging=stderr", "--v=0", "--hide-scrollbars")
    assert png.exists() and png.stat().st_size > 20_000, shot.stderr[-2000:]
    assert not _console_errors(shot.stderr), _console_errors(shot.stderr)
    dom = _chrome(chromium, url, "--dump-dom", "--enable-logging=stderr", "--v=0")
    assert dom.returncode == 0, dom.stderr[-2000:]
    for s in SECTIONS:
        assert f'id="{s}"' in dom.stdout, s
    assert dom.stdout.count("<svg") >= 4
    assert not _console_errors(dom.stderr), _console_errors(dom.stderr)
    keep = os.environ.get("FUPIN_REPORT_SCREENSHOT")  # e.g. /tmp/report.png, to look at it
    if keep:
        shutil.copy(png, keep)
    run_page = sorted((index.parent / "runs").glob("*.html"))[-1]
    dom = _chrome(chromium, run_page.as_uri(), "--dump-dom", "--enable-logging=stderr", "--v=0")
    assert 'id="run-quarantine"' in dom.stdout and not _console_errors(dom.stderr)


def test_run_markdown():
    md = run_markdown({"run_id": "r1", "staged": 1200, "skipped": 3,
                       "rejected": [{"source_file": "a|b.txt", "reason": "binary"}] * 25,
                       "facts_loaded": 30511, "facts_quarantined": 12, "validation_passed": False,
                       "warehouse": "warehouse/fupin.duckdb"})
    assert md.startswith("## fupin run `r1`")
    assert "| files staged | 1,200 |" in md
    assert "| facts loaded | 30,511 |" in md
    assert "❌ failed" in md
    assert "`a\\|b.txt` — binary" in md
    assert "… and 5 more" in md
    md = run_markdown({"run_id": "r2", "staged": 0, "rejected": [], "validation_passed": True})
    assert "✅ passed" in md and "Rejected files" not in md


@pytest.mark.slow
def test_report_of_a_real_run(tmp_path, chromium):
    """The real flow (staging, extraction, GX, DuckDB) on the seeds plus two bad files."""
    from conftest import SEEDS, run_flow

    inp = tmp_path / "input"
    shutil.copytree(SEEDS, inp)
    (inp / "empty.txt").write_bytes(b"")
    (inp / "blob.txt").write_bytes(bytes(range(256)) * 8)
    wh = tmp_path / "wh" / "fupin.duckdb"
    summary = run_flow(inp, wh)
    assert summary["status"] == "succeeded"
    index = write_report(wh, wh.parent / "reports", wh.parent / "fupin.duckdb.data_docs")
    html = index.read_text(encoding="utf-8")
    assert "could not be built" not in html
    assert (wh.parent / "fupin.duckdb.data_docs" / "index.html").exists()  # the flow's Data Docs, by warehouse
    assert 'href="../fupin.duckdb.data_docs/index.html"' in html
    assert "empty.txt" in html and "blob.txt" in html
    con = duckdb.connect(str(wh), read_only=True)
    n_facts = con.execute("select count(*) from fct_facts").fetchone()[0]
    run_id = con.execute("select run_id from runs").fetchone()[0]
    con.close()
    assert f">{n_facts:,}<" in html  # the summary card
    run_page = index.parent / "runs" / f"{run_id}.html"
    assert run_page.exists()
    for name in ("000_886e44e157196786.txt", "fupin_facts"):
        assert name in run_page.read_text(encoding="utf-8")
    png = tmp_path / "real.png"
    shot = _chrome(chromium, index.as_uri(), f"--screenshot={png}", "--window-size=1280,2000",
                   "--enable-logging=stderr", "--v=0", "--hide-scrollbars")
    assert png.exists() and not _console_errors(shot.stderr)
    # #19: the run's duration is real (a run of seconds was "0.0" minutes), the indicator
    # chart names indicators in Chinese, and the warehouse path in the header is readable
    assert re.search(r"<td[^>]*>\d+\.\d s</td>", html), "no run duration in seconds"
    chart = html[html.index("Facts per indicator"):]
    chart = chart[:chart.index("</svg>")]
    assert "贫困发生率" in chart and "poverty_incidence_rate" not in chart
    assert "贫困发生率 by year" in html
    from cdp import Browser

    b = Browser(chromium, 1280, 900)
    try:
        b.open(index.as_uri())
        fg, bg, under = b.js("(() => { const s = getComputedStyle(document.querySelector('header code')); "
                             "const h = getComputedStyle(document.querySelector('header')); "
                             "return [s.color, s.backgroundColor, h.backgroundColor]; })()")
    finally:
        b.close()
    assert _contrast(fg, _over(bg, under)) >= 4.5, (fg, bg, under)  # WCAG AA for normal text
    keep = os.environ.get("FUPIN_REAL_REPORT_SCREENSHOT")
    if keep:
        shutil.copy(png, keep)
        shutil.copytree(wh.parent, Path(keep).with_suffix(""), dirs_exist_ok=True)


def _rgba(c: str) -> tuple[list[float], float]:
    v = [float(x) for x in re.findall(r"[\d.]+", c)]
    return v[:3], (v[3] if len(v) > 3 else 1.0)


def _over(top: str, under: str) -> str:
    """The colour an rgba() `top` shows over an opaque `under`."""
    (t, a), (u, _) = _rgba(top), _rgba(under)
    return "rgb({}, {}, {})".format(*(a * x + (1 - a) * y for x, y in zip(t, u)))


def _contrast(fg: str, bg: str) -> float:
    """WCAG contrast ratio of a CSS colour over an opaque background colour."""
    f, g = _rgba(_over(fg, bg))[0], _rgba(bg)[0]

    def lum(rgb):
        ch = [x / 255 for x in rgb]
        ch = [x / 12.92 if x <= 0.03928 else ((x + 0.055) / 1.055) ** 2.4 for x in ch]
        return 0.2126 * ch[0] + 0.7152 * ch[1] + 0.0722 * ch[2]

    hi, lo = sorted((lum(f), lum(g)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def test_report_while_a_writer_holds_the_warehouse(report, tmp_path):
    """Another process has the file open for writing: the report reads a snapshot copy."""
    import sys

    wh, _ = report
    busy = tmp_path / "busy.duckdb"
    shutil.copy(wh, busy)
    holder = subprocess.Popen(
        [sys.executable, "-c", "import duckdb, sys, time; c = duckdb.connect(sys.argv[1]); "
                               "c.execute('select 1'); print('ready', flush=True); time.sleep(120)", str(busy)],
        stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "ready"
        html = write_report(busy, tmp_path / "r").read_text(encoding="utf-8")
        assert "read from a snapshot copy" in html
        assert "could not be built" not in html and "20261121T080000-bbbb" in html
    finally:
        holder.kill()
        holder.wait()
