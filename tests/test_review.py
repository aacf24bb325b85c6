"""Article review pages (issue #13): every fact highlighted in its article's raw text.

Unit tests of the span nesting and the page's escaping run without Prefect or a browser.
The rest runs the real flow on the seeds plus two articles made here (one holding
`<script>alert(1)</script>` and HTML entities, one traditional with pinyin inside a fact),
writes the report, and drives the pages in Debian's headless Chromium over the DevTools
protocol (tests/cdp.py): real clicks, filters, sorting, screenshots, console messages."""
from __future__ import annotations

import json
import os
import random
import shutil

import duckdb
import pytest

from fupin.warehouse import highlight, review
from fupin.warehouse.highlight import Close, Open, Run

SEED = "000_886e44e157196786.txt"
XSS = ("广西新闻：网页代码<script>alert(1)</script>与实体&amp;&lt;b&gt;都是文字\r\n"
       "2020年广西贫困人口减少到12.5万人，贫困发生率降至0.5%。<img src=x onerror=alert(2)>\r\n")
PINYIN = "廣西2019年脫貧攻堅成效顯著\n廣西壯族自治區扶貧辦消息，2019年全區貧困人口減少到24.5萬(wàn)人，貧困發(fā)生率降至0.2%。\n"


# ----------------------------------------------------------------------------- unit

def _pieces(tokens) -> dict[int, list[str]]:
    """Text inside each span's pieces, from a token stream (checks that it nests)."""
    out: dict[int, list[str]] = {}
    stack: list[int] = []
    for t in tokens:
        if isinstance(t, Open):
            stack.append(t.index)
            out.setdefault(t.index, []).append("")
        elif isinstance(t, Close):
            stack.pop()
        else:
            for i in stack:
                out[i][-1] += t.text
    assert not stack
    return out


def _check(text: str, spans: list[tuple[int, int]]) -> dict[int, list[str]]:
    tokens = highlight.segment(text, spans)
    assert "".join(t.text for t in tokens if isinstance(t, Run)) == text
    pieces = _pieces(tokens)
    for i, (s, e) in enumerate(spans):
        assert "".join(pieces[i]) == text[s:e], (spans, i)
    return pieces


def test_nested_and_equal_spans_are_one_element_each():
    pieces = _check("0123456789", [(1, 4), (2, 3), (6, 9), (6, 9), (0, 10)])
    assert all(len(p) == 1 for p in pieces.values())


def test_crossing_spans_are_split_at_the_crossing():
    pieces = _check("0123456789", [(1, 5), (3, 8)])
    assert pieces == {0: ["1234"], 1: ["34", "567"]}
    opens = [t for t in highlight.segment("0123456789", [(1, 5), (3, 8)]) if isinstance(t, Open)]
    assert [(o.index, o.piece, o.split) for o in opens] == [(0, 0, False), (1, 0, True), (1, 1, True)]


def test_random_spans_keep_text_and_surfaces():
    rng = random.Random(13)
    for _ in range(400):
        n = rng.randint(0, 40)
        text = "".join(rng.choice("贫困人口万元%\r\n12") for _ in range(n))
        spans = []
        for _ in range(rng.randint(0, 12)):
            s = rng.randint(0, n)
            spans.append((s, rng.randint(s, n)))
        pieces = _check(text, spans)
        crossing = {i for i, (s, e) in enumerate(spans) for (s2, e2) in spans if s2 < s < e2 < e}
        for i in set(range(len(spans))) - crossing:
            assert len(pieces[i]) == 1  # a span that crosses none is exactly one element


def _article(text, facts):
    base = {"status": "loaded", "fact_id": "x", "value": 1.0, "value_base": 1.0, "unit_code": "person",
            "unit_name": "人", "qualifier": "exact", "year": 2020, "year_source": "explicit",
            "region_code": "450000", "region_name": "广西壮族自治区", "region_source": "clause",
            "indicator_code": "poor_population", "indicator_name": "贫困人口", "indicator_text": "贫困人口",
            "kind": "actual", "scope": "region", "change_direction": None, "confidence": 0.9, "context": "",
            "failed_expectation": None, "run_id": "r"}
    return {"article_id": "a" * 64, "raw_text": text, "encoding": "utf-8", "size_bytes": len(text.encode()),
            "n_chars": len(text), "loaded_at": None, "run_id": "r1", "title": "<b>标题</b>", "pub_date": None,
            "pub_date_source": "unknown", "outlet": None, "main_region_code": None, "main_region_name": None,
            "sources": [{"source_path": "/in/<x>.txt", "source_file": "<x>.txt"}],
            "facts": [{**base, **f} for f in facts]}


