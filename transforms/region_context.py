"""Which region a quantity describes: region names and anaphors (全区, 该县, 我市) found in
the text, resolved to codes as of the article's year; the nearest in the quantity's clause,
else its sentence, else the article's main region."""
from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from operator import attrgetter

from fupin.transforms import lexicon
from fupin.transforms.layout import WINDOW
from fupin.transforms.numbers import parse_number
from fupin.transforms.regions import Gazetteer, Mention
from fupin.transforms.rx_first import may_hold, openers, opens_at



def _anaphor_alternative(word: str, not_after: str) -> str:
    """The word, with its first character not preceded by `not_after`, written so that every
    alternative begins with a literal character (区(?<![一-龥]区)内, not (?<![一-龥])区内):
    then `re` scans for those first characters in C instead of trying every position."""
    if not not_after:
        return word
    cls = "[\u4e00-\u9fff]" if not_after == "hanzi" else f"[{not_after}]"
    return f"{word[0]}(?<!{cls}{word[0]}){word[1:]}"


NATIONAL = ("全国", "我国")
COUNTRY = "100000"
_COMPARE_BEFORE = re.compile(f"(?:{lexicon.alternation('region_cues', 'compare_before')})$")
_SHARE_BEFORE = re.compile(f"(?:{lexicon.alternation('region_cues', 'share_before')})$")
_GAP_NAME_BEFORE = re.compile(f"(?:{lexicon.alternation('region_cues', 'gap_before')})$")
_RANK_AFTER = re.compile(f"(?:{lexicon.alternation('region_cues', 'rank_after')})")
_AUTHORITY_BEFORE = re.compile(f"(?:{lexicon.alternation('region_cues', 'authority_before')})$")
_LEVEL_AFTER = re.compile(f"(?:{lexicon.alternation('region_cues', 'level_after')})")
# what the rank and level words open with: most names have none right after them
_RANK_OPENERS, _LEVEL_OPENERS = openers(_RANK_AFTER), openers(_LEVEL_AFTER)
_EVENT_AFTER = re.compile(f"(?:{lexicon.alternation('region_cues', 'event_after')})")
# Roles whose region is never the region of a quantity near it (seeds/region_cues.csv).
NOT_SUBJECT = frozenset({"share", "gap", "authority", "rank", "named", "giver", "destination"})
# 眉县猕猴桃、安康富硒茶、富平羊奶粉等6个农产品: a region's name that opens an item of a list
# counted as things that are no regions names a product or brand, not a subject
_NAMED_ITEM = re.compile(r"[\u4e00-\u9fff]{1,8}?(?:、|和|等)")
_COUNTED_THINGS = re.compile(r"[^，,;；。]{0,60}?等[\d一二两三四五六七八九十]+(?:个|种|类|项|家|大|款)(?P<noun>[\u4e00-\u9fff]{1,6})")
_REGION_NOUN = re.compile(r"(?:[县区市州旗省盟乡镇村地]|省份|城市|地市|市州|片区)")
ANAPHOR_RE = re.compile("(?P<kind>" + "|".join(_anaphor_alternative(r["pattern"], r["not_after"])
                                               for r in lexicon.rows("anaphors")) + ")")


@dataclass
class Anchor:
    """A place in the text that names a region: a resolved mention or an anaphor."""
    start: int
    end: int
    code: str
    list_group: int  # anchors joined by 、 share a group
    # "compare" (比全国…): a yardstick; NOT_SUBJECT roles: share (占全国…), gap (高于全国…),
    # authority (经省…), rank (全国第一): never the region of a quantity near it
    role: str = ""


def region_anchors(text: str, gaz: Gazetteer, year: int | None, title_span: tuple[int, int],
                   mentions: list[Mention] | None = None,
                   skip: list[tuple[int, int]] = (), outlet: tuple[int, int] | None = None,
                   owner: tuple[int, int] | None = None, known: str | None = None) -> tuple[list[Anchor], str | None]:
    """Resolve region mentions (gaz.find(text), unless given) and anaphors (全区, 该市 ...) to
    codes; return them with the article's main region. Mentions inside the skip spans (page
    furniture, a wire dateline's place of issue) are not regions the article is about; a
    region that opens the outlet's name (来源:山西晚报) is what 全省 means in a text that
    names no region itself; the body owning the page (青海省乡村振兴局, a header line) names
    what a page whose title names no region is about; the region the input gives (known: a
    crawl's manifest) is what a text means that keeps saying 我市 where the text names no 市."""
    mentions = gaz.find(text) if mentions is None else mentions
    mentions = _suffixed_lists(text, mentions)
    outlet_region = _outlet_region(mentions, outlet, gaz, year)
    owner_region = _outlet_region(mentions, owner, gaz, year)
    if skip:
        mentions = [m for m in mentions if not any(s <= m.start < e for s, e in skip)]
    resolved, main = _resolved_and_main(text, mentions, gaz, year, title_span)
    title = text[title_span[0]:title_span[1]]
    titled = any(title_span[0] <= m.start < title_span[1] for m in resolved)
    if not titled and owner_region:
        main = owner_region  # 湖北省扶贫开发办公室 / 关于2018年度贫困县退出…的通报: the office's province
    if gaz.region(COUNTRY) and names_country(title) and not titled and not _TITLE_ANAPHOR.search(title):
        # 全国农村贫困人口去年减少1109万人: a national article (全国…表彰大会 我省99名个人…: not)
        main = COUNTRY
    elif main and not titled and not _TITLE_ANAPHOR.search(title) and not _LOCAL_BODY.match(title.lstrip()) \
            and _mostly_national(text, resolved, main):
        main = COUNTRY  # a press conference on 全国/我国 figures, held in 银川
    anchors = _anchors(text, resolved)
    if main is None and outlet_region and any(a.code.startswith("?") for a in anchors):
        main = outlet_region
    if titled:
        main = _spoken_title_region(text, resolved, title_span, main, gaz)
    main = _writer_in_title(title, title_span, resolved, outlet_region, gaz) or main
    if not titled and not owner_region:
        main = _referred_main(anchors, resolved, gaz, main)
        main = _autonomous_region(text, resolved, gaz, main) or main
        main = _spoken_level(text, main, gaz)
    main = _at_the_level_spoken(text, title, titled, resolved, main, known, gaz)
    if main != COUNTRY and gaz.region(COUNTRY) and _provinces_in_sections(text, resolved) >= PROVINCE_SECTIONS_MIN:
        main = COUNTRY  # 贵州：… 云南：… 甘肃：…: a piece that sets provinces side by side is about none of them
    # Resolve anaphors against what came before.
    main_name = gaz.region(main).name if main else ""
    latest: dict[str, str] = {}  # name ending (区, 县, 市 ...) -> the latest region so named
    for a in anchors:
        if a.code.startswith("?"):
            a.code = (_writers_region(a.code[1:], outlet_region, gaz)
                      or _resolve_anaphor(a.code[1:], latest, gaz, main, main_name) or "")
        r = gaz.region(a.code)
        if r:
            latest[r.name[-1]] = r.code
    anchors = [a for a in anchors if a.code]
    if main is None and any(a.code == COUNTRY for a in anchors):
        main = COUNTRY  # names no region but the country (and examples)
    _mark_roles_and_lists(text, anchors)
    _mark_givers(text, anchors, gaz, main)
    _mark_destinations(text, anchors, gaz, main)
    return anchors, main


