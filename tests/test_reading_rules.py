"""The reading rules of extraction, each on a small text written for the test (not a dev
article's sentence): what a careful reader would take for year, kind, region, indicator."""
from fupin.transforms.extract import extract_article


def facts(text):
    res = extract_article("a", text)
    return res.meta, {f["surface"]: f for f in res.facts}


def test_navigation_and_site_lines_are_no_title_and_name_no_region():
    meta, fs = facts("首页 | 北京 | 国内 | 社会\n江苏龙网\n湖北贫困人口大幅减少\n2020-05-01 10:00 来源:某网\n"
                     "全省贫困人口减少到5.8万人。\n")
    assert meta["title"] == "湖北贫困人口大幅减少"
    assert meta["main_region_code"] == "420000"
    assert fs["5.8万人"]["region_code"] == "420000"


def test_a_government_sites_header_is_no_title_and_names_the_region_of_a_title_that_names_none():
    meta, fs = facts("湖北省扶贫开发办公室\n首页 > 通知公告\n关于2018年度贫困县退出专项评估检查结果的通报\n"
                     "发布时间:2019-04-26 来源:省扶贫办\n对郧阳区、孝昌县、大悟县等12个县开展了评估。孝昌县、大悟县漏评户"
                     "分别为3户和2户。孝昌县整改到位。全省37个贫困县中已有29个实现脱贫摘帽。\n")
    assert meta["title"] == "关于2018年度贫困县退出专项评估检查结果的通报"
    assert meta["main_region_code"] == "420000" and fs["29个"]["region_code"] == "420000"
    meta, fs = facts("青海省乡村振兴局\n当前位置:首页 > 政务公开\n青海省乡村振兴局2023年工作总结\n发布时间:2023-12-28\n"
                     "全省脱贫人口人均纯收入达到13580元。\n")
    assert meta["title"] == "青海省乡村振兴局2023年工作总结"


def test_a_breadcrumb_of_double_arrows_is_no_title():
    meta, fs = facts("人民网>>辽宁频道>>市县\n\n朝阳:脱贫攻坚目标任务全面完成\n\n2021年03月16日08:41  来源:朝阳日报\n"
                     "朝阳县、建平县、喀左县、北票市、凌源市5个省级扶贫开发工作重点县全部摘帽。全市脱贫人口人均纯收入达到10218元。\n")
    assert meta["title"] == "朝阳:脱贫攻坚目标任务全面完成" and meta["main_region_code"] == "211300"


def test_a_wire_datelines_city_is_not_what_the_article_is_about():
    meta, fs = facts("央广网银川11月18日消息 记者从宁夏扶贫办获悉,2019年,全区减少贫困人口6.2万人。\n")
    assert fs["6.2万人"]["region_code"] == "640000"
    assert meta["pub_date"].month == 11 and meta["pub_date"].day == 18


def test_a_national_title_makes_a_national_article():
    meta, fs = facts("全国农村贫困人口去年减少1000万人\n2020-02-01 10:00 来源:某报\n2019年末,农村贫困人口550万人。\n")
    assert meta["main_region_code"] == "100000"
    assert fs["550万人"]["region_code"] == "100000"


def test_a_compared_region_is_the_yardstick_only_for_its_own_figure():
    _, fs = facts("海南发布\n2019-03-01 09:00 来源:海南日报\n2018年,我省贫困发生率下降至1.2%,比全国平均水平1.6%低0.4个百分点。"
                  "全省贫困人口占全国总数的0.2%。\n")
    assert fs["1.6%"]["region_code"] == "100000"
    assert fs["0.4个百分点"]["region_code"] == "460000"
    assert fs["0.2%"]["region_code"] == "460000"


def test_a_period_is_no_target_and_dates_the_text_after_it():
    meta, fs = facts("河南脱贫成效\n2014年至2018年,全省年均脱贫110万人。\n")
    assert fs["110万人"]["kind"] == "actual" and fs["110万人"]["year"] == 2018
    assert meta["pub_year"] == 2019


def test_a_past_deadline_reports_what_was_done():
    _, fs = facts("云南脱贫攻坚总结\n2021-02-01 09:00 来源:某报\n到2020年底,全省贫困人口全部脱贫,共减少贫困人口300万人。\n")
    assert fs["300万人"]["kind"] == "actual" and fs["300万人"]["year"] == 2020


def test_a_deadline_still_ahead_is_a_target():
    _, fs = facts("甘肃脱贫工作会议\n2019-03-01 09:00 来源:某报\n全省剩余6个贫困县争取在2020年底前全部摘帽。\n")
    assert fs["6个"]["kind"] == "target" and fs["6个"]["year"] == 2020


def test_a_plan_named_as_a_noun_is_no_target():
    _, fs = facts("山西扶贫\n2019-10-09 09:00 来源:某报\n全省实施了五级扶贫攻坚计划,成立了7个扶贫监督小组。"
                  "全省还将围绕其余17个贫困县脱贫摘帽。\n")
    assert fs["7个"]["kind"] == "actual"
    assert fs["17个"]["kind"] == "target"


def test_a_relative_year_bound_by_de_dates_only_its_number():
    _, fs = facts("内蒙古扶贫投入\n2017-03-17 09:00 来源:某报\n今年以来,自治区本级财政投入由去年的18.8亿元增加到48.8亿元。\n")
    assert fs["18.8亿元"]["year"] == 2016
    assert fs["48.8亿元"]["year"] == 2017


def test_a_restated_figure_keeps_its_year():
    res = extract_article("a", "山西扶贫\n2019-10-09 09:00 来源:某报\n截至2018年底,全省7075个贫困村已经脱贫。\n\n"
                               "山西实现7075个贫困村脱贫\n")
    assert [f["year"] for f in res.facts] == [2018, 2018]


def test_a_paragraph_opening_with_a_county_is_about_it():
    _, fs = facts("湖北贫困县全部摘帽\n2020-09-15 09:00 来源:某报\n全省贫困人口全部脱贫。\n竹溪县用扶贫车间促就业,发展茶叶12万亩。\n")
    assert fs["12万亩"]["region_code"] == "420324"


def test_a_magnitude_word_alone_is_a_label():
    _, fs = facts("广西开展活动\n2020-06-01 09:00 来源:某报\n全区开展百万职工助脱贫活动,带动十个县就业。\n")
    assert "百万" not in fs and "十个" in fs


def test_a_paragraph_referring_back_keeps_the_status_date():
    text = ("内蒙古扶贫新闻发布会\n2017-03-17 09:00 来源:某报\n到2016年底,全区有建档立卡贫困人口55.6万人。\n"
            "全区贫困人口中女性贫困人口25.9万人。\n发布会上,旗县长介绍了扶贫车间20家。\n")
    _, fs = facts(text)
    assert fs["55.6万人"]["year"] == 2016 and fs["55.6万人"]["kind"] == "actual"
    assert fs["25.9万人"]["year"] == 2016  # opens with 全区: goes on with the status of 2016
    assert fs["20家"]["year"] == 2017  # a new subject: the publication year


# ----------------------------------------------------------------------------- issue #17

def test_no_fact_lost_for_want_of_a_date_or_region():
    """A text with no date, no year and no region still yields facts: dated by its era
    words, coded to the country, each with a low confidence saying so."""
    from fupin.transforms.extract import extract_article

    res = extract_article("x", "各地巩固拓展脱贫攻坚成果,防止返贫监测对象共有120户。")
    (f,) = res.facts
    assert f["year_source"] == "era_words" and 2021 <= f["year"] <= 2025
    assert f["region_code"] == "100000" and f["region_source"] == "default_country"
    assert 0 <= f["confidence"] <= 0.2  # a guessed region: never among the confident facts
    assert res.meta["pub_date_source"] == "era_words" and res.meta["pub_year"] is None
    # a region named, the year still guessed from era words: 今年 and undated figures stay below 0.5
    res = extract_article("x", "甘肃省巩固拓展脱贫攻坚成果,今年全省防止返贫监测对象共有1.2万户。")
    (f,) = res.facts
    assert f["region_code"] == "620000" and f["confidence"] <= 0.5


def test_day_first_header_date():
    from fupin.transforms import metadata

    d, _, _ = metadata.find_dateline("沈阳11662名贫困人口年底脱贫销号\n\n25.11.2016  11:05\n\n正文。")
    assert d is not None and (d.year, d.month, d.day) == (2016, 11, 25)


def test_status_at_a_month_dates_the_text():
    from fupin.transforms.extract import extract_article

    res = extract_article("x", "至2019年7月,全省农村贫困人口累计脱贫33.4万人。")
    assert res.meta["pub_year"] == 2019


def test_known_date_long_after_the_text_is_a_repost():
    import datetime as dt

    from fupin.transforms.extract import extract_article

    text = "2015年,全县贫困人口减少1.2万人。今年,全县计划再减少8000人。"
    res = extract_article("x", text, known={"known_pub_date": dt.date(2021, 5, 1)})
    assert res.meta["pub_date_source"] == "text_before_known_date"
    assert [f["year"] for f in res.facts] == [2015, 2016]
    res = extract_article("x", text, known={"known_pub_date": dt.date(2016, 5, 1)})
    assert res.meta["pub_date_source"] == "manifest" or res.meta["pub_date_source"] == "known"


def test_a_known_date_months_after_the_texts_own_date_line_is_a_repost():
    import datetime as dt

    from fupin.transforms.extract import extract_article

    text = "张家口:去年减贫12.3万人\n来源:张家口日报 2019-01-14 09:12\n去年,全市投入财政专项扶贫资金45.6亿元。今年全市将减贫3万人。\n"
    res = extract_article("x", text, known={"known_pub_date": dt.date(2020, 5, 22), "known_pub_date_source": "manifest"})
    assert res.meta["pub_date"] == dt.date(2019, 1, 14) and res.meta["pub_date_source"] == "dateline_before_known_date"
    assert [f["year"] for f in res.facts] == [2018, 2018, 2019]
    res = extract_article("x", text, known={"known_pub_date": dt.date(2019, 1, 15), "known_pub_date_source": "manifest"})
    assert res.meta["pub_date_source"] == "manifest"


def test_a_change_from_a_year_and_the_nth_poverty_day_date_an_undated_text_after_it():
    import datetime as dt

    from fupin.transforms.extract import extract_article

    text = "阜平:山区托起脱贫新希望\n记者从阜平县扶贫办获悉,截至今年9月底,该县累计脱贫9.6万人,贫困发生率由2014年的54.37%降至0.85%。\n"
    assert extract_article("x", text).meta["pub_year"] == 2015  # the start of a change is over
    assert extract_article("x", "10月17日是第六个国家扶贫日。" + text).meta["pub_year"] == 2019
    # nor, against era words of a later time, to date the text
    res = extract_article("x", "甘肃东乡:教育扶贫\n中国甘肃网1月19日讯 “十三五”期间,全县巩固拓展脱贫攻坚成果,防止返贫监测对象"
                               "全部消除风险。义务教育巩固率由2015年的81.4%提高到去年的95.02%。\n")
    assert res.meta["pub_year"] is None or res.meta["pub_year"] >= 2021
    # 2017年起 counts from a year (as 以来 does): no report of the year the text was written in
    res = extract_article("x", "2017年起,当地先后修建钢梯2556级。", known={"known_pub_date": dt.date(2020, 5, 12),
                                                                  "known_pub_date_source": "manifest"})
    assert res.meta["pub_date_source"] == "manifest" and res.meta["pub_year"] == 2020
    # a year bound to one number says too little to call a known date a repost
    res = extract_article("x", text, known={"known_pub_date": dt.date(2019, 10, 17), "known_pub_date_source": "manifest"})
    assert res.meta["pub_year"] == 2019 and res.meta["pub_date_source"] == "manifest"


def test_change_direction_marks_the_size_of_a_change():
    from fupin.transforms.extract import extract_article

    res = extract_article("x", "2019年,全省贫困发生率下降1.2个百分点,农民收入增长8.5%,贫困人口减少到3万人。")
    assert [f["change_direction"] for f in res.facts] == ["decrease", "increase", None]


def test_traditional_variant_of_a_province_name():
    from fupin.transforms.extract import extract_article

    res = extract_article("x", "2018年,陜西貧困地區農村居民人均可支配收入達到10267元。")
    assert [f["region_code"] for f in res.facts] == ["610000"]


def test_ranked_in_the_country_is_no_national_title():
    from fupin.transforms.extract import extract_article

    res = extract_article("x", "省乡村振兴局五项指标在全国争先进位\n2022年,湖南省脱贫人口人均纯收入达到12406元。")
    assert res.meta["main_region_code"] == "430000"


def test_confidence_is_a_calibrated_step():
    from fupin.transforms import linear

    lows, values = linear._shipped_calibration()
    assert lows == sorted(lows) and values == sorted(values)
    assert all(0 <= v <= 1 for v in values)


def test_a_group_belongs_to_the_smallest_region_containing_it():
    from fupin.transforms.extract import extract_article

    res = extract_article("x", "吉林脱贫\n2019年,双辽市、柳河县、长岭县、白城市洮北区4个省定贫困县摘帽。"
                               "湖北省竹溪县等5个县脱贫摘帽。\n")
    codes = {f["surface"]: (f["region_code"], f["region_source"]) for f in res.facts}
    assert codes["4个"][0] == "220000"
    assert codes["5个"] == ("420000", "group")  # the province written before its list: the rest are in it, not only in 十堰市


def test_the_country_beside_the_subject():
    """(国家4.5%), (全国12.8万个) and 全国592个 in its own clause are the country's figures,
    whatever the article is about."""
    from fupin.transforms.extract import extract_article

    res = extract_article("x", "内蒙古扶贫\n2016年,全区贫困发生率4.1%(国家4.5%),有贫困嘎查村2834个(全国12.8万个)。"
                               "维西县是全国592个国家重点扶持贫困县之一。\n")
    codes = {f["surface"]: f["region_code"] for f in res.facts}
    assert codes["4.1%"] == "150000" and codes["4.5%"] == "100000"
    assert codes["2834个"] == "150000" and codes["12.8万个"] == "100000"
    assert codes["592个"] == "100000"


def test_a_gap_over_a_yardstick_is_the_subjects():
    _, fs = facts("某市居民收入\n2017-02-01 10:00 来源:某报\n2016年,百色市农村居民人均可支配收入增长9.5%,"
                  "增幅高于全区1.2个百分点、快于全国2.4个百分点。\n")
    assert fs["1.2个百分点"]["region_code"] == "451000"
    assert fs["2.4个百分点"]["region_code"] == "451000"


def test_the_approving_region_is_not_the_subject():
    _, fs = facts("百色脱贫\n2017-02-01 10:00 来源:某报\n2016年,百色市脱贫攻坚取得成效,经自治区核验,134个贫困村脱贫出列。\n")
    assert fs["134个"]["region_code"] == "451000"


def test_a_list_closed_by_its_count_is_its_members_region():
    _, fs = facts("广西脱贫\n2017-02-01 10:00 来源:某报\n2016年,右江区、田东县、田阳县等3县脱贫摘帽。"
                  "2016年,竹溪县、房县等5个县投入资金2亿元。\n")
    assert fs["3县"]["region_code"] == "451000" and fs["3县"]["indicator_code"] == "poor_counties_exited"
    assert fs["2亿元"]["region_code"] == "420000"  # left open: the region above 十堰, theirs


def test_a_named_period_in_quotes_dates_its_figures():
    _, fs = facts("平塘县减贫\n16.01.2016 13:46\n“十二五”期间,平塘县减少贫困人口8.74万人。\n")
    assert fs["8.74万人"]["year"] == 2015


def test_a_years_since_cue_and_a_history_year_cut_by_then():
    _, fs = facts("闽宁协作\n2016-07-19 10:00 来源:某报\n1996年,福建与宁夏确立对口协作关系,此后两地共建110个示范村。"
                  "20年来,福建财政向宁夏无偿援助5.05亿元。\n")
    assert fs["110个"]["year"] == 2016
    assert fs["5.05亿元"]["year"] == 2016 and fs["5.05亿元"]["indicator_code"] == "poverty_funds_invested"


def test_a_title_about_last_year_dates_undated_figures():
    _, fs = facts("过去一年江苏做了这些事\n2019年02月15日 17:29 来源:某网\n江苏组织340家企业到陕西开展产业合作。\n")
    assert fs["340家"]["year"] == 2018


def test_the_verb_after_the_poor_names_the_event():
    _, fs = facts("西藏脱贫\n2017-02-01 10:00 来源:某报\n2016年,全区15万建档立卡贫困人口实现脱贫,"
                  "10万建档立卡贫困人口易地扶贫搬迁,6个县实现减贫摘帽,27个村完成脱贫。\n")
    assert fs["15万"]["indicator_code"] == "poverty_population_reduced"
    assert fs["10万"]["indicator_code"] == "relocated_population"
    assert fs["6个"]["indicator_code"] == "poor_counties_exited"
    assert fs["27个"]["indicator_code"] == "poor_villages_exited"


def test_a_part_opened_by_qizhong_keeps_the_wholes_indicator():
    _, fs = facts("劳务协作\n2025-01-10 10:00 来源:某报\n2024年,甘肃脱贫劳动力务工就业11.99万人,其中脱贫人口9.22万人。\n")
    assert fs["9.22万人"]["indicator_code"] == fs["11.99万人"]["indicator_code"] == "poor_labor_employed"


def test_a_changes_from_year_binds_without_de():
    _, fs = facts("监测线\n2022-03-01 10:00 来源:某报\n自治区将监测收入基准线从2021年6000元提至2025年8800元。\n")
    assert fs["6000元"]["year"] == 2021 and fs["6000元"]["kind"] == "actual"
    assert fs["8800元"]["year"] == 2025


def test_a_multiple_of_a_base_year_is_of_the_subjects_year():
    _, fs = facts("百色扶贫\n2017-02-01 10:00 来源:某报\n2016年,百色市投入扶贫专项资金49.3亿元,是2015年的13倍。\n")
    assert fs["13倍"]["year"] == 2016


