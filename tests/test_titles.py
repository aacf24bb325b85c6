"""Titles right or absent (#19): where the input names none, the title is the first
headline-like line above the article's body; never page furniture, a menu, nor a heading
from inside the text. Rules on small texts written for the test; then the bundled seeds
and the measurement on ../shared/dev2 (benchmarks/titles.py runs the same one through a
real `fupin run`)."""
from __future__ import annotations

from pathlib import Path

import pytest

from conftest import REPO, SEEDS
from fupin.transforms.metadata import find_title

BODY = "2019年,全县贫困发生率由5.2%降至0.8%,贫困人口减少1.2万人。\n"


def title(text: str) -> str | None:
    found = find_title(text)
    return found[0] if found else None


def test_the_headline_above_the_body_is_the_title():
    assert title("某县脱贫攻坚取得决定性成效\n2020-05-01 10:00 来源:某网\n" + BODY) == "某县脱贫攻坚取得决定性成效"


def test_a_heading_inside_the_text_is_not_a_title():
    """The body starts at once; the short line after its first paragraph heads a section."""
    assert title(BODY + "强化监测 守牢底线\n" + BODY) is None


def test_furniture_after_the_body_is_not_a_title():
    assert title(BODY + BODY + "相关新闻更多\n责任编辑:某某\n") is None


def test_a_menu_row_and_a_breadcrumb_are_not_titles():
    text = "今日国内 百态社会 今日财经 今日股市 今日国际\n某某网 > 焦点 > 今日国内 > 正文\n某县易地扶贫搬迁见闻\n" + BODY
    assert title(text) == "某县易地扶贫搬迁见闻"


def test_angle_brackets_in_a_headline_are_no_breadcrumb():
    assert title("网页代码<b>加粗</b>与实体都是文字\n" + BODY) == "网页代码<b>加粗</b>与实体都是文字"
    assert title("首页>新闻>地方新闻\n某县易地扶贫搬迁见闻\n" + BODY) == "某县易地扶贫搬迁见闻"


def test_a_headline_with_spaces_is_still_a_headline():
    assert title("对口帮扶您了解吗 过去一年全省做了这些事\n" + BODY) == "对口帮扶您了解吗 过去一年全省做了这些事"


def test_a_wire_dateline_naming_its_title():
    text = "新华社成都3月3日电 题:爬最高的山——某州坚决攻克最后堡垒\n新华社记者 某某\n" + BODY
    assert title(text) == "爬最高的山——某州坚决攻克最后堡垒"


def test_seed_titles_right_or_absent():
    """Seed 003 was titled by a footer link (相关新闻更多), seed 001 by a section heading from
    the middle of its text; both start with their body, so neither has a title now."""
    from fupin.transforms.normalize import normalise

    got = {p.name[:3]: title(normalise(p.read_text(encoding="utf-8")).text) for p in sorted(SEEDS.glob("*.txt"))}
    assert got["000"] == "南宁市兴宁区举行“决胜全面小康,决战脱贫攻坚”专场新闻发布会"
    assert got["001"] is None and got["003"] is None


DEV2 = REPO.parent / "shared" / "dev2"


@pytest.mark.skipif(not (DEV2 / "sources.csv").exists(), reason="../shared/dev2 is not beside the repository")
def test_dev2_titles_read_without_the_manifest_are_right_or_absent():
    """The 25 dev2 articles whose sources.csv has the page's title, read from their text
    alone: 24 right, 1 NULL, 0 wrong when written; a wrong title fails the test."""
    import sys

    sys.path.insert(0, str(REPO / "benchmarks"))
    from titles import canon, titled

    from fupin.transforms.extract import extract_article

    verdicts = {}
    for name, page in titled(DEV2).items():
        mine = extract_article(name, (DEV2 / "articles" / name).read_text(encoding="utf-8")).meta["title"]
        verdicts[name] = "NULL" if mine is None else ("right" if canon(mine) == canon(page) else f"wrong: {mine}")
    wrong = {k: v for k, v in verdicts.items() if v.startswith("wrong")}
    assert len(verdicts) == 25 and not wrong, wrong
    assert sum(v == "right" for v in verdicts.values()) >= 23


def test_an_editors_note_is_no_title():
    from fupin.transforms import metadata
    assert metadata.find_title("编者按：本文介绍了全县脱贫的经验\n2020-01-01 来源：某报\n截至2019年底，全县脱贫。\n") is None


def test_a_furniture_word_run_into_a_headline_does_not_make_it_furniture():
    from fupin.transforms.extract import extract_article
    meta = extract_article("a", "广西：“桂”字号品牌助力扶贫\n2020-03-01 来源:某报\n去年,全区销售扶贫产品30亿元。\n").meta
    assert meta["title"] == "广西:“桂”字号品牌助力扶贫" and meta["main_region_code"] == "450000"
    meta = extract_article("a", "字号:大 中 小\n记者蹲点:贵州山村的脱贫路\n2020-03-01 来源:某报\n全省减贫30万人。\n").meta
    assert meta["title"] == "记者蹲点:贵州山村的脱贫路"


def test_a_crawls_labelled_or_dated_title_line_gives_the_title_alone():
    from fupin.transforms.metadata import find_title
    text = "标题：甘肃定西：马铃薯产业带动群众增收\n发布时间：2019年10月17日\n正文：\n今年,定西市马铃薯产量达到550万吨。\n"
    assert find_title(text)[0] == "甘肃定西：马铃薯产业带动群众增收"
    text = "[2018-12-21] 内蒙古：今年将有31个贫困旗县摘帽 | 正北方网\n正北方网讯 今年我区将有31个贫困旗县脱贫摘帽。\n"
    assert find_title(text)[0] == "内蒙古：今年将有31个贫困旗县摘帽"