def test_page_escapes_text_and_fields():
    html = review.render_page(_article(XSS, [
        {"char_start": 71, "char_end": 77, "surface": "12.5万人", "indicator_text": "</script><script>alert(3)"},
    ]), "now")
    assert "<script>alert(1)" not in html and "<img src=x" not in html and "<b>标题" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html and "&amp;amp;" in html
    assert "&#13;\n" in html                                   # a stored CR survives HTML parsing
    assert html.count("<script") == 2                          # the JSON data block and the page's script
    assert "</script><script>alert(3)" not in html             # JSON cannot close its script element
    assert "Content-Security-Policy" in html and "'unsafe-inline'" not in html.split("script-src")[1][:80]


# ----------------------------------------------------------------------------- integration

@pytest.fixture(scope="module")
def site(tmp_path_factory, prefect_harness):
    """A real run (the Prefect harness is asked for here, so the unit tests above need none)."""
    from conftest import SEEDS, run_flow

    from fupin.warehouse.report import write_report

    d = tmp_path_factory.mktemp("review")
    inp = d / "input"
    shutil.copytree(SEEDS, inp)
    (inp / "xss.txt").write_text(XSS, encoding="utf-8", newline="")
    (inp / "pinyin.txt").write_text(PINYIN, encoding="utf-8")
    wh = d / "wh" / "fupin.duckdb"
    assert run_flow(inp, wh)["status"] == "succeeded"
    index = write_report(wh, wh.parent / "reports")
    return wh, index.parent


def _q(wh, sql, params=()):
    con = duckdb.connect(str(wh), read_only=True)
    try:
        return con.execute(sql, list(params)).fetchall()
    finally:
        con.close()


def _id(wh, name):
    return _q(wh, "select article_id from article_sources where source_file = ?", [name])[0][0]


def _page(site, name):
    wh, out = site
    return out / review.page_name(_id(wh, name))


def test_pages_written_linked_and_refreshed_only_when_changed(site):
    from fupin.warehouse.snapshot import open_reader

    wh, out = site
    ids = [r[0] for r in _q(wh, "select article_id from stg_articles")]
    assert len(ids) == 7 and all((out / review.page_name(a)).exists() for a in ids)
    index = (out / "index.html").read_text(encoding="utf-8")
    run_page = next((out / "runs").glob("*.html")).read_text(encoding="utf-8")
    for a in ids:
        assert f'href="articles/{a}.html"' in index
        assert f'href="../articles/{a}.html"' in run_page
    with open_reader(wh) as r:
        assert review.write_pages(r, out, "now") == {"written": 0, "kept": 7, "removed": 0, "deferred": 0}
        (out / review.page_name(ids[0])).unlink()
        # more pages due than fupin run writes: none is written, they are left to fupin report
        assert review.write_pages(r, out, "now", max_written=0) == {"written": 0, "kept": 6, "removed": 0,
                                                                    "deferred": 1}
        assert not (out / review.page_name(ids[0])).exists()
        assert review.write_pages(r, out, "now")["written"] == 1


@pytest.fixture(scope="module")
def browser(chromium_exe):
    from cdp import Browser

    b = Browser(chromium_exe, 1400, 1000)
    yield b
    b.close()


@pytest.fixture(scope="module")
def chromium_exe():
    exe = shutil.which("chromium") or shutil.which("chromium-browser")
    if exe is None:
        pytest.skip("chromium is not installed (.ci/run installs it with apt-get)")
    return exe


def _facts(wh, aid):
    return _q(wh, "select 'loaded', fact_id, surface from fct_facts where article_id = ? union all "
                  "select 'quarantined', fact_id, surface from quarantine_facts where article_id = ?", [aid, aid])


FACTS_JS = """(() => { const d = JSON.parse(document.getElementById('fact-data').textContent);
  return d.rows.map((r, i) => Object.fromEntries([['i', i]].concat(d.cols.map((c, k) => [c, r[k]])))); })()"""
MARKS_JS = """(() => { const out = {}; document.querySelectorAll('mark.hl').forEach(m => {
  (out[m.dataset.f] = out[m.dataset.f] || []).push([m.textContent, m.id, m.classList.contains('q')]); });
  return out; })()"""