def test_a_ranking_and_the_outlets_province():
    meta, fs = facts("省乡村振兴局五项指标在全国争先进位\n2023-01-20 10:20 来源:山西晚报\n"
                     "2022年,全省项目开工率全国第一,年度项目开工率达到100%、并列全国第一。\n")
    assert meta["main_region_code"] == "140000"
    assert fs["100%"]["region_code"] == "140000"


def test_provinces_named_alike_make_a_text_about_their_group():
    meta, fs = facts("本报北京4月16日电 2014年民族八省区农村贫困人口为2205万人。民族八省区指的是内蒙古、广西、西藏、宁夏、"
                     "新疆5个自治区和贵州、云南、青海3个省份。按年人均收入2300元(2010年不变价)的标准测算,"
                     "八省区贫困发生率为14.7%。\n")
    assert meta["main_region_code"] == "100000"
    assert fs["2205万人"]["region_code"] == fs["5个"]["region_code"] == "100000"
    assert fs["14.7%"]["year"] == 2014  # 2010年不变价 is a price base


def test_a_count_of_provinces_is_the_countrys_and_a_name_right_before_a_number_decides():
    _, fs = facts("天津帮扶甘肃\n2023-03-01 10:00 来源:某报\n1996年,党中央作出东部13个省市结对帮扶西部10个省区的部署。"
                  "天津市在甘肃省28个县设立防返贫保险,天津市6个省级贫困县摘帽。\n")
    assert fs["13个"]["region_code"] == fs["10个"]["region_code"] == "100000"
    assert fs["28个"]["region_code"] == "620000"
    assert fs["6个"]["region_code"] == "120000"  # 省级贫困县: counties, not provinces


def test_a_years_figure_in_brackets_and_a_parallel_from_year_without_de():
    _, fs = facts("海南扶贫\n2015-11-09 10:00 来源:某报\n农村贫困人口从2010年82.9万人减少到2014年54.6万人,"
                  "农村贫困发生率从16.3%下降到10.2%。全年农民收入增速比2014年(10.7%)提高1.9个百分点。\n")
    assert fs["16.3%"]["year"] == 2010
    assert fs["10.7%"]["year"] == 2014


def test_shares_in_words_below_two_are_facts_and_counted_slogans_are_not():
    _, fs = facts("徐州扶贫\n2017-03-01 10:00 来源:某报\n徐州市现有贫困人口占全省四分之一,一半以上在山区。"
                  "全市从三个方面推进,实现两个“首破”,四家班子带头。\n")
    assert fs["四分之一"]["value_base"] == 25.0
    assert fs["一半"]["value_base"] == 50.0
    assert not {"三个", "两个", "四家"} & set(fs)


def test_a_compared_year_and_a_countdown_do_not_date_the_figure():
    _, fs = facts("湖南扶贫\n2019-01-05 10:00 来源:湖南日报\n2018年,全省脱贫人数达到130万人。"
                  "贫困发生率比2010年下降20个百分点。距离2020年还有700天,全省还有贫困人口50万人。\n")
    assert fs["20个百分点"]["year"] == 2018
    assert fs["50万人"]["year"] != 2020


def test_more_counting_words_and_a_verb_that_names_persons():
    _, fs = facts("扶贫工作\n2019-03-01 10:00 来源:某报\n2018年,全省统筹驻村工作队330支,重建危房4万栋,"
                  "举办培训85期,366乡减贫摘帽。如何在年内减贫120万?\n")
    assert {"330支", "4万栋", "85期", "366乡"} <= set(fs)
    assert fs["120万"]["unit_code"] == "person"


def test_mass_and_energy_in_the_specs_units():
    _, fs = facts("光伏扶贫\n2023-03-01 10:00 来源:某报\n2022年,光伏电站发电11万千瓦时,装机100千瓦,夏粮总产1699.9万吨,收购300斤。\n")
    assert (fs["11万千瓦时"]["unit_code"], fs["11万千瓦时"]["value_base"]) == ("kwh", 110000)
    assert fs["100千瓦"]["unit_code"] == "kw"
    assert (fs["1699.9万吨"]["unit_code"], fs["1699.9万吨"]["value_base"]) == ("kg", 16999000000)
    assert (fs["300斤"]["unit_code"], fs["300斤"]["value_base"]) == ("kg", 150)


def test_an_issuer_and_its_date_on_one_line_is_a_dateline():
    meta, fs = facts("第三次全國農業普查主要數據公報\n國家統計局 2017年12月16日\n"
                     "2016年末，全國農村貧困人口4335萬人。全省貧困人口參加基本醫療保險比例達100%。\n")
    assert str(meta["pub_date"]) == "2017-12-16"
    assert fs["100%"]["indicator_code"] == "medical_insurance_rate"


def test_yao_before_a_goal_verb_makes_a_target_but_not_zhuyao():
    _, fs = facts("河南扶贫\n2018-01-20 10:00 来源:某报\n2018年要实现33个贫困县摘帽。2017年主要实现了20个贫困县摘帽。\n")
    assert fs["33个"]["kind"] == "target"
    assert fs["20个"]["kind"] == "actual"


def test_jiang_shishi_plans_a_relocation():
    _, fs = facts("民和搬迁\n2017-11-21 09:06 来源:新华网\n2017年,民和县将实施涉及6个乡镇23个村整村搬迁安置,搬迁3812户。\n")
    assert fs["6个"]["kind"] == fs["23个"]["kind"] == "target"


def test_the_verb_after_households_and_persons_is_the_households_too():
    _, fs = facts("酉阳\n2017-01-01 10:00 来源:某报\n2016年,全县已累计实现3.4万户14.9万人脱贫。\n")
    assert fs["3.4万户"]["indicator_code"] == "poor_households_exited"
    assert fs["14.9万人"]["indicator_code"] == "poverty_population_reduced"


def test_a_number_named_a_goal_is_a_target():
    _, fs = facts("河南扶贫\n2018-01-20 10:00 来源:某报\n2017年,全省完成了年度脱贫人口100万的目标。\n")
    assert fs["100万"]["kind"] == "target"


def test_a_deadline_still_ahead_before_the_number_decides_a_target():
    _, fs = facts("贵州扶贫\n中新网贵阳7月6日电 2015年,贵州省到2020年农村贫困人口减少到213万人。\n")
    assert fs["213万人"]["year"] == 2020 and fs["213万人"]["kind"] == "target"


def test_the_states_own_count_is_the_countrys_but_not_a_national_level_county():
    _, fs = facts("宁夏扶贫\n2017-05-10 10:00 来源:某报\n西海固也是国家确定的14个集中连片特困地区之一。全区20个国家级贫困县。\n")
    assert fs["14个"]["region_code"] == "100000"
    assert fs["20个"]["region_code"] == "640000"


def test_the_region_after_zuowei_frames_the_subject():
    _, fs = facts("河北张北\n2020-04-21 16:58 来源:央广网\n张北县作为河北省面积第五大县,这里的贫困人口一度达到90570人。\n")
    assert fs["90570人"]["region_code"] == "130722"


def test_each_region_listed_right_after_fenbie_its_own_figure():
    _, fs = facts("天津日报 2023年12月8日\n2023年,天津市安排援疆资金13.6亿元。资金分别向于田县、策勒县、民丰县安排4.2亿元、3.5亿元、2.1亿元。\n")
    assert [fs[s]["region_code"] for s in ("4.2亿元", "3.5亿元", "2.1亿元")] == ["653226", "653225", "653227"]


def test_each_year_its_own_figure_after_fenbie():
    _, fs = facts("甘肃日报 2021年3月2日\n2017年至2020年,全省每年分别减少贫困人口67.1万人、88.2万人、79.4万人和52.3万人。"
                  "2018年、2019年和2020年,全省分别有18个、31个、8个贫困县退出。\n")
    assert [fs[s]["year"] for s in ("67.1万人", "88.2万人", "79.4万人", "52.3万人")] == [2017, 2018, 2019, 2020]
    assert [fs[s]["year"] for s in ("18个", "31个", "8个")] == [2018, 2019, 2020]
    assert fs["18个"]["year_source"] == "each"
    # 分别 over things listed after the years, or a count that does not match: the years do not share them out
    _, fs = facts("甘肃日报 2020年3月2日\n2018年和2019年,全省农民和贫困户收入分别增长8.2%和10.5%。"
                  "2017年至2019年,全省分别减贫3万人和4万人。\n")
    assert fs["8.2%"]["year_source"] != "each" and fs["3万人"]["year_source"] != "each"


def test_each_region_its_own_figure_after_fenbie():
    _, fs = facts("湖北十堰\n2019-01-10 10:00 来源:十堰日报\n2018年,竹山、竹溪两县贫困人口分别减少1.2万人、0.9万人。\n")
    assert (fs["1.2万人"]["region_code"], fs["0.9万人"]["region_code"]) == ("420323", "420324")
    assert fs["1.2万人"]["region_source"] == "each"
    # the city a list's first county is written under names where the list is, no member
    _, fs = facts("福建脱贫户增收\n2022-02-18 来源:某报\n宁德市寿宁县、周宁县、柘荣县脱贫户人均纯收入分别达到16980元、17210元和17536元。\n")
    assert [fs[k]["region_code"] for k in ("16980元", "17210元", "17536元")] == ["350924", "350925", "350926"]
    # 三县分别…: the three counties listed in the sentence before
    _, fs = facts("阜阳脱贫\n2017年1月5日\n临泉、阜南、颍上3个国家级贫困县是全市脱贫攻坚的主战场。去年,三县分别减贫5.2万人、"
                  "4.1万人、3.9万人。\n")
    assert [fs[k]["region_code"] for k in ("5.2万人", "4.1万人", "3.9万人")] == ["341221", "341225", "341226"]


def test_the_link_lists_after_a_related_news_heading_hold_no_facts():
    _, fs = facts("百色脱贫成效显著\n2019-03-05 10:20 来源:百色日报\n2018年,百色市减少贫困人口14.2万人。\n"
                  "相关新闻\n2017年百色减贫10万人\n热门推荐\n")
    assert "14.2万人" in fs and "10万人" not in fs


def test_farmers_income_per_head_without_a_qualifier():
    _, fs = facts("四川扶贫\n2019-03-05 10:00 来源:四川日报\n2018年,全省农民人均收入达12,345元。\n")
    assert fs["12,345元"]["indicator_code"] == "rural_income_per_capita"


def test_an_article_on_its_regions_aid_to_one_province_gives_unclaimed_figures_to_the_aided_side():
    text = ("沪滇协作结硕果\n2024-12-01 10:00 来源:某报\n上海对口帮扶云南已有多年,上海所辖的9个区参与帮扶。"
            "其中黄浦区对口帮扶昆明市东川区,徐汇区对口支援曲靖市。上海安排财政援助资金2亿元。\n"
            "2024年,共建乡村振兴示范村50个,实施帮扶项目300个。\n")
    meta, fs = facts(text)
    assert meta["main_region_code"] == "310000"
    assert fs["9个"]["region_code"] == "310000"  # the helper's own districts: its name is in the clause
    assert fs["300个"]["region_code"] == "530000" and fs["300个"]["region_source"] == "aid_receiver"
    # a province that aids several names them all, and keeps its figures
    _, fs = facts(text.replace("徐汇区对口支援曲靖市", "徐汇区对口支援贵州省遵义市"))
    assert fs["300个"]["region_code"] == "310000"


def test_a_text_that_counts_years_since_the_earliest_year_it_writes_is_dated_by_the_count():
    meta, fs = facts("山海协作结硕果\n1996年,福建与宁夏确立对口协作关系。从此两地结下不解之缘。"
                     "20年来,福建向宁夏无偿援助资金5.05亿元。\n")
    assert meta["pub_year"] == 2016 and meta["pub_date_source"] == "text_anniversary"
    assert fs["5.05亿元"]["year"] == 2016
    # two counts that disagree date nothing
    meta, _ = facts("山海协作结硕果\n1996年,福建与宁夏确立对口协作关系。20年来,福建援助资金5.05亿元;"
                    "10年来,援建学校30所。\n")
    assert meta["pub_date_source"] != "text_anniversary"


def test_abbreviated_and_autonomous_region_names_are_found():
    _, fs = facts("新疆脱贫攻坚\n2019-09-09 10:00 来源:某报\n塔县共有45个行政村。伊犁州减贫2万人。"
                  "塔什库尔干县贫困发生率降至1.2%。\n")
    assert fs["45个"]["region_code"] == "653131"
    assert fs["2万人"]["region_code"] == "654000"
    assert fs["1.2%"]["region_code"] == "653131"


def test_field_vocabulary_names_its_indicator():
    _, fs = facts("某省扶贫工作\n2020-03-01 10:00 来源:某报\n2019年,全省公益岗总量保持2万个,重建了3000栋危房,"
                  "助1.2万贫困人口“挪穷窝”,500名干部长期驻村帮扶。帮助农村劳动力实现就业5万人,其中脱贫劳动力3万人。"
                  "有2.1万人通过转移就业促脱贫。超过80%的脱贫户至少落实一项产业帮扶措施。\n")
    assert fs["2万个"]["indicator_code"] == "public_welfare_jobs"
    assert fs["3000栋"]["indicator_code"] == "dilapidated_houses_renovated"
    assert fs["1.2万"]["indicator_code"] == "relocated_population"
    assert fs["500名"]["indicator_code"] == "resident_task_force_members"
    assert fs["3万人"]["indicator_code"] == "poor_labor_employed"
    assert fs["2.1万人"]["indicator_code"] == "poor_labor_employed"
    assert fs["80%"]["indicator_code"] == "industry_coverage_rate"


def test_a_deadline_after_a_plan_sentence_is_ahead_and_a_period_followed_by_the_next_is_over():
    meta, fs = facts("海南扶贫规划\n“十二五”期间,全省贫困人口大幅减少。按照“十三五”规划,全省将利用三年攻坚,"
                     "在“十三五”期间全面完成脱贫任务。到2018年底,5个市县脱贫摘帽。今年将完成减贫8万人的目标。\n")
    assert meta["pub_year"] == 2015
    assert fs["5个"]["year"] == 2018 and fs["5个"]["kind"] == "target"
    assert fs["8万人"]["year"] == 2015 and fs["8万人"]["kind"] == "target"
    # a status at a year's end after a sentence that plans nothing reports the year as over
    meta, _ = facts("海南扶贫成效\n全省贫困人口大幅减少。到2018年底,5个市县脱贫摘帽。\n")
    assert meta["pub_year"] == 2019


def test_a_bound_on_a_count_of_what_follows_is_the_regions_figure_and_a_bar_on_anything_else_a_threshold():
    _, fs = facts("某省\n2018-03-01 10:00 来源:某报\n今年全省要实现700个以上贫困村出列、15万以上贫困人口脱贫,"
                  "覆盖60%以上贫困户。20户以上自然村通硬化路。收入1万元以上的农户有300户。\n")
    assert {k: fs[k]["scope"] for k in ("700个", "15万", "60%", "20户", "1万元")} == {
        "700个": "region", "15万": "region", "60%": "region", "20户": "threshold", "1万元": "threshold"}
    assert fs["700个"]["qualifier"] == "at_least"


def test_years_and_datelines_in_chinese_numerals_are_read():
    meta, fs = facts("湖南扶贫工作总结\n二〇一八年,全省减少贫困人口50万人。今年全省贫困人口减少到20万人。\n"
                     "湖南省扶贫开发办公室\n二〇一九年十二月二十五日\n")
    assert str(meta["pub_date"]) == "2019-12-25" and meta["pub_date_source"] == "dateline"
    assert fs["50万人"]["year"] == 2018 and fs["20万人"]["year"] == 2019


def test_a_date_inside_a_long_line_of_text_is_no_dateline():
    meta, fs = facts("黑河市脱贫情况\n- 脱贫时间:黑龙江省在2020年2月26日宣布最后一批国定贫困县退出贫困县序列,包括黑河市。\n"
                     "- GDP数据:2023年,黑河市实现地区生产总值660.60亿元。\n")
    assert meta["pub_date_source"] != "dateline"
    assert fs["660.60亿元"]["year"] == 2023 and fs["660.60亿元"]["kind"] == "actual"


def test_counties_and_villages_not_yet_exited_are_no_exits():
    _, fs = facts("四川脱贫\n2020-03-01 10:00 来源:四川日报\n目前,全省还有7个未摘帽贫困县、300个未退出贫困村。"
                  "2019年,31个贫困县摘帽,3300个贫困村退出。\n")
    assert fs["7个"]["indicator_code"] is None and fs["300个"]["indicator_code"] is None
    assert fs["31个"]["indicator_code"] == "poor_counties_exited"
    assert fs["3300个"]["indicator_code"] == "poor_villages_exited"


def test_a_later_clauses_words_name_their_own_number_and_reservoir_resettlement_is_no_relocation():
    _, fs = facts("湖北扶贫\n2019-03-01 10:00 来源:湖北日报\n丹江口水库移民搬迁安置2万人,易地扶贫搬迁贫困人口3万人。"
                  "水库移民搬迁安置4万人。\n")
    assert fs["2万人"]["indicator_code"] is None and fs["4万人"]["indicator_code"] is None
    assert fs["3万人"]["indicator_code"] == "relocated_population"


def test_expected_and_will_have_make_targets():
    _, fs = facts("湖南扶贫\n2019-03-05 10:00 来源:湖南日报\n今年全省将有50万人脱贫,有望实现30个贫困村出列。\n")
    assert fs["50万人"]["kind"] == "target" and fs["30个"]["kind"] == "target"


def test_will_with_a_verb_of_the_plan_makes_a_target():
    _, fs = facts("贵州扶贫\n新华社贵阳3月5日电 2018年,贵州减贫148万人。今年将减贫100万人,农民收入将增长10%。\n")
    assert fs["148万人"]["kind"] == "actual"
    assert fs["100万人"]["kind"] == "target" and fs["10%"]["kind"] == "target"


