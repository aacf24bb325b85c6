"""A quantity's scope (GOLD.md): region, local (每个村), person (每人, first-person quotes),
entity (one company, cooperative or site) or threshold (a bar inside another quantity)."""
from __future__ import annotations

import re

from fupin.transforms import lexicon
from fupin.transforms.layout import Layout
from fupin.transforms.numbers import Quantity
from fupin.transforms.region_context import ANAPHOR_RE
from fupin.transforms.rx_first import may_hold, openers

# 人均/户均 figures are averages of a region, not of one person: not listed here.
def _cues(*roles: str) -> str:
    return lexicon.alternation("scope_cues", *roles)


PERSON_BEFORE = re.compile(f"(?:{_cues('person_before')})" + r"[\u4e00-\u9fff]{0,6}$")
LOCAL_BEFORE = re.compile(f"(?:{_cues('local_each')})(?:{_cues('local_kind')})?" + r"[\u4e00-\u9fff]{0,4}$|" + _cues("local_word"))
ENTITY_AFTER = re.compile(r"^[^,;。，；]{0,3}的?[\u4e00-\u9fff]{0,14}(?:" + _cues("entity_noun") + ")")
ENTITY_SUBJECT = re.compile(_cues("entity_subject"))
_FIRST_PERSON = re.compile(_cues("first_person"))
_PERSON_SUBJECT = re.compile(_cues("person_subject"))
# The last place a sentence names before a number: a township or village (泰和县澄江镇…, 该镇…,
# 全村…) makes the number local (GOLD.md: a village's or township's figure, its county's code);
# a county or above named after it (…全县) takes the number back to the region.
_NOT_GENERIC = "".join(f"(?<!{w})" for w in lexicon.words("scope_cues", "local_generic"))  # 农村, 城镇: no names
_AFTER_COUNTY = (f"(?!{_cues('local_not_name')})"
                 rf"[^\W\d已的了在和与共有是为等个减增实将要县区市州省旗]{{1,4}}?(?:{_cues('local_place')}){_NOT_GENERIC}"
                 "(?![民级集委干务组庄])")
_LOCAL_PLACE = f"(?<=[县区市旗])(?<![该全本此各每][县区市旗]){_AFTER_COUNTY}|{_cues('local_anaphor')}"
_COUNTY_ANAPHOR = re.compile("(?:全|该|本)(?:县|区|市|州|省|旗)")
# a county or above: 全县/该市, or a name's last character (not 县城, 市场, 省级: no names)
_PLACE_REF = re.compile(f"(?P<local>{_LOCAL_PLACE})|{_COUNTY_ANAPHOR.pattern}"
                        "|[县市州省旗](?![城场级委长直政民份])(?![\u4e00-\u9fff]{0,4}?[镇乡村])")
_BOUND_OF = re.compile(r"^(?:以上|以下)的")
_BOUND_OF_WHO = re.compile(r"^(?:以上|以下)(?:的|[\u4e00-\u9fff]{2,}(?:村|户|人|企业))")
# 700个以上贫困村出列, 15万以上贫困人口脱贫, 90%以上的村集体: a bound on a count of what follows,
# or on its share, is the region's figure (qualifier at_least), not a bar
_COUNTED_AFTER = {"person": re.compile(r"^(?:以上|以下)的?[\u4e00-\u9fff]{0,6}?(?:人口|人|群众|劳动力)"),
                  "household": re.compile(r"^(?:以上|以下)的?[\u4e00-\u9fff]{0,6}?户"),
                  None: re.compile(r"^(?:以上|以下)的?[\u4e00-\u9fff]{0,6}?(?:人口|人|群众|劳动力|户|村)")}  # 15万以上贫困人口


def _counts_what_follows(q: Quantity, after: str) -> bool:
    if q.unit_code in ("count", "person_time", "percent"):
        return True
    rx = _COUNTED_AFTER.get(q.unit_code)
    return bool(rx and rx.match(after))


