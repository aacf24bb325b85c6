"""dim_region: the national code history (seeds/areacodes.csv) row for row, and names in
text resolved as of the article's date."""
import csv
from pathlib import Path

import polars as pl
import pytest

from fupin import SEEDS
from fupin.transforms.regions import build_dim_region, default_gazetteer, region_codes

SHARED = Path(__file__).resolve().parents[2] / "shared" / "data" / "areacodes.csv"
STATUS = {"在用": "in_use", "弃用": "retired", "变更": "changed"}
LEVEL = {"省级": "province", "地级": "prefecture", "县级": "county"}


@pytest.fixture(scope="module")
def table():
    with open(SEEDS / "areacodes.csv", encoding="utf-8-sig", newline="") as f:
        return list(csv.DictReader(f))


@pytest.fixture(scope="module")
def dim():
    return build_dim_region()


def test_the_seed_is_the_shared_table():
    if not SHARED.exists():
        pytest.skip("../shared/data/areacodes.csv is not beside the project")
    assert SHARED.read_bytes().removeprefix(b"\xef\xbb\xbf") == (SEEDS / "areacodes.csv").read_bytes()


def test_every_row_of_dim_region_is_a_row_of_the_table(dim, table):
    """One dim_region row per table row (code and period), same name, level, years, status
    and successors; plus the country row."""
    assert dim.height == len(table) + 1
    assert dim.select("region_code", "valid_from").is_duplicated().sum() == 0  # the declared key
    got = {(r["region_code"], r["valid_from"]): r for r in dim.iter_rows(named=True)}
    for t in table:
        r = got[(t["代码"], int(t["启用时间"]))]
        assert r["name"] == t["名称"] and r["level"] == LEVEL[t["级别"]] and r["status"] == STATUS[t["状态"]]
        end = int(t["变更/弃用时间"]) if t["变更/弃用时间"] else None
        assert r["valid_to"] == (None if t["状态"] == "在用" else end)
        succ = [s for s in t["新代码"].split(";") if s and "[" not in s]
        assert r["successor_codes"] == succ and r["successor_code"] == (succ[0] if succ else None)
        assert r["source"] == "areacodes" and r["name"] in r["aliases"]
    country = got[("100000", 1949)]
    assert country["source"] == "fixed" and country["level"] == "country"


def test_shape(dim):
    assert dim.filter((pl.col("level") == "province") & pl.col("valid_to").is_null()).height == 34
    row = dim.filter(pl.col("region_code") == "451031").row(0, named=True)
    assert row["short_name"] == "隆林" and row["parent_code"] == "451000" and "隆林" in row["aliases"]
    assert dim["source"].null_count() == 0


@pytest.mark.parametrize("code, name, valid_from, valid_to, successor", [
    ("361121", "上饶县", 2000, 2019, "361104"),
    ("361104", "广信区", 2019, None, None),
    ("451023", "平果县", 2002, 2019, "451082"),
    ("451082", "平果市", 2019, None, None),
])
def test_exact_years(dim, code, name, valid_from, valid_to, successor):
    r = dim.filter(pl.col("region_code") == code).row(0, named=True)
    assert (r["name"], r["valid_from"], r["valid_to"], r["successor_code"]) == (name, valid_from, valid_to, successor)


def test_a_renamed_code_keeps_every_name(dim):
    """120110 was 东郊区 until 1992 and is 东丽区 since: two rows; the Gazetteer's one region
    for the code knows both names."""
    rows = dim.filter(pl.col("region_code") == "120110").sort("valid_from")
    assert rows["name"].to_list() == ["东郊区", "东丽区"] and rows["valid_to"].to_list() == [1992, None]
    one = region_codes(dim).filter(pl.col("region_code") == "120110").row(0, named=True)
    assert one["name"] == "东丽区" and {"东郊区", "东丽区"} <= set(one["aliases"]) and one["valid_to"] is None


# County-level changes: (old name, old code, new name, new code, year of the change, province)
RENAMED = [
    ("上饶县", "361121", "广信区", "361104", 2019, "360000"),
    ("平果县", "451023", "平果市", "451082", 2019, "450000"),
]


