"""Numbers and units as written: Arabic and Chinese numerals, 万/亿, qualifiers, per-unit amounts."""
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from fupin.transforms.numbers import find_quantities, parse_cn_integer, parse_number


@pytest.mark.parametrize("text,value", [
    ("十三", 13), ("两", 2), ("一千二百", 1200), ("二十", 20), ("十", 10), ("三百零五", 305),
    ("一万二千", 12000), ("二〇一九", 2019), ("五亿", 500_000_000),
])
def test_chinese_integers(text, value):
    assert parse_cn_integer(text) == value


def test_not_numbers():
    assert parse_cn_integer("十三五") is None  # a plan's label, not thirteen-five
    assert parse_number("") is None
    assert parse_number("1,234.5") == 1234.5


def only(text):
    qs = list(find_quantities(text))
    assert len(qs) == 1, qs
    return qs[0]


@pytest.mark.parametrize("text,base,unit,qualifier,surface", [
    ("投入了7750多万元用于", 77_500_000, "yuan", "more_than", "7750多万元"),
    ("建立1.2万余名村级信息员", 12_000, "person", "more_than", "1.2万余名"),
    ("补助资金238亿元", 23_800_000_000, "yuan", "exact", "238亿元"),
    ("贫困发生率2.55%", 2.55, "percent", "exact", "2.55%"),
    ("同比下降2.2个百分点", 2.2, "percentage_point", "exact", "2.2个百分点"),
    ("比上年提高3个多百分点", 3, "percentage_point", "more_than", "3个多百分点"),
    ("资助学生144.86万人次", 1_448_600, "person_time", "exact", "144.86万人次"),
    ("每人每月补助 300 元", 300, "yuan", "exact", "300 元"),
    ("我每月收入5000元左右", 5000, "yuan", "approx", "5000元左右"),
    ("覆盖率达到96%以上", 96, "percent", "at_least", "96%"),
    ("代缴100元/人的养老保险", 100, "yuan", "exact", "100元/人"),
    ("占比百分之十", 10, "percent", "exact", "百分之十"),
    ("出台十三条政策", 13, "count", "exact", "十三条"),
    ("珠三角6市对口帮扶", 6, "count", "exact", "6市"),
    ("发放贷款2831笔", 2831, "count", "exact", "2831笔"),
    ("建成8442.8公里", 8442.8, "km", "exact", "8442.8公里"),
    ("黄牛存栏量4.26万头", 42_600, "head", "exact", "4.26万头"),
    ("建设41000平方米的基地", 41_000, "m2", "exact", "41000平方米"),
    ("销售额较去年同期增长两成", 20, "percent", "exact", "两成"),
    ("总装机容量3.2万千瓦", 32_000, "kw", "exact", "3.2万千瓦"),
    ("建成光伏电站20兆瓦", 20_000, "kw", "exact", "20兆瓦"),
    ("年发电2400兆瓦时", 2_400_000, "kwh", "exact", "2400兆瓦时"),
    ("发放64.1亿元", 6_410_000_000, "yuan", "exact", "64.1亿元"),
])
def test_quantities(text, base, unit, qualifier, surface):
    q = only(text)
    assert q.value_base == pytest.approx(base)
    assert q.unit_code == unit
    assert q.qualifier == qualifier
    assert text[q.start:q.end] == surface


def test_bare_magnitude_waits_for_its_noun():
    q = only("共对19.5万农户开展排查")
    assert q.unit_code is None and q.value_base == 195_000 and q.magnitude == "万"


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("0123456789.,%万亿千百十一二两三多余个人户元名以上左右约近 /")) | st.characters(), max_size=60))
def test_parser_never_raises(text):
    for q in find_quantities(text):
        assert 0 <= q.start < q.end <= len(text)
        assert q.value_base == q.value_base  # not NaN


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=200))
def test_extraction_never_raises(text):
    from fupin.transforms.extract import extract_article

    res = extract_article("x", text)
    for f in res.facts:
        assert text[f["char_start"]:f["char_end"]] == f["surface"]