@pytest.mark.slow
def test_every_fact_has_one_highlight_equal_to_its_surface(site, browser):
    wh, _ = site
    aid = _id(wh, SEED)
    browser.open(_page(site, SEED).as_uri())
    data = browser.js(FACTS_JS)
    marks = browser.js(MARKS_JS)
    facts = _facts(wh, aid)
    assert len(data) == len(facts) and sum(s == "loaded" for s, _, _ in facts) > 10
    index = {(d["status"], d["fact_id"]): d["i"] for d in data}
    for status, fid, surface in facts:
        i = index[(status, fid)]
        assert marks[str(i)] == [[surface, f"f{i}", status == "quarantined"]], (fid, marks.get(str(i)))
    raw = _q(wh, "select raw_text from stg_articles where article_id = ?", [aid])[0][0]
    assert browser.js("document.getElementById('text').textContent") == raw
    assert not browser.console_errors()


@pytest.mark.slow
def test_click_shows_details_and_rows_jump_to_highlights(site, browser):
    browser.open(_page(site, SEED).as_uri())
    data = browser.js(FACTS_JS)
    f = next(d for d in data if d["region_code"] and d["year"] and d["status"] == "loaded")
    browser.click(f"#f{f['i']}")
    detail = browser.js("document.getElementById('detail-body').innerText")
    for want in (f["surface"], f["unit_code"], str(f["year"]), f["year_source"], f["region_code"],
                 f["region_source"], f["kind"], f["scope"], f["qualifier"]):
        assert want in detail, (want, detail)
    assert browser.js(f"document.getElementById('f{f['i']}').classList.contains('sel')")
    assert browser.js(f"document.getElementById('row{f['i']}').classList.contains('sel')")
    # hovering another fact shows it; leaving it shows the selected one again
    other = next(d for d in data if d["i"] != f["i"] and d["surface"] != f["surface"])
    browser.move(*browser.point(f"#f{other['i']}"))
    assert other["surface"] in browser.js("document.querySelector('#detail-body .d-surface').textContent")
    browser.move(2, 2)
    assert browser.js("document.querySelector('#detail-body .d-surface').textContent") == f["surface"]
    # the last row jumps to its highlight (scrolled into view), its link back to the row
    last = data[-1]["i"]
    browser.click(f"#row{last} td:nth-child(3)")
    top = browser.js(f"document.getElementById('f{last}').getBoundingClientRect().top")
    assert 0 <= top <= browser.js("window.innerHeight")
    assert data[-1]["surface"] in browser.js("document.getElementById('detail-body').innerText")
    browser.click("#to-row")
    top = browser.js(f"document.getElementById('row{last}').getBoundingClientRect().top")
    assert 0 <= top <= browser.js("window.innerHeight")
    assert not browser.console_errors() and not browser.dialogs()


@pytest.mark.slow
def test_screenshot(site, browser, tmp_path):
    """The top of a page with a target fact selected; docs/review.png is made this way:
    FUPIN_REVIEW_SCREENSHOT=docs/review.png pytest tests/test_review.py -k screenshot"""
    browser.open(_page(site, "003_b25889819c5a190c.txt").as_uri())
    data = browser.js(FACTS_JS)
    target = next(d for d in data if d["kind"] == "target")
    browser.click(f"#f{target['i']}")
    browser.js("window.scrollTo(0, 0)")
    png = tmp_path / "review.png"
    browser.screenshot(png)
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and png.stat().st_size > 50_000
    assert target["surface"] in browser.js("document.getElementById('detail-body').innerText")
    assert not browser.console_errors()
    keep = os.environ.get("FUPIN_REVIEW_SCREENSHOT")
    if keep:
        shutil.copy(png, keep)