def test_a_text_whose_quan_xian_refers_back_to_a_county_more_often_than_it_names_the_province_is_about_the_county():
    meta, fs = facts("脱贫纪实\n央广网银川11月18日消息 宁夏回族自治区政府发布公告,同意西吉县退出贫困县序列。"
                     "宁夏人口最多的西吉县地处六盘山区。全县295个行政村全部配备了第一书记。"
                     "全县推进产业扶贫,50万干部群众全员参战。全县贫困发生率下降为0。\n")
    assert meta["main_region_code"] == "640422"
    assert fs["50万"]["region_code"] == "640422"


def test_region_names_opening_the_items_of_a_list_of_products_are_no_subjects():
    _, fs = facts("陕西脱贫\n2022-07-28 10:17 西北信息报\n陕西省统筹实施产业链建设,眉县猕猴桃、安康富硒茶、"
                  "富平羊奶粉等6个农产品获全国百强区域公用品牌。湖南、湖北等7个省份参与。\n")
    assert fs["6个"]["region_code"] == "610000"


def test_the_past_n_years_end_the_year_before_publication():
    _, fs = facts("2021年镇宁县政府工作报告\n2021-02-20 09:30 来源:镇宁县人民政府网\n"
                  "过去五年,全县累计减少贫困人口3.2万人,85个贫困村全部出列。\n")
    assert fs["3.2万人"]["year"] == 2020 and fs["85个"]["year"] == 2020


def test_items_of_a_list_by_region_share_the_first_items_indicator():
    _, fs = facts("全国农村贫困人口减少\n2019-02-15 10:00 来源:国家统计局\n分省看,贵州农村贫困人口155万人,云南179万人,河南104万人。\n")
    assert [fs[k]["indicator_code"] for k in ("155万人", "179万人", "104万人")] == ["poor_population"] * 3
    assert [fs[k]["region_code"] for k in ("155万人", "179万人", "104万人")] == ["520000", "530000", "410000"]


def test_rural_income_growth_is_rural_residents_yearly_growth_only():
    _, fs = facts("湖南经济\n2019-03-05 10:00 来源:湖南日报\n2018年,城镇居民人均可支配收入同比增长8.7%,"
                  "农村居民人均可支配收入同比增长9.7%;脱贫人口人均纯收入12406元,同比增长16.7%;"
                  "农民人均可支配收入年均增长11.1%。脱贫人口人均纯收入增长1630元;五是小额信贷投放额全国第五。\n")
    assert fs["9.7%"]["indicator_code"] == "rural_income_growth"
    assert fs["8.7%"]["indicator_code"] is None and fs["16.7%"]["indicator_code"] is None
    assert fs["11.1%"]["indicator_code"] is None
    assert fs["1630元"]["indicator_code"] != "poverty_microcredit_loans"


def test_a_clause_about_income_takes_no_other_indicator_from_the_clause_before():
    _, fs = facts("云南扶贫\n2020-01-05 10:00 来源:云南日报\n贫困发生率从14.03%降低到1.32%,贫困地区农民人均可支配收入年均增长11.1%。\n")
    assert fs["11.1%"]["indicator_code"] is None
    assert fs["1.32%"]["indicator_code"] == "poverty_incidence_rate"


def test_a_pages_counter_is_no_fact():
    _, fs = facts("重庆乡村振兴\n文章来源:某网 发布时间: 2023-02-27 16:58:27\n阅读:161 次\n浏览次数：1234\n今年重庆将力争创建100个宜居宜业和美乡村。\n")
    assert set(fs) == {"100个"}


def test_a_province_named_right_before_an_aid_verb_gives_and_the_figure_is_the_receivers():
    _, fs = facts("广西政府工作报告\n2019-01-20 10:00 来源:广西日报\n2018年,全区减贫116万人。广东方援助财政资金19.4亿元。"
                  "天津市对口帮扶甘肃省,投入资金3亿元。\n")
    assert fs["19.4亿元"]["region_code"] == "450000"
    assert fs["3亿元"]["region_code"] == "620000"  # the receiver, named after the verb


def test_a_status_at_a_month_of_the_publication_year_is_actual():
    _, fs = facts("黑龙江扶贫\n2019-08-05 10:00 来源:国际商报\n至2019年7月,全省农村贫困人口累计脱贫33.4万人,减贫幅度达到75%以上。\n")
    assert fs["33.4万人"]["year"] == 2019 and fs["33.4万人"]["kind"] == "actual"
    assert fs["75%"]["kind"] == "actual"


def test_the_size_of_a_change_with_years_takes_its_end_year():
    _, fs = facts("广西扶贫\n2014-10-17 09:13 来源:广西日报\n进入新一轮扶贫攻坚以来,广西农村贫困人口从2010年的1012万人"
                  "减少到2013年的634万人,减少37%,辖区内6个贫困村全部实现脱贫摘帽。\n")
    assert fs["37%"]["year"] == 2013
    assert fs["6个"]["year"] == 2014  # another subject: the since cue's, as of publication


def test_a_rate_named_in_full_takes_no_indicator_from_the_clause_before():
    _, fs = facts("河南健康扶贫\n2025-03-01 10:00 来源:河南日报\n全省脱贫人口参保率99.5%以上,患病救治管理率98%以上,家庭医生签约率99.98%。\n")
    assert fs["99.5%"]["indicator_code"] == "medical_insurance_rate"
    assert fs["98%"]["indicator_code"] is None and fs["99.98%"]["indicator_code"] is None


def test_a_multiples_base_year_neither_dates_it_nor_what_follows():
    _, fs = facts("某州脱贫纪实\n新华社昆明2021年3月8日电\n2014年,全州贫困人口26.96万人。\n"
                  "经过8年奋斗,到2020年底,全州贫困人口全部脱贫。\n"
                  "甲县农村居民人均可支配收入是2014年的2.6倍。全州有2.1万人实现易地搬迁。\n")
    assert fs["26.96万人"]["year"] == 2014
    assert fs["2.6倍"]["year"] == 2021
    assert fs["2.1万人"]["year"] != 2014


def test_counties_written_with_their_cities_exit():
    _, fs = facts("怒江州4个县(市)全部脱贫摘帽,255个贫困村全部出列。\n")
    assert fs["4个"]["indicator_code"] == "poor_counties_exited"
    assert fs["255个"]["indicator_code"] == "poor_villages_exited"


def test_a_countys_rural_income_is_rural_income_and_a_poor_areas_is_not():
    _, fs = facts("全县农民人均可支配收入达到9800元。贫困地区农村居民人均可支配收入11567元。\n")
    assert fs["9800元"]["indicator_code"] == "rural_income_per_capita"
    assert fs["11567元"]["indicator_code"] == "poor_area_rural_income"


def test_an_open_list_inside_the_texts_region_stays_in_it():
    meta, fs = facts("怒江州草果产业见成效\n2021-03-01 09:00 来源:云南日报\n怒江州大力发展草果产业。"
                     "2020年,泸水市、福贡县等3个县(市)有1.8万人通过草果产业增收。\n")
    assert fs["1.8万人"]["region_code"] == "533300"


def test_a_province_people_go_to_for_work_is_not_the_figures_region():
    _, fs = facts("湘西劳务协作\n2020-12-10 09:00 来源:湖南日报\n济南市帮助湘西州贫困劳动力实现就业1.2万人,"
                  "其中到山东就业2600人。\n")
    assert fs["1.2万人"]["region_code"] == "433100"
    assert fs["2600人"]["region_code"] == "433100"
    _, fs = facts("都安县劳务协作\n2021-12-10 09:00 来源:广西日报\n深圳市帮助我县农村劳动力到广东稳岗就业2.06万人。\n")
    assert fs["2.06万人"]["region_code"] in ("451228", "440300")  # the county, or the aiding city: never 广东 as a whole


def test_the_poor_a_measure_reached_are_not_the_stock_of_the_poor():
    _, fs = facts("甲县实施帮扶项目186个,带动贫困人口3.8万人增收。全县贫困人口1.2万人。\n")
    assert fs["3.8万人"]["indicator_code"] is None
    assert fs["1.2万人"]["indicator_code"] == "poor_population"


def test_audit_findings_on_money_are_no_funds_invested():
    _, fs = facts("审计发现,13个县扶贫资金闲置2年以上,金额达15.4亿元;有关地方已追回资金3.2亿元。"
                  "全年投入扶贫资金20亿元。\n")
    assert fs["15.4亿元"]["indicator_code"] is None
    assert fs["3.2亿元"]["indicator_code"] is None
    assert fs["20亿元"]["indicator_code"] == "poverty_funds_invested"


def test_persons_after_households_share_their_bound_year():
    _, fs = facts("甲县脱贫\n2020-05-01 10:00 来源:某报\n全县贫困人口由2014年的23275户77350人减少到2019年的281户617人。\n")
    assert (fs["23275户"]["year"], fs["77350人"]["year"]) == (2014, 2014)
    assert (fs["281户"]["year"], fs["617人"]["year"]) == (2019, 2019)


def test_a_change_told_as_done_up_to_a_year_dates_an_undated_text_after_it():
    meta, fs = facts("兰考县2017年率先脱贫摘帽,全县贫困人口由2014年的23275户减少到2019年的281户。\n")
    assert meta["pub_year"] == 2020 and meta["pub_date_source"] == "text_latest_year"
    assert fs["281户"]["kind"] == "actual"
    assert fs["281户"]["year"] == 2019


def test_an_apps_name_and_a_dateline_are_no_title():
    meta, _ = facts("河南日报客户端 郑州讯\n兰考县贫困人口由2014年的7.7万人减少到2019年的617人。\n")
    assert meta["title"] is None


def test_one_households_figure_is_a_persons():
    _, fs = facts("甲村见闻\n2021-04-06 来源:某报\n张大爷家去年人均收入达到1.2万元。全村人均收入达到1.5万元。\n")
    assert fs["1.2万元"]["scope"] == "person"
    assert fs["1.5万元"]["scope"] == "local"  # 全村: the village's figure


def test_a_count_of_other_places_takes_no_words_of_a_later_number():
    _, fs = facts("沪滇协作\n2021-01-15 来源:解放日报\n上海16个区与云南74个贫困县结对,帮助74个贫困县全部脱贫摘帽。"
                  "全省41个贫困县(20个国家级贫困县和21个省级贫困县)已经脱贫。\n")
    assert fs["16个"]["indicator_code"] is None
    assert fs["41个"]["indicator_code"] == "poor_counties_exited"


def test_what_should_be_done_is_a_target_and_what_was_done_is_actual():
    _, fs = facts("江西易地搬迁\n2019-01-20 来源:江西日报\n按照计划,全省2018年应完成易地扶贫搬迁3万人,实际完成3.6万人。"
                  "供应链企业完成投资5亿元。\n")
    assert fs["3万人"]["kind"] == "target"
    assert fs["3.6万人"]["kind"] == "actual"
    assert fs["5亿元"]["kind"] == "actual"


def test_a_township_or_villages_figures_are_local_with_the_countys_code():
    _, fs = facts("泰和光伏\n2018-11-12 来源:某报\n去年以来,泰和县澄江镇投资125万元建设光伏电站。该镇共有贫困户136户。"
                  "全县贫困人口减少到1.2万人。\n")
    assert (fs["125万元"]["scope"], fs["125万元"]["region_code"]) == ("local", "360826")
    assert fs["136户"]["scope"] == "local"
    assert fs["1.2万人"]["scope"] == "region"


def test_a_villages_page_keeps_its_unplaced_figures_local():
    _, fs = facts("村情简介\n石门村位于贵州省毕节市七星关区东北部,全村辖12个村民组,共有农户862户。\n"
                  "村集体经济收入达到26万元。\n")
    assert fs["862户"]["scope"] == "local" and fs["862户"]["region_code"] == "520502"
    assert fs["26万元"]["scope"] == "local"


def test_a_class_of_villages_is_no_village():
    _, fs = facts("广西农村公路\n2019-01-01 来源:某报\n全区建制村通畅率达99.8%,该县已减少农村贫困人口8.74万人。\n")
    assert fs["99.8%"]["scope"] == "region" and fs["8.74万人"]["scope"] == "region"


def test_a_townships_title_or_opening_line_makes_its_page_local():
    from fupin.transforms.scope import about_local_place
    assert about_local_place("下党乡的幸福味道", "") and not about_local_place("城乡融合发展", "")
    _, fs = facts("摘要\n<正>秦祁乡是渭源县最偏远的乡镇,辖11个行政村2348户9907人。\n")
    assert fs["2348户"]["scope"] == "local"
    _, fs = facts("广西农村贫困人口3年减少378万人\n2016-01-05 来源:广西日报\n全区落实帮扶单位7677个。\n")
    assert fs["7677个"]["scope"] == "region"  # 农村 names no village


def test_an_open_list_inside_a_region_named_before_it_in_its_sentence_is_that_regions():
    _, fs = facts("脱贫摘帽\n2020-11-23 来源:某报\n凉山州11个深度贫困县中,普格县、布拖县等7县于11月摘帽。恩施州8县市全部脱贫出列。\n")
    assert fs["7县"]["region_code"] == "513400"
    assert fs["8县市"]["indicator_code"] == "poor_counties_exited"


def test_a_count_of_another_kind_takes_no_counting_indicator():
    _, fs = facts("贵州减贫\n2016-01-05 来源:某报\n全省934个减贫摘帽重点乡镇全部达标,17个贫困县实现摘帽。"
                  "全省2067个帮扶项目落地,带动120个贫困村出列。\n")
    assert fs["934个"]["indicator_code"] is None
    assert fs["17个"]["indicator_code"] == "poor_counties_exited"
    assert fs["2067个"]["indicator_code"] is None
    assert fs["120个"]["indicator_code"] == "poor_villages_exited"


def test_an_income_told_in_between_or_a_measure_of_its_own_takes_no_earlier_indicator():
    _, fs = facts("云南减贫\n2020-01-05 来源:某报\n贫困发生率从14.03%降低到1.32%,贫困地区农民人均可支配收入由7070元上升到10771元,"
                  "年均增长11.1%。综合贫困发生率低于0.34%,群众认可度均在96%。千企扶千村受帮扶贫困人口47万人。\n")
    assert fs["11.1%"]["indicator_code"] != "poverty_incidence_rate"
    assert fs["96%"]["indicator_code"] is None
    assert fs["47万人"]["indicator_code"] is None


def test_the_next_year_and_the_same_year_follow_the_year_named_before():
    _, fs = facts("花垣蝶变\n2021-02-20 来源:湖南日报\n2016年,花垣县实施产业扶贫项目120个。同年,全县减少贫困人口1.6万人。\n"
                  "次年,全县又有42个贫困村出列。\n")
    assert (fs["120个"]["year"], fs["1.6万人"]["year"], fs["42个"]["year"]) == (2016, 2016, 2017)


def test_field_vocabulary_of_monitoring_relocation_schooling_and_shares():
    _, fs = facts("化州防返贫\n2020-06-01 来源:某报\n脱贫不稳定户288户1003人,返贫人口1.2万人。1.2万户、4.1万名滩区群众将全部搬入新居。"
                  "扶持贫困家庭子女接受职业学历教育6.8万人次。1670家社区工厂吸纳就业。"
                  "农村贫困人口占乡村人口的比重为14.7%,占全国农村贫困人口的31.4%。"
                  "帮助结对地区8.12万名农村劳动力实现就业增收,其中脱贫人口7.08万人。\n")
    assert fs["1003人"]["indicator_code"] == "monitored_population"
    assert fs["1.2万人"]["indicator_code"] == "poor_population"
    assert fs["4.1万名"]["indicator_code"] == "relocated_population"
    assert fs["6.8万人次"]["indicator_code"] == "students_assisted"
    assert fs["1670家"]["indicator_code"] == "poverty_workshops"
    assert fs["14.7%"]["indicator_code"] == "poverty_incidence_rate"
    assert fs["31.4%"]["indicator_code"] is None
    assert fs["7.08万人"]["indicator_code"] == "poor_labor_employed"


def test_a_counties_title_with_a_count_of_villages_is_no_villages_page():
    from fupin.transforms.scope import about_local_place
    assert not about_local_place("临夏县百村示范", "") and not about_local_place("张北县:贫困村全部出列", "")
    assert about_local_place("定西市安定区巉口镇见闻", "")


def test_the_tasks_a_work_report_lists_for_the_year_are_targets():
    _, fs = facts("2019年甘肃省政府工作报告\n2019年1月25日\n今年重点做好以下工作:完成易地扶贫搬迁3.4万人,改造农村危房4万户。"
                  "去年全省减少贫困人口77.6万人。\n")
    assert fs["3.4万人"]["kind"] == "target" and fs["4万户"]["kind"] == "target"
    assert fs["77.6万人"]["kind"] == "actual"


def test_figures_under_a_heading_of_the_years_goals_are_targets():
    _, fs = facts("2020年海南省政府工作报告\n2020年1月15日\n一、2019年工作回顾\n全年实现2.5万贫困人口脱贫。\n"
                  "二、2020年主要目标\n农村常住居民人均可支配收入增长7.5%左右。\n三、主要目标完成情况\n全省减贫3万人。\n")
    assert fs["2.5万"]["kind"] == "actual"
    assert fs["7.5%左右"]["kind"] == "target"
    assert fs["3万人"]["kind"] == "actual"


def test_a_years_results_told_of_the_whole_region_date_a_wire_after_that_year():
    meta, fs = facts("新华社北京3月6日电 国务院扶贫办主任介绍,2018年全国减少农村贫困人口1386万人,贫困发生率降至1.7%。\n")
    assert meta["pub_date"].year == 2019
    assert fs["1386万人"]["year"] == 2018 and fs["1386万人"]["kind"] == "actual"