@pytest.mark.parametrize("text,base,surface", [
    ("人均增收3000-5000元", 3000, "3000-5000元"),
    ("补助3万至5万元", 30000, "3万至5万元"),
    ("建设3到5个", 3, "3到5个"),
])
def test_ranges_read_as_lower_bound(text, base, surface):
    q = only(text)
    assert q.value_base == pytest.approx(base) and q.qualifier == "at_least"
    assert text[q.start:q.end] == surface


def test_shares_and_multiples_in_words_are_percents():
    """GOLD.md: 增长近2倍 -> 200, 九成 -> 90, 一半 -> 50, 四分之三 -> 75, 3/4 -> 75 (percent);
    an idiom (一成不变), a plan label (十三五) and a date (2019/3/5) are not shares."""
    from fupin.transforms.numbers import find_quantities

    def read(t):
        return [(q.number_text, q.value, q.value_base, q.unit_code, q.qualifier) for q in find_quantities(t)]

    assert read("增长近2倍") == [("2倍", 2.0, 200.0, "percent", "exact")]
    assert read("超过九成贫困村出列,四分之三贫困县摘帽") == [("九成", 9.0, 90.0, "percent", "exact"),
                                                       ("四分之三", 0.75, 75.0, "percent", "exact")]
    assert read("一半以上") == [("一半", 0.5, 50.0, "percent", "at_least")]
    assert read("占3/4") == [("3/4", 0.75, 75.0, "percent", "exact")]
    assert read("一成不变") == read("十三五") == read("2019/3/5") == []


def test_a_chinese_numeral_with_wan_inside_is_one_number():
    from fupin.transforms.numbers import find_quantities, parse_number
    assert parse_number("两万三千") == 23000 and parse_number("二十二点一") == 22.1 and parse_number("零点四") == 0.4
    (q,) = [q for q in find_quantities("全县共有贫困人口两万三千余人。") if q.unit_code == "person"]
    assert (q.value_base, q.qualifier) == (23000, "more_than")


def test_a_percent_written_in_words_is_a_fact():
    from fupin.transforms.extract import extract_article
    facts = extract_article("a", "贫困发生率由百分之二十二点一下降到百分之零点四。").facts
    assert [(f["value_base"], f["unit_code"]) for f in facts] == [(22.1, "percent"), (0.4, "percent")]


def test_a_spun_copy_writing_the_decimal_point_as_a_full_stop():
    from fupin.transforms.extract import extract_article
    text = "闵行区累计投入财政帮扶资金14。24亿元,援建项目649个。全县有3个村。24个合作社参与。"
    facts = extract_article("a", text).facts
    (money,) = [f for f in facts if f["unit_code"] == "yuan"]
    assert money["value_base"] == 1_424_000_000 and text[money["char_start"]:money["char_end"]] == "14。24亿元"
    # a sentence that ends on an amount with its unit leaves the next sentence's number alone
    assert {f["value_base"] for f in facts} >= {649, 3, 24}


def test_chinese_numerals_with_a_decimal_point_and_the_units_they_count():
    from fupin.transforms.extract import extract_article
    text = ("2023年,全县投入资金一点零六亿元,收入增长三点二倍,开展培训七千八百余人次,"
            "参保率达到百分之百,新建道路一百二十公里。")
    got = {f["surface"]: f["value_base"] for f in extract_article("a", text).facts}
    assert got == {"一点零六亿元": 106_000_000, "三点二倍": 320, "七千八百余人次": 7800,
                   "百分之百": 100, "一百二十公里": 120}


def test_areas_are_square_metres_and_qualifier_words_before_a_number():
    from fupin.transforms.extract import extract_article
    text = "2023年,全县面积1362平方公里,造林2公顷,集体收入突破15万元,投入不少于3.5亿元,人均约为1.5万元。"
    got = {f["surface"]: (f["value_base"], f["unit_code"], f["qualifier"]) for f in extract_article("a", text).facts}
    assert got["1362平方公里"] == (1_362_000_000, "m2", "exact")
    assert got["2公顷"] == (20_000, "m2", "exact")
    assert got["15万元"][2] == "more_than" and got["3.5亿元"][2] == "at_least" and got["1.5万元"][2] == "approx"