@pytest.mark.slow
def test_filter_rows_match_sql_and_sort(site, browser):
    wh, _ = site
    aid = _id(wh, SEED)
    browser.open(_page(site, SEED).as_uri())
    (ind, n_ind), = _q(wh, "select indicator_code, count(*) from fct_facts where article_id = ? and indicator_code "
                           "is not null group by 1 order by 2 desc, 1 limit 1", [aid])
    visible = "Array.from(document.querySelectorAll('#fact-table tbody tr')).filter(r => !r.hidden).length"

    def choose(name, value):
        browser.js(f"(() => {{ const s = document.getElementById('filter-{name}'); s.value = {json.dumps(value)}; "
                   "s.dispatchEvent(new Event('change')); })()")

    choose("indicator", ind)
    assert browser.js(visible) == n_ind + _q(
        wh, "select count(*) from quarantine_facts where article_id = ? and indicator_code = ?", [aid, ind])[0][0]
    choose("status", "loaded")
    choose("kind", "actual")
    n = _q(wh, "select count(*) from fct_facts where article_id = ? and indicator_code = ? and kind = 'actual'",
           [aid, ind])[0][0]
    assert browser.js(visible) == n and browser.js("document.getElementById('count').textContent").startswith(f"{n} of")
    year = _q(wh, "select min(year) from fct_facts where article_id = ?", [aid])[0][0]
    browser.click("#filter-reset")
    choose("year", str(year))
    assert browser.js(visible) == _q(wh, "select count(*) from (select year from fct_facts where article_id = ? "
                                         "union all select year from quarantine_facts where article_id = ?) "
                                         "where year = ?", [aid, aid, year])[0][0]
    browser.click("#filter-reset")
    browser.click('th[data-col="8"]')  # year, ascending; facts without a year last
    years = browser.js("Array.from(document.querySelectorAll('#fact-table tbody tr')).map(r => r.dataset.year)")
    known = [int(y) for y in years if y]
    assert known == sorted(known) and all(y for y in years[:len(known)])
    assert not browser.console_errors()


@pytest.mark.slow
def test_script_in_an_article_is_text(site, browser):
    wh, _ = site
    page = _page(site, "xss.txt")
    html = page.read_text(encoding="utf-8")
    assert "<script>alert" not in html and "<img src=x" not in html
    browser.open(page.as_uri())
    text = browser.js("document.getElementById('text').textContent")
    assert text == XSS                                   # CRLF kept, entities as written
    assert "<script>alert(1)</script>" in text and "&amp;&lt;b&gt;" in text
    assert browser.js("document.scripts.length") == 2 and browser.js("document.images.length") == 0
    assert "<script>alert(1)</script>" in browser.js("document.getElementById('title').textContent")
    assert not browser.dialogs() and not browser.console_errors()
    marks = browser.js(MARKS_JS)
    assert sorted(m[0][0] for m in marks.values()) == sorted(s for _, _, s in _facts(wh, _id(wh, "xss.txt")))


@pytest.mark.slow
def test_pinyin_inside_a_fact_is_highlighted(site, browser):
    wh, _ = site
    surfaces = [s for _, _, s in _facts(wh, _id(wh, "pinyin.txt"))]
    assert "24.5萬(wàn)人" in surfaces
    browser.open(_page(site, "pinyin.txt").as_uri())
    marks = [m[0][0] for m in browser.js(MARKS_JS).values()]
    assert sorted(marks) == sorted(surfaces)
    assert browser.js("document.getElementById('text').textContent") == PINYIN
    assert not browser.console_errors()


@pytest.mark.slow
def test_overlapping_facts_in_the_browser(browser, tmp_path):
    """Nested, equal and crossing spans: one element per fact, its text the surface; a
    crossing fact's pieces join to its surface."""
    text = "2020年全区贫困人口减少到12.5万人，贫困发生率降至0.5%。"
    spans = [(14, 21), (14, 18), (14, 21), (16, 23), (29, 33)]
    art = _article(text, [{"char_start": s, "char_end": e, "surface": text[s:e], "fact_id": f"f{k}",
                           "status": "quarantined" if k == 1 else "loaded"} for k, (s, e) in enumerate(spans)])
    page = tmp_path / "overlap.html"
    page.write_text(review.render_page(art, "now"), encoding="utf-8")
    browser.open(page.as_uri())
    marks = browser.js(MARKS_JS)
    for k, (s, e) in enumerate(spans):
        got = marks[str(k)]
        assert "".join(m[0] for m in got) == text[s:e]
        assert [m[1] for m in got].count(f"f{k}") == 1
        if k != 3:
            assert len(got) == 1
        assert all(m[2] == (k == 1) for m in got)  # quarantined facts are marked apart
    browser.click("#f3")
    assert text[16:23] in browser.js("document.getElementById('detail-body').innerText")
    assert not browser.console_errors()


def test_cli_review_resolves_names(site, capsys):
    from fupin.flows.cli import main

    wh, out = site
    aid = _id(wh, SEED)
    for name in (SEED, aid, aid[:10], SEED[:6]):
        assert main(["review", name, "--warehouse", str(wh), "--out", str(out / "cli")]) == 0
        assert capsys.readouterr().out.strip() == str(out / "cli" / review.page_name(aid))
    assert main(["review", "00", "--warehouse", str(wh)]) == 1          # several seeds start with 00
    assert "names" in capsys.readouterr().err
    assert main(["review", "nope.txt", "--warehouse", str(wh)]) == 1