def test_a_later_clauses_words_name_the_number_they_follow():
    _, fs = facts("某县脱贫\n2020-09-10 来源:某报\n全县3千多人参加培训,两百余名干部驻村。全县1.2万户3.6万人实现脱贫。\n")
    assert fs["3千多人"]["indicator_code"] is None
    assert fs["两百余名"]["indicator_code"] == "resident_task_force_members"
    assert fs["1.2万户"]["indicator_code"] == "poor_households_exited"


def test_a_years_report_published_after_it_dates_its_whole_year_figures():
    meta, fs = facts("内蒙古自治区2016年国民经济和社会发展统计公报\n内蒙古自治区统计局\n2017年2月28日\n"
                     "全年农村牧区常住居民人均可支配收入11609元。年末全区农村牧区贫困人口53.2万人。\n")
    assert fs["11609元"]["year"] == 2016 and fs["11609元"]["year_source"] == "report_year"
    assert fs["53.2万人"]["year"] == 2016
    _, fs = facts("2020年海南省政府工作报告\n2020年1月15日\n全年农村常住居民人均可支配收入增长7.5%左右。\n")
    assert fs["7.5%左右"]["year_source"] != "report_year"  # a report of its own year
    # a title of results of a year (取得新成效), and its 一年来, published early the next year
    _, fs = facts("2021年我省巩固拓展脱贫攻坚成果取得新成效\n发布时间:2022-02-18\n一年来,全省脱贫户人均纯收入达到17689元。"
                  "\n省级财政安排衔接资金20.5亿元。今年全省将继续加大投入。\n")
    assert fs["17689元"]["year"] == 2021 and fs["20.5亿元"]["year"] == 2021
    # a column's year set off by a bar in the title line (数说2024｜…成绩单), published in January 2025
    _, fs = facts("数说2024｜宁夏巩固衔接“成绩单”来了！\n宁夏农业农村　2025年01月20日 18:30\n2024年,全区守住底线。\n"
                  "【关键数字】\n▶16480元\n全区脱贫人口人均纯收入,同比增长9.6%。\n")
    assert fs["16480元"]["year"] == 2024 and fs["9.6%"]["year"] == 2024


def test_the_start_of_a_change_is_dated_by_its_own_start_or_marked_a_guess():
    # 过去3年 dates the start of the change in its sentence; 去年年底 after it dates only its end
    meta, fs = facts("2014年5月28日 来源:某报\n过去3年,全省贫困发生率由30.6%下降到21.7%。\n"
                     "全省贫困发生率从14.03%降低到去年年底的1.32%。\n")
    assert (fs["30.6%"]["year"], fs["30.6%"]["year_source"]) == (2011, "span_start")
    assert fs["1.32%"]["year"] == 2013
    # nothing says when the second change began: its start's year is a guess, and says so
    start = fs["14.03%"]
    assert start["year_source"] == "change_start_undated" and start["confidence"] <= 0.2


def test_next_year_and_the_base_of_a_multiple():
    meta, fs = facts("2021年12月20日 来源:某报\n今年全县脱贫人口人均纯收入达到1.2万元,是去年的1.1倍。"
                     "明年,全县将力争脱贫人口人均纯收入达到一万四千元,新建明年的产业项目50个。\n")
    assert (fs["一万四千元"]["year"], fs["一万四千元"]["kind"]) == (2022, "target")
    assert fs["50个"]["year"] == 2022
    assert fs["1.1倍"]["year"] == 2021  # 去年 is the base the multiple is taken of


def test_a_header_date_below_a_crawled_pages_menu():
    menu = "首页\n新闻中心\n政务公开\n扶贫专栏\n走进光山\n互动交流\n当前位置:首页 > 扶贫专栏 > 工作动态\n"
    meta, fs = facts(menu + "光山县召开脱贫攻坚推进会\n2017/3/8 09:15   来源:光山县人民政府网   浏览次数:1326\n"
                     "会议要求,今年力争2.1万人稳定脱贫。\n")
    assert meta["pub_date"].isoformat() == "2017-03-08"
    assert fs["2.1万人"]["year"] == 2017


def test_a_headings_year_and_a_plans_target_year_date_the_figures_under_them():
    meta, fs = facts("渭源县2019年脱贫攻坚工作总结\n\n一、主要工作成效\n\n全年减少贫困人口4285户17362人。\n\n"
                     "二、2020年工作打算\n\n2020年是脱贫攻坚收官之年。我们将确保剩余4319名贫困人口全部脱贫。\n\n"
                     "第三节 主要目标\n到2025年,脱贫攻坚成果巩固拓展。具体目标是:\n——衔接资金用于产业发展的比例不低于55%。\n"
                     "\n渭源县扶贫开发领导小组办公室\n2019年12月20日\n")
    assert (fs["4319名"]["year"], fs["4319名"]["year_source"]) == (2020, "heading")
    assert (fs["55%"]["year"], fs["55%"]["year_source"], fs["55%"]["kind"]) == (2025, "section_target", "target")
    assert fs["17362人"]["year"] == 2019


def test_a_bulletins_paragraph_opening_on_the_whole_year_is_of_the_bulletins_year():
    meta, fs = facts("陕西省2019年国民经济和社会发展统计公报\n\n全年全体居民人均可支配收入24666元,比上年增长9.0%。"
                     "按常住地分,城镇居民人均可支配收入36098元,增长8.0%。\n\n2020年2月28日发布\n")
    assert fs["36098元"]["year"] == 2019 and fs["24666元"]["year"] == 2019


def test_the_time_of_one_event_does_not_date_what_follows():
    meta, fs = facts("2019年11月25日 来源:某报\n2014年精准识别时,全州有建档立卡贫困人口108.3万人。\n\n"
                     "几年来,全州茶园面积发展到170万亩,比2015年增加了40万亩;品牌价值超过去年,达到20.86亿元。\n\n"
                     "审计发现,遂川县2015年下达的产业扶贫资金1250万元仍结存在县财政。\n6个县套取扶贫资金286.5万元。\n")
    assert fs["108.3万人"]["year"] == 2014
    assert fs["170万亩"]["year"] == 2019 and fs["40万亩"]["year"] == 2019
    assert fs["20.86亿元"]["year"] == 2019  # 超过去年: compared with last year, not of it
    assert fs["286.5万元"]["year"] == 2019


def test_short_names_of_autonomous_counties_poverty_areas_and_levels_of_government():
    meta, fs = facts("朝阳市乡村振兴局 2023年5月6日\n建平、喀左两县共建成帮扶车间46个。"
                     "朝阳县、建平县、喀左县分别安排衔接资金1.86亿元、2.03亿元、1.52亿元。\n")
    assert fs["46个"]["region_code"] == "211300"
    assert [fs[s]["region_code"] for s in ("1.86亿元", "2.03亿元", "1.52亿元")] == ["211321", "211322", "211324"]
    meta, fs = facts("黑龙江省扶贫办 2016年3月1日\n我省有大兴安岭南麓片区县11个。\n")
    assert fs["11个"]["region_code"] == "230000"
    meta, fs = facts("百色市2016年扶贫工作 2017年1月5日\n百色市投入扶贫资金20亿元,其中自治区以上财政专项扶贫资金6.35亿元。\n")
    assert fs["6.35亿元"]["region_code"] == "451000"


def test_indicator_words_of_the_field():
    meta, fs = facts("2020年,全旗173个贫困嘎查全部出列,“特惠贷”累计发放338亿元,全年减少贫困人口4285户17362人,"
                     "搬迁安置建档立卡贫困人口1.53万户4.87万人,改造农村牧区危房1.85万户,生态岗位聘用脱贫群众1.09万人,"
                     "落实产业扶持资金3500万元。\n")
    assert fs["173个"]["indicator_code"] == "poor_villages_exited"
    assert fs["338亿元"]["indicator_code"] == "poverty_microcredit_loans"
    assert fs["4285户"]["indicator_code"] == "poor_households_exited"
    assert fs["1.53万户"]["indicator_code"] == "relocated_households"
    assert fs["1.85万户"]["indicator_code"] == "dilapidated_houses_renovated"
    assert fs["1.09万人"]["indicator_code"] == "public_welfare_jobs"
    assert fs["3500万元"]["indicator_code"] == "industry_poverty_funds"
    meta, fs = facts("2023年,全区农牧民人均可支配收入增长8.6%,全县已建成卫星工厂128家,吸纳1.2万人就业,其中贫困群众7200人。"
                     "目前全市已将1.37万户4.52万人纳入监测范围。\n")
    assert fs["8.6%"]["indicator_code"] == "rural_income_growth"
    assert fs["128家"]["indicator_code"] == "poverty_workshops"
    assert fs["7200人"]["indicator_code"] == "poor_labor_employed"
    assert fs["4.52万人"]["indicator_code"] == "monitored_population"
    meta, fs = facts("去年全市完成高山生态扶贫搬迁12.6万人,全年完成搬迁2894户10217人。库区移民搬迁3000人。\n")
    assert fs["12.6万人"]["indicator_code"] == "relocated_population"
    assert (fs["2894户"]["indicator_code"], fs["10217人"]["indicator_code"]) == ("relocated_households", "relocated_population")
    assert fs["3000人"]["indicator_code"] != "relocated_population"  # reservoir resettlement
    meta, fs = facts("全年搬迁安置建档立卡贫困人口12.46万人,全市尚有建档立卡贫困人口3.2万人。\n")
    assert fs["12.46万人"]["indicator_code"] == "relocated_population"
    assert fs["3.2万人"]["indicator_code"] == "poor_population"
    meta, fs = facts("昭觉、布拖2县今年搬迁任务分别为4126户、3570户。全县易地扶贫搬迁规划任务为7287户35117人。\n")
    assert fs["4126户"]["indicator_code"] == "relocated_households"
    assert (fs["7287户"]["indicator_code"], fs["35117人"]["indicator_code"]) == ("relocated_households", "relocated_population")


def test_what_was_done_after_a_plan_and_a_done_jiang():
    meta, fs = facts("2019年12月20日 来源:某县\n年初计划退出贫困村45个,实际退出46个;全年减少贫困人口4285户17362人。"
                     "全县已将搬迁群众中的1236户3980人纳入防返贫动态监测。\n")
    assert fs["45个"]["kind"] == "target"
    assert [fs[s]["kind"] for s in ("46个", "4285户", "17362人", "1236户", "3980人")] == ["actual"] * 5


def test_a_wire_story_reposted_years_later_on_a_spam_page():
    meta, fs = facts("首页 | 财经 | 三农\n青海巩固脱贫成果答卷\n2024-08-19 14:22:07　来源:网络整理　阅读:1372次\n"
                     "【热门推荐】手机兼职日结,每天300元起,点击了解>>\n"
                     "新华社西宁1月18日电 2021年,青海省投入衔接资金57.43亿元。目前搬迁劳动力就业率达到93.7%。\n"
                     "(责任编辑:王珊)\n上一篇:土鸡蛋批发价格今日行情\n下一篇:2024年最新农村养殖补贴政策一览\n相关阅读\n")
    assert meta["pub_date"].isoformat() == "2022-01-18" and meta["pub_date_source"] == "wire_dateline_before_repost"
    assert fs["93.7%"]["year"] == 2022
    assert "300元" not in fs  # an advertisement's line


def test_where_a_county_lies_and_what_a_province_assigns_are_not_its_figures():
    meta, fs = facts("东乡族自治县脱贫记 2020年5月1日\n东乡族自治县地处临夏州东部,境内有3083条沟。\n")
    assert fs["3083条"]["region_code"] == "622926"
    meta, fs = facts("百色市扶贫开发工作会议召开 2015年2月26日\n2014年,百色市完成自治区下达任务的105%;"
                     "贫困发生率由2013年底的27.1%下降到22.9%。\n")
    assert fs["22.9%"]["region_code"] == "451000"


def test_a_figure_of_an_earlier_time_the_text_does_not_name_is_a_guessed_year():
    meta, fs = facts("张北县脱贫纪实 2020年5月1日\n这里的贫困人口一度达到90570人。\n")
    f = fs["90570人"]
    assert f["year_source"] == "past_undated" and f["confidence"] <= 0.2


def test_a_january_wire_story_reviewing_the_year_before():
    meta, fs = facts("西藏74个县(区)全部脱贫摘帽\n\n新华社拉萨1月7日电 2019年西藏又有19个县(区)退出贫困县序列。"
                     "去年全区完成15.1万贫困人口脱贫。\n")
    assert meta["pub_date"].isoformat() == "2020-01-07"
    assert fs["15.1万"]["year"] == 2019


def test_a_forum_repost_is_dated_by_the_story_it_reposts():
    meta, fs = facts("【转载】阜平:全县贫困发生率降至1.07% [复制链接]\n保定论坛 › 阜平生活\n发表于 2019-3-2 21:14:36\n"
                     "看到这篇报道,转过来给大家看看。\n【转载】\n阜平:全县贫困发生率降至1.07%\n来源:河北日报 2018年12月26日\n"
                     "截至目前,全县建成食用菌园区96个。\n")
    assert meta["pub_date"].isoformat() == "2018-12-26" and fs["96个"]["year"] == 2018
    assert meta["title"] == "阜平:全县贫困发生率降至1.07%"


def test_a_comparison_with_the_same_period_of_a_year_dates_a_wire_story_after_it():
    meta, fs = facts("兴安盟:上半年识别防返贫监测对象9873人\n\n新华社呼和浩特7月28日电 截至2020年3月,全盟已全部脱贫。\n"
                     "上半年,全盟脱贫人口外出务工5.86万人,较2020年同期增加3200人。\n")
    assert meta["pub_date"].isoformat() == "2021-07-28" and fs["5.86万人"]["year"] == 2021


def test_the_time_a_multiple_is_taken_of_dates_nothing_after_it():
    _, fs = facts("安康市脱贫攻坚总结\n2021-03-01 来源:某报\n五年来,全市累计投入财政专项扶贫资金135.6亿元,是“十二五”时期的"
                  "4.1倍;实施易地扶贫搬迁9.36万户。\n")
    assert fs["4.1倍"]["year"] != 2015 and fs["9.36万户"]["year"] != 2015


def test_a_year_in_review_under_its_heading():
    meta, fs = facts("某县人民政府工作报告\n2017年1月6日\n\n一、2016年工作回顾\n2016年是“十三五”开局之年。一年来,全县经济平稳发展。"
                     "——脱贫攻坚取得阶段性成效。全年实现23个贫困村退出。\n\n二、2017年工作安排\n今年将实现20个贫困村退出。\n")
    assert fs["23个"]["year"] == 2016 and fs["20个"]["year"] == 2017


def test_a_task_told_with_how_much_of_it_was_done():
    _, fs = facts("2023年12月1日 来源:某报\n全州脱贫劳动力务工就业6.82万人,完成全年目标任务6.5万人的104.9%。\n")
    assert fs["6.5万人"]["kind"] == "target" and fs["6.82万人"]["kind"] == "actual"


def test_a_floor_set_for_a_figure_is_a_target():
    _, fs = facts("某市巩固衔接工作会议\n2021-03-01 来源:某报\n今年全市安排财政衔接推进乡村振兴补助资金不少于18亿元,"
                  "用于产业发展的比例不低于55%。去年全市投入衔接资金16.2亿元。\n")
    assert fs["18亿元"]["kind"] == "target" and fs["55%"]["kind"] == "target"
    assert fs["16.2亿元"]["kind"] == "actual"


def test_a_repost_that_says_where_the_story_first_appeared():
    meta, fs = facts("东乡县:向深度贫困发起总攻\n发布时间:2020-05-18 10:21 来源:甘肃日报\n今年东乡县计划减贫1.33万人。"
                     "\n(原载《甘肃日报》2017年8月15日第3版)\n")
    assert meta["pub_date"].isoformat() == "2017-08-15" and meta["pub_date_source"] == "original_dateline"
    assert fs["1.33万人"]["year"] == 2017
    meta, fs = facts("[转帖] 今年固原9.4万贫困人口将脱贫 [复制链接]\n发表于 2016-3-14 20:17:52\n转自宁夏日报 2015年11月06日 第2版,老新闻了\n"
                     "本报讯 今年固原市计划减少贫困人口9.4万人,全市已实现7.8万人脱贫。\n")
    assert meta["pub_date"].isoformat() == "2015-11-06" and fs["7.8万人"]["year"] == 2015


def test_the_year_a_figure_had_before_dates_nothing_after_it():
    _, fs = facts("2024年2月1日 来源:某报\n2023年,全国脱贫人口人均纯收入达到16153元,比上年增长12.6%;2022年这一数字为14342元。"
                  "脱贫县农村居民人均可支配收入16396元。\n")
    assert fs["14342元"]["year"] == 2022 and fs["16396元"]["year"] == 2023


def test_links_after_the_story_date_nothing():
    meta, fs = facts("青海前三季度8.9万贫困人口达到脱贫标准\n发布时间:2021-03-08 10:22 来源:网络整理\n"
                     "新华社西宁10月16日电 今年前三季度,全省已有8.9万贫困人口达到脱贫标准。今年是“十三五”开局之年。\n"
                     "相关新闻\n· 脱贫攻坚取得全面胜利,我们这样走过\n")
    assert meta["pub_date"].isoformat() == "2016-10-16" and fs["8.9万"]["year"] == 2016


def test_the_2020_goal_of_a_moderately_prosperous_society_is_a_target_not_a_year_reported():
    meta, fs = facts("贵州去年减少农村贫困人口122.6万\n\n新华社贵阳1月27日电 2014年贵州减少农村贫困人口122.6万人。"
                     "今年贵州将确保再减少农村贫困人口100万人以上,为2020年与全国同步全面建成小康社会打下坚实基础。\n")
    assert meta["pub_date"].isoformat() == "2015-01-27"
    assert fs["100万人"]["year"] == 2015