def _renamed_sample(table, n=12):
    """Counties replaced by exactly one new code with another name, in the table: a spread
    of them, so the test covers more than the two named in the issue."""
    live = {t["代码"]: t for t in table if t["状态"] == "在用"}
    live_names = {t["名称"] for t in live.values()}  # 百色市 (county) -> 右江区: 百色市 now names the prefecture
    out = []
    for t in table:
        succ = t["新代码"]
        if (t["状态"] == "弃用" and t["级别"] == "县级" and succ in live and int(t["变更/弃用时间"]) >= 2000
                and live[succ]["名称"] != t["名称"] and live[succ]["启用时间"] == t["变更/弃用时间"]
                and t["名称"] not in live_names):
            out.append((t["名称"], t["代码"], live[succ]["名称"], succ, int(t["变更/弃用时间"]), t["代码"][:2] + "0000"))
    return out[:: max(1, len(out) // n)]


def test_renamed_counties_resolve_on_both_sides_of_the_change(table):
    gaz = default_gazetteer()
    cases = RENAMED + _renamed_sample(table)
    assert len(cases) >= 10
    wrong = []
    for old, old_code, new, new_code, year, prov in cases:
        for name, when, want in ((old, year - 1, old_code), (old, year + 1, new_code), (new, year + 1, new_code)):
            got = [m.region.code for m in gaz.resolve(gaz.find(name), when, prov)]
            if got[:1] != [want]:
                wrong.append((name, when, want, got))
    assert not wrong


def test_names_in_text_resolve_by_date():
    gaz = default_gazetteer()
    for year, code in ((2017, "361121"), (2020, "361104")):
        ms = gaz.resolve(gaz.find("上饶县"), year, "360000")
        assert ms[0].region.code == code
    ms = gaz.resolve(gaz.find("平果"), 2018, "450000")
    assert ms[0].region.code == "451023"
    assert not gaz.find("建设36个电子商务进农村综合示范县")  # 范县 hides inside 示范县


def test_a_county_named_for_its_people_has_a_short_name():
    from fupin.transforms.regions import short_name
    assert short_name("东乡族自治县", "county") == "东乡"
    assert short_name("隆林各族自治县", "county") == "隆林"


def test_a_county_under_its_prefecture_and_a_list_with_a_shared_suffix():
    from fupin.transforms.extract import extract_article
    text = ("西部脱贫\n2020-12-01 来源:人民日报\n甘肃农村贫困人口减少到17.5万人。西吉、海原两县贫困发生率均降至1%以下。"
            "临夏州东乡县和定西市通渭县共有贫困人口3.2万人。\n")
    fs = {f["surface"]: f for f in extract_article("a", text).facts}
    assert fs["1%"]["region_code"] == "640000"  # 西吉县, 海原县: both in 宁夏
    assert fs["3.2万人"]["region_code"] == "620000"  # 东乡族自治县 (not 江西's 东乡区) and 通渭县


def test_a_name_resolves_to_the_code_that_bore_it_that_year():
    from fupin.transforms.regions import default_gazetteer
    g = default_gazetteer()
    (m,) = g.resolve(g.find("新市区"), 2020, None)
    assert m.region.code == "650104"  # 乌鲁木齐; 保定's 新市区 (130602) is 竞秀区 since 2015
    (m,) = g.resolve(g.find("新市区"), 2010, "130000")
    assert m.region.code == "130602"


def test_an_autonomous_countys_short_name_with_its_level_word():
    from fupin.transforms.regions import default_gazetteer
    g = default_gazetteer()
    (m,) = g.resolve(g.find("威宁自治县实施方案"), 2021, None)
    assert m.region.code == "520526"  # 威宁彝族回族苗族自治县
    (m,) = g.resolve(g.find("伊犁州直"), 2021, None)
    assert m.region.code == "654000"


@pytest.mark.parametrize("text, surface, code", [
    ("8月21日,湖北省人民政府发布公告,批准红安县等9个县(市、区)退出贫困县。", "9个", "420000"),  # the sentence's province
    ("吕梁市兴县、临县、岚县等5个县计划年内摘帽。", "5个", "141100"),  # the city written before its list
    ("喀什地区莎车等4县脱贫摘帽,全区贫困发生率下降。", "4县", "653100"),
])
def test_the_region_of_a_list_left_open(text, surface, code):
    from fupin.transforms.extract import extract_article
    fs = {f["surface"]: f for f in extract_article("a", "标题\n2019年1月1日\n" + text + "\n").facts}
    assert (fs[surface]["region_code"], fs[surface]["region_source"]) == (code, "group")


def test_a_word_that_only_holds_a_regions_name():
    from fupin.transforms.regions import default_gazetteer
    g = default_gazetteer()
    assert [m.surface for m in g.find("拿出真金白银支持白银市发展,小小金银花")] == ["白银市"]
    # a day word before 天全县's first character; a village or town bearing a short name
    assert [m.surface for m in g.find("当天全县召开大会,江门村脱贫,天全县发展,江门市")] == ["天全县", "江门市"]
    # 日照 (sunshine) before 条件/时数…; a two-character county after 其中
    assert [m.surface for m in g.find("按当地日照条件,日照市发展,其中临县一县,示范县")] == ["日照市", "临县"]
    # 兴国 (兴国县) is found, save in the slogans that hold it
    assert [m.surface for m in g.find("实施科教兴国战略,于都、兴国、宁都三县")] == ["于都", "兴国", "宁都"]


def test_a_feature_under_a_subtitle_with_a_section_for_each_county():
    from fupin.transforms.extract import extract_article
    res = extract_article("a", "右江两岸奏响奋进曲\n——百色市县域脱贫攻坚巡礼\n广西日报 2020年06月09日 第005版\n"
                               "百色市累计减少贫困人口40.44万人。\n\n田阳区：芒果“甜”了百姓日子\n\n目前芒果种植面积达到38.6万亩。\n\n"
                               "乐业县：不获全胜决不收兵\n\n县里计划统筹整合财政涉农资金3.2亿元。\n")
    fs = {f["surface"]: f["region_code"] for f in res.facts}
    assert res.meta["main_region_code"] == "451000"  # 右江 of 右江两岸 is the river; the subtitle names 百色市
    assert fs["38.6万亩"] == "451003" and fs["3.2亿元"] == "451028"


def test_a_mountain_range_is_no_region():
    from fupin.transforms.regions import default_gazetteer
    g = default_gazetteer()
    assert g.find("吕梁山片区贫困人口") == [] and [m.surface for m in g.find("吕梁贫困人口")] == ["吕梁"]
    assert [m.surface for m in g.find("井冈山率先脱贫")] == ["井冈山"]  # a city's own name ending in 山


@pytest.mark.parametrize("text, main", [
    ("我省贫困残疾人脱贫攻坚取得阶段性成效\n2017年5月16日 来源:某报\n"
     "兰考县残联为贫困残疾人发放辅具1200件。兰考县康复中心服务300人次。\n", "410000"),
    ("康保等10县退出贫困县序列 我省62个贫困县全部摘帽\n2020年2月29日 来源:某报\n康保县、沽源县等10个县退出贫困县序列。\n",
     "130000"),
    ("人民时评:守住成果\n2021年3月1日\n现行标准下9899万农村贫困人口全部脱贫,全国832个贫困县全部摘帽。"
     "以云南为例,8年来933万建档立卡贫困人口全部脱贫。从怒江峡谷到乌蒙山区,跨越难以想象。\n", "100000"),
    ("国新办举行扶贫日新闻发布会\n2016年10月13日\n全国贫困人口减少1442万人。我国贫困发生率下降到5.7%。"
     "全国832个贫困县。在银川召开的会议上,银川介绍了经验。\n", "100000"),
    # two counties in the title: the one the body names, not a short name inside a word (小小金银花)
    ("南江:小小金银花 撑起致富大产业\n2017年8月14日\n南江县是国家扶贫开发工作重点县。全县发展金银花12万亩。"
     "南江县累计减少贫困人口5.87万人。\n", "511922"),
    # a county's short name in the title of a text that names no region in full, but 全县/我县
    ("都安完成精准识别\n发布时间:2015-12-18\n我县精准识别工作全面完成。全县共有建档立卡贫困户3.91万户。\n", "451228"),
    # 我省 in the title: the 省 whose places are named most, not the autonomous-region partner named more than any one of them
    ("2021年我省巩固拓展脱贫攻坚成果取得新成效\n发布时间:2022-02-18\n全省脱贫户人均纯收入达到17689元。宁德市寿宁县、周宁县脱贫户"
     "人均纯收入分别达到16980元、17210元。闽宁协作中,我省向宁夏拨付资金4.4亿元,宁夏农村劳动力来闽务工。\n", "350000"),
    # a title naming a 市 and two places inside it, over a text that keeps saying 全市: the 市
    ("赣州去年29.15万贫困人口脱贫 瑞金南康率先摘帽\n2018年1月16日\n去年全市29.15万贫困人口脱贫。全市投入资金50亿元。"
     "我市瑞金市、南康区率先摘帽。全市贫困发生率降至3.2%。\n", "360700"),
    # a title opening with a body of the central state: national, whatever province an example names
    ("国家卫生健康委:近1000万因病致贫返贫户摆脱贫困\n2020年11月20日\n全国累计救治贫困患者1900多万人。以甘肃为例,全省报销比例"
     "达到86.4%。四川凉山州、云南怒江州就诊率分别达到91.2%和88.6%。\n", "100000"),
    ("中央单位定点帮扶:真金白银投入\n2020年1月5日\n中央单位向定点县投入帮扶资金27亿元。湖北省恩施州咸丰、来凤两县受益。\n", "100000"),
    # 全国… in a title that also says 我省: the province is the subject, the national event where it stood
    ("全国脱贫攻坚总结表彰大会在京举行 我省99名个人和68个集体受表彰\n2021年2月26日\n全国脱贫攻坚总结表彰大会在北京举行。"
     "我国脱贫攻坚战取得了全面胜利,全国832个贫困县全部摘帽。我省共有99名个人获此殊荣。四川省88个贫困县全部摘帽。\n", "510000"),
    # the outlet's name the only place named, a county's short name: that county for 我县/全县
    ("去年我县低收入农户人均可支配收入突破万元\n2018-01-22 09:15　来源：景宁新闻网\n2017年我县低收入农户人均可支配收入达到"
     "10216元,增幅高出全县农村常住居民3.6个百分点。\n", "331127"),
    # 全市 said throughout, one county named once: the 市 that contains it
    ("三年改造土坯房69.52万户\n2014年12月29日\n全市今年已完成改造21.36万户。全市累计改造69.52万户。我市新建保障房1.27万套。"
     "于都县是全市改造任务最重的县,三年累计改造7.8万户。\n", "360700"),
])
def test_what_an_article_is_about_when_its_title_names_a_level_or_nothing(text, main):
    from fupin.transforms.extract import extract_article
    assert extract_article("a", text).meta["main_region_code"] == main


def test_an_example_paragraph_of_a_national_text_and_a_meeting_named_after_its_city():
    from fupin.transforms.extract import extract_article
    res = extract_article("a", "人民时评:守住成果\n2021年3月1日\n现行标准下9899万农村贫困人口全部脱贫,全国832个贫困县全部摘帽。\n"
                               "以云南为例。这个边疆省份8年来933万建档立卡贫困人口全部脱贫。\n"
                               "今年7月银川会议后,东部省市已向西部地区投入财政援助资金29.6亿元。\n")
    fs = {f["surface"]: f["region_code"] for f in res.facts}
    assert res.meta["main_region_code"] == "100000"
    assert fs["933万"] == "530000" and fs["29.6亿元"] == "100000"


def test_an_autonomous_regions_own_words_and_a_provincial_daily():
    from fupin.transforms.extract import extract_article
    meta = extract_article("a", "2024年全区脱贫人口人均纯收入增长11.2%\n来源：自治区农牧厅　发布日期：2025-01-22\n"
                                "记者从自治区农牧厅获悉,2024年我区巩固拓展脱贫攻坚成果。全区脱贫人口人均纯收入达到16863元。"
                                "京蒙协作中,北京市投入帮扶资金12亿元,北京市企业在内蒙古投资。\n").meta
    assert meta["main_region_code"] == "150000"
    meta = extract_article("a", "贵州日报　2016年03月29日　第01版：要闻\n今年我省将搬迁45万贫困群众\n"
                                "2016年我省计划实施易地扶贫搬迁45万人,全省规划建设安置点562个,全国各地。我省资金到位,全省推进,"
                                "贵州将走在全国前列。\n").meta
    assert meta["main_region_code"] == "520000"


def test_the_whole_province_of_a_county_article_and_a_change_started_in_a_year():
    from fupin.transforms.extract import extract_article
    res = extract_article("a", "从江县脱贫记 2019年5月1日\n从江县是全省14个深度贫困县之一。2018年,全县贫困发生率由2017年底的"
                               "10.49%降至5.45%,下降5.04个百分点。我县在全省率先建成监测系统,将1.2万人全部纳入。\n")
    fs = {f["surface"]: f for f in res.facts}
    assert fs["14个"]["region_code"] == "520000"
    assert fs["5.04个百分点"]["year"] == 2018
    assert fs["1.2万人"]["region_code"] == "522633"


def test_the_whole_prefecture_before_a_count_is_no_county_list():
    from fupin.transforms.extract import extract_article
    res = extract_article("a", "怒江州脱贫纪实 2019年5月1日\n怒江州是深度贫困地区。全州4个县全部摘帽。\n")
    assert [f["region_code"] for f in res.facts] == ["533300"]


def test_a_county_named_in_full_keeps_its_short_name_outside_the_main_province():
    from fupin.transforms.extract import extract_article

    text = ("杭州帮扶结硕果\n2018年6月1日 来源:测试\n杭州市与湖北省来凤县结对开展东西部扶贫协作。"
            "杭州市今年投入帮扶资金3000万元。据统计,2016年底来凤有贫困人口2.1万人。\n")
    got = {f["surface"]: f["region_code"] for f in extract_article("x", text).facts}
    assert got["2.1万人"] == "422827"


def test_a_share_of_a_yardstick_is_the_subjects():
    from fupin.transforms.extract import extract_article

    text = ("平利县扶贫\n2016年6月1日 来源:测试\n平利县农民人均纯收入6200元,仅为全省平均水平的72%。\n")
    got = {f["surface"]: f["region_code"] for f in extract_article("x", text).facts}
    assert got["72%"] == "610926"


def test_a_subtitle_opening_with_a_central_body_makes_a_national_article():
    from fupin.transforms.extract import extract_article

    text = ("山乡巨变——2019年中央单位定点扶贫工作综述\n新华社北京12月20日电\n岁末,河北阜平县的山坳里,养殖户今年养了12头牛。\n"
            "中央单位定点帮扶的592个国家扶贫开发工作重点县中,已有436个脱贫摘帽。\n")
    res = extract_article("x", text)
    assert res.meta["main_region_code"] == "100000"
    assert {f["surface"]: f["region_code"] for f in res.facts}["436个"] == "100000"


def test_an_ambiguous_county_name_is_the_one_the_text_names_without_doubt():
    from fupin.transforms.extract import extract_article

    text = ("东乡县精准扶贫见闻\n2015-11-02 来源:某网\n临夏州东乡族自治县地处甘肃中部。东乡县今年减少贫困人口1.2万人。\n")
    res = extract_article("x", text)
    assert res.meta["main_region_code"] == "622926"
    assert {f["surface"]: f["region_code"] for f in res.facts}["1.2万人"] == "622926"


def test_words_that_hold_a_place_name_but_name_no_place():
    from fupin.transforms.regions import default_gazetteer

    g = default_gazetteer()
    assert not any(m.surface in ("资兴", "中山区") for m in g.find("吸引企业来投资兴业,其中山区县占比超过60%"))


def test_a_short_name_that_is_an_ordinary_word_is_a_name_right_after_its_province():
    from fupin.transforms.regions import default_gazetteer
    g = default_gazetteer()
    assert [m.surface for m in g.find("新疆和田：产业就业双轮驱动")] == ["新疆", "和田"]
    assert g.find("农田和田间道路") == []  # 和田 alone is 'and fields'
