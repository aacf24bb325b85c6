"""Inputs as crawlers deliver them, without Prefect: the manifest (flows/manifest.py), JSON
Lines and HTML readers (flows/readers.py), staging with a manifest, and the `known` hook of
extraction."""
from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import polars as pl
import pytest

from conftest import SEEDS
from fupin.flows import manifest as mf
from fupin.flows import readers
from fupin.flows import stage as stg
from fupin.transforms.extract import extract_article, extract_batch

PAGE = Path(__file__).parent / "data" / "news_page.html"
SEED = sorted(SEEDS.glob("*.txt"))
TEXT = SEED[0].read_text(encoding="utf-8")


# ----------------------------------------------------------------------------- manifest

@pytest.mark.parametrize("value, want", [
    ("2020-04-21", dt.date(2020, 4, 21)), ("2020/4/21", dt.date(2020, 4, 21)), ("2020年4月21日", dt.date(2020, 4, 21)),
    ("2020-04-21T08:30:00+08:00", dt.date(2020, 4, 21)), ("2020-04-21 08:30", dt.date(2020, 4, 21)),
    ("2020.04.21", dt.date(2020, 4, 21)), ("April 2020", None), ("2020-13-01", None), ("yesterday", None),
])
def test_dates(value, want):
    assert mf.parse_date(value) == want


def test_manifest_csv_rows_issues_and_attributes(tmp_path):
    (tmp_path / "a.txt").write_text("x", encoding="utf-8")
    (tmp_path / "b.txt").write_text("x", encoding="utf-8")
    (tmp_path / "manifest.csv").write_text(
        "file,url,published,title,outlet,region,crawler,lang\n"
        "a.txt,http://x.cn/a,2020-04-21,标题A,人民网,百色市,spider-1,zh\n"   # line 2
        "b.txt,,not a date,,,,,\n"                                              # line 3: bad date
        "gone.txt,http://x.cn/g,2019-01-01,,,,,\n"                              # line 4: missing file
        "a.txt,http://x.cn/a2,2021-01-01,,,,,\n",                               # line 5: duplicate
        encoding="utf-8")
    m = mf.read(mf.locate(tmp_path), tmp_path)
    a = m.entries[str(tmp_path / "a.txt")]
    assert a.known == {"known_pub_date": "2020-04-21", "known_pub_date_source": "manifest", "known_title": "标题A",
                       "known_url": "http://x.cn/a", "known_outlet": "人民网", "known_region": "百色市"}
    assert a.attributes == {"crawler": "spider-1", "lang": "zh"}
    b = m.entries[str(tmp_path / "b.txt")]
    assert b.known["known_pub_date"] is None and b.known["known_pub_date_source"] is None
    assert {(i.line_no, i.issue) for i in m.issues} == {(3, "bad_date"), (4, "missing_file"), (5, "duplicate")}
    assert all(i.detail and i.manifest_path == str(tmp_path / "manifest.csv") for i in m.issues)
    assert m.digest and m.known_digest(str(tmp_path / "a.txt")) != m.known_digest(str(tmp_path / "b.txt"))


def test_manifest_jsonl_and_the_shared_sources_file(tmp_path):
    (tmp_path / "a.txt").write_text("x", encoding="utf-8")
    (tmp_path / "manifest.jsonl").write_text(
        json.dumps({"file": "a.txt", "published": "2018-12-28", "extra": 3}) + "\n{not json\n", encoding="utf-8")
    m = mf.read(mf.locate(tmp_path), tmp_path)
    assert m.entries[str(tmp_path / "a.txt")].known["known_pub_date"] == "2018-12-28"
    assert m.entries[str(tmp_path / "a.txt")].attributes == {"extra": "3"}
    assert [(i.line_no, i.issue) for i in m.issues] == [(2, "bad_line")]
    shared = Path(__file__).resolve().parents[2] / "shared" / "dev"
    if (shared / "sources.csv").exists():
        m = mf.read(shared / "sources.csv", shared / "articles")
        assert len(m.entries) == 21 and not m.issues
        assert sum(e.known["known_pub_date"] is not None for e in m.entries.values()) >= 15


def test_a_crawl_folder_with_sources_csv_beside_its_articles_folder(tmp_path):
    (tmp_path / "articles").mkdir()
    for n in ("a.txt", "b.txt"):
        (tmp_path / "articles" / n).write_text("x", encoding="utf-8")
    (tmp_path / "other").mkdir()
    (tmp_path / "other" / "b.txt").write_text("y", encoding="utf-8")  # b.txt twice: which one is not known
    (tmp_path / "sources.csv").write_text("file,url,published\na.txt,u,2019-05-06\nb.txt,v,2019-05-07\n",
                                          encoding="utf-8")
    m = mf.read(mf.locate(tmp_path), tmp_path)
    assert m.path == str(tmp_path / "sources.csv")
    assert m.entries[str(tmp_path / "articles" / "a.txt")].known["known_pub_date"] == "2019-05-06"
    assert [(i.file, i.issue) for i in m.issues] == [("b.txt", "missing_file")]