def test_a_january_wire_story_titled_last_year_reviews_the_year_it_names_as_done():
    meta, fs = facts("辽宁去年脱贫人口人均纯收入增长11.2%\n\n新华社沈阳1月15日电 2024年辽宁持续巩固拓展脱贫攻坚成果,"
                     "全省脱贫人口人均纯收入达到16873元。去年全省新增发放小额信贷4.62亿元。\n")
    assert meta["pub_date"].isoformat() == "2025-01-15" and fs["4.62亿元"]["year"] == 2024
    meta, fs = facts("云南去年减贫103万人 今年力争再减120万\n\n新华社昆明1月20日电 2016年云南将力争实现120万贫困人口脱贫。\n")
    assert meta["pub_date"].year == 2016  # the year named is a plan: the year of writing
    meta, fs = facts("去年脱贫人口人均纯收入增长14.3%\n\n本报北京2月13日电 2022年,全国脱贫人口人均纯收入达到14342元。"
                     "截至2022年底,全国累计识别纳入监测对象近600万人。\n(《人民日报》 2023年02月14日 01 版)\n")
    assert meta["pub_date"].year == 2023  # a status at the end of 2022 and the paper's issue date: written in 2023


def test_a_january_wire_story_naming_this_years_role_is_of_that_year():
    meta, fs = facts("浙江去年投入对口帮扶资金逾20亿元\n\n新华社杭州1月12日电 2023年,浙江向四川投入财政援助资金20.5亿元。"
                     "2024年是巩固拓展脱贫攻坚成果的关键一年。今年浙江将安排援助资金不少于18亿元。\n")
    assert meta["pub_date"].isoformat() == "2024-01-12"
    assert fs["20.5亿元"]["year"] == 2023 and fs["18亿元"]["year"] == 2024


def test_a_reviewed_year_and_a_year_counted_from_date_an_undated_text():
    meta, fs = facts("云南省政府工作报告摘要\n\n报告在回顾2018年工作时说,过去一年,全省33个贫困县达到退出标准。今年全省将实现"
                     "15个贫困县摘帽。\n")
    assert meta["pub_year"] == 2019 and fs["15个"]["year"] == 2019
    meta, fs = facts("岢岚:守牢防返贫底线\n\n2022年以来,岢岚县巩固拓展脱贫攻坚成果。截至6月底,全县共识别纳入防返贫监测对象386户872人。\n")
    assert meta["pub_year"] == 2022 and fs["872人"]["year"] == 2022


def test_a_status_at_a_month_of_no_year_is_of_the_time_of_writing():
    _, fs = facts("前三季度宁夏脱贫县农村居民收入增长8.4%\n发布时间:2023-10-24\n回顾来看,2022年全年,9个脱贫县农村居民人均"
                  "可支配收入达到13286元。\n\n防返贫方面,截至9月底,全区脱贫劳动力务工就业30.6万人。\n")
    assert fs["13286元"]["year"] == 2022 and fs["30.6万人"]["year"] == 2023


def test_a_deadline_after_a_plan_word_dates_no_text_as_written_then():
    meta, fs = facts("云南控辍保学成效显著\n\n新华社昆明9月25日电 2019年秋季学期开学以来,全省劝返辍学学生1.2万人。"
                     "全省将力争在今年底前实现动态清零,确保2020年全省所有贫困县义务教育发展基本均衡。\n")
    assert meta["pub_date"].isoformat() == "2019-09-25" and fs["1.2万人"]["year"] == 2019


def test_a_december_wire_story_tells_its_years_results_and_plans_the_next():
    meta, fs = facts("和田地区今年32.27万人脱贫\n\n中新网乌鲁木齐12月27日电 2018年和田地区实现32.27万人脱贫。今年以来统筹资金56.8亿元。"
                     "2019年和田地区将实现11.5万人脱贫,为2020年全面完成脱贫攻坚任务打下基础。\n")
    assert meta["pub_date"].isoformat() == "2018-12-27" and fs["56.8亿元"]["year"] == 2018


def test_last_year_in_a_story_dates_its_own_paragraph_a_reviews_opening_dates_on():
    meta, fs = facts("2021年3月1日 来源:某报\n去年他家养牛收入超过5万元。\n\n全村脱贫户人均纯收入达到1.2万元。\n")
    assert fs["1.2万元"]["year"] == 2021
    meta, fs = facts("2020年1月13日 来源:某报\n人才支援持续加力。去年，全省选派186名干部。\n\n产业合作成效明显。全年引导312家企业投资。\n")
    assert fs["312家"]["year"] == 2019


def test_a_newspapers_page_header_dates_the_article():
    for header in ("赣南日报　2018-07-27　第02版", "毕节日报 2018年12月28日 第01版", "陕西日报 2018-05-11  记者 刘强 通讯员 陈晓燕"):
        meta, fs = facts("于都县脱贫攻坚纪实\n" + header + "\n今年全县减贫1.2万人。\n")
        assert meta["pub_date"].year == 2018 and meta["pub_date_source"] == "dateline"
        assert fs["1.2万人"]["year"] == 2018


def test_plans_tasks_and_what_was_got_or_done():
    meta, fs = facts("2020年5月1日 来源:某报\n2020年,全县争取到上级资金3200万元。今年的任务是再减少农村贫困人口1000万以上。"
                     "计划新建安置房3000套,目前已开工2860套。每户补助不超过5000元。\n")
    assert fs["3200万元"]["kind"] == "actual" and fs["1000万"]["kind"] == "target"
    assert fs["3000套"]["kind"] == "target" and fs["2860套"]["kind"] == "actual"
    assert fs["5000元"]["qualifier"] == "less_than"


def test_the_registered_poor_part_of_a_figure_is_counted_as_the_figure_is():
    meta, fs = facts("2020年,全县易地扶贫搬迁4.87万人,其中建档立卡贫困人口2.1万人。全县贫困人口1.2万人。\n")
    assert fs["2.1万人"]["indicator_code"] == "relocated_population"
    assert fs["1.2万人"]["indicator_code"] == "poor_population"


def test_who_else_is_counted_does_not_name_what_is_measured():
    meta, fs = facts("2023年,全县脱贫劳动力(含监测对象)外出务工3.52万人,帮扶车间吸纳脱贫劳动力和监测对象就近就业6830人,"
                     "全县共有监测对象2563户8917人,全县累计减贫1.93万户8.41万人,剩余的935户2986人全部达到脱贫标准。\n")
    assert fs["3.52万人"]["indicator_code"] == "poor_labor_employed"
    assert fs["6830人"]["indicator_code"] == "poor_labor_employed"
    assert fs["8917人"]["indicator_code"] == "monitored_population"
    assert fs["1.93万户"]["indicator_code"] == "poor_households_exited"
    assert fs["935户"]["indicator_code"] == "poor_households_exited"


def test_the_poor_as_a_noun_tells_no_years_results():
    meta, fs = facts("于都县巩固拓展脱贫攻坚成果\n今年以来,截至9月底,全县脱贫人口人均纯收入达到15862元。"
                     "2024年全县新增发放脱贫人口小额信贷2.48亿元。\n")
    assert meta["pub_date_source"] == "text_latest_year" and fs["15862元"]["year"] == 2024


def test_funds_secured_and_a_national_system_and_the_next_days_paper():
    meta, fs = facts("都安瑶族自治县脱贫攻坚 2019年5月1日\n通过全国扶贫开发信息系统比对,全县识别贫困人口1.2万人。"
                     "2019年,都安瑶族自治县争取和整合各类资金12.8亿元,争取实现脱贫2万人。\n")
    assert meta["main_region_code"] == "451228"
    assert fs["12.8亿元"]["kind"] == "actual" and fs["2万人"]["kind"] == "target"
    _, fs = facts("(三)资金管理规范。全年争取各级财政衔接推进乡村振兴补助资金2.4亿元,同比增长6.1%,实施项目98个,"
                  "其中产业项目60个,产业项目资金占比61.5%。")
    assert fs["2.4亿元"]["kind"] == "actual"  # funds secured, named well after 争取
    _, fs = facts("今年全市共争取中央和省级财政衔接推进乡村振兴补助资金21.6亿元,比上年增长4.3%。")
    assert fs["21.6亿元"]["kind"] == "actual"
    meta, fs = facts("某县扶贫工作纪实\n2013-12-20 来源:某日报\n本报12月19日讯 今年全县减贫1.2万人。\n")
    assert meta["pub_date"].isoformat() == "2013-12-20" and fs["1.2万人"]["year"] == 2013


def test_a_january_post_reviewing_last_years_results():
    meta, fs = facts("数读布拖丨2022年巩固拓展脱贫攻坚成果“成绩单”来了！\n原创 布拖发布 2023-01-09 18:30 发表于四川\n"
                     "2022年是过渡期第二年。一年来，布拖县坚决守住底线。\n01\n监测帮扶\n全年累计识别纳入防止返贫监测对象1126户5083人。\n")
    assert meta["pub_date"].isoformat() == "2023-01-09"
    assert fs["1126户"]["year"] == 2022


def test_a_lead_in_line_ending_on_a_colon_stays_under_its_plan_heading():
    meta, fs = facts("望谟县政府工作报告\n2019年3月12日\n一、过去一年工作回顾\n全年减贫1.2万人。\n\n二、今年工作安排\n"
                     "今年是决胜脱贫攻坚的关键之年。\n重点抓好以下工作:\n(一)巩固搬迁成果。新建扶贫车间10个。\n")
    assert fs["1.2万人"]["kind"] == "actual" and fs["10个"]["kind"] == "target"


def test_a_deadline_planned_beside_this_year_does_not_date_the_text():
    from fupin.transforms.extract import extract_article

    text = ("2017年,全县脱贫1.1万人,退出贫困村20个。\n"
            "根据规划,今年全县将再脱贫9000人,2020年全面完成脱贫任务。\n")
    res = extract_article("x", text)
    assert res.meta["pub_year"] == 2018
    assert {f["surface"]: f["year"] for f in res.facts}["9000人"] == 2018
    # 今年（2020年）names the same year: it dates the text
    text = "2019年,全县脱贫1.1万人。今年(2020年)全县将再脱贫9000人。\n"
    assert extract_article("x", text).meta["pub_year"] == 2020


def test_the_nth_year_of_a_named_period_dates_the_text():
    from fupin.transforms.extract import extract_article

    text = "今年是过渡期的第三年,全县新增监测对象120户。到2025年,帮扶车间达到50个。\n"
    res = extract_article("x", text)
    assert res.meta["pub_year"] == 2023
    assert {f["surface"]: f["year"] for f in res.facts}["120户"] == 2023
    assert extract_article("x", "“十三五”第二年,全省脱贫110万人。\n").meta["pub_year"] == 2017


def test_a_late_wire_story_reporting_a_closed_year_is_of_the_year_after():
    from fupin.transforms.extract import extract_article

    text = "新华社南宁11月20日电 截至2019年底,全县贫困发生率降至0.9%。全县今年新增就业3000人。\n"
    assert extract_article("x", text).meta["pub_year"] == 2020


def test_a_planned_relocation_total_is_a_target():
    _, fs = facts("镇宁搬迁\n2019-05-08 10:00 来源:某报\n“十三五”以来,全县规划搬迁6210户2.6万人,目前已搬迁入住5800户。\n")
    assert fs["6210户"]["kind"] == fs["2.6万人"]["kind"] == "target"
    assert fs["5800户"]["kind"] == "actual"


def test_village_cadres_counted_in_person_times_or_formed_into_teams():
    _, fs = facts("扶贫\n2019-05-08 10:00 来源:某报\n五年来全市累计选派第一书记512人次。全省选派2.1万名干部组成5100个驻村工作队。\n")
    assert fs["512人次"]["indicator_code"] == "first_secretaries"
    assert fs["2.1万名"]["indicator_code"] == "resident_task_force_members"


def test_a_lead_figure_measures_what_its_paragraph_restates():
    _, fs = facts("数说脱贫\n2019-05-08 10:00 来源:某报\n全县脱贫成效明显。\n"
                  "86个：全县新建扶贫车间86个，吸纳就业2100人。\n3.2亿元：全年统筹整合涉农资金3.2亿元。\n")
    assert fs["86个"]["indicator_code"] == "poverty_workshops"


def test_the_persons_of_poor_households_counted_are_the_poor():
    _, fs = facts("扶贫\n2016-05-08 10:00 来源:某报\n全镇共有建档立卡贫困户812户、2930人。去年实现脱贫贫困户300户1100人。\n")
    assert fs["2930人"]["indicator_code"] == "poor_population"
    assert fs["1100人"]["indicator_code"] != "poor_population"  # persons of households that left poverty


def test_a_baselines_year_end_does_not_date_the_next_paragraph():
    _, fs = facts("某县脱贫\n2020-11-16 10:00 来源:某报\n某县地处深山。2014年底,全县有贫困人口3.1万人,贫困发生率42.5%。\n"
                  "县委书记说,全县累计易地扶贫搬迁1.2万人,建成集中安置点15个。\n")
    assert fs["3.1万人"]["year"] == 2014
    assert fs["1.2万人"]["year"] == 2020 and fs["15个"]["year"] == 2020


def test_will_with_a_verb_of_building_or_planting_is_a_plan():
    _, fs = facts("扶贫\n2019-03-08 10:00 来源:某报\n今年全县将再新建扶贫车间60个,还将种植花椒2万亩。去年全县建成扶贫车间45个。\n")
    assert fs["60个"]["kind"] == fs["2万亩"]["kind"] == "target"
    assert fs["45个"]["kind"] == "actual"


def test_a_tables_plan_column_holds_targets():
    _, fs = facts("某县2019年脱贫攻坚主要指标完成情况\n2020-01-08 10:00 来源:某报\n"
                  "指标\t单位\t年度目标\t实际完成\t完成率(%)\n贫困村出列\t个\t36\t38\t105.6\n")
    assert fs["36"]["kind"] == "target" and fs["38"]["kind"] == "actual"


def test_what_is_done_now_ends_a_plans_reach():
    _, fs = facts("扶贫\n2018-09-08 10:00 来源:某报\n今年计划新建安置点20个,目前全县已全部开工安置点18个。"
                  "按计划推进驻村帮扶,目前全县共选派第一书记312名。\n")
    assert fs["20个"]["kind"] == "target"
    assert fs["18个"]["kind"] == fs["312名"]["kind"] == "actual"


def test_a_year_and_an_amount_in_a_headline_are_no_date():
    import datetime as dt

    meta, fs = facts("某市2019年11.26万贫困人口脱贫\n来源:某日报  2020-01-16 08:32\n2019年全市实现11.26万贫困人口脱贫。今年全市将再减贫2万人。\n")
    assert meta["pub_date"] == dt.date(2020, 1, 16)
    assert fs["2万人"]["year"] == 2020


def test_the_nth_year_after_victory_over_poverty_dates_the_text():
    meta, fs = facts("消费帮扶\n今年是脱贫攻坚目标任务完成后的第一年,全县销售农产品2.1亿元。\n")
    assert meta["pub_year"] == 2021 and fs["2.1亿元"]["year"] == 2021


def test_a_title_telling_a_past_years_growth_makes_a_report_on_that_year():
    meta, fs = facts("2021年全县农村居民收入稳定增长\n发布时间:2022-01-25  来源:某调查队\n"
                     "2021年,全县农村居民人均可支配收入13100元。\n\n一、各项收入全面增长\n\n全年人均工资性收入4300元,增长8.1%。\n")
    assert fs["4300元"]["year"] == 2021 and fs["8.1%"]["year"] == 2021


def test_each_item_of_a_list_of_cadres_keeps_its_own_words():
    _, fs = facts("扶贫\n2019-05-08 10:00 来源:某报\n全县共有212名第一书记、1500余名驻村工作队员奋战在一线。\n")
    assert fs["212名"]["indicator_code"] == "first_secretaries"
    assert fs["1500余名"]["indicator_code"] == "resident_task_force_members"


def test_people_taken_into_monitoring_against_relapse():
    _, fs = facts("防返贫\n2022-05-08 10:00 来源:某报\n目前全市已将3200户9100人纳入防止返贫监测。\n")
    assert fs["9100人"]["indicator_code"] == "monitored_population"


def test_a_part_of_households_and_persons_is_of_each_ones_own_total():
    _, fs = facts("搬迁\n2018-05-08 10:00 来源:某报\n全县易地扶贫搬迁3128户9000人,其中建档立卡贫困人口1583户4071人。\n")
    assert fs["4071人"]["indicator_code"] == "relocated_population"
    assert fs["1583户"]["indicator_code"] == "relocated_households"


def test_a_completion_reports_table_is_of_the_year_it_reports():
    meta, fs = facts("某县2024年巩固拓展脱贫攻坚成果重点任务完成情况\n发布日期:2025-01-15 来源:某县农业农村委\n"
                     "指标\t单位\t年度计划\t实际完成\t完成率(%)\n新增帮扶车间\t个\t12\t14\t116.7\n")
    assert fs["12"]["year"] == fs["14"]["year"] == 2024
    assert fs["12"]["kind"] == "target" and fs["14"]["kind"] == "actual"


def test_a_january_wire_closing_last_year_dates_its_cumulative_figures_there():
    _, fs = facts("全国农村贫困人口减至551万人\n新华社北京1月23日电 国家统计局23日发布数据,2019年末全国农村贫困人口551万人。"
                  "党的十八大以来,全国农村贫困人口累计减少9348万人。\n")
    assert fs["551万人"]["year"] == 2019 and fs["9348万人"]["year"] == 2019


def test_a_text_dated_by_its_own_years_caps_its_confidence():
    from fupin.transforms.confidence import TEXT_DATED_CEILING

    meta, fs = facts("某县脱贫\n2018年,全县减少贫困人口1.2万人,贫困发生率降至2.1%。\n")
    assert meta["pub_date_source"] == "text_latest_year"
    assert all(f["confidence"] <= TEXT_DATED_CEILING for f in fs.values())
    meta, fs = facts("某县脱贫\n2019-01-20 10:00 来源:某报\n2018年,全县减少贫困人口1.2万人,贫困发生率降至2.1%。\n")
    assert meta["pub_date_source"] == "dateline"


