"""The fast scanners give exactly what the plain ones give: MultiScanner == finditer per
pattern; Gazetteer.find_many == find per text."""
import re
from pathlib import Path

from fupin.transforms.indicators import indicator_rules, rule_hits
from fupin.transforms.normalize import normalise
from fupin.transforms.regions import default_gazetteer
from fupin.transforms.rx_first import MultiScanner, first_chars

SEEDS = Path(__file__).resolve().parent.parent / "seeds" / "articles"


def _plain(patterns, text):
    out = [(i, m.start(), m.end(), m.group(0)) for i, p in enumerate(patterns)
           for m in p.finditer(text) if m.end() > m.start()]
    return sorted(out, key=lambda t: (t[1], t[0]))


def _scanned(patterns, text):
    return [(i, s, e, text[s:e]) for i, s, e in MultiScanner(patterns).scan(text)]


def test_first_chars():
    assert first_chars(re.compile(r"(?:累计)?脱贫(?=\d)")) == {"累", "脱"}
    assert first_chars(re.compile(r"(?<!产业)扶贫资金|财政专项")) == {"扶", "财"}
    assert first_chars(re.compile(r"[0-9]+户")) == set("0123456789")
    assert first_chars(re.compile(r".户")) is None  # any character
    assert first_chars(re.compile(r"[^，]户")) is None  # negated class
    assert first_chars(re.compile(r"(?:万元)?")) is None  # can match empty
    assert first_chars(re.compile(r"ab", re.I)) is None  # case folding


def test_multiscanner_equals_finditer_on_tricky_patterns():
    patterns = [re.compile(p) for p in (
        r"(?<!产业)扶贫资金", r"(?:累计)?脱贫(?!攻坚)", r"贫困人口|贫困户", r"户", r"贫困(?:人口)?",
        r".{0,2}资金", r"(?:减少到|降至)", r"[一二三]个", r"贫困\w{0,3}", r"(?=贫)贫困",
        r"(贫困)户", r"(?P<x>脱)贫",  # groups of their own: matched alone, not combined
    )]
    text = ("产业扶贫资金和扶贫资金共3亿元；累计脱贫5万人，脱贫攻坚；贫困人口减少到1000人，"
            "贫困户降至20户，一个两个三个；贫困贫困人口户户") * 3
    assert _scanned(patterns, text) == _plain(patterns, text)


def test_rule_hits_equal_plain_finditer_on_seeds():
    rules = indicator_rules()
    for path in sorted(SEEDS.glob("*.txt")):
        text = normalise(path.read_bytes().decode("utf-8", errors="replace")).text
        plain = [(rules[i].code, s, e, w) for i, s, e, w in _plain([r.pattern for r in rules], text)]
        assert [(h.code, h.start, h.end, h.words) for h in rule_hits(text)] == plain, path.name


def test_find_many_equals_find_per_text():
    gaz = default_gazetteer()
    texts = [normalise(p.read_bytes().decode("utf-8", errors="replace")).text for p in sorted(SEEDS.glob("*.txt"))]
    texts += ["", "南宁市兴宁区和上饶县", "建设36个电子商务进农村综合示范县，范县"]
    many = gaz.find_many(texts)
    for text, ms in zip(texts, many):
        one = gaz.find(text)
        assert [(m.start, m.end, m.surface) for m in ms] == [(m.start, m.end, m.surface) for m in one]
        assert all(text[m.start:m.end] == m.surface for m in ms)


def test_anaphor_regex_equals_its_lookbehind_first_form():
    """ANAPHOR_RE puts its look-behinds after the first character (so `re` can skip ahead);
    it must match what the plain form matches."""
    from fupin.transforms.region_context import ANAPHOR_RE

    plain = re.compile(
        r"(?P<kind>全区|该区|本区|我区|我县|我市|我省|我州|我旗|(?<![\u4e00-\u9fff])区内|(?<![老新主])城区|辖区|全县|该县|本县|"
        r"(?<![\u4e00-\u9fff])县内|全市|该市|本市|(?<![\u4e00-\u9fff])市内|全省|该省|本省|(?<![\u4e00-\u9fff])省内|"
        r"全州|该州|全旗|该旗|自治区|全国)")
    texts = ["区内有", "县内", "，市内3个", "城区", "老城区和新城区、主城区，城区", "小区内", "全县全区我县",
             "自治区内", "本省省内", "该州全国", "1县内"]
    texts += [normalise(p.read_bytes().decode("utf-8", errors="replace")).text for p in sorted(SEEDS.glob("*.txt"))]
    for t in texts:
        assert [m.span() for m in ANAPHOR_RE.finditer(t)] == [m.span() for m in plain.finditer(t)], t


