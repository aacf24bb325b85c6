"""Extraction on the seed articles: spans trace back to the text, and every form of an
article (simplified, GB18030, pinyin removed, pinyin added) yields the same facts."""
import re
from collections import Counter
from pathlib import Path

import pytest

from fupin.transforms.extract import extract_article
from fupin.transforms.script import to_simplified
from fupin.transforms.decode import decode

SEEDS = sorted((Path(__file__).resolve().parents[1] / "seeds" / "articles").glob("*.txt"))
PINYIN = re.compile(r"(?<=[\u4e00-\u9fff])\([a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü]{1,7}\)")
# A few tone-marked readings to annotate with, as the crawled pages do (區(qū)).
READINGS = {"区": "qū", "區": "qū", "县": "xiàn", "縣": "xiàn", "万": "wàn", "萬": "wàn", "村": "cūn",
            "户": "hù", "戶": "hù", "贫": "pín", "貧": "pín", "年": "nián", "发": "fā", "發": "fā",
            "产": "chǎn", "產": "chǎn", "元": "yuán", "人": "rén", "个": "gè", "個": "gè", "西": "xī"}


def facts_of(text):
    return extract_article("a", text).facts


def indicators_of(text):
    """Each fact's indicator code, by its surface."""
    return {f["surface"]: f["indicator_code"] for f in facts_of(text)}


def key(f):
    return (f["value_base"], f["unit_code"], f["year"], f["region_code"], f["indicator_code"], f["kind"])


def add_pinyin(text):
    out, n = [], 0
    for ch in text:
        out.append(ch)
        if ch in READINGS:
            n += 1
            if n % 3 == 0:
                out.append(f"({READINGS[ch]})")
    return "".join(out)


@pytest.fixture(scope="module", params=[p.name for p in SEEDS])
def seed(request):
    raw = (SEEDS[0].parent / request.param).read_text(encoding="utf-8")
    return raw, facts_of(raw)


def assert_spans(text, facts):
    for f in facts:
        assert text[f["char_start"]:f["char_end"]] == f["surface"]
        digits = re.sub(r"\D", "", f["surface"])
        assert not digits or digits.lstrip("0")[:1] in re.sub(r"\D", "", text[f["char_start"]:f["char_end"]])


def test_spans_hold_their_numbers(seed):
    raw, facts = seed
    assert facts
    assert_spans(raw, facts)
    for f in facts:
        num = re.sub(r"[^\d.]", "", f["surface"].split("(")[0])
        if num:
            assert float(num) == pytest.approx(f["value"])


@pytest.mark.parametrize("variant", ["simplified", "gb18030", "pinyin_removed", "pinyin_added", "crlf"])
def test_same_facts_from_every_form(seed, variant):
    raw, facts = seed
    if variant == "simplified":
        text = to_simplified(raw)
    elif variant == "gb18030":
        text, enc = decode(raw.encode("gb18030"))
        assert enc == "gb18030"
    elif variant == "pinyin_removed":
        text = PINYIN.sub("", raw)
    elif variant == "pinyin_added":
        text = add_pinyin(PINYIN.sub("", raw))
    else:
        text = raw.replace("\n", "\r\n")
    got = facts_of(text)
    assert_spans(text, got)
    assert Counter(map(key, got)) == Counter(map(key, facts))


@pytest.mark.parametrize("text", [
    "2019年11月24日23:27 来源:人民网", "脱贫攻坚32年,3个年头,半年", "排全国第1位,第一书记",
    "“5+2”特色产业和“3+1”产业,“十三五”,两不愁三保障,“四个一百”,“654”机制,“一村一品”",
    "《平果县2018年度贫困户桑苗、蚕房建设项目补助方案》", "医疗保险率达*。", "联系:010-65363056",
])
def test_not_facts(text):
    assert facts_of("2020年5月1日 来源:测试\n" + text) == []


def test_years_and_regions_as_a_reader_resolves_them():
    text = ("上饶县脱贫攻坚综述\n2020年6月1日 来源:测试\n"
            "今年以来,全县新增就业500人。去年,该县减少贫困人口1200人。截至2019年底,共建成扶贫车间12个。\n"
            "贫困发生率从2014年的10.3%降至0.4%。")
    fs = {f["surface"]: f for f in facts_of(text)}
    assert fs["500人"]["year"] == 2020 and fs["1200人"]["year"] == 2019 and fs["12个"]["year"] == 2019
    assert fs["10.3%"]["year"] == 2014
    # 上饶县 became 广信区 (361104) in 2019: a 2020 article gets the code then in force
    assert {f["region_code"] for f in fs.values()} == {"361104"}
    assert fs["1200人"]["indicator_code"] == "poverty_population_reduced"
    assert fs["12个"]["indicator_code"] == "poverty_workshops"