def test_items_of_a_list_by_part_of_the_country_share_the_first_ones_measure():
    _, fs = facts("全国脱贫\n2020-01-23 10:00 来源:某报\n分地区看,东部地区农村贫困人口47万人,比上年减少100万人;"
                  "中部地区181万人,比上年减少416万人;西部地区323万人。\n")
    assert fs["47万人"]["indicator_code"] == fs["181万人"]["indicator_code"] == fs["323万人"]["indicator_code"] == "poor_population"


def test_a_poverty_lines_base_year_dates_nothing():
    _, fs = facts("某县建档立卡\n2014-08-08 10:00 来源:某报\n按照2013年农民人均纯收入2736元的国家扶贫标准,全县共识别贫困村87个、贫困人口6.2万人。\n")
    assert fs["87个"]["year"] == fs["6.2万人"]["year"] == 2014


def test_a_title_comparing_with_last_year_is_about_this_year():
    from fupin.transforms.timeline import title_back

    assert title_back("易地扶贫搬迁规模超过去年") == 0 and title_back("比去年增长12%") == 0
    assert title_back("去年全省减贫120万人") == 1


def test_a_programme_named_a_plan_is_no_target():
    _, fs = facts("教育扶贫\n2018-09-08 10:00 来源:某报\n农村义务教育学生营养改善计划覆盖全省58个县,专项计划录取贫困地区学生1.1万人。\n")
    assert fs["58个"]["kind"] == fs["1.1万人"]["kind"] == "actual"


def test_a_text_saying_which_year_this_is_was_written_then():
    meta, fs = facts("某县脱贫攻坚\n今年是“十三五”开局之年,全县将减少贫困人口1.2万人。到2018年底,全县贫困村全部出列。\n")
    assert meta["pub_year"] == 2016 and fs["1.2万人"]["year"] == 2016


def test_a_table_under_a_unit_caption_is_read_in_that_unit_and_measure():
    _, fs = facts("关于下达2024年衔接资金的通知\n发布日期:2024-03-26 来源:某州财政局\n附件\n"
                  "2024年第二批中央财政衔接推进乡村振兴补助资金分配表\n单位：万元\n县（市）\u3000\u3000金额\n"
                  "合计\u3000\u300054618\n从江县\u3000\u30006935\n\n")
    assert fs["6935"]["value_base"] == 69_350_000 and fs["6935"]["unit_code"] == "yuan"
    assert fs["6935"]["indicator_code"] == "poverty_funds_invested" and fs["6935"]["region_code"] == "522633"


def test_a_change_from_a_year_to_last_year_dates_a_wire_story_two_years_on():
    meta, fs = facts("贫困户危房改造\n中新网6月27日电 全国建档立卡贫困户危房由2015年底的18.7万户减少到去年底的12.6万户。今年将改造4万户。\n")
    assert meta["pub_year"] == 2017 and fs["12.6万户"]["year"] == 2016


def test_a_changes_start_at_the_beginning_of_a_year_keeps_that_year():
    _, fs = facts("全国\n2020-05-08 10:00 来源:某报\n贫困人口由2019年初的551万人降至目前的100万人以下。\n")
    assert fs["551万人"]["year"] == 2019 and fs["551万人"]["year_source"] == "explicit_local"


def test_the_last_year_of_the_transition_dates_the_text():
    meta, _ = facts("某县巩固\n今年是过渡期的最后一年,全县脱贫人口人均纯收入达到1.6万元。\n")
    assert meta["pub_year"] == 2025


def test_an_outlet_in_the_wire_line_names_the_province_of_wo_sheng():
    meta, fs = facts("省政府新闻办举行发布会 介绍低收入农户增收情况\n\n浙江在线9月24日讯 我省低收入农户人均可支配收入达到14365元,"
                     "其中山区县占比超过60%。全国低收入人口监测……全国\n")
    assert meta["main_region_code"] == "330000" and fs["14365元"]["region_code"] == "330000"


def test_this_banner_refers_back_and_small_factories_are_workshops():
    _, fs = facts("科右中旗\n2021-05-08 10:00 来源:某报\n科尔沁右翼中旗地处兴安盟。这个旗建成扶贫微工厂46个,养蜂2万箱。\n")
    assert fs["46个"]["region_code"] == "152222" and fs["46个"]["indicator_code"] == "poverty_workshops"
    assert fs["2万箱"]["unit_code"] == "count"


def test_the_year_before_in_a_report_counts_from_the_year_reported_on():
    _, fs = facts("某县2018年脱贫攻坚工作总结\n发布时间:2019-01-20 来源:某县扶贫办\n全县贫困发生率由上年末的3.98%降至1.02%。\n")
    assert fs["3.98%"]["year"] == 2017 and fs["1.02%"]["year"] == 2018


def test_a_start_far_from_its_yilai_is_no_report_of_that_year():
    import datetime as dt

    from fupin.transforms.extract import extract_article

    text = "自2018年宁波与凉山建立对口帮扶关系以来,两地协作不断走深走实。今年宁波投入帮扶资金3.2亿元。\n"
    res = extract_article("x", text, known={"known_pub_date": dt.date(2022, 12, 5), "known_pub_date_source": "manifest"})
    assert res.meta["pub_year"] == 2022 and res.facts[0]["year"] == 2022


def test_the_70th_anniversary_of_the_republic_names_2019():
    meta, _ = facts("某县扶贫\n今年是新中国成立70周年,全县减少贫困人口1.1万人。\n")
    assert meta["pub_year"] == 2019


def test_a_countdown_to_a_year_dates_the_text_that_many_years_before_it():
    meta, fs = facts("某省扶贫纪实\n本报讯 离2020年只剩两年多时间,今年全省计划减贫50万人。\n")
    assert meta["pub_year"] == 2018 and fs["50万人"]["year"] == 2018
    meta, _ = facts("某县扶贫\n距2020年全面小康不到3年,今年全县减少贫困人口1.1万人。\n")
    assert meta["pub_year"] == 2018
    meta, _ = facts("某县扶贫\n距离2020年还有1000天,今年全县减少贫困人口1.1万人。\n")
    assert meta["pub_year"] != 2020  # days left date nothing here, and the countdown's year is no report


def test_irregular_short_names_of_banners_and_autonomous_counties():
    _, fs = facts("辽宁扶贫\n2019年3月1日\n阜蒙县去年减少贫困人口1.2万人。\n")
    assert fs["1.2万人"]["region_code"] == "210921"  # 阜新蒙古族自治县
    _, fs = facts("内蒙古扶贫\n2019年3月1日\n东乌旗去年减少贫困人口800人。\n")
    assert fs["800人"]["region_code"] == "152525"  # 东乌珠穆沁旗


def test_next_year_named_as_the_closing_year_dates_the_text_the_year_before():
    meta, fs = facts("广东扶贫协作\n本报讯 明年是脱贫攻坚收官之年,今年全省投入帮扶资金61.8亿元。\n")
    assert meta["pub_year"] == 2019 and fs["61.8亿元"]["year"] == 2019


def test_years_counted_from_a_since_year_date_the_text_in_the_last_of_them():
    meta, fs = facts("消费帮扶\n本报讯 记者12月19日获悉,自2021年进入过渡期以来,三年间全省消费帮扶销售额超过600亿元。"
                     "今年全省销售218.6亿元。\n")
    assert meta["pub_year"] == 2023 and fs["218.6亿元"]["year"] == 2023
    meta, _ = facts("东西部协作\n本报讯 2021年浙江与四川建立新一轮东西部协作关系以来,两省协作不断深化。"
                    "今年是浙川东西部协作的第二年,今年浙江向四川拨付财政援助资金23.7亿元。\n")
    assert meta["pub_year"] == 2022


def test_the_year_before_bound_to_one_number_through_a_verb_frames_nothing_after_it():
    _, fs = facts("某省2020年国民经济和社会发展统计公报\n某省统计局\n"
                  "现行标准下农村贫困人口全部脱贫,上年末剩余的2.1万贫困人口全部清零。截至年底,58个贫困县全部摘帽。\n")
    assert fs["2.1万"]["year"] == 2019 and fs["58个"]["year"] == 2020


def test_the_first_year_of_the_three_year_action_is_2018():
    meta, fs = facts("福贡生态扶贫\n本报讯 2016年至2017年两年间共选聘生态护林员2148名。今年是打赢脱贫攻坚战三年行动的第一年。"
                     "福贡县又新增选聘生态护林员1146名。\n")
    assert meta["pub_year"] == 2018 and fs["1146名"]["year"] == 2018


def test_the_registration_of_the_poor_as_work_in_hand_is_of_2014():
    meta, fs = facts("某县推进扶贫对象建档立卡\n本网讯 连日来,扶贫对象建档立卡工作进入收尾阶段。全县共识别农村贫困人口5762户。\n")
    assert meta["pub_date_source"] == "era_words" and fs["5762户"]["year"] == 2014


def test_figures_under_a_heading_of_the_years_key_work_are_targets():
    _, fs = facts("政府工作报告(摘要)\n——2019年1月26日在某省人民代表大会上\n一、2018年工作回顾\n全年减少农村贫困人口77.6万人。\n"
                  "二、2019年重点工作\n——抓好住房保障。年内完成剩余4.6万户农村危房改造。\n——壮大富民产业。新建扶贫车间800个以上。\n")
    assert fs["77.6万人"]["kind"] == "actual" and fs["4.6万户"]["kind"] == "target" and fs["800个"]["kind"] == "target"


def test_figures_dated_by_a_heading_of_a_year_still_ahead_are_targets():
    _, fs = facts("某区衔接规划出台\n到2025年脱贫地区农民收入年均增长8%以上\n\n某区新闻网11月9日讯 规划日前印发实施。"
                  "规划回顾了“十三五”时期的成就:全区634万建档立卡贫困人口全部脱贫。\n"
                  "规划提出,到2025年,脱贫攻坚成果巩固拓展。脱贫人口务工规模稳定在260万人以上。\n")
    assert fs["260万人"]["year"] == 2025 and fs["260万人"]["kind"] == "target"
    assert fs["634万"]["kind"] == "actual"


def test_a_text_that_keeps_saying_wo_shi_is_about_the_known_shi_not_a_province_it_names_once():
    from fupin.transforms.extract import extract_article

    text = ("市政府新闻办举行新闻发布会 介绍我市结对帮扶困难村工作情况\n2021-03-02 10:15 来源:某网\n"
            "2017年,我市启动结对帮扶困难村工作,对全市1041个困难村实施结对帮扶。三年来,全市累计投入帮扶资金67.5亿元。"
            "去年,我市向甘肃等受援地区拨付财政帮扶资金29.4亿元。\n")
    res = extract_article("x", text, known={"known_region": "天津市"})
    assert {f["surface"]: f["region_code"] for f in res.facts}["67.5亿元"] == "120000"
    res = extract_article("x", text.replace("我市", "我省").replace("全市", "全省"), known={"known_region": "天津市"})
    assert {f["surface"]: f["region_code"] for f in res.facts}["67.5亿元"] == "620000"  # 我省: 甘肃 stays


def test_the_time_of_registration_is_2014():
    _, fs = facts("某省脱贫纪实\n2022-10-12 来源:某报\n三县建档立卡时贫困发生率分别高达16.2%、21.5%、13.8%,如今全部脱贫。\n")
    assert fs["16.2%"]["year"] == 2014


def test_a_rectification_told_as_done_is_of_the_report_not_the_audited_year():
    _, fs = facts("某省审计厅通报扶贫资金审计情况\n发布时间:2019-06-26 来源:省审计厅\n"
                  "审计厅对5个县2018年度扶贫资金进行了审计,共抽查资金46.82亿元。\n"
                  "对审计发现的问题,有关县已整改问题金额3.26亿元,追回资金1460万元。\n")
    assert fs["46.82亿元"]["year"] == 2018 and fs["3.26亿元"]["year"] == 2019 and fs["1460万元"]["year"] == 2019


def test_a_count_the_subject_is_one_of_belongs_to_the_whole_region_before_it():
    _, fs = facts("泗洪县扶贫\n2019年3月1日\n泗洪县作为全省12个重点帮扶县(区)之一,去年减少低收入人口1.2万人。\n")
    assert fs["12个"]["region_code"] == "320000" and fs["1.2万人"]["region_code"] == "321324"


def test_a_scale_to_be_held_is_a_target():
    _, fs = facts("某县乡村振兴\n2023年3月1日\n今年脱贫人口务工就业规模要稳定在3000万人以上,衔接资金用于产业发展的比重要保持在55%以上。\n")
    assert fs["3000万人"]["kind"] == "target" and fs["55%"]["kind"] == "target"


def test_provinces_counted_without_ge_are_a_count():
    _, fs = facts("东西部协作\n2021年3月1日\n东部8省市结对帮扶西部10省区市,新疆、宁夏、广西三省区全部脱贫。\n")
    assert fs["8省市"]["unit_code"] == "count" and fs["10省区市"]["value_base"] == 10


def test_a_count_of_regions_refers_back_to_the_list_it_counts():
    text = ("某自治区关于科尔沁右翼中旗等旗县退出贫困旗县的公示\n2019年4月12日\n"
            "科尔沁右翼中旗、库伦旗、察哈尔右翼后旗、四子王旗4个国家扶贫开发工作重点旗县已达到退出标准。\n"
            "一、退出指标情况\n截至2018年底,4个旗县综合贫困发生率分别为0.62%、0.41%、0.87%、0.55%;"
            "贫困人口漏评率分别为0.31%、0.18%、0.46%、0.22%。\n"
            "二、主要成效\n2014年以来,4个旗县累计减少贫困人口8.93万人。\n")
    _, fs = facts(text)
    assert [fs[s]["region_code"] for s in ("0.62%", "0.41%", "0.18%", "0.22%")] == ["152222", "150524", "150524", "150929"]
    assert fs["8.93万人"]["region_code"] == "150000"


def test_two_counties_named_with_their_province_and_city_are_counted_without_them():
    text = ("国家某部委2023年定点帮扶工作报告\n发布时间:2024-01-10\n"
            "2023年,我部持续加大对山西省吕梁市临县、兴县的帮扶力度。我部还与山东、江苏两省座谈。\n"
            "全年两县脱贫劳动力外出务工5.6万人。两县累计识别监测对象3120户9870人。\n")
    _, fs = facts(text)
    # 两县 is the two counties (not 山东、江苏, a list of two provinces), whose smallest region is 吕梁市
    assert fs["5.6万人"]["region_code"] == "141100" and fs["9870人"]["region_code"] == "141100"
    assert fs["5.6万人"]["region_source"] == "group"


def test_the_whole_a_share_is_of_keeps_its_own_figure():
    _, fs = facts("云南日报 2014年3月2日\n云南贫困人口占全国农村贫困人口8249万人的7.2%。全省搬迁人口占全国搬迁总数的一成。\n")
    assert fs["8249万人"]["region_code"] == "100000" and fs["8249万人"]["region_source"] == "share_whole"
    assert fs["7.2%"]["region_code"] == "530000" and fs["一成"]["region_code"] == "530000"


def test_a_named_group_across_provinces_is_the_countrys():
    meta, fs = facts("人民日报 2019年04月08日\n啃下深度贫困硬骨头——“三区三州”脱贫攻坚一线观察\n"
                     "“三区三州”是指西藏、四省藏区、南疆四地州和四川凉山州、云南怒江州、甘肃临夏州。"
                     "2018年,“三区三州”贫困人口减少到172万人。\n")
    assert meta["main_region_code"] == "100000" and fs["172万人"]["region_code"] == "100000"


def test_a_named_part_of_a_province_is_the_provinces():
    _, fs = facts("陕西日报 2014年1月21日\n汉中、安康、商洛三市去年共减少贫困人口52万人。其中,安康市减贫19.6万人。"
                  "陕南避灾扶贫移民搬迁去年完成6.2万户。\n")
    assert fs["19.6万人"]["region_code"] == "610900" and fs["6.2万户"]["region_code"] == "610000"


def test_provinces_set_side_by_side_make_a_national_piece():
    text = ("决战之年 各地亮出底账\n人民日报 2020年01月22日\n中西部省份陆续晒出成绩单。\n"
            "贵州：2019年减少农村贫困人口123.7万人。截至2019年底，全省还有30.83万贫困人口。\n"
            "云南：去年全省33个贫困县脱贫摘帽。目前尚有44.2万贫困人口。\n"
            "四川：去年31个贫困县摘帽。剩余贫困人口20.3万人，其中凉山州就有17.8万人。\n")
    meta, fs = facts(text)
    assert meta["main_region_code"] == "100000"
    assert fs["30.83万"]["region_code"] == "520000" and fs["44.2万"]["region_code"] == "530000"
    assert fs["20.3万人"]["region_code"] == "510000"


def test_a_budget_for_the_year_ahead_does_not_make_a_january_wire_a_review_of_it():
    meta, fs = facts("去年我国减少农村贫困人口1232万\n新华社北京1月20日电 2014年我国全年减少农村贫困人口1232万人。"
                     "今年将继续实施精准扶贫。2015年中央财政专项扶贫资金预算安排460.9亿元,比上年增长8%。\n")
    assert meta["pub_year"] == 2015 and fs["1232万人"]["year"] == 2014


def test_a_review_of_the_period_dates_its_totals_at_the_periods_end():
    _, fs = facts("昌都交出答卷\n2021年1月12日\n去年全市11个县全部实现脱贫摘帽。回顾“十三五”,昌都累计实现21.45万贫困人口脱贫。\n")
    assert fs["21.45万"]["year"] == 2020


def test_what_a_meeting_sets_out_is_a_target():
    _, fs = facts("某市经济工作会议召开\n2021年1月12日\n会议提出,2021年全市农村居民人均可支配收入增长10%以上,新增转移就业4万人次。\n")
    assert fs["10%"]["kind"] == "target" and fs["4万人次"]["kind"] == "target"