def test_a_manifest_that_is_not_csv_or_jsonl_is_an_issue(tmp_path):
    bad = tmp_path / "sources.xlsx"
    bad.write_bytes(b"PK\x03\x04 not a csv")
    m = mf.read(mf.locate(tmp_path, bad), tmp_path)
    assert not m.entries and [i.issue for i in m.issues] == ["not_csv_or_jsonl"]
    m = mf.read(mf.locate(tmp_path, tmp_path / "nowhere.csv"), tmp_path)
    assert [i.issue for i in m.issues] == ["unreadable"]
    (tmp_path / "m.csv").write_text("name,url\na.txt,x\n", encoding="utf-8")
    assert [i.issue for i in mf.read(tmp_path / "m.csv", tmp_path).issues] == ["no_file"]


def test_discovery_takes_every_input_kind_but_not_the_manifest(tmp_path):
    for n in ("a.txt", "b.JSONL", "c.html", "d.htm", "manifest.jsonl", "manifest.csv", "e.json", "sub/f.html"):
        (tmp_path / n).parent.mkdir(exist_ok=True)
        (tmp_path / n).write_text("x", encoding="utf-8")
    got = [Path(p).relative_to(tmp_path).as_posix() for p in stg.discover(tmp_path)]
    assert got == ["a.txt", "b.JSONL", "c.html", "d.htm", "sub/f.html"]


# ----------------------------------------------------------------------------- JSON Lines

def test_jsonl_lines_are_articles_and_bad_lines_rejects(tmp_path):
    p = tmp_path / "export.jsonl"
    lines = [json.dumps({"maintext": TEXT, "url": "http://x.cn/1", "date_publish": "2019-11-25 10:00:00",
                         "title": "兴宁区"}, ensure_ascii=False),
             "{broken",
             json.dumps({"title": "no text"}),
             "",
             json.dumps({"content": "全县脱贫1000户。", "published": "2020-01-02"}, ensure_ascii=False)]
    p.write_text("\n".join(lines) + "\n", encoding="utf-8")
    arts, rejs = stg.stage_files([str(p)])
    assert arts["line_no"].to_list() == [1, 5]
    assert arts["source_path"].to_list() == [f"{p}#L1", f"{p}#L5"]
    assert arts["raw_text"][0] == TEXT and arts["encoding"].unique().to_list() == ["utf-8"]
    assert arts["input_kind"].unique().to_list() == ["jsonl"]
    import hashlib
    assert arts["article_id"][0] == hashlib.sha256(TEXT.encode()).hexdigest()
    assert arts["known_pub_date"].to_list() == [dt.date(2019, 11, 25), dt.date(2020, 1, 2)]
    assert arts["known_pub_date_source"].to_list() == ["jsonl", "jsonl"]
    assert arts["known_url"][0] == "http://x.cn/1" and arts["file_path"].unique().to_list() == [str(p)]
    assert sorted(zip(rejs["source_path"], rejs["reason"])) == [(f"{p}#L2", "bad_line"), (f"{p}#L3", "bad_line")]
    assert all("line" in d for d in rejs["detail"]) and rejs["file_path"].unique().to_list() == [str(p)]


# ----------------------------------------------------------------------------- HTML

def test_html_page_main_text_and_metadata(tmp_path):
    p = tmp_path / "page.html"
    p.write_bytes(PAGE.read_bytes())
    row = stg.stage_file(str(p))
    text = row["raw_text"]
    assert (row["encoding"], row["input_kind"]) == ("utf-8", "html") and row["known_pub_date"] == dt.date(2020, 6, 18)
    assert row["known_pub_date_source"] == "html_meta" and row["known_title"].startswith("广信区2020年")
    assert row["known_url"] == "http://www.srxww.com/news/2020/0618/123456.html"
    assert "45678人全部脱贫" in text
    for noise in ("77777", "99999", "6666公里", "3141592", "888期", "相关阅读", "ICP"):
        assert noise not in text, noise