def _resolved_and_main(text: str, mentions: list[Mention], gaz: Gazetteer, year: int | None,
                       title_span: tuple[int, int]) -> tuple[list[Mention], str | None]:
    """The mentions resolved in the main region's province (the main region read once before,
    from mentions resolved anywhere), and the main region."""
    first = gaz.resolve([Mention(m.start, m.end, m.surface, m.candidates, m.is_short) for m in mentions], year, None)
    main = _main_region(_not_examples(text, first), gaz, title_span, text) or _titled_county(text, mentions, title_span)
    province = gaz.region(main).province if main else None
    resolved = gaz.resolve(mentions, year, province)
    if province:
        main = _main_region(_not_examples(text, resolved), gaz, title_span, text) or main
    return resolved, main


def _titled_county(text: str, mentions: list[Mention], title_span: tuple[int, int]) -> str | None:
    """都安完成精准识别 … 我县: a short county name is read only inside its province, but a
    text that names no region in full has none. The title's short name of one county in all
    China, in a text that speaks of its county (全县, 我县), is that county."""
    if not _COUNTY_WORDS.search(text, title_span[1]):
        return None
    for m in mentions:
        if (title_span[0] <= m.start and m.end <= title_span[1] and m.is_short and len(m.candidates) == 1
                and m.candidates[0].level == "county"):
            return m.candidates[0].code
    return None


def _not_examples(text: str, mentions: list[Mention]) -> list[Mention]:
    """以云南为例, 银川会议: a region held up as an example, or naming an event held there, is
    not what the text is about."""
    return [m for m in mentions if not ((_EXAMPLE.match(text, m.end) and text[m.start - 1:m.start] == "以")
                                        or _EVENT_AFTER.match(text, m.end))]


def _anchors(text: str, resolved: list[Mention]) -> list[Anchor]:
    """The resolved mentions and the anaphors outside them (code "?" + the anaphor), in order."""
    spans = [(m.start, m.end) for m in resolved]
    anchors = [Anchor(m.start, m.end, m.region.code, -1) for m in resolved]
    span_starts = [sp[0] for sp in spans]
    for a in ANAPHOR_RE.finditer(text):
        k = bisect_right(span_starts, a.start()) - 1
        if k >= 0 and spans[k][0] <= a.start() < spans[k][1]:
            continue
        anchors.append(Anchor(a.start(), a.end(), "?" + a.group("kind"), -1))
    anchors.sort(key=attrgetter("start"))
    return anchors


# 广东方援助财政资金19.4亿元 in an article about 广西: a province named right before an aid verb
# gives; the figure is what the article's region received (GOLD.md: the receiving region)
_AID_AFTER = re.compile("[方省市]?(?:" + "|".join(sorted(lexicon.words("aid_verbs"), key=len, reverse=True)) + ")")


# 在怒江州，上海援建的安置社区…: the place a sentence opens with is where the figure is
_PLACE_THEN = re.compile(r"[，,]\s*")


def _mark_givers(text: str, anchors: list[Anchor], gaz: Gazetteer, main: str | None) -> None:
    for a in _outside_main_province(anchors, gaz, main):
        if _AID_AFTER.match(text, a.end):
            a.role = "giver"
    for place, a in zip(anchors, anchors[1:]):
        if (not a.role and text[place.start - 1:place.start] == "在" and _PLACE_THEN.fullmatch(text, place.end, a.start)
                and _AID_AFTER.match(text, a.end)):
            a.role = "giver"  # even the article's own region: it gave what is counted at the place


_DESTINATION = (re.compile(f"(?:{lexicon.alternation('region_cues', 'destination_before')})$"),
                # 到广东稳岗就业, 到珠海等地稳定就业: a few words may stand between the place and the work
                re.compile(f"(?:省|市|州|县|区)?[^，,。；;、\\d]{{0,4}}?(?:{lexicon.alternation('region_cues', 'destination_after')})"))


def _mark_destinations(text: str, anchors: list[Anchor], gaz: Gazetteer, main: str | None) -> None:
    """其中到山东就业2600人 in an article about 湘西: people of the article's region who went to
    work in another province are still its figure; the province named is where they went."""
    before, after = _DESTINATION
    for a in _outside_main_province(anchors, gaz, main):
        if before.search(text, max(0, a.start - 2), a.start) and after.match(text, a.end):
            a.role = "destination"


def _outside_main_province(anchors: list[Anchor], gaz: Gazetteer, main: str | None):
    """The anchors, still without a role, of regions outside the main region's province."""
    main_region = gaz.region(main) if main else None
    if main_region is None:
        return
    main_province = main_region.province or main
    for a in anchors:
        r = gaz.region(a.code)
        if r and not a.role and (r.province or r.code) != main_province:
            yield a


def _referred_main(anchors: list[Anchor], resolved: list[Mention], gaz: Gazetteer, main: str | None) -> str | None:
    """宁夏…西吉县…全县…全县: a text whose 全县/该县 (全市, 该旗 …) refer back to a region inside
    its most named one, more often than that one is named, is about the inner region. Each
    such word votes for the latest region of its level named before it."""
    if not main or not any(a.code.startswith("?") for a in anchors):
        return main
    counts: dict[str, int] = {}
    for m in resolved:
        counts[m.region.code] = counts.get(m.region.code, 0) + 1
    latest: dict[str, str] = {}
    for a in anchors:
        if a.code.startswith("?"):
            kind = a.code[1:]
            if len(kind) == 2 and kind[0] in "全该本我" and kind[1] in latest:
                code = latest[kind[1]]
                counts[code] = counts.get(code, 0) + 1
        elif (r := gaz.region(a.code)) is not None:
            latest[r.name[-1]] = r.code
    best = max(counts, key=lambda c: (counts[c], len(gaz.ancestors(c))), default=main)
    inside = best != main and main in gaz.ancestors(best)[1:]
    return best if inside and counts[best] > counts.get(main, 0) else main