from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from fupin.transforms import numbers  # noqa: E402

_RANGE_ALPHABET = "0123456789٣.,一二两三十百千万亿至到-—~～元人户亩个%米年的和加 "


@settings(max_examples=800, deadline=None)
@given(st.text(alphabet=_RANGE_ALPHABET, max_size=40))
def test_range_matches_equal_finditer(text):
    """range_matches places range_re by the next range end; it gives exactly the matches of
    range_re().finditer, group by group."""
    names = ("a", "amag", "aunit", "b", "bmag", "bunit")
    assert ([[m.span(g) for g in names] for m in numbers.range_matches(text)]
            == [[m.span(g) for g in names] for m in numbers.range_re().finditer(text)])


_CUE_ALPHABET = "0123456789 年月日份底末初度前的以来截至止到比较同相与去今近几多历长期上一本目当现在如眼下数据统计显示半季三"


@settings(max_examples=600, deadline=None)
@given(st.text(alphabet=_CUE_ALPHABET, max_size=40))
def test_year_cue_scanners_equal_the_plain_patterns(text):
    """timeline's scanners (first word read back / flat alternation) give exactly the
    matches of EXPLICIT_RE and RELATIVE_RE."""
    from fupin.transforms import timeline as tl

    plain = [(m.start(), m.end(), m.group("pre") or "", m.group("y"), m.group("md"), m.group("post"))
             for m in tl.EXPLICIT_RE.finditer(text)]
    fast = [(s, e, pre, m.group("y"), m.group("md"), m.group("post")) for s, e, pre, m in tl.explicit_matches(text)]
    assert fast == plain
    plain = [(m.start(), m.end(), m.lastgroup, m.group()) for m in tl.RELATIVE_RE.finditer(text)]
    assert list(tl.relative_matches(text)) == plain
    for t in ("截止到2019年底", "同比2018年", "与2019年12月份相比", "到2020年前", "2015年的2.55%",
              "2019年2020年", "比上年增长", "近3年来", "去年以来", "截至目前"):
        assert [x[:3] for x in tl.explicit_matches(t)] == [(m.start(), m.end(), m.group("pre") or "")
                                                         for m in tl.EXPLICIT_RE.finditer(t)]


def _plain_number_patterns():
    """quantity_re and range_re as first written (a number group first): the reference."""
    arabic, cn = r"\d+(?:,\d{3})*(?:\.\d+)?", r"[零〇一二两三四五六七八九十百千]+"
    units = "|".join(map(re.escape, sorted(numbers.unit_words(), key=len, reverse=True)))
    quantity = re.compile(
        rf"(?:百分之(?P<pct>{arabic}|{cn}))"
        rf"|(?:(?P<num>{arabic}|{cn}(?=(?:多|余)?(?:万|亿|千)?(?:多|余)? ?(?:{units}|万|亿)))(?P<q1>多|余)?"
        rf"(?P<mag>万亿|千万|百万|万|亿|千(?![米瓦克伏]))?(?P<q2>多|余)?"
        rf"(?P<sp> ?)(?P<unit>{units})?(?P<per>/(?:人|户|年|月|亩|头|个))?(?P<post>以上|以下|以内|左右|多)?)")
    rng = re.compile(
        rf"(?P<a>{arabic}|{cn})(?P<amag>万|亿|千)?(?P<aunit>{units})?(?:至|到|-|—|–|~|～)"
        rf"(?P<b>{arabic}|{cn})(?P<bmag>万亿|千万|百万|万|亿|千)?(?P<bunit>{units})")
    return quantity, rng


_NUMBER_ALPHABET = "0123456789.,/ 一二两三四五六七八九十百千零〇万亿多余分之以上下内左右至到-~元人户亩个%米公里吨年月第的"
_GROUPS = ("pct", "q1", "mag", "q2", "sp", "unit", "per", "post")