def test_a_ratio_written_without_a_unit():
    from fupin.transforms.extract import extract_article
    text = "2019年,城乡居民收入比为2.93,比上年缩小0.04。城乡居民人均收入倍差进一步缩小至1.86。收入比为1:2。"
    got = [(f["surface"], f["unit_code"]) for f in extract_article("a", text).facts]
    assert got == [("2.93", "ratio"), ("0.04", "ratio"), ("1.86", "ratio")]  # 缩小0.04: by how much it moved


def test_a_pdf_copy_with_wrapped_lines_and_spaced_digits():
    from fupin.transforms.extract import extract_article
    body = ("脱贫攻坚取得阶段性成效。全年实现２３个贫困村退出，４ ８６１户２．０６万人脱贫，发放扶贫小额贷款２．１亿元，"
            "惠及贫困户５ ２１０户，转移劳动力４. ８万人次，其中贫困劳动力１．９ 万人次，实现劳务收入３．４亿元，"
            "新建卫星工厂３８家，吸纳就业２６００余人，新建改建农村公路３２６公里，解决了３．２万农村人口的安全饮水问题。")
    width = 40  # a PDF's page width: every line but the last as wide, broken mid-sentence
    text = "墨玉县人民政府工作报告\n" + "\n".join(body[i:i + width] for i in range(0, len(body), width)) + "\n"
    got = {text[f["char_start"]:f["char_end"]].replace("\n", ""): f["value_base"]
           for f in extract_article("a", text).facts}
    assert got["４ ８６１户"] == 4861 and got["５ ２１０户"] == 5210 and got["４. ８万人次"] == 48000
    assert got["１．９ 万人次"] == 19000 and got["３２６公里"] == 326 and len(got) == 12


def test_a_narrow_pdf_page_under_a_right_aligned_signature():
    from fupin.transforms.extract import extract_article
    body = ("全年共投入财政专项扶贫资金38.6亿元，其中中央资金21.4亿元、省级资金9.7亿元、州县两级资金7.5亿元；"
            "统筹整合涉农资金62.3亿元。新增发放扶贫小额信贷4.25亿元，贷款余额18.9亿元。")
    width = 26  # narrower than the old 34-character floor; a line breaks between 7.5 and 亿元
    text = ("关于2020年脱贫攻坚工作情况的报告\n" + "\n".join(body[i:i + width] for i in range(0, len(body), width))
            + "\n\n" + " " * 33 + "某州扶贫开发办公室\n" + " " * 35 + "2021年1月8日\n")
    got = {f["surface"].replace("\n", ""): f["value_base"] for f in extract_article("a", text).facts}
    assert got["7.5亿元"] == 7.5e8


def test_a_table_with_a_unit_column():
    from fupin.transforms.extract import extract_article
    text = ("某县2019年脱贫攻坚工作总结\n2019年12月20日\n表1　2019年脱贫攻坚主要指标完成情况\n"
            "指标\t单位\t年度计划\t实际完成\t完成率（%）\n贫困人口脱贫\t人\t30000\t32146\t107.2\n"
            "扶贫小额信贷新增发放\t万元\t12000\t13580\t113.2\n\n全县贫困发生率降至5.97%。\n")
    got = {f["surface"]: (f["value_base"], f["unit_code"], f["year"]) for f in extract_article("a", text).facts}
    assert got["32146"] == (32146, "person", 2019) and got["13580"] == (1.358e8, "yuan", 2019)
    assert got["107.2"] == (107.2, "percent", 2019) and got["5.97%"][1] == "percent"