# 隆林、乐业、那坡…: members of a list the gazetteer does not read (乐业, 三江: short names that are
# also words) between two it does keep the list whole
_UNNAMED_MEMBERS = re.compile(r"(?:、[\u4e00-\u9fff]{2,4})+、")


def _mark_roles_and_lists(text: str, anchors: list[Anchor]) -> None:
    """Each anchor's role (seeds/region_cues.csv) and list group: 、-joined lists (河池、百色市)
    and nested names (南宁市兴宁区) share one."""
    group = 0
    for i, a in enumerate(anchors):
        a.role = ("rank" if opens_at(_RANK_OPENERS, text, a.end) and _RANK_AFTER.match(text, a.end)
                  else "authority" if opens_at(_LEVEL_OPENERS, text, a.end) and _LEVEL_AFTER.match(text, a.end)
                  else "named" if _EVENT_AFTER.match(text, a.end) or _names_a_thing(text, a.end)
                  else _role(text[max(0, a.start - 2):a.start]))
        gap = text[anchors[i - 1].end:a.start] if i else None
        if i and (gap in ("、", "和", "及", "") or _UNNAMED_MEMBERS.fullmatch(gap)):
            a.list_group = anchors[i - 1].list_group
        else:
            group += 1
            a.list_group = group


def _names_a_thing(text: str, end: int) -> bool:
    if not _NAMED_ITEM.match(text, end):
        return False
    m = _COUNTED_THINGS.match(text, end)
    return m is not None and not _REGION_NOUN.match(m.group("noun")) and not _REGION_NOUN.search(m.group("noun")[-1:])


_RANKED_IN = re.compile(f"(?:{lexicon.alternation('region_cues', 'ranked_in')})$")


# 西吉、海原两县: short names in a list that ends with its count and suffix are named in full
_SHARED_SUFFIX = re.compile(r"(?:[、和][\u4e00-\u9fff]{2,4}?)*(?:两|[二三四五六七八九十]|\d{1,2})个?(?:县|旗)")


def _suffixed_lists(text: str, mentions: list[Mention]) -> list[Mention]:
    if not any(m.is_short for m in mentions):
        return mentions
    return [Mention(m.start, m.end, m.surface, m.candidates, False)
            if m.is_short and _in_suffixed_list(text, m) else m for m in mentions]


def _in_suffixed_list(text: str, m: Mention) -> bool:
    """西吉、海原两县: one of at least two names before the count; a name alone before one
    (全州4个县: 全州 is the whole prefecture, not 全州县) is no such list."""
    found = _SHARED_SUFFIX.match(text, m.end)
    return found is not None and (found.group()[:1] in "、和" or text[m.start - 1:m.start] in ("、", "和"))


def _outlet_region(mentions: list[Mention], outlet: tuple[int, int] | None, gaz: Gazetteer,
                   year: int | None) -> str | None:
    at = [Mention(m.start, m.end, m.surface, m.candidates, m.is_short)  # copies: resolve() sets their region
          for m in mentions if outlet and m.start == outlet[0] and m.end < outlet[1]]
    found = gaz.resolve(at, year, None) if at else []
    if not found and at and len(at[0].candidates) == 1:
        # 来源：景宁新闻网: a county's short name, read only inside its province, where it names one
        # county in all China
        found = gaz.resolve(at, year, at[0].candidates[0].province)
    return found[0].region.code if found else None


_ROLE_WORDS = lexicon.words("region_cues", "share_before", "gap_before", "authority_before", "compare_before")
# The characters the role words end with, when every one is a plain word: a match of a
# `(?:words)$` pattern ends its window with one (or stands before a final newline). Most
# names have none before them, and their four searches are skipped.
_ROLE_LAST = (frozenset(w[-1] for w in _ROLE_WORDS)
              if all(w and re.escape(w) == w for w in _ROLE_WORDS) else None)


def _role(before: str) -> str:
    if _ROLE_LAST is not None and before[-1:] not in _ROLE_LAST and not (
            before[-1:] == "\n" and before[-2:-1] in _ROLE_LAST):
        return ""
    for role, rx in (("share", _SHARE_BEFORE), ("gap", _GAP_NAME_BEFORE), ("authority", _AUTHORITY_BEFORE),
                     ("compare", _COMPARE_BEFORE)):
        if rx.search(before):
            return role
    return ""


def names_country(title: str) -> bool:
    """The title names the country as its subject (全国…), not as where something ranks, or
    opens with a body of the central state (国家卫生健康委：…, seeds/national_bodies.csv)."""
    return any(_names_country(title, w) for w in NATIONAL) or any(
        _NATIONAL_BODY.match(_YEAR_OPENING.sub("", part.strip())) for part in _TITLE_PARTS.split(title))


# a title's parts: its main title and subtitles (“国家队”沉下去——2018年中央单位定点扶贫工作综述)
_TITLE_PARTS = re.compile(r"——|—|：|:|\|")
_YEAR_OPENING = re.compile(r"^(?:19|20)\d\d年(?:度)?")


_NATIONAL_BODY = re.compile(f"(?:{lexicon.alternation('national_bodies')})")


def _names_country(title: str, word: str) -> bool:
    """全国 in a title makes a national article, unless it is where something ranks
    (省乡村振兴局五项指标在全国争先进位, 居全国前列): a yardstick, not the subject."""
    i = title.find(word)
    while i >= 0:
        if not _RANKED_IN.search(title, 0, i):
            return True
        i = title.find(word, i + 1)
    return False


MANY_ALIKE = 3  # this many regions named equally often, none inside another, make a text about their group


_EXAMPLE = re.compile(r"(?:省|市|县|区)?为例")
# seeds/anaphors.csv's two-character words for a whole region (全省, 我市, 该县 …; not 全国/我国)
_WHOLE_REGION_WORDS = [w for w in lexicon.words("anaphors")
                       if len(w) == 2 and w[0] in "全我本该" and w.isalpha() and w not in NATIONAL]
_TITLE_ANAPHOR = re.compile("|".join(_WHOLE_REGION_WORDS))
_COUNTY_WORDS = re.compile("|".join(w for w in _WHOLE_REGION_WORDS if w[1] in "县旗") or "(?!)")
_GROUP_IN_TITLE = re.compile(r"等[\d一二两三四五六七八九十]+个?[县市区旗]")
_LEVEL_OF = {"省": "province", "市": "prefecture", "州": "prefecture", "盟": "prefecture", "县": "county", "旗": "county"}


def _title_level(title: str) -> str | None:
    """我省/全省 (我市, 该县 …) in a title: the level of the region the article is about."""
    m = _TITLE_ANAPHOR.search(title)
    return _LEVEL_OF.get(m.group()[-1]) if m else None