def test_indicator_words_in_either_order():
    text = ("全省脱贫\n2020年5月1日 来源:测试\n"
            "全省贫困人口减少1386万人,出列贫困村120个,摘帽贫困县8个,全省农村贫困人口还剩5万人。"
            "发放扶贫小额信贷2.3亿元,贫困发生率降至0.6%。")
    got = indicators_of(text)
    assert got == {"1386万人": "poverty_population_reduced", "120个": "poor_villages_exited",
                   "8个": "poor_counties_exited", "5万人": "poor_population",
                   "2.3亿元": "poverty_microcredit_loans", "0.6%": "poverty_incidence_rate"}


def test_old_name_before_the_change_keeps_its_code():
    fs = facts_of("上饶县扶贫工作\n2017年3月1日 来源:测试\n全县减少贫困人口1200人。")
    assert fs[0]["region_code"] == "361121"


def test_one_huge_line_stays_linear_and_exact():
    """A file that is one long line (crawled pages do this): every span still holds."""
    raw = "".join(p.read_text(encoding="utf-8") for p in SEEDS).replace("\n", " ") * 10
    facts = facts_of(raw)
    assert len(facts) > 1000
    assert_spans(raw, facts)


def test_older_words_for_an_indicator():
    text = ("全县扶贫\n2014年5月1日 来源:测试\n"
            "全县贫困面由2012年的28%降到19.5%,今年新改建农村危房2100户。")
    got = indicators_of(text)
    assert got["19.5%"] == "poverty_incidence_rate" and got["28%"] == "poverty_incidence_rate"
    assert got["2100户"] == "dilapidated_houses_renovated"


def test_more_ways_of_saying_an_indicator():
    text = ("全州扶贫\n2017年5月1日 来源:测试\n"
            "去年全州6.3万贫困人口越过扶贫线,1.1万贫困群众达到脱贫标准。"
            "全州实现1.2万户4.6万名建档立卡贫困人口全部脱贫。贫穷发生率降至9.8%。改造农村危旧土坯房3200户。")
    got = indicators_of(text)
    assert got["6.3万"] == got["1.1万"] == got["4.6万名"] == "poverty_population_reduced"
    assert got["1.2万户"] == "poor_households_exited"
    assert got["9.8%"] == "poverty_incidence_rate"
    assert got["3200户"] == "dilapidated_houses_renovated"


def test_relocation_told_by_its_task_or_by_leaving_the_mountains():
    text = ("全县搬迁\n2019年5月1日 来源:测试\n"
            "今年全县将完成剩余820户3510人的搬迁任务。五年来,全县2.3万群众搬出大山。今年19个重点村全部退出。")
    got = indicators_of(text)
    assert got["820户"] == "relocated_households" and got["3510人"] == "relocated_population"
    assert got["2.3万"] == "relocated_population"
    assert got["19个"] == "poor_villages_exited"


def test_labour_sent_to_work_is_the_poors_employment():
    text = ("全市就业扶贫\n2019年11月1日 来源:测试\n"
            "今年前10月全市输转贫困劳动力12.6万人,前三季度务工就业10.1万人。")
    got = indicators_of(text)
    assert got["12.6万人"] == got["10.1万人"] == "poor_labor_employed"


def test_money_allotted_is_funds_for_the_poor():
    text = ("衔接资金\n2022年5月1日 来源:测试\n本批衔接资金共4.2亿元,甲县、乙县共安排0.78亿元,县级配套安排5200万元。")
    got = indicators_of(text)
    assert got["0.78亿元"] == got["5200万元"] == "poverty_funds_invested"


def test_helpers_insurance_and_exits_said_in_other_words():
    text = ("全县扶贫\n2016年1月10日 来源:测试\n"
            "全县已安排县直单位86个、省市驻县单位12个对口帮扶118个贫困村,选派驻村工作队118支、队员354名。"
            "苏州208家企业、91个村与铜仁贫困村结对。全年实现1.38万户4.36万贫困人口脱贫,贫困人口新农合参合率100%。")
    got = indicators_of(text)
    assert got["86个"] == "assisting_organisations" and got["354名"] == "resident_task_force_members"
    assert got["208家"] == "assisting_enterprises" and got["1.38万户"] == "poor_households_exited"
    assert got["100%"] == "medical_insurance_rate"