def test_numbers_sharing_one_unit_and_a_tables_rows():
    from fupin.transforms.extract import extract_article
    text = ("2017年,东、中、西部地区农村贫困发生率比上年分别下降0.6、1.5和2.2个百分点。\n\n"
            "附表:2017年贫困地区农村居民人均可支配收入\n指标\t数值\n人均可支配收入(元)\t9377\n 工资性收入(元)\t3210\n"
            "名义增长(%)\t10.5\n")
    got = {f["surface"]: (f["value_base"], f["unit_code"], f["year"]) for f in extract_article("a", text).facts}
    assert got["0.6"] == (0.6, "percentage_point", 2017) and got["1.5"] == (1.5, "percentage_point", 2017)
    assert got["9377"] == (9377, "yuan", 2017) and got["3210"] == (3210, "yuan", 2017)
    assert got["10.5"] == (10.5, "percent", 2017)


def test_cells_of_a_flattened_table_are_not_one_spaced_number():
    from fupin.transforms.normalize import normalise
    row = "贫困村退出 个 12 12 100% 易地扶贫搬迁 户 600 652 108.7% 危房改造 户 1 536户"
    assert normalise(row).text == "贫困村退出 个 12 12 100% 易地扶贫搬迁 户 600 652 108.7% 危房改造 户 1536户"


def test_a_bare_magnitude_is_a_figure_only_with_a_qualifier():
    from fupin.transforms.extract import extract_article
    got = {f["surface"]: (f["value_base"], f["qualifier"]) for f in
           extract_article("a", "某省扶贫\n2019年3月1日\n今年助桂黔百余万人脱贫,消费帮扶销售额超百亿元,百万职工参与。\n").facts}
    assert got == {"百余万人": (1_000_000, "more_than"), "百亿元": (10_000_000_000, "more_than")}


def test_a_ratio_moving_from_one_value_to_another_and_a_ratio_named_zhi_bi():
    from fupin.transforms.extract import extract_article
    text = "2020年,城乡居民收入比由3.26缩小到3.20。城乡居民人均可支配收入之比为2.44,比上年同期缩小0.05。"
    got = [(f["surface"], f["unit_code"]) for f in extract_article("a", text).facts]
    assert got == [("3.26", "ratio"), ("3.20", "ratio"), ("2.44", "ratio"), ("0.05", "ratio")]
    # the year the first value was of, between the ratio's name and the value
    got = extract_article("a", "全省城乡居民收入比由2015年的2.60缩小到2.50。").facts
    assert [(f["surface"], f["unit_code"]) for f in got] == [("2.60", "ratio"), ("2.50", "ratio")] and got[0]["year"] == 2015
    got = extract_article("a", "城乡居民收入比由2020年的3.27缩小到2024年的2.94。").facts
    assert [(f["surface"], f["year"]) for f in got] == [("3.27", 2020), ("2.94", 2024)]


def test_a_ratio_falling_by_percentage_points_keeps_its_unit():
    from fupin.transforms.extract import extract_article
    text = "2019年,城乡居民人均可支配收入比值为2.64,比上年同期下降0.01个百分点。"
    got = [(f["surface"], f["unit_code"]) for f in extract_article("a", text).facts]
    assert got == [("2.64", "ratio"), ("0.01个百分点", "percentage_point")]


def test_a_rate_brought_to_zero_is_a_percent_of_zero():
    from fupin.transforms.extract import extract_article
    text = "某县\n2019年3月1日\n贫困发生率降至零。脱贫人口错退率均为0,漏评率为0.5%。\n"
    got = [(f["surface"], f["value_base"], f["unit_code"]) for f in extract_article("a", text).facts]
    assert got == [("零", 0, "percent"), ("0", 0, "percent"), ("0.5%", 0.5, "percent")]


def test_provinces_and_prefectures_counted_in_digits_are_counts():
    from fupin.transforms.extract import extract_article
    got = {f["surface"]: f for f in extract_article("a", "东部9省市结对帮扶西部。全省6州累计减贫10万人。").facts}
    assert got["6州"]["unit_code"] == "count" and got["6州"]["value"] == 6