_OF_AFTER = re.compile(r"^[^,;。，；]{0,3}的")
_SITE_AFTER = re.compile(r"^[\u4e00-\u9fff]{0,14}(?:" + _cues("site_noun") + ")")
_COMPANY = re.compile(_cues("company_noun"))
_ENTITY_NOUN = re.compile(_cues("entity_noun"))  # ENTITY_AFTER holds one: looked for first, in C
_ENTITY_UNITS = ("mu", "m2", "count", "person", "household")


# every match of PERSON_BEFORE and LOCAL_BEFORE opens with one of these (每): most numbers have
# none in the characters before them, and need neither search
_EACH_OPENERS = openers(PERSON_BEFORE, LOCAL_BEFORE)


def scope_of(q: Quantity, text: str, layout: Layout, clause_start: int, sent_start: int, earlier_in_clause: str | None) -> str:
    before = text[max(clause_start, q.start - 40):q.start]
    after = text[q.end:q.end + 24]
    quote = layout.enclosing_quote(q.start, q.end)
    near = before[-12:]
    each = may_hold(_EACH_OPENERS, near)
    person_before = each and PERSON_BEFORE.search(near) is not None
    if q.per_unit or person_before or (quote and quote[2] == "“" and _FIRST_PERSON.search(text, quote[0], quote[1])):
        return "threshold" if q.per_unit and not person_before else "person"
    if each and LOCAL_BEFORE.search(near):
        return "local"
    if q.qualifier in ("at_least", "less_than") and (_BOUND_OF.match(text[q.end - 2:q.end + 1]) or
                                                     _BOUND_OF_WHO.match(after)) and not _counts_what_follows(q, after):
        return "threshold"  # 收入1万元以上的农户, 20户以上自然村: a bar on what is counted
    if q.qualifier == "at_least" and earlier_in_clause in ("count", "household", "person") and q.unit_code == "yuan":
        return "threshold"
    if q.unit_code in _ENTITY_UNITS and _ENTITY_NOUN.search(after) and ENTITY_AFTER.match(after):
        if _OF_AFTER.match(after) or _SITE_AFTER.match(after):
            return "entity"
    if _person_subject(text, layout, sent_start):
        return "person"
    if _local_subject(text, sent_start, q.start):
        return "local"
    return "entity" if _entity_subject(text, layout, sent_start) else "region"


_NAMED_LOCAL = (rf"(?!{_cues('local_not_name')})[^\W\d县区市州省旗]{{1,4}}?(?:{_cues('local_place')}){_NOT_GENERIC}"
                "(?![民级集委干务组庄])")
# 石门村位于…, <正>秦祁乡是渭源县最偏远的乡镇: a line or sentence that opens by placing one
_PLACING_LOCAL = rf"\W{{0,4}}(?:<\w{{1,3}}>)?{_NAMED_LOCAL}(?:{_cues('local_page_verb')})"
_LOCAL_PAGE = re.compile("^" + _PLACING_LOCAL, re.MULTILINE)
_OPENS_LOCAL = re.compile(_PLACING_LOCAL)
_LOCAL_ONLY = re.compile(_LOCAL_PLACE)  # _PLACE_REF's local group alone
_LOCAL_TITLE = re.compile(rf"^{_NAMED_LOCAL}|{_LOCAL_PLACE}")  # 下党乡的幸福味道, …尚义县白彦堡村…
LOCAL_PAGE_REACH = 400  # a line opening within this many characters opens the body


def about_local_place(title: str | None, text: str) -> bool:
    """The text is about one township or village: its title names one (下党乡的幸福味道) or
    names one after its county (…尚义县白彦堡村乡村振兴路上…); with no title, its first
    sentence does (…赴洛南县三要镇调研…); or a line near its top opens by placing one."""
    if title:
        if _LOCAL_TITLE.search(title):
            return True
    else:
        first = re.search(r"[^。！？!?\n]+", text)
        if first and _LOCAL_ONLY.search(first.group()):
            return True
    return _LOCAL_PAGE.search(text, 0, LOCAL_PAGE_REACH) is not None


