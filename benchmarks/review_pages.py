"""Review pages benchmark (issue #13): prints figures, asserts nothing.

  .venv/bin/python benchmarks/review_pages.py [--n 20000] [--out DIR] [--skip-big-page] [--skip-report]

1. ONE BIG PAGE: a 20,000-character article stitched from the seed articles, with its
   real facts (transforms.extract) topped up to 500 with copies on its other numbers (a
   few nested in real ones): render time, page size, and in headless Chromium (DevTools
   protocol, tests/cdp.py) the time to load it, to show a fact's details on a click, to
   filter the facts table and to sort it.
2. A 20,000-ARTICLE WAREHOUSE: ../shared/tools/make_corpus.py --n N (or benchmarks/corpus.py),
   `fupin run --no-report` once (kept in DIR for reuse), then in child processes:
   the report without article pages, the report with every page (first time), the report
   again with nothing changed (the manifest skips every page), and `fupin review` of one
   article. Wall time, peak RSS (ru_maxrss of the child), files and bytes written.
"""
from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT / "benchmarks"))
PY = sys.executable
FUPIN = str(Path(PY).with_name("fupin"))


def big_article(chars: int = 20_000, facts: int = 500) -> dict:
    from fupin import SEEDS
    from fupin.transforms.extract import extract_article

    paras = [p for f in sorted((SEEDS / "articles").glob("*.txt"))
             for p in f.read_text(encoding="utf-8").split("\n") if len(p) > 40]
    text, k = "2021年5月8日 来源:合成语料\n", 0
    while len(text) < chars:
        text += paras[k % len(paras)] + "\n"
        k += 1
    text = text[:chars]
    got = extract_article("big", text).facts
    rows = [{**f, "status": "loaded", "fact_id": f"big:{f['char_start']}-{f['char_end']}", "unit_name": None,
             "region_name": None, "indicator_name": None, "failed_expectation": None, "run_id": "bench"}
            for f in got]
    taken = {(f["char_start"], f["char_end"]) for f in rows}
    base = rows[0]
    for m in re.finditer(r"\d+(?:\.\d+)?", text):
        if len(rows) >= facts:
            break
        if (m.start(), m.end()) in taken:
            continue
        rows.append({**base, "char_start": m.start(), "char_end": m.end(), "surface": m.group(),
                     "fact_id": f"big:{m.start()}-{m.end()}", "status": "quarantined" if len(rows) % 9 == 0
                     else "loaded", "failed_expectation": "bench" if len(rows) % 9 == 0 else None})
    for f in rows[:20]:  # a few facts read from the same characters as another
        rows.append({**f, "fact_id": f["fact_id"] + "#2", "char_end": f["char_start"] + 1,
                     "surface": text[f["char_start"]:f["char_start"] + 1]})
    rows = sorted(rows[:facts], key=lambda f: (f["char_start"], -f["char_end"]))
    return {"article_id": "b" * 64, "raw_text": text, "encoding": "utf-8", "size_bytes": len(text.encode()),
            "n_chars": len(text), "loaded_at": None, "run_id": "bench", "title": "benchmark article",
            "pub_date": None, "pub_date_source": "dateline", "outlet": None, "main_region_code": None,
            "main_region_name": None, "sources": [{"source_path": "/bench/big.txt", "source_file": "big.txt"}],
            "facts": rows}


def bench_big_page(out: Path) -> None:
    from fupin.warehouse.review import render_page

    art = big_article()
    t = time.perf_counter()
    for _ in range(5):
        html = render_page(art, "now")
    render_ms = (time.perf_counter() - t) / 5 * 1000
    page = out / "big_page.html"
    page.write_text(html, encoding="utf-8")
    print(f"big page: {art['n_chars']:,} characters, {len(art['facts'])} facts; render {render_ms:.0f} ms, "
          f"{page.stat().st_size / 1024:,.0f} KiB")
    exe = shutil.which("chromium") or shutil.which("chromium-browser")
    if not exe:
        print("  chromium not installed: no browser figures")
        return
    from cdp import Browser

    b = Browser(exe, 1400, 1000)
    try:
        loads = []
        for _ in range(3):
            t = time.perf_counter()
            b.open(page.as_uri())
            loads.append((time.perf_counter() - t) * 1000)
        marks = b.js("document.querySelectorAll('mark.hl').length")
        nav = b.js("(() => { const e = performance.getEntriesByType('navigation')[0]; "
                   "return [e.domContentLoadedEventEnd, e.loadEventEnd]; })()")
        click = b.js("""(() => { const m = document.getElementById('f250'); const t = performance.now();
            m.dispatchEvent(new MouseEvent('click', {bubbles: true}));
            document.getElementById('detail-body').getBoundingClientRect(); return performance.now() - t; })()""")
        filt = b.js("""(() => { const s = document.getElementById('filter-status'); s.value = 'quarantined';
            const t = performance.now(); s.dispatchEvent(new Event('change'));
            document.body.getBoundingClientRect(); return performance.now() - t; })()""")
        shown = b.js("Array.from(document.querySelectorAll('#fact-table tbody tr')).filter(r => !r.hidden).length")
        b.js("document.getElementById('filters').reset()")
        sort = b.js("""(() => { const h = document.querySelector('th[data-col="8"]'); const t = performance.now();
            h.click(); document.body.getBoundingClientRect(); return performance.now() - t; })()""")
        print(f"  chromium: load {min(loads):.0f}-{max(loads):.0f} ms wall (DOMContentLoaded {nav[0]:.0f} ms, "
              f"load {nav[1]:.0f} ms), {marks} highlights; click -> details {click:.1f} ms; "
              f"filter ({shown} rows left) {filt:.1f} ms; sort by year {sort:.1f} ms; "
              f"console errors {len(b.console_errors())}")
    finally:
        b.close()