def test_quan_meng_is_the_league_and_a_repeated_count_of_a_list_is_its_group():
    _, fs = facts("兴安盟巩固脱贫成果\n2025年3月1日\n全盟6个旗县市中原有5个国家级贫困旗县。\n")
    assert fs["6个"]["region_code"] == "152200"
    text = ("某自治区公示\n2019年4月12日\n科尔沁右翼中旗、库伦旗、察哈尔右翼后旗、四子王旗4个重点旗县已达到退出标准。\n"
            "二、主要成效\n2014年以来,4个旗县累计减少贫困人口8.93万人。\n")
    from fupin.transforms.extract import extract_article
    assert [f["region_code"] for f in extract_article("x", text).facts if f["surface"] == "4个"] == ["150000", "150000"]


def test_shang_nian_counts_from_the_year_its_sentence_names():
    _, fs = facts("某县扶贫\n2019年1月20日\n2018年,全县贫困发生率由上年的8.4%降至2.6%。\n")
    assert fs["8.4%"]["year"] == 2017 and fs["2.6%"]["year"] == 2018
    _, fs = facts("某县扶贫\n2019年6月20日\n全县贫困发生率由去年的8.4%降至2.6%。\n")
    assert fs["8.4%"]["year"] == 2018  # 去年 counts from now


def test_the_sites_section_of_a_region_is_what_wo_shi_means_without_a_manifest():
    text = ("首页 > 新闻中心 > 天津新闻\n2021-03-02 10:15:31   来源:北方网\n\n"
            "市政府新闻办举行新闻发布会 介绍我市结对帮扶困难村工作情况\n\n"
            "北方网讯:2017年,我市启动结对帮扶困难村工作,对全市1041个困难村实施结对帮扶。三年来,全市累计投入帮扶资金67.5亿元。"
            "去年,我市向甘肃等受援地区拨付财政帮扶资金29.4亿元。\n")
    _, fs = facts(text)
    assert fs["67.5亿元"]["region_code"] == "120000"


def test_a_gap_after_an_approximate_word_is_still_the_subjects():
    _, fs = facts("巴中市扶贫\n2016年3月1日\n巴中市贫困发生率比全省平均水平高出近10个百分点。\n")
    assert fs["10个百分点"]["region_code"] == "511900"


def test_a_year_followed_by_a_status_at_a_month_of_it_is_still_in_progress():
    meta, fs = facts("我省雨露计划助学惠及贫困家庭学生超15万人次\n2015年,省扶贫办全面实施雨露计划扶贫助学工程。"
                     "截至8月底,全省共下达雨露计划助学资金3.12亿元。今年上半年,全省培训贫困劳动力8.7万人。\n")
    assert meta["pub_year"] == 2015 and fs["3.12亿元"]["year"] == 2015


def test_a_release_of_a_years_main_results_reports_that_year():
    _, fs = facts("2015年广西农村贫困监测主要结果\n国家统计局广西调查总队\n\n全区49个重点县农村贫困人口为346万人,比上年减少62万人。\n\n"
                  "发布日期:2016-03-08\n")
    assert fs["346万人"]["year"] == 2015


def test_what_must_be_or_can_be_done_is_a_target():
    _, fs = facts("某县脱贫攻坚\n2019年3月1日\n剩余3617名贫困人口必须如期脱贫。年内可使1.2万名贫困群众脱贫。\n")
    assert fs["3617名"]["kind"] == "target" and fs["1.2万名"]["kind"] == "target"


def test_the_closing_year_of_the_twelfth_plan_is_2015_and_ban_qian_an_zhi_names_no_city():
    meta, _ = facts("河池扶贫\n本报讯 今年是“十二五”收官之年,全市减少贫困人口12万人。\n")
    assert meta["pub_year"] == 2015
    _, fs = facts("某县扶贫\n2019年3月1日\n全县易地扶贫搬迁安置2614户7920人。\n")
    assert fs["2614户"]["region_code"] != "130283"  # 迁安市 inside 搬迁安置


def test_the_first_year_of_comprehensive_rural_revitalisation_is_2021():
    meta, _ = facts("某县乡村振兴\n本报讯 记者3月5日获悉,今年是由脱贫攻坚转入全面推进乡村振兴的开局之年,全县投入衔接资金3.2亿元。\n")
    assert meta["pub_year"] == 2021
    meta, _ = facts("某县乡村振兴\n本报讯 今年是实施乡村振兴战略的开局之年,全县减少贫困人口1.2万人。\n")
    assert meta["pub_year"] == 2018


def test_provinces_own_names_for_relocation_and_the_yulu_grant():
    _, fs = facts("宁德日报 2014年10月17日\n今年以来,全市实施造福工程搬迁4368户、1.75万人。雨露计划补助贫困家庭学生1380人次。"
                  "全市还通过雨露计划培训农村劳动力2100人次。\n")
    assert fs["4368户"]["indicator_code"] == "relocated_households" and fs["1.75万人"]["indicator_code"] == "relocated_population"
    assert fs["1380人次"]["indicator_code"] == "students_assisted" and fs["2100人次"]["indicator_code"] != "students_assisted"


def test_years_counted_after_a_period_are_that_period():
    _, fs = facts("安徽日报 2018年3月2日\n2014年至2017年,全县累计实现71个贫困村出列。4年间,全县共投入扶贫资金64.7亿元。"
                  "\n五年间,全县新建道路1200公里。\n")
    assert fs["64.7亿元"]["year"] == 2017 and fs["64.7亿元"]["year_source"] == "period"
    assert fs["1200公里"]["year"] == 2018  # no period of five years named: the count is the text's own time


def test_a_place_a_sentence_opens_with_is_where_its_aid_figures_are():
    _, fs = facts("上海去年援滇资金逾40亿元\n中新网上海1月16日电 2024年上海向云南投入财政援助资金42.3亿元。"
                  "在怒江傈僳族自治州,上海援建的易地扶贫搬迁安置社区累计安置搬迁群众10.2万人。\n")
    assert fs["10.2万人"]["region_code"] == "533300"


def test_a_former_status_named_is_no_past_time_for_the_figure():
    _, fs = facts("宁夏日报 2023年1月9日\n西吉县作为曾经的深度贫困县,全年脱贫劳动力外出务工6.8万人。\n")
    assert fs["6.8万人"]["year_source"] != "past_undated"
    _, fs = facts("宁夏日报 2023年1月9日\n西吉县的贫困人口曾经达到9万人。\n")
    assert fs["9万人"]["year_source"] == "past_undated"


def test_the_region_a_superlative_ranks_in_is_not_the_subject():
    _, fs = facts("西藏日报 2014年3月2日\n昌都地区是西藏贫困人口最多的地区,现有农村贫困人口22.4万人,占全区的30.8%。"
                  "林芝市作为全区贫困发生率最低的市,贫困发生率降至5.1%。\n")
    assert fs["22.4万人"]["region_code"] == "542100" and fs["30.8%"]["region_code"] == "542100"


def test_we_in_a_citys_own_paper_is_that_city():
    meta, fs = facts("南京去年投入帮扶资金4.3亿元助力商洛脱贫\n2020-01-09 07:12　来源:南京日报\n"
                     "本报讯 2019年商洛7个贫困县全部摘帽。我市11个区与商洛7个县(区)开展结对。该市还新建扶贫车间64个。\n")
    assert fs["11个"]["region_code"] == "320100"


def test_the_whole_prefecture_word_is_the_prefecture_named_in_the_title():
    meta, fs = facts("新疆和田：产业就业双轮驱动\n2019-10-16 来源：新华社\n地处沙漠南缘的和田地区是深度贫困地区。"
                     "今年以来，全地区新建扶贫车间1046个。\n")
    assert meta["main_region_code"] == "653200" and fs["1046个"]["region_code"] == "653200"


def test_members_of_a_combined_aid_team_are_task_force_members():
    _, fs = facts("四川日报 2018年12月1日\n全省选派综合帮扶队员5700余名。其中,普格、布拖两县分别派驻队员486名、512名。\n")
    assert fs["5700余名"]["indicator_code"] == "resident_task_force_members"
    assert fs["486名"]["indicator_code"] == "resident_task_force_members"


def test_a_table_flattened_into_a_line_is_read_by_its_columns():
    _, fs = facts("乌兰察布日报 2015年3月18日\n附表:重点旗县建档立卡基本情况(截至2014年底) 旗县 贫困户(户) 贫困人口(人) "
                  "贫困发生率(%) 四子王旗 9856 21430 15.8 商都县 13567 30284 13.9 合计 23423 51714 — 注:据市扶贫办。\n")
    assert fs["21430"]["unit_code"] == "person" and fs["21430"]["indicator_code"] == "poor_population"
    assert fs["21430"]["region_code"] == "150929" and fs["13.9"]["region_code"] == "150923"
    assert fs["15.8"]["indicator_code"] == "poverty_incidence_rate" and fs["9856"]["unit_code"] == "household"
    assert fs["51714"]["region_code"] == "150900" and fs["51714"]["year"] == 2014  # the total row: both counties'


def test_a_fenbie_list_naming_no_measure_measures_what_the_sentence_before_does():
    _, fs = facts("怒江日报 2021年7月20日\n上半年,全州农村常住居民人均可支配收入4598元,同比增长13.6%。泸水市、福贡县分别增长13.1%、14.2%。\n")
    assert fs["13.1%"]["indicator_code"] == fs["13.6%"]["indicator_code"] == "rural_income_growth"
    assert fs["14.2%"]["region_code"] == "533323"


def test_a_time_word_after_the_figure_in_its_clause_dates_it():
    _, fs = facts("宁夏日报 2020年5月3日\n截至2019年底，全县剩余贫困人口6384人。剩余的16个贫困村今年全部脱贫退出。\n"
                  "2023年中央财政安排衔接资金1750亿元。中央单位定点帮扶的592个脱贫县年内共计投入帮扶资金500亿元。\n")
    assert fs["16个"]["year"] == 2020 and fs["16个"]["year_source"] == "after_clause"
    assert fs["592个"]["year_source"] != "after_clause"  # 年内: within the year in context, outside a plan


def test_the_year_of_a_whole_is_not_the_year_of_its_share():
    _, fs = facts("卢氏县今年复工复产\n2020-05-06 来源:三门峡日报\n今年是脱贫攻坚收官之年。已组织3.1万名贫困劳动力返岗务工,"
                  "恢复到去年外出务工总数的96%。同时开发公益岗位4860个。贫困发生率从14.03%降低到去年年底的1.32%。\n")
    assert fs["96%"]["year"] == 2020 and fs["4860个"]["year"] == 2020
    assert fs["1.32%"]["year"] == 2019  # 去年年底的1.32%: the year binds its own figure


def test_will_with_push_or_organise_plans():
    _, fs = facts("江西日报 2017年3月2日\n今年江西将推动吉安县、瑞金市等6个县(市)脱贫摘帽,全年减少贫困人口40万人以上。"
                  "天津将组织1200名干部驻村帮扶。\n")
    assert fs["6个"]["kind"] == "target" and fs["1200名"]["kind"] == "target"


def test_a_year_bound_to_one_count_by_a_verb_frames_nothing_else():
    _, fs = facts("北京234个低收入村全部摘帽\n2020-11-19 来源:北京青年报\n截至10月底,本市2016年认定的234个低收入村已全部摘帽;"
                  "全市6.38万户低收入农户人均可支配收入均超过11160元。2019年底剩余的312户865人已全部脱贫。\n")
    assert fs["234个"]["year"] == 2016 and fs["6.38万户"]["year"] == 2020
    assert fs["312户"]["year"] == 2019 and fs["865人"]["year"] == 2019


def test_a_deadline_opening_a_paragraph_dates_its_figures():
    _, fs = facts("河池日报 2021年9月10日\n二、主要目标\n到2021年底,全市脱贫人口人均纯收入增长10%以上。\n"
                  "到2025年,脱贫攻坚成果巩固拓展。农村居民人均可支配收入达到1.8万元以上;参保率稳定在99%以上。\n")
    assert fs["1.8万元"]["year"] == 2025 and fs["1.8万元"]["kind"] == "target" and fs["99%"]["year"] == 2025


def test_a_names_pinyin_in_full_width_brackets_is_dropped():
    from fupin.transforms.normalize import normalise
    assert normalise("威宁（wēi níng）、赫章").text == "威宁、赫章"
    assert normalise("老姆登（Lǎomǔdēng）村").text == "老姆登村"
    assert normalise("GDP(Gross)").text == "GDP(Gross)"  # no tone mark: no pinyin
    _, fs = facts("贵州日报 2016年3月2日\n威宁（wēi níng）、赫章、纳雍三县分别减少贫困人口12.6万人、8.1万人、7.4万人。\n")
    assert fs["12.6万人"]["region_code"] == "520526"


def test_a_past_year_named_by_its_role_then_reviewed_is_the_reports_year():
    _, fs = facts("泸溪县：脱贫攻坚圆满收官\n发布日期：2021年03月05日\n\n2020年是脱贫攻坚收官之年。一年来，全县剩余的2176名贫困人口全部脱贫。"
                  "全县投入财政专项扶贫资金3.12亿元。\n")
    assert fs["2176名"]["year"] == 2020 and fs["3.12亿元"]["year"] == 2020
    assert fs["3.12亿元"]["year_source"] == "report_year"


def test_a_spun_copys_synonyms_are_read_as_the_fields_words():
    _, fs = facts("安康新闻 2017年1月5日\n全市贫穷产生率降至10%。汉滨区、紫阳县、白河县贫穷生齿别离为3.2万人、1.9万人、1.1万人。\n")
    assert fs["10%"]["indicator_code"] == "poverty_incidence_rate"
    assert fs["3.2万人"]["region_code"] == "610902" and fs["1.1万人"]["region_code"] == "610929"
    assert fs["3.2万人"]["surface"] == "3.2万人"  # the same length: offsets stay


def test_a_year_named_by_its_role_after_zai_dates_what_follows():
    _, fs = facts("安康日报 2017年1月5日\n在“十三五”开局之年，安康市全年完成减少贫困人口12.4万人。\n全年全市投入各项扶贫资金58.6亿元。\n"
                  "2017年，全市将力争减贫10万人。\n")
    assert fs["12.4万人"]["year"] == 2016 and fs["58.6亿元"]["year"] == 2016 and fs["10万人"]["year"] == 2017


def test_a_years_report_heard_dates_a_text_after_that_year():
    meta, fs = facts("审计发现扶贫资金问题金额8.72亿元\n\n每日甘肃网7月26日讯 26日,省人大常委会听取了《关于2017年度省级预算执行和其他"
                     "财政收支的审计工作报告》。截至今年6月底,已整改问题金额6.95亿元。\n")
    assert meta["pub_date"].isoformat() == "2018-07-26" and fs["6.95亿元"]["year"] == 2018


def test_the_first_year_of_deepening_reform_is_2014():
    meta, fs = facts("怒江州政府工作报告(摘要)\n\n过去的一年,全州减少农村贫困人口2.6万人。今年是全面贯彻落实党的十八届三中全会精神、"
                     "全面深化改革的开局之年。今年全州力争减少贫困人口2万人。\n")
    assert meta["pub_year"] == 2014 and fs["2.6万人"]["year"] == 2013 and fs["2万人"]["year"] == 2014


def test_a_papers_issue_line_names_the_writer_whose_we_a_title_opens_with():
    meta, fs = facts("我省东西部协作工作交出亮眼答卷 去年向四川拨付财政援助资金23.6亿元\n\n浙江日报 2023年02月14日 第00002版：要闻\n\n"
                     "本报杭州2月13日讯 2022年,我省全年向四川省拨付财政援助资金23.6亿元。全省11个设区市、63个县参与结对。\n")
    assert meta["outlet"] == "浙江日报" and meta["main_region_code"] == "330000"
    assert fs["11个"]["region_code"] == "330000"


def test_a_clause_opening_with_a_change_keeps_the_countrys_subject():
    _, fs = facts("四川日报 2025年2月1日\n2024年,四川脱贫人口人均纯收入达到17652元。同期,全国脱贫县农村居民人均可支配收入17522元,增长6.9%。\n")
    assert fs["17522元"]["region_code"] == "100000" and fs["6.9%"]["region_code"] == "100000"


def test_a_figure_of_many_provinces_counted_is_the_countrys():
    _, fs = facts("陕西日报 2025年2月1日\n陕西2024年衔接资金用于产业发展的比重为62.1%。2024年东部8省市共向西部10省区市投入财政援助资金230.6亿元。"
                  "两省区共建产业园区87个。\n")
    assert fs["230.6亿元"]["region_code"] == "100000"
    assert fs["87个"]["region_code"] != "100000"  # a pair of aid partners is either side's (GOLD.md)


def test_units_that_pair_with_the_poor_are_assisting_organisations():
    _, fs = facts("国家乡村振兴局 2023年2月1日\n305家中央单位定点帮扶592个脱贫县。省直32个部门组建帮扶工作组进驻阜平。\n")
    assert fs["305家"]["indicator_code"] == "assisting_organisations"
    assert fs["32个"]["indicator_code"] == "assisting_organisations"


def test_a_household_count_beside_a_people_count_measures_their_event():
    _, fs = facts("泰来县扶贫办 2017年1月5日\n2016年,全县实现8630户、21540人稳定脱贫。全县共减少建档立卡贫困人口1.86万人、8913户。"
                  "全年搬迁贫困人口2960户10100人。\n")
    assert fs["8630户"]["indicator_code"] == "poor_households_exited"
    assert fs["8913户"]["indicator_code"] == "poor_households_exited"
    assert fs["2960户"]["indicator_code"] == "relocated_households"


def test_the_second_of_an_urban_rural_pair_is_rural_residents():
    _, fs = facts("邵阳市政府工作报告 2021年1月20日\n2020年,全市城乡居民人均可支配收入分别达到33156元和13817元,分别增长5.1%和7.9%。\n")
    assert fs["13817元"]["indicator_code"] == "rural_income_per_capita" and fs["7.9%"]["indicator_code"] == "rural_income_growth"
    assert fs["33156元"]["indicator_code"] is None and fs["5.1%"]["indicator_code"] is None