# Every match of _PLACE_REF's local group holds a place's last character (local_place) or is an
# anaphor: where the window has neither, no local place stands last, and _PLACE_REF's scan (its
# alternatives tried at every position, in Python's loop over matches) is skipped. Two searches:
# each opens with a literal or a group of literals, which `re` scans for in C; their
# alternation, opening with a group, would be tried at every position.
_PLACE_WORD = re.compile(_cues("local_place"))
_LOCAL_ANAPHOR = re.compile(_cues("local_anaphor"))
# their few opening characters (镇乡村; 该全本此), looked for with `in` before the regex call
_PLACE_OPENERS, _ANAPHOR_OPENERS = openers(_PLACE_WORD), openers(_LOCAL_ANAPHOR)
# _LOCAL_PLACE's name alternative with the county's character taken, not looked behind at:
# `re` tries a pattern opening with a look-behind at every position, one opening with a class
# only where a county's character stands. It matches at p - 1 where that alternative does at p.
_NAMED_AFTER_COUNTY = re.compile(f"[县区市旗](?<![该全本此各每][县区市旗]){_AFTER_COUNTY}")


def _local_place_in(text: str, lo: int, hi: int) -> bool:
    """_LOCAL_ONLY.search(text, lo, hi) is not None: an anaphor (该镇), or a township's or
    village's name after its county's. Where there is none, no match of _PLACE_REF in the
    window is local either, and the scan for the last place is skipped (a window with 村 or 乡
    in it, 贫困村 or 乡村, seldom holds a township's or village's name). A name holds a place
    word (镇, 乡, 村), looked for first."""
    window = text[lo:hi]
    return ((may_hold(_ANAPHOR_OPENERS, window) and _LOCAL_ANAPHOR.search(text, lo, hi) is not None)
            or (may_hold(_PLACE_OPENERS, window) and _PLACE_WORD.search(text, lo, hi) is not None
                and _NAMED_AFTER_COUNTY.search(text, max(lo - 1, 0), hi) is not None))


def _local_subject(text: str, sent_start: int, q_start: int) -> bool:
    # 秦祁乡是渭源县最偏远的乡镇,辖11个行政村: a sentence opening by placing a township is about
    # it, whatever it names in passing, until 全县/该县 turns to the county
    opening_end = min(q_start, sent_start + OPENING_REACH)
    if may_hold(_PLACE_OPENERS, text[sent_start:opening_end]) and _PLACE_WORD.search(text, sent_start, opening_end):
        opening = _OPENS_LOCAL.match(text, sent_start, q_start)
        if opening and not _COUNTY_ANAPHOR.search(text, opening.end(), q_start):
            return True
    # else the last place named before the number decides; most windows name no local place
    lo = max(sent_start, q_start - PLACE_REACH)
    if not _local_place_in(text, lo, q_start):
        return False
    last = None
    for m in _PLACE_REF.finditer(text, lo, q_start):
        last = m
    return last is not None and last.group("local") is not None


PLACE_REACH = 80  # characters before a number where the last place it names is looked for
OPENING_REACH = 16  # a sentence's opening township is named within this many characters


def _person_subject(text: str, layout: Layout, sent_start: int) -> bool:
    """The sentence's first clause names one household as its subject (张大爷家去年人均收入…):
    read once per sentence."""
    key = ("person_subject", sent_start)
    got = layout.per_sentence.get(key)
    if got is None:
        first = text[sent_start:min(layout.clause_end(sent_start), sent_start + 30)]
        got = layout.per_sentence[key] = bool(_PERSON_SUBJECT.search(first))
    return got


def _entity_subject(text: str, layout: Layout, sent_start: int) -> bool:
    """The sentence opens with a company, cooperative or site as its subject (and no 全县-type
    anaphor): the same for every number of the sentence, so read once per sentence."""
    key = ("entity_subject", sent_start)
    got = layout.per_sentence.get(key)
    if got is None:
        subject = text[sent_start:min(layout.clause_end(sent_start), sent_start + 60)]
        got = layout.per_sentence[key] = bool(ENTITY_SUBJECT.search(subject) and not ANAPHOR_RE.search(subject)
                                              and _COMPANY.search(subject))
    return got