@settings(max_examples=800, deadline=None)
@given(st.text(alphabet=_NUMBER_ALPHABET, max_size=30))
def test_number_patterns_equal_their_plain_form(text):
    """quantity_re / range_re, rewritten to begin with a character class, match exactly
    what their plain forms match, group by group."""
    quantity, rng = _plain_number_patterns()
    plain = [(m.span(), m.group("num"), [m.span(g) for g in _GROUPS]) for m in quantity.finditer(text)]
    fast = [(m.span(), None if m.group("pct") is not None else text[m.start():m.start("numend")],
             [m.span(g) for g in _GROUPS]) for m in numbers.quantity_re().finditer(text)]
    assert fast == plain
    names = ("a", "amag", "aunit", "b", "bmag", "bunit")
    assert ([[m.span(g) for g in names] for m in numbers.range_re().finditer(text)]
            == [[m.span(g) for g in names] for m in rng.finditer(text)])


def test_prefixes():
    from fupin.transforms.rx_first import prefixes

    assert prefixes(re.compile(r"(?:累计)?脱贫(?=\d)")) == {"累计", "脱贫"}
    assert prefixes(re.compile(r"a{3}b")) == {"aa"}
    assert prefixes(re.compile(r"(?:x?){5}y")) == {"xx", "xy", "y"}  # copies may be empty
    assert prefixes(re.compile(r"(?<!产业)扶贫资金|户")) == {"扶贫", "户"}  # 户: a one-character match
    assert prefixes(re.compile(r".户")) is None


def _rule_alphabet() -> str:
    chars = {c for r in indicator_rules() for c in r.pattern.pattern if "\u4e00" <= c <= "\u9fff"}
    return "".join(sorted(chars)) + "0123456789,。；万人户元"


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=_rule_alphabet(), max_size=60))
def test_rule_scanner_equals_plain_finditer_on_random_text(text):
    """Two-character triggers never skip a position where some rule matches."""
    rules = indicator_rules()
    plain = [(rules[i].code, s, e, w) for i, s, e, w in _plain([r.pattern for r in rules], text)]
    assert [(h.code, h.start, h.end, h.words) for h in rule_hits(text)] == plain


# ---------------------------------------------------------------- the regex reader (rx_syntax)

from fupin.transforms.rx_first import prefixes  # noqa: E402
from fupin.transforms.rx_syntax import Unsupported, parse  # noqa: E402


def test_reader_escapes_and_classes():
    assert first_chars(re.compile(r"\*书记")) == {"*"}
    assert first_chars(re.compile(r"[\]a-c]x")) == set("]abc")  # a leading ] is a member
    assert first_chars(re.compile(r"[a-]")) == {"a", "-"}  # so is a trailing -
    assert first_chars(re.compile(r"[\u4e00\x41\N{DIGIT ONE}]")) == {"一", "A", "1"}
    assert first_chars(re.compile(r"[\b\t\-]")) == {"\b", "\t", "-"}
    assert first_chars(re.compile(r"{x|x{}|}")) == {"{", "x", "}"}  # no repeat: literal braces
    assert prefixes(re.compile(r"x{,2}y")) == {"xx", "xy", "y"}
    assert prefixes(re.compile(r"x{2,}y|z{3}")) == {"xx", "zz"}
    assert prefixes(re.compile(r"(?P<n>贫)(?>困|户)")) == {"贫困", "贫户"}
    assert prefixes(re.compile(r"\b贫*?困|^a++b$")) == {"贫贫", "贫困", "困", "aa", "ab"}
    assert first_chars(re.compile(r"[一-龥]户")) is None  # wider than a listable class
    assert first_chars(re.compile(r"[\d]户|\w户|\s")) is None  # categories


def test_reader_refuses_what_it_does_not_model():
    for pattern, flags in [(r"(a)\1", 0), (r"(?i)ab", 0), (r"(?i:a)b", 0), (r"(?#note)a", 0),
                           (r"(a)?(?(1)b|c)", 0), (r"a b", re.VERBOSE), (r"ab", re.IGNORECASE),
                           (r"\0", 0), (r"(?P=x)", 0)]:
        try:
            re.compile(pattern, flags)
        except re.error:
            pass  # e.g. (?P=x) without a group: refused by re itself; the reader refuses it too
        else:
            assert first_chars(re.compile(pattern, flags)) is None, pattern
        try:
            parse(pattern, flags)
        except Unsupported:
            continue
        raise AssertionError(f"{pattern!r} was read")