def test_the_households_and_persons_of_a_relocation():
    text = ("全省搬迁\n2018年3月1日 来源:测试\n"
            "今年全省计划搬迁建档立卡贫困户2.01万户7.03万人。全县整村搬迁62个村,共涉及2159户4677人。"
            "全省5.2万户20.3万搬迁群众后续扶持政策全面落实。")
    got = indicators_of(text)
    assert got["7.03万人"] == got["4677人"] == "relocated_population"
    assert got["2159户"] == got["5.2万户"] == "relocated_households"


def test_houses_left_behind_and_people_relocated_said_otherwise():
    text = ("全国\n2019年3月1日 来源:测试\n去年266万户农村贫困家庭告别危房。“十三五”期间计划对约1000万建档立卡贫困人口实施易地扶贫搬迁。")
    got = indicators_of(text)
    assert got["266万户"] == "dilapidated_houses_renovated" and got["1000万"] == "relocated_population"


def test_the_remaining_poor_who_have_already_left_poverty():
    text = ("全县\n2020年8月1日 来源:测试\n2019年底剩余的312户865人已于今年6月全部达到脱贫标准。")
    got = indicators_of(text)
    assert got["865人"] == "poverty_population_reduced" and got["312户"] == "poor_households_exited"


def test_posts_for_the_poor_and_leaving_poverty_said_otherwise():
    text = ("全省\n2019年3月1日 来源:测试\n全省开发扶贫专岗8.6万个。今年全省将有10万贫困人口告别贫困。")
    got = indicators_of(text)
    assert got["8.6万个"] == "public_welfare_jobs" and got["10万"] == "poverty_population_reduced"


def test_welfare_recipients_work_away_and_counties_reaching_the_bar():
    text = ("全县\n2019年8月1日 来源:测试\n年末全县共有农村最低生活保障对象3.2万人。今年已有2.3万人外出务工。"
            "化隆、循化等4个县力争年底前达到摘帽标准。")
    got = indicators_of(text)
    assert got["3.2万人"] == "subsistence_allowance_population" and got["2.3万人"] == "poor_labor_employed"
    assert got["4个"] == "poor_counties_exited"


def test_low_income_people_lifted_out_in_jiangsu_words():
    text = ("泗阳\n2017年3月1日 来源:测试\n2017年泗阳将再实现3万名低收入人口脱贫,去年4.1万低收入人口摘帽。")
    got = indicators_of(text)
    assert got["3万名"] == got["4.1万"] == "poverty_population_reduced"


def test_indicators_of_monitoring_groups_housing_allowances_funds_and_banner_villages():
    got = indicators_of("某县扶贫\n2020年3月1日\n全县对561名边缘人口、315名脱贫不稳定人口实施动态监测。"
                        "农村危旧土坯房改造已完成4235户。年末享受农村最低生活保障的有2.36万人。"
                        "全年完成扶贫开发投资3.86亿元。今年全县计划实现9000人以上脱贫。"
                        "继续落实生态补偿岗位10万个。全旗退出贫困嘎查村312个。\n")
    assert got["561名"] == got["315名"] == "monitored_population"
    assert got["4235户"] == "dilapidated_houses_renovated" and got["2.36万人"] == "subsistence_allowance_population"
    assert got["3.86亿元"] == "poverty_funds_invested" and got["9000人"] == "poverty_population_reduced"
    assert got["10万个"] == "public_welfare_jobs" and got["312个"] == "poor_villages_exited"


def test_indicators_of_students_aided_and_work_near_home_or_outside_the_region():
    got = indicators_of("某省扶贫\n2021年3月1日\n毕节市今年资助人数最多,达3.4万人次;铜仁市资助2.2万人次。"
                        "全区脱贫劳动力区外务工128.4万人,区内务工159.2万人,县内就近就业1.52万人。\n")
    assert got["3.4万人次"] == got["2.2万人次"] == "students_assisted"
    assert got["128.4万人"] == got["159.2万人"] == got["1.52万人"] == "poor_labor_employed"


def test_a_later_each_list_of_a_sentence_measures_what_the_first_does():
    got = indicators_of("巴中市建档立卡\n2014年9月1日\n通江县、南江县、平昌县贫困人口分别为14.7万人、12.1万人和15.3万人;"
                        "巴州区、恩阳区分别为9.2万人和7.1万人。\n")
    assert got["9.2万人"] == got["7.1万人"] == got["14.7万人"] == "poor_population"