def test_counties_whose_exit_a_later_phrase_tells_are_exits():
    _, fs = facts("安康日报 2019年2月1日\n2018年,全市有6个县、70个乡镇整体脱贫;汉阴、石泉、宁陕3县通过国家专项评估检查实现脱贫摘帽。"
                  "白河等5个县(区)通过省级评估验收,脱贫摘帽。\n")
    assert all(fs[s]["indicator_code"] == "poor_counties_exited" for s in ("6个", "3县", "5个"))
    assert fs["70个"]["indicator_code"] is None


def test_the_region_a_heavy_or_large_share_ranks_in_is_not_the_subject():
    _, fs = facts("赣州日报 2015年1月5日\n赣州市三年累计改造土坯房20.5万户。于都县是全市改造任务最重的县，三年累计改造7.8万户。\n"
                  "从江县是全省易地扶贫搬迁人口较多的县之一，累计搬迁群众4.39万人。\n")
    assert fs["7.8万户"]["region_code"] == "360731" and fs["4.39万人"]["region_code"] == "522633"


def test_a_spring_wire_comparing_a_full_year_with_the_last_reports_the_year_before():
    meta, fs = facts("青海光伏扶贫电站收益超4亿元\n新华社西宁3月5日电 2022年青海省光伏扶贫电站发电收益达4.37亿元，较上年增长6.1%。"
                     "去年，全省设置公益性岗位3.2万个。今年将投入运维资金1200万元。\n")
    assert meta["pub_year"] == 2023 and fs["3.2万个"]["year"] == 2022 and fs["1200万元"]["year"] == 2023


def test_a_budget_compared_with_last_year_plans_its_year():
    meta, _ = facts("新华社北京4月20日电 2014年全国减少农村贫困人口1232万人。2015年中央财政专项扶贫资金预算安排460.9亿元，比上年增长8%。\n")
    assert meta["pub_year"] == 2015


def test_the_first_year_after_a_party_congress_is_named():
    meta, fs = facts("市乡村振兴局全年工作总结及下步工作打算\n今年是全面贯彻落实党的二十大精神的开局之年,也是巩固拓展脱贫攻坚成果同乡村振兴"
                     "有效衔接过渡期的第三年。全年投入衔接资金9.38亿元。\n二、2024年工作打算\n明年,衔接资金用于产业发展的比重稳定在60%以上。\n")
    assert meta["pub_year"] == 2023 and fs["9.38亿元"]["year"] == 2023 and fs["60%"]["year"] == 2024


def test_a_past_year_named_by_its_role_in_reported_speech_is_reviewed():
    _, fs = facts("昭觉县政府工作报告摘要\n凉山新闻网讯 2025年1月14日,昭觉县人民代表大会开幕。\n报告指出,2024年是实现“十四五”规划目标任务的"
                  "关键一年。一年来,全县全年到位各级衔接资金6.82亿元。\n")
    assert fs["6.82亿元"]["year"] == 2024


def test_an_aligned_tables_cells_are_read_by_column_unit_row_region_and_row_year():
    _, fs = facts("兴安盟2020年国民经济和社会发展统计公报\n发布日期:2021年04月08日\n\n表12  2014—2020年各旗县市脱贫攻坚主要指标(累计)\n"
                  "单位:户、人、个\n旗县市  脱贫户数  脱贫人口  出列嘎查村\n全  盟  42618  105026  305\n乌兰浩特市  1026  2189  9\n"
                  "科右中旗  12658  31420  96\n\n表9  2015—2019年突泉县减贫情况\n年份  贫困人口(万人)  贫困发生率(%)\n2015  9.45  25.86\n"
                  "2016  7.61  20.83\n")
    assert fs["1026"]["unit_code"] == "household" and fs["1026"]["region_code"] == "152201"
    assert fs["1026"]["indicator_code"] == "poor_households_exited" and fs["31420"]["region_code"] == "152222"
    assert fs["2189"]["indicator_code"] == "poverty_population_reduced"  # the people beside the households
    assert fs["96"]["indicator_code"] == "poor_villages_exited"  # 出列嘎查村
    assert fs["105026"]["unit_code"] == "person" and fs["105026"]["region_code"] == "152200"  # the whole (全  盟)
    assert fs["9.45"]["value_base"] == 94500 and fs["9.45"]["year"] == 2015 and fs["20.83"]["year"] == 2016
    assert fs["25.86"]["unit_code"] == "percent" and fs["25.86"]["indicator_code"] == "poverty_incidence_rate"


def test_a_summary_written_late_in_its_year_heads_the_next_years_plan():
    meta, fs = facts("山南市扶贫办年度工作总结\n2018年,山南市扶贫系统全力推进精准扶贫。全年实际减少贫困人口2803户10215人。"
                     "截至今年11月底,转移就业贫困劳动力1.6万人次。\n二、2019年工作打算\n力争减少贫困人口1000人。\n")
    assert meta["pub_year"] == 2018 and fs["10215人"]["year"] == 2018 and fs["1.6万人次"]["year"] == 2018


def test_a_paragraph_counting_the_years_of_the_named_period_before_it_is_that_period():
    _, fs = facts("喀什地区行政公署工作报告\n发布时间:2021年2月1日\n“十三五”时期是喀什地区发展史上极不平凡的五年。\n"
                  "五年间,全地区累计减少贫困人口73.5万人,1703个贫困村全部退出。\n")
    assert fs["73.5万人"]["year"] == 2020 and fs["1703个"]["year"] == 2020


def test_what_a_report_sets_out_is_a_target():
    _, fs = facts("昭觉县政府工作报告摘要\n发布时间:2025年1月15日\n今年是“十四五”规划收官之年。报告提出,农村居民人均可支配收入增长7.5%左右,"
                  "脱贫劳动力务工规模稳定在6.4万人以上。\n")
    assert fs["7.5%左右"]["kind"] == "target" and fs["6.4万人"]["kind"] == "target"


def test_a_group_of_more_counties_than_a_prefecture_holds_is_the_provinces():
    _, fs = facts("怒江州脱贫攻坚综述\n怒江日报 2020年11月15日\n怒江州4个县(市)全部脱贫摘帽。11月14日,云南省人民政府发布公告,"
                  "批准福贡县、兰坪县等9个县(市)退出贫困县序列。\n")
    assert fs["9个"]["region_code"] == "530000"


def test_a_purpose_clause_is_no_target_but_a_will_to_keep_on_is():
    _, fs = facts("紫阳县住建局 2018年11月5日\n为确保贫困群众住房安全有保障,今年以来,我县对全县17个镇193个村开展拉网式排查,共排查出危房5431户。\n"
                  "为确保搬迁群众稳得住,今年我县将坚持集中安置为主,集中安置比例达到95%以上。\n")
    assert fs["5431户"]["kind"] == "actual" and fs["95%"]["kind"] == "target"


def test_a_share_of_a_yardstick_is_the_subjects():
    _, fs = facts("河北日报 2013年3月1日\n2012年,阜平县农民人均纯收入3262元,只有全省平均水平的四成左右。\n")
    assert fs["四成"]["region_code"] == "130624"


def test_a_former_poverty_status_counted_after_2020_is_of_2020():
    _, fs = facts("驻村工作队接续帮扶\n2023-01-17 17:09:14 来源: 南国今报\n张家口市尚义县白彦堡村,曾经是河北省206个深度贫困村之一。\n")
    assert fs["206个"]["year"] == 2020 and fs["206个"]["year_source"] == "former_status"


def test_a_table_of_bars_and_a_caption_of_units_by_column_is_read_by_row_and_column():
    _, fs = facts("都安县2025年衔接资金分配方案公示\n发布时间:2025-03-18\n\n项目类别｜项目数（个）｜资金（万元）\n产业发展类｜46｜12900\n"
                  "合计｜135｜21000\n\n云南省统计公报\n单位：元、%\n指标      绝对数      比上年增长\n农村常住居民人均可支配收入      8242      10.5\n"
                  "  工资性收入      2374      14.1\n")
    assert fs["12900"]["value_base"] == 129000000 and fs["46"]["unit_code"] == "count"
    assert fs["10.5"]["indicator_code"] == "rural_income_growth" and fs["8242"]["indicator_code"] == "rural_income_per_capita"
    assert fs["2374"]["indicator_code"] is None  # a part of income: no words of its row or column name a code


def test_the_whole_region_spoken_of_in_a_text_naming_its_prefectures_is_the_autonomous_region():
    meta, fs = facts("今年以来,自治区坚决守住不发生规模性返贫底线。截至6月底,全区累计将4.37万户17.6万人纳入防止返贫动态监测。\n"
                     "上半年,全区脱贫劳动力务工就业达到289.9万人;全区开发乡村公益性岗位4.6万个。\n"
                     "喀什地区对易地扶贫搬迁的16.4万群众持续开展后续扶持。\n")
    assert meta["main_region_code"] == "650000" and fs["289.9万人"]["region_code"] == "650000"
    assert fs["16.4万"]["region_code"] == "653100"


def test_a_county_named_in_full_is_one_though_its_old_code_shares_its_name():
    meta, fs = facts("阜平食用菌产业见闻\n2025年1月5日\n河北省阜平县地处太行山深处。2024年,全县食用菌种植规模达到1.8万亩。\n")
    assert meta["main_region_code"] == "130624" and fs["1.8万亩"]["region_code"] == "130624"


def test_a_title_listing_places_of_several_provinces_compares_them():
    meta, fs = facts("小小菌菇撑起致富伞——河北阜平、陕西柞水、福建古田食用菌产业见闻\n来源:农民日报 2025年1月5日\n"
                     "河北省阜平县地处太行山深处。2024年,全县食用菌种植规模达到1.8万亩。\n"
                     "陕西省柞水县被称为“木耳之乡”。去年全县木耳产量1.2亿袋。\n"
                     "福建省古田县是“中国食用菌之都”。去年全县食用菌产值突破百亿元,带动3600多户增收。\n")
    assert meta["main_region_code"] == "100000"
    assert fs["1.8万亩"]["region_code"] == "130624" and fs["1.2亿袋"]["region_code"] == "611026"
    assert fs["3600多户"]["region_code"] == "350922"


def test_students_an_aid_reached_and_a_further_cut_are_coded():
    _, fs = facts("大众日报 2015年1月29日\n去年全省减少农村贫困人口120.5万人,今年确保再减100万人以上。全县发放教育资助资金2368万元、惠及学生1.52万人次。\n")
    assert fs["100万人"]["indicator_code"] == "poverty_population_reduced"
    assert fs["1.52万人次"]["indicator_code"] == "students_assisted"


def test_the_end_of_a_change_parallel_to_one_ending_at_a_named_year_ends_then():
    _, fs = facts("甘肃日报 2014年10月17日\n全省贫困人口由2011年底的842万人减少到2013年底的552万人,贫困发生率由41.2%下降到26.5%。\n")
    assert fs["26.5%"]["year"] == 2013 and fs["552万人"]["year"] == 2013


def test_a_page_header_of_the_year_before_its_crawl_date_dates_the_story():
    import datetime as dt
    text = ("山东今年消费帮扶销售额突破160亿元\n来源：大众日报 | 2021-12-30 07:02\n"
            "今年,全省消费帮扶销售额突破160亿元,其中省内机关食堂采购62.4亿元。\n")
    res = extract_article("x", text, known={"known_pub_date": dt.date(2022, 2, 14), "known_pub_date_source": "manifest"})
    fs = {f["surface"]: f for f in res.facts}
    assert res.meta["pub_year"] == 2021 and fs["62.4亿元"]["year"] == 2021


def test_a_reposts_original_publication_date_dates_it():
    meta, fs = facts("墨玉县多措并举打赢脱贫攻坚战\n2020-04-08 转载 | 原文发布：2018-11-20 来源：天山网 | 阅读 1286\n"
                     "今年以来,墨玉县新增帮扶车间226家,今年需完成搬迁入住5631户。\n")
    assert meta["pub_year"] == 2018 and fs["226家"]["year"] == 2018


def test_a_list_keeps_its_members_the_gazetteer_does_not_read():
    _, fs = facts("广西日报 2021年3月1日\n全区隆林、乐业、那坡、罗城、都安、大化、三江、融水8个深度贫困县全部摘帽。\n")
    assert fs["8个"]["region_code"] == "450000"


def test_a_tables_column_may_be_headed_by_its_year_and_its_rows_give_their_units():
    _, fs = facts("贵州省乡村振兴局 2025年2月10日\n2024年贵州省巩固拓展脱贫攻坚成果主要指标\n"
                  "　　指标名称　　　　　　　　　　　2024年　　比上年增减\n　　脱贫人口人均纯收入（元）　　　16320　　　+11.2%\n"
                  "　　脱贫人口务工就业（万人）　　　 290.5　　　+3.1万人\n　　衔接资金投入（亿元）　　　　　 182.6　　　+5.3%\n")
    assert fs["290.5"]["value_base"] == 2905000 and fs["290.5"]["year"] == 2024
    assert fs["290.5"]["year_source"] == "table_column" and fs["182.6"]["unit_code"] == "yuan"


def test_a_date_the_figures_event_took_place_on_after_it_dates_it():
    _, fs = facts("人民网 2020年10月17日\n西藏74个县(区)已于2019年底全部脱贫摘帽,“十三五”期间累计实施易地扶贫搬迁26.6万人。\n")
    assert fs["74个"]["year"] == 2019 and fs["74个"]["year_source"] == "after_clause"


def test_a_list_of_figures_each_with_its_magnitude_shares_the_last_ones_unit():
    _, fs = facts("黄冈日报 2014年3月1日\n红安、麻城、罗田、英山、蕲春、团风6个重点县分别承担2.1万、3.2万、2.5万、2.2万、3.0万、1.3万人的减贫任务。\n")
    assert fs["3.2万"]["unit_code"] == "person" and fs["3.2万"]["value_base"] == 32000
    assert fs["3.2万"]["region_code"] == "421181" and fs["1.3万人"]["region_code"] == "421121"


def test_a_summary_that_calls_its_plans_year_next_year_is_of_the_year_before():
    meta, fs = facts("光山县乡村振兴局2021年工作总结\n今年新识别防返贫监测对象218户。\n二、2022年工作计划\n明年,我局将力争新增发放小额信贷8000万元。\n")
    assert meta["pub_year"] == 2021 and fs["218户"]["year"] == 2021 and fs["8000万元"]["year"] == 2022


def test_a_tables_unit_column_gives_its_rows_units_and_year_columns_their_years():
    _, fs = facts("河池市2015年国民经济和社会发展统计公报\n发布时间:2016-04-08\n\n表6  2012—2015年河池市扶贫开发主要指标\n\n"
                  "指标 | 单位 | 2012年 | 2013年 | 2014年 | 2015年\n农村贫困人口 | 万人 | 96.2 | 81.5 | 71.1 | 60.3\n"
                  "贫困发生率 | % | 29.7 | 25.2 | 22.0 | 18.7\n")
    assert fs["81.5"]["value_base"] == 815000 and fs["81.5"]["year"] == 2013
    assert fs["22.0"]["unit_code"] == "percent" and fs["22.0"]["year"] == 2014


def test_a_county_level_city_is_the_city_its_text_speaks_of_where_its_prefecture_is_unnamed():
    meta, fs = facts("走进井冈山市茅坪乡神山村,村民守着毛竹过日子。\n2017年,全市贫困发生率降至1.6%。全市剩余贫困人口841人。"
                     "全市整合涉农资金2.3亿元。\n")
    assert meta["main_region_code"] == "360881" and fs["841人"]["region_code"] == "360881"


def test_a_text_naming_its_own_year_is_of_it_under_a_later_crawl_date():
    import datetime as dt
    text = ("卢氏县:打好金融扶贫组合拳\n今年是“十三五”脱贫攻坚的开局之年。今年全县发放扶贫小额信用贷款1.86亿元,"
            "去年全县减少贫困人口1.28万人。\n")
    res = extract_article("x", text, known={"known_pub_date": dt.date(2018, 5, 14), "known_pub_date_source": "manifest"})
    fs = {f["surface"]: f for f in res.facts}
    assert res.meta["pub_year"] == 2016 and fs["1.86亿元"]["year"] == 2016 and fs["1.28万人"]["year"] == 2015


def test_a_december_wire_under_a_january_page_was_written_in_the_year_before():
    meta, fs = facts("和田地区脱贫攻坚取得新进展\n2019-01-03 10:21 来源：天山网\n新华社乌鲁木齐12月26日电 和田地区贫困发生率由2017年底的22.2%降至12.8%,"
                     "今年全地区14.03万人脱贫。\n")
    assert meta["pub_year"] == 2018 and fs["14.03万人"]["year"] == 2018


def test_what_was_already_paid_of_a_planned_sum_is_done():
    _, fs = facts("百色日报 2021年7月10日\n今年百色市计划投入衔接资金35.6亿元,截至6月底已拨付24.3亿元,拨付率68.3%。\n")
    assert fs["35.6亿元"]["kind"] == "target" and fs["24.3亿元"]["kind"] == "actual"


def test_a_last_year_aside_inside_a_paragraph_dates_that_paragraph_only():
    _, fs = facts("墨玉县庭院经济\n发布时间:2023-06-01\n今年墨玉县实施援疆项目41个。去年,全县累计投入衔接资金9.86亿元。\n"
                  "墨玉县大力发展庭院经济,全县已有5.8万户农户发展庭院种植养殖。\n")
    assert fs["9.86亿元"]["year"] == 2022 and fs["5.8万户"]["year"] == 2023


def test_a_paragraph_opening_with_last_year_goes_on_as_a_review():
    _, fs = facts("某县年度综述\n发布时间:2017-01-10\n去年,全县减少贫困人口1.2万人。\n全县建成扶贫车间35个。\n")
    assert fs["35个"]["year"] == 2016