SPOKEN_MIN = 3  # 全市/我市 said this often, and more than any other level's words, name the text's level
_DEPTH = {"country": 0, "province": 1, "prefecture": 2, "county": 3}


def _spoken_level(text: str, main: str | None, gaz: Gazetteer) -> str | None:
    """全市今年已完成…, 我市…, 全市农村贫困人口…, and once 于都县是全市任务最重的县: a text that
    keeps speaking of its 市 (省, 县) and names only places inside it is about the 市 that
    contains them, not the one county it names."""
    region = gaz.region(main) if main else None
    if region is None or region.level in ("country", "province"):
        return main
    province = gaz.region(region.province)
    # 全区 in a text about a 地区 or a county of 新疆 (广西, 西藏 …) names the autonomous region,
    # not a district (a 区 of a city)
    whole_region = province is not None and province.name.endswith("自治区") and not (
        region.name.endswith("区") and not region.name.endswith("地区"))
    level = _level_spoken(text, whole_region)
    if (level == "prefecture" and region.level == "county" and region.name.endswith("市")
            and (above := gaz.region(region.parent)) is not None and above.name[:2] not in text):
        return main  # 井冈山市…全市, 吉安 unnamed: a county-level city is the 市 its text speaks of
    return _at_level(main, level, gaz) if level and _DEPTH[level] < _DEPTH[region.level] else main


PROVINCE_SECTIONS_MIN = 3


def _provinces_in_sections(text: str, resolved: list[Mention]) -> int:
    """How many provinces open a paragraph as its subject, before a colon (贵州：2019年减少…)."""
    leads = {m.region.code for m in resolved
             if (m.start == 0 or text[m.start - 1] == "\n") and text[m.end:m.end + 1] in ("：", ":")
             and m.region.level == "province"}
    return len(leads)


def _at_the_level_spoken(text: str, title: str, titled: bool, resolved: list[Mention], main: str | None,
                         known: str | None, gaz: Gazetteer) -> str | None:
    """The main region at the level the title's 我省 (the text's 全市 …) names."""
    if not main or main == COUNTRY:
        return main
    if (level := _title_level(title)) and (not titled or _GROUP_IN_TITLE.search(title)):
        # 我省贫困残疾人…, 康保等10县退出… 我省62个…: the province of the counties it tells of
        main = _at_level(main, level, gaz)
        if level == "province" and not titled:
            main = _most_named_province(resolved, gaz, title) or main
    if known and (level := _level_spoken(text)) and not _fits_level(main, level, gaz) and _fits_level(known, level, gaz):
        main = known  # 我市…, 全市… on a page of 天津市, naming 甘肃 once as a partner
    return main


def _level_spoken(text: str, whole_region: bool = False) -> str | None:
    """The level the text's whole-region words (全市, 我市, 全省 …) keep naming: said SPOKEN_MIN
    times or more, and more often than any other level's (全区 a province's where whole_region)."""
    said: dict[str, int] = {}
    for w in _WHOLE_REGION_WORD.findall(text):
        if level := _LEVEL_OF.get(w[-1]) or ("province" if whole_region and w[-1] == "区" else None):
            said[level] = said.get(level, 0) + 1
    if not said:
        return None
    level, n = max(said.items(), key=lambda kv: kv[1])
    return level if n >= SPOKEN_MIN and all(m < n for lv, m in said.items() if lv != level) else None


def _fits_level(code: str | None, level: str, gaz: Gazetteer) -> bool:
    """Whether the region is one a text's 市 (省, 县) can name: a 市 is a prefecture or a
    municipality (天津市, a province's level)."""
    region = gaz.region(code) if code else None
    return region is not None and (region.level == level or (
        level == "prefecture" and region.level == "province" and region.name.endswith("市")))


def _most_named_province(resolved: list[Mention], gaz: Gazetteer, title: str) -> str | None:
    """我省 in a title: of the provinces its word can name (省: a 省, not an autonomous region
    or a municipality), the one whose places the text names most (宁德市 and four of its
    counties over 宁夏, the partner named twice)."""
    m = _TITLE_ANAPHOR.search(title)
    word = m.group()[-1] if m else ""
    counts: dict[str, int] = {}
    for mention in resolved:
        p = gaz.region(mention.region.province) if mention.region.province else None
        if p and (word != "省" or p.name.endswith("省")):
            counts[p.code] = counts.get(p.code, 0) + 1
    return max(counts, key=lambda c: (counts[c], -len(c))) if counts else None


def _spoken_title_region(text: str, resolved: list[Mention], title_span: tuple[int, int], main: str | None,
                         gaz: Gazetteer) -> str | None:
    """赣州去年29.15万贫困人口脱贫 瑞金南康率先摘帽 … 全市, 我市: a title that names a 市 and
    places inside it, over a text that keeps speaking of its 市, is about the 市."""
    spoken = _spoken_level(text, main, gaz)
    if spoken == main:
        return main
    in_title = {m.region.code for m in resolved if title_span[0] <= m.start and m.end <= title_span[1]}
    return spoken if spoken in in_title else main


def _at_level(code: str, level: str, gaz: Gazetteer) -> str:
    """The region of that level containing code (itself if it is of that level or above)."""
    for c in gaz.ancestors(code):
        r = gaz.region(c)
        if r and r.level == level:
            return c
    return code


def _mostly_national(text: str, resolved: list[Mention], main: str) -> bool:
    """全国/我国 said more often than the most named region and than 全省/我省 (全区, 我市 …), and
    at least twice: the text is about the country, whatever place it names in passing."""
    national = sum(text.count(w) for w in NATIONAL) - len(_NATIONAL_THING.findall(text))
    return (national >= NATIONAL_MIN and national > sum(m.region.code == main for m in resolved)
            and national > len(_WHOLE_REGION_WORD.findall(text)))


# 省政府新闻办举行发布会: a title opening with a body of a province, city or county is no national article
_LOCAL_BODY = re.compile(r"(?:省|市|县|州|区|旗)(?:委|政府|人大|政协|人民政府)")
_NATIONAL_THING = re.compile(f"(?:{'|'.join(NATIONAL)})(?={lexicon.alternation('region_cues', 'event_after')})")
_WHOLE_REGION_WORD = re.compile("|".join(w for w in _WHOLE_REGION_WORDS if w[0] != "该"))
AUTONOMOUS_MIN = 3  # 全区/我区/自治区 said this often name the one autonomous region the text names