def test_reader_reads_every_extraction_pattern():
    """Every indicator rule is understood, so none is left to plain finditer (the speed)."""
    scanner = MultiScanner([r.pattern for r in indicator_rules()])
    assert scanner.always == []
    for r in indicator_rules():
        parse(r.pattern.pattern, r.pattern.flags)


_RX_ATOMS = st.sampled_from([
    "a", "b", "贫", "困", "-", r"\-", r"\.", r"\*", ".", r"\d", r"\w", "[ab]", "[a-c]", "[^a]",
    "[贫困]", r"[\]a]", "[a-]", r"\u8d2b", "{", "}", "]", r"\b", "^", "$", "(?<=a)", "(?<![b贫])",
])
_RX_REPEATS = st.sampled_from(["?", "*", "+", "{2}", "{1,3}", "{,2}", "{2,}", "{0}", "??", "*?", "+?",
                               "{0,2}?", "?+", "*+"])


def _rx_combine(inner):
    return st.one_of(
        st.tuples(inner, inner).map("".join),
        st.tuples(inner, inner).map("|".join),
        st.tuples(inner, _RX_REPEATS).map(lambda t: f"(?:{t[0]}){t[1]}"),
        st.tuples(_RX_ATOMS, _RX_REPEATS).map("".join),
        st.tuples(st.sampled_from(["(?:", "(", "(?>", "(?=", "(?!"]), inner).map(lambda t: f"{t[0]}{t[1]})"),
    )


_RX_PATTERNS = st.recursive(_RX_ATOMS, _rx_combine, max_leaves=8)
_RX_TEXT = st.text(alphabet="ab贫困-.*{}]1 c", max_size=30)


def _compiled(pattern: str):
    try:
        return re.compile(pattern)
    except re.error:
        return None


@settings(max_examples=500, deadline=None)
@given(st.lists(_RX_PATTERNS, min_size=1, max_size=4), st.data())
def test_reader_on_random_patterns(sources, data):
    """What first_chars and prefixes claim holds for every non-empty match, and MultiScanner
    gives finditer's matches, on random patterns of the syntax the reader models (in a text
    holding a match of each pattern, next to random text)."""
    from hypothesis import assume

    patterns = [_compiled(s) for s in sources]
    assume(all(p is not None for p in patterns))
    text = data.draw(_RX_TEXT) + "".join(data.draw(st.from_regex(p)) for p in patterns)
    for p in patterns:
        first, pre = first_chars(p), prefixes(p)
        matches = [p.match(text, pos) for pos in range(len(text) + 1)] + list(p.finditer(text))
        for m in matches:
            if m is None or m.end() == m.start():
                continue
            assert first is None or text[m.start()] in first, (p.pattern, m)
            assert pre is None or text[m.start():min(m.end(), m.start() + 2)] in pre, (p.pattern, m)
    assert _scanned(patterns, text) == _plain(patterns, text)


def test_target_words_open_with_literals_so_re_can_skip_ahead():
    """One alternative opening with a group or look-around makes `re` try the whole
    TARGET_WORDS alternation at every position of every window (speed4 found 应 had done so)."""
    from fupin.transforms import lexicon
    from fupin.transforms.timeline import TARGET_WORDS, _literal_first

    words = [*lexicon.words("target_cues", "target_word"),
             *[_literal_first(w) for w in lexicon.words("target_cues", "will_word")]]
    assert all("\u4e00" <= w[0] <= "\u9fff" for w in words), [w for w in words if not "\u4e00" <= w[0] <= "\u9fff"]
    assert TARGET_WORDS.pattern.split("|")[0][0] != "("


_COUNTED_ALPHABET = "0123456789.٣两二三四五六七八九十个旗县市区州盟省级域，、 "