def child(code: str) -> dict:
    """Run code in a fresh interpreter; it sets `res`; returns res + wall s + peak RSS MB."""
    wrapped = (f"import json, resource, time\nt = time.perf_counter()\nres = {{}}\n{code}\n"
               "res['wall_s'] = round(time.perf_counter() - t, 2)\n"
               "res['rss_mb'] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)\n"
               "print('RESULT ' + json.dumps(res))")
    p = subprocess.run([PY, "-c", wrapped], capture_output=True, text=True)
    if p.returncode:
        raise SystemExit(p.stderr[-3000:])
    return json.loads(p.stdout.rsplit("RESULT ", 1)[1])


def du(path: Path) -> tuple[int, float]:
    files = [p for p in path.rglob("*") if p.is_file()]
    return len(files), sum(p.stat().st_size for p in files) / 1e6


def bench_report(out: Path, n: int) -> None:
    corpus_dir, wh = out / f"corpus_{n}", out / f"wh_{n}" / "fupin.duckdb"
    if not corpus_dir.exists():
        maker = ROOT.parent / "shared" / "tools" / "make_corpus.py"
        maker = maker if maker.exists() else ROOT / "benchmarks" / "corpus.py"
        subprocess.run([PY, str(maker), "--n", str(n), "--out", str(corpus_dir), "--gbk-share", "0.05"], check=True)
    if not wh.exists():
        t = time.perf_counter()
        subprocess.run([FUPIN, "run", "--input", str(corpus_dir), "--warehouse", str(wh), "--no-report"],
                       check=True, stdout=subprocess.DEVNULL)
        print(f"fupin run --no-report, {n:,} articles: {time.perf_counter() - t:.1f} s")
    import duckdb

    con = duckdb.connect(str(wh), read_only=True)
    facts, quar = con.execute("select (select count(*) from fct_facts), (select count(*) from quarantine_facts)").fetchone()
    one = con.execute("select source_file from article_sources order by source_file limit 1 offset 123").fetchone()[0]
    con.close()
    print(f"warehouse: {n:,} articles, {facts:,} facts loaded, {quar:,} quarantined, "
          f"{wh.stat().st_size / 1e6:.0f} MB")
    rep = out / f"reports_{n}"
    shutil.rmtree(rep, ignore_errors=True)
    write = ("from fupin.warehouse.report import write_report\n"
             f"write_report({str(wh)!r}, {str(rep)!r}, articles={{}})\n")
    r = child(write.format(False))
    print(f"report without article pages (index + run pages): {r['wall_s']} s, peak RSS {r['rss_mb']} MB")
    counts = ("from fupin.warehouse import review, report\n"
              "from fupin.warehouse.snapshot import open_reader\n"
              f"report.write_report({str(wh)!r}, {str(rep)!r}, articles=False)\n"
              f"with open_reader({str(wh)!r}) as w:\n    res.update(review.write_pages(w, {str(rep)!r}, 'now'))\n")
    for label in ("report with every article page (first time)", "report again, nothing changed"):
        r = child(counts)
        files, mb = du(rep / "articles")
        print(f"{label}: {r['wall_s']} s, peak RSS {r['rss_mb']} MB, pages written {r['written']:,}, "
              f"kept {r['kept']:,}; articles/ holds {files:,} files, {mb:,.0f} MB "
              f"({mb * 1e3 / max(files - 1, 1):.1f} KB per page)")
    t = time.perf_counter()
    subprocess.run([FUPIN, "review", one, "--warehouse", str(wh), "--out", str(rep)], check=True,
                   stdout=subprocess.DEVNULL)
    print(f"fupin review {one}: {time.perf_counter() - t:.2f} s (process start included)")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--n", type=int, default=20_000)
    ap.add_argument("--out", default="/tmp/fupin-review-bench")
    ap.add_argument("--skip-big-page", action="store_true")
    ap.add_argument("--skip-report", action="store_true")
    a = ap.parse_args()
    out = Path(a.out)
    out.mkdir(parents=True, exist_ok=True)
    os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
    # a busy machine starts the run's temporary Prefect server slowly (default limit 20 s)
    os.environ.setdefault("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "180")
    if not a.skip_big_page:
        bench_big_page(out)
    if not a.skip_report:
        bench_report(out, a.n)


if __name__ == "__main__":
    main()