def _autonomous_region(text: str, resolved: list[Mention], gaz: Gazetteer, main: str | None) -> str | None:
    """2024年全区脱贫人口…, 记者从自治区农牧厅获悉, 我区…: a text that keeps referring to 全区/我区/
    自治区 and names one autonomous region (内蒙古, 广西 …) is about it, not about a partner
    province it names more often (京蒙协作: 北京)."""
    autonomous = {m.region.code for m in resolved
                  if m.region.level == "province" and m.region.name.endswith("自治区")}
    if len(autonomous) != 1 or len(_AUTONOMOUS_WORD.findall(text)) < AUTONOMOUS_MIN:
        return None
    (code,) = autonomous
    return code if main is None or (main != code and code not in gaz.ancestors(main)) else None


_AUTONOMOUS_WORD = re.compile("|".join(w for w in _WHOLE_REGION_WORDS if w[0] != "该" and w[1] == "区")
                              + "|自治区(?![\u4e00-\u9fff]{0,2}(?:以上|级))")


NATIONAL_MIN = 2


def _main_region(resolved: list[Mention], gaz: Gazetteer, title_span: tuple[int, int], text: str = "") -> str | None:
    in_title = [m for m in resolved if title_span[0] <= m.start and m.end <= title_span[1]]
    counts: dict[str, int] = {}
    for m in resolved:
        counts[m.region.code] = counts.get(m.region.code, 0) + 1
    if (compared := _title_compares(in_title, text, gaz)) is not None:
        return compared
    if in_title:
        # the deepest of the title's regions; of two alike, the one the text names more
        # (南江:小小金银花: 南江县 recurs in the body, 小金 stands only inside a word of the title)
        depth = {"province": 0, "prefecture": 1, "county": 2, "country": -1}
        return max(in_title, key=lambda m: (depth.get(m.region.level, 0), counts[m.region.code], m.start)).region.code
    if not counts:
        return None
    top = max(counts.values())
    tied = [c for c in counts if counts[c] == top]
    if len(tied) >= MANY_ALIKE and all(gaz.common_ancestor([a, b]) not in (a, b) for a in tied for b in tied if a < b):
        # 内蒙古、广西、西藏…: many regions named alike and none above another: the text is
        # about their group, whose region is the smallest containing them all
        return gaz.common_ancestor(tied)
    return max(counts, key=lambda c: (counts[c], -len(c)))


def _title_compares(in_title: list[Mention], text: str, gaz: Gazetteer) -> str | None:
    """河北阜平、陕西柞水、福建古田食用菌产业见闻: a title listing places of several provinces (、) sets
    them side by side; the article is about what holds them all (the country), each paragraph
    about the place it opens with."""
    places: list[tuple[int, int, str]] = []  # (start, end, code)
    for m in in_title:  # 河北阜平: a name right after the region holding it is one place
        if places and places[-1][1] == m.start and places[-1][2] in gaz.ancestors(m.region.code):
            places[-1] = (places[-1][0], m.end, m.region.code)
        else:
            places.append((m.start, m.end, m.region.code))
    if len(places) < 2 or any(text[a[1]:b[0]] != "、" for a, b in zip(places, places[1:])):
        return None
    provinces = {(gaz.region(code).province if gaz.region(code) else None) or code for _, _, code in places}
    return gaz.common_ancestor([code for _, _, code in places]) if len(provinces) > 1 else None


_WE_IN_TITLE = re.compile(r"我(省|市|县|区|州|旗)")


def _writer_in_title(title: str, title_span: tuple[int, int], resolved: list[Mention], outlet_region: str | None,
                     gaz: Gazetteer) -> str | None:
    """我省东西部协作…去年向四川拨付…, in 浙江日报: a title whose subject is 我省, before any region
    it names, is about the writer's region."""
    m = _WE_IN_TITLE.search(title)
    if m is None or _writers_region(m.group(), outlet_region, gaz) is None:
        return None
    first = min((x.start for x in resolved if title_span[0] <= x.start < title_span[1]), default=title_span[1])
    return outlet_region if title_span[0] + m.start() < first else None


def _writers_region(kind: str, outlet_region: str | None, gaz: Gazetteer) -> str | None:
    """我市 in a city's own paper (来源:南京日报) is that city, whatever city the story is about:
    我 speaks for the writer, where 该市 refers back."""
    if not outlet_region or not kind.startswith("我") or len(kind) != 2:
        return None
    r = gaz.region(outlet_region)
    return outlet_region if r and r.name.endswith(kind[1]) else None


def _resolve_anaphor(kind: str, latest: dict[str, str], gaz: Gazetteer, main: str | None, main_name: str) -> str | None:
    if kind in NATIONAL or kind == "国家":  # 国家确定的14个片区 (seeds/anaphors.csv): the state's own count
        return COUNTRY if gaz.region(COUNTRY) else None
    suffix = {"区": "区", "县": "县", "市": "市", "省": "省", "州": "州", "旗": "旗", "盟": "盟"}
    if kind in ("城区", "辖区"):
        return main
    if kind.endswith("地区"):  # 全地区: the main region's 地区 (和田地区), itself or above it
        return next((c for c in gaz.ancestors(main) if gaz.region(c).name.endswith("地区")), None) if main else None
    if kind == "自治区":
        if main and gaz.region(main).province and gaz.region(gaz.region(main).province).name.endswith("自治区"):
            return gaz.region(main).province
        return None
    ch = kind[1] if kind[0] in "全该本我" else kind[0]
    want = suffix.get(ch)
    if kind.startswith(("全", "我")) and main_name.endswith(want or "#"):
        return main
    if want and want in latest:
        return latest[want]
    if want == "县" and "旗" in latest:
        return latest["旗"]
    if main_name.endswith(want or "#"):
        return main
    # 从江县…是全省14个深度贫困县之一: the main region's own province (州, 市) when none is named
    for code in gaz.ancestors(main)[1:] if main and want else ():
        if (r := gaz.region(code)) and r.name.endswith(want):
            return code
    return main if kind.startswith("全") else None


_NUMBER = re.compile(r"\d")
_ONE_OF = re.compile(r"[^，,。；;]{0,16}?之一")


COUNTED_REACH = 8  # characters after a number within which its own counted word ends (4个旗县市)