@settings(max_examples=600, deadline=None)
@given(st.text(alphabet=_COUNTED_ALPHABET, max_size=40), st.integers(0, 5))
def test_counted_in_sentence_equals_its_lookbehind_first_form(text, pos):
    """_COUNTED_IN_SENTENCE opens with its numeral class (its look-behind after the first
    numeral, so `re` skips ahead); it matches what the plain form matches, from any start."""
    from fupin.transforms.region_context import _COUNTED_IN_SENTENCE

    plain = re.compile(r"(?<![\d.])(?P<n>[两二三四五六七八九十\d]+)(?:个(?P<w>旗县市|旗县|县市区|县区|县市|县|旗|州|盟)"
                       r"|(?P<bare>县|旗)(?![级域城委长乡镇区市]))")
    assert ([(m.span(), m.group("n"), m.group("bare")) for m in _COUNTED_IN_SENTENCE.finditer(text, pos)]
            == [(m.span(), m.group("n"), m.group("bare")) for m in plain.finditer(text, pos)])


_CAPTION_ALPHABET = "单位:：万元人(（)）\n\t \u3000表1"


@settings(max_examples=800, deadline=None)
@given(st.text(alphabet=_CAPTION_ALPHABET, max_size=40), st.integers(0, 8), st.integers(0, 44))
def test_unit_captions_equal_finditer(text, start, end):
    """unit_captions tries _UNIT_CAPTION only at the lines holding 单位: the same matches as
    its finditer over the same window."""
    assert ([m.span() + (m.group("unit"),) for m in numbers.unit_captions(text, start, end)]
            == [m.span() + (m.group("unit"),) for m in numbers._UNIT_CAPTION.finditer(text, start, end)])
    assert ([m.span() for m in numbers.unit_captions(text)] == [m.span() for m in numbers._UNIT_CAPTION.finditer(text)])


@settings(max_examples=500, deadline=None)
@given(st.lists(_RX_PATTERNS, min_size=1, max_size=3), _RX_TEXT)
def test_may_hold_never_skips_a_window_with_a_match(sources, text):
    """may_hold(openers(...), window) is False only for a window where no pattern matches."""
    from hypothesis import assume

    from fupin.transforms.rx_first import may_hold, openers

    patterns = [_compiled(s) for s in sources]
    assume(all(p is not None for p in patterns))
    found = openers(*patterns)
    for lo in range(len(text) + 1):
        window = text[lo:]
        if not may_hold(found, window):
            assert all(p.search(window) is None or p.search(window).end() == p.search(window).start()
                       for p in patterns), (sources, window)


_LOCAL_ALPHABET = "县区市旗州省镇乡村该全本此各每贫困行政农城民级的了澄江白彦堡1 ，。"


@settings(max_examples=800, deadline=None)
@given(st.text(alphabet=_LOCAL_ALPHABET, max_size=30), st.integers(0, 6), st.integers(0, 32))
def test_local_place_in_equals_the_lookbehind_first_search(text, lo, hi):
    """scope._local_place_in (the county's character taken, not looked behind at) answers what
    _LOCAL_ONLY's search of the same window answers."""
    from fupin.transforms import scope

    assert scope._local_place_in(text, lo, hi) == (scope._LOCAL_ONLY.search(text, lo, hi) is not None)


@settings(max_examples=800, deadline=None)
@given(st.text(alphabet=_COUNTED_ALPHABET, max_size=40), st.integers(0, 8), st.integers(0, 44))
def test_counted_regions_equal_finditer(text, lo, hi):
    """counted_regions begins the search at the numerals before the first 个, 县 or 旗: the same matches
    as _COUNTED_IN_SENTENCE.finditer over the whole window."""
    from fupin.transforms.region_context import _COUNTED_IN_SENTENCE, counted_regions

    assert ([(m.span(), m.group("n")) for m in counted_regions(text, lo, hi)]
            == [(m.span(), m.group("n")) for m in _COUNTED_IN_SENTENCE.finditer(text, lo, hi)])


@settings(max_examples=300, deadline=None)
@given(st.lists(_RX_PATTERNS, min_size=1, max_size=3), _RX_TEXT)
def test_opens_at_never_skips_a_position_with_a_match(sources, text):
    """opens_at(openers(...), text, pos) is False only where no pattern's match begins at pos."""
    from hypothesis import assume

    from fupin.transforms.rx_first import openers, opens_at

    patterns = [_compiled(s) for s in sources]
    assume(all(p is not None for p in patterns))
    found = openers(*patterns)
    for pos in range(len(text) + 1):
        if not opens_at(found, text, pos):
            assert all(p.match(text, pos) is None or p.match(text, pos).end() == pos for p in patterns)