def test_facts_of_a_page_come_from_its_body_and_index_its_text(tmp_path):
    p = tmp_path / "page.htm"
    p.write_bytes(PAGE.read_bytes())
    arts, _ = stg.stage_files([str(p)])
    meta, facts = extract_batch(arts)
    text = arts["raw_text"][0]
    assert facts.height >= 5
    for s, e, surface in zip(facts["char_start"], facts["char_end"], facts["surface"]):
        assert text[s:e] == surface
    body = PAGE.read_text(encoding="utf-8")
    article = body[body.index("<article"):body.index("</article>")]
    assert all(s in article for s in facts["surface"])
    assert not any(x in "".join(facts["surface"]) for x in ("77777", "99999", "6666", "3141592", "888"))
    assert meta["pub_date"][0] == dt.date(2020, 6, 18) and meta["pub_date_source"][0] == "html_meta"
    assert meta["url"][0] == "http://www.srxww.com/news/2020/0618/123456.html"
    # 今年 is the page's year; 广信区 exists from 2019
    this_year = facts.filter(pl.col("surface").str.contains("3.2亿"))
    assert this_year["year"].to_list() == [2020] and this_year["region_code"].to_list() == ["361104"]


@pytest.mark.parametrize("html", [
    b"<html><head><title>index</title></head><body><nav><a href='/'>home</a></nav></body></html>",
    b"<html><body></body></html>",
])
def test_a_page_without_main_text_is_a_reject(tmp_path, html):
    p = tmp_path / "index.html"
    p.write_bytes(html)
    row = stg.stage_file(str(p))
    assert row["reason"] == "no_main_text" and row["content_hash"] and "index.html" in row["detail"]


# ----------------------------------------------------------------------------- known values

def test_the_manifest_wins_over_the_page_and_stages_its_attributes(tmp_path):
    p = tmp_path / "page.html"
    p.write_bytes(PAGE.read_bytes())
    (tmp_path / "manifest.csv").write_text("file,published,outlet,crawler\npage.html,2021-03-01,上饶日报,s1\n",
                                           encoding="utf-8")
    m = mf.read(mf.locate(tmp_path), tmp_path)
    arts, _ = stg.stage_files([str(p)], manifest={k: e.as_dict() for k, e in m.entries.items()})
    row = arts.row(0, named=True)
    assert row["known_pub_date"] == dt.date(2021, 3, 1) and row["known_pub_date_source"] == "manifest"
    assert row["known_title"].startswith("广信区")  # the page's own, the manifest named none
    assert json.loads(row["attributes"]) == {"crawler": "s1"} and row["known_digest"]


WIRE = "新华社南宁电 今年全县减少贫困人口1200人，去年减少900人。\n"


def test_a_known_date_resolves_years_and_wins_over_inference():
    plain = extract_article("a", WIRE)
    known = extract_article("a", WIRE, known={"known_pub_date": dt.date(2019, 5, 1),
                                              "known_pub_date_source": "manifest"})
    assert known.meta["pub_date"] == dt.date(2019, 5, 1) and known.meta["pub_date_source"] == "manifest"
    assert [f["year"] for f in known.facts] == [2019, 2018]
    assert plain.meta["pub_date_source"] != "manifest"


def test_known_title_outlet_url_and_region():
    text = "今年全县减少贫困人口1200人。\n"
    res = extract_article("a", text, known={"known_title": "T", "known_outlet": "人民网", "known_url": "http://u",
                                            "known_region": "平果县", "known_pub_date": dt.date(2018, 6, 1),
                                            "known_pub_date_source": "manifest"})
    assert (res.meta["title"], res.meta["outlet"], res.meta["url"]) == ("T", "人民网", "http://u")
    assert res.meta["main_region_code"] == "451023"
    # the text's own region wins over the known one
    res = extract_article("a", "上饶县今年减少贫困人口1200人。\n",
                          known={"known_region": "451023", "known_pub_date": dt.date(2018, 6, 1)})
    assert res.meta["main_region_code"] == "361121"
    assert extract_article("a", text, known=None).meta["url"] is None


def test_jsonl_field_names_of_other_crawlers(tmp_path):
    p = tmp_path / "scrapy.jsonl"
    p.write_text(json.dumps({"body": "全县脱贫1000户。", "publish_time": "2020-01-02 08:00", "headline": "某县脱贫",
                             "link": "http://x.cn/2"}, ensure_ascii=False) + "\n", encoding="utf-8")
    arts, rejs = stg.stage_files([str(p)])
    assert rejs.height == 0 and arts["raw_text"].to_list() == ["全县脱贫1000户。"]
    assert arts["known_pub_date"].to_list() == [dt.date(2020, 1, 2)]
    assert (arts["known_title"][0], arts["known_url"][0]) == ("某县脱贫", "http://x.cn/2")