def _counted_reference(text: str, pos: int, sent_start: int, anchors: list[Anchor], starts: list[int],
                       groups: dict[int, list[str]], gaz: Gazetteer) -> str | None:
    """科尔沁右翼中旗、库伦旗、察哈尔右翼后旗、四子王旗4个重点旗县… later 4个旗县累计减少贫困人口8.93万人:
    a count of regions that names no region, with no region named between it and the number,
    refers to the latest list of as many regions; the figure (and the count) is the group's,
    of the smallest region holding it."""
    i = bisect_right(starts, pos) - 1
    lo = max(sent_start, anchors[i].end) if i >= 0 else sent_start
    found = [m for m in counted_regions(text, lo, pos + COUNTED_REACH) if m.start() <= pos]
    if not found:
        return None
    m = found[-1]
    n = parse_number(m.group("n"))
    before = bisect_right(starts, m.start()) - 1
    if not n or n < 2 or (before >= 0 and m.start() - anchors[before].end <= 1):
        return None  # 库伦旗、四子王旗2个旗县: the count closing its own list
    listed = _latest_list_of(anchors[:before + 1], n, gaz, counties=m.group("bare") is not None)
    return gaz.common_ancestor(_list_members(listed, gaz)) if listed else None


def _one_of_whole(text: str, pos: int, anchors: list[Anchor], starts: list[int]) -> str | None:
    """作为全省12个重点帮扶县(区)之一: a count of which the subject is one, right after a whole
    region's word (全省, 全国 …), is that region's, whatever region the subject is."""
    i = bisect_right(starts, pos) - 1
    if i < 0 or anchors[i].end != pos or not _ONE_OF.match(text, pos):
        return None
    word = text[anchors[i].start:anchors[i].end]
    return anchors[i].code if word[0] == "全" and len(word) == 2 else None


# 比全国平均增速高1.4个百分点: the gap is the subject's, not the yardstick's
_GAP_BEFORE = re.compile(f"(?:{lexicon.alternation('region_cues', 'gap_word')})(?:出|了|于)?(?:近|约|将近|超过|逾)?$")


# 贫困发生率4.1%(国家4.5%), 2834个(全国12.8万个): the country's figure beside the subject's
_PROVINCES_COUNTED = re.compile(r"[\d一二两三四五六七八九十]+个?(?:省|自治区|直辖市)(?![级定直属内管委政重贫扶])")
_PAREN_COUNTRY = re.compile(r"[(（](?:全国|国家|我国)[^()（）,，;；。]{0,6}$")
_PAREN_OPENERS = openers(_PAREN_COUNTRY)  # most numbers have no bracket before them


# 占全国农村贫困人口9899万人的9.3%: the whole's own figure, between the share's region and 的 + the share
_SHARE_WHOLE_AFTER = re.compile(r"[\d.]+[万亿千百]*[^\s，,。；;的\d]{0,3}的(?:近|约|超过)?[\d一二两三四五六七八九十半百]")
SHARE_WHOLE_REACH = 16  # characters from 占 + the whole's name to its figure (农村贫困人口)


MANY_PROVINCES = 3


def _many_provinces(text: str, lo: int, hi: int) -> bool:
    """A count of three or more provinces stands between lo and hi."""
    if text.find("省", lo, hi) < 0 and text.find("自治区", lo, hi) < 0 and text.find("直辖市", lo, hi) < 0:
        return False  # (most windows name none: no regex call)
    return any((parse_number(m.group().rstrip("个省区市自治直辖")) or 0) >= MANY_PROVINCES
               for m in _PROVINCES_COUNTED.finditer(text, lo, hi))


def _named_between(anchors: list[Anchor], starts: list[int], lo: int, hi: int) -> bool:
    """A region (not an anaphor's role word) is named between lo and hi."""
    return any(a.end <= hi and a.role not in NOT_SUBJECT for a in anchors[bisect_left(starts, lo):bisect_left(starts, hi)])


def _share_whole(text: str, pos: int, anchors: list[Anchor], starts: list[int]) -> str | None:
    """The region after 占 whose total the number is, where 的 and the share follow it."""
    i = bisect_right(starts, pos) - 1
    if i < 0 or anchors[i].role != "share" or text[anchors[i].start - 1:anchors[i].start] != "占":
        return None
    if pos - anchors[i].end > SHARE_WHOLE_REACH or _NUMBER.search(text, anchors[i].end, pos):
        return None
    return anchors[i].code if _SHARE_WHOLE_AFTER.match(text, pos) else None


# 全国脱贫县农村居民人均可支配收入17522元，增长6.9%: a clause opening with the change of what the
# clause before it measured has that clause's subject
_SUBJECT_GOES_ON = re.compile(r"[\s]*(?:同比|比上年|较上年)?(?:增长|增加|下降|减少|提高|降低|上升|增幅)")


def region_for(text: str, pos: int, clause_start: int, sent_start: int, anchors: list[Anchor], gaz: Gazetteer,
               main: str | None, starts: list[int], groups: dict[int, list[str]]) -> tuple[str | None, str]:
    paren_from = max(0, pos - 12)
    if (may_hold(_PAREN_OPENERS, text[paren_from:pos]) and _PAREN_COUNTRY.search(text, paren_from, pos)
            and gaz.region(COUNTRY)):
        return COUNTRY, "yardstick"
    if (whole := _share_whole(text, pos, anchors, starts)) is not None:
        return whole, "share_whole"
    if _PROVINCES_COUNTED.match(text, pos) and gaz.region(COUNTRY):
        return COUNTRY, "group"  # 东部13个省市结对帮扶西部10个省区: a group of provinces is the country's
    if (gaz.region(COUNTRY) and _many_provinces(text, max(clause_start, pos - WINDOW), pos)
            and not _named_between(anchors, starts, max(clause_start, pos - WINDOW), pos)):
        # 东部8省市共向西部10省区市投入财政援助资金230.6亿元: the provinces' figure (两省区, a pair of
        # aid partners, is either side's: GOLD.md's aid rule)
        return COUNTRY, "group"
    sent_start = max(sent_start, pos - WINDOW)
    clause_start = max(clause_start, pos - WINDOW)
    if (whole := _one_of_whole(text, pos, anchors, starts)) is not None:
        return whole, "group"
    if (listed := _counted_reference(text, pos, sent_start, anchors, starts, groups, gaz)) is not None:
        return listed, "group"

    def pick(lo: int) -> Anchor | None:
        # 全国 (排名全国前列, 全国首份) names the country only for a number in its own clause.
        i = bisect_right(starts, pos) - 1
        while i >= 0 and anchors[i].start >= lo:
            a = anchors[i]
            if (a.end <= pos and (a.code != COUNTRY or a.start >= clause_start or _SUBJECT_GOES_ON.match(text, clause_start))
                    and a.role not in NOT_SUBJECT
                    and not (a.role == "compare" and (_NUMBER.search(text, a.end, pos) or _GAP_BEFORE.search(text, a.end, pos)))):
                return a
            i -= 1
        return None

    for lo, source in ((clause_start, "clause"), (sent_start, "sentence")):
        a = pick(lo)
        if a is None:
            continue
        group = groups[a.list_group]
        open_list = _OPEN_LIST.match(text, a.end) if opens_at(_OPEN_LIST_OPENERS, text, a.end) else None
        if open_list and _last_of_group(a, anchors, starts) and not _closes_list(open_list, len(set(group))):
            # 竹溪等5个县, 河池、百色等市: a list left open belongs to the region above its
            # named members (their smallest common region's parent)
            code = _open_group_region(a, anchors, starts, group, gaz, main, sent_start)
            return _holding(code, parse_number(open_list.group("n") or ""), text[open_list.end() - 1:open_list.end()],
                            gaz), "group"
        if len(group) > 1:
            # A list of sibling regions -> their smallest common region; a nested name keeps the deepest.
            nested = all(gaz.common_ancestor([g, a.code]) in (g, a.code) for g in group)
            code = a.code if nested else (gaz.common_ancestor(group) or a.code)
            return code, source
        return a.code, "yardstick" if a.role == "compare" else source
    topic = _paragraph_topic(text, pos, anchors, starts, gaz, main)
    if topic:
        return topic, "paragraph"
    return main, "article"


def _open_group_region(a: Anchor, anchors: list[Anchor], starts: list[int], group: list[str], gaz: Gazetteer,
                       main: str | None, sent_start: int) -> str:
    """The region of a list left open (竹溪等5个县) that anchor a ends: the region written right
    before its first member (吕梁市兴县、临县等5个县); else its members' smallest common region,
    where the text or the sentence is about it (泸水市、福贡县等3个县 in a text about 怒江州) and
    it is no member itself (红安县等9个县 holds more than 红安县); else the nearest region above
    that the sentence names (湖北省人民政府…批准红安县等9个县); else the region above."""
    opens = group_start(a, anchors, starts)
    first = bisect_right(starts, opens) - 1
    if first + 1 < len(anchors) and anchors[first].end == anchors[first + 1].start \
            and anchors[first].list_group == a.list_group \
            and all(g == anchors[first].code or _contains(gaz, anchors[first].code, g) for g in group):
        return anchors[first].code
    nested = all(gaz.common_ancestor([g, a.code]) in (g, a.code) for g in group)
    common = a.code if nested else (gaz.common_ancestor(group) or a.code)
    if common not in group and (common == main or _named_before(anchors, starts, common, sent_start, opens)):
        return common
    up = gaz.ancestors(common)
    for above in up[1:]:
        if _named_before(anchors, starts, above, sent_start, a.start):
            return above
    return up[1] if len(up) > 1 else common


def _holding(code: str, n: float | None, noun: str, gaz: Gazetteer) -> str:
    """福贡县、兰坪县等9个县 in a text about 怒江州 (4 counties): a group of more counties than a
    region holds is of the region above it that holds as many (counted as the code table
    stands now: the counts barely move over the years)."""
    if not n or noun not in "县区市旗" or gaz.region(code) is None or gaz.region(code).level == "county":
        return code
    up = gaz.ancestors(code)
    for c in up:
        if gaz.counties_under(c, None) >= n or c == COUNTRY:
            return c
    return code


_OPEN_LIST = re.compile(r"等(?:(?P<n>[\d一二两三四五六七八九十]+)个?)?(?:县|区|市|州|旗|地|省|盟)?")
_OPEN_LIST_OPENERS = openers(_OPEN_LIST)  # 等: most region names have none after them


def _closes_list(m: re.Match, members: int) -> bool:
    """右江区、田东县、田阳县等3县: 等 with the count of the names before it ends the list."""
    return parse_number(m.group("n") or "") == members


def group_start(a: Anchor, anchors: list[Anchor], starts: list[int]) -> int:
    """Where the list that anchor a ends begins."""
    i = bisect_right(starts, a.start) - 1
    while i > 0 and anchors[i - 1].list_group == a.list_group:
        i -= 1
    return anchors[i].start


def _named_before(anchors: list[Anchor], starts: list[int], code: str, lo: int, hi: int) -> bool:
    """A region anchor with this code stands in [lo, hi)."""
    return any(anchors[i].code == code for i in range(bisect_right(starts, lo - 1), bisect_right(starts, hi - 1)))


def _last_of_group(a: Anchor, anchors: list[Anchor], starts: list[int]) -> bool:
    i = bisect_right(starts, a.start)
    return i >= len(anchors) or anchors[i].list_group != a.list_group


PARAGRAPH_TOPIC_REACH = 12  # a region named this close to a paragraph's start is what it is about


def _paragraph_topic(text: str, pos: int, anchors: list[Anchor], starts: list[int], gaz: Gazetteer,
                     main: str | None) -> str | None:
    """竹溪县用“扶贫车间”促就业…: a paragraph that opens by naming a region inside the
    article's main region (any region, in a national article: 以云南为例。…) is about it."""
    para = text.rfind("\n", 0, pos) + 1
    if headed := _section_heading_region(text, para, anchors, starts, gaz, main):
        return headed
    i = bisect_right(starts, para - 1)
    if i < len(anchors) and para <= anchors[i].start < min(pos, para + PARAGRAPH_TOPIC_REACH):
        a = anchors[i]
        if a.code != main and a.role == "" and main and (main == COUNTRY or main in gaz.ancestors(a.code)[1:]):
            return a.code
    return None


_HEADING_LINE_MAX = 30


def _section_heading_region(text: str, para: int, anchors: list[Anchor], starts: list[int], gaz: Gazetteer,
                            main: str | None) -> str | None:
    """田阳区：芒果“甜”了百姓日子 on the line above the paragraph: a feature's section on one place
    inside the article's main region."""
    head_end = len(text[:para].rstrip()) if para else 0
    head_start = text.rfind("\n", 0, head_end) + 1
    line = text[head_start:head_end]
    if not line or "。" in line or len(line.strip()) > _HEADING_LINE_MAX:
        return None
    i = bisect_right(starts, head_start - 1)
    if i >= len(anchors) or anchors[i].start != head_start + len(line) - len(line.lstrip()):
        return None
    a = anchors[i]
    if text[a.end:a.end + 1] in ":：" and main and a.code != main and (main == COUNTRY or main in gaz.ancestors(a.code)[1:]):
        return a.code
    return None


EACH = "分别"
_LIST_GAP = re.compile(r"[、，,和及与]?$")


def side_by_side(text: str, a: tuple[int, int, str], b: tuple[int, int, str]) -> bool:
    """Two numbers (start, end, unit) of one list: at most a 、，和 between them (1.2万人、0.9万人)."""
    return b[0] - a[1] <= 1 and _LIST_GAP.search(text, a[1], b[0]) is not None


_COUNTED_SUBJECT = re.compile(r"(?P<n>[两二三四五六七八九十\d]+)个?(?:县|市|区|县区|县市|乡镇|镇|乡|村)(?:市|区)?$")
# 4个旗县综合贫困发生率分别为…: a counted subject further before 分别, in the sentence
# (?<![\d.])(?P<n>[两二三四五六七八九十\d]+)个…, with the look-behind after the first numeral: a
# pattern opening with a look-behind is tried by `re` at every position, one opening with a
# class only where a numeral stands. 两县 / 三旗 without 个 count counties too (not 县级, 县域 …)
_COUNTED_IN_SENTENCE = re.compile(r"(?P<n>[两二三四五六七八九十\d](?<![\d.][两二三四五六七八九十\d])[两二三四五六七八九十\d]*)"
                                  r"(?:个(?P<w>旗县市|旗县|县市区|县区|县市|县|旗|州|盟)|(?P<bare>县|旗)(?![级域城委长乡镇区市]))")
_COUNT_NUMERALS = frozenset("两二三四五六七八九十")
_COUNT_ENDS = ("个", "县", "旗")  # every match's numerals stand right before one of these


def counted_regions(text: str, lo: int, hi: int) -> list[re.Match]:
    """_COUNTED_IN_SENTENCE.finditer(text, lo, hi), begun where the numerals before the first
    个, 县 or 旗 begin: a match opens in the run of numerals before one of them, so none opens
    before that run, and a window without them holds none. Found with str.find, not by trying
    the numeral class at every position of a sentence."""
    ats = [at for ch in _COUNT_ENDS if (at := text.find(ch, lo, hi)) >= 0]
    if not ats:
        return []
    start = min(ats)
    while start > lo and (text[start - 1].isdecimal() or text[start - 1] in _COUNT_NUMERALS):
        start -= 1  # re's \d is str.isdecimal
    return list(_COUNTED_IN_SENTENCE.finditer(text, start, hi))


def _counted_list(text: str, sent_start: int, at: int, before: list[Anchor], gaz: Gazetteer) -> list[Anchor]:
    """The anchors of the latest list in `before` with as many members as the word just before
    分别 counts (三县, 两市); none if there is no such word or list."""
    m = _COUNTED_SUBJECT.search(text, sent_start, at)
    if m is None:
        further = counted_regions(text, sent_start, at)
        m = further[-1] if further else None
    n = parse_number(m.group("n")) if m else None
    return _latest_list_of(before, n, gaz) if n else []


def _list_members(in_group: list[Anchor], gaz: Gazetteer) -> list[str]:
    """The regions a list names, once each, without a region written right before one inside it
    (宁德市寿宁县、周宁县; 河北省承德市围场县、隆化县): that names where the list is, no member."""
    prefixes = {a.code for a, b in zip(in_group, in_group[1:]) if a.end == b.start and _contains(gaz, a.code, b.code)}
    return [c for c in dict.fromkeys(a.code for a in in_group) if c not in prefixes]


def _latest_list_of(anchors: list[Anchor], n: int, gaz: Gazetteer, counties: bool = False) -> list[Anchor]:
    """The anchors of the latest list among them that names n regions; with counties, n counties
    (两县 after 河北、山西 and 围场县、隆化县 means the two counties). [] where none does."""
    seen: set[int] = set()
    for a in reversed(anchors):
        if a.list_group in seen:
            continue
        seen.add(a.list_group)
        in_group = [b for b in anchors if b.list_group == a.list_group]
        members = _list_members(in_group, gaz)
        if len(members) == n and not (counties and any(c.endswith("00") for c in members)):
            return in_group
    return []


def _contains(gaz: Gazetteer, outer: str, inner: str) -> bool:
    """宁德市 contains 寿宁县, 福建省 contains 宁德市 (not itself)."""
    return outer in gaz.ancestors(inner)[1:]


def each_regions(text: str, sent_start: int, sent_end: int, anchors: list[Anchor], starts: list[int],
                 groups: dict[int, list[str]], numbers: list[tuple[int, int, str]], gaz: Gazetteer) -> dict[int, str]:
    """竹山、竹溪两县贫困人口分别减少1.2万人、0.9万人: after 分别, a list of as many numbers of
    one unit as the regions listed before it gives each region its own figure, in order.
    numbers: (start, end, unit) of the sentence's numbers in text order. Returns number start
    -> region code. Each 分别 of the sentence gives its own run of numbers (4个旗县综合贫困发生率分别为…；
    漏评率分别为…)."""
    out: dict[int, str] = {}
    at = text.find(EACH, sent_start, sent_end)
    while at >= 0:
        out.update(_each_after(text, sent_start, at, anchors, starts, groups, numbers, gaz))
        at = text.find(EACH, at + len(EACH), sent_end)
    return out


def _each_after(text: str, sent_start: int, at: int, anchors: list[Anchor], starts: list[int],
                groups: dict[int, list[str]], numbers: list[tuple[int, int, str]], gaz: Gazetteer) -> dict[int, str]:
    """each_regions for the 分别 at `at`."""
    lo, hi = bisect_left(starts, sent_start), bisect_left(starts, at)
    listed = [a for a in anchors[lo:hi] if a.role not in NOT_SUBJECT]
    first = next((n[0] for n in numbers if n[0] > at), at)
    after = [a for a in anchors[hi:bisect_left(starts, first)] if a.role not in NOT_SUBJECT]
    if len(_list_members(after, gaz)) >= 2:
        # 资金分别向于田县、策勒县、民丰县安排4.2亿元、3.5亿元、2.1亿元: the list 分别 governs follows it
        lo, hi, listed = hi, bisect_left(starts, first), after
    elif not listed:
        # 临泉、阜南、颍上3个国家级贫困县…。去年，三县分别减贫…: the list a counted word refers to,
        # earlier in the paragraph
        lo, hi = bisect_left(starts, text.rfind("\n", 0, sent_start) + 1), lo
        listed = _counted_list(text, sent_start, at, anchors[lo:hi], gaz)
        if not listed:  # …四子王旗4个重点旗县已达到退出标准。\n一、…4个旗县综合贫困发生率分别为…: an earlier paragraph's
            lo = 0
            listed = _counted_list(text, sent_start, at, anchors[lo:hi], gaz)
        if not listed:
            return {}
    group = listed[-1].list_group
    members = _list_members([a for a in anchors[lo:hi] if a.list_group == group], gaz)
    run = [n for n in numbers if n[0] > at][:len(members)]
    if len(members) < 2 or len(run) < len(members) or len({u for _, _, u in run}) > 1:
        return {}
    if not all(side_by_side(text, a, b) for a, b in zip(run, run[1:])):
        return {}
    return {start: code for (start, _, _), code in zip(run, members)}
